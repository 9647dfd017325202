/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Duplicate detection's figures: precision and recall on the labelled set
 * of tests/data/duplicates.txt, and what reading an address and comparing
 * two appeals cost.
 */
#include "config.h"

#include <stdio.h>

#include "duplicates-set.h"

#define N_ROUNDS 2000

int
main (void)
{
  g_autoptr(SaGazetteer) city = labelled_gazetteer ();
  GArray *set = labelled_set_load (city);
  Tally t = labelled_set_tally (set);
  guint n_pairs = set->len * (set->len - 1) / 2;
  gint64 start;
  double us;

  printf ("bench: duplicates.precision %.3f ratio\n",
          (double) t.true_pos / MAX (t.true_pos + t.false_pos, 1));
  printf ("bench: duplicates.recall %.3f ratio\n",
          (double) t.true_pos / MAX (t.true_pos + t.false_neg, 1));

  /* Reading every address of the set, many times over. */
  start = g_get_monotonic_time ();
  for (guint r = 0; r < N_ROUNDS / 10; r++)
    for (guint i = 0; i < set->len; i++)
      {
        g_auto(SaAddress) a = { 0 };

        sa_address_parse (city, g_array_index (set, LabelledAppeal, i).address, &a);
      }
  us = (double) (g_get_monotonic_time () - start) / (N_ROUNDS / 10 * set->len);
  printf ("bench: duplicates.address_parse %.2f us\n", us);

  start = g_get_monotonic_time ();
  for (guint r = 0; r < N_ROUNDS; r++)
    (void) labelled_set_tally (set);
  us = (double) (g_get_monotonic_time () - start) / ((double) N_ROUNDS * n_pairs);
  printf ("bench: duplicates.compare %.3f us\n", us);

  labelled_set_free (set);
  return 0;
}
