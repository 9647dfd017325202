/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "sa-demo-data.h"
#include "sa-iin.h"

/* A fixed "now" (2026-11-23 08:00 UTC, in the heating season) and the
 * number of appeals the statistical checks look at. */
#define NOW G_GINT64_CONSTANT (1795420800)
#define N_SAMPLE 2000
#define DAY (24 * 60 * 60)

static gboolean
is_district (const char *code)
{
  const SaDemoDistrict *districts;
  guint n;

  districts = sa_demo_districts (&n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (districts[i].code, code) == 0)
      return TRUE;
  return FALSE;
}

static const SaDemoAgency *
find_agency (const char *code)
{
  const SaDemoAgency *agencies;
  guint n;

  agencies = sa_demo_agencies (&n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (agencies[i].code, code) == 0)
      return &agencies[i];
  return NULL;
}

static const SaDemoCategory *
find_category (const char *code)
{
  const SaDemoCategory *categories;
  guint n;

  categories = sa_demo_categories (&n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (categories[i].code, code) == 0)
      return &categories[i];
  return NULL;
}

static gboolean
agency_serves (const SaDemoAgency *agency,
               const char         *district)
{
  g_auto(GStrv) served = NULL;

  if (strcmp (agency->districts, "*") == 0)
    return TRUE;
  served = g_strsplit (agency->districts, ",", -1);
  return g_strv_contains ((const char * const *) served, district);
}

static void
test_districts (void)
{
  /* Almaty's 8 districts, each with a code and Russian and Kazakh names. */
  const char *expected[] = { "alatau", "almaly", "auezov", "bostandyk", "zhetysu", "medeu",
                             "nauryzbay", "turksib" };
  const SaDemoDistrict *districts;
  guint n;

  districts = sa_demo_districts (&n);
  g_assert_cmpuint (n, ==, 8);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (is_district (expected[i]));
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (g_str_has_suffix (districts[i].name_ru, "район"));
      g_assert_true (g_str_has_suffix (districts[i].name_kk, "ауданы"));
    }
  g_assert_cmpstr (find_agency ("AKIMAT-MEDEU")->name_kk, ==, "Медеу ауданы әкімінің аппараты");
}

static void
test_agencies (void)
{
  /* Exactly 68 agencies with unique [A-Z0-9-] codes, every kind present, and
   * each agency's districts exist. */
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  guint per_kind[SA_AGENCY_KIND_CONTACT_CENTRE + 1] = { 0 };
  const SaDemoAgency *agencies;
  guint n;

  agencies = sa_demo_agencies (&n);
  g_assert_cmpuint (n, ==, 68);

  for (guint i = 0; i < n; i++)
    {
      const SaDemoAgency *a = &agencies[i];

      g_assert_nonnull (a->code);
      g_assert_true (g_hash_table_add (codes, (gpointer) a->code));
      for (const char *p = a->code; *p != '\0'; p++)
        g_assert_true (g_ascii_isupper (*p) || g_ascii_isdigit (*p) || *p == '-');
      g_assert_true (g_utf8_validate (a->name_ru, -1, NULL) && *a->name_ru != '\0');
      g_assert_true (g_utf8_validate (a->name_kk, -1, NULL) && *a->name_kk != '\0');
      g_assert_cmpstr (a->name_ru, !=, a->name_kk);
      g_assert_cmpint (a->kind, <=, SA_AGENCY_KIND_CONTACT_CENTRE);
      per_kind[a->kind]++;
      g_assert_nonnull (sa_demo_agency_kind_to_string (a->kind));

      if (strcmp (a->districts, "*") != 0)
        {
          g_auto(GStrv) served = g_strsplit (a->districts, ",", -1);

          g_assert_nonnull (served[0]);
          for (guint j = 0; served[j] != NULL; j++)
            g_assert_true (is_district (served[j]));
        }
    }

  for (guint k = 0; k <= SA_AGENCY_KIND_CONTACT_CENTRE; k++)
    g_assert_cmpuint (per_kind[k], >, 0);
  g_assert_cmpuint (per_kind[SA_AGENCY_KIND_DISTRICT_AKIMAT], ==, 8);
  g_test_message ("akimat departments %u, district akimats %u, utilities %u, KSK/OSI %u, "
                  "contractors %u, contact centres %u",
                  per_kind[0], per_kind[1], per_kind[2], per_kind[3], per_kind[4], per_kind[5]);

  /* The agencies the README and the demo script name. */
  g_assert_nonnull (find_agency ("ALMATY-TEPLO"));
  g_assert_nonnull (find_agency ("ALMATY-SU"));
  g_assert_nonnull (find_agency ("IKOMEK-109"));
  g_assert_cmpint (find_agency ("IKOMEK-109")->kind, ==, SA_AGENCY_KIND_CONTACT_CENTRE);
}

