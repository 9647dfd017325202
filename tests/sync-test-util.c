/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for the sync tests and benchmarks: a spawned registry and
 * waiting on the main loop. */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sa-test-cache.h"
#include "sync-test-util.h"

/* ------------------------------------------------------------------ */
/* A registry process that can be stopped and started on the same port */

void
sync_registry_run (SyncRegistry *r,
                   const char   *first,
                   ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (argv, (char *)g_getenv ("SA_REGISTRY_EXE"));
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *)a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *)argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
}

void
sync_registry_serve (SyncRegistry *r,
                     const char   *access_ttl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", r->port);
  g_autofree char *line = NULL;
  const char *argv[10] = { g_getenv ("SA_REGISTRY_EXE"), "serve", "--db", r->db,
                           "--listen", listen, "--no-access-log", NULL, NULL, NULL };

  if (access_ttl != NULL)
    {
      argv[7] = "--access-ttl";
      argv[8] = access_ttl;
    }
  r->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (r->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  if (r->url == NULL)
    {
      g_autoptr(GUri) uri = NULL;

      r->url = g_strdup (line + strlen ("listening on "));
      uri = g_uri_parse (r->url, G_URI_FLAGS_NONE, &error);
      g_assert_no_error (error);
      r->port = g_uri_get_port (uri);
    }
}

void
sync_registry_stop (SyncRegistry *r)
{
  if (r->process == NULL)
    return;
  g_subprocess_send_signal (r->process, SIGTERM);
  g_subprocess_wait (r->process, NULL, NULL);
  g_clear_object (&r->process);
}

void
sync_registry_start (SyncRegistry *r,
                     guint         appeals,
                     const char   *access_ttl)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *n = g_strdup_printf ("%u", appeals);

  r->dir = g_dir_make_tmp ("sa-sync-XXXXXX", &error);
  g_assert_no_error (error);
  r->db = g_build_filename (r->dir, "registry.db", NULL);
  sync_registry_run (r, "init", "--db", r->db, "--demo", "--appeals", n, NULL);
  sync_registry_serve (r, access_ttl);
}

void
sync_registry_free (SyncRegistry *r)
{
  sync_registry_stop (r);
  sa_test_remove_tree (r->dir);
  g_free (r->dir);
  g_free (r->db);
  g_free (r->url);
}

/* ------------------------------------------------------------------ */
/* Waiting on the main loop */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
sync_wait_for (SyncPredicate pred,
               gpointer      data,
               guint         seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!pred (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

void
sync_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
sync_result_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  *(GAsyncResult **)data = g_object_ref (result);
}

gboolean
sync_have_result (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

JsonObject *
sync_login (SaApiClient *client,
            const char  *user,
            const char  *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *answer;

  sa_api_client_login_async (client, user, password, NULL, sync_result_cb, &result);
  g_assert_true (sync_wait_for (sync_have_result, &result, 30));
  answer = sa_api_client_auth_finish (client, result, &error);
  g_assert_no_error (error);
  return answer;
}

JsonNode *
sync_call (SaApiClient *client,
           const char  *method,
           const char  *path,
           const char  *body)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonNode *answer;

  if (body != NULL)
    {
      node = json_from_string (body, &error);
      g_assert_no_error (error);
    }
  sa_api_client_call_async (client, method, path, node, NULL, sync_result_cb, &result);
  g_assert_true (sync_wait_for (sync_have_result, &result, 30));
  answer = sa_api_client_call_finish (client, result, &error);
  g_assert_no_error (error);
  return answer;
}

