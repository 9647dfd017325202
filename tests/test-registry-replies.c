/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-test-registry-replies"

#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"
#include "sa-registry-db-private.h"
#include "sa-registry-templates.h"
#include "registry-test-util.h"

/* The reply loop against a real registry on loopback: drafts, four eyes,
 * returns and versions, who reads what, the applicant's verdict and
 * information, and the public page (docs/replies.md). */

typedef struct
{
  SaTestRegistry *r;
  char           *op;      /* the contact centre's operator */
  char           *exec;    /* HEAT's executor */
  char           *sup;     /* HEAT's supervisor */
  char           *sup2;    /* HEAT's second supervisor */
  char           *water;   /* WATER's executor */
  char           *cur;     /* the city's curator */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;

  f->r = sa_test_registry_new ();
  /* A second supervisor, so that four eyes can be satisfied. */
  hash = _sa_registry_password_hash ("pw-sup2.heat", &error);
  g_assert_no_error (error);
  stmt = sa_registry_db_prepare (f->r->db, "INSERT INTO users (login, full_name, agency, role,"
                                           " pwhash, created_at) VALUES ('sup2.heat',"
                                           " 'sup2.heat', 'HEAT', 'supervisor', ?1, 0)", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sa_registry_db_step_done (f->r->db, stmt, &error);
  g_assert_no_error (error);

  f->op = sa_test_login (f->r, "op.cc");
  f->exec = sa_test_login (f->r, "exec.heat");
  f->sup = sa_test_login (f->r, "sup.heat");
  f->sup2 = sa_test_login (f->r, "sup2.heat");
  f->water = sa_test_login (f->r, "exec.water");
  f->cur = sa_test_login (f->r, "cur");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->op);
  g_free (f->exec);
  g_free (f->sup);
  g_free (f->sup2);
  g_free (f->water);
  g_free (f->cur);
  g_clear_pointer (&f->r, sa_test_registry_free);
}

static JsonObject *
obj (JsonNode *node)
{
  return json_node_get_object (node);
}

/* A heating appeal (lead HEAT) registered by the contact centre, with an
 * applicant whose every personal value is distinctive. */
static char *
new_appeal (Fixture *f,
            guint    n)
{
  g_autofree char *iin = sa_test_iin (n);
  g_autoptr(JsonNode) appeal = sa_test_intake (f->r, f->op, "heating.no-heat", iin);

  return g_strdup (sa_test_member_string (appeal, "id"));
}

static JsonNode *
get_appeal (Fixture    *f,
            const char *token,
            const char *id)
{
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", id, NULL);
  JsonNode *json = NULL;

  g_assert_cmpuint (sa_test_get (f->r, path, token, &json), ==, 200);
  return json;
}

/* Sends one op on the appeal as it is now; returns its result. */
static JsonNode *
op (Fixture    *f,
    const char *token,
    const char *type,
    const char *id,
    const char *args_json)
{
  g_autoptr(JsonNode) now = get_appeal (f, f->cur, id);
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *body = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\","
                                           "\"appeal_id\":\"%s\",\"base_version\":%"
                                           G_GINT64_FORMAT ",\"args\":%s}]}",
                                           op_id, type, id, sa_test_member_int (now, "version"),
                                           args_json);
  g_autoptr(JsonNode) json = NULL;
  JsonArray *results;

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", token, body, &json), ==, 200);
  results = json_object_get_array_member (obj (json), "results");
  return json_node_ref (json_array_get_element (results, 0));
}

static void
assert_applied (JsonNode *result)
{
  if (g_strcmp0 (sa_test_member_string (result, "status"), "applied") != 0)
    g_error ("not applied: %s %s", sa_test_member_string (result, "code"),
             sa_test_member_string (result, "message"));
}

static void
assert_rejected (JsonNode   *result,
                 const char *code)
{
  g_assert_cmpstr (sa_test_member_string (result, "status"), ==, "rejected");
  g_assert_cmpstr (sa_test_member_string (result, "code"), ==, code);
  /* A sentence a person can act on, not a code. */
  g_assert_cmpuint (strlen (sa_test_member_string (result, "message")), >, 20);
}

static char *
save_args (const char *reply_id,
           const char *text,
           const char *visibility)
{
  return g_strdup_printf ("{\"reply_id\":\"%s\",\"text\":\"%s\",\"visibility\":\"%s\","
                          "\"language\":\"ru\"}", reply_id, text, visibility);
}

static char *
reply_args (const char *reply_id)
{
  return g_strdup_printf ("{\"reply_id\":\"%s\"}", reply_id);
}

static JsonObject *
find_reply (JsonNode   *appeal,
            const char *reply_id)
{
  JsonArray *replies = json_object_get_array_member (obj (appeal), SA_APPEAL_FIELD_REPLIES);

  for (guint i = 0; i < json_array_get_length (replies); i++)
    {
      JsonObject *r = json_array_get_object_element (replies, i);

      if (g_strcmp0 (json_object_get_string_member (r, "id"), reply_id) == 0)
        return r;
    }
  return NULL;
}

static guint
count_events (JsonNode   *appeal,
              const char *type)
{
  JsonArray *history = json_object_get_array_member (obj (appeal), "history");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (history); i++)
    n += g_strcmp0 (json_object_get_string_member (json_array_get_object_element (history, i),
                                                   "type"), type) == 0;
  return n;
}

/* Takes the appeal, writes an answer as the executor and submits it. */
static char *
answer_submitted (Fixture    *f,
                  const char *id,
                  const char *text,
                  const char *visibility)
{
  char *reply_id = g_uuid_string_random ();
  g_autofree char *save = save_args (reply_id, text, visibility);
  g_autofree char *submit = reply_args (reply_id);
  g_autoptr(JsonNode) r1 = op (f, f->exec, "take", id, "{}");
  g_autoptr(JsonNode) r2 = op (f, f->exec, "reply_save", id, save);
  g_autoptr(JsonNode) r3 = op (f, f->exec, "reply_submit", id, submit);

  assert_applied (r1);
  assert_applied (r2);
  assert_applied (r3);
  return reply_id;
}

