/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sa-test-widgets.h"

#include <adwaita.h>

#include "sa-application.h"
#include "sa-appeal-detail.h"
#include "sa-op-dialog.h"
#include "sa-replies-view.h"
#include "sa-test-cache.h"

static const char *appeal_json =
  "{\"id\":\"0b7c\",\"reg_number\":\"ALA-2026-000042\",\"status\":\"in_progress\","
  "\"agency\":\"ALMATY-TEPLO\",\"executor\":\"executor.other\",\"is_repeat\":true,"
  "\"category\":\"heating.no-heat\",\"channel\":\"phone_109\","
  "\"text\":\"В квартире +12 градусов, батареи холодные.\","
  "\"received_at\":\"2026-11-20T04:30:00Z\",\"legal_due_at\":\"2026-12-11T23:59:59+05:00\","
  "\"applicant\":{\"name\":\"Айгуль Серикова\",\"iin\":\"900101300017\",\"phone\":\"+77011234567\"},"
  "\"address\":{\"text\":\"проспект Абая, 52, кв. 14\",\"district\":\"almaly\"},"
  "\"history\":[{\"at\":\"2026-11-20T04:30:00Z\",\"actor\":\"operator.ikomek-109\",\"type\":\"registered\"},"
  "{\"at\":\"2026-11-20T06:00:00Z\",\"actor\":\"executor.other\",\"type\":\"taken\","
  "\"payload\":{\"executor\":\"executor.other\",\"previous_executor\":null}}]}";

static JsonObject *
parse (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return json_object_ref (json_node_get_object (node));
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
  g_assert_true (sa_test_shows_label (GTK_WIDGET (detail), "No Appeal Selected"));

  sa_appeal_detail_set_appeal (detail, appeal);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (detail), "ALA-2026-000042"));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (detail), "In Progress"));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (detail), "Repeat"));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (detail),
                                      "В квартире +12 градусов, батареи холодные."));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (detail), "••••••••0017"));
  g_assert_false (sa_test_shows_label (GTK_WIDGET (detail), "900101300017"));
  /* Received 04:30 UTC is 09:30 in Almaty. */
  g_assert_true (sa_test_shows_label (GTK_WIDGET (detail), "20.11.2026 09:30 · 109 Phone Line"));

  sa_test_collect (GTK_WIDGET (detail), GTK_TYPE_TOGGLE_BUTTON, toggles);
  for (guint i = 0; i < toggles->len; i++)
    if (g_strcmp0 (gtk_button_get_icon_name (g_ptr_array_index (toggles, i)),
                   "view-reveal-symbolic") == 0)
      gtk_toggle_button_set_active (g_ptr_array_index (toggles, i), TRUE);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (detail), "900101300017"));

  /* A newly shown appeal starts masked again. */
  sa_appeal_detail_set_appeal (detail, appeal);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (detail), "••••••••0017"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (detail);
}

static void
test_shows_replies (void)
{
  /* The replies the user may read are listed: the sent answer open on its text, with who wrote and approved it and when; a co-executor's part and a draft by title; none, and the group is gone. */
  SaAppealDetail *detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
  g_autoptr(JsonObject) bare = parse (appeal_json);
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  g_autoptr(JsonNode) replies = json_from_string (
    "[{\"id\":\"r1\",\"kind\":\"answer\",\"state\":\"sent\",\"agency\":\"ALMATY-TEPLO\","
    "  \"visibility\":\"public\",\"language\":\"ru\",\"text\":\"Отопление восстановлено.\","
    "  \"author\":\"executor.other\",\"approved_by\":\"supervisor.teplo\","
    "  \"sent_at\":\"2026-11-21T07:00:00Z\"},"
    " {\"id\":\"r2\",\"kind\":\"part\",\"state\":\"sent\",\"agency\":\"ALMATY-TKE\","
    "  \"visibility\":\"private\",\"language\":\"ru\",\"text\":\"Сети проверены.\","
    "  \"author\":\"executor.tke\",\"approved_by\":\"supervisor.tke\","
    "  \"sent_at\":\"2026-11-21T06:00:00Z\"},"
    " {\"id\":\"r3\",\"kind\":\"notice\",\"state\":\"draft\",\"agency\":\"ALMATY-TEPLO\","
    "  \"visibility\":\"private\",\"language\":\"kk\",\"text\":\"Мерзім ұзартылды.\","
    "  \"author\":\"executor.other\"}]", NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view;

  json_object_set_member (appeal, "replies", json_node_ref (replies));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (detail));
  gtk_window_present (GTK_WINDOW (window));
  sa_appeal_detail_set_appeal (detail, appeal);
  view = sa_test_find_by_type (GTK_WIDGET (detail), SA_TYPE_REPLIES_VIEW, 0);
  g_assert_nonnull (view);
  g_assert_true (gtk_widget_get_visible (view));
  g_assert_cmpuint (sa_replies_view_get_n_rows (SA_REPLIES_VIEW (view)), ==, 3);
  g_assert_true (sa_test_shows_label (view, "Answer · Sent"));
  g_assert_true (sa_test_shows_label (view, "Notice of extension · Draft"));
  /* Sent 07:00 UTC is 12:00 in Almaty; the names are logins with no cache. */
  g_assert_true (sa_test_shows_label (view,
                                      "21.11.2026 12:00: written by executor.other, approved by "
                                    "supervisor.teplo"));
  g_assert_true (sa_test_shows_label (view, "Отопление восстановлено."));
  g_assert_true (sa_test_shows_label (view,
                                      "Public: may be published without the applicant’s personal "
                                    "data"));
  /* Only the sent answer is open at first. */
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (
    sa_test_find_by_type (view, ADW_TYPE_EXPANDER_ROW, 0))));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (
    sa_test_find_by_type (view, ADW_TYPE_EXPANDER_ROW, 1))));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (
    sa_test_find_by_type (view, ADW_TYPE_EXPANDER_ROW, 2))));

  sa_appeal_detail_set_appeal (detail, bare);
  g_assert_false (gtk_widget_get_visible (view));
  g_assert_cmpuint (sa_replies_view_get_n_rows (SA_REPLIES_VIEW (view)), ==, 0);

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

          /* Taken by the one who holds it: who and when, without "To" repeating it. */
          g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                           "20.11.2026 11:00 · executor.other");
          g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (next)), ==, "Registered");
          g_assert_finalize_object (g_steal_pointer (&detail));
          return;
        }
    }
  g_assert_not_reached ();
}

