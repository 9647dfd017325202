/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-registry-auth"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "sa-registry-db-private.h"
#include "registry-test-util.h"
#include "sa-demo-data.h"

/* Sign-in under attack, the password policy, the login rule and the
 * database's file modes, against a registry served in-process on
 * 127.0.0.1 port 0. Attempts "from other addresses" bind the client to
 * other loopback addresses (all of 127.0.0.0/8 is this machine). */

typedef struct
{
  SaTestRegistry *r;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->r = sa_test_registry_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->r, sa_test_registry_free);
}

/* A session whose connections come from 127.0.0.@n. */
static SoupSession *
session_from (guint n)
{
  g_autofree char *ip = g_strdup_printf ("127.0.0.%u", n);
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (ip);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (addr, 0);

  return soup_session_new_with_options ("local-address", local, "max-conns", 400,
                                        "max-conns-per-host", 400, NULL);
}

static guint
login_from (Fixture     *f,
            SoupSession *session,
            const char  *login,
            const char  *password,
            char       **out_retry_after)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\"}", login,
                                           password);
  g_autofree char *uri = g_strconcat (f->r->base, "/api/v1/auth/login", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  answer = sa_test_send (session, msg);
  if (out_retry_after != NULL)
    *out_retry_after = g_strdup (soup_message_headers_get_one (
        soup_message_get_response_headers (msg), "Retry-After"));
  return soup_message_get_status (msg);
}

typedef struct
{
  guint pending;
  guint n_401;
  guint n_429;
  guint n_other;
} Burst;

static void
on_burst_sent (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Burst *burst = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               NULL);
  guint status = soup_message_get_status (msg);

  if (status == 401)
    burst->n_401++;
  else if (status == 429)
    burst->n_429++;
  else
    burst->n_other++;
  burst->pending--;
  g_object_unref (msg);
}

static void
test_concurrent_guesses (Fixture       *f,
                         gconstpointer  data)
{
  /* 300 guesses at one login sent at once: only the three free ones are verified (401), every other one answers 429 without a hash, and the right password is held back too. */
  g_autoptr(SoupSession) session = session_from (1);
  g_autofree char *uri = g_strconcat (f->r->base, "/api/v1/auth/login", NULL);
  char hash[crypto_pwhash_STRBYTES];
  Burst burst = { 0 };
  sqlite3_stmt *stmt;

  /* The production cost (not the test suite's minimum), so that each
   * verification takes long enough for the guesses to overlap. */
  g_assert_cmpint (crypto_pwhash_str (hash, "pw-sup.heat", strlen ("pw-sup.heat"),
                                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                      crypto_pwhash_MEMLIMIT_INTERACTIVE), ==, 0);
  stmt = sa_registry_db_prepare (f->r->db, "UPDATE users SET pwhash = ?1"
                                           " WHERE login = 'sup.heat'", NULL);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"login\":\"sup.heat\",\"password\":\"guess-%u\"}",
                                               i);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      SoupMessage *msg = soup_message_new ("POST", uri);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      burst.pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_burst_sent,
                                        &burst);
    }
  while (burst.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("%u verified (401), %u held back (429), %u other", burst.n_401, burst.n_429,
                  burst.n_other);
  g_assert_cmpuint (burst.n_401, ==, 3);
  g_assert_cmpuint (burst.n_429, ==, 297);
  g_assert_cmpuint (burst.n_other, ==, 0);
  g_assert_cmpuint (login_from (f, session, "sup.heat", "pw-sup.heat", NULL), ==, 429);
}

static void
test_unknown_login_alike (Fixture       *f,
                          gconstpointer  data)
{
  /* An unknown login meets exactly what a known one with wrong passwords meets: three 401s, then 429 with the same Retry-After. */
  g_autoptr(SoupSession) known = session_from (2);
  g_autoptr(SoupSession) unknown = session_from (3);
  g_autofree char *known_retry = NULL;
  g_autofree char *unknown_retry = NULL;

  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpuint (login_from (f, known, "exec.water", "wrong-password", NULL), ==, 401);
      g_assert_cmpuint (login_from (f, unknown, "no.such.user", "wrong-password", NULL), ==,
                        401);
    }
  g_assert_cmpuint (login_from (f, known, "exec.water", "wrong-password", &known_retry), ==,
                    429);
  g_assert_cmpuint (login_from (f, unknown, "no.such.user", "wrong-password", &unknown_retry),
                    ==, 429);
  g_assert_nonnull (known_retry);
  g_assert_nonnull (unknown_retry);
  /* Both wait the same 30 s from their last failure (a second may have
   * ticked between the two answers). */
  g_assert_cmpint (atoi (known_retry), >=, 29);
  g_assert_cmpint (ABS (atoi (unknown_retry) - atoi (known_retry)), <=, 1);
}

