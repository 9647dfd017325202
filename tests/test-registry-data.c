/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-test-registry-data"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "sa-registry-db-private.h"
#include "registry-test-util.h"

/* What the registry takes in and gives out: nothing bent at intake, no
 * appeal twice, nothing a client cannot read in the feed, op results that
 * do not copy the world, and a /healthz that tells a full disk. */

typedef struct
{
  SaTestRegistry *r;
  char           *operator_token;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->r = sa_test_registry_new ();
  f->operator_token = sa_test_login (f->r, "op.cc");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->operator_token);
  g_clear_pointer (&f->r, sa_test_registry_free);
}

static JsonObject *
obj (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static gint64
count_rows (Fixture    *f,
            const char *sql)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (f->r->db, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
exec_sql (SaRegistryDb *db,
          const char   *sql)
{
  g_autoptr(GError) error = NULL;

  sa_registry_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

/* A valid intake body (sa_test_intake_body) as a tree to change. */
static JsonNode *
body_tree (guint iin_n)
{
  g_autofree char *iin = sa_test_iin (iin_n);
  g_autofree char *text = sa_test_intake_body ("heating.no-heat", iin, "ул. Кунаева, 21",
                                               "medeu");
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_ref (json_parser_get_root (parser));
}

static JsonObject *
member (JsonNode   *tree,
        const char *name)
{
  return json_object_get_object_member (json_node_get_object (tree), name);
}

/* Serializes @tree, then puts @raw where the placeholder integer 777777
 * or the placeholder string "@@RAW@@" stands: what no JSON builder writes
 * (1e999, \u0000) but a client may send. */
static char *
body_text (JsonNode   *tree,
           const char *raw)
{
  g_autofree char *text = _sa_registry_json_to_string (tree);
  g_autoptr(GString) out = g_string_new (text);

  if (raw != NULL)
    {
      g_string_replace (out, "777777", raw, 1);
      g_string_replace (out, "@@RAW@@", raw, 1);
    }
  return g_strdup (out->str);
}

/* Posts @body to /api/v1/intake as the operator; the status, and the
 * error code (or NULL) in @out_code. */
static guint
post_intake (Fixture     *f,
             const char  *token,
             const char  *body,
             JsonNode   **out_json)
{
  return sa_test_post (f->r, "/api/v1/intake", token != NULL ? token : f->operator_token, body,
                       out_json);
}

/* The body is refused with @code: 422 from intake, or 400 for what is
 * not strict JSON (\u0000, 1e999), which never reaches intake. */
static void
assert_refused (Fixture    *f,
                const char *body,
                const char *code)
{
  g_autoptr(JsonNode) json = NULL;
  guint status = post_intake (f, NULL, body, &json);
  guint expected = strcmp (code, "malformed_json") == 0 ? 400 : 422;

  if (status != expected || g_strcmp0 (sa_test_error_code (json), code) != 0)
    g_test_message ("%.300s → %u", body, status);
  g_assert_cmpuint (status, ==, expected);
  g_assert_cmpstr (sa_test_error_code (json), ==, code);
}

/* ------------------------------------------------------------------ */
/* Item 3: a poison appeal */

static void
test_coordinates_checked (Fixture       *f,
                          gconstpointer  data)
{
  /* A map point must be two finite numbers inside Almaty: 1e999, 1000, "x", true or a lone latitude are refused, a point in the city is kept. */
  static const struct
  {
    const char *lat;
    const char *lon;
    const char *code;
  } bad[] = {
    /* Not even strict JSON: refused before intake sees it. */
    { "1e999", "76.9", "malformed_json" },
    { "-1e999", "76.9", "malformed_json" },
    { "43.25", "1e999", "malformed_json" },
    { "1000", "76.9", "invalid_coordinates" },
    { "43.25", "-200", "invalid_coordinates" },
    { "\"x\"", "76.9", "invalid_coordinates" },
    { "true", "76.9", "invalid_coordinates" },
    { "43.25", NULL, "invalid_coordinates" },
    { "null", "76.9", "invalid_coordinates" },
    { "51.13", "71.43", "invalid_coordinates" },   /* Astana */
  };
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) good = body_tree (3);
  g_autofree char *good_text = NULL;
  JsonObject *address;
  gint64 before = count_rows (f, "SELECT COUNT (*) FROM appeals");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) tree = body_tree (3);
      g_autofree char *text = NULL;
      g_autoptr(GString) raw = NULL;

      address = member (tree, "address");
      json_object_set_int_member (address, "lat", 777777);
      if (bad[i].lon != NULL)
        json_object_set_int_member (address, "lon", 888888);
      text = body_text (tree, bad[i].lat);
      raw = g_string_new (text);
      if (bad[i].lon != NULL)
        g_string_replace (raw, "888888", bad[i].lon, 1);
      g_free (text);
      text = g_strdup (raw->str);
      assert_refused (f, text, bad[i].code);
    }
  g_assert_cmpint (count_rows (f, "SELECT COUNT (*) FROM appeals"), ==, before);

  address = member (good, "address");
  json_object_set_double_member (address, "lat", 43.2381);
  json_object_set_int_member (address, "lon", 77);
  good_text = body_text (good, NULL);
  g_assert_cmpuint (post_intake (f, NULL, good_text, &json), ==, 201);
  address = json_object_get_object_member (obj (json), "address");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (address, "lat"), 43.2381, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (address, "lon"), 77, 1e-9);
}

