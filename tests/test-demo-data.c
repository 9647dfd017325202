/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sa-registry-db-private.h"
#include "sa-demo-data.h"
#include "sa-iin.h"
#include "sa-registry-demo.h"
#include "sa-registry-reference.h"
#include "sa-sla.h"

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

static SaCalendar *calendar;

/* The deadline a list row counts down to: the nearer of the two. */
static gint64
due_at (const SaReferenceCategory *category,
        gint64                     received)
{
  return MIN (sa_sla_legal_due (calendar, received),
              sa_sla_operational_due (calendar, &category->regulation, SA_SLA_TARGET_RESOLUTION,
                                      received, NULL, 0));
}

static void
test_users (void)
{
  /* Every agency has one supervisor and several executors (ksk_managers at a
   * KSK/OSI), the heat networks the most; there is a curator, an operator at
   * 109 and an admin; logins are unique; the password is "demo-" and the
   * role; the accounts the README shows exist. */
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
      g_assert_cmpuint (workers, >=, 2);
      if (strcmp (agencies[a].code, "ALMATY-TEPLO") == 0)
        g_assert_cmpuint (workers, >=, 6);
    }

  g_assert_true (g_hash_table_contains (logins, "executor.almaty-teplo"));
  g_assert_true (g_hash_table_contains (logins, "executor2.almaty-teplo"));
  g_assert_true (g_hash_table_contains (logins, "supervisor.almaty-teplo"));
  g_assert_true (g_hash_table_contains (logins, "curator.city"));
  g_assert_true (g_hash_table_contains (logins, "operator.ikomek-109"));
}

static const SaDemoUser *
find_user (const char *login)
{
  const SaDemoUser *users;
  guint n;

  users = sa_demo_get_users (demo, &n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (users[i].login, login) == 0)
      return &users[i];
  return NULL;
}

static guint
workers_of (const char *agency)
{
  const SaDemoUser *users;
  guint n, workers = 0;

  users = sa_demo_get_users (demo, &n);
  for (guint i = 0; i < n; i++)
    workers += strcmp (users[i].agency, agency) == 0 && strcmp (users[i].role, "supervisor") != 0;
  return workers;
}

static gboolean
events_equal (const SaDemoAppeal *a,
              const SaDemoAppeal *b)
{
  if (a->n_events != b->n_events)
    return FALSE;
  for (guint i = 0; i < a->n_events; i++)
    {
      const SaDemoEvent *x = &a->events[i], *y = &b->events[i];

      if (x->op != y->op || x->at != y->at || g_strcmp0 (x->actor, y->actor) != 0 ||
          g_strcmp0 (x->user, y->user) != 0 || g_strcmp0 (x->text, y->text) != 0 ||
          x->priority != y->priority)
        return FALSE;
    }
  return TRUE;
}

