/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-calendar"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "sa-calendar.h"
#include "sa-calendar-private.h"
#include "sa-core-resources.h"

/* The Kazakhstan working calendar, read from a small line-based text file
 * (data/calendar/kz-working-calendar.txt, format in docs/sla.md) and turned
 * into per-day tables, so that "the 15th working day after the receipt" is
 * two array lookups instead of a walk over dates.
 *
 * The tables cover the file's years plus one year before and two after,
 * where only the yearly (MM-DD) holidays and the weekend rule are known.
 * Beyond that, working days are plain Monday to Friday. */

#define TABLE_YEARS_BEFORE 1
#define TABLE_YEARS_AFTER  2

typedef struct
{
  guint8 month;
  guint8 day;
  gboolean move;
} Yearly;

typedef struct
{
  guint32 jd;
  gboolean move;
} Dated;

struct _SaCalendar
{
  GObject    parent_instance;

  char      *version;
  int        first_year;
  int        last_year;
  GTimeZone *tz;

  guint32    first_jd;    /* Julian day (GDate numbering) of table index 0 */
  guint      n_days;
  guint8    *working;     /* n_days */
  gint64    *day_start;   /* n_days + 1: unix time of Almaty midnight */
  gint64    *work_start;  /* n_days: 09:00 Almaty */
  gint64    *work_end;    /* n_days: 18:00 Almaty */
  guint32   *cum;         /* n_days: working days among indices [0, i] */
  guint32   *work_days;   /* n_working: table index of the k-th working day */
  guint      n_working;
};

G_DEFINE_TYPE (SaCalendar, sa_calendar, G_TYPE_OBJECT)

G_DEFINE_QUARK (sa-calendar-error-quark, sa_calendar_error)

static void
sa_calendar_finalize (GObject *object)
{
  SaCalendar *self = (SaCalendar *)object;

  g_clear_pointer (&self->version, g_free);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->working, g_free);
  g_clear_pointer (&self->day_start, g_free);
  g_clear_pointer (&self->work_start, g_free);
  g_clear_pointer (&self->work_end, g_free);
  g_clear_pointer (&self->cum, g_free);
  g_clear_pointer (&self->work_days, g_free);

  G_OBJECT_CLASS (sa_calendar_parent_class)->finalize (object);
}

static void
sa_calendar_class_init (SaCalendarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sa_calendar_finalize;
}

static void
sa_calendar_init (SaCalendar *self)
{
  self->tz = g_time_zone_new_identifier ("Asia/Almaty");
  if (self->tz == NULL)
    {
      /* Without tzdata there is no honest answer; UTC at least keeps the
       * arithmetic defined, and the warning says why the times are off. */
      g_warning ("Time zone Asia/Almaty is not known to this system (tzdata missing?)");
      self->tz = g_time_zone_new_utc ();
    }
}

/* ---- dates ------------------------------------------------------------ */

/* GDate's Julian day 1 is Monday 1 January of year 1. */
static inline gboolean
jd_is_weekend (guint32 jd)
{
  return (jd - 1) % 7 >= 5;
}

static guint32
jd_from_ymd (int year, int month, int day)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, day, month, year);
  return g_date_get_julian (&d);
}

static void
jd_to_ymd (guint32 jd, int *year, int *month, int *day)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_julian (&d, jd);
  *year = g_date_get_year (&d);
  *month = g_date_get_month (&d);
  *day = g_date_get_day (&d);
}

static gint64
local_time_to_unix (GTimeZone *tz, guint32 jd, int hour)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;

  jd_to_ymd (jd, &y, &m, &d);
  dt = g_date_time_new (tz, y, m, d, hour, 0, 0);
  return g_date_time_to_unix (dt);
}

static guint32
unix_to_jd_slow (GTimeZone *tz, gint64 t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
  int y, m, d;

  g_date_time_get_ymd (local, &y, &m, &d);
  return jd_from_ymd (y, m, d);
}

