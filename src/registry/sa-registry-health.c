/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-health"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "sa-registry-store.h"

/* What /healthz checks: that the registry can do its job, not only that
 * SQLite answers a SELECT. A full disk leaves reads working while every
 * write fails, so the storage is probed the ways it fails:
 *
 * - database: a read;
 * - writes:   the write lock and an insert, rolled back (a read-only file,
 *             a lock held elsewhere); and whether a write failed since the
 *             last commit that went through — then a real, committed write
 *             tells whether the trouble is over;
 * - disk:     a small file written beside the database and removed (no
 *             space, a quota, a read-only file system).
 *
 * A rolled-back insert alone would not do: in WAL mode nothing reaches the
 * disk before the commit. */

#define PROBE_BYTES 4096

static void
add_check (JsonBuilder *b,
           const char  *name,
           const char  *failure)
{
  json_builder_set_member_name (b, name);
  if (failure == NULL)
    json_builder_add_string_value (b, "ok");
  else
    {
      g_autofree char *text = g_strconcat ("failing: ", failure, NULL);

      json_builder_add_string_value (b, text);
    }
}

static char *
check_writes (SaRegistryDb *db)
{
  g_autofree char *failure = sa_store_health_write_probe (db, FALSE);

  if (failure != NULL)
    return g_steal_pointer (&failure);
  if (sa_registry_db_get_write_failure (db) == NULL)
    return NULL;
  /* Writes failed lately; a commit that goes through now clears it. */
  failure = sa_store_health_write_probe (db, TRUE);
  if (failure == NULL)
    return NULL;
  return g_strdup (sa_registry_db_get_write_failure (db) != NULL
                   ? sa_registry_db_get_write_failure (db) : failure);
}

static char *
check_disk (SaRegistryDb *db)
{
  const char *path = sa_store_db_path (db);
  g_autofree char *dir = NULL;
  g_autofree char *probe = NULL;
  char block[PROBE_BYTES] = { 0 };
  char *failure = NULL;
  int fd;

  /* An in-memory database has no disk to fail. */
  if (path == NULL || *path == '\0')
    return NULL;
  dir = g_path_get_dirname (path);
  probe = g_build_filename (dir, ".healthz-XXXXXX", NULL);
  fd = g_mkstemp_full (probe, O_RDWR, 0600);
  if (fd < 0)
    return g_strdup (g_strerror (errno));
  errno = 0;
  if (write (fd, block, sizeof block) != (ssize_t) sizeof block)
    failure = g_strdup (errno != 0 ? g_strerror (errno) : "short write");
  close (fd);
  g_unlink (probe);
  return failure;
}

/**
 * _sa_registry_health_check:
 * @db: the database
 * @b: a builder with an open object
 *
 * Runs the checks and adds `"status"` (`ok` or `unhealthy`), `"checks"`
 * (`{"database","writes","disk"}`, each `ok` or `failing: <why>`) and, when
 * something fails, the usual `"error"` to @b.
 *
 * Returns: whether everything works
 */
gboolean
_sa_registry_health_check (SaRegistryDb *db,
                           JsonBuilder  *b)
{
  g_autofree char *read = NULL;
  g_autofree char *writes = NULL;
  g_autofree char *disk = NULL;
  gboolean healthy;

  g_return_val_if_fail (SA_IS_REGISTRY_DB (db), FALSE);
  g_return_val_if_fail (JSON_IS_BUILDER (b), FALSE);

  read = sa_store_health_read (db);
  writes = check_writes (db);
  disk = check_disk (db);
  healthy = read == NULL && writes == NULL && disk == NULL;

  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, healthy ? "ok" : "unhealthy");
  json_builder_set_member_name (b, "checks");
  json_builder_begin_object (b);
  add_check (b, "database", read);
  add_check (b, "writes", writes);
  add_check (b, "disk", disk);
  json_builder_end_object (b);
  if (!healthy)
    {
      g_autofree char *message =
        g_strdup_printf ("%s%s%s",
                         read != NULL ? "The database cannot be read. " : "",
                         writes != NULL ? "Writes to the database fail. " : "",
                         disk != NULL ? "Files cannot be written beside the database." : "");

      g_strchomp (message);
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, "unhealthy");
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message);
      json_builder_end_object (b);
    }
  return healthy;
}
