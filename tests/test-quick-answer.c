/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sa-test-widgets.h"

#include <adwaita.h>

#include "sa-application.h"
#include "sa-appeal-model.h"
#include "sa-quick-answer-dialog.h"
#include "sa-reply-template-picker.h"
#include "sa-test-cache.h"

/* The contact centre's answer on the first call: the operator picks a
 * quick answer, it goes in filled from the appeal, a blank left in braces
 * holds Send back, and what is sent is the quick_answer the registry
 * takes. */

#define OPERATOR "{\"login\":\"operator.109\",\"role\":\"operator\",\"agency\":\"IKOMEK-109\"}"
#define EXECUTOR "{\"login\":\"executor.teplo\",\"role\":\"executor\",\"agency\":\"ALMATY-TEPLO\"}"

static const char feed[] =
  "[{\"seq\":1,\"kind\":\"user\",\"id\":\"operator.109\",\"data\":{\"login\":\"operator.109\","
  "  \"full_name\":\"Жумабекова Асель\",\"agency\":\"IKOMEK-109\",\"role\":\"operator\","
  "  \"disabled\":false}},"
  " {\"seq\":2,\"kind\":\"agency\",\"id\":\"IKOMEK-109\",\"data\":{\"code\":\"IKOMEK-109\","
  "  \"name_ru\":\"Единый контакт-центр 109\",\"name_kk\":\"109 бірыңғай байланыс орталығы\","
  "  \"kind\":\"contact_centre\"}},"
  " {\"seq\":3,\"kind\":\"template\",\"id\":\"access-needed-ru\",\"data\":"
  "  {\"id\":\"access-needed-ru\",\"agency\":null,\"category\":\"*\",\"language\":\"ru\","
  "   \"title\":\"Нужен доступ в помещение\",\"text\":\"Уважаемый(ая) {applicant_name}! По обращению"
  " № {reg_number} нужен доступ. {executor_name}, {agency_name}\",\"disabled\":false}},"
  " {\"seq\":4,\"kind\":\"template\",\"id\":\"work-scheduled-ru\",\"data\":"
  "  {\"id\":\"work-scheduled-ru\",\"agency\":null,\"category\":\"*\",\"language\":\"ru\","
  "   \"title\":\"Работы запланированы\",\"text\":\"Работы будут выполнены до {date}.\","
  "   \"disabled\":false}}]";

static const char appeal_json[] =
  "{\"id\":\"0b7c\",\"reg_number\":\"ALA-2026-000042\",\"status\":\"registered\","
  "\"agency\":\"ALMATY-TEPLO\",\"executor\":null,\"category\":\"heating.no-heat\","
  "\"language\":\"ru\",\"version\":1,\"received_at\":\"2026-11-20T04:30:00Z\","
  "\"applicant\":{\"name\":\"Айгуль Серикова\"},\"address\":{\"text\":\"пр. Абая, 52\"}}";

static JsonObject *
parse (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return json_object_ref (json_node_get_object (node));
}

