/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sa-appeal-list.h"
#include "sa-cache.h"
#include "sa-cache-rescue.h"
#include "cache-fill.h"

/* Benchmarks of the offline cache with 100,000 appeals in Russian and
 * Kazakh, filled through sa_cache_apply_changes() as the sync engine
 * would (tests/cache-fill.c). Prints
 *   bench: cache.open_first_page MS ms  (median of 5 fresh opens)
 *   bench: cache.search_p95 MS ms       (p95 over every keystroke)
 *   bench: cache.sort_change MS ms      (the slowest of the changes)
 *   bench: cache.read_during_write MS ms (a refresh while another connection
 *                                        holds a write transaction; median of 5)
 *   bench: cache.check_100k MS ms       (reading every page for damage, median of 3)
 *   bench: cache.section_counts MS ms   (every sidebar section counted, the reply loop's too) */

#define TOTAL   100000
#define SCREEN  30

static void
first_screen (SaAppealList *list)
{
  guint n = MIN (SCREEN, g_list_model_get_n_items (G_LIST_MODEL (list)));

  for (guint i = 0; i < n; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  static const char * const keystrokes[] = {
    "о", "от", "ото", "отоп", "отопл", "отопле", "отоплен", "отоплени", "отопление",
    "ж", "жы", "жыл", "жылу", "жылу ж", "жылу жо", "жылу жоқ",
    "ALA", "ALA-2026", "ALA-2026-0001", "ALA-2026-00012",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sa-bench-cache-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GArray) opens = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) searches = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) reads = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) checks = g_array_new (FALSE, FALSE, sizeof (double));
  double sort_max = 0;
  double counts_ms = 0;
  guint p95;

  g_assert_no_error (error);
  sa_bench_fill_cache (path, TOTAL);

  for (guint run = 0; run < 5; run++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(SaCache) cache = sa_cache_open (path, &error);
      g_autoptr(SaAppealList) list = NULL;
      double ms;

      g_assert_no_error (error);
      list = sa_appeal_list_new (cache);
      first_screen (list);
      ms = ms_since (start);
      g_array_append_val (opens, ms);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, TOTAL);
    }
  g_array_sort (opens, compare_double);

  for (guint run = 0; run < 3; run++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      g_assert_true (sa_cache_check_sync (path, &error));
      ms = ms_since (start);
      g_array_append_val (checks, ms);
    }
  g_array_sort (checks, compare_double);

  {
    g_autoptr(SaCache) cache = sa_cache_open (path, &error);
    g_autoptr(SaAppealList) list = sa_appeal_list_new (cache);
    static const SaAppealSort sorts[] = {
      SA_APPEAL_SORT_RECEIVED, SA_APPEAL_SORT_PRIORITY, SA_APPEAL_SORT_DEADLINE,
    };

    for (guint round = 0; round < 3; round++)
      for (guint i = 0; i < G_N_ELEMENTS (keystrokes); i++)
        {
          gint64 start = g_get_monotonic_time ();
          double ms;

          sa_appeal_list_set_query (list, keystrokes[i]);
          first_screen (list);
          ms = ms_since (start);
          g_array_append_val (searches, ms);
          if (round == 0)
            printf ("# search %-16s %6u rows %6.1f ms\n", keystrokes[i],
                    g_list_model_get_n_items (G_LIST_MODEL (list)), ms);
        }
    sa_appeal_list_set_query (list, NULL);

    for (guint round = 0; round < 3; round++)
      for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
        {
          gint64 start = g_get_monotonic_time ();
          double ms;

          sa_appeal_list_set_sort (list, sorts[i]);
          first_screen (list);
          ms = ms_since (start);
          sort_max = MAX (sort_max, ms);
          if (round == 0)
            printf ("# sort %u: %.1f ms\n", sorts[i], ms);
        }
    {
      guint counts[SA_APPEAL_N_SECTIONS];
      gint64 start = g_get_monotonic_time ();

      g_assert_true (sa_appeal_list_get_section_counts (list, counts, &error));
      counts_ms = ms_since (start);
      printf ("# section counts: %.1f ms (mine %u, queue %u, review %u, control %u, "
              "verdict %u, overdue %u, all %u)\n",
              counts_ms, counts[SA_APPEAL_SECTION_MINE], counts[SA_APPEAL_SECTION_QUEUE],
              counts[SA_APPEAL_SECTION_REVIEW], counts[SA_APPEAL_SECTION_CONTROL],
              counts[SA_APPEAL_SECTION_VERDICT], counts[SA_APPEAL_SECTION_OVERDUE],
              counts[SA_APPEAL_SECTION_ALL]);
    }

    /* A sync writing in another connection must not hold the list up. */
    for (guint run = 0; run < 5; run++)
      {
        sqlite3 *db = NULL;
        gint64 start;
        double ms;

        g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
        g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE; DELETE FROM appeal_docs;",
                                       NULL, NULL, NULL), ==, SQLITE_OK);
        start = g_get_monotonic_time ();
        sa_appeal_list_set_sort (list, run % 2 ? SA_APPEAL_SORT_RECEIVED
                                               : SA_APPEAL_SORT_DEADLINE);
        g_assert_true (sa_appeal_list_refresh (list, &error));
        first_screen (list);
        ms = ms_since (start);
        g_array_append_val (reads, ms);
        g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
        sqlite3_close (db);
      }
    g_array_sort (reads, compare_double);
  }
  g_array_sort (searches, compare_double);
  /* Nearest rank. */
  p95 = (guint) MAX (1, (searches->len * 95 + 99) / 100) - 1;

  printf ("bench: cache.open_first_page %.1f ms\n", g_array_index (opens, double, 2));
  printf ("bench: cache.search_p95 %.1f ms\n", g_array_index (searches, double, p95));
  printf ("bench: cache.sort_change %.1f ms\n", sort_max);
  printf ("bench: cache.read_during_write %.1f ms\n", g_array_index (reads, double, 2));
  printf ("bench: cache.check_100k %.0f ms\n", g_array_index (checks, double, 1));
  printf ("bench: cache.section_counts %.1f ms\n", counts_ms);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
  return EXIT_SUCCESS;
}
