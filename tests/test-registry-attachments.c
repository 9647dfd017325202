/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-test-registry-attachments"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "sa-registry-db-private.h"
#include "sa-test-files.h"
#include "registry-test-util.h"

typedef struct
{
  SaTestRegistry *r;
  char           *operator_token;
  char           *heat_token;
  char           *water_token;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->r = sa_test_registry_new ();
  f->operator_token = sa_test_login (f->r, "op.cc");
  f->heat_token = sa_test_login (f->r, "exec.heat");
  f->water_token = sa_test_login (f->r, "exec.water");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *blobs = g_build_filename (f->r->dir, "attachments", NULL);

  sa_test_remove_tree (blobs);
  g_free (f->operator_token);
  g_free (f->heat_token);
  g_free (f->water_token);
  g_clear_pointer (&f->r, sa_test_registry_free);
}

/* A real PNG of @width × @height made by gdk-pixbuf, opaque or not. */
static GBytes *
make_png (int      width,
          int      height,
          gboolean alpha)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, len);
}

/* A real JPEG, opaque, @width × @height. */
static GBytes *
make_jpeg (int width,
           int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, 0x99aa33ff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "jpeg", &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, len);
}

/* A uniform grey JPEG of @width × @height written by hand, baseline or
 * progressive: a tiny file for a huge image, since every 8×8 block is one
 * one-bit Huffman code (DC: no change; baseline AC: end of block). The
 * progressive one has a single DC scan, enough for libjpeg. */
static GBytes *
make_grey_jpeg (guint    width,
                guint    height,
                gboolean progressive)
{
  GByteArray *out = g_byte_array_new ();
  guint64 blocks = (guint64) ((width + 7) / 8) * ((height + 7) / 8);
  guint64 bits = blocks * (progressive ? 1 : 2);
  guint8 dqt[69] = { 0xff, 0xdb, 0x00, 67, 0x00 };
  const guint8 sof[] = { 0xff, progressive ? 0xc2 : 0xc0, 0x00, 11, 8, height >> 8, height & 0xff,
                         width >> 8, width & 0xff, 1, 1, 0x11, 0 };
  const guint8 dht[] = { 0xff, 0xc4, 0x00, 2 + 2 * 18,
                         0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
                         0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00 };
  const guint8 sos[] = { 0xff, 0xda, 0x00, 8, 1, 1, 0x00, 0, progressive ? 0 : 63, 0 };
  const guint8 soi[] = { 0xff, 0xd8 }, eoi[] = { 0xff, 0xd9 };
  guint8 *zeros;

  memset (dqt + 5, 1, 64);
  g_byte_array_append (out, soi, sizeof soi);
  g_byte_array_append (out, dqt, sizeof dqt);
  g_byte_array_append (out, sof, sizeof sof);
  g_byte_array_append (out, dht, sizeof dht);
  g_byte_array_append (out, sos, sizeof sos);
  zeros = g_malloc0 (bits / 8);
  g_byte_array_append (out, zeros, bits / 8);
  g_free (zeros);
  if (bits % 8 != 0)
    {
      /* The last byte is padded with one-bits. */
      guint8 last = (1u << (8 - bits % 8)) - 1;

      g_byte_array_append (out, &last, 1);
    }
  g_byte_array_append (out, eoi, sizeof eoi);
  return g_byte_array_free_to_bytes (out);
}

static guint32
crc32_of (const guint8 *data,
          gsize         len,
          guint32       crc)
{
  crc = ~crc;
  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  return ~crc;
}

static void
png_chunk (GByteArray   *out,
           const char   *type,
           const guint8 *data,
           gsize         len)
{
  guint8 be[4] = { len >> 24, len >> 16, len >> 8, len };
  guint32 crc = crc32_of ((const guint8 *) type, 4, 0);

  crc = crc32_of (data, len, crc);
  g_byte_array_append (out, be, 4);
  g_byte_array_append (out, (const guint8 *) type, 4);
  g_byte_array_append (out, data, len);
  be[0] = crc >> 24;
  be[1] = crc >> 16;
  be[2] = crc >> 8;
  be[3] = crc;
  g_byte_array_append (out, be, 4);
}

/* A black 1-bit greyscale PNG of @width × @height, compressed row by row:
 * a small file that gdk-pixbuf would expand to 3 bytes a pixel. */
static GBytes *
make_bilevel_png (guint width,
                  guint height)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GZlibCompressor) zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  GByteArray *out = g_byte_array_new ();
  g_autoptr(GByteArray) idat = g_byte_array_new ();
  gsize row_len = 1 + (width + 7) / 8;
  g_autofree guint8 *row = g_malloc0 (row_len);
  guint8 buf[65536];
  guint8 ihdr[13] = { width >> 24, width >> 16, width >> 8, width,
                      height >> 24, height >> 16, height >> 8, height, 1, 0, 0, 0, 0 };

  for (guint y = 0; y <= height; y++)
    {
      GConverterResult res;
      gsize in_off = 0;

      do
        {
          gsize read = 0, written = 0;
          g_autoptr(GError) error = NULL;

          res = g_converter_convert (G_CONVERTER (zlib), row + in_off,
                                     y < height ? row_len - in_off : 0, buf, sizeof buf,
                                     y < height ? G_CONVERTER_NO_FLAGS
                                                : G_CONVERTER_INPUT_AT_END,
                                     &read, &written, &error);
          g_assert_no_error (error);
          in_off += read;
          g_byte_array_append (idat, buf, written);
        }
      while (y < height ? in_off < row_len : res != G_CONVERTER_FINISHED);
    }

  g_byte_array_append (out, signature, sizeof signature);
  png_chunk (out, "IHDR", ihdr, sizeof ihdr);
  png_chunk (out, "IDAT", idat->data, idat->len);
  png_chunk (out, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (out);
}

