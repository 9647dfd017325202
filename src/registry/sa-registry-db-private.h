/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The statements under SaRegistryDb, for the store's files
 * (sa-registry-store-*.c) and the tests: route handlers see
 * sa-registry-db.h and sa-registry-store.h only, never SQLite. */

#include <sqlite3.h>

#include "sa-registry-db.h"

G_BEGIN_DECLS

sqlite3      *sa_registry_db_get_handle       (SaRegistryDb  *self);
sqlite3_stmt *sa_registry_db_prepare          (SaRegistryDb  *self,
                                               const char    *sql,
                                               GError       **error);
gboolean      sa_registry_db_step_done        (SaRegistryDb  *self,
                                               sqlite3_stmt  *stmt,
                                               GError       **error);

G_END_DECLS
