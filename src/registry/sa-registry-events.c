/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-events"

#include "config.h"

#include <string.h>

#include "sa-push-message.h"
#include "sa-registry-private.h"
#include "sa-registry-store.h"

/* Push: a WebSocket at /api/v1/events that tells each signed-in client
 * "the feed has something new for you, pull" — never the data itself, so
 * the rights stay where the feed enforces them. The token comes in the
 * upgrade request's Authorization header, or in a first message
 * {"type":"auth","token":…} for clients that cannot set headers; never in
 * the URL, where proxies and access logs would keep it.
 *
 * Cost: a commit that adds to the feed is judged once, not once per
 * client. Clients are grouped by what decides their rights (role and
 * agency: an "audience"); one statement finds, for the new feed entries
 * only, the newest one each audience may see, with the feed's own rule
 * (sa_store_feed_audiences_newest(), beside the feed's own read in
 * sa-registry-store-feed.c), and only those audiences' clients
 * are told. 500 listening desks cost one query per change, not 500 scans.
 *
 * Flow control: each client gets at most one "changes" message per
 * coalescing window. What we sent since the client last showed it reads
 * (a Pong to libsoup's keepalive Ping, or any message from it) is counted;
 * past the bound, or after three keepalive periods of silence, the client
 * is closed with 1008 rather than buffered forever. */

#define CLOSE_UNAUTHORIZED      4401
#define DEFAULT_AUTH_TIMEOUT_MS 5000
#define DEFAULT_COALESCE_MS     100
#define DEFAULT_KEEPALIVE_S     30
#define DEFAULT_MAX_UNACKED     (64 * 1024)
#define MAX_INCOMING            4096
#define SILENT_PERIODS          3
/* The shortest gap between two judgements of the feed: a busy intake
 * gateway's commits are judged together. */
#define DISPATCH_GAP_US         (20 * 1000)

typedef struct _Events Events;

/* The clients whose rights are the same: users of one role and agency. */
typedef struct
{
  char      *key;                       /* role "\n" agency */
  char      *role;
  char      *agency;
  GPtrArray *clients;                   /* Client, not owned */
} Audience;

typedef struct
{
  Events                  *events;
  SoupWebsocketConnection *conn;
  SaRegistryUser          *user;        /* NULL until signed in */
  Audience                *audience;    /* NULL until signed in */
  char                    *token;       /* re-checked on every keepalive tick */
  gint64                   seq;         /* the client was told up to here */
  gint64                   pending;     /* the newest entry for it not told yet */
  gint64                   last_heard_us;
  gsize                    unacked;
  gboolean                 closing;
  guint                    auth_timeout_id;
  gint64                   window_until_us; /* the coalescing window */
  gboolean                 waiting;     /* for its window to end, in events->waiting */
} Client;

struct _Events
{
  SaRegistryServer *server;   /* not a reference: the server owns us */
  SaRegistryDb     *db;
  GPtrArray        *clients;
  GHashTable       *audiences;          /* key → Audience */
  char             *audiences_json;     /* [[role, agency], …], NULL when to be rebuilt */
  gint64            judged;             /* feed entries up to here are judged */
  gint64            head;               /* the newest feed entry committed */
  gint64            last_dispatch_us;
  guint             dispatch_id;
  guint             tick_id;            /* one keepalive timer for all: a source per
                                         * socket costs every main loop iteration */
  GPtrArray        *waiting;            /* Client whose hint waits for its window */
  guint             flush_id;           /* one timer for all their windows */
  gulong            feed_changed_id;
  guint             auth_timeout_ms;
  guint             coalesce_ms;
  guint             keepalive_s;
  gsize             max_unacked;
};

static const char events_key[] = "sa-registry-events";

static void
audience_free (gpointer data)
{
  Audience *a = data;

  g_ptr_array_unref (a->clients);
  g_free (a->key);
  g_free (a->role);
  g_free (a->agency);
  g_free (a);
}