/* Pulls the whole feed as @token; the entry of appeal @id, or NULL. */
static JsonObject *
feed_entry (Fixture    *f,
            const char *token,
            const char *id)
{
  JsonObject *found = NULL;
  gint64 since = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=50", since);
      g_autoptr(JsonNode) json = NULL;
      JsonArray *changes;

      g_assert_cmpuint (sa_test_get (f->r, path, token, &json), ==, 200);
      /* The page must be JSON, whatever is stored. */
      g_assert_nonnull (json);
      changes = json_object_get_array_member (obj (json), "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *c = json_array_get_object_element (changes, i);

          if (g_strcmp0 (json_object_get_string_member (c, "id"), id) == 0)
            {
              g_clear_pointer (&found, json_object_unref);
              found = json_object_ref (c);
            }
        }
      since = json_object_get_int_member (obj (json), "next");
      more = json_object_get_boolean_member (obj (json), "more");
    }
  return found;
}

static void
test_feed_always_json (Fixture       *f,
                       gconstpointer  data)
{
  /* Whatever is stored (an infinite map point from before intake checked it, a history payload that is not JSON, bytes that are not UTF-8), the appeal and the feed page are JSON a client can read, with null for what JSON cannot carry. */
  g_autofree char *iin = sa_test_iin (5);
  g_autoptr(JsonNode) appeal = sa_test_intake (f->r, f->operator_token, "heating.no-heat", iin);
  g_autofree char *curator = sa_test_login (f->r, "cur");
  const char *id = sa_test_member_string (appeal, "id");
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", id, NULL);
  g_autofree char *poison = g_strdup_printf (
    "UPDATE appeals SET lat = 9e999, lon = -9e999, applicant_name = CAST (x'd0d0ff41' AS TEXT)"
    " WHERE id = '%s';"
    "INSERT INTO history (appeal_id, at, actor, type, payload)"
    " VALUES ('%s', 0, 'op.cc', 'comment', '{\"text\": inf');", id, id);
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(JsonObject) entry = NULL;
  JsonObject *address;
  JsonArray *history;

  exec_sql (f->r->db, poison);

  g_assert_cmpuint (sa_test_get (f->r, path, curator, &got), ==, 200);
  g_assert_nonnull (got);
  address = json_object_get_object_member (obj (got), "address");
  g_assert_true (json_object_get_null_member (address, "lat"));
  g_assert_true (json_object_get_null_member (address, "lon"));
  history = json_object_get_array_member (obj (got), "history");
  g_assert_cmpuint (json_array_get_length (history), ==, 2);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (history, 1),
                                              "payload"));

  entry = feed_entry (f, curator, id);
  g_assert_nonnull (entry);
  address = json_object_get_object_member (json_object_get_object_member (entry, "data"),
                                           "address");
  g_assert_true (json_object_get_null_member (address, "lat"));
}

