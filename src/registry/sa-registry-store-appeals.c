/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include <math.h>

#include "sa-appeal-model.h"
#include "sa-registry-store-private.h"

/**
 * _sa_registry_attachments_write:
 * @db: the database
 * @appeal_id: the appeal
 * @out: the appeal's JSON object being written, after its first member
 *
 * Appends the appeal's "attachments" member.
 */
void
_sa_registry_attachments_write (SaRegistryDb *db,
                                const char   *appeal_id,
                                GString      *out)
{
  sqlite3_stmt *stmt;
  gboolean first = TRUE;

  g_string_append (out, ",\"attachments\":[");
  stmt = sa_registry_db_prepare (db,
                                 "SELECT l.sha256, l.name, f.content_type, f.size"
                                 " FROM appeal_attachments l JOIN attachments f"
                                 " ON f.sha256 = l.sha256 WHERE l.appeal_id = ?1"
                                 " ORDER BY l.added_at, l.name", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_string_append (out, first ? "{\"sha256\":" : ",{\"sha256\":");
          first = FALSE;
          _sa_registry_json_append_string (out, (const char *) sqlite3_column_text (stmt, 0));
          g_string_append (out, ",\"name\":");
          _sa_registry_json_append_string (out, (const char *) sqlite3_column_text (stmt, 1));
          g_string_append (out, ",\"content_type\":");
          _sa_registry_json_append_string (out, (const char *) sqlite3_column_text (stmt, 2));
          g_string_append_printf (out, ",\"size\":%" G_GINT64_FORMAT "}",
                                  (gint64) sqlite3_column_int64 (stmt, 3));
        }
      sqlite3_reset (stmt);
    }
  g_string_append_c (out, ']');
}

static void
put_key (GString    *out,
         const char *key)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, key);
  g_string_append (out, "\":");
}

static void
put_text (GString      *out,
          const char   *key,
          sqlite3_stmt *stmt,
          int           col)
{
  put_key (out, key);
  _sa_registry_json_append_string (out, (const char *) sqlite3_column_text (stmt, col));
}

static void
put_time (GString      *out,
          const char   *key,
          sqlite3_stmt *stmt,
          int           col)
{
  put_key (out, key);
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    g_string_append (out, "null");
  else
    {
      g_autofree char *text = _sa_registry_format_time (sqlite3_column_int64 (stmt, col));

      _sa_registry_json_append_string (out, text);
    }
}

static void
put_double (GString      *out,
            const char   *key,
            sqlite3_stmt *stmt,
            int           col)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  double value = sqlite3_column_double (stmt, col);

  put_key (out, key);
  /* JSON has no infinity: a value stored before intake checked it must
   * not make the whole feed page unreadable. */
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL || !isfinite (value))
    g_string_append (out, "null");
  else
    g_string_append (out, g_ascii_dtostr (buf, sizeof buf, value));
}

/**
 * _sa_registry_appeal_write:
 * @db: the database
 * @appeal_id: the UUID
 * @with_history: whether to add the history
 * @out: where to append the appeal's JSON object
 *
 * Writes the appeal's JSON. The caller has checked the rights.
 *
 * Returns: %FALSE if there is no such appeal (nothing is appended)
 */
