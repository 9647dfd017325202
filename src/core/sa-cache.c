/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sa-appeal-model.h"
#include "sa-attachment-store.h"
#include "sa-cache.h"
#include "sa-cache-private.h"
#include "sa-sqlite.h"

/**
 * SECTION:sa-cache
 * @title: SaCache
 * @short_description: the per-account offline cache and outbox
 *
 * One SQLite database per account. It mirrors what the registry's change
 * feed delivers and keeps the outbox of local operations. Each appeal
 * row keeps the registry's last JSON (`server_json`) and the JSON shown to
 * the user (`json`): the registry's state with the outbox's pending
 * operations folded on top, as evolution-data-server's ECache keeps an
 * offline state per row. docs/cache.md has the whole model.
 *
 * Two connections: a writer used from worker threads (sync engine, the
 * `_async` local edits) and a reader for the main thread's list models;
 * WAL mode lets the reader see the last commit while a write runs.
 */

G_DEFINE_FINAL_TYPE (SaCache, sa_cache, G_TYPE_OBJECT)
G_DEFINE_QUARK (sa-cache-error-quark, sa_cache_error)

enum
{
  APPEALS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Connections, on the SQLite helper (sa-sqlite.c) */

/* The cache's errors are its own (SA_CACHE_ERROR, which the window
 * matches): the helper's are told apart only by damage and a newer
 * schema. A cancelled statement stays G_IO_ERROR_CANCELLED. */
void
_sa_cache_propagate (GError **error,
                     GError  *local)
{
  if (local->domain == SA_SQLITE_ERROR)
    {
      local->code = local->code == SA_SQLITE_ERROR_CORRUPT ? SA_CACHE_ERROR_CORRUPT
                    : local->code == SA_SQLITE_ERROR_TOO_NEW ? SA_CACHE_ERROR_TOO_NEW
                    : SA_CACHE_ERROR_FAILED;
      local->domain = SA_CACHE_ERROR;
    }
  g_propagate_error (error, local);
}

void
_sa_cache_db_error (SaCacheConn *c,
                    GError     **error,
                    const char  *what)
{
  GError *local = NULL;

  sa_sqlite_set_error (c->sql, &local, what);
  _sa_cache_propagate (error, local);
}

sqlite3_stmt *
_sa_cache_prepare (SaCacheConn *c,
                   const char  *sql,
                   GError     **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = sa_sqlite_prepare (c->sql, sql, &local);

  if (stmt == NULL)
    _sa_cache_propagate (error, local);
  return stmt;
}

gboolean
_sa_cache_exec (SaCacheConn *c,
                const char  *sql,
                GError     **error)
{
  GError *local = NULL;

  if (sa_sqlite_exec (c->sql, sql, &local))
    return TRUE;
  _sa_cache_propagate (error, local);
  return FALSE;
}

gboolean
_sa_cache_step (SaCacheConn  *c,
                sqlite3_stmt *stmt,
                GError      **error)
{
  GError *local = NULL;

  if (sa_sqlite_step_done (c->sql, stmt, &local))
    return TRUE;
  _sa_cache_propagate (error, local);
  return FALSE;
}

static gboolean
conn_open (SaCacheConn *c,
           const char  *path,
           gboolean     reader,
           GError     **error)
{
  GError *local = NULL;

  g_mutex_init (&c->lock);
  /* WAL, synchronous=NORMAL: a power cut may lose the last feed page (it
   * is pulled again), never corrupt; local edits commit durably. */
  c->sql = sa_sqlite_open (path, SA_SQLITE_NONE, &local);
  if (c->sql == NULL)
    {
      /* The file could not even be made private. */
      if (local->domain == G_IO_ERROR && local->code != G_IO_ERROR_CANCELLED)
        {
          local->domain = SA_CACHE_ERROR;
          local->code = SA_CACHE_ERROR_FAILED;
        }
      _sa_cache_propagate (error, local);
      g_prefix_error (error, "Could not open the cache: ");
      return FALSE;
    }
  c->db = sa_sqlite_get_handle (c->sql);
  /* 16 MB of page cache (the default is 2 MB): a feed page touches
   * several indexes and the FTS5 index of 100,000 appeals. */
  if (!_sa_cache_exec (c, "PRAGMA cache_size = -16384", error) ||
      !_sa_cache_register_tokenizer (c, error))
    return FALSE;
  return !reader || _sa_cache_exec (c, "PRAGMA query_only = ON", error);
}

static void
conn_close (SaCacheConn *c)
{
  g_clear_pointer (&c->sql, sa_sqlite_close);
  c->db = NULL;
  g_mutex_clear (&c->lock);
}

gboolean
_sa_cache_begin (SaCacheConn *c,
                 gboolean     durable,
                 GError     **error)
{
  GError *local = NULL;

  if (sa_sqlite_begin (c->sql, durable ? SA_SQLITE_DURABLE : SA_SQLITE_IMMEDIATE, &local))
    return TRUE;
  _sa_cache_propagate (error, local);
  return FALSE;
}

gboolean
_sa_cache_commit (SaCacheConn *c,
                  gboolean     durable,
                  GError     **error)
{
  GError *local = NULL;

  if (sa_sqlite_commit (c->sql, &local))
    return TRUE;
  _sa_cache_propagate (error, local);
  return FALSE;
}

void
_sa_cache_rollback (SaCacheConn *c,
                    gboolean     durable)
{
  sa_sqlite_rollback (c->sql);
}

/* ------------------------------------------------------------------ */
/* Change notification */

typedef struct
{
  SaCache  *cache;
  GStrv     ids;
} Emission;

static gboolean
emit_in_owner (gpointer data)
{
  Emission *e = data;

  g_signal_emit (e->cache, signals[APPEALS_CHANGED], 0, e->ids);
  g_object_unref (e->cache);
  g_strfreev (e->ids);
  g_free (e);
  return G_SOURCE_REMOVE;
}

/* @ids NULL means "anything may have changed" (a reset). Listeners live
 * on the thread that opened the cache, so workers hand the signal over,
 * always through a source: g_main_context_invoke() would run it on the
 * worker whenever the owner is not iterating its context just then. */
void
_sa_cache_emit_changed (SaCache   *self,
                        GPtrArray *ids)
{
  Emission *e = g_new0 (Emission, 1);
  GSource *source;

  if (ids != NULL && ids->len == 0)
    {
      g_free (e);
      return;
    }
  e->cache = g_object_ref (self);
  if (ids != NULL)
    {
      e->ids = g_new0 (char *, ids->len + 1);
      for (guint i = 0; i < ids->len; i++)
        e->ids[i] = g_strdup (ids->pdata[i]);
    }
  if (g_thread_self () == self->owner_thread)
    {
      emit_in_owner (e);
      return;
    }
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_in_owner, e, NULL);
  g_source_set_static_name (source, "[sa-cache] appeals-changed");
  g_source_attach (source, self->owner_context);
  g_source_unref (source);
}

