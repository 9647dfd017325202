/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <libintl.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sa-sla.h"

static SaCalendar *cal;
static GTimeZone *almaty;

/* Unix time of an Almaty wall-clock time. */
static gint64
at (int y, int mo, int d, int h, int mi, int s)
{
  g_autoptr(GDateTime) dt = g_date_time_new (almaty, y, mo, d, h, mi, s);

  return g_date_time_to_unix (dt);
}

static char *
almaty_string (gint64 t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, almaty);

  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

#define assert_almaty(t, expected) \
  G_STMT_START { \
    g_autofree char *got_ = almaty_string (t); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

/* ---- legal deadline -------------------------------------------------------- */

typedef struct
{
  const char *name;
  int y, mo, d, h, mi;    /* receipt, Almaty time */
  const char *due;        /* Almaty time */
} LegalCase;

/* Worked out by hand on the published calendars. */
static const LegalCase legal_cases[] = {
  /* Thursday 23:30 is still Thursday: day 1 is Friday. */
  { "receipt-late-evening", 2025, 2, 6, 23, 30, "2025-02-27 23:59:59" },
  /* Friday 00:30 Almaty is Thursday 19:30 UTC, but it is Friday here: day 1 is Monday. */
  { "receipt-after-midnight", 2025, 2, 7, 0, 30, "2025-02-28 23:59:59" },
  { "receipt-saturday", 2025, 2, 8, 12, 0, "2025-02-28 23:59:59" },
  { "receipt-sunday", 2025, 2, 9, 9, 0, "2025-02-28 23:59:59" },
  /* 7 January 2025 is off; 6 January (Monday) is the day of receipt. */
  { "orthodox-christmas", 2025, 1, 6, 10, 0, "2025-01-28 23:59:59" },
  /* 8 March 2025 (Saturday) moves to the 10th; Nauryz 21–25 March. */
  { "march-2025", 2025, 3, 7, 23, 30, "2025-04-03 23:59:59" },
  /* Saturday 4 January 2025: Sunday the 5th is a working day by transfer. */
  { "working-sunday-2025", 2025, 1, 4, 11, 0, "2025-01-24 23:59:59" },
  /* Year end: 1–2 January and the 3 January 2025 transfer. */
  { "year-end-2024", 2024, 12, 27, 15, 0, "2025-01-22 23:59:59" },
  { "year-end-2025-late", 2025, 12, 30, 23, 30, "2026-01-23 23:59:59" },
  { "year-end-2025-last-day", 2025, 12, 31, 10, 0, "2026-01-26 23:59:59" },
  /* Nauryz 2026: 21–22 March on the weekend move to the 24th and 25th. */
  { "nauryz-2026", 2026, 3, 20, 17, 0, "2026-04-15 23:59:59" },
  /* Kurban Ait 27 May 2026 (Wednesday). */
  { "kurban-ait-2026", 2026, 5, 20, 9, 0, "2026-06-11 23:59:59" },
  /* 9 May 2026 (Saturday) moves to the 11th. */
  { "may-2026", 2026, 4, 30, 9, 0, "2026-05-26 23:59:59" },
  /* 2024: Saturday 4 May is a working day, 8 May is off. */
  { "may-2024-transfer", 2024, 5, 3, 16, 0, "2024-05-28 23:59:59" },
  /* Receipt on a holiday counts from the next working day; 2 January 2027
   * (Saturday) moves to the 4th, 7 January is off. */
  { "receipt-on-holiday", 2026, 12, 16, 10, 0, "2027-01-11 23:59:59" },
};

static void
test_legal_case (gconstpointer data)
{
  /* The legal due is 23:59:59 Almaty on the 15th working day after the Almaty date of receipt. */
  const LegalCase *c = data;

  assert_almaty (sa_sla_legal_due (cal, at (c->y, c->mo, c->d, c->h, c->mi, 0)), c->due);
}

/* Weekdays off in 2025 and 2026 and weekend days worked, written out
 * independently of the data file (the same lists as test-calendar.c). */
static const char * const off_days[] = {
  "2025-01-01", "2025-01-02", "2025-01-03", "2025-01-07", "2025-03-10", "2025-03-21",
  "2025-03-24", "2025-03-25", "2025-05-01", "2025-05-07", "2025-05-09", "2025-06-06",
  "2025-07-07", "2025-09-01", "2025-10-27", "2025-12-16",
  "2026-01-01", "2026-01-02", "2026-01-07", "2026-03-09", "2026-03-23", "2026-03-24",
  "2026-03-25", "2026-05-01", "2026-05-07", "2026-05-11", "2026-05-27", "2026-07-06",
  "2026-08-31", "2026-10-26", "2026-12-16",
  NULL
};
static const char * const worked_weekend_days[] = { "2025-01-05", NULL };

static gboolean
reference_is_working (GDate *date)
{
  char key[16];

  g_date_strftime (key, sizeof key, "%Y-%m-%d", date);
  if (g_date_get_weekday (date) >= G_DATE_SATURDAY)
    return g_strv_contains (worked_weekend_days, key);
  return !g_strv_contains (off_days, key);
}

static void
test_legal_every_day (void)
{
  /* For a receipt on every day of 2025 and 2026, the due matches a plain day-by-day count. */
  GDate received, stop;

  g_date_clear (&received, 1);
  g_date_clear (&stop, 1);
  g_date_set_dmy (&received, 1, 1, 2025);
  /* Stop where the due would leave the reference lists (late December 2026). */
  g_date_set_dmy (&stop, 1, 12, 2026);
  for (; g_date_compare (&received, &stop) < 0; g_date_add_days (&received, 1))
    {
      GDate due = received;
      char expected[32];
      guint n = 0;

      while (n < SA_SLA_LEGAL_WORKING_DAYS)
        {
          g_date_add_days (&due, 1);
          if (reference_is_working (&due))
            n++;
        }
      g_date_strftime (expected, sizeof expected, "%Y-%m-%d 23:59:59", &due);

      /* Early morning and late evening of the same Almaty date give the same due. */
      assert_almaty (sa_sla_legal_due (cal, at (g_date_get_year (&received),
                                                g_date_get_month (&received),
                                                g_date_get_day (&received), 0, 0, 0)),
                     expected);
      assert_almaty (sa_sla_legal_due (cal, at (g_date_get_year (&received),
                                                g_date_get_month (&received),
                                                g_date_get_day (&received), 23, 59, 59)),
                     expected);
    }
}

static void
test_legal_due_utc (void)
{
  /* 23:59:59 Almaty is 18:59:59 UTC (UTC+5), as the system's tzdata says since 2024-03-01. */
  g_autoptr(GDateTime) probe = g_date_time_new (almaty, 2025, 2, 27, 12, 0, 0);
  gint64 due = sa_sla_legal_due (cal, at (2025, 2, 6, 23, 30, 0));

  if (g_date_time_get_utc_offset (probe) != 5 * G_TIME_SPAN_HOUR)
    {
      g_test_skip ("this system's tzdata predates Almaty's move to UTC+5");
      return;
    }
  /* 2025-02-27T18:59:59Z */
  g_assert_cmpint (due, ==, 1740682799);
}

static void
test_legal_ignores_pauses (void)
{
  /* Waiting for the applicant stops the operational clock but never the legal one. */
  SaRegulation reg = { 60, 24 * 60, SA_SLA_CLOCK_24X7 };
  gint64 received = at (2025, 2, 6, 10, 0, 0);
  SaPause pause = { received + 600, received + 10 * 86400 };

  g_assert_cmpint (sa_sla_operational_due (cal, &reg, SA_SLA_TARGET_RESOLUTION, received,
                                           &pause, 1), ==,
                   received + 10 * 86400 - 600 + 24 * 3600);
  assert_almaty (sa_sla_legal_due (cal, received), "2025-02-27 23:59:59");
}

/* ---- extension, notification, forwarding ---------------------------------------- */

static void
test_extension_cap (void)
{
  /* An extension is allowed up to the receipt's Almaty date + 2 months at 23:59:59, not beyond. */
  g_autoptr(GError) error = NULL;
  gint64 received = at (2025, 2, 6, 10, 0, 0);
  gint64 due = 0;

  assert_almaty (sa_sla_extension_limit (cal, received), "2025-04-06 23:59:59");

  /* Up to the cap: the requested date becomes its 23:59:59. */
  g_assert_true (sa_sla_extend_legal_due (cal, received, at (2025, 3, 20, 9, 0, 0), &due, &error));
  g_assert_no_error (error);
  assert_almaty (due, "2025-03-20 23:59:59");

  g_assert_true (sa_sla_extend_legal_due (cal, received, at (2025, 4, 6, 15, 0, 0), &due, &error));
  g_assert_no_error (error);
  assert_almaty (due, "2025-04-06 23:59:59");

  /* One second past the cap's date is refused. */
  g_assert_false (sa_sla_extend_legal_due (cal, received, at (2025, 4, 7, 0, 0, 0), &due, &error));
  g_assert_error (error, SA_SLA_ERROR, SA_SLA_ERROR_EXTENSION_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "2025-04-06"));
  g_clear_error (&error);
  assert_almaty (due, "2025-04-06 23:59:59");

  g_assert_false (sa_sla_extend_legal_due (cal, received, at (2025, 6, 1, 0, 0, 0), NULL, &error));
  g_assert_error (error, SA_SLA_ERROR, SA_SLA_ERROR_EXTENSION_TOO_LONG);
}