static gboolean
appeals_equal (const SaDemoAppeal *a,
               const SaDemoAppeal *b)
{
  return a->channel == b->channel &&
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
         a->status == b->status && a->priority == b->priority &&
         a->intake_priority == b->intake_priority && a->answered_at == b->answered_at &&
         a->has_coordinates == b->has_coordinates &&
         a->latitude == b->latitude && a->longitude == b->longitude &&
         g_strcmp0 (a->agency, b->agency) == 0 &&
         g_strcmp0 (a->executor, b->executor) == 0 &&
         a->repeat_of == b->repeat_of && a->cluster == b->cluster &&
         events_equal (a, b);
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
  /* Every field of 20,000 appeals is valid: IIN by its check digit, known
   * category, district, channel, status and priority, UTF-8 text in the
   * stated language with every placeholder filled, a +77 phone, coordinates
   * inside Almaty, received in the half year before now, never after; the
   * executor and the history belong to the lead agency. */
  /* What the ops the demo replays make, and who may do them. */
  const SaOpType ops[] = { SA_OP_TAKE, SA_OP_ASSIGN, SA_OP_COMMENT, SA_OP_REQUEST_INFO,
                           SA_OP_SET_PRIORITY, SA_OP_INFO_RECEIVED, SA_OP_REPLY_SAVE,
                           SA_OP_REPLY_SUBMIT, SA_OP_REPLY_APPROVE, SA_OP_FEEDBACK };

  for (guint i = 0; i < 10 * N_SAMPLE; i++)
    {
      SaDemoAppeal a;
      const SaReferenceAgency *agency;

      sa_demo_appeal_generate (demo, i, NOW, &a);

      g_assert_nonnull (find_category (a.category));
      g_assert_nonnull (sa_channel_to_string (a.channel));
      g_assert_nonnull (sa_appeal_status_to_string (a.status));
      g_assert_cmpint (a.status, !=, SA_APPEAL_STATUS_ARCHIVED);
      g_assert_nonnull (sa_priority_to_string (a.priority));
      g_assert_cmpint (a.priority, >=, a.intake_priority);
      g_assert_cmpint (a.answered_at != 0, ==, sa_appeal_status_in (a.status,
                                                                    SA_STATUS_SET_DONE));
      if (a.answered_at != 0)
        {
          g_assert_cmpint (a.answered_at, >, a.received_at);
          g_assert_cmpint (a.answered_at, <, NOW);
        }
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
      if (a.channel == SA_CHANNEL_EMAIL)
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

      /* In the hands of one of its people once past "registered"; each event
       * one the ops make, by someone of the agency, in time order. */
      if (a.status == SA_APPEAL_STATUS_REGISTERED)
        {
          g_assert_null (a.executor);
          g_assert_cmpuint (a.n_events, ==, 0);
        }
      else
        {
          const SaDemoEvent *first = &a.events[0];

          g_assert_nonnull (find_user (a.executor));
          g_assert_cmpstr (find_user (a.executor)->agency, ==, a.agency);
          g_assert_cmpuint (a.n_events, >=, 1);
          g_assert_true (first->op == SA_OP_TAKE || first->op == SA_OP_ASSIGN);
          g_assert_cmpstr (first->op == SA_OP_TAKE ? first->actor : first->user, ==, a.executor);
        }
      {
        /* Answered through a reply approved by a supervisor; closed only by
         * the applicant's agreement after that. */
        gboolean sent = FALSE, agreed = FALSE, submitted = FALSE;

        for (guint e = 0; e < a.n_events; e++)
          {
            const SaDemoEvent *ev = &a.events[e];

            submitted |= ev->op == SA_OP_REPLY_SUBMIT;
            if (ev->op == SA_OP_REPLY_APPROVE)
              {
                g_assert_true (submitted);
                g_assert_cmpstr (find_user (ev->actor)->role, ==, "supervisor");
                sent = TRUE;
              }
            if (ev->op == SA_OP_FEEDBACK)
              {
                g_assert_true (sent);
                g_assert_cmpstr (find_user (ev->actor)->role, ==, "operator");
                g_assert_cmpuint (ev->rating, >=, 1);
                g_assert_cmpuint (ev->rating, <=, 5);
                agreed = ev->agree;
              }
          }
        g_assert_cmpint (sent, ==, sa_appeal_status_in (a.status, SA_STATUS_SET_DONE) ||
                                   a.status == SA_APPEAL_STATUS_REOPENED);
        g_assert_cmpint (agreed, ==, a.status == SA_APPEAL_STATUS_CLOSED);
        g_assert_cmpint (submitted, ==, sent || a.status == SA_APPEAL_STATUS_AWAITING_APPROVAL);
      }
      for (guint e = 0; e < a.n_events; e++)
        {
          const SaDemoEvent *ev = &a.events[e];
          gboolean known = FALSE;

          for (guint k = 0; k < G_N_ELEMENTS (ops); k++)
            known |= ev->op == ops[k];
          g_assert_true (known);
          /* The lead agency's people, and the contact centre for the verdict. */
          if (ev->op != SA_OP_FEEDBACK)
            g_assert_cmpstr (find_user (ev->actor)->agency, ==, a.agency);
          g_assert_cmpint (ev->at, >, e > 0 ? a.events[e - 1].at : a.received_at);
          g_assert_cmpint (ev->at, <=, NOW);
          if (ev->op == SA_OP_COMMENT || ev->op == SA_OP_REQUEST_INFO ||
              ev->op == SA_OP_INFO_RECEIVED || ev->op == SA_OP_REPLY_SAVE)
            g_assert_true (g_utf8_validate (ev->text, -1, NULL) && *ev->text != '\0');
        }

      sa_demo_appeal_clear (&a);
    }
}

