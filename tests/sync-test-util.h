/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sa-core.h"

G_BEGIN_DECLS

/* The registry binary (SA_REGISTRY_EXE) with demo data in a temporary
 * directory, which a test can stop and start again on the same port. */
typedef struct
{
  char        *dir;
  char        *db;
  char        *url;
  guint        port;
  GSubprocess *process;
} SyncRegistry;

typedef gboolean (*SyncPredicate) (gpointer data);

void         sync_registry_start (SyncRegistry  *r,
                                  guint          appeals,
                                  const char    *access_ttl);
void         sync_registry_serve (SyncRegistry  *r,
                                  const char    *access_ttl);
void         sync_registry_stop  (SyncRegistry  *r);
void         sync_registry_run   (SyncRegistry  *r,
                                  const char    *first,
                                  ...) G_GNUC_NULL_TERMINATED;
void         sync_registry_free  (SyncRegistry  *r);

/* Run the main loop until @pred holds; FALSE after @seconds. */
gboolean     sync_wait_for       (SyncPredicate  pred,
                                  gpointer       data,
                                  guint          seconds);
void         sync_spin           (guint          ms);
void         sync_result_cb      (GObject       *object,
                                  GAsyncResult  *result,
                                  gpointer       data);
gboolean     sync_have_result    (gpointer       data);
JsonObject  *sync_login          (SaApiClient   *client,
                                  const char    *user,
                                  const char    *password);
JsonNode    *sync_call           (SaApiClient   *client,
                                  const char    *method,
                                  const char    *path,
                                  const char    *body);

G_END_DECLS
