/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "sa-appeal-detail.h"
#include "sa-appeal-model.h"
#include "sa-application.h"
#include "sa-reply-editor.h"
#include "sa-reply-template-picker.h"
#include "sa-test-cache.h"
#include "sa-test-keys.h"
#include "sa-test-widgets.h"

/* The reply editor's templates and kinds, over a real cache: the search
 * lists the category's templates in the reply's language, a chosen one
 * goes in filled and is saved like typing, what is left to fill is
 * tagged; a notice is offered while an extension is not told, and a
 * co-executor writes its part. */

#define APPEAL "22222222-2222-4222-8222-222222222222"
#define REG    "ALA-2026-000456"

#define APPEAL_JSON(extra, replies) \
  "{\"id\":\"" APPEAL "\",\"reg_number\":\"" REG "\",\"channel\":\"egov\"," \
  "\"status\":\"in_progress\",\"priority\":\"normal\",\"category\":\"heating.no-heat\"," \
  "\"agency\":\"ENERGY\",\"executor\":\"me\",\"language\":\"ru\"," \
  "\"applicant\":{\"name\":\"Сапарова Әлия\",\"iin\":\"900101300123\"}," \
  extra \
  "\"text\":\"Нет отопления\",\"received_at\":\"2026-11-20T10:00:00+05:00\"," \
  "\"legal_due_at\":\"2026-12-10T10:00:00+05:00\",\"version\":3,\"is_repeat\":false," \
  "\"replies\":" replies "," \
  "\"history\":[{\"seq\":1,\"at\":\"2026-11-20T10:00:00+05:00\",\"actor\":\"operator1\"," \
  "\"type\":\"registered\",\"payload\":{}}]}"

#define ADDRESS "\"address\":{\"text\":\"улица Жарокова, 7\",\"district\":\"almaly\"},"

static const char reference[] =
  "[{\"seq\":1,\"kind\":\"agency\",\"id\":\"ENERGY\",\"data\":{\"code\":\"ENERGY\","
  "  \"name_ru\":\"Алматинские тепловые сети\",\"name_kk\":\"Алматы жылу желілері\","
  "  \"kind\":\"utility\"}},"
  " {\"seq\":2,\"kind\":\"agency\",\"id\":\"WATER\",\"data\":{\"code\":\"WATER\","
  "  \"name_ru\":\"Алматы Су\",\"name_kk\":\"Алматы Су\",\"kind\":\"utility\"}},"
  " {\"seq\":3,\"kind\":\"user\",\"id\":\"me\",\"data\":{\"login\":\"me\","
  "  \"full_name\":\"Жумабаев Нурлан\",\"agency\":\"ENERGY\",\"role\":\"executor\","
  "  \"disabled\":false}},"
  " {\"seq\":4,\"kind\":\"template\",\"id\":\"heat-ru\",\"data\":{\"id\":\"heat-ru\","
  "  \"agency\":null,\"category\":\"heating.*\",\"language\":\"ru\","
  "  \"title\":\"Отопление восстановлено\",\"text\":\"Уважаемый(ая) {applicant_name}! По "
  "обращению № {reg_number} по адресу: {address} подача тепла восстановлена.\\n"
  "{executor_name}, {agency_name}\",\"disabled\":false}},"
  " {\"seq\":5,\"kind\":\"template\",\"id\":\"heat-kk\",\"data\":{\"id\":\"heat-kk\","
  "  \"agency\":null,\"category\":\"heating.*\",\"language\":\"kk\",\"title\":\"Жылу берілді\","
  "  \"text\":\"Құрметті {applicant_name}! Жылу беру қалпына келтірілді.\\n{agency_name}\","
  "  \"disabled\":false}},"
  " {\"seq\":6,\"kind\":\"template\",\"id\":\"extended-ru\",\"data\":{\"id\":\"extended-ru\","
  "  \"agency\":null,\"category\":\"*\",\"language\":\"ru\",\"title\":\"Срок продлён\","
  "  \"text\":\"Срок по обращению № {reg_number} продлён до {due_date}.\",\"disabled\":false}},"
  " {\"seq\":7,\"kind\":\"template\",\"id\":\"water-ru\",\"data\":{\"id\":\"water-ru\","
  "  \"agency\":null,\"category\":\"water.*\",\"language\":\"ru\","
  "  \"title\":\"Вода подана\",\"text\":\"Вода подана.\",\"disabled\":false}}]";

