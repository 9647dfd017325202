/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-reference"

#include "config.h"

#include <string.h>

#include "sa-registry-db-private.h"
#include "sa-registry-private.h"
#include "sa-registry-reference.h"

/* Writes the reference data (sa-reference.h) into the registry's database:
 * what `init` does on every run. Codes are upserted, never deleted, since
 * appeals and users refer to them; a changed agency or category goes to
 * the change feed so that clients learn of it. */

static const char *
clock_to_string (SaSlaClock clock)
{
  return clock == SA_SLA_CLOCK_24X7 ? "24x7" : "working_hours";
}

/* Whether the statement just stepped inserted or changed a row: the upserts
 * below update only when a value differs. */
static gboolean
changed (SaRegistryDb *db)
{
  return sqlite3_changes (sa_registry_db_get_handle (db)) > 0;
}

static guint
count_rows (SaRegistryDb *db,
            const char   *sql)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (db, sql, NULL);
  guint n = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}

static gboolean
load_districts (SaRegistryDb               *db,
                SaReference                *ref,
                SaRegistryReferenceCounts  *counts,
                GError                    **error)
{
  const SaReferenceDistrict *districts = sa_reference_get_districts (ref, &counts->districts);

  for (guint i = 0; i < counts->districts; i++)
    {
      sqlite3_stmt *stmt;

      stmt = sa_registry_db_prepare (db,
                                     "INSERT INTO districts (code, name_ru, name_kk)"
                                     " VALUES (?1, ?2, ?3) ON CONFLICT (code) DO UPDATE"
                                     " SET name_ru = excluded.name_ru, name_kk = excluded.name_kk"
                                     " WHERE name_ru IS NOT excluded.name_ru"
                                     " OR name_kk IS NOT excluded.name_kk", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, districts[i].code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, districts[i].name_ru, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, districts[i].name_kk, -1, SQLITE_STATIC);
      if (!sa_registry_db_step_done (db, stmt, error))
        return FALSE;
    }
  counts->kept += count_rows (db, "SELECT COUNT (*) FROM districts") - counts->districts;
  return TRUE;
}

static gboolean
load_agencies (SaRegistryDb               *db,
               SaReference                *ref,
               SaRegistryReferenceCounts  *counts,
               GError                    **error)
{
  const SaReferenceAgency *agencies = sa_reference_get_agencies (ref, &counts->agencies);

  for (guint i = 0; i < counts->agencies; i++)
    {
      sqlite3_stmt *stmt;

      stmt = sa_registry_db_prepare (db,
                                     "INSERT INTO agencies (code, name_ru, name_kk, kind,"
                                     " districts) VALUES (?1, ?2, ?3, ?4, ?5)"
                                     " ON CONFLICT (code) DO UPDATE"
                                     " SET name_ru = excluded.name_ru, name_kk = excluded.name_kk,"
                                     " kind = excluded.kind, districts = excluded.districts"
                                     " WHERE name_ru IS NOT excluded.name_ru"
                                     " OR name_kk IS NOT excluded.name_kk"
                                     " OR kind IS NOT excluded.kind"
                                     " OR districts IS NOT excluded.districts", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, agencies[i].code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, agencies[i].name_ru, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, agencies[i].name_kk, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, agencies[i].kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, agencies[i].districts, -1, SQLITE_STATIC);
      if (!sa_registry_db_step_done (db, stmt, error))
        return FALSE;
      if (changed (db))
        {
          counts->changed++;
          if (sa_registry_db_touch (db, "agency", agencies[i].code, NULL, error) == 0)
            return FALSE;
        }
    }
  counts->kept += count_rows (db, "SELECT COUNT (*) FROM agencies") - counts->agencies;
  return TRUE;
}

static gboolean
load_categories (SaRegistryDb               *db,
                 SaReference                *ref,
                 SaRegistryReferenceCounts  *counts,
                 GError                    **error)
{
  const SaReferenceCategory *categories = sa_reference_get_categories (ref, &counts->categories);

  for (guint i = 0; i < counts->categories; i++)
    {
      const SaReferenceCategory *c = &categories[i];
      sqlite3_stmt *stmt;

      stmt = sa_registry_db_prepare (db,
                                     "INSERT INTO categories (code, name_ru, name_kk, sphere,"
                                     " default_agency, criticality, reaction_minutes,"
                                     " resolution_minutes, clock)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                                     " ON CONFLICT (code) DO UPDATE SET name_ru = excluded.name_ru,"
                                     " name_kk = excluded.name_kk, sphere = excluded.sphere,"
                                     " default_agency = excluded.default_agency,"
                                     " criticality = excluded.criticality,"
                                     " reaction_minutes = excluded.reaction_minutes,"
                                     " resolution_minutes = excluded.resolution_minutes,"
                                     " clock = excluded.clock"
                                     " WHERE name_ru IS NOT excluded.name_ru"
                                     " OR name_kk IS NOT excluded.name_kk"
                                     " OR sphere IS NOT excluded.sphere"
                                     " OR default_agency IS NOT excluded.default_agency"
                                     " OR criticality IS NOT excluded.criticality"
                                     " OR reaction_minutes IS NOT excluded.reaction_minutes"
                                     " OR resolution_minutes IS NOT excluded.resolution_minutes"
                                     " OR clock IS NOT excluded.clock", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, c->code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, c->name_ru, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, c->name_kk, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, c->sphere, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, c->agency, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, sa_criticality_to_string (c->criticality), -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 7, c->regulation.reaction_minutes);
      sqlite3_bind_int (stmt, 8, c->regulation.resolution_minutes);
      sqlite3_bind_text (stmt, 9, clock_to_string (c->regulation.clock), -1, SQLITE_STATIC);
      if (!sa_registry_db_step_done (db, stmt, error))
        return FALSE;
      if (changed (db))
        {
          counts->changed++;
          if (sa_registry_db_touch (db, "category", c->code, NULL, error) == 0)
            return FALSE;
        }
    }
  counts->kept += count_rows (db, "SELECT COUNT (*) FROM categories") - counts->categories;
  return TRUE;
}

