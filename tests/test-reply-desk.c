/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "sa-application.h"
#include "sa-attachments-view.h"
#include "sa-conflicts-view.h"
#include "sa-directory.h"
#include "sa-reply-template-picker.h"
#include "sa-reply-editor.h"
#include "sa-test-files.h"
#include "sa-test-spawned-http.h"
#include "sa-test-widgets.h"
#include "sa-window-private.h"

/* The executor's reply on a real desk against a real registry: a draft
 * typed offline reaches the registry after the desk restarted, as one
 * draft with the last text; submitted, returned with a comment that the
 * editor shows, and submitted again with both versions kept; a draft that
 * met a newer appeal keeps its text until applied again; a template
 * chosen, completed, submitted and approved is sent with its placeholders
 * filled from the registry's own data; a file attached to the appeal and
 * included in the reply is sent with it. Each case
 * answers an appeal of its own, registered for it. The desk keeps its
 * 5-second undo window, as it ships. */

#define LOGIN      "executor.almaty-teplo"
#define PASSWORD   "demo-executor"
#define SUPERVISOR "supervisor.almaty-teplo"

static SaApplication *app;
static SaTestSpawnedRegistry registry;
static SaWindow *window;
static char *data_dir;
static char *token;       /* the executor's, as another client of theirs */
static char *boss_token;  /* the supervisor's */

/* ------------------------------------------------------------------ */
/* The registry, as another client sees it */

#define http_as(bearer, method, path, body) \
  sa_test_spawned_http (&registry, (method), (path), (bearer), (body))
#define sign_in(login, password) sa_test_spawned_sign_in (&registry, (login), (password))

/* A new heating appeal in the executor's agency's queue. */
static char *
register_appeal (void)
{
  g_autofree char *operator = sign_in ("operator.ikomek-109", "demo-operator");
  g_autoptr(JsonNode) appeal = NULL;

  appeal = http_as (operator, "POST", "/api/v1/intake",
                    "{\"channel\":\"egov\",\"category\":\"heating.no-heat\","
                    "\"text\":\"Нет отопления в квартире, батареи холодные.\","
                    "\"applicant\":{\"name\":\"Сейткали Айгерим\",\"iin\":\"900101000177\"},"
                    "\"address\":{\"text\":\"улица Жандосова, 8\",\"district\":\"almaly\"}}");
  return g_strdup (json_object_get_string_member (json_node_get_object (appeal), "id"));
}

static JsonObject *
registry_appeal (const char *id)
{
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", id, NULL);
  g_autoptr(JsonNode) node = http_as (token, "GET", path, NULL);

  return json_object_ref (json_node_get_object (node));
}

/* The appeal's one reply as the registry has it, or NULL. */
static JsonObject *
registry_reply (const char *id)
{
  g_autoptr(JsonObject) appeal = registry_appeal (id);
  JsonNode *node = json_object_get_member (appeal, SA_APPEAL_FIELD_REPLIES);
  JsonArray *replies = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                                                    : NULL;

  if (replies == NULL || json_array_get_length (replies) == 0)
    return NULL;
  g_assert_cmpuint (json_array_get_length (replies), ==, 1);
  return json_object_ref (json_array_get_object_element (replies, 0));
}

static guint
registry_events (const char *id,
                 const char *type)
{
  g_autoptr(JsonObject) appeal = registry_appeal (id);
  JsonArray *history = json_object_get_array_member (appeal, "history");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (history); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (history, i),
                                                  "type"), type) == 0)
      n++;
  return n;
}

/* One op by the supervisor on the appeal as it is now. */
static void
supervisor_op (const char *id,
               const char *type,
               const char *args_json)
{
  g_autoptr(JsonObject) now = registry_appeal (id);
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *body = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\","
                                           "\"appeal_id\":\"%s\",\"base_version\":%"
                                           G_GINT64_FORMAT ",\"args\":%s}]}", op_id, type, id,
                                           json_object_get_int_member (now, "version"), args_json);
  g_autoptr(JsonNode) result = http_as (boss_token, "POST", "/api/v1/ops", body);
  JsonObject *first = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (result), "results"), 0);

  g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "applied");
}

