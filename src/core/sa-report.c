/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-report"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "sa-report.h"

/* The rules are in docs/reports.md; each is written once, here, for the
 * desk's dashboard and the registry's `report` alike. */

void
sa_report_row_free (SaReportRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_free (row);
}

/* YYYY-MM-DD, digits where digits belong, a day the calendar has. */
static gboolean
parse_day (const char  *text,
           guint        plus_days,
           gint64      *out_midnight,
           GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;
  gboolean shaped = text != NULL && strlen (text) == 10;

  for (guint i = 0; shaped && i < 10; i++)
    shaped = i == 4 || i == 7 ? text[i] == '-' : g_ascii_isdigit (text[i]);
  if (shaped)
    {
      guint y = (guint) g_ascii_strtoull (text, NULL, 10);
      guint m = (guint) g_ascii_strtoull (text + 5, NULL, 10);
      guint d = (guint) g_ascii_strtoull (text + 8, NULL, 10);

      if (g_date_valid_dmy (d, m, y))
        {
          g_autoptr(GDateTime) day = g_date_time_new (sa_appeal_time_zone (), y, m, d, 0, 0, 0);

          dt = g_date_time_add_days (day, plus_days);
        }
    }
  if (dt == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a date; write it as YYYY-MM-DD"), text != NULL ? text : "");
      return FALSE;
    }
  *out_midnight = g_date_time_to_unix (dt);
  return TRUE;
}

/**
 * sa_report_period_from_dates:
 * @first_day: the period's first day, `YYYY-MM-DD`
 * @last_day: its last day, `YYYY-MM-DD`, included
 * @out_period: (out): the period in unix seconds
 * @error: set when a date is not one, or the period ends before it begins
 *
 * Periods are whole days of Almaty time, as the city counts them.
 *
 * Returns: whether @out_period was set
 */
gboolean
sa_report_period_from_dates (const char      *first_day,
                             const char      *last_day,
                             SaReportPeriod  *out_period,
                             GError         **error)
{
  gint64 from, to;

  g_return_val_if_fail (out_period != NULL, FALSE);

  if (!parse_day (first_day, 0, &from, error) || !parse_day (last_day, 1, &to, error))
    return FALSE;
  if (to <= from)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The period ends (%s) before it begins (%s)"), last_day, first_day);
      return FALSE;
    }
  out_period->from = from;
  out_period->to = to;
  return TRUE;
}

/**
 * sa_report_appeal_due:
 * @appeal: an appeal
 *
 * Returns: the deadline its traffic light counts down to: the nearer of
 *   the legal and the operational one, as the list's chip does
 */
gint64
sa_report_appeal_due (const SaReportAppeal *appeal)
{
  g_return_val_if_fail (appeal != NULL, 0);

  return sa_sla_nearer_due (appeal->legal_due_at, appeal->operational_due_at);
}

static const char *
group_key (const SaReportAppeal *a,
           SaReportGrouping      grouping)
{
  switch (grouping)
    {
    case SA_REPORT_BY_AGENCY:
      return a->agency;
    case SA_REPORT_BY_CATEGORY:
      return a->category;
    case SA_REPORT_BY_SPHERE:
      return a->sphere;
    case SA_REPORT_BY_DISTRICT:
      return a->district;
    case SA_REPORT_BY_EXECUTOR:
    default:
      return a->executor;
    }
}

typedef struct
{
  SaReportRow *row;
  GArray      *times;  /* gint64: receipt to answer, of those answered in the period */
} Group;

static void
group_free (gpointer data)
{
  Group *g = data;

  sa_report_row_free (g->row);
  g_array_unref (g->times);
  g_free (g);
}

static Group *
group_new (const char *key)
{
  Group *g = g_new0 (Group, 1);

  g->row = g_new0 (SaReportRow, 1);
  g->row->key = g_strdup (key);
  g->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  return g;
}

