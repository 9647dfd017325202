/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-model"

/* The appeal model's rules: reading an appeal's state from its JSON, the
 * checks an op passes before it is applied, what it changes and what it
 * writes in the history. The registry applies ops with these functions and
 * the client folds them optimistically with the same ones, so the two
 * cannot disagree (tests/test-registry.c, ops/parity-with-client-fold).
 * The vocabulary they use is in sa-appeal-model.c. */

#include "config.h"

#include <string.h>

#include "sa-appeal-model-private.h"
#include "sa-attachment-store.h"
/* ------------------------------------------------------------------ */
/* Reading an appeal */

/**
 * _sa_json_string:
 * @object: (nullable): a JSON object
 * @name: a member's name
 *
 * Returns: (nullable): the member if it is a string, else %NULL
 */
const char *
_sa_json_string (JsonObject *object,
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
 * owns two arrays, @state->involved and @state->replies: free them with
 * sa_appeal_state_clear().
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
  sa_priority_from_string (_sa_json_string (appeal, "priority"), &state->priority);
  state->agency = _sa_json_string (appeal, "agency");
  state->executor = _sa_json_string (appeal, "executor");
  version = json_object_get_member (appeal, "version");
  if (version != NULL && JSON_NODE_HOLDS_VALUE (version) &&
      json_node_get_value_type (version) == G_TYPE_INT64)
    state->version = json_node_get_int (version);
  state->received_at = sa_appeal_parse_time (_sa_json_string (appeal,
                                                            SA_APPEAL_FIELD_RECEIVED_AT));
  state->legal_due_at = sa_appeal_parse_time (_sa_json_string (appeal,
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
  {
    JsonArray *co = member_array (appeal, involved_fields[0]);
    guint n = co != NULL ? json_array_get_length (co) : 0;
    const char **list = g_new0 (const char *, n + 1);
    guint k = 0;

    for (guint i = 0; i < n; i++)
      {
        JsonNode *node = json_array_get_element (co, i);

        if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
          list[k++] = json_node_get_string (node);
      }
    state->coexecutors = list;
  }
  _sa_reply_infos_from_json (member_array (appeal, SA_APPEAL_FIELD_REPLIES), state);
  state->under_control = json_object_get_boolean_member_with_default (appeal,
                                                                      SA_APPEAL_FIELD_UNDER_CONTROL,
                                                                      FALSE);
  return sa_appeal_status_from_string (_sa_json_string (appeal, "status"), &state->status);
}

/**
 * sa_appeal_state_clear:
 * @state: a state that sa_appeal_state_init_from_json() filled
 *
 * Frees the arrays @state owns; the strings were @appeal's.
 */
void
sa_appeal_state_clear (SaAppealState *state)
{
  g_return_if_fail (state != NULL);

  g_clear_pointer ((gpointer *) &state->involved, g_free);
  g_clear_pointer ((gpointer *) &state->coexecutors, g_free);
  g_clear_pointer ((gpointer *) &state->replies, g_free);
  state->n_replies = 0;
}

/* ------------------------------------------------------------------ */
/* Checking an operation */

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
                 "“%s” takes no argument “%s”.", sa_op_type_to_string (type), name);
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
  else if (arg->kind == SA_ARG_CHOICE)
    {
      g_autofree char *choices = g_strjoinv (", ", (char **) arg->choices);

      g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                   "“args.%s” must be one of: %s.", arg->name, choices);
    }
  else if (arg->kind == SA_ARG_BOOLEAN)
    g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                 "“args.%s” must be true or false.", arg->name);
  else if (arg->kind == SA_ARG_RATING)
    g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                 "“args.%s” must be a whole number from 1 to 5.", arg->name);
  else if (arg->kind == SA_ARG_NUMBER)
    g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                 "“args.%s” must be a whole number from 0 to %u.", arg->name, arg->max_chars);
  else if (arg->kind == SA_ARG_SHA256_LIST)
    g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                 "“args.%s” must be an array of at most %u different SHA-256s in lower-case hex.",
                 arg->name, arg->max_chars);
  else
    g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                 "Give “args.%s”: a code of letters, digits, “.”, “-” or “_”.", arg->name);
  return FALSE;
}

/* The arguments that are not strings: a JSON boolean, or a whole number
 * in its range (json-glib reads every integer as gint64). */
