/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-registry"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "registry-test-util.h"
#include "sa-demo-data.h"

/* Benchmarks of the built registry (SA_REGISTRY_EXE) over loopback:
 *   bench: registry.init_100k S s        init --demo --appeals 100000
 *   bench: registry.feed_100k S s        one client pulls the whole feed
 *   bench: registry.intake_rate N appeals/s
 *   bench: registry.intake_rate_500ws N appeals/s   the same with 500 desks listening on
 *                                                   /api/v1/events (goal: >= 80 % of the above)
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

#define LISTENERS       500
#define LISTENER_USERS  50
#define INTAKE_MAX_S    30

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

/* Desks listening on /api/v1/events, signed in as demo users of many
 * agencies (and the curator and the contact centre's operator), ten
 * sockets per user, each reading what it gets. They live on a thread of
 * their own, as they would on other machines: the figure is the
 * registry's cost, not this process's. */
typedef struct
{
  GThread      *thread;
  GMainContext *context;
  char         *uri;
  GPtrArray    *tokens;
  GPtrArray    *conns;
  guint         connecting;
  guint         failed;
  guint         ready;
  guint         changes;
  gint          opened;     /* atomic */
  gint          stop;       /* atomic */
} Listeners;

static void
on_listener_message (SoupWebsocketConnection *conn,
                     SoupWebsocketDataType    type,
                     GBytes                  *message,
                     gpointer                 user_data)
{
  Listeners *l = user_data;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  if (g_strstr_len (data, len, "\"ready\"") != NULL)
    l->ready++;
  else if (g_strstr_len (data, len, "\"changes\"") != NULL)
    l->changes++;
}

static void
on_listener_connected (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Listeners *l = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn = soup_session_websocket_connect_finish (SOUP_SESSION (source),
                                                                         result, &error);

  l->connecting--;
  if (conn == NULL)
    {
      g_printerr ("A listener could not connect: %s\n", error->message);
      l->failed++;
      return;
    }
  g_signal_connect (conn, "message", G_CALLBACK (on_listener_message), l);
  g_ptr_array_add (l->conns, conn);
}

static gpointer
listeners_thread (gpointer data)
{
  Listeners *l = data;
  g_autoptr(SoupSession) session = NULL;

  g_main_context_push_thread_default (l->context);
  session = soup_session_new_with_options ("max-conns", 2 * LISTENERS, "max-conns-per-host",
                                           2 * LISTENERS, NULL);
  l->conns = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < LISTENERS; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", l->uri);
      g_autofree char *auth = g_strconcat ("Bearer ",
                                           (char *) l->tokens->pdata[i % l->tokens->len], NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
      l->connecting++;
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            on_listener_connected, l);
    }
  while (l->connecting > 0 || l->ready < l->conns->len)
    g_main_context_iteration (l->context, TRUE);
  g_atomic_int_set (&l->opened, 1);

  while (!g_atomic_int_get (&l->stop))
    g_main_context_iteration (l->context, TRUE);

  for (guint i = 0; i < l->conns->len; i++)
    {
      SoupWebsocketConnection *conn = l->conns->pdata[i];

      g_signal_handlers_disconnect_by_data (conn, l);
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  /* Let the close frames go out. */
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC; g_get_monotonic_time () < end;)
    g_main_context_iteration (l->context, FALSE);
  g_clear_pointer (&l->conns, g_ptr_array_unref);
  g_clear_object (&session);
  g_main_context_pop_thread_default (l->context);
  return NULL;
}

static void
listeners_open (Listeners   *l,
                SoupSession *session,
                const char  *base)
{
  g_autoptr(SaReference) ref = sa_reference_new_default (NULL);
  g_autoptr(SaDemo) demo = sa_demo_new (ref, NULL);
  const SaDemoUser *users;
  guint n_users;

  l->tokens = g_ptr_array_new_with_free_func (g_free);
  users = sa_demo_get_users (demo, &n_users);
  for (guint i = 0; i < n_users && l->tokens->len < LISTENER_USERS; i++)
    {
      g_autofree char *body = NULL;
      g_autoptr(JsonNode) json = NULL;

      if (strcmp (users[i].role, "admin") == 0)
        continue;
      /* Every agency's first user, then the city-wide ones at the end of the list. */
      if (l->tokens->len >= LISTENER_USERS - 2 && strcmp (users[i].role, "curator") != 0 &&
          strcmp (users[i].role, "operator") != 0)
        continue;
      body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\"}", users[i].login,
                              users[i].password);
      if (sa_test_http (session, base, "POST", "/api/v1/auth/login", NULL, "application/json",
                        body, -1, &json) != 200)
        g_error ("Login of %s failed", users[i].login);
      g_ptr_array_add (l->tokens, g_strdup (sa_test_member_string (json, "access_token")));
    }

  l->uri = g_strconcat (base, "/api/v1/events", NULL);
  l->context = g_main_context_new ();
  l->thread = g_thread_new ("listeners", listeners_thread, l);
  while (!g_atomic_int_get (&l->opened))
    g_usleep (10000);
  if (l->failed > 0)
    g_error ("%u of %u listeners could not connect", l->failed, LISTENERS);
}

static void
listeners_close (Listeners *l)
{
  g_atomic_int_set (&l->stop, 1);
  g_main_context_wakeup (l->context);
  g_thread_join (l->thread);
  g_main_context_unref (l->context);
  g_ptr_array_unref (l->tokens);
  g_free (l->uri);
}

/* Intakes per second with 8 in flight: 2000 of them, or as many as go
 * through in INTAKE_MAX_S. */
static double
intake_rate (SoupSession *session,
             const char  *base,
             const char  *token,
             const char  *category,
             const char  *district)
{
  IntakeRun r = { 0 };
  gint64 start, end;
  guint done;

  r.session = session;
  r.base = base;
  r.token = token;
  r.category = category;
  r.district = district;
  r.total = 2000;
  start = g_get_monotonic_time ();
  end = start + INTAKE_MAX_S * G_USEC_PER_SEC;
  for (guint i = 0; i < 8; i++)
    intake_send (&r);
  while (r.done < r.total && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  done = r.done;
  end = g_get_monotonic_time ();
  /* Stop sending; wait for those in flight. */
  r.total = r.next;
  while (r.done < r.next)
    g_main_context_iteration (NULL, TRUE);
  if (r.failed > 0)
    g_error ("%u intakes failed", r.failed);
  return done / ((end - start) / 1e6);
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
  double rate;
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
  operator = login (session, base, "bench.operator");
  rate = intake_rate (session, base, operator, category, district);
  g_print ("bench: registry.intake_rate %.0f appeals/s\n", rate);

  /* The same while 500 desks listen for pushes. */
  {
    Listeners l = { 0 };
    double rate_ws;

    listeners_open (&l, session, base);
    rate_ws = intake_rate (session, base, operator, category, district);
    g_print ("bench: registry.intake_rate_500ws %.0f appeals/s\n", rate_ws);
    g_print ("bench: registry.intake_rate_500ws_share %.0f %%\n", 100 * rate_ws / rate);
    listeners_close (&l);
    g_print ("bench: registry.push_messages_500ws %u messages\n", l.changes);
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
