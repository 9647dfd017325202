/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define SA_API_ERROR (sa_api_error_quark ())

/**
 * SaApiError:
 * @SA_API_ERROR_UNREACHABLE: the registry could not be reached at all
 * @SA_API_ERROR_CERTIFICATE: the registry's TLS certificate is not trusted
 * @SA_API_ERROR_UNAUTHORIZED: wrong login or password, or an expired token
 * @SA_API_ERROR_PROTOCOL: the answer was not what the API promises
 * @SA_API_ERROR_SERVER: the registry reported an error of its own (5xx)
 * @SA_API_ERROR_REFUSED: the registry refused the request (other 4xx)
 * @SA_API_ERROR_GONE: the change-feed cursor is older than the registry keeps (410)
 * @SA_API_ERROR_TOO_LARGE: the registry refused a file as too large (413), or
 *   a download was larger than its limit
 * @SA_API_ERROR_UNSUPPORTED_TYPE: the registry refused a file's type (415)
 * @SA_API_ERROR_NOT_FOUND: no such file, or none the user may see (404)
 *
 * Errors of talking to the registry.
 */
typedef enum
{
  SA_API_ERROR_UNREACHABLE,
  SA_API_ERROR_CERTIFICATE,
  SA_API_ERROR_UNAUTHORIZED,
  SA_API_ERROR_PROTOCOL,
  SA_API_ERROR_SERVER,
  SA_API_ERROR_REFUSED,
  SA_API_ERROR_GONE,
  SA_API_ERROR_TOO_LARGE,
  SA_API_ERROR_UNSUPPORTED_TYPE,
  SA_API_ERROR_NOT_FOUND,
} SaApiError;

/**
 * SaApiProgress:
 * @done: bytes sent so far
 * @total: bytes to send
 * @user_data: the data given with the callback
 *
 * Called on the main context as an upload goes.
 */
typedef void (*SaApiProgress) (guint64  done,
                               guint64  total,
                               gpointer user_data);

GQuark sa_api_error_quark (void);

#define SA_TYPE_API_CLIENT (sa_api_client_get_type ())
G_DECLARE_FINAL_TYPE (SaApiClient, sa_api_client, SA, API_CLIENT, GObject)

SaApiClient *sa_api_client_new            (const char          *base_url);
const char  *sa_api_client_get_base_url   (SaApiClient         *self);
void         sa_api_client_login_async    (SaApiClient         *self,
                                           const char          *login,
                                           const char          *password,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
void         sa_api_client_refresh_async  (SaApiClient         *self,
                                           const char          *refresh_token,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
JsonObject  *sa_api_client_auth_finish    (SaApiClient         *self,
                                           GAsyncResult        *result,
                                           GError             **error);
const char  *sa_api_client_get_access_token (SaApiClient       *self);
gint64       sa_api_client_get_refresh_due (SaApiClient        *self);
void         sa_api_client_set_timeout    (SaApiClient         *self,
                                           guint                seconds);

void         sa_api_client_call_async     (SaApiClient         *self,
                                           const char          *method,
                                           const char          *path,
                                           JsonNode            *body,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
JsonNode    *sa_api_client_call_finish    (SaApiClient         *self,
                                           GAsyncResult        *result,
                                           GError             **error);

void         sa_api_client_upload_async   (SaApiClient         *self,
                                           const char          *sha256,
                                           GFile               *file,
                                           SaApiProgress        progress,
                                           gpointer             progress_data,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
JsonNode    *sa_api_client_upload_finish  (SaApiClient         *self,
                                           GAsyncResult        *result,
                                           GError             **error);
void         sa_api_client_download_async (SaApiClient         *self,
                                           const char          *path,
                                           gsize                max_bytes,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GBytes      *sa_api_client_download_finish (SaApiClient        *self,
                                           GAsyncResult        *result,
                                           GError             **error);

void         sa_api_client_connect_events_async  (SaApiClient         *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
SoupWebsocketConnection *sa_api_client_connect_events_finish (SaApiClient         *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
