/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sa-directory.h"
#include "sa-test-cache.h"

static const char *reference_json =
  "[{\"seq\":1,\"kind\":\"agency\",\"id\":\"ALMATY-TEPLO\",\"data\":{\"code\":\"ALMATY-TEPLO\","
  "  \"name_ru\":\"Алматинские тепловые сети\",\"name_kk\":\"Алматы жылу желілері\","
  "  \"kind\":\"utility\",\"districts\":[\"*\"]}},"
  " {\"seq\":2,\"kind\":\"agency\",\"id\":\"KSK-ZHETYSU\",\"data\":{\"code\":\"KSK-ZHETYSU\","
  "  \"name_ru\":\"КСК «Жетысу»\",\"name_kk\":\"\",\"kind\":\"ksk_osi\"}},"
  " {\"seq\":3,\"kind\":\"agency\",\"id\":\"ALMATY-REMONT\",\"data\":{\"code\":\"ALMATY-REMONT\","
  "  \"name_ru\":\"ТОО «Алматы Ремонт»\",\"name_kk\":\"«Алматы Жөндеу» ЖШС\",\"kind\":\"contractor\"}},"
  " {\"seq\":4,\"kind\":\"agency\",\"id\":\"AKIMAT-ALATAU\",\"data\":{\"code\":\"AKIMAT-ALATAU\","
  "  \"name_ru\":\"Аппарат акима Алатауского района\",\"name_kk\":\"Алатау ауданы әкімінің аппараты\","
  "  \"kind\":\"district_akimat\"}},"
  " {\"seq\":5,\"kind\":\"user\",\"id\":\"executor.b\",\"data\":{\"login\":\"executor.b\","
  "  \"full_name\":\"Бекова Дана\",\"agency\":\"ALMATY-TEPLO\",\"role\":\"executor\",\"disabled\":false}},"
  " {\"seq\":6,\"kind\":\"user\",\"id\":\"supervisor.a\",\"data\":{\"login\":\"supervisor.a\","
  "  \"full_name\":\"Абаев Ержан\",\"agency\":\"ALMATY-TEPLO\",\"role\":\"supervisor\",\"disabled\":false}},"
  " {\"seq\":7,\"kind\":\"user\",\"id\":\"executor.gone\",\"data\":{\"login\":\"executor.gone\","
  "  \"full_name\":\"Уволенный Пётр\",\"agency\":\"ALMATY-TEPLO\",\"role\":\"executor\",\"disabled\":true}},"
  " {\"seq\":8,\"kind\":\"user\",\"id\":\"operator.x\",\"data\":{\"login\":\"operator.x\","
  "  \"full_name\":\"Оператор Ирина\",\"agency\":\"ALMATY-TEPLO\",\"role\":\"operator\",\"disabled\":false}},"
  " {\"seq\":9,\"kind\":\"user\",\"id\":\"executor.su\",\"data\":{\"login\":\"executor.su\","
  "  \"full_name\":\"Ахметов Арман\",\"agency\":\"ALMATY-SU\",\"role\":\"executor\",\"disabled\":false}},"
  " {\"seq\":10,\"kind\":\"user\",\"id\":\"ksk.v\",\"data\":{\"login\":\"ksk.v\","
  "  \"agency\":\"ALMATY-TEPLO\",\"role\":\"ksk_manager\",\"disabled\":false}}]";

