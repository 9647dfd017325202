/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-secret"

#include "config.h"

#include <libsecret/secret.h>

#include "sa-secret.h"

/* Only the refresh token is secret; the server and login are attributes so
 * that one keyring can hold several accounts. The schema is named after the
 * base application id, so the development profile shares the accounts. */
static const SecretSchema *
sa_secret_get_schema (void)
{
  static const SecretSchema schema = {
    "kz.almaty.SmartAppeals.Account", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * sa_secret_store_async:
 * @server: the registry's base URL
 * @login: the user's login on that registry
 * @refresh_token: the secret to keep
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the secret is stored
 * @user_data: data for @callback
 *
 * Stores the refresh token of an account in the default collection of the
 * Secret Service, replacing an earlier one for the same server and login.
 */
void
sa_secret_store_async (const char          *server,
                       const char          *login,
                       const char          *refresh_token,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (server != NULL);
  g_return_if_fail (login != NULL);
  g_return_if_fail (refresh_token != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_secret_store_async);
  /* The label is what Seahorse shows; it is not translated on purpose so
   * that it stays the same whichever language stored it. */
  label = g_strdup_printf ("Smart Appeals: %s at %s", login, server);
  secret_password_store (sa_secret_get_schema (), SECRET_COLLECTION_DEFAULT, label,
                         refresh_token, cancellable, store_cb, g_steal_pointer (&task),
                         "server", server, "login", login, NULL);
}

gboolean
sa_secret_store_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else if (password == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             "No stored account for this server and login");
  else
    {
      g_task_return_pointer (task, g_strdup (password), g_free);
      secret_password_free (password);
    }
}

/**
 * sa_secret_lookup_async:
 * @server: the registry's base URL
 * @login: the user's login
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Looks up the stored refresh token. A missing one is reported as
 * %G_IO_ERROR_NOT_FOUND.
 */
void
sa_secret_lookup_async (const char          *server,
                        const char          *login,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (server != NULL);
  g_return_if_fail (login != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_secret_lookup_async);
  secret_password_lookup (sa_secret_get_schema (), cancellable, lookup_cb, task,
                          "server", server, "login", login, NULL);
}

/**
 * sa_secret_lookup_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the refresh token, or %NULL with @error set
 */
char *
sa_secret_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* Clearing what is not there is not an error: sign-out must always work. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
sa_secret_clear_async (const char          *server,
                       const char          *login,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (server != NULL);
  g_return_if_fail (login != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_secret_clear_async);
  secret_password_clear (sa_secret_get_schema (), cancellable, clear_cb, task,
                         "server", server, "login", login, NULL);
}

gboolean
sa_secret_clear_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
