/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync engine against a real registry process on 127.0.0.1, and
 * through a proxy that makes the registry fail the ways networks do. */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "sa-cache-private.h"
#include "sa-core.h"
#include "sa-test-cache.h"
#include "sync-test-util.h"

#define EXECUTOR     "executor.almaty-teplo"
#define EXECUTOR_PW  "demo-executor"
#define SUPERVISOR   "supervisor.almaty-teplo"
#define SUPERVISOR_PW "demo-supervisor"

/* Another user's op, straight to the registry. */
static const char *
remote_op (SaApiClient *client,
           const char  *type,
           const char  *appeal_id,
           gint64       base_version,
           const char  *args)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *body = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\","
                                           "\"appeal_id\":\"%s\",\"base_version\":%"
                                           G_GINT64_FORMAT ",\"args\":%s}]}",
                                           uuid, type, appeal_id, base_version, args);
  g_autoptr(JsonNode) answer = sync_call (client, "POST", "/api/v1/ops", body);
  JsonObject *res = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (answer), "results"), 0);

  return g_intern_string (json_object_get_string_member (res, "status"));
}

static JsonObject *
registry_appeal (SaApiClient *client,
                 const char  *id)
{
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", id, NULL);
  g_autoptr(JsonNode) node = sync_call (client, "GET", path, NULL);

  return json_object_ref (json_node_get_object (node));
}

/* How often the registry's history of @appeal has an event of @type by
 * the executor, with @text when given: an op applied twice shows twice. */
static guint
history_count (JsonObject *appeal,
               const char *type,
               const char *text)
{
  JsonArray *history = json_object_get_array_member (appeal, "history");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *ev = json_array_get_object_element (history, i);
      JsonObject *payload = json_object_get_object_member (ev, "payload");

      if (g_strcmp0 (json_object_get_string_member (ev, "type"), type) != 0 ||
          g_strcmp0 (json_object_get_string_member (ev, "actor"), EXECUTOR) != 0)
        continue;
      if (text == NULL ||
          (payload != NULL &&
           g_strcmp0 (json_object_get_string_member_with_default (payload, "text", NULL),
                      text) == 0))
        n++;
    }
  return n;
}

/* ------------------------------------------------------------------ */
/* A desk: cache + client + engine, as the window holds them */

typedef struct
{
  char         *dir;
  char         *url;
  SaCache      *cache;
  SaApiClient  *client;
  SaSyncEngine *engine;
  char         *refresh;
  guint         rotations;
  guint         cycles;
} Desk;

static void
token_changed_cb (SaSyncEngine *engine,
                  const char   *token,
                  Desk         *d)
{
  g_free (d->refresh);
  d->refresh = g_strdup (token);
  d->rotations++;
}

static void
cycle_cb (SaSyncEngine *engine,
          Desk         *d)
{
  d->cycles++;
}

static void
desk_attach (Desk *d)
{
  g_autofree char *path = g_build_filename (d->dir, "cache.db", NULL);
  g_autoptr(GError) error = NULL;

  d->cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  sa_cache_set_identity (d->cache, EXECUTOR, "ALMATY-TEPLO", &error);
  g_assert_no_error (error);
  d->engine = sa_sync_engine_new (d->cache, d->client, d->refresh);
  /* Push at once; /sync/undo-window tests the default. */
  sa_sync_engine_set_undo_window (d->engine, 0);
  g_signal_connect (d->engine, "refresh-token-changed", G_CALLBACK (token_changed_cb), d);
  g_signal_connect (d->engine, "cycle-finished", G_CALLBACK (cycle_cb), d);
}

static void
desk_open (Desk       *d,
           const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;

  d->dir = g_dir_make_tmp ("sa-desk-XXXXXX", &error);
  g_assert_no_error (error);
  d->url = g_strdup (url);
  d->client = sa_api_client_new (url);
  answer = sync_login (d->client, EXECUTOR, EXECUTOR_PW);
  d->refresh = g_strdup (json_object_get_string_member (answer, "refresh_token"));
  desk_attach (d);
}

static void
desk_detach (Desk *d)
{
  sa_sync_engine_stop (d->engine);
  g_clear_object (&d->engine);
  g_clear_object (&d->cache);
  g_clear_object (&d->client);
}

/* The app quits and starts again: nothing survives but the cache file
 * and the refresh token in the keyring. */
static void
desk_restart (Desk *d)
{
  desk_detach (d);
  d->client = sa_api_client_new (d->url);
  desk_attach (d);
}

static void
desk_free (Desk *d)
{
  desk_detach (d);
  sa_test_remove_tree (d->dir);
  g_free (d->dir);
  g_free (d->url);
  g_free (d->refresh);
}

static gboolean
is_synced (gpointer data)
{
  Desk *d = data;

  return sa_sync_engine_get_state (d->engine) == SA_SYNC_STATE_SYNCED &&
         sa_sync_engine_get_pending (d->engine) == 0;
}

static gboolean
is_failing (gpointer data)
{
  SaSyncState state = sa_sync_engine_get_state (((Desk *)data)->engine);

  return state == SA_SYNC_STATE_OFFLINE || state == SA_SYNC_STATE_ERROR;
}

static gboolean
is_listening (gpointer data)
{
  return sa_sync_engine_get_listening (((Desk *)data)->engine);
}

static void
desk_sync (Desk *d)
{
  guint cycles = d->cycles;

  sa_sync_engine_start (d->engine);
  sa_sync_engine_sync_now (d->engine);
  g_assert_true (sync_wait_for (is_synced, d, 60));
  g_assert_cmpuint (d->cycles, >, cycles);
}

/* A registry with 400 demo appeals and the executor's desk synced to it. */
static void
desk_start (SyncRegistry *r,
            Desk         *d)
{
  sync_registry_start (r, 400, NULL);
  desk_open (d, r->url);
  desk_sync (d);
}

/* The agency's supervisor, signed in, for changes made elsewhere. */
static SaApiClient *
supervisor_client (const char *url)
{
  SaApiClient *client = sa_api_client_new (url);
  g_autoptr(JsonObject) answer = sync_login (client, SUPERVISOR, SUPERVISOR_PW);

  return client;
}

/* Open appeals of the agency nobody took yet, in the cache. */
static GPtrArray *
queue_ids (Desk *d,
           guint n)
{
  g_autoptr(SaAppealList) list = sa_appeal_list_new (d->cache);
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  sa_appeal_list_set_section (list, SA_APPEAL_SECTION_QUEUE);
  sa_appeal_list_refresh (list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >=, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SaAppealRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_ptr_array_add (ids, g_strdup (sa_appeal_row_get_id (row)));
    }
  return ids;
}

