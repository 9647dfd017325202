/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-test-registry-http"

#include "config.h"

#include <string.h>

#include "registry-test-util.h"

/* The registry's HTTP layer under hostile and careless clients, spoken to
 * with raw sockets where a well-behaved client library would not do it:
 * the in-process registry on 127.0.0.1:0, its file descriptors counted in
 * /proc/self/fd. */

typedef struct
{
  SaTestRegistry *r;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->r = sa_test_registry_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sa_test_registry_free (f->r);
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context (the server's) until @done says so or
 * @timeout_ms pass; returns whether @done said so. */
static gboolean
wait_for (gboolean (*done) (gpointer),
          gpointer   data,
          guint      timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, on_deadline, &expired);

  while (!done (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return done (data);
}

static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static GSocket *
raw_connect (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) addr = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) saddr =
    g_inet_socket_address_new (addr, sa_registry_server_get_port (f->r->server));
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                             G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  /* Connecting completes in the kernel's backlog, without the server. */
  g_assert_true (g_socket_connect (s, saddr, NULL, &error));
  g_assert_no_error (error);
  g_socket_set_blocking (s, FALSE);
  return s;
}

/* Sends all of @data, letting the server run while the kernel's buffers
 * are full; FALSE if the server closed the connection first. */
static gboolean
raw_send (GSocket    *s,
          const char *data,
          gsize       len)
{
  while (len > 0)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (s, data, len, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_main_context_iteration (NULL, TRUE);
          continue;
        }
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

typedef struct
{
  GSocket  *socket;
  GString  *in;
  gboolean  closed;
  gboolean  want_close;
} RawRead;

static gboolean
response_complete (GString *in)
{
  const char *end = strstr (in->str, "\r\n\r\n");
  const char *cl;

  if (end == NULL)
    return FALSE;
  cl = g_strstr_len (in->str, end - in->str, "\r\nContent-Length: ");
  if (cl == NULL)
    return TRUE;
  return in->len >= (gsize) (end + 4 - in->str) + g_ascii_strtoull (cl + 18, NULL, 10);
}

static gboolean
raw_read_done (gpointer data)
{
  RawRead *rr = data;

  while (!rr->closed)
    {
      char buf[4096];
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (rr->socket, buf, sizeof buf, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (n <= 0)
        rr->closed = TRUE;
      else
        g_string_append_len (rr->in, buf, n);
    }
  return rr->closed || (!rr->want_close && response_complete (rr->in));
}

static gboolean
wake_only (GSocket      *socket,
           GIOCondition  condition,
           gpointer      user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Reads one answer, or until the server closes with @until_close; gives
 * up after @timeout_ms. Returns what came, and whether it closed. */
static GString *
raw_read (GSocket  *s,
          gboolean  until_close,
          guint     timeout_ms,
          gboolean *out_closed)
{
  RawRead rr = { s, g_string_new (NULL), FALSE, until_close };
  GSource *watch = g_socket_create_source (s, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);

  /* The watch only wakes the loop; raw_read_done reads. */
  g_source_set_callback (watch, G_SOURCE_FUNC (wake_only), NULL, NULL);
  g_source_attach (watch, NULL);
  wait_for (raw_read_done, &rr, timeout_ms);
  g_source_destroy (watch);
  g_source_unref (watch);
  if (out_closed != NULL)
    *out_closed = rr.closed;
  return rr.in;
}

/* The status of the first answer in @in, 0 if none. */
static guint
status_of (GString *in)
{
  if (!g_str_has_prefix (in->str, "HTTP/1.1 ") || in->len < 12)
    return 0;
  return (guint) g_ascii_strtoull (in->str + 9, NULL, 10);
}

/* Sends @request on a new connection and reads one answer. */
static guint
raw_exchange (Fixture    *f,
              const char *request,
              GString   **out)
{
  g_autoptr(GSocket) s = raw_connect (f);
  GString *in;
  guint status;

  raw_send (s, request, strlen (request));
  in = raw_read (s, FALSE, 10000, NULL);
  status = status_of (in);
  if (out != NULL)
    *out = in;
  else
    g_string_free (in, TRUE);
  return status;
}

static void
set_limits (Fixture *f,
            guint    idle_ms,
            guint    head_ms,
            guint    body_ms)
{
  SaHttpFront *http = _sa_registry_server_get_http (f->r->server);
  SaHttpLimits limits;

  _sa_http_front_get_limits (http, &limits);
  limits.idle_ms = idle_ms;
  limits.head_ms = head_ms;
  limits.body_ms = body_ms;
  /* No extra time for the length: a body's deadline is body_ms. */
  limits.body_min_rate = G_MAXUINT;
  _sa_http_front_set_limits (http, &limits);
}

/* ------------------------------------------------------------------ */

static void
test_json_depth_hidden (Fixture       *f,
                        gconstpointer  data)
{
  /* A comment or a single quote cannot hide 80,000 levels of nesting from the depth check: the registry answers 400 and keeps serving. */
  static const char * const prefixes[] = { "/*\"*/{\"a\":", "{'\"':", "" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      GString *body = g_string_new (prefixes[i]);
      g_autoptr(JsonNode) json = NULL;

      for (guint j = 0; j < 80000; j++)
        g_string_append_c (body, '[');
      g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL, body->str, &json), ==,
                        400);
      g_assert_true (g_strcmp0 (sa_test_error_code (json), "malformed_json") == 0 ||
                     g_strcmp0 (sa_test_error_code (json), "too_deep") == 0);
      g_string_free (body, TRUE);
    }
  g_assert_cmpuint (sa_test_get (f->r, "/healthz", NULL, NULL), ==, 200);
}

static void
test_no_critical_from_bodies (Fixture       *f,
                              gconstpointer  data)
{
  /* Empty, blank and comment-only bodies are refused as malformed JSON, without a GLib CRITICAL (the tests run with fatal-criticals). */
  static const char * const bodies[] = { "", " ", "\t\r\n", "/* */", "//\n", "/**/ /**/" };
  g_autofree char *token = sa_test_login (f->r, "op.cc");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) login = NULL;
      g_autoptr(JsonNode) intake = NULL;
      g_autoptr(JsonNode) ops = NULL;

      g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL, bodies[i], &login), ==,
                        400);
      g_assert_cmpstr (sa_test_error_code (login), ==, "malformed_json");
      g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", token, bodies[i], &intake), ==,
                        400);
      g_assert_cmpstr (sa_test_error_code (intake), ==, "malformed_json");
      g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", token, bodies[i], &ops), ==, 400);
    }
}

