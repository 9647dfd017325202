/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "sa-sqlite.h"
#include "sa-test-cache.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sa-sqlite-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sa_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static guint
mode_of (const char *path)
{
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static const char * const migrations[] = {
  "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);",
  "ALTER TABLE t ADD COLUMN w INTEGER NOT NULL DEFAULT 7;",
};

static void
test_private_files (Fixture       *f,
                    gconstpointer  data)
{
  /* The database and its -wal and -shm files are readable by their owner only; an older 0644 file is made private. */
  g_autoptr(SaSqlite) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  umask (022);
  db = sa_sqlite_open (f->path, SA_SQLITE_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (sa_sqlite_migrate (db, migrations, G_N_ELEMENTS (migrations), &error));
  g_assert_true (sa_sqlite_exec (db, "INSERT INTO t (v) VALUES ('Сапарова Әлия')", &error));
  g_assert_cmpuint (mode_of (f->path), ==, 0600);
  g_assert_cmpuint (mode_of (wal), ==, 0600);
  g_assert_cmpuint (mode_of (shm), ==, 0600);
  g_clear_pointer (&db, sa_sqlite_close);

  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);
  db = sa_sqlite_open (f->path, SA_SQLITE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mode_of (f->path), ==, 0600);
}

static void
test_migrations (Fixture       *f,
                 gconstpointer  data)
{
  /* Migrations run once each, in order; a database from a newer build is refused and left as it is. */
  g_autoptr(SaSqlite) db = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  db = sa_sqlite_open (f->path, SA_SQLITE_NONE, &error);
  g_assert_true (sa_sqlite_migrate (db, migrations, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sa_sqlite_get_user_version (db), ==, 1);
  g_assert_true (sa_sqlite_exec (db, "INSERT INTO t (v) VALUES ('a')", &error));
  g_assert_true (sa_sqlite_migrate (db, migrations, 2, &error));
  g_assert_true (sa_sqlite_migrate (db, migrations, 2, &error));
  g_assert_cmpint (sa_sqlite_get_user_version (db), ==, 2);
  stmt = sa_sqlite_prepare (db, "SELECT v, w FROM t", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "a");
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 7);
  sqlite3_reset (stmt);

  g_assert_false (sa_sqlite_migrate (db, migrations, 1, &error));
  g_assert_error (error, SA_SQLITE_ERROR, SA_SQLITE_ERROR_TOO_NEW);
  g_assert_cmpint (sa_sqlite_get_user_version (db), ==, 2);
}

static void
test_failed_migration_rolls_back (Fixture       *f,
                                  gconstpointer  data)
{
  /* A migration that fails half way leaves the schema at the version before it. */
  static const char * const broken[] = {
    "CREATE TABLE t (id INTEGER PRIMARY KEY);",
    "CREATE TABLE u (x); INSERT INTO nowhere VALUES (1);",
  };
  g_autoptr(SaSqlite) db = sa_sqlite_open (f->path, SA_SQLITE_NONE, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (sa_sqlite_migrate (db, broken, 2, &error));
  g_assert_error (error, SA_SQLITE_ERROR, SA_SQLITE_ERROR_FAILED);
  g_assert_cmpint (sa_sqlite_get_user_version (db), ==, 1);
  g_clear_error (&error);
  g_assert_null (sa_sqlite_prepare (db, "SELECT x FROM u", &error));
}

static void
test_statement_cache_copies_sql (Fixture       *f,
                                 gconstpointer  data)
{
  /* A statement is found by its text, not by where the text lives: a freed and reused buffer never finds another query. */
  g_autoptr(SaSqlite) db = sa_sqlite_open (f->path, SA_SQLITE_NONE, NULL);
  g_autoptr(GError) error = NULL;
  char buffer[64];
  sqlite3_stmt *one, *two;

  g_assert_true (sa_sqlite_migrate (db, migrations, 2, &error));
  g_strlcpy (buffer, "SELECT 1", sizeof buffer);
  one = sa_sqlite_prepare (db, buffer, &error);
  g_strlcpy (buffer, "SELECT 2", sizeof buffer);
  two = sa_sqlite_prepare (db, buffer, &error);
  g_assert_true (one != two);
  g_assert_cmpint (sqlite3_step (two), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (two, 0), ==, 2);
  sqlite3_reset (two);
  g_assert_true (sa_sqlite_prepare (db, "SELECT 1", &error) == one);
}

static void
test_statement_cache_freed_sql (Fixture       *f,
                                gconstpointer  data)
{
  /* SQL text freed after the prepare (as a query built for one call is) neither loses its statement nor lends it to the next text the allocator puts there. */
  g_autoptr(SaSqlite) db = sa_sqlite_open (f->path, SA_SQLITE_NONE, NULL);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *first, *again;

  for (guint i = 0; i < 8; i++)
    {
      char *sql = g_strdup_printf ("SELECT %u", i);
      sqlite3_stmt *stmt = sa_sqlite_prepare (db, sql, &error);

      g_assert_no_error (error);
      g_free (sql);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, i);
      sqlite3_reset (stmt);
    }
  first = sa_sqlite_prepare (db, "SELECT 0", &error);
  again = sa_sqlite_prepare (db, "SELECT 0", &error);
  g_assert_true (first == again);
  g_assert_cmpint (sqlite3_step (again), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (again, 0), ==, 0);
  sqlite3_reset (again);
}

static void
test_rollback_on_error (Fixture       *f,
                        gconstpointer  data)
{
  /* A statement refused half way through a transaction leaves nothing of it once rolled back, and the failure is still told after the rollback. */
  g_autoptr(SaSqlite) db = sa_sqlite_open (f->path, SA_SQLITE_NONE, NULL);
  g_autoptr(GError) error = NULL;
  const char *message = NULL;
  sqlite3_stmt *stmt;

  g_assert_true (sa_sqlite_migrate (db, migrations, G_N_ELEMENTS (migrations), &error));
  g_assert_cmpint (sa_sqlite_get_failure (db, NULL), ==, SQLITE_OK);
  g_assert_true (sa_sqlite_begin (db, SA_SQLITE_DURABLE, &error));
  g_assert_true (sa_sqlite_exec (db, "INSERT INTO t (v) VALUES ('first')", &error));
  stmt = sa_sqlite_prepare (db, "INSERT INTO t (v) VALUES (?1)", &error);
  g_assert_false (sa_sqlite_step_done (db, stmt, &error));
  g_assert_error (error, SA_SQLITE_ERROR, SA_SQLITE_ERROR_CONSTRAINT);
  sa_sqlite_rollback (db);
  g_assert_false (sa_sqlite_in_transaction (db));
  g_assert_cmpint (sa_sqlite_get_failure (db, &message), ==, SQLITE_CONSTRAINT_NOTNULL);
  g_assert_nonnull (strstr (message, "NOT NULL"));

  stmt = sa_sqlite_prepare (db, "SELECT count (*) FROM t", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_reset (stmt);
}

static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  /* While one connection holds the write lock another's write transaction fails as busy after its timeout, and begins once the lock is free. */
  g_autoptr(SaSqlite) one = sa_sqlite_open (f->path, SA_SQLITE_NONE, NULL);
  g_autoptr(SaSqlite) two = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sa_sqlite_migrate (one, migrations, G_N_ELEMENTS (migrations), &error));
  two = sa_sqlite_open (f->path, SA_SQLITE_NONE, &error);
  g_assert_no_error (error);
  sa_sqlite_set_busy_timeout (two, 20);
  g_assert_true (sa_sqlite_begin (one, SA_SQLITE_IMMEDIATE, &error));
  g_assert_false (sa_sqlite_begin (two, SA_SQLITE_IMMEDIATE, &error));
  g_assert_error (error, SA_SQLITE_ERROR, SA_SQLITE_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (sa_sqlite_in_transaction (two));
  g_assert_true (sa_sqlite_commit (one, &error));
  g_assert_true (sa_sqlite_begin (two, SA_SQLITE_IMMEDIATE, &error));
  g_assert_no_error (error);
  sa_sqlite_rollback (two);
}

static void
test_transactions (Fixture       *f,
                   gconstpointer  data)
{
  /* What a rolled-back transaction wrote is gone; a durable commit is there for the next reader; a refused write names the constraint. */
  g_autoptr(SaSqlite) db = sa_sqlite_open (f->path, SA_SQLITE_NONE, NULL);
  g_autoptr(SaSqlite) reader = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  g_assert_true (sa_sqlite_migrate (db, migrations, 2, &error));
  g_assert_true (sa_sqlite_begin (db, SA_SQLITE_IMMEDIATE, &error));
  g_assert_true (sa_sqlite_in_transaction (db));
  g_assert_true (sa_sqlite_exec (db, "INSERT INTO t (v) VALUES ('lost')", &error));
  sa_sqlite_rollback (db);
  g_assert_false (sa_sqlite_in_transaction (db));

  g_assert_true (sa_sqlite_begin (db, SA_SQLITE_DURABLE, &error));
  g_assert_true (sa_sqlite_exec (db, "INSERT INTO t (v) VALUES ('kept')", &error));
  g_assert_true (sa_sqlite_commit (db, &error));
  stmt = sa_sqlite_prepare (db, "PRAGMA synchronous", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  /* Back to NORMAL (1) after the durable commit. */
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);

  reader = sa_sqlite_open (f->path, SA_SQLITE_READ_ONLY, &error);
  g_assert_no_error (error);
  stmt = sa_sqlite_prepare (reader, "SELECT group_concat (v) FROM t", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "kept");
  sqlite3_reset (stmt);

  stmt = sa_sqlite_prepare (db, "INSERT INTO t (v) VALUES (NULL)", &error);
  g_assert_false (sa_sqlite_step_done (db, stmt, &error));
  g_assert_error (error, SA_SQLITE_ERROR, SA_SQLITE_ERROR_CONSTRAINT);
}

static void
test_damaged_file (Fixture       *f,
                   gconstpointer  data)
{
  /* Random bytes where a database should be are reported as a damaged database, not as a generic failure. */
  g_autoptr(GError) error = NULL;
  char junk[8192];
  SaSqlite *db;

  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = (char) g_random_int ();
  g_assert_true (g_file_set_contents (f->path, junk, sizeof junk, NULL));
  db = sa_sqlite_open (f->path, SA_SQLITE_NONE, &error);
  g_assert_null (db);
  g_assert_error (error, SA_SQLITE_ERROR, SA_SQLITE_ERROR_CORRUPT);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  /* A long query stops when its cancellable is cancelled, and says so as G_IO_ERROR_CANCELLED. */
  g_autoptr(SaSqlite) db = sa_sqlite_open (f->path, SA_SQLITE_NONE, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  sa_sqlite_set_cancellable (db, cancellable);
  g_assert_false (sa_sqlite_exec (db, "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL"
                                      " SELECT i + 1 FROM n WHERE i < 100000000)"
                                      " SELECT count (*) FROM n", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  sa_sqlite_set_cancellable (db, NULL);
  g_clear_error (&error);
  g_assert_true (sa_sqlite_exec (db, "SELECT 1", &error));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sa/sqlite/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("private-files", test_private_files);
  ADD ("migrations", test_migrations);
  ADD ("failed-migration-rolls-back", test_failed_migration_rolls_back);
  ADD ("statement-cache-copies-sql", test_statement_cache_copies_sql);
  ADD ("statement-cache-freed-sql", test_statement_cache_freed_sql);
  ADD ("transactions", test_transactions);
  ADD ("rollback-on-error", test_rollback_on_error);
  ADD ("busy", test_busy);
  ADD ("damaged-file", test_damaged_file);
  ADD ("cancel", test_cancel);
#undef ADD
  return g_test_run ();
}
