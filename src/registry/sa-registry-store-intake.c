/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"
#include "sa-registry-store-private.h"

#define REPEAT_WINDOW   (15 * 24 * 3600)

gboolean
sa_store_history_append (SaRegistryDb  *db,
                          const char    *appeal_id,
                          gint64         at,
                          const char    *actor,
                          const char    *type,
                          JsonNode      *payload,
                          GError       **error)
{
  g_autofree char *text = payload != NULL ? _sa_registry_json_to_string (payload) : NULL;
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO history (appeal_id, at, actor, type, payload)"
                                 " VALUES (?1, ?2, ?3, ?4, COALESCE (?5, '{}'))", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_text (stmt, 3, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, text, -1, SQLITE_STATIC);
  return sa_registry_db_step_done (db, stmt, error);
}

/**
 * sa_store_history_append_op:
 * @db: the database, inside the op's transaction
 * @appeal_id: the appeal
 * @at: when the registry applied the op
 * @made_at: when the person made it
 * @actor: who
 * @type: the event's type
 * @payload: the event's payload
 * @op_id: the op's UUID
 * @error: return location for a #GError
 *
 * Appends the history event of an applied op.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_store_history_append_op (SaRegistryDb  *db,
                            const char    *appeal_id,
                            gint64         at,
                            gint64         made_at,
                            const char    *actor,
                            const char    *type,
                            JsonObject    *payload,
                            const char    *op_id,
                            GError       **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), payload);
  g_autofree char *text = _sa_registry_json_to_string (node);
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO history (appeal_id, at, actor, type, payload,"
                                 " made_at, op_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_text (stmt, 3, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, made_at);
  sqlite3_bind_text (stmt, 7, op_id, -1, SQLITE_STATIC);
  return sa_registry_db_step_done (db, stmt, error);
}

/* The priority an appeal starts with when intake names none. */
static const char *
priority_for_criticality (const char *criticality)
{
  SaCriticality c = SA_CRITICALITY_NORMAL;

  sa_criticality_from_string (criticality, &c);
  return sa_priority_to_string (sa_criticality_priority (c));
}

static char *
next_reg_number (SaRegistryDb  *db,
                 gint64         at,
                 GError       **error)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, _sa_registry_almaty ());
  int year = g_date_time_get_year (local);
  sqlite3_stmt *stmt;
  gint64 n = 0;

  /* The counter row and the appeal are written in one transaction, so a
   * number is never handed out twice nor skipped by a failed insert. */
  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO reg_counters (year, last) VALUES (?1, 1)"
                                 " ON CONFLICT (year) DO UPDATE SET last = last + 1"
                                 " RETURNING last", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, year);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (n <= 0)
    {
      sa_registry_db_set_error (db, error);
      return NULL;
    }
  return g_strdup_printf ("ALA-%04d-%06" G_GINT64_FORMAT, year, n);
}

/**
 * _sa_registry_appeal_insert:
 * @db: the database, inside a transaction
 * @in: a validated appeal
 * @actor: who registers it
 * @now: the registration time
 * @error: return location for a #GError
 *
 * Registers an appeal: number, routing to the category's agency, repeat
 * link, deadlines, its first history event and its feed entry.
 *
 * Returns: (transfer full): the new appeal's UUID, or %NULL
 */
