/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-registry-process"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sa-registry-db-private.h"
#include "registry-test-util.h"
#include "sa-demo-data.h"

/* Tests of the built smart-appeals-registry binary (SA_REGISTRY_EXE):
 * its command line, its "listening on" line, a clean stop on SIGTERM and
 * a restart with the data intact. */

typedef struct
{
  GSubprocess *proc;
  char        *base;
} Served;

static const char *
exe (void)
{
  const char *path = g_getenv ("SA_REGISTRY_EXE");

  g_assert_nonnull (path);
  return path;
}

/* Runs the CLI with @input on stdin; returns its exit status. */
static int
run_cli (const char  *input,
         char       **out_stdout,
         char       **out_stderr,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) exe ());
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

static Served *
serve_full (const char *db_path,
            const char *cert,
            const char *key)
{
  Served *s = g_new0 (Served, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GRegex) re = g_regex_new (cert != NULL
                                      ? "^listening on https://127\\.0\\.0\\.1:[1-9][0-9]*$"
                                      : "^listening on http://127\\.0\\.0\\.1:[1-9][0-9]*$",
                                      0, 0, NULL);
  g_autofree char *line = NULL;

  if (cert != NULL)
    {
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS") != NULL
                                           ? g_getenv ("ASAN_OPTIONS") : "",
                                           ":detect_leaks=0", NULL);

      /* Under -Db_sanitize=address, LeakSanitizer's own tracer crashes at
       * exit once GnuTLS's threads exist, turning a clean stop into exit
       * status 1; leaks are still checked by the plain-HTTP runs. */
      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", asan, TRUE);
      s->proc = g_subprocess_launcher_spawn (launcher, &error, exe (), "serve", "--db", db_path,
                                             "--listen", "127.0.0.1:0", "--no-access-log",
                                             "--tls-cert", cert, "--tls-key", key, NULL);
    }
  else
    s->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe (), "serve",
                                "--db", db_path, "--listen", "127.0.0.1:0", "--no-access-log",
                                NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_regex_match (re, line, 0, NULL));
  s->base = g_strdup (line + strlen ("listening on "));
  return s;
}

static Served *
serve (const char *db_path)
{
  return serve_full (db_path, NULL, NULL);
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* SIGTERM must stop the server cleanly: exit status 0 within 10 s. */
static void
stop (Served *s)
{
  gboolean done = FALSE;
  gboolean timed_out = FALSE;
  guint timeout;

  g_subprocess_send_signal (s->proc, SIGTERM);
  g_subprocess_wait_async (s->proc, NULL, on_waited, &done);
  timeout = g_timeout_add_seconds (10, on_timeout, &timed_out);
  while (!done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  else
    g_subprocess_force_exit (s->proc);
  g_assert_false (timed_out);
  g_assert_true (g_subprocess_get_if_exited (s->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (s->proc), ==, 0);
  g_clear_object (&s->proc);
  g_free (s->base);
  g_free (s);
}

static char *
make_db (char **out_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaRegistryDb) db = NULL;
  char *dir = sa_test_make_dir ();
  char *path = g_build_filename (dir, "registry.db", NULL);

  db = sa_registry_db_open (path, &error);
  g_assert_no_error (error);
  sa_test_seed (db);
  *out_dir = dir;
  return path;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static guint
post (SoupSession *session,
      Served      *s,
      const char  *path,
      const char  *token,
      const char  *body,
      JsonNode   **out)
{
  return sa_test_http (session, s->base, "POST", path, token, "application/json", body, -1, out);
}

static char *
login (SoupSession *session,
       Served      *s,
       const char  *user,
       const char  *password,
       guint        expect)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\"}", user,
                                           password);
  g_autoptr(JsonNode) json = NULL;

  g_assert_cmpuint (post (session, s, "/api/v1/auth/login", NULL, body, &json), ==, expect);
  return expect == 200 ? g_strdup (sa_test_member_string (json, "access_token")) : NULL;
}

static void
test_restart_keeps_data (void)
{
  /* An appeal and its history written before SIGTERM are served unchanged after a restart. */
  g_autofree char *dir = NULL;
  g_autofree char *db_path = make_db (&dir);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *op = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *iin = sa_test_iin (7);
  g_autofree char *body = sa_test_intake_body ("heating.no-heat", iin, "ул. Кунаева, 21", "medeu");
  g_autofree char *ops = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;
  g_autoptr(JsonNode) appeal = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  Served *s;

  s = serve (db_path);
  op = login (session, s, "op.cc", "pw-op.cc", 200);
  g_assert_cmpuint (post (session, s, "/api/v1/intake", op, body, &appeal), ==, 201);
  path = g_strconcat ("/api/v1/appeals/", sa_test_member_string (appeal, "id"), NULL);
  exec = login (session, s, "exec.heat", "pw-exec.heat", 200);
  ops = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"take\",\"appeal_id\":\"%s\","
                         "\"base_version\":1,\"args\":{}}]}",
                         "5b1e8d42-5555-4555-8555-000000000001",
                         sa_test_member_string (appeal, "id"));
  g_assert_cmpuint (post (session, s, "/api/v1/ops", exec, ops, &result), ==, 200);
  g_assert_cmpuint (sa_test_http (session, s->base, "GET", path, exec, NULL, NULL, 0, &before),
                    ==, 200);
  g_assert_cmpint (sa_test_member_int (before, "version"), ==, 2);
  stop (s);

  /* Tokens survive too: they are stored (hashed) in the database. */
  s = serve (db_path);
  g_assert_cmpuint (sa_test_http (session, s->base, "GET", path, exec, NULL, NULL, 0, &after),
                    ==, 200);
  before_text = _sa_registry_json_to_string (before);
  after_text = _sa_registry_json_to_string (after);
  g_assert_cmpstr (before_text, ==, after_text);
  /* The replayed op is still known after the restart. */
  g_clear_pointer (&result, json_node_unref);
  g_assert_cmpuint (post (session, s, "/api/v1/ops", exec, ops, &result), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (json_node_get_object (result), "results"),
                       0),
                     "status"), ==, "duplicate");
  stop (s);

  g_clear_object (&session);
  sa_test_remove_dir (dir);
}

