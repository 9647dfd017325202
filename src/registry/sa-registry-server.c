/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-server"

#include "config.h"

#include <string.h>

#include "sa-json-strict.h"
#include "sa-registry-store.h"

typedef struct
{
  char           *method;
  char           *pattern;
  char           *label;     /* the pattern with {id}, for metrics */
  SaRouteFlags    flags;
  SaRouteHandler  handler;
} SaRoute;

/* Latency buckets in seconds for the Prometheus histogram. */
static const double latency_buckets[] = {
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
};
#define N_BUCKETS G_N_ELEMENTS (latency_buckets)

typedef struct
{
  guint64 counts[N_BUCKETS + 1];  /* the last one is +Inf */
  double  sum;
  guint64 total;
} SaHistogram;

struct _SaRegistryServer
{
  GObject       parent_instance;

  SaRegistryDb *db;
  SoupServer   *soup;
  SaHttpFront  *http;
  GTlsCertificate *tls_certificate;
  GPtrArray    *routes;
  gboolean      access_log;
  gboolean      tls;
  guint         port;
  char         *host;

  /* "route\x1fstatus" → guint64 count */
  GHashTable   *request_counts;
  /* route → SaHistogram */
  GHashTable   *latency;
  guint         open_websockets;
  guint         access_ttl;
};

G_DEFINE_FINAL_TYPE (SaRegistryServer, sa_registry_server, G_TYPE_OBJECT)

static void
sa_route_free (SaRoute *route)
{
  g_free (route->method);
  g_free (route->pattern);
  g_free (route->label);
  g_free (route);
}

static void
sa_request_free (SaRequest *req)
{
  g_clear_object (&req->msg);
  g_clear_object (&req->server);
  g_clear_object (&req->db);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->user, sa_registry_user_free);
  g_clear_pointer (&req->body, json_node_unref);
  if (req->token != NULL)
    memset (req->token, 0, strlen (req->token));
  g_free (req->token);
  g_free (req->param);
  g_free (req->remote);
  g_free (req);
}

static void
record_metrics (SaRegistryServer *self,
                const char       *route,
                guint             status,
                double            seconds)
{
  g_autofree char *key = g_strdup_printf ("%s\x1f%u", route, status);
  guint64 *count = g_hash_table_lookup (self->request_counts, key);
  SaHistogram *hist;

  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (self->request_counts, g_steal_pointer (&key), count);
    }
  (*count)++;

  hist = g_hash_table_lookup (self->latency, route);
  if (hist == NULL)
    {
      hist = g_new0 (SaHistogram, 1);
      g_hash_table_insert (self->latency, g_strdup (route), hist);
    }
  for (guint i = 0; i < N_BUCKETS; i++)
    if (seconds <= latency_buckets[i])
      hist->counts[i]++;
  hist->counts[N_BUCKETS]++;
  hist->sum += seconds;
  hist->total++;
}

static void
finish_request (SaRequest *req,
                guint      status)
{
  double seconds = (g_get_monotonic_time () - req->started_us) / 1e6;

  record_metrics (req->server, req->route, status, seconds);
  /* The route's pattern, not the path: a path may carry a file's SHA-256,
   * query strings search text, bodies passwords, IINs and phone numbers. */
  if (req->server->access_log)
    g_printerr ("%s %s %s %u %.1fms%s%s\n",
                req->remote != NULL ? req->remote : "-",
                soup_server_message_get_method (req->msg),
                req->route,
                status, seconds * 1000.0,
                req->user != NULL ? " user=" : "",
                req->user != NULL ? req->user->login : "");
  if (req->paused)
    {
      g_clear_signal_handler (&req->disconnected_id, req->msg);
      if (!req->gone)
        soup_server_message_unpause (req->msg);
    }
  sa_request_free (req);
}

void
sa_request_set_header (SaRequest  *req,
                       const char *name,
                       const char *value)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                name, value);
}

static void
set_json_response (SoupServerMessage *msg,
                   guint              status,
                   JsonNode          *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize len = 0;
  char *data;

  json_generator_set_root (gen, node);
  data = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, len);
}

