/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-http"

#include "config.h"

#include "sa-registry-http-private.h"

/* The streams libsoup reads and writes: SaHttpInput passes each byte
 * through the framer and, once a connection ends, tells libsoup so in
 * the way it cleans up after; SaHttpOutput drops what is written after
 * the end and ends a connection whose client stops reading. */

static gboolean
on_stall (gpointer user_data)
{
  Conn *c = user_data;

  c->stall_id = 0;
  _sa_http_conn_end (c, 0, NULL);
  return G_SOURCE_REMOVE;
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
