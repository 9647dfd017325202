/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-api-client"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "sa-api-client.h"
#include "sa-attachment-store.h"
#include "sa-json-strict.h"

struct _SaApiClient
{
  GObject      parent_instance;
  SoupSession *session;
  char        *base_url;
  char        *access_token;
  gint64       refresh_due;  /* monotonic µs; 0 when unknown */
};

G_DEFINE_TYPE (SaApiClient, sa_api_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (sa-api-error-quark, sa_api_error)

enum {
  PROP_0,
  PROP_BASE_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sa_api_client_finalize (GObject *object)
{
  SaApiClient *self = (SaApiClient *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->access_token, g_free);

  G_OBJECT_CLASS (sa_api_client_parent_class)->finalize (object);
}

static void
sa_api_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SaApiClient *self = SA_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_api_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SaApiClient *self = SA_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);
        gsize len = url ? strlen (url) : 0;

        /* Keep the URL without a trailing slash so paths can be appended. */
        while (len > 0 && url[len - 1] == '/')
          len--;
        self->base_url = g_strndup (url ? url : "", len);
      }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_api_client_class_init (SaApiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sa_api_client_finalize;
  object_class->get_property = sa_api_client_get_property;
  object_class->set_property = sa_api_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sa_api_client_init (SaApiClient *self)
{
  self->session = soup_session_new_with_options ("timeout", 30,
                                                 "user-agent", "smart-appeals/" PACKAGE_VERSION,
                                                 NULL);
}

/**
 * sa_api_client_new:
 * @base_url: the registry's address, e.g. `https://registry.example:8443`
 *
 * Returns: (transfer full): a new client for the registry at @base_url
 */
SaApiClient *
sa_api_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (SA_TYPE_API_CLIENT, "base-url", base_url, NULL);
}

const char *
sa_api_client_get_base_url (SaApiClient *self)
{
  g_return_val_if_fail (SA_IS_API_CLIENT (self), NULL);
  return self->base_url;
}

const char *
sa_api_client_get_access_token (SaApiClient *self)
{
  g_return_val_if_fail (SA_IS_API_CLIENT (self), NULL);
  return self->access_token;
}

/* Turns a transport error or an error answer into an SA_API_ERROR whose
 * message the UI can show as it is. */
static GError *
sa_api_client_translate_error (SoupMessage *msg,
                               GBytes      *body,
                               GError      *transport_error)
{
  SoupStatus status;
  g_autoptr(JsonNode) answer = NULL;
  const char *server_message = NULL;
  int code;

  if (transport_error != NULL)
    {
      if (transport_error->domain == G_TLS_ERROR ||
          soup_message_get_tls_peer_certificate_errors (msg) != 0)
        return g_error_new (SA_API_ERROR, SA_API_ERROR_CERTIFICATE,
                            "The registry's certificate is not trusted: %s",
                            transport_error->message);
      return g_error_new (SA_API_ERROR, SA_API_ERROR_UNREACHABLE,
                          "The registry cannot be reached: %s", transport_error->message);
    }

  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_GONE)
    return g_error_new (SA_API_ERROR, SA_API_ERROR_GONE,
                        "The registry no longer keeps changes that old");
  /* An error answer is read as strictly as any other, member types
   * checked, so that no answer can raise a CRITICAL. */
  answer = sa_json_strict_parse_bytes (body, SA_JSON_ANSWER_MAX_DEPTH, SA_JSON_ANSWER_MAX_BYTES,
                                       NULL);
  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonNode *err = json_object_get_member (json_node_get_object (answer), "error");
      JsonNode *text = err != NULL && JSON_NODE_HOLDS_OBJECT (err)
                       ? json_object_get_member (json_node_get_object (err), "message") : NULL;

      if (text != NULL && JSON_NODE_HOLDS_VALUE (text) &&
          json_node_get_value_type (text) == G_TYPE_STRING)
        server_message = json_node_get_string (text);
    }

  if (status == SOUP_STATUS_UNAUTHORIZED)
    code = SA_API_ERROR_UNAUTHORIZED;
  else if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    code = SA_API_ERROR_TOO_LARGE;
  else if (status == SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE)
    code = SA_API_ERROR_UNSUPPORTED_TYPE;
  else if (status == SOUP_STATUS_NOT_FOUND)
    code = SA_API_ERROR_NOT_FOUND;
  else if (status >= 500)
    code = SA_API_ERROR_SERVER;
  else
    code = SA_API_ERROR_REFUSED;

  return g_error_new (SA_API_ERROR, code, "%s",
                      server_message ? server_message : soup_status_get_phrase (status));
}

