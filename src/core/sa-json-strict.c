/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-json-strict"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "sa-json-strict.h"

/* json-glib 1.6 is a lenient parser: it takes comments, single-quoted
 * strings and bare words, recurses once per nesting level, keeps the last
 * of two equal member names, cuts a string at \u0000 and wraps integers
 * past 64 bits. Every text from outside passes this validator first: one
 * pass over the bytes, no recursion, so neither the size nor the depth
 * limit can be hidden by any syntax. What passes is plain RFC 8259 JSON
 * that json-glib reads exactly as written. */

G_DEFINE_QUARK (sa-json-strict-error-quark, sa_json_strict_error)

typedef enum
{
  EXPECT_VALUE,            /* a value must come */
  EXPECT_VALUE_OR_CLOSE,   /* just after '[' */
  EXPECT_KEY,              /* after ',' in an object */
  EXPECT_KEY_OR_CLOSE,     /* just after '{' */
  EXPECT_COLON,
  EXPECT_NEXT,             /* after a value: ',' or the closing bracket, or the end */
} Expect;

typedef struct
{
  const guchar *p;
  const guchar *start;
  const guchar *end;
  GError      **error;
} Scan;

G_GNUC_PRINTF (3, 4) static gboolean
fail (Scan       *s,
      int         code,
      const char *format,
      ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (s->error, SA_JSON_STRICT_ERROR, code, "Not strict JSON at byte %" G_GSIZE_FORMAT
               ": %s", (gsize) (s->p - s->start), what);
  return FALSE;
}

static void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads four hex digits after "\u". */
static gboolean
read_hex4 (Scan    *s,
           guint32 *out)
{
  guint32 v = 0;

  if (s->end - s->p < 4)
    return fail (s, SA_JSON_STRICT_ERROR_SYNTAX, "a \\u escape needs four hex digits");
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (s->p[i]);

      if (h < 0)
        return fail (s, SA_JSON_STRICT_ERROR_SYNTAX, "a \\u escape needs four hex digits");
      v = (v << 4) | (guint32) h;
    }
  s->p += 4;
  *out = v;
  return TRUE;
}

/* One UTF-8 sequence starting at s->p (a byte >= 0x80): shortest form,
 * no surrogates, at most U+10FFFF (RFC 3629). */
static gboolean
read_utf8 (Scan    *s,
           GString *decoded)
{
  const guchar *q = s->p;
  guint32 c = *q;
  guint n;
  guint32 min;

  if (c >= 0xC2 && c <= 0xDF)
    n = 1, c &= 0x1F, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 2, c &= 0x0F, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 3, c &= 0x07, min = 0x10000;
  else
    return fail (s, SA_JSON_STRICT_ERROR_ENCODING, "not UTF-8");
  if ((gsize) (s->end - q) < n + 1)
    return fail (s, SA_JSON_STRICT_ERROR_ENCODING, "not UTF-8 (a cut sequence)");
  for (guint i = 1; i <= n; i++)
    {
      if ((q[i] & 0xC0) != 0x80)
        return fail (s, SA_JSON_STRICT_ERROR_ENCODING, "not UTF-8");
      c = (c << 6) | (q[i] & 0x3F);
    }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return fail (s, SA_JSON_STRICT_ERROR_ENCODING, "not UTF-8 (an overlong form or a surrogate)");
  if (decoded != NULL)
    g_string_append_len (decoded, (const char *) q, n + 1);
  s->p += n + 1;
  return TRUE;
}

/* A string, s->p on the opening quote. With @decoded, its value is
 * collected (for member names, to find duplicates). */
static gboolean
read_string (Scan    *s,
             GString *decoded)
{
  s->p++;
  while (s->p < s->end)
    {
      guchar c = *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (s, SA_JSON_STRICT_ERROR_SYNTAX, "a control character in a string");
      if (c >= 0x80)
        {
          if (!read_utf8 (s, decoded))
            return FALSE;
          continue;
        }
      if (c != '\\')
        {
          if (decoded != NULL)
            g_string_append_c (decoded, (char) c);
          s->p++;
          continue;
        }

      s->p++;
      if (s->p >= s->end)
        break;
      c = *s->p++;
      switch (c)
        {
        case '"': case '\\': case '/':
          if (decoded != NULL)
            g_string_append_c (decoded, (char) c);
          break;
        case 'b': case 'f': case 'n': case 'r': case 't':
          if (decoded != NULL)
            g_string_append_c (decoded, c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n'
                                        : c == 'r' ? '\r' : '\t');
          break;
        case 'u':
          {
            guint32 u;

            if (!read_hex4 (s, &u))
              return FALSE;
            if (u == 0)
              return fail (s, SA_JSON_STRICT_ERROR_UNSUPPORTED,
                           "\\u0000 is not allowed in a string");
            if (u >= 0xDC00 && u <= 0xDFFF)
              return fail (s, SA_JSON_STRICT_ERROR_UNSUPPORTED, "a lone low surrogate");
            if (u >= 0xD800 && u <= 0xDBFF)
              {
                guint32 low;

                if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                  return fail (s, SA_JSON_STRICT_ERROR_UNSUPPORTED, "a lone high surrogate");
                s->p += 2;
                if (!read_hex4 (s, &low))
                  return FALSE;
                if (low < 0xDC00 || low > 0xDFFF)
                  return fail (s, SA_JSON_STRICT_ERROR_UNSUPPORTED, "a lone high surrogate");
                u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
              }
            if (decoded != NULL)
              g_string_append_unichar (decoded, u);
          }
          break;
        default:
          s->p--;
          return fail (s, SA_JSON_STRICT_ERROR_SYNTAX, "an unknown escape in a string");
        }
    }
  return fail (s, SA_JSON_STRICT_ERROR_SYNTAX, "an unterminated string");
}

