/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sa-demo-data.h"

/* How fast `init --demo` can make its appeals: 100,000 generated, the
 * median of three runs. Prints
 *   bench: demo.generate_100k S s */

#define N_APPEALS 100000
#define N_RUNS    3

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(SaReference) ref = NULL;
  g_autoptr(SaDemo) demo = NULL;
  g_autoptr(GError) error = NULL;
  double seconds[N_RUNS];
  gsize bytes = 0;

  ref = sa_reference_new_default (&error);
  if (ref != NULL)
    demo = sa_demo_new (ref, &error);
  if (demo == NULL)
    g_error ("%s", error->message);

  for (guint run = 0; run < N_RUNS; run++)
    {
      gint64 start = g_get_monotonic_time ();

      for (guint i = 0; i < N_APPEALS; i++)
        {
          SaDemoAppeal a;

          sa_demo_appeal_generate (demo, i, now, &a);
          bytes += strlen (a.text);
          sa_demo_appeal_clear (&a);
        }
      seconds[run] = (g_get_monotonic_time () - start) / 1e6;
      printf ("# run %u: %.3f s\n", run, seconds[run]);
    }
  qsort (seconds, N_RUNS, sizeof seconds[0], compare_double);
  printf ("# %" G_GSIZE_FORMAT " bytes of text in all\n", bytes);
  printf ("bench: demo.generate_100k %.3f s\n", seconds[N_RUNS / 2]);
  return EXIT_SUCCESS;
}
