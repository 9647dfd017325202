/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SA_TYPE_REGISTRY_DB (sa_registry_db_get_type ())

G_DECLARE_FINAL_TYPE (SaRegistryDb, sa_registry_db, SA, REGISTRY_DB, GObject)

#define SA_REGISTRY_DB_SCHEMA_VERSION 8

SaRegistryDb *sa_registry_db_open             (const char    *path,
                                               GError       **error);
gboolean      sa_registry_db_exec             (SaRegistryDb  *self,
                                               const char    *sql,
                                               GError       **error);
gboolean      sa_registry_db_begin            (SaRegistryDb  *self,
                                               GError       **error);
gboolean      sa_registry_db_commit           (SaRegistryDb  *self,
                                               GError       **error);
void          sa_registry_db_rollback         (SaRegistryDb  *self);
gboolean      sa_registry_db_code_exists      (SaRegistryDb  *self,
                                               const char    *table,
                                               const char    *code);
gint64        sa_registry_db_touch            (SaRegistryDb  *self,
                                               const char    *kind,
                                               const char    *entity_id,
                                               const char    *agency,
                                               GError       **error);
gint64        sa_registry_db_get_feed_horizon (SaRegistryDb  *self);
gint64        sa_registry_db_compact          (SaRegistryDb  *self,
                                               gint64         keep,
                                               GError       **error);
void          sa_registry_db_set_error        (SaRegistryDb  *self,
                                               GError       **error);
const char   *sa_registry_db_get_write_failure (SaRegistryDb *self);

G_END_DECLS