static void
test_loop_four_eyes (Fixture       *f,
                     gconstpointer  data)
{
  /* An executor drafts (saved three times, one history event), submits; the appeal awaits approval; an executor cannot approve, the supervisor approves; the answer is sent, the appeal answered with answered_at, the reply frozen. A supervisor never approves their own reply. */
  g_autofree char *id = new_appeal (f, 301);
  g_autofree char *reply_id = g_uuid_string_random ();
  g_autofree char *v1 = save_args (reply_id, "Черновик", "public");
  g_autofree char *v2 = save_args (reply_id, "Черновик ответа", "public");
  g_autofree char *v3 = save_args (reply_id, "Отопление восстановлено 12 ноября.", "public");
  g_autofree char *rid = reply_args (reply_id);
  g_autoptr(JsonNode) appeal = NULL;
  JsonObject *reply;

  assert_applied (op (f, f->exec, "take", id, "{}"));
  assert_applied (op (f, f->exec, "reply_save", id, v1));
  assert_applied (op (f, f->exec, "reply_save", id, v2));
  assert_applied (op (f, f->exec, "reply_save", id, v3));
  appeal = get_appeal (f, f->exec, id);
  g_assert_cmpuint (count_events (appeal, "reply_drafted"), ==, 1);
  reply = find_reply (appeal, reply_id);
  g_assert_nonnull (reply);
  g_assert_cmpstr (json_object_get_string_member (reply, "state"), ==, "draft");
  g_assert_cmpstr (json_object_get_string_member (reply, "text"), ==,
                   "Отопление восстановлено 12 ноября.");
  g_assert_cmpstr (json_object_get_string_member (reply, "author"), ==, "exec.heat");
  g_assert_cmpstr (json_object_get_string_member (reply, "agency"), ==, "HEAT");
  g_clear_pointer (&appeal, json_node_unref);

  /* Another executor of the agency cannot take over the draft. */
  {
    g_autofree char *exec2 = sa_test_login (f->r, "exec2.heat");
    assert_rejected (op (f, exec2, "reply_save", id, v1), "not_author");
    assert_rejected (op (f, exec2, "reply_submit", id, rid), "not_author");
  }

  assert_applied (op (f, f->exec, "reply_submit", id, rid));
  appeal = get_appeal (f, f->sup, id);
  g_assert_cmpstr (sa_test_member_string (appeal, "status"), ==, "awaiting_approval");
  g_assert_cmpstr (json_object_get_string_member (find_reply (appeal, reply_id), "state"), ==,
                   "awaiting_approval");
  g_assert_true (json_object_get_null_member (obj (appeal), SA_APPEAL_FIELD_ANSWERED_AT));
  g_clear_pointer (&appeal, json_node_unref);

  /* Nothing changes a reply that waits for approval. */
  assert_rejected (op (f, f->exec, "reply_save", id, v1), "reply_state");
  assert_rejected (op (f, f->exec, "reply_approve", id, rid), "supervisor_only");
  assert_applied (op (f, f->sup, "reply_approve", id, rid));

  appeal = get_appeal (f, f->cur, id);
  g_assert_cmpstr (sa_test_member_string (appeal, "status"), ==, "answered");
  g_assert_nonnull (json_object_get_string_member_with_default (obj (appeal),
                                                                SA_APPEAL_FIELD_ANSWERED_AT,
                                                                NULL));
  reply = find_reply (appeal, reply_id);
  g_assert_cmpstr (json_object_get_string_member (reply, "state"), ==, "sent");
  g_assert_cmpstr (json_object_get_string_member (reply, "approved_by"), ==, "sup.heat");
  g_assert_nonnull (json_object_get_string_member_with_default (reply, "sent_at", NULL));
  g_assert_cmpuint (count_events (appeal, "reply_sent"), ==, 1);
  g_clear_pointer (&appeal, json_node_unref);

  /* Sent means it can no longer change, by the rules and by the database. */
  assert_rejected (op (f, f->exec, "reply_save", id, v1), "reply_sent");
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *sql = g_strdup_printf ("UPDATE replies SET text = 'подменено' WHERE id = '%s'",
                                            reply_id);

    g_assert_false (sa_registry_db_exec (f->r->db, sql, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "sent reply"));
  }

  /* A supervisor's own reply needs the other supervisor. */
  {
    g_autofree char *id2 = new_appeal (f, 302);
    g_autofree char *own = g_uuid_string_random ();
    g_autofree char *own_save = save_args (own, "Ответ руководителя", "private");
    g_autofree char *own_id = reply_args (own);

    assert_applied (op (f, f->sup, "take", id2, "{}"));
    assert_applied (op (f, f->sup, "reply_save", id2, own_save));
    assert_applied (op (f, f->sup, "reply_submit", id2, own_id));
    assert_rejected (op (f, f->sup, "reply_approve", id2, own_id), "own_reply");
    assert_applied (op (f, f->sup2, "reply_approve", id2, own_id));
  }
}

