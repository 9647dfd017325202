/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-test-registry-events"

#include "config.h"

#include <string.h>

#include "sa-registry-db-private.h"
#include "registry-test-util.h"

typedef struct
{
  SaTestRegistry *r;
  char           *operator_token;
  char           *heat_token;
  char           *water_token;
} Fixture;

/* A WebSocket client on the test's session, keeping what it received. */
typedef struct
{
  SoupWebsocketConnection *conn;
  GPtrArray               *messages;   /* JsonNode */
  GArray                  *times_us;   /* gint64, when each arrived */
  gboolean                 closed;
  gushort                  close_code;
} Ws;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->r = sa_test_registry_new ();
  f->operator_token = sa_test_login (f->r, "op.cc");
  f->heat_token = sa_test_login (f->r, "exec.heat");
  f->water_token = sa_test_login (f->r, "exec.water");
}

static gboolean
on_timeout_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop (where the in-process server lives) until @cond
 * holds or @timeout_ms pass; returns whether @cond held. */
static gboolean
wait_until (gboolean (*cond) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout_flag, &timed_out);

  while (!(cond != NULL && cond (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return cond != NULL && cond (data);
}

static void
spin (guint ms)
{
  wait_until (NULL, NULL, ms);
}

static gboolean
no_sockets_open (gpointer data)
{
  Fixture *f = data;

  return sa_registry_server_get_open_websockets (f->r->server) == 0;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Let closing sockets finish, so that the server finalizes cleanly. */
  wait_until (no_sockets_open, f, 10000);
  g_free (f->operator_token);
  g_free (f->heat_token);
  g_free (f->water_token);
  g_clear_pointer (&f->r, sa_test_registry_free);
}

static void
on_ws_message (SoupWebsocketConnection *conn,
               SoupWebsocketDataType    type,
               GBytes                  *message,
               gpointer                 user_data)
{
  Ws *ws = user_data;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gint64 now = g_get_monotonic_time ();

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_assert_true (json_parser_load_from_data (parser, data, len, NULL));
  g_ptr_array_add (ws->messages, json_node_ref (json_parser_get_root (parser)));
  g_array_append_val (ws->times_us, now);
}

static void
on_ws_closed (SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  Ws *ws = user_data;

  ws->closed = TRUE;
  ws->close_code = soup_websocket_connection_get_close_code (conn);
}

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  gboolean                 done;
} ConnectWait;

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ConnectWait *w = user_data;

  w->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &w->error);
  w->done = TRUE;
}

/* Opens /api/v1/events, with the token in the Authorization header
 * when @header_token is given. */