void
sa_request_reply_json (SaRequest *req,
                       guint      status,
                       JsonNode  *node)
{
  set_json_response (req->msg, status, node);
  finish_request (req, status);
}

/* Answers with JSON text the handler wrote itself; takes @json_text. */
void
sa_request_reply_text (SaRequest *req,
                       guint      status,
                       GString   *json_text)
{
  gsize len = json_text->len;

  soup_server_message_set_status (req->msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (json_text, FALSE), len);
  finish_request (req, status);
}

/* Answers with @bytes (nullable: no body) of @content_type, for files. */
void
sa_request_reply_bytes (SaRequest  *req,
                        guint       status,
                        const char *content_type,
                        GBytes     *bytes)
{
  SoupMessageBody *body = soup_server_message_get_response_body (req->msg);

  soup_server_message_set_status (req->msg, status, NULL);
  if (content_type != NULL)
    soup_message_headers_set_content_type (
        soup_server_message_get_response_headers (req->msg), content_type, NULL);
  soup_message_body_truncate (body);
  if (bytes != NULL)
    soup_message_body_append_bytes (body, bytes);
  finish_request (req, status);
}

void
sa_request_reply_builder (SaRequest   *req,
                          guint        status,
                          JsonBuilder *b)
{
  g_autoptr(JsonNode) node = json_builder_get_root (b);

  sa_request_reply_json (req, status, node);
}

static JsonNode *
error_node (const char *code,
            const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
sa_request_reply_error (SaRequest  *req,
                        guint       status,
                        const char *code,
                        const char *message)
{
  g_autoptr(JsonNode) node = error_node (code, message);

  sa_request_reply_json (req, status, node);
}

void
sa_request_reply_gerror (SaRequest    *req,
                         const GError *error)
{
  if (g_error_matches (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_NOT_FOUND))
    sa_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "not_found", error->message);
  else if (g_error_matches (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID))
    sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid", error->message);
  else if (g_error_matches (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_EXISTS))
    sa_request_reply_error (req, SOUP_STATUS_CONFLICT, "exists", error->message);
  else
    {
      g_warning ("Internal error on %s: %s", req->route, error->message);
      sa_request_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                              "The registry failed to complete the request; "
                              "nothing was changed. Try again later.");
    }
}

static void
on_paused_disconnected (SoupServerMessage *msg,
                        gpointer           user_data)
{
  SaRequest *req = user_data;

  req->gone = TRUE;
}

/* For handlers that answer later (login hashes on a worker thread). */
void
sa_request_pause (SaRequest *req)
{
  g_assert (!req->paused);
  req->paused = TRUE;
  req->disconnected_id = g_signal_connect (req->msg, "disconnected",
                                           G_CALLBACK (on_paused_disconnected), req);
  soup_server_message_pause (req->msg);
}

const char *
sa_request_query (SaRequest  *req,
                  const char *key)
{
  return req->query != NULL ? g_hash_table_lookup (req->query, key) : NULL;
}

static gboolean
is_b64token_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' ||
         c == '/';
}

/**
 * _sa_registry_bearer_token:
 * @headers: a request's headers
 *
 * The one reader of the Authorization header: RFC 6750 §2.1,
 * `"Bearer" 1*SP b64token`, the scheme in any case, one header only.
 * Every route, logout and the events socket take the token from here, so
 * that no two of them can read one header differently.
 *
 * Returns: (transfer full) (nullable): the token, or %NULL when the
 *   header is absent or anything but that form
 */
char *
_sa_registry_bearer_token (SoupMessageHeaders *headers)
{
  const char *value;
  const char *p;
  const char *token;
  gsize n;

  g_return_val_if_fail (headers != NULL, NULL);

  /* Two Authorization headers come back joined by a comma, which no
   * b64token holds. */
  value = soup_message_headers_get_list (headers, "Authorization");
  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  p = value + 7;
  while (*p == ' ')
    p++;
  token = p;
  while (is_b64token_char (*p))
    p++;
  n = p - token;
  while (*p == '=')
    p++;
  if (n == 0 || *p != '\0' || (gsize) (p - token) > SA_REGISTRY_MAX_TOKEN)
    return NULL;
  return g_strndup (token, p - token);
}

