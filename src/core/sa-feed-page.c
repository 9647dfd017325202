/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-feed-page"

#include "config.h"

#include "sa-api-client.h"
#include "sa-feed-page.h"

/**
 * sa_feed_page_parse:
 * @root: a `GET /api/v1/changes` answer, as read by the API client
 * @out_changes: (out) (transfer none): its "changes", owned by @root
 * @out_next: (out): its "next" cursor
 * @out_more: (out): its "more", %FALSE when absent
 * @error: an %SA_API_ERROR_PROTOCOL when the page is not one
 *
 * Checks the page's frame with every member's type, so that a broken or
 * hostile answer is an error the sync engine reports, never a CRITICAL.
 * The entries themselves are the cache's to read.
 *
 * Returns: %TRUE if the out values are set
 */
gboolean
sa_feed_page_parse (JsonNode   *root,
                    JsonArray **out_changes,
                    gint64     *out_next,
                    gboolean   *out_more,
                    GError    **error)
{
  JsonObject *obj;
  JsonNode *changes, *next, *more;

  g_return_val_if_fail (out_changes != NULL && out_next != NULL && out_more != NULL, FALSE);

  obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  changes = obj != NULL ? json_object_get_member (obj, "changes") : NULL;
  next = obj != NULL ? json_object_get_member (obj, "next") : NULL;
  more = obj != NULL ? json_object_get_member (obj, "more") : NULL;
  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes) ||
      next == NULL || !JSON_NODE_HOLDS_VALUE (next) ||
      json_node_get_value_type (next) != G_TYPE_INT64 || json_node_get_int (next) < 0 ||
      (more != NULL && !JSON_NODE_HOLDS_NULL (more) &&
       (!JSON_NODE_HOLDS_VALUE (more) || json_node_get_value_type (more) != G_TYPE_BOOLEAN)))
    {
      g_set_error_literal (error, SA_API_ERROR, SA_API_ERROR_PROTOCOL,
                           "The registry's change feed answer lacks “changes” or “next”");
      return FALSE;
    }
  *out_changes = json_node_get_array (changes);
  *out_next = json_node_get_int (next);
  *out_more = more != NULL && JSON_NODE_HOLDS_VALUE (more) && json_node_get_boolean (more);
  return TRUE;
}
