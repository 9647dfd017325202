/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-auth"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "sa-registry-store.h"

/* Access tokens live 15 minutes; refresh tokens 30 days and are rotated
 * on every use. */
#define REFRESH_TTL  (30 * 24 * 3600)

/* Sign-in throttling (see login_handler). Each counter lets FREE failures
 * through, then each further attempt within BASE_DELAY × 2^(n - FREE) s
 * (at most MAX_DELAY) of the last one answers 429 with Retry-After:
 * - PAIR: one address guessing one login: the guesser's own budget;
 * - ADDR: one address trying many logins (password spraying);
 * - LOGIN: one login guessed from many addresses; looser, and an address
 *   the login signed in from within TRUST_FOR is not held back by it, so
 *   that strangers cannot lock a user out. */
#define PAIR_FREE    3
#define ADDR_FREE    20
#define LOGIN_FREE   50
#define BASE_DELAY   30
#define MAX_DELAY    300
#define FORGET_AFTER 3600
#define TRUST_FOR    (30 * 24 * 3600)
/* Entries are dropped when looked up after FORGET_AFTER, and all stale
 * ones every SWEEP_EVERY new entries. */
#define SWEEP_EVERY  4096

/* Logins: see _sa_registry_login_is_valid(). */
#define LOGIN_MIN_CHARS 2
#define LOGIN_MAX_CHARS 64
/* Longer login strings are refused before any lookup. */
#define LOGIN_INPUT_MAX 256

/* Passwords: see _sa_registry_password_check(). */
#define PASSWORD_MIN_CHARS    10
#define PASSWORD_MAX_BYTES    1024
#define PASSWORD_MIN_DISTINCT 4
#define WEAK_PASSWORDS_RESOURCE "/kz/almaty/SmartAppeals/registry/weak-passwords.txt"

void sa_registry_auth_register_resource (void);

typedef struct
{
  guint  failures;   /* attempts counted and not given back by a success */
  gint64 last_at;
} SaThrottle;

static GHashTable *throttle_pairs;   /* "address\x1flogin" → SaThrottle */
static GHashTable *throttle_addrs;   /* address → SaThrottle */
static GHashTable *throttle_logins;  /* login → SaThrottle */
static GHashTable *trusted_pairs;    /* "address\x1flogin" → gint64 last success */
static guint throttle_inserts;
static char *dummy_hash;
static GThreadPool *hash_pool;

static void
ensure_sodium (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      if (sodium_init () < 0)
        g_error ("libsodium failed to initialise");
      g_once_init_leave (&done, 1);
    }
}

gboolean
_sa_registry_role_is_valid (const char *role)
{
  return sa_role_from_string (role, NULL);
}

/**
 * _sa_registry_password_hash:
 * @password: the password
 * @error: return location for a #GError
 *
 * Hashes with Argon2id at libsodium's INTERACTIVE preset (64 MiB, 2
 * passes): the MODERATE preset (256 MiB) measured a 521 ms p95 login on
 * the 2-core reference machine, above the 300 ms budget. The environment
 * variable SA_REGISTRY_PWHASH=fast selects the minimum cost; it exists
 * for the test suite only and must never be set in production.
 *
 * Returns: (transfer full): the encoded hash, or %NULL
 */
char *
_sa_registry_password_hash (const char  *password,
                            GError     **error)
{
  char out[crypto_pwhash_STRBYTES];
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

  ensure_sodium ();
  if (g_strcmp0 (g_getenv ("SA_REGISTRY_PWHASH"), "fast") == 0)
    {
      ops = crypto_pwhash_OPSLIMIT_MIN;
      mem = crypto_pwhash_MEMLIMIT_MIN;
    }
  if (crypto_pwhash_str (out, password, strlen (password), ops, mem) != 0)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_DB,
                   "Out of memory while hashing the password");
      return NULL;
    }
  return g_strdup (out);
}

/**
 * _sa_registry_login_is_valid:
 * @login: (nullable): a login
 *
 * The one rule for logins: 2 to 64 lower-case Latin letters, digits, '.',
 * '-' and '_', beginning with a letter or a digit. Lower case only, so
 * that two accounts never differ only in case; nothing else, so that no
 * control character, space or look-alike letter gets into a login, a log
 * line or a history entry.
 *
 * Returns: %TRUE if @login follows the rule
 */
