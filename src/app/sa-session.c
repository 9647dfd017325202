/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-session"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-directory.h"
#include "sa-session.h"

/* One account's life on this computer, apart from any window: signing in
 * (with the password, or with the refresh token the Secret Service keeps),
 * the account's cache from opening to sign-out (a damaged one set aside and
 * rebuilt), the sync engine on it and the desktop notifications about it.
 * GTK-free: the window listens to its properties and draws them. */

struct _SaSession
{
  GObject         parent_instance;

  GApplication   *application;
  GSettings      *settings;
  /* The session's life; cancelled when it is disposed */
  GCancellable   *cancellable;

  SaSessionState  state;
  char           *error;
  SaApiClient    *client;
  JsonObject     *user;
  char           *login;
  char           *refresh_token;
  gboolean        online;

  /* One account's cache; cancelled when it is let go */
  GCancellable   *account;
  char           *opening_path;
  char           *deleting_path;
  gboolean        open_when_deleted;
  gboolean        set_aside_done;   /* a damaged cache was set aside for this one */
  char           *cache_error;      /* why the cache cannot be opened */
  SaCache        *cache;
  SaSyncEngine   *engine;
  SaNotifier     *notifier;
};

G_DEFINE_FINAL_TYPE (SaSession, sa_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_STATE,
  PROP_ERROR,
  PROP_USER,
  PROP_ONLINE,
  PROP_CACHE,
  PROP_LOADING,
  PROP_CACHE_ERROR,
  PROP_ENGINE,
  N_PROPS
};

enum {
  CACHE_SET_ASIDE,
  KEYRING_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void sa_session_open_cache       (SaSession    *self);
static void sa_session_end              (SaSession    *self,
                                         gboolean      delete_cache);
static void sa_session_set_aside_cache  (SaSession    *self);
static void sa_session_set_cache_error  (SaSession    *self,
                                         const GError *error);
static void check_cache_cb              (GObject      *object,
                                         GAsyncResult *result,
                                         gpointer      user_data);

GType
sa_session_state_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { SA_SESSION_SIGNED_OUT, "SA_SESSION_SIGNED_OUT", "signed-out" },
        { SA_SESSION_SIGNING_IN, "SA_SESSION_SIGNING_IN", "signing-in" },
        { SA_SESSION_SIGNED_IN, "SA_SESSION_SIGNED_IN", "signed-in" },
        { 0, NULL, NULL },
      };

      g_once_init_leave (&type, g_enum_register_static ("SaSessionState", values));
    }
  return type;
}

/**
 * sa_session_new:
 * @application: (nullable): the application, for desktop notifications
 *
 * Returns: (transfer full): a signed-out session
 */
SaSession *
sa_session_new (GApplication *application)
{
  g_return_val_if_fail (application == NULL || G_IS_APPLICATION (application), NULL);

  return g_object_new (SA_TYPE_SESSION, "application", application, NULL);
}

/**
 * sa_session_set_application:
 * @self: a #SaSession
 * @application: (nullable): the application
 *
 * Sets the application the account's desktop notifications are sent
 * from; a window's is known only after it is constructed.
 */
void
sa_session_set_application (SaSession    *self,
                            GApplication *application)
{
  g_return_if_fail (SA_IS_SESSION (self));
  g_return_if_fail (application == NULL || G_IS_APPLICATION (application));

  if (g_set_object (&self->application, application))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLICATION]);
}

/* The state and why it is so, notified together. */
static void
sa_session_set_state (SaSession      *self,
                      SaSessionState  state,
                      const char     *error)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->error, error) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
