/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"

static JsonObject *
object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static void
test_status_sets (void)
{
  /* Each status belongs to the sets DESIGN.md gives it, and the SQL lists say the same. */
  static const struct
  {
    SaAppealStatus status;
    gboolean open, clock, workable, final, done;
  } table[] = {
    { SA_APPEAL_STATUS_REGISTERED, TRUE, TRUE, TRUE, FALSE, FALSE },
    { SA_APPEAL_STATUS_IN_PROGRESS, TRUE, TRUE, TRUE, FALSE, FALSE },
    { SA_APPEAL_STATUS_INFO_REQUESTED, TRUE, TRUE, TRUE, FALSE, FALSE },
    { SA_APPEAL_STATUS_AWAITING_APPROVAL, TRUE, TRUE, FALSE, FALSE, FALSE },
    { SA_APPEAL_STATUS_ANSWERED, TRUE, FALSE, FALSE, FALSE, TRUE },
    { SA_APPEAL_STATUS_CLOSED, FALSE, FALSE, FALSE, TRUE, TRUE },
    { SA_APPEAL_STATUS_REOPENED, TRUE, TRUE, TRUE, FALSE, FALSE },
    { SA_APPEAL_STATUS_ARCHIVED, FALSE, FALSE, FALSE, TRUE, FALSE },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (table) == SA_N_APPEAL_STATUSES);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      SaAppealStatus s = table[i].status;
      const char *name = sa_appeal_status_to_string (s);
      g_autofree char *quoted = g_strdup_printf ("'%s'", name);
      SaAppealStatus back;

      g_assert_true (sa_appeal_status_from_string (name, &back));
      g_assert_cmpint (back, ==, s);
      g_assert_cmpint (sa_appeal_status_in (s, SA_STATUS_SET_OPEN), ==, table[i].open);
      g_assert_cmpint (sa_appeal_status_in (s, SA_STATUS_SET_CLOCK_RUNNING), ==, table[i].clock);
      g_assert_cmpint (sa_appeal_status_in (s, SA_STATUS_SET_WORKABLE), ==, table[i].workable);
      g_assert_cmpint (sa_appeal_status_in (s, SA_STATUS_SET_FINAL), ==, table[i].final);
      g_assert_cmpint (sa_appeal_status_in (s, SA_STATUS_SET_DONE), ==, table[i].done);
      g_assert_cmpint (strstr (sa_status_set_sql (SA_STATUS_SET_CLOCK_RUNNING), quoted) != NULL,
                       ==, table[i].clock);
      g_assert_cmpint (strstr (sa_status_set_sql (SA_STATUS_SET_DONE), quoted) != NULL,
                       ==, table[i].done);
    }
  g_assert_cmpstr (sa_status_set_sql (SA_STATUS_SET_DONE), ==, "('answered','closed')");
  g_assert_cmpstr (SA_APPEAL_STATUS_NAME_REGISTERED, ==,
                   sa_appeal_status_to_string (SA_APPEAL_STATUS_REGISTERED));

  /* The compile-time SQL lists of roles say what the role table says. */
  for (guint r = 0; r < SA_N_ROLES; r++)
    {
      g_autofree char *quoted = g_strdup_printf ("'%s'", sa_role_to_string (r));

      g_assert_cmpint (strstr (SA_ROLES_WORKING_SQL, quoted) != NULL, ==,
                       sa_role_works_appeals (r));
      g_assert_cmpint (strstr (SA_ROLES_CITY_SQL, quoted) != NULL, ==,
                       r == SA_ROLE_CURATOR || r == SA_ROLE_ADMIN);
      g_assert_nonnull (strstr (SA_ROLES_ALL_SQL, quoted));
    }
  g_assert_false (sa_appeal_status_from_string ("open", NULL));
  g_assert_false (sa_appeal_status_name_in ("deleted", SA_STATUS_SET_OPEN));
}

