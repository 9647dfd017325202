/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean sa_iin_is_valid     (const char *iin);
char    *sa_iin_mask         (const char *iin);
int      sa_iin_check_digit  (const char *first_eleven);

G_END_DECLS
