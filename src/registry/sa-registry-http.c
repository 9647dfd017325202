/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-http"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
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

static gboolean
on_stall (gpointer user_data)
{
  Conn *c = user_data;

  c->stall_id = 0;
  _sa_http_conn_end (c, 0, NULL);
  return G_SOURCE_REMOVE;
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

static void
conn_reset_head (Conn *c)
{
  g_byte_array_set_size (c->head, 0);
  c->head_line_done = FALSE;
}

static gboolean
name_is (const char *name,
         gsize       len,
         const char *what)
{
  return strlen (what) == len && g_ascii_strncasecmp (name, what, len) == 0;
}

/* A complete head, as strictly as RFC 9112 allows: libsoup ignores lines
 * it cannot read, strips NULs and joins folded lines, so anything it
 * might read otherwise than a proxy in front is refused here (§5.1,
 * §5.2, §6.3). Sets body_left; returns 0 or the status to refuse with. */
static guint
conn_inspect_head (Conn        *c,
                   const char **out_body)
{
  const char *p = (const char *) c->head->data;
  const char *end = p + c->head->len;
  gboolean first = TRUE;
  gboolean te = FALSE;
  const char *cl = NULL;
  gsize cl_len = 0;

  c->body_left = 0;
  c->upgrade = FALSE;
  *out_body = "{\"error\":{\"code\":\"bad_request\",\"message\":"
              "\"The request head is not strict HTTP/1.1.\"}}";
  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *line_end = eol;
      const char *colon, *value, *value_end;

      if (eol == NULL)
        return SOUP_STATUS_BAD_REQUEST;
      if (line_end > p && line_end[-1] == '\r')
        line_end--;
      for (const char *q = p; q < line_end; q++)
        if ((guchar) *q < 0x20 && *q != '\t')
          return SOUP_STATUS_BAD_REQUEST;
      if (first || line_end == p)
        {
          first = FALSE;
          p = eol + 1;
          continue;
        }
      if (*p == ' ' || *p == '\t')
        return SOUP_STATUS_BAD_REQUEST;   /* obs-fold */
      colon = memchr (p, ':', line_end - p);
      if (colon == NULL || colon == p)
        return SOUP_STATUS_BAD_REQUEST;
      for (const char *q = p; q < colon; q++)
        if (*q == ' ' || *q == '\t')
          return SOUP_STATUS_BAD_REQUEST;
      value = colon + 1;
      value_end = line_end;
      while (value < value_end && (*value == ' ' || *value == '\t'))
        value++;
      while (value_end > value && (value_end[-1] == ' ' || value_end[-1] == '\t'))
        value_end--;

      if (name_is (p, colon - p, "Content-Length"))
        {
          if (cl != NULL || value == value_end || value_end - value > 18)
            goto bad_length;
          for (const char *q = value; q < value_end; q++)
            if (!g_ascii_isdigit (*q))
              goto bad_length;
          cl = value;
          cl_len = value_end - value;
        }
      else if (name_is (p, colon - p, "Transfer-Encoding"))
        te = TRUE;
      else if (name_is (p, colon - p, "Upgrade"))
        c->upgrade = TRUE;
      p = eol + 1;
    }
  if (te && cl != NULL)
    goto bad_length;
  if (te)
    {
      *out_body = "{\"error\":{\"code\":\"length_required\",\"message\":"
                  "\"Send the body with a Content-Length.\"}}";
      return SOUP_STATUS_LENGTH_REQUIRED;
    }
  if (cl != NULL)
    {
      g_autofree char *digits = g_strndup (cl, cl_len);

      c->body_left = g_ascii_strtoull (digits, NULL, 10);
    }
  return 0;

bad_length:
  *out_body = "{\"error\":{\"code\":\"bad_content_length\",\"message\":"
              "\"Send one Content-Length of digits only, and no Transfer-Encoding with it.\"}}";
  return SOUP_STATUS_BAD_REQUEST;
}