static void
test_vocabulary_round_trips (void)
{
  /* Every priority, role, channel and op type reads back from its name; unknown names are refused. */
  for (guint i = 0; i < SA_N_PRIORITIES; i++)
    {
      SaPriority p;

      g_assert_true (sa_priority_from_string (sa_priority_to_string (i), &p));
      g_assert_cmpint (p, ==, i);
    }
  for (guint i = 0; i < SA_N_ROLES; i++)
    {
      SaRole r;

      g_assert_true (sa_role_from_string (sa_role_to_string (i), &r));
      g_assert_cmpint (r, ==, i);
    }
  for (guint i = 0; i < SA_N_CHANNELS; i++)
    {
      SaChannel c;

      g_assert_true (sa_channel_from_string (sa_channel_to_string (i), &c));
      g_assert_cmpint (c, ==, i);
    }
  for (guint i = 0; i < SA_N_OP_TYPES; i++)
    {
      SaOpType t;

      g_assert_true (sa_op_type_from_string (sa_op_type_to_string (i), &t));
      g_assert_cmpint (t, ==, i);
      /* Each op's event has a heading of its own, not the raw type. */
      g_assert_cmpstr (sa_history_event_label (sa_op_type_event (i)), !=, sa_op_type_event (i));
      /* And says what was done once it is, in words that are not its heading. */
      g_assert_nonnull (sa_op_type_done_label (i));
      g_assert_cmpstr (sa_op_type_done_label (i), !=, sa_op_type_label (i));
    }
  for (guint i = 0; i < SA_N_CRITICALITIES; i++)
    {
      SaCriticality c;

      g_assert_true (sa_criticality_from_string (sa_criticality_to_string (i), &c));
      g_assert_cmpint (c, ==, i);
    }
  /* A category's criticality gives its appeals their first priority: an
   * emergency is critical, the others keep their rank. */
  g_assert_cmpint (sa_criticality_priority (SA_CRITICALITY_EMERGENCY), ==, SA_PRIORITY_CRITICAL);
  g_assert_cmpint (sa_criticality_priority (SA_CRITICALITY_HIGH), ==, SA_PRIORITY_HIGH);
  g_assert_cmpint (sa_criticality_priority (SA_CRITICALITY_NORMAL), ==, SA_PRIORITY_NORMAL);
  g_assert_cmpint (sa_criticality_priority (SA_CRITICALITY_LOW), ==, SA_PRIORITY_LOW);
  g_assert_false (sa_criticality_from_string ("urgent", NULL));
  g_assert_cmpstr (sa_op_type_done_label (SA_OP_TAKE), ==, "Appeal taken into work");
  g_assert_false (sa_priority_from_string ("urgent", NULL));
  g_assert_false (sa_role_from_string ("Supervisor", NULL));
  g_assert_false (sa_op_type_from_string ("close", NULL));
  g_assert_cmpstr (sa_history_event_label (SA_EVENT_STATUS_CHANGED), ==, "Status changed");
  g_assert_cmpstr (sa_history_event_label ("from_the_future"), ==, "from_the_future");
  g_assert_cmpstr (sa_deadline_field (SA_DEADLINE_RESOLUTION), ==, "resolution_due_at");
}

static const char *
refusal (SaOpType     type,
         const char  *args_json)
{
  g_autoptr(JsonObject) args = args_json != NULL ? object (args_json) : NULL;
  g_autoptr(GError) error = NULL;
  static char code[64];

  if (sa_op_validate_args (type, args, &error))
    return NULL;
  g_assert_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS);
  g_strlcpy (code, sa_appeal_error_code (error), sizeof code);
  return code;
}

static void
test_args_refused_not_bent (void)
{
  /* Arguments of the wrong kind, length or name are refused; fitting ones pass. */
  g_autofree char *long_text = g_strnfill (SA_OP_TEXT_MAX + 1, 'a');
  g_autofree char *full_text = g_strnfill (SA_OP_TEXT_MAX, 'a');
  g_autofree char *long_reason = g_strnfill (SA_OP_REASON_MAX + 1, 'b');
  g_autofree char *too_long = g_strdup_printf ("{\"text\":\"%s\"}", long_text);
  g_autofree char *at_limit = g_strdup_printf ("{\"text\":\"%s\"}", full_text);
  g_autofree char *reason = g_strdup_printf ("{\"agency\":\"WATER\",\"reason\":\"%s\"}",
                                             long_reason);

  g_assert_null (refusal (SA_OP_COMMENT, "{\"text\":\"Выезжаем сегодня\"}"));
  g_assert_null (refusal (SA_OP_COMMENT, at_limit));
  g_assert_cmpstr (refusal (SA_OP_COMMENT, too_long), ==, "invalid_args");
  g_assert_cmpstr (refusal (SA_OP_COMMENT, "{\"text\":\"   \"}"), ==, "invalid_args");
  g_assert_cmpstr (refusal (SA_OP_COMMENT, "{}"), ==, "invalid_args");
  g_assert_cmpstr (refusal (SA_OP_COMMENT, NULL), ==, "invalid_args");
  g_assert_cmpstr (refusal (SA_OP_COMMENT, "{\"text\":42}"), ==, "invalid_args");
  g_assert_cmpstr (refusal (SA_OP_COMMENT, "{\"text\":\"x\",\"extra\":1}"), ==, "invalid_args");
  g_assert_cmpstr (refusal (SA_OP_FORWARD, reason), ==, "invalid_args");
  g_assert_cmpstr (refusal (SA_OP_FORWARD, "{\"agency\":\"WA TER\",\"reason\":\"x\"}"), ==,
                   "invalid_args");
  g_assert_cmpstr (refusal (SA_OP_SET_PRIORITY, "{\"priority\":\"urgent\"}"), ==,
                   "invalid_args");
  g_assert_cmpstr (refusal (SA_OP_EXTEND, "{\"due_at\":\"2026-12-20\",\"reason\":\"x\"}"), ==,
                   "invalid_args");
  g_assert_cmpstr (refusal (SA_OP_EXTEND, "{\"due_at\":\"2026-12-20T10:00:00\",\"reason\":\"x\"}"),
                   ==, "invalid_args");
  g_assert_null (refusal (SA_OP_EXTEND, "{\"due_at\":\"2026-12-20T10:00:00+05:00\",\"reason\":\"x\"}"));
  g_assert_cmpstr (refusal (SA_OP_ATTACH, "{\"sha256\":\"ABC\",\"name\":\"a.jpg\"}"), ==,
                   "invalid_args");
  g_assert_null (refusal (SA_OP_TAKE, NULL));
  g_assert_cmpstr (refusal (SA_OP_TAKE, "{\"user\":\"x\"}"), ==, "invalid_args");
  g_assert_cmpuint (sa_op_arg_max_chars (SA_OP_COMMENT, "text"), ==, SA_OP_TEXT_MAX);
  g_assert_cmpuint (sa_op_arg_max_chars (SA_OP_FORWARD, "reason"), ==, SA_OP_REASON_MAX);
  g_assert_cmpuint (sa_op_arg_max_chars (SA_OP_TAKE, "text"), ==, 0);
}

