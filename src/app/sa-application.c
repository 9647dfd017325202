/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-application"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sa-application.h"
#include "sa-first-frame.h"
#include "sa-preferences-window.h"
#include "sa-resources.h"
#include "sa-window.h"

struct _SaApplication
{
  AdwApplication  parent_instance;
  GSettings      *settings;
  char           *server;
  char           *login;
  char           *password;
};

G_DEFINE_FINAL_TYPE (SaApplication, sa_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Address of the registry to sign in to"), N_("URL") },
  { "login", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Login to sign in with"), N_("LOGIN") },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Read the password from standard input and sign in at once"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { NULL }
};

SaApplication *
sa_application_new (void)
{
  return g_object_new (SA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_PATH,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

GSettings *
sa_application_get_settings (SaApplication *self)
{
  g_return_val_if_fail (SA_IS_APPLICATION (self), NULL);
  return self->settings;
}

/* The password is read here, in the process that was started, because a
 * remote instance could not read this terminal's standard input. */
static char *
read_password_from_stdin (GError **error)
{
  g_autoptr(GString) s = g_string_new (NULL);
  char buf[256];
  ssize_t n;

  while ((n = read (STDIN_FILENO, buf, sizeof buf)) > 0)
    g_string_append_len (s, buf, n);
  if (n < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _("Could not read the password: %s"), g_strerror (errno));
      return NULL;
    }
  while (s->len > 0 && (s->str[s->len - 1] == '\n' || s->str[s->len - 1] == '\r'))
    g_string_truncate (s, s->len - 1);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static int
sa_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  SaApplication *self = SA_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "server", "s", &self->server);
  g_variant_dict_lookup (options, "login", "s", &self->login);

  if (g_variant_dict_contains (options, "password-stdin"))
    {
      if (self->server == NULL || self->login == NULL)
        {
          g_printerr ("%s\n", _("--password-stdin needs --server and --login"));
          return 1;
        }
      if (!(self->password = read_password_from_stdin (&error)))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }

  return -1;
}

static void
sa_application_activate (GApplication *app)
{
  SaApplication *self = SA_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      SaWindow *sa_window = sa_window_new (self);

      window = GTK_WINDOW (sa_window);
      if (g_getenv ("SA_REPORT_FIRST_FRAME") != NULL)
        _sa_first_frame_report (sa_window);
      if (self->password != NULL)
        {
          sa_window_sign_in (sa_window, self->server, self->login, self->password);
          /* The password has done its work; do not keep it in memory. */
          memset (self->password, 0, strlen (self->password));
          g_clear_pointer (&self->password, g_free);
        }
      else
        sa_window_restore_session (sa_window, self->server, self->login);
    }

  gtk_window_present (window);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  SaApplication *self = user_data;
  const char *developers[] = { "Smart Appeals developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", APP_ID,
                        "application-name", _("Smart Appeals"),
                        "developer-name", _("Akimat of Almaty"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Answer citizens’ appeals on time, together"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  SaApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (sa_preferences_window_new (parent, self->settings)));
}

static SaWindow *
sa_application_find_window (SaApplication *self)
{
  /* Most recently focused first; dialogs are not the application's windows. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SA_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* The default action of a notification (see SaNotifier). A click may have
 * started the application through D-Bus, with no window yet: "activate"
 * makes it as a launch would. */
static void
open_appeal_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  SaApplication *self = user_data;
  const char *appeal_id = g_variant_get_string (param, NULL);
  SaWindow *window = sa_application_find_window (self);

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      window = sa_application_find_window (self);
    }
  if (window == NULL)
    return;

  gtk_window_present (GTK_WINDOW (window));
  sa_window_open_appeal (window, appeal_id);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "open-appeal", open_appeal_action, "s" },
  { "quit", quit_action },
};

static void
sa_application_startup (GApplication *app)
{
  SaApplication *self = SA_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (sa_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
}

static void
sa_application_dispose (GObject *object)
{
  SaApplication *self = SA_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->password, g_free);

  G_OBJECT_CLASS (sa_application_parent_class)->dispose (object);
}

static void
sa_application_class_init (SaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  sa_register_resource ();

  object_class->dispose = sa_application_dispose;
  app_class->handle_local_options = sa_application_handle_local_options;
  app_class->startup = sa_application_startup;
  app_class->activate = sa_application_activate;
}

static void
sa_application_init (SaApplication *self)
{
  self->settings = g_settings_new ("kz.almaty.SmartAppeals");
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The desk of those who answer citizens’ appeals"));
}
