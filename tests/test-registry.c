/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-registry"

#include "config.h"

#include <string.h>

#include "sa-registry-db-private.h"
#include "sa-registry-templates.h"
#include "registry-test-util.h"
#include "sa-appeal-model.h"

typedef struct
{
  SaTestRegistry *r;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->r = sa_test_registry_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->r, sa_test_registry_free);
}

static JsonObject *
obj (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static char *
op_body (const char *op_id,
         const char *type,
         const char *appeal_id,
         gint64      base_version,
         const char *args_json)
{
  return g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"appeal_id\":\"%s\","
                          "\"base_version\":%" G_GINT64_FORMAT ",\"args\":%s}]}",
                          op_id, type, appeal_id, base_version,
                          args_json != NULL ? args_json : "{}");
}

/* Sends one op and returns its result object (a new reference). */
static JsonNode *
send_op (Fixture    *f,
         const char *token,
         const char *op_id,
         const char *type,
         const char *appeal_id,
         gint64      base_version,
         const char *args_json)
{
  g_autofree char *body = op_body (op_id, type, appeal_id, base_version, args_json);
  g_autoptr(JsonNode) json = NULL;
  JsonArray *results;
  guint status;

  status = sa_test_post (f->r, "/api/v1/ops", token, body, &json);
  g_assert_cmpuint (status, ==, 200);
  results = json_object_get_array_member (obj (json), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  return json_node_ref (json_array_get_element (results, 0));
}

static const char *
op_status (JsonNode *result)
{
  return sa_test_member_string (result, "status");
}

static gint64
appeal_version (JsonNode *result)
{
  JsonObject *appeal = json_object_get_object_member (obj (result), "appeal");

  g_assert_nonnull (appeal);
  return json_object_get_int_member (appeal, "version");
}

static guint
history_length (JsonNode *appeal)
{
  return json_array_get_length (json_object_get_array_member (obj (appeal), "history"));
}

/* Registers a heating appeal (lead agency HEAT) as the operator of CC-109. */
static JsonNode *
new_heating_appeal (Fixture *f,
                    guint    iin_n)
{
  g_autofree char *op = sa_test_login (f->r, "op.cc");
  g_autofree char *iin = sa_test_iin (iin_n);

  return sa_test_intake (f->r, op, "heating.no-heat", iin);
}

/* Pulls the whole feed as @token and tells whether appeal @id is in it
 * (and not as a removal). */
static gboolean
feed_has_appeal (Fixture    *f,
                 const char *token,
                 const char *id,
                 gboolean   *removed)
{
  gint64 since = 0;
  gboolean found = FALSE;
  gboolean more = TRUE;

  if (removed != NULL)
    *removed = FALSE;
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=50", since);
      g_autoptr(JsonNode) json = NULL;
      JsonArray *changes;

      g_assert_cmpuint (sa_test_get (f->r, path, token, &json), ==, 200);
      changes = json_object_get_array_member (obj (json), "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *c = json_array_get_object_element (changes, i);

          if (g_strcmp0 (json_object_get_string_member (c, "kind"), "appeal") == 0 &&
              g_strcmp0 (json_object_get_string_member (c, "id"), id) == 0)
            {
              gboolean is_removal = json_object_get_boolean_member_with_default (c, "removed",
                                                                                FALSE);
              found = !is_removal;
              if (removed != NULL)
                *removed = is_removal;
            }
        }
      g_assert_cmpint (json_object_get_int_member (obj (json), "next"), >=, since);
      since = json_object_get_int_member (obj (json), "next");
      more = json_object_get_boolean_member (obj (json), "more");
    }
  return found;
}

static gboolean
list_has_appeal (Fixture    *f,
                 const char *token,
                 const char *id)
{
  g_autoptr(JsonNode) json = NULL;
  JsonArray *appeals;

  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/appeals?limit=500", token, &json), ==, 200);
  appeals = json_object_get_array_member (obj (json), "appeals");
  for (guint i = 0; i < json_array_get_length (appeals); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (appeals, i),
                                                  "id"), id) == 0)
      return TRUE;
  return FALSE;
}

/* ---- health, metrics, reference data ---- */

static void
test_healthz_and_reference (Fixture       *f,
                            gconstpointer  data)
{
  /* /healthz, agencies and categories answer without a login; a category names its agency. */
  g_autoptr(JsonNode) health = NULL;
  g_autoptr(JsonNode) agencies = NULL;
  g_autoptr(JsonNode) categories = NULL;
  JsonArray *list;
  gboolean found = FALSE;

  g_assert_cmpuint (sa_test_get (f->r, "/healthz", NULL, &health), ==, 200);
  g_assert_cmpstr (sa_test_member_string (health, "status"), ==, "ok");

  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/agencies", NULL, &agencies), ==, 200);
  list = json_object_get_array_member (obj (agencies), "agencies");
  g_assert_cmpuint (json_array_get_length (list), ==, 5);

  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/categories", NULL, &categories), ==, 200);
  list = json_object_get_array_member (obj (categories), "categories");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *c = json_array_get_object_element (list, i);

      if (g_strcmp0 (json_object_get_string_member (c, "code"), "heating.no-heat") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (c, "agency"), ==, "HEAT");
          found = TRUE;
        }
    }
  g_assert_true (found);
}

static void
test_metrics (Fixture       *f,
              gconstpointer  data)
{
  /* /metrics counts requests by route and status and shows appeals by status and open WebSockets. */
  g_autoptr(JsonNode) appeal = new_heating_appeal (f, 1);
  g_autofree char *uri = g_strconcat (f->r->base, "/metrics", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  sa_registry_server_add_open_websockets (f->r->server, 2);
  sa_registry_server_add_open_websockets (f->r->server, -1);
  g_assert_cmpuint (sa_test_get (f->r, "/healthz", NULL, NULL), ==, 200);
  bytes = sa_test_send (f->r->session, msg);
  g_assert_nonnull (bytes);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (strstr (text, "sa_registry_requests_total{route=\"/api/v1/intake\","
                                  "status=\"201\"} 1"));
  g_assert_nonnull (strstr (text, "sa_registry_requests_total{route=\"/healthz\",status=\"200\"}"));
  g_assert_nonnull (strstr (text, "sa_registry_request_duration_seconds_bucket{route="
                                  "\"/api/v1/intake\",le=\"+Inf\"} 1"));
  g_assert_nonnull (strstr (text, "sa_registry_websockets_open 1\n"));
  g_assert_nonnull (strstr (text, "sa_registry_appeals{status=\"registered\"} 1\n"));
}

/* ---- auth ---- */

static void
test_login (Fixture       *f,
            gconstpointer  data)
{
  /* The right password signs in with tokens and the user; a wrong one and a disabled account do not. */
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(JsonNode) wrong = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  g_autoptr(JsonNode) disabled = NULL;
  g_autoptr(JsonNode) me = NULL;
  JsonObject *user;

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL,
                                  "{\"login\":\"exec.heat\",\"password\":\"pw-exec.heat\"}", &ok),
                    ==, 200);
  g_assert_cmpuint (strlen (sa_test_member_string (ok, "access_token")), >=, 43);
  g_assert_nonnull (sa_test_member_string (ok, "refresh_token"));
  g_assert_cmpint (sa_test_member_int (ok, "expires_in"), ==, 900);
  user = json_object_get_object_member (obj (ok), "user");
  g_assert_cmpstr (json_object_get_string_member (user, "login"), ==, "exec.heat");
  g_assert_cmpstr (json_object_get_string_member (user, "agency"), ==, "HEAT");
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "executor");
  g_assert_nonnull (json_object_get_string_member (user, "full_name"));

  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/me", sa_test_member_string (ok, "access_token"),
                                 &me), ==, 200);
  g_assert_cmpstr (sa_test_member_string (me, "login"), ==, "exec.heat");

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL,
                                  "{\"login\":\"exec.heat\",\"password\":\"nope\"}", &wrong),
                    ==, 401);
  g_assert_cmpstr (sa_test_error_code (wrong), ==, "invalid_credentials");
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL,
                                  "{\"login\":\"nobody\",\"password\":\"x\"}", &unknown),
                    ==, 401);
  g_assert_cmpstr (sa_test_error_code (unknown), ==, "invalid_credentials");
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL,
                                  "{\"login\":\"gone.heat\",\"password\":\"pw-gone.heat\"}",
                                  &disabled), ==, 403);
  g_assert_cmpstr (sa_test_error_code (disabled), ==, "account_disabled");
}

