/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-http"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sa-registry-http-private.h"

/* Why the registry accepts its own sockets.
 *
 * Debian 12's libsoup 3.2.3 leaks every keep-alive connection that the
 * client closes while it is idle: after an answer it makes the next
 * message with no completion callback, and when that message reads EOF
 * before any byte, it finishes without telling SoupServer, which never
 * disconnects it (fixed upstream in 3.3.0, "server: do not leak idle
 * connections closed by the client"). It also has no idle, header or body
 * timeout, reads a body the early handler refused into memory, and resets
 * the connection on a head over 64 KiB.
 *
 * So each connection reaches libsoup through soup_server_accept_iostream()
 * on a stream of ours that sees every byte and knows, from SoupServer's
 * signals, where the request is (head, body, handler, idle). To end a
 * connection we never close it under libsoup: we make the stream say so,
 * in the one way libsoup 3.2 cleans up after. A message that has started
 * (libsoup set its completion callback) gets a read error; an idle
 * keep-alive message, which would leak on a bare EOF, first gets one byte
 * ('X', not HTTP), so that libsoup starts it, fails to parse it and
 * disconnects. Whatever libsoup writes after that is dropped; a refusal
 * (408, 413, 414, 431 …) is written by us before.
 *
 * soup_server_accept_iostream() keeps a connection alive only while the
 * server has a listener; it gets one end of a socketpair that nobody
 * writes to, so that keep-alive works and no one can reach it. */

/* This file: the front itself, its limits, and accepting (TCP, the TLS
 * handshake, max_connections). A connection's life and timers are in
 * sa-registry-http-conn.c, the framer in -framer.c, the streams libsoup
 * reads and writes in -streams.c. */

/* ------------------------------------------------------------------ */
/* Accepting */

/* Makes room under max_connections: ends the connection idle longest. */
static gboolean
front_evict_idle (SaHttpFront *front)
{
  GHashTableIter iter;
  gpointer value;
  Conn *oldest = NULL;

  g_hash_table_iter_init (&iter, front->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Conn *c = value;
      gboolean idle = c->phase == PHASE_IDLE || (c->phase == PHASE_HEAD && c->head->len == 0);

      if (idle && !c->ending && (oldest == NULL || c->idle_since < oldest->idle_since))
        oldest = c;
    }
  if (oldest == NULL)
    return FALSE;
  _sa_http_conn_end (oldest, 0, NULL);
  return TRUE;
}

void
_sa_http_front_accept_stream (SaHttpFront    *front,
                              GIOStream      *stream,
                              GSocketAddress *local,
                              GSocketAddress *remote)
{
  Conn *c;
  g_autoptr(SaHttpInput) input = NULL;
  g_autoptr(SaHttpOutput) output = NULL;
  g_autoptr(GIOStream) guarded = NULL;
  GSocket *socket = NULL;

  g_return_if_fail (front != NULL);
  g_return_if_fail (G_IS_IO_STREAM (stream));
  g_return_if_fail (G_IS_SOCKET_ADDRESS (local) && G_IS_SOCKET_ADDRESS (remote));

  if (G_IS_SOCKET_CONNECTION (stream))
    socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
  else if (G_IS_TLS_CONNECTION (stream))
    {
      GIOStream *inner = NULL;

      g_object_get (stream, "base-io-stream", &inner, NULL);
      if (G_IS_SOCKET_CONNECTION (inner))
        socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (inner));
      g_clear_object (&inner);
    }

  c = g_new0 (Conn, 1);
  g_ref_count_init (&c->ref);
  c->front = front;
  c->base = g_object_ref (stream);
  c->base_in = g_io_stream_get_input_stream (stream);
  c->base_out = g_io_stream_get_output_stream (stream);
  c->socket = socket != NULL ? g_object_ref (socket) : NULL;
  c->local = g_object_ref (local);
  c->remote = g_object_ref (remote);
  c->phase = PHASE_HEAD;
  c->idle_since = g_get_monotonic_time ();
  c->head = g_byte_array_new ();
  g_hash_table_insert (front->conns, c->remote, c);

  input = g_object_new (SA_TYPE_HTTP_INPUT, NULL);
  input->conn = _sa_http_conn_ref (c);
  output = g_object_new (SA_TYPE_HTTP_OUTPUT, NULL);
  output->conn = _sa_http_conn_ref (c);
  guarded = g_simple_io_stream_new (G_INPUT_STREAM (input), G_OUTPUT_STREAM (output));
  /* Emits request-started for the first message, which finds c. */
  soup_server_accept_iostream (front->soup, guarded, local, remote, NULL);
}

