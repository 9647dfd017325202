/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "sa-calendar.h"

/* Weekdays that are days off and weekend days that are working days, written
 * out by hand from the published calendars, independently of the data file:
 * holidays, their weekend moves and the government transfers. */
typedef struct
{
  int year;
  const char * const *weekdays_off;
  const char * const *weekends_working;
} YearTable;

static const char * const off_2025[] = {
  "01-01", "01-02",
  "01-03",            /* transfer from Sunday 5 January */
  "01-07",
  "03-10",            /* 8 March is a Saturday */
  "03-21", "03-24", "03-25",  /* Nauryz 22–23 March fall on the weekend */
  "05-01", "05-07", "05-09",
  "06-06",            /* Kurban Ait */
  "07-07",            /* 6 July is a Sunday */
  "09-01",            /* 30 August is a Saturday */
  "10-27",            /* 25 October is a Saturday */
  "12-16",
  NULL
};
static const char * const work_2025[] = { "01-05", NULL };

static const char * const off_2026[] = {
  "01-01", "01-02", "01-07",
  "03-09",            /* 8 March is a Sunday */
  "03-23", "03-24", "03-25",  /* Nauryz 21–22 March fall on the weekend */
  "05-01", "05-07",
  "05-11",            /* 9 May is a Saturday */
  "05-27",            /* Kurban Ait */
  "07-06",
  "08-31",            /* 30 August is a Sunday */
  "10-26",            /* 25 October is a Sunday */
  "12-16",
  NULL
};
static const char * const work_2026[] = { NULL };

static const char * const off_2024[] = {
  "01-01", "01-02",   /* 7 January is a Sunday and does not move */
  "03-08", "03-21", "03-22",
  "03-25",            /* 23 March is a Saturday */
  "05-01", "05-07",
  "05-08",            /* transfer from Saturday 4 May */
  "05-09",
  "07-08",            /* 6 July is a Saturday; Kurban Ait 16 June is a Sunday, no move */
  "08-30", "10-25", "12-16",
  NULL
};
static const char * const work_2024[] = { "05-04", NULL };

static const YearTable years[] = {
  { 2024, off_2024, work_2024 },
  { 2025, off_2025, work_2025 },
  { 2026, off_2026, work_2026 },
};

static gboolean
listed (const char * const *list, int month, int day)
{
  g_autofree char *key = g_strdup_printf ("%02d-%02d", month, day);

  return g_strv_contains (list, key);
}

static void
check_year (SaCalendar *cal, const YearTable *t)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 1, t->year);
  for (; g_date_get_year (&date) == t->year; g_date_add_days (&date, 1))
    {
      int m = g_date_get_month (&date), d = g_date_get_day (&date);
      gboolean weekend = g_date_get_weekday (&date) >= G_DATE_SATURDAY;
      gboolean expected = weekend ? listed (t->weekends_working, m, d)
                                  : !listed (t->weekdays_off, m, d);

      if (sa_calendar_is_working_day (cal, t->year, m, d) != expected)
        g_error ("%d-%02d-%02d: expected %s", t->year, m, d,
                 expected ? "a working day" : "a day off");
    }
}

static void
test_every_day_of_year (gconstpointer data)
{
  /* Every date of the year is a working day exactly when the hand-written table says so. */
  const YearTable *t = data;
  g_autoptr(SaCalendar) cal = sa_calendar_new_default ();

  check_year (cal, t);
}

static void
test_default_header (void)
{
  /* The built-in calendar speaks for 2024–2027 and carries its version. */
  g_autoptr(SaCalendar) cal = sa_calendar_new_default ();

  g_assert_cmpint (sa_calendar_get_first_year (cal), ==, 2024);
  g_assert_cmpint (sa_calendar_get_last_year (cal), ==, 2027);
  g_assert_nonnull (sa_calendar_get_version (cal));
}