static void
test_bearer_one_parser (Fixture       *f,
                        gconstpointer  data)
{
  /* "Bearer  <token>" with two spaces means the same token to every reader: logging out with it ends the session. */
  g_autofree char *token = sa_test_login (f->r, "exec.heat");
  g_autofree char *spaced = g_strconcat (" ", token, NULL);
  g_autoptr(JsonNode) json = NULL;

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/logout", spaced, "{}", &json), ==, 200);
  g_assert_cmpstr (sa_test_member_string (json, "status"), ==, "signed_out");
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/me", token, NULL), ==, 401);

  /* A malformed header is no token at all. */
  {
    g_autofree char *fresh = sa_test_login (f->r, "exec.heat");
    g_autofree char *request = NULL;

    request = g_strdup_printf ("GET /api/v1/me HTTP/1.1\r\nHost: x\r\n"
                               "Authorization: Bearer %s\r\nAuthorization: Bearer %s\r\n\r\n",
                               fresh, fresh);
    g_assert_cmpuint (raw_exchange (f, request, NULL), ==, 401);
    g_clear_pointer (&request, g_free);
    request = g_strdup_printf ("GET /api/v1/me HTTP/1.1\r\nHost: x\r\n"
                               "Authorization: Bearer %s junk\r\n\r\n", fresh);
    g_assert_cmpuint (raw_exchange (f, request, NULL), ==, 401);
    g_clear_pointer (&request, g_free);
    request = g_strdup_printf ("GET /api/v1/me HTTP/1.1\r\nHost: x\r\n"
                               "Authorization: bearer %s\r\n\r\n", fresh);
    g_assert_cmpuint (raw_exchange (f, request, NULL), ==, 200);
  }
}

typedef struct
{
  Fixture *f;
  guint    fds;
} FdWait;

static gboolean
fds_back (gpointer data)
{
  FdWait *w = data;

  return count_fds () <= w->fds &&
         _sa_http_front_get_n_connections (_sa_registry_server_get_http (w->f->r->server)) == 0;
}

