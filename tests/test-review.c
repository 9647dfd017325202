/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sa-test-widgets.h"
#include "sa-test-keys.h"

#include <adwaita.h>

#include "sa-application.h"
#include "sa-appeal-model.h"
#include "sa-appeal-detail.h"
#include "sa-history.h"
#include "sa-op-dialog.h"
#include "sa-review-window.h"
#include "sa-test-cache.h"
#include "sa-verdict-dialog.h"

/* After the reply is written, from the detail view: a supervisor's
 * review window (approve, return with a comment, earlier versions, the
 * four-eyes rule), the operator's verdict form and the record of the
 * applicant's information, each asserting the op it queues. */

#define SUPERVISOR "{\"login\":\"supervisor.teplo\",\"role\":\"supervisor\",\"agency\":\"ALMATY-TEPLO\"}"
#define AUTHOR_SUPERVISOR \
  "{\"login\":\"supervisor.author\",\"role\":\"supervisor\",\"agency\":\"ALMATY-TEPLO\"}"
#define OTHER_SUPERVISOR "{\"login\":\"s\",\"role\":\"supervisor\",\"agency\":\"KSK-ZHETYSU\"}"
#define EXECUTOR "{\"login\":\"executor.teplo\",\"role\":\"executor\",\"agency\":\"ALMATY-TEPLO\"}"
#define OPERATOR "{\"login\":\"operator.109\",\"role\":\"operator\",\"agency\":\"IKOMEK-109\"}"

static const char *reference_json =
  "[{\"seq\":1,\"kind\":\"user\",\"id\":\"supervisor.author\",\"data\":{\"login\":\"supervisor.author\","
  "  \"full_name\":\"Абаев Ержан\",\"agency\":\"ALMATY-TEPLO\",\"role\":\"supervisor\",\"disabled\":false}},"
  " {\"seq\":2,\"kind\":\"agency\",\"id\":\"KSK-ZHETYSU\",\"data\":{\"code\":\"KSK-ZHETYSU\","
  "  \"name_ru\":\"КСК «Жетысу»\",\"name_kk\":\"«Жетісу» ПИК\",\"kind\":\"ksk_osi\"}},"
  " {\"seq\":3,\"kind\":\"agency\",\"id\":\"ALMATY-REMONT\",\"data\":{\"code\":\"ALMATY-REMONT\","
  "  \"name_ru\":\"ТОО «Алматы Ремонт»\",\"name_kk\":\"«Алматы Жөндеу» ЖШС\",\"kind\":\"contractor\"}}]";

/* An appeal whose answer, by a supervisor, awaits approval at its second version. */
static const char *appeal_json =
  "{\"id\":\"0b7c\",\"reg_number\":\"ALA-2026-000042\",\"status\":\"awaiting_approval\","
  "\"agency\":\"ALMATY-TEPLO\",\"executor\":\"supervisor.author\",\"priority\":\"normal\","
  "\"category\":\"heating.no-heat\",\"channel\":\"phone_109\",\"version\":7,"
  "\"text\":\"В квартире +12 градусов, батареи холодные.\","
  "\"received_at\":\"2026-11-20T04:30:00Z\",\"legal_due_at\":\"2026-12-11T23:59:59+05:00\","
  "\"replies\":[{\"id\":\"r-1\",\"kind\":\"answer\",\"agency\":\"ALMATY-TEPLO\","
  "  \"state\":\"awaiting_approval\",\"visibility\":\"private\",\"language\":\"kk\","
  "  \"text\":\"Жылу берілді, батареялар жылы.\",\"author\":\"supervisor.author\",\"version\":2,"
  "  \"returned_comment\":\"Укажите дату\",\"returned_by\":\"supervisor.teplo\","
  "  \"versions\":[{\"version\":1,\"text\":\"Отопление включено.\",\"visibility\":\"public\","
  "    \"language\":\"ru\",\"submitted_at\":\"2026-11-25T05:00:00Z\"},"
  "   {\"version\":2,\"text\":\"Жылу берілді, батареялар жылы.\",\"visibility\":\"private\","
  "    \"language\":\"kk\",\"submitted_at\":\"2026-11-26T05:00:00Z\"}]}],"
  "\"history\":[]}";

