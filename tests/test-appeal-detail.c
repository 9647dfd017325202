/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sa-test-widgets.h"

#include <adwaita.h>

#include "sa-application.h"
#include "sa-appeal-detail.h"

static const char *appeal_json =
  "{\"id\":\"0b7c\",\"reg_number\":\"ALA-2026-000042\",\"status\":\"in_progress\","
  "\"agency\":\"ALMATY-TEPLO\",\"executor\":\"executor.other\",\"is_repeat\":true,"
  "\"category\":\"heating.no-heat\",\"channel\":\"phone_109\","
  "\"text\":\"В квартире +12 градусов, батареи холодные.\","
  "\"received_at\":\"2026-11-20T04:30:00Z\",\"legal_due_at\":\"2026-12-11T23:59:59+05:00\","
  "\"applicant\":{\"name\":\"Айгуль Серикова\",\"iin\":\"900101300017\",\"phone\":\"+77011234567\"},"
  "\"address\":{\"text\":\"проспект Абая, 52, кв. 14\",\"district\":\"almaly\"},"
  "\"history\":[{\"at\":\"2026-11-20T04:30:00Z\",\"actor\":\"operator.ikomek-109\",\"type\":\"registered\"},"
  "{\"at\":\"2026-11-20T06:00:00Z\",\"actor\":\"executor.other\",\"type\":\"taken\"}]}";

static JsonObject *
parse (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return json_object_ref (json_node_get_object (node));
}

/* Whether any label under @root shows exactly @text, as a user would see it. */
static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  sa_test_collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_visible (g_ptr_array_index (labels, i)) &&
        g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return TRUE;
  return FALSE;
}

static void
test_shows_appeal (void)
{
  /* The number, status, repeat mark, text and a masked IIN are shown; revealing shows the IIN. */
  SaAppealDetail *detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  g_autoptr(GPtrArray) toggles = g_ptr_array_new ();
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (detail));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (shows_label (GTK_WIDGET (detail), "No Appeal Selected"));

  sa_appeal_detail_set_appeal (detail, appeal);
  g_assert_true (shows_label (GTK_WIDGET (detail), "ALA-2026-000042"));
  g_assert_true (shows_label (GTK_WIDGET (detail), "In Progress"));
  g_assert_true (shows_label (GTK_WIDGET (detail), "Repeat"));
  g_assert_true (shows_label (GTK_WIDGET (detail), "В квартире +12 градусов, батареи холодные."));
  g_assert_true (shows_label (GTK_WIDGET (detail), "••••••••0017"));
  g_assert_false (shows_label (GTK_WIDGET (detail), "900101300017"));
  /* Received 04:30 UTC is 09:30 in Almaty. */
  g_assert_true (shows_label (GTK_WIDGET (detail), "20.11.2026 09:30 · 109 Phone Line"));

  sa_test_collect (GTK_WIDGET (detail), GTK_TYPE_TOGGLE_BUTTON, toggles);
  for (guint i = 0; i < toggles->len; i++)
    if (g_strcmp0 (gtk_button_get_icon_name (g_ptr_array_index (toggles, i)),
                   "view-reveal-symbolic") == 0)
      gtk_toggle_button_set_active (g_ptr_array_index (toggles, i), TRUE);
  g_assert_true (shows_label (GTK_WIDGET (detail), "900101300017"));

  /* A newly shown appeal starts masked again. */
  sa_appeal_detail_set_appeal (detail, appeal);
  g_assert_true (shows_label (GTK_WIDGET (detail), "••••••••0017"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (detail);
}

static void
test_history_newest_first (void)
{
  /* The history lists the latest event first, with who did it. */
  SaAppealDetail *detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sa_appeal_detail_set_appeal (detail, appeal);
  sa_test_collect (GTK_WIDGET (detail), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Taken into work") == 0)
        {
          AdwActionRow *next = g_ptr_array_index (rows, i + 1);

          g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "20.11.2026 11:00 · executor.other");
          g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (next)), ==, "Registered");
          g_assert_finalize_object (g_steal_pointer (&detail));
          return;
        }
    }
  g_assert_not_reached ();
}

static void
on_op (SaAppealDetail *detail,
       const char     *type,
       JsonObject     *args,
       gpointer        user_data)
{
  g_free (*(char **)user_data);
  *(char **)user_data = g_strdup (type);
}

static void
test_actions_follow_rights (void)
{
  /* An executor of the lead agency may take the appeal; a curator or another agency may not. */
  SaAppealDetail *detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  g_autoptr(JsonObject) executor = parse ("{\"login\":\"executor.almaty-teplo\",\"role\":\"executor\",\"agency\":\"ALMATY-TEPLO\"}");
  g_autoptr(JsonObject) stranger = parse ("{\"login\":\"executor.almaty-su\",\"role\":\"executor\",\"agency\":\"ALMATY-SU\"}");
  g_autoptr(JsonObject) curator = parse ("{\"login\":\"curator.city\",\"role\":\"curator\",\"agency\":\"ALMATY-TEPLO\"}");
  g_autofree char *requested = NULL;

  g_signal_connect (detail, "op-requested", G_CALLBACK (on_op), &requested);
  sa_appeal_detail_set_appeal (detail, appeal);

  sa_appeal_detail_set_user (detail, executor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.take", NULL));
  g_assert_cmpstr (requested, ==, "take");
  g_clear_pointer (&requested, g_free);

  sa_appeal_detail_set_user (detail, stranger);
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.take", NULL);
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.comment", NULL);
  g_assert_null (requested);

  sa_appeal_detail_set_user (detail, curator);
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.take", NULL);
  g_assert_null (requested);

  g_assert_finalize_object (detail);
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

  g_test_add_func ("/sa/appeal-detail/shows-appeal", test_shows_appeal);
  g_test_add_func ("/sa/appeal-detail/history-newest-first", test_history_newest_first);
  g_test_add_func ("/sa/appeal-detail/actions-follow-rights", test_actions_follow_rights);
  return g_test_run ();
}
