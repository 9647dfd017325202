/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-registry"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "registry-test-util.h"

/* Benchmarks of the built registry (SA_REGISTRY_EXE) over loopback:
 *   bench: registry.init_100k S s        init --demo --appeals 100000
 *   bench: registry.feed_100k S s        one client pulls the whole feed
 *   bench: registry.intake_rate N appeals/s
 *   bench: registry.login_p95 MS ms      with the production Argon2id cost
 * BENCH_APPEALS overrides 100000 for a quick run. */

#define PASSWORD "bench-password-1"

static const char *
exe (void)
{
  const char *path = g_getenv ("SA_REGISTRY_EXE");

  if (path == NULL)
    g_error ("Set SA_REGISTRY_EXE to the smart-appeals-registry binary");
  return path;
}

static void
run (const char *input,
     const char *first,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) exe ());
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, input, NULL, NULL, &err, &error))
    g_error ("%s: %s", first, error->message);
  if (!g_subprocess_get_successful (proc))
    g_error ("%s failed: %s", first, err);
}

static GSubprocess *
serve (const char  *db_path,
       char       **base)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  GSubprocess *proc;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe (), "serve", "--db",
                           db_path, "--listen", "127.0.0.1:0", "--no-access-log", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    g_error ("The registry did not start");
  *base = g_strdup (line + strlen ("listening on "));
  return proc;
}

static void
stop (GSubprocess *proc)
{
  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, NULL);
}

static char *
login (SoupSession *session,
       const char  *base,
       const char  *user)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\"}", user,
                                           PASSWORD);
  g_autoptr(JsonNode) json = NULL;
  guint status = sa_test_http (session, base, "POST", "/api/v1/auth/login", NULL,
                               "application/json", body, -1, &json);

  if (status != 200)
    g_error ("Login of %s failed: %u", user, status);
  return g_strdup (sa_test_member_string (json, "access_token"));
}

static char *
first_agency (SoupSession *session,
              const char  *base)
{
  g_autoptr(JsonNode) json = NULL;
  JsonArray *agencies;

  g_assert_cmpuint (sa_test_http (session, base, "GET", "/api/v1/agencies", NULL, NULL, NULL, 0,
                                  &json), ==, 200);
  agencies = json_object_get_array_member (json_node_get_object (json), "agencies");
  return g_strdup (json_object_get_string_member (json_array_get_object_element (agencies, 0),
                                                  "code"));
}

static char *
first_category (SoupSession *session,
                const char  *base)
{
  g_autoptr(JsonNode) json = NULL;
  JsonArray *list;

  g_assert_cmpuint (sa_test_http (session, base, "GET", "/api/v1/categories", NULL, NULL, NULL,
                                  0, &json), ==, 200);
  list = json_object_get_array_member (json_node_get_object (json), "categories");
  return g_strdup (json_object_get_string_member (json_array_get_object_element (list, 0),
                                                  "code"));
}

static char *
first_district (SoupSession *session,
                const char  *base)
{
  g_autoptr(JsonNode) json = NULL;
  JsonArray *list;

  g_assert_cmpuint (sa_test_http (session, base, "GET", "/api/v1/districts", NULL, NULL, NULL,
                                  0, &json), ==, 200);
  list = json_object_get_array_member (json_node_get_object (json), "districts");
  return g_strdup (json_object_get_string_member (json_array_get_object_element (list, 0),
                                                  "code"));
}

static double
pull_feed (SoupSession *session,
           const char  *base,
           const char  *token,
           guint       *out_appeals)
{
  gint64 start = g_get_monotonic_time ();
  gint64 since = 0;
  gboolean more = TRUE;
  guint appeals = 0;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=1000", since);
      g_autoptr(JsonNode) json = NULL;
      JsonObject *page;
      JsonArray *changes;

      if (sa_test_http (session, base, "GET", path, token, NULL, NULL, 0, &json) != 200)
        g_error ("The feed failed at since=%" G_GINT64_FORMAT, since);
      page = json_node_get_object (json);
      changes = json_object_get_array_member (page, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (changes, i),
                                                      "kind"), "appeal") == 0)
          appeals++;
      since = json_object_get_int_member (page, "next");
      more = json_object_get_boolean_member (page, "more");
    }
  *out_appeals = appeals;
  return (g_get_monotonic_time () - start) / 1e6;
}

typedef struct
{
  SoupSession *session;
  const char  *base;
  const char  *token;
  const char  *category;
  const char  *district;
  guint        next;
  guint        total;
  guint        done;
  guint        failed;
} IntakeRun;

