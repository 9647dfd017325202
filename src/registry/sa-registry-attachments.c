/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-attachments"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "sa-attachment-store.h"
#include "sa-registry-store.h"

/* Files are content-addressed: the SHA-256 of the bytes is the name. The
 * bytes live on disk beside the database, in attachments/ab/cdef… (the
 * first two hex digits as a directory, so no directory grows past a few
 * thousand entries), written to a temporary file, fsync'ed and renamed,
 * so a crash leaves either the whole file or none. SQLite keeps what a
 * file is (type, size) and which appeals link it; a 10 MiB blob in the
 * database would make every backup and WAL checkpoint carry it.
 *
 * The type is judged by the content (magic bytes) alone. A declared
 * Content-Type that is absent or application/octet-stream is ignored;
 * any other declared type must name what the content is (415 if not),
 * which catches a client that mixed up its files. */

#define THUMBNAIL_SIZE       256
/* What one thumbnail decode may allocate, as decode_cost() counts it;
 * THUMBNAIL_THREADS decodes run at a time. */
#define DECODE_BUDGET        (64 * 1024 * 1024)
#define THUMBNAIL_THREADS    2
#define CACHE_CONTROL        "private, max-age=31536000, immutable"

static const char *
pixbuf_loader_type (const char *content_type)
{
  if (g_strcmp0 (content_type, "image/png") == 0)
    return "png";
  if (g_strcmp0 (content_type, "image/jpeg") == 0)
    return "jpeg";
  if (g_strcmp0 (content_type, "image/webp") == 0)
    return "webp";
  return NULL;
}

static char *
blob_path (const char *dir,
           const char *sha256,
           const char *suffix)
{
  char sub[3] = { sha256[0], sha256[1], '\0' };
  g_autofree char *leaf = g_strconcat (sha256 + 2, suffix, NULL);

  return g_build_filename (dir, sub, leaf, NULL);
}

/* Applicants' photos and documents: directories 0700, files 0600,
 * whatever the umask. An attachments/ directory an older registry made
 * 0750 is tightened, which closes everything below it. */
static gboolean
ensure_private_dir (const char  *dir,
                    GError     **error)
{
  GStatBuf st;
  int saved;

  if (g_mkdir (dir, 0700) == 0)
    return TRUE;
  saved = errno;
  if (saved == EEXIST && g_stat (dir, &st) == 0 && S_ISDIR (st.st_mode))
    {
      if ((st.st_mode & 077) == 0 || g_chmod (dir, 0700) == 0)
        return TRUE;
      saved = errno;
    }
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "Cannot create %s as a private directory: %s", dir, g_strerror (saved));
  return FALSE;
}

/* Writes @data to @path (@root/ab/cdef…) atomically: a temporary file in
 * the same directory, fsync (when @durable), rename, fsync of the
 * directory. */
