/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sa-appeal-list.h"
#include "sa-appeal-row-private.h"
#include "sa-cache.h"
#include "sa-sla.h"

#define NOW  ((gint64) 1763900000)
#define HOUR ((gint64) 3600)
#define DAY  (24 * HOUR)
#define NONE G_MININT64

typedef struct
{
  const char *id;
  const char *status;
  const char *executor;
  const char *agency;
  const char *category;
  const char *district;
  const char *channel;
  const char *priority;
  gint64      received;
  gint64      legal_due;
  gint64      op_due;
  const char *text;
} A;

/* Eight appeals for the user "me" of agency ENERGY; the comments give
 * each one's nearer deadline relative to NOW. */
static const A fixtures[] = {
  { "a1", "registered", NULL, "ENERGY", "heat", "almaly", "egov", "normal",
    NOW - 10 * DAY, NOW + 5 * DAY, NONE, "Нет отопления\nвторая строка" },   /* +5d */
  { "a2", "in_progress", "me", "ENERGY", "water", "bostandyk", "phone109", "high",
    NOW - 3 * DAY, NOW + 12 * DAY, NOW + HOUR, "Течёт труба" },            /* +1h */
  { "a3", "info_requested", "me", "ENERGY", "heat", "almaly", "telegram", "low",
    NOW - 20 * DAY, NOW - DAY, NONE, "Холодные батареи" },                 /* -1d */
  { "a4", "answered", "other", "ENERGY", "heat", "auezov", "egov", "normal",
    NOW - 15 * DAY, NOW + 2 * DAY, NONE, "Жылу жоқ" },                     /* +2d */
  { "a5", "closed", "other", "ENERGY", "heat", "almaly", "egov", "normal",
    NOW - 40 * DAY, NOW - 20 * DAY, NONE, "Старое" },                      /* -20d */
  { "a6", "registered", NULL, "ROADS", "roads", "almaly", "egov", "critical",
    NOW - DAY, NOW + 20 * DAY, NONE, "Яма на дороге" },                    /* +20d */
  { "a7", "in_progress", "colleague", "ENERGY", "heat", "almaly", "egov", "normal",
    NOW - 14 * DAY, NOW + DAY, NONE, "Отопление слабое" },                 /* +1d */
  { "a8", "reopened", NULL, "ENERGY", "water", "bostandyk", "opendata", "high",
    NOW - 2 * DAY, NONE, NONE, "Нет воды" },                               /* none */
};

typedef struct
{
  char         *dir;
  SaCache      *cache;
  SaAppealList *list;
  GArray       *signals;
} Fixture;

typedef struct
{
  guint pos, removed, added;
} Triple;

static char *
rfc3339 (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t + 5 * 3600);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S+05:00");
}

static JsonNode *
appeal_json (const A *a,
             gint64   version)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *received = rfc3339 (a->received);
  g_autofree char *legal = a->legal_due != NONE ? rfc3339 (a->legal_due) : NULL;
  g_autofree char *op = a->op_due != NONE ? rfc3339 (a->op_due) : NULL;
  g_autofree char *reg = g_strdup_printf ("ALA-2026-%06u", (guint) a->id[1]);

#define S(k, v) json_builder_set_member_name (b, k); \
  if ((v) != NULL) json_builder_add_string_value (b, v); else json_builder_add_null_value (b)
  json_builder_begin_object (b);
  S ("id", a->id);
  S ("reg_number", reg);
  S ("channel", a->channel);
  S ("status", a->status);
  S ("priority", a->priority);
  S ("category", a->category);
  S ("agency", a->agency);
  S ("executor", a->executor);
  json_builder_set_member_name (b, "applicant");
  json_builder_begin_object (b);
  S ("name", "Заявитель");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "address");
  json_builder_begin_object (b);
  S ("text", "улица Толе би, 1");
  S ("district", a->district);
  json_builder_end_object (b);
  S ("text", a->text);
  S ("received_at", received);
  S ("legal_due_at", legal);
  S ("resolution_due_at", op);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, version);
  json_builder_set_member_name (b, "is_repeat");
  json_builder_add_boolean_value (b, g_str_equal (a->id, "a2"));
  json_builder_set_member_name (b, "history");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
