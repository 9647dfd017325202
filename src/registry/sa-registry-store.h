/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-registry-private.h"
#include "sa-sla.h"

G_BEGIN_DECLS

/* The registry's store: the domain functions between the route handlers
 * and the database. Handlers parse a request, call these and write the
 * answer (with sa-registry-json.c); only the store's files
 * (sa-registry-store-*.c) prepare, bind and step statements. Rows come
 * back as the structs below. */

/* Appeals (sa-registry-store-appeals.c). Times are Unix seconds,
 * SA_STORE_NO_TIME where the row has none. */
#define SA_STORE_NO_TIME G_MININT64

typedef struct
{
  char   *sha256;
  char   *name;
  char   *content_type;
  gint64  size;
} SaStoreAttachment;

/* One history event; @payload is its JSON text as stored, NULL if it is
 * not JSON. */
typedef struct
{
  gint64  seq;
  gint64  at;
  char   *actor;
  char   *type;
  char   *payload;
  gint64  made_at;
  char   *op_id;
} SaStoreEvent;

/* A reply, and each text of it that was submitted (docs/replies.md). */
typedef struct
{
  gint64  version;
  char   *text;
  char   *visibility;
  char   *language;
  gint64  submitted_at;
} SaStoreReplyVersion;

typedef struct
{
  char      *id;
  char      *kind;
  char      *agency;
  char      *state;
  char      *visibility;
  char      *language;
  char      *text;
  char      *author;
  gint64     version;
  char      *approved_by;
  gint64     sent_at;
  char      *returned_comment;
  char      *returned_by;
  char      *parts;         /* an answer's: a JSON array of the part ids it includes */
  char      *without_parts_reason;
  char      *attachments;   /* a JSON array of the appeal's files' SHA-256 */
  char      *template_id;   /* a quick answer's template */
  gint64     created_at;
  gint64     updated_at;
  GPtrArray *versions;      /* SaStoreReplyVersion */
} SaStoreReply;

void           sa_store_reply_free  (SaStoreReply  *reply);
gboolean       sa_store_template_usable (SaRegistryDb *db,
                                         const char   *template_id,
                                         const char   *agency,
                                         const char   *language);
gboolean       sa_store_appeal_has_file (SaRegistryDb *db,
                                         const char   *appeal_id,
                                         const char   *sha256);
gboolean       sa_store_reply_apply (SaRegistryDb   *db,
                                     const char     *appeal_id,
                                     SaOpType        type,
                                     JsonObject     *args,
                                     const SaActor  *actor,
                                     gint64          now,
                                     gboolean       *out_created,
                                     gint64         *out_version,
                                     GError        **error);

typedef struct
{
  char      *id;
  char      *reg_number;
  char      *channel;
  char      *status;
  char      *priority;
  char      *category;
  char      *agency;
  char      *executor;
  char      *applicant_name;
  char      *applicant_iin;
  char      *applicant_phone;
  char      *applicant_email;
  char      *address_text;
  char      *district;
  gboolean   has_lat;
  gboolean   has_lon;
  double     lat;
  double     lon;
  char      *text;
  char      *language;
  gint64     received_at;
  gint64     legal_due_at;
  gint64     resolution_due_at;
  gint64     reaction_due_at;
  gint64     answered_at;
  gboolean   under_control;
  gint64     notify_applicant_by;
  gint64     applicant_notified_at;
  gint64     version;
  gboolean   is_repeat;
  char      *repeat_of;
  gint64     created_at;
  gint64     updated_at;
  GPtrArray *coexecutors;   /* agency codes */
  GPtrArray *escalated_to;  /* agency codes */
  GPtrArray *attachments;   /* SaStoreAttachment */
  GPtrArray *replies;       /* SaStoreReply, every one: the writer filters */
  GPtrArray *history;       /* SaStoreEvent; NULL unless asked for */
} SaStoreAppeal;

void           sa_store_appeal_free (SaStoreAppeal *appeal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaStoreAppeal, sa_store_appeal_free)

SaStoreAppeal *sa_store_appeal_get  (SaRegistryDb  *db,
                                     const char    *appeal_id,
                                     gboolean       with_history);

/* What GET /api/v1/appeals filters by; NULL matches every appeal. */
typedef struct
{
  const char *status;
  const char *agency;
  const char *category;
  const char *district;
  const char *q;        /* a registration number, or words of the text or address */
} SaStoreAppealFilter;

/* A count of appeals for one key (a status, …). */
typedef struct
{
  char   *key;
  gint64  n;
} SaStoreCount;