/* The answer of a send_and_read: its JSON, or an SA_API_ERROR the UI can
 * show (G_IO_ERROR_CANCELLED stays as it is). */
static JsonNode *
read_answer (SoupSession   *session,
             GAsyncResult  *result,
             SoupMessage   *msg,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) body = NULL;
  JsonNode *answer;

  body = soup_session_send_and_read_finish (session, result, &local_error);
  if (body == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      if (local_error != NULL &&
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_propagate_error (error, sa_api_client_translate_error (msg, body, local_error));
      return NULL;
    }

  /* Feed pages and every other answer: strict JSON, so that what the
   * registry cannot have meant is refused here and not bent. */
  answer = sa_json_strict_parse_bytes (body, SA_JSON_ANSWER_MAX_DEPTH, SA_JSON_ANSWER_MAX_BYTES,
                                       NULL);
  if (answer == NULL)
    {
      g_set_error (error, SA_API_ERROR, SA_API_ERROR_PROTOCOL,
                   "The registry answered with something that is not JSON");
      return NULL;
    }
  return answer;
}

static void
auth_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaApiClient *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *root;

  answer = read_answer (SOUP_SESSION (object), result, msg, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_task_return_new_error (task, SA_API_ERROR, SA_API_ERROR_PROTOCOL,
                               "The registry answered with something that is not JSON");
      return;
    }

  root = json_node_get_object (answer);
  if (json_object_get_string_member_with_default (root, "access_token", NULL) == NULL ||
      json_object_get_string_member_with_default (root, "refresh_token", NULL) == NULL ||
      json_object_get_object_member (root, "user") == NULL)
    {
      g_task_return_new_error (task, SA_API_ERROR, SA_API_ERROR_PROTOCOL,
                               "The registry's sign-in answer lacks a token or the user");
      return;
    }

  g_free (self->access_token);
  self->access_token = g_strdup (json_object_get_string_member (root, "access_token"));
  self->refresh_due = 0;
  if (json_object_get_int_member_with_default (root, "expires_in", 0) > 0)
    {
      gint64 life = json_object_get_int_member (root, "expires_in");

      /* A minute early, or at three quarters of a short life. */
      self->refresh_due = g_get_monotonic_time () +
                          MAX (life - 60, life * 3 / 4) * G_USEC_PER_SEC;
    }
  g_task_return_pointer (task, json_object_ref (root), (GDestroyNotify)json_object_unref);
}

static void
sa_api_client_post_auth (SaApiClient         *self,
                         const char          *path,
                         JsonBuilder         *builder,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessage *msg;
  char *data;
  gsize len;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_api_client_post_auth);

  msg = soup_message_new (SOUP_METHOD_POST, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, SA_API_ERROR, SA_API_ERROR_UNREACHABLE,
                               "“%s” is not a valid registry address", self->base_url);
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);

  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, &len);
  bytes = g_bytes_new_take (data, len);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    auth_cb, g_steal_pointer (&task));
}

/**
 * sa_api_client_login_async:
 * @self: a #SaApiClient
 * @login: the user's login
 * @password: the user's password; it is sent once and never kept
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Signs in with `POST /api/v1/auth/login`.
 */
void
sa_api_client_login_async (SaApiClient         *self,
                           const char          *login,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_if_fail (SA_IS_API_CLIENT (self));
  g_return_if_fail (login != NULL);
  g_return_if_fail (password != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, login);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);

  sa_api_client_post_auth (self, "/api/v1/auth/login", builder, cancellable, callback, user_data);
}

/**
 * sa_api_client_refresh_async:
 * @self: a #SaApiClient
 * @refresh_token: the stored refresh token; the registry rotates it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Exchanges a refresh token for new tokens with `POST /api/v1/auth/refresh`.
 */
