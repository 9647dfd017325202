/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sa-cache.h"

G_BEGIN_DECLS

#define SA_TYPE_CONFLICTS_VIEW (sa_conflicts_view_get_type ())
G_DECLARE_FINAL_TYPE (SaConflictsView, sa_conflicts_view, SA, CONFLICTS_VIEW, GtkWidget)

SaConflictsView *sa_conflicts_view_new            (void);
void             sa_conflicts_view_set_cache      (SaConflictsView *self,
                                                   SaCache         *cache);
SaCache         *sa_conflicts_view_get_cache      (SaConflictsView *self);
guint            sa_conflicts_view_get_n_entries  (SaConflictsView *self);

G_END_DECLS