/* The most this process has had resident, from /proc. */
static guint64
peak_rss_bytes (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10) * 1024;
}

static GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  g_assert_nonnull (gdk_pixbuf_loader_get_pixbuf (loader));
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static GBytes *
make_pdf (void)
{
  static const char pdf[] =
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

  return g_bytes_new_static (pdf, sizeof pdf - 1);
}

static char *
sha256_of (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static guint
put_file (Fixture     *f,
          const char  *token,
          const char  *sha256,
          const char  *content_type,
          GBytes      *bytes,
          JsonNode   **out_json)
{
  g_autofree char *path = g_strconcat ("/api/v1/attachments/", sha256, NULL);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return sa_test_http (f->r->session, f->r->base, "PUT", path, token, content_type, data, len,
                       out_json);
}

/* GET with the answer's bytes and headers, for binary bodies. */
static guint
get_raw (Fixture             *f,
         const char          *path,
         const char          *token,
         const char          *if_none_match,
         GBytes             **out_bytes,
         SoupMessageHeaders **out_headers)
{
  g_autofree char *uri = g_strconcat (f->r->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) answer = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (if_none_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match",
                                  if_none_match);
  answer = sa_test_send (f->r->session, msg);
  if (out_bytes != NULL)
    *out_bytes = g_bytes_ref (answer);
  if (out_headers != NULL)
    *out_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return soup_message_get_status (msg);
}

static char *
attach_body (const char *appeal_id,
             gint64      base_version,
             const char *sha256,
             const char *name,
             char      **out_op_id)
{
  g_autofree char *op_id = g_uuid_string_random ();
  char *body = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"attach\","
                                "\"appeal_id\":\"%s\",\"base_version\":%" G_GINT64_FORMAT ","
                                "\"args\":{\"sha256\":\"%s\",\"name\":\"%s\"}}]}",
                                op_id, appeal_id, base_version, sha256, name);

  if (out_op_id != NULL)
    *out_op_id = g_steal_pointer (&op_id);
  return body;
}

static JsonObject *
first_result (JsonNode *json)
{
  JsonArray *results;

  g_assert_nonnull (json);
  results = json_object_get_array_member (json_node_get_object (json), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  return json_array_get_object_element (results, 0);
}

/* Uploads @bytes, registers a heating appeal (lead agency HEAT) and
 * attaches the file to it as exec.heat. Returns the appeal's id. */
static char *
appeal_with_file (Fixture    *f,
                  GBytes     *bytes,
                  const char *name)
{
  g_autofree char *sha = sha256_of (bytes);
  g_autoptr(JsonNode) appeal = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *body = NULL;
  g_autofree char *iin = sa_test_iin (g_random_int_range (0, 90000));
  guint status;

  status = put_file (f, f->heat_token, sha, "application/octet-stream", bytes, NULL);
  g_assert_true (status == 200 || status == 201);
  appeal = sa_test_intake (f->r, f->operator_token, "heating.no-heat", iin);
  body = attach_body (sa_test_member_string (appeal, "id"),
                      sa_test_member_int (appeal, "version"), sha, name, NULL);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", f->heat_token, body, &json), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (first_result (json), "status"), ==,
                   "applied");
  return g_strdup (sa_test_member_string (appeal, "id"));
}

static void
test_upload_png (Fixture       *f,
                 gconstpointer  data)
{
  /* A real PNG is stored once under its SHA-256: 201 the first time, 200 with the same answer on a repeat. */
  g_autoptr(GBytes) png = make_png (40, 30, FALSE);
  g_autofree char *sha = sha256_of (png);
  g_autofree char *file = NULL;
  g_autofree char *leaf = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) json = NULL;
  gsize len = 0;
  sqlite3_stmt *stmt;

  g_assert_cmpuint (put_file (f, f->heat_token, sha, "image/png", png, &json), ==, 201);
  g_assert_cmpstr (sa_test_member_string (json, "sha256"), ==, sha);
  g_assert_cmpstr (sa_test_member_string (json, "content_type"), ==, "image/png");
  g_assert_cmpint (sa_test_member_int (json, "size"), ==, g_bytes_get_size (png));
  g_clear_pointer (&json, json_node_unref);

  /* Content-addressed on disk: attachments/ab/cdef…, byte for byte. */
  leaf = g_strdup (sha + 2);
  file = g_build_filename (f->r->dir, "attachments", (char[]) { sha[0], sha[1], '\0' }, leaf,
                           NULL);
  g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, g_bytes_get_data (png, NULL), g_bytes_get_size (png));

  g_assert_cmpuint (put_file (f, f->water_token, sha, "image/png", png, &json), ==, 200);
  g_assert_cmpstr (sa_test_member_string (json, "sha256"), ==, sha);
  g_assert_cmpstr (sa_test_member_string (json, "content_type"), ==, "image/png");

  stmt = sa_registry_db_prepare (f->r->db, "SELECT COUNT (*) FROM attachments", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);
}

