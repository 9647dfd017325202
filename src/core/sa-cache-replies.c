/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache"

#include "config.h"

#include "sa-appeal-model.h"
#include "sa-cache-private.h"

/* A reply's draft saved as the person types (docs/replies.md): one
 * `reply_save` in the outbox and the fold onto the shown appeal in one
 * durable transaction. A save the registry has not seen yet is rewritten
 * in place, so that a long typing session pushes one op; a save already
 * on its way is followed by a new one. */

/* The outbox entry a new save of @reply_id may replace: the newest op of
 * that reply on the appeal, when it is a `reply_save` that was never
 * pushed (state pending, no attempt: the same ops undo may take back).
 * Anything after it for the same reply (a submit) or a push under way
 * makes the new save an op of its own. */
static gboolean
find_replaceable (SaCacheConn  *c,
                  const char   *appeal_id,
                  const char   *reply_id,
                  char        **out_op_id,
                  GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *out_op_id = NULL;
  stmt = _sa_cache_prepare (c, "SELECT op_id, type, state, attempts FROM outbox"
                               " WHERE appeal_id = ?1 AND json_extract (args, '$.reply_id') = ?2"
                               " ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, reply_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW &&
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1),
                 sa_op_type_to_string (SA_OP_REPLY_SAVE)) == 0 &&
      sqlite3_column_int (stmt, 2) == SA_OP_PENDING &&
      sqlite3_column_int (stmt, 3) == 0)
    *out_op_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _sa_cache_db_error (c, error, "Could not read the outbox");
      return FALSE;
    }
  return TRUE;
}

/* Rewrites a pending save with the newest text. Its place in the outbox
 * and its base_version stay: it still counts once in the versions of
 * the ops after it. Its time becomes the newest keystroke's, so the
 * undo window holds it while the person types on. */
static gboolean
replace_args (SaCacheConn *c,
              const char  *op_id,
              JsonObject  *args,
              GError     **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), args);
  g_autofree char *text = _sa_cache_to_json (node);
  sqlite3_stmt *stmt;

  stmt = _sa_cache_prepare (c, "UPDATE outbox SET args = ?2, created_at = ?3, updated_at = ?3"
                               " WHERE op_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  return _sa_cache_step (c, stmt, error);
}

static JsonObject *
save_args (const char *reply_id,
           const char *text,
           const char *visibility,
           const char *language,
           const char *kind,
           const char * const *attachments)
{
  JsonObject *args = json_object_new ();

  json_object_set_string_member (args, "reply_id", reply_id);
  json_object_set_string_member (args, "text", text);
  json_object_set_string_member (args, "visibility", visibility);
  json_object_set_string_member (args, "language", language);
  if (kind != NULL)
    json_object_set_string_member (args, "kind", kind);
  /* Every save states the whole list: an empty one takes the files out. */
  if (attachments != NULL && attachments[0] != NULL)
    {
      JsonArray *files = json_array_new ();

      for (guint i = 0; attachments[i] != NULL; i++)
        json_array_add_string_element (files, attachments[i]);
      json_object_set_array_member (args, "attachments", files);
    }
  return args;
}

/**
 * sa_cache_save_reply_draft_sync:
 * @self: a #SaCache
 * @appeal_id: the appeal's UUID
 * @reply_id: the reply's client-made UUID
 * @text: the whole text as typed so far
 * @visibility: %SA_REPLY_VISIBILITY_PUBLIC or %SA_REPLY_VISIBILITY_PRIVATE
 * @language: "ru" or "kk"
 * @kind: (nullable): the reply's #SaReplyKind as a string; %NULL for an
 *   answer. Fixed once the reply exists: the registry refuses another.
 * @attachments: (nullable) (array zero-terminated=1): the SHA-256s of the
 *   appeal's files the reply includes, at most %SA_REPLY_ATTACHMENTS_MAX;
 *   %NULL or empty for none. Each save states the whole list.
 * @error: return location for a #GError
 *
 * Saves the draft of a reply as a `reply_save` operation, shown at once
 * on the cached appeal's `replies`. A `reply_save` of the same reply
 * still waiting unsent in the outbox is rewritten with the new text
 * rather than followed by another; one that was pushed already (or is
 * being pushed) is followed by a new one. Either way the outbox and the
 * appeal change in one transaction committed with `synchronous=FULL`:
 * when this returns, the text is on disk. Blocks: from the UI use
 * sa_cache_save_reply_draft_async().
 *
 * Returns: (transfer full): the UUID of the outbox entry that holds the
 *   text, or %NULL
 */
