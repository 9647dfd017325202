/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      sa_secret_store_async    (const char          *server,
                                    const char          *login,
                                    const char          *refresh_token,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  sa_secret_store_finish   (GAsyncResult        *result,
                                    GError             **error);
void      sa_secret_lookup_async   (const char          *server,
                                    const char          *login,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
char     *sa_secret_lookup_finish  (GAsyncResult        *result,
                                    GError             **error);
void      sa_secret_clear_async    (const char          *server,
                                    const char          *login,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  sa_secret_clear_finish   (GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