static void
test_return_and_versions (Fixture       *f,
                          gconstpointer  data)
{
  /* A returned reply goes back to its author with the comment and the appeal back in work; the new version is submitted; both submitted texts stay readable in versions. */
  g_autofree char *id = new_appeal (f, 303);
  g_autofree char *reply_id = answer_submitted (f, id, "Первая версия", "public");
  g_autofree char *rid = reply_args (reply_id);
  g_autofree char *ret = g_strdup_printf ("{\"reply_id\":\"%s\",\"comment\":\"Укажите дату "
                                          "подключения\"}", reply_id);
  g_autofree char *v2 = save_args (reply_id, "Вторая версия: подключено 14 ноября", "public");
  g_autoptr(JsonNode) appeal = NULL;
  JsonObject *reply;
  JsonArray *versions;

  assert_applied (op (f, f->sup, "reply_return", id, ret));
  appeal = get_appeal (f, f->exec, id);
  g_assert_cmpstr (sa_test_member_string (appeal, "status"), ==, "in_progress");
  reply = find_reply (appeal, reply_id);
  g_assert_cmpstr (json_object_get_string_member (reply, "state"), ==, "returned");
  g_assert_cmpstr (json_object_get_string_member (reply, "returned_comment"), ==,
                   "Укажите дату подключения");
  g_assert_cmpstr (json_object_get_string_member (reply, "returned_by"), ==, "sup.heat");
  g_clear_pointer (&appeal, json_node_unref);

  assert_rejected (op (f, f->sup, "reply_approve", id, rid), "reply_state");
  assert_applied (op (f, f->exec, "reply_save", id, v2));
  assert_applied (op (f, f->exec, "reply_submit", id, rid));
  appeal = get_appeal (f, f->sup, id);
  reply = find_reply (appeal, reply_id);
  g_assert_cmpint (json_object_get_int_member (reply, "version"), ==, 2);
  versions = json_object_get_array_member (reply, "versions");
  g_assert_cmpuint (json_array_get_length (versions), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (versions, 0),
                                                  "text"), ==, "Первая версия");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (versions, 1),
                                                  "text"), ==,
                   "Вторая версия: подключено 14 ноября");
  g_assert_cmpuint (count_events (appeal, "reply_returned"), ==, 1);
  g_assert_cmpuint (count_events (appeal, "reply_submitted"), ==, 2);

  /* Versions are kept by the database as they were submitted. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (sa_registry_db_exec (f->r->db, "UPDATE reply_versions SET text = 'x'",
                                         &error));
    g_assert_nonnull (error);
  }
}

static void
test_who_reads_drafts (Fixture       *f,
                       gconstpointer  data)
{
  /* A draft is read only by the agency writing it: not by a co-executor agency, a curator or the contact centre; once sent, everybody who sees the appeal reads it. One answer at a time. */
  g_autofree char *id = new_appeal (f, 304);
  g_autofree char *reply_id = g_uuid_string_random ();
  g_autofree char *save = save_args (reply_id, "Черновик только для своих", "public");
  g_autofree char *other = g_uuid_string_random ();
  g_autofree char *other_save = save_args (other, "Второй ответ", "public");
  g_autofree char *rid = reply_args (reply_id);
  const char *outsiders[] = { f->water, f->cur, f->op };

  assert_applied (op (f, f->sup, "add_coexecutor", id, "{\"agency\":\"WATER\"}"));
  assert_applied (op (f, f->exec, "take", id, "{}"));
  assert_applied (op (f, f->exec, "reply_save", id, save));
  assert_rejected (op (f, f->exec, "reply_save", id, other_save), "reply_exists");
  /* A co-executor does not write the lead agency's answer. */
  assert_rejected (op (f, f->water, "reply_save", id, other_save), "not_lead_agency");

  for (guint i = 0; i < G_N_ELEMENTS (outsiders); i++)
    {
      g_autoptr(JsonNode) seen = get_appeal (f, outsiders[i], id);
      g_autofree char *text = json_to_string (seen, FALSE);

      g_assert_null (find_reply (seen, reply_id));
      g_assert_null (strstr (text, "Черновик только для своих"));
    }

  assert_applied (op (f, f->exec, "reply_submit", id, rid));
  {
    g_autofree char *without = g_strdup_printf ("{\"reply_id\":\"%s\",\"without_parts_reason\":"
                                                "\"Часть не нужна\"}", reply_id);

    assert_applied (op (f, f->sup, "reply_approve", id, without));
  }
  for (guint i = 0; i < G_N_ELEMENTS (outsiders); i++)
    {
      g_autoptr(JsonNode) seen = get_appeal (f, outsiders[i], id);

      g_assert_nonnull (find_reply (seen, reply_id));
    }
}

static guint
feedback (Fixture     *f,
          const char  *token,
          const char  *id,
          const char  *body,
          JsonNode   **out)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/appeals/%s/feedback", id);

  return sa_test_post (f->r, path, token, body, out);
}

static void
test_verdict (Fixture       *f,
              gconstpointer  data)
{
  /* Only an answered appeal takes a verdict, only from an operator; agreement closes it; disagreement reopens it under control with a new operational deadline, back with its executor; answered again and agreed, it is closed and no longer under control. */
  g_autofree char *id = new_appeal (f, 305);
  g_autofree char *reply_id = NULL;
  g_autofree char *rid = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) before = NULL;

  g_assert_cmpuint (feedback (f, f->op, id, "{\"agree\":true,\"rating\":5}", &json), ==, 409);
  g_assert_cmpstr (sa_test_error_code (json), ==, "not_answered");
  g_clear_pointer (&json, json_node_unref);

  reply_id = answer_submitted (f, id, "Ответ по существу", "public");
  rid = reply_args (reply_id);
  assert_applied (op (f, f->sup, "reply_approve", id, rid));
  before = get_appeal (f, f->cur, id);

  g_assert_cmpuint (feedback (f, f->exec, id, "{\"agree\":true,\"rating\":5}", &json), ==, 403);
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (feedback (f, f->op, id, "{\"agree\":true,\"rating\":9}", &json), ==, 400);
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (feedback (f, f->op, id, "{\"rating\":4}", &json), ==, 400);
  g_clear_pointer (&json, json_node_unref);

  g_assert_cmpuint (feedback (f, f->op, id,
                              "{\"agree\":false,\"rating\":2,\"comment\":\"Батареи холодные\"}",
                              &json), ==, 200);
  g_assert_cmpstr (sa_test_member_string (json, "status"), ==, "reopened");
  g_assert_true (json_object_get_boolean_member (obj (json), SA_APPEAL_FIELD_UNDER_CONTROL));
  g_assert_cmpstr (sa_test_member_string (json, "executor"), ==, "exec.heat");
  /* The category's regulation gives 1440 minutes on a 24/7 clock, counted
   * from the disagreement (not from receipt). */
  g_assert_cmpint (sa_appeal_parse_time (sa_test_member_string (json, "resolution_due_at")), >=,
                   sa_appeal_parse_time (sa_test_member_string (before, "answered_at")) +
                   1440 * 60);
  g_clear_pointer (&json, json_node_unref);
  json = get_appeal (f, f->sup, id);
  {
    JsonArray *history = json_object_get_array_member (obj (json), "history");
    JsonObject *last = json_array_get_object_element (history,
                                                      json_array_get_length (history) - 1);
    JsonObject *payload = json_object_get_object_member (last, "payload");

    g_assert_cmpstr (json_object_get_string_member (last, "type"), ==, "feedback");
    g_assert_cmpstr (json_object_get_string_member (last, "actor"), ==, "op.cc");
    g_assert_false (json_object_get_boolean_member (payload, "agree"));
    g_assert_cmpint (json_object_get_int_member (payload, "rating"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (payload, "comment"), ==, "Батареи холодные");
  }
  g_clear_pointer (&json, json_node_unref);

  /* Answered again: the first answer stays sent, a second one is written. */
  {
    g_autofree char *second = g_uuid_string_random ();
    g_autofree char *save = save_args (second, "Повторный ответ", "public");
    g_autofree char *sid = reply_args (second);

    assert_applied (op (f, f->exec, "reply_save", id, save));
    assert_applied (op (f, f->exec, "reply_submit", id, sid));
    assert_applied (op (f, f->sup, "reply_approve", id, sid));
  }
  g_assert_cmpuint (feedback (f, f->op, id, "{\"agree\":true,\"rating\":4}", &json), ==, 200);
  g_assert_cmpstr (sa_test_member_string (json, "status"), ==, "closed");
  g_assert_false (json_object_get_boolean_member (obj (json), SA_APPEAL_FIELD_UNDER_CONTROL));
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (feedback (f, f->op, id, "{\"agree\":true}", &json), ==, 409);
  g_assert_cmpstr (sa_test_error_code (json), ==, "not_answered");
}

