/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include "sa-appeal-list.h"
#include "sa-appeal-row.h"
#include "sa-appeal-model.h"
#include "sa-sla.h"
#include "sa-test-cache.h"

/* The reply loop's sections (docs/replies.md) over a real cache fed as
 * the registry feeds it: "Awaiting my approval", "Under control" and
 * "Waiting for the verdict", their counts, and the same after local ops
 * and after a cache of schema 3 is opened again. */

#define APPEAL(id, agency, status, extra) \
  "{\"seq\":1,\"kind\":\"appeal\",\"id\":\"" id "\",\"data\":{\"id\":\"" id "\"," \
  "\"reg_number\":\"ALA-2026-" id "\",\"status\":\"" status "\",\"priority\":\"normal\"," \
  "\"agency\":\"" agency "\",\"executor\":\"exec\",\"received_at\":\"2026-11-01T10:00:00+05:00\"," \
  "\"legal_due_at\":\"2026-12-20T23:59:59+05:00\",\"version\":3,\"history\":[]" extra "}}"

#define REPLY(id, agency, state, author) \
  "{\"id\":\"" id "\",\"kind\":\"answer\",\"agency\":\"" agency "\",\"state\":\"" state "\"," \
  "\"visibility\":\"public\",\"language\":\"ru\",\"text\":\"Ответ\",\"author\":\"" author "\"," \
  "\"version\":1}"

/* For the supervisor "me" of ENERGY, whose colleague is "colleague". */
static const char *fixture_json =
  "["
  /* Awaiting approval: a colleague's reply, one's own, a draft, a part of
   * ENERGY on a ROADS appeal, and a ROADS reply on an ENERGY appeal. */
  APPEAL ("r1", "ENERGY", "awaiting_approval",
          ",\"replies\":[" REPLY ("p1", "ENERGY", "awaiting_approval", "colleague") "]") ","
  APPEAL ("r2", "ENERGY", "awaiting_approval",
          ",\"replies\":[" REPLY ("p2", "ENERGY", "awaiting_approval", "me") "]") ","
  APPEAL ("r3", "ENERGY", "in_progress",
          ",\"replies\":[" REPLY ("p3", "ENERGY", "draft", "colleague") "]") ","
  APPEAL ("r4", "ROADS", "in_progress",
          ",\"replies\":[" REPLY ("p4", "ENERGY", "awaiting_approval", "colleague") "]") ","
  APPEAL ("r5", "ENERGY", "in_progress",
          ",\"replies\":[" REPLY ("p5", "ROADS", "awaiting_approval", "roads.exec") "]") ","
  /* Under control: ENERGY's reopened one, another agency's, one closed since. */
  APPEAL ("c1", "ENERGY", "reopened", ",\"under_control\":true") ","
  APPEAL ("c2", "ROADS", "reopened", ",\"under_control\":true") ","
  APPEAL ("c3", "ENERGY", "closed", ",\"under_control\":false") ","
  /* Answered: the one answered five days ago comes before yesterday's. */
  APPEAL ("v1", "ENERGY", "answered", ",\"answered_at\":\"2026-12-07T09:00:00+05:00\","
          "\"replies\":[" REPLY ("q1", "ENERGY", "sent", "colleague") "]") ","
  APPEAL ("v2", "ROADS", "answered", ",\"answered_at\":\"2026-12-03T09:00:00+05:00\"") ","
  APPEAL ("v3", "ENERGY", "closed", ",\"answered_at\":\"2026-12-01T09:00:00+05:00\"")
  "]";

