/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>

#include "sa-application.h"
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
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (weak);
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

/* A real registry with the demo data, spawned from the built binary. */
typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *url;
} Registry;

static void
registry_start (Registry *r)
{
  const char *exe = g_getenv ("SA_REGISTRY_EXE");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) init = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *db = NULL;
  g_autofree char *line = NULL;

  r->dir = g_dir_make_tmp ("sa-window-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (r->dir, "registry.db", NULL);
  init = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, exe, "init", "--db", db,
                           "--demo", "--appeals", "20", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (init, NULL, &error));
  g_assert_no_error (error);

  r->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                 &error, exe, "serve", "--db", db, "--listen", "127.0.0.1:0",
                                 NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (r->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  r->url = g_strdup (line + strlen ("listening on "));
}

static void
registry_stop (Registry *r)
{
  g_autofree char *db = g_build_filename (r->dir, "registry.db", NULL);
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_subprocess_send_signal (r->process, SIGTERM);
  g_subprocess_wait (r->process, NULL, NULL);
  g_clear_object (&r->process);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
      g_unlink (path);
    }
  g_rmdir (r->dir);
  g_clear_pointer (&r->dir, g_free);
  g_clear_pointer (&r->url, g_free);
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
  Registry r = { 0 };
  SaWindow *window;
  g_autofree char *remembered = NULL;

  registry_start (&r);

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
  g_assert_cmpstr (_sa_window_get_welcome_text (window), !=, "executor.almaty-teplo");
  g_assert_cmpuint (strlen (_sa_window_get_welcome_text (window)), >, 5);
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

  registry_stop (&r);
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
