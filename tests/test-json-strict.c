/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-test-json-strict"

#include "config.h"

#include <string.h>

#include "sa-json-strict.h"

static gboolean
valid (const char *text)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = sa_json_strict_validate (text, strlen (text), 32, 1 << 20, &error);

  g_assert_true (ok == (error == NULL));
  return ok;
}

static int
error_code (const char *text,
            gsize       len,
            guint       depth,
            gsize       max)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sa_json_strict_validate (text, len, depth, max, &error));
  g_assert_error (error, SA_JSON_STRICT_ERROR, error->code);
  return error->code;
}

static void
test_accepts_rfc8259 (void)
{
  /* Every form RFC 8259 allows passes, and json-glib reads it back as written. */
  static const char * const texts[] = {
    "{}", "[]", "0", "-0", "1.5e3", "-12.25E-2", "1E+2", "\"\"", "true", "false", "null",
    " \t\r\n{ \"a\" : [ 1 , 2 , { \"b\" : null } ] }\n",
    "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"",
    "\"Алматы — қала\"", "\"\xf0\x9f\x98\x80\"",
    "9223372036854775807", "-9223372036854775808", "1.7976931348623157e308", "1e-400",
    "{\"a\":1,\"b\":{\"a\":2}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = sa_json_strict_parse (texts[i], strlen (texts[i]), 32, 1 << 20,
                                                       &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
}

static void
test_refuses_json_glib_extensions (void)
{
  /* What json-glib 1.6 would take but RFC 8259 does not is refused before it reaches json-glib. */
  static const char * const texts[] = {
    "", " ", "/* */", "/**/{}", "{} /* */", "// x\n{}", "{'a':1}", "['a']", "[NaN]",
    "[Infinity]", "[-Infinity]", "{a:1}", "[1,]", "{\"a\":1,}", "[01]", "[+1]", "[.5]",
    "[1.]", "[1e]", "[0x10]", "{} {}", "{}x", "[1 2]", "[true1]", "[nul]", "\"\t\"",
    "\"\\x41\"", "\"\\u12\"", "[\"a\"", "{\"a\"}", "{\"a\" 1}", "\xef\xbb\xbf{}", "[1]]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      if (valid (texts[i]))
        g_error ("accepted: %s", texts[i]);
      g_assert_cmpint (error_code (texts[i], strlen (texts[i]), 32, 1 << 20), !=,
                       SA_JSON_STRICT_ERROR_TOO_DEEP);
    }
}

static void
test_refuses_what_json_glib_bends (void)
{
  /* Duplicate names, U+0000, lone surrogates, integers past 64 bits and infinite numbers are refused, not bent. */
  static const char * const texts[] = {
    "{\"a\":1,\"a\":2}", "{\"a\":1,\"\\u0061\":2}", "[\"ab\\u0000c\"]", "[\"\\ud800\"]",
    "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]", "[9223372036854775808]",
    "[-9223372036854775809]", "[12345678901234567890]", "[1e999]", "[-1e400]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      if (valid (texts[i]))
        g_error ("accepted: %s", texts[i]);
      g_assert_cmpint (error_code (texts[i], strlen (texts[i]), 32, 1 << 20), ==,
                       SA_JSON_STRICT_ERROR_UNSUPPORTED);
    }
}

static void
test_refuses_bad_utf8 (void)
{
  /* Strings are UTF-8 in the shortest form, without surrogates, and the text outside strings is ASCII. */
  static const char * const texts[] = {
    "[\"\xc3\"]", "[\"\xc0\xaf\"]", "[\"\xe0\x80\xaf\"]", "[\"\xed\xa0\x80\"]",
    "[\"\xf4\x90\x80\x80\"]", "[\"\xff\"]", "[\"\x80\"]", "[\xc3\xa9]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      if (valid (texts[i]))
        g_error ("accepted: %s", texts[i]);
      g_assert_cmpint (error_code (texts[i], strlen (texts[i]), 32, 1 << 20), ==,
                       SA_JSON_STRICT_ERROR_ENCODING);
    }
  /* A NUL byte is no exception. */
  g_assert_cmpint (error_code ("[\"a\0\"]", 6, 32, 1 << 20), ==, SA_JSON_STRICT_ERROR_SYNTAX);
  g_assert_cmpint (error_code ("[1]\0", 4, 32, 1 << 20), ==, SA_JSON_STRICT_ERROR_SYNTAX);
}

static void
test_depth_no_syntax_hides (void)
{
  /* The depth limit counts the grammar's own brackets, so no comment or quote can hide 80,000 levels. */
  GString *deep = g_string_new ("/*\"*/{\"a\":");
  GString *plain = g_string_new ("{\"a\":");

  for (guint i = 0; i < 80000; i++)
    g_string_append_c (deep, '[');
  g_assert_cmpint (error_code (deep->str, deep->len, 32, 1 << 20), ==,
                   SA_JSON_STRICT_ERROR_SYNTAX);
  for (guint i = 0; i < 80000; i++)
    g_string_append_c (plain, '[');
  g_assert_cmpint (error_code (plain->str, plain->len, 32, 1 << 20), ==,
                   SA_JSON_STRICT_ERROR_TOO_DEEP);
  g_string_free (deep, TRUE);
  g_string_free (plain, TRUE);

  /* Exactly at the limit passes; one more level does not. */
  g_assert_true (sa_json_strict_validate ("[[[[]]]]", 8, 4, 100, NULL));
  g_assert_cmpint (error_code ("[[[[[]]]]]", 10, 4, 100), ==, SA_JSON_STRICT_ERROR_TOO_DEEP);
  g_assert_cmpint (error_code ("{\"a\":{\"b\":[[{}]]}}", 18, 4, 100), ==,
                   SA_JSON_STRICT_ERROR_TOO_DEEP);
  /* Brackets inside strings are text, not depth. */
  g_assert_true (sa_json_strict_validate ("[\"[[[[[[[[\"]", 12, 1, 100, NULL));
}

static void
test_size_limit (void)
{
  /* A text one byte over the limit is refused before it is read. */
  g_assert_true (sa_json_strict_validate ("[1,2]", 5, 4, 5, NULL));
  g_assert_cmpint (error_code ("[1,2]", 5, 4, 4), ==, SA_JSON_STRICT_ERROR_TOO_LARGE);
  /* Huge numbers and strings within the limit take one pass. */
  {
    GString *digits = g_string_new ("[0.");

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (digits, '1');
    g_string_append_c (digits, ']');
    g_assert_true (sa_json_strict_validate (digits->str, digits->len, 4, 1 << 20, NULL));
    g_string_free (digits, TRUE);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/json-strict/accepts-rfc8259", test_accepts_rfc8259);
  g_test_add_func ("/sa/json-strict/refuses-json-glib-extensions",
                   test_refuses_json_glib_extensions);
  g_test_add_func ("/sa/json-strict/refuses-what-json-glib-bends",
                   test_refuses_what_json_glib_bends);
  g_test_add_func ("/sa/json-strict/refuses-bad-utf8", test_refuses_bad_utf8);
  g_test_add_func ("/sa/json-strict/depth-no-syntax-hides", test_depth_no_syntax_hides);
  g_test_add_func ("/sa/json-strict/size-limit", test_size_limit);

  return g_test_run ();
}