static gboolean
write_atomically (const char    *root,
                  const char    *path,
                  const guint8  *data,
                  gsize          len,
                  gboolean       durable,
                  GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = g_build_filename (dir, ".upload-XXXXXX", NULL);
  gsize done = 0;
  gboolean ok;
  int saved = 0;
  int fd;

  if (!ensure_private_dir (root, error) || !ensure_private_dir (dir, error))
    return FALSE;
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot create a file in %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  while (done < len)
    {
      gssize n = write (fd, data + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  ok = done == len && (!durable || fsync (fd) == 0);
  if (!ok)
    saved = errno != 0 ? errno : EIO;
  if (close (fd) != 0 && ok)
    {
      ok = FALSE;
      saved = errno;
    }
  if (ok && g_rename (tmp, path) != 0)
    {
      ok = FALSE;
      saved = errno;
    }
  if (!ok)
    {
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot write %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (durable)
    {
      /* The rename is only durable once the directory is. */
      int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

      if (dfd >= 0)
        {
          fsync (dfd);
          close (dfd);
        }
    }
  return TRUE;
}

static void
set_file_headers (SaRequest  *req,
                  const char *etag)
{
  sa_request_set_header (req, "ETag", etag);
  sa_request_set_header (req, "Cache-Control", CACHE_CONTROL);
  /* User content: never let a browser guess a type or run a script. */
  sa_request_set_header (req, "X-Content-Type-Options", "nosniff");
  sa_request_set_header (req, "Content-Security-Policy", "sandbox");
}

static gboolean
etag_matches (SaRequest  *req,
              const char *etag)
{
  const char *inm;

  inm = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                      "If-None-Match");
  return inm != NULL && (strstr (inm, etag) != NULL || strcmp (inm, "*") == 0);
}

/* Upload */

typedef struct
{
  SaRequest *req;
  GBytes    *body;
  char      *sha256;
  char      *declared;
  char      *dir;
  /* set by the worker: */
  guint       status;
  const char *code;
  char       *message;
  const char *content_type;
} Upload;

static void
upload_free (Upload *up)
{
  g_bytes_unref (up->body);
  g_free (up->sha256);
  g_free (up->declared);
  g_free (up->dir);
  g_free (up->message);
  g_free (up);
}

static void
upload_fail (Upload     *up,
             guint       status,
             const char *code,
             const char *message)
{
  up->status = status;
  up->code = code;
  up->message = g_strdup (message);
}

/* On a worker thread: a 10 MiB hash and fsync would stall every other
 * client on the main loop. Touches files only, never the database. */
static void
upload_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Upload *up = task_data;
  gsize len;
  const guint8 *data = g_bytes_get_data (up->body, &len);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_checksum_update (sum, data, len);
  if (strcmp (g_checksum_get_string (sum), up->sha256) != 0)
    {
      upload_fail (up, SOUP_STATUS_BAD_REQUEST, "hash_mismatch",
                   "The SHA-256 of the body is not the one in the path; the file was changed "
                   "or cut short on the way. Upload it again.");
      return;
    }
  up->content_type = sa_attachment_sniff_type (data, len);
  if (up->content_type == NULL)
    {
      upload_fail (up, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                   "Only JPEG, PNG and WebP photos and PDF documents can be attached.");
      return;
    }
  if (up->declared != NULL && g_ascii_strcasecmp (up->declared, "application/octet-stream") != 0 &&
      g_ascii_strcasecmp (up->declared, up->content_type) != 0)
    {
      g_autofree char *message = g_strdup_printf ("The file is %s but was sent as %s; send "
                                                  "it as %s or as application/octet-stream.",
                                                  up->content_type, up->declared,
                                                  up->content_type);

      upload_fail (up, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "type_mismatch", message);
      return;
    }

  path = blob_path (up->dir, up->sha256, "");
  /* Same name, same size: the same bytes, written whole by an earlier
   * upload (files only ever appear by rename). */
  if (g_stat (path, &st) == 0 && (gsize) st.st_size == len)
    return;
  if (!write_atomically (up->dir, path, data, len, TRUE, &error))
    {
      g_warning ("Cannot store an attachment: %s", error->message);
      upload_fail (up, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                   "The registry could not store the file; nothing was changed. Try again "
                   "later.");
    }
}

static void
upload_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Upload *up = g_task_get_task_data (G_TASK (result));
  SaRequest *req = up->req;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  gint64 now = _sa_registry_now ();
  gboolean created = FALSE;

  if (up->status != 0)
    {
      sa_request_reply_error (req, up->status, up->code, up->message);
      return;
    }

  if (!sa_store_upload_record (req->db, up->sha256, up->content_type, g_bytes_get_size (up->body),
                               req->user->login, now, &created, &error))
    {
      sa_request_reply_gerror (req, error);
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, up->sha256);
  json_builder_set_member_name (b, "content_type");
  json_builder_add_string_value (b, up->content_type);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, g_bytes_get_size (up->body));
  json_builder_end_object (b);
  location = g_strconcat (SA_REGISTRY_ATTACHMENTS_PREFIX, up->sha256, NULL);
  sa_request_set_header (req, "Location", location);
  sa_request_reply_builder (req, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, b);
}