static void
test_verdict_not_reached (Fixture       *f,
                          gconstpointer  data)
{
  /* An applicant who cannot be reached closes the appeal only after at least three attempts; a retry of the same verdict (same op_id) is not recorded twice. */
  g_autofree char *id = new_appeal (f, 306);
  g_autofree char *reply_id = answer_submitted (f, id, "Ответ", "private");
  g_autofree char *rid = reply_args (reply_id);
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *body = g_strdup_printf ("{\"op_id\":\"%s\",\"reached\":false,\"attempts\":3}",
                                           op_id);
  g_autoptr(JsonNode) json = NULL;

  assert_applied (op (f, f->sup, "reply_approve", id, rid));
  g_assert_cmpuint (feedback (f, f->op, id, "{\"reached\":false,\"attempts\":2}", &json), ==,
                    400);
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (feedback (f, f->op, id, body, &json), ==, 200);
  g_assert_cmpstr (sa_test_member_string (json, "status"), ==, "closed");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (feedback (f, f->op, id, body, &json), ==, 200);
  g_clear_pointer (&json, json_node_unref);
  json = get_appeal (f, f->cur, id);
  g_assert_cmpuint (count_events (json, "feedback"), ==, 1);
}

static void
test_info_received (Fixture       *f,
                    gconstpointer  data)
{
  /* The applicant's answer to a request for information lands in the history and puts the appeal back in work; with nothing requested it is refused. */
  g_autofree char *id = new_appeal (f, 307);
  g_autoptr(JsonNode) appeal = NULL;

  assert_applied (op (f, f->exec, "take", id, "{}"));
  assert_rejected (op (f, f->op, "info_received", id, "{\"text\":\"Квартира 12\"}"),
                   "not_waiting");
  assert_applied (op (f, f->exec, "request_info", id, "{\"text\":\"Уточните квартиру\"}"));
  assert_applied (op (f, f->op, "info_received", id, "{\"text\":\"Квартира 12, подъезд 2\"}"));
  appeal = get_appeal (f, f->exec, id);
  g_assert_cmpstr (sa_test_member_string (appeal, "status"), ==, "in_progress");
  g_assert_cmpuint (count_events (appeal, "info_received"), ==, 1);
}

