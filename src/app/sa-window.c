/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-detail.h"
#include "sa-core.h"
#include "sa-sidebar.h"
#include "sa-window-private.h"

struct _SaWindow
{
  AdwApplicationWindow  parent_instance;

  GtkStack             *stack;
  AdwEntryRow          *server_row;
  AdwEntryRow          *login_row;
  AdwPasswordEntryRow  *password_row;
  GtkLabel             *sign_in_error;
  GtkButton            *sign_in_button;
  AdwWindowTitle       *main_title;
  AdwStatusPage        *welcome_page;
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  SaSidebar            *sidebar;
  GtkLabel             *sync_label;
  AdwWindowTitle       *list_title;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  SaAppealDetail       *detail;

  GSettings            *settings;
  GCancellable         *cancellable;
  SaApiClient          *client;
  JsonObject           *user;
  char                 *login;
};

G_DEFINE_FINAL_TYPE (SaWindow, sa_window, ADW_TYPE_APPLICATION_WINDOW)

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

static void
sa_window_show_sign_in (SaWindow   *self,
                        const char *message)
{
  gtk_label_set_text (self->sign_in_error, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), message != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in", TRUE);
  gtk_stack_set_visible_child_name (self->stack, "sign-in");
}

static void
sa_window_show_main (SaWindow *self,
                     gboolean  online)
{
  const char *full_name = NULL;
  const char *agency = NULL;
  g_autofree char *description = NULL;

  if (self->user != NULL)
    {
      full_name = json_object_get_string_member_with_default (self->user, "full_name", NULL);
      agency = json_object_get_string_member_with_default (self->user, "agency", NULL);
    }

  gtk_stack_set_visible_child_name (self->list_stack, "empty");
  adw_status_page_set_title (self->welcome_page, full_name ? full_name : self->login);
  if (online)
    /* Translators: the first %s is an agency code, the second the registry's address */
    description = g_strdup_printf (_("%s · connected to %s"), agency ? agency : "",
                                   sa_api_client_get_base_url (self->client));
  else
    description = g_strdup (_("Offline: changes will be sent when the registry is reachable"));
  adw_status_page_set_description (self->welcome_page, description);
  adw_window_title_set_subtitle (self->main_title, agency);
  gtk_label_set_text (self->sync_label, online ? sa_api_client_get_base_url (self->client)
                                               : _("Offline"));
  adw_window_title_set_title (self->list_title,
                              sa_section_get_title (sa_sidebar_get_section (self->sidebar)));
  gtk_stack_set_visible_child_name (self->stack, "main");
}

/* Words a person can act on, for each way signing in can fail. */
static char *
sa_window_describe_error (const GError *error)
{
  if (error->domain == SA_API_ERROR)
    {
      switch ((SaApiError)error->code)
        {
        case SA_API_ERROR_UNAUTHORIZED:
          return g_strdup (_("Wrong login or password."));
        case SA_API_ERROR_UNREACHABLE:
          return g_strdup (_("The registry cannot be reached. Check the address and the network."));
        case SA_API_ERROR_CERTIFICATE:
          return g_strdup (_("The registry’s certificate is not trusted. Ask your administrator."));
        case SA_API_ERROR_PROTOCOL:
          return g_strdup (_("This address does not answer like a Smart Appeals registry."));
        case SA_API_ERROR_SERVER:
        case SA_API_ERROR_REFUSED:
        default:
          break;
        }
    }
  return g_strdup_printf (_("Could not sign in: %s"), error->message);
}

static void
sa_window_adopt_session (SaWindow   *self,
                         JsonObject *answer)
{
  JsonObject *user = json_object_get_object_member (answer, "user");

  g_clear_pointer (&self->user, json_object_unref);
  self->user = json_object_ref (user);
  sa_appeal_detail_set_user (self->detail, self->user);
}

static void
store_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sa_secret_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Without the Secret Service the session works but is not remembered;
       * say so instead of failing the sign-in. */
      g_warning ("Could not store the session in the Secret Service: %s", error->message);
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Could not save the sign-in in the keyring; "
                                                    "you will be asked again next time")));
    }
}