static void
upload_handler (SaRequest *req)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *dir = NULL;
  SaRole role = req->user->role;
  const char *declared;
  Upload *up;

  if (!sa_attachment_is_sha256 (req->param))
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_hash",
                              "The path must end in the file's SHA-256 as 64 lowercase hex "
                              "digits.");
      return;
    }
  /* Files are for those who work on appeals or register them. */
  if (role == SA_ROLE_CURATOR || role == SA_ROLE_ADMIN)
    {
      sa_request_reply_error (req, SOUP_STATUS_FORBIDDEN, "forbidden",
                              "Your role cannot add files to appeals.");
      return;
    }
  body = soup_message_body_flatten (soup_server_message_get_request_body (req->msg));
  if (g_bytes_get_size (body) == 0)
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "empty",
                              "Send the file's bytes as the body.");
      return;
    }
  if (g_bytes_get_size (body) > SA_ATTACHMENT_MAX_SIZE)
    {
      sa_request_reply_error (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                              "The file is larger than 10 MiB.");
      return;
    }
  dir = sa_store_attachments_dir (req->db);
  if (dir == NULL)
    {
      sa_request_reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "no_storage",
                              "This registry runs without a database file and cannot keep "
                              "files.");
      return;
    }
  declared = soup_message_headers_get_content_type (
      soup_server_message_get_request_headers (req->msg), NULL);

  up = g_new0 (Upload, 1);
  up->req = req;
  up->body = g_steal_pointer (&body);
  up->sha256 = g_strdup (req->param);
  up->declared = g_strdup (declared);
  up->dir = g_steal_pointer (&dir);

  sa_request_pause (req);
  task = g_task_new (NULL, NULL, upload_done, NULL);
  g_task_set_source_tag (task, upload_handler);
  g_task_set_task_data (task, up, (GDestroyNotify) upload_free);
  g_task_run_in_thread (task, upload_thread);
}

/* Download */

/* The type and size of a file @req's user may see: one linked to at
 * least one appeal they see. A missing file answers the same. */
static gboolean
lookup_visible (SaRequest  *req,
                char      **content_type,
                gint64     *size)
{
  if (!sa_attachment_is_sha256 (req->param))
    return FALSE;
  return sa_store_attachment_visible (req->db, req->user, req->param, content_type, size);
}

static void
reply_not_found (SaRequest *req)
{
  sa_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "There is no such file.");
}

static void
download_handler (SaRequest *req)
{
  g_autofree char *content_type = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 size = 0;

  if (!lookup_visible (req, &content_type, &size) ||
      (dir = sa_store_attachments_dir (req->db)) == NULL)
    {
      reply_not_found (req);
      return;
    }
  etag = g_strdup_printf ("\"%s\"", req->param);
  set_file_headers (req, etag);
  if (etag_matches (req, etag))
    {
      sa_request_reply_bytes (req, SOUP_STATUS_NOT_MODIFIED, NULL, NULL);
      return;
    }

  /* Mapped rather than read: libsoup writes it out page by page. */
  path = blob_path (dir, req->param, "");
  mapped = g_mapped_file_new (path, FALSE, &error);
  if (mapped == NULL || (gint64) g_mapped_file_get_length (mapped) != size)
    {
      g_warning ("Attachment %s is listed but its file is missing or damaged: %s", req->param,
                 error != NULL ? error->message : "wrong size");
      sa_request_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                              "The registry cannot read this file now; tell its administrator.");
      return;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  sa_request_reply_bytes (req, SOUP_STATUS_OK, content_type, bytes);
}