static void
test_public_page (Fixture       *f,
                  gconstpointer  data)
{
  /* The public page needs no login and shows status, category, district, dates and sent public replies; never the applicant's name, IIN, phone, e-mail, address, a private reply, a draft, a comment or a returned comment. */
  g_autofree char *id = new_appeal (f, 308);
  g_autoptr(JsonNode) full = get_appeal (f, f->cur, id);
  const char *reg_number = sa_test_member_string (full, "reg_number");
  g_autofree char *escaped = g_uri_escape_string (reg_number, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/api/v1/public/appeals/", escaped, NULL);
  JsonObject *applicant = json_object_get_object_member (obj (full), "applicant");
  JsonObject *address = json_object_get_object_member (obj (full), "address");
  g_autofree char *pub = g_uuid_string_random ();
  g_autofree char *pub_save = save_args (pub, "Публичный ответ: трубы заменены", "public");
  g_autofree char *pub_id = reply_args (pub);
  g_autofree char *ret = g_strdup_printf ("{\"reply_id\":\"%s\",\"comment\":\"Секретный "
                                          "комментарий руководителя\"}", pub);
  g_autofree char *priv = g_uuid_string_random ();
  g_autofree char *priv_save = save_args (priv, "Личный ответ заявителю", "private");
  g_autofree char *priv_id = reply_args (priv);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  const char *secrets[] = {
    json_object_get_string_member (applicant, "name"),
    json_object_get_string_member (applicant, "iin"),
    json_object_get_string_member (applicant, "phone"),
    json_object_get_string_member (applicant, "email"),
    json_object_get_string_member (address, "text"),
    "Личный ответ заявителю", "Внутренний комментарий", "Секретный комментарий", "Черновик",
  };
  JsonArray *replies;

  assert_applied (op (f, f->exec, "take", id, "{}"));
  assert_applied (op (f, f->exec, "comment", id, "{\"text\":\"Внутренний комментарий\"}"));
  assert_applied (op (f, f->exec, "reply_save", id, pub_save));
  assert_applied (op (f, f->exec, "reply_submit", id, pub_id));
  assert_applied (op (f, f->sup, "reply_return", id, ret));
  assert_applied (op (f, f->exec, "reply_submit", id, pub_id));
  assert_applied (op (f, f->sup, "reply_approve", id, pub_id));
  /* Reopened and answered privately the second time. */
  g_assert_cmpuint (feedback (f, f->op, id, "{\"agree\":false}", &json), ==, 200);
  g_clear_pointer (&json, json_node_unref);
  /* A notice left as a draft. */
  {
    g_autofree char *draft = g_uuid_string_random ();
    g_autofree char *with_kind = g_strdup_printf ("{\"reply_id\":\"%s\",\"text\":\"Черновик\","
                                                  "\"visibility\":\"public\",\"language\":\"ru\","
                                                  "\"kind\":\"notice\"}", draft);

    assert_applied (op (f, f->exec, "reply_save", id, with_kind));
  }

  assert_applied (op (f, f->exec, "reply_save", id, priv_save));
  assert_applied (op (f, f->exec, "reply_submit", id, priv_id));
  assert_applied (op (f, f->sup, "reply_approve", id, priv_id));
  g_assert_cmpuint (sa_test_get (f->r, path, NULL, &json), ==, 200);
  text = json_to_string (json, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (secrets[i] != NULL && *secrets[i] != '\0' && strstr (text, secrets[i]) != NULL)
      g_error ("the public page shows “%s”: %s", secrets[i], text);
  g_assert_null (json_object_get_member (obj (json), "applicant"));
  g_assert_cmpstr (sa_test_member_string (json, "status"), ==, "answered");
  g_assert_cmpstr (sa_test_member_string (json, "category"), ==, "heating.no-heat");
  g_assert_nonnull (sa_test_member_string (json, "received_at"));
  g_assert_nonnull (sa_test_member_string (json, "answered_at"));
  replies = json_object_get_array_member (obj (json), SA_APPEAL_FIELD_REPLIES);
  g_assert_cmpuint (json_array_get_length (replies), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (replies, 0),
                                                  "text"), ==,
                   "Публичный ответ: трубы заменены");
  g_clear_pointer (&json, json_node_unref);

  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/public/appeals/NO-SUCH-1", NULL, &json), ==,
                    404);
}

static void
test_joint_answer (Fixture       *f,
                   gconstpointer  data)
{
  /* With a co-executor the lead's answer waits for the co-executor's part, written and approved in that agency and then read by the lead; sent, the answer names the part it includes. Without a part the lead supervisor sends only with a reason, which is recorded. */
  g_autofree char *id = new_appeal (f, 309);
  g_autofree char *sup_water = sa_test_login (f->r, "sup.water");
  g_autofree char *part = g_uuid_string_random ();
  g_autofree char *part_save = g_strdup_printf ("{\"reply_id\":\"%s\",\"text\":\"Водоснабжение "
                                                "восстановлено\",\"visibility\":\"public\","
                                                "\"language\":\"ru\",\"kind\":\"part\"}", part);
  g_autofree char *part_id = reply_args (part);
  g_autofree char *reply_id = NULL;
  g_autofree char *rid = NULL;
  g_autoptr(JsonNode) appeal = NULL;
  JsonObject *answer;
  JsonArray *parts;

  assert_applied (op (f, f->sup, "add_coexecutor", id, "{\"agency\":\"WATER\"}"));
  reply_id = answer_submitted (f, id, "Общий ответ", "public");
  rid = reply_args (reply_id);
  assert_rejected (op (f, f->sup, "reply_approve", id, rid), "parts_missing");

  /* The lead agency does not write the part; the co-executor does. */
  assert_rejected (op (f, f->exec, "reply_save", id, part_save), "not_involved");
  assert_applied (op (f, f->water, "reply_save", id, part_save));
  assert_applied (op (f, f->water, "reply_submit", id, part_id));
  {
    g_autoptr(JsonNode) lead = get_appeal (f, f->sup, id);

    /* Not yet the lead's to read, nor to approve. */
    g_assert_null (find_reply (lead, part));
    assert_rejected (op (f, f->sup, "reply_approve", id, part_id), "supervisor_only");
  }
  assert_applied (op (f, sup_water, "reply_approve", id, part_id));
  appeal = get_appeal (f, f->sup, id);
  g_assert_cmpstr (json_object_get_string_member (find_reply (appeal, part), "state"), ==,
                   "sent");
  /* A part answers nothing by itself. */
  g_assert_cmpstr (sa_test_member_string (appeal, "status"), ==, "awaiting_approval");
  g_clear_pointer (&appeal, json_node_unref);

  assert_applied (op (f, f->sup, "reply_approve", id, rid));
  appeal = get_appeal (f, f->cur, id);
  g_assert_cmpstr (sa_test_member_string (appeal, "status"), ==, "answered");
  answer = find_reply (appeal, reply_id);
  parts = json_object_get_array_member (answer, "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (parts, 0), ==, part);
  g_clear_pointer (&appeal, json_node_unref);

  /* Another joint appeal, sent without the part, with the reason. */
  {
    g_autofree char *id2 = new_appeal (f, 310);
    g_autofree char *second = NULL;
    g_autofree char *without = NULL;

    assert_applied (op (f, f->sup, "add_coexecutor", id2, "{\"agency\":\"WATER\"}"));
    second = answer_submitted (f, id2, "Ответ без части", "public");
    without = g_strdup_printf ("{\"reply_id\":\"%s\",\"without_parts_reason\":\"Алматы Су "
                               "не ответили за 10 дней\"}", second);
    assert_applied (op (f, f->sup, "reply_approve", id2, without));
    appeal = get_appeal (f, f->cur, id2);
    answer = find_reply (appeal, second);
    g_assert_cmpstr (json_object_get_string_member (answer, "without_parts_reason"), ==,
                     "Алматы Су не ответили за 10 дней");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "parts")),
                      ==, 0);
  }
}

