/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sa-appeal-model.h"
#include "sa-attachment-store.h"
#include "sa-registry-db.h"
#include "sa-registry-http.h"
#include "sa-registry-server.h"

G_BEGIN_DECLS

/* Internal API shared by the registry's route groups. One file per group
 * (auth, appeals, ops, feed, and later attachments and events) registers
 * its routes with sa_registry_server_add_route(). */

/**
 * SaRegistryError:
 * @SA_REGISTRY_ERROR_DB: storing failed beside the database (a password hash)
 * @SA_REGISTRY_ERROR_INVALID: input that breaks a rule; the message says which
 * @SA_REGISTRY_ERROR_NOT_FOUND: no such entity (or one the caller may not see)
 * @SA_REGISTRY_ERROR_EXISTS: the entity exists already
 *
 * Errors in the %SA_REGISTRY_ERROR domain. The database's own failures come
 * in the %SA_SQLITE_ERROR domain (sa-sqlite.h), a newer schema as
 * %SA_SQLITE_ERROR_TOO_NEW.
 */
typedef enum
{
  SA_REGISTRY_ERROR_DB,
  SA_REGISTRY_ERROR_INVALID,
  SA_REGISTRY_ERROR_NOT_FOUND,
  SA_REGISTRY_ERROR_EXISTS,
} SaRegistryError;

#define SA_REGISTRY_ERROR (sa_registry_error_quark ())
GQuark sa_registry_error_quark (void);

/* A signed-in user, as the access token resolved it. */
typedef struct
{
  gint64    id;
  char     *login;
  char     *full_name;
  char     *agency;
  SaRole    role;
  gboolean  disabled;
} SaRegistryUser;

void            sa_registry_user_free          (SaRegistryUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaRegistryUser, sa_registry_user_free)

SaRegistryUser *_sa_registry_user_lookup       (SaRegistryDb   *db,
                                                const char     *login);
void            _sa_registry_user_to_json      (SaRegistryUser *user,
                                                JsonBuilder    *b);
gboolean        _sa_registry_role_is_valid     (const char     *role);
/* The login rule, for messages; _sa_registry_login_is_valid() checks it. */
#define SA_REGISTRY_LOGIN_RULE \
  "a login is 2 to 64 lower-case Latin letters, digits, '.', '-' or '_', beginning with " \
  "a letter or a digit"
gboolean        _sa_registry_login_is_valid    (const char     *login);
gboolean        _sa_registry_password_check    (const char     *login,
                                                const char     *password,
                                                GError        **error);
gboolean        _sa_registry_user_set_password (SaRegistryDb   *db,
                                                const char     *login,
                                                const char     *password,
                                                GError        **error);
gboolean        _sa_registry_user_add          (SaRegistryDb   *db,
                                                const char     *login,
                                                const char     *full_name,
                                                const char     *agency,
                                                const char     *role,
                                                const char     *password,
                                                GError        **error);

/* Rights: the one place that says who sees which appeal (in words in
 * sa-registry-rights.c, in SQL in sa-registry-store-private.h); the change
 * feed and the WebSocket use the same rules. */
gboolean        sa_registry_user_sees_all_appeals (SaRegistryUser *user);
gboolean        sa_registry_user_can_see_appeal   (SaRegistryDb   *db,
                                                   SaRegistryUser *user,
                                                   const char     *appeal_id);
/* The agency whose appeals @user works with, or NULL (curator, admin). */
const char     *sa_registry_user_work_agency      (SaRegistryUser *user);

/* Database (sa-registry-db.c), for tests of the migrations */
SaRegistryDb   *_sa_registry_db_open_at_version (const char *path,
                                                 int         version,
                                                 GError    **error);

/* Requests */
typedef enum
{
  SA_ROUTE_DEFAULT   = 0,
  SA_ROUTE_PUBLIC    = 1 << 0,  /* no Bearer token needed */
  SA_ROUTE_JSON_BODY = 1 << 1,  /* application/json body, parsed into req->body */
  SA_ROUTE_PARAM     = 1 << 2,  /* the pattern ends in '/' and one more segment follows,
                                 * or "{}" in the pattern stands for that segment */
} SaRouteFlags;

