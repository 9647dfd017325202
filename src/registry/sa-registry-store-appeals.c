/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include "sa-appeal-model.h"
#include "sa-registry-store-private.h"

/* Reading appeals: one appeal with what hangs off it (co-executors,
 * escalations, attachments, history), and the lists. */

static void
attachment_free (SaStoreAttachment *attachment)
{
  g_free (attachment->sha256);
  g_free (attachment->name);
  g_free (attachment->content_type);
  g_free (attachment);
}

static void
event_free (SaStoreEvent *event)
{
  g_free (event->actor);
  g_free (event->type);
  g_free (event->payload);
  g_free (event->op_id);
  g_free (event);
}

void
sa_store_appeal_free (SaStoreAppeal *appeal)
{
  if (appeal == NULL)
    return;
  g_free (appeal->id);
  g_free (appeal->reg_number);
  g_free (appeal->channel);
  g_free (appeal->status);
  g_free (appeal->priority);
  g_free (appeal->category);
  g_free (appeal->agency);
  g_free (appeal->executor);
  g_free (appeal->applicant_name);
  g_free (appeal->applicant_iin);
  g_free (appeal->applicant_phone);
  g_free (appeal->applicant_email);
  g_free (appeal->address_text);
  g_free (appeal->district);
  g_free (appeal->text);
  g_free (appeal->language);
  g_free (appeal->repeat_of);
  g_clear_pointer (&appeal->coexecutors, g_ptr_array_unref);
  g_clear_pointer (&appeal->escalated_to, g_ptr_array_unref);
  g_clear_pointer (&appeal->attachments, g_ptr_array_unref);
  g_clear_pointer (&appeal->replies, g_ptr_array_unref);
  g_clear_pointer (&appeal->history, g_ptr_array_unref);
  g_free (appeal);
}

static void
read_agencies (SaRegistryDb  *db,
               SaStoreAppeal *appeal)
{
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT agency, role FROM appeal_agencies WHERE appeal_id = ?1"
                                 " ORDER BY role, agency", NULL);
  if (stmt == NULL)
    return;
  appeal->coexecutors = g_ptr_array_new_with_free_func (g_free);
  appeal->escalated_to = g_ptr_array_new_with_free_func (g_free);
  sqlite3_bind_text (stmt, 1, appeal->id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gboolean coexecutor = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1),
                                       "coexecutor") == 0;

      g_ptr_array_add (coexecutor ? appeal->coexecutors : appeal->escalated_to,
                       _sa_store_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);
}

static void
read_attachments (SaRegistryDb  *db,
                  SaStoreAppeal *appeal)
{
  sqlite3_stmt *stmt;

  appeal->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_free);
  stmt = sa_registry_db_prepare (db,
                                 "SELECT l.sha256, l.name, f.content_type, f.size"
                                 " FROM appeal_attachments l JOIN attachments f"
                                 " ON f.sha256 = l.sha256 WHERE l.appeal_id = ?1"
                                 " ORDER BY l.added_at, l.name", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, appeal->id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SaStoreAttachment *attachment = g_new (SaStoreAttachment, 1);

      attachment->sha256 = _sa_store_column_text (stmt, 0);
      attachment->name = _sa_store_column_text (stmt, 1);
      attachment->content_type = _sa_store_column_text (stmt, 2);
      attachment->size = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (appeal->attachments, attachment);
    }
  sqlite3_reset (stmt);
}

static void
read_history (SaRegistryDb  *db,
              SaStoreAppeal *appeal)
{
  sqlite3_stmt *stmt;

  appeal->history = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  /* Stored by the registry as JSON; SQLite checks that it still is. */
  stmt = sa_registry_db_prepare (db,
                                 "SELECT seq, at, actor, type,"
                                 " CASE WHEN json_valid (payload) THEN payload END,"
                                 " made_at, op_id FROM history"
                                 " WHERE appeal_id = ?1 ORDER BY seq", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, appeal->id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SaStoreEvent *event = g_new (SaStoreEvent, 1);

      event->seq = sqlite3_column_int64 (stmt, 0);
      event->at = _sa_store_column_time (stmt, 1);
      event->actor = _sa_store_column_text (stmt, 2);
      event->type = _sa_store_column_text (stmt, 3);
      event->payload = _sa_store_column_text (stmt, 4);
      event->made_at = _sa_store_column_time (stmt, 5);
      event->op_id = _sa_store_column_text (stmt, 6);
      g_ptr_array_add (appeal->history, event);
    }
  sqlite3_reset (stmt);
}

/**
 * sa_store_appeal_get:
 * @db: the database
 * @appeal_id: the UUID
 * @with_history: whether to read the history too
 *
 * Reads an appeal. The caller has checked the rights.
 *
 * Returns: (transfer full) (nullable): the appeal, or %NULL if there is none
 */
