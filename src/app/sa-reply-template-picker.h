/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sa-cache.h"

G_BEGIN_DECLS

#define SA_TYPE_REPLY_TEMPLATE_PICKER (sa_reply_template_picker_get_type ())
G_DECLARE_FINAL_TYPE (SaReplyTemplatePicker, sa_reply_template_picker, SA, REPLY_TEMPLATE_PICKER,
                      GtkBox)

GtkWidget  *sa_reply_template_picker_new       (void);
void        sa_reply_template_picker_set_scope (SaReplyTemplatePicker *self,
                                                SaCache               *cache,
                                                const char            *category,
                                                const char            *language);
guint       sa_reply_template_picker_get_n_shown (SaReplyTemplatePicker *self);
const char *sa_reply_template_picker_get_shown_id (SaReplyTemplatePicker *self,
                                                   guint                  position);

G_END_DECLS
