/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sa-test-files.h"
#include "sa-appeal-list.h"
#include "sa-cache.h"
#include "sa-cache-private.h"

/* ------------------------------------------------------------------ */
/* A VFS shim that counts fsyncs of WAL files, so that a test can see
 * which commits were durable (synchronous=FULL syncs the WAL at each
 * commit; NORMAL does not). */

typedef struct
{
  sqlite3_file  base;
  gboolean      is_wal;
  sqlite3_file *real;
} ShimFile;

static sqlite3_vfs shim_vfs;
static sqlite3_vfs *real_vfs;
static sqlite3_io_methods shim_io;
static gint wal_syncs;

#define REAL(f) (((ShimFile *) (f))->real)

static int shim_close (sqlite3_file *f) { return REAL (f)->pMethods->xClose (REAL (f)); }
static int shim_read (sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{ return REAL (f)->pMethods->xRead (REAL (f), b, n, o); }
static int shim_write (sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{ return REAL (f)->pMethods->xWrite (REAL (f), b, n, o); }
static int shim_truncate (sqlite3_file *f, sqlite3_int64 s)
{ return REAL (f)->pMethods->xTruncate (REAL (f), s); }
static int shim_sync (sqlite3_file *f, int flags)
{
  if (((ShimFile *) f)->is_wal)
    g_atomic_int_inc (&wal_syncs);
  return REAL (f)->pMethods->xSync (REAL (f), flags);
}
static int shim_file_size (sqlite3_file *f, sqlite3_int64 *s)
{ return REAL (f)->pMethods->xFileSize (REAL (f), s); }
static int shim_lock (sqlite3_file *f, int l) { return REAL (f)->pMethods->xLock (REAL (f), l); }
static int shim_unlock (sqlite3_file *f, int l)
{ return REAL (f)->pMethods->xUnlock (REAL (f), l); }
static int shim_check_reserved (sqlite3_file *f, int *r)
{ return REAL (f)->pMethods->xCheckReservedLock (REAL (f), r); }
static int shim_file_control (sqlite3_file *f, int op, void *a)
{ return REAL (f)->pMethods->xFileControl (REAL (f), op, a); }
static int shim_sector_size (sqlite3_file *f) { return REAL (f)->pMethods->xSectorSize (REAL (f)); }
static int shim_device (sqlite3_file *f)
{ return REAL (f)->pMethods->xDeviceCharacteristics (REAL (f)); }
static int shim_shm_map (sqlite3_file *f, int i, int sz, int e, void volatile **p)
{ return REAL (f)->pMethods->xShmMap (REAL (f), i, sz, e, p); }
static int shim_shm_lock (sqlite3_file *f, int o, int n, int fl)
{ return REAL (f)->pMethods->xShmLock (REAL (f), o, n, fl); }
static void shim_shm_barrier (sqlite3_file *f) { REAL (f)->pMethods->xShmBarrier (REAL (f)); }
static int shim_shm_unmap (sqlite3_file *f, int d)
{ return REAL (f)->pMethods->xShmUnmap (REAL (f), d); }
static int shim_fetch (sqlite3_file *f, sqlite3_int64 o, int n, void **p)
{ return REAL (f)->pMethods->xFetch (REAL (f), o, n, p); }
static int shim_unfetch (sqlite3_file *f, sqlite3_int64 o, void *p)
{ return REAL (f)->pMethods->xUnfetch (REAL (f), o, p); }

static int
shim_open (sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *out)
{
  ShimFile *shim = (ShimFile *) file;
  int rc;

  shim->real = (sqlite3_file *) (shim + 1);
  shim->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  rc = real_vfs->xOpen (real_vfs, name, shim->real, flags, out);
  shim->base.pMethods = shim->real->pMethods != NULL ? &shim_io : NULL;
  if (shim->real->pMethods != NULL)
    shim_io.iVersion = MIN (3, shim->real->pMethods->iVersion);
  return rc;
}

static void
install_shim (void)
{
  static const sqlite3_io_methods io = {
    3, shim_close, shim_read, shim_write, shim_truncate, shim_sync, shim_file_size, shim_lock,
    shim_unlock, shim_check_reserved, shim_file_control, shim_sector_size, shim_device,
    shim_shm_map, shim_shm_lock, shim_shm_barrier, shim_shm_unmap, shim_fetch, shim_unfetch,
  };

  real_vfs = sqlite3_vfs_find (NULL);
  shim_io = io;
  shim_vfs = *real_vfs;
  shim_vfs.zName = "sa-test-sync-counter";
  shim_vfs.szOsFile = sizeof (ShimFile) + real_vfs->szOsFile;
  shim_vfs.xOpen = shim_open;
  g_assert_cmpint (sqlite3_vfs_register (&shim_vfs, 1), ==, SQLITE_OK);
}

/* ------------------------------------------------------------------ */
/* Fixtures */

#define ID1 "11111111-1111-4111-8111-111111111111"
#define ID2 "22222222-2222-4222-8222-222222222222"
#define ID3 "33333333-3333-4333-8333-333333333333"

typedef struct
{
  char    *dir;
  char    *path;
  SaCache *cache;
} Fixture;

typedef struct
{
  const char *id;
  const char *reg;
  const char *status;
  const char *priority;
  const char *executor;
  const char *name;
  const char *address;
  const char *text;
  gint64      version;
} A;

static char *
rfc3339 (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t + 5 * 3600);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S+05:00");
}

static JsonNode *
appeal_node (const A    *a,
             const char *extra_history_op_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *received = rfc3339 (1763700000);
  g_autofree char *due = rfc3339 (1763700000 + 20 * 86400);

  json_builder_begin_object (b);
#define S(k, v) json_builder_set_member_name (b, k); \
  if ((v) != NULL) json_builder_add_string_value (b, v); else json_builder_add_null_value (b)
  S ("id", a->id);
  S ("reg_number", a->reg);
  S ("channel", "egov");
  S ("status", a->status ? a->status : "registered");
  S ("priority", a->priority ? a->priority : "normal");
  S ("category", "heat.none");
  S ("agency", "ENERGY");
  S ("executor", a->executor);
  json_builder_set_member_name (b, "applicant");
  json_builder_begin_object (b);
  S ("name", a->name ? a->name : "Иванов Иван");
  S ("iin", "900101300123");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "address");
  json_builder_begin_object (b);
  S ("text", a->address ? a->address : "проспект Абая, 52");
  S ("district", "almaly");
  json_builder_end_object (b);
  S ("text", a->text ? a->text : "Нет отопления");
  S ("received_at", received);
  S ("legal_due_at", due);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, a->version ? a->version : 1);
  json_builder_set_member_name (b, "is_repeat");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "history");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, 1);
  S ("at", received);
  S ("actor", "operator1");
  S ("type", "registered");
  json_builder_set_member_name (b, "payload");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  if (extra_history_op_id != NULL)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, 2);
      S ("at", received);
      S ("actor", "me");
      S ("type", "comment");
      json_builder_set_member_name (b, "payload");
      json_builder_begin_object (b);
      S ("op_id", extra_history_op_id);
      S ("text", "seen by the registry");
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
#undef S
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
change (const char *kind,
        const char *id,
        JsonNode   *data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  if (data != NULL)
    {
      json_builder_set_member_name (b, "data");
      json_builder_add_value (b, data);
    }
  else
    {
      json_builder_set_member_name (b, "removed");
      json_builder_add_boolean_value (b, TRUE);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
apply_appeals (SaCache *cache,
               gint64   cursor,
               const A *a,
               ...)
{
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GError) error = NULL;
  va_list ap;

  va_start (ap, a);
  for (; a != NULL; a = va_arg (ap, const A *))
    json_array_add_element (changes, change ("appeal", a->id, appeal_node (a, NULL)));
  va_end (ap);
  g_assert_true (sa_cache_apply_changes (cache, changes, cursor, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  A a1 = { ID1, "ALA-2026-000123", .name = "Сапарова Әлия", .address = "улица Жарокова, 7",
           .text = "Қазақ тілінде: пәтерде жылу жоқ, үйді жылумен қамтамасыз ету керек" };
  A a2 = { ID2, "ALA-2026-000124", .text = "Нет отопления в подъезде, батареи холодные" };

  f->dir = g_dir_make_tmp ("sa-cache-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "acct", "cache.db", NULL);
  f->cache = sa_cache_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (sa_cache_set_identity (f->cache, "me", "ENERGY", &error));
  g_assert_no_error (error);
  apply_appeals (f->cache, 10, &a1, &a2, NULL);
}

/* A GTask run in a thread drops its reference on the cache from the worker,
 * possibly just after the callback ran here: wait for that (bounded), then
 * insist the cache is gone. */
static void
assert_finalized_soon (gpointer object)
{
  gpointer weak = object;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (weak);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  assert_finalized_soon (f->cache);
  sa_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static JsonObject *
get (SaCache    *cache,
     const char *id,
     JsonNode  **keep)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (keep, json_node_unref);
  *keep = sa_cache_get_appeal (cache, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*keep);
  return json_node_get_object (*keep);
}

static gint64
count_sql (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Read-write: the first reader after a kill may have to recover the WAL. */
static char *
text_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static JsonObject *
args1 (const char *name,
       const char *value)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, name, value);
  return o;
}

static char *
local_op (SaCache    *cache,
          const char *id,
          const char *type,
          JsonObject *args)
{
  g_autoptr(GError) error = NULL;
  char *op_id = sa_cache_apply_local_op_sync (cache, id, type, args, &error);

  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (op_id));
  if (args != NULL)
    json_object_unref (args);
  return op_id;
}

static GPtrArray *
outbox (SaCache *cache)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = sa_cache_list_outbox (cache, &error);

  g_assert_no_error (error);
  return entries;
}

static JsonArray *
result_array (const char *op_id,
              const char *status,
              const char *code,
              JsonNode   *appeal)
{
  JsonArray *results = json_array_new ();
  JsonObject *r = json_object_new ();

  json_object_set_string_member (r, "op_id", op_id);
  json_object_set_string_member (r, "status", status);
  if (code != NULL)
    {
      json_object_set_string_member (r, "code", code);
      json_object_set_string_member (r, "message", "Another executor has this appeal.");
    }
  if (appeal != NULL)
    json_object_set_member (r, "appeal", appeal);
  json_array_add_object_element (results, r);
  return results;
}

/* ------------------------------------------------------------------ */
/* Tests */

static void
test_open_schema (Fixture       *f,
                  gconstpointer  data)
{
  /* A new cache is WAL, at the current schema; a newer schema is refused, not damaged. */
  g_autoptr(GError) error = NULL;
  g_autofree char *newer = g_build_filename (f->dir, "newer.db", NULL);
  SaCache *other;

  g_assert_cmpuint (_sa_cache_get_schema_version (f->cache), ==, 5);
  g_assert_cmpint (count_sql (f->path, "PRAGMA user_version"), ==, 5);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

    g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
  exec_sql (newer, "PRAGMA user_version = 99");
  other = sa_cache_open (newer, &error);
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_TOO_NEW);
  g_assert_null (other);
  g_assert_cmpint (count_sql (newer, "PRAGMA user_version"), ==, 99);
}

