/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "sa-cache.h"
#include "sa-sqlite.h"

G_BEGIN_DECLS

/* How far the cache's schema has come (sa-cache-schema.c's migrations). */
#define SA_CACHE_SCHEMA_VERSION 6


/* The read connection, for SaAppealList on the main thread: WAL lets it
 * read while a worker writes on the other connection. Hold the lock from
 * prepare to the last step. */
void          _sa_cache_reader_lock     (SaCache     *self);
void          _sa_cache_reader_unlock   (SaCache     *self);
sqlite3_stmt *_sa_cache_reader_prepare  (SaCache     *self,
                                         const char  *sql,
                                         GError     **error);
void          _sa_cache_set_error       (SaCache     *self,
                                         gboolean     reader,
                                         GError     **error,
                                         const char  *what);

/* For the tests only: what production reads another way (the outbox
 * through sa_cache_begin_push_before() and sa_cache_list_outbox(), an
 * appeal's offline state through the list's rows). */
GPtrArray      *_sa_cache_get_unsynced_ops   (SaCache             *self,
                                              guint                max,
                                              GError             **error);
gboolean        _sa_cache_mark_ops_sent      (SaCache             *self,
                                              const char * const  *op_ids,
                                              GError             **error);
guint           _sa_cache_get_schema_version (SaCache             *self);
JsonNode       *_sa_cache_get_server_appeal  (SaCache             *self,
                                              const char          *appeal_id,
                                              GError             **error);
SaOfflineState  _sa_cache_get_offline_state  (SaCache             *self,
                                              const char          *appeal_id);

/* ------------------------------------------------------------------ */
/* Shared by the cache's own files (sa-cache*.c); docs/cache.md says
 * which holds what. */

typedef struct
{
  SaSqlite *sql;
  sqlite3  *db;    /* sa_sqlite_get_handle (sql) */
  GMutex    lock;  /* around whole transactions: a connection serves one thread at a time */
} SaCacheConn;

struct _SaCache
{
  GObject       parent_instance;

  char         *path;
  SaCacheConn   writer;
  SaCacheConn   reader;
  GMainContext *owner_context;
  GThread      *owner_thread;
  guint         schema_version;
};

/* Connections (sa-cache.c): the helper's errors as SA_CACHE_ERROR */
void          _sa_cache_propagate           (GError      **error,
                                             GError       *local);
void          _sa_cache_db_error            (SaCacheConn  *c,
                                             GError      **error,
                                             const char   *what);
sqlite3_stmt *_sa_cache_prepare             (SaCacheConn  *c,
                                             const char   *sql,
                                             GError      **error);
gboolean      _sa_cache_exec                (SaCacheConn  *c,
                                             const char   *sql,
                                             GError      **error);
gboolean      _sa_cache_step                (SaCacheConn  *c,
                                             sqlite3_stmt *stmt,
                                             GError      **error);
gboolean      _sa_cache_begin               (SaCacheConn  *c,
                                             gboolean      durable,
                                             GError      **error);
gboolean      _sa_cache_commit              (SaCacheConn  *c,
                                             gboolean      durable,
                                             GError      **error);
void          _sa_cache_rollback            (SaCacheConn  *c,
                                             gboolean      durable);

/* Schema and migrations */
gboolean      _sa_cache_migrate             (SaCache      *self,
                                             GError      **error);
/* The ё/е-folding FTS5 tokenizer, registered on each connection */
gboolean      _sa_cache_register_tokenizer  (SaCacheConn  *c,
                                             GError      **error);

/* The appeals-changed signal, from any thread; @ids NULL after a reset */
void          _sa_cache_emit_changed        (SaCache      *self,
                                             GPtrArray    *ids);

/* Key-value sync state (login, agency, cursor) */
gboolean      _sa_cache_state_set           (SaCacheConn  *c,
                                             const char   *key,
                                             const char   *text,
                                             gint64        number,
                                             GError      **error);
char         *_sa_cache_state_dup           (SaCacheConn  *c,
                                             const char   *key);

/* JSON */
const char   *_sa_cache_obj_string          (JsonObject   *obj,
                                             const char   *name);
void          _sa_cache_bind_text           (sqlite3_stmt *stmt,
                                             int           col,
                                             const char   *text);
char         *_sa_cache_to_json             (JsonNode     *node);
JsonNode     *_sa_cache_parse_json          (const char   *text);

/* An appeal's row, written from the registry's JSON and the outbox */
typedef struct
{
  gint64    rid;
  gint64    server_version;
  gboolean  exists;
  char     *server_json;
} SaCacheRow;

gboolean      _sa_cache_load_row            (SaCacheConn  *c,
                                             const char   *id,
                                             SaCacheRow   *info,
                                             GError      **error);
gboolean      _sa_cache_rebuild_appeal      (SaCache      *self,
                                             const char   *appeal_id,
                                             JsonNode     *server,
                                             gboolean      bump_revision,
                                             gboolean      reset_opened,
                                             GError      **error);
gboolean      _sa_cache_store_server_appeal (SaCache      *self,
                                             JsonNode     *data,
                                             GPtrArray    *changed,
                                             GError      **error);
gboolean      _sa_cache_is_reference_kind   (const char   *kind);
gboolean      _sa_cache_put_reference       (SaCacheConn  *c,
                                             const char   *kind,
                                             const char   *id,
                                             JsonObject   *data,
                                             GError      **error);
gboolean      _sa_cache_delete_by_key       (SaCacheConn  *c,
                                             const char   *sql,
                                             const char   *key,
                                             GError      **error);

/* The outbox, for the local edits */
char         *_sa_cache_add_local_op        (SaCache      *self,
                                             const char   *appeal_id,
                                             const char   *type,
                                             JsonObject   *args,
                                             GError      **error);
char         *_sa_cache_op_appeal_id        (SaCacheConn  *c,
                                             const char   *op_id,
                                             gint64       *out_seq,
                                             SaOpState    *out_state,
                                             guint        *out_attempts);
gboolean      _sa_cache_rebase_later        (SaCacheConn  *c,
                                             const char   *appeal_id,
                                             gint64        seq,
                                             GError      **error);
gboolean      _sa_cache_rebase_chain        (SaCacheConn  *c,
                                             const char   *appeal_id,
                                             GError      **error);

G_END_DECLS
