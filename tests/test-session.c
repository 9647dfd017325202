/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "sa-test-files.h"
#include "sa-application.h"
#include "sa-test-damage.h"
#include "sa-test-spawn.h"
#include "sa-test-widgets.h"
#include "sa-window-private.h"

/* The window's session as a user drives it against a real registry: the
 * sign-in form typed into and its button clicked, signing out from the
 * main menu and back in, the registry addresses it refuses, and an
 * account whose cache on disk was damaged. */

#define COMMENT "Беру в работу, выезжаю"

static SaApplication *app;
static SaTestSpawnedRegistry registry;
static char *data_dir;

/* ------------------------------------------------------------------ */
/* Talking to the registry as another client would */

static JsonNode *
http (const char *method,
      const char *path,
      const char *token,
      const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (registry.url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), <, 300);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             g_bytes_get_size (answer), &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
access_token (const char *login,
              const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\"}", login,
                                           password);
  g_autoptr(JsonNode) answer = http ("POST", "/api/v1/auth/login", NULL, body);

  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "access_token"));
}

/* How many history entries of the appeal, as the registry keeps it, are
 * comments reading @text. */
static guint
registry_comments (const char *token,
                   const char *appeal_id,
                   const char *text)
{
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", appeal_id, NULL);
  g_autoptr(JsonNode) appeal = http ("GET", path, token, NULL);
  JsonArray *history = json_object_get_array_member (json_node_get_object (appeal), "history");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *event = json_array_get_object_element (history, i);
      JsonObject *payload = json_object_get_object_member (event, "payload");

      if (g_strcmp0 (json_object_get_string_member (event, "type"), "comment") == 0 &&
          payload != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (payload, "text", NULL),
                     text) == 0)
        n++;
    }
  return n;
}

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
  return sa_session_get_engine (window->session) != NULL &&
         sa_sync_engine_get_state (sa_session_get_engine (window->session)) == SA_SYNC_STATE_SYNCED;
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
  if (*gtk_editable_get_text (GTK_EDITABLE (window->sign_in->server_row)) == '\0')
    type_into (window->sign_in->server_row, registry.url);
  type_into (window->sign_in->login_row, login);
  type_into (window->sign_in->password_row, password);
  click (window, "_Sign In");

  wait_until (page_changed, window, "the sign-in to answer");
  g_assert_cmpstr (_sa_window_get_sign_in_message (window), ==, NULL);
  g_assert_cmpstr (sa_window_get_page (window), ==, "main");
  g_assert_cmpstr (sa_session_get_login (window->session), ==, login);
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
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->sign_in->login_row)), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->sign_in->password_row)), ==, "");
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
  type_into (window->sign_in->server_row, registry.url);
  type_into (window->sign_in->login_row, executor.login);
  type_into (window->sign_in->password_row, executor.password);
  g_signal_emit_by_name (window->sign_in->password_row, "entry-activated");
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
      g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->sign_in->sign_in_button)));
      g_assert_null (sa_session_get_client (window->session));
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
  gtk_editable_set_text (GTK_EDITABLE (window->sign_in->server_row), "");
  type_into (window->sign_in->server_row, localhost);
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
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->sign_in->server_row)), ==,
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
/* A damaged cache */

/* Waits (bounded) for the object *@weak points to to be finalized. */
static void
wait_for_finalize (gpointer *weak)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (*weak != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (*weak);
}

static gboolean
lists_appeals (SaWindow *window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (window->list_pane->appeals)) > 0;
}

/* Signs in as the executor, makes a comment while the registry is away,
 * and closes the window with it waiting in the outbox. Returns the cache
 * file and sets @out_appeal_id. */
