/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-reply-template"

#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"
#include "sa-reply-template.h"

/* Filling a template's placeholders from the appeal it answers. */

void
sa_reply_template_free (SaReplyTemplate *template)
{
  if (template == NULL)
    return;
  g_free (template->id);
  g_free (template->agency);
  g_free (template->category);
  g_free (template->language);
  g_free (template->title);
  g_free (template->text);
  g_free (template);
}

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

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* An RFC 3339 time as the Almaty date, "23.11.2026". */
static char *
almaty_date (const char *rfc3339)
{
  gint64 at = sa_appeal_parse_time (rfc3339);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (at == 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (at);
  local = g_date_time_to_timezone (utc, sa_appeal_time_zone ());
  return g_date_time_format (local, "%d.%m.%Y");
}

/**
 * sa_reply_template_fill:
 * @text: a template's text
 * @appeal: the appeal it answers, as the registry's JSON
 * @executor_name: (nullable): the writer's full name
 * @agency_name: (nullable): the writing agency's name in the reply's language
 *
 * Replaces `{applicant_name}`, `{reg_number}`, `{address}`,
 * `{received_date}`, `{due_date}` (the legal deadline), `{executor_name}`
 * and `{agency_name}`. A placeholder whose value is unknown, or one this
 * build does not know, stays as it is, so that the writer sees what is
 * left to fill in.
 *
 * Returns: (transfer full): the text
 */
char *
sa_reply_template_fill (const char *text,
                        JsonObject *appeal,
                        const char *executor_name,
                        const char *agency_name)
{
  g_autofree char *received = almaty_date (member_string (appeal, SA_APPEAL_FIELD_RECEIVED_AT));
  g_autofree char *due = almaty_date (member_string (appeal,
                                                     sa_deadline_field (SA_DEADLINE_LEGAL)));
  const struct { const char *name; const char *value; } values[] = {
    { "applicant_name", member_string (member_object (appeal, "applicant"), "name") },
    { "reg_number", member_string (appeal, "reg_number") },
    { "address", member_string (member_object (appeal, "address"), "text") },
    { "received_date", received },
    { "due_date", due },
    { "executor_name", executor_name },
    { "agency_name", agency_name },
  };
  GString *out;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text) + 64);
  for (p = text; *p != '\0';)
    {
      const char *close = *p == '{' ? strchr (p, '}') : NULL;
      gboolean replaced = FALSE;

      if (close != NULL)
        for (guint i = 0; i < G_N_ELEMENTS (values) && !replaced; i++)
          {
            gsize n = strlen (values[i].name);

            if ((gsize) (close - p - 1) == n && strncmp (p + 1, values[i].name, n) == 0 &&
                values[i].value != NULL && *values[i].value != '\0')
              {
                g_string_append (out, values[i].value);
                p = close + 1;
                replaced = TRUE;
              }
          }
      if (!replaced)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}
