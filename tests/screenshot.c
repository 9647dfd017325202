/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-screenshot"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>

#include "sa-quick-answer-dialog.h"
#include "sa-reply-template.h"
#include "sa-appeal-detail-private.h"
#include "sa-application.h"
#include "sa-op-dialog.h"
#include "sa-reply-editor.h"
#include "sa-review-window.h"
#include "sa-verdict-dialog.h"
#include "sa-window-private.h"

/* Renders a view of the main window to a PNG without a compositor or a
 * screenshot portal: the window's own paintable is drawn by its renderer.
 * Used by build-aux/screenshots.sh for docs/screenshots/.
 *
 * Views: "sign-in" (no --login), "list" (the synced desk), "detail" (an
 * open appeal with a history beside the list), "answered" (an answered
 * appeal scrolled to its replies), "attachments" (a photo
 * attached to that appeal, sent, its thumbnail shown), "conflicts" (the conflicts
 * window with a conflict and a rejection, made for real: a comment while
 * --colleague changes the same appeal, and a priority the executor may not
 * set), "escalate" (the escalation dialog with a search that matches
 * nothing), "menu" (the detail's More Actions menu, open), "shortcuts"
 * (the help overlay), "review" (a supervisor's review of the first reply
 * awaiting their approval) and "verdict" (an operator's verdict form on the
 * first appeal waiting for one, filled in with a disagreement) and
 * "quick-answer" (the operator's answer on the call, a quick answer chosen
 * on a fresh appeal). Passwords come on stdin, one a line: the login's, the
 * colleague's. */

static char *opt_output;
static char *opt_style = (char *)"light";
static char *opt_localedir;
static char *opt_server;
static char *opt_login;
static char *opt_colleague;
static char *opt_view;
static int opt_width = 1100;
static int opt_height = 720;
static double opt_delay = 1.5;

static const GOptionEntry entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, "PNG to write", "FILE" },
  { "style", 0, 0, G_OPTION_ARG_STRING, &opt_style, "light or dark", "STYLE" },
  { "localedir", 0, 0, G_OPTION_ARG_FILENAME, &opt_localedir, "Where the .mo files are", "DIR" },
  { "server", 0, 0, G_OPTION_ARG_STRING, &opt_server, "Registry to sign in to", "URL" },
  { "login", 0, 0, G_OPTION_ARG_STRING, &opt_login, "Login (password on stdin)", "LOGIN" },
  { "colleague", 0, 0, G_OPTION_ARG_STRING, &opt_colleague,
    "A supervisor who changes an appeal meanwhile (password on stdin's second line)", "LOGIN" },
  { "view", 0, 0, G_OPTION_ARG_STRING, &opt_view,
    "list, detail, conflicts, escalate, menu, shortcuts, review or verdict", "VIEW" },
  { "width", 0, 0, G_OPTION_ARG_INT, &opt_width, "Window width", "PX" },
  { "height", 0, 0, G_OPTION_ARG_INT, &opt_height, "Window height", "PX" },
  { "delay", 0, 0, G_OPTION_ARG_DOUBLE, &opt_delay, "Seconds to wait before the shot", "S" },
  { NULL }
};

static void
wait_until (gboolean    (*done) (SaWindow *),
            SaWindow     *window,
            const char   *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (window))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Lets the windows lay out, draw and run their timers for @seconds. */
static void
settle (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64)(seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

static void
shoot (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_to_node (snapshot);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, opt_output))
    g_error ("Could not write %s", opt_output);
  g_print ("%s: %d×%d\n", opt_output, w, h);
}

/* Synced, and the list shows its rows; a section that stays empty (a
 * supervisor holds no appeals of their own) is shown empty after a while. */
static gboolean
synced (SaWindow *window)
{
  SaSyncEngine *engine = sa_session_get_engine (window->session);
  static gint64 synced_at;

  if (engine == NULL || sa_sync_engine_get_state (engine) != SA_SYNC_STATE_SYNCED ||
      window->list_pane->appeals == NULL)
    return FALSE;
  if (synced_at == 0)
    synced_at = g_get_monotonic_time ();
  return g_list_model_get_n_items (G_LIST_MODEL (window->list_pane->appeals)) > 0 ||
         g_get_monotonic_time () - synced_at > 3 * G_USEC_PER_SEC;
}

