/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include "sa-registry-store-private.h"

/* Reply templates: quick answers, city-wide or an agency's own, served to
 * the desks through the change feed (kind "template"). */

void
sa_store_template_free (SaStoreTemplate *t)
{
  if (t == NULL)
    return;
  g_free (t->id);
  g_free (t->agency);
  g_free (t->category);
  g_free (t->language);
  g_free (t->title);
  g_free (t->text);
  g_free (t);
}

/**
 * sa_store_template_get:
 * @db: the database
 * @id: the template's id
 *
 * Returns: (transfer full) (nullable): the template, or %NULL
 */
SaStoreTemplate *
sa_store_template_get (SaRegistryDb *db,
                       const char   *id)
{
  SaStoreTemplate *t = NULL;
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT id, agency, category, language, title, text, disabled"
                                 " FROM reply_templates WHERE id = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      t = g_new0 (SaStoreTemplate, 1);
      t->id = _sa_store_column_text (stmt, 0);
      t->agency = _sa_store_column_text (stmt, 1);
      t->category = _sa_store_column_text (stmt, 2);
      t->language = _sa_store_column_text (stmt, 3);
      t->title = _sa_store_column_text (stmt, 4);
      t->text = _sa_store_column_text (stmt, 5);
      t->disabled = sqlite3_column_int (stmt, 6) != 0;
    }
  sqlite3_reset (stmt);
  return t;
}

/**
 * sa_store_template_put:
 * @db: the database, inside a transaction
 * @t: the template as it should be
 * @by: who keeps it
 * @now: the registry's time
 * @out_changed: (out) (optional): whether anything changed
 * @error: return location for a #GError
 *
 * Creates or replaces a template; a change goes to the feed, for its
 * agency's users (or everyone's, for a city-wide one). The same template
 * put again changes nothing.
 *
 * Returns: %FALSE on a database failure
 */
gboolean
sa_store_template_put (SaRegistryDb           *db,
                       const SaStoreTemplate  *t,
                       const char             *by,
                       gint64                  now,
                       gboolean               *out_changed,
                       GError                **error)
{
  sqlite3_stmt *stmt;
  gboolean changed;

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO reply_templates (id, agency, category, language,"
                                 " title, text, disabled, updated_at, updated_by)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                                 " ON CONFLICT (id) DO UPDATE SET agency = ?2, category = ?3,"
                                 " language = ?4, title = ?5, text = ?6, disabled = ?7,"
                                 " updated_at = ?8, updated_by = ?9"
                                 " WHERE agency IS NOT ?2 OR category IS NOT ?3"
                                 " OR language IS NOT ?4 OR title IS NOT ?5 OR text IS NOT ?6"
                                 " OR disabled IS NOT ?7", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, t->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, t->agency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, t->category, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, t->language, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, t->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, t->text, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, t->disabled);
  sqlite3_bind_int64 (stmt, 8, now);
  sqlite3_bind_text (stmt, 9, by, -1, SQLITE_STATIC);
  if (!sa_registry_db_step_done (db, stmt, error))
    return FALSE;
  changed = sqlite3_changes (sa_registry_db_get_handle (db)) > 0;
  if (out_changed != NULL)
    *out_changed = changed;
  return !changed || sa_registry_db_touch (db, "template", t->id, t->agency, error) != 0;
}
