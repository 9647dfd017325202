/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-session"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-directory.h"
#include "sa-session-private.h"

/* The account's cache from opening to sign-out, and the sync engine on
 * it. A signed-out account's cache is deleted once nothing holds it; a
 * damaged one is set aside and loaded again from the registry, once. */

static void sa_session_set_aside_cache  (SaSession    *self);
static void sa_session_set_cache_error  (SaSession    *self,
                                         const GError *error);
static void check_cache_cb              (GObject      *object,
                                         GAsyncResult *result,
                                         gpointer      user_data);

static void
sa_session_set_opening_path (SaSession *self,
                             char      *path)
{
  gboolean was_loading = self->opening_path != NULL;

  g_free (self->opening_path);
  self->opening_path = path;
  if (was_loading != (path != NULL))
    _sa_session_notify (self, SA_SESSION_PROP_LOADING);
}

/* ------------------------------------------------------------------ */
/* The sync engine */

static void
refresh_token_changed_cb (SaSyncEngine *engine,
                          const char   *token,
                          SaSession    *self)
{
  /* The registry rotated it: the old one no longer works. */
  _sa_session_keep_token (self, token);
}

static void
sa_session_stop_engine (SaSession *self)
{
  if (self->engine == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->engine, self);
  sa_sync_engine_stop (self->engine);
  g_clear_object (&self->engine);
  _sa_session_notify (self, SA_SESSION_PROP_ENGINE);
}

/* A new engine for each sign-in: it holds the refresh token it was given. */
static void
sa_session_start_engine (SaSession *self)
{
  sa_session_stop_engine (self);
  self->engine = sa_sync_engine_new (self->cache, self->client, self->refresh_token);
  g_signal_connect (self->engine, "refresh-token-changed",
                    G_CALLBACK (refresh_token_changed_cb), self);
  sa_sync_engine_start (self->engine);
  _sa_session_notify (self, SA_SESSION_PROP_ENGINE);
}

/**
 * sa_session_sync_now:
 * @self: a #SaSession
 *
 * Syncs at once rather than at the engine's next turn, if it runs.
 */
void
sa_session_sync_now (SaSession *self)
{
  g_return_if_fail (SA_IS_SESSION (self));

  if (self->engine != NULL)
    sa_sync_engine_sync_now (self->engine);
}

/* ------------------------------------------------------------------ */
/* The account's cache */

/* A signed-out account's cache is deleted once the last reference is
 * gone (sa_cache_delete() wants it closed): a local edit still running in
 * a worker, or a window's list, holds one for a moment. The notify is
 * object data, which GObject frees after SaCache's finalize has closed the
 * database. */
typedef struct
{
  char     *path;
  GWeakRef  session;
  /* Damaged: closed to be set aside, not deleted, unless signed out meanwhile. */
  gboolean  damaged;
} DoomedCache;

static gboolean
doomed_cache_deleted_cb (gpointer data)
{
  DoomedCache *doomed = data;
  g_autoptr(SaSession) self = g_weak_ref_get (&doomed->session);

  if (self != NULL && doomed->damaged)
    {
      g_autoptr(GError) error = NULL;

      if (g_strcmp0 (self->opening_path, doomed->path) == 0)
        sa_session_set_aside_cache (self);
      else if (g_strcmp0 (self->deleting_path, doomed->path) == 0 &&
               !sa_cache_delete (doomed->path, &error))
        g_warning ("Could not delete the signed-out account's cache: %s", error->message);
    }
  if (self != NULL && g_strcmp0 (self->deleting_path, doomed->path) == 0)
    {
      g_clear_pointer (&self->deleting_path, g_free);
      /* Signed in to the same account again meanwhile: open it afresh. */
      if (self->open_when_deleted)
        {
          self->open_when_deleted = FALSE;
          _sa_session_open_cache (self);
        }
    }
  g_weak_ref_clear (&doomed->session);
  g_free (doomed->path);
  g_free (doomed);
  return G_SOURCE_REMOVE;
}

static void
doomed_cache_finalized (gpointer data)
{
  DoomedCache *doomed = data;
  g_autoptr(GError) error = NULL;

  if (!doomed->damaged && !sa_cache_delete (doomed->path, &error))
    g_warning ("Could not delete the signed-out account's cache: %s", error->message);
  /* Perhaps on a worker, which held the last reference: the session is
   * the main thread's. */
  g_idle_add (doomed_cache_deleted_cb, doomed);
}

