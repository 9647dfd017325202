/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-demo"

#include "config.h"

#include <string.h>

#include "sa-demo-data.h"
#include "sa-registry-private.h"
#include "sa-registry-demo.h"

gboolean
sa_registry_demo_available (void)
{
  guint n = 0;

  return sa_demo_districts (&n) != NULL && n > 0;
}

static const char *
clock_to_string (SaClockKind clock)
{
  return clock == SA_CLOCK_24X7 ? "24x7" : "working_hours";
}

/* "ул. Абая, 150" → "ул. Абая"; "проспект Абая 150а" → "проспект Абая". */
static char *
street_of (const char *address)
{
  g_autofree char *copy = g_strdup (address);
  char *comma = strrchr (copy, ',');
  char *space;

  if (comma != NULL)
    *comma = '\0';
  else if ((space = strrchr (copy, ' ')) != NULL && g_ascii_isdigit (space[1]))
    *space = '\0';
  g_strstrip (copy);
  if (g_utf8_strlen (copy, -1) < 4)
    return NULL;
  return g_steal_pointer (&copy);
}

static gboolean
insert_reference (SaRegistryDb  *db,
                  GError       **error)
{
  const SaDemoDistrict *districts;
  const SaDemoAgency *agencies;
  const SaDemoCategory *categories;
  guint n;
  sqlite3_stmt *stmt;

  districts = sa_demo_districts (&n);
  for (guint i = 0; i < n; i++)
    {
      stmt = sa_registry_db_prepare (db,
                                     "INSERT INTO districts (code, name_ru, name_kk)"
                                     " VALUES (?1, ?2, ?3)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, districts[i].code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, districts[i].name_ru, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, districts[i].name_kk, -1, SQLITE_STATIC);
      if (!sa_registry_db_step_done (db, stmt, error))
        return FALSE;
    }

  agencies = sa_demo_agencies (&n);
  for (guint i = 0; i < n; i++)
    {
      stmt = sa_registry_db_prepare (db,
                                     "INSERT INTO agencies (code, name_ru, name_kk, kind, districts)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, agencies[i].code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, agencies[i].name_ru, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, agencies[i].name_kk, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, sa_demo_agency_kind_to_string (agencies[i].kind), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, agencies[i].districts != NULL ? agencies[i].districts : "*",
                         -1, SQLITE_STATIC);
      if (!sa_registry_db_step_done (db, stmt, error) ||
          sa_registry_db_touch (db, "agency", agencies[i].code, NULL, error) == 0)
        return FALSE;
    }

  categories = sa_demo_categories (&n);
  for (guint i = 0; i < n; i++)
    {
      stmt = sa_registry_db_prepare (db,
                                     "INSERT INTO categories (code, name_ru, name_kk, sphere,"
                                     " default_agency, criticality, reaction_minutes,"
                                     " resolution_minutes, clock)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, categories[i].code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, categories[i].name_ru, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, categories[i].name_kk, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, categories[i].sphere, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, categories[i].default_agency, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, categories[i].criticality, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 7, categories[i].reaction_minutes);
      sqlite3_bind_int (stmt, 8, categories[i].resolution_minutes);
      sqlite3_bind_text (stmt, 9, clock_to_string (categories[i].clock), -1, SQLITE_STATIC);
      if (!sa_registry_db_step_done (db, stmt, error) ||
          sa_registry_db_touch (db, "category", categories[i].code, NULL, error) == 0)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char *password;
  char       *hash;
} HashJob;

static void
hash_job_run (gpointer data,
              gpointer user_data)
{
  HashJob *job = data;

  job->hash = _sa_registry_password_hash (job->password, NULL);
}

static gboolean
insert_users (SaRegistryDb  *db,
              gint64         now,
              GError       **error)
{
  const SaDemoUser *users;
  guint n;
  g_autofree HashJob *jobs = NULL;
  g_autoptr(GHashTable) first_with = g_hash_table_new (g_str_hash, g_str_equal);
  GThreadPool *pool;
  gboolean ok = TRUE;

  users = sa_demo_users (&n);
  jobs = g_new0 (HashJob, n);

  /* Argon2id is slow on purpose: hash each distinct demo password once,
   * on every core. Accounts that share a demo password share its hash
   * (and salt); these passwords are printed for everyone anyway. */
  pool = g_thread_pool_new (hash_job_run, NULL, MAX (1, g_get_num_processors ()), TRUE, NULL);
  for (guint i = 0; i < n; i++)
    {
      if (g_hash_table_contains (first_with, users[i].password))
        continue;
      g_hash_table_insert (first_with, (gpointer) users[i].password, GUINT_TO_POINTER (i));
      jobs[i].password = users[i].password;
      g_thread_pool_push (pool, &jobs[i], NULL);
    }
  g_thread_pool_free (pool, FALSE, TRUE);

  for (guint i = 0; i < n && ok; i++)
    {
      sqlite3_stmt *stmt;
      const char *hash;

      hash = jobs[GPOINTER_TO_UINT (g_hash_table_lookup (first_with, users[i].password))].hash;
      stmt = sa_registry_db_prepare (db,
                                     "INSERT INTO users (login, full_name, agency, role, pwhash,"
                                     " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
      if (stmt == NULL || hash == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_text (stmt, 1, users[i].login, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, users[i].full_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, users[i].agency, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, users[i].role, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, hash, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, now);
      ok = sa_registry_db_step_done (db, stmt, error) &&
           sa_registry_db_touch (db, "user", users[i].login, NULL, error) != 0;
    }
  for (guint i = 0; i < n; i++)
    g_free (jobs[i].hash);
  if (!ok && error != NULL && *error == NULL)
    g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_DB, "Cannot hash a password");
  return ok;
}

static gboolean
insert_appeals (SaRegistryDb  *db,
                guint          n_appeals,
                gint64         now,
                GError       **error)
{
  g_autoptr(GHashTable) streets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) executors = g_hash_table_new (g_str_hash, g_str_equal);
  const SaDemoUser *users;
  guint n_users;
  const SaDemoAgency *agencies;
  const char *intake_agency = NULL;
  guint n_agencies;

  agencies = sa_demo_agencies (&n_agencies);
  for (guint i = 0; i < n_agencies; i++)
    if (agencies[i].kind == SA_AGENCY_KIND_CONTACT_CENTRE)
      intake_agency = agencies[i].code;
  /* Appeals past "registered" are in the hands of their agency's first
   * executor (or KSK/OSI manager). */
  users = sa_demo_users (&n_users);
  for (guint i = 0; i < n_users; i++)
    if ((g_strcmp0 (users[i].role, "executor") == 0 ||
         g_strcmp0 (users[i].role, "ksk_manager") == 0) &&
        !g_hash_table_contains (executors, users[i].agency))
      g_hash_table_insert (executors, (gpointer) users[i].agency, (gpointer) users[i].login);

  for (guint i = 0; i < n_appeals; i++)
    {
      SaDemoAppeal appeal = { 0 };
      SaAppealInput in = { 0 };
      g_autofree char *id = NULL;
      g_autofree char *street = NULL;

      sa_demo_appeal_generate (i, now, &appeal);
      in.channel = appeal.channel;
      in.category = appeal.category;
      in.text = appeal.text;
      in.applicant_name = appeal.applicant_name;
      in.applicant_iin = appeal.applicant_iin;
      in.applicant_phone = appeal.phone;
      in.applicant_email = appeal.email;
      in.address_text = appeal.address;
      in.district = appeal.district;
      in.language = appeal.language;
      in.status = appeal.status;
      in.priority = appeal.priority;
      in.intake_agency = intake_agency;
      in.agency = appeal.agency;
      if (g_strcmp0 (appeal.status, "registered") != 0 && appeal.agency != NULL)
        in.executor = g_hash_table_lookup (executors, appeal.agency);
      in.received_at = appeal.received_at;
      in.has_coordinates = appeal.has_coordinates;
      in.lat = appeal.latitude;
      in.lon = appeal.longitude;

      id = _sa_registry_appeal_insert (db, &in, "demo", appeal.received_at, error);
      street = street_of (appeal.address);
      if (street != NULL && !g_hash_table_contains (streets, street))
        g_hash_table_insert (streets, g_steal_pointer (&street), (gpointer) appeal.district);
      sa_demo_appeal_clear (&appeal);
      if (id == NULL)
        return FALSE;
    }

  /* The streets the demo appeals name are the registry's street index,
   * used to tell the district of an address at intake. */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, streets);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        sqlite3_stmt *stmt;

        stmt = sa_registry_db_prepare (db,
                                       "INSERT OR IGNORE INTO streets (name, district)"
                                       " VALUES (?1, ?2)", error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
        if (!sa_registry_db_step_done (db, stmt, error))
          return FALSE;
      }
  }
  return TRUE;
}

/**
 * sa_registry_demo_insert:
 * @db: a freshly initialised database
 * @n_appeals: how many appeals to generate
 * @error: return location for a #GError
 *
 * Inserts the demo content of sa-demo-data.h in one transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_registry_demo_insert (SaRegistryDb  *db,
                         guint          n_appeals,
                         GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean empty = FALSE;
  gint64 now = _sa_registry_now ();

  stmt = sa_registry_db_prepare (db, "SELECT NOT EXISTS (SELECT 1 FROM agencies)", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    empty = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (!empty)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_EXISTS,
                   "The database has data already; give --demo only with a new file");
      return FALSE;
    }

  if (!sa_registry_db_begin (db, error))
    return FALSE;
  if (!insert_reference (db, error) ||
      !insert_users (db, now, error) ||
      !insert_appeals (db, n_appeals, now, error) ||
      !sa_registry_db_commit (db, error))
    {
      sa_registry_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

void
sa_registry_demo_print_users (void)
{
  const SaDemoUser *users;
  guint n;

  users = sa_demo_users (&n);
  g_print ("Demo accounts (login / password / role / agency):\n");
  for (guint i = 0; i < n; i++)
    g_print ("  %-36s %-20s %-12s %s\n", users[i].login, users[i].password, users[i].role,
             users[i].agency);
}