static void
test_wrong_hash (Fixture       *f,
                 gconstpointer  data)
{
  /* A body whose SHA-256 is not the one in the path answers 400 and stores nothing; a malformed hash too. */
  g_autoptr(GBytes) png = make_png (8, 8, FALSE);
  g_autoptr(GBytes) other = make_png (9, 9, FALSE);
  g_autofree char *other_sha = sha256_of (other);
  g_autofree char *upper = g_ascii_strup (other_sha, -1);
  g_autofree char *blobs = g_build_filename (f->r->dir, "attachments", NULL);
  g_autoptr(JsonNode) json = NULL;
  sqlite3_stmt *stmt;

  g_assert_cmpuint (put_file (f, f->heat_token, other_sha, "image/png", png, &json), ==, 400);
  g_assert_cmpstr (sa_test_error_code (json), ==, "hash_mismatch");
  g_clear_pointer (&json, json_node_unref);

  g_assert_cmpuint (put_file (f, f->heat_token, "abc", "image/png", png, &json), ==, 400);
  g_assert_cmpstr (sa_test_error_code (json), ==, "invalid_hash");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (put_file (f, f->heat_token, upper, "image/png", other, &json), ==, 400);
  g_assert_cmpstr (sa_test_error_code (json), ==, "invalid_hash");
  g_clear_pointer (&json, json_node_unref);

  stmt = sa_registry_db_prepare (f->r->db, "SELECT COUNT (*) FROM attachments", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_reset (stmt);
  g_assert_false (g_file_test (blobs, G_FILE_TEST_EXISTS));
}

static void
test_type_by_content (Fixture       *f,
                      gconstpointer  data)
{
  /* The content decides the type: text named .png is 415, a PNG declared as JPEG is 415, a PDF or PNG sent as octet-stream is taken. */
  static const char text[] = "This is a plain text file pretending to be a photo.\n";
  g_autoptr(GBytes) fake = g_bytes_new_static (text, sizeof text - 1);
  g_autofree char *fake_sha = sha256_of (fake);
  g_autoptr(GBytes) png = make_png (16, 16, TRUE);
  g_autofree char *png_sha = sha256_of (png);
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autofree char *pdf_sha = sha256_of (pdf);
  g_autoptr(JsonNode) json = NULL;

  g_assert_cmpuint (put_file (f, f->heat_token, fake_sha, "image/png", fake, &json), ==, 415);
  g_assert_cmpstr (sa_test_error_code (json), ==, "unsupported_media_type");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (put_file (f, f->heat_token, fake_sha, "application/octet-stream", fake,
                              &json), ==, 415);
  g_clear_pointer (&json, json_node_unref);

  g_assert_cmpuint (put_file (f, f->heat_token, png_sha, "image/jpeg", png, &json), ==, 415);
  g_assert_cmpstr (sa_test_error_code (json), ==, "type_mismatch");
  g_clear_pointer (&json, json_node_unref);

  g_assert_cmpuint (put_file (f, f->heat_token, png_sha, "application/octet-stream", png, &json),
                    ==, 201);
  g_assert_cmpstr (sa_test_member_string (json, "content_type"), ==, "image/png");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (put_file (f, f->heat_token, pdf_sha, "application/pdf", pdf, &json), ==, 201);
  g_assert_cmpstr (sa_test_member_string (json, "content_type"), ==, "application/pdf");
  g_clear_pointer (&json, json_node_unref);

  /* Read-only roles upload nothing. */
  {
    g_autofree char *curator = sa_test_login (f->r, "cur");

    g_assert_cmpuint (put_file (f, curator, pdf_sha, "application/pdf", pdf, &json), ==, 403);
    g_assert_cmpstr (sa_test_error_code (json), ==, "forbidden");
  }
}

static void
test_too_big (Fixture       *f,
              gconstpointer  data)
{
  /* A body over 10 MiB answers 413 from its Content-Length, and a file of exactly 10 MiB is still taken. */
  gsize big_len = SA_ATTACHMENT_MAX_SIZE + 1;
  guint8 *big = g_malloc0 (big_len);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) exact = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *exact_sha = NULL;
  g_autoptr(JsonNode) json = NULL;
  static const char pdf_head[] = "%PDF-1.4\n";

  memcpy (big, pdf_head, sizeof pdf_head - 1);
  bytes = g_bytes_new_take (big, big_len);
  sha = sha256_of (bytes);
  g_assert_cmpuint (put_file (f, f->heat_token, sha, "application/pdf", bytes, &json), ==, 413);
  g_assert_cmpstr (sa_test_error_code (json), ==, "too_large");
  g_clear_pointer (&json, json_node_unref);
  /* Answered by the early handler, from the Content-Length, not after reading the body. */
  {
    g_autofree char *uri = g_strconcat (f->r->base, "/metrics", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr(GBytes) metrics = sa_test_send (f->r->session, msg);
    g_autofree char *text = g_strndup (g_bytes_get_data (metrics, NULL),
                                       g_bytes_get_size (metrics));

    g_assert_nonnull (strstr (text,
                              "sa_registry_requests_total{route=\"early\",status=\"413\"} 1"));
  }

  exact = g_bytes_new_from_bytes (bytes, 0, SA_ATTACHMENT_MAX_SIZE);
  exact_sha = sha256_of (exact);
  g_assert_cmpuint (put_file (f, f->heat_token, exact_sha, "application/pdf", exact, &json), ==,
                    201);
  g_assert_cmpint (sa_test_member_int (json, "size"), ==, SA_ATTACHMENT_MAX_SIZE);
}

static void
test_attach_op (Fixture       *f,
                gconstpointer  data)
{
  /* The attach op adds one history event, bumps the version once, lists the file on the appeal, and replays idempotently. */
  g_autoptr(GBytes) png = make_png (20, 10, FALSE);
  g_autofree char *sha = sha256_of (png);
  g_autoptr(GBytes) missing = make_png (21, 10, FALSE);
  g_autofree char *missing_sha = sha256_of (missing);
  g_autofree char *iin = sa_test_iin (101);
  g_autoptr(JsonNode) appeal = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) got = NULL;
  g_autofree char *body = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *path = NULL;
  JsonObject *result, *attachment, *event;
  JsonArray *attachments, *history;
  const char *id;
  gint64 version;
  guint n_history;

  g_assert_cmpuint (put_file (f, f->heat_token, sha, "image/png", png, NULL), ==, 201);
  appeal = sa_test_intake (f->r, f->operator_token, "heating.no-heat", iin);
  id = sa_test_member_string (appeal, "id");
  version = sa_test_member_int (appeal, "version");
  n_history = json_array_get_length (json_object_get_array_member (
      json_node_get_object (appeal), "history"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
      json_node_get_object (appeal), "attachments")), ==, 0);

  body = attach_body (id, version, sha, "Люк закрыт.png", &op_id);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", f->heat_token, body, &json), ==, 200);
  result = first_result (json);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");

  path = g_strconcat ("/api/v1/appeals/", id, NULL);
  g_assert_cmpuint (sa_test_get (f->r, path, f->heat_token, &got), ==, 200);
  g_assert_cmpint (sa_test_member_int (got, "version"), ==, version + 1);
  attachments = json_object_get_array_member (json_node_get_object (got), "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
  attachment = json_array_get_object_element (attachments, 0);
  g_assert_cmpstr (json_object_get_string_member (attachment, "sha256"), ==, sha);
  g_assert_cmpstr (json_object_get_string_member (attachment, "name"), ==, "Люк закрыт.png");
  g_assert_cmpstr (json_object_get_string_member (attachment, "content_type"), ==, "image/png");
  g_assert_cmpint (json_object_get_int_member (attachment, "size"), ==, g_bytes_get_size (png));
  history = json_object_get_array_member (json_node_get_object (got), "history");
  g_assert_cmpuint (json_array_get_length (history), ==, n_history + 1);
  event = json_array_get_object_element (history, n_history);
  g_assert_cmpstr (json_object_get_string_member (event, "type"), ==, "attached");
  g_assert_cmpstr (json_object_get_string_member (event, "actor"), ==, "exec.heat");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event,
                                                                                 "payload"),
                                                  "sha256"), ==, sha);

  /* The same op again: the first answer, nothing applied twice. */
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", f->heat_token, body, &again), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (first_result (again), "status"), ==,
                   "duplicate");
  g_clear_pointer (&again, json_node_unref);

  /* A new op for the same file, and one for a file never uploaded. */
  g_free (body);
  body = attach_body (id, version + 1, sha, "again.png", NULL);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", f->heat_token, body, &again), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (first_result (again), "code"), ==,
                   "already_attached");
  g_clear_pointer (&again, json_node_unref);
  g_free (body);
  body = attach_body (id, version + 1, missing_sha, "x.png", NULL);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", f->heat_token, body, &again), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (first_result (again), "code"), ==,
                   "unknown_attachment");
  g_clear_pointer (&again, json_node_unref);

  /* Another agency cannot attach to an appeal it does not see. */
  g_free (body);
  body = attach_body (id, version + 1, sha, "x.png", NULL);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", f->water_token, body, &again), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (first_result (again), "code"), ==,
                   "not_found");
  g_clear_pointer (&again, json_node_unref);

  g_clear_pointer (&got, json_node_unref);
  g_assert_cmpuint (sa_test_get (f->r, path, f->heat_token, &got), ==, 200);
  g_assert_cmpint (sa_test_member_int (got, "version"), ==, version + 1);
}

