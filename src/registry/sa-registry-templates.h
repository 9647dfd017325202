/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-registry-store.h"

G_BEGIN_DECLS

#define SA_REGISTRY_TEMPLATES_ERROR (sa_registry_templates_error_quark ())
GQuark   sa_registry_templates_error_quark (void);

gboolean sa_registry_template_check     (SaRegistryDb           *db,
                                         const SaStoreTemplate  *t,
                                         GError                **error);
gboolean sa_registry_templates_load     (SaRegistryDb           *db,
                                         const char             *dir,
                                         guint                  *out_count,
                                         GError                **error);
void     sa_registry_json_add_template  (JsonBuilder            *b,
                                         const SaStoreTemplate  *t);

G_END_DECLS
