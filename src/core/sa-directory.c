/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-directory"

#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"
#include "sa-cache-private.h"
#include "sa-directory.h"

/* Read-only views of the reference data the change feed keeps in the
 * cache: the agencies an appeal can be forwarded or escalated to, and the
 * colleagues it can be assigned to. The lists are small (tens of rows),
 * so they are read on the caller's thread through the read connection. */

/* Roles that work on appeals: the registry's assign op refuses curators,
 * operators and admins (sa-registry-ops.c, op_assign). */
#define WORKING_ROLES SA_ROLES_WORKING_SQL

void
sa_directory_agency_free (SaDirectoryAgency *agency)
{
  if (agency == NULL)
    return;
  g_free (agency->code);
  g_free (agency->name);
  g_free (agency->kind);
  g_free (agency);
}

void
sa_directory_user_free (SaDirectoryUser *user)
{
  if (user == NULL)
    return;
  g_free (user->login);
  g_free (user->full_name);
  g_free (user->agency);
  g_free (user->role);
  g_free (user);
}

/**
 * sa_directory_default_language:
 *
 * The language reference names are shown in when the caller does not say:
 * Kazakh when the first of g_get_language_names() is Kazakh, Russian
 * otherwise (the registry names things in these two only). The same rule
 * as #SaAppealList's.
 *
 * Returns: "kk" or "ru"
 */
const char *
sa_directory_default_language (void)
{
  const char * const *langs = g_get_language_names ();

  return langs[0] != NULL && g_str_has_prefix (langs[0], "kk") ? "kk" : "ru";
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);

  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static int
compare_agencies (gconstpointer a,
                  gconstpointer b)
{
  const SaDirectoryAgency *x = *(SaDirectoryAgency * const *) a;
  const SaDirectoryAgency *y = *(SaDirectoryAgency * const *) b;
  int cmp = g_utf8_collate (x->name, y->name);

  return cmp != 0 ? cmp : strcmp (x->code, y->code);
}

static int
compare_users (gconstpointer a,
               gconstpointer b)
{
  const SaDirectoryUser *x = *(SaDirectoryUser * const *) a;
  const SaDirectoryUser *y = *(SaDirectoryUser * const *) b;
  int cmp = g_utf8_collate (x->full_name, y->full_name);

  return cmp != 0 ? cmp : strcmp (x->login, y->login);
}

/* A JSON array of @strv, bound as one parameter: the statement's text
 * stays the same whatever the number of kinds. */
static char *
strv_to_json (const char * const *strv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (b, strv[i]);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/**
 * sa_directory_list_agencies:
 * @cache: a #SaCache
 * @kinds: (nullable) (array zero-terminated=1): only agencies of these
 *   kinds (e.g. `ksk_osi` and `contractor` for an escalation), or %NULL
 *   for every agency
 * @language: (nullable): "ru" or "kk", or %NULL for
 *   sa_directory_default_language()
 * @error: return location for a #GError
 *
 * The agencies the change feed delivered, sorted by their name in
 * @language.
 *
 * Returns: (transfer full) (element-type SaDirectoryAgency): the agencies,
 *   or %NULL with @error set
 */
GPtrArray *
sa_directory_list_agencies (SaCache             *cache,
                            const char * const  *kinds,
                            const char          *language,
                            GError             **error)
{
  g_autoptr(GPtrArray) agencies = NULL;
  g_autofree char *kinds_json = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SA_IS_CACHE (cache), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (language == NULL)
    language = sa_directory_default_language ();
  if (kinds != NULL)
    kinds_json = strv_to_json (kinds);
  agencies = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_directory_agency_free);

  _sa_cache_reader_lock (cache);
  stmt = _sa_cache_reader_prepare (cache,
                                   "SELECT code,"
                                   " CASE WHEN ?2 = 'kk'"
                                   "  THEN COALESCE (NULLIF (name_kk, ''), name_ru)"
                                   "  ELSE COALESCE (NULLIF (name_ru, ''), name_kk) END,"
                                   " json_extract (json, '$.kind')"
                                   " FROM agencies"
                                   " WHERE ?1 IS NULL"
                                   "  OR json_extract (json, '$.kind')"
                                   "     IN (SELECT value FROM json_each (?1))", error);
  if (stmt == NULL)
    {
      _sa_cache_reader_unlock (cache);
      return NULL;
    }
  if (kinds_json != NULL)
    sqlite3_bind_text (stmt, 1, kinds_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, language, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SaDirectoryAgency *agency = g_new0 (SaDirectoryAgency, 1);

      agency->code = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      agency->name = column_dup (stmt, 1);
      if (agency->name == NULL)
        agency->name = g_strdup (agency->code);
      agency->kind = column_dup (stmt, 2);
      g_ptr_array_add (agencies, agency);
    }
  if (rc != SQLITE_DONE)
    _sa_cache_set_error (cache, TRUE, error, "Could not read the agencies");
  sqlite3_reset (stmt);
  _sa_cache_reader_unlock (cache);
  if (rc != SQLITE_DONE)
    return NULL;

  g_ptr_array_sort (agencies, compare_agencies);
  return g_steal_pointer (&agencies);
}

