/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <adwaita.h>

#include "sa-appeal-detail.h"
#include "sa-appeal-model.h"
#include "sa-application.h"
#include "sa-labels.h"
#include "sa-reply-editor.h"
#include "sa-reply-letter.h"
#include "sa-test-cache.h"
#include "sa-test-keys.h"
#include "sa-test-widgets.h"

/* The reply editor as its user meets it, over a real cache: what is
 * typed is saved after a pause as one op, survives a reopened cache, is
 * submitted after its last text, and the preview shows what is typed. */

#define APPEAL "11111111-1111-4111-8111-111111111111"
#define REPLY  "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
#define REG    "ALA-2026-000123"
#define RECEIVED "2026-11-20T10:00:00+05:00"

#define APPEAL_JSON(status, replies) \
  "{\"id\":\"" APPEAL "\",\"reg_number\":\"" REG "\",\"channel\":\"egov\"," \
  "\"status\":\"" status "\",\"priority\":\"normal\",\"category\":\"heat.none\"," \
  "\"agency\":\"ENERGY\",\"executor\":\"me\",\"language\":\"kk\"," \
  "\"applicant\":{\"name\":\"Сапарова Әлия\",\"iin\":\"900101300123\"}," \
  "\"address\":{\"text\":\"улица Жарокова, 7\",\"district\":\"almaly\"}," \
  "\"text\":\"Пәтерде жылу жоқ\",\"received_at\":\"" RECEIVED "\"," \
  "\"legal_due_at\":\"2026-12-10T10:00:00+05:00\",\"version\":3,\"is_repeat\":false," \
  "\"replies\":" replies "," \
  "\"history\":[{\"seq\":1,\"at\":\"" RECEIVED "\",\"actor\":\"operator1\"," \
  "\"type\":\"registered\",\"payload\":{}}]}"

#define ME "{\"login\":\"me\",\"role\":\"executor\",\"agency\":\"ENERGY\",\"full_name\":\"Мен\"}"

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
feed (SaCache    *cache,
      gint64      seq,
      const char *appeal_json)
{
  g_autofree char *page = g_strdup_printf ("[{\"seq\":%" G_GINT64_FORMAT ",\"kind\":\"appeal\","
                                           "\"id\":\"" APPEAL "\",\"data\":%s}]",
                                           seq, appeal_json);

  sa_test_cache_feed (cache, seq, page);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->cache = sa_test_cache_new (&f->dir, "me", "ENERGY");
  feed (f->cache, 10, APPEAL_JSON ("in_progress", "[]"));
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

static JsonObject *
cached_appeal (SaCache *cache)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sa_cache_get_appeal (cache, APPEAL, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static SaReplyEditor *
open_editor (Fixture    *f,
             JsonObject *appeal)
{
  g_autoptr(JsonObject) owned = appeal != NULL ? appeal : cached_appeal (f->cache);
  SaReplyEditor *editor = sa_reply_editor_new (NULL, f->cache, owned, f->user);

  gtk_window_present (GTK_WINDOW (editor));
  settle (20);
  return editor;
}

static GtkTextBuffer *
buffer_of (SaReplyEditor *editor)
{
  GtkWidget *view = sa_test_find_by_type (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW, 0);

  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

/* Types @text at the cursor the way a key press does: refused where the
 * view is read-only. */
static gboolean
type (SaReplyEditor *editor,
      const char    *text)
{
  GtkWidget *view = sa_test_find_by_type (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW, 0);

  /* As GtkTextView does for a key press. */
  return gtk_text_buffer_insert_interactive_at_cursor (buffer_of (editor), text, -1,
                                                       gtk_text_view_get_editable (
                                                         GTK_TEXT_VIEW (view)));
}

static char *
buffer_text (SaReplyEditor *editor)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer_of (editor), &start, &end);
  return gtk_text_buffer_get_text (buffer_of (editor), &start, &end, FALSE);
}

static GPtrArray *
outbox (SaCache *cache)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = sa_cache_list_outbox (cache, &error);

  g_assert_no_error (error);
  return entries;
}

static const char *
entry_arg (gpointer    entry,
           const char *name)
{
  return json_object_get_string_member (json_node_get_object (((SaOutboxEntry *) entry)->args),
                                        name);
}