/* ------------------------------------------------------------------ */
/* The desk */

typedef gboolean (*Predicate) (gconstpointer data);

static void
wait_for (Predicate     done,
          gconstpointer data,
          const char   *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
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

static gboolean
synced (gconstpointer data)
{
  return window->engine != NULL &&
         sa_sync_engine_get_state (window->engine) == SA_SYNC_STATE_SYNCED;
}

static gboolean
cached (gconstpointer id)
{
  g_autoptr(JsonNode) appeal = sa_cache_get_appeal (sa_window_get_cache (window), id, NULL);

  return appeal != NULL;
}

static void
show_appeal (const char *id)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  wait_for (cached, id, "the new appeal on the desk");
  wait_for (synced, NULL, "the sync");
  sa_window_open_appeal (window, id);
  settle (200);
}

static SaReplyEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (SA_IS_REPLY_EDITOR (toplevel))
        return SA_REPLY_EDITOR (toplevel);
    }
  return NULL;
}

static gboolean
no_editor (gconstpointer data)
{
  return find_editor () == NULL;
}

/* Reply, in the detail of the shown appeal. */
static SaReplyEditor *
open_editor (void)
{
  SaReplyEditor *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.reply", NULL));
  settle (50);
  editor = find_editor ();
  g_assert_nonnull (editor);
  return editor;
}

static GtkTextBuffer *
buffer_of (SaReplyEditor *editor)
{
  GtkWidget *view = sa_test_find_by_type (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW, 0);

  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

static gboolean
is_saved (gconstpointer editor)
{
  return sa_reply_editor_is_saved ((SaReplyEditor *) editor);
}

/* Types at the end, then waits for the pause to save it. */
static void
type_and_wait (SaReplyEditor *editor,
               const char    *text)
{
  GtkTextBuffer *buffer = buffer_of (editor);
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  g_assert_true (gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, TRUE));
  settle (50);
  g_assert_false (sa_reply_editor_is_saved (editor));
  wait_for (is_saved, editor, "the draft saved");
}

static guint
outbox_size (void)
{
  g_autoptr(GPtrArray) entries = sa_cache_list_outbox (sa_window_get_cache (window), NULL);

  return entries->len;
}

typedef struct
{
  const char *id;
  const char *text;
  const char *state;
} Expect;

static gboolean
registry_reply_is (gconstpointer data)
{
  const Expect *e = data;
  g_autoptr(JsonObject) reply = registry_reply (e->id);

  return reply != NULL &&
         g_strcmp0 (json_object_get_string_member (reply, "text"), e->text) == 0 &&
         g_strcmp0 (json_object_get_string_member (reply, "state"), e->state) == 0;
}

static gboolean
outbox_empty (gconstpointer data)
{
  return outbox_size () == 0;
}

typedef struct
{
  const char *id;
  const char *state;
} CachedReply;

static gboolean
cached_reply_is (gconstpointer data)
{
  const CachedReply *e = data;
  g_autoptr(JsonNode) node = sa_cache_get_appeal (sa_window_get_cache (window), e->id, NULL);
  JsonNode *replies = node != NULL ? json_object_get_member (json_node_get_object (node),
                                                             SA_APPEAL_FIELD_REPLIES) : NULL;

  if (replies == NULL || !JSON_NODE_HOLDS_ARRAY (replies) ||
      json_array_get_length (json_node_get_array (replies)) == 0)
    return FALSE;
  return g_strcmp0 (json_object_get_string_member (
                      json_array_get_object_element (json_node_get_array (replies), 0),
                      "state"), e->state) == 0;
}

static gboolean
window_gone (gconstpointer data)
{
  return window == NULL;
}

static gboolean
restored (gconstpointer data)
{
  return window->engine != NULL && sa_window_get_cache (window) != NULL;
}