static Ws *
ws_open (Fixture    *f,
         const char *header_token)
{
  g_autofree char *uri = g_strconcat (f->r->base, "/api/v1/events", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  ConnectWait w = { 0 };
  Ws *ws;

  if (header_token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", header_token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  soup_session_websocket_connect_async (f->r->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, on_connected, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (w.error);

  ws = g_new0 (Ws, 1);
  ws->conn = w.conn;
  ws->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  ws->times_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (ws->conn, "message", G_CALLBACK (on_ws_message), ws);
  g_signal_connect (ws->conn, "closed", G_CALLBACK (on_ws_closed), ws);
  return ws;
}

static gboolean
ws_is_closed (gpointer data)
{
  return ((Ws *) data)->closed;
}

static void
ws_free (Ws *ws)
{
  if (!ws->closed)
    {
      soup_websocket_connection_close (ws->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      wait_until (ws_is_closed, ws, 5000);
    }
  g_signal_handlers_disconnect_by_data (ws->conn, ws);
  g_object_unref (ws->conn);
  g_ptr_array_unref (ws->messages);
  g_array_unref (ws->times_us);
  g_free (ws);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ws, ws_free)

static const char *
message_type (JsonNode *node)
{
  return sa_test_member_string (node, "type");
}

/* The number of messages of @type received so far. */
static guint
count_type (Ws         *ws,
            const char *type)
{
  guint n = 0;

  for (guint i = 0; i < ws->messages->len; i++)
    if (g_strcmp0 (message_type (ws->messages->pdata[i]), type) == 0)
      n++;
  return n;
}

static JsonNode *
last_of_type (Ws         *ws,
              const char *type)
{
  for (guint i = ws->messages->len; i > 0; i--)
    if (g_strcmp0 (message_type (ws->messages->pdata[i - 1]), type) == 0)
      return ws->messages->pdata[i - 1];
  return NULL;
}

typedef struct
{
  Ws         *ws;
  const char *type;
  guint       n;
} CountWait;

static gboolean
has_count (gpointer data)
{
  CountWait *w = data;

  return count_type (w->ws, w->type) >= w->n || w->ws->closed;
}

/* Waits up to @timeout_ms for the @n-th message of @type. */
static gboolean
ws_wait_for (Ws         *ws,
             const char *type,
             guint       n,
             guint       timeout_ms)
{
  CountWait w = { ws, type, n };

  wait_until (has_count, &w, timeout_ms);
  return count_type (ws, type) >= n;
}

static gint64
feed_head (Fixture *f)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (f->r->db, "SELECT MAX (seq) FROM feed", NULL);
  gint64 seq;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return seq;
}

static JsonNode *
intake (Fixture    *f,
        const char *category,
        guint       n)
{
  g_autofree char *iin = sa_test_iin (n);

  return sa_test_intake (f->r, f->operator_token, category, iin);
}

/* Posts @n comment ops on @appeal in one request, from @version on. */
static void
comment_ops (Fixture    *f,
             const char *token,
             const char *appeal_id,
             gint64      version,
             guint       n)
{
  GString *body = g_string_new ("{\"ops\":[");
  g_autoptr(JsonNode) json = NULL;
  JsonArray *results;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *op_id = g_uuid_string_random ();

      g_string_append_printf (body, "%s{\"op_id\":\"%s\",\"type\":\"comment\",\"appeal_id\":"
                              "\"%s\",\"base_version\":%" G_GINT64_FORMAT ",\"args\":{\"text\":"
                              "\"Бригада выехала, шаг %u.\"}}", i > 0 ? "," : "", op_id,
                              appeal_id, version + i, i);
    }
  g_string_append (body, "]}");
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", token, body->str, &json), ==, 200);
  results = json_object_get_array_member (json_node_get_object (json), "results");
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, i),
                                                    "status"), ==, "applied");
  g_string_free (body, TRUE);
}

static void
test_header_auth (Fixture       *f,
                  gconstpointer  data)
{
  /* A token in the upgrade request's Authorization header signs the socket in: "ready" with the feed's head, and the gauge counts it. */
  g_autoptr(Ws) ws = ws_open (f, f->heat_token);
  g_autoptr(JsonNode) metrics = NULL;

  g_assert_true (ws_wait_for (ws, "ready", 1, 5000));
  g_assert_cmpint (sa_test_member_int (last_of_type (ws, "ready"), "seq"), ==, feed_head (f));
  g_assert_cmpuint (sa_registry_server_get_open_websockets (f->r->server), ==, 1);
  g_assert_false (ws->closed);

  soup_websocket_connection_close (ws->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_assert_true (wait_until (ws_is_closed, ws, 5000));
  g_assert_true (wait_until (no_sockets_open, f, 5000));
}

static void
test_message_auth (Fixture       *f,
                   gconstpointer  data)
{
  /* A client that cannot set headers signs in with a first {"type":"auth"} message, and the socket then answers an application ping. */
  g_autoptr(Ws) ws = ws_open (f, NULL);
  g_autofree char *auth = g_strdup_printf ("{\"type\":\"auth\",\"token\":\"%s\"}", f->heat_token);

  soup_websocket_connection_send_text (ws->conn, auth);
  g_assert_true (ws_wait_for (ws, "ready", 1, 5000));
  g_assert_false (ws->closed);

  soup_websocket_connection_send_text (ws->conn, "{\"type\":\"ping\"}");
  g_assert_true (ws_wait_for (ws, "pong", 1, 5000));
}

static void
test_no_auth (Fixture       *f,
              gconstpointer  data)
{
  /* A socket without a valid token is closed with 4401: silent past the deadline, a bad header token, or a first message that is not auth. */
  _sa_registry_events_set_limits (f->r->server, 300, 0, 0, 0);

  {
    g_autoptr(Ws) silent = ws_open (f, NULL);

    g_assert_true (wait_until (ws_is_closed, silent, 5000));
    g_assert_cmpuint (silent->close_code, ==, 4401);
    g_assert_cmpuint (silent->messages->len, ==, 0);
  }
  {
    g_autoptr(Ws) bad = ws_open (f, "not-a-token");

    g_assert_true (wait_until (ws_is_closed, bad, 5000));
    g_assert_cmpuint (bad->close_code, ==, 4401);
    g_assert_cmpuint (bad->messages->len, ==, 0);
  }
  {
    g_autoptr(Ws) rude = ws_open (f, NULL);

    soup_websocket_connection_send_text (rude->conn, "{\"type\":\"ping\"}");
    g_assert_true (wait_until (ws_is_closed, rude, 5000));
    g_assert_cmpuint (rude->close_code, ==, 4401);
    g_assert_cmpuint (rude->messages->len, ==, 0);
  }
  g_assert_true (wait_until (no_sockets_open, f, 5000));
}

static void
test_token_revoked (Fixture       *f,
                    gconstpointer  data)
{
  /* A signed-in socket whose token is revoked by logout is closed with 4401 at the next keepalive tick. */
  g_autoptr(Ws) ws = NULL;

  _sa_registry_events_set_limits (f->r->server, 0, 0, 1, 0);
  ws = ws_open (f, f->heat_token);
  g_assert_true (ws_wait_for (ws, "ready", 1, 5000));
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/logout", f->heat_token, NULL, NULL), ==,
                    200);
  g_assert_true (wait_until (ws_is_closed, ws, 5000));
  g_assert_cmpuint (ws->close_code, ==, 4401);
}