/* Table index of the Almaty day containing @t, or -1 outside the table. */
static inline gssize
day_index (SaCalendar *self, gint64 t)
{
  gssize i;

  if (t < self->day_start[0] || t >= self->day_start[self->n_days])
    return -1;

  /* Days are 24 hours but for the odd zone change; guess, then correct. */
  i = (t - self->day_start[0]) / 86400;
  if (i >= (gssize)self->n_days)
    i = self->n_days - 1;
  while (self->day_start[i] > t)
    i--;
  while (self->day_start[i + 1] <= t)
    i++;
  return i;
}

static guint32
unix_to_jd (SaCalendar *self, gint64 t)
{
  gssize i = day_index (self, t);

  if (i >= 0)
    return self->first_jd + i;
  return unix_to_jd_slow (self->tz, t);
}

static gboolean
jd_is_working (SaCalendar *self, guint32 jd)
{
  if (jd >= self->first_jd && jd < self->first_jd + self->n_days)
    return self->working[jd - self->first_jd];
  return !jd_is_weekend (jd);
}

static gint64
jd_day_start (SaCalendar *self, guint32 jd)
{
  if (jd >= self->first_jd && jd <= self->first_jd + self->n_days)
    return self->day_start[jd - self->first_jd];
  return local_time_to_unix (self->tz, jd, 0);
}

/* ---- parsing ---------------------------------------------------------- */

typedef struct
{
  GArray *yearly;   /* Yearly */
  GArray *dated;    /* Dated */
  GArray *off;      /* guint32 jd */
  GArray *work;     /* guint32 jd */
  GArray *work_lines; /* guint: the line of each work[i] */
} Parsed;

static void
parsed_clear (Parsed *p)
{
  g_clear_pointer (&p->yearly, g_array_unref);
  g_clear_pointer (&p->dated, g_array_unref);
  g_clear_pointer (&p->off, g_array_unref);
  g_clear_pointer (&p->work, g_array_unref);
  g_clear_pointer (&p->work_lines, g_array_unref);
}

G_GNUC_PRINTF (4, 5)
static gboolean
fail (GError **error, SaCalendarError code, guint line, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, SA_CALENDAR_ERROR, code, "line %u: %s", line, reason);
  return FALSE;
}