static void
new_window (void)
{
  window = g_object_ref_sink (sa_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  gtk_window_present (GTK_WINDOW (window));
}

/* ------------------------------------------------------------------ */
/* Cases */

static void
test_offline_restart (void)
{
  /* A draft typed offline over several pauses is one op; after the desk restarts with the registry back, the registry has the last text as one drafted reply. */
  g_autofree char *id = register_appeal ();
  const char *last = "Құрметті Айгерим! Жылу 5 желтоқсанда қосылды. Кешірім сұраймыз.";
  Expect e = { id, last, "draft" };
  SaReplyEditor *editor;

  show_appeal (id);
  sa_test_pause_registry (&registry);
  editor = open_editor ();
  type_and_wait (editor, "Құрметті Айгерим!");
  type_and_wait (editor, " Жылу 5 желтоқсанда қосылды.");
  type_and_wait (editor, " Кешірім сұраймыз.");
  g_assert_cmpuint (outbox_size (), ==, 1);
  gtk_window_close (GTK_WINDOW (editor));
  wait_for (no_editor, NULL, "the editor to close");

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  wait_for (window_gone, NULL, "the window to go");
  sa_test_resume_registry (&registry);

  new_window ();
  sa_window_restore_session (window, NULL, NULL);
  wait_for (restored, NULL, "the desk from the cache");
  wait_for (registry_reply_is, &e, "the draft on the registry");
  g_assert_cmpuint (registry_events (id, sa_op_type_event (SA_OP_REPLY_SAVE)), ==, 1);
  wait_for (outbox_empty, NULL, "the outbox to empty");

  /* The editor opens the same draft from the registry's appeal. */
  sa_window_open_appeal (window, id);
  settle (200);
  editor = open_editor ();
  {
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer_of (editor), &start, &end);
    text = gtk_text_buffer_get_text (buffer_of (editor), &start, &end, FALSE);
    g_assert_cmpstr (text, ==, last);
  }
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_submit_return_resubmit (void)
{
  /* Submitted, the reply awaits approval on the registry; returned, the editor shows the supervisor's comment and the first version; edited and submitted again, the registry keeps both versions. */
  g_autofree char *id = register_appeal ();
  const char *first = "Отопление включено.";
  const char *second = "Отопление включено 5 декабря в 14:00.";
  Expect awaiting = { id, first, "awaiting_approval" };
  Expect again = { id, second, "awaiting_approval" };
  CachedReply returned = { id, "returned" };
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) appeal = NULL;
  g_autofree char *return_args = NULL;
  SaReplyEditor *editor;
  GtkWidget *expander;

  show_appeal (id);
  editor = open_editor ();
  type_and_wait (editor, first);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  wait_for (no_editor, NULL, "the editor to close on submit");
  wait_for (registry_reply_is, &awaiting, "the reply awaiting approval");
  appeal = registry_appeal (id);
  g_assert_cmpstr (json_object_get_string_member (appeal, "status"), ==, "awaiting_approval");
  g_clear_pointer (&appeal, json_object_unref);

  reply = registry_reply (id);
  return_args = g_strdup_printf ("{\"reply_id\":\"%s\",\"comment\":\"Укажите время включения.\"}",
                                 json_object_get_string_member (reply, "id"));
  supervisor_op (id, "reply_return", return_args);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  wait_for (cached_reply_is, &returned, "the returned reply on the desk");
  wait_for (synced, NULL, "the sync");
  settle (200);

  editor = open_editor ();
  g_assert_true (sa_reply_editor_is_editable (editor));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), "Укажите время включения."));
  expander = sa_test_find_by_type (GTK_WIDGET (editor), GTK_TYPE_EXPANDER, 0);
  g_assert_true (gtk_widget_is_visible (expander));
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  settle (50);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (editor), first));

  gtk_text_buffer_set_text (buffer_of (editor), "", -1);
  type_and_wait (editor, second);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  wait_for (no_editor, NULL, "the editor to close on submit");
  wait_for (registry_reply_is, &again, "the second version awaiting approval");
  g_clear_pointer (&reply, json_object_unref);
  reply = registry_reply (id);
  g_assert_cmpint (json_object_get_int_member (reply, "version"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "versions")), ==,
                    2);
}