sa_session_set_user (SaSession  *self,
                     JsonObject *user)
{
  if (user == self->user)
    return;
  if (user != NULL)
    json_object_ref (user);
  g_clear_pointer (&self->user, json_object_unref);
  self->user = user;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

static void
sa_session_set_opening_path (SaSession *self,
                             char      *path)
{
  gboolean was_loading = self->opening_path != NULL;

  g_free (self->opening_path);
  self->opening_path = path;
  if (was_loading != (path != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Words a person can act on, for each way signing in can fail. */
static char *
describe_error (const GError *error)
{
  if (error->domain == SA_API_ERROR)
    {
      switch ((SaApiError)error->code)
        {
        case SA_API_ERROR_UNAUTHORIZED:
          return g_strdup (_("Wrong login or password."));
        case SA_API_ERROR_UNREACHABLE:
          return g_strdup (_("The registry cannot be reached. Check the address and the network."));
        case SA_API_ERROR_CERTIFICATE:
          return g_strdup (_("The registry’s certificate is not trusted. Ask your administrator."));
        case SA_API_ERROR_PROTOCOL:
          return g_strdup (_("This address does not answer like a Smart Appeals registry."));
        case SA_API_ERROR_SERVER:
        case SA_API_ERROR_REFUSED:
        default:
          break;
        }
    }
  return g_strdup_printf (_("Could not sign in: %s"), error->message);
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Why @address will not do, or %NULL if it will. Plain HTTP would carry
 * the password and the applicants' data readable across the network; to
 * a registry on this computer there is no network to cross. */
static char *
check_address (const char *address)
{
  g_autoptr(GUri) uri = g_uri_parse (address, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
    return g_strdup (_("The registry address must start with https:// or http://."));
  if (host == NULL || *host == '\0')
    return g_strdup (_("The registry address has no host name."));
  if (g_str_equal (scheme, "http") && !is_loopback_host (host))
    return g_strdup (_("An http:// address would send your password and the applicants’ data "
                       "unencrypted over the network. Use the registry’s https:// address; "
                       "http:// is accepted only for a registry on this computer (localhost, "
                       "127.0.0.1, ::1)."));
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Signing in and the keyring */

static void
store_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SaSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sa_secret_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Without the Secret Service the session works but is not remembered;
       * say so instead of failing the sign-in. */
      g_warning ("Could not store the session in the Secret Service: %s", error->message);
      g_signal_emit (self, signals[KEYRING_FAILED], 0);
    }
}

static void
sa_session_remember (SaSession  *self,
                     const char *refresh_token)
{
  const char *server = sa_api_client_get_base_url (self->client);

  g_settings_set_string (self->settings, "registry-url", server);
  g_settings_set_string (self->settings, "account-login", self->login);
  sa_secret_store_async (server, self->login, refresh_token,
                         self->cancellable, store_secret_cb, g_object_ref (self));
}

/* Signed in (or back from the keyring): open the account's cache, which
 * holds everything the desk shows. */
static void
sa_session_start (SaSession  *self,
                  JsonObject *answer,
                  gboolean    online)
{
  if (self->online != online)
    {
      self->online = online;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
    }
  if (answer != NULL)
    {
      const char *token = json_object_get_string_member_with_default (answer, "refresh_token",
                                                                      NULL);

      sa_session_set_user (self, json_object_get_object_member (answer, "user"));
      g_free (self->refresh_token);
      self->refresh_token = g_strdup (token);
      sa_session_remember (self, token);
    }
  sa_session_set_state (self, SA_SESSION_SIGNED_IN, NULL);
  sa_session_open_cache (self);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SaSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;

  answer = sa_api_client_auth_finish (SA_API_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = describe_error (error);
      sa_session_set_state (self, SA_SESSION_SIGNED_OUT, message);
      return;
    }

  sa_session_start (self, answer, TRUE);
}

/**
 * sa_session_sign_in:
 * @self: a #SaSession
 * @server: the registry's address
 * @login: the login
 * @password: the password
 *
 * Signs in with a password. An address that would carry it unencrypted
 * over the network, or an empty login or password, is refused at once:
 * #SaSession:state stays or becomes %SA_SESSION_SIGNED_OUT with
 * #SaSession:error saying why. Otherwise the session is signing in, and
 * then signed in or signed out with the reason.
 */
void
sa_session_sign_in (SaSession  *self,
                    const char *server,
                    const char *login,
                    const char *password)
{
  g_autofree char *stripped_server = NULL;
  g_autofree char *refusal = NULL;

  g_return_if_fail (SA_IS_SESSION (self));

  stripped_server = g_strstrip (g_strdup (server ? server : ""));
  login = login ? login : "";
  password = password ? password : "";

  refusal = check_address (stripped_server);
  if (refusal == NULL && (*login == '\0' || *password == '\0'))
    refusal = g_strdup (_("Enter your login and password."));
  if (refusal != NULL)
    {
      sa_session_set_state (self, SA_SESSION_SIGNED_OUT, refusal);
      return;
    }

  g_free (self->login);
  self->login = g_strdup (login);
  g_clear_object (&self->client);
  self->client = sa_api_client_new (stripped_server);
  sa_session_set_state (self, SA_SESSION_SIGNING_IN, NULL);
  sa_api_client_login_async (self->client, login, password, self->cancellable,
                             login_cb, g_object_ref (self));
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SaSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;

  answer = sa_api_client_auth_finish (SA_API_CLIENT (object), result, &error);
  if (answer != NULL)
    sa_session_start (self, answer, TRUE);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else if (g_error_matches (error, SA_API_ERROR, SA_API_ERROR_UNAUTHORIZED))
    sa_session_set_state (self, SA_SESSION_SIGNED_OUT, _("Your session has ended. Sign in again."));
  else
    /* The registry is away: work from what is stored on this computer. */
    sa_session_start (self, NULL, FALSE);
}

static void
lookup_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SaSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = sa_secret_lookup_finish (result, &error);
  if (token == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_warning ("Could not read the keyring: %s", error->message);
      sa_session_set_state (self, SA_SESSION_SIGNED_OUT, NULL);
      return;
    }

  /* Kept for an offline start: the sync engine refreshes with it later. */
  g_free (self->refresh_token);
  self->refresh_token = g_strdup (token);
  sa_api_client_refresh_async (self->client, token, self->cancellable, refresh_cb,
                               g_object_ref (self));
}

/**
 * sa_session_restore:
 * @self: a #SaSession
 * @server: (nullable): the registry's address, or %NULL for the remembered one
 * @login: (nullable): the login, or %NULL for the remembered one
 *
 * Signs in to the remembered account with the refresh token the Secret
 * Service keeps for it; with none, the session is signed out with no
 * error. When the registry cannot be reached the account is signed in
 * offline, from its cache.
 */
void
sa_session_restore (SaSession  *self,
                    const char *server,
                    const char *login)
{
  g_autofree char *saved_server = NULL;
  g_autofree char *saved_login = NULL;
  g_autofree char *refusal = NULL;

  g_return_if_fail (SA_IS_SESSION (self));

  saved_server = g_settings_get_string (self->settings, "registry-url");
  saved_login = g_settings_get_string (self->settings, "account-login");
  if (server == NULL)
    server = saved_server;
  if (login == NULL)
    login = saved_login;

  if (*server == '\0' || *login == '\0')
    {
      sa_session_set_state (self, SA_SESSION_SIGNED_OUT, NULL);
      return;
    }
  /* Remembered by an older version, or given on the command line. */
  refusal = check_address (server);
  if (refusal != NULL)
    {
      sa_session_set_state (self, SA_SESSION_SIGNED_OUT, refusal);
      return;
    }

  g_free (self->login);
  self->login = g_strdup (login);
  g_clear_object (&self->client);
  self->client = sa_api_client_new (server);
  sa_session_set_state (self, SA_SESSION_SIGNING_IN, NULL);
  sa_secret_lookup_async (server, login, self->cancellable, lookup_secret_cb,
                          g_object_ref (self));
}

static void
clear_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sa_secret_clear_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not remove the session from the keyring: %s", error->message);
}

/**
 * sa_session_sign_out:
 * @self: a #SaSession
 *
 * Forgets the account: its refresh token leaves the keyring, and its cache
 * (with whatever waited in its outbox) and notifications leave this
 * computer.
 */
void
sa_session_sign_out (SaSession *self)
{
  g_return_if_fail (SA_IS_SESSION (self));

  if (self->client != NULL && self->login != NULL)
    sa_secret_clear_async (sa_api_client_get_base_url (self->client), self->login, NULL,
                           clear_secret_cb, NULL);
  g_settings_set_string (self->settings, "account-login", "");
  /* DESIGN: signing out removes the account's cache from this computer. */
  sa_session_end (self, TRUE);
  sa_session_set_user (self, NULL);
  g_clear_pointer (&self->refresh_token, g_free);
  sa_session_set_state (self, SA_SESSION_SIGNED_OUT, NULL);
}

/* ------------------------------------------------------------------ */
/* The sync engine */

static void
refresh_token_changed_cb (SaSyncEngine *engine,
                          const char   *token,
                          SaSession    *self)
{
  /* The registry rotated it: the old one no longer works. */
  g_free (self->refresh_token);
  self->refresh_token = g_strdup (token);
  sa_secret_store_async (sa_api_client_get_base_url (self->client), self->login, token,
                         self->cancellable, store_secret_cb, g_object_ref (self));
}

static void
sa_session_stop_engine (SaSession *self)
{
  if (self->engine == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->engine, self);
  sa_sync_engine_stop (self->engine);
  g_clear_object (&self->engine);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
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
          sa_session_open_cache (self);
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
        sa_session_set_user (self, user);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE]);

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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE_ERROR]);
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
              sa_session_open_cache (self);
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
  g_signal_emit (self, signals[CACHE_SET_ASIDE], 0, rescue);
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

  sa_session_end (self, FALSE);
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
      sa_session_end (self, FALSE);
      sa_session_set_cache_error (self, error);
      return;
    }
  if (!sound)
    g_warning ("Could not check the cache: %s", error->message);
  sa_session_start_engine (self);
}

