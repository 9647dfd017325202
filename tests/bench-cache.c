/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "sa-appeal-list.h"
#include "sa-cache.h"

/* Benchmarks of the offline cache with 100,000 appeals in Russian and
 * Kazakh, filled through sa_cache_apply_changes() as the sync engine
 * would, in pages of PAGE appeals (one transaction each). Prints
 *   bench: cache.open_first_page MS ms  (median of 5 fresh opens)
 *   bench: cache.search_p95 MS ms       (p95 over every keystroke)
 *   bench: cache.sort_change MS ms      (the slowest of the changes) */

#define TOTAL   100000
#define PAGE    10000
#define SCREEN  30

static const char * const texts[] = {
  "Нет отопления в квартире, батареи холодные уже неделю. Дети болеют, прошу принять меры.",
  "Пәтерде жылу жоқ, балалар ауырып жатыр. Үйді жылумен қамтамасыз етуді сұраймын, пәтер.",
  "Течь горячей воды в подвале дома, подвал затоплен на полметра, стоит запах.",
  "Лифт не работает в подъезде, пожилые жители не могут выйти из дома.",
  "Открытый люк возле школы, опасно для детей, прошу срочно закрыть.",
  "Жолда үлкен шұңқырлар бар, үйдің алдында көлік жүре алмайды. Жөндеуді сұраймын.",
  "Мусор не вывозят уже неделю, контейнеры переполнены, во дворе горы мешков.",
  "Қоқыс шығарылмайды, аула лас, иіс шығып тұр. Контейнер толы.",
  "Слабое давление холодной воды на верхних этажах, напор пропадает вечером.",
  "Көше шамдары жанбайды, кешке қараңғы, аялдама маңында қауіпті.",
  "Отопление включили, но в угловой квартире всего +14 градусов.",
  "Ағаштарды заңсыз кесу, көп ағаш кесілді, тексеруді сұраймын.",
};

static const char * const names[] = {
  "Сапарова Әлия", "Иванов Сергей Петрович", "Нұрланұлы Ерлан", "Қасымова Гүлнар",
  "Ким Виктор", "Әбдірахманов Бауыржан", "Жұмабаева Ұлжан", "Петрова Ольга",
  "Оспанов Дәурен", "Сейітқали Өмірзақ", "Ахметова Іңкәр", "Смирнов Андрей",
};

static const char * const streets[] = {
  "проспект Абая", "улица Толе би", "улица Жарокова", "улица Сатпаева", "улица Розыбакиева",
  "Әл-Фараби даңғылы", "микрорайон Самал-2", "Райымбек даңғылы", "улица Жандосова",
  "Төле би көшесі", "проспект Достык", "микрорайон Орбита-3",
};

static const char * const districts[] = {
  "almaly", "auezov", "bostandyk", "zhetysu", "medeu", "nauryzbay", "turksib", "alatau",
};

static const char * const statuses[] = {
  "registered", "in_progress", "in_progress", "in_progress", "info_requested",
  "awaiting_approval", "answered", "closed", "closed", "reopened",
};

static const char * const priorities[] = { "low", "normal", "normal", "normal", "high",
                                           "critical" };
static const char * const channels[] = { "egov", "phone109", "telegram", "opendata", "email" };
static const char * const categories[] = { "heat", "water", "lift", "roads", "waste", "light" };

static char *
rfc3339 (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t + 5 * 3600);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S+05:00");
}

static void
append_appeal (GString *out,
               guint    i,
               GRand   *rand,
               gint64   now)
{
  gint64 received = now - g_rand_int_range (rand, 0, 60 * 86400);
  g_autofree char *received_text = rfc3339 (received);
  g_autofree char *due = rfc3339 (received + 21 * 86400);
  g_autofree char *op_due = g_rand_boolean (rand)
                            ? rfc3339 (received + g_rand_int_range (rand, 3600, 10 * 86400))
                            : NULL;
  g_autofree char *text = g_strdup_printf ("%s Дом %u.",
                                           texts[g_rand_int_range (rand, 0, G_N_ELEMENTS (texts))],
                                           (guint) g_rand_int_range (rand, 1, 200));
  const char *status = statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))];
  gboolean taken = g_strcmp0 (status, "registered") != 0 && g_strcmp0 (status, "reopened") != 0;

  g_string_append_printf (out,
                          "%s{\"seq\":%u,\"kind\":\"appeal\",\"id\":\"%08x-0000-4000-8000-%012x\","
                          "\"data\":{\"id\":\"%08x-0000-4000-8000-%012x\","
                          "\"reg_number\":\"ALA-2026-%06u\",\"channel\":\"%s\",\"status\":\"%s\","
                          "\"priority\":\"%s\",\"category\":\"%s\",\"agency\":\"ENERGY\","
                          "\"executor\":%s,\"coexecutors\":[],"
                          "\"applicant\":{\"name\":\"%s\",\"iin\":\"900101300123\","
                          "\"phone\":\"+77010000000\",\"email\":null},"
                          "\"address\":{\"text\":\"%s, %u\",\"district\":\"%s\","
                          "\"lat\":43.25,\"lon\":76.95},"
                          "\"text\":\"%s\",\"language\":\"ru\",\"received_at\":\"%s\","
                          "\"legal_due_at\":\"%s\",\"resolution_due_at\":%s%s%s,\"version\":%u,"
                          "\"is_repeat\":%s,\"repeat_of\":null,\"updated_at\":\"%s\","
                          "\"history\":[{\"seq\":1,\"at\":\"%s\",\"actor\":\"operator1\","
                          "\"type\":\"registered\",\"payload\":{\"channel\":\"%s\"}}]}}",
                          i % PAGE ? "," : "", i + 1, i, i, i, i, i + 1,
                          channels[g_rand_int_range (rand, 0, G_N_ELEMENTS (channels))], status,
                          priorities[g_rand_int_range (rand, 0, G_N_ELEMENTS (priorities))],
                          categories[g_rand_int_range (rand, 0, G_N_ELEMENTS (categories))],
                          taken ? (g_rand_int_range (rand, 0, 5) == 0 ? "\"me\"" : "\"colleague\"")
                          : "null",
                          names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))],
                          streets[g_rand_int_range (rand, 0, G_N_ELEMENTS (streets))],
                          g_rand_int_range (rand, 1, 300),
                          districts[g_rand_int_range (rand, 0, G_N_ELEMENTS (districts))],
                          text, received_text, due,
                          op_due ? "\"" : "", op_due ? op_due : "null", op_due ? "\"" : "",
                          g_rand_int_range (rand, 1, 6),
                          g_rand_int_range (rand, 0, 10) == 0 ? "true" : "false",
                          received_text, received_text,
                          channels[0]);
}

