/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "sa-registry-db.h"

G_BEGIN_DECLS

/* An access token's life by default: 15 minutes. */
#define SA_REGISTRY_ACCESS_TTL (15 * 60)

#define SA_TYPE_REGISTRY_SERVER (sa_registry_server_get_type ())

G_DECLARE_FINAL_TYPE (SaRegistryServer, sa_registry_server, SA, REGISTRY_SERVER, GObject)

/* Request bodies above this answer 413 before they are read. */
#define SA_REGISTRY_MAX_BODY   (1024 * 1024)
/* JSON nested deeper than this answers 400 before it is parsed. */
#define SA_REGISTRY_MAX_DEPTH  32

SaRegistryServer *sa_registry_server_new                 (SaRegistryDb      *db);
gboolean          sa_registry_server_set_tls_files       (SaRegistryServer  *self,
                                                          const char        *cert_file,
                                                          const char        *key_file,
                                                          GError           **error);
gboolean          sa_registry_server_listen              (SaRegistryServer  *self,
                                                          const char        *host,
                                                          guint              port,
                                                          GError           **error);
guint             sa_registry_server_get_port            (SaRegistryServer  *self);
char             *sa_registry_server_get_base_uri        (SaRegistryServer  *self);
SaRegistryDb     *sa_registry_server_get_db              (SaRegistryServer  *self);
SoupServer       *sa_registry_server_get_soup_server     (SaRegistryServer  *self);
void              sa_registry_server_set_access_ttl      (SaRegistryServer  *self,
                                                          guint              seconds);
guint             sa_registry_server_get_access_ttl      (SaRegistryServer  *self);
void              sa_registry_server_set_access_log      (SaRegistryServer  *self,
                                                          gboolean           enabled);
void              sa_registry_server_add_open_websockets (SaRegistryServer  *self,
                                                          int                delta);
guint             sa_registry_server_get_open_websockets (SaRegistryServer  *self);
void              sa_registry_server_disconnect          (SaRegistryServer  *self);

G_END_DECLS
