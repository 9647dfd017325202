/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sa-sync-engine.h"

G_BEGIN_DECLS

#define SA_TYPE_SYNC_STATUS (sa_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (SaSyncStatus, sa_sync_status, SA, SYNC_STATUS, AdwBin)

void sa_sync_status_set_engine (SaSyncStatus *self,
                                SaSyncEngine *engine);
void sa_sync_status_set_online (SaSyncStatus *self,
                                gboolean      online);

G_END_DECLS