#undef S
  return json_builder_get_root (b);
}

static void
add_change (JsonArray  *changes,
            const char *kind,
            const char *id,
            JsonNode   *data)
{
  JsonObject *c = json_object_new ();

  json_object_set_string_member (c, "kind", kind);
  json_object_set_string_member (c, "id", id);
  if (data != NULL)
    json_object_set_member (c, "data", data);
  else
    json_object_set_boolean_member (c, "removed", TRUE);
  json_array_add_object_element (changes, c);
}

static void
apply (SaCache   *cache,
       JsonArray *changes)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sa_cache_apply_changes (cache, changes, 1, &error));
  g_assert_no_error (error);
  json_array_unref (changes);
}

static void
on_items_changed (GListModel *model,
                  guint       pos,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  Triple t = { pos, removed, added };

  g_array_append_val (f->signals, t);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  JsonArray *changes = json_array_new ();
  g_autoptr(JsonParser) p = json_parser_new ();
  JsonArray *districts;

  f->dir = g_dir_make_tmp ("sa-list-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "cache.db", NULL);
  f->cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sa_cache_set_identity (f->cache, "me", "ENERGY", &error));

  g_assert_true (json_parser_load_from_data (p, "{\"code\":\"heat\",\"name_ru\":\"Нет отопления\","
                                                "\"name_kk\":\"Жылу жоқ\",\"agency\":\"ENERGY\","
                                                "\"sphere\":\"heating\"}",
                                             -1, NULL));
  add_change (changes, "category", "heat", json_node_copy (json_parser_get_root (p)));
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    add_change (changes, "appeal", fixtures[i].id, appeal_json (&fixtures[i], 1));
  apply (f->cache, changes);
  g_assert_true (json_parser_load_from_data (p, "[{\"code\":\"almaly\",\"name_ru\":\"Алмалинский\","
                                                "\"name_kk\":\"Алмалы\"}]", -1, NULL));
  districts = json_node_get_array (json_parser_get_root (p));
  g_assert_true (sa_cache_put_districts (f->cache, districts, &error));

  f->list = sa_appeal_list_new (f->cache);
  sa_appeal_list_set_now (f->list, NOW);
  sa_appeal_list_set_language (f->list, "ru");
  g_assert_true (sa_appeal_list_refresh (f->list, &error));
  f->signals = g_array_new (FALSE, FALSE, sizeof (Triple));
  g_signal_connect (f->list, "items-changed", G_CALLBACK (on_items_changed), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_assert_finalize_object (f->list);
  g_assert_finalize_object (f->cache);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_array_unref (f->signals);
}

static char *
ids (SaAppealList *list)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(SaAppealRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_string_append_printf (out, "%s%s", i > 0 ? " " : "", sa_appeal_row_get_id (row));
    }
  return g_string_free (out, FALSE);
}

#define assert_ids(list, expected) \
  G_STMT_START { g_autofree char *got_ = ids (list); g_assert_cmpstr (got_, ==, expected); } \
  G_STMT_END

static char *
signals_text (Fixture *f)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < f->signals->len; i++)
    {
      Triple *t = &g_array_index (f->signals, Triple, i);

      g_string_append_printf (out, "(%u,%u,%u)", t->pos, t->removed, t->added);
    }
  g_array_set_size (f->signals, 0);
  return g_string_free (out, FALSE);
}

#define assert_signals(f, expected) \
  G_STMT_START { g_autofree char *got_ = signals_text (f); g_assert_cmpstr (got_, ==, expected); } \
  G_STMT_END

