/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sa-reference.h"

static const char * const file_names[] = {
  "districts.txt", "agencies.txt", "categories.txt", "streets.txt",
};

static char *
source_dir (void)
{
  return g_build_filename (g_getenv ("SA_SOURCE_ROOT"), "data", "reference", NULL);
}

/* Data rows of a file, counted without the parser: lines with a "|" that
 * are neither comments nor the "columns" header. */
static guint
count_rows (const char *name)
{
  g_autofree char *dir = source_dir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *s = lines[i];

      while (*s == ' ')
        s++;
      n += strchr (s, '|') != NULL && *s != '#' && !g_str_has_prefix (s, "columns ");
    }
  return n;
}

static SaReference *
load_default (void)
{
  g_autoptr(GError) error = NULL;
  SaReference *ref = sa_reference_new_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (ref);
  return ref;
}

static void
test_numbers (void)
{
  /* The built-in reference data are the files in the tree, row for row:
   * Almaty's 8 districts, 68 agencies of every kind, each category and street. */
  g_autoptr(SaReference) ref = load_default ();
  g_autoptr(SaReference) from_files = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = source_dir ();
  const SaReferenceAgency *agencies;
  const SaReferenceCategory *categories;
  const SaReferenceStreet *streets;
  guint n_districts, n_agencies, n_categories, n_streets, n;
  guint district_akimats = 0, contact_centres = 0;

  sa_reference_get_districts (ref, &n_districts);
  agencies = sa_reference_get_agencies (ref, &n_agencies);
  categories = sa_reference_get_categories (ref, &n_categories);
  streets = sa_reference_get_streets (ref, &n_streets);
  g_assert_cmpuint (n_districts, ==, 8);
  g_assert_cmpuint (n_agencies, ==, 68);
  g_assert_cmpuint (n_districts, ==, count_rows ("districts.txt"));
  g_assert_cmpuint (n_agencies, ==, count_rows ("agencies.txt"));
  g_assert_cmpuint (n_categories, ==, count_rows ("categories.txt"));
  g_assert_cmpuint (n_streets, ==, count_rows ("streets.txt"));
  g_assert_cmpuint (n_categories, >=, 30);
  g_assert_cmpuint (n_streets, >=, 100);
  g_test_message ("%u districts, %u agencies, %u categories, %u streets", n_districts,
                  n_agencies, n_categories, n_streets);

  for (guint i = 0; i < n_agencies; i++)
    {
      district_akimats += strcmp (agencies[i].kind, "district_akimat") == 0;
      contact_centres += strcmp (agencies[i].kind, "contact_centre") == 0;
    }
  g_assert_cmpuint (district_akimats, ==, 8);
  g_assert_cmpuint (contact_centres, ==, 1);

  /* The same files read from the tree give the same data. */
  from_files = sa_reference_new_from_dir (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sa_reference_get_categories (from_files, &n));
  g_assert_cmpuint (n, ==, n_categories);
  g_assert_cmpstr (sa_reference_get_categories (from_files, NULL)[n - 1].code, ==,
                   categories[n - 1].code);
  sa_reference_get_streets (from_files, &n);
  g_assert_cmpuint (n, ==, n_streets);
  g_assert_cmpstr (sa_reference_get_streets (from_files, NULL)[n - 1].name_kk, ==,
                   streets[n - 1].name_kk);
}