static void
test_template_sent (void)
{
  /* The city's template for heating, chosen in the editor, goes in with the applicant, the number, the address, the executor's and the agency's names from the registry's data; completed, submitted and approved by the supervisor, the registry sends it with that text. */
  g_autofree char *id = register_appeal ();
  g_autoptr(JsonObject) appeal = NULL;
  g_autofree char *executor = NULL;
  g_autofree char *agency = NULL;
  g_autofree char *text = NULL;
  g_autofree char *approve = NULL;
  g_autoptr(JsonObject) reply = NULL;
  SaReplyTemplatePicker *picker;
  SaReplyEditor *editor;
  GtkTextBuffer *buffer;
  GtkTextIter start, end, at;
  GtkListBoxRow *row = NULL;
  const char *reason;
  Expect awaiting = { id, NULL, "awaiting_approval" };
  Expect sent = { id, NULL, "sent" };

  show_appeal (id);
  appeal = registry_appeal (id);
  editor = open_editor ();
  picker = SA_REPLY_TEMPLATE_PICKER (sa_test_find_by_type (GTK_WIDGET (editor),
                                                           SA_TYPE_REPLY_TEMPLATE_PICKER, 0));
  for (guint i = 0; i < sa_reply_template_picker_get_n_shown (picker); i++)
    if (g_strcmp0 (sa_reply_template_picker_get_shown_id (picker, i), "heating-restored-ru") == 0)
      row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (sa_test_find_by_type (
                                             GTK_WIDGET (picker), GTK_TYPE_LIST_BOX, 0)), i);
  g_assert_nonnull (row);
  g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (row)), "row-activated", row);
  settle (50);

  buffer = buffer_of (editor);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  executor = sa_directory_dup_user_name (sa_window_get_cache (window), LOGIN);
  agency = sa_directory_dup_agency_name (sa_window_get_cache (window),
                                         json_object_get_string_member (appeal, "agency"), "ru");
  g_assert_nonnull (executor);
  g_assert_nonnull (agency);
  g_assert_nonnull (strstr (text, "Уважаемый(ая) Сейткали Айгерим!"));
  g_assert_nonnull (strstr (text, json_object_get_string_member (appeal, "reg_number")));
  g_assert_nonnull (strstr (text, "улица Жандосова, 8"));
  g_assert_true (g_str_has_suffix (text, agency));
  g_assert_nonnull (strstr (text, executor));
  /* Only the blank the template leaves for the writer is left in braces. */
  reason = strstr (text, "{причина}");
  g_assert_nonnull (reason);
  g_assert_null (strchr (reason + 1, '{'));
  g_assert_true (reason == strchr (text, '{'));

  /* The writer completes it there. */
  {
    GtkTextIter blank_end;

    gtk_text_buffer_get_iter_at_offset (buffer, &at, g_utf8_pointer_to_offset (text, reason));
    gtk_text_buffer_get_iter_at_offset (buffer, &blank_end,
                                        g_utf8_pointer_to_offset (text, reason) +
                                        g_utf8_strlen ("{причина}", -1));
    g_assert_true (gtk_text_buffer_delete_interactive (buffer, &at, &blank_end, TRUE));
    gtk_text_buffer_place_cursor (buffer, &at);
  }
  g_assert_true (gtk_text_buffer_insert_interactive_at_cursor (buffer, "ремонт теплотрассы", -1,
                                                               TRUE));
  g_clear_pointer (&text, g_free);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  wait_for (is_saved, editor, "the draft saved");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  wait_for (no_editor, NULL, "the editor to close on submit");
  awaiting.text = text;
  wait_for (registry_reply_is, &awaiting, "the filled template awaiting approval");

  reply = registry_reply (id);
  g_assert_cmpstr (json_object_get_string_member (reply, "kind"), ==, "answer");
  approve = g_strdup_printf ("{\"reply_id\":\"%s\"}", json_object_get_string_member (reply, "id"));
  supervisor_op (id, "reply_approve", approve);
  sent.text = text;
  wait_for (registry_reply_is, &sent, "the filled template sent");
}