static gboolean
all_digits (const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Parses "YYYY-MM-DD" (@year set) or "MM-DD" (@year = 0). Returns FALSE on a
 * shape error; the caller checks that the date exists. */
static gboolean
parse_date (const char *s, int *year, int *month, int *day)
{
  gsize len = strlen (s);

  if (len == 10 && all_digits (s, 4) && s[4] == '-' && all_digits (s + 5, 2) && s[7] == '-'
      && all_digits (s + 8, 2))
    {
      *year = atoi (s);
      *month = (s[5] - '0') * 10 + (s[6] - '0');
      *day = (s[8] - '0') * 10 + (s[9] - '0');
      return TRUE;
    }
  if (len == 5 && all_digits (s, 2) && s[2] == '-' && all_digits (s + 3, 2))
    {
      *year = 0;
      *month = (s[0] - '0') * 10 + (s[1] - '0');
      *day = (s[3] - '0') * 10 + (s[4] - '0');
      return TRUE;
    }
  return FALSE;
}

static gboolean
parse_year (const char *s, int *year)
{
  if (strlen (s) != 4 || !all_digits (s, 4))
    return FALSE;
  *year = atoi (s);
  return *year >= 1900 && *year <= 2200;
}

/* Tabs become spaces and runs of spaces one space, in place. */
static void
collapse_spaces (char *s)
{
  char *out = s;
  gboolean space = FALSE;

  for (; *s != '\0'; s++)
    {
      if (*s == ' ' || *s == '\t' || *s == '\r')
        {
          if (!space)
            *out++ = ' ';
          space = TRUE;
        }
      else
        {
          *out++ = *s;
          space = FALSE;
        }
    }
  *out = '\0';
}

static gboolean
contains_jd (GArray *a, guint32 jd)
{
  for (guint i = 0; i < a->len; i++)
    if (g_array_index (a, guint32, i) == jd)
      return TRUE;
  return FALSE;
}

/* Parses a full dated statement's date, checking it exists and lies in the
 * declared years. */
static gboolean
parse_full_date (SaCalendar *self, guint line, const char *word, guint32 *jd, GError **error)
{
  int y, m, d;

  if (!parse_date (word, &y, &m, &d) || y == 0)
    return fail (error, SA_CALENDAR_ERROR_SYNTAX, line, "“%s” is not a date in the form YYYY-MM-DD",
                 word);
  if (!g_date_valid_dmy (d, m, y))
    return fail (error, SA_CALENDAR_ERROR_INVALID_DATE, line, "%s does not exist", word);
  if (y < self->first_year || y > self->last_year)
    return fail (error, SA_CALENDAR_ERROR_INVALID_DATE, line, "%s lies outside the years %d–%d",
                 word, self->first_year, self->last_year);
  *jd = jd_from_ymd (y, m, d);
  return TRUE;
}

static gboolean
parse_text (SaCalendar *self, const char *data, gssize length, Parsed *p, GError **error)
{
  g_autofree char *text = length < 0 ? g_strdup (data) : g_strndup (data, length);
  g_auto(GStrv) lines = NULL;
  gboolean seen_format = FALSE, seen_years = FALSE;
  guint n_lines;

  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);

  for (guint i = 0; i < n_lines; i++)
    {
      guint line = i + 1;
      char *hash = strchr (lines[i], '#');
      g_auto(GStrv) words = NULL;
      guint n_words;
      const char *kw;

      if (!g_utf8_validate (lines[i], -1, NULL))
        return fail (error, SA_CALENDAR_ERROR_SYNTAX, line, "the line is not UTF-8 text");
      if (hash != NULL)
        *hash = '\0';
      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;

      /* Fields are separated by runs of spaces or tabs; the name at the end
       * of a holiday keeps its inner words (only the first three matter). */
      collapse_spaces (lines[i]);
      words = g_strsplit (lines[i], " ", 4);
      n_words = g_strv_length (words);
      kw = words[0];

      if (!seen_format)
        {
          if (g_strcmp0 (kw, "format") != 0 || n_words != 2)
            return fail (error, SA_CALENDAR_ERROR_HEADER, line,
                         "the first statement must be “format 1”");
          if (g_strcmp0 (words[1], "1") != 0)
            return fail (error, SA_CALENDAR_ERROR_HEADER, line, "unsupported format “%s”",
                         words[1]);
          seen_format = TRUE;
        }
      else if (g_str_equal (kw, "format"))
        {
          return fail (error, SA_CALENDAR_ERROR_HEADER, line, "“format” given twice");
        }
      else if (g_str_equal (kw, "version"))
        {
          const char *rest = lines[i] + strlen ("version");

          if (self->version != NULL)
            return fail (error, SA_CALENDAR_ERROR_HEADER, line, "“version” given twice");
          while (*rest == ' ')
            rest++;
          if (*rest == '\0')
            return fail (error, SA_CALENDAR_ERROR_SYNTAX, line, "“version” needs a text");
          self->version = g_strdup (rest);
        }
      else if (g_str_equal (kw, "years"))
        {
          if (seen_years)
            return fail (error, SA_CALENDAR_ERROR_HEADER, line, "“years” given twice");
          if (n_words != 3 || !parse_year (words[1], &self->first_year)
              || !parse_year (words[2], &self->last_year))
            return fail (error, SA_CALENDAR_ERROR_SYNTAX, line,
                         "“years” needs two years, e.g. “years 2024 2027”");
          if (self->first_year > self->last_year || self->last_year - self->first_year > 50)
            return fail (error, SA_CALENDAR_ERROR_HEADER, line,
                         "“years %d %d” is not a range of at most 50 years",
                         self->first_year, self->last_year);
          seen_years = TRUE;
        }
      else if (g_str_equal (kw, "holiday") || g_str_equal (kw, "off") || g_str_equal (kw, "work"))
        {
          if (!seen_years)
            return fail (error, SA_CALENDAR_ERROR_HEADER, line,
                         "“years” must come before any date");

          if (g_str_equal (kw, "holiday"))
            {
              gboolean move;
              int y, m, d;

              if (n_words < 4)
                return fail (error, SA_CALENDAR_ERROR_SYNTAX, line,
                             "“holiday” needs a date, “move” or “nomove”, and a name");
              if (g_str_equal (words[2], "move"))
                move = TRUE;
              else if (g_str_equal (words[2], "nomove"))
                move = FALSE;
              else
                return fail (error, SA_CALENDAR_ERROR_SYNTAX, line,
                             "expected “move” or “nomove”, found “%s”", words[2]);

              if (!parse_date (words[1], &y, &m, &d))
                return fail (error, SA_CALENDAR_ERROR_SYNTAX, line,
                             "“%s” is not a date in the form MM-DD or YYYY-MM-DD", words[1]);
              if (y == 0)
                {
                  Yearly h = { m, d, move };

                  /* 29 February would be a holiday only every fourth year. */
                  if (!g_date_valid_dmy (d, m, 2023))
                    return fail (error, SA_CALENDAR_ERROR_INVALID_DATE, line,
                                 "%s does not exist every year", words[1]);
                  g_array_append_val (p->yearly, h);
                }
              else
                {
                  Dated h = { 0, move };

                  if (!parse_full_date (self, line, words[1], &h.jd, error))
                    return FALSE;
                  g_array_append_val (p->dated, h);
                }
            }
          else
            {
              gboolean is_off = g_str_equal (kw, "off");
              guint32 jd;

              if (n_words < 2)
                return fail (error, SA_CALENDAR_ERROR_SYNTAX, line, "“%s” needs a date", kw);
              if (!parse_full_date (self, line, words[1], &jd, error))
                return FALSE;
              if (contains_jd (is_off ? p->work : p->off, jd))
                return fail (error, SA_CALENDAR_ERROR_CONFLICT, line,
                             "%s is both a day off and a working day", words[1]);
              g_array_append_val (is_off ? p->off : p->work, jd);
              if (!is_off)
                g_array_append_val (p->work_lines, line);
            }
        }
      else
        {
          return fail (error, SA_CALENDAR_ERROR_SYNTAX, line, "unknown statement “%s”", kw);
        }
    }

  if (!seen_format)
    return fail (error, SA_CALENDAR_ERROR_HEADER, 1, "the first statement must be “format 1”");
  if (!seen_years)
    return fail (error, SA_CALENDAR_ERROR_HEADER, n_lines, "no “years” statement in the file");
  return TRUE;
}

