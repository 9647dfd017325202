/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sa-test-widgets.h"

#include "sa-application.h"
#include "sa-preferences-window.h"

static void
assert_setting (GSettings  *settings,
                const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_notifications_bound (void)
{
  /* Turning a notification switch off is stored in the settings at once. */
  g_autoptr(GSettings) settings = g_settings_new ("kz.almaty.SmartAppeals");
  GtkWidget *window = sa_preferences_window_new (NULL, settings);
  GtkWidget *first_switch;

  g_object_ref_sink (window);
  first_switch = sa_test_find_by_type (window, GTK_TYPE_SWITCH, 0);
  g_assert_nonnull (first_switch);
  g_assert_true (g_settings_get_boolean (settings, "notify-assigned"));
  gtk_switch_set_active (GTK_SWITCH (first_switch), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "notify-assigned"));
  g_settings_reset (settings, "notify-assigned");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_registry_address (void)
{
  /* A bad registry address is refused; a good one is stored and ends the sign-in. */
  g_autoptr(GSettings) settings = g_settings_new ("kz.almaty.SmartAppeals");
  GtkWidget *window;
  GtkWidget *row;

  g_settings_set_string (settings, "registry-url", "http://127.0.0.1:1");
  g_settings_set_string (settings, "account-login", "executor.test");
  window = g_object_ref_sink (sa_preferences_window_new (NULL, settings));
  row = sa_test_find_by_type (window, ADW_TYPE_ENTRY_ROW, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "http://127.0.0.1:1");

  gtk_editable_set_text (GTK_EDITABLE (row), "registry.almaty.kz");
  g_signal_emit_by_name (row, "apply");
  assert_setting (settings, "registry-url", "http://127.0.0.1:1");
  assert_setting (settings, "account-login", "executor.test");

  gtk_editable_set_text (GTK_EDITABLE (row), " https://registry.almaty.kz ");
  g_signal_emit_by_name (row, "apply");
  assert_setting (settings, "registry-url", "https://registry.almaty.kz");
  assert_setting (settings, "account-login", "");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SaApplication) app = NULL;

  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = sa_application_new ();

  g_test_add_func ("/sa/preferences/notifications-bound", test_notifications_bound);
  g_test_add_func ("/sa/preferences/registry-address", test_registry_address);
  return g_test_run ();
}