typedef struct
{
  char       *type;
  JsonObject *args;
} Requested;

static void
requested_clear (Requested *r)
{
  g_clear_pointer (&r->type, g_free);
  g_clear_pointer (&r->args, json_object_unref);
}

static void
on_op (SaAppealDetail *detail,
       const char     *type,
       JsonObject     *args,
       gpointer        user_data)
{
  Requested *r = user_data;

  requested_clear (r);
  r->type = g_strdup (type);
  r->args = json_object_ref (args);
}

static const char *
arg (Requested  *r,
     const char *name)
{
  g_assert_nonnull (r->args);
  return json_object_get_string_member_with_default (r->args, name, NULL);
}

/* The subtitle of the first row titled @title, as a user reads it. */
static const char *
row_subtitle (GtkWidget  *root,
              const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sa_test_collect (root, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return adw_action_row_get_subtitle (g_ptr_array_index (rows, i));
  return NULL;
}

/* The text and classes of the countdown label in the row titled @title. */
static GtkLabel *
row_chip (GtkWidget  *root,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sa_test_collect (root, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      {
        g_autoptr(GPtrArray) labels = g_ptr_array_new ();

        sa_test_collect (g_ptr_array_index (rows, i), GTK_TYPE_LABEL, labels);
        for (guint j = 0; j < labels->len; j++)
          if (gtk_widget_has_css_class (g_ptr_array_index (labels, j), "sla-chip"))
            return g_ptr_array_index (labels, j);
      }
  return NULL;
}

static char *
time_from_now (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) t = g_date_time_add_seconds (now, seconds);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

static void
test_both_clocks (void)
{
  /* The detail shows the operational clock beside the legal one: an emergency overdue by a day reads so, not as 21 days left. */
  SaAppealDetail *detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  g_autofree char *received = time_from_now (-2 * 86400);
  g_autofree char *legal = time_from_now (21 * 86400 + 3 * 3600 + 600);
  g_autofree char *operational = time_from_now (-86400 - 600);
  GtkLabel *chip;

  json_object_set_string_member (appeal, "received_at", received);
  json_object_set_string_member (appeal, "legal_due_at", legal);
  json_object_set_string_member (appeal, "resolution_due_at", operational);
  sa_appeal_detail_set_appeal (detail, appeal);

  chip = row_chip (GTK_WIDGET (detail), "Legal Deadline");
  g_assert_nonnull (chip);
  g_assert_cmpstr (gtk_label_get_text (chip), ==, "21 days 3 hours left");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (chip), "green"));
  chip = row_chip (GTK_WIDGET (detail), "Operational Deadline");
  g_assert_nonnull (chip);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (GTK_WIDGET (chip),
                                                                  ADW_TYPE_ACTION_ROW)));
  g_assert_cmpstr (gtk_label_get_text (chip), ==, "overdue by 1 day");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (chip), "overdue"));
  g_assert_finalize_object (detail);
}

static void
test_notice_late (void)
{
  /* Extended two days ago with the applicant not told by notify_applicant_by:
   * the legal chip is red with three weeks left, and the detail says why;
   * once the notice is sent, green and silent. */
  SaAppealDetail *detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  g_autofree char *received = time_from_now (-2 * 86400);
  g_autofree char *legal = time_from_now (21 * 86400 + 3 * 3600 + 600);
  g_autofree char *notify_by = time_from_now (-3600);
  g_autofree char *notified = time_from_now (-600);
  GtkLabel *chip;

  json_object_set_string_member (appeal, "received_at", received);
  json_object_set_string_member (appeal, "legal_due_at", legal);
  json_object_set_string_member (appeal, "notify_applicant_by", notify_by);
  json_object_set_null_member (appeal, "applicant_notified_at");
  sa_appeal_detail_set_appeal (detail, appeal);
  chip = row_chip (GTK_WIDGET (detail), "Legal Deadline");
  g_assert_cmpstr (gtk_label_get_text (chip), ==, "21 days 3 hours left");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (chip), "red"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (chip), "green"));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (detail),
                                      "Applicant not yet told of the extension"));

  json_object_set_string_member (appeal, "applicant_notified_at", notified);
  sa_appeal_detail_set_appeal (detail, appeal);
  chip = row_chip (GTK_WIDGET (detail), "Legal Deadline");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (chip), "green"));
  g_assert_false (sa_test_shows_label (GTK_WIDGET (detail),
                                       "Applicant not yet told of the extension"));
  g_assert_finalize_object (detail);
}