static void
test_extension_not_later (void)
{
  /* An "extension" to the legal due or earlier is refused. */
  g_autoptr(GError) error = NULL;
  gint64 received = at (2025, 2, 6, 10, 0, 0);

  g_assert_false (sa_sla_extend_legal_due (cal, received, at (2025, 2, 27, 8, 0, 0), NULL,
                                           &error));
  g_assert_error (error, SA_SLA_ERROR, SA_SLA_ERROR_EXTENSION_NOT_LATER);
  g_clear_error (&error);
  g_assert_false (sa_sla_extend_legal_due (cal, received, at (2025, 2, 10, 8, 0, 0), NULL,
                                           &error));
  g_assert_error (error, SA_SLA_ERROR, SA_SLA_ERROR_EXTENSION_NOT_LATER);
  g_clear_error (&error);
  g_assert_true (sa_sla_extend_legal_due (cal, received, at (2025, 2, 28, 0, 0, 0), NULL,
                                          &error));
  g_assert_no_error (error);
}

typedef struct
{
  int y, mo, d, h, mi;
  const char *limit;
} LimitCase;

static const LimitCase limit_cases[] = {
  /* Months are clamped to their last day. */
  { 2025, 12, 31, 12, 0, "2026-02-28 23:59:59" },
  { 2027, 12, 31, 12, 0, "2028-02-29 23:59:59" },
  { 2025, 12, 30, 23, 30, "2026-02-28 23:59:59" },
  /* 00:30 Almaty on 1 March is still 28 February in UTC: the Almaty date counts. */
  { 2026, 3, 1, 0, 30, "2026-05-01 23:59:59" },
  { 2026, 2, 28, 23, 30, "2026-04-28 23:59:59" },
};

