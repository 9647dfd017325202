/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-deliveries"

#include "config.h"

#include "sa-appeal-model.h"
#include "sa-registry-store.h"

/* GET /api/v1/deliveries and POST /api/v1/deliveries/{id}: channel
 * gateways (operator accounts) fetch the sent replies waiting for their
 * channel and say whether each reached the applicant (docs/api.md). */

#define DELIVERIES_LIMIT_MAX 500

static gboolean
gateway_only (SaRequest *req)
{
  if (req->user->role == SA_ROLE_OPERATOR)
    return TRUE;
  sa_request_reply_error (req, SOUP_STATUS_FORBIDDEN, "forbidden",
                          "Only a channel's gateway (an operator account) delivers replies.");
  return FALSE;
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
deliveries_list_handler (SaRequest *req)
{
  const char *channel = sa_request_query (req, "channel");
  guint64 since = 0, limit = 100;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 next;

  if (!gateway_only (req))
    return;
  if (channel == NULL || !sa_channel_from_string (channel, NULL) ||
      (sa_request_query (req, "since") != NULL &&
       !g_ascii_string_to_unsigned (sa_request_query (req, "since"), 10, 0, G_MAXINT64, &since,
                                    NULL)) ||
      (sa_request_query (req, "limit") != NULL &&
       !g_ascii_string_to_unsigned (sa_request_query (req, "limit"), 10, 1,
                                    DELIVERIES_LIMIT_MAX, &limit, NULL)))
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "Give \"channel\" (a channel's code), and \"since\" and \"limit\" "
                              "(1 to 500) as numbers.");
      return;
    }

  /* One more than asked tells whether there is more. */
  list = sa_store_deliveries_pending (req->db, req->user, channel, since, limit + 1);
  next = since;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "deliveries");
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len && i < limit; i++)
    {
      SaStoreDelivery *d = g_ptr_array_index (list, i);
      g_autofree char *sent_at = _sa_registry_format_time (d->sent_at);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, d->id);
      add_string (b, "appeal_id", d->appeal_id);
      add_string (b, "reg_number", d->reg_number);
      add_string (b, "channel", d->channel);
      add_string (b, "reply_id", d->reply_id);
      add_string (b, "kind", d->kind);
      add_string (b, "language", d->language);
      add_string (b, "visibility", d->visibility);
      add_string (b, "text", d->text);
      add_string (b, "sent_at", sent_at);
      json_builder_set_member_name (b, "applicant");
      json_builder_begin_object (b);
      add_string (b, "name", d->applicant_name);
      add_string (b, "phone", d->applicant_phone);
      add_string (b, "email", d->applicant_email);
      json_builder_end_object (b);
      json_builder_end_object (b);
      next = d->id;
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "next");
  json_builder_add_int_value (b, next);
  json_builder_set_member_name (b, "more");
  json_builder_add_boolean_value (b, list->len > limit);
  json_builder_end_object (b);
  sa_request_reply_builder (req, SOUP_STATUS_OK, b);
}

static void
delivery_record_handler (SaRequest *req)
{
  JsonObject *body = JSON_NODE_HOLDS_OBJECT (req->body) ? json_node_get_object (req->body)
                                                        : NULL;
  JsonNode *delivered = body != NULL ? json_object_get_member (body, "delivered") : NULL;
  JsonNode *detail = body != NULL ? json_object_get_member (body, "detail") : NULL;
  g_autoptr(GError) error = NULL;
  guint64 id = 0;
  gboolean found = FALSE;

  if (!gateway_only (req))
    return;
  if (!g_ascii_string_to_unsigned (req->param, 10, 1, G_MAXINT64, &id, NULL) ||
      delivered == NULL || !JSON_NODE_HOLDS_VALUE (delivered) ||
      json_node_get_value_type (delivered) != G_TYPE_BOOLEAN ||
      (detail != NULL && !JSON_NODE_HOLDS_NULL (detail) &&
       (!JSON_NODE_HOLDS_VALUE (detail) || json_node_get_value_type (detail) != G_TYPE_STRING ||
        g_utf8_strlen (json_node_get_string (detail), -1) > SA_OP_REASON_MAX)))
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "Send {\"delivered\": true|false, \"detail\": \"what the channel "
                              "said\"} (at most 1,000 characters).");
      return;
    }
  if (!sa_store_delivery_record (req->db, req->user, (gint64) id,
                                 json_node_get_boolean (delivered),
                                 detail != NULL && !JSON_NODE_HOLDS_NULL (detail)
                                 ? json_node_get_string (detail) : NULL,
                                 _sa_registry_now (), &found, &error))
    {
      sa_request_reply_gerror (req, error);
      return;
    }
  if (!found)
    {
      sa_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "not_found",
                              "There is no such delivery.");
      return;
    }
  {
    g_autoptr(JsonBuilder) b = json_builder_new ();

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "id");
    json_builder_add_int_value (b, (gint64) id);
    add_string (b, "state", json_node_get_boolean (delivered) ? "delivered" : "failed");
    json_builder_end_object (b);
    sa_request_reply_builder (req, SOUP_STATUS_OK, b);
  }
}

void
_sa_registry_deliveries_register (SaRegistryServer *server)
{
  sa_registry_server_add_route (server, "GET", "/api/v1/deliveries", SA_ROUTE_DEFAULT,
                                deliveries_list_handler);
  sa_registry_server_add_route (server, "POST", "/api/v1/deliveries/",
                                SA_ROUTE_PARAM | SA_ROUTE_JSON_BODY, delivery_record_handler);
}