#define ME "{\"login\":\"me\",\"role\":\"executor\",\"agency\":\"ENERGY\",\"full_name\":\"Жумабаев Нурлан\"}"

typedef struct
{
  char       *dir;
  SaCache    *cache;
  JsonObject *user;
} Fixture;

static JsonObject *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static void
feed_appeal (Fixture    *f,
             const char *appeal_json)
{
  g_autofree char *page = g_strdup_printf ("[{\"seq\":20,\"kind\":\"appeal\",\"id\":\"" APPEAL
                                           "\",\"data\":%s}]", appeal_json);

  sa_test_cache_feed (f->cache, 20, page);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->cache = sa_test_cache_new (&f->dir, "me", "ENERGY");
  sa_test_cache_feed (f->cache, 7, reference);
  feed_appeal (f, APPEAL_JSON (ADDRESS, "[]"));
  f->user = parse (ME);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  json_object_unref (f->user);
  sa_test_cache_free (f->cache, f->dir);
}

static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (2000);
    }
}

static SaReplyEditor *
open_editor (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sa_cache_get_appeal (f->cache, APPEAL, &error);
  SaReplyEditor *editor;

  g_assert_no_error (error);
  editor = sa_reply_editor_new (NULL, f->cache, json_node_get_object (node), f->user);
  gtk_window_present (GTK_WINDOW (editor));
  settle (20);
  return editor;
}

static SaReplyTemplatePicker *
picker_of (SaReplyEditor *editor)
{
  return SA_REPLY_TEMPLATE_PICKER (sa_test_find_by_type (GTK_WIDGET (editor),
                                                         SA_TYPE_REPLY_TEMPLATE_PICKER, 0));
}

static GtkTextBuffer *
buffer_of (SaReplyEditor *editor)
{
  GtkWidget *view = sa_test_find_by_type (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW, 0);

  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

static char *
buffer_text (SaReplyEditor *editor)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer_of (editor), &start, &end);
  return gtk_text_buffer_get_text (buffer_of (editor), &start, &end, FALSE);
}

/* The ids the list shows, in its order. */
static char *
shown (SaReplyEditor *editor)
{
  SaReplyTemplatePicker *picker = picker_of (editor);
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < sa_reply_template_picker_get_n_shown (picker); i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? " " : "",
                            sa_reply_template_picker_get_shown_id (picker, i));
  return g_string_free (ids, FALSE);
}

static void
search_for (SaReplyEditor *editor,
            const char    *query)
{
  GtkWidget *entry = sa_test_find_by_type (GTK_WIDGET (picker_of (editor)),
                                           GTK_TYPE_SEARCH_ENTRY, 0);

  gtk_editable_set_text (GTK_EDITABLE (entry), query);
  /* The entry waits for a pause in typing. */
  settle (400);
}

static void
wait_saved (SaReplyEditor *editor)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!sa_reply_editor_is_saved (editor) && g_get_monotonic_time () < deadline)
    settle (10);
  g_assert_true (sa_reply_editor_is_saved (editor));
}

/* The outbox's one entry, a pending reply_save. */
static JsonObject *
only_save (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = sa_cache_list_outbox (f->cache, &error);
  SaOutboxEntry *e;

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  e = entries->pdata[0];
  g_assert_cmpstr (e->type, ==, "reply_save");
  g_assert_cmpint (e->state, ==, SA_OP_PENDING);
  return json_object_ref (json_node_get_object (e->args));
}

/* The kind dropdown: the second one, after the language. */
static GtkDropDown *
kind_dropdown (SaReplyEditor *editor)
{
  return GTK_DROP_DOWN (sa_test_find_by_type (GTK_WIDGET (editor), GTK_TYPE_DROP_DOWN, 1));
}

