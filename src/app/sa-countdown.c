/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-countdown"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-countdown.h"

/**
 * sa_countdown_notice_reason:
 *
 * Returns: (transfer none): why an appeal is red while its applicant
 *   has not been told of an extension in time (sa_sla_notice_is_late())
 */
const char *
sa_countdown_notice_reason (void)
{
  return _("Applicant not yet told of the extension");
}

/**
 * sa_countdown_compute:
 * @start: when the clock started, unix seconds
 * @due: the deadline, unix seconds
 * @now: the present, unix seconds
 * @notice_due: by when a notice of extension is owed (sa_appeal_notice_due()),
 *   or 0: once late, the light is red at least, and @spoken says why
 * @style: short for a list row, long for the detail view
 * @thresholds: (nullable): the traffic-light thresholds, or %NULL for the defaults
 * @text: (out) (transfer full): the time left, as shown
 * @spoken: (out) (transfer full): the time left in words, for screen readers
 *
 * Returns: (transfer none): the traffic light: "green", "yellow", "red" or
 *   "overdue"; @next_change is set to when any of the three next changes,
 *   unix microseconds, for sa_clock_request_wakeup()
 */
const char *
sa_countdown_compute (gint64                  start,
                      gint64                  due,
                      gint64                  now,
                      gint64                  notice_due,
                      SaCountdownStyle        style,
                      const SaSlaThresholds  *thresholds,
                      char                  **text,
                      char                  **spoken,
                      gint64                 *next_change)
{
  SaSlaThresholds defaults;
  gint64 left = due - now;
  gint64 next;

  g_return_val_if_fail (text != NULL && spoken != NULL && next_change != NULL, NULL);

  if (thresholds == NULL)
    {
      sa_sla_thresholds_init_default (&defaults);
      thresholds = &defaults;
    }

  *text = sa_sla_format_countdown (left, style);
  *spoken = style == SA_COUNTDOWN_LONG ? g_strdup (*text)
                                       : sa_sla_format_countdown (left, SA_COUNTDOWN_LONG);
  if (sa_sla_notice_is_late (notice_due, now))
    {
      char *with_reason = g_strconcat (*spoken, ", ", sa_countdown_notice_reason (), NULL);

      g_free (*spoken);
      *spoken = with_reason;
    }
  next = MIN (now + sa_sla_countdown_next_change (left, style),
              sa_sla_traffic_light_with_notice_next_change (thresholds, start, due, now,
                                                            notice_due));
  *next_change = next >= G_MAXINT64 / G_USEC_PER_SEC ? G_MAXINT64 : next * G_USEC_PER_SEC;
  return sa_traffic_light_to_string (sa_sla_traffic_light_with_notice (thresholds, start, due,
                                                                       now, notice_due));
}

/**
 * sa_countdown_apply:
 * @chip: the label showing the countdown
 * @light_class: (inout): the traffic-light CSS class the label has now
 * @start: when the clock started, unix seconds
 * @due: the deadline, unix seconds
 * @now: the present, unix seconds
 * @notice_due: by when a notice of extension is owed, or 0
 * @style: short for a list row, long for the detail view
 * @thresholds: (nullable): the traffic-light thresholds, or %NULL for the defaults
 *
 * Shows the time left on @chip with the traffic light's colour, and gives
 * screen readers the long form in words.
 *
 * Returns: when the chip next needs updating, unix microseconds, for
 *   sa_clock_request_wakeup()
 */
gint64
sa_countdown_apply (GtkLabel               *chip,
                    char                  **light_class,
                    gint64                  start,
                    gint64                  due,
                    gint64                  now,
                    gint64                  notice_due,
                    SaCountdownStyle        style,
                    const SaSlaThresholds  *thresholds)
{
  g_autofree char *text = NULL;
  g_autofree char *spoken = NULL;
  const char *light;
  gint64 next;

  g_return_val_if_fail (GTK_IS_LABEL (chip), G_MAXINT64);
  g_return_val_if_fail (light_class != NULL, G_MAXINT64);

  light = sa_countdown_compute (start, due, now, notice_due, style, thresholds, &text, &spoken,
                                &next);
  gtk_label_set_text (chip, text);
  if (g_strcmp0 (*light_class, light) != 0)
    {
      if (*light_class != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (chip), *light_class);
      g_free (*light_class);
      *light_class = g_strdup (light);
      gtk_widget_add_css_class (GTK_WIDGET (chip), light);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (chip), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
  return next;
}

/**
 * sa_countdown_compute_outcome:
 * @stopped_at: when the clock stopped (the answer), unix seconds
 * @due: the deadline, unix seconds
 * @style: short for a list row, long for the detail view
 * @text: (out) (transfer full): how the clock ended, as shown
 * @spoken: (out) (transfer full): the same in words, for screen readers
 *
 * Returns: (transfer none): the chip's class: "done" when answered in
 *   time, "late" when not
 */
const char *
sa_countdown_compute_outcome (gint64             stopped_at,
                              gint64             due,
                              SaCountdownStyle   style,
                              char             **text,
                              char             **spoken)
{
  g_return_val_if_fail (text != NULL && spoken != NULL, NULL);

  *text = sa_sla_format_outcome (due - stopped_at, style);
  *spoken = sa_sla_format_outcome (due - stopped_at, SA_COUNTDOWN_LONG);
  return stopped_at <= due ? "done" : "late";
}

/**
 * sa_countdown_apply_outcome:
 * @chip: the label showing the countdown
 * @light_class: (inout): the CSS class the label has now
 * @stopped_at: when the clock stopped (the answer), unix seconds
 * @due: the deadline, unix seconds
 * @style: short for a list row, long for the detail view
 *
 * Shows how a stopped clock ended instead of a countdown.
 */
void
sa_countdown_apply_outcome (GtkLabel          *chip,
                            char             **light_class,
                            gint64             stopped_at,
                            gint64             due,
                            SaCountdownStyle   style)
{
  g_autofree char *text = NULL;
  g_autofree char *spoken = NULL;
  const char *kind;

  g_return_if_fail (GTK_IS_LABEL (chip));
  g_return_if_fail (light_class != NULL);

  kind = sa_countdown_compute_outcome (stopped_at, due, style, &text, &spoken);
  gtk_label_set_text (chip, text);
  if (g_strcmp0 (*light_class, kind) != 0)
    {
      if (*light_class != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (chip), *light_class);
      g_free (*light_class);
      *light_class = g_strdup (kind);
      gtk_widget_add_css_class (GTK_WIDGET (chip), kind);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (chip), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}
