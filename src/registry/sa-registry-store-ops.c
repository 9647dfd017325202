/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"
#include "sa-registry-store-private.h"

/* The transactional part of POST /api/v1/ops: each op is checked against
 * the appeal model's rules and the registry's tables, applied, recorded
 * in the history and the ops table, in a transaction of its own. */

/* How far a client's clock may run ahead, and how old an offline edit
 * may be, before the time it says it was made is held to those bounds. */
#define MADE_AT_AHEAD_MAX   (5 * 60)
#define MADE_AT_OFFLINE_MAX (30 * 24 * 60 * 60)

/* The appeal as an op sees it, read inside the op's transaction; the
 * rules themselves are the appeal model's (sa-appeal-model.c). */
typedef struct
{
  char          *id;
  char          *status;
  char          *priority;
  char          *agency;
  char          *executor;
  char          *category;
  GPtrArray     *involved;
  GPtrArray     *coexecutors;    /* points into involved's strings */
  GPtrArray     *reply_strings;  /* what state.replies points into */
  GArray        *replies;        /* SaReplyInfo */
  SaAppealState  state;
} Appeal;

static void
appeal_clear (Appeal *a)
{
  g_free (a->id);
  g_free (a->status);
  g_free (a->priority);
  g_free (a->agency);
  g_free (a->executor);
  g_free (a->category);
  g_clear_pointer (&a->coexecutors, g_ptr_array_unref);
  g_clear_pointer (&a->involved, g_ptr_array_unref);
  g_clear_pointer (&a->replies, g_array_unref);
  g_clear_pointer (&a->reply_strings, g_ptr_array_unref);
}

typedef struct
{
  SaRegistryDb   *db;
  SaRegistryUser *user;
  SaActor         actor;
  SaOpType        type;
  Appeal          appeal;
  SaAppealState   after;
  JsonObject     *args;
  gint64          now;
  /* set by the op: */
  const char     *code;       /* rejection code, or NULL when applied */
  char           *message;    /* rejection sentence */
  JsonObject     *payload;    /* the history payload */
  gboolean        quiet;      /* makes no history event (a draft saved again) */
} OpContext;

static gboolean
reject (OpContext  *ctx,
        const char *code,
        const char *message)
{
  ctx->code = code;
  g_free (ctx->message);
  ctx->message = g_strdup (message != NULL ? message : sa_rejection_message (code));
  return FALSE;
}

