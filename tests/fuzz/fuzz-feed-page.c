/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-fuzz-feed-page"

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>

#include "sa-cache.h"
#include "sa-feed-page.h"
#include "sa-json-strict.h"
#include "fuzz-registry.h"

static SaCache *cache;
static char *dir;

static void
cleanup (void)
{
  g_autofree char *db = g_build_filename (dir, "cache.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  g_clear_object (&cache);
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  sa_fuzz_criticals_crash ();
  dir = g_dir_make_tmp ("sa-fuzz-cache-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "cache.db", NULL);
  cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  atexit (cleanup);
  return 0;
}

/* A change feed page as the client reads it: the API client's strict
 * JSON, the sync engine's frame check, the cache's entries. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *changes;
  gint64 next;
  gboolean more;

  root = sa_json_strict_parse ((const char *) data, size, SA_JSON_ANSWER_MAX_DEPTH,
                               SA_JSON_ANSWER_MAX_BYTES, NULL);
  if (root == NULL || !sa_feed_page_parse (root, &changes, &next, &more, NULL))
    return 0;
  sa_cache_apply_changes (cache, changes, next, NULL);
  return 0;
}
