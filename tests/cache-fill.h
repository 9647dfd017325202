/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-cache.h"

G_BEGIN_DECLS

/* @total must be a multiple of 10,000. */
void sa_bench_fill_cache (const char *path,
                          guint       total);

G_END_DECLS
