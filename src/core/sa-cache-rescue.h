/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-cache.h"

G_BEGIN_DECLS

/**
 * SaCacheRescue:
 * @aside_path: where the damaged database now is (its `-wal` and `-shm`
 *   files, if any, beside it with the same suffixes)
 * @n_kept: how many outbox entries were copied into the new cache
 * @complete: %TRUE if the damaged outbox was read to its end, so that
 *   nothing it held is missing from the new cache
 *
 * What sa_cache_set_aside_sync() did.
 */
typedef struct
{
  char     *aside_path;
  guint     n_kept;
  gboolean  complete;
} SaCacheRescue;

void           sa_cache_rescue_free       (SaCacheRescue        *rescue);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaCacheRescue, sa_cache_rescue_free)

gboolean       sa_cache_check_sync        (const char           *path,
                                           GError              **error);
void           sa_cache_check_async       (const char           *path,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean       sa_cache_check_finish      (GAsyncResult         *result,
                                           GError              **error);

SaCacheRescue *sa_cache_set_aside_sync    (const char           *path,
                                           GError              **error);
void           sa_cache_set_aside_async   (const char           *path,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
SaCacheRescue *sa_cache_set_aside_finish  (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
