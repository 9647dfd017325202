/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include "sa-attachment-store.h"
#include "sa-registry-store-private.h"

#define NAME_MAX_CHARS       255
#define INTAKE_MAX_FILES     20
/* How long an upload lets its user attach the file (see
 * _sa_registry_attachment_link); uploading again renews it. */
#define UPLOAD_GRANT_TTL     (24 * 3600)

/* Files: their bytes are kept beside the database (see
 * sa-registry-attachments.c), their type, size, uploaders and links here. */

/**
 * sa_store_attachments_dir:
 * @db: the database
 *
 * Returns: (transfer full) (nullable): where the files are kept, or %NULL
 *   for a database without a file
 */
char *
sa_store_attachments_dir (SaRegistryDb *db)
{
  const char *file = sqlite3_db_filename (sa_registry_db_get_handle (db), "main");
  g_autofree char *dir = NULL;

  if (file == NULL || *file == '\0')
    return NULL;
  dir = g_path_get_dirname (file);
  return g_build_filename (dir, "attachments", NULL);
}

/**
 * sa_store_upload_record:
 * @db: the database, outside a transaction
 * @sha256: the file's hash
 * @content_type: its type
 * @size: its size
 * @login: who uploaded it
 * @now: when
 * @created: (out): whether the file is new to the registry
 * @error: return location for a #GError
 *
 * Records an upload in one transaction. The file's row names its first
 * uploader; every uploader gets their own row in attachment_uploads,
 * which lets them attach the file.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_store_upload_record (SaRegistryDb  *db,
                        const char    *sha256,
                        const char    *content_type,
                        gint64         size,
                        const char    *login,
                        gint64         now,
                        gboolean      *created,
                        GError       **error)
{
  sqlite3_stmt *stmt;

  if (!sa_registry_db_begin (db, error))
    goto fail;
  stmt = sa_registry_db_prepare (db,
                                 "INSERT OR IGNORE INTO attachments (sha256, content_type, size,"
                                 " created_at, uploaded_by) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, content_type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, size);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_text (stmt, 5, login, -1, SQLITE_STATIC);
  if (!sa_registry_db_step_done (db, stmt, error))
    goto fail;
  *created = sqlite3_changes (sa_registry_db_get_handle (db)) > 0;
  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO attachment_uploads (sha256, login, uploaded_at)"
                                 " VALUES (?1, ?2, ?3) ON CONFLICT (sha256, login)"
                                 " DO UPDATE SET uploaded_at = excluded.uploaded_at", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, login, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!sa_registry_db_step_done (db, stmt, error) || !sa_registry_db_commit (db, error))
    goto fail;
  return TRUE;

fail:
  sa_registry_db_rollback (db);
  return FALSE;
}

/**
 * sa_store_attachment_visible:
 * @db: the database
 * @user: the reader
 * @sha256: a file's hash
 * @content_type: (out) (transfer full): its type
 * @size: (out): its size
 *
 * A file @user may see is one linked to at least one appeal they see. A
 * missing file answers the same.
 *
 * Returns: whether @user may see the file
 */
gboolean
sa_store_attachment_visible (SaRegistryDb    *db,
                             SaRegistryUser  *user,
                             const char      *sha256,
                             char           **content_type,
                             gint64          *size)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT f.content_type, f.size FROM attachments f"
                                 " WHERE f.sha256 = ?1 AND EXISTS (SELECT 1"
                                 "  FROM appeal_attachments l JOIN appeals a ON a.id = l.appeal_id"
                                 "  WHERE l.sha256 = f.sha256 AND " SA_REGISTRY_VISIBLE_SQL ("a")
                                 ")", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  _sa_registry_bind_visibility (stmt, user);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *content_type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *size = sqlite3_column_int64 (stmt, 1);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

/* Linking, for the attach op and intake */