static void
test_own_agency_change (Fixture       *f,
                        gconstpointer  data)
{
  /* A new appeal for the client's agency sends {"type":"changes"} with the seq the feed then shows for it. */
  g_autoptr(Ws) ws = ws_open (f, f->heat_token);
  g_autoptr(JsonNode) appeal = NULL;
  g_autoptr(JsonNode) pull = NULL;
  g_autofree char *path = NULL;
  JsonArray *changes;
  JsonObject *entry = NULL;
  gint64 ready_seq, seq;

  g_assert_true (ws_wait_for (ws, "ready", 1, 5000));
  ready_seq = sa_test_member_int (last_of_type (ws, "ready"), "seq");

  appeal = intake (f, "heating.no-heat", 11);
  g_assert_true (ws_wait_for (ws, "changes", 1, 5000));
  seq = sa_test_member_int (last_of_type (ws, "changes"), "seq");
  g_assert_cmpint (seq, >, ready_seq);

  path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT, ready_seq);
  g_assert_cmpuint (sa_test_get (f->r, path, f->heat_token, &pull), ==, 200);
  changes = json_object_get_array_member (json_node_get_object (pull), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *c = json_array_get_object_element (changes, i);

      if (g_strcmp0 (json_object_get_string_member (c, "id"),
                     sa_test_member_string (appeal, "id")) == 0)
        entry = c;
    }
  g_assert_nonnull (entry);
  g_assert_cmpint (json_object_get_int_member (entry, "seq"), ==, seq);
  g_assert_cmpint (sa_test_member_int (pull, "next"), ==, seq);
}

static void
test_other_agency_silent (Fixture       *f,
                          gconstpointer  data)
{
  /* A change in another agency sends nothing to the client; one in its own agency still does. */
  g_autoptr(Ws) water = ws_open (f, f->water_token);
  g_autoptr(JsonNode) heating = NULL;
  g_autoptr(JsonNode) water_appeal = NULL;

  g_assert_true (ws_wait_for (water, "ready", 1, 5000));
  heating = intake (f, "heating.no-heat", 21);
  g_assert_false (ws_wait_for (water, "changes", 1, 600));
  g_assert_false (water->closed);

  water_appeal = intake (f, "water.no-cold", 22);
  g_assert_true (ws_wait_for (water, "changes", 1, 5000));
  g_assert_cmpint (sa_test_member_int (last_of_type (water, "changes"), "seq"), ==,
                   feed_head (f));
}

