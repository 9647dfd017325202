/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "sa-sync-engine.h"

G_BEGIN_DECLS

#define SA_TYPE_ATTACHMENTS_VIEW (sa_attachments_view_get_type ())
G_DECLARE_FINAL_TYPE (SaAttachmentsView, sa_attachments_view, SA, ATTACHMENTS_VIEW, GtkWidget)

GtkWidget  *sa_attachments_view_new             (void);
void        sa_attachments_view_set_appeal      (SaAttachmentsView *self,
                                                 JsonObject        *appeal);
void        sa_attachments_view_set_sync_engine (SaAttachmentsView *self,
                                                 SaSyncEngine      *engine);
void        sa_attachments_view_set_can_attach  (SaAttachmentsView *self,
                                                 gboolean           can_attach);
void        sa_attachments_view_choose_file     (SaAttachmentsView *self);
void        sa_attachments_view_attach_file     (SaAttachmentsView *self,
                                                 GFile             *file);
void        sa_attachments_view_add_drop_target (SaAttachmentsView *self,
                                                 GtkWidget         *widget);
const char *sa_attachments_view_get_message     (SaAttachmentsView *self);

G_END_DECLS