static void
sa_window_remember (SaWindow   *self,
                    JsonObject *answer)
{
  const char *server = sa_api_client_get_base_url (self->client);

  g_settings_set_string (self->settings, "registry-url", server);
  g_settings_set_string (self->settings, "account-login", self->login);
  sa_secret_store_async (server, self->login,
                         json_object_get_string_member (answer, "refresh_token"),
                         self->cancellable, store_secret_cb, g_object_ref (self));
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;

  answer = sa_api_client_auth_finish (SA_API_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = sa_window_describe_error (error);
      sa_window_show_sign_in (self, message);
      return;
    }

  sa_window_adopt_session (self, answer);
  sa_window_remember (self, answer);
  sa_window_show_main (self, TRUE);
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

  g_return_if_fail (SA_IS_WINDOW (self));

  stripped_server = g_strstrip (g_strdup (server ? server : ""));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), stripped_server);
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), login ? login : "");

  if (!g_str_has_prefix (stripped_server, "http://") &&
      !g_str_has_prefix (stripped_server, "https://"))
    {
      sa_window_show_sign_in (self, _("The registry address must start with https:// or http://."));
      return;
    }
  if (login == NULL || *login == '\0' || password == NULL || *password == '\0')
    {
      sa_window_show_sign_in (self, _("Enter your login and password."));
      return;
    }

  g_free (self->login);
  self->login = g_strdup (login);
  g_clear_object (&self->client);
  self->client = sa_api_client_new (stripped_server);

  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), FALSE);
  sa_api_client_login_async (self->client, login, password, self->cancellable,
                             login_cb, g_object_ref (self));
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;

  answer = sa_api_client_auth_finish (SA_API_CLIENT (object), result, &error);
  if (answer != NULL)
    {
      sa_window_adopt_session (self, answer);
      sa_window_remember (self, answer);
      sa_window_show_main (self, TRUE);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else if (g_error_matches (error, SA_API_ERROR, SA_API_ERROR_UNAUTHORIZED))
    sa_window_show_sign_in (self, _("Your session has ended. Sign in again."));
  else
    /* The registry is away: work from what is stored on this computer. */
    sa_window_show_main (self, FALSE);
}

static void
lookup_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = sa_secret_lookup_finish (result, &error);
  if (token == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_warning ("Could not read the keyring: %s", error->message);
      sa_window_show_sign_in (self, NULL);
      return;
    }

  sa_api_client_refresh_async (self->client, token, self->cancellable, refresh_cb,
                               g_object_ref (self));
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

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), login);

  if (*server == '\0' || *login == '\0')
    {
      sa_window_show_sign_in (self, NULL);
      return;
    }

  g_free (self->login);
  self->login = g_strdup (login);
  g_clear_object (&self->client);
  self->client = sa_api_client_new (server);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  sa_secret_lookup_async (server, login, self->cancellable, lookup_secret_cb,
                          g_object_ref (self));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  SaWindow *self = SA_WINDOW (widget);

  sa_window_sign_in (self,
                     gtk_editable_get_text (GTK_EDITABLE (self->server_row)),
                     gtk_editable_get_text (GTK_EDITABLE (self->login_row)),
                     gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
}

static void
section_changed_cb (SaWindow *self)
{
  adw_window_title_set_title (self->list_title,
                              sa_section_get_title (sa_sidebar_get_section (self->sidebar)));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
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
  adw_leaflet_set_visible_child_name (SA_WINDOW (widget)->leaflet, "list");
}

static void
password_activated_cb (SaWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.sign-in", NULL);
}

static void
clear_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sa_secret_clear_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not remove the session from the keyring: %s", error->message);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  SaWindow *self = SA_WINDOW (widget);

  if (self->client != NULL && self->login != NULL)
    sa_secret_clear_async (sa_api_client_get_base_url (self->client), self->login, NULL,
                           clear_secret_cb, NULL);
  g_settings_set_string (self->settings, "account-login", "");
  g_clear_pointer (&self->user, json_object_unref);
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), "");
  sa_window_show_sign_in (self, NULL);
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
sa_window_dispose (GObject *object)
{
  SaWindow *self = SA_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_WINDOW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_pointer (&self->login, g_free);

  G_OBJECT_CLASS (sa_window_parent_class)->dispose (object);
}

static void
sa_window_class_init (SaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sa_window_dispose;
  window_class->close_request = sa_window_close_request;

  g_type_ensure (SA_TYPE_SIDEBAR);
  g_type_ensure (SA_TYPE_APPEAL_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/sa-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SaWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, detail);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, login_row);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, sign_in_error);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, main_title);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, password_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, section_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.show-list", NULL, show_list_action);
}

static void
sa_window_init (SaWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new ("kz.almaty.SmartAppeals");
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
_sa_window_get_sign_in_message (SaWindow *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->sign_in_error)))
    return NULL;
  return gtk_label_get_text (self->sign_in_error);
}

const char *
_sa_window_get_welcome_text (SaWindow *self)
{
  return adw_status_page_get_title (self->welcome_page);
}
