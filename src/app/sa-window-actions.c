/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-window-private.h"

/* The actions of SaWindow (`win.…`) and when they are on: signing in and
 * out, moving between the panes, syncing now, the changes not applied, and
 * the operations the detail asks for with their undo. The list pane's sort
 * and filter actions are its own (sa-appeal-list-pane.c), added here. */

typedef struct
{
  SaWindow *self;
  char     *type;
} OpData;

static void
op_data_free (OpData *data)
{
  g_object_unref (data->self);
  g_free (data->type);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpData, op_data_free)

/* The toast after an operation, in the words of the history. */
static const char *
op_done_message (const char *type)
{
  SaOpType op_type;

  if (sa_op_type_from_string (type, &op_type))
    return sa_op_type_done_label (op_type);
  return _("Change saved");
}

static void
apply_op_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OpData) data = user_data;
  SaWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = NULL;
  AdwToast *toast;

  op_id = sa_cache_apply_local_op_finish (SA_CACHE (object), result, &error);
  if (op_id == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not apply %s: %s", data->type, error->message);
      if (g_error_matches (error, SA_CACHE_ERROR, SA_CACHE_ERROR_NOT_FOUND))
        message = g_strdup (_("This appeal is not on this computer"));
      else
        message = g_strdup_printf (_("Could not save the change: %s"), error->message);
      _sa_window_add_toast (self, adw_toast_new (message));
      return;
    }

  toast = adw_toast_new (op_done_message (data->type));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-op");
  adw_toast_set_action_target_value (toast, g_variant_new_string (op_id));
  _sa_window_add_toast (self, toast);
}

static void
op_requested_cb (SaWindow       *self,
                 const char     *type,
                 JsonObject     *args,
                 SaAppealDetail *detail)
{
  JsonObject *appeal = sa_appeal_detail_get_appeal (self->detail);
  const char *appeal_id;
  OpData *data;

  if (self->cache == NULL || appeal == NULL)
    return;
  appeal_id = json_object_get_string_member_with_default (appeal, "id", NULL);
  if (appeal_id == NULL)
    return;

  data = g_new0 (OpData, 1);
  data->self = g_object_ref (self);
  data->type = g_strdup (type);
  sa_cache_apply_local_op_async (self->cache, appeal_id, type, args,
                                 sa_session_get_cancellable (self->session), apply_op_cb, data);
}

static void
undo_op_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (sa_cache_undo_op_finish (SA_CACHE (object), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Sent, or already applied by the registry and gone from the outbox. */
  if (g_error_matches (error, SA_CACHE_ERROR, SA_CACHE_ERROR_STATE) ||
      g_error_matches (error, SA_CACHE_ERROR, SA_CACHE_ERROR_NOT_FOUND))
    _sa_window_add_toast (self, adw_toast_new (_("Already sent to the registry: "
                                                 "it can no longer be undone")));
  else
    {
      g_autofree char *message = g_strdup_printf (_("Could not undo: %s"), error->message);

      g_warning ("Could not undo: %s", error->message);
      _sa_window_add_toast (self, adw_toast_new (message));
    }
}

static void
undo_op_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  SaWindow *self = SA_WINDOW (widget);

  if (self->cache == NULL)
    return;
  sa_cache_undo_op_async (self->cache, g_variant_get_string (param, NULL),
                          sa_session_get_cancellable (self->session), undo_op_cb,
                          g_object_ref (self));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  SaWindow *self = SA_WINDOW (widget);

  sa_window_sign_in (self,
                     sa_sign_in_page_get_server (self->sign_in),
                     sa_sign_in_page_get_login (self->sign_in),
                     sa_sign_in_page_get_password (self->sign_in));
  sa_sign_in_page_clear_password (self->sign_in);
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  adw_leaflet_set_visible_child_name (SA_WINDOW (widget)->leaflet, "sidebar");
}

static void
show_list_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  SaWindow *self = SA_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  sa_appeal_list_pane_focus_list (self->list_pane);
}

/* Escape: one step back, from the detail to the list to the sections
 * (an open search closes first: sa-window-keys.c). */