static void
flush (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_sort (Fixture       *f,
           gconstpointer  data)
{
  /* The three orders give exactly the expected sequence of appeals. By
   * deadline: those still owed an answer, nearest first, then the ones
   * without a running clock (a4 answered, a5 closed, a8 with no deadline). */
  assert_ids (f->list, "a3 a2 a7 a1 a6 a4 a5 a8");
  sa_appeal_list_set_sort (f->list, SA_APPEAL_SORT_RECEIVED);
  assert_ids (f->list, "a6 a8 a2 a1 a7 a4 a3 a5");
  sa_appeal_list_set_sort (f->list, SA_APPEAL_SORT_PRIORITY);
  assert_ids (f->list, "a6 a2 a8 a7 a1 a4 a5 a3");
  sa_appeal_list_set_sort (f->list, SA_APPEAL_SORT_DEADLINE);
  assert_ids (f->list, "a3 a2 a7 a1 a6 a4 a5 a8");

  /* An appeal's position is found without building rows. */
  {
    guint pos = 0;

    g_assert_true (sa_appeal_list_find (f->list, "a4", &pos));
    g_assert_cmpuint (pos, ==, 5);
    sa_appeal_list_set_category (f->list, "water");
    g_assert_false (sa_appeal_list_find (f->list, "a4", &pos));
    g_assert_false (sa_appeal_list_find (f->list, "nope", NULL));
  }
}

static void
test_sections (Fixture       *f,
               gconstpointer  data)
{
  /* Each sidebar section lists its appeals, and one query counts them all alike. */
  static const char * const expected[] = {
    "a3 a2", "a1 a8", "", "", "a4", "a3", "a3", "a4 a5", "a3 a2 a7 a1 a6 a4 a5 a8",
  };
  guint counts[SA_APPEAL_N_SECTIONS];
  g_autoptr(GError) error = NULL;

  g_assert_true (sa_appeal_list_get_section_counts (f->list, counts, &error));
  g_assert_no_error (error);
  for (guint s = 0; s < SA_APPEAL_N_SECTIONS; s++)
    {
      g_auto(GStrv) words = g_strsplit (expected[s], " ", -1);

      sa_appeal_list_set_section (f->list, s);
      assert_ids (f->list, expected[s]);
      g_assert_cmpuint (counts[s], ==, g_strv_length (words));
    }
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  /* Category, district, channel, statuses and the traffic light each narrow the list. */
  const char *statuses[] = { "registered", "reopened", NULL };

  sa_appeal_list_set_category (f->list, "heat");
  assert_ids (f->list, "a3 a7 a1 a4 a5");
  sa_appeal_list_set_category (f->list, NULL);
  sa_appeal_list_set_district (f->list, "bostandyk");
  assert_ids (f->list, "a2 a8");
  sa_appeal_list_set_district (f->list, NULL);
  sa_appeal_list_set_channel (f->list, "egov");
  assert_ids (f->list, "a7 a1 a6 a4 a5");
  sa_appeal_list_set_channel (f->list, NULL);
  sa_appeal_list_set_statuses (f->list, statuses);
  assert_ids (f->list, "a1 a6 a8");
  sa_appeal_list_set_statuses (f->list, NULL);

  sa_appeal_list_set_sla_mask (f->list, 1 << SA_TRAFFIC_LIGHT_OVERDUE);
  assert_ids (f->list, "a3");
  sa_appeal_list_set_sla_mask (f->list, 1 << SA_TRAFFIC_LIGHT_RED);
  assert_ids (f->list, "a2 a7");
  sa_appeal_list_set_sla_mask (f->list, 1 << SA_TRAFFIC_LIGHT_YELLOW);
  assert_ids (f->list, "a1");
  sa_appeal_list_set_sla_mask (f->list, 1 << SA_TRAFFIC_LIGHT_GREEN);
  assert_ids (f->list, "a6 a8");
  sa_appeal_list_set_sla_mask (f->list, 0);

  /* Filters combine with the section and the search, frozen into one query. */
  sa_appeal_list_freeze (f->list);
  sa_appeal_list_set_section (f->list, SA_APPEAL_SECTION_QUEUE);
  sa_appeal_list_set_query (f->list, "нет");
  assert_ids (f->list, "a3 a2 a7 a1 a6 a4 a5 a8");
  sa_appeal_list_thaw (f->list);
  assert_ids (f->list, "a1 a8");
  sa_appeal_list_set_district (f->list, "almaly");
  assert_ids (f->list, "a1");
  sa_appeal_list_set_query (f->list, "отоплен");
  assert_ids (f->list, "a1");
  sa_appeal_list_set_section (f->list, SA_APPEAL_SECTION_ALL);
  assert_ids (f->list, "a7 a1");
}

static void
test_sections_for_roles (void)
{
  /* Each role opens on its work: an executor on their own appeals, a
   * supervisor on the queue to hand out, those who hold none on everything. */
  g_assert_cmpint (sa_appeal_section_first_for_role (SA_ROLE_EXECUTOR), ==, SA_APPEAL_SECTION_MINE);
  g_assert_cmpint (sa_appeal_section_first_for_role (SA_ROLE_KSK_MANAGER), ==,
                   SA_APPEAL_SECTION_MINE);
  g_assert_cmpint (sa_appeal_section_first_for_role (SA_ROLE_SUPERVISOR), ==,
                   SA_APPEAL_SECTION_QUEUE);
  g_assert_cmpint (sa_appeal_section_first_for_role (SA_ROLE_OPERATOR), ==, SA_APPEAL_SECTION_ALL);
  g_assert_cmpint (sa_appeal_section_first_for_role (SA_ROLE_CURATOR), ==, SA_APPEAL_SECTION_ALL);

  /* "My Appeals" only for those who can hold one; no agency queue for the city. */
  g_assert_true (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_MINE, SA_ROLE_SUPERVISOR));
  g_assert_false (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_MINE, SA_ROLE_OPERATOR));
  g_assert_false (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_MINE, SA_ROLE_CURATOR));
  g_assert_false (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_QUEUE, SA_ROLE_CURATOR));
  g_assert_true (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_QUEUE, SA_ROLE_OPERATOR));
  for (guint r = 0; r < SA_N_ROLES; r++)
    {
      /* The first section is always one the role is offered. */
      g_assert_true (sa_appeal_section_is_for_role (sa_appeal_section_first_for_role (r), r));
      g_assert_true (sa_appeal_section_is_for_role (SA_APPEAL_SECTION_ALL, r));
    }
}

