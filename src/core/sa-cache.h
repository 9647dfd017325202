/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deadline stored for an appeal without one, so that it sorts last. */
#define SA_CACHE_NO_DUE G_MAXINT64

/**
 * SaCacheError:
 * @SA_CACHE_ERROR_FAILED: SQLite failed (I/O, disk full, locked too long)
 * @SA_CACHE_ERROR_TOO_NEW: the database was written by a newer build
 * @SA_CACHE_ERROR_NOT_FOUND: no such appeal or outbox entry
 * @SA_CACHE_ERROR_INVALID: a malformed operation, change or argument
 * @SA_CACHE_ERROR_STATE: the outbox entry is not in a state that allows this
 *   (e.g. undo of an operation already sent)
 * @SA_CACHE_ERROR_CORRUPT: the database file is damaged (not a database,
 *   cut short, or pages that do not read back): set it aside with
 *   sa_cache_set_aside_sync()
 *
 * Errors in the %SA_CACHE_ERROR domain.
 */
typedef enum
{
  SA_CACHE_ERROR_FAILED,
  SA_CACHE_ERROR_TOO_NEW,
  SA_CACHE_ERROR_NOT_FOUND,
  SA_CACHE_ERROR_INVALID,
  SA_CACHE_ERROR_STATE,
  SA_CACHE_ERROR_CORRUPT,
} SaCacheError;

#define SA_CACHE_ERROR (sa_cache_error_quark ())
GQuark sa_cache_error_quark (void);

/**
 * SaOfflineState:
 * @SA_OFFLINE_SYNCED: the cached appeal is the registry's
 * @SA_OFFLINE_MODIFIED: local operations wait in the outbox and are shown on top
 * @SA_OFFLINE_CONFLICT: an operation met a newer version; the user must re-apply or drop it
 * @SA_OFFLINE_REJECTED: an operation was refused; it stays until dismissed
 *
 * The per-appeal offline state, as in evolution-data-server's ECache.
 */
typedef enum
{
  SA_OFFLINE_SYNCED,
  SA_OFFLINE_MODIFIED,
  SA_OFFLINE_CONFLICT,
  SA_OFFLINE_REJECTED,
} SaOfflineState;

/**
 * SaOpState:
 * @SA_OP_PENDING: waits to be pushed
 * @SA_OP_SENT: pushed at least once, no answer recorded yet
 * @SA_OP_CONFLICT: the registry answered conflict; its appeal is kept beside the op
 * @SA_OP_REJECTED: the registry refused it, with a code and a message
 *
 * The state of an outbox entry. Applied entries leave the outbox.
 */
typedef enum
{
  SA_OP_PENDING,
  SA_OP_SENT,
  SA_OP_CONFLICT,
  SA_OP_REJECTED,
} SaOpState;

/**
 * SaOutboxEntry:
 * @seq: the outbox order
 * @op_id: the client-made UUID, the registry's idempotency key
 * @type: "take", "comment", …
 * @appeal_id: the appeal's UUID
 * @base_version: the appeal version the operation was made on
 * @args: (nullable): the arguments object
 * @state: the #SaOpState
 * @attempts: how often it was sent
 * @last_error: (nullable): the last transport error or the rejection message
 * @error_code: (nullable): the registry's rejection code
 * @conflict_appeal: (nullable): for a conflict, the registry's appeal at that time
 * @created_at: unix seconds
 * @after_op_id: (nullable): the op before it on the same appeal, still in
 *   the outbox when it was read: the registry applies this one only after
 *   that one
 *
 * One operation in the outbox.
 */
typedef struct
{
  gint64     seq;
  char      *op_id;
  char      *type;
  char      *appeal_id;
  gint64     base_version;
  JsonNode  *args;
  SaOpState  state;
  guint      attempts;
  char      *last_error;
  char      *error_code;
  JsonNode  *conflict_appeal;
  gint64     created_at;
  char      *after_op_id;
} SaOutboxEntry;

void      sa_outbox_entry_free           (SaOutboxEntry  *entry);
JsonNode *sa_outbox_entry_to_json        (const SaOutboxEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaOutboxEntry, sa_outbox_entry_free)

#define SA_TYPE_CACHE (sa_cache_get_type ())
G_DECLARE_FINAL_TYPE (SaCache, sa_cache, SA, CACHE, GObject)

char           *sa_cache_default_path        (const char           *server,
                                              const char           *login);
SaCache        *sa_cache_open                (const char           *path,
                                              GError              **error);
