/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-attachment-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sa-attachment-store.h"

/**
 * SECTION:sa-attachment-store
 * @title: SaAttachmentStore
 * @short_description: the desk's files of attachments, named by their hash
 *
 * A directory beside the account's cache holds the files the user attached
 * and the registry has not acknowledged yet, and the files downloaded to be
 * opened, content-addressed like the registry's own store: `ab/cdef…` (the
 * first two hex digits of the SHA-256 as a directory). A file waiting to be
 * uploaded also has a marker `pending/<sha256>`; the sync engine uploads it
 * before it pushes the `attach` op that names it, then drops the marker.
 * Files are written to a temporary file, `fsync`ed and renamed before the op
 * is written to the outbox, so a crash leaves no op without its file.
 *
 * Applicants' photos and documents: directories 0700, files 0600.
 *
 * The size limit and the type rule are the registry's too
 * (%SA_ATTACHMENT_MAX_SIZE, sa_attachment_sniff_type()): one rule, so the
 * desk refuses at once what the registry would refuse later.
 */

struct _SaAttachmentStore
{
  GObject  parent_instance;
  char    *dir;
};

G_DEFINE_FINAL_TYPE (SaAttachmentStore, sa_attachment_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (sa-attachment-error-quark, sa_attachment_error)

#define PENDING_DIR "pending"
#define OPEN_DIR    "open"

/**
 * sa_attachment_sniff_type:
 * @data: the file's first bytes (or all of them)
 * @len: how many
 *
 * The type of a file as the registry judges it: by its magic bytes alone,
 * never its name or a declared type.
 *
 * Returns: (nullable): `image/jpeg`, `image/png`, `image/webp` or
 *   `application/pdf`, or %NULL for any other content
 */
const char *
sa_attachment_sniff_type (const guint8 *data,
                          gsize         len)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (data == NULL)
    return NULL;
  if (len >= sizeof png && memcmp (data, png, sizeof png) == 0)
    return "image/png";
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "image/jpeg";
  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  if (len >= 5 && memcmp (data, "%PDF-", 5) == 0)
    return "application/pdf";
  return NULL;
}

/**
 * sa_attachment_is_sha256:
 * @text: (nullable): a string
 *
 * Returns: whether @text is a SHA-256 as the API writes it: 64 lowercase
 *   hex digits
 */
gboolean
sa_attachment_is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

/**
 * sa_attachment_type_extension:
 * @content_type: (nullable): a type sa_attachment_sniff_type() returns
 *
 * Returns: (nullable): the file name extension of @content_type, without the dot
 */
const char *
sa_attachment_type_extension (const char *content_type)
{
  if (g_strcmp0 (content_type, "image/jpeg") == 0)
    return "jpg";
  if (g_strcmp0 (content_type, "image/png") == 0)
    return "png";
  if (g_strcmp0 (content_type, "image/webp") == 0)
    return "webp";
  if (g_strcmp0 (content_type, "application/pdf") == 0)
    return "pdf";
  return NULL;
}

static void
sa_attachment_store_finalize (GObject *object)
{
  SaAttachmentStore *self = SA_ATTACHMENT_STORE (object);

  g_free (self->dir);
  G_OBJECT_CLASS (sa_attachment_store_parent_class)->finalize (object);
}

static void
sa_attachment_store_class_init (SaAttachmentStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sa_attachment_store_finalize;
}

static void
sa_attachment_store_init (SaAttachmentStore *self)
{
}

/**
 * sa_attachment_store_new:
 * @dir: the store's directory; made (0700) when a file is first stored
 *
 * Returns: (transfer full): a store of files in @dir
 */
SaAttachmentStore *
sa_attachment_store_new (const char *dir)
{
  SaAttachmentStore *self;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (SA_TYPE_ATTACHMENT_STORE, NULL);
  self->dir = g_strdup (dir);
  return self;
}

/**
 * sa_attachment_store_new_for_cache:
 * @cache: an account's cache
 *
 * The store of @cache's account: `attachments/` in the cache's private
 * directory, so that it goes with the account at sign-out.
 *
 * Returns: (transfer full): the account's store
 */
SaAttachmentStore *
sa_attachment_store_new_for_cache (SaCache *cache)
{
  g_autofree char *parent = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (SA_IS_CACHE (cache), NULL);

  parent = g_path_get_dirname (sa_cache_get_path (cache));
  dir = g_build_filename (parent, "attachments", NULL);
  return sa_attachment_store_new (dir);
}

const char *
sa_attachment_store_get_dir (SaAttachmentStore *self)
{
  g_return_val_if_fail (SA_IS_ATTACHMENT_STORE (self), NULL);
  return self->dir;
}

