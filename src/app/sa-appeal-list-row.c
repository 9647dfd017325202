/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-list-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-list-row.h"
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

  gtk_label_set_text (self->reg_number, reg_number);
  gtk_label_set_text (self->category, category);
  gtk_label_set_text (self->summary, summary);
  place = g_strjoin (" · ", address ? address : "", district, NULL);
  gtk_label_set_text (self->address, place);
  gtk_label_set_text (self->status, sa_labels_status (status));
  swap_class (GTK_WIDGET (self->status), &self->status_class, sa_labels_status_style (status));
  gtk_widget_set_visible (GTK_WIDGET (self->repeat_icon), is_repeat);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_icon), pending);
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
  gtk_label_set_text (self->sla_chip, "");
  swap_class (GTK_WIDGET (self->sla_chip), &self->light_class, NULL);
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
