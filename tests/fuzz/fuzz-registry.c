/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-fuzz-registry"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "registry-test-util.h"
#include "sa-json-strict.h"
#include "fuzz-registry.h"

static struct
{
  char             *dir;
  SaRegistryDb     *db;
  SaRegistryServer *server;
  SaHttpFront      *http;
  GHashTable       *tokens;
  char             *appeal;
  GSocketAddress   *local;
} fuzz;

static void
cleanup (void)
{
  if (fuzz.dir != NULL)
    sa_test_remove_dir (fuzz.dir);
}

static JsonNode *answer_json (GBytes *answer);

static char *
login_once (const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"pw-%s\"}", name,
                                           name);
  g_autoptr(GBytes) answer = sa_fuzz_registry_request ("POST", "/api/v1/auth/login", NULL,
                                                       "application/json", body, strlen (body));
  g_autoptr(JsonNode) node = answer_json (answer);
  JsonNode *token = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                    ? json_object_get_member (json_node_get_object (node), "access_token")
                    : NULL;

  return token != NULL ? g_strdup (json_node_get_string (token)) : NULL;
}

/* Inputs that fail logins lock the account (docs/api.md, throttle): the
 * harness starts the count again when it must sign in itself. */
static char *
login (const char *name)
{
  char *token = login_once (name);

  if (token == NULL)
    {
      _sa_registry_auth_reset_throttle ();
      token = login_once (name);
    }
  if (token == NULL)
    g_error ("The harness cannot sign %s in", name);
  return token;
}

/* Once per process: a database in a temporary folder, removed at exit. */
void
sa_fuzz_registry_init (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  SaHttpLimits limits;

  if (fuzz.server != NULL)
    return;
  sa_fuzz_criticals_crash ();
  sa_test_registry_env ();
  fuzz.dir = sa_test_make_dir ();
  atexit (cleanup);
  path = g_build_filename (fuzz.dir, "registry.db", NULL);
  fuzz.db = sa_registry_db_open (path, &error);
  g_assert_no_error (error);
  sa_test_seed (fuzz.db);
  fuzz.server = sa_registry_server_new (fuzz.db);
  fuzz.http = _sa_registry_server_get_http (fuzz.server);
  /* Memory streams end at once; short limits keep a stuck state short. */
  _sa_http_front_get_limits (fuzz.http, &limits);
  limits.idle_ms = 50;
  limits.head_ms = 50;
  limits.body_ms = 50;
  _sa_http_front_set_limits (fuzz.http, &limits);
  fuzz.local = g_inet_socket_address_new_from_string ("127.0.0.1", 8080);
  fuzz.tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

const char *
sa_fuzz_registry_token (const char *name)
{
  char *token = g_hash_table_lookup (fuzz.tokens, name);

  if (token == NULL)
    {
      token = login (name);
      g_hash_table_insert (fuzz.tokens, g_strdup (name), token);
    }
  return token;
}

static JsonNode *
answer_json (GBytes *answer)
{
  gsize len;
  const char *data = g_bytes_get_data (answer, &len);
  const char *json = g_strstr_len (data, len, "\r\n\r\n");

  g_assert_nonnull (json);
  return sa_json_strict_parse (json + 4, len - (json + 4 - data), 64, 64 << 20, NULL);
}

void
sa_fuzz_registry_forget_tokens (void)
{
  g_hash_table_remove_all (fuzz.tokens);
}

/* An appeal of the heating agency, registered once, for ops to act on. */
const char *
sa_fuzz_registry_appeal (void)
{
  if (fuzz.appeal == NULL)
    {
      g_autofree char *iin = sa_test_iin (1);
      g_autofree char *body = sa_test_intake_body ("heating.no-heat", iin, "ул. Жандосова 1",
                                                   NULL);
      g_autoptr(GBytes) answer = sa_fuzz_registry_request ("POST", "/api/v1/intake",
                                                           sa_fuzz_registry_token ("op.cc"),
                                                           "application/json", body,
                                                           strlen (body));
      g_autoptr(JsonNode) node = answer_json (answer);

      g_assert_nonnull (node);
      fuzz.appeal = g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
    }
  return fuzz.appeal;
}

/* The input with "@T" as a valid access token and "@A" as the appeal's
 * id, so that the fuzzer reaches what only a signed-in user on a real
 * appeal reaches. */
GByteArray *
sa_fuzz_substitute (const guint8 *data,
                    gsize         size)
{
  GByteArray *out = g_byte_array_sized_new (size);

  for (gsize i = 0; i < size; i++)
    {
      const char *with = NULL;

      if (data[i] == '@' && i + 1 < size && data[i + 1] == 'T')
        with = sa_fuzz_registry_token ("exec.heat");
      else if (data[i] == '@' && i + 1 < size && data[i + 1] == 'A')
        with = sa_fuzz_registry_appeal ();
      if (with != NULL)
        {
          g_byte_array_append (out, (const guint8 *) with, strlen (with));
          i++;
        }
      else
        g_byte_array_append (out, data + i, 1);
    }
  return out;
}

/* One connection carrying @request; returns all the registry wrote. */
GBytes *
sa_fuzz_registry_exchange (const void *request,
                           gsize       len)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (g_memdup2 (request, len),
                                                                     len, g_free);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GIOStream) io = g_simple_io_stream_new (in, out);
  g_autoptr(GSocketAddress) remote = g_inet_socket_address_new_from_string ("127.0.0.1",
                                                                            40000);

  _sa_http_front_accept_stream (fuzz.http, io, fuzz.local, remote);
  while (_sa_http_front_get_n_connections (fuzz.http) > 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (!g_output_stream_is_closed (out))
    g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

GBytes *
sa_fuzz_registry_request (const char *method,
                          const char *path,
                          const char *token,
                          const char *content_type,
                          const void *body,
                          gsize       body_len)
{
  g_autoptr(GByteArray) request = g_byte_array_new ();
  g_autofree char *head = NULL;

  head = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: registry\r\n%s%s%s%s%s%s"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          method, path,
                          token != NULL ? "Authorization: Bearer " : "",
                          token != NULL ? token : "", token != NULL ? "\r\n" : "",
                          content_type != NULL ? "Content-Type: " : "",
                          content_type != NULL ? content_type : "",
                          content_type != NULL ? "\r\n" : "", body_len);
  g_byte_array_append (request, (const guint8 *) head, strlen (head));
  if (body_len > 0)
    g_byte_array_append (request, body, body_len);
  return sa_fuzz_registry_exchange (request->data, request->len);
}

/* What the registry writes is HTTP, and a JSON body is strict JSON:
 * whatever was asked, it never emits what a client cannot read. */
void
sa_fuzz_check_answer (GBytes *answer)
{
  gsize len;
  const char *data = g_bytes_get_data (answer, &len);
  const char *end;
  g_autoptr(GError) error = NULL;

  if (len == 0)
    return;
  if (len < 12 || (memcmp (data, "HTTP/1.1 ", 9) != 0 && memcmp (data, "HTTP/1.0 ", 9) != 0))
    g_error ("Not an HTTP answer: %.*s", (int) MIN (len, 80), data);
  end = g_strstr_len (data, len, "\r\n\r\n");
  if (end == NULL)
    g_error ("An answer without the end of its head");
  if (g_strstr_len (data, end - data, "Content-Type: application/json") != NULL &&
      !sa_json_strict_validate (end + 4, len - (end + 4 - data), 64, 64 << 20, &error))
    g_error ("The registry wrote invalid JSON: %s", error->message);
}