static void
test_stopped_clock (void)
{
  /* An answered or closed appeal does not count down: it says how it ended, in time or late. */
  SaAppealDetail *detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  GtkLabel *chip;

  json_object_set_string_member (appeal, "status", "closed");
  json_object_set_string_member (appeal, "answered_at", "2026-12-09T18:00:00+05:00");
  sa_appeal_detail_set_appeal (detail, appeal);
  chip = row_chip (GTK_WIDGET (detail), "Legal Deadline");
  g_assert_cmpstr (gtk_label_get_text (chip), ==, "answered 2 days before the deadline");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (chip), "done"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (chip), "overdue"));

  json_object_set_string_member (appeal, "status", "answered");
  json_object_set_string_member (appeal, "answered_at", "2026-12-15T10:00:00+05:00");
  sa_appeal_detail_set_appeal (detail, appeal);
  chip = row_chip (GTK_WIDGET (detail), "Legal Deadline");
  g_assert_cmpstr (gtk_label_get_text (chip), ==, "answered 3 days late");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (chip), "late"));

  /* Closed with no answer on record: no clock at all rather than a wrong one. */
  json_object_remove_member (appeal, "answered_at");
  json_object_set_string_member (appeal, "status", "closed");
  sa_appeal_detail_set_appeal (detail, appeal);
  chip = row_chip (GTK_WIDGET (detail), "Legal Deadline");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (chip)));
  g_assert_finalize_object (detail);
}

static void
test_history_says_what_changed (void)
{
  /* Each history entry says what changed, from → to, in words; an offline edit says when it was made and when it arrived. */
  SaAppealDetail *detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  g_autoptr(JsonNode) history = json_from_string (
    "[{\"at\":\"2026-11-20T05:00:00Z\",\"actor\":\"s\",\"type\":\"assigned\","
    "  \"payload\":{\"executor\":\"executor.other\",\"previous_executor\":\"executor.first\"}},"
    " {\"at\":\"2026-11-20T05:01:00Z\",\"actor\":\"s\",\"type\":\"priority\","
    "  \"payload\":{\"from\":\"normal\",\"to\":\"critical\"}},"
    " {\"at\":\"2026-11-20T05:02:00Z\",\"actor\":\"e\",\"type\":\"escalated\","
    "  \"payload\":{\"agency\":\"KSK-7\",\"text\":\"Откройте подвал\","
    "              \"due_at\":\"2026-11-25T23:59:59+05:00\"}},"
    " {\"at\":\"2026-11-20T05:03:00Z\",\"actor\":\"s\",\"type\":\"extended\","
    "  \"payload\":{\"from\":\"2026-12-11T23:59:59+05:00\",\"due_at\":\"2027-01-15T23:59:59+05:00\","
    "              \"reason\":\"Экспертиза\",\"notify_applicant_by\":\"2026-11-25T23:59:59+05:00\"}},"
    " {\"at\":\"2026-11-20T05:04:00Z\",\"actor\":\"e\",\"type\":\"status\","
    "  \"payload\":{\"from\":\"registered\",\"to\":\"in_progress\"}},"
    " {\"at\":\"2026-11-20T09:30:00Z\",\"made_at\":\"2026-11-20T06:15:00Z\",\"actor\":\"e\","
    "  \"type\":\"comment\",\"payload\":{\"text\":\"Беру в работу, выезжаю\"}}]", NULL);

  json_object_set_member (appeal, "history", json_node_copy (history));
  sa_appeal_detail_set_appeal (detail, appeal);

  g_assert_cmpstr (row_subtitle (GTK_WIDGET (detail), "Assigned"), ==,
                   "From executor.first to executor.other\n20.11.2026 10:00 · s");
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (detail), "Priority changed"), ==,
                   "Normal → Critical\n20.11.2026 10:01 · s");
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (detail), "Escalated"), ==,
                   "KSK-7, due 25.11.2026\nОткройте подвал\n20.11.2026 10:02 · e");
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (detail), "Deadline extended"), ==,
                   "11.12.2026 → 15.01.2027\nThe applicant must be told by 25.11.2026\n"
                   "Reason: Экспертиза\n20.11.2026 10:03 · s");
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (detail), "Status changed"), ==,
                   "Registered → In Progress\n20.11.2026 10:04 · e");
  g_assert_null (row_subtitle (GTK_WIDGET (detail), "status"));
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (detail), "Comment"), ==,
                   "Беру в работу, выезжаю\n"
                   "20.11.2026 11:15 (reached the registry 20.11.2026 14:30) · e");
  g_assert_finalize_object (detail);
}

