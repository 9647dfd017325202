/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-ops"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "sa-appeal-model.h"
#include "sa-registry-store.h"

#define MAX_OPS_PER_BATCH 100

/* The op's content, for telling a replay from a reused op_id. */
static char *
op_digest (const char *type,
           const char *appeal_id,
           gint64      base_version,
           JsonNode   *args)
{
  g_autofree char *args_text = args != NULL ? _sa_registry_json_to_string (args) : g_strdup ("");
  g_autofree char *content = g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT "\n%s", type,
                                              appeal_id, base_version, args_text);
  guchar digest[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];

  crypto_hash_sha256 (digest, (const guchar *) content, strlen (content));
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  return g_strdup (hex);
}

static JsonNode *
result_node (const char *op_id,
             const char *status,
             const char *code,
             const char *message,
             JsonNode   *appeal)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "op_id");
  if (op_id != NULL)
    json_builder_add_string_value (b, op_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  if (code != NULL)
    {
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, code);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message);
    }
  if (appeal != NULL)
    {
      json_builder_set_member_name (b, "appeal");
      json_builder_add_value (b, json_node_ref (appeal));
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
rejected (const char *op_id,
          const char *code,
          const char *message)
{
  return result_node (op_id, "rejected", code, message, NULL);
}

static JsonNode *
appeal_node (SaStoreAppeal *appeal)
{
  g_autoptr(GString) out = NULL;

  if (appeal == NULL)
    return NULL;
  out = g_string_new (NULL);
  sa_registry_json_append_appeal (out, appeal);
  return json_from_string (out->str, NULL);
}

static JsonNode *
apply_one (SaRegistryDb    *db,
           SaRegistryUser  *user,
           JsonNode        *op_node,
           GError         **error)
{
  JsonObject *op;
  const char *type;
  JsonNode *version_node, *args_node;
  g_autofree char *digest = NULL;
  g_autoptr(JsonNode) appeal_json = NULL;
  g_autoptr(JsonNode) result = NULL;
  SaStoreOp sop = { 0 };
  SaStoreOpResult res = { 0 };

  if (!JSON_NODE_HOLDS_OBJECT (op_node))
    return rejected (NULL, "invalid_op", "Each op must be a JSON object.");
  op = json_node_get_object (op_node);
  sop.op_id = _sa_registry_json_string (op, "op_id");
  type = _sa_registry_json_string (op, "type");
  sop.appeal_id = _sa_registry_json_string (op, "appeal_id");
  sop.after = _sa_registry_json_string (op, "after");
  version_node = json_object_get_member (op, "base_version");
  args_node = json_object_get_member (op, "args");

  if (sop.op_id == NULL || !g_uuid_string_is_valid (sop.op_id))
    return rejected (sop.op_id, "invalid_op", "\"op_id\" must be a UUID made by the client.");
  if (json_object_has_member (op, "after") &&
      (sop.after == NULL || !g_uuid_string_is_valid (sop.after)))
    return rejected (sop.op_id, "invalid_op", "\"after\" must be the op_id of an earlier op.");
  if (!sa_op_type_from_string (type, &sop.type))
    return rejected (sop.op_id, "unknown_type", "This type of operation is not known.");
  if (sop.appeal_id == NULL || version_node == NULL || !JSON_NODE_HOLDS_VALUE (version_node) ||
      json_node_get_value_type (version_node) != G_TYPE_INT64 ||
      (args_node != NULL && !JSON_NODE_HOLDS_OBJECT (args_node) &&
       !JSON_NODE_HOLDS_NULL (args_node)))
    return rejected (sop.op_id, "invalid_op",
                     "Give \"appeal_id\", an integer \"base_version\" and \"args\" as an object.");
  sop.base_version = json_node_get_int (version_node);
  digest = op_digest (type, sop.appeal_id, sop.base_version, args_node);
  sop.digest = digest;
  sop.args = args_node != NULL && JSON_NODE_HOLDS_OBJECT (args_node)
             ? json_node_get_object (args_node) : NULL;
  sop.made_at = sa_appeal_parse_time (_sa_registry_json_string (op, "made_at"));

  if (!sa_store_ops_apply (db, user, &sop, &res, error))
    return NULL;

  appeal_json = appeal_node (res.appeal);
  switch (res.status)
    {
    case SA_STORE_OP_DUPLICATE:
      result = result_node (sop.op_id, "duplicate", NULL, NULL, appeal_json);
      json_object_set_int_member (json_node_get_object (result), "version", res.version);
      break;
    case SA_STORE_OP_CONFLICT:
      result = result_node (sop.op_id, "conflict", NULL, NULL, appeal_json);
      break;
    case SA_STORE_OP_REJECTED:
      result = rejected (sop.op_id, res.code, res.message);
      break;
    case SA_STORE_OP_APPLIED:
    default:
      result = result_node (sop.op_id, "applied", NULL, NULL, appeal_json);
      break;
    }
  sa_store_op_result_clear (&res);
  return g_steal_pointer (&result);
}

static void
ops_handler (SaRequest *req)
{
  JsonObject *obj = json_node_get_object (req->body);
  JsonNode *ops_node = json_object_get_member (obj, "ops");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonArray *ops;
  guint n;

  if (ops_node == NULL || !JSON_NODE_HOLDS_ARRAY (ops_node))
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "Send {\"ops\": [...]}.");
      return;
    }
  ops = json_node_get_array (ops_node);
  n = json_array_get_length (ops);
  if (n > MAX_OPS_PER_BATCH)
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "too_many_ops",
                              "Send at most 100 operations per request.");
      return;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  /* Each op is its own transaction, committed before the answer: one
   * rejected op does not hold back the others. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *result = apply_one (req->db, req->user, json_array_get_element (ops, i),
                                    &error);

      if (result == NULL)
        {
          JsonNode *op_node = json_array_get_element (ops, i);
          JsonObject *op = JSON_NODE_HOLDS_OBJECT (op_node) ? json_node_get_object (op_node)
                                                            : NULL;

          g_warning ("An operation failed: %s", error != NULL ? error->message : "unknown");
          result = rejected (op != NULL ? _sa_registry_json_string (op, "op_id")
                                        : NULL,
                             "internal", "The registry failed to apply this operation; nothing "
                             "was changed. Send it again later.");
        }
      json_builder_add_value (b, result);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  sa_request_reply_builder (req, SOUP_STATUS_OK, b);
}

void
_sa_registry_ops_register (SaRegistryServer *server)
{
  sa_registry_server_add_route (server, "POST", "/api/v1/ops", SA_ROUTE_JSON_BODY, ops_handler);
}