static void
test_login_throttle (Fixture       *f,
                     gconstpointer  data)
{
  /* After three wrong passwords for one login the next attempt answers 429 with Retry-After, even with the right password. */
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *uri = g_strconcat (f->r->base, "/api/v1/auth/login", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  const char *retry;

  for (int i = 0; i < 3; i++)
    g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL,
                                    "{\"login\":\"sup.heat\",\"password\":\"bad\"}", NULL),
                      ==, 401);
  msg = soup_message_new ("POST", uri);
  body = g_bytes_new_static ("{\"login\":\"sup.heat\",\"password\":\"pw-sup.heat\"}",
                             strlen ("{\"login\":\"sup.heat\",\"password\":\"pw-sup.heat\"}"));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = sa_test_send (f->r->session, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 429);
  retry = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  g_assert_nonnull (retry);
  g_assert_cmpint (atoi (retry), >=, 1);

  /* Another login from the same address is not held back yet. */
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL,
                                  "{\"login\":\"exec.heat\",\"password\":\"pw-exec.heat\"}",
                                  &json), ==, 200);
}

static void
test_refresh_rotation (Fixture       *f,
                       gconstpointer  data)
{
  /* A refresh token works once; reusing it ends the whole session, the rotated tokens included. */
  g_autoptr(JsonNode) login = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) reuse = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *body1 = NULL;
  g_autofree char *body2 = NULL;

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL,
                                  "{\"login\":\"exec.heat\",\"password\":\"pw-exec.heat\"}",
                                  &login), ==, 200);
  body1 = g_strdup_printf ("{\"refresh_token\":\"%s\"}",
                           sa_test_member_string (login, "refresh_token"));
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/refresh", NULL, body1, &first), ==, 200);
  g_assert_cmpstr (sa_test_member_string (first, "refresh_token"), !=,
                   sa_test_member_string (login, "refresh_token"));
  g_assert_cmpstr (sa_test_member_string (first, "access_token"), !=,
                   sa_test_member_string (login, "access_token"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj (first),
                                                                                 "user"),
                                                  "login"), ==, "exec.heat");
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/me", sa_test_member_string (first, "access_token"),
                                 NULL), ==, 200);

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/refresh", NULL, body1, &reuse), ==, 401);
  g_assert_cmpstr (sa_test_error_code (reuse), ==, "token_reused");

  body2 = g_strdup_printf ("{\"refresh_token\":\"%s\"}",
                           sa_test_member_string (first, "refresh_token"));
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/refresh", NULL, body2, &after), ==, 401);
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/me", sa_test_member_string (first, "access_token"),
                                 NULL), ==, 401);
}

static void
test_logout (Fixture       *f,
             gconstpointer  data)
{
  /* Logout revokes the access token and its refresh token. */
  g_autoptr(JsonNode) login = NULL;
  g_autofree char *refresh = NULL;
  const char *access;

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL,
                                  "{\"login\":\"cur\",\"password\":\"pw-cur\"}", &login), ==, 200);
  access = sa_test_member_string (login, "access_token");
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/me", access, NULL), ==, 200);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/logout", access, NULL, NULL), ==, 200);
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/me", access, NULL), ==, 401);
  refresh = g_strdup_printf ("{\"refresh_token\":\"%s\"}",
                             sa_test_member_string (login, "refresh_token"));
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/refresh", NULL, refresh, NULL), ==, 401);
}

static void
test_tokens_stored_hashed (Fixture       *f,
                           gconstpointer  data)
{
  /* The database holds only SHA-256 digests of tokens, never the tokens. */
  g_autoptr(JsonNode) login = NULL;
  sqlite3_stmt *stmt;
  guint n = 0;

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL,
                                  "{\"login\":\"cur\",\"password\":\"pw-cur\"}", &login), ==, 200);
  stmt = sa_registry_db_prepare (f->r->db, "SELECT hash FROM tokens", NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *hash = (const char *) sqlite3_column_text (stmt, 0);

      g_assert_cmpuint (strlen (hash), ==, 64);
      g_assert_cmpstr (hash, !=, sa_test_member_string (login, "access_token"));
      g_assert_cmpstr (hash, !=, sa_test_member_string (login, "refresh_token"));
      n++;
    }
  sqlite3_reset (stmt);
  g_assert_cmpuint (n, ==, 2);
}

/* ---- bad input ---- */

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  /* Malformed, too deep, too big, wrong type and unauthenticated requests get their JSON errors and change nothing. */
  g_autofree char *token = sa_test_login (f->r, "op.cc");
  g_autoptr(JsonNode) json = NULL;
  GString *deep = g_string_new ("{\"a\":");
  g_autofree char *big = NULL;
  sqlite3_stmt *stmt;

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", token, "{\"channel\":", &json), ==, 400);
  g_assert_cmpstr (sa_test_error_code (json), ==, "malformed_json");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", token, "[1,2]", &json), ==, 400);
  g_assert_cmpstr (sa_test_error_code (json), ==, "malformed_json");
  g_clear_pointer (&json, json_node_unref);

  for (int i = 0; i < 40; i++)
    g_string_append (deep, "[");
  for (int i = 0; i < 40; i++)
    g_string_append (deep, "]");
  g_string_append (deep, "}");
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", token, deep->str, &json), ==, 400);
  g_assert_cmpstr (sa_test_error_code (json), ==, "too_deep");
  g_clear_pointer (&json, json_node_unref);
  g_string_free (deep, TRUE);

  big = g_malloc (SA_REGISTRY_MAX_BODY + 2);
  memset (big, ' ', SA_REGISTRY_MAX_BODY + 1);
  big[0] = '{';
  big[SA_REGISTRY_MAX_BODY] = '}';
  big[SA_REGISTRY_MAX_BODY + 1] = '\0';
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", token, big, &json), ==, 413);
  g_assert_cmpstr (sa_test_error_code (json), ==, "too_large");
  g_clear_pointer (&json, json_node_unref);

  g_assert_cmpuint (sa_test_http (f->r->session, f->r->base, "POST", "/api/v1/intake", token,
                                  "text/plain", "{}", -1, &json), ==, 415);
  g_assert_cmpstr (sa_test_error_code (json), ==, "unsupported_media_type");
  g_clear_pointer (&json, json_node_unref);

  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/appeals", NULL, &json), ==, 401);
  g_assert_cmpstr (sa_test_error_code (json), ==, "unauthorized");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/appeals", "AAAAinvalid", &json), ==, 401);
  g_assert_cmpstr (sa_test_error_code (json), ==, "invalid_token");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", NULL, "{\"ops\":[]}", &json), ==, 401);
  g_clear_pointer (&json, json_node_unref);

  /* Members of the wrong type are refused, not asserted on. */
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/login", NULL,
                                  "{\"login\":{},\"password\":[1]}", &json), ==, 400);
  g_assert_cmpstr (sa_test_error_code (json), ==, "invalid");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/auth/refresh", NULL,
                                  "{\"refresh_token\":{\"a\":1}}", &json), ==, 400);
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", token,
                                  "{\"ops\":[{\"op_id\":[],\"type\":{}}, 7, null]}", &json),
                    ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json), "results")), ==, 3);
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", token,
                                  "{\"channel\":[],\"applicant\":\"x\",\"address\":5}", &json),
                    ==, 422);
  g_clear_pointer (&json, json_node_unref);

  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/nothing", token, &json), ==, 404);
  g_assert_cmpstr (sa_test_error_code (json), ==, "not_found");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (sa_test_http (f->r->session, f->r->base, "DELETE", "/api/v1/intake", token,
                                  NULL, NULL, 0, &json), ==, 405);
  g_clear_pointer (&json, json_node_unref);

  stmt = sa_registry_db_prepare (f->r->db, "SELECT COUNT (*) FROM appeals", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_reset (stmt);
}

/* ---- intake ---- */

