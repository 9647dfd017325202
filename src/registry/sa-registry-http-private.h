/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-registry-http.h"

G_BEGIN_DECLS

/* Shared by the front's own files (sa-registry-http*.c); the comment at
 * the top of sa-registry-http.c says why the registry accepts its own
 * sockets, and docs/architecture.md which file holds what. */

typedef enum
{
  PHASE_HEAD,      /* waiting for, or reading, a request's line and headers */
  PHASE_BODY,      /* reading its body */
  PHASE_HANDLER,   /* the handler and the answer; or a WebSocket */
  PHASE_IDLE,      /* answered, keep-alive, nothing of the next request yet */
} Phase;

typedef enum
{
  SCAN_HEAD,
  SCAN_BODY,
  SCAN_OFF,        /* after an Upgrade: WebSocket frames, not HTTP */
} ScanState;

typedef enum
{
  TIMER_NONE,
  TIMER_IDLE,
  TIMER_HEAD,
  TIMER_BODY,
} TimerKind;

typedef struct _Conn Conn;

struct _SaHttpFront
{
  SoupServer      *soup;
  SaHttpLimits     limits;
  /* the remote GSocketAddress we gave libsoup → Conn; libsoup hands the
   * same object back from soup_server_message_get_remote_address() */
  GHashTable      *conns;
  GSocket         *listening;
  GSource         *accept_source;
  guint            accept_pause_id;
  GTlsCertificate *certificate;
  GSocket         *keepalive_pair[2];
  gulong           request_started_id;
  guint            n_handshakes;
  GCancellable    *cancellable;   /* cancelled when the front goes */
  GThread         *thread;        /* connections live in this one only */
};

struct _Conn
{
  grefcount       ref;
  SaHttpFront    *front;      /* NULL once closed */
  GIOStream      *base;       /* the socket connection, or TLS over it */
  GInputStream   *base_in;
  GOutputStream  *base_out;
  GSocket        *socket;     /* nullable: streams that are not sockets */
  GSocketAddress *remote;
  GSocketAddress *local;
  Phase           phase;
  gboolean        msg_started;   /* libsoup's current message has its callback */
  gboolean        ending;
  gboolean        fake_sent;
  gboolean        closed;
  gboolean        answered;      /* we wrote a refusal ourselves */
  guint           n_requests;
  /* The framer: every byte passes it before libsoup sees it */
  ScanState       scan;
  GByteArray     *head;          /* the head being read, at most max_head bytes */
  gboolean        head_line_done;  /* the request line is in */
  guint64         body_left;
  gboolean        upgrade;       /* the head asked for a WebSocket */
  guint           pending_status;
  const char     *pending_body;  /* static */
  gint64          idle_since;
  TimerKind       timer_kind;
  guint           timer_id;
  guint           stall_id;
  GSList         *triggers;
};

/* The streams libsoup reads and writes: every byte of a Conn */

#define SA_TYPE_HTTP_INPUT (sa_http_input_get_type ())
G_DECLARE_FINAL_TYPE (SaHttpInput, sa_http_input, SA, HTTP_INPUT, GInputStream)

struct _SaHttpInput
{
  GInputStream  parent_instance;
  Conn         *conn;
};

#define SA_TYPE_HTTP_OUTPUT (sa_http_output_get_type ())
G_DECLARE_FINAL_TYPE (SaHttpOutput, sa_http_output, SA, HTTP_OUTPUT, GOutputStream)

struct _SaHttpOutput
{
  GOutputStream  parent_instance;
  Conn          *conn;
};

/* A connection: its life, its timers, its end */
Conn    *_sa_http_conn_ref            (Conn               *c);
void     _sa_http_conn_unref          (Conn               *c);
GSource *_sa_http_conn_make_source    (Conn               *c,
                                       GObject            *stream,
                                       GSource            *base_source);
void     _sa_http_conn_set_timer      (Conn               *c,
                                       TimerKind           kind,
                                       guint64             ms);
void     _sa_http_conn_end            (Conn               *c,
                                       guint               status,
                                       const char         *json_body);
void     _sa_http_conn_close          (Conn               *c);

/* The framer: heads checked against the limits, bodies by their length */
gsize    _sa_http_conn_scan           (Conn               *c,
                                       const guchar       *buf,
                                       gsize               n,
                                       guint              *status,
                                       const char        **body);

/* Where each request is, from SoupServer's signals */
void     _sa_http_on_request_started  (SoupServer         *soup,
                                       SoupServerMessage  *msg,
                                       gpointer            user_data);

G_END_DECLS
