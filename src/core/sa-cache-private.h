/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "sa-cache.h"

G_BEGIN_DECLS

/* The read connection, for SaAppealList on the main thread: WAL lets it
 * read while a worker writes on the other connection. Hold the lock from
 * prepare to the last step. */
void          _sa_cache_reader_lock     (SaCache     *self);
void          _sa_cache_reader_unlock   (SaCache     *self);
sqlite3_stmt *_sa_cache_reader_prepare  (SaCache     *self,
                                         const char  *sql,
                                         GError     **error);
void          _sa_cache_set_error       (SaCache     *self,
                                         gboolean     reader,
                                         GError     **error,
                                         const char  *what);

G_END_DECLS