static void
test_listed_for_category_and_language (Fixture       *f,
                                       gconstpointer  data)
{
  /* The search lists the templates of the appeal's category (its sphere, then any) in the reply's language; another sphere's never; the words typed narrow it; the other language lists its own. */
  SaReplyEditor *editor = open_editor (f);
  g_autofree char *all = shown (editor);
  g_autofree char *narrowed = NULL;
  g_autofree char *kazakh = NULL;
  GtkDropDown *language = GTK_DROP_DOWN (sa_test_find_by_type (GTK_WIDGET (editor),
                                                               GTK_TYPE_DROP_DOWN, 0));

  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (picker_of (editor))));
  g_assert_cmpstr (all, ==, "heat-ru extended-ru");
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Отопление восстановлено"));
  search_for (editor, "продлен");
  narrowed = shown (editor);
  g_assert_cmpstr (narrowed, ==, "extended-ru");
  search_for (editor, "");
  gtk_drop_down_set_selected (language, 1);
  settle (20);
  kazakh = shown (editor);
  g_assert_cmpstr (kazakh, ==, "heat-kk");
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Жылу берілді"));
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_choose_fills_and_saves (Fixture       *f,
                             gconstpointer  data)
{
  /* With the keyboard: typed in the search, Down to the list and Enter, the template goes in with the applicant, the number, the address, the writer's full name and the agency's name filled; it is saved as one pending reply_save with that text, an answer. */
  SaReplyEditor *editor = open_editor (f);
  GtkWidget *entry = sa_test_find_by_type (GTK_WIDGET (picker_of (editor)),
                                           GTK_TYPE_SEARCH_ENTRY, 0);
  const char *expected = "Уважаемый(ая) Сапарова Әлия! По обращению № " REG " по адресу: "
                         "улица Жарокова, 7 подача тепла восстановлена.\n"
                         "Жумабаев Нурлан, Алматинские тепловые сети";
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) args = NULL;

  sa_test_keys_focus_window (GTK_WINDOW (editor));
  gtk_widget_grab_focus (entry);
  sa_test_keys_settle (50);
  gtk_editable_set_text (GTK_EDITABLE (entry), "отопл");
  settle (400);
  g_assert_cmpuint (sa_reply_template_picker_get_n_shown (picker_of (editor)), ==, 1);
  sa_test_press (GDK_KEY_Down, 0);
  sa_test_press (GDK_KEY_Return, 0);
  sa_test_keys_settle (100);
  text = buffer_text (editor);
  g_assert_cmpstr (text, ==, expected);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), expected));
  wait_saved (editor);
  args = only_save (f);
  g_assert_cmpstr (json_object_get_string_member (args, "text"), ==, expected);
  g_assert_cmpstr (json_object_get_string_member (args, "kind"), ==, "answer");
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Answer"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (kind_dropdown (editor))));
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_inserted_at_cursor (Fixture       *f,
                         gconstpointer  data)
{
  /* After text already written, a template goes in at the cursor and the text before it stays; the arrows walk the list (Down twice: the second template). */
  SaReplyEditor *editor = open_editor (f);
  GtkWidget *entry = sa_test_find_by_type (GTK_WIDGET (picker_of (editor)),
                                           GTK_TYPE_SEARCH_ENTRY, 0);
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) args = NULL;

  g_assert_true (gtk_text_buffer_insert_interactive_at_cursor (buffer_of (editor),
                                                               "Добрый день. ", -1, TRUE));
  sa_test_keys_focus_window (GTK_WINDOW (editor));
  gtk_widget_grab_focus (entry);
  sa_test_keys_settle (50);
  sa_test_press (GDK_KEY_Down, 0);
  sa_test_press (GDK_KEY_Down, 0);
  sa_test_press (GDK_KEY_Return, 0);
  sa_test_keys_settle (100);
  text = buffer_text (editor);
  g_assert_cmpstr (text, ==, "Добрый день. Срок по обращению № " REG " продлён до 10.12.2026.");
  wait_saved (editor);
  args = only_save (f);
  g_assert_cmpstr (json_object_get_string_member (args, "text"), ==, text);
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_unfilled_tagged (Fixture       *f,
                      gconstpointer  data)
{
  /* A placeholder the appeal cannot fill (no address) stays in the text, tagged and selected so that typing replaces it; the filled parts are not tagged; once typed over, nothing is tagged. */
  SaReplyEditor *editor;
  GtkWidget *entry;
  GtkTextBuffer *buffer;
  GtkTextTag *tag;
  GtkTextIter at, sel_start, sel_end;
  g_autofree char *text = NULL;
  g_autofree char *selected = NULL;
  g_autofree char *after = NULL;
  const char *found;

  feed_appeal (f, APPEAL_JSON ("", "[]"));
  editor = open_editor (f);
  entry = sa_test_find_by_type (GTK_WIDGET (picker_of (editor)), GTK_TYPE_SEARCH_ENTRY, 0);
  buffer = buffer_of (editor);
  tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "placeholder");
  g_assert_nonnull (tag);
  search_for (editor, "отопл");
  g_signal_emit_by_name (entry, "activate");
  settle (20);
  text = buffer_text (editor);
  found = strstr (text, "{address}");
  g_assert_nonnull (found);
  g_assert_null (strstr (text, "{applicant_name}"));
  gtk_text_buffer_get_iter_at_offset (buffer, &at, g_utf8_pointer_to_offset (text, found));
  g_assert_true (gtk_text_iter_has_tag (&at, tag));
  gtk_text_buffer_get_start_iter (buffer, &at);
  g_assert_false (gtk_text_iter_has_tag (&at, tag));
  g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &sel_start, &sel_end));
  selected = gtk_text_buffer_get_text (buffer, &sel_start, &sel_end, FALSE);
  g_assert_cmpstr (selected, ==, "{address}");

  gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
  g_assert_true (gtk_text_buffer_insert_interactive_at_cursor (buffer, "улица Абая, 1", -1,
                                                               TRUE));
  after = buffer_text (editor);
  g_assert_nonnull (strstr (after, "по адресу: улица Абая, 1 подача"));
  gtk_text_buffer_get_start_iter (buffer, &at);
  g_assert_false (gtk_text_iter_forward_to_tag_toggle (&at, tag));
  wait_saved (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
}