/* A joint answer by the executor: ALMATY-REMONT sent its part,
 * KSK-ZHETYSU's is still a draft (which the lead agency does not see). */
static const char *joint_json =
  "{\"id\":\"1c8d\",\"reg_number\":\"ALA-2026-000043\",\"status\":\"awaiting_approval\","
  "\"agency\":\"ALMATY-TEPLO\",\"executor\":\"executor.teplo\",\"priority\":\"normal\","
  "\"category\":\"heating.no-heat\",\"channel\":\"phone_109\",\"version\":9,"
  "\"coexecutors\":[\"KSK-ZHETYSU\",\"ALMATY-REMONT\"],"
  "\"text\":\"В подъезде нет отопления, трубы текут.\","
  "\"received_at\":\"2026-11-20T04:30:00Z\",\"legal_due_at\":\"2026-12-11T23:59:59+05:00\","
  "\"replies\":[{\"id\":\"j-1\",\"kind\":\"answer\",\"agency\":\"ALMATY-TEPLO\","
  "  \"state\":\"awaiting_approval\",\"visibility\":\"public\",\"language\":\"ru\","
  "  \"text\":\"Отопление подано.\",\"author\":\"executor.teplo\",\"version\":1},"
  " {\"id\":\"p-2\",\"kind\":\"part\",\"agency\":\"ALMATY-REMONT\",\"state\":\"sent\","
  "  \"visibility\":\"public\",\"language\":\"ru\",\"text\":\"Трубы в подвале заменены 2 декабря.\","
  "  \"author\":\"executor.remont\",\"approved_by\":\"supervisor.remont\","
  "  \"sent_at\":\"2026-12-02T10:00:00Z\",\"version\":1}],"
  "\"history\":[]}";

typedef struct
{
  char       *type;
  JsonObject *args;
} Requested;

typedef struct
{
  char           *dir;
  SaCache        *cache;
  GtkWidget      *window;
  SaAppealDetail *detail;
  JsonObject     *appeal;
  Requested       requested;
} Fixture;

static JsonObject *
parse (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return json_object_ref (json_node_get_object (node));
}

static void
on_op (SaAppealDetail *detail,
       const char     *type,
       JsonObject     *args,
       Requested      *r)
{
  g_clear_pointer (&r->type, g_free);
  g_clear_pointer (&r->args, json_object_unref);
  r->type = g_strdup (type);
  r->args = json_object_ref (args);
}

static void
set_user (Fixture    *f,
          const char *json)
{
  g_autoptr(JsonObject) user = parse (json);

  sa_appeal_detail_set_user (f->detail, user);
  sa_appeal_detail_set_appeal (f->detail, f->appeal);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->cache = sa_test_cache_new (&f->dir, "supervisor.teplo", "ALMATY-TEPLO");
  sa_test_cache_feed (f->cache, 2, reference_json);
  f->detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
  f->window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->detail));
  gtk_window_present (GTK_WINDOW (f->window));
  f->appeal = parse (appeal_json);
  g_signal_connect (f->detail, "op-requested", G_CALLBACK (on_op), &f->requested);
  sa_appeal_detail_set_cache (f->detail, f->cache);
  set_user (f, data != NULL ? data : SUPERVISOR);
}

static GPtrArray *
open_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWindow *window = g_list_model_get_item (toplevels, i);

      if (SA_IS_REVIEW_WINDOW (window) || SA_IS_VERDICT_DIALOG (window) ||
          SA_IS_OP_DIALOG (window))
        g_ptr_array_add (found, window);
      else
        g_object_unref (window);
    }
  return found;
}