static void
test_coalescing (Fixture       *f,
                 gconstpointer  data)
{
  /* A burst of changes reaches a client as at most one message per 100 ms window, the last carrying the newest seq. */
  g_autoptr(Ws) ws = ws_open (f, f->heat_token);
  g_autoptr(JsonNode) appeal = NULL;
  const char *id;
  gint64 version;
  guint before, sent;

  g_assert_true (ws_wait_for (ws, "ready", 1, 5000));
  appeal = intake (f, "heating.no-heat", 31);
  id = sa_test_member_string (appeal, "id");
  version = sa_test_member_int (appeal, "version");
  g_assert_true (ws_wait_for (ws, "changes", 1, 5000));
  spin (300);

  /* Ten commits inside one request: one message. */
  before = count_type (ws, "changes");
  comment_ops (f, f->heat_token, id, version, 10);
  version += 10;
  g_assert_true (ws_wait_for (ws, "changes", before + 1, 5000));
  spin (400);
  g_assert_cmpuint (count_type (ws, "changes"), ==, before + 1);
  g_assert_cmpint (sa_test_member_int (last_of_type (ws, "changes"), "seq"), ==, feed_head (f));

  /* Eight requests 30 ms apart: fewer messages, never two in one window. */
  before = ws->messages->len;
  for (guint i = 0; i < 8; i++)
    {
      comment_ops (f, f->heat_token, id, version++, 1);
      spin (30);
    }
  spin (400);
  sent = ws->messages->len - before;
  g_assert_cmpuint (sent, >=, 1);
  g_assert_cmpuint (sent, <, 8);
  for (guint i = before + 1; i < ws->messages->len; i++)
    g_assert_cmpint (g_array_index (ws->times_us, gint64, i) -
                     g_array_index (ws->times_us, gint64, i - 1), >=, 90000);
  g_assert_cmpint (sa_test_member_int (last_of_type (ws, "changes"), "seq"), ==, feed_head (f));
}

static void
test_reading_client_kept (Fixture       *f,
                          gconstpointer  data)
{
  /* A client that reads (its libsoup answers the keepalive Pings) keeps its socket, though it never writes and gets more than the unread bound in total. */
  g_autoptr(Ws) ws = NULL;
  g_autoptr(JsonNode) appeal = NULL;
  const char *id;
  gint64 version;

  /* The first Ping may come up to 2 s late (whole-second timers): the
   * bound leaves room for 2 s of hints, not for all of them. */
  _sa_registry_events_set_limits (f->r->server, 0, 10, 1, 600);
  ws = ws_open (f, f->heat_token);
  g_assert_true (ws_wait_for (ws, "ready", 1, 5000));
  appeal = intake (f, "heating.no-heat", 51);
  id = sa_test_member_string (appeal, "id");
  version = sa_test_member_int (appeal, "version");
  for (guint i = 0; i < 24; i++)
    {
      comment_ops (f, f->heat_token, id, version++, 1);
      spin (200);
    }
  /* 24 hints of ~31 bytes and some pings: over 600 bytes, in 5 s (> 3 keepalive periods). */
  g_assert_cmpuint (count_type (ws, "changes"), >=, 22);
  g_assert_cmpuint (count_type (ws, "ping"), >=, 3);
  g_assert_false (ws->closed);
  g_assert_cmpuint (sa_registry_server_get_open_websockets (f->r->server), ==, 1);
}

/* A WebSocket client made by hand on a plain socket, so that it can
 * stop reading, which libsoup's client never does. */
typedef struct
{
  GSocketConnection *conn;
  GSocket           *socket;
  GByteArray        *received;
  gboolean           eof;
} RawClient;

