/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-model"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sa-appeal-model-private.h"

/* ------------------------------------------------------------------ */
/* Statuses */

#define IN_OPEN      (1u << SA_STATUS_SET_OPEN)
#define IN_CLOCK     (1u << SA_STATUS_SET_CLOCK_RUNNING)
#define IN_WORKABLE  (1u << SA_STATUS_SET_WORKABLE)
#define IN_FINAL     (1u << SA_STATUS_SET_FINAL)
#define IN_DONE      (1u << SA_STATUS_SET_DONE)
#define N_STATUS_SETS (SA_STATUS_SET_DONE + 1)

static const struct
{
  const char *name;
  const char *label;
  guint       sets;
} statuses[SA_N_APPEAL_STATUSES] = {
  [SA_APPEAL_STATUS_REGISTERED] =
    { SA_APPEAL_STATUS_NAME_REGISTERED, NC_("appeal", "Registered"), IN_OPEN | IN_CLOCK | IN_WORKABLE },
  [SA_APPEAL_STATUS_IN_PROGRESS] =
    { "in_progress", NC_("appeal", "In Progress"), IN_OPEN | IN_CLOCK | IN_WORKABLE },
  [SA_APPEAL_STATUS_INFO_REQUESTED] =
    { "info_requested", NC_("appeal", "Waiting for Information"),
      IN_OPEN | IN_CLOCK | IN_WORKABLE },
  [SA_APPEAL_STATUS_AWAITING_APPROVAL] =
    { "awaiting_approval", NC_("appeal", "Awaiting Approval"), IN_OPEN | IN_CLOCK },
  [SA_APPEAL_STATUS_ANSWERED] =
    { "answered", NC_("appeal", "Answered"), IN_OPEN | IN_DONE },
  [SA_APPEAL_STATUS_CLOSED] =
    { "closed", NC_("appeal", "Closed"), IN_FINAL | IN_DONE },
  [SA_APPEAL_STATUS_REOPENED] =
    { "reopened", NC_("appeal", "Reopened"), IN_OPEN | IN_CLOCK | IN_WORKABLE },
  [SA_APPEAL_STATUS_ARCHIVED] =
    { "archived", NC_("appeal", "Archived"), IN_FINAL },
};

/**
 * sa_appeal_status_to_string:
 * @status: a #SaAppealStatus
 *
 * Returns: the status's name in the API, e.g. `in_progress`
 */
const char *
sa_appeal_status_to_string (SaAppealStatus status)
{
  g_return_val_if_fail (status < SA_N_APPEAL_STATUSES, NULL);
  return statuses[status].name;
}

/**
 * sa_appeal_status_from_string:
 * @str: (nullable): a status name
 * @out_status: (out) (optional): the status
 *
 * Returns: whether @str names a status
 */