static void
count (Group                 *g,
       const SaReportAppeal  *a,
       const SaReportPeriod  *period,
       gint64                 now,
       const SaSlaThresholds *thresholds)
{
  SaReportRow *row = g->row;

  if (a->received_at >= period->from && a->received_at < period->to)
    {
      row->received++;
      row->forwards += a->n_forwards;
      row->late_forwards += a->n_late_forwards;
      row->extensions += a->n_extensions;
      row->repeats += a->is_repeat ? 1 : 0;
    }
  if (a->answered_at != 0 && a->answered_at >= period->from && a->answered_at < period->to)
    {
      gint64 took = a->answered_at - a->received_at;

      row->answered++;
      row->answered_in_legal += a->answered_at <= a->legal_due_at ? 1 : 0;
      if (a->operational_due_at != 0)
        {
          row->with_operational++;
          row->answered_in_operational += a->answered_at <= a->operational_due_at ? 1 : 0;
        }
      g_array_append_val (g->times, took);
      if (a->rating >= 1 && a->rating <= 5)
        {
          row->rated++;
          row->rating_sum += a->rating;
        }
      row->disagreed += a->disagreed ? 1 : 0;
    }
  if (sa_appeal_status_in (a->status, SA_STATUS_SET_CLOCK_RUNNING))
    row->lights[sa_sla_traffic_light_with_notice (thresholds, a->received_at,
                                                  sa_report_appeal_due (a), now,
                                                  a->notice_due)]++;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least @percent of them at or below it. */
static gint64
percentile (GArray *sorted,
            guint   percent)
{
  guint rank;

  if (sorted->len == 0)
    return 0;
  rank = (sorted->len * percent + 99) / 100;
  return g_array_index (sorted, gint64, MAX (rank, 1) - 1);
}

static void
finish (Group *g)
{
  g_array_sort (g->times, compare_gint64);
  g->row->median_seconds = percentile (g->times, 50);
  g->row->p90_seconds = percentile (g->times, 90);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const SaReportRow *x = *(SaReportRow * const *) a;
  const SaReportRow *y = *(SaReportRow * const *) b;

  /* The ones without a key (no district, nobody assigned) go last. */
  if (x->key == NULL || y->key == NULL)
    return (x->key == NULL) - (y->key == NULL);
  return strcmp (x->key, y->key);
}

/**
 * sa_report_compute:
 * @appeals: (array length=n_appeals): the appeals the reader may see
 * @n_appeals: how many
 * @grouping: what the rows are
 * @period: the period the figures count
 * @now: the moment the traffic lights are taken at
 * @thresholds: (nullable): the traffic light's thresholds; the defaults if %NULL
 * @out_total: (out) (optional) (transfer full): all appeals as one row
 *
 * Returns: (transfer full) (element-type SaReportRow): a row per group
 *   that has any appeal, by key, the keyless last
 */
GPtrArray *
sa_report_compute (const SaReportAppeal   *appeals,
                   guint                   n_appeals,
                   SaReportGrouping        grouping,
                   const SaReportPeriod   *period,
                   gint64                  now,
                   const SaSlaThresholds  *thresholds,
                   SaReportRow           **out_total)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, group_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_report_row_free);
  Group *keyless = NULL;
  Group *total = group_new (NULL);
  GHashTableIter iter;
  Group *g;

  g_return_val_if_fail (appeals != NULL || n_appeals == 0, NULL);
  g_return_val_if_fail (period != NULL, NULL);

  for (guint i = 0; i < n_appeals; i++)
    {
      const SaReportAppeal *a = &appeals[i];
      const char *key = group_key (a, grouping);

      if (key == NULL)
        g = keyless != NULL ? keyless : (keyless = group_new (NULL));
      else if ((g = g_hash_table_lookup (groups, key)) == NULL)
        {
          g = group_new (key);
          g_hash_table_insert (groups, g->row->key, g);
        }
      count (g, a, period, now, thresholds);
      count (total, a, period, now, thresholds);
    }

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &g))
    {
      finish (g);
      g_ptr_array_add (rows, g_steal_pointer (&g->row));
      g_hash_table_iter_steal (&iter);
      g_array_unref (g->times);
      g_free (g);
    }
  if (keyless != NULL)
    {
      finish (keyless);
      g_ptr_array_add (rows, g_steal_pointer (&keyless->row));
      group_free (keyless);
    }
  g_ptr_array_sort (rows, compare_rows);

  finish (total);
  if (out_total != NULL)
    *out_total = g_steal_pointer (&total->row);
  group_free (total);
  return g_steal_pointer (&rows);
}

