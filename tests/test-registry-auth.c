/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-registry-auth"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "registry-test-util.h"
#include "sa-demo-data.h"

/* Sign-in and accounts, and the database's file modes. */

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
    guint n = 0;
    const SaDemoUser *users = sa_demo_users (&n);

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

  ADD ("password-policy", test_password_policy);
  g_test_add_func ("/sa/registry/auth/weak-list", test_weak_list);
  ADD ("login-rule", test_login_rule);
  g_test_add_func ("/sa/registry/storage/database-private", test_database_private);

  return g_test_run ();
}