static void
test_priority_marks_current (void)
{
  /* The priority menu marks the appeal's priority; choosing it again asks for nothing, another asks for the change. */
  SaAppealDetail *detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  g_autoptr(JsonObject) supervisor = parse ("{\"login\":\"supervisor.almaty-teplo\",\"role\":\"supervisor\",\"agency\":\"ALMATY-TEPLO\"}");
  g_autofree char *shown = NULL;
  Requested requested = { 0 };

  g_signal_connect (detail, "op-requested", G_CALLBACK (on_op), &requested);
  json_object_set_string_member (appeal, "priority", "high");
  sa_appeal_detail_set_user (detail, supervisor);
  sa_appeal_detail_set_appeal (detail, appeal);
  g_object_get (detail, "priority", &shown, NULL);
  g_assert_cmpstr (shown, ==, "high");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.set-priority", "s",
                                             "high"));
  g_assert_null (requested.type);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.set-priority", "s",
                                             "critical"));
  g_assert_cmpstr (requested.type, ==, "set_priority");
  g_assert_cmpstr (arg (&requested, "priority"), ==, "critical");

  requested_clear (&requested);
  g_assert_finalize_object (detail);
}

static void
test_actions_follow_rights (void)
{
  /* An executor of the lead agency may take an unassigned appeal, not one another executor has
   * (a supervisor may); a curator or another agency may not; the executor the appeal is with
   * sees no Take button at all. */
  SaAppealDetail *detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  g_autoptr(JsonObject) unassigned = parse (appeal_json);
  g_autoptr(JsonObject) executor = parse ("{\"login\":\"executor.almaty-teplo\",\"role\":\"executor\",\"agency\":\"ALMATY-TEPLO\"}");
  g_autoptr(JsonObject) supervisor = parse ("{\"login\":\"supervisor.almaty-teplo\",\"role\":\"supervisor\",\"agency\":\"ALMATY-TEPLO\"}");
  g_autoptr(JsonObject) stranger = parse ("{\"login\":\"executor.almaty-su\",\"role\":\"executor\",\"agency\":\"ALMATY-SU\"}");
  g_autoptr(JsonObject) curator = parse ("{\"login\":\"curator.city\",\"role\":\"curator\",\"agency\":\"ALMATY-TEPLO\"}");
  Requested requested = { 0 };

  json_object_set_null_member (unassigned, "executor");
  g_signal_connect (detail, "op-requested", G_CALLBACK (on_op), &requested);

  sa_appeal_detail_set_user (detail, executor);
  sa_appeal_detail_set_appeal (detail, unassigned);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.take", NULL));
  g_assert_cmpstr (requested.type, ==, "take");
  requested_clear (&requested);

  sa_appeal_detail_set_appeal (detail, appeal);
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.take", NULL);
  g_assert_null (requested.type);
  sa_appeal_detail_set_user (detail, supervisor);
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.take", NULL);
  g_assert_cmpstr (requested.type, ==, "take");
  requested_clear (&requested);

  sa_appeal_detail_set_user (detail, stranger);
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.take", NULL);
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.comment", NULL);
  g_assert_null (requested.type);

  sa_appeal_detail_set_user (detail, curator);
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.take", NULL);
  g_assert_null (requested.type);
  g_assert_true (gtk_widget_get_visible (sa_test_find_button (GTK_WIDGET (detail), "_Take")));

  json_object_set_string_member (appeal, "executor", "executor.almaty-teplo");
  sa_appeal_detail_set_user (detail, executor);
  sa_appeal_detail_set_appeal (detail, appeal);
  g_assert_false (gtk_widget_get_visible (sa_test_find_button (GTK_WIDGET (detail), "_Take")));

  requested_clear (&requested);
  g_assert_finalize_object (detail);
}

/* ------------------------------------------------------------------ */
/* The dialogs of assign, forward, escalate and extend */

static const char *reference_json =
  "[{\"seq\":1,\"kind\":\"agency\",\"id\":\"ALMATY-TEPLO\",\"data\":{\"code\":\"ALMATY-TEPLO\","
  "  \"name_ru\":\"Алматинские тепловые сети\",\"name_kk\":\"Алматы жылу желілері\",\"kind\":\"utility\"}},"
  " {\"seq\":2,\"kind\":\"agency\",\"id\":\"KSK-ZHETYSU\",\"data\":{\"code\":\"KSK-ZHETYSU\","
  "  \"name_ru\":\"КСК «Жетысу»\",\"name_kk\":\"«Жетісу» ПИК\",\"kind\":\"ksk_osi\"}},"
  " {\"seq\":3,\"kind\":\"agency\",\"id\":\"ALMATY-REMONT\",\"data\":{\"code\":\"ALMATY-REMONT\","
  "  \"name_ru\":\"ТОО «Алматы Ремонт»\",\"name_kk\":\"«Алматы Жөндеу» ЖШС\",\"kind\":\"contractor\"}},"
  " {\"seq\":4,\"kind\":\"agency\",\"id\":\"AKIMAT-ALATAU\",\"data\":{\"code\":\"AKIMAT-ALATAU\","
  "  \"name_ru\":\"Аппарат акима Алатауского района\",\"name_kk\":\"Алатау ауданы әкімінің аппараты\","
  "  \"kind\":\"district_akimat\"}},"
  " {\"seq\":5,\"kind\":\"user\",\"id\":\"supervisor.almaty-teplo\",\"data\":{\"login\":\"supervisor.almaty-teplo\","
  "  \"full_name\":\"Абаев Ержан\",\"agency\":\"ALMATY-TEPLO\",\"role\":\"supervisor\",\"disabled\":false}},"
  " {\"seq\":6,\"kind\":\"user\",\"id\":\"executor.almaty-teplo\",\"data\":{\"login\":\"executor.almaty-teplo\","
  "  \"full_name\":\"Бекова Дана\",\"agency\":\"ALMATY-TEPLO\",\"role\":\"executor\",\"disabled\":false}},"
  " {\"seq\":7,\"kind\":\"user\",\"id\":\"executor.other\",\"data\":{\"login\":\"executor.other\","
  "  \"full_name\":\"Серикова Айгуль\",\"agency\":\"ALMATY-TEPLO\",\"role\":\"executor\",\"disabled\":false}},"
  " {\"seq\":8,\"kind\":\"user\",\"id\":\"executor.gone\",\"data\":{\"login\":\"executor.gone\","
  "  \"full_name\":\"Уволенный Пётр\",\"agency\":\"ALMATY-TEPLO\",\"role\":\"executor\",\"disabled\":true}},"
  " {\"seq\":9,\"kind\":\"user\",\"id\":\"operator.teplo\",\"data\":{\"login\":\"operator.teplo\","
  "  \"full_name\":\"Оператор Ирина\",\"agency\":\"ALMATY-TEPLO\",\"role\":\"operator\",\"disabled\":false}}]";