/* ------------------------------------------------------------------ */
/* GObject */

static void
sa_cache_finalize (GObject *object)
{
  SaCache *self = SA_CACHE (object);

  conn_close (&self->reader);
  conn_close (&self->writer);
  g_clear_pointer (&self->owner_context, g_main_context_unref);
  g_free (self->path);

  G_OBJECT_CLASS (sa_cache_parent_class)->finalize (object);
}

static void
sa_cache_class_init (SaCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sa_cache_finalize;

  /**
   * SaCache::appeals-changed:
   * @self: the cache
   * @ids: (nullable) (array zero-terminated=1): the appeals written, or
   *   %NULL after a reset
   *
   * Emitted on the thread that opened the cache, after a commit that
   * changed appeals (a feed page, a local edit, a push result).
   */
  signals[APPEALS_CHANGED] = g_signal_new ("appeals-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_STRV);
}

static void
sa_cache_init (SaCache *self)
{
  self->owner_context = g_main_context_ref_thread_default ();
  self->owner_thread = g_thread_self ();
}

/**
 * sa_cache_default_path:
 * @server: the registry's base URL
 * @login: the user's login
 *
 * The account's cache lives in
 * `$XDG_DATA_HOME/smart-appeals/accounts/<sha256 of server and login>/cache.db`;
 * hashing keeps logins out of file names and gives each account its own.
 *
 * Returns: (transfer full): the path
 */
char *
sa_cache_default_path (const char *server,
                       const char *login)
{
  g_autofree char *key = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (login != NULL, NULL);

  key = g_strconcat (server, "\n", login, NULL);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  return g_build_filename (g_get_user_data_dir (), "smart-appeals", "accounts", hash,
                           "cache.db", NULL);
}

/**
 * sa_cache_open:
 * @path: the database file; its directory is made if missing
 * @error: return location for a #GError
 *
 * Opens (or creates) the cache and brings its schema up to date. Blocks
 * on I/O: call it from a worker, or use sa_cache_open_async(). The cache
 * emits its signals on the thread-default main context of the caller.
 * The file and its companions are readable by the user alone (0600).
 *
 * A file that is not a database or cannot be read fails with
 * %SA_CACHE_ERROR_CORRUPT; damage deeper inside is found by
 * sa_cache_check_sync(), which reads every page.
 *
 * Returns: (transfer full): the cache, or %NULL with @error set
 */
SaCache *
sa_cache_open (const char  *path,
               GError     **error)
{
  g_autoptr(SaCache) self = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SA_TYPE_CACHE, NULL);
  self->path = g_strdup (path);
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_FAILED,
                   "Could not make the cache directory %s: %s", dir, g_strerror (saved));
      return NULL;
    }
  if (!conn_open (&self->writer, path, FALSE, error) || !_sa_cache_migrate (self, error) ||
      !conn_open (&self->reader, path, TRUE, error))
    return NULL;
  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  SaCache *cache = sa_cache_open (task_data, &error);

  if (cache == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Signals go to the caller's context, not the worker's. */
  g_clear_pointer (&cache->owner_context, g_main_context_unref);
  cache->owner_context = g_main_context_ref (g_task_get_context (task));
  cache->owner_thread = NULL;
  g_task_return_pointer (task, cache, g_object_unref);
}

