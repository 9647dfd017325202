/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include "sa-registry-store-private.h"

/* The visibility rule's statements: sa-registry-rights.c says the rule in
 * words, SA_REGISTRY_VISIBLE_SQL() in SQL. */

/* Binds the parameters ?101 (role) and ?102 (agency) that
 * SA_REGISTRY_VISIBLE_SQL() uses. */
void
_sa_registry_bind_visibility (sqlite3_stmt   *stmt,
                              SaRegistryUser *user)
{
  sqlite3_bind_text (stmt, 101, sa_role_to_string (user->role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 102, user->agency, -1, SQLITE_STATIC);
}

/**
 * sa_registry_user_can_see_appeal:
 * @db: the database
 * @user: the signed-in user
 * @appeal_id: an appeal's UUID
 *
 * The check every endpoint, the change feed and the WebSocket use. A
 * missing appeal and one @user may not see are the same answer: %FALSE.
 *
 * Returns: whether @user may see the appeal
 */
gboolean
sa_registry_user_can_see_appeal (SaRegistryDb   *db,
                                 SaRegistryUser *user,
                                 const char     *appeal_id)
{
  sqlite3_stmt *stmt;
  gboolean visible = FALSE;

  g_return_val_if_fail (SA_IS_REGISTRY_DB (db), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  if (appeal_id == NULL)
    return FALSE;
  stmt = sa_registry_db_prepare (db,
                                 "SELECT 1 FROM appeals a WHERE a.id = ?1 AND "
                                 SA_REGISTRY_VISIBLE_SQL ("a"), NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  _sa_registry_bind_visibility (stmt, user);
  visible = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return visible;
}
