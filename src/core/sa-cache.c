/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sa-appeal-model.h"
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
/* SQLite plumbing */

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
 * sa_cache_get_schema_version:
 * @self: a #SaCache
 *
 * Returns: the schema version (`PRAGMA user_version`)
 */
guint
sa_cache_get_schema_version (SaCache *self)
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

static JsonObject *
obj_object (JsonObject *obj,
            const char *name)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, name)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static JsonArray *
obj_array (JsonObject *obj,
           const char *name)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, name)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static gint64
obj_int (JsonObject *obj,
         const char *name,
         gint64      fallback)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, name)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return fallback;
}

/* RFC 3339 → unix seconds; G_MININT64 for missing or malformed. */
/* The cache's "no time" is G_MININT64, so that it sorts and binds as NULL. */
static gint64
parse_time (const char *text)
{
  gint64 t = sa_appeal_parse_time (text);

  return t != 0 ? t : G_MININT64;
}

static void
bind_time (sqlite3_stmt *stmt,
           int           col,
           gint64        t)
{
  if (t == G_MININT64)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_int64 (stmt, col, t);
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

/* The list sorts by the priority's rank; an unknown one ranks as normal. */
static int
priority_rank (const char *priority)
{
  SaPriority p = SA_PRIORITY_NORMAL;

  sa_priority_from_string (priority, &p);
  return p;
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

/* ------------------------------------------------------------------ */
/* Optimistic operations: the appeal model's rules (sa-appeal-model.c) */

/* Folds one local op over @appeal the way the registry would apply it. */
static void
apply_op (JsonObject *appeal,
          const char *type,
          JsonObject *args,
          const char *op_id,
          gint64      created_at,
          const char *login)
{
  /* Applying an op looks only at who made it, not at the role. */
  SaActor actor = { login, SA_ROLE_EXECUTOR, NULL };
  SaOpType op_type;

  if (sa_op_type_from_string (type, &op_type))
    sa_appeal_fold_op (appeal, op_type, &actor, args, op_id, created_at);
}

/* ------------------------------------------------------------------ */
/* Writing appeals */

gboolean
_sa_cache_load_row (SaCacheConn *c,
                    const char  *id,
                    SaCacheRow  *info,
                    GError     **error)
{
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "SELECT a.rid, a.server_version, d.server_json"
                                             " FROM appeals a JOIN appeal_docs d USING (rid)"
                                             " WHERE a.id = ?1", error);

  memset (info, 0, sizeof *info);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      info->exists = TRUE;
      info->rid = sqlite3_column_int64 (stmt, 0);
      info->server_version = sqlite3_column_int64 (stmt, 1);
      info->server_json = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
write_history (SaCacheConn *c,
               gint64       rid,
               JsonObject  *appeal,
               GError     **error)
{
  JsonArray *history = obj_array (appeal, "history");
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "DELETE FROM history WHERE appeal_rid = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (!_sa_cache_step (c, stmt, error))
    return FALSE;
  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *payload = item != NULL ? json_object_get_member (item, "payload") : NULL;
      g_autofree char *payload_text = payload != NULL ? _sa_cache_to_json (payload) : NULL;
      gint64 seq = obj_int (item, "seq", G_MININT64);

      if (item == NULL)
        continue;
      stmt = _sa_cache_prepare (c, "INSERT INTO history (appeal_rid, idx, seq, at, actor, type,"
                                   " payload, op_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      sqlite3_bind_int64 (stmt, 2, i);
      bind_time (stmt, 3, seq);
      bind_time (stmt, 4, parse_time (_sa_cache_obj_string (item, "at")));
      _sa_cache_bind_text (stmt, 5, _sa_cache_obj_string (item, "actor"));
      _sa_cache_bind_text (stmt, 6, _sa_cache_obj_string (item, "type"));
      _sa_cache_bind_text (stmt, 7, payload_text);
      _sa_cache_bind_text (stmt, 8, _sa_cache_obj_string (item, "op_id"));
      if (!_sa_cache_step (c, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Upserts the row's columns from @effective; keeps rid and the local
 * "opened" flag unless @reset_opened. */
static gboolean
write_appeal (SaCacheConn   *c,
              JsonObject    *effective,
              const char    *server_json,
              gint64         server_version,
              SaOfflineState state,
              gboolean       overlaid,
              gboolean       bump_revision,
              gboolean       reset_opened,
              GError       **error)
{
  JsonObject *applicant = obj_object (effective, "applicant");
  JsonObject *address = obj_object (effective, "address");
  g_autoptr(JsonNode) eff_node = NULL;
  g_autofree char *eff_text = NULL;
  gint64 legal = parse_time (_sa_cache_obj_string (effective,
                                                   sa_deadline_field (SA_DEADLINE_LEGAL)));
  gint64 op_due = parse_time (_sa_cache_obj_string (effective,
                                                    sa_deadline_field (SA_DEADLINE_RESOLUTION)));
  gint64 sla_due;
  gint64 rid = 0;
  sqlite3_stmt *stmt;

  /* Without local operations the shown JSON is the registry's: no need
   * to serialize it twice. */
  if (overlaid)
    {
      eff_node = json_node_init_object (json_node_alloc (), effective);
      eff_text = _sa_cache_to_json (eff_node);
    }
  else
    eff_text = g_strdup (server_json);
  /* The list sorts by the nearer of the two deadlines. */
  if (legal == G_MININT64 && op_due == G_MININT64)
    sla_due = SA_CACHE_NO_DUE;
  else if (legal == G_MININT64)
    sla_due = op_due;
  else if (op_due == G_MININT64)
    sla_due = legal;
  else
    sla_due = MIN (legal, op_due);

  stmt = _sa_cache_prepare (c,
                            "INSERT INTO appeals (id, reg_number, channel, status, priority,"
                            " category, agency, executor, applicant_name, address_text, district,"
                            " text, received_at, legal_due_at, op_due_at, sla_due_at, is_repeat,"
                            " version, updated_at, server_version, offline_state, local_revision,"
                            " opened)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                            " ?15, ?16, ?17, ?18, ?19, ?22, ?23, ?24, 0)"
                            " ON CONFLICT (id) DO UPDATE SET reg_number = excluded.reg_number,"
                            " channel = excluded.channel, status = excluded.status,"
                            " priority = excluded.priority, category = excluded.category,"
                            " agency = excluded.agency, executor = excluded.executor,"
                            " applicant_name = excluded.applicant_name,"
                            " address_text = excluded.address_text, district = excluded.district,"
                            " text = excluded.text, received_at = excluded.received_at,"
                            " legal_due_at = excluded.legal_due_at, op_due_at = excluded.op_due_at,"
                            " sla_due_at = excluded.sla_due_at, is_repeat = excluded.is_repeat,"
                            " version = excluded.version, updated_at = excluded.updated_at,"
                            " server_version = excluded.server_version,"
                            " offline_state = excluded.offline_state,"
                            " local_revision = local_revision + ?24,"
                            " opened = CASE WHEN ?25 THEN 0 ELSE opened END"
                            " RETURNING rid", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, _sa_cache_obj_string (effective, "id"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, _sa_cache_obj_string (effective, "reg_number") ?: "", -1,
                     SQLITE_TRANSIENT);
  _sa_cache_bind_text (stmt, 3, _sa_cache_obj_string (effective, "channel"));
  sqlite3_bind_text (stmt, 4, _sa_cache_obj_string (effective, "status")
                               ?: sa_appeal_status_to_string (SA_APPEAL_STATUS_REGISTERED), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, priority_rank (_sa_cache_obj_string (effective, "priority")));
  _sa_cache_bind_text (stmt, 6, _sa_cache_obj_string (effective, "category"));
  _sa_cache_bind_text (stmt, 7, _sa_cache_obj_string (effective, "agency"));
  _sa_cache_bind_text (stmt, 8, _sa_cache_obj_string (effective, "executor"));
  _sa_cache_bind_text (stmt, 9, _sa_cache_obj_string (applicant, "name"));
  _sa_cache_bind_text (stmt, 10, _sa_cache_obj_string (address, "text"));
  _sa_cache_bind_text (stmt, 11, _sa_cache_obj_string (address, "district"));
  _sa_cache_bind_text (stmt, 12, _sa_cache_obj_string (effective, "text"));
  bind_time (stmt, 13, parse_time (_sa_cache_obj_string (effective, "received_at")));
  bind_time (stmt, 14, legal);
  bind_time (stmt, 15, op_due);
  bind_time (stmt, 16, sla_due);
  sqlite3_bind_int (stmt, 17, obj_int (effective, "is_repeat", 0) != 0);
  sqlite3_bind_int64 (stmt, 18, obj_int (effective, "version", 0));
  bind_time (stmt, 19, parse_time (_sa_cache_obj_string (effective, "updated_at")));
  sqlite3_bind_int64 (stmt, 22, server_version);
  sqlite3_bind_int (stmt, 23, state);
  sqlite3_bind_int (stmt, 24, bump_revision ? 1 : 0);
  sqlite3_bind_int (stmt, 25, reset_opened ? 1 : 0);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rid = sqlite3_column_int64 (stmt, 0);
  if (sqlite3_step (stmt) != SQLITE_DONE || rid == 0)
    {
      _sa_cache_db_error (c, error, "Could not write an appeal to the cache");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO appeal_docs (rid, json, server_json)"
                               " VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  sqlite3_bind_text (stmt, 2, eff_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, server_json, -1, SQLITE_STATIC);
  if (!_sa_cache_step (c, stmt, error))
    return FALSE;
  return write_history (c, rid, effective, error);
}

/* Rebuilds the shown appeal: the registry's JSON (@server, or the stored
 * one) with every pending or sent op folded on top, in outbox order. */
gboolean
_sa_cache_rebuild_appeal (SaCache     *self,
                          const char  *appeal_id,
                          JsonNode    *server,
                          gboolean     bump_revision,
                          gboolean     reset_opened,
                          GError     **error)
{
  SaCacheConn *c = &self->writer;
  g_autofree char *login = _sa_cache_state_dup (c, "login");
  g_autofree char *server_text = NULL;
  g_autoptr(JsonNode) effective = NULL;
  SaCacheRow info;
  sqlite3_stmt *stmt;
  gboolean conflict = FALSE, rejected = FALSE;
  guint overlaid = 0;
  SaOfflineState state;
  gint64 server_version = 0;
  int rc;

  if (!_sa_cache_load_row (c, appeal_id, &info, error))
    return FALSE;
  if (server != NULL)
    {
      server_text = _sa_cache_to_json (server);
      effective = json_node_ref (server);
      server_version = obj_int (json_node_get_object (server), "version", 0);
    }
  else if (info.exists)
    {
      server_text = g_steal_pointer (&info.server_json);
      effective = _sa_cache_parse_json (server_text);
      server_version = info.server_version;
    }
  g_free (info.server_json);
  /* Ops on an appeal not (or no longer) cached stay in the outbox. */
  if (effective == NULL || !JSON_NODE_HOLDS_OBJECT (effective))
    return TRUE;

  stmt = _sa_cache_prepare (c, "SELECT op_id, type, args, state, created_at FROM outbox"
                               " WHERE appeal_id = ?1 ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SaOpState op_state = sqlite3_column_int (stmt, 3);

      if (op_state == SA_OP_CONFLICT)
        conflict = TRUE;
      else if (op_state == SA_OP_REJECTED)
        rejected = TRUE;
      else
        {
          g_autoptr(JsonNode) args = NULL;

          args = _sa_cache_parse_json ((const char *) sqlite3_column_text (stmt, 2));

          /* json_node_copy() is shallow: fold into a private tree, never
           * into the caller's. */
          if (overlaid == 0)
            {
              g_clear_pointer (&effective, json_node_unref);
              effective = _sa_cache_parse_json (server_text);
            }
          apply_op (json_node_get_object (effective), (const char *) sqlite3_column_text (stmt, 1),
                    args != NULL && JSON_NODE_HOLDS_OBJECT (args)
                    ? json_node_get_object (args) : NULL,
                    (const char *) sqlite3_column_text (stmt, 0),
                    sqlite3_column_int64 (stmt, 4), login);
          overlaid++;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sa_cache_db_error (c, error, "Could not read the outbox");
      return FALSE;
    }

  /* A problem the user must see outranks "waiting to be sent". */
  if (conflict)
    state = SA_OFFLINE_CONFLICT;
  else if (rejected)
    state = SA_OFFLINE_REJECTED;
  else if (overlaid > 0)
    state = SA_OFFLINE_MODIFIED;
  else
    state = SA_OFFLINE_SYNCED;

  return write_appeal (c, json_node_get_object (effective), server_text, server_version, state,
                       overlaid > 0,
                       bump_revision, reset_opened, error);
}

/* ------------------------------------------------------------------ */
/* Pull */

static gboolean
delete_applied_ops (SaCacheConn *c,
                    JsonObject  *appeal,
                    GError     **error)
{
  JsonArray *history = obj_array (appeal, "history");

  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *payload = JSON_NODE_HOLDS_OBJECT (node)
                            ? obj_object (json_node_get_object (node), "payload") : NULL;
      const char *op_id = _sa_cache_obj_string (payload, "op_id");
      sqlite3_stmt *stmt;

      if (op_id == NULL)
        continue;
      /* Applied by the registry even if its answer was lost: showing the
       * op on top as well would show it twice. */
      stmt = _sa_cache_prepare (c, "DELETE FROM outbox WHERE op_id = ?1 AND state IN (0, 1)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
      if (!_sa_cache_step (c, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_news_for_me (JsonObject *appeal,
                const char *login)
{
  JsonArray *history = obj_array (appeal, "history");
  guint n = history != NULL ? json_array_get_length (history) : 0;
  JsonNode *last;

  if (n == 0)
    return TRUE;
  last = json_array_get_element (history, n - 1);
  return !JSON_NODE_HOLDS_OBJECT (last) ||
         g_strcmp0 (_sa_cache_obj_string (json_node_get_object (last), "actor"), login) != 0;
}

/* Stores the registry's appeal as the new base, unless the cache has a
 * newer one already (a push result can overtake the feed). */
gboolean
_sa_cache_store_server_appeal (SaCache     *self,
                               JsonNode    *data,
                               GPtrArray   *changed,
                               GError     **error)
{
  SaCacheConn *c = &self->writer;
  JsonObject *obj = json_node_get_object (data);
  const char *id = _sa_cache_obj_string (obj, "id");
  gint64 version = obj_int (obj, "version", 0);
  g_autofree char *login = NULL;
  SaCacheRow info;
  gboolean news;

  if (id == NULL)
    {
      g_set_error_literal (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID,
                           "An appeal without an id");
      return FALSE;
    }
  if (!_sa_cache_load_row (c, id, &info, error))
    return FALSE;
  g_free (info.server_json);
  if (info.exists && info.server_version > version)
    return TRUE;
  login = _sa_cache_state_dup (c, "login");
  news = info.exists && version > info.server_version && is_news_for_me (obj, login);
  if (!delete_applied_ops (c, obj, error) ||
      !_sa_cache_rebuild_appeal (self, id, data, FALSE, news, error))
    return FALSE;
  g_ptr_array_add (changed, g_strdup (id));
  return TRUE;
}

gboolean
_sa_cache_delete_by_key (SaCacheConn *c,
                         const char  *sql,
                         const char  *key,
                         GError     **error)
{
  sqlite3_stmt *stmt = _sa_cache_prepare (c, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  return _sa_cache_step (c, stmt, error);
}

static gboolean
put_reference (SaCacheConn *c,
               const char  *kind,
               const char  *id,
               JsonObject  *data,
               GError     **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), data);
  g_autofree char *text = _sa_cache_to_json (node);
  sqlite3_stmt *stmt;

  if (strcmp (kind, "agency") == 0)
    stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO agencies (code, name_ru, name_kk, json)"
                                 " VALUES (?1, ?2, ?3, ?4)", error);
  else if (strcmp (kind, "category") == 0)
    stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO categories (code, name_ru, name_kk, json,"
                                 " agency) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  else if (strcmp (kind, "district") == 0)
    stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO districts (code, name_ru, name_kk)"
                                 " VALUES (?1, ?2, ?3)", error);
  else
    stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO users (login, full_name, agency, json,"
                                 " role, disabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (strcmp (kind, "user") == 0)
    {
      _sa_cache_bind_text (stmt, 2, _sa_cache_obj_string (data, "full_name"));
      _sa_cache_bind_text (stmt, 3, _sa_cache_obj_string (data, "agency"));
      sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
      _sa_cache_bind_text (stmt, 5, _sa_cache_obj_string (data, "role"));
      sqlite3_bind_int (stmt, 6, obj_int (data, "disabled", 0) != 0);
    }
  else
    {
      _sa_cache_bind_text (stmt, 2, _sa_cache_obj_string (data, "name_ru"));
      _sa_cache_bind_text (stmt, 3, _sa_cache_obj_string (data, "name_kk"));
      if (strcmp (kind, "district") != 0)
        sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
      if (strcmp (kind, "category") == 0)
        _sa_cache_bind_text (stmt, 5, _sa_cache_obj_string (data, "agency"));
    }
  return _sa_cache_step (c, stmt, error);
}

static gboolean
apply_one_change (SaCache     *self,
                  JsonNode    *node,
                  GPtrArray   *changed,
                  GError     **error)
{
  SaCacheConn *c = &self->writer;
  JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *kind = _sa_cache_obj_string (change, "kind");
  const char *id = _sa_cache_obj_string (change, "id");
  JsonNode *data = change != NULL ? json_object_get_member (change, "data") : NULL;
  gboolean removed = obj_int (change, "removed", 0) != 0 || data == NULL ||
                     !JSON_NODE_HOLDS_OBJECT (data);

  if (kind == NULL || id == NULL)
    {
      g_set_error_literal (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID,
                           "A change without kind or id");
      return FALSE;
    }
  if (strcmp (kind, "appeal") == 0)
    {
      if (!removed)
        return _sa_cache_store_server_appeal (self, data, changed, error);
      /* Out of sight (forwarded away): pending ops stay in the outbox and
       * will come back with the registry's answer. */
      g_ptr_array_add (changed, g_strdup (id));
      return _sa_cache_delete_by_key (c, "DELETE FROM appeals WHERE id = ?1", id, error);
    }
  if (strcmp (kind, "agency") == 0 || strcmp (kind, "category") == 0 ||
      strcmp (kind, "user") == 0 || strcmp (kind, "district") == 0)
    {
      if (removed)
        {
          const char *sql = strcmp (kind, "agency") == 0
                            ? "DELETE FROM agencies WHERE code = ?1"
                            : strcmp (kind, "category") == 0
                            ? "DELETE FROM categories WHERE code = ?1"
                            : strcmp (kind, "district") == 0
                            ? "DELETE FROM districts WHERE code = ?1"
                            : "DELETE FROM users WHERE login = ?1";
          return _sa_cache_delete_by_key (c, sql, id, error);
        }
      return put_reference (c, kind, id, json_node_get_object (data), error);
    }
  /* A kind from a newer registry: skipped, not fatal. */
  g_debug ("Skipping a change of unknown kind “%s”", kind);
  return TRUE;
}

/* Why a feed entry cannot be read, or NULL. What the registry's feed
 * promises (docs/api.md): an object with a kind and an id, and for an
 * entity that is not removed, its state as an object with that id. */
static const char *
unreadable_reason (JsonNode *node)
{
  JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *kind = _sa_cache_obj_string (change, "kind");
  const char *id = _sa_cache_obj_string (change, "id");
  JsonNode *data = change != NULL ? json_object_get_member (change, "data") : NULL;
  JsonObject *obj;
  JsonNode *member;

  if (change == NULL)
    return "the entry is not an object";
  if (kind == NULL || id == NULL || *id == '\0')
    return "the entry has no kind or no id";
  if (obj_int (change, "removed", 0) != 0 || data == NULL || JSON_NODE_HOLDS_NULL (data))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (data))
    return "its data is not an object";
  obj = json_node_get_object (data);
  if (strcmp (kind, "appeal") == 0)
    {
      if (g_strcmp0 (_sa_cache_obj_string (obj, "id"), id) != 0)
        return "the appeal's id is missing or not the entry's";
      member = json_object_get_member (obj, "version");
      if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
          json_node_get_value_type (member) != G_TYPE_INT64 || json_node_get_int (member) < 1)
        return "the appeal's version is not a positive integer";
      if (_sa_cache_obj_string (obj, "status") == NULL ||
          _sa_cache_obj_string (obj, "reg_number") == NULL)
        return "the appeal has no status or registration number";
      for (guint i = 0; i < 3; i++)
        {
          static const char * const names[] = { "applicant", "address", "history" };

          member = json_object_get_member (obj, names[i]);
          if (member != NULL && !JSON_NODE_HOLDS_NULL (member) &&
              !(i < 2 ? JSON_NODE_HOLDS_OBJECT (member) : JSON_NODE_HOLDS_ARRAY (member)))
            return "the appeal's applicant, address or history has the wrong type";
        }
    }
  else if ((strcmp (kind, "agency") == 0 || strcmp (kind, "category") == 0) &&
           g_strcmp0 (_sa_cache_obj_string (obj, "code"), id) != 0)
    return "its code is missing or not the entry's id";
  else if (strcmp (kind, "user") == 0 && g_strcmp0 (_sa_cache_obj_string (obj, "login"), id) != 0)
    return "its login is missing or not the entry's id";
  return NULL;
}

/* SQLite failed for a reason of its own (the disk, a lock, memory), not
 * because of what it was asked to store: the page must wait for later. */
static gboolean
is_storage_failure (SaCacheConn *c)
{
  switch (sqlite3_errcode (c->db) & 0xff)
    {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return FALSE;
    default:
      return TRUE;
    }
}

/* Keeps @node in the table of unreadable entries, replacing an older one
 * of the same entity, and says so in the log. */
static gboolean
set_aside (SaCacheConn *c,
           JsonNode    *node,
           const char  *reason,
           GError     **error)
{
  JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *kind = _sa_cache_obj_string (change, "kind");
  const char *id = _sa_cache_obj_string (change, "id");
  gint64 seq = obj_int (change, "seq", G_MININT64);
  g_autofree char *text = _sa_cache_to_json (node);
  sqlite3_stmt *stmt;

  g_message ("Set aside an entry of the change feed that this desk cannot read "
             "(seq %" G_GINT64_FORMAT ", %s %s): %s", seq, kind ? kind : "?", id ? id : "?",
             reason);
  if (kind != NULL && id != NULL)
    {
      stmt = _sa_cache_prepare (c, "DELETE FROM unreadable WHERE kind = ?1 AND entity_id = ?2",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      if (!_sa_cache_step (c, stmt, error))
        return FALSE;
    }
  stmt = _sa_cache_prepare (c, "INSERT INTO unreadable (seq, kind, entity_id, reason, entry,"
                               " seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  bind_time (stmt, 1, seq);
  _sa_cache_bind_text (stmt, 2, kind);
  _sa_cache_bind_text (stmt, 3, id);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC);
  return _sa_cache_step (c, stmt, error);
}

/* A readable entry of an entity replaces what was set aside of it. */
static gboolean
forget_unreadable (SaCacheConn *c,
                   JsonNode    *node,
                   GError     **error)
{
  JsonObject *change = json_node_get_object (node);
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "DELETE FROM unreadable WHERE kind = ?1"
                                             " AND entity_id = ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, _sa_cache_obj_string (change, "kind"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, _sa_cache_obj_string (change, "id"), -1, SQLITE_STATIC);
  return _sa_cache_step (c, stmt, error);
}

static gboolean
has_unreadable (SaCacheConn *c)
{
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "SELECT EXISTS (SELECT 1 FROM unreadable)", NULL);
  gboolean any = FALSE;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    any = sqlite3_column_int (stmt, 0) != 0;
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return any;
}

/**
 * sa_cache_apply_changes:
 * @self: a #SaCache
 * @changes: the `changes` array of a `GET /api/v1/changes` page
 * @next_cursor: the page's `next`, stored as the new cursor
 * @error: return location for a #GError
 *
 * Applies a page of the change feed in one transaction: appeals (with
 * their history), agencies, categories and users; `"removed": true`
 * drops the entity. An appeal with pending local operations keeps
 * showing them on top of the new registry state; operations the page
 * shows as applied (their op_id is in the history) leave the outbox.
 * Either the whole page and the cursor are stored, or nothing is.
 *
 * An entry the cache cannot read (not what the feed promises, or data
 * SQLite refuses) does not hold the page back: it is set aside, whole, in
 * the table of unreadable entries (sa_cache_count_unreadable()) and logged,
 * the rest of the page and the cursor are stored, and what the cache held
 * of that entity stays as it was. A later readable entry of the entity
 * replaces it. A failure of the storage itself fails the page.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_apply_changes (SaCache    *self,
                        JsonArray  *changes,
                        gint64      next_cursor,
                        GError    **error)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  /* index → why, for the entries SQLite refused in an earlier try */
  g_autoptr(GHashTable) refused = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  guint n = json_array_get_length (changes);
  SaCacheConn *c;
  gboolean ok = TRUE;
  gboolean retry = TRUE;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  /* An entry SQLite refuses may have written half of itself: the page is
   * tried again without it, so there is no savepoint per entry. */
  while (ok && retry)
    {
      gboolean forget;

      retry = FALSE;
      g_ptr_array_set_size (changed, 0);
      ok = _sa_cache_begin (c, FALSE, error);
      forget = ok && has_unreadable (c);
      for (guint i = 0; ok && !retry && i < n; i++)
        {
          JsonNode *node = json_array_get_element (changes, i);
          const char *reason = g_hash_table_lookup (refused, GUINT_TO_POINTER (i));
          g_autoptr(GError) local = NULL;

          if (reason == NULL)
            reason = unreadable_reason (node);
          if (reason != NULL)
            ok = set_aside (c, node, reason, error);
          else if (apply_one_change (self, node, changed, &local))
            ok = !forget || forget_unreadable (c, node, error);
          else if (g_error_matches (local, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID) ||
                   !is_storage_failure (c))
            {
              g_hash_table_insert (refused, GUINT_TO_POINTER (i), g_strdup (local->message));
              retry = TRUE;
            }
          else
            {
              g_propagate_error (error, g_steal_pointer (&local));
              ok = FALSE;
            }
        }
      if (ok && !retry)
        ok = _sa_cache_state_set (c, "cursor", NULL, next_cursor, error) &&
             _sa_cache_commit (c, FALSE, error);
      else if (sa_sqlite_in_transaction (c->sql))
        _sa_cache_rollback (c, FALSE);
    }
  g_mutex_unlock (&c->lock);

  if (ok)
    _sa_cache_emit_changed (self, changed);
  return ok;
}

/**
 * sa_cache_count_unreadable:
 * @self: a #SaCache
 * @error: return location for a #GError
 *
 * How many entries of the change feed the cache set aside because it
 * could not read them (sa_cache_apply_changes()); they are kept, whole, in
 * the `unreadable` table. Reads on the main thread's connection.
 *
 * Returns: the count, or -1 on error
 */
gint64
sa_cache_count_unreadable (SaCache  *self,
                           GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_return_val_if_fail (SA_IS_CACHE (self), -1);

  g_mutex_lock (&self->reader.lock);
  stmt = _sa_cache_prepare (&self->reader, "SELECT count(*) FROM unreadable", error);
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      else
        _sa_cache_db_error (&self->reader, error, "Could not count the unreadable feed entries");
      sqlite3_reset (stmt);
    }
  g_mutex_unlock (&self->reader.lock);
  return n;
}

/**
 * sa_cache_put_districts:
 * @self: a #SaCache
 * @districts: the `districts` array of `GET /api/v1/districts`
 * @error: return location for a #GError
 *
 * Stores the district names (reference data outside the feed).
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_put_districts (SaCache    *self,
                        JsonArray  *districts,
                        GError    **error)
{
  SaCacheConn *c;
  gboolean ok = TRUE;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (districts != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  ok = _sa_cache_begin (c, FALSE, error);
  for (guint i = 0; ok && i < json_array_get_length (districts); i++)
    {
      JsonNode *node = json_array_get_element (districts, i);
      JsonObject *d = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (_sa_cache_obj_string (d, "code") != NULL)
        ok = put_reference (c, "district", _sa_cache_obj_string (d, "code"), d, error);
    }
  if (ok)
    ok = _sa_cache_commit (c, FALSE, error);
  else
    _sa_cache_rollback (c, FALSE);
  g_mutex_unlock (&c->lock);
  return ok;
}

/**
 * sa_cache_reset:
 * @self: a #SaCache
 * @error: return location for a #GError
 *
 * Forgets the mirrored data and the cursor, for a 410 from the feed:
 * the next pull starts from 0. The outbox stays, so nothing the user did
 * is lost; its operations show again as each appeal comes back.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_reset (SaCache  *self,
                GError  **error)
{
  SaCacheConn *c;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  ok = _sa_cache_begin (c, FALSE, error) &&
       _sa_cache_exec (c, "DELETE FROM history; DELETE FROM appeal_docs; DELETE FROM appeals;"
                          " DELETE FROM agencies;"
                          " DELETE FROM categories; DELETE FROM users; DELETE FROM unreadable;"
                          " DELETE FROM sync_state WHERE key = 'cursor';"
                          /* Sent ops go again: the registry answers a duplicate
                      * for those it has, by op_id. */
                          " UPDATE outbox SET state = 0 WHERE state = 1", error);
  if (ok)
    ok = _sa_cache_commit (c, FALSE, error);
  else
    _sa_cache_rollback (c, FALSE);
  g_mutex_unlock (&c->lock);
  if (ok)
    _sa_cache_emit_changed (self, NULL);
  return ok;
}