static void
audience_join (Events *ev,
               Client *c)
{
  g_autofree char *key = g_strconcat (sa_role_to_string (c->user->role), "\n",
                                     c->user->agency, NULL);
  Audience *a = g_hash_table_lookup (ev->audiences, key);

  if (a == NULL)
    {
      a = g_new0 (Audience, 1);
      a->key = g_steal_pointer (&key);
      a->role = g_strdup (sa_role_to_string (c->user->role));
      a->agency = g_strdup (c->user->agency);
      a->clients = g_ptr_array_new ();
      g_hash_table_insert (ev->audiences, a->key, a);
      g_clear_pointer (&ev->audiences_json, g_free);
    }
  g_ptr_array_add (a->clients, c);
  c->audience = a;
}

static void
audience_leave (Events *ev,
                Client *c)
{
  Audience *a = c->audience;

  if (a == NULL)
    return;
  c->audience = NULL;
  g_ptr_array_remove_fast (a->clients, c);
  if (a->clients->len == 0)
    {
      g_hash_table_remove (ev->audiences, a->key);
      g_clear_pointer (&ev->audiences_json, g_free);
    }
}

static const char *
audiences_json (Events *ev)
{
  GHashTableIter iter;
  Audience *a;
  GString *out;

  if (ev->audiences_json != NULL)
    return ev->audiences_json;
  out = g_string_new ("[");
  g_hash_table_iter_init (&iter, ev->audiences);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    {
      if (out->len > 1)
        g_string_append_c (out, ',');
      g_string_append_c (out, '[');
      _sa_registry_json_append_string (out, a->role);
      g_string_append_c (out, ',');
      _sa_registry_json_append_string (out, a->agency);
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, ']');
  ev->audiences_json = g_string_free (out, FALSE);
  return ev->audiences_json;
}

static void
client_free (Client *c)
{
  g_clear_handle_id (&c->auth_timeout_id, g_source_remove);
  if (c->waiting)
    g_ptr_array_remove_fast (c->events->waiting, c);
  g_signal_handlers_disconnect_by_data (c->conn, c);
  g_clear_object (&c->conn);
  g_clear_pointer (&c->user, sa_registry_user_free);
  if (c->token != NULL)
    memset (c->token, 0, strlen (c->token));
  g_free (c->token);
  g_free (c);
}