/* Thumbnails
 *
 * Decode memory is bounded by what the decoder will allocate, refused
 * before it allocates it. gdk-pixbuf 2.42's own limit is libjpeg's
 * max_memory_to_use, which io-jpeg.c sets to 1 GiB itself (after reading
 * the header, so neither JPEGMEM nor anything else outside can lower
 * it), and PNG and WebP have none. What the loaders allocate is known
 * from the image's header:
 * - PNG and WebP decode whole, at most 4 bytes a pixel, then scale: the
 *   size that "size-prepared" reports, before the loader allocates;
 * - JPEG decodes at 1/2…1/8 scale into a pixbuf of the scaled size; but
 *   a progressive or multi-scan JPEG also keeps every DCT coefficient of
 *   the whole image (libjpeg's whole-image coefficient arrays, 128 bytes
 *   per 8×8 block of each component, whatever the scale) — a 15000² px
 *   progressive JPEG of 1 MB needs 450 MB. "size-prepared" cannot tell,
 *   so the frame and first scan headers are read here first, as libjpeg
 *   reads them.
 * An image over DECODE_BUDGET gets gdk_pixbuf_loader_set_size (0, 0) in
 * "size-prepared", the way gdk_pixbuf_get_file_info() stops a loader:
 * each loader then fails before allocating its pixbuf. */

typedef struct
{
  guint    width;
  guint    height;
  guint    n_components;
  /* progressive, or a first scan without every component: libjpeg then
   * keeps the whole image's coefficients */
  gboolean whole_image;
  guint64  coefficient_bytes;
} JpegFrame;

/* One decode's state, for "size-prepared". */
typedef struct
{
  const char *loader_type;
  JpegFrame   jpeg;
  gboolean    too_big;
} Decode;

typedef struct
{
  SaRequest *req;
  char      *dir;
  char      *path;
  char      *thumb_path;
  char      *content_type;
  /* set by the worker: */
  GBytes     *thumb;
  const char *thumb_type;
} Thumb;

static void
thumb_free (Thumb *t)
{
  g_free (t->dir);
  g_free (t->path);
  g_free (t->thumb_path);
  g_free (t->content_type);
  g_clear_pointer (&t->thumb, g_bytes_unref);
  g_free (t);
}

static guint
read_be16 (const guint8 *p)
{
  return ((guint) p[0] << 8) | p[1];
}

/* Reads a JPEG's markers up to its first scan header, as libjpeg's
 * jpeg_read_header() does, and works out the coefficient arrays libjpeg
 * 2.1 will allocate (jdinput.c initial_setup, jdcoefct.c
 * jinit_d_coef_controller). FALSE for anything libjpeg would refuse or
 * only take with a warning (stray bytes between markers, a second frame
 * header): no thumbnail then, rather than a guess. */
