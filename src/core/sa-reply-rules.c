/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-model"

/* The reply loop's rules (docs/replies.md): who may write, submit,
 * approve and return a reply, record the applicant's information and
 * verdict; what each does to the appeal; and how the desk folds a reply
 * op over its cached appeal. sa-appeal-rules.c calls these for the reply
 * ops, so the registry and the desk keep deciding with the same code. */

#include "config.h"

#include <string.h>

#include "sa-appeal-model-private.h"

/* A boolean argument: -1 when it is not there. */
static int
member_boolean (JsonObject *object,
                const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return -1;
  return json_node_get_boolean (node) ? 1 : 0;
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

void
_sa_reply_infos_from_json (JsonArray     *replies,
                           SaAppealState *state)
{
  guint n = replies != NULL ? json_array_get_length (replies) : 0;
  SaReplyInfo *infos = g_new0 (SaReplyInfo, MAX (n, 1));
  guint k = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (replies, i);
      JsonObject *reply;
      SaReplyInfo *info = &infos[k];

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      reply = json_node_get_object (node);
      info->id = _sa_json_string (reply, "id");
      if (info->id == NULL || !sa_reply_state_from_string (_sa_json_string (reply, "state"),
                                                           &info->state))
        continue;
      info->kind = SA_REPLY_KIND_ANSWER;
      sa_reply_kind_from_string (_sa_json_string (reply, "kind"), &info->kind);
      info->agency = _sa_json_string (reply, "agency");
      info->author = _sa_json_string (reply, "author");
      k++;
    }
  state->replies = infos;
  state->n_replies = k;
}

/**
 * sa_appeal_state_find_reply:
 * @state: an appeal's state
 * @reply_id: (nullable): a reply's UUID
 *
 * Returns: (nullable): the reply, or %NULL when @state has none so
 */
const SaReplyInfo *
sa_appeal_state_find_reply (const SaAppealState *state,
                            const char          *reply_id)
{
  g_return_val_if_fail (state != NULL, NULL);

  for (guint i = 0; reply_id != NULL && i < state->n_replies; i++)
    if (g_strcmp0 (state->replies[i].id, reply_id) == 0)
      return &state->replies[i];
  return NULL;
}

static gboolean
is_involved_not_lead (const SaAppealState *appeal,
                      const char          *agency)
{
  if (agency == NULL || g_strcmp0 (appeal->agency, agency) == 0)
    return FALSE;
  for (guint i = 0; appeal->involved != NULL && appeal->involved[i] != NULL; i++)
    if (strcmp (appeal->involved[i], agency) == 0)
      return TRUE;
  return FALSE;
}

/* Whether @actor works on the appeal for the agency that writes a reply
 * of @kind: the lead agency for answers and notices, a co-executor for
 * a part. */
static gboolean
writes_for (const SaActor       *actor,
            const SaAppealState *appeal,
            SaReplyKind          kind,
            GError             **error)
{
  if (!sa_role_works_appeals (actor->role))
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_FORBIDDEN);
  if (kind == SA_REPLY_KIND_PART)
    {
      if (!is_involved_not_lead (appeal, actor->agency))
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_INVOLVED);
    }
  else if (actor->agency == NULL || g_strcmp0 (actor->agency, appeal->agency) != 0)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_LEAD_AGENCY);
  return TRUE;
}

/* Whether the appeal's status lets a new reply of @kind be started. */
static gboolean
may_start (const SaAppealState *appeal,
           SaReplyKind          kind,
           const char          *agency,
           GError             **error)
{
  /* A notice, or a co-executor's part (the lead's answer may be waiting
   * for it), while the agency still owes the answer; an answer while the
   * appeal is in work. */
  if (!sa_appeal_status_in (appeal->status, kind == SA_REPLY_KIND_ANSWER
                                            ? SA_STATUS_SET_WORKABLE
                                            : SA_STATUS_SET_CLOCK_RUNNING))
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_OPEN);
  if (kind == SA_REPLY_KIND_NOTICE)
    return TRUE;
  /* One answer (or part) on its way per agency at a time; a draft an
   * agency left behind when the appeal was forwarded away holds nobody. */
  for (guint i = 0; i < appeal->n_replies; i++)
    {
      const SaReplyInfo *r = &appeal->replies[i];

      if (r->kind == kind && r->state != SA_REPLY_STATE_SENT && g_strcmp0 (r->agency, agency) == 0)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_REPLY_EXISTS);
    }
  return TRUE;
}