static void
test_fds_after_client_closes (Fixture       *f,
                              gconstpointer  data)
{
  /* 200 keep-alive connections that the client closes after an answer leave no descriptor behind. */
  FdWait w = { f, 0 };

  w.fds = count_fds ();

  for (guint i = 0; i < 200; i++)
    {
      GSocket *s = raw_connect (f);
      GString *in;
      static const char request[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

      raw_send (s, request, strlen (request));
      in = raw_read (s, FALSE, 10000, NULL);
      g_assert_cmpuint (status_of (in), ==, 200);
      g_string_free (in, TRUE);
      g_socket_close (s, NULL);
      g_object_unref (s);
    }
  if (!wait_for (fds_back, &w, 5000))
    g_error ("%u descriptors before, %u after the clients closed", w.fds, count_fds ());
}

static void
test_idle_and_slow_closed (Fixture       *f,
                           gconstpointer  data)
{
  /* Idle connections, a head that never ends and a body that never comes are closed, the last two with 408. */
  GSocket *idle[20];
  gboolean closed = FALSE;
  GString *in;

  set_limits (f, 200, 300, 300);

  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    idle[i] = raw_connect (f);
  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    {
      in = raw_read (idle[i], TRUE, 10000, &closed);
      g_assert_true (closed);
      g_assert_cmpuint (in->len, ==, 0);
      g_string_free (in, TRUE);
      g_object_unref (idle[i]);
    }

  /* Slowloris: the head starts and stops. */
  {
    g_autoptr(GSocket) s = raw_connect (f);

    raw_send (s, "GET /healthz HTTP/1.1\r\nHost", 27);
    in = raw_read (s, TRUE, 10000, &closed);
    g_assert_true (closed);
    g_assert_cmpuint (status_of (in), ==, 408);
    g_string_free (in, TRUE);
  }

  /* A keep-alive connection left idle after an answer. */
  {
    g_autoptr(GSocket) s = raw_connect (f);
    static const char request[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

    raw_send (s, request, strlen (request));
    in = raw_read (s, FALSE, 10000, NULL);
    g_assert_cmpuint (status_of (in), ==, 200);
    g_string_free (in, TRUE);
    in = raw_read (s, TRUE, 10000, &closed);
    g_assert_true (closed);
    g_assert_cmpuint (in->len, ==, 0);
    g_string_free (in, TRUE);
  }

  /* A Content-Length with no body behind it. */
  {
    g_autoptr(GSocket) s = raw_connect (f);
    static const char request[] = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                                  "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{";

    raw_send (s, request, strlen (request));
    in = raw_read (s, TRUE, 10000, &closed);
    g_assert_true (closed);
    g_assert_cmpuint (status_of (in), ==, 408);
    g_string_free (in, TRUE);
  }
  g_assert_cmpuint (sa_test_get (f->r, "/healthz", NULL, NULL), ==, 200);
}

static gsize
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nVmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + 7, NULL, 10);
}