/* ------------------------------------------------------------------ */
/* Item 11: intake is idempotent */

static void
test_intake_idempotent (Fixture       *f,
                        gconstpointer  data)
{
  /* A channel that sends the same intake again with its intake_id (its answer was lost) gets the same appeal, registered once; the same key with another body, or from another operator, is refused. */
  g_autoptr(JsonNode) tree = body_tree (7);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(JsonNode) foreign = NULL;
  g_autoptr(JsonNode) bad_key = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *text = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *other_operator = sa_test_login (f->r, "op.water");
  gint64 before = count_rows (f, "SELECT COUNT (*) FROM appeals");

  json_object_set_string_member (json_node_get_object (tree), "intake_id", key);
  text = body_text (tree, NULL);
  g_assert_cmpuint (post_intake (f, NULL, text, &first), ==, 201);
  g_assert_cmpuint (post_intake (f, NULL, text, &again), ==, 200);
  g_assert_cmpstr (sa_test_member_string (again, "id"), ==, sa_test_member_string (first, "id"));
  g_assert_cmpstr (sa_test_member_string (again, "reg_number"), ==,
                   sa_test_member_string (first, "reg_number"));
  g_assert_cmpint (count_rows (f, "SELECT COUNT (*) FROM appeals"), ==, before + 1);

  json_object_set_string_member (json_node_get_object (tree), "text",
                                 "Другое обращение: во дворе прорвало трубу.");
  changed = body_text (tree, NULL);
  g_assert_cmpuint (post_intake (f, NULL, changed, &other), ==, 422);
  g_assert_cmpstr (sa_test_error_code (other), ==, "intake_id_reused");
  g_assert_cmpuint (post_intake (f, other_operator, text, &foreign), ==, 422);
  g_assert_cmpstr (sa_test_error_code (foreign), ==, "intake_id_reused");

  json_object_set_string_member (json_node_get_object (tree), "intake_id", "not-a-uuid");
  g_free (changed);
  changed = body_text (tree, NULL);
  g_assert_cmpuint (post_intake (f, NULL, changed, &bad_key), ==, 422);
  g_assert_cmpstr (sa_test_error_code (bad_key), ==, "invalid_intake_id");
  g_assert_cmpint (count_rows (f, "SELECT COUNT (*) FROM appeals"), ==, before + 1);
}

/* ------------------------------------------------------------------ */
/* Item 13: every intake field has a type, a range and a length */

typedef void (*Change) (JsonNode *tree);

static void
change_text_nul (JsonNode *tree)
{
  json_object_set_string_member (json_node_get_object (tree), "text", "abcdefghij@@RAW@@klm");
}

static void
change_received_number (JsonNode *tree)
{
  json_object_set_int_member (json_node_get_object (tree), "received_at", 1764000000);
}

static void
change_received_bool (JsonNode *tree)
{
  json_object_set_boolean_member (json_node_get_object (tree), "received_at", TRUE);
}

static void
change_long_name (JsonNode *tree)
{
  g_autofree char *name = g_strnfill (201, 'a');

  json_object_set_string_member (member (tree, "applicant"), "name", name);
}

static void
change_name_control (JsonNode *tree)
{
  json_object_set_string_member (member (tree, "applicant"), "name", "Асанов\aЕрлан");
}

static void
change_name_number (JsonNode *tree)
{
  json_object_set_int_member (member (tree, "applicant"), "name", 42);
}

static void
change_long_phone (JsonNode *tree)
{
  g_autofree char *phone = g_strnfill (33, '7');

  json_object_set_string_member (member (tree, "applicant"), "phone", phone);
}

static void
change_phone_words (JsonNode *tree)
{
  json_object_set_string_member (member (tree, "applicant"), "phone", "call me after six");
}

static void
change_phone_number (JsonNode *tree)
{
  json_object_set_int_member (member (tree, "applicant"), "phone", 77011234567);
}

static void
change_long_email (JsonNode *tree)
{
  g_autofree char *local = g_strnfill (250, 'e');
  g_autofree char *email = g_strconcat (local, "@x.kz", NULL);

  json_object_set_string_member (member (tree, "applicant"), "email", email);
}