static void
test_cli_users (void)
{
  /* user add, passwd and disable change who can sign in: the new password works, the old does not, a disabled account is refused. */
  g_autofree char *dir = NULL;
  g_autofree char *db_path = make_db (&dir);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *err = NULL;
  g_autofree char *token = NULL;
  Served *s;

  g_assert_cmpint (run_cli ("first-secret\n", NULL, NULL, "user", "add", "--db", db_path,
                            "--login", "new.heat", "--agency", "HEAT", "--role", "executor",
                            "--full-name", "Новый Исполнитель", "--password-stdin", NULL), ==, 0);
  g_assert_cmpint (run_cli ("x\n", NULL, &err, "user", "add", "--db", db_path, "--login",
                            "new.heat", "--agency", "HEAT", "--role", "executor",
                            "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "taken"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("x\n", NULL, &err, "user", "add", "--db", db_path, "--login", "y",
                            "--agency", "HEAT", "--role", "emperor", "--password-stdin", NULL),
                   ==, 2);
  g_assert_nonnull (strstr (err, "role"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("x\n", NULL, &err, "user", "add", "--db", db_path, "--login", "y",
                            "--agency", "NOPE", "--role", "executor", "--password-stdin", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "agency"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (NULL, NULL, &err, "user", "add", "--db", db_path, "--login", "y",
                            "--agency", "HEAT", "--role", "executor", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--password-stdin"));
  g_assert_cmpint (run_cli ("second-secret\n", NULL, NULL, "user", "passwd", "--db", db_path,
                            "--login", "new.heat", "--password-stdin", NULL), ==, 0);

  /* The password policy and the login rule, each with a sentence that says what to do. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("x\n", NULL, &err, "user", "add", "--db", db_path, "--login",
                            "short.pw", "--agency", "HEAT", "--role", "executor",
                            "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "at least 10 characters"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("short.pw-is-mine\n", NULL, &err, "user", "add", "--db", db_path,
                            "--login", "short.pw", "--agency", "HEAT", "--role", "executor",
                            "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "must not contain the login"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("qwertyuiop\n", NULL, &err, "user", "add", "--db", db_path,
                            "--login", "short.pw", "--agency", "HEAT", "--role", "executor",
                            "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "guessed first"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("first-secret\n", NULL, &err, "user", "add", "--db", db_path,
                            "--login", "New.Heat", "--agency", "HEAT", "--role", "executor",
                            "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "lower-case"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("demo-executor\n", NULL, &err, "user", "passwd", "--db", db_path,
                            "--login", "new.heat", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "guessed first"));

  s = serve (db_path);
  token = login (session, s, "new.heat", "second-secret", 200);
  login (session, s, "new.heat", "first-secret", 401);
  stop (s);

  g_assert_cmpint (run_cli (NULL, NULL, NULL, "user", "disable", "--db", db_path, "--login",
                            "new.heat", NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "user", "disable", "--db", db_path, "--login",
                            "ghost", NULL), ==, 1);
  s = serve (db_path);
  login (session, s, "new.heat", "second-secret", 403);
  /* Disabling ended the session that was open. */
  g_assert_cmpuint (sa_test_http (session, s->base, "GET", "/api/v1/me", token, NULL, NULL, 0,
                                  NULL), ==, 401);
  stop (s);

  g_clear_object (&session);
  sa_test_remove_dir (dir);
}

static void
test_cli_errors (void)
{
  /* --help succeeds; unknown commands, bad options and unusable files fail with a message and a non-zero status. */
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *dir = sa_test_make_dir ();
  g_autofree char *db_path = g_build_filename (dir, "fresh.db", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "no", "such", "dir.db", NULL);

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "serve --db PATH --listen HOST:PORT"));
  g_assert_cmpint (run_cli (NULL, NULL, &err, "explode", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "unknown command"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (NULL, NULL, &err, "serve", "--db", db_path, "--listen", "nowhere",
                            NULL), ==, 2);
  g_assert_nonnull (strstr (err, "HOST:PORT"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (NULL, NULL, &err, "init", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--db"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (NULL, NULL, &err, "init", "--db", bad_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Cannot open"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (NULL, &out, NULL, "init", "--db", db_path, NULL), ==, 0);
  g_assert_true (g_file_test (db_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "compact", "--db", db_path, "--keep", "10", NULL),
                   ==, 0);
  sa_test_remove_dir (dir);
}

/* Data rows of one of data/reference/'s files, counted without the parser. */
static guint
count_file_rows (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("SA_SOURCE_ROOT"), "data", "reference",
                                            name, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n += strchr (lines[i], '|') != NULL && lines[i][0] != '#' &&
         !g_str_has_prefix (lines[i], "columns ");
  return n;
}

static gint64
query_int (SaRegistryDb *db,
           const char   *sql,
           const char   *arg)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (db, sql, NULL);
  gint64 value = -1;

  g_assert_nonnull (stmt);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static char *
query_text (SaRegistryDb *db,
            const char   *sql,
            const char   *arg)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (db, sql, NULL);
  char *value = NULL;

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static void
test_init_reference (void)
{
  /* A plain init loads exactly the reference data's rows, so that user add works on a fresh
   * registry; a second init changes nothing and sends nothing to the feed. */
  g_autofree char *dir = sa_test_make_dir ();
  g_autofree char *db_path = g_build_filename (dir, "city.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *district = NULL;
  g_autoptr(SaRegistryDb) db = NULL;
  g_autoptr(GError) error = NULL;
  gint64 feed_head;

  g_assert_cmpint (run_cli (NULL, &out, NULL, "init", "--db", db_path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "8 districts, 68 agencies"));
  g_assert_cmpint (run_cli ("Kx7-long-enough-secret-2026\n", NULL, NULL, "user", "add", "--db",
                            db_path, "--login", "executor.new", "--agency", "ALMATY-TEPLO",
                            "--role", "executor", "--password-stdin", NULL), ==, 0);

  db = sa_registry_db_open (db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM districts", NULL), ==, 8);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM districts", NULL), ==,
                   count_file_rows ("districts.txt"));
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM agencies", NULL), ==, 68);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM agencies", NULL), ==,
                   count_file_rows ("agencies.txt"));
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM categories", NULL), ==,
                   count_file_rows ("categories.txt"));
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM gazetteer", NULL), ==,
                   count_file_rows ("streets.txt"));
  /* Agencies and categories reach clients through the feed. */
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM feed WHERE kind IN ('agency',"
                                  " 'category')", NULL), ==,
                   count_file_rows ("agencies.txt") + count_file_rows ("categories.txt"));
  g_assert_cmpint (query_int (db, "SELECT resolution_minutes FROM categories WHERE code = ?1",
                              "manholes.open"), ==, 24 * 60);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM appeals", NULL), ==, 0);

  /* Intake's street lookup: the forms of single-district streets only. */
  district = query_text (db, "SELECT district FROM streets WHERE name = ?1", "ул. кунаева");
  g_assert_cmpstr (district, ==, "medeu");
  g_free (district);
  district = query_text (db, "SELECT district FROM streets WHERE name = ?1",
                         "самал-2 шағын ауданы");
  g_assert_cmpstr (district, ==, "medeu");
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM streets WHERE name = ?1", "пр. абая"),
                   ==, 0);
  feed_head = query_int (db, "SELECT MAX (seq) FROM feed", NULL);
  g_clear_object (&db);

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (NULL, &out, NULL, "init", "--db", db_path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "(0 agencies and categories new or changed)"));
  db = sa_registry_db_open (db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT MAX (seq) FROM feed", NULL), ==, feed_head);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM agencies", NULL), ==, 68);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM users", NULL), ==, 1);
  g_clear_object (&db);
  sa_test_remove_dir (dir);
}