static gboolean
jpeg_read_frame (const guint8 *data,
                 gsize         len,
                 JpegFrame    *frame)
{
  guint h_samp[4], v_samp[4];
  guint max_h = 1, max_v = 1;
  gboolean progressive = FALSE;
  gboolean have_frame = FALSE;
  gsize off = 2;

  memset (frame, 0, sizeof *frame);
  if (len < 4 || data[0] != 0xff || data[1] != 0xd8)
    return FALSE;
  for (;;)
    {
      const guint8 *seg;
      guint marker, seg_len;

      if (off >= len || data[off] != 0xff)
        return FALSE;
      while (off < len && data[off] == 0xff)
        off++;
      if (off >= len)
        return FALSE;
      marker = data[off++];
      /* RSTn and TEM stand alone; libjpeg ignores them here. */
      if ((marker >= 0xd0 && marker <= 0xd7) || marker == 0x01)
        continue;
      /* A second SOI, EOI before any scan, or a stuffed zero. */
      if (marker == 0xd8 || marker == 0xd9 || marker == 0x00)
        return FALSE;
      if (off + 2 > len)
        return FALSE;
      seg_len = read_be16 (data + off);
      if (seg_len < 2 || off + seg_len > len)
        return FALSE;
      seg = data + off + 2;
      seg_len -= 2;
      off += 2 + seg_len;

      switch (marker)
        {
        case 0xc0: case 0xc1: case 0xc2:
          /* Huffman-coded baseline, extended and progressive frames. */
          if (have_frame || seg_len < 6)
            return FALSE;
          have_frame = TRUE;
          progressive = marker == 0xc2;
          frame->height = read_be16 (seg + 1);
          frame->width = read_be16 (seg + 3);
          frame->n_components = seg[5];
          if (seg[0] != 8 || frame->width == 0 || frame->height == 0 ||
              frame->n_components < 1 || frame->n_components > G_N_ELEMENTS (h_samp) ||
              seg_len != 6 + 3 * frame->n_components)
            return FALSE;
          for (guint i = 0; i < frame->n_components; i++)
            {
              h_samp[i] = seg[7 + 3 * i] >> 4;
              v_samp[i] = seg[7 + 3 * i] & 0x0f;
              if (h_samp[i] < 1 || h_samp[i] > 4 || v_samp[i] < 1 || v_samp[i] > 4)
                return FALSE;
              max_h = MAX (max_h, h_samp[i]);
              max_v = MAX (max_v, v_samp[i]);
            }
          break;

        case 0xc9: case 0xca:
          /* Arithmetic coding: on a truncated stream of 135 bytes (found
           * by fuzz-thumbnail) libjpeg-turbo 2.1.5 under gdk-pixbuf spins
           * for minutes, holding a thumbnail thread; no camera or phone
           * writes it. */
        case 0xc3: case 0xc5: case 0xc6: case 0xc7: case 0xcb: case 0xcd: case 0xce:
        case 0xcf:
          /* Lossless and hierarchical: libjpeg 2.1 refuses them. */
          return FALSE;

        case 0xda:
          if (!have_frame || seg_len < 1 || seg[0] < 1 || seg[0] > frame->n_components ||
              seg_len != 4 + 2 * (guint) seg[0])
            return FALSE;
          frame->whole_image = progressive || seg[0] < frame->n_components;
          if (frame->whole_image)
            for (guint i = 0; i < frame->n_components; i++)
              {
                guint64 wib = ((guint64) frame->width * h_samp[i] + 8 * max_h - 1) / (8 * max_h);
                guint64 hib = ((guint64) frame->height * v_samp[i] + 8 * max_v - 1) /
                              (8 * max_v);

                wib = (wib + h_samp[i] - 1) / h_samp[i] * h_samp[i];
                hib = (hib + v_samp[i] - 1) / v_samp[i] * v_samp[i];
                /* One block: 64 coefficients of 2 bytes. */
                frame->coefficient_bytes += wib * hib * 64 * 2;
              }
          return TRUE;

        default:
          break;
        }
    }
}

static void
thumbnail_size (int  width,
                int  height,
                int *out_width,
                int *out_height)
{
  double scale = MIN (1.0, (double) THUMBNAIL_SIZE / MAX (width, height));

  *out_width = MAX (1, (int) (width * scale + 0.5));
  *out_height = MAX (1, (int) (height * scale + 0.5));
}

/* The bytes the loader will allocate for a @width × @height image to be
 * scaled to @to_width × @to_height. */
static guint64
decode_cost (Decode *t,
             int    width,
             int     height,
             int     to_width,
             int     to_height)
{
  guint64 w = width, h = height;
  guint denom = 1;

  if (strcmp (t->loader_type, "jpeg") != 0)
    return w * h * 4;

  /* io-jpeg.c picks the smallest 1/denom that still covers the target. */
  for (guint d = 2; d <= 8; d *= 2)
    {
      if ((w + d - 1) / d < (guint64) to_width || (h + d - 1) / d < (guint64) to_height)
        break;
      denom = d;
    }
  return ((w + denom - 1) / denom) * ((h + denom - 1) / denom) * 4 + t->jpeg.coefficient_bytes;
}

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  Decode *t = user_data;
  gboolean is_jpeg = strcmp (t->loader_type, "jpeg") == 0;
  int to_width = 1, to_height = 1;

  if (width > 0 && height > 0)
    thumbnail_size (width, height, &to_width, &to_height);
  /* Refused when it would cost too much, or when libjpeg read other
   * dimensions than jpeg_read_frame() did (then its count is not this
   * image's). */
  if (width <= 0 || height <= 0 ||
      (is_jpeg && ((guint) width != t->jpeg.width || (guint) height != t->jpeg.height)) ||
      decode_cost (t, width, height, to_width, to_height) > DECODE_BUDGET)
    {
      t->too_big = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }
  gdk_pixbuf_loader_set_size (loader, to_width, to_height);
}