gboolean
_sa_registry_login_is_valid (const char *login)
{
  gsize n;

  if (login == NULL)
    return FALSE;
  n = strlen (login);
  if (n < LOGIN_MIN_CHARS || n > LOGIN_MAX_CHARS ||
      !(g_ascii_islower (login[0]) || g_ascii_isdigit (login[0])))
    return FALSE;
  for (const char *p = login; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* The casefolded entries of data/registry/weak-passwords.txt. */
static gpointer
load_weak_passwords (gpointer data)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *contents;

  /* Registered here, once: a static library would let the linker drop
   * a constructor. */
  sa_registry_auth_register_resource ();
  bytes = g_resources_lookup_data (WEAK_PASSWORDS_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  /* Built into this program: missing only if the build is broken. */
  g_assert (bytes != NULL);
  contents = g_bytes_get_data (bytes, &len);
  text = g_strndup (contents, len);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line != '\0' && *line != '#' && g_utf8_validate (line, -1, NULL))
        g_hash_table_add (set, g_utf8_casefold (line, -1));
    }
  return set;
}

static gboolean
password_is_known_weak (const char *folded)
{
  static GOnce once = G_ONCE_INIT;
  GHashTable *set = g_once (&once, load_weak_passwords, NULL);

  return g_hash_table_contains (set, folded);
}

/**
 * _sa_registry_password_check:
 * @login: the account's login
 * @password: the password to be set
 * @error: return location for a #GError (%SA_REGISTRY_ERROR_INVALID)
 *
 * The password policy, for every place a password is set: at least 10
 * characters (up to 1024 bytes of UTF-8), at least 4 different ones, not
 * containing the login, and not on the list of known weak passwords
 * (data/registry/weak-passwords.txt); case does not matter in the last
 * two. The message says which rule failed and what to do.
 *
 * Returns: %TRUE if @password may be set
 */
gboolean
_sa_registry_password_check (const char  *login,
                             const char  *password,
                             GError     **error)
{
  g_autofree char *folded = NULL;
  g_autofree char *folded_login = NULL;
  g_autoptr(GHashTable) distinct = NULL;

  if (password == NULL || !g_utf8_validate (password, -1, NULL) ||
      strlen (password) > PASSWORD_MAX_BYTES)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                   "the password must be UTF-8 text of at most %d bytes", PASSWORD_MAX_BYTES);
      return FALSE;
    }
  if (g_utf8_strlen (password, -1) < PASSWORD_MIN_CHARS)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                   "the password is too short: use at least %d characters (a few unrelated "
                   "words make a good one)", PASSWORD_MIN_CHARS);
      return FALSE;
    }
  distinct = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (const char *p = password; *p != '\0'; p = g_utf8_next_char (p))
    g_hash_table_add (distinct, GUINT_TO_POINTER (g_utf8_get_char (p)));
  if (g_hash_table_size (distinct) < PASSWORD_MIN_DISTINCT)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                   "the password repeats too few characters: use at least %d different ones",
                   PASSWORD_MIN_DISTINCT);
      return FALSE;
    }
  folded = g_utf8_casefold (password, -1);
  folded_login = g_utf8_casefold (login != NULL ? login : "", -1);
  if (*folded_login != '\0' && strstr (folded, folded_login) != NULL)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                   "the password must not contain the login “%s”", login);
      return FALSE;
    }
  if (password_is_known_weak (folded))
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                   "this password is on the list of passwords that are guessed first; "
                   "choose another");
      return FALSE;
    }
  return TRUE;
}

/* Whether an account has @login, in any case: logins are unique without
 * regard to case (an older database may hold upper-case ones). */
/**
 * _sa_registry_user_add:
 * @db: the database
 * @login: the login
 * @full_name: (nullable): the person's name
 * @agency: an agency code
 * @role: a role
 * @password: the password
 * @error: return location for a #GError
 *
 * Adds an account in its own transaction, with its feed entry. The login
 * must follow _sa_registry_login_is_valid() and be new in any case; the
 * password must pass _sa_registry_password_check().
 *
 * Returns: %TRUE on success
 */