static void
test_extension_limit_dates (void)
{
  /* Two calendar months from the Almaty date of receipt, clamped to the month's end. */
  for (guint i = 0; i < G_N_ELEMENTS (limit_cases); i++)
    {
      const LimitCase *c = &limit_cases[i];

      assert_almaty (sa_sla_extension_limit (cal, at (c->y, c->mo, c->d, c->h, c->mi, 0)),
                     c->limit);
    }
}

static void
test_extension_notify_by (void)
{
  /* The applicant must be told within 3 working days after the extension. */
  /* Thursday 20 March 2025: 21, 24, 25 March are off. */
  assert_almaty (sa_sla_extension_notify_by (cal, at (2025, 3, 20, 15, 0, 0)),
                 "2025-03-28 23:59:59");
  /* Friday evening: Monday, Tuesday, Wednesday. */
  assert_almaty (sa_sla_extension_notify_by (cal, at (2025, 2, 7, 23, 30, 0)),
                 "2025-02-12 23:59:59");
}

static void
test_forward_late (void)
{
  /* A forward after 23:59:59 of the 3rd working day after receipt is late. */
  gint64 received = at (2025, 2, 6, 10, 0, 0);

  assert_almaty (sa_sla_forward_deadline (cal, received), "2025-02-11 23:59:59");
  g_assert_false (sa_sla_forward_is_late (cal, received, at (2025, 2, 6, 11, 0, 0)));
  g_assert_false (sa_sla_forward_is_late (cal, received, at (2025, 2, 11, 23, 59, 59)));
  g_assert_true (sa_sla_forward_is_late (cal, received, at (2025, 2, 12, 0, 0, 0)));
  /* Received on Friday 7 March 2025: 10 March is off. */
  assert_almaty (sa_sla_forward_deadline (cal, at (2025, 3, 7, 9, 0, 0)), "2025-03-13 23:59:59");
}

/* ---- operational deadline ------------------------------------------------------ */

typedef struct
{
  const char *name;
  SaSlaClock clock;
  guint minutes;
  const char *start;        /* Almaty "YYYY-MM-DD HH:MM" */
  const char *pauses[6];    /* pairs of Almaty times; "open" for a pause still running */
  const char *due;          /* Almaty, or "none" */
} OpCase;

