/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-reference"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sa-calendar-private.h"
#include "sa-reference.h"
#include "sa-registry-resources.h"

/* The city's reference data — districts, agencies, categories with their
 * regulations, the street gazetteer — read from the text files under
 * data/reference/ (format in docs/reference-data.md). The files are built
 * into the registry and installed beside it; `init --reference DIR` reads
 * another copy. The parser refuses anything it does not fully understand,
 * naming the file and the line, so that a typo never reaches the database. */

#define NAME_MAX_CHARS 200
#define WORKING_DAY_MINUTES ((SA_CALENDAR_WORK_END_HOUR - SA_CALENDAR_WORK_START_HOUR) * 60)
/* A regulation longer than the two months the law allows at most is a typo. */
#define DURATION_MAX_MINUTES (62 * 24 * 60)

struct _SaReference
{
  GObject     parent_instance;

  GArray     *districts;   /* SaReferenceDistrict */
  GArray     *agencies;    /* SaReferenceAgency */
  GArray     *categories;  /* SaReferenceCategory */
  GArray     *streets;     /* SaReferenceStreet */
  /* code (or a street's Russian form) → the line that gave it */
  GHashTable *district_lines;
  GHashTable *agency_lines;
  GHashTable *category_lines;
  GHashTable *street_lines;
};

G_DEFINE_FINAL_TYPE (SaReference, sa_reference, G_TYPE_OBJECT)

G_DEFINE_QUARK (sa-reference-error-quark, sa_reference_error)

static const char * const agency_kinds[] = {
  "akimat_department", "district_akimat", "utility", "ksk_osi", "contractor", "contact_centre",
  NULL
};

static const char * const spheres[] = {
  "heating", "water", "electricity", "gas", "lifts", "roads", "waste", "transport",
  "landscaping", "manholes", "flooding", "ksk", "other", NULL
};

/* How streets are called; address normalisation will know their short forms. */
static const char * const street_types_ru[] = {
  "улица", "проспект", "мкр", "переулок", "бульвар", "шоссе", "площадь", NULL
};

static const char * const street_types_kk[] = {
  "көшесі", "даңғылы", "шағын ауданы", "тұйық көшесі", "бульвары", "тас жолы", "алаңы", NULL
};

static void
district_clear (gpointer data)
{
  SaReferenceDistrict *d = data;

  g_free (d->code);
  g_free (d->name_ru);
  g_free (d->name_kk);
}

static void
agency_clear (gpointer data)
{
  SaReferenceAgency *a = data;

  g_free (a->code);
  g_free (a->kind);
  g_free (a->districts);
  g_free (a->name_ru);
  g_free (a->name_kk);
}

static void
category_clear (gpointer data)
{
  SaReferenceCategory *c = data;

  g_free (c->code);
  g_free (c->sphere);
  g_free (c->agency);
  g_free (c->name_ru);
  g_free (c->name_kk);
}

static void
street_clear (gpointer data)
{
  SaReferenceStreet *s = data;

  g_strfreev (s->districts);
  g_free (s->type_ru);
  g_free (s->name_ru);
  g_free (s->name_kk);
  g_free (s->type_kk);
}

static void
sa_reference_finalize (GObject *object)
{
  SaReference *self = SA_REFERENCE (object);

  g_clear_pointer (&self->districts, g_array_unref);
  g_clear_pointer (&self->agencies, g_array_unref);
  g_clear_pointer (&self->categories, g_array_unref);
  g_clear_pointer (&self->streets, g_array_unref);
  g_clear_pointer (&self->district_lines, g_hash_table_unref);
  g_clear_pointer (&self->agency_lines, g_hash_table_unref);
  g_clear_pointer (&self->category_lines, g_hash_table_unref);
  g_clear_pointer (&self->street_lines, g_hash_table_unref);

  G_OBJECT_CLASS (sa_reference_parent_class)->finalize (object);
}

static void
sa_reference_class_init (SaReferenceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sa_reference_finalize;
}

static GArray *
new_array (gsize          size,
           GDestroyNotify clear)
{
  GArray *array = g_array_new (FALSE, TRUE, size);

  g_array_set_clear_func (array, clear);
  return array;
}

