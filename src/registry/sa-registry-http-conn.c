/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-http"

#include "config.h"

#include <string.h>

#include "sa-registry-http-private.h"

/* A connection: its reference, the wake-ups of what libsoup waits on,
 * its idle, head and body timers, our own refusals, its end and its
 * (lingering) close, and where its request is from SoupServer's signals.
 * Why the front ends connections this way: sa-registry-http.c. */

/* ------------------------------------------------------------------ */
/* Conn */

Conn *
_sa_http_conn_ref (Conn *c)
{
  g_ref_count_inc (&c->ref);
  return c;
}

static void
conn_clear_timers (Conn *c)
{
  g_clear_handle_id (&c->timer_id, g_source_remove);
  g_clear_handle_id (&c->stall_id, g_source_remove);
  c->timer_kind = TIMER_NONE;
}

void
_sa_http_conn_unref (Conn *c)
{
  if (!g_ref_count_dec (&c->ref))
    return;
  g_assert (c->triggers == NULL);
  conn_clear_timers (c);
  if (!c->closed && c->base != NULL)
    g_io_stream_close (c->base, NULL, NULL);
  g_clear_object (&c->base);
  g_clear_object (&c->socket);
  g_clear_object (&c->remote);
  g_clear_object (&c->local);
  g_clear_pointer (&c->head, g_byte_array_unref);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conn, _sa_http_conn_unref)

/* A child source of ours in each pollable source libsoup makes, so that
 * ending a connection wakes whatever waits on it. */
typedef struct
{
  GSource  source;
  Conn    *conn;
} Trigger;

static gboolean
trigger_dispatch (GSource     *source,
                  GSourceFunc  callback,
                  gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback != NULL ? callback (user_data) : G_SOURCE_CONTINUE;
}

static gboolean
trigger_noop (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
trigger_finalize (GSource *source)
{
  Trigger *t = (Trigger *) source;

  t->conn->triggers = g_slist_remove (t->conn->triggers, t);
  _sa_http_conn_unref (t->conn);
}

static GSourceFuncs trigger_funcs = {
  NULL, NULL, trigger_dispatch, trigger_finalize, NULL, NULL,
};

GSource *
_sa_http_conn_make_source (Conn    *c,
                           GObject *stream,
                           GSource *base_source)
{
  GSource *source = g_pollable_source_new_full (stream, base_source, NULL);
  GSource *trigger = g_source_new (&trigger_funcs, sizeof (Trigger));

  ((Trigger *) trigger)->conn = _sa_http_conn_ref (c);
  c->triggers = g_slist_prepend (c->triggers, trigger);
  g_source_set_callback (trigger, trigger_noop, NULL, NULL);
  g_source_set_name (trigger, "sa-registry-http wake");
  if (c->ending || c->closed)
    g_source_set_ready_time (trigger, 0);
  g_source_add_child_source (source, trigger);
  g_source_unref (trigger);
  g_source_unref (base_source);
  return source;
}

static void
conn_wake (Conn *c)
{
  for (GSList *l = c->triggers; l != NULL; l = l->next)
    g_source_set_ready_time (l->data, 0);
}

static gboolean
on_timer (gpointer user_data)
{
  Conn *c = user_data;
  TimerKind kind = c->timer_kind;

  c->timer_id = 0;
  c->timer_kind = TIMER_NONE;
  if (kind == TIMER_IDLE)
    _sa_http_conn_end (c, 0, NULL);
  else
    _sa_http_conn_end (c, SOUP_STATUS_REQUEST_TIMEOUT,
                       "{\"error\":{\"code\":\"timeout\",\"message\":"
                       "\"The request did not arrive in time.\"}}");
  return G_SOURCE_REMOVE;
}

void
_sa_http_conn_set_timer (Conn      *c,
                         TimerKind  kind,
                         guint64    ms)
{
  g_clear_handle_id (&c->timer_id, g_source_remove);
  c->timer_kind = kind;
  if (kind != TIMER_NONE && !c->ending && !c->closed)
    c->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, MIN (ms, G_MAXUINT), on_timer,
                                      _sa_http_conn_ref (c),
                                      (GDestroyNotify) _sa_http_conn_unref);
}

