/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "sa-test-files.h"
#include "sa-attachment-store.h"
#include "sa-cache.h"

/* The desk's store of attached files: named by their SHA-256, refused
 * when the registry would refuse them (size, type), private on disk, and
 * marked while they wait to be uploaded. */

static const guint8 png_head[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sa-attachments-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* A file of @len bytes starting with @head, the rest a pattern. */
static GFile *
write_file (const char   *dir,
            const char   *name,
            const guint8 *head,
            gsize         head_len,
            gsize         len)
{
  g_autofree guint8 *data = g_malloc (len);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 31 + 7);
  /* g_malloc (0) is NULL: an empty file has no head to copy. */
  if (len > 0)
    memcpy (data, head, MIN (head_len, len));
  g_file_set_contents (path, len > 0 ? (const char *) data : "", len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static char *
sha256_of (GFile *file)
{
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_load_contents (file, NULL, &data, &len, NULL, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

static guint
count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      n += g_file_test (child, G_FILE_TEST_IS_DIR) ? count_files (child) : 1;
    }
  return n;
}

static void
test_add (void)
{
  /* A stored file is named by its hash, holds the same bytes, waits to
   * be uploaded until marked, and stays after that to be opened. */
  g_autofree char *src = make_dir ();
  g_autofree char *dir = make_dir ();
  g_autofree char *store_dir = g_build_filename (dir, "attachments", NULL);
  g_autoptr(SaAttachmentStore) store = sa_attachment_store_new (store_dir);
  g_autoptr(GFile) file = write_file (src, "Люк.png", png_head, sizeof png_head, 5000);
  g_autofree char *expected = sha256_of (file);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) stored = NULL;
  g_auto(GStrv) pending = NULL;
  g_autofree char *a = NULL, *b = NULL;
  gsize alen, blen;
  const char *type = NULL;
  goffset size = 0;

  sha256 = sa_attachment_store_add_file_sync (store, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha256, ==, expected);

  stored = sa_attachment_store_lookup (store, sha256, &size, &type);
  g_assert_nonnull (stored);
  g_assert_cmpint (size, ==, 5000);
  g_assert_cmpstr (type, ==, "image/png");
  g_assert_true (g_file_load_contents (file, NULL, &a, &alen, NULL, NULL));
  g_assert_true (g_file_load_contents (stored, NULL, &b, &blen, NULL, NULL));
  g_assert_cmpmem (a, alen, b, blen);
  /* ab/cdef…, as the registry names its files. */
  g_assert_true (g_str_has_suffix (g_file_peek_path (stored), sha256 + 2));

  g_assert_true (sa_attachment_store_is_pending (store, sha256));
  pending = sa_attachment_store_list_pending (store);
  g_assert_cmpuint (g_strv_length (pending), ==, 1);
  g_assert_cmpstr (pending[0], ==, sha256);

  /* A second store on the same directory (a restart) sees the same. */
  {
    g_autoptr(SaAttachmentStore) again = sa_attachment_store_new (store_dir);

    g_assert_true (sa_attachment_store_is_pending (again, sha256));
  }

  g_assert_true (sa_attachment_store_mark_uploaded (store, sha256, &error));
  g_assert_no_error (error);
  g_assert_false (sa_attachment_store_is_pending (store, sha256));
  g_clear_pointer (&pending, g_strfreev);
  pending = sa_attachment_store_list_pending (store);
  g_assert_cmpuint (g_strv_length (pending), ==, 0);
  g_clear_object (&stored);
  stored = sa_attachment_store_lookup (store, sha256, NULL, NULL);
  g_assert_nonnull (stored);

  sa_test_remove_tree (src);
  sa_test_remove_tree (dir);
}

static void
test_limit (void)
{
  /* One byte over 10 MiB is refused and nothing is stored; exactly
   * 10 MiB is taken, like the registry does. */
  g_autofree char *src = make_dir ();
  g_autofree char *dir = make_dir ();
  g_autoptr(SaAttachmentStore) store = sa_attachment_store_new (dir);
  g_autoptr(GFile) big = write_file (src, "big.png", png_head, sizeof png_head,
                                     SA_ATTACHMENT_MAX_SIZE + 1);
  g_autoptr(GFile) exact = write_file (src, "exact.png", png_head, sizeof png_head,
                                       SA_ATTACHMENT_MAX_SIZE);
  g_autoptr(GFile) empty = write_file (src, "empty.png", png_head, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_auto(GStrv) pending = NULL;

  g_assert_cmpint (SA_ATTACHMENT_MAX_SIZE, ==, 10 * 1024 * 1024);
  sha256 = sa_attachment_store_add_file_sync (store, big, NULL, &error);
  g_assert_error (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_TOO_LARGE);
  g_assert_null (sha256);
  g_assert_cmpuint (count_files (dir), ==, 0);
  g_clear_error (&error);

  sha256 = sa_attachment_store_add_file_sync (store, empty, NULL, &error);
  g_assert_error (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_EMPTY);
  g_assert_cmpuint (count_files (dir), ==, 0);
  g_clear_error (&error);

  sha256 = sa_attachment_store_add_file_sync (store, exact, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sha256);
  pending = sa_attachment_store_list_pending (store);
  g_assert_cmpuint (g_strv_length (pending), ==, 1);

  sa_test_remove_tree (src);
  sa_test_remove_tree (dir);
}

static void
test_sniff (void)
{
  /* The type is the content's, whatever the name says. */
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F' };
  static const guint8 webp[] = { 'R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'E', 'B', 'P', 'V', 'P' };
  static const guint8 pdf[] = { '%', 'P', 'D', 'F', '-', '1', '.', '7' };
  static const guint8 gif[] = { 'G', 'I', 'F', '8', '9', 'a' };
  static const guint8 text[] = { 'h', 'e', 'l', 'l', 'o', '\n' };
  g_autofree char *src = make_dir ();
  g_autofree char *dir = make_dir ();
  g_autoptr(SaAttachmentStore) store = sa_attachment_store_new (dir);
  g_autoptr(GFile) fake = write_file (src, "photo.png", text, sizeof text, sizeof text);
  g_autoptr(GFile) doc = write_file (src, "act", pdf, sizeof pdf, 300);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  const char *type = NULL;

  g_assert_cmpstr (sa_attachment_sniff_type (png_head, sizeof png_head), ==, "image/png");
  g_assert_cmpstr (sa_attachment_sniff_type (jpeg, sizeof jpeg), ==, "image/jpeg");
  g_assert_cmpstr (sa_attachment_sniff_type (webp, sizeof webp), ==, "image/webp");
  g_assert_cmpstr (sa_attachment_sniff_type (pdf, sizeof pdf), ==, "application/pdf");
  g_assert_null (sa_attachment_sniff_type (gif, sizeof gif));
  g_assert_null (sa_attachment_sniff_type (png_head, 4));
  g_assert_cmpstr (sa_attachment_type_extension ("application/pdf"), ==, "pdf");

  sha256 = sa_attachment_store_add_file_sync (store, fake, NULL, &error);
  g_assert_error (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_UNSUPPORTED_TYPE);
  g_assert_null (sha256);
  g_assert_cmpuint (count_files (dir), ==, 0);
  g_clear_error (&error);

  /* A PDF without an extension is a PDF. */
  sha256 = sa_attachment_store_add_file_sync (store, doc, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&fake);
  fake = sa_attachment_store_lookup (store, sha256, NULL, &type);
  g_assert_cmpstr (type, ==, "application/pdf");

  g_assert_true (sa_attachment_is_sha256 (sha256));
  g_assert_false (sa_attachment_is_sha256 ("ABC"));
  g_assert_false (sa_attachment_is_sha256 (NULL));

  sa_test_remove_tree (src);
  sa_test_remove_tree (dir);
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

static void
test_private (void)
{
  /* Applicants' photos: directories 0700 and files 0600 whatever the
   * umask, and an older directory left open is tightened. */
  g_autofree char *src = make_dir ();
  g_autofree char *dir = make_dir ();
  g_autofree char *store_dir = g_build_filename (dir, "attachments", NULL);
  g_autoptr(SaAttachmentStore) store = sa_attachment_store_new (store_dir);
  g_autoptr(GFile) file = write_file (src, "a.png", png_head, sizeof png_head, 100);
  g_autoptr(GFile) stored = NULL;
  g_autoptr(GFile) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *marker = NULL;
  mode_t old = umask (022);

  g_assert_cmpint (g_mkdir (store_dir, 0755), ==, 0);
  sha256 = sa_attachment_store_add_file_sync (store, file, NULL, &error);
  g_assert_no_error (error);
  stored = sa_attachment_store_lookup (store, sha256, NULL, NULL);
  sub = g_path_get_dirname (g_file_peek_path (stored));
  pending = g_build_filename (store_dir, "pending", NULL);
  marker = g_build_filename (pending, sha256, NULL);
  opened = sa_attachment_store_open_file (store, sha256, &error);
  g_assert_no_error (error);
  umask (old);

  assert_mode (store_dir, 0700);
  assert_mode (sub, 0700);
  assert_mode (pending, 0700);
  assert_mode (g_file_peek_path (stored), 0600);
  assert_mode (marker, 0600);
  assert_mode (g_file_peek_path (opened), 0600);

  sa_test_remove_tree (src);
  sa_test_remove_tree (dir);
}

static void
test_downloaded (void)
{
  /* A download is kept only when its bytes are its hash's; it is not
   * pending, opens under a name that says its type, and goes first when
   * the store is trimmed, never a file waiting to be uploaded. */
  g_autofree char *src = make_dir ();
  g_autofree char *dir = make_dir ();
  g_autoptr(SaAttachmentStore) store = sa_attachment_store_new (dir);
  g_autoptr(GFile) mine = write_file (src, "mine.png", png_head, sizeof png_head, 2000);
  g_autofree guint8 *data = g_malloc (3000);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *mine_sha = NULL;
  g_autoptr(GFile) opened = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  for (guint i = 0; i < 3000; i++)
    data[i] = (guint8) (i * 7);
  memcpy (data, "%PDF-1.4", 8);
  bytes = g_bytes_new (data, 3000);
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  g_assert_false (sa_attachment_store_put_bytes_sync (store, mine_sha = sha256_of (mine), bytes,
                                                      &error));
  g_assert_error (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_MISMATCH);
  g_assert_cmpuint (count_files (dir), ==, 0);
  g_clear_error (&error);

  g_assert_true (sa_attachment_store_put_bytes_sync (store, sha256, bytes, &error));
  g_assert_no_error (error);
  g_assert_false (sa_attachment_store_is_pending (store, sha256));
  opened = sa_attachment_store_open_file (store, sha256, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (g_file_peek_path (opened), ".pdf"));
  g_assert_true (g_file_load_contents (opened, NULL, &contents, &len, NULL, NULL));
  g_assert_cmpmem (contents, len, data, 3000);

  g_free (sa_attachment_store_add_file_sync (store, mine, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sa_attachment_store_trim (store, 0), ==, 1);
  g_assert_null (sa_attachment_store_lookup (store, sha256, NULL, NULL));
  g_assert_false (g_file_query_exists (opened, NULL));
  g_assert_nonnull (sa_attachment_store_lookup (store, mine_sha, NULL, NULL));
  g_assert_cmpuint (sa_attachment_store_trim (store, 0), ==, 0);

  sa_test_remove_tree (src);
  sa_test_remove_tree (dir);
}

static void
test_sign_out (void)
{
  /* The account's store lives beside its cache and goes with it: deleting
   * the signed-out account's cache leaves no photo of an applicant behind. */
  g_autofree char *src = make_dir ();
  g_autofree char *dir = make_dir ();
  g_autofree char *account = g_build_filename (dir, "account", NULL);
  g_autofree char *path = g_build_filename (account, "cache.db", NULL);
  g_autofree char *expected = g_build_filename (account, "attachments", NULL);
  g_autoptr(GFile) file = write_file (src, "a.png", png_head, sizeof png_head, 100);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  SaAttachmentStore *store;
  SaCache *cache;

  cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  store = sa_attachment_store_new_for_cache (cache);
  g_assert_cmpstr (sa_attachment_store_get_dir (store), ==, expected);
  sha256 = sa_attachment_store_add_file_sync (store, file, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (sa_attachment_store_open_file (store, sha256, &error));
  g_assert_no_error (error);
  g_object_unref (store);
  g_object_unref (cache);

  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_DIR));
  g_assert_true (sa_cache_delete (path, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (expected, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (account, G_FILE_TEST_EXISTS));

  sa_test_remove_tree (src);
  sa_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sa/attachment-store/add", test_add);
  g_test_add_func ("/sa/attachment-store/limit", test_limit);
  g_test_add_func ("/sa/attachment-store/sniff", test_sniff);
  g_test_add_func ("/sa/attachment-store/private-modes", test_private);
  g_test_add_func ("/sa/attachment-store/downloaded", test_downloaded);
  g_test_add_func ("/sa/attachment-store/sign-out", test_sign_out);
  return g_test_run ();
}