static gboolean
reject_error (OpContext    *ctx,
              const GError *error)
{
  return reject (ctx, sa_appeal_error_code (error), error->message);
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
agency_exists (SaRegistryDb *db,
               const char   *code)
{
  return sa_registry_db_code_exists (db, "agencies", code);
}

/* What only the registry's tables can tell, beyond the model's rules. */
static gboolean
check_in_registry (OpContext *ctx)
{
  const char *agency = arg_string (ctx, "agency");

  switch (ctx->type)
    {
    case SA_OP_ASSIGN:
      {
        g_autoptr(SaRegistryUser) target = _sa_registry_user_lookup (ctx->db,
                                                                     arg_string (ctx, "user"));

        if (target == NULL || target->disabled ||
            strcmp (target->agency, ctx->appeal.state.agency) != 0 ||
            !sa_role_works_appeals (target->role))
          return reject (ctx, "unknown_user",
                         "That user is not an active executor of the lead agency; choose a "
                         "colleague from your agency.");
      }
      break;
    case SA_OP_REPLY_SAVE:
      {
        /* A reply includes only files the appeal already has. */
        JsonNode *files = json_object_get_member (ctx->args, "attachments");
        JsonArray *list = files != NULL && JSON_NODE_HOLDS_ARRAY (files)
                          ? json_node_get_array (files) : NULL;

        for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
          if (!sa_store_appeal_has_file (ctx->db, ctx->appeal.id,
                                         json_array_get_string_element (list, i)))
            return reject (ctx, "file_not_attached", NULL);
      }
      break;
    case SA_OP_QUICK_ANSWER:
      if (!sa_store_template_usable (ctx->db, arg_string (ctx, "template_id"), ctx->user->agency,
                                     arg_string (ctx, "language")))
        return reject (ctx, "unknown_template", NULL);
      break;
    case SA_OP_FORWARD:
    case SA_OP_ESCALATE:
    case SA_OP_ADD_COEXECUTOR:
      if (!agency_exists (ctx->db, agency))
        return reject (ctx, "unknown_agency",
                       "Give \"args.agency\": the code of a known agency (GET /api/v1/agencies).");
      break;
    case SA_OP_TAKE:
    case SA_OP_COMMENT:
    case SA_OP_REQUEST_INFO:
    case SA_OP_SET_PRIORITY:
    case SA_OP_ATTACH:
    case SA_OP_EXTEND:
    default:
      break;
    }
  return TRUE;
}

static gboolean
add_agency_link (OpContext     *ctx,
                 const char    *agency,
                 SaAgencyLink   link,
                 GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (ctx->db,
                                 "INSERT INTO appeal_agencies (appeal_id, agency, role)"
                                 " VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ctx->appeal.id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, agency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, sa_agency_link_to_string (link), -1, SQLITE_STATIC);
  return sa_registry_db_step_done (ctx->db, stmt, error);
}

/* Writes what sa_appeal_state_apply() changed, and the version. */
static gboolean
write_state (OpContext  *ctx,
             GError    **error)
{
  const SaAppealState *after = &ctx->after;
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (ctx->db,
                                 "UPDATE appeals SET status = ?2, priority = ?3, agency = ?4,"
                                 " executor = ?5, legal_due_at = ?6, version = ?7,"
                                 " updated_at = ?8, under_control = ?9 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ctx->appeal.id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sa_appeal_status_to_string (after->status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, sa_priority_to_string (after->priority), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, after->agency, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, after->executor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, after->legal_due_at);
  sqlite3_bind_int64 (stmt, 7, after->version);
  sqlite3_bind_int64 (stmt, 8, ctx->now);
  sqlite3_bind_int (stmt, 9, after->under_control);
  return sa_registry_db_step_done (ctx->db, stmt, error);
}

static void
payload_add_time (OpContext  *ctx,
                  const char *name,
                  gint64      at)
{
  g_autofree char *text = _sa_registry_format_time (at);

  json_object_set_string_member (ctx->payload, name, text);
}

/* Sets one of the appeal's times (the answer's, a new deadline). */
static gboolean
set_appeal_time (OpContext   *ctx,
                 const char  *column,
                 gint64       at,
                 GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE appeals SET %s = ?2 WHERE id = ?1", column);
  sqlite3_stmt *stmt = sa_registry_db_prepare (ctx->db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ctx->appeal.id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, at);
  return sa_registry_db_step_done (ctx->db, stmt, error);
}

/* What the reply ops write beyond the appeal's row. */
static gboolean
apply_reply_op (OpContext  *ctx,
                GError    **error)
{
  const char *reply_id = arg_string (ctx, "reply_id");
  const SaReplyInfo *reply = sa_appeal_state_find_reply (&ctx->appeal.state, reply_id);

  switch (ctx->type)
    {
    case SA_OP_QUICK_ANSWER:
      return sa_store_reply_apply (ctx->db, ctx->appeal.id, ctx->type, ctx->args, &ctx->actor,
                                   ctx->now, NULL, NULL, error) &&
             set_appeal_time (ctx, "answered_at", ctx->now, error);
    case SA_OP_REPLY_SAVE:
    case SA_OP_REPLY_SUBMIT:
    case SA_OP_REPLY_APPROVE:
    case SA_OP_REPLY_RETURN:
      {
        gboolean created = FALSE;
        gint64 version = 0;

        if (!sa_store_reply_apply (ctx->db, ctx->appeal.id, ctx->type, ctx->args, &ctx->actor,
                                   ctx->now, &created, &version, error))
          return FALSE;
        /* The history says a reply is being written once, not per save. */
        ctx->quiet = ctx->type == SA_OP_REPLY_SAVE && !created;
        if (ctx->type == SA_OP_REPLY_SUBMIT)
          json_object_set_int_member (ctx->payload, "version", version);
        if (ctx->type == SA_OP_REPLY_APPROVE || ctx->type == SA_OP_REPLY_RETURN)
          json_object_set_string_member (ctx->payload, "author", reply->author);
        if (ctx->type == SA_OP_REPLY_APPROVE && arg_string (ctx, "without_parts_reason") != NULL)
          json_object_set_string_member (ctx->payload, "without_parts_reason",
                                         arg_string (ctx, "without_parts_reason"));
        if (ctx->type == SA_OP_REPLY_APPROVE && reply->kind == SA_REPLY_KIND_ANSWER &&
            !set_appeal_time (ctx, "answered_at", ctx->now, error))
          return FALSE;
      }
      break;
    case SA_OP_FEEDBACK:
      /* Back in work under control, with a new operational deadline
       * counted from now by the category's regulation. */
      if (ctx->after.status == SA_APPEAL_STATUS_REOPENED)
        {
          gint64 due = _sa_registry_operational_due (ctx->db, ctx->appeal.category, ctx->now);

          if (due > 0 && !set_appeal_time (ctx, sa_deadline_field (SA_DEADLINE_RESOLUTION), due,
                                           error))
            return FALSE;
          if (due > 0)
            payload_add_time (ctx, sa_deadline_field (SA_DEADLINE_RESOLUTION), due);
        }
      break;
    default:
      break;
    }
  return TRUE;
}

/* The changes that reach beyond the appeal's row, and what only the
 * registry adds to the history. */
static gboolean
apply_in_registry (OpContext  *ctx,
                   GError    **error)
{
  SaAgencyLink link = sa_op_type_link (ctx->type);

  if (link != SA_AGENCY_LINK_NONE &&
      !add_agency_link (ctx, arg_string (ctx, "agency"), link, error))
    return FALSE;

  switch (ctx->type)
    {
    case SA_OP_FORWARD:
      {
        /* The old agency loses sight unless it stays a co-executor; its
         * clients learn that from the feed. */
        const char *old = ctx->appeal.state.agency;
        g_autofree char *revoke_id = g_strconcat (ctx->appeal.id, "|", old, NULL);
        gboolean still_involved = FALSE;

        for (guint i = 0; i < ctx->appeal.involved->len; i++)
          still_involved |= g_strcmp0 (g_ptr_array_index (ctx->appeal.involved, i), old) == 0;
        if (!still_involved &&
            sa_registry_db_touch (ctx->db, "revoke", revoke_id, old, error) == 0)
          return FALSE;
        /* Forwarding later than 3 working days after receipt breaks the
         * rules; it is allowed but flagged, so reports can count it. */
        json_object_set_boolean_member (ctx->payload, "late",
                                        _sa_registry_forward_is_late (
                                          ctx->appeal.state.received_at, ctx->now));
      }
      break;
    case SA_OP_EXTEND:
      {
        /* The law gives 3 working days to tell the applicant; the event
         * and the appeal say by when, until a notice is sent. */
        gint64 notify_by = _sa_registry_extension_notify_by (ctx->now);

        sqlite3_stmt *stmt;

        payload_add_time (ctx, SA_APPEAL_FIELD_NOTIFY_BY, notify_by);
        /* A new extension needs a new notice, whatever an earlier one said. */
        stmt = sa_registry_db_prepare (ctx->db, "UPDATE appeals SET notify_applicant_by = ?2,"
                                                " applicant_notified_at = NULL WHERE id = ?1",
                                       error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, ctx->appeal.id, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (stmt, 2, notify_by);
        if (!sa_registry_db_step_done (ctx->db, stmt, error))
          return FALSE;
      }
      break;
    case SA_OP_ATTACH:
      {
        /* sa-registry-attachments.c checks the blob and describes it. */
        g_autoptr(JsonBuilder) b = json_builder_new ();
        g_autoptr(JsonNode) described = NULL;
        g_autofree char *message = NULL;
        const char *code = NULL;

        json_builder_begin_object (b);
        if (!_sa_registry_attachment_link (ctx->db, ctx->appeal.id, arg_string (ctx, "sha256"),
                                           arg_string (ctx, "name"), ctx->user->login, ctx->now,
                                           b, &code, &message, error))
          return code != NULL ? reject (ctx, code, message) : FALSE;
        json_builder_end_object (b);
        described = json_builder_get_root (b);
        json_object_unref (ctx->payload);
        ctx->payload = json_object_ref (json_node_get_object (described));
      }
      break;
    case SA_OP_REPLY_SAVE:
    case SA_OP_REPLY_SUBMIT:
    case SA_OP_REPLY_APPROVE:
    case SA_OP_REPLY_RETURN:
    case SA_OP_FEEDBACK:
    case SA_OP_QUICK_ANSWER:
      return apply_reply_op (ctx, error);
    case SA_OP_TAKE:
    case SA_OP_ASSIGN:
    case SA_OP_COMMENT:
    case SA_OP_REQUEST_INFO:
    case SA_OP_ESCALATE:
    case SA_OP_SET_PRIORITY:
    case SA_OP_ADD_COEXECUTOR:
    case SA_OP_INFO_RECEIVED:
    default:
      break;
    }
  return TRUE;
}

/* Checks the op against the model's rules and the registry's tables and
 * applies it inside the transaction: FALSE with a rejection in @ctx, or
 * FALSE with @error for a database failure. */
static gboolean
apply_op (OpContext  *ctx,
          GError    **error)
{
  g_autoptr(GError) refused = NULL;

  if (!sa_op_check (ctx->type, &ctx->actor, &ctx->appeal.state, ctx->args, ctx->now, &refused))
    return reject_error (ctx, refused);
  if (!check_in_registry (ctx))
    return FALSE;
  ctx->after = ctx->appeal.state;
  if (!sa_appeal_state_apply (&ctx->after, ctx->type, &ctx->actor, ctx->args, &refused))
    return reject_error (ctx, refused);
  ctx->payload = sa_op_history_payload (ctx->type, &ctx->appeal.state, &ctx->after, ctx->args);
  return write_state (ctx, error) && apply_in_registry (ctx, error);
}

static gboolean
load_appeal (SaRegistryDb *db,
             const char   *id,
             Appeal       *a)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT id, status, priority, agency, executor, version,"
                                 " received_at, legal_due_at, category, under_control"
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
      a->state.version = sqlite3_column_int64 (stmt, 5);
      a->state.received_at = sqlite3_column_int64 (stmt, 6);
      a->state.legal_due_at = sqlite3_column_int64 (stmt, 7);
      a->category = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      a->state.under_control = sqlite3_column_int (stmt, 9) != 0;
      found = TRUE;
    }
  sqlite3_reset (stmt);
  if (!found)
    return FALSE;

  a->involved = g_ptr_array_new_with_free_func (g_free);
  a->coexecutors = g_ptr_array_new ();
  stmt = sa_registry_db_prepare (db, "SELECT agency, role FROM appeal_agencies"
                                     " WHERE appeal_id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char *agency = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

      g_ptr_array_add (a->involved, agency);
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1),
                     sa_agency_link_to_string (SA_AGENCY_LINK_COEXECUTOR)) == 0)
        g_ptr_array_add (a->coexecutors, agency);
    }
  sqlite3_reset (stmt);
  g_ptr_array_add (a->involved, NULL);
  g_ptr_array_add (a->coexecutors, NULL);

  /* A status or priority this build does not know is a damaged row. */
  if (!sa_appeal_status_from_string (a->status, &a->state.status) ||
      !sa_priority_from_string (a->priority, &a->state.priority))
    return FALSE;
  a->state.agency = a->agency;
  a->state.executor = a->executor;
  a->state.involved = (const char * const *) a->involved->pdata;
  a->state.coexecutors = (const char * const *) a->coexecutors->pdata;
  a->reply_strings = g_ptr_array_new_with_free_func (g_free);
  a->replies = _sa_store_reply_infos (db, id, a->reply_strings);
  a->state.replies = (const SaReplyInfo *) (gpointer) a->replies->data;
  a->state.n_replies = a->replies->len;
  return TRUE;
}