static void
test_appeals_spread (void)
{
  /* 2,000 appeals use every channel, status, category and district, both
   * languages (about a quarter Kazakh), coordinates on about half; old
   * appeals are closed, those still in time mostly open; heating complaints
   * come in the heating season. */
  g_autoptr(GHashTable) channels = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) statuses = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) districts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) agencies = g_hash_table_new (g_str_hash, g_str_equal);
  guint kk = 0, coords = 0, emails = 0;
  guint old = 0, old_closed = 0, in_time = 0, in_time_open = 0, long_late_open = 0;
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
      g_hash_table_add (channels, GINT_TO_POINTER (a.channel + 1));
      g_hash_table_add (statuses, GINT_TO_POINTER (a.status + 1));
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
          old_closed += sa_appeal_status_in (a.status, SA_STATUS_SET_DONE);
        }
      {
        gint64 due = due_at (find_category (a.category), a.received_at);
        gboolean open = sa_appeal_status_in (a.status, SA_STATUS_SET_CLOCK_RUNNING);

        if (NOW <= due)
          {
            in_time++;
            in_time_open += open;
          }
        else if (NOW - due > 2 * (due - a.received_at))
          long_late_open += open;
      }

      if (g_str_has_prefix (a.category, "heating."))
        {
          heating++;
          /* The season began on 15 October, 39 days before NOW. */
          heating_recent += age < 39 * DAY;
        }

      if (find_category (a.category)->criticality == SA_CRITICALITY_LOW && tz != NULL)
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

  g_test_message ("closed or answered after 60 days %u of %u; open while in time %u of %u",
                  old_closed, old, in_time_open, in_time);
  g_assert_cmpuint (old, >, 100);
  g_assert_cmpuint (old_closed, >, old * 97 / 100);
  g_assert_cmpuint (in_time, >, 100);
  g_assert_cmpuint (in_time_open, >, in_time * 70 / 100);
  /* Nothing is left open at more than twice its time late. */
  g_assert_cmpuint (long_late_open, ==, 0);

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
    for (guint i = 0; i < 3000; i++)
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

/* ---- the day as stored ---- */

typedef struct
{
  char         *dir;
  SaRegistryDb *db;
} Stored;

static Stored stored;

/* The demo as init --demo stores it, made at NOW: what the desk shows. */
static SaRegistryDb *
stored_db (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (stored.db != NULL)
    return stored.db;
  stored.dir = g_dir_make_tmp ("sa-demo-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (stored.dir, "demo.db", NULL);
  stored.db = sa_registry_db_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sa_registry_reference_load (stored.db, ref, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sa_registry_demo_insert (stored.db, demo, N_SAMPLE, NOW, &error));
  g_assert_no_error (error);
  return stored.db;
}

static void
stored_free (void)
{
  g_autofree char *db = NULL;
  const char * const suffixes[] = { "", "-wal", "-shm" };

  if (stored.db == NULL)
    return;
  g_clear_object (&stored.db);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (stored.dir, "/demo.db", suffixes[i], NULL);

      g_unlink (path);
    }
  g_rmdir (stored.dir);
  g_free (stored.dir);
}

static sqlite3_stmt *
query (const char *sql)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (stored_db (), sql, NULL);

  g_assert_nonnull (stmt);
  return stmt;
}