static void
test_content (void)
{
  /* What other parts rely on: names in both languages, the regulations of
   * the contact centre's practice, the streets' two forms and districts. */
  static const char * const spheres[] = {
    "heating", "water", "electricity", "gas", "lifts", "roads", "waste", "transport",
    "landscaping", "manholes", "flooding", "ksk", "other",
  };
  g_autoptr(SaReference) ref = load_default ();
  const SaReferenceDistrict *districts;
  const SaReferenceCategory *categories;
  const SaReferenceCategory *c;
  const SaReferenceStreet *s;
  g_autofree char *ru = NULL;
  g_autofree char *kk = NULL;
  guint n;

  districts = sa_reference_get_districts (ref, &n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (g_str_has_suffix (districts[i].name_ru, "район"));
      g_assert_true (g_str_has_suffix (districts[i].name_kk, "ауданы"));
    }
  g_assert_nonnull (sa_reference_find_district (ref, "medeu"));
  g_assert_cmpstr (sa_reference_find_agency (ref, "AKIMAT-MEDEU")->name_kk, ==,
                   "Медеу ауданы әкімінің аппараты");
  g_assert_cmpstr (sa_reference_find_agency (ref, "IKOMEK-109")->kind, ==, "contact_centre");
  g_assert_cmpstr (sa_reference_find_category (ref, "heating.no-heat")->agency, ==,
                   "ALMATY-TEPLO");

  /* Every sphere the contact centre sorts appeals into has a category. */
  categories = sa_reference_get_categories (ref, &n);
  for (guint k = 0; k < G_N_ELEMENTS (spheres); k++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < n; i++)
        found |= strcmp (categories[i].sphere, spheres[k]) == 0;
      g_assert_true (found);
    }
  for (guint i = 0; i < n; i++)
    {
      c = &categories[i];
      g_assert_nonnull (sa_reference_find_agency (ref, c->agency));
      g_assert_cmpuint (c->regulation.reaction_minutes, <, c->regulation.resolution_minutes);
      if (c->criticality == SA_CRITICALITY_EMERGENCY)
        g_assert_cmpint (c->regulation.clock, ==, SA_SLA_CLOCK_24X7);
    }

  /* A person stuck in a lift is helped within 20 minutes; an open manhole is
   * fenced within 3 hours and closed within 24; a roof leak has 10 working days. */
  c = sa_reference_find_category (ref, "lifts.person-stuck");
  g_assert_cmpuint (c->regulation.reaction_minutes, ==, 20);
  g_assert_cmpint (c->criticality, ==, SA_CRITICALITY_EMERGENCY);
  c = sa_reference_find_category (ref, "manholes.open");
  g_assert_cmpuint (c->regulation.reaction_minutes, ==, 180);
  g_assert_cmpuint (c->regulation.resolution_minutes, ==, 24 * 60);
  g_assert_cmpint (c->regulation.clock, ==, SA_SLA_CLOCK_24X7);
  c = sa_reference_find_category (ref, "ksk.roof-leak");
  g_assert_cmpuint (c->regulation.resolution_minutes, ==, 10 * 9 * 60);
  g_assert_cmpint (c->regulation.clock, ==, SA_SLA_CLOCK_WORKING_HOURS);
  c = sa_reference_find_category (ref, "waste.not-collected");
  g_assert_cmpuint (c->regulation.reaction_minutes, ==, 4 * 60 + 30);

  s = sa_reference_find_street (ref, "проспект Абая");
  g_assert_nonnull (s);
  ru = sa_reference_street_dup_ru (s);
  kk = sa_reference_street_dup_kk (s);
  g_assert_cmpstr (ru, ==, "проспект Абая");
  g_assert_cmpstr (kk, ==, "Абай даңғылы");
  g_assert_cmpuint (g_strv_length (s->districts), >, 1);
  s = sa_reference_find_street (ref, "мкр Самал-2");
  g_assert_cmpuint (g_strv_length (s->districts), ==, 1);
  g_assert_cmpstr (s->districts[0], ==, "medeu");
  s = sa_reference_find_street (ref, "улица Бурундайская");
  g_assert_cmpuint (g_strv_length (s->districts), ==, 0);
  g_assert_null (sa_reference_find_street (ref, "улица Несуществующая"));
}

/* A copy of the tree's files in a temporary directory. */
static char *
copy_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *from = source_dir ();
  char *dir = g_dir_make_tmp ("sa-reference-XXXXXX", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (file_names); i++)
    {
      g_autofree char *src = g_build_filename (from, file_names[i], NULL);
      g_autofree char *dst = g_build_filename (dir, file_names[i], NULL);
      g_autofree char *text = NULL;

      g_assert_true (g_file_get_contents (src, &text, NULL, NULL));
      g_assert_true (g_file_set_contents (dst, text, -1, NULL));
    }
  return dir;
}