char *
sa_cache_save_reply_draft_sync (SaCache     *self,
                                const char  *appeal_id,
                                const char  *reply_id,
                                const char  *text,
                                const char  *visibility,
                                const char  *language,
                                const char  *kind,
                                const char * const *attachments,
                                GError     **error)
{
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) invalid = NULL;
  SaCacheConn *c;
  char *op_id = NULL;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), NULL);
  g_return_val_if_fail (appeal_id != NULL, NULL);
  g_return_val_if_fail (reply_id != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  args = save_args (reply_id, text, visibility, language, kind, attachments);
  if (!sa_op_validate_args (SA_OP_REPLY_SAVE, args, &invalid))
    {
      g_set_error_literal (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID, invalid->message);
      return NULL;
    }

  c = &self->writer;
  g_mutex_lock (&c->lock);
  if (!_sa_cache_begin (c, TRUE, error))
    {
      g_mutex_unlock (&c->lock);
      return NULL;
    }
  ok = find_replaceable (c, appeal_id, reply_id, &op_id, error);
  if (ok && op_id != NULL)
    ok = replace_args (c, op_id, args, error) &&
         _sa_cache_rebuild_appeal (self, appeal_id, NULL, TRUE, FALSE, error);
  else if (ok)
    ok = (op_id = _sa_cache_add_local_op (self, appeal_id,
                                          sa_op_type_to_string (SA_OP_REPLY_SAVE),
                                          args, error)) != NULL;
  if (ok)
    ok = _sa_cache_commit (c, TRUE, error);
  else
    _sa_cache_rollback (c, TRUE);
  g_mutex_unlock (&c->lock);

  if (!ok)
    {
      g_clear_pointer (&op_id, g_free);
      return NULL;
    }
  {
    g_autoptr(GPtrArray) changed = g_ptr_array_new ();

    g_ptr_array_add (changed, (gpointer) appeal_id);
    _sa_cache_emit_changed (self, changed);
  }
  return op_id;
}

typedef struct
{
  char *appeal_id;
  char *reply_id;
  char *text;
  char *visibility;
  char *language;
  char *kind;
  char **attachments;
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *d = data;

  g_free (d->appeal_id);
  g_free (d->reply_id);
  g_free (d->text);
  g_free (d->visibility);
  g_free (d->language);
  g_free (d->kind);
  g_strfreev (d->attachments);
  g_free (d);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *d = task_data;
  GError *error = NULL;
  char *op_id;

  /* Not cancelled once queued: a text the person typed is never dropped. */
  op_id = sa_cache_save_reply_draft_sync (source, d->appeal_id, d->reply_id, d->text,
                                          d->visibility, d->language, d->kind,
                                          (const char * const *) d->attachments, &error);
  if (op_id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, op_id, g_free);
}

/**
 * sa_cache_save_reply_draft_async:
 * @self: a #SaCache
 * @appeal_id: the appeal's UUID
 * @reply_id: the reply's client-made UUID
 * @text: the whole text as typed so far
 * @visibility: "public" or "private"
 * @language: "ru" or "kk"
 * @kind: (nullable): the reply's kind, as for sa_cache_save_reply_draft_sync()
 * @attachments: (nullable) (array zero-terminated=1): the files it
 *   includes, as for sa_cache_save_reply_draft_sync()
 * @cancellable: (nullable): a #GCancellable; the save itself still
 *   happens, so that nothing typed is lost, only the answer is cancelled
 * @callback: called once the text is durable
 * @user_data: data for @callback
 *
 * sa_cache_save_reply_draft_sync() on a worker thread. Saves run in the
 * order they were asked for as long as the caller waits for one before
 * asking for the next.
 */
void
sa_cache_save_reply_draft_async (SaCache             *self,
                                 const char          *appeal_id,
                                 const char          *reply_id,
                                 const char          *text,
                                 const char          *visibility,
                                 const char          *language,
                                 const char          *kind,
                                 const char * const  *attachments,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *d;

  g_return_if_fail (SA_IS_CACHE (self));
  g_return_if_fail (appeal_id != NULL);
  g_return_if_fail (reply_id != NULL);
  g_return_if_fail (text != NULL);

  d = g_new0 (SaveData, 1);
  d->appeal_id = g_strdup (appeal_id);
  d->reply_id = g_strdup (reply_id);
  d->text = g_strdup (text);
  d->visibility = g_strdup (visibility);
  d->language = g_strdup (language);
  d->kind = g_strdup (kind);
  d->attachments = g_strdupv ((char **) attachments);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_cache_save_reply_draft_async);
  g_task_set_task_data (task, d, save_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, save_thread);
}

/**
 * sa_cache_save_reply_draft_finish:
 * @self: a #SaCache
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the UUID of the outbox entry that holds the
 *   text, or %NULL
 */
char *
sa_cache_save_reply_draft_finish (SaCache       *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