static void
test_stopped_clock_sorts_last (Fixture       *f,
                               gconstpointer  data)
{
  /* An appeal still owed an answer sorts by its nearer deadline; a closed
   * one owes nothing and sorts after all of them, also in a cache written
   * before that rule (schema 2), once it is opened again. */
  A closed = { ID3, "ALA-2026-000125", .status = "closed", .text = "Давно решено" };
  const char *due_of_closed = "SELECT sla_due_at FROM appeals WHERE id = '" ID3 "'";
  const char *due_of_open = "SELECT sla_due_at FROM appeals WHERE id = '" ID1 "'";
  g_autoptr(GError) error = NULL;
  SaCache *again;

  apply_appeals (f->cache, 11, &closed, NULL);
  g_assert_cmpint (count_sql (f->path, due_of_closed), ==, SA_CACHE_NO_DUE);
  g_assert_cmpint (count_sql (f->path, due_of_open), ==, 1763700000 + 20 * 86400);

  g_clear_object (&f->cache);
  {
    sqlite3 *db = NULL;

    /* As schema 2 wrote it. Without the triggers: their full-text index
     * needs the cache's own tokenizer, which this connection lacks. */
    g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE appeals SET sla_due_at = 1763700000"
                                       " WHERE id = '" ID3 "'; PRAGMA user_version = 2",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_cmpint (count_sql (f->path, due_of_closed), ==, 1763700000);
  again = sa_cache_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_sql (f->path, due_of_closed), ==, SA_CACHE_NO_DUE);
  g_assert_cmpint (count_sql (f->path, due_of_open), !=, SA_CACHE_NO_DUE);
  f->cache = again;
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  /* Sign-out removes the database, its WAL files and the account directory. */
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);

  g_assert_finalize_object (f->cache);
  g_assert_true (sa_cache_delete (f->path, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_true (sa_cache_delete (f->path, &error));
  f->cache = sa_cache_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sa_cache_get_cursor (f->cache), ==, 0);
}