static const OpCase op_cases[] = {
  /* A lift with a person inside: 20 minutes, around the clock. */
  { "24x7/lift", SA_SLA_CLOCK_24X7, 20, "2025-03-08 23:50", { NULL }, "2025-03-09 00:10:00" },
  /* An open manhole: closed within 24 hours, holidays or not. */
  { "24x7/manhole", SA_SLA_CLOCK_24X7, 24 * 60, "2025-12-31 18:00", { NULL },
    "2026-01-01 18:00:00" },
  { "24x7/pause-resume", SA_SLA_CLOCK_24X7, 180, "2025-02-06 10:00",
    { "2025-02-06 11:00", "2025-02-06 12:30", NULL }, "2025-02-06 14:30:00" },
  /* Two pauses, given out of order and overlapping. */
  { "24x7/overlapping-pauses", SA_SLA_CLOCK_24X7, 180, "2025-02-06 10:00",
    { "2025-02-06 12:00", "2025-02-06 13:00", "2025-02-06 11:00", "2025-02-06 12:30", NULL },
    "2025-02-06 15:00:00" },
  /* A pause before the start and one after the due change nothing. */
  { "24x7/pauses-outside", SA_SLA_CLOCK_24X7, 60, "2025-02-06 10:00",
    { "2025-02-06 08:00", "2025-02-06 09:00", "2025-02-06 11:00", "2025-02-06 12:00", NULL },
    "2025-02-06 11:00:00" },
  /* Started while already paused. */
  { "24x7/start-paused", SA_SLA_CLOCK_24X7, 60, "2025-02-06 10:00",
    { "2025-02-06 09:00", "2025-02-06 10:30", NULL }, "2025-02-06 11:30:00" },
  /* Waiting for the applicant still: no due. */
  { "24x7/open-pause", SA_SLA_CLOCK_24X7, 60, "2025-02-06 10:00",
    { "2025-02-06 10:30", "open", NULL }, "none" },
  /* An open pause after the time ran out does not hide the overdue. */
  { "24x7/open-pause-after-due", SA_SLA_CLOCK_24X7, 60, "2025-02-06 10:00",
    { "2025-02-06 11:30", "open", NULL }, "2025-02-06 11:00:00" },
  /* Working hours: Friday 17:00 + 9 h = 1 h Friday, 10 March is off, 8 h on the 11th. */
  { "hours/over-holiday", SA_SLA_CLOCK_WORKING_HOURS, 9 * 60, "2025-03-07 17:00", { NULL },
    "2025-03-11 17:00:00" },
  { "hours/start-saturday", SA_SLA_CLOCK_WORKING_HOURS, 120, "2025-02-08 10:00", { NULL },
    "2025-02-10 11:00:00" },
  { "hours/start-early-morning", SA_SLA_CLOCK_WORKING_HOURS, 60, "2025-02-06 07:00", { NULL },
    "2025-02-06 10:00:00" },
  { "hours/start-at-close", SA_SLA_CLOCK_WORKING_HOURS, 30, "2025-02-06 18:00", { NULL },
    "2025-02-07 09:30:00" },
  { "hours/start-late-evening", SA_SLA_CLOCK_WORKING_HOURS, 30, "2025-02-06 23:30", { NULL },
    "2025-02-07 09:30:00" },
  { "hours/ends-at-close", SA_SLA_CLOCK_WORKING_HOURS, 60, "2025-02-06 17:00", { NULL },
    "2025-02-06 18:00:00" },
  /* Working Sunday 5 January 2025 counts; 7 January does not. */
  { "hours/working-sunday", SA_SLA_CLOCK_WORKING_HOURS, 18 * 60, "2025-01-04 12:00", { NULL },
    "2025-01-06 18:00:00" },
  { "hours/pause-overnight", SA_SLA_CLOCK_WORKING_HOURS, 240, "2025-02-11 10:00",
    { "2025-02-11 11:00", "2025-02-12 10:00", NULL }, "2025-02-12 13:00:00" },
  { "hours/year-end", SA_SLA_CLOCK_WORKING_HOURS, 3 * 9 * 60, "2025-12-30 09:00", { NULL },
    "2026-01-05 18:00:00" },
  { "hours/zero-minutes", SA_SLA_CLOCK_WORKING_HOURS, 0, "2025-02-08 10:00", { NULL },
    "2025-02-08 10:00:00" },
};

static gint64
parse_almaty (const char *s)
{
  int y, mo, d, h, mi;

  g_assert_cmpint (sscanf (s, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi), ==, 5);
  return at (y, mo, d, h, mi, 0);
}

static void
test_operational_case (gconstpointer data)
{
  /* The operational due counts only the regulation's clock, less the pauses. */
  const OpCase *c = data;
  SaRegulation reg = { c->minutes, c->minutes, c->clock };
  SaPause pauses[3];
  guint n = 0;
  gint64 start = parse_almaty (c->start), due;

  for (; c->pauses[2 * n] != NULL; n++)
    {
      pauses[n].start = parse_almaty (c->pauses[2 * n]);
      pauses[n].end = g_str_equal (c->pauses[2 * n + 1], "open")
                      ? SA_SLA_PAUSE_OPEN : parse_almaty (c->pauses[2 * n + 1]);
    }

  due = sa_sla_operational_due (cal, &reg, SA_SLA_TARGET_RESOLUTION, start, pauses, n);
  if (g_str_equal (c->due, "none"))
    {
      g_assert_cmpint (due, ==, SA_SLA_NO_DUE);
      return;
    }
  assert_almaty (due, c->due);
  /* The counted time from start to due is exactly the regulation. */
  g_assert_cmpint (sa_sla_counted_seconds (cal, c->clock, start, due, pauses, n), ==,
                   (gint64)c->minutes * 60);
}