static char *
blob_path (SaAttachmentStore *self,
           const char        *sha256)
{
  char sub[3] = { sha256[0], sha256[1], '\0' };

  return g_build_filename (self->dir, sub, sha256 + 2, NULL);
}

static char *
marker_path (SaAttachmentStore *self,
             const char        *sha256)
{
  return g_build_filename (self->dir, PENDING_DIR, sha256, NULL);
}

static gboolean
fail_errno (GError    **error,
            int         saved,
            const char *what,
            const char *path)
{
  g_set_error (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_FAILED,
               "Cannot %s %s: %s", what, path, g_strerror (saved));
  return FALSE;
}

/* 0700 whatever the umask; an existing directory is tightened. */
static gboolean
ensure_private_dir (const char  *dir,
                    GError     **error)
{
  GStatBuf st;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return fail_errno (error, errno, "create", dir);
  if (g_stat (dir, &st) != 0)
    return fail_errno (error, errno, "read", dir);
  if ((st.st_mode & 077) != 0 && g_chmod (dir, 0700) != 0)
    return fail_errno (error, errno, "protect", dir);
  return TRUE;
}

static void
sync_dir (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* A temporary file in the same directory, written, fsync'ed when
 * @durable, renamed: a crash leaves the whole file or none. */
static gboolean
write_atomically (const char    *path,
                  const guint8  *data,
                  gsize          len,
                  gboolean       durable,
                  GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = g_build_filename (dir, ".tmp-XXXXXX", NULL);
  gsize done = 0;
  int saved = 0;
  int fd;

  if (!ensure_private_dir (dir, error))
    return FALSE;
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail_errno (error, errno, "create a file in", dir);
  while (done < len)
    {
      gssize n = write (fd, data + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          saved = n < 0 ? errno : EIO;
          break;
        }
      done += n;
    }
  if (saved == 0 && durable && fsync (fd) != 0)
    saved = errno;
  if (close (fd) != 0 && saved == 0)
    saved = errno;
  if (saved == 0 && g_rename (tmp, path) != 0)
    saved = errno;
  if (saved != 0)
    {
      g_unlink (tmp);
      return fail_errno (error, saved, "write", path);
    }
  if (durable)
    sync_dir (dir);
  return TRUE;
}

static gboolean
store_bytes (SaAttachmentStore  *self,
             const char         *sha256,
             const guint8       *data,
             gsize               len,
             gboolean            durable,
             GError            **error)
{
  g_autofree char *path = blob_path (self, sha256);
  GStatBuf st;

  if (!ensure_private_dir (self->dir, error))
    return FALSE;
  /* Same name, same size: the same bytes, written whole before (files
   * only ever appear by rename). */
  if (g_stat (path, &st) == 0 && (gsize) st.st_size == len)
    return TRUE;
  return write_atomically (path, data, len, durable, error);
}

static gboolean
check_content (const guint8  *data,
               gsize          len,
               GError       **error)
{
  if (len == 0)
    {
      g_set_error_literal (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_EMPTY,
                           "The file is empty");
      return FALSE;
    }
  if (len > SA_ATTACHMENT_MAX_SIZE)
    {
      g_set_error (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_TOO_LARGE,
                   "The file is larger than %u MiB", SA_ATTACHMENT_MAX_SIZE / (1024 * 1024));
      return FALSE;
    }
  if (sa_attachment_sniff_type (data, len) == NULL)
    {
      g_set_error_literal (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_UNSUPPORTED_TYPE,
                           "Only JPEG, PNG and WebP photos and PDF documents can be attached");
      return FALSE;
    }
  return TRUE;
}

/**
 * sa_attachment_store_add_file_sync:
 * @self: a #SaAttachmentStore
 * @file: the file the user chose
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Copies @file into the store, durably, marked as waiting to be uploaded.
 * Blocks on I/O and hashing: run it on a worker thread.
 *
 * Returns: (transfer full): the file's SHA-256, or %NULL with @error set
 *   (%SA_ATTACHMENT_ERROR_TOO_LARGE before anything is read, or another
 *   %SA_ATTACHMENT_ERROR)
 */
char *
sa_attachment_store_add_file_sync (SaAttachmentStore  *self,
                                   GFile              *file,
                                   GCancellable       *cancellable,
                                   GError            **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GChecksum) sum = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *data = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *marker = NULL;
  goffset size;
  gsize len = 0;

  g_return_val_if_fail (SA_IS_ATTACHMENT_STORE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &local_error);
  if (info == NULL)
    {
      g_set_error (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_FAILED,
                   "Cannot read the file: %s", local_error->message);
      return NULL;
    }
  /* Refused before a byte is read: a 2 GB video must not be loaded. */
  size = g_file_info_get_size (info);
  if (size > SA_ATTACHMENT_MAX_SIZE)
    {
      g_set_error (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_TOO_LARGE,
                   "The file is larger than %u MiB", SA_ATTACHMENT_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  in = g_file_read (file, cancellable, &local_error);
  if (in == NULL)
    {
      g_set_error (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_FAILED,
                   "Cannot read the file: %s", local_error->message);
      return NULL;
    }
  /* One byte more than the limit: a file that grew since is caught. */
  data = g_malloc (SA_ATTACHMENT_MAX_SIZE + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), data, SA_ATTACHMENT_MAX_SIZE + 1, &len,
                                cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_FAILED,
                     "Cannot read the file: %s", local_error->message);
      return NULL;
    }
  if (!check_content (data, len, error))
    return NULL;

  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, data, len);
  sha256 = g_strdup (g_checksum_get_string (sum));
  if (!store_bytes (self, sha256, data, len, TRUE, error))
    return NULL;

  marker = marker_path (self, sha256);
  if (!write_atomically (marker, (const guint8 *) "", 0, TRUE, error))
    return NULL;
  return g_steal_pointer (&sha256);
}