static gint64
query_int (const char *sql)
{
  sqlite3_stmt *stmt = query (sql);
  gint64 n;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

typedef struct
{
  guint open;
  guint lights[SA_TRAFFIC_LIGHT_OVERDUE + 1];
} Load;

static Load *
load_of (GHashTable *loads,
         const char *key)
{
  Load *load = g_hash_table_lookup (loads, key);

  if (load == NULL)
    {
      load = g_new0 (Load, 1);
      g_hash_table_insert (loads, g_strdup (key), load);
    }
  return load;
}

static void
test_day_lights (void)
{
  /* At the moment it is made, most of the demo's open appeals are green, some yellow and a
   * few red or overdue (5-10 %); no executor is swamped with overdue work and no executor
   * holds most of a large agency's appeals. */
  g_autoptr(GHashTable) executors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) agencies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) top = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt = query ("SELECT status, category, received_at, legal_due_at,"
                              " resolution_due_at, agency, executor FROM appeals");
  Load all = { 0 };
  GHashTableIter iter;
  gpointer key, value;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *status = (const char *) sqlite3_column_text (stmt, 0);
      const char *category = (const char *) sqlite3_column_text (stmt, 1);
      gint64 received = sqlite3_column_int64 (stmt, 2);
      gint64 due = MIN (sqlite3_column_int64 (stmt, 3), sqlite3_column_int64 (stmt, 4));
      const char *agency = (const char *) sqlite3_column_text (stmt, 5);
      const char *executor = (const char *) sqlite3_column_text (stmt, 6);
      SaTrafficLight light;

      /* The registry's deadlines are the generator's. */
      g_assert_cmpint (due, ==, due_at (find_category (category), received));
      if (!sa_appeal_status_name_in (status, SA_STATUS_SET_CLOCK_RUNNING))
        continue;
      light = sa_sla_traffic_light (NULL, received, due, NOW);
      all.open++;
      all.lights[light]++;
      if (executor != NULL)
        {
          Load *e = load_of (executors, executor);

          e->open++;
          e->lights[light]++;
          load_of (agencies, agency)->open++;
        }
    }
  sqlite3_reset (stmt);

  g_test_message ("open %u of %u: green %u, yellow %u, red %u, overdue %u", all.open, N_SAMPLE,
                  all.lights[SA_TRAFFIC_LIGHT_GREEN], all.lights[SA_TRAFFIC_LIGHT_YELLOW],
                  all.lights[SA_TRAFFIC_LIGHT_RED], all.lights[SA_TRAFFIC_LIGHT_OVERDUE]);
  g_assert_cmpuint (all.open, >=, N_SAMPLE * 6 / 100);
  g_assert_cmpuint (all.lights[SA_TRAFFIC_LIGHT_GREEN] * 100, >=, all.open * 60);
  g_assert_cmpuint (all.lights[SA_TRAFFIC_LIGHT_YELLOW] * 100, >=, all.open * 10);
  g_assert_cmpuint (all.lights[SA_TRAFFIC_LIGHT_YELLOW] * 100, <=, all.open * 35);
  g_assert_cmpuint ((all.lights[SA_TRAFFIC_LIGHT_RED] + all.lights[SA_TRAFFIC_LIGHT_OVERDUE]) * 100,
                    >=, all.open * 4);
  g_assert_cmpuint ((all.lights[SA_TRAFFIC_LIGHT_RED] + all.lights[SA_TRAFFIC_LIGHT_OVERDUE]) * 100,
                    <=, all.open * 11);
  g_assert_cmpuint (all.lights[SA_TRAFFIC_LIGHT_OVERDUE], >, 0);

  g_hash_table_iter_init (&iter, executors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const Load *e = value;
      const char *agency = find_user (key)->agency;
      const char *best = g_hash_table_lookup (top, agency);

      if (e->open >= 5)
        g_assert_cmpuint (e->lights[SA_TRAFFIC_LIGHT_OVERDUE] * 100, <=, e->open * 25);
      if (best == NULL || ((Load *) g_hash_table_lookup (executors, best))->open < e->open)
        g_hash_table_insert (top, (gpointer) agency, key);
    }
  g_hash_table_iter_init (&iter, top);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint agency_open = load_of (agencies, key)->open;
      guint most = ((Load *) g_hash_table_lookup (executors, value))->open;

      if (strcmp (key, "ALMATY-TEPLO") == 0)
        g_test_message ("ALMATY-TEPLO: %u open appeals in work, %s has %u", agency_open,
                        (const char *) value, most);
      /* With two executors one may carry the larger half; with more, nobody carries
       * much more than their share. */
      if (agency_open >= 20)
        g_assert_cmpuint (most * 100, <=, agency_open * (workers_of (key) > 2 ? 40 : 75));
    }
}