static void
test_interim_notice (Fixture       *f,
                     gconstpointer  data)
{
  /* An extension says by when the applicant must be told; a notice, approved, tells them without answering the appeal: the appeal stays in work, its clock running. */
  g_autofree char *id = new_appeal (f, 311);
  g_autoptr(JsonNode) appeal = get_appeal (f, f->cur, id);
  g_autofree char *due = NULL;
  g_autofree char *extend = NULL;
  g_autofree char *notice = g_uuid_string_random ();
  g_autofree char *save = g_strdup_printf ("{\"reply_id\":\"%s\",\"text\":\"Срок рассмотрения "
                                           "продлён до 20 января\",\"visibility\":\"private\","
                                           "\"language\":\"ru\",\"kind\":\"notice\"}", notice);
  g_autofree char *nid = reply_args (notice);
  gint64 received = sa_appeal_parse_time (sa_test_member_string (appeal, "received_at"));

  g_assert_true (json_object_get_null_member (obj (appeal), SA_APPEAL_FIELD_NOTIFY_BY));
  g_clear_pointer (&appeal, json_node_unref);
  due = sa_appeal_format_time (received + 40 * 24 * 3600);
  extend = g_strdup_printf ("{\"due_at\":\"%s\",\"reason\":\"Нужна экспертиза\"}", due);
  assert_applied (op (f, f->exec, "take", id, "{}"));
  assert_applied (op (f, f->sup, "extend", id, extend));
  appeal = get_appeal (f, f->exec, id);
  g_assert_nonnull (sa_test_member_string (appeal, SA_APPEAL_FIELD_NOTIFY_BY));
  g_assert_true (json_object_get_null_member (obj (appeal), SA_APPEAL_FIELD_NOTIFIED_AT));
  g_clear_pointer (&appeal, json_node_unref);

  assert_applied (op (f, f->exec, "reply_save", id, save));
  assert_applied (op (f, f->exec, "reply_submit", id, nid));
  appeal = get_appeal (f, f->exec, id);
  /* A notice waiting for approval leaves the appeal in work. */
  g_assert_cmpstr (sa_test_member_string (appeal, "status"), ==, "in_progress");
  g_clear_pointer (&appeal, json_node_unref);
  assert_applied (op (f, f->sup, "reply_approve", id, nid));
  appeal = get_appeal (f, f->cur, id);
  g_assert_cmpstr (sa_test_member_string (appeal, "status"), ==, "in_progress");
  g_assert_true (json_object_get_null_member (obj (appeal), SA_APPEAL_FIELD_ANSWERED_AT));
  g_assert_nonnull (sa_test_member_string (appeal, SA_APPEAL_FIELD_NOTIFIED_AT));
  g_clear_pointer (&appeal, json_node_unref);

  /* Extended again: the applicant is owed a new notice. */
  {
    g_autofree char *later = sa_appeal_format_time (received + 55 * 24 * 3600);
    g_autofree char *again = g_strdup_printf ("{\"due_at\":\"%s\",\"reason\":\"Ждём подрядчика\"}",
                                              later);

    assert_applied (op (f, f->sup, "extend", id, again));
    appeal = get_appeal (f, f->exec, id);
    g_assert_true (json_object_get_null_member (obj (appeal), SA_APPEAL_FIELD_NOTIFIED_AT));
    g_assert_nonnull (sa_test_member_string (appeal, SA_APPEAL_FIELD_NOTIFY_BY));
  }
}

static void
test_deliveries (Fixture       *f,
                 gconstpointer  data)
{
  /* A sent answer or notice waits for the channel it came through; its gateway lists it with the applicant's contacts, records the outcome, which the history shows, and it is listed no more. Parts and drafts are never delivered; only gateways deliver. */
  g_autofree char *id = new_appeal (f, 312);
  g_autoptr(JsonNode) appeal = get_appeal (f, f->cur, id);
  g_autofree char *channel = g_strdup (sa_test_member_string (appeal, "channel"));
  g_autofree char *path = g_strdup_printf ("/api/v1/deliveries?channel=%s", channel);
  g_autofree char *reply_id = answer_submitted (f, id, "Личный ответ по существу", "private");
  g_autofree char *rid = reply_args (reply_id);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *record = NULL;
  JsonArray *items;
  JsonObject *item;

  g_assert_cmpuint (sa_test_get (f->r, path, f->op, &list), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (list),
                                                                         "deliveries")), ==, 0);
  g_clear_pointer (&list, json_node_unref);

  assert_applied (op (f, f->sup, "reply_approve", id, rid));
  g_assert_cmpuint (sa_test_get (f->r, path, f->exec, &list), ==, 403);
  g_clear_pointer (&list, json_node_unref);
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/deliveries?channel=pigeon", f->op, &list), ==,
                    400);
  g_clear_pointer (&list, json_node_unref);
  g_assert_cmpuint (sa_test_get (f->r, path, f->op, &list), ==, 200);
  items = json_object_get_array_member (obj (list), "deliveries");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  item = json_array_get_object_element (items, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "reply_id"), ==, reply_id);
  g_assert_cmpstr (json_object_get_string_member (item, "text"), ==, "Личный ответ по существу");
  g_assert_cmpstr (json_object_get_string_member (item, "reg_number"), ==,
                   sa_test_member_string (appeal, "reg_number"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (item,
                                                                                 "applicant"),
                                                  "phone"), ==,
                   json_object_get_string_member (json_object_get_object_member (obj (appeal),
                                                                                 "applicant"),
                                                  "phone"));

  record = g_strdup_printf ("/api/v1/deliveries/%" G_GINT64_FORMAT,
                            json_object_get_int_member (item, "id"));
  g_assert_cmpuint (sa_test_post (f->r, record, f->op, "{\"delivered\":\"yes\"}", &json), ==, 400);
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (sa_test_post (f->r, record, f->op,
                                  "{\"delivered\":true,\"detail\":\"Прочитано в Telegram\"}",
                                  &json), ==, 200);
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/deliveries/999999", f->op,
                                  "{\"delivered\":true}", &json), ==, 404);
  g_clear_pointer (&json, json_node_unref);

  g_clear_pointer (&list, json_node_unref);
  g_assert_cmpuint (sa_test_get (f->r, path, f->op, &list), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (list),
                                                                         "deliveries")), ==, 0);
  g_clear_pointer (&appeal, json_node_unref);
  appeal = get_appeal (f, f->exec, id);
  g_assert_cmpuint (count_events (appeal, SA_EVENT_DELIVERED), ==, 1);
}