static void
test_init_reference_dir (void)
{
  /* init --reference DIR loads another copy of the files; a malformed one is refused with its
   * file and line before any database is made, and a changed category goes to the feed. */
  g_autofree char *dir = sa_test_make_dir ();
  g_autofree char *ref_dir = g_build_filename (dir, "reference", NULL);
  g_autofree char *db_path = g_build_filename (dir, "city.db", NULL);
  g_autofree char *categories = g_build_filename (ref_dir, "categories.txt", NULL);
  g_autofree char *text = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *good = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autoptr(SaRegistryDb) db = NULL;
  g_autoptr(GError) error = NULL;
  const char * const names[] = { "districts.txt", "agencies.txt", "categories.txt",
                                 "streets.txt" };
  gint64 seq;

  g_assert_cmpint (g_mkdir (ref_dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *from = g_build_filename (g_getenv ("SA_SOURCE_ROOT"), "data",
                                                "reference", names[i], NULL);
      g_autofree char *to = g_build_filename (ref_dir, names[i], NULL);
      g_autofree char *contents = NULL;

      g_assert_true (g_file_get_contents (from, &contents, NULL, NULL));
      g_assert_true (g_file_set_contents (to, contents, -1, NULL));
    }
  g_assert_true (g_file_get_contents (categories, &text, NULL, NULL));

  bad = g_strconcat (text, "gas.leak | gas | QAZAQGAZ-AIMAQ | emergency | 24x7 | 4h | 1h |"
                     " Утечка газа | Газдың ағуы\n", NULL);
  g_assert_true (g_file_set_contents (categories, bad, -1, NULL));
  expected = g_strdup_printf ("%s:%u: the reaction (4h) must come before the resolution (1h)",
                              categories, count_lines (bad));
  g_assert_cmpint (run_cli (NULL, NULL, &err, "init", "--db", db_path, "--reference", ref_dir,
                            NULL), ==, 1);
  g_assert_nonnull (strstr (err, expected));
  g_assert_false (g_file_test (db_path, G_FILE_TEST_EXISTS));

  good = g_strconcat (text, "gas.leak | gas | QAZAQGAZ-AIMAQ | emergency | 24x7 | 30min | 4h |"
                      " Утечка газа | Газдың ағуы\n", NULL);
  g_assert_true (g_file_set_contents (categories, good, -1, NULL));
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "init", "--db", db_path, NULL), ==, 0);
  db = sa_registry_db_open (db_path, &error);
  g_assert_no_error (error);
  seq = query_int (db, "SELECT MAX (seq) FROM feed", NULL);
  g_clear_object (&db);
  g_assert_cmpint (run_cli (NULL, &out, NULL, "init", "--db", db_path, "--reference", ref_dir,
                            NULL), ==, 0);
  g_assert_nonnull (strstr (out, "(1 agencies and categories new or changed)"));
  db = sa_registry_db_open (db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT seq FROM feed WHERE kind = 'category'"
                                  " AND entity_id = ?1", "gas.leak"), >, seq);
  g_clear_object (&db);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (ref_dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (ref_dir);
  sa_test_remove_dir (dir);
}

