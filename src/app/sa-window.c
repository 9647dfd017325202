/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sa-cache-notice.h"
#include "sa-workarounds.h"
#include "sa-window-private.h"

/* The main window lays out and routes: the sign-in form or the desk, as
 * the account's SaSession (sa-session.c) goes; the sidebar, the list pane
 * (sa-appeal-list-pane.c) and the detail of the appeal picked in it; the
 * sync label, the toasts and the dialogs. Its actions are in
 * sa-window-actions.c, its keys in sa-window-keys.c. */

G_DEFINE_FINAL_TYPE (SaWindow, sa_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CACHE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_STATIC_ASSERT ((int) SA_N_SECTIONS == (int) SA_APPEAL_N_SECTIONS);

static void sa_window_let_go_cache (SaWindow *self);

SaWindow *
sa_window_new (SaApplication *application)
{
  g_return_val_if_fail (SA_IS_APPLICATION (application), NULL);

  return g_object_new (SA_TYPE_WINDOW, "application", application, NULL);
}

const char *
sa_window_get_page (SaWindow *self)
{
  g_return_val_if_fail (SA_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * sa_window_get_cache:
 * @self: a #SaWindow
 *
 * The signed-in account's cache, once it is open; #SaWindow:cache tells
 * when that changes.
 *
 * Returns: (transfer none) (nullable): the cache, or %NULL
 */
SaCache *
sa_window_get_cache (SaWindow *self)
{
  g_return_val_if_fail (SA_IS_WINDOW (self), NULL);
  return self->cache;
}

void
_sa_window_add_toast (SaWindow *self,
                      AdwToast *toast)
{
  g_set_weak_pointer (&self->last_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_sa_window_show_sign_in (SaWindow   *self,
                         const char *message)
{
  sa_sign_in_page_set_message (self->sign_in, message);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in", TRUE);
  gtk_stack_set_visible_child_name (self->stack, "sign-in");
}

static void
sa_window_update_title (SaWindow *self)
{
  JsonObject *user = sa_session_get_user (self->session);
  const char *full_name = NULL;

  if (user != NULL)
    full_name = json_object_get_string_member_with_default (user, "full_name", NULL);
  adw_window_title_set_subtitle (self->main_title,
                                 full_name ? full_name : sa_session_get_login (self->session));
}

static void
sa_window_show_main (SaWindow *self)
{
  sa_window_update_title (self);
  sa_sync_status_set_online (self->sync_status, sa_session_get_online (self->session));
  sa_appeal_list_pane_update (self->list_pane);
  gtk_stack_set_visible_child_name (self->stack, "main");
}

static void
session_user_cb (SaWindow *self)
{
  sa_appeal_detail_set_user (self->detail, sa_session_get_user (self->session));
  sa_window_update_title (self);
}

/* The page follows the session: the form (saying why, if the last sign-in
 * failed) or the desk. */
static void
session_state_cb (SaWindow *self)
{
  switch (sa_session_get_state (self->session))
    {
    case SA_SESSION_SIGNED_OUT:
      _sa_window_show_sign_in (self, sa_session_get_error (self->session));
      break;

    case SA_SESSION_SIGNING_IN:
      sa_sign_in_page_set_busy (self->sign_in);
      break;

    case SA_SESSION_SIGNED_IN:
    default:
      sa_window_show_main (self);
      break;
    }
}

/**
 * sa_window_sign_in:
 * @self: a #SaWindow
 * @server: the registry's address
 * @login: the login
 * @password: the password
 *
 * Signs in as if the user had filled the sign-in form.
 */
void
sa_window_sign_in (SaWindow   *self,
                   const char *server,
                   const char *login,
                   const char *password)
{
  g_autofree char *stripped_server = NULL;
  g_autofree char *login_copy = NULL;
  g_autofree char *password_copy = NULL;

  g_return_if_fail (SA_IS_WINDOW (self));

  /* From the form, these are the rows' own buffers: setting a row's text
   * empties its buffer first, which would empty the login with it. */
  stripped_server = g_strstrip (g_strdup (server ? server : ""));
  login = login_copy = g_strdup (login ? login : "");
  password = password_copy = g_strdup (password ? password : "");
  sa_sign_in_page_set_account (self->sign_in, stripped_server, login);

  sa_session_sign_in (self->session, stripped_server, login, password);
  /* The request holds its own copy; do not leave one in freed memory. */
  memset (password_copy, 0, strlen (password_copy));
  /* Refused at once, perhaps for the same reason as before. */
  session_state_cb (self);
}

/**
 * sa_window_restore_session:
 * @self: a #SaWindow
 * @server: (nullable): the registry's address, or %NULL for the remembered one
 * @login: (nullable): the login, or %NULL for the remembered one
 *
 * Opens the remembered account from the Secret Service, or the sign-in form
 * if there is none.
 */
void
sa_window_restore_session (SaWindow   *self,
                           const char *server,
                           const char *login)
{
  g_autofree char *saved_server = g_settings_get_string (self->settings, "registry-url");
  g_autofree char *saved_login = g_settings_get_string (self->settings, "account-login");

  g_return_if_fail (SA_IS_WINDOW (self));

  if (server == NULL)
    server = saved_server;
  if (login == NULL)
    login = saved_login;

  sa_sign_in_page_set_account (self->sign_in, server, login);

  sa_session_restore (self->session, server, login);
  if (sa_session_get_state (self->session) == SA_SESSION_SIGNING_IN)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    session_state_cb (self);
}

/* ------------------------------------------------------------------ */
/* The shown appeal and the session's cache */

static void
mark_opened_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (!sa_cache_mark_opened (SA_CACHE (source_object), task_data, &error))
    g_warning ("Could not mark the appeal as opened: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

/* Shows @appeal_id in the detail, from the cache. The list row's
 * category name goes along, since the registry's JSON has only the code. */
static gboolean
sa_window_show_appeal (SaWindow    *self,
                       const char  *appeal_id,
                       SaAppealRow *row)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *appeal;

  node = sa_cache_get_appeal (self->cache, appeal_id, &error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      if (error != NULL)
        g_warning ("Could not read appeal %s: %s", appeal_id, error->message);
      _sa_window_add_toast (self, adw_toast_new (_("This appeal is not on this computer")));
      return FALSE;
    }

  if (g_strcmp0 (self->shown_id, appeal_id) != 0)
    {
      g_free (self->shown_id);
      self->shown_id = g_strdup (appeal_id);
      g_clear_pointer (&self->shown_category_name, g_free);
      sa_appeal_list_pane_set_shown_id (self->list_pane, appeal_id);
    }
  if (row != NULL)
    {
      g_free (self->shown_category_name);
      self->shown_category_name = g_strdup (sa_appeal_row_get_category_name (row));
    }

  appeal = json_node_get_object (node);
  if (self->shown_category_name != NULL && !json_object_has_member (appeal, "category_name"))
    json_object_set_string_member (appeal, "category_name", self->shown_category_name);
  sa_appeal_detail_set_appeal (self->detail, appeal);

  /* Opening turns the row from bold to plain; a write, so off the main thread. */
  if (row != NULL && sa_appeal_row_get_unread (row))
    {
      g_autoptr(GTask) task = g_task_new (self->cache, NULL, NULL, NULL);

      g_task_set_source_tag (task, sa_window_show_appeal);
      g_task_set_task_data (task, g_strdup (appeal_id), g_free);
      g_task_run_in_thread (task, mark_opened_thread);
    }
  return TRUE;
}

static void
sa_window_reload_detail (SaWindow *self)
{
  g_autoptr(JsonNode) node = NULL;

  if (self->shown_id == NULL)
    return;
  node = sa_cache_get_appeal (self->cache, self->shown_id, NULL);
  if (node == NULL)
    {
      /* Gone from the cache: forwarded away, or no longer visible. */
      g_clear_pointer (&self->shown_id, g_free);
      sa_appeal_list_pane_set_shown_id (self->list_pane, NULL);
      sa_appeal_detail_set_appeal (self->detail, NULL);
      return;
    }
  sa_window_show_appeal (self, self->shown_id, NULL);
}

/* After the list pane's handler: the row, the counts and the detail
 * change together. */
static void
appeals_changed_cb (SaCache            *cache,
                    const char * const *ids,
                    SaWindow           *self)
{
  if (self->shown_id != NULL && (ids == NULL || g_strv_contains (ids, self->shown_id)))
    sa_window_reload_detail (self);
}

static void
appeal_selected_cb (SaWindow    *self,
                    SaAppealRow *row)
{
  sa_window_show_appeal (self, sa_appeal_row_get_id (row), row);
}

static void
appeal_activated_cb (SaWindow    *self,
                     SaAppealRow *row)
{
  if (sa_window_show_appeal (self, sa_appeal_row_get_id (row), row))
    adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}

static void
sync_state_cb (SaWindow *self)
{
  if (sa_sync_engine_get_state (self->engine) == SA_SYNC_STATE_SIGNED_OUT)
    {
      /* Work goes on offline; syncing waits until the user signs in. */
      AdwToast *toast = adw_toast_new (_("The registry ended your session: "
                                         "changes wait until you sign in again"));

      adw_toast_set_button_label (toast, _("_Sign In"));
      adw_toast_set_action_name (toast, "win.sign-in-again");
      adw_toast_set_timeout (toast, 0);
      _sa_window_add_toast (self, toast);
    }
}

/* The session's cache is open and knows who is signed in: show what it holds. */
static void
sa_window_set_cache (SaWindow *self,
                     SaCache  *cache)
{
  g_autofree char *open_id = NULL;

  self->cache = g_object_ref (cache);
  sa_appeal_list_pane_set_cache (self->list_pane, cache);
  sa_appeal_detail_set_cache (self->detail, cache);
  sa_conflicts_view_set_cache (self->conflicts, cache);
  /* After the list pane's, which refreshes the list first. */
  self->changed_handler = g_signal_connect (cache, "appeals-changed",
                                            G_CALLBACK (appeals_changed_cb), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE]);

  open_id = g_steal_pointer (&self->pending_open_id);
  if (open_id != NULL)
    sa_window_open_appeal (self, open_id);
}

/* The session let go of its cache: so do the list, the detail and the
 * changes not applied. */
static void
sa_window_let_go_cache (SaWindow *self)
{
  if (self->list_pane != NULL)
    sa_appeal_list_pane_set_cache (self->list_pane, NULL);
  g_clear_pointer (&self->shown_id, g_free);
  g_clear_pointer (&self->shown_category_name, g_free);
  g_clear_pointer (&self->pending_open_id, g_free);
  if (self->detail != NULL)
    {
      sa_appeal_detail_set_appeal (self->detail, NULL);
      sa_appeal_detail_set_cache (self->detail, NULL);
    }
  if (self->conflicts != NULL)
    sa_conflicts_view_set_cache (self->conflicts, NULL);
  if (self->conflicts_window != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->conflicts_window), FALSE);

  if (self->cache != NULL)
    {
      g_clear_signal_handler (&self->changed_handler, self->cache);
      g_clear_object (&self->cache);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE]);
    }
}

static void
session_cache_cb (SaWindow *self)
{
  SaCache *cache = sa_session_get_cache (self->session);

  if (cache == self->cache)
    return;
  if (self->cache != NULL)
    sa_window_let_go_cache (self);
  if (cache != NULL)
    sa_window_set_cache (self, cache);
}

/* A new engine for each sign-in: the sync status follows the one there is. */
static void
session_engine_cb (SaWindow *self)
{
  SaSyncEngine *engine = sa_session_get_engine (self->session);

  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      g_clear_object (&self->engine);
    }
  sa_sync_status_set_engine (self->sync_status, engine);
  sa_appeal_detail_set_sync_engine (self->detail, engine);
  if (engine != NULL)
    {
      self->engine = g_object_ref (engine);
      g_signal_connect_swapped (engine, "notify::state", G_CALLBACK (sync_state_cb), self);
    }
  _sa_window_update_actions (self);
}

