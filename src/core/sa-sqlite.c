/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-sqlite"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "sa-sqlite.h"

/* One SQLite connection as both the client's cache and the registry use
 * it: created private to its user, WAL, a statement cache keyed by a copy
 * of the SQL text, transactions that say how durable they are, schema
 * migrations by PRAGMA user_version, and cancellation through a progress
 * handler. A connection is used by one thread at a time; the caller locks. */

#define BUSY_TIMEOUT_MS    10000
/* How many virtual machine steps between two looks at the cancellable. */
#define PROGRESS_STEPS     1000

struct _SaSqlite
{
  sqlite3      *db;
  char         *path;
  GHashTable   *stmts;       /* SQL text (owned copy) → sqlite3_stmt */
  GCancellable *cancellable;
  gboolean      durable;     /* the open transaction commits with synchronous=FULL */
  /* The last failure reported, kept past the rollback that may follow it. */
  int           failure_rc;
  char         *failure_message;
};

G_DEFINE_QUARK (sa-sqlite-error-quark, sa_sqlite_error)

static SaSqliteError
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return SA_SQLITE_ERROR_BUSY;
    case SQLITE_FULL:
      return SA_SQLITE_ERROR_FULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return SA_SQLITE_ERROR_CORRUPT;
    case SQLITE_CONSTRAINT:
      return SA_SQLITE_ERROR_CONSTRAINT;
    default:
      return SA_SQLITE_ERROR_FAILED;
    }
}

/**
 * sa_sqlite_set_error:
 * @self: a connection
 * @error: return location for a #GError
 * @what: what failed, as a sentence start, e.g. "Could not write the cache"
 *
 * Sets @error from the connection's last error: %G_IO_ERROR_CANCELLED
 * for a statement the cancellable interrupted, else %SA_SQLITE_ERROR.
 */
void
sa_sqlite_set_error (SaSqlite    *self,
                     GError     **error,
                     const char  *what)
{
  int rc;

  g_return_if_fail (self != NULL);

  rc = sqlite3_extended_errcode (self->db);
  self->failure_rc = rc;
  g_free (self->failure_message);
  self->failure_message = g_strdup (sqlite3_errmsg (self->db));
  if ((rc & 0xff) == SQLITE_INTERRUPT && self->cancellable != NULL &&
      g_cancellable_is_cancelled (self->cancellable))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s: cancelled", what);
  else
    g_set_error (error, SA_SQLITE_ERROR, error_code_for (rc), "%s: %s", what,
                 sqlite3_errmsg (self->db));
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static int
progress_cb (void *data)
{
  SaSqlite *self = data;

  return self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable);
}

/* Tightens an existing file to 0600. */
static gboolean
tighten (const char  *file,
         GError     **error)
{
  GStatBuf st;
  int saved;

  if (g_stat (file, &st) != 0 || (st.st_mode & 0077) == 0)
    return TRUE;
  if (g_chmod (file, 0600) == 0)
    {
      g_message ("Made %s readable by its owner only (it was %03o)", file,
                 (unsigned) (st.st_mode & 0777));
      return TRUE;
    }
  saved = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "%s is readable by others and cannot be made private: %s", file,
               g_strerror (saved));
  return FALSE;
}

/* Files holding applicants' data or credentials are 0600, made so before
 * SQLite first writes (it would create the file 0644, and gives its -wal
 * and -shm files the mode of the database file). A file an older build
 * left readable by others is tightened, its companions too. */