static void
sa_reference_init (SaReference *self)
{
  self->districts = new_array (sizeof (SaReferenceDistrict), district_clear);
  self->agencies = new_array (sizeof (SaReferenceAgency), agency_clear);
  self->categories = new_array (sizeof (SaReferenceCategory), category_clear);
  self->streets = new_array (sizeof (SaReferenceStreet), street_clear);
  self->district_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->agency_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->category_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->street_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ---- one line ------------------------------------------------------------ */

typedef struct
{
  SaReference *self;
  const char  *file;    /* as the messages name it */
  guint        line;
  char       **fields;
  const char  *const *columns;
} Row;

static gboolean
fail_at (GError          **error,
         const char       *file,
         guint             line,
         SaReferenceError  code,
         const char       *reason)
{
  if (line > 0)
    g_set_error (error, SA_REFERENCE_ERROR, code, "%s:%u: %s", file, line, reason);
  else
    g_set_error (error, SA_REFERENCE_ERROR, code, "%s: %s", file, reason);
  return FALSE;
}

G_GNUC_PRINTF (5, 6)
static gboolean
fail (GError          **error,
      const char       *file,
      guint             line,
      SaReferenceError  code,
      const char       *format,
      ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  return fail_at (error, file, line, code, reason);
}

#define ROW_FAIL(row, error, code, ...) \
  fail ((error), (row)->file, (row)->line, (code), __VA_ARGS__)

static gboolean
is_one_of (const char         *value,
           const char * const *list)
{
  return g_strv_contains (list, value);
}

static char *
join_list (const char * const *list)
{
  return g_strjoinv (", ", (char **) list);
}

static gboolean
check_one_of (const Row          *row,
              guint               field,
              const char * const *list,
              GError            **error)
{
  g_autofree char *allowed = NULL;

  if (is_one_of (row->fields[field], list))
    return TRUE;
  allowed = join_list (list);
  return ROW_FAIL (row, error, SA_REFERENCE_ERROR_INVALID, "%s “%s” is not one of %s",
                   row->columns[field], row->fields[field], allowed);
}

/* [a-z]+ for districts, [A-Z][A-Z0-9-]* for agencies, word.word for categories. */
static gboolean
check_code (const Row  *row,
            guint       field,
            char        kind,
            GError    **error)
{
  const char *code = row->fields[field];
  gboolean ok = strlen (code) <= 40;
  guint dots = 0;

  for (const char *p = code; ok && *p != '\0'; p++)
    {
      switch (kind)
        {
        case 'd':
          ok = *p >= 'a' && *p <= 'z';
          break;
        case 'a':
          ok = (*p >= 'A' && *p <= 'Z') || (p > code && ((*p >= '0' && *p <= '9') || *p == '-'));
          break;
        default:
          if (*p == '.')
            ok = ++dots == 1 && p > code && p[1] != '\0';
          else
            ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
          break;
        }
    }
  if (kind == 'c' && dots != 1)
    ok = FALSE;
  if (ok)
    return TRUE;
  return ROW_FAIL (row, error, SA_REFERENCE_ERROR_INVALID, "“%s” is not a valid %s: %s", code,
                   row->columns[field],
                   kind == 'd' ? "lower-case Latin letters"
                   : kind == 'a' ? "upper-case Latin letters, digits and “-”"
                   : "two lower-case words joined by “.”, e.g. “heating.no-heat”");
}

static gboolean
check_unique (const Row   *row,
              GHashTable  *lines,
              const char  *what,
              const char  *key,
              GError     **error)
{
  gpointer first = g_hash_table_lookup (lines, key);

  if (first != NULL)
    return ROW_FAIL (row, error, SA_REFERENCE_ERROR_DUPLICATE,
                     "%s “%s” is given twice (first on line %u)", what, key,
                     GPOINTER_TO_UINT (first));
  g_hash_table_insert (lines, g_strdup (key), GUINT_TO_POINTER (row->line));
  return TRUE;
}

/* "medeu,almaly": known district codes, each once, no spaces. */
static GStrv
parse_districts (const Row  *row,
                 guint       field,
                 GError    **error)
{
  g_auto(GStrv) codes = g_strsplit (row->fields[field], ",", -1);

  for (guint i = 0; codes[i] != NULL; i++)
    {
      if (!g_hash_table_contains (row->self->district_lines, codes[i]))
        {
          ROW_FAIL (row, error, SA_REFERENCE_ERROR_UNKNOWN,
                    "“%s” is not a district of districts.txt (separate codes with “,” and "
                    "no spaces)", codes[i]);
          return NULL;
        }
      for (guint j = 0; j < i; j++)
        if (strcmp (codes[i], codes[j]) == 0)
          {
            ROW_FAIL (row, error, SA_REFERENCE_ERROR_DUPLICATE, "the district “%s” is named twice",
                      codes[i]);
            return NULL;
          }
    }
  return g_steal_pointer (&codes);
}

/* "20min", "24h", "4h30min", "5wd": the largest unit first, each at most once;
 * "wd" is a working day of the working-hours clock. */
static gboolean
parse_duration (const Row   *row,
                guint        field,
                SaSlaClock   clock,
                guint       *minutes,
                GError     **error)
{
  static const struct { const char *unit; guint minutes; } units[] = {
    { "wd", WORKING_DAY_MINUTES }, { "h", 60 }, { "min", 1 },
  };
  const char *p = row->fields[field];
  guint next_unit = 0;
  guint64 total = 0;

  while (*p != '\0')
    {
      guint64 value = 0;
      guint digits = 0;
      guint u;

      while (g_ascii_isdigit (*p) && digits < 6)
        {
          value = value * 10 + (guint) (*p++ - '0');
          digits++;
        }
      for (u = next_unit; u < G_N_ELEMENTS (units); u++)
        if (g_str_has_prefix (p, units[u].unit))
          break;
      if (digits == 0 || digits == 6 || u == G_N_ELEMENTS (units))
        return ROW_FAIL (row, error, SA_REFERENCE_ERROR_INVALID,
                         "%s “%s” is not a duration such as 20min, 24h, 4h30min or 5wd",
                         row->columns[field], row->fields[field]);
      if (u == 0 && clock != SA_SLA_CLOCK_WORKING_HOURS)
        return ROW_FAIL (row, error, SA_REFERENCE_ERROR_INVALID,
                         "%s “%s” counts working days on the 24x7 clock; give hours",
                         row->columns[field], row->fields[field]);
      total += value * units[u].minutes;
      p += strlen (units[u].unit);
      next_unit = u + 1;
    }
  if (total == 0 || total > DURATION_MAX_MINUTES)
    return ROW_FAIL (row, error, SA_REFERENCE_ERROR_INVALID,
                     "%s “%s” must be more than nothing and at most 62 days",
                     row->columns[field], row->fields[field]);
  *minutes = (guint) total;
  return TRUE;
}

static gboolean
district_row (const Row  *row,
              GError    **error)
{
  SaReferenceDistrict d = { 0 };

  if (!check_code (row, 0, 'd', error) ||
      !check_unique (row, row->self->district_lines, "the district", row->fields[0], error))
    return FALSE;
  d.code = g_strdup (row->fields[0]);
  d.name_ru = g_strdup (row->fields[1]);
  d.name_kk = g_strdup (row->fields[2]);
  g_array_append_val (row->self->districts, d);
  return TRUE;
}

static gboolean
agency_row (const Row  *row,
            GError    **error)
{
  SaReferenceAgency a = { 0 };
  g_auto(GStrv) districts = NULL;

  if (!check_code (row, 0, 'a', error) || !check_one_of (row, 1, agency_kinds, error))
    return FALSE;
  if (strcmp (row->fields[2], "*") != 0 && (districts = parse_districts (row, 2, error)) == NULL)
    return FALSE;
  if (!check_unique (row, row->self->agency_lines, "the agency", row->fields[0], error))
    return FALSE;
  a.code = g_strdup (row->fields[0]);
  a.kind = g_strdup (row->fields[1]);
  a.districts = g_strdup (row->fields[2]);
  a.name_ru = g_strdup (row->fields[3]);
  a.name_kk = g_strdup (row->fields[4]);
  g_array_append_val (row->self->agencies, a);
  return TRUE;
}

static gboolean
category_row (const Row  *row,
              GError    **error)
{
  SaReferenceCategory c = { 0 };
  SaSlaClock clock;

  if (!check_code (row, 0, 'c', error) || !check_one_of (row, 1, spheres, error))
    return FALSE;
  if (!g_hash_table_contains (row->self->agency_lines, row->fields[2]))
    return ROW_FAIL (row, error, SA_REFERENCE_ERROR_UNKNOWN,
                     "the agency “%s” is not in agencies.txt", row->fields[2]);
  if (!sa_criticality_from_string (row->fields[3], &c.criticality))
    return ROW_FAIL (row, error, SA_REFERENCE_ERROR_INVALID,
                     "criticality “%s” is not one of low, normal, high, emergency",
                     row->fields[3]);
  if (strcmp (row->fields[4], "24x7") == 0)
    clock = SA_SLA_CLOCK_24X7;
  else if (strcmp (row->fields[4], "working_hours") == 0)
    clock = SA_SLA_CLOCK_WORKING_HOURS;
  else
    return ROW_FAIL (row, error, SA_REFERENCE_ERROR_INVALID,
                     "clock “%s” is not one of 24x7, working_hours", row->fields[4]);
  if (c.criticality == SA_CRITICALITY_EMERGENCY && clock != SA_SLA_CLOCK_24X7)
    return ROW_FAIL (row, error, SA_REFERENCE_ERROR_INVALID,
                     "an emergency never waits for working hours: its clock is 24x7");
  c.regulation.clock = clock;
  if (!parse_duration (row, 5, clock, &c.regulation.reaction_minutes, error) ||
      !parse_duration (row, 6, clock, &c.regulation.resolution_minutes, error))
    return FALSE;
  if (c.regulation.reaction_minutes >= c.regulation.resolution_minutes)
    return ROW_FAIL (row, error, SA_REFERENCE_ERROR_INVALID,
                     "the reaction (%s) must come before the resolution (%s)",
                     row->fields[5], row->fields[6]);
  if (!check_unique (row, row->self->category_lines, "the category", row->fields[0], error))
    return FALSE;
  c.code = g_strdup (row->fields[0]);
  c.sphere = g_strdup (row->fields[1]);
  c.agency = g_strdup (row->fields[2]);
  c.name_ru = g_strdup (row->fields[7]);
  c.name_kk = g_strdup (row->fields[8]);
  g_array_append_val (row->self->categories, c);
  return TRUE;
}

static gboolean
street_row (const Row  *row,
            GError    **error)
{
  SaReferenceStreet s = { 0 };
  g_auto(GStrv) districts = NULL;
  g_autofree char *full = NULL;

  if (strcmp (row->fields[0], "-") == 0)
    districts = g_new0 (char *, 1);
  else if ((districts = parse_districts (row, 0, error)) == NULL)
    return FALSE;
  if (!check_one_of (row, 1, street_types_ru, error) ||
      !check_one_of (row, 4, street_types_kk, error))
    return FALSE;
  full = g_strconcat (row->fields[1], " ", row->fields[2], NULL);
  if (!check_unique (row, row->self->street_lines, "the street", full, error))
    return FALSE;
  s.districts = g_steal_pointer (&districts);
  s.type_ru = g_strdup (row->fields[1]);
  s.name_ru = g_strdup (row->fields[2]);
  s.name_kk = g_strdup (row->fields[3]);
  s.type_kk = g_strdup (row->fields[4]);
  g_array_append_val (row->self->streets, s);
  return TRUE;
}

/* ---- one file ------------------------------------------------------------ */

typedef gboolean (*RowFunc) (const Row *row, GError **error);

static const char * const district_columns[] = { "code", "name_ru", "name_kk", NULL };
static const char * const agency_columns[] = {
  "code", "kind", "districts", "name_ru", "name_kk", NULL
};
static const char * const category_columns[] = {
  "code", "sphere", "agency", "criticality", "clock", "reaction", "resolution", "name_ru",
  "name_kk", NULL
};
static const char * const street_columns[] = {
  "districts", "ru type", "ru name", "kk name", "kk type", NULL
};

/* In this order: each file may name what the files before it define. */
static const struct
{
  const char         *name;
  const char * const *columns;
  RowFunc             row;
} files[] = {
  { "districts.txt", district_columns, district_row },
  { "agencies.txt", agency_columns, agency_row },
  { "categories.txt", category_columns, category_row },
  { "streets.txt", street_columns, street_row },
};

/* Splits "a | b | c" into trimmed fields; NULL when a field is empty or
 * has two spaces in a row (a sign of a lost separator). */
static GStrv
split_fields (const char  *text,
              const char  *file,
              guint        line,
              guint        expected,
              GError     **error)
{
  g_auto(GStrv) fields = g_strsplit (text, "|", -1);
  guint n = g_strv_length (fields);

  if (n != expected)
    {
      fail (error, file, line, SA_REFERENCE_ERROR_SYNTAX,
            "expected %u fields separated by “|”, found %u", expected, n);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      g_strstrip (fields[i]);
      if (fields[i][0] == '\0')
        {
          fail (error, file, line, SA_REFERENCE_ERROR_SYNTAX, "field %u is empty", i + 1);
          return NULL;
        }
      if (strstr (fields[i], "  ") != NULL)
        {
          fail (error, file, line, SA_REFERENCE_ERROR_SYNTAX,
                "field %u has two spaces in a row", i + 1);
          return NULL;
        }
      if (g_utf8_strlen (fields[i], -1) > NAME_MAX_CHARS)
        {
          fail (error, file, line, SA_REFERENCE_ERROR_SYNTAX,
                "field %u is longer than %u characters", i + 1, NAME_MAX_CHARS);
          return NULL;
        }
    }
  return g_steal_pointer (&fields);
}

static gboolean
parse_file (SaReference  *self,
            guint         which,
            const char   *file,
            const char   *data,
            gsize         length,
            GError      **error)
{
  const char * const *columns = files[which].columns;
  guint n_columns = g_strv_length ((char **) columns);
  g_autofree char *text = g_strndup (data, length);
  g_auto(GStrv) lines = NULL;
  guint state = 0;  /* 0: before "format", 1: before "columns", 2: rows */
  guint n_rows = 0;

  if (strlen (text) != length)
    return fail (error, file, 0, SA_REFERENCE_ERROR_SYNTAX, "the file has a NUL byte");
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint line = i + 1;
      char *s = lines[i];

      if (!g_utf8_validate (s, -1, NULL))
        return fail (error, file, line, SA_REFERENCE_ERROR_SYNTAX, "the line is not UTF-8 text");
      for (const char *p = s; *p != '\0'; p++)
        if ((guchar) *p < 0x20 || *p == 0x7f)
          return fail (error, file, line, SA_REFERENCE_ERROR_SYNTAX,
                       "a control character (%s 0x%02x); separate fields with “|” and spaces",
                       *p == '\t' ? "a tab," : *p == '\r' ? "a carriage return," : "byte",
                       (guint) (guchar) *p);
      g_strstrip (s);
      if (*s == '\0' || *s == '#')
        continue;

      if (state == 0)
        {
          if (strcmp (s, "format 1") != 0)
            return fail (error, file, line, SA_REFERENCE_ERROR_SYNTAX,
                         "the first statement must be “format 1”");
          state = 1;
        }
      else if (state == 1)
        {
          g_auto(GStrv) names = NULL;
          gboolean same;

          names = g_str_has_prefix (s, "columns ")
                  ? split_fields (s + strlen ("columns "), file, line, n_columns, NULL) : NULL;
          same = names != NULL;
          for (guint c = 0; same && c < n_columns; c++)
            same = strcmp (names[c], columns[c]) == 0;
          if (!same)
            {
              g_autofree char *expected = g_strjoinv (" | ", (char **) columns);

              return fail (error, file, line, SA_REFERENCE_ERROR_SYNTAX,
                           "the second statement must be “columns %s”", expected);
            }
          state = 2;
        }
      else
        {
          g_auto(GStrv) fields = split_fields (s, file, line, n_columns, error);
          Row row = { self, file, line, fields, columns };

          if (fields == NULL || !files[which].row (&row, error))
            return FALSE;
          n_rows++;
        }
    }
  if (n_rows == 0)
    return fail (error, file, 0, SA_REFERENCE_ERROR_SYNTAX,
                 state == 0 ? "empty: the first statement must be “format 1”"
                            : "the file has no rows");
  return TRUE;
}

