/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-history"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-model.h"
#include "sa-directory.h"
#include "sa-history.h"
#include "sa-labels.h"

/* A history event in words: what changed, from → to, with people and
 * agencies by name, in the user's language. The payloads are those of
 * sa_op_history_payload() and of the registry's intake. */

/* How far apart the time a change was made and the time the registry
 * received it may be before the history tells both. */
#define MADE_OFFLINE_AFTER 60

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

/**
 * sa_format_almaty_time:
 * @unix_seconds: a time
 * @with_time: whether to show the time of day too
 *
 * Dates are shown in Almaty time, whatever the computer's zone: that is
 * the time the deadlines are set in and the time citizens are told.
 *
 * Returns: (transfer full): e.g. "23.11.2026 14:05"
 */
char *
sa_format_almaty_time (gint64   unix_seconds,
                       gboolean with_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);
  g_autoptr(GTimeZone) almaty = g_time_zone_new_identifier ("Asia/Almaty");
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("—");
  local = g_date_time_to_timezone (utc, almaty != NULL ? almaty : g_time_zone_new_utc ());
  /* Translators: a date and time as strftime() formats it, e.g. 23.11.2026 14:05 */
  return g_date_time_format (local, with_time ? _("%d.%m.%Y %H:%M")
                                              /* Translators: a date, e.g. 23.11.2026 */
                                              : _("%d.%m.%Y"));
}

static char *
date_of (JsonObject *payload,
         const char *name)
{
  gint64 t = sa_appeal_parse_time (member_string (payload, name));

  return t != 0 ? sa_format_almaty_time (t, FALSE) : NULL;
}

static char *
agency_name (SaCache    *cache,
             const char *code)
{
  char *name = cache != NULL && code != NULL ? sa_directory_dup_agency_name (cache, code, NULL)
                                             : NULL;

  return name != NULL ? name : g_strdup (code != NULL ? code : "—");
}

static char *
user_name (SaCache    *cache,
           const char *login)
{
  char *name = cache != NULL && login != NULL ? sa_directory_dup_user_name (cache, login) : NULL;

  return name != NULL ? name : g_strdup (login != NULL ? login : "—");
}

static void
add_line (GString    *text,
          const char *line)
{
  if (line == NULL || *line == '\0')
    return;
  if (text->len > 0)
    g_string_append_c (text, '\n');
  g_string_append (text, line);
}

#define LINE(...) G_STMT_START {                        \
    g_autofree char *line_ = g_strdup_printf (__VA_ARGS__); \
    add_line (text, line_);                             \
  } G_STMT_END

static void
describe_people (GString    *text,
                 SaCache    *cache,
                 JsonObject *payload)
{
  g_autofree char *to = NULL;
  const char *previous = member_string (payload, "previous_executor");

  if (member_string (payload, "executor") == NULL)
    return;
  to = user_name (cache, member_string (payload, "executor"));
  if (previous != NULL)
    {
      g_autofree char *from = user_name (cache, previous);

      /* Translators: an appeal handed from one executor to another */
      LINE (_("From %s to %s"), from, to);
    }
  else
    /* Translators: the executor an appeal went to */
    LINE (_("To %s"), to);
}

