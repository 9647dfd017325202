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