static const char *
reason_phrase (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST: return "Bad Request";
    case SOUP_STATUS_REQUEST_TIMEOUT: return "Request Timeout";
    case SOUP_STATUS_LENGTH_REQUIRED: return "Length Required";
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE: return "Content Too Large";
    case SOUP_STATUS_REQUEST_URI_TOO_LONG: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case SOUP_STATUS_SERVICE_UNAVAILABLE: return "Service Unavailable";
    default: return "Error";
    }
}

/* Our own answer, written while libsoup is still reading the request (so
 * it writes nothing itself). Best effort: a client that does not take a
 * few hundred bytes gets none. */
static void
conn_write_answer (Conn       *c,
                   guint       status,
                   const char *json_body)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  g_autofree char *server_header = NULL;
  gsize len = strlen (json_body);

  if (c->front != NULL)
    g_object_get (c->front->soup, "server-header", &server_header, NULL);
  g_string_append_printf (out, "HTTP/1.1 %u %s\r\n", status, reason_phrase (status));
  if (server_header != NULL)
    g_string_append_printf (out, "Server: %s\r\n", server_header);
  g_string_append_printf (out,
                          "Date: %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Cache-Control: no-store\r\n"
                          "Connection: close\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
                          date, len, json_body);
  if (G_IS_POLLABLE_OUTPUT_STREAM (c->base_out) &&
      g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (c->base_out)))
    g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (c->base_out),
                                                out->str, out->len, NULL, NULL);
  else
    g_output_stream_write (c->base_out, out->str, out->len, NULL, NULL);
  c->answered = TRUE;
}

/* Ends @c: answers @status (0: silently), then lets libsoup find out
 * through the stream; what libsoup writes from now on is dropped. */
void
_sa_http_conn_end (Conn       *c,
                   guint       status,
                   const char *json_body)
{
  if (c->ending || c->closed)
    return;
  c->ending = TRUE;
  conn_clear_timers (c);
  if (status != 0)
    {
      if (json_body == NULL)
        json_body = status == SOUP_STATUS_REQUEST_URI_TOO_LONG
          ? "{\"error\":{\"code\":\"uri_too_long\",\"message\":"
            "\"The request line is longer than the registry reads.\"}}"
          : "{\"error\":{\"code\":\"headers_too_large\",\"message\":"
            "\"The request headers are larger than the registry reads.\"}}";
      conn_write_answer (c, status, json_body);
    }
  conn_wake (c);
}

/* The lingering close: after a refusal the client may still be sending
 * (SoupSession and curl read the answer only once the body is out);
 * closing on unread bytes would reset the connection and the client
 * would never see our answer. So the rest is read into one small buffer
 * and dropped, up to LINGER_BYTES or LINGER_MS: memory stays flat. */
#define LINGER_BYTES (64 * 1024 * 1024)
#define LINGER_MS    5000

typedef struct
{
  GIOStream *base;
  GSocket   *socket;
  GSource   *source;
  gsize      left;
  guint      timeout_id;
} Linger;

static void
linger_done (Linger *l)
{
  g_clear_handle_id (&l->timeout_id, g_source_remove);
  if (l->source != NULL)
    {
      g_source_destroy (l->source);
      g_clear_pointer (&l->source, g_source_unref);
    }
  g_io_stream_close (l->base, NULL, NULL);
  g_object_unref (l->base);
  g_object_unref (l->socket);
  g_free (l);
}

static gboolean
linger_read (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  Linger *l = user_data;
  char buf[16384];
  g_autoptr(GError) error = NULL;
  gssize n = g_socket_receive_with_blocking (socket, buf, sizeof buf, FALSE, NULL, &error);

  if (n > 0 && (gsize) n < l->left)
    {
      l->left -= n;
      return G_SOURCE_CONTINUE;
    }
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&l->source, g_source_unref);
  linger_done (l);
  return G_SOURCE_REMOVE;
}