static void
test_default_path (void)
{
  /* Each account gets its own cache under the data dir, with no login in the path. */
  g_autofree char *a = sa_cache_default_path ("https://r.example", "aliya");
  g_autofree char *b = sa_cache_default_path ("https://r.example", "bolat");
  g_autofree char *a2 = sa_cache_default_path ("https://r.example", "aliya");
  g_autofree char *prefix = g_build_filename (g_get_user_data_dir (), "smart-appeals",
                                              "accounts", NULL);

  g_assert_true (g_str_has_prefix (a, prefix));
  g_assert_true (g_str_has_suffix (a, "/cache.db"));
  g_assert_null (strstr (a, "aliya"));
  g_assert_cmpstr (a, ==, a2);
  g_assert_cmpstr (a, !=, b);
}

static void
test_feed_page (Fixture       *f,
                gconstpointer  data)
{
  /* A feed page stores appeals with history, reference data and the cursor; removal drops. */
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(JsonParser) p = json_parser_new ();
  A a1v2 = { ID1, "ALA-2026-000123", .status = "in_progress", .executor = "colleague",
             .version = 2 };
  JsonObject *o;

  g_assert_cmpint (sa_cache_get_cursor (f->cache), ==, 10);
  o = get (f->cache, ID1, &keep);
  g_assert_cmpstr (json_object_get_string_member (o, "reg_number"), ==, "ALA-2026-000123");
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM history"), ==, 2);

  g_assert_true (json_parser_load_from_data (p, "{\"code\":\"ENERGY\",\"name_ru\":\"Энергетика\","
                                                "\"name_kk\":\"Энергетика басқармасы\"}", -1,
                                             NULL));
  json_array_add_element (changes, change ("agency", "ENERGY",
                                           json_node_copy (json_parser_get_root (p))));
  json_array_add_element (changes, change ("appeal", ID1, appeal_node (&a1v2, NULL)));
  json_array_add_element (changes, change ("appeal", ID2, NULL));
  json_array_add_element (changes, change ("widget", "x", NULL));
  g_assert_true (sa_cache_apply_changes (f->cache, changes, 42, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sa_cache_get_cursor (f->cache), ==, 42);
  o = get (f->cache, ID1, &keep);
  g_assert_cmpstr (json_object_get_string_member (o, "executor"), ==, "colleague");
  g_assert_cmpint (json_object_get_int_member (o, "version"), ==, 2);
  g_assert_null (sa_cache_get_appeal (f->cache, ID2, &error));
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_NOT_FOUND);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM appeals"), ==, 1);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM history"), ==, 1);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM agencies WHERE name_kk ="
                                       " 'Энергетика басқармасы'"), ==, 1);
}

static void
test_feed_page_atomic (Fixture       *f,
                       gconstpointer  data)
{
  /* A page whose write fails in SQLite itself (not because of an entry) stores nothing, not even its first entries or the cursor. */
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  A a1v3 = { ID1, "ALA-2026-000123", .status = "closed", .version = 3 };
  A a3 = { ID3, "ALA-2026-000125" };

  json_array_add_element (changes, change ("appeal", ID1, appeal_node (&a1v3, NULL)));
  json_array_add_element (changes, change ("appeal", ID3, appeal_node (&a3, NULL)));
  /* The writes of ID3's appeal_docs row cannot even be compiled. */
  exec_sql (f->path, "CREATE TRIGGER fail BEFORE INSERT ON appeal_docs"
                     " WHEN new.json LIKE '%ALA-2026-000125%' BEGIN SELECT injected_failure (); END");
  g_assert_false (sa_cache_apply_changes (f->cache, changes, 99, &error));
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_FAILED);
  g_assert_cmpint (sa_cache_get_cursor (f->cache), ==, 10);
  g_assert_cmpstr (json_object_get_string_member (get (f->cache, ID1, &keep), "status"), ==,
                   "registered");
  g_assert_cmpint (sa_cache_count_unreadable (f->cache, NULL), ==, 0);
}