/* ---- tables ----------------------------------------------------------- */

static int
compare_dated (gconstpointer a, gconstpointer b)
{
  const Dated *da = a, *db = b;

  return (da->jd > db->jd) - (da->jd < db->jd);
}

static gboolean
build_tables (SaCalendar *self, Parsed *p, GError **error)
{
  int table_first = self->first_year - TABLE_YEARS_BEFORE;
  int table_last = self->last_year + TABLE_YEARS_AFTER;
  g_autoptr(GArray) holidays = g_array_new (FALSE, FALSE, sizeof (Dated));
  g_autofree guint8 *is_holiday = NULL;
  guint32 w;

  self->first_jd = jd_from_ymd (table_first, 1, 1);
  self->n_days = jd_from_ymd (table_last + 1, 1, 1) - self->first_jd;
  self->working = g_new0 (guint8, self->n_days);
  is_holiday = g_new0 (guint8, self->n_days);

  /* Every holiday of every table year; dated ones only exist in their year. */
  for (int y = table_first; y <= table_last; y++)
    for (guint i = 0; i < p->yearly->len; i++)
      {
        const Yearly *h = &g_array_index (p->yearly, Yearly, i);
        Dated d = { jd_from_ymd (y, h->month, h->day), h->move };

        g_array_append_val (holidays, d);
      }
  g_array_append_vals (holidays, p->dated->data, p->dated->len);
  g_array_sort (holidays, compare_dated);

  for (guint i = 0; i < self->n_days; i++)
    self->working[i] = !jd_is_weekend (self->first_jd + i);
  for (guint i = 0; i < holidays->len; i++)
    {
      guint32 idx = g_array_index (holidays, Dated, i).jd - self->first_jd;

      self->working[idx] = FALSE;
      is_holiday[idx] = TRUE;
    }
  for (guint i = 0; i < p->off->len; i++)
    self->working[g_array_index (p->off, guint32, i) - self->first_jd] = FALSE;
  for (guint i = 0; i < p->work->len; i++)
    {
      guint32 jd = g_array_index (p->work, guint32, i);
      int y, m, d;

      if (is_holiday[jd - self->first_jd])
        {
          jd_to_ymd (jd, &y, &m, &d);
          return fail (error, SA_CALENDAR_ERROR_CONFLICT, g_array_index (p->work_lines, guint, i),
                       "%04d-%02d-%02d is a public holiday and cannot be a working day",
                       y, m, d);
        }
      self->working[jd - self->first_jd] = TRUE;
    }

  /* A movable holiday on a Saturday or Sunday gives a day off on the next
   * working day; taken in date order, two weekend holidays in a row (21–22
   * March) land on two different days. */
  for (guint i = 0; i < holidays->len; i++)
    {
      const Dated *h = &g_array_index (holidays, Dated, i);
      guint32 idx;

      if (!h->move || !jd_is_weekend (h->jd))
        continue;
      for (idx = h->jd - self->first_jd + 1; idx < self->n_days && !self->working[idx]; idx++)
        ;
      if (idx < self->n_days)
        self->working[idx] = FALSE;
    }

  self->day_start = g_new (gint64, self->n_days + 1);
  self->work_start = g_new (gint64, self->n_days);
  self->work_end = g_new (gint64, self->n_days);
  self->cum = g_new (guint32, self->n_days);
  self->work_days = g_new (guint32, self->n_days);
  self->n_working = 0;

  for (guint i = 0; i <= self->n_days; i++)
    self->day_start[i] = local_time_to_unix (self->tz, self->first_jd + i, 0);

  w = 0;
  for (guint i = 0; i < self->n_days; i++)
    {
      if (self->working[i])
        {
          self->work_start[i] = local_time_to_unix (self->tz, self->first_jd + i,
                                                    SA_CALENDAR_WORK_START_HOUR);
          self->work_end[i] = local_time_to_unix (self->tz, self->first_jd + i,
                                                  SA_CALENDAR_WORK_END_HOUR);
          self->work_days[w++] = i;
        }
      else
        {
          self->work_start[i] = self->work_end[i] = self->day_start[i];
        }
      self->cum[i] = w;
    }
  self->n_working = w;
  return TRUE;
}