static void
change_bad_email (JsonNode *tree)
{
  json_object_set_string_member (member (tree, "applicant"), "email", "erlan at mail.kz");
}

static void
change_long_address (JsonNode *tree)
{
  g_autofree char *address = g_strnfill (501, 'a');

  json_object_set_string_member (member (tree, "address"), "text", address);
}

static void
change_long_language (JsonNode *tree)
{
  g_autofree char *language = g_strnfill (100000, 'r');

  json_object_set_string_member (json_node_get_object (tree), "language", language);
}

static void
change_other_language (JsonNode *tree)
{
  json_object_set_string_member (json_node_get_object (tree), "language", "klingon");
}

static void
change_unknown_field (JsonNode *tree)
{
  json_object_set_string_member (json_node_get_object (tree), "recieved_at",
                                 "2026-11-23T09:15:00+05:00");
}

static void
change_unknown_applicant_field (JsonNode *tree)
{
  json_object_set_string_member (member (tree, "applicant"), "passport", "N1234567");
}

static void
change_text_number (JsonNode *tree)
{
  json_object_set_int_member (json_node_get_object (tree), "text", 1234567890);
}

static void
change_text_control (JsonNode *tree)
{
  json_object_set_string_member (json_node_get_object (tree), "text",
                                 "Нет отопления\x1b[2J третий день подряд.");
}

static void
change_applicant_string (JsonNode *tree)
{
  json_object_set_string_member (json_node_get_object (tree), "applicant", "Асанов Ерлан");
}

static void
change_district_number (JsonNode *tree)
{
  json_object_set_int_member (member (tree, "address"), "district", 3);
}

static void
change_channel_number (JsonNode *tree)
{
  json_object_set_int_member (json_node_get_object (tree), "channel", 109);
}

static void
test_intake_strict (Fixture       *f,
                    gconstpointer  data)
{
  /* An intake field that does not fit its type, range or length is refused with its reason and nothing is stored — never cut at a NUL, turned into 0 or 1, or ignored; a body that uses every field well is registered as sent. */
  static const struct
  {
    Change      change;
    const char *raw;
    const char *code;
  } cases[] = {
    { change_text_nul, "\\u0000", "malformed_json" },
    { change_text_number, NULL, "invalid_text" },
    { change_text_control, NULL, "invalid_text" },
    { change_received_number, NULL, "invalid_received_at" },
    { change_received_bool, NULL, "invalid_received_at" },
    { change_long_name, NULL, "invalid_applicant" },
    { change_name_control, NULL, "invalid_applicant" },
    { change_name_number, NULL, "invalid_applicant" },
    { change_applicant_string, NULL, "invalid_applicant" },
    { change_long_phone, NULL, "invalid_contact" },
    { change_phone_words, NULL, "invalid_contact" },
    { change_phone_number, NULL, "invalid_contact" },
    { change_long_email, NULL, "invalid_contact" },
    { change_bad_email, NULL, "invalid_contact" },
    { change_long_address, NULL, "invalid_address" },
    { change_long_language, NULL, "invalid_language" },
    { change_other_language, NULL, "invalid_language" },
    { change_unknown_field, NULL, "unknown_field" },
    { change_unknown_applicant_field, NULL, "unknown_field" },
    { change_district_number, NULL, "unknown_district" },
    { change_channel_number, NULL, "invalid_channel" },
  };
  g_autoptr(JsonNode) good = body_tree (9);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *good_text = NULL;
  g_autofree char *received = NULL;
  gint64 before = count_rows (f, "SELECT COUNT (*) FROM appeals");
  JsonObject *o, *applicant, *address;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) tree = body_tree (9);
      g_autofree char *text = NULL;

      cases[i].change (tree);
      text = body_text (tree, cases[i].raw);
      assert_refused (f, text, cases[i].code);
    }
  g_assert_cmpint (count_rows (f, "SELECT COUNT (*) FROM appeals"), ==, before);

  /* Every field, each at a limit. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now (_sa_registry_almaty ());
    g_autoptr(GDateTime) earlier = g_date_time_add_hours (now, -2);
    g_autofree char *name = g_strnfill (200, 'a');

    received = g_date_time_format (earlier, "%Y-%m-%dT%H:%M:%S%:z");
    o = json_node_get_object (good);
    json_object_set_string_member (o, "received_at", received);
    json_object_set_string_member (o, "language", "kk");
    json_object_set_string_member (o, "text", "Жылу жоқ.\nБатареялар\tсуық.");
    json_object_set_string_member (member (good, "applicant"), "name", name);
    json_object_set_string_member (member (good, "applicant"), "email", "erlan@mail.kz");
    json_object_set_string_member (member (good, "applicant"), "phone", "+7 (701) 123-45-67");
    json_object_set_double_member (member (good, "address"), "lat", 43.25);
    json_object_set_double_member (member (good, "address"), "lon", 76.95);
  }
  good_text = body_text (good, NULL);
  g_assert_cmpuint (post_intake (f, NULL, good_text, &json), ==, 201);
  applicant = json_object_get_object_member (obj (json), "applicant");
  address = json_object_get_object_member (obj (json), "address");
  g_assert_cmpstr (json_object_get_string_member (obj (json), "language"), ==, "kk");
  g_assert_cmpstr (json_object_get_string_member (obj (json), "text"), ==,
                   "Жылу жоқ.\nБатареялар\tсуық.");
  g_assert_cmpuint (strlen (json_object_get_string_member (applicant, "name")), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (applicant, "phone"), ==,
                   "+7 (701) 123-45-67");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (address, "lat"), 43.25, 1e-9);
  {
    gint64 sent, got;

    g_assert_true (_sa_registry_parse_time (received, &sent));
    g_assert_true (_sa_registry_parse_time (json_object_get_string_member (obj (json),
                                                                           "received_at"),
                                            &got));
    g_assert_cmpint (got, ==, sent);
  }
}

/* ------------------------------------------------------------------ */
/* Item 12: an op's stored result */

