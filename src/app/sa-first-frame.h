/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-window.h"

G_BEGIN_DECLS

void _sa_first_frame_report (SaWindow *window);

G_END_DECLS