/* ---- constructors ----------------------------------------------------- */

/**
 * sa_calendar_new_from_data:
 * @data: the calendar text (format in docs/sla.md)
 * @length: length of @data, or -1 when nul-terminated
 * @error: return location for a #GError
 *
 * Parses a calendar. A malformed text is refused with an error in the
 * %SA_CALENDAR_ERROR domain whose message starts with "line N: ".
 *
 * Returns: (transfer full) (nullable): the calendar, or %NULL on error
 */
SaCalendar *
sa_calendar_new_from_data (const char  *data,
                           gssize       length,
                           GError     **error)
{
  g_autoptr(SaCalendar) self = NULL;
  Parsed p;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SA_TYPE_CALENDAR, NULL);
  p.yearly = g_array_new (FALSE, FALSE, sizeof (Yearly));
  p.dated = g_array_new (FALSE, FALSE, sizeof (Dated));
  p.off = g_array_new (FALSE, FALSE, sizeof (guint32));
  p.work = g_array_new (FALSE, FALSE, sizeof (guint32));
  p.work_lines = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!parse_text (self, data, length, &p, error) || !build_tables (self, &p, error))
    {
      parsed_clear (&p);
      return NULL;
    }
  parsed_clear (&p);
  return g_steal_pointer (&self);
}

