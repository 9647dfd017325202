/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sa-cache-rescue.h"

G_BEGIN_DECLS

AdwMessageDialog *sa_cache_notice_new (GtkWindow     *parent,
                                       SaCacheRescue *rescue);

G_END_DECLS
