/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sa-cache.h"

G_BEGIN_DECLS

/**
 * SA_ATTACHMENT_MAX_SIZE:
 *
 * The largest file that can be attached, in bytes: 10 MiB. The registry
 * refuses a larger upload (413) and the desk refuses to store one.
 */
#define SA_ATTACHMENT_MAX_SIZE (10 * 1024 * 1024)

const char *sa_attachment_sniff_type     (const guint8 *data,
                                          gsize         len);
gboolean    sa_attachment_is_sha256      (const char   *text);
const char *sa_attachment_type_extension (const char   *content_type);

#define SA_ATTACHMENT_ERROR (sa_attachment_error_quark ())

/**
 * SaAttachmentError:
 * @SA_ATTACHMENT_ERROR_TOO_LARGE: the file is larger than %SA_ATTACHMENT_MAX_SIZE
 * @SA_ATTACHMENT_ERROR_UNSUPPORTED_TYPE: the content is not JPEG, PNG, WebP or PDF
 * @SA_ATTACHMENT_ERROR_EMPTY: the file is empty
 * @SA_ATTACHMENT_ERROR_MISMATCH: the bytes are not those of the SHA-256 they came for
 * @SA_ATTACHMENT_ERROR_NOT_FOUND: the store does not hold that file
 * @SA_ATTACHMENT_ERROR_FAILED: the file could not be read or written
 *
 * Errors in the %SA_ATTACHMENT_ERROR domain.
 */
typedef enum
{
  SA_ATTACHMENT_ERROR_TOO_LARGE,
  SA_ATTACHMENT_ERROR_UNSUPPORTED_TYPE,
  SA_ATTACHMENT_ERROR_EMPTY,
  SA_ATTACHMENT_ERROR_MISMATCH,
  SA_ATTACHMENT_ERROR_NOT_FOUND,
  SA_ATTACHMENT_ERROR_FAILED,
} SaAttachmentError;

GQuark sa_attachment_error_quark (void);

#define SA_TYPE_ATTACHMENT_STORE (sa_attachment_store_get_type ())
G_DECLARE_FINAL_TYPE (SaAttachmentStore, sa_attachment_store, SA, ATTACHMENT_STORE, GObject)

SaAttachmentStore *sa_attachment_store_new           (const char         *dir);
SaAttachmentStore *sa_attachment_store_new_for_cache (SaCache            *cache);
const char        *sa_attachment_store_get_dir       (SaAttachmentStore  *self);

char              *sa_attachment_store_add_file_sync (SaAttachmentStore  *self,
                                                      GFile              *file,
                                                      GCancellable       *cancellable,
                                                      GError            **error);
void               sa_attachment_store_add_file_async (SaAttachmentStore *self,
                                                      GFile              *file,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
char              *sa_attachment_store_add_file_finish (SaAttachmentStore *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);
gboolean           sa_attachment_store_put_bytes_sync (SaAttachmentStore *self,
                                                      const char         *sha256,
                                                      GBytes             *bytes,
                                                      GError            **error);
void               sa_attachment_store_put_bytes_async (SaAttachmentStore *self,
                                                      const char         *sha256,
                                                      GBytes             *bytes,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
gboolean           sa_attachment_store_put_bytes_finish (SaAttachmentStore *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);

GFile             *sa_attachment_store_lookup        (SaAttachmentStore  *self,
                                                      const char         *sha256,
                                                      goffset            *out_size,
                                                      const char        **out_content_type);
GFile             *sa_attachment_store_open_file     (SaAttachmentStore  *self,
                                                      const char         *sha256,
                                                      GError            **error);
gboolean           sa_attachment_store_is_pending    (SaAttachmentStore  *self,
                                                      const char         *sha256);
GStrv              sa_attachment_store_list_pending  (SaAttachmentStore  *self);
gboolean           sa_attachment_store_mark_uploaded (SaAttachmentStore  *self,
                                                      const char         *sha256,
                                                      GError            **error);
guint              sa_attachment_store_trim          (SaAttachmentStore  *self,
                                                      goffset             max_bytes);
void               sa_attachment_store_delete_dir    (const char         *dir);

G_END_DECLS