static void
close_windows (void)
{
  g_autoptr(GPtrArray) open = open_windows ();

  for (guint i = 0; i < open->len; i++)
    gtk_window_destroy (g_ptr_array_index (open, i));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  close_windows ();
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->detail);
  g_clear_pointer (&f->requested.type, g_free);
  g_clear_pointer (&f->requested.args, json_object_unref);
  json_object_unref (f->appeal);
  sa_test_cache_free (f->cache, g_steal_pointer (&f->dir));
}

/* Activates @action as the menu would; returns the one window it opened, or NULL. */
static GtkWindow *
open_from_detail (Fixture    *f,
                  const char *action)
{
  g_autoptr(GPtrArray) open = NULL;

  close_windows ();
  gtk_widget_activate_action (GTK_WIDGET (f->detail), action, NULL);
  open = open_windows ();
  g_assert_cmpuint (open->len, <=, 1);
  return open->len == 1 ? open->pdata[0] : NULL;
}

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

static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
type_text (GtkWidget  *root,
           const char *text)
{
  GtkWidget *view = sa_test_find_by_type (root, GTK_TYPE_TEXT_VIEW, 0);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

/* Activates the row titled @title, as a click on it does. */
static void
choose (GtkWidget  *root,
        const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sa_test_collect (root, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      {
        adw_action_row_activate (g_ptr_array_index (rows, i));
        return;
      }
  g_assert_not_reached ();
}

static void
test_review_shows_reply (Fixture       *f,
                         gconstpointer  data)
{
  /* The review shows the appeal beside the reply under review, its
   * author by name, private and Kazakh, the last reviewer's comment; the
   * earlier version shows its own text, public and Russian. */
  GtkWindow *review = open_from_detail (f, "detail.review-reply");
  GtkWidget *versions;

  g_assert_true (SA_IS_REVIEW_WINDOW (review));
  g_assert_cmpstr (sa_review_window_get_reply_id (SA_REVIEW_WINDOW (review)), ==, "r-1");
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review),
                                      "В квартире +12 градусов, батареи холодные."));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review), "Жылу берілді, батареялар жылы."));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review),
                                      "Returned before with the comment: Укажите дату"));
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (review), "Author"), ==, "Абаев Ержан");
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (review), "Visibility"), ==,
                   "Private: only the applicant receives it");
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (review), "Language"), ==, "Kazakh");

  versions = sa_test_find_by_type (GTK_WIDGET (review), GTK_TYPE_DROP_DOWN, 0);
  {
    GListModel *titles = gtk_drop_down_get_model (GTK_DROP_DOWN (versions));

    g_assert_cmpuint (g_list_model_get_n_items (titles), ==, 2);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (titles), 0), ==,
                     "Version 2, under review");
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (titles), 1), ==,
                     "Version 1, submitted 25.11.2026 10:00");
  }
  gtk_drop_down_set_selected (GTK_DROP_DOWN (versions), 1);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review), "Отопление включено."));
  g_assert_false (sa_test_shows_label (GTK_WIDGET (review), "Жылу берілді, батареялар жылы."));
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (review), "Language"), ==, "Russian");
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (review), "Visibility"), ==,
                   "Public: may be published without the applicant’s personal data");
  g_assert_null (f->requested.type);
}

static void
test_review_approve (Fixture       *f,
                     gconstpointer  data)
{
  /* "Approve and Send" queues reply_approve of that reply, and the window closes. */
  GtkWindow *review = open_from_detail (f, "detail.review-reply");
  g_autoptr(GPtrArray) left = NULL;

  g_assert_nonnull (review);
  click (sa_test_find_button (GTK_WIDGET (review), "_Approve and Send"));
  g_assert_cmpstr (f->requested.type, ==, "reply_approve");
  g_assert_cmpstr (json_object_get_string_member (f->requested.args, "reply_id"), ==, "r-1");
  g_assert_cmpuint (json_object_get_size (f->requested.args), ==, 1);
  left = open_windows ();
  g_assert_cmpuint (left->len, ==, 0);
}