typedef GBytes *(*ReadFunc) (const char *name, char **label, GError **error);

static SaReference *
load (ReadFunc       read,
      const char    *dir,
      GBytes *const *given,
      GError       **error)
{
  g_autoptr(SaReference) self = g_object_new (SA_TYPE_REFERENCE, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) read_error = NULL;
      gsize length;
      const char *data;

      if (given != NULL)
        {
          label = g_strdup (files[i].name);
          bytes = g_bytes_ref (given[i]);
        }
      else if (dir != NULL)
        {
          g_autofree char *path = g_build_filename (dir, files[i].name, NULL);
          char *contents = NULL;

          label = g_strdup (path);
          if (g_file_get_contents (path, &contents, &length, &read_error))
            bytes = g_bytes_new_take (contents, length);
        }
      else
        bytes = read (files[i].name, &label, &read_error);
      if (bytes == NULL)
        {
          fail (error, label, 0, SA_REFERENCE_ERROR_MISSING, "%s", read_error->message);
          return NULL;
        }
      data = g_bytes_get_data (bytes, &length);
      if (!parse_file (self, i, label, data != NULL ? data : "", length, error))
        return NULL;
    }
  return g_steal_pointer (&self);
}

static GBytes *
read_resource (const char  *name,
               char       **label,
               GError     **error)
{
  g_autofree char *path = g_strconcat (SA_REFERENCE_RESOURCE_DIR, name, NULL);

  *label = g_strdup (name);
  return g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

static gpointer
register_resource (gpointer data)
{
  sa_registry_register_resource ();
  return NULL;
}

/**
 * sa_reference_new_default:
 * @error: return location for a #GError
 *
 * Loads the reference data built into the registry: the files of
 * data/reference/, as installed in `$datadir/smart-appeals/reference/`.
 *
 * Returns: (transfer full) (nullable): the reference data, or %NULL
 */
SaReference *
sa_reference_new_default (GError **error)
{
  sa_reference_register_resources ();
  return load (read_resource, NULL, NULL, error);
}

/**
 * sa_reference_register_resources:
 *
 * Makes the reference files built into the registry readable under
 * %SA_REFERENCE_RESOURCE_DIR, once (the reply templates are read so too).
 */
void
sa_reference_register_resources (void)
{
  static GOnce once = G_ONCE_INIT;

  /* --manual-register: a static library would let the linker drop the
   * resource's constructor. */
  g_once (&once, register_resource, NULL);
}

/**
 * sa_reference_new_from_dir:
 * @dir: a directory with districts.txt, agencies.txt, categories.txt and streets.txt
 * @error: return location for a #GError
 *
 * Loads reference data from files, e.g. a copy an administrator updated. A
 * malformed file is refused with %SA_REFERENCE_ERROR and "FILE:LINE: reason".
 *
 * Returns: (transfer full) (nullable): the reference data, or %NULL
 */
SaReference *
sa_reference_new_from_dir (const char  *dir,
                           GError     **error)
{
  g_return_val_if_fail (dir != NULL, NULL);

  return load (NULL, dir, NULL, error);
}

#define GETTER(type, name, array)                                           \
  const type *                                                              \
  sa_reference_get_##name (SaReference *self,                               \
                           guint       *n)                                  \
  {                                                                         \
    g_return_val_if_fail (SA_IS_REFERENCE (self), NULL);                    \
    if (n != NULL)                                                          \
      *n = self->array->len;                                                \
    return (const type *) (gpointer) self->array->data;                     \
  }