static JsonObject *
send_comment (Fixture    *f,
              const char *token,
              const char *op_id,
              const char *appeal_id,
              gint64      base_version,
              const char *text)
{
  g_autofree char *body = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"comment\","
                                           "\"appeal_id\":\"%s\",\"base_version\":%"
                                           G_GINT64_FORMAT ",\"args\":{\"text\":\"%s\"}}]}",
                                           op_id, appeal_id, base_version, text);
  g_autoptr(JsonNode) json = NULL;
  JsonArray *results;

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", token, body, &json), ==, 200);
  results = json_object_get_array_member (obj (json), "results");
  return json_object_ref (json_array_get_object_element (results, 0));
}

static void
test_op_results_small (Fixture       *f,
                       gconstpointer  data)
{
  /* An applied op keeps only what its duplicate answer needs, however long the appeal's history grows; a replay answers the version the op made and the appeal as it is now, and no appeal to a user who no longer sees it. */
  g_autofree char *iin = sa_test_iin (11);
  g_autoptr(JsonNode) appeal = sa_test_intake (f->r, f->operator_token, "heating.no-heat", iin);
  g_autofree char *heat = sa_test_login (f->r, "exec.heat");
  g_autofree char *sup = sa_test_login (f->r, "sup.heat");
  g_autofree char *long_text = g_strnfill (4000, 'x');
  g_autofree char *first_op = g_uuid_string_random ();
  g_autoptr(JsonObject) replay = NULL;
  g_autoptr(JsonObject) gone = NULL;
  const char *id = sa_test_member_string (appeal, "id");
  gint64 version = sa_test_member_int (appeal, "version");

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *op_id = i == 0 ? g_strdup (first_op) : g_uuid_string_random ();
      g_autoptr(JsonObject) result = send_comment (f, heat, op_id, id, version, long_text);

      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
      /* The answer itself still carries the appeal after the op. */
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (result,
                                                                                  "appeal"),
                                                   "version"), ==, version + 1);
      version++;
    }
  /* 40 comments of 4,000 characters: 160 kB of history, copied into
   * every result it would be 3 MB. */
  g_assert_cmpint (count_rows (f, "SELECT MAX (length (result)) FROM ops"), <, 100);

  replay = send_comment (f, heat, first_op, id, sa_test_member_int (appeal, "version"),
                         long_text);
  g_assert_cmpstr (json_object_get_string_member (replay, "status"), ==, "duplicate");
  g_assert_cmpint (json_object_get_int_member (replay, "version"), ==,
                   sa_test_member_int (appeal, "version") + 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (replay, "appeal"),
                                               "version"), ==, version);

  /* Forwarded to the water utility, out of the heating executor's sight. */
  {
    g_autofree char *op_id = g_uuid_string_random ();
    g_autofree char *body = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"forward\","
                                             "\"appeal_id\":\"%s\",\"base_version\":%"
                                             G_GINT64_FORMAT ",\"args\":{\"agency\":\"WATER\","
                                             "\"reason\":\"Это водопровод\"}}]}",
                                             op_id, id, version);
    g_autoptr(JsonNode) json = NULL;

    g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", sup, body, &json), ==, 200);
  }
  gone = send_comment (f, heat, first_op, id, sa_test_member_int (appeal, "version"), long_text);
  g_assert_cmpstr (json_object_get_string_member (gone, "status"), ==, "duplicate");
  g_assert_false (json_object_has_member (gone, "appeal"));
}

