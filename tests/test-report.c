/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "sa-report.h"

/* Almaty time, as a person reads it: "2026-12-01 10:00". */
static gint64
at (const char *local)
{
  g_autofree char *iso = g_strdup_printf ("%.10sT%s:00+05:00", local, local + 11);
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

#define IN_PROGRESS SA_APPEAL_STATUS_IN_PROGRESS

/* A small week, counted by hand in the comments. The period is
 * 30.11.2026–06.12.2026, the report is made on 07.12.2026 at 12:00. */
static SaReportAppeal week[10];

static void
fill_week (void)
{
  SaReportAppeal a[] = {
    /* 1: answered in 10 h, in both deadlines, rated 5, forwarded once in time. */
    { "AGENCY-A", "heating.cold", "heating", "d1", "e1", SA_APPEAL_STATUS_CLOSED,
      at ("2026-12-01 10:00"), at ("2026-12-10 18:00"), at ("2026-12-02 10:00"),
      at ("2026-12-01 20:00"), 1, 0, 0, FALSE, 5, FALSE },
    /* 2: answered in 24 h, after its operational deadline; a repeat, forwarded
     * twice (once late); the applicant disagreed, it was answered again, rated 2. */
    { "AGENCY-A", "heating.cold", "heating", "d1", "e2", SA_APPEAL_STATUS_ANSWERED,
      at ("2026-12-02 09:00"), at ("2026-12-20 18:00"), at ("2026-12-02 21:00"),
      at ("2026-12-03 09:00"), 2, 1, 0, TRUE, 2, TRUE },
    /* 3: in work, extended once, 19 of 21 days left: green. */
    { "AGENCY-A", "water.leak", "water", "d2", "e1", IN_PROGRESS,
      at ("2026-12-05 12:00"), at ("2026-12-26 12:00"), 0, 0, 0, 0, 1, FALSE, 0, FALSE },
    /* 4: received at 23:00 on the day before the period; overdue now, nobody on it. */
    { "AGENCY-B", "water.leak", "water", NULL, NULL, SA_APPEAL_STATUS_REGISTERED,
      at ("2026-11-29 23:00"), at ("2026-12-07 10:00"), 0, 0, 0, 0, 0, FALSE, 0, FALSE },
    /* 5: received at the period's first second, answered at the first second after it. */
    { "AGENCY-B", "water.leak", "water", "d2", "e3", SA_APPEAL_STATUS_ANSWERED,
      at ("2026-11-30 00:00"), at ("2026-12-20 18:00"), 0, at ("2026-12-07 00:00"),
      0, 0, 0, FALSE, 0, FALSE },
    /* 6: all of it before the period. */
    { "AGENCY-A", "heating.cold", "heating", "d1", "e1", SA_APPEAL_STATUS_CLOSED,
      at ("2026-11-20 10:00"), at ("2026-12-04 18:00"), 0, at ("2026-11-25 10:00"),
      3, 3, 1, TRUE, 1, TRUE },
    /* 7: its operational deadline (the nearer) passed last night: overdue. */
    { "AGENCY-A", "heating.cold", "heating", "d1", "e2", IN_PROGRESS,
      at ("2026-12-06 08:00"), at ("2026-12-27 18:00"), at ("2026-12-06 20:00"), 0,
      0, 0, 0, FALSE, 0, FALSE },
    /* 8: 1 of 7 days left (14 % < 20 %): red. */
    { "AGENCY-A", "roads.pothole", "roads", "d2", "e3", IN_PROGRESS,
      at ("2026-12-01 12:00"), at ("2026-12-08 12:00"), 0, 0, 0, 0, 0, FALSE, 0, FALSE },
    /* 9: 2 of 6 days left (33 % < 50 %): yellow. */
    { "AGENCY-A", "roads.pothole", "roads", "d2", "e3", IN_PROGRESS,
      at ("2026-12-03 12:00"), at ("2026-12-09 12:00"), 0, 0, 0, 0, 0, FALSE, 0, FALSE },
    /* 10: waiting for the applicant's answer to a question: its clock still runs. */
    { "AGENCY-B", "water.leak", "water", "d2", "e3", SA_APPEAL_STATUS_INFO_REQUESTED,
      at ("2026-12-04 12:00"), at ("2026-12-25 12:00"), 0, 0, 0, 0, 0, FALSE, 0, FALSE },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (a) == G_N_ELEMENTS (week));
  memcpy (week, a, sizeof a);
}

static const SaReportRow *
row_for (GPtrArray  *rows,
         const char *key)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const SaReportRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (row->key, key) == 0)
        return row;
    }
  g_assert_not_reached ();
}

