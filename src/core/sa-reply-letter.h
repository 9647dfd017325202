/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *sa_reply_letter_heading (const char *language,
                               const char *reg_number,
                               gint64      received_at);
const char *sa_reply_letter_files_heading (const char *language);
char *sa_reply_letter_format  (const char *language,
                               const char *reg_number,
                               gint64      received_at,
                               const char *text);

G_END_DECLS
