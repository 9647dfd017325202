/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The registry's HTTP/1.1 front: it accepts the sockets itself, guards
 * each connection's bytes and time, and hands it to SoupServer with
 * soup_server_accept_iostream(). See sa-registry-http.c for why. */
typedef struct _SaHttpFront SaHttpFront;

/**
 * SaHttpLimits:
 * @idle_ms: a connection with no request under way is closed after this
 * @head_ms: a request's line and headers must all arrive within this
 * @body_ms: a body must arrive within this, plus its length at @body_min_rate
 * @body_min_rate: bytes per second a body is given time for
 * @write_stall_ms: an answer the client does not read for this long ends it
 * @max_request_line: a longer request line answers 414
 * @max_head: a longer request line and headers answer 431
 * @max_connections: when reached, the longest idle connection is closed
 *   for a new one, or the new one if none is idle
 */
typedef struct
{
  guint idle_ms;
  guint head_ms;
  guint body_ms;
  guint body_min_rate;
  guint write_stall_ms;
  guint max_request_line;
  guint max_head;
  guint max_connections;
} SaHttpLimits;

SaHttpFront *_sa_http_front_new              (SoupServer         *soup);
void         _sa_http_front_free             (SaHttpFront        *front);
gboolean     _sa_http_front_listen           (SaHttpFront        *front,
                                              GSocket            *listening,
                                              GTlsCertificate    *certificate,
                                              GError            **error);
void         _sa_http_front_accept_stream    (SaHttpFront        *front,
                                              GIOStream          *stream,
                                              GSocketAddress     *local,
                                              GSocketAddress     *remote);
void         _sa_http_front_disconnect       (SaHttpFront        *front);
void         _sa_http_front_set_limits       (SaHttpFront        *front,
                                              const SaHttpLimits *limits);
void         _sa_http_front_get_limits       (SaHttpFront        *front,
                                              SaHttpLimits       *limits);
guint        _sa_http_front_get_n_connections (SaHttpFront       *front);
gboolean     _sa_http_front_refuse           (SaHttpFront        *front,
                                              SoupServerMessage  *msg,
                                              guint               status,
                                              const char         *json_body);

G_END_DECLS