static const char *supervisor_json =
  "{\"login\":\"supervisor.almaty-teplo\",\"role\":\"supervisor\",\"agency\":\"ALMATY-TEPLO\"}";
static const char *executor_json =
  "{\"login\":\"executor.almaty-teplo\",\"role\":\"executor\",\"agency\":\"ALMATY-TEPLO\"}";

typedef struct
{
  char           *dir;
  SaCache        *cache;
  GtkWidget      *window;
  SaAppealDetail *detail;
  JsonObject     *appeal;
  Requested       requested;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *user_json = data != NULL ? data : supervisor_json;
  g_autoptr(JsonObject) user = parse (user_json);

  f->cache = sa_test_cache_new (&f->dir, json_object_get_string_member (user, "login"),
                                "ALMATY-TEPLO");
  sa_test_cache_feed (f->cache, 10, reference_json);
  f->detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
  f->window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->detail));
  gtk_window_present (GTK_WINDOW (f->window));
  f->appeal = parse (appeal_json);
  g_signal_connect (f->detail, "op-requested", G_CALLBACK (on_op), &f->requested);
  sa_appeal_detail_set_cache (f->detail, f->cache);
  sa_appeal_detail_set_user (f->detail, user);
  sa_appeal_detail_set_appeal (f->detail, f->appeal);
}

/* Every window but the test's own: the dialogs the detail opened. */
static GPtrArray *
dialogs (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWindow *window = g_list_model_get_item (toplevels, i);

      if (SA_IS_OP_DIALOG (window) || ADW_IS_MESSAGE_DIALOG (window))
        g_ptr_array_add (found, window);
      else
        g_object_unref (window);
    }
  return found;
}

static void
close_dialogs (void)
{
  g_autoptr(GPtrArray) open = dialogs ();

  for (guint i = 0; i < open->len; i++)
    gtk_window_destroy (g_ptr_array_index (open, i));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  close_dialogs ();
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->detail);
  requested_clear (&f->requested);
  json_object_unref (f->appeal);
  sa_test_cache_free (f->cache, g_steal_pointer (&f->dir));
}

/* Activates @action as the menu would, and returns the dialog it opened, or NULL. */
static SaOpDialog *
open_dialog (Fixture    *f,
             const char *action)
{
  g_autoptr(GPtrArray) open = NULL;

  close_dialogs ();
  gtk_widget_activate_action (GTK_WIDGET (f->detail), action, NULL);
  open = dialogs ();
  g_assert_cmpuint (open->len, <=, 1);
  if (open->len == 0)
    return NULL;
  g_assert_true (SA_IS_OP_DIALOG (open->pdata[0]));
  g_assert_true (gtk_widget_get_visible (open->pdata[0]));
  return open->pdata[0];
}

static gboolean
offers (Fixture    *f,
        const char *action)
{
  gboolean opened = open_dialog (f, action) != NULL;

  close_dialogs ();
  return opened;
}

