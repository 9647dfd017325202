/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-demo-data.h"
#include "sa-registry-db.h"

G_BEGIN_DECLS

#define SA_REGISTRY_DEMO_DEFAULT_APPEALS 2000

gboolean sa_registry_demo_insert      (SaRegistryDb  *db,
                                       SaDemo        *demo,
                                       guint          n_appeals,
                                       gint64         now,
                                       GError       **error);
void     sa_registry_demo_print_users (SaDemo        *demo);

G_END_DECLS