static void
test_day_history (void)
{
  /* Every stored appeal's history is the events its version counts: "registered" by the
   * 109 operator when it came in, then only events the ops make, as they make them, in time
   * order, by people of the lead agency (the verdict by the contact centre); the executor is
   * the one the last take or assignment named; answered and closed appeals were taken and
   * have a sent reply, approved by a supervisor, and say when they were answered; closed
   * ones have the applicant's agreement; registration numbers run with time. */
  sqlite3_stmt *stmt;
  guint answered_or_closed = 0;

  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals"), ==, N_SAMPLE);
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals a WHERE a.version !="
                              " (SELECT COUNT (*) FROM history h WHERE h.appeal_id = a.id)"),
                   ==, 0);
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals a WHERE NOT EXISTS (SELECT 1 FROM"
                              " history h WHERE h.appeal_id = a.id AND h.type = 'registered'"
                              " AND h.at = a.received_at AND h.actor = 'operator.ikomek-109'"
                              " AND h.seq = (SELECT MIN (seq) FROM history x"
                              "  WHERE x.appeal_id = a.id))"), ==, 0);
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM history WHERE type NOT IN ('registered',"
                              " 'taken', 'assigned', 'comment', 'info_requested', 'priority',"
                              " 'info_received', 'reply_drafted', 'reply_submitted', 'reply_sent',"
                              " 'feedback')"),
                   ==, 0);
  /* Later events: after the one before, not after now, by someone of the lead agency. */
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM history h JOIN appeals a ON a.id = h.appeal_id"
                              " WHERE h.type != 'registered' AND (h.at > 1795420800"
                              " OR h.at < (SELECT MAX (at) FROM history p WHERE p.appeal_id"
                              "  = h.appeal_id AND p.seq < h.seq)"
                              " OR NOT EXISTS (SELECT 1 FROM users u WHERE u.login = h.actor"
                              "  AND (u.agency = a.agency OR (h.type = 'feedback'"
                              "       AND u.role = 'operator'))))"), ==, 0);
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals a WHERE a.status != 'registered'"
                              " AND a.executor IS NOT (SELECT json_extract (h.payload,"
                              " '$.executor') FROM history h WHERE h.appeal_id = a.id"
                              " AND h.type IN ('taken', 'assigned') ORDER BY h.seq DESC LIMIT 1)"),
                   ==, 0);
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals WHERE status = 'registered'"
                              " AND (executor IS NOT NULL OR version != 1)"), ==, 0);
  /* As the ops write them: when it was made (here, when it was done) and the op's id. */
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM history WHERE type != 'registered'"
                              " AND (made_at IS NOT at OR op_id IS NULL)"), ==, 0);
  /* An answered or closed appeal says when it was answered; its clock stopped in time or
   * late, as it happened. */
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals WHERE (answered_at IS NOT NULL)"
                              " != (status IN ('answered', 'closed', 'reopened'))"), ==, 0);
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals WHERE answered_at IS NOT NULL"
                              " AND (answered_at <= received_at OR answered_at > 1795420800"
                              " OR answered_at > updated_at)"), ==, 0);
  /* Answered is a sent reply's doing; closed is the applicant's. */
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals a WHERE a.status IN ('answered',"
                              " 'closed') AND NOT EXISTS (SELECT 1 FROM replies r JOIN users u"
                              " ON u.login = r.approved_by WHERE r.appeal_id = a.id"
                              " AND r.state = 'sent' AND r.sent_at = a.answered_at"
                              " AND u.role = 'supervisor' AND u.agency = a.agency"
                              " AND r.approved_by != r.author AND length (r.text) > 0)"), ==, 0);
  /* An answer is a letter to its applicant, in their language, with nothing left unfilled. */
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM replies r JOIN appeals a ON a.id = r.appeal_id"
                              " WHERE instr (r.text, a.applicant_name) = 0"
                              " OR instr (r.text, a.address_text) = 0 OR instr (r.text, '{') > 0"
                              " OR r.language IS NOT a.language"), ==, 0);
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals a WHERE a.status = 'closed'"
                              " AND NOT EXISTS (SELECT 1 FROM history h WHERE h.appeal_id = a.id"
                              " AND h.type = 'feedback' AND json_extract (h.payload, '$.agree'))"),
                   ==, 0);
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals WHERE under_control"
                              " != (status = 'reopened')"), ==, 0);
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals a WHERE a.status = 'info_requested'"
                              " AND NOT EXISTS (SELECT 1 FROM history h WHERE h.appeal_id = a.id"
                              " AND h.type = 'info_requested')"), ==, 0);
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals a WHERE a.priority IS NOT"
                              " COALESCE ((SELECT json_extract (h.payload, '$.to') FROM history h"
                              " WHERE h.appeal_id = a.id AND h.type = 'priority'), a.priority)"),
                   ==, 0);
  stmt = query ("SELECT COUNT (*) FROM appeals a WHERE a.status IN ('answered', 'closed')"
                " AND EXISTS (SELECT 1 FROM history h WHERE h.appeal_id = a.id"
                " AND h.type IN ('taken', 'assigned'))"
                " AND EXISTS (SELECT 1 FROM history h WHERE h.appeal_id = a.id"
                " AND h.type = 'reply_sent')");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  answered_or_closed = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  g_assert_cmpint (answered_or_closed, ==,
                   query_int ("SELECT COUNT (*) FROM appeals WHERE status IN ('answered',"
                              " 'closed')"));
  g_assert_cmpint (answered_or_closed, >, N_SAMPLE / 2);
  g_test_message ("history events: %" G_GINT64_FORMAT " taken, %" G_GINT64_FORMAT " assigned, %"
                  G_GINT64_FORMAT " comments, %" G_GINT64_FORMAT " information requests, %"
                  G_GINT64_FORMAT " priority changes",
                  query_int ("SELECT COUNT (*) FROM history WHERE type = 'taken'"),
                  query_int ("SELECT COUNT (*) FROM history WHERE type = 'assigned'"),
                  query_int ("SELECT COUNT (*) FROM history WHERE type = 'comment'"),
                  query_int ("SELECT COUNT (*) FROM history WHERE type = 'info_requested'"),
                  query_int ("SELECT COUNT (*) FROM history WHERE type = 'priority'"));
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM history WHERE type = 'info_requested'"), >, 0);
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM history WHERE type = 'priority'"), >, 0);

  /* ALA-YYYY-NNNNNN in the order the appeals came in. */
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals a JOIN appeals b"
                              " ON substr (a.reg_number, 5, 4) = substr (b.reg_number, 5, 4)"
                              " AND a.reg_number < b.reg_number"
                              " AND a.received_at > b.received_at"), ==, 0);
}