static void
test_migration_repairs (Fixture       *f,
                  gconstpointer  data)
{
  /* A database an older registry left is repaired on opening: each op result shrinks to the op's status and version, an infinite map point becomes none, and the intake keys' table appears. */
  g_autofree char *dir = sa_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SaRegistryDb) db = NULL;
  g_autoptr(GString) fat = g_string_new ("{\"op_id\":\"0b6f7f4e-2c1d-4e53-9a39-5f0f3b1d2a10\","
                                         "\"status\":\"applied\",\"appeal\":{\"version\":7,"
                                         "\"history\":[");
  g_autofree char *insert_op = NULL;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < 20; i++)
    g_string_append_printf (fat, "%s{\"type\":\"comment\",\"payload\":{\"text\":\"%u\"}}",
                            i > 0 ? "," : "", i);
  g_string_append (fat, "]}}");

  /* Schema 3: before the repairs. */
  db = _sa_registry_db_open_at_version (path, 3, &error);
  g_assert_no_error (error);
  exec_sql (db,
            "INSERT INTO districts VALUES ('medeu', 'Медеуский район', 'Медеу ауданы');"
            "INSERT INTO agencies VALUES ('HEAT', 'Тепловые сети', 'Жылу желілері', 'utility',"
            " '*');"
            "INSERT INTO categories VALUES ('heating.no-heat', 'Нет отопления', 'Жылу жоқ',"
            " 'heating', 'HEAT', 'high', 120, 1440, '24x7');"
            "INSERT INTO appeals (id, reg_number, channel, status, priority, category, agency,"
            " applicant_iin, district, lat, lon, text, received_at, legal_due_at, created_at,"
            " updated_at) VALUES ('a1', 'ALA-2026-000001', 'open311', 'registered', 'high',"
            " 'heating.no-heat', 'HEAT', '900101000017', 'medeu', 9e999, 76.9, 'Нет отопления.',"
            " 0, 0, 0, 0),"
            " ('a2', 'ALA-2026-000002', 'open311', 'registered', 'high', 'heating.no-heat',"
            " 'HEAT', '900101000017', 'medeu', 43.25, 76.95, 'Нет отопления.', 0, 0, 0, 0);");
  stmt = sa_registry_db_prepare (db, "INSERT INTO ops (op_id, user_id, digest, result, at)"
                                     " VALUES ('0b6f7f4e-2c1d-4e53-9a39-5f0f3b1d2a10', 1, 'd',"
                                     " ?1, 0)", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, fat->str, -1, SQLITE_TRANSIENT);
  g_assert_true (sa_registry_db_step_done (db, stmt, &error));
  g_clear_object (&db);

  db = sa_registry_db_open (path, &error);
  g_assert_no_error (error);
  stmt = sa_registry_db_prepare (db, "SELECT result FROM ops", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==,
                   "{\"status\":\"applied\",\"version\":7}");
  sqlite3_reset (stmt);
  stmt = sa_registry_db_prepare (db, "SELECT id, lat, lon FROM appeals ORDER BY id", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_type (stmt, 1), ==, SQLITE_NULL);
  g_assert_cmpint (sqlite3_column_type (stmt, 2), ==, SQLITE_NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpfloat (sqlite3_column_double (stmt, 1), ==, 43.25);
  sqlite3_reset (stmt);
  stmt = sa_registry_db_prepare (db, "SELECT COUNT (*) FROM intakes", NULL);
  g_assert_nonnull (stmt);
  sqlite3_reset (stmt);
  g_clear_object (&db);
  sa_test_remove_dir (dir);
}