static gboolean
needs_two_decisions (SaWindow *window)
{
  return sa_session_get_engine (window->session) != NULL &&
         sa_sync_engine_get_attention (sa_session_get_engine (window->session)) >= 2 &&
         sa_conflicts_view_get_n_entries (window->conflicts) >= 2;
}

static gboolean
is_open (JsonObject *appeal)
{
  const char *status = json_object_get_string_member_with_default (appeal, "status", "");

  return sa_appeal_status_name_in (status, SA_STATUS_SET_WORKABLE);
}

/* The open appeals in the list's order, as the cache holds them. */
static GPtrArray *
open_appeals (SaWindow *window)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  GListModel *list = G_LIST_MODEL (window->list_pane->appeals);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(SaAppealRow) row = g_list_model_get_item (list, i);
      g_autoptr(JsonNode) node = sa_cache_get_appeal (window->cache, sa_appeal_row_get_id (row),
                                                      NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) && is_open (json_node_get_object (node)))
        g_ptr_array_add (found, g_steal_pointer (&node));
    }
  return found;
}

static guint
history_length (JsonNode *node)
{
  JsonObject *appeal = json_node_get_object (node);

  if (!json_object_has_member (appeal, "history"))
    return 0;
  return json_array_get_length (json_object_get_array_member (appeal, "history"));
}

/* A worked-on appeal shows the detail at its fullest: the first open one
 * with the longest history among the top of the list. */
static const char *
pick_detail (GPtrArray *appeals)
{
  JsonNode *best = NULL;

  for (guint i = 0; i < appeals->len && i < 40; i++)
    if (best == NULL || history_length (appeals->pdata[i]) > history_length (best))
      best = appeals->pdata[i];
  if (best == NULL)
    g_error ("No open appeal to show");
  return json_object_get_string_member (json_node_get_object (best), "id");
}

/* A photo an executor would take of a manhole: a picture, not a test pattern. */
static GFile *
make_photo (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "люк-во-дворе.png", NULL);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 640, 400);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *sky = cairo_pattern_create_linear (0, 0, 0, 400);

  cairo_pattern_add_color_stop_rgb (sky, 0, 0.55, 0.70, 0.85);
  cairo_pattern_add_color_stop_rgb (sky, 0.45, 0.80, 0.85, 0.90);
  cairo_pattern_add_color_stop_rgb (sky, 0.46, 0.42, 0.42, 0.44);
  cairo_pattern_add_color_stop_rgb (sky, 1, 0.30, 0.30, 0.32);
  cairo_set_source (cr, sky);
  cairo_paint (cr);
  /* The open manhole, and its cover beside it. */
  cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
  cairo_save (cr);
  cairo_translate (cr, 300, 300);
  cairo_scale (cr, 1.6, 0.5);
  cairo_arc (cr, 0, 0, 60, 0, 2 * G_PI);
  cairo_restore (cr);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.35, 0.33, 0.30);
  cairo_save (cr);
  cairo_translate (cr, 500, 330);
  cairo_scale (cr, 1.6, 0.5);
  cairo_arc (cr, 0, 0, 50, 0, 2 * G_PI);
  cairo_restore (cr);
  cairo_fill (cr);
  cairo_destroy (cr);
  cairo_pattern_destroy (sky);
  if (cairo_surface_write_to_png (surface, path) != CAIRO_STATUS_SUCCESS)
    g_error ("Could not write %s", path);
  cairo_surface_destroy (surface);
  return g_file_new_for_path (path);
}