static void
test_intake_valid (Fixture       *f,
                   gconstpointer  data)
{
  /* A valid intake answers 201 with a numbered appeal routed to the category's agency, Almaty-offset deadline and one history event. */
  g_autoptr(JsonNode) appeal = new_heating_appeal (f, 10);
  g_autoptr(GRegex) reg_re = g_regex_new ("^ALA-\\d{4}-\\d{6}$", 0, 0, NULL);
  g_autoptr(JsonNode) fetched = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = sa_test_login (f->r, "exec.heat");
  g_autofree char *iin = sa_test_iin (10);
  JsonObject *o = obj (appeal);
  JsonObject *applicant = json_object_get_object_member (o, "applicant");
  JsonArray *history = json_object_get_array_member (o, "history");

  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (o, "id")));
  g_assert_true (g_regex_match (reg_re, json_object_get_string_member (o, "reg_number"), 0,
                                NULL));
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "registered");
  g_assert_cmpstr (json_object_get_string_member (o, "agency"), ==, "HEAT");
  g_assert_cmpstr (json_object_get_string_member (o, "priority"), ==, "high");
  g_assert_cmpint (json_object_get_int_member (o, "version"), ==, 1);
  g_assert_false (json_object_get_boolean_member (o, "is_repeat"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "legal_due_at"),
                                   "T23:59:59+05:00"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "received_at"), "+05:00"));
  g_assert_cmpstr (json_object_get_string_member (applicant, "iin"), ==, iin);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "address"),
                                                  "district"), ==, "medeu");
  g_assert_cmpuint (json_array_get_length (history), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 0),
                                                  "type"), ==, "registered");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 0),
                                                  "actor"), ==, "op.cc");

  /* Stored: the lead agency's executor reads the same appeal back. */
  path = g_strconcat ("/api/v1/appeals/", json_object_get_string_member (o, "id"), NULL);
  g_assert_cmpuint (sa_test_get (f->r, path, token, &fetched), ==, 200);
  g_assert_cmpstr (sa_test_member_string (fetched, "reg_number"), ==,
                   json_object_get_string_member (o, "reg_number"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj (fetched),
                                                                                 "applicant"),
                                                  "phone"), ==, "+77011234567");
}

static void
expect_intake_error (Fixture    *f,
                     const char *token,
                     const char *body,
                     guint       status,
                     const char *code)
{
  g_autoptr(JsonNode) json = NULL;

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", token, body, &json), ==, status);
  g_assert_cmpstr (sa_test_error_code (json), ==, code);
}

static void
test_intake_invalid (Fixture       *f,
                     gconstpointer  data)
{
  /* Intake refuses a bad IIN, an unknown category, channel or district code, a short text, and non-operators; nothing is stored. */
  g_autofree char *op = sa_test_login (f->r, "op.cc");
  g_autofree char *exec = sa_test_login (f->r, "exec.heat");
  g_autofree char *iin = sa_test_iin (20);
  g_autofree char *bad_iin = g_strdup (iin);
  g_autofree char *body = NULL;
  sqlite3_stmt *stmt;

  bad_iin[11] = bad_iin[11] == '9' ? '0' : bad_iin[11] + 1;
  body = sa_test_intake_body ("heating.no-heat", bad_iin, "ул. Кунаева, 21", "medeu");
  expect_intake_error (f, op, body, 422, "invalid_iin");
  g_free (body);
  body = sa_test_intake_body ("heating.no-heat", "12345", "ул. Кунаева, 21", "medeu");
  expect_intake_error (f, op, body, 422, "invalid_iin");
  g_free (body);
  body = sa_test_intake_body ("heating.nonsense", iin, "ул. Кунаева, 21", "medeu");
  expect_intake_error (f, op, body, 422, "unknown_category");
  g_free (body);
  body = sa_test_intake_body ("heating.no-heat", iin, "ул. Кунаева, 21", "atlantis");
  expect_intake_error (f, op, body, 422, "unknown_district");
  g_free (body);
  body = sa_test_intake_body ("heating.no-heat", iin, "ул. Кунаева, 21", "medeu");
  expect_intake_error (f, exec, body, 403, "forbidden");

  {
    g_autofree char *short_text = g_strdup_printf (
        "{\"channel\":\"egov\",\"category\":\"heating.no-heat\",\"text\":\"холодно\","
        "\"applicant\":{\"name\":\"А\",\"iin\":\"%s\"},\"address\":{\"text\":\"x\","
        "\"district\":\"medeu\"}}", iin);
    g_autofree char *bad_channel = g_strdup_printf (
        "{\"channel\":\"pigeon\",\"category\":\"heating.no-heat\",\"text\":\"Нет отопления три дня\","
        "\"applicant\":{\"name\":\"А\",\"iin\":\"%s\"},\"address\":{\"text\":\"x\","
        "\"district\":\"medeu\"}}", iin);
    g_autofree char *bad_time = g_strdup_printf (
        "{\"channel\":\"egov\",\"category\":\"heating.no-heat\",\"text\":\"Нет отопления три дня\","
        "\"applicant\":{\"name\":\"А\",\"iin\":\"%s\"},\"address\":{\"text\":\"x\","
        "\"district\":\"medeu\"},\"received_at\":\"yesterday\"}", iin);

    expect_intake_error (f, op, short_text, 422, "invalid_text");
    expect_intake_error (f, op, bad_channel, 422, "invalid_channel");
    expect_intake_error (f, op, bad_time, 422, "invalid_received_at");
    {
      g_autofree char *ancient = g_strdup_printf (
          "{\"channel\":\"egov\",\"category\":\"heating.no-heat\",\"text\":\"Нет отопления три дня\","
          "\"applicant\":{\"name\":\"А\",\"iin\":\"%s\"},\"address\":{\"text\":\"x\","
          "\"district\":\"medeu\"},\"received_at\":\"0001-01-01T00:00:00Z\"}", iin);

      expect_intake_error (f, op, ancient, 422, "invalid_received_at");
    }
  }

  stmt = sa_registry_db_prepare (f->r->db, "SELECT COUNT (*) FROM appeals", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_reset (stmt);
}

static void
test_intake_derived_district (Fixture       *f,
                              gconstpointer  data)
{
  /* Without a district code the registry derives it from a known street or a district's name in the address. */
  g_autofree char *op = sa_test_login (f->r, "op.cc");
  g_autofree char *iin = sa_test_iin (30);
  g_autofree char *body1 = sa_test_intake_body ("water.no-cold", iin, "г. Алматы, ул. Жандосова, 58",
                                                NULL);
  g_autofree char *body2 = sa_test_intake_body ("roads.pothole", iin,
                                                "Алмалинский район, двор дома 5", NULL);
  g_autoptr(JsonNode) a1 = NULL;
  g_autoptr(JsonNode) a2 = NULL;

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", op, body1, &a1), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj (a1),
                                                                                 "address"),
                                                  "district"), ==, "bostandyk");
  g_assert_cmpstr (sa_test_member_string (a1, "agency"), ==, "WATER");
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", op, body2, &a2), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj (a2),
                                                                                 "address"),
                                                  "district"), ==, "almaly");
  g_assert_cmpstr (sa_test_member_string (a2, "agency"), ==, "AKIMAT-MEDEU");
}

static void
test_reg_numbers (Fixture       *f,
                  gconstpointer  data)
{
  /* Registration numbers are unique and consecutive across agencies. */
  g_autofree char *op = sa_test_login (f->r, "op.cc");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  static const char * const categories[] = { "heating.no-heat", "water.no-cold", "roads.pothole",
                                             "ksk.roof" };
  gint64 last = 0;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *iin = sa_test_iin (100 + i * 13);
      g_autoptr(JsonNode) appeal = sa_test_intake (f->r, op, categories[i % 4], iin);
      const char *reg = sa_test_member_string (appeal, "reg_number");
      gint64 n = g_ascii_strtoll (reg + 9, NULL, 10);

      g_assert_false (g_hash_table_contains (seen, reg));
      g_hash_table_add (seen, g_strdup (reg));
      if (last != 0)
        g_assert_cmpint (n, ==, last + 1);
      last = n;
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 12);
}

