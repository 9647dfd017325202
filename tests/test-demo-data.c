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

static SaDemo *demo;
static SaReference *ref;

static gboolean
is_district (const char *code)
{
  return sa_reference_find_district (ref, code) != NULL;
}

static const SaReferenceAgency *
find_agency (const char *code)
{
  return sa_reference_find_agency (ref, code);
}

static const SaReferenceCategory *
find_category (const char *code)
{
  return sa_reference_find_category (ref, code);
}

static gboolean
agency_serves (const SaReferenceAgency *agency,
               const char              *district)
{
  g_auto(GStrv) served = NULL;

  if (strcmp (agency->districts, "*") == 0)
    return TRUE;
  served = g_strsplit (agency->districts, ",", -1);
  return g_strv_contains ((const char * const *) served, district);
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
  const SaReferenceAgency *agencies;
  const SaDemoUser *users;
  guint n_agencies, n;
  guint curators = 0, operators = 0, admins = 0;

  agencies = sa_reference_get_agencies (ref, &n_agencies);
  users = sa_demo_get_users (demo, &n);
  g_assert_true (users == sa_demo_get_users (demo, NULL));
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
      gboolean ksk = strcmp (agencies[a].kind, "ksk_osi") == 0;
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
    sa_demo_appeal_generate (demo, i * 977, NOW, &first[i]);

  for (guint i = G_N_ELEMENTS (first); i-- > 0;)
    {
      sa_demo_appeal_generate (demo, i * 977, NOW, &again);
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
      const SaReferenceAgency *agency;

      sa_demo_appeal_generate (demo, i, NOW, &a);

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

  sa_reference_get_categories (ref, &n_categories);
  for (guint i = 0; i < N_SAMPLE; i++)
    {
      SaDemoAppeal a;
      gint64 age;
      g_autoptr(GDateTime) utc = NULL;
      g_autoptr(GDateTime) local = NULL;

      sa_demo_appeal_generate (demo, i, NOW, &a);
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

        sa_demo_appeal_generate (demo, i, nows[k], &a);
        sa_demo_appeal_generate (demo, i, nows[k], &b);
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
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  ref = sa_reference_new_default (&error);
  g_assert_no_error (error);
  demo = sa_demo_new (ref, &error);
  g_assert_no_error (error);

  g_test_add_func ("/sa/demo-data/users", test_users);
  g_test_add_func ("/sa/demo-data/appeals/deterministic", test_deterministic);
  g_test_add_func ("/sa/demo-data/appeals/valid", test_appeals_valid);
  g_test_add_func ("/sa/demo-data/appeals/spread", test_appeals_spread);
  g_test_add_func ("/sa/demo-data/appeals/any-now", test_appeals_any_now);

  status = g_test_run ();
  sa_demo_free (demo);
  g_object_unref (ref);
  return status;
}