void           sa_store_count_free              (SaStoreCount  *count);
GPtrArray     *sa_store_appeals_count_by_status (SaRegistryDb  *db);

GPtrArray     *sa_store_appeals_list (SaRegistryDb               *db,
                                      SaRegistryUser             *user,
                                      const SaStoreAppealFilter  *filter,
                                      guint64                     limit,
                                      guint64                     offset,
                                      gint64                     *total,
                                      GError                    **error);

/* Intake and history (sa-registry-store-intake.c); the appeal itself is
 * written by _sa_registry_appeal_insert(). */
gboolean       sa_store_history_append       (SaRegistryDb    *db,
                                              const char      *appeal_id,
                                              gint64           at,
                                              const char      *actor,
                                              const char      *type,
                                              JsonNode        *payload,
                                              GError         **error);
gboolean       sa_store_history_append_op    (SaRegistryDb    *db,
                                              const char      *appeal_id,
                                              gint64           at,
                                              gint64           made_at,
                                              const char      *actor,
                                              const char      *type,
                                              JsonObject      *payload,
                                              const char      *op_id,
                                              GError         **error);
gboolean       sa_store_appeal_set_outcome   (SaRegistryDb    *db,
                                              const char      *appeal_id,
                                              const char      *status,
                                              const char      *executor,
                                              const char      *priority,
                                              gint64           version,
                                              gint64           updated_at,
                                              gint64           answered_at,
                                              gboolean         under_control,
                                              GError         **error);
gboolean       sa_store_has_people_or_appeals (SaRegistryDb   *db,
                                               gboolean       *found,
                                               GError        **error);
char          *sa_store_district_for_address (SaRegistryDb    *db,
                                              const char      *address);
gboolean       sa_store_district_exists      (SaRegistryDb    *db,
                                              const char      *code);
gboolean       sa_store_category_exists      (SaRegistryDb    *db,
                                              const char      *code);
gboolean       sa_store_intake_lookup        (SaRegistryDb    *db,
                                              const char      *intake_id,
                                              SaRegistryUser  *user,
                                              const char      *digest,
                                              char           **out_appeal_id);
gboolean       sa_store_intake_remember      (SaRegistryDb    *db,
                                              const char      *intake_id,
                                              SaRegistryUser  *user,
                                              const char      *digest,
                                              const char      *appeal_id,
                                              gint64           now,
                                              GError         **error);
char          *sa_store_intake_insert        (SaRegistryDb         *db,
                                              const SaAppealInput  *in,
                                              SaRegistryUser       *user,
                                              const char           *intake_id,
                                              const char           *digest,
                                              JsonNode             *attachments,
                                              gint64                now,
                                              GError              **error);

/* Ops (sa-registry-store-ops.c) */
typedef struct
{
  const char *op_id;
  SaOpType    type;
  const char *appeal_id;
  const char *after;         /* nullable: the op this one waits for */
  gint64      base_version;
  JsonObject *args;          /* nullable */
  gint64      made_at;       /* when the client says it was made; 0: now */
  const char *digest;        /* the op's content, to tell a replay from a reused op_id */
} SaStoreOp;

typedef enum
{
  SA_STORE_OP_APPLIED,
  SA_STORE_OP_DUPLICATE,
  SA_STORE_OP_CONFLICT,
  SA_STORE_OP_REJECTED,
} SaStoreOpStatus;

typedef struct
{
  SaStoreOpStatus  status;
  const char      *code;     /* rejected: the reason's code */
  char            *message;  /* rejected: the reason, for a person */
  gint64           version;  /* duplicate: the version the op made */
  SaStoreAppeal   *appeal;   /* nullable: the appeal as it is now */
} SaStoreOpResult;

gboolean       sa_store_ops_apply        (SaRegistryDb     *db,
                                          SaRegistryUser   *user,
                                          const SaStoreOp  *op,
                                          SaStoreOpResult  *result,
                                          GError          **error);
void           sa_store_op_result_clear  (SaStoreOpResult  *result);

/* Reference data (sa-registry-store-reference.c) */
typedef struct
{
  char  *code;
  char  *name_ru;
  char  *name_kk;
  char  *kind;
  char **districts;   /* the district codes it serves */
} SaStoreAgency;

typedef struct
{
  char   *code;
  char   *name_ru;
  char   *name_kk;
  char   *sphere;
  char   *agency;     /* the default agency */
  char   *criticality;
  gint64  reaction_minutes;
  gint64  resolution_minutes;
  char   *clock;
} SaStoreCategory;

