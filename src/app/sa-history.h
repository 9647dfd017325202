/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sa-cache.h"

G_BEGIN_DECLS

char *sa_history_describe    (JsonObject *event,
                              SaCache    *cache);
char *sa_history_describe_in (JsonObject *event,
                              JsonObject *appeal,
                              SaCache    *cache);
char *sa_history_when_who    (JsonObject *event,
                              SaCache    *cache);
char *sa_format_almaty_time  (gint64      unix_seconds,
                              gboolean    with_time);

G_END_DECLS