static gboolean
linger_timeout (gpointer user_data)
{
  Linger *l = user_data;

  l->timeout_id = 0;
  linger_done (l);
  return G_SOURCE_REMOVE;
}

void
_sa_http_conn_close (Conn *c)
{
  SaHttpFront *front = c->front;

  if (c->closed)
    return;
  g_assert (front == NULL || front->thread == g_thread_self ());
  c->closed = TRUE;
  conn_clear_timers (c);
  conn_wake (c);
  c->front = NULL;

  if (c->answered && c->socket != NULL && !G_IS_TLS_CONNECTION (c->base) &&
      g_socket_shutdown (c->socket, FALSE, TRUE, NULL))
    {
      Linger *l = g_new0 (Linger, 1);

      l->base = g_object_ref (c->base);
      l->socket = g_object_ref (c->socket);
      l->left = LINGER_BYTES;
      l->source = g_socket_create_source (c->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (l->source, G_SOURCE_FUNC (linger_read), l, NULL);
      g_source_attach (l->source, NULL);
      l->timeout_id = g_timeout_add (LINGER_MS, linger_timeout, l);
    }
  else
    g_io_stream_close (c->base, NULL, NULL);

  if (front != NULL)
    g_hash_table_remove (front->conns, c->remote);
}

/* ------------------------------------------------------------------ */
/* Where each request is, from SoupServer's signals */

static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  Conn *c = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = 0;

  if (c->ending || c->closed || c->front == NULL)
    return;
  c->phase = PHASE_BODY;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);
  if (length > 0)
    _sa_http_conn_set_timer (c, TIMER_BODY,
                             c->front->limits.body_ms +
                             (guint64) length * 1000 / MAX (c->front->limits.body_min_rate, 1));
  else
    _sa_http_conn_set_timer (c, TIMER_NONE, 0);
}

static void
on_got_body (SoupServerMessage *msg,
             gpointer           user_data)
{
  Conn *c = user_data;

  c->phase = PHASE_HANDLER;
  _sa_http_conn_set_timer (c, TIMER_NONE, 0);
}

static void
on_finished (SoupServerMessage *msg,
             gpointer           user_data)
{
  Conn *c = user_data;

  c->phase = PHASE_IDLE;
  c->msg_started = FALSE;
  c->fake_sent = FALSE;
  c->idle_since = g_get_monotonic_time ();
  if (c->front != NULL)
    _sa_http_conn_set_timer (c, TIMER_IDLE, c->front->limits.idle_ms);
}

static void
conn_closure_unref (gpointer  data,
                    GClosure *closure)
{
  _sa_http_conn_unref (data);
}

void
_sa_http_on_request_started (SoupServer        *soup,
                             SoupServerMessage *msg,
                             gpointer           user_data)
{
  SaHttpFront *front = user_data;
  Conn *c = g_hash_table_lookup (front->conns, soup_server_message_get_remote_address (msg));

  if (c == NULL)
    return;
  c->phase = PHASE_HEAD;
  c->msg_started = TRUE;
  /* A keep-alive request starts at its first byte; the first request on a
   * connection when the connection is made, and waits as idle. */
  if (c->n_requests++ > 0 || c->head->len > 0)
    _sa_http_conn_set_timer (c, TIMER_HEAD, front->limits.head_ms);
  else
    _sa_http_conn_set_timer (c, TIMER_IDLE, front->limits.idle_ms);
  g_signal_connect_data (msg, "got-headers", G_CALLBACK (on_got_headers), _sa_http_conn_ref (c),
                         conn_closure_unref, 0);
  g_signal_connect_data (msg, "got-body", G_CALLBACK (on_got_body), _sa_http_conn_ref (c),
                         conn_closure_unref, 0);
  g_signal_connect_data (msg, "finished", G_CALLBACK (on_finished), _sa_http_conn_ref (c),
                         conn_closure_unref, 0);
}
