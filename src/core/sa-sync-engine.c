/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-sync-engine"

#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"
#include "sa-attachment-store.h"
#include "sa-feed-page.h"
#include "sa-push-message.h"
#include "sa-sync-engine-private.h"

/**
 * SECTION:sa-sync-engine
 * @title: SaSyncEngine
 * @short_description: keeps an account's cache in step with the registry
 *
 * One cycle pushes the outbox in batches (`POST /api/v1/ops`), then pulls
 * the change feed from the stored cursor in pages (`GET /api/v1/changes`),
 * then listens on the WebSocket (`/api/v1/events`) until the registry
 * hints at a newer sequence number or a local edit waits in the outbox.
 *
 * HTTP runs on the main context through SoupSession's async API; every
 * SQLite write runs on a worker thread (one at a time, in order), so the
 * main loop never waits for the disk. Feed pages are pipelined: the next
 * page is fetched while the previous one is written.
 *
 * Files go first: before a batch that attaches a file the desk holds and
 * the registry has not acknowledged (#SaAttachmentStore), the engine
 * uploads it, so the registry never sees an `attach` op before its file.
 *
 * Failures back off exponentially with jitter (1 s doubling to 5 min); a
 * GNetworkMonitor change retries at once. An expired access token is
 * refreshed with the refresh token, which the registry rotates: the new
 * one is announced by #SaSyncEngine::refresh-token-changed for the
 * Secret Service. A 410 drops the mirrored data, keeps the outbox and
 * pulls from zero. docs/sync.md has the whole contract.
 */

G_DEFINE_FINAL_TYPE (SaSyncEngine, sa_sync_engine, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_PENDING,
  PROP_ATTENTION,
  PROP_UNREADABLE,
  PROP_LAST_ERROR,
  PROP_LAST_SYNCED,
  PROP_LISTENING,
  N_PROPS
};

enum
{
  REFRESH_TOKEN_CHANGED,
  CYCLE_FINISHED,
  UPLOAD_PROGRESS,
  UPLOAD_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void cycle_begin       (SaSyncEngine *self,
                               gboolean      restart);
static void push_post         (SaSyncEngine *self);
static void upload_next       (SaSyncEngine *self);
static void pull_from_zero    (SaSyncEngine *self);
static void pull_fetch        (SaSyncEngine *self);
static void pull_maybe_apply  (SaSyncEngine *self);

void
_sa_sync_engine_notify_listening (SaSyncEngine *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTENING]);
}

void
_sa_sync_engine_emit_upload_progress (SaSyncEngine *self,
                                      const char   *sha256,
                                      guint64       done,
                                      guint64       total)
{
  g_signal_emit (self, signals[UPLOAD_PROGRESS], 0, sha256, done, total);
}

void
_sa_sync_engine_emit_upload_finished (SaSyncEngine *self,
                                      const char   *sha256,
                                      gboolean      uploaded)
{
  g_signal_emit (self, signals[UPLOAD_FINISHED], 0, sha256, uploaded);
}

void
_sa_sync_engine_feed_page_free (gpointer data)
{
  FeedPage *page = data;

  g_clear_pointer (&page->root, json_node_unref);
  g_free (page);
}

/* ------------------------------------------------------------------ */
/* Observable state */

static void
set_state (SaSyncEngine *self,
           SaSyncState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (SaSyncEngine *self,
                const char   *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

/* Lets the event channel go, closing it when it is still open. */
void
_sa_sync_engine_drop_events (SaSyncEngine *self)
{
  if (self->ws == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->ws, self);
  if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_clear_object (&self->ws);
  _sa_sync_engine_notify_listening (self);
}

void
_sa_sync_engine_update_counts (SaSyncEngine *self)
{
  guint pending = 0, attention = 0;
  gint64 unreadable;
  g_autoptr(GError) error = NULL;

  if (!sa_cache_count_outbox (self->cache, &pending, &attention, &error))
    {
      g_warning ("Could not count the outbox: %s", error->message);
      return;
    }
  if (pending != self->pending)
    {
      self->pending = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  if (attention != self->attention)
    {
      self->attention = attention;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION]);
    }
  /* Feed entries the cache set aside: the user must learn that something
   * the registry sent is not on the desk. */
  unreadable = sa_cache_count_unreadable (self->cache, &error);
  if (unreadable < 0)
    g_message ("Could not count the unreadable feed entries: %s", error->message);
  else if ((guint) unreadable != self->unreadable)
    {
      if ((guint) unreadable > self->unreadable)
        g_message ("%" G_GINT64_FORMAT " entries of the change feed could not be read and are "
                   "set aside in the cache", unreadable);
      self->unreadable = (guint) unreadable;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREADABLE]);
    }
}

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