/* What a click does (gtk_widget_activate() would wait for the press animation). */
static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The titles of the choices, in the order shown. */
static char *
choices (SaOpDialog *dialog)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GString) titles = g_string_new (NULL);

  sa_test_collect (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      /* The choices are the rows with a radio button. */
      if (sa_test_find_by_type (row, GTK_TYPE_CHECK_BUTTON, 0) != NULL)
        g_string_append_printf (titles, "%s%s", titles->len ? " | " : "",
                                adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static void
choose (SaOpDialog *dialog,
        const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      {
        adw_action_row_activate (g_ptr_array_index (rows, i));
        return;
      }
  g_assert_not_reached ();
}

static void
type_text (SaOpDialog *dialog,
           const char *text)
{
  GtkWidget *view = sa_test_find_by_type (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW, 0);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

/* Picks an Almaty date in the calendar the way a click does. */
static void
pick_date (SaOpDialog *dialog,
           int         year,
           int         month,
           int         day)
{
  GtkWidget *calendar = sa_test_find_by_type (GTK_WIDGET (dialog), GTK_TYPE_CALENDAR, 0);
  g_autoptr(GTimeZone) almaty = g_time_zone_new_identifier ("Asia/Almaty");
  g_autoptr(GDateTime) date = g_date_time_new (almaty, year, month, day, 12, 0, 0);

  gtk_calendar_select_day (GTK_CALENDAR (calendar), date);
  g_signal_emit_by_name (calendar, "day-selected");
}

/* The chosen date, as the date row shows it. */
static const char *
shown_date (SaOpDialog *dialog)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (sa_test_find_by_type (g_ptr_array_index (rows, i), GTK_TYPE_MENU_BUTTON, 0) != NULL)
      return adw_preferences_row_get_title (g_ptr_array_index (rows, i));
  g_assert_not_reached ();
}

static void
test_dialog_rights (Fixture       *f,
                    gconstpointer  data)
{
  /* Each action is offered exactly when the registry would accept it from this user. */
  static const struct
  {
    const char *user;
    const char *status;
    gboolean    assign, forward, escalate, extend;
  } cases[] = {
    { "{\"login\":\"s\",\"role\":\"supervisor\",\"agency\":\"ALMATY-TEPLO\"}", "in_progress", 1, 1, 1, 1 },
    { "{\"login\":\"s\",\"role\":\"supervisor\",\"agency\":\"ALMATY-TEPLO\"}", "reopened", 1, 1, 1, 1 },
    { "{\"login\":\"s\",\"role\":\"supervisor\",\"agency\":\"ALMATY-TEPLO\"}", "awaiting_approval", 0, 0, 0, 0 },
    { "{\"login\":\"s\",\"role\":\"supervisor\",\"agency\":\"ALMATY-TEPLO\"}", "answered", 0, 0, 0, 0 },
    { "{\"login\":\"e\",\"role\":\"executor\",\"agency\":\"ALMATY-TEPLO\"}", "in_progress", 0, 1, 1, 0 },
    { "{\"login\":\"k\",\"role\":\"ksk_manager\",\"agency\":\"ALMATY-TEPLO\"}", "info_requested", 0, 1, 1, 0 },
    /* A supervisor of another agency, even one the appeal was escalated to. */
    { "{\"login\":\"s\",\"role\":\"supervisor\",\"agency\":\"KSK-ZHETYSU\"}", "in_progress", 0, 0, 0, 0 },
    { "{\"login\":\"o\",\"role\":\"operator\",\"agency\":\"IKOMEK-109\"}", "registered", 0, 1, 0, 0 },
    { "{\"login\":\"o\",\"role\":\"operator\",\"agency\":\"IKOMEK-109\"}", "in_progress", 0, 0, 0, 0 },
    { "{\"login\":\"c\",\"role\":\"curator\",\"agency\":\"AKIMAT-CITY\"}", "in_progress", 0, 0, 0, 0 },
  };
  JsonArray *escalated = json_array_new ();

  json_array_add_string_element (escalated, "KSK-ZHETYSU");
  json_object_set_array_member (f->appeal, "escalated_to", escalated);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) user = parse (cases[i].user);

      g_test_message ("case %u: %s on %s", i, cases[i].user, cases[i].status);
      json_object_set_string_member (f->appeal, "status", cases[i].status);
      sa_appeal_detail_set_user (f->detail, user);
      sa_appeal_detail_set_appeal (f->detail, f->appeal);
      g_assert_cmpint (offers (f, "detail.assign"), ==, cases[i].assign);
      g_assert_cmpint (offers (f, "detail.forward"), ==, cases[i].forward);
      g_assert_cmpint (offers (f, "detail.escalate"), ==, cases[i].escalate);
      g_assert_cmpint (offers (f, "detail.extend"), ==, cases[i].extend);
    }
  /* The KSK/OSI the appeal was escalated to sees it and may comment on it. */
  {
    g_autoptr(JsonObject) ksk = parse ("{\"login\":\"k\",\"role\":\"ksk_manager\",\"agency\":\"KSK-ZHETYSU\"}");

    sa_appeal_detail_set_user (f->detail, ksk);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.comment", NULL));
    {
      g_autoptr(GPtrArray) open = dialogs ();

      g_assert_cmpuint (open->len, ==, 1);
      g_assert_true (ADW_IS_MESSAGE_DIALOG (open->pdata[0]));
    }
    close_dialogs ();
  }

  /* Without a cache there is nothing to choose from; extending needs no list. */
  {
    g_autoptr(JsonObject) supervisor = parse (supervisor_json);

    json_object_set_string_member (f->appeal, "status", "in_progress");
    sa_appeal_detail_set_appeal (f->detail, f->appeal);
    sa_appeal_detail_set_user (f->detail, supervisor);
    sa_appeal_detail_set_cache (f->detail, NULL);
    g_assert_false (offers (f, "detail.assign"));
    g_assert_false (offers (f, "detail.forward"));
    g_assert_false (offers (f, "detail.escalate"));
    g_assert_true (offers (f, "detail.extend"));
  }
  g_assert_null (f->requested.type);
}

static void
test_assign (Fixture       *f,
             gconstpointer  data)
{
  /* A supervisor chooses among the agency's active executors, not the one who has it already. */
  SaOpDialog *dialog = open_dialog (f, "detail.assign");
  g_autofree char *offered = NULL;
  GtkWidget *assign;

  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Assign the Appeal");
  offered = choices (dialog);
  g_assert_cmpstr (offered, ==, "Абаев Ержан | Бекова Дана");
  assign = sa_test_find_button (GTK_WIDGET (dialog), "_Assign");
  g_assert_false (gtk_widget_is_sensitive (assign));

  choose (dialog, "Бекова Дана");
  g_assert_true (gtk_widget_is_sensitive (assign));
  g_assert_null (f->requested.type);
  click (assign);
  g_assert_cmpstr (f->requested.type, ==, "assign");
  g_assert_cmpstr (arg (&f->requested, "user"), ==, "executor.almaty-teplo");
  g_assert_cmpuint (json_object_get_size (f->requested.args), ==, 1);
  {
    g_autoptr(GPtrArray) open = dialogs ();

    g_assert_cmpuint (open->len, ==, 0);
  }
}