static const char *
check (SaOpType             type,
       SaRole               role,
       const char          *agency,
       const SaAppealState *appeal,
       const char          *args_json)
{
  g_autoptr(JsonObject) args = args_json != NULL ? object (args_json) : NULL;
  g_autoptr(GError) error = NULL;
  SaActor actor = { "me", role, agency };
  static char code[64];

  if (sa_op_check (type, &actor, appeal, args, 1000, &error))
    return "ok";
  g_strlcpy (code, sa_appeal_error_code (error), sizeof code);
  return code;
}

static void
test_who_may (void)
{
  /* Who may do what in which status, as the registry rejects and the desk offers. */
  const char * const involved[] = { "KSK-7", NULL };
  SaAppealState fresh = { SA_APPEAL_STATUS_REGISTERED, SA_PRIORITY_NORMAL, "TEPLO", NULL, 1,
                          100, 0, involved };
  SaAppealState mine = fresh, theirs = fresh, waiting = fresh, closed = fresh, archived = fresh;

  mine.status = SA_APPEAL_STATUS_IN_PROGRESS;
  mine.executor = "me";
  theirs.status = SA_APPEAL_STATUS_IN_PROGRESS;
  theirs.executor = "colleague";
  waiting.status = SA_APPEAL_STATUS_AWAITING_APPROVAL;
  closed.status = SA_APPEAL_STATUS_CLOSED;
  archived.status = SA_APPEAL_STATUS_ARCHIVED;

  g_assert_cmpstr (check (SA_OP_TAKE, SA_ROLE_EXECUTOR, "TEPLO", &fresh, NULL), ==, "ok");
  g_assert_cmpstr (check (SA_OP_TAKE, SA_ROLE_EXECUTOR, "TEPLO", &mine, NULL), ==,
                   "already_yours");
  g_assert_cmpstr (check (SA_OP_TAKE, SA_ROLE_EXECUTOR, "TEPLO", &theirs, NULL), ==,
                   "taken_by_other");
  g_assert_cmpstr (check (SA_OP_TAKE, SA_ROLE_SUPERVISOR, "TEPLO", &theirs, NULL), ==, "ok");
  g_assert_cmpstr (check (SA_OP_TAKE, SA_ROLE_EXECUTOR, "KSK-7", &fresh, NULL), ==,
                   "not_lead_agency");
  g_assert_cmpstr (check (SA_OP_TAKE, SA_ROLE_EXECUTOR, "TEPLO", &waiting, NULL), ==,
                   "appeal_not_open");
  g_assert_cmpstr (check (SA_OP_TAKE, SA_ROLE_CURATOR, NULL, &fresh, NULL), ==, "read_only");
  g_assert_cmpstr (check (SA_OP_COMMENT, SA_ROLE_CURATOR, NULL, &fresh, "{\"text\":\"x\"}"), ==,
                   "read_only");
  g_assert_cmpstr (check (SA_OP_COMMENT, SA_ROLE_ADMIN, "TEPLO", &fresh, NULL), ==, "forbidden");
  g_assert_cmpstr (check (SA_OP_COMMENT, SA_ROLE_OPERATOR, "IKOMEK", &fresh, NULL), ==,
                   "forbidden");
  /* A co-executor comments; a comment on a closed appeal is still history. */
  g_assert_cmpstr (check (SA_OP_COMMENT, SA_ROLE_KSK_MANAGER, "KSK-7", &fresh, NULL), ==, "ok");
  g_assert_cmpstr (check (SA_OP_COMMENT, SA_ROLE_EXECUTOR, "TEPLO", &closed, NULL), ==, "ok");
  g_assert_cmpstr (check (SA_OP_COMMENT, SA_ROLE_EXECUTOR, "TEPLO", &archived, NULL), ==,
                   "appeal_archived");
  g_assert_cmpstr (check (SA_OP_COMMENT, SA_ROLE_EXECUTOR, "WATER", &fresh, NULL), ==,
                   "not_involved");
  g_assert_cmpstr (check (SA_OP_SET_PRIORITY, SA_ROLE_EXECUTOR, "TEPLO", &fresh, NULL), ==,
                   "supervisor_only");
  g_assert_cmpstr (check (SA_OP_SET_PRIORITY, SA_ROLE_OPERATOR, "IKOMEK", &fresh,
                          "{\"priority\":\"high\"}"), ==, "ok");
  g_assert_cmpstr (check (SA_OP_SET_PRIORITY, SA_ROLE_OPERATOR, "IKOMEK", &mine, NULL), ==,
                   "supervisor_only");
  g_assert_cmpstr (check (SA_OP_SET_PRIORITY, SA_ROLE_SUPERVISOR, "TEPLO", &fresh,
                          "{\"priority\":\"normal\"}"), ==, "unchanged");
  g_assert_cmpstr (check (SA_OP_FORWARD, SA_ROLE_EXECUTOR, "TEPLO", &fresh,
                          "{\"agency\":\"TEPLO\",\"reason\":\"x\"}"), ==, "unchanged");
  g_assert_cmpstr (check (SA_OP_ESCALATE, SA_ROLE_EXECUTOR, "TEPLO", &fresh,
                          "{\"agency\":\"KSK-7\",\"text\":\"x\"}"), ==, "already_involved");
  g_assert_cmpstr (check (SA_OP_ESCALATE, SA_ROLE_EXECUTOR, "TEPLO", &fresh,
                          "{\"agency\":\"KSK-9\",\"text\":\"x\","
                          "\"due_at\":\"1970-01-01T00:10:00Z\"}"), ==, "in_the_past");
  g_assert_cmpstr (check (SA_OP_REQUEST_INFO, SA_ROLE_EXECUTOR, "TEPLO", &fresh, NULL), ==, "ok");
  g_assert_cmpstr (check (SA_OP_EXTEND, SA_ROLE_EXECUTOR, "TEPLO", &fresh, NULL), ==,
                   "supervisor_only");
  g_assert_cmpstr (check (SA_OP_ATTACH, SA_ROLE_EXECUTOR, "TEPLO", &closed, NULL), ==,
                   "appeal_closed");
  g_assert_cmpstr (check (SA_OP_ATTACH, SA_ROLE_OPERATOR, "IKOMEK", &fresh, NULL), ==, "ok");
  /* A rejection carries a sentence a person can act on. */
  g_assert_cmpstr (sa_rejection_message ("taken_by_other"), ==,
                   "Another executor has this appeal; ask your supervisor to reassign it.");
  g_assert_null (sa_rejection_message ("no_such_code"));
}

