/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-iin"

#include "config.h"

#include <string.h>

#include "sa-iin.h"

/* The IIN (individuals) and BIN (organisations) of Kazakhstan share one
 * 12-digit format whose last digit is a weighted mod-11 checksum; when the
 * first set of weights gives 10, a second set is used, and a second 10
 * means the number cannot exist. */
static const int weights_a[11] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
static const int weights_b[11] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2 };

/**
 * sa_iin_check_digit:
 * @first_eleven: at least eleven ASCII digits
 *
 * Computes the check digit of an IIN/BIN from its first eleven digits.
 *
 * Returns: the digit 0–9, or -1 when no valid number starts with these digits
 */
int
sa_iin_check_digit (const char *first_eleven)
{
  int sum = 0;

  g_return_val_if_fail (first_eleven != NULL, -1);

  for (guint i = 0; i < 11; i++)
    {
      if (!g_ascii_isdigit (first_eleven[i]))
        return -1;
      sum += (first_eleven[i] - '0') * weights_a[i];
    }
  if (sum % 11 != 10)
    return sum % 11;

  sum = 0;
  for (guint i = 0; i < 11; i++)
    sum += (first_eleven[i] - '0') * weights_b[i];
  if (sum % 11 != 10)
    return sum % 11;

  return -1;
}

/**
 * sa_iin_is_valid:
 * @iin: (nullable): a candidate IIN or BIN
 *
 * Returns: %TRUE if @iin is exactly twelve digits with a correct check digit
 */
gboolean
sa_iin_is_valid (const char *iin)
{
  int check;

  if (iin == NULL || strlen (iin) != 12)
    return FALSE;
  for (guint i = 0; i < 12; i++)
    if (!g_ascii_isdigit (iin[i]))
      return FALSE;

  check = sa_iin_check_digit (iin);
  return check >= 0 && check == iin[11] - '0';
}

/**
 * sa_iin_mask:
 * @iin: (nullable): an IIN or BIN
 *
 * Masks all but the last four digits, for showing and logging.
 *
 * Returns: (transfer full): e.g. "••••••••1234", or an empty string
 */
char *
sa_iin_mask (const char *iin)
{
  GString *s;
  gsize len;

  if (iin == NULL || *iin == '\0')
    return g_strdup ("");

  len = strlen (iin);
  s = g_string_new (NULL);
  for (gsize i = 0; i < len; i++)
    {
      if (i + 4 < len)
        g_string_append (s, "•");
      else
        g_string_append_c (s, iin[i]);
    }
  return g_string_free (s, FALSE);
}
