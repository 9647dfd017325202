/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib/gstdio.h>
#include <sqlite3.h>

/* A closed cache file damaged three ways, as a failing disk, a copy cut
 * short or an overwritten file leave it. */

typedef enum
{
  SA_TEST_DAMAGE_BAD_PAGES,
  SA_TEST_DAMAGE_TRUNCATED,
  SA_TEST_DAMAGE_RANDOM_BYTES,
} SaTestDamage;

/* The pages of the b-tree @name, from SQLite's dbstat table. */
static inline GArray *
sa_test_pages_of (const char *path,
                  const char *name)
{
  GArray *pages = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT pageno FROM dbstat WHERE name = ?1"
                                           " ORDER BY pageno", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 page = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (pages, page);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (pages->len, >, 0);
  return pages;
}

static inline gint64
sa_test_last_page_of (const char *path,
                      const char *name)
{
  g_autoptr(GArray) pages = sa_test_pages_of (path, name);

  return g_array_index (pages, gint64, pages->len - 1);
}

/* Damages the closed cache at @path as a failing disk or an interrupted
 * copy would. The outbox's pages stay intact except with random bytes. */
static inline void
sa_test_damage (const char   *path,
                SaTestDamage  how)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1763700000);
  gsize length;
  const gsize page_size = 4096;

  g_assert_true (g_file_get_contents (path, &bytes, &length, &error));
  g_assert_no_error (error);
  switch (how)
    {
    case SA_TEST_DAMAGE_BAD_PAGES:
      {
        /* The appeals' rows: every cell scrambled, the page header and
         * its cell pointers left, so that SQLite still walks the tree. */
        g_autoptr(GArray) pages = sa_test_pages_of (path, "appeals");

        for (guint i = 0; i < pages->len; i++)
          {
            gint64 page = g_array_index (pages, gint64, i);
            gsize base = (page - 1) * page_size;
            gsize header = base + (page == 1 ? 100 : 0);
            guchar type = bytes[header];
            guint cells = ((guchar) bytes[header + 3] << 8) | (guchar) bytes[header + 4];
            gsize start = header + (type == 0x02 || type == 0x05 ? 12 : 8) + 2 * cells;

            g_assert_cmpuint (base + page_size, <=, length);
            for (gsize b = start; b < base + page_size; b++)
              bytes[b] = (char) g_rand_int_range (rand, 0, 256);
          }
      }
      break;

    case SA_TEST_DAMAGE_TRUNCATED:
      {
        /* Cut off after the outbox, in the middle of a page: the
         * appeals' documents that come later are gone. */
        gint64 keep = sa_test_last_page_of (path, "sqlite_schema");

        keep = MAX (keep, sa_test_last_page_of (path, "outbox"));
        keep = MAX (keep, sa_test_last_page_of (path, "appeals"));
        g_assert_cmpuint (keep * page_size + page_size / 2, <, length);
        length = keep * page_size + page_size / 2;
      }
      break;

    case SA_TEST_DAMAGE_RANDOM_BYTES:
      for (gsize b = 0; b < length; b++)
        bytes[b] = (char) g_rand_int_range (rand, 0, 256);
      break;

    default:
      g_assert_not_reached ();
    }
  g_assert_true (g_file_set_contents (path, bytes, length, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
}

static inline char *
sa_test_file_digest (const char *path)
{
  g_autofree char *bytes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) bytes, length);
}