/* Frames the requests in @buf as they pass: heads are collected and
 * checked (limits, conn_inspect_head()), bodies skipped by their length.
 * Returns how many bytes libsoup may have; with *status set, the rest
 * is refused (what came before the bad head still goes, so that a
 * pipelined request before it is answered first). */
gsize
_sa_http_conn_scan (Conn         *c,
                    const guchar *buf,
                    gsize         n,
                    guint        *status,
                    const char  **body)
{
  const SaHttpLimits *l = &c->front->limits;
  gsize head_start = 0;
  gboolean head_here = c->head->len > 0 ? FALSE : TRUE;

  *status = 0;
  for (gsize i = 0; i < n;)
    {
      guchar b;
      gsize len;

      if (c->scan == SCAN_OFF)
        return n;
      if (c->scan == SCAN_BODY)
        {
          gsize take = (gsize) MIN ((guint64) (n - i), c->body_left);

          i += take;
          c->body_left -= take;
          if (c->body_left == 0)
            c->scan = c->upgrade ? SCAN_OFF : SCAN_HEAD;
          continue;
        }

      b = buf[i];
      /* Blank lines before a request line are allowed (RFC 9112 §2.2). */
      if (c->head->len == 0 && (b == '\r' || b == '\n'))
        {
          i++;
          continue;
        }
      if (c->head->len == 0)
        {
          head_start = i;
          head_here = TRUE;
        }
      g_byte_array_append (c->head, &b, 1);
      i++;
      len = c->head->len;
      if (!c->head_line_done)
        {
          if (b == '\n')
            c->head_line_done = TRUE;
          else if (len > l->max_request_line)
            *status = SOUP_STATUS_REQUEST_URI_TOO_LONG;
        }
      if (*status == 0 && len > l->max_head)
        *status = c->head_line_done ? 431 : SOUP_STATUS_REQUEST_URI_TOO_LONG;
      if (*status == 0 && b == '\n' && c->head_line_done &&
          ((len >= 2 && c->head->data[len - 2] == '\n') ||
           (len >= 3 && c->head->data[len - 2] == '\r' && c->head->data[len - 3] == '\n')))
        {
          *status = conn_inspect_head (c, body);
          conn_reset_head (c);
          if (*status == 0)
            c->scan = c->body_left > 0 ? SCAN_BODY : c->upgrade ? SCAN_OFF : SCAN_HEAD;
        }
      if (*status != 0)
        {
          if (*status != SOUP_STATUS_BAD_REQUEST && *status != SOUP_STATUS_LENGTH_REQUIRED)
            *body = NULL;
          return head_here ? head_start : 0;
        }
    }
  return n;
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
/* The streams libsoup reads and writes */

static void sa_http_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SaHttpInput, sa_http_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      sa_http_input_pollable_init))

static gssize
input_read (SaHttpInput   *self,
            void          *buffer,
            gsize          count,
            gboolean       blocking,
            GCancellable  *cancellable,
            GError       **error)
{
  Conn *c = self->conn;

  if (c->closed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The connection is closed");
      return -1;
    }

  if (!c->ending && c->pending_status != 0)
    _sa_http_conn_end (c, c->pending_status, c->pending_body);
  if (!c->ending)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n;

      if (blocking)
        n = g_input_stream_read (c->base_in, buffer, count, cancellable, &local_error);
      else
        n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (c->base_in),
                                                      buffer, count, cancellable, &local_error);
      if (n > 0)
        {
          guint status = 0;
          const char *body = NULL;
          gsize ok = (gsize) n;

          if (c->front != NULL)
            {
              gboolean was_empty = c->head->len == 0;

              ok = _sa_http_conn_scan (c, buffer, n, &status, &body);
              if (status == 0 && was_empty && c->head->len > 0 && c->timer_kind == TIMER_IDLE)
                _sa_http_conn_set_timer (c, TIMER_HEAD, c->front->limits.head_ms);
            }
          if (status == 0)
            return n;
          if (ok > 0)
            {
              /* The requests before the bad one go first; the refusal
               * waits for libsoup to ask for more. */
              c->pending_status = status;
              c->pending_body = body;
              return ok;
            }
          _sa_http_conn_end (c, status, body);
        }
      else if (n < 0 && (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) ||
                         g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return -1;
        }
      else
        /* EOF or a reset: the client is gone. */
        _sa_http_conn_end (c, 0, NULL);
    }

  /* Ending: see the comment at the top. */
  if (c->msg_started)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                           "The registry ended the connection");
      return -1;
    }
  if (!c->fake_sent && count > 0)
    {
      ((char *) buffer)[0] = 'X';
      c->fake_sent = TRUE;
      return 1;
    }
  return 0;
}