static void
test_repeat_flag (Fixture       *f,
                  gconstpointer  data)
{
  /* The same applicant on the same category within 15 days is linked as a repeat; another category or applicant is not. */
  g_autofree char *op = sa_test_login (f->r, "op.cc");
  g_autofree char *iin = sa_test_iin (40);
  g_autofree char *other_iin = sa_test_iin (41);
  g_autoptr(JsonNode) first = sa_test_intake (f->r, op, "heating.no-heat", iin);
  g_autoptr(JsonNode) second = sa_test_intake (f->r, op, "heating.no-heat", iin);
  g_autoptr(JsonNode) other_cat = sa_test_intake (f->r, op, "water.no-cold", iin);
  g_autoptr(JsonNode) other_person = sa_test_intake (f->r, op, "heating.no-heat", other_iin);
  g_autoptr(JsonNode) old = NULL;
  g_autoptr(JsonNode) after_old = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -20);
  g_autofree char *then_text = g_date_time_format_iso8601 (then);
  g_autofree char *iin3 = sa_test_iin (42);
  g_autofree char *body = NULL;

  g_assert_true (json_object_get_boolean_member (obj (second), "is_repeat"));
  g_assert_cmpstr (sa_test_member_string (second, "repeat_of"), ==,
                   sa_test_member_string (first, "id"));
  g_assert_false (json_object_get_boolean_member (obj (first), "is_repeat"));
  g_assert_false (json_object_get_boolean_member (obj (other_cat), "is_repeat"));
  g_assert_false (json_object_get_boolean_member (obj (other_person), "is_repeat"));

  /* 20 days earlier is outside the window. */
  body = sa_test_intake_body ("heating.no-heat", iin3, "ул. Кунаева, 21", "medeu");
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *o;

    g_assert_true (json_parser_load_from_data (parser, body, -1, NULL));
    o = json_node_get_object (json_parser_get_root (parser));
    json_object_set_string_member (o, "received_at", then_text);
    g_free (body);
    body = _sa_registry_json_to_string (json_parser_get_root (parser));
  }
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", op, body, &old), ==, 201);
  after_old = sa_test_intake (f->r, op, "heating.no-heat", iin3);
  g_assert_false (json_object_get_boolean_member (obj (after_old), "is_repeat"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (obj (after_old), "repeat_of")));
}

/* ---- visibility ---- */

typedef struct
{
  const char *login;
  gboolean    sees;
} Expect;

static void
check_visibility (Fixture       *f,
                  const char    *id,
                  const Expect  *expect,
                  guint          n)
{
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", id, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *token = sa_test_login (f->r, expect[i].login);
      g_autoptr(JsonNode) json = NULL;
      guint status = sa_test_get (f->r, path, token, &json);

      g_test_message ("%s should %ssee the appeal", expect[i].login, expect[i].sees ? "" : "not ");
      if (expect[i].sees)
        {
          g_assert_cmpuint (status, ==, 200);
          g_assert_cmpstr (sa_test_member_string (json, "id"), ==, id);
        }
      else
        {
          g_assert_cmpuint (status, ==, 404);
          g_assert_cmpstr (sa_test_error_code (json), ==, "not_found");
        }
      g_assert_cmpint (list_has_appeal (f, token, id), ==, expect[i].sees);
      g_assert_cmpint (feed_has_appeal (f, token, id, NULL), ==, expect[i].sees);
    }
}

static void
test_visibility_matrix (Fixture       *f,
                        gconstpointer  data)
{
  /* Each role sees exactly the appeals of its agency (lead, co-executor, escalated) or all (curator), on get, list and feed; others get 404. */
  g_autoptr(JsonNode) appeal = new_heating_appeal (f, 50);
  const char *id = sa_test_member_string (appeal, "id");
  g_autofree char *exec = sa_test_login (f->r, "exec.heat");
  g_autofree char *sup = sa_test_login (f->r, "sup.heat");
  g_autoptr(JsonNode) r1 = NULL;
  g_autoptr(JsonNode) r2 = NULL;
  g_autoptr(JsonNode) r3 = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autofree char *missing_path = NULL;
  g_autofree char *missing_id = g_uuid_string_random ();
  static const Expect registered[] = {
    { "exec.heat", TRUE }, { "sup.heat", TRUE }, { "cur", TRUE }, { "op.cc", TRUE },
    { "op.water", TRUE }, { "exec.water", FALSE }, { "sup.water", FALSE }, { "adm", FALSE },
    { "ksk.mgr", FALSE },
  };
  static const Expect in_work[] = {
    { "exec.heat", TRUE }, { "exec2.heat", TRUE }, { "op.cc", TRUE }, { "op.water", FALSE },
    { "exec.water", FALSE }, { "ksk.mgr", FALSE }, { "cur", TRUE }, { "adm", FALSE },
  };
  static const Expect shared[] = {
    { "ksk.mgr", TRUE }, { "exec.water", TRUE }, { "sup.water", TRUE }, { "exec.heat", TRUE },
  };

  check_visibility (f, id, registered, G_N_ELEMENTS (registered));

  r1 = send_op (f, exec, "6a1e3c2e-0000-4000-8000-000000000001", "take", id, 1, NULL);
  g_assert_cmpstr (op_status (r1), ==, "applied");
  check_visibility (f, id, in_work, G_N_ELEMENTS (in_work));

  r2 = send_op (f, sup, "6a1e3c2e-0000-4000-8000-000000000002", "add_coexecutor", id, 2,
                "{\"agency\":\"KSK-7\"}");
  g_assert_cmpstr (op_status (r2), ==, "applied");
  r3 = send_op (f, sup, "6a1e3c2e-0000-4000-8000-000000000003", "escalate", id, 3,
                "{\"agency\":\"WATER\",\"text\":\"Проверьте давление в сети\"}");
  g_assert_cmpstr (op_status (r3), ==, "applied");
  check_visibility (f, id, shared, G_N_ELEMENTS (shared));

  /* A missing appeal answers exactly like a hidden one. */
  missing_path = g_strconcat ("/api/v1/appeals/", missing_id, NULL);
  g_assert_cmpuint (sa_test_get (f->r, missing_path, exec, &missing), ==, 404);
  g_assert_cmpstr (sa_test_error_code (missing), ==, "not_found");
}

static void
test_feed_reference_and_colleagues (Fixture       *f,
                                    gconstpointer  data)
{
  /* The feed carries agencies, categories and the caller's colleagues, not other agencies' users, in sequence order. */
  g_autofree char *token = sa_test_login (f->r, "exec.water");
  g_autoptr(JsonNode) json = NULL;
  JsonArray *changes;
  gboolean agency = FALSE, category = FALSE, colleague = FALSE, stranger = FALSE;
  gint64 last = 0;

  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/changes?since=0&limit=2000", token, &json), ==,
                    200);
  g_assert_false (json_object_get_boolean_member (obj (json), "more"));
  changes = json_object_get_array_member (obj (json), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *c = json_array_get_object_element (changes, i);
      const char *kind = json_object_get_string_member (c, "kind");
      const char *id = json_object_get_string_member (c, "id");

      g_assert_cmpint (json_object_get_int_member (c, "seq"), >, last);
      last = json_object_get_int_member (c, "seq");
      g_assert_nonnull (json_object_get_object_member (c, "data"));
      agency |= g_strcmp0 (kind, "agency") == 0 && g_strcmp0 (id, "HEAT") == 0;
      category |= g_strcmp0 (kind, "category") == 0 && g_strcmp0 (id, "water.no-cold") == 0;
      colleague |= g_strcmp0 (kind, "user") == 0 && g_strcmp0 (id, "sup.water") == 0;
      stranger |= g_strcmp0 (kind, "user") == 0 && g_strcmp0 (id, "exec.heat") == 0;
    }
  g_assert_true (agency);
  g_assert_true (category);
  g_assert_true (colleague);
  g_assert_false (stranger);
}

static void
test_feed_paging_and_horizon (Fixture       *f,
                              gconstpointer  data)
{
  /* The feed pages with next/more, and a cursor below the horizon answers 410 while since=0 still works. */
  g_autofree char *cur = sa_test_login (f->r, "cur");
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autoptr(JsonNode) fresh = NULL;
  g_autoptr(GError) error = NULL;
  gint64 horizon;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) a = new_heating_appeal (f, 60 + i);
    }
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/changes?since=0&limit=2", cur, &page), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (page), "changes")),
                    ==, 2);
  g_assert_true (json_object_get_boolean_member (obj (page), "more"));
  g_assert_cmpint (sa_test_member_int (page, "next"), ==, 2);

  horizon = sa_registry_db_compact (f->r->db, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (horizon, >, 2);
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/changes?since=1", cur, &gone), ==, 410);
  g_assert_cmpstr (sa_test_error_code (gone), ==, "cursor_expired");
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/changes?since=0", cur, &fresh), ==, 200);
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/changes?since=x", cur, NULL), ==, 400);
}

/* ---- ops ---- */