typedef struct
{
  char *code;
  char *name_ru;
  char *name_kk;
} SaStoreDistrict;

void             sa_store_agency_free     (SaStoreAgency    *agency);
void             sa_store_category_free   (SaStoreCategory  *category);
void             sa_store_district_free   (SaStoreDistrict  *district);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaStoreAgency, sa_store_agency_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaStoreCategory, sa_store_category_free)

GPtrArray       *sa_store_agencies_list   (SaRegistryDb     *db,
                                           GError          **error);
SaStoreAgency   *sa_store_agency_get      (SaRegistryDb     *db,
                                           const char       *code);
GPtrArray       *sa_store_categories_list (SaRegistryDb     *db,
                                           GError          **error);
SaStoreCategory *sa_store_category_get    (SaRegistryDb     *db,
                                           const char       *code);
GPtrArray       *sa_store_districts_list  (SaRegistryDb     *db,
                                           GError          **error);
gboolean         sa_store_category_regulation (SaRegistryDb *db,
                                               const char   *code,
                                               SaRegulation *reg);

/* Accounts and sessions (sa-registry-store-users.c); accounts come back
 * as SaRegistryUser, tokens are passed as their digests. */
gboolean        sa_store_agency_exists        (SaRegistryDb     *db,
                                               const char       *code);
gboolean        sa_store_user_login_taken     (SaRegistryDb     *db,
                                               const char       *login,
                                               gboolean         *taken,
                                               GError          **error);
gboolean        sa_store_user_add_row         (SaRegistryDb     *db,
                                               const char       *login,
                                               const char       *full_name,
                                               const char       *agency,
                                               const char       *role,
                                               const char       *pwhash,
                                               gint64            now,
                                               GError          **error);
gboolean        sa_store_user_insert          (SaRegistryDb     *db,
                                               const char       *login,
                                               const char       *full_name,
                                               const char       *agency,
                                               const char       *role,
                                               const char       *pwhash,
                                               gint64            now,
                                               GError          **error);
gboolean        sa_store_user_set_pwhash      (SaRegistryDb     *db,
                                               gint64            user_id,
                                               const char       *pwhash,
                                               GError          **error);
SaRegistryUser *sa_store_user_credentials     (SaRegistryDb     *db,
                                               const char       *login,
                                               char            **pwhash);
gboolean        sa_store_user_get_by_id       (SaRegistryDb     *db,
                                               gint64            user_id,
                                               SaRegistryUser  **user,
                                               GError          **error);
SaRegistryUser *sa_store_session_user         (SaRegistryDb     *db,
                                               const char       *access_digest,
                                               gint64            now);
gboolean        sa_store_session_issue        (SaRegistryDb     *db,
                                               gint64            user_id,
                                               const char       *family,
                                               const char       *revoke_digest,
                                               const char       *access_digest,
                                               gint64            access_expires_at,
                                               const char       *refresh_digest,
                                               gint64            refresh_expires_at,
                                               GError          **error);
gboolean        sa_store_refresh_token_lookup (SaRegistryDb     *db,
                                               const char       *digest,
                                               gint64           *user_id,
                                               char            **family,
                                               gboolean         *revoked,
                                               gint64           *expires_at,
                                               GError          **error);
gboolean        sa_store_session_family       (SaRegistryDb     *db,
                                               const char       *digest,
                                               char            **family,
                                               GError          **error);
gboolean        sa_store_session_end          (SaRegistryDb     *db,
                                               const char       *family,
                                               GError          **error);
gboolean        sa_store_user_disable         (SaRegistryDb     *db,
                                               gint64            user_id,
                                               const char       *login,
                                               GError          **error);
void            sa_store_sessions_prune       (SaRegistryDb     *db,
                                               gint64            now);

/* Attachments (sa-registry-store-attachments.c); linking them is
 * _sa_registry_attachment_link() and _sa_registry_attachments_link_intake(). */
char           *sa_store_attachments_dir      (SaRegistryDb     *db);
gboolean        sa_store_upload_record        (SaRegistryDb     *db,
                                               const char       *sha256,
                                               const char       *content_type,
                                               gint64            size,
                                               const char       *login,
                                               gint64            now,
                                               gboolean         *created,
                                               GError          **error);
gboolean        sa_store_attachment_visible   (SaRegistryDb     *db,
                                               SaRegistryUser   *user,
                                               const char       *sha256,
                                               char            **content_type,
                                               gint64           *size);

