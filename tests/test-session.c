/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sa-application.h"
#include "sa-test-spawn.h"
#include "sa-test-widgets.h"
#include "sa-window-private.h"

/* The window's session as a user drives it against a real registry: the
 * sign-in form typed into and its button clicked, signing out from the
 * main menu and back in, and the registry addresses it refuses. */

static SaApplication *app;
static SaTestSpawnedRegistry registry;
static char *data_dir;

/* ------------------------------------------------------------------ */
/* Driving the window */

static void
wait_until (gboolean  (*done) (SaWindow *window),
            SaWindow   *window,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (window))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static SaWindow *
make_window (void)
{
  SaWindow *window = g_object_ref_sink (sa_window_new (app));

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* Destroys the window and waits for asynchronous work in flight (the
 * keyring, a cache closing) to let go of it. */
static void
close_window (SaWindow *window)
{
  gpointer weak = window;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (weak);
}

/* Types @text into an entry row key by key, replacing what it held. */
static void
type_into (gpointer    row,
           const char *text)
{
  GtkEditable *editable = GTK_EDITABLE (row);
  int position = 0;

  gtk_editable_delete_text (editable, 0, -1);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    gtk_editable_insert_text (editable, p, g_utf8_next_char (p) - p, &position);
}

static void
click (SaWindow   *window,
       const char *label)
{
  GtkWidget *button = sa_test_find_button (GTK_WIDGET (window), label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
page_changed (SaWindow *window)
{
  return g_strcmp0 (sa_window_get_page (window), "main") == 0 ||
         _sa_window_get_sign_in_message (window) != NULL;
}

static gboolean
synced (SaWindow *window)
{
  return window->engine != NULL &&
         sa_sync_engine_get_state (window->engine) == SA_SYNC_STATE_SYNCED;
}

/* Fills the sign-in form as a person would and presses Sign In; the desk
 * opens as @login, named as the registry knows them, and syncs. */
static void
sign_in_with_form (SaWindow   *window,
                   const char *login,
                   const char *password)
{
  g_assert_cmpstr (sa_window_get_page (window), ==, "sign-in");
  /* Kept from the last sign-in, as after signing out. */
  if (*gtk_editable_get_text (GTK_EDITABLE (window->server_row)) == '\0')
    type_into (window->server_row, registry.url);
  type_into (window->login_row, login);
  type_into (window->password_row, password);
  click (window, "_Sign In");

  wait_until (page_changed, window, "the sign-in to answer");
  g_assert_cmpstr (_sa_window_get_sign_in_message (window), ==, NULL);
  g_assert_cmpstr (sa_window_get_page (window), ==, "main");
  g_assert_cmpstr (window->login, ==, login);
  /* The registry's name for the user, not the login typed. */
  g_assert_nonnull (_sa_window_get_user_name (window));
  g_assert_cmpstr (_sa_window_get_user_name (window), !=, login);
  g_assert_cmpuint (strlen (_sa_window_get_user_name (window)), >, 5);
  wait_until (synced, window, "the first sync");
}

static void
sign_out_from_menu (SaWindow *window)
{
  /* What the main menu's "Sign Out" item activates. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  g_assert_cmpstr (sa_window_get_page (window), ==, "sign-in");
  g_assert_null (_sa_window_get_sign_in_message (window));
  g_assert_null (sa_window_get_cache (window));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->login_row)), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->password_row)), ==, "");
}

/* ------------------------------------------------------------------ */
/* Signing in and out */

typedef struct
{
  const char *login;
  const char *password;
} Account;

static const Account supervisor = { "supervisor.almaty-teplo", "demo-supervisor" };
static const Account executor = { "executor.almaty-teplo", "demo-executor" };
static const Account operator = { "operator.ikomek-109", "demo-operator" };

static void
test_sign_out_and_in (gconstpointer data)
{
  /* Signed in from the form, the user signs out from the main menu and back in from the form with the same login: the desk opens again, synced, under their name. */
  const Account *account = data;
  SaWindow *window = make_window ();
  g_autofree char *name = NULL;

  g_settings_reset (sa_application_get_settings (app), "account-login");
  sa_window_restore_session (window, NULL, NULL);
  sign_in_with_form (window, account->login, account->password);
  name = g_strdup (_sa_window_get_user_name (window));

  sign_out_from_menu (window);
  sign_in_with_form (window, account->login, account->password);
  g_assert_cmpstr (_sa_window_get_user_name (window), ==, name);

  /* And once more, after another sign-out. */
  sign_out_from_menu (window);
  sign_in_with_form (window, account->login, account->password);
  sign_out_from_menu (window);
  close_window (window);
}

static void
test_sign_out_switch_account (void)
{
  /* After signing out, another person signs in from the same form: the desk is theirs. */
  SaWindow *window = make_window ();
  g_autofree char *first = NULL;

  g_settings_reset (sa_application_get_settings (app), "account-login");
  sa_window_restore_session (window, NULL, NULL);
  sign_in_with_form (window, executor.login, executor.password);
  first = g_strdup (_sa_window_get_user_name (window));
  sign_out_from_menu (window);
  sign_in_with_form (window, operator.login, operator.password);
  g_assert_cmpstr (_sa_window_get_user_name (window), !=, first);
  sign_out_from_menu (window);
  close_window (window);
}

static void
test_sign_in_enter_key (void)
{
  /* Enter in the password field signs in like the button does. */
  SaWindow *window = make_window ();

  g_settings_reset (sa_application_get_settings (app), "account-login");
  sa_window_restore_session (window, NULL, NULL);
  type_into (window->server_row, registry.url);
  type_into (window->login_row, executor.login);
  type_into (window->password_row, executor.password);
  g_signal_emit_by_name (window->password_row, "entry-activated");
  wait_until (page_changed, window, "the sign-in to answer");
  g_assert_cmpstr (_sa_window_get_sign_in_message (window), ==, NULL);
  g_assert_cmpstr (sa_window_get_page (window), ==, "main");
  sign_out_from_menu (window);
  close_window (window);
}

/* ------------------------------------------------------------------ */
/* The registry's address */

static const char *refusal_http = "An http:// address would send your password and the "
                                  "applicants’ data unencrypted over the network. Use the "
                                  "registry’s https:// address; http:// is accepted only for a "
                                  "registry on this computer (localhost, 127.0.0.1, ::1).";

static void
test_plain_http_refused (void)
{
  /* Plain http:// to any host but this computer is refused at once, saying why, and nothing is sent. */
  static const char * const remote[] = {
    "http://registry.almaty.kz",
    "http://registry.almaty.kz:8470/",
    "HTTP://Registry.Almaty.kz",
    "http://10.0.0.5:8470",
    "http://192.168.1.10",
    "http://[2001:db8::1]:8470",
    "http://[::ffff:10.0.0.5]",
    "http://127.0.0.1.nip.io:8470",
    "http://localhost.example.org",
  };
  SaWindow *window = make_window ();

  for (guint i = 0; i < G_N_ELEMENTS (remote); i++)
    {
      sa_window_sign_in (window, remote[i], executor.login, executor.password);
      /* Before the main loop ran once: no request was even started. */
      g_assert_cmpstr (sa_window_get_page (window), ==, "sign-in");
      g_assert_cmpstr (_sa_window_get_sign_in_message (window), ==, refusal_http);
      g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->sign_in_button)));
      g_assert_null (window->client);
    }
  close_window (window);
}

static gboolean
sign_in_answered (SaWindow *window)
{
  return _sa_window_get_sign_in_message (window) != NULL ||
         g_strcmp0 (sa_window_get_page (window), "main") == 0;
}

static void
test_plain_http_loopback (void)
{
  /* Plain http:// to this computer (127.0.0.0/8, ::1, localhost) is tried, not refused: the registry there answers, or cannot be reached. */
  const char *port = strrchr (registry.url, ':') + 1;
  g_autofree char *localhost = g_strconcat ("http://localhost:", port, NULL);
  g_autofree char *other_loopback = g_strconcat ("http://127.42.0.1:", port, NULL);
  g_autofree char *ipv6 = g_strconcat ("http://[::1]:", port, NULL);
  const char * const unreachable[] = { other_loopback, ipv6 };
  SaWindow *window = make_window ();

  g_settings_reset (sa_application_get_settings (app), "account-login");
  sa_window_restore_session (window, NULL, NULL);
  /* The registry listens on 127.0.0.1 alone: these are tried and fail. */
  for (guint i = 0; i < G_N_ELEMENTS (unreachable); i++)
    {
      sa_window_sign_in (window, unreachable[i], executor.login, executor.password);
      g_assert_null (_sa_window_get_sign_in_message (window));
      wait_until (sign_in_answered, window, "the sign-in to fail");
      g_assert_cmpstr (_sa_window_get_sign_in_message (window), !=, refusal_http);
      g_assert_cmpstr (sa_window_get_page (window), ==, "sign-in");
    }

  /* localhost may resolve to ::1 first and then to 127.0.0.1: it signs in. */
  gtk_editable_set_text (GTK_EDITABLE (window->server_row), "");
  type_into (window->server_row, localhost);
  sign_in_with_form (window, executor.login, executor.password);
  sign_out_from_menu (window);
  close_window (window);
}

static void
test_remembered_http_refused (void)
{
  /* A plain http:// address remembered for another host (by an older version, or given on the command line) opens the sign-in form with the explanation instead of a request. */
  GSettings *settings = sa_application_get_settings (app);
  SaWindow *window = make_window ();

  g_settings_set_string (settings, "registry-url", "http://registry.almaty.kz");
  g_settings_set_string (settings, "account-login", executor.login);
  sa_window_restore_session (window, NULL, NULL);
  g_assert_cmpstr (sa_window_get_page (window), ==, "sign-in");
  g_assert_cmpstr (_sa_window_get_sign_in_message (window), ==, refusal_http);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->server_row)), ==,
                   "http://registry.almaty.kz");
  close_window (window);

  window = make_window ();
  sa_window_restore_session (window, "http://10.1.2.3:8470", executor.login);
  g_assert_cmpstr (sa_window_get_page (window), ==, "sign-in");
  g_assert_cmpstr (_sa_window_get_sign_in_message (window), ==, refusal_http);
  close_window (window);
  g_settings_reset (settings, "registry-url");
  g_settings_reset (settings, "account-login");
}

/* ------------------------------------------------------------------ */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  /* The accounts' caches go under $XDG_DATA_HOME: a directory of our own. */
  data_dir = g_dir_make_tmp ("sa-session-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = sa_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_data_func ("/sa/session/sign-out-and-in/supervisor", &supervisor,
                        test_sign_out_and_in);
  g_test_add_data_func ("/sa/session/sign-out-and-in/executor", &executor, test_sign_out_and_in);
  g_test_add_data_func ("/sa/session/sign-out-and-in/operator", &operator, test_sign_out_and_in);
  g_test_add_func ("/sa/session/sign-out-and-in/another-account", test_sign_out_switch_account);
  g_test_add_func ("/sa/session/sign-in/enter-key", test_sign_in_enter_key);
  g_test_add_func ("/sa/session/address/plain-http-refused", test_plain_http_refused);
  g_test_add_func ("/sa/session/address/plain-http-loopback", test_plain_http_loopback);
  g_test_add_func ("/sa/session/address/remembered-http-refused", test_remembered_http_refused);

  sa_test_spawn_registry (&registry, 30);
  ret = g_test_run ();
  sa_test_stop_registry (&registry);

  g_object_unref (app);
  remove_tree (data_dir);
  g_free (data_dir);
  return ret;
}