static void
compute (SaReportGrouping   grouping,
         GPtrArray        **out_rows,
         SaReportRow      **out_total)
{
  g_autoptr(GError) error = NULL;
  SaReportPeriod period;

  g_assert_true (sa_report_period_from_dates ("2026-11-30", "2026-12-06", &period, &error));
  g_assert_no_error (error);
  *out_rows = sa_report_compute (week, G_N_ELEMENTS (week), grouping, &period,
                                 at ("2026-12-07 12:00"), NULL, out_total);
}

static void
test_period (void)
{
  g_autoptr(GError) error = NULL;
  SaReportPeriod p;

  /* Whole days of Almaty time: 00:00 of the first day to 00:00 after the last. */
  g_assert_true (sa_report_period_from_dates ("2026-11-30", "2026-12-06", &p, &error));
  g_assert_cmpint (p.from, ==, at ("2026-11-30 00:00"));
  g_assert_cmpint (p.to, ==, at ("2026-12-07 00:00"));
  g_assert_true (sa_report_period_from_dates ("2026-12-31", "2026-12-31", &p, &error));
  g_assert_cmpint (p.to - p.from, ==, 24 * 3600);

  g_assert_false (sa_report_period_from_dates ("2026-12-07", "2026-12-01", &p, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "before it begins"));
  g_clear_error (&error);
  g_assert_false (sa_report_period_from_dates ("2026-02-30", "2026-03-01", &p, &error));
  g_assert_nonnull (strstr (error->message, "“2026-02-30” is not a date"));
  g_clear_error (&error);
  g_assert_false (sa_report_period_from_dates ("30.11.2026", "2026-12-01", &p, &error));
  g_clear_error (&error);
  g_assert_false (sa_report_period_from_dates ("2026-11-30x", "2026-12-01", &p, &error));
}

static void
test_by_agency (void)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(SaReportRow) total = NULL;
  const SaReportRow *a, *b;

  compute (SA_REPORT_BY_AGENCY, &rows, &total);
  g_assert_cmpuint (rows->len, ==, 2);
  a = g_ptr_array_index (rows, 0);
  b = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (a->key, ==, "AGENCY-A");
  g_assert_cmpstr (b->key, ==, "AGENCY-B");

  /* A received 1, 2, 3, 7, 8, 9 in the week (6 is older); answered 1 and 2. */
  g_assert_cmpuint (a->received, ==, 6);
  g_assert_cmpuint (a->answered, ==, 2);
  g_assert_cmpuint (a->answered_in_legal, ==, 2);
  g_assert_cmpuint (a->with_operational, ==, 2);
  g_assert_cmpuint (a->answered_in_operational, ==, 1);
  /* 10 h and 24 h: the median by nearest rank is the first, the 90th the second. */
  g_assert_cmpint (a->median_seconds, ==, 10 * 3600);
  g_assert_cmpint (a->p90_seconds, ==, 24 * 3600);
  g_assert_cmpuint (a->forwards, ==, 3);
  g_assert_cmpuint (a->late_forwards, ==, 1);
  g_assert_cmpuint (a->extensions, ==, 1);
  g_assert_cmpuint (a->repeats, ==, 1);
  g_assert_cmpuint (a->rated, ==, 2);
  g_assert_cmpuint (a->rating_sum, ==, 7);
  g_assert_cmpuint (a->disagreed, ==, 1);
  /* Now: 3 green, 9 yellow, 8 red, 7 overdue; the answered and closed have no light. */
  g_assert_cmpuint (a->lights[SA_TRAFFIC_LIGHT_GREEN], ==, 1);
  g_assert_cmpuint (a->lights[SA_TRAFFIC_LIGHT_YELLOW], ==, 1);
  g_assert_cmpuint (a->lights[SA_TRAFFIC_LIGHT_RED], ==, 1);
  g_assert_cmpuint (a->lights[SA_TRAFFIC_LIGHT_OVERDUE], ==, 1);

  /* B: 5 came at the period's first second (counted), 4 the evening before (not);
   * 5 was answered at the first second after the week (not counted). */
  g_assert_cmpuint (b->received, ==, 2);
  g_assert_cmpuint (b->answered, ==, 0);
  g_assert_cmpint (b->median_seconds, ==, 0);
  g_assert_cmpuint (b->lights[SA_TRAFFIC_LIGHT_OVERDUE], ==, 1);
  g_assert_cmpuint (b->lights[SA_TRAFFIC_LIGHT_GREEN], ==, 1);

  /* The total is the sum of the rows, and its times are of all answered. */
  g_assert_null (total->key);
  g_assert_cmpuint (total->received, ==, 8);
  g_assert_cmpuint (total->answered, ==, 2);
  g_assert_cmpuint (total->lights[SA_TRAFFIC_LIGHT_OVERDUE], ==, 2);
  g_assert_cmpuint (total->lights[SA_TRAFFIC_LIGHT_GREEN], ==, 2);
  g_assert_cmpint (total->p90_seconds, ==, 24 * 3600);
}

