/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-sla"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sa-calendar-private.h"
#include "sa-sla.h"

/* The two clocks of an appeal (rules in docs/sla.md):
 *
 *  - the legal one (APPK art. 76) counts working days on the Kazakhstan
 *    calendar and never stops;
 *  - the operational one counts minutes of a category's regulation, either
 *    around the clock or in working hours, and stands while the executor
 *    waits for the applicant.
 *
 * Everything here is unix seconds in gint64: the registry computes deadlines
 * for every appeal on each change and the client for every visible row on
 * each tick, so GDateTime is kept to the edges (sa-calendar.c's tables). */

G_DEFINE_QUARK (sa-sla-error-quark, sa_sla_error)

/* ---- legal clock ------------------------------------------------------- */

/**
 * sa_sla_legal_due:
 * @cal: the working calendar
 * @received_at: when the appeal was received, unix seconds
 *
 * The legal deadline of APPK art. 76: the day of receipt does not count,
 * day 1 is the first working day after the Almaty date of receipt, and the
 * appeal is due at 23:59:59 Almaty time on the 15th working day.
 *
 * Returns: the deadline, unix seconds (the last second that is still in time)
 */
gint64
sa_sla_legal_due (SaCalendar *cal,
                  gint64      received_at)
{
  g_return_val_if_fail (SA_IS_CALENDAR (cal), 0);

  return sa_calendar_add_working_days (cal, received_at, SA_SLA_LEGAL_WORKING_DAYS);
}

/**
 * sa_sla_extension_limit:
 * @cal: the working calendar
 * @received_at: when the appeal was received, unix seconds
 *
 * The latest legal deadline an extension may set: "up to two months in all"
 * is taken as the Almaty date of receipt plus two calendar months (clamped
 * to the month's last day: 31 December gives 28/29 February), at 23:59:59
 * Almaty time. It is not moved off a day off: the cap is the law's outer
 * bound, and moving it would lengthen it.
 *
 * Returns: the cap, unix seconds
 */
gint64
sa_sla_extension_limit (SaCalendar *cal,
                        gint64      received_at)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) noon = NULL;
  GDate date;
  int y, m, d;

  g_return_val_if_fail (SA_IS_CALENDAR (cal), 0);

  utc = g_date_time_new_from_unix_utc (received_at);
  local = g_date_time_to_timezone (utc, sa_calendar_get_timezone (cal));
  g_date_time_get_ymd (local, &y, &m, &d);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  g_date_add_months (&date, SA_SLA_MAX_EXTENSION_MONTHS);

  /* Noon is safely inside the date whatever the zone does at midnight. */
  noon = g_date_time_new (sa_calendar_get_timezone (cal), g_date_get_year (&date),
                          g_date_get_month (&date), g_date_get_day (&date), 12, 0, 0);
  return sa_calendar_day_end (cal, g_date_time_to_unix (noon));
}

static char *
format_almaty_date (SaCalendar *cal, gint64 t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, sa_calendar_get_timezone (cal));

  return g_date_time_format (local, "%Y-%m-%d");
}

/**
 * sa_sla_extend_legal_due:
 * @cal: the working calendar
 * @received_at: when the appeal was received, unix seconds
 * @requested_due: the new deadline the supervisor asks for, unix seconds
 * @out_due: (out) (optional): the new deadline
 * @error: return location for a #GError
 *
 * Checks a supervisor's extension. The deadline is a date: @requested_due
 * becomes 23:59:59 Almaty time on its Almaty date. It must be later than the
 * unextended legal deadline (%SA_SLA_ERROR_EXTENSION_NOT_LATER) and not later
 * than sa_sla_extension_limit() (%SA_SLA_ERROR_EXTENSION_TOO_LONG). The
 * registry also records that the applicant must be told by
 * sa_sla_extension_notify_by().
 *
 * Returns: %TRUE if the extension is allowed
 */