static void
wait_saved (SaReplyEditor *editor)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!sa_reply_editor_is_saved (editor) && g_get_monotonic_time () < deadline)
    settle (10);
  g_assert_true (sa_reply_editor_is_saved (editor));
}

static void
test_typing_saves_one_op (Fixture       *f,
                          gconstpointer  data)
{
  /* Typing saves after a pause, as one pending reply_save with the last text; typing on keeps one op. */
  SaReplyEditor *editor = open_editor (f, NULL);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *op_id = NULL;

  g_assert_true (sa_reply_editor_is_editable (editor));
  /* The text has the keyboard: one starts typing at once. */
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (editor)) ==
                 sa_test_find_by_type (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW, 0));
  g_assert_true (type (editor, "Құрметті "));
  settle (100);
  g_assert_true (type (editor, "Әлия!"));
  settle (100);
  /* Still typing: nothing is written yet, and the header says so. */
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Saving…"));

  wait_saved (editor);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Saved"));
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((SaOutboxEntry *) entries->pdata[0])->type, ==, "reply_save");
  g_assert_cmpint (((SaOutboxEntry *) entries->pdata[0])->state, ==, SA_OP_PENDING);
  g_assert_cmpstr (entry_arg (entries->pdata[0], "text"), ==, "Құрметті Әлия!");
  g_assert_cmpstr (entry_arg (entries->pdata[0], "reply_id"), ==,
                   sa_reply_editor_get_reply_id (editor));
  /* The appeal's language, and private until the writer chooses. */
  g_assert_cmpstr (entry_arg (entries->pdata[0], "language"), ==, "kk");
  g_assert_cmpstr (entry_arg (entries->pdata[0], "visibility"), ==, "private");
  op_id = g_strdup (((SaOutboxEntry *) entries->pdata[0])->op_id);

  /* More typing before the push: still one op, with the newest text. */
  g_assert_true (type (editor, " Жылу қосылды."));
  wait_saved (editor);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((SaOutboxEntry *) entries->pdata[0])->op_id, ==, op_id);
  g_assert_cmpstr (entry_arg (entries->pdata[0], "text"), ==, "Құрметті Әлия! Жылу қосылды.");

  gtk_window_destroy (GTK_WINDOW (editor));
}

/* Closes the cache for good: the editors' last references go first. */
static void
drop_cache (SaCache *cache)
{
  gpointer weak = cache;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (cache), &weak);
  g_object_unref (cache);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    settle (10);
  g_assert_null (weak);
}

static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  /* Text typed just before closing is saved, and the cache opened again gives it back to the editor. */
  g_autofree char *path = g_strdup (sa_cache_get_path (f->cache));
  SaReplyEditor *editor = open_editor (f, NULL);
  g_autofree char *reply_id = g_strdup (sa_reply_editor_get_reply_id (editor));
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  g_assert_true (type (editor, "Жұмыс аяқталды"));
  /* Closed within the pause: the text still goes in. */
  gtk_window_close (GTK_WINDOW (editor));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  do
    {
      settle (20);
      g_clear_pointer (&entries, g_ptr_array_unref);
      entries = outbox (f->cache);
    }
  while (entries->len == 0 && g_get_monotonic_time () < deadline);
  g_assert_cmpuint (entries->len, ==, 1);

  drop_cache (f->cache);
  f->cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  editor = open_editor (f, NULL);
  text = buffer_text (editor);
  g_assert_cmpstr (text, ==, "Жұмыс аяқталды");
  g_assert_cmpstr (sa_reply_editor_get_reply_id (editor), ==, reply_id);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Saved"));
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* What the window does with an op the detail asks for: into the cache,
 * and the detail shows the cache's appeal again. */
static void
detail_op_cb (SaAppealDetail *detail,
              const char     *type_name,
              JsonObject     *args,
              Fixture        *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = sa_cache_apply_local_op_sync (f->cache, APPEAL, type_name, args,
                                                         &error);
  g_autoptr(JsonObject) appeal = NULL;

  g_assert_no_error (error);
  appeal = cached_appeal (f->cache);
  sa_appeal_detail_set_appeal (detail, appeal);
}

static SaReplyEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (SA_IS_REPLY_EDITOR (window))
        return SA_REPLY_EDITOR (window);
    }
  return NULL;
}

