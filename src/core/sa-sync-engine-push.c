/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-sync-engine"

#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"
#include "sa-attachment-store.h"
#include "sa-sync-engine-private.h"

/* Push: the outbox in batches of %PUSH_BATCH to POST /api/v1/ops, and
 * files first: what a batch attaches is uploaded before it is posted. */

static void push_post         (SaSyncEngine *self);
static void upload_next       (SaSyncEngine *self);

/* ------------------------------------------------------------------ */
/* Push */

static void
push_results_applied (SaSyncEngine *self)
{
  _sa_sync_engine_update_counts (self);
  _sa_sync_engine_push_next_batch (self);
}

static void
push_failure_recorded (SaSyncEngine *self)
{
  g_autoptr(GError) error = g_steal_pointer (&self->push_error);

  _sa_sync_engine_cycle_fail (self, error);
}

static void
push_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SaSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) op_ids = NULL;

  if (_sa_sync_engine_stale (result))
    return;
  op_ids = g_steal_pointer (&self->push_op_ids);
  root = sa_api_client_call_finish (SA_API_CLIENT (object), result, &error);
  if (root != NULL && _sa_sync_engine_node_member_array (root, "results") == NULL)
    error = g_error_new (SA_API_ERROR, SA_API_ERROR_PROTOCOL,
                         "The registry's answer to the operations lacks “results”");
  if (error != NULL)
    {
      /* The batch stays "sent" and goes again next time; the registry
       * answers "duplicate" for what it already applied. */
      if (_sa_sync_engine_handle_unauthorized (self, error))
        return;
      if (op_ids == NULL)
        {
          _sa_sync_engine_cycle_fail (self, error);
          return;
        }
      /* Each op keeps why its last try failed, for the outbox's views. */
      g_clear_error (&self->push_error);
      self->push_error = g_error_copy (error);
      _sa_sync_engine_run_job_ops (self, JOB_PUSH_FAILED, g_steal_pointer (&op_ids), error->message,
                   push_failure_recorded);
      return;
    }
  _sa_sync_engine_run_job (self, JOB_PUSH_RESULTS, root, push_results_applied);
}

/* The files the batch's attach ops name that wait to be uploaded. */
static GPtrArray *
files_to_upload (SaSyncEngine *self,
                 GPtrArray    *batch)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < batch->len; i++)
    {
      SaOutboxEntry *entry = batch->pdata[i];
      const char *sha256 = NULL;

      if (g_strcmp0 (entry->type, sa_op_type_to_string (SA_OP_ATTACH)) != 0 ||
          entry->args == NULL || !JSON_NODE_HOLDS_OBJECT (entry->args))
        continue;
      sha256 = json_object_get_string_member_with_default (json_node_get_object (entry->args),
                                                           "sha256", NULL);
      if (sa_attachment_store_is_pending (self->store, sha256) &&
          !g_ptr_array_find_with_equal_func (files, sha256, g_str_equal, NULL))
        g_ptr_array_add (files, g_strdup (sha256));
    }
  return files;
}

static void
upload_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  SaSyncEngine *self = user_data;

  if (self->uploads != NULL && self->uploads->len > 0)
    _sa_sync_engine_emit_upload_progress (self, self->uploads->pdata[0], done, total);
}

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SaSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *sha256 = NULL;
  gboolean uploaded;

  if (_sa_sync_engine_stale (result))
    return;
  answer = sa_api_client_upload_finish (SA_API_CLIENT (object), result, &error);
  if (answer == NULL &&
      (g_error_matches (error, SA_API_ERROR, SA_API_ERROR_UNAUTHORIZED) ||
       g_error_matches (error, SA_API_ERROR, SA_API_ERROR_UNREACHABLE) ||
       g_error_matches (error, SA_API_ERROR, SA_API_ERROR_CERTIFICATE) ||
       g_error_matches (error, SA_API_ERROR, SA_API_ERROR_SERVER) ||
       g_error_matches (error, SA_API_ERROR, SA_API_ERROR_PROTOCOL) ||
       error->domain != SA_API_ERROR))
    {
      /* Offline, or the registry is in trouble: the file and its op wait
       * (the op stays "sent" and goes again with its file next time). */
      sha256 = g_ptr_array_steal_index (self->uploads, 0);
      _sa_sync_engine_emit_upload_finished (self, sha256, FALSE);
      if (!_sa_sync_engine_handle_unauthorized (self, error))
        _sa_sync_engine_cycle_fail (self, error);
      return;
    }

  sha256 = g_ptr_array_steal_index (self->uploads, 0);
  uploaded = answer != NULL;
  if (!uploaded)
    /* Refused for good (a file changed on disk since, a role that may not
     * upload): no retry would help. The op goes on and the registry's
     * rejection (unknown_attachment) shows it to the user. */
    g_warning ("The registry refused the file %s: %s", sha256, error->message);
  if (!sa_attachment_store_mark_uploaded (self->store, sha256, &error))
    g_warning ("%s", error->message);
  _sa_sync_engine_emit_upload_finished (self, sha256, uploaded);
  upload_next (self);
}

/* Files first, then the batch that attaches them. */
static void
upload_next (SaSyncEngine *self)
{
  g_autoptr(GFile) file = NULL;
  const char *sha256 = NULL;

  while (self->uploads->len > 0)
    {
      sha256 = self->uploads->pdata[0];
      file = sa_attachment_store_lookup (self->store, sha256, NULL, NULL);
      if (file != NULL)
        break;
      g_warning ("The file %s to attach is gone from the desk", sha256);
      g_ptr_array_remove_index (self->uploads, 0);
    }
  if (self->uploads->len == 0)
    {
      push_post (self);
      return;
    }

  g_debug ("Uploading %s", sha256);
  self->requests++;
  upload_progress_cb (0, 0, self);
  sa_api_client_upload_async (self->client, sha256, file, upload_progress_cb, self,
                              self->cancellable, upload_cb, g_object_ref (self));
}

static void
push_post (SaSyncEngine *self)
{
  g_autoptr(JsonNode) body = g_steal_pointer (&self->push_body);

  _sa_sync_engine_call (self, "POST", "/api/v1/ops", body, push_cb);
}

static void
begin_push_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SaSyncEngine *self = SA_SYNC_ENGINE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (_sa_sync_engine_stale (result))
    return;
  batch = g_task_propagate_pointer (G_TASK (result), &error);
  if (batch == NULL)
    {
      _sa_sync_engine_cycle_fail (self, error);
      return;
    }
  if (batch->len == 0)
    {
      _sa_sync_engine_pull_start (self);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ops");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->len; i++)
    json_builder_add_value (builder, sa_outbox_entry_to_json (batch->pdata[i]));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  g_strfreev (self->push_op_ids);
  self->push_op_ids = g_new0 (char *, batch->len + 1);
  for (guint i = 0; i < batch->len; i++)
    self->push_op_ids[i] = g_strdup (((SaOutboxEntry *) batch->pdata[i])->op_id);

  g_debug ("Pushing %u operations", batch->len);
  g_clear_pointer (&self->push_body, json_node_unref);
  self->push_body = g_steal_pointer (&body);
  g_clear_pointer (&self->uploads, g_ptr_array_unref);
  self->uploads = files_to_upload (self, batch);
  upload_next (self);
}

void
_sa_sync_engine_push_next_batch (SaSyncEngine *self)
{
  gint64 before = g_get_real_time () / G_USEC_PER_SEC - self->undo_window;

  _sa_sync_engine_run_job_full (self, JOB_BEGIN_PUSH, NULL, before, NULL, begin_push_cb);
}