static void
add_file_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  char *sha256 = sa_attachment_store_add_file_sync (source, task_data, cancellable, &error);

  if (sha256 != NULL)
    g_task_return_pointer (task, sha256, g_free);
  else
    g_task_return_error (task, error);
}

/**
 * sa_attachment_store_add_file_async:
 * @self: a #SaAttachmentStore
 * @file: the file the user chose
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when it is stored or refused
 * @user_data: data for @callback
 *
 * sa_attachment_store_add_file_sync() on a worker thread.
 */
void
sa_attachment_store_add_file_async (SaAttachmentStore   *self,
                                    GFile               *file,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SA_IS_ATTACHMENT_STORE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_attachment_store_add_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, add_file_thread);
}

/**
 * sa_attachment_store_add_file_finish:
 * @self: a #SaAttachmentStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the file's SHA-256, or %NULL with @error set
 */
char *
sa_attachment_store_add_file_finish (SaAttachmentStore  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sa_attachment_store_put_bytes_sync:
 * @self: a #SaAttachmentStore
 * @sha256: the SHA-256 the bytes were fetched for
 * @bytes: the file's bytes, as downloaded
 * @error: return location for a #GError
 *
 * Keeps a downloaded file, to open it now and again later without the
 * network. Bytes that are not @sha256's (%SA_ATTACHMENT_ERROR_MISMATCH) or
 * break the limit or the type rule are refused and nothing is written.
 *
 * Returns: whether the file is stored
 */
gboolean
sa_attachment_store_put_bytes_sync (SaAttachmentStore  *self,
                                    const char         *sha256,
                                    GBytes             *bytes,
                                    GError            **error)
{
  g_autoptr(GChecksum) sum = NULL;
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (SA_IS_ATTACHMENT_STORE (self), FALSE);
  g_return_val_if_fail (sa_attachment_is_sha256 (sha256), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  data = g_bytes_get_data (bytes, &len);
  if (!check_content (data, len, error))
    return FALSE;
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, data, len);
  if (strcmp (g_checksum_get_string (sum), sha256) != 0)
    {
      g_set_error_literal (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_MISMATCH,
                           "The file was changed or cut short on the way");
      return FALSE;
    }
  /* A copy of the registry's: no fsync, it can be fetched again. */
  return store_bytes (self, sha256, data, len, FALSE, error);
}

static void
put_bytes_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  const char *sha256 = g_object_get_data (G_OBJECT (task), "sha256");
  GError *error = NULL;

  if (sa_attachment_store_put_bytes_sync (source, sha256, bytes, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * sa_attachment_store_put_bytes_async:
 * @self: a #SaAttachmentStore
 * @sha256: the SHA-256 the bytes were fetched for
 * @bytes: the file's bytes
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when stored or refused
 * @user_data: data for @callback
 *
 * sa_attachment_store_put_bytes_sync() on a worker thread.
 */
void
sa_attachment_store_put_bytes_async (SaAttachmentStore   *self,
                                     const char          *sha256,
                                     GBytes              *bytes,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SA_IS_ATTACHMENT_STORE (self));
  g_return_if_fail (sa_attachment_is_sha256 (sha256));
  g_return_if_fail (bytes != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_attachment_store_put_bytes_async);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_object_set_data_full (G_OBJECT (task), "sha256", g_strdup (sha256), g_free);
  g_task_run_in_thread (task, put_bytes_thread);
}

gboolean
sa_attachment_store_put_bytes_finish (SaAttachmentStore  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * sa_attachment_store_lookup:
 * @self: a #SaAttachmentStore
 * @sha256: a file's SHA-256
 * @out_size: (out) (optional): its size
 * @out_content_type: (out) (optional) (transfer none): its type, judged by its content
 *
 * Reads a file's first bytes: cheap enough for the main thread.
 *
 * Returns: (transfer full) (nullable): the stored file, or %NULL when the
 *   store does not hold it
 */
GFile *
sa_attachment_store_lookup (SaAttachmentStore  *self,
                            const char         *sha256,
                            goffset            *out_size,
                            const char        **out_content_type)
{
  g_autofree char *path = NULL;
  guint8 head[16];
  GStatBuf st;
  gssize n;
  int fd;

  g_return_val_if_fail (SA_IS_ATTACHMENT_STORE (self), NULL);

  if (!sa_attachment_is_sha256 (sha256))
    return NULL;
  path = blob_path (self, sha256);
  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return NULL;
  if (out_size != NULL)
    *out_size = st.st_size;
  if (out_content_type != NULL)
    {
      fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
      n = fd >= 0 ? read (fd, head, sizeof head) : -1;
      if (fd >= 0)
        close (fd);
      *out_content_type = n > 0 ? sa_attachment_sniff_type (head, n) : NULL;
    }
  return g_file_new_for_path (path);
}

/**
 * sa_attachment_store_open_file:
 * @self: a #SaAttachmentStore
 * @sha256: a stored file's SHA-256
 * @error: return location for a #GError
 *
 * A name to hand the file to another application by: `open/<sha256>.<ext>`,
 * a link to the stored file whose extension says its type (the name the
 * user gave is never used as a path).
 *
 * Returns: (transfer full): the file to open, or %NULL with @error set
 */
GFile *
sa_attachment_store_open_file (SaAttachmentStore  *self,
                               const char         *sha256,
                               GError            **error)
{
  g_autoptr(GFile) blob = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *leaf = NULL;
  g_autofree char *path = NULL;
  const char *type = NULL;

  g_return_val_if_fail (SA_IS_ATTACHMENT_STORE (self), NULL);

  blob = sa_attachment_store_lookup (self, sha256, NULL, &type);
  if (blob == NULL || type == NULL)
    {
      g_set_error_literal (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_NOT_FOUND,
                           "The file is not on this computer");
      return NULL;
    }
  dir = g_build_filename (self->dir, OPEN_DIR, NULL);
  if (!ensure_private_dir (dir, error))
    return NULL;
  leaf = g_strconcat (sha256, ".", sa_attachment_type_extension (type), NULL);
  path = g_build_filename (dir, leaf, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *blob_name = g_file_get_path (blob);

      if (link (blob_name, path) != 0 && errno != EEXIST)
        {
          fail_errno (error, errno, "link", path);
          return NULL;
        }
    }
  return g_file_new_for_path (path);
}

/**
 * sa_attachment_store_is_pending:
 * @self: a #SaAttachmentStore
 * @sha256: a file's SHA-256
 *
 * Returns: whether the file waits to be uploaded
 */
gboolean
sa_attachment_store_is_pending (SaAttachmentStore *self,
                                const char        *sha256)
{
  g_autofree char *marker = NULL;

  g_return_val_if_fail (SA_IS_ATTACHMENT_STORE (self), FALSE);

  if (!sa_attachment_is_sha256 (sha256))
    return FALSE;
  marker = marker_path (self, sha256);
  return g_file_test (marker, G_FILE_TEST_EXISTS);
}

/**
 * sa_attachment_store_list_pending:
 * @self: a #SaAttachmentStore
 *
 * Returns: (transfer full): the SHA-256 of every file waiting to be uploaded
 */
GStrv
sa_attachment_store_list_pending (SaAttachmentStore *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (SA_IS_ATTACHMENT_STORE (self), NULL);

  dir_path = g_build_filename (self->dir, PENDING_DIR, NULL);
  dir = g_dir_open (dir_path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (sa_attachment_is_sha256 (name))
      g_strv_builder_add (builder, name);
  return g_strv_builder_end (builder);
}

/**
 * sa_attachment_store_mark_uploaded:
 * @self: a #SaAttachmentStore
 * @sha256: a file's SHA-256
 * @error: return location for a #GError
 *
 * The registry holds the file: it no longer waits. The bytes stay, so that
 * the file opens without downloading it.
 *
 * Returns: whether the marker is gone
 */
gboolean
sa_attachment_store_mark_uploaded (SaAttachmentStore  *self,
                                   const char         *sha256,
                                   GError            **error)
{
  g_autofree char *marker = NULL;

  g_return_val_if_fail (SA_IS_ATTACHMENT_STORE (self), FALSE);
  g_return_val_if_fail (sa_attachment_is_sha256 (sha256), FALSE);

  marker = marker_path (self, sha256);
  if (g_unlink (marker) != 0 && errno != ENOENT)
    return fail_errno (error, errno, "remove", marker);
  return TRUE;
}

typedef struct
{
  char   *sha256;
  gint64  mtime;
  goffset size;
} Blob;

static int
blob_older_first (gconstpointer a,
                  gconstpointer b)
{
  const Blob *x = a, *y = b;

  return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

/**
 * sa_attachment_store_trim:
 * @self: a #SaAttachmentStore
 * @max_bytes: how much the downloaded files may take
 *
 * Removes downloaded (or uploaded) files, oldest first, until the rest
 * fit in @max_bytes. A file waiting to be uploaded is never removed.
 *
 * Returns: how many files were removed
 */
guint
sa_attachment_store_trim (SaAttachmentStore *self,
                          goffset            max_bytes)
{
  g_autoptr(GArray) blobs = g_array_new (FALSE, FALSE, sizeof (Blob));
  g_autoptr(GDir) top = NULL;
  const char *sub;
  goffset total = 0;
  guint removed = 0;

  g_return_val_if_fail (SA_IS_ATTACHMENT_STORE (self), 0);

  top = g_dir_open (self->dir, 0, NULL);
  while (top != NULL && (sub = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *sub_path = NULL;
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (strlen (sub) != 2 || !g_ascii_isxdigit (sub[0]) || !g_ascii_isxdigit (sub[1]))
        continue;
      sub_path = g_build_filename (self->dir, sub, NULL);
      dir = g_dir_open (sub_path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *sha256 = g_strconcat (sub, name, NULL);
          g_autofree char *path = NULL;
          GStatBuf st;
          Blob blob;

          if (!sa_attachment_is_sha256 (sha256))
            continue;
          path = g_build_filename (sub_path, name, NULL);
          if (g_stat (path, &st) != 0)
            continue;
          total += st.st_size;
          if (sa_attachment_store_is_pending (self, sha256))
            continue;
          blob.sha256 = g_steal_pointer (&sha256);
          blob.mtime = st.st_mtime;
          blob.size = st.st_size;
          g_array_append_val (blobs, blob);
        }
    }

  g_array_sort (blobs, blob_older_first);
  for (guint i = 0; i < blobs->len; i++)
    {
      Blob *blob = &g_array_index (blobs, Blob, i);

      if (total > max_bytes)
        {
          g_autofree char *path = blob_path (self, blob->sha256);

          if (g_unlink (path) == 0)
            {
              const char *exts[] = { "jpg", "png", "webp", "pdf" };

              total -= blob->size;
              removed++;
              for (guint j = 0; j < G_N_ELEMENTS (exts); j++)
                {
                  g_autofree char *leaf = g_strconcat (blob->sha256, ".", exts[j], NULL);
                  g_autofree char *link_path = g_build_filename (self->dir, OPEN_DIR, leaf,
                                                                 NULL);
                  g_unlink (link_path);
                }
            }
        }
      g_free (blob->sha256);
    }
  return removed;
}

/* The files of one of the store's own directories, then the directory. */
static void
delete_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        g_unlink (path);
    }
  g_rmdir (dir);
}

static gboolean
is_hex_pair (const char *name)
{
  return strlen (name) == 2 && g_ascii_isxdigit (name[0]) && g_ascii_isxdigit (name[1]);
}

/**
 * sa_attachment_store_delete_dir:
 * @dir: a store's directory
 *
 * Removes a store and every file in it, as the account goes at sign-out.
 * Only what a store writes is removed (its hash directories, `pending/`,
 * `open/`, temporary files), never anything else someone put there.
 */
void
sa_attachment_store_delete_dir (const char *dir)
{
  g_autoptr(GDir) top = NULL;
  const char *name;

  g_return_if_fail (dir != NULL);

  top = g_dir_open (dir, 0, NULL);
  while (top != NULL && (name = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (is_hex_pair (name) || g_str_equal (name, PENDING_DIR) || g_str_equal (name, OPEN_DIR))
        delete_files (path);
      else if (g_str_has_prefix (name, ".tmp-"))
        g_unlink (path);
    }
  g_rmdir (dir);
}
