/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "sa-test-files.h"
#include "sa-session.h"
#include "sa-test-spawn.h"

/* SaSession on its own, without a window, against a real registry on
 * 127.0.0.1: the states it goes through, in order, as a user signs in,
 * out and back in; what it holds in each (the user, the cache on disk,
 * the sync engine); and the sign-ins it refuses and why. */

#define LOGIN    "executor.almaty-teplo"
#define PASSWORD "demo-executor"

static SaTestSpawnedRegistry registry;
static GApplication *app;
static char *data_dir;

typedef struct
{
  SaSession *session;
  GString   *states;  /* each state the session entered, space-separated */
} Fixture;

static void
state_cb (SaSession *session,
          GParamSpec *pspec,
          Fixture   *f)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SA_TYPE_SESSION_STATE);
  GEnumValue *value = g_enum_get_value (klass, sa_session_get_state (session));

  if (f->states->len > 0)
    g_string_append_c (f->states, ' ');
  g_string_append (f->states, value->value_nick);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->session = sa_session_new (app);
  f->states = g_string_new (NULL);
  g_signal_connect (f->session, "notify::state", G_CALLBACK (state_cb), f);
}

static void
wait_until (gboolean   (*done) (Fixture *f),
            Fixture     *f,
            const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (f))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s (states: %s)", what, f->states->str);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static const char *cache_path;