static SaRoute *
find_route (SaRegistryServer  *self,
            const char        *method,
            const char        *path,
            char             **param,
            gboolean          *path_matched)
{
  *path_matched = FALSE;

  for (guint i = 0; i < self->routes->len; i++)
    {
      SaRoute *route = g_ptr_array_index (self->routes, i);
      gboolean match;
      const char *hole = strstr (route->pattern, "{}");
      const char *end = NULL;

      if (route->flags & SA_ROUTE_PARAM)
        {
          gsize n = hole != NULL ? (gsize) (hole - route->pattern) : strlen (route->pattern);

          match = strncmp (path, route->pattern, n) == 0 && path[n] != '\0' &&
                  path[n] != '/';
          /* "/a/{}/b" takes one segment and then exactly "/b". */
          end = match ? strchr (path + n, '/') : NULL;
          if (match && hole != NULL)
            match = end != NULL && strcmp (end, hole + 2) == 0;
          else if (match)
            match = end == NULL;
        }
      else
        match = strcmp (path, route->pattern) == 0;

      if (!match)
        continue;
      *path_matched = TRUE;
      if (strcmp (method, route->method) != 0)
        continue;
      if (route->flags & SA_ROUTE_PARAM)
        *param = g_uri_unescape_segment (path + (hole != NULL ? (gsize) (hole - route->pattern)
                                                              : strlen (route->pattern)),
                                         end, NULL);
      return route;
    }
  return NULL;
}

static void
server_callback (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  SaRegistryServer *self = user_data;
  SaRequest *req;
  SaRoute *route;
  gboolean path_matched;
  char *param = NULL;

  req = g_new0 (SaRequest, 1);
  req->started_us = g_get_monotonic_time ();
  req->server = g_object_ref (self);
  req->db = g_object_ref (self->db);
  req->msg = g_object_ref (msg);
  req->remote = g_strdup (soup_server_message_get_remote_host (msg));
  req->query = query != NULL ? g_hash_table_ref (query) : NULL;

  route = find_route (self, soup_server_message_get_method (msg), path, &param,
                      &path_matched);
  if (route == NULL)
    {
      req->route = "unknown";
      if (path_matched)
        sa_request_reply_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                "This method is not allowed on this path.");
      else
        sa_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "not_found",
                                "There is no such endpoint.");
      return;
    }
  req->route = route->label;
  req->param = param;

  if (!(route->flags & SA_ROUTE_PUBLIC))
    {
      req->token = _sa_registry_bearer_token (soup_server_message_get_request_headers (msg));
      if (req->token == NULL)
        {
          sa_request_set_header (req, "WWW-Authenticate", "Bearer");
          sa_request_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                  "Sign in: this request needs an access token.");
          return;
        }
      req->user = _sa_registry_auth_resolve (self->db, req->token);
      if (req->user == NULL)
        {
          sa_request_set_header (req, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
          sa_request_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_token",
                                  "The access token is unknown, expired or revoked; "
                                  "refresh it or sign in again.");
          return;
        }
    }

  if (route->flags & SA_ROUTE_JSON_BODY)
    {
      const char *ctype;
      SoupMessageBody *body;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      ctype = soup_message_headers_get_content_type (
          soup_server_message_get_request_headers (msg), NULL);
      if (ctype == NULL || g_ascii_strcasecmp (ctype, "application/json") != 0)
        {
          sa_request_reply_error (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                  "unsupported_media_type",
                                  "Send the body as application/json.");
          return;
        }
      body = soup_server_message_get_request_body (msg);
      bytes = soup_message_body_flatten (body);
      /* Strict RFC 8259 first: json-glib never sees a comment, a quote
       * that hides brackets, or a depth past the limit. */
      req->body = sa_json_strict_parse_bytes (bytes, SA_REGISTRY_MAX_DEPTH, SA_REGISTRY_MAX_BODY,
                                              &error);
      if (req->body == NULL)
        {
          if (g_error_matches (error, SA_JSON_STRICT_ERROR, SA_JSON_STRICT_ERROR_TOO_LARGE))
            sa_request_reply_error (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                                    "The body is larger than 1 MiB.");
          else if (g_error_matches (error, SA_JSON_STRICT_ERROR, SA_JSON_STRICT_ERROR_TOO_DEEP))
            sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "too_deep",
                                    "The JSON is nested more than 32 levels deep.");
          else
            {
              g_autofree char *message = g_strdup_printf ("The body is not a JSON object. %s.",
                                                          error->message);

              sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "malformed_json", message);
            }
          return;
        }
      if (!JSON_NODE_HOLDS_OBJECT (req->body))
        {
          sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "malformed_json",
                                  "The body is not a JSON object.");
          return;
        }
    }

  route->handler (req);
}