static void
test_due_second (Fixture       *f,
                 gconstpointer  data)
{
  /* The due second is still in time, as the chip says (sa_sla_traffic_light()):
   * a2 is due at NOW + 1 h, red then and overdue one second later, in the
   * Overdue section and the light filter alike. */
  g_assert_cmpint (sa_sla_traffic_light (NULL, NOW - 3 * DAY, NOW + HOUR, NOW + HOUR), ==,
                   SA_TRAFFIC_LIGHT_RED);
  sa_appeal_list_set_now (f->list, NOW + HOUR);
  sa_appeal_list_set_section (f->list, SA_APPEAL_SECTION_OVERDUE);
  assert_ids (f->list, "a3");
  sa_appeal_list_set_section (f->list, SA_APPEAL_SECTION_ALL);
  sa_appeal_list_set_sla_mask (f->list, 1 << SA_TRAFFIC_LIGHT_RED);
  assert_ids (f->list, "a2 a7");

  /* The time counts from the next query on. */
  sa_appeal_list_set_now (f->list, NOW + HOUR + 1);
  sa_appeal_list_set_sla_mask (f->list, 1 << SA_TRAFFIC_LIGHT_OVERDUE);
  assert_ids (f->list, "a3 a2");
  sa_appeal_list_set_sla_mask (f->list, 1 << SA_TRAFFIC_LIGHT_RED);
  assert_ids (f->list, "a7");
  sa_appeal_list_set_sla_mask (f->list, 0);
  sa_appeal_list_set_section (f->list, SA_APPEAL_SECTION_OVERDUE);
  assert_ids (f->list, "a3 a2");
}

