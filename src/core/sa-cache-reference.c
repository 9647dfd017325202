/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache"

#include "config.h"

#include <string.h>

#include "sa-cache-private.h"

/* Reference data the feed brings beside the appeals: agencies,
 * categories, users, districts (also from GET /api/v1/districts) and
 * reply templates, each in its table. */

gboolean
_sa_cache_delete_by_key (SaCacheConn *c,
                         const char  *sql,
                         const char  *key,
                         GError     **error)
{
  sqlite3_stmt *stmt = _sa_cache_prepare (c, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  return _sa_cache_step (c, stmt, error);
}

static gboolean
put_reference (SaCacheConn *c,
               const char  *kind,
               const char  *id,
               JsonObject  *data,
               GError     **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), data);
  g_autofree char *text = _sa_cache_to_json (node);
  sqlite3_stmt *stmt;

  if (strcmp (kind, "agency") == 0)
    stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO agencies (code, name_ru, name_kk, json)"
                                 " VALUES (?1, ?2, ?3, ?4)", error);
  else if (strcmp (kind, "category") == 0)
    stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO categories (code, name_ru, name_kk, json,"
                                 " agency) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  else if (strcmp (kind, "district") == 0)
    stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO districts (code, name_ru, name_kk)"
                                 " VALUES (?1, ?2, ?3)", error);
  else
    stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO users (login, full_name, agency, json,"
                                 " role, disabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (strcmp (kind, "user") == 0)
    {
      _sa_cache_bind_text (stmt, 2, _sa_cache_obj_string (data, "full_name"));
      _sa_cache_bind_text (stmt, 3, _sa_cache_obj_string (data, "agency"));
      sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
      _sa_cache_bind_text (stmt, 5, _sa_cache_obj_string (data, "role"));
      sqlite3_bind_int (stmt, 6, json_object_get_boolean_member_with_default (data, "disabled", FALSE));
    }
  else
    {
      _sa_cache_bind_text (stmt, 2, _sa_cache_obj_string (data, "name_ru"));
      _sa_cache_bind_text (stmt, 3, _sa_cache_obj_string (data, "name_kk"));
      if (strcmp (kind, "district") != 0)
        sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
      if (strcmp (kind, "category") == 0)
        _sa_cache_bind_text (stmt, 5, _sa_cache_obj_string (data, "agency"));
    }
  return _sa_cache_step (c, stmt, error);
}

/* A reply template as the feed gives it; a removed or disabled one is
 * no longer offered. */
static gboolean
put_template (SaCacheConn *c,
              const char  *id,
              JsonObject  *data,
              GError     **error)
{
  static const char * const members[] = { "agency", "category", "language", "title", "text" };
  sqlite3_stmt *stmt;

  if (data == NULL || json_object_get_boolean_member_with_default (data, "disabled", FALSE))
    return _sa_cache_delete_by_key (c, "DELETE FROM templates WHERE id = ?1", id, error);
  stmt = _sa_cache_prepare (c, "INSERT INTO templates (id, agency, category, language, title,"
                               " text) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO UPDATE"
                               " SET agency = ?2, category = ?3, language = ?4, title = ?5,"
                               " text = ?6", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    _sa_cache_bind_text (stmt, i + 2, _sa_cache_obj_string (data, members[i]));
  return _sa_cache_step (c, stmt, error);
}

/**
 * _sa_cache_is_reference_kind:
 * @kind: a change-feed entry's kind
 *
 * Returns: whether _sa_cache_put_reference() stores entries of @kind
 */
gboolean
_sa_cache_is_reference_kind (const char *kind)
{
  static const char * const kinds[] = { "agency", "category", "user", "district", "template",
                                        NULL };

  return kind != NULL && g_strv_contains (kinds, kind);
}

/**
 * _sa_cache_put_reference:
 * @c: the writer's connection, inside a transaction
 * @kind: a kind _sa_cache_is_reference_kind() accepts
 * @id: the entity's code, login or id
 * @data: (nullable): its state, or %NULL when the feed removed it
 * @error: return location for a #GError
 *
 * Returns: %FALSE on a storage failure
 */
gboolean
_sa_cache_put_reference (SaCacheConn *c,
                         const char  *kind,
                         const char  *id,
                         JsonObject  *data,
                         GError     **error)
{
  if (strcmp (kind, "template") == 0)
    return put_template (c, id, data, error);
  if (data == NULL)
    {
      const char *sql = strcmp (kind, "agency") == 0
                        ? "DELETE FROM agencies WHERE code = ?1"
                        : strcmp (kind, "category") == 0
                        ? "DELETE FROM categories WHERE code = ?1"
                        : strcmp (kind, "district") == 0
                        ? "DELETE FROM districts WHERE code = ?1"
                        : "DELETE FROM users WHERE login = ?1";
      return _sa_cache_delete_by_key (c, sql, id, error);
    }
  return put_reference (c, kind, id, data, error);
}

/**
 * sa_cache_put_districts:
 * @self: a #SaCache
 * @districts: the `districts` array of `GET /api/v1/districts`
 * @error: return location for a #GError
 *
 * Stores the district names (reference data outside the feed).
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_put_districts (SaCache    *self,
                        JsonArray  *districts,
                        GError    **error)
{
  SaCacheConn *c;
  gboolean ok = TRUE;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (districts != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  ok = _sa_cache_begin (c, FALSE, error);
  for (guint i = 0; ok && i < json_array_get_length (districts); i++)
    {
      JsonNode *node = json_array_get_element (districts, i);
      JsonObject *d = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (_sa_cache_obj_string (d, "code") != NULL)
        ok = put_reference (c, "district", _sa_cache_obj_string (d, "code"), d, error);
    }
  if (ok)
    ok = _sa_cache_commit (c, FALSE, error);
  else
    _sa_cache_rollback (c, FALSE);
  g_mutex_unlock (&c->lock);
  return ok;
}
