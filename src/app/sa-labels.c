/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-labels"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-labels.h"

/* The registry speaks in stable codes; these tables turn them into words
 * in the user's language. An unknown code is shown as it is rather than
 * hidden, so a newer registry never makes information disappear. */

typedef struct
{
  const char *code;
  const char *label;
} SaLabel;

static const char *
lookup (const SaLabel *table,
        gsize          n,
        const char    *code)
{
  if (code == NULL)
    return "";
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (table[i].code, code))
      return g_dpgettext2 (NULL, "appeal", table[i].label);
  return code;
}

static const SaLabel statuses[] = {
  { "registered", NC_("appeal", "Registered") },
  { "in_progress", NC_("appeal", "In Progress") },
  { "info_requested", NC_("appeal", "Waiting for Information") },
  { "awaiting_approval", NC_("appeal", "Awaiting Approval") },
  { "answered", NC_("appeal", "Answered") },
  { "closed", NC_("appeal", "Closed") },
  { "reopened", NC_("appeal", "Reopened") },
  { "archived", NC_("appeal", "Archived") },
};

static const SaLabel priorities[] = {
  { "low", NC_("appeal", "Low") },
  { "normal", NC_("appeal", "Normal") },
  { "high", NC_("appeal", "High") },
  { "critical", NC_("appeal", "Critical") },
};

static const SaLabel channels[] = {
  { "egov", NC_("appeal", "eGov Portal") },
  { "open_almaty", NC_("appeal", "Open Almaty") },
  { "email", NC_("appeal", "E-mail") },
  { "president", NC_("appeal", "President’s Virtual Reception") },
  { "phone_109", NC_("appeal", "109 Phone Line") },
  { "telegram", NC_("appeal", "Telegram Bot") },
  { "open311", NC_("appeal", "Open311") },
};

static const SaLabel events[] = {
  { "registered", NC_("appeal", "Registered") },
  { "taken", NC_("appeal", "Taken into work") },
  { "assigned", NC_("appeal", "Assigned") },
  { "comment", NC_("appeal", "Comment") },
  { "info_requested", NC_("appeal", "Information requested from the applicant") },
  { "forwarded", NC_("appeal", "Forwarded to another agency") },
  { "escalated", NC_("appeal", "Escalated") },
  { "priority", NC_("appeal", "Priority changed") },
  { "coexecutor_added", NC_("appeal", "Co-executor added") },
  { "extended", NC_("appeal", "Deadline extended") },
  { "attached", NC_("appeal", "File attached") },
};

static const SaLabel roles[] = {
  { "executor", NC_("appeal", "Executor") },
  { "supervisor", NC_("appeal", "Supervisor") },
  { "curator", NC_("appeal", "Curator") },
  { "operator", NC_("appeal", "Operator") },
  { "ksk_manager", NC_("appeal", "KSK/OSI Manager") },
  { "admin", NC_("appeal", "Administrator") },
};

/* What the user asked for, as a heading: the operation before its
 * arguments ("Forward" + "to Almaty Su"). */
static const SaLabel ops[] = {
  { "take", NC_("operation", "Take into work") },
  { "assign", NC_("operation", "Assign") },
  { "comment", NC_("operation", "Comment") },
  { "request_info", NC_("operation", "Request information") },
  { "forward", NC_("operation", "Forward") },
  { "escalate", NC_("operation", "Escalate") },
  { "set_priority", NC_("operation", "Change priority") },
  { "add_coexecutor", NC_("operation", "Add a co-executor") },
  { "extend", NC_("operation", "Extend the legal deadline") },
  { "attach", NC_("operation", "Attach a file") },
};

/* The registry's rejection codes (docs/api.md, POST /api/v1/ops) as
 * sentences a person can act on: the registry itself speaks English. */
static const SaLabel rejections[] = {
  { "not_found", N_("The appeal is no longer visible to you: it may have been forwarded to another agency.") },
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
  { "unknown_user", N_("That person is not an active executor of the lead agency.") },
  { "unknown_agency", N_("The registry does not know that agency.") },
  { "already_involved", N_("That agency works on this appeal already.") },
  { "unchanged", N_("The appeal is like this already.") },
  { "invalid_args", N_("Something in the change is missing or not valid.") },
  { "extension_too_long", N_("The new deadline is more than two months after the appeal was received.") },
  { "extension_not_later", N_("The new deadline is not later than the legal one.") },
  { "internal", N_("The registry failed to apply the change; nothing was changed. Try again later.") },
};

/**
 * sa_labels_status:
 * @status: (nullable): a status code such as `in_progress`
 *
 * Returns: the status in the user's language
 */
const char *
sa_labels_status (const char *status)
{
  return lookup (statuses, G_N_ELEMENTS (statuses), status);
}

const char *
sa_labels_priority (const char *priority)
{
  return lookup (priorities, G_N_ELEMENTS (priorities), priority);
}

const char *
sa_labels_channel (const char *channel)
{
  return lookup (channels, G_N_ELEMENTS (channels), channel);
}

const char *
sa_labels_event (const char *event_type)
{
  return lookup (events, G_N_ELEMENTS (events), event_type);
}

/**
 * sa_labels_status_style:
 * @status: (nullable): a status code
 *
 * Returns: the CSS class that colours a status badge
 */
const char *
sa_labels_status_style (const char *status)
{
  if (status == NULL)
    return "status-registered";
  if (g_str_equal (status, "answered") || g_str_equal (status, "closed"))
    return "status-done";
  if (g_str_equal (status, "reopened"))
    return "status-reopened";
  if (g_str_equal (status, "info_requested") || g_str_equal (status, "awaiting_approval"))
    return "status-waiting";
  if (g_str_equal (status, "in_progress"))
    return "status-progress";
  return "status-registered";
}

/**
 * sa_labels_role:
 * @role: (nullable): a role code such as `supervisor`
 *
 * Returns: the role in the user's language
 */
const char *
sa_labels_role (const char *role)
{
  return lookup (roles, G_N_ELEMENTS (roles), role);
}

/**
 * sa_labels_op:
 * @op_type: (nullable): an operation type such as `forward`
 *
 * Returns: the operation in the user's language
 */
const char *
sa_labels_op (const char *op_type)
{
  if (op_type == NULL)
    return "";
  for (gsize i = 0; i < G_N_ELEMENTS (ops); i++)
    if (g_str_equal (ops[i].code, op_type))
      return g_dpgettext2 (NULL, "operation", ops[i].label);
  return op_type;
}

/**
 * sa_labels_rejection:
 * @code: (nullable): the registry's rejection code
 *
 * Returns: (nullable): why the registry refused an operation, in the
 *   user's language, or %NULL for a code this build does not know (show
 *   the registry's own message then)
 */
const char *
sa_labels_rejection (const char *code)
{
  for (gsize i = 0; code != NULL && i < G_N_ELEMENTS (rejections); i++)
    if (g_str_equal (rejections[i].code, code))
      return _(rejections[i].label);
  return NULL;
}