/**
 * _sa_registry_thumbnail_new:
 * @content_type: the file's type as sa_attachment_sniff_type() judged it
 * @data: the file's bytes
 * @len: their length
 * @thumb_type: (out): the thumbnail's type, image/jpeg or image/png
 * @error: return location for a #GError
 *
 * Decodes an uploaded photo into a thumbnail at most THUMBNAIL_SIZE px on
 * its longer side, within DECODE_BUDGET, with the loader of @content_type
 * only. The fuzz-thumbnail target calls it directly.
 *
 * Returns: (transfer full) (nullable): the thumbnail's bytes
 */
GBytes *
_sa_registry_thumbnail_new (const char    *content_type,
                            const guint8  *data,
                            gsize          len,
                            const char   **thumb_type,
                            GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GError) write_error = NULL;
  Decode t = { pixbuf_loader_type (content_type) };
  GdkPixbuf *pixbuf;
  gsize off = 0;
  char *buffer = NULL;
  gsize buffer_len = 0;
  gboolean ok;

  if (t.loader_type == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s has no thumbnail.",
                   content_type);
      return NULL;
    }
  if (strcmp (t.loader_type, "jpeg") == 0 && !jpeg_read_frame (data, len, &t.jpeg))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Not a JPEG frame this registry decodes.");
      return NULL;
    }

  /* The loader is forced to the sniffed type, so that no other of
   * gdk-pixbuf's many loaders ever parses a user's file. */
  loader = gdk_pixbuf_loader_new_with_type (t.loader_type, error);
  if (loader == NULL)
    return NULL;
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &t);
  while (off < len && write_error == NULL)
    {
      gsize n = MIN (len - off, 64 * 1024);

      if (gdk_pixbuf_loader_write (loader, data + off, n, &write_error))
        off += n;
    }
  /* A failed write closed the loader already; closing again is a no-op. */
  if (write_error != NULL || t.too_big)
    {
      gdk_pixbuf_loader_close (loader, NULL);
      if (t.too_big)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "Decoding the image would take more than %d MiB.",
                     DECODE_BUDGET / (1024 * 1024));
      else
        g_propagate_error (error, g_steal_pointer (&write_error));
      return NULL;
    }
  if (!gdk_pixbuf_loader_close (loader, error))
    return NULL;
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The image has no pixels.");
      return NULL;
    }
  /* Phone photos are stored sideways with an EXIF orientation. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);

  if (gdk_pixbuf_get_has_alpha (oriented))
    {
      ok = gdk_pixbuf_save_to_buffer (oriented, &buffer, &buffer_len, "png", error, NULL);
      *thumb_type = "image/png";
    }
  else
    {
      ok = gdk_pixbuf_save_to_buffer (oriented, &buffer, &buffer_len, "jpeg", error,
                                      "quality", "85", NULL);
      *thumb_type = "image/jpeg";
    }
  if (!ok)
    return NULL;
  return g_bytes_new_take (buffer, buffer_len);
}

static GBytes *
make_thumbnail (Thumb   *t,
                GError **error)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (t->path, FALSE, error);

  if (mapped == NULL)
    return NULL;
  return _sa_registry_thumbnail_new (t->content_type,
                                     (const guint8 *) g_mapped_file_get_contents (mapped),
                                     g_mapped_file_get_length (mapped), &t->thumb_type, error);
}

static void
thumb_work (Thumb *t)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  /* Cached beside the blob; a thumbnail is as immutable as its file. */
  if (g_file_get_contents (t->thumb_path, &contents, &len, NULL))
    {
      t->thumb = g_bytes_new_take (contents, len);
      t->thumb_type = sa_attachment_sniff_type ((const guint8 *) contents, len);
      if (t->thumb_type != NULL)
        return;
      g_clear_pointer (&t->thumb, g_bytes_unref);
    }

  t->thumb = make_thumbnail (t, &error);
  if (t->thumb == NULL)
    {
      g_debug ("No thumbnail for %s: %s", t->path, error != NULL ? error->message : "unknown");
      return;
    }
  /* A cache: losing it to a crash costs one more decode, so no fsync. */
  if (!write_atomically (t->dir, t->thumb_path, g_bytes_get_data (t->thumb, NULL),
                         g_bytes_get_size (t->thumb), FALSE, &error))
    g_warning ("Cannot cache a thumbnail: %s", error->message);
}