static const char *
member (JsonObject *o,
        const char *name)
{
  return json_object_get_string_member_with_default (o, name, NULL);
}

static void
test_fold_pending (void)
{
  /* A desk's pending ops show in the order they were made, each with its pending event; the role is not what decides, the registry does. */
  g_autoptr(JsonObject) appeal = object ("{\"id\":\"a\",\"status\":\"registered\","
                                         "\"priority\":\"normal\",\"agency\":\"TEPLO\","
                                         "\"executor\":null,\"version\":2,"
                                         "\"received_at\":\"2026-12-01T10:00:00+05:00\","
                                         "\"history\":[{\"type\":\"registered\"}]}");
  g_autoptr(JsonObject) comment = object ("{\"text\":\"Бригада выехала\"}");
  g_autoptr(JsonObject) priority = object ("{\"priority\":\"high\"}");
  const SaPendingOp ops[] = {
    { SA_OP_TAKE, NULL, "op-1", 1765000000 },
    { SA_OP_COMMENT, comment, "op-2", 1765000060 },
    { SA_OP_SET_PRIORITY, priority, "op-3", 1765000120 },
  };
  JsonArray *history;

  sa_appeal_fold_pending (appeal, ops, 0, "me", "TEPLO");
  g_assert_cmpstr (member (appeal, "status"), ==, "registered");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (appeal, "history")), ==,
                    1);

  sa_appeal_fold_pending (appeal, ops, G_N_ELEMENTS (ops), "me", "TEPLO");
  g_assert_cmpstr (member (appeal, "status"), ==, "in_progress");
  g_assert_cmpstr (member (appeal, "executor"), ==, "me");
  g_assert_cmpstr (member (appeal, "priority"), ==, "high");
  g_assert_cmpint (json_object_get_int_member (appeal, "version"), ==, 5);
  history = json_object_get_array_member (appeal, "history");
  g_assert_cmpuint (json_array_get_length (history), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      JsonObject *event = json_array_get_object_element (history, i + 1);

      g_assert_cmpstr (member (event, "op_id"), ==, ops[i].op_id);
      g_assert_cmpstr (member (event, "actor"), ==, "me");
      g_assert_true (json_object_get_boolean_member (event, "pending"));
    }
}