static void
test_visibility (Fixture       *f,
                 gconstpointer  data)
{
  /* The bytes go only to those who see an appeal the file is linked to; another agency gets the same 404 as for a missing file. */
  g_autoptr(GBytes) png = make_png (64, 48, FALSE);
  g_autofree char *sha = sha256_of (png);
  g_autoptr(GBytes) loose = make_png (65, 48, FALSE);
  g_autofree char *loose_sha = sha256_of (loose);
  g_autofree char *id = appeal_with_file (f, png, "photo.png");
  g_autofree char *path = g_strconcat ("/api/v1/attachments/", sha, NULL);
  g_autofree char *thumb_path = g_strconcat (path, "/thumbnail", NULL);
  g_autofree char *loose_path = g_strconcat ("/api/v1/attachments/", loose_sha, NULL);
  g_autofree char *absent = g_strconcat ("/api/v1/attachments/", "00000000000000000000000000000"
                                         "00000000000000000000000000000000000", NULL);
  g_autofree char *etag = g_strdup_printf ("\"%s\"", sha);
  g_autofree char *curator = sa_test_login (f->r, "cur");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) other_bytes = NULL;
  g_autoptr(GBytes) absent_bytes = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;

  g_assert_cmpuint (get_raw (f, path, f->heat_token, NULL, &bytes, &headers), ==, 200);
  g_assert_true (g_bytes_equal (bytes, png));
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "image/png");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "ETag"), ==, etag);
  g_assert_nonnull (strstr (soup_message_headers_get_one (headers, "Cache-Control"), "private"));
  g_assert_nonnull (strstr (soup_message_headers_get_one (headers, "Cache-Control"),
                            "immutable"));
  g_clear_pointer (&bytes, g_bytes_unref);
  g_assert_cmpuint (get_raw (f, path, f->heat_token, etag, NULL, NULL), ==, 304);
  g_assert_cmpuint (get_raw (f, path, curator, NULL, &bytes, NULL), ==, 200);
  g_assert_true (g_bytes_equal (bytes, png));

  g_assert_cmpuint (get_raw (f, path, f->water_token, NULL, &other_bytes, NULL), ==, 404);
  g_assert_cmpuint (get_raw (f, absent, f->water_token, NULL, &absent_bytes, NULL), ==, 404);
  g_assert_true (g_bytes_equal (other_bytes, absent_bytes));
  g_clear_pointer (&other_bytes, g_bytes_unref);
  g_assert_cmpuint (get_raw (f, thumb_path, f->water_token, NULL, &other_bytes, NULL), ==, 404);
  g_assert_true (g_bytes_equal (other_bytes, absent_bytes));

  /* Uploaded but linked to nothing: nobody may read it, not even the uploader. */
  g_assert_cmpuint (put_file (f, f->heat_token, loose_sha, "image/png", loose, NULL), ==, 201);
  g_assert_cmpuint (get_raw (f, loose_path, f->heat_token, NULL, NULL, NULL), ==, 404);

  /* Without a token: 401, as everywhere. */
  g_assert_cmpuint (sa_test_get (f->r, path, NULL, NULL), ==, 401);
}

