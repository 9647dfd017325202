/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include "sa-registry-store-private.h"

/* Accounts and sessions. The policy (login and password rules, hashing,
 * throttling, token making) is sa-registry-auth.c's; this file keeps the
 * rows. Tokens are stored as their SHA-256 digests only. */

void
sa_registry_user_free (SaRegistryUser *user)
{
  if (user == NULL)
    return;
  g_free (user->login);
  g_free (user->full_name);
  g_free (user->agency);
  g_free (user);
}

static SaRegistryUser *
user_from_row (sqlite3_stmt *stmt)
{
  SaRegistryUser *user = g_new0 (SaRegistryUser, 1);

  user->id = sqlite3_column_int64 (stmt, 0);
  user->login = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  user->full_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  user->agency = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  user->disabled = sqlite3_column_int (stmt, 5) != 0;
  /* The users table checks the role; one this build does not know may do nothing. */
  if (!sa_role_from_string ((const char *) sqlite3_column_text (stmt, 4), &user->role))
    user->disabled = TRUE;
  return user;
}

#define USER_COLUMNS "id, login, full_name, agency, role, disabled"

SaRegistryUser *
_sa_registry_user_lookup (SaRegistryDb *db,
                          const char   *login)
{
  sqlite3_stmt *stmt;
  SaRegistryUser *user = NULL;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT " USER_COLUMNS " FROM users WHERE login = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    user = user_from_row (stmt);
  sqlite3_reset (stmt);
  return user;
}