static void
session_online_cb (SaWindow *self)
{
  sa_sync_status_set_online (self->sync_status, sa_session_get_online (self->session));
}

/* A damaged cache was set aside: a dialog the user has to see. */
static void
cache_set_aside_cb (SaWindow      *self,
                    SaCacheRescue *rescue)
{
  AdwMessageDialog *notice;

  if (self->cache_notice != NULL)
    gtk_window_destroy (GTK_WINDOW (self->cache_notice));
  notice = sa_cache_notice_new (GTK_WINDOW (self), rescue);
  g_set_weak_pointer (&self->cache_notice, notice);
  gtk_window_present (GTK_WINDOW (notice));
}

static void
keyring_failed_cb (SaWindow *self)
{
  _sa_window_add_toast (self,
                        adw_toast_new (_("Could not save the sign-in in the keyring; "
                                         "you will be asked again next time")));
}

/**
 * sa_window_open_appeal:
 * @self: a #SaWindow
 * @appeal_id: an appeal's UUID
 *
 * Shows an appeal as if the user had picked it in the list: selects its
 * row, switching to "All Appeals" and dropping the search and the filters
 * if they hide it, and shows it in the detail (on a narrow window, the
 * detail alone). Before the cache is open, the appeal is shown once it is.
 */
void
sa_window_open_appeal (SaWindow   *self,
                       const char *appeal_id)
{
  g_autoptr(SaAppealRow) row = NULL;

  g_return_if_fail (SA_IS_WINDOW (self));
  g_return_if_fail (appeal_id != NULL);

  if (sa_appeal_list_pane_get_appeals (self->list_pane) == NULL)
    {
      g_free (self->pending_open_id);
      self->pending_open_id = g_strdup (appeal_id);
      return;
    }
  row = sa_appeal_list_pane_reveal (self->list_pane, appeal_id);
  if (sa_window_show_appeal (self, appeal_id, row))
    adw_leaflet_set_visible_child_name (self->leaflet, "detail");
  gtk_window_present (GTK_WINDOW (self));
}