static char *
leave_comment_offline (const char  *text,
                       char       **out_appeal_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(SaAppealRow) row = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *path = NULL;
  SaWindow *window = make_window ();
  SaCache *cache;
  gpointer weak;

  g_settings_reset (sa_application_get_settings (app), "account-login");
  sa_window_restore_session (window, NULL, NULL);
  sign_in_with_form (window, executor.login, executor.password);
  cache = sa_window_get_cache (window);
  path = g_strdup (sa_cache_get_path (cache));
  /* Any of the agency's appeals: a small demo may give this executor none
   * of their own. */
  sa_sidebar_set_section (window->sidebar, SA_SECTION_ALL);
  wait_until (lists_appeals, window, "the agency's appeals");
  row = g_list_model_get_item (G_LIST_MODEL (window->list_pane->appeals), 0);
  g_assert_nonnull (row);
  *out_appeal_id = g_strdup (sa_appeal_row_get_id (row));

  sa_test_pause_registry (&registry);
  json_object_set_string_member (args, "text", text);
  op_id = sa_cache_apply_local_op_sync (cache, *out_appeal_id, "comment", args, &error);
  g_assert_no_error (error);

  /* Closed as the user quits: the cache goes once nothing holds it. */
  weak = cache;
  g_object_add_weak_pointer (G_OBJECT (cache), &weak);
  close_window (window);
  wait_for_finalize (&weak);
  sa_test_resume_registry (&registry);
  return g_steal_pointer (&path);
}

/* The damaged copies beside @path. */
static GPtrArray *
set_aside_files (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".damaged-", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, prefix) && !g_str_has_suffix (name, "-wal") &&
        !g_str_has_suffix (name, "-shm"))
      g_ptr_array_add (found, g_build_filename (dir, name, NULL));
  return found;
}

static gboolean
rebuilt (SaWindow *window)
{
  return _sa_window_get_cache_notice (window) != NULL && synced (window) &&
         sa_sync_engine_get_pending (sa_session_get_engine (window->session)) == 0 &&
         sa_sidebar_get_count (window->sidebar, SA_SECTION_ALL) > 0;
}

/* Until its check has read every page, the desk shows a damaged cache
 * like any other, and what reads it may log that it could not: while
 * @expect_damage, those warnings are written as messages; anything else
 * stays fatal. */
static gboolean expect_damage;

static GLogWriterOutput
test_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (expect_damage && (log_level & G_LOG_LEVEL_MASK) == G_LOG_LEVEL_WARNING)
    for (gsize i = 0; i < n_fields; i++)
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
          (strstr (fields[i].value, "malformed") != NULL ||
           strstr (fields[i].value, "not a database") != NULL))
        return g_log_writer_default (G_LOG_LEVEL_MESSAGE, fields, n_fields, user_data);
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
test_damaged_cache (gconstpointer data)
{
  /* An account whose cache was damaged opens without a crash or an endless spinner: the damaged file is set aside unchanged and private, the window says so in a dialog, the account is loaded again from the registry, and the comment made offline reaches the registry, or, when it could not be read, the dialog says where the damaged copy is. */
  SaTestDamage how = GPOINTER_TO_INT (data);
  g_autofree char *comment = g_strdup_printf ("%s (%d)", COMMENT, how);
  g_autofree char *appeal = NULL;
  g_autofree char *path = leave_comment_offline (comment, &appeal);
  g_autofree char *digest = NULL;
  g_autofree char *aside_digest = NULL;
  g_autofree char *token = access_token (executor.login, executor.password);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GPtrArray) aside = NULL;
  GStatBuf st;
  AdwMessageDialog *notice;
  const char *body;
  SaWindow *window;

  g_assert_cmpuint (registry_comments (token, appeal, comment), ==, 0);
  sa_test_damage (path, how);
  digest = sa_test_file_digest (path);
  expect_damage = TRUE;

  /* The next start, from the keyring, as the application starts. */
  window = make_window ();
  sa_window_restore_session (window, NULL, NULL);
  wait_until (rebuilt, window, "the account to be loaded again");

  notice = _sa_window_get_cache_notice (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (notice), ==, "Stored Appeals Were Damaged");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (notice)));
  body = adw_message_dialog_get_body (notice);
  g_assert_nonnull (strstr (body, "are being loaded again from the registry"));

  aside = set_aside_files (path);
  g_assert_cmpuint (aside->len, ==, 1);
  aside_digest = sa_test_file_digest (aside->pdata[0]);
  g_assert_cmpstr (aside_digest, ==, digest);
  g_assert_cmpint (g_stat (aside->pdata[0], &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);

  if (how == SA_TEST_DAMAGE_RANDOM_BYTES)
    {
      /* Nothing could be read: the dialog says where the copy is kept. */
      g_assert_nonnull (strstr (body, "may be missing"));
      g_assert_nonnull (strstr (body, folder));
      g_assert_nonnull (sa_test_find_button (GTK_WIDGET (notice), "_Show Folder"));
      g_assert_cmpuint (registry_comments (token, appeal, comment), ==, 0);
    }
  else
    {
      /* The comment was kept, and syncing sent it. */
      g_assert_nonnull (strstr (body, "1 change you had not yet sent was kept and will be sent."));
      g_assert_null (strstr (body, "may be missing"));
      g_assert_cmpuint (registry_comments (token, appeal, comment), ==, 1);
    }

  expect_damage = FALSE;
  gtk_window_destroy (GTK_WINDOW (notice));
  sign_out_from_menu (window);
  close_window (window);
  /* Signing out removes the new cache; the damaged copy stays. */
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (g_file_test (path, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  for (guint i = 0; i < aside->len; i++)
    {
      g_autofree char *wal = g_strconcat (aside->pdata[i], "-wal", NULL);
      g_autofree char *shm = g_strconcat (aside->pdata[i], "-shm", NULL);

      g_assert_true (g_file_test (aside->pdata[i], G_FILE_TEST_EXISTS));
      g_unlink (aside->pdata[i]);
      g_unlink (wal);
      g_unlink (shm);
    }
  g_rmdir (folder);
}

static gboolean
shows_cache_error (SaWindow *window)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (window->list_pane->list_stack),
                    "empty") == 0 &&
         sa_session_get_cache_error (window->session) != NULL;
}