/* ------------------------------------------------------------------ */
/* Calls */

void
_sa_sync_engine_call (SaSyncEngine        *self,
                      const char          *method,
                      const char          *path,
                      JsonNode            *body,
                      GAsyncReadyCallback  callback)
{
  self->requests++;
  sa_api_client_call_async (self->client, method, path, body, self->cancellable,
                            callback, g_object_ref (self));
}

/* An answer to a request of an earlier start (): stop() cancelled it,
 * and whatever it says must not steer the current cycle. */
gboolean
_sa_sync_engine_stale (GAsyncResult *result)
{
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

/* A 401 in the middle of a cycle: the access token expired early or was
 * revoked. Refresh once and start the cycle again; pushing twice is safe,
 * the op ids make it idempotent. Returns TRUE when it took over. */
gboolean
_sa_sync_engine_handle_unauthorized (SaSyncEngine *self,
                                     const GError *error)
{
  if (!g_error_matches (error, SA_API_ERROR, SA_API_ERROR_UNAUTHORIZED))
    return FALSE;
  if (self->refreshed)
    return FALSE;
  g_debug ("The registry refused the access token; refreshing it");
  _sa_sync_engine_drop_events (self);
  self->force_refresh = TRUE;
  self->cycle_active = FALSE;
  cycle_begin (self, TRUE);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Backoff and scheduling */

static gboolean
retry_cb (gpointer user_data)
{
  SaSyncEngine *self = user_data;

  self->retry_source = 0;
  _sa_sync_engine_cycle_start (self);
  return G_SOURCE_REMOVE;
}

void
_sa_sync_engine_schedule (SaSyncEngine *self,
                          guint         delay_ms)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (!self->running || self->network_down)
    return;
  self->retry_source = g_timeout_add (delay_ms, retry_cb, self);
}

/* Full jitter on the upper half: somewhere in [d/2, d], so that a
 * thousand desks coming back from one outage do not knock together. */
guint
_sa_sync_engine_backoff_delay (guint failures)
{
  guint64 delay = BACKOFF_FIRST_MS;

  for (guint i = 1; i < failures && delay < BACKOFF_MAX_MS; i++)
    delay *= 2;
  delay = MIN (delay, BACKOFF_MAX_MS);
  return (guint)(delay / 2 + g_random_int_range (0, (gint32)(delay / 2) + 1));
}

static void
cycle_finish (SaSyncEngine *self)
{
  self->cycle_active = FALSE;
  _sa_sync_engine_update_counts (self);
  g_signal_emit (self, signals[CYCLE_FINISHED], 0);
}

void
_sa_sync_engine_cycle_fail (SaSyncEngine *self,
                            const GError *error)
{
  gboolean offline;

  _sa_sync_engine_drop_events (self);

  set_last_error (self, error->message);
  if (g_error_matches (error, SA_API_ERROR, SA_API_ERROR_UNAUTHORIZED))
    {
      /* The refresh token itself was refused: only signing in helps. */
      g_message ("Sync stopped: %s", error->message);
      set_state (self, SA_SYNC_STATE_SIGNED_OUT);
      cycle_finish (self);
      return;
    }

  offline = g_error_matches (error, SA_API_ERROR, SA_API_ERROR_UNREACHABLE) ||
            g_error_matches (error, SA_API_ERROR, SA_API_ERROR_CERTIFICATE);
  self->failures++;
  g_debug ("Sync failed (%u in a row): %s", self->failures, error->message);
  set_state (self, offline ? SA_SYNC_STATE_OFFLINE : SA_SYNC_STATE_ERROR);
  self->again = FALSE;
  /* Without a network the next try waits for network-changed. */
  if (!self->network_down)
    _sa_sync_engine_schedule (self, _sa_sync_engine_backoff_delay (self->failures));
  cycle_finish (self);
}

void
_sa_sync_engine_cycle_succeed (SaSyncEngine *self)
{
  self->failures = 0;
  self->last_synced = g_get_real_time ();
  set_last_error (self, NULL);
  set_state (self, SA_SYNC_STATE_SYNCED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNCED]);
  cycle_finish (self);
  /* A handler of cycle-finished may have stopped the engine. */
  if (!self->running)
    return;

  if (self->again)
    {
      self->again = FALSE;
      _sa_sync_engine_cycle_start (self);
      return;
    }
  /* Edits still in their undo window go when it closes. */
  if (self->pending > 0 && self->retry_source == 0)
    _sa_sync_engine_schedule (self, self->undo_window * 1000 + 100);
  if (self->ws == NULL && !self->ws_connecting)
    _sa_sync_engine_events_connect (self);
}

