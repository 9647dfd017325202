/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache"

#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"
#include "sa-cache-private.h"

/* The outbox as the sync engine sees it: what to push next, marked sent
 * durably, and the registry's answers. */

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
/* Outbox for the sync engine */

typedef enum
{
  OUTBOX_ALL,
  OUTBOX_UNSYNCED,  /* pending, or sent without an answer */
  OUTBOX_PUSHABLE,  /* unsynced, and not behind a conflict or a rejection */
} OutboxSelection;

static GPtrArray *
read_outbox (SaCacheConn    *c,
             OutboxSelection selection,
             guint           max,
             GError        **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 sa_outbox_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  /* An op may depend on the ones before it on the same appeal ("take",
   * then "I am on my way"): it names the one before it, so that the
   * registry applies it only after that one, and behind a conflict or a
   * rejection it waits until the user decides. */
  stmt = _sa_cache_prepare (c,
                            "SELECT seq, op_id, type, appeal_id, base_version, args, state,"
                            " attempts, last_error, error_code, conflict_json, created_at,"
                            " (SELECT e.op_id FROM outbox e WHERE e.appeal_id = o.appeal_id"
                            "  AND e.seq < o.seq ORDER BY e.seq DESC LIMIT 1)"
                            " FROM outbox o WHERE ?1 = 0 OR (state IN (0, 1) AND (?1 = 1"
                            "  OR NOT EXISTS (SELECT 1 FROM outbox e"
                            "                 WHERE e.appeal_id = o.appeal_id"
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
      e->args = _sa_cache_parse_json ((const char *) sqlite3_column_text (stmt, 5));
      e->state = sqlite3_column_int (stmt, 6);
      e->attempts = sqlite3_column_int (stmt, 7);
      e->last_error = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      e->error_code = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      e->conflict_appeal = _sa_cache_parse_json ((const char *) sqlite3_column_text (stmt, 10));
      e->created_at = sqlite3_column_int64 (stmt, 11);
      e->after_op_id = g_strdup ((const char *) sqlite3_column_text (stmt, 12));
      g_ptr_array_add (entries, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sa_cache_db_error (c, error, "Could not read the outbox");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/**
 * _sa_cache_get_unsynced_ops:
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
_sa_cache_get_unsynced_ops (SaCache  *self,
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
mark_sent (SaCacheConn *c,
           const char  *op_id,
           GError     **error)
{
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "UPDATE outbox SET state = 1,"
                                             " attempts = attempts + 1, updated_at = ?2"
                                             " WHERE op_id = ?1 AND state IN (0, 1)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  return _sa_cache_step (c, stmt, error);
}

/**
 * sa_cache_begin_push_before:
 * @self: a #SaCache
 * @max: at most this many, 0 for all
 * @created_before: leave operations made after this (unix seconds) and
 *   everything after them in the outbox: the user may still undo them
 * @error: return location for a #GError
 *
 * The next batch to push: reads the unsynced operations in order and
 * marks them sent in the same durable transaction, so that the user
 * cannot undo an operation between the moment the engine read it and
 * the moment it goes out. The returned entries show the state before
 * the mark (their `attempts` not yet counted). %G_MAXINT64 for
 * @created_before takes everything.
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
  SaCacheConn *c;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), NULL);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  if (!_sa_cache_begin (c, TRUE, error))
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
    ok = _sa_cache_commit (c, TRUE, error);
  else
    _sa_cache_rollback (c, TRUE);
  g_mutex_unlock (&c->lock);
  return ok ? g_steal_pointer (&entries) : NULL;
}

/**
 * _sa_cache_mark_ops_sent:
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
_sa_cache_mark_ops_sent (SaCache             *self,
                         const char * const  *op_ids,
                         GError             **error)
{
  SaCacheConn *c;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (op_ids != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  /* Durable: after a crash an op must not look unsent (and undoable)
   * when the registry may have applied it. */
  ok = _sa_cache_begin (c, TRUE, error);
  for (guint i = 0; ok && op_ids[i] != NULL; i++)
    ok = mark_sent (c, op_ids[i], error);
  if (ok)
    ok = _sa_cache_commit (c, TRUE, error);
  else
    _sa_cache_rollback (c, TRUE);
  g_mutex_unlock (&c->lock);
  return ok;
}

/**
 * sa_cache_mark_ops_failed:
 * @self: a #SaCache
 * @op_ids: (array zero-terminated=1): the operations of a push that failed
 * @message: what went wrong (transport error, 5xx)
 * @error: return location for a #GError
 *
 * Records why the last attempt failed (`last_error`), in one transaction;
 * the operations stay to be pushed again.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_mark_ops_failed (SaCache             *self,
                          const char * const  *op_ids,
                          const char          *message,
                          GError             **error)
{
  SaCacheConn *c;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (op_ids != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  ok = _sa_cache_begin (c, FALSE, error);
  for (guint i = 0; ok && op_ids[i] != NULL; i++)
    {
      sqlite3_stmt *stmt = _sa_cache_prepare (c, "UPDATE outbox SET last_error = ?2,"
                                                 " updated_at = ?3 WHERE op_id = ?1", error);

      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_text (stmt, 1, op_ids[i], -1, SQLITE_STATIC);
          _sa_cache_bind_text (stmt, 2, message);
          sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
          ok = _sa_cache_step (c, stmt, error);
        }
    }
  if (ok)
    ok = _sa_cache_commit (c, FALSE, error);
  else
    _sa_cache_rollback (c, FALSE);
  g_mutex_unlock (&c->lock);
  return ok;
}

char *
_sa_cache_op_appeal_id (SaCacheConn *c,
                        const char  *op_id,
                        gint64      *out_seq,
                        SaOpState   *out_state,
                        guint       *out_attempts)
{
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "SELECT appeal_id, seq, state, attempts FROM outbox"
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
gboolean
_sa_cache_rebase_later (SaCacheConn *c,
                        const char  *appeal_id,
                        gint64       seq,
                        GError     **error)
{
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "UPDATE outbox SET base_version = base_version - 1"
                                             " WHERE appeal_id = ?1 AND seq > ?2 AND attempts = 0"
                                             " AND state = 0", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  return _sa_cache_step (c, stmt, error);
}

/* After the user decided on a conflict or a rejection, the ops that
 * waited behind it go on from the registry's current version: the user
 * has just seen that version beside the change. Only ops the registry
 * never looked at move: unsent ones, and those it held back unread. */
gboolean
_sa_cache_rebase_chain (SaCacheConn *c,
                        const char  *appeal_id,
                        GError     **error)
{
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "UPDATE outbox AS o SET base_version ="
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
  return _sa_cache_step (c, stmt, error);
}

static gboolean
apply_one_result (SaCache     *self,
                  JsonNode    *node,
                  GPtrArray   *changed,
                  GError     **error)
{
  SaCacheConn *c = &self->writer;
  JsonObject *result = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *op_id = _sa_cache_obj_string (result, "op_id");
  const char *status = _sa_cache_obj_string (result, "status");
  JsonNode *appeal = result != NULL ? json_object_get_member (result, "appeal") : NULL;
  g_autofree char *appeal_id = NULL;
  g_autofree char *conflict_text = NULL;
  sqlite3_stmt *stmt;
  gint64 seq = 0;

  if (appeal != NULL && !JSON_NODE_HOLDS_OBJECT (appeal))
    appeal = NULL;
  if (op_id == NULL || status == NULL ||
      (appeal_id = _sa_cache_op_appeal_id (c, op_id, &seq, NULL, NULL)) == NULL)
    return TRUE;  /* answered twice, or not ours: nothing to record */

  if (strcmp (status, "applied") == 0 || strcmp (status, "duplicate") == 0)
    {
      if (!_sa_cache_delete_by_key (c, "DELETE FROM outbox WHERE op_id = ?1", op_id, error))
        return FALSE;
    }
  else if (strcmp (status, "rejected") == 0 &&
           g_strcmp0 (_sa_cache_obj_string (result, "code"), SA_OP_AFTER_NOT_APPLIED) == 0)
    {
      /* The op before it failed: it waits with it, unsent as far as the
       * registry knows, but no longer undoable. */
      stmt = _sa_cache_prepare (c, "UPDATE outbox SET state = 0, error_code = ?3, updated_at = ?2"
                                   " WHERE op_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
      sqlite3_bind_text (stmt, 3, SA_OP_AFTER_NOT_APPLIED, -1, SQLITE_STATIC);
      if (!_sa_cache_step (c, stmt, error))
        return FALSE;
    }
  else if (strcmp (status, "conflict") == 0 || strcmp (status, "rejected") == 0)
    {
      gboolean conflict = strcmp (status, "conflict") == 0;

      if (conflict && appeal != NULL)
        conflict_text = _sa_cache_to_json (appeal);
      stmt = _sa_cache_prepare (c, "UPDATE outbox SET state = ?2, error_code = ?3, last_error = ?4,"
                                   " conflict_json = ?5, updated_at = ?6 WHERE op_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, conflict ? SA_OP_CONFLICT : SA_OP_REJECTED);
      _sa_cache_bind_text (stmt, 3, _sa_cache_obj_string (result, "code"));
      _sa_cache_bind_text (stmt, 4, _sa_cache_obj_string (result, "message"));
      _sa_cache_bind_text (stmt, 5, conflict_text);
      sqlite3_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC);
      if (!_sa_cache_step (c, stmt, error))
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
    return _sa_cache_store_server_appeal (self, appeal, changed, error);
  g_ptr_array_add (changed, g_strdup (appeal_id));
  return _sa_cache_rebuild_appeal (self, appeal_id, NULL, FALSE, FALSE, error);
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
  stmt = _sa_cache_prepare (&self->reader,
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
        _sa_cache_db_error (&self->reader, error, "Could not count the outbox");
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
  SaCacheConn *c;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (results != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  ok = _sa_cache_begin (c, FALSE, error);
  for (guint i = 0; ok && i < json_array_get_length (results); i++)
    ok = apply_one_result (self, json_array_get_element (results, i), changed, error);
  if (ok)
    ok = _sa_cache_commit (c, FALSE, error);
  else
    _sa_cache_rollback (c, FALSE);
  g_mutex_unlock (&c->lock);
  if (ok)
    _sa_cache_emit_changed (self, changed);
  return ok;
}
