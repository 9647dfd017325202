/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-list"

#include "config.h"

#include "sa-appeal-list-private.h"
#include "sa-cache-private.h"
#include "sa-directory.h"

/* What the sidebar and the filters offer: the sections for a role, the
 * categories and districts the cached appeals use, and the people. */

/**
 * sa_appeal_section_is_for_role:
 * @section: a section
 * @role: the signed-in user's role
 *
 * Whether the sidebar offers @section to @role: "My Appeals" only to those
 * who can hold an appeal, the agency's queue only to those who have one,
 * the replies to approve to supervisors, the appeals under control to
 * supervisors and executors, the verdicts to record to operators.
 *
 * Returns: whether @section means something to @role
 */
gboolean
sa_appeal_section_is_for_role (SaAppealSection section,
                               SaRole          role)
{
  g_return_val_if_fail (section < SA_APPEAL_N_SECTIONS, FALSE);

  switch (section)
    {
    case SA_APPEAL_SECTION_MINE:
      return sa_role_works_appeals (role);
    case SA_APPEAL_SECTION_QUEUE:
      return role != SA_ROLE_CURATOR && role != SA_ROLE_ADMIN;
    case SA_APPEAL_SECTION_REVIEW:
      /* Only a supervisor approves a reply (sa_op_check()). */
      return role == SA_ROLE_SUPERVISOR;
    case SA_APPEAL_SECTION_CONTROL:
      return role == SA_ROLE_SUPERVISOR || role == SA_ROLE_EXECUTOR;
    case SA_APPEAL_SECTION_VERDICT:
      /* The contact centre records the applicant's verdict. */
      return role == SA_ROLE_OPERATOR;
    case SA_APPEAL_SECTION_WAITING:
    case SA_APPEAL_SECTION_OVERDUE:
    case SA_APPEAL_SECTION_ANSWERED:
    case SA_APPEAL_SECTION_ALL:
    case SA_APPEAL_N_SECTIONS:
    default:
      return TRUE;
    }
}

/**
 * sa_appeal_section_first_for_role:
 * @role: the signed-in user's role
 *
 * Returns: the section the desk opens on: an executor's own work, the
 *   queue a supervisor hands out, and everything for those who hold no
 *   appeal (operators, curators)
 */
SaAppealSection
sa_appeal_section_first_for_role (SaRole role)
{
  if (role == SA_ROLE_SUPERVISOR)
    return SA_APPEAL_SECTION_QUEUE;
  if (sa_role_works_appeals (role))
    return SA_APPEAL_SECTION_MINE;
  return SA_APPEAL_SECTION_ALL;
}

/**
 * sa_appeal_choice_free:
 * @choice: (transfer full): a choice
 */
void
sa_appeal_choice_free (SaAppealChoice *choice)
{
  if (choice == NULL)
    return;
  g_free (choice->code);
  g_free (choice->name);
  g_free (choice);
}

static int
compare_choices (gconstpointer a,
                 gconstpointer b)
{
  const SaAppealChoice *ca = *(SaAppealChoice * const *) a;
  const SaAppealChoice *cb = *(SaAppealChoice * const *) b;

  return g_utf8_collate (ca->name, cb->name);
}

/* Only the codes the cached appeals use: a filter choice that always
 * shows an empty list is noise, and the menu stays short. */
static GPtrArray *
get_choices (SaAppealList  *self,
             const char    *sql,
             GError       **error)
{
  g_autoptr(GPtrArray) choices = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_appeal_choice_free);
  sqlite3_stmt *stmt;
  int rc;

  _sa_cache_reader_lock (self->cache);
  stmt = _sa_cache_reader_prepare (self->cache, sql, error);
  if (stmt == NULL)
    {
      _sa_cache_reader_unlock (self->cache);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, self->language, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SaAppealChoice *choice = g_new0 (SaAppealChoice, 1);

      choice->code = _sa_appeal_list_column_dup (stmt, 0);
      choice->name = _sa_appeal_list_column_dup (stmt, 1);
      if (choice->name == NULL || *choice->name == '\0')
        {
          g_free (choice->name);
          choice->name = g_strdup (choice->code);
        }
      g_ptr_array_add (choices, choice);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    _sa_cache_set_error (self->cache, TRUE, error, "Could not list the filter choices");
  _sa_cache_reader_unlock (self->cache);
  if (rc != SQLITE_DONE)
    return NULL;

  /* In C rather than SQL: SQLite compares bytes, which puts the Kazakh
   * letters after я. */
  g_ptr_array_sort (choices, compare_choices);
  return g_steal_pointer (&choices);
}

/**
 * sa_appeal_list_get_category_choices:
 * @self: a #SaAppealList
 * @error: return location for a #GError
 *
 * The categories of the cached appeals, with their names in the list's
 * language (sa_appeal_list_set_language()), sorted by name: the choices
 * of the category filter.
 *
 * Returns: (transfer full) (element-type SaAppealChoice): the choices, or
 *   %NULL with @error set
 */
GPtrArray *
sa_appeal_list_get_category_choices (SaAppealList  *self,
                                     GError       **error)
{
  g_return_val_if_fail (SA_IS_APPEAL_LIST (self), NULL);

  return get_choices (self,
                      "SELECT u.category,"
                      " CASE WHEN ?1 = 'kk' THEN COALESCE (c.name_kk, c.name_ru)"
                      "  ELSE COALESCE (c.name_ru, c.name_kk) END"
                      " FROM (SELECT DISTINCT category FROM appeals"
                      "  WHERE category IS NOT NULL AND category != '') u"
                      " LEFT JOIN categories c ON c.code = u.category", error);
}

/**
 * sa_appeal_list_get_district_choices:
 * @self: a #SaAppealList
 * @error: return location for a #GError
 *
 * The districts of the cached appeals, as
 * sa_appeal_list_get_category_choices() gives the categories.
 *
 * Returns: (transfer full) (element-type SaAppealChoice): the choices, or
 *   %NULL with @error set
 */
GPtrArray *
sa_appeal_list_get_district_choices (SaAppealList  *self,
                                     GError       **error)
{
  g_return_val_if_fail (SA_IS_APPEAL_LIST (self), NULL);

  return get_choices (self,
                      "SELECT u.district,"
                      " CASE WHEN ?1 = 'kk' THEN COALESCE (d.name_kk, d.name_ru)"
                      "  ELSE COALESCE (d.name_ru, d.name_kk) END"
                      " FROM (SELECT DISTINCT district FROM appeals"
                      "  WHERE district IS NOT NULL AND district != '') u"
                      " LEFT JOIN districts d ON d.code = u.district", error);
}

/**
 * sa_appeal_list_lookup_user:
 * @self: a #SaAppealList
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
sa_appeal_list_lookup_user (SaAppealList *self,
                            const char   *login)
{
  g_return_val_if_fail (SA_IS_APPEAL_LIST (self), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  return sa_directory_lookup_user (self->cache, login);
}
