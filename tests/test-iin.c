/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sa-iin.h"

/* Real-shaped numbers whose check digits were worked out by hand from the
 * published algorithm, including the second-weights case. */
static void
test_valid (void)
{
  /* A valid IIN is accepted, one wrong digit anywhere is refused. */
  const char *valid[] = { "900101300017", "880512450018", "000000000000", "880512400204" };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (sa_iin_is_valid (valid[i]));

  g_assert_false (sa_iin_is_valid ("900101300018"));
  g_assert_false (sa_iin_is_valid ("800101300017"));
}

static void
test_shape (void)
{
  /* Anything but exactly twelve digits is refused. */
  g_assert_false (sa_iin_is_valid (NULL));
  g_assert_false (sa_iin_is_valid (""));
  g_assert_false (sa_iin_is_valid ("90010130001"));
  g_assert_false (sa_iin_is_valid ("9001013000170"));
  g_assert_false (sa_iin_is_valid ("90010130001a"));
  g_assert_false (sa_iin_is_valid ("9001 1300017"));
}

static void
test_check_digit (void)
{
  /* Every 11-digit prefix has one check digit, or none when both weight sets give 10. */
  guint valid = 0, impossible = 0;

  for (guint n = 0; n < 2000; n++)
    {
      g_autofree char *prefix = g_strdup_printf ("9001013%04u", n);
      int d = sa_iin_check_digit (prefix);

      if (d < 0)
        impossible++;
      else
        {
          g_autofree char *iin = g_strdup_printf ("%s%d", prefix, d);

          g_assert_true (sa_iin_is_valid (iin));
          valid++;
          for (int other = 0; other < 10; other++)
            if (other != d)
              {
                g_autofree char *wrong = g_strdup_printf ("%s%d", prefix, other);
                g_assert_false (sa_iin_is_valid (wrong));
              }
        }
    }
  g_assert_cmpuint (valid + impossible, ==, 2000);
  g_assert_cmpuint (impossible, >, 0);
}

static void
test_mask (void)
{
  /* Only the last four digits stay readable. */
  g_autofree char *masked = sa_iin_mask ("900101300017");
  g_autofree char *empty = sa_iin_mask (NULL);

  g_assert_cmpstr (masked, ==, "••••••••0017");
  g_assert_cmpstr (empty, ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sa/iin/valid", test_valid);
  g_test_add_func ("/sa/iin/shape", test_shape);
  g_test_add_func ("/sa/iin/check-digit", test_check_digit);
  g_test_add_func ("/sa/iin/mask", test_mask);
  return g_test_run ();
}
