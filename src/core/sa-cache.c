/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sa-appeal-model.h"
#include "sa-attachment-store.h"
#include "sa-cache.h"
#include "sa-cache-private.h"

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

#define SCHEMA_VERSION 2

typedef struct
{
  sqlite3    *db;
  GHashTable *stmts;  /* SQL text → sqlite3_stmt*, prepared once */
  GMutex      lock;
} Conn;

struct _SaCache
{
  GObject       parent_instance;

  char         *path;
  Conn          writer;
  Conn          reader;
  GMainContext *owner_context;
  GThread      *owner_thread;
  guint         schema_version;
};

G_DEFINE_FINAL_TYPE (SaCache, sa_cache, G_TYPE_OBJECT)
G_DEFINE_QUARK (sa-cache-error-quark, sa_cache_error)

enum
{
  APPEALS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Versioned schema: migrations[i] takes user_version i to i + 1. */
static const char * const migrations[] = {
  /* 1 */
  "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
  "CREATE TABLE agencies (code TEXT PRIMARY KEY, name_ru TEXT, name_kk TEXT,"
  " json TEXT NOT NULL);"
  "CREATE TABLE categories (code TEXT PRIMARY KEY, name_ru TEXT, name_kk TEXT,"
  " agency TEXT, json TEXT NOT NULL);"
  "CREATE TABLE districts (code TEXT PRIMARY KEY, name_ru TEXT, name_kk TEXT);"
  "CREATE TABLE users (login TEXT PRIMARY KEY, full_name TEXT, agency TEXT, role TEXT,"
  " disabled INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);"
  /* AUTOINCREMENT: a rid is never reused, so list models may compare rids
   * across a 410 reset without mistaking a new appeal for an old one. */
  "CREATE TABLE appeals ("
  " rid INTEGER PRIMARY KEY AUTOINCREMENT,"
  " id TEXT NOT NULL UNIQUE,"
  " reg_number TEXT NOT NULL DEFAULT '',"
  " channel TEXT, status TEXT NOT NULL, priority INTEGER NOT NULL DEFAULT 1,"
  " category TEXT, agency TEXT, executor TEXT,"
  " applicant_name TEXT, address_text TEXT, district TEXT, text TEXT,"
  " received_at INTEGER, legal_due_at INTEGER, op_due_at INTEGER,"
  /* The nearer deadline; SA_CACHE_NO_DUE when none, so that the index
   * sorts those last. */
  " sla_due_at INTEGER NOT NULL,"
  " is_repeat INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 0,"
  " updated_at INTEGER, server_version INTEGER NOT NULL,"
  " offline_state INTEGER NOT NULL DEFAULT 0,"
  " local_revision INTEGER NOT NULL DEFAULT 0,"
  " opened INTEGER NOT NULL DEFAULT 0);"
  /* The JSON lives beside the row, so that list scans and counts never
   * page through kilobytes of it. */
  "CREATE TABLE appeal_docs ("
  " rid INTEGER PRIMARY KEY REFERENCES appeals (rid) ON DELETE CASCADE,"
  " json TEXT NOT NULL, server_json TEXT NOT NULL);"
  "CREATE INDEX appeals_by_due ON appeals (sla_due_at, rid);"
  "CREATE INDEX appeals_by_received ON appeals (received_at DESC, rid);"
  "CREATE INDEX appeals_by_priority ON appeals (priority DESC, sla_due_at, rid);"
  "CREATE INDEX appeals_by_status ON appeals (status, sla_due_at);"
  "CREATE INDEX appeals_by_executor ON appeals (executor, status, agency);"
  "CREATE INDEX appeals_by_category ON appeals (category);"
  "CREATE INDEX appeals_by_district ON appeals (district);"
  "CREATE INDEX appeals_by_offline_state ON appeals (offline_state) WHERE offline_state != 0;"
  "CREATE TABLE history ("
  " appeal_rid INTEGER NOT NULL REFERENCES appeals (rid) ON DELETE CASCADE,"
  " idx INTEGER NOT NULL, seq INTEGER, at INTEGER, actor TEXT, type TEXT,"
  " payload TEXT, op_id TEXT,"
  " PRIMARY KEY (appeal_rid, idx)) WITHOUT ROWID;"
  /* No foreign key to appeals: a 410 reset drops the appeals and keeps
   * the outbox. */
  "CREATE TABLE outbox ("
  " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  " op_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, appeal_id TEXT NOT NULL,"
  " base_version INTEGER NOT NULL, args TEXT NOT NULL DEFAULT '{}',"
  " state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"
  " last_error TEXT, error_code TEXT, conflict_json TEXT,"
  " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
  "CREATE INDEX outbox_by_appeal ON outbox (appeal_id, seq);"
  /* unicode61 with remove_diacritics 2 strips only Latin marks, so й and
   * the Kazakh letters stay letters of their own while Latin addresses
   * match without accents; sa_unicode61 adds ё = е. See docs/cache.md. */
  "CREATE VIRTUAL TABLE appeals_fts USING fts5 ("
  " reg_number, applicant_name, address_text, text,"
  " content = 'appeals', content_rowid = 'rid',"
  " tokenize = 'sa_unicode61 remove_diacritics 2', prefix = '1 2 3');"
  "CREATE TRIGGER appeals_fts_insert AFTER INSERT ON appeals BEGIN"
  " INSERT INTO appeals_fts (rowid, reg_number, applicant_name, address_text, text)"
  " VALUES (new.rid, new.reg_number, new.applicant_name, new.address_text, new.text);"
  " END;"
  "CREATE TRIGGER appeals_fts_delete AFTER DELETE ON appeals BEGIN"
  " INSERT INTO appeals_fts (appeals_fts, rowid, reg_number, applicant_name, address_text,"
  " text) VALUES ('delete', old.rid, old.reg_number, old.applicant_name, old.address_text,"
  " old.text);"
  " END;"
  /* Most updates (status, executor, local ops) leave the indexed text
   * alone: skip the index then. */
  "CREATE TRIGGER appeals_fts_update AFTER UPDATE ON appeals"
  " WHEN old.reg_number IS NOT new.reg_number OR old.applicant_name IS NOT new.applicant_name"
  " OR old.address_text IS NOT new.address_text OR old.text IS NOT new.text BEGIN"
  " INSERT INTO appeals_fts (appeals_fts, rowid, reg_number, applicant_name, address_text,"
  " text) VALUES ('delete', old.rid, old.reg_number, old.applicant_name, old.address_text,"
  " old.text);"
  " INSERT INTO appeals_fts (rowid, reg_number, applicant_name, address_text, text)"
  " VALUES (new.rid, new.reg_number, new.applicant_name, new.address_text, new.text);"
  " END;",
  /* 2: change-feed entries the desk could not read, set aside rather than
   * stalling the feed, and kept (whole) until a readable one replaces them. */
  "CREATE TABLE unreadable ("
  " rid INTEGER PRIMARY KEY, seq INTEGER, kind TEXT, entity_id TEXT,"
  " reason TEXT NOT NULL, entry TEXT NOT NULL, seen_at INTEGER NOT NULL);"
  "CREATE INDEX unreadable_by_entity ON unreadable (kind, entity_id);",
};

/* ------------------------------------------------------------------ */
/* Outbox entries */

/**
 * sa_outbox_entry_free:
 * @entry: (transfer full) (nullable): an entry
 *
 * Frees @entry.
 */
void
sa_outbox_entry_free (SaOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->op_id);
  g_free (entry->type);
  g_free (entry->appeal_id);
  g_clear_pointer (&entry->args, json_node_unref);
  g_free (entry->last_error);
  g_free (entry->error_code);
  g_free (entry->after_op_id);
  g_clear_pointer (&entry->conflict_appeal, json_node_unref);
  g_free (entry);
}