static char *
local_op (Desk       *d,
          const char *appeal_id,
          const char *type,
          const char *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (args, &error);
  char *op_id;

  g_assert_no_error (error);
  op_id = sa_cache_apply_local_op_sync (d->cache, appeal_id, type,
                                        json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_nonnull (op_id);
  return op_id;
}

static JsonObject *
cached_appeal (Desk       *d,
               const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sa_cache_get_appeal (d->cache, id, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static guint
cached_count (Desk *d)
{
  g_autoptr(SaAppealList) list = sa_appeal_list_new (d->cache);
  g_autoptr(GError) error = NULL;

  sa_appeal_list_set_section (list, SA_APPEAL_SECTION_ALL);
  sa_appeal_list_refresh (list, &error);
  g_assert_no_error (error);
  return g_list_model_get_n_items (G_LIST_MODEL (list));
}

static guint
registry_total (SaApiClient *client)
{
  g_autoptr(JsonNode) node = sync_call (client, "GET", "/api/v1/appeals?limit=1", NULL);

  return json_object_get_int_member (json_node_get_object (node), "total");
}

/* ------------------------------------------------------------------ */
/* First sign-in, full sync, listening, and a sync with nothing new */

typedef struct
{
  Desk       *desk;
  const char *id;
  const char *executor;
} ExecutorWait;

static gboolean
executor_is (gpointer data)
{
  ExecutorWait *w = data;
  g_autoptr(JsonObject) appeal = cached_appeal (w->desk, w->id);

  return g_strcmp0 (json_object_get_string_member_with_default (appeal, "executor", NULL),
                    w->executor) == 0;
}

static void
test_initial_sync (void)
{
  SyncRegistry r = { 0 };
  Desk d = { 0 };
  g_autoptr(SaApiClient) supervisor = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonObject) before = NULL;
  ExecutorWait w;
  guint requests;

  sync_registry_start (&r, 400, NULL);
  desk_open (&d, r.url);
  g_assert_cmpint (sa_sync_engine_get_state (d.engine), ==, SA_SYNC_STATE_STOPPED);
  desk_sync (&d);

  /* Exactly what the registry lets this executor see. */
  g_assert_cmpuint (cached_count (&d), >, 0);
  g_assert_cmpuint (cached_count (&d), ==, registry_total (d.client));
  g_assert_cmpint (sa_cache_get_cursor (d.cache), >, 0);
  g_assert_null (sa_sync_engine_get_last_error (d.engine));
  g_assert_cmpint (sa_sync_engine_get_last_synced (d.engine), >, 0);

  /* Then it listens, and a colleague's change arrives by itself. */
  g_assert_true (sync_wait_for (is_listening, &d, 30));
  ids = queue_ids (&d, 1);
  before = cached_appeal (&d, ids->pdata[0]);
  supervisor = supervisor_client (r.url);
  g_assert_cmpstr (remote_op (supervisor, "assign", ids->pdata[0],
                              json_object_get_int_member (before, "version"),
                              "{\"user\":\"" EXECUTOR "\"}"), ==, "applied");
  w = (ExecutorWait) { &d, ids->pdata[0], EXECUTOR };
  g_assert_true (sync_wait_for (executor_is, &w, 30));

  /* A sync with nothing new costs one request. */
  g_assert_true (sync_wait_for (is_synced, &d, 30));
  requests = sa_sync_engine_get_request_count (d.engine);
  {
    guint cycles = d.cycles;

    sa_sync_engine_sync_now (d.engine);
    while (d.cycles == cycles)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpint (sa_sync_engine_get_state (d.engine), ==, SA_SYNC_STATE_SYNCED);
  g_assert_cmpuint (sa_sync_engine_get_request_count (d.engine) - requests, ==, 1);

  desk_free (&d);
  sync_registry_free (&r);
}

/* ------------------------------------------------------------------ */
/* Edits while the registry is down, a restart, then everything once */

static void
test_offline_restart (void)
{
  SyncRegistry r = { 0 };
  Desk d = { 0 };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  g_autoptr(JsonObject) shown = NULL;

  desk_start (&r, &d);
  ids = queue_ids (&d, 2);

  sync_registry_stop (&r);
  g_free (local_op (&d, ids->pdata[0], "take", "{}"));
  g_free (local_op (&d, ids->pdata[0], "comment", "{\"text\":\"Бригада выехала\"}"));
  g_free (local_op (&d, ids->pdata[1], "take", "{}"));
  g_free (local_op (&d, ids->pdata[1], "comment", "{\"text\":\"Су берілді\"}"));
  g_assert_true (sync_wait_for (is_failing, &d, 30));
  g_assert_cmpint (sa_sync_engine_get_state (d.engine), ==, SA_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (sa_sync_engine_get_pending (d.engine), ==, 4);
  g_assert_nonnull (sa_sync_engine_get_last_error (d.engine));
  /* The user sees the edit at once. */
  shown = cached_appeal (&d, ids->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (shown, "status"), ==, "in_progress");
  g_assert_cmpint (_sa_cache_get_offline_state (d.cache, ids->pdata[0]), ==,
                   SA_OFFLINE_MODIFIED);

  /* The app restarts, still offline. */
  desk_restart (&d);
  sa_sync_engine_start (d.engine);
  g_assert_true (sync_wait_for (is_failing, &d, 30));
  g_assert_cmpuint (sa_sync_engine_get_pending (d.engine), ==, 4);

  /* The registry comes back; the back-off finds it without help. */
  sync_registry_serve (&r, NULL);
  g_assert_true (sync_wait_for (is_synced, &d, 60));
  g_assert_cmpint (_sa_cache_get_offline_state (d.cache, ids->pdata[0]), ==, SA_OFFLINE_SYNCED);

  a = registry_appeal (d.client, ids->pdata[0]);
  b = registry_appeal (d.client, ids->pdata[1]);
  g_assert_cmpstr (json_object_get_string_member (a, "executor"), ==, EXECUTOR);
  g_assert_cmpstr (json_object_get_string_member (b, "status"), ==, "in_progress");
  g_assert_cmpuint (history_count (a, "taken", NULL), ==, 1);
  g_assert_cmpuint (history_count (a, "comment", "Бригада выехала"), ==, 1);
  g_assert_cmpuint (history_count (b, "taken", NULL), ==, 1);
  g_assert_cmpuint (history_count (b, "comment", "Су берілді"), ==, 1);

  desk_free (&d);
  sync_registry_free (&r);
}

/* ------------------------------------------------------------------ */
/* Following the network: a GNetworkMonitor the test controls */

#define FAKE_TYPE_MONITOR (fake_monitor_get_type ())
G_DECLARE_FINAL_TYPE (FakeMonitor, fake_monitor, FAKE, MONITOR, GObject)

struct _FakeMonitor
{
  GObject  parent_instance;
  gboolean available;
};

static void fake_monitor_iface_init (GNetworkMonitorInterface *iface);
static void fake_monitor_initable_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeMonitor, fake_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, fake_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      fake_monitor_iface_init))

static gboolean
fake_monitor_initable (GInitable     *initable,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return TRUE;
}

static void
fake_monitor_initable_init (GInitableIface *iface)
{
  iface->init = fake_monitor_initable;
}

enum { FAKE_PROP_0, FAKE_PROP_AVAILABLE, FAKE_PROP_METERED, FAKE_PROP_CONNECTIVITY };

static void
fake_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FakeMonitor *self = (FakeMonitor *) object;

  switch (prop_id)
    {
    case FAKE_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case FAKE_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case FAKE_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
fake_monitor_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  if (((FakeMonitor *) monitor)->available)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "No network");
  return FALSE;
}

static void
fake_monitor_can_reach_async (GNetworkMonitor     *monitor,
                              GSocketConnectable  *connectable,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (monitor, cancellable, callback, user_data);
  GError *error = NULL;

  if (fake_monitor_can_reach (monitor, connectable, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
fake_monitor_can_reach_finish (GNetworkMonitor  *monitor,
                               GAsyncResult     *result,
                               GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fake_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = fake_monitor_can_reach;
  iface->can_reach_async = fake_monitor_can_reach_async;
  iface->can_reach_finish = fake_monitor_can_reach_finish;
}

static void
fake_monitor_class_init (FakeMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fake_monitor_get_property;
  g_object_class_override_property (object_class, FAKE_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, FAKE_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, FAKE_PROP_CONNECTIVITY, "connectivity");
}

static void
fake_monitor_init (FakeMonitor *self)
{
  self->available = TRUE;
}

static void
fake_monitor_set (FakeMonitor *self,
                  gboolean     available)
{
  self->available = available;
  g_signal_emit_by_name (self, "network-changed", available);
}

static void
test_network_monitor (void)
{
  SyncRegistry r = { 0 };
  Desk d = { 0 };
  g_autoptr(FakeMonitor) monitor = g_object_new (FAKE_TYPE_MONITOR, NULL);
  guint requests;

  sync_registry_start (&r, 400, NULL);
  desk_open (&d, r.url);
  sa_sync_engine_set_network_monitor (d.engine, G_NETWORK_MONITOR (monitor));
  desk_sync (&d);

  /* The network goes and the registry with it: offline, and no retries
   * burnt while there is no network. */
  sync_registry_stop (&r);
  fake_monitor_set (monitor, FALSE);
  g_assert_true (sync_wait_for (is_failing, &d, 30));
  g_assert_cmpint (sa_sync_engine_get_state (d.engine), ==, SA_SYNC_STATE_OFFLINE);
  sync_spin (1000);
  requests = sa_sync_engine_get_request_count (d.engine);
  sync_spin (3000);
  g_assert_cmpuint (sa_sync_engine_get_request_count (d.engine), ==, requests);

  /* It comes back: the engine syncs at once, whatever the back-off said. */
  sync_registry_serve (&r, NULL);
  fake_monitor_set (monitor, TRUE);
  g_assert_true (sync_wait_for (is_listening, &d, 30));
  g_assert_cmpint (sa_sync_engine_get_state (d.engine), ==, SA_SYNC_STATE_SYNCED);

  desk_free (&d);
  sync_registry_free (&r);
}

/* ------------------------------------------------------------------ */
/* Stopped from its own cycle-finished: nothing more goes out */

static void
stop_engine_cb (SaSyncEngine *engine,
                gpointer      data)
{
  sa_sync_engine_stop (engine);
}

static void
test_stopped_when_finished (void)
{
  SyncRegistry r = { 0 };
  Desk d = { 0 };
  guint requests;

  sync_registry_start (&r, 400, NULL);
  desk_open (&d, r.url);
  g_signal_connect (d.engine, "cycle-finished", G_CALLBACK (stop_engine_cb), NULL);
  sa_sync_engine_start (d.engine);
  while (sa_sync_engine_get_state (d.engine) != SA_SYNC_STATE_STOPPED ||
         sa_sync_engine_get_last_synced (d.engine) == 0)
    g_main_context_iteration (NULL, TRUE);
  requests = sa_sync_engine_get_request_count (d.engine);
  sync_spin (2000);
  g_assert_cmpuint (sa_sync_engine_get_request_count (d.engine), ==, requests);
  g_assert_false (sa_sync_engine_get_listening (d.engine));

  desk_free (&d);
  sync_registry_free (&r);
}

/* ------------------------------------------------------------------ */
/* The registry goes away between the pull and the WebSocket */

static void
stop_registry_once_cb (SaSyncEngine *engine,
                       SyncRegistry *r)
{
  if (sa_sync_engine_get_state (engine) == SA_SYNC_STATE_SYNCED)
    {
      g_signal_handlers_disconnect_by_func (engine, stop_registry_once_cb, r);
      sync_registry_stop (r);
    }
}

static void
test_gone_before_listening (void)
{
  SyncRegistry r = { 0 };
  Desk d = { 0 };

  sync_registry_start (&r, 400, NULL);
  desk_open (&d, r.url);
  g_signal_connect (d.engine, "cycle-finished", G_CALLBACK (stop_registry_once_cb), &r);
  sa_sync_engine_start (d.engine);
  /* Not "synced" while nothing answers: offline, and retrying. */
  g_assert_true (sync_wait_for (is_failing, &d, 30));
  g_assert_cmpint (sa_sync_engine_get_state (d.engine), ==, SA_SYNC_STATE_OFFLINE);
  g_assert_false (sa_sync_engine_get_listening (d.engine));

  sync_registry_serve (&r, NULL);
  g_assert_true (sync_wait_for (is_listening, &d, 30));
  g_assert_cmpint (sa_sync_engine_get_state (d.engine), ==, SA_SYNC_STATE_SYNCED);

  desk_free (&d);
  sync_registry_free (&r);
}

/* ------------------------------------------------------------------ */
/* A new edit waits out its undo window, then goes */

static void
test_undo_window (void)
{
  SyncRegistry r = { 0 };
  Desk d = { 0 };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *undone = NULL;
  guint requests;

  sync_registry_start (&r, 400, NULL);
  desk_open (&d, r.url);
  sa_sync_engine_set_undo_window (d.engine, 3);
  desk_sync (&d);
  g_assert_true (sync_wait_for (is_listening, &d, 30));
  ids = queue_ids (&d, 1);

  /* Within the window nothing goes out, and Undo still works. */
  requests = sa_sync_engine_get_request_count (d.engine);
  undone = local_op (&d, ids->pdata[0], "comment", "{\"text\":\"Передумал\"}");
  sync_spin (1500);
  g_assert_cmpuint (sa_sync_engine_get_request_count (d.engine), ==, requests);
  sa_cache_undo_op_sync (d.cache, undone, &error);
  g_assert_no_error (error);

  /* An edit left alone goes when its window closes. */
  g_free (local_op (&d, ids->pdata[0], "comment", "{\"text\":\"Оставил\"}"));
  sync_spin (1500);
  g_assert_cmpuint (sa_sync_engine_get_pending (d.engine), ==, 1);
  g_assert_true (sync_wait_for (is_synced, &d, 30));
  after = registry_appeal (d.client, ids->pdata[0]);
  g_assert_cmpuint (history_count (after, "comment", "Оставил"), ==, 1);
  g_assert_cmpuint (history_count (after, "comment", "Передумал"), ==, 0);

  desk_free (&d);
  sync_registry_free (&r);
}

/* ------------------------------------------------------------------ */
/* Conflict and rejection */

static SaOutboxEntry *
outbox_entry (Desk       *d,
              const char *op_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = sa_cache_list_outbox (d->cache, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      SaOutboxEntry *e = entries->pdata[i];

      if (strcmp (e->op_id, op_id) == 0)
        return g_steal_pointer (&entries->pdata[i]);
    }
  return NULL;
}

static gboolean
needs_attention (gpointer data)
{
  Desk *d = data;

  return sa_sync_engine_get_attention (d->engine) > 0 &&
         sa_sync_engine_get_state (d->engine) == SA_SYNC_STATE_SYNCED;
}

static void
test_conflict (void)
{
  SyncRegistry r = { 0 };
  Desk d = { 0 };
  g_autoptr(SaApiClient) supervisor = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(SaOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *op = NULL;
  g_autofree char *again = NULL;
  g_autofree char *args = NULL;
  const char *raised;

  desk_start (&r, &d);
  ids = queue_ids (&d, 1);
  before = cached_appeal (&d, ids->pdata[0]);

  /* The executor comments offline while the supervisor raises the
   * priority of the same appeal. */
  sa_sync_engine_stop (d.engine);
  op = local_op (&d, ids->pdata[0], "comment", "{\"text\":\"Проверено на месте\"}");
  supervisor = supervisor_client (r.url);
  /* A priority the appeal does not have yet: the registry refuses a no-op. */
  raised = g_strcmp0 (json_object_get_string_member (before, "priority"), "high") == 0
           ? "critical" : "high";
  args = g_strdup_printf ("{\"priority\":\"%s\"}", raised);
  g_assert_cmpstr (remote_op (supervisor, "set_priority", ids->pdata[0],
                              json_object_get_int_member (before, "version"), args), ==,
                   "applied");

  sa_sync_engine_start (d.engine);
  g_assert_true (sync_wait_for (needs_attention, &d, 60));
  entry = outbox_entry (&d, op);
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->state, ==, SA_OP_CONFLICT);
  g_assert_nonnull (entry->conflict_appeal);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (entry->conflict_appeal),
                                               "version"), ==,
                   json_object_get_int_member (before, "version") + 1);
  g_assert_cmpint (_sa_cache_get_offline_state (d.cache, ids->pdata[0]), ==,
                   SA_OFFLINE_CONFLICT);
  /* Never silently: nothing of it reached the registry. */
  after = registry_appeal (d.client, ids->pdata[0]);
  g_assert_cmpuint (history_count (after, "comment", "Проверено на месте"), ==, 0);
  g_clear_pointer (&after, json_object_unref);

  /* Apply again, on top of the registry's version. */
  again = sa_cache_reapply_op_sync (d.cache, op, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, !=, op);
  g_assert_true (sync_wait_for (is_synced, &d, 60));
  g_assert_cmpuint (sa_sync_engine_get_attention (d.engine), ==, 0);
  after = registry_appeal (d.client, ids->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (after, "priority"), ==, raised);
  g_assert_cmpuint (history_count (after, "comment", "Проверено на месте"), ==, 1);
  shown = cached_appeal (&d, ids->pdata[0]);
  g_assert_cmpint (json_object_get_int_member (shown, "version"), ==,
                   json_object_get_int_member (after, "version"));

  desk_free (&d);
  sync_registry_free (&r);
}

static void
test_dependent_ops_wait (void)
{
  /* Offline, the executor takes an appeal and writes "on my way"; a supervisor takes it meanwhile. The take conflicts, the comment waits for the executor's decision instead of reaching the registry, and goes once the conflict is discarded, stamped with when it was written. */
  SyncRegistry r = { 0 };
  Desk d = { 0 };
  g_autoptr(SaApiClient) supervisor = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(SaOutboxEntry) take = NULL;
  g_autoptr(SaOutboxEntry) comment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *take_id = NULL;
  g_autofree char *comment_id = NULL;
  g_autofree char *made = NULL;
  JsonArray *history;
  const char *made_at = NULL;

  desk_start (&r, &d);
  ids = queue_ids (&d, 1);
  before = cached_appeal (&d, ids->pdata[0]);

  sa_sync_engine_stop (d.engine);
  take_id = local_op (&d, ids->pdata[0], "take", "{}");
  comment_id = local_op (&d, ids->pdata[0], "comment", "{\"text\":\"Беру в работу, выезжаю\"}");
  supervisor = supervisor_client (r.url);
  g_assert_cmpstr (remote_op (supervisor, "take", ids->pdata[0],
                              json_object_get_int_member (before, "version"), "{}"), ==,
                   "applied");

  sa_sync_engine_start (d.engine);
  g_assert_true (sync_wait_for (needs_attention, &d, 60));
  take = outbox_entry (&d, take_id);
  comment = outbox_entry (&d, comment_id);
  g_assert_cmpint (take->state, ==, SA_OP_CONFLICT);
  g_assert_nonnull (comment);
  /* Sent with the take, naming it; the registry held it back unread. */
  g_assert_cmpint (comment->state, ==, SA_OP_PENDING);
  g_assert_cmpstr (comment->error_code, ==, "after_not_applied");
  after = registry_appeal (d.client, ids->pdata[0]);
  g_assert_cmpuint (history_count (after, "comment", "Беру в работу, выезжаю"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (after, "executor"), ==, SUPERVISOR);
  g_clear_pointer (&after, json_object_unref);

  /* The supervisor has it: the executor drops the take; the comment goes on. */
  g_assert_true (sa_cache_discard_op_sync (d.cache, take_id, &error));
  g_assert_no_error (error);
  sa_sync_engine_sync_now (d.engine);
  g_assert_true (sync_wait_for (is_synced, &d, 60));
  after = registry_appeal (d.client, ids->pdata[0]);
  g_assert_cmpuint (history_count (after, "comment", "Беру в работу, выезжаю"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (after, "executor"), ==, SUPERVISOR);

  /* The history keeps when the comment was written, as the desk recorded it. */
  history = json_object_get_array_member (after, "history");
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *ev = json_array_get_object_element (history, i);

      if (g_strcmp0 (json_object_get_string_member (ev, "type"), "comment") == 0)
        {
          made_at = json_object_get_string_member (ev, "made_at");
          g_assert_cmpstr (json_object_get_string_member (ev, "op_id"), ==, comment_id);
        }
    }
  made = sa_appeal_format_time (comment->created_at);
  g_assert_cmpstr (made_at, ==, made);

  desk_free (&d);
  sync_registry_free (&r);
}

static void
test_rejected (void)
{
  SyncRegistry r = { 0 };
  Desk d = { 0 };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(SaOutboxEntry) entry = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *op = NULL;

  desk_start (&r, &d);
  ids = queue_ids (&d, 1);

  /* An executor may not change the priority: the registry says why. */
  before = cached_appeal (&d, ids->pdata[0]);
  op = local_op (&d, ids->pdata[0], "set_priority",
                 g_strcmp0 (json_object_get_string_member (before, "priority"), "low") == 0
                 ? "{\"priority\":\"critical\"}" : "{\"priority\":\"low\"}");
  g_assert_true (sync_wait_for (needs_attention, &d, 60));
  entry = outbox_entry (&d, op);
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->state, ==, SA_OP_REJECTED);
  g_assert_cmpstr (entry->error_code, ==, "supervisor_only");
  /* The registry's own sentence, for the conflicts view to show. */
  g_assert_cmpstr (entry->last_error, ==,
                   "Only a supervisor of the lead agency may do this; ask your supervisor.");
  g_assert_cmpint (_sa_cache_get_offline_state (d.cache, ids->pdata[0]), ==,
                   SA_OFFLINE_REJECTED);

  /* It stays until dismissed, through a restart. */
  desk_restart (&d);
  desk_sync (&d);
  g_clear_pointer (&entry, sa_outbox_entry_free);
  entry = outbox_entry (&d, op);
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->state, ==, SA_OP_REJECTED);
  g_assert_cmpuint (sa_sync_engine_get_attention (d.engine), ==, 1);

  sa_cache_discard_op_sync (d.cache, op, &error);
  g_assert_no_error (error);
  g_clear_pointer (&entry, sa_outbox_entry_free);
  g_assert_null (outbox_entry (&d, op));
  shown = cached_appeal (&d, ids->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (shown, "priority"), ==,
                   json_object_get_string_member (before, "priority"));
  g_assert_cmpint (_sa_cache_get_offline_state (d.cache, ids->pdata[0]), ==, SA_OFFLINE_SYNCED);

  desk_free (&d);
  sync_registry_free (&r);
}

/* ------------------------------------------------------------------ */
/* 410: the registry pruned what the cursor needs */

static void
test_cursor_expired (void)
{
  SyncRegistry r = { 0 };
  Desk d = { 0 };
  g_autoptr(SaApiClient) supervisor = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonObject) after = NULL;
  gint64 cursor;
  guint count;

  desk_start (&r, &d);
  count = cached_count (&d);
  ids = queue_ids (&d, 2);
  cursor = sa_cache_get_cursor (d.cache);

  /* Offline: the executor edits one appeal, the supervisor another. */
  sa_sync_engine_stop (d.engine);
  g_free (local_op (&d, ids->pdata[0], "comment", "{\"text\":\"Жду акт\"}"));
  before = cached_appeal (&d, ids->pdata[1]);
  supervisor = supervisor_client (r.url);
  g_assert_cmpstr (remote_op (supervisor, "set_priority", ids->pdata[1],
                              json_object_get_int_member (before, "version"),
                              g_strcmp0 (json_object_get_string_member (before, "priority"),
                                         "critical") == 0
                              ? "{\"priority\":\"low\"}" : "{\"priority\":\"critical\"}"),
                   ==, "applied");

  /* The administrator compacts the feed past this client's cursor. */
  sync_registry_stop (&r);
  sync_registry_run (&r, "compact", "--db", r.db, "--keep", "0", NULL);
  sync_registry_serve (&r, NULL);

  sa_sync_engine_start (d.engine);
  g_assert_true (sync_wait_for (is_synced, &d, 60));
  g_assert_cmpint (sa_cache_get_cursor (d.cache), >, cursor);
  g_assert_cmpuint (cached_count (&d), ==, count);
  shown = cached_appeal (&d, ids->pdata[1]);
  g_assert_cmpstr (json_object_get_string_member (shown, "priority"), ==,
                   g_strcmp0 (json_object_get_string_member (before, "priority"), "critical") == 0
                   ? "low" : "critical");
  /* The outbox survived the reset and went out once. */
  after = registry_appeal (d.client, ids->pdata[0]);
  g_assert_cmpuint (history_count (after, "comment", "Жду акт"), ==, 1);

  desk_free (&d);
  sync_registry_free (&r);
}