typedef struct _SaRequest SaRequest;
struct _SaRequest
{
  SaRegistryServer  *server;
  SaRegistryDb      *db;
  SoupServerMessage *msg;
  const char        *route;     /* the route's pattern, for metrics and logs */
  char              *param;     /* the last path segment for SA_ROUTE_PARAM routes */
  GHashTable        *query;     /* may be NULL */
  SaRegistryUser    *user;      /* NULL on public routes */
  JsonNode          *body;      /* SA_ROUTE_JSON_BODY routes only */
  char              *remote;    /* the peer's address, no port */
  char              *token;     /* the Bearer token, from _sa_registry_bearer_token() */
  gint64             started_us;
  gboolean           paused;
  gboolean           gone;      /* the client went away while paused */
  gulong             disconnected_id;
};

/* A handler answers exactly once, now or later (after sa_request_pause()),
 * with one of the sa_request_reply_*() calls; the request is freed then. */
typedef void (*SaRouteHandler) (SaRequest *req);

void            sa_registry_server_add_route   (SaRegistryServer *self,
                                                const char       *method,
                                                const char       *pattern,
                                                SaRouteFlags      flags,
                                                SaRouteHandler    handler);
void            sa_request_pause               (SaRequest        *req);
void            sa_request_reply_json          (SaRequest        *req,
                                                guint             status,
                                                JsonNode         *node);
void            sa_request_reply_builder       (SaRequest        *req,
                                                guint             status,
                                                JsonBuilder      *b);
void            sa_request_reply_text          (SaRequest        *req,
                                                guint             status,
                                                GString          *json_text);
void            sa_request_reply_error         (SaRequest        *req,
                                                guint             status,
                                                const char       *code,
                                                const char       *message);
void            sa_request_reply_gerror        (SaRequest        *req,
                                                const GError     *error);
const char     *sa_request_query               (SaRequest        *req,
                                                const char       *key);
void            sa_request_set_header          (SaRequest        *req,
                                                const char       *name,
                                                const char       *value);
void            sa_request_reply_bytes         (SaRequest        *req,
                                                guint             status,
                                                const char       *content_type,
                                                GBytes           *bytes);

/* Route groups */
void            _sa_registry_auth_register     (SaRegistryServer *server);
void            _sa_registry_appeals_register  (SaRegistryServer *server);
void            _sa_registry_ops_register      (SaRegistryServer *server);
void            _sa_registry_deliveries_register (SaRegistryServer *server);
void            _sa_registry_feed_register     (SaRegistryServer *server);
void            _sa_registry_attachments_register (SaRegistryServer *server);
void            _sa_registry_events_register   (SaRegistryServer *server);

/* Attachments (sa-registry-attachments.c). An upload may be
 * SA_ATTACHMENT_MAX_SIZE (sa-attachment-store.h, the desk's rule too);
 * the early handler answers 413 from the Content-Length. */
#define SA_REGISTRY_ATTACHMENTS_PREFIX "/api/v1/attachments/"

gboolean        _sa_registry_attachment_link   (SaRegistryDb     *db,
                                                const char       *appeal_id,
                                                const char       *sha256,
                                                const char       *name,
                                                const char       *actor,
                                                gint64            now,
                                                JsonBuilder      *payload,
                                                const char      **reject_code,
                                                char            **reject_message,
                                                GError          **error);
gboolean        _sa_registry_attachments_link_intake (SaRegistryDb *db,
                                                      const char   *appeal_id,
                                                      JsonNode     *list,
                                                      const char   *actor,
                                                      gint64        now,
                                                      GError      **error);
GBytes         *_sa_registry_thumbnail_new     (const char       *content_type,
                                                const guint8     *data,
                                                gsize             len,
                                                const char      **thumb_type,
                                                GError          **error);

