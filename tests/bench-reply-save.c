/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "sa-appeal-model.h"
#include "sa-cache.h"
#include "cache-fill.h"

/* Saving a reply's draft as one types, on a 100,000-appeal cache filled
 * as the sync engine would (tests/cache-fill.c). Each save is what the
 * editor does on a pause in typing: the whole text so far, one durable
 * transaction (the outbox entry rewritten, the appeal folded again).
 * Prints
 *   bench: cache.reply_save_p95 MS ms  (p95 over 300 saves of a growing
 *                                      text on one appeal, then on others) */

#define TOTAL   100000
#define SAVES   300

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  static const char * const words[] = {
    "Құрметті", "Әлия", "Сапарова!", "Сіздің", "өтінішіңіз", "бойынша", "жылу", "беру",
    "қалпына", "келтірілді.", "Уважаемая", "заявительница,", "отопление", "в", "доме",
    "восстановлено", "5", "декабря.",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sa-bench-reply-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(SaCache) cache = NULL;

  g_assert_no_error (error);
  sa_bench_fill_cache (path, TOTAL);
  cache = sa_cache_open (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < SAVES; i++)
    {
      /* Three appeals in turn, a new reply on each every 100 saves: the
       * first save of a reply inserts, the others rewrite. */
      guint n = 4242 + (i / 100) * 31337;
      g_autofree char *appeal_id = g_strdup_printf ("%08x-0000-4000-8000-%012x", n, n);
      g_autofree char *reply_id = g_strdup_printf ("bbbbbbbb-0000-4000-8000-%012x", n);
      g_autofree char *op_id = NULL;
      gint64 start;
      double ms;

      if (i % 100 == 0)
        g_string_truncate (text, 0);
      g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "",
                              words[i % G_N_ELEMENTS (words)]);
      start = g_get_monotonic_time ();
      op_id = sa_cache_save_reply_draft_sync (cache, appeal_id, reply_id, text->str,
                                              SA_REPLY_VISIBILITY_PUBLIC, "kk", NULL, NULL, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      g_assert_nonnull (op_id);
      g_array_append_val (times, ms);
    }
  g_array_sort (times, compare_double);
  printf ("bench: cache.reply_save_p95 %.2f ms\n",
          g_array_index (times, double, (guint) (SAVES * 0.95)));
  fprintf (stderr, "# median %.2f ms, max %.2f ms\n", g_array_index (times, double, SAVES / 2),
           g_array_index (times, double, SAVES - 1));

  g_clear_object (&cache);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
  g_rmdir (dir);
  return EXIT_SUCCESS;
}
