/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-test-reply-template"

#include "config.h"

#include "sa-reply-template.h"
#include "sa-test-cache.h"

/* Reply templates in the desk: cached from the change feed, searched as one
 * types (Russian with ё = е, Kazakh), for the appeal's category and
 * language, and filled in from the appeal. */

static const char feed[] =
  "[{\"seq\":1,\"kind\":\"template\",\"id\":\"heating-restored-ru\",\"data\":"
  "  {\"id\":\"heating-restored-ru\",\"agency\":null,\"category\":\"heating.*\","
  "   \"language\":\"ru\",\"title\":\"Отопление восстановлено\","
  "   \"text\":\"Уважаемый(ая) {applicant_name}! Подача тепла восстановлена.\",\"disabled\":false}},"
  " {\"seq\":2,\"kind\":\"template\",\"id\":\"heating-restored-kk\",\"data\":"
  "  {\"id\":\"heating-restored-kk\",\"agency\":null,\"category\":\"heating.*\","
  "   \"language\":\"kk\",\"title\":\"Жылу берілді\","
  "   \"text\":\"Құрметті {applicant_name}! Жылу беру қалпына келтірілді.\",\"disabled\":false}},"
  " {\"seq\":3,\"kind\":\"template\",\"id\":\"extension-notice-ru\",\"data\":"
  "  {\"id\":\"extension-notice-ru\",\"agency\":null,\"category\":\"*\",\"language\":\"ru\","
  "   \"title\":\"Срок рассмотрения продлён\","
  "   \"text\":\"Срок по обращению № {reg_number} продлён до {due_date}.\",\"disabled\":false}},"
  " {\"seq\":4,\"kind\":\"template\",\"id\":\"teplo-pipes\",\"data\":"
  "  {\"id\":\"teplo-pipes\",\"agency\":\"ALMATY-TEPLO\",\"category\":\"heating.no-heat\","
  "   \"language\":\"ru\",\"title\":\"Замена труб отопления\","
  "   \"text\":\"Трубы отопления заменены.\",\"disabled\":false}},"
  " {\"seq\":5,\"kind\":\"template\",\"id\":\"water-ru\",\"data\":"
  "  {\"id\":\"water-ru\",\"agency\":null,\"category\":\"water.*\",\"language\":\"ru\","
  "   \"title\":\"Водоснабжение восстановлено\",\"text\":\"Вода подана.\",\"disabled\":false}}]";

static GStrv
ids_of (GPtrArray *found)
{
  GStrvBuilder *b = g_strv_builder_new ();

  for (guint i = 0; i < found->len; i++)
    g_strv_builder_add (b, ((SaReplyTemplate *) g_ptr_array_index (found, i))->id);
  return g_strv_builder_end (b);
}

static void
assert_found (SaCache    *cache,
              const char *query,
              const char *category,
              const char *language,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = sa_cache_find_templates (cache, query, category, language, 20,
                                                        &error);
  g_auto(GStrv) ids = NULL;
  g_autofree char *joined = NULL;

  g_assert_no_error (error);
  ids = ids_of (found);
  joined = g_strjoinv (" ", ids);
  g_test_message ("“%s” in %s/%s: %s", query != NULL ? query : "", category, language, joined);
  g_assert_cmpstr (joined, ==, expected);
}

static void
test_search (void)
{
  /* The agency's own first, then the category's sphere, then any; words match as prefixes, ё as е; other spheres and languages are left out; a disabled template is offered no more. */
  char *dir = NULL;  /* sa_test_cache_free() takes it */
  SaCache *cache = sa_test_cache_new (&dir, "exec.teplo", "ALMATY-TEPLO");

  sa_test_cache_feed (cache, 5, feed);
  assert_found (cache, NULL, "heating.no-heat", "ru",
                "teplo-pipes heating-restored-ru extension-notice-ru");
  assert_found (cache, "отоплен", "heating.no-heat", "ru", "teplo-pipes heating-restored-ru");
  assert_found (cache, "продлен", "heating.no-heat", "ru", "extension-notice-ru");
  assert_found (cache, "жылу", "heating.no-heat", "kk", "heating-restored-kk");
  assert_found (cache, NULL, "water.no-cold", "ru", "water-ru extension-notice-ru");
  assert_found (cache, "\"*(", "water.no-cold", "ru", "water-ru extension-notice-ru");
  assert_found (cache, "трубы", NULL, NULL, "teplo-pipes");

  sa_test_cache_feed (cache, 6,
                      "[{\"seq\":6,\"kind\":\"template\",\"id\":\"teplo-pipes\",\"data\":"
                      " {\"id\":\"teplo-pipes\",\"agency\":\"ALMATY-TEPLO\",\"category\":"
                      " \"heating.no-heat\",\"language\":\"ru\",\"title\":\"Замена труб\","
                      " \"text\":\"Трубы заменены.\",\"disabled\":true}}]");
  assert_found (cache, "трубы", NULL, NULL, "");
  sa_test_cache_free (cache, dir);
}

static void
test_survives_reopen (void)
{
  /* Templates stay in the cache across a restart, offline. */
  char *dir = NULL;  /* sa_test_cache_free() takes it */
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  SaCache *cache = sa_test_cache_new (&dir, "exec.teplo", "ALMATY-TEPLO");

  sa_test_cache_feed (cache, 5, feed);
  path = g_strdup (sa_cache_get_path (cache));
  g_object_unref (cache);
  cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  assert_found (cache, "вода", "water.leak", "ru", "water-ru");
  sa_test_cache_free (cache, dir);
}

static void
test_fill (void)
{
  /* Placeholders take the appeal's values, dates as Almaty dates; an unknown or empty one stays, for the writer to see. */
  g_autoptr(JsonNode) appeal = json_from_string (
    "{\"reg_number\":\"ALA-2026-100042\",\"received_at\":\"2026-11-30T20:30:00Z\","
    " \"legal_due_at\":\"2026-12-21T23:59:59+05:00\","
    " \"applicant\":{\"name\":\"Асанов Ерлан\"},\"address\":{\"text\":\"ул. Абая, 150\"}}", NULL);
  g_autofree char *filled = NULL;

  filled = sa_reply_template_fill ("{applicant_name}! № {reg_number} от {received_date}, {address};"
                                   " до {due_date}. {executor_name}, {agency_name} {unknown} {",
                                   json_node_get_object (appeal), "Серикова А.", NULL);
  /* 20:30 UTC on 30 November is 1 December in Almaty. */
  g_assert_cmpstr (filled, ==, "Асанов Ерлан! № ALA-2026-100042 от 01.12.2026, ул. Абая, 150;"
                               " до 21.12.2026. Серикова А., {agency_name} {unknown} {");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sa/reply-template/search", test_search);
  g_test_add_func ("/sa/reply-template/survives-reopen", test_survives_reopen);
  g_test_add_func ("/sa/reply-template/fill", test_fill);
  return g_test_run ();
}
