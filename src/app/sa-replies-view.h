/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "sa-cache.h"

G_BEGIN_DECLS

#define SA_TYPE_REPLIES_VIEW (sa_replies_view_get_type ())
G_DECLARE_FINAL_TYPE (SaRepliesView, sa_replies_view, SA, REPLIES_VIEW, GtkWidget)

GtkWidget *sa_replies_view_new       (void);
void       sa_replies_view_set_cache  (SaRepliesView *self,
                                       SaCache       *cache);
void       sa_replies_view_set_appeal (SaRepliesView *self,
                                       JsonObject    *appeal);
guint      sa_replies_view_get_n_rows (SaRepliesView *self);

G_END_DECLS
