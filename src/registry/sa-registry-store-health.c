/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include "sa-registry-store-private.h"

/* The database's side of /healthz (sa-registry-health.c says what is
 * checked and why): each probe returns %NULL when it passes, else what
 * SQLite said. */

/**
 * sa_store_db_path:
 * @db: the database
 *
 * Returns: (nullable): the database's file, or %NULL or "" in memory
 */
const char *
sa_store_db_path (SaRegistryDb *db)
{
  return sqlite3_db_filename (sa_registry_db_get_handle (db), "main");
}

char *
sa_store_health_read (SaRegistryDb *db)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (db, "SELECT 1 FROM meta LIMIT 1", NULL);
  int rc;

  if (stmt == NULL)
    return g_strdup (sqlite3_errmsg (sa_registry_db_get_handle (db)));
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return g_strdup (sqlite3_errmsg (sa_registry_db_get_handle (db)));
  return NULL;
}

/* Writes the probe row; commits it when @commit, else rolls it back. */
char *
sa_store_health_write_probe (SaRegistryDb *db,
                             gboolean      commit)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  if (!sa_registry_db_begin (db, &error))
    return g_strdup (sqlite3_errmsg (sa_registry_db_get_handle (db)));
  stmt = sa_registry_db_prepare (db,
                                 "INSERT OR REPLACE INTO meta (key, value)"
                                 " VALUES ('healthz_probe', CAST (?1 AS TEXT))", &error);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, _sa_registry_now ());
  if (stmt == NULL || !sa_registry_db_step_done (db, stmt, &error) ||
      (commit && !sa_registry_db_commit (db, &error)))
    {
      /* The message of the failure itself: the rollback clears SQLite's. */
      g_autofree char *failure = g_strdup (error != NULL ? error->message
                                           : sqlite3_errmsg (sa_registry_db_get_handle (db)));

      sa_registry_db_rollback (db);
      return g_steal_pointer (&failure);
    }
  if (!commit)
    sa_registry_db_rollback (db);
  return NULL;
}
