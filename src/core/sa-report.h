/* sa-report.h: the figures supervisors and the city are judged by
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sa-appeal-model.h"
#include "sa-sla.h"

G_BEGIN_DECLS

/**
 * SaReportAppeal:
 * @agency: the lead agency's code
 * @category: the category's code
 * @sphere: the category's sphere ("heating", "water", …)
 * @district: (nullable): the district's code
 * @executor: (nullable): the executor's login
 * @status: where the appeal is now
 * @received_at: unix seconds
 * @legal_due_at: the legal deadline as it stands (extensions included)
 * @operational_due_at: the category's operational deadline, or 0
 * @answered_at: when it was answered, or 0 while it is not
 * @n_forwards: how often it was forwarded
 * @n_late_forwards: how many of those came later than the law allows
 * @n_extensions: how often its deadline was extended
 * @is_repeat: the same applicant asked the same before
 * @rating: the applicant's rating 1–5, or 0 when none was given
 * @disagreed: the applicant disagreed with an answer at least once
 * @notice_due: sa_appeal_notice_due(): a notice of extension owed by
 *   then, or 0; once late the appeal counts red at least
 *
 * One appeal as the figures see it. The desk fills these from its cache,
 * the registry from its database, so that both count with the same rules.
 */
typedef struct
{
  const char     *agency;
  const char     *category;
  const char     *sphere;
  const char     *district;
  const char     *executor;
  SaAppealStatus  status;
  gint64          received_at;
  gint64          legal_due_at;
  gint64          operational_due_at;
  gint64          answered_at;
  guint           n_forwards;
  guint           n_late_forwards;
  guint           n_extensions;
  gboolean        is_repeat;
  guint           rating;
  gboolean        disagreed;
  gint64          notice_due;
} SaReportAppeal;

/**
 * SaReportGrouping:
 * @SA_REPORT_BY_AGENCY: a row per lead agency
 * @SA_REPORT_BY_CATEGORY: a row per category
 * @SA_REPORT_BY_SPHERE: a row per sphere
 * @SA_REPORT_BY_DISTRICT: a row per district (appeals with none in a row of their own)
 * @SA_REPORT_BY_EXECUTOR: a row per executor (unassigned appeals in a row of their own)
 *
 * What a report's rows are.
 */
typedef enum
{
  SA_REPORT_BY_AGENCY,
  SA_REPORT_BY_CATEGORY,
  SA_REPORT_BY_SPHERE,
  SA_REPORT_BY_DISTRICT,
  SA_REPORT_BY_EXECUTOR,
} SaReportGrouping;

/**
 * SaReportPeriod:
 * @from: the first second of the period (00:00 Almaty time of its first day)
 * @to: the first second after it (00:00 Almaty time of the day after its last)
 */
typedef struct
{
  gint64 from;
  gint64 to;
} SaReportPeriod;

/**
 * SaReportRow:
 * @key: (nullable): the agency, category, sphere, district or executor;
 *   %NULL for appeals that have none, and for the total
 * @received: appeals received in the period
 * @answered: appeals answered in the period
 * @answered_in_legal: of those, answered by the legal deadline
 * @with_operational: of those, how many had an operational deadline
 * @answered_in_operational: of those, answered by it
 * @median_seconds: the median time from receipt to answer of the answered ones
 * @p90_seconds: its 90th percentile (nearest rank)
 * @forwards: forwards of the appeals received in the period
 * @late_forwards: of those, later than the law allows
 * @extensions: extensions of the appeals received in the period
 * @repeats: repeat appeals received in the period
 * @rated: answered appeals the applicant rated
 * @rating_sum: the sum of those ratings (the mean is @rating_sum / @rated)
 * @disagreed: answered appeals whose applicant disagreed
 * @lights: the appeals whose clock runs now, by #SaTrafficLight
 *
 * The figures of one group. A period's figures count what happened in it;
 * @lights is the state at the moment the report was made.
 */
typedef struct
{
  char   *key;
  guint   received;
  guint   answered;
  guint   answered_in_legal;
  guint   with_operational;
  guint   answered_in_operational;
  gint64  median_seconds;
  gint64  p90_seconds;
  guint   forwards;
  guint   late_forwards;
  guint   extensions;
  guint   repeats;
  guint   rated;
  guint   rating_sum;
  guint   disagreed;
  guint   lights[SA_TRAFFIC_LIGHT_OVERDUE + 1];
} SaReportRow;

void            sa_report_row_free          (SaReportRow             *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaReportRow, sa_report_row_free)

gboolean        sa_report_period_from_dates (const char              *first_day,
                                             const char              *last_day,
                                             SaReportPeriod          *out_period,
                                             GError                 **error);
gint64          sa_report_appeal_due        (const SaReportAppeal    *appeal);
GPtrArray      *sa_report_compute           (const SaReportAppeal    *appeals,
                                             guint                    n_appeals,
                                             SaReportGrouping         grouping,
                                             const SaReportPeriod    *period,
                                             gint64                   now,
                                             const SaSlaThresholds   *thresholds,
                                             SaReportRow            **out_total);
char           *sa_report_to_csv            (GPtrArray               *rows,
                                             const SaReportRow       *total,
                                             const char * const      *headings);

G_END_DECLS