gboolean
sa_store_user_login_taken (SaRegistryDb  *db,
                           const char    *login,
                           gboolean      *taken,
                           GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db, "SELECT 1 FROM users WHERE login = ?1 COLLATE NOCASE",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  *taken = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
sa_store_agency_exists (SaRegistryDb *db,
                        const char   *code)
{
  return sa_registry_db_code_exists (db, "agencies", code);
}

/**
 * sa_store_user_add_row:
 * @db: the database, inside a transaction
 * @login: a valid, new login
 * @full_name: the person's name
 * @agency: an agency code
 * @role: a role
 * @pwhash: the password's hash
 * @now: the creation time
 * @error: return location for a #GError
 *
 * Adds an account and its feed entry.
 *
 * Returns: %TRUE on success; %SA_REGISTRY_ERROR_EXISTS if the login is taken
 */
gboolean
sa_store_user_add_row (SaRegistryDb  *db,
                       const char    *login,
                       const char    *full_name,
                       const char    *agency,
                       const char    *role,
                       const char    *pwhash,
                       gint64         now,
                       GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO users (login, full_name, agency, role, pwhash,"
                                 " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, full_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, agency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, role, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, pwhash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (sa_registry_db_get_handle (db)) ==
          SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_EXISTS,
                     "the login “%s” is taken", login);
      else
        sa_registry_db_set_error (db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return sa_registry_db_touch (db, "user", login, NULL, error) != 0;
}

/**
 * sa_store_user_insert:
 * @db: the database, outside a transaction
 * @login: a valid, new login
 * @full_name: the person's name
 * @agency: an agency code
 * @role: a role
 * @pwhash: the password's hash
 * @now: the creation time
 * @error: return location for a #GError
 *
 * Adds an account in its own transaction, with its feed entry.
 *
 * Returns: %TRUE on success; %SA_REGISTRY_ERROR_EXISTS if the login is taken
 */
gboolean
sa_store_user_insert (SaRegistryDb  *db,
                      const char    *login,
                      const char    *full_name,
                      const char    *agency,
                      const char    *role,
                      const char    *pwhash,
                      gint64         now,
                      GError       **error)
{
  if (!sa_registry_db_begin (db, error))
    return FALSE;
  if (!sa_store_user_add_row (db, login, full_name, agency, role, pwhash, now, error) ||
      !sa_registry_db_commit (db, error))
    {
      sa_registry_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

/**
 * sa_store_user_set_pwhash:
 * @db: the database, outside a transaction
 * @user_id: the account
 * @pwhash: the new password's hash
 * @error: return location for a #GError
 *
 * Sets the password and ends the account's sessions, in one transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_store_user_set_pwhash (SaRegistryDb  *db,
                          gint64         user_id,
                          const char    *pwhash,
                          GError       **error)
{
  sqlite3_stmt *stmt;

  if (!sa_registry_db_begin (db, error))
    return FALSE;
  stmt = sa_registry_db_prepare (db, "UPDATE users SET pwhash = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_text (stmt, 2, pwhash, -1, SQLITE_STATIC);
  if (!sa_registry_db_step_done (db, stmt, error))
    goto fail;
  stmt = sa_registry_db_prepare (db, "UPDATE tokens SET revoked = 1 WHERE user_id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, user_id);
  if (!sa_registry_db_step_done (db, stmt, error) || !sa_registry_db_commit (db, error))
    goto fail;
  return TRUE;

fail:
  sa_registry_db_rollback (db);
  return FALSE;
}

/**
 * sa_store_user_credentials:
 * @db: the database
 * @login: a login as typed, in any case
 * @pwhash: (out) (transfer full): the account's password hash, or %NULL
 *
 * Returns: (transfer full) (nullable): the account, or %NULL if none has
 *   the login
 */
SaRegistryUser *
sa_store_user_credentials (SaRegistryDb  *db,
                           const char    *login,
                           char         **pwhash)
{
  SaRegistryUser *user = NULL;
  sqlite3_stmt *stmt;

  *pwhash = NULL;
  stmt = sa_registry_db_prepare (db,
                                 "SELECT " USER_COLUMNS ", pwhash"
                                 " FROM users WHERE login = ?1 COLLATE NOCASE", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      user = user_from_row (stmt);
      *pwhash = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
    }
  sqlite3_reset (stmt);
  return user;
}

/**
 * sa_store_user_get_by_id:
 * @db: the database
 * @user_id: the account's row id
 * @user: (out) (transfer full): the account, or %NULL if there is none
 * @error: return location for a #GError
 *
 * Returns: %FALSE on a database error
 */
gboolean
sa_store_user_get_by_id (SaRegistryDb     *db,
                         gint64            user_id,
                         SaRegistryUser  **user,
                         GError          **error)
{
  sqlite3_stmt *stmt;

  *user = NULL;
  stmt = sa_registry_db_prepare (db, "SELECT " USER_COLUMNS " FROM users WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *user = user_from_row (stmt);
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * sa_store_session_user:
 * @db: the database
 * @access_digest: the access token's digest
 * @now: the time
 *
 * Returns: (transfer full) (nullable): the enabled account a live, not
 *   revoked access token belongs to
 */
SaRegistryUser *
sa_store_session_user (SaRegistryDb *db,
                       const char   *access_digest,
                       gint64        now)
{
  sqlite3_stmt *stmt;
  SaRegistryUser *user = NULL;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT u.id, u.login, u.full_name, u.agency, u.role, u.disabled"
                                 " FROM tokens t JOIN users u ON u.id = t.user_id"
                                 " WHERE t.hash = ?1 AND t.kind = 'access' AND t.revoked = 0"
                                 " AND t.expires_at > ?2 AND u.disabled = 0", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, access_digest, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    user = user_from_row (stmt);
  sqlite3_reset (stmt);
  return user;
}

static gboolean
insert_token (SaRegistryDb  *db,
              const char    *digest,
              const char    *kind,
              gint64         user_id,
              const char    *family,
              gint64         expires_at,
              GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO tokens (hash, kind, user_id, family, expires_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, digest, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, user_id);
  sqlite3_bind_text (stmt, 4, family, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, expires_at);
  return sa_registry_db_step_done (db, stmt, error);
}

/**
 * sa_store_session_issue:
 * @db: the database, outside a transaction
 * @user_id: the account
 * @family: the session the tokens belong to
 * @revoke_digest: (nullable): a refresh token used up by this issue
 * @access_digest: the new access token's digest
 * @access_expires_at: when it expires
 * @refresh_digest: the new refresh token's digest
 * @refresh_expires_at: when it expires
 * @error: return location for a #GError
 *
 * Stores a new pair of tokens (and revokes the refresh token they
 * replace) in one transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_store_session_issue (SaRegistryDb  *db,
                        gint64         user_id,
                        const char    *family,
                        const char    *revoke_digest,
                        const char    *access_digest,
                        gint64         access_expires_at,
                        const char    *refresh_digest,
                        gint64         refresh_expires_at,
                        GError       **error)
{
  if (!sa_registry_db_begin (db, error))
    goto fail;
  if (revoke_digest != NULL)
    {
      sqlite3_stmt *stmt;

      stmt = sa_registry_db_prepare (db, "UPDATE tokens SET revoked = 1 WHERE hash = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, revoke_digest, -1, SQLITE_STATIC);
      if (!sa_registry_db_step_done (db, stmt, error))
        goto fail;
    }
  if (!insert_token (db, access_digest, "access", user_id, family, access_expires_at, error) ||
      !insert_token (db, refresh_digest, "refresh", user_id, family, refresh_expires_at,
                     error) ||
      !sa_registry_db_commit (db, error))
    goto fail;
  return TRUE;

fail:
  sa_registry_db_rollback (db);
  return FALSE;
}

/**
 * sa_store_refresh_token_lookup:
 * @db: the database
 * @digest: a refresh token's digest
 * @user_id: (out): its account
 * @family: (out) (transfer full): its session, %NULL if there is no such token
 * @revoked: (out): whether it was used or revoked
 * @expires_at: (out): when it expires
 * @error: return location for a #GError
 *
 * Returns: %FALSE on a database error
 */
gboolean
sa_store_refresh_token_lookup (SaRegistryDb  *db,
                               const char    *digest,
                               gint64        *user_id,
                               char         **family,
                               gboolean      *revoked,
                               gint64        *expires_at,
                               GError       **error)
{
  sqlite3_stmt *stmt;

  *family = NULL;
  stmt = sa_registry_db_prepare (db,
                                 "SELECT user_id, family, revoked, expires_at FROM tokens"
                                 " WHERE hash = ?1 AND kind = 'refresh'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, digest, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *user_id = sqlite3_column_int64 (stmt, 0);
      *family = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      *revoked = sqlite3_column_int (stmt, 2) != 0;
      *expires_at = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * sa_store_session_family:
 * @db: the database
 * @digest: a token's digest
 * @family: (out) (transfer full): its session, %NULL if there is no such token
 * @error: return location for a #GError
 *
 * Returns: %FALSE on a database error
 */
gboolean
sa_store_session_family (SaRegistryDb  *db,
                         const char    *digest,
                         char         **family,
                         GError       **error)
{
  sqlite3_stmt *stmt;

  *family = NULL;
  stmt = sa_registry_db_prepare (db, "SELECT family FROM tokens WHERE hash = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, digest, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *family = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
sa_store_session_end (SaRegistryDb  *db,
                      const char    *family,
                      GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db, "UPDATE tokens SET revoked = 1 WHERE family = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, family, -1, SQLITE_STATIC);
  return sa_registry_db_step_done (db, stmt, error);
}

/**
 * sa_store_user_disable:
 * @db: the database, outside a transaction
 * @user_id: the account
 * @login: its login, for the feed
 * @error: return location for a #GError
 *
 * Disables an account and ends its sessions, in one transaction with its
 * feed entry.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_store_user_disable (SaRegistryDb  *db,
                       gint64         user_id,
                       const char    *login,
                       GError       **error)
{
  sqlite3_stmt *stmt;

  if (!sa_registry_db_begin (db, error))
    goto fail;
  stmt = sa_registry_db_prepare (db, "UPDATE users SET disabled = 1 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, user_id);
  if (!sa_registry_db_step_done (db, stmt, error))
    goto fail;
  stmt = sa_registry_db_prepare (db, "UPDATE tokens SET revoked = 1 WHERE user_id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, user_id);
  if (!sa_registry_db_step_done (db, stmt, error) ||
      sa_registry_db_touch (db, "user", login, NULL, error) == 0 ||
      !sa_registry_db_commit (db, error))
    goto fail;
  return TRUE;

fail:
  sa_registry_db_rollback (db);
  return FALSE;
}

/**
 * sa_store_sessions_prune:
 * @db: the database
 * @now: the time
 *
 * Deletes the tokens that expired before @now; a failure leaves them.
 */
void
sa_store_sessions_prune (SaRegistryDb *db,
                         gint64        now)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (db, "DELETE FROM tokens WHERE expires_at < ?1",
                                               NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, now);
  sa_registry_db_step_done (db, stmt, NULL);
}
