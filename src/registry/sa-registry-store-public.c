/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include "sa-appeal-model.h"
#include "sa-registry-store-private.h"

/* What anybody may read of an appeal without a login: the statements
 * select only the public columns, so that no personal value can reach
 * the public page by a writer forgetting to leave it out. */

void
sa_store_public_appeal_free (SaStorePublicAppeal *appeal)
{
  if (appeal == NULL)
    return;
  g_free (appeal->reg_number);
  g_free (appeal->status);
  g_free (appeal->category);
  g_free (appeal->district);
  g_clear_pointer (&appeal->replies, g_ptr_array_unref);
  g_free (appeal);
}

static void
public_reply_free (SaStorePublicReply *reply)
{
  g_free (reply->text);
  g_free (reply->language);
  g_free (reply);
}

/**
 * sa_store_public_appeal_get:
 * @db: the database
 * @reg_number: the registration number the applicant was given
 *
 * Returns: (transfer full) (nullable): the public part of the appeal and
 *   its sent public replies, or %NULL when there is no such appeal
 */
SaStorePublicAppeal *
sa_store_public_appeal_get (SaRegistryDb *db,
                            const char   *reg_number)
{
  SaStorePublicAppeal *appeal;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT id, reg_number, status, category, district, received_at,"
                                 " legal_due_at, answered_at FROM appeals WHERE reg_number = ?1",
                                 NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, reg_number, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  appeal = g_new0 (SaStorePublicAppeal, 1);
  id = _sa_store_column_text (stmt, 0);
  appeal->reg_number = _sa_store_column_text (stmt, 1);
  appeal->status = _sa_store_column_text (stmt, 2);
  appeal->category = _sa_store_column_text (stmt, 3);
  appeal->district = _sa_store_column_text (stmt, 4);
  appeal->received_at = _sa_store_column_time (stmt, 5);
  appeal->legal_due_at = _sa_store_column_time (stmt, 6);
  appeal->answered_at = _sa_store_column_time (stmt, 7);
  sqlite3_reset (stmt);

  appeal->replies = g_ptr_array_new_with_free_func ((GDestroyNotify) public_reply_free);
  stmt = sa_registry_db_prepare (db,
                                 "SELECT text, language, sent_at FROM replies"
                                 " WHERE appeal_id = ?1 AND state = "
                                 SA_SQL_QUOTE (SA_REPLY_STATE_NAME_SENT)
                                 " AND visibility = " SA_SQL_QUOTE (SA_REPLY_VISIBILITY_PUBLIC)
                                 " ORDER BY sent_at, id", NULL);
  if (stmt == NULL)
    return appeal;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SaStorePublicReply *reply = g_new0 (SaStorePublicReply, 1);

      reply->text = _sa_store_column_text (stmt, 0);
      reply->language = _sa_store_column_text (stmt, 1);
      reply->sent_at = _sa_store_column_time (stmt, 2);
      g_ptr_array_add (appeal->replies, reply);
    }
  sqlite3_reset (stmt);
  return appeal;
}