static void
test_operational_targets (void)
{
  /* Reaction and resolution come from their own fields of the regulation. */
  SaRegulation manhole = { 3 * 60, 24 * 60, SA_SLA_CLOCK_24X7 };
  gint64 start = at (2025, 6, 6, 10, 0, 0);

  g_assert_cmpint (sa_sla_operational_due (cal, &manhole, SA_SLA_TARGET_REACTION, start, NULL, 0),
                   ==, start + 3 * 3600);
  g_assert_cmpint (sa_sla_operational_due (cal, &manhole, SA_SLA_TARGET_RESOLUTION, start, NULL,
                                           0), ==, start + 24 * 3600);
}

static void
test_paused_remaining (void)
{
  /* While paused, the counted time so far tells how much of the regulation is left. */
  gint64 start = at (2025, 2, 6, 17, 0, 0);
  SaPause open = { at (2025, 2, 7, 10, 30, 0), SA_SLA_PAUSE_OPEN };

  /* 17:00–18:00 Thursday and 09:00–10:30 Friday. */
  g_assert_cmpint (sa_sla_counted_seconds (cal, SA_SLA_CLOCK_WORKING_HOURS, start,
                                           at (2025, 2, 10, 12, 0, 0), &open, 1), ==,
                   150 * 60);
}

/* ---- traffic light --------------------------------------------------------------- */

typedef struct
{
  gint64 now;
  SaTrafficLight light;
} LightCase;

static void
test_traffic_light_default (void)
{
  /* Yellow below 50% of the time left, red below 20%, overdue after the due second. */
  static const LightCase cases[] = {
    { -5, SA_TRAFFIC_LIGHT_GREEN },
    { 0, SA_TRAFFIC_LIGHT_GREEN },
    { 500, SA_TRAFFIC_LIGHT_GREEN },     /* exactly 50% left */
    { 501, SA_TRAFFIC_LIGHT_YELLOW },
    { 800, SA_TRAFFIC_LIGHT_YELLOW },    /* exactly 20% left */
    { 801, SA_TRAFFIC_LIGHT_RED },
    { 1000, SA_TRAFFIC_LIGHT_RED },      /* the due second itself is still in time */
    { 1001, SA_TRAFFIC_LIGHT_OVERDUE },
  };
  SaSlaThresholds t;

  sa_sla_thresholds_init_default (&t);
  g_assert_cmpuint (t.yellow_below_percent, ==, 50);
  g_assert_cmpuint (t.red_below_percent, ==, 20);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (sa_sla_traffic_light (&t, 0, 1000, cases[i].now), ==, cases[i].light);
      g_assert_cmpint (sa_sla_traffic_light (NULL, 0, 1000, cases[i].now), ==, cases[i].light);
    }
}

static void
test_nearer_due (void)
{
  /* The light follows the nearer deadline: an emergency's hours lead its legal days. */
  g_assert_cmpint (sa_sla_nearer_due (2000, 1000), ==, 1000);
  g_assert_cmpint (sa_sla_nearer_due (1000, 2000), ==, 1000);
  g_assert_cmpint (sa_sla_nearer_due (1000, 0), ==, 1000);
  g_assert_cmpint (sa_sla_nearer_due (0, 2000), ==, 2000);
  g_assert_cmpint (sa_sla_nearer_due (0, 0), ==, 0);
}

