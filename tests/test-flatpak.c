/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

static JsonObject *
load_manifest (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "flatpak",
                                                 "kz.almaty.SmartAppeals.json", NULL);

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
array_has_string (JsonArray  *array,
                  const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
test_identity (void)
{
  /* The manifest builds our app id and runs our program on a GNOME runtime with GTK 4.8. */
  g_autoptr(JsonObject) manifest = load_manifest ();

  g_assert_cmpstr (json_object_get_string_member (manifest, "id"), ==, "kz.almaty.SmartAppeals");
  g_assert_cmpstr (json_object_get_string_member (manifest, "command"), ==, "smart-appeals");
  g_assert_cmpstr (json_object_get_string_member (manifest, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (manifest, "sdk"), ==, "org.gnome.Sdk");
}

static void
test_permissions (void)
{
  /* The sandbox may reach the network, draw on Wayland or X11 and talk to the keyring. */
  g_autoptr(JsonObject) manifest = load_manifest ();
  JsonArray *args = json_object_get_array_member (manifest, "finish-args");

  g_assert_true (array_has_string (args, "--share=network"));
  g_assert_true (array_has_string (args, "--socket=wayland"));
  g_assert_true (array_has_string (args, "--socket=fallback-x11"));
  g_assert_true (array_has_string (args, "--talk-name=org.freedesktop.secrets"));
  g_assert_false (array_has_string (args, "--filesystem=home"));
}

static void
test_modules (void)
{
  /* libsodium, which the runtime lacks, is built before the app, and the app is built last with meson. */
  g_autoptr(JsonObject) manifest = load_manifest ();
  JsonArray *modules = json_object_get_array_member (manifest, "modules");
  guint n = json_array_get_length (modules);
  JsonObject *last;
  gboolean has_sodium = FALSE;

  g_assert_cmpuint (n, >=, 2);
  for (guint i = 0; i + 1 < n; i++)
    {
      JsonObject *module = json_array_get_object_element (modules, i);
      JsonObject *source = json_array_get_object_element (json_object_get_array_member (module, "sources"), 0);

      if (g_strcmp0 (json_object_get_string_member (module, "name"), "libsodium") == 0)
        has_sodium = TRUE;
      /* Archives are pinned by their hash, so the build is reproducible. */
      if (g_strcmp0 (json_object_get_string_member (source, "type"), "archive") == 0)
        g_assert_cmpuint (strlen (json_object_get_string_member (source, "sha256")), ==, 64);
    }
  g_assert_true (has_sodium);

  last = json_array_get_object_element (modules, n - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "name"), ==, "smart-appeals");
  g_assert_cmpstr (json_object_get_string_member (last, "buildsystem"), ==, "meson");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sa/flatpak/identity", test_identity);
  g_test_add_func ("/sa/flatpak/permissions", test_permissions);
  g_test_add_func ("/sa/flatpak/modules", test_modules);
  return g_test_run ();
}
