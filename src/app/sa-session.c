/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-session"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-session-private.h"

/* One account's life on this computer, apart from any window: signing in
 * (with the password, or with the refresh token the Secret Service keeps),
 * the account's cache from opening to sign-out (a damaged one set aside and
 * rebuilt; sa-session-cache.c), the sync engine on it and the desktop
 * notifications about it. GTK-free: the window listens to its properties
 * and draws them. */

G_DEFINE_FINAL_TYPE (SaSession, sa_session, G_TYPE_OBJECT)

enum {
  CACHE_SET_ASIDE,
  KEYRING_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[SA_SESSION_N_PROPS];
static guint signals[N_SIGNALS];

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
    g_object_notify_by_pspec (G_OBJECT (self), properties[SA_SESSION_PROP_APPLICATION]);
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
      g_object_notify_by_pspec (G_OBJECT (self), properties[SA_SESSION_PROP_ERROR]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[SA_SESSION_PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
_sa_session_set_user (SaSession  *self,
                      JsonObject *user)
{
  if (user == self->user)
    return;
  if (user != NULL)
    json_object_ref (user);
  g_clear_pointer (&self->user, json_object_unref);
  self->user = user;
  g_object_notify_by_pspec (G_OBJECT (self), properties[SA_SESSION_PROP_USER]);
}

void
_sa_session_notify (SaSession     *self,
                    SaSessionProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_sa_session_cache_set_aside (SaSession     *self,
                             SaCacheRescue *rescue)
{
  g_signal_emit (self, signals[CACHE_SET_ASIDE], 0, rescue);
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

/* A new refresh token for the signed-in account, into the keyring. */
void
_sa_session_keep_token (SaSession  *self,
                        const char *token)
{
  g_free (self->refresh_token);
  self->refresh_token = g_strdup (token);
  sa_secret_store_async (sa_api_client_get_base_url (self->client), self->login, token,
                         self->cancellable, store_secret_cb, g_object_ref (self));
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
      g_object_notify_by_pspec (G_OBJECT (self), properties[SA_SESSION_PROP_ONLINE]);
    }
  if (answer != NULL)
    {
      const char *token = json_object_get_string_member_with_default (answer, "refresh_token",
                                                                      NULL);

      _sa_session_set_user (self, json_object_get_object_member (answer, "user"));
      g_free (self->refresh_token);
      self->refresh_token = g_strdup (token);
      sa_session_remember (self, token);
    }
  sa_session_set_state (self, SA_SESSION_SIGNED_IN, NULL);
  _sa_session_open_cache (self);
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
  _sa_session_end (self, TRUE);
  _sa_session_set_user (self, NULL);
  g_clear_pointer (&self->refresh_token, g_free);
  sa_session_set_state (self, SA_SESSION_SIGNED_OUT, NULL);
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
  _sa_session_end (self, FALSE);

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
    case SA_SESSION_PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;

    case SA_SESSION_PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case SA_SESSION_PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case SA_SESSION_PROP_USER:
      g_value_set_boxed (value, self->user);
      break;

    case SA_SESSION_PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;

    case SA_SESSION_PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;

    case SA_SESSION_PROP_LOADING:
      g_value_set_boolean (value, self->opening_path != NULL);
      break;

    case SA_SESSION_PROP_CACHE_ERROR:
      g_value_set_string (value, self->cache_error);
      break;

    case SA_SESSION_PROP_ENGINE:
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
    case SA_SESSION_PROP_APPLICATION:
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
  properties[SA_SESSION_PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, G_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SaSession:state:
   *
   * Signed out, signing in or signed in.
   */
  properties[SA_SESSION_PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SA_TYPE_SESSION_STATE, SA_SESSION_SIGNED_OUT, flags);

  /**
   * SaSession:error:
   *
   * Why the last sign-in did not succeed, or %NULL; it changes together
   * with #SaSession:state.
   */
  properties[SA_SESSION_PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);

  /**
   * SaSession:user:
   *
   * The signed-in user, or %NULL.
   */
  properties[SA_SESSION_PROP_USER] =
    g_param_spec_boxed ("user", NULL, NULL, JSON_TYPE_OBJECT, flags);

  /**
   * SaSession:online:
   *
   * Whether the registry answered the last sign-in; %FALSE when the
   * account was opened from this computer alone.
   */
  properties[SA_SESSION_PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE, flags);

  /**
   * SaSession:cache:
   *
   * The signed-in account's cache, or %NULL before it is open and after
   * sign-out.
   */
  properties[SA_SESSION_PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL, SA_TYPE_CACHE, flags);

  /**
   * SaSession:loading:
   *
   * Whether the account's cache is being opened.
   */
  properties[SA_SESSION_PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, flags);

  /**
   * SaSession:cache-error:
   *
   * Why the appeals stored on this computer cannot be opened, or %NULL.
   */
  properties[SA_SESSION_PROP_CACHE_ERROR] =
    g_param_spec_string ("cache-error", NULL, NULL, NULL, flags);

  /**
   * SaSession:engine:
   *
   * The sync engine on the cache, or %NULL.
   */
  properties[SA_SESSION_PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, SA_TYPE_SYNC_ENGINE, flags);

  g_object_class_install_properties (object_class, SA_SESSION_N_PROPS, properties);

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
