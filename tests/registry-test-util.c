/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-test-registry"

#include "config.h"

#include <glib/gstdio.h>

#include "sa-registry-db-private.h"
#include "sa-iin.h"
#include "registry-test-util.h"

/* The documented test-only switch: minimum Argon2id cost. */
void
sa_test_registry_env (void)
{
  g_setenv ("SA_REGISTRY_PWHASH", "fast", TRUE);
}

char *
sa_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sa-registry-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
sa_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
exec_sql (SaRegistryDb *db,
          const char   *sql)
{
  g_autoptr(GError) error = NULL;

  sa_registry_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

/* A small fixed city: three districts, five agencies, four categories,
 * and one account per role (two for some), each "pw-<login>". */
void
sa_test_seed (SaRegistryDb *db)
{
  static const char * const users[][3] = {
    { "exec.heat", "HEAT", "executor" },
    { "exec2.heat", "HEAT", "executor" },
    { "sup.heat", "HEAT", "supervisor" },
    { "exec.water", "WATER", "executor" },
    { "sup.water", "WATER", "supervisor" },
    { "op.cc", "CC-109", "operator" },
    { "op.water", "WATER", "operator" },
    { "cur", "CC-109", "curator" },
    { "adm", "CC-109", "admin" },
    { "ksk.mgr", "KSK-7", "ksk_manager" },
    { "gone.heat", "HEAT", "executor" },
  };

  exec_sql (db,
            "BEGIN;"
            "INSERT INTO districts VALUES ('medeu', 'Медеуский район', 'Медеу ауданы'),"
            " ('almaly', 'Алмалинский район', 'Алмалы ауданы'),"
            " ('bostandyk', 'Бостандыкский район', 'Бостандық ауданы');"
            "INSERT INTO streets VALUES ('ул. Жандосова', 'bostandyk'),"
            " ('ул. Толе би', 'almaly');"
            "INSERT INTO agencies VALUES ('HEAT', 'Тепловые сети', 'Жылу желілері', 'utility', '*'),"
            " ('WATER', 'Алматы Су', 'Алматы Су', 'utility', '*'),"
            " ('AKIMAT-MEDEU', 'Аким Медеуского района', 'Медеу ауданы әкімі',"
            "  'district_akimat', 'medeu'),"
            " ('CC-109', 'Единый контакт-центр 109', '109 байланыс орталығы',"
            "  'contact_centre', '*'),"
            " ('KSK-7', 'КСК «Достык-7»', '«Достық-7» ПИК', 'ksk_osi', 'medeu');"
            "INSERT INTO categories VALUES"
            " ('heating.no-heat', 'Нет отопления', 'Жылу жоқ', 'heating', 'HEAT', 'high',"
            "  120, 1440, '24x7'),"
            " ('water.no-cold', 'Нет холодной воды', 'Суық су жоқ', 'water', 'WATER', 'high',"
            "  120, 1440, '24x7'),"
            " ('roads.pothole', 'Яма на дороге', 'Жолдағы шұңқыр', 'roads', 'AKIMAT-MEDEU',"
            "  'normal', 1440, 7200, 'working_hours'),"
            " ('ksk.roof', 'Протекает крыша', 'Шатыр ағып тұр', 'ksk', 'KSK-7', 'normal',"
            "  1440, 7200, 'working_hours');"
            "INSERT INTO feed (kind, entity_id) SELECT 'agency', code FROM agencies;"
            "INSERT INTO feed (kind, entity_id) SELECT 'category', code FROM categories;"
            "COMMIT;");

  /* Fixtures, like the demo accounts: inserted as they are, since
   * "pw-<login>" would not pass the password policy that
   * _sa_registry_user_add() enforces for real accounts. */
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *password = g_strconcat ("pw-", users[i][0], NULL);
      g_autofree char *hash = _sa_registry_password_hash (password, &error);
      sqlite3_stmt *stmt;

      g_assert_no_error (error);
      stmt = sa_registry_db_prepare (db, "INSERT INTO users (login, full_name, agency, role,"
                                         " pwhash, created_at) VALUES (?1, ?1, ?2, ?3, ?4, ?5)",
                                     &error);
      g_assert_no_error (error);
      sqlite3_bind_text (stmt, 1, users[i][0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, users[i][1], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, users[i][2], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, _sa_registry_now ());
      sa_registry_db_step_done (db, stmt, &error);
      g_assert_no_error (error);
      g_assert_cmpint (sa_registry_db_touch (db, "user", users[i][0], NULL, &error), >, 0);
      g_assert_no_error (error);
    }
  exec_sql (db, "UPDATE users SET disabled = 1 WHERE login = 'gone.heat'");
}

SaTestRegistry *
sa_test_registry_new (void)
{
  SaTestRegistry *r = g_new0 (SaTestRegistry, 1);
  g_autoptr(GError) error = NULL;

  _sa_registry_auth_reset_throttle ();
  r->dir = sa_test_make_dir ();
  r->db_path = g_build_filename (r->dir, "registry.db", NULL);
  r->db = sa_registry_db_open (r->db_path, &error);
  g_assert_no_error (error);
  sa_test_seed (r->db);

  r->server = sa_registry_server_new (r->db);
  sa_registry_server_listen (r->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sa_registry_server_get_port (r->server), >, 0);
  r->base = sa_registry_server_get_base_uri (r->server);
  r->session = soup_session_new ();
  return r;
}

void
sa_test_registry_free (SaTestRegistry *r)
{
  g_clear_object (&r->session);
  sa_registry_server_disconnect (r->server);
  g_assert_finalize_object (r->server);
  g_assert_finalize_object (r->db);
  sa_test_remove_dir (r->dir);
  g_free (r->dir);
  g_free (r->db_path);
  g_free (r->base);
  g_free (r);
}

typedef struct
{
  GBytes     *bytes;
  GError     *error;
  gboolean    done;
} HttpWait;

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  HttpWait *w = user_data;

  w->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &w->error);
  w->done = TRUE;
}

