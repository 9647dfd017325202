/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-duplicates"

#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"
#include "sa-duplicates.h"

/* The rules are in docs/duplicates.md. */

/* ------------------------------------------------------------------ */
/* Text */

/* Words every appeal says, whatever it is about. */
static const char * const common_words[] = {
  "здравствуйте", "прошу", "просим", "пожалуйста", "помогите", "помочь", "меня", "нас",
  "наш", "наша", "наше", "наши", "наших", "нашем", "доме", "дома", "дом", "квартире",
  "квартира", "квартиры", "адресу", "адрес", "улица", "улице", "проспект", "уже", "очень",
  "который", "которые", "также", "слов", "заявителя", "заявитель", "сообщает", "жалоба",
  "обращение", "просьба", "срочно", "примите", "меры", "это", "что", "как", "так", "все",
  "сәлеметсіз", "бе", "өтінемін", "көмектесіңіздер", "үйде", "үйдің", "пәтерде", "пәтер",
  "мекенжай", "және", "мен", "бізде", "біздің", "көшесі", "даңғылы", "шағын", "ауданы",
  NULL
};

static gboolean
is_common (const char *word)
{
  for (guint i = 0; common_words[i] != NULL; i++)
    if (strcmp (word, common_words[i]) == 0)
      return TRUE;
  return FALSE;
}

/* FNV-1a, enough to tell stems apart in a set of a few dozen. */
static guint32
hash_stem (const char *s,
           gsize       len)
{
  guint32 h = 2166136261u;

  for (gsize i = 0; i < len; i++)
    h = (h ^ (guchar) s[i]) * 16777619u;
  return h;
}

static int
compare_guint32 (gconstpointer a,
                 gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

#define STEM_CHARS 5

static void
add_word (GArray     *stems,
          const char *word)
{
  const char *end = word;
  glong n = g_utf8_strlen (word, -1);

  /* Short words carry no subject; the first letters of a longer one stand
   * for all its forms ("отопления", "отопление" → "отопл"). */
  if (n < 3 || is_common (word))
    return;
  for (glong i = 0; i < STEM_CHARS && *end != '\0'; i++)
    end = g_utf8_next_char (end);
  {
    guint32 h = hash_stem (word, end - word);

    g_array_append_val (stems, h);
  }
}

/**
 * sa_text_sketch_init:
 * @sketch: (out caller-allocates): where to put it
 * @text: (nullable): an appeal's text, in Russian or Kazakh
 *
 * Sketches what @text is about: the stems of its words, without the
 * words every appeal says and without numbers. Clear it with
 * sa_text_sketch_clear().
 */
void
sa_text_sketch_init (SaTextSketch *sketch,
                     const char   *text)
{
  g_autoptr(GArray) stems = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree char *lower = NULL;
  GString *word = g_string_new (NULL);
  guint n = 0;

  g_return_if_fail (sketch != NULL);

  lower = g_utf8_casefold (text != NULL ? text : "", -1);
  for (const char *p = lower;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalpha (c))
        g_string_append_unichar (word, c == 0x0451 ? 0x0435 : c);
      else
        {
          if (word->len > 0)
            add_word (stems, word->str);
          g_string_truncate (word, 0);
          if (c == 0)
            break;
        }
    }
  g_string_free (word, TRUE);

  g_array_sort (stems, compare_guint32);
  for (guint i = 0; i < stems->len; i++)
    if (n == 0 || g_array_index (stems, guint32, i) != g_array_index (stems, guint32, n - 1))
      g_array_index (stems, guint32, n++) = g_array_index (stems, guint32, i);
  g_array_set_size (stems, n);
  sketch->n_stems = n;
  sketch->stems = (guint32 *) g_array_free (g_steal_pointer (&stems), FALSE);
}

void
sa_text_sketch_clear (SaTextSketch *sketch)
{
  if (sketch == NULL)
    return;
  g_clear_pointer (&sketch->stems, g_free);
  sketch->n_stems = 0;
}

/**
 * sa_text_sketch_similarity:
 * @a: a sketch
 * @b: another
 *
 * Returns: the share of stems the two have in common (Jaccard), 0 to 1
 */
