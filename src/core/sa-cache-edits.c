/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache"

#include "config.h"

#include "sa-appeal-model.h"
#include "sa-cache-private.h"

/* Local edits: an operation into the outbox and onto the shown appeal in
 * one durable transaction; undo, discard and re-apply; and their _async
 * forms, so that SQLite writes stay off the GTK main thread. */

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

/* Inside the writer's transaction: also for sa-cache-replies.c. */
char *
_sa_cache_add_local_op (SaCache      *self,
                        const char   *appeal_id,
                        const char   *type,
                        JsonObject   *args,
                        GError      **error)
{
  SaCacheConn *c = &self->writer;
  g_autofree char *login = _sa_cache_state_dup (c, "login");
  g_autofree char *op_id = g_uuid_string_random ();
  g_autoptr(JsonNode) args_node = json_node_init_object (json_node_alloc (),
                                                         args != NULL ? args
                                                         : json_object_new ());
  g_autofree char *args_text = NULL;
  sqlite3_stmt *stmt;
  SaCacheRow info;
  gint64 overlaid = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (args == NULL)
    json_object_unref (json_node_get_object (args_node));
  args_text = _sa_cache_to_json (args_node);
  if (!validate_op (type, args, login, error) || !_sa_cache_load_row (c, appeal_id, &info, error))
    return NULL;
  g_free (info.server_json);
  if (!info.exists)
    {
      g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_NOT_FOUND,
                   "No appeal %s in the cache", appeal_id);
      return NULL;
    }

  /* Each earlier op still on its way will bump the version by one. */
  stmt = _sa_cache_prepare (c, "SELECT count(*) FROM outbox WHERE appeal_id = ?1"
                               " AND state IN (0, 1)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    overlaid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  stmt = _sa_cache_prepare (c, "INSERT INTO outbox (op_id, type, appeal_id, base_version, args,"
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
  if (!_sa_cache_step (c, stmt, error) ||
      !_sa_cache_rebuild_appeal (self, appeal_id, NULL, TRUE, FALSE, error))
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
  SaCacheConn *c;
  char *op_id = NULL;

  g_return_val_if_fail (SA_IS_CACHE (self), NULL);
  g_return_val_if_fail (appeal_id != NULL, NULL);
  g_return_val_if_fail (type != NULL, NULL);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  if (_sa_cache_begin (c, TRUE, error))
    {
      op_id = _sa_cache_add_local_op (self, appeal_id, type, args, error);
      if (op_id == NULL)
        _sa_cache_rollback (c, TRUE);
      else if (!_sa_cache_commit (c, TRUE, error))
        g_clear_pointer (&op_id, g_free);
    }
  g_mutex_unlock (&c->lock);
  if (op_id != NULL)
    {
      g_autoptr(GPtrArray) changed = g_ptr_array_new ();

      g_ptr_array_add (changed, (gpointer) appeal_id);
      _sa_cache_emit_changed (self, changed);
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
  SaCacheConn *c = &self->writer;
  g_autofree char *appeal_id = NULL;
  g_autofree char *new_op_id = NULL;
  SaOpState state = SA_OP_PENDING;
  guint attempts = 0;
  gint64 seq = 0;
  gboolean ok;

  g_mutex_lock (&c->lock);
  if (!_sa_cache_begin (c, TRUE, error))
    {
      g_mutex_unlock (&c->lock);
      return FALSE;
    }
  appeal_id = _sa_cache_op_appeal_id (c, op_id, &seq, &state, &attempts);
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
          stmt = _sa_cache_prepare (c, "UPDATE outbox SET op_id = ?2, state = 0, attempts = 0,"
                                       " last_error = NULL, error_code = NULL,"
                                       " conflict_json = NULL, updated_at = ?3 WHERE op_id = ?1",
                                    error);
          ok = stmt != NULL;
          if (ok)
            {
              sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
              sqlite3_bind_text (stmt, 2, new_op_id, -1, SQLITE_STATIC);
              sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
              ok = _sa_cache_step (c, stmt, error);
            }
        }
      else
        ok = ok && _sa_cache_delete_by_key (c, "DELETE FROM outbox WHERE op_id = ?1", op_id, error);
      if (ok && kind == DROP_UNDO)
        ok = _sa_cache_rebase_later (c, appeal_id, seq, error);
      else if (ok)
        ok = _sa_cache_rebase_chain (c, appeal_id, error);
      if (ok)
        ok = _sa_cache_rebuild_appeal (self, appeal_id, NULL, TRUE, FALSE, error);
    }
  if (ok)
    ok = _sa_cache_commit (c, TRUE, error);
  else
    _sa_cache_rollback (c, TRUE);
  g_mutex_unlock (&c->lock);

  if (ok)
    {
      g_autoptr(GPtrArray) changed = g_ptr_array_new ();

      g_ptr_array_add (changed, appeal_id);
      _sa_cache_emit_changed (self, changed);
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
  gboolean ok;

  if (g_task_return_error_if_cancelled (task))
    return;
  /* The _sync functions the tests call, not drop_op() behind them. */
  switch (d->kind)
    {
    case DROP_UNDO:
      ok = sa_cache_undo_op_sync (source, d->op_id, &error);
      break;
    case DROP_DISCARD:
      ok = sa_cache_discard_op_sync (source, d->op_id, &error);
      break;
    case DROP_REAPPLY:
      ok = (new_op_id = sa_cache_reapply_op_sync (source, d->op_id, &error)) != NULL;
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
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