static gboolean
arg_value_fits (const SaOpArg *arg,
                JsonNode      *node)
{
  gint64 n;

  if (arg->kind == SA_ARG_SHA256_LIST)
    {
      JsonArray *list;
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return FALSE;
      list = json_node_get_array (node);
      if (json_array_get_length (list) > arg->max_chars)
        return FALSE;
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode *item = json_array_get_element (list, i);

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING ||
              !sa_attachment_is_sha256 (json_node_get_string (item)) ||
              !g_hash_table_add (seen, (gpointer) json_node_get_string (item)))
            return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (arg->kind == SA_ARG_BOOLEAN)
    return json_node_get_value_type (node) == G_TYPE_BOOLEAN;
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  n = json_node_get_int (node);
  if (arg->kind == SA_ARG_RATING)
    return n >= 1 && n <= 5;
  return n >= 0 && n <= arg->max_chars;
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
  const SaOpArg *op_args;
  guint n_args;

  g_return_val_if_fail (type < SA_N_OP_TYPES, FALSE);

  if (args != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (args);

      for (GList *l = names; l != NULL; l = l->next)
        if (_sa_op_type_find_arg (t, l->data) == NULL)
          return invalid_arg (error, t, NULL, l->data);
    }

  op_args = sa_op_type_args (t, &n_args);
  for (guint i = 0; i < n_args; i++)
    {
      const SaOpArg *arg = &op_args[i];
      JsonNode *node = args != NULL ? json_object_get_member (args, arg->name) : NULL;
      const char *value;
      glong chars;

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          if (arg->required)
            return invalid_arg (error, t, arg, arg->name);
          continue;
        }
      if (arg->kind == SA_ARG_BOOLEAN || arg->kind == SA_ARG_NUMBER ||
          arg->kind == SA_ARG_RATING || arg->kind == SA_ARG_SHA256_LIST)
        {
          if (!arg_value_fits (arg, node))
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
          if (!sa_attachment_is_sha256 (value))
            return invalid_arg (error, t, arg, arg->name);
          break;
        case SA_ARG_CHOICE:
          if (arg->choices == NULL || !g_strv_contains (arg->choices, value))
            return invalid_arg (error, t, arg, arg->name);
          break;
        case SA_ARG_BOOLEAN:
        case SA_ARG_NUMBER:
        case SA_ARG_RATING:
        case SA_ARG_SHA256_LIST:
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
  return _sa_json_string (args, name);
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
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_READ_ONLY);
  if (actor->role == SA_ROLE_ADMIN)
    return _sa_appeal_refuse (error, SA_APPEAL_ERROR_FORBIDDEN);
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
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_LEAD_AGENCY);
      if (!workable)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_OPEN);
      break;
    case SA_OP_ASSIGN:
    case SA_OP_ADD_COEXECUTOR:
    case SA_OP_EXTEND:
      if (!supervisor)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_SUPERVISOR_ONLY);
      if (!workable)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_OPEN);
      break;
    case SA_OP_FORWARD:
      if (operator_on_queue)
        break;
      if (!lead)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_LEAD_AGENCY);
      if (!workable)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_OPEN);
      break;
    case SA_OP_SET_PRIORITY:
      if (operator_on_queue)
        break;
      if (!supervisor)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_SUPERVISOR_ONLY);
      if (!workable)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_OPEN);
      break;
    case SA_OP_COMMENT:
      if (!sa_role_works_appeals (actor->role))
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_FORBIDDEN);
      if (!involves (appeal, actor->agency))
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_INVOLVED);
      if (appeal->status == SA_APPEAL_STATUS_ARCHIVED)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_ARCHIVED);
      break;
    case SA_OP_REPLY_SAVE:
    case SA_OP_REPLY_SUBMIT:
    case SA_OP_REPLY_APPROVE:
    case SA_OP_REPLY_RETURN:
    case SA_OP_INFO_RECEIVED:
    case SA_OP_FEEDBACK:
    case SA_OP_QUICK_ANSWER:
      /* The reply loop's rules, sa-reply-rules.c. */
      return _sa_reply_op_check (type, actor, appeal, args, error);
    case SA_OP_ATTACH:
      /* Whoever works on the appeal may add evidence: the lead agency, a
       * co-executor or escalated agency, an operator on the queue. */
      if (!operator_on_queue && !(sa_role_works_appeals (actor->role) &&
                                  involves (appeal, actor->agency)))
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_NOT_INVOLVED);
      if (!sa_appeal_status_in (appeal->status, SA_STATUS_SET_OPEN))
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_CLOSED);
      break;
    default:
      g_assert_not_reached ();
    }

  /* What depends on the appeal's people and on the arguments. */
  switch (type)
    {
    case SA_OP_TAKE:
      if (g_strcmp0 (appeal->executor, actor->login) == 0)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_ALREADY_YOURS);
      if (appeal->executor != NULL && !supervisor)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_TAKEN_BY_OTHER);
      break;
    case SA_OP_REQUEST_INFO:
      if (appeal->status == SA_APPEAL_STATUS_INFO_REQUESTED)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_ALREADY_REQUESTED);
      break;
    case SA_OP_ASSIGN:
      if (args != NULL && g_strcmp0 (appeal->executor, arg_string (args, "user")) == 0)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_UNCHANGED);
      break;
    case SA_OP_FORWARD:
      if (args != NULL && g_strcmp0 (appeal->agency, arg_string (args, "agency")) == 0)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_UNCHANGED);
      break;
    case SA_OP_SET_PRIORITY:
      if (args != NULL)
        {
          SaPriority p;

          if (sa_priority_from_string (arg_string (args, "priority"), &p) &&
              p == appeal->priority)
            return _sa_appeal_refuse (error, SA_APPEAL_ERROR_UNCHANGED);
        }
      break;
    case SA_OP_ESCALATE:
    case SA_OP_ADD_COEXECUTOR:
      if (args != NULL && involves (appeal, arg_string (args, "agency")))
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_ALREADY_INVOLVED);
      if (type == SA_OP_ESCALATE && args != NULL && arg_string (args, "due_at") != NULL &&
          sa_appeal_parse_time (arg_string (args, "due_at")) <= now)
        return _sa_appeal_refuse (error, SA_APPEAL_ERROR_IN_THE_PAST);
      break;
    case SA_OP_COMMENT:
    case SA_OP_ATTACH:
    case SA_OP_EXTEND:
    default:
      break;
    }
  return TRUE;
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
  actor->login = _sa_json_string (user, "login");
  actor->agency = _sa_json_string (user, "agency");
  return sa_role_from_string (_sa_json_string (user, "role"), &actor->role) &&
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

        if (!sa_sla_extend_legal_due (_sa_appeal_calendar (), state->received_at,
                                      sa_appeal_parse_time (arg_string (args, "due_at")),
                                      &due, error))
          return FALSE;
        state->legal_due_at = due;
      }
      break;
    case SA_OP_REPLY_SAVE:
    case SA_OP_REPLY_SUBMIT:
    case SA_OP_REPLY_APPROVE:
    case SA_OP_REPLY_RETURN:
    case SA_OP_INFO_RECEIVED:
    case SA_OP_FEEDBACK:
    case SA_OP_QUICK_ANSWER:
      _sa_reply_state_apply (state, type, args);
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
    case SA_OP_REPLY_SAVE:
    case SA_OP_REPLY_SUBMIT:
    case SA_OP_REPLY_APPROVE:
    case SA_OP_REPLY_RETURN:
    case SA_OP_INFO_RECEIVED:
    case SA_OP_FEEDBACK:
    case SA_OP_QUICK_ANSWER:
      _sa_reply_history_payload (type, before, after, args, payload);
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