static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  SaWindow *self = SA_WINDOW (widget);
  const char *visible;

  if (g_strcmp0 (sa_window_get_page (self), "main") != 0 || !adw_leaflet_get_folded (self->leaflet))
    return;
  visible = adw_leaflet_get_visible_child_name (self->leaflet);
  if (g_strcmp0 (visible, "detail") == 0)
    show_list_action (widget, NULL, NULL);
  else if (g_strcmp0 (visible, "list") == 0)
    show_sidebar_action (widget, NULL, NULL);
}

static void
conflicts_count_cb (SaWindow *self)
{
  guint n = sa_conflicts_view_get_n_entries (self->conflicts);

  /* An open window stays after the last decision and says so itself. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-conflicts", n > 0);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SaWindow *self = SA_WINDOW (widget);

  if (g_strcmp0 (sa_window_get_page (self), "main") != 0)
    return;
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "list");
  sa_appeal_list_pane_start_search (self->list_pane);
}

/* Its own window rather than a pane of the leaflet: the user may keep it
 * beside the desk while looking at the appeals it names. */
static void
show_conflicts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SaWindow *self = SA_WINDOW (widget);

  if (self->conflicts_window == NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkEventController *shortcuts = gtk_shortcut_controller_new ();
      GtkShortcutTrigger *escape = gtk_keyval_trigger_new (GDK_KEY_Escape, 0);
      GtkShortcutAction *close_window = gtk_named_action_new ("window.close");

      self->conflicts_window = GTK_WINDOW (adw_window_new ());
      gtk_window_set_title (self->conflicts_window, _("Changes Not Applied"));
      gtk_window_set_transient_for (self->conflicts_window, GTK_WINDOW (self));
      gtk_window_set_hide_on_close (self->conflicts_window, TRUE);
      gtk_window_set_default_size (self->conflicts_window, 760, 640);
      gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
      gtk_widget_set_vexpand (GTK_WIDGET (self->conflicts), TRUE);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->conflicts));
      adw_window_set_content (ADW_WINDOW (self->conflicts_window), box);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                            gtk_shortcut_new (escape, close_window));
      gtk_widget_add_controller (GTK_WIDGET (self->conflicts_window), shortcuts);
    }
  gtk_window_present (self->conflicts_window);
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  sa_session_sync_now (SA_WINDOW (widget)->session);
}

/* The registry refused the refresh token: sign in again, keeping the
 * cache and whatever waits in its outbox. */
static void
sign_in_again_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SaWindow *self = SA_WINDOW (widget);
  const char *server = sa_session_get_server (self->session);
  const char *login = sa_session_get_login (self->session);

  if (server == NULL || login == NULL)
    return;
  sa_sign_in_page_set_account (self->sign_in, server, login);
  _sa_window_show_sign_in (self, _("Your session has ended. Sign in again."));
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  SaWindow *self = SA_WINDOW (widget);

  sa_session_sign_out (self->session);
  g_clear_pointer (&self->pending_open_id, g_free);
  sa_appeal_list_pane_reset (self->list_pane);
  gtk_search_bar_set_search_mode (self->list_pane->search_bar, FALSE);
  sa_appeal_list_pane_update_counts (self->list_pane);
  sa_sign_in_page_clear_login (self->sign_in);
  _sa_window_show_sign_in (self, NULL);
}

void
_sa_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, op_requested_cb);

  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.show-list", NULL, show_list_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);
  gtk_widget_class_install_action (widget_class, "win.undo-op", "s", undo_op_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "win.sign-in-again", NULL, sign_in_again_action);
  gtk_widget_class_install_action (widget_class, "win.show-conflicts", NULL,
                                   show_conflicts_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.sync-now", NULL);
}

/* Sync Now needs an engine, which the session starts once its cache is
 * checked. */
void
_sa_window_update_actions (SaWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync-now",
                                 self->session != NULL &&
                                 sa_session_get_engine (self->session) != NULL);
}

void
_sa_window_init_actions (SaWindow *self)
{
  _sa_window_update_actions (self);

  self->conflicts = g_object_ref_sink (sa_conflicts_view_new ());
  g_signal_connect_object (self->conflicts, "notify::n-entries",
                           G_CALLBACK (conflicts_count_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-conflicts", FALSE);
}