static void
test_feed_unreadable_set_aside (Fixture       *f,
                                gconstpointer  data)
{
  /* Entries the cache cannot read (no id, an appeal without its id, data SQLite refuses) do not hold the page back: the rest and the cursor are stored, each is kept whole and counted, the cache keeps what it had of that appeal, and a readable entry later takes its place. */
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(JsonArray) later = json_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(JsonNode) keep2 = NULL;
  g_autoptr(JsonNode) missing = NULL;
  A a1v3 = { ID1, "ALA-2026-000123", .status = "closed", .version = 3 };
  A a2v2 = { ID2, "ALA-2026-000124", .status = "in_progress", .version = 2 };
  A a3 = { ID3, "ALA-2026-000125" };
  JsonObject *no_id = json_object_new ();
  JsonNode *a2_broken = appeal_node (&a2v2, NULL);

  json_object_set_string_member (no_id, "kind", "appeal");
  json_array_add_object_element (changes, no_id);
  json_object_remove_member (json_node_get_object (a2_broken), "id");
  json_array_add_element (changes, change ("appeal", ID2, a2_broken));
  json_array_add_element (changes, change ("appeal", ID3, appeal_node (&a3, NULL)));
  json_array_add_element (changes, change ("appeal", ID1, appeal_node (&a1v3, NULL)));
  exec_sql (f->path, "CREATE TRIGGER refuse BEFORE INSERT ON appeals WHEN new.id = '" ID3 "'"
                     " BEGIN SELECT RAISE (ABORT, 'refused'); END");

  g_assert_true (sa_cache_apply_changes (f->cache, changes, 99, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sa_cache_get_cursor (f->cache), ==, 99);
  g_assert_cmpstr (json_object_get_string_member (get (f->cache, ID1, &keep), "status"), ==,
                   "closed");
  g_assert_cmpstr (json_object_get_string_member (get (f->cache, ID2, &keep2), "status"), ==,
                   "registered");
  missing = sa_cache_get_appeal (f->cache, ID3, NULL);
  g_assert_null (missing);
  g_assert_cmpint (sa_cache_count_unreadable (f->cache, &error), ==, 3);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM unreadable WHERE entity_id = '"
                                       ID2 "' AND entry LIKE '%in_progress%'"), ==, 1);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM unreadable WHERE entity_id = '"
                                       ID3 "' AND reason LIKE '%refused%'"), ==, 1);

  /* The registry sends both again, readable. */
  exec_sql (f->path, "DROP TRIGGER refuse");
  a2v2.version = 3;
  json_array_add_element (later, change ("appeal", ID2, appeal_node (&a2v2, NULL)));
  json_array_add_element (later, change ("appeal", ID3, appeal_node (&a3, NULL)));
  g_assert_true (sa_cache_apply_changes (f->cache, later, 120, &error));
  g_assert_no_error (error);
  g_clear_pointer (&keep2, json_node_unref);
  g_assert_cmpstr (json_object_get_string_member (get (f->cache, ID2, &keep2), "status"), ==,
                   "in_progress");
  g_clear_pointer (&missing, json_node_unref);
  missing = sa_cache_get_appeal (f->cache, ID3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (missing);
  /* The entry without an id has nothing to be replaced by: it stays. */
  g_assert_cmpint (sa_cache_count_unreadable (f->cache, &error), ==, 1);
}

static GPtrArray *
search (SaCache    *cache,
        const char *query)
{
  g_autoptr(SaAppealList) list = sa_appeal_list_new (cache);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  sa_appeal_list_set_query (list, query);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(SaAppealRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_ptr_array_add (ids, g_strdup (sa_appeal_row_get_id (row)));
    }
  return ids;
}

static void
assert_finds (SaCache    *cache,
              const char *query,
              const char *id)
{
  g_autoptr(GPtrArray) ids = search (cache, query);

  if (id == NULL)
    {
      g_assert_cmpuint (ids->len, ==, 0);
      return;
    }
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (ids->pdata[0], ==, id);
}

static void
test_fts_case (Fixture       *f,
               gconstpointer  data)
{
  /* Capitals find small letters in Russian and Kazakh, Kazakh letters included. */
  A a3 = { ID3, "ALA-2026-000200", .name = "Семёнов Пётр",
           .text = "ӘҒҚҢӨҰҮҺІ әріптер: өзен, ұя, үй, һ, іні; ёлка во дворе, иод" };

  apply_appeals (f->cache, 11, &a3, NULL);
  assert_finds (f->cache, "ҚАЗАҚ", ID1);
  assert_finds (f->cache, "қазақ", ID1);
  assert_finds (f->cache, "ӘЛИЯ", ID1);
  assert_finds (f->cache, "ОТОПЛЕНИЯ", ID2);
  assert_finds (f->cache, "әғқңөұүһі", ID3);
  assert_finds (f->cache, "ӨЗЕН ҰЯ ҮЙ ІНІ", ID3);
  /* Kazakh letters are letters of their own, not Russian look-alikes. */
  assert_finds (f->cache, "казак", NULL);
  /* ё and е are one letter for search, both ways; й stays й. */
  assert_finds (f->cache, "Семенов", ID3);
  assert_finds (f->cache, "ЕЛКА", ID3);
  assert_finds (f->cache, "иод", ID3);
  assert_finds (f->cache, "йод", NULL);
}

static void
test_fts_prefix (Fixture       *f,
                 gconstpointer  data)
{
  /* A word's beginning finds it, across the applicant, the address and the text. */
  g_autoptr(GPtrArray) all = NULL;

  assert_finds (f->cache, "жылу", ID1);
  assert_finds (f->cache, "ЖЫЛУМ", ID1);
  assert_finds (f->cache, "отопл", ID2);
  assert_finds (f->cache, "Сапар", ID1);
  assert_finds (f->cache, "жарок", ID1);
  assert_finds (f->cache, "отопл батар", ID2);
  assert_finds (f->cache, "отопл жылу", NULL);
  /* FTS5 syntax typed by the user is no error: without a word, no filter. */
  all = search (f->cache, "\"*)( отопл");
  g_assert_cmpuint (all->len, ==, 1);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = search (f->cache, "\"*)(");
  g_assert_cmpuint (all->len, ==, 2);
}

static void
test_fts_reg_number (Fixture       *f,
                     gconstpointer  data)
{
  /* The registration number, whole or a fragment, finds its appeal. */
  g_autoptr(GPtrArray) both = search (f->cache, "ALA-2026");

  assert_finds (f->cache, "ALA-2026-000123", ID1);
  assert_finds (f->cache, "ala-2026-000124", ID2);
  assert_finds (f->cache, "000123", ID1);
  g_assert_cmpuint (both->len, ==, 2);
  g_clear_pointer (&both, g_ptr_array_unref);
  both = search (f->cache, "2026-00012");
  g_assert_cmpuint (both->len, ==, 2);
  assert_finds (f->cache, "2025-000123", NULL);
}