static void
test_ops_apply_and_replay (Fixture       *f,
                           gconstpointer  data)
{
  /* An applied op bumps the version once and adds one history event; its replay answers "duplicate" and changes nothing. */
  g_autoptr(JsonNode) appeal = new_heating_appeal (f, 70);
  const char *id = sa_test_member_string (appeal, "id");
  g_autofree char *exec = sa_test_login (f->r, "exec.heat");
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", id, NULL);
  const char *op_id = "1d7a4f0e-1111-4111-8111-000000000001";
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) replay = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(JsonNode) comment = NULL;
  JsonObject *a;

  first = send_op (f, exec, op_id, "take", id, 1, NULL);
  g_assert_cmpstr (op_status (first), ==, "applied");
  g_assert_cmpstr (sa_test_member_string (first, "op_id"), ==, op_id);
  g_assert_cmpint (appeal_version (first), ==, 2);
  a = json_object_get_object_member (obj (first), "appeal");
  g_assert_cmpstr (json_object_get_string_member (a, "status"), ==, "in_progress");
  g_assert_cmpstr (json_object_get_string_member (a, "executor"), ==, "exec.heat");

  replay = send_op (f, exec, op_id, "take", id, 1, NULL);
  g_assert_cmpstr (op_status (replay), ==, "duplicate");
  g_assert_cmpint (appeal_version (replay), ==, 2);

  comment = send_op (f, exec, "1d7a4f0e-1111-4111-8111-000000000002", "comment", id, 2,
                     "{\"text\":\"Выехала бригада\"}");
  g_assert_cmpstr (op_status (comment), ==, "applied");

  g_assert_cmpuint (sa_test_get (f->r, path, exec, &stored), ==, 200);
  g_assert_cmpint (sa_test_member_int (stored, "version"), ==, 3);
  g_assert_cmpuint (history_length (stored), ==, 3);
}

static void
test_ops_op_id_reuse (Fixture       *f,
                      gconstpointer  data)
{
  /* The same op_id with other content, or from another user, is rejected as op_id_reused and changes nothing. */
  g_autoptr(JsonNode) appeal = new_heating_appeal (f, 80);
  const char *id = sa_test_member_string (appeal, "id");
  g_autofree char *exec = sa_test_login (f->r, "exec.heat");
  g_autofree char *sup = sa_test_login (f->r, "sup.heat");
  const char *op_id = "2e8b5a1f-2222-4222-8222-000000000001";
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(JsonNode) stranger = NULL;

  first = send_op (f, exec, op_id, "comment", id, 1, "{\"text\":\"Первый\"}");
  g_assert_cmpstr (op_status (first), ==, "applied");
  other = send_op (f, exec, op_id, "comment", id, 2, "{\"text\":\"Другой\"}");
  g_assert_cmpstr (op_status (other), ==, "rejected");
  g_assert_cmpstr (sa_test_member_string (other, "code"), ==, "op_id_reused");
  g_assert_nonnull (sa_test_member_string (other, "message"));
  stranger = send_op (f, sup, op_id, "comment", id, 1, "{\"text\":\"Первый\"}");
  g_assert_cmpstr (sa_test_member_string (stranger, "code"), ==, "op_id_reused");
}

static void
test_ops_conflict (Fixture       *f,
                   gconstpointer  data)
{
  /* An op based on a stale version answers conflict with the current appeal and is not applied. */
  g_autoptr(JsonNode) appeal = new_heating_appeal (f, 90);
  const char *id = sa_test_member_string (appeal, "id");
  g_autofree char *exec = sa_test_login (f->r, "exec.heat");
  g_autoptr(JsonNode) take = NULL;
  g_autoptr(JsonNode) stale = NULL;
  JsonObject *current;

  take = send_op (f, exec, "3f9c6b20-3333-4333-8333-000000000001", "take", id, 1, NULL);
  g_assert_cmpstr (op_status (take), ==, "applied");
  stale = send_op (f, exec, "3f9c6b20-3333-4333-8333-000000000002", "comment", id, 1,
                   "{\"text\":\"Старая версия\"}");
  g_assert_cmpstr (op_status (stale), ==, "conflict");
  current = json_object_get_object_member (obj (stale), "appeal");
  g_assert_cmpint (json_object_get_int_member (current, "version"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (current, "history")),
                    ==, 2);
}

static void
expect_rejected (Fixture    *f,
                 const char *login,
                 const char *type,
                 const char *appeal_id,
                 gint64      version,
                 const char *args,
                 const char *code)
{
  g_autofree char *token = sa_test_login (f->r, login);
  g_autofree char *op_id = g_uuid_string_random ();
  g_autoptr(JsonNode) result = send_op (f, token, op_id, type, appeal_id, version, args);

  g_test_message ("%s %s should be rejected with %s", login, type, code);
  g_assert_cmpstr (op_status (result), ==, "rejected");
  g_assert_cmpstr (sa_test_member_string (result, "code"), ==, code);
  g_assert_cmpuint (strlen (sa_test_member_string (result, "message")), >, 10);
}

static void
test_intake_no_district (Fixture       *f,
                         gconstpointer  data)
{
  /* An address whose district cannot be told is registered with no district (not refused) and waits in the operators' queue and its agency's feed like any new appeal. */
  g_autofree char *op = sa_test_login (f->r, "op.cc");
  g_autofree char *exec = sa_test_login (f->r, "exec.heat");
  g_autofree char *iin = sa_test_iin (31);
  g_autofree char *body = sa_test_intake_body ("heating.no-heat", iin, "ул. Неизвестная, 1",
                                               NULL);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) appeal = NULL;
  g_autoptr(JsonNode) queue = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonNode) stored = NULL;
  JsonObject *address;
  const char *id;
  gboolean queued = FALSE;

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", op, body, &appeal), ==, 201);
  id = sa_test_member_string (appeal, "id");
  address = json_object_get_object_member (obj (appeal), "address");
  g_assert_true (json_object_has_member (address, "district"));
  g_assert_true (json_object_get_null_member (address, "district"));
  g_assert_cmpstr (json_object_get_string_member (address, "text"), ==, "ул. Неизвестная, 1");
  g_assert_cmpstr (sa_test_member_string (appeal, "status"), ==, "registered");
  g_assert_cmpstr (sa_test_member_string (appeal, "agency"), ==, "HEAT");

  /* The operator's queue has it; so does its agency's feed. */
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/appeals?status=registered", op, &queue), ==, 200);
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (obj (queue),
                                                                            "appeals")); i++)
    queued |= g_strcmp0 (json_object_get_string_member (
                           json_array_get_object_element (
                             json_object_get_array_member (obj (queue), "appeals"), i), "id"),
                         id) == 0;
  g_assert_true (queued);
  g_assert_true (feed_has_appeal (f, exec, id, NULL));

  /* It is worked like any other: the operator ranks it on the queue, the lead agency takes
   * it; its district stays unknown until someone sets it. */
  result = send_op (f, op, "6c2f1e90-7777-4777-8777-000000000001", "set_priority", id, 1,
                    "{\"priority\":\"critical\"}");
  g_assert_cmpstr (op_status (result), ==, "applied");
  g_clear_pointer (&result, json_node_unref);
  result = send_op (f, exec, "6c2f1e90-7777-4777-8777-000000000002", "take", id, 2, NULL);
  g_assert_cmpstr (op_status (result), ==, "applied");
  path = g_strconcat ("/api/v1/appeals/", id, NULL);
  g_assert_cmpuint (sa_test_get (f->r, path, exec, &stored), ==, 200);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (obj (stored),
                                                                             "address"),
                                              "district"));
  g_assert_cmpstr (sa_test_member_string (stored, "status"), ==, "in_progress");
}