static gssize
sa_http_input_read (GInputStream  *stream,
                    void          *buffer,
                    gsize          count,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return input_read (SA_HTTP_INPUT (stream), buffer, count, TRUE, cancellable, error);
}

static gssize
sa_http_input_read_nonblocking (GPollableInputStream  *stream,
                                void                  *buffer,
                                gsize                  count,
                                GError               **error)
{
  return input_read (SA_HTTP_INPUT (stream), buffer, count, FALSE, NULL, error);
}

static gboolean
sa_http_input_is_readable (GPollableInputStream *stream)
{
  Conn *c = SA_HTTP_INPUT (stream)->conn;

  return c->ending || c->closed ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (c->base_in));
}

static GSource *
sa_http_input_create_source (GPollableInputStream *stream,
                             GCancellable         *cancellable)
{
  Conn *c = SA_HTTP_INPUT (stream)->conn;
  GSource *base_source;

  base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (c->base_in),
                                                       cancellable);
  return _sa_http_conn_make_source (c, G_OBJECT (stream), base_source);
}

static gboolean
sa_http_input_close (GInputStream  *stream,
                     GCancellable  *cancellable,
                     GError       **error)
{
  _sa_http_conn_close (SA_HTTP_INPUT (stream)->conn);
  return TRUE;
}

/* GInputStream's default close_async runs close_fn in a worker thread
 * (SoupWebsocketConnection closes that way); a Conn lives on the main
 * context only, so close right here. */
static void
sa_http_input_close_async (GInputStream        *stream,
                           int                  io_priority,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, sa_http_input_close_async);
  _sa_http_conn_close (SA_HTTP_INPUT (stream)->conn);
  g_task_return_boolean (task, TRUE);
}

static gboolean
sa_http_input_close_finish (GInputStream  *stream,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sa_http_input_finalize (GObject *object)
{
  SaHttpInput *self = SA_HTTP_INPUT (object);

  _sa_http_conn_close (self->conn);
  _sa_http_conn_unref (self->conn);
  G_OBJECT_CLASS (sa_http_input_parent_class)->finalize (object);
}

static void
sa_http_input_class_init (SaHttpInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = sa_http_input_finalize;
  stream_class->read_fn = sa_http_input_read;
  stream_class->close_fn = sa_http_input_close;
  stream_class->close_async = sa_http_input_close_async;
  stream_class->close_finish = sa_http_input_close_finish;
}

static void
sa_http_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = sa_http_input_is_readable;
  iface->create_source = sa_http_input_create_source;
  iface->read_nonblocking = sa_http_input_read_nonblocking;
}

static void
sa_http_input_init (SaHttpInput *self)
{
}

static void sa_http_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SaHttpOutput, sa_http_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      sa_http_output_pollable_init))

