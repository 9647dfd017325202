/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-registry-db-private.h"
#include "sa-registry-store.h"

G_BEGIN_DECLS

/* For the store's files only (sa-registry-store-*.c): the SQL they share.
 * Route handlers call sa-registry-store.h and never see a statement. */

/* Who sees appeal @a, for a user of @role and @agency (SQL expressions):
 * the one statement of the rule in SQL (sa-registry-rights.c says it in
 * words). SA_REGISTRY_VISIBLE_SQL() takes them from the parameters ?101
 * and ?102 that _sa_registry_bind_visibility() binds. */
#define SA_REGISTRY_VISIBLE_SQL_FOR(a, role, agency) \
  "(" role " = " SA_SQL_QUOTE (SA_ROLE_NAME_CURATOR) \
  " OR (" role " IN " SA_ROLES_WORKING_SQL " AND (" a ".agency = " agency \
  "     OR EXISTS (SELECT 1 FROM appeal_agencies x WHERE x.appeal_id = " a ".id" \
  "                AND x.agency = " agency ")))" \
  " OR (" role " = " SA_SQL_QUOTE (SA_ROLE_NAME_OPERATOR) \
  "     AND (" a ".status = " SA_SQL_QUOTE (SA_APPEAL_STATUS_NAME_REGISTERED) \
  "     OR " a ".intake_agency = " agency ")))"
#define SA_REGISTRY_VISIBLE_SQL(a) SA_REGISTRY_VISIBLE_SQL_FOR (a, "?101", "?102")

/* Which entries of the change feed @f a user of @role and @agency gets:
 * reference data and the city-wide reply templates for everyone, an
 * agency's own templates for its users, the users of their own agency (all for
 * curators and admins), the appeals they see and the removals for their
 * agency. Used by GET /api/v1/changes and by the push, so that a hint
 * never promises what the feed does not give. The unary + keeps SQLite
 * from answering the ORs with one scan of the (kind, entity_id) index per
 * kind: the feed is read by seq, from a cursor. */
#define SA_REGISTRY_FEED_VISIBLE_SQL_FOR(f, role, agency) \
  "(+" f ".kind IN ('agency', 'category')" \
  " OR (+" f ".kind = 'user' AND (" role " IN " SA_ROLES_CITY_SQL \
  "     OR EXISTS (SELECT 1 FROM users u WHERE u.login = " f ".entity_id" \
  "                AND u.agency = " agency ")))" \
  " OR (+" f ".kind = 'appeal' AND EXISTS (SELECT 1 FROM appeals a" \
  "     WHERE a.id = " f ".entity_id AND " SA_REGISTRY_VISIBLE_SQL_FOR ("a", role, agency) "))" \
  " OR (+" f ".kind = 'template' AND (" f ".agency IS NULL OR " f ".agency = " agency "))" \
  " OR (+" f ".kind = 'revoke' AND " f ".agency = " agency \
  "     AND " role " NOT IN " SA_ROLES_CITY_SQL "))"
void     _sa_registry_bind_visibility (sqlite3_stmt   *stmt,
                                       SaRegistryUser *user);

/* A column as the store's structs keep it: a copy of its text, or its
 * Unix time with SA_STORE_NO_TIME for NULL. */
static inline char *
_sa_store_column_text (sqlite3_stmt *stmt,
                       int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static inline gint64
_sa_store_column_time (sqlite3_stmt *stmt,
                       int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return SA_STORE_NO_TIME;
  return sqlite3_column_int64 (stmt, col);
}

/* Replies (sa-registry-store-replies.c) */
GPtrArray *_sa_store_read_replies  (SaRegistryDb  *db,
                                    const char    *appeal_id);
GArray    *_sa_store_reply_infos   (SaRegistryDb  *db,
                                    const char    *appeal_id,
                                    GPtrArray     *strings);
gboolean   _sa_store_reply_save    (SaRegistryDb  *db,
                                    const char    *appeal_id,
                                    JsonObject    *args,
                                    const char    *agency,
                                    const char    *author,
                                    gint64         now,
                                    gboolean      *out_created,
                                    GError       **error);
gboolean   _sa_store_reply_submit  (SaRegistryDb  *db,
                                    const char    *reply_id,
                                    gint64         now,
                                    gint64        *out_version,
                                    GError       **error);
gboolean   _sa_store_reply_review  (SaRegistryDb  *db,
                                    const char    *reply_id,
                                    gboolean       approve,
                                    const char    *supervisor,
                                    const char    *comment,
                                    gint64         now,
                                    GError       **error);

G_END_DECLS