typedef struct
{
  char         *dir;
  SaCache      *cache;
  SaAppealList *list;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *login = data != NULL ? data : "me";
  g_autoptr(GError) error = NULL;

  f->cache = sa_test_cache_new (&f->dir, login, "ENERGY");
  sa_test_cache_feed (f->cache, 2, fixture_json);
  f->list = sa_appeal_list_new (f->cache);
  g_assert_true (sa_appeal_list_refresh (f->list, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->list);
  sa_test_cache_free (f->cache, g_steal_pointer (&f->dir));
}

/* The section's appeals in the order shown, and that the sidebar's count agrees. */
static char *
section_ids (SaAppealList    *list,
             SaAppealSection  section)
{
  guint counts[SA_APPEAL_N_SECTIONS] = { 0 };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint n;

  sa_appeal_list_set_section (list, section);
  g_assert_true (sa_appeal_list_refresh (list, &error));
  g_assert_no_error (error);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SaAppealRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_string_append_printf (out, "%s%s", i > 0 ? " " : "", sa_appeal_row_get_id (row));
    }
  g_assert_true (sa_appeal_list_get_section_counts (list, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts[section], ==, n);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_section(list, section, expected) \
  G_STMT_START { g_autofree char *got_ = section_ids (list, section); \
                 g_assert_cmpstr (got_, ==, expected); } G_STMT_END

static void
test_sections (Fixture       *f,
               gconstpointer  data)
{
  /* A supervisor approves their agency's replies that others wrote, parts
   * included; the agency's reopened appeals are under control until
   * closed; answered appeals wait for the verdict, longest first. */
  assert_section (f->list, SA_APPEAL_SECTION_REVIEW, "r1 r4");
  assert_section (f->list, SA_APPEAL_SECTION_CONTROL, "c1");
  assert_section (f->list, SA_APPEAL_SECTION_VERDICT, "v2 v1");
}

static void
test_sections_of_colleague (Fixture       *f,
                            gconstpointer  data)
{
  /* The colleague's own replies are not theirs to approve; "me"'s is. */
  assert_section (f->list, SA_APPEAL_SECTION_REVIEW, "r2");
}

static void
test_sections_for_roles (void)
{
  /* Approval is offered to supervisors, control to supervisors and
   * executors, the verdict queue to operators only. */
  g_assert_true (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_REVIEW, SA_ROLE_SUPERVISOR));
  g_assert_false (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_REVIEW, SA_ROLE_EXECUTOR));
  g_assert_false (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_REVIEW, SA_ROLE_OPERATOR));
  g_assert_true (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_CONTROL, SA_ROLE_SUPERVISOR));
  g_assert_true (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_CONTROL, SA_ROLE_EXECUTOR));
  g_assert_false (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_CONTROL, SA_ROLE_OPERATOR));
  g_assert_false (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_CONTROL, SA_ROLE_CURATOR));
  g_assert_true (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_VERDICT, SA_ROLE_OPERATOR));
  g_assert_false (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_VERDICT, SA_ROLE_SUPERVISOR));
  g_assert_false (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_VERDICT, SA_ROLE_EXECUTOR));
}

static char *
apply_local (SaCache    *cache,
             const char *appeal_id,
             const char *type,
             const char *args_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) args = json_from_string (args_json, &error);
  char *op_id;

  g_assert_no_error (error);
  op_id = sa_cache_apply_local_op_sync (cache, appeal_id, type, json_node_get_object (args),
                                        &error);
  g_assert_no_error (error);
  g_assert_nonnull (op_id);
  return op_id;
}

