/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sa-calendar.h"

G_BEGIN_DECLS

/* APPK (Administrative Procedural-Process Code) art. 76. */
#define SA_SLA_LEGAL_WORKING_DAYS    15
#define SA_SLA_NOTIFY_WORKING_DAYS   3
#define SA_SLA_FORWARD_WORKING_DAYS  3
#define SA_SLA_MAX_EXTENSION_MONTHS  2

/* Returned by sa_sla_operational_due() while an open pause stops the clock. */
#define SA_SLA_NO_DUE      G_MAXINT64
/* The end of a pause that has not ended yet. */
#define SA_SLA_PAUSE_OPEN  G_MAXINT64

/**
 * SaSlaError:
 * @SA_SLA_ERROR_EXTENSION_TOO_LONG: the requested due lies beyond two calendar
 *   months from the receipt
 * @SA_SLA_ERROR_EXTENSION_NOT_LATER: the requested due is not later than the
 *   legal due without extension
 *
 * Errors in the %SA_SLA_ERROR domain.
 */
typedef enum
{
  SA_SLA_ERROR_EXTENSION_TOO_LONG,
  SA_SLA_ERROR_EXTENSION_NOT_LATER,
} SaSlaError;

#define SA_SLA_ERROR (sa_sla_error_quark ())
GQuark sa_sla_error_quark (void);

/**
 * SaSlaClock:
 * @SA_SLA_CLOCK_24X7: every second counts (emergencies)
 * @SA_SLA_CLOCK_WORKING_HOURS: only 09:00–18:00 Almaty time on working days counts
 */
typedef enum
{
  SA_SLA_CLOCK_24X7,
  SA_SLA_CLOCK_WORKING_HOURS,
} SaSlaClock;

/**
 * SaSlaTarget:
 * @SA_SLA_TARGET_REACTION: the time to react (take the appeal into work, go out)
 * @SA_SLA_TARGET_RESOLUTION: the time to resolve
 */
typedef enum
{
  SA_SLA_TARGET_REACTION,
  SA_SLA_TARGET_RESOLUTION,
} SaSlaTarget;

/**
 * SaRegulation:
 * @reaction_minutes: minutes of counted time to react
 * @resolution_minutes: minutes of counted time to resolve
 * @clock: which time counts
 *
 * A category's regulation for the operational deadline.
 */
typedef struct
{
  guint      reaction_minutes;
  guint      resolution_minutes;
  SaSlaClock clock;
} SaRegulation;

/**
 * SaPause:
 * @start: unix seconds when the clock stopped (e.g. request_info)
 * @end: unix seconds when it ran again, or %SA_SLA_PAUSE_OPEN
 *
 * A half-open interval [start, end) during which the operational clock stands.
 */
typedef struct
{
  gint64 start;
  gint64 end;
} SaPause;

/**
 * SaTrafficLight:
 * @SA_TRAFFIC_LIGHT_GREEN: plenty of time left
 * @SA_TRAFFIC_LIGHT_YELLOW: less than #SaSlaThresholds.yellow_below_percent left
 * @SA_TRAFFIC_LIGHT_RED: less than #SaSlaThresholds.red_below_percent left
 * @SA_TRAFFIC_LIGHT_OVERDUE: the due has passed
 */
typedef enum
{
  SA_TRAFFIC_LIGHT_GREEN,
  SA_TRAFFIC_LIGHT_YELLOW,
  SA_TRAFFIC_LIGHT_RED,
  SA_TRAFFIC_LIGHT_OVERDUE,
} SaTrafficLight;

/**
 * SaSlaThresholds:
 * @yellow_below_percent: yellow when less than this share of the time is left
 * @red_below_percent: red when less than this share of the time is left
 *
 * The one place the traffic light's thresholds live; the registry may
 * configure them and sends them to clients in its reference data.
 */
typedef struct
{
  guint yellow_below_percent;
  guint red_below_percent;
} SaSlaThresholds;

#define SA_SLA_DEFAULT_YELLOW_BELOW_PERCENT 50
#define SA_SLA_DEFAULT_RED_BELOW_PERCENT    20

/**
 * SaCountdownStyle:
 * @SA_COUNTDOWN_SHORT: for a list row: "2 дн. 4 ч", "17 мин", "−3 ч" (overdue)
 * @SA_COUNTDOWN_LONG: for a detail view: "осталось 2 дня 4 часа", "просрочено на 3 часа"
 */
typedef enum
{
  SA_COUNTDOWN_SHORT,
  SA_COUNTDOWN_LONG,
} SaCountdownStyle;

/* Legal clock */
gint64          sa_sla_legal_due                 (SaCalendar             *cal,
                                                  gint64                  received_at);
gint64          sa_sla_extension_limit           (SaCalendar             *cal,
                                                  gint64                  received_at);
gboolean        sa_sla_extend_legal_due          (SaCalendar             *cal,
                                                  gint64                  received_at,
                                                  gint64                  requested_due,
                                                  gint64                 *out_due,
                                                  GError                **error);
gint64          sa_sla_extension_notify_by       (SaCalendar             *cal,
                                                  gint64                  extended_at);
gint64          sa_sla_forward_deadline          (SaCalendar             *cal,
                                                  gint64                  received_at);
gboolean        sa_sla_forward_is_late           (SaCalendar             *cal,
                                                  gint64                  received_at,
                                                  gint64                  forwarded_at);

/* Operational clock */
gint64          sa_sla_operational_due           (SaCalendar             *cal,
                                                  const SaRegulation     *reg,
                                                  SaSlaTarget             target,
                                                  gint64                  start,
                                                  const SaPause          *pauses,
                                                  guint                   n_pauses);
gint64          sa_sla_counted_seconds           (SaCalendar             *cal,
                                                  SaSlaClock              clock,
                                                  gint64                  from,
                                                  gint64                  to,
                                                  const SaPause          *pauses,
                                                  guint                   n_pauses);

/* Traffic light */
gint64          sa_sla_nearer_due                (gint64                  legal,
                                                  gint64                  operational);
void            sa_sla_thresholds_init_default   (SaSlaThresholds        *t);
gboolean        sa_sla_thresholds_are_valid      (const SaSlaThresholds  *t);
SaTrafficLight  sa_sla_traffic_light             (const SaSlaThresholds  *t,
                                                  gint64                  start,
                                                  gint64                  due,
                                                  gint64                  now);
gint64          sa_sla_traffic_light_next_change (const SaSlaThresholds  *t,
                                                  gint64                  start,
                                                  gint64                  due,
                                                  gint64                  now);
gboolean        sa_sla_notice_is_late            (gint64                  notice_due,
                                                  gint64                  now);
SaTrafficLight  sa_sla_traffic_light_with_notice (const SaSlaThresholds  *t,
                                                  gint64                  start,
                                                  gint64                  due,
                                                  gint64                  now,
                                                  gint64                  notice_due);
gint64          sa_sla_traffic_light_with_notice_next_change (const SaSlaThresholds *t,
                                                              gint64                 start,
                                                              gint64                 due,
                                                              gint64                 now,
                                                              gint64                 notice_due);
const char     *sa_traffic_light_to_string       (SaTrafficLight          light);
gboolean        sa_traffic_light_from_string     (const char             *str,
                                                  SaTrafficLight         *out_light);

/* Words */
char           *sa_sla_format_countdown          (gint64                  seconds_left,
                                                  SaCountdownStyle        style);
gint64          sa_sla_countdown_next_change     (gint64                  seconds_left,
                                                  SaCountdownStyle        style);
char           *sa_sla_format_outcome            (gint64                  margin,
                                                  SaCountdownStyle        style);

G_END_DECLS
