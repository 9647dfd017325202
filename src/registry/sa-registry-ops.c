/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-ops"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "sa-registry-private.h"
#include "sa-sla.h"

#define MAX_OPS_PER_BATCH 100
#define COMMENT_MAX       5000

/* The appeal as an op sees it, read inside the op's transaction. */
typedef struct
{
  char   *id;
  char   *status;
  char   *priority;
  char   *agency;
  char   *executor;
  gint64  version;
} Appeal;

static void
appeal_clear (Appeal *a)
{
  g_free (a->id);
  g_free (a->status);
  g_free (a->priority);
  g_free (a->agency);
  g_free (a->executor);
}

typedef struct
{
  SaRegistryDb   *db;
  SaRegistryUser *user;
  Appeal          appeal;
  JsonObject     *args;
  gint64          now;
  /* set by the op: */
  const char     *code;       /* rejection code, or NULL when applied */
  char           *message;    /* rejection sentence */
  const char     *event;      /* history event type */
  JsonBuilder    *payload;    /* history payload, an open object */
} OpContext;

static gboolean
reject (OpContext  *ctx,
        const char *code,
        const char *message)
{
  ctx->code = code;
  g_free (ctx->message);
  ctx->message = g_strdup (message);
  return FALSE;
}

static const char *
arg_string (OpContext  *ctx,
            const char *name)
{
  JsonNode *node = ctx->args != NULL ? json_object_get_member (ctx->args, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
is_role (OpContext  *ctx,
         const char *role)
{
  return strcmp (ctx->user->role, role) == 0;
}

static gboolean
is_lead_worker (OpContext *ctx)
{
  return (is_role (ctx, "executor") || is_role (ctx, "supervisor") ||
          is_role (ctx, "ksk_manager")) &&
         strcmp (ctx->user->agency, ctx->appeal.agency) == 0;
}

static gboolean
is_open (OpContext *ctx)
{
  const char *s = ctx->appeal.status;

  return strcmp (s, "registered") == 0 || strcmp (s, "in_progress") == 0 ||
         strcmp (s, "info_requested") == 0 || strcmp (s, "reopened") == 0;
}

static gboolean
require_open (OpContext *ctx)
{
  if (is_open (ctx))
    return TRUE;
  return reject (ctx, "appeal_not_open",
                 "The appeal is no longer in work (it awaits approval, is answered or closed); "
                 "only comments are possible.");
}

static gboolean
require_lead (OpContext *ctx)
{
  if (is_lead_worker (ctx))
    return TRUE;
  return reject (ctx, "not_lead_agency",
                 "Only the lead agency's executors and supervisors may do this; ask the lead "
                 "agency or its supervisor.");
}

static gboolean
require_supervisor (OpContext *ctx)
{
  if (is_lead_worker (ctx) && is_role (ctx, "supervisor"))
    return TRUE;
  return reject (ctx, "supervisor_only",
                 "Only a supervisor of the lead agency may do this; ask your supervisor.");
}

static gboolean
agency_exists (SaRegistryDb *db,
               const char   *code)
{
  return sa_registry_db_code_exists (db, "agencies", code);
}

static gboolean
set_column (OpContext   *ctx,
            const char  *sql,
            const char  *value,
            GError     **error)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (ctx->db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ctx->appeal.id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return sa_registry_db_step_done (ctx->db, stmt, error);
}

static gboolean
add_agency_link (OpContext   *ctx,
                 const char  *agency,
                 const char  *role,
                 GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (ctx->db,
                                 "INSERT INTO appeal_agencies (appeal_id, agency, role)"
                                 " VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ctx->appeal.id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, agency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, role, -1, SQLITE_STATIC);
  return sa_registry_db_step_done (ctx->db, stmt, error);
}

static gboolean
agency_linked (OpContext  *ctx,
               const char *agency)
{
  sqlite3_stmt *stmt;
  gboolean found;

  stmt = sa_registry_db_prepare (ctx->db,
                                 "SELECT 1 FROM appeal_agencies WHERE appeal_id = ?1"
                                 " AND agency = ?2", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ctx->appeal.id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, agency, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static void
payload_string (OpContext  *ctx,
                const char *name,
                const char *value)
{
  json_builder_set_member_name (ctx->payload, name);
  if (value != NULL)
    json_builder_add_string_value (ctx->payload, value);
  else
    json_builder_add_null_value (ctx->payload);
}

static gboolean
check_text (OpContext  *ctx,
            const char *text)
{
  glong n = text != NULL && g_utf8_validate (text, -1, NULL) ? g_utf8_strlen (text, -1) : 0;

  if (n < 1 || n > COMMENT_MAX)
    return reject (ctx, "invalid_args", "Give \"args.text\" of 1 to 5000 characters.");
  return TRUE;
}

/* Each op_* checks its rules, returns FALSE with a rejection, or applies
 * its change (inside the transaction) and fills the history event. */

static gboolean
op_take (OpContext *ctx, GError **error)
{
  if (!require_lead (ctx) || !require_open (ctx))
    return FALSE;
  if (g_strcmp0 (ctx->appeal.executor, ctx->user->login) == 0)
    return reject (ctx, "already_yours", "You have this appeal in work already.");
  if (ctx->appeal.executor != NULL && !is_role (ctx, "supervisor"))
    return reject (ctx, "taken_by_other",
                   "Another executor has this appeal; ask your supervisor to reassign it.");
  if (!set_column (ctx, "UPDATE appeals SET executor = ?2, status = CASE status"
                        " WHEN 'registered' THEN 'in_progress' WHEN 'reopened' THEN 'in_progress'"
                        " ELSE status END WHERE id = ?1", ctx->user->login, error))
    return FALSE;
  ctx->event = "taken";
  payload_string (ctx, "executor", ctx->user->login);
  payload_string (ctx, "previous_executor", ctx->appeal.executor);
  return TRUE;
}

static gboolean
op_assign (OpContext *ctx, GError **error)
{
  const char *login = arg_string (ctx, "user");
  g_autoptr(SaRegistryUser) target = NULL;

  if (!require_supervisor (ctx) || !require_open (ctx))
    return FALSE;
  if (login == NULL)
    return reject (ctx, "invalid_args", "Give \"args.user\": the login of the executor.");
  target = _sa_registry_user_lookup (ctx->db, login);
  if (target == NULL || target->disabled || strcmp (target->agency, ctx->appeal.agency) != 0 ||
      strcmp (target->role, "curator") == 0 || strcmp (target->role, "operator") == 0 ||
      strcmp (target->role, "admin") == 0)
    return reject (ctx, "unknown_user",
                   "That user is not an active executor of the lead agency; choose a colleague "
                   "from your agency.");
  if (g_strcmp0 (ctx->appeal.executor, login) == 0)
    return reject (ctx, "unchanged", "That user has this appeal already.");
  if (!set_column (ctx, "UPDATE appeals SET executor = ?2, status = CASE status"
                        " WHEN 'registered' THEN 'in_progress' WHEN 'reopened' THEN 'in_progress'"
                        " ELSE status END WHERE id = ?1", login, error))
    return FALSE;
  ctx->event = "assigned";
  payload_string (ctx, "executor", login);
  payload_string (ctx, "previous_executor", ctx->appeal.executor);
  return TRUE;
}

static gboolean
op_comment (OpContext *ctx, GError **error)
{
  const char *text = arg_string (ctx, "text");

  if (is_role (ctx, "curator"))
    return reject (ctx, "read_only", "A curator's access is read-only.");
  if (is_role (ctx, "admin") || is_role (ctx, "operator"))
    return reject (ctx, "forbidden", "Your role cannot comment on appeals.");
  if (strcmp (ctx->appeal.status, "archived") == 0)
    return reject (ctx, "appeal_archived", "The appeal is archived and cannot change.");
  if (!check_text (ctx, text))
    return FALSE;
  ctx->event = "comment";
  payload_string (ctx, "text", text);
  return TRUE;
}

static gboolean
op_request_info (OpContext *ctx, GError **error)
{
  const char *text = arg_string (ctx, "text");

  if (!require_lead (ctx) || !require_open (ctx))
    return FALSE;
  if (strcmp (ctx->appeal.status, "info_requested") == 0)
    return reject (ctx, "already_requested",
                   "More information was requested already; wait for the applicant.");
  if (!check_text (ctx, text))
    return FALSE;
  if (!set_column (ctx, "UPDATE appeals SET status = ?2 WHERE id = ?1", "info_requested",
                   error))
    return FALSE;
  ctx->event = "info_requested";
  payload_string (ctx, "text", text);
  return TRUE;
}

static gint64
appeal_received_at (OpContext *ctx)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (ctx->db,
                                               "SELECT received_at FROM appeals WHERE id = ?1",
                                               NULL);
  gint64 received = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, ctx->appeal.id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    received = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return received;
}

static gboolean
op_forward (OpContext *ctx, GError **error)
{
  const char *agency = arg_string (ctx, "agency");
  const char *reason = arg_string (ctx, "reason");
  g_autofree char *revoke_id = NULL;
  gboolean operator_on_queue = is_role (ctx, "operator") &&
                               strcmp (ctx->appeal.status, "registered") == 0;

  if (!operator_on_queue && (!require_lead (ctx) || !require_open (ctx)))
    return FALSE;
  if (agency == NULL || !agency_exists (ctx->db, agency))
    return reject (ctx, "unknown_agency",
                   "Give \"args.agency\": the code of a known agency (GET /api/v1/agencies).");
  if (strcmp (agency, ctx->appeal.agency) == 0)
    return reject (ctx, "unchanged", "The appeal is with that agency already.");
  if (reason == NULL || *reason == '\0')
    return reject (ctx, "invalid_args", "Give \"args.reason\": why the appeal is forwarded.");
  if (!set_column (ctx, "UPDATE appeals SET agency = ?2, executor = NULL,"
                        " status = 'registered' WHERE id = ?1", agency, error))
    return FALSE;
  /* The old agency loses sight unless it stays a co-executor; its
   * clients learn that from the feed. */
  revoke_id = g_strconcat (ctx->appeal.id, "|", ctx->appeal.agency, NULL);
  if (!agency_linked (ctx, ctx->appeal.agency) &&
      sa_registry_db_touch (ctx->db, "revoke", revoke_id, ctx->appeal.agency, error) == 0)
    return FALSE;
  ctx->event = "forwarded";
  /* Forwarding later than 3 working days after receipt breaks the rules;
   * it is allowed but flagged, so reports can count it. */
  json_builder_set_member_name (ctx->payload, "late");
  json_builder_add_boolean_value (ctx->payload,
                                  _sa_registry_forward_is_late (appeal_received_at (ctx),
                                                                ctx->now));
  payload_string (ctx, "from", ctx->appeal.agency);
  payload_string (ctx, "to", agency);
  payload_string (ctx, "reason", reason);
  return TRUE;
}

static gboolean
op_extend (OpContext *ctx, GError **error)
{
  const char *due = arg_string (ctx, "due_at");
  const char *reason = arg_string (ctx, "reason");
  g_autoptr(GError) sla_error = NULL;
  g_autofree char *due_text = NULL;
  g_autofree char *notify_text = NULL;
  gint64 requested, new_due;
  sqlite3_stmt *stmt;

  if (!require_supervisor (ctx) || !require_open (ctx))
    return FALSE;
  if (due == NULL || !_sa_registry_parse_time (due, &requested))
    return reject (ctx, "invalid_args",
                   "Give \"args.due_at\": the new legal deadline in RFC 3339.");
  if (reason == NULL || *reason == '\0')
    return reject (ctx, "invalid_args",
                   "Give \"args.reason\": why the deadline is extended; the applicant is told.");
  if (!_sa_registry_extend_legal_due (appeal_received_at (ctx), requested, &new_due, &sla_error))
    return reject (ctx,
                   sla_error->code == SA_SLA_ERROR_EXTENSION_TOO_LONG ? "extension_too_long"
                                                                      : "extension_not_later",
                   sla_error->message);

  stmt = sa_registry_db_prepare (ctx->db, "UPDATE appeals SET legal_due_at = ?2 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ctx->appeal.id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, new_due);
  if (!sa_registry_db_step_done (ctx->db, stmt, error))
    return FALSE;

  due_text = _sa_registry_format_time (new_due);
  /* The law gives 3 working days to tell the applicant; the event says by when. */
  notify_text = _sa_registry_format_time (_sa_registry_extension_notify_by (ctx->now));
  ctx->event = "extended";
  payload_string (ctx, "due_at", due_text);
  payload_string (ctx, "reason", reason);
  payload_string (ctx, "notify_applicant_by", notify_text);
  return TRUE;
}

static gboolean
op_escalate (OpContext *ctx, GError **error)
{
  const char *agency = arg_string (ctx, "agency");
  const char *text = arg_string (ctx, "text");
  const char *due = arg_string (ctx, "due_at");
  gint64 due_at = 0;

  if (!require_lead (ctx) || !require_open (ctx))
    return FALSE;
  if (agency == NULL || !agency_exists (ctx->db, agency))
    return reject (ctx, "unknown_agency",
                   "Give \"args.agency\": the code of a known agency (GET /api/v1/agencies).");
  if (strcmp (agency, ctx->appeal.agency) == 0 || agency_linked (ctx, agency))
    return reject (ctx, "already_involved", "That agency works on this appeal already.");
  if (!check_text (ctx, text))
    return FALSE;
  if (due != NULL && (!_sa_registry_parse_time (due, &due_at) || due_at <= ctx->now))
    return reject (ctx, "invalid_args",
                   "\"args.due_at\" must be an RFC 3339 time in the future.");
  if (!add_agency_link (ctx, agency, "escalated", error))
    return FALSE;
  ctx->event = "escalated";
  payload_string (ctx, "agency", agency);
  payload_string (ctx, "text", text);
  payload_string (ctx, "due_at", due);
  return TRUE;
}

static gboolean
op_set_priority (OpContext *ctx, GError **error)
{
  static const char * const priorities[] = { "low", "normal", "high", "critical" };
  const char *priority = arg_string (ctx, "priority");
  gboolean known = FALSE;
  gboolean operator_on_queue = is_role (ctx, "operator") &&
                               strcmp (ctx->appeal.status, "registered") == 0;

  if (!operator_on_queue && (!require_supervisor (ctx) || !require_open (ctx)))
    return FALSE;
  for (guint i = 0; priority != NULL && i < G_N_ELEMENTS (priorities); i++)
    known |= strcmp (priority, priorities[i]) == 0;
  if (!known)
    return reject (ctx, "invalid_args",
                   "\"args.priority\" must be low, normal, high or critical.");
  if (strcmp (priority, ctx->appeal.priority) == 0)
    return reject (ctx, "unchanged", "The appeal has that priority already.");
  if (!set_column (ctx, "UPDATE appeals SET priority = ?2 WHERE id = ?1", priority, error))
    return FALSE;
  ctx->event = "priority";
  payload_string (ctx, "from", ctx->appeal.priority);
  payload_string (ctx, "to", priority);
  return TRUE;
}

static gboolean
op_add_coexecutor (OpContext *ctx, GError **error)
{
  const char *agency = arg_string (ctx, "agency");

  if (!require_supervisor (ctx) || !require_open (ctx))
    return FALSE;
  if (agency == NULL || !agency_exists (ctx->db, agency))
    return reject (ctx, "unknown_agency",
                   "Give \"args.agency\": the code of a known agency (GET /api/v1/agencies).");
  if (strcmp (agency, ctx->appeal.agency) == 0 || agency_linked (ctx, agency))
    return reject (ctx, "already_involved", "That agency works on this appeal already.");
  if (!add_agency_link (ctx, agency, "coexecutor", error))
    return FALSE;
  ctx->event = "coexecutor_added";
  payload_string (ctx, "agency", agency);
  return TRUE;
}

/* Links an uploaded file (sa-registry-attachments.c checks the blob and
 * fills the payload). Whoever may work on the appeal may add evidence:
 * the lead agency, a co-executor or escalated agency, an operator on the
 * queue; the curator is read-only like everywhere. */
static gboolean
op_attach (OpContext *ctx, GError **error)
{
  const char *code = NULL;
  g_autofree char *message = NULL;

  if (is_role (ctx, "admin"))
    return reject (ctx, "forbidden", "Your role cannot add files to appeals.");
  if (strcmp (ctx->appeal.status, "closed") == 0 || strcmp (ctx->appeal.status, "archived") == 0)
    return reject (ctx, "appeal_closed", "The appeal is closed; files can no longer be added.");
  if (!_sa_registry_attachment_link (ctx->db, ctx->appeal.id, arg_string (ctx, "sha256"),
                                     arg_string (ctx, "name"), ctx->user->login, ctx->now,
                                     ctx->payload, &code, &message, error))
    return code != NULL ? reject (ctx, code, message) : FALSE;
  ctx->event = "attached";
  return TRUE;
}

static const struct
{
  const char *type;
  gboolean  (*apply) (OpContext *ctx, GError **error);
} op_types[] = {
  { "take", op_take },
  { "assign", op_assign },
  { "comment", op_comment },
  { "request_info", op_request_info },
  { "forward", op_forward },
  { "escalate", op_escalate },
  { "set_priority", op_set_priority },
  { "add_coexecutor", op_add_coexecutor },
  { "attach", op_attach },
  { "extend", op_extend },
};

static gboolean
load_appeal (SaRegistryDb *db,
             const char   *id,
             Appeal       *a)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT id, status, priority, agency, executor, version"
                                 " FROM appeals WHERE id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      a->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      a->status = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      a->priority = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      a->agency = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      a->executor = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      a->version = sqlite3_column_int64 (stmt, 5);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

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
apply_one (SaRegistryDb    *db,
           SaRegistryUser  *user,
           JsonNode        *op_node,
           GError         **error)
{
  JsonObject *op;
  const char *op_id, *type, *appeal_id;
  JsonNode *version_node, *args_node;
  gint64 base_version;
  g_autofree char *digest = NULL;
  g_autoptr(JsonNode) appeal_json = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *result_text = NULL;
  OpContext ctx = { 0 };
  sqlite3_stmt *stmt;
  gboolean (*apply) (OpContext *, GError **) = NULL;
  gboolean ok;

  if (!JSON_NODE_HOLDS_OBJECT (op_node))
    return rejected (NULL, "invalid_op", "Each op must be a JSON object.");
  op = json_node_get_object (op_node);
  op_id = _sa_registry_json_string (op, "op_id");
  type = _sa_registry_json_string (op, "type");
  appeal_id = _sa_registry_json_string (op, "appeal_id");
  version_node = json_object_get_member (op, "base_version");
  args_node = json_object_get_member (op, "args");

  if (op_id == NULL || !g_uuid_string_is_valid (op_id))
    return rejected (op_id, "invalid_op", "\"op_id\" must be a UUID made by the client.");
  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (op_types); i++)
    if (strcmp (type, op_types[i].type) == 0)
      apply = op_types[i].apply;
  if (apply == NULL)
    return rejected (op_id, "unknown_type", "This type of operation is not known.");
  if (appeal_id == NULL || version_node == NULL || !JSON_NODE_HOLDS_VALUE (version_node) ||
      json_node_get_value_type (version_node) != G_TYPE_INT64 ||
      (args_node != NULL && !JSON_NODE_HOLDS_OBJECT (args_node) &&
       !JSON_NODE_HOLDS_NULL (args_node)))
    return rejected (op_id, "invalid_op",
                     "Give \"appeal_id\", an integer \"base_version\" and \"args\" as an object.");
  base_version = json_node_get_int (version_node);
  digest = op_digest (type, appeal_id, base_version, args_node);

  if (!sa_registry_db_begin (db, error))
    return NULL;

  /* A replay answers the first result; the same op_id with other content
   * is a client bug that must not pass silently. */
  stmt = sa_registry_db_prepare (db, "SELECT user_id, digest, result FROM ops WHERE op_id = ?1",
                                 error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gboolean same = sqlite3_column_int64 (stmt, 0) == user->id &&
                      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), digest) == 0;
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *first = NULL;

      if (same && json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 2),
                                              -1, NULL))
        first = json_parser_get_root (parser);
      sqlite3_reset (stmt);
      sa_registry_db_rollback (db);
      if (first == NULL || !JSON_NODE_HOLDS_OBJECT (first))
        return rejected (op_id, "op_id_reused",
                         "This op_id was used for a different operation; make a new op_id "
                         "for each operation.");
      json_object_set_string_member (json_node_get_object (first), "status", "duplicate");
      return json_node_ref (first);
    }
  sqlite3_reset (stmt);

  if (!sa_registry_user_can_see_appeal (db, user, appeal_id) ||
      !load_appeal (db, appeal_id, &ctx.appeal))
    {
      sa_registry_db_rollback (db);
      return rejected (op_id, "not_found", "There is no such appeal.");
    }
  if (ctx.appeal.version != base_version)
    {
      appeal_clear (&ctx.appeal);
      sa_registry_db_rollback (db);
      appeal_json = _sa_registry_appeal_to_json (db, appeal_id, TRUE);
      return result_node (op_id, "conflict", NULL, NULL, appeal_json);
    }

  ctx.db = db;
  ctx.user = user;
  ctx.args = args_node != NULL && JSON_NODE_HOLDS_OBJECT (args_node)
             ? json_node_get_object (args_node) : NULL;
  ctx.now = _sa_registry_now ();
  ctx.payload = json_builder_new ();
  json_builder_begin_object (ctx.payload);

  if (is_role (&ctx, "curator") && strcmp (type, "comment") != 0)
    ok = reject (&ctx, "read_only", "A curator's access is read-only.");
  else
    ok = apply (&ctx, error);

  if (!ok)
    {
      g_autofree char *message = g_steal_pointer (&ctx.message);
      const char *code = ctx.code;

      g_clear_object (&ctx.payload);
      appeal_clear (&ctx.appeal);
      sa_registry_db_rollback (db);
      if (code == NULL)
        return NULL;  /* a database error, in @error */
      return rejected (op_id, code, message);
    }

  json_builder_set_member_name (ctx.payload, "op_id");
  json_builder_add_string_value (ctx.payload, op_id);
  json_builder_end_object (ctx.payload);
  payload = json_builder_get_root (ctx.payload);
  g_clear_object (&ctx.payload);

  stmt = sa_registry_db_prepare (db,
                                 "UPDATE appeals SET version = version + 1, updated_at = ?2"
                                 " WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail_ctx;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, ctx.now);
  if (!sa_registry_db_step_done (db, stmt, error) ||
      !_sa_registry_history_add (db, appeal_id, ctx.now, user->login, ctx.event, payload,
                                 error) ||
      sa_registry_db_touch (db, "appeal", appeal_id, NULL, error) == 0)
    goto fail_ctx;

  appeal_json = _sa_registry_appeal_to_json (db, appeal_id, TRUE);
  result = result_node (op_id, "applied", NULL, NULL, appeal_json);
  result_text = _sa_registry_json_to_string (result);

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO ops (op_id, user_id, digest, result, at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    goto fail_ctx;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, user->id);
  sqlite3_bind_text (stmt, 3, digest, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, result_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, ctx.now);
  if (!sa_registry_db_step_done (db, stmt, error) || !sa_registry_db_commit (db, error))
    goto fail_ctx;

  appeal_clear (&ctx.appeal);
  g_free (ctx.message);
  return g_steal_pointer (&result);

fail_ctx:
  appeal_clear (&ctx.appeal);
  g_free (ctx.message);
fail:
  sa_registry_db_rollback (db);
  return NULL;
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