static void
test_review_ctrl_enter (Fixture       *f,
                        gconstpointer  data)
{
  /* Ctrl+Enter in the review approves, as the button does. */
  GtkWindow *review = open_from_detail (f, "detail.review-reply");

  g_assert_nonnull (review);
  sa_test_keys_focus_window (review);
  sa_test_press (GDK_KEY_Return, GDK_CONTROL_MASK);
  g_assert_cmpstr (f->requested.type, ==, "reply_approve");
  g_assert_cmpstr (json_object_get_string_member (f->requested.args, "reply_id"), ==, "r-1");
}

static void
test_review_return (Fixture       *f,
                    gconstpointer  data)
{
  /* "Return" asks for a comment, refuses a blank one, then queues
   * reply_return with the reply and the comment. */
  GtkWindow *review = open_from_detail (f, "detail.review-reply");
  g_autoptr(GPtrArray) open = NULL;
  SaOpDialog *dialog = NULL;
  GtkWidget *send;

  g_assert_nonnull (review);
  click (sa_test_find_button (GTK_WIDGET (review), "_Return…"));
  open = open_windows ();
  for (guint i = 0; i < open->len; i++)
    if (SA_IS_OP_DIALOG (open->pdata[i]))
      dialog = open->pdata[i];
  g_assert_nonnull (dialog);
  send = sa_test_find_button (GTK_WIDGET (dialog), "_Return");
  g_assert_false (gtk_widget_is_sensitive (send));
  type_text (GTK_WIDGET (dialog), "   ");
  g_assert_false (gtk_widget_is_sensitive (send));
  type_text (GTK_WIDGET (dialog), " Укажите, когда дали тепло. ");
  click (send);
  g_assert_cmpstr (f->requested.type, ==, "reply_return");
  g_assert_cmpstr (json_object_get_string_member (f->requested.args, "reply_id"), ==, "r-1");
  g_assert_cmpstr (json_object_get_string_member (f->requested.args, "comment"), ==,
                   "Укажите, когда дали тепло.");
}

static SaOpDialog *
open_op_dialog (void)
{
  g_autoptr(GPtrArray) open = open_windows ();

  for (guint i = 0; i < open->len; i++)
    if (SA_IS_OP_DIALOG (open->pdata[i]))
      return open->pdata[i];
  return NULL;
}

static void
test_review_joint_missing (Fixture       *f,
                           gconstpointer  data)
{
  /* A joint answer whose co-executor KSK-ZHETYSU has not sent its part:
   * Approve is off, the window names that agency (not the one that sent
   * its part), shows the sent part with its agency beside the answer, and
   * "Send without the Parts…" asks for a reason and queues reply_approve
   * with it. */
  GtkWindow *review;
  GtkWidget *without, *send;
  SaOpDialog *dialog;

  json_object_unref (f->appeal);
  f->appeal = parse (joint_json);
  set_user (f, SUPERVISOR);
  review = open_from_detail (f, "detail.review-reply");
  g_assert_true (SA_IS_REVIEW_WINDOW (review));
  g_assert_cmpstr (sa_review_window_get_reply_id (SA_REVIEW_WINDOW (review)), ==, "j-1");
  g_assert_false (gtk_widget_is_sensitive (sa_test_find_button (GTK_WIDGET (review),
                                                                "_Approve and Send")));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review),
                              "Not sent their part of the answer yet: КСК «Жетысу». Wait for "
                              "them, or send the answer without them, giving the reason."));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review), "ТОО «Алматы Ремонт»"));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review), "Трубы в подвале заменены 2 декабря."));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review), "Отопление подано."));

  /* Ctrl+Enter does not send it without the part. */
  gtk_widget_activate_action (GTK_WIDGET (review), "review.approve", NULL);
  g_assert_null (f->requested.type);

  without = sa_test_find_button (GTK_WIDGET (review), "Send _without the Parts…");
  g_assert_true (gtk_widget_get_visible (without));
  click (without);
  dialog = open_op_dialog ();
  g_assert_nonnull (dialog);
  send = sa_test_find_button (GTK_WIDGET (dialog), "_Send");
  g_assert_false (gtk_widget_is_sensitive (send));
  type_text (GTK_WIDGET (dialog), " КСК не отвечает неделю. ");
  click (send);
  g_assert_cmpstr (f->requested.type, ==, "reply_approve");
  g_assert_cmpstr (json_object_get_string_member (f->requested.args, "reply_id"), ==, "j-1");
  g_assert_cmpstr (json_object_get_string_member (f->requested.args, "without_parts_reason"), ==,
                   "КСК не отвечает неделю.");
}