static gboolean
name_is_valid (const char *name)
{
  glong n;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  n = g_utf8_strlen (name, -1);
  if (n < 1 || n > NAME_MAX_CHARS)
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/**
 * _sa_registry_attachment_link:
 * @db: the database, inside the op's transaction
 * @appeal_id: the appeal (the caller checked that its user may see it)
 * @sha256: (nullable): an uploaded file's hash
 * @name: (nullable): the file's name as people see it; never a path
 * @actor: who links it
 * @now: when
 * @payload: an open JSON object to add the history payload to
 * @reject_code: (out): a rejection code when the input breaks a rule
 * @reject_message: (out): the sentence for it
 * @error: return location for a database error
 *
 * Returns: %TRUE if linked; %FALSE with either a rejection or @error
 */
gboolean
_sa_registry_attachment_link (SaRegistryDb  *db,
                              const char    *appeal_id,
                              const char    *sha256,
                              const char    *name,
                              const char    *actor,
                              gint64         now,
                              JsonBuilder   *payload,
                              const char   **reject_code,
                              char         **reject_message,
                              GError       **error)
{
  g_autofree char *content_type = NULL;
  g_autoptr(SaRegistryUser) user = NULL;
  gint64 size = 0;
  sqlite3_stmt *stmt;
  gboolean linked;

  if (!sa_attachment_is_sha256 (sha256) || !name_is_valid (name))
    {
      *reject_code = "invalid_args";
      *reject_message = g_strdup ("Give \"args.sha256\" (64 lowercase hex digits) and "
                                  "\"args.name\" (1 to 255 characters).");
      return FALSE;
    }

  /* A hash is no key: knowing it (from a log, a screenshot, another
   * appeal's history) must not let anyone attach the file to an appeal
   * of their own and then read it. @actor may link a file they uploaded
   * within UPLOAD_GRANT_TTL (an upload proves they have the bytes), or
   * one they can read already (linked to an appeal they see). Anything
   * else answers exactly like a file that does not exist. */
  user = _sa_registry_user_lookup (db, actor);
  if (user != NULL)
    {
      stmt = sa_registry_db_prepare (db,
                                     "SELECT f.content_type, f.size FROM attachments f"
                                     " WHERE f.sha256 = ?1 AND (EXISTS (SELECT 1"
                                     "  FROM attachment_uploads u WHERE u.sha256 = f.sha256"
                                     "  AND u.login = ?2 AND u.uploaded_at >= ?3)"
                                     " OR EXISTS (SELECT 1 FROM appeal_attachments l"
                                     "  JOIN appeals a ON a.id = l.appeal_id"
                                     "  WHERE l.sha256 = f.sha256 AND "
                                     SA_REGISTRY_VISIBLE_SQL ("a") "))", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, user->login, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, now - UPLOAD_GRANT_TTL);
      _sa_registry_bind_visibility (stmt, user);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          content_type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          size = sqlite3_column_int64 (stmt, 1);
        }
      sqlite3_reset (stmt);
    }
  if (content_type == NULL)
    {
      *reject_code = "unknown_attachment";
      *reject_message = g_strdup ("You have not uploaded a file with this SHA-256 (in the "
                                  "last 24 hours) and see no appeal that has it; upload it "
                                  "with PUT /api/v1/attachments/{sha256} first.");
      return FALSE;
    }

  stmt = sa_registry_db_prepare (db, "SELECT 1 FROM appeal_attachments WHERE appeal_id = ?1"
                                     " AND sha256 = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sha256, -1, SQLITE_STATIC);
  linked = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (linked)
    {
      *reject_code = "already_attached";
      *reject_message = g_strdup ("This file is attached to the appeal already.");
      return FALSE;
    }

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO appeal_attachments (appeal_id, sha256, name,"
                                 " added_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_text (stmt, 5, actor, -1, SQLITE_STATIC);
  if (!sa_registry_db_step_done (db, stmt, error))
    return FALSE;

  json_builder_set_member_name (payload, "sha256");
  json_builder_add_string_value (payload, sha256);
  json_builder_set_member_name (payload, "name");
  json_builder_add_string_value (payload, name);
  json_builder_set_member_name (payload, "content_type");
  json_builder_add_string_value (payload, content_type);
  json_builder_set_member_name (payload, "size");
  json_builder_add_int_value (payload, size);
  return TRUE;
}

/**
 * _sa_registry_attachments_link_intake:
 * @db: the database, inside the intake's transaction
 * @appeal_id: the new appeal
 * @list: (nullable): the intake's "attachments" member
 * @actor: the operator
 * @now: the registration time
 * @error: return location for a #GError (%SA_REGISTRY_ERROR_INVALID for bad input)
 *
 * Links the files an intake names, each with an "attached" history event.
 *
 * Returns: %FALSE on error; the caller rolls back
 */
gboolean
_sa_registry_attachments_link_intake (SaRegistryDb  *db,
                                      const char    *appeal_id,
                                      JsonNode      *list,
                                      const char    *actor,
                                      gint64         now,
                                      GError       **error)
{
  JsonArray *array;
  guint n;

  if (list == NULL || JSON_NODE_HOLDS_NULL (list))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (list) ||
      (n = json_array_get_length (array = json_node_get_array (list))) > INTAKE_MAX_FILES)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                   "\"attachments\" must be a list of at most %d {\"sha256\",\"name\"} objects.",
                   INTAKE_MAX_FILES);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) payload = NULL;
      g_autofree char *message = NULL;
      const char *code = NULL;

      json_builder_begin_object (b);
      if (!_sa_registry_attachment_link (db, appeal_id,
                                         obj != NULL ? json_object_get_string_member_with_default (
                                             obj, "sha256", NULL) : NULL,
                                         obj != NULL ? json_object_get_string_member_with_default (
                                             obj, "name", NULL) : NULL,
                                         actor, now, b, &code, &message, error))
        {
          if (code != NULL)
            g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                         "attachments[%u]: %s", i,
                         g_strcmp0 (code, "invalid_args") == 0
                         ? "give \"sha256\" (64 lowercase hex digits) and \"name\" "
                           "(1 to 255 characters)." : message);
          return FALSE;
        }
      json_builder_end_object (b);
      payload = json_builder_get_root (b);
      if (!sa_store_history_append (db, appeal_id, now, actor, "attached", payload, error))
        return FALSE;
    }
  return TRUE;
}
