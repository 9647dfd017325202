/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-registry-db.h"

G_BEGIN_DECLS

#define SA_REGISTRY_DEMO_DEFAULT_APPEALS 2000

gboolean sa_registry_demo_available   (void);
gboolean sa_registry_demo_insert      (SaRegistryDb  *db,
                                       guint          n_appeals,
                                       GError       **error);
void     sa_registry_demo_print_users (void);

G_END_DECLS