gboolean
_sa_registry_user_add (SaRegistryDb  *db,
                       const char    *login,
                       const char    *full_name,
                       const char    *agency,
                       const char    *role,
                       const char    *password,
                       GError       **error)
{
  g_autofree char *hash = NULL;
  gboolean taken = FALSE;

  if (!_sa_registry_role_is_valid (role))
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                   "unknown role “%s”; use executor, supervisor, curator, operator, "
                   "ksk_manager or admin", role);
      return FALSE;
    }
  if (!sa_store_agency_exists (db, agency))
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                   "no agency has the code “%s”", agency);
      return FALSE;
    }
  if (!_sa_registry_login_is_valid (login))
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                   "invalid login: %s", SA_REGISTRY_LOGIN_RULE);
      return FALSE;
    }
  if (!sa_store_user_login_taken (db, login, &taken, error))
    return FALSE;
  if (taken)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_EXISTS,
                   "the login “%s” is taken", login);
      return FALSE;
    }
  if (!_sa_registry_password_check (login, password, error))
    return FALSE;

  hash = _sa_registry_password_hash (password, error);
  if (hash == NULL)
    return FALSE;
  return sa_store_user_insert (db, login, full_name != NULL ? full_name : login, agency, role,
                               hash, _sa_registry_now (), error);
}

/**
 * _sa_registry_user_set_password:
 * @db: the database
 * @login: an existing account's login
 * @password: the new password
 * @error: return location for a #GError
 *
 * Sets a password that passes _sa_registry_password_check() and ends the
 * account's sessions, in one transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
_sa_registry_user_set_password (SaRegistryDb  *db,
                                const char    *login,
                                const char    *password,
                                GError       **error)
{
  g_autoptr(SaRegistryUser) user = _sa_registry_user_lookup (db, login);
  g_autofree char *hash = NULL;

  if (user == NULL)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_NOT_FOUND,
                   "no account has the login “%s”", login);
      return FALSE;
    }
  if (!_sa_registry_password_check (user->login, password, error))
    return FALSE;
  hash = _sa_registry_password_hash (password, error);
  if (hash == NULL)
    return FALSE;
  return sa_store_user_set_pwhash (db, user->id, hash, error);
}

static char *
token_new (void)
{
  guchar raw[32];

  ensure_sodium ();
  randombytes_buf (raw, sizeof raw);
  return g_base64_encode (raw, sizeof raw);
}

static char *
token_digest (const char *token)
{
  guchar digest[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];

  crypto_hash_sha256 (digest, (const guchar *) token, strlen (token));
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  return g_strdup (hex);
}

SaRegistryUser *
_sa_registry_auth_resolve (SaRegistryDb *db,
                           const char   *access_token)
{
  g_autofree char *digest = NULL;

  if (*access_token == '\0' || strlen (access_token) > SA_REGISTRY_MAX_TOKEN)
    return NULL;

  digest = token_digest (access_token);
  return sa_store_session_user (db, digest, _sa_registry_now ());
}

/* Issues an access and a refresh token in @family (a new family when
 * NULL) and answers the request with them; committed before the answer. */
static void
reply_with_tokens (SaRequest      *req,
                   SaRegistryUser *user,
                   const char     *old_refresh_digest,
                   const char     *family)
{
  g_autofree char *access = token_new ();
  g_autofree char *refresh = token_new ();
  g_autofree char *new_family = NULL;
  g_autofree char *access_digest = NULL;
  g_autofree char *refresh_digest = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  gint64 now = _sa_registry_now ();

  if (family == NULL)
    family = new_family = g_uuid_string_random ();

  access_digest = token_digest (access);
  refresh_digest = token_digest (refresh);
  if (!sa_store_session_issue (req->db, user->id, family, old_refresh_digest, access_digest,
                               now + sa_registry_server_get_access_ttl (req->server),
                               refresh_digest, now + REFRESH_TTL, &error))
    {
      sa_request_reply_gerror (req, error);
      return;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "access_token");
  json_builder_add_string_value (b, access);
  json_builder_set_member_name (b, "refresh_token");
  json_builder_add_string_value (b, refresh);
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "Bearer");
  json_builder_set_member_name (b, "expires_in");
  json_builder_add_int_value (b, sa_registry_server_get_access_ttl (req->server));
  json_builder_set_member_name (b, "user");
  _sa_registry_user_to_json (user, b);
  json_builder_end_object (b);
  sodium_memzero (access, strlen (access));
  sodium_memzero (refresh, strlen (refresh));
  sa_request_reply_builder (req, SOUP_STATUS_OK, b);
}

