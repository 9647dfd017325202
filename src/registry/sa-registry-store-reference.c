/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-store"

#include "config.h"

#include "sa-registry-store-private.h"
#include "sa-sla.h"

/* Reading the city's reference data: agencies, categories, districts.
 * (sa-registry-reference.c loads it.) */

void
sa_store_agency_free (SaStoreAgency *agency)
{
  if (agency == NULL)
    return;
  g_free (agency->code);
  g_free (agency->name_ru);
  g_free (agency->name_kk);
  g_free (agency->kind);
  g_strfreev (agency->districts);
  g_free (agency);
}

void
sa_store_category_free (SaStoreCategory *category)
{
  if (category == NULL)
    return;
  g_free (category->code);
  g_free (category->name_ru);
  g_free (category->name_kk);
  g_free (category->sphere);
  g_free (category->agency);
  g_free (category->criticality);
  g_free (category->clock);
  g_free (category);
}

void
sa_store_district_free (SaStoreDistrict *district)
{
  if (district == NULL)
    return;
  g_free (district->code);
  g_free (district->name_ru);
  g_free (district->name_kk);
  g_free (district);
}

#define AGENCY_SQL \
  "SELECT code, name_ru, name_kk, kind, districts FROM agencies"
#define CATEGORY_SQL \
  "SELECT code, name_ru, name_kk, sphere, default_agency, criticality, reaction_minutes," \
  " resolution_minutes, clock FROM categories"
#define DISTRICT_SQL \
  "SELECT code, name_ru, name_kk FROM districts"

static gpointer
agency_from_row (sqlite3_stmt *stmt)
{
  SaStoreAgency *agency = g_new0 (SaStoreAgency, 1);
  g_auto(GStrv) districts = g_strsplit ((const char *) sqlite3_column_text (stmt, 4), ",", -1);
  GPtrArray *list = g_ptr_array_new ();

  agency->code = _sa_store_column_text (stmt, 0);
  agency->name_ru = _sa_store_column_text (stmt, 1);
  agency->name_kk = _sa_store_column_text (stmt, 2);
  agency->kind = _sa_store_column_text (stmt, 3);
  /* Stored as a comma-separated list; empty items are no districts. */
  for (guint i = 0; districts[i] != NULL; i++)
    if (*districts[i] != '\0')
      g_ptr_array_add (list, g_strdup (districts[i]));
  g_ptr_array_add (list, NULL);
  agency->districts = (char **) g_ptr_array_free (list, FALSE);
  return agency;
}

static gpointer
category_from_row (sqlite3_stmt *stmt)
{
  SaStoreCategory *category = g_new0 (SaStoreCategory, 1);

  category->code = _sa_store_column_text (stmt, 0);
  category->name_ru = _sa_store_column_text (stmt, 1);
  category->name_kk = _sa_store_column_text (stmt, 2);
  category->sphere = _sa_store_column_text (stmt, 3);
  category->agency = _sa_store_column_text (stmt, 4);
  category->criticality = _sa_store_column_text (stmt, 5);
  category->reaction_minutes = sqlite3_column_int64 (stmt, 6);
  category->resolution_minutes = sqlite3_column_int64 (stmt, 7);
  category->clock = _sa_store_column_text (stmt, 8);
  return category;
}

static gpointer
district_from_row (sqlite3_stmt *stmt)
{
  SaStoreDistrict *district = g_new0 (SaStoreDistrict, 1);

  district->code = _sa_store_column_text (stmt, 0);
  district->name_ru = _sa_store_column_text (stmt, 1);
  district->name_kk = _sa_store_column_text (stmt, 2);
  return district;
}

static GPtrArray *
read_all (SaRegistryDb    *db,
          const char      *sql,
          gpointer       (*from_row) (sqlite3_stmt *),
          GDestroyNotify   free_func,
          GError         **error)
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (db, sql, error);
  GPtrArray *rows;

  if (stmt == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func (free_func);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, from_row (stmt));
  sqlite3_reset (stmt);
  return rows;
}

static gpointer
read_one (SaRegistryDb  *db,
          const char    *sql,
          const char    *code,
          gpointer     (*from_row) (sqlite3_stmt *))
{
  sqlite3_stmt *stmt = sa_registry_db_prepare (db, sql, NULL);
  gpointer row = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    row = from_row (stmt);
  sqlite3_reset (stmt);
  return row;
}

/**
 * sa_store_agencies_list:
 * @db: the database
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type SaStoreAgency): every agency by
 *   code, or %NULL on error
 */
GPtrArray *
sa_store_agencies_list (SaRegistryDb  *db,
                        GError       **error)
{
  return read_all (db, AGENCY_SQL " ORDER BY code", agency_from_row,
                   (GDestroyNotify) sa_store_agency_free, error);
}

SaStoreAgency *
sa_store_agency_get (SaRegistryDb *db,
                     const char   *code)
{
  return read_one (db, AGENCY_SQL " WHERE code = ?1", code, agency_from_row);
}

/**
 * sa_store_categories_list:
 * @db: the database
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type SaStoreCategory): every category
 *   by code, or %NULL on error
 */
GPtrArray *
sa_store_categories_list (SaRegistryDb  *db,
                          GError       **error)
{
  return read_all (db, CATEGORY_SQL " ORDER BY code", category_from_row,
                   (GDestroyNotify) sa_store_category_free, error);
}

SaStoreCategory *
sa_store_category_get (SaRegistryDb *db,
                       const char   *code)
{
  return read_one (db, CATEGORY_SQL " WHERE code = ?1", code, category_from_row);
}

/**
 * sa_store_districts_list:
 * @db: the database
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type SaStoreDistrict): every district
 *   by code, or %NULL on error
 */
GPtrArray *
sa_store_districts_list (SaRegistryDb  *db,
                         GError       **error)
{
  return read_all (db, DISTRICT_SQL " ORDER BY code", district_from_row,
                   (GDestroyNotify) sa_store_district_free, error);
}

/**
 * sa_store_category_regulation:
 * @db: the database
 * @code: a category's code
 * @reg: (out caller-allocates): the category's regulation
 *
 * Returns: %FALSE if there is no such category
 */
gboolean
sa_store_category_regulation (SaRegistryDb *db,
                              const char   *code,
                              SaRegulation *reg)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT reaction_minutes, resolution_minutes, clock"
                                 " FROM categories WHERE code = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      reg->reaction_minutes = sqlite3_column_int (stmt, 0);
      reg->resolution_minutes = sqlite3_column_int (stmt, 1);
      reg->clock = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "24x7") == 0
                   ? SA_SLA_CLOCK_24X7 : SA_SLA_CLOCK_WORKING_HOURS;
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}