static gboolean
read_digits (Scan *s)
{
  const guchar *first = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > first;
}

/* A number: the RFC 8259 grammar, and a value json-glib keeps as it is: an
 * integer that fits 64 bits, or a finite double. */
static gboolean
read_number (Scan *s)
{
  const guchar *first = s->p;
  gboolean integer = TRUE;
  g_autofree char *text = NULL;

  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (s->p >= s->end || *s->p < '1' || *s->p > '9' || !read_digits (s))
    return fail (s, SA_JSON_STRICT_ERROR_SYNTAX, "not a value");
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      integer = FALSE;
      if (!read_digits (s))
        return fail (s, SA_JSON_STRICT_ERROR_SYNTAX, "a fraction needs digits");
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      integer = FALSE;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!read_digits (s))
        return fail (s, SA_JSON_STRICT_ERROR_SYNTAX, "an exponent needs digits");
    }

  text = g_strndup ((const char *) first, s->p - first);
  if (integer)
    {
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (text, NULL, 10);
      if (errno == ERANGE)
        {
          s->p = first;
          return fail (s, SA_JSON_STRICT_ERROR_UNSUPPORTED, "an integer outside 64 bits");
        }
      (void) v;
    }
  else if (!isfinite (g_ascii_strtod (text, NULL)))
    {
      s->p = first;
      return fail (s, SA_JSON_STRICT_ERROR_UNSUPPORTED, "a number too large");
    }
  return TRUE;
}

static gboolean
read_word (Scan       *s,
           const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return fail (s, SA_JSON_STRICT_ERROR_SYNTAX, "not a value");
  s->p += n;
  return TRUE;
}

/**
 * sa_json_strict_validate:
 * @data: (array length=len): the text
 * @len: its length in bytes
 * @max_depth: how deep arrays and objects may nest (1: no nesting)
 * @max_bytes: how long the text may be
 * @error: a %SA_JSON_STRICT_ERROR saying what and where
 *
 * Checks that @data is one JSON text by RFC 8259 and nothing else, in
 * UTF-8, within both limits, with no duplicate member names, no U+0000
 * or lone surrogates in strings, integers within 64 bits and finite
 * numbers. Runs in one pass without recursion.
 *
 * Returns: %TRUE if json-glib may be given @data
 */