/**
 * sa_outbox_entry_to_json:
 * @entry: an entry
 *
 * Builds the operation as `POST /api/v1/ops` wants it:
 * `{"op_id","type","appeal_id","base_version","made_at","after","args"}`.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
sa_outbox_entry_to_json (const SaOutboxEntry *entry)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (entry != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "op_id");
  json_builder_add_string_value (b, entry->op_id);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, entry->type);
  json_builder_set_member_name (b, "appeal_id");
  json_builder_add_string_value (b, entry->appeal_id);
  json_builder_set_member_name (b, "base_version");
  json_builder_add_int_value (b, entry->base_version);
  if (entry->created_at > 0)
    {
      /* When the person made it: an offline edit keeps its own time. */
      g_autofree char *made_at = sa_appeal_format_time (entry->created_at);

      json_builder_set_member_name (b, "made_at");
      json_builder_add_string_value (b, made_at);
    }
  if (entry->after_op_id != NULL)
    {
      json_builder_set_member_name (b, "after");
      json_builder_add_string_value (b, entry->after_op_id);
    }
  json_builder_set_member_name (b, "args");
  if (entry->args != NULL)
    json_builder_add_value (b, json_node_copy (entry->args));
  else
    {
      json_builder_begin_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ------------------------------------------------------------------ */
/* SQLite plumbing */

static void
set_db_error (sqlite3     *db,
              GError     **error,
              const char  *what)
{
  int code = db != NULL ? sqlite3_errcode (db) & 0xff : SQLITE_NOMEM;

  /* Damage is told apart: the file is set aside rather than retried. */
  g_set_error (error, SA_CACHE_ERROR,
               code == SQLITE_CORRUPT || code == SQLITE_NOTADB
               ? SA_CACHE_ERROR_CORRUPT : SA_CACHE_ERROR_FAILED,
               "%s: %s", what, db != NULL ? sqlite3_errmsg (db) : "out of memory");
}

static sqlite3_stmt *
conn_prepare (Conn        *c,
              const char  *sql,
              GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (c->stmts, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (c->db, error, "Could not prepare a cache query");
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (c->stmts, g_strdup (sql), stmt);
  return stmt;
}

static gboolean
conn_exec (Conn        *c,
           const char  *sql,
           GError     **error)
{
  if (sqlite3_exec (c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (c->db, error, "Cache statement failed");
      return FALSE;
    }
  return TRUE;
}

static gboolean
step_done (Conn          *c,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_db_error (c->db, error, "Could not write the cache");
      return FALSE;
    }
  return TRUE;
}

static void
finalize_stmt (gpointer data)
{
  sqlite3_finalize (data);
}

/* The FTS5 tokenizer "sa_unicode61": unicode61 (same arguments), then ё
 * folded to е, as Russian writers mostly leave out the dots ("Семенов"
 * must find "Семёнов"). Both letters are two bytes in UTF-8, so offsets
 * stay right. Registered on each connection before the schema is used. */

typedef struct
{
  fts5_tokenizer  inner_api;
  Fts5Tokenizer  *inner;
} FoldTokenizer;

typedef struct
{
  void *ctx;
  int (*token) (void *, int, const char *, int, int, int);
} FoldCall;

static int
fold_create (void           *user_data,
             const char    **argv,
             int             argc,
             Fts5Tokenizer **out)
{
  fts5_api *api = user_data;
  FoldTokenizer *tok = g_new0 (FoldTokenizer, 1);
  void *inner_data = NULL;
  int rc;

  rc = api->xFindTokenizer (api, "unicode61", &inner_data, &tok->inner_api);
  if (rc == SQLITE_OK)
    rc = tok->inner_api.xCreate (inner_data, argv, argc, &tok->inner);
  if (rc != SQLITE_OK)
    {
      g_free (tok);
      return rc;
    }
  *out = (Fts5Tokenizer *) tok;
  return SQLITE_OK;
}

static void
fold_delete (Fts5Tokenizer *t)
{
  FoldTokenizer *tok = (FoldTokenizer *) t;

  tok->inner_api.xDelete (tok->inner);
  g_free (tok);
}

static int
fold_token (void       *data,
            int         flags,
            const char *token,
            int         n,
            int         start,
            int         end)
{
  FoldCall *call = data;
  char stack[128];
  char *buf;
  int rc;

  if (n < 2 || memchr (token, 0xD1, n) == NULL)
    return call->token (call->ctx, flags, token, n, start, end);
  buf = n <= (int) sizeof stack ? stack : g_malloc (n);
  memcpy (buf, token, n);
  for (int i = 0; i + 1 < n; i++)
    if ((guchar) buf[i] == 0xD1 && (guchar) buf[i + 1] == 0x91)  /* ё */
      {
        buf[i] = (char) 0xD0;  /* е */
        buf[i + 1] = (char) 0xB5;
      }
  rc = call->token (call->ctx, flags, buf, n, start, end);
  if (buf != stack)
    g_free (buf);
  return rc;
}

static int
fold_tokenize (Fts5Tokenizer *t,
               void          *ctx,
               int            flags,
               const char    *text,
               int            n,
               int          (*token) (void *, int, const char *, int, int, int))
{
  FoldTokenizer *tok = (FoldTokenizer *) t;
  FoldCall call = { ctx, token };

  return tok->inner_api.xTokenize (tok->inner, &call, flags, text, n, fold_token);
}

static gboolean
register_tokenizer (Conn    *c,
                    GError **error)
{
  static fts5_tokenizer fold = { fold_create, fold_delete, fold_tokenize };
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (c->db, "SELECT fts5 (?1)", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (api == NULL ||
      api->xCreateTokenizer (api, "sa_unicode61", api, &fold, NULL) != SQLITE_OK)
    {
      set_db_error (c->db, error, "This SQLite has no FTS5");
      return FALSE;
    }
  return TRUE;
}

static gboolean
conn_open (Conn        *c,
           const char  *path,
           gboolean     reader,
           GError     **error)
{
  int rc;

  g_mutex_init (&c->lock);
  c->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  /* NOMUTEX: each connection has its own GMutex around whole transactions. */
  rc = sqlite3_open_v2 (path, &c->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (c->db, error, "Could not open the cache");
      return FALSE;
    }
  sqlite3_extended_result_codes (c->db, 1);
  sqlite3_busy_timeout (c->db, 10000);
  if (!conn_exec (c, "PRAGMA foreign_keys = ON", error))
    return FALSE;
  /* 16 MB of page cache (the default is 2 MB): a feed page touches
   * several indexes and the FTS5 index of 100,000 appeals. */
  if (!conn_exec (c, "PRAGMA cache_size = -16384", error) || !register_tokenizer (c, error))
    return FALSE;
  if (reader)
    return conn_exec (c, "PRAGMA query_only = ON", error);
  /* NORMAL in WAL mode: a power cut may lose the last feed page (it is
   * pulled again), never corrupt; local edits raise it to FULL. */
  return conn_exec (c, "PRAGMA journal_mode = WAL", error) &&
         conn_exec (c, "PRAGMA synchronous = NORMAL", error);
}

static void
conn_close (Conn *c)
{
  g_clear_pointer (&c->stmts, g_hash_table_unref);
  if (c->db != NULL)
    sqlite3_close (c->db);
  c->db = NULL;
  g_mutex_clear (&c->lock);
}

static gboolean
begin (Conn     *c,
       gboolean  durable,
       GError  **error)
{
  /* The level cannot change inside a transaction, so it is set around it. */
  if (durable && !conn_exec (c, "PRAGMA synchronous = FULL", error))
    return FALSE;
  return conn_exec (c, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (Conn     *c,
        gboolean  durable,
        GError  **error)
{
  gboolean ok = conn_exec (c, "COMMIT", error);

  if (!ok)
    sqlite3_exec (c->db, "ROLLBACK", NULL, NULL, NULL);
  if (durable)
    sqlite3_exec (c->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
  return ok;
}

static void
rollback (Conn     *c,
          gboolean  durable)
{
  sqlite3_exec (c->db, "ROLLBACK", NULL, NULL, NULL);
  if (durable)
    sqlite3_exec (c->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
}

static gboolean
migrate (SaCache  *self,
         GError  **error)
{
  Conn *c = &self->writer;
  sqlite3_stmt *stmt;
  int version = 0;

  if (sqlite3_prepare_v2 (c->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_TOO_NEW,
                   "The cache %s has schema %d; this build knows up to %d",
                   self->path, version, SCHEMA_VERSION);
      return FALSE;
    }
  for (; version < SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!begin (c, FALSE, error))
        return FALSE;
      if (!conn_exec (c, migrations[version], error) || !conn_exec (c, bump, error))
        {
          rollback (c, FALSE);
          return FALSE;
        }
      if (!commit (c, FALSE, error))
        return FALSE;
    }
  self->schema_version = version;
  return TRUE;
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
static void
emit_changed (SaCache   *self,
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

/* The cache holds applicants' personal data: 0600, made so before SQLite
 * first writes to it (SQLite would create it 0644, and gives the -wal and
 * -shm files the mode of the database). Older caches are tightened. */
static gboolean
prepare_file (const char  *path,
              GError     **error)
{
  static const char * const companions[] = { "-wal", "-shm", "-journal" };
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0 || fchmod (fd, 0600) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_FAILED,
                   "Could not create the cache %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *file = g_strconcat (path, companions[i], NULL);

      if (g_chmod (file, 0600) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_FAILED,
                       "Could not protect %s: %s", file, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
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
  if (!prepare_file (path, error))
    return NULL;
  if (!conn_open (&self->writer, path, FALSE, error) || !migrate (self, error) ||
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
  return conn_prepare (&self->reader, sql, error);
}

void
_sa_cache_set_error (SaCache     *self,
                     gboolean     reader,
                     GError     **error,
                     const char  *what)
{
  set_db_error (reader ? self->reader.db : self->writer.db, error, what);
}

/* ------------------------------------------------------------------ */
/* Key-value sync state */

static gboolean
state_set (Conn        *c,
           const char  *key,
           const char  *text,
           gint64       number,
           GError     **error)
{
  sqlite3_stmt *stmt = conn_prepare (c, "INSERT OR REPLACE INTO sync_state (key, value)"
                                        " VALUES (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (text != NULL)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 2, number);
  return step_done (c, stmt, error);
}

static char *
state_dup_text (Conn       *c,
                const char *key)
{
  sqlite3_stmt *stmt = conn_prepare (c, "SELECT value FROM sync_state WHERE key = ?1", NULL);
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
  Conn *c;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  ok = begin (c, FALSE, error) &&
       state_set (c, "login", login, 0, error) &&
       state_set (c, "agency", agency != NULL ? agency : "", 0, error);
  if (ok)
    ok = commit (c, FALSE, error);
  else
    rollback (c, FALSE);
  g_mutex_unlock (&c->lock);
  return ok;
}

static char *
dup_state (SaCache    *self,
           const char *key)
{
  char *value;

  g_mutex_lock (&self->reader.lock);
  value = state_dup_text (&self->reader, key);
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
  stmt = conn_prepare (&self->reader, "SELECT value FROM sync_state WHERE key = 'cursor'", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    cursor = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  g_mutex_unlock (&self->reader.lock);
  return cursor;
}

/* ------------------------------------------------------------------ */
/* JSON helpers */

static const char *
obj_string (JsonObject *obj,
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

static void
bind_opt_text (sqlite3_stmt *stmt,
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

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

static JsonNode *
parse_json (const char *text)
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

/* The checks the registry makes of the op itself, so that the user hears
 * at once about an op that could never apply and nothing that does not
 * fit is queued. */
static gboolean
validate_op (const char  *type,
             JsonObject  *args,
             const char  *login,
             GError     **error)
{
  g_autoptr(GError) invalid = NULL;
  SaOpType op_type;

  if (!sa_op_type_from_string (type, &op_type))
    {
      g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID,
                   "Unknown operation type “%s”", type);
      return FALSE;
    }
  if (op_type == SA_OP_TAKE && (login == NULL || *login == '\0'))
    {
      g_set_error_literal (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID,
                           "“take” needs the signed-in login (sa_cache_set_identity)");
      return FALSE;
    }
  if (!sa_op_validate_args (op_type, args, &invalid))
    {
      g_set_error_literal (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID, invalid->message);
      return FALSE;
    }
  return TRUE;
}

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

typedef struct
{
  gint64    rid;
  gint64    server_version;
  gboolean  exists;
  char     *server_json;
} RowInfo;

static gboolean
load_row (Conn        *c,
          const char  *id,
          RowInfo     *info,
          GError     **error)
{
  sqlite3_stmt *stmt = conn_prepare (c, "SELECT a.rid, a.server_version, d.server_json"
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
write_history (Conn        *c,
               gint64       rid,
               JsonObject  *appeal,
               GError     **error)
{
  JsonArray *history = obj_array (appeal, "history");
  sqlite3_stmt *stmt = conn_prepare (c, "DELETE FROM history WHERE appeal_rid = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (!step_done (c, stmt, error))
    return FALSE;
  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *payload = item != NULL ? json_object_get_member (item, "payload") : NULL;
      g_autofree char *payload_text = payload != NULL ? node_to_string (payload) : NULL;
      gint64 seq = obj_int (item, "seq", G_MININT64);

      if (item == NULL)
        continue;
      stmt = conn_prepare (c, "INSERT INTO history (appeal_rid, idx, seq, at, actor, type,"
                              " payload, op_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      sqlite3_bind_int64 (stmt, 2, i);
      bind_time (stmt, 3, seq);
      bind_time (stmt, 4, parse_time (obj_string (item, "at")));
      bind_opt_text (stmt, 5, obj_string (item, "actor"));
      bind_opt_text (stmt, 6, obj_string (item, "type"));
      bind_opt_text (stmt, 7, payload_text);
      bind_opt_text (stmt, 8, obj_string (item, "op_id"));
      if (!step_done (c, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Upserts the row's columns from @effective; keeps rid and the local
 * "opened" flag unless @reset_opened. */
static gboolean
write_appeal (Conn            *c,
              JsonObject      *effective,
              const char      *server_json,
              gint64           server_version,
              SaOfflineState   state,
              gboolean         overlaid,
              gboolean         bump_revision,
              gboolean         reset_opened,
              GError         **error)
{
  JsonObject *applicant = obj_object (effective, "applicant");
  JsonObject *address = obj_object (effective, "address");
  g_autoptr(JsonNode) eff_node = NULL;
  g_autofree char *eff_text = NULL;
  gint64 legal = parse_time (obj_string (effective, sa_deadline_field (SA_DEADLINE_LEGAL)));
  gint64 op_due = parse_time (obj_string (effective, sa_deadline_field (SA_DEADLINE_RESOLUTION)));
  gint64 sla_due;
  gint64 rid = 0;
  sqlite3_stmt *stmt;

  /* Without local operations the shown JSON is the registry's: no need
   * to serialize it twice. */
  if (overlaid)
    {
      eff_node = json_node_init_object (json_node_alloc (), effective);
      eff_text = node_to_string (eff_node);
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

  stmt = conn_prepare (c,
                       "INSERT INTO appeals (id, reg_number, channel, status, priority, category,"
                       " agency, executor, applicant_name, address_text, district, text,"
                       " received_at, legal_due_at, op_due_at, sla_due_at, is_repeat, version,"
                       " updated_at, server_version, offline_state, local_revision, opened)"
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
  sqlite3_bind_text (stmt, 1, obj_string (effective, "id"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, obj_string (effective, "reg_number") ?: "", -1, SQLITE_TRANSIENT);
  bind_opt_text (stmt, 3, obj_string (effective, "channel"));
  sqlite3_bind_text (stmt, 4, obj_string (effective, "status")
                               ?: sa_appeal_status_to_string (SA_APPEAL_STATUS_REGISTERED), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, priority_rank (obj_string (effective, "priority")));
  bind_opt_text (stmt, 6, obj_string (effective, "category"));
  bind_opt_text (stmt, 7, obj_string (effective, "agency"));
  bind_opt_text (stmt, 8, obj_string (effective, "executor"));
  bind_opt_text (stmt, 9, obj_string (applicant, "name"));
  bind_opt_text (stmt, 10, obj_string (address, "text"));
  bind_opt_text (stmt, 11, obj_string (address, "district"));
  bind_opt_text (stmt, 12, obj_string (effective, "text"));
  bind_time (stmt, 13, parse_time (obj_string (effective, "received_at")));
  bind_time (stmt, 14, legal);
  bind_time (stmt, 15, op_due);
  bind_time (stmt, 16, sla_due);
  sqlite3_bind_int (stmt, 17, obj_int (effective, "is_repeat", 0) != 0);
  sqlite3_bind_int64 (stmt, 18, obj_int (effective, "version", 0));
  bind_time (stmt, 19, parse_time (obj_string (effective, "updated_at")));
  sqlite3_bind_int64 (stmt, 22, server_version);
  sqlite3_bind_int (stmt, 23, state);
  sqlite3_bind_int (stmt, 24, bump_revision ? 1 : 0);
  sqlite3_bind_int (stmt, 25, reset_opened ? 1 : 0);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rid = sqlite3_column_int64 (stmt, 0);
  if (sqlite3_step (stmt) != SQLITE_DONE || rid == 0)
    {
      set_db_error (c->db, error, "Could not write an appeal to the cache");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  stmt = conn_prepare (c, "INSERT OR REPLACE INTO appeal_docs (rid, json, server_json)"
                          " VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  sqlite3_bind_text (stmt, 2, eff_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, server_json, -1, SQLITE_STATIC);
  if (!step_done (c, stmt, error))
    return FALSE;
  return write_history (c, rid, effective, error);
}

/* Rebuilds the shown appeal: the registry's JSON (@server, or the stored
 * one) with every pending or sent op folded on top, in outbox order. */
static gboolean
rebuild_appeal (SaCache     *self,
                const char  *appeal_id,
                JsonNode    *server,
                gboolean     bump_revision,
                gboolean     reset_opened,
                GError     **error)
{
  Conn *c = &self->writer;
  g_autofree char *login = state_dup_text (c, "login");
  g_autofree char *server_text = NULL;
  g_autoptr(JsonNode) effective = NULL;
  RowInfo info;
  sqlite3_stmt *stmt;
  gboolean conflict = FALSE, rejected = FALSE;
  guint overlaid = 0;
  SaOfflineState state;
  gint64 server_version = 0;
  int rc;

  if (!load_row (c, appeal_id, &info, error))
    return FALSE;
  if (server != NULL)
    {
      server_text = node_to_string (server);
      effective = json_node_ref (server);
      server_version = obj_int (json_node_get_object (server), "version", 0);
    }
  else if (info.exists)
    {
      server_text = g_steal_pointer (&info.server_json);
      effective = parse_json (server_text);
      server_version = info.server_version;
    }
  g_free (info.server_json);
  /* Ops on an appeal not (or no longer) cached stay in the outbox. */
  if (effective == NULL || !JSON_NODE_HOLDS_OBJECT (effective))
    return TRUE;

  stmt = conn_prepare (c, "SELECT op_id, type, args, state, created_at FROM outbox"
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
          g_autoptr(JsonNode) args = parse_json ((const char *) sqlite3_column_text (stmt, 2));

          /* json_node_copy() is shallow: fold into a private tree, never
           * into the caller's. */
          if (overlaid == 0)
            {
              g_clear_pointer (&effective, json_node_unref);
              effective = parse_json (server_text);
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
      set_db_error (c->db, error, "Could not read the outbox");
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
delete_applied_ops (Conn        *c,
                    JsonObject  *appeal,
                    GError     **error)
{
  JsonArray *history = obj_array (appeal, "history");

  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *payload = JSON_NODE_HOLDS_OBJECT (node)
                            ? obj_object (json_node_get_object (node), "payload") : NULL;
      const char *op_id = obj_string (payload, "op_id");
      sqlite3_stmt *stmt;

      if (op_id == NULL)
        continue;
      /* Applied by the registry even if its answer was lost: showing the
       * op on top as well would show it twice. */
      stmt = conn_prepare (c, "DELETE FROM outbox WHERE op_id = ?1 AND state IN (0, 1)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
      if (!step_done (c, stmt, error))
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
         g_strcmp0 (obj_string (json_node_get_object (last), "actor"), login) != 0;
}

/* Stores the registry's appeal as the new base, unless the cache has a
 * newer one already (a push result can overtake the feed). */
static gboolean
store_server_appeal (SaCache     *self,
                     JsonNode    *data,
                     GPtrArray   *changed,
                     GError     **error)
{
  Conn *c = &self->writer;
  JsonObject *obj = json_node_get_object (data);
  const char *id = obj_string (obj, "id");
  gint64 version = obj_int (obj, "version", 0);
  g_autofree char *login = NULL;
  RowInfo info;
  gboolean news;

  if (id == NULL)
    {
      g_set_error_literal (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID,
                           "An appeal without an id");
      return FALSE;
    }
  if (!load_row (c, id, &info, error))
    return FALSE;
  g_free (info.server_json);
  if (info.exists && info.server_version > version)
    return TRUE;
  login = state_dup_text (c, "login");
  news = info.exists && version > info.server_version && is_news_for_me (obj, login);
  if (!delete_applied_ops (c, obj, error) ||
      !rebuild_appeal (self, id, data, FALSE, news, error))
    return FALSE;
  g_ptr_array_add (changed, g_strdup (id));
  return TRUE;
}

static gboolean
delete_by_key (Conn        *c,
               const char  *sql,
               const char  *key,
               GError     **error)
{
  sqlite3_stmt *stmt = conn_prepare (c, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  return step_done (c, stmt, error);
}

static gboolean
put_reference (Conn        *c,
               const char  *kind,
               const char  *id,
               JsonObject  *data,
               GError     **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), data);
  g_autofree char *text = node_to_string (node);
  sqlite3_stmt *stmt;

  if (strcmp (kind, "agency") == 0)
    stmt = conn_prepare (c, "INSERT OR REPLACE INTO agencies (code, name_ru, name_kk, json)"
                            " VALUES (?1, ?2, ?3, ?4)", error);
  else if (strcmp (kind, "category") == 0)
    stmt = conn_prepare (c, "INSERT OR REPLACE INTO categories (code, name_ru, name_kk, json,"
                            " agency) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  else if (strcmp (kind, "district") == 0)
    stmt = conn_prepare (c, "INSERT OR REPLACE INTO districts (code, name_ru, name_kk)"
                            " VALUES (?1, ?2, ?3)", error);
  else
    stmt = conn_prepare (c, "INSERT OR REPLACE INTO users (login, full_name, agency, json,"
                            " role, disabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (strcmp (kind, "user") == 0)
    {
      bind_opt_text (stmt, 2, obj_string (data, "full_name"));
      bind_opt_text (stmt, 3, obj_string (data, "agency"));
      sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
      bind_opt_text (stmt, 5, obj_string (data, "role"));
      sqlite3_bind_int (stmt, 6, obj_int (data, "disabled", 0) != 0);
    }
  else
    {
      bind_opt_text (stmt, 2, obj_string (data, "name_ru"));
      bind_opt_text (stmt, 3, obj_string (data, "name_kk"));
      if (strcmp (kind, "district") != 0)
        sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
      if (strcmp (kind, "category") == 0)
        bind_opt_text (stmt, 5, obj_string (data, "agency"));
    }
  return step_done (c, stmt, error);
}

static gboolean
apply_one_change (SaCache     *self,
                  JsonNode    *node,
                  GPtrArray   *changed,
                  GError     **error)
{
  Conn *c = &self->writer;
  JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *kind = obj_string (change, "kind");
  const char *id = obj_string (change, "id");
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
        return store_server_appeal (self, data, changed, error);
      /* Out of sight (forwarded away): pending ops stay in the outbox and
       * will come back with the registry's answer. */
      g_ptr_array_add (changed, g_strdup (id));
      return delete_by_key (c, "DELETE FROM appeals WHERE id = ?1", id, error);
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
          return delete_by_key (c, sql, id, error);
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
  const char *kind = obj_string (change, "kind");
  const char *id = obj_string (change, "id");
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
      if (g_strcmp0 (obj_string (obj, "id"), id) != 0)
        return "the appeal's id is missing or not the entry's";
      member = json_object_get_member (obj, "version");
      if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
          json_node_get_value_type (member) != G_TYPE_INT64 || json_node_get_int (member) < 1)
        return "the appeal's version is not a positive integer";
      if (obj_string (obj, "status") == NULL || obj_string (obj, "reg_number") == NULL)
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
           g_strcmp0 (obj_string (obj, "code"), id) != 0)
    return "its code is missing or not the entry's id";
  else if (strcmp (kind, "user") == 0 && g_strcmp0 (obj_string (obj, "login"), id) != 0)
    return "its login is missing or not the entry's id";
  return NULL;
}

/* SQLite failed for a reason of its own (the disk, a lock, memory), not
 * because of what it was asked to store: the page must wait for later. */
static gboolean
is_storage_failure (Conn *c)
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
set_aside (Conn        *c,
           JsonNode    *node,
           const char  *reason,
           GError     **error)
{
  JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *kind = obj_string (change, "kind");
  const char *id = obj_string (change, "id");
  gint64 seq = obj_int (change, "seq", G_MININT64);
  g_autofree char *text = node_to_string (node);
  sqlite3_stmt *stmt;

  g_message ("Set aside an entry of the change feed that this desk cannot read "
             "(seq %" G_GINT64_FORMAT ", %s %s): %s", seq, kind ? kind : "?", id ? id : "?",
             reason);
  if (kind != NULL && id != NULL)
    {
      stmt = conn_prepare (c, "DELETE FROM unreadable WHERE kind = ?1 AND entity_id = ?2", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      if (!step_done (c, stmt, error))
        return FALSE;
    }
  stmt = conn_prepare (c, "INSERT INTO unreadable (seq, kind, entity_id, reason, entry, seen_at)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  bind_time (stmt, 1, seq);
  bind_opt_text (stmt, 2, kind);
  bind_opt_text (stmt, 3, id);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC);
  return step_done (c, stmt, error);
}

/* A readable entry of an entity replaces what was set aside of it. */
static gboolean
forget_unreadable (Conn        *c,
                   JsonNode    *node,
                   GError     **error)
{
  JsonObject *change = json_node_get_object (node);
  sqlite3_stmt *stmt = conn_prepare (c, "DELETE FROM unreadable WHERE kind = ?1"
                                        " AND entity_id = ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, obj_string (change, "kind"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, obj_string (change, "id"), -1, SQLITE_STATIC);
  return step_done (c, stmt, error);
}

static gboolean
has_unreadable (Conn *c)
{
  sqlite3_stmt *stmt = conn_prepare (c, "SELECT EXISTS (SELECT 1 FROM unreadable)", NULL);
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
  Conn *c;
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
      ok = begin (c, FALSE, error);
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
        ok = state_set (c, "cursor", NULL, next_cursor, error) && commit (c, FALSE, error);
      else if (sqlite3_get_autocommit (c->db) == 0)
        rollback (c, FALSE);
    }
  g_mutex_unlock (&c->lock);

  if (ok)
    emit_changed (self, changed);
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
  stmt = conn_prepare (&self->reader, "SELECT count(*) FROM unreadable", error);
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      else
        set_db_error (self->reader.db, error, "Could not count the unreadable feed entries");
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
  Conn *c;
  gboolean ok = TRUE;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (districts != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  ok = begin (c, FALSE, error);
  for (guint i = 0; ok && i < json_array_get_length (districts); i++)
    {
      JsonNode *node = json_array_get_element (districts, i);
      JsonObject *d = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (obj_string (d, "code") != NULL)
        ok = put_reference (c, "district", obj_string (d, "code"), d, error);
    }
  if (ok)
    ok = commit (c, FALSE, error);
  else
    rollback (c, FALSE);
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
  Conn *c;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  ok = begin (c, FALSE, error) &&
       conn_exec (c, "DELETE FROM history; DELETE FROM appeal_docs; DELETE FROM appeals;"
                     " DELETE FROM agencies;"
                     " DELETE FROM categories; DELETE FROM users; DELETE FROM unreadable;"
                     " DELETE FROM sync_state WHERE key = 'cursor';"
                     /* Sent ops go again: the registry answers a duplicate
                      * for those it has, by op_id. */
                     " UPDATE outbox SET state = 0 WHERE state = 1", error);
  if (ok)
    ok = commit (c, FALSE, error);
  else
    rollback (c, FALSE);
  g_mutex_unlock (&c->lock);
  if (ok)
    emit_changed (self, NULL);
  return ok;
}

/* ------------------------------------------------------------------ */
/* Outbox for the sync engine */

typedef enum
{
  OUTBOX_ALL,
  OUTBOX_UNSYNCED,  /* pending, or sent without an answer */
  OUTBOX_PUSHABLE,  /* unsynced, and not behind a conflict or a rejection */
} OutboxSelection;

static GPtrArray *
read_outbox (Conn             *c,
             OutboxSelection   selection,
             guint             max,
             GError          **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 sa_outbox_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  /* An op may depend on the ones before it on the same appeal ("take",
   * then "I am on my way"): it names the one before it, so that the
   * registry applies it only after that one, and behind a conflict or a
   * rejection it waits until the user decides. */
  stmt = conn_prepare (c, "SELECT seq, op_id, type, appeal_id, base_version, args, state,"
                          " attempts, last_error, error_code, conflict_json, created_at,"
                          " (SELECT e.op_id FROM outbox e WHERE e.appeal_id = o.appeal_id"
                          "  AND e.seq < o.seq ORDER BY e.seq DESC LIMIT 1)"
                          " FROM outbox o WHERE ?1 = 0 OR (state IN (0, 1) AND (?1 = 1"
                          "  OR NOT EXISTS (SELECT 1 FROM outbox e WHERE e.appeal_id = o.appeal_id"
                          "                 AND e.seq < o.seq AND e.state IN (2, 3))))"
                          " ORDER BY seq LIMIT ?2",
                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, selection);
  sqlite3_bind_int64 (stmt, 2, max > 0 ? (gint64) max : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SaOutboxEntry *e = g_new0 (SaOutboxEntry, 1);

      e->seq = sqlite3_column_int64 (stmt, 0);
      e->op_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      e->type = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      e->appeal_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      e->base_version = sqlite3_column_int64 (stmt, 4);
      e->args = parse_json ((const char *) sqlite3_column_text (stmt, 5));
      e->state = sqlite3_column_int (stmt, 6);
      e->attempts = sqlite3_column_int (stmt, 7);
      e->last_error = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      e->error_code = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      e->conflict_appeal = parse_json ((const char *) sqlite3_column_text (stmt, 10));
      e->created_at = sqlite3_column_int64 (stmt, 11);
      e->after_op_id = g_strdup ((const char *) sqlite3_column_text (stmt, 12));
      g_ptr_array_add (entries, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (c->db, error, "Could not read the outbox");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/**
 * sa_cache_get_unsynced_ops:
 * @self: a #SaCache
 * @max: at most this many, 0 for all
 * @error: return location for a #GError
 *
 * The operations still to push (pending or sent without an answer), in
 * the order the user made them.
 *
 * Returns: (transfer full) (element-type SaOutboxEntry): the entries
 */
GPtrArray *
sa_cache_get_unsynced_ops (SaCache  *self,
                           guint     max,
                           GError  **error)
{
  GPtrArray *entries;

  g_return_val_if_fail (SA_IS_CACHE (self), NULL);

  g_mutex_lock (&self->writer.lock);
  entries = read_outbox (&self->writer, OUTBOX_UNSYNCED, max, error);
  g_mutex_unlock (&self->writer.lock);
  return entries;
}

/**
 * sa_cache_list_outbox:
 * @self: a #SaCache
 * @error: return location for a #GError
 *
 * Every outbox entry, conflicts and rejections included, in order: what
 * a "pending changes" view lists.
 *
 * Returns: (transfer full) (element-type SaOutboxEntry): the entries
 */
GPtrArray *
sa_cache_list_outbox (SaCache  *self,
                      GError  **error)
{
  GPtrArray *entries;

  g_return_val_if_fail (SA_IS_CACHE (self), NULL);

  g_mutex_lock (&self->reader.lock);
  entries = read_outbox (&self->reader, OUTBOX_ALL, 0, error);
  g_mutex_unlock (&self->reader.lock);
  return entries;
}

static gboolean
mark_sent (Conn        *c,
           const char  *op_id,
           GError     **error)
{
  sqlite3_stmt *stmt = conn_prepare (c, "UPDATE outbox SET state = 1, attempts = attempts + 1,"
                                        " updated_at = ?2 WHERE op_id = ?1 AND state IN (0, 1)",
                                     error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  return step_done (c, stmt, error);
}

/**
 * sa_cache_begin_push:
 * @self: a #SaCache
 * @max: at most this many, 0 for all
 * @error: return location for a #GError
 *
 * The next batch to push: reads the unsynced operations in order and
 * marks them sent in the same durable transaction, so that the user
 * cannot undo an operation between the moment the engine read it and
 * the moment it goes out. The returned entries show the state before
 * the mark (their `attempts` not yet counted).
 *
 * Returns: (transfer full) (element-type SaOutboxEntry): the batch
 */
GPtrArray *
sa_cache_begin_push (SaCache  *self,
                     guint     max,
                     GError  **error)
{
  return sa_cache_begin_push_before (self, max, G_MAXINT64, error);
}

/**
 * sa_cache_begin_push_before:
 * @self: a #SaCache
 * @max: at most this many, 0 for all
 * @created_before: leave operations made after this (unix seconds) and
 *   everything after them in the outbox: the user may still undo them
 * @error: return location for a #GError
 *
 * sa_cache_begin_push() with an undo window.
 *
 * Returns: (transfer full) (element-type SaOutboxEntry): the batch
 */
GPtrArray *
sa_cache_begin_push_before (SaCache  *self,
                            guint     max,
                            gint64    created_before,
                            GError  **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  Conn *c;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), NULL);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  if (!begin (c, TRUE, error))
    {
      g_mutex_unlock (&c->lock);
      return NULL;
    }
  entries = read_outbox (c, OUTBOX_PUSHABLE, max, error);
  ok = entries != NULL;
  /* In outbox order: a held operation holds back the ones after it. */
  for (guint i = 0; ok && i < entries->len; i++)
    {
      SaOutboxEntry *e = entries->pdata[i];

      if (e->state == SA_OP_PENDING && e->created_at > created_before)
        {
          g_ptr_array_set_size (entries, i);
          break;
        }
    }
  for (guint i = 0; ok && i < entries->len; i++)
    ok = mark_sent (c, ((SaOutboxEntry *) entries->pdata[i])->op_id, error);
  if (ok)
    ok = commit (c, TRUE, error);
  else
    rollback (c, TRUE);
  g_mutex_unlock (&c->lock);
  return ok ? g_steal_pointer (&entries) : NULL;
}

/**
 * sa_cache_mark_ops_sent:
 * @self: a #SaCache
 * @op_ids: (array zero-terminated=1): the operations about to be pushed
 * @error: return location for a #GError
 *
 * Counts an attempt for each, durably (`synchronous=FULL`), before the
 * push: a sent operation can no longer be undone, since the registry may
 * have applied it.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_mark_ops_sent (SaCache             *self,
                        const char * const  *op_ids,
                        GError             **error)
{
  Conn *c;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (op_ids != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  /* Durable: after a crash an op must not look unsent (and undoable)
   * when the registry may have applied it. */
  ok = begin (c, TRUE, error);
  for (guint i = 0; ok && op_ids[i] != NULL; i++)
    ok = mark_sent (c, op_ids[i], error);
  if (ok)
    ok = commit (c, TRUE, error);
  else
    rollback (c, TRUE);
  g_mutex_unlock (&c->lock);
  return ok;
}

/**
 * sa_cache_mark_op_failed:
 * @self: a #SaCache
 * @op_id: the operation
 * @message: what went wrong (transport error, 5xx)
 * @error: return location for a #GError
 *
 * Records a failed attempt; the operation stays to be pushed again.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_mark_op_failed (SaCache     *self,
                         const char  *op_id,
                         const char  *message,
                         GError     **error)
{
  Conn *c;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (op_id != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  stmt = conn_prepare (c, "UPDATE outbox SET last_error = ?2, updated_at = ?3"
                          " WHERE op_id = ?1", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
      bind_opt_text (stmt, 2, message);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
      ok = step_done (c, stmt, error);
    }
  g_mutex_unlock (&c->lock);
  return ok;
}

static char *
op_appeal_id (Conn       *c,
              const char *op_id,
              gint64     *out_seq,
              SaOpState  *out_state,
              guint      *out_attempts)
{
  sqlite3_stmt *stmt = conn_prepare (c, "SELECT appeal_id, seq, state, attempts FROM outbox"
                                        " WHERE op_id = ?1", NULL);
  char *appeal_id = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      appeal_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (out_seq != NULL)
        *out_seq = sqlite3_column_int64 (stmt, 1);
      if (out_state != NULL)
        *out_state = sqlite3_column_int (stmt, 2);
      if (out_attempts != NULL)
        *out_attempts = sqlite3_column_int (stmt, 3);
    }
  sqlite3_reset (stmt);
  return appeal_id;
}

/* An op that leaves the chain without bumping the registry's version
 * (undone, rejected, conflicting): later ops on the same appeal that were
 * never sent were counted on top of it, so they move down by one. */
static gboolean
rebase_later (Conn        *c,
              const char  *appeal_id,
              gint64       seq,
              GError     **error)
{
  sqlite3_stmt *stmt = conn_prepare (c, "UPDATE outbox SET base_version = base_version - 1"
                                        " WHERE appeal_id = ?1 AND seq > ?2 AND attempts = 0"
                                        " AND state = 0", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  return step_done (c, stmt, error);
}

/* After the user decided on a conflict or a rejection, the ops that
 * waited behind it go on from the registry's current version: the user
 * has just seen that version beside the change. Only ops the registry
 * never looked at move: unsent ones, and those it held back unread. */
static gboolean
rebase_chain (Conn        *c,
              const char  *appeal_id,
              GError     **error)
{
  sqlite3_stmt *stmt = conn_prepare (c, "UPDATE outbox AS o SET base_version ="
                                        " COALESCE ((SELECT server_version FROM appeals"
                                        "            WHERE id = o.appeal_id), o.base_version)"
                                        " + (SELECT count (*) FROM outbox e"
                                        "    WHERE e.appeal_id = o.appeal_id AND e.seq < o.seq"
                                        "    AND e.state IN (0, 1)),"
                                        " error_code = NULL"
                                        " WHERE o.appeal_id = ?1 AND o.state = 0"
                                        " AND (o.attempts = 0 OR o.error_code = ?2)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, SA_OP_AFTER_NOT_APPLIED, -1, SQLITE_STATIC);
  return step_done (c, stmt, error);
}

static gboolean
apply_one_result (SaCache     *self,
                  JsonNode    *node,
                  GPtrArray   *changed,
                  GError     **error)
{
  Conn *c = &self->writer;
  JsonObject *result = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *op_id = obj_string (result, "op_id");
  const char *status = obj_string (result, "status");
  JsonNode *appeal = result != NULL ? json_object_get_member (result, "appeal") : NULL;
  g_autofree char *appeal_id = NULL;
  g_autofree char *conflict_text = NULL;
  sqlite3_stmt *stmt;
  gint64 seq = 0;

  if (appeal != NULL && !JSON_NODE_HOLDS_OBJECT (appeal))
    appeal = NULL;
  if (op_id == NULL || status == NULL ||
      (appeal_id = op_appeal_id (c, op_id, &seq, NULL, NULL)) == NULL)
    return TRUE;  /* answered twice, or not ours: nothing to record */

  if (strcmp (status, "applied") == 0 || strcmp (status, "duplicate") == 0)
    {
      if (!delete_by_key (c, "DELETE FROM outbox WHERE op_id = ?1", op_id, error))
        return FALSE;
    }
  else if (strcmp (status, "rejected") == 0 &&
           g_strcmp0 (obj_string (result, "code"), SA_OP_AFTER_NOT_APPLIED) == 0)
    {
      /* The op before it failed: it waits with it, unsent as far as the
       * registry knows, but no longer undoable. */
      stmt = conn_prepare (c, "UPDATE outbox SET state = 0, error_code = ?3, updated_at = ?2"
                              " WHERE op_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
      sqlite3_bind_text (stmt, 3, SA_OP_AFTER_NOT_APPLIED, -1, SQLITE_STATIC);
      if (!step_done (c, stmt, error))
        return FALSE;
    }
  else if (strcmp (status, "conflict") == 0 || strcmp (status, "rejected") == 0)
    {
      gboolean conflict = strcmp (status, "conflict") == 0;

      if (conflict && appeal != NULL)
        conflict_text = node_to_string (appeal);
      stmt = conn_prepare (c, "UPDATE outbox SET state = ?2, error_code = ?3, last_error = ?4,"
                              " conflict_json = ?5, updated_at = ?6 WHERE op_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, conflict ? SA_OP_CONFLICT : SA_OP_REJECTED);
      bind_opt_text (stmt, 3, obj_string (result, "code"));
      bind_opt_text (stmt, 4, obj_string (result, "message"));
      bind_opt_text (stmt, 5, conflict_text);
      sqlite3_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC);
      if (!step_done (c, stmt, error))
        return FALSE;
    }
  else
    {
      g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID,
                   "Unknown op result “%s”", status);
      return FALSE;
    }

  /* The answer carries the registry's appeal: the newest state we know. */
  if (appeal != NULL)
    return store_server_appeal (self, appeal, changed, error);
  g_ptr_array_add (changed, g_strdup (appeal_id));
  return rebuild_appeal (self, appeal_id, NULL, FALSE, FALSE, error);
}

/**
 * sa_cache_count_outbox:
 * @self: a #SaCache
 * @out_unsynced: (out) (optional): operations waiting to be pushed or answered
 * @out_attention: (out) (optional): conflicts and rejections waiting for the user
 * @error: return location for a #GError
 *
 * What the header's sync state shows; reads on the main thread's connection.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_count_outbox (SaCache  *self,
                       guint    *out_unsynced,
                       guint    *out_attention,
                       GError  **error)
{
  sqlite3_stmt *stmt;
  guint unsynced = 0, attention = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);

  g_mutex_lock (&self->reader.lock);
  stmt = conn_prepare (&self->reader,
                       "SELECT count(*) FILTER (WHERE state IN (0, 1)),"
                       " count(*) FILTER (WHERE state IN (2, 3)) FROM outbox", error);
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          unsynced = sqlite3_column_int (stmt, 0);
          attention = sqlite3_column_int (stmt, 1);
          ok = TRUE;
        }
      else
        set_db_error (self->reader.db, error, "Could not count the outbox");
      sqlite3_reset (stmt);
    }
  g_mutex_unlock (&self->reader.lock);

  if (out_unsynced != NULL)
    *out_unsynced = unsynced;
  if (out_attention != NULL)
    *out_attention = attention;
  return ok;
}

/**
 * sa_cache_apply_push_results:
 * @self: a #SaCache
 * @results: the `results` array of `POST /api/v1/ops`
 * @error: return location for a #GError
 *
 * Records the registry's answers in one transaction. `applied` and
 * `duplicate` remove the entry and store the returned appeal; `conflict`
 * keeps the entry beside the registry's current appeal (both stored)
 * until sa_cache_reapply_op_sync() or sa_cache_discard_op_sync();
 * `rejected` keeps it with its code and message until dismissed with
 * sa_cache_discard_op_sync().
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_apply_push_results (SaCache    *self,
                             JsonArray  *results,
                             GError    **error)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  Conn *c;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (results != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  ok = begin (c, FALSE, error);
  for (guint i = 0; ok && i < json_array_get_length (results); i++)
    ok = apply_one_result (self, json_array_get_element (results, i), changed, error);
  if (ok)
    ok = commit (c, FALSE, error);
  else
    rollback (c, FALSE);
  g_mutex_unlock (&c->lock);
  if (ok)
    emit_changed (self, changed);
  return ok;
}

/* ------------------------------------------------------------------ */
/* Local edits */

static char *
add_local_op (SaCache      *self,
              const char   *appeal_id,
              const char   *type,
              JsonObject   *args,
              GError      **error)
{
  Conn *c = &self->writer;
  g_autofree char *login = state_dup_text (c, "login");
  g_autofree char *op_id = g_uuid_string_random ();
  g_autoptr(JsonNode) args_node = json_node_init_object (json_node_alloc (),
                                                         args != NULL ? args
                                                         : json_object_new ());
  g_autofree char *args_text = NULL;
  sqlite3_stmt *stmt;
  RowInfo info;
  gint64 overlaid = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (args == NULL)
    json_object_unref (json_node_get_object (args_node));
  args_text = node_to_string (args_node);
  if (!validate_op (type, args, login, error) || !load_row (c, appeal_id, &info, error))
    return NULL;
  g_free (info.server_json);
  if (!info.exists)
    {
      g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_NOT_FOUND,
                   "No appeal %s in the cache", appeal_id);
      return NULL;
    }

  /* Each earlier op still on its way will bump the version by one. */
  stmt = conn_prepare (c, "SELECT count(*) FROM outbox WHERE appeal_id = ?1 AND state IN (0, 1)",
                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    overlaid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  stmt = conn_prepare (c, "INSERT INTO outbox (op_id, type, appeal_id, base_version, args,"
                          " state, attempts, created_at, updated_at)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, ?6, ?6)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, info.server_version + overlaid);
  sqlite3_bind_text (stmt, 5, args_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!step_done (c, stmt, error) ||
      !rebuild_appeal (self, appeal_id, NULL, TRUE, FALSE, error))
    return NULL;
  return g_steal_pointer (&op_id);
}

/**
 * sa_cache_apply_local_op_sync:
 * @self: a #SaCache
 * @appeal_id: the appeal's UUID
 * @type: the operation: take, assign, comment, request_info, forward,
 *   escalate, set_priority, add_coexecutor, extend
 * @args: (nullable): its arguments, as the registry takes them
 * @error: return location for a #GError
 *
 * Applies the operation to the cached appeal (optimistically, as the
 * registry would) and appends it to the outbox, in one transaction
 * committed with `synchronous=FULL`: when this returns, both are on disk
 * or neither is. Blocks: from the UI use sa_cache_apply_local_op_async().
 *
 * Returns: (transfer full): the new operation's UUID, or %NULL
 */
char *
sa_cache_apply_local_op_sync (SaCache     *self,
                              const char  *appeal_id,
                              const char  *type,
                              JsonObject  *args,
                              GError     **error)
{
  Conn *c;
  char *op_id = NULL;

  g_return_val_if_fail (SA_IS_CACHE (self), NULL);
  g_return_val_if_fail (appeal_id != NULL, NULL);
  g_return_val_if_fail (type != NULL, NULL);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  if (begin (c, TRUE, error))
    {
      op_id = add_local_op (self, appeal_id, type, args, error);
      if (op_id == NULL)
        rollback (c, TRUE);
      else if (!commit (c, TRUE, error))
        g_clear_pointer (&op_id, g_free);
    }
  g_mutex_unlock (&c->lock);
  if (op_id != NULL)
    {
      g_autoptr(GPtrArray) changed = g_ptr_array_new ();

      g_ptr_array_add (changed, (gpointer) appeal_id);
      emit_changed (self, changed);
    }
  return op_id;
}

/* Undo, discard and re-apply share one shape: find the entry, check its
 * state, drop it, maybe add a successor, rebuild the appeal. */
typedef enum
{
  DROP_UNDO,
  DROP_DISCARD,
  DROP_REAPPLY,
} DropKind;

static gboolean
drop_op (SaCache      *self,
         const char   *op_id,
         DropKind      kind,
         char        **out_new_op_id,
         GError      **error)
{
  Conn *c = &self->writer;
  g_autofree char *appeal_id = NULL;
  g_autofree char *new_op_id = NULL;
  SaOpState state = SA_OP_PENDING;
  guint attempts = 0;
  gint64 seq = 0;
  gboolean ok;

  g_mutex_lock (&c->lock);
  if (!begin (c, TRUE, error))
    {
      g_mutex_unlock (&c->lock);
      return FALSE;
    }
  appeal_id = op_appeal_id (c, op_id, &seq, &state, &attempts);
  if (appeal_id == NULL)
    {
      g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_NOT_FOUND,
                   "No operation %s in the outbox", op_id);
      ok = FALSE;
    }
  else if ((kind == DROP_UNDO && (state != SA_OP_PENDING || attempts > 0)) ||
           (kind == DROP_DISCARD && state != SA_OP_CONFLICT && state != SA_OP_REJECTED) ||
           (kind == DROP_REAPPLY && state != SA_OP_CONFLICT))
    {
      g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_STATE,
                   kind == DROP_UNDO ? "The operation was sent already and cannot be undone"
                   : kind == DROP_DISCARD ? "Only a conflict or a rejection can be discarded"
                   : "Only a conflicting operation can be applied again");
      ok = FALSE;
    }
  else
    {
      sqlite3_stmt *stmt;

      ok = TRUE;
      if (kind == DROP_REAPPLY)
        {
          /* The same change in its place, on top of the registry's current
           * version; a new op_id, since the registry answered the old one. */
          new_op_id = g_uuid_string_random ();
          stmt = conn_prepare (c, "UPDATE outbox SET op_id = ?2, state = 0, attempts = 0,"
                                  " last_error = NULL, error_code = NULL, conflict_json = NULL,"
                                  " updated_at = ?3 WHERE op_id = ?1", error);
          ok = stmt != NULL;
          if (ok)
            {
              sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
              sqlite3_bind_text (stmt, 2, new_op_id, -1, SQLITE_STATIC);
              sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
              ok = step_done (c, stmt, error);
            }
        }
      else
        ok = ok && delete_by_key (c, "DELETE FROM outbox WHERE op_id = ?1", op_id, error);
      if (ok && kind == DROP_UNDO)
        ok = rebase_later (c, appeal_id, seq, error);
      else if (ok)
        ok = rebase_chain (c, appeal_id, error);
      if (ok)
        ok = rebuild_appeal (self, appeal_id, NULL, TRUE, FALSE, error);
    }
  if (ok)
    ok = commit (c, TRUE, error);
  else
    rollback (c, TRUE);
  g_mutex_unlock (&c->lock);

  if (ok)
    {
      g_autoptr(GPtrArray) changed = g_ptr_array_new ();

      g_ptr_array_add (changed, appeal_id);
      emit_changed (self, changed);
      if (out_new_op_id != NULL)
        *out_new_op_id = g_steal_pointer (&new_op_id);
    }
  return ok;
}

/**
 * sa_cache_undo_op_sync:
 * @self: a #SaCache
 * @op_id: an operation not yet sent
 * @error: return location for a #GError
 *
 * Takes back an operation before it was pushed (the "undo" of a toast):
 * the entry leaves the outbox and the appeal is rebuilt from the last
 * synced JSON and the remaining operations. %SA_CACHE_ERROR_STATE if the
 * operation was sent already.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_undo_op_sync (SaCache     *self,
                       const char  *op_id,
                       GError     **error)
{
  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (op_id != NULL, FALSE);
  return drop_op (self, op_id, DROP_UNDO, NULL, error);
}

/**
 * sa_cache_discard_op_sync:
 * @self: a #SaCache
 * @op_id: a conflicting or rejected operation
 * @error: return location for a #GError
 *
 * The user drops a conflicting operation, or dismisses a rejected one.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_discard_op_sync (SaCache     *self,
                          const char  *op_id,
                          GError     **error)
{
  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (op_id != NULL, FALSE);
  return drop_op (self, op_id, DROP_DISCARD, NULL, error);
}

/**
 * sa_cache_reapply_op_sync:
 * @self: a #SaCache
 * @op_id: a conflicting operation
 * @error: return location for a #GError
 *
 * The user re-applies a conflicting operation on top of the registry's
 * current appeal: a new operation (new UUID, current version) replaces
 * it, durably, in one transaction.
 *
 * Returns: (transfer full): the new operation's UUID, or %NULL
 */
char *
sa_cache_reapply_op_sync (SaCache     *self,
                          const char  *op_id,
                          GError     **error)
{
  char *new_op_id = NULL;

  g_return_val_if_fail (SA_IS_CACHE (self), NULL);
  g_return_val_if_fail (op_id != NULL, NULL);
  if (!drop_op (self, op_id, DROP_REAPPLY, &new_op_id, error))
    return NULL;
  return new_op_id;
}

/* ------------------------------------------------------------------ */
/* Async wrappers: SQLite writes stay off the GTK main thread. */

typedef struct
{
  char       *appeal_id;
  char       *type;
  JsonObject *args;
  char       *op_id;
  DropKind    kind;
} OpTaskData;

static void
op_task_data_free (gpointer data)
{
  OpTaskData *d = data;

  g_free (d->appeal_id);
  g_free (d->type);
  g_clear_pointer (&d->args, json_object_unref);
  g_free (d->op_id);
  g_free (d);
}

static void
apply_local_op_thread (GTask        *task,
                       gpointer      source,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  OpTaskData *d = task_data;
  GError *error = NULL;
  char *op_id;

  if (g_task_return_error_if_cancelled (task))
    return;
  op_id = sa_cache_apply_local_op_sync (source, d->appeal_id, d->type, d->args, &error);
  if (op_id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, op_id, g_free);
}

/**
 * sa_cache_apply_local_op_async:
 * @self: a #SaCache
 * @appeal_id: the appeal's UUID
 * @type: the operation type
 * @args: (nullable): its arguments
 * @cancellable: (nullable): a #GCancellable, honoured until the write starts
 * @callback: called once the edit is durable
 * @user_data: data for @callback
 *
 * sa_cache_apply_local_op_sync() on a worker thread.
 */
void
sa_cache_apply_local_op_async (SaCache             *self,
                               const char          *appeal_id,
                               const char          *type,
                               JsonObject          *args,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpTaskData *d;

  g_return_if_fail (SA_IS_CACHE (self));
  g_return_if_fail (appeal_id != NULL);
  g_return_if_fail (type != NULL);

  d = g_new0 (OpTaskData, 1);
  d->appeal_id = g_strdup (appeal_id);
  d->type = g_strdup (type);
  /* A deep copy: the caller may go on using @args on its thread. */
  if (args != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), args);
      g_autoptr(JsonNode) copy = json_node_copy (node);

      d->args = json_object_ref (json_node_get_object (copy));
    }
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_cache_apply_local_op_async);
  g_task_set_task_data (task, d, op_task_data_free);
  g_task_run_in_thread (task, apply_local_op_thread);
}

/**
 * sa_cache_apply_local_op_finish:
 * @self: a #SaCache
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new operation's UUID, or %NULL
 */
char *
sa_cache_apply_local_op_finish (SaCache       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
drop_op_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  OpTaskData *d = task_data;
  GError *error = NULL;
  char *new_op_id = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!drop_op (source, d->op_id, d->kind, &new_op_id, &error))
    g_task_return_error (task, error);
  else if (d->kind == DROP_REAPPLY)
    g_task_return_pointer (task, new_op_id, g_free);
  else
    g_task_return_boolean (task, TRUE);
}

static void
drop_op_async (SaCache             *self,
               const char          *op_id,
               DropKind             kind,
               gpointer             tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  OpTaskData *d = g_new0 (OpTaskData, 1);

  d->op_id = g_strdup (op_id);
  d->kind = kind;
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, d, op_task_data_free);
  g_task_run_in_thread (task, drop_op_thread);
}

/**
 * sa_cache_undo_op_async:
 * @self: a #SaCache
 * @op_id: an operation not yet sent
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * sa_cache_undo_op_sync() on a worker thread.
 */
void
sa_cache_undo_op_async (SaCache             *self,
                        const char          *op_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (SA_IS_CACHE (self));
  g_return_if_fail (op_id != NULL);
  drop_op_async (self, op_id, DROP_UNDO, sa_cache_undo_op_async, cancellable, callback,
                 user_data);
}

/**
 * sa_cache_undo_op_finish:
 * @self: a #SaCache
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_undo_op_finish (SaCache       *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * sa_cache_discard_op_async:
 * @self: a #SaCache
 * @op_id: a conflicting or rejected operation
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * sa_cache_discard_op_sync() on a worker thread.
 */
void
sa_cache_discard_op_async (SaCache             *self,
                           const char          *op_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (SA_IS_CACHE (self));
  g_return_if_fail (op_id != NULL);
  drop_op_async (self, op_id, DROP_DISCARD, sa_cache_discard_op_async, cancellable, callback,
                 user_data);
}

/**
 * sa_cache_discard_op_finish:
 * @self: a #SaCache
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_discard_op_finish (SaCache       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * sa_cache_reapply_op_async:
 * @self: a #SaCache
 * @op_id: a conflicting operation
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * sa_cache_reapply_op_sync() on a worker thread.
 */
void
sa_cache_reapply_op_async (SaCache             *self,
                           const char          *op_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (SA_IS_CACHE (self));
  g_return_if_fail (op_id != NULL);
  drop_op_async (self, op_id, DROP_REAPPLY, sa_cache_reapply_op_async, cancellable, callback,
                 user_data);
}

/**
 * sa_cache_reapply_op_finish:
 * @self: a #SaCache
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new operation's UUID, or %NULL
 */
char *
sa_cache_reapply_op_finish (SaCache       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* Reading */

static JsonNode *
read_appeal_json (SaCache     *self,
                  const char  *appeal_id,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  JsonNode *node = NULL;

  g_mutex_lock (&self->reader.lock);
  stmt = conn_prepare (&self->reader, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        node = parse_json ((const char *) sqlite3_column_text (stmt, 0));
      else
        g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_NOT_FOUND,
                     "No appeal %s in the cache", appeal_id);
      sqlite3_reset (stmt);
    }
  g_mutex_unlock (&self->reader.lock);
  return node;
}

/**
 * sa_cache_get_appeal:
 * @self: a #SaCache
 * @appeal_id: the appeal's UUID
 * @error: return location for a #GError
 *
 * The appeal as the user should see it: the registry's last state with
 * the pending operations on top (pending history items carry
 * `"pending": true` and their `op_id`).
 *
 * Returns: (transfer full): the appeal, or %NULL
 */
JsonNode *
sa_cache_get_appeal (SaCache     *self,
                     const char  *appeal_id,
                     GError     **error)
{
  g_return_val_if_fail (SA_IS_CACHE (self), NULL);
  g_return_val_if_fail (appeal_id != NULL, NULL);
  return read_appeal_json (self, appeal_id, "SELECT d.json FROM appeals a JOIN appeal_docs d"
                           " USING (rid) WHERE a.id = ?1", error);
}

/**
 * sa_cache_get_server_appeal:
 * @self: a #SaCache
 * @appeal_id: the appeal's UUID
 * @error: return location for a #GError
 *
 * The registry's last known appeal, without local operations: what a
 * conflict view shows opposite the user's change.
 *
 * Returns: (transfer full): the appeal, or %NULL
 */
JsonNode *
sa_cache_get_server_appeal (SaCache     *self,
                            const char  *appeal_id,
                            GError     **error)
{
  g_return_val_if_fail (SA_IS_CACHE (self), NULL);
  g_return_val_if_fail (appeal_id != NULL, NULL);
  return read_appeal_json (self, appeal_id, "SELECT d.server_json FROM appeals a"
                           " JOIN appeal_docs d USING (rid) WHERE a.id = ?1", error);
}

/**
 * sa_cache_get_offline_state:
 * @self: a #SaCache
 * @appeal_id: the appeal's UUID
 *
 * Returns: the appeal's #SaOfflineState (%SA_OFFLINE_SYNCED if unknown)
 */
SaOfflineState
sa_cache_get_offline_state (SaCache    *self,
                            const char *appeal_id)
{
  sqlite3_stmt *stmt;
  SaOfflineState state = SA_OFFLINE_SYNCED;

  g_return_val_if_fail (SA_IS_CACHE (self), SA_OFFLINE_SYNCED);
  g_return_val_if_fail (appeal_id != NULL, SA_OFFLINE_SYNCED);

  g_mutex_lock (&self->reader.lock);
  stmt = conn_prepare (&self->reader, "SELECT offline_state FROM appeals WHERE id = ?1", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        state = sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
    }
  g_mutex_unlock (&self->reader.lock);
  return state;
}

/**
 * sa_cache_mark_opened:
 * @self: a #SaCache
 * @appeal_id: the appeal's UUID
 * @error: return location for a #GError
 *
 * Remembers that the user opened the appeal (the list stops showing it
 * as unread until someone else changes it). A local flag, never pushed.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_mark_opened (SaCache     *self,
                      const char  *appeal_id,
                      GError     **error)
{
  Conn *c;
  sqlite3_stmt *stmt;
  gboolean ok, changed_any;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (appeal_id != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  stmt = conn_prepare (c, "UPDATE appeals SET opened = 1 WHERE id = ?1 AND opened = 0", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
      ok = step_done (c, stmt, error);
    }
  changed_any = ok && sqlite3_changes (c->db) > 0;
  g_mutex_unlock (&c->lock);
  if (changed_any)
    {
      g_autoptr(GPtrArray) changed = g_ptr_array_new ();

      g_ptr_array_add (changed, (gpointer) appeal_id);
      emit_changed (self, changed);
    }
  return ok;
}
