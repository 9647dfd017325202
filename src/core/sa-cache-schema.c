/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache"

#include "config.h"

#include "sa-cache-private.h"

/* The cache's schema, as migrations by PRAGMA user_version (sa-sqlite.c
 * runs them). docs/cache.md describes the tables. */


/* Versioned schema: migrations[i] takes user_version i to i + 1. */
static const char * const migrations[] = {
  /* 1 */
  "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
  "CREATE TABLE agencies (code TEXT PRIMARY KEY, name_ru TEXT, name_kk TEXT,"
  " json TEXT NOT NULL);"
  "CREATE TABLE categories (code TEXT PRIMARY KEY, name_ru TEXT, name_kk TEXT,"
  " agency TEXT, json TEXT NOT NULL);"
  "CREATE TABLE districts (code TEXT PRIMARY KEY, name_ru TEXT, name_kk TEXT);"
  "CREATE TABLE users (login TEXT PRIMARY KEY, full_name TEXT, agency TEXT, role TEXT,"
  " disabled INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);"
  /* AUTOINCREMENT: a rid is never reused, so list models may compare rids
   * across a 410 reset without mistaking a new appeal for an old one. */
  "CREATE TABLE appeals ("
  " rid INTEGER PRIMARY KEY AUTOINCREMENT,"
  " id TEXT NOT NULL UNIQUE,"
  " reg_number TEXT NOT NULL DEFAULT '',"
  " channel TEXT, status TEXT NOT NULL, priority INTEGER NOT NULL DEFAULT 1,"
  " category TEXT, agency TEXT, executor TEXT,"
  " applicant_name TEXT, address_text TEXT, district TEXT, text TEXT,"
  " received_at INTEGER, legal_due_at INTEGER, op_due_at INTEGER,"
  /* The nearer deadline; SA_CACHE_NO_DUE when none, so that the index
   * sorts those last. */
  " sla_due_at INTEGER NOT NULL,"
  " is_repeat INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 0,"
  " updated_at INTEGER, server_version INTEGER NOT NULL,"
  " offline_state INTEGER NOT NULL DEFAULT 0,"
  " local_revision INTEGER NOT NULL DEFAULT 0,"
  " opened INTEGER NOT NULL DEFAULT 0);"
  /* The JSON lives beside the row, so that list scans and counts never
   * page through kilobytes of it. */
  "CREATE TABLE appeal_docs ("
  " rid INTEGER PRIMARY KEY REFERENCES appeals (rid) ON DELETE CASCADE,"
  " json TEXT NOT NULL, server_json TEXT NOT NULL);"
  "CREATE INDEX appeals_by_due ON appeals (sla_due_at, rid);"
  "CREATE INDEX appeals_by_received ON appeals (received_at DESC, rid);"
  "CREATE INDEX appeals_by_priority ON appeals (priority DESC, sla_due_at, rid);"
  "CREATE INDEX appeals_by_status ON appeals (status, sla_due_at);"
  "CREATE INDEX appeals_by_executor ON appeals (executor, status, agency);"
  "CREATE INDEX appeals_by_category ON appeals (category);"
  "CREATE INDEX appeals_by_district ON appeals (district);"
  "CREATE INDEX appeals_by_offline_state ON appeals (offline_state) WHERE offline_state != 0;"
  "CREATE TABLE history ("
  " appeal_rid INTEGER NOT NULL REFERENCES appeals (rid) ON DELETE CASCADE,"
  " idx INTEGER NOT NULL, seq INTEGER, at INTEGER, actor TEXT, type TEXT,"
  " payload TEXT, op_id TEXT,"
  " PRIMARY KEY (appeal_rid, idx)) WITHOUT ROWID;"
  /* No foreign key to appeals: a 410 reset drops the appeals and keeps
   * the outbox. */
  "CREATE TABLE outbox ("
  " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  " op_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, appeal_id TEXT NOT NULL,"
  " base_version INTEGER NOT NULL, args TEXT NOT NULL DEFAULT '{}',"
  " state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"
  " last_error TEXT, error_code TEXT, conflict_json TEXT,"
  " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
  "CREATE INDEX outbox_by_appeal ON outbox (appeal_id, seq);"
  /* unicode61 with remove_diacritics 2 strips only Latin marks, so й and
   * the Kazakh letters stay letters of their own while Latin addresses
   * match without accents; sa_unicode61 adds ё = е. See docs/cache.md. */
  "CREATE VIRTUAL TABLE appeals_fts USING fts5 ("
  " reg_number, applicant_name, address_text, text,"
  " content = 'appeals', content_rowid = 'rid',"
  " tokenize = 'sa_unicode61 remove_diacritics 2', prefix = '1 2 3');"
  "CREATE TRIGGER appeals_fts_insert AFTER INSERT ON appeals BEGIN"
  " INSERT INTO appeals_fts (rowid, reg_number, applicant_name, address_text, text)"
  " VALUES (new.rid, new.reg_number, new.applicant_name, new.address_text, new.text);"
  " END;"
  "CREATE TRIGGER appeals_fts_delete AFTER DELETE ON appeals BEGIN"
  " INSERT INTO appeals_fts (appeals_fts, rowid, reg_number, applicant_name, address_text,"
  " text) VALUES ('delete', old.rid, old.reg_number, old.applicant_name, old.address_text,"
  " old.text);"
  " END;"
  /* Most updates (status, executor, local ops) leave the indexed text
   * alone: skip the index then. */
  "CREATE TRIGGER appeals_fts_update AFTER UPDATE ON appeals"
  " WHEN old.reg_number IS NOT new.reg_number OR old.applicant_name IS NOT new.applicant_name"
  " OR old.address_text IS NOT new.address_text OR old.text IS NOT new.text BEGIN"
  " INSERT INTO appeals_fts (appeals_fts, rowid, reg_number, applicant_name, address_text,"
  " text) VALUES ('delete', old.rid, old.reg_number, old.applicant_name, old.address_text,"
  " old.text);"
  " INSERT INTO appeals_fts (rowid, reg_number, applicant_name, address_text, text)"
  " VALUES (new.rid, new.reg_number, new.applicant_name, new.address_text, new.text);"
  " END;",
  /* 2: change-feed entries the desk could not read, set aside rather than
   * stalling the feed, and kept (whole) until a readable one replaces them. */
  "CREATE TABLE unreadable ("
  " rid INTEGER PRIMARY KEY, seq INTEGER, kind TEXT, entity_id TEXT,"
  " reason TEXT NOT NULL, entry TEXT NOT NULL, seen_at INTEGER NOT NULL);"
  "CREATE INDEX unreadable_by_entity ON unreadable (kind, entity_id);",
  /* 3: the nearest deadline first means of the appeals still owed an
   * answer; a stopped clock sorts last (SA_CACHE_NO_DUE). A migration is
   * frozen once released, so it names the statuses of its day itself
   * rather than following the model's sets as they change. */
  "UPDATE appeals SET sla_due_at = 9223372036854775807"
  " WHERE status IN ('answered', 'closed', 'archived');",
  /* 4: the reply loop's sections (docs/replies.md): whether a reopened
   * appeal is under control and when it was answered, one row per appeal
   * that has either; the replies awaiting approval with their agency and
   * author, one row each, so that "Awaiting my approval" leaves out a
   * supervisor's own. Derived from the appeal's JSON, as the feed writes
   * them from now on; tables of their own, so that running it again over
   * a cache that has them changes nothing. */
  "CREATE TABLE IF NOT EXISTS appeal_marks ("
  " rid INTEGER PRIMARY KEY REFERENCES appeals (rid) ON DELETE CASCADE,"
  " under_control INTEGER NOT NULL DEFAULT 0, answered_at INTEGER);"
  "CREATE INDEX IF NOT EXISTS appeal_marks_by_control ON appeal_marks (under_control)"
  " WHERE under_control != 0;"
  "CREATE TABLE IF NOT EXISTS awaiting_replies ("
  " appeal_rid INTEGER NOT NULL REFERENCES appeals (rid) ON DELETE CASCADE,"
  " reply_id TEXT NOT NULL, agency TEXT, author TEXT,"
  " PRIMARY KEY (appeal_rid, reply_id)) WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS awaiting_replies_by_agency ON awaiting_replies (agency, appeal_rid);"
  "INSERT OR REPLACE INTO appeal_marks (rid, under_control, answered_at)"
  " SELECT d.rid, coalesce (json_extract (d.json, '$.under_control') = 1, 0),"
  " unixepoch (json_extract (d.json, '$.answered_at'))"
  " FROM appeal_docs d"
  " WHERE json_extract (d.json, '$.under_control') = 1"
  " OR json_type (d.json, '$.answered_at') = 'text';"
  "INSERT OR IGNORE INTO awaiting_replies (appeal_rid, reply_id, agency, author)"
  " SELECT d.rid, json_extract (r.value, '$.id'), json_extract (r.value, '$.agency'),"
  " json_extract (r.value, '$.author')"
  " FROM appeal_docs d, json_each (d.json, '$.replies') r"
  " WHERE json_type (r.value) = 'object'"
  " AND json_extract (r.value, '$.state') = 'awaiting_approval'"
  " AND json_type (r.value, '$.id') = 'text';",
  /* 5: the notice of extension an applicant is owed (docs/replies.md,
   * sa_appeal_notice_due()): one row per appeal extended and not yet
   * notified, so that the traffic light in SQL turns it red once the
   * time has passed. Idempotent, like 4. */
  "CREATE TABLE IF NOT EXISTS appeal_notices ("
  " rid INTEGER PRIMARY KEY REFERENCES appeals (rid) ON DELETE CASCADE,"
  " notify_by INTEGER NOT NULL);"
  "INSERT OR REPLACE INTO appeal_notices (rid, notify_by)"
  " SELECT d.rid, unixepoch (json_extract (d.json, '$.notify_applicant_by'))"
  " FROM appeal_docs d"
  " WHERE json_type (d.json, '$.notify_applicant_by') = 'text'"
  " AND json_type (d.json, '$.applicant_notified_at') IS NOT 'text'"
  " AND unixepoch (json_extract (d.json, '$.notify_applicant_by')) IS NOT NULL;",
  /* 6: reply templates from the change feed (kind "template"), searched
   * as one types with the appeals' tokenizer (ё = е, Kazakh letters kept). */
  "CREATE TABLE IF NOT EXISTS templates ("
  " rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, agency TEXT,"
  " category TEXT NOT NULL, language TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL);"
  "CREATE VIRTUAL TABLE IF NOT EXISTS templates_fts USING fts5 ("
  " title, text, content = 'templates', content_rowid = 'rid',"
  " tokenize = 'sa_unicode61 remove_diacritics 2', prefix = '1 2 3');"
  "CREATE TRIGGER IF NOT EXISTS templates_fts_insert AFTER INSERT ON templates BEGIN"
  " INSERT INTO templates_fts (rowid, title, text) VALUES (new.rid, new.title, new.text);"
  " END;"
  "CREATE TRIGGER IF NOT EXISTS templates_fts_delete AFTER DELETE ON templates BEGIN"
  " INSERT INTO templates_fts (templates_fts, rowid, title, text)"
  " VALUES ('delete', old.rid, old.title, old.text);"
  " END;"
  "CREATE TRIGGER IF NOT EXISTS templates_fts_update AFTER UPDATE ON templates BEGIN"
  " INSERT INTO templates_fts (templates_fts, rowid, title, text)"
  " VALUES ('delete', old.rid, old.title, old.text);"
  " INSERT INTO templates_fts (rowid, title, text) VALUES (new.rid, new.title, new.text);"
  " END;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SA_CACHE_SCHEMA_VERSION);

gboolean
_sa_cache_migrate (SaCache  *self,
                   GError  **error)
{
  GError *local = NULL;

  if (!sa_sqlite_migrate (self->writer.sql, migrations, SA_CACHE_SCHEMA_VERSION, &local))
    {
      _sa_cache_propagate (error, local);
      return FALSE;
    }
  self->schema_version = SA_CACHE_SCHEMA_VERSION;
  return TRUE;
}
