/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-sync-engine.h"

G_BEGIN_DECLS

/* Shared by the engine's own files (sa-sync-engine*.c); docs/sync.md and
 * docs/architecture.md say which holds what. */

#define PUSH_BATCH        100
#define FEED_PAGE         2000
#define FEED_QUEUE_MAX    3
#define BACKOFF_FIRST_MS  1000
#define BACKOFF_MAX_MS    (5 * 60 * 1000)
#define POLL_SECONDS      60
#define DEFAULT_TIMEOUT   30
/* As long as the toast that offers Undo stays (AdwToast's default). */
#define UNDO_WINDOW       5

typedef struct
{
  JsonNode *root;   /* the feed answer, owns the changes */
  gint64    next;
  gboolean  more;
} FeedPage;

struct _SaSyncEngine
{
  GObject                  parent_instance;

  SaCache                 *cache;
  SaApiClient             *client;
  char                    *refresh_token;
  GNetworkMonitor         *monitor;
  gulong                   monitor_handler;
  gulong                   cache_handler;

  SaSyncState              state;
  guint                    pending;
  guint                    attention;
  guint                    unreadable;
  char                    *last_error;
  gint64                   last_synced;
  guint                    requests;

  gboolean                 running;
  GCancellable            *cancellable;   /* everything of this start () */
  gboolean                 cycle_active;
  gboolean                 again;
  gboolean                 refreshed;     /* in this cycle */
  gboolean                 force_refresh;
  gboolean                 reset_done;    /* in this cycle */
  guint                    failures;
  guint                    retry_source;
  gint64                   cursor;        /* the cache's, as the engine last wrote it */
  guint                    undo_window;
  gboolean                 network_down;  /* the monitor says the registry is out of reach */

  /* The push in flight, and why it failed while that is recorded. */
  GStrv                    push_op_ids;
  GError                  *push_error;

  /* The pull's pipeline. */
  GQueue                   pages;
  gint64                   fetch_since;
  gboolean                 fetching;
  gboolean                 fetch_done;
  gboolean                 applying;
  GError                  *pull_error;

  SoupWebsocketConnection *ws;
  gboolean                 ws_connecting;

  /* Files first: what the batch attaches, uploaded before it is posted. */
  SaAttachmentStore       *store;
  GPtrArray               *uploads;       /* of sha256, next first */
  JsonNode                *push_body;
};

/* A write to the cache on the worker thread (sa-sync-engine-jobs.c) */
typedef enum
{
  JOB_BEGIN_PUSH,
  JOB_PUSH_FAILED,
  JOB_PUSH_RESULTS,
  JOB_CHANGES,
  JOB_RESET,
  JOB_DISTRICTS,
} JobKind;

typedef void (*JobThen) (SaSyncEngine *self);

typedef struct
{
  JobKind   kind;
  JsonNode *node;
  gint64    next;
  JobThen   then;
  GStrv     op_ids;
  char     *message;
} Job;

/* The engine (sa-sync-engine.c): its state, calls and cycle */
void      _sa_sync_engine_update_counts        (SaSyncEngine        *self);
void      _sa_sync_engine_drop_events          (SaSyncEngine        *self);
void      _sa_sync_engine_notify_listening     (SaSyncEngine        *self);
void      _sa_sync_engine_emit_upload_progress (SaSyncEngine        *self,
                                                const char          *sha256,
                                                guint64              done,
                                                guint64              total);
void      _sa_sync_engine_emit_upload_finished (SaSyncEngine        *self,
                                                const char          *sha256,
                                                gboolean             uploaded);
void      _sa_sync_engine_feed_page_free       (gpointer             data);
void      _sa_sync_engine_call                 (SaSyncEngine        *self,
                                                const char          *method,
                                                const char          *path,
                                                JsonNode            *body,
                                                GAsyncReadyCallback  callback);
gboolean  _sa_sync_engine_stale                (GAsyncResult        *result);
gboolean  _sa_sync_engine_handle_unauthorized  (SaSyncEngine        *self,
                                                const GError        *error);
void      _sa_sync_engine_schedule             (SaSyncEngine        *self,
                                                guint                delay_ms);
guint     _sa_sync_engine_backoff_delay        (guint                failures);
void      _sa_sync_engine_cycle_start          (SaSyncEngine        *self);
void      _sa_sync_engine_cycle_fail           (SaSyncEngine        *self,
                                                const GError        *error);
void      _sa_sync_engine_cycle_succeed        (SaSyncEngine        *self);

/* Worker jobs (sa-sync-engine-jobs.c) */
JsonArray *_sa_sync_engine_node_member_array   (JsonNode            *node,
                                                const char          *member);
void      _sa_sync_engine_run_job_full         (SaSyncEngine        *self,
                                                JobKind              kind,
                                                JsonNode            *node,
                                                gint64               next,
                                                JobThen              then,
                                                GAsyncReadyCallback  callback);
void      _sa_sync_engine_run_job              (SaSyncEngine        *self,
                                                JobKind              kind,
                                                JsonNode            *node,
                                                JobThen              then);
void      _sa_sync_engine_run_job_ops          (SaSyncEngine        *self,
                                                JobKind              kind,
                                                GStrv                op_ids,
                                                const char          *message,
                                                JobThen              then);

/* Pull (sa-sync-engine-pull.c), push (sa-sync-engine-push.c) and the
 * events' WebSocket (sa-sync-engine-events.c) */
void      _sa_sync_engine_pull_start           (SaSyncEngine        *self);
void      _sa_sync_engine_push_next_batch      (SaSyncEngine        *self);
void      _sa_sync_engine_events_connect       (SaSyncEngine        *self);

G_END_DECLS