/* Sends @msg through the session's async API, iterating the main context
 * (where an in-process server runs too) until the answer. */
GBytes *
sa_test_send (SoupSession *session,
              SoupMessage *msg)
{
  HttpWait w = { 0 };

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (w.error);
  return w.bytes;
}

guint
sa_test_http (SoupSession  *session,
              const char   *base,
              const char   *method,
              const char   *path,
              const char   *token,
              const char   *content_type,
              const char   *body,
              gssize        body_len,
              JsonNode    **out_json)
{
  g_autofree char *uri = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) answer = NULL;
  guint status;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len < 0 ? strlen (body) : (gsize) body_len);

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  answer = sa_test_send (session, msg);
  status = soup_message_get_status (msg);

  if (out_json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize len;
      const char *data = g_bytes_get_data (answer, &len);

      *out_json = NULL;
      if (len > 0 && json_parser_load_from_data (parser, data, len, NULL))
        *out_json = json_node_ref (json_parser_get_root (parser));
    }
  return status;
}

guint
sa_test_get (SaTestRegistry *r,
             const char     *path,
             const char     *token,
             JsonNode      **out_json)
{
  return sa_test_http (r->session, r->base, "GET", path, token, NULL, NULL, 0, out_json);
}

guint
sa_test_post (SaTestRegistry *r,
              const char     *path,
              const char     *token,
              const char     *body,
              JsonNode      **out_json)
{
  return sa_test_http (r->session, r->base, "POST", path, token, "application/json", body, -1,
                       out_json);
}

char *
sa_test_login (SaTestRegistry *r,
               const char     *login)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"pw-%s\"}", login,
                                           login);
  g_autoptr(JsonNode) json = NULL;
  guint status = sa_test_post (r, "/api/v1/auth/login", NULL, body, &json);

  g_assert_cmpuint (status, ==, 200);
  return g_strdup (sa_test_member_string (json, "access_token"));
}

/* The n-th valid IIN of a series born 1 January 1990. */
char *
sa_test_iin (guint n)
{
  for (guint k = n;; k++)
    {
      g_autofree char *first = g_strdup_printf ("900101%05u", k % 100000);
      int check = sa_iin_check_digit (first);

      if (check >= 0)
        return g_strdup_printf ("%s%d", first, check);
    }
}

char *
sa_test_intake_body (const char *category,
                     const char *iin,
                     const char *address,
                     const char *district)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, "phone_109");
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, category);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, "Третий день нет отопления в квартире, батареи холодные.");
  json_builder_set_member_name (b, "applicant");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "Асанов Ерлан");
  json_builder_set_member_name (b, "iin");
  json_builder_add_string_value (b, iin);
  json_builder_set_member_name (b, "phone");
  json_builder_add_string_value (b, "+77011234567");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "address");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, address);
  if (district != NULL)
    {
      json_builder_set_member_name (b, "district");
      json_builder_add_string_value (b, district);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  return _sa_registry_json_to_string (node);
}

JsonNode *
sa_test_intake (SaTestRegistry *r,
                const char     *token,
                const char     *category,
                const char     *iin)
{
  g_autofree char *body = sa_test_intake_body (category, iin, "ул. Кунаева, 21", "medeu");
  JsonNode *json = NULL;
  guint status = sa_test_post (r, "/api/v1/intake", token, body, &json);

  g_assert_cmpuint (status, ==, 201);
  return json;
}

const char *
sa_test_error_code (JsonNode *node)
{
  JsonObject *err;

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  err = json_object_get_object_member (json_node_get_object (node), "error");
  g_assert_nonnull (err);
  g_assert_nonnull (json_object_get_string_member (err, "message"));
  return json_object_get_string_member (err, "code");
}

const char *
sa_test_member_string (JsonNode   *node,
                       const char *member)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_string_member_with_default (json_node_get_object (node), member, NULL);
}

gint64
sa_test_member_int (JsonNode   *node,
                    const char *member)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_int_member_with_default (json_node_get_object (node), member, -1);
}