/**
 * sa_calendar_new_from_file:
 * @path: a calendar file, e.g. a newer one an administrator gives the registry
 * @error: return location for a #GError
 *
 * Loads a calendar from a file. A file that cannot be read fails with a
 * #GFileError; a malformed one with %SA_CALENDAR_ERROR and "line N: reason".
 *
 * Returns: (transfer full) (nullable): the calendar, or %NULL on error
 */
SaCalendar *
sa_calendar_new_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return sa_calendar_new_from_data (contents, length, error);
}

/**
 * sa_calendar_new_default:
 *
 * Loads the calendar built into the core (the same file as is installed in
 * `$datadir/smart-appeals/calendar/`).
 *
 * Returns: (transfer full): the built-in calendar
 */
SaCalendar *
sa_calendar_new_default (void)
{
  static gsize registered = 0;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SaCalendar *self;
  gsize length;
  const char *data;

  /* The resource is compiled with --manual-register: in a static library
   * the linker would drop an unreferenced constructor. */
  if (g_once_init_enter (&registered))
    {
      sa_core_register_resource ();
      g_once_init_leave (&registered, 1);
    }

  bytes = g_resources_lookup_data (SA_CALENDAR_RESOURCE_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                   &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &length);
  self = sa_calendar_new_from_data (data, length, &error);
  /* The built-in file is checked by the tests; a broken one is a build bug. */
  g_assert_no_error (error);
  return self;
}

/* ---- queries ---------------------------------------------------------- */

/**
 * sa_calendar_get_version:
 * @self: a #SaCalendar
 *
 * Returns: (nullable): the file's `version` text, if it has one
 */
const char *
sa_calendar_get_version (SaCalendar *self)
{
  g_return_val_if_fail (SA_IS_CALENDAR (self), NULL);
  return self->version;
}

/**
 * sa_calendar_get_first_year:
 * @self: a #SaCalendar
 *
 * Returns: the first year the file speaks for
 */
int
sa_calendar_get_first_year (SaCalendar *self)
{
  g_return_val_if_fail (SA_IS_CALENDAR (self), 0);
  return self->first_year;
}

/**
 * sa_calendar_get_last_year:
 * @self: a #SaCalendar
 *
 * The last year with transfers and lunar holidays; later dates are computed
 * from the yearly holidays only, so the registry should warn when this year
 * draws near.
 *
 * Returns: the last year the file speaks for
 */
int
sa_calendar_get_last_year (SaCalendar *self)
{
  g_return_val_if_fail (SA_IS_CALENDAR (self), 0);
  return self->last_year;
}

/**
 * sa_calendar_get_timezone:
 * @self: a #SaCalendar
 *
 * Returns: (transfer none): the Asia/Almaty zone all dates are taken in
 */
GTimeZone *
sa_calendar_get_timezone (SaCalendar *self)
{
  g_return_val_if_fail (SA_IS_CALENDAR (self), NULL);
  return self->tz;
}

/**
 * sa_calendar_is_working_day:
 * @self: a #SaCalendar
 * @year: year
 * @month: month, 1–12
 * @day: day of the month
 *
 * Returns: %TRUE if the date is a working day in Kazakhstan
 */
