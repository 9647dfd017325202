/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sa-clock.h"

/* Tests move a fake wall clock instead of sleeping. */
typedef struct
{
  gint64 now;
  guint  ticks;
  gint64 last_tick;
} Fixture;

#define SEC G_GINT64_CONSTANT (1000000)
#define T0  (G_GINT64_CONSTANT (1767225600) * SEC)   /* 2026-01-01 00:00 UTC */

static gint64
fake_now (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now;
}

static void
on_tick (SaClock *clock, gint64 now_usec, Fixture *f)
{
  f->ticks++;
  f->last_tick = now_usec;
}

static SaClock *
fake_clock (Fixture *f)
{
  SaClock *clock = sa_clock_new_with_now_func (fake_now, f, NULL);

  f->now = T0;
  f->ticks = 0;
  f->last_tick = 0;
  g_signal_connect (clock, "tick", G_CALLBACK (on_tick), f);
  return clock;
}

static void
test_earliest_first (void)
{
  /* Requests are kept once each, and the clock waits for the earliest only. */
  Fixture f;
  SaClock *clock = fake_clock (&f);

  g_assert_cmpint (sa_clock_get_next_wakeup (clock), ==, -1);
  sa_clock_request_wakeup (clock, T0 + 60 * SEC);
  sa_clock_request_wakeup (clock, T0 + 30 * SEC);
  sa_clock_request_wakeup (clock, T0 + 90 * SEC);
  sa_clock_request_wakeup (clock, T0 + 30 * SEC);
  g_assert_cmpuint (sa_clock_get_n_requests (clock), ==, 3);
  g_assert_cmpint (sa_clock_get_next_wakeup (clock), ==, T0 + 30 * SEC);

  g_assert_finalize_object (clock);
}

static void
test_tick_once_per_instant (void)
{
  /* Nothing happens before the earliest instant; one tick serves every request that has come. */
  Fixture f;
  SaClock *clock = fake_clock (&f);

  sa_clock_request_wakeup (clock, T0 + 30 * SEC);
  sa_clock_request_wakeup (clock, T0 + 60 * SEC);
  sa_clock_request_wakeup (clock, T0 + 90 * SEC);

  f.now = T0 + 30 * SEC - 1;
  sa_clock_check (clock);
  g_assert_cmpuint (f.ticks, ==, 0);

  f.now = T0 + 30 * SEC;
  sa_clock_check (clock);
  g_assert_cmpuint (f.ticks, ==, 1);
  g_assert_cmpint (f.last_tick, ==, T0 + 30 * SEC);
  g_assert_cmpuint (sa_clock_get_n_requests (clock), ==, 2);
  g_assert_cmpint (sa_clock_get_next_wakeup (clock), ==, T0 + 60 * SEC);

  /* Asleep past two requests (a suspended laptop): one tick, not two. */
  f.now = T0 + 100 * SEC;
  sa_clock_check (clock);
  g_assert_cmpuint (f.ticks, ==, 2);
  g_assert_cmpuint (sa_clock_get_n_requests (clock), ==, 0);

  /* Served requests are gone: no more ticks. */
  sa_clock_check (clock);
  g_assert_cmpuint (f.ticks, ==, 2);

  g_assert_finalize_object (clock);
}

static void
rerequest (SaClock *clock, gint64 now_usec, gpointer user_data)
{
  sa_clock_request_wakeup (clock, now_usec + 60 * SEC);
}

static void
test_rerequest_in_handler (void)
{
  /* A row that asks for its next change from the tick handler keeps ticking. */
  Fixture f;
  SaClock *clock = fake_clock (&f);

  g_signal_connect (clock, "tick", G_CALLBACK (rerequest), NULL);
  sa_clock_request_wakeup (clock, T0 + 60 * SEC);
  for (int i = 1; i <= 5; i++)
    {
      f.now = T0 + i * 60 * SEC;
      sa_clock_check (clock);
      g_assert_cmpuint (f.ticks, ==, (guint)i);
      g_assert_cmpint (sa_clock_get_next_wakeup (clock), ==, f.now + 60 * SEC);
    }

  g_assert_finalize_object (clock);
}

static void
test_source_fires_when_due (void)
{
  /* The GSource dispatches a request whose time has come on the next main loop iteration. */
  Fixture f;
  SaClock *clock = fake_clock (&f);

  sa_clock_request_wakeup (clock, T0 - SEC);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (f.ticks, ==, 1);
  g_assert_cmpuint (sa_clock_get_n_requests (clock), ==, 0);

  g_assert_finalize_object (clock);
}

static void
test_source_waits (void)
{
  /* A request an hour ahead does not wake the main loop now. */
  Fixture f;
  SaClock *clock = fake_clock (&f);

  sa_clock_request_wakeup (clock, T0 + 3600 * SEC);
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (f.ticks, ==, 0);
  g_assert_cmpuint (sa_clock_get_n_requests (clock), ==, 1);

  /* Moving time and asking the clock to look (resume from suspend) ticks at once. */
  f.now = T0 + 3600 * SEC;
  sa_clock_check (clock);
  g_assert_cmpuint (f.ticks, ==, 1);

  g_assert_finalize_object (clock);
}

static void
test_many_rows_one_wakeup (void)
{
  /* A thousand rows changing at the same minute are served by a single tick. */
  Fixture f;
  SaClock *clock = fake_clock (&f);

  for (int i = 0; i < 1000; i++)
    sa_clock_request_wakeup (clock, T0 + (60 + i % 3) * SEC);
  g_assert_cmpuint (sa_clock_get_n_requests (clock), ==, 3);

  f.now = T0 + 70 * SEC;
  sa_clock_check (clock);
  g_assert_cmpuint (f.ticks, ==, 1);

  g_assert_finalize_object (clock);
}

static void
test_default_is_shared (void)
{
  /* Every caller of sa_clock_get_default() gets the same clock on the real time. */
  SaClock *a = sa_clock_get_default ();
  gint64 before = g_get_real_time ();
  gint64 now = sa_clock_get_now (a);

  g_assert_true (a == sa_clock_get_default ());
  g_assert_cmpint (now, >=, before);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/clock/requests/earliest-first", test_earliest_first);
  g_test_add_func ("/sa/clock/requests/many-rows-one-wakeup", test_many_rows_one_wakeup);
  g_test_add_func ("/sa/clock/tick/once-per-instant", test_tick_once_per_instant);
  g_test_add_func ("/sa/clock/tick/rerequest-in-handler", test_rerequest_in_handler);
  g_test_add_func ("/sa/clock/source/fires-when-due", test_source_fires_when_due);
  g_test_add_func ("/sa/clock/source/waits", test_source_waits);
  g_test_add_func ("/sa/clock/default/shared", test_default_is_shared);

  return g_test_run ();
}
