/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-model"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sa-appeal-model.h"
#include "sa-calendar.h"

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
    { "registered", NC_("appeal", "Registered"), IN_OPEN | IN_CLOCK | IN_WORKABLE },
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

static const struct
{
  const char *name;
  const char *label;
  gboolean    works;  /* works on its agency's appeals */
} roles[SA_N_ROLES] = {
  [SA_ROLE_EXECUTOR] = { "executor", NC_("appeal", "Executor"), TRUE },
  [SA_ROLE_SUPERVISOR] = { "supervisor", NC_("appeal", "Supervisor"), TRUE },
  [SA_ROLE_CURATOR] = { "curator", NC_("appeal", "Curator"), FALSE },
  [SA_ROLE_OPERATOR] = { "operator", NC_("appeal", "Operator"), FALSE },
  [SA_ROLE_KSK_MANAGER] = { "ksk_manager", NC_("appeal", "KSK/OSI Manager"), TRUE },
  [SA_ROLE_ADMIN] = { "admin", NC_("appeal", "Administrator"), FALSE },
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

static const struct
{
  const char    *name;
  const char    *event;  /* the history event it makes */
  const char    *label;
  const SaOpArg *args;
  guint          n_args;
} op_types[SA_N_OP_TYPES] = {
#define ARGS(a) a, G_N_ELEMENTS (a)
  [SA_OP_TAKE] = { "take", "taken", NC_("operation", "Take into work"), take_args, 0 },
  [SA_OP_ASSIGN] = { "assign", "assigned", NC_("operation", "Assign"), ARGS (assign_args) },
  [SA_OP_COMMENT] = { "comment", "comment", NC_("operation", "Comment"), ARGS (text_args) },
  [SA_OP_REQUEST_INFO] = { "request_info", "info_requested",
                           NC_("operation", "Request information"), ARGS (text_args) },
  [SA_OP_FORWARD] = { "forward", "forwarded", NC_("operation", "Forward"),
                      ARGS (forward_args) },
  [SA_OP_ESCALATE] = { "escalate", "escalated", NC_("operation", "Escalate"),
                       ARGS (escalate_args) },
  [SA_OP_SET_PRIORITY] = { "set_priority", "priority", NC_("operation", "Change priority"),
                           ARGS (priority_args) },
  [SA_OP_ADD_COEXECUTOR] = { "add_coexecutor", "coexecutor_added",
                             NC_("operation", "Add a co-executor"), ARGS (agency_args) },
  [SA_OP_ATTACH] = { "attach", "attached", NC_("operation", "Attach a file"),
                     ARGS (attach_args) },
  [SA_OP_EXTEND] = { "extend", "extended", NC_("operation", "Extend the legal deadline"),
                     ARGS (extend_args) },
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

static const SaOpArg *
find_arg (SaOpType    type,
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
  arg = find_arg (type, name);
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
  /* the registry's own */
  { "not_found", N_("The appeal is no longer visible to you: it may have been forwarded to another agency.") },
  { "unknown_user", N_("That person is not an active executor of the lead agency.") },
  { "unknown_agency", N_("The registry does not know that agency.") },
  { "extension_too_long", N_("The new deadline is more than two months after the appeal was received.") },
  { "extension_not_later", N_("The new deadline is not later than the legal one.") },
  { "internal", N_("The registry failed to apply the change; nothing was changed. Try again later.") },
};

G_STATIC_ASSERT (SA_APPEAL_ERROR_IN_THE_PAST < G_N_ELEMENTS (rejections));

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
      error->code <= SA_APPEAL_ERROR_IN_THE_PAST)
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

static gboolean
refuse (GError        **error,
        SaAppealError   code)
{
  g_set_error_literal (error, SA_APPEAL_ERROR, code, _(rejections[code].message));
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Times */

static GTimeZone *
almaty (void)
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
  local = g_date_time_to_timezone (utc, almaty ());
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

static SaCalendar *
calendar (void)
{
  static SaCalendar *cal;

  if (g_once_init_enter (&cal))
    g_once_init_leave (&cal, sa_calendar_new_default ());
  return cal;
}

/* ------------------------------------------------------------------ */
/* Reading an appeal */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The agencies that work on an appeal beside the lead one. */
static const char * const involved_fields[] = { "coexecutors", "escalated_to" };

/**
 * sa_appeal_state_init_from_json:
 * @state: (out caller-allocates): the state to fill
 * @appeal: the appeal as the registry's JSON
 *
 * Reads what the rules look at. @state points into @appeal's strings and
 * owns one array, @state->involved: free it with g_free() (only the array,
 * not its strings).
 *
 * Returns: whether @appeal has a known status
 */
gboolean
sa_appeal_state_init_from_json (SaAppealState *state,
                                JsonObject    *appeal)
{
  GPtrArray *involved = g_ptr_array_new ();
  JsonNode *version;

  g_return_val_if_fail (state != NULL, FALSE);
  g_return_val_if_fail (appeal != NULL, FALSE);

  memset (state, 0, sizeof *state);
  state->priority = SA_PRIORITY_NORMAL;
  sa_priority_from_string (member_string (appeal, "priority"), &state->priority);
  state->agency = member_string (appeal, "agency");
  state->executor = member_string (appeal, "executor");
  version = json_object_get_member (appeal, "version");
  if (version != NULL && JSON_NODE_HOLDS_VALUE (version) &&
      json_node_get_value_type (version) == G_TYPE_INT64)
    state->version = json_node_get_int (version);
  state->received_at = sa_appeal_parse_time (member_string (appeal,
                                                            SA_APPEAL_FIELD_RECEIVED_AT));
  state->legal_due_at = sa_appeal_parse_time (member_string (appeal,
                                                             sa_deadline_field (SA_DEADLINE_LEGAL)));
  for (guint f = 0; f < G_N_ELEMENTS (involved_fields); f++)
    {
      JsonArray *array = member_array (appeal, involved_fields[f]);

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            g_ptr_array_add (involved, (gpointer) json_node_get_string (node));
        }
    }
  g_ptr_array_add (involved, NULL);
  state->involved = (const char * const *) g_ptr_array_free (involved, FALSE);
  return sa_appeal_status_from_string (member_string (appeal, "status"), &state->status);
}

/* ------------------------------------------------------------------ */
/* Checking an operation */

static gboolean
is_sha256 (const char *s)
{
  guint n = 0;

  for (; s[n] != '\0'; n++)
    if (!g_ascii_isdigit (s[n]) && !(s[n] >= 'a' && s[n] <= 'f'))
      return FALSE;
  return n == 64;
}

static gboolean
is_code (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isalnum (*s) && *s != '-' && *s != '_' && *s != '.')
      return FALSE;
  return TRUE;
}