static void
test_newer_cache (void)
{
  /* A cache written by a newer version is neither set aside nor spun on: the list says what is wrong, and the file is left as it is. */
  g_autofree char *appeal = NULL;
  g_autofree char *path = leave_comment_offline (COMMENT, &appeal);
  g_autofree char *digest = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) aside = NULL;
  sqlite3 *db = NULL;
  SaWindow *window;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  digest = sa_test_file_digest (path);

  window = make_window ();
  sa_window_restore_session (window, NULL, NULL);
  wait_until (shows_cache_error, window, "the list to say what is wrong");
  g_assert_cmpstr (adw_status_page_get_title (window->list_pane->empty_page), ==,
                   "Stored Appeals Cannot Be Opened");
  g_assert_cmpstr (adw_status_page_get_description (window->list_pane->empty_page), ==,
                   "They were saved by a newer version of Smart Appeals. "
                   "Update the application to work with them.");
  g_assert_null (_sa_window_get_cache_notice (window));
  aside = set_aside_files (path);
  g_assert_cmpuint (aside->len, ==, 0);
  after = sa_test_file_digest (path);
  g_assert_cmpstr (after, ==, digest);

  sign_out_from_menu (window);
  close_window (window);
}

/* ------------------------------------------------------------------ */

int
main (int    argc,
      char **argv)
{
  int ret;

  g_log_set_writer_func (test_log_writer, NULL, NULL);
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
  g_test_add_data_func ("/sa/session/damaged-cache/bad-pages",
                        GINT_TO_POINTER (SA_TEST_DAMAGE_BAD_PAGES), test_damaged_cache);
  g_test_add_data_func ("/sa/session/damaged-cache/truncated",
                        GINT_TO_POINTER (SA_TEST_DAMAGE_TRUNCATED), test_damaged_cache);
  g_test_add_data_func ("/sa/session/damaged-cache/random-bytes",
                        GINT_TO_POINTER (SA_TEST_DAMAGE_RANDOM_BYTES), test_damaged_cache);
  g_test_add_func ("/sa/session/damaged-cache/newer-version", test_newer_cache);

  sa_test_spawn_registry (&registry, 30);
  ret = g_test_run ();
  sa_test_stop_registry (&registry);

  g_object_unref (app);
  sa_test_remove_tree (data_dir);
  g_free (data_dir);
  return ret;
}
