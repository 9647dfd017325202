/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-registry-auth"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "registry-test-util.h"

/* Sign-in and accounts, and the database's file modes. */

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

  g_test_add_func ("/sa/registry/storage/database-private", test_database_private);

  return g_test_run ();
}