static void
test_forward (Fixture       *f,
              gconstpointer  data)
{
  /* Forwarding needs another agency and a reason; a blank reason keeps the button off. */
  SaOpDialog *dialog = open_dialog (f, "detail.forward");
  g_autofree char *offered = NULL;
  GtkWidget *forward;

  g_assert_nonnull (dialog);
  offered = choices (dialog);
  /* Every agency but the lead one, by name. */
  g_assert_cmpstr (offered, ==,
                   "Аппарат акима Алатауского района | КСК «Жетысу» | ТОО «Алматы Ремонт»");
  forward = sa_test_find_button (GTK_WIDGET (dialog), "_Forward");
  g_assert_false (gtk_widget_is_sensitive (forward));

  choose (dialog, "Аппарат акима Алатауского района");
  g_assert_false (gtk_widget_is_sensitive (forward));
  type_text (dialog, "  \n\t ");
  g_assert_false (gtk_widget_is_sensitive (forward));
  /* Ctrl+Enter does not confirm while the reason is missing either. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.accept", NULL);
  g_assert_null (f->requested.type);

  type_text (dialog, "  Дом относится к Алатаускому району.\n");
  g_assert_true (gtk_widget_is_sensitive (forward));
  click (forward);
  g_assert_cmpstr (f->requested.type, ==, "forward");
  g_assert_cmpstr (arg (&f->requested, "agency"), ==, "AKIMAT-ALATAU");
  g_assert_cmpstr (arg (&f->requested, "reason"), ==, "Дом относится к Алатаускому району.");
}

static void
test_escalate (Fixture       *f,
               gconstpointer  data)
{
  /* Escalation offers the KSK/OSI and contractors not yet involved, and needs a task and a
   * due date from today on. */
  g_autoptr(GTimeZone) almaty = g_time_zone_new_identifier ("Asia/Almaty");
  g_autoptr(GDateTime) now = g_date_time_new_now (almaty);
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 3);
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autofree char *expected_due = g_date_time_format (later, "%Y-%m-%dT23:59:59%:z");
  g_autofree char *shown_due = g_date_time_format (later, "%d.%m.%Y");
  g_autofree char *too_long = NULL;
  JsonArray *escalated = json_array_new ();
  g_autofree char *offered = NULL;
  SaOpDialog *dialog;
  GtkWidget *escalate;

  json_array_add_string_element (escalated, "KSK-ZHETYSU");
  json_object_set_array_member (f->appeal, "escalated_to", escalated);
  sa_appeal_detail_set_appeal (f->detail, f->appeal);

  dialog = open_dialog (f, "detail.escalate");
  g_assert_nonnull (dialog);
  offered = choices (dialog);
  g_assert_cmpstr (offered, ==, "ТОО «Алматы Ремонт»");
  escalate = sa_test_find_button (GTK_WIDGET (dialog), "_Escalate");

  choose (dialog, "ТОО «Алматы Ремонт»");
  type_text (dialog, "Заменить участок стояка в подвале.");
  g_assert_cmpstr (shown_date (dialog), ==, "Not chosen");
  g_assert_false (gtk_widget_is_sensitive (escalate));

  pick_date (dialog, g_date_time_get_year (yesterday), g_date_time_get_month (yesterday),
             g_date_time_get_day_of_month (yesterday));
  g_assert_false (gtk_widget_is_sensitive (escalate));
  pick_date (dialog, g_date_time_get_year (later), g_date_time_get_month (later),
             g_date_time_get_day_of_month (later));
  g_assert_cmpstr (shown_date (dialog), ==, shown_due);
  g_assert_true (gtk_widget_is_sensitive (escalate));

  /* The registry takes at most 5,000 characters of text. */
  too_long = g_strnfill (5001, 'a');
  type_text (dialog, too_long);
  g_assert_false (gtk_widget_is_sensitive (escalate));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (dialog), "Shorten the text by 1 character."));
  too_long[5000] = '\0';
  type_text (dialog, too_long);
  g_assert_true (gtk_widget_is_sensitive (escalate));
  type_text (dialog, "Заменить участок стояка в подвале.");

  click (escalate);
  g_assert_cmpstr (f->requested.type, ==, "escalate");
  g_assert_cmpstr (arg (&f->requested, "agency"), ==, "ALMATY-REMONT");
  g_assert_cmpstr (arg (&f->requested, "text"), ==, "Заменить участок стояка в подвале.");
  g_assert_cmpstr (arg (&f->requested, "due_at"), ==, expected_due);
}