static char *
codes (GPtrArray *agencies)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < agencies->len; i++)
    {
      SaDirectoryAgency *a = g_ptr_array_index (agencies, i);

      g_string_append_printf (s, "%s%s", i ? " " : "", a->code);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_agencies (void)
{
  /* Agencies come sorted by name in the language asked for, filtered by kind, with fallbacks. */
  g_autofree char *dir = NULL;
  SaCache *cache = sa_test_cache_new (&dir, "supervisor.a", "ALMATY-TEPLO");
  const char * const third_line[] = { "ksk_osi", "contractor", NULL };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) kk = NULL;
  g_autoptr(GPtrArray) escalation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *all_codes = NULL;
  g_autofree char *escalation_codes = NULL;
  g_autofree char *name = NULL;
  g_autofree char *missing = NULL;

  all = sa_directory_list_agencies (cache, NULL, "ru", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 0);
  g_clear_pointer (&all, g_ptr_array_unref);

  sa_test_cache_feed (cache, 10, reference_json);
  all = sa_directory_list_agencies (cache, NULL, "ru", &error);
  g_assert_no_error (error);
  all_codes = codes (all);
  /* А(лматинские) < А(ппарат) < К(СК) < Т(ОО) */
  g_assert_cmpstr (all_codes, ==, "ALMATY-TEPLO AKIMAT-ALATAU KSK-ZHETYSU ALMATY-REMONT");
  g_assert_cmpstr (((SaDirectoryAgency *) all->pdata[0])->name, ==, "Алматинские тепловые сети");
  g_assert_cmpstr (((SaDirectoryAgency *) all->pdata[0])->kind, ==, "utility");

  kk = sa_directory_list_agencies (cache, NULL, "kk", &error);
  g_assert_no_error (error);
  /* Kazakh names; the KSK has none and keeps its Russian one. (Where «Алматы Жөндеу»
   * sorts depends on the locale's collation, so the order is not checked here.) */
  g_assert_cmpuint (kk->len, ==, 4);
  for (guint i = 0; i < kk->len; i++)
    {
      SaDirectoryAgency *a = g_ptr_array_index (kk, i);

      if (g_str_equal (a->code, "KSK-ZHETYSU"))
        g_assert_cmpstr (a->name, ==, "КСК «Жетысу»");
      else if (g_str_equal (a->code, "AKIMAT-ALATAU"))
        g_assert_cmpstr (a->name, ==, "Алатау ауданы әкімінің аппараты");
      else if (g_str_equal (a->code, "ALMATY-REMONT"))
        g_assert_cmpstr (a->name, ==, "«Алматы Жөндеу» ЖШС");
      else
        g_assert_cmpstr (a->name, ==, "Алматы жылу желілері");
    }

  escalation = sa_directory_list_agencies (cache, third_line, "ru", &error);
  g_assert_no_error (error);
  escalation_codes = codes (escalation);
  g_assert_cmpstr (escalation_codes, ==, "KSK-ZHETYSU ALMATY-REMONT");

  /* Districts come from GET /api/v1/districts, not the feed. */
  {
    g_autoptr(JsonNode) districts = json_from_string (
      "[{\"code\":\"medeu\",\"name_ru\":\"Медеуский район\",\"name_kk\":\"Медеу ауданы\"}]",
      &error);
    g_autofree char *ru = NULL;
    g_autofree char *kz = NULL;
    g_autofree char *unknown = NULL;

    g_assert_true (sa_cache_put_districts (cache, json_node_get_array (districts), &error));
    ru = sa_directory_dup_district_name (cache, "medeu", "ru");
    kz = sa_directory_dup_district_name (cache, "medeu", "kk");
    unknown = sa_directory_dup_district_name (cache, "atlantis", "ru");
    g_assert_cmpstr (ru, ==, "Медеуский район");
    g_assert_cmpstr (kz, ==, "Медеу ауданы");
    g_assert_null (unknown);
  }

  name = sa_directory_dup_agency_name (cache, "ALMATY-REMONT", "kk");
  g_assert_cmpstr (name, ==, "«Алматы Жөндеу» ЖШС");
  missing = sa_directory_dup_agency_name (cache, "NO-SUCH", "ru");
  g_assert_null (missing);

  sa_test_cache_free (cache, g_steal_pointer (&dir));
}

static void
test_colleagues (void)
{
  /* Colleagues are the active executors, supervisors and KSK managers of one agency, by name. */
  g_autofree char *dir = NULL;
  SaCache *cache = sa_test_cache_new (&dir, "supervisor.a", "ALMATY-TEPLO");
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *unknown = NULL;
  SaDirectoryUser *u;

  sa_test_cache_feed (cache, 10, reference_json);
  users = sa_directory_list_colleagues (cache, "ALMATY-TEPLO", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 3);
  /* No full name: the login stands in, and Latin sorts before Cyrillic. */
  u = users->pdata[0];
  g_assert_cmpstr (u->login, ==, "ksk.v");
  g_assert_cmpstr (u->full_name, ==, "ksk.v");
  g_assert_cmpstr (u->role, ==, "ksk_manager");
  u = users->pdata[1];
  g_assert_cmpstr (u->login, ==, "supervisor.a");
  g_assert_cmpstr (u->full_name, ==, "Абаев Ержан");
  g_assert_cmpstr (u->role, ==, "supervisor");
  u = users->pdata[2];
  g_assert_cmpstr (u->login, ==, "executor.b");

  /* A user who leaves the agency's feed as disabled drops out of the list. */
  sa_test_cache_feed (cache, 11,
                      "[{\"seq\":11,\"kind\":\"user\",\"id\":\"executor.b\",\"data\":{"
                      "\"login\":\"executor.b\",\"full_name\":\"Бекова Дана\","
                      "\"agency\":\"ALMATY-TEPLO\",\"role\":\"executor\",\"disabled\":true}}]");
  g_clear_pointer (&users, g_ptr_array_unref);
  users = sa_directory_list_colleagues (cache, "ALMATY-TEPLO", &error);
  g_assert_cmpuint (users->len, ==, 2);

  name = sa_directory_dup_user_name (cache, "executor.su");
  g_assert_cmpstr (name, ==, "Ахметов Арман");
  unknown = sa_directory_dup_user_name (cache, "nobody");
  g_assert_null (unknown);

  sa_test_cache_free (cache, g_steal_pointer (&dir));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/directory/agencies", test_agencies);
  g_test_add_func ("/sa/directory/colleagues", test_colleagues);
  return g_test_run ();
}