typedef struct
{
  SaHttpFront  *front;        /* only while cancellable is not cancelled */
  GCancellable *cancellable;
  GSource      *timeout;
} Handshake;

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Handshake *h = user_data;
  GTlsConnection *tls = G_TLS_CONNECTION (source);
  GIOStream *inner = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  gboolean ok = g_tls_connection_handshake_finish (tls, result, NULL);

  g_source_destroy (h->timeout);
  g_source_unref (h->timeout);
  g_object_get (tls, "base-io-stream", &inner, NULL);
  if (ok && inner != NULL && !g_cancellable_is_cancelled (h->cancellable))
    {
      local = g_socket_connection_get_local_address (G_SOCKET_CONNECTION (inner), NULL);
      remote = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (inner), NULL);
    }
  if (!g_cancellable_is_cancelled (h->cancellable))
    h->front->n_handshakes--;
  if (local != NULL && remote != NULL)
    _sa_http_front_accept_stream (h->front, G_IO_STREAM (tls), local, remote);
  else
    g_io_stream_close (G_IO_STREAM (tls), NULL, NULL);
  g_clear_object (&inner);
  g_object_unref (h->cancellable);
  g_free (h);
  g_object_unref (tls);
}

static gboolean
on_handshake_timeout (gpointer user_data)
{
  /* Closing fails the handshake, which then cleans up. */
  g_io_stream_close (G_IO_STREAM (user_data), NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
front_take_socket (SaHttpFront *front,
                   GSocket     *socket)
{
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;

  if (g_socket_get_family (socket) != G_SOCKET_FAMILY_UNIX)
    /* Answers go out in more than one write; without TCP_NODELAY Nagle's
     * algorithm holds the second until the client's delayed ACK. */
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  conn = g_socket_connection_factory_create_connection (socket);

  if (front->certificate != NULL)
    {
      GIOStream *tls = g_tls_server_connection_new (G_IO_STREAM (conn), front->certificate,
                                                    NULL);
      Handshake *h;

      if (tls == NULL)
        {
          g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
          return;
        }
      g_object_set (tls, "require-close-notify", FALSE, NULL);
      h = g_new0 (Handshake, 1);
      h->front = front;
      h->cancellable = g_object_ref (front->cancellable);
      /* A handshake gets the time a request head gets. */
      h->timeout = g_timeout_source_new (front->limits.head_ms);
      g_source_set_callback (h->timeout, on_handshake_timeout, g_object_ref (tls),
                             g_object_unref);
      g_source_attach (h->timeout, NULL);
      front->n_handshakes++;
      g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                        front->cancellable, on_handshake, h);
      return;
    }

  local = g_socket_connection_get_local_address (conn, NULL);
  remote = g_socket_connection_get_remote_address (conn, NULL);
  if (local == NULL || remote == NULL)
    {
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
      return;
    }
  _sa_http_front_accept_stream (front, G_IO_STREAM (conn), local, remote);
}

static gboolean
on_accept_resume (gpointer user_data)
{
  SaHttpFront *front = user_data;

  front->accept_pause_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
on_acceptable (GSocket      *listening,
               GIOCondition  condition,
               gpointer      user_data)
{
  SaHttpFront *front = user_data;

  if (front->accept_pause_id != 0)
    return G_SOURCE_CONTINUE;
  /* A bounded batch per wakeup, so that the served connections get turns. */
  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = NULL;
      guint n = g_hash_table_size (front->conns) + front->n_handshakes;

      if (n >= front->limits.max_connections && !front_evict_idle (front))
        {
          /* Full of busy connections: a new one waits in the backlog. */
          front->accept_pause_id = g_timeout_add (50, on_accept_resume, front);
          break;
        }
      socket = g_socket_accept (listening, NULL, &error);
      if (socket == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              /* EMFILE and friends: free some, and do not spin. */
              g_debug ("accept: %s", error->message);
              front_evict_idle (front);
              front->accept_pause_id = g_timeout_add (50, on_accept_resume, front);
            }
          break;
        }
      front_take_socket (front, socket);
    }
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------ */

static const SaHttpLimits default_limits = {
  .idle_ms = 75 * 1000,      /* longer than SoupSession's 60 s, so clients close first */
  .head_ms = 20 * 1000,
  .body_ms = 30 * 1000,
  .body_min_rate = 64 * 1024,
  .write_stall_ms = 60 * 1000,
  .max_request_line = 8 * 1024,
  .max_head = 32 * 1024,
  .max_connections = 4096,
};

SaHttpFront *
_sa_http_front_new (SoupServer *soup)
{
  SaHttpFront *front = g_new0 (SaHttpFront, 1);

  struct rlimit nofile;

  front->soup = g_object_ref (soup);
  front->cancellable = g_cancellable_new ();
  front->thread = g_thread_self ();
  front->limits = default_limits;
  /* Stay clear of the descriptor limit, where accept() starts failing. */
  if (getrlimit (RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY &&
      nofile.rlim_cur < (rlim_t) front->limits.max_connections + 128)
    front->limits.max_connections = nofile.rlim_cur > 256 ? nofile.rlim_cur - 128 : 64;
  front->conns = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                        (GDestroyNotify) _sa_http_conn_unref);
  front->request_started_id = g_signal_connect (soup, "request-started",
                                                G_CALLBACK (_sa_http_on_request_started), front);
  return front;
}

/* soup_server_accept_iostream() keeps connections alive only while the
 * server has a listener: give it one that no one can connect to. */
static gboolean
front_ensure_keepalive_listener (SaHttpFront  *front,
                                 GError      **error)
{
  int fds[2];

  if (front->keepalive_pair[0] != NULL)
    return TRUE;
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "socketpair: %s",
                   g_strerror (saved));
      return FALSE;
    }
  front->keepalive_pair[0] = g_socket_new_from_fd (fds[0], error);
  front->keepalive_pair[1] = front->keepalive_pair[0] != NULL
                             ? g_socket_new_from_fd (fds[1], error) : NULL;
  if (front->keepalive_pair[1] == NULL)
    {
      if (front->keepalive_pair[0] == NULL)
        close (fds[0]);
      close (fds[1]);
      g_clear_object (&front->keepalive_pair[0]);
      return FALSE;
    }
  return soup_server_listen_socket (front->soup, front->keepalive_pair[0], 0, error);
}

