/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "sa-quick-answer-dialog.h"
#include "sa-reply-template.h"
#include "sa-application.h"
#include "sa-op-dialog.h"
#include "sa-review-window.h"
#include "sa-test-cache.h"
#include "sa-test-spawned-http.h"
#include "sa-test-widgets.h"
#include "sa-verdict-dialog.h"
#include "sa-window-private.h"

/* The reply loop after the reply is written, on a real window against a
 * real registry: the executor submits an answer (over HTTP, as another
 * desk), the supervisor finds it in "Awaiting my approval", reviews it
 * and approves or returns it with a comment; the contact centre's
 * operator finds the answered appeal in "Waiting for the verdict" and
 * records the applicant's disagreement, which puts it "Under control" on
 * the supervisor's desk; and records the information an applicant gave.
 * A joint answer waits for the co-executor's part: the review names the
 * agency while it is missing, and approves once the part is sent. */

#define SUPERVISOR "supervisor.almaty-teplo"
#define EXECUTOR   "executor.almaty-teplo"
#define OPERATOR   "operator.ikomek-109"
/* A co-executor agency, which writes a part of a joint answer. */
#define COEXECUTOR_AGENCY    "ALMATY-TKE"
#define COEXECUTOR_NAME      "ТОО «Алматытеплокоммунэнерго»"
#define COEXECUTOR_EXECUTOR  "executor.almaty-tke"
#define COEXECUTOR_SUPERVISOR "supervisor.almaty-tke"

static SaApplication *app;
static SaTestSpawnedRegistry registry;
static SaWindow *window;
static char *data_dir;

/* ------------------------------------------------------------------ */
/* The registry, as other clients see it */

#define http(method, path, token, body) \
  sa_test_spawned_http (&registry, (method), (path), (token), (body))
#define sign_in(login, password) sa_test_spawned_sign_in (&registry, (login), (password))

static char *supervisor_token;

static JsonNode *
registry_appeal (const char *id)
{
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", id, NULL);

  if (supervisor_token == NULL)
    supervisor_token = sign_in (SUPERVISOR, "demo-supervisor");
  return http ("GET", path, supervisor_token, NULL);
}

/* Applies @type as @token's user would from another desk. */
static void
op (const char *token,
    const char *type,
    const char *id,
    const char *args)
{
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", id, NULL);
  g_autoptr(JsonNode) appeal = http ("GET", path, token, NULL);
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *result;

  body = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"appeal_id\":\"%s\","
                          "\"base_version\":%" G_GINT64_FORMAT ",\"args\":%s}]}", op_id, type, id,
                          json_object_get_int_member (json_node_get_object (appeal), "version"),
                          args);
  answer = http ("POST", "/api/v1/ops", token, body);
  result = json_array_get_object_element (json_object_get_array_member (
                                            json_node_get_object (answer), "results"), 0);
  if (g_strcmp0 (json_object_get_string_member (result, "status"), "applied") != 0)
    g_error ("%s not applied: %s", type,
             json_object_get_string_member_with_default (result, "message", "?"));
}

static char *
register_appeal (const char *text)
{
  g_autofree char *token = sign_in (OPERATOR, "demo-operator");
  g_autofree char *body = g_strdup_printf ("{\"channel\":\"phone_109\","
                                           "\"category\":\"heating.no-heat\",\"text\":\"%s\","
                                           "\"applicant\":{\"name\":\"Омарова Динара\","
                                           "\"iin\":\"900101000177\",\"phone\":\"+77017654321\"},"
                                           "\"address\":{\"text\":\"улица Жандосова, 58, кв. 3\"}}",
                                           text);
  g_autoptr(JsonNode) appeal = http ("POST", "/api/v1/intake", token, body);

  return g_strdup (json_object_get_string_member (json_node_get_object (appeal), "id"));
}

/* A new appeal whose answer the executor wrote and submitted; with a
 * co-executor agency first, when @coexecutor is given. */