/* ------------------------------------------------------------------ */
/* An access token that expires */

static void
test_expired_token (void)
{
  SyncRegistry r = { 0 };
  Desk d = { 0 };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(SaApiClient) other = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *first = NULL;

  sync_registry_start (&r, 400, "2");
  desk_open (&d, r.url);
  first = g_strdup (d.refresh);
  desk_sync (&d);
  ids = queue_ids (&d, 1);

  /* Past the access token's two seconds, an edit still goes through. */
  sync_spin (3000);
  g_free (local_op (&d, ids->pdata[0], "take", "{}"));
  g_assert_true (sync_wait_for (is_synced, &d, 60));
  g_assert_cmpuint (d.rotations, >=, 1);
  g_assert_cmpstr (d.refresh, !=, first);
  after = registry_appeal (d.client, ids->pdata[0]);
  g_assert_cmpuint (history_count (after, "taken", NULL), ==, 1);

  /* The rotated token is the one that works now (what the keyring keeps). */
  other = sa_api_client_new (r.url);
  sa_api_client_refresh_async (other, d.refresh, NULL, sync_result_cb, &result);
  g_assert_true (sync_wait_for (sync_have_result, &result, 30));
  answer = sa_api_client_auth_finish (other, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);

  desk_free (&d);
  sync_registry_free (&r);
}

