/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache-rescue"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sa-cache-rescue.h"

/**
 * SECTION:sa-cache-rescue
 * @title: Damaged caches
 * @short_description: finding a damaged cache and setting it aside
 *
 * A cache is a copy of what the registry holds plus the outbox of what
 * the user did and the registry has not yet applied. A damaged one is
 * therefore never repaired in place nor deleted: it is renamed beside
 * the new one (`cache.db.damaged-<date>-<time>`, readable by the user
 * alone), a new cache is made where it was, and every outbox entry that
 * can still be read is copied into it. The sync engine then pulls the
 * account again from the start and pushes the outbox. docs/cache.md
 * tells the whole story.
 */

static const char * const companions[] = { "", "-wal", "-shm", "-journal" };

void
sa_cache_rescue_free (SaCacheRescue *rescue)
{
  if (rescue == NULL)
    return;
  g_free (rescue->aside_path);
  g_free (rescue);
}

static void
set_error_from_db (sqlite3     *db,
                   int          rc,
                   GError     **error,
                   const char  *what)
{
  int code = rc & 0xff;

  g_set_error (error, SA_CACHE_ERROR,
               code == SQLITE_CORRUPT || code == SQLITE_NOTADB
               ? SA_CACHE_ERROR_CORRUPT : SA_CACHE_ERROR_FAILED,
               "%s: %s", what, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

/* A connection of its own, that writes nothing to the file it reads and
 * leaves its WAL as it found it. */
static sqlite3 *
open_for_reading (const char  *path,
                  GError     **error)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_extended_result_codes (db, 1);
      sqlite3_busy_timeout (db, 10000);
      sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
      rc = sqlite3_exec (db, "PRAGMA query_only = ON", NULL, NULL, NULL);
    }
  if (rc != SQLITE_OK)
    {
      set_error_from_db (db, rc, error, "Could not open the cache");
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

/**
 * sa_cache_check_sync:
 * @path: a cache file
 * @error: return location for a #GError
 *
 * Reads every page of the cache (SQLite's `quick_check`) on a connection
 * of its own, which may run while a #SaCache has the file open. Blocks for
 * as long as reading the file takes (about a second for 100,000 appeals):
 * call it from a worker, or use sa_cache_check_async().
 *
 * Returns: %TRUE if the file is sound; %FALSE with
 *   %SA_CACHE_ERROR_CORRUPT if it is damaged, or another error if it could
 *   not be read at all
 */
gboolean
sa_cache_check_sync (const char  *path,
                     GError     **error)
{
  g_autofree char *problem = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = open_for_reading (path, error);
  if (db == NULL)
    return FALSE;
  /* The first problem is enough to know. */
  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check (1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          const char *result = (const char *) sqlite3_column_text (stmt, 0);

          if (g_strcmp0 (result, "ok") != 0)
            problem = g_strdup (result != NULL ? result : "no answer");
          rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    set_error_from_db (db, rc, error, "Could not check the cache");
  else if (problem != NULL)
    g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_CORRUPT,
                 "The cache %s is damaged: %s", path, problem);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rc == SQLITE_OK && problem == NULL;
}

static void
check_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (sa_cache_check_sync (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * sa_cache_check_async:
 * @path: a cache file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the check is done
 * @user_data: data for @callback
 *
 * Runs sa_cache_check_sync() on a worker thread.
 */
void
sa_cache_check_async (const char          *path,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_cache_check_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, check_thread);
}

/**
 * sa_cache_check_finish:
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the cache is sound
 */
gboolean
sa_cache_check_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* Setting a damaged cache aside */

typedef struct
{
  GStrv      columns;
  GPtrArray *rows;      /* of GPtrArray of sqlite3_value */
  gboolean   complete;
} Outbox;

static void
outbox_clear (Outbox *outbox)
{
  g_clear_pointer (&outbox->columns, g_strfreev);
  g_clear_pointer (&outbox->rows, g_ptr_array_unref);
}

/* Every outbox row that still reads, in the order the user made them,
 * with whatever columns the damaged file's schema had. */
static void
read_outbox (const char *path,
             Outbox     *outbox)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = open_for_reading (path, &error);
  sqlite3_stmt *stmt = NULL;
  int rc = SQLITE_ERROR;

  outbox->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  outbox->complete = FALSE;
  if (db == NULL)
    {
      g_message ("The damaged cache cannot be read at all: %s", error->message);
      return;
    }
  /* SQLite refuses a file shorter than its header says, unless told to
   * take it as it is; query_only still keeps every write out. */
  sqlite3_exec (db, "PRAGMA writable_schema = ON", NULL, NULL, NULL);
  /* seq is the rowid: this walks the table itself, not an index. */
  if (sqlite3_prepare_v2 (db, "SELECT * FROM outbox ORDER BY seq", -1, &stmt, NULL) == SQLITE_OK)
    {
      int n = sqlite3_column_count (stmt);

      outbox->columns = g_new0 (char *, n + 1);
      for (int i = 0; i < n; i++)
        outbox->columns[i] = g_strdup (sqlite3_column_name (stmt, i));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          GPtrArray *row = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);

          for (int i = 0; i < n; i++)
            g_ptr_array_add (row, sqlite3_value_dup (sqlite3_column_value (stmt, i)));
          g_ptr_array_add (outbox->rows, row);
        }
    }
  if (rc == SQLITE_DONE)
    outbox->complete = TRUE;
  else
    g_message ("The damaged cache's outbox could be read only in part (%u entries): %s",
               outbox->rows->len, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static gboolean
is_column_name (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* Copies @outbox into the new cache at @path. Only columns the new schema
 * has too are copied (names from its own PRAGMA table_info, so no value is
 * ever put into the SQL text); seq is given afresh, in the same order.
 * Sent entries go again as pending, as after a reset: the registry
 * answers "duplicate" for those it already applied. */
static gboolean
write_outbox (const char  *path,
              Outbox      *outbox,
              guint       *n_kept,
              GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO outbox (");
  g_autoptr(GArray) source = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int state_column = -1;
  int rc;

  *n_kept = 0;
  if (outbox->columns == NULL || outbox->rows->len == 0)
    return TRUE;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 10000);
      rc = sqlite3_prepare_v2 (db, "SELECT name FROM pragma_table_info ('outbox')", -1, &stmt,
                               NULL);
    }
  while (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (is_column_name (name) && !g_str_equal (name, "seq"))
        g_hash_table_add (wanted, g_strdup (name));
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (int i = 0; rc == SQLITE_OK && outbox->columns[i] != NULL; i++)
    {
      if (!g_hash_table_remove (wanted, outbox->columns[i]))
        continue;
      if (source->len > 0)
        g_string_append (sql, ", ");
      g_string_append_printf (sql, "\"%s\"", outbox->columns[i]);
      if (g_str_equal (outbox->columns[i], "state"))
        state_column = source->len;
      g_array_append_val (source, i);
    }
  g_string_append (sql, ") VALUES (");
  for (guint i = 0; i < source->len; i++)
    g_string_append_printf (sql, i == 0 ? "?%u" : ", ?%u", i + 1);
  g_string_append (sql, ")");

  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  for (guint r = 0; rc == SQLITE_OK && r < outbox->rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (outbox->rows, r);

      sqlite3_reset (stmt);
      for (guint i = 0; i < source->len; i++)
        {
          sqlite3_value *value = g_ptr_array_index (row, g_array_index (source, int, i));

          if ((int) i == state_column && sqlite3_value_int (value) == 1)
            sqlite3_bind_int (stmt, i + 1, 0);
          else
            sqlite3_bind_value (stmt, i + 1, value);
        }
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        {
          *n_kept += sqlite3_changes (db);
          rc = SQLITE_OK;
        }
      else if ((rc & 0xff) == SQLITE_CONSTRAINT)
        {
          /* An entry damaged past use (a NOT NULL column lost): the others
           * go on, the statement alone is undone. */
          g_message ("An outbox entry of the damaged cache is incomplete: %s",
                     sqlite3_errmsg (db));
          outbox->complete = FALSE;
          rc = SQLITE_OK;
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_db (db, rc, error, "Could not copy the outbox into the new cache");
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      *n_kept = 0;
    }
  sqlite3_close (db);
  return rc == SQLITE_OK;
}

/* The first free name beside @path, e.g. cache.db.damaged-20260114-093012. */
static char *
aside_name (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint n = 1;; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf ("%s.damaged-%s", path, stamp)
                                     : g_strdup_printf ("%s.damaged-%s-%u", path, stamp, n);
      gboolean taken = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (companions) && !taken; i++)
        {
          g_autofree char *file = g_strconcat (name, companions[i], NULL);

          taken = g_file_test (file, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK);
        }
      if (!taken)
        return g_steal_pointer (&name);
    }
}

/**
 * sa_cache_set_aside_sync:
 * @path: a damaged cache file that no #SaCache has open
 * @error: return location for a #GError
 *
 * Renames the damaged cache (and its `-wal`, `-shm` and `-journal` files)
 * beside itself, readable by the user alone, and makes a new, empty cache
 * at @path holding every outbox entry that could still be read from the
 * damaged one. Nothing is deleted. Blocks on I/O: call it from a worker,
 * or use sa_cache_set_aside_async(), then open @path as usual.
 *
 * Returns: (transfer full): what was done, or %NULL with @error set (the
 *   damaged file may then still be at @path)
 */
SaCacheRescue *
sa_cache_set_aside_sync (const char  *path,
                         GError     **error)
{
  g_autoptr(SaCacheRescue) rescue = g_new0 (SaCacheRescue, 1);
  g_autoptr(SaCache) fresh = NULL;
  g_autoptr(GError) local_error = NULL;
  Outbox outbox = { 0 };
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rescue->aside_path = aside_name (path);
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = g_strconcat (path, companions[i], NULL);
      g_autofree char *to = g_strconcat (rescue->aside_path, companions[i], NULL);

      if (g_rename (from, to) != 0)
        {
          int saved = errno;

          if (saved == ENOENT)
            continue;
          g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_FAILED,
                       "Could not set the damaged cache aside as %s: %s", to, g_strerror (saved));
          return NULL;
        }
      /* An older cache may still have been 0644. */
      g_chmod (to, 0600);
    }

  read_outbox (rescue->aside_path, &outbox);
  /* Made and closed again: the caller opens it as any other cache. */
  fresh = sa_cache_open (path, &local_error);
  ok = fresh != NULL;
  g_clear_object (&fresh);
  if (ok)
    ok = write_outbox (path, &outbox, &rescue->n_kept, &local_error);
  rescue->complete = outbox.complete;
  outbox_clear (&outbox);
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_message ("The damaged cache was set aside as %s; %u outbox entries kept%s",
             rescue->aside_path, rescue->n_kept,
             rescue->complete ? "" : ", the rest could not be read");
  return g_steal_pointer (&rescue);
}

static void
set_aside_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  SaCacheRescue *rescue = sa_cache_set_aside_sync (task_data, &error);

  if (rescue != NULL)
    g_task_return_pointer (task, rescue, (GDestroyNotify) sa_cache_rescue_free);
  else
    g_task_return_error (task, error);
}

/**
 * sa_cache_set_aside_async:
 * @path: a damaged cache file that no #SaCache has open
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when it is done
 * @user_data: data for @callback
 *
 * Runs sa_cache_set_aside_sync() on a worker thread. Once started it runs
 * to its end: @cancellable only tells @callback not to care.
 */
void
sa_cache_set_aside_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_cache_set_aside_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, set_aside_thread);
}

/**
 * sa_cache_set_aside_finish:
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): what was done, or %NULL with @error set
 */
SaCacheRescue *
sa_cache_set_aside_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