static void
test_traffic_light_configured (void)
{
  /* Thresholds from the registry change the colours; invalid ones are recognised. */
  SaSlaThresholds t = { 70, 10 };
  SaSlaThresholds bad = { 20, 50 };
  SaTrafficLight light;

  g_assert_true (sa_sla_thresholds_are_valid (&t));
  g_assert_false (sa_sla_thresholds_are_valid (&bad));
  g_assert_cmpint (sa_sla_traffic_light (&t, 0, 100, 29), ==, SA_TRAFFIC_LIGHT_GREEN);
  g_assert_cmpint (sa_sla_traffic_light (&t, 0, 100, 31), ==, SA_TRAFFIC_LIGHT_YELLOW);
  g_assert_cmpint (sa_sla_traffic_light (&t, 0, 100, 91), ==, SA_TRAFFIC_LIGHT_RED);
  /* A paused clock has no due and stays green; a zero-length span is red until overdue. */
  g_assert_cmpint (sa_sla_traffic_light (&t, 0, SA_SLA_NO_DUE, 1000), ==, SA_TRAFFIC_LIGHT_GREEN);
  g_assert_cmpint (sa_sla_traffic_light (&t, 50, 50, 50), ==, SA_TRAFFIC_LIGHT_RED);

  for (SaTrafficLight l = SA_TRAFFIC_LIGHT_GREEN; l <= SA_TRAFFIC_LIGHT_OVERDUE; l++)
    {
      g_assert_true (sa_traffic_light_from_string (sa_traffic_light_to_string (l), &light));
      g_assert_cmpint (light, ==, l);
    }
  g_assert_cmpstr (sa_traffic_light_to_string (SA_TRAFFIC_LIGHT_OVERDUE), ==, "overdue");
  g_assert_false (sa_traffic_light_from_string ("blue", &light));
  g_assert_false (sa_traffic_light_from_string (NULL, &light));
}

static void
test_traffic_light_next_change (void)
{
  /* The next change is the very second the colour changes: the same colour up to it, another
   * at it. */
  static const SaSlaThresholds thresholds[] = { { 50, 20 }, { 70, 10 }, { 100, 0 }, { 33, 17 } };
  static const gint64 spans[] = { 0, 1, 2, 3, 7, 99, 100, 101, 250, 1003 };

  for (guint i = 0; i < G_N_ELEMENTS (thresholds); i++)
    for (guint j = 0; j < G_N_ELEMENTS (spans); j++)
      {
        const SaSlaThresholds *t = &thresholds[i];
        gint64 start = 1000, due = start + spans[j];

        for (gint64 now = start - 3; now <= due + 3; now++)
          {
            SaTrafficLight light = sa_sla_traffic_light (t, start, due, now);
            gint64 next = sa_sla_traffic_light_next_change (t, start, due, now);

            if (light == SA_TRAFFIC_LIGHT_OVERDUE)
              {
                g_assert_cmpint (next, ==, SA_SLA_NO_DUE);
                continue;
              }
            g_assert_cmpint (next, >, now);
            g_assert_cmpint (next, <=, due + 1);
            for (gint64 n = now; n < next; n++)
              g_assert_cmpint (sa_sla_traffic_light (t, start, due, n), ==, light);
            g_assert_cmpint (sa_sla_traffic_light (t, start, due, next), !=, light);
          }
      }

  /* Defaults for NULL; exactly 50% left is still green; a paused clock never changes. */
  g_assert_cmpint (sa_sla_traffic_light_next_change (NULL, 0, 1000, 0), ==, 501);
  g_assert_cmpint (sa_sla_traffic_light_next_change (NULL, 0, 1000, 501), ==, 801);
  g_assert_cmpint (sa_sla_traffic_light_next_change (NULL, 0, 1000, 801), ==, 1001);
  g_assert_cmpint (sa_sla_traffic_light_next_change (NULL, 0, 1000, 1000), ==, 1001);
  g_assert_cmpint (sa_sla_traffic_light_next_change (NULL, 0, SA_SLA_NO_DUE, 5), ==, SA_SLA_NO_DUE);
  /* Nor does a span near the limit of gint64 overflow. */
  g_assert_cmpint (sa_sla_traffic_light_next_change (NULL, 0, G_MAXINT64 - 1, 0), ==,
                   G_MAXINT64 - 1 - (G_MAXINT64 - 1) / 2 + 1);
}

/* ---- words ------------------------------------------------------------------------ */

#define MIN_ 60
#define HOUR_ (60 * MIN_)
#define DAY_ (24 * HOUR_)

typedef struct
{
  gint64 seconds_left;
  const char *short_text;
  const char *long_text;
} WordsCase;

static const WordsCase words_en[] = {
  { 2 * DAY_ + 4 * HOUR_, "2 d 4 h", "2 days 4 hours left" },
  { 17 * MIN_, "17 min", "17 minutes left" },
  { -3 * HOUR_, "−3 h", "overdue by 3 hours" },
  { 1 * DAY_, "1 d", "1 day left" },
  { 1 * HOUR_ + 1, "1 h 1 min", "1 hour 1 minute left" },
  /* Rounded up while time is left, so "1 min" lasts until the due. */
  { 16 * MIN_ + 1, "17 min", "17 minutes left" },
  { 1, "1 min", "1 minute left" },
  { 0, "1 min", "1 minute left" },
  { -1, "−1 min", "overdue by 1 minute" },
  { -2 * MIN_ - 59, "−2 min", "overdue by 2 minutes" },
  { -DAY_ - 23 * HOUR_, "−1 d", "overdue by 1 day" },
  { -5 * DAY_, "−5 d", "overdue by 5 days" },
};