/* Runs on the thumbnail pool; GTask takes the answer to the main loop. */
static void
thumb_pool_func (gpointer data,
                 gpointer user_data)
{
  GTask *task = data;

  thumb_work (g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
reply_no_thumbnail (SaRequest *req)
{
  sa_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "no_thumbnail",
                          "This file has no thumbnail (it is a document, or an image this "
                          "registry cannot decode); download the file itself.");
}

static void
thumb_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Thumb *t = g_task_get_task_data (G_TASK (result));

  if (t->thumb == NULL)
    reply_no_thumbnail (t->req);
  else
    sa_request_reply_bytes (t->req, SOUP_STATUS_OK, t->thumb_type, t->thumb);
}

static void
thumbnail_handler (SaRequest *req)
{
  g_autofree char *content_type = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *etag = NULL;
  GTask *task;
  const char *loader_type;
  static GThreadPool *pool;
  gint64 size = 0;
  Thumb *t;

  if (!lookup_visible (req, &content_type, &size) ||
      (dir = sa_store_attachments_dir (req->db)) == NULL)
    {
      reply_not_found (req);
      return;
    }
  loader_type = pixbuf_loader_type (content_type);
  if (loader_type == NULL)
    {
      reply_no_thumbnail (req);
      return;
    }
  etag = g_strdup_printf ("\"%s-t%d\"", req->param, THUMBNAIL_SIZE);
  set_file_headers (req, etag);
  if (etag_matches (req, etag))
    {
      sa_request_reply_bytes (req, SOUP_STATUS_NOT_MODIFIED, NULL, NULL);
      return;
    }

  t = g_new0 (Thumb, 1);
  t->req = req;
  t->path = blob_path (dir, req->param, "");
  t->thumb_path = blob_path (dir, req->param, ".thumb");
  t->dir = g_steal_pointer (&dir);
  t->content_type = g_strdup (content_type);

  /* Not GTask's shared pool: it would run up to ten large decodes at
   * once; this one queues them. */
  if (pool == NULL)
    pool = g_thread_pool_new (thumb_pool_func, NULL, THUMBNAIL_THREADS, FALSE, NULL);
  sa_request_pause (req);
  task = g_task_new (NULL, NULL, thumb_done, NULL);
  g_task_set_source_tag (task, thumbnail_handler);
  g_task_set_task_data (task, t, (GDestroyNotify) thumb_free);
  g_thread_pool_push (pool, task, NULL);
}

void
_sa_registry_attachments_register (SaRegistryServer *server)
{
  sa_registry_server_add_route (server, "PUT", SA_REGISTRY_ATTACHMENTS_PREFIX, SA_ROUTE_PARAM,
                                upload_handler);
  sa_registry_server_add_route (server, "GET", SA_REGISTRY_ATTACHMENTS_PREFIX, SA_ROUTE_PARAM,
                                download_handler);
  sa_registry_server_add_route (server, "GET", SA_REGISTRY_ATTACHMENTS_PREFIX "{}/thumbnail",
                                SA_ROUTE_PARAM, thumbnail_handler);
}