static void
test_ops_rejections (Fixture       *f,
                     gconstpointer  data)
{
  /* Ops outside one's role, agency or the appeal's status are rejected with a code and a sentence; the appeal stays unchanged. */
  g_autoptr(JsonNode) appeal = new_heating_appeal (f, 95);
  const char *id = sa_test_member_string (appeal, "id");
  g_autofree char *exec = sa_test_login (f->r, "exec.heat");
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", id, NULL);
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(JsonNode) bad = NULL;

  expect_rejected (f, "cur", "take", id, 1, NULL, "read_only");
  expect_rejected (f, "exec.water", "take", id, 1, NULL, "not_found");
  expect_rejected (f, "adm", "comment", id, 1, "{\"text\":\"x\"}", "not_found");
  expect_rejected (f, "exec.heat", "set_priority", id, 1, "{\"priority\":\"low\"}",
                   "supervisor_only");
  expect_rejected (f, "exec.heat", "assign", id, 1, "{\"user\":\"exec2.heat\"}",
                   "supervisor_only");
  expect_rejected (f, "sup.heat", "assign", id, 1, "{\"user\":\"exec.water\"}", "unknown_user");
  expect_rejected (f, "sup.heat", "set_priority", id, 1, "{\"priority\":\"urgent\"}",
                   "invalid_args");
  expect_rejected (f, "exec.heat", "forward", id, 1, "{\"agency\":\"NOWHERE\",\"reason\":\"x\"}",
                   "unknown_agency");
  expect_rejected (f, "exec.heat", "comment", id, 1, "{}", "invalid_args");
  expect_rejected (f, "exec.heat", "fly_away", id, 1, NULL, "unknown_type");

  {
    g_autoptr(JsonNode) take = send_op (f, exec, "4a0d7c31-4444-4444-8444-000000000001", "take",
                                        id, 1, NULL);

    g_assert_cmpstr (op_status (take), ==, "applied");
  }
  expect_rejected (f, "exec2.heat", "take", id, 2, NULL, "taken_by_other");
  expect_rejected (f, "exec.heat", "take", id, 2, NULL, "already_yours");

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", exec,
                                  "{\"ops\":[{\"op_id\":\"not-a-uuid\",\"type\":\"take\"}]}",
                                  &bad), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (obj (bad),
                                                                                  "results"),
                                                    0), "code"), ==, "invalid_op");

  g_assert_cmpuint (sa_test_get (f->r, path, exec, &stored), ==, 200);
  g_assert_cmpint (sa_test_member_int (stored, "version"), ==, 2);
  g_assert_cmpuint (history_length (stored), ==, 2);
}

static char *
days_after (const char *rfc3339,
            int         days)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_iso8601 (rfc3339, NULL);
  g_autoptr(GDateTime) later = g_date_time_add_days (t, days);

  return g_date_time_format (later, "%Y-%m-%dT%H:%M:%S%:z");
}

static void
test_ops_extend (Fixture       *f,
                 gconstpointer  data)
{
  /* A supervisor extends the legal deadline within two months with a reason; the event says by when to tell the applicant; beyond the cap or by an executor it is rejected. */
  g_autoptr(JsonNode) appeal = new_heating_appeal (f, 97);
  const char *id = sa_test_member_string (appeal, "id");
  const char *received = sa_test_member_string (appeal, "received_at");
  g_autofree char *sup = sa_test_login (f->r, "sup.heat");
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", id, NULL);
  g_autofree char *too_far = days_after (received, 70);
  g_autofree char *within = days_after (received, 40);
  g_autofree char *too_far_args = g_strdup_printf ("{\"due_at\":\"%s\",\"reason\":\"x\"}",
                                                   too_far);
  g_autofree char *args = g_strdup_printf ("{\"due_at\":\"%s\",\"reason\":\"Нужна экспертиза\"}",
                                           within);
  g_autofree char *op_id = g_uuid_string_random ();
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) wanted = NULL;
  JsonArray *history;
  JsonObject *event, *payload;

  expect_rejected (f, "exec.heat", "extend", id, 1, args, "supervisor_only");
  expect_rejected (f, "sup.heat", "extend", id, 1, too_far_args, "extension_too_long");
  expect_rejected (f, "sup.heat", "extend", id, 1, "{\"due_at\":\"2099-01-01T00:00:00Z\"}",
                   "invalid_args");

  result = send_op (f, sup, op_id, "extend", id, 1, args);
  g_assert_cmpstr (op_status (result), ==, "applied");
  g_assert_cmpint (appeal_version (result), ==, 2);

  g_assert_cmpuint (sa_test_get (f->r, path, sup, &stored), ==, 200);
  due = g_date_time_new_from_iso8601 (sa_test_member_string (stored, "legal_due_at"), NULL);
  wanted = g_date_time_new_from_iso8601 (within, NULL);
  /* The new deadline is the end of the requested Almaty day. */
  g_assert_true (g_str_has_suffix (sa_test_member_string (stored, "legal_due_at"),
                                   "T23:59:59+05:00"));
  g_assert_cmpint (g_date_time_to_unix (due), >=, g_date_time_to_unix (wanted));
  g_assert_cmpint (g_date_time_to_unix (due) - g_date_time_to_unix (wanted), <, 24 * 3600);
  history = json_object_get_array_member (obj (stored), "history");
  event = json_array_get_object_element (history, json_array_get_length (history) - 1);
  g_assert_cmpstr (json_object_get_string_member (event, "type"), ==, "extended");
  payload = json_object_get_object_member (event, "payload");
  g_assert_cmpstr (json_object_get_string_member (payload, "reason"), ==, "Нужна экспертиза");
  g_assert_nonnull (json_object_get_string_member (payload, "notify_applicant_by"));
}

/* The fields an op may change, as the desk and the registry show them. */
static void
assert_same_state (JsonObject *folded,
                   JsonObject *stored,
                   const char *op)
{
  static const char * const strings[] = {
    "status", "executor", "priority", "agency", "legal_due_at", "resolution_due_at",
  };
  static const char * const arrays[] = { "coexecutors", "escalated_to" };

  g_test_message ("parity after %s", op);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      /* A disagreement gives a new operational deadline from the
       * category's regulation, which only the registry knows; the desk
       * shows it once it syncs. */
      if (g_strcmp0 (op, "feedback") == 0 &&
          g_strcmp0 (strings[i], sa_deadline_field (SA_DEADLINE_RESOLUTION)) == 0)
        continue;
      g_assert_cmpstr (json_object_get_string_member_with_default (folded, strings[i], NULL), ==,
                       json_object_get_string_member_with_default (stored, strings[i], NULL));
    }
  g_assert_cmpint (json_object_get_boolean_member_with_default (folded, SA_APPEAL_FIELD_UNDER_CONTROL,
                                                                FALSE), ==,
                   json_object_get_boolean_member (stored, SA_APPEAL_FIELD_UNDER_CONTROL));
  /* When it was answered: the desk says when the supervisor approved, the
   * registry when it applied; both or neither. */
  g_assert_cmpint (json_object_get_string_member_with_default (folded, SA_APPEAL_FIELD_ANSWERED_AT,
                                                               NULL) != NULL, ==,
                   json_object_get_string_member_with_default (stored, SA_APPEAL_FIELD_ANSWERED_AT,
                                                               NULL) != NULL);
  g_assert_cmpint (json_object_get_int_member (folded, "version"), ==,
                   json_object_get_int_member (stored, "version"));
  for (guint i = 0; i < G_N_ELEMENTS (arrays); i++)
    {
      JsonArray *a = json_object_get_array_member (folded, arrays[i]);
      JsonArray *b = json_object_get_array_member (stored, arrays[i]);

      g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (b));
      for (guint j = 0; j < json_array_get_length (a); j++)
        g_assert_cmpstr (json_array_get_string_element (a, j), ==,
                         json_array_get_string_element (b, j));
    }
}

/* The replies the desk folds are the ones the registry stores, in the
 * same states, with the same text. */
static void
assert_same_replies (JsonObject *folded,
                     JsonObject *stored)
{
  JsonArray *a = json_object_get_array_member (folded, SA_APPEAL_FIELD_REPLIES);
  JsonArray *b = json_object_get_array_member (stored, SA_APPEAL_FIELD_REPLIES);

  g_assert_cmpuint (a != NULL ? json_array_get_length (a) : 0, ==, json_array_get_length (b));
  for (guint i = 0; i < json_array_get_length (b); i++)
    {
      JsonObject *x = json_array_get_object_element (a, i);
      JsonObject *y = json_array_get_object_element (b, i);
      static const char * const members[] = { "id", "kind", "state", "text", "visibility",
                                               "language", "author", "returned_comment" };

      for (guint m = 0; m < G_N_ELEMENTS (members); m++)
        g_assert_cmpstr (json_object_get_string_member_with_default (x, members[m], NULL), ==,
                         json_object_get_string_member_with_default (y, members[m], NULL));
      g_assert_cmpint (json_object_get_int_member (x, "version"), ==,
                       json_object_get_int_member (y, "version"));
    }
}

