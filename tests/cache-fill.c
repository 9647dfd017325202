/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A large cache for the benchmarks: synthetic appeals in Russian and
 * Kazakh, written through sa_cache_apply_changes() in pages, as the sync
 * engine writes the feed. The user is "me" of agency "ENERGY"; about a
 * fifth of the taken appeals are mine. */

#include "config.h"

#include <stdio.h>

#include "cache-fill.h"

#define PAGE 10000

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

void
sa_bench_fill_cache (const char *path,
                     guint       total)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaCache) cache = sa_cache_open (path, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  g_assert_true (sa_cache_set_identity (cache, "me", "ENERGY", &error));
  for (guint page = 0; page < total / PAGE; page++)
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
  printf ("# filled %u appeals through the feed path in %.1f s\n", total,
          (g_get_monotonic_time () - start) / 1e6);
}