gboolean
sa_sla_extend_legal_due (SaCalendar  *cal,
                         gint64       received_at,
                         gint64       requested_due,
                         gint64      *out_due,
                         GError     **error)
{
  gint64 due, limit, legal;

  g_return_val_if_fail (SA_IS_CALENDAR (cal), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  due = sa_calendar_day_end (cal, requested_due);
  limit = sa_sla_extension_limit (cal, received_at);
  legal = sa_sla_legal_due (cal, received_at);

  if (due > limit)
    {
      g_autofree char *limit_str = format_almaty_date (cal, limit);

      g_set_error (error, SA_SLA_ERROR, SA_SLA_ERROR_EXTENSION_TOO_LONG,
                   /* Translators: %s is a date, 2026-03-15 */
                   _("The deadline can be extended to %s at the latest, "
                     "two months from the receipt"),
                   limit_str);
      return FALSE;
    }
  if (due <= legal)
    {
      g_autofree char *legal_str = format_almaty_date (cal, legal);

      g_set_error (error, SA_SLA_ERROR, SA_SLA_ERROR_EXTENSION_NOT_LATER,
                   /* Translators: %s is a date, 2026-03-15 */
                   _("An extended deadline must be later than %s"), legal_str);
      return FALSE;
    }

  if (out_due != NULL)
    *out_due = due;
  return TRUE;
}

/**
 * sa_sla_extension_notify_by:
 * @cal: the working calendar
 * @extended_at: when the supervisor extended the deadline, unix seconds
 *
 * The applicant must be told of an extension within 3 working days, counted
 * like the legal deadline (the day of the decision does not count).
 *
 * Returns: 23:59:59 Almaty time on the 3rd working day after @extended_at
 */
gint64
sa_sla_extension_notify_by (SaCalendar *cal,
                            gint64      extended_at)
{
  g_return_val_if_fail (SA_IS_CALENDAR (cal), 0);

  return sa_calendar_add_working_days (cal, extended_at, SA_SLA_NOTIFY_WORKING_DAYS);
}

/**
 * sa_sla_forward_deadline:
 * @cal: the working calendar
 * @received_at: when the appeal was received, unix seconds
 *
 * An appeal sent to the wrong agency must be forwarded within 3 working days
 * of receipt.
 *
 * Returns: 23:59:59 Almaty time on the 3rd working day after @received_at
 */
gint64
sa_sla_forward_deadline (SaCalendar *cal,
                         gint64      received_at)
{
  g_return_val_if_fail (SA_IS_CALENDAR (cal), 0);

  return sa_calendar_add_working_days (cal, received_at, SA_SLA_FORWARD_WORKING_DAYS);
}

/**
 * sa_sla_forward_is_late:
 * @cal: the working calendar
 * @received_at: when the appeal was received, unix seconds
 * @forwarded_at: when it was forwarded, unix seconds
 *
 * Returns: %TRUE if @forwarded_at is after sa_sla_forward_deadline()
 */
gboolean
sa_sla_forward_is_late (SaCalendar *cal,
                        gint64      received_at,
                        gint64      forwarded_at)
{
  g_return_val_if_fail (SA_IS_CALENDAR (cal), FALSE);

  return forwarded_at > sa_sla_forward_deadline (cal, received_at);
}

/* ---- operational clock ------------------------------------------------- */

static int
compare_pauses (gconstpointer a, gconstpointer b)
{
  const SaPause *pa = a, *pb = b;

  return (pa->start > pb->start) - (pa->start < pb->start);
}

/* Pauses sorted by start; few appeals have more than a couple, so they are
 * sorted on the stack when they fit. */
#define STACK_PAUSES 8

typedef struct
{
  SaPause        stack[STACK_PAUSES];
  SaPause       *sorted;
  guint          n;
  guint          next;   /* first pause that may still matter */
} PauseCursor;

static void
pause_cursor_init (PauseCursor *c, const SaPause *pauses, guint n_pauses)
{
  gboolean is_sorted = TRUE;

  c->n = n_pauses;
  c->next = 0;
  for (guint i = 1; i < n_pauses && is_sorted; i++)
    is_sorted = pauses[i - 1].start <= pauses[i].start;
  if (is_sorted)
    {
      c->sorted = (SaPause *)pauses;
      return;
    }
  c->sorted = n_pauses <= STACK_PAUSES ? c->stack : g_new (SaPause, n_pauses);
  memcpy (c->sorted, pauses, n_pauses * sizeof (SaPause));
  qsort (c->sorted, n_pauses, sizeof (SaPause), compare_pauses);
}

static void
pause_cursor_clear (PauseCursor *c, const SaPause *pauses)
{
  if (c->sorted != pauses && c->sorted != c->stack)
    g_free (c->sorted);
}

/* Where the clock runs next from @t: sets [*seg_start, *seg_end), the next
 * stretch of counted time at or after @t. Returns FALSE if it never runs
 * again (an open pause). */
static gboolean
next_segment (SaCalendar  *cal,
              SaSlaClock   clock,
              PauseCursor *c,
              gint64       t,
              gint64      *seg_start,
              gint64      *seg_end)
{
  for (;;)
    {
      gint64 s, e;

      if (clock == SA_SLA_CLOCK_24X7)
        {
          s = t;
          e = G_MAXINT64;
        }
      else if (!_sa_calendar_next_working_window (cal, t, &s, &e))
        {
          return FALSE;
        }
      if (s < t)
        s = t;

      while (c->next < c->n && c->sorted[c->next].end <= s)
        c->next++;
      if (c->next < c->n && c->sorted[c->next].start <= s)
        {
          /* Paused at s: jump to when the pause ends, skipping overlaps too. */
          gint64 resume = c->sorted[c->next].end;

          for (guint i = c->next + 1; i < c->n && c->sorted[i].start <= resume; i++)
            resume = MAX (resume, c->sorted[i].end);
          if (resume == SA_SLA_PAUSE_OPEN)
            return FALSE;
          t = resume;
          continue;
        }
      if (c->next < c->n && c->sorted[c->next].start < e)
        e = c->sorted[c->next].start;

      *seg_start = s;
      *seg_end = e;
      return TRUE;
    }
}

/**
 * sa_sla_operational_due:
 * @cal: the working calendar
 * @reg: the category's regulation
 * @target: reaction or resolution
 * @start: when the clock started (registration of the appeal), unix seconds
 * @pauses: (array length=n_pauses) (nullable): intervals [start, end) the clock stood
 * @n_pauses: number of @pauses
 *
 * The moment the regulation's minutes of counted time run out. On
 * %SA_SLA_CLOCK_24X7 every second counts; on %SA_SLA_CLOCK_WORKING_HOURS
 * only 09:00–18:00 Almaty time on working days. Pauses (waiting for the
 * applicant) are left out; they may overlap and come in any order. The legal
 * deadline ignores pauses: see sa_sla_legal_due().
 *
 * Returns: the deadline in unix seconds, or %SA_SLA_NO_DUE while an open
 *   pause stops the clock before the time runs out
 */
gint64
sa_sla_operational_due (SaCalendar         *cal,
                        const SaRegulation *reg,
                        SaSlaTarget         target,
                        gint64              start,
                        const SaPause      *pauses,
                        guint               n_pauses)
{
  PauseCursor c;
  gint64 remaining, t, result = SA_SLA_NO_DUE;

  g_return_val_if_fail (SA_IS_CALENDAR (cal), SA_SLA_NO_DUE);
  g_return_val_if_fail (reg != NULL, SA_SLA_NO_DUE);
  g_return_val_if_fail (pauses != NULL || n_pauses == 0, SA_SLA_NO_DUE);

  remaining = (gint64)(target == SA_SLA_TARGET_REACTION ? reg->reaction_minutes
                                                        : reg->resolution_minutes) * 60;
  if (remaining == 0)
    return start;

  pause_cursor_init (&c, pauses, n_pauses);
  t = start;
  for (;;)
    {
      gint64 s, e;

      if (!next_segment (cal, reg->clock, &c, t, &s, &e))
        break;
      if (e == G_MAXINT64 || remaining <= e - s)
        {
          result = s + remaining;
          break;
        }
      remaining -= e - s;
      t = e;
    }
  pause_cursor_clear (&c, pauses);
  return result;
}

/**
 * sa_sla_counted_seconds:
 * @cal: the working calendar
 * @clock: which time counts
 * @from: start of the span, unix seconds
 * @to: end of the span (excluded), unix seconds
 * @pauses: (array length=n_pauses) (nullable): intervals [start, end) the clock stood
 * @n_pauses: number of @pauses
 *
 * How much counted time lies in [@from, @to): e.g. how much of the
 * regulation an appeal had used when it was paused, to show "paused,
 * 2 h 10 min left".
 *
 * Returns: seconds
 */
gint64
sa_sla_counted_seconds (SaCalendar    *cal,
                        SaSlaClock     clock,
                        gint64         from,
                        gint64         to,
                        const SaPause *pauses,
                        guint          n_pauses)
{
  PauseCursor c;
  gint64 total = 0, t = from;

  g_return_val_if_fail (SA_IS_CALENDAR (cal), 0);
  g_return_val_if_fail (pauses != NULL || n_pauses == 0, 0);

  pause_cursor_init (&c, pauses, n_pauses);
  while (t < to)
    {
      gint64 s, e;

      if (!next_segment (cal, clock, &c, t, &s, &e) || s >= to)
        break;
      total += MIN (e, to) - s;
      t = e;
    }
  pause_cursor_clear (&c, pauses);
  return total;
}

/* ---- traffic light ------------------------------------------------------ */

/**
 * sa_sla_thresholds_init_default:
 * @t: thresholds to fill
 *
 * Yellow below 50% of the time left, red below 20%.
 */
void
sa_sla_thresholds_init_default (SaSlaThresholds *t)
{
  g_return_if_fail (t != NULL);

  t->yellow_below_percent = SA_SLA_DEFAULT_YELLOW_BELOW_PERCENT;
  t->red_below_percent = SA_SLA_DEFAULT_RED_BELOW_PERCENT;
}

/**
 * sa_sla_thresholds_are_valid:
 * @t: thresholds
 *
 * Returns: %TRUE if 0 ≤ red < yellow ≤ 100, what the registry should accept
 *   from an administrator
 */
gboolean
sa_sla_thresholds_are_valid (const SaSlaThresholds *t)
{
  g_return_val_if_fail (t != NULL, FALSE);

  return t->red_below_percent < t->yellow_below_percent && t->yellow_below_percent <= 100;
}

/**
 * sa_sla_nearer_due:
 * @legal: the legal deadline, or 0 when there is none
 * @operational: the operational deadline, or 0 when there is none
 *
 * The deadline an appeal's traffic light and countdown follow: the nearer
 * of the two, so that an emergency's hours lead its legal days.
 *
 * Returns: the nearer deadline, or 0 when there is neither
 */
gint64
sa_sla_nearer_due (gint64 legal,
                   gint64 operational)
{
  if (legal != 0 && operational != 0)
    return MIN (legal, operational);
  return legal != 0 ? legal : operational;
}

/**
 * sa_sla_traffic_light:
 * @t: (nullable): thresholds, or %NULL for the defaults
 * @start: when the clock started, unix seconds
 * @due: the deadline (the last second in time), unix seconds
 * @now: the present, unix seconds
 *
 * The colour from the share of the time left, (due − now) / (due − start),
 * in wall-clock time: red when it is below @t's red share, yellow below the
 * yellow share, green otherwise, and overdue once @now is past @due. A
 * paused operational clock (@due = %SA_SLA_NO_DUE) is green.
 *
 * Returns: the traffic light
 */
SaTrafficLight
sa_sla_traffic_light (const SaSlaThresholds *t,
                      gint64                 start,
                      gint64                 due,
                      gint64                 now)
{
  gint64 total, left;
  guint yellow = SA_SLA_DEFAULT_YELLOW_BELOW_PERCENT;
  guint red = SA_SLA_DEFAULT_RED_BELOW_PERCENT;

  if (t != NULL)
    {
      yellow = t->yellow_below_percent;
      red = t->red_below_percent;
    }

  if (due == SA_SLA_NO_DUE)
    return SA_TRAFFIC_LIGHT_GREEN;
  if (now > due)
    return SA_TRAFFIC_LIGHT_OVERDUE;

  total = due - start;
  left = due - now;
  if (total <= 0)
    return SA_TRAFFIC_LIGHT_RED;
  /* left/total < red/100, without floating point; fine up to ~2900 years. */
  if (left * 100 < (gint64)red * total)
    return SA_TRAFFIC_LIGHT_RED;
  if (left * 100 < (gint64)yellow * total)
    return SA_TRAFFIC_LIGHT_YELLOW;
  return SA_TRAFFIC_LIGHT_GREEN;
}

/* The largest number of seconds left at which the light is already the
 * colour of @percent: left * 100 < percent * total, so left ≤
 * ⌈percent × total / 100⌉ − 1. Split so that it cannot overflow. */
static gint64
last_left_of (guint  percent,
              gint64 total)
{
  return total / 100 * percent + ((total % 100) * percent + 99) / 100 - 1;
}

/**
 * sa_sla_traffic_light_next_change:
 * @t: (nullable): thresholds, or %NULL for the defaults
 * @start: when the clock started, unix seconds
 * @due: the deadline (the last second in time), unix seconds
 * @now: the present, unix seconds
 *
 * The first second after @now at which sa_sla_traffic_light() gives another
 * colour, for waking up exactly then (sa_clock_request_wakeup()) instead of
 * polling: exactly 50% left is still green, so yellow starts one second
 * later; the due second is still red, so overdue starts at @due + 1.
 *
 * Returns: unix seconds, or %SA_SLA_NO_DUE if the light never changes again
 *   (overdue, or a paused clock without a due)
 */
gint64
sa_sla_traffic_light_next_change (const SaSlaThresholds *t,
                                  gint64                 start,
                                  gint64                 due,
                                  gint64                 now)
{
  guint percents[2] = { SA_SLA_DEFAULT_YELLOW_BELOW_PERCENT, SA_SLA_DEFAULT_RED_BELOW_PERCENT };
  gint64 total, next;

  if (t != NULL)
    {
      percents[0] = t->yellow_below_percent;
      percents[1] = t->red_below_percent;
    }

  if (due == SA_SLA_NO_DUE || now > due)
    return SA_SLA_NO_DUE;

  next = due + 1;
  total = due - start;
  /* A span of zero or less is red from the start, as in sa_sla_traffic_light(). */
  for (guint i = 0; total > 0 && i < G_N_ELEMENTS (percents); i++)
    {
      gint64 at = due - last_left_of (percents[i], total);

      if (at > now)
        next = MIN (next, at);
    }
  return next;
}

/**
 * sa_sla_notice_is_late:
 * @notice_due: by when the applicant must be told of an extension, unix
 *   seconds; 0 when no notice is owed (no extension, or a notice was sent)
 * @now: the present, unix seconds
 *
 * docs/replies.md: after an extension the applicant is told within
 * %SA_SLA_NOTIFY_WORKING_DAYS working days; from then until a notice is
 * sent, the appeal is red whatever its share of time left.
 *
 * Returns: whether the notice owed is late at @now
 */
gboolean
sa_sla_notice_is_late (gint64 notice_due,
                       gint64 now)
{
  return notice_due != 0 && now > notice_due;
}

/**
 * sa_sla_traffic_light_with_notice:
 * @t: (nullable): the thresholds, or %NULL for the defaults
 * @start: when the clock started, unix seconds
 * @due: the deadline, unix seconds
 * @now: the present, unix seconds
 * @notice_due: by when a notice of extension is owed, or 0 (see
 *   sa_sla_notice_is_late())
 *
 * The traffic light of an appeal: sa_sla_traffic_light(), and red at
 * least while a notice of extension is late. Overdue stays overdue.
 *
 * Returns: the light
 */
SaTrafficLight
sa_sla_traffic_light_with_notice (const SaSlaThresholds *t,
                                  gint64                 start,
                                  gint64                 due,
                                  gint64                 now,
                                  gint64                 notice_due)
{
  SaTrafficLight light = sa_sla_traffic_light (t, start, due, now);

  if (sa_sla_notice_is_late (notice_due, now) && light < SA_TRAFFIC_LIGHT_RED)
    return SA_TRAFFIC_LIGHT_RED;
  return light;
}

/**
 * sa_sla_traffic_light_with_notice_next_change:
 * @t: (nullable): the thresholds, or %NULL for the defaults
 * @start: when the clock started, unix seconds
 * @due: the deadline, unix seconds
 * @now: the present, unix seconds
 * @notice_due: by when a notice of extension is owed, or 0
 *
 * Returns: the first second after @now at which
 *   sa_sla_traffic_light_with_notice() may change, or %SA_SLA_NO_DUE
 */
gint64
sa_sla_traffic_light_with_notice_next_change (const SaSlaThresholds *t,
                                              gint64                 start,
                                              gint64                 due,
                                              gint64                 now,
                                              gint64                 notice_due)
{
  gint64 next = sa_sla_traffic_light_next_change (t, start, due, now);

  if (notice_due != 0 && now <= notice_due)
    next = MIN (next, notice_due + 1);
  return next;
}

static const char * const light_names[] = { "green", "yellow", "red", "overdue" };

/**
 * sa_traffic_light_to_string:
 * @light: a traffic light
 *
 * Returns: the name used in JSON: "green", "yellow", "red" or "overdue"
 */
const char *
sa_traffic_light_to_string (SaTrafficLight light)
{
  g_return_val_if_fail (light <= SA_TRAFFIC_LIGHT_OVERDUE, NULL);

  return light_names[light];
}

/**
 * sa_traffic_light_from_string:
 * @str: (nullable): a name from sa_traffic_light_to_string()
 * @out_light: (out): the traffic light
 *
 * Returns: %TRUE if @str names a traffic light
 */
gboolean
sa_traffic_light_from_string (const char     *str,
                              SaTrafficLight *out_light)
{
  g_return_val_if_fail (out_light != NULL, FALSE);

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (light_names); i++)
    if (g_str_equal (str, light_names[i]))
      {
        *out_light = i;
        return TRUE;
      }
  return FALSE;
}

