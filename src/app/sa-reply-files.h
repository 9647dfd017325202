/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SA_TYPE_REPLY_FILES (sa_reply_files_get_type ())
G_DECLARE_FINAL_TYPE (SaReplyFiles, sa_reply_files, SA, REPLY_FILES, GtkBox)

GtkWidget  *sa_reply_files_new           (void);
void        sa_reply_files_set_files     (SaReplyFiles       *self,
                                          JsonObject         *appeal,
                                          JsonArray          *reply_files,
                                          const char * const *included,
                                          gboolean            editable);
char      **sa_reply_files_dup_included  (SaReplyFiles       *self);
char       *sa_reply_files_dup_summary   (SaReplyFiles       *self);

G_END_DECLS