static void
test_ops_parity (Fixture       *f,
                 gconstpointer  data)
{
  /* Every op type, folded by the client over the registry's appeal and applied by the registry, gives the same status, people, priority, deadlines and version; its event says the same. */
  static const char pdf[] =
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
  g_autoptr(JsonNode) appeal = new_heating_appeal (f, 98);
  const char *id = sa_test_member_string (appeal, "id");
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", id, NULL);
  g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) pdf,
                                                     sizeof pdf - 1);
  g_autofree char *attach = g_strdup_printf ("{\"sha256\":\"%s\",\"name\":\"акт.pdf\"}", sha);
  g_autofree char *upload = g_strconcat ("/api/v1/attachments/", sha, NULL);
  g_autofree char *due = NULL;
  g_autofree char *extend = NULL;
  g_autofree char *sup_token = sa_test_login (f->r, "sup.heat");
  g_autofree char *exec_token = sa_test_login (f->r, "exec.heat");
  g_autofree char *op_token = sa_test_login (f->r, "op.cc");
  /* The curator sees the appeal wherever it is forwarded. */
  g_autofree char *reader = sa_test_login (f->r, "cur");
  g_autofree char *reply_id = g_uuid_string_random ();
  g_autofree char *save = g_strdup_printf ("{\"reply_id\":\"%s\",\"text\":\"Отопление "
                                           "восстановлено 12 ноября.\",\"visibility\":"
                                           "\"public\",\"language\":\"ru\"}", reply_id);
  g_autofree char *reply = g_strdup_printf ("{\"reply_id\":\"%s\"}", reply_id);
  /* KSK-7 is a co-executor that wrote no part. */
  g_autofree char *approve = g_strdup_printf ("{\"reply_id\":\"%s\",\"without_parts_reason\":"
                                              "\"КСК ответил устно\"}", reply_id);
  g_autofree char *give_back = g_strdup_printf ("{\"reply_id\":\"%s\",\"comment\":"
                                                "\"Укажите дату\"}", reply_id);
  const char *logins[] = { "exec.heat", "sup.heat", "op.cc" };
  const SaRole roles[] = { SA_ROLE_EXECUTOR, SA_ROLE_SUPERVISOR, SA_ROLE_OPERATOR };
  const char *tokens[] = { exec_token, sup_token, op_token };
  gboolean covered[SA_N_OP_TYPES] = { FALSE, };
  /* who: 0 the executor, 1 the supervisor, 2 the contact centre's operator */
  /* The contact centre answers a second, fresh appeal on the call. */
  g_autoptr(JsonNode) fresh = new_heating_appeal (f, 97);
  const char *ids[] = { id, sa_test_member_string (fresh, "id") };
  g_autofree char *fresh_path = g_strconcat ("/api/v1/appeals/", ids[1], NULL);
  const char *paths[] = { path, fresh_path };
  g_autofree char *quick_id = g_uuid_string_random ();
  g_autofree char *quick = g_strdup_printf ("{\"reply_id\":\"%s\",\"template_id\":"
                                            "\"work-scheduled-ru\",\"text\":\"Работы "
                                            "запланированы на 14 декабря.\",\"language\":\"ru\"}",
                                            quick_id);
  struct { guint sup; const char *type; const char *args; guint appeal; } steps[] = {
    { FALSE, "take", "{}" },
    { TRUE, "assign", "{\"user\":\"exec2.heat\"}" },
    { TRUE, "set_priority", "{\"priority\":\"critical\"}" },
    { TRUE, "add_coexecutor", "{\"agency\":\"KSK-7\"}" },
    { FALSE, "escalate", "{\"agency\":\"AKIMAT-MEDEU\",\"text\":\"Нужен доступ в подвал\","
                         "\"due_at\":\"2099-01-01T10:00:00+05:00\"}" },
    { FALSE, "comment", "{\"text\":\"Выезжаем сегодня\"}" },
    { FALSE, "attach", attach },
    { TRUE, "extend", NULL },
    { FALSE, "request_info", "{\"text\":\"Уточните номер квартиры\"}" },
    { 2, "info_received", "{\"text\":\"Квартира 12\"}" },
    { 0, "reply_save", NULL },
    { 0, "reply_submit", NULL },
    { 1, "reply_return", NULL },
    { 0, "reply_submit", NULL },
    { 1, "reply_approve", NULL },
    { 2, "feedback", "{\"agree\":false,\"rating\":2,\"comment\":\"Всё ещё холодно\"}" },
    { TRUE, "forward", "{\"agency\":\"WATER\",\"reason\":\"Это водоснабжение\"}" },
    { 2, "quick_answer", NULL, 1 },
  };

  g_assert_cmpuint (sa_test_http (f->r->session, f->r->base, "PUT", upload, exec_token,
                                  "application/pdf", pdf, sizeof pdf - 1, NULL), <, 300);
  due = days_after (sa_test_member_string (appeal, "received_at"), 40);
  extend = g_strdup_printf ("{\"due_at\":\"%s\",\"reason\":\"Нужна экспертиза\"}", due);
  steps[7].args = extend;
  steps[10].args = save;
  steps[11].args = reply;
  steps[12].args = give_back;
  steps[13].args = reply;
  steps[14].args = approve;
  steps[17].args = quick;
  g_assert_true (sa_registry_templates_load (f->r->db, NULL, NULL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(JsonNode) before = NULL;
      g_autoptr(JsonNode) after = NULL;
      g_autoptr(JsonNode) result = NULL;
      g_autoptr(JsonNode) args = json_from_string (steps[i].args, NULL);
      g_autofree char *op_id = g_uuid_string_random ();
      g_autoptr(JsonObject) folded = NULL;
      JsonArray *fh, *sh;
      JsonObject *fe, *se;
      SaActor actor = { logins[steps[i].sup], roles[steps[i].sup],
                        steps[i].sup == 2 ? "CC-109" : "HEAT" };
      SaOpType type;

      /* The lead agency's supervisor reads its unsent replies too; once
       * the appeal is forwarded away only the curator still sees it. */
      const char *before_reader = sup_token;
      const char *after_reader = g_strcmp0 (steps[i].type, "forward") == 0 ? reader : sup_token;

      g_assert_true (sa_op_type_from_string (steps[i].type, &type));
      covered[type] = TRUE;
      g_assert_cmpuint (sa_test_get (f->r, paths[steps[i].appeal], before_reader, &before), ==,
                        200);
      {
        /* json_node_copy() is shallow: fold into a tree of its own. */
        g_autofree char *text = json_to_string (before, FALSE);
        g_autoptr(JsonNode) copy = json_from_string (text, NULL);

        folded = json_object_ref (json_node_get_object (copy));
      }
      sa_appeal_fold_op (folded, type, &actor, json_node_get_object (args), op_id,
                         g_get_real_time () / G_USEC_PER_SEC);

      result = send_op (f, tokens[steps[i].sup], op_id, steps[i].type, ids[steps[i].appeal],
                        sa_test_member_int (before, "version"), steps[i].args);
      g_assert_cmpstr (op_status (result), ==, "applied");
      g_assert_cmpuint (sa_test_get (f->r, paths[steps[i].appeal], after_reader, &after), ==,
                        200);
      assert_same_state (folded, json_node_get_object (after), steps[i].type);
      if (after_reader == sup_token)
        assert_same_replies (folded, json_node_get_object (after));

      /* The pending event the desk shows is the event the registry records. */
      fh = json_object_get_array_member (folded, "history");
      sh = json_object_get_array_member (json_node_get_object (after), "history");
      fe = json_array_get_object_element (fh, json_array_get_length (fh) - 1);
      se = json_array_get_object_element (sh, json_array_get_length (sh) - 1);
      g_assert_cmpstr (json_object_get_string_member (fe, "type"), ==,
                       json_object_get_string_member (se, "type"));
      g_assert_cmpstr (json_object_get_string_member (se, "op_id"), ==, op_id);
      {
        JsonObject *fp = json_object_get_object_member (fe, "payload");
        JsonObject *sp = json_object_get_object_member (se, "payload");
        g_autoptr(GList) members = json_object_get_members (fp);

        for (GList *l = members; l != NULL; l = l->next)
          {
            JsonNode *a = json_object_get_member (fp, l->data);
            JsonNode *b = json_object_get_member (sp, l->data);

            g_assert_nonnull (b);
            if (JSON_NODE_HOLDS_NULL (a))
              g_assert_true (JSON_NODE_HOLDS_NULL (b));
            else
              g_assert_cmpstr (json_node_get_string (a), ==, json_node_get_string (b));
          }
      }
      json_object_unref (folded);
      folded = NULL;
    }
  for (guint t = 0; t < SA_N_OP_TYPES; t++)
    g_assert_true (covered[t]);
}