static void
sa_session_open_cache (SaSession *self)
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
    sa_session_end (self, FALSE);
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
static void
sa_session_end (SaSession *self,
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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE]);
    }
}

/* ------------------------------------------------------------------ */
/* Accessors */

SaSessionState
sa_session_get_state (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), SA_SESSION_SIGNED_OUT);
  return self->state;
}

/**
 * sa_session_get_error:
 * @self: a #SaSession
 *
 * Returns: (nullable): why the last sign-in did not succeed, in words for
 *   the user, or %NULL
 */
const char *
sa_session_get_error (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), NULL);
  return self->error;
}

/**
 * sa_session_get_server:
 * @self: a #SaSession
 *
 * Returns: (nullable): the registry's address of the last sign-in that got
 *   past the form's checks
 */
const char *
sa_session_get_server (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), NULL);
  return self->client != NULL ? sa_api_client_get_base_url (self->client) : NULL;
}

/**
 * sa_session_get_login:
 * @self: a #SaSession
 *
 * Returns: (nullable): the login that goes with sa_session_get_server()
 */
const char *
sa_session_get_login (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), NULL);
  return self->login;
}

/**
 * sa_session_get_user:
 * @self: a #SaSession
 *
 * Returns: (transfer none) (nullable): the signed-in user as the registry
 *   (or, offline, the cache) describes them: `login`, `full_name`, `agency`,
 *   `role`
 */