gboolean
sa_appeal_status_from_string (const char     *str,
                              SaAppealStatus *out_status)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (statuses); i++)
    if (strcmp (str, statuses[i].name) == 0)
      {
        if (out_status != NULL)
          *out_status = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * sa_appeal_status_label:
 * @status: a #SaAppealStatus
 *
 * Returns: the status in the user's language
 */
const char *
sa_appeal_status_label (SaAppealStatus status)
{
  g_return_val_if_fail (status < SA_N_APPEAL_STATUSES, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "appeal", statuses[status].label);
}

/**
 * sa_appeal_status_in:
 * @status: a #SaAppealStatus
 * @set: a #SaStatusSet
 *
 * Returns: whether @status belongs to @set
 */
gboolean
sa_appeal_status_in (SaAppealStatus status,
                     SaStatusSet    set)
{
  g_return_val_if_fail (status < SA_N_APPEAL_STATUSES, FALSE);
  g_return_val_if_fail (set < N_STATUS_SETS, FALSE);
  return (statuses[status].sets & (1u << set)) != 0;
}

/**
 * sa_appeal_status_name_in:
 * @status: (nullable): a status name
 * @set: a #SaStatusSet
 *
 * Returns: whether @status names a status of @set; %FALSE for an unknown one
 */
gboolean
sa_appeal_status_name_in (const char  *status,
                          SaStatusSet  set)
{
  SaAppealStatus s;

  return sa_appeal_status_from_string (status, &s) && sa_appeal_status_in (s, set);
}

/**
 * sa_status_set_sql:
 * @set: a #SaStatusSet
 *
 * The set as an SQL list, e.g. `('answered','closed')`, for
 * `status IN …` in the client's and the registry's queries.
 *
 * Returns: a string that lives as long as the program
 */
const char *
sa_status_set_sql (SaStatusSet set)
{
  static char *lists[N_STATUS_SETS];
  static gsize once = 0;

  g_return_val_if_fail (set < N_STATUS_SETS, NULL);

  if (g_once_init_enter (&once))
    {
      for (guint s = 0; s < N_STATUS_SETS; s++)
        {
          GString *sql = g_string_new ("(");

          for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
            if ((statuses[i].sets & (1u << s)) != 0)
              g_string_append_printf (sql, "%s'%s'", sql->len > 1 ? "," : "", statuses[i].name);
          g_string_append_c (sql, ')');
          lists[s] = g_string_free (sql, FALSE);
        }
      g_once_init_leave (&once, 1);
    }
  return lists[set];
}

/* ------------------------------------------------------------------ */
/* Priorities and roles */

static const struct
{
  const char *name;
  const char *label;
} priorities[SA_N_PRIORITIES] = {
  [SA_PRIORITY_LOW] = { "low", NC_("appeal", "Low") },
  [SA_PRIORITY_NORMAL] = { "normal", NC_("appeal", "Normal") },
  [SA_PRIORITY_HIGH] = { "high", NC_("appeal", "High") },
  [SA_PRIORITY_CRITICAL] = { "critical", NC_("appeal", "Critical") },
};

const char *
sa_priority_to_string (SaPriority priority)
{
  g_return_val_if_fail (priority < SA_N_PRIORITIES, NULL);
  return priorities[priority].name;
}

gboolean
sa_priority_from_string (const char *str,
                         SaPriority *out_priority)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (priorities); i++)
    if (strcmp (str, priorities[i].name) == 0)
      {
        if (out_priority != NULL)
          *out_priority = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sa_priority_label (SaPriority priority)
{
  g_return_val_if_fail (priority < SA_N_PRIORITIES, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "appeal", priorities[priority].label);
}

/* A category's criticality, and the priority its appeals start with. */
static const struct
{
  const char *name;
  SaPriority  priority;
} criticalities[SA_N_CRITICALITIES] = {
  [SA_CRITICALITY_LOW] = { "low", SA_PRIORITY_LOW },
  [SA_CRITICALITY_NORMAL] = { "normal", SA_PRIORITY_NORMAL },
  [SA_CRITICALITY_HIGH] = { "high", SA_PRIORITY_HIGH },
  [SA_CRITICALITY_EMERGENCY] = { "emergency", SA_PRIORITY_CRITICAL },
};

const char *
sa_criticality_to_string (SaCriticality criticality)
{
  g_return_val_if_fail (criticality < SA_N_CRITICALITIES, NULL);
  return criticalities[criticality].name;
}

gboolean
sa_criticality_from_string (const char    *str,
                            SaCriticality *out_criticality)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (criticalities); i++)
    if (strcmp (str, criticalities[i].name) == 0)
      {
        if (out_criticality != NULL)
          *out_criticality = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * sa_criticality_priority:
 * @criticality: a category's criticality
 *
 * Returns: the priority an appeal of such a category is registered with:
 *   an emergency is critical, the others keep their rank
 */
SaPriority
sa_criticality_priority (SaCriticality criticality)
{
  g_return_val_if_fail (criticality < SA_N_CRITICALITIES, SA_PRIORITY_NORMAL);
  return criticalities[criticality].priority;
}

static const struct
{
  const char *name;
  const char *label;
  gboolean    works;  /* works on its agency's appeals */
} roles[SA_N_ROLES] = {
  [SA_ROLE_EXECUTOR] = { SA_ROLE_NAME_EXECUTOR, NC_("appeal", "Executor"), TRUE },
  [SA_ROLE_SUPERVISOR] = { SA_ROLE_NAME_SUPERVISOR, NC_("appeal", "Supervisor"), TRUE },
  [SA_ROLE_CURATOR] = { SA_ROLE_NAME_CURATOR, NC_("appeal", "Curator"), FALSE },
  [SA_ROLE_OPERATOR] = { SA_ROLE_NAME_OPERATOR, NC_("appeal", "Operator"), FALSE },
  [SA_ROLE_KSK_MANAGER] = { SA_ROLE_NAME_KSK_MANAGER, NC_("appeal", "KSK/OSI Manager"), TRUE },
  [SA_ROLE_ADMIN] = { SA_ROLE_NAME_ADMIN, NC_("appeal", "Administrator"), FALSE },
};

const char *
sa_role_to_string (SaRole role)
{
  g_return_val_if_fail (role < SA_N_ROLES, NULL);
  return roles[role].name;
}

gboolean
sa_role_from_string (const char *str,
                     SaRole     *out_role)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (roles); i++)
    if (strcmp (str, roles[i].name) == 0)
      {
        if (out_role != NULL)
          *out_role = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sa_role_label (SaRole role)
{
  g_return_val_if_fail (role < SA_N_ROLES, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "appeal", roles[role].label);
}

/**
 * sa_role_works_appeals:
 * @role: a #SaRole
 *
 * Returns: whether @role works on its agency's appeals (executors,
 *   supervisors, KSK/OSI managers)
 */
gboolean
sa_role_works_appeals (SaRole role)
{
  g_return_val_if_fail (role < SA_N_ROLES, FALSE);
  return roles[role].works;
}

static const struct
{
  const char *name;
  const char *label;
} channels[SA_N_CHANNELS] = {
  [SA_CHANNEL_EGOV] = { "egov", NC_("appeal", "eGov Portal") },
  [SA_CHANNEL_OPEN_ALMATY] = { "open_almaty", NC_("appeal", "Open Almaty") },
  [SA_CHANNEL_EMAIL] = { "email", NC_("appeal", "E-mail") },
  [SA_CHANNEL_PRESIDENT] = { "president", NC_("appeal", "President’s Virtual Reception") },
  [SA_CHANNEL_PHONE_109] = { "phone_109", NC_("appeal", "109 Phone Line") },
  [SA_CHANNEL_TELEGRAM] = { "telegram", NC_("appeal", "Telegram Bot") },
  [SA_CHANNEL_OPEN311] = { "open311", NC_("appeal", "Open311") },
};

const char *
sa_channel_to_string (SaChannel channel)
{
  g_return_val_if_fail (channel < SA_N_CHANNELS, NULL);
  return channels[channel].name;
}

gboolean
sa_channel_from_string (const char *str,
                        SaChannel  *out_channel)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (channels); i++)
    if (strcmp (str, channels[i].name) == 0)
      {
        if (out_channel != NULL)
          *out_channel = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sa_channel_label (SaChannel channel)
{
  g_return_val_if_fail (channel < SA_N_CHANNELS, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "appeal", channels[channel].label);
}

/* ------------------------------------------------------------------ */
/* Replies */

static const char * const reply_kind_names[] = { "answer", "notice", "part", NULL };

static const char * const reply_kind_labels[SA_N_REPLY_KINDS] = {
  [SA_REPLY_KIND_ANSWER] = NC_("reply", "Answer"),
  [SA_REPLY_KIND_NOTICE] = NC_("reply", "Notice of extension"),
  [SA_REPLY_KIND_PART] = NC_("reply", "Part of a joint answer"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (reply_kind_names) == SA_N_REPLY_KINDS + 1);

const char *
sa_reply_kind_to_string (SaReplyKind kind)
{
  g_return_val_if_fail (kind < SA_N_REPLY_KINDS, NULL);
  return reply_kind_names[kind];
}

gboolean
sa_reply_kind_from_string (const char  *str,
                           SaReplyKind *out_kind)
{
  for (guint i = 0; str != NULL && i < SA_N_REPLY_KINDS; i++)
    if (strcmp (str, reply_kind_names[i]) == 0)
      {
        if (out_kind != NULL)
          *out_kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sa_reply_kind_label (SaReplyKind kind)
{
  g_return_val_if_fail (kind < SA_N_REPLY_KINDS, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "reply", reply_kind_labels[kind]);
}

static const struct
{
  const char *name;
  const char *label;
} reply_states[SA_N_REPLY_STATES] = {
  [SA_REPLY_STATE_DRAFT] = { "draft", NC_("reply", "Draft") },
  [SA_REPLY_STATE_AWAITING_APPROVAL] = { "awaiting_approval", NC_("reply", "Awaiting approval") },
  [SA_REPLY_STATE_RETURNED] = { "returned", NC_("reply", "Returned") },
  [SA_REPLY_STATE_SENT] = { SA_REPLY_STATE_NAME_SENT, NC_("reply", "Sent") },
};

const char *
sa_reply_state_to_string (SaReplyState state)
{
  g_return_val_if_fail (state < SA_N_REPLY_STATES, NULL);
  return reply_states[state].name;
}

gboolean
sa_reply_state_from_string (const char   *str,
                            SaReplyState *out_state)
{
  for (guint i = 0; str != NULL && i < SA_N_REPLY_STATES; i++)
    if (strcmp (str, reply_states[i].name) == 0)
      {
        if (out_state != NULL)
          *out_state = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sa_reply_state_label (SaReplyState state)
{
  g_return_val_if_fail (state < SA_N_REPLY_STATES, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "reply", reply_states[state].label);
}

/* ------------------------------------------------------------------ */
/* Deadlines */

static const char * const deadline_fields[SA_N_DEADLINES] = {
  [SA_DEADLINE_LEGAL] = "legal_due_at",
  [SA_DEADLINE_REACTION] = "reaction_due_at",
  [SA_DEADLINE_RESOLUTION] = "resolution_due_at",
};

/**
 * sa_deadline_field:
 * @deadline: a #SaDeadline
 *
 * Returns: the appeal object's member that holds @deadline (RFC 3339)
 */
const char *
sa_deadline_field (SaDeadline deadline)
{
  g_return_val_if_fail (deadline < SA_N_DEADLINES, NULL);
  return deadline_fields[deadline];
}

/* ------------------------------------------------------------------ */
/* Operations */

static const SaOpArg take_args[] = { { NULL } };
static const SaOpArg assign_args[] = {
  { "user", SA_ARG_CODE, TRUE, SA_OP_CODE_MAX },
};
static const SaOpArg text_args[] = {
  { "text", SA_ARG_TEXT, TRUE, SA_OP_TEXT_MAX },
};
static const SaOpArg forward_args[] = {
  { "agency", SA_ARG_CODE, TRUE, SA_OP_CODE_MAX },
  { "reason", SA_ARG_TEXT, TRUE, SA_OP_REASON_MAX },
};
static const SaOpArg escalate_args[] = {
  { "agency", SA_ARG_CODE, TRUE, SA_OP_CODE_MAX },
  { "text", SA_ARG_TEXT, TRUE, SA_OP_TEXT_MAX },
  { "due_at", SA_ARG_TIME, FALSE, 64 },
};
static const SaOpArg priority_args[] = {
  { "priority", SA_ARG_PRIORITY, TRUE, 16 },
};
static const SaOpArg agency_args[] = {
  { "agency", SA_ARG_CODE, TRUE, SA_OP_CODE_MAX },
};
static const SaOpArg attach_args[] = {
  { "sha256", SA_ARG_SHA256, TRUE, 64 },
  { "name", SA_ARG_TEXT, TRUE, SA_OP_NAME_MAX },
};
static const SaOpArg extend_args[] = {
  { "due_at", SA_ARG_TIME, TRUE, 64 },
  { "reason", SA_ARG_TEXT, TRUE, SA_OP_REASON_MAX },
};

const char * const sa_reply_visibilities[] = {
  SA_REPLY_VISIBILITY_PUBLIC, SA_REPLY_VISIBILITY_PRIVATE, NULL
};
const char * const sa_reply_languages[] = { "ru", "kk", NULL };
static const SaOpArg reply_save_args[] = {
  { "reply_id", SA_ARG_CODE, TRUE, SA_OP_CODE_MAX },
  { "text", SA_ARG_TEXT, TRUE, SA_OP_TEXT_MAX },
  { "visibility", SA_ARG_CHOICE, TRUE, 16, sa_reply_visibilities },
  { "language", SA_ARG_CHOICE, TRUE, 16, sa_reply_languages },
  { "kind", SA_ARG_CHOICE, FALSE, 16, reply_kind_names },
  { "attachments", SA_ARG_SHA256_LIST, FALSE, SA_REPLY_ATTACHMENTS_MAX },
};
static const SaOpArg reply_args[] = {
  { "reply_id", SA_ARG_CODE, TRUE, SA_OP_CODE_MAX },
};
static const SaOpArg reply_approve_args[] = {
  { "reply_id", SA_ARG_CODE, TRUE, SA_OP_CODE_MAX },
  { "without_parts_reason", SA_ARG_TEXT, FALSE, SA_OP_REASON_MAX },
};
static const SaOpArg reply_return_args[] = {
  { "reply_id", SA_ARG_CODE, TRUE, SA_OP_CODE_MAX },
  { "comment", SA_ARG_TEXT, TRUE, SA_OP_REASON_MAX },
};
static const SaOpArg quick_answer_args[] = {
  { "reply_id", SA_ARG_CODE, TRUE, SA_OP_CODE_MAX },
  { "template_id", SA_ARG_CODE, TRUE, SA_OP_CODE_MAX },
  { "text", SA_ARG_TEXT, TRUE, SA_OP_TEXT_MAX },
  { "language", SA_ARG_CHOICE, TRUE, 16, sa_reply_languages },
};
static const SaOpArg feedback_args[] = {
  { "agree", SA_ARG_BOOLEAN, FALSE, 0 },
  { "rating", SA_ARG_RATING, FALSE, 0 },
  { "comment", SA_ARG_TEXT, FALSE, SA_OP_REASON_MAX },
  { "reached", SA_ARG_BOOLEAN, FALSE, 0 },
  { "attempts", SA_ARG_NUMBER, FALSE, 100 },
};

static const struct
{
  const char    *name;
  const char    *event;       /* the history event it makes */
  const char    *label;
  const char    *done_label;  /* said once it is done, in the words of the history */
  const SaOpArg *args;
  guint          n_args;
} op_types[SA_N_OP_TYPES] = {
#define ARGS(a) a, G_N_ELEMENTS (a)
  [SA_OP_TAKE] = { "take", "taken", NC_("operation", "Take into work"),
                   N_("Appeal taken into work"), take_args, 0 },
  [SA_OP_ASSIGN] = { "assign", "assigned", NC_("operation", "Assign"), N_("Executor assigned"),
                     ARGS (assign_args) },
  [SA_OP_COMMENT] = { "comment", "comment", NC_("operation", "Comment"), N_("Comment added"),
                      ARGS (text_args) },
  [SA_OP_REQUEST_INFO] = { "request_info", "info_requested",
                           NC_("operation", "Request information"),
                           N_("Information requested from the applicant"), ARGS (text_args) },
  [SA_OP_FORWARD] = { "forward", "forwarded", NC_("operation", "Forward"),
                      N_("Appeal forwarded"), ARGS (forward_args) },
  [SA_OP_ESCALATE] = { "escalate", "escalated", NC_("operation", "Escalate"),
                       N_("Appeal escalated"), ARGS (escalate_args) },
  [SA_OP_SET_PRIORITY] = { "set_priority", "priority", NC_("operation", "Change priority"),
                           N_("Priority changed"), ARGS (priority_args) },
  [SA_OP_ADD_COEXECUTOR] = { "add_coexecutor", "coexecutor_added",
                             NC_("operation", "Add a co-executor"), N_("Co-executor added"),
                             ARGS (agency_args) },
  [SA_OP_ATTACH] = { "attach", "attached", NC_("operation", "Attach a file"),
                     N_("File attached"), ARGS (attach_args) },
  [SA_OP_EXTEND] = { "extend", "extended", NC_("operation", "Extend the legal deadline"),
                     N_("Deadline extended"), ARGS (extend_args) },
  [SA_OP_REPLY_SAVE] = { "reply_save", "reply_drafted", NC_("operation", "Save the reply"),
                         N_("Reply saved"), ARGS (reply_save_args) },
  [SA_OP_REPLY_SUBMIT] = { "reply_submit", "reply_submitted",
                           NC_("operation", "Submit for approval"),
                           N_("Reply submitted for approval"), ARGS (reply_args) },
  [SA_OP_REPLY_APPROVE] = { "reply_approve", "reply_sent", NC_("operation", "Approve and send"),
                            N_("Reply approved and sent"), ARGS (reply_approve_args) },
  [SA_OP_REPLY_RETURN] = { "reply_return", "reply_returned", NC_("operation", "Return to the author"),
                           N_("Reply returned to its author"), ARGS (reply_return_args) },
  [SA_OP_INFO_RECEIVED] = { "info_received", "info_received",
                            NC_("operation", "Record the applicant’s information"),
                            N_("Applicant’s information recorded"), ARGS (text_args) },
  [SA_OP_QUICK_ANSWER] = { "quick_answer", "quick_answer", NC_("operation", "Answer on the call"),
                           N_("Answered on the call"), ARGS (quick_answer_args) },
  [SA_OP_FEEDBACK] = { "feedback", "feedback", NC_("operation", "Record the applicant’s verdict"),
                       N_("Applicant’s verdict recorded"), ARGS (feedback_args) },
#undef ARGS
};

const char *
sa_op_type_to_string (SaOpType type)
{
  g_return_val_if_fail (type < SA_N_OP_TYPES, NULL);
  return op_types[type].name;
}

gboolean
sa_op_type_from_string (const char *str,
                        SaOpType   *out_type)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (op_types); i++)
    if (strcmp (str, op_types[i].name) == 0)
      {
        if (out_type != NULL)
          *out_type = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * sa_op_type_label:
 * @type: a #SaOpType
 *
 * Returns: what the user asked for, as a heading, in the user's language
 */
const char *
sa_op_type_label (SaOpType type)
{
  g_return_val_if_fail (type < SA_N_OP_TYPES, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "operation", op_types[type].label);
}

/**
 * sa_op_type_done_label:
 * @type: a #SaOpType
 *
 * Returns: what the user is told once the op is done (and may still be
 *   undone), in the user's language
 */
const char *
sa_op_type_done_label (SaOpType type)
{
  g_return_val_if_fail (type < SA_N_OP_TYPES, NULL);
  return g_dgettext (GETTEXT_PACKAGE, op_types[type].done_label);
}

/**
 * sa_op_type_event:
 * @type: a #SaOpType
 *
 * Returns: the type of the history event the op makes when applied
 */
const char *
sa_op_type_event (SaOpType type)
{
  g_return_val_if_fail (type < SA_N_OP_TYPES, NULL);
  return op_types[type].event;
}

/**
 * sa_op_type_args:
 * @type: a #SaOpType
 * @n_args: (out): how many
 *
 * Returns: (array length=n_args): the arguments @type takes
 */
const SaOpArg *
sa_op_type_args (SaOpType  type,
                 guint    *n_args)
{
  g_return_val_if_fail (type < SA_N_OP_TYPES, NULL);
  g_return_val_if_fail (n_args != NULL, NULL);
  *n_args = op_types[type].n_args;
  return op_types[type].args;
}

const SaOpArg *
_sa_op_type_find_arg (SaOpType    type,
                      const char *name)
{
  for (guint i = 0; i < op_types[type].n_args; i++)
    if (strcmp (op_types[type].args[i].name, name) == 0)
      return &op_types[type].args[i];
  return NULL;
}

/**
 * sa_op_arg_max_chars:
 * @type: a #SaOpType
 * @name: an argument's name
 *
 * Returns: the longest value the argument takes, in characters, or 0 if
 *   @type has no such argument
 */
guint
sa_op_arg_max_chars (SaOpType    type,
                     const char *name)
{
  const SaOpArg *arg;

  g_return_val_if_fail (type < SA_N_OP_TYPES, 0);
  g_return_val_if_fail (name != NULL, 0);
  arg = _sa_op_type_find_arg (type, name);
  return arg != NULL ? arg->max_chars : 0;
}

/* ------------------------------------------------------------------ */
/* Rejections */

G_DEFINE_QUARK (sa-appeal-error-quark, sa_appeal_error)

/* Each rejection code the registry may answer, with the sentence a person
 * can act on; the registry sends it in English, the client shows it in the
 * user's language. */
static const struct
{
  const char *code;
  const char *message;
} rejections[] = {
  /* SaAppealError, in its order */
  { "invalid_args", N_("Something in the change is missing or not valid.") },
  { "read_only", N_("A curator’s access is read-only.") },
  { "forbidden", N_("Your role cannot do this.") },
  { "not_lead_agency", N_("Only the lead agency’s executors and supervisors may do this.") },
  { "supervisor_only", N_("Only a supervisor of the lead agency may do this; ask your supervisor.") },
  { "appeal_not_open", N_("The appeal is no longer in work: it awaits approval, is answered or closed.") },
  { "appeal_archived", N_("The appeal is archived and cannot change.") },
  { "appeal_closed", N_("The appeal is closed; files can no longer be added.") },
  { "already_yours", N_("You have this appeal in work already.") },
  { "taken_by_other", N_("Another executor has this appeal; ask your supervisor to reassign it.") },
  { "already_requested", N_("More information was requested already; wait for the applicant.") },
  { "unchanged", N_("The appeal is like this already.") },
  { "not_involved", N_("Your agency does not work on this appeal.") },
  { "already_involved", N_("That agency works on this appeal already.") },
  { "in_the_past", N_("The date must lie ahead.") },
  { "own_reply", N_("A reply cannot be approved by its author: ask another supervisor.") },
  { "reply_sent", N_("This reply was sent and can no longer change: write a new one.") },
  { "not_author", N_("Only the reply’s author may do this.") },
  { "no_such_reply", N_("The appeal has no such reply; it may have been removed by a newer version.") },
  { "reply_state", N_("The reply is not in a state that allows this: it waits for approval or was returned.") },
  { "reply_exists", N_("An answer to this appeal is being written already: open it instead of starting another.") },
  { "not_answered", N_("The appeal has no sent answer yet, so there is no verdict to record.") },
  { "not_waiting", N_("No information was requested from the applicant.") },
  { "parts_missing", N_("A co-executor agency has not sent its part of the answer yet: wait for it, or give the reason to send without it.") },
  { "not_fresh", N_("A quick answer is given on the first call, before the appeal goes to an agency; this one is in an agency’s work already.") },
  /* the registry's own */
  { "unknown_template", N_("That quick answer does not exist or is not yours to use: choose one from the list.") },
  { "file_not_attached", N_("A reply can include only the appeal’s own files: attach the file to the appeal first.") },
  { "not_found", N_("The appeal is no longer visible to you: it may have been forwarded to another agency.") },
  { "unknown_user", N_("That person is not an active executor of the lead agency.") },
  { "unknown_agency", N_("The registry does not know that agency.") },
  { "extension_too_long", N_("The new deadline is more than two months after the appeal was received.") },
  { "extension_not_later", N_("The new deadline is not later than the legal one.") },
  { "internal", N_("The registry failed to apply the change; nothing was changed. Try again later.") },
};

G_STATIC_ASSERT (SA_N_APPEAL_ERRORS < G_N_ELEMENTS (rejections));

/**
 * sa_appeal_error_code:
 * @error: an error in %SA_APPEAL_ERROR or %SA_SLA_ERROR
 *
 * Returns: the rejection code for @error, as the registry answers it
 */
const char *
sa_appeal_error_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == SA_APPEAL_ERROR && error->code >= 0 &&
      error->code < SA_N_APPEAL_ERRORS)
    return rejections[error->code].code;
  if (g_error_matches (error, SA_SLA_ERROR, SA_SLA_ERROR_EXTENSION_TOO_LONG))
    return "extension_too_long";
  if (g_error_matches (error, SA_SLA_ERROR, SA_SLA_ERROR_EXTENSION_NOT_LATER))
    return "extension_not_later";
  return "internal";
}

/**
 * sa_rejection_message:
 * @code: (nullable): a rejection code
 *
 * Returns: (nullable): why an operation was refused, in the user's
 *   language (English in the registry), or %NULL for a code this build
 *   does not know
 */
const char *
sa_rejection_message (const char *code)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (rejections); i++)
    if (strcmp (rejections[i].code, code) == 0)
      return _(rejections[i].message);
  return NULL;
}

gboolean
_sa_appeal_refuse (GError        **error,
                   SaAppealError   code)
{
  g_set_error_literal (error, SA_APPEAL_ERROR, code, _(rejections[code].message));
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Times */

/**
 * sa_appeal_time_zone:
 *
 * Returns: (transfer none): Almaty's time zone, in which the city counts
 *   its days and deadlines (UTC if this system has no tzdata)
 */
GTimeZone *
sa_appeal_time_zone (void)
{
  static GTimeZone *tz;

  if (g_once_init_enter (&tz))
    {
      GTimeZone *zone = g_time_zone_new_identifier ("Asia/Almaty");

      if (zone == NULL)
        {
          g_warning ("Time zone Asia/Almaty is not known to this system (tzdata missing?)");
          zone = g_time_zone_new_utc ();
        }
      g_once_init_leave (&tz, zone);
    }
  return tz;
}

/**
 * sa_appeal_parse_time:
 * @rfc3339: (nullable): a time with its offset, e.g. `2026-11-23T14:05:00+05:00`
 *
 * Returns: unix seconds, or 0 when @rfc3339 is missing or not a time
 *   with an offset (a bare local time would be ambiguous)
 */
gint64
sa_appeal_parse_time (const char *rfc3339)
{
  g_autoptr(GDateTime) dt = NULL;
  gsize n;

  if (rfc3339 == NULL || (n = strlen (rfc3339)) < 20 || n > 40)
    return 0;
  /* RFC 3339 needs an offset; g_date_time_new_from_iso8601() would take
   * a bare time in the local zone. */
  if (rfc3339[n - 1] != 'Z' && rfc3339[n - 1] != 'z' && rfc3339[n - 3] != ':')
    return 0;
  dt = g_date_time_new_from_iso8601 (rfc3339, NULL);
  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

/**
 * sa_appeal_format_time:
 * @unix_seconds: a time
 *
 * Returns: (transfer full) (nullable): the time in RFC 3339 in Almaty time,
 *   with its offset
 */
char *
sa_appeal_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return NULL;
  local = g_date_time_to_timezone (utc, sa_appeal_time_zone ());
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

SaCalendar *
_sa_appeal_calendar (void)
{
  static SaCalendar *cal;

  if (g_once_init_enter (&cal))
    g_once_init_leave (&cal, sa_calendar_new_default ());
  return cal;
}

/* The events of the history that no op makes; the ops' own come with
 * their labels from op_types. */
static const struct
{
  const char *type;
  const char *label;
} other_events[] = {
  { SA_EVENT_REGISTERED, NC_("appeal", "Registered") },
  { SA_EVENT_STATUS_CHANGED, NC_("appeal", "Status changed") },
  { SA_EVENT_DELIVERED, NC_("appeal", "Delivery to the applicant") },
};

static const char * const event_labels[SA_N_OP_TYPES] = {
  [SA_OP_TAKE] = NC_("appeal", "Taken into work"),
  [SA_OP_ASSIGN] = NC_("appeal", "Assigned"),
  [SA_OP_COMMENT] = NC_("appeal", "Comment"),
  [SA_OP_REQUEST_INFO] = NC_("appeal", "Information requested from the applicant"),
  [SA_OP_FORWARD] = NC_("appeal", "Forwarded to another agency"),
  [SA_OP_ESCALATE] = NC_("appeal", "Escalated"),
  [SA_OP_SET_PRIORITY] = NC_("appeal", "Priority changed"),
  [SA_OP_ADD_COEXECUTOR] = NC_("appeal", "Co-executor added"),
  [SA_OP_ATTACH] = NC_("appeal", "File attached"),
  [SA_OP_EXTEND] = NC_("appeal", "Deadline extended"),
  [SA_OP_REPLY_SAVE] = NC_("appeal", "Reply drafted"),
  [SA_OP_REPLY_SUBMIT] = NC_("appeal", "Reply submitted for approval"),
  [SA_OP_REPLY_APPROVE] = NC_("appeal", "Reply sent"),
  [SA_OP_REPLY_RETURN] = NC_("appeal", "Reply returned"),
  [SA_OP_INFO_RECEIVED] = NC_("appeal", "Information received from the applicant"),
  [SA_OP_FEEDBACK] = NC_("appeal", "Applicant’s verdict"),
  [SA_OP_QUICK_ANSWER] = NC_("appeal", "Answered by the contact centre on the call"),
};

/**
 * sa_history_event_label:
 * @type: (nullable): a history event's type
 *
 * Returns: the event as a heading in the user's language; an unknown
 *   type as it is, so a newer registry never hides what happened
 */
const char *
sa_history_event_label (const char *type)
{
  if (type == NULL)
    return "";
  for (guint i = 0; i < G_N_ELEMENTS (op_types); i++)
    if (strcmp (type, op_types[i].event) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "appeal", event_labels[i]);
  for (guint i = 0; i < G_N_ELEMENTS (other_events); i++)
    if (strcmp (type, other_events[i].type) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "appeal", other_events[i].label);
  return type;
}