static gboolean
attachment_uploaded (SaWindow *window)
{
  g_autoptr(JsonNode) node = sa_cache_get_appeal (sa_window_get_cache (window),
                                                  window->shown_id, NULL);
  JsonObject *appeal = node != NULL ? json_node_get_object (node) : NULL;
  JsonArray *files = appeal != NULL && json_object_has_member (appeal, "attachments")
                     ? json_object_get_array_member (appeal, "attachments") : NULL;

  return files != NULL && json_array_get_length (files) > 0 &&
         !json_object_get_boolean_member_with_default (json_array_get_object_element (files, 0),
                                                       "pending", FALSE) &&
         sa_sync_engine_get_pending (sa_session_get_engine (window->session)) == 0;
}

static JsonNode *
http (const char *method,
      const char *path,
      const char *token,
      const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (opt_server, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  if (answer == NULL)
    g_error ("%s %s: %s", method, path, error->message);
  if (soup_message_get_status (msg) >= 300 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                   g_bytes_get_size (answer), NULL))
    g_error ("%s %s: %u", method, path, soup_message_get_status (msg));
  return json_node_copy (json_parser_get_root (parser));
}

static const char *
other_priority (JsonObject *appeal)
{
  const char *priority = json_object_get_string_member_with_default (appeal, "priority", "");

  return g_str_equal (priority, "critical") ? "high" : "critical";
}

/* The colleague raises the priority of @appeal_id in the registry, on its
 * version there, as their own client would. */
static void
colleague_changes (const char *password,
                   const char *appeal_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) login = NULL;
  g_autoptr(JsonNode) appeal = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *login_body = NULL;
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", appeal_id, NULL);
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *text = NULL;
  const char *token;
  JsonArray *results;
  JsonObject *result;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, opt_colleague);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  login_body = json_to_string (body, FALSE);
  login = http ("POST", "/api/v1/auth/login", NULL, login_body);
  token = json_object_get_string_member (json_node_get_object (login), "access_token");

  appeal = http ("GET", path, token, NULL);
  text = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"set_priority\","
                          "\"appeal_id\":\"%s\",\"base_version\":%" G_GINT64_FORMAT ","
                          "\"args\":{\"priority\":\"%s\"}}]}",
                          op_id, appeal_id,
                          json_object_get_int_member (json_node_get_object (appeal), "version"),
                          other_priority (json_node_get_object (appeal)));
  answer = http ("POST", "/api/v1/ops", token, text);
  results = json_object_get_array_member (json_node_get_object (answer), "results");
  result = json_array_get_object_element (results, 0);
  if (g_strcmp0 (json_object_get_string_member (result, "status"), "applied") != 0)
    g_error ("The colleague's change was not applied: %s",
             json_object_get_string_member_with_default (result, "code", "?"));
}

static void
apply_local (SaWindow   *window,
             const char *appeal_id,
             const char *type,
             const char *member,
             const char *value)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = NULL;

  json_object_set_string_member (args, member, value);
  op_id = sa_cache_apply_local_op_sync (window->cache, appeal_id, type, args, &error);
  if (op_id == NULL)
    g_error ("Could not apply %s: %s", type, error->message);
}

/* A conflict and a rejection, the way a user gets them: the engine is held
 * back (a slow network) while the executor comments on an appeal that the
 * colleague changes meanwhile, and sets a priority only a supervisor may. */
static void
make_conflicts (SaWindow   *window,
                const char *colleague_password)
{
  g_autoptr(GPtrArray) appeals = open_appeals (window);
  JsonObject *commented, *prioritised;

  if (appeals->len < 2)
    g_error ("Too few open appeals for the conflicts view");
  commented = json_node_get_object (appeals->pdata[0]);
  prioritised = json_node_get_object (appeals->pdata[1]);

  sa_sync_engine_stop (sa_session_get_engine (window->session));
  apply_local (window, json_object_get_string_member (commented, "id"), "comment", "text",
               "Бригада выехала, давление в стояке восстановят до 18:00.");
  apply_local (window, json_object_get_string_member (prioritised, "id"), "set_priority",
               "priority", other_priority (prioritised));
  colleague_changes (colleague_password, json_object_get_string_member (commented, "id"));
  sa_sync_engine_start (sa_session_get_engine (window->session));
  wait_until (needs_two_decisions, window, "the conflict and the rejection");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-conflicts", NULL);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }
  g_error ("No %s is open", g_type_name (type));
}