static void
test_init_demo (void)
{
  /* init --demo inserts the demo reference data, accounts and N appeals, prints the accounts, and refuses a second run. */
  g_autofree char *dir = sa_test_make_dir ();
  g_autofree char *db_path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonNode) agencies = NULL;
  g_autoptr(JsonNode) feed = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *token = NULL;
  g_autoptr(SaReference) ref = sa_reference_new_default (NULL);
  g_autoptr(SaDemo) demo = sa_demo_new (ref, NULL);
  const SaDemoUser *users;
  const SaDemoUser *curator = NULL;
  guint n_users, n_agencies, appeals = 0;
  JsonArray *changes;
  Served *s;

  users = sa_demo_get_users (demo, &n_users);
  sa_reference_get_agencies (ref, &n_agencies);
  for (guint i = 0; i < n_users; i++)
    if (g_strcmp0 (users[i].role, "curator") == 0)
      curator = &users[i];
  g_assert_nonnull (curator);

  g_assert_cmpint (run_cli (NULL, &out, NULL, "init", "--db", db_path, "--demo", "--appeals",
                            "60", NULL), ==, 0);
  g_assert_nonnull (strstr (out, curator->login));
  g_assert_nonnull (strstr (out, curator->password));
  g_assert_cmpint (run_cli (NULL, NULL, &err, "init", "--db", db_path, "--demo", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "appeals already"));

  s = serve (db_path);
  g_assert_cmpuint (sa_test_http (session, s->base, "GET", "/api/v1/agencies", NULL, NULL, NULL,
                                  0, &agencies), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (agencies), "agencies")), ==, n_agencies);
  token = login (session, s, curator->login, curator->password, 200);
  g_assert_cmpuint (sa_test_http (session, s->base, "GET", "/api/v1/changes?since=0&limit=2000",
                                  token, NULL, NULL, 0, &feed), ==, 200);
  changes = json_object_get_array_member (json_node_get_object (feed), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (changes, i),
                                                  "kind"), "appeal") == 0)
      appeals++;
  g_assert_cmpuint (appeals, ==, 60);
  stop (s);

  g_clear_object (&session);
  sa_test_remove_dir (dir);
}

