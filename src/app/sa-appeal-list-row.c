/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-list-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-list-row.h"
#include "sa-cache.h"
#include "sa-countdown.h"
#include "sa-labels.h"

/* One row of the appeals list. Rows are recycled by GtkListView, so all
 * state comes from bind() and is dropped by unbind(). */

struct _SaAppealListRow
{
  GtkWidget  parent_instance;

  GtkLabel  *reg_number;
  GtkImage  *pending_icon;
  GtkImage  *repeat_icon;
  GtkLabel  *sla_chip;
  GtkLabel  *category;
  GtkLabel  *summary;
  GtkLabel  *address;
  GtkLabel  *status;

  char      *status_class;
  char      *light_class;

  /* The SLA chip's countdown: redrawn when the clock reaches next_change,
   * the instant its text or colour changes, and not before. */
  SaClock   *clock;
  gulong     tick_handler;
  gint64     start;
  gint64     due;
  gint64     next_change;
};

G_DEFINE_FINAL_TYPE (SaAppealListRow, sa_appeal_list_row, GTK_TYPE_WIDGET)

GtkWidget *
sa_appeal_list_row_new (void)
{
  return g_object_new (SA_TYPE_APPEAL_LIST_ROW, NULL);
}

static void
swap_class (GtkWidget   *widget,
            char       **current,
            const char  *wanted)
{
  if (g_strcmp0 (*current, wanted) == 0)
    return;
  if (*current != NULL)
    gtk_widget_remove_css_class (widget, *current);
  g_free (*current);
  *current = g_strdup (wanted);
  if (wanted != NULL)
    gtk_widget_add_css_class (widget, wanted);
}

/**
 * sa_appeal_list_row_bind:
 * @self: a #SaAppealListRow
 * @item: the row's appeal, with the properties of #SaAppealRow
 *
 * Shows @item. The SLA chip is set separately, by the shared clock.
 */
void
sa_appeal_list_row_bind (SaAppealListRow *self,
                         GObject         *item)
{
  g_autofree char *reg_number = NULL;
  g_autofree char *category = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *address = NULL;
  g_autofree char *district = NULL;
  g_autofree char *status = NULL;
  g_autofree char *place = NULL;
  gboolean is_repeat = FALSE, pending = FALSE, unread = FALSE;
  int offline_state = SA_OFFLINE_SYNCED;
  const char *pending_text;

  g_return_if_fail (SA_IS_APPEAL_LIST_ROW (self));
  g_return_if_fail (G_IS_OBJECT (item));

  g_object_get (item,
                "reg-number", &reg_number,
                "category-name", &category,
                "summary", &summary,
                "address", &address,
                "district-name", &district,
                "status", &status,
                "is-repeat", &is_repeat,
                "pending", &pending,
                "unread", &unread,
                NULL);
  /* SaAppealRow tells a conflict or a rejection apart from a change that
   * merely waits to be sent; other items have only "pending". */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (item), "offline-state") != NULL)
    g_object_get (item, "offline-state", &offline_state, NULL);

  gtk_label_set_text (self->reg_number, reg_number);
  gtk_label_set_text (self->category, category);
  gtk_label_set_text (self->summary, summary);
  place = g_strjoin (" · ", address ? address : "", district, NULL);
  gtk_label_set_text (self->address, place);
  gtk_label_set_text (self->status, sa_labels_status (status));
  swap_class (GTK_WIDGET (self->status), &self->status_class, sa_labels_status_style (status));
  gtk_widget_set_visible (GTK_WIDGET (self->repeat_icon), is_repeat);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_icon), pending);
  if (offline_state == SA_OFFLINE_CONFLICT || offline_state == SA_OFFLINE_REJECTED)
    {
      pending_text = offline_state == SA_OFFLINE_CONFLICT
                     ? _("A change met a newer version in the registry and needs your decision")
                     : _("The registry refused a change; see why in the appeal");
      gtk_image_set_from_icon_name (self->pending_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->pending_icon), "warning");
    }
  else
    {
      pending_text = _("Changes not yet sent to the registry");
      gtk_image_set_from_icon_name (self->pending_icon, "emblem-synchronizing-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->pending_icon), "warning");
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->pending_icon), pending_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pending_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, pending_text,
                                  -1);
  if (unread)
    gtk_widget_add_css_class (GTK_WIDGET (self), "unread");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "unread");
}