static void
test_nomove_days (void)
{
  /* 7 January and Kurban Ait on a weekend give no extra day off. */
  g_autoptr(SaCalendar) cal = sa_calendar_new_default ();

  /* 7 January 2024 and Kurban Ait 2024 (16 June) are Sundays. */
  g_assert_true (sa_calendar_is_working_day (cal, 2024, 1, 8));
  g_assert_true (sa_calendar_is_working_day (cal, 2024, 6, 17));
  /* Kurban Ait 2027 (16 May) is a Sunday. */
  g_assert_false (sa_calendar_is_working_day (cal, 2027, 5, 16));
  g_assert_true (sa_calendar_is_working_day (cal, 2027, 5, 17));
  /* 7 January 2027 is a Thursday: off. */
  g_assert_false (sa_calendar_is_working_day (cal, 2027, 1, 7));
}

static void
test_beyond_years (void)
{
  /* After the file's years the yearly holidays still count for two years, then only weekends. */
  g_autoptr(SaCalendar) cal = sa_calendar_new_default ();

  /* 2029-01-01 is a Monday: a yearly holiday inside the extrapolated years. */
  g_assert_false (sa_calendar_is_working_day (cal, 2029, 1, 1));
  /* 2035-01-01 is a Monday beyond the tables: a plain weekday. */
  g_assert_true (sa_calendar_is_working_day (cal, 2035, 1, 1));
  g_assert_false (sa_calendar_is_working_day (cal, 2035, 1, 6));
}

static void
test_almaty_zone (void)
{
  /* Almaty dates start at midnight UTC+5 since 2024-03-01, as the system's tzdata says. */
  g_autoptr(SaCalendar) cal = sa_calendar_new_default ();
  GTimeZone *tz = sa_calendar_get_timezone (cal);
  g_autoptr(GDateTime) probe = g_date_time_new (tz, 2025, 6, 1, 12, 0, 0);
  g_autoptr(GDateTime) noon_utc = g_date_time_new_utc (2025, 6, 1, 7, 0, 0);

  g_assert_cmpstr (g_time_zone_get_identifier (tz), ==, "Asia/Almaty");
  if (g_date_time_get_utc_offset (probe) != 5 * G_TIME_SPAN_HOUR)
    {
      g_test_skip ("this system's tzdata predates Almaty's move to UTC+5 (tzdata 2024a)");
      return;
    }
  /* 2025-06-01 00:00 +05 = 2025-05-31 19:00 UTC. */
  g_assert_cmpint (sa_calendar_day_start (cal, g_date_time_to_unix (noon_utc)), ==,
                   1748718000);
  g_assert_cmpint (sa_calendar_day_end (cal, g_date_time_to_unix (noon_utc)), ==,
                   1748718000 + 86400 - 1);
  /* 19:30 UTC on 6 February is already 00:30 on 7 February in Almaty. */
  {
    g_autoptr(GDateTime) late = g_date_time_new_utc (2025, 2, 6, 19, 30, 0);
    g_autoptr(GDateTime) start = g_date_time_new (tz, 2025, 2, 7, 0, 0, 0);

    g_assert_cmpint (sa_calendar_day_start (cal, g_date_time_to_unix (late)), ==,
                     g_date_time_to_unix (start));
  }
}

static void
test_zone_change_day (void)
{
  /* 29 February 2024 lasted 25 hours in Almaty; days around it still start at local midnight. */
  g_autoptr(SaCalendar) cal = sa_calendar_new_default ();
  GTimeZone *tz = sa_calendar_get_timezone (cal);
  g_autoptr(GDateTime) feb29 = g_date_time_new (tz, 2024, 2, 29, 12, 0, 0);
  g_autoptr(GDateTime) mar1 = g_date_time_new (tz, 2024, 3, 1, 0, 0, 0);
  gint64 t = g_date_time_to_unix (feb29);

  g_assert_cmpint (sa_calendar_day_end (cal, t) + 1, ==, g_date_time_to_unix (mar1));
  g_assert_cmpint (sa_calendar_day_start (cal, g_date_time_to_unix (mar1)), ==,
                   g_date_time_to_unix (mar1));
}