static char *
appeal_awaiting_approval_with (const char  *text,
                               const char  *answer,
                               const char  *coexecutor,
                               char       **out_reply_id)
{
  g_autofree char *token = sign_in (EXECUTOR, "demo-executor");
  char *id = register_appeal (text);
  char *reply_id = g_uuid_string_random ();
  g_autofree char *save = g_strdup_printf ("{\"reply_id\":\"%s\",\"text\":\"%s\","
                                           "\"visibility\":\"public\",\"language\":\"ru\"}",
                                           reply_id, answer);
  g_autofree char *submit = g_strdup_printf ("{\"reply_id\":\"%s\"}", reply_id);

  op (token, "take", id, "{}");
  if (coexecutor != NULL)
    {
      g_autofree char *supervisor = sign_in (SUPERVISOR, "demo-supervisor");
      g_autofree char *args = g_strdup_printf ("{\"agency\":\"%s\"}", coexecutor);

      op (supervisor, "add_coexecutor", id, args);
    }
  op (token, "reply_save", id, save);
  op (token, "reply_submit", id, submit);
  *out_reply_id = reply_id;
  return id;
}

static char *
appeal_awaiting_approval (const char  *text,
                          const char  *answer,
                          char       **out_reply_id)
{
  return appeal_awaiting_approval_with (text, answer, NULL, out_reply_id);
}

static JsonObject *
find_reply (JsonNode   *appeal,
            const char *reply_id)
{
  JsonArray *replies = json_object_get_array_member (json_node_get_object (appeal), "replies");

  for (guint i = 0; replies != NULL && i < json_array_get_length (replies); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (replies, i),
                                                  "id"), reply_id) == 0)
      return json_array_get_object_element (replies, i);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* The window */

static void
wait_until (gboolean      (*done) (gconstpointer data),
            gconstpointer   data,
            const char     *what)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 200 * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

static gboolean
cached_and_synced (gconstpointer id)
{
  SaSyncEngine *engine = sa_session_get_engine (window->session);
  g_autoptr(JsonNode) appeal = NULL;

  if (engine == NULL || sa_sync_engine_get_state (engine) != SA_SYNC_STATE_SYNCED ||
      sa_window_get_cache (window) == NULL)
    return FALSE;
  appeal = sa_cache_get_appeal (sa_window_get_cache (window), id, NULL);
  return appeal != NULL;
}

static gboolean
swallow_notification (SaNotifier    *notifier,
                      const char    *id,
                      GNotification *notification,
                      gpointer       data)
{
  return TRUE;
}

static void
quiet_notifier (void)
{
  SaNotifier *notifier = sa_session_get_notifier (window->session);

  if (notifier != NULL)
    g_signal_connect (notifier, "send-notification", G_CALLBACK (swallow_notification), NULL);
}