/* The actor's own reply still being written or returned to them, if any. */
static const SaReplyInfo *
own_unsent_reply (const SaActor       *actor,
                  const SaAppealState *appeal)
{
  for (guint i = 0; i < appeal->n_replies; i++)
    if ((appeal->replies[i].state == SA_REPLY_STATE_DRAFT ||
         appeal->replies[i].state == SA_REPLY_STATE_RETURNED) &&
        g_strcmp0 (appeal->replies[i].author, actor->login) == 0)
      return &appeal->replies[i];
  return NULL;
}

/* Whether @actor may write a reply at all now (to offer Reply): go on
 * with their own, or start one of a kind they may write. */
static gboolean
may_write_any (const SaActor       *actor,
               const SaAppealState *appeal,
               GError             **error)
{
  /* A notice is written beside an answer in work, so an appeal that may
   * take neither offers no Reply for one alone. */
  static const SaReplyKind kinds[] = { SA_REPLY_KIND_ANSWER, SA_REPLY_KIND_PART };
  g_autoptr(GError) first = NULL;

  if (!sa_role_works_appeals (actor->role))
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_FORBIDDEN);
  if (own_unsent_reply (actor, appeal) != NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GError) refused = NULL;

      if (writes_for (actor, appeal, kinds[i], &refused) &&
          may_start (appeal, kinds[i], actor->agency, &refused))
        return TRUE;
      if (first == NULL)
        first = g_steal_pointer (&refused);
    }
  g_propagate_error (error, g_steal_pointer (&first));
  return FALSE;
}

static gboolean
check_save (const SaActor       *actor,
            const SaAppealState *appeal,
            JsonObject          *args,
            GError             **error)
{
  const SaReplyInfo *reply;
  SaReplyKind kind = SA_REPLY_KIND_ANSWER;

  if (args == NULL)
    return may_write_any (actor, appeal, error);

  sa_reply_kind_from_string (_sa_json_string (args, "kind"), &kind);
  reply = sa_appeal_state_find_reply (appeal, _sa_json_string (args, "reply_id"));
  if (reply == NULL)
    return writes_for (actor, appeal, kind, error) &&
           may_start (appeal, kind, actor->agency, error);

  if (_sa_json_string (args, "kind") != NULL && kind != reply->kind)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_INVALID_ARGS);
  if (!writes_for (actor, appeal, reply->kind, error))
    return FALSE;
  if (reply->state == SA_REPLY_STATE_SENT)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_REPLY_SENT);
  if (reply->state == SA_REPLY_STATE_AWAITING_APPROVAL)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_REPLY_STATE);
  if (g_strcmp0 (reply->author, actor->login) != 0)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_AUTHOR);
  return TRUE;
}

static gboolean
check_submit (const SaActor       *actor,
              const SaAppealState *appeal,
              JsonObject          *args,
              GError             **error)
{
  const SaReplyInfo *reply;

  /* Asked whether to offer Submit: there is a reply of one's own to submit. */
  if (args == NULL)
    return own_unsent_reply (actor, appeal) != NULL ||
           (sa_role_works_appeals (actor->role)
            ? _sa_appeal_refuse (error, SA_APPEAL_ERROR_NO_SUCH_REPLY)
            : _sa_appeal_refuse (error, SA_APPEAL_ERROR_FORBIDDEN));

  reply = sa_appeal_state_find_reply (appeal, _sa_json_string (args, "reply_id"));
  if (reply == NULL)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NO_SUCH_REPLY);
  if (!writes_for (actor, appeal, reply->kind, error))
    return FALSE;
  if (reply->state == SA_REPLY_STATE_SENT)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_REPLY_SENT);
  if (reply->state == SA_REPLY_STATE_AWAITING_APPROVAL)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_REPLY_STATE);
  if (g_strcmp0 (reply->author, actor->login) != 0)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_AUTHOR);
  if (reply->kind == SA_REPLY_KIND_ANSWER &&
      !sa_appeal_status_in (appeal->status, SA_STATUS_SET_WORKABLE))
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_OPEN);
  if (reply->kind != SA_REPLY_KIND_ANSWER &&
      !sa_appeal_status_in (appeal->status, SA_STATUS_SET_OPEN))
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_CLOSED);
  return TRUE;
}

/**
 * sa_appeal_state_part_sent:
 * @appeal: an appeal's state
 * @agency: a co-executor agency's code
 *
 * Whether @agency's part of a joint answer is sent: the lead agency's
 * answer waits for every co-executor's (reply_approve, `parts_missing`).
 *
 * Returns: %TRUE when a part of @agency's is sent
 */