static void
client_close (Client     *c,
              gushort     code,
              const char *reason)
{
  if (c->closing)
    return;
  c->closing = TRUE;
  g_clear_handle_id (&c->auth_timeout_id, g_source_remove);
  if (code != CLOSE_UNAUTHORIZED)
    g_debug ("Closing the events socket of %s: %s",
             c->user != NULL ? c->user->login : "-", reason);
  if (soup_websocket_connection_get_state (c->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (c->conn, code, reason);
}

static void
client_send (Client     *c,
             const char *text)
{
  if (c->closing || soup_websocket_connection_get_state (c->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  soup_websocket_connection_send_text (c->conn, text);
  /* Payload plus the frame header a server writes for a short frame. */
  c->unacked += strlen (text) + 4;
  if (c->unacked > c->events->max_unacked)
    client_close (c, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                  "too slow: messages are not being read");
}

static void
client_send_changes (Client *c)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"changes\",\"seq\":%" G_GINT64_FORMAT
                                           "}", c->pending);

  c->seq = c->pending;
  c->window_until_us = g_get_monotonic_time () + c->events->coalesce_ms * 1000;
  client_send (c, text);
}

/* The clients whose window ended get what came meanwhile, as one message.
 * One timer for all: a source per client would cost every iteration. */
static gboolean
events_flush (gpointer user_data)
{
  Events *ev = user_data;
  gint64 now = g_get_monotonic_time ();

  for (guint i = ev->waiting->len; i > 0; i--)
    {
      Client *c = ev->waiting->pdata[i - 1];

      if (!c->closing && now < c->window_until_us)
        continue;
      c->waiting = FALSE;
      g_ptr_array_remove_index_fast (ev->waiting, i - 1);
      if (!c->closing && c->pending > c->seq)
        client_send_changes (c);
    }
  if (ev->waiting->len > 0)
    return G_SOURCE_CONTINUE;
  ev->flush_id = 0;
  return G_SOURCE_REMOVE;
}

/* Feed entry @seq is the newest new one that @c may see: told at once,
 * or when the client's window ends. */
static void
client_notify (Client *c,
               gint64  seq)
{
  Events *ev = c->events;

  if (c->closing || seq <= c->seq || seq <= c->pending)
    return;
  c->pending = seq;
  if (c->waiting)
    return;
  if (g_get_monotonic_time () >= c->window_until_us)
    {
      client_send_changes (c);
      return;
    }
  c->waiting = TRUE;
  g_ptr_array_add (ev->waiting, c);
  if (ev->flush_id == 0)
    ev->flush_id = g_timeout_add (MAX (ev->coalesce_ms / 4, 1), events_flush, ev);
}

/* Judges the feed entries committed since the last time, once for each
 * audience, and tells the clients of the audiences that may see one. */
static gboolean
dispatch (gpointer user_data)
{
  Events *ev = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) news = NULL;
  gint64 head = ev->head;

  ev->dispatch_id = 0;
  ev->last_dispatch_us = g_get_monotonic_time ();
  if (head <= ev->judged || g_hash_table_size (ev->audiences) == 0)
    {
      ev->judged = MAX (ev->judged, head);
      return G_SOURCE_REMOVE;
    }

  news = sa_store_feed_audiences_newest (ev->db, ev->judged, head, audiences_json (ev), &error);
  if (news == NULL)
    {
      g_warning ("Cannot judge the feed for the events sockets: %s", error->message);
      return G_SOURCE_REMOVE;
    }
  ev->judged = head;
  for (guint n = 0; n < news->len; n++)
    {
      SaStoreAudienceNews *item = g_ptr_array_index (news, n);
      g_autofree char *key = g_strconcat (item->role, "\n", item->agency, NULL);
      Audience *a = g_hash_table_lookup (ev->audiences, key);

      for (guint i = 0; a != NULL && i < a->clients->len; i++)
        client_notify (g_ptr_array_index (a->clients, i), item->seq);
    }
  return G_SOURCE_REMOVE;
}

static void
on_feed_changed (SaRegistryDb *db,
                 gint64        seq,
                 gpointer      user_data)
{
  Events *ev = user_data;
  gint64 wait_us;

  ev->head = MAX (ev->head, seq);
  /* Nobody listens: nothing to judge later either. */
  if (g_hash_table_size (ev->audiences) == 0)
    {
      ev->judged = ev->head;
      return;
    }
  if (ev->dispatch_id != 0)
    return;
  /* The work runs from the main loop, after the request that committed
   * has been answered. */
  wait_us = ev->last_dispatch_us + DISPATCH_GAP_US - g_get_monotonic_time ();
  ev->dispatch_id = g_timeout_add (wait_us > 0 ? (guint) (wait_us / 1000) : 0, dispatch, ev);
}

static void
client_tick (Client *c)
{
  g_autoptr(SaRegistryUser) user = NULL;
  gint64 silent_us = g_get_monotonic_time () - c->last_heard_us;

  user = _sa_registry_auth_resolve (c->events->db, c->token);
  if (user == NULL)
    {
      client_close (c, CLOSE_UNAUTHORIZED, "the access token expired or was revoked");
      return;
    }
  if (silent_us > (gint64) SILENT_PERIODS * c->events->keepalive_s * G_USEC_PER_SEC)
    {
      client_close (c, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                    "too slow: no answer to keepalive pings");
      return;
    }
  /* libsoup's Ping frames are invisible to a browser's script; this lets
   * any client tell a dead connection from a quiet one. */
  client_send (c, "{\"type\":\"ping\"}");
}

static gboolean
events_tick (gpointer user_data)
{
  Events *ev = user_data;

  /* Backwards: a client closed here may leave the array, and the one moved
   * into its place has had its tick already. */
  for (guint i = ev->clients->len; i > 0; i--)
    {
      Client *c = g_ptr_array_index (ev->clients, i - 1);

      if (c->user != NULL && !c->closing)
        client_tick (c);
    }
  return G_SOURCE_CONTINUE;
}

static void
client_sign_in (Client     *c,
                const char *token)
{
  g_autofree char *ready = NULL;

  c->user = _sa_registry_auth_resolve (c->events->db, token);
  if (c->user == NULL)
    {
      client_close (c, CLOSE_UNAUTHORIZED, "unauthorized: the access token is invalid");
      return;
    }
  g_clear_handle_id (&c->auth_timeout_id, g_source_remove);
  c->token = g_strdup (token);
  c->seq = sa_store_feed_head (c->events->db);
  c->pending = c->seq;
  audience_join (c->events, c);
  ready = g_strdup_printf ("{\"type\":\"ready\",\"seq\":%" G_GINT64_FORMAT "}", c->seq);
  client_send (c, ready);
}

static gboolean
on_auth_timeout (gpointer user_data)
{
  Client *c = user_data;

  c->auth_timeout_id = 0;
  client_close (c, CLOSE_UNAUTHORIZED, "unauthorized: send the access token");
  return G_SOURCE_REMOVE;
}

static void
on_message (SoupWebsocketConnection *conn,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            gpointer                 user_data)
{
  Client *c = user_data;
  SaPushMessage m = { NULL, -1, NULL, NULL };
  const char *kind = NULL;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  c->last_heard_us = g_get_monotonic_time ();
  c->unacked = 0;

  /* The same reader as the client's: strict JSON, typed members. */
  if (type == SOUP_WEBSOCKET_DATA_TEXT && sa_push_message_parse (data, len, &m, NULL))
    kind = m.type;

  if (c->user == NULL)
    {
      if (g_strcmp0 (kind, "auth") != 0 || m.token == NULL)
        client_close (c, CLOSE_UNAUTHORIZED, "unauthorized: the first message must be auth");
      else
        client_sign_in (c, m.token);
      sa_push_message_clear (&m);
      return;
    }

  if (g_strcmp0 (kind, "ping") == 0)
    client_send (c, "{\"type\":\"pong\"}");
  else if (g_strcmp0 (kind, "pong") == 0 || g_strcmp0 (kind, "auth") == 0)
    ;
  else
    /* "call" is reserved for call signalling, not served yet. */
    client_send (c, "{\"type\":\"error\",\"code\":\"unsupported\",\"message\":"
                    "\"This message type is not supported.\"}");
  sa_push_message_clear (&m);
}

static void
on_pong (SoupWebsocketConnection *conn,
         GBytes                  *message,
         gpointer                 user_data)
{
  Client *c = user_data;

  c->last_heard_us = g_get_monotonic_time ();
  c->unacked = 0;
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  Client *c = user_data;
  Events *ev = c->events;

  sa_registry_server_add_open_websockets (ev->server, -1);
  audience_leave (ev, c);
  g_ptr_array_remove_fast (ev->clients, c);
}

static void
websocket_callback (SoupServer              *soup,
                    SoupServerMessage       *msg,
                    const char              *path,
                    SoupWebsocketConnection *conn,
                    gpointer                 user_data)
{
  Events *ev = user_data;
  Client *c;
  g_autofree char *token = NULL;

  c = g_new0 (Client, 1);
  c->events = ev;
  c->conn = g_object_ref (conn);
  c->last_heard_us = g_get_monotonic_time ();
  g_ptr_array_add (ev->clients, c);
  sa_registry_server_add_open_websockets (ev->server, 1);

  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_INCOMING);
  soup_websocket_connection_set_keepalive_interval (conn, ev->keepalive_s);
  g_signal_connect (conn, "message", G_CALLBACK (on_message), c);
  g_signal_connect (conn, "pong", G_CALLBACK (on_pong), c);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), c);

  token = _sa_registry_bearer_token (soup_server_message_get_request_headers (msg));
  if (token != NULL)
    client_sign_in (c, token);
  else
    c->auth_timeout_id = g_timeout_add (ev->auth_timeout_ms, on_auth_timeout, c);
}

