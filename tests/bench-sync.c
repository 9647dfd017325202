/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The first sync of a 100,000-appeal demo registry on loopback, and what
 * a sync with nothing new costs. */

#include "config.h"

#include <glib/gstdio.h>

#include "sa-core.h"
#include "sa-test-cache.h"
#include "sync-test-util.h"

static gboolean
is_synced (gpointer data)
{
  return sa_sync_engine_get_state (data) == SA_SYNC_STATE_SYNCED;
}

static gboolean
is_listening (gpointer data)
{
  return sa_sync_engine_get_listening (data);
}

static void
count_cycle (SaSyncEngine *engine,
             guint        *cycles)
{
  (*cycles)++;
}

int
main (int   argc,
      char *argv[])
{
  const char *env = g_getenv ("SA_BENCH_APPEALS");
  guint appeals = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 100000;
  SyncRegistry r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SaApiClient) client = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(SaCache) cache = NULL;
  g_autoptr(SaSyncEngine) engine = NULL;
  g_autoptr(SaAppealList) list = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  gint64 start;
  guint requests, cycles = 0;

  g_setenv ("SA_REGISTRY_PWHASH", "fast", TRUE);
  sync_registry_start (&r, appeals, NULL);

  dir = g_dir_make_tmp ("sa-bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "cache.db", NULL);

  /* A city curator sees every appeal. */
  client = sa_api_client_new (r.url);
  answer = sync_login (client, "curator.city", "demo-curator");
  cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  sa_cache_set_identity (cache, "curator.city", "AKIMAT-CITY", &error);
  g_assert_no_error (error);
  engine = sa_sync_engine_new (cache, client,
                               json_object_get_string_member (answer, "refresh_token"));
  g_signal_connect (engine, "cycle-finished", G_CALLBACK (count_cycle), &cycles);

  start = g_get_monotonic_time ();
  sa_sync_engine_start (engine);
  g_assert_true (sync_wait_for (is_synced, engine, 600));
  g_print ("bench: sync.initial_100k %.1f s\n",
           (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  list = sa_appeal_list_new (cache);
  sa_appeal_list_set_section (list, SA_APPEAL_SECTION_ALL);
  sa_appeal_list_refresh (list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, appeals);

  /* Nothing new: one request, and nothing written. */
  g_assert_true (sync_wait_for (is_listening, engine, 60));
  g_assert_true (sync_wait_for (is_synced, engine, 60));
  requests = sa_sync_engine_get_request_count (engine);
  cycles = 0;
  sa_sync_engine_sync_now (engine);
  while (cycles == 0)
    g_main_context_iteration (NULL, TRUE);
  g_print ("bench: sync.noop_requests %u count\n",
           sa_sync_engine_get_request_count (engine) - requests);

  sa_sync_engine_stop (engine);
  g_clear_object (&engine);
  g_clear_object (&list);
  g_clear_object (&cache);
  sa_test_remove_tree (dir);
  sync_registry_free (&r);
  return 0;
}