static void
test_no_lockout_by_strangers (Fixture       *f,
                              gconstpointer  data)
{
  /* A stranger guessing a user's password from another address is held back, while the user signs in from their own address. */
  g_autoptr(SoupSession) stranger = session_from (4);
  g_autoptr(SoupSession) user = session_from (5);

  for (int i = 0; i < 3; i++)
    g_assert_cmpuint (login_from (f, stranger, "exec.heat", "wrong-password", NULL), ==, 401);
  for (int i = 0; i < 20; i++)
    g_assert_cmpuint (login_from (f, stranger, "exec.heat", "wrong-password", NULL), ==, 429);
  g_assert_cmpuint (login_from (f, user, "exec.heat", "pw-exec.heat", NULL), ==, 200);
}

static void
test_login_cap (Fixture       *f,
                gconstpointer  data)
{
  /* Guesses at one login from many addresses meet a looser per-login cap: past it a new address waits even with the right password, while an address the user signed in from before is not held back. */
  g_autoptr(SoupSession) home = session_from (6);
  g_autoptr(SoupSession) newcomer = session_from (200);

  g_assert_cmpuint (login_from (f, home, "sup.water", "pw-sup.water", NULL), ==, 200);
  /* 50 failures: three from each of 16 addresses, two from a 17th. */
  for (guint a = 10; a < 27; a++)
    {
      g_autoptr(SoupSession) s = session_from (a);

      for (int i = 0; i < (a < 26 ? 3 : 2); i++)
        g_assert_cmpuint (login_from (f, s, "sup.water", "wrong-password", NULL), ==, 401);
    }
  g_assert_cmpuint (login_from (f, newcomer, "sup.water", "pw-sup.water", NULL), ==, 429);
  g_assert_cmpuint (login_from (f, home, "sup.water", "pw-sup.water", NULL), ==, 200);
}

static void
test_login_any_case (Fixture       *f,
                     gconstpointer  data)
{
  /* Logins are compared without regard to case: "Exec.Heat" signs in as exec.heat, and its failures count for exec.heat. */
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(SoupSession) s = session_from (7);

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL,
                                  "{\"login\":\"Exec.Heat\",\"password\":\"pw-exec.heat\"}",
                                  &json), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
      json_node_get_object (json), "user"), "login"), ==, "exec.heat");

  g_assert_cmpuint (login_from (f, s, "EXEC.HEAT", "wrong-password", NULL), ==, 401);
  g_assert_cmpuint (login_from (f, s, "Exec.heat", "wrong-password", NULL), ==, 401);
  g_assert_cmpuint (login_from (f, s, "exec.HEAT", "wrong-password", NULL), ==, 401);
  g_assert_cmpuint (login_from (f, s, "exec.heat", "pw-exec.heat", NULL), ==, 429);
}

static void
assert_refused (SaRegistryDb *db,
                const char   *login,
                const char   *password,
                const char   *message_part)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (_sa_registry_user_add (db, login, NULL, "HEAT", "executor", password, &error));
  g_assert_nonnull (error);
  if (strstr (error->message, message_part) == NULL)
    g_error ("adding %s: “%s” does not say “%s”", login, error->message, message_part);
}

static void
test_password_policy (Fixture       *f,
                      gconstpointer  data)
{
  /* A password is at least 10 characters, 4 of them different, without the login, and not a known weak one; a good one is taken and signs in. */
  g_autoptr(GError) error = NULL;

  assert_refused (f->r->db, "new.one", "x", "at least 10 characters");
  assert_refused (f->r->db, "new.one", "пароль12", "at least 10 characters");
  assert_refused (f->r->db, "new.one", "abababababab", "4 different");
  assert_refused (f->r->db, "new.one", "new.one", "at least 10 characters");
  assert_refused (f->r->db, "new.one", "my-NEW.ONE-2024", "must not contain the login");
  assert_refused (f->r->db, "new.one", "Password123", "guessed first");
  assert_refused (f->r->db, "new.one", "demo-executor", "guessed first");

  g_assert_true (_sa_registry_user_add (f->r->db, "new.one", NULL, "HEAT", "executor",
                                        "тёплый чайник 7", &error));
  g_assert_no_error (error);
  {
    g_autoptr(SoupSession) s = session_from (8);

    g_assert_cmpuint (login_from (f, s, "new.one", "тёплый чайник 7", NULL), ==, 200);
  }

  /* Setting a password follows the same policy. */
  g_assert_false (_sa_registry_user_set_password (f->r->db, "new.one", "short", &error));
  g_assert_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID);
}