static SaThrottle *
throttle_get (GHashTable *table,
              const char *key,
              gint64      now)
{
  SaThrottle *t = g_hash_table_lookup (table, key);

  if (t != NULL && now - t->last_at > FORGET_AFTER)
    {
      g_hash_table_remove (table, key);
      t = NULL;
    }
  return t;
}

static gint64
throttle_wait (GHashTable *table,
               const char *key,
               guint       free_failures,
               gint64      now)
{
  SaThrottle *t = throttle_get (table, key, now);
  gint64 delay;

  if (t == NULL || t->failures < free_failures)
    return 0;
  delay = MIN ((gint64) BASE_DELAY << MIN (t->failures - free_failures, 16), MAX_DELAY);
  return MAX (0, t->last_at + delay - now);
}

static void
throttle_sweep (gint64 now)
{
  GHashTable *tables[] = { throttle_pairs, throttle_addrs, throttle_logins };
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_hash_table_iter_init (&iter, tables[i]);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (now - ((SaThrottle *) value)->last_at > FORGET_AFTER)
          g_hash_table_iter_remove (&iter);
    }
  g_hash_table_iter_init (&iter, trusted_pairs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (now - *(gint64 *) value > TRUST_FOR)
      g_hash_table_iter_remove (&iter);
}

/* Counts one attempt against @key. */
static void
throttle_count (GHashTable *table,
                const char *key,
                gint64      now)
{
  SaThrottle *t = throttle_get (table, key, now);

  if (t == NULL)
    {
      if (++throttle_inserts % SWEEP_EVERY == 0)
        throttle_sweep (now);
      t = g_new0 (SaThrottle, 1);
      g_hash_table_insert (table, g_strdup (key), t);
    }
  t->failures++;
  t->last_at = now;
}

/* Gives back the attempt a success had counted. */
static void
throttle_give_back (GHashTable *table,
                    const char *key)
{
  SaThrottle *t = g_hash_table_lookup (table, key);

  if (t != NULL && t->failures > 0)
    t->failures--;
}

static void
ensure_throttle_tables (void)
{
  if (throttle_pairs == NULL)
    {
      throttle_pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      throttle_addrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      throttle_logins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      trusted_pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }
}

/* For tests that need a clean slate between cases. */
void
_sa_registry_auth_reset_throttle (void)
{
  ensure_throttle_tables ();
  g_hash_table_remove_all (throttle_pairs);
  g_hash_table_remove_all (throttle_addrs);
  g_hash_table_remove_all (throttle_logins);
  g_hash_table_remove_all (trusted_pairs);
}

/* The address a client's attempts count under. An IPv6 client holds the
 * whole /64 its network hands out, so the /64 counts as one address. */
static char *
address_key (const char *remote)
{
  g_autoptr(GInetAddress) addr = NULL;
  guint8 bytes[16];

  if (remote == NULL)
    return g_strdup ("?");
  addr = g_inet_address_new_from_string (remote);
  if (addr == NULL || g_inet_address_get_family (addr) != G_SOCKET_FAMILY_IPV6)
    return g_strdup (remote);
  memcpy (bytes, g_inet_address_to_bytes (addr), sizeof bytes);
  /* An IPv4 peer on a dual-stack socket (::ffff:a.b.c.d) is itself. */
  if (memcmp (bytes, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) != 0)
    {
      g_autoptr(GInetAddress) prefix = NULL;
      g_autofree char *text = NULL;

      memset (bytes + 8, 0, 8);
      prefix = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV6);
      text = g_inet_address_to_string (prefix);
      return g_strconcat (text, "/64", NULL);
    }
  return g_strdup (remote);
}

typedef struct
{
  SaRequest      *req;
  SaRegistryUser *user;     /* NULL when the login is unknown */
  char           *pwhash;
  char           *password;
  char           *pair_key;
  char           *addr_key;
  char           *login_key;
} LoginData;

static void
login_data_free (LoginData *d)
{
  g_clear_pointer (&d->user, sa_registry_user_free);
  g_free (d->pwhash);
  if (d->password != NULL)
    {
      sodium_memzero (d->password, strlen (d->password));
      g_free (d->password);
    }
  g_free (d->pair_key);
  g_free (d->addr_key);
  g_free (d->login_key);
  g_free (d);
}

