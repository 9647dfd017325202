/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "sa-sla.h"

/* Both deadlines and both traffic lights for 100,000 appeals, the registry's
 * worst case (recomputing everything after loading a new calendar) and far
 * more than a client ever shows. Prints the median of five runs. */

#define N_APPEALS 100000
#define N_RUNS    5

typedef struct
{
  gint64 received;
  guint  category;
  SaPause pause;
  guint  n_pauses;
} Appeal;

static const SaRegulation regulations[] = {
  { 20, 120, SA_SLA_CLOCK_24X7 },                          /* lift */
  { 180, 24 * 60, SA_SLA_CLOCK_24X7 },                     /* open manhole */
  { 9 * 60, 5 * 9 * 60, SA_SLA_CLOCK_WORKING_HOURS },      /* 1 and 5 working days */
  { 2 * 9 * 60, 10 * 9 * 60, SA_SLA_CLOCK_WORKING_HOURS }, /* 2 and 10 working days */
};

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

int
main (int argc, char *argv[])
{
  g_autoptr(SaCalendar) cal = sa_calendar_new_default ();
  g_autofree Appeal *appeals = g_new (Appeal, N_APPEALS);
  g_autoptr(GDateTime) from = g_date_time_new_utc (2025, 1, 1, 0, 0, 0);
  gint64 base = g_date_time_to_unix (from);
  gint64 now = base + 400 * 86400;
  double ms[N_RUNS];
  guint64 checksum = 0;
  SaSlaThresholds t;
  GRand *rand = g_rand_new_with_seed (76);

  sa_sla_thresholds_init_default (&t);

  /* Receipts spread over two years; one appeal in five waited for the applicant. */
  for (guint i = 0; i < N_APPEALS; i++)
    {
      Appeal *a = &appeals[i];

      a->received = base + g_rand_int_range (rand, 0, 2 * 365 * 86400);
      a->category = g_rand_int_range (rand, 0, G_N_ELEMENTS (regulations));
      a->n_pauses = g_rand_int_range (rand, 0, 5) == 0;
      a->pause.start = a->received + g_rand_int_range (rand, 0, 4 * 3600);
      a->pause.end = a->pause.start + g_rand_int_range (rand, 600, 2 * 86400);
    }
  g_rand_free (rand);

  for (guint run = 0; run < N_RUNS; run++)
    {
      gint64 t0 = g_get_monotonic_time ();

      for (guint i = 0; i < N_APPEALS; i++)
        {
          const Appeal *a = &appeals[i];
          gint64 legal = sa_sla_legal_due (cal, a->received);
          gint64 op = sa_sla_operational_due (cal, &regulations[a->category],
                                              SA_SLA_TARGET_RESOLUTION, a->received,
                                              &a->pause, a->n_pauses);

          checksum += legal + op;
          checksum += sa_sla_traffic_light (&t, a->received, legal, now);
          checksum += sa_sla_traffic_light (&t, a->received, op, now);
        }
      ms[run] = (g_get_monotonic_time () - t0) / 1000.0;
    }

  qsort (ms, N_RUNS, sizeof (double), compare_double);
  g_printerr ("checksum %" G_GUINT64_FORMAT "\n", checksum);
  printf ("bench: sla.deadlines_100k %.1f ms\n", ms[N_RUNS / 2]);
  return 0;
}