void
sa_api_client_refresh_async (SaApiClient         *self,
                             const char          *refresh_token,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_if_fail (SA_IS_API_CLIENT (self));
  g_return_if_fail (refresh_token != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, refresh_token);
  json_builder_end_object (builder);

  sa_api_client_post_auth (self, "/api/v1/auth/refresh", builder, cancellable, callback,
                           user_data);
}

/**
 * sa_api_client_auth_finish:
 * @self: a #SaApiClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the answer, with `access_token`, `refresh_token`,
 *   `expires_in` and `user`, or %NULL with @error set
 */
JsonObject *
sa_api_client_auth_finish (SaApiClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (SA_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sa_api_client_get_refresh_due:
 * @self: a #SaApiClient
 *
 * Returns: when to refresh the access token, a little before it expires,
 *   in g_get_monotonic_time() µs; 0 when there is none or the registry
 *   did not say how long it lives
 */
gint64
sa_api_client_get_refresh_due (SaApiClient *self)
{
  g_return_val_if_fail (SA_IS_API_CLIENT (self), 0);
  return self->access_token != NULL ? self->refresh_due : 0;
}

/**
 * sa_api_client_set_timeout:
 * @self: a #SaApiClient
 * @seconds: how long a request may wait for the registry's next byte; 0 for ever
 *
 * A registry that accepts a connection and then says nothing must not hold
 * the sync engine for ever.
 */
void
sa_api_client_set_timeout (SaApiClient *self,
                           guint        seconds)
{
  g_return_if_fail (SA_IS_API_CLIENT (self));
  soup_session_set_timeout (self->session, seconds);
}

static SoupMessage *
sa_api_client_new_message (SaApiClient  *self,
                           const char   *method,
                           const char   *path,
                           GError      **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL)
    {
      g_set_error (error, SA_API_ERROR, SA_API_ERROR_UNREACHABLE,
                   "“%s” is not a valid registry address", self->base_url);
      return NULL;
    }
  if (self->access_token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->access_token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", bearer);
    }
  return msg;
}

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  JsonNode *answer;

  answer = read_answer (SOUP_SESSION (object), result, g_task_get_task_data (task), &error);
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify)json_node_unref);
}

/**
 * sa_api_client_call_async:
 * @self: a #SaApiClient
 * @method: "GET", "POST", …
 * @path: the path and query, e.g. `/api/v1/changes?since=5`
 * @body: (nullable): a JSON body to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * One authenticated call of the registry's JSON API, with the access token
 * of the last sign-in or refresh.
 */
void
sa_api_client_call_async (SaApiClient         *self,
                          const char          *method,
                          const char          *path,
                          JsonNode            *body,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg;

  g_return_if_fail (SA_IS_API_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_api_client_call_async);

  msg = sa_api_client_new_message (self, method, path, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);

  if (body != NULL)
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(GBytes) bytes = NULL;
      gsize len;
      char *data;

      json_generator_set_root (gen, body);
      data = json_generator_to_data (gen, &len);
      bytes = g_bytes_new_take (data, len);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    call_cb, g_steal_pointer (&task));
}

/**
 * sa_api_client_call_finish:
 * @self: a #SaApiClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError (%SA_API_ERROR, or %G_IO_ERROR_CANCELLED)
 *
 * Returns: (transfer full): the answer's JSON, or %NULL with @error set
 */
JsonNode *
sa_api_client_call_finish (SaApiClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (SA_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* Files */

typedef struct
{
  SoupMessage   *msg;
  GInputStream  *in;
  SaApiProgress  progress;
  gpointer       progress_data;
  guint64        done;
  guint64        total;
} Upload;

static void
upload_free (gpointer data)
{
  Upload *up = data;

  g_clear_object (&up->msg);
  g_clear_object (&up->in);
  g_free (up);
}

static void
wrote_body_data_cb (SoupMessage *msg,
                    guint        chunk_size,
                    gpointer     user_data)
{
  Upload *up = user_data;

  up->done = MIN (up->done + chunk_size, up->total);
  if (up->progress != NULL)
    up->progress (up->done, up->total, up->progress_data);
}

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *up = g_task_get_task_data (task);
  GError *error = NULL;
  JsonNode *answer;

  g_signal_handlers_disconnect_by_func (up->msg, wrote_body_data_cb, up);
  answer = read_answer (SOUP_SESSION (object), result, up->msg, &error);
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify)json_node_unref);
}