typedef struct
{
  const char *id;
  const char *sha256;
} CachedFile;

static gboolean
cached_file (gconstpointer data)
{
  const CachedFile *e = data;
  g_autoptr(JsonNode) node = sa_cache_get_appeal (sa_window_get_cache (window), e->id, NULL);
  JsonNode *files = node != NULL ? json_object_get_member (json_node_get_object (node),
                                                           "attachments") : NULL;

  for (guint i = 0; files != NULL && JSON_NODE_HOLDS_ARRAY (files) &&
                    i < json_array_get_length (json_node_get_array (files)); i++)
    if (g_strcmp0 (json_object_get_string_member (
                     json_array_get_object_element (json_node_get_array (files), i), "sha256"),
                   e->sha256) == 0)
      return TRUE;
  return FALSE;
}

/* Whether the detail lists a file titled @name. */
static gboolean
detail_shows_file (gconstpointer name)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (window->detail), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), name) == 0)
      return TRUE;
  return FALSE;
}

static void
test_files_sent (void)
{
  /* A file attached in the detail and checked in the editor goes with the reply: submitted and approved, the registry's sent reply lists it by name. */
  g_autofree char *id = register_appeal ();
  g_autofree char *doc = g_strdup_printf ("%%PDF-1.4\n%% act of work done on %s\n%%%%EOF\n", id);
  g_autoptr(GBytes) pdf = g_bytes_new (doc, strlen (doc));
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  g_autofree char *path = g_build_filename (data_dir, "Акт выполненных работ.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *approve = NULL;
  const char *text = "Отопление восстановлено, акт приложен.";
  CachedFile attached = { id, sha256 };
  Expect awaiting = { id, text, "awaiting_approval" };
  Expect sent = { id, text, "sent" };
  SaReplyEditor *editor;
  GtkCheckButton *check = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  JsonArray *files;

  g_file_set_contents (path, doc, -1, &error);
  g_assert_no_error (error);
  show_appeal (id);
  sa_attachments_view_attach_file (
    SA_ATTACHMENTS_VIEW (sa_test_find_by_type (GTK_WIDGET (window->detail),
                                               SA_TYPE_ATTACHMENTS_VIEW, 0)), file);
  wait_for (cached_file, &attached, "the file on the cached appeal");
  wait_for (detail_shows_file, "Акт выполненных работ.pdf", "the file in the detail");

  editor = open_editor ();
  sa_test_collect (GTK_WIDGET (editor), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]),
                   "Акт выполненных работ.pdf") == 0)
      check = GTK_CHECK_BUTTON (sa_test_find_by_type (rows->pdata[i], GTK_TYPE_CHECK_BUTTON, 0));
  g_assert_nonnull (check);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (check)));
  type_and_wait (editor, text);
  gtk_check_button_set_active (check, TRUE);
  wait_for (is_saved, editor, "the draft saved with its file");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  wait_for (no_editor, NULL, "the editor to close on submit");
  wait_for (registry_reply_is, &awaiting, "the reply awaiting approval");

  reply = registry_reply (id);
  approve = g_strdup_printf ("{\"reply_id\":\"%s\"}", json_object_get_string_member (reply, "id"));
  supervisor_op (id, "reply_approve", approve);
  wait_for (registry_reply_is, &sent, "the reply sent");
  g_clear_pointer (&reply, json_object_unref);
  reply = registry_reply (id);
  files = json_object_get_array_member (reply, "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0),
                                                  "sha256"), ==, sha256);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0),
                                                  "name"), ==, "Акт выполненных работ.pdf");
  g_unlink (path);
}

static SaConflictsView *
conflicts_view (void)
{
  return window->conflicts;
}

static gboolean
outbox_conflict (gconstpointer text)
{
  g_autoptr(GPtrArray) entries = sa_cache_list_outbox (sa_window_get_cache (window), NULL);

  return entries->len == 1 && ((SaOutboxEntry *) entries->pdata[0])->state == SA_OP_CONFLICT;
}