static void
test_signed_out (void)
{
  SyncRegistry r = { 0 };
  Desk d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  desk_start (&r, &d);

  /* A refresh token the registry no longer honours: sign in again. */
  g_free (d.refresh);
  d.refresh = g_strdup ("not-a-token");
  desk_restart (&d);
  sa_sync_engine_start (d.engine);
  while (sa_sync_engine_get_state (d.engine) == SA_SYNC_STATE_SYNCING ||
         sa_sync_engine_get_state (d.engine) == SA_SYNC_STATE_STOPPED)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (sa_sync_engine_get_state (d.engine), ==, SA_SYNC_STATE_SIGNED_OUT);
  /* And it does not retry on its own. */
  {
    guint requests = sa_sync_engine_get_request_count (d.engine);

    sync_spin (2500);
    g_assert_cmpuint (sa_sync_engine_get_request_count (d.engine), ==, requests);
  }

  desk_free (&d);
  sync_registry_free (&r);
}

/* ------------------------------------------------------------------ */
/* A registry that answers 500, garbage, 401 or nothing at all */

typedef enum
{
  PROXY_PASS,
  PROXY_500,
  PROXY_GARBAGE,
  PROXY_SILENT,
  PROXY_401_ONCE,
  PROXY_SPOIL_FEED,
} ProxyMode;

typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *upstream;
  char        *url;
  ProxyMode    mode;
  guint        requests;
  GPtrArray   *held;
  char        *spoil_avoid;  /* PROXY_SPOIL_FEED leaves this appeal alone */
  char        *spoiled;      /* the appeal whose feed entry lost its data's id */
} Proxy;

/* A feed page as a registry with a bug might send it: the first appeal's
 * data (but @p->spoil_avoid's) without its "id". */
static GBytes *
spoil_feed_page (Proxy  *p,
                 GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  JsonArray *changes;
  char *text;
  gsize len;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   NULL))
    return g_bytes_ref (body);
  changes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "changes");
  for (guint i = 0; changes != NULL && i < json_array_get_length (changes); i++)
    {
      JsonObject *c = json_array_get_object_element (changes, i);
      const char *id = json_object_get_string_member (c, "id");

      if (g_strcmp0 (json_object_get_string_member (c, "kind"), "appeal") != 0 ||
          !json_object_has_member (c, "data") || g_strcmp0 (id, p->spoil_avoid) == 0 ||
          (p->spoiled != NULL && g_strcmp0 (id, p->spoiled) != 0))
        continue;
      if (p->spoiled == NULL)
        p->spoiled = g_strdup (id);
      json_object_remove_member (json_object_get_object_member (c, "data"), "id");
      break;
    }
  json_generator_set_root (gen, json_parser_get_root (parser));
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

