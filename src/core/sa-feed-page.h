/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean sa_feed_page_parse (JsonNode   *root,
                             JsonArray **out_changes,
                             gint64     *out_next,
                             gboolean   *out_more,
                             GError    **error);

G_END_DECLS