JsonObject *
sa_session_get_user (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), NULL);
  return self->user;
}

gboolean
sa_session_get_online (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), FALSE);
  return self->online;
}

/**
 * sa_session_get_client:
 * @self: a #SaSession
 *
 * Returns: (transfer none) (nullable): the registry's client
 */
SaApiClient *
sa_session_get_client (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), NULL);
  return self->client;
}

/**
 * sa_session_get_cache:
 * @self: a #SaSession
 *
 * Returns: (transfer none) (nullable): the signed-in account's cache, once
 *   it is open
 */
SaCache *
sa_session_get_cache (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), NULL);
  return self->cache;
}

/**
 * sa_session_get_loading:
 * @self: a #SaSession
 *
 * Returns: whether the account's cache is being opened (or set aside and
 *   made anew)
 */
gboolean
sa_session_get_loading (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), FALSE);
  return self->opening_path != NULL;
}

/**
 * sa_session_get_cache_error:
 * @self: a #SaSession
 *
 * Returns: (nullable): why the appeals stored on this computer cannot be
 *   opened, in words for the user
 */
const char *
sa_session_get_cache_error (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), NULL);
  return self->cache_error;
}

/**
 * sa_session_get_engine:
 * @self: a #SaSession
 *
 * Returns: (transfer none) (nullable): the sync engine, once the cache has
 *   been checked
 */
SaSyncEngine *
sa_session_get_engine (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), NULL);
  return self->engine;
}

/**
 * sa_session_get_notifier:
 * @self: a #SaSession
 *
 * Returns: (transfer none) (nullable): the desktop notifications about the
 *   account's appeals
 */