SaStoreAppeal *
sa_store_appeal_get (SaRegistryDb *db,
                     const char   *appeal_id,
                     gboolean      with_history)
{
  SaStoreAppeal *appeal;
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT id, reg_number, channel, status, priority, category,"
                                 " agency, executor, applicant_name, applicant_iin,"
                                 " applicant_phone, applicant_email, address_text, district,"
                                 " lat, lon, text, language, received_at, legal_due_at,"
                                 " resolution_due_at, version, is_repeat, repeat_of, created_at,"
                                 " updated_at, reaction_due_at, answered_at, under_control,"
                                 " notify_applicant_by, applicant_notified_at FROM appeals"
                                 " WHERE id = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return NULL;
    }

  appeal = g_new0 (SaStoreAppeal, 1);
  appeal->id = _sa_store_column_text (stmt, 0);
  appeal->reg_number = _sa_store_column_text (stmt, 1);
  appeal->channel = _sa_store_column_text (stmt, 2);
  appeal->status = _sa_store_column_text (stmt, 3);
  appeal->priority = _sa_store_column_text (stmt, 4);
  appeal->category = _sa_store_column_text (stmt, 5);
  appeal->agency = _sa_store_column_text (stmt, 6);
  appeal->executor = _sa_store_column_text (stmt, 7);
  appeal->applicant_name = _sa_store_column_text (stmt, 8);
  appeal->applicant_iin = _sa_store_column_text (stmt, 9);
  appeal->applicant_phone = _sa_store_column_text (stmt, 10);
  appeal->applicant_email = _sa_store_column_text (stmt, 11);
  appeal->address_text = _sa_store_column_text (stmt, 12);
  appeal->district = _sa_store_column_text (stmt, 13);
  appeal->has_lat = sqlite3_column_type (stmt, 14) != SQLITE_NULL;
  appeal->lat = sqlite3_column_double (stmt, 14);
  appeal->has_lon = sqlite3_column_type (stmt, 15) != SQLITE_NULL;
  appeal->lon = sqlite3_column_double (stmt, 15);
  appeal->text = _sa_store_column_text (stmt, 16);
  appeal->language = _sa_store_column_text (stmt, 17);
  appeal->received_at = _sa_store_column_time (stmt, 18);
  appeal->legal_due_at = _sa_store_column_time (stmt, 19);
  appeal->resolution_due_at = _sa_store_column_time (stmt, 20);
  appeal->version = sqlite3_column_int64 (stmt, 21);
  appeal->is_repeat = sqlite3_column_int (stmt, 22) != 0;
  appeal->repeat_of = _sa_store_column_text (stmt, 23);
  appeal->created_at = _sa_store_column_time (stmt, 24);
  appeal->updated_at = _sa_store_column_time (stmt, 25);
  appeal->reaction_due_at = _sa_store_column_time (stmt, 26);
  appeal->answered_at = _sa_store_column_time (stmt, 27);
  appeal->under_control = sqlite3_column_int (stmt, 28) != 0;
  appeal->notify_applicant_by = _sa_store_column_time (stmt, 29);
  appeal->applicant_notified_at = _sa_store_column_time (stmt, 30);
  sqlite3_reset (stmt);

  read_agencies (db, appeal);
  read_attachments (db, appeal);
  appeal->replies = _sa_store_read_replies (db, appeal->id);
  if (with_history)
    read_history (db, appeal);
  return appeal;
}

/**
 * sa_store_appeals_list:
 * @db: the database
 * @user: the reader: only appeals they see
 * @filter: the filter; %NULL members match every appeal
 * @limit: at most this many
 * @offset: after skipping this many
 * @total: (out): how many match in all
 * @error: return location for a #GError
 *
 * Lists the appeals @user sees that match @filter, newest received first.
 *
 * Returns: (transfer full) (element-type utf8): the appeals' ids, or %NULL
 */
GPtrArray *
sa_store_appeals_list (SaRegistryDb               *db,
                       SaRegistryUser             *user,
                       const SaStoreAppealFilter  *filter,
                       guint64                     limit,
                       guint64                     offset,
                       gint64                     *total,
                       GError                    **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  const char *filter_sql =
    " FROM appeals a WHERE " SA_REGISTRY_VISIBLE_SQL ("a")
    " AND (?1 IS NULL OR a.status = ?1) AND (?2 IS NULL OR a.agency = ?2)"
    " AND (?3 IS NULL OR a.category = ?3) AND (?4 IS NULL OR a.district = ?4)"
    " AND (?5 IS NULL OR a.reg_number = ?5 OR instr (a.text, ?5) > 0"
    "      OR instr (a.address_text, ?5) > 0)";
  static char *count_sql;
  static char *page_sql;

  *total = 0;
  /* Built once from constant parts: the SQL never contains input. */
  if (count_sql == NULL)
    {
      count_sql = g_strconcat ("SELECT COUNT (*)", filter_sql, NULL);
      page_sql = g_strconcat ("SELECT a.id", filter_sql,
                              " ORDER BY a.received_at DESC, a.id LIMIT ?6 OFFSET ?7", NULL);
    }

  for (int pass = 0; pass < 2; pass++)
    {
      stmt = sa_registry_db_prepare (db, pass == 0 ? count_sql : page_sql, error);
      if (stmt == NULL)
        return NULL;
      _sa_registry_bind_visibility (stmt, user);
      sqlite3_bind_text (stmt, 1, filter->status, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, filter->agency, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, filter->category, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, filter->district, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, filter->q, -1, SQLITE_STATIC);
      if (pass == 1)
        {
          sqlite3_bind_int64 (stmt, 6, limit);
          sqlite3_bind_int64 (stmt, 7, offset);
        }
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          if (pass == 0)
            *total = sqlite3_column_int64 (stmt, 0);
          else
            g_ptr_array_add (ids, _sa_store_column_text (stmt, 0));
        }
      sqlite3_reset (stmt);
    }
  return g_steal_pointer (&ids);
}

void
sa_store_count_free (SaStoreCount *count)
{
  if (count == NULL)
    return;
  g_free (count->key);
  g_free (count);
}

/**
 * sa_store_appeals_count_by_status:
 * @db: the database
 *
 * Returns: (transfer full) (element-type SaStoreCount): how many appeals
 *   each status has, by status; empty if the database fails
 */
GPtrArray *
sa_store_appeals_count_by_status (SaRegistryDb *db)
{
  GPtrArray *counts = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_store_count_free);
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT status, COUNT (*) FROM appeals GROUP BY status"
                                 " ORDER BY status", NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      SaStoreCount *count = g_new (SaStoreCount, 1);

      count->key = _sa_store_column_text (stmt, 0);
      count->n = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (counts, count);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return counts;
}