static void
test_thumbnail (Fixture       *f,
                gconstpointer  data)
{
  /* A photo's thumbnail is a decodable image at most 256 px on its longer side, cached beside the blob; a PDF has none. */
  g_autoptr(GBytes) png = make_png (600, 400, FALSE);
  g_autofree char *sha = sha256_of (png);
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autofree char *pdf_sha = sha256_of (pdf);
  g_autofree char *id = appeal_with_file (f, png, "photo.png");
  g_autofree char *pdf_id = appeal_with_file (f, pdf, "act.pdf");
  g_autofree char *path = g_strconcat ("/api/v1/attachments/", sha, "/thumbnail", NULL);
  g_autofree char *pdf_path = g_strconcat ("/api/v1/attachments/", pdf_sha, "/thumbnail", NULL);
  g_autofree char *leaf = g_strconcat (sha + 2, ".thumb", NULL);
  g_autofree char *cache = g_build_filename (f->r->dir, "attachments",
                                             (char[]) { sha[0], sha[1], '\0' }, leaf, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GdkPixbuf) thumb = NULL;
  const char *etag;

  g_assert_cmpuint (get_raw (f, path, f->heat_token, NULL, &bytes, &headers), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "image/jpeg");
  etag = soup_message_headers_get_one (headers, "ETag");
  g_assert_nonnull (etag);
  thumb = decode (bytes);
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, 256);
  g_assert_cmpint (gdk_pixbuf_get_height (thumb), ==, 171);
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));

  /* From the cache: the same bytes; and a client's copy stays valid. */
  g_assert_cmpuint (get_raw (f, path, f->heat_token, NULL, &again, NULL), ==, 200);
  g_assert_true (g_bytes_equal (bytes, again));
  g_assert_cmpuint (get_raw (f, path, f->heat_token, etag, NULL, NULL), ==, 304);

  g_assert_cmpuint (sa_test_get (f->r, pdf_path, f->heat_token, &json), ==, 404);
  g_assert_cmpstr (sa_test_error_code (json), ==, "no_thumbnail");
}

static void
test_thumbnail_formats (Fixture       *f,
                        gconstpointer  data)
{
  /* A tall JPEG gets a JPEG thumbnail 256 px high; a PNG with transparency keeps it in a PNG thumbnail; a small image is not enlarged. */
  g_autoptr(GBytes) jpeg = make_jpeg (300, 900);
  g_autoptr(GBytes) alpha = make_png (100, 50, TRUE);
  g_autofree char *jpeg_sha = sha256_of (jpeg);
  g_autofree char *alpha_sha = sha256_of (alpha);
  g_autofree char *jpeg_id = appeal_with_file (f, jpeg, "tall.jpg");
  g_autofree char *alpha_id = appeal_with_file (f, alpha, "logo.png");
  g_autofree char *jpeg_path = g_strconcat ("/api/v1/attachments/", jpeg_sha, "/thumbnail", NULL);
  g_autofree char *alpha_path = g_strconcat ("/api/v1/attachments/", alpha_sha, "/thumbnail",
                                             NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GdkPixbuf) thumb = NULL;

  g_assert_cmpuint (get_raw (f, jpeg_path, f->heat_token, NULL, &bytes, &headers), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "image/jpeg");
  thumb = decode (bytes);
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, 85);
  g_assert_cmpint (gdk_pixbuf_get_height (thumb), ==, 256);
  g_clear_object (&thumb);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  g_assert_cmpuint (get_raw (f, alpha_path, f->heat_token, NULL, &bytes, &headers), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "image/png");
  thumb = decode (bytes);
  g_assert_true (gdk_pixbuf_get_has_alpha (thumb));
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, 100);
  g_assert_cmpint (gdk_pixbuf_get_height (thumb), ==, 50);
}