/* The change's row says the whole text (and when it was made). */
static gboolean
conflict_shown (gconstpointer text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (conflicts_view ()), GTK_TYPE_LABEL, labels);
  if (sa_conflicts_view_get_n_entries (conflicts_view ()) != 1)
    return FALSE;
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_visible (labels->pdata[i]) &&
        g_str_has_prefix (gtk_label_get_text (labels->pdata[i]), text))
      return TRUE;
  return FALSE;
}

static void
test_conflict_keeps_text (void)
{
  /* A draft that meets an appeal changed meanwhile keeps its text in Changes Not Applied; applied again, it reaches the registry. */
  g_autofree char *id = register_appeal ();
  const char *text = "Бригада выехала, отопление будет включено сегодня.";
  Expect e = { id, text, "draft" };
  g_autofree char *op_id = NULL;
  SaReplyEditor *editor;

  show_appeal (id);
  editor = open_editor ();
  type_and_wait (editor, text);
  gtk_window_close (GTK_WINDOW (editor));
  /* Within the desk's undo window: the draft has not gone yet. */
  supervisor_op (id, "comment", "{\"text\":\"Проверьте подъезд 2.\"}");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  wait_for (outbox_conflict, text, "the conflict in the outbox");
  {
    g_autoptr(GPtrArray) entries = sa_cache_list_outbox (sa_window_get_cache (window), NULL);
    SaOutboxEntry *entry = entries->pdata[0];

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (entry->args), "text"),
                     ==, text);
    op_id = g_strdup (entry->op_id);
  }
  /* The editor opens with the text too, and says why it is not on the registry. */
  editor = open_editor ();
  {
    GtkTextIter start, end;
    g_autofree char *shown = NULL;

    gtk_text_buffer_get_bounds (buffer_of (editor), &start, &end);
    shown = gtk_text_buffer_get_text (buffer_of (editor), &start, &end, FALSE);
    g_assert_cmpstr (shown, ==, text);
    g_assert_true (sa_test_shows_label (GTK_WIDGET (editor),
                                        "Your last text did not reach the registry"));
  }
  gtk_window_destroy (GTK_WINDOW (editor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-conflicts", NULL));
  wait_for (conflict_shown, text, "the conflict with the draft's text");
  g_assert_null (registry_reply (id));

  g_assert_nonnull (sa_test_find_button (GTK_WIDGET (conflicts_view ()), "_Apply Again"));
  /* The button's action, with the op it names: the view may be rebuilt
   * under a button held here. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts_view ()),
                                             "conflicts.apply-again", "s", op_id));
  wait_for (registry_reply_is, &e, "the draft applied again on the registry");
}

int
main (int    argc,
      char **argv)
{
  int ret;
  gpointer weak;
  gint64 deadline;

  data_dir = g_dir_make_tmp ("sa-reply-desk-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = sa_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/sa/reply-desk/offline-draft-after-restart", test_offline_restart);
  g_test_add_func ("/sa/reply-desk/submit-return-resubmit", test_submit_return_resubmit);
  g_test_add_func ("/sa/reply-desk/conflict-keeps-text", test_conflict_keeps_text);
  g_test_add_func ("/sa/reply-desk/template-sent", test_template_sent);
  g_test_add_func ("/sa/reply-desk/files-sent", test_files_sent);

  sa_test_spawn_registry (&registry, 10);
  token = sign_in (LOGIN, PASSWORD);
  boss_token = sign_in (SUPERVISOR, "demo-supervisor");
  new_window ();
  sa_window_sign_in (window, registry.url, LOGIN, PASSWORD);
  wait_for (synced, NULL, "the first sync");

  ret = g_test_run ();

  weak = window;
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  sa_test_stop_registry (&registry);
  g_object_unref (app);
  sa_test_remove_tree (data_dir);
  g_free (token);
  g_free (boss_token);
  g_free (data_dir);
  return ret;
}