static void
test_submit_after_save (Fixture       *f,
                        gconstpointer  data)
{
  /* Reply in the detail opens the editor; Submit right after typing queues reply_submit after the save, and the detail says Awaiting Approval. */
  GtkWidget *window = gtk_window_new ();
  SaAppealDetail *detail = SA_APPEAL_DETAIL (sa_appeal_detail_new ());
  g_autoptr(JsonObject) appeal = cached_appeal (f->cache);
  g_autoptr(GPtrArray) entries = NULL;
  SaReplyEditor *editor;
  gint64 deadline;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (detail));
  sa_appeal_detail_set_cache (detail, f->cache);
  sa_appeal_detail_set_user (detail, f->user);
  sa_appeal_detail_set_appeal (detail, appeal);
  g_signal_connect (detail, "op-requested", G_CALLBACK (detail_op_cb), f);
  gtk_window_present (GTK_WINDOW (window));
  settle (20);
  g_assert_nonnull (sa_test_find_button (GTK_WIDGET (detail), "_Reply…"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.reply", NULL));
  settle (20);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (editor)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == GTK_WINDOW (window));

  g_assert_true (type (editor, "Жылу 5 желтоқсанда қосылды."));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (find_editor () != NULL && g_get_monotonic_time () < deadline)
    settle (10);
  g_assert_null (find_editor ());

  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((SaOutboxEntry *) entries->pdata[0])->type, ==, "reply_save");
  g_assert_cmpstr (entry_arg (entries->pdata[0], "text"), ==, "Жылу 5 желтоқсанда қосылды.");
  g_assert_cmpstr (((SaOutboxEntry *) entries->pdata[1])->type, ==, "reply_submit");
  g_assert_cmpstr (entry_arg (entries->pdata[1], "reply_id"), ==,
                   entry_arg (entries->pdata[0], "reply_id"));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (detail),
                              sa_labels_status (sa_appeal_status_to_string (
                                                  SA_APPEAL_STATUS_AWAITING_APPROVAL))));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_curator_cannot_reply (Fixture       *f,
                           gconstpointer  data)
{
  /* A curator, who only reads, sees Reply insensitive; the executor of the agency does not. */
  GtkWidget *window = gtk_window_new ();
  SaAppealDetail *detail = SA_APPEAL_DETAIL (sa_appeal_detail_new ());
  g_autoptr(JsonObject) appeal = cached_appeal (f->cache);
  g_autoptr(JsonObject) curator = parse ("{\"login\":\"cur\",\"role\":\"curator\"}");
  GtkWidget *reply;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (detail));
  sa_appeal_detail_set_cache (detail, f->cache);
  sa_appeal_detail_set_appeal (detail, appeal);
  sa_appeal_detail_set_user (detail, curator);
  gtk_window_present (GTK_WINDOW (window));
  settle (20);
  reply = sa_test_find_button (GTK_WIDGET (detail), "_Reply…");
  g_assert_nonnull (reply);
  g_assert_true (gtk_widget_is_visible (reply));
  g_assert_false (gtk_widget_is_sensitive (reply));
  sa_appeal_detail_set_user (detail, f->user);
  settle (20);
  g_assert_true (gtk_widget_is_sensitive (reply));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
editor_op_cb (SaReplyEditor *editor,
              const char    *type_name,
              JsonObject    *args,
              char         **out)
{
  *out = g_strdup (type_name);
}

static void
test_ctrl_enter_submits (Fixture       *f,
                         gconstpointer  data)
{
  /* Typed with the keyboard: Enter starts a new line, Ctrl+Enter submits once the text is saved. */
  SaReplyEditor *editor = open_editor (f, NULL);
  g_autofree char *requested = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gpointer weak = editor;
  gint64 deadline;

  g_signal_connect (editor, "op-requested", G_CALLBACK (editor_op_cb), &requested);
  g_object_add_weak_pointer (G_OBJECT (editor), &weak);
  sa_test_keys_focus_window (GTK_WINDOW (editor));
  sa_test_type ("heat is on");
  sa_test_press (GDK_KEY_Return, 0);
  sa_test_type ("since monday");
  text = buffer_text (editor);
  g_assert_cmpstr (text, ==, "heat is on\nsince monday");
  g_assert_null (requested);

  sa_test_press (GDK_KEY_Return, GDK_CONTROL_MASK);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (requested == NULL && g_get_monotonic_time () < deadline)
    settle (10);
  g_assert_cmpstr (requested, ==, "reply_submit");
  settle (20);
  g_assert_null (weak);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (entry_arg (entries->pdata[0], "text"), ==, "heat is on\nsince monday");
}