static void intake_send (IntakeRun *run);

static void
on_intake (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  IntakeRun *run = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               NULL);

  if (bytes == NULL || soup_message_get_status (msg) != 201)
    run->failed++;
  run->done++;
  g_object_unref (msg);
  intake_send (run);
}

static void
intake_send (IntakeRun *run)
{
  g_autofree char *uri = NULL;
  g_autofree char *iin = NULL;
  g_autofree char *body = NULL;
  g_autofree char *auth = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessage *msg;

  if (run->next >= run->total)
    return;
  iin = sa_test_iin (run->next * 7 + 3);
  run->next++;
  uri = g_strconcat (run->base, "/api/v1/intake", NULL);
  body = sa_test_intake_body (run->category, iin, "ул. Кунаева, 21", run->district);
  auth = g_strconcat ("Bearer ", run->token, NULL);
  msg = soup_message_new ("POST", uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  bytes = g_bytes_new_take (g_steal_pointer (&body), strlen (body));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (run->session, msg, G_PRIORITY_DEFAULT, NULL, on_intake, run);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = sa_test_make_dir ();
  g_autofree char *db_path = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *base = NULL;
  g_autofree char *agency = NULL;
  g_autofree char *category = NULL;
  g_autofree char *district = NULL;
  g_autofree char *curator = NULL;
  g_autofree char *operator = NULL;
  g_autofree char *n_text = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  const char *n_env = g_getenv ("BENCH_APPEALS");
  guint n_appeals = n_env != NULL ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 100000;
  guint pulled = 0;
  double seconds;
  gint64 start;

  /* Production hashing: the login figure must be the real one. */
  g_unsetenv ("SA_REGISTRY_PWHASH");
  n_text = g_strdup_printf ("%u", n_appeals);

  start = g_get_monotonic_time ();
  run (NULL, "init", "--db", db_path, "--demo", "--appeals", n_text, NULL);
  g_print ("bench: registry.init_%uk %.2f s\n", n_appeals / 1000,
           (g_get_monotonic_time () - start) / 1e6);

  session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64,
                                           "timeout", 120, NULL);
  proc = serve (db_path, &base);
  agency = first_agency (session, base);
  category = first_category (session, base);
  district = first_district (session, base);
  stop (proc);
  g_clear_object (&proc);

  run (PASSWORD "\n", "user", "add", "--db", db_path, "--login", "bench.curator", "--agency",
       agency, "--role", "curator", "--password-stdin", NULL);
  run (PASSWORD "\n", "user", "add", "--db", db_path, "--login", "bench.operator", "--agency",
       agency, "--role", "operator", "--password-stdin", NULL);

  g_clear_pointer (&base, g_free);
  proc = serve (db_path, &base);
  curator = login (session, base, "bench.curator");
  seconds = pull_feed (session, base, curator, &pulled);
  if (pulled < n_appeals)
    g_error ("The feed gave %u appeals of %u", pulled, n_appeals);
  g_print ("bench: registry.feed_%uk %.2f s\n", n_appeals / 1000, seconds);

  /* Intake with 8 requests in flight, as channel gateways would. */
  {
    IntakeRun r = { 0 };

    operator = login (session, base, "bench.operator");
    r.session = session;
    r.base = base;
    r.token = operator;
    r.category = category;
    r.district = district;
    r.total = 2000;
    start = g_get_monotonic_time ();
    for (guint i = 0; i < 8; i++)
      intake_send (&r);
    while (r.done < r.total)
      g_main_context_iteration (NULL, TRUE);
    seconds = (g_get_monotonic_time () - start) / 1e6;
    if (r.failed > 0)
      g_error ("%u intakes failed", r.failed);
    g_print ("bench: registry.intake_rate %.0f appeals/s\n", r.total / seconds);
  }

  {
    double times[40];

    for (guint i = 0; i < G_N_ELEMENTS (times); i++)
      {
        g_autofree char *token = NULL;

        start = g_get_monotonic_time ();
        token = login (session, base, "bench.curator");
        times[i] = (g_get_monotonic_time () - start) / 1e3;
      }
    qsort (times, G_N_ELEMENTS (times), sizeof (double), compare_doubles);
    g_print ("bench: registry.login_p50 %.1f ms\n", times[G_N_ELEMENTS (times) / 2]);
    g_print ("bench: registry.login_p95 %.1f ms\n", times[(G_N_ELEMENTS (times) * 95) / 100]);
  }

  stop (proc);
  g_clear_object (&session);
  sa_test_remove_dir (dir);
  return 0;
}
