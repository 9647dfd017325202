/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache"

#include "config.h"

#include <string.h>

#include "sa-appeal-list.h"
#include "sa-cache-private.h"
#include "sa-reply-template.h"

/* Reply templates as the feed brought them (the city's and the user's
 * agency's own), searched on the main thread's connection as one types. */

/**
 * sa_cache_find_templates:
 * @self: a #SaCache
 * @query: (nullable): what the user typed; %NULL or no words for all
 * @category: (nullable): the appeal's category: only templates for it,
 *   for its sphere (`heating.*`) or for any (`*`); %NULL for all
 * @language: (nullable): "ru" or "kk", or %NULL for both
 * @limit: at most this many
 * @error: return location for a #GError
 *
 * The agency's own templates come before the city's, the category's own
 * before its sphere's and those for any; within each, the best match
 * (bm25) or the title's order.
 *
 * Returns: (transfer full) (element-type SaReplyTemplate): the templates
 */
GPtrArray *
sa_cache_find_templates (SaCache     *self,
                         const char  *query,
                         const char  *category,
                         const char  *language,
                         guint        limit,
                         GError     **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               sa_reply_template_free);
  g_autofree char *match = sa_appeal_list_build_fts_query (query);
  g_autofree char *sphere = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  g_return_val_if_fail (SA_IS_CACHE (self), NULL);

  if (category != NULL && strchr (category, '.') != NULL)
    {
      g_autofree char *name = g_strndup (category, strchr (category, '.') - category);

      sphere = g_strconcat (name, ".*", NULL);
    }

  g_mutex_lock (&self->reader.lock);
  stmt = _sa_cache_prepare (&self->reader,
                            match != NULL
                            ? "SELECT t.id, t.agency, t.category, t.language, t.title, t.text"
                              " FROM templates_fts f JOIN templates t ON t.rid = f.rowid"
                              " WHERE templates_fts MATCH ?1"
                              " AND (?2 IS NULL OR t.category IN (?2, ?3, '*'))"
                              " AND (?4 IS NULL OR t.language = ?4)"
                              " ORDER BY t.agency IS NULL, t.category = '*', t.category = ?3,"
                              " bm25 (templates_fts), t.title LIMIT ?5"
                            : "SELECT t.id, t.agency, t.category, t.language, t.title, t.text"
                              " FROM templates t"
                              " WHERE (?2 IS NULL OR t.category IN (?2, ?3, '*'))"
                              " AND (?4 IS NULL OR t.language = ?4)"
                              " ORDER BY t.agency IS NULL, t.category = '*', t.category = ?3,"
                              " t.title LIMIT ?5", error);
  if (stmt != NULL)
    {
      int rc;

      if (match != NULL)
        sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
      _sa_cache_bind_text (stmt, 2, category);
      _sa_cache_bind_text (stmt, 3, sphere);
      _sa_cache_bind_text (stmt, 4, language);
      sqlite3_bind_int64 (stmt, 5, limit);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          SaReplyTemplate *t = g_new0 (SaReplyTemplate, 1);

          t->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          t->agency = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          t->category = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          t->language = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          t->title = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
          t->text = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
          g_ptr_array_add (found, t);
        }
      if (rc != SQLITE_DONE)
        {
          ok = FALSE;
          g_set_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_FAILED, "%s",
                       sqlite3_errmsg (self->reader.db));
        }
      sqlite3_reset (stmt);
    }
  else
    ok = FALSE;
  g_mutex_unlock (&self->reader.lock);
  return ok ? g_steal_pointer (&found) : NULL;
}