gboolean
sa_appeal_state_part_sent (const SaAppealState *appeal,
                           const char          *agency)
{
  g_return_val_if_fail (appeal != NULL, FALSE);

  for (guint i = 0; i < appeal->n_replies; i++)
    if (appeal->replies[i].kind == SA_REPLY_KIND_PART &&
        appeal->replies[i].state == SA_REPLY_STATE_SENT &&
        g_strcmp0 (appeal->replies[i].agency, agency) == 0)
      return TRUE;
  return FALSE;
}

/* Approve and return: a supervisor of the agency that writes the reply. */
static gboolean
check_review (SaOpType             type,
              const SaActor       *actor,
              const SaAppealState *appeal,
              JsonObject          *args,
              GError             **error)
{
  const SaReplyInfo *reply;

  if (actor->role != SA_ROLE_SUPERVISOR)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_SUPERVISOR_ONLY);
  if (args == NULL)
    return TRUE;

  reply = sa_appeal_state_find_reply (appeal, _sa_json_string (args, "reply_id"));
  if (reply == NULL)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NO_SUCH_REPLY);
  if (actor->agency == NULL || g_strcmp0 (reply->agency, actor->agency) != 0)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_SUPERVISOR_ONLY);
  if (reply->state == SA_REPLY_STATE_SENT)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_REPLY_SENT);
  if (reply->state != SA_REPLY_STATE_AWAITING_APPROVAL)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_REPLY_STATE);
  /* Four eyes: the author never approves their own reply. */
  if (type == SA_OP_REPLY_APPROVE && g_strcmp0 (reply->author, actor->login) == 0)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_OWN_REPLY);
  /* A joint answer waits for every co-executor's part, unless the lead
   * supervisor gives the reason to send without. */
  if (type == SA_OP_REPLY_APPROVE && reply->kind == SA_REPLY_KIND_ANSWER &&
      _sa_json_string (args, "without_parts_reason") == NULL)
    for (guint i = 0; appeal->coexecutors != NULL && appeal->coexecutors[i] != NULL; i++)
      if (!sa_appeal_state_part_sent (appeal, appeal->coexecutors[i]))
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_PARTS_MISSING);
  return TRUE;
}

static gboolean
check_feedback (const SaActor       *actor,
                const SaAppealState *appeal,
                JsonObject          *args,
                GError             **error)
{
  int agree, reached;

  if (actor->role != SA_ROLE_OPERATOR)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_FORBIDDEN);
  if (appeal->status != SA_APPEAL_STATUS_ANSWERED)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_ANSWERED);
  if (args == NULL)
    return TRUE;

  agree = member_boolean (args, "agree");
  reached = member_boolean (args, "reached");
  if (reached == 0)
    {
      if (agree != -1 || member_int (args, "attempts") < SA_FEEDBACK_ATTEMPTS_MIN)
        {
          g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                       "An applicant who was not reached has no verdict; give "
                       "“args.attempts”: at least %d calls.", SA_FEEDBACK_ATTEMPTS_MIN);
          return FALSE;
        }
      return TRUE;
    }
  if (agree == -1)
    {
      g_set_error_literal (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                           "Give “args.agree”: whether the applicant agrees with the answer.");
      return FALSE;
    }
  return TRUE;
}

gboolean
_sa_reply_op_check (SaOpType             type,
                    const SaActor       *actor,
                    const SaAppealState *appeal,
                    JsonObject          *args,
                    GError             **error)
{
  if (appeal->status == SA_APPEAL_STATUS_ARCHIVED)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_ARCHIVED);

  switch (type)
    {
    case SA_OP_REPLY_SAVE:
      return check_save (actor, appeal, args, error);
    case SA_OP_REPLY_SUBMIT:
      return check_submit (actor, appeal, args, error);
    case SA_OP_REPLY_APPROVE:
    case SA_OP_REPLY_RETURN:
      return check_review (type, actor, appeal, args, error);
    case SA_OP_INFO_RECEIVED:
      /* The contact centre (or a channel) records what the applicant
       * said, or the lead agency when the applicant came to it. */
      if (actor->role != SA_ROLE_OPERATOR &&
          !(sa_role_works_appeals (actor->role) &&
            g_strcmp0 (actor->agency, appeal->agency) == 0))
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_LEAD_AGENCY);
      if (appeal->status != SA_APPEAL_STATUS_INFO_REQUESTED)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_WAITING);
      return TRUE;
    case SA_OP_FEEDBACK:
      return check_feedback (actor, appeal, args, error);
    case SA_OP_QUICK_ANSWER:
      /* The contact centre, on the first call: its operator answers with a
       * quick answer its supervisors keep, approved when it was written. */
      if (actor->role != SA_ROLE_OPERATOR)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_FORBIDDEN);
      if (appeal->status != SA_APPEAL_STATUS_REGISTERED)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_FRESH);
      if (args != NULL &&
          sa_appeal_state_find_reply (appeal, _sa_json_string (args, "reply_id")) != NULL)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_REPLY_EXISTS);
      return TRUE;
    case SA_OP_TAKE:
    case SA_OP_ASSIGN:
    case SA_OP_COMMENT:
    case SA_OP_REQUEST_INFO:
    case SA_OP_FORWARD:
    case SA_OP_ESCALATE:
    case SA_OP_SET_PRIORITY:
    case SA_OP_ADD_COEXECUTOR:
    case SA_OP_ATTACH:
    case SA_OP_EXTEND:
    default:
      g_assert_not_reached ();
    }
}