static void
test_fold (void)
{
  /* Folding an op shows its change and a pending history event that says what changed. */
  g_autoptr(JsonObject) appeal = object ("{\"id\":\"a\",\"status\":\"reopened\","
                                         "\"priority\":\"normal\",\"agency\":\"TEPLO\","
                                         "\"executor\":null,\"version\":4,"
                                         "\"received_at\":\"2026-12-01T10:00:00+05:00\","
                                         "\"legal_due_at\":\"2026-12-22T23:59:59+05:00\","
                                         "\"coexecutors\":[],\"escalated_to\":[],"
                                         "\"history\":[]}");
  g_autoptr(JsonObject) priority = object ("{\"priority\":\"critical\"}");
  g_autoptr(JsonObject) escalate = object ("{\"agency\":\"KSK-7\",\"text\":\"Откройте подвал\"}");
  g_autoptr(JsonObject) extend = object ("{\"due_at\":\"2027-01-20T10:00:00+05:00\","
                                         "\"reason\":\"Нужна экспертиза\"}");
  SaActor me = { "me", SA_ROLE_SUPERVISOR, "TEPLO" };
  JsonArray *history;
  JsonObject *event, *payload;

  sa_appeal_fold_op (appeal, SA_OP_TAKE, &me, NULL, "op-1", 1765000000);
  g_assert_cmpstr (member (appeal, "status"), ==, "in_progress");
  g_assert_cmpstr (member (appeal, "executor"), ==, "me");
  g_assert_cmpint (json_object_get_int_member (appeal, "version"), ==, 5);

  sa_appeal_fold_op (appeal, SA_OP_SET_PRIORITY, &me, priority, "op-2", 1765000060);
  sa_appeal_fold_op (appeal, SA_OP_ESCALATE, &me, escalate, "op-3", 1765000120);
  sa_appeal_fold_op (appeal, SA_OP_EXTEND, &me, extend, "op-4", 1765000180);
  g_assert_cmpstr (member (appeal, "priority"), ==, "critical");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (appeal,
                                                                                "escalated_to"),
                                                  0), ==, "KSK-7");
  /* The legal deadline ends the requested Almaty day, as the registry sets it. */
  g_assert_cmpstr (member (appeal, "legal_due_at"), ==, "2027-01-20T23:59:59+05:00");
  g_assert_cmpint (json_object_get_int_member (appeal, "version"), ==, 8);

  history = json_object_get_array_member (appeal, "history");
  g_assert_cmpuint (json_array_get_length (history), ==, 4);
  event = json_array_get_object_element (history, 1);
  g_assert_cmpstr (member (event, "type"), ==, "priority");
  g_assert_cmpstr (member (event, "op_id"), ==, "op-2");
  g_assert_true (json_object_get_boolean_member (event, "pending"));
  g_assert_cmpstr (member (event, "made_at"), ==, "2025-12-06T10:47:40+05:00");
  payload = json_object_get_object_member (event, "payload");
  g_assert_cmpstr (member (payload, "from"), ==, "normal");
  g_assert_cmpstr (member (payload, "to"), ==, "critical");
  payload = json_object_get_object_member (json_array_get_object_element (history, 0), "payload");
  g_assert_cmpstr (member (payload, "executor"), ==, "me");
  g_assert_true (json_object_get_null_member (payload, "previous_executor"));
  payload = json_object_get_object_member (json_array_get_object_element (history, 3), "payload");
  g_assert_cmpstr (member (payload, "from"), ==, "2026-12-22T23:59:59+05:00");
  g_assert_cmpstr (member (payload, "due_at"), ==, "2027-01-20T23:59:59+05:00");
}