/**
 * sa_cache_open_async:
 * @path: the database file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the cache is open
 * @user_data: data for @callback
 *
 * Opens the cache on a worker thread.
 */
void
sa_cache_open_async (const char          *path,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_cache_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * sa_cache_open_finish:
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the cache, or %NULL with @error set
 */
SaCache *
sa_cache_open_finish (GAsyncResult  *result,
                      GError       **error)
{
  SaCache *cache;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  cache = g_task_propagate_pointer (G_TASK (result), error);
  /* Owned by the thread that finishes the open: emit directly there. */
  if (cache != NULL)
    cache->owner_thread = g_thread_self ();
  return cache;
}

/**
 * sa_cache_delete:
 * @path: a cache file no #SaCache has open any more
 * @error: return location for a #GError
 *
 * Removes the account's cache at sign-out: the database, its `-wal` and
 * `-shm` files and, when empty, the account's directory. A missing
 * file is no error.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_delete (const char  *path,
                 GError     **error)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal", "" };
  g_autofree char *dir = NULL;
  g_autofree char *attachments = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_unlink (file) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_FAILED,
                       "Could not remove %s: %s", file, g_strerror (saved));
          return FALSE;
        }
    }
  dir = g_path_get_dirname (path);
  /* The account's files go with it (docs/attachments.md). */
  attachments = g_build_filename (dir, "attachments", NULL);
  sa_attachment_store_delete_dir (attachments);
  g_rmdir (dir);
  return TRUE;
}

/**
 * sa_cache_get_path:
 * @self: a #SaCache
 *
 * Returns: the database file
 */
const char *
sa_cache_get_path (SaCache *self)
{
  g_return_val_if_fail (SA_IS_CACHE (self), NULL);
  return self->path;
}

/**
 * _sa_cache_get_schema_version:
 * @self: a #SaCache
 *
 * Returns: the schema version (`PRAGMA user_version`)
 */
guint
_sa_cache_get_schema_version (SaCache *self)
{
  g_return_val_if_fail (SA_IS_CACHE (self), 0);
  return self->schema_version;
}

/* ------------------------------------------------------------------ */
/* Private API for the list models */

void
_sa_cache_reader_lock (SaCache *self)
{
  g_mutex_lock (&self->reader.lock);
}

