/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SA_TYPE_OP_DIALOG (sa_op_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SaOpDialog, sa_op_dialog, SA, OP_DIALOG, AdwWindow)

SaOpDialog *sa_op_dialog_new            (GtkWindow   *parent,
                                         const char  *title,
                                         const char  *description,
                                         const char  *accept_label);
void        sa_op_dialog_ask_choice     (SaOpDialog  *self,
                                         const char  *title,
                                         const char  *empty_text);
void        sa_op_dialog_add_choice     (SaOpDialog  *self,
                                         const char  *value,
                                         const char  *title,
                                         const char  *subtitle);
void        sa_op_dialog_ask_text       (SaOpDialog  *self,
                                         const char  *title,
                                         const char  *description,
                                         guint        max_chars);
void        sa_op_dialog_ask_date       (SaOpDialog  *self,
                                         const char  *title,
                                         gint64       min_due,
                                         gint64       max_due,
                                         gint64       initial_due);

gboolean    sa_op_dialog_is_valid       (SaOpDialog  *self);
void        sa_op_dialog_respond_on_ctrl_enter (AdwMessageDialog *dialog,
                                                const char       *response);
const char *sa_op_dialog_get_choice     (SaOpDialog  *self);
char       *sa_op_dialog_dup_text       (SaOpDialog  *self);
gint64      sa_op_dialog_get_due        (SaOpDialog  *self);
char       *sa_op_dialog_dup_due_text   (SaOpDialog  *self);

G_END_DECLS
