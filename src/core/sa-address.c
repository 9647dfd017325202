/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-address"

#include "config.h"

#include <string.h>

#include "sa-address.h"

/* How an address is read, in docs/addresses.md: the text is folded (case,
 * ё → е, Latin look-alikes in house letters), cut into words, the words
 * that only say what kind of street or place it is are dropped, and what
 * is left is matched against the gazetteer's names, exactly first, then
 * allowing a typo or a Russian case ending ("Абая" for "Абай"). */

#define MAX_NAME_WORDS 3

struct _SaGazetteer
{
  GPtrArray  *forms;   /* Form: every name of every street */
  GHashTable *exact;   /* folded name → GINT_TO_POINTER (street + 1) */
  guint       n_streets;
};

typedef struct
{
  char     *text;      /* folded, words joined by one space */
  gunichar *chars;
  glong     n_chars;
  guint     n_words;
  int       street;
} Form;

static void
form_free (gpointer data)
{
  Form *f = data;

  g_free (f->text);
  g_free (f->chars);
  g_free (f);
}

/* ------------------------------------------------------------------ */
/* Words */

typedef enum
{
  WORD_NAME,
  WORD_NUMBER,   /* starts with a digit: a house, a flat, a building */
  WORD_CORNER,   /* "/" between two names, "угол" */
  WORD_HOUSE,    /* "д", "дом", "үй": the next number is the house */
  WORD_FLAT,     /* "кв", "квартира", "пәтер": the next number is the flat */
} WordKind;

typedef struct
{
  char     *text;
  WordKind  kind;
} Word;

/* Words that say what kind of street or place follows or precedes, and
 * the city's own name: they name nothing to match. */
static const char * const noise[] = {
  "ул", "улица", "у", "пр", "пр-т", "пр-кт", "просп", "проспект", "мкр", "мкр-н", "мкрн",
  "микрорайон", "м-н", "пер", "переулок", "б-р", "бульвар", "бул", "ш", "шоссе", "пл",
  "площадь", "тупик", "көше", "көшесі", "даңғылы", "даңғ", "шағын", "ауданы", "ша",
  "тұйық", "бульвары", "тас", "жолы", "алаңы", "г", "город", "алматы", "алма-ата", "қ",
  "қаласы", "рк", "казахстан", "республика", "район", "р-н", "обл", "корпус", "корп",
  "подъезд", "этаж", "по", "адресу", "адрес", "мекенжай", "мекенжайы", "в", "на", "и",
  NULL
};

static const char * const house_words[] = { "д", "дом", "үй", "уй", NULL };
static const char * const flat_words[] = { "кв", "квартира", "пәтер", "патер", "кв-ра", NULL };
static const char * const corner_words[] = { "угол", "уг", "угл", "қиылысы", "пересечение", NULL };