/**
 * sa_directory_list_colleagues:
 * @cache: a #SaCache
 * @agency: an agency's code
 * @error: return location for a #GError
 *
 * The active users of @agency who work on appeals (executors, supervisors,
 * KSK/OSI managers): those an appeal of @agency can be assigned to, the
 * same rule the registry's `assign` applies. Sorted by full name. The feed
 * delivers the users of the signed-in user's own agency only.
 *
 * Returns: (transfer full) (element-type SaDirectoryUser): the users, or
 *   %NULL with @error set
 */
GPtrArray *
sa_directory_list_colleagues (SaCache     *cache,
                              const char  *agency,
                              GError     **error)
{
  g_autoptr(GPtrArray) users = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SA_IS_CACHE (cache), NULL);
  g_return_val_if_fail (agency != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  users = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_directory_user_free);

  _sa_cache_reader_lock (cache);
  stmt = _sa_cache_reader_prepare (cache,
                                   "SELECT login, full_name, agency, role FROM users"
                                   " WHERE agency = ?1 AND disabled = 0"
                                   " AND role IN " WORKING_ROLES, error);
  if (stmt == NULL)
    {
      _sa_cache_reader_unlock (cache);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, agency, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SaDirectoryUser *user = g_new0 (SaDirectoryUser, 1);

      user->login = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      user->full_name = column_dup (stmt, 1);
      if (user->full_name == NULL)
        user->full_name = g_strdup (user->login);
      user->agency = column_dup (stmt, 2);
      user->role = column_dup (stmt, 3);
      g_ptr_array_add (users, user);
    }
  if (rc != SQLITE_DONE)
    _sa_cache_set_error (cache, TRUE, error, "Could not read the colleagues");
  sqlite3_reset (stmt);
  _sa_cache_reader_unlock (cache);
  if (rc != SQLITE_DONE)
    return NULL;

  g_ptr_array_sort (users, compare_users);
  return g_steal_pointer (&users);
}

static char *
lookup_text (SaCache    *cache,
             const char *sql,
             const char *key,
             const char *language)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  char *text = NULL;

  _sa_cache_reader_lock (cache);
  stmt = _sa_cache_reader_prepare (cache, sql, &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (language != NULL)
        sqlite3_bind_text (stmt, 2, language, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        text = column_dup (stmt, 0);
      sqlite3_reset (stmt);
    }
  _sa_cache_reader_unlock (cache);
  if (error != NULL)
    g_warning ("%s", error->message);
  return text;
}

/**
 * sa_directory_dup_agency_name:
 * @cache: a #SaCache
 * @code: (nullable): an agency's code
 * @language: (nullable): "ru" or "kk", or %NULL for
 *   sa_directory_default_language()
 *
 * Returns: (transfer full) (nullable): the agency's name in @language, or
 *   %NULL when the cache does not know it
 */
char *
sa_directory_dup_agency_name (SaCache    *cache,
                              const char *code,
                              const char *language)
{
  g_return_val_if_fail (SA_IS_CACHE (cache), NULL);

  if (code == NULL)
    return NULL;
  return lookup_text (cache,
                      "SELECT CASE WHEN ?2 = 'kk'"
                      "  THEN COALESCE (NULLIF (name_kk, ''), name_ru)"
                      "  ELSE COALESCE (NULLIF (name_ru, ''), name_kk) END"
                      " FROM agencies WHERE code = ?1",
                      code, language != NULL ? language : sa_directory_default_language ());
}

/**
 * sa_directory_dup_user_name:
 * @cache: a #SaCache
 * @login: (nullable): a login
 *
 * Returns: (transfer full) (nullable): the user's full name, or %NULL
 *   when the cache does not know it (a user of another agency)
 */
char *
sa_directory_dup_user_name (SaCache    *cache,
                            const char *login)
{
  g_return_val_if_fail (SA_IS_CACHE (cache), NULL);

  if (login == NULL)
    return NULL;
  return lookup_text (cache, "SELECT full_name FROM users WHERE login = ?1", login, NULL);
}

/**
 * sa_directory_lookup_user:
 * @cache: a #SaCache
 * @login: a login
 *
 * The user as the change feed last delivered them (`login`, `full_name`,
 * `agency`, `role`): who is signed in when the client starts offline and
 * the registry cannot say.
 *
 * Returns: (transfer full) (nullable): the user, or %NULL if the cache
 *   does not know @login
 */
JsonObject *
sa_directory_lookup_user (SaCache    *cache,
                          const char *login)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (SA_IS_CACHE (cache), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  json = lookup_text (cache, "SELECT json FROM users WHERE login = ?1", login, NULL);
  if (json == NULL || !(node = json_from_string (json, NULL)) || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/**
 * sa_directory_dup_district_name:
 * @cache: a #SaCache
 * @code: (nullable): a district code, e.g. "medeu"
 * @language: (nullable): "ru" or "kk"; %NULL for the user's
 *
 * Returns: (transfer full) (nullable): the district's name, or %NULL when
 *   the cache does not know the code
 */
char *
sa_directory_dup_district_name (SaCache    *cache,
                                const char *code,
                                const char *language)
{
  g_return_val_if_fail (SA_IS_CACHE (cache), NULL);

  if (code == NULL)
    return NULL;
  return lookup_text (cache,
                      "SELECT CASE WHEN ?2 = 'kk'"
                      "  THEN COALESCE (NULLIF (name_kk, ''), name_ru)"
                      "  ELSE COALESCE (NULLIF (name_ru, ''), name_kk) END"
                      " FROM districts WHERE code = ?1",
                      code, language != NULL ? language : sa_directory_default_language ());
}