static void
sa_session_doom_cache (SaSession *self,
                       SaCache   *cache)
{
  DoomedCache *doomed = g_new0 (DoomedCache, 1);

  doomed->path = g_strdup (sa_cache_get_path (cache));
  g_weak_ref_init (&doomed->session, self);
  g_free (self->deleting_path);
  self->deleting_path = g_strdup (doomed->path);
  g_object_set_data_full (G_OBJECT (cache), "sa-session-doomed", doomed, doomed_cache_finalized);
}

/* The cache is open and knows who is signed in: it is the session's. */
static void
sa_session_set_cache (SaSession *self,
                      SaCache   *cache)
{
  self->cache = g_object_ref (cache);
  /* Identity is set by now: the notifier's "My appeals" needs it. */
  if (self->application != NULL)
    self->notifier = sa_notifier_new (self->application, cache, sa_clock_get_default ());

  /* Offline, the registry cannot say who we are; the feed told the cache. */
  if (self->user == NULL)
    {
      g_autoptr(JsonObject) user = sa_directory_lookup_user (cache, self->login);

      if (user != NULL)
        _sa_session_set_user (self, user);
    }
  _sa_session_notify (self, SA_SESSION_PROP_CACHE);

  /* The desk shows what the cache holds at once; the registry's changes
   * are written into it once every page of it has been read back. */
  sa_cache_check_async (sa_cache_get_path (cache), self->account, check_cache_cb,
                        g_object_ref (self));
}

typedef struct
{
  char *login;
  char *agency;
} Identity;

static void
identity_free (gpointer data)
{
  Identity *identity = data;

  g_free (identity->login);
  g_free (identity->agency);
  g_free (identity);
}

static void
set_identity_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Identity *identity = task_data;
  GError *error = NULL;

  if (sa_cache_set_identity (SA_CACHE (source_object), identity->login, identity->agency, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
set_identity_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SaSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* "My appeals" and taking an appeal need it; the rest works without. */
      g_warning ("Could not store who is signed in: %s", error->message);
    }
  sa_session_set_cache (self, SA_CACHE (object));
}

static void
open_cache_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SaSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaCache) cache = NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GTask) task = NULL;
  Identity *identity;

  cache = sa_cache_open_finish (result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    {
      /* Signed out while it opened: it goes with the account. */
      if (cache != NULL && g_strcmp0 (self->deleting_path, sa_cache_get_path (cache)) == 0)
        sa_session_doom_cache (self, cache);
      return;
    }
  if (cache == NULL)
    {
      /* Once only: a new cache that is damaged again is a failing disk. */
      if (g_error_matches (error, SA_CACHE_ERROR, SA_CACHE_ERROR_CORRUPT) && !self->set_aside_done)
        {
          g_message ("The cache is damaged: %s", error->message);
          sa_session_set_aside_cache (self);
          return;
        }
      sa_session_set_opening_path (self, NULL);
      sa_session_set_cache_error (self, error);
      return;
    }
  sa_session_set_opening_path (self, NULL);
  sa_session_set_cache_error (self, NULL);

  if (self->user == NULL)
    {
      sa_session_set_cache (self, cache);
      return;
    }
  identity = g_new0 (Identity, 1);
  identity->login = g_strdup (self->login);
  identity->agency = g_strdup (json_object_get_string_member_with_default (self->user, "agency",
                                                                           NULL));
  task = g_task_new (cache, self->account, set_identity_cb, g_object_ref (self));
  g_task_set_source_tag (task, open_cache_cb);
  g_task_set_task_data (task, identity, identity_free);
  g_task_run_in_thread (task, set_identity_thread);
}

/* What is on this computer cannot be opened, and setting it aside does
 * not help: #SaSession:cache-error says so in words for the user. */
static void
sa_session_set_cache_error (SaSession    *self,
                            const GError *error)
{
  char *text = NULL;

  if (error != NULL)
    {
      /* The user is told; the log keeps SQLite's words. */
      g_message ("Could not open the cache: %s", error->message);
      if (g_error_matches (error, SA_CACHE_ERROR, SA_CACHE_ERROR_TOO_NEW))
        text = g_strdup (_("They were saved by a newer version of Smart Appeals. "
                           "Update the application to work with them."));
      else
        text = g_strdup_printf (_("Could not open the appeals stored on this computer: %s"),
                                error->message);
    }
  if (text == NULL && self->cache_error == NULL)
    return;
  g_free (self->cache_error);
  self->cache_error = text;
  _sa_session_notify (self, SA_SESSION_PROP_CACHE_ERROR);
}

