/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sa-cache.h"

G_BEGIN_DECLS

#define SA_TYPE_QUICK_ANSWER_DIALOG (sa_quick_answer_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SaQuickAnswerDialog, sa_quick_answer_dialog, SA, QUICK_ANSWER_DIALOG,
                      AdwWindow)

SaQuickAnswerDialog *sa_quick_answer_dialog_new       (GtkWindow           *parent,
                                                       JsonObject          *appeal,
                                                       JsonObject          *user,
                                                       SaCache             *cache);
JsonObject          *sa_quick_answer_dialog_dup_args  (SaQuickAnswerDialog *self,
                                                       GError             **error);
void                 sa_quick_answer_dialog_choose    (SaQuickAnswerDialog *self,
                                                       const char          *template_id,
                                                       const char          *text);

G_END_DECLS