static void
test_returned_comment (Fixture       *f,
                       gconstpointer  data)
{
  /* A reply the supervisor returned opens with their comment, its text editable, and the earlier version readable. */
  g_autoptr(JsonObject) appeal = parse (APPEAL_JSON (
    "awaiting_approval",
    "[{\"id\":\"" REPLY "\",\"kind\":\"answer\",\"agency\":\"ENERGY\","
    "\"state\":\"awaiting_approval\",\"visibility\":\"public\",\"language\":\"ru\","
    "\"text\":\"Отопление включено.\",\"author\":\"me\",\"version\":1,"
    "\"versions\":[{\"version\":1,\"text\":\"Отопление включено.\",\"visibility\":\"public\","
    "\"language\":\"ru\",\"submitted_at\":\"2026-12-01T09:00:00+05:00\"}]}]"));
  g_autoptr(JsonObject) args = parse ("{\"reply_id\":\"" REPLY "\","
                                      "\"comment\":\"Укажите дату включения.\"}");
  SaActor boss = { "boss", SA_ROLE_SUPERVISOR, "ENERGY" };
  SaReplyEditor *editor;
  g_autofree char *text = NULL;
  GtkWidget *expander;

  sa_appeal_fold_op (appeal, SA_OP_REPLY_RETURN, &boss, args, "op-return", 1764600000);
  editor = open_editor (f, json_object_ref (appeal));
  g_assert_cmpstr (sa_reply_editor_get_reply_id (editor), ==, REPLY);
  g_assert_true (sa_reply_editor_is_editable (editor));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Укажите дату включения."));
  text = buffer_text (editor);
  g_assert_cmpstr (text, ==, "Отопление включено.");
  expander = sa_test_find_by_type (GTK_WIDGET (editor), GTK_TYPE_EXPANDER, 0);
  g_assert_true (gtk_widget_is_visible (expander));
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  settle (20);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Version 1 · 01.12.2026 09:00"));
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_sent_read_only (Fixture       *f,
                     gconstpointer  data)
{
  /* A sent reply opens read-only: typing does nothing, there is no Submit, and nothing is saved. */
  g_autoptr(JsonObject) appeal = parse (APPEAL_JSON (
    "answered",
    "[{\"id\":\"" REPLY "\",\"kind\":\"answer\",\"agency\":\"ENERGY\",\"state\":\"sent\","
    "\"visibility\":\"public\",\"language\":\"ru\",\"text\":\"Отопление включено 5 декабря.\","
    "\"author\":\"me\",\"approved_by\":\"boss\",\"sent_at\":\"2026-12-05T12:00:00+05:00\","
    "\"version\":1,\"versions\":[]}]"));
  SaReplyEditor *editor = open_editor (f, json_object_ref (appeal));
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *text = NULL;
  GtkWidget *submit;

  g_assert_false (sa_reply_editor_is_editable (editor));
  g_assert_false (type (editor, "ещё"));
  text = buffer_text (editor);
  g_assert_cmpstr (text, ==, "Отопление включено 5 декабря.");
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), sa_rejection_message ("reply_sent")));
  submit = sa_test_find_button (GTK_WIDGET (editor), "_Submit for Approval");
  g_assert_true (submit == NULL || !gtk_widget_is_visible (submit));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL);
  settle (400);
  g_assert_true (find_editor () == editor);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 0);
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* The registry's answer to the pushed draft, as the sync engine records it. */
static void
answer_push (SaCache    *cache,
             const char *status,
             const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = sa_cache_begin_push_before (cache, 0, G_MAXINT64, &error);
  g_autofree char *results = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 1);
  if (code != NULL)
    results = g_strdup_printf ("[{\"op_id\":\"%s\",\"status\":\"%s\",\"code\":\"%s\","
                               "\"message\":\"No.\"}]",
                               ((SaOutboxEntry *) batch->pdata[0])->op_id, status, code);
  else
    results = g_strdup_printf ("[{\"op_id\":\"%s\",\"status\":\"%s\",\"appeal\":%s}]",
                               ((SaOutboxEntry *) batch->pdata[0])->op_id, status,
                               APPEAL_JSON ("in_progress", "[]"));
  sa_test_cache_push_results (cache, results);
}

