/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "sa-appeal-list.h"
#include "sa-test-cache.h"

/* SaAppealList keeps the GListModel contract while it announces a refresh
 * in several items-changed: during each one, the model is as that change
 * leaves it, as a GtkListView reading it from its handler expects. */

typedef struct
{
  guint    known;     /* the count the changes so far add up to */
  guint    emissions;
} Watch;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Watch      *watch)
{
  g_assert_cmpuint (position + removed, <=, watch->known);
  watch->known = watch->known - removed + added;
  watch->emissions++;
  /* What a list view does while it handles the change. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, watch->known);
  for (guint i = 0; i < watch->known; i++)
    {
      g_autoptr(SaAppealRow) row = g_list_model_get_item (model, i);

      g_assert_nonnull (row);
    }
  g_assert_null (g_list_model_get_item (model, watch->known));
}

static char *
appeal_json (guint       n,
             guint       version,
             const char *due)
{
  return g_strdup_printf ("{\"seq\":%u,\"kind\":\"appeal\",\"id\":\"%08x-0000-4000-8000-%012x\","
                          "\"data\":{\"id\":\"%08x-0000-4000-8000-%012x\","
                          "\"reg_number\":\"ALA-2026-%06u\",\"channel\":\"egov\","
                          "\"status\":\"registered\",\"priority\":\"normal\","
                          "\"category\":\"heat.none\",\"agency\":\"ENERGY\",\"executor\":null,"
                          "\"applicant\":{\"name\":\"Сапарова Әлия\"},"
                          "\"address\":{\"text\":\"улица Жарокова, %u\"},"
                          "\"text\":\"Нет отопления, версия %u\","
                          "\"received_at\":\"2026-01-12T09:00:00+05:00\","
                          "\"legal_due_at\":\"%s\",\"version\":%u,\"history\":[]}}",
                          n * 10 + version, n, n, n, n, n, n, version, due, version);
}

static void
test_change_above_insertion (void)
{
  /* An appeal that changed at the top and three new ones below it, in one refresh: every items-changed leaves a model whose count and rows agree with it. */
  g_autoptr(GError) error = NULL;
  char *dir = NULL;
  g_autofree char *first = appeal_json (1, 1, "2026-01-20T23:59:59+05:00");
  g_autofree char *first_changed = appeal_json (1, 2, "2026-01-20T23:59:59+05:00");
  g_autofree char *b = appeal_json (2, 1, "2026-02-02T23:59:59+05:00");
  g_autofree char *c = appeal_json (3, 1, "2026-02-03T23:59:59+05:00");
  g_autofree char *d = appeal_json (4, 1, "2026-02-04T23:59:59+05:00");
  g_autofree char *page1 = g_strconcat ("[", first, "]", NULL);
  g_autofree char *page2 = g_strconcat ("[", first_changed, ",", b, ",", c, ",", d, "]", NULL);
  SaCache *cache = sa_test_cache_new (&dir, "me", "ENERGY");
  SaAppealList *list;
  Watch watch = { 0 };

  sa_test_cache_feed (cache, 1, page1);
  list = sa_appeal_list_new (cache);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  watch.known = 1;
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &watch);

  sa_test_cache_feed (cache, 2, page2);
  g_assert_true (sa_appeal_list_refresh (list, &error));
  g_assert_no_error (error);
  /* The changed row and the insertion are announced apart. */
  g_assert_cmpuint (watch.emissions, >=, 2);
  g_assert_cmpuint (watch.known, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SaAppealRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *number = g_strdup_printf ("ALA-2026-%06u", i + 1);

      g_assert_cmpstr (sa_appeal_row_get_reg_number (row), ==, number);
    }

  g_assert_finalize_object (list);
  sa_test_cache_free (cache, dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/appeal-list/items-changed/change-above-insertion",
                   test_change_above_insertion);
  return g_test_run ();
}
