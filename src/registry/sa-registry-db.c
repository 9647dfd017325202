/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-db"

#include "config.h"

#include <string.h>

#include "sa-registry-db-private.h"
#include "sa-registry-private.h"
#include "sa-sqlite.h"

G_DEFINE_QUARK (sa-registry-error-quark, sa_registry_error)

struct _SaRegistryDb
{
  GObject     parent_instance;

  SaSqlite   *sql;
  sqlite3    *handle;  /* sa_sqlite_get_handle (sql) */
  /* The highest sequence number the open transaction wrote to the feed. */
  gint64      pending_seq;
  /* Why the storage last failed (a full disk, an I/O error), until a
   * commit goes through again; /healthz reports it. */
  char       *write_failure;
};

enum {
  FEED_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SaRegistryDb, sa_registry_db, G_TYPE_OBJECT)

/* Each entry moves the schema from version i to i + 1; PRAGMA
 * user_version records how far a database has come. Never edit an entry
 * once released: append a new one. */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE districts (code TEXT PRIMARY KEY, name_ru TEXT NOT NULL,"
  "  name_kk TEXT NOT NULL);"
  "CREATE TABLE streets (name TEXT PRIMARY KEY COLLATE NOCASE,"
  "  district TEXT NOT NULL REFERENCES districts (code));"
  "CREATE TABLE agencies (code TEXT PRIMARY KEY, name_ru TEXT NOT NULL,"
  "  name_kk TEXT NOT NULL, kind TEXT NOT NULL, districts TEXT NOT NULL DEFAULT '*');"
  "CREATE TABLE categories (code TEXT PRIMARY KEY, name_ru TEXT NOT NULL,"
  "  name_kk TEXT NOT NULL, sphere TEXT NOT NULL,"
  "  default_agency TEXT NOT NULL REFERENCES agencies (code),"
  "  criticality TEXT NOT NULL, reaction_minutes INTEGER NOT NULL,"
  "  resolution_minutes INTEGER NOT NULL, clock TEXT NOT NULL);"
  "CREATE TABLE users (id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE,"
  "  full_name TEXT NOT NULL, agency TEXT NOT NULL REFERENCES agencies (code),"
  "  role TEXT NOT NULL CHECK (role IN " SA_ROLES_ALL_SQL "),"
  "  pwhash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX users_agency ON users (agency);"
  "CREATE TABLE tokens (hash TEXT PRIMARY KEY, kind TEXT NOT NULL"
  "  CHECK (kind IN ('access','refresh')),"
  "  user_id INTEGER NOT NULL REFERENCES users (id), family TEXT NOT NULL,"
  "  expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX tokens_family ON tokens (family);"
  "CREATE TABLE reg_counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);"
  "CREATE TABLE appeals (id TEXT PRIMARY KEY, reg_number TEXT NOT NULL UNIQUE,"
  "  channel TEXT NOT NULL, status TEXT NOT NULL, priority TEXT NOT NULL,"
  "  category TEXT NOT NULL REFERENCES categories (code),"
  "  agency TEXT NOT NULL REFERENCES agencies (code), intake_agency TEXT,"
  "  executor TEXT, applicant_name TEXT, applicant_iin TEXT NOT NULL,"
  "  applicant_phone TEXT, applicant_email TEXT, address_text TEXT,"
  "  district TEXT REFERENCES districts (code), lat REAL, lon REAL,"
  "  text TEXT NOT NULL, language TEXT, received_at INTEGER NOT NULL,"
  "  legal_due_at INTEGER NOT NULL, reaction_due_at INTEGER, resolution_due_at INTEGER,"
  "  version INTEGER NOT NULL DEFAULT 1, is_repeat INTEGER NOT NULL DEFAULT 0,"
  "  repeat_of TEXT REFERENCES appeals (id), created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE INDEX appeals_agency ON appeals (agency, status);"
  "CREATE INDEX appeals_applicant ON appeals (applicant_iin, category, received_at);"
  "CREATE INDEX appeals_received ON appeals (received_at);"
  "CREATE TABLE appeal_agencies (appeal_id TEXT NOT NULL REFERENCES appeals (id),"
  "  agency TEXT NOT NULL REFERENCES agencies (code), role TEXT NOT NULL,"
  "  PRIMARY KEY (appeal_id, agency)) WITHOUT ROWID;"
  "CREATE INDEX appeal_agencies_agency ON appeal_agencies (agency);"
  "CREATE TABLE history (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  appeal_id TEXT NOT NULL REFERENCES appeals (id), at INTEGER NOT NULL,"
  "  actor TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL DEFAULT '{}');"
  "CREATE INDEX history_appeal ON history (appeal_id, seq);"
  /* The database itself keeps history append-only and appeals forever,
   * whatever a future bug or a hand-typed sqlite3 session tries. */
  "CREATE TRIGGER history_no_update BEFORE UPDATE ON history"
  "  BEGIN SELECT RAISE (ABORT, 'history is append-only'); END;"
  "CREATE TRIGGER history_no_delete BEFORE DELETE ON history"
  "  BEGIN SELECT RAISE (ABORT, 'history is append-only'); END;"
  "CREATE TRIGGER appeals_no_delete BEFORE DELETE ON appeals"
  "  BEGIN SELECT RAISE (ABORT, 'appeals are never deleted'); END;"
  "CREATE TABLE ops (op_id TEXT PRIMARY KEY, user_id INTEGER NOT NULL,"
  "  digest TEXT NOT NULL, result TEXT NOT NULL, at INTEGER NOT NULL);"
  /* One row per entity at its latest change; INSERT OR REPLACE moves it
   * to a new sequence number. 'revoke' rows tell an agency that it lost
   * sight of an appeal; compact prunes those and raises feed_horizon. */
  "CREATE TABLE feed (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL, agency TEXT, UNIQUE (kind, entity_id));"
  "INSERT INTO meta (key, value) VALUES ('feed_horizon', '0');",
  /* 1 → 2: attachments. The bytes live in files named by their SHA-256
   * beside the database (sa-registry-attachments.c); these rows say what
   * each file is and which appeals it belongs to. */
  "CREATE TABLE attachments (sha256 TEXT PRIMARY KEY, content_type TEXT NOT NULL,"
  "  size INTEGER NOT NULL, created_at INTEGER NOT NULL, uploaded_by TEXT NOT NULL)"
  "  WITHOUT ROWID;"
  "CREATE TABLE appeal_attachments (appeal_id TEXT NOT NULL REFERENCES appeals (id),"
  "  sha256 TEXT NOT NULL REFERENCES attachments (sha256), name TEXT NOT NULL,"
  "  added_at INTEGER NOT NULL, added_by TEXT NOT NULL,"
  "  PRIMARY KEY (appeal_id, sha256)) WITHOUT ROWID;"
  "CREATE INDEX appeal_attachments_sha256 ON appeal_attachments (sha256);",
  /* 2 → 3: an op's history event keeps when the person made it (offline
   * edits arrive later) and the op it came from; an appeal keeps when it
   * was answered, which stops its clock. */
  "ALTER TABLE history ADD COLUMN made_at INTEGER;"
  "ALTER TABLE history ADD COLUMN op_id TEXT;"
  "ALTER TABLE appeals ADD COLUMN answered_at INTEGER;",
  /* 3 → 4: who uploaded which file, each uploader once, and when last: an
   * upload proves that its user has the bytes and lets them attach the
   * file (sa-registry-attachments.c); a hash alone no longer does.
   * Logins are unique without regard to case; a database with two logins
   * that differ only in case stops here, and one must be renamed. */
  "CREATE TABLE attachment_uploads (sha256 TEXT NOT NULL REFERENCES attachments (sha256),"
  "  login TEXT NOT NULL, uploaded_at INTEGER NOT NULL, PRIMARY KEY (sha256, login))"
  "  WITHOUT ROWID;"
  "INSERT INTO attachment_uploads (sha256, login, uploaded_at)"
  "  SELECT sha256, uploaded_by, created_at FROM attachments;"
  "CREATE UNIQUE INDEX users_login_nocase ON users (login COLLATE NOCASE);",
  /* 4 → 5: intake's idempotency keys (sa-registry-appeals.c); an applied
   * op keeps the version it made, not a copy of the appeal with its whole
   * history (a duplicate answer reads the appeal as it is now); and map
   * points that JSON cannot carry, stored before intake checked them,
   * are cleared. */
  "CREATE TABLE intakes (intake_id TEXT PRIMARY KEY, user_id INTEGER NOT NULL,"
  "  digest TEXT NOT NULL, appeal_id TEXT NOT NULL REFERENCES appeals (id),"
  "  at INTEGER NOT NULL) WITHOUT ROWID;"
  "UPDATE ops SET result = json_object ('status', 'applied',"
  "  'version', json_extract (result, '$.appeal.version'))"
  "  WHERE json_valid (result) AND json_type (result, '$.appeal') IS NOT NULL;"
  "UPDATE appeals SET lat = NULL, lon = NULL WHERE abs (lat) > 1e308 OR abs (lon) > 1e308;",
  /* 5 → 6: the street gazetteer as data/reference/streets.txt gives it
   * (init loads it); `streets` stays the lookup intake derives districts
   * from. districts: codes separated by commas, '' when not known. */
  "CREATE TABLE gazetteer (id INTEGER PRIMARY KEY, districts TEXT NOT NULL,"
  "  type_ru TEXT NOT NULL, name_ru TEXT NOT NULL, name_kk TEXT NOT NULL,"
  "  type_kk TEXT NOT NULL, UNIQUE (type_ru, name_ru));",
  /* 6 → 7: replies (docs/replies.md), one row each, and every text that
   * was submitted for approval; a sent reply and a submitted version are
   * kept as they are by the database itself; a joint answer names the
   * parts it includes. An appeal reopened on its applicant's disagreement
   * is under its supervisor's control; an extended one must be notified
   * by a date. Every sent reply waits in deliveries for its channel. */
  "CREATE TABLE replies (id TEXT PRIMARY KEY, appeal_id TEXT NOT NULL REFERENCES appeals (id),"
  "  kind TEXT NOT NULL, agency TEXT NOT NULL REFERENCES agencies (code),"
  "  state TEXT NOT NULL, visibility TEXT NOT NULL, language TEXT NOT NULL,"
  "  text TEXT NOT NULL, author TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 0,"
  "  approved_by TEXT, sent_at INTEGER, returned_comment TEXT, returned_by TEXT,"
  "  parts TEXT, without_parts_reason TEXT,"
  "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
  "CREATE INDEX replies_appeal ON replies (appeal_id);"
  "CREATE TABLE reply_versions (reply_id TEXT NOT NULL REFERENCES replies (id),"
  "  version INTEGER NOT NULL, text TEXT NOT NULL, visibility TEXT NOT NULL,"
  "  language TEXT NOT NULL, submitted_at INTEGER NOT NULL,"
  "  PRIMARY KEY (reply_id, version)) WITHOUT ROWID;"
  "CREATE TRIGGER replies_no_delete BEFORE DELETE ON replies"
  "  BEGIN SELECT RAISE (ABORT, 'replies are never deleted'); END;"
  "CREATE TRIGGER replies_sent_frozen BEFORE UPDATE ON replies"
  "  WHEN OLD.state = " SA_SQL_QUOTE (SA_REPLY_STATE_NAME_SENT)
  "  BEGIN SELECT RAISE (ABORT, 'a sent reply cannot change'); END;"
  "CREATE TRIGGER reply_versions_no_update BEFORE UPDATE ON reply_versions"
  "  BEGIN SELECT RAISE (ABORT, 'reply versions are append-only'); END;"
  "CREATE TRIGGER reply_versions_no_delete BEFORE DELETE ON reply_versions"
  "  BEGIN SELECT RAISE (ABORT, 'reply versions are append-only'); END;"
  "ALTER TABLE appeals ADD COLUMN under_control INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE appeals ADD COLUMN notify_applicant_by INTEGER;"
  "ALTER TABLE appeals ADD COLUMN applicant_notified_at INTEGER;"
  "CREATE TABLE deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  reply_id TEXT NOT NULL UNIQUE REFERENCES replies (id),"
  "  appeal_id TEXT NOT NULL REFERENCES appeals (id), channel TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','delivered','failed')),"
  "  detail TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
  "CREATE INDEX deliveries_channel ON deliveries (channel, state, id);",
  /* 7 → 8: reply templates, city-wide (agency NULL) or an agency's own;
   * the appeal's files a reply includes (a JSON array of their SHA-256);
   * the template a contact centre's quick answer was given from. */
  "CREATE TABLE reply_templates (id TEXT PRIMARY KEY, agency TEXT REFERENCES agencies (code),"
  "  category TEXT NOT NULL, language TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL,"
  "  disabled INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL);"
  "ALTER TABLE replies ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';"
  "ALTER TABLE reply_versions ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';"
  "ALTER TABLE replies ADD COLUMN template_id TEXT;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SA_REGISTRY_DB_SCHEMA_VERSION);

static void
sa_registry_db_finalize (GObject *object)
{
  SaRegistryDb *self = SA_REGISTRY_DB (object);

  g_clear_pointer (&self->write_failure, g_free);
  g_clear_pointer (&self->sql, sa_sqlite_close);
  self->handle = NULL;

  G_OBJECT_CLASS (sa_registry_db_parent_class)->finalize (object);
}

static void
sa_registry_db_class_init (SaRegistryDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sa_registry_db_finalize;

  /**
   * SaRegistryDb::feed-changed:
   * @self: the database
   * @seq: the newest sequence number in the change feed
   *
   * Emitted after a commit that added to the change feed, on the thread
   * that committed (the main loop). The WebSocket push listens to it.
   */
  signals[FEED_CHANGED] = g_signal_new ("feed-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
sa_registry_db_init (SaRegistryDb *self)
{
}

/* Remembers a failure of the storage itself (a full disk, an I/O error),
 * which /healthz reports until a commit goes through again. */
static void
note_failure (SaRegistryDb *self)
{
  const char *message = NULL;

  switch (sa_sqlite_get_failure (self->sql, &message) & 0xff)
    {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_free (self->write_failure);
      self->write_failure = g_strdup (message);
      break;
    default:
      break;
    }
}

/**
 * sa_registry_db_set_error:
 * @self: the database
 * @error: return location for a #GError
 *
 * Sets @error (%SA_SQLITE_ERROR) from the connection's last failure.
 */
void
sa_registry_db_set_error (SaRegistryDb  *self,
                          GError       **error)
{
  sa_sqlite_set_error (self->sql, error, "Database error");
  note_failure (self);
}

/**
 * sa_registry_db_get_write_failure:
 * @self: the database
 *
 * Returns: (nullable): why the storage failed (SQLite's message), when it
 *   has failed since the last commit that went through
 */
const char *
sa_registry_db_get_write_failure (SaRegistryDb *self)
{
  g_return_val_if_fail (SA_IS_REGISTRY_DB (self), NULL);
  return self->write_failure;
}

gboolean
sa_registry_db_exec (SaRegistryDb  *self,
                     const char    *sql,
                     GError       **error)
{
  g_return_val_if_fail (SA_IS_REGISTRY_DB (self), FALSE);

  if (sa_sqlite_exec (self->sql, sql, error))
    return TRUE;
  note_failure (self);
  return FALSE;
}

/**
 * sa_registry_db_open:
 * @path: the SQLite file, created if missing
 * @error: return location for a #GError
 *
 * Opens the registry's database in WAL mode with foreign keys on and runs
 * the migrations the file has not seen yet.
 *
 * Returns: (transfer full): the database, or %NULL
 */
SaRegistryDb *
sa_registry_db_open (const char  *path,
                     GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return _sa_registry_db_open_at_version (path, G_N_ELEMENTS (migrations), error);
}

/**
 * _sa_registry_db_open_at_version:
 * @path: the SQLite file, created if missing
 * @version: the schema version to migrate to, at most the newest
 * @error: return location for a #GError
 *
 * Like sa_registry_db_open(), but stops at an older schema: for tests of
 * the migrations, which need a database as an older registry left it.
 *
 * Returns: (transfer full): the database, or %NULL
 */
SaRegistryDb *
_sa_registry_db_open_at_version (const char  *path,
                                 int          version,
                                 GError     **error)
{
  g_autoptr(SaRegistryDb) self = NULL;
  guint target = CLAMP (version, 0, (int) G_N_ELEMENTS (migrations));

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (SA_TYPE_REGISTRY_DB, NULL);
  /* Private (0600), WAL with synchronous=NORMAL: durable across a crash
   * of the process; a power cut may lose the last commits but never
   * corrupts the file. */
  self->sql = sa_sqlite_open (path, SA_SQLITE_NONE, error);
  if (self->sql == NULL)
    return NULL;
  self->handle = sa_sqlite_get_handle (self->sql);
  sa_sqlite_set_busy_timeout (self->sql, 5000);
  if (!sa_registry_db_exec (self, "PRAGMA cache_size = -32000", error))
    return NULL;

  if (!sa_sqlite_migrate (self->sql, migrations, target, error))
    {
      if (error != NULL && g_error_matches (*error, SA_SQLITE_ERROR, SA_SQLITE_ERROR_TOO_NEW))
        g_prefix_error (error, "Run a newer smart-appeals-registry. ");
      return NULL;
    }
  return g_steal_pointer (&self);
}

sqlite3 *
sa_registry_db_get_handle (SaRegistryDb *self)
{
  g_return_val_if_fail (SA_IS_REGISTRY_DB (self), NULL);
  return self->handle;
}

/**
 * sa_registry_db_prepare:
 * @self: the database
 * @sql: one statement; the statement cache keeps a copy of the text
 * @error: return location for a #GError
 *
 * Returns a cached prepared statement, reset and with its bindings
 * cleared. Do not finalize it, and do not hold it across another call
 * that may use the same SQL.
 *
 * Returns: (transfer none): the statement, or %NULL
 */
sqlite3_stmt *
sa_registry_db_prepare (SaRegistryDb  *self,
                        const char    *sql,
                        GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SA_IS_REGISTRY_DB (self), NULL);

  stmt = sa_sqlite_prepare (self->sql, sql, error);
  if (stmt == NULL)
    {
      note_failure (self);
      g_warning ("Cannot prepare %s: %s", sql, sqlite3_errmsg (self->handle));
    }
  return stmt;
}

/**
 * sa_registry_db_code_exists:
 * @self: the database
 * @table: one of the reference tables keyed by `code`: "agencies", "categories", "districts"
 * @code: (nullable): the code to look for
 *
 * Returns: %TRUE if @table has a row with @code
 */
gboolean
sa_registry_db_code_exists (SaRegistryDb *self,
                            const char   *table,
                            const char   *code)
{
  /* Table names cannot be bound; only these fixed statements are prepared. */
  static const char * const tables[] = { "agencies", "categories", "districts" };
  static const char * const sql[] = {
    "SELECT 1 FROM agencies WHERE code = ?1",
    "SELECT 1 FROM categories WHERE code = ?1",
    "SELECT 1 FROM districts WHERE code = ?1",
  };
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  if (code == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (strcmp (table, tables[i]) == 0)
      stmt = sa_registry_db_prepare (self, sql[i], NULL);
  g_return_val_if_fail (stmt != NULL, FALSE);

  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/* Steps a statement that returns no rows and resets it. */
gboolean
sa_registry_db_step_done (SaRegistryDb  *self,
                          sqlite3_stmt  *stmt,
                          GError       **error)
{
  if (sa_sqlite_step_done (self->sql, stmt, error))
    return TRUE;
  note_failure (self);
  return FALSE;
}

gboolean
sa_registry_db_begin (SaRegistryDb  *self,
                      GError       **error)
{
  if (sa_sqlite_begin (self->sql, SA_SQLITE_IMMEDIATE, error))
    return TRUE;
  note_failure (self);
  return FALSE;
}

gboolean
sa_registry_db_commit (SaRegistryDb  *self,
                       GError       **error)
{
  gint64 seq = self->pending_seq;

  self->pending_seq = 0;
  if (!sa_sqlite_commit (self->sql, error))
    {
      note_failure (self);
      return FALSE;
    }
  g_clear_pointer (&self->write_failure, g_free);
  if (seq > 0)
    g_signal_emit (self, signals[FEED_CHANGED], 0, seq);
  return TRUE;
}

void
sa_registry_db_rollback (SaRegistryDb *self)
{
  self->pending_seq = 0;
  sa_sqlite_rollback (self->sql);
}

/**
 * sa_registry_db_touch:
 * @self: the database
 * @kind: "appeal", "agency", "category", "user" or "revoke"
 * @entity_id: the entity's id or code
 * @agency: (nullable): for "revoke", the agency that lost sight
 * @error: return location for a #GError
 *
 * Moves the entity to the head of the change feed. Call it inside the
 * transaction that changed the entity.
 *
 * Returns: the new sequence number, or 0 on error
 */
gint64
sa_registry_db_touch (SaRegistryDb  *self,
                      const char    *kind,
                      const char    *entity_id,
                      const char    *agency,
                      GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (self,
                                 "INSERT OR REPLACE INTO feed (kind, entity_id, agency)"
                                 " VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, agency, -1, SQLITE_STATIC);
  if (!sa_registry_db_step_done (self, stmt, error))
    return 0;
  self->pending_seq = MAX (self->pending_seq, sqlite3_last_insert_rowid (self->handle));
  return sqlite3_last_insert_rowid (self->handle);
}

gint64
sa_registry_db_get_feed_horizon (SaRegistryDb *self)
{
  sqlite3_stmt *stmt;
  gint64 horizon = 0;

  stmt = sa_registry_db_prepare (self,
                                 "SELECT CAST (value AS INTEGER) FROM meta"
                                 " WHERE key = 'feed_horizon'", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    horizon = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return horizon;
}

/**
 * sa_registry_db_compact:
 * @self: the database
 * @keep: how many of the latest sequence numbers keep their revocations
 * @error: return location for a #GError
 *
 * Prunes the feed's revocation entries older than the last @keep sequence
 * numbers and raises the feed horizon: a client whose cursor is below it
 * gets 410 and pulls again from 0.
 *
 * Returns: the new horizon, or -1 on error
 */
gint64
sa_registry_db_compact (SaRegistryDb  *self,
                        gint64         keep,
                        GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 max_seq = 0;
  gint64 horizon;

  if (!sa_registry_db_begin (self, error))
    return -1;

  stmt = sa_registry_db_prepare (self, "SELECT COALESCE (MAX (seq), 0) FROM feed", error);
  if (stmt == NULL)
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    max_seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  horizon = MAX (max_seq - keep, sa_registry_db_get_feed_horizon (self));
  horizon = MAX (horizon, 0);

  stmt = sa_registry_db_prepare (self, "DELETE FROM feed WHERE kind = 'revoke' AND seq <= ?1",
                                 error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, horizon);
  if (!sa_registry_db_step_done (self, stmt, error))
    goto fail;

  stmt = sa_registry_db_prepare (self,
                                 "UPDATE meta SET value = CAST (?1 AS TEXT)"
                                 " WHERE key = 'feed_horizon'", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, horizon);
  if (!sa_registry_db_step_done (self, stmt, error) ||
      !sa_registry_db_commit (self, error))
    goto fail;

  return horizon;

fail:
  sa_registry_db_rollback (self);
  return -1;
}