static const WordsCase words_ru[] = {
  { 2 * DAY_ + 4 * HOUR_, "2 дн. 4 ч", "осталось 2 дня 4 часа" },
  { 17 * MIN_, "17 мин", "осталось 17 минут" },
  { -3 * HOUR_, "−3 ч", "просрочено на 3 часа" },
  /* one / few / many, and the teens */
  { 1 * DAY_ + 1 * HOUR_, "1 дн. 1 ч", "осталось 1 день 1 час" },
  { 5 * DAY_ + 11 * HOUR_, "5 дн. 11 ч", "осталось 5 дней 11 часов" },
  { 21 * DAY_ + 22 * HOUR_, "21 дн. 22 ч", "осталось 21 день 22 часа" },
  { 12 * DAY_, "12 дн.", "осталось 12 дней" },
  { 1 * MIN_, "1 мин", "осталось 1 минута" },
  { 21 * MIN_, "21 мин", "осталось 21 минута" },
  { 2 * HOUR_ + 3 * MIN_, "2 ч 3 мин", "осталось 2 часа 3 минуты" },
  { 11 * HOUR_ + 14 * MIN_, "11 ч 14 мин", "осталось 11 часов 14 минут" },
  /* After "на" the long unit is accusative: минуту, not минута. */
  { -1 * MIN_, "−1 мин", "просрочено на 1 минуту" },
  { -22 * MIN_, "−22 мин", "просрочено на 22 минуты" },
  { -25 * MIN_, "−25 мин", "просрочено на 25 минут" },
  { -21 * HOUR_, "−21 ч", "просрочено на 21 час" },
  { -1 * DAY_, "−1 дн.", "просрочено на 1 день" },
  { -111 * DAY_, "−111 дн.", "просрочено на 111 дней" },
};

static const WordsCase words_kk[] = {
  { 2 * DAY_ + 4 * HOUR_, "2 күн 4 сағ", "2 күн 4 сағат қалды" },
  { 17 * MIN_, "17 мин", "17 минут қалды" },
  { -3 * HOUR_, "−3 сағ", "3 сағат кешікті" },
  { 1 * DAY_ + 1 * HOUR_, "1 күн 1 сағ", "1 күн 1 сағат қалды" },
  { 1 * MIN_, "1 мин", "1 минут қалды" },
  { -1 * DAY_, "−1 күн", "1 күн кешікті" },
  { -5 * MIN_, "−5 мин", "5 минут кешікті" },
};

static char *locale_dir;

static void
use_language (const char *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  /* A real change of locale makes glibc's gettext drop its cache of
   * looked-up messages; "C" alone would make it ignore LANGUAGE. */
  setlocale (LC_ALL, "C");
  setlocale (LC_ALL, "C.UTF-8");
}

static void
check_words (const WordsCase *cases, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *s = sa_sla_format_countdown (cases[i].seconds_left, SA_COUNTDOWN_SHORT);
      g_autofree char *l = sa_sla_format_countdown (cases[i].seconds_left, SA_COUNTDOWN_LONG);

      g_assert_cmpstr (s, ==, cases[i].short_text);
      g_assert_cmpstr (l, ==, cases[i].long_text);
    }
}

static void
test_words_en (void)
{
  /* English source strings: "2 d 4 h" in a row, "2 days 4 hours left" in the detail view. */
  use_language ("en");
  check_words (words_en, G_N_ELEMENTS (words_en));
}

static void
test_words_ru (void)
{
  /* Russian picks the one/few/many form for 1, 2–4, 5–20 and again for 21, 22, 25, 111. */
  use_language ("ru");
  check_words (words_ru, G_N_ELEMENTS (words_ru));
  use_language ("en");
}

static void
test_words_kk (void)
{
  /* Kazakh keeps the noun singular after a numeral and puts "қалды" after the amount. */
  use_language ("kk");
  check_words (words_kk, G_N_ELEMENTS (words_kk));
  use_language ("en");
}

static void
test_words_next_change (void)
{
  /* The text stays the same until exactly the instant sa_sla_countdown_next_change() gives. */
  use_language ("en");
  for (gint64 s = -3 * DAY_; s < 3 * DAY_; s += 97)
    for (SaCountdownStyle style = SA_COUNTDOWN_SHORT; style <= SA_COUNTDOWN_LONG; style++)
      {
        gint64 n = sa_sla_countdown_next_change (s, style);
        g_autofree char *now = sa_sla_format_countdown (s, style);
        g_autofree char *before = sa_sla_format_countdown (s - (n - 1), style);
        g_autofree char *after = sa_sla_format_countdown (s - n, style);

        g_assert_cmpint (n, >=, 1);
        if (g_strcmp0 (now, before) != 0 || g_strcmp0 (now, after) == 0)
          g_error ("seconds_left %" G_GINT64_FORMAT ": next change in %" G_GINT64_FORMAT
                   " s, but \"%s\" → \"%s\" → \"%s\"", s, n, now, before, after);
      }
}