/* ------------------------------------------------------------------ */
/* Pull */

static void
pull_done (SaSyncEngine *self)
{
  _sa_sync_engine_cycle_succeed (self);
}

static void
pull_settle (SaSyncEngine *self)
{
  g_autoptr(GError) error = NULL;

  if (self->fetching || self->applying)
    return;
  if (self->pull_error != NULL)
    {
      error = g_steal_pointer (&self->pull_error);
      g_queue_clear_full (&self->pages, _sa_sync_engine_feed_page_free);
      if (_sa_sync_engine_handle_unauthorized (self, error))
        return;
      _sa_sync_engine_cycle_fail (self, error);
      return;
    }
  if (self->fetch_done && g_queue_is_empty (&self->pages))
    pull_done (self);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SaSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *changes = NULL;
  gint64 next = 0;
  gboolean more = FALSE;
  FeedPage *page;

  if (_sa_sync_engine_stale (result))
    return;
  self->fetching = FALSE;
  root = sa_api_client_call_finish (SA_API_CLIENT (object), result, &error);
  if (root == NULL && g_error_matches (error, SA_API_ERROR, SA_API_ERROR_GONE) &&
      !self->reset_done && !self->applying && g_queue_is_empty (&self->pages))
    {
      /* The registry pruned what we would need: start from zero. The
       * outbox stays; sent operations go again and come back duplicate. */
      g_message ("The change feed expired our cursor; pulling everything again");
      self->reset_done = TRUE;
      _sa_sync_engine_run_job (self, JOB_RESET, NULL, pull_from_zero);
      return;
    }

  if (root != NULL)
    sa_feed_page_parse (root, &changes, &next, &more, &error);
  if (error != NULL)
    {
      if (self->pull_error == NULL)
        self->pull_error = g_steal_pointer (&error);
      pull_settle (self);
      return;
    }

  page = g_new0 (FeedPage, 1);
  page->root = g_steal_pointer (&root);
  page->next = next;
  page->more = more;
  /* A registry that says "more" without moving the cursor would spin us. */
  if (page->more && page->next <= self->fetch_since)
    page->more = FALSE;
  g_queue_push_tail (&self->pages, page);

  if (page->more)
    {
      self->fetch_since = page->next;
      if (g_queue_get_length (&self->pages) < FEED_QUEUE_MAX)
        pull_fetch (self);
    }
  else
    self->fetch_done = TRUE;

  pull_maybe_apply (self);
}

static void
pull_fetch (SaSyncEngine *self)
{
  g_autofree char *path = NULL;

  path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%d",
                          self->fetch_since, FEED_PAGE);
  self->fetching = TRUE;
  _sa_sync_engine_call (self, "GET", path, NULL, fetch_cb);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaSyncEngine *self = SA_SYNC_ENGINE (object);
  g_autoptr(GError) error = NULL;

  if (_sa_sync_engine_stale (result))
    return;
  self->applying = FALSE;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    self->cursor = ((Job *) g_task_get_task_data (G_TASK (result)))->next;
  else
    {
      if (self->pull_error == NULL)
        self->pull_error = g_steal_pointer (&error);
      g_queue_clear_full (&self->pages, _sa_sync_engine_feed_page_free);
      pull_settle (self);
      return;
    }

  /* Room in the queue again: resume fetching. */
  if (self->pull_error == NULL && !self->fetching && !self->fetch_done &&
      g_queue_get_length (&self->pages) < FEED_QUEUE_MAX)
    pull_fetch (self);
  pull_maybe_apply (self);
  pull_settle (self);
}

