/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-registry-private.h"

G_BEGIN_DECLS

/* The registry's store: the domain functions between the route handlers
 * and the database. Handlers parse a request, call these and write the
 * answer (with sa-registry-json.c); only the store's files
 * (sa-registry-store-*.c) prepare, bind and step statements. Rows come
 * back as the structs below. */

G_END_DECLS