static void
test_local_ops (Fixture       *f,
                gconstpointer  data)
{
  /* Ops folded offline move appeals between the sections at once: an
   * approved reply leaves "Awaiting my approval" and its appeal waits for
   * the verdict; a disagreement puts it under control, an agreement closes it. */
  g_autofree char *approve = apply_local (f->cache, "r1", "reply_approve", "{\"reply_id\":\"p1\"}");
  g_autofree char *disagree = NULL;
  g_autofree char *agree = NULL;

  assert_section (f->list, SA_APPEAL_SECTION_REVIEW, "r4");
  assert_section (f->list, SA_APPEAL_SECTION_VERDICT, "v2 v1 r1");

  disagree = apply_local (f->cache, "v1", "feedback",
                          "{\"agree\":false,\"rating\":2,\"comment\":\"Батареи холодные\"}");
  assert_section (f->list, SA_APPEAL_SECTION_CONTROL, "c1 v1");
  assert_section (f->list, SA_APPEAL_SECTION_VERDICT, "v2 r1");

  agree = apply_local (f->cache, "r1", "feedback",
                       "{\"agree\":true,\"rating\":5,\"comment\":\"Спасибо\"}");
  assert_section (f->list, SA_APPEAL_SECTION_VERDICT, "v2");
  assert_section (f->list, SA_APPEAL_SECTION_CONTROL, "c1 v1");
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* Without the triggers: their full-text index needs the cache's own
   * tokenizer, which this connection lacks. */
  g_assert_cmpint (sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static void
test_migration (Fixture       *f,
                gconstpointer  data)
{
  /* A cache written by schema 3 has no tables for the sections: opened
   * again, it derives them from the appeals' JSON it holds. */
  g_autofree char *path = g_strdup (sa_cache_get_path (f->cache));
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->list);
  g_clear_object (&f->cache);
  exec_sql (path, "DROP TABLE awaiting_replies; DROP TABLE appeal_marks;"
                  " PRAGMA user_version = 3;");
  f->cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  f->list = sa_appeal_list_new (f->cache);
  assert_section (f->list, SA_APPEAL_SECTION_REVIEW, "r1 r4");
  assert_section (f->list, SA_APPEAL_SECTION_CONTROL, "c1");
  assert_section (f->list, SA_APPEAL_SECTION_VERDICT, "v2 v1");
}

/* Appeals received on 4 December with the legal deadline on the 31st:
 * green by their share of time; n1 and n2 were extended and owe a
 * notice, by the 5th and the 10th; n3 was told. n1's notice waits for
 * approval. */
#define NOTICE_APPEAL(id, extra) \
  "{\"seq\":5,\"kind\":\"appeal\",\"id\":\"" id "\",\"data\":{\"id\":\"" id "\"," \
  "\"reg_number\":\"ALA-2026-" id "\",\"status\":\"in_progress\",\"priority\":\"normal\"," \
  "\"agency\":\"ENERGY\",\"executor\":\"exec\",\"received_at\":\"2026-12-04T10:00:00+05:00\"," \
  "\"legal_due_at\":\"2026-12-31T23:59:59+05:00\",\"version\":3,\"history\":[]" extra "}}"

static const char *notices_json =
  "["
  NOTICE_APPEAL ("n1", ",\"notify_applicant_by\":\"2026-12-05T18:00:00+05:00\","
                 "\"applicant_notified_at\":null,\"replies\":[{\"id\":\"nr1\",\"kind\":\"notice\","
                 "\"agency\":\"ENERGY\",\"state\":\"awaiting_approval\",\"visibility\":\"private\","
                 "\"language\":\"ru\",\"text\":\"Срок продлён\",\"author\":\"colleague\","
                 "\"version\":1}]") ","
  NOTICE_APPEAL ("n2", ",\"notify_applicant_by\":\"2026-12-10T18:00:00+05:00\"") ","
  NOTICE_APPEAL ("n3", ",\"notify_applicant_by\":\"2026-12-05T18:00:00+05:00\","
                 "\"applicant_notified_at\":\"2026-12-05T12:00:00+05:00\"")
  "]";

/* The appeals of @mask's lights, at 7 December noon. */
static char *
light_ids (SaAppealList *list,
           guint         mask)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  sa_appeal_list_set_section (list, SA_APPEAL_SECTION_ALL);
  sa_appeal_list_set_now (list, sa_appeal_parse_time ("2026-12-07T12:00:00+05:00"));
  sa_appeal_list_set_sla_mask (list, mask);
  g_assert_true (sa_appeal_list_refresh (list, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(SaAppealRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);
      const char *id = sa_appeal_row_get_id (row);

      if (id[0] == 'n')
        g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "", id);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The light a row of @id shows at 7 December noon, as the list and the detail decide it. */
static SaTrafficLight
row_light (SaAppealList *list,
           const char   *id)
{
  gint64 now = sa_appeal_parse_time ("2026-12-07T12:00:00+05:00");
  guint position;
  g_autoptr(SaAppealRow) row = NULL;

  g_assert_true (sa_appeal_list_find (list, id, &position));
  row = g_list_model_get_item (G_LIST_MODEL (list), position);
  return sa_sla_traffic_light_with_notice (NULL, sa_appeal_row_get_received_at (row),
                                           sa_appeal_row_get_legal_due_at (row), now,
                                           sa_appeal_row_get_notice_due_at (row));
}

#define assert_lights(list, mask, expected) \
  G_STMT_START { g_autofree char *got_ = light_ids (list, mask); \
                 g_assert_cmpstr (got_, ==, expected); } G_STMT_END

#define RED (1u << SA_TRAFFIC_LIGHT_RED)
#define GREEN (1u << SA_TRAFFIC_LIGHT_GREEN)

static void
test_notice_light (Fixture       *f,
                   gconstpointer  data)
{
  /* An extended appeal whose applicant was not told by notify_applicant_by
   * is red on the list, with plenty of time left; one still in time, or
   * told, is green. Once its notice is approved on the desk, it is green. */
  g_autofree char *approve = NULL;

  sa_test_cache_feed (f->cache, 6, notices_json);
  assert_lights (f->list, RED, "n1");
  assert_lights (f->list, GREEN, "n2 n3");
  assert_lights (f->list, 0, "n1 n2 n3");
  g_assert_cmpint (row_light (f->list, "n1"), ==, SA_TRAFFIC_LIGHT_RED);
  g_assert_cmpint (row_light (f->list, "n2"), ==, SA_TRAFFIC_LIGHT_GREEN);
  g_assert_cmpint (row_light (f->list, "n3"), ==, SA_TRAFFIC_LIGHT_GREEN);

  approve = apply_local (f->cache, "n1", "reply_approve", "{\"reply_id\":\"nr1\"}");
  assert_lights (f->list, RED, "");
  assert_lights (f->list, GREEN, "n1 n2 n3");
  g_assert_cmpint (row_light (f->list, "n1"), ==, SA_TRAFFIC_LIGHT_GREEN);
  {
    g_autoptr(JsonNode) appeal = sa_cache_get_appeal (f->cache, "n1", NULL);

    g_assert_nonnull (json_object_get_string_member_with_default (json_node_get_object (appeal),
                                                                  SA_APPEAL_FIELD_NOTIFIED_AT,
                                                                  NULL));
  }
}

static void
test_notice_migration (Fixture       *f,
                       gconstpointer  data)
{
  /* A cache of schema 4 has no table of notices owed: opened again, it
   * derives it from the appeals' JSON, and the late one is red. */
  g_autofree char *path = g_strdup (sa_cache_get_path (f->cache));
  g_autoptr(GError) error = NULL;

  sa_test_cache_feed (f->cache, 6, notices_json);
  g_clear_object (&f->list);
  g_clear_object (&f->cache);
  exec_sql (path, "DROP TABLE appeal_notices; PRAGMA user_version = 4;");
  f->cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  f->list = sa_appeal_list_new (f->cache);
  assert_lights (f->list, RED, "n1");
  assert_lights (f->list, GREEN, "n2 n3");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/reply-sections/for-roles", test_sections_for_roles);
#define ADD(path, fn, login) g_test_add ("/sa/reply-sections/" path, Fixture, login, \
                                         fixture_setup, fn, fixture_teardown)
  ADD ("supervisor", test_sections, NULL);
  ADD ("colleague", test_sections_of_colleague, "colleague");
  ADD ("local-ops", test_local_ops, NULL);
  ADD ("notice-light", test_notice_light, NULL);
  ADD ("notice-migration", test_notice_migration, NULL);
  ADD ("migration", test_migration, NULL);
#undef ADD
  return g_test_run ();
}