static void
test_row (Fixture       *f,
          gconstpointer  data)
{
  /* A row carries what the list row shows: names, the category's sphere, first line, marks. */
  g_autoptr(SaAppealRow) row = NULL;
  g_autoptr(SaAppealRow) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *op = NULL;
  g_autofree char *category = NULL;
  gboolean unread = FALSE;

  /* A query keeps positions: only the change of length is announced. */
  sa_appeal_list_set_query (f->list, "ALA-2026-000049");
  assert_signals (f, "(1,7,0)");
  row = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
  g_assert_cmpstr (sa_appeal_row_get_id (row), ==, "a1");
  g_object_get (row, "category-name", &category, "unread", &unread, NULL);
  g_assert_cmpstr (category, ==, "Нет отопления");
  g_assert_cmpstr (sa_appeal_row_get_sphere (row), ==, "heating");
  g_assert_true (unread);
  g_assert_cmpstr (sa_appeal_row_get_summary (row), ==, "Нет отопления");
  g_assert_cmpstr (sa_appeal_row_get_district_name (row), ==, "Алмалинский");
  g_assert_cmpstr (sa_appeal_row_get_status (row), ==, "registered");
  g_assert_cmpstr (sa_appeal_row_get_priority (row), ==, "normal");
  g_assert_cmpint (sa_appeal_row_get_legal_due_at (row), ==, NOW + 5 * DAY);
  g_assert_cmpint (sa_appeal_row_get_operational_due_at (row), ==, 0);
  g_assert_false (sa_appeal_row_get_pending (row));

  /* Opened and edited offline: a new row object, no longer unread, with the pending mark. */
  g_assert_true (sa_cache_mark_opened (f->cache, "a1", &error));
  op = sa_cache_apply_local_op_sync (f->cache, "a1", "take", NULL, &error);
  g_assert_no_error (error);
  flush ();
  assert_signals (f, "(0,1,1)");
  again = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
  g_assert_true (again != row);
  g_assert_false (sa_appeal_row_get_unread (again));
  g_assert_true (sa_appeal_row_get_pending (again));
  g_assert_cmpstr (sa_appeal_row_get_executor (again), ==, "me");
  g_assert_cmpstr (sa_appeal_row_get_status (again), ==, "in_progress");

  /* Someone else changes it: unread again. */
  {
    JsonArray *changes = json_array_new ();

    add_change (changes, "appeal", "a1", appeal_json (&fixtures[0], 2));
    apply (f->cache, changes);
    flush ();
    assert_signals (f, "(0,1,1)");
    g_clear_object (&again);
    again = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
    g_assert_true (sa_appeal_row_get_unread (again));
    g_assert_true (sa_appeal_row_get_pending (again));
  }

  sa_appeal_list_set_language (f->list, "kk");
  assert_signals (f, "(0,1,1)");
  g_clear_object (&again);
  again = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
  g_assert_cmpstr (sa_appeal_row_get_category_name (again), ==, "Жылу жоқ");
  g_assert_cmpstr (sa_appeal_row_get_district_name (again), ==, "Алмалы");
}

static void
test_items_changed (Fixture       *f,
                    gconstpointer  data)
{
  /* After a sync only the changed rows are announced, in the smallest ranges. */
  JsonArray *changes;
  A a4 = fixtures[3], a1 = fixtures[0], a9 = fixtures[7], a2 = fixtures[1];
  g_autoptr(JsonObject) args = json_object_new ();
  g_autofree char *op = NULL;
  g_autoptr(GError) error = NULL;

  /* In place: a4 changes status (answered to closed), and stays among the
   * appeals without a running clock. */
  a4.status = "closed";
  changes = json_array_new ();
  add_change (changes, "appeal", "a4", appeal_json (&a4, 2));
  apply (f->cache, changes);
  flush ();
  assert_signals (f, "(5,1,1)");
  assert_ids (f->list, "a3 a2 a7 a1 a6 a4 a5 a8");

  /* A move: a1's deadline passes everyone's; it leaves position 3 and enters at 0. */
  a1.legal_due = NOW - 30 * DAY;
  changes = json_array_new ();
  add_change (changes, "appeal", "a1", appeal_json (&a1, 2));
  apply (f->cache, changes);
  flush ();
  assert_signals (f, "(0,0,1)(4,1,0)");
  assert_ids (f->list, "a1 a3 a2 a7 a6 a4 a5 a8");

  /* One page: a new appeal, a deletion and two in-place changes side by side. */
  a9.id = "a9";
  a9.legal_due = NOW + 3 * DAY;
  a2.priority = "critical";
  a4.status = "archived";
  changes = json_array_new ();
  add_change (changes, "appeal", "a9", appeal_json (&a9, 1));
  add_change (changes, "appeal", "a3", NULL);
  add_change (changes, "appeal", "a2", appeal_json (&a2, 2));
  add_change (changes, "appeal", "a4", appeal_json (&a4, 3));
  apply (f->cache, changes);
  g_assert_cmpuint (f->signals->len, ==, 0);  /* not before the idle */
  flush ();
  assert_ids (f->list, "a1 a2 a7 a9 a6 a4 a5 a8");
  assert_signals (f, "(1,1,0)(1,1,1)(3,0,1)(5,1,1)");

  /* A local edit announces its row alone. */
  json_object_set_string_member (args, "priority", "low");
  op = sa_cache_apply_local_op_sync (f->cache, "a6", "set_priority", args, &error);
  g_assert_no_error (error);
  flush ();
  assert_signals (f, "(4,1,1)");

  /* Nothing changed: nothing announced. */
  g_assert_true (sa_appeal_list_refresh (f->list, &error));
  assert_signals (f, "");

  /* A 410 reset empties the list in one range. */
  g_assert_true (sa_cache_reset (f->cache, &error));
  flush ();
  assert_signals (f, "(0,8,0)");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 0);
}

