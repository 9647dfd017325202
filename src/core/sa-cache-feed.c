/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache"

#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"
#include "sa-cache-private.h"

/* The feed's writer: an appeal's row from the registry's JSON with the
 * outbox's pending operations folded on top, a page of the change feed
 * in one transaction, entries it cannot read set aside, reference data
 * and the 410 reset. */

static JsonObject *
obj_object (JsonObject *obj,
            const char *name)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, name)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static JsonArray *
obj_array (JsonObject *obj,
           const char *name)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, name)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static gint64
obj_int (JsonObject *obj,
         const char *name,
         gint64      fallback)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, name)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return fallback;
}

/* RFC 3339 → unix seconds; G_MININT64 for missing or malformed. */
/* The cache's "no time" is G_MININT64, so that it sorts and binds as NULL. */
static gint64
parse_time (const char *text)
{
  gint64 t = sa_appeal_parse_time (text);

  return t != 0 ? t : G_MININT64;
}

static void
bind_time (sqlite3_stmt *stmt,
           int           col,
           gint64        t)
{
  if (t == G_MININT64)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_int64 (stmt, col, t);
}

/* The list sorts by the priority's rank; an unknown one ranks as normal. */
static int
priority_rank (const char *priority)
{
  SaPriority p = SA_PRIORITY_NORMAL;

  sa_priority_from_string (priority, &p);
  return p;
}

/* ------------------------------------------------------------------ */
/* Writing appeals */

gboolean
_sa_cache_load_row (SaCacheConn *c,
                    const char  *id,
                    SaCacheRow  *info,
                    GError     **error)
{
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "SELECT a.rid, a.server_version, d.server_json"
                                             " FROM appeals a JOIN appeal_docs d USING (rid)"
                                             " WHERE a.id = ?1", error);

  memset (info, 0, sizeof *info);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      info->exists = TRUE;
      info->rid = sqlite3_column_int64 (stmt, 0);
      info->server_version = sqlite3_column_int64 (stmt, 1);
      info->server_json = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