static void
section_changed_cb (SaWindow *self)
{
  sa_appeal_list_pane_show_section (self->list_pane);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* A colleague picked in the sidebar: their open appeals; none, the section. */
static void
executor_changed_cb (SaWindow *self)
{
  if (sa_appeal_list_pane_show_executor (self->list_pane))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* The size is saved when the window closes, not on every resize, so that
 * dragging the edge does not write to dconf dozens of times a second. */
static gboolean
sa_window_close_request (GtkWindow *window)
{
  SaWindow *self = SA_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (sa_window_parent_class)->close_request (window);
}

static void
sa_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SaWindow *self = SA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_window_dispose (GObject *object)
{
  SaWindow *self = SA_WINDOW (object);

  /* The session goes on while the keyring or a cache still answers it,
   * and lets go of the account when it is done. */
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  sa_window_let_go_cache (self);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  if (self->conflicts_window != NULL)
    gtk_window_destroy (g_steal_pointer (&self->conflicts_window));
  if (self->conflicts != NULL)
    g_signal_handlers_disconnect_by_data (self->conflicts, self);
  g_clear_object (&self->conflicts);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_WINDOW);

  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->cache_notice);
  g_clear_weak_pointer (&self->last_toast);

  G_OBJECT_CLASS (sa_window_parent_class)->dispose (object);
}