/* How a street of each type is written in an address; the Kazakh form is the
 * name followed by its type. Address normalisation will know more. */
static const struct
{
  const char *type;
  const char *forms[6];
} ru_forms[] = {
  { "улица", { "улица ", "ул. ", "ул.", NULL } },
  { "проспект", { "проспект ", "пр. ", "пр.", "пр-т ", "просп. ", NULL } },
  { "мкр", { "мкр ", "мкр. ", "мкр.", "микрорайон ", "мкрн ", NULL } },
  { "переулок", { "переулок ", "пер. ", NULL } },
  { "бульвар", { "бульвар ", "б-р ", NULL } },
  { "шоссе", { "шоссе ", NULL } },
  { "площадь", { "площадь ", "пл. ", NULL } },
};

/* A form two streets of different districts share tells nothing. */
#define AMBIGUOUS ""

static void
add_form (GHashTable *forms,
          char       *form,
          const char *district)
{
  char *folded = g_utf8_casefold (form, -1);
  const char *known = g_hash_table_lookup (forms, folded);

  g_free (form);
  if (known != NULL && strcmp (known, district) != 0)
    g_hash_table_replace (forms, folded, (gpointer) AMBIGUOUS);
  else if (known == NULL)
    g_hash_table_insert (forms, folded, (gpointer) district);
  else
    g_free (folded);
}

static gboolean
load_streets (SaRegistryDb               *db,
              SaReference                *ref,
              SaRegistryReferenceCounts  *counts,
              GError                    **error)
{
  const SaReferenceStreet *streets = sa_reference_get_streets (ref, &counts->streets);
  g_autoptr(GHashTable) forms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  /* Both are the files' copy: replaced whole, and nothing refers to them. */
  if (!sa_registry_db_exec (db, "DELETE FROM gazetteer; DELETE FROM streets;", error))
    return FALSE;

  for (guint i = 0; i < counts->streets; i++)
    {
      const SaReferenceStreet *s = &streets[i];
      g_autofree char *districts = g_strjoinv (",", s->districts);
      sqlite3_stmt *stmt;

      stmt = sa_registry_db_prepare (db,
                                     "INSERT INTO gazetteer (districts, type_ru, name_ru, name_kk,"
                                     " type_kk) VALUES (?1, ?2, ?3, ?4, ?5)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, districts, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, s->type_ru, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, s->name_ru, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, s->name_kk, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, s->type_kk, -1, SQLITE_STATIC);
      if (!sa_registry_db_step_done (db, stmt, error))
        return FALSE;

      if (g_strv_length (s->districts) != 1)
        continue;
      for (guint t = 0; t < G_N_ELEMENTS (ru_forms); t++)
        if (strcmp (ru_forms[t].type, s->type_ru) == 0)
          for (guint f = 0; ru_forms[t].forms[f] != NULL; f++)
            add_form (forms, g_strconcat (ru_forms[t].forms[f], s->name_ru, NULL), s->districts[0]);
      add_form (forms, sa_reference_street_dup_kk (s), s->districts[0]);
    }

  g_hash_table_iter_init (&iter, forms);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      sqlite3_stmt *stmt;

      if (*(const char *) value == '\0')
        continue;
      stmt = sa_registry_db_prepare (db, "INSERT INTO streets (name, district) VALUES (?1, ?2)",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      if (!sa_registry_db_step_done (db, stmt, error))
        return FALSE;
      counts->street_forms++;
    }
  return TRUE;
}

/**
 * sa_registry_reference_load:
 * @db: the database
 * @ref: the reference data
 * @counts: (out) (optional): what was loaded
 * @error: return location for a #GError
 *
 * Loads @ref in one transaction: districts, agencies and categories by
 * code (new or changed ones to the change feed), the street gazetteer and
 * intake's street lookup replaced. Running it again with the same files
 * changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_registry_reference_load (SaRegistryDb               *db,
                            SaReference                *ref,
                            SaRegistryReferenceCounts  *counts,
                            GError                    **error)
{
  SaRegistryReferenceCounts local = { 0 };

  g_return_val_if_fail (SA_IS_REGISTRY_DB (db), FALSE);
  g_return_val_if_fail (SA_IS_REFERENCE (ref), FALSE);

  if (!sa_registry_db_begin (db, error))
    return FALSE;
  if (!load_districts (db, ref, &local, error) ||
      !load_agencies (db, ref, &local, error) ||
      !load_categories (db, ref, &local, error) ||
      !load_streets (db, ref, &local, error) ||
      !sa_registry_db_commit (db, error))
    {
      sa_registry_db_rollback (db);
      return FALSE;
    }
  if (counts != NULL)
    *counts = local;
  return TRUE;
}
