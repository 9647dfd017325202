/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sa-test-spawn.h"

/* Talking to a spawned registry as another client or a channel would:
 * one JSON request (a failure is the test's), and signing in. */

static inline JsonNode *
sa_test_spawned_http (const SaTestSpawnedRegistry *r,
                      const char                  *method,
                      const char                  *path,
                      const char                  *token,
                      const char                  *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (r->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) >= 300)
    g_error ("%s %s: %u %.*s", method, path, soup_message_get_status (msg),
             (int) g_bytes_get_size (answer), (const char *) g_bytes_get_data (answer, NULL));
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             g_bytes_get_size (answer), &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* An access token for @login. */
static inline char *
sa_test_spawned_sign_in (const SaTestSpawnedRegistry *r,
                         const char                  *login,
                         const char                  *password)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\"}", login,
                                           password);
  g_autoptr(JsonNode) answer = sa_test_spawned_http (r, "POST", "/api/v1/auth/login", NULL, body);

  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "access_token"));
}
