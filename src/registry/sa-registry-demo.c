/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-demo"

#include "config.h"

#include <string.h>

#include "sa-demo-data.h"
#include "sa-registry-private.h"
#include "sa-registry-demo.h"

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
              SaDemo        *demo,
              gint64         now,
              GError       **error)
{
  const SaDemoUser *users;
  guint n;
  g_autofree HashJob *jobs = NULL;
  g_autoptr(GHashTable) first_with = g_hash_table_new (g_str_hash, g_str_equal);
  GThreadPool *pool;
  gboolean ok = TRUE;

  users = sa_demo_get_users (demo, &n);
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
                SaDemo        *demo,
                guint          n_appeals,
                gint64         now,
                GError       **error)
{
  g_autoptr(GHashTable) executors = g_hash_table_new (g_str_hash, g_str_equal);
  const SaDemoUser *users;
  guint n_users;
  const SaReferenceAgency *agencies;
  const char *intake_agency = NULL;
  guint n_agencies;

  agencies = sa_reference_get_agencies (sa_demo_get_reference (demo), &n_agencies);
  for (guint i = 0; i < n_agencies; i++)
    if (strcmp (agencies[i].kind, "contact_centre") == 0)
      intake_agency = agencies[i].code;
  /* Appeals past "registered" are in the hands of their agency's first
   * executor (or KSK/OSI manager). */
  users = sa_demo_get_users (demo, &n_users);
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

      sa_demo_appeal_generate (demo, i, now, &appeal);
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
      sa_demo_appeal_clear (&appeal);
      if (id == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * sa_registry_demo_insert:
 * @db: a database with the reference data and no people or appeals yet
 * @demo: the demo generator
 * @n_appeals: how many appeals to generate
 * @now: the moment the demo is made at, unix seconds
 * @error: return location for a #GError
 *
 * Inserts the demo's accounts and appeals in one transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_registry_demo_insert (SaRegistryDb  *db,
                         SaDemo        *demo,
                         guint          n_appeals,
                         gint64         now,
                         GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean empty = FALSE;

  g_return_val_if_fail (SA_IS_REGISTRY_DB (db), FALSE);
  g_return_val_if_fail (demo != NULL, FALSE);

  stmt = sa_registry_db_prepare (db,
                                 "SELECT NOT EXISTS (SELECT 1 FROM users)"
                                 " AND NOT EXISTS (SELECT 1 FROM appeals)", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    empty = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (!empty)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_EXISTS,
                   "The database has people or appeals already; give --demo only with a "
                   "new file");
      return FALSE;
    }

  if (!sa_registry_db_begin (db, error))
    return FALSE;
  if (!insert_users (db, demo, now, error) ||
      !insert_appeals (db, demo, n_appeals, now, error) ||
      !sa_registry_db_commit (db, error))
    {
      sa_registry_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

void
sa_registry_demo_print_users (SaDemo *demo)
{
  const SaDemoUser *users;
  guint n;

  users = sa_demo_get_users (demo, &n);
  g_print ("Demo accounts (login / password / role / agency):\n");
  for (guint i = 0; i < n; i++)
    g_print ("  %-36s %-20s %-12s %s\n", users[i].login, users[i].password, users[i].role,
             users[i].agency);
}