GETTER (SaReferenceDistrict, districts, districts)
GETTER (SaReferenceAgency, agencies, agencies)
GETTER (SaReferenceCategory, categories, categories)
GETTER (SaReferenceStreet, streets, streets)

#undef GETTER

const SaReferenceDistrict *
sa_reference_find_district (SaReference *self,
                            const char  *code)
{
  g_return_val_if_fail (SA_IS_REFERENCE (self), NULL);

  for (guint i = 0; code != NULL && i < self->districts->len; i++)
    if (strcmp (g_array_index (self->districts, SaReferenceDistrict, i).code, code) == 0)
      return &g_array_index (self->districts, SaReferenceDistrict, i);
  return NULL;
}

const SaReferenceAgency *
sa_reference_find_agency (SaReference *self,
                          const char  *code)
{
  g_return_val_if_fail (SA_IS_REFERENCE (self), NULL);

  for (guint i = 0; code != NULL && i < self->agencies->len; i++)
    if (strcmp (g_array_index (self->agencies, SaReferenceAgency, i).code, code) == 0)
      return &g_array_index (self->agencies, SaReferenceAgency, i);
  return NULL;
}

const SaReferenceCategory *
sa_reference_find_category (SaReference *self,
                            const char  *code)
{
  g_return_val_if_fail (SA_IS_REFERENCE (self), NULL);

  for (guint i = 0; code != NULL && i < self->categories->len; i++)
    if (strcmp (g_array_index (self->categories, SaReferenceCategory, i).code, code) == 0)
      return &g_array_index (self->categories, SaReferenceCategory, i);
  return NULL;
}

