/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-ops"

#include "config.h"

#include "sa-registry-private.h"

void
_sa_registry_ops_register (SaRegistryServer *server)
{
}