char *
_sa_registry_appeal_insert (SaRegistryDb         *db,
                            const SaAppealInput  *in,
                            const char           *actor,
                            gint64                now,
                            GError              **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *reg_number = NULL;
  g_autofree char *agency = NULL;
  g_autofree char *criticality = NULL;
  g_autofree char *repeat_of = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) payload = NULL;
  const char *registered = sa_appeal_status_to_string (SA_APPEAL_STATUS_REGISTERED);
  const char *status = in->status != NULL ? in->status : registered;
  sqlite3_stmt *stmt;
  gint64 version = 1;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT default_agency, criticality FROM categories"
                                 " WHERE code = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, in->category, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      agency = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      criticality = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (agency == NULL)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                   "Unknown category “%s”", in->category);
      return NULL;
    }
  if (in->agency != NULL)
    {
      g_free (agency);
      agency = g_strdup (in->agency);
    }

  stmt = sa_registry_db_prepare (db,
                                 "SELECT id FROM appeals WHERE applicant_iin = ?1"
                                 " AND category = ?2 AND received_at >= ?3 AND received_at <= ?4"
                                 " ORDER BY received_at DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, in->applicant_iin, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, in->category, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, in->received_at - REPEAT_WINDOW);
  sqlite3_bind_int64 (stmt, 4, in->received_at);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    repeat_of = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  reg_number = next_reg_number (db, now, error);
  if (reg_number == NULL)
    return NULL;

  if (strcmp (status, registered) != 0)
    version = 2;

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO appeals (id, reg_number, channel, status, priority,"
                                 " category, agency, intake_agency, applicant_name, applicant_iin,"
                                 " applicant_phone, applicant_email, address_text, district, lat,"
                                 " lon, text, language, received_at, legal_due_at,"
                                 " resolution_due_at, version, is_repeat, repeat_of, created_at,"
                                 " updated_at, executor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                                 " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
                                 " ?21, ?22, ?23, ?24, ?25, ?25, ?26)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, reg_number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, in->channel, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, in->priority != NULL ? in->priority
                                                    : priority_for_criticality (criticality),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, in->category, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, agency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, in->intake_agency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, in->applicant_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, in->applicant_iin, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, in->applicant_phone, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, in->applicant_email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, in->address_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, in->district, -1, SQLITE_STATIC);
  if (in->has_coordinates)
    {
      sqlite3_bind_double (stmt, 15, in->lat);
      sqlite3_bind_double (stmt, 16, in->lon);
    }
  sqlite3_bind_text (stmt, 17, in->text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 18, in->language, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 19, in->received_at);
  sqlite3_bind_int64 (stmt, 20, _sa_registry_legal_due (in->received_at));
  sqlite3_bind_int64 (stmt, 21, _sa_registry_operational_due (db, in->category,
                                                              in->received_at));
  sqlite3_bind_int64 (stmt, 22, version);
  sqlite3_bind_int (stmt, 23, repeat_of != NULL);
  sqlite3_bind_text (stmt, 24, repeat_of, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 25, now);
  sqlite3_bind_text (stmt, 26, in->executor, -1, SQLITE_STATIC);
  if (!sa_registry_db_step_done (db, stmt, error))
    return NULL;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, in->channel);
  json_builder_set_member_name (b, "reg_number");
  json_builder_add_string_value (b, reg_number);
  json_builder_set_member_name (b, "agency");
  json_builder_add_string_value (b, agency);
  if (repeat_of != NULL)
    {
      json_builder_set_member_name (b, "repeat_of");
      json_builder_add_string_value (b, repeat_of);
    }
  json_builder_end_object (b);
  payload = json_builder_get_root (b);
  if (!sa_store_history_append (db, id, now, actor, SA_EVENT_REGISTERED, payload, error))
    return NULL;

  if (strcmp (status, registered) != 0)
    {
      g_autoptr(JsonBuilder) sb = json_builder_new ();
      g_autoptr(JsonNode) spayload = NULL;

      json_builder_begin_object (sb);
      json_builder_set_member_name (sb, "from");
      json_builder_add_string_value (sb, registered);
      json_builder_set_member_name (sb, "to");
      json_builder_add_string_value (sb, status);
      json_builder_end_object (sb);
      spayload = json_builder_get_root (sb);
      if (!sa_store_history_append (db, id, now, in->executor != NULL ? in->executor : actor,
                                     SA_EVENT_STATUS_CHANGED, spayload, error))
        return NULL;
    }

  if (sa_registry_db_touch (db, "appeal", id, NULL, error) == 0)
    return NULL;
  return g_steal_pointer (&id);
}

/* Finds the district of an address: a district's name, or a known street
 * (from the reference data) named in the text. */
char *
sa_store_district_for_address (SaRegistryDb *db,
                 const char   *address)
{
  g_autofree char *folded = g_utf8_casefold (address, -1);
  sqlite3_stmt *stmt;
  char *found = NULL;

  stmt = sa_registry_db_prepare (db, "SELECT code, name_ru, name_kk FROM districts", NULL);
  while (stmt != NULL && found == NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int col = 1; col <= 2 && found == NULL; col++)
        {
          g_autofree char *name = g_utf8_casefold ((const char *) sqlite3_column_text (stmt, col),
                                                   -1);
          /* "Медеуский район" → match on the stem "медеуск" too. */
          if (g_utf8_strlen (name, -1) >= 4 && strstr (folded, name) != NULL)
            found = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        }
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (found != NULL)
    return found;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT district FROM streets"
                                 " WHERE instr (?1, lower (name)) > 0 OR instr (?2, name) > 0"
                                 " ORDER BY length (name) DESC LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, folded, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, address, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    found = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return found;
}

gboolean
sa_store_district_exists (SaRegistryDb *db,
                 const char   *code)
{
  return sa_registry_db_code_exists (db, "districts", code);
}

gboolean
sa_store_category_exists (SaRegistryDb *db,
                 const char   *code)
{
  return sa_registry_db_code_exists (db, "categories", code);
}

/* The appeal an earlier intake with @intake_id registered, if any; FALSE
 * when the key was used by another user or for another body. */