static gboolean
invalid_arg (GError       **error,
             SaOpType       type,
             const SaOpArg *arg,
             const char    *name)
{
  if (arg == NULL)
    g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                 "“%s” takes no argument “%s”.", op_types[type].name, name);
  else if (arg->kind == SA_ARG_TEXT)
    g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                 "Give “args.%s”: a text of 1 to %u characters.", arg->name, arg->max_chars);
  else if (arg->kind == SA_ARG_TIME)
    g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                 "Give “args.%s”: a time in RFC 3339 with its offset.", arg->name);
  else if (arg->kind == SA_ARG_PRIORITY)
    g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                 "“args.%s” must be low, normal, high or critical.", arg->name);
  else if (arg->kind == SA_ARG_SHA256)
    g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                 "Give “args.%s”: the file’s SHA-256 in lower-case hex.", arg->name);
  else
    g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                 "Give “args.%s”: a code of letters, digits, “.”, “-” or “_”.", arg->name);
  return FALSE;
}

/**
 * sa_op_validate_args:
 * @type: a #SaOpType
 * @args: (nullable): the op's `args`
 * @error: return location for a #GError in %SA_APPEAL_ERROR
 *
 * Checks that @args has every argument @type needs, each a string of its
 * kind within its length, and nothing else. A value that does not fit is
 * refused, never bent.
 *
 * Returns: whether @args fits @type
 */
