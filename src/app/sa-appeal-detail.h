/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "sa-cache.h"
#include "sa-sync-engine.h"

G_BEGIN_DECLS

#define SA_TYPE_APPEAL_DETAIL (sa_appeal_detail_get_type ())
G_DECLARE_FINAL_TYPE (SaAppealDetail, sa_appeal_detail, SA, APPEAL_DETAIL, GtkWidget)

GtkWidget  *sa_appeal_detail_new         (void);
void        sa_appeal_detail_set_user    (SaAppealDetail *self,
                                          JsonObject     *user);
void        sa_appeal_detail_set_appeal  (SaAppealDetail *self,
                                          JsonObject     *appeal);
JsonObject *sa_appeal_detail_get_appeal  (SaAppealDetail *self);
void        sa_appeal_detail_set_cache   (SaAppealDetail *self,
                                          SaCache        *cache);
void        sa_appeal_detail_set_sync_engine (SaAppealDetail *self,
                                          SaSyncEngine   *engine);

G_END_DECLS