static gboolean
cache_deleted (Fixture *f)
{
  return !g_file_test (cache_path, G_FILE_TEST_EXISTS);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gpointer weak = f->session;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  SaCache *cache = sa_session_get_cache (f->session);
  g_autofree char *path = cache != NULL ? g_strdup (sa_cache_get_path (cache)) : NULL;

  /* Signed out, so that the next test starts from an empty keyring and
   * no cache. */
  sa_session_sign_out (f->session);
  cache_path = path;
  if (path != NULL)
    wait_until (cache_deleted, f, "the signed-out account's cache to be deleted");
  g_signal_handlers_disconnect_by_data (f->session, f);
  g_object_add_weak_pointer (G_OBJECT (f->session), &weak);
  g_object_unref (f->session);
  /* What is in flight (the keyring) lets go of it. */
  while (weak != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (weak);
  g_string_free (f->states, TRUE);
}


static gboolean
settled (Fixture *f)
{
  return sa_session_get_state (f->session) != SA_SESSION_SIGNING_IN;
}

static gboolean
syncing (Fixture *f)
{
  SaSyncEngine *engine = sa_session_get_engine (f->session);

  return engine != NULL && sa_sync_engine_get_state (engine) == SA_SYNC_STATE_SYNCED;
}

/* How many appeals the cache shows under "All Appeals". */
static guint
n_cached (SaCache *cache)
{
  g_autoptr(SaAppealList) list = sa_appeal_list_new (cache);
  guint counts[SA_APPEAL_N_SECTIONS] = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (sa_appeal_list_get_section_counts (list, counts, &error));
  g_assert_no_error (error);
  return counts[SA_APPEAL_SECTION_ALL];
}

static void
assert_signed_in (Fixture *f)
{
  JsonObject *user = sa_session_get_user (f->session);
  SaCache *cache = sa_session_get_cache (f->session);

  g_assert_cmpint (sa_session_get_state (f->session), ==, SA_SESSION_SIGNED_IN);
  g_assert_null (sa_session_get_error (f->session));
  g_assert_true (sa_session_get_online (f->session));
  g_assert_cmpstr (sa_session_get_login (f->session), ==, LOGIN);
  g_assert_cmpstr (sa_session_get_server (f->session), ==, registry.url);
  g_assert_nonnull (user);
  g_assert_cmpstr (json_object_get_string_member (user, "login"), ==, LOGIN);
  g_assert_nonnull (cache);
  g_assert_false (sa_session_get_loading (f->session));
  g_assert_true (g_file_test (sa_cache_get_path (cache), G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (sa_session_get_notifier (f->session));
}

static void
test_sign_out_and_back_in (Fixture       *f,
                           gconstpointer  data)
{
  /* Signing in goes signing-in → signed-in and opens the account's cache with the engine syncing into it; signing out goes to signed-out with no error, lets go of all of it and deletes the cache from disk; signing back in goes the same way again, into a cache loaded afresh. */
  g_autofree char *path = NULL;
  guint n_appeals;

  g_assert_cmpint (sa_session_get_state (f->session), ==, SA_SESSION_SIGNED_OUT);
  g_assert_null (sa_session_get_cache (f->session));

  sa_session_sign_in (f->session, registry.url, LOGIN, PASSWORD);
  g_assert_cmpint (sa_session_get_state (f->session), ==, SA_SESSION_SIGNING_IN);
  wait_until (syncing, f, "the first sync");
  g_assert_cmpstr (f->states->str, ==, "signing-in signed-in");
  assert_signed_in (f);
  path = g_strdup (sa_cache_get_path (sa_session_get_cache (f->session)));
  n_appeals = n_cached (sa_session_get_cache (f->session));
  g_assert_cmpuint (n_appeals, >, 0);

  sa_session_sign_out (f->session);
  g_assert_cmpstr (f->states->str, ==, "signing-in signed-in signed-out");
  g_assert_cmpint (sa_session_get_state (f->session), ==, SA_SESSION_SIGNED_OUT);
  g_assert_null (sa_session_get_error (f->session));
  g_assert_null (sa_session_get_user (f->session));
  g_assert_null (sa_session_get_cache (f->session));
  g_assert_null (sa_session_get_engine (f->session));
  g_assert_null (sa_session_get_notifier (f->session));
  cache_path = path;
  wait_until (cache_deleted, f, "the signed-out account's cache to be deleted");

  sa_session_sign_in (f->session, registry.url, LOGIN, PASSWORD);
  wait_until (syncing, f, "the sync after signing back in");
  g_assert_cmpstr (f->states->str, ==,
                   "signing-in signed-in signed-out signing-in signed-in");
  assert_signed_in (f);
  g_assert_cmpstr (sa_cache_get_path (sa_session_get_cache (f->session)), ==, path);
  g_assert_cmpuint (n_cached (sa_session_get_cache (f->session)), ==, n_appeals);
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  /* A wrong password goes signing-in → signed-out with the reason in words, and opens no cache; the right one then signs in. */
  sa_session_sign_in (f->session, registry.url, LOGIN, "not-the-password");
  wait_until (settled, f, "the registry's answer");
  g_assert_cmpstr (f->states->str, ==, "signing-in signed-out");
  g_assert_cmpstr (sa_session_get_error (f->session), ==, "Wrong login or password.");
  g_assert_null (sa_session_get_user (f->session));
  g_assert_null (sa_session_get_cache (f->session));
  g_assert_false (sa_session_get_loading (f->session));

  sa_session_sign_in (f->session, registry.url, LOGIN, PASSWORD);
  g_assert_null (sa_session_get_error (f->session));
  wait_until (syncing, f, "the first sync");
  g_assert_cmpstr (f->states->str, ==, "signing-in signed-out signing-in signed-in");
  assert_signed_in (f);
}

static void
test_refused_at_once (Fixture       *f,
                      gconstpointer  data)
{
  /* Plain HTTP to another computer, or an empty password, is refused before anything is sent: the session stays signed out, never signing in, with the reason; nothing remembered means signed out with no error. */
  g_autoptr(GSettings) settings = g_settings_new ("kz.almaty.SmartAppeals");

  sa_session_sign_in (f->session, "http://registry.almaty.kz", LOGIN, PASSWORD);
  g_assert_cmpint (sa_session_get_state (f->session), ==, SA_SESSION_SIGNED_OUT);
  g_assert_true (g_str_has_prefix (sa_session_get_error (f->session),
                                   "An http:// address would send your password"));
  sa_session_sign_in (f->session, registry.url, LOGIN, "");
  g_assert_cmpstr (sa_session_get_error (f->session), ==, "Enter your login and password.");
  g_assert_null (sa_session_get_client (f->session));

  g_settings_set_string (settings, "account-login", "");
  sa_session_restore (f->session, NULL, NULL);
  g_assert_null (sa_session_get_error (f->session));
  g_assert_cmpstr (f->states->str, ==, "");
  g_assert_cmpint (sa_session_get_state (f->session), ==, SA_SESSION_SIGNED_OUT);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  /* The accounts' caches go under $XDG_DATA_HOME: a directory of our own. */
  data_dir = g_dir_make_tmp ("sa-session-states-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  app = g_application_new ("kz.almaty.SmartAppeals.TestSessionStates", G_APPLICATION_NON_UNIQUE);
  g_application_register (app, NULL, NULL);

  g_test_add ("/sa/session/states/sign-out-and-back-in", Fixture, NULL, fixture_setup,
              test_sign_out_and_back_in, fixture_teardown);
  g_test_add ("/sa/session/states/wrong-password", Fixture, NULL, fixture_setup,
              test_wrong_password, fixture_teardown);
  g_test_add ("/sa/session/states/refused-at-once", Fixture, NULL, fixture_setup,
              test_refused_at_once, fixture_teardown);

  sa_test_spawn_registry (&registry, 20);
  ret = g_test_run ();
  sa_test_stop_registry (&registry);

  g_object_unref (app);
  sa_test_remove_tree (data_dir);
  g_free (data_dir);
  return ret;
}