static void
test_day_repeats (void)
{
  /* Real repeats are flagged: the same applicant about the same issue at the same address
   * within 15 days of an earlier appeal, saying so; about one appeal in thirty. */
  gint64 repeats = query_int ("SELECT COUNT (*) FROM appeals WHERE is_repeat");

  g_test_message ("repeats %" G_GINT64_FORMAT " of %u", repeats, N_SAMPLE);
  g_assert_cmpint (repeats * 100, >=, N_SAMPLE * 2);
  g_assert_cmpint (repeats * 100, <=, N_SAMPLE * 6);
  g_assert_cmpint (query_int ("SELECT COUNT (*) FROM appeals a JOIN appeals o ON o.id = a.repeat_of"
                              " WHERE a.is_repeat AND o.applicant_iin = a.applicant_iin"
                              " AND o.category = a.category AND o.address_text = a.address_text"
                              " AND o.received_at < a.received_at"
                              " AND a.received_at - o.received_at <= 15 * 86400"
                              " AND (instr (a.text, 'повторно') > 0 OR instr (a.text, 'Қайта') > 0"
                              "      OR instr (a.text, 'қайта') > 0)"), ==, repeats);
}

static void
test_day_clusters (void)
{
  /* Neighbours report one building's outage: several flats, different applicants, within a
   * few hours, about the same address and problem; one of them a house without heat. */
  sqlite3_stmt *stmt = query ("SELECT category, COUNT (DISTINCT applicant_iin) FROM appeals"
                              " GROUP BY address_text, category"
                              " HAVING COUNT (DISTINCT applicant_iin) >= 3"
                              " AND MAX (received_at) - MIN (received_at) <= 6 * 3600");
  guint clusters = 0, heating = 0, biggest = 0;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      guint flats = sqlite3_column_int (stmt, 1);

      clusters++;
      biggest = MAX (biggest, flats);
      heating += strcmp ((const char *) sqlite3_column_text (stmt, 0), "heating.no-heat") == 0;
    }
  sqlite3_reset (stmt);
  g_test_message ("%u buildings reported by several flats, the largest by %u, %u without heat",
                  clusters, biggest, heating);
  g_assert_cmpuint (clusters, >=, N_SAMPLE / 200 - 1);
  g_assert_cmpuint (heating, >=, 1);
  g_assert_cmpuint (biggest, >=, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* The demo's accounts are hashed once each: cheaply in tests. */
  g_setenv ("SA_REGISTRY_PWHASH", "fast", TRUE);
  g_test_init (&argc, &argv, NULL);

  calendar = sa_calendar_new_default ();
  ref = sa_reference_new_default (&error);
  g_assert_no_error (error);
  demo = sa_demo_new (ref, &error);
  g_assert_no_error (error);

  g_test_add_func ("/sa/demo-data/users", test_users);
  g_test_add_func ("/sa/demo-data/appeals/deterministic", test_deterministic);
  g_test_add_func ("/sa/demo-data/appeals/valid", test_appeals_valid);
  g_test_add_func ("/sa/demo-data/appeals/spread", test_appeals_spread);
  g_test_add_func ("/sa/demo-data/appeals/any-now", test_appeals_any_now);

  g_test_add_func ("/sa/demo-data/day/lights", test_day_lights);
  g_test_add_func ("/sa/demo-data/day/history", test_day_history);
  g_test_add_func ("/sa/demo-data/day/repeats", test_day_repeats);
  g_test_add_func ("/sa/demo-data/day/clusters", test_day_clusters);

  status = g_test_run ();
  stored_free ();
  g_object_unref (calendar);
  sa_demo_free (demo);
  g_object_unref (ref);
  return status;
}