write_history (SaCacheConn *c,
               gint64       rid,
               JsonObject  *appeal,
               GError     **error)
{
  JsonArray *history = obj_array (appeal, "history");
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "DELETE FROM history WHERE appeal_rid = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (!_sa_cache_step (c, stmt, error))
    return FALSE;
  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *payload = item != NULL ? json_object_get_member (item, "payload") : NULL;
      g_autofree char *payload_text = payload != NULL ? _sa_cache_to_json (payload) : NULL;
      gint64 seq = obj_int (item, "seq", G_MININT64);

      if (item == NULL)
        continue;
      stmt = _sa_cache_prepare (c, "INSERT INTO history (appeal_rid, idx, seq, at, actor, type,"
                                   " payload, op_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      sqlite3_bind_int64 (stmt, 2, i);
      bind_time (stmt, 3, seq);
      bind_time (stmt, 4, parse_time (_sa_cache_obj_string (item, "at")));
      _sa_cache_bind_text (stmt, 5, _sa_cache_obj_string (item, "actor"));
      _sa_cache_bind_text (stmt, 6, _sa_cache_obj_string (item, "type"));
      _sa_cache_bind_text (stmt, 7, payload_text);
      _sa_cache_bind_text (stmt, 8, _sa_cache_obj_string (item, "op_id"));
      if (!_sa_cache_step (c, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* What the reply loop's sections read (sa-appeal-list-query.c): the
 * appeal's marks, the notice of extension it owes (the traffic light),
 * and its replies waiting for a supervisor. */
static gboolean
write_reply_marks (SaCacheConn *c,
                   gint64       rid,
                   JsonObject  *appeal,
                   GError     **error)
{
  JsonArray *replies = obj_array (appeal, SA_APPEAL_FIELD_REPLIES);
  const char *awaiting = sa_reply_state_to_string (SA_REPLY_STATE_AWAITING_APPROVAL);
  gboolean under_control = obj_int (appeal, SA_APPEAL_FIELD_UNDER_CONTROL, 0) != 0;
  gint64 answered_at = parse_time (_sa_cache_obj_string (appeal, SA_APPEAL_FIELD_ANSWERED_AT));
  gint64 notice_due;
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "DELETE FROM awaiting_replies WHERE appeal_rid = ?1",
                                          error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (!_sa_cache_step (c, stmt, error))
    return FALSE;
  if (under_control || answered_at != G_MININT64)
    stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO appeal_marks (rid, under_control,"
                                 " answered_at) VALUES (?1, ?2, ?3)", error);
  else
    stmt = _sa_cache_prepare (c, "DELETE FROM appeal_marks WHERE rid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (under_control || answered_at != G_MININT64)
    {
      sqlite3_bind_int (stmt, 2, under_control);
      bind_time (stmt, 3, answered_at);
    }
  if (!_sa_cache_step (c, stmt, error))
    return FALSE;
  notice_due = sa_appeal_notice_due (appeal);
  if (notice_due != 0)
    stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO appeal_notices (rid, notify_by)"
                                 " VALUES (?1, ?2)", error);
  else
    stmt = _sa_cache_prepare (c, "DELETE FROM appeal_notices WHERE rid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (notice_due != 0)
    sqlite3_bind_int64 (stmt, 2, notice_due);
  if (!_sa_cache_step (c, stmt, error))
    return FALSE;
  for (guint i = 0; replies != NULL && i < json_array_get_length (replies); i++)
    {
      JsonNode *node = json_array_get_element (replies, i);
      JsonObject *reply = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = _sa_cache_obj_string (reply, "id");

      if (id == NULL || g_strcmp0 (_sa_cache_obj_string (reply, "state"), awaiting) != 0)
        continue;
      stmt = _sa_cache_prepare (c, "INSERT OR IGNORE INTO awaiting_replies (appeal_rid, reply_id,"
                                   " agency, author) VALUES (?1, ?2, ?3, ?4)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      _sa_cache_bind_text (stmt, 2, id);
      _sa_cache_bind_text (stmt, 3, _sa_cache_obj_string (reply, "agency"));
      _sa_cache_bind_text (stmt, 4, _sa_cache_obj_string (reply, "author"));
      if (!_sa_cache_step (c, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Upserts the row's columns from @effective; keeps rid and the local
 * "opened" flag unless @reset_opened. */
static gboolean
write_appeal (SaCacheConn   *c,
              JsonObject    *effective,
              const char    *server_json,
              gint64         server_version,
              SaOfflineState state,
              gboolean       overlaid,
              gboolean       bump_revision,
              gboolean       reset_opened,
              GError       **error)
{
  JsonObject *applicant = obj_object (effective, "applicant");
  JsonObject *address = obj_object (effective, "address");
  g_autoptr(JsonNode) eff_node = NULL;
  g_autofree char *eff_text = NULL;
  gint64 legal = parse_time (_sa_cache_obj_string (effective,
                                                   sa_deadline_field (SA_DEADLINE_LEGAL)));
  gint64 op_due = parse_time (_sa_cache_obj_string (effective,
                                                    sa_deadline_field (SA_DEADLINE_RESOLUTION)));
  gint64 sla_due;
  gint64 rid = 0;
  sqlite3_stmt *stmt;

  /* Without local operations the shown JSON is the registry's: no need
   * to serialize it twice. */
  if (overlaid)
    {
      eff_node = json_node_init_object (json_node_alloc (), effective);
      eff_text = _sa_cache_to_json (eff_node);
    }
  else
    eff_text = g_strdup (server_json);
  /* The list sorts by the nearer of the two deadlines while the clock
   * runs; an answered or closed appeal owes nothing and sorts after every
   * one that does (its deadlines stay in their own columns). */
  sla_due = sa_sla_nearer_due (legal != G_MININT64 ? legal : 0, op_due != G_MININT64 ? op_due : 0);
  if (sla_due == 0 ||
      !sa_appeal_status_name_in (_sa_cache_obj_string (effective, "status"),
                                 SA_STATUS_SET_CLOCK_RUNNING))
    sla_due = SA_CACHE_NO_DUE;

  stmt = _sa_cache_prepare (c,
                            "INSERT INTO appeals (id, reg_number, channel, status, priority,"
                            " category, agency, executor, applicant_name, address_text, district,"
                            " text, received_at, legal_due_at, op_due_at, sla_due_at, is_repeat,"
                            " version, updated_at, server_version, offline_state, local_revision,"
                            " opened)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                            " ?15, ?16, ?17, ?18, ?19, ?22, ?23, ?24, 0)"
                            " ON CONFLICT (id) DO UPDATE SET reg_number = excluded.reg_number,"
                            " channel = excluded.channel, status = excluded.status,"
                            " priority = excluded.priority, category = excluded.category,"
                            " agency = excluded.agency, executor = excluded.executor,"
                            " applicant_name = excluded.applicant_name,"
                            " address_text = excluded.address_text, district = excluded.district,"
                            " text = excluded.text, received_at = excluded.received_at,"
                            " legal_due_at = excluded.legal_due_at, op_due_at = excluded.op_due_at,"
                            " sla_due_at = excluded.sla_due_at, is_repeat = excluded.is_repeat,"
                            " version = excluded.version, updated_at = excluded.updated_at,"
                            " server_version = excluded.server_version,"
                            " offline_state = excluded.offline_state,"
                            " local_revision = local_revision + ?24,"
                            " opened = CASE WHEN ?25 THEN 0 ELSE opened END"
                            " RETURNING rid", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, _sa_cache_obj_string (effective, "id"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, _sa_cache_obj_string (effective, "reg_number") ?: "", -1,
                     SQLITE_TRANSIENT);
  _sa_cache_bind_text (stmt, 3, _sa_cache_obj_string (effective, "channel"));
  sqlite3_bind_text (stmt, 4, _sa_cache_obj_string (effective, "status")
                               ?: sa_appeal_status_to_string (SA_APPEAL_STATUS_REGISTERED), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, priority_rank (_sa_cache_obj_string (effective, "priority")));
  _sa_cache_bind_text (stmt, 6, _sa_cache_obj_string (effective, "category"));
  _sa_cache_bind_text (stmt, 7, _sa_cache_obj_string (effective, "agency"));
  _sa_cache_bind_text (stmt, 8, _sa_cache_obj_string (effective, "executor"));
  _sa_cache_bind_text (stmt, 9, _sa_cache_obj_string (applicant, "name"));
  _sa_cache_bind_text (stmt, 10, _sa_cache_obj_string (address, "text"));
  _sa_cache_bind_text (stmt, 11, _sa_cache_obj_string (address, "district"));
  _sa_cache_bind_text (stmt, 12, _sa_cache_obj_string (effective, "text"));
  bind_time (stmt, 13, parse_time (_sa_cache_obj_string (effective, "received_at")));
  bind_time (stmt, 14, legal);
  bind_time (stmt, 15, op_due);
  bind_time (stmt, 16, sla_due);
  sqlite3_bind_int (stmt, 17, obj_int (effective, "is_repeat", 0) != 0);
  sqlite3_bind_int64 (stmt, 18, obj_int (effective, "version", 0));
  bind_time (stmt, 19, parse_time (_sa_cache_obj_string (effective, "updated_at")));
  sqlite3_bind_int64 (stmt, 22, server_version);
  sqlite3_bind_int (stmt, 23, state);
  sqlite3_bind_int (stmt, 24, bump_revision ? 1 : 0);
  sqlite3_bind_int (stmt, 25, reset_opened ? 1 : 0);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rid = sqlite3_column_int64 (stmt, 0);
  if (sqlite3_step (stmt) != SQLITE_DONE || rid == 0)
    {
      _sa_cache_db_error (c, error, "Could not write an appeal to the cache");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  stmt = _sa_cache_prepare (c, "INSERT OR REPLACE INTO appeal_docs (rid, json, server_json)"
                               " VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  sqlite3_bind_text (stmt, 2, eff_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, server_json, -1, SQLITE_STATIC);
  if (!_sa_cache_step (c, stmt, error))
    return FALSE;
  return write_reply_marks (c, rid, effective, error) &&
         write_history (c, rid, effective, error);
}

/* Rebuilds the shown appeal: the registry's JSON (@server, or the stored
 * one) with every pending or sent op folded on top, in outbox order, by
 * the appeal model's rules (sa_appeal_fold_pending()). */
gboolean
_sa_cache_rebuild_appeal (SaCache     *self,
                          const char  *appeal_id,
                          JsonNode    *server,
                          gboolean     bump_revision,
                          gboolean     reset_opened,
                          GError     **error)
{
  SaCacheConn *c = &self->writer;
  g_autofree char *login = _sa_cache_state_dup (c, "login");
  g_autofree char *agency = _sa_cache_state_dup (c, "agency");
  g_autofree char *server_text = NULL;
  g_autoptr(JsonNode) effective = NULL;
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (SaPendingOp));
  /* What the pending ops point into, for as long as they are folded. */
  g_autoptr(GPtrArray) op_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  SaCacheRow info;
  sqlite3_stmt *stmt;
  gboolean conflict = FALSE, rejected = FALSE;
  guint overlaid = 0;
  SaOfflineState state;
  gint64 server_version = 0;
  int rc;

  if (!_sa_cache_load_row (c, appeal_id, &info, error))
    return FALSE;
  if (server != NULL)
    {
      server_text = _sa_cache_to_json (server);
      effective = json_node_ref (server);
      server_version = obj_int (json_node_get_object (server), "version", 0);
    }
  else if (info.exists)
    {
      server_text = g_steal_pointer (&info.server_json);
      effective = _sa_cache_parse_json (server_text);
      server_version = info.server_version;
    }
  g_free (info.server_json);
  /* Ops on an appeal not (or no longer) cached stay in the outbox. */
  if (effective == NULL || !JSON_NODE_HOLDS_OBJECT (effective))
    return TRUE;

  stmt = _sa_cache_prepare (c, "SELECT op_id, type, args, state, created_at FROM outbox"
                               " WHERE appeal_id = ?1 ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SaOpState op_state = sqlite3_column_int (stmt, 3);

      if (op_state == SA_OP_CONFLICT)
        conflict = TRUE;
      else if (op_state == SA_OP_REJECTED)
        rejected = TRUE;
      else
        {
          JsonNode *node = _sa_cache_parse_json ((const char *) sqlite3_column_text (stmt, 2));
          SaPendingOp op = { 0, };

          /* An op of a type this build does not know still waits to be sent. */
          overlaid++;
          if (!sa_op_type_from_string ((const char *) sqlite3_column_text (stmt, 1), &op.type))
            {
              g_clear_pointer (&node, json_node_unref);
              continue;
            }
          if (node != NULL)
            g_ptr_array_add (args, node);
          op.args = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node)
                                                                  : NULL;
          op.op_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          g_ptr_array_add (op_ids, (char *) op.op_id);
          op.made_at = sqlite3_column_int64 (stmt, 4);
          g_array_append_val (pending, op);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sa_cache_db_error (c, error, "Could not read the outbox");
      return FALSE;
    }
  if (overlaid > 0)
    {
      /* json_node_copy() is shallow: fold into a private tree, never
       * into the caller's. */
      g_clear_pointer (&effective, json_node_unref);
      effective = _sa_cache_parse_json (server_text);
      sa_appeal_fold_pending (json_node_get_object (effective), (SaPendingOp *) pending->data,
                              pending->len, login, agency);
    }

  /* A problem the user must see outranks "waiting to be sent". */
  if (conflict)
    state = SA_OFFLINE_CONFLICT;
  else if (rejected)
    state = SA_OFFLINE_REJECTED;
  else if (overlaid > 0)
    state = SA_OFFLINE_MODIFIED;
  else
    state = SA_OFFLINE_SYNCED;

  return write_appeal (c, json_node_get_object (effective), server_text, server_version, state,
                       overlaid > 0, bump_revision, reset_opened, error);
}

/* ------------------------------------------------------------------ */
/* Pull */

static gboolean
delete_applied_ops (SaCacheConn *c,
                    JsonObject  *appeal,
                    GError     **error)
{
  JsonArray *history = obj_array (appeal, "history");

  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *payload = JSON_NODE_HOLDS_OBJECT (node)
                            ? obj_object (json_node_get_object (node), "payload") : NULL;
      const char *op_id = _sa_cache_obj_string (payload, "op_id");
      sqlite3_stmt *stmt;

      if (op_id == NULL)
        continue;
      /* Applied by the registry even if its answer was lost: showing the
       * op on top as well would show it twice. */
      stmt = _sa_cache_prepare (c, "DELETE FROM outbox WHERE op_id = ?1 AND state IN (0, 1)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
      if (!_sa_cache_step (c, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_news_for_me (JsonObject *appeal,
                const char *login)
{
  JsonArray *history = obj_array (appeal, "history");
  guint n = history != NULL ? json_array_get_length (history) : 0;
  JsonNode *last;

  if (n == 0)
    return TRUE;
  last = json_array_get_element (history, n - 1);
  return !JSON_NODE_HOLDS_OBJECT (last) ||
         g_strcmp0 (_sa_cache_obj_string (json_node_get_object (last), "actor"), login) != 0;
}

/* Stores the registry's appeal as the new base, unless the cache has a
 * newer one already (a push result can overtake the feed). */
gboolean
_sa_cache_store_server_appeal (SaCache     *self,
                               JsonNode    *data,
                               GPtrArray   *changed,
                               GError     **error)
{
  SaCacheConn *c = &self->writer;
  JsonObject *obj = json_node_get_object (data);
  const char *id = _sa_cache_obj_string (obj, "id");
  gint64 version = obj_int (obj, "version", 0);
  g_autofree char *login = NULL;
  SaCacheRow info;
  gboolean news;

  if (id == NULL)
    {
      g_set_error_literal (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID,
                           "An appeal without an id");
      return FALSE;
    }
  if (!_sa_cache_load_row (c, id, &info, error))
    return FALSE;
  g_free (info.server_json);
  if (info.exists && info.server_version > version)
    return TRUE;
  login = _sa_cache_state_dup (c, "login");
  news = info.exists && version > info.server_version && is_news_for_me (obj, login);
  if (!delete_applied_ops (c, obj, error) ||
      !_sa_cache_rebuild_appeal (self, id, data, FALSE, news, error))
    return FALSE;
  g_ptr_array_add (changed, g_strdup (id));
  return TRUE;
}

static gboolean
apply_one_change (SaCache     *self,
                  JsonNode    *node,
                  GPtrArray   *changed,
                  GError     **error)
{
  SaCacheConn *c = &self->writer;
  JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *kind = _sa_cache_obj_string (change, "kind");
  const char *id = _sa_cache_obj_string (change, "id");
  JsonNode *data = change != NULL ? json_object_get_member (change, "data") : NULL;
  gboolean removed = obj_int (change, "removed", 0) != 0 || data == NULL ||
                     !JSON_NODE_HOLDS_OBJECT (data);

  if (kind == NULL || id == NULL)
    {
      g_set_error_literal (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID,
                           "A change without kind or id");
      return FALSE;
    }
  if (strcmp (kind, "appeal") == 0)
    {
      if (!removed)
        return _sa_cache_store_server_appeal (self, data, changed, error);
      /* Out of sight (forwarded away): pending ops stay in the outbox and
       * will come back with the registry's answer. */
      g_ptr_array_add (changed, g_strdup (id));
      return _sa_cache_delete_by_key (c, "DELETE FROM appeals WHERE id = ?1", id, error);
    }
  if (_sa_cache_is_reference_kind (kind))
    return _sa_cache_put_reference (c, kind, id, removed ? NULL : json_node_get_object (data),
                                    error);
  /* A kind from a newer registry: skipped, not fatal. */
  g_debug ("Skipping a change of unknown kind “%s”", kind);
  return TRUE;
}

/* Why a feed entry cannot be read, or NULL. What the registry's feed
 * promises (docs/api.md): an object with a kind and an id, and for an
 * entity that is not removed, its state as an object with that id. */
static const char *
unreadable_reason (JsonNode *node)
{
  JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *kind = _sa_cache_obj_string (change, "kind");
  const char *id = _sa_cache_obj_string (change, "id");
  JsonNode *data = change != NULL ? json_object_get_member (change, "data") : NULL;
  JsonObject *obj;
  JsonNode *member;

  if (change == NULL)
    return "the entry is not an object";
  if (kind == NULL || id == NULL || *id == '\0')
    return "the entry has no kind or no id";
  if (obj_int (change, "removed", 0) != 0 || data == NULL || JSON_NODE_HOLDS_NULL (data))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (data))
    return "its data is not an object";
  obj = json_node_get_object (data);
  if (strcmp (kind, "appeal") == 0)
    {
      if (g_strcmp0 (_sa_cache_obj_string (obj, "id"), id) != 0)
        return "the appeal's id is missing or not the entry's";
      member = json_object_get_member (obj, "version");
      if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
          json_node_get_value_type (member) != G_TYPE_INT64 || json_node_get_int (member) < 1)
        return "the appeal's version is not a positive integer";
      if (_sa_cache_obj_string (obj, "status") == NULL ||
          _sa_cache_obj_string (obj, "reg_number") == NULL)
        return "the appeal has no status or registration number";
      for (guint i = 0; i < 3; i++)
        {
          static const char * const names[] = { "applicant", "address", "history" };

          member = json_object_get_member (obj, names[i]);
          if (member != NULL && !JSON_NODE_HOLDS_NULL (member) &&
              !(i < 2 ? JSON_NODE_HOLDS_OBJECT (member) : JSON_NODE_HOLDS_ARRAY (member)))
            return "the appeal's applicant, address or history has the wrong type";
        }
    }
  else if ((strcmp (kind, "agency") == 0 || strcmp (kind, "category") == 0) &&
           g_strcmp0 (_sa_cache_obj_string (obj, "code"), id) != 0)
    return "its code is missing or not the entry's id";
  else if (strcmp (kind, "user") == 0 && g_strcmp0 (_sa_cache_obj_string (obj, "login"), id) != 0)
    return "its login is missing or not the entry's id";
  else if (strcmp (kind, "template") == 0 &&
           (g_strcmp0 (_sa_cache_obj_string (obj, "id"), id) != 0 ||
            _sa_cache_obj_string (obj, "category") == NULL ||
            _sa_cache_obj_string (obj, "language") == NULL ||
            _sa_cache_obj_string (obj, "title") == NULL ||
            _sa_cache_obj_string (obj, "text") == NULL))
    return "the template has no id of the entry's, category, language, title or text";
  return NULL;
}

/* SQLite failed for a reason of its own (the disk, a lock, memory), not
 * because of what it was asked to store: the page must wait for later. */
static gboolean
is_storage_failure (SaCacheConn *c)
{
  switch (sqlite3_errcode (c->db) & 0xff)
    {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return FALSE;
    default:
      return TRUE;
    }
}

/* Keeps @node in the table of unreadable entries, replacing an older one
 * of the same entity, and says so in the log. */
static gboolean
set_aside (SaCacheConn *c,
           JsonNode    *node,
           const char  *reason,
           GError     **error)
{
  JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *kind = _sa_cache_obj_string (change, "kind");
  const char *id = _sa_cache_obj_string (change, "id");
  gint64 seq = obj_int (change, "seq", G_MININT64);
  g_autofree char *text = _sa_cache_to_json (node);
  sqlite3_stmt *stmt;

  g_message ("Set aside an entry of the change feed that this desk cannot read "
             "(seq %" G_GINT64_FORMAT ", %s %s): %s", seq, kind ? kind : "?", id ? id : "?",
             reason);
  if (kind != NULL && id != NULL)
    {
      stmt = _sa_cache_prepare (c, "DELETE FROM unreadable WHERE kind = ?1 AND entity_id = ?2",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      if (!_sa_cache_step (c, stmt, error))
        return FALSE;
    }
  stmt = _sa_cache_prepare (c, "INSERT INTO unreadable (seq, kind, entity_id, reason, entry,"
                               " seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  bind_time (stmt, 1, seq);
  _sa_cache_bind_text (stmt, 2, kind);
  _sa_cache_bind_text (stmt, 3, id);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC);
  return _sa_cache_step (c, stmt, error);
}

/* A readable entry of an entity replaces what was set aside of it. */
static gboolean
forget_unreadable (SaCacheConn *c,
                   JsonNode    *node,
                   GError     **error)
{
  JsonObject *change = json_node_get_object (node);
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "DELETE FROM unreadable WHERE kind = ?1"
                                             " AND entity_id = ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, _sa_cache_obj_string (change, "kind"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, _sa_cache_obj_string (change, "id"), -1, SQLITE_STATIC);
  return _sa_cache_step (c, stmt, error);
}

static gboolean
has_unreadable (SaCacheConn *c)
{
  sqlite3_stmt *stmt = _sa_cache_prepare (c, "SELECT EXISTS (SELECT 1 FROM unreadable)", NULL);
  gboolean any = FALSE;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    any = sqlite3_column_int (stmt, 0) != 0;
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return any;
}

/**
 * sa_cache_apply_changes:
 * @self: a #SaCache
 * @changes: the `changes` array of a `GET /api/v1/changes` page
 * @next_cursor: the page's `next`, stored as the new cursor
 * @error: return location for a #GError
 *
 * Applies a page of the change feed in one transaction: appeals (with
 * their history), agencies, categories and users; `"removed": true`
 * drops the entity. An appeal with pending local operations keeps
 * showing them on top of the new registry state; operations the page
 * shows as applied (their op_id is in the history) leave the outbox.
 * Either the whole page and the cursor are stored, or nothing is.
 *
 * An entry the cache cannot read (not what the feed promises, or data
 * SQLite refuses) does not hold the page back: it is set aside, whole, in
 * the table of unreadable entries (sa_cache_count_unreadable()) and logged,
 * the rest of the page and the cursor are stored, and what the cache held
 * of that entity stays as it was. A later readable entry of the entity
 * replaces it. A failure of the storage itself fails the page.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_apply_changes (SaCache    *self,
                        JsonArray  *changes,
                        gint64      next_cursor,
                        GError    **error)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  /* index → why, for the entries SQLite refused in an earlier try */
  g_autoptr(GHashTable) refused = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  guint n = json_array_get_length (changes);
  SaCacheConn *c;
  gboolean ok = TRUE;
  gboolean retry = TRUE;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  /* An entry SQLite refuses may have written half of itself: the page is
   * tried again without it, so there is no savepoint per entry. */
  while (ok && retry)
    {
      gboolean forget;

      retry = FALSE;
      g_ptr_array_set_size (changed, 0);
      ok = _sa_cache_begin (c, FALSE, error);
      forget = ok && has_unreadable (c);
      for (guint i = 0; ok && !retry && i < n; i++)
        {
          JsonNode *node = json_array_get_element (changes, i);
          const char *reason = g_hash_table_lookup (refused, GUINT_TO_POINTER (i));
          g_autoptr(GError) local = NULL;

          if (reason == NULL)
            reason = unreadable_reason (node);
          if (reason != NULL)
            ok = set_aside (c, node, reason, error);
          else if (apply_one_change (self, node, changed, &local))
            ok = !forget || forget_unreadable (c, node, error);
          else if (g_error_matches (local, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID) ||
                   !is_storage_failure (c))
            {
              g_hash_table_insert (refused, GUINT_TO_POINTER (i), g_strdup (local->message));
              retry = TRUE;
            }
          else
            {
              g_propagate_error (error, g_steal_pointer (&local));
              ok = FALSE;
            }
        }
      if (ok && !retry)
        ok = _sa_cache_state_set (c, "cursor", NULL, next_cursor, error) &&
             _sa_cache_commit (c, FALSE, error);
      else if (sa_sqlite_in_transaction (c->sql))
        _sa_cache_rollback (c, FALSE);
    }
  g_mutex_unlock (&c->lock);

  if (ok)
    _sa_cache_emit_changed (self, changed);
  return ok;
}

/**
 * sa_cache_count_unreadable:
 * @self: a #SaCache
 * @error: return location for a #GError
 *
 * How many entries of the change feed the cache set aside because it
 * could not read them (sa_cache_apply_changes()); they are kept, whole, in
 * the `unreadable` table. Reads on the main thread's connection.
 *
 * Returns: the count, or -1 on error
 */
gint64
sa_cache_count_unreadable (SaCache  *self,
                           GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_return_val_if_fail (SA_IS_CACHE (self), -1);

  g_mutex_lock (&self->reader.lock);
  stmt = _sa_cache_prepare (&self->reader, "SELECT count(*) FROM unreadable", error);
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      else
        _sa_cache_db_error (&self->reader, error, "Could not count the unreadable feed entries");
      sqlite3_reset (stmt);
    }
  g_mutex_unlock (&self->reader.lock);
  return n;
}

/**
 * sa_cache_reset:
 * @self: a #SaCache
 * @error: return location for a #GError
 *
 * Forgets the mirrored data and the cursor, for a 410 from the feed:
 * the next pull starts from 0. The outbox stays, so nothing the user did
 * is lost; its operations show again as each appeal comes back.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_cache_reset (SaCache  *self,
                GError  **error)
{
  SaCacheConn *c;
  gboolean ok;

  g_return_val_if_fail (SA_IS_CACHE (self), FALSE);

  c = &self->writer;
  g_mutex_lock (&c->lock);
  ok = _sa_cache_begin (c, FALSE, error) &&
       _sa_cache_exec (c, "DELETE FROM history; DELETE FROM awaiting_replies;"
                          " DELETE FROM appeal_marks; DELETE FROM appeal_notices; DELETE FROM appeal_docs;"
                          " DELETE FROM appeals;"
                          " DELETE FROM agencies;"
                          " DELETE FROM categories; DELETE FROM users; DELETE FROM unreadable;"
                          " DELETE FROM sync_state WHERE key = 'cursor';"
                          /* Sent ops go again: the registry answers a duplicate
                      * for those it has, by op_id. */
                          " UPDATE outbox SET state = 0 WHERE state = 1", error);
  if (ok)
    ok = _sa_cache_commit (c, FALSE, error);
  else
    _sa_cache_rollback (c, FALSE);
  g_mutex_unlock (&c->lock);
  if (ok)
    _sa_cache_emit_changed (self, NULL);
  return ok;
}