gboolean
sa_store_intake_lookup (SaRegistryDb   *db,
               const char     *intake_id,
               SaRegistryUser *user,
               const char     *digest,
               char          **out_appeal_id)
{
  sqlite3_stmt *stmt;
  gboolean same = TRUE;

  *out_appeal_id = NULL;
  stmt = sa_registry_db_prepare (db,
                                 "SELECT user_id, digest, appeal_id FROM intakes"
                                 " WHERE intake_id = ?1", NULL);
  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, intake_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      same = sqlite3_column_int64 (stmt, 0) == user->id &&
             g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), digest) == 0;
      if (same)
        *out_appeal_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  return same;
}

gboolean
sa_store_intake_remember (SaRegistryDb    *db,
                 const char      *intake_id,
                 SaRegistryUser  *user,
                 const char      *digest,
                 const char      *appeal_id,
                 gint64           now,
                 GError         **error)
{
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO intakes (intake_id, user_id, digest, appeal_id, at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, intake_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, user->id);
  sqlite3_bind_text (stmt, 3, digest, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  return sa_registry_db_step_done (db, stmt, error);
}

/**
 * sa_store_intake_insert:
 * @db: the database, outside a transaction
 * @in: a validated appeal
 * @user: the operator who registers it
 * @intake_id: (nullable): the channel's idempotency key
 * @digest: (nullable): what makes a retry with @intake_id the same intake
 * @attachments: (nullable): the intake's "attachments" member
 * @now: the registration time
 * @error: return location for a #GError
 *
 * Registers an intake in one transaction: the appeal, its attachments and
 * the record of @intake_id. Nothing is written when any part fails.
 *
 * Returns: (transfer full): the new appeal's UUID, or %NULL
 */
char *
sa_store_intake_insert (SaRegistryDb         *db,
                        const SaAppealInput  *in,
                        SaRegistryUser       *user,
                        const char           *intake_id,
                        const char           *digest,
                        JsonNode             *attachments,
                        gint64                now,
                        GError              **error)
{
  g_autofree char *id = NULL;

  if (!sa_registry_db_begin (db, error))
    return NULL;
  id = _sa_registry_appeal_insert (db, in, user->login, now, error);
  if (id == NULL ||
      !_sa_registry_attachments_link_intake (db, id, attachments, user->login, now, error) ||
      (intake_id != NULL &&
       !sa_store_intake_remember (db, intake_id, user, digest, id, now, error)) ||
      !sa_registry_db_commit (db, error))
    {
      sa_registry_db_rollback (db);
      return NULL;
    }
  return g_steal_pointer (&id);
}

/**
 * sa_store_appeal_set_outcome:
 * @db: the database, inside a transaction
 * @appeal_id: the appeal
 * @status: its status now
 * @executor: (nullable): its executor
 * @priority: its priority
 * @version: its version
 * @updated_at: when it last changed
 * @answered_at: when it was answered, or 0
 * @under_control: whether it is under its supervisor's control
 * @error: return location for a #GError
 *
 * Writes where an appeal's story ended, for the demo, which replays the
 * ops into the history and the replies and then writes the state they
 * arrived at in one statement.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_store_appeal_set_outcome (SaRegistryDb  *db,
                             const char    *appeal_id,
                             const char    *status,
                             const char    *executor,
                             const char    *priority,
                             gint64         version,
                             gint64         updated_at,
                             gint64         answered_at,
                             gboolean       under_control,
                             GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "UPDATE appeals SET status = ?2, executor = ?3, priority = ?4,"
                                 " version = ?5, updated_at = ?6, answered_at = ?7,"
                                 " under_control = ?8 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, executor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, priority, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, version);
  sqlite3_bind_int64 (stmt, 6, updated_at);
  if (answered_at != 0)
    sqlite3_bind_int64 (stmt, 7, answered_at);
  sqlite3_bind_int (stmt, 8, under_control);
  return sa_registry_db_step_done (db, stmt, error);
}

/**
 * sa_store_has_people_or_appeals:
 * @db: the database
 * @found: (out): whether it has any account or appeal
 * @error: return location for a #GError
 *
 * Returns: %FALSE on a database error
 */
gboolean
sa_store_has_people_or_appeals (SaRegistryDb  *db,
                                gboolean      *found,
                                GError       **error)
{
  sqlite3_stmt *stmt;

  *found = TRUE;
  stmt = sa_registry_db_prepare (db,
                                 "SELECT NOT EXISTS (SELECT 1 FROM users)"
                                 " AND NOT EXISTS (SELECT 1 FROM appeals)", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *found = sqlite3_column_int (stmt, 0) == 0;
  sqlite3_reset (stmt);
  return TRUE;
}