/* The templates entries of the whole feed as @token reads it. */
static GHashTable *
feed_templates (Fixture    *f,
                const char *token)
{
  GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) json_object_unref);
  gint64 since = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=500", since);
      g_autoptr(JsonNode) page = NULL;
      JsonArray *changes;

      g_assert_cmpuint (sa_test_get (f->r, path, token, &page), ==, 200);
      changes = json_object_get_array_member (obj (page), "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *c = json_array_get_object_element (changes, i);

          if (g_strcmp0 (json_object_get_string_member (c, "kind"), "template") == 0)
            g_hash_table_replace (found, g_strdup (json_object_get_string_member (c, "id")),
                                  json_object_ref (json_object_get_object_member (c, "data")));
        }
      since = json_object_get_int_member (obj (page), "next");
      more = json_object_get_boolean_member (obj (page), "more");
    }
  return found;
}

static guint
put_template (Fixture    *f,
              const char *token,
              const char *id,
              const char *body)
{
  g_autofree char *path = g_strconcat ("/api/v1/templates/", id, NULL);

  return sa_test_http (f->r->session, f->r->base, "PUT", path, token, "application/json", body,
                       strlen (body), NULL);
}

static void
test_templates (Fixture       *f,
                gconstpointer  data)
{
  /* The city's templates reach every desk through the feed; a supervisor keeps the agency's own, which only that agency's desks get, and cannot overwrite the city's; executors keep none; a template that does not fit is refused with the field named; loading the file again changes nothing. */
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) heat = NULL;
  g_autoptr(GHashTable) water = NULL;
  g_autoptr(GHashTable) again = NULL;
  guint n = 0;
  JsonObject *t;
  static const char own[] = "{\"category\":\"heating.no-heat\",\"language\":\"ru\","
                            "\"title\":\"Замена труб\",\"text\":\"Трубы отопления заменены.\"}";

  g_assert_true (sa_registry_templates_load (f->r->db, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, >=, 10);

  g_assert_cmpuint (put_template (f, f->sup, "heat-pipes", own), ==, 201);
  g_assert_cmpuint (put_template (f, f->sup, "heat-pipes", own), ==, 200);
  g_assert_cmpuint (put_template (f, f->exec, "exec-own", own), ==, 403);
  g_assert_cmpuint (put_template (f, f->sup, "heating-restored-ru", own), ==, 403);
  g_assert_cmpuint (put_template (f, f->sup, "bad-language",
                                  "{\"language\":\"en\",\"title\":\"x\",\"text\":\"y\"}"),
                    ==, 400);
  g_assert_cmpuint (put_template (f, f->sup, "Bad_Id", own), ==, 400);

  heat = feed_templates (f, f->exec);
  water = feed_templates (f, f->water);
  g_assert_cmpuint (g_hash_table_size (heat), ==, n + 1);
  g_assert_cmpuint (g_hash_table_size (water), ==, n);
  t = g_hash_table_lookup (heat, "heat-pipes");
  g_assert_nonnull (t);
  g_assert_cmpstr (json_object_get_string_member (t, "agency"), ==, "HEAT");
  g_assert_cmpstr (json_object_get_string_member (t, "text"), ==, "Трубы отопления заменены.");
  t = g_hash_table_lookup (water, "heating-restored-kk");
  g_assert_nonnull (t);
  g_assert_cmpstr (json_object_get_string_member (t, "language"), ==, "kk");
  g_assert_true (json_object_get_null_member (t, "agency"));
  g_assert_nonnull (strstr (json_object_get_string_member (t, "text"), "{reg_number}"));

  /* Init again: the same templates, no new feed entries. */
  {
    gint64 before = sa_registry_db_touch (f->r->db, "probe", "x", NULL, NULL);
    gint64 after;

    g_assert_true (sa_registry_templates_load (f->r->db, NULL, NULL, &error));
    after = sa_registry_db_touch (f->r->db, "probe", "y", NULL, NULL);
    g_assert_cmpint (after, ==, before + 1);
  }
  /* Disabled, it goes to the feed as such. */
  g_assert_cmpuint (put_template (f, f->sup, "heat-pipes",
                                  "{\"category\":\"heating.no-heat\",\"language\":\"ru\","
                                  "\"title\":\"Замена труб\",\"text\":\"Трубы.\","
                                  "\"disabled\":true}"), ==, 200);
  again = feed_templates (f, f->exec);
  g_assert_true (json_object_get_boolean_member (g_hash_table_lookup (again, "heat-pipes"),
                                                 "disabled"));
}

static char *
upload_pdf (Fixture    *f,
            const char *token,
            const char *marker)
{
  g_autofree char *pdf = g_strdup_printf ("%%PDF-1.4\n%% %s\n1 0 obj << /Type /Catalog >> endobj\n"
                                          "trailer << /Root 1 0 R >>\n%%%%EOF\n", marker);
  char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) pdf, strlen (pdf));
  g_autofree char *path = g_strconcat ("/api/v1/attachments/", sha, NULL);

  g_assert_cmpuint (sa_test_http (f->r->session, f->r->base, "PUT", path, token, "application/pdf",
                                  pdf, strlen (pdf), NULL), <, 300);
  return sha;
}