static void
test_local_op (Fixture       *f,
               gconstpointer  data)
{
  /* A local op shows at once and waits in the outbox with the version it was made on. */
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *take = local_op (f->cache, ID1, "take", NULL);
  g_autofree char *comment = local_op (f->cache, ID1, "comment", args1 ("text", "Выезд завтра"));
  g_autofree char *prio = local_op (f->cache, ID1, "set_priority", args1 ("priority", "high"));
  g_autoptr(GError) error = NULL;
  JsonObject *o = get (f->cache, ID1, &keep);
  JsonArray *history = json_object_get_array_member (o, "history");
  JsonObject *last;
  SaOutboxEntry *e;

  g_assert_cmpstr (json_object_get_string_member (o, "executor"), ==, "me");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "in_progress");
  g_assert_cmpstr (json_object_get_string_member (o, "priority"), ==, "high");
  g_assert_cmpuint (json_array_get_length (history), ==, 4);
  last = json_array_get_object_element (history, 2);
  g_assert_cmpstr (json_object_get_string_member (last, "type"), ==, "comment");
  g_assert_true (json_object_get_boolean_member (last, "pending"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (last, "payload"),
                                                  "text"), ==, "Выезд завтра");
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID1), ==, SA_OFFLINE_MODIFIED);
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID2), ==, SA_OFFLINE_SYNCED);

  /* The server's JSON is untouched. */
  g_clear_pointer (&keep, json_node_unref);
  keep = _sa_cache_get_server_appeal (f->cache, ID1, &error);
  g_assert_null (json_object_get_string_member (json_node_get_object (keep), "executor"));

  entries = _sa_cache_get_unsynced_ops (f->cache, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  e = entries->pdata[0];
  g_assert_cmpstr (e->op_id, ==, take);
  g_assert_cmpstr (e->type, ==, "take");
  g_assert_cmpint (e->base_version, ==, 1);
  g_assert_cmpint (e->state, ==, SA_OP_PENDING);
  g_assert_cmpuint (e->attempts, ==, 0);
  e = entries->pdata[1];
  g_assert_cmpstr (e->op_id, ==, comment);
  g_assert_cmpint (e->base_version, ==, 2);
  e = entries->pdata[2];
  g_assert_cmpstr (e->op_id, ==, prio);
  g_assert_cmpint (e->base_version, ==, 3);
  {
    g_autoptr(JsonNode) wire = sa_outbox_entry_to_json (e);
    g_autofree char *text = json_to_string (wire, FALSE);

    g_assert_nonnull (strstr (text, "\"args\":{\"priority\":\"high\"}"));
    g_assert_nonnull (strstr (text, "\"base_version\":3"));
  }

  /* Invalid ops never reach the outbox. */
  g_assert_null (sa_cache_apply_local_op_sync (f->cache, ID1, "set_priority",
                                               NULL, &error));
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sa_cache_apply_local_op_sync (f->cache, "nope", "take", NULL, &error));
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_NOT_FOUND);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM outbox"), ==, 3);
}

static void
check_atomic_failure (Fixture    *f,
                      const char *trigger)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  char *op_id;

  exec_sql (f->path, trigger);
  op_id = sa_cache_apply_local_op_sync (f->cache, ID2, "take", NULL, &error);
  g_assert_null (op_id);
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "injected"));
  exec_sql (f->path, "DROP TRIGGER fail");
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_null (json_object_get_string_member (get (f->cache, ID2, &keep), "executor"));
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID2), ==, SA_OFFLINE_SYNCED);
}

static void
test_outbox_atomic (Fixture       *f,
                    gconstpointer  data)
{
  /* A failure at either write of a local op leaves neither the appeal change nor the entry. */
  g_autofree char *op = NULL;

  /* Fails after the outbox row is in, at the appeal's write. */
  check_atomic_failure (f, "CREATE TRIGGER fail BEFORE INSERT ON appeal_docs"
                           " BEGIN SELECT RAISE (ABORT, 'injected'); END");
  /* Fails at the outbox row itself. */
  check_atomic_failure (f, "CREATE TRIGGER fail BEFORE INSERT ON outbox"
                           " BEGIN SELECT RAISE (ABORT, 'injected'); END");
  /* And the same cache works afterwards. */
  op = local_op (f->cache, ID2, "take", NULL);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM outbox"), ==, 1);
}

static void
test_outbox_durable (Fixture       *f,
                     gconstpointer  data)
{
  /* Local ops and "sent" marks sync the WAL at commit (synchronous=FULL); feed pages do not. */
  A a2v2 = { ID2, "ALA-2026-000124", .status = "in_progress", .version = 2 };
  g_autofree char *op = NULL;
  const char *sent[] = { NULL, NULL };
  gint before;

  before = g_atomic_int_get (&wal_syncs);
  op = local_op (f->cache, ID1, "comment", args1 ("text", "записано"));
  g_assert_cmpint (g_atomic_int_get (&wal_syncs), >, before);

  before = g_atomic_int_get (&wal_syncs);
  apply_appeals (f->cache, 12, &a2v2, NULL);
  g_assert_cmpint (g_atomic_int_get (&wal_syncs), ==, before);

  /* And back to durable for the next edit. */
  g_clear_pointer (&op, g_free);
  op = local_op (f->cache, ID2, "take", NULL);
  g_assert_cmpint (g_atomic_int_get (&wal_syncs), >, before);

  /* "Sent" is durable too: after a crash a pushed op must not look undoable. */
  before = g_atomic_int_get (&wal_syncs);
  sent[0] = op;
  g_assert_true (_sa_cache_mark_ops_sent (f->cache, sent, NULL));
  g_assert_cmpint (g_atomic_int_get (&wal_syncs), >, before);
}

static void
test_outbox_conflict (Fixture       *f,
                      gconstpointer  data)
{
  /* A conflict keeps the user's op and the registry's appeal side by side until re-applied. */
  A theirs = { ID1, "ALA-2026-000123", .priority = "critical", .status = "in_progress",
               .executor = "colleague", .version = 2 };
  g_autofree char *op = local_op (f->cache, ID1, "set_priority", args1 ("priority", "high"));
  g_autofree char *again = NULL;
  const char *ids[] = { op, NULL };
  g_autoptr(JsonArray) results = result_array (op, "conflict", NULL, appeal_node (&theirs, NULL));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) unsynced = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  SaOutboxEntry *e;

  g_assert_true (_sa_cache_mark_ops_sent (f->cache, ids, &error));
  g_assert_true (sa_cache_apply_push_results (f->cache, results, &error));
  g_assert_no_error (error);

  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  e = entries->pdata[0];
  g_assert_cmpint (e->state, ==, SA_OP_CONFLICT);
  g_assert_cmpuint (e->attempts, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (e->args), "priority"),
                   ==, "high");
  g_assert_nonnull (e->conflict_appeal);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (e->conflict_appeal),
                                                  "priority"), ==, "critical");
  /* The list shows the registry's state with a conflict mark; nothing is pushed. */
  g_assert_cmpstr (json_object_get_string_member (get (f->cache, ID1, &keep), "priority"), ==,
                   "critical");
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID1), ==, SA_OFFLINE_CONFLICT);
  unsynced = _sa_cache_get_unsynced_ops (f->cache, 0, &error);
  g_assert_cmpuint (unsynced->len, ==, 0);
  g_assert_false (sa_cache_undo_op_sync (f->cache, op, &error));
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_STATE);
  g_clear_error (&error);

  /* Re-applied: a new op on top of version 2. */
  again = sa_cache_reapply_op_sync (f->cache, op, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, !=, op);
  g_clear_pointer (&unsynced, g_ptr_array_unref);
  unsynced = _sa_cache_get_unsynced_ops (f->cache, 0, &error);
  g_assert_cmpuint (unsynced->len, ==, 1);
  e = unsynced->pdata[0];
  g_assert_cmpstr (e->op_id, ==, again);
  g_assert_cmpint (e->base_version, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (get (f->cache, ID1, &keep), "priority"), ==,
                   "high");
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID1), ==, SA_OFFLINE_MODIFIED);
}