/* Push (sa-registry-events.c); the limits are for tests, 0 keeps one. */
void            _sa_registry_events_set_limits (SaRegistryServer *server,
                                                guint             auth_timeout_ms,
                                                guint             coalesce_ms,
                                                guint             keepalive_s,
                                                gsize             max_unacked_bytes);

SaHttpFront    *_sa_registry_server_get_http   (SaRegistryServer *server);

/* /healthz (sa-registry-health.c) */
gboolean        _sa_registry_health_check      (SaRegistryDb     *db,
                                                JsonBuilder      *b);

/* Auth, for the server's Bearer check */
#define SA_REGISTRY_MAX_TOKEN 256
char           *_sa_registry_bearer_token      (SoupMessageHeaders *headers);
SaRegistryUser *_sa_registry_auth_resolve      (SaRegistryDb     *db,
                                                const char       *access_token);
char           *_sa_registry_password_hash     (const char       *password,
                                                GError          **error);
void            _sa_registry_auth_reset_throttle (void);

/* Almaty's bounding box: the city within its limits since 2014 (Alatau and
 * Nauryzbay districts included), with a margin of a few kilometres. An
 * appeal's map point must fall inside it. */
#define SA_ALMATY_LAT_MIN 43.00
#define SA_ALMATY_LAT_MAX 43.50
#define SA_ALMATY_LON_MIN 76.60
#define SA_ALMATY_LON_MAX 77.30

/* Appeals, shared by intake, ops, the feed and init --demo */
typedef struct
{
  const char *channel;
  const char *category;
  const char *text;
  const char *applicant_name;
  const char *applicant_iin;
  const char *applicant_phone;   /* nullable */
  const char *applicant_email;   /* nullable */
  const char *address_text;
  const char *district;
  const char *language;          /* nullable */
  const char *status;            /* NULL: registered */
  const char *priority;          /* NULL: from the category's criticality */
  const char *intake_agency;     /* nullable */
  const char *agency;            /* NULL: the category's default agency */
  const char *executor;          /* nullable; a login of the lead agency */
  gint64      received_at;
  gboolean    has_coordinates;
  double      lat;
  double      lon;
} SaAppealInput;

char           *_sa_registry_appeal_insert     (SaRegistryDb        *db,
                                                const SaAppealInput *in,
                                                const char          *actor,
                                                gint64               now,
                                                GError             **error);

gboolean        _sa_registry_appeal_write      (SaRegistryDb     *db,
                                                const char       *appeal_id,
                                                gboolean          with_history,
                                                SaRegistryUser   *viewer,
                                                GString          *out);
void            _sa_registry_json_append_string (GString         *out,
                                                 const char      *value);
JsonNode       *_sa_registry_appeal_to_json    (SaRegistryDb     *db,
                                                const char       *appeal_id,
                                                gboolean          with_history,
                                                SaRegistryUser   *viewer);
char           *_sa_registry_format_time       (gint64            unix_seconds);
gboolean        _sa_registry_parse_time        (const char       *text,
                                                gint64           *out);
gint64          _sa_registry_legal_due         (gint64            received_at);
gint64          _sa_registry_operational_due   (SaRegistryDb     *db,
                                                const char       *category,
                                                gint64            received_at);
gboolean        _sa_registry_extend_legal_due  (gint64            received_at,
                                                gint64            requested_due,
                                                gint64           *out_due,
                                                GError          **error);
gint64          _sa_registry_extension_notify_by (gint64          extended_at);
gboolean        _sa_registry_forward_is_late   (gint64            received_at,
                                                gint64            forwarded_at);
gint64          _sa_registry_now               (void);
GTimeZone      *_sa_registry_almaty            (void);
char           *_sa_registry_json_to_string    (JsonNode         *node);
const char     *_sa_registry_json_string       (JsonObject       *obj,
                                                const char       *name);

G_END_DECLS