typedef struct
{
  GString  *text;
  gboolean  line_start;
} Csv;

static void
csv_field (Csv        *csv,
           const char *text)
{
  GString *out = csv->text;

  if (!csv->line_start)
    g_string_append_c (out, ',');
  csv->line_start = FALSE;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_end_line (Csv *csv)
{
  g_string_append (csv->text, "\r\n");
  csv->line_start = TRUE;
}

static void
csv_number (Csv     *out,
            guint    n)
{
  char buf[16];

  g_snprintf (buf, sizeof buf, "%u", n);
  csv_field (out, buf);
}

/* A share in percent with one decimal, or empty when nothing was counted. */
static void
csv_share (Csv     *out,
           guint    part,
           guint    whole)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (whole == 0)
    csv_field (out, "");
  else
    csv_field (out, g_ascii_formatd (buf, sizeof buf, "%.1f", 100.0 * part / whole));
}

static void
csv_hours (Csv     *out,
           gint64   seconds,
           guint    n)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (n == 0)
    csv_field (out, "");
  else
    csv_field (out, g_ascii_formatd (buf, sizeof buf, "%.1f", seconds / 3600.0));
}

static void
csv_row (Csv               *out,
         const SaReportRow *row,
         const char        *key)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  csv_field (out, key);
  csv_number (out, row->received);
  csv_number (out, row->answered);
  csv_share (out, row->answered_in_legal, row->answered);
  csv_share (out, row->answered_in_operational, row->with_operational);
  csv_hours (out, row->median_seconds, row->answered);
  csv_hours (out, row->p90_seconds, row->answered);
  csv_number (out, row->forwards);
  csv_number (out, row->late_forwards);
  csv_number (out, row->extensions);
  csv_number (out, row->repeats);
  csv_field (out, row->rated == 0 ? ""
                  : g_ascii_formatd (buf, sizeof buf, "%.2f", (double) row->rating_sum / row->rated));
  csv_number (out, row->disagreed);
  for (guint i = 0; i < G_N_ELEMENTS (row->lights); i++)
    csv_number (out, row->lights[i]);
  csv_end_line (out);
}

/**
 * sa_report_to_csv:
 * @rows: (element-type SaReportRow): from sa_report_compute()
 * @total: (nullable): the total row, written last
 * @headings: the key column's heading, then the text for a row without a
 *   key, then the total's: three strings
 *
 * Writes the report as CSV (RFC 4180: comma, CRLF, quotes doubled),
 * numbers with a point, shares in percent and times in hours with one
 * decimal; an empty cell where nothing was counted.
 *
 * Returns: (transfer full): the CSV text, UTF-8
 */
char *
sa_report_to_csv (GPtrArray          *rows,
                  const SaReportRow  *total,
                  const char * const *headings)
{
  Csv csv = { g_string_new (NULL), TRUE };
  Csv *out = &csv;
  const char * const columns[] = {
    NC_("report", "Received"),
    NC_("report", "Answered"),
    NC_("report", "Answered by the legal deadline, %"),
    NC_("report", "Answered by the operational deadline, %"),
    NC_("report", "Median time to answer, h"),
    NC_("report", "90th percentile, h"),
    NC_("report", "Forwards"),
    NC_("report", "Late forwards"),
    NC_("report", "Extensions"),
    NC_("report", "Repeat appeals"),
    NC_("report", "Mean rating"),
    NC_("report", "Disagreed"),
    NC_("report", "Green now"),
    NC_("report", "Yellow now"),
    NC_("report", "Red now"),
    NC_("report", "Overdue now"),
  };

  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (headings != NULL, NULL);

  csv_field (out, headings[0]);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    csv_field (out, g_dpgettext2 (GETTEXT_PACKAGE, "report", columns[i]));
  csv_end_line (out);
  for (guint i = 0; i < rows->len; i++)
    {
      const SaReportRow *row = g_ptr_array_index (rows, i);

      csv_row (out, row, row->key != NULL ? row->key : headings[1]);
    }
  if (total != NULL)
    csv_row (out, total, headings[2]);
  return g_string_free (csv.text, FALSE);
}
