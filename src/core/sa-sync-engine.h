/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sa-api-client.h"
#include "sa-attachment-store.h"
#include "sa-cache.h"
#include "sa-core-enums.h"

G_BEGIN_DECLS

/**
 * SaSyncState:
 * @SA_SYNC_STATE_STOPPED: not started, or stopped
 * @SA_SYNC_STATE_SYNCING: pushing the outbox or pulling the feed
 * @SA_SYNC_STATE_SYNCED: up to date; listening for the registry's hints
 * @SA_SYNC_STATE_OFFLINE: no network, or the registry cannot be reached;
 *   retrying with back-off
 * @SA_SYNC_STATE_ERROR: the registry answered with errors (5xx, garbage);
 *   retrying with back-off
 * @SA_SYNC_STATE_SIGNED_OUT: the registry refused the refresh token; the
 *   user must sign in again. Nothing is retried until then.
 *
 * What the header shows about synchronisation.
 */
typedef enum
{
  SA_SYNC_STATE_STOPPED,
  SA_SYNC_STATE_SYNCING,
  SA_SYNC_STATE_SYNCED,
  SA_SYNC_STATE_OFFLINE,
  SA_SYNC_STATE_ERROR,
  SA_SYNC_STATE_SIGNED_OUT,
} SaSyncState;


#define SA_TYPE_SYNC_ENGINE (sa_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (SaSyncEngine, sa_sync_engine, SA, SYNC_ENGINE, GObject)

SaSyncEngine *sa_sync_engine_new                 (SaCache          *cache,
                                                  SaApiClient      *client,
                                                  const char       *refresh_token);
SaCache      *sa_sync_engine_get_cache           (SaSyncEngine     *self);
SaApiClient  *sa_sync_engine_get_client          (SaSyncEngine     *self);
SaAttachmentStore *sa_sync_engine_get_attachment_store (SaSyncEngine *self);
void          sa_sync_engine_set_network_monitor (SaSyncEngine     *self,
                                                  GNetworkMonitor  *monitor);
void          sa_sync_engine_set_timeout         (SaSyncEngine     *self,
                                                  guint             seconds);
void          sa_sync_engine_set_undo_window     (SaSyncEngine     *self,
                                                  guint             seconds);
void          sa_sync_engine_start               (SaSyncEngine     *self);
void          sa_sync_engine_stop                (SaSyncEngine     *self);
void          sa_sync_engine_sync_now            (SaSyncEngine     *self);

SaSyncState   sa_sync_engine_get_state           (SaSyncEngine     *self);
guint         sa_sync_engine_get_pending         (SaSyncEngine     *self);
guint         sa_sync_engine_get_attention       (SaSyncEngine     *self);
guint         sa_sync_engine_get_unreadable      (SaSyncEngine     *self);
const char   *sa_sync_engine_get_last_error      (SaSyncEngine     *self);
gint64        sa_sync_engine_get_last_synced     (SaSyncEngine     *self);
guint         sa_sync_engine_get_request_count   (SaSyncEngine     *self);
gboolean      sa_sync_engine_get_listening       (SaSyncEngine     *self);

G_END_DECLS