/* Signs in as @login (whoever was in signs out) and waits for @id on the desk. */
static void
desk_as (const char *login,
         const char *password,
         const char *id)
{
  gulong handler = g_signal_connect_swapped (window, "notify::cache", G_CALLBACK (quiet_notifier),
                                             NULL);

  if (g_strcmp0 (sa_session_get_login (window->session), login) == 0 &&
      sa_window_get_cache (window) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  else
    {
      if (sa_window_get_cache (window) != NULL)
        gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
      sa_window_sign_in (window, registry.url, login, password);
    }
  wait_until (cached_and_synced, id, "the appeal on the desk");
  /* No undo window: what is decided goes at once. */
  sa_sync_engine_set_undo_window (sa_session_get_engine (window->session), 0);
  settle ();
  g_signal_handler_disconnect (window, handler);
}

/* The sidebar's count, once the desk has caught up. */
static guint
count (SaSection section)
{
  settle ();
  return sa_sidebar_get_count (window->sidebar, section);
}

/* The one window of @type the desk opened. */
static GtkWindow *
opened (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
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
type_text (GtkWidget  *root,
           const char *text)
{
  GtkWidget *view = sa_test_find_by_type (root, GTK_TYPE_TEXT_VIEW, 0);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

typedef struct
{
  const char *id;
  const char *reply_id;
  const char *reply_state;   /* or NULL */
  const char *status;
} Expect;

static gboolean
registry_has (gconstpointer data)
{
  const Expect *e = data;
  g_autoptr(JsonNode) appeal = NULL;
  JsonObject *reply;

  /* Asks the registry a few times a second, not a thousand. */
  settle ();
  appeal = registry_appeal (e->id);
  reply = e->reply_id != NULL ? find_reply (appeal, e->reply_id) : NULL;

  if (e->reply_state != NULL &&
      (reply == NULL || g_strcmp0 (json_object_get_string_member (reply, "state"),
                                   e->reply_state) != 0))
    return FALSE;
  return g_strcmp0 (json_object_get_string_member (json_node_get_object (appeal), "status"),
                    e->status) == 0;
}

static void
push_now (void)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
}

/* ------------------------------------------------------------------ */
/* The cases */

static char *approved_id;

static void
test_approve (void)
{
  /* A colleague's submitted answer is counted in "Awaiting my approval";
   * reviewed and approved on the desk, the registry has it sent and the
   * appeal answered, and the section no longer counts it. */
  g_autofree char *reply_id = NULL;
  g_autofree char *id = appeal_awaiting_approval ("Нет горячей воды с понедельника.",
                                                  "Горячая вода подана 3 декабря.", &reply_id);
  Expect e = { id, reply_id, "sent", "answered" };
  guint before;
  GtkWindow *review;

  desk_as (SUPERVISOR, "demo-supervisor", id);
  before = count (SA_SECTION_REVIEW);
  g_assert_cmpuint (before, >=, 1);
  g_assert_true (sa_sidebar_get_section_shown (window->sidebar, SA_SECTION_REVIEW));
  g_assert_false (sa_sidebar_get_section_shown (window->sidebar, SA_SECTION_VERDICT));

  sa_window_open_appeal (window, id);
  settle ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.review-reply",
                                             NULL));
  review = opened (SA_TYPE_REVIEW_WINDOW);
  g_assert_nonnull (review);
  g_assert_cmpstr (sa_review_window_get_reply_id (SA_REVIEW_WINDOW (review)), ==, reply_id);
  click (sa_test_find_button (GTK_WIDGET (review), "_Approve and Send"));
  /* At once on the desk, before the registry has it. */
  g_assert_cmpuint (count (SA_SECTION_REVIEW), ==, before - 1);
  push_now ();
  wait_until (registry_has, &e, "the answer sent on the registry");
  {
    g_autoptr(JsonNode) appeal = registry_appeal (id);

    g_assert_cmpstr (json_object_get_string_member (find_reply (appeal, reply_id), "approved_by"),
                     ==, SUPERVISOR);
  }
  approved_id = g_strdup (id);
}

static void
test_return (void)
{
  /* Returned with a comment on the desk, the reply is returned on the
   * registry with that comment, and the appeal is in work again. */
  g_autofree char *reply_id = NULL;
  g_autofree char *id = appeal_awaiting_approval ("Течёт крыша над пятым этажом.",
                                                  "Крыша отремонтирована.", &reply_id);
  Expect e = { id, reply_id, "returned", "in_progress" };
  g_autoptr(JsonNode) appeal = NULL;
  GtkWindow *review, *dialog;

  desk_as (SUPERVISOR, "demo-supervisor", id);
  sa_window_open_appeal (window, id);
  settle ();
  gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.review-reply", NULL);
  review = opened (SA_TYPE_REVIEW_WINDOW);
  g_assert_nonnull (review);
  click (sa_test_find_button (GTK_WIDGET (review), "_Return…"));
  dialog = opened (SA_TYPE_OP_DIALOG);
  g_assert_nonnull (dialog);
  type_text (GTK_WIDGET (dialog), "Приложите фото после ремонта.");
  click (sa_test_find_button (GTK_WIDGET (dialog), "_Return"));
  push_now ();
  wait_until (registry_has, &e, "the reply returned on the registry");
  appeal = registry_appeal (id);
  g_assert_cmpstr (json_object_get_string_member (find_reply (appeal, reply_id),
                                                  "returned_comment"), ==,
                   "Приложите фото после ремонта.");
  settle ();
}

