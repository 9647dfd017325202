/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include "sa-registry-store-private.h"

/* The change feed, read by GET /api/v1/changes and judged by the push:
 * both with SA_REGISTRY_FEED_VISIBLE_SQL_FOR, so that a hint never
 * promises what the feed does not give. */

void
sa_store_feed_entry_free (SaStoreFeedEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->kind);
  g_free (entry->entity_id);
  g_free (entry);
}

void
sa_store_audience_news_free (SaStoreAudienceNews *news)
{
  if (news == NULL)
    return;
  g_free (news->role);
  g_free (news->agency);
  g_free (news);
}

/**
 * sa_store_feed_read:
 * @db: the database
 * @user: the reader
 * @since: the cursor: entries after this sequence number
 * @limit: at most this many entries
 * @more: (out): whether more visible entries follow
 * @error: return location for a #GError
 *
 * Reads the entries of the change feed @user may see, in order.
 *
 * Returns: (transfer full) (element-type SaStoreFeedEntry): the entries,
 *   or %NULL on error
 */
GPtrArray *
sa_store_feed_read (SaRegistryDb    *db,
                    SaRegistryUser  *user,
                    gint64           since,
                    guint            limit,
                    gboolean        *more,
                    GError         **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;

  *more = FALSE;
  stmt = sa_registry_db_prepare (db,
                                 "SELECT f.seq, f.kind, f.entity_id FROM feed f WHERE f.seq > ?1"
                                 " AND " SA_REGISTRY_FEED_VISIBLE_SQL_FOR ("f", "?101", "?102")
                                 " ORDER BY f.seq LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);
  _sa_registry_bind_visibility (stmt, user);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_store_feed_entry_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SaStoreFeedEntry *entry;

      if (rows->len == limit)
        {
          *more = TRUE;
          break;
        }
      entry = g_new (SaStoreFeedEntry, 1);
      entry->seq = sqlite3_column_int64 (stmt, 0);
      entry->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->entity_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (rows, entry);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&rows);
}

/**
 * sa_store_feed_head:
 * @db: the database
 *
 * Returns: the newest sequence number of the feed, 0 when it is empty
 */
gint64
sa_store_feed_head (SaRegistryDb *db)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (db, "SELECT COALESCE (MAX (seq), 0) FROM feed",
                                               NULL);
  gint64 seq = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return seq;
}

/**
 * sa_store_feed_horizon:
 * @db: the database
 *
 * Returns: the oldest cursor the feed still answers; below it, pruned
 *   revocations would be missed and the client must pull from 0
 */
gint64
sa_store_feed_horizon (SaRegistryDb *db)
{
  return sa_registry_db_get_feed_horizon (db);
}

/**
 * sa_store_feed_audiences_newest:
 * @db: the database
 * @after: entries after this sequence number
 * @upto: and up to this one
 * @audiences_json: a JSON array of [role, agency] pairs
 * @error: return location for a #GError
 *
 * Judges the feed entries in (@after, @upto] once for each audience: for
 * each that may see one, the newest such entry.
 *
 * Returns: (transfer full) (element-type SaStoreAudienceNews): one item
 *   per audience with news, or %NULL on error
 */
GPtrArray *
sa_store_feed_audiences_newest (SaRegistryDb  *db,
                                gint64         after,
                                gint64         upto,
                                const char    *audiences_json,
                                GError       **error)
{
  g_autoptr(GPtrArray) news = NULL;
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT k.role, k.agency, MAX (f.seq) FROM"
                                 " (SELECT json_extract (value, '$[0]') AS role,"
                                 "   json_extract (value, '$[1]') AS agency"
                                 "  FROM json_each (?3)) k, feed f"
                                 " WHERE f.seq > ?1 AND f.seq <= ?2 AND "
                                 SA_REGISTRY_FEED_VISIBLE_SQL_FOR ("f", "k.role", "k.agency")
                                 " GROUP BY k.role, k.agency", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, upto);
  sqlite3_bind_text (stmt, 3, audiences_json, -1, SQLITE_TRANSIENT);
  news = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_store_audience_news_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SaStoreAudienceNews *item = g_new (SaStoreAudienceNews, 1);

      item->role = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      item->agency = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      item->seq = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (news, item);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&news);
}