double
sa_text_sketch_similarity (const SaTextSketch *a,
                           const SaTextSketch *b)
{
  guint i = 0, j = 0, common = 0;

  g_return_val_if_fail (a != NULL && b != NULL, 0);

  if (a->n_stems == 0 || b->n_stems == 0)
    return 0;
  while (i < a->n_stems && j < b->n_stems)
    {
      if (a->stems[i] == b->stems[j])
        common++, i++, j++;
      else if (a->stems[i] < b->stems[j])
        i++;
      else
        j++;
    }
  return (double) common / (a->n_stems + b->n_stems - common);
}

/* ------------------------------------------------------------------ */
/* Two appeals */

/* The Julian day number of @t's date in Almaty. */
static gint
almaty_day (gint64 t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, sa_appeal_time_zone ());
  GDate date;
  int y, m, d;

  g_date_time_get_ymd (local, &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return (gint) g_date_get_julian (&date);
}

/**
 * sa_almaty_days_apart:
 * @a: unix seconds
 * @b: unix seconds
 *
 * Returns: how many calendar days of Almaty time lie between the dates
 *   of @a and @b: 0 on the same date, 1 from 23:30 to 00:30 the next
 */
gint
sa_almaty_days_apart (gint64 a,
                      gint64 b)
{
  return ABS (almaty_day (a) - almaty_day (b));
}

static const char * const reason_names[SA_DUPLICATE_N_REASONS] = {
  "same_building", "same_sphere", "same_category", "close_in_time", "similar_text",
};

/**
 * sa_duplicate_reason_name:
 * @reason: one #SaDuplicateReason
 *
 * Returns: its word in the API's `reasons` ("same_building", …)
 */
const char *
sa_duplicate_reason_name (SaDuplicateReason reason)
{
  for (guint i = 0; i < SA_DUPLICATE_N_REASONS; i++)
    if (reason == (1u << i))
      return reason_names[i];
  g_return_val_if_reached (NULL);
}

#define SIMILAR_TEXT 0.25

/**
 * sa_duplicate_compare:
 * @a: an appeal
 * @b: another
 * @out_verdict: (out caller-allocates): how alike they are, and why
 *
 * A likely duplicate is the same kind of problem (the sphere: no heat and
 * cold radiators are both heating) in the same building within
 * %SA_DUPLICATE_LIKELY_DAYS days. The score weighs the same, so that the
 * best candidates come first: the building 0.4, the sphere 0.25 (and the
 * category 0.05), the time 0.15 falling to 0 at
 * %SA_DUPLICATE_CANDIDATE_DAYS, the text 0.15.
 */
void
sa_duplicate_compare (const SaDuplicateSide *a,
                      const SaDuplicateSide *b,
                      SaDuplicateVerdict    *out_verdict)
{
  double text = 0, score = 0;
  guint reasons = 0;
  gint days;

  g_return_if_fail (a != NULL && b != NULL && out_verdict != NULL);

  days = sa_almaty_days_apart (a->received_at, b->received_at);
  if (a->building_key != NULL && g_strcmp0 (a->building_key, b->building_key) == 0)
    reasons |= SA_DUPLICATE_SAME_BUILDING, score += 0.4;
  if (a->sphere != NULL && g_strcmp0 (a->sphere, b->sphere) == 0)
    reasons |= SA_DUPLICATE_SAME_SPHERE, score += 0.25;
  if (a->category != NULL && g_strcmp0 (a->category, b->category) == 0)
    reasons |= SA_DUPLICATE_SAME_CATEGORY, score += 0.05;
  if (days <= SA_DUPLICATE_LIKELY_DAYS)
    reasons |= SA_DUPLICATE_CLOSE_IN_TIME;
  if (days < SA_DUPLICATE_CANDIDATE_DAYS)
    score += 0.15 * (1.0 - (double) days / SA_DUPLICATE_CANDIDATE_DAYS);
  if (a->text != NULL && b->text != NULL)
    text = sa_text_sketch_similarity (a->text, b->text);
  if (text >= SIMILAR_TEXT)
    reasons |= SA_DUPLICATE_SIMILAR_TEXT;
  score += 0.15 * MIN (1.0, text / (2 * SIMILAR_TEXT));

  out_verdict->score = MIN (score, 1.0);
  out_verdict->reasons = reasons;
  out_verdict->days_apart = days;
  out_verdict->likely = (reasons & SA_DUPLICATE_SAME_BUILDING) &&
                        (reasons & SA_DUPLICATE_SAME_SPHERE) &&
                        (reasons & SA_DUPLICATE_CLOSE_IN_TIME);
}