static void
test_categories (void)
{
  /* Every category has a unique code, an existing default agency, a known
   * criticality and sphere; every sphere the contact centre uses is covered. */
  const char *spheres[] = { "heating", "water", "electricity", "gas", "lifts", "roads", "waste",
                            "transport", "landscaping", "manholes", "flooding", "ksk", "other" };
  const char *criticalities[] = { "emergency", "high", "normal", "low" };
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const SaDemoCategory *categories;
  gboolean hot = FALSE, cold = FALSE;
  guint n;

  categories = sa_demo_categories (&n);
  g_assert_cmpuint (n, >=, 25);
  g_assert_cmpuint (n, <=, 35);

  for (guint i = 0; i < n; i++)
    {
      const SaDemoCategory *c = &categories[i];

      g_assert_true (g_hash_table_add (codes, (gpointer) c->code));
      g_assert_nonnull (strchr (c->code, '.'));
      g_assert_nonnull (find_agency (c->default_agency));
      g_assert_true (g_strv_contains (criticalities, c->criticality));
      g_assert_true (g_strv_contains (spheres, c->sphere));
      g_assert_true (*c->name_ru != '\0' && *c->name_kk != '\0');
      g_hash_table_add (seen, (gpointer) c->sphere);
      hot |= g_str_has_prefix (c->code, "hot-water.");
      cold |= g_str_has_prefix (c->code, "cold-water.");
    }

  for (guint i = 0; i < G_N_ELEMENTS (spheres); i++)
    g_assert_true (g_hash_table_contains (seen, spheres[i]));
  g_assert_true (hot);
  g_assert_true (cold);
  g_assert_cmpstr (find_category ("gas.smell")->criticality, ==, "emergency");
  g_assert_cmpstr (find_category ("heating.no-heat")->default_agency, ==, "ALMATY-TEPLO");
}

static void
test_regulations (void)
{
  /* Regulations are sane: reaction before resolution; a person stuck in a
   * lift within 20 minutes and an open manhole fenced in 3 hours and closed
   * in 24, both on a 24/7 clock; emergencies never wait for working hours. */
  const SaDemoCategory *categories;
  const SaDemoCategory *c;
  guint n;

  categories = sa_demo_categories (&n);
  for (guint i = 0; i < n; i++)
    {
      c = &categories[i];
      g_assert_cmpuint (c->reaction_minutes, >, 0);
      g_assert_cmpuint (c->reaction_minutes, <, c->resolution_minutes);
      if (strcmp (c->criticality, "emergency") == 0)
        {
          g_assert_cmpint (c->clock, ==, SA_CLOCK_24X7);
          g_assert_cmpuint (c->reaction_minutes, <=, 180);
          g_assert_cmpuint (c->resolution_minutes, <=, 24 * 60);
        }
      /* Working-hours regulations are whole or half 9-hour working days. */
      if (c->clock == SA_CLOCK_WORKING_HOURS)
        g_assert_cmpuint (c->resolution_minutes % (9 * 60), ==, 0);
    }

  c = find_category ("lifts.person-stuck");
  g_assert_nonnull (c);
  g_assert_cmpuint (c->reaction_minutes, ==, 20);
  g_assert_cmpint (c->clock, ==, SA_CLOCK_24X7);
  g_assert_cmpstr (c->criticality, ==, "emergency");

  c = find_category ("manholes.open");
  g_assert_nonnull (c);
  g_assert_cmpuint (c->reaction_minutes, ==, 180);
  g_assert_cmpuint (c->resolution_minutes, ==, 1440);
  g_assert_cmpint (c->clock, ==, SA_CLOCK_24X7);

  c = find_category ("gas.smell");
  g_assert_cmpuint (c->reaction_minutes, <=, 60);
}