static gboolean
raw_receive_some (RawClient *rc)
{
  guint8 buf[4096];
  g_autoptr(GError) error = NULL;
  gssize n = g_socket_receive (rc->socket, (char *) buf, sizeof buf, NULL, &error);

  if (n > 0)
    g_byte_array_append (rc->received, buf, n);
  else if (n == 0 || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    rc->eof = TRUE;
  return n > 0;
}

static gboolean
raw_has_headers (gpointer data)
{
  RawClient *rc = data;

  raw_receive_some (rc);
  return rc->eof || (rc->received->len > 0 &&
                     g_strstr_len ((const char *) rc->received->data, rc->received->len,
                                   "\r\n\r\n") != NULL);
}

static gboolean
raw_at_eof (gpointer data)
{
  RawClient *rc = data;

  while (raw_receive_some (rc))
    ;
  return rc->eof;
}

/* The close code of the first Close frame after the HTTP answer, or 0. */
static guint
raw_close_code (RawClient *rc)
{
  const guint8 *p = rc->received->data;
  const guint8 *end = p + rc->received->len;
  const char *head_end = g_strstr_len ((const char *) p, rc->received->len, "\r\n\r\n");

  g_assert_nonnull (head_end);
  p = (const guint8 *) head_end + 4;
  while (end - p >= 2)
    {
      guint opcode = p[0] & 0x0f;
      guint64 len = p[1] & 0x7f;
      gsize header = 2;

      g_assert_cmpuint (p[1] & 0x80, ==, 0);  /* a server never masks */
      if (len == 126)
        {
          len = (p[2] << 8) | p[3];
          header = 4;
        }
      else if (len == 127)
        g_assert_not_reached ();
      if ((guint64) (end - p) < header + len)
        break;
      if (opcode == 0x8 && len >= 2)
        return (p[header] << 8) | p[header + 1];
      p += header + len;
    }
  return 0;
}

static void
test_slow_client_dropped (Fixture       *f,
                          gconstpointer  data)
{
  /* A client that never reads is closed with 1008 once what it left unread passes the bound, instead of being buffered forever. */
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) appeal = NULL;
  g_autofree char *request = NULL;
  RawClient rc = { 0 };
  gint64 version;
  const char *id;

  _sa_registry_events_set_limits (f->r->server, 0, 10, 0, 300);
  rc.conn = g_socket_client_connect_to_host (client, "127.0.0.1",
                                             sa_registry_server_get_port (f->r->server), NULL,
                                             &error);
  g_assert_no_error (error);
  rc.socket = g_socket_connection_get_socket (rc.conn);
  rc.received = g_byte_array_new ();
  request = g_strdup_printf ("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "Authorization: Bearer %s\r\n\r\n", f->heat_token);
  g_assert_cmpint (g_socket_send (rc.socket, request, strlen (request), NULL, &error), ==,
                   strlen (request));
  g_assert_no_error (error);
  g_socket_set_blocking (rc.socket, FALSE);
  g_assert_true (wait_until (raw_has_headers, &rc, 5000));
  g_assert_true (g_str_has_prefix ((const char *) rc.received->data, "HTTP/1.1 101"));
  g_assert_cmpuint (sa_registry_server_get_open_websockets (f->r->server), ==, 1);

  /* From here on the client reads nothing while its agency's appeal changes. */
  appeal = intake (f, "heating.no-heat", 41);
  id = sa_test_member_string (appeal, "id");
  version = sa_test_member_int (appeal, "version");
  for (guint i = 0; i < 20 && sa_registry_server_get_open_websockets (f->r->server) > 0; i++)
    {
      comment_ops (f, f->heat_token, id, version++, 1);
      spin (20);
    }
  g_assert_true (wait_until (no_sockets_open, f, 15000));

  /* What the server last wrote, read now: a Close frame with 1008. */
  g_assert_true (wait_until (raw_at_eof, &rc, 5000));
  g_assert_cmpuint (raw_close_code (&rc), ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);

  g_byte_array_unref (rc.received);
  g_object_unref (rc.conn);
}

/* The feed's work for one change: SQLite's virtual-machine steps in
 * statements that read the feed, counted by a trace on the connection. */
static int
count_feed_steps (unsigned  type,
                  void     *ctx,
                  void     *p,
                  void     *x)
{
  sqlite3_stmt *stmt = p;
  const char *sql = sqlite3_sql (stmt);

  if (strstr (sql, "feed") != NULL && strstr (sql, "INSERT") == NULL)
    *(guint64 *) ctx += sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_VM_STEP, 1);
  return 0;
}