static void
test_outbox_conflict_discard (Fixture       *f,
                              gconstpointer  data)
{
  /* Dropping a conflicting op leaves the registry's appeal, synced. */
  A theirs = { ID1, "ALA-2026-000123", .priority = "low", .version = 2 };
  g_autofree char *op = local_op (f->cache, ID1, "set_priority", args1 ("priority", "high"));
  g_autoptr(JsonArray) results = result_array (op, "conflict", NULL, appeal_node (&theirs, NULL));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;

  g_assert_true (sa_cache_apply_push_results (f->cache, results, &error));
  g_assert_true (sa_cache_discard_op_sync (f->cache, op, &error));
  g_assert_no_error (error);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (get (f->cache, ID1, &keep), "priority"), ==,
                   "low");
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID1), ==, SA_OFFLINE_SYNCED);
}

static void
test_outbox_rejected (Fixture       *f,
                      gconstpointer  data)
{
  /* A rejected op stays with its reason, across a restart, until the user dismisses it. */
  g_autofree char *op = local_op (f->cache, ID1, "take", NULL);
  g_autoptr(JsonArray) results = result_array (op, "rejected", "taken_by_other", NULL);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  SaOutboxEntry *e;

  g_assert_true (sa_cache_apply_push_results (f->cache, results, &error));
  g_assert_no_error (error);
  g_assert_null (json_object_get_string_member (get (f->cache, ID1, &keep), "executor"));
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID1), ==, SA_OFFLINE_REJECTED);

  g_assert_finalize_object (f->cache);
  f->cache = sa_cache_open (f->path, &error);
  g_assert_no_error (error);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  e = entries->pdata[0];
  g_assert_cmpint (e->state, ==, SA_OP_REJECTED);
  g_assert_cmpstr (e->error_code, ==, "taken_by_other");
  g_assert_cmpstr (e->last_error, ==, "Another executor has this appeal.");
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID1), ==, SA_OFFLINE_REJECTED);

  g_assert_true (sa_cache_discard_op_sync (f->cache, op, &error));
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID1), ==, SA_OFFLINE_SYNCED);
}

static void
test_outbox_undo (Fixture       *f,
                  gconstpointer  data)
{
  /* Undo removes an unsent op and rebuilds the appeal from the server JSON and the rest. */
  g_autofree char *prio = local_op (f->cache, ID1, "set_priority", args1 ("priority", "high"));
  g_autofree char *comment = local_op (f->cache, ID1, "comment", args1 ("text", "остаётся"));
  const char *sent[] = { comment, NULL };
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o;
  SaOutboxEntry *e;

  g_assert_true (sa_cache_undo_op_sync (f->cache, prio, &error));
  g_assert_no_error (error);
  o = get (f->cache, ID1, &keep);
  g_assert_cmpstr (json_object_get_string_member (o, "priority"), ==, "normal");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "history")), ==, 2);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  e = entries->pdata[0];
  g_assert_cmpstr (e->op_id, ==, comment);
  /* It no longer waits for the undone op's version bump. */
  g_assert_cmpint (e->base_version, ==, 1);
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID1), ==, SA_OFFLINE_MODIFIED);

  /* A sent op may have been applied: it cannot be undone. */
  g_assert_true (_sa_cache_mark_ops_sent (f->cache, sent, &error));
  g_assert_false (sa_cache_undo_op_sync (f->cache, comment, &error));
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (sa_cache_undo_op_sync (f->cache, prio, &error));
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_NOT_FOUND);
}

static void
test_outbox_applied (Fixture       *f,
                     gconstpointer  data)
{
  /* Applied ops leave the outbox, also when only the feed tells (a lost answer). */
  g_autofree char *a = local_op (f->cache, ID1, "comment", args1 ("text", "первый"));
  g_autofree char *b = local_op (f->cache, ID2, "comment", args1 ("text", "второй"));
  A a1v2 = { ID1, "ALA-2026-000123", .version = 2 };
  g_autoptr(JsonArray) results = result_array (a, "applied", NULL, appeal_node (&a1v2, a));
  g_autoptr(JsonArray) changes = json_array_new ();
  A a2v2 = { ID2, "ALA-2026-000124", .version = 2 };
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;

  g_assert_true (sa_cache_apply_push_results (f->cache, results, &error));
  g_assert_no_error (error);
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID1), ==, SA_OFFLINE_SYNCED);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      get (f->cache, ID1, &keep), "history")), ==, 2);

  json_array_add_element (changes, change ("appeal", ID2, appeal_node (&a2v2, b)));
  g_assert_true (sa_cache_apply_changes (f->cache, changes, 20, &error));
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 0);
  /* Shown once, not twice. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      get (f->cache, ID2, &keep), "history")), ==, 2);
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID2), ==, SA_OFFLINE_SYNCED);
}

static void
test_feed_keeps_pending_on_top (Fixture       *f,
                                gconstpointer  data)
{
  /* A newer registry state arrives under a pending op: both show, the op still waits. */
  g_autofree char *op = local_op (f->cache, ID1, "comment", args1 ("text", "мой комментарий"));
  A theirs = { ID1, "ALA-2026-000123", .priority = "critical", .version = 2 };
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  JsonObject *o;

  apply_appeals (f->cache, 30, &theirs, NULL);
  o = get (f->cache, ID1, &keep);
  g_assert_cmpstr (json_object_get_string_member (o, "priority"), ==, "critical");
  /* The registry's version 2 and the pending op on top, as it will apply. */
  g_assert_cmpint (json_object_get_int_member (o, "version"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "history")), ==, 2);
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID1), ==, SA_OFFLINE_MODIFIED);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
}

