/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "sa-cache.h"
#include "sa-cache-rescue.h"
#include "sa-test-cache.h"
#include "sa-test-damage.h"

/* Opening an account's cache: who may read its files, and what becomes
 * of one that is damaged. */

#define N_APPEALS 300
#define COMMENT   "Беру в работу, выезжаю"

static char *
appeal_id (guint i)
{
  return g_strdup_printf ("%08x-0000-4000-8000-%012x", i + 1, i + 1);
}

/* A cache as the sync engine leaves it, with @N_APPEALS appeals, and one
 * comment typed offline waiting in its outbox. Closed on return. */
static char *
make_cache (char **out_dir,
            char **out_op_id)
{
  g_autoptr(GString) feed = g_string_new ("[");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autofree char *commented = appeal_id (7);
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  SaCache *cache = sa_test_cache_new (out_dir, "me", "ENERGY");

  for (guint i = 0; i < N_APPEALS; i++)
    {
      g_autofree char *id = appeal_id (i);

      g_string_append_printf (feed, "%s{\"seq\":%u,\"kind\":\"appeal\",\"id\":\"%s\","
                              "\"data\":{\"id\":\"%s\",\"reg_number\":\"ALA-2026-%06u\","
                              "\"channel\":\"egov\",\"status\":\"registered\",\"priority\":\"normal\","
                              "\"category\":\"heat.none\",\"agency\":\"ENERGY\",\"executor\":null,"
                              "\"applicant\":{\"name\":\"Сапарова Әлия\",\"iin\":\"900101300123\"},"
                              "\"address\":{\"text\":\"улица Жарокова, %u\","
                              "\"district\":\"almaly\"},"
                              "\"text\":\"Пәтерде жылу жоқ, батареи холодные уже неделю, дом %u\","
                              "\"received_at\":\"2026-01-12T09:00:00+05:00\","
                              "\"legal_due_at\":\"2026-02-02T23:59:59+05:00\",\"version\":1,"
                              "\"history\":[{\"seq\":%u,\"at\":\"2026-01-12T09:00:00+05:00\","
                              "\"actor\":\"operator1\",\"type\":\"registered\",\"payload\":{}}]}}",
                              i == 0 ? "" : ",", i + 1, id, id, i + 1, i + 1, i + 1, i + 1);
    }
  g_string_append (feed, "]");
  sa_test_cache_feed (cache, N_APPEALS, feed->str);

  json_object_set_string_member (args, "text", COMMENT);
  *out_op_id = sa_cache_apply_local_op_sync (cache, commented, "comment", args, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out_op_id);

  path = g_strdup (sa_cache_get_path (cache));
  wal = g_strconcat (path, "-wal", NULL);
  /* Closing the last connection folds the WAL into the file. */
  g_object_unref (cache);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  return g_steal_pointer (&path);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* ------------------------------------------------------------------ */
/* Who may read it */

static void
test_private_files (void)
{
  /* A new cache, its -wal and -shm files are the user's alone (0600) in a 0700 folder, whatever the umask. */
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sa-cache-open-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "accounts", "abc", "cache.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *account_dir = g_path_get_dirname (path);
  mode_t old_umask = umask (022);
  SaCache *cache;

  cache = sa_cache_open (path, &error);
  umask (old_umask);
  g_assert_no_error (error);
  g_assert_true (sa_cache_set_identity (cache, "me", "ENERGY", &error));
  g_assert_no_error (error);

  g_assert_cmpuint (file_mode (account_dir), ==, 0700);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);
  g_object_unref (cache);
  sa_test_remove_tree (dir);
}

static void
test_older_cache_tightened (void)
{
  /* A cache an older build left readable by others (0644) is 0600 again, with its -wal, once opened. */
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *path = make_cache (&dir, &op_id);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  SaCache *cache;

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sa_cache_set_identity (cache, "me", "ENERGY", &error));
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_object_unref (cache);
  sa_test_remove_tree (dir);
}

/* ------------------------------------------------------------------ */
/* Damage */

