/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-preferences-window.h"

struct _SaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSwitch            *notify_assigned;
  GtkSwitch            *notify_red;
  GtkSwitch            *notify_overdue;
  GtkSwitch            *notify_replies;
  AdwEntryRow          *registry_row;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (SaPreferencesWindow, sa_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/**
 * sa_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 * @settings: the application's settings
 *
 * Returns: (transfer full): a preferences window bound to @settings
 */
GtkWidget *
sa_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  SaPreferencesWindow *self;
  g_autofree char *url = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (SA_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "notify-assigned", self->notify_assigned, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-red", self->notify_red, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-overdue", self->notify_overdue, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-replies", self->notify_replies, "active",
                   G_SETTINGS_BIND_DEFAULT);
  url = g_settings_get_string (settings, "registry-url");
  gtk_editable_set_text (GTK_EDITABLE (self->registry_row), url);

  return GTK_WIDGET (self);
}

/* The address is applied explicitly (not on every keystroke) because
 * changing it means signing in again somewhere else. */
static void
registry_apply_cb (SaPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->registry_row));
  g_autofree char *url = g_strstrip (g_strdup (text));
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
    {
      AdwToast *toast = adw_toast_new (_("The registry address must start with https:// or http://."));

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
      return;
    }

  g_settings_set_string (self->settings, "registry-url", url);
  /* A new address needs a new sign-in there. */
  g_settings_set_string (self->settings, "account-login", "");
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.sign-out", NULL);
}

static void
sa_preferences_window_dispose (GObject *object)
{
  SaPreferencesWindow *self = SA_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sa_preferences_window_parent_class)->dispose (object);
}

static void
sa_preferences_window_class_init (SaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SaPreferencesWindow, notify_assigned);
  gtk_widget_class_bind_template_child (widget_class, SaPreferencesWindow, notify_red);
  gtk_widget_class_bind_template_child (widget_class, SaPreferencesWindow, notify_overdue);
  gtk_widget_class_bind_template_child (widget_class, SaPreferencesWindow, notify_replies);
  gtk_widget_class_bind_template_child (widget_class, SaPreferencesWindow, registry_row);
  gtk_widget_class_bind_template_callback (widget_class, registry_apply_cb);
}

static void
sa_preferences_window_init (SaPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