static void
forwarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  SoupServerMessage *msg = data;
  SoupMessage *up = g_object_get_data (G_OBJECT (msg), "upstream");
  Proxy *p = g_object_get_data (G_OBJECT (msg), "proxy");
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                              NULL);

  if (body != NULL && p->mode == PROXY_SPOIL_FEED && soup_message_get_status (up) == 200 &&
      strcmp (g_uri_get_path (soup_message_get_uri (up)), "/api/v1/changes") == 0)
    {
      GBytes *spoiled = spoil_feed_page (p, body);

      g_bytes_unref (body);
      body = spoiled;
    }

  if (body == NULL)
    soup_server_message_set_status (msg, SOUP_STATUS_BAD_GATEWAY, NULL);
  else
    {
      const char *type = soup_message_headers_get_content_type (
        soup_message_get_response_headers (up), NULL);

      soup_server_message_set_status (msg, soup_message_get_status (up), NULL);
      soup_server_message_set_response (msg, type ? type : "application/json",
                                        SOUP_MEMORY_COPY, g_bytes_get_data (body, NULL),
                                        g_bytes_get_size (body));
    }
  soup_server_message_unpause (msg);
  g_object_unref (msg);
}

static void
proxy_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           data)
{
  Proxy *p = data;
  static const char unauthorized[] =
    "{\"error\":{\"code\":\"unauthorized\",\"message\":\"The access token expired.\"}}";
  static const char broken[] =
    "{\"error\":{\"code\":\"internal\",\"message\":\"database is locked\"}}";

  p->requests++;
  switch (p->mode)
    {
    case PROXY_500:
      soup_server_message_set_status (msg, 500, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        broken, strlen (broken));
      return;

    case PROXY_GARBAGE:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "<html>Captive portal", 20);
      return;

    case PROXY_SILENT:
      soup_server_message_pause (msg);
      g_ptr_array_add (p->held, g_object_ref (msg));
      return;

    case PROXY_401_ONCE:
      /* The token runs out just as the outbox goes. */
      if (strcmp (path, "/api/v1/ops") == 0)
        {
          p->mode = PROXY_PASS;
          soup_server_message_set_status (msg, 401, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                            unauthorized, strlen (unauthorized));
          return;
        }
      G_GNUC_FALLTHROUGH;

    case PROXY_PASS:
    default:
      {
        GUri *uri = soup_server_message_get_uri (msg);
        g_autofree char *target = g_strconcat (p->upstream, g_uri_get_path (uri),
                                               g_uri_get_query (uri) ? "?" : "",
                                               g_uri_get_query (uri), NULL);
        SoupMessage *up = soup_message_new (soup_server_message_get_method (msg), target);
        SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
        SoupMessageBody *req_body = soup_server_message_get_request_body (msg);
        const char *auth = soup_message_headers_get_one (in, "Authorization");
        const char *type = soup_message_headers_get_content_type (in, NULL);

        if (auth != NULL)
          soup_message_headers_replace (soup_message_get_request_headers (up),
                                        "Authorization", auth);
        if (req_body->length > 0)
          {
            g_autoptr(GBytes) bytes = soup_message_body_flatten (req_body);
            soup_message_set_request_body_from_bytes (up, type ? type : "application/json",
                                                      bytes);
          }
        g_object_set_data_full (G_OBJECT (msg), "upstream", up, g_object_unref);
        g_object_set_data (G_OBJECT (msg), "proxy", p);
        soup_server_message_pause (msg);
        soup_session_send_and_read_async (p->session, up, G_PRIORITY_DEFAULT, NULL,
                                          forwarded_cb, g_object_ref (msg));
      }
    }
}

static void
proxy_start (Proxy      *p,
             const char *upstream)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *text = NULL;
  gsize len;

  p->server = soup_server_new (NULL, NULL);
  p->session = soup_session_new ();
  p->upstream = g_strdup (upstream);
  len = strlen (p->upstream);
  if (len > 0 && p->upstream[len - 1] == '/')
    p->upstream[len - 1] = '\0';
  p->held = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (p->server, NULL, proxy_cb, p, NULL);
  soup_server_listen_local (p->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (p->server);
  text = g_uri_to_string (uris->data);
  p->url = g_strdup (text);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
}

static void
proxy_release (Proxy *p)
{
  for (guint i = 0; i < p->held->len; i++)
    {
      SoupServerMessage *msg = p->held->pdata[i];

      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_unpause (msg);
    }
  g_ptr_array_set_size (p->held, 0);
}

static void
proxy_free (Proxy *p)
{
  proxy_release (p);
  soup_server_disconnect (p->server);
  g_clear_object (&p->server);
  g_clear_object (&p->session);
  g_ptr_array_unref (p->held);
  g_free (p->spoil_avoid);
  g_free (p->spoiled);
  g_free (p->upstream);
  g_free (p->url);
}