static void
test_by_district_and_executor (void)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(SaReportRow) total = NULL;
  const SaReportRow *last;

  /* An appeal without a district has a row of its own, last. */
  compute (SA_REPORT_BY_DISTRICT, &rows, &total);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (((SaReportRow *) g_ptr_array_index (rows, 0))->key, ==, "d1");
  g_assert_cmpuint (row_for (rows, "d1")->received, ==, 3);
  g_assert_cmpuint (row_for (rows, "d2")->received, ==, 5);
  g_assert_cmpuint (row_for (rows, "d1")->disagreed, ==, 1);
  last = g_ptr_array_index (rows, 2);
  g_assert_null (last->key);
  g_assert_cmpuint (last->received, ==, 0);
  g_assert_cmpuint (last->lights[SA_TRAFFIC_LIGHT_OVERDUE], ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&total, sa_report_row_free);

  /* By executor: the ratings of each one's answers. */
  compute (SA_REPORT_BY_EXECUTOR, &rows, &total);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpuint (row_for (rows, "e1")->rating_sum, ==, 5);
  g_assert_cmpuint (row_for (rows, "e2")->rating_sum, ==, 2);
  g_assert_cmpuint (row_for (rows, "e2")->answered_in_operational, ==, 0);
  g_assert_cmpuint (row_for (rows, "e3")->lights[SA_TRAFFIC_LIGHT_RED], ==, 1);
  g_assert_null (((SaReportRow *) g_ptr_array_index (rows, 3))->key);
}

static void
test_csv (void)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(SaReportRow) total = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  const char * const headings[] = { "District", "No district", "All, \"city\"" };

  compute (SA_REPORT_BY_DISTRICT, &rows, &total);
  csv = sa_report_to_csv (rows, total, headings);
  lines = g_strsplit (csv, "\r\n", -1);
  /* A heading, three districts, the total, and the empty string after the last CRLF. */
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_true (g_str_has_prefix (lines[0], "District,Received,Answered,"));
  g_assert_true (g_str_has_suffix (lines[0], ",Green now,Yellow now,Red now,Overdue now"));
  /* d1: 3 received, 2 answered, both by the legal deadline, 1 of 2 by the
   * operational one, 10 h and 24 h, 3 forwards (1 late), no extension,
   * 1 repeat, mean rating 3.5, 1 disagreed; now 0 green, 0 yellow, 0 red, 1 overdue. */
  g_assert_cmpstr (lines[1], ==, "d1,3,2,100.0,50.0,10.0,24.0,3,1,0,1,3.50,1,0,0,0,1");
  /* Nothing answered: the shares, times and rating stay empty, not 0. */
  g_assert_cmpstr (lines[3], ==, "No district,0,0,,,,,0,0,0,0,,0,0,0,0,1");
  /* A text with a comma or a quote is quoted, its quotes doubled. */
  g_assert_true (g_str_has_prefix (lines[4], "\"All, \"\"city\"\"\",8,2,"));
  g_assert_cmpstr (lines[5], ==, "");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  fill_week ();
  g_test_add_func ("/sa/report/period", test_period);
  g_test_add_func ("/sa/report/by-agency", test_by_agency);
  g_test_add_func ("/sa/report/by-district-and-executor", test_by_district_and_executor);
  g_test_add_func ("/sa/report/csv", test_csv);
  return g_test_run ();
}