/* When the person made the op, as the client recorded it: an offline edit
 * keeps its own time, within sane bounds of the registry's clock. */
static gint64
op_made_at (gint64 made,
            gint64 received_at,
            gint64 now)
{
  if (made == 0)
    return now;
  return CLAMP (made, MAX (received_at, now - MADE_AT_OFFLINE_MAX), now + MADE_AT_AHEAD_MAX);
}

void
sa_store_op_result_clear (SaStoreOpResult *result)
{
  g_clear_pointer (&result->message, g_free);
  g_clear_pointer (&result->appeal, sa_store_appeal_free);
}

static gboolean
result_rejected (SaStoreOpResult *result,
                 const char      *code,
                 const char      *message)
{
  result->status = SA_STORE_OP_REJECTED;
  result->code = code;
  result->message = g_strdup (message);
  return TRUE;
}

/**
 * sa_store_ops_apply:
 * @db: the database, outside a transaction
 * @user: who sends the op
 * @op: the op, its members checked for type by the caller
 * @result: (out caller-allocates): zeroed; what became of the op
 * @error: return location for a #GError
 *
 * Applies one op at most once, in its own transaction: a replay is a
 * duplicate (with the version it made), an op on an older version a
 * conflict, one the rules refuse a rejection; each with the appeal as it
 * is now where @user sees it. Nothing is written unless it is applied.
 *
 * Returns: %FALSE on a database failure (in @error; nothing was changed)
 */