static void
events_free (gpointer data)
{
  Events *ev = data;

  g_clear_signal_handler (&ev->feed_changed_id, ev->db);
  g_clear_handle_id (&ev->dispatch_id, g_source_remove);
  g_clear_handle_id (&ev->tick_id, g_source_remove);
  g_clear_handle_id (&ev->flush_id, g_source_remove);
  /* The server is going away: close what is still open. */
  for (guint i = 0; i < ev->clients->len; i++)
    {
      Client *c = g_ptr_array_index (ev->clients, i);

      g_signal_handlers_disconnect_by_data (c->conn, c);
      if (soup_websocket_connection_get_state (c->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (c->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                         "the registry is stopping");
    }
  g_ptr_array_unref (ev->clients);
  g_ptr_array_unref (ev->waiting);
  g_hash_table_unref (ev->audiences);
  g_free (ev->audiences_json);
  g_clear_object (&ev->db);
  g_free (ev);
}

/**
 * _sa_registry_events_set_limits:
 * @server: the server
 * @auth_timeout_ms: how long a socket may stay unauthenticated
 * @coalesce_ms: the shortest gap between two "changes" to one client
 * @keepalive_s: the Ping and {"type":"ping"} period
 * @max_unacked_bytes: what may be sent to a client that shows no sign of reading
 *
 * For tests, which cannot wait for the production values; 0 keeps one.
 * Applies to sockets opened afterwards.
 */
void
_sa_registry_events_set_limits (SaRegistryServer *server,
                                guint             auth_timeout_ms,
                                guint             coalesce_ms,
                                guint             keepalive_s,
                                gsize             max_unacked_bytes)
{
  Events *ev = g_object_get_data (G_OBJECT (server), events_key);

  g_return_if_fail (ev != NULL);
  if (auth_timeout_ms > 0)
    ev->auth_timeout_ms = auth_timeout_ms;
  if (coalesce_ms > 0)
    ev->coalesce_ms = coalesce_ms;
  if (keepalive_s > 0 && keepalive_s != ev->keepalive_s)
    {
      ev->keepalive_s = keepalive_s;
      g_clear_handle_id (&ev->tick_id, g_source_remove);
      ev->tick_id = g_timeout_add_seconds (ev->keepalive_s, events_tick, ev);
    }
  if (max_unacked_bytes > 0)
    ev->max_unacked = max_unacked_bytes;
}

void
_sa_registry_events_register (SaRegistryServer *server)
{
  Events *ev = g_new0 (Events, 1);

  ev->server = server;
  ev->db = g_object_ref (sa_registry_server_get_db (server));
  ev->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
  ev->waiting = g_ptr_array_new ();
  ev->audiences = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, audience_free);
  ev->judged = ev->head = sa_store_feed_head (ev->db);
  ev->auth_timeout_ms = DEFAULT_AUTH_TIMEOUT_MS;
  ev->coalesce_ms = DEFAULT_COALESCE_MS;
  ev->keepalive_s = DEFAULT_KEEPALIVE_S;
  ev->max_unacked = DEFAULT_MAX_UNACKED;
  ev->tick_id = g_timeout_add_seconds (ev->keepalive_s, events_tick, ev);
  ev->feed_changed_id = g_signal_connect (ev->db, "feed-changed", G_CALLBACK (on_feed_changed),
                                          ev);
  g_object_set_data_full (G_OBJECT (server), events_key, ev, events_free);

  soup_server_add_websocket_handler (sa_registry_server_get_soup_server (server),
                                     "/api/v1/events", NULL, NULL, websocket_callback, ev, NULL);
}