static void
test_intake_attachments (Fixture       *f,
                         gconstpointer  data)
{
  /* Intake links the files it names with an "attached" event each; an unknown file fails the intake and registers nothing. */
  g_autoptr(GBytes) png = make_png (30, 30, FALSE);
  g_autofree char *sha = sha256_of (png);
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autofree char *pdf_sha = sha256_of (pdf);
  g_autofree char *iin = sa_test_iin (202);
  g_autofree char *base_body = sa_test_intake_body ("heating.no-heat", iin, "ул. Кунаева, 21",
                                                    "medeu");
  g_autoptr(JsonNode) node = json_from_string (base_body, NULL);
  g_autoptr(JsonNode) appeal = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *body = NULL;
  JsonArray *list = json_array_new ();
  JsonObject *item;
  JsonArray *attachments, *history;
  guint n_attached = 0;
  sqlite3_stmt *stmt;
  int appeals_before;

  g_assert_cmpuint (put_file (f, f->operator_token, sha, "image/png", png, NULL), ==, 201);
  g_assert_cmpuint (put_file (f, f->operator_token, pdf_sha, "application/pdf", pdf, NULL), ==,
                    201);
  item = json_object_new ();
  json_object_set_string_member (item, "sha256", sha);
  json_object_set_string_member (item, "name", "photo.png");
  json_array_add_object_element (list, item);
  item = json_object_new ();
  json_object_set_string_member (item, "sha256", pdf_sha);
  json_object_set_string_member (item, "name", "заявление.pdf");
  json_array_add_object_element (list, item);
  json_object_set_array_member (json_node_get_object (node), "attachments", list);
  body = _sa_registry_json_to_string (node);

  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", f->operator_token, body, &appeal), ==,
                    201);
  attachments = json_object_get_array_member (json_node_get_object (appeal), "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 2);
  history = json_object_get_array_member (json_node_get_object (appeal), "history");
  for (guint i = 0; i < json_array_get_length (history); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (history, i),
                                                  "type"), "attached") == 0)
      n_attached++;
  g_assert_cmpuint (n_attached, ==, 2);

  stmt = sa_registry_db_prepare (f->r->db, "SELECT COUNT (*) FROM appeals", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  appeals_before = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  json_object_set_string_member (json_array_get_object_element (list, 1), "sha256",
                                 "11111111111111111111111111111111"
                                 "11111111111111111111111111111111");
  g_free (body);
  body = _sa_registry_json_to_string (node);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", f->operator_token, body, &json), ==,
                    400);
  g_assert_nonnull (strstr (json_object_get_string_member (
      json_object_get_object_member (json_node_get_object (json), "error"), "message"),
                            "attachments[1]"));

  stmt = sa_registry_db_prepare (f->r->db, "SELECT COUNT (*) FROM appeals", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, appeals_before);
  sqlite3_reset (stmt);
}

static const char *
op_status (JsonNode *json,
           const char **code)
{
  JsonObject *result = first_result (json);

  *code = json_object_get_string_member_with_default (result, "code", NULL);
  return json_object_get_string_member (result, "status");
}

/* Sends an attach op for @sha to the appeal @appeal (as it is now). */
static const char *
attach_as (Fixture    *f,
           const char *token,
           JsonNode   *appeal,
           const char *sha,
           JsonNode  **out_json,
           const char **code)
{
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", sa_test_member_string (appeal, "id"),
                                       NULL);
  g_autoptr(JsonNode) now = NULL;
  g_autofree char *body = NULL;

  g_assert_cmpuint (sa_test_get (f->r, path, token, &now), ==, 200);
  body = attach_body (sa_test_member_string (now, "id"), sa_test_member_int (now, "version"),
                      sha, "photo.png", NULL);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/ops", token, body, out_json), ==, 200);
  return op_status (*out_json, code);
}

static void
test_hash_is_no_key (Fixture       *f,
                     gconstpointer  data)
{
  /* Knowing a file's SHA-256 is not enough to attach it: another agency's executor cannot attach a file of a HEAT appeal to their own and read it; uploading the bytes, or seeing an appeal with the file, is. */
  g_autoptr(GBytes) png = make_png (50, 40, FALSE);
  g_autofree char *sha = sha256_of (png);
  g_autofree char *heat_id = appeal_with_file (f, png, "photo.png");
  g_autofree char *path = g_strconcat ("/api/v1/attachments/", sha, NULL);
  g_autofree char *water_iin = sa_test_iin (303);
  g_autofree char *heat_iin = sa_test_iin (304);
  g_autofree char *colleague = sa_test_login (f->r, "exec2.heat");
  g_autoptr(JsonNode) water_appeal = NULL;
  g_autoptr(JsonNode) heat_appeal = NULL;
  g_autoptr(JsonNode) json = NULL;
  const char *code = NULL;

  water_appeal = sa_test_intake (f->r, f->operator_token, "water.no-cold", water_iin);
  g_assert_cmpstr (attach_as (f, f->water_token, water_appeal, sha, &json, &code), ==,
                   "rejected");
  g_assert_cmpstr (code, ==, "unknown_attachment");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (get_raw (f, path, f->water_token, NULL, NULL, NULL), ==, 404);

  /* Whoever has the bytes proves it by uploading them. */
  g_assert_cmpuint (put_file (f, f->water_token, sha, "image/png", png, NULL), ==, 200);
  g_assert_cmpstr (attach_as (f, f->water_token, water_appeal, sha, &json, &code), ==,
                   "applied");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (get_raw (f, path, f->water_token, NULL, NULL, NULL), ==, 200);

  /* A colleague who sees the appeal with the file may attach it elsewhere. */
  heat_appeal = sa_test_intake (f->r, f->operator_token, "heating.no-heat", heat_iin);
  g_assert_cmpstr (attach_as (f, colleague, heat_appeal, sha, &json, &code), ==, "applied");
  g_clear_pointer (&json, json_node_unref);
}