static void
test_reply_files (Fixture       *f,
                  gconstpointer  data)
{
  /* A reply includes the appeal's own files — the act of work done — listed in the reply with their names; a file not attached to the appeal, a malformed hash or too many are refused. */
  g_autofree char *id = new_appeal (f, 313);
  g_autofree char *act = upload_pdf (f, f->exec, "act");
  g_autofree char *stray = upload_pdf (f, f->exec, "stray");
  g_autofree char *attach = g_strdup_printf ("{\"sha256\":\"%s\",\"name\":\"акт-работ.pdf\"}", act);
  g_autofree char *reply_id = g_uuid_string_random ();
  g_autofree char *with_act = g_strdup_printf ("{\"reply_id\":\"%s\",\"text\":\"Акт во вложении\","
                                               "\"visibility\":\"private\",\"language\":\"ru\","
                                               "\"attachments\":[\"%s\"]}", reply_id, act);
  g_autofree char *with_stray = g_strdup_printf ("{\"reply_id\":\"%s\",\"text\":\"x\","
                                                 "\"visibility\":\"private\",\"language\":\"ru\","
                                                 "\"attachments\":[\"%s\"]}", reply_id, stray);
  g_autofree char *malformed = g_strdup_printf ("{\"reply_id\":\"%s\",\"text\":\"x\","
                                                "\"visibility\":\"private\",\"language\":\"ru\","
                                                "\"attachments\":[\"ABC\"]}", reply_id);
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(JsonNode) appeal = NULL;
  JsonArray *files;

  assert_applied (op (f, f->exec, "take", id, "{}"));
  assert_rejected (op (f, f->exec, "reply_save", id, with_act), "file_not_attached");
  assert_applied (op (f, f->exec, "attach", id, attach));
  assert_applied (op (f, f->exec, "reply_save", id, with_act));
  appeal = get_appeal (f, f->exec, id);
  files = json_object_get_array_member (find_reply (appeal, reply_id), "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0),
                                                  "name"), ==, "акт-работ.pdf");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0),
                                                  "content_type"), ==, "application/pdf");

  assert_rejected (op (f, f->exec, "reply_save", id, with_stray), "file_not_attached");
  assert_rejected (op (f, f->exec, "reply_save", id, malformed), "invalid_args");
  g_string_append_printf (many, "{\"reply_id\":\"%s\",\"text\":\"x\",\"visibility\":\"private\","
                          "\"language\":\"ru\",\"attachments\":[", reply_id);
  for (guint i = 0; i <= SA_REPLY_ATTACHMENTS_MAX; i++)
    g_string_append_printf (many, "%s\"%064x\"", i > 0 ? "," : "", i + 1);
  g_string_append (many, "]}");
  assert_rejected (op (f, f->exec, "reply_save", id, many->str), "invalid_args");
}

static void
test_quick_answer (Fixture       *f,
                   gconstpointer  data)
{
  /* The contact centre answers a fresh appeal on the first call from a quick answer its supervisors keep: sent at once, the appeal answered, and with the applicant's agreement on the same call closed. Only operators, only fresh appeals, only usable templates in the answer's language. */
  g_autofree char *id = new_appeal (f, 314);
  g_autofree char *taken = new_appeal (f, 315);
  g_autofree char *reply_id = g_uuid_string_random ();
  g_autofree char *args = g_strdup_printf ("{\"reply_id\":\"%s\",\"template_id\":"
                                           "\"access-needed-ru\",\"text\":\"Для работ нужен доступ "
                                           "в подвал; позвоните по номеру 109.\",\"language\":\"ru\"}",
                                           reply_id);
  g_autofree char *wrong_language = g_strdup_printf ("{\"reply_id\":\"%s\",\"template_id\":"
                                                     "\"access-needed-ru\",\"text\":\"x\","
                                                     "\"language\":\"kk\"}", reply_id);
  g_autofree char *unknown = g_strdup_printf ("{\"reply_id\":\"%s\",\"template_id\":"
                                              "\"no-such\",\"text\":\"x\",\"language\":\"ru\"}",
                                              reply_id);
  g_autoptr(JsonNode) appeal = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonObject *reply;

  g_assert_true (sa_registry_templates_load (f->r->db, NULL, NULL, NULL));
  assert_rejected (op (f, f->exec, "quick_answer", id, args), "forbidden");
  assert_rejected (op (f, f->op, "quick_answer", id, unknown), "unknown_template");
  assert_rejected (op (f, f->op, "quick_answer", id, wrong_language), "unknown_template");
  assert_applied (op (f, f->exec, "take", taken, "{}"));
  assert_rejected (op (f, f->op, "quick_answer", taken, args), "not_fresh");

  assert_applied (op (f, f->op, "quick_answer", id, args));
  appeal = get_appeal (f, f->sup, id);
  g_assert_cmpstr (sa_test_member_string (appeal, "status"), ==, "answered");
  g_assert_nonnull (sa_test_member_string (appeal, SA_APPEAL_FIELD_ANSWERED_AT));
  reply = find_reply (appeal, reply_id);
  g_assert_cmpstr (json_object_get_string_member (reply, "state"), ==, "sent");
  g_assert_cmpstr (json_object_get_string_member (reply, "agency"), ==, "CC-109");
  g_assert_cmpstr (json_object_get_string_member (reply, "author"), ==, "op.cc");
  g_assert_cmpstr (json_object_get_string_member (reply, "template_id"), ==, "access-needed-ru");
  g_assert_true (json_object_get_null_member (reply, "approved_by"));
  g_assert_cmpuint (count_events (appeal, "quick_answer"), ==, 1);

  g_assert_cmpuint (feedback (f, f->op, id, "{\"agree\":true,\"rating\":5}", &json), ==, 200);
  g_assert_cmpstr (sa_test_member_string (json, "status"), ==, "closed");
}

int
main (int   argc,
      char *argv[])
{
  sa_test_registry_env ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/sa/registry/replies/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("loop-four-eyes", test_loop_four_eyes);
  ADD ("return-and-versions", test_return_and_versions);
  ADD ("who-reads-drafts", test_who_reads_drafts);
  ADD ("verdict", test_verdict);
  ADD ("verdict-not-reached", test_verdict_not_reached);
  ADD ("info-received", test_info_received);
  ADD ("public-page", test_public_page);
  ADD ("joint-answer", test_joint_answer);
  ADD ("interim-notice", test_interim_notice);
  ADD ("deliveries", test_deliveries);
  ADD ("templates", test_templates);
  ADD ("reply-files", test_reply_files);
  ADD ("quick-answer", test_quick_answer);
#undef ADD

  return g_test_run ();
}