static gboolean
make_private (const char  *path,
              gboolean     create,
              GError     **error)
{
  static const char * const companions[] = { "-wal", "-shm", "-journal" };
  int fd;
  int saved;

  /* An in-memory or URI database has no file of its own here. */
  if (*path == '\0' || strcmp (path, ":memory:") == 0 || g_str_has_prefix (path, "file:"))
    return TRUE;
  fd = g_open (path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0), 0600);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot open the database %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  if (!tighten (path, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *file = g_strconcat (path, companions[i], NULL);

      if (!tighten (file, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * sa_sqlite_open:
 * @path: the database file
 * @flags: #SaSqliteFlags
 * @error: return location for a #GError
 *
 * Opens (and unless %SA_SQLITE_NO_CREATE creates, mode 0600) a database in
 * WAL mode with `synchronous=NORMAL` (durable across a crash of the
 * process; a power cut may lose the last commits but never corrupts the
 * file), foreign keys on and a busy timeout of 10 s. A file that is not a
 * database fails with %SA_SQLITE_ERROR_CORRUPT.
 *
 * Returns: (transfer full) (nullable): the connection
 */
SaSqlite *
sa_sqlite_open (const char     *path,
                SaSqliteFlags   flags,
                GError        **error)
{
  g_autoptr(SaSqlite) self = NULL;
  gboolean read_only = (flags & SA_SQLITE_READ_ONLY) != 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (!read_only && !make_private (path, (flags & SA_SQLITE_NO_CREATE) == 0, error))
    return NULL;

  self = g_new0 (SaSqlite, 1);
  self->path = g_strdup (path);
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  rc = sqlite3_open_v2 (path, &self->db,
                        (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                        SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SA_SQLITE_ERROR, error_code_for (rc), "Cannot open the database %s: %s",
                   path, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* The first statement reads the header: a damaged file says so here. */
  if ((!read_only && !sa_sqlite_exec (self, "PRAGMA journal_mode = WAL", error)) ||
      !sa_sqlite_exec (self, "PRAGMA synchronous = NORMAL;"
                             "PRAGMA foreign_keys = ON;"
                             "PRAGMA temp_store = MEMORY", error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * sa_sqlite_close:
 * @self: (nullable): a connection
 *
 * Finalizes the cached statements and closes the connection.
 */
void
sa_sqlite_close (SaSqlite *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_object (&self->cancellable);
  g_free (self->failure_message);
  g_free (self->path);
  g_free (self);
}

/**
 * sa_sqlite_get_failure:
 * @self: a connection
 * @message: (out) (optional) (transfer none): SQLite's message
 *
 * What the last failure this connection reported was, even after a
 * rollback has cleared SQLite's own error state.
 *
 * Returns: the extended result code, %SQLITE_OK if nothing failed yet
 */
int
sa_sqlite_get_failure (SaSqlite    *self,
                       const char **message)
{
  g_return_val_if_fail (self != NULL, SQLITE_ERROR);

  if (message != NULL)
    *message = self->failure_message;
  return self->failure_rc;
}

/**
 * sa_sqlite_set_busy_timeout:
 * @self: a connection
 * @ms: how long a statement waits for another connection's lock
 *
 * The default is 10 s.
 */
void
sa_sqlite_set_busy_timeout (SaSqlite *self,
                            guint     ms)
{
  g_return_if_fail (self != NULL);
  sqlite3_busy_timeout (self->db, (int) MIN (ms, G_MAXINT));
}

sqlite3 *
sa_sqlite_get_handle (SaSqlite *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->db;
}

const char *
sa_sqlite_get_path (SaSqlite *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

/**
 * sa_sqlite_exec:
 * @self: a connection
 * @sql: one or more statements without parameters
 * @error: return location for a #GError
 *
 * Returns: whether every statement ran
 */
gboolean
sa_sqlite_exec (SaSqlite    *self,
                const char  *sql,
                GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      sa_sqlite_set_error (self, error, "A database statement failed");
      return FALSE;
    }
  return TRUE;
}

/**
 * sa_sqlite_prepare:
 * @self: a connection
 * @sql: one statement; the cache keeps a copy of the text
 * @error: return location for a #GError
 *
 * Returns the cached statement for @sql, reset and with its bindings
 * cleared, preparing it the first time.
 *
 * Returns: (transfer none) (nullable): the statement
 */
sqlite3_stmt *
sa_sqlite_prepare (SaSqlite    *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->stmts, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
      SQLITE_OK)
    {
      sa_sqlite_set_error (self, error, "Could not prepare a database query");
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
  return stmt;
}

/**
 * sa_sqlite_step_done:
 * @self: a connection
 * @stmt: a statement of @self with its parameters bound
 * @error: return location for a #GError
 *
 * Runs a statement that returns no rows (or whose first row does not
 * matter) and resets it.
 *
 * Returns: whether it ran
 */
gboolean
sa_sqlite_step_done (SaSqlite      *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (stmt != NULL, FALSE);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      sa_sqlite_set_error (self, error, "Could not write to the database");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * sa_sqlite_begin:
 * @self: a connection
 * @kind: a #SaSqliteTransaction
 * @error: return location for a #GError
 *
 * Returns: whether the transaction began
 */
gboolean
sa_sqlite_begin (SaSqlite             *self,
                 SaSqliteTransaction   kind,
                 GError              **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!sa_sqlite_in_transaction (self), FALSE);

  /* The level applies to the commit; it cannot change inside a transaction. */
  if (kind == SA_SQLITE_DURABLE && !sa_sqlite_exec (self, "PRAGMA synchronous = FULL", error))
    return FALSE;
  self->durable = kind == SA_SQLITE_DURABLE;
  if (!sa_sqlite_exec (self, kind == SA_SQLITE_DEFERRED ? "BEGIN" : "BEGIN IMMEDIATE", error))
    {
      if (self->durable)
        sqlite3_exec (self->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
      self->durable = FALSE;
      return FALSE;
    }
  return TRUE;
}

static void
end_durable (SaSqlite *self)
{
  if (self->durable)
    sqlite3_exec (self->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
  self->durable = FALSE;
}

/**
 * sa_sqlite_commit:
 * @self: a connection in a transaction
 * @error: return location for a #GError
 *
 * Commits; on failure the transaction is rolled back.
 *
 * Returns: whether it committed
 */
gboolean
sa_sqlite_commit (SaSqlite  *self,
                  GError   **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  ok = sa_sqlite_exec (self, "COMMIT", error);
  if (!ok)
    sa_sqlite_rollback (self);
  end_durable (self);
  return ok;
}

/**
 * sa_sqlite_rollback:
 * @self: a connection
 *
 * Rolls back the open transaction, if any.
 */
void
sa_sqlite_rollback (SaSqlite *self)
{
  g_return_if_fail (self != NULL);

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  end_durable (self);
}

gboolean
sa_sqlite_in_transaction (SaSqlite *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return !sqlite3_get_autocommit (self->db);
}

/**
 * sa_sqlite_set_cancellable:
 * @self: a connection
 * @cancellable: (nullable): what interrupts the statements that run from
 *   now on, or %NULL
 */
void
sa_sqlite_set_cancellable (SaSqlite     *self,
                           GCancellable *cancellable)
{
  g_return_if_fail (self != NULL);
  g_set_object (&self->cancellable, cancellable);
  /* Only while there is something to look at: the list's queries step
   * through a hundred thousand rows. */
  if (cancellable != NULL)
    sqlite3_progress_handler (self->db, PROGRESS_STEPS, progress_cb, self);
  else
    sqlite3_progress_handler (self->db, 0, NULL, NULL);
}

int
sa_sqlite_get_user_version (SaSqlite *self)
{
  sqlite3_stmt *stmt;
  int version = -1;

  g_return_val_if_fail (self != NULL, -1);

  stmt = sa_sqlite_prepare (self, "PRAGMA user_version", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return version;
}

/**
 * sa_sqlite_migrate:
 * @self: a writable connection, outside a transaction
 * @migrations: (array length=n_migrations): entry i moves the schema from
 *   version i to i + 1; released entries are never edited, only appended
 * @n_migrations: how many, which is the schema version of this build
 * @error: return location for a #GError
 *
 * Brings the schema to @n_migrations, each step in its own durable
 * transaction with `PRAGMA user_version`. A database from a newer build
 * fails with %SA_SQLITE_ERROR_TOO_NEW and is left as it is.
 *
 * Returns: whether the schema is at @n_migrations
 */
gboolean
sa_sqlite_migrate (SaSqlite            *self,
                   const char * const  *migrations,
                   guint                n_migrations,
                   GError             **error)
{
  int version;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (migrations != NULL || n_migrations == 0, FALSE);

  version = sa_sqlite_get_user_version (self);
  if (version < 0)
    {
      sa_sqlite_set_error (self, error, "Could not read the schema version");
      return FALSE;
    }
  if (version > (int) n_migrations)
    {
      g_set_error (error, SA_SQLITE_ERROR, SA_SQLITE_ERROR_TOO_NEW,
                   "The database %s has schema version %d; this build knows up to %u",
                   self->path, version, n_migrations);
      return FALSE;
    }
  for (guint i = version; i < n_migrations; i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!sa_sqlite_begin (self, SA_SQLITE_DURABLE, error))
        return FALSE;
      if (!sa_sqlite_exec (self, migrations[i], error) || !sa_sqlite_exec (self, bump, error))
        {
          sa_sqlite_rollback (self);
          return FALSE;
        }
      if (!sa_sqlite_commit (self, error))
        return FALSE;
    }
  return TRUE;
}