/* /healthz's probes (sa-registry-store-health.c): NULL when they pass */
const char     *sa_store_db_path              (SaRegistryDb     *db);
char           *sa_store_health_read          (SaRegistryDb     *db);
char           *sa_store_health_write_probe   (SaRegistryDb     *db,
                                               gboolean          commit);

/* The public page (sa-registry-store-public.c): nothing personal. */
typedef struct
{
  char   *text;
  char   *language;
  gint64  sent_at;
} SaStorePublicReply;

typedef struct
{
  char      *reg_number;
  char      *status;
  char      *category;
  char      *district;
  gint64     received_at;
  gint64     legal_due_at;
  gint64     answered_at;
  GPtrArray *replies;  /* SaStorePublicReply: sent and public only */
} SaStorePublicAppeal;

void                 sa_store_public_appeal_free (SaStorePublicAppeal *appeal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaStorePublicAppeal, sa_store_public_appeal_free)
SaStorePublicAppeal *sa_store_public_appeal_get  (SaRegistryDb        *db,
                                                  const char          *reg_number);

/* Deliveries (sa-registry-store-deliveries.c) */
typedef struct
{
  gint64  id;
  char   *appeal_id;
  char   *reg_number;
  char   *channel;
  char   *reply_id;
  char   *kind;
  char   *language;
  char   *visibility;
  char   *text;
  gint64  sent_at;
  char   *applicant_name;
  char   *applicant_phone;
  char   *applicant_email;
} SaStoreDelivery;

void       sa_store_delivery_free      (SaStoreDelivery *delivery);
GPtrArray *sa_store_deliveries_pending (SaRegistryDb    *db,
                                        SaRegistryUser  *user,
                                        const char      *channel,
                                        gint64           since,
                                        guint            limit);
gboolean   sa_store_delivery_record    (SaRegistryDb    *db,
                                        SaRegistryUser  *user,
                                        gint64           id,
                                        gboolean         delivered,
                                        const char      *detail,
                                        gint64           now,
                                        gboolean        *out_found,
                                        GError         **error);

/* Reply templates (sa-registry-store-templates.c) */
typedef struct
{
  char     *id;
  char     *agency;     /* NULL: city-wide */
  char     *category;   /* a category's code, "sphere.*" or "*" */
  char     *language;
  char     *title;
  char     *text;
  gboolean  disabled;
} SaStoreTemplate;

void             sa_store_template_free (SaStoreTemplate        *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaStoreTemplate, sa_store_template_free)
SaStoreTemplate *sa_store_template_get  (SaRegistryDb           *db,
                                         const char             *id);
gboolean         sa_store_template_put  (SaRegistryDb           *db,
                                         const SaStoreTemplate  *t,
                                         const char             *by,
                                         gint64                  now,
                                         gboolean               *out_changed,
                                         GError                **error);

/* The JSON writer (sa-registry-json.c) */
void           sa_registry_json_append_appeal (GString               *out,
                                               const SaStoreAppeal   *appeal,
                                               SaRegistryUser        *viewer);
void           sa_registry_json_add_agency    (JsonBuilder           *b,
                                               const SaStoreAgency   *agency);
void           sa_registry_json_add_category  (JsonBuilder           *b,
                                               const SaStoreCategory *category);
void           sa_registry_json_add_district  (JsonBuilder           *b,
                                               const SaStoreDistrict *district);

/* The change feed (sa-registry-store-feed.c) */
typedef struct
{
  gint64  seq;
  char   *kind;       /* agency, category, user, appeal, revoke */
  char   *entity_id;  /* for revoke: the appeal's id, '|', the agency */
} SaStoreFeedEntry;

void       sa_store_feed_entry_free       (SaStoreFeedEntry *entry);

/* The newest feed entry one audience (role and agency) may see. */
typedef struct
{
  char   *role;
  char   *agency;
  gint64  seq;
} SaStoreAudienceNews;

void       sa_store_audience_news_free    (SaStoreAudienceNews *news);

GPtrArray *sa_store_feed_read             (SaRegistryDb      *db,
                                           SaRegistryUser    *user,
                                           gint64             since,
                                           guint              limit,
                                           gboolean          *more,
                                           GError           **error);
gint64     sa_store_feed_head             (SaRegistryDb      *db);
gint64     sa_store_feed_horizon          (SaRegistryDb      *db);
GPtrArray *sa_store_feed_audiences_newest (SaRegistryDb      *db,
                                           gint64             after,
                                           gint64             upto,
                                           const char        *audiences_json,
                                           GError           **error);

G_END_DECLS