static gboolean
accept_any_certificate (SoupMessage          *msg,
                        GTlsCertificate      *certificate,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  return TRUE;
}

static void
test_tls (void)
{
  /* With --tls-cert and --tls-key the registry serves HTTPS and says so in its listening line. */
  g_autofree char *dir = NULL;
  g_autofree char *db_path = make_db (&dir);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *err = NULL;
  int status = -1;
  Served *s;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  g_spawn_sync (NULL, (char *[]) { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                   "-keyout", key, "-out", cert, "-days", "1", "-subj",
                                   "/CN=127.0.0.1", NULL },
                NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  s = serve_full (db_path, cert, key);
  g_assert_true (g_str_has_prefix (s->base, "https://"));
  uri = g_strconcat (s->base, "/healthz", NULL);
  msg = soup_message_new ("GET", uri);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  body = sa_test_send (session, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "\"ok\""));
  stop (s);

  g_assert_cmpint (run_cli (NULL, NULL, &err, "serve", "--db", db_path, "--listen",
                            "127.0.0.1:0", "--tls-cert", cert, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--tls-key"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (NULL, NULL, &err, "serve", "--db", db_path, "--listen",
                            "127.0.0.1:0", "--tls-cert", db_path, "--tls-key", db_path, NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "TLS"));
  g_clear_object (&session);
  sa_test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  sa_test_registry_env ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/registry/process/restart-keeps-data", test_restart_keeps_data);
  g_test_add_func ("/sa/registry/process/cli-users", test_cli_users);
  g_test_add_func ("/sa/registry/process/cli-errors", test_cli_errors);
  g_test_add_func ("/sa/registry/process/tls", test_tls);
  g_test_add_func ("/sa/registry/process/init-reference", test_init_reference);
  g_test_add_func ("/sa/registry/process/init-reference-dir", test_init_reference_dir);
  g_test_add_func ("/sa/registry/process/init-demo", test_init_demo);

  return g_test_run ();
}