void
_sa_cache_reader_unlock (SaCache *self)
{
  g_mutex_unlock (&self->reader.lock);
}

sqlite3_stmt *
_sa_cache_reader_prepare (SaCache     *self,
                          const char  *sql,
                          GError     **error)
{
  return _sa_cache_prepare (&self->reader, sql, error);
}

void
_sa_cache_set_error (SaCache     *self,
                     gboolean     reader,
                     GError     **error,
                     const char  *what)
{
  _sa_cache_db_error (reader ? &self->reader : &self->writer, error, what);
}

/* ------------------------------------------------------------------ */
/* Key-value sync state */

gboolean
_sa_cache_state_set (SaCacheConn *c,
                     const char  *key,
                     const char  *text,
                     gint64       number,
                     GError     **error)
{
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO sync_state (key, value)"
                                             " VALUES (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (text != NULL)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 2, number);
  return _sa_cache_step (c, stmt, error);
}

char *
_sa_cache_state_dup (SaCacheConn *c,
                     const char  *key)
{
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "SELECT value FROM sync_state WHERE key = ?1", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

/**
 * sa_cache_set_identity:
 * @self: a #SaCache
 * @login: the signed-in user's login
 * @agency: (nullable): the user's agency code
 * @error: return location for a #GError
 *
 * Records who uses this cache: "take" makes @login the executor, the
 * "mine" and "agency queue" filters compare with them.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_set_identity (SaCache     *self,
                       const char  *login,
                       const char  *agency,
                       GError     **error)
{
  SaCacheConn *c;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  ok = _sa_cache_begin (c, FALSE, error) &&
       _sa_cache_state_set (c, "login", login, 0, error) &&
       _sa_cache_state_set (c, "agency", agency != NULL ? agency : "", 0, error);
  if (ok)
    ok = _sa_cache_commit (c, FALSE, error);
  else
    _sa_cache_rollback (c, FALSE);
  g_mutex_unlock (&c->lock);
  return ok;
}

static char *
dup_state (SaCache    *self,
           const char *key)
{
  char *value;

  g_mutex_lock (&self->reader.lock);
  value = _sa_cache_state_dup (&self->reader, key);
  g_mutex_unlock (&self->reader.lock);
  return value;
}

/**
 * sa_cache_dup_login:
 * @self: a #SaCache
 *
 * Returns: (transfer full) (nullable): the login from sa_cache_set_identity()
 */
char *
sa_cache_dup_login (SaCache *self)
{
  g_return_val_if_fail (SA_IS_CACHE (self), NULL);
  return dup_state (self, "login");
}

/**
 * sa_cache_dup_agency:
 * @self: a #SaCache
 *
 * Returns: (transfer full) (nullable): the agency from sa_cache_set_identity()
 */
char *
sa_cache_dup_agency (SaCache *self)
{
  g_return_val_if_fail (SA_IS_CACHE (self), NULL);
  return dup_state (self, "agency");
}

/**
 * sa_cache_get_cursor:
 * @self: a #SaCache
 *
 * Returns: the feed cursor to pull from (`since`), 0 for a first sync
 */
gint64
sa_cache_get_cursor (SaCache *self)
{
  sqlite3_stmt *stmt;
  gint64 cursor = 0;

  g_return_val_if_fail (SA_IS_CACHE (self), 0);

  g_mutex_lock (&self->reader.lock);
  stmt = _sa_cache_prepare (&self->reader, "SELECT value FROM sync_state WHERE key = 'cursor'",
                            NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    cursor = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  g_mutex_unlock (&self->reader.lock);
  return cursor;
}

/* ------------------------------------------------------------------ */
/* JSON helpers */

const char *
_sa_cache_obj_string (JsonObject *obj,
                      const char *name)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, name)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

void
_sa_cache_bind_text (sqlite3_stmt *stmt,
                     int           col,
                     const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_TRANSIENT);
}

char *
_sa_cache_to_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

JsonNode *
_sa_cache_parse_json (const char *text)
{
  /* Mutable: rebuild_appeal() folds operations into the tree. */
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL ? json_node_copy (root) : NULL;
}