static void
test_traffic_light_notice (void)
{
  /* A notice of extension owed and late makes the light red whatever the
   * time left; on time, or none owed, the light is as the share says;
   * overdue stays overdue; the light changes the second after notify_by. */
  gint64 start = 0, due = 100 * 3600, notify_by = 10 * 3600;

  g_assert_cmpint (sa_sla_traffic_light_with_notice (NULL, start, due, 5 * 3600, notify_by), ==,
                   SA_TRAFFIC_LIGHT_GREEN);
  g_assert_cmpint (sa_sla_traffic_light_with_notice (NULL, start, due, notify_by, notify_by), ==,
                   SA_TRAFFIC_LIGHT_GREEN);
  g_assert_cmpint (sa_sla_traffic_light_with_notice (NULL, start, due, notify_by + 1, notify_by),
                   ==, SA_TRAFFIC_LIGHT_RED);
  g_assert_cmpint (sa_sla_traffic_light_with_notice (NULL, start, due, notify_by + 1, 0), ==,
                   SA_TRAFFIC_LIGHT_GREEN);
  g_assert_cmpint (sa_sla_traffic_light_with_notice (NULL, start, due, due + 1, notify_by), ==,
                   SA_TRAFFIC_LIGHT_OVERDUE);
  g_assert_cmpint (sa_sla_traffic_light_with_notice_next_change (NULL, start, due, 5 * 3600,
                                                                 notify_by), ==, notify_by + 1);
  g_assert_cmpint (sa_sla_traffic_light_with_notice_next_change (NULL, start, due, 5 * 3600, 0),
                   ==, sa_sla_traffic_light_next_change (NULL, start, due, 5 * 3600));
}

int
main (int argc, char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* The project's own translations, as the build compiled them from po/. */
  locale_dir = g_build_filename (g_getenv ("SA_BUILD_ROOT"), "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  use_language ("en");

  cal = sa_calendar_new_default ();
  almaty = g_time_zone_ref (sa_calendar_get_timezone (cal));

  for (guint i = 0; i < G_N_ELEMENTS (legal_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sa/sla/legal/%s", legal_cases[i].name);
      g_test_add_data_func (path, &legal_cases[i], test_legal_case);
    }
  g_test_add_func ("/sa/sla/legal/every-day-2025-2026", test_legal_every_day);
  g_test_add_func ("/sa/sla/legal/due-in-utc", test_legal_due_utc);
  g_test_add_func ("/sa/sla/legal/ignores-pauses", test_legal_ignores_pauses);
  g_test_add_func ("/sa/sla/extension/cap", test_extension_cap);
  g_test_add_func ("/sa/sla/extension/not-later", test_extension_not_later);
  g_test_add_func ("/sa/sla/extension/limit-dates", test_extension_limit_dates);
  g_test_add_func ("/sa/sla/extension/notify-by", test_extension_notify_by);
  g_test_add_func ("/sa/sla/forward/late", test_forward_late);
  for (guint i = 0; i < G_N_ELEMENTS (op_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sa/sla/operational/%s", op_cases[i].name);
      g_test_add_data_func (path, &op_cases[i], test_operational_case);
    }
  g_test_add_func ("/sa/sla/operational/targets", test_operational_targets);
  g_test_add_func ("/sa/sla/operational/paused-remaining", test_paused_remaining);
  g_test_add_func ("/sa/sla/traffic-light/default", test_traffic_light_default);
  g_test_add_func ("/sa/sla/traffic-light/configured", test_traffic_light_configured);
  g_test_add_func ("/sa/sla/traffic-light/nearer-due", test_nearer_due);
  g_test_add_func ("/sa/sla/traffic-light/next-change", test_traffic_light_next_change);
  g_test_add_func ("/sa/sla/traffic-light/notice", test_traffic_light_notice);
  g_test_add_func ("/sa/sla/words/en", test_words_en);
  g_test_add_func ("/sa/sla/words/ru", test_words_ru);
  g_test_add_func ("/sa/sla/words/kk", test_words_kk);
  g_test_add_func ("/sa/sla/words/next-change", test_words_next_change);

  ret = g_test_run ();

  g_clear_object (&cal);
  g_clear_pointer (&almaty, g_time_zone_unref);
  g_free (locale_dir);
  return ret;
}