static SaReplyKind
reply_kind (const SaAppealState *state,
            JsonObject          *args)
{
  const SaReplyInfo *reply = sa_appeal_state_find_reply (state, _sa_json_string (args, "reply_id"));
  SaReplyKind kind = SA_REPLY_KIND_ANSWER;

  if (reply != NULL)
    return reply->kind;
  sa_reply_kind_from_string (_sa_json_string (args, "kind"), &kind);
  return kind;
}

void
_sa_reply_state_apply (SaAppealState *state,
                       SaOpType       type,
                       JsonObject    *args)
{
  gboolean answer = reply_kind (state, args) == SA_REPLY_KIND_ANSWER;

  switch (type)
    {
    case SA_OP_REPLY_SUBMIT:
      if (answer)
        state->status = SA_APPEAL_STATUS_AWAITING_APPROVAL;
      break;
    case SA_OP_REPLY_APPROVE:
      /* The answer stops both clocks; the registry records when. */
      if (answer)
        state->status = SA_APPEAL_STATUS_ANSWERED;
      break;
    case SA_OP_QUICK_ANSWER:
      state->status = SA_APPEAL_STATUS_ANSWERED;
      break;
    case SA_OP_REPLY_RETURN:
      if (answer && state->status == SA_APPEAL_STATUS_AWAITING_APPROVAL)
        state->status = SA_APPEAL_STATUS_IN_PROGRESS;
      break;
    case SA_OP_INFO_RECEIVED:
      state->status = SA_APPEAL_STATUS_IN_PROGRESS;
      break;
    case SA_OP_FEEDBACK:
      /* Disagreement sends it back to its executor under control; an
       * agreement, or an applicant not reached after the attempts the
       * rules ask for, closes it. */
      if (member_boolean (args, "reached") != 0 && member_boolean (args, "agree") == 0)
        {
          state->status = SA_APPEAL_STATUS_REOPENED;
          state->under_control = TRUE;
        }
      else
        {
          state->status = SA_APPEAL_STATUS_CLOSED;
          state->under_control = FALSE;
        }
      break;
    case SA_OP_REPLY_SAVE:
    default:
      break;
    }
}

void
_sa_reply_history_payload (SaOpType             type,
                           const SaAppealState *before,
                           const SaAppealState *after,
                           JsonObject          *args,
                           JsonObject          *payload)
{
  const char *text;

  if (type == SA_OP_INFO_RECEIVED)
    {
      json_object_set_string_member (payload, "text", _sa_json_string (args, "text"));
      return;
    }
  if (type == SA_OP_FEEDBACK)
    {
      static const char * const copied[] = { "agree", "rating", "comment", "reached", "attempts" };

      for (guint i = 0; i < G_N_ELEMENTS (copied); i++)
        if (args != NULL && json_object_has_member (args, copied[i]))
          json_object_set_member (payload, copied[i],
                                  json_node_copy (json_object_get_member (args, copied[i])));
      json_object_set_string_member (payload, "status", sa_appeal_status_to_string (after->status));
      return;
    }

  if (type == SA_OP_QUICK_ANSWER)
    {
      json_object_set_string_member (payload, "reply_id", _sa_json_string (args, "reply_id"));
      json_object_set_string_member (payload, "template_id", _sa_json_string (args, "template_id"));
      return;
    }
  /* A reply's events name it and its kind; its text stays in the reply,
   * where only those who may read it see it. */
  json_object_set_string_member (payload, "reply_id", _sa_json_string (args, "reply_id"));
  json_object_set_string_member (payload, "kind",
                                 sa_reply_kind_to_string (reply_kind (before, args)));
  if (type == SA_OP_REPLY_RETURN && (text = _sa_json_string (args, "comment")) != NULL)
    json_object_set_string_member (payload, "comment", text);
}

