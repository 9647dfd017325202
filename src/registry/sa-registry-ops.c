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
appeal_node (SaStoreAppeal  *appeal,
             SaRegistryUser *viewer)
{
  g_autoptr(GString) out = NULL;

  if (appeal == NULL)
    return NULL;
  out = g_string_new (NULL);
  sa_registry_json_append_appeal (out, appeal, viewer);
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

  appeal_json = appeal_node (res.appeal, user);
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

/* The HTTP status of a rejection: what the client should do about it. */
static guint
rejection_status (const char *code)
{
  static const char * const forbidden[] = {
    "read_only", "forbidden", "not_lead_agency", "supervisor_only", NULL
  };

  if (g_strcmp0 (code, "not_found") == 0)
    return SOUP_STATUS_NOT_FOUND;
  if (g_strcmp0 (code, "invalid_args") == 0 || g_strcmp0 (code, "op_id_reused") == 0)
    return SOUP_STATUS_BAD_REQUEST;
  if (code != NULL && g_strv_contains (forbidden, code))
    return SOUP_STATUS_FORBIDDEN;
  return SOUP_STATUS_CONFLICT;
}

/* POST /api/v1/appeals/{id}/feedback: the applicant's verdict, recorded
 * by the contact centre or a channel, as a `feedback` op on the appeal as
 * it is now. An "op_id" in the body makes a retry safe. */
static void
feedback_handler (SaRequest *req)
{
  g_autoptr(JsonObject) args = json_object_new ();
  JsonObject *body = JSON_NODE_HOLDS_OBJECT (req->body) ? json_node_get_object (req->body)
                                                        : NULL;
  g_autoptr(JsonNode) args_node = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *digest = NULL;
  const char *given_id;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (body == NULL)
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "Send {\"agree\": true|false, \"rating\": 1..5, \"comment\"}.");
      return;
    }
  given_id = _sa_registry_json_string (body, "op_id");
  if (json_object_has_member (body, "op_id") &&
      (given_id == NULL || !g_uuid_string_is_valid (given_id)))
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "\"op_id\" must be a UUID made by the caller.");
      return;
    }
  op_id = given_id != NULL ? g_strdup (given_id) : g_uuid_string_random ();
  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, &member))
    if (strcmp (name, "op_id") != 0)
      json_object_set_member (args, name, json_node_copy (member));
  args_node = json_node_init_object (json_node_alloc (), args);
  /* The verdict is about the appeal as it is now, whatever its version:
   * a retry with the same op_id is the same verdict. */
  digest = op_digest ("feedback", req->param, 0, args_node);

  /* Another change between reading the version and applying is met by
   * reading it again; the rules decide on the appeal as it then is. */
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      g_autoptr(SaStoreAppeal) now = NULL;
      g_autoptr(GError) error = NULL;
      SaStoreOp sop = { 0 };
      SaStoreOpResult res = { 0 };
      GString *out;

      if (!sa_registry_user_can_see_appeal (req->db, req->user, req->param) ||
          (now = sa_store_appeal_get (req->db, req->param, FALSE)) == NULL)
        {
          sa_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "not_found",
                                  "There is no such appeal.");
          return;
        }
      sop.op_id = op_id;
      sop.type = SA_OP_FEEDBACK;
      sop.appeal_id = req->param;
      sop.base_version = now->version;
      sop.args = args;
      sop.digest = digest;
      if (!sa_store_ops_apply (req->db, req->user, &sop, &res, &error))
        {
          sa_request_reply_gerror (req, error);
          return;
        }
      if (res.status == SA_STORE_OP_CONFLICT)
        {
          sa_store_op_result_clear (&res);
          continue;
        }
      if (res.status == SA_STORE_OP_REJECTED)
        {
          sa_request_reply_error (req, rejection_status (res.code), res.code, res.message);
          sa_store_op_result_clear (&res);
          return;
        }
      out = g_string_new (NULL);
      sa_registry_json_append_appeal (out, res.appeal, req->user);
      sa_store_op_result_clear (&res);
      sa_request_reply_text (req, SOUP_STATUS_OK, out);
      return;
    }
  sa_request_reply_error (req, SOUP_STATUS_CONFLICT, "busy",
                          "The appeal kept changing while the verdict was recorded; send it "
                          "again.");
}

void
_sa_registry_ops_register (SaRegistryServer *server)
{
  sa_registry_server_add_route (server, "POST", "/api/v1/ops", SA_ROUTE_JSON_BODY, ops_handler);
  sa_registry_server_add_route (server, "POST", "/api/v1/appeals/{}/feedback",
                                SA_ROUTE_PARAM | SA_ROUTE_JSON_BODY, feedback_handler);
}