/* The session sends notifications from the window's application, which
 * is set after the window is constructed. */
static void
application_changed_cb (SaWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  sa_session_set_application (self->session,
                              application != NULL ? G_APPLICATION (application) : NULL);
}

static void
sa_window_constructed (GObject *object)
{
  SaWindow *self = SA_WINDOW (object);

  G_OBJECT_CLASS (sa_window_parent_class)->constructed (object);

  self->session = sa_session_new (NULL);
  g_signal_connect (self, "notify::application", G_CALLBACK (application_changed_cb), NULL);
  g_signal_connect_swapped (self->session, "notify::state", G_CALLBACK (session_state_cb), self);
  g_signal_connect_swapped (self->session, "notify::error", G_CALLBACK (session_state_cb), self);
  g_signal_connect_swapped (self->session, "notify::user", G_CALLBACK (session_user_cb), self);
  g_signal_connect_swapped (self->session, "notify::cache", G_CALLBACK (session_cache_cb), self);
  g_signal_connect_swapped (self->session, "notify::engine", G_CALLBACK (session_engine_cb),
                            self);
  sa_appeal_list_pane_set_session (self->list_pane, self->session);
  g_signal_connect_swapped (self->session, "notify::online", G_CALLBACK (session_online_cb),
                            self);
  g_signal_connect_swapped (self->session, "cache-set-aside", G_CALLBACK (cache_set_aside_cb),
                            self);
  g_signal_connect_swapped (self->session, "keyring-failed", G_CALLBACK (keyring_failed_cb),
                            self);
}

static void
sa_window_class_init (SaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sa_window_constructed;
  object_class->dispose = sa_window_dispose;
  object_class->get_property = sa_window_get_property;
  window_class->close_request = sa_window_close_request;

  /**
   * SaWindow:cache:
   *
   * The signed-in account's cache, or %NULL before it is open and after
   * sign-out.
   */
  properties[PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL, SA_TYPE_CACHE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SA_TYPE_SIGN_IN_PAGE);
  g_type_ensure (SA_TYPE_SIDEBAR);
  g_type_ensure (SA_TYPE_SYNC_STATUS);
  g_type_ensure (SA_TYPE_APPEAL_LIST_PANE);
  g_type_ensure (SA_TYPE_APPEAL_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/sa-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SaWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, sync_status);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, list_pane);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, detail);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, sign_in);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, main_title);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, section_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, executor_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, appeal_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, appeal_activated_cb);

  _sa_window_class_add_actions (widget_class);
  _sa_window_class_add_keys (widget_class);
}

static void
sa_window_init (SaWindow *self)
{
  self->settings = g_settings_new ("kz.almaty.SmartAppeals");
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  gtk_widget_init_template (GTK_WIDGET (self));
  sa_appeal_list_pane_add_actions (self->list_pane, G_ACTION_MAP (self));
  _sa_window_init_keys (self);
  sa_menu_button_quiet_tooltip (self->primary_menu_button);
  sa_menu_button_quiet_tooltip (self->list_pane->filter_button);
  sa_accessible_name_icon_buttons (GTK_WIDGET (self));
  _sa_window_init_actions (self);
}

const char *
_sa_window_get_sign_in_message (SaWindow *self)
{
  return sa_sign_in_page_get_message (self->sign_in);
}

const char *
_sa_window_get_user_name (SaWindow *self)
{
  return adw_window_title_get_subtitle (self->main_title);
}

AdwToast *
_sa_window_get_last_toast (SaWindow *self)
{
  return self->last_toast;
}

AdwMessageDialog *
_sa_window_get_cache_notice (SaWindow *self)
{
  return self->cache_notice;
}
