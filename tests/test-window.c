/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sa-application.h"
#include "sa-test-spawn.h"
#include "sa-window-private.h"

static SaApplication *app;

static SaWindow *
make_window (void)
{
  SaWindow *window = sa_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  return g_object_ref_sink (window);
}

static void
close_window (SaWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* Like close_window(), for a window with asynchronous work in flight (the
 * keyring write after a sign-in holds a reference until it completes). */
static void
close_window_soon (SaWindow *window)
{
  gpointer weak = window;
  gpointer weak_session = window->session;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* The session outlives its window while the keyring or a cache still
   * answers it. */
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  g_object_add_weak_pointer (G_OBJECT (weak_session), &weak_session);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  while ((weak != NULL || weak_session != NULL) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (weak);
  g_assert_null (weak_session);
}

static void
test_first_start (void)
{
  /* With no remembered account the user sees the sign-in form, without an error. */
  SaWindow *window = make_window ();

  g_settings_reset (sa_application_get_settings (app), "account-login");
  sa_window_restore_session (window, NULL, NULL);
  g_assert_cmpstr (sa_window_get_page (window), ==, "sign-in");
  g_assert_null (_sa_window_get_sign_in_message (window));
  close_window (window);
}

static void
test_bad_address (void)
{
  /* An address without http(s):// is refused before anything is sent. */
  SaWindow *window = make_window ();

  sa_window_sign_in (window, "registry.almaty.kz", "executor", "secret");
  g_assert_cmpstr (sa_window_get_page (window), ==, "sign-in");
  g_assert_cmpstr (_sa_window_get_sign_in_message (window), ==,
                   "The registry address must start with https:// or http://.");
  close_window (window);
}

static void
test_unreachable (void)
{
  /* A registry that is not there is reported as unreachable, not as a wrong password. */
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  SaWindow *window;
  guint16 port;

  /* Take a free port and close it again, so nothing listens there. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  window = make_window ();
  sa_window_sign_in (window, url, "executor", "secret");
  while (_sa_window_get_sign_in_message (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (sa_window_get_page (window), ==, "sign-in");
  g_assert_cmpstr (_sa_window_get_sign_in_message (window), ==,
                   "The registry cannot be reached. Check the address and the network.");
  close_window (window);
}

static void
test_size_remembered (void)
{
  /* The size a window had when it was closed is the size the next one opens with. */
  GSettings *settings = sa_application_get_settings (app);
  SaWindow *window = make_window ();
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (window), 777, 555);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 777);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 555);
  g_assert_finalize_object (window);

  window = make_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 777);
  g_assert_cmpint (height, ==, 555);
  close_window (window);
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
wait_for_page_change (SaWindow *window)
{
  while (g_strcmp0 (sa_window_get_page (window), "main") != 0 &&
         _sa_window_get_sign_in_message (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_sign_in_real_registry (void)
{
  /* Against a real registry: a wrong password says so; the right one opens the desk with the user's name and remembers the account. */
  SaTestSpawnedRegistry r = { 0 };
  SaWindow *window;
  g_autofree char *remembered = NULL;

  sa_test_spawn_registry (&r, 20);

  window = make_window ();
  sa_window_sign_in (window, r.url, "executor.almaty-teplo", "not-the-password");
  wait_for_page_change (window);
  g_assert_cmpstr (sa_window_get_page (window), ==, "sign-in");
  g_assert_cmpstr (_sa_window_get_sign_in_message (window), ==, "Wrong login or password.");

  sa_window_sign_in (window, r.url, "executor.almaty-teplo", "demo-executor");
  while (g_strcmp0 (sa_window_get_page (window), "main") != 0)
    {
      g_assert_null (_sa_window_get_sign_in_message (window));
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpstr (_sa_window_get_user_name (window), !=, "executor.almaty-teplo");
  g_assert_cmpuint (strlen (_sa_window_get_user_name (window)), >, 5);
  remembered = g_settings_get_string (sa_application_get_settings (app), "account-login");
  g_assert_cmpstr (remembered, ==, "executor.almaty-teplo");
  close_window_soon (window);

  /* The next start opens straight into the account from the keyring. */
  window = make_window ();
  sa_window_restore_session (window, NULL, NULL);
  while (g_strcmp0 (sa_window_get_page (window), "main") != 0)
    {
      g_assert_cmpstr (sa_window_get_page (window), !=, "sign-in");
      g_main_context_iteration (NULL, TRUE);
    }
  close_window_soon (window);

  sa_test_stop_registry (&r);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = sa_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/sa/window/sign-in/first-start", test_first_start);
  g_test_add_func ("/sa/window/sign-in/bad-address", test_bad_address);
  g_test_add_func ("/sa/window/sign-in/unreachable", test_unreachable);
  g_test_add_func ("/sa/window/size-remembered", test_size_remembered);
  g_test_add_func ("/sa/window/sign-in/real-registry", test_sign_in_real_registry);
  ret = g_test_run ();

  g_object_unref (app);
  return ret;
}