static void
test_body_refused_before_read (Fixture       *f,
                               gconstpointer  data)
{
  /* A body over its cap is refused from the Content-Length at once, the upload budget is for signed-in users only, and a refused body never reaches memory. */
  g_autofree char *token = sa_test_login (f->r, "exec.heat");
  g_autofree char *request = NULL;
  GString *in = NULL;
  gboolean closed = FALSE;

  set_limits (f, 60000, 60000, 300);

  g_assert_cmpuint (raw_exchange (f, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                                  "Content-Type: application/json\r\n"
                                  "Content-Length: 300000000\r\n\r\n", &in), ==, 413);
  g_assert_nonnull (strstr (in->str, "\"too_large\""));
  g_string_free (in, TRUE);

  request = g_strdup_printf ("PUT /api/v1/attachments/%064d HTTP/1.1\r\nHost: x\r\n"
                             "Content-Type: image/png\r\nContent-Length: 5000000\r\n\r\n", 0);
  g_assert_cmpuint (raw_exchange (f, request, NULL), ==, 413);
  g_clear_pointer (&request, g_free);
  request = g_strdup_printf ("PUT /api/v1/attachments/%064d HTTP/1.1\r\nHost: x\r\n"
                             "Authorization: Bearer AAAAinvalid\r\n"
                             "Content-Type: image/png\r\nContent-Length: 5000000\r\n\r\n", 0);
  g_assert_cmpuint (raw_exchange (f, request, NULL), ==, 413);
  g_clear_pointer (&request, g_free);

  /* Signed in, the same upload is waited for, and times out as a body. */
  request = g_strdup_printf ("PUT /api/v1/attachments/%064d HTTP/1.1\r\nHost: x\r\n"
                             "Authorization: Bearer %s\r\n"
                             "Content-Type: image/png\r\nContent-Length: 5000000\r\n\r\n", 0,
                             token);
  {
    g_autoptr(GSocket) s = raw_connect (f);

    raw_send (s, request, strlen (request));
    in = raw_read (s, TRUE, 60000, &closed);
    g_assert_true (closed);
    g_assert_cmpuint (status_of (in), ==, 408);
    g_string_free (in, TRUE);
  }

  /* 200 MB sent anyway: the registry reads and drops a bounded part. */
  {
    g_autoptr(GSocket) s = raw_connect (f);
    static const char head[] = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                               "Content-Type: application/json\r\nContent-Length: 200000000\r\n\r\n";
    g_autofree char *chunk = g_malloc0 (64 * 1024);
    gsize before = rss_kib ();
    gsize sent = 0;

    raw_send (s, head, strlen (head));
    while (sent < 200000000 && raw_send (s, chunk, 64 * 1024))
      sent += 64 * 1024;
    g_assert_cmpuint (sent, <, 200000000);
    g_assert_cmpuint (rss_kib (), <, before + 32 * 1024);
  }
  g_assert_cmpuint (sa_test_get (f->r, "/healthz", NULL, NULL), ==, 200);
}

