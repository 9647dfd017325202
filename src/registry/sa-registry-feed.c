/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-feed"

#include "config.h"

#include <string.h>

#include "sa-registry-private.h"
#include "sa-registry-store-private.h"

#define FEED_DEFAULT_LIMIT 500
#define FEED_MAX_LIMIT     2000

static void
add_agency (JsonBuilder  *b,
            sqlite3_stmt *stmt)
{
  g_auto(GStrv) districts = g_strsplit ((const char *) sqlite3_column_text (stmt, 4), ",", -1);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 0));
  json_builder_set_member_name (b, "name_ru");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 1));
  json_builder_set_member_name (b, "name_kk");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 2));
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 3));
  json_builder_set_member_name (b, "districts");
  json_builder_begin_array (b);
  for (guint i = 0; districts[i] != NULL; i++)
    if (*districts[i] != '\0')
      json_builder_add_string_value (b, districts[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_category (JsonBuilder  *b,
              sqlite3_stmt *stmt)
{
  static const char * const names[] = {
    "code", "name_ru", "name_kk", "sphere", "agency", "criticality",
  };

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      json_builder_set_member_name (b, names[i]);
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, i));
    }
  json_builder_set_member_name (b, "reaction_minutes");
  json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 6));
  json_builder_set_member_name (b, "resolution_minutes");
  json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 7));
  json_builder_set_member_name (b, "clock");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 8));
  json_builder_end_object (b);
}

#define AGENCY_SQL \
  "SELECT code, name_ru, name_kk, kind, districts FROM agencies"
#define CATEGORY_SQL \
  "SELECT code, name_ru, name_kk, sphere, default_agency, criticality, reaction_minutes," \
  " resolution_minutes, clock FROM categories"

static void
list_reference (SaRequest   *req,
                const char  *member,
                const char  *sql,
                void       (*add) (JsonBuilder *, sqlite3_stmt *))
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = sa_registry_db_prepare (req->db, sql, &error);

  if (stmt == NULL)
    {
      sa_request_reply_gerror (req, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    add (b, stmt);
  sqlite3_reset (stmt);
  json_builder_end_array (b);
  json_builder_end_object (b);
  sa_request_reply_builder (req, SOUP_STATUS_OK, b);
}

static void
agencies_handler (SaRequest *req)
{
  list_reference (req, "agencies", AGENCY_SQL " ORDER BY code", add_agency);
}

static void
categories_handler (SaRequest *req)
{
  list_reference (req, "categories", CATEGORY_SQL " ORDER BY code", add_category);
}

static void
add_district (JsonBuilder  *b,
              sqlite3_stmt *stmt)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 0));
  json_builder_set_member_name (b, "name_ru");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 1));
  json_builder_set_member_name (b, "name_kk");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 2));
  json_builder_end_object (b);
}

static void
districts_handler (SaRequest *req)
{
  list_reference (req, "districts",
                  "SELECT code, name_ru, name_kk FROM districts ORDER BY code", add_district);
}

/* Appends the entity's current state as the entry's "data"; FALSE when
 * it is gone (which the schema does not allow for appeals). */
static gboolean
append_entity_data (SaRegistryDb *db,
                    GString      *out,
                    const char   *kind,
                    const char   *id)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt = NULL;
  gsize mark = out->len;

  if (strcmp (kind, "appeal") == 0)
    {
      g_string_append (out, ",\"data\":");
      if (_sa_registry_appeal_write (db, id, TRUE, out))
        return TRUE;
      g_string_truncate (out, mark);
      return FALSE;
    }

  b = json_builder_new ();
  if (strcmp (kind, "user") == 0)
    {
      g_autoptr(SaRegistryUser) user = _sa_registry_user_lookup (db, id);

      if (user == NULL)
        return FALSE;
      _sa_registry_user_to_json (user, b);
    }
  else
    {
      if (strcmp (kind, "agency") == 0)
        stmt = sa_registry_db_prepare (db, AGENCY_SQL " WHERE code = ?1", NULL);
      else if (strcmp (kind, "category") == 0)
        stmt = sa_registry_db_prepare (db, CATEGORY_SQL " WHERE code = ?1", NULL);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      if (strcmp (kind, "agency") == 0)
        add_agency (b, stmt);
      else
        add_category (b, stmt);
      sqlite3_reset (stmt);
    }
  node = json_builder_get_root (b);
  text = _sa_registry_json_to_string (node);
  g_string_append (out, ",\"data\":");
  /* Reference data is typed in by people too: never let bytes that are
   * not UTF-8 make the page unreadable. */
  if (g_utf8_validate (text, -1, NULL))
    g_string_append (out, text);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      g_string_append (out, valid);
    }
  return TRUE;
}