SaNotifier *
sa_session_get_notifier (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), NULL);
  return self->notifier;
}

/**
 * sa_session_get_cancellable:
 * @self: a #SaSession
 *
 * Returns: (transfer none): cancelled when the account's cache is let go;
 *   for work on the cache that must not outlive it
 */
GCancellable *
sa_session_get_cancellable (SaSession *self)
{
  g_return_val_if_fail (SA_IS_SESSION (self), NULL);
  return self->account;
}

/* ------------------------------------------------------------------ */
/* GObject */

static void
sa_session_dispose (GObject *object)
{
  SaSession *self = SA_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  sa_session_end (self, FALSE);

  G_OBJECT_CLASS (sa_session_parent_class)->dispose (object);
}

static void
sa_session_finalize (GObject *object)
{
  SaSession *self = SA_SESSION (object);

  g_clear_object (&self->account);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->application);
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->refresh_token, g_free);
  g_clear_pointer (&self->deleting_path, g_free);
  g_clear_pointer (&self->cache_error, g_free);

  G_OBJECT_CLASS (sa_session_parent_class)->finalize (object);
}

static void
sa_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SaSession *self = SA_SESSION (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_USER:
      g_value_set_boxed (value, self->user);
      break;

    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;

    case PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->opening_path != NULL);
      break;

    case PROP_CACHE_ERROR:
      g_value_set_string (value, self->cache_error);
      break;

    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SaSession *self = SA_SESSION (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      sa_session_set_application (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_session_class_init (SaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sa_session_dispose;
  object_class->finalize = sa_session_finalize;
  object_class->get_property = sa_session_get_property;
  object_class->set_property = sa_session_set_property;

  /**
   * SaSession:application:
   *
   * The application the account's desktop notifications are sent from,
   * from the next time the cache opens.
   */
  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, G_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SaSession:state:
   *
   * Signed out, signing in or signed in.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SA_TYPE_SESSION_STATE, SA_SESSION_SIGNED_OUT, flags);

  /**
   * SaSession:error:
   *
   * Why the last sign-in did not succeed, or %NULL; it changes together
   * with #SaSession:state.
   */
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);

  /**
   * SaSession:user:
   *
   * The signed-in user, or %NULL.
   */
  properties[PROP_USER] = g_param_spec_boxed ("user", NULL, NULL, JSON_TYPE_OBJECT, flags);

  /**
   * SaSession:online:
   *
   * Whether the registry answered the last sign-in; %FALSE when the
   * account was opened from this computer alone.
   */
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE, flags);

  /**
   * SaSession:cache:
   *
   * The signed-in account's cache, or %NULL before it is open and after
   * sign-out.
   */
  properties[PROP_CACHE] = g_param_spec_object ("cache", NULL, NULL, SA_TYPE_CACHE, flags);

  /**
   * SaSession:loading:
   *
   * Whether the account's cache is being opened.
   */
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, flags);

  /**
   * SaSession:cache-error:
   *
   * Why the appeals stored on this computer cannot be opened, or %NULL.
   */
  properties[PROP_CACHE_ERROR] = g_param_spec_string ("cache-error", NULL, NULL, NULL, flags);

  /**
   * SaSession:engine:
   *
   * The sync engine on the cache, or %NULL.
   */
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, SA_TYPE_SYNC_ENGINE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SaSession::cache-set-aside:
   * @self: a #SaSession
   * @rescue: (type gpointer): the #SaCacheRescue: where the damaged copy
   *   went and how many unsent changes were kept
   *
   * The cache was damaged and has been set aside; a new one is being
   * loaded from the registry. The user must be told.
   */
  signals[CACHE_SET_ASIDE] =
    g_signal_new ("cache-set-aside", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * SaSession::keyring-failed:
   * @self: a #SaSession
   *
   * The sign-in could not be saved in the Secret Service: it works, but
   * will be asked for again next time.
   */
  signals[KEYRING_FAILED] =
    g_signal_new ("keyring-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sa_session_init (SaSession *self)
{
  self->settings = g_settings_new ("kz.almaty.SmartAppeals");
  self->cancellable = g_cancellable_new ();
  self->account = g_cancellable_new ();
}