static void
test_content_length_and_sizes (Fixture       *f,
                               gconstpointer  data)
{
  /* Two Content-Lengths, one that is not digits, or one beside Transfer-Encoding answer 400 (RFC 9112 §6.3); an oversized URL 414 and oversized headers 431, not a reset. */
  static const struct { const char *headers; guint status; } smuggled[] = {
    { "Content-Length: 2\r\nContent-Length: 40\r\n", 400 },
    { "Content-Length: 2\r\nContent-Length: 2\r\n", 400 },
    { "Content-Length: 2, 2\r\n", 400 },
    { "Content-Length: 2abc\r\n", 400 },
    { "Content-Length: +2\r\n", 400 },
    { "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n", 400 },
    /* What libsoup would read otherwise than a proxy: refused whole. */
    { "Content-Length : 2\r\n", 400 },
    { "Content-Length: 2\r\nX-Folded: a\r\n b\r\n", 400 },
    { "Content-Length: 2\r\nNoColon\r\n", 400 },
    { "Content-Length: 2\r\nX-Bad: a\rb\r\n", 400 },
    { "Transfer-Encoding: gzip\r\n", 411 },
  };
  GString *in = NULL;
  GString *big;

  for (guint i = 0; i < G_N_ELEMENTS (smuggled); i++)
    {
      g_autofree char *request = g_strdup_printf ("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                                                  "Content-Type: application/json\r\n%s\r\n{}",
                                                  smuggled[i].headers);
      guint status = raw_exchange (f, request, &in);

      /* libsoup itself refuses some ("2, 2") with an empty 400. */
      if (status != smuggled[i].status)
        g_error ("%s: %s", smuggled[i].headers, in->str);
      g_string_free (in, TRUE);
    }

  /* A good request pipelined before a bad one is answered first. */
  {
    g_autoptr(GSocket) s = raw_connect (f);
    GString *req = g_string_new ("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz?");
    gboolean closed = FALSE;

    for (guint i = 0; i < 10000; i++)
      g_string_append_c (req, 'a');
    g_string_append (req, " HTTP/1.1\r\nHost: x\r\n\r\n");
    raw_send (s, req->str, req->len);
    g_string_free (req, TRUE);
    in = raw_read (s, TRUE, 10000, &closed);
    g_assert_true (closed);
    g_assert_cmpuint (status_of (in), ==, 200);
    g_assert_nonnull (strstr (in->str + 1, "HTTP/1.1 414 "));
    g_string_free (in, TRUE);
  }

  big = g_string_new ("GET /healthz?");
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (big, 'a');
  g_string_append (big, " HTTP/1.1\r\nHost: x\r\n\r\n");
  g_assert_cmpuint (raw_exchange (f, big->str, NULL), ==, 414);
  g_string_free (big, TRUE);

  big = g_string_new ("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  for (guint i = 0; i < 40; i++)
    {
      g_string_append_printf (big, "X-Filler-%u: ", i);
      for (guint j = 0; j < 1000; j++)
        g_string_append_c (big, 'b');
      g_string_append (big, "\r\n");
    }
  g_string_append (big, "\r\n");
  g_assert_cmpuint (raw_exchange (f, big->str, NULL), ==, 431);
  g_string_free (big, TRUE);

  g_assert_cmpuint (raw_exchange (f, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", NULL), ==, 200);
}

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  gboolean                 done;
  gboolean                 closed;
  guint                    n_messages;
} Ws;

static void
on_ws_connected (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Ws *ws = user_data;

  ws->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &ws->error);
  ws->done = TRUE;
}

static void
on_ws_closed (SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  ((Ws *) user_data)->closed = TRUE;
}

static void
on_ws_message (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  ((Ws *) user_data)->n_messages++;
}

static gboolean
ws_done (gpointer data)
{
  return ((Ws *) data)->done;
}

static gboolean
ws_closed (gpointer data)
{
  return ((Ws *) data)->closed;
}

static gboolean
ws_answered (gpointer data)
{
  return ((Ws *) data)->n_messages >= 2 || ((Ws *) data)->closed;
}

static void
ws_open (Fixture    *f,
         const char *token,
         Ws         *ws)
{
  g_autofree char *uri = g_strconcat (f->r->base, "/api/v1/events", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  soup_session_websocket_connect_async (f->r->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, on_ws_connected, ws);
  g_assert_true (wait_for (ws_done, ws, 10000));
  g_assert_no_error (ws->error);
  g_signal_connect (ws->conn, "closed", G_CALLBACK (on_ws_closed), ws);
  g_signal_connect (ws->conn, "message", G_CALLBACK (on_ws_message), ws);
}

static void
test_websocket_messages (Fixture       *f,
                         gconstpointer  data)
{
  /* Blank, comment-only and mistyped WebSocket messages, before and after signing in, are refused without a GLib CRITICAL. */
  static const char * const texts[] = {
    " ", "/* */", "", "{\"type\":{}}", "{\"type\":\"auth\",\"token\":[1]}", "[1]", "null",
    "{\"type\":\"ping\",\"seq\":\"x\"}",
  };
  g_autofree char *token = sa_test_login (f->r, "exec.heat");

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      Ws ws = { 0 };

      ws_open (f, NULL, &ws);
      soup_websocket_connection_send_text (ws.conn, texts[i]);
      g_assert_true (wait_for (ws_closed, &ws, 10000));
      g_assert_cmpuint (soup_websocket_connection_get_close_code (ws.conn), ==, 4401);
      g_clear_object (&ws.conn);
    }

  {
    Ws ws = { 0 };

    ws_open (f, token, &ws);
    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      soup_websocket_connection_send_text (ws.conn, texts[i]);
    /* "ready", then an "unsupported" error for a message it could not read. */
    g_assert_true (wait_for (ws_answered, &ws, 10000));
    g_assert_false (ws.closed);
    soup_websocket_connection_close (ws.conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    g_assert_true (wait_for (ws_closed, &ws, 10000));
    g_clear_object (&ws.conn);
  }
}

int
main (int    argc,
      char **argv)
{
  sa_test_registry_env ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/sa/registry/http/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

  ADD ("json-depth-hidden", test_json_depth_hidden);
  ADD ("no-critical-from-bodies", test_no_critical_from_bodies);
  ADD ("bearer-one-parser", test_bearer_one_parser);
  ADD ("fds-after-client-closes", test_fds_after_client_closes);
  ADD ("idle-and-slow-closed", test_idle_and_slow_closed);
  ADD ("body-refused-before-read", test_body_refused_before_read);
  ADD ("content-length-and-sizes", test_content_length_and_sizes);
  ADD ("websocket-messages", test_websocket_messages);

  return g_test_run ();
}