gboolean
sa_calendar_is_working_day (SaCalendar *self,
                            int         year,
                            int         month,
                            int         day)
{
  g_return_val_if_fail (SA_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (g_date_valid_dmy (day, month, year), FALSE);

  return jd_is_working (self, jd_from_ymd (year, month, day));
}

/**
 * sa_calendar_is_working_day_at:
 * @self: a #SaCalendar
 * @unix_time: unix seconds
 *
 * Returns: %TRUE if the Almaty date at @unix_time is a working day
 */
gboolean
sa_calendar_is_working_day_at (SaCalendar *self,
                               gint64      unix_time)
{
  g_return_val_if_fail (SA_IS_CALENDAR (self), FALSE);
  return jd_is_working (self, unix_to_jd (self, unix_time));
}

/**
 * sa_calendar_day_start:
 * @self: a #SaCalendar
 * @unix_time: unix seconds
 *
 * Returns: unix seconds of 00:00:00 Almaty time on the date of @unix_time
 */
gint64
sa_calendar_day_start (SaCalendar *self,
                       gint64      unix_time)
{
  gssize i;

  g_return_val_if_fail (SA_IS_CALENDAR (self), 0);

  i = day_index (self, unix_time);
  if (i >= 0)
    return self->day_start[i];
  return jd_day_start (self, unix_to_jd_slow (self->tz, unix_time));
}

/**
 * sa_calendar_day_end:
 * @self: a #SaCalendar
 * @unix_time: unix seconds
 *
 * Returns: unix seconds of 23:59:59 Almaty time on the date of @unix_time
 */
gint64
sa_calendar_day_end (SaCalendar *self,
                     gint64      unix_time)
{
  gssize i;

  g_return_val_if_fail (SA_IS_CALENDAR (self), 0);

  i = day_index (self, unix_time);
  if (i >= 0)
    return self->day_start[i + 1] - 1;
  return jd_day_start (self, unix_to_jd_slow (self->tz, unix_time) + 1) - 1;
}

/**
 * sa_calendar_add_working_days:
 * @self: a #SaCalendar
 * @unix_time: the moment counting starts from, unix seconds
 * @n_days: how many working days to count, at least 1
 *
 * Counts working days the way APPK art. 76 counts them: the Almaty date of
 * @unix_time itself does not count, day 1 is the first working day after it.
 *
 * Returns: unix seconds of 23:59:59 Almaty time on the @n_days-th working day
 */
gint64
sa_calendar_add_working_days (SaCalendar *self,
                              gint64      unix_time,
                              guint       n_days)
{
  gssize i;
  guint32 jd;

  g_return_val_if_fail (SA_IS_CALENDAR (self), 0);
  g_return_val_if_fail (n_days >= 1, 0);

  i = day_index (self, unix_time);
  if (i >= 0)
    {
      /* cum[i] working days lie in [0, i], so the next one is number cum[i]. */
      guint64 k = (guint64)self->cum[i] + n_days - 1;

      if (k < self->n_working)
        return self->day_start[self->work_days[k] + 1] - 1;
      jd = self->first_jd + i;
    }
  else
    {
      jd = unix_to_jd_slow (self->tz, unix_time);
    }

  while (n_days > 0)
    {
      jd++;
      if (jd_is_working (self, jd))
        n_days--;
    }
  return jd_day_start (self, jd + 1) - 1;
}

/*
 * _sa_calendar_next_working_window:
 * Finds the first working-hours window [09:00, 18:00) Almaty that ends after
 * @t (it may have started before @t).
 */
gboolean
_sa_calendar_next_working_window (SaCalendar *self,
                                  gint64      t,
                                  gint64     *win_start,
                                  gint64     *win_end)
{
  gssize i;
  guint32 jd;

  g_assert (SA_IS_CALENDAR (self));

  i = day_index (self, t);
  if (i >= 0)
    {
      guint32 k;

      if (self->working[i] && self->work_end[i] > t)
        {
          *win_start = self->work_start[i];
          *win_end = self->work_end[i];
          return TRUE;
        }
      k = self->cum[i];
      if (k < self->n_working)
        {
          *win_start = self->work_start[self->work_days[k]];
          *win_end = self->work_end[self->work_days[k]];
          return TRUE;
        }
      jd = self->first_jd + i + 1;
    }
  else
    {
      jd = unix_to_jd_slow (self->tz, t);
    }

  /* Outside the tables: Monday to Friday; bounded so a bad time cannot spin. */
  for (guint n = 0; n < 3660; n++, jd++)
    {
      if (!jd_is_working (self, jd))
        continue;
      *win_end = local_time_to_unix (self->tz, jd, SA_CALENDAR_WORK_END_HOUR);
      if (*win_end <= t)
        continue;
      *win_start = local_time_to_unix (self->tz, jd, SA_CALENDAR_WORK_START_HOUR);
      return TRUE;
    }
  return FALSE;
}