static void
test_forward_starts_afresh (void)
{
  /* A forward hands the appeal to the new agency's queue: no executor, registered again. */
  g_autoptr(JsonObject) appeal = object ("{\"status\":\"in_progress\",\"priority\":\"high\","
                                         "\"agency\":\"TEPLO\",\"executor\":\"ivanov\","
                                         "\"version\":2}");
  g_autoptr(JsonObject) args = object ("{\"agency\":\"WATER\",\"reason\":\"Водоснабжение\"}");
  SaActor me = { "ivanov", SA_ROLE_EXECUTOR, "TEPLO" };
  JsonObject *payload;

  sa_appeal_fold_op (appeal, SA_OP_FORWARD, &me, args, "op", 1765000000);
  g_assert_cmpstr (member (appeal, "agency"), ==, "WATER");
  g_assert_true (json_object_get_null_member (appeal, "executor"));
  g_assert_cmpstr (member (appeal, "status"), ==, "registered");
  payload = json_object_get_object_member (json_array_get_object_element (
                                             json_object_get_array_member (appeal, "history"), 0),
                                           "payload");
  g_assert_cmpstr (member (payload, "from"), ==, "TEPLO");
  g_assert_cmpstr (member (payload, "to"), ==, "WATER");
  g_assert_cmpstr (member (payload, "reason"), ==, "Водоснабжение");
}

static void
test_reply_args (void)
{
  /* Reply and verdict arguments take only their choices, booleans and ranges; nothing is bent. */
  static const struct { SaOpType type; const char *args; gboolean valid; } cases[] = {
    { SA_OP_REPLY_SAVE, "{\"reply_id\":\"r1\",\"text\":\"Ответ\",\"visibility\":\"public\","
                        "\"language\":\"kk\"}", TRUE },
    { SA_OP_REPLY_SAVE, "{\"reply_id\":\"r1\",\"text\":\"Ответ\",\"visibility\":\"secret\","
                        "\"language\":\"ru\"}", FALSE },
    { SA_OP_REPLY_SAVE, "{\"reply_id\":\"r1\",\"text\":\"Ответ\",\"visibility\":\"public\","
                        "\"language\":\"en\"}", FALSE },
    { SA_OP_REPLY_SAVE, "{\"reply_id\":\"r1\",\"text\":\"Ответ\",\"visibility\":\"public\","
                        "\"language\":\"ru\",\"kind\":\"letter\"}", FALSE },
    { SA_OP_REPLY_SAVE, "{\"reply_id\":\"r1\",\"text\":\"  \",\"visibility\":\"public\","
                        "\"language\":\"ru\"}", FALSE },
    { SA_OP_REPLY_RETURN, "{\"reply_id\":\"r1\"}", FALSE },
    { SA_OP_FEEDBACK, "{\"agree\":true,\"rating\":5,\"comment\":\"Спасибо\"}", TRUE },
    { SA_OP_FEEDBACK, "{\"agree\":\"yes\"}", FALSE },
    { SA_OP_FEEDBACK, "{\"agree\":true,\"rating\":0}", FALSE },
    { SA_OP_FEEDBACK, "{\"agree\":true,\"rating\":6}", FALSE },
    { SA_OP_FEEDBACK, "{\"agree\":true,\"rating\":4.5}", FALSE },
    { SA_OP_FEEDBACK, "{\"reached\":false,\"attempts\":101}", FALSE },
    { SA_OP_FEEDBACK, "{\"reached\":false,\"attempts\":3}", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) args = object (cases[i].args);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].args);
      g_assert_cmpint (sa_op_validate_args (cases[i].type, args, &error), ==, cases[i].valid);
      if (!cases[i].valid)
        g_assert_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS);
    }
}