static void
test_review_joint_complete (Fixture       *f,
                            gconstpointer  data)
{
  /* Every co-executor's part sent: Approve is on, nothing is said missing,
   * and there is nothing to send without. */
  GtkWindow *review;
  GtkWidget *without;

  json_object_unref (f->appeal);
  f->appeal = parse (joint_json);
  json_array_remove_element (json_object_get_array_member (f->appeal, "coexecutors"), 0);
  set_user (f, SUPERVISOR);
  review = open_from_detail (f, "detail.review-reply");
  g_assert_nonnull (review);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review), "Трубы в подвале заменены 2 декабря."));
  without = sa_test_find_button (GTK_WIDGET (review), "Send _without the Parts…");
  g_assert_false (gtk_widget_get_visible (without));
  click (sa_test_find_button (GTK_WIDGET (review), "_Approve and Send"));
  g_assert_cmpstr (f->requested.type, ==, "reply_approve");
  g_assert_cmpuint (json_object_get_size (f->requested.args), ==, 1);
}

static void
test_history_joint_and_delivery (Fixture       *f,
                                 gconstpointer  data)
{
  /* A sent joint answer names the agencies whose parts it includes and
   * the reason it went without the others; a delivery says whether the
   * applicant received the reply and what the channel reported. */
  g_autoptr(JsonObject) appeal = parse (joint_json);
  g_autoptr(JsonObject) sent = parse ("{\"type\":\"reply_sent\",\"payload\":{\"reply_id\":\"j-1\","
                                      "\"kind\":\"answer\",\"parts\":[\"p-2\"],"
                                      "\"without_parts_reason\":\"КСК не отвечает\"}}");
  g_autoptr(JsonObject) delivered = parse ("{\"type\":\"delivered\",\"payload\":{\"delivery_id\":4,"
                                           "\"reply_id\":\"j-1\",\"delivered\":true,"
                                           "\"detail\":\"SMS доставлено\"}}");
  g_autoptr(JsonObject) failed = parse ("{\"type\":\"delivered\",\"payload\":{\"delivery_id\":5,"
                                        "\"reply_id\":\"j-1\",\"delivered\":false}}");
  g_autofree char *sent_text = NULL;
  g_autofree char *delivered_text = NULL;
  g_autofree char *failed_text = NULL;

  json_object_set_string_member (sent, "type", sa_op_type_event (SA_OP_REPLY_APPROVE));
  json_object_set_string_member (delivered, "type", SA_EVENT_DELIVERED);
  sent_text = sa_history_describe_in (sent, appeal, f->cache);
  delivered_text = sa_history_describe_in (delivered, appeal, f->cache);
  failed_text = sa_history_describe_in (failed, appeal, f->cache);
  g_assert_cmpstr (sent_text, ==,
                   "With the parts of ТОО «Алматы Ремонт»\n"
                   "Sent without the co-executors’ missing parts: КСК не отвечает");
  g_assert_cmpstr (delivered_text, ==,
                   "The applicant received the reply\nThe channel reports: SMS доставлено");
  g_assert_cmpstr (failed_text, ==, "The channel could not deliver the reply");
  g_assert_cmpstr (sa_history_event_label (SA_EVENT_DELIVERED), ==, "Delivery to the applicant");

  /* Without parts in the event, the sent answer's own are named. */
  json_object_remove_member (json_object_get_object_member (sent, "payload"), "parts");
  json_object_remove_member (json_object_get_object_member (sent, "payload"),
                             "without_parts_reason");
  {
    JsonObject *answer = json_array_get_object_element (
                           json_object_get_array_member (appeal, "replies"), 0);
    JsonArray *parts = json_array_new ();
    g_autofree char *again = NULL;

    json_array_add_string_element (parts, "p-2");
    json_object_set_array_member (answer, "parts", parts);
    again = sa_history_describe_in (sent, appeal, f->cache);
    g_assert_cmpstr (again, ==, "With the parts of ТОО «Алматы Ремонт»");
  }
}