/* The file in the appeal's `attachments`, marked pending: the registry
 * adds its type and size once it is applied. */
static void
add_attachment (JsonObject *appeal,
                const char *sha256,
                const char *name)
{
  JsonArray *array = member_array (appeal, "attachments");
  JsonObject *item;

  if (sha256 == NULL || name == NULL)
    return;
  if (array == NULL)
    {
      array = json_array_new ();
      json_object_set_array_member (appeal, "attachments", array);
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node),
                                                                 "sha256", NULL), sha256) == 0)
        return;
    }
  item = json_object_new ();
  json_object_set_string_member (item, "sha256", sha256);
  json_object_set_string_member (item, "name", name);
  json_object_set_boolean_member (item, "pending", TRUE);
  json_array_add_object_element (array, item);
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
      if (type == SA_OP_ATTACH)
        add_attachment (appeal, arg_string (args, "sha256"), arg_string (args, "name"));
      if (after.under_control != before.under_control)
        json_object_set_boolean_member (appeal, SA_APPEAL_FIELD_UNDER_CONTROL,
                                        after.under_control);
      /* @before's strings may be the replies' own: fold them last. */
      _sa_reply_fold (appeal, type, actor, args, made_at);
    }
  else
    payload = args != NULL ? json_object_ref (args) : json_object_new ();
  sa_appeal_state_clear (&before);

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

/**
 * sa_appeal_fold_pending:
 * @appeal: the registry's appeal, a tree of the caller's own, changed in place
 * @ops: (array length=n_ops): the appeal's pending ops, in the order they were made
 * @n_ops: how many
 * @login: who made them: the signed-in user
 * @agency: (nullable): their agency, which a reply they start is written for
 *
 * The appeal as its desk shows it: @ops folded over the registry's state
 * in order, each as sa_appeal_fold_op() does. Folding looks only at who
 * made an op, not at the role; the registry checks the rights.
 */
void
sa_appeal_fold_pending (JsonObject        *appeal,
                        const SaPendingOp *ops,
                        guint              n_ops,
                        const char        *login,
                        const char        *agency)
{
  SaActor actor = { login, SA_ROLE_EXECUTOR, agency };

  g_return_if_fail (appeal != NULL);
  g_return_if_fail (ops != NULL || n_ops == 0);

  for (guint i = 0; i < n_ops; i++)
    sa_appeal_fold_op (appeal, ops[i].type, &actor, ops[i].args, ops[i].op_id, ops[i].made_at);
}
