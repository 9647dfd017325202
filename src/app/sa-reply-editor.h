/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sa-cache.h"

G_BEGIN_DECLS

/* How long the editor waits after the last keystroke before it saves. */
#define SA_REPLY_EDITOR_SAVE_DELAY_MS 300

#define SA_TYPE_REPLY_EDITOR (sa_reply_editor_get_type ())
G_DECLARE_FINAL_TYPE (SaReplyEditor, sa_reply_editor, SA, REPLY_EDITOR, AdwWindow)

SaReplyEditor *sa_reply_editor_new          (GtkWindow     *parent,
                                             SaCache       *cache,
                                             JsonObject    *appeal,
                                             JsonObject    *user);
const char    *sa_reply_editor_get_reply_id (SaReplyEditor *self);
gboolean       sa_reply_editor_is_editable  (SaReplyEditor *self);
gboolean       sa_reply_editor_is_saved     (SaReplyEditor *self);

G_END_DECLS
