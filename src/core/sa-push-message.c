/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-push-message"

#include "config.h"

#include "sa-json-strict.h"
#include "sa-push-message.h"

/**
 * sa_push_message_parse:
 * @data: (array length=len): the message's text
 * @len: its length
 * @out: (out caller-allocates): the message; clear it with
 *   sa_push_message_clear(), also after a failure
 * @error: a %SA_JSON_STRICT_ERROR or a %G_IO_ERROR_INVALID_DATA
 *
 * Reads one WebSocket message: strict JSON (see sa_json_strict_validate()),
 * an object with a string "type", "seq" a whole number ≥ 0 if present,
 * "token" a string if present.
 *
 * Returns: %TRUE if @out holds a message
 */
gboolean
sa_push_message_parse (const char     *data,
                       gsize           len,
                       SaPushMessage  *out,
                       GError        **error)
{
  JsonObject *obj;
  JsonNode *node;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  out->type = NULL;
  out->seq = -1;
  out->token = NULL;
  out->root = sa_json_strict_parse (data != NULL ? data : "", len, SA_JSON_MESSAGE_MAX_DEPTH,
                                    SA_JSON_MESSAGE_MAX_BYTES, error);
  if (out->root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (out->root))
    goto invalid;
  obj = json_node_get_object (out->root);

  node = json_object_get_member (obj, "type");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    goto invalid;
  out->type = g_strdup (json_node_get_string (node));

  node = json_object_get_member (obj, "seq");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 0)
        goto invalid;
      out->seq = json_node_get_int (node);
    }

  node = json_object_get_member (obj, "token");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        goto invalid;
      out->token = g_strdup (json_node_get_string (node));
    }
  return TRUE;

invalid:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Not a message: an object with a string \"type\", a whole \"seq\" "
                       "and a string \"token\" is expected");
  return FALSE;
}

void
sa_push_message_clear (SaPushMessage *msg)
{
  g_return_if_fail (msg != NULL);

  g_clear_pointer (&msg->type, g_free);
  g_clear_pointer (&msg->token, g_free);
  g_clear_pointer (&msg->root, json_node_unref);
  msg->seq = -1;
}