/* ---- words --------------------------------------------------------------- */

#define MINUTE 60
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

/* Time left shows two units, rounded up to the minute so that "1 min" stays
 * until the deadline itself; time overdue shows the largest unit, rounded
 * down, and at least one minute. */
static gint64
minutes_left (gint64 seconds_left)
{
  return MAX ((seconds_left + MINUTE - 1) / MINUTE, 1);
}

static char *
unit_text (SaCountdownStyle style, char unit, gint64 n)
{
  gulong un = (gulong)n;

  if (style == SA_COUNTDOWN_SHORT)
    {
      switch (unit)
        {
        case 'd':
          /* Translators: a short count of days in a list row, "2 d 4 h" */
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d d", "%d d", un), (int)n);
        case 'h':
          /* Translators: a short count of hours in a list row, "2 d 4 h" */
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d h", "%d h", un), (int)n);
        default:
          /* Translators: a short count of minutes in a list row, "4 h 17 min" */
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min", "%d min", un), (int)n);
        }
    }

  switch (unit)
    {
    case 'd':
      /* Translators: part of "%s left", nominative */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", un), (int)n);
    case 'h':
      /* Translators: part of "%s left", nominative */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", un), (int)n);
    default:
      /* Translators: part of "%s left", nominative */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", un),
                              (int)n);
    }
}