static void
test_users (void)
{
  /* Every agency has a supervisor and an executor (a ksk_manager at a
   * KSK/OSI); there is a curator, an operator at 109 and an admin; logins are
   * unique; the password is "demo-" and the role. */
  const char *roles[] = { "executor", "supervisor", "curator", "operator", "ksk_manager", "admin",
                          NULL };
  g_autoptr(GHashTable) logins = g_hash_table_new (g_str_hash, g_str_equal);
  const SaDemoAgency *agencies;
  const SaDemoUser *users;
  guint n_agencies, n;
  guint curators = 0, operators = 0, admins = 0;

  agencies = sa_demo_agencies (&n_agencies);
  users = sa_demo_users (&n);
  g_assert_true (users == sa_demo_users (NULL));
  g_assert_cmpuint (n, ==, 2 * n_agencies + 3);

  for (guint i = 0; i < n; i++)
    {
      const SaDemoUser *u = &users[i];
      g_autofree char *password = g_strconcat ("demo-", u->role, NULL);

      g_assert_true (g_hash_table_add (logins, (gpointer) u->login));
      g_assert_true (g_strv_contains (roles, u->role));
      g_assert_nonnull (find_agency (u->agency));
      g_assert_cmpstr (u->password, ==, password);
      /* "Фамилия Имя Отчество" */
      g_assert_true (g_utf8_validate (u->full_name, -1, NULL));
      g_assert_nonnull (strchr (u->full_name, ' '));
      g_assert_nonnull (strchr (strchr (u->full_name, ' ') + 1, ' '));
      curators += strcmp (u->role, "curator") == 0;
      operators += strcmp (u->role, "operator") == 0 && strcmp (u->agency, "IKOMEK-109") == 0;
      admins += strcmp (u->role, "admin") == 0;
    }
  g_assert_cmpuint (curators, ==, 1);
  g_assert_cmpuint (operators, ==, 1);
  g_assert_cmpuint (admins, ==, 1);

  for (guint a = 0; a < n_agencies; a++)
    {
      gboolean ksk = agencies[a].kind == SA_AGENCY_KIND_KSK_OSI;
      guint supervisors = 0, workers = 0;

      for (guint i = 0; i < n; i++)
        {
          if (strcmp (users[i].agency, agencies[a].code) != 0)
            continue;
          supervisors += strcmp (users[i].role, "supervisor") == 0;
          workers += strcmp (users[i].role, ksk ? "ksk_manager" : "executor") == 0;
        }
      g_assert_cmpuint (supervisors, ==, 1);
      g_assert_cmpuint (workers, ==, 1);
    }

  /* The accounts the README shows. */
  g_assert_true (g_hash_table_contains (logins, "executor.almaty-teplo"));
  g_assert_true (g_hash_table_contains (logins, "supervisor.almaty-teplo"));
  g_assert_true (g_hash_table_contains (logins, "curator.city"));
  g_assert_true (g_hash_table_contains (logins, "operator.ikomek-109"));
}

