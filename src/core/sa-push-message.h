/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SaPushMessage:
 * @type: the "type" member: "auth", "ready", "changes", "ping", "pong",
 *   "error", "call" …
 * @seq: the "seq" member, or -1 when absent
 * @token: (nullable): the "token" member of an "auth" message
 * @root: the whole message, for members the fields above do not name
 *
 * One text message of the /api/v1/events WebSocket, in either direction
 * (docs/api.md). The registry and the client read it with the same code.
 */
typedef struct
{
  char     *type;
  gint64    seq;
  char     *token;
  JsonNode *root;
} SaPushMessage;

gboolean sa_push_message_parse (const char     *data,
                                gsize           len,
                                SaPushMessage  *out,
                                GError        **error);
void     sa_push_message_clear (SaPushMessage  *msg);

G_END_DECLS