static char *
shown_text (SaQuickAnswerDialog *dialog)
{
  GtkTextView *view = GTK_TEXT_VIEW (sa_test_find_by_type (GTK_WIDGET (dialog),
                                                           GTK_TYPE_TEXT_VIEW, 0));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
on_accepted (SaQuickAnswerDialog *dialog,
             gpointer             data)
{
  JsonObject **out = data;

  *out = sa_quick_answer_dialog_dup_args (dialog, NULL);
}

static void
test_send (void)
{
  /* The picker lists the quick answers; the chosen one goes in with the applicant, number, operator and contact centre filled; a blank in braces keeps Send off with a reason; completed, Send gives the quick_answer args with the template and the text. */
  char *dir = NULL;  /* sa_test_cache_free() takes it */
  SaCache *cache = sa_test_cache_new (&dir, "operator.109", "IKOMEK-109");
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  g_autoptr(JsonObject) user = parse (OPERATOR);
  g_autoptr(JsonObject) args = NULL;
  g_autofree char *text = NULL;
  SaQuickAnswerDialog *dialog;
  SaReplyTemplatePicker *picker;
  GtkTextBuffer *buffer;

  sa_test_cache_feed (cache, 4, feed);
  dialog = sa_quick_answer_dialog_new (NULL, appeal, user, cache);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_signal_connect (dialog, "accepted", G_CALLBACK (on_accepted), &args);
  gtk_window_present (GTK_WINDOW (dialog));
  picker = SA_REPLY_TEMPLATE_PICKER (sa_test_find_by_type (GTK_WIDGET (dialog),
                                                           SA_TYPE_REPLY_TEMPLATE_PICKER, 0));
  g_assert_cmpuint (sa_reply_template_picker_get_n_shown (picker), ==, 2);
  /* Nothing chosen: Send does nothing and the dialog says why. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "quick.send", NULL);
  g_assert_null (args);
  g_assert_nonnull (dialog);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (dialog), "Choose a quick answer."));

  sa_quick_answer_dialog_choose (dialog, "access-needed-ru",
                                 "Уважаемый(ая) {applicant_name}! По обращению № {reg_number} "
                                 "нужен доступ. {executor_name}, {agency_name}");
  text = shown_text (dialog);
  g_assert_cmpstr (text, ==, "Уважаемый(ая) Айгуль Серикова! По обращению № ALA-2026-000042 "
                             "нужен доступ. Жумабекова Асель, Единый контакт-центр 109");
  g_clear_pointer (&text, g_free);

  sa_quick_answer_dialog_choose (dialog, "work-scheduled-ru", "Работы будут выполнены до {date}.");
  g_assert_null (sa_quick_answer_dialog_dup_args (dialog, NULL));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "quick.send", NULL);
  g_assert_null (args);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (dialog),
                                      "Fill in what is left in braces before sending."));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (sa_test_find_by_type (GTK_WIDGET (dialog),
                                                                          GTK_TYPE_TEXT_VIEW,
                                                                          0)));
  gtk_text_buffer_set_text (buffer, "Работы будут выполнены до 14 декабря.", -1);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "quick.send", NULL);
  g_assert_nonnull (args);
  g_assert_cmpstr (json_object_get_string_member (args, "template_id"), ==, "work-scheduled-ru");
  g_assert_cmpstr (json_object_get_string_member (args, "text"), ==,
                   "Работы будут выполнены до 14 декабря.");
  g_assert_cmpstr (json_object_get_string_member (args, "language"), ==, "ru");
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (args, "reply_id")));
  /* Sent, the dialog is gone. */
  while (dialog != NULL)
    g_main_context_iteration (NULL, TRUE);
  sa_test_cache_free (cache, dir);
}

static void
test_only_operators_on_fresh (void)
{
  /* Only an operator, and only on a fresh appeal, may answer on the call. */
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  g_autoptr(JsonObject) taken = parse (appeal_json);
  g_autoptr(JsonObject) op = parse (OPERATOR);
  g_autoptr(JsonObject) exec = parse (EXECUTOR);
  SaAppealState state;
  SaActor actor;

  json_object_set_string_member (taken, "status", "in_progress");
  g_assert_true (sa_appeal_state_init_from_json (&state, appeal));
  g_assert_true (sa_actor_init_from_json (&actor, op));
  g_assert_true (sa_op_check (SA_OP_QUICK_ANSWER, &actor, &state, NULL, 0, NULL));
  g_assert_true (sa_actor_init_from_json (&actor, exec));
  g_assert_false (sa_op_check (SA_OP_QUICK_ANSWER, &actor, &state, NULL, 0, NULL));
  sa_appeal_state_clear (&state);
  g_assert_true (sa_appeal_state_init_from_json (&state, taken));
  g_assert_true (sa_actor_init_from_json (&actor, op));
  g_assert_false (sa_op_check (SA_OP_QUICK_ANSWER, &actor, &state, NULL, 0, NULL));
  sa_appeal_state_clear (&state);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SaApplication) app = NULL;

  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Its resources: the dialog's template. */
  app = sa_application_new ();
  g_test_add_func ("/sa/quick-answer/send", test_send);
  g_test_add_func ("/sa/quick-answer/only-operators-on-fresh", test_only_operators_on_fresh);
  return g_test_run ();
}