gboolean
sa_store_ops_apply (SaRegistryDb     *db,
                    SaRegistryUser   *user,
                    const SaStoreOp  *op,
                    SaStoreOpResult  *result,
                    GError          **error)
{
  g_autofree char *result_text = NULL;
  OpContext ctx = { 0 };
  sqlite3_stmt *stmt;
  gint64 made_at;
  gboolean ok;

  if (!sa_registry_db_begin (db, error))
    return FALSE;

  /* A replay answers the version the op made and the appeal as it is now
   * (if the user still sees it); the same op_id with other content is a
   * client bug that must not pass silently. */
  stmt = sa_registry_db_prepare (db,
                                 "SELECT user_id, digest, json_extract (result, '$.version')"
                                 " FROM ops WHERE op_id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, op->op_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gboolean same = sqlite3_column_int64 (stmt, 0) == user->id &&
                      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), op->digest) == 0 &&
                      sqlite3_column_type (stmt, 2) == SQLITE_INTEGER;
      gint64 version = sqlite3_column_int64 (stmt, 2);

      sqlite3_reset (stmt);
      sa_registry_db_rollback (db);
      if (!same)
        return result_rejected (result, "op_id_reused",
                                "This op_id was used for a different operation; make a new "
                                "op_id for each operation.");
      result->status = SA_STORE_OP_DUPLICATE;
      result->version = version;
      if (sa_registry_user_can_see_appeal (db, user, op->appeal_id))
        result->appeal = sa_store_appeal_get (db, op->appeal_id, TRUE);
      return TRUE;
    }
  sqlite3_reset (stmt);

  /* An op that depends on one before it (the client names it in "after")
   * is looked at only once that one is applied; otherwise a take that
   * conflicted could leave its "I am on my way" applied. */
  if (op->after != NULL)
    {
      gboolean applied;

      stmt = sa_registry_db_prepare (db, "SELECT 1 FROM ops WHERE op_id = ?1 AND user_id = ?2",
                                     error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, op->after, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, user->id);
      applied = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (!applied)
        {
          sa_registry_db_rollback (db);
          return result_rejected (result, SA_OP_AFTER_NOT_APPLIED,
                                  "The change before this one was not applied; this one waits "
                                  "for it.");
        }
    }

  if (!sa_registry_user_can_see_appeal (db, user, op->appeal_id) ||
      !load_appeal (db, op->appeal_id, &ctx.appeal))
    {
      appeal_clear (&ctx.appeal);
      sa_registry_db_rollback (db);
      return result_rejected (result, "not_found", "There is no such appeal.");
    }
  if (ctx.appeal.state.version != op->base_version)
    {
      appeal_clear (&ctx.appeal);
      sa_registry_db_rollback (db);
      result->status = SA_STORE_OP_CONFLICT;
      result->appeal = sa_store_appeal_get (db, op->appeal_id, TRUE);
      return TRUE;
    }

  ctx.db = db;
  ctx.user = user;
  ctx.type = op->type;
  ctx.args = op->args;
  ctx.now = _sa_registry_now ();
  ctx.actor.login = user->login;
  ctx.actor.agency = user->agency;
  ctx.actor.role = user->role;

  ok = apply_op (&ctx, error);
  if (!ok)
    {
      g_autofree char *message = g_steal_pointer (&ctx.message);
      const char *code = ctx.code;

      g_clear_pointer (&ctx.payload, json_object_unref);
      appeal_clear (&ctx.appeal);
      sa_registry_db_rollback (db);
      if (code == NULL)
        return FALSE;  /* a database error, in @error */
      result->status = SA_STORE_OP_REJECTED;
      result->code = code;
      result->message = g_steal_pointer (&message);
      return TRUE;
    }

  made_at = op_made_at (op->made_at, ctx.appeal.state.received_at, ctx.now);
  if ((!ctx.quiet &&
       !sa_store_history_append_op (db, op->appeal_id, ctx.now, made_at, user->login,
                                    sa_op_type_event (op->type), ctx.payload, op->op_id,
                                    error)) ||
      sa_registry_db_touch (db, "appeal", op->appeal_id, NULL, error) == 0)
    goto fail_ctx;

  result->appeal = sa_store_appeal_get (db, op->appeal_id, TRUE);
  if (result->appeal == NULL)
    {
      sa_registry_db_set_error (db, error);
      goto fail_ctx;
    }
  /* What a duplicate answer needs, not the appeal: its history grows with
   * every op, and a copy per op made the results outgrow everything. */
  result_text = g_strdup_printf ("{\"status\":\"applied\",\"version\":%" G_GINT64_FORMAT "}",
                                 result->appeal->version);

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO ops (op_id, user_id, digest, result, at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    goto fail_ctx;
  sqlite3_bind_text (stmt, 1, op->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, user->id);
  sqlite3_bind_text (stmt, 3, op->digest, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, result_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, ctx.now);
  if (!sa_registry_db_step_done (db, stmt, error) || !sa_registry_db_commit (db, error))
    goto fail_ctx;

  result->status = SA_STORE_OP_APPLIED;
  g_clear_pointer (&ctx.payload, json_object_unref);
  appeal_clear (&ctx.appeal);
  g_free (ctx.message);
  return TRUE;

fail_ctx:
  g_clear_pointer (&ctx.payload, json_object_unref);
  appeal_clear (&ctx.appeal);
  g_free (ctx.message);
  sa_store_op_result_clear (result);
fail:
  sa_registry_db_rollback (db);
  return FALSE;
}