static void
test_upload_grant_expires (Fixture       *f,
                           gconstpointer  data)
{
  /* An upload lets its user attach the file for a day; after that the user uploads it again. */
  g_autoptr(GBytes) png = make_png (12, 34, FALSE);
  g_autofree char *sha = sha256_of (png);
  g_autofree char *iin = sa_test_iin (305);
  g_autoptr(JsonNode) appeal = NULL;
  g_autoptr(JsonNode) json = NULL;
  const char *code = NULL;
  sqlite3_stmt *stmt;

  g_assert_cmpuint (put_file (f, f->heat_token, sha, "image/png", png, NULL), ==, 201);
  stmt = sa_registry_db_prepare (f->r->db, "UPDATE attachment_uploads"
                                           " SET uploaded_at = uploaded_at - 25 * 3600", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);

  appeal = sa_test_intake (f->r, f->operator_token, "heating.no-heat", iin);
  g_assert_cmpstr (attach_as (f, f->heat_token, appeal, sha, &json, &code), ==, "rejected");
  g_assert_cmpstr (code, ==, "unknown_attachment");
  g_clear_pointer (&json, json_node_unref);

  g_assert_cmpuint (put_file (f, f->heat_token, sha, "image/png", png, NULL), ==, 200);
  g_assert_cmpstr (attach_as (f, f->heat_token, appeal, sha, &json, &code), ==, "applied");
}

static void
test_intake_foreign_hash (Fixture       *f,
                          gconstpointer  data)
{
  /* Intake cannot name a file the operator neither uploaded nor can see: 400, and nothing is registered. */
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autofree char *sha = sha256_of (pdf);
  g_autofree char *iin = sa_test_iin (306);
  g_autofree char *base_body = sa_test_intake_body ("heating.no-heat", iin, "ул. Кунаева, 21",
                                                    "medeu");
  g_autoptr(JsonNode) node = json_from_string (base_body, NULL);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *body = NULL;
  JsonArray *list = json_array_new ();
  JsonObject *item = json_object_new ();

  g_assert_cmpuint (put_file (f, f->heat_token, sha, "application/pdf", pdf, NULL), ==, 201);
  json_object_set_string_member (item, "sha256", sha);
  json_object_set_string_member (item, "name", "чужой.pdf");
  json_array_add_object_element (list, item);
  json_object_set_array_member (json_node_get_object (node), "attachments", list);
  body = _sa_registry_json_to_string (node);
  g_assert_cmpuint (sa_test_post (f->r, "/api/v1/intake", f->operator_token, body, &json), ==,
                    400);
  g_assert_nonnull (strstr (json_object_get_string_member (
      json_object_get_object_member (json_node_get_object (json), "error"), "message"),
                            "attachments[0]"));
}

static GString *captured_log;

static void
capture_printerr (const char *text)
{
  g_string_append (captured_log, text);
}

static void
test_access_log_no_hash (Fixture       *f,
                         gconstpointer  data)
{
  /* The access log names the route's pattern, never a file's SHA-256: not for uploads, downloads, thumbnails, nor early refusals. */
  g_autoptr(GBytes) png = make_png (33, 22, FALSE);
  g_autofree char *sha = sha256_of (png);
  g_autofree char *id = NULL;
  g_autofree char *path = g_strconcat ("/api/v1/attachments/", sha, NULL);
  g_autofree char *thumb = g_strconcat (path, "/thumbnail", NULL);
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (SA_ATTACHMENT_MAX_SIZE + 1),
                                            SA_ATTACHMENT_MAX_SIZE + 1);
  g_autofree char *big_sha = sha256_of (big);
  GPrintFunc old;

  captured_log = g_string_new (NULL);
  sa_registry_server_set_access_log (f->r->server, TRUE);
  old = g_set_printerr_handler (capture_printerr);

  id = appeal_with_file (f, png, "photo.png");
  g_assert_cmpuint (get_raw (f, path, f->heat_token, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (get_raw (f, thumb, f->heat_token, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (put_file (f, f->heat_token, big_sha, NULL, big, NULL), ==, 413);

  g_set_printerr_handler (old);
  sa_registry_server_set_access_log (f->r->server, FALSE);
  g_assert_nonnull (strstr (captured_log->str, "PUT /api/v1/attachments/{id} 201"));
  g_assert_nonnull (strstr (captured_log->str, "GET /api/v1/attachments/{id} 200"));
  g_assert_nonnull (strstr (captured_log->str, "GET /api/v1/attachments/{id}/thumbnail 200"));
  g_assert_nonnull (strstr (captured_log->str, "413 early"));
  g_assert_null (strstr (captured_log->str, sha));
  g_assert_null (strstr (captured_log->str, big_sha));
  g_string_free (captured_log, TRUE);
  captured_log = NULL;
}

/* The thumbnail's status for @bytes attached to a HEAT appeal, and how
 * much the peak resident memory of this process (where the registry
 * runs) grew while it was made. */
static guint
thumbnail_status (Fixture  *f,
                  GBytes   *bytes,
                  guint64  *grew,
                  GBytes  **out_thumb)
{
  g_autofree char *sha = sha256_of (bytes);
  g_autofree char *id = appeal_with_file (f, bytes, "big");
  g_autofree char *path = g_strconcat ("/api/v1/attachments/", sha, "/thumbnail", NULL);
  guint64 before = peak_rss_bytes ();
  guint status = get_raw (f, path, f->heat_token, NULL, out_thumb, NULL);

  *grew = peak_rss_bytes () - before;
  return status;
}

static void
test_thumbnail_decode_budget (Fixture       *f,
                              gconstpointer  data)
{
  /* Decoding a thumbnail never costs more than the budget: a 15000² progressive JPEG (450 MB of coefficients) and a 10000² PNG (300 MB of pixels) get no thumbnail and take no memory; the same size in baseline JPEG and a progressive photo still get theirs. */
  g_autoptr(GBytes) progressive = make_grey_jpeg (15000, 15000, TRUE);
  g_autoptr(GBytes) baseline = make_grey_jpeg (15000, 15000, FALSE);
  g_autoptr(GBytes) photo = make_grey_jpeg (4000, 3000, TRUE);
  g_autoptr(GBytes) png = make_bilevel_png (10000, 10000);
  g_autoptr(GBytes) thumb = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  guint64 grew = 0;

  g_assert_cmpuint (g_bytes_get_size (progressive), <, SA_ATTACHMENT_MAX_SIZE);
  g_assert_cmpuint (thumbnail_status (f, progressive, &grew, NULL), ==, 404);
  g_assert_cmpuint (grew, <, 32 * 1024 * 1024);
  g_assert_cmpuint (thumbnail_status (f, png, &grew, NULL), ==, 404);
  g_assert_cmpuint (grew, <, 32 * 1024 * 1024);

  g_assert_cmpuint (thumbnail_status (f, baseline, &grew, &thumb), ==, 200);
  pixbuf = decode (thumb);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 256);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 256);
  g_clear_object (&pixbuf);
  g_clear_pointer (&thumb, g_bytes_unref);

  g_assert_cmpuint (thumbnail_status (f, photo, &grew, &thumb), ==, 200);
  pixbuf = decode (thumb);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 256);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 192);
}