/* The first widget of @type under @root, depth first. */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = G_TYPE_CHECK_INSTANCE_TYPE (child, type) ? child
                                                                 : find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The escalation dialog, its organisations searched for a name none has. */
static GtkWidget *
open_escalate (SaWindow *window)
{
  GtkWidget *dialog;
  GtkWidget *search;

  gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.escalate", NULL);
  dialog = GTK_WIDGET (find_toplevel (SA_TYPE_OP_DIALOG));
  search = find_widget (dialog, GTK_TYPE_SEARCH_ENTRY);
  if (search == NULL || !gtk_widget_get_visible (search))
    g_error ("The dialog has no search");
  gtk_editable_set_text (GTK_EDITABLE (search), "Самал-99");
  return dialog;
}

/* The detail's More Actions menu, open: a popover, drawn on its own. */
static GtkWidget *
open_menu (SaWindow *window)
{
  GtkWidget *more = find_widget (GTK_WIDGET (window->detail), GTK_TYPE_MENU_BUTTON);
  GtkPopover *popover;

  if (more == NULL)
    g_error ("The detail has no menu");
  gtk_menu_button_popup (GTK_MENU_BUTTON (more));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (more));
  return GTK_WIDGET (popover);
}

static gboolean
section_filled (SaWindow *window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (window->list_pane->appeals)) > 0;
}

/* Opens the first appeal of @section in the detail. */
static void
open_first_in (SaWindow  *window,
               SaSection  section)
{
  g_autoptr(SaAppealRow) row = NULL;

  sa_sidebar_set_section (window->sidebar, section);
  wait_until (section_filled, window, "an appeal in the section");
  row = g_list_model_get_item (G_LIST_MODEL (window->list_pane->appeals), 0);
  sa_window_open_appeal (window, sa_appeal_row_get_id (row));
  settle (0.5);
}

/* The verdict form as an operator fills it in on the phone: disagrees,
 * rates the answer 2, and says why. */
static GtkWidget *
open_verdict (SaWindow *window)
{
  GtkWidget *dialog;
  GtkWidget *rating = NULL;
  GtkWidget *words;
  GtkWidget *disagree = NULL;
  guint n_checks = 0;

  open_first_in (window, SA_SECTION_VERDICT);
  gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.record-verdict", NULL);
  dialog = GTK_WIDGET (find_toplevel (SA_TYPE_VERDICT_DIALOG));
  /* The second choice of the three, whatever the language says. */
  for (GtkWidget *w = dialog; w != NULL && disagree == NULL; )
    {
      GtkWidget *next;

      if (GTK_IS_CHECK_BUTTON (w) && n_checks++ == 1)
        disagree = w;
      /* Depth first. */
      if ((next = gtk_widget_get_first_child (w)) == NULL)
        while (w != dialog && (next = gtk_widget_get_next_sibling (w)) == NULL)
          w = gtk_widget_get_parent (w);
      w = w == dialog && next == NULL ? NULL : next;
    }
  if (disagree == NULL)
    g_error ("The verdict form has no choices");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (disagree), TRUE);
  for (GtkWidget *w = find_widget (dialog, GTK_TYPE_TOGGLE_BUTTON); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), "2") == 0)
      rating = w;
  if (rating == NULL)
    g_error ("The verdict form has no rating");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (rating), TRUE);
  words = find_widget (dialog, GTK_TYPE_TEXT_VIEW);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (words)),
                            "Батареи стали тёплыми только днём, ночью снова холодно.", -1);
  return dialog;
}

/* The operator's answer on the call, on the first fresh appeal of the
 * queue, with the quick answer for access chosen and filled. */