/* Content-Length = 1*DIGIT, once (RFC 9112 §6.3, §8.6). libsoup joins two
 * headers with a comma and reads "5abc" as 5: a proxy in front may read
 * either differently, so anything else is refused. */
static gboolean
content_length_ok (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_list (headers, "Content-Length");

  if (value == NULL)
    return TRUE;
  if (*value == '\0' || strlen (value) > 18)
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* Runs once the headers are in and before the body is read, so that an
 * oversized or ambiguous body is refused without reading it: the front
 * answers and ends the connection, so not one byte more is read. */
static void
early_callback (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  SaRegistryServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;
  /* Attachments are uploaded as raw bytes, up to their own limit, and
   * only by someone signed in: a stranger gets the 1 MiB of any body. */
  gboolean upload = g_str_has_prefix (path, SA_REGISTRY_ATTACHMENTS_PREFIX) &&
                    strcmp (soup_server_message_get_method (msg), "PUT") == 0;
  goffset limit = SA_REGISTRY_MAX_BODY;

  if (upload && soup_message_headers_get_content_length (headers) > SA_REGISTRY_MAX_BODY)
    {
      g_autofree char *token = _sa_registry_bearer_token (headers);
      g_autoptr(SaRegistryUser) user = token != NULL
                                       ? _sa_registry_auth_resolve (self->db, token) : NULL;

      if (user != NULL)
        limit = SA_ATTACHMENT_MAX_SIZE;
    }

  if (!content_length_ok (headers) ||
      (soup_message_headers_get_list (headers, "Transfer-Encoding") != NULL &&
       soup_message_headers_get_list (headers, "Content-Length") != NULL))
    {
      status = SOUP_STATUS_BAD_REQUEST;
      node = error_node ("bad_content_length",
                         "Send one Content-Length of digits only, and no Transfer-Encoding "
                         "with it.");
    }
  else if (encoding == SOUP_ENCODING_CHUNKED)
    {
      status = SOUP_STATUS_LENGTH_REQUIRED;
      node = error_node ("length_required", "Send the body with a Content-Length.");
    }
  else if (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
           soup_message_headers_get_content_length (headers) > limit)
    {
      status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
      node = error_node ("too_large", limit == SA_ATTACHMENT_MAX_SIZE
                                      ? "The file is larger than 10 MiB."
                                      : "The body is larger than 1 MiB.");
    }

  if (status != 0)
    {
      g_autofree char *text = _sa_registry_json_to_string (node);

      set_json_response (msg, status, node);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      /* Streams that did not come through the front (none in the
       * registry) keep libsoup's behaviour: the answer after the body. */
      _sa_http_front_refuse (self->http, msg, status, text);
      record_metrics (self, "early", status, 0);
      if (self->access_log)
        g_printerr ("%s %s %s %u early\n", soup_server_message_get_remote_host (msg),
                    soup_server_message_get_method (msg),
                    g_str_has_prefix (path, SA_REGISTRY_ATTACHMENTS_PREFIX)
                    ? SA_REGISTRY_ATTACHMENTS_PREFIX "{id}" : path, status);
    }
}

static void
healthz_handler (SaRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean healthy;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  healthy = _sa_registry_health_check (req->db, b);
  json_builder_end_object (b);
  sa_request_reply_builder (req, healthy ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, b);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
metrics_handler (SaRequest *req)
{
  SaRegistryServer *self = req->server;
  GString *out = g_string_new (NULL);
  g_autofree gpointer *keys = NULL;
  g_autoptr(GPtrArray) counts = NULL;
  guint n_keys;

  g_string_append (out,
                   "# HELP sa_registry_requests_total HTTP requests by route and status.\n"
                   "# TYPE sa_registry_requests_total counter\n");
  keys = g_hash_table_get_keys_as_array (self->request_counts, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n_keys; i++)
    {
      g_auto(GStrv) parts = g_strsplit (keys[i], "\x1f", 2);
      guint64 *count = g_hash_table_lookup (self->request_counts, keys[i]);

      g_string_append_printf (out,
                              "sa_registry_requests_total{route=\"%s\",status=\"%s\"} %"
                              G_GUINT64_FORMAT "\n", parts[0], parts[1], *count);
    }
  g_clear_pointer (&keys, g_free);

  g_string_append (out,
                   "# HELP sa_registry_request_duration_seconds Time to answer a request.\n"
                   "# TYPE sa_registry_request_duration_seconds histogram\n");
  keys = g_hash_table_get_keys_as_array (self->latency, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n_keys; i++)
    {
      SaHistogram *hist = g_hash_table_lookup (self->latency, keys[i]);
      char num[G_ASCII_DTOSTR_BUF_SIZE];

      for (guint j = 0; j < N_BUCKETS; j++)
        g_string_append_printf (out,
                                "sa_registry_request_duration_seconds_bucket{route=\"%s\","
                                "le=\"%s\"} %" G_GUINT64_FORMAT "\n", (char *) keys[i],
                                g_ascii_formatd (num, sizeof num, "%g", latency_buckets[j]),
                                hist->counts[j]);
      g_string_append_printf (out,
                              "sa_registry_request_duration_seconds_bucket{route=\"%s\","
                              "le=\"+Inf\"} %" G_GUINT64_FORMAT "\n", (char *) keys[i],
                              hist->counts[N_BUCKETS]);
      g_string_append_printf (out,
                              "sa_registry_request_duration_seconds_sum{route=\"%s\"} %s\n",
                              (char *) keys[i],
                              g_ascii_dtostr (num, sizeof num, hist->sum));
      g_string_append_printf (out,
                              "sa_registry_request_duration_seconds_count{route=\"%s\"} %"
                              G_GUINT64_FORMAT "\n", (char *) keys[i], hist->total);
    }

  g_string_append_printf (out,
                          "# HELP sa_registry_websockets_open Open WebSocket connections.\n"
                          "# TYPE sa_registry_websockets_open gauge\n"
                          "sa_registry_websockets_open %u\n", self->open_websockets);

  g_string_append (out,
                   "# HELP sa_registry_appeals Appeals by status.\n"
                   "# TYPE sa_registry_appeals gauge\n");
  counts = sa_store_appeals_count_by_status (req->db);
  for (guint i = 0; i < counts->len; i++)
    {
      SaStoreCount *count = g_ptr_array_index (counts, i);

      g_string_append_printf (out, "sa_registry_appeals{status=\"%s\"} %" G_GINT64_FORMAT "\n",
                              count->key, count->n);
    }

  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
  {
    gsize len = out->len;

    soup_server_message_set_response (req->msg, "text/plain; version=0.0.4",
                                      SOUP_MEMORY_TAKE, g_string_free (out, FALSE), len);
  }
  finish_request (req, SOUP_STATUS_OK);
}

static void
sa_registry_server_dispose (GObject *object)
{
  SaRegistryServer *self = SA_REGISTRY_SERVER (object);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_pointer (&self->http, _sa_http_front_free);
  g_clear_object (&self->soup);
  g_clear_object (&self->tls_certificate);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (sa_registry_server_parent_class)->dispose (object);
}

static void
sa_registry_server_finalize (GObject *object)
{
  SaRegistryServer *self = SA_REGISTRY_SERVER (object);

  g_clear_pointer (&self->routes, g_ptr_array_unref);
  g_clear_pointer (&self->request_counts, g_hash_table_unref);
  g_clear_pointer (&self->latency, g_hash_table_unref);
  g_free (self->host);

  G_OBJECT_CLASS (sa_registry_server_parent_class)->finalize (object);
}

static void
sa_registry_server_class_init (SaRegistryServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sa_registry_server_dispose;
  object_class->finalize = sa_registry_server_finalize;
}

static void
sa_registry_server_init (SaRegistryServer *self)
{
  self->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_route_free);
  self->request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->latency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * sa_registry_server_add_route:
 * @self: the server
 * @method: "GET", "POST", …
 * @pattern: an exact path, or with %SA_ROUTE_PARAM a prefix ending in '/'
 * @flags: what the server checks before calling @handler
 * @handler: the handler
 *
 * Adds a route. Route groups (auth, appeals, ops, feed, attachments,
 * events) each register theirs from their own file.
 */
void
sa_registry_server_add_route (SaRegistryServer *self,
                              const char       *method,
                              const char       *pattern,
                              SaRouteFlags      flags,
                              SaRouteHandler    handler)
{
  SaRoute *route;

  g_return_if_fail (SA_IS_REGISTRY_SERVER (self));
  g_return_if_fail (method != NULL && pattern != NULL && handler != NULL);

  route = g_new0 (SaRoute, 1);
  route->method = g_strdup (method);
  route->pattern = g_strdup (pattern);
  if ((flags & SA_ROUTE_PARAM) && strstr (pattern, "{}") != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (pattern, "{}", 2);

      route->label = g_strjoin ("{id}", parts[0], parts[1], NULL);
    }
  else
    route->label = (flags & SA_ROUTE_PARAM) ? g_strconcat (pattern, "{id}", NULL)
                                            : g_strdup (pattern);
  route->flags = flags;
  route->handler = handler;
  g_ptr_array_add (self->routes, route);
}

SaRegistryServer *
sa_registry_server_new (SaRegistryDb *db)
{
  SaRegistryServer *self;

  g_return_val_if_fail (SA_IS_REGISTRY_DB (db), NULL);

  self = g_object_new (SA_TYPE_REGISTRY_SERVER, NULL);
  self->db = g_object_ref (db);
  self->soup = soup_server_new ("server-header", "smart-appeals-registry/" PACKAGE_VERSION,
                                NULL);
  self->http = _sa_http_front_new (self->soup);
  soup_server_add_early_handler (self->soup, NULL, early_callback, self, NULL);
  soup_server_add_handler (self->soup, NULL, server_callback, self, NULL);

  sa_registry_server_add_route (self, "GET", "/healthz", SA_ROUTE_PUBLIC, healthz_handler);
  sa_registry_server_add_route (self, "GET", "/metrics", SA_ROUTE_PUBLIC, metrics_handler);
  _sa_registry_auth_register (self);
  _sa_registry_appeals_register (self);
  _sa_registry_ops_register (self);
  _sa_registry_deliveries_register (self);
  _sa_registry_feed_register (self);
  _sa_registry_attachments_register (self);
  _sa_registry_events_register (self);

  return self;
}

gboolean
sa_registry_server_set_tls_files (SaRegistryServer  *self,
                                  const char        *cert_file,
                                  const char        *key_file,
                                  GError           **error)
{
  g_autoptr(GTlsCertificate) cert = NULL;

  g_return_val_if_fail (SA_IS_REGISTRY_SERVER (self), FALSE);

  cert = g_tls_certificate_new_from_files (cert_file, key_file, error);
  if (cert == NULL)
    return FALSE;
  g_set_object (&self->tls_certificate, cert);
  self->tls = TRUE;
  return TRUE;
}

gboolean
sa_registry_server_listen (SaRegistryServer  *self,
                           const char        *host,
                           guint              port,
                           GError           **error)
{
  g_autoptr(GInetAddress) addr = NULL;
  g_autoptr(GSocketAddress) saddr = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  g_return_val_if_fail (SA_IS_REGISTRY_SERVER (self), FALSE);

  addr = g_inet_address_new_from_string (host);
  if (addr == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address; give one such as 127.0.0.1 or 0.0.0.0", host);
      return FALSE;
    }
  saddr = g_inet_socket_address_new (addr, port);
  socket = g_socket_new (g_inet_address_get_family (addr), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  /* GSocket's default backlog of 10 overflows when many clients connect
   * at once; the kernel then drops their handshakes and they wait a
   * second for a retransmit. */
  g_socket_set_listen_backlog (socket, 1024);
  /* The front accepts; see sa-registry-http.c. */
  if (!g_socket_bind (socket, saddr, TRUE, error) ||
      !g_socket_listen (socket, error) ||
      !_sa_http_front_listen (self->http, socket, self->tls_certificate, error))
    return FALSE;

  local = g_socket_get_local_address (socket, NULL);
  if (local != NULL)
    self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  g_free (self->host);
  self->host = g_strdup (host);
  return TRUE;
}

guint
sa_registry_server_get_port (SaRegistryServer *self)
{
  g_return_val_if_fail (SA_IS_REGISTRY_SERVER (self), 0);
  return self->port;
}

char *
sa_registry_server_get_base_uri (SaRegistryServer *self)
{
  g_return_val_if_fail (SA_IS_REGISTRY_SERVER (self), NULL);

  if (strchr (self->host, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%u", self->tls ? "https" : "http", self->host,
                            self->port);
  return g_strdup_printf ("%s://%s:%u", self->tls ? "https" : "http", self->host, self->port);
}

SaRegistryDb *
sa_registry_server_get_db (SaRegistryServer *self)
{
  g_return_val_if_fail (SA_IS_REGISTRY_SERVER (self), NULL);
  return self->db;
}

SoupServer *
sa_registry_server_get_soup_server (SaRegistryServer *self)
{
  g_return_val_if_fail (SA_IS_REGISTRY_SERVER (self), NULL);
  return self->soup;
}

/**
 * sa_registry_server_set_access_ttl:
 * @self: a #SaRegistryServer
 * @seconds: how long an access token lives; 0 for the default (15 min)
 */
void
sa_registry_server_set_access_ttl (SaRegistryServer *self,
                                   guint             seconds)
{
  g_return_if_fail (SA_IS_REGISTRY_SERVER (self));
  self->access_ttl = seconds;
}

guint
sa_registry_server_get_access_ttl (SaRegistryServer *self)
{
  g_return_val_if_fail (SA_IS_REGISTRY_SERVER (self), 0);
  return self->access_ttl != 0 ? self->access_ttl : SA_REGISTRY_ACCESS_TTL;
}

void
sa_registry_server_set_access_log (SaRegistryServer *self,
                                   gboolean          enabled)
{
  g_return_if_fail (SA_IS_REGISTRY_SERVER (self));
  self->access_log = !!enabled;
}

/**
 * sa_registry_server_add_open_websockets:
 * @self: the server
 * @delta: +1 when a WebSocket opens, -1 when it closes
 *
 * Keeps the open-WebSockets gauge of /metrics.
 */
void
sa_registry_server_add_open_websockets (SaRegistryServer *self,
                                        int               delta)
{
  g_return_if_fail (SA_IS_REGISTRY_SERVER (self));
  g_return_if_fail (delta >= 0 || self->open_websockets >= (guint) -delta);
  self->open_websockets += delta;
}

guint
sa_registry_server_get_open_websockets (SaRegistryServer *self)
{
  g_return_val_if_fail (SA_IS_REGISTRY_SERVER (self), 0);
  return self->open_websockets;
}

/* Stops listening and closes the connections; for a clean shutdown. */
void
sa_registry_server_disconnect (SaRegistryServer *self)
{
  g_return_if_fail (SA_IS_REGISTRY_SERVER (self));
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  if (self->http != NULL)
    _sa_http_front_disconnect (self->http);
}

/* The HTTP front, for tests and the fuzzers: limits, connection counts,
 * and streams that are not sockets. */
SaHttpFront *
_sa_registry_server_get_http (SaRegistryServer *self)
{
  g_return_val_if_fail (SA_IS_REGISTRY_SERVER (self), NULL);
  return self->http;
}