static void
test_fold_reply (void)
{
  /* A draft shows at once as the author's, resubmitting clears the returned comment, approval sends it and stops the clock; the verdict's disagreement reopens it under control. */
  g_autoptr(JsonObject) appeal = object ("{\"id\":\"a\",\"status\":\"in_progress\","
                                         "\"priority\":\"normal\",\"agency\":\"TEPLO\","
                                         "\"executor\":\"me\",\"version\":4,"
                                         "\"answered_at\":null,\"history\":[]}");
  g_autoptr(JsonObject) save = object ("{\"reply_id\":\"r1\",\"text\":\"Ответ\","
                                       "\"visibility\":\"private\",\"language\":\"kk\"}");
  g_autoptr(JsonObject) id = object ("{\"reply_id\":\"r1\"}");
  g_autoptr(JsonObject) ret = object ("{\"reply_id\":\"r1\",\"comment\":\"Дату\"}");
  g_autoptr(JsonObject) disagree = object ("{\"agree\":false,\"rating\":1}");
  SaActor me = { "me", SA_ROLE_EXECUTOR, "TEPLO" };
  SaActor boss = { "boss", SA_ROLE_SUPERVISOR, "TEPLO" };
  SaActor op = { "op", SA_ROLE_OPERATOR, "CC" };
  SaAppealState state;
  JsonObject *reply;

  sa_appeal_fold_op (appeal, SA_OP_REPLY_SAVE, &me, save, "op-1", 1765000000);
  reply = json_array_get_object_element (json_object_get_array_member (appeal, "replies"), 0);
  g_assert_cmpstr (member (reply, "state"), ==, "draft");
  g_assert_cmpstr (member (reply, "author"), ==, "me");
  g_assert_cmpstr (member (reply, "agency"), ==, "TEPLO");
  g_assert_cmpstr (member (reply, "language"), ==, "kk");
  g_assert_true (json_object_get_boolean_member (reply, "pending"));

  /* The rules read the folded draft: another author may not change it. */
  g_assert_true (sa_appeal_state_init_from_json (&state, appeal));
  g_assert_nonnull (sa_appeal_state_find_reply (&state, "r1"));
  {
    SaActor other = { "other", SA_ROLE_EXECUTOR, "TEPLO" };
    g_autoptr(GError) error = NULL;

    g_assert_false (sa_op_check (SA_OP_REPLY_SUBMIT, &other, &state, id, 1765000000, &error));
    g_assert_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_NOT_AUTHOR);
  }
  sa_appeal_state_clear (&state);

  sa_appeal_fold_op (appeal, SA_OP_REPLY_SUBMIT, &me, id, "op-2", 1765000060);
  g_assert_cmpstr (member (appeal, "status"), ==, "awaiting_approval");
  sa_appeal_fold_op (appeal, SA_OP_REPLY_RETURN, &boss, ret, "op-3", 1765000120);
  g_assert_cmpstr (member (appeal, "status"), ==, "in_progress");
  g_assert_cmpstr (member (reply, "returned_comment"), ==, "Дату");
  sa_appeal_fold_op (appeal, SA_OP_REPLY_SUBMIT, &me, id, "op-4", 1765000180);
  g_assert_true (json_object_get_null_member (reply, "returned_comment"));
  g_assert_cmpint (json_object_get_int_member (reply, "version"), ==, 2);
  sa_appeal_fold_op (appeal, SA_OP_REPLY_APPROVE, &boss, id, "op-5", 1765000240);
  g_assert_cmpstr (member (appeal, "status"), ==, "answered");
  g_assert_cmpstr (member (reply, "state"), ==, "sent");
  g_assert_cmpstr (member (reply, "approved_by"), ==, "boss");
  g_assert_cmpstr (member (appeal, "answered_at"), ==, "2025-12-06T10:50:40+05:00");

  sa_appeal_fold_op (appeal, SA_OP_FEEDBACK, &op, disagree, "op-6", 1765000300);
  g_assert_cmpstr (member (appeal, "status"), ==, "reopened");
  g_assert_true (json_object_get_boolean_member (appeal, "under_control"));
  g_assert_cmpint (json_object_get_int_member (appeal, "version"), ==, 10);
}

static void
test_reply_offered (void)
{
  /* Reply is offered to the lead agency while the appeal is in work, to a co-executor for its part, and to an author going on with their own draft; never on a closed appeal, nor a second answer while one waits for approval. */
  static const struct { const char *json; const char *login; const char *agency; gboolean offered; } cases[] = {
    { "{\"status\":\"in_progress\",\"agency\":\"TEPLO\"}", "me", "TEPLO", TRUE },
    { "{\"status\":\"closed\",\"agency\":\"TEPLO\"}", "me", "TEPLO", FALSE },
    { "{\"status\":\"answered\",\"agency\":\"TEPLO\"}", "me", "TEPLO", FALSE },
    { "{\"status\":\"reopened\",\"agency\":\"TEPLO\"}", "me", "TEPLO", TRUE },
    { "{\"status\":\"in_progress\",\"agency\":\"TEPLO\"}", "me", "WATER", FALSE },
    { "{\"status\":\"in_progress\",\"agency\":\"TEPLO\",\"coexecutors\":[\"WATER\"]}", "me",
      "WATER", TRUE },
    { "{\"status\":\"awaiting_approval\",\"agency\":\"TEPLO\",\"replies\":[{\"id\":\"r\","
      "\"kind\":\"answer\",\"state\":\"awaiting_approval\",\"author\":\"me\"}]}", "me", "TEPLO",
      FALSE },
    { "{\"status\":\"awaiting_approval\",\"agency\":\"TEPLO\",\"replies\":[{\"id\":\"r\","
      "\"kind\":\"notice\",\"state\":\"draft\",\"author\":\"me\"}]}", "me", "TEPLO", TRUE },
    /* Forwarded to TEPLO, the old agency's draft left behind holds nobody. */
    { "{\"status\":\"registered\",\"agency\":\"TEPLO\",\"replies\":[{\"id\":\"r\","
      "\"kind\":\"answer\",\"state\":\"draft\",\"author\":\"old\",\"agency\":\"WATER\"}]}",
      "me", "TEPLO", TRUE },
    { "{\"status\":\"in_progress\",\"agency\":\"TEPLO\",\"replies\":[{\"id\":\"r\","
      "\"kind\":\"answer\",\"state\":\"draft\",\"author\":\"colleague\",\"agency\":\"TEPLO\"}]}",
      "me", "TEPLO", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) appeal = object (cases[i].json);
      SaActor actor = { cases[i].login, SA_ROLE_EXECUTOR, cases[i].agency };
      SaAppealState state;

      g_test_message ("%s as %s", cases[i].json, cases[i].agency);
      g_assert_true (sa_appeal_state_init_from_json (&state, appeal));
      g_assert_cmpint (sa_op_check (SA_OP_REPLY_SAVE, &actor, &state, NULL, 0, NULL), ==,
                       cases[i].offered);
      sa_appeal_state_clear (&state);
    }
}

