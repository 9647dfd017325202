/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-sync-engine"

#include "config.h"

#include "sa-push-message.h"
#include "sa-sync-engine-private.h"

/* Listening: the WebSocket on /api/v1/events, whose hints of a newer
 * sequence number start a cycle. */

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