gboolean
sa_op_validate_args (SaOpType     type,
                     JsonObject  *args,
                     GError     **error)
{
  const SaOpType t = type;

  g_return_val_if_fail (type < SA_N_OP_TYPES, FALSE);

  if (args != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (args);

      for (GList *l = names; l != NULL; l = l->next)
        if (find_arg (t, l->data) == NULL)
          return invalid_arg (error, t, NULL, l->data);
    }

  for (guint i = 0; i < op_types[t].n_args; i++)
    {
      const SaOpArg *arg = &op_types[t].args[i];
      JsonNode *node = args != NULL ? json_object_get_member (args, arg->name) : NULL;
      const char *value;
      glong chars;

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          if (arg->required)
            return invalid_arg (error, t, arg, arg->name);
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return invalid_arg (error, t, arg, arg->name);
      value = json_node_get_string (node);
      if (!g_utf8_validate (value, -1, NULL))
        return invalid_arg (error, t, arg, arg->name);
      chars = g_utf8_strlen (value, -1);
      if (chars > arg->max_chars)
        return invalid_arg (error, t, arg, arg->name);

      switch (arg->kind)
        {
        case SA_ARG_TEXT:
          {
            g_autofree char *trimmed = g_strstrip (g_strdup (value));

            if (*trimmed == '\0')
              return invalid_arg (error, t, arg, arg->name);
          }
          break;
        case SA_ARG_CODE:
          if (!is_code (value))
            return invalid_arg (error, t, arg, arg->name);
          break;
        case SA_ARG_PRIORITY:
          if (!sa_priority_from_string (value, NULL))
            return invalid_arg (error, t, arg, arg->name);
          break;
        case SA_ARG_TIME:
          if (sa_appeal_parse_time (value) == 0)
            return invalid_arg (error, t, arg, arg->name);
          break;
        case SA_ARG_SHA256:
          if (!is_sha256 (value))
            return invalid_arg (error, t, arg, arg->name);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

static gboolean
involves (const SaAppealState *appeal,
          const char          *agency)
{
  if (agency == NULL)
    return FALSE;
  if (g_strcmp0 (appeal->agency, agency) == 0)
    return TRUE;
  for (guint i = 0; appeal->involved != NULL && appeal->involved[i] != NULL; i++)
    if (strcmp (appeal->involved[i], agency) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_lead_worker (const SaActor       *actor,
                const SaAppealState *appeal)
{
  return sa_role_works_appeals (actor->role) && actor->agency != NULL &&
         g_strcmp0 (actor->agency, appeal->agency) == 0;
}

static const char *
arg_string (JsonObject *args,
            const char *name)
{
  return member_string (args, name);
}

/**
 * sa_op_check:
 * @type: a #SaOpType
 * @actor: who asks
 * @appeal: the appeal as it is now
 * @args: (nullable): the op's arguments, or %NULL to ask only whether
 *   @actor may do @type at all (to offer the action)
 * @now: unix seconds, for arguments that must lie ahead
 * @error: return location for a #GError in %SA_APPEAL_ERROR
 *
 * The rules of who may do what to an appeal in which status (DESIGN.md,
 * docs/api.md): the registry applies them before every op and the desk
 * before offering an action or queueing it. What needs the registry's
 * tables (whether an agency exists, whether a user may be assigned, the
 * file of an attachment) the registry checks on top. The caller has made
 * sure that @actor may see @appeal.
 *
 * Returns: whether @actor may do @type now
 */
gboolean
sa_op_check (SaOpType             type,
             const SaActor       *actor,
             const SaAppealState *appeal,
             JsonObject          *args,
             gint64               now,
             GError             **error)
{
  gboolean lead, supervisor, workable, operator_on_queue;

  g_return_val_if_fail (type < SA_N_OP_TYPES, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (appeal != NULL, FALSE);

  if (actor->role == SA_ROLE_CURATOR)
    return refuse (error, SA_APPEAL_ERROR_READ_ONLY);
  if (actor->role == SA_ROLE_ADMIN)
    return refuse (error, SA_APPEAL_ERROR_FORBIDDEN);
  if (args != NULL && !sa_op_validate_args (type, args, error))
    return FALSE;

  lead = is_lead_worker (actor, appeal);
  supervisor = lead && actor->role == SA_ROLE_SUPERVISOR;
  workable = sa_appeal_status_in (appeal->status, SA_STATUS_SET_WORKABLE);
  /* The first line classifies the queue: it may route and rank a fresh appeal. */
  operator_on_queue = actor->role == SA_ROLE_OPERATOR &&
                      appeal->status == SA_APPEAL_STATUS_REGISTERED;

  switch (type)
    {
    case SA_OP_TAKE:
    case SA_OP_REQUEST_INFO:
    case SA_OP_ESCALATE:
      if (!lead)
        return refuse (error, SA_APPEAL_ERROR_NOT_LEAD_AGENCY);
      if (!workable)
        return refuse (error, SA_APPEAL_ERROR_NOT_OPEN);
      break;
    case SA_OP_ASSIGN:
    case SA_OP_ADD_COEXECUTOR:
    case SA_OP_EXTEND:
      if (!supervisor)
        return refuse (error, SA_APPEAL_ERROR_SUPERVISOR_ONLY);
      if (!workable)
        return refuse (error, SA_APPEAL_ERROR_NOT_OPEN);
      break;
    case SA_OP_FORWARD:
      if (operator_on_queue)
        break;
      if (!lead)
        return refuse (error, SA_APPEAL_ERROR_NOT_LEAD_AGENCY);
      if (!workable)
        return refuse (error, SA_APPEAL_ERROR_NOT_OPEN);
      break;
    case SA_OP_SET_PRIORITY:
      if (operator_on_queue)
        break;
      if (!supervisor)
        return refuse (error, SA_APPEAL_ERROR_SUPERVISOR_ONLY);
      if (!workable)
        return refuse (error, SA_APPEAL_ERROR_NOT_OPEN);
      break;
    case SA_OP_COMMENT:
      if (!sa_role_works_appeals (actor->role))
        return refuse (error, SA_APPEAL_ERROR_FORBIDDEN);
      if (!involves (appeal, actor->agency))
        return refuse (error, SA_APPEAL_ERROR_NOT_INVOLVED);
      if (appeal->status == SA_APPEAL_STATUS_ARCHIVED)
        return refuse (error, SA_APPEAL_ERROR_ARCHIVED);
      break;
    case SA_OP_ATTACH:
      /* Whoever works on the appeal may add evidence: the lead agency, a
       * co-executor or escalated agency, an operator on the queue. */
      if (!operator_on_queue && !(sa_role_works_appeals (actor->role) &&
                                  involves (appeal, actor->agency)))
        return refuse (error, SA_APPEAL_ERROR_NOT_INVOLVED);
      if (!sa_appeal_status_in (appeal->status, SA_STATUS_SET_OPEN))
        return refuse (error, SA_APPEAL_ERROR_CLOSED);
      break;
    default:
      g_assert_not_reached ();
    }

  /* What depends on the appeal's people and on the arguments. */
  switch (type)
    {
    case SA_OP_TAKE:
      if (g_strcmp0 (appeal->executor, actor->login) == 0)
        return refuse (error, SA_APPEAL_ERROR_ALREADY_YOURS);
      if (appeal->executor != NULL && !supervisor)
        return refuse (error, SA_APPEAL_ERROR_TAKEN_BY_OTHER);
      break;
    case SA_OP_REQUEST_INFO:
      if (appeal->status == SA_APPEAL_STATUS_INFO_REQUESTED)
        return refuse (error, SA_APPEAL_ERROR_ALREADY_REQUESTED);
      break;
    case SA_OP_ASSIGN:
      if (args != NULL && g_strcmp0 (appeal->executor, arg_string (args, "user")) == 0)
        return refuse (error, SA_APPEAL_ERROR_UNCHANGED);
      break;
    case SA_OP_FORWARD:
      if (args != NULL && g_strcmp0 (appeal->agency, arg_string (args, "agency")) == 0)
        return refuse (error, SA_APPEAL_ERROR_UNCHANGED);
      break;
    case SA_OP_SET_PRIORITY:
      if (args != NULL)
        {
          SaPriority p;

          if (sa_priority_from_string (arg_string (args, "priority"), &p) &&
              p == appeal->priority)
            return refuse (error, SA_APPEAL_ERROR_UNCHANGED);
        }
      break;
    case SA_OP_ESCALATE:
    case SA_OP_ADD_COEXECUTOR:
      if (args != NULL && involves (appeal, arg_string (args, "agency")))
        return refuse (error, SA_APPEAL_ERROR_ALREADY_INVOLVED);
      if (type == SA_OP_ESCALATE && args != NULL && arg_string (args, "due_at") != NULL &&
          sa_appeal_parse_time (arg_string (args, "due_at")) <= now)
        return refuse (error, SA_APPEAL_ERROR_IN_THE_PAST);
      break;
    case SA_OP_COMMENT:
    case SA_OP_ATTACH:
    case SA_OP_EXTEND:
    default:
      break;
    }
  return TRUE;
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

/* ------------------------------------------------------------------ */
/* Applying an operation */

static const struct
{
  const char *name;   /* the registry's appeal_agencies.role */
  const char *field;  /* the appeal object's array */
} links[] = {
  [SA_AGENCY_LINK_NONE] = { NULL, NULL },
  [SA_AGENCY_LINK_COEXECUTOR] = { "coexecutor", "coexecutors" },
  [SA_AGENCY_LINK_ESCALATED] = { "escalated", "escalated_to" },
};

const char *
sa_agency_link_to_string (SaAgencyLink link)
{
  g_return_val_if_fail (link < G_N_ELEMENTS (links), NULL);
  return links[link].name;
}

/**
 * sa_agency_link_field:
 * @link: a #SaAgencyLink
 *
 * Returns: (nullable): the appeal object's array of the agencies linked so
 */
const char *
sa_agency_link_field (SaAgencyLink link)
{
  g_return_val_if_fail (link < G_N_ELEMENTS (links), NULL);
  return links[link].field;
}

/**
 * sa_op_type_link:
 * @type: a #SaOpType
 *
 * Returns: how an op of @type links its `args.agency` to the appeal
 */
SaAgencyLink
sa_op_type_link (SaOpType type)
{
  switch (type)
    {
    case SA_OP_ESCALATE:
      return SA_AGENCY_LINK_ESCALATED;
    case SA_OP_ADD_COEXECUTOR:
      return SA_AGENCY_LINK_COEXECUTOR;
    case SA_OP_TAKE:
    case SA_OP_ASSIGN:
    case SA_OP_COMMENT:
    case SA_OP_REQUEST_INFO:
    case SA_OP_FORWARD:
    case SA_OP_SET_PRIORITY:
    case SA_OP_ATTACH:
    case SA_OP_EXTEND:
    default:
      return SA_AGENCY_LINK_NONE;
    }
}

/**
 * sa_actor_init_from_json:
 * @actor: (out caller-allocates): the actor to fill
 * @user: the signed-in user as the registry describes it (`login`,
 *   `role`, `agency`)
 *
 * @actor points into @user's strings.
 *
 * Returns: whether @user has a login and a known role
 */
gboolean
sa_actor_init_from_json (SaActor    *actor,
                         JsonObject *user)
{
  g_return_val_if_fail (actor != NULL, FALSE);

  memset (actor, 0, sizeof *actor);
  actor->role = SA_ROLE_CURATOR;  /* the least a stranger may do */
  if (user == NULL)
    return FALSE;
  actor->login = member_string (user, "login");
  actor->agency = member_string (user, "agency");
  return sa_role_from_string (member_string (user, "role"), &actor->role) &&
         actor->login != NULL;
}

/* Taking an appeal into work starts work on a fresh or reopened one. */
static SaAppealStatus
status_when_taken (SaAppealStatus status)
{
  if (status == SA_APPEAL_STATUS_REGISTERED || status == SA_APPEAL_STATUS_REOPENED)
    return SA_APPEAL_STATUS_IN_PROGRESS;
  return status;
}

/**
 * sa_appeal_state_apply:
 * @state: the appeal's state, changed in place
 * @type: a #SaOpType that sa_op_check() allowed
 * @actor: who does it
 * @args: (nullable): its arguments; @state keeps pointers into them
 * @error: return location for a #GError
 *
 * What an op does to the appeal's status, people, priority and deadline,
 * and its version: the registry applies it and writes the result, the
 * client folds it over the cached appeal. The agency an op links
 * (sa_op_type_link()) is the caller's to store.
 *
 * Returns: %FALSE with @error when the op cannot apply (an extension past
 *   what the law allows, in %SA_SLA_ERROR)
 */
gboolean
sa_appeal_state_apply (SaAppealState  *state,
                       SaOpType        type,
                       const SaActor  *actor,
                       JsonObject     *args,
                       GError        **error)
{
  g_return_val_if_fail (state != NULL, FALSE);
  g_return_val_if_fail (type < SA_N_OP_TYPES, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  switch (type)
    {
    case SA_OP_TAKE:
      state->executor = actor->login;
      state->status = status_when_taken (state->status);
      break;
    case SA_OP_ASSIGN:
      state->executor = arg_string (args, "user");
      state->status = status_when_taken (state->status);
      break;
    case SA_OP_REQUEST_INFO:
      state->status = SA_APPEAL_STATUS_INFO_REQUESTED;
      break;
    case SA_OP_FORWARD:
      /* A new lead agency starts afresh with its own queue. */
      state->agency = arg_string (args, "agency");
      state->executor = NULL;
      state->status = SA_APPEAL_STATUS_REGISTERED;
      break;
    case SA_OP_SET_PRIORITY:
      sa_priority_from_string (arg_string (args, "priority"), &state->priority);
      break;
    case SA_OP_EXTEND:
      {
        gint64 due;

        if (!sa_sla_extend_legal_due (calendar (), state->received_at,
                                      sa_appeal_parse_time (arg_string (args, "due_at")),
                                      &due, error))
          return FALSE;
        state->legal_due_at = due;
      }
      break;
    case SA_OP_COMMENT:
    case SA_OP_ESCALATE:
    case SA_OP_ADD_COEXECUTOR:
    case SA_OP_ATTACH:
    default:
      break;
    }
  state->version++;
  return TRUE;
}

static void
set_nullable (JsonObject *object,
              const char *name,
              const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static void
set_time (JsonObject *object,
          const char *name,
          gint64      unix_seconds)
{
  g_autofree char *text = sa_appeal_format_time (unix_seconds);

  set_nullable (object, name, text);
}

/**
 * sa_op_history_payload:
 * @type: a #SaOpType
 * @before: the appeal before the op
 * @after: the appeal after sa_appeal_state_apply()
 * @args: (nullable): the op's arguments
 *
 * The payload of the history event an op makes: what changed, from → to,
 * so that the history can say it. The registry adds what only it knows
 * (whether a forward was late, by when the applicant must be told of an
 * extension, the attached file's type and size).
 *
 * Returns: (transfer full): the payload
 */
JsonObject *
sa_op_history_payload (SaOpType             type,
                       const SaAppealState *before,
                       const SaAppealState *after,
                       JsonObject          *args)
{
  JsonObject *payload = json_object_new ();

  g_return_val_if_fail (type < SA_N_OP_TYPES, payload);
  g_return_val_if_fail (before != NULL && after != NULL, payload);

  switch (type)
    {
    case SA_OP_TAKE:
    case SA_OP_ASSIGN:
      set_nullable (payload, "executor", after->executor);
      set_nullable (payload, "previous_executor", before->executor);
      break;
    case SA_OP_COMMENT:
    case SA_OP_REQUEST_INFO:
      set_nullable (payload, "text", arg_string (args, "text"));
      break;
    case SA_OP_FORWARD:
      set_nullable (payload, "from", before->agency);
      set_nullable (payload, "to", after->agency);
      set_nullable (payload, "reason", arg_string (args, "reason"));
      break;
    case SA_OP_ESCALATE:
      set_nullable (payload, "agency", arg_string (args, "agency"));
      set_nullable (payload, "text", arg_string (args, "text"));
      set_nullable (payload, "due_at", arg_string (args, "due_at"));
      break;
    case SA_OP_SET_PRIORITY:
      set_nullable (payload, "from", sa_priority_to_string (before->priority));
      set_nullable (payload, "to", sa_priority_to_string (after->priority));
      break;
    case SA_OP_ADD_COEXECUTOR:
      set_nullable (payload, "agency", arg_string (args, "agency"));
      break;
    case SA_OP_ATTACH:
      set_nullable (payload, "sha256", arg_string (args, "sha256"));
      set_nullable (payload, "name", arg_string (args, "name"));
      break;
    case SA_OP_EXTEND:
      set_time (payload, "from", before->legal_due_at);
      set_time (payload, "due_at", after->legal_due_at);
      set_nullable (payload, "reason", arg_string (args, "reason"));
      break;
    default:
      g_assert_not_reached ();
    }
  return payload;
}

static void
array_add_unique (JsonObject *appeal,
                  const char *member,
                  const char *value)
{
  JsonArray *array = member_array (appeal, member);

  if (value == NULL)
    return;
  if (array == NULL)
    {
      array = json_array_new ();
      json_object_set_array_member (appeal, member, array);
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return;
  json_array_add_string_element (array, value);
}

/**
 * sa_appeal_fold_op:
 * @appeal: the appeal as the registry's JSON, changed in place
 * @type: a #SaOpType
 * @actor: who made the op
 * @args: (nullable): its arguments
 * @op_id: the op's UUID
 * @made_at: when the person made it, unix seconds
 *
 * Shows a local op on top of the registry's appeal the way the registry
 * will apply it (sa_appeal_state_apply()), with a pending history event,
 * so the desk shows the change at once, offline too. An op that could not
 * apply changes nothing but the history.
 */
void
sa_appeal_fold_op (JsonObject    *appeal,
                   SaOpType       type,
                   const SaActor *actor,
                   JsonObject    *args,
                   const char    *op_id,
                   gint64         made_at)
{
  g_autofree const char **involved = NULL;
  g_autofree char *at = NULL;
  SaAppealState before, after;
  JsonObject *payload = NULL;
  JsonObject *item;
  JsonArray *history;
  gboolean known;

  g_return_if_fail (appeal != NULL);
  g_return_if_fail (type < SA_N_OP_TYPES);
  g_return_if_fail (actor != NULL);

  known = sa_appeal_state_init_from_json (&before, appeal);
  involved = (const char **) before.involved;
  after = before;
  if (known && sa_appeal_state_apply (&after, type, actor, args, NULL))
    {
      /* Strings of @after may point into @appeal: copy before replacing. */
      g_autofree char *agency = g_strdup (after.agency);
      g_autofree char *executor = g_strdup (after.executor);

      payload = sa_op_history_payload (type, &before, &after, args);
      json_object_set_string_member (appeal, "status", sa_appeal_status_to_string (after.status));
      json_object_set_string_member (appeal, "priority", sa_priority_to_string (after.priority));
      set_nullable (appeal, "agency", agency);
      set_nullable (appeal, "executor", executor);
      if (after.legal_due_at != before.legal_due_at)
        set_time (appeal, sa_deadline_field (SA_DEADLINE_LEGAL), after.legal_due_at);
      json_object_set_int_member (appeal, "version", after.version);
      if (sa_op_type_link (type) != SA_AGENCY_LINK_NONE)
        array_add_unique (appeal, sa_agency_link_field (sa_op_type_link (type)),
                          arg_string (args, "agency"));
    }
  else
    payload = args != NULL ? json_object_ref (args) : json_object_new ();

  history = member_array (appeal, "history");
  if (history == NULL)
    {
      history = json_array_new ();
      json_object_set_array_member (appeal, "history", history);
    }
  at = sa_appeal_format_time (made_at);
  item = json_object_new ();
  json_object_set_null_member (item, "seq");
  set_nullable (item, "at", at);
  set_nullable (item, "made_at", at);
  set_nullable (item, "actor", actor->login);
  json_object_set_string_member (item, "type", sa_op_type_event (type));
  json_object_set_object_member (item, "payload", payload);
  set_nullable (item, "op_id", op_id);
  json_object_set_boolean_member (item, "pending", TRUE);
  json_array_add_object_element (history, item);
}