static gboolean
appeals_equal (const SaDemoAppeal *a,
               const SaDemoAppeal *b)
{
  return g_strcmp0 (a->channel, b->channel) == 0 &&
         g_strcmp0 (a->category, b->category) == 0 &&
         g_strcmp0 (a->text, b->text) == 0 &&
         g_strcmp0 (a->applicant_name, b->applicant_name) == 0 &&
         strcmp (a->applicant_iin, b->applicant_iin) == 0 &&
         strcmp (a->phone, b->phone) == 0 &&
         g_strcmp0 (a->email, b->email) == 0 &&
         g_strcmp0 (a->address, b->address) == 0 &&
         g_strcmp0 (a->district, b->district) == 0 &&
         g_strcmp0 (a->language, b->language) == 0 &&
         a->received_at == b->received_at &&
         g_strcmp0 (a->status, b->status) == 0 &&
         g_strcmp0 (a->priority, b->priority) == 0 &&
         a->has_coordinates == b->has_coordinates &&
         a->latitude == b->latitude && a->longitude == b->longitude &&
         g_strcmp0 (a->agency, b->agency) == 0;
}

static void
test_deterministic (void)
{
  /* The same index and now give the same appeal, in any order; other
   * indices give other appeals. */
  SaDemoAppeal first[50], again;
  guint same_text = 0;

  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    sa_demo_appeal_generate (i * 977, NOW, &first[i]);

  for (guint i = G_N_ELEMENTS (first); i-- > 0;)
    {
      sa_demo_appeal_generate (i * 977, NOW, &again);
      g_assert_true (appeals_equal (&first[i], &again));
      sa_demo_appeal_clear (&again);
      g_assert_null (again.text);
    }

  for (guint i = 1; i < G_N_ELEMENTS (first); i++)
    {
      same_text += g_strcmp0 (first[i].text, first[0].text) == 0;
      g_assert_cmpstr (first[i].applicant_iin, !=, first[i - 1].applicant_iin);
    }
  g_assert_cmpuint (same_text, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    sa_demo_appeal_clear (&first[i]);
}

static gboolean
has_kazakh_letter (const char *text)
{
  const char *letters[] = { "ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і", "Ә", "Ғ", "Қ", "Ң", "Ө",
                            "Ұ", "Ү", "І" };

  for (guint i = 0; i < G_N_ELEMENTS (letters); i++)
    if (strstr (text, letters[i]) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_appeals_valid (void)
{
  /* Every field of 2,000 appeals is valid: IIN by its check digit, known
   * category, district, channel, status and priority, UTF-8 text in the
   * stated language with every placeholder filled, a +77 phone, coordinates
   * inside Almaty, received in the half year before now, never after. */
  const char *channels[] = { "egov", "open_almaty", "email", "president", "phone_109",
                             "telegram", "open311", NULL };
  const char *statuses[] = { "registered", "in_progress", "info_requested", "awaiting_approval",
                             "answered", "closed", "reopened", NULL };
  const char *priorities[] = { "low", "normal", "high", "critical", NULL };

  for (guint i = 0; i < N_SAMPLE; i++)
    {
      SaDemoAppeal a;
      const SaDemoAgency *agency;

      sa_demo_appeal_generate (i, NOW, &a);

      g_assert_nonnull (find_category (a.category));
      g_assert_true (g_strv_contains (channels, a.channel));
      g_assert_true (g_strv_contains (statuses, a.status));
      g_assert_true (g_strv_contains (priorities, a.priority));
      g_assert_true (is_district (a.district));

      g_assert_cmpuint (strlen (a.applicant_iin), ==, 12);
      g_assert_true (sa_iin_is_valid (a.applicant_iin));
      /* The 7th digit gives the century and sex: 3–6 for people born 1900–2099. */
      g_assert_cmpint (a.applicant_iin[6], >=, '3');
      g_assert_cmpint (a.applicant_iin[6], <=, '6');

      g_assert_cmpuint (strlen (a.phone), ==, 12);
      g_assert_true (g_str_has_prefix (a.phone, "+77"));
      for (guint j = 1; j < 12; j++)
        g_assert_true (g_ascii_isdigit (a.phone[j]));
      if (a.email != NULL)
        g_assert_nonnull (strchr (a.email, '@'));
      if (strcmp (a.channel, "email") == 0)
        g_assert_nonnull (a.email);

      g_assert_true (g_utf8_validate (a.text, -1, NULL));
      g_assert_true (g_utf8_validate (a.applicant_name, -1, NULL));
      g_assert_true (g_utf8_validate (a.address, -1, NULL));
      g_assert_cmpuint (g_utf8_strlen (a.text, -1), >=, 30);
      g_assert_cmpuint (g_utf8_strlen (a.text, -1), <=, 1000);
      g_assert_null (strchr (a.text, '{'));
      g_assert_null (strchr (a.text, '}'));
      g_assert_nonnull (strchr (a.address, ','));
      g_assert_true (g_ascii_isdigit (strrchr (a.address, ',')[2]));

      if (strcmp (a.language, "kk") == 0)
        g_assert_true (has_kazakh_letter (a.text));
      else
        {
          g_assert_cmpstr (a.language, ==, "ru");
          g_assert_false (has_kazakh_letter (a.text));
        }

      if (a.has_coordinates)
        {
          g_assert_cmpfloat (a.latitude, >=, 43.18);
          g_assert_cmpfloat (a.latitude, <=, 43.35);
          g_assert_cmpfloat (a.longitude, >=, 76.75);
          g_assert_cmpfloat (a.longitude, <=, 77.05);
        }

      g_assert_cmpint (a.received_at, <=, NOW);
      g_assert_cmpint (a.received_at, >=, NOW - 186 * DAY);

      /* Routed to an agency that exists and serves the address. */
      agency = find_agency (a.agency);
      g_assert_nonnull (agency);
      g_assert_true (agency_serves (agency, a.district));

      sa_demo_appeal_clear (&a);
    }
}

static void
test_appeals_spread (void)
{
  /* 2,000 appeals use every channel, status, category and district, both
   * languages (about a quarter Kazakh), coordinates on about half; old
   * appeals are mostly closed, recent ones mostly open; heating complaints
   * come in the heating season. */
  g_autoptr(GHashTable) channels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) districts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) agencies = g_hash_table_new (g_str_hash, g_str_equal);
  guint kk = 0, coords = 0, emails = 0;
  guint old = 0, old_closed = 0, recent = 0, recent_open = 0;
  guint heating = 0, heating_recent = 0;
  guint working_hours = 0, ordinary = 0;
  guint n_categories;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Almaty");

  sa_demo_categories (&n_categories);
  for (guint i = 0; i < N_SAMPLE; i++)
    {
      SaDemoAppeal a;
      gint64 age;
      g_autoptr(GDateTime) utc = NULL;
      g_autoptr(GDateTime) local = NULL;

      sa_demo_appeal_generate (i, NOW, &a);
      g_hash_table_add (channels, (gpointer) a.channel);
      g_hash_table_add (statuses, (gpointer) a.status);
      g_hash_table_add (categories, (gpointer) a.category);
      g_hash_table_add (districts, (gpointer) a.district);
      g_hash_table_add (agencies, (gpointer) a.agency);
      kk += strcmp (a.language, "kk") == 0;
      coords += a.has_coordinates;
      emails += a.email != NULL;

      age = NOW - a.received_at;
      if (age > 60 * DAY)
        {
          old++;
          old_closed += strcmp (a.status, "closed") == 0 || strcmp (a.status, "answered") == 0;
        }
      else if (age < 2 * DAY)
        {
          recent++;
          recent_open += strcmp (a.status, "registered") == 0 ||
                         strcmp (a.status, "in_progress") == 0 ||
                         strcmp (a.status, "info_requested") == 0;
        }

      if (g_str_has_prefix (a.category, "heating."))
        {
          heating++;
          /* The season began on 15 October, 39 days before NOW. */
          heating_recent += age < 39 * DAY;
        }

      if (strcmp (find_category (a.category)->criticality, "low") == 0 && tz != NULL)
        {
          guint hour;

          utc = g_date_time_new_from_unix_utc (a.received_at);
          local = g_date_time_to_timezone (utc, tz);
          hour = g_date_time_get_hour (local);
          ordinary++;
          working_hours += hour >= 9 && hour < 18 && g_date_time_get_day_of_week (local) <= 5;
        }
      sa_demo_appeal_clear (&a);
    }

  g_assert_cmpuint (g_hash_table_size (channels), ==, 7);
  g_assert_cmpuint (g_hash_table_size (statuses), ==, 7);
  g_assert_cmpuint (g_hash_table_size (categories), ==, n_categories);
  g_assert_cmpuint (g_hash_table_size (districts), ==, 8);
  /* Some KSK/OSI and lift companies get appeals of their own. */
  g_assert_true (g_hash_table_contains (agencies, "OSI-SAMAL-2"));
  g_assert_true (g_hash_table_contains (agencies, "ALMATYLIFT"));

  g_test_message ("kk %u, coordinates %u, e-mail %u of %u", kk, coords, emails, N_SAMPLE);
  g_assert_cmpuint (kk, >, N_SAMPLE * 20 / 100);
  g_assert_cmpuint (kk, <, N_SAMPLE * 30 / 100);
  g_assert_cmpuint (coords, >, N_SAMPLE * 35 / 100);
  g_assert_cmpuint (coords, <, N_SAMPLE * 65 / 100);

  g_test_message ("closed or answered after 60 days %u of %u; open within 2 days %u of %u",
                  old_closed, old, recent_open, recent);
  g_assert_cmpuint (old, >, 100);
  g_assert_cmpuint (old_closed, >, old * 85 / 100);
  g_assert_cmpuint (recent, >, 20);
  g_assert_cmpuint (recent_open, >, recent * 85 / 100);

  g_test_message ("heating in season %u of %u", heating_recent, heating);
  g_assert_cmpuint (heating_recent, >, heating * 80 / 100);

  if (ordinary > 0)
    {
      g_test_message ("ordinary requests in working hours %u of %u", working_hours, ordinary);
      g_assert_cmpuint (working_hours, >, ordinary * 55 / 100);
    }
}

static void
test_appeals_any_now (void)
{
  /* Whatever the day the demo is made (summer, a leap year's spring, the
   * change of Almaty's offset in March 2024), appeals are received in the
   * half year before it and never after, and generation stays deterministic. */
  const gint64 nows[] = {
    G_GINT64_CONSTANT (1782907200),  /* 2026-07-01 12:00 UTC */
    G_GINT64_CONSTANT (1709769600),  /* 2024-03-07 00:00 UTC */
    G_GINT64_CONSTANT (1735689599),  /* 2024-12-31 23:59:59 UTC */
  };

  for (guint k = 0; k < G_N_ELEMENTS (nows); k++)
    for (guint i = 0; i < 500; i++)
      {
        SaDemoAppeal a, b;

        sa_demo_appeal_generate (i, nows[k], &a);
        sa_demo_appeal_generate (i, nows[k], &b);
        g_assert_true (appeals_equal (&a, &b));
        g_assert_cmpint (a.received_at, <=, nows[k]);
        g_assert_cmpint (a.received_at, >=, nows[k] - 186 * DAY);
        g_assert_true (sa_iin_is_valid (a.applicant_iin));
        sa_demo_appeal_clear (&a);
        sa_demo_appeal_clear (&b);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/demo-data/districts", test_districts);
  g_test_add_func ("/sa/demo-data/agencies", test_agencies);
  g_test_add_func ("/sa/demo-data/categories", test_categories);
  g_test_add_func ("/sa/demo-data/regulations", test_regulations);
  g_test_add_func ("/sa/demo-data/users", test_users);
  g_test_add_func ("/sa/demo-data/appeals/deterministic", test_deterministic);
  g_test_add_func ("/sa/demo-data/appeals/valid", test_appeals_valid);
  g_test_add_func ("/sa/demo-data/appeals/spread", test_appeals_spread);
  g_test_add_func ("/sa/demo-data/appeals/any-now", test_appeals_any_now);

  return g_test_run ();
}