static void
test_ops_all_types (Fixture       *f,
                    gconstpointer  data)
{
  /* Every op type applies for the right person and records its event; a forward hands the appeal over and tells the old agency's feed. */
  g_autoptr(JsonNode) appeal = new_heating_appeal (f, 96);
  const char *id = sa_test_member_string (appeal, "id");
  g_autofree char *sup = sa_test_login (f->r, "sup.heat");
  g_autofree char *exec = sa_test_login (f->r, "exec.heat");
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", id, NULL);
  g_autoptr(JsonNode) stored = NULL;
  static const char * const events[] = {
    "registered", "assigned", "priority", "coexecutor_added", "escalated", "info_requested",
    "comment", "forwarded",
  };
  struct { const char *who, *type, *args; } steps[] = {
    { "sup", "assign", "{\"user\":\"exec2.heat\"}" },
    { "sup", "set_priority", "{\"priority\":\"critical\"}" },
    { "sup", "add_coexecutor", "{\"agency\":\"KSK-7\"}" },
    { "exec", "escalate", "{\"agency\":\"AKIMAT-MEDEU\",\"text\":\"Нужен доступ в подвал\","
                          "\"due_at\":\"2099-01-01T10:00:00+05:00\"}" },
    { "exec", "request_info", "{\"text\":\"Уточните номер квартиры\"}" },
    { "exec", "comment", "{\"text\":\"Ждём ответа заявителя\"}" },
    { "sup", "forward", "{\"agency\":\"WATER\",\"reason\":\"Это водоснабжение\"}" },
  };
  JsonArray *history;
  gboolean removed = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *op_id = g_uuid_string_random ();
      g_autoptr(JsonNode) result = send_op (f, strcmp (steps[i].who, "sup") == 0 ? sup : exec,
                                            op_id, steps[i].type, id, i + 1, steps[i].args);

      g_test_message ("step %s", steps[i].type);
      g_assert_cmpstr (op_status (result), ==, "applied");
      g_assert_cmpint (appeal_version (result), ==, i + 2);
    }

  /* HEAT lost the appeal: 404 now, and its feed says "removed". */
  g_assert_cmpuint (sa_test_get (f->r, path, exec, NULL), ==, 404);
  g_assert_false (feed_has_appeal (f, exec, id, &removed));
  g_assert_true (removed);

  {
    g_autofree char *water = sa_test_login (f->r, "exec.water");

    g_assert_cmpuint (sa_test_get (f->r, path, water, &stored), ==, 200);
  }
  g_assert_cmpstr (sa_test_member_string (stored, "agency"), ==, "WATER");
  g_assert_cmpstr (sa_test_member_string (stored, "priority"), ==, "critical");
  g_assert_cmpstr (sa_test_member_string (stored, "status"), ==, "registered");
  history = json_object_get_array_member (obj (stored), "history");
  g_assert_cmpuint (json_array_get_length (history), ==, G_N_ELEMENTS (events));
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, i),
                                                    "type"), ==, events[i]);
}

static void
on_feed_changed (SaRegistryDb *db,
                 gint64        seq,
                 gpointer      user_data)
{
  gint64 *last = user_data;

  *last = seq;
}

static void
test_feed_changed_signal (Fixture       *f,
                          gconstpointer  data)
{
  /* A committed change emits feed-changed with the feed's newest sequence; a rejected op emits nothing. */
  gint64 last = 0;
  gulong id = g_signal_connect (f->r->db, "feed-changed", G_CALLBACK (on_feed_changed), &last);
  g_autoptr(JsonNode) appeal = new_heating_appeal (f, 97);
  g_autofree char *cur = sa_test_login (f->r, "cur");
  g_autoptr(JsonNode) feed = NULL;
  g_autoptr(JsonNode) rejected = NULL;

  g_assert_cmpint (last, >, 0);
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/changes?since=0&limit=2000", cur, &feed), ==, 200);
  g_assert_cmpint (sa_test_member_int (feed, "next"), ==, last);

  last = 0;
  rejected = send_op (f, cur, "7c2f9e53-7777-4777-8777-000000000001", "take",
                      sa_test_member_string (appeal, "id"), 1, NULL);
  g_assert_cmpstr (op_status (rejected), ==, "rejected");
  g_assert_cmpint (last, ==, 0);
  g_signal_handler_disconnect (f->r->db, id);
}

static void
test_access_token_expiry (Fixture       *f,
                          gconstpointer  data)
{
  /* An access token past its expiry answers 401 invalid_token. */
  g_autofree char *token = sa_test_login (f->r, "exec.heat");
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/me", token, NULL), ==, 200);
  sa_registry_db_exec (f->r->db, "UPDATE tokens SET expires_at = 0 WHERE kind = 'access'", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sa_test_get (f->r, "/api/v1/me", token, &json), ==, 401);
  g_assert_cmpstr (sa_test_error_code (json), ==, "invalid_token");
}

/* ---- storage ---- */

static void
test_history_immutable (Fixture       *f,
                        gconstpointer  data)
{
  /* The database itself refuses UPDATE and DELETE on history and DELETE on appeals. */
  g_autoptr(JsonNode) appeal = new_heating_appeal (f, 99);
  sqlite3 *handle = sa_registry_db_get_handle (f->r->db);
  char *msg = NULL;

  g_assert_cmpint (sqlite3_exec (handle, "UPDATE history SET actor = 'mallory'", NULL, NULL, &msg),
                   !=, SQLITE_OK);
  g_assert_nonnull (strstr (msg, "append-only"));
  sqlite3_free (msg);
  g_assert_cmpint (sqlite3_exec (handle, "DELETE FROM history", NULL, NULL, &msg), !=, SQLITE_OK);
  g_assert_nonnull (strstr (msg, "append-only"));
  sqlite3_free (msg);
  g_assert_cmpint (sqlite3_exec (handle, "DELETE FROM appeals", NULL, NULL, &msg), !=, SQLITE_OK);
  g_assert_nonnull (strstr (msg, "never deleted"));
  sqlite3_free (msg);

  {
    sqlite3_stmt *stmt = sa_registry_db_prepare (f->r->db,
                                                 "SELECT COUNT (*) FROM history WHERE actor = 'op.cc'",
                                                 NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_reset (stmt);
  }
}

static void
test_schema_version (Fixture       *f,
                     gconstpointer  data)
{
  /* The schema is versioned (PRAGMA user_version), in WAL mode with foreign keys on, and reopening migrates nothing twice. */
  sqlite3_stmt *stmt;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaRegistryDb) again = NULL;

  stmt = sa_registry_db_prepare (f->r->db, "PRAGMA user_version", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, SA_REGISTRY_DB_SCHEMA_VERSION);
  sqlite3_reset (stmt);
  stmt = sa_registry_db_prepare (f->r->db, "PRAGMA journal_mode", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_reset (stmt);
  stmt = sa_registry_db_prepare (f->r->db, "PRAGMA foreign_keys", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);

  again = sa_registry_db_open (f->r->db_path, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  sa_test_registry_env ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/sa/registry/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

  ADD ("healthz-and-reference", test_healthz_and_reference);
  ADD ("metrics", test_metrics);
  ADD ("auth/login", test_login);
  ADD ("auth/throttle", test_login_throttle);
  ADD ("auth/refresh-rotation", test_refresh_rotation);
  ADD ("auth/logout", test_logout);
  ADD ("auth/tokens-stored-hashed", test_tokens_stored_hashed);
  ADD ("bad-input", test_bad_input);
  ADD ("intake/valid", test_intake_valid);
  ADD ("intake/invalid", test_intake_invalid);
  ADD ("intake/derived-district", test_intake_derived_district);
  ADD ("intake/no-district", test_intake_no_district);
  ADD ("intake/reg-numbers", test_reg_numbers);
  ADD ("intake/repeat-flag", test_repeat_flag);
  ADD ("rights/visibility-matrix", test_visibility_matrix);
  ADD ("feed/reference-and-colleagues", test_feed_reference_and_colleagues);
  ADD ("feed/paging-and-horizon", test_feed_paging_and_horizon);
  ADD ("ops/apply-and-replay", test_ops_apply_and_replay);
  ADD ("ops/op-id-reuse", test_ops_op_id_reuse);
  ADD ("ops/conflict", test_ops_conflict);
  ADD ("ops/rejections", test_ops_rejections);
  ADD ("ops/parity-with-client-fold", test_ops_parity);
  ADD ("ops/all-types", test_ops_all_types);
  ADD ("ops/extend", test_ops_extend);
  ADD ("feed/changed-signal", test_feed_changed_signal);
  ADD ("auth/access-token-expiry", test_access_token_expiry);
  ADD ("storage/history-immutable", test_history_immutable);
  ADD ("storage/schema-version", test_schema_version);

  return g_test_run ();
}
