/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

/* A real registry with the demo data, spawned from the built binary
 * ($SA_REGISTRY_EXE) on 127.0.0.1 with a port of its choosing. */
typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *url;
} SaTestSpawnedRegistry;

static inline void
sa_test_spawn_registry (SaTestSpawnedRegistry *r,
                        guint                  n_appeals)
{
  const char *exe = g_getenv ("SA_REGISTRY_EXE");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) init = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *db = NULL;
  g_autofree char *line = NULL;
  g_autofree char *appeals = g_strdup_printf ("%u", n_appeals);

  r->dir = g_dir_make_tmp ("sa-registry-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (r->dir, "registry.db", NULL);
  init = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, exe, "init", "--db", db,
                           "--demo", "--appeals", appeals, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (init, NULL, &error));
  g_assert_no_error (error);

  r->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                 &error, exe, "serve", "--db", db, "--listen", "127.0.0.1:0",
                                 NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (r->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  r->url = g_strdup (line + strlen ("listening on "));
}

/* Stops serving, keeping the database: the registry is away. */
static inline void
sa_test_pause_registry (SaTestSpawnedRegistry *r)
{
  g_subprocess_send_signal (r->process, SIGTERM);
  g_subprocess_wait (r->process, NULL, NULL);
  g_clear_object (&r->process);
}

/* Serves the same database on the same address again. */
static inline void
sa_test_resume_registry (SaTestSpawnedRegistry *r)
{
  const char *exe = g_getenv ("SA_REGISTRY_EXE");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *db = g_build_filename (r->dir, "registry.db", NULL);
  g_autofree char *line = NULL;
  const char *listen = r->url + strlen ("http://");

  g_assert_null (r->process);
  r->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                 &error, exe, "serve", "--db", db, "--listen", listen, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (r->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on "));
}

static inline void
sa_test_stop_registry (SaTestSpawnedRegistry *r)
{
  g_autofree char *db = g_build_filename (r->dir, "registry.db", NULL);
  const char *suffixes[] = { "", "-wal", "-shm" };

  if (r->process != NULL)
    sa_test_pause_registry (r);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
      g_unlink (path);
    }
  g_rmdir (r->dir);
  g_clear_pointer (&r->dir, g_free);
  g_clear_pointer (&r->url, g_free);
}
