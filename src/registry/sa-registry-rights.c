/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-rights"

#include "config.h"

#include <string.h>

#include "sa-registry-private.h"

/* Who sees which appeal (DESIGN.md, roles):
 * - executor, supervisor, ksk_manager: appeals whose lead agency is theirs,
 *   or where their agency is a co-executor or was escalated to;
 * - curator: every appeal, read-only;
 * - operator: the classification queue (status "registered") and the
 *   appeals their own agency registered;
 * - admin: no appeals; manages users.
 * SA_REGISTRY_VISIBLE_SQL() (sa-registry-store-private.h) says the same in
 * SQL, for the store's lists, the ops, the feed and the push. */

gboolean
sa_registry_user_sees_all_appeals (SaRegistryUser *user)
{
  g_return_val_if_fail (user != NULL, FALSE);
  return user->role == SA_ROLE_CURATOR;
}

const char *
sa_registry_user_work_agency (SaRegistryUser *user)
{
  g_return_val_if_fail (user != NULL, NULL);
  if (user->role == SA_ROLE_CURATOR || user->role == SA_ROLE_ADMIN)
    return NULL;
  return user->agency;
}
