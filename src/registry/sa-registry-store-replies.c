/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include "sa-appeal-model.h"
#include "sa-registry-store-private.h"

/* Replies (docs/replies.md): one row per reply in `replies`, one per
 * submitted text in `reply_versions`. The rules of who may do what are
 * the appeal model's (sa-reply-rules.c); these only read and write. A
 * sent reply and every submitted version are frozen by the database's
 * own triggers. */

static void
reply_version_free (SaStoreReplyVersion *v)
{
  g_free (v->text);
  g_free (v->visibility);
  g_free (v->language);
  g_free (v);
}

void
sa_store_reply_free (SaStoreReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->id);
  g_free (reply->kind);
  g_free (reply->agency);
  g_free (reply->state);
  g_free (reply->visibility);
  g_free (reply->language);
  g_free (reply->text);
  g_free (reply->author);
  g_free (reply->approved_by);
  g_free (reply->returned_comment);
  g_free (reply->returned_by);
  g_free (reply->parts);
  g_free (reply->without_parts_reason);
  g_free (reply->attachments);
  g_free (reply->template_id);
  g_clear_pointer (&reply->versions, g_ptr_array_unref);
  g_free (reply);
}

static void
read_versions (SaRegistryDb *db,
               SaStoreReply *reply)
{
  sqlite3_stmt *stmt;

  reply->versions = g_ptr_array_new_with_free_func ((GDestroyNotify) reply_version_free);
  stmt = sa_registry_db_prepare (db,
                                 "SELECT version, text, visibility, language, submitted_at"
                                 " FROM reply_versions WHERE reply_id = ?1 ORDER BY version",
                                 NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, reply->id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SaStoreReplyVersion *v = g_new0 (SaStoreReplyVersion, 1);

      v->version = sqlite3_column_int64 (stmt, 0);
      v->text = _sa_store_column_text (stmt, 1);
      v->visibility = _sa_store_column_text (stmt, 2);
      v->language = _sa_store_column_text (stmt, 3);
      v->submitted_at = _sa_store_column_time (stmt, 4);
      g_ptr_array_add (reply->versions, v);
    }
  sqlite3_reset (stmt);
}

/**
 * _sa_store_read_replies:
 * @db: the database
 * @appeal_id: the appeal
 *
 * Reads every reply of the appeal, oldest first, with its versions. Who
 * may read which is the JSON writer's to decide (sa-registry-json.c).
 *
 * Returns: (transfer full) (element-type SaStoreReply): the replies
 */
GPtrArray *
_sa_store_read_replies (SaRegistryDb *db,
                        const char   *appeal_id)
{
  GPtrArray *replies = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_store_reply_free);
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT id, kind, agency, state, visibility, language, text,"
                                 " author, version, approved_by, sent_at, returned_comment,"
                                 " returned_by, created_at, updated_at,"
                                 " CASE WHEN json_valid (parts) THEN parts END,"
                                 " without_parts_reason,"
                                 " CASE WHEN json_valid (attachments) THEN attachments END,"
                                 " template_id FROM replies"
                                 " WHERE appeal_id = ?1 ORDER BY created_at, id", NULL);
  if (stmt == NULL)
    return replies;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SaStoreReply *r = g_new0 (SaStoreReply, 1);

      r->id = _sa_store_column_text (stmt, 0);
      r->kind = _sa_store_column_text (stmt, 1);
      r->agency = _sa_store_column_text (stmt, 2);
      r->state = _sa_store_column_text (stmt, 3);
      r->visibility = _sa_store_column_text (stmt, 4);
      r->language = _sa_store_column_text (stmt, 5);
      r->text = _sa_store_column_text (stmt, 6);
      r->author = _sa_store_column_text (stmt, 7);
      r->version = sqlite3_column_int64 (stmt, 8);
      r->approved_by = _sa_store_column_text (stmt, 9);
      r->sent_at = _sa_store_column_time (stmt, 10);
      r->returned_comment = _sa_store_column_text (stmt, 11);
      r->returned_by = _sa_store_column_text (stmt, 12);
      r->created_at = _sa_store_column_time (stmt, 13);
      r->updated_at = _sa_store_column_time (stmt, 14);
      r->parts = _sa_store_column_text (stmt, 15);
      r->without_parts_reason = _sa_store_column_text (stmt, 16);
      r->attachments = _sa_store_column_text (stmt, 17);
      r->template_id = _sa_store_column_text (stmt, 18);
      g_ptr_array_add (replies, r);
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i < replies->len; i++)
    read_versions (db, g_ptr_array_index (replies, i));
  return replies;
}

