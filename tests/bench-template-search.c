/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "sa-reply-template.h"
#include "sa-test-cache.h"

/* The reply editor's template search as one types: 2,000 templates (the
 * city's and 100 agencies' own, 20 spheres, ru and kk), and each prefix of
 * a few words searched for one category and language, as
 * sa-reply-template-picker.c does on the main thread. Prints
 *   bench: cache.template_search_p95 MS ms  (p95 over 400 searches) */

#define TEMPLATES 2000
#define SEARCHES  400

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
  static const char * const spheres[] = {
    "heating", "water", "electricity", "gas", "roads", "waste", "lifts", "landscaping",
    "transport", "manholes", "flooding", "ksk", "other", "sewage", "lighting", "parks",
    "noise", "animals", "trade", "housing",
  };
  static const struct { const char *word, *language; } queries[] = {
    { "отоплен", "ru" }, { "восстановлен", "ru" }, { "продлен", "ru" }, { "доступ", "ru" },
    { "жылу", "kk" }, { "қалпына", "kk" }, { "срок", "ru" }, { "мерзімі", "kk" },
  };
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) page = g_string_new ("[");
  char *dir = NULL;  /* sa_test_cache_free() takes it */
  SaCache *cache = sa_test_cache_new (&dir, "exec.teplo", "AGENCY-7");

  for (guint i = 0; i < TEMPLATES; i++)
    {
      gboolean kk = i % 2 == 1;
      const char *sphere = spheres[i % G_N_ELEMENTS (spheres)];

      g_string_append_printf (page,
                              "%s{\"seq\":%u,\"kind\":\"template\",\"id\":\"t-%u\",\"data\":"
                              "{\"id\":\"t-%u\",\"agency\":%s,\"category\":\"%s.*\","
                              "\"language\":\"%s\",\"title\":\"%s %u\",\"text\":\"%s\","
                              "\"disabled\":false}}",
                              i > 0 ? "," : "", i + 1, i, i,
                              i < 200 ? "null" : "\"AGENCY-7\"", sphere, kk ? "kk" : "ru",
                              kk ? "Жылу берілді" : "Отопление восстановлено", i,
                              kk ? "Құрметті {applicant_name}! Жылу беру қалпына келтірілді, "
                                   "мерзімі ұзартылды, жұмыстар жоспарға енгізілді."
                                 : "Уважаемый(ая) {applicant_name}! Подача тепла восстановлена, "
                                   "срок продлён, работы включены в план, нужен доступ.");
    }
  g_string_append (page, "]");
  sa_test_cache_feed (cache, TEMPLATES, page->str);

  for (guint i = 0; i < SEARCHES; i++)
    {
      guint q = (i / 7) % G_N_ELEMENTS (queries);
      g_autofree char *prefix = g_utf8_substring (queries[q].word, 0,
                                                  MIN (1 + i % 7,
                                                       g_utf8_strlen (queries[q].word, -1)));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) found = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      /* Now and then the empty entry: every template of the category. */
      found = sa_cache_find_templates (cache, i % 8 == 0 ? NULL : prefix, "heating.no-heat",
                                       queries[q].language, 20, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      g_assert_nonnull (found);
      g_array_append_val (times, ms);
    }
  g_array_sort (times, compare_double);
  printf ("bench: cache.template_search_p95 %.2f ms\n",
          g_array_index (times, double, (guint) (SEARCHES * 0.95)));
  fprintf (stderr, "# median %.2f ms, max %.2f ms\n", g_array_index (times, double, SEARCHES / 2),
           g_array_index (times, double, SEARCHES - 1));
  sa_test_cache_free (cache, dir);
  return EXIT_SUCCESS;
}