void
sa_appeal_list_row_unbind (SaAppealListRow *self)
{
  g_return_if_fail (SA_IS_APPEAL_LIST_ROW (self));

  gtk_label_set_text (self->reg_number, "");
  self->due = 0;
  gtk_label_set_text (self->sla_chip, "");
  swap_class (GTK_WIDGET (self->sla_chip), &self->light_class, NULL);
}

static void
sa_appeal_list_row_update_sla (SaAppealListRow *self,
                               gint64           now_usec)
{
  self->next_change = sa_countdown_apply (self->sla_chip, &self->light_class, self->start,
                                          self->due, now_usec / G_USEC_PER_SEC,
                                          SA_COUNTDOWN_SHORT, NULL);
  if (self->next_change != G_MAXINT64)
    sa_clock_request_wakeup (self->clock, self->next_change);
}

static void
clock_tick_cb (SaAppealListRow *self,
               gint64           now_usec,
               SaClock         *clock)
{
  /* Every row hears every tick; only those whose text or colour changes
   * now redraw. */
  if (self->due != 0 && now_usec >= self->next_change)
    sa_appeal_list_row_update_sla (self, now_usec);
}

/**
 * sa_appeal_list_row_set_deadline:
 * @self: a #SaAppealListRow
 * @clock: the shared clock
 * @start: when the appeal was received, unix seconds
 * @due: the nearer deadline, unix seconds, or 0 for no SLA chip (an
 *   answered or closed appeal)
 *
 * Shows the SLA chip, counting down live from @clock: the row asks the
 * clock to wake it only when the chip's text or colour will change.
 */
void
sa_appeal_list_row_set_deadline (SaAppealListRow *self,
                                 SaClock         *clock,
                                 gint64           start,
                                 gint64           due)
{
  g_return_if_fail (SA_IS_APPEAL_LIST_ROW (self));
  g_return_if_fail (SA_IS_CLOCK (clock));

  if (self->clock != clock)
    {
      g_clear_signal_handler (&self->tick_handler, self->clock);
      g_set_object (&self->clock, clock);
      self->tick_handler = g_signal_connect_object (clock, "tick", G_CALLBACK (clock_tick_cb),
                                                    self, G_CONNECT_SWAPPED);
    }

  self->start = start;
  self->due = due;
  gtk_widget_set_visible (GTK_WIDGET (self->sla_chip), due != 0);
  if (due == 0)
    {
      gtk_label_set_text (self->sla_chip, "");
      swap_class (GTK_WIDGET (self->sla_chip), &self->light_class, NULL);
      return;
    }
  sa_appeal_list_row_update_sla (self, sa_clock_get_now (clock));
}

/**
 * sa_appeal_list_row_set_sla:
 * @self: a #SaAppealListRow
 * @text: the countdown, e.g. "2 дн. 4 ч"
 * @light: (nullable): "green", "yellow", "red" or "overdue"
 * @accessible_text: the countdown in words, for screen readers
 *
 * Updates the SLA chip; called when the shared clock ticks.
 */
void
sa_appeal_list_row_set_sla (SaAppealListRow *self,
                            const char      *text,
                            const char      *light,
                            const char      *accessible_text)
{
  g_return_if_fail (SA_IS_APPEAL_LIST_ROW (self));

  /* Set from outside: the clock no longer drives the chip. */
  self->due = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->sla_chip), TRUE);
  gtk_label_set_text (self->sla_chip, text);
  swap_class (GTK_WIDGET (self->sla_chip), &self->light_class, light);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sla_chip),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_text,
                                  -1);
}

static void
sa_appeal_list_row_dispose (GObject *object)
{
  SaAppealListRow *self = SA_APPEAL_LIST_ROW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_APPEAL_LIST_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_pointer (&self->status_class, g_free);
  g_clear_pointer (&self->light_class, g_free);
  g_clear_signal_handler (&self->tick_handler, self->clock);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (sa_appeal_list_row_parent_class)->dispose (object);
}

static void
sa_appeal_list_row_class_init (SaAppealListRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_appeal_list_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-appeal-list-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SaAppealListRow, reg_number);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListRow, pending_icon);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListRow, repeat_icon);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListRow, sla_chip);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListRow, category);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListRow, summary);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListRow, address);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListRow, status);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sa_appeal_list_row_init (SaAppealListRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