static void
verify_worker (gpointer data,
               gpointer user_data)
{
  GTask *task = data;
  LoginData *d = g_task_get_task_data (task);
  gboolean ok;

  ok = crypto_pwhash_str_verify (d->pwhash, d->password, strlen (d->password)) == 0;
  g_task_return_boolean (task, ok);
  g_object_unref (task);
}

static void
login_verified (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LoginData *d = g_task_get_task_data (G_TASK (result));
  SaRequest *req = d->req;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), NULL);
  gint64 now = _sa_registry_now ();
  gint64 *trusted_at;

  /* A failure was counted when the attempt came in. */
  if (!ok || d->user == NULL)
    {
      sa_request_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials",
                              "The login or the password is wrong.");
      return;
    }

  /* The right password: give the attempt back, clear this address's
   * failures for the login, and remember the address as the user's own
   * (see LOGIN_FREE). Failures from elsewhere stay counted. */
  g_hash_table_remove (throttle_pairs, d->pair_key);
  throttle_give_back (throttle_addrs, d->addr_key);
  throttle_give_back (throttle_logins, d->login_key);
  trusted_at = g_new (gint64, 1);
  *trusted_at = now;
  g_hash_table_replace (trusted_pairs, g_strdup (d->pair_key), trusted_at);

  if (d->user->disabled)
    {
      sa_request_reply_error (req, SOUP_STATUS_FORBIDDEN, "account_disabled",
                              "This account is disabled; ask your agency's administrator.");
      return;
    }
  reply_with_tokens (req, d->user, NULL, NULL);
}

static gboolean
pair_is_trusted (const char *pair_key,
                 gint64      now)
{
  gint64 *at = g_hash_table_lookup (trusted_pairs, pair_key);

  return at != NULL && now - *at <= TRUST_FOR;
}

/* Every attempt is counted when it arrives, before its hash is even
 * queued: the check and the count are one step on the main loop, so 300
 * concurrent guesses see each other's counts and only the free ones are
 * verified. A success gives its count back. An unknown login is counted,
 * throttled, hashed and answered exactly like a known one with a wrong
 * password, so neither the answer, the 429 nor the timing tells which
 * logins exist. */
static void
login_handler (SaRequest *req)
{
  JsonObject *obj = json_node_get_object (req->body);
  const char *login = _sa_registry_json_string (obj, "login");
  const char *password = _sa_registry_json_string (obj, "password");
  g_autoptr(GTask) task = NULL;
  g_autofree char *login_key = NULL;
  g_autofree char *addr_key = NULL;
  g_autofree char *pair_key = NULL;
  LoginData *d;
  gint64 now = _sa_registry_now ();
  gint64 wait;

  ensure_throttle_tables ();
  if (login == NULL || password == NULL || *login == '\0' ||
      strlen (login) > LOGIN_INPUT_MAX || strlen (password) > PASSWORD_MAX_BYTES)
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "Send \"login\" and \"password\" as strings.");
      return;
    }

  /* Logins are compared without regard to case; so are their counts. */
  login_key = g_ascii_strdown (login, -1);
  addr_key = address_key (req->remote);
  pair_key = g_strconcat (addr_key, "\x1f", login_key, NULL);

  wait = MAX (throttle_wait (throttle_pairs, pair_key, PAIR_FREE, now),
              throttle_wait (throttle_addrs, addr_key, ADDR_FREE, now));
  if (!pair_is_trusted (pair_key, now))
    wait = MAX (wait, throttle_wait (throttle_logins, login_key, LOGIN_FREE, now));
  if (wait > 0)
    {
      g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT, wait);
      g_autofree char *message =
        g_strdup_printf ("Too many failed sign-ins; wait %" G_GINT64_FORMAT
                         " seconds and try again.", wait);

      sa_request_set_header (req, "Retry-After", retry);
      sa_request_reply_error (req, 429, "too_many_attempts",
                              message);
      return;
    }
  throttle_count (throttle_pairs, pair_key, now);
  throttle_count (throttle_addrs, addr_key, now);
  throttle_count (throttle_logins, login_key, now);

  d = g_new0 (LoginData, 1);
  d->req = req;
  d->password = g_strdup (password);
  d->pair_key = g_steal_pointer (&pair_key);
  d->addr_key = g_steal_pointer (&addr_key);
  d->login_key = g_steal_pointer (&login_key);
  d->user = sa_store_user_credentials (req->db, login, &d->pwhash);
  /* An unknown login costs the same hash as a known one. */
  if (d->pwhash == NULL)
    d->pwhash = g_strdup (dummy_hash);

  if (hash_pool == NULL)
    hash_pool = g_thread_pool_new (verify_worker, NULL, MAX (1, g_get_num_processors ()),
                                   FALSE, NULL);
  sa_request_pause (req);
  task = g_task_new (NULL, NULL, login_verified, NULL);
  g_task_set_task_data (task, d, (GDestroyNotify) login_data_free);
  g_thread_pool_push (hash_pool, g_object_ref (task), NULL);
}