static void
test_review_own_reply (Fixture       *f,
                       gconstpointer  data)
{
  /* Its author, a supervisor too, may not approve it: the button is off,
   * Ctrl+Enter queues nothing, and the window says why in words. */
  GtkWindow *review = open_from_detail (f, "detail.review-reply");
  GtkWidget *approve;

  g_assert_nonnull (review);
  approve = sa_test_find_button (GTK_WIDGET (review), "_Approve and Send");
  g_assert_false (gtk_widget_is_sensitive (approve));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review), sa_rejection_message ("own_reply")));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review),
                              "A reply cannot be approved by its author: ask another supervisor."));
  gtk_widget_activate_action (GTK_WIDGET (review), "review.approve", NULL);
  g_assert_null (f->requested.type);
}

static void
test_review_offered (Fixture       *f,
                     gconstpointer  data)
{
  /* Review is offered to the agency's supervisors only, and only while a reply awaits approval. */
  g_assert_nonnull (open_from_detail (f, "detail.review-reply"));
  set_user (f, EXECUTOR);
  g_assert_null (open_from_detail (f, "detail.review-reply"));
  set_user (f, OTHER_SUPERVISOR);
  g_assert_null (open_from_detail (f, "detail.review-reply"));
  set_user (f, OPERATOR);
  g_assert_null (open_from_detail (f, "detail.review-reply"));
  set_user (f, SUPERVISOR);
  json_object_set_string_member (json_node_get_object (json_array_get_element (
                                   json_object_get_array_member (f->appeal, "replies"), 0)),
                                 "state", "sent");
  json_object_set_string_member (f->appeal, "status", "answered");
  sa_appeal_detail_set_appeal (f->detail, f->appeal);
  g_assert_null (open_from_detail (f, "detail.review-reply"));
  g_assert_null (f->requested.type);
}

/* The verdict form of an answered appeal, opened by an operator. */
static SaVerdictDialog *
open_verdict (Fixture *f)
{
  GtkWindow *dialog;

  json_object_set_string_member (f->appeal, "status", "answered");
  set_user (f, OPERATOR);
  dialog = open_from_detail (f, "detail.record-verdict");
  g_assert_true (SA_IS_VERDICT_DIALOG (dialog));
  return SA_VERDICT_DIALOG (dialog);
}

static void
test_verdict_disagrees (Fixture       *f,
                        gconstpointer  data)
{
  /* A disagreement needs a rating; then it queues feedback with agree
   * false, the rating and the applicant's words. */
  SaVerdictDialog *dialog = open_verdict (f);
  GtkWidget *record = sa_test_find_button (GTK_WIDGET (dialog), "_Record");

  g_assert_false (gtk_widget_is_sensitive (record));
  choose (GTK_WIDGET (dialog), "The applicant disagrees");
  g_assert_false (gtk_widget_is_sensitive (record));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (dialog),
                                      "Choose the applicant’s rating, from 1 to 5."));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (sa_test_find_button (GTK_WIDGET (dialog), "2")),
                                TRUE);
  type_text (GTK_WIDGET (dialog), "  Батареи всё ещё холодные  ");
  click (record);
  g_assert_cmpstr (f->requested.type, ==, "feedback");
  g_assert_false (json_object_get_boolean_member (f->requested.args, "agree"));
  g_assert_cmpint (json_object_get_int_member (f->requested.args, "rating"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (f->requested.args, "comment"), ==,
                   "Батареи всё ещё холодные");
  g_assert_false (json_object_has_member (f->requested.args, "reached"));
}