static gssize
output_write (SaHttpOutput  *self,
              const void    *buffer,
              gsize          count,
              gboolean       blocking,
              GCancellable  *cancellable,
              GError       **error)
{
  Conn *c = self->conn;
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (c->closed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The connection is closed");
      return -1;
    }
  /* An ended connection takes everything and sends nothing. */
  if (c->ending)
    return count;

  if (blocking)
    n = g_output_stream_write (c->base_out, buffer, count, cancellable, &local_error);
  else
    n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (c->base_out),
                                                    buffer, count, cancellable, &local_error);
  if (n >= 0)
    g_clear_handle_id (&c->stall_id, g_source_remove);
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) &&
           c->stall_id == 0 && c->front != NULL)
    c->stall_id = g_timeout_add_full (G_PRIORITY_DEFAULT, c->front->limits.write_stall_ms,
                                      on_stall, _sa_http_conn_ref (c),
                                      (GDestroyNotify) _sa_http_conn_unref);
  if (n < 0)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return n;
}

static gssize
sa_http_output_write (GOutputStream  *stream,
                      const void     *buffer,
                      gsize           count,
                      GCancellable   *cancellable,
                      GError        **error)
{
  return output_write (SA_HTTP_OUTPUT (stream), buffer, count, TRUE, cancellable, error);
}

static gssize
sa_http_output_write_nonblocking (GPollableOutputStream  *stream,
                                  const void             *buffer,
                                  gsize                   count,
                                  GError                **error)
{
  return output_write (SA_HTTP_OUTPUT (stream), buffer, count, FALSE, NULL, error);
}

static gboolean
sa_http_output_flush (GOutputStream  *stream,
                      GCancellable   *cancellable,
                      GError        **error)
{
  Conn *c = SA_HTTP_OUTPUT (stream)->conn;

  if (c->ending || c->closed)
    return TRUE;
  return g_output_stream_flush (c->base_out, cancellable, error);
}

static gboolean
sa_http_output_is_writable (GPollableOutputStream *stream)
{
  Conn *c = SA_HTTP_OUTPUT (stream)->conn;

  return c->ending || c->closed ||
         g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (c->base_out));
}

static GSource *
sa_http_output_create_source (GPollableOutputStream *stream,
                              GCancellable          *cancellable)
{
  Conn *c = SA_HTTP_OUTPUT (stream)->conn;
  GSource *base_source;

  base_source = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (c->base_out),
                                                        cancellable);
  return _sa_http_conn_make_source (c, G_OBJECT (stream), base_source);
}

static gboolean
sa_http_output_close (GOutputStream  *stream,
                      GCancellable   *cancellable,
                      GError        **error)
{
  _sa_http_conn_close (SA_HTTP_OUTPUT (stream)->conn);
  return TRUE;
}

/* As for the input: the defaults would run these in a worker thread. */
static void
sa_http_output_close_async (GOutputStream       *stream,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, sa_http_output_close_async);
  _sa_http_conn_close (SA_HTTP_OUTPUT (stream)->conn);
  g_task_return_boolean (task, TRUE);
}

static void
sa_http_output_flush_async (GOutputStream       *stream,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, sa_http_output_flush_async);
  /* Socket and TLS output streams flush without blocking. */
  if (sa_http_output_flush (stream, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
sa_http_output_finish (GOutputStream  *stream,
                       GAsyncResult   *result,
                       GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sa_http_output_finalize (GObject *object)
{
  SaHttpOutput *self = SA_HTTP_OUTPUT (object);

  _sa_http_conn_unref (self->conn);
  G_OBJECT_CLASS (sa_http_output_parent_class)->finalize (object);
}

static void
sa_http_output_class_init (SaHttpOutputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = sa_http_output_finalize;
  stream_class->write_fn = sa_http_output_write;
  stream_class->flush = sa_http_output_flush;
  stream_class->close_fn = sa_http_output_close;
  stream_class->close_async = sa_http_output_close_async;
  stream_class->close_finish = sa_http_output_finish;
  stream_class->flush_async = sa_http_output_flush_async;
  stream_class->flush_finish = sa_http_output_finish;
}

static void
sa_http_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->is_writable = sa_http_output_is_writable;
  iface->create_source = sa_http_output_create_source;
  iface->write_nonblocking = sa_http_output_write_nonblocking;
}

static void
sa_http_output_init (SaHttpOutput *self)
{
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