static void
test_damaged (gconstpointer data)
{
  /* A damaged cache is told apart from a sound one (at open or by reading every page), set aside unchanged and private beside a new cache that opens cleanly, and the offline comment is in the new cache's outbox unless nothing of the file could be read. */
  SaTestDamage how = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(SaCacheRescue) rescue = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(SaCache) cache = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *path = make_cache (&dir, &op_id);
  g_autofree char *digest = NULL;
  g_autofree char *aside_digest = NULL;
  g_autofree char *aside_dir = NULL;
  g_autofree char *account_dir = g_path_get_dirname (path);

  /* Sound before the damage. */
  g_assert_true (sa_cache_check_sync (path, &error));
  g_assert_no_error (error);

  sa_test_damage (path, how);
  digest = sa_test_file_digest (path);
  cache = sa_cache_open (path, &error);
  if (cache != NULL)
    {
      /* Opening reads little; reading every page finds it. */
      g_assert_no_error (error);
      g_clear_object (&cache);
      g_assert_false (sa_cache_check_sync (path, &error));
    }
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_CORRUPT);
  g_clear_error (&error);

  rescue = sa_cache_set_aside_sync (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rescue);

  /* Set aside beside it, not deleted, not changed, the user's alone. */
  aside_dir = g_path_get_dirname (rescue->aside_path);
  g_assert_cmpstr (aside_dir, ==, account_dir);
  g_assert_true (g_str_has_prefix (rescue->aside_path, path));
  g_assert_true (g_str_has_prefix (rescue->aside_path + strlen (path), ".damaged-"));
  aside_digest = sa_test_file_digest (rescue->aside_path);
  g_assert_cmpstr (aside_digest, ==, digest);
  g_assert_cmpuint (file_mode (rescue->aside_path), ==, 0600);

  /* A new cache in its place, sound and private. */
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_true (sa_cache_check_sync (path, &error));
  g_assert_no_error (error);
  cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  outbox = sa_cache_list_outbox (cache, &error);
  g_assert_no_error (error);

  if (how == SA_TEST_DAMAGE_RANDOM_BYTES)
    {
      /* Nothing could be read: the damaged copy is all there is. */
      g_assert_false (rescue->complete);
      g_assert_cmpuint (rescue->n_kept, ==, 0);
      g_assert_cmpuint (outbox->len, ==, 0);
    }
  else
    {
      SaOutboxEntry *entry;

      g_assert_true (rescue->complete);
      g_assert_cmpuint (rescue->n_kept, ==, 1);
      g_assert_cmpuint (outbox->len, ==, 1);
      entry = g_ptr_array_index (outbox, 0);
      g_assert_cmpstr (entry->op_id, ==, op_id);
      g_assert_cmpstr (entry->type, ==, "comment");
      g_assert_cmpint (entry->state, ==, SA_OP_PENDING);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (entry->args), "text"),
                       ==, COMMENT);
    }
  g_clear_object (&cache);
  sa_test_remove_tree (dir);
}

static void
test_sound_cache_passes (void)
{
  /* A sound cache, open and in use, passes the check. */
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *path = make_cache (&dir, &op_id);
  g_autoptr(SaCache) cache = sa_cache_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (sa_cache_check_sync (path, &error));
  g_assert_no_error (error);
  g_clear_object (&cache);
  sa_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/cache/open/private-files", test_private_files);
  g_test_add_func ("/sa/cache/open/older-cache-tightened", test_older_cache_tightened);
  g_test_add_func ("/sa/cache/open/sound-cache-passes", test_sound_cache_passes);
  g_test_add_data_func ("/sa/cache/open/damaged/bad-pages",
                        GINT_TO_POINTER (SA_TEST_DAMAGE_BAD_PAGES), test_damaged);
  g_test_add_data_func ("/sa/cache/open/damaged/truncated",
                        GINT_TO_POINTER (SA_TEST_DAMAGE_TRUNCATED), test_damaged);
  g_test_add_data_func ("/sa/cache/open/damaged/random-bytes",
                        GINT_TO_POINTER (SA_TEST_DAMAGE_RANDOM_BYTES), test_damaged);
  return g_test_run ();
}