static void
test_executor (Fixture       *f,
               gconstpointer  data)
{
  /* A supervisor's view of one executor: the open appeals they work on, and everyone's counts. */
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GError) error = NULL;

  sa_appeal_list_set_executor (f->list, "me");
  assert_ids (f->list, "a3 a2");
  /* "other" has only an answered and a closed one. */
  sa_appeal_list_set_executor (f->list, "other");
  assert_ids (f->list, "");
  sa_appeal_list_set_executor (f->list, NULL);
  assert_ids (f->list, "a3 a2 a7 a1 a6 a4 a5 a8");

  counts = sa_appeal_list_count_by_executor (f->list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "me")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "colleague")), ==, 1);
  g_assert_false (g_hash_table_contains (counts, "other"));
}

static void
count_changed (SaAppealRow *row,
               guint       *n)
{
  (*n)++;
}

static void
test_refill (Fixture       *f,
             gconstpointer  data)
{
  /* A sort or query refills the rows handed out in place, so a list view keeps its widgets. */
  g_autoptr(SaAppealRow) first = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
  g_autoptr(SaAppealRow) last = g_list_model_get_item (G_LIST_MODEL (f->list), 7);
  g_autoptr(SaAppealRow) again = NULL;
  guint changed = 0;

  g_assert_cmpstr (sa_appeal_row_get_id (first), ==, "a3");
  g_signal_connect (first, "changed", G_CALLBACK (count_changed), &changed);

  sa_appeal_list_set_sort (f->list, SA_APPEAL_SORT_RECEIVED);
  assert_signals (f, "");
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpstr (sa_appeal_row_get_id (first), ==, "a6");
  g_assert_cmpstr (sa_appeal_row_get_id (last), ==, "a5");
  again = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
  g_assert_true (again == first);
  assert_ids (f->list, "a6 a8 a2 a1 a7 a4 a3 a5");

  /* Narrowed to one: the tail goes, the first row shows the match. */
  sa_appeal_list_set_query (f->list, "ALA-2026-000049");
  assert_signals (f, "(1,7,0)");
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpstr (sa_appeal_row_get_id (first), ==, "a1");
  g_assert_cmpstr (sa_appeal_row_get_reg_number (first), ==, "ALA-2026-000049");

  /* Widened again: the tail comes back. */
  sa_appeal_list_set_query (f->list, NULL);
  assert_signals (f, "(1,0,7)");
  g_assert_cmpstr (sa_appeal_row_get_id (first), ==, "a6");
  assert_ids (f->list, "a6 a8 a2 a1 a7 a4 a3 a5");
}

static void
count_refilled (SaAppealList *list,
                guint        *n)
{
  (*n)++;
}