static void
test_file_equals_resource (void)
{
  /* The installed data file and the built-in resource say the same for every day. */
  const char *root = g_getenv ("SA_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaCalendar) file_cal = NULL;
  g_autoptr(SaCalendar) cal = sa_calendar_new_default ();
  GDate date;

  if (root == NULL)
    {
      g_test_skip ("SA_SOURCE_ROOT is not set");
      return;
    }
  path = g_build_filename (root, "data", "calendar", "kz-working-calendar.txt", NULL);
  file_cal = sa_calendar_new_from_file (path, &error);
  g_assert_no_error (error);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 1, 2023);
  for (; g_date_get_year (&date) <= 2030; g_date_add_days (&date, 1))
    g_assert_cmpint (sa_calendar_is_working_day (cal, g_date_get_year (&date),
                                                 g_date_get_month (&date),
                                                 g_date_get_day (&date)), ==,
                     sa_calendar_is_working_day (file_cal, g_date_get_year (&date),
                                                 g_date_get_month (&date),
                                                 g_date_get_day (&date)));
}

static void
test_newer_file (void)
{
  /* A newer file from an administrator is loaded from disk and its transfers apply. */
  static const char text[] =
    "format 1\n"
    "version admin-2026-12\n"
    "years 2026 2028\n"
    "holiday 01-01 move New Year\n"
    "# a new transfer decree\n"
    "off 2027-01-08 transfer\n"
    "work 2027-01-09 transfer\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sa-calendar-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(SaCalendar) cal = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "cal.txt", NULL);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  cal = sa_calendar_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sa_calendar_get_version (cal), ==, "admin-2026-12");
  g_assert_false (sa_calendar_is_working_day (cal, 2027, 1, 8));
  g_assert_true (sa_calendar_is_working_day (cal, 2027, 1, 9));
  /* 1 January 2028 is a Saturday: moves to Monday the 3rd. */
  g_assert_false (sa_calendar_is_working_day (cal, 2028, 1, 3));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_missing_file (void)
{
  /* A file that is not there fails with a GFileError, not a crash. */
  g_autoptr(GError) error = NULL;
  g_autoptr(SaCalendar) cal = sa_calendar_new_from_file ("/nonexistent/calendar.txt", &error);

  g_assert_null (cal);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

typedef struct
{
  const char *name;
  const char *text;
  SaCalendarError code;
  const char *message;  /* the whole message: line and reason */
} Malformed;

static const Malformed malformed[] = {
  { "empty", "", SA_CALENDAR_ERROR_HEADER,
    "line 1: the first statement must be “format 1”" },
  { "no-format", "# c\nyears 2024 2025\n", SA_CALENDAR_ERROR_HEADER,
    "line 2: the first statement must be “format 1”" },
  { "format-2", "format 2\n", SA_CALENDAR_ERROR_HEADER, "line 1: unsupported format “2”" },
  { "no-years", "format 1\n\nholiday 01-01 move New Year\n", SA_CALENDAR_ERROR_HEADER,
    "line 3: “years” must come before any date" },
  { "years-missing-at-end", "format 1\nversion x\n", SA_CALENDAR_ERROR_HEADER,
    "line 3: no “years” statement in the file" },
  { "years-reversed", "format 1\nyears 2027 2024\n", SA_CALENDAR_ERROR_HEADER,
    "line 2: “years 2027 2024” is not a range of at most 50 years" },
  { "years-shape", "format 1\nyears 2024\n", SA_CALENDAR_ERROR_SYNTAX,
    "line 2: “years” needs two years, e.g. “years 2024 2027”" },
  { "unknown", "format 1\nyears 2024 2025\nholliday 01-01 move X\n", SA_CALENDAR_ERROR_SYNTAX,
    "line 3: unknown statement “holliday”" },
  { "bad-rule", "format 1\nyears 2024 2025\nholiday 01-01 moved X\n", SA_CALENDAR_ERROR_SYNTAX,
    "line 3: expected “move” or “nomove”, found “moved”" },
  { "no-name", "format 1\nyears 2024 2025\nholiday 01-01 move\n", SA_CALENDAR_ERROR_SYNTAX,
    "line 3: “holiday” needs a date, “move” or “nomove”, and a name" },
  { "date-shape", "format 1\nyears 2024 2025\nholiday 1-1 move X\n", SA_CALENDAR_ERROR_SYNTAX,
    "line 3: “1-1” is not a date in the form MM-DD or YYYY-MM-DD" },
  { "no-such-date", "format 1\nyears 2024 2025\n\n\noff 2025-02-30 x\n",
    SA_CALENDAR_ERROR_INVALID_DATE, "line 5: 2025-02-30 does not exist" },
  { "feb-29-yearly", "format 1\nyears 2024 2025\nholiday 02-29 move X\n",
    SA_CALENDAR_ERROR_INVALID_DATE, "line 3: 02-29 does not exist every year" },
  { "outside-years", "format 1\nyears 2024 2025\nholiday 2026-06-01 nomove Kurban Ait\n",
    SA_CALENDAR_ERROR_INVALID_DATE, "line 3: 2026-06-01 lies outside the years 2024–2025" },
  { "off-and-work", "format 1\nyears 2024 2025\nwork 2025-01-04 a\noff 2025-01-04 b\n",
    SA_CALENDAR_ERROR_CONFLICT, "line 4: 2025-01-04 is both a day off and a working day" },
  { "work-on-holiday", "format 1\nyears 2024 2025\nwork 2025-03-22 a\nholiday 03-22 move N\n",
    SA_CALENDAR_ERROR_CONFLICT,
    "line 3: 2025-03-22 is a public holiday and cannot be a working day" },
  { "twice-format", "format 1\nformat 1\n", SA_CALENDAR_ERROR_HEADER,
    "line 2: “format” given twice" },
  { "not-utf8", "format 1\n\xff\n", SA_CALENDAR_ERROR_SYNTAX,
    "line 2: the line is not UTF-8 text" },
};

static void
test_malformed (gconstpointer data)
{
  /* A malformed calendar is refused with the line number and the reason. */
  const Malformed *m = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaCalendar) cal = sa_calendar_new_from_data (m->text, -1, &error);

  g_assert_null (cal);
  g_assert_error (error, SA_CALENDAR_ERROR, (int)m->code);
  g_assert_cmpstr (error->message, ==, m->message);
}

static void
test_tolerant_spacing (void)
{
  /* Tabs, runs of spaces, CRLF line ends and trailing comments are accepted. */
  static const char text[] =
    "format 1\r\n"
    "years\t2025   2025  # one year\r\n"
    "holiday  01-01\tmove   New   Year\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SaCalendar) cal = sa_calendar_new_from_data (text, -1, &error);

  g_assert_no_error (error);
  g_assert_false (sa_calendar_is_working_day (cal, 2025, 1, 1));
  g_assert_true (sa_calendar_is_working_day (cal, 2025, 1, 2));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/calendar/default/header", test_default_header);
  for (guint i = 0; i < G_N_ELEMENTS (years); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sa/calendar/default/every-day-%d",
                                               years[i].year);
      g_test_add_data_func (path, &years[i], test_every_day_of_year);
    }
  g_test_add_func ("/sa/calendar/default/nomove-days", test_nomove_days);
  g_test_add_func ("/sa/calendar/default/beyond-years", test_beyond_years);
  g_test_add_func ("/sa/calendar/zone/almaty-utc-plus-5", test_almaty_zone);
  g_test_add_func ("/sa/calendar/zone/change-day", test_zone_change_day);
  g_test_add_func ("/sa/calendar/file/equals-resource", test_file_equals_resource);
  g_test_add_func ("/sa/calendar/file/newer", test_newer_file);
  g_test_add_func ("/sa/calendar/file/missing", test_missing_file);
  g_test_add_func ("/sa/calendar/file/tolerant-spacing", test_tolerant_spacing);
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sa/calendar/file/malformed/%s",
                                               malformed[i].name);
      g_test_add_data_func (path, &malformed[i], test_malformed);
    }

  return g_test_run ();
}