static void
refresh_handler (SaRequest *req)
{
  JsonObject *obj = json_node_get_object (req->body);
  const char *token = _sa_registry_json_string (obj, "refresh_token");
  g_autofree char *digest = NULL;
  g_autofree char *family = NULL;
  g_autoptr(SaRegistryUser) user = NULL;
  g_autoptr(GError) error = NULL;
  gboolean revoked = FALSE;
  gint64 expires_at = 0;
  gint64 user_id = 0;

  if (token == NULL || strlen (token) > 256)
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "Send \"refresh_token\" as a string.");
      return;
    }
  digest = token_digest (token);
  if (!sa_store_refresh_token_lookup (req->db, digest, &user_id, &family, &revoked, &expires_at,
                                      &error))
    {
      sa_request_reply_gerror (req, error);
      return;
    }

  if (family == NULL || expires_at <= _sa_registry_now ())
    {
      sa_request_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_token",
                              "The refresh token is unknown or expired; sign in again.");
      return;
    }
  if (revoked)
    {
      /* A used refresh token came back: someone holds a copy. End the
       * whole session, the legitimate holder's tokens included. */
      if (!sa_store_session_end (req->db, family, &error))
        {
          sa_request_reply_gerror (req, error);
          return;
        }
      g_message ("A revoked refresh token was reused; the session was ended");
      sa_request_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "token_reused",
                              "This refresh token was already used, so the session was "
                              "ended for safety; sign in again.");
      return;
    }

  if (!sa_store_user_get_by_id (req->db, user_id, &user, &error))
    {
      sa_request_reply_gerror (req, error);
      return;
    }
  if (user == NULL || user->disabled)
    {
      sa_request_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "account_disabled",
                              "This account is disabled; ask your agency's administrator.");
      return;
    }
  reply_with_tokens (req, user, digest, family);
}

static void
logout_handler (SaRequest *req)
{
  g_autofree char *digest = NULL;
  g_autofree char *family = NULL;
  g_autoptr(GError) error = NULL;

  /* The token the server signed this request in with, parsed once. */
  digest = token_digest (req->token);
  if (!sa_store_session_family (req->db, digest, &family, &error))
    {
      sa_request_reply_gerror (req, error);
      return;
    }

  if (family != NULL && !sa_store_session_end (req->db, family, &error))
    {
      sa_request_reply_gerror (req, error);
      return;
    }
  {
    g_autoptr(JsonBuilder) b = json_builder_new ();

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "status");
    json_builder_add_string_value (b, "signed_out");
    json_builder_end_object (b);
    sa_request_reply_builder (req, SOUP_STATUS_OK, b);
  }
}

static void
me_handler (SaRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  _sa_registry_user_to_json (req->user, b);
  sa_request_reply_builder (req, SOUP_STATUS_OK, b);
}

void
_sa_registry_auth_register (SaRegistryServer *server)
{
  ensure_sodium ();
  ensure_throttle_tables ();
  /* Made before serving, so that no hash ever runs on the main loop. */
  if (dummy_hash == NULL)
    dummy_hash = _sa_registry_password_hash ("not a password", NULL);
  sa_registry_server_add_route (server, "POST", "/api/v1/auth/login",
                                SA_ROUTE_PUBLIC | SA_ROUTE_JSON_BODY, login_handler);
  sa_registry_server_add_route (server, "POST", "/api/v1/auth/refresh",
                                SA_ROUTE_PUBLIC | SA_ROUTE_JSON_BODY, refresh_handler);
  sa_registry_server_add_route (server, "POST", "/api/v1/auth/logout", SA_ROUTE_DEFAULT,
                                logout_handler);
  sa_registry_server_add_route (server, "GET", "/api/v1/me", SA_ROUTE_DEFAULT, me_handler);
}
