/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-sync-engine"

#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"
#include "sa-attachment-store.h"
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