static void
test_verdict_agrees (Fixture       *f,
                     gconstpointer  data)
{
  /* An agreement with a rating and no words queues exactly agree and rating. */
  SaVerdictDialog *dialog = open_verdict (f);

  choose (GTK_WIDGET (dialog), "The applicant agrees");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (sa_test_find_button (GTK_WIDGET (dialog), "5")),
                                TRUE);
  click (sa_test_find_button (GTK_WIDGET (dialog), "_Record"));
  g_assert_cmpstr (f->requested.type, ==, "feedback");
  g_assert_true (json_object_get_boolean_member (f->requested.args, "agree"));
  g_assert_cmpint (json_object_get_int_member (f->requested.args, "rating"), ==, 5);
  g_assert_cmpuint (json_object_get_size (f->requested.args), ==, 2);
}

static void
test_verdict_not_reached (Fixture       *f,
                          gconstpointer  data)
{
  /* "Could not be reached" is refused with fewer calls than the rules
   * ask for, saying so; with enough it queues reached false and the calls. */
  SaVerdictDialog *dialog = open_verdict (f);
  GtkWidget *record = sa_test_find_button (GTK_WIDGET (dialog), "_Record");
  GtkSpinButton *calls;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) args = NULL;

  choose (GTK_WIDGET (dialog), "The applicant could not be reached");
  calls = GTK_SPIN_BUTTON (sa_test_find_by_type (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON, 0));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (calls)));
  gtk_spin_button_set_value (calls, SA_FEEDBACK_ATTEMPTS_MIN - 1);
  g_assert_false (gtk_widget_is_sensitive (record));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (dialog),
                              "An appeal is closed without the applicant’s verdict only after at "
                              "least 3 calls."));
  args = sa_verdict_dialog_dup_args (dialog, &error);
  g_assert_null (args);
  g_assert_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "verdict.accept", NULL);
  g_assert_null (f->requested.type);

  gtk_spin_button_set_value (calls, SA_FEEDBACK_ATTEMPTS_MIN);
  click (record);
  g_assert_cmpstr (f->requested.type, ==, "feedback");
  g_assert_false (json_object_get_boolean_member (f->requested.args, "reached"));
  g_assert_cmpint (json_object_get_int_member (f->requested.args, "attempts"), ==,
                   SA_FEEDBACK_ATTEMPTS_MIN);
  g_assert_cmpuint (json_object_get_size (f->requested.args), ==, 2);
}

static void
test_verdict_offered (Fixture       *f,
                      gconstpointer  data)
{
  /* The verdict is an operator's, on an answered appeal only. */
  json_object_set_string_member (f->appeal, "status", "answered");
  set_user (f, SUPERVISOR);
  g_assert_null (open_from_detail (f, "detail.record-verdict"));
  json_object_set_string_member (f->appeal, "status", "in_progress");
  set_user (f, OPERATOR);
  g_assert_null (open_from_detail (f, "detail.record-verdict"));
  json_object_set_string_member (f->appeal, "status", "answered");
  sa_appeal_detail_set_appeal (f->detail, f->appeal);
  g_assert_nonnull (open_from_detail (f, "detail.record-verdict"));
}

static void
test_info_received (Fixture       *f,
                    gconstpointer  data)
{
  /* On an appeal waiting for the applicant, the operator records the
   * answer: info_received with the text; not offered once it is in work. */
  GtkWindow *dialog;

  json_object_set_string_member (f->appeal, "status", "in_progress");
  set_user (f, OPERATOR);
  g_assert_null (open_from_detail (f, "detail.record-info"));
  json_object_set_string_member (f->appeal, "status", "info_requested");
  sa_appeal_detail_set_appeal (f->detail, f->appeal);
  dialog = open_from_detail (f, "detail.record-info");
  g_assert_true (SA_IS_OP_DIALOG (dialog));
  g_assert_false (gtk_widget_is_sensitive (sa_test_find_button (GTK_WIDGET (dialog), "_Record")));
  type_text (GTK_WIDGET (dialog), "Квартира 14, звонить после 18:00");
  click (sa_test_find_button (GTK_WIDGET (dialog), "_Record"));
  g_assert_cmpstr (f->requested.type, ==, "info_received");
  g_assert_cmpstr (json_object_get_string_member (f->requested.args, "text"), ==,
                   "Квартира 14, звонить после 18:00");
  g_assert_cmpuint (json_object_get_size (f->requested.args), ==, 1);
}