gboolean
_sa_http_front_listen (SaHttpFront      *front,
                       GSocket          *listening,
                       GTlsCertificate  *certificate,
                       GError          **error)
{
  g_return_val_if_fail (front != NULL, FALSE);
  g_return_val_if_fail (G_IS_SOCKET (listening), FALSE);
  g_return_val_if_fail (front->listening == NULL, FALSE);

  if (!front_ensure_keepalive_listener (front, error))
    return FALSE;
  g_socket_set_blocking (listening, FALSE);
  front->listening = g_object_ref (listening);
  g_set_object (&front->certificate, certificate);
  front->accept_source = g_socket_create_source (listening, G_IO_IN, NULL);
  g_source_set_callback (front->accept_source, G_SOURCE_FUNC (on_acceptable), front, NULL);
  g_source_attach (front->accept_source, NULL);
  return TRUE;
}

/* Stops accepting and ends every connection. */
void
_sa_http_front_disconnect (SaHttpFront *front)
{
  g_autoptr(GList) conns = NULL;

  g_return_if_fail (front != NULL);

  if (front->accept_source != NULL)
    {
      g_source_destroy (front->accept_source);
      g_clear_pointer (&front->accept_source, g_source_unref);
    }
  g_clear_handle_id (&front->accept_pause_id, g_source_remove);
  if (front->listening != NULL)
    g_socket_close (front->listening, NULL);
  g_clear_object (&front->listening);

  conns = g_hash_table_get_values (front->conns);
  for (GList *l = conns; l != NULL; l = l->next)
    _sa_http_conn_ref (l->data);
  for (GList *l = conns; l != NULL; l = l->next)
    {
      _sa_http_conn_close (l->data);
      _sa_http_conn_unref (l->data);
    }
  for (guint i = 0; i < 2; i++)
    if (front->keepalive_pair[i] != NULL)
      g_socket_close (front->keepalive_pair[i], NULL);
}

void
_sa_http_front_free (SaHttpFront *front)
{
  if (front == NULL)
    return;
  _sa_http_front_disconnect (front);
  g_cancellable_cancel (front->cancellable);
  g_clear_object (&front->cancellable);
  g_clear_signal_handler (&front->request_started_id, front->soup);
  g_clear_pointer (&front->conns, g_hash_table_unref);
  g_clear_object (&front->keepalive_pair[0]);
  g_clear_object (&front->keepalive_pair[1]);
  g_clear_object (&front->certificate);
  g_clear_object (&front->soup);
  g_free (front);
}

void
_sa_http_front_set_limits (SaHttpFront        *front,
                           const SaHttpLimits *limits)
{
  g_return_if_fail (front != NULL && limits != NULL);
  front->limits = *limits;
}

void
_sa_http_front_get_limits (SaHttpFront  *front,
                           SaHttpLimits *limits)
{
  g_return_if_fail (front != NULL && limits != NULL);
  *limits = front->limits;
}

guint
_sa_http_front_get_n_connections (SaHttpFront *front)
{
  g_return_val_if_fail (front != NULL, 0);
  return g_hash_table_size (front->conns) + front->n_handshakes;
}

/**
 * _sa_http_front_refuse:
 * @front: the front
 * @msg: a message whose headers are in and whose body is not read
 * @status: the HTTP status
 * @json_body: the answer's body
 *
 * Answers @msg now and ends its connection without reading the body.
 * From the early handler, for a body that must not be read.
 *
 * Returns: %FALSE if @msg did not come through @front (nothing done)
 */
gboolean
_sa_http_front_refuse (SaHttpFront       *front,
                       SoupServerMessage *msg,
                       guint              status,
                       const char        *json_body)
{
  Conn *c;

  g_return_val_if_fail (front != NULL, FALSE);

  c = g_hash_table_lookup (front->conns, soup_server_message_get_remote_address (msg));
  if (c == NULL)
    return FALSE;
  _sa_http_conn_end (c, status, json_body);
  return TRUE;
}