static JsonObject *
find_reply_object (JsonObject *appeal,
                   const char *reply_id,
                   gboolean    create)
{
  JsonNode *node = json_object_get_member (appeal, SA_APPEAL_FIELD_REPLIES);
  JsonArray *replies;
  JsonObject *reply;

  if (reply_id == NULL)
    return NULL;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      if (!create)
        return NULL;
      json_object_set_array_member (appeal, SA_APPEAL_FIELD_REPLIES, json_array_new ());
      node = json_object_get_member (appeal, SA_APPEAL_FIELD_REPLIES);
    }
  replies = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (replies); i++)
    {
      JsonNode *item = json_array_get_element (replies, i);

      if (JSON_NODE_HOLDS_OBJECT (item) &&
          g_strcmp0 (_sa_json_string (json_node_get_object (item), "id"), reply_id) == 0)
        return json_node_get_object (item);
    }
  if (!create)
    return NULL;
  reply = json_object_new ();
  json_object_set_string_member (reply, "id", reply_id);
  json_array_add_object_element (replies, reply);
  return reply;
}

/* The appeal's files a reply_save names, as the registry lists them in
 * the reply: each with the name the appeal knows it by. */
static JsonArray *
reply_files (JsonObject *appeal,
             JsonObject *args)
{
  JsonNode *node = args != NULL ? json_object_get_member (args, "attachments") : NULL;
  JsonNode *files_node = json_object_get_member (appeal, "attachments");
  JsonArray *files = files_node != NULL && JSON_NODE_HOLDS_ARRAY (files_node)
                     ? json_node_get_array (files_node) : NULL;
  JsonArray *out = json_array_new ();

  for (guint i = 0; node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
                    i < json_array_get_length (json_node_get_array (node)); i++)
    {
      const char *sha256 = json_array_get_string_element (json_node_get_array (node), i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "sha256", sha256);
      for (guint k = 0; files != NULL && k < json_array_get_length (files); k++)
        {
          JsonNode *f = json_array_get_element (files, k);

          if (JSON_NODE_HOLDS_OBJECT (f) &&
              g_strcmp0 (_sa_json_string (json_node_get_object (f), "sha256"), sha256) == 0)
            json_object_set_string_member (item, "name",
                                           _sa_json_string (json_node_get_object (f), "name"));
        }
      json_array_add_object_element (out, item);
    }
  return out;
}

static void
set_reply_state (JsonObject   *reply,
                 SaReplyState  state)
{
  json_object_set_string_member (reply, "state", sa_reply_state_to_string (state));
  json_object_set_boolean_member (reply, "pending", TRUE);
}