static char *
two_units (SaCountdownStyle style, char big, gint64 nbig, char small, gint64 nsmall)
{
  g_autofree char *a = unit_text (style, big, nbig);
  g_autofree char *b = NULL;

  if (nsmall == 0)
    return g_steal_pointer (&a);
  b = unit_text (style, small, nsmall);
  return g_strconcat (a, " ", b, NULL);
}

/**
 * sa_sla_format_countdown:
 * @seconds_left: due − now in seconds; negative once overdue
 * @style: %SA_COUNTDOWN_SHORT for a list row, %SA_COUNTDOWN_LONG for a detail view
 *
 * Words for a countdown, in the current language with its plural forms.
 * Time left has two units (days and hours from one day on, hours and
 * minutes from one hour, minutes below), rounded up to the minute; time
 * overdue has the largest unit, rounded down, at least one minute.
 *
 * Returns: (transfer full): e.g. "2 дн. 4 ч", "−3 ч" (short, overdue),
 *   "осталось 17 минут", "просрочено на 3 часа"
 */
char *
sa_sla_format_countdown (gint64           seconds_left,
                         SaCountdownStyle style)
{
  g_autofree char *amount = NULL;

  if (seconds_left >= 0)
    {
      gint64 m = minutes_left (seconds_left);

      if (m >= 24 * 60)
        amount = two_units (style, 'd', m / (24 * 60), 'h', (m % (24 * 60)) / 60);
      else if (m >= 60)
        amount = two_units (style, 'h', m / 60, 'm', m % 60);
      else
        amount = unit_text (style, 'm', m);

      if (style == SA_COUNTDOWN_SHORT)
        return g_steal_pointer (&amount);
      /* Translators: %s is an amount of time, "2 days 4 hours" */
      return g_strdup_printf (_("%s left"), amount);
    }
  else
    {
      gint64 over = seconds_left == G_MININT64 ? G_MAXINT64 : -seconds_left;
      gint64 m = MAX (over / MINUTE, 1);
      gulong n;

      if (style == SA_COUNTDOWN_SHORT)
        {
          if (m >= 24 * 60)
            amount = unit_text (style, 'd', m / (24 * 60));
          else if (m >= 60)
            amount = unit_text (style, 'h', m / 60);
          else
            amount = unit_text (style, 'm', m);
          /* Translators: time overdue on a list row's red chip, "−3 h" (a minus sign,
           * U+2212): beside the address it must stay short; screen readers and the
           * chip's tooltip say "overdue by 3 hours" */
          return g_strdup_printf (_("−%s"), amount);
        }

      /* Whole phrases, since a language may decline the unit after "by". */
      if (m >= 24 * 60)
        {
          n = m / (24 * 60);
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "overdue by %d day",
                                               "overdue by %d days", n), (int)n);
        }
      if (m >= 60)
        {
          n = m / 60;
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "overdue by %d hour",
                                               "overdue by %d hours", n), (int)n);
        }
      n = m;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "overdue by %d minute",
                                           "overdue by %d minutes", n), (int)n);
    }
}

