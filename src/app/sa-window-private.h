/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-window.h"

G_BEGIN_DECLS

const char *_sa_window_get_sign_in_message (SaWindow *self);
const char *_sa_window_get_welcome_text    (SaWindow *self);

G_END_DECLS