static void
pull_maybe_apply (SaSyncEngine *self)
{
  FeedPage *page;

  if (self->applying || self->pull_error != NULL || g_queue_is_empty (&self->pages))
    return;
  page = g_queue_pop_head (&self->pages);
  /* An empty page that does not move the cursor needs no write. */
  if (json_array_get_length (_sa_sync_engine_node_member_array (page->root, "changes")) == 0 &&
      page->next == self->cursor)
    {
      _sa_sync_engine_feed_page_free (page);
      pull_settle (self);
      return;
    }
  self->applying = TRUE;
  _sa_sync_engine_run_job_full (self, JOB_CHANGES, page->root, page->next, NULL, apply_cb);
  _sa_sync_engine_feed_page_free (page);
}

static void
districts_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SaSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items = NULL;

  if (_sa_sync_engine_stale (result))
    return;
  root = sa_api_client_call_finish (SA_API_CLIENT (object), result, &error);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    items = json_object_get_array_member (json_node_get_object (root), "districts");
  else if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    items = json_node_get_array (root);
  if (root != NULL && items == NULL)
    error = g_error_new (SA_API_ERROR, SA_API_ERROR_PROTOCOL,
                         "The registry's district list is not a list");
  if (error != NULL)
    {
      if (!_sa_sync_engine_handle_unauthorized (self, error))
        _sa_sync_engine_cycle_fail (self, error);
      return;
    }

  {
    g_autoptr(JsonNode) array = json_node_init_array (json_node_alloc (), items);
    _sa_sync_engine_run_job (self, JOB_DISTRICTS, array, pull_fetch);
  }
}

/* After a reset the cache's cursor is 0 again. */
static void
pull_from_zero (SaSyncEngine *self)
{
  self->cursor = 0;
  _sa_sync_engine_pull_start (self);
}

void
_sa_sync_engine_pull_start (SaSyncEngine *self)
{
  g_queue_clear_full (&self->pages, _sa_sync_engine_feed_page_free);
  g_clear_error (&self->pull_error);
  self->fetch_since = self->cursor;
  self->fetch_done = FALSE;
  self->fetching = FALSE;
  self->applying = FALSE;

  /* Districts are not in the feed: fetch them with a first sync. */
  if (self->fetch_since == 0)
    _sa_sync_engine_call (self, "GET", "/api/v1/districts", NULL, districts_cb);
  else
    pull_fetch (self);
}

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

/* ------------------------------------------------------------------ */
/* The cycle */

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SaSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  const char *token;

  if (_sa_sync_engine_stale (result))
    return;
  answer = sa_api_client_auth_finish (SA_API_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      _sa_sync_engine_cycle_fail (self, error);
      return;
    }

  token = json_object_get_string_member (answer, "refresh_token");
  g_free (self->refresh_token);
  self->refresh_token = g_strdup (token);
  g_signal_emit (self, signals[REFRESH_TOKEN_CHANGED], 0, token);
  _sa_sync_engine_push_next_batch (self);
}

static gboolean
needs_refresh (SaSyncEngine *self)
{
  gint64 due;

  if (self->force_refresh)
    return TRUE;
  if (sa_api_client_get_access_token (self->client) == NULL)
    return TRUE;
  due = sa_api_client_get_refresh_due (self->client);
  return due != 0 && due <= g_get_monotonic_time ();
}

/* @restart: the same cycle again after a refused access token, which
 * may refresh only once. */
static void
cycle_begin (SaSyncEngine *self,
             gboolean      restart)
{
  if (!self->running || self->state == SA_SYNC_STATE_SIGNED_OUT)
    return;
  if (self->cycle_active)
    {
      self->again = TRUE;
      return;
    }
  g_clear_handle_id (&self->retry_source, g_source_remove);

  self->cycle_active = TRUE;
  if (!restart)
    {
      self->refreshed = FALSE;
      self->reset_done = FALSE;
    }
  set_state (self, SA_SYNC_STATE_SYNCING);

  if (needs_refresh (self))
    {
      if (self->refresh_token == NULL)
        {
          g_autoptr(GError) error =
            g_error_new (SA_API_ERROR, SA_API_ERROR_UNAUTHORIZED, "Not signed in");
          _sa_sync_engine_cycle_fail (self, error);
          return;
        }
      self->refreshed = TRUE;
      self->force_refresh = FALSE;
      self->requests++;
      sa_api_client_refresh_async (self->client, self->refresh_token, self->cancellable,
                                   refresh_cb, g_object_ref (self));
      return;
    }
  _sa_sync_engine_push_next_batch (self);
}