gboolean
_sa_registry_appeal_write (SaRegistryDb *db,
                           const char   *appeal_id,
                           gboolean      with_history,
                           GString      *out)
{
  sqlite3_stmt *stmt;
  gboolean first;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT id, reg_number, channel, status, priority, category,"
                                 " agency, executor, applicant_name, applicant_iin,"
                                 " applicant_phone, applicant_email, address_text, district,"
                                 " lat, lon, text, language, received_at, legal_due_at,"
                                 " resolution_due_at, version, is_repeat, repeat_of, created_at,"
                                 " updated_at, reaction_due_at, answered_at FROM appeals"
                                 " WHERE id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }

  g_string_append_c (out, '{');
  put_text (out, "id", stmt, 0);
  put_text (out, "reg_number", stmt, 1);
  put_text (out, "channel", stmt, 2);
  put_text (out, "status", stmt, 3);
  put_text (out, "priority", stmt, 4);
  put_text (out, "category", stmt, 5);
  put_text (out, "agency", stmt, 6);
  put_text (out, "executor", stmt, 7);
  put_key (out, "applicant");
  g_string_append_c (out, '{');
  put_text (out, "name", stmt, 8);
  put_text (out, "iin", stmt, 9);
  put_text (out, "phone", stmt, 10);
  put_text (out, "email", stmt, 11);
  g_string_append (out, "}");
  put_key (out, "address");
  g_string_append_c (out, '{');
  put_text (out, "text", stmt, 12);
  put_text (out, "district", stmt, 13);
  put_double (out, "lat", stmt, 14);
  put_double (out, "lon", stmt, 15);
  g_string_append (out, "}");
  put_text (out, "text", stmt, 16);
  put_text (out, "language", stmt, 17);
  put_time (out, "received_at", stmt, 18);
  put_time (out, sa_deadline_field (SA_DEADLINE_LEGAL), stmt, 19);
  put_time (out, sa_deadline_field (SA_DEADLINE_RESOLUTION), stmt, 20);
  put_time (out, sa_deadline_field (SA_DEADLINE_REACTION), stmt, 26);
  put_time (out, SA_APPEAL_FIELD_ANSWERED_AT, stmt, 27);
  put_key (out, "version");
  g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 21));
  put_key (out, "is_repeat");
  g_string_append (out, sqlite3_column_int (stmt, 22) ? "true" : "false");
  put_text (out, "repeat_of", stmt, 23);
  put_time (out, "created_at", stmt, 24);
  put_time (out, "updated_at", stmt, 25);
  sqlite3_reset (stmt);

  stmt = sa_registry_db_prepare (db,
                                 "SELECT agency, role FROM appeal_agencies WHERE appeal_id = ?1"
                                 " ORDER BY role, agency", NULL);
  if (stmt != NULL)
    {
      GString *escalated = g_string_new ("[");

      put_key (out, "coexecutors");
      g_string_append_c (out, '[');
      first = TRUE;
      sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gboolean coexecutor = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1),
                                           "coexecutor") == 0;
          GString *list = coexecutor ? out : escalated;

          if (coexecutor ? !first : escalated->len > 1)
            g_string_append_c (list, ',');
          if (coexecutor)
            first = FALSE;
          _sa_registry_json_append_string (list, (const char *) sqlite3_column_text (stmt, 0));
        }
      sqlite3_reset (stmt);
      g_string_append_c (out, ']');
      put_key (out, "escalated_to");
      g_string_append_len (out, escalated->str, escalated->len);
      g_string_append_c (out, ']');
      g_string_free (escalated, TRUE);
    }

  _sa_registry_attachments_write (db, appeal_id, out);

  if (with_history)
    {
      stmt = sa_registry_db_prepare (db,
                                     "SELECT seq, at, actor, type,"
                                     " CASE WHEN json_valid (payload) THEN payload END,"
                                     " made_at, op_id FROM history"
                                     " WHERE appeal_id = ?1 ORDER BY seq", NULL);
      put_key (out, "history");
      g_string_append_c (out, '[');
      first = TRUE;
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            {
              if (!first)
                g_string_append_c (out, ',');
              first = FALSE;
              g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT,
                                      (gint64) sqlite3_column_int64 (stmt, 0));
              put_time (out, "at", stmt, 1);
              put_text (out, "actor", stmt, 2);
              put_text (out, "type", stmt, 3);
              put_time (out, "made_at", stmt, 5);
              put_text (out, "op_id", stmt, 6);
              /* Stored by the registry as JSON, so it goes out as it is,
               * once SQLite has checked that it is JSON; null if not. */
              put_key (out, "payload");
              if (sqlite3_column_type (stmt, 4) == SQLITE_NULL)
                g_string_append (out, "null");
              else if (g_utf8_validate ((const char *) sqlite3_column_text (stmt, 4), -1, NULL))
                g_string_append (out, (const char *) sqlite3_column_text (stmt, 4));
              else
                {
                  g_autofree char *valid =
                    g_utf8_make_valid ((const char *) sqlite3_column_text (stmt, 4), -1);

                  g_string_append (out, valid);
                }
              g_string_append_c (out, '}');
            }
          sqlite3_reset (stmt);
        }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');
  return TRUE;
}

/**
 * _sa_registry_appeal_to_json:
 * @db: the database
 * @appeal_id: the UUID
 * @with_history: whether to add the history
 *
 * Returns: (transfer full) (nullable): the appeal as a tree, or %NULL if missing
 */
JsonNode *
_sa_registry_appeal_to_json (SaRegistryDb *db,
                             const char   *appeal_id,
                             gboolean      with_history)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!_sa_registry_appeal_write (db, appeal_id, with_history, out))
    return NULL;
  return json_from_string (out->str, NULL);
}
