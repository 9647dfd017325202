/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/**
 * SaSqliteError:
 * @SA_SQLITE_ERROR_FAILED: SQLite failed
 * @SA_SQLITE_ERROR_TOO_NEW: the database was written by a newer build
 * @SA_SQLITE_ERROR_BUSY: another connection held the lock too long
 * @SA_SQLITE_ERROR_FULL: the disk is full
 * @SA_SQLITE_ERROR_CORRUPT: the file is damaged or not a database
 * @SA_SQLITE_ERROR_CONSTRAINT: a constraint or a trigger refused the change
 *
 * Errors in the %SA_SQLITE_ERROR domain. A cancelled statement reports
 * %G_IO_ERROR_CANCELLED instead.
 */
typedef enum
{
  SA_SQLITE_ERROR_FAILED,
  SA_SQLITE_ERROR_TOO_NEW,
  SA_SQLITE_ERROR_BUSY,
  SA_SQLITE_ERROR_FULL,
  SA_SQLITE_ERROR_CORRUPT,
  SA_SQLITE_ERROR_CONSTRAINT,
} SaSqliteError;

#define SA_SQLITE_ERROR (sa_sqlite_error_quark ())
GQuark sa_sqlite_error_quark (void);

/**
 * SaSqliteFlags:
 * @SA_SQLITE_NONE: read and write an existing or new file
 * @SA_SQLITE_READ_ONLY: a reader beside a writer on the same file
 * @SA_SQLITE_NO_CREATE: fail when the file does not exist
 *
 * How to open a database.
 */
typedef enum
{
  SA_SQLITE_NONE = 0,
  SA_SQLITE_READ_ONLY = 1 << 0,
  SA_SQLITE_NO_CREATE = 1 << 1,
} SaSqliteFlags;

typedef struct _SaSqlite SaSqlite;

SaSqlite     *sa_sqlite_open             (const char            *path,
                                          SaSqliteFlags          flags,
                                          GError               **error);
void          sa_sqlite_close            (SaSqlite              *self);
sqlite3      *sa_sqlite_get_handle       (SaSqlite              *self);
const char   *sa_sqlite_get_path         (SaSqlite              *self);
void          sa_sqlite_set_busy_timeout (SaSqlite              *self,
                                          guint                  ms);

gboolean      sa_sqlite_migrate          (SaSqlite              *self,
                                          const char * const    *migrations,
                                          guint                  n_migrations,
                                          GError               **error);
int           sa_sqlite_get_user_version (SaSqlite              *self);

sqlite3_stmt *sa_sqlite_prepare          (SaSqlite              *self,
                                          const char            *sql,
                                          GError               **error);
gboolean      sa_sqlite_step_done        (SaSqlite              *self,
                                          sqlite3_stmt          *stmt,
                                          GError               **error);
gboolean      sa_sqlite_exec             (SaSqlite              *self,
                                          const char            *sql,
                                          GError               **error);

/**
 * SaSqliteTransaction:
 * @SA_SQLITE_DEFERRED: a reader's snapshot; takes the write lock on the first write
 * @SA_SQLITE_IMMEDIATE: takes the write lock at once
 * @SA_SQLITE_DURABLE: immediate, and on disk when the commit returns
 *   (`synchronous=FULL`): for what a user typed
 *
 * Kinds of transaction.
 */
typedef enum
{
  SA_SQLITE_DEFERRED,
  SA_SQLITE_IMMEDIATE,
  SA_SQLITE_DURABLE,
} SaSqliteTransaction;

gboolean      sa_sqlite_begin            (SaSqlite              *self,
                                          SaSqliteTransaction    kind,
                                          GError               **error);
gboolean      sa_sqlite_commit           (SaSqlite              *self,
                                          GError               **error);
void          sa_sqlite_rollback         (SaSqlite              *self);
gboolean      sa_sqlite_in_transaction   (SaSqlite              *self);

void          sa_sqlite_set_cancellable  (SaSqlite              *self,
                                          GCancellable          *cancellable);
void          sa_sqlite_set_error        (SaSqlite              *self,
                                          GError               **error,
                                          const char            *what);
int           sa_sqlite_get_failure      (SaSqlite              *self,
                                          const char           **message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaSqlite, sa_sqlite_close)

G_END_DECLS