static void
test_reset_keeps_outbox (Fixture       *f,
                         gconstpointer  data)
{
  /* A 410 reset forgets mirrored data and cursor but keeps every outbox entry. */
  g_autofree char *op = local_op (f->cache, ID1, "take", NULL);
  const char *sent[] = { op, NULL };
  A a1 = { ID1, "ALA-2026-000123" };
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  SaOutboxEntry *e;

  g_assert_true (_sa_cache_mark_ops_sent (f->cache, sent, &error));
  g_assert_true (sa_cache_reset (f->cache, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sa_cache_get_cursor (f->cache), ==, 0);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM appeals"), ==, 0);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM history"), ==, 0);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  e = entries->pdata[0];
  g_assert_cmpstr (e->op_id, ==, op);
  g_assert_cmpint (e->state, ==, SA_OP_PENDING);

  /* Pulled again from 0, the appeal shows the op on top again. */
  apply_appeals (f->cache, 5, &a1, NULL);
  g_assert_cmpstr (json_object_get_string_member (get (f->cache, ID1, &keep), "executor"), ==,
                   "me");
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID1), ==, SA_OFFLINE_MODIFIED);
}

static void
test_outbox_order (Fixture       *f,
                   gconstpointer  data)
{
  /* Ops come out in the order made, across appeals and a restart; failures keep them queued. */
  g_autofree char *a = local_op (f->cache, ID1, "comment", args1 ("text", "раз"));
  g_autofree char *b = local_op (f->cache, ID2, "take", NULL);
  g_autofree char *c = local_op (f->cache, ID1, "comment", args1 ("text", "три"));
  const char *sent[] = { a, b, NULL };
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  SaOutboxEntry *e;

  g_assert_finalize_object (f->cache);
  f->cache = sa_cache_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (get (f->cache, ID2, &keep), "executor"), ==,
                   "me");

  /* The engine takes a batch: read and marked sent at once, no longer undoable. */
  first = sa_cache_begin_push_before (f->cache, 2, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 2);
  g_assert_cmpstr (((SaOutboxEntry *) first->pdata[0])->op_id, ==, a);
  g_assert_cmpstr (((SaOutboxEntry *) first->pdata[1])->op_id, ==, b);
  g_assert_false (sa_cache_undo_op_sync (f->cache, a, &error));
  g_assert_error (error, SA_CACHE_ERROR, SA_CACHE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (sa_cache_undo_op_sync (f->cache, c, &error));
  g_clear_pointer (&c, g_free);
  c = local_op (f->cache, ID1, "comment", args1 ("text", "три"));
  {
    const char *failed[] = { b, NULL };

    g_assert_true (sa_cache_mark_ops_failed (f->cache, failed, "HTTP 503", &error));
  }
  /* A retry counts a second attempt. */
  g_assert_true (_sa_cache_mark_ops_sent (f->cache, sent, &error));
  g_assert_no_error (error);

  all = _sa_cache_get_unsynced_ops (f->cache, 0, &error);
  g_assert_cmpuint (all->len, ==, 3);
  e = all->pdata[1];
  g_assert_cmpstr (e->op_id, ==, b);
  g_assert_cmpint (e->state, ==, SA_OP_SENT);
  g_assert_cmpuint (e->attempts, ==, 2);
  g_assert_cmpstr (e->last_error, ==, "HTTP 503");
  e = all->pdata[2];
  g_assert_cmpstr (e->op_id, ==, c);
  g_assert_cmpint (e->base_version, ==, 2);
  g_assert_cmpint (e->state, ==, SA_OP_PENDING);
}

static GThread *main_thread;

static void
on_changed (SaCache     *cache,
            const char **ids,
            gpointer     data)
{
  GPtrArray *seen = data;

  g_assert_true (g_thread_self () == main_thread);
  g_ptr_array_add (seen, g_strdup (ids != NULL ? ids[0] : "(all)"));
}

static void
on_op_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  char **op_id = data;
  g_autoptr(GError) error = NULL;

  *op_id = sa_cache_apply_local_op_finish (SA_CACHE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  /* The async edit writes on a worker and reports, and signals, on the caller's context, on the caller's thread, also when that thread was busy, not running its context, while the worker wrote. */
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *op_id = NULL;
  g_autoptr(JsonObject) args = args1 ("text", "из потока");
  gulong id = g_signal_connect (f->cache, "appeals-changed", G_CALLBACK (on_changed), seen);

  sa_cache_apply_local_op_async (f->cache, ID2, "comment", args, NULL, on_op_done, &op_id);
  /* Busy elsewhere: the worker finds the context free to take. on_changed()
   * asserts it runs on this thread. */
  g_usleep (G_USEC_PER_SEC / 2);
  while (op_id == NULL || seen->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_uuid_string_is_valid (op_id));
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (seen->pdata[0], ==, ID2);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM outbox"), ==, 1);
  g_signal_handler_disconnect (f->cache, id);
}