static void
check_held (Fixture    *f,
            const char *status,
            const char *code,
            const char *banner)
{
  SaReplyEditor *editor = open_editor (f, NULL);
  g_autofree char *reply_id = g_strdup (sa_reply_editor_get_reply_id (editor));
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) appeal = NULL;

  g_assert_true (type (editor, "Жылу қосылды, тексерілді."));
  wait_saved (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
  answer_push (f->cache, status, code);
  /* The appeal as shown has no such reply any more. */
  appeal = cached_appeal (f->cache);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (appeal, "replies")), ==,
                    0);

  editor = open_editor (f, g_steal_pointer (&appeal));
  text = buffer_text (editor);
  g_assert_cmpstr (text, ==, "Жылу қосылды, тексерілді.");
  g_assert_cmpstr (sa_reply_editor_get_reply_id (editor), ==, reply_id);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), banner));
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_conflict_keeps_text (Fixture       *f,
                          gconstpointer  data)
{
  /* A draft that met a newer appeal opens again with its text and says it did not reach the registry. */
  check_held (f, "conflict", NULL, "Your last text did not reach the registry");
}

static void
test_rejected_keeps_text (Fixture       *f,
                          gconstpointer  data)
{
  /* A draft the registry refused opens again with its text and the reason. */
  check_held (f, "rejected", "not_lead_agency", sa_rejection_message ("not_lead_agency"));
}