static void
changes_handler (SaRequest *req)
{
  GString *out = NULL;
  g_autoptr(GError) error = NULL;
  guint64 since = 0;
  guint64 limit = FEED_DEFAULT_LIMIT;
  gint64 next;
  gint64 horizon;
  gboolean more = FALSE;
  g_autoptr(GPtrArray) rows = NULL;
  const char *value;

  value = sa_request_query (req, "since");
  if (value != NULL && !g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &since, NULL))
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "\"since\" must be a sequence number from an earlier answer.");
      return;
    }
  value = sa_request_query (req, "limit");
  if (value != NULL &&
      !g_ascii_string_to_unsigned (value, 10, 1, FEED_MAX_LIMIT, &limit, NULL))
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "\"limit\" must be 1 to 2000.");
      return;
    }

  /* Below the horizon, revocations the client needed have been pruned:
   * it must drop its cache and pull from 0. */
  horizon = sa_registry_db_get_feed_horizon (req->db);
  if (since != 0 && (gint64) since < horizon)
    {
      sa_request_reply_error (req, SOUP_STATUS_GONE, "cursor_expired",
                              "This cursor is older than the registry keeps; pull again "
                              "from since=0.");
      return;
    }

  rows = sa_store_feed_read (req->db, req->user, since, limit, &more, &error);
  if (rows == NULL)
    {
      sa_request_reply_gerror (req, error);
      return;
    }

  next = since;
  out = g_string_sized_new (64 * 1024);
  g_string_append (out, "{\"changes\":[");
  for (guint i = 0; i < rows->len; i++)
    {
      SaStoreFeedEntry *entry = g_ptr_array_index (rows, i);
      gboolean revoke = strcmp (entry->kind, "revoke") == 0;
      g_autofree char *entity_id = g_strdup (entry->entity_id);

      next = entry->seq;
      if (revoke && strchr (entity_id, '|') != NULL)
        *strchr (entity_id, '|') = '\0';
      g_string_append_printf (out, "%s{\"seq\":%" G_GINT64_FORMAT ",\"kind\":",
                              i > 0 ? "," : "", entry->seq);
      _sa_registry_json_append_string (out, revoke ? "appeal" : entry->kind);
      g_string_append (out, ",\"id\":");
      _sa_registry_json_append_string (out, entity_id);
      if (revoke || !append_entity_data (req->db, out, entry->kind, entry->entity_id))
        g_string_append (out, ",\"removed\":true");
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');

  /* Skip the invisible tail so that the next pull does not scan it again. */
  if (!more)
    next = MAX (next, sa_store_feed_head (req->db));

  g_string_append_printf (out, ",\"next\":%" G_GINT64_FORMAT ",\"more\":%s}", next,
                          more ? "true" : "false");
  sa_request_reply_text (req, SOUP_STATUS_OK, out);
}

void
_sa_registry_feed_register (SaRegistryServer *server)
{
  sa_registry_server_add_route (server, "GET", "/api/v1/agencies", SA_ROUTE_PUBLIC,
                                agencies_handler);
  sa_registry_server_add_route (server, "GET", "/api/v1/categories", SA_ROUTE_PUBLIC,
                                categories_handler);
  sa_registry_server_add_route (server, "GET", "/api/v1/districts", SA_ROUTE_PUBLIC,
                                districts_handler);
  sa_registry_server_add_route (server, "GET", "/api/v1/changes", SA_ROUTE_DEFAULT,
                                changes_handler);
}