static void
test_faults (void)
{
  SyncRegistry r = { 0 };
  Proxy p = { 0 };
  Desk d = { 0 };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(SaOutboxEntry) entry = NULL;
  g_autofree char *take = NULL;
  gint64 cursor;
  guint requests, rotations;

  sync_registry_start (&r, 400, NULL);
  proxy_start (&p, r.url);
  desk_open (&d, p.url);
  desk_sync (&d);
  ids = queue_ids (&d, 1);

  /* 500: an error state, back-off rather than hammering, nothing lost;
   * the op keeps why its push failed, for the outbox's views. */
  p.mode = PROXY_500;
  take = local_op (&d, ids->pdata[0], "take", "{}");
  g_assert_true (sync_wait_for (is_failing, &d, 30));
  g_assert_cmpint (sa_sync_engine_get_state (d.engine), ==, SA_SYNC_STATE_ERROR);
  g_assert_cmpstr (sa_sync_engine_get_last_error (d.engine), ==, "database is locked");
  entry = outbox_entry (&d, take);
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->state, ==, SA_OP_SENT);
  g_assert_cmpstr (entry->last_error, ==, "database is locked");
  requests = p.requests;
  sync_spin (3000);
  /* 1 s, then 2 s (each with jitter): at most three more tries in 3 s. */
  g_assert_cmpuint (p.requests - requests, <=, 3);
  g_assert_cmpuint (sa_sync_engine_get_pending (d.engine), ==, 1);
  p.mode = PROXY_PASS;
  g_assert_true (sync_wait_for (is_synced, &d, 60));

  /* Garbage: a protocol error; the cache is untouched. */
  p.mode = PROXY_GARBAGE;
  cursor = sa_cache_get_cursor (d.cache);
  g_free (local_op (&d, ids->pdata[0], "comment", "{\"text\":\"Мусор в ответе\"}"));
  g_assert_true (sync_wait_for (is_failing, &d, 30));
  g_assert_cmpint (sa_sync_engine_get_state (d.engine), ==, SA_SYNC_STATE_ERROR);
  g_assert_cmpint (sa_cache_get_cursor (d.cache), ==, cursor);
  g_assert_cmpuint (sa_sync_engine_get_pending (d.engine), ==, 1);
  p.mode = PROXY_PASS;
  g_assert_true (sync_wait_for (is_synced, &d, 60));

  /* A 401 mid-session: refresh once and carry on. */
  rotations = d.rotations;
  p.mode = PROXY_401_ONCE;
  g_free (local_op (&d, ids->pdata[0], "comment", "{\"text\":\"Токен устарел\"}"));
  g_assert_true (sync_wait_for (is_synced, &d, 60));
  g_assert_cmpuint (d.rotations, ==, rotations + 1);

  /* Nothing at all for 30 s: the request times out, the desk says
   * offline, and the edit goes through when the registry answers. */
  sa_sync_engine_set_timeout (d.engine, 10);
  p.mode = PROXY_SILENT;
  g_free (local_op (&d, ids->pdata[0], "comment", "{\"text\":\"Тишина\"}"));
  g_assert_true (sync_wait_for (is_failing, &d, 30));
  g_assert_cmpint (sa_sync_engine_get_state (d.engine), ==, SA_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (sa_sync_engine_get_pending (d.engine), ==, 1);
  sync_spin (30000 - 10000);
  p.mode = PROXY_PASS;
  proxy_release (&p);
  g_assert_true (sync_wait_for (is_synced, &d, 60));

  after = registry_appeal (d.client, ids->pdata[0]);
  g_assert_cmpuint (history_count (after, "taken", NULL), ==, 1);
  g_assert_cmpuint (history_count (after, "comment", "Мусор в ответе"), ==, 1);
  g_assert_cmpuint (history_count (after, "comment", "Токен устарел"), ==, 1);
  g_assert_cmpuint (history_count (after, "comment", "Тишина"), ==, 1);

  desk_free (&d);
  proxy_free (&p);
  sync_registry_free (&r);
}

/* ------------------------------------------------------------------ */
/* Entries the desk cannot read */