void
_sa_sync_engine_cycle_start (SaSyncEngine *self)
{
  cycle_begin (self, FALSE);
}

/* ------------------------------------------------------------------ */
/* Listening */

static void
events_message_cb (SoupWebsocketConnection *ws,
                   gint                     type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  SaSyncEngine *self = user_data;
  SaPushMessage m = { NULL, -1, NULL, NULL };
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  /* The registry's reader too: strict JSON, typed members, no CRITICAL
   * on whatever arrives. */
  if (type == SOUP_WEBSOCKET_DATA_TEXT && sa_push_message_parse (data, len, &m, NULL) &&
      (strcmp (m.type, "changes") == 0 || strcmp (m.type, "ready") == 0) && m.seq > self->cursor)
    _sa_sync_engine_cycle_start (self);
  sa_push_message_clear (&m);
}

static void
events_closed_cb (SoupWebsocketConnection *ws,
                  gpointer                 user_data)
{
  SaSyncEngine *self = user_data;

  g_debug ("The registry's event channel closed (%u)",
           soup_websocket_connection_get_close_code (ws));
  if (self->ws != ws)
    return;
  _sa_sync_engine_drop_events (self);
  /* Reconnect after a pull; if the registry went away that pull fails
   * and backs off. */
  if (self->running && !self->cycle_active && self->retry_source == 0)
    _sa_sync_engine_schedule (self, _sa_sync_engine_backoff_delay (1));
}

static void
events_connect_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SaSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws;

  ws = sa_api_client_connect_events_finish (SA_API_CLIENT (object), result, &error);
  if (_sa_sync_engine_stale (result))
    {
      if (ws != NULL)
        soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&ws);
      return;
    }
  self->ws_connecting = FALSE;
  if (ws == NULL && g_error_matches (error, SA_API_ERROR, SA_API_ERROR_UNREACHABLE))
    {
      /* The registry went away since the pull: say so, and back off. */
      if (self->running && !self->cycle_active)
        _sa_sync_engine_cycle_fail (self, error);
      return;
    }
  if (ws == NULL)
    {
      /* No push channel: poll now and then instead. */
      g_debug ("No event channel (%s); polling every %d s", error->message, POLL_SECONDS);
      if (self->running && self->retry_source == 0)
        _sa_sync_engine_schedule (self, POLL_SECONDS * 1000);
      return;
    }

  _sa_sync_engine_drop_events (self);
  self->ws = ws;
  soup_websocket_connection_set_keepalive_interval (ws, 30);
  g_signal_connect (ws, "message", G_CALLBACK (events_message_cb), self);
  g_signal_connect (ws, "closed", G_CALLBACK (events_closed_cb), self);
  _sa_sync_engine_notify_listening (self);
}

void
_sa_sync_engine_events_connect (SaSyncEngine *self)
{
  self->ws_connecting = TRUE;
  self->requests++;
  sa_api_client_connect_events_async (self->client, self->cancellable, events_connect_cb,
                                      g_object_ref (self));
}

/* ------------------------------------------------------------------ */
/* Triggers */

static void
appeals_changed_cb (SaCache      *cache,
                    char        **ids,
                    SaSyncEngine *self)
{
  guint before = self->pending;

  _sa_sync_engine_update_counts (self);
  /* A local edit: push it once its undo window closes. Feed pages and
   * push results change appeals too, but never add to the outbox. */
  if (!self->running)
    return;
  if (self->pending > before || (!self->cycle_active && self->pending > 0))
    {
      /* Leave the user the toast's time to undo it. */
      if (self->undo_window == 0)
        _sa_sync_engine_cycle_start (self);
      else
        _sa_sync_engine_schedule (self, self->undo_window * 1000 + 100);
    }
}