static gint64
member_int (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

/* -1 when the member is not a boolean. */
static int
member_boolean (JsonObject *object,
                const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return -1;
  return json_node_get_boolean (node);
}

/* A reply's step: which reply when it is not the answer itself, its
 * version, and the supervisor's comment when it was returned. */
static void
describe_reply (GString    *text,
                SaOpType    op,
                JsonObject *payload)
{
  SaReplyKind kind;
  gint64 version = member_int (payload, "version", 0);

  if (sa_reply_kind_from_string (member_string (payload, "kind"), &kind) &&
      kind != SA_REPLY_KIND_ANSWER)
    add_line (text, sa_reply_kind_label (kind));
  if (version > 0 && op != SA_OP_REPLY_SAVE)
    /* Translators: the how-manieth submitted text of a reply */
    LINE (_("Version %d"), (int) version);
  if (op == SA_OP_REPLY_RETURN && member_string (payload, "comment") != NULL)
    /* Translators: %s is what the supervisor wrote when returning a reply */
    LINE (_("Returned with the comment: %s"), member_string (payload, "comment"));
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
find_reply (JsonObject *appeal,
            const char *reply_id)
{
  JsonArray *replies = member_array (appeal, SA_APPEAL_FIELD_REPLIES);

  for (guint i = 0; reply_id != NULL && replies != NULL && i < json_array_get_length (replies); i++)
    {
      JsonNode *node = json_array_get_element (replies, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (member_string (json_node_get_object (node), "id"), reply_id) == 0)
        return json_node_get_object (node);
    }
  return NULL;
}

/* A sent joint answer: the co-executors' parts it includes, by agency
 * (the event's `parts`, or the sent answer's), and the reason given for
 * sending it without the missing ones. */
static void
describe_sent (GString    *text,
               SaCache    *cache,
               JsonObject *appeal,
               JsonObject *payload)
{
  JsonObject *reply = find_reply (appeal, member_string (payload, "reply_id"));
  JsonArray *parts = member_array (payload, "parts");
  const char *reason = member_string (payload, "without_parts_reason");
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  if (parts == NULL)
    parts = member_array (reply, "parts");
  if (reason == NULL)
    reason = member_string (reply, "without_parts_reason");
  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonNode *node = json_array_get_element (parts, i);
      const char *id = JSON_NODE_HOLDS_VALUE (node) &&
                       json_node_get_value_type (node) == G_TYPE_STRING
                       ? json_node_get_string (node) : NULL;
      JsonObject *part = find_reply (appeal, id);
      g_autofree char *name = NULL;

      if (id == NULL)
        continue;
      /* A part the reader cannot see is still counted, by its number. */
      name = part != NULL ? agency_name (cache, member_string (part, "agency")) : g_strdup (id);
      g_strv_builder_add (names, name);
    }
  strv = g_strv_builder_end (names);
  if (strv[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", strv);

      /* Translators: %s is the co-executor agencies whose parts a joint answer includes */
      LINE (_("With the parts of %s"), joined);
    }
  if (reason != NULL)
    /* Translators: %s is the reason a supervisor gave for not waiting for a part */
    LINE (_("Sent without the co-executors’ missing parts: %s"), reason);
}

/* Whether the channel reached the applicant with a sent reply, and what
 * it reported. */
static void
describe_delivery (GString    *text,
                   JsonObject *appeal,
                   JsonObject *payload)
{
  JsonObject *reply = find_reply (appeal, member_string (payload, "reply_id"));
  SaReplyKind kind;

  if (reply != NULL && sa_reply_kind_from_string (member_string (reply, "kind"), &kind) &&
      kind != SA_REPLY_KIND_ANSWER)
    add_line (text, sa_reply_kind_label (kind));
  if (member_boolean (payload, "delivered") == 1)
    add_line (text, _("The applicant received the reply"));
  else if (member_boolean (payload, "delivered") == 0)
    add_line (text, _("The channel could not deliver the reply"));
  if (member_string (payload, "detail") != NULL)
    /* Translators: %s is what the channel gateway reported about the delivery */
    LINE (_("The channel reports: %s"), member_string (payload, "detail"));
}

/* The applicant's verdict: agreed or not, the rating and comment, or how
 * many calls went unanswered. */
static void
describe_verdict (GString    *text,
                  JsonObject *payload)
{
  gint64 rating = member_int (payload, "rating", 0);

  if (member_boolean (payload, "reached") == 0)
    {
      int attempts = (int) member_int (payload, "attempts", 0);

      LINE (g_dngettext (GETTEXT_PACKAGE,
                         "The applicant could not be reached after %d call; the appeal is closed",
                         "The applicant could not be reached after %d calls; the appeal is closed",
                         attempts), attempts);
      return;
    }
  if (member_boolean (payload, "agree") == 1)
    add_line (text, _("The applicant agrees with the answer; the appeal is closed"));
  else if (member_boolean (payload, "agree") == 0)
    add_line (text, _("The applicant disagrees; the appeal is reopened under control"));
  if (rating >= 1 && rating <= 5)
    /* Translators: the applicant's rating of the answer, "Rating: 4 of 5" */
    LINE (_("Rating: %d of 5"), (int) rating);
  if (member_string (payload, "comment") != NULL)
    /* Translators: %s is what the applicant said about the answer */
    LINE (_("The applicant’s words: %s"), member_string (payload, "comment"));
}

/**
 * sa_history_describe:
 * @event: a history event of the appeal object
 * @cache: (nullable): where to find the names of agencies and people
 *
 * Returns: (transfer full): what the event changed, one fact a line;
 *   empty when there is nothing to say beyond its heading
 */
char *
sa_history_describe (JsonObject *event,
                     SaCache    *cache)
{
  return sa_history_describe_in (event, NULL, cache);
}

/**
 * sa_history_describe_in:
 * @event: a history event of the appeal object
 * @appeal: (nullable): the appeal it belongs to: a reply's events name
 *   what its replies say (the agencies of a joint answer's parts)
 * @cache: (nullable): where to find the names of agencies and people
 *
 * Returns: (transfer full): what the event changed, one fact a line;
 *   empty when there is nothing to say beyond its heading
 */
char *
sa_history_describe_in (JsonObject *event,
                        JsonObject *appeal,
                        SaCache    *cache)
{
  const char *type = member_string (event, "type");
  JsonNode *payload_node = event != NULL ? json_object_get_member (event, "payload") : NULL;
  JsonObject *payload = payload_node != NULL && JSON_NODE_HOLDS_OBJECT (payload_node)
                        ? json_node_get_object (payload_node) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  SaOpType op;

  g_return_val_if_fail (event != NULL, g_strdup (""));

  if (g_strcmp0 (type, SA_EVENT_REGISTERED) == 0)
    {
      g_autofree char *agency = agency_name (cache, member_string (payload, "agency"));

      if (member_string (payload, "channel") != NULL)
        /* Translators: %s is a channel, "109 Phone Line" */
        LINE (_("Via %s"), sa_labels_channel (member_string (payload, "channel")));
      /* Translators: %s is the agency the appeal was routed to */
      LINE (_("Routed to %s"), agency);
      if (member_string (payload, "repeat_of") != NULL)
        add_line (text, _("A repeat of an earlier appeal by the same applicant"));
    }
  else if (g_strcmp0 (type, SA_EVENT_DELIVERED) == 0)
    describe_delivery (text, appeal, payload);
  else if (g_strcmp0 (type, SA_EVENT_STATUS_CHANGED) == 0)
    /* Translators: a change of status, "Registered → Closed" */
    LINE (_("%s → %s"), sa_labels_status (member_string (payload, "from")),
          sa_labels_status (member_string (payload, "to")));
  else if (type != NULL)
    {
      for (op = 0; op < SA_N_OP_TYPES; op++)
        if (g_strcmp0 (type, sa_op_type_event (op)) == 0)
          break;

      switch (op)
        {
        case SA_OP_TAKE:
          /* Taking it oneself says all in the heading and the actor,
           * unless it was someone else's. */
          if (member_string (payload, "previous_executor") != NULL ||
              g_strcmp0 (member_string (payload, "executor"), member_string (event, "actor")) != 0)
            describe_people (text, cache, payload);
          break;
        case SA_OP_ASSIGN:
          describe_people (text, cache, payload);
          break;
        case SA_OP_FORWARD:
          {
            g_autofree char *from = agency_name (cache, member_string (payload, "from"));
            g_autofree char *to = agency_name (cache, member_string (payload, "to"));

            /* Translators: an appeal forwarded from one agency to another */
            LINE (_("From %s to %s"), from, to);
            if (json_object_get_boolean_member_with_default (payload, "late", FALSE))
              add_line (text, _("Later than 3 working days after receipt"));
          }
          break;
        case SA_OP_ESCALATE:
        case SA_OP_ADD_COEXECUTOR:
          {
            g_autofree char *agency = agency_name (cache, member_string (payload, "agency"));
            g_autofree char *due = date_of (payload, "due_at");

            if (due != NULL)
              /* Translators: an agency and the date it must act by */
              LINE (_("%s, due %s"), agency, due);
            else
              add_line (text, agency);
          }
          break;
        case SA_OP_SET_PRIORITY:
          /* Translators: a change of priority, "Normal → High" */
          LINE (_("%s → %s"), sa_labels_priority (member_string (payload, "from")),
                sa_labels_priority (member_string (payload, "to")));
          break;
        case SA_OP_EXTEND:
          {
            g_autofree char *from = date_of (payload, "from");
            g_autofree char *to = date_of (payload, "due_at");
            g_autofree char *notify = date_of (payload, "notify_applicant_by");

            if (from != NULL)
              /* Translators: the legal deadline moved, "22.12.2026 → 20.01.2027" */
              LINE (_("%s → %s"), from, to != NULL ? to : "—");
            else
              /* Translators: %s is a date */
              LINE (_("New deadline: %s"), to != NULL ? to : "—");
            if (notify != NULL)
              /* Translators: %s is a date */
              LINE (_("The applicant must be told by %s"), notify);
          }
          break;
        case SA_OP_ATTACH:
          add_line (text, member_string (payload, "name"));
          break;
        case SA_OP_REPLY_SAVE:
        case SA_OP_REPLY_SUBMIT:
        case SA_OP_REPLY_APPROVE:
        case SA_OP_REPLY_RETURN:
          describe_reply (text, op, payload);
          if (op == SA_OP_REPLY_APPROVE)
            describe_sent (text, cache, appeal, payload);
          break;
        case SA_OP_FEEDBACK:
          describe_verdict (text, payload);
          break;
        case SA_OP_INFO_RECEIVED:
        case SA_OP_COMMENT:
        case SA_OP_REQUEST_INFO:
        default:
          break;
        }
    }

  add_line (text, member_string (payload, "text"));
  if (member_string (payload, "reason") != NULL)
    /* Translators: %s is the reason the user gave */
    LINE (_("Reason: %s"), member_string (payload, "reason"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * sa_history_when_who:
 * @event: a history event of the appeal object
 * @cache: (nullable): where to find the names of people
 *
 * When and by whom: the time the person made the change, and the time
 * the registry received it when that was much later (an offline edit).
 *
 * Returns: (transfer full): e.g. "23.11.2026 14:05 · Иванов А."
 */
char *
sa_history_when_who (JsonObject *event,
                     SaCache    *cache)
{
  gint64 at = sa_appeal_parse_time (member_string (event, "at"));
  gint64 made = sa_appeal_parse_time (member_string (event, "made_at"));
  g_autofree char *who = user_name (cache, member_string (event, "actor"));
  g_autofree char *when = NULL;

  g_return_val_if_fail (event != NULL, g_strdup (""));

  if (made != 0 && at != 0 && at - made > MADE_OFFLINE_AFTER)
    {
      g_autofree char *made_text = sa_format_almaty_time (made, TRUE);
      g_autofree char *at_text = sa_format_almaty_time (at, TRUE);

      /* Translators: an offline change: when it was made, then when it reached the registry */
      when = g_strdup_printf (_("%s (reached the registry %s)"), made_text, at_text);
    }
  else
    when = at != 0 ? sa_format_almaty_time (at, TRUE) : g_strdup ("—");
  return g_strdup_printf ("%s · %s", when, who);
}