static void
set_aside_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SaSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaCacheRescue) rescue = NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autofree char *path = g_strdup (g_task_get_task_data (G_TASK (result)));

  rescue = sa_cache_set_aside_finish (result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    {
      /* Signed out meanwhile: the new cache goes with the account; the
       * damaged copy stays, since it may hold what was never sent. */
      if (g_strcmp0 (self->deleting_path, path) == 0)
        {
          g_autoptr(GError) delete_error = NULL;

          if (!sa_cache_delete (path, &delete_error))
            g_warning ("Could not delete the signed-out account's cache: %s",
                       delete_error->message);
          g_clear_pointer (&self->deleting_path, g_free);
          if (self->open_when_deleted)
            {
              self->open_when_deleted = FALSE;
              _sa_session_open_cache (self);
            }
        }
      return;
    }
  if (rescue == NULL)
    {
      sa_session_set_opening_path (self, NULL);
      sa_session_set_cache_error (self, error);
      return;
    }

  self->set_aside_done = TRUE;
  _sa_session_cache_set_aside (self, rescue);
  sa_cache_open_async (self->opening_path, self->account, open_cache_cb, g_object_ref (self));
}

/* The cache at opening_path is damaged and nothing has it open any more. */
static void
sa_session_set_aside_cache (SaSession *self)
{
  g_assert (self->opening_path != NULL);
  sa_cache_set_aside_async (self->opening_path, self->account, set_aside_cb,
                            g_object_ref (self));
}

/* Found damaged while the desk showed it: let go of it, and set it aside
 * once the last reference (perhaps a worker's) has closed it. */
static void
sa_session_cache_damaged (SaSession *self)
{
  g_autoptr(SaCache) cache = g_object_ref (self->cache);
  DoomedCache *damaged = g_new0 (DoomedCache, 1);

  _sa_session_end (self, FALSE);
  damaged->path = g_strdup (sa_cache_get_path (cache));
  damaged->damaged = TRUE;
  g_weak_ref_init (&damaged->session, self);
  g_object_set_data_full (G_OBJECT (cache), "sa-session-doomed", damaged, doomed_cache_finalized);
  sa_session_set_opening_path (self, g_strdup (damaged->path));
}

static void
check_cache_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SaSession) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean sound = sa_cache_check_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cache == NULL)
    return;
  if (!sound && g_error_matches (error, SA_CACHE_ERROR, SA_CACHE_ERROR_CORRUPT))
    {
      g_message ("%s", error->message);
      if (!self->set_aside_done)
        {
          sa_session_cache_damaged (self);
          return;
        }
      /* Damaged again at once: do not write more into it. */
      _sa_session_end (self, FALSE);
      sa_session_set_cache_error (self, error);
      return;
    }
  if (!sound)
    g_warning ("Could not check the cache: %s", error->message);
  sa_session_start_engine (self);
}

void
_sa_session_open_cache (SaSession *self)
{
  g_autofree char *path = sa_cache_default_path (sa_api_client_get_base_url (self->client),
                                                 self->login);

  if (self->cache != NULL && g_strcmp0 (sa_cache_get_path (self->cache), path) == 0)
    {
      /* Signed in again after the registry ended the session: the cache
       * stays, syncing starts again with the new token. */
      sa_session_start_engine (self);
      return;
    }
  if (self->opening_path != NULL && g_strcmp0 (self->opening_path, path) == 0)
    return;
  if (self->cache != NULL || self->opening_path != NULL)
    _sa_session_end (self, FALSE);
  if (self->deleting_path != NULL && g_strcmp0 (self->deleting_path, path) == 0)
    {
      /* The same account's old cache is still being closed and deleted. */
      self->open_when_deleted = TRUE;
      return;
    }

  self->set_aside_done = FALSE;
  sa_session_set_opening_path (self, g_steal_pointer (&path));
  sa_cache_open_async (self->opening_path, self->account, open_cache_cb, g_object_ref (self));
}

/* Lets go of the account's cache, its engine and its notifier; at
 * sign-out the cache is deleted with the account. */
void
_sa_session_end (SaSession *self,
                 gboolean   delete_cache)
{
  g_cancellable_cancel (self->account);
  g_clear_object (&self->account);
  self->account = g_cancellable_new ();

  if (self->opening_path != NULL && delete_cache)
    {
      g_free (self->deleting_path);
      self->deleting_path = g_strdup (self->opening_path);
    }
  sa_session_set_opening_path (self, NULL);
  sa_session_set_cache_error (self, NULL);
  self->open_when_deleted = FALSE;
  sa_session_stop_engine (self);

  /* Notifications about a signed-out account's appeals go with it. */
  if (self->notifier != NULL && delete_cache)
    sa_notifier_withdraw_all (self->notifier);
  g_clear_object (&self->notifier);

  if (self->cache != NULL)
    {
      if (delete_cache)
        sa_session_doom_cache (self, self->cache);
      g_clear_object (&self->cache);
      _sa_session_notify (self, SA_SESSION_PROP_CACHE);
    }
}
