/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sa-secret.h"

/* Talks to the real Secret Service of the test session (gnome-keyring). */

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GAsyncResult *
spin_until (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_round_trip (void)
{
  /* A stored token comes back for its server and login only, and is gone after clearing. */
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;

  sa_secret_store_async ("http://127.0.0.1:1", "executor.test", "refresh-123", NULL,
                         got_result, &result);
  g_assert_true (sa_secret_store_finish (spin_until (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  sa_secret_lookup_async ("http://127.0.0.1:1", "executor.test", NULL, got_result, &result);
  token = sa_secret_lookup_finish (spin_until (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "refresh-123");
  g_clear_object (&result);

  sa_secret_lookup_async ("http://127.0.0.1:2", "executor.test", NULL, got_result, &result);
  other = sa_secret_lookup_finish (spin_until (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (other);
  g_clear_error (&error);
  g_clear_object (&result);

  sa_secret_clear_async ("http://127.0.0.1:1", "executor.test", NULL, got_result, &result);
  g_assert_true (sa_secret_clear_finish (spin_until (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  sa_secret_lookup_async ("http://127.0.0.1:1", "executor.test", NULL, got_result, &result);
  g_assert_null (sa_secret_lookup_finish (spin_until (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_object (&result);
}

static void
test_replace (void)
{
  /* Storing again for the same account replaces the token instead of adding one. */
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  g_autofree char *token = NULL;

  sa_secret_store_async ("http://127.0.0.1:3", "supervisor.test", "first", NULL,
                         got_result, &result);
  g_assert_true (sa_secret_store_finish (spin_until (&result), &error));
  g_clear_object (&result);
  sa_secret_store_async ("http://127.0.0.1:3", "supervisor.test", "second", NULL,
                         got_result, &result);
  g_assert_true (sa_secret_store_finish (spin_until (&result), &error));
  g_clear_object (&result);

  sa_secret_lookup_async ("http://127.0.0.1:3", "supervisor.test", NULL, got_result, &result);
  token = sa_secret_lookup_finish (spin_until (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "second");
  g_clear_object (&result);

  sa_secret_clear_async ("http://127.0.0.1:3", "supervisor.test", NULL, got_result, &result);
  g_assert_true (sa_secret_clear_finish (spin_until (&result), &error));
  g_clear_object (&result);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sa/secret/round-trip", test_round_trip);
  g_test_add_func ("/sa/secret/replace", test_replace);
  return g_test_run ();
}