/**
 * sa_reference_find_street:
 * @self: the reference data
 * @name_ru: the street's Russian form, type first: "проспект Абая"
 *
 * Returns: (nullable): the street
 */
const SaReferenceStreet *
sa_reference_find_street (SaReference *self,
                          const char  *name_ru)
{
  g_return_val_if_fail (SA_IS_REFERENCE (self), NULL);

  for (guint i = 0; name_ru != NULL && i < self->streets->len; i++)
    {
      const SaReferenceStreet *s = &g_array_index (self->streets, SaReferenceStreet, i);
      gsize type_len = strlen (s->type_ru);

      if (strncmp (name_ru, s->type_ru, type_len) == 0 && name_ru[type_len] == ' ' &&
          strcmp (name_ru + type_len + 1, s->name_ru) == 0)
        return s;
    }
  return NULL;
}

/* "проспект Абая" */
char *
sa_reference_street_dup_ru (const SaReferenceStreet *street)
{
  g_return_val_if_fail (street != NULL, NULL);
  return g_strconcat (street->type_ru, " ", street->name_ru, NULL);
}

/* "Абай даңғылы" */
char *
sa_reference_street_dup_kk (const SaReferenceStreet *street)
{
  g_return_val_if_fail (street != NULL, NULL);
  return g_strconcat (street->name_kk, " ", street->type_kk, NULL);
}

/**
 * sa_reference_new_from_data:
 * @districts: the text of districts.txt
 * @agencies: the text of agencies.txt
 * @categories: the text of categories.txt
 * @streets: the text of streets.txt
 * @error: return location for a #GError
 *
 * Parses reference data held in memory; errors name the files as
 * "districts.txt:LINE: reason".
 *
 * Returns: (transfer full) (nullable): the reference data, or %NULL
 */
SaReference *
sa_reference_new_from_data (GBytes  *districts,
                            GBytes  *agencies,
                            GBytes  *categories,
                            GBytes  *streets,
                            GError **error)
{
  GBytes *given[] = { districts, agencies, categories, streets };

  G_STATIC_ASSERT (G_N_ELEMENTS (given) == G_N_ELEMENTS (files));
  g_return_val_if_fail (districts != NULL && agencies != NULL, NULL);
  g_return_val_if_fail (categories != NULL && streets != NULL, NULL);

  return load (NULL, NULL, given, error);
}