/**
 * sa_api_client_upload_async:
 * @self: a #SaApiClient
 * @sha256: the file's SHA-256, 64 lowercase hex digits
 * @file: the file, read as it is sent
 * @progress: (nullable): called as the body goes out
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * `PUT /api/v1/attachments/{sha256}` with the file as the body, sent as
 * `application/octet-stream` (the registry judges the type by the
 * content). An upload is idempotent: retry freely. The refusals come back
 * as %SA_API_ERROR_TOO_LARGE (413), %SA_API_ERROR_UNSUPPORTED_TYPE (415),
 * %SA_API_ERROR_UNAUTHORIZED (401) and %SA_API_ERROR_REFUSED (a changed
 * file, a role that may not upload), each with the registry's message.
 */
void
sa_api_client_upload_async (SaApiClient         *self,
                            const char          *sha256,
                            GFile               *file,
                            SaApiProgress        progress,
                            gpointer             progress_data,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *path = NULL;
  Upload *up;

  g_return_if_fail (SA_IS_API_CLIENT (self));
  g_return_if_fail (sha256 != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_api_client_upload_async);

  up = g_new0 (Upload, 1);
  up->progress = progress;
  up->progress_data = progress_data;
  g_task_set_task_data (task, up, upload_free);

  /* A stat and an open: the bytes themselves are read as libsoup sends. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info != NULL)
    up->in = G_INPUT_STREAM (g_file_read (file, cancellable, &error));
  if (up->in == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  up->total = g_file_info_get_size (info);
  /* The registry's limit is the desk's: no 10 MiB go out to be refused. */
  if (up->total > SA_ATTACHMENT_MAX_SIZE)
    {
      g_task_return_new_error (task, SA_API_ERROR, SA_API_ERROR_TOO_LARGE,
                               "The file is larger than %u MiB",
                               SA_ATTACHMENT_MAX_SIZE / (1024 * 1024));
      return;
    }

  path = g_strconcat ("/api/v1/attachments/", sha256, NULL);
  up->msg = sa_api_client_new_message (self, SOUP_METHOD_PUT, path, &error);
  if (up->msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  soup_message_set_request_body (up->msg, "application/octet-stream", up->in, up->total);
  g_signal_connect (up->msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), up);

  soup_session_send_and_read_async (self->session, up->msg, G_PRIORITY_DEFAULT, cancellable,
                                    upload_cb, g_steal_pointer (&task));
}

/**
 * sa_api_client_upload_finish:
 * @self: a #SaApiClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the registry's `{"sha256","content_type","size"}`,
 *   or %NULL with @error set
 */
JsonNode *
sa_api_client_upload_finish (SaApiClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (SA_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* What an error answer may bring: its JSON is small. */
#define ERROR_BODY_MAX  (64 * 1024)
#define DOWNLOAD_CHUNK  (64 * 1024)

typedef struct
{
  SoupMessage  *msg;
  GInputStream *in;
  GByteArray   *buf;
  gsize         max_bytes;
  gsize         limit;   /* max_bytes, or ERROR_BODY_MAX for an error answer */
} Download;

static void
download_free (gpointer data)
{
  Download *dl = data;

  g_clear_object (&dl->msg);
  g_clear_object (&dl->in);
  g_clear_pointer (&dl->buf, g_byte_array_unref);
  g_free (dl);
}

static GError *
too_large_error (gsize max_bytes)
{
  return g_error_new (SA_API_ERROR, SA_API_ERROR_TOO_LARGE,
                      "The registry sent more than the %" G_GSIZE_FORMAT " bytes expected",
                      max_bytes);
}

static void download_read (GTask *task);

static void
download_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *dl = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, sa_api_client_translate_error (dl->msg, NULL, error));
      return;
    }
  if (g_bytes_get_size (chunk) > 0)
    {
      if (dl->buf->len + g_bytes_get_size (chunk) > dl->limit)
        {
          g_input_stream_close_async (dl->in, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
          if (dl->limit == dl->max_bytes)
            g_task_return_error (task, too_large_error (dl->max_bytes));
          else
            g_task_return_error (task, sa_api_client_translate_error (dl->msg, NULL, NULL));
          return;
        }
      g_byte_array_append (dl->buf, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      download_read (g_steal_pointer (&task));
      return;
    }

  /* The end of the body. */
  if (SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (dl->msg)))
    g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&dl->buf)),
                           (GDestroyNotify)g_bytes_unref);
  else
    {
      g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&dl->buf));

      g_task_return_error (task, sa_api_client_translate_error (dl->msg, body, NULL));
    }
}

