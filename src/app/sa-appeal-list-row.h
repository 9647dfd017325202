/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sa-clock.h"

G_BEGIN_DECLS

#define SA_TYPE_APPEAL_LIST_ROW (sa_appeal_list_row_get_type ())
G_DECLARE_FINAL_TYPE (SaAppealListRow, sa_appeal_list_row, SA, APPEAL_LIST_ROW, GtkWidget)

GtkWidget *sa_appeal_list_row_new          (void);
void       sa_appeal_list_row_bind         (SaAppealListRow *self,
                                            GObject         *item);
void       sa_appeal_list_row_unbind       (SaAppealListRow *self);
void       sa_appeal_list_row_set_deadline (SaAppealListRow *self,
                                            SaClock         *clock,
                                            gint64           start,
                                            gint64           due);
void       sa_appeal_list_row_set_sla      (SaAppealListRow *self,
                                            const char      *text,
                                            const char      *light,
                                            const char      *accessible_text);

G_END_DECLS