void
_sa_reply_fold (JsonObject    *appeal,
                SaOpType       type,
                const SaActor *actor,
                JsonObject    *args,
                gint64         made_at)
{
  const char *reply_id = _sa_json_string (args, "reply_id");
  JsonObject *reply;

  switch (type)
    {
    case SA_OP_REPLY_SAVE:
      {
        static const char * const copied[] = { "text", "visibility", "language" };
        SaReplyKind kind = SA_REPLY_KIND_ANSWER;

        reply = find_reply_object (appeal, reply_id, TRUE);
        if (!json_object_has_member (reply, "kind"))
          {
            sa_reply_kind_from_string (_sa_json_string (args, "kind"), &kind);
            json_object_set_string_member (reply, "kind", sa_reply_kind_to_string (kind));
            json_object_set_string_member (reply, "author", actor->login);
            if (actor->agency != NULL && *actor->agency != '\0')
              json_object_set_string_member (reply, "agency", actor->agency);
            json_object_set_int_member (reply, "version", 0);
          }
        for (guint i = 0; i < G_N_ELEMENTS (copied); i++)
          json_object_set_string_member (reply, copied[i], _sa_json_string (args, copied[i]));
        json_object_set_array_member (reply, "attachments", reply_files (appeal, args));
        if (!json_object_has_member (reply, "state") ||
            g_strcmp0 (_sa_json_string (reply, "state"),
                       sa_reply_state_to_string (SA_REPLY_STATE_RETURNED)) != 0)
          set_reply_state (reply, SA_REPLY_STATE_DRAFT);
        else
          json_object_set_boolean_member (reply, "pending", TRUE);
      }
      break;
    case SA_OP_REPLY_SUBMIT:
      if ((reply = find_reply_object (appeal, reply_id, FALSE)) != NULL)
        {
          set_reply_state (reply, SA_REPLY_STATE_AWAITING_APPROVAL);
          /* The comment was answered by this version; the history keeps it. */
          json_object_set_null_member (reply, "returned_comment");
          json_object_set_null_member (reply, "returned_by");
          json_object_set_int_member (reply, "version",
                                      json_object_get_int_member_with_default (reply, "version",
                                                                               0) + 1);
        }
      break;
    case SA_OP_REPLY_APPROVE:
      if ((reply = find_reply_object (appeal, reply_id, FALSE)) != NULL)
        {
          g_autofree char *at = sa_appeal_format_time (made_at);

          set_reply_state (reply, SA_REPLY_STATE_SENT);
          json_object_set_string_member (reply, "approved_by", actor->login);
          json_object_set_string_member (reply, "sent_at", at);
          if (g_strcmp0 (_sa_json_string (reply, "kind"),
                         sa_reply_kind_to_string (SA_REPLY_KIND_ANSWER)) == 0)
            {
              json_object_set_string_member (appeal, SA_APPEAL_FIELD_ANSWERED_AT, at);
              if (_sa_json_string (args, "without_parts_reason") != NULL)
                json_object_set_string_member (reply, "without_parts_reason",
                                               _sa_json_string (args, "without_parts_reason"));
            }
          /* The applicant is told of the extension: the light need not be red. */
          if (g_strcmp0 (_sa_json_string (reply, "kind"),
                         sa_reply_kind_to_string (SA_REPLY_KIND_NOTICE)) == 0)
            json_object_set_string_member (appeal, SA_APPEAL_FIELD_NOTIFIED_AT, at);
        }
      break;
    case SA_OP_REPLY_RETURN:
      if ((reply = find_reply_object (appeal, reply_id, FALSE)) != NULL)
        {
          set_reply_state (reply, SA_REPLY_STATE_RETURNED);
          json_object_set_string_member (reply, "returned_by", actor->login);
          json_object_set_string_member (reply, "returned_comment",
                                         _sa_json_string (args, "comment"));
        }
      break;
    case SA_OP_QUICK_ANSWER:
      {
        g_autofree char *at = sa_appeal_format_time (made_at);

        reply = find_reply_object (appeal, reply_id, TRUE);
        json_object_set_string_member (reply, "kind", sa_reply_kind_to_string (SA_REPLY_KIND_ANSWER));
        json_object_set_string_member (reply, "author", actor->login);
        if (actor->agency != NULL && *actor->agency != '\0')
          json_object_set_string_member (reply, "agency", actor->agency);
        json_object_set_string_member (reply, "text", _sa_json_string (args, "text"));
        json_object_set_string_member (reply, "language", _sa_json_string (args, "language"));
        json_object_set_string_member (reply, "visibility", SA_REPLY_VISIBILITY_PRIVATE);
        json_object_set_string_member (reply, "template_id", _sa_json_string (args, "template_id"));
        json_object_set_null_member (reply, "approved_by");
        json_object_set_string_member (reply, "sent_at", at);
        json_object_set_int_member (reply, "version", 1);
        set_reply_state (reply, SA_REPLY_STATE_SENT);
        json_object_set_string_member (appeal, SA_APPEAL_FIELD_ANSWERED_AT, at);
      }
      break;
    case SA_OP_INFO_RECEIVED:
    case SA_OP_FEEDBACK:
    default:
      break;
    }
}

/**
 * sa_appeal_notice_due:
 * @appeal: (nullable): an appeal as the registry's JSON
 *
 * The notice of extension the applicant is owed (docs/replies.md): an
 * extension sets `notify_applicant_by`, a sent notice sets
 * `applicant_notified_at`. sa_sla_traffic_light_with_notice() turns it red.
 *
 * Returns: `notify_applicant_by` in unix seconds while no notice was
 *   sent, or 0 when none is owed
 */
gint64
sa_appeal_notice_due (JsonObject *appeal)
{
  gint64 notify_by = sa_appeal_parse_time (_sa_json_string (appeal, SA_APPEAL_FIELD_NOTIFY_BY));

  if (notify_by == 0 || _sa_json_string (appeal, SA_APPEAL_FIELD_NOTIFIED_AT) != NULL)
    return 0;
  return notify_by;
}