static void
test_reopened_answers_anew (Fixture       *f,
                            gconstpointer  data)
{
  /* On a reopened appeal the sent answer stays as it was: Reply starts a new answer, saved as a reply of its own. */
  SaReplyEditor *editor;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *text = NULL;

  feed (f->cache, 11, APPEAL_JSON (
    "reopened",
    "[{\"id\":\"" REPLY "\",\"kind\":\"answer\",\"agency\":\"ENERGY\",\"state\":\"sent\","
    "\"visibility\":\"public\",\"language\":\"kk\",\"text\":\"Жылу қосылды.\","
    "\"author\":\"me\",\"approved_by\":\"boss\",\"sent_at\":\"2026-12-05T12:00:00+05:00\","
    "\"version\":1,\"versions\":[]}]"));
  editor = open_editor (f, NULL);
  g_assert_true (sa_reply_editor_is_editable (editor));
  g_assert_cmpstr (sa_reply_editor_get_reply_id (editor), !=, REPLY);
  text = buffer_text (editor);
  g_assert_cmpstr (text, ==, "");
  g_assert_true (type (editor, "Қайта тексерілді: жылу бар."));
  wait_saved (editor);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (entry_arg (entries->pdata[0], "reply_id"), ==,
                   sa_reply_editor_get_reply_id (editor));
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_count_and_limit (Fixture       *f,
                      gconstpointer  data)
{
  /* The count reads "N / 5000" in characters, and nothing goes in beyond 5000. */
  SaReplyEditor *editor = open_editor (f, NULL);
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autofree char *limit = g_strdup_printf ("%d / %d", SA_OP_TEXT_MAX, SA_OP_TEXT_MAX);

  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "0 / 5000"));
  g_assert_true (type (editor, "Сәлем"));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "5 / 5000"));
  for (guint i = 0; i < SA_OP_TEXT_MAX + 1000; i++)
    g_string_append (long_text, "ә");
  type (editor, long_text->str);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer_of (editor)), ==, SA_OP_TEXT_MAX);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), limit));
  wait_saved (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_preview (Fixture       *f,
              gconstpointer  data)
{
  /* The preview shows the typed text under a heading in the reply's language, and says who receives it. */
  SaReplyEditor *editor = open_editor (f, NULL);
  g_autofree char *kk = sa_reply_letter_heading ("kk", REG, sa_appeal_parse_time (RECEIVED));
  g_autofree char *ru = sa_reply_letter_heading ("ru", REG, sa_appeal_parse_time (RECEIVED));
  const char *typed = "Құрметті Әлия!\nЖылу қосылды.";
  GtkDropDown *language;

  g_assert_cmpstr (kk, ==, "20.11.2026 ж. № " REG " өтінішке жауап");
  g_assert_cmpstr (ru, ==, "Ответ на обращение № " REG " от 20.11.2026");
  g_assert_true (type (editor, typed));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), typed));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), kk));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor),
                              "Private: only the applicant receives this reply. It is not published."));

  language = GTK_DROP_DOWN (sa_test_find_by_type (GTK_WIDGET (editor), GTK_TYPE_DROP_DOWN, 0));
  gtk_drop_down_set_selected (language, 0);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), ru));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (sa_test_find_button (GTK_WIDGET (editor),
                                                                        "_Public")), TRUE);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor),
                              "Public: the reply may be published, without the applicant’s "
                              "personal data."));
  wait_saved (editor);
  {
    g_autoptr(GPtrArray) entries = outbox (f->cache);

    g_assert_cmpuint (entries->len, ==, 1);
    g_assert_cmpstr (entry_arg (entries->pdata[0], "text"), ==, typed);
    g_assert_cmpstr (entry_arg (entries->pdata[0], "language"), ==, "ru");
    g_assert_cmpstr (entry_arg (entries->pdata[0], "visibility"), ==, "public");
  }
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_translated (Fixture       *f,
                 gconstpointer  data)
{
  /* The editor speaks Russian and Kazakh. */
  static const char * const langs[] = { "ru", "kk" };
  g_autofree char *localedir = g_build_filename (g_getenv ("SA_BUILD_ROOT"), "po", NULL);

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* As the app's main() does: GtkBuilder translates in this domain. */
  textdomain (GETTEXT_PACKAGE);
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      SaReplyEditor *editor;
      const char *submit;

      g_setenv ("LANGUAGE", langs[i], TRUE);
      setlocale (LC_ALL, "");
      submit = g_dgettext (GETTEXT_PACKAGE, "_Submit for Approval");
      g_assert_cmpstr (submit, !=, "_Submit for Approval");
      editor = open_editor (f, NULL);
      g_assert_nonnull (sa_test_find_button (GTK_WIDGET (editor), submit));
      g_assert_true (sa_test_shows_label (GTK_WIDGET (editor),
                                  g_dgettext (GETTEXT_PACKAGE, "What the Applicant Receives")));
      g_assert_true (type (editor, "Сәлем"));
      wait_saved (editor);
      g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Saved"), !=, "Saved");
      g_assert_true (sa_test_shows_label (GTK_WIDGET (editor),
                                          g_dgettext (GETTEXT_PACKAGE, "Saved")));
      gtk_window_destroy (GTK_WINDOW (editor));
    }
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "");
}

#define SHA_ACT   "1111111111111111111111111111111111111111111111111111111111111111"
#define SHA_PHOTO "2222222222222222222222222222222222222222222222222222222222222222"
#define FILES_JSON \
  "[{\"sha256\":\"" SHA_ACT "\",\"name\":\"act.pdf\",\"content_type\":\"application/pdf\"," \
  "\"size\":1200000},{\"sha256\":\"" SHA_PHOTO "\",\"name\":\"photo.jpg\"," \
  "\"content_type\":\"image/jpeg\",\"size\":2048}]"

/* The appeal of APPEAL_JSON with the files FILES_JSON attached. */
static char *
appeal_with_files (const char *appeal_json)
{
  g_autoptr(JsonObject) appeal = parse (appeal_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) files = json_from_string (FILES_JSON, &error);
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  json_object_set_member (appeal, "attachments", g_steal_pointer (&files));
  node = json_node_init_object (json_node_alloc (), appeal);
  return json_to_string (node, FALSE);
}

/* The "Include in the reply" check of the file listed as @name, or NULL. */
static GtkCheckButton *
file_check (SaReplyEditor *editor,
            const char    *name)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (editor), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_is_visible (rows->pdata[i]) &&
        g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), name) == 0)
      return GTK_CHECK_BUTTON (sa_test_find_by_type (rows->pdata[i], GTK_TYPE_CHECK_BUTTON, 0));
  return NULL;
}

