/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include "sa-appeal-model.h"
#include "sa-registry-store-private.h"

/* Deliveries: every sent answer or notice goes back through the channel
 * the appeal came from. A channel's gateway (an operator account) lists
 * what waits for it and records the outcome, which lands in the appeal's
 * history (docs/replies.md). */

void
sa_store_delivery_free (SaStoreDelivery *d)
{
  if (d == NULL)
    return;
  g_free (d->appeal_id);
  g_free (d->reg_number);
  g_free (d->channel);
  g_free (d->reply_id);
  g_free (d->kind);
  g_free (d->language);
  g_free (d->visibility);
  g_free (d->text);
  g_free (d->applicant_name);
  g_free (d->applicant_phone);
  g_free (d->applicant_email);
  g_free (d);
}

/**
 * sa_store_deliveries_pending:
 * @db: the database
 * @user: the gateway: only appeals it sees
 * @channel: the channel
 * @since: only deliveries with a greater id
 * @limit: at most this many
 *
 * Returns: (transfer full) (element-type SaStoreDelivery): what waits to
 *   be delivered, oldest first
 */
GPtrArray *
sa_store_deliveries_pending (SaRegistryDb   *db,
                             SaRegistryUser *user,
                             const char     *channel,
                             gint64          since,
                             guint           limit)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_store_delivery_free);
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT d.id, a.id, a.reg_number, d.channel, r.id, r.kind,"
                                 " r.language, r.visibility, r.text, r.sent_at,"
                                 " a.applicant_name, a.applicant_phone, a.applicant_email"
                                 " FROM deliveries d JOIN appeals a ON a.id = d.appeal_id"
                                 " JOIN replies r ON r.id = d.reply_id"
                                 " WHERE d.channel = ?1 AND d.id > ?2 AND d.state = 'pending'"
                                 " AND " SA_REGISTRY_VISIBLE_SQL ("a")
                                 " ORDER BY d.id LIMIT ?3", NULL);
  if (stmt == NULL)
    return list;
  sqlite3_bind_text (stmt, 1, channel, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, limit);
  _sa_registry_bind_visibility (stmt, user);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SaStoreDelivery *d = g_new0 (SaStoreDelivery, 1);

      d->id = sqlite3_column_int64 (stmt, 0);
      d->appeal_id = _sa_store_column_text (stmt, 1);
      d->reg_number = _sa_store_column_text (stmt, 2);
      d->channel = _sa_store_column_text (stmt, 3);
      d->reply_id = _sa_store_column_text (stmt, 4);
      d->kind = _sa_store_column_text (stmt, 5);
      d->language = _sa_store_column_text (stmt, 6);
      d->visibility = _sa_store_column_text (stmt, 7);
      d->text = _sa_store_column_text (stmt, 8);
      d->sent_at = sqlite3_column_int64 (stmt, 9);
      d->applicant_name = _sa_store_column_text (stmt, 10);
      d->applicant_phone = _sa_store_column_text (stmt, 11);
      d->applicant_email = _sa_store_column_text (stmt, 12);
      g_ptr_array_add (list, d);
    }
  sqlite3_reset (stmt);
  return list;
}

/**
 * sa_store_delivery_record:
 * @db: the database, outside a transaction
 * @user: the gateway
 * @id: the delivery
 * @delivered: whether the applicant got it
 * @detail: (nullable): what the channel said
 * @now: the registry's time
 * @out_found: (out): whether @user sees such a delivery
 * @error: return location for a #GError
 *
 * Records the outcome; the appeal's history gets a `delivered` event and
 * its version grows by one, so that every desk hears of it.
 *
 * Returns: %FALSE on a database failure
 */
gboolean
sa_store_delivery_record (SaRegistryDb    *db,
                          SaRegistryUser  *user,
                          gint64           id,
                          gboolean         delivered,
                          const char      *detail,
                          gint64           now,
                          gboolean        *out_found,
                          GError         **error)
{
  g_autofree char *appeal_id = NULL;
  g_autofree char *reply_id = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();
  sqlite3_stmt *stmt;

  *out_found = FALSE;
  if (!sa_registry_db_begin (db, error))
    return FALSE;
  stmt = sa_registry_db_prepare (db,
                                 "SELECT a.id, d.reply_id FROM deliveries d JOIN appeals a"
                                 " ON a.id = d.appeal_id WHERE d.id = ?1 AND "
                                 SA_REGISTRY_VISIBLE_SQL ("a"), error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  _sa_registry_bind_visibility (stmt, user);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      appeal_id = _sa_store_column_text (stmt, 0);
      reply_id = _sa_store_column_text (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (appeal_id == NULL)
    {
      sa_registry_db_rollback (db);
      return TRUE;
    }
  *out_found = TRUE;

  stmt = sa_registry_db_prepare (db, "UPDATE deliveries SET state = ?2, detail = ?3,"
                                     " updated_at = ?4 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, delivered ? "delivered" : "failed", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, detail, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!sa_registry_db_step_done (db, stmt, error))
    goto fail;
  stmt = sa_registry_db_prepare (db, "UPDATE appeals SET version = version + 1, updated_at = ?2"
                                     " WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!sa_registry_db_step_done (db, stmt, error))
    goto fail;

  json_object_set_int_member (payload, "delivery_id", id);
  json_object_set_string_member (payload, "reply_id", reply_id);
  json_object_set_boolean_member (payload, "delivered", delivered);
  if (detail != NULL)
    json_object_set_string_member (payload, "detail", detail);
  if (!sa_store_history_append_op (db, appeal_id, now, now, user->login, SA_EVENT_DELIVERED,
                                   payload, NULL, error) ||
      sa_registry_db_touch (db, "appeal", appeal_id, NULL, error) == 0 ||
      !sa_registry_db_commit (db, error))
    goto fail;
  return TRUE;

fail:
  sa_registry_db_rollback (db);
  return FALSE;
}
