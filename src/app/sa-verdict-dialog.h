/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SA_TYPE_VERDICT_DIALOG (sa_verdict_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SaVerdictDialog, sa_verdict_dialog, SA, VERDICT_DIALOG, AdwWindow)

SaVerdictDialog *sa_verdict_dialog_new      (GtkWindow       *parent,
                                             JsonObject      *appeal,
                                             JsonObject      *user);
JsonObject      *sa_verdict_dialog_dup_args (SaVerdictDialog *self,
                                             GError         **error);

G_END_DECLS