void            sa_cache_open_async          (const char           *path,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
SaCache        *sa_cache_open_finish         (GAsyncResult         *result,
                                              GError              **error);
gboolean        sa_cache_delete              (const char           *path,
                                              GError              **error);
const char     *sa_cache_get_path            (SaCache              *self);

/* Who signed in: "take" needs the login, "agency queue" the agency. */
gboolean        sa_cache_set_identity        (SaCache              *self,
                                              const char           *login,
                                              const char           *agency,
                                              GError              **error);
char           *sa_cache_dup_login           (SaCache              *self);
char           *sa_cache_dup_agency          (SaCache              *self);

/* Pull side, for the sync engine's worker thread. */
gint64          sa_cache_get_cursor          (SaCache              *self);
gboolean        sa_cache_apply_changes       (SaCache              *self,
                                              JsonArray            *changes,
                                              gint64                next_cursor,
                                              GError              **error);
gboolean        sa_cache_put_districts       (SaCache              *self,
                                              JsonArray            *districts,
                                              GError              **error);
gboolean        sa_cache_reset               (SaCache              *self,
                                              GError              **error);

/* Push side, for the sync engine's worker thread. */
GPtrArray      *sa_cache_list_outbox         (SaCache              *self,
                                              GError              **error);
GPtrArray      *sa_cache_begin_push_before   (SaCache              *self,
                                              guint                 max,
                                              gint64                created_before,
                                              GError              **error);
gboolean        sa_cache_mark_ops_failed     (SaCache              *self,
                                              const char * const   *op_ids,
                                              const char           *message,
                                              GError              **error);
gboolean        sa_cache_apply_push_results  (SaCache              *self,
                                              JsonArray            *results,
                                              GError              **error);
gboolean        sa_cache_count_outbox        (SaCache              *self,
                                              guint                *out_unsynced,
                                              guint                *out_attention,
                                              GError              **error);
gint64          sa_cache_count_unreadable    (SaCache              *self,
                                              GError              **error);

/* Local edits: durable before they return. */
char           *sa_cache_apply_local_op_sync (SaCache              *self,
                                              const char           *appeal_id,
                                              const char           *type,
                                              JsonObject           *args,
                                              GError              **error);
void            sa_cache_apply_local_op_async (SaCache             *self,
                                              const char           *appeal_id,
                                              const char           *type,
                                              JsonObject           *args,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
char           *sa_cache_apply_local_op_finish (SaCache            *self,
                                              GAsyncResult         *result,
                                              GError              **error);
gboolean        sa_cache_undo_op_sync        (SaCache              *self,
                                              const char           *op_id,
                                              GError              **error);
void            sa_cache_undo_op_async       (SaCache              *self,
                                              const char           *op_id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean        sa_cache_undo_op_finish      (SaCache              *self,
                                              GAsyncResult         *result,
                                              GError              **error);
char           *sa_cache_reapply_op_sync     (SaCache              *self,
                                              const char           *op_id,
                                              GError              **error);
void            sa_cache_reapply_op_async    (SaCache              *self,
                                              const char           *op_id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
char           *sa_cache_reapply_op_finish   (SaCache              *self,
                                              GAsyncResult         *result,
                                              GError              **error);
gboolean        sa_cache_discard_op_sync     (SaCache              *self,
                                              const char           *op_id,
                                              GError              **error);
void            sa_cache_discard_op_async    (SaCache              *self,
                                              const char           *op_id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean        sa_cache_discard_op_finish   (SaCache              *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* A reply's draft as one types (sa-cache-replies.c): one pending op per reply. */
char           *sa_cache_save_reply_draft_sync   (SaCache             *self,
                                                  const char          *appeal_id,
                                                  const char          *reply_id,
                                                  const char          *text,
                                                  const char          *visibility,
                                                  const char          *language,
                                                  const char          *kind,
                                                  const char * const  *attachments,
                                                  GError             **error);
void            sa_cache_save_reply_draft_async  (SaCache             *self,
                                                  const char          *appeal_id,
                                                  const char          *reply_id,
                                                  const char          *text,
                                                  const char          *visibility,
                                                  const char          *language,
                                                  const char          *kind,
                                                  const char * const  *attachments,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char           *sa_cache_save_reply_draft_finish (SaCache             *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Reading. */
JsonNode       *sa_cache_get_appeal          (SaCache              *self,
                                              const char           *appeal_id,
                                              GError              **error);
gboolean        sa_cache_mark_opened         (SaCache              *self,
                                              const char           *appeal_id,
                                              GError              **error);

G_END_DECLS