static void
test_verdict_and_control (void)
{
  /* The operator finds the answered appeal waiting for the verdict and
   * records a disagreement with rating 2: the registry reopens it under
   * control, and the supervisor's "Under control" counts it. */
  Expect e = { approved_id, NULL, NULL, "reopened" };
  g_autoptr(JsonNode) appeal = NULL;
  GtkWindow *dialog;
  guint waiting, control;

  if (approved_id == NULL)
    {
      g_test_skip ("needs the appeal approved in /sa/desk-review/approve");
      return;
    }
  desk_as (OPERATOR, "demo-operator", approved_id);
  g_assert_true (sa_sidebar_get_section_shown (window->sidebar, SA_SECTION_VERDICT));
  g_assert_false (sa_sidebar_get_section_shown (window->sidebar, SA_SECTION_REVIEW));
  waiting = count (SA_SECTION_VERDICT);
  g_assert_cmpuint (waiting, >=, 1);

  sa_window_open_appeal (window, approved_id);
  settle ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.record-verdict",
                                             NULL));
  dialog = opened (SA_TYPE_VERDICT_DIALOG);
  g_assert_nonnull (dialog);
  choose (GTK_WIDGET (dialog), "The applicant disagrees");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (sa_test_find_button (GTK_WIDGET (dialog), "2")),
                                TRUE);
  type_text (GTK_WIDGET (dialog), "Вода еле тёплая.");
  click (sa_test_find_button (GTK_WIDGET (dialog), "_Record"));
  g_assert_cmpuint (count (SA_SECTION_VERDICT), ==, waiting - 1);
  push_now ();
  wait_until (registry_has, &e, "the appeal reopened on the registry");
  appeal = registry_appeal (approved_id);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (appeal), "under_control"));

  desk_as (SUPERVISOR, "demo-supervisor", approved_id);
  control = count (SA_SECTION_CONTROL);
  g_assert_cmpuint (control, >=, 1);
  g_assert_true (sa_sidebar_get_section_shown (window->sidebar, SA_SECTION_CONTROL));
}

typedef struct
{
  const char *id;
  const char *reply_id;
} CachedPart;

/* Whether the desk's cache has the co-executor's part, sent. */
static gboolean
cache_has_sent_part (gconstpointer data)
{
  const CachedPart *p = data;
  g_autoptr(JsonNode) appeal = NULL;
  JsonObject *reply;

  settle ();
  if (sa_window_get_cache (window) == NULL)
    return FALSE;
  appeal = sa_cache_get_appeal (sa_window_get_cache (window), p->id, NULL);
  reply = appeal != NULL ? find_reply (appeal, p->reply_id) : NULL;
  return reply != NULL &&
         g_strcmp0 (json_object_get_string_member_with_default (reply, "state", NULL),
                    "sent") == 0;
}