static void
fill (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaCache) cache = sa_cache_open (path, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  g_assert_true (sa_cache_set_identity (cache, "me", "ENERGY", &error));
  for (guint page = 0; page < TOTAL / PAGE; page++)
    {
      g_autoptr(GString) json = g_string_sized_new (PAGE * 1200);
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      g_string_append_c (json, '[');
      for (guint i = page * PAGE; i < (page + 1) * PAGE; i++)
        append_appeal (json, i, rand, now);
      g_string_append_c (json, ']');
      if (!json_parser_load_from_data (parser, json->str, json->len, &error) ||
          !sa_cache_apply_changes (cache, json_node_get_array (json_parser_get_root (parser)),
                                   (page + 1) * PAGE, &error))
        g_error ("Could not fill the cache: %s", error->message);
    }
  printf ("# filled %u appeals through the feed path in %.1f s\n", TOTAL,
          (g_get_monotonic_time () - start) / 1e6);
}

static void
first_screen (SaAppealList *list)
{
  guint n = MIN (SCREEN, g_list_model_get_n_items (G_LIST_MODEL (list)));

  for (guint i = 0; i < n; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  static const char * const keystrokes[] = {
    "о", "от", "ото", "отоп", "отопл", "отопле", "отоплен", "отоплени", "отопление",
    "ж", "жы", "жыл", "жылу", "жылу ж", "жылу жо", "жылу жоқ",
    "ALA", "ALA-2026", "ALA-2026-0001", "ALA-2026-00012",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sa-bench-cache-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GArray) opens = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) searches = g_array_new (FALSE, FALSE, sizeof (double));
  double sort_max = 0;
  guint p95;

  g_assert_no_error (error);
  fill (path);

  for (guint run = 0; run < 5; run++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(SaCache) cache = sa_cache_open (path, &error);
      g_autoptr(SaAppealList) list = NULL;
      double ms;

      g_assert_no_error (error);
      list = sa_appeal_list_new (cache);
      first_screen (list);
      ms = ms_since (start);
      g_array_append_val (opens, ms);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, TOTAL);
    }
  g_array_sort (opens, compare_double);

  {
    g_autoptr(SaCache) cache = sa_cache_open (path, &error);
    g_autoptr(SaAppealList) list = sa_appeal_list_new (cache);
    static const SaAppealSort sorts[] = {
      SA_APPEAL_SORT_RECEIVED, SA_APPEAL_SORT_PRIORITY, SA_APPEAL_SORT_DEADLINE,
    };

    for (guint round = 0; round < 3; round++)
      for (guint i = 0; i < G_N_ELEMENTS (keystrokes); i++)
        {
          gint64 start = g_get_monotonic_time ();
          double ms;

          sa_appeal_list_set_query (list, keystrokes[i]);
          first_screen (list);
          ms = ms_since (start);
          g_array_append_val (searches, ms);
          if (round == 0)
            printf ("# search %-16s %6u rows %6.1f ms\n", keystrokes[i],
                    g_list_model_get_n_items (G_LIST_MODEL (list)), ms);
        }
    sa_appeal_list_set_query (list, NULL);

    for (guint round = 0; round < 3; round++)
      for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
        {
          gint64 start = g_get_monotonic_time ();
          double ms;

          sa_appeal_list_set_sort (list, sorts[i]);
          first_screen (list);
          ms = ms_since (start);
          sort_max = MAX (sort_max, ms);
          if (round == 0)
            printf ("# sort %u: %.1f ms\n", sorts[i], ms);
        }
    {
      guint counts[SA_APPEAL_N_SECTIONS];
      gint64 start = g_get_monotonic_time ();

      g_assert_true (sa_appeal_list_get_section_counts (list, counts, &error));
      printf ("# section counts: %.1f ms (mine %u, queue %u, overdue %u, all %u)\n",
              ms_since (start), counts[0], counts[1], counts[3], counts[5]);
    }
  }
  g_array_sort (searches, compare_double);
  /* Nearest rank. */
  p95 = (guint) MAX (1, (searches->len * 95 + 99) / 100) - 1;

  printf ("bench: cache.open_first_page %.1f ms\n", g_array_index (opens, double, 2));
  printf ("bench: cache.search_p95 %.1f ms\n", g_array_index (searches, double, p95));
  printf ("bench: cache.sort_change %.1f ms\n", sort_max);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
  return EXIT_SUCCESS;
}