#define EXTENDED "\"notify_applicant_by\":\"2026-12-01T18:00:00+05:00\"," \
                 "\"applicant_notified_at\":null,"

static void
test_notice_offered (Fixture       *f,
                     gconstpointer  data)
{
  /* Extended and the applicant not told yet, the editor offers "Notice of extension", chosen first; the preview says so; typed, it is saved with kind notice, and then the kind no longer changes. */
  SaReplyEditor *editor;
  GtkDropDown *kinds;
  g_autoptr(JsonObject) args = NULL;
  GtkStringObject *item;

  feed_appeal (f, APPEAL_JSON (ADDRESS EXTENDED, "[]"));
  editor = open_editor (f);
  kinds = kind_dropdown (editor);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (kinds)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (kinds)));
  item = gtk_drop_down_get_selected_item (kinds);
  g_assert_cmpstr (gtk_string_object_get_string (item), ==, "Notice of extension");
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Notice of extension"));

  g_assert_true (gtk_text_buffer_insert_interactive_at_cursor (buffer_of (editor),
                                                               "Срок продлён до 25 декабря.",
                                                               -1, TRUE));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (kinds)));
  wait_saved (editor);
  args = only_save (f);
  g_assert_cmpstr (json_object_get_string_member (args, "kind"), ==, "notice");
  g_assert_cmpstr (json_object_get_string_member (args, "text"), ==,
                   "Срок продлён до 25 декабря.");
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_notice_or_answer (Fixture       *f,
                       gconstpointer  data)
{
  /* While the notice is not begun, the writer may turn to the answer: their answer's draft opens, its kind answer, and what they type is saved to it. */
  SaReplyEditor *editor;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) args = NULL;

  feed_appeal (f, APPEAL_JSON (ADDRESS EXTENDED,
                               "[{\"id\":\"dddddddd-dddd-4ddd-8ddd-dddddddddddd\","
                               "\"kind\":\"answer\",\"agency\":\"ENERGY\",\"state\":\"draft\","
                               "\"visibility\":\"private\",\"language\":\"ru\","
                               "\"text\":\"Черновик ответа.\",\"author\":\"me\",\"version\":0}]"));
  editor = open_editor (f);
  text = buffer_text (editor);
  g_assert_cmpstr (text, ==, "");
  gtk_drop_down_set_selected (kind_dropdown (editor), 0);
  settle (20);
  g_clear_pointer (&text, g_free);
  text = buffer_text (editor);
  g_assert_cmpstr (text, ==, "Черновик ответа.");
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Answer"));
  g_assert_cmpstr (sa_reply_editor_get_reply_id (editor), ==,
                   "dddddddd-dddd-4ddd-8ddd-dddddddddddd");
  g_assert_true (gtk_text_buffer_insert_interactive_at_cursor (buffer_of (editor), " Дополнено.",
                                                               -1, TRUE));
  wait_saved (editor);
  args = only_save (f);
  g_assert_cmpstr (json_object_get_string_member (args, "kind"), ==, "answer");
  g_assert_cmpstr (json_object_get_string_member (args, "reply_id"), ==,
                   "dddddddd-dddd-4ddd-8ddd-dddddddddddd");
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_coexecutor_writes_part (Fixture       *f,
                             gconstpointer  data)
{
  /* An executor of a co-executor agency sees Reply sensitive; the editor writes that agency's part, says so in the preview, and saves it with kind part; no notice is offered; opened again, it shows that draft. */
  g_autoptr(JsonObject) co = parse ("{\"login\":\"co\",\"role\":\"executor\",\"agency\":\"WATER\","
                                    "\"full_name\":\"Серикова Дана\"}");
  GtkWidget *window = gtk_window_new ();
  SaAppealDetail *detail = SA_APPEAL_DETAIL (sa_appeal_detail_new ());
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autofree char *text = NULL;
  SaReplyEditor *editor;

  /* The cache is this user's, as the desk's is: its ops are theirs. */
  g_assert_true (sa_cache_set_identity (f->cache, "co", "WATER", &error));
  g_assert_no_error (error);
  feed_appeal (f, APPEAL_JSON (ADDRESS EXTENDED "\"coexecutors\":[\"WATER\"],", "[]"));
  node = sa_cache_get_appeal (f->cache, APPEAL, &error);
  g_assert_no_error (error);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (detail));
  sa_appeal_detail_set_cache (detail, f->cache);
  sa_appeal_detail_set_appeal (detail, json_node_get_object (node));
  sa_appeal_detail_set_user (detail, co);
  gtk_window_present (GTK_WINDOW (window));
  settle (20);
  g_assert_true (gtk_widget_is_sensitive (sa_test_find_button (GTK_WIDGET (detail), "_Reply…")));
  gtk_window_destroy (GTK_WINDOW (window));

  editor = sa_reply_editor_new (NULL, f->cache, json_node_get_object (node), co);
  gtk_window_present (GTK_WINDOW (editor));
  settle (20);
  g_assert_true (sa_reply_editor_is_editable (editor));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Part of a joint answer"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (kind_dropdown (editor))));
  g_assert_true (gtk_text_buffer_insert_interactive_at_cursor (buffer_of (editor),
                                                               "Водоканал: давление восстановлено.",
                                                               -1, TRUE));
  wait_saved (editor);
  args = only_save (f);
  g_assert_cmpstr (json_object_get_string_member (args, "kind"), ==, "part");
  g_assert_cmpstr (json_object_get_string_member (args, "text"), ==,
                   "Водоканал: давление восстановлено.");
  gtk_window_destroy (GTK_WINDOW (editor));

  /* Opened again, the editor shows the part's draft, not a new reply. */
  g_clear_pointer (&node, json_node_unref);
  node = sa_cache_get_appeal (f->cache, APPEAL, &error);
  g_assert_no_error (error);
  editor = sa_reply_editor_new (NULL, f->cache, json_node_get_object (node), co);
  gtk_window_present (GTK_WINDOW (editor));
  settle (20);
  text = buffer_text (editor);
  g_assert_cmpstr (text, ==, "Водоканал: давление восстановлено.");
  g_assert_cmpstr (sa_reply_editor_get_reply_id (editor), ==,
                   json_object_get_string_member (args, "reply_id"));
  gtk_window_destroy (GTK_WINDOW (editor));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SaApplication) app = NULL;

  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = sa_application_new ();

#define ADD(path, fn) g_test_add ("/sa/reply-editor/" path, Fixture, NULL, fixture_setup, fn, \
                                  fixture_teardown)
  ADD ("templates/listed-for-category-and-language", test_listed_for_category_and_language);
  ADD ("templates/choose-fills-and-saves", test_choose_fills_and_saves);
  ADD ("templates/inserted-at-cursor", test_inserted_at_cursor);
  ADD ("templates/unfilled-tagged", test_unfilled_tagged);
  ADD ("kinds/notice-offered", test_notice_offered);
  ADD ("kinds/notice-or-answer", test_notice_or_answer);
  ADD ("kinds/coexecutor-writes-part", test_coexecutor_writes_part);
  return g_test_run ();
}