static void
download_read (GTask *task)
{
  Download *dl = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (dl->in, DOWNLOAD_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), download_read_cb, task);
}

static void
download_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *dl = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;

  dl->in = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (dl->in == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, sa_api_client_translate_error (dl->msg, NULL, error));
      return;
    }
  dl->limit = SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (dl->msg))
              ? dl->max_bytes : ERROR_BODY_MAX;
  /* Refused before a byte of the body is read when it says its size. */
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (dl->msg));
  if (dl->limit == dl->max_bytes && length > 0 && (guint64) length > dl->max_bytes)
    {
      g_input_stream_close_async (dl->in, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_task_return_error (task, too_large_error (dl->max_bytes));
      return;
    }
  download_read (g_steal_pointer (&task));
}

/**
 * sa_api_client_download_async:
 * @self: a #SaApiClient
 * @path: the path, e.g. `/api/v1/attachments/{sha256}` or its `/thumbnail`
 * @max_bytes: the most the body may hold
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the bytes
 * @user_data: data for @callback
 *
 * One authenticated GET of bytes that are not JSON. A body over
 * @max_bytes is refused with %SA_API_ERROR_TOO_LARGE, from the
 * Content-Length before it is read or as soon as it goes over; nothing
 * more than @max_bytes is ever held.
 */
void
sa_api_client_download_async (SaApiClient         *self,
                              const char          *path,
                              gsize                max_bytes,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Download *dl;

  g_return_if_fail (SA_IS_API_CLIENT (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_api_client_download_async);
  dl = g_new0 (Download, 1);
  dl->max_bytes = max_bytes;
  dl->buf = g_byte_array_new ();
  g_task_set_task_data (task, dl, download_free);

  dl->msg = sa_api_client_new_message (self, SOUP_METHOD_GET, path, &error);
  if (dl->msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  soup_session_send_async (self->session, dl->msg, G_PRIORITY_DEFAULT, cancellable,
                           download_sent_cb, g_steal_pointer (&task));
}

/**
 * sa_api_client_download_finish:
 * @self: a #SaApiClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError (%SA_API_ERROR, or %G_IO_ERROR_CANCELLED)
 *
 * Returns: (transfer full): the body, or %NULL with @error set
 */
GBytes *
sa_api_client_download_finish (SaApiClient   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (SA_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
connect_events_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (ws == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (soup_message_get_status (msg) != SOUP_STATUS_NONE &&
               soup_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
        g_task_return_error (task, sa_api_client_translate_error (msg, NULL, NULL));
      else
        g_task_return_error (task, sa_api_client_translate_error (msg, NULL, error));
      return;
    }
  g_task_return_pointer (task, ws, g_object_unref);
}

/**
 * sa_api_client_connect_events_async:
 * @self: a #SaApiClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when connected or refused
 * @user_data: data for @callback
 *
 * Opens the registry's push channel, the WebSocket at `/api/v1/events`,
 * authenticated with the access token in the handshake.
 */
void
sa_api_client_connect_events_async (SaApiClient         *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg;

  g_return_if_fail (SA_IS_API_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_api_client_connect_events_async);
  msg = sa_api_client_new_message (self, SOUP_METHOD_GET, "/api/v1/events", &error);
  if (msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        cancellable, connect_events_cb,
                                        g_steal_pointer (&task));
  g_object_unref (msg);
}

/**
 * sa_api_client_connect_events_finish:
 * @self: a #SaApiClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the open connection, or %NULL with @error set
 */
SoupWebsocketConnection *
sa_api_client_connect_events_finish (SaApiClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (SA_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