static void
test_joint (void)
{
  /* A joint answer: while the co-executor's part is missing, the review
   * on the desk names that agency and does not approve; once its
   * supervisor sent the part, the review shows it beside the answer, and
   * the lead supervisor's approval from the desk sends the answer with
   * the part on the registry. */
  g_autofree char *reply_id = NULL;
  g_autofree char *id = appeal_awaiting_approval_with ("Нет отопления во всём доме.",
                                                       "Отопление подано, котельная исправна.",
                                                       COEXECUTOR_AGENCY, &reply_id);
  g_autofree char *part_id = g_uuid_string_random ();
  g_autofree char *part_save = g_strdup_printf ("{\"reply_id\":\"%s\",\"kind\":\"part\","
                                                "\"text\":\"Теплотрасса на улице заменена.\","
                                                "\"visibility\":\"public\","
                                                "\"language\":\"ru\"}", part_id);
  g_autofree char *part_args = g_strdup_printf ("{\"reply_id\":\"%s\"}", part_id);
  g_autofree char *coexec_token = NULL;
  g_autofree char *coexec_supervisor = NULL;
  g_autofree char *missing = g_strdup_printf ("Not sent their part of the answer yet: %s. Wait for "
                                              "them, or send the answer without them, giving "
                                              "the reason.", COEXECUTOR_NAME);
  Expect e = { id, reply_id, "sent", "answered" };
  CachedPart cached = { id, part_id };
  GtkWindow *review;

  desk_as (SUPERVISOR, "demo-supervisor", id);
  sa_window_open_appeal (window, id);
  settle ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.review-reply",
                                             NULL));
  review = opened (SA_TYPE_REVIEW_WINDOW);
  g_assert_nonnull (review);
  g_assert_false (gtk_widget_is_sensitive (sa_test_find_button (GTK_WIDGET (review),
                                                                "_Approve and Send")));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review), missing));
  gtk_window_destroy (review);

  /* The co-executor writes its part, and its own supervisor sends it. */
  coexec_token = sign_in (COEXECUTOR_EXECUTOR, "demo-executor");
  coexec_supervisor = sign_in (COEXECUTOR_SUPERVISOR, "demo-supervisor");
  op (coexec_token, "reply_save", id, part_save);
  op (coexec_token, "reply_submit", id, part_args);
  op (coexec_supervisor, "reply_approve", id, part_args);

  push_now ();
  wait_until (cache_has_sent_part, &cached, "the sent part on the desk");
  sa_window_open_appeal (window, id);
  settle ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.review-reply",
                                             NULL));
  review = opened (SA_TYPE_REVIEW_WINDOW);
  g_assert_nonnull (review);
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review), "Теплотрасса на улице заменена."));
  g_assert_true (sa_test_shows_label (GTK_WIDGET (review), COEXECUTOR_NAME));
  g_assert_false (sa_test_shows_label (GTK_WIDGET (review), missing));
  click (sa_test_find_button (GTK_WIDGET (review), "_Approve and Send"));
  push_now ();
  wait_until (registry_has, &e, "the joint answer sent on the registry");
  {
    g_autoptr(JsonNode) appeal = registry_appeal (id);
    JsonObject *answer = find_reply (appeal, reply_id);
    JsonArray *parts = json_object_get_array_member (answer, "parts");

    g_assert_cmpstr (json_object_get_string_member (answer, "approved_by"), ==, SUPERVISOR);
    g_assert_nonnull (parts);
    g_assert_cmpuint (json_array_get_length (parts), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (parts, 0), ==, part_id);
  }
}