/**
 * sa_sla_format_outcome:
 * @margin: due − the time the clock stopped (the answer), in seconds;
 *   negative when the answer came late
 * @style: %SA_COUNTDOWN_SHORT for a list row, %SA_COUNTDOWN_LONG for a detail view
 *
 * How a stopped clock ended, in the largest unit, rounded down.
 *
 * Returns: (transfer full): e.g. "в срок", "answered 2 days before the
 *   deadline", "answered 3 hours late"
 */
char *
sa_sla_format_outcome (gint64           margin,
                       SaCountdownStyle style)
{
  gint64 m = (margin >= 0 ? margin : (margin == G_MININT64 ? G_MAXINT64 : -margin)) / MINUTE;
  gulong n;

  if (style == SA_COUNTDOWN_SHORT)
    {
      g_autofree char *amount = NULL;

      if (margin >= 0)
        /* Translators: a list row's chip for an appeal answered within its deadline */
        return g_strdup (C_("deadline", "on time"));
      m = MAX (m, 1);
      amount = m >= 24 * 60 ? unit_text (style, 'd', m / (24 * 60))
               : m >= 60 ? unit_text (style, 'h', m / 60) : unit_text (style, 'm', m);
      /* Translators: a list row's chip, %s is a short amount of time, "3 d" */
      return g_strdup_printf (_("%s late"), amount);
    }

  /* Whole phrases, since a language may decline the unit. */
  if (margin >= 0)
    {
      if (m < 1)
        return g_strdup (_("answered at the deadline"));
      if (m >= 24 * 60)
        {
          n = m / (24 * 60);
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "answered %d day before the deadline",
                                               "answered %d days before the deadline", n),
                                  (int) n);
        }
      if (m >= 60)
        {
          n = m / 60;
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "answered %d hour before the deadline",
                                               "answered %d hours before the deadline", n),
                                  (int) n);
        }
      n = m;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "answered %d minute before the deadline",
                                           "answered %d minutes before the deadline", n),
                              (int) n);
    }
  m = MAX (m, 1);
  if (m >= 24 * 60)
    {
      n = m / (24 * 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "answered %d day late",
                                           "answered %d days late", n), (int) n);
    }
  if (m >= 60)
    {
      n = m / 60;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "answered %d hour late",
                                           "answered %d hours late", n), (int) n);
    }
  n = m;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "answered %d minute late",
                                       "answered %d minutes late", n), (int) n);
}