static void
test_incremental (Fixture       *f,
                  gconstpointer  data)
{
  /* For a list view, a longer result is announced 24 rows a step, then "refilled" again. */
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint refilled = 0;

  for (guint i = 0; i < 60; i++)
    g_string_append_printf (json, "%s{\"kind\":\"appeal\",\"id\":\"more-%u\","
                                  "\"data\":{\"id\":\"more-%u\",\"reg_number\":\"ALA-2026-%06u\","
                                  "\"status\":\"registered\",\"text\":\"Обращение %u\","
                                  "\"version\":1,\"received_at\":\"2026-01-01T10:00:00+05:00\"}}",
                            i ? "," : "", i, i, 500 + i, i);
  g_string_append_c (json, ']');
  g_assert_true (json_parser_load_from_data (parser, json->str, json->len, &error));
  g_assert_true (sa_cache_apply_changes (f->cache, json_node_get_array (
                                           json_parser_get_root (parser)), 2, &error));
  g_assert_true (sa_appeal_list_refresh (f->list, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 68);
  g_array_set_size (f->signals, 0);

  sa_appeal_list_set_incremental (f->list, TRUE);
  g_signal_connect (f->list, "refilled", G_CALLBACK (count_refilled), &refilled);
  sa_appeal_list_set_query (f->list, "ALA-2026-000049");
  assert_signals (f, "(1,67,0)");
  refilled = 0;

  /* Cleared: the first step at once, the rest on a timer. */
  sa_appeal_list_set_query (f->list, NULL);
  assert_signals (f, "(1,0,24)");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 25);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->list), 25));
  g_assert_cmpuint (refilled, ==, 1);
  while (refilled < 2)
    g_main_context_iteration (NULL, TRUE);
  assert_signals (f, "(25,0,24)(49,0,19)");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 68);

  /* Finding a row not yet announced announces the rest at once. */
  sa_appeal_list_set_query (f->list, "ALA-2026-000049");
  sa_appeal_list_set_query (f->list, NULL);
  g_array_set_size (f->signals, 0);
  {
    guint pos;

    g_assert_true (sa_appeal_list_find (f->list, "more-59", &pos));
    g_assert_cmpuint (pos, >=, 25);
    g_assert_cmpuint (pos, <, g_list_model_get_n_items (G_LIST_MODEL (f->list)));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 68);
  }
}

static void
test_reads_during_write (Fixture       *f,
                         gconstpointer  data)
{
  /* The list reads the last commit while another connection holds a write transaction: a read
   * that had to wait for the writer would fail here, since the writer is this thread (how long
   * the read takes is bench-cache's cache.read_during_write). */
  g_autofree char *path = g_build_filename (f->dir, "cache.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) appeal = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* (Not appeals itself: its FTS triggers need the cache's tokenizer.) */
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE; DELETE FROM appeal_docs;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sa_appeal_list_set_sort (f->list, SA_APPEAL_SORT_RECEIVED);
  g_assert_true (sa_appeal_list_refresh (f->list, &error));
  g_assert_no_error (error);
  assert_ids (f->list, "a6 a8 a2 a1 a7 a4 a3 a5");
  appeal = sa_cache_get_appeal (f->cache, "a1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (appeal);
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static char *
choices_text (GPtrArray *choices)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < choices->len; i++)
    {
      SaAppealChoice *c = g_ptr_array_index (choices, i);

      g_string_append_printf (out, "%s%s=%s", i > 0 ? " " : "", c->code, c->name);
    }
  return g_string_free (out, FALSE);
}

static void
test_choices (Fixture       *f,
              gconstpointer  data)
{
  /* The filter choices are the categories and districts the cached appeals use, named in the list's language (the code when the cache has no name), sorted by name. */
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) districts = NULL;
  g_autofree char *text = NULL;

  categories = sa_appeal_list_get_category_choices (f->list, &error);
  g_assert_no_error (error);
  text = choices_text (categories);
  g_assert_cmpstr (text, ==, "roads=roads water=water heat=Нет отопления");
  g_clear_pointer (&text, g_free);

  districts = sa_appeal_list_get_district_choices (f->list, &error);
  g_assert_no_error (error);
  text = choices_text (districts);
  g_assert_cmpstr (text, ==, "auezov=auezov bostandyk=bostandyk almaly=Алмалинский");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&categories, g_ptr_array_unref);

  sa_appeal_list_set_language (f->list, "kk");
  categories = sa_appeal_list_get_category_choices (f->list, &error);
  g_assert_no_error (error);
  text = choices_text (categories);
  g_assert_cmpstr (text, ==, "roads=roads water=water heat=Жылу жоқ");
}