static gboolean
all_told (gpointer data)
{
  GPtrArray *sockets = data;

  for (guint i = 0; i < sockets->len; i++)
    if (count_type (sockets->pdata[i], "changes") < 1)
      return FALSE;
  return TRUE;
}

/* Registers one heating appeal and returns the feed steps it cost, from
 * the intake's commit until every socket in @sockets has its hint. */
static guint64
push_cost (Fixture   *f,
           GPtrArray *sockets,
           guint      iin_n)
{
  sqlite3 *handle = sa_registry_db_get_handle (f->r->db);
  g_autoptr(JsonNode) appeal = NULL;
  guint64 steps = 0;

  for (guint i = 0; i < sockets->len; i++)
    g_ptr_array_set_size (((Ws *) sockets->pdata[i])->messages, 0);
  for (sqlite3_stmt *stmt = sqlite3_next_stmt (handle, NULL); stmt != NULL;
       stmt = sqlite3_next_stmt (handle, stmt))
    sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_VM_STEP, 1);
  sqlite3_trace_v2 (handle, SQLITE_TRACE_PROFILE, count_feed_steps, &steps);
  appeal = intake (f, "heating.no-heat", iin_n);
  g_assert_true (wait_until (all_told, sockets, 10000));
  spin (200);
  sqlite3_trace_v2 (handle, 0, NULL, NULL);
  return steps;
}

static void
test_push_cost (Fixture       *f,
                gconstpointer  data)
{
  /* A change costs the push the same whether one desk or thirty listen and whether the feed holds ten entries or thousands: it is judged once, from the new entries only. */
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func ((GDestroyNotify) ws_free);
  g_autoptr(GError) error = NULL;
  guint64 one, many;

  g_ptr_array_add (sockets, ws_open (f, f->heat_token));
  g_assert_true (ws_wait_for (sockets->pdata[0], "ready", 1, 5000));
  one = push_cost (f, sockets, 61);

  /* A feed of 3,000 appeals, and 29 more desks of the same agency. */
  g_assert_true (sa_registry_db_begin (f->r->db, &error));
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *iin = sa_test_iin (1000 + i);
      g_autofree char *id = NULL;
      SaAppealInput in = { 0 };

      in.channel = "phone_109";
      in.category = i % 2 ? "heating.no-heat" : "water.no-cold";
      in.text = "Третий день нет отопления в квартире.";
      in.applicant_name = "Асанов Ерлан";
      in.applicant_iin = iin;
      in.address_text = "ул. Кунаева, 21";
      in.district = "medeu";
      in.intake_agency = "CC-109";
      in.received_at = _sa_registry_now ();
      id = _sa_registry_appeal_insert (f->r->db, &in, "op.cc", in.received_at, &error);
      g_assert_no_error (error);
    }
  g_assert_true (sa_registry_db_commit (f->r->db, &error));
  spin (300);
  for (guint i = 1; i < 30; i++)
    {
      g_ptr_array_add (sockets, ws_open (f, f->heat_token));
      g_assert_true (ws_wait_for (sockets->pdata[i], "ready", 1, 5000));
    }

  many = push_cost (f, sockets, 62);
  g_test_message ("feed steps for one change: %" G_GUINT64_FORMAT " with one desk and a short "
                  "feed, %" G_GUINT64_FORMAT " with 30 desks and 3,000 appeals", one, many);
  g_assert_cmpuint (one, >, 0);
  g_assert_cmpuint (many, <=, 2 * one + 100);
}

int
main (int    argc,
      char **argv)
{
  sa_test_registry_env ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/sa/registry/events/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

  ADD ("header-auth", test_header_auth);
  ADD ("message-auth", test_message_auth);
  ADD ("no-auth", test_no_auth);
  ADD ("token-revoked", test_token_revoked);
  ADD ("own-agency-change", test_own_agency_change);
  ADD ("other-agency-silent", test_other_agency_silent);
  ADD ("coalescing", test_coalescing);
  ADD ("slow-client-dropped", test_slow_client_dropped);
  ADD ("reading-client-kept", test_reading_client_kept);
  ADD ("push-cost", test_push_cost);

  return g_test_run ();
}