static gboolean
in_list (const char         *word,
         const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (strcmp (word, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Case-folded, ё as е, composed: two ways of writing a letter are one. */
static char *
fold (const char *text)
{
  g_autofree char *lower = g_utf8_casefold (text, -1);
  g_autofree char *nfc = g_utf8_normalize (lower, -1, G_NORMALIZE_NFC);
  GString *out = g_string_sized_new (strlen (nfc));

  for (const char *p = nfc; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, c == 0x0451 ? 0x0435 : c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_separator (gunichar c)
{
  return g_unichar_isspace (c) || (g_unichar_ispunct (c) && c != '-' && c != '/');
}

static void
add_word (GArray     *words,
          const char *start,
          gsize       len)
{
  Word w;

  /* Dashes at the edges are punctuation ("– 12"); inside they join ("Самал-2"). */
  while (len > 0 && (*start == '-' || *start == '/'))
    start++, len--;
  while (len > 0 && (start[len - 1] == '-' || start[len - 1] == '/'))
    len--;
  if (len == 0)
    return;
  w.text = g_strndup (start, len);
  w.kind = g_ascii_isdigit (w.text[0]) ? WORD_NUMBER
           : in_list (w.text, house_words) ? WORD_HOUSE
           : in_list (w.text, flat_words) ? WORD_FLAT
           : in_list (w.text, corner_words) ? WORD_CORNER
           : WORD_NAME;
  if (w.kind == WORD_NAME && in_list (w.text, noise))
    {
      g_free (w.text);
      return;
    }
  g_array_append_val (words, w);
}

static void
word_clear (gpointer data)
{
  g_free (((Word *) data)->text);
}

/* "абая/жарокова" is a corner: two names with a slash between. */
static void
add_token (GArray     *words,
           const char *start,
           gsize       len)
{
  const char *slash = memchr (start, '/', len);

  if (slash != NULL && slash > start && !g_ascii_isdigit (start[0]))
    {
      Word corner = { g_strdup ("/"), WORD_CORNER };

      add_word (words, start, slash - start);
      g_array_append_val (words, corner);
      add_token (words, slash + 1, len - (slash + 1 - start));
      return;
    }
  add_word (words, start, len);
}

static GArray *
split_words (const char *folded)
{
  GArray *words = g_array_new (FALSE, FALSE, sizeof (Word));
  const char *start = NULL;

  g_array_set_clear_func (words, word_clear);
  for (const char *p = folded;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0 || is_separator (c))
        {
          if (start != NULL)
            add_token (words, start, p - start);
          start = NULL;
          if (c == 0)
            break;
        }
      else if (start == NULL)
        start = p;
    }
  return words;
}

/* ------------------------------------------------------------------ */
/* The gazetteer */

/**
 * sa_gazetteer_new:
 *
 * Returns: (transfer full): an empty gazetteer
 */
SaGazetteer *
sa_gazetteer_new (void)
{
  SaGazetteer *self = g_new0 (SaGazetteer, 1);

  self->forms = g_ptr_array_new_with_free_func (form_free);
  self->exact = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

void
sa_gazetteer_free (SaGazetteer *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->exact);
  g_ptr_array_unref (self->forms);
  g_free (self);
}

static void
add_form (SaGazetteer *self,
          const char  *name,
          int          street)
{
  g_autofree char *folded = NULL;
  g_autoptr(GArray) words = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);
  Form *f;

  if (name == NULL || *name == '\0')
    return;
  folded = fold (name);
  words = split_words (folded);
  for (guint i = 0; i < words->len; i++)
    {
      if (i > 0)
        g_string_append_c (joined, ' ');
      g_string_append (joined, g_array_index (words, Word, i).text);
    }
  if (words->len == 0 || words->len > MAX_NAME_WORDS ||
      g_hash_table_contains (self->exact, joined->str))
    return;
  f = g_new0 (Form, 1);
  f->text = g_string_free (g_steal_pointer (&joined), FALSE);
  f->chars = g_utf8_to_ucs4_fast (f->text, -1, &f->n_chars);
  f->n_words = words->len;
  f->street = street;
  g_ptr_array_add (self->forms, f);
  g_hash_table_insert (self->exact, f->text, GINT_TO_POINTER (street + 1));
}

/**
 * sa_gazetteer_add_street:
 * @self: a #SaGazetteer
 * @name_ru: the street's Russian name without its type ("Абая", "Самал-2")
 * @name_kk: (nullable): its Kazakh name without its type ("Абай")
 *
 * Returns: the street's number, counted from 0 in the order added
 */
guint
sa_gazetteer_add_street (SaGazetteer *self,
                         const char  *name_ru,
                         const char  *name_kk)
{
  guint street;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (name_ru != NULL, 0);

  street = self->n_streets++;
  add_form (self, name_ru, street);
  add_form (self, name_kk, street);
  return street;
}

guint
sa_gazetteer_get_n_streets (SaGazetteer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_streets;
}

/* ------------------------------------------------------------------ */
/* Matching names */

static guint
edit_distance (const gunichar *a,
               glong           n,
               const gunichar *b,
               glong           m,
               guint           limit)
{
  g_autofree guint *row = NULL;

  if ((guint) ABS (n - m) > limit)
    return limit + 1;
  row = g_new (guint, m + 1);
  for (glong j = 0; j <= m; j++)
    row[j] = j;
  for (glong i = 1; i <= n; i++)
    {
      guint diagonal = row[0];
      guint best = row[0] = i;

      for (glong j = 1; j <= m; j++)
        {
          guint up = row[j];
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = up;
          best = MIN (best, row[j]);
        }
      if (best > limit)
        return limit + 1;
    }
  return row[m];
}

/* A typo, or a case ending ("Абая", "Жарокова"), in a name long enough
 * that one letter does not make it another street. */
static guint
allowed_distance (glong n_chars)
{
  return n_chars >= 8 ? 2 : n_chars >= 4 ? 1 : 0;
}

/* The street named by words [first, first + n): exactly, or the nearest
 * form within the allowed distance if only one street is that near. */
static int
match_name (SaGazetteer *self,
            GArray      *words,
            guint        first,
            guint        n,
            guint       *out_distance)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autofree gunichar *chars = NULL;
  gpointer hit;
  glong n_chars;
  guint best = G_MAXUINT;
  int street = SA_ADDRESS_NO_STREET;
  gboolean tie = FALSE;

  for (guint i = first; i < first + n; i++)
    {
      const Word *w = &g_array_index (words, Word, i);

      if (w->kind != WORD_NAME)
        return SA_ADDRESS_NO_STREET;
      if (i > first)
        g_string_append_c (joined, ' ');
      g_string_append (joined, w->text);
    }
  if ((hit = g_hash_table_lookup (self->exact, joined->str)) != NULL)
    {
      *out_distance = 0;
      return GPOINTER_TO_INT (hit) - 1;
    }

  chars = g_utf8_to_ucs4_fast (joined->str, -1, &n_chars);
  for (guint i = 0; i < self->forms->len; i++)
    {
      const Form *f = g_ptr_array_index (self->forms, i);
      guint limit = allowed_distance (MIN (n_chars, f->n_chars));
      guint d;

      if (f->n_words != n || limit == 0)
        continue;
      d = edit_distance (chars, n_chars, f->chars, f->n_chars, limit);
      if (d > limit || d > best)
        continue;
      if (d < best)
        {
          best = d;
          street = f->street;
          tie = FALSE;
        }
      else if (f->street != street)
        tie = TRUE;
    }
  if (tie)
    return SA_ADDRESS_NO_STREET;
  *out_distance = best;
  return street;
}

/* ------------------------------------------------------------------ */
/* Numbers */

static gunichar
cyrillic_letter (gunichar c)
{
  /* A house letter typed on the wrong layout. */
  static const struct { gunichar latin, cyrillic; } alike[] = {
    { 'a', 0x0430 }, { 'b', 0x0431 }, { 'v', 0x0432 }, { 'g', 0x0433 }, { 'd', 0x0434 },
    { 'e', 0x0435 }, { 'c', 0x0441 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (alike); i++)
    if (c == alike[i].latin)
      return alike[i].cyrillic;
  return c;
}

/* "150", "150а", "150 а" (with @letter), "150/1", "150/1б", "58-үй": the
 * house as written plainly, or NULL if @text is no house number. */
static char *
house_number (const char *text,
              const char *letter)
{
  GString *out = g_string_new (NULL);
  const char *p = text;
  gboolean building = FALSE;

  while (*p != '\0')
    {
      while (g_ascii_isdigit (*p))
        g_string_append_c (out, *p++);
      if (*p != '\0' && *p != '/' && *p != '-')
        {
          gunichar c = cyrillic_letter (g_utf8_get_char (p));

          if (!g_unichar_isalpha (c))
            break;
          g_string_append_unichar (out, c);
          p = g_utf8_next_char (p);
        }
      if (*p == '/' && !building && g_ascii_isdigit (p[1]))
        {
          g_string_append_c (out, '/');
          building = TRUE;
          p++;
          continue;
        }
      break;
    }
  /* "58-үй": the Kazakh "house" after the number. */
  if (*p == '-' && in_list (p + 1, house_words))
    p += strlen (p);
  if (*p != '\0' || out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  if (letter != NULL && g_utf8_strlen (letter, -1) == 1 && !building)
    g_string_append_unichar (out, cyrillic_letter (g_utf8_get_char (letter)));
  return g_string_free (out, FALSE);
}

/* "12" or "12-пәтер": a flat's number. */
static char *
flat_number (const char *text)
{
  const char *p = text;

  while (g_ascii_isdigit (*p))
    p++;
  if (p == text)
    return NULL;
  if (*p == '\0' || (*p == '-' && in_list (p + 1, flat_words)))
    return g_strndup (text, p - text);
  return NULL;
}

static gboolean
is_flat_suffixed (const char *text)
{
  const char *dash = strchr (text, '-');

  return dash != NULL && in_list (dash + 1, flat_words);
}

/* ------------------------------------------------------------------ */
/* Reading an address */

void
sa_address_clear (SaAddress *address)
{
  if (address == NULL)
    return;
  g_clear_pointer (&address->house, g_free);
  g_clear_pointer (&address->flat, g_free);
  address->street = address->cross_street = SA_ADDRESS_NO_STREET;
}

typedef struct
{
  int   street;
  guint first;  /* its first word */
  guint end;    /* the word after it */
} Found;

/**
 * sa_address_parse:
 * @gazetteer: the city's streets
 * @text: an address as its writer wrote it, in Russian or Kazakh
 * @out_address: (out caller-allocates): what it names; clear it with
 *   sa_address_clear()
 *
 * Reads "ул. Абая 150", "проспект Абая, д. 150, кв. 12", "Абай даңғылы,
 * 150", "Абая/Жарокова угол", "мкр. Самал-2, 58", "Самал-2 шағын ауданы,
 * 58-үй" and their typos alike.
 *
 * Returns: whether a street (or a corner) was found
 */
gboolean
sa_address_parse (SaGazetteer *gazetteer,
                  const char  *text,
                  SaAddress   *out_address)
{
  g_autofree char *folded = NULL;
  g_autoptr(GArray) words = NULL;
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Found));
  gboolean corner = FALSE;
  guint i = 0;
  int house_at = -1;

  g_return_val_if_fail (gazetteer != NULL, FALSE);
  g_return_val_if_fail (out_address != NULL, FALSE);

  memset (out_address, 0, sizeof *out_address);
  out_address->street = out_address->cross_street = SA_ADDRESS_NO_STREET;
  if (text == NULL)
    return FALSE;

  folded = fold (text);
  words = split_words (folded);

  /* The streets, longest name first at each place. */
  while (i < words->len)
    {
      Found best = { SA_ADDRESS_NO_STREET, i, i + 1 };
      guint best_distance = G_MAXUINT;
      const Word *w = &g_array_index (words, Word, i);

      if (w->kind == WORD_CORNER)
        corner = TRUE;
      for (guint n = MIN (MAX_NAME_WORDS, words->len - i); w->kind == WORD_NAME && n > 0; n--)
        {
          guint distance = G_MAXUINT;
          int street = match_name (gazetteer, words, i, n, &distance);

          if (street != SA_ADDRESS_NO_STREET && distance < best_distance)
            {
              best.street = street;
              best.end = i + n;
              best_distance = distance;
              if (distance == 0)
                break;
            }
        }
      if (best.street != SA_ADDRESS_NO_STREET)
        {
          g_array_append_val (found, best);
          i = best.end;
        }
      else
        i++;
    }

  /* The house: after "д"/"дом", else the first number after a street. */
  for (i = 0; i < words->len; i++)
    {
      const Word *w = &g_array_index (words, Word, i);
      const Word *next = i + 1 < words->len ? &g_array_index (words, Word, i + 1) : NULL;
      const Word *after = i + 2 < words->len ? &g_array_index (words, Word, i + 2) : NULL;

      if (w->kind == WORD_FLAT && next != NULL && next->kind == WORD_NUMBER &&
          out_address->flat == NULL)
        {
          out_address->flat = flat_number (next->text);
          i++;
          continue;
        }
      if (w->kind != WORD_NUMBER)
        continue;
      /* "12-пәтер", "12 пәтер": a flat, the Kazakh way round. */
      if (is_flat_suffixed (w->text) || (next != NULL && next->kind == WORD_FLAT &&
                                         (after == NULL || after->kind != WORD_NUMBER)))
        {
          if (out_address->flat == NULL)
            out_address->flat = flat_number (w->text);
          continue;
        }
      if (out_address->house == NULL &&
          ((i > 0 && g_array_index (words, Word, i - 1).kind == WORD_HOUSE) ||
           (found->len > 0 && g_array_index (found, Found, 0).end <= i)))
        {
          const char *letter = next != NULL && next->kind == WORD_NAME &&
                               g_utf8_strlen (next->text, -1) == 1 ? next->text : NULL;

          out_address->house = house_number (w->text, letter);
          if (out_address->house != NULL)
            house_at = i;
        }
    }

  if (found->len == 0)
    {
      sa_address_clear (out_address);
      return FALSE;
    }

  /* The street is the one the house number follows. */
  out_address->street = g_array_index (found, Found, 0).street;
  for (guint k = 0; house_at >= 0 && k < found->len; k++)
    if ((int) g_array_index (found, Found, k).end <= house_at)
      out_address->street = g_array_index (found, Found, k).street;

  if (corner && out_address->house == NULL)
    for (guint k = 0; k < found->len; k++)
      {
        int other = g_array_index (found, Found, k).street;

        if (other != out_address->street)
          {
            out_address->cross_street = other;
            break;
          }
      }
  return TRUE;
}

/**
 * sa_address_building_key:
 * @address: a parsed address
 *
 * The same key for every way of writing the same building ("b:12:150а"),
 * or corner ("x:3:12", the streets in order), within one gazetteer.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL when @address
 *   names no building (a street without a number)
 */
char *
sa_address_building_key (const SaAddress *address)
{
  g_return_val_if_fail (address != NULL, NULL);

  if (address->street == SA_ADDRESS_NO_STREET)
    return NULL;
  if (address->cross_street != SA_ADDRESS_NO_STREET)
    return g_strdup_printf ("x:%d:%d", MIN (address->street, address->cross_street),
                            MAX (address->street, address->cross_street));
  if (address->house == NULL)
    return NULL;
  return g_strdup_printf ("b:%d:%s", address->street, address->house);
}
