/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-sync-engine"

#include "config.h"

#include "sa-sync-engine-private.h"

/* The engine's writes to the cache: each one a job on a worker thread,
 * one at a time and in order, so that the main loop never waits for the
 * disk; the next step runs on the main context, or the cycle fails. */

/* ------------------------------------------------------------------ */
/* Worker jobs: every write to the cache, one at a time, off the main loop */


static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->node, json_node_unref);
  g_strfreev (job->op_ids);
  g_free (job->message);
  g_free (job);
}

JsonArray *
_sa_sync_engine_node_member_array (JsonNode   *node,
                                   const char *member)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  if (member == NULL)
    return NULL;
  /* Typed: an answer with a non-array here is refused, not asserted on. */
  node = json_object_get_member (json_node_get_object (node), member);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SaSyncEngine *self = source_object;
  Job *job = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (job->kind)
    {
    case JOB_BEGIN_PUSH:
      {
        GPtrArray *batch = sa_cache_begin_push_before (self->cache, PUSH_BATCH, job->next,
                                                       &error);

        if (batch != NULL)
          g_task_return_pointer (task, batch, (GDestroyNotify)g_ptr_array_unref);
        else
          g_task_return_error (task, error);
        return;
      }

    case JOB_PUSH_FAILED:
      ok = sa_cache_mark_ops_failed (self->cache, (const char * const *) job->op_ids,
                                     job->message, &error);
      break;

    case JOB_PUSH_RESULTS:
      ok = sa_cache_apply_push_results (self->cache,
                                        _sa_sync_engine_node_member_array (job->node, "results"),
                                        &error);
      break;

    case JOB_CHANGES:
      ok = sa_cache_apply_changes (self->cache,
                                   _sa_sync_engine_node_member_array (job->node, "changes"),
                                   job->next, &error);
      break;

    case JOB_RESET:
      ok = sa_cache_reset (self->cache, &error);
      break;

    case JOB_DISTRICTS:
      ok = sa_cache_put_districts (self->cache, json_node_get_array (job->node), &error);
      break;

    default:
      g_assert_not_reached ();
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
_sa_sync_engine_run_job_full (SaSyncEngine        *self,
                              JobKind              kind,
                              JsonNode            *node,
                              gint64               next,
                              JobThen              then,
                              GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, callback, NULL);
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->node = node != NULL ? json_node_ref (node) : NULL;
  job->next = next;
  job->then = then;
  g_task_set_task_data (task, job, job_free);
  /* Writes must land in order even if cancelled half-way: the cache's own
   * transactions keep each one whole. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, job_thread);
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SaSyncEngine *self = SA_SYNC_ENGINE (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (_sa_sync_engine_stale (result))
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    _sa_sync_engine_cycle_fail (self, error);
  else
    job->then (self);
}

/* A write, then @then on the main context, or the cycle fails. */
void
_sa_sync_engine_run_job (SaSyncEngine *self,
                         JobKind       kind,
                         JsonNode     *node,
                         JobThen       then)
{
  _sa_sync_engine_run_job_full (self, kind, node, 0, then, job_done_cb);
}

/* The same, about some outbox entries. */
void
_sa_sync_engine_run_job_ops (SaSyncEngine *self,
                             JobKind       kind,
                             GStrv         op_ids,
                             const char   *message,
                             JobThen       then)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, job_done_cb, NULL);
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->then = then;
  job->op_ids = op_ids;
  job->message = g_strdup (message);
  g_task_set_task_data (task, job, job_free);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, job_thread);
}
