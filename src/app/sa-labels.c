/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-labels"

#include "config.h"


#include "sa-appeal-model.h"
#include "sa-labels.h"

/* The registry speaks in stable codes; the appeal model (sa-appeal-model.c)
 * holds their words. An unknown code is shown as it is rather than
 * hidden, so a newer registry never makes information disappear. */

/**
 * sa_labels_status:
 * @status: (nullable): a status code such as `in_progress`
 *
 * Returns: the status in the user's language
 */
const char *
sa_labels_status (const char *status)
{
  SaAppealStatus s;

  if (!sa_appeal_status_from_string (status, &s))
    return status != NULL ? status : "";
  return sa_appeal_status_label (s);
}

const char *
sa_labels_priority (const char *priority)
{
  SaPriority p;

  if (!sa_priority_from_string (priority, &p))
    return priority != NULL ? priority : "";
  return sa_priority_label (p);
}

const char *
sa_labels_channel (const char *channel)
{
  SaChannel c;

  if (!sa_channel_from_string (channel, &c))
    return channel != NULL ? channel : "";
  return sa_channel_label (c);
}

const char *
sa_labels_event (const char *event_type)
{
  return sa_history_event_label (event_type);
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
  SaAppealStatus s = SA_APPEAL_STATUS_REGISTERED;

  sa_appeal_status_from_string (status, &s);
  switch (s)
    {
    case SA_APPEAL_STATUS_ANSWERED:
    case SA_APPEAL_STATUS_CLOSED:
    case SA_APPEAL_STATUS_ARCHIVED:
      return "status-done";
    case SA_APPEAL_STATUS_REOPENED:
      return "status-reopened";
    case SA_APPEAL_STATUS_INFO_REQUESTED:
    case SA_APPEAL_STATUS_AWAITING_APPROVAL:
      return "status-waiting";
    case SA_APPEAL_STATUS_IN_PROGRESS:
      return "status-progress";
    case SA_APPEAL_STATUS_REGISTERED:
    default:
      return "status-registered";
    }
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
  SaRole r;

  if (!sa_role_from_string (role, &r))
    return role != NULL ? role : "";
  return sa_role_label (r);
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
  SaOpType t;

  if (!sa_op_type_from_string (op_type, &t))
    return op_type != NULL ? op_type : "";
  return sa_op_type_label (t);
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
  return sa_rejection_message (code);
}