/* The SHA-256s a saved reply_save includes, comma-joined ("" for none). */
static char *
entry_files (gpointer entry)
{
  JsonObject *args = json_node_get_object (((SaOutboxEntry *) entry)->args);
  JsonArray *files = json_object_has_member (args, "attachments")
                     ? json_object_get_array_member (args, "attachments") : NULL;
  g_autoptr(GString) out = g_string_new ("");

  for (guint i = 0; files != NULL && i < json_array_get_length (files); i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "," : "",
                            json_array_get_string_element (files, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_files (Fixture       *f,
            gconstpointer  data)
{
  /* Checking a file saves it with the text in the one pending reply_save and the preview lists it; unchecking takes it out; a reopened draft shows it checked. */
  g_autofree char *json = appeal_with_files (APPEAL_JSON ("in_progress", "[]"));
  SaReplyEditor *editor;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *files = NULL;
  g_autofree char *size = g_format_size (1200000);
  g_autofree char *listed = g_strdup_printf ("Қосымшалар:\n• act.pdf (%s)", size);

  feed (f->cache, 11, json);
  editor = open_editor (f, NULL);
  g_assert_nonnull (file_check (editor, "act.pdf"));
  g_assert_nonnull (file_check (editor, "photo.jpg"));
  g_assert_false (gtk_check_button_get_active (file_check (editor, "act.pdf")));
  g_assert_false (sa_test_shows_label (GTK_WIDGET (editor), listed));

  g_assert_true (type (editor, "Акт прилагается."));
  wait_saved (editor);
  gtk_check_button_set_active (file_check (editor, "act.pdf"), TRUE);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Saving…"));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), listed));
  wait_saved (editor);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (((SaOutboxEntry *) entries->pdata[0])->state, ==, SA_OP_PENDING);
  g_assert_cmpstr (entry_arg (entries->pdata[0], "text"), ==, "Акт прилагается.");
  files = entry_files (entries->pdata[0]);
  g_assert_cmpstr (files, ==, SHA_ACT);

  /* Unchecked: the same op, with no file. */
  gtk_check_button_set_active (file_check (editor, "act.pdf"), FALSE);
  wait_saved (editor);
  g_assert_false (sa_test_shows_label (GTK_WIDGET (editor), listed));
  g_clear_pointer (&entries, g_ptr_array_unref);
  g_clear_pointer (&files, g_free);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  files = entry_files (entries->pdata[0]);
  g_assert_cmpstr (files, ==, "");

  /* Checked and closed at once: saved, and checked when opened again. */
  gtk_check_button_set_active (file_check (editor, "act.pdf"), TRUE);
  gtk_window_close (GTK_WINDOW (editor));
  settle (400);
  g_clear_pointer (&entries, g_ptr_array_unref);
  g_clear_pointer (&files, g_free);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  files = entry_files (entries->pdata[0]);
  g_assert_cmpstr (files, ==, SHA_ACT);
  editor = open_editor (f, NULL);
  g_assert_true (gtk_check_button_get_active (file_check (editor, "act.pdf")));
  g_assert_false (gtk_check_button_get_active (file_check (editor, "photo.jpg")));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), listed));
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_sent_files_read_only (Fixture       *f,
                           gconstpointer  data)
{
  /* A sent reply lists the files it included, checked and not to be changed, and no other. */
  g_autofree char *json = appeal_with_files (APPEAL_JSON (
    "answered",
    "[{\"id\":\"" REPLY "\",\"kind\":\"answer\",\"agency\":\"ENERGY\",\"state\":\"sent\","
    "\"visibility\":\"public\",\"language\":\"ru\",\"text\":\"Отопление включено.\","
    "\"author\":\"me\",\"approved_by\":\"boss\",\"sent_at\":\"2026-12-05T12:00:00+05:00\","
    "\"attachments\":[{\"sha256\":\"" SHA_PHOTO "\",\"name\":\"photo.jpg\","
    "\"content_type\":\"image/jpeg\",\"size\":2048}],"
    "\"version\":1,\"versions\":[]}]"));
  SaReplyEditor *editor = open_editor (f, parse (json));
  GtkCheckButton *check = file_check (editor, "photo.jpg");
  g_autofree char *size = g_format_size (2048);
  g_autofree char *listed = g_strdup_printf ("Приложения:\n• photo.jpg (%s)", size);

  g_assert_false (sa_reply_editor_is_editable (editor));
  g_assert_nonnull (check);
  g_assert_true (gtk_check_button_get_active (check));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (check)));
  g_assert_null (file_check (editor, "act.pdf"));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), listed));
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_pending_file_and_limit (Fixture       *f,
                             gconstpointer  data)
{
  /* A file whose attach op still waits is listed as waiting and may be included; once ten files are checked, the others cannot be. */
  g_autoptr(JsonObject) appeal = parse (APPEAL_JSON ("in_progress", "[]"));
  JsonArray *files = json_array_new ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *pending_sha = g_strnfill (64, 'a');
  g_autoptr(GPtrArray) subtitles = g_ptr_array_new ();
  SaReplyEditor *editor;
  gboolean waiting = FALSE;

  for (guint i = 0; i <= SA_REPLY_ATTACHMENTS_MAX; i++)
    {
      JsonObject *item = json_object_new ();
      g_autofree char *sha = i == 0 ? g_strdup (pending_sha)
                                    : g_strdup_printf ("%064x", i);
      g_autofree char *name = g_strdup_printf ("file-%02u.jpg", i);

      json_object_set_string_member (item, "sha256", sha);
      json_object_set_string_member (item, "name", name);
      /* As the cache folds an attach op not yet applied: no type, no size. */
      if (i == 0)
        json_object_set_boolean_member (item, "pending", TRUE);
      else
        {
          json_object_set_string_member (item, "content_type", "image/jpeg");
          json_object_set_int_member (item, "size", 1000);
        }
      json_array_add_object_element (files, item);
    }
  json_object_set_array_member (appeal, "attachments", files);
  editor = open_editor (f, json_object_ref (appeal));

  sa_test_collect (GTK_WIDGET (editor), ADW_TYPE_ACTION_ROW, subtitles);
  for (guint i = 0; i < subtitles->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (subtitles->pdata[i]), "file-00.jpg") == 0)
      waiting = g_strcmp0 (adw_action_row_get_subtitle (subtitles->pdata[i]),
                           "Waiting to be sent") == 0;
  g_assert_true (waiting);
  g_assert_true (type (editor, "Фото приложены."));
  gtk_check_button_set_active (file_check (editor, "file-00.jpg"), TRUE);
  wait_saved (editor);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  saved = entry_files (entries->pdata[0]);
  g_assert_cmpstr (saved, ==, pending_sha);

  for (guint i = 1; i < SA_REPLY_ATTACHMENTS_MAX; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%02u.jpg", i);

      gtk_check_button_set_active (file_check (editor, name), TRUE);
    }
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (file_check (editor, "file-10.jpg"))));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (file_check (editor, "file-01.jpg"))));
  wait_saved (editor);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = outbox (f->cache);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (((SaOutboxEntry *) entries->pdata[0])->args),
                      "attachments")), ==, SA_REPLY_ATTACHMENTS_MAX);
  /* One taken out: the last may be checked again. */
  gtk_check_button_set_active (file_check (editor, "file-01.jpg"), FALSE);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (file_check (editor, "file-10.jpg"))));
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
  ADD ("typing-saves-one-op", test_typing_saves_one_op);
  ADD ("reopened-cache-keeps-text", test_reopen);
  ADD ("submit-after-save", test_submit_after_save);
  ADD ("curator-cannot-reply", test_curator_cannot_reply);
  ADD ("ctrl-enter-submits", test_ctrl_enter_submits);
  ADD ("returned-shows-comment", test_returned_comment);
  ADD ("sent-is-read-only", test_sent_read_only);
  ADD ("conflict-keeps-text", test_conflict_keeps_text);
  ADD ("rejected-keeps-text", test_rejected_keeps_text);
  ADD ("reopened-answers-anew", test_reopened_answers_anew);
  ADD ("count-and-limit", test_count_and_limit);
  ADD ("preview-is-what-is-typed", test_preview);
  ADD ("translated", test_translated);
  ADD ("files-saved-with-text", test_files);
  ADD ("sent-files-read-only", test_sent_files_read_only);
  ADD ("pending-file-and-limit", test_pending_file_and_limit);
  return g_test_run ();
}