static void
test_thumbnail_arithmetic_jpeg (Fixture       *f,
                                gconstpointer  data)
{
  /* An arithmetic-coded JPEG (a truncated one held a thumbnail thread for minutes in libjpeg) gets no thumbnail, at once, and the next photo still gets its own. */
  static const guint8 head[] = {
    0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00,
  };
  static const guint8 tail[] = {
    0xff, 0xca, 0x00, 0x0b, 0x08, 0x00, 0x11, 0x02, 0x21, 0x01, 0x01, 0x11, 0x00,
    0xff, 0xc4, 0x00, 0x26, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
    0x10, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
    0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
  };
  GByteArray *file = g_byte_array_new ();
  g_autoptr(GBytes) arithmetic = NULL;
  g_autoptr(GBytes) photo = make_jpeg (64, 64);
  g_autoptr(JsonNode) json = NULL;
  guint64 grew = 0;
  guint8 ones[64];

  memset (ones, 1, sizeof ones);
  g_byte_array_append (file, head, sizeof head);
  g_byte_array_append (file, ones, sizeof ones);
  g_byte_array_append (file, tail, sizeof tail);
  arithmetic = g_byte_array_free_to_bytes (file);

  g_assert_cmpuint (thumbnail_status (f, arithmetic, &grew, NULL), ==, 404);
  g_assert_cmpuint (thumbnail_status (f, photo, &grew, NULL), ==, 200);
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 0777) != mode)
    g_error ("%s has mode %03o, not %03o", path, (guint) (st.st_mode & 0777), mode);
}

static void
test_private_files (Fixture       *f,
                    gconstpointer  data)
{
  /* Files are 0600 and their directories 0700 whatever the umask: a file, its directory, attachments/ and a cached thumbnail; an attachments/ an older registry made 0750 is tightened. */
  g_autoptr(GBytes) png = make_png (70, 70, FALSE);
  g_autofree char *sha = sha256_of (png);
  g_autofree char *id = NULL;
  g_autofree char *root = g_build_filename (f->r->dir, "attachments", NULL);
  g_autofree char *sub = g_build_filename (root, (char[]) { sha[0], sha[1], '\0' }, NULL);
  g_autofree char *file = g_build_filename (sub, sha + 2, NULL);
  g_autofree char *cache = g_strconcat (file, ".thumb", NULL);
  g_autofree char *thumb = g_strconcat ("/api/v1/attachments/", sha, "/thumbnail", NULL);
  g_autoptr(GBytes) other = make_png (71, 70, FALSE);
  g_autofree char *other_sha = sha256_of (other);
  mode_t old = umask (022);

  id = appeal_with_file (f, png, "photo.png");
  g_assert_cmpuint (get_raw (f, thumb, f->heat_token, NULL, NULL, NULL), ==, 200);
  assert_mode (root, 0700);
  assert_mode (sub, 0700);
  assert_mode (file, 0600);
  assert_mode (cache, 0600);

  g_assert_cmpint (g_chmod (root, 0750), ==, 0);
  g_assert_cmpuint (put_file (f, f->heat_token, other_sha, "image/png", other, NULL), ==, 201);
  assert_mode (root, 0700);
  umask (old);
}

int
main (int    argc,
      char **argv)
{
  sa_test_registry_env ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/sa/registry/attachments/" path, Fixture, NULL, fixture_setup, fn, \
              fixture_teardown)

  ADD ("upload-png", test_upload_png);
  ADD ("wrong-hash", test_wrong_hash);
  ADD ("type-by-content", test_type_by_content);
  ADD ("too-big", test_too_big);
  ADD ("attach-op", test_attach_op);
  ADD ("visibility", test_visibility);
  ADD ("thumbnail", test_thumbnail);
  ADD ("thumbnail-formats", test_thumbnail_formats);
  ADD ("intake", test_intake_attachments);
  ADD ("hash-is-no-key", test_hash_is_no_key);
  ADD ("upload-grant-expires", test_upload_grant_expires);
  ADD ("intake-foreign-hash", test_intake_foreign_hash);
  ADD ("access-log-no-hash", test_access_log_no_hash);
  ADD ("thumbnail-decode-budget", test_thumbnail_decode_budget);
  ADD ("thumbnail-arithmetic-jpeg", test_thumbnail_arithmetic_jpeg);
  ADD ("private-files", test_private_files);

  return g_test_run ();
}