static void
can_reach_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SaSyncEngine) self = user_data;
  gboolean reachable;

  reachable = g_network_monitor_can_reach_finish (G_NETWORK_MONITOR (object), result, NULL);
  if (reachable || !self->running || self->state == SA_SYNC_STATE_SIGNED_OUT)
    return;
  /* Wait for the network to come back rather than burn retries; a cycle
   * on its way fails by itself and schedules nothing. */
  self->network_down = TRUE;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->cycle_active)
    return;
  _sa_sync_engine_drop_events (self);
  set_state (self, SA_SYNC_STATE_OFFLINE);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    SaSyncEngine    *self)
{
  if (!self->running)
    return;
  g_debug ("Network %s", available ? "available" : "gone");
  if (available)
    {
      /* Whatever the back-off said, try at once. */
      self->network_down = FALSE;
      self->failures = 0;
      if (self->state != SA_SYNC_STATE_SYNCED || self->ws == NULL)
        _sa_sync_engine_cycle_start (self);
    }
  else
    {
      g_autoptr(GSocketConnectable) registry =
        g_network_address_parse_uri (sa_api_client_get_base_url (self->client), 443, NULL);

      /* Loopback and the local network may still reach the registry. */
      if (registry != NULL)
        g_network_monitor_can_reach_async (monitor, registry, self->cancellable,
                                           can_reach_cb, g_object_ref (self));
    }
}

/* ------------------------------------------------------------------ */
/* GObject */

static void
sa_sync_engine_dispose (GObject *object)
{
  SaSyncEngine *self = SA_SYNC_ENGINE (object);

  sa_sync_engine_stop (self);
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->monitor_handler, self->monitor);
  if (self->cache != NULL)
    g_clear_signal_handler (&self->cache_handler, self->cache);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (sa_sync_engine_parent_class)->dispose (object);
}

static void
sa_sync_engine_finalize (GObject *object)
{
  SaSyncEngine *self = SA_SYNC_ENGINE (object);

  g_queue_clear_full (&self->pages, _sa_sync_engine_feed_page_free);
  g_clear_error (&self->pull_error);
  g_clear_error (&self->push_error);
  g_clear_pointer (&self->push_op_ids, g_strfreev);
  g_clear_object (&self->cache);
  g_clear_object (&self->client);
  g_clear_pointer (&self->refresh_token, g_free);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->uploads, g_ptr_array_unref);
  g_clear_pointer (&self->push_body, json_node_unref);

  G_OBJECT_CLASS (sa_sync_engine_parent_class)->finalize (object);
}

