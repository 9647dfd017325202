/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "sa-address.h"

static SaGazetteer *city;

/* The city's gazetteer, from the registry's own data file: ru and kk names. */
static SaGazetteer *
load_city (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("SA_SOURCE_ROOT"), "data", "reference",
                                            "streets.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  SaGazetteer *g = sa_gazetteer_new ();

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;

      if (lines[i][0] == '#' || strchr (lines[i], '|') == NULL || g_str_has_prefix (lines[i], "columns"))
        continue;
      f = g_strsplit (lines[i], "|", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 5);
      sa_gazetteer_add_street (g, g_strstrip (f[2]), g_strstrip (f[3]));
    }
  g_assert_cmpuint (sa_gazetteer_get_n_streets (g), >, 100);
  return g;
}

/* The building key of @text, freed when the test ends. */
static const char *
key_of (const char *text)
{
  g_auto(SaAddress) a = { 0 };
  char *key;

  if (!sa_address_parse (city, text, &a))
    return NULL;
  key = sa_address_building_key (&a);
  g_test_queue_free (key);
  return key;
}

static void
test_same_building (void)
{
  /* Every way people write one building gives one key. */
  static const char * const abaya_150[] = {
    "ул. Абая 150", "проспект Абая, д. 150, кв. 12", "Абай даңғылы, 150",
    "пр. Абая, 150", "г. Алматы, пр-т Абая, дом 150", "Абая 150, кв.7",
    "АБАЯ 150", "пр.Абая,150", "Абай даңғылы, 150-үй, 33-пәтер",
    "Алматы қ., Абай даңғылы 150", "проспект Абая, 150 (второй подъезд)",
    "Абая, д.150", "просп. Абяа 150" /* a typo too far: refused below */,
  };
  const char *expected = key_of (abaya_150[0]);

  g_assert_nonnull (expected);
  g_assert_true (g_str_has_prefix (expected, "b:"));
  g_assert_true (g_str_has_suffix (expected, ":150"));
  for (guint i = 1; i < G_N_ELEMENTS (abaya_150) - 1; i++)
    {
      const char *key = key_of (abaya_150[i]);

      g_test_message ("%s → %s", abaya_150[i], key);
      g_assert_cmpstr (key, ==, expected);
    }

  /* Microdistricts, with the number in the name. */
  {
    const char *samal = key_of ("мкр. Самал-2, 58");

    g_assert_nonnull (samal);
    g_assert_true (g_str_has_suffix (samal, ":58"));
    g_assert_cmpstr (key_of ("Самал-2 шағын ауданы, 58-үй"), ==, samal);
    g_assert_cmpstr (key_of ("микрорайон Самал-2, дом 58, квартира 4"), ==, samal);
    g_assert_cmpstr (key_of ("мкр-н Самал-2 58"), ==, samal);
  }
  /* A typo or a missing letter in a long name. */
  g_assert_cmpstr (key_of ("ул. Розыбакиева 257"), ==, key_of ("ул Розыбакева 257"));
  g_assert_cmpstr (key_of ("пр. Сейфуллина 500"), ==, key_of ("Сейфулина 500"));
  /* Letters in house numbers, on either keyboard layout. */
  g_assert_cmpstr (key_of ("Абая 150а"), ==, key_of ("Абая 150 А"));
  g_assert_cmpstr (key_of ("Абая 150а"), ==, key_of ("Абая 150a"));
  /* ё and е are one letter to the reader. */
  g_assert_cmpstr (key_of ("ул. Толе би 55"), ==, key_of ("Төле би көшесі, 55"));
}

static void
test_other_building (void)
{
  const char *abaya_150 = key_of ("пр. Абая 150");

  /* The neighbouring house, another building of the block, another street. */
  g_assert_cmpstr (key_of ("пр. Абая 152"), !=, abaya_150);
  g_assert_cmpstr (key_of ("пр. Абая 150/1"), !=, abaya_150);
  g_assert_cmpstr (key_of ("пр. Абая 150б"), !=, abaya_150);
  g_assert_cmpstr (key_of ("ул. Жарокова 150"), !=, abaya_150);
  g_assert_cmpstr (key_of ("пр. Гагарина 150"), !=, abaya_150);
  /* A typo too far from any name finds no street rather than a wrong one. */
  g_assert_null (key_of ("просп. Абяа 150"));
  /* A street without a number names no building. */
  g_assert_null (key_of ("на проспекте Абая"));
  g_assert_null (key_of ("где-то в городе"));
  g_assert_null (key_of (""));
}

static void
test_parts (void)
{
  g_auto(SaAddress) a = { 0 };
  g_auto(SaAddress) b = { 0 };
  g_auto(SaAddress) c = { 0 };

  /* The flat is read too, in either language's order. */
  g_assert_true (sa_address_parse (city, "проспект Абая, д. 150/1, кв. 12", &a));
  g_assert_cmpstr (a.house, ==, "150/1");
  g_assert_cmpstr (a.flat, ==, "12");
  g_assert_true (sa_address_parse (city, "Абай даңғылы, 150, 33-пәтер", &b));
  g_assert_cmpstr (b.house, ==, "150");
  g_assert_cmpstr (b.flat, ==, "33");
  g_assert_cmpint (a.street, ==, b.street);

  /* A corner: both streets, in any order, one key. */
  g_assert_true (sa_address_parse (city, "Абая/Жарокова угол", &c));
  g_assert_cmpint (c.street, !=, SA_ADDRESS_NO_STREET);
  g_assert_cmpint (c.cross_street, !=, SA_ADDRESS_NO_STREET);
  g_assert_null (c.house);
  {
    const char *key = sa_address_building_key (&c);

    g_test_queue_free ((gpointer) key);

    g_assert_true (g_str_has_prefix (key, "x:"));
    g_assert_cmpstr (key_of ("угол Жарокова и Абая"), ==, key);
    g_assert_cmpstr (key_of ("пересечение ул. Жарокова / пр. Абая"), ==, key);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  city = load_city ();
  g_test_add_func ("/sa/address/same-building", test_same_building);
  g_test_add_func ("/sa/address/other-building", test_other_building);
  g_test_add_func ("/sa/address/parts", test_parts);
  status = g_test_run ();
  sa_gazetteer_free (city);
  return status;
}