static void
on_ready (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_async_open_undo (Fixture       *f,
                      gconstpointer  data)
{
  /* Opening and undoing off the main thread give the same results as the sync calls. */
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) undone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *op = local_op (f->cache, ID1, "set_priority", args1 ("priority", "critical"));
  g_autofree char *other_path = g_build_filename (f->dir, "other", "cache.db", NULL);
  SaCache *other;

  sa_cache_open_async (other_path, NULL, on_ready, &opened);
  other = sa_cache_open_finish (wait_for (&opened), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_sa_cache_get_schema_version (other), ==, 5);
  g_assert_cmpint (sa_cache_get_cursor (other), ==, 0);
  assert_finalized_soon (other);

  sa_cache_undo_op_async (f->cache, op, NULL, on_ready, &undone);
  g_assert_true (sa_cache_undo_op_finish (f->cache, wait_for (&undone), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (get (f->cache, ID1, &keep), "priority"), ==,
                   "normal");
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM outbox"), ==, 0);
}

/* ------------------------------------------------------------------ */
/* Killed at random points */

/* The child: local edits and feed pages in a loop on @path, printing each
 * op_id once sa_cache_apply_local_op_sync() has returned it. */
static int
kill_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaCache) cache = sa_cache_open (path, &error);
  A a1 = { ID1, "ALA-2026-000123" };
  A a2 = { ID2, "ALA-2026-000124" };

  if (cache == NULL)
    g_error ("child: %s", error->message);
  for (guint n = 0; ; n++)
    {
      g_autoptr(JsonObject) args = args1 ("text", "правка");
      g_autofree char *op = NULL;

      if (n % 4 == 3)
        {
          apply_appeals (cache, n, &a1, &a2, NULL);
          continue;
        }
      op = sa_cache_apply_local_op_sync (cache, n % 2 ? ID1 : ID2, "comment", args, &error);
      if (op == NULL)
        g_error ("child: %s", error->message);
      printf ("%s\n", op);
      fflush (stdout);
    }
  return 0;
}

static guint
pending_history_items (SaCache    *cache,
                       const char *id)
{
  g_autoptr(JsonNode) node = sa_cache_get_appeal (cache, id, NULL);
  JsonArray *history = json_object_get_array_member (json_node_get_object (node), "history");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (history); i++)
    n += json_object_get_boolean_member_with_default (json_array_get_object_element (history, i),
                                                      "pending", FALSE);
  return n;
}

static void
test_killed (Fixture       *f,
             gconstpointer  data)
{
  /* Killed with SIGKILL at 200 random points, the cache stays sound and keeps every acknowledged op. */
  g_autoptr(GHashTable) acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *exe = g_test_get_filename (G_TEST_BUILT, "test-cache", NULL);
  guint rounds = g_test_slow () ? 500 : 200;

  g_assert_finalize_object (f->cache);
  f->cache = NULL;
  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                                       exe, "--kill-child", f->path, NULL);
      g_autoptr(GDataInputStream) in = NULL;
      g_autoptr(GPtrArray) entries = NULL;
      g_autoptr(SaCache) cache = NULL;
      GHashTableIter iter;
      gpointer key;
      guint per_appeal[2] = { 0, 0 };
      char *line;

      g_assert_no_error (error);
      in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
      /* Every tenth kill comes after a first acknowledged op, so that some
       * are, however slowly the child starts (under ASan, on a busy
       * machine, all 200 random kills could come before the first one). */
      if (round % 10 == 9 && (line = g_data_input_stream_read_line (in, NULL, NULL, NULL)) != NULL)
        {
          if (g_uuid_string_is_valid (line))
            g_hash_table_add (acked, line);
          else
            g_free (line);
        }
      g_usleep (g_test_rand_int_range (2000, 40000));
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_false (g_subprocess_get_if_exited (child) &&
                      g_subprocess_get_exit_status (child) != 0);

      /* Only whole lines were acknowledged. */
      while ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL)) != NULL)
        if (g_uuid_string_is_valid (line))
          g_hash_table_add (acked, line);
        else
          g_free (line);

      {
        g_autofree char *check = text_sql (f->path, "PRAGMA integrity_check");

        g_assert_cmpstr (check, ==, "ok");
      }
      cache = sa_cache_open (f->path, &error);
      g_assert_no_error (error);
      entries = outbox (cache);
      {
        g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);

        for (guint i = 0; i < entries->len; i++)
          {
            SaOutboxEntry *e = entries->pdata[i];

            g_hash_table_add (present, e->op_id);
            per_appeal[g_str_equal (e->appeal_id, ID1) ? 0 : 1]++;
          }
        g_hash_table_iter_init (&iter, acked);
        while (g_hash_table_iter_next (&iter, &key, NULL))
          g_assert_true (g_hash_table_contains (present, key));
      }
      /* Each appeal shows exactly its outbox entries on top. */
      g_assert_cmpuint (pending_history_items (cache, ID1), ==, per_appeal[0]);
      g_assert_cmpuint (pending_history_items (cache, ID2), ==, per_appeal[1]);
    }
  g_test_message ("%u ops acknowledged across %u kills", g_hash_table_size (acked), rounds);
  g_assert_cmpuint (g_hash_table_size (acked), >, 0);
  f->cache = sa_cache_open (f->path, NULL);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--kill-child"))
    return kill_child (argv[2]);
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();
  install_shim ();

#define ADD(path, fn) g_test_add ("/sa/cache/" path, Fixture, NULL, fixture_setup, fn, \
                                  fixture_teardown)
  ADD ("open/schema", test_open_schema);
  ADD ("stopped-clock-sorts-last", test_stopped_clock_sorts_last);
  g_test_add_func ("/sa/cache/open/default-path", test_default_path);
  ADD ("open/delete", test_delete);
  ADD ("feed/page", test_feed_page);
  ADD ("feed/page-is-atomic", test_feed_page_atomic);
  ADD ("feed/unreadable-set-aside", test_feed_unreadable_set_aside);
  ADD ("feed/pending-stays-on-top", test_feed_keeps_pending_on_top);
  ADD ("feed/reset-keeps-outbox", test_reset_keeps_outbox);
  ADD ("fts/case-ru-kk", test_fts_case);
  ADD ("fts/prefix", test_fts_prefix);
  ADD ("fts/reg-number", test_fts_reg_number);
  ADD ("outbox/local-op", test_local_op);
  ADD ("outbox/atomic", test_outbox_atomic);
  ADD ("outbox/durable", test_outbox_durable);
  ADD ("outbox/conflict-reapply", test_outbox_conflict);
  ADD ("outbox/conflict-discard", test_outbox_conflict_discard);
  ADD ("outbox/rejected", test_outbox_rejected);
  ADD ("outbox/undo", test_outbox_undo);
  ADD ("outbox/applied", test_outbox_applied);
  ADD ("outbox/order-restart-failure", test_outbox_order);
  ADD ("outbox/async", test_async);
  ADD ("outbox/async-open-undo", test_async_open_undo);
  ADD ("outbox/killed-at-random", test_killed);
#undef ADD

  return g_test_run ();
}