static void
sa_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SaSyncEngine *self = SA_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;

    case PROP_ATTENTION:
      g_value_set_uint (value, self->attention);
      break;

    case PROP_UNREADABLE:
      g_value_set_uint (value, self->unreadable);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;

    case PROP_LAST_SYNCED:
      g_value_set_int64 (value, self->last_synced);
      break;

    case PROP_LISTENING:
      g_value_set_boolean (value, self->ws != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_sync_engine_class_init (SaSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sa_sync_engine_dispose;
  object_class->finalize = sa_sync_engine_finalize;
  object_class->get_property = sa_sync_engine_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SA_TYPE_SYNC_STATE, SA_SYNC_STATE_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ATTENTION] =
    g_param_spec_uint ("attention", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SaSyncEngine:unreadable:
   *
   * How many entries of the change feed the desk could not read. They did
   * not stop the sync; they are kept in the cache (sa_cache_count_unreadable())
   * until the registry sends a readable version.
   */
  properties[PROP_UNREADABLE] =
    g_param_spec_uint ("unreadable", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNCED] =
    g_param_spec_int64 ("last-synced", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LISTENING] =
    g_param_spec_boolean ("listening", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SaSyncEngine::refresh-token-changed:
   * @self: the engine
   * @token: the new refresh token
   *
   * The registry rotated the refresh token: store @token in the Secret
   * Service, the old one no longer works.
   */
  signals[REFRESH_TOKEN_CHANGED] =
    g_signal_new ("refresh-token-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * SaSyncEngine::cycle-finished:
   * @self: the engine
   *
   * A sync cycle ended, in success (#SaSyncEngine:state is synced) or not.
   */
  signals[CYCLE_FINISHED] =
    g_signal_new ("cycle-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * SaSyncEngine::upload-progress:
   * @self: the engine
   * @sha256: the file on its way
   * @done: bytes sent
   * @total: the file's size (0 before the upload knows it)
   *
   * A file attached on this desk goes to the registry.
   */
  signals[UPLOAD_PROGRESS] =
    g_signal_new ("upload-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT64,
                  G_TYPE_UINT64);

  /**
   * SaSyncEngine::upload-finished:
   * @self: the engine
   * @sha256: the file
   * @uploaded: whether the registry has it now; %FALSE when it waits for
   *   the next cycle (offline) or was refused
   */
  signals[UPLOAD_FINISHED] =
    g_signal_new ("upload-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
sa_sync_engine_init (SaSyncEngine *self)
{
  g_queue_init (&self->pages);
}

/**
 * sa_sync_engine_new:
 * @cache: the account's cache
 * @client: the registry client, signed in or not
 * @refresh_token: (nullable): the stored refresh token
 *
 * Returns: (transfer full): a stopped engine
 */
SaSyncEngine *
sa_sync_engine_new (SaCache     *cache,
                    SaApiClient *client,
                    const char  *refresh_token)
{
  SaSyncEngine *self;

  g_return_val_if_fail (SA_IS_CACHE (cache), NULL);
  g_return_val_if_fail (SA_IS_API_CLIENT (client), NULL);

  self = g_object_new (SA_TYPE_SYNC_ENGINE, NULL);
  self->cache = g_object_ref (cache);
  self->client = g_object_ref (client);
  self->refresh_token = g_strdup (refresh_token);
  self->cursor = sa_cache_get_cursor (cache);
  self->undo_window = UNDO_WINDOW;
  self->store = sa_attachment_store_new_for_cache (cache);
  self->cache_handler = g_signal_connect (cache, "appeals-changed",
                                          G_CALLBACK (appeals_changed_cb), self);
  sa_api_client_set_timeout (client, DEFAULT_TIMEOUT);
  sa_sync_engine_set_network_monitor (self, g_network_monitor_get_default ());
  _sa_sync_engine_update_counts (self);
  return self;
}

SaCache *
sa_sync_engine_get_cache (SaSyncEngine *self)
{
  g_return_val_if_fail (SA_IS_SYNC_ENGINE (self), NULL);
  return self->cache;
}

/**
 * sa_sync_engine_get_client:
 * @self: a #SaSyncEngine
 *
 * Returns: (transfer none): the registry client the engine signs in with,
 *   for the desk's downloads
 */
SaApiClient *
sa_sync_engine_get_client (SaSyncEngine *self)
{
  g_return_val_if_fail (SA_IS_SYNC_ENGINE (self), NULL);
  return self->client;
}

/**
 * sa_sync_engine_get_attachment_store:
 * @self: a #SaSyncEngine
 *
 * Returns: (transfer none): the store of the account's files
 */
SaAttachmentStore *
sa_sync_engine_get_attachment_store (SaSyncEngine *self)
{
  g_return_val_if_fail (SA_IS_SYNC_ENGINE (self), NULL);
  return self->store;
}

/**
 * sa_sync_engine_set_network_monitor:
 * @self: a #SaSyncEngine
 * @monitor: the monitor to follow (tests give their own)
 */
void
sa_sync_engine_set_network_monitor (SaSyncEngine    *self,
                                    GNetworkMonitor *monitor)
{
  g_return_if_fail (SA_IS_SYNC_ENGINE (self));
  g_return_if_fail (G_IS_NETWORK_MONITOR (monitor));

  if (self->monitor != NULL)
    g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_set_object (&self->monitor, monitor);
  self->monitor_handler = g_signal_connect (monitor, "network-changed",
                                            G_CALLBACK (network_changed_cb), self);
}

/**
 * sa_sync_engine_set_timeout:
 * @self: a #SaSyncEngine
 * @seconds: how long to wait for a silent registry before backing off
 */
void
sa_sync_engine_set_timeout (SaSyncEngine *self,
                            guint         seconds)
{
  g_return_if_fail (SA_IS_SYNC_ENGINE (self));
  sa_api_client_set_timeout (self->client, seconds);
}

/**
 * sa_sync_engine_set_undo_window:
 * @self: a #SaSyncEngine
 * @seconds: how long a new local edit waits before it is pushed (default 5)
 *
 * An edit may be undone until it is sent; this is the user's time for it.
 */
void
sa_sync_engine_set_undo_window (SaSyncEngine *self,
                                guint         seconds)
{
  g_return_if_fail (SA_IS_SYNC_ENGINE (self));
  self->undo_window = seconds;
}

/**
 * sa_sync_engine_start:
 * @self: a #SaSyncEngine
 *
 * Starts syncing now and keeps at it until sa_sync_engine_stop().
 */
void
sa_sync_engine_start (SaSyncEngine *self)
{
  g_return_if_fail (SA_IS_SYNC_ENGINE (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->failures = 0;
  self->cancellable = g_cancellable_new ();
  if (self->state == SA_SYNC_STATE_SIGNED_OUT)
    set_state (self, SA_SYNC_STATE_STOPPED);
  _sa_sync_engine_cycle_start (self);
}

/**
 * sa_sync_engine_stop:
 * @self: a #SaSyncEngine
 *
 * Cancels what is on its way. An operation already sent stays "sent" and
 * goes again at the next start; the registry knows it by its id.
 */
void
sa_sync_engine_stop (SaSyncEngine *self)
{
  g_return_if_fail (SA_IS_SYNC_ENGINE (self));

  if (!self->running)
    return;
  self->running = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  _sa_sync_engine_drop_events (self);
  self->ws_connecting = FALSE;
  self->again = FALSE;
  self->cycle_active = FALSE;
  self->fetching = self->applying = FALSE;
  g_queue_clear_full (&self->pages, _sa_sync_engine_feed_page_free);
  g_clear_error (&self->pull_error);
  if (self->state != SA_SYNC_STATE_SIGNED_OUT)
    set_state (self, SA_SYNC_STATE_STOPPED);
}

/**
 * sa_sync_engine_sync_now:
 * @self: a #SaSyncEngine
 *
 * Syncs at once, whatever the back-off says (a "Sync now" button, a
 * network that came back).
 */
void
sa_sync_engine_sync_now (SaSyncEngine *self)
{
  g_return_if_fail (SA_IS_SYNC_ENGINE (self));

  /* The user asks: try even if the monitor thinks there is no network. */
  self->network_down = FALSE;
  self->failures = 0;
  _sa_sync_engine_cycle_start (self);
}

SaSyncState
sa_sync_engine_get_state (SaSyncEngine *self)
{
  g_return_val_if_fail (SA_IS_SYNC_ENGINE (self), SA_SYNC_STATE_STOPPED);
  return self->state;
}

guint
sa_sync_engine_get_pending (SaSyncEngine *self)
{
  g_return_val_if_fail (SA_IS_SYNC_ENGINE (self), 0);
  return self->pending;
}

guint
sa_sync_engine_get_attention (SaSyncEngine *self)
{
  g_return_val_if_fail (SA_IS_SYNC_ENGINE (self), 0);
  return self->attention;
}

guint
sa_sync_engine_get_unreadable (SaSyncEngine *self)
{
  g_return_val_if_fail (SA_IS_SYNC_ENGINE (self), 0);
  return self->unreadable;
}

const char *
sa_sync_engine_get_last_error (SaSyncEngine *self)
{
  g_return_val_if_fail (SA_IS_SYNC_ENGINE (self), NULL);
  return self->last_error;
}

gint64
sa_sync_engine_get_last_synced (SaSyncEngine *self)
{
  g_return_val_if_fail (SA_IS_SYNC_ENGINE (self), 0);
  return self->last_synced;
}

/**
 * sa_sync_engine_get_request_count:
 * @self: a #SaSyncEngine
 *
 * Returns: how many requests the engine made, for tests and benchmarks
 */
guint
sa_sync_engine_get_request_count (SaSyncEngine *self)
{
  g_return_val_if_fail (SA_IS_SYNC_ENGINE (self), 0);
  return self->requests;
}

gboolean
sa_sync_engine_get_listening (SaSyncEngine *self)
{
  g_return_val_if_fail (SA_IS_SYNC_ENGINE (self), FALSE);
  return self->ws != NULL;
}