/* ------------------------------------------------------------------ */
/* Item 15: /healthz on a full disk */

static const char *
check (JsonNode   *health,
       const char *name)
{
  return json_object_get_string_member (json_object_get_object_member (obj (health), "checks"),
                                        name);
}

static void
set_file_size_limit (rlim_t limit)
{
  struct rlimit rl;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &rl), ==, 0);
  rl.rlim_cur = limit;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &rl), ==, 0);
}

static void
test_healthz_disk_full (Fixture       *f,
                        gconstpointer  data)
{
  /* While every write fails (no file may grow, as on a full disk), /healthz answers 503 naming the writes and the disk, not "ok"; once space is back it answers 200 again and intake works. */
  g_autoptr(JsonNode) health = NULL;
  g_autoptr(JsonNode) failing = NULL;
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autofree char *iin = sa_test_iin (13);
  g_autofree char *body = sa_test_intake_body ("heating.no-heat", iin, "ул. Кунаева, 21",
                                               "medeu");
  g_autoptr(JsonNode) appeal = NULL;
  GLogLevelFlags fatal;

  g_assert_cmpuint (sa_test_get (f->r, "/healthz", NULL, &health), ==, 200);
  g_assert_cmpstr (sa_test_member_string (health, "status"), ==, "ok");

  /* No file may grow: what a full disk does to the registry. */
  signal (SIGXFSZ, SIG_IGN);
  set_file_size_limit (0);
  /* The registry logs the failed write with a warning, as it should;
   * here that is not a test failure. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_assert_cmpuint (post_intake (f, NULL, body, &refused), ==, 500);
  g_log_set_always_fatal (fatal);
  g_assert_cmpuint (sa_test_get (f->r, "/healthz", NULL, &failing), ==, 503);
  set_file_size_limit (RLIM_INFINITY);
  signal (SIGXFSZ, SIG_DFL);

  {
    g_autofree char *text = _sa_registry_json_to_string (failing);

    g_test_message ("/healthz on a full disk: %s", text);
  }
  g_assert_cmpstr (sa_test_member_string (failing, "status"), ==, "unhealthy");
  g_assert_cmpstr (sa_test_error_code (failing), ==, "unhealthy");
  g_assert_cmpstr (check (failing, "database"), ==, "ok");
  g_assert_true (g_str_has_prefix (check (failing, "writes"), "failing: "));
  g_assert_true (g_str_has_prefix (check (failing, "disk"), "failing: "));

  g_assert_cmpuint (sa_test_get (f->r, "/healthz", NULL, &back), ==, 200);
  g_assert_cmpstr (sa_test_member_string (back, "status"), ==, "ok");
  g_assert_cmpstr (check (back, "database"), ==, "ok");
  g_assert_cmpstr (check (back, "writes"), ==, "ok");
  g_assert_cmpstr (check (back, "disk"), ==, "ok");
  g_assert_cmpuint (post_intake (f, NULL, body, &appeal), ==, 201);
}

int
main (int    argc,
      char **argv)
{
  sa_test_registry_env ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/sa/registry/data/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

  ADD ("coordinates-checked", test_coordinates_checked);
  ADD ("feed-always-json", test_feed_always_json);
  ADD ("intake-idempotent", test_intake_idempotent);
  ADD ("intake-strict", test_intake_strict);
  ADD ("op-results-small", test_op_results_small);
  ADD ("migration-repairs", test_migration_repairs);
  ADD ("healthz-disk-full", test_healthz_disk_full);

  return g_test_run ();
}