static void
test_info_received (void)
{
  /* Information the applicant gave, recorded by the operator on the desk,
   * resumes the appeal on the registry with the text in its history. */
  g_autofree char *token = sign_in (EXECUTOR, "demo-executor");
  g_autofree char *id = register_appeal ("Шумят трубы по ночам.");
  Expect e = { id, NULL, NULL, "in_progress" };
  g_autoptr(JsonNode) appeal = NULL;
  JsonArray *history;
  gboolean found = FALSE;
  GtkWindow *dialog;

  op (token, "take", id, "{}");
  op (token, "request_info", id, "{\"text\":\"Уточните номер подъезда.\"}");
  desk_as (OPERATOR, "demo-operator", id);
  sa_window_open_appeal (window, id);
  settle ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.record-info",
                                             NULL));
  dialog = opened (SA_TYPE_OP_DIALOG);
  g_assert_nonnull (dialog);
  type_text (GTK_WIDGET (dialog), "Второй подъезд, код 45.");
  click (sa_test_find_button (GTK_WIDGET (dialog), "_Record"));
  push_now ();
  wait_until (registry_has, &e, "the appeal in work again on the registry");
  appeal = registry_appeal (id);
  history = json_object_get_array_member (json_node_get_object (appeal), "history");
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *event = json_array_get_object_element (history, i);
      JsonObject *payload = json_object_get_object_member (event, "payload");

      found |= g_strcmp0 (json_object_get_string_member (event, "type"), "info_received") == 0 &&
               payload != NULL &&
               g_strcmp0 (json_object_get_string_member_with_default (payload, "text", NULL),
                          "Второй подъезд, код 45.") == 0;
    }
  g_assert_true (found);
}

static void
test_quick_answer (void)
{
  /* The operator answers a fresh appeal on the call from the desk with a
   * city quick answer, filled from the appeal: the registry has it
   * answered, the reply sent from that template with no approver. */
  g_autofree char *id = register_appeal ("Когда починят лифт в подъезде?");
  Expect e = { id, NULL, NULL, "answered" };
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(JsonNode) appeal = NULL;
  SaReplyTemplate *chosen = NULL;
  JsonArray *replies;
  JsonObject *reply;
  GtkWindow *dialog;

  desk_as (OPERATOR, "demo-operator", id);
  sa_window_open_appeal (window, id);
  settle ();
  found = sa_cache_find_templates (sa_window_get_cache (window), "доступ", "heating.no-heat",
                                   "ru", 5, NULL);
  g_assert_nonnull (found);
  g_assert_cmpuint (found->len, >, 0);
  chosen = g_ptr_array_index (found, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.quick-answer",
                                             NULL));
  dialog = opened (SA_TYPE_QUICK_ANSWER_DIALOG);
  g_assert_nonnull (dialog);
  sa_quick_answer_dialog_choose (SA_QUICK_ANSWER_DIALOG (dialog), chosen->id, chosen->text);
  click (sa_test_find_button (GTK_WIDGET (dialog), "_Send"));
  push_now ();
  wait_until (registry_has, &e, "the appeal answered on the registry");
  appeal = registry_appeal (id);
  replies = json_object_get_array_member (json_node_get_object (appeal), "replies");
  g_assert_cmpuint (json_array_get_length (replies), ==, 1);
  reply = json_array_get_object_element (replies, 0);
  g_assert_cmpstr (json_object_get_string_member (reply, "template_id"), ==, chosen->id);
  g_assert_true (json_object_get_null_member (reply, "approved_by"));
  /* Filled from the appeal: the applicant's name, nothing left in braces. */
  g_assert_nonnull (strstr (json_object_get_string_member (reply, "text"), "Омарова Динара"));
  g_assert_null (strchr (json_object_get_string_member (reply, "text"), '{'));
}

int
main (int    argc,
      char **argv)
{
  int ret;
  gpointer weak;
  gint64 deadline;

  data_dir = g_dir_make_tmp ("sa-desk-review-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = sa_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/sa/desk-review/approve", test_approve);
  g_test_add_func ("/sa/desk-review/return", test_return);
  g_test_add_func ("/sa/desk-review/verdict-and-control", test_verdict_and_control);
  g_test_add_func ("/sa/desk-review/info-received", test_info_received);
  g_test_add_func ("/sa/desk-review/joint", test_joint);
  g_test_add_func ("/sa/desk-review/quick-answer", test_quick_answer);

  sa_test_spawn_registry (&registry, 10);
  window = g_object_ref_sink (sa_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  gtk_window_present (GTK_WINDOW (window));

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
  g_free (data_dir);
  g_free (approved_id);
  g_free (supervisor_token);
  return ret;
}
