/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>

#include "sa-countdown.h"

#define HOUR 3600

static void
test_colours_follow_time_left (void)
{
  /* The chip turns from green to yellow to red to overdue as the share of time left shrinks. */
  GtkLabel *chip = g_object_ref_sink (GTK_LABEL (gtk_label_new (NULL)));
  g_autofree char *light = NULL;
  g_autofree char *expected = NULL;
  const gint64 due = 100 * HOUR;

  sa_countdown_apply (chip, &light, 0, due, 10 * HOUR, 0, SA_COUNTDOWN_SHORT, NULL);
  expected = sa_sla_format_countdown (90 * HOUR, SA_COUNTDOWN_SHORT);
  g_assert_cmpstr (gtk_label_get_text (chip), ==, expected);
  g_assert_cmpstr (light, ==, "green");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (chip), "green"));

  sa_countdown_apply (chip, &light, 0, due, 60 * HOUR, 0, SA_COUNTDOWN_SHORT, NULL);
  g_assert_cmpstr (light, ==, "yellow");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (chip), "green"));

  sa_countdown_apply (chip, &light, 0, due, 90 * HOUR, 0, SA_COUNTDOWN_SHORT, NULL);
  g_assert_cmpstr (light, ==, "red");

  sa_countdown_apply (chip, &light, 0, due, 103 * HOUR, 0, SA_COUNTDOWN_SHORT, NULL);
  g_assert_cmpstr (light, ==, "overdue");
  g_clear_pointer (&expected, g_free);
  expected = sa_sla_format_countdown (-3 * HOUR, SA_COUNTDOWN_SHORT);
  g_assert_cmpstr (gtk_label_get_text (chip), ==, expected);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (chip), "overdue"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (chip), "red"));

  g_assert_finalize_object (chip);
}

static void
test_next_wakeup (void)
{
  /* The chip asks to be woken at the first instant its text or its colour changes. */
  GtkLabel *chip = g_object_ref_sink (GTK_LABEL (gtk_label_new (NULL)));
  g_autofree char *light = NULL;
  const gint64 due = 100 * HOUR;
  gint64 now, next;

  /* 50.5 % left: the colour turns yellow just below 50 % (exactly 50 % is still green),
   * before the hour shown changes; woken then, the chip is yellow. */
  now = 49 * HOUR + HOUR / 2;
  next = sa_countdown_apply (chip, &light, 0, due, now, 0, SA_COUNTDOWN_SHORT, NULL);
  g_assert_cmpstr (light, ==, "green");
  g_assert_cmpint (next, ==, ((gint64)50 * HOUR + 1) * G_USEC_PER_SEC);
  sa_countdown_apply (chip, &light, 0, due, next / G_USEC_PER_SEC, 0, SA_COUNTDOWN_SHORT, NULL);
  g_assert_cmpstr (light, ==, "yellow");

  /* Deep in the yellow, the next change is the text's. */
  now = 70 * HOUR;
  next = sa_countdown_apply (chip, &light, 0, due, now, 0, SA_COUNTDOWN_SHORT, NULL);
  g_assert_cmpint (next, ==, (now + sa_sla_countdown_next_change (due - now, SA_COUNTDOWN_SHORT))
                             * G_USEC_PER_SEC);

  g_assert_finalize_object (chip);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/countdown/colours-follow-time-left", test_colours_follow_time_left);
  g_test_add_func ("/sa/countdown/next-wakeup", test_next_wakeup);
  return g_test_run ();
}