/**
 * sa_sla_countdown_next_change:
 * @seconds_left: due − now in seconds, as given to sa_sla_format_countdown()
 * @style: the style shown
 *
 * How long the text of sa_sla_format_countdown() stays the same, so that a
 * row can ask the shared #SaClock to wake it exactly when it changes.
 *
 * Returns: seconds from now until the text changes, at least 1
 */
gint64
sa_sla_countdown_next_change (gint64           seconds_left,
                              SaCountdownStyle style)
{
  gint64 change_at;   /* the value of seconds_left at which the text changes */

  /* Decades overdue: nothing a person would watch change. */
  if (seconds_left < -G_MAXINT32 * (gint64)DAY)
    return G_MAXINT32;

  if (seconds_left >= 0)
    {
      gint64 m = minutes_left (seconds_left);

      if (m >= 24 * 60)
        /* Shows whole hours: changes when the rounded-up minutes drop below
         * the current hour, i.e. at ceil(s/60) = 60h − 1. */
        change_at = MINUTE * (60 * (m / 60) - 1);
      else if (m > 1)
        change_at = MINUTE * (m - 1);
      else
        change_at = -1;   /* "1 min" until the deadline, then overdue */
    }
  else
    {
      gint64 over = -seconds_left;
      gint64 m = MAX (over / MINUTE, 1);

      if (m >= 24 * 60)
        change_at = -DAY * (m / (24 * 60) + 1);
      else if (m >= 60)
        change_at = -HOUR * (m / 60 + 1);
      else
        change_at = -MINUTE * (m + 1);
    }

  return MAX (seconds_left - change_at, 1);
}