static GtkWidget *
open_quick_answer (SaWindow *window)
{
  g_autoptr(GPtrArray) found = NULL;
  SaReplyTemplate *chosen;
  GtkWidget *dialog;

  open_first_in (window, SA_SECTION_QUEUE);
  gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.quick-answer", NULL);
  dialog = GTK_WIDGET (find_toplevel (SA_TYPE_QUICK_ANSWER_DIALOG));
  if (dialog == NULL)
    g_error ("No answer on the call offered");
  found = sa_cache_find_templates (window->cache, NULL, NULL, NULL, 20, NULL);
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      chosen = g_ptr_array_index (found, i);
      if (g_str_has_prefix (chosen->id, "access-needed-"))
        {
          sa_quick_answer_dialog_choose (SA_QUICK_ANSWER_DIALOG (dialog), chosen->id, chosen->text);
          break;
        }
    }
  return dialog;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- screenshot the Smart Appeals window");
  g_autoptr(GError) error = NULL;
  g_autoptr(SaApplication) app = NULL;
  g_auto(GStrv) passwords = NULL;
  GtkWidget *target;
  SaWindow *window;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_output == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "--output is required");
      return 2;
    }
  if (opt_view == NULL)
    opt_view = g_strdup (opt_login != NULL ? "list" : "sign-in");
  if ((opt_login == NULL) != g_str_equal (opt_view, "sign-in") ||
      (g_str_equal (opt_view, "conflicts") && opt_colleague == NULL))
    {
      g_printerr ("--view %s needs %s\n", opt_view,
                  opt_login == NULL ? "--login" : "--colleague (and no --login for sign-in)");
      return 2;
    }
  bindtextdomain (GETTEXT_PACKAGE, opt_localedir ? opt_localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (opt_login != NULL)
    {
      g_autoptr(GIOChannel) in = g_io_channel_unix_new (0);
      g_autofree char *text = NULL;

      g_io_channel_read_to_end (in, &text, NULL, NULL);
      passwords = g_strsplit (text ? text : "", "\n", -1);
      if (g_strv_length (passwords) < (opt_colleague != NULL ? 2u : 1u))
        {
          g_printerr ("Give the passwords on stdin, one a line\n");
          return 2;
        }
    }

  gtk_init ();
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      g_str_equal (opt_style, "dark")
                                        ? ADW_COLOR_SCHEME_FORCE_DARK
                                        : ADW_COLOR_SCHEME_FORCE_LIGHT);

  app = sa_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  window = g_object_ref_sink (sa_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (window), opt_width, opt_height);
  target = GTK_WIDGET (window);
  if (opt_login != NULL)
    sa_window_sign_in (window, opt_server, opt_login, passwords[0]);
  else
    sa_window_restore_session (window, "", "");
  gtk_window_present (GTK_WINDOW (window));

  if (opt_login != NULL)
    {
      wait_until (synced, window, "the first sync");
      if (g_str_equal (opt_view, "detail"))
        {
          g_autoptr(GPtrArray) appeals = open_appeals (window);

          sa_window_open_appeal (window, pick_detail (appeals));
        }
      else if (g_str_equal (opt_view, "answered"))
        {
          /* An answered appeal, scrolled to the answer its applicant got. */
          GListModel *list = G_LIST_MODEL (window->list_pane->appeals);
          g_autofree char *id = NULL;
          graphene_rect_t bounds;
          GtkAdjustment *adj;

          sa_sidebar_set_section (window->sidebar, SA_SECTION_ANSWERED);
          settle (0.5);
          for (guint i = 0; id == NULL && i < g_list_model_get_n_items (list); i++)
            {
              g_autoptr(SaAppealRow) row = g_list_model_get_item (list, i);
              g_autoptr(JsonNode) node = sa_cache_get_appeal (window->cache,
                                                              sa_appeal_row_get_id (row), NULL);
              JsonObject *appeal = node != NULL ? json_node_get_object (node) : NULL;

              if (appeal != NULL && json_object_has_member (appeal, "replies") &&
                  json_array_get_length (json_object_get_array_member (appeal, "replies")) > 0)
                id = g_strdup (sa_appeal_row_get_id (row));
            }
          if (id == NULL)
            g_error ("No answered appeal to show");
          sa_window_open_appeal (window, id);
          settle (1.0);
          adj = gtk_scrolled_window_get_vadjustment (window->detail->scrolled);
          if (gtk_widget_compute_bounds (GTK_WIDGET (window->detail->replies),
                                         gtk_scrolled_window_get_child (window->detail->scrolled),
                                         &bounds))
            gtk_adjustment_set_value (adj, bounds.origin.y - 12);
        }
      else if (g_str_equal (opt_view, "attachments"))
        {
          /* The executor attaches a photo of the work: it is sent, its
           * thumbnail comes back, and the detail is scrolled down to it. */
          g_autoptr(GPtrArray) appeals = open_appeals (window);
          g_autofree char *dir = g_dir_make_tmp ("sa-shot-XXXXXX", NULL);
          g_autoptr(GFile) photo = make_photo (dir);
          GtkAdjustment *adj;

          sa_window_open_appeal (window, pick_detail (appeals));
          settle (0.5);
          sa_attachments_view_attach_file (window->detail->attachments, photo);
          wait_until (attachment_uploaded, window, "the photo to be sent");
          /* The desk keeps its own copy; the photo's folder goes. */
          g_file_delete (photo, NULL, NULL);
          g_rmdir (dir);
          settle (2.0);
          adj = gtk_scrolled_window_get_vadjustment (window->detail->scrolled);
          gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
        }
      else if (g_str_equal (opt_view, "conflicts"))
        {
          make_conflicts (window, passwords[1]);
          target = GTK_WIDGET (window->conflicts_window);
          /* Taller than its default, so that the rejection below the
           * conflict shows whole; a user scrolls to it. */
          gtk_window_set_default_size (GTK_WINDOW (target), 760, 800);
        }
      else if (g_str_equal (opt_view, "escalate") || g_str_equal (opt_view, "menu"))
        {
          g_autoptr(GPtrArray) appeals = open_appeals (window);

          sa_window_open_appeal (window, pick_detail (appeals));
          settle (0.5);
          target = g_str_equal (opt_view, "menu") ? open_menu (window) : open_escalate (window);
        }
      else if (g_str_equal (opt_view, "reply"))
        {
          /* The executor answers in the applicant's language from the
           * city's first template for it, filled in, with the photo of
           * the work attached to the appeal included; the draft is saved
           * by the time of the shot. */
          g_autoptr(GPtrArray) appeals = open_appeals (window);
          const char *id = pick_detail (appeals);
          g_autofree char *dir = g_dir_make_tmp ("sa-shot-XXXXXX", NULL);
          g_autoptr(GFile) photo = make_photo (dir);
          GtkWidget *search;
          GtkWidget *check;

          sa_window_open_appeal (window, id);
          settle (0.5);
          sa_attachments_view_attach_file (window->detail->attachments, photo);
          wait_until (attachment_uploaded, window, "the photo to be sent");
          g_file_delete (photo, NULL, NULL);
          g_rmdir (dir);
          settle (0.5);
          gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.reply", NULL);
          target = GTK_WIDGET (find_toplevel (SA_TYPE_REPLY_EDITOR));
          search = find_widget (target, GTK_TYPE_SEARCH_ENTRY);
          g_signal_emit_by_name (search, "activate");
          check = find_widget (target, GTK_TYPE_CHECK_BUTTON);
          if (check != NULL)
            gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
          settle (1.5);
        }
      else if (g_str_equal (opt_view, "review"))
        {
          open_first_in (window, SA_SECTION_REVIEW);
          gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.review-reply", NULL);
          target = GTK_WIDGET (find_toplevel (SA_TYPE_REVIEW_WINDOW));
        }
      else if (g_str_equal (opt_view, "verdict"))
        target = open_verdict (window);
      else if (g_str_equal (opt_view, "quick-answer"))
        target = open_quick_answer (window);
      else if (g_str_equal (opt_view, "shortcuts"))
        {
          gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
          target = GTK_WIDGET (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
        }
      else if (g_str_equal (opt_view, "list"))
        {
          /* In a narrow window, the list rather than the sections. */
          if (adw_leaflet_get_folded (window->leaflet))
            adw_leaflet_set_visible_child_name (window->leaflet, "list");
        }
      else
        {
          g_printerr ("Unknown view %s\n", opt_view);
          return 2;
        }
    }

  settle (opt_delay);
  shoot (target);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}