static void
test_history_words (void)
{
  /* The history tells a returned reply's comment and the verdict with its rating. */
  g_autoptr(JsonObject) returned = parse ("{\"type\":\"reply_returned\",\"payload\":{\"reply_id\":\"r\","
                                          "\"kind\":\"answer\",\"comment\":\"Укажите дату\"}}");
  g_autoptr(JsonObject) disagreed = parse ("{\"type\":\"feedback\",\"payload\":{\"agree\":false,"
                                           "\"rating\":2,\"comment\":\"Холодно\","
                                           "\"status\":\"reopened\"}}");
  g_autoptr(JsonObject) unreached = parse ("{\"type\":\"feedback\",\"payload\":{\"reached\":false,"
                                           "\"attempts\":4,\"status\":\"closed\"}}");
  g_autoptr(JsonObject) notice = parse ("{\"type\":\"reply_submitted\",\"payload\":{\"reply_id\":\"r\","
                                        "\"kind\":\"notice\",\"version\":2}}");
  g_autofree char *returned_text = NULL;
  g_autofree char *disagreed_text = NULL;
  g_autofree char *unreached_text = NULL;
  g_autofree char *notice_text = NULL;

  json_object_set_string_member (returned, "type", sa_op_type_event (SA_OP_REPLY_RETURN));
  json_object_set_string_member (disagreed, "type", sa_op_type_event (SA_OP_FEEDBACK));
  json_object_set_string_member (unreached, "type", sa_op_type_event (SA_OP_FEEDBACK));
  json_object_set_string_member (notice, "type", sa_op_type_event (SA_OP_REPLY_SUBMIT));
  returned_text = sa_history_describe (returned, NULL);
  disagreed_text = sa_history_describe (disagreed, NULL);
  unreached_text = sa_history_describe (unreached, NULL);
  notice_text = sa_history_describe (notice, NULL);
  g_assert_cmpstr (returned_text, ==, "Returned with the comment: Укажите дату");
  g_assert_cmpstr (disagreed_text, ==,
                   "The applicant disagrees; the appeal is reopened under control\n"
                   "Rating: 2 of 5\n"
                   "The applicant’s words: Холодно");
  g_assert_cmpstr (unreached_text, ==,
                   "The applicant could not be reached after 4 calls; the appeal is closed");
  g_assert_cmpstr (notice_text, ==, "Notice of extension\nVersion 2");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SaApplication) app = NULL;

  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("TZ", "Asia/Almaty", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = sa_application_new ();

  g_test_add_func ("/sa/review/history-words", test_history_words);
#define ADD(path, func, user) \
  g_test_add ("/sa/review/" path, Fixture, user, fixture_setup, func, fixture_teardown)
  ADD ("window/shows-reply", test_review_shows_reply, NULL);
  ADD ("window/approve", test_review_approve, NULL);
  ADD ("window/ctrl-enter", test_review_ctrl_enter, NULL);
  ADD ("window/return", test_review_return, NULL);
  ADD ("window/own-reply", test_review_own_reply, AUTHOR_SUPERVISOR);
  ADD ("window/joint-missing", test_review_joint_missing, NULL);
  ADD ("window/joint-complete", test_review_joint_complete, NULL);
  ADD ("history-joint-and-delivery", test_history_joint_and_delivery, NULL);
  ADD ("offered", test_review_offered, NULL);
  ADD ("verdict/disagrees", test_verdict_disagrees, NULL);
  ADD ("verdict/agrees", test_verdict_agrees, NULL);
  ADD ("verdict/not-reached", test_verdict_not_reached, NULL);
  ADD ("verdict/offered", test_verdict_offered, NULL);
  ADD ("info-received", test_info_received, NULL);
#undef ADD
  return g_test_run ();
}