static void
test_extend (Fixture       *f,
             gconstpointer  data)
{
  /* Received 20.11.2026: the legal deadline 11.12.2026 may move to 12.12.2026 … 20.01.2027,
   * two months from receipt, and only with a reason. */
  SaOpDialog *dialog = open_dialog (f, "detail.extend");
  GtkWidget *extend;

  g_assert_nonnull (dialog);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (dialog), "From 12.12.2026 to 20.01.2027"));
  /* The day after the current deadline is chosen at first. */
  g_assert_cmpstr (shown_date (dialog), ==, "12.12.2026");
  extend = sa_test_find_button (GTK_WIDGET (dialog), "_Extend");
  g_assert_false (gtk_widget_is_sensitive (extend));

  type_text (dialog, "Нужна экспертиза теплосети.");
  g_assert_true (gtk_widget_is_sensitive (extend));
  pick_date (dialog, 2027, 1, 21);
  g_assert_false (gtk_widget_is_sensitive (extend));
  pick_date (dialog, 2026, 12, 11);
  g_assert_false (gtk_widget_is_sensitive (extend));
  pick_date (dialog, 2027, 1, 20);
  g_assert_true (gtk_widget_is_sensitive (extend));

  click (extend);
  g_assert_cmpstr (f->requested.type, ==, "extend");
  g_assert_cmpstr (arg (&f->requested, "due_at"), ==, "2027-01-20T23:59:59+05:00");
  g_assert_cmpstr (arg (&f->requested, "reason"), ==, "Нужна экспертиза теплосети.");
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  /* Cancel and Escape close the dialog and request nothing. */
  SaOpDialog *dialog = open_dialog (f, "detail.forward");

  choose (dialog, "КСК «Жетысу»");
  type_text (dialog, "Причина");
  click (sa_test_find_button (GTK_WIDGET (dialog), "_Cancel"));
  {
    g_autoptr(GPtrArray) open = dialogs ();

    g_assert_cmpuint (open->len, ==, 0);
  }
  g_assert_null (f->requested.type);
}

static void
test_district_name (Fixture       *f,
                    gconstpointer  data)
{
  /* The address names the district as the cache knows it, not by its code. */
  g_autoptr(JsonNode) districts = json_from_string (
    "[{\"code\":\"almaly\",\"name_ru\":\"Алмалинский район\",\"name_kk\":\"Алмалы ауданы\"}]",
    NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *shown = NULL;

  g_assert_true (sa_cache_put_districts (f->cache, json_node_get_array (districts), &error));
  sa_appeal_detail_set_appeal (f->detail, f->appeal);
  sa_test_collect (GTK_WIDGET (f->detail), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *subtitle = adw_action_row_get_subtitle (g_ptr_array_index (rows, i));

      if (subtitle != NULL && g_str_has_prefix (subtitle, "проспект Абая"))
        shown = subtitle;
    }
  g_assert_nonnull (shown);
  g_assert_true (g_str_has_suffix (shown, " · Алмалинский район") ||
                 g_str_has_suffix (shown, " · Алмалы ауданы"));
}

static void
test_text_limits (Fixture       *f,
                  gconstpointer  data)
{
  /* A comment cannot be sent empty or over the registry's limit; the dialog says how far over, and a fitting text is sent. */
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autofree char *too_long = g_strnfill (5003, 'x');
  AdwMessageDialog *dialog;
  GtkTextView *view;
  gboolean says_over = FALSE;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.comment", NULL));
  open = dialogs ();
  g_assert_cmpuint (open->len, ==, 1);
  dialog = ADW_MESSAGE_DIALOG (open->pdata[0]);
  view = GTK_TEXT_VIEW (sa_test_find_by_type (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW, 0));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "send"));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "   ", -1);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "send"));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), too_long, -1);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "send"));
  sa_test_collect (GTK_WIDGET (dialog), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    says_over |= gtk_widget_get_visible (labels->pdata[i]) &&
                 g_strcmp0 (gtk_label_get_text (labels->pdata[i]),
                            "3 characters over the limit") == 0;
  g_assert_true (says_over);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "Выехала бригада", -1);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "send"));
  adw_message_dialog_response (dialog, "send");
  g_assert_cmpstr (f->requested.type, ==, "comment");
  g_assert_cmpstr (arg (&f->requested, "text"), ==, "Выехала бригада");
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
  g_test_add_func ("/sa/appeal-detail/shows-replies", test_shows_replies);
  g_test_add_func ("/sa/appeal-detail/actions-follow-rights", test_actions_follow_rights);
  g_test_add_func ("/sa/appeal-detail/both-clocks", test_both_clocks);
  g_test_add_func ("/sa/appeal-detail/notice-late", test_notice_late);
  g_test_add_func ("/sa/appeal-detail/stopped-clock", test_stopped_clock);
  g_test_add_func ("/sa/appeal-detail/history-says-what-changed", test_history_says_what_changed);
  g_test_add_func ("/sa/appeal-detail/priority-marks-current", test_priority_marks_current);
#define ADD(path, func, user) \
  g_test_add ("/sa/appeal-detail/" path, Fixture, user, fixture_setup, func, fixture_teardown)
  ADD ("dialogs/rights", test_dialog_rights, NULL);
  ADD ("dialogs/assign", test_assign, supervisor_json);
  ADD ("dialogs/forward", test_forward, executor_json);
  ADD ("dialogs/escalate", test_escalate, executor_json);
  ADD ("dialogs/extend", test_extend, supervisor_json);
  ADD ("dialogs/cancel", test_cancel, executor_json);
  ADD ("district-name", test_district_name, executor_json);
  ADD ("dialogs/text-limits", test_text_limits, executor_json);
#undef ADD
  return g_test_run ();
}