static void
test_weak_list (void)
{
  /* Every entry of data/registry/weak-passwords.txt is refused, whatever its case. */
  g_autofree char *path = g_build_filename (g_getenv ("SA_SOURCE_ROOT"), "data", "registry",
                                            "weak-passwords.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *upper = NULL;
      char *line = g_strstrip (lines[i]);

      if (*line == '\0' || *line == '#')
        continue;
      /* Entries the other rules refuse would prove nothing. */
      g_assert_cmpint (g_utf8_strlen (line, -1), >=, 10);
      g_assert_false (_sa_registry_password_check ("someone", line, &error));
      g_assert_nonnull (strstr (error->message, "guessed first"));
      g_clear_error (&error);
      upper = g_utf8_strup (line, -1);
      g_assert_false (_sa_registry_password_check ("someone", upper, &error));
      g_assert_nonnull (strstr (error->message, "guessed first"));
      n++;
    }
  g_assert_cmpuint (n, >=, 50);
}

static void
test_login_rule (Fixture       *f,
                 gconstpointer  data)
{
  /* A login is 2 to 64 of a-z, 0-9, '.', '-', '_', beginning with a letter or digit: control characters, spaces, upper case and other letters are refused, and a login that differs from another only in case is taken. */
  static const char * const bad[] = {
    "Exec.Heat2", "EXEC.HEAT", "bad\tlogin", "a\001b", "line\nbreak", " lead", "trail ",
    "x", ".dot", "-dash", "иванов", "ivanov@agency", "a b",
    "a123456789012345678901234567890123456789012345678901234567890123456",
  };
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (_sa_registry_login_is_valid (bad[i]));
      assert_refused (f->r->db, bad[i], "a long enough password", "lower-case");
    }
  g_assert_true (_sa_registry_login_is_valid ("ab"));
  g_assert_true (_sa_registry_login_is_valid ("executor.almaty-teplo"));
  g_assert_true (_sa_registry_login_is_valid ("op_2.ksk-7"));
  /* init --demo inserts its accounts itself; they follow the rule too. */
  {
    g_autoptr(SaReference) ref = sa_reference_new_default (NULL);
    g_autoptr(SaDemo) demo = sa_demo_new (ref, NULL);
    guint n = 0;
    const SaDemoUser *users = sa_demo_get_users (demo, &n);

    g_assert_cmpuint (n, >, 0);
    for (guint i = 0; i < n; i++)
      g_assert_true (_sa_registry_login_is_valid (users[i].login));
  }

  /* An account an older registry let in with capitals still blocks its
   * lower-case twin. */
  stmt = sa_registry_db_prepare (f->r->db, "UPDATE users SET login = 'Old.Heat'"
                                           " WHERE login = 'gone.heat'", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  g_assert_false (_sa_registry_user_add (f->r->db, "old.heat", NULL, "HEAT", "executor",
                                         "a long enough password", &error));
  g_assert_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (_sa_registry_user_add (f->r->db, "exec.heat", NULL, "HEAT", "executor",
                                         "a long enough password", &error));
  g_assert_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_EXISTS);
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 0777) != mode)
    g_error ("%s has mode %03o, not %03o", path, (guint) (st.st_mode & 0777), mode);
}

static void
test_database_private (void)
{
  /* The database and its -wal and -shm files are 0600 whatever the umask; a database an older registry made 0644 is tightened when opened. */
  g_autofree char *dir = sa_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "registry.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(SaRegistryDb) db = NULL;
  g_autoptr(GError) error = NULL;
  mode_t old = umask (022);

  db = sa_registry_db_open (path, &error);
  g_assert_no_error (error);
  sa_test_seed (db);
  assert_mode (path, 0600);
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);
  g_clear_object (&db);

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_assert_cmpint (g_chmod (wal, 0644), ==, 0);
  db = sa_registry_db_open (path, &error);
  g_assert_no_error (error);
  sa_registry_db_exec (db, "UPDATE meta SET value = value", &error);
  g_assert_no_error (error);
  assert_mode (path, 0600);
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);
  g_clear_object (&db);

  umask (old);
  sa_test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  sa_test_registry_env ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/sa/registry/auth/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

  ADD ("concurrent-guesses", test_concurrent_guesses);
  ADD ("unknown-login-alike", test_unknown_login_alike);
  ADD ("no-lockout-by-strangers", test_no_lockout_by_strangers);
  ADD ("login-cap", test_login_cap);
  ADD ("login-any-case", test_login_any_case);
  ADD ("password-policy", test_password_policy);
  g_test_add_func ("/sa/registry/auth/weak-list", test_weak_list);
  ADD ("login-rule", test_login_rule);
  g_test_add_func ("/sa/registry/storage/database-private", test_database_private);

  return g_test_run ();
}