static void
test_fold_attach (void)
{
  /* An attached file shows in the appeal's attachments at once, marked pending, after the registry's; attaching the same file again adds no second row. */
  g_autoptr(JsonObject) appeal = object ("{\"status\":\"in_progress\",\"priority\":\"normal\","
                                         "\"agency\":\"TEPLO\",\"executor\":\"ivanov\","
                                         "\"version\":2,\"attachments\":[{\"sha256\":"
                                         "\"1111111111111111111111111111111111111111111111111111111111111111\","
                                         "\"name\":\"a.pdf\",\"content_type\":\"application/pdf\","
                                         "\"size\":10}]}");
  g_autoptr(JsonObject) args = object ("{\"sha256\":"
                                       "\"2222222222222222222222222222222222222222222222222222222222222222\","
                                       "\"name\":\"Люк закрыт.jpg\"}");
  SaActor me = { "ivanov", SA_ROLE_EXECUTOR, "TEPLO" };
  JsonArray *files;
  JsonObject *file;

  sa_appeal_fold_op (appeal, SA_OP_ATTACH, &me, args, "op-1", 1765000000);
  sa_appeal_fold_op (appeal, SA_OP_ATTACH, &me, args, "op-2", 1765000060);
  files = json_object_get_array_member (appeal, "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 2);
  file = json_array_get_object_element (files, 1);
  g_assert_cmpstr (member (file, "sha256"), ==, member (args, "sha256"));
  g_assert_cmpstr (member (file, "name"), ==, "Люк закрыт.jpg");
  g_assert_true (json_object_get_boolean_member (file, "pending"));
  g_assert_cmpint (json_object_get_int_member (appeal, "version"), ==, 4);
  g_assert_cmpstr (member (json_object_get_object_member (json_array_get_object_element (
                     json_object_get_array_member (appeal, "history"), 0), "payload"), "name"),
                   ==, "Люк закрыт.jpg");
}

static void
test_times (void)
{
  /* Times are RFC 3339 with an offset, written in Almaty time. */
  g_autofree char *text = sa_appeal_format_time (1765000000);

  g_assert_cmpstr (text, ==, "2025-12-06T10:46:40+05:00");
  g_assert_cmpint (sa_appeal_parse_time (text), ==, 1765000000);
  g_assert_cmpint (sa_appeal_parse_time ("2025-12-06T05:46:40Z"), ==, 1765000000);
  g_assert_cmpint (sa_appeal_parse_time ("2025-12-06T10:46:40"), ==, 0);
  g_assert_cmpint (sa_appeal_parse_time ("2025-12-06T10:46:40+05"), ==, 0);
  g_assert_cmpint (sa_appeal_parse_time ("yesterday"), ==, 0);
  g_assert_cmpint (sa_appeal_parse_time (NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/appeal-model/status-sets", test_status_sets);
  g_test_add_func ("/sa/appeal-model/vocabulary", test_vocabulary_round_trips);
  g_test_add_func ("/sa/appeal-model/args-refused-not-bent", test_args_refused_not_bent);
  g_test_add_func ("/sa/appeal-model/who-may", test_who_may);
  g_test_add_func ("/sa/appeal-model/fold", test_fold);
  g_test_add_func ("/sa/appeal-model/fold-pending", test_fold_pending);
  g_test_add_func ("/sa/appeal-model/forward-starts-afresh", test_forward_starts_afresh);
  g_test_add_func ("/sa/appeal-model/fold-attach", test_fold_attach);
  g_test_add_func ("/sa/appeal-model/reply-args", test_reply_args);
  g_test_add_func ("/sa/appeal-model/fold-reply", test_fold_reply);
  g_test_add_func ("/sa/appeal-model/reply-offered", test_reply_offered);
  g_test_add_func ("/sa/appeal-model/times", test_times);

  return g_test_run ();
}