/**
 * _sa_store_reply_infos:
 * @db: the database, inside the op's transaction
 * @appeal_id: the appeal
 * @strings: where the infos' strings are kept alive
 *
 * What the rules look at of each reply (sa_op_check()).
 *
 * Returns: (transfer full): a #GArray of #SaReplyInfo
 */
GArray *
_sa_store_reply_infos (SaRegistryDb *db,
                       const char   *appeal_id,
                       GPtrArray    *strings)
{
  GArray *infos = g_array_new (FALSE, TRUE, sizeof (SaReplyInfo));
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT id, kind, state, agency, author FROM replies"
                                 " WHERE appeal_id = ?1 ORDER BY created_at, id", NULL);
  if (stmt == NULL)
    return infos;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SaReplyInfo info = { 0 };

      if (!sa_reply_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &info.kind) ||
          !sa_reply_state_from_string ((const char *) sqlite3_column_text (stmt, 2), &info.state))
        continue;  /* a row this build does not know: nothing may act on it */
      g_ptr_array_add (strings, _sa_store_column_text (stmt, 0));
      info.id = g_ptr_array_index (strings, strings->len - 1);
      g_ptr_array_add (strings, _sa_store_column_text (stmt, 3));
      info.agency = g_ptr_array_index (strings, strings->len - 1);
      g_ptr_array_add (strings, _sa_store_column_text (stmt, 4));
      info.author = g_ptr_array_index (strings, strings->len - 1);
      g_array_append_val (infos, info);
    }
  sqlite3_reset (stmt);
  return infos;
}

static const char *
arg (JsonObject *args,
     const char *name)
{
  return json_object_get_string_member_with_default (args, name, NULL);
}

/**
 * _sa_store_reply_save:
 * @db: the database, inside the op's transaction
 * @appeal_id: the appeal
 * @args: the `reply_save` op's checked arguments
 * @agency: the writing agency
 * @author: the author's login
 * @now: the registry's time
 * @out_created: (out): whether the reply is new
 * @error: return location for a #GError
 *
 * Creates the reply or replaces the text of its draft (a returned reply
 * stays returned until it is submitted again).
 *
 * Returns: %FALSE on a database failure
 */