static void
test_lookup_user (Fixture       *f,
                  gconstpointer  data)
{
  /* The signed-in user's record from the feed is found by login, so an offline start knows the role; an unknown login gives NULL. */
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(JsonObject) user = NULL;
  JsonArray *changes = json_array_new ();

  g_assert_null (sa_appeal_list_lookup_user (f->list, "me"));
  g_assert_true (json_parser_load_from_data (p, "{\"login\":\"me\",\"full_name\":\"Айгерим Омарова\","
                                                "\"agency\":\"ENERGY\",\"role\":\"executor\"}",
                                             -1, NULL));
  add_change (changes, "user", "me", json_node_copy (json_parser_get_root (p)));
  apply (f->cache, changes);

  user = sa_appeal_list_lookup_user (f->list, "me");
  g_assert_nonnull (user);
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "executor");
  g_assert_cmpstr (json_object_get_string_member (user, "full_name"), ==, "Айгерим Омарова");
  g_assert_null (sa_appeal_list_lookup_user (f->list, "nobody"));
}

static void
test_bounded_rows (void)
{
  /* Scrolling through 100,000 appeals never keeps more than a few pages of rows alive. */
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sa-list-big-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  SaCache *cache = sa_cache_open (path, &error);
  SaAppealList *list;
  guint counts[SA_APPEAL_N_SECTIONS];
  guint max_live = 0;
  const guint total = 100000;

  g_assert_no_error (error);
  for (guint page = 0; page < total / 5000; page++)
    {
      g_autoptr(GString) json = g_string_new ("[");
      g_autoptr(JsonParser) parser = json_parser_new ();

      for (guint i = page * 5000; i < (page + 1) * 5000; i++)
        g_string_append_printf (json,
                                "%s{\"kind\":\"appeal\",\"id\":\"id-%u\","
                                "\"data\":{\"id\":\"id-%u\","
                                "\"reg_number\":\"ALA-2026-%06u\",\"status\":\"registered\","
                                "\"text\":\"Обращение номер %u\",\"version\":1,"
                                "\"received_at\":\"2026-01-01T10:00:00+05:00\","
                                "\"legal_due_at\":\"2026-02-%02uT23:59:59+05:00\"}}",
                                i % 5000 ? "," : "", i, i, i, i, 1 + i % 28);
      g_string_append_c (json, ']');
      g_assert_true (json_parser_load_from_data (parser, json->str, json->len, &error));
      g_assert_true (sa_cache_apply_changes (cache, json_node_get_array (
                                               json_parser_get_root (parser)), page, &error));
      g_assert_no_error (error);
    }

  list = sa_appeal_list_new (cache);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, total);
  g_assert_true (sa_appeal_list_get_section_counts (list, counts, &error));
  g_assert_cmpuint (counts[SA_APPEAL_SECTION_ALL], ==, total);
  g_assert_cmpuint (counts[SA_APPEAL_SECTION_QUEUE], ==, total);
  for (guint i = 0; i < total; i++)
    {
      g_autoptr(SaAppealRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_nonnull (sa_appeal_row_get_reg_number (row));
      max_live = MAX (max_live, _sa_appeal_row_get_n_live ());
    }
  /* Also when jumping around, as a dragged scrollbar does. */
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(SaAppealRow) row = g_list_model_get_item (G_LIST_MODEL (list),
                                                          g_test_rand_int_range (0, total));

      max_live = MAX (max_live, _sa_appeal_row_get_n_live ());
    }
  g_test_message ("at most %u rows alive", max_live);
  g_assert_cmpuint (max_live, <=, 8 * 64 + 1);

  g_assert_finalize_object (list);
  g_assert_cmpuint (_sa_appeal_row_get_n_live (), ==, 0);
  g_assert_finalize_object (cache);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/sa/appeal-list/" path, Fixture, NULL, fixture_setup, fn, \
                                  fixture_teardown)
  ADD ("sort", test_sort);
  ADD ("sections", test_sections);
  ADD ("filters", test_filters);
  ADD ("due-second", test_due_second);
  ADD ("row", test_row);
  ADD ("items-changed", test_items_changed);
  ADD ("refill", test_refill);
  ADD ("executor", test_executor);
  ADD ("incremental", test_incremental);
  ADD ("reads-during-write", test_reads_during_write);
  ADD ("choices", test_choices);
  ADD ("lookup-user", test_lookup_user);
#undef ADD
  g_test_add_func ("/sa/appeal-list/bounded-rows", test_bounded_rows);
  g_test_add_func ("/sa/appeal-list/sections-for-roles", test_sections_for_roles);

  return g_test_run ();
}