static void
remove_files (const char *dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (file_names); i++)
    {
      g_autofree char *path = g_build_filename (dir, file_names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

typedef struct
{
  const char       *file;
  gboolean          replace;   /* the text is the whole file, else a line appended */
  const char       *text;
  guint             line;      /* for a replaced file; an appended line is the last */
  SaReferenceError  code;
  const char       *reason;    /* a part of the message after "FILE:LINE: " */
} Malformed;

static const Malformed malformed[] = {
  { "districts.txt", FALSE, "medeu2 | Второй | Екінші", 0, SA_REFERENCE_ERROR_INVALID,
    "is not a valid code" },
  { "districts.txt", FALSE, "alatau | Алатауский район | Алатау ауданы", 0,
    SA_REFERENCE_ERROR_DUPLICATE, "given twice (first on line 10)" },
  { "districts.txt", FALSE, "kokzhiek | Кокжиекский район", 0, SA_REFERENCE_ERROR_SYNTAX,
    "expected 3 fields" },
  { "districts.txt", FALSE, "kokzhiek |  | Көкжиек ауданы", 0, SA_REFERENCE_ERROR_SYNTAX,
    "field 2 is empty" },
  { "districts.txt", FALSE, "kokzhiek | Кокжиекский  район | Көкжиек ауданы", 0,
    SA_REFERENCE_ERROR_SYNTAX, "two spaces" },
  { "districts.txt", FALSE, "kokzhiek\t| Кокжиекский район | Көкжиек ауданы", 0,
    SA_REFERENCE_ERROR_SYNTAX, "a tab" },
  { "districts.txt", FALSE, "kokzhiek | Кокжиекский район | Көкжиек ауданы\r", 0,
    SA_REFERENCE_ERROR_SYNTAX, "a carriage return" },
  { "districts.txt", FALSE, "kokzhiek | Кокжиекский \xd1 район | Көкжиек ауданы", 0,
    SA_REFERENCE_ERROR_SYNTAX, "not UTF-8" },
  { "districts.txt", TRUE, "# no header\nmedeu | Медеуский район | Медеу ауданы\n", 2,
    SA_REFERENCE_ERROR_SYNTAX, "“format 1”" },
  { "districts.txt", TRUE, "format 2\n", 1, SA_REFERENCE_ERROR_SYNTAX, "“format 1”" },
  { "districts.txt", TRUE, "format 1\ncolumns code | name_kk | name_ru\n", 2,
    SA_REFERENCE_ERROR_SYNTAX, "“columns code | name_ru | name_kk”" },
  { "districts.txt", TRUE, "format 1\ncolumns code | name_ru | name_kk\n", 0,
    SA_REFERENCE_ERROR_SYNTAX, "no rows" },
  { "agencies.txt", FALSE, "HEAT-2 | utlity | * | Тепло | Жылу", 0, SA_REFERENCE_ERROR_INVALID,
    "kind “utlity” is not one of" },
  { "agencies.txt", FALSE, "heat-2 | utility | * | Тепло | Жылу", 0, SA_REFERENCE_ERROR_INVALID,
    "is not a valid code" },
  { "agencies.txt", FALSE, "HEAT-2 | utility | medeu, almaly | Тепло | Жылу", 0,
    SA_REFERENCE_ERROR_UNKNOWN, "“ almaly” is not a district" },
  { "agencies.txt", FALSE, "HEAT-2 | utility | atlantis | Тепло | Жылу", 0,
    SA_REFERENCE_ERROR_UNKNOWN, "“atlantis” is not a district" },
  { "agencies.txt", FALSE, "HEAT-2 | utility | medeu,medeu | Тепло | Жылу", 0,
    SA_REFERENCE_ERROR_DUPLICATE, "named twice" },
  { "agencies.txt", FALSE, "ALMATY-TEPLO | utility | * | Тепло | Жылу", 0,
    SA_REFERENCE_ERROR_DUPLICATE, "“ALMATY-TEPLO” is given twice" },
  { "categories.txt", FALSE,
    "heating.cold | heating | NOBODY | high | 24x7 | 1h | 24h | Холодно | Суық", 0,
    SA_REFERENCE_ERROR_UNKNOWN, "“NOBODY” is not in agencies.txt" },
  { "categories.txt", FALSE,
    "heating | heating | ALMATY-TEPLO | high | 24x7 | 1h | 24h | Холодно | Суық", 0,
    SA_REFERENCE_ERROR_INVALID, "is not a valid code" },
  { "categories.txt", FALSE,
    "heating.cold | heat | ALMATY-TEPLO | high | 24x7 | 1h | 24h | Холодно | Суық", 0,
    SA_REFERENCE_ERROR_INVALID, "sphere “heat” is not one of" },
  { "categories.txt", FALSE,
    "heating.cold | heating | ALMATY-TEPLO | urgent | 24x7 | 1h | 24h | Холодно | Суық", 0,
    SA_REFERENCE_ERROR_INVALID, "criticality “urgent”" },
  { "categories.txt", FALSE,
    "heating.cold | heating | ALMATY-TEPLO | emergency | working_hours | 1h | 24h | Холодно | Суық",
    0, SA_REFERENCE_ERROR_INVALID, "clock is 24x7" },
  { "categories.txt", FALSE,
    "heating.cold | heating | ALMATY-TEPLO | high | 24x7 | 1h | 2wd | Холодно | Суық", 0,
    SA_REFERENCE_ERROR_INVALID, "working days on the 24x7 clock" },
  { "categories.txt", FALSE,
    "heating.cold | heating | ALMATY-TEPLO | high | 24x7 | 30min1h | 24h | Холодно | Суық", 0,
    SA_REFERENCE_ERROR_INVALID, "reaction “30min1h” is not a duration" },
  { "categories.txt", FALSE,
    "heating.cold | heating | ALMATY-TEPLO | high | 24x7 | 90 | 24h | Холодно | Суық", 0,
    SA_REFERENCE_ERROR_INVALID, "reaction “90” is not a duration" },
  { "categories.txt", FALSE,
    "heating.cold | heating | ALMATY-TEPLO | high | 24x7 | 0min | 24h | Холодно | Суық", 0,
    SA_REFERENCE_ERROR_INVALID, "more than nothing" },
  { "categories.txt", FALSE,
    "heating.cold | heating | ALMATY-TEPLO | high | 24x7 | 24h | 2h | Холодно | Суық", 0,
    SA_REFERENCE_ERROR_INVALID, "must come before the resolution" },
  { "categories.txt", FALSE,
    "heating.cold | heating | ALMATY-TEPLO | high | 24/7 | 1h | 24h | Холодно | Суық", 0,
    SA_REFERENCE_ERROR_INVALID, "clock “24/7”" },
  { "streets.txt", FALSE, "medeu | ulitsa | Новая | Жаңа | көшесі", 0,
    SA_REFERENCE_ERROR_INVALID, "ru type “ulitsa” is not one of" },
  { "streets.txt", FALSE, "medeu | улица | Новая | Жаңа | street", 0,
    SA_REFERENCE_ERROR_INVALID, "kk type “street”" },
  { "streets.txt", FALSE, "medeu | улица | Кунаева | Қонаев | көшесі", 0,
    SA_REFERENCE_ERROR_DUPLICATE, "“улица Кунаева” is given twice" },
  { "streets.txt", FALSE, "", 0, SA_REFERENCE_ERROR_MISSING, NULL },
};

static void
test_malformed (void)
{
  /* Each malformed line is refused with its file and line and a reason; so
   * is a missing file. */
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      const Malformed *m = &malformed[i];
      g_autofree char *dir = copy_files ();
      g_autofree char *path = g_build_filename (dir, m->file, NULL);
      g_autofree char *text = NULL;
      g_autofree char *prefix = NULL;
      g_autoptr(SaReference) ref = NULL;
      g_autoptr(GError) error = NULL;
      guint line = m->line;

      if (m->code == SA_REFERENCE_ERROR_MISSING)
        {
          g_assert_cmpint (g_unlink (path), ==, 0);
          prefix = g_strconcat (path, ": ", NULL);
        }
      else
        {
          if (m->replace)
            text = g_strdup (m->text);
          else
            {
              g_autofree char *before = NULL;

              g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
              text = g_strconcat (before, m->text, "\n", NULL);
              line = count_lines (text);
            }
          g_assert_true (g_file_set_contents (path, text, -1, NULL));
          prefix = line > 0 ? g_strdup_printf ("%s:%u: ", path, line)
                            : g_strconcat (path, ": ", NULL);
        }

      ref = sa_reference_new_from_dir (dir, &error);
      g_test_message ("case %u: %s", i, error != NULL ? error->message : "loaded");
      g_assert_null (ref);
      g_assert_error (error, SA_REFERENCE_ERROR, (gint) m->code);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      if (m->reason != NULL)
        g_assert_nonnull (strstr (error->message, m->reason));
      remove_files (dir);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/reference/numbers", test_numbers);
  g_test_add_func ("/sa/reference/content", test_content);
  g_test_add_func ("/sa/reference/malformed", test_malformed);

  return g_test_run ();
}
