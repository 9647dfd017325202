/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib/gstdio.h>

#include "sa-cache.h"

/* A real cache in a temporary directory, fed the way the sync engine feeds
 * it: change-feed pages and push results as the registry sends them. */

static inline SaCache *
sa_test_cache_new (char      **out_dir,
                   const char *login,
                   const char *agency)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  SaCache *cache;

  *out_dir = g_dir_make_tmp ("sa-test-cache-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*out_dir, "acct", "cache.db", NULL);
  cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sa_cache_set_identity (cache, login, agency, &error));
  g_assert_no_error (error);
  return cache;
}

/* @json: a JSON array of change-feed entries ({"seq","kind","id","data"}). */
static inline void
sa_test_cache_feed (SaCache    *cache,
                    gint64      next,
                    const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_assert_true (sa_cache_apply_changes (cache, json_node_get_array (node), next, &error));
  g_assert_no_error (error);
}

/* @json: the "results" array of POST /api/v1/ops. */
static inline void
sa_test_cache_push_results (SaCache    *cache,
                            const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (sa_cache_apply_push_results (cache, json_node_get_array (node), &error));
  g_assert_no_error (error);
}

static inline void
sa_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        sa_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* A GTask run in a thread may drop its reference on the cache from the
 * worker just after the callback ran here: wait for that (bounded), then
 * insist the cache is gone. */
static inline void
sa_test_cache_free (SaCache *cache,
                    char    *dir)
{
  gpointer weak = cache;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (cache), &weak);
  g_object_unref (cache);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (weak);
  sa_test_remove_tree (dir);
  g_free (dir);
}