gboolean
_sa_store_reply_save (SaRegistryDb  *db,
                      const char    *appeal_id,
                      JsonObject    *args,
                      const char    *agency,
                      const char    *author,
                      gint64         now,
                      gboolean      *out_created,
                      GError       **error)
{
  const char *kind = arg (args, "kind") != NULL ? arg (args, "kind")
                     : sa_reply_kind_to_string (SA_REPLY_KIND_ANSWER);
  JsonNode *files = json_object_get_member (args, "attachments");
  g_autofree char *files_text = files != NULL && JSON_NODE_HOLDS_ARRAY (files)
                                ? _sa_registry_json_to_string (files) : g_strdup ("[]");
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "UPDATE replies SET text = ?2, visibility = ?3, language = ?4,"
                                 " updated_at = ?5, attachments = ?6 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, arg (args, "reply_id"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, arg (args, "text"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, arg (args, "visibility"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, arg (args, "language"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_text (stmt, 6, files_text, -1, SQLITE_STATIC);
  if (!sa_registry_db_step_done (db, stmt, error))
    return FALSE;
  *out_created = sqlite3_changes (sa_registry_db_get_handle (db)) == 0;
  if (!*out_created)
    return TRUE;

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO replies (id, appeal_id, kind, agency, state,"
                                 " visibility, language, text, author, created_at, updated_at,"
                                 " attachments)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, arg (args, "reply_id"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, agency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, sa_reply_state_to_string (SA_REPLY_STATE_DRAFT), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, arg (args, "visibility"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, arg (args, "language"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, arg (args, "text"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, author, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, now);
  sqlite3_bind_text (stmt, 11, files_text, -1, SQLITE_STATIC);
  return sa_registry_db_step_done (db, stmt, error);
}

/**
 * _sa_store_reply_submit:
 * @db: the database, inside the op's transaction
 * @reply_id: the reply
 * @now: the registry's time
 * @out_version: (out): the number of the version it froze
 * @error: return location for a #GError
 *
 * Freezes the reply's text as a new version and sends it for approval.
 *
 * Returns: %FALSE on a database failure
 */
gboolean
_sa_store_reply_submit (SaRegistryDb  *db,
                        const char    *reply_id,
                        gint64         now,
                        gint64        *out_version,
                        GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "UPDATE replies SET state = ?2, version = version + 1,"
                                 " returned_comment = NULL, returned_by = NULL, updated_at = ?3"
                                 " WHERE id = ?1 RETURNING version", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, reply_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sa_reply_state_to_string (SA_REPLY_STATE_AWAITING_APPROVAL), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sa_registry_db_set_error (db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *out_version = sqlite3_column_int64 (stmt, 0);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO reply_versions (reply_id, version, text, visibility,"
                                 " language, submitted_at, attachments) SELECT id, version, text,"
                                 " visibility, language, ?2, attachments FROM replies"
                                 " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, reply_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  return sa_registry_db_step_done (db, stmt, error);
}

/* Runs @sql with ?1 the reply, ?2 the appeal and ?3 the time. */
static gboolean
step_sql (SaRegistryDb  *db,
          const char    *sql,
          const char    *reply_id,
          const char    *appeal_id,
          gint64         now,
          GError       **error)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, reply_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  return sa_registry_db_step_done (db, stmt, error);
}

/* What sending a reply sets in motion: an answer records the parts it
 * includes (or why it went without them), a notice that the applicant
 * was told; an answer or notice waits for its channel to deliver it. A
 * part stays between the agencies. (The parts an answer includes are
 * written by the statement that sends it, _sa_store_reply_review().) */
static gboolean
reply_sent (SaRegistryDb  *db,
            const char    *appeal_id,
            const char    *reply_id,
            gint64         now,
            GError       **error)
{
  return step_sql (db,
                   "UPDATE appeals SET applicant_notified_at = ?3 WHERE id = ?2 AND"
                   " (SELECT kind FROM replies WHERE id = ?1) = 'notice'",
                   reply_id, appeal_id, now, error) &&
         step_sql (db,
                   "INSERT INTO deliveries (reply_id, appeal_id, channel, created_at, updated_at)"
                   " SELECT r.id, a.id, a.channel, ?3, ?3 FROM replies r JOIN appeals a"
                   " ON a.id = r.appeal_id WHERE r.id = ?1 AND r.kind IN ('answer', 'notice')",
                   reply_id, appeal_id, now, error);
}

/**
 * sa_store_appeal_has_file:
 * @db: the database
 * @appeal_id: an appeal
 * @sha256: a file's hash
 *
 * Returns: whether the file is attached to the appeal
 */
gboolean
sa_store_appeal_has_file (SaRegistryDb *db,
                          const char   *appeal_id,
                          const char   *sha256)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (db, "SELECT 1 FROM appeal_attachments"
                                                   " WHERE appeal_id = ?1 AND sha256 = ?2", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sha256, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/* A contact centre's quick answer: written from a template its
 * supervisors keep, and sent as it is given on the call. */
static gboolean
quick_answer (SaRegistryDb   *db,
              const char     *appeal_id,
              JsonObject     *args,
              const SaActor  *actor,
              gint64          now,
              GError        **error)
{
  const char *reply_id = arg (args, "reply_id");
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO replies (id, appeal_id, kind, agency, state,"
                                 " visibility, language, text, author, version, sent_at,"
                                 " template_id, created_at, updated_at)"
                                 " VALUES (?1, ?2, 'answer', ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?10,"
                                 " ?9, ?9)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, reply_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, actor->agency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, SA_REPLY_STATE_NAME_SENT, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, SA_REPLY_VISIBILITY_PRIVATE, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, arg (args, "language"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, arg (args, "text"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, actor->login, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, now);
  sqlite3_bind_text (stmt, 10, arg (args, "template_id"), -1, SQLITE_STATIC);
  if (!sa_registry_db_step_done (db, stmt, error))
    return FALSE;
  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO reply_versions (reply_id, version, text, visibility,"
                                 " language, submitted_at) SELECT id, 1, text, visibility,"
                                 " language, ?2 FROM replies WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, reply_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  return sa_registry_db_step_done (db, stmt, error) &&
         reply_sent (db, appeal_id, reply_id, now, error);
}

/**
 * sa_store_template_usable:
 * @db: the database
 * @template_id: a template's id
 * @agency: (nullable): the user's agency
 * @language: the language the answer is in
 *
 * Returns: whether the template exists, is not withdrawn, is the city's
 *   or @agency's, and is in @language
 */
gboolean
sa_store_template_usable (SaRegistryDb *db,
                          const char   *template_id,
                          const char   *agency,
                          const char   *language)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (db, "SELECT 1 FROM reply_templates WHERE id = ?1"
                                                   " AND disabled = 0 AND language = ?3"
                                                   " AND (agency IS NULL OR agency = ?2)", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, template_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, agency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, language, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/**
 * sa_store_reply_apply:
 * @db: the database, inside the op's transaction
 * @appeal_id: the appeal
 * @type: a reply op that the model's rules allowed
 * @args: its arguments
 * @actor: who does it
 * @now: the registry's time
 * @out_created: (out) (optional): for `reply_save`, whether the reply is new
 * @out_version: (out) (optional): for `reply_submit`, the version it froze
 * @error: return location for a #GError
 *
 * Writes what a reply op does to the reply itself; the appeal's row is
 * the caller's (the ops, and the demo that replays them).
 *
 * Returns: %FALSE on a database failure
 */
gboolean
sa_store_reply_apply (SaRegistryDb   *db,
                      const char     *appeal_id,
                      SaOpType        type,
                      JsonObject     *args,
                      const SaActor  *actor,
                      gint64          now,
                      gboolean       *out_created,
                      gint64         *out_version,
                      GError        **error)
{
  const char *reply_id = arg (args, "reply_id");
  gboolean created = FALSE;
  gint64 version = 0;
  gboolean ok;

  switch (type)
    {
    case SA_OP_REPLY_SAVE:
      ok = _sa_store_reply_save (db, appeal_id, args, actor->agency, actor->login, now,
                                 &created, error);
      break;
    case SA_OP_REPLY_SUBMIT:
      ok = _sa_store_reply_submit (db, reply_id, now, &version, error);
      break;
    case SA_OP_REPLY_APPROVE:
      ok = _sa_store_reply_review (db, reply_id, TRUE, actor->login,
                                   arg (args, "without_parts_reason"), now, error) &&
           reply_sent (db, appeal_id, reply_id, now, error);
      break;
    case SA_OP_REPLY_RETURN:
      ok = _sa_store_reply_review (db, reply_id, FALSE, actor->login, arg (args, "comment"),
                                   now, error);
      break;
    case SA_OP_QUICK_ANSWER:
      ok = quick_answer (db, appeal_id, args, actor, now, error);
      break;
    default:
      ok = TRUE;
      break;
    }
  if (out_created != NULL)
    *out_created = created;
  if (out_version != NULL)
    *out_version = version;
  return ok;
}

/**
 * _sa_store_reply_review:
 * @db: the database, inside the op's transaction
 * @reply_id: the reply
 * @approve: %TRUE to send it, %FALSE to return it
 * @supervisor: who decides
 * @comment: (nullable): why it is returned, or why an answer is sent
 *   without a co-executor's part
 * @now: the registry's time
 * @error: return location for a #GError
 *
 * Returns: %FALSE on a database failure
 */
gboolean
_sa_store_reply_review (SaRegistryDb  *db,
                        const char    *reply_id,
                        gboolean       approve,
                        const char    *supervisor,
                        const char    *comment,
                        gint64         now,
                        GError       **error)
{
  sqlite3_stmt *stmt;

  /* An answer, as it is sent, names the co-executors' sent parts it
   * includes (the trigger freezes the row once it is sent). */
  if (approve)
    stmt = sa_registry_db_prepare (db,
                                   "UPDATE replies SET state = ?2, approved_by = ?3, sent_at = ?4,"
                                   " updated_at = ?4, without_parts_reason = ?5,"
                                   " parts = CASE WHEN kind = 'answer' THEN (SELECT"
                                   "  json_group_array (p.id) FROM replies p"
                                   "  WHERE p.appeal_id = replies.appeal_id AND p.kind = 'part'"
                                   "  AND p.state = 'sent') END WHERE id = ?1", error);
  else
    stmt = sa_registry_db_prepare (db,
                                   "UPDATE replies SET state = ?2, returned_by = ?3,"
                                   " updated_at = ?4, returned_comment = ?5 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, reply_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2,
                     sa_reply_state_to_string (approve ? SA_REPLY_STATE_SENT
                                                       : SA_REPLY_STATE_RETURNED),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, supervisor, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_text (stmt, 5, comment, -1, SQLITE_STATIC);
  return sa_registry_db_step_done (db, stmt, error);
}
