/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache"

#include "config.h"

#include "sa-cache-private.h"

/* Reading one appeal, on the main thread's connection. */

static JsonNode *
read_appeal_json (SaCache     *self,
                  const char  *appeal_id,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  JsonNode *node = NULL;

  g_mutex_lock (&self->reader.lock);
  stmt = _sa_cache_prepare (&self->reader, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        node = _sa_cache_parse_json ((const char *) sqlite3_column_text (stmt, 0));
      else
        g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_NOT_FOUND,
                     "No appeal %s in the cache", appeal_id);
      sqlite3_reset (stmt);
    }
  g_mutex_unlock (&self->reader.lock);
  return node;
}

/**
 * sa_cache_get_appeal:
 * @self: a #SaCache
 * @appeal_id: the appeal's UUID
 * @error: return location for a #GError
 *
 * The appeal as the user should see it: the registry's last state with
 * the pending operations on top (pending history items carry
 * `"pending": true` and their `op_id`).
 *
 * Returns: (transfer full): the appeal, or %NULL
 */
JsonNode *
sa_cache_get_appeal (SaCache     *self,
                     const char  *appeal_id,
                     GError     **error)
{
  g_return_val_if_fail (SA_IS_CACHE (self), NULL);
  g_return_val_if_fail (appeal_id != NULL, NULL);
  return read_appeal_json (self, appeal_id, "SELECT d.json FROM appeals a JOIN appeal_docs d"
                           " USING (rid) WHERE a.id = ?1", error);
}

/**
 * _sa_cache_get_server_appeal:
 * @self: a #SaCache
 * @appeal_id: the appeal's UUID
 * @error: return location for a #GError
 *
 * The registry's last known appeal, without local operations: what a
 * conflict view shows opposite the user's change.
 *
 * Returns: (transfer full): the appeal, or %NULL
 */
JsonNode *
_sa_cache_get_server_appeal (SaCache     *self,
                             const char  *appeal_id,
                             GError     **error)
{
  g_return_val_if_fail (SA_IS_CACHE (self), NULL);
  g_return_val_if_fail (appeal_id != NULL, NULL);
  return read_appeal_json (self, appeal_id, "SELECT d.server_json FROM appeals a"
                           " JOIN appeal_docs d USING (rid) WHERE a.id = ?1", error);
}

/**
 * _sa_cache_get_offline_state:
 * @self: a #SaCache
 * @appeal_id: the appeal's UUID
 *
 * Returns: the appeal's #SaOfflineState (%SA_OFFLINE_SYNCED if unknown)
 */
SaOfflineState
_sa_cache_get_offline_state (SaCache    *self,
                             const char *appeal_id)
{
  sqlite3_stmt *stmt;
  SaOfflineState state = SA_OFFLINE_SYNCED;

  g_return_val_if_fail (SA_IS_CACHE (self), SA_OFFLINE_SYNCED);
  g_return_val_if_fail (appeal_id != NULL, SA_OFFLINE_SYNCED);

  g_mutex_lock (&self->reader.lock);
  stmt = _sa_cache_prepare (&self->reader, "SELECT offline_state FROM appeals WHERE id = ?1", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        state = sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
    }
  g_mutex_unlock (&self->reader.lock);
  return state;
}

/**
 * sa_cache_mark_opened:
 * @self: a #SaCache
 * @appeal_id: the appeal's UUID
 * @error: return location for a #GError
 *
 * Remembers that the user opened the appeal (the list stops showing it
 * as unread until someone else changes it). A local flag, never pushed.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_mark_opened (SaCache     *self,
                      const char  *appeal_id,
                      GError     **error)
{
  SaCacheConn *c;
  sqlite3_stmt *stmt;
  gboolean ok, changed_any;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (appeal_id != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  stmt = _sa_cache_prepare (c, "UPDATE appeals SET opened = 1 WHERE id = ?1 AND opened = 0", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
      ok = _sa_cache_step (c, stmt, error);
    }
  changed_any = ok && sqlite3_changes (c->db) > 0;
  g_mutex_unlock (&c->lock);
  if (changed_any)
    {
      g_autoptr(GPtrArray) changed = g_ptr_array_new ();

      g_ptr_array_add (changed, (gpointer) appeal_id);
      _sa_cache_emit_changed (self, changed);
    }
  return ok;
}