gboolean
sa_json_strict_validate (const char  *data,
                         gsize        len,
                         guint        max_depth,
                         gsize        max_bytes,
                         GError     **error)
{
  Scan s = { (const guchar *) data, (const guchar *) data, (const guchar *) data + len, error };
  /* One entry per open container: '[' or '{', and for objects the member
   * names seen so far. */
  g_autofree char *kinds = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GString) key = NULL;
  guint depth = 0;
  Expect expect = EXPECT_VALUE;
  gboolean ok = FALSE;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (max_depth > 0, FALSE);

  if (len > max_bytes)
    {
      g_set_error (error, SA_JSON_STRICT_ERROR, SA_JSON_STRICT_ERROR_TOO_LARGE,
                   "The JSON text is longer than %" G_GSIZE_FORMAT " bytes", max_bytes);
      return FALSE;
    }

  kinds = g_malloc (max_depth);
  names = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  key = g_string_new (NULL);

  for (;;)
    {
      guchar c;

      skip_space (&s);
      if (s.p >= s.end)
        {
          if (expect == EXPECT_NEXT && depth == 0)
            ok = TRUE;
          else
            fail (&s, SA_JSON_STRICT_ERROR_SYNTAX, len == 0 ? "an empty text"
                                                           : "the text ends too early");
          break;
        }
      c = *s.p;

      if (expect == EXPECT_NEXT)
        {
          char open = depth > 0 ? kinds[depth - 1] : 0;

          if (open == 0)
            {
              fail (&s, SA_JSON_STRICT_ERROR_SYNTAX, "something follows the JSON text");
              break;
            }
          if (c == ',')
            {
              s.p++;
              expect = open == '[' ? EXPECT_VALUE : EXPECT_KEY;
              continue;
            }
          if ((open == '[' && c == ']') || (open == '{' && c == '}'))
            {
              s.p++;
              depth--;
              if (open == '{')
                g_ptr_array_remove_index (names, names->len - 1);
              continue;
            }
          fail (&s, SA_JSON_STRICT_ERROR_SYNTAX, "expected ',' or the closing bracket");
          break;
        }

      if (expect == EXPECT_KEY || expect == EXPECT_KEY_OR_CLOSE)
        {
          GHashTable *seen = g_ptr_array_index (names, names->len - 1);

          if (c == '}' && expect == EXPECT_KEY_OR_CLOSE)
            {
              s.p++;
              depth--;
              g_ptr_array_remove_index (names, names->len - 1);
              expect = EXPECT_NEXT;
              continue;
            }
          if (c != '"')
            {
              fail (&s, SA_JSON_STRICT_ERROR_SYNTAX, "expected a member name in double quotes");
              break;
            }
          {
            const guchar *at = s.p;

            g_string_truncate (key, 0);
            if (!read_string (&s, key))
              break;
            if (g_hash_table_contains (seen, key->str))
              {
                s.p = at;
                fail (&s, SA_JSON_STRICT_ERROR_UNSUPPORTED, "a duplicate member name");
                break;
              }
            g_hash_table_add (seen, g_strdup (key->str));
          }
          expect = EXPECT_COLON;
          continue;
        }

      if (expect == EXPECT_COLON)
        {
          if (c != ':')
            {
              fail (&s, SA_JSON_STRICT_ERROR_SYNTAX, "expected ':'");
              break;
            }
          s.p++;
          expect = EXPECT_VALUE;
          continue;
        }

      /* EXPECT_VALUE or EXPECT_VALUE_OR_CLOSE */
      if (c == ']' && expect == EXPECT_VALUE_OR_CLOSE)
        {
          s.p++;
          depth--;
          expect = EXPECT_NEXT;
          continue;
        }
      if (c == '[' || c == '{')
        {
          if (depth >= max_depth)
            {
              g_set_error (error, SA_JSON_STRICT_ERROR, SA_JSON_STRICT_ERROR_TOO_DEEP,
                           "The JSON nests more than %u levels deep", max_depth);
              break;
            }
          kinds[depth++] = (char) c;
          s.p++;
          if (c == '{')
            g_ptr_array_add (names, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL));
          expect = c == '[' ? EXPECT_VALUE_OR_CLOSE : EXPECT_KEY_OR_CLOSE;
          continue;
        }
      if (c == '"')
        {
          if (!read_string (&s, NULL))
            break;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          if (!read_number (&s))
            break;
        }
      else if (c == 't' || c == 'f' || c == 'n')
        {
          if (!read_word (&s, c == 't' ? "true" : c == 'f' ? "false" : "null"))
            break;
          /* "nullx", "true1": a word runs on into garbage. */
          if (s.p < s.end && g_ascii_isalnum (*s.p))
            {
              fail (&s, SA_JSON_STRICT_ERROR_SYNTAX, "not a value");
              break;
            }
        }
      else
        {
          fail (&s, c >= 0x80 ? SA_JSON_STRICT_ERROR_ENCODING : SA_JSON_STRICT_ERROR_SYNTAX,
                c == '/' ? "comments are not JSON"
                : c == '\'' ? "strings take double quotes"
                : "not a value");
          break;
        }
      expect = EXPECT_NEXT;
    }

  return ok;
}

/**
 * sa_json_strict_parse:
 * @data: (array length=len): the text
 * @len: its length in bytes
 * @max_depth: see sa_json_strict_validate()
 * @max_bytes: see sa_json_strict_validate()
 * @error: a %SA_JSON_STRICT_ERROR
 *
 * Validates @data with sa_json_strict_validate(), then parses it.
 *
 * Returns: (transfer full) (nullable): the root node, never %NULL on success
 */
JsonNode *
sa_json_strict_parse (const char  *data,
                      gsize        len,
                      guint        max_depth,
                      gsize        max_bytes,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!sa_json_strict_validate (data, len, max_depth, max_bytes, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &local_error) ||
      json_parser_get_root (parser) == NULL)
    {
      /* Cannot happen for a validated text; kept as an error, not a crash. */
      g_set_error (error, SA_JSON_STRICT_ERROR, SA_JSON_STRICT_ERROR_SYNTAX,
                   "The JSON text could not be read: %s",
                   local_error != NULL ? local_error->message : "no value");
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/**
 * sa_json_strict_parse_bytes:
 * @bytes: (nullable): the text; %NULL reads as an empty text
 * @max_depth: see sa_json_strict_validate()
 * @max_bytes: see sa_json_strict_validate()
 * @error: a %SA_JSON_STRICT_ERROR
 *
 * Like sa_json_strict_parse(), for #GBytes.
 *
 * Returns: (transfer full) (nullable): the root node
 */
JsonNode *
sa_json_strict_parse_bytes (GBytes  *bytes,
                            guint    max_depth,
                            gsize    max_bytes,
                            GError **error)
{
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  return sa_json_strict_parse (data != NULL ? data : "", len, max_depth, max_bytes, error);
}