static gint64
registry_head (SyncRegistry *r)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 head;

  g_assert_cmpint (sqlite3_open_v2 (r->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT MAX (seq) FROM feed", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  head = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return head;
}

static void
test_unreadable_entry (void)
{
  /* Neither a poison appeal in the registry (an infinite map point stored long ago) nor a feed entry the desk cannot read stops the sync: the rest of the page lands, the cursor moves on, the entry is kept aside and counted for the user, and it is replaced once the registry sends it readable. */
  SyncRegistry r = { 0 };
  Proxy p = { 0 };
  Desk d = { 0 };
  g_autoptr(SaApiClient) supervisor = NULL;
  g_autoptr(JsonObject) poisoned_appeal = NULL;
  g_autoptr(JsonObject) spoiled_appeal = NULL;
  g_autoptr(JsonObject) healed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *poisoned = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  sync_registry_start (&r, 400, NULL);
  /* What an older registry accepted ("lat": 1e999) and stored. */
  g_assert_cmpint (sqlite3_open_v2 (r.db, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE appeals SET lat = 9e999, lon = 9e999"
                                           " WHERE id = (SELECT id FROM appeals"
                                           " WHERE agency = 'ALMATY-TEPLO' ORDER BY id LIMIT 1)"
                                           " RETURNING id", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  poisoned = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  proxy_start (&p, r.url);
  p.mode = PROXY_SPOIL_FEED;
  p.spoil_avoid = g_strdup (poisoned);
  desk_open (&d, p.url);
  sa_sync_engine_start (d.engine);
  g_assert_true (sync_wait_for (is_synced, &d, 60));

  g_assert_nonnull (p.spoiled);
  g_assert_cmpint (sa_cache_get_cursor (d.cache), ==, registry_head (&r));
  g_assert_cmpuint (cached_count (&d), ==, registry_total (d.client) - 1);
  g_assert_cmpint (sa_cache_count_unreadable (d.cache, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (sa_sync_engine_get_unreadable (d.engine), ==, 1);
  poisoned_appeal = cached_appeal (&d, poisoned);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (poisoned_appeal,
                                                                             "address"),
                                              "lat"));

  /* The registry sends the appeal again, readable: it takes the place of
   * what was set aside. */
  p.mode = PROXY_PASS;
  supervisor = supervisor_client (r.url);
  spoiled_appeal = registry_appeal (supervisor, p.spoiled);
  g_assert_cmpstr (remote_op (supervisor, "comment", p.spoiled,
                              json_object_get_int_member (spoiled_appeal, "version"),
                              "{\"text\":\"Проверили, данные исправлены\"}"), ==, "applied");
  desk_sync (&d);
  healed = cached_appeal (&d, p.spoiled);
  g_assert_cmpstr (json_object_get_string_member (healed, "id"), ==, p.spoiled);
  g_assert_cmpuint (cached_count (&d), ==, registry_total (d.client));
  g_assert_cmpint (sa_cache_count_unreadable (d.cache, &error), ==, 0);
  g_assert_cmpuint (sa_sync_engine_get_unreadable (d.engine), ==, 0);

  desk_free (&d);
  proxy_free (&p);
  sync_registry_free (&r);
}

/* ------------------------------------------------------------------ */
/* Killed at random points of editing and syncing */

typedef struct
{
  SaCache  *cache;
  gboolean  synced;
  guint     n;
} KillChild;

static void
kill_child_synced (SaSyncEngine *engine,
                   KillChild    *k)
{
  k->synced = TRUE;
}

/* Every 5 ms a comment on one of the first appeals; each acknowledged one
 * is printed as "APPEAL-ID TEXT" once it is durable. */
static gboolean
kill_child_edit (gpointer data)
{
  KillChild *k = data;
  g_autoptr(SaAppealList) list = NULL;
  g_autoptr(SaAppealRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autofree char *text = g_uuid_string_random ();
  g_autofree char *op = NULL;

  if (!k->synced)
    return G_SOURCE_CONTINUE;
  list = sa_appeal_list_new (k->cache);
  sa_appeal_list_set_section (list, SA_APPEAL_SECTION_ALL);
  sa_appeal_list_refresh (list, NULL);
  row = g_list_model_get_item (G_LIST_MODEL (list), k->n++ % 5);
  json_object_set_string_member (args, "text", text);
  op = sa_cache_apply_local_op_sync (k->cache, sa_appeal_row_get_id (row), "comment", args,
                                     &error);
  if (op == NULL)
    g_error ("child: %s", error->message);
  printf ("%s %s\n", sa_appeal_row_get_id (row), text);
  fflush (stdout);
  return G_SOURCE_CONTINUE;
}

static int
kill_child (const char *url,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaApiClient) client = sa_api_client_new (url);
  g_autoptr(JsonObject) answer = sync_login (client, EXECUTOR, EXECUTOR_PW);
  g_autoptr(SaSyncEngine) engine = NULL;
  KillChild k = { 0 };

  k.cache = sa_cache_open (path, &error);
  if (k.cache == NULL)
    g_error ("child: %s", error->message);
  sa_cache_set_identity (k.cache, EXECUTOR, "ALMATY-TEPLO", NULL);
  engine = sa_sync_engine_new (k.cache, client,
                               json_object_get_string_member (answer, "refresh_token"));
  sa_sync_engine_set_undo_window (engine, 0);
  g_signal_connect (engine, "cycle-finished", G_CALLBACK (kill_child_synced), &k);
  sa_sync_engine_start (engine);
  g_timeout_add (5, kill_child_edit, &k);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static char *
integrity (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static void
test_killed (void)
{
  SyncRegistry r = { 0 };
  Desk d = { 0 };
  const char *exe = g_test_get_filename (G_TEST_BUILT, "test-sync", NULL);
  g_autoptr(GHashTable) acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) appeals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify)json_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint rounds = 200;

  sync_registry_start (&r, 400, NULL);
  d.dir = g_dir_make_tmp ("sa-killed-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (d.dir, "cache.db", NULL);

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) in = NULL;
      g_autofree char *check = NULL;
      char *line;

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                &error, exe, "--kill-child", r.url, path, NULL);
      g_assert_no_error (error);
      in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
      /* Every tenth kill comes after a first acknowledged comment, so that
       * some are, however slowly the child starts (under ASan, on a busy
       * machine, all 200 random kills could come before the first one). */
      if (round % 10 == 9 && (line = g_data_input_stream_read_line (in, NULL, NULL, NULL)) != NULL)
        {
          char *space = strchr (line, ' ');

          if (space != NULL && g_uuid_string_is_valid (space + 1))
            {
              *space = '\0';
              g_hash_table_insert (acked, g_strdup (space + 1), g_strdup (line));
            }
          g_free (line);
        }
      g_usleep (g_test_rand_int_range (20000, 300000));
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_false (g_subprocess_get_if_exited (child));

      while ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL)) != NULL)
        {
          char *space = strchr (line, ' ');

          /* Only whole lines were acknowledged. */
          if (space != NULL && g_uuid_string_is_valid (space + 1))
            {
              *space = '\0';
              g_hash_table_insert (acked, g_strdup (space + 1), g_strdup (line));
            }
          g_free (line);
        }
      check = integrity (path);
      g_assert_cmpstr (check, ==, "ok");
    }
  g_test_message ("%u comments acknowledged across %u kills", g_hash_table_size (acked), rounds);
  g_assert_cmpuint (g_hash_table_size (acked), >, 0);

  /* The last start syncs to the end: every acknowledged comment is in the
   * registry exactly once. */
  d.url = g_strdup (r.url);
  d.client = sa_api_client_new (r.url);
  {
    g_autoptr(JsonObject) answer = sync_login (d.client, EXECUTOR, EXECUTOR_PW);

    d.refresh = g_strdup (json_object_get_string_member (answer, "refresh_token"));
  }
  desk_attach (&d);
  sa_sync_engine_start (d.engine);
  g_assert_true (sync_wait_for (is_synced, &d, 120));

  g_hash_table_iter_init (&iter, acked);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *appeal = g_hash_table_lookup (appeals, value);

      if (appeal == NULL)
        {
          appeal = registry_appeal (d.client, value);
          g_hash_table_insert (appeals, g_strdup (value), appeal);
        }
      g_assert_cmpuint (history_count (appeal, "comment", key), ==, 1);
    }
  g_assert_cmpuint (sa_sync_engine_get_attention (d.engine), ==, 0);

  desk_free (&d);
  sync_registry_free (&r);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--kill-child"))
    return kill_child (argv[2], argv[3]);
  g_test_init (&argc, &argv, NULL);
  /* Each test starts its own registry with demo data: make hashing cheap. */
  g_setenv ("SA_REGISTRY_PWHASH", "fast", TRUE);

  g_test_add_func ("/sync/initial", test_initial_sync);
  g_test_add_func ("/sync/offline-restart", test_offline_restart);
  g_test_add_func ("/sync/gone-before-listening", test_gone_before_listening);
  g_test_add_func ("/sync/network-monitor", test_network_monitor);
  g_test_add_func ("/sync/stopped-when-finished", test_stopped_when_finished);
  g_test_add_func ("/sync/undo-window", test_undo_window);
  g_test_add_func ("/sync/conflict", test_conflict);
  g_test_add_func ("/sync/dependent-ops-wait", test_dependent_ops_wait);
  g_test_add_func ("/sync/rejected", test_rejected);
  g_test_add_func ("/sync/cursor-expired", test_cursor_expired);
  g_test_add_func ("/sync/expired-token", test_expired_token);
  g_test_add_func ("/sync/signed-out", test_signed_out);
  g_test_add_func ("/sync/faults", test_faults);
  g_test_add_func ("/sync/unreadable-entry", test_unreadable_entry);
  g_test_add_func ("/sync/killed-at-random", test_killed);

  return g_test_run ();
}
