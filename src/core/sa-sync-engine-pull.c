/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-sync-engine"

#include "config.h"

#include "sa-feed-page.h"
#include "sa-sync-engine-private.h"

/* Pull: the change feed from the stored cursor, in pages of %FEED_PAGE
 * fetched while the previous one is written; a 410 resets the cache and
 * pulls from zero. */

static void pull_from_zero    (SaSyncEngine *self);
static void pull_fetch        (SaSyncEngine *self);
static void pull_maybe_apply  (SaSyncEngine *self);

/* ------------------------------------------------------------------ */
/* Pull */

static void
pull_done (SaSyncEngine *self)
{
  _sa_sync_engine_cycle_succeed (self);
}

static void
pull_settle (SaSyncEngine *self)
{
  g_autoptr(GError) error = NULL;

  if (self->fetching || self->applying)
    return;
  if (self->pull_error != NULL)
    {
      error = g_steal_pointer (&self->pull_error);
      g_queue_clear_full (&self->pages, _sa_sync_engine_feed_page_free);
      if (_sa_sync_engine_handle_unauthorized (self, error))
        return;
      _sa_sync_engine_cycle_fail (self, error);
      return;
    }
  if (self->fetch_done && g_queue_is_empty (&self->pages))
    pull_done (self);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SaSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *changes = NULL;
  gint64 next = 0;
  gboolean more = FALSE;
  FeedPage *page;

  if (_sa_sync_engine_stale (result))
    return;
  self->fetching = FALSE;
  root = sa_api_client_call_finish (SA_API_CLIENT (object), result, &error);
  if (root == NULL && g_error_matches (error, SA_API_ERROR, SA_API_ERROR_GONE) &&
      !self->reset_done && !self->applying && g_queue_is_empty (&self->pages))
    {
      /* The registry pruned what we would need: start from zero. The
       * outbox stays; sent operations go again and come back duplicate. */
      g_message ("The change feed expired our cursor; pulling everything again");
      self->reset_done = TRUE;
      _sa_sync_engine_run_job (self, JOB_RESET, NULL, pull_from_zero);
      return;
    }

  if (root != NULL)
    sa_feed_page_parse (root, &changes, &next, &more, &error);
  if (error != NULL)
    {
      if (self->pull_error == NULL)
        self->pull_error = g_steal_pointer (&error);
      pull_settle (self);
      return;
    }

  page = g_new0 (FeedPage, 1);
  page->root = g_steal_pointer (&root);
  page->next = next;
  page->more = more;
  /* A registry that says "more" without moving the cursor would spin us. */
  if (page->more && page->next <= self->fetch_since)
    page->more = FALSE;
  g_queue_push_tail (&self->pages, page);

  if (page->more)
    {
      self->fetch_since = page->next;
      if (g_queue_get_length (&self->pages) < FEED_QUEUE_MAX)
        pull_fetch (self);
    }
  else
    self->fetch_done = TRUE;

  pull_maybe_apply (self);
}

static void
pull_fetch (SaSyncEngine *self)
{
  g_autofree char *path = NULL;

  path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%d",
                          self->fetch_since, FEED_PAGE);
  self->fetching = TRUE;
  _sa_sync_engine_call (self, "GET", path, NULL, fetch_cb);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaSyncEngine *self = SA_SYNC_ENGINE (object);
  g_autoptr(GError) error = NULL;

  if (_sa_sync_engine_stale (result))
    return;
  self->applying = FALSE;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    self->cursor = ((Job *) g_task_get_task_data (G_TASK (result)))->next;
  else
    {
      if (self->pull_error == NULL)
        self->pull_error = g_steal_pointer (&error);
      g_queue_clear_full (&self->pages, _sa_sync_engine_feed_page_free);
      pull_settle (self);
      return;
    }

  /* Room in the queue again: resume fetching. */
  if (self->pull_error == NULL && !self->fetching && !self->fetch_done &&
      g_queue_get_length (&self->pages) < FEED_QUEUE_MAX)
    pull_fetch (self);
  pull_maybe_apply (self);
  pull_settle (self);
}

static void
pull_maybe_apply (SaSyncEngine *self)
{
  FeedPage *page;

  if (self->applying || self->pull_error != NULL || g_queue_is_empty (&self->pages))
    return;
  page = g_queue_pop_head (&self->pages);
  /* An empty page that does not move the cursor needs no write. */
  if (json_array_get_length (_sa_sync_engine_node_member_array (page->root, "changes")) == 0 &&
      page->next == self->cursor)
    {
      _sa_sync_engine_feed_page_free (page);
      pull_settle (self);
      return;
    }
  self->applying = TRUE;
  _sa_sync_engine_run_job_full (self, JOB_CHANGES, page->root, page->next, NULL, apply_cb);
  _sa_sync_engine_feed_page_free (page);
}

static void
districts_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SaSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items = NULL;

  if (_sa_sync_engine_stale (result))
    return;
  root = sa_api_client_call_finish (SA_API_CLIENT (object), result, &error);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    items = json_object_get_array_member (json_node_get_object (root), "districts");
  else if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    items = json_node_get_array (root);
  if (root != NULL && items == NULL)
    error = g_error_new (SA_API_ERROR, SA_API_ERROR_PROTOCOL,
                         "The registry's district list is not a list");
  if (error != NULL)
    {
      if (!_sa_sync_engine_handle_unauthorized (self, error))
        _sa_sync_engine_cycle_fail (self, error);
      return;
    }

  {
    g_autoptr(JsonNode) array = json_node_init_array (json_node_alloc (), items);
    _sa_sync_engine_run_job (self, JOB_DISTRICTS, array, pull_fetch);
  }
}

/* After a reset the cache's cursor is 0 again. */
static void
pull_from_zero (SaSyncEngine *self)
{
  self->cursor = 0;
  _sa_sync_engine_pull_start (self);
}

void
_sa_sync_engine_pull_start (SaSyncEngine *self)
{
  g_queue_clear_full (&self->pages, _sa_sync_engine_feed_page_free);
  g_clear_error (&self->pull_error);
  self->fetch_since = self->cursor;
  self->fetch_done = FALSE;
  self->fetching = FALSE;
  self->applying = FALSE;

  /* Districts are not in the feed: fetch them with a first sync. */
  if (self->fetch_since == 0)
    _sa_sync_engine_call (self, "GET", "/api/v1/districts", NULL, districts_cb);
  else
    pull_fetch (self);
}
