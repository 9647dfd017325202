/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "sa-test-files.h"
#include "sa-appeal-list-row.h"
#include "sa-application.h"
#include "sa-op-dialog.h"
#include "sa-reply-editor.h"
#include "sa-test-keys.h"
#include "sa-test-spawned-http.h"
#include "sa-test-widgets.h"
#include "sa-window-private.h"

/* The executor's desk against a real registry with the demo data: the
 * executor of ALMATY-TEPLO signs in, the sync engine fills the account's
 * cache from the registry, and the tests look at what the window shows. The cases run in the
 * order added (one suite, no sub-suites: GTest runs a suite's own cases before its sub-suites)
 * on one signed-in window, and each also passes alone (test-desk -p /sa/desk/CASE). */

#define LOGIN    "executor.almaty-teplo"
#define PASSWORD "demo-executor"
#define AGENCY   "ALMATY-TEPLO"

static SaApplication *app;
static SaTestSpawnedRegistry registry;
static SaWindow *window;
static char *data_dir;
static GPtrArray *mine;      /* the appeals the executor may see, as the registry sends them */
static GPtrArray *others;    /* appeals of other agencies, as a curator sees them */
static char *intake_id;      /* an appeal registered for the test, in the agency's queue */

/* ------------------------------------------------------------------ */
/* Talking to the registry as a channel or another client would */

#define http(method, path, token, body) \
  sa_test_spawned_http (&registry, (method), (path), (token), (body))
#define sign_in(login, password) sa_test_spawned_sign_in (&registry, (login), (password))

/* Every appeal the user may see, from the change feed. */
static GPtrArray *
pull (const char *token)
{
  GPtrArray *appeals = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  gint64 since = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=50", since);
      g_autoptr(JsonNode) page = http ("GET", path, token, NULL);
      JsonObject *object = json_node_get_object (page);
      JsonArray *changes = json_object_get_array_member (object, "changes");

      since = json_object_get_int_member (object, "next");
      more = json_object_get_boolean_member (object, "more");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);

          if (g_str_equal (json_object_get_string_member (change, "kind"), "appeal") &&
              json_object_has_member (change, "data"))
            g_ptr_array_add (appeals, json_object_ref (json_object_get_object_member (change,
                                                                                      "data")));
        }
    }
  return appeals;
}

static JsonObject *
find_appeal (GPtrArray  *appeals,
             const char *reg_number)
{
  for (guint i = 0; i < appeals->len; i++)
    {
      JsonObject *appeal = g_ptr_array_index (appeals, i);

      if (g_strcmp0 (json_object_get_string_member (appeal, "reg_number"), reg_number) == 0)
        return appeal;
    }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Looking at the window */

static void
wait_until (gboolean (*done) (void),
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!done ())
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Lets the window lay out and draw, so that the list makes its rows. */
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

static GListModel *
shown_model (void)
{
  return G_LIST_MODEL (gtk_list_view_get_model (window->list_pane->list_view));
}

static guint
n_shown (void)
{
  GListModel *model = shown_model ();

  return model != NULL ? g_list_model_get_n_items (model) : 0;
}

/* The registration numbers in the list, top to bottom. */
static GPtrArray *
shown_numbers (void)
{
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_shown (); i++)
    {
      g_autoptr(SaAppealRow) row = g_list_model_get_item (shown_model (), i);

      g_ptr_array_add (numbers, g_strdup (sa_appeal_row_get_reg_number (row)));
    }
  return numbers;
}

static gboolean
numbers_contain (GPtrArray  *numbers,
                 const char *number)
{
  return g_ptr_array_find_with_equal_func (numbers, number, g_str_equal, NULL);
}

/* The registration number a row widget draws. */
static const char *
row_number (gpointer row)
{
  return pango_layout_get_text (sa_appeal_list_row_get_layout (row, SA_APPEAL_LIST_ROW_NUMBER));
}

/* The drawn row widget showing @number, or NULL if none is on screen. */
static GtkWidget *
row_widget (const char *number)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (window->list_pane->list_view), SA_TYPE_APPEAL_LIST_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {

      if (gtk_widget_get_mapped (rows->pdata[i]) &&
          g_strcmp0 (row_number (rows->pdata[i]), number) == 0)
        return rows->pdata[i];
    }
  return NULL;
}

/* Every drawn row shows an appeal of @numbers: none is left showing what
 * it showed before a query refilled it. */
static void
assert_rows_among (GPtrArray *numbers)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint mapped = 0;

  sa_test_collect (GTK_WIDGET (window->list_pane->list_view), SA_TYPE_APPEAL_LIST_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {

      if (!gtk_widget_get_mapped (rows->pdata[i]))
        continue;
      mapped++;
      g_assert_true (numbers_contain (numbers, row_number (rows->pdata[i])));
    }
  g_assert_cmpuint (mapped, >, 0);
}

/* The row widgets of the list, top to bottom, show consecutive appeals of
 * @numbers: each shows its own position's appeal, the ones off screen too
 * (a query or sort refills rows in place and binds those later). */
static void
assert_rows_in_order (GPtrArray *numbers)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint first = G_MAXUINT;
  guint anchor = 0;

  sa_test_collect (GTK_WIDGET (window->list_pane->list_view), SA_TYPE_APPEAL_LIST_ROW, rows);
  g_assert_cmpuint (rows->len, >, 0);
  /* The top row, bound at once, tells where the widgets start. */
  for (guint i = 0; i < rows->len && first == G_MAXUINT; i++)
    {
      guint pos;

      if (gtk_widget_get_mapped (rows->pdata[i]) &&
          g_ptr_array_find_with_equal_func (numbers, row_number (rows->pdata[i]),
                                            g_str_equal, &pos))
        {
          first = pos;
          anchor = i;
        }
    }
  g_assert_cmpuint (first, !=, G_MAXUINT);
  g_assert_cmpuint (first, >=, anchor);
  for (guint i = 0; i < rows->len; i++)
    {

      g_assert_cmpuint (first - anchor + i, <, numbers->len);
      g_assert_cmpstr (row_number (rows->pdata[i]), ==,
                       numbers->pdata[first - anchor + i]);
    }
}

static gboolean
row_shows_pending (const char *number)
{
  GtkWidget *row = row_widget (number);

  g_assert_nonnull (row);
  return g_strcmp0 (sa_appeal_list_row_get_mark (SA_APPEAL_LIST_ROW (row), SA_APPEAL_LIST_ROW_PENDING),
                    "emblem-synchronizing-symbolic") == 0;
}

/* Whether the row showing @number draws it in bold, as unread. */
static gboolean
row_number_bold (const char *number)
{
  GtkWidget *row = row_widget (number);
  PangoLayout *layout;
  g_autoptr(PangoAttrIterator) iter = NULL;
  PangoAttrInt *weight;

  g_assert_nonnull (row);
  layout = sa_appeal_list_row_get_layout (SA_APPEAL_LIST_ROW (row), SA_APPEAL_LIST_ROW_NUMBER);
  iter = pango_attr_list_get_iterator (pango_layout_get_attributes (layout));
  weight = (PangoAttrInt *) pango_attr_iterator_get (iter, PANGO_ATTR_WEIGHT);
  return weight != NULL && weight->value >= PANGO_WEIGHT_BOLD;
}

/* Whether the detail pane shows a label reading @text. */
static gboolean
detail_shows (const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (window->detail), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) &&
        g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return TRUE;
  return FALSE;
}

/* How many history entries of the detail read @title. */
static guint
history_count (const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint n = 0;

  sa_test_collect (GTK_WIDGET (window->detail), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_mapped (rows->pdata[i]) &&
        g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      n++;
  return n;
}

static void
show_section (SaSection section)
{
  sa_sidebar_set_section (window->sidebar, section);
  settle ();
}

static gboolean
synced (void)
{
  SaSyncEngine *engine = sa_session_get_engine (window->session);

  return engine != NULL && sa_sync_engine_get_state (engine) == SA_SYNC_STATE_SYNCED &&
         sa_sidebar_get_count (window->sidebar, SA_SECTION_ALL) == mine->len;
}

/* ------------------------------------------------------------------ */
/* The cases */

static void
test_agency_only (void)
{
  /* After the first sync the header says so, and All Appeals lists exactly the appeals of the executor's agency that the registry holds, none of another agency's; the sidebar counts them. Each row drawn shows the icon of its category's sphere, one the app has. */
  g_autoptr(GPtrArray) numbers = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));

  g_assert_cmpstr (gtk_label_get_text (window->sync_status->sync_label), ==, "Synced");
  show_section (SA_SECTION_ALL);
  numbers = shown_numbers ();
  g_assert_cmpuint (numbers->len, ==, mine->len);
  g_assert_cmpuint (sa_sidebar_get_count (window->sidebar, SA_SECTION_ALL), ==, mine->len);
  for (guint i = 0; i < mine->len; i++)
    {
      JsonObject *appeal = g_ptr_array_index (mine, i);

      g_assert_cmpstr (json_object_get_string_member (appeal, "agency"), ==, AGENCY);
      g_assert_true (numbers_contain (numbers,
                                      json_object_get_string_member (appeal, "reg_number")));
    }
  g_assert_cmpuint (others->len, >, 0);
  for (guint i = 0; i < others->len; i++)
    g_assert_false (numbers_contain (numbers, json_object_get_string_member (others->pdata[i],
                                                                             "reg_number")));

  /* The top rows are drawn, each with its number. */
  g_assert_nonnull (row_widget (numbers->pdata[0]));
  sa_test_collect (GTK_WIDGET (window->list_pane->list_view), SA_TYPE_APPEAL_LIST_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *icon = sa_appeal_list_row_get_mark (rows->pdata[i], SA_APPEAL_LIST_ROW_SPHERE);

      if (!gtk_widget_get_mapped (rows->pdata[i]))
        continue;
      g_assert_cmpstr (icon, !=, "sa-sphere-other-symbolic");
      g_assert_true (gtk_icon_theme_has_icon (theme, icon));
    }
}

static const char *wanted_query;

static gboolean
query_applied (void)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (window->list_pane->search_entry)),
                    wanted_query) == 0 &&
         n_shown () < mine->len;
}

static gboolean
query_cleared (void)
{
  return n_shown () == mine->len;
}

static gboolean
contains_word (JsonObject *appeal,
               const char *word)
{
  g_autofree char *needle = g_utf8_casefold (word, -1);
  const char *fields[] = { "reg_number", "text" };
  JsonObject *address = json_object_get_object_member (appeal, "address");
  JsonObject *applicant = json_object_get_object_member (appeal, "applicant");
  g_autofree char *all = g_strjoin (" ", json_object_get_string_member (appeal, fields[0]),
                                    json_object_get_string_member (appeal, fields[1]),
                                    json_object_get_string_member (address, "text"),
                                    json_object_get_string_member (applicant, "name"), NULL);
  g_autofree char *haystack = g_utf8_casefold (all, -1);

  return strstr (haystack, needle) != NULL;
}

static void
test_search (void)
{
  /* Typing a word from one appeal's address narrows the list to the appeals that have it; a registration number finds just that appeal; closing the search shows all again. */
  JsonObject *appeal = g_ptr_array_index (mine, 0);
  const char *address = json_object_get_string_member (json_object_get_object_member (appeal,
                                                                                      "address"),
                                                       "text");
  g_auto(GStrv) words = g_strsplit_set (address, " ,", -1);
  g_autoptr(GPtrArray) numbers = NULL;
  const char *word = NULL;

  show_section (SA_SECTION_ALL);
  /* The longest word of the address: a street's name, not "улица". */
  for (guint i = 0; words[i] != NULL; i++)
    if (word == NULL || g_utf8_strlen (words[i], -1) > g_utf8_strlen (word, -1))
      word = words[i];

  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (window->list_pane->search_bar));
  wanted_query = word;
  gtk_editable_set_text (GTK_EDITABLE (window->list_pane->search_entry), word);
  wait_until (query_applied, "the search to narrow the list");
  settle ();
  numbers = shown_numbers ();
  g_assert_cmpuint (numbers->len, >, 0);
  assert_rows_among (numbers);
  g_assert_true (numbers_contain (numbers, json_object_get_string_member (appeal, "reg_number")));
  for (guint i = 0; i < numbers->len; i++)
    g_assert_true (contains_word (find_appeal (mine, numbers->pdata[i]), word));
  for (guint i = 0; i < mine->len; i++)
    if (contains_word (mine->pdata[i], word))
      g_assert_true (numbers_contain (numbers,
                                      json_object_get_string_member (mine->pdata[i],
                                                                     "reg_number")));
  g_clear_pointer (&numbers, g_ptr_array_unref);

  wanted_query = json_object_get_string_member (appeal, "reg_number");
  gtk_editable_set_text (GTK_EDITABLE (window->list_pane->search_entry), wanted_query);
  wait_until (query_applied, "the search for a number");
  settle ();
  g_assert_cmpuint (n_shown (), ==, 1);
  g_assert_nonnull (row_widget (wanted_query));

  gtk_search_bar_set_search_mode (window->list_pane->search_bar, FALSE);
  wait_until (query_cleared, "the whole list again");
}

static void
test_sort_then_narrow (void)
{
  /* A new order binds the rows on screen at once and those off screen later; a search that narrows the list to one appeal before then destroys most of those rows: the list shows that one appeal, and no row is bound again after its widget is gone. */
  JsonObject *appeal = g_ptr_array_index (mine, 0);
  const char *number = json_object_get_string_member (appeal, "reg_number");
  g_autoptr(GPtrArray) numbers = NULL;

  show_section (SA_SECTION_ALL);
  settle ();
  /* More rows than the window shows, so that some wait to be bound. */
  g_assert_cmpuint (n_shown (), >, 20);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort", "s", "received");
  sa_appeal_list_set_query (window->list_pane->appeals, number);
  settle ();
  g_assert_cmpuint (n_shown (), ==, 1);
  numbers = shown_numbers ();
  assert_rows_among (numbers);
  g_assert_nonnull (row_widget (number));

  sa_appeal_list_set_query (window->list_pane->appeals, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort", "s", "deadline");
  settle ();
}

static gboolean
is_open (JsonObject *appeal)
{
  const char *status = json_object_get_string_member (appeal, "status");

  return !g_str_equal (status, "answered") && !g_str_equal (status, "closed") &&
         !g_str_equal (status, "archived");
}

static gint64
member_time (JsonObject *appeal,
             const char *member)
{
  const char *text = json_object_get_string_member_with_default (appeal, member, NULL);
  g_autoptr(GDateTime) dt = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return dt ? g_date_time_to_unix (dt) : G_MAXINT64;
}

static void
test_filter_and_sort (void)
{
  /* A status filter shows exactly the appeals in that status and says so above the list; a category filter on top narrows further; a time-left filter is named as the menu names it; newest-first and priority orders reorder the rows; clearing the filters brings all back. */
  g_autoptr(GPtrArray) numbers = NULL;
  g_autoptr(GPtrArray) by_deadline = NULL;
  static const char * const channels[] = {
    "open311", "president", "email", "telegram", "open_almaty", "egov", "phone_109",
  };
  guint expected = 0;
  const char *category = NULL;
  const char *channel = NULL;
  gint64 last;

  show_section (SA_SECTION_ALL);
  by_deadline = shown_numbers ();
  /* Nearest deadline first: the appeals still owed an answer come first, their
   * nearer deadline never decreasing down the list; the answered and closed after. */
  last = G_MININT64;
  {
    gboolean stopped_seen = FALSE;

    for (guint i = 0; i < by_deadline->len; i++)
      {
        JsonObject *appeal = find_appeal (mine, by_deadline->pdata[i]);
        gint64 due = MIN (member_time (appeal, "legal_due_at"),
                          member_time (appeal, "resolution_due_at"));

        if (!sa_appeal_status_name_in (json_object_get_string_member (appeal, "status"),
                                       SA_STATUS_SET_CLOCK_RUNNING))
          {
            stopped_seen = TRUE;
            continue;
          }
        g_assert_false (stopped_seen);
        g_assert_cmpint (due, >=, last);
        last = due;
      }
    g_assert_true (stopped_seen);
  }

  gtk_widget_activate_action (GTK_WIDGET (window), "win.filter-status", "s", "in_progress");
  settle ();
  for (guint i = 0; i < mine->len; i++)
    if (g_str_equal (json_object_get_string_member (mine->pdata[i], "status"), "in_progress"))
      {
        expected++;
        category = json_object_get_string_member (mine->pdata[i], "category");
      }
  g_assert_cmpuint (expected, >, 1);
  numbers = shown_numbers ();
  g_assert_cmpuint (numbers->len, ==, expected);
  for (guint i = 0; i < numbers->len; i++)
    g_assert_cmpstr (json_object_get_string_member (find_appeal (mine, numbers->pdata[i]),
                                                    "status"), ==, "in_progress");
  g_assert_cmpstr (adw_window_title_get_subtitle (window->list_pane->list_title), ==,
                   "In Progress");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window->list_pane->filter_button),
                                           "filters-on"));
  g_clear_pointer (&numbers, g_ptr_array_unref);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.filter-category", "s", category);
  settle ();
  expected = 0;
  for (guint i = 0; i < mine->len; i++)
    if (g_str_equal (json_object_get_string_member (mine->pdata[i], "status"), "in_progress") &&
        g_str_equal (json_object_get_string_member (mine->pdata[i], "category"), category))
      expected++;
  g_assert_cmpuint (n_shown (), ==, expected);

  /* Nothing matches: the status page says so and offers to clear the filters. A channel
   * none of the shown appeals came by: */
  for (guint c = 0; channel == NULL && c < G_N_ELEMENTS (channels); c++)
    {
      gboolean used = FALSE;

      for (guint i = 0; i < mine->len; i++)
        used |= g_str_equal (json_object_get_string_member (mine->pdata[i], "status"),
                             "in_progress") &&
                g_str_equal (json_object_get_string_member (mine->pdata[i], "category"),
                             category) &&
                g_str_equal (json_object_get_string_member (mine->pdata[i], "channel"),
                             channels[c]);
      if (!used)
        channel = channels[c];
    }
  g_assert_nonnull (channel);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.filter-channel", "s", channel);
  settle ();
  g_assert_cmpuint (n_shown (), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->list_pane->list_stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (window->list_pane->empty_page), ==, "No Results");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->list_pane->clear_filters_button)));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-filters", NULL);
  settle ();
  g_assert_cmpuint (n_shown (), ==, mine->len);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->list_pane->list_stack), ==, "list");
  g_assert_cmpstr (adw_window_title_get_subtitle (window->list_pane->list_title), ==, "");

  /* The time left is named in the subtitle as the menu names it. */
  {
    const char *lights[][2] = {
      { "green", "On Time" }, { "yellow", "Running Out" },
      { "red", "Almost Due" }, { "overdue", "Overdue" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (lights); i++)
      {
        gtk_widget_activate_action (GTK_WIDGET (window), "win.filter-sla", "s", lights[i][0]);
        settle ();
        g_assert_cmpstr (adw_window_title_get_subtitle (window->list_pane->list_title), ==,
                         lights[i][1]);
      }
    gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-filters", NULL);
    settle ();
    g_assert_cmpuint (n_shown (), ==, mine->len);
  }

  /* Newest first. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort", "s", "received");
  settle ();
  numbers = shown_numbers ();
  g_assert_cmpuint (numbers->len, ==, by_deadline->len);
  last = G_MAXINT64;
  for (guint i = 0; i < numbers->len; i++)
    {
      gint64 received = member_time (find_appeal (mine, numbers->pdata[i]), "received_at");

      g_assert_cmpint (received, <=, last);
      last = received;
    }
  g_assert_cmpstr (numbers->pdata[0], !=, by_deadline->pdata[0]);
  g_assert_nonnull (row_widget (numbers->pdata[0]));
  assert_rows_in_order (numbers);
  g_clear_pointer (&numbers, g_ptr_array_unref);

  /* Highest priority first. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort", "s", "priority");
  settle ();
  numbers = shown_numbers ();
  {
    const char *ranks[] = { "low", "normal", "high", "critical" };
    guint last_rank = G_N_ELEMENTS (ranks);

    for (guint i = 0; i < numbers->len; i++)
      {
        const char *priority = json_object_get_string_member (find_appeal (mine, numbers->pdata[i]),
                                                              "priority");
        guint rank = 0;

        while (rank < G_N_ELEMENTS (ranks) && !g_str_equal (ranks[rank], priority))
          rank++;
        g_assert_cmpuint (rank, <=, last_rank);
        last_rank = rank;
      }
  }

  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort", "s", "deadline");
  settle ();
}

static AdwToast *previous_toast;
static const char *wanted_toast;

static gboolean
new_toast_shown (void)
{
  AdwToast *toast = _sa_window_get_last_toast (window);

  return toast != NULL && toast != previous_toast &&
         g_str_equal (adw_toast_get_title (toast), wanted_toast);
}

static void
wait_for_toast (const char *title)
{
  wanted_toast = title;
  wait_until (new_toast_shown, title);
  previous_toast = _sa_window_get_last_toast (window);
}

static const char *watched_number;

static gboolean
row_pending (void)
{
  return row_shows_pending (watched_number);
}

static gboolean
row_not_pending (void)
{
  return !row_shows_pending (watched_number);
}

static const char *wanted_sync_text;

static gboolean
sync_label_reads (void)
{
  return g_strcmp0 (gtk_label_get_text (window->sync_status->sync_label), wanted_sync_text) == 0;
}

static void
wait_for_sync_label (const char *text)
{
  wanted_sync_text = text;
  wait_until (sync_label_reads, text);
}

static gboolean
listening (void)
{
  return sa_sync_engine_get_listening (sa_session_get_engine (window->session));
}

static void
undo_from_toast (void)
{
  g_autoptr(GVariant) op_id = NULL;
  AdwToast *toast = _sa_window_get_last_toast (window);

  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.undo-op");
  op_id = g_variant_ref (adw_toast_get_action_target_value (toast));
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.undo-op", op_id);
}

static const char *
stored_executor (void)
{
  static char *executor;
  g_autoptr(JsonNode) stored = sa_cache_get_appeal (sa_window_get_cache (window), intake_id, NULL);
  JsonObject *appeal = json_node_get_object (stored);

  g_clear_pointer (&executor, g_free);
  if (!json_object_get_null_member (appeal, "executor"))
    executor = g_strdup (json_object_get_string_member (appeal, "executor"));
  return executor;
}

static void
test_offline_take_undo_sync (void)
{
  /* Selecting the new appeal shows it and makes its row plain; "take" marks the row as waiting, adds the history entry, moves it from the queue to My Appeals and counts it in the header; undo from the toast puts everything back. With the registry stopped the header says offline and taking still works; once it is back and synced the change is in the registry and can no longer be undone. */
  g_autoptr(SaAppealRow) row = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  g_autoptr(JsonNode) remote = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  JsonObject *appeal = NULL;
  JsonArray *history;
  const char *number;
  guint position, queue, my, taken = 0;

  for (guint i = 0; i < mine->len && appeal == NULL; i++)
    if (g_strcmp0 (json_object_get_string_member (mine->pdata[i], "id"), intake_id) == 0)
      appeal = mine->pdata[i];
  g_assert_nonnull (appeal);
  number = json_object_get_string_member (appeal, "reg_number");
  watched_number = number;

  show_section (SA_SECTION_QUEUE);
  numbers = shown_numbers ();
  g_assert_true (numbers_contain (numbers, number));
  queue = sa_sidebar_get_count (window->sidebar, SA_SECTION_QUEUE);
  my = sa_sidebar_get_count (window->sidebar, SA_SECTION_MINE);

  show_section (SA_SECTION_ALL);
  g_assert_true (sa_appeal_list_find (window->list_pane->appeals, intake_id, &position));
  row = g_list_model_get_item (shown_model (), position);
  g_assert_true (sa_appeal_row_get_unread (row));
  /* Scrolled to, and a click on the row. */
  gtk_widget_activate_action (GTK_WIDGET (window->list_pane->list_view), "list.scroll-to-item",
                              "u", position);
  settle ();
  g_assert_true (row_number_bold (number));
  gtk_widget_activate_action (GTK_WIDGET (window->list_pane->list_view), "list.select-item",
                              "(ubb)", position, FALSE, FALSE);
  settle ();
  g_assert_true (detail_shows (number));
  g_assert_cmpuint (history_count ("Taken into work"), ==, 0);
  g_assert_false (row_shows_pending (number));
  /* Opened: the row is no longer bold. */
  g_assert_false (row_number_bold (number));

  /* The engine pushes a new operation at once, after which it can no
   * longer be undone; held back here, as if the registry had not been
   * reached yet, the operation stays undoable. */
  sa_sync_engine_stop (sa_session_get_engine (window->session));
  gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.take", NULL);
  wait_for_toast ("Appeal taken into work");
  wait_until (row_pending, "the row's pending mark");
  settle ();
  g_assert_cmpuint (history_count ("Taken into work"), ==, 1);
  g_assert_true (detail_shows (number));
  g_assert_cmpuint (sa_sidebar_get_count (window->sidebar, SA_SECTION_QUEUE), ==, queue - 1);
  g_assert_cmpuint (sa_sidebar_get_count (window->sidebar, SA_SECTION_MINE), ==, my + 1);
  g_assert_cmpstr (stored_executor (), ==, LOGIN);
  wait_for_sync_label ("1 change waiting");
  /* The selection stayed on the changed row. */
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (shown_model ())), ==,
                    position);

  undo_from_toast ();
  wait_until (row_not_pending, "the pending mark to go");
  settle ();
  g_assert_cmpuint (history_count ("Taken into work"), ==, 0);
  g_assert_cmpuint (sa_sidebar_get_count (window->sidebar, SA_SECTION_QUEUE), ==, queue);
  g_assert_cmpuint (sa_sidebar_get_count (window->sidebar, SA_SECTION_MINE), ==, my);
  g_assert_null (stored_executor ());
  wait_for_sync_label ("");
  sa_sync_engine_start (sa_session_get_engine (window->session));
  wait_for_sync_label ("Synced");
  wait_until (listening, "the engine to listen for the registry's hints");

  /* The registry goes away: the header says so, and taking still works. */
  sa_test_pause_registry (&registry);
  wait_for_sync_label ("Offline");
  gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.take", NULL);
  wait_for_toast ("Appeal taken into work");
  wait_until (row_pending, "the row's pending mark");
  wait_for_sync_label ("Offline · 1 change waiting");
  settle ();
  g_assert_cmpuint (history_count ("Taken into work"), ==, 1);

  /* It comes back and Ctrl+R syncs: the change is in the registry. */
  sa_test_resume_registry (&registry);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  wait_for_sync_label ("Synced");
  wait_until (row_not_pending, "the pending mark to go after the push");
  settle ();
  g_assert_cmpuint (history_count ("Taken into work"), ==, 1);
  g_assert_cmpstr (stored_executor (), ==, LOGIN);

  token = sign_in (LOGIN, PASSWORD);
  path = g_strconcat ("/api/v1/appeals/", intake_id, NULL);
  remote = http ("GET", path, token, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (remote), "executor"), ==,
                   LOGIN);
  history = json_object_get_array_member (json_node_get_object (remote), "history");
  for (guint i = 0; i < json_array_get_length (history); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (history, i),
                                                    "type"), "taken"))
      taken++;
  g_assert_cmpuint (taken, ==, 1);

  undo_from_toast ();
  wait_for_toast ("Already sent to the registry: it can no longer be undone");
  settle ();
  g_assert_cmpstr (stored_executor (), ==, LOGIN);
  g_assert_cmpuint (history_count ("Taken into work"), ==, 1);
}

/* An operation sent to the registry as another client would, on the
 * appeal's version it holds now; returns the result's status (and code). */
static char *
push_op (const char *token,
         const char *appeal_id,
         const char *type,
         const char *args)
{
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", appeal_id, NULL);
  g_autoptr(JsonNode) appeal = http ("GET", path, token, NULL);
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *results;
  JsonObject *result;

  body = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"appeal_id\":\"%s\","
                          "\"base_version\":%" G_GINT64_FORMAT ",\"args\":%s}]}",
                          op_id, type, appeal_id,
                          json_object_get_int_member (json_node_get_object (appeal), "version"),
                          args);
  answer = http ("POST", "/api/v1/ops", token, body);
  results = json_object_get_array_member (json_node_get_object (answer), "results");
  result = json_array_get_object_element (results, 0);
  /* "rejected: code", so that a failing test says why. */
  if (json_object_has_member (result, "code"))
    return g_strdup_printf ("%s: %s", json_object_get_string_member (result, "status"),
                            json_object_get_string_member (result, "code"));
  return g_strdup (json_object_get_string_member (result, "status"));
}

/* Whether activating @action on the detail opens its dialog, as the
 * actions menu would: a disabled action does nothing. */
static gboolean
detail_offers (const char *action)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  gboolean offered = FALSE;

  gtk_widget_activate_action (GTK_WIDGET (window->detail), action, NULL);
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i - 1);

      if (SA_IS_OP_DIALOG (toplevel))
        {
          offered = offered || gtk_widget_get_visible (GTK_WIDGET (toplevel));
          gtk_window_destroy (toplevel);
        }
    }
  return offered;
}

static gboolean
needs_decision (void)
{
  return gtk_widget_get_visible (GTK_WIDGET (window->sync_status->conflicts_button)) &&
         gtk_widget_get_sensitive (GTK_WIDGET (window->sync_status->conflicts_button));
}

static gboolean
decided (void)
{
  return !gtk_widget_get_visible (GTK_WIDGET (window->sync_status->conflicts_button)) &&
         sa_conflicts_view_get_n_entries (window->conflicts) == 0;
}

/* The conflicts window's entries: each one's group, titled with the appeal's number. */
static GPtrArray *
conflict_groups (void)
{
  GPtrArray *groups = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (window->conflicts_window), ADW_TYPE_PREFERENCES_GROUP, groups);
  return groups;
}

static void
test_conflict (void)
{
  /* A comment made while a colleague changed the same appeal comes back as a conflict: the sidebar says a decision is needed and opens the conflicts window, which lists it under the appeal's number; after Discard nothing waits, and the state reads Synced again. */
  g_autofree char *token = sign_in ("supervisor.almaty-teplo", "demo-supervisor");
  g_autofree char *status = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonNode) stored = NULL;
  const char *number = NULL;
  GtkWidget *discard;

  for (guint i = 0; i < mine->len && number == NULL; i++)
    if (g_strcmp0 (json_object_get_string_member (mine->pdata[i], "id"), intake_id) == 0)
      number = json_object_get_string_member (mine->pdata[i], "reg_number");
  g_assert_nonnull (number);
  wait_for_sync_label ("Synced");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->sync_status->conflicts_button)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->sync_status->conflicts_button)));

  /* Held back, as if the network were slow, while the supervisor acts. */
  sa_sync_engine_stop (sa_session_get_engine (window->session));
  sa_window_open_appeal (window, intake_id);
  settle ();
  json_object_set_string_member (args, "text", "Бригада выехала на место.");
  g_signal_emit_by_name (window->detail, "op-requested", "comment", args);
  wait_for_toast ("Comment added");
  wait_for_sync_label ("1 change waiting");
  status = push_op (token, intake_id, "set_priority", "{\"priority\":\"critical\"}");
  g_assert_cmpstr (status, ==, "applied");

  sa_sync_engine_start (sa_session_get_engine (window->session));
  wait_until (needs_decision, "the sidebar to ask for a decision");
  g_assert_cmpstr (gtk_label_get_text (window->sync_status->conflicts_label), ==,
                   "1 change needs your decision");
  g_assert_cmpstr (gtk_actionable_get_action_name (
                     GTK_ACTIONABLE (window->sync_status->conflicts_button)),
                   ==, "win.show-conflicts");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-conflicts", NULL);
  settle ();
  g_assert_nonnull (window->conflicts_window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->conflicts_window)));
  g_assert_cmpstr (gtk_window_get_title (window->conflicts_window), ==, "Changes Not Applied");
  g_assert_true (gtk_window_get_transient_for (window->conflicts_window) == GTK_WINDOW (window));
  g_assert_cmpuint (sa_conflicts_view_get_n_entries (window->conflicts), ==, 1);
  groups = conflict_groups ();
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpstr (adw_preferences_group_get_title (groups->pdata[0]), ==, number);
  /* The cache holds the registry's appeal, with the supervisor's priority. */
  stored = sa_cache_get_appeal (sa_window_get_cache (window), intake_id, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (stored), "priority"), ==,
                   "critical");

  discard = sa_test_find_button (GTK_WIDGET (window->conflicts_window), "_Discard");
  g_assert_nonnull (discard);
  g_signal_emit_by_name (discard, "clicked");
  wait_until (decided, "the conflict to be discarded");
  wait_for_sync_label ("Synced");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->sync_status->conflicts_button)));
  /* The window says so itself until it is closed. */
  settle ();
  g_clear_pointer (&groups, g_ptr_array_unref);
  groups = conflict_groups ();
  g_assert_cmpuint (groups->len, ==, 0);
  gtk_window_close (window->conflicts_window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->conflicts_window)));
}

static GPtrArray *notified;

static gboolean
record_notification (SaNotifier    *notifier,
                     const char    *id,
                     GNotification *notification,
                     gpointer       data)
{
  g_ptr_array_add (notified, g_strdup (id));
  return TRUE;
}

static const char *wanted_notification;

static gboolean
notification_sent (void)
{
  return g_ptr_array_find_with_equal_func (notified, wanted_notification, g_str_equal, NULL);
}

static void
test_notify_assigned (void)
{
  /* The signed-in session has a notifier: an appeal the supervisor assigns to the executor through the registry arrives through sync and is announced as assigned to them; assign is not offered to the executor. */
  g_autofree char *operator = sign_in ("operator.ikomek-109", "demo-operator");
  g_autofree char *supervisor = sign_in ("supervisor.almaty-teplo", "demo-supervisor");
  g_autoptr(JsonNode) appeal = NULL;
  g_autofree char *status = NULL;
  g_autofree char *wanted = NULL;
  const char *id;
  gulong handler;

  g_assert_nonnull (sa_session_get_notifier (window->session));
  notified = g_ptr_array_new_with_free_func (g_free);
  handler = g_signal_connect (sa_session_get_notifier (window->session), "send-notification",
                              G_CALLBACK (record_notification), NULL);

  appeal = http ("POST", "/api/v1/intake", operator,
                 "{\"channel\":\"egov\",\"category\":\"heating.no-heat\","
                 "\"text\":\"Холодные батареи в подъезде, просим проверить стояк.\","
                 "\"applicant\":{\"name\":\"Жумабаева Динара\",\"iin\":\"900101000177\"},"
                 "\"address\":{\"text\":\"проспект Абая, 52\",\"district\":\"almaly\"}}");
  id = json_object_get_string_member (json_node_get_object (appeal), "id");
  status = push_op (supervisor, id, "assign", "{\"user\":\"" LOGIN "\"}");
  g_assert_cmpstr (status, ==, "applied");

  wanted = g_strdup_printf ("appeal-%s-assigned", id);
  wanted_notification = wanted;
  wait_until (notification_sent, "the notification of the assignment");
  g_signal_handler_disconnect (sa_session_get_notifier (window->session), handler);
  g_clear_pointer (&notified, g_ptr_array_unref);

  /* The executor may not assign it on: only a supervisor may. */
  sa_window_open_appeal (window, id);
  settle ();
  g_assert_false (detail_offers ("detail.assign"));
}

static void
test_open_appeal (void)
{
  /* Opening an appeal by id (as a notification does) from a section that hides it switches to All Appeals, selects its row and shows it. */
  g_autoptr(GPtrArray) numbers = NULL;
  JsonObject *answered = NULL;
  guint position;
  const char *number;

  for (guint i = 0; i < mine->len && answered == NULL; i++)
    if (!is_open (mine->pdata[i]))
      answered = mine->pdata[i];
  g_assert_nonnull (answered);
  number = json_object_get_string_member (answered, "reg_number");

  show_section (SA_SECTION_QUEUE);
  numbers = shown_numbers ();
  g_assert_false (numbers_contain (numbers, number));
  sa_window_open_appeal (window, json_object_get_string_member (answered, "id"));
  settle ();
  g_assert_cmpuint (sa_sidebar_get_section (window->sidebar), ==, SA_SECTION_ALL);
  g_assert_true (sa_appeal_list_find (window->list_pane->appeals,
                                      json_object_get_string_member (answered, "id"), &position));
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (shown_model ())), ==,
                    position);
  g_assert_true (detail_shows (number));
  g_assert_nonnull (row_widget (number));
}

static gboolean
is_folded (void)
{
  return adw_leaflet_get_folded (window->leaflet);
}

static gboolean
is_unfolded (void)
{
  return !adw_leaflet_get_folded (window->leaflet);
}

static void
test_narrow (void)
{
  /* On a narrow window activating a row shows the detail alone; Escape goes back to the list, then to the sections. */
  g_autoptr(GPtrArray) numbers = NULL;

  show_section (SA_SECTION_ALL);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 700);
  wait_until (is_folded, "the window to fold");
  adw_leaflet_set_visible_child_name (window->leaflet, "list");
  settle ();
  numbers = shown_numbers ();
  gtk_widget_activate_action (GTK_WIDGET (window->list_pane->list_view), "list.activate-item",
                              "u", 1);
  settle ();
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (window->leaflet), ==, "detail");
  g_assert_true (detail_shows (numbers->pdata[1]));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (window->leaflet), ==, "list");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (window->leaflet), ==, "sidebar");

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  wait_until (is_unfolded, "the window to unfold");
  settle ();
}


/* ------------------------------------------------------------------ */
/* The keyboard, the mouse and the screen reader */

static gboolean
focus_in (GtkWidget *ancestor)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));

  return focus != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

/* Shows the first row of All Appeals in the detail, with the keyboard in the list. */
static void
open_first_row (void)
{
  show_section (SA_SECTION_ALL);
  sa_test_keys_focus_window (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window->list_pane->list_view), "list.activate-item",
                              "u", 0);
  settle ();
  gtk_widget_grab_focus (GTK_WIDGET (window->list_pane->list_view));
  g_assert_nonnull (sa_appeal_detail_get_appeal (window->detail));
  g_assert_true (focus_in (GTK_WIDGET (window->list_pane->list_view)));
}

static void
test_tab_leaves_list (void)
{
  /* Tab goes from the list to the detail and Shift+Tab back, as in GNOME apps; the arrows move from row to row; going round the window with Tab passes the sections and the detail and meets the list once. */
  GtkWidget *list = GTK_WIDGET (window->list_pane->list_view);
  GtkWidget *row;
  gboolean in_list = TRUE, met_sidebar = FALSE, met_detail = FALSE;
  guint entered = 0, presses = 0;

  open_first_row ();
  row = gtk_window_get_focus (GTK_WINDOW (window));
  sa_test_press (GDK_KEY_Down, 0);
  g_assert_true (focus_in (list));
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (window)) != row);

  sa_test_press (GDK_KEY_Tab, 0);
  g_assert_true (focus_in (GTK_WIDGET (window->detail)));
  sa_test_press (GDK_KEY_Tab, GDK_SHIFT_MASK);
  g_assert_true (focus_in (list));

  /* Round the window, back into the list. */
  while (entered == 0 && presses++ < 200)
    {
      sa_test_press (GDK_KEY_Tab, 0);
      met_sidebar = met_sidebar || focus_in (GTK_WIDGET (window->sidebar));
      met_detail = met_detail || focus_in (GTK_WIDGET (window->detail));
      if (focus_in (list) && !in_list)
        entered++;
      in_list = focus_in (list);
      /* One Tab in the list takes the focus out of it again. */
      if (in_list && entered == 0)
        g_assert_cmpuint (presses, ==, 1);
    }
  g_assert_cmpuint (entered, ==, 1);
  g_assert_true (met_sidebar);
  g_assert_true (met_detail);
}

static guint n_unsearched;

static gboolean
search_closed (void)
{
  return !gtk_search_bar_get_search_mode (window->list_pane->search_bar) &&
         n_shown () == n_unsearched;
}

static void
test_escape_closes_search (void)
{
  /* Escape closes the search and shows the whole list again, with the keyboard in the search, the list or the detail, with a toast up or not. */
  GtkWidget *places[3];

  open_first_row ();
  n_unsearched = n_shown ();
  places[0] = GTK_WIDGET (window->list_pane->search_entry);
  places[1] = GTK_WIDGET (window->list_pane->list_view);
  places[2] = sa_test_find_by_type (GTK_WIDGET (window->detail), GTK_TYPE_MENU_BUTTON, 0);
  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
      wanted_query = json_object_get_string_member (mine->pdata[0], "reg_number");
      gtk_editable_set_text (GTK_EDITABLE (window->list_pane->search_entry), wanted_query);
      wait_until (query_applied, "the search to narrow the list");
      g_assert_true (gtk_widget_grab_focus (places[i]));
      g_assert_true (focus_in (places[i]));
      /* After an operation a toast is up; it does not keep Escape from the search. */
      _sa_window_add_toast (window, adw_toast_new ("Comment added"));
      sa_test_press (GDK_KEY_Escape, 0);
      wait_until (search_closed, "Escape to close the search");
      /* The keyboard stays where it was, or goes from the closed search to the list. */
      g_assert_true (focus_in (i == 0 ? GTK_WIDGET (window->list_pane->list_view) : places[i]));
    }
}

static char *
register_appeal (const char *text)
{
  g_autofree char *token = sign_in ("operator.ikomek-109", "demo-operator");
  g_autofree char *body = g_strdup_printf ("{\"channel\":\"phone_109\","
                                           "\"category\":\"heating.no-heat\",\"text\":\"%s\","
                                           "\"applicant\":{\"name\":\"Омарова Динара\","
                                           "\"iin\":\"900101000177\",\"phone\":\"+77017654321\"},"
                                           "\"address\":{\"text\":\"улица Жандосова, 58, кв. 3\"}}",
                                           text);
  g_autoptr(JsonNode) appeal = http ("POST", "/api/v1/intake", token, body);

  return g_strdup (json_object_get_string_member (json_node_get_object (appeal), "id"));
}

static const char *awaited_id;

static gboolean
appeal_cached (void)
{
  g_autoptr(JsonNode) appeal = sa_cache_get_appeal (sa_window_get_cache (window), awaited_id,
                                                    NULL);

  return appeal != NULL;
}

/* The dialog an operation opened, or NULL. */
static GtkWindow *
open_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if ((SA_IS_OP_DIALOG (toplevel) || ADW_IS_MESSAGE_DIALOG (toplevel)) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }
  return NULL;
}

/* The accelerators data/ui/help-overlay.ui lists, each with its title. */
static GHashTable *
help_overlay_accels (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/kz/almaty/SmartAppeals/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  GHashTable *accels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  sa_test_collect (overlay, GTK_TYPE_SHORTCUTS_SHORTCUT, shortcuts);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *accel = NULL;
      g_autofree char *title = NULL;

      g_object_get (shortcuts->pdata[i], "accelerator", &accel, "title", &title, NULL);
      if (accel != NULL)
        g_hash_table_insert (accels, g_steal_pointer (&accel), g_steal_pointer (&title));
    }
  gtk_window_destroy (GTK_WINDOW (overlay));
  return accels;
}

static void
test_detail_shortcuts (void)
{
  /* Each operation in the detail's menu shows its shortcut there and in the help overlay, and the shortcut does it from anywhere in the window (here the list): Take takes the appeal, Reply opens the editor, the others open their dialog; one the user may not do does nothing. */
  g_autofree char *id = register_appeal ("Нет отопления во всём подъезде со вчерашнего вечера.");
  g_autoptr(GHashTable) overlay = help_overlay_accels ();
  GtkWidget *more = sa_test_find_by_type (GTK_WIDGET (window->detail), GTK_TYPE_MENU_BUTTON, 0);
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (more));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  /* What the executor may do on an appeal they took (sa-appeal-detail.c) */
  static const char * const allowed[] = {
    "detail.comment", "detail.request-info", "detail.forward", "detail.escalate", NULL
  };
  static const char * const refused[] = {
    "detail.assign", "detail.extend",
    /* A supervisor's, and the operator's (sa-appeal-detail-review.c) */
    "detail.review-reply", "detail.record-verdict", "detail.record-info", "detail.quick-answer",
    NULL
  };
  guint key;
  GdkModifierType mods;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  awaited_id = id;
  wait_until (appeal_cached, "the new appeal to arrive");
  sa_window_open_appeal (window, id);
  settle ();
  sa_test_keys_focus_window (GTK_WINDOW (window));
  gtk_widget_grab_focus (GTK_WIDGET (window->list_pane->list_view));

  /* The menu's items with their accelerators, sections and all. */
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      GMenuModel *model = section != NULL ? section : menu;
      int n = section != NULL ? g_menu_model_get_n_items (section) : 1;

      for (int k = 0; k < n; k++)
        {
          int at = section != NULL ? k : i;
          g_autofree char *action = NULL;
          g_autofree char *accel = NULL;

          if (!g_menu_model_get_item_attribute (model, at, "action", "s", &action) ||
              g_str_equal (action, "detail.set-priority"))
            continue;
          g_assert_true (g_menu_model_get_item_attribute (model, at, "accel", "s", &accel));
          g_assert_true (g_hash_table_contains (overlay, accel));
          g_ptr_array_add (items, g_strdup (action));
          g_ptr_array_add (items, g_steal_pointer (&accel));
        }
    }
  g_assert_cmpuint (items->len, ==, 2 * (g_strv_length ((char **) allowed) +
                                         g_strv_length ((char **) refused)));

  /* Take has its button; its shortcut is in the help overlay. */
  g_assert_true (g_hash_table_contains (overlay, "<Control>t"));
  sa_test_press (GDK_KEY_t, GDK_CONTROL_MASK);
  wait_for_toast ("Appeal taken into work");
  settle ();

  /* So has Reply: Ctrl+N opens the editor. */
  g_assert_true (g_hash_table_contains (overlay, "<Control>n"));
  gtk_widget_grab_focus (GTK_WIDGET (window->list_pane->list_view));
  sa_test_press (GDK_KEY_n, GDK_CONTROL_MASK);
  sa_test_keys_settle (100);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWindow *editor = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && editor == NULL; i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (SA_IS_REPLY_EDITOR (toplevel))
          editor = GTK_WINDOW (toplevel);
      }
    g_assert_nonnull (editor);
    gtk_window_destroy (editor);
    settle ();
  }

  for (guint i = 0; i < items->len; i += 2)
    {
      GtkWindow *dialog;

      gtk_widget_grab_focus (GTK_WIDGET (window->list_pane->list_view));
      g_assert_true (gtk_accelerator_parse (items->pdata[i + 1], &key, &mods));
      sa_test_press (key, mods);
      sa_test_keys_settle (100);
      dialog = open_dialog ();
      if (g_strv_contains (allowed, items->pdata[i]))
        {
          g_assert_nonnull (dialog);
          gtk_window_destroy (dialog);
          settle ();
        }
      else
        {
          g_assert_true (g_strv_contains (refused, items->pdata[i]));
          g_assert_null (dialog);
        }
    }
}

static gboolean
no_dialog (void)
{
  return open_dialog () == NULL;
}

static void
test_comment_ctrl_enter (void)
{
  /* In the comment dialog Enter writes a new line and Ctrl+Enter adds the comment, as the button does. */
  GtkWindow *dialog;

  open_first_row ();
  gtk_widget_activate_action (GTK_WIDGET (window->detail), "detail.comment", NULL);
  settle ();
  dialog = open_dialog ();
  g_assert_nonnull (dialog);
  sa_test_keys_focus_window (dialog);
  g_assert_true (GTK_IS_TEXT_VIEW (gtk_window_get_focus (dialog)));
  sa_test_type ("brigade on site");
  sa_test_press (GDK_KEY_Return, 0);
  g_assert_true (open_dialog () == dialog);
  sa_test_type ("pressure back by six");
  sa_test_press (GDK_KEY_Return, GDK_CONTROL_MASK);
  wait_for_toast ("Comment added");
  wait_until (no_dialog, "the dialog to close");
}

static void
test_detail_scrolls_to_top (void)
{
  /* Another appeal shows in the detail from its top, not where the previous one was scrolled to. */
  g_autoptr(GPtrArray) scrolled = g_ptr_array_new ();
  GtkAdjustment *adjustment = NULL;

  open_first_row ();
  /* The one the appeal shows in (the empty page has its own). */
  sa_test_collect (GTK_WIDGET (window->detail), GTK_TYPE_SCROLLED_WINDOW, scrolled);
  for (guint i = 0; i < scrolled->len; i++)
    if (gtk_widget_get_mapped (scrolled->pdata[i]))
      adjustment = gtk_scrolled_window_get_vadjustment (scrolled->pdata[i]);
  g_assert_nonnull (adjustment);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 500);
  settle ();
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  settle ();
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
  gtk_widget_activate_action (GTK_WIDGET (window->list_pane->list_view), "list.activate-item",
                              "u", 1);
  settle ();
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  settle ();
}

static void
test_menu_tooltip (void)
{
  /* A menu button keeps its tooltip, but not over its open menu: none while the menu is open, even with the pointer resting on the button. */
  GtkWidget *more;
  GtkPopover *popover;

  open_first_row ();
  more = sa_test_find_by_type (GTK_WIDGET (window->detail), GTK_TYPE_MENU_BUTTON, 0);
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (more));
  sa_test_pointer_to (more);
  sa_test_keys_settle (1200);
  g_assert_true (sa_test_tooltip_shown (GTK_WIDGET (window)));

  sa_test_click ();
  sa_test_keys_settle (200);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  g_assert_false (sa_test_tooltip_shown (GTK_WIDGET (window)));
  sa_test_pointer_to (more);
  sa_test_keys_settle (1200);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  g_assert_false (sa_test_tooltip_shown (GTK_WIDGET (window)));

  /* Closed again, the tooltip is back. */
  sa_test_press (GDK_KEY_Escape, 0);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  sa_test_pointer_to (GTK_WIDGET (window->list_pane->list_view));
  sa_test_pointer_to (more);
  sa_test_keys_settle (1200);
  g_assert_true (sa_test_tooltip_shown (GTK_WIDGET (window)));
  sa_test_pointer_to (GTK_WIDGET (window->list_pane->list_view));
}

static SaSession *old_session;

static gboolean
window_gone (void)
{
  return window == NULL && old_session == NULL;
}

static gboolean
restored (void)
{
  return sa_session_get_engine (window->session) != NULL && n_shown () > 0;
}

static void
test_offline_start (void)
{
  /* The next start with the registry stopped opens the desk from this computer: the user's name, the same appeals and "Offline"; when the registry is back it syncs. */
  g_autofree char *name = g_strdup (_sa_window_get_user_name (window));
  guint n_all = sa_sidebar_get_count (window->sidebar, SA_SECTION_ALL);

  /* The session outlives its window while the keyring or a cache still answers it. */
  old_session = window->session;
  g_object_add_weak_pointer (G_OBJECT (old_session), (gpointer *) &old_session);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  wait_until (window_gone, "the window to go");
  sa_test_pause_registry (&registry);

  window = g_object_ref_sink (sa_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  sa_window_restore_session (window, NULL, NULL);
  wait_until (restored, "the desk from the cache");
  show_section (SA_SECTION_ALL);
  g_assert_cmpstr (sa_window_get_page (window), ==, "main");
  g_assert_cmpstr (_sa_window_get_user_name (window), ==, name);
  g_assert_cmpuint (n_shown (), ==, n_all);
  wait_for_sync_label ("Offline");

  sa_test_resume_registry (&registry);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  wait_for_sync_label ("Synced");
}

static const char *cache_path;

static gboolean
cache_deleted (void)
{
  return !g_file_test (cache_path, G_FILE_TEST_EXISTS);
}

static void
test_sign_out (void)
{
  /* Signing out shows the sign-in form, empties the desk and deletes the account's cache from disk. */
  g_autofree char *path = g_strdup (sa_cache_get_path (sa_window_get_cache (window)));

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
  g_assert_cmpstr (sa_window_get_page (window), ==, "sign-in");
  g_assert_null (sa_window_get_cache (window));
  g_assert_null (gtk_list_view_get_model (window->list_pane->list_view));
  g_assert_cmpuint (sa_sidebar_get_count (window->sidebar, SA_SECTION_ALL), ==, 0);
  cache_path = path;
  wait_until (cache_deleted, "the cache file to be deleted");
}

static gboolean
supervisor_synced (void)
{
  g_autoptr(JsonNode) appeal = NULL;

  if (sa_session_get_engine (window->session) == NULL ||
      sa_sync_engine_get_state (sa_session_get_engine (window->session)) != SA_SYNC_STATE_SYNCED)
    return FALSE;
  appeal = sa_cache_get_appeal (sa_window_get_cache (window), intake_id, NULL);
  return appeal != NULL;
}

static void
test_supervisor_assign (void)
{
  /* Signed in again as the agency's supervisor, the detail of an open appeal offers "assign", whose choices come from the account's cache. */
  /* Run alone, the executor is still signed in: out first, as a person would. */
  if (sa_window_get_cache (window) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
  sa_window_sign_in (window, registry.url, "supervisor.almaty-teplo", "demo-supervisor");
  wait_until (supervisor_synced, "the supervisor's first sync");
  g_assert_cmpstr (_sa_window_get_user_name (window), !=, NULL);
  sa_window_open_appeal (window, intake_id);
  settle ();
  g_assert_true (detail_offers ("detail.assign"));

  /* The sidebar lists the agency's executors; picking one shows the open
   * appeals they work on, as many as their count says. */
  {
    static const char * const open[] = { "registered", "in_progress", "info_requested",
                                         "awaiting_approval", "reopened", NULL };
    g_autoptr(SaAppealList) all = sa_appeal_list_new (sa_window_get_cache (window));
    g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) numbers = NULL;
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    GtkListBoxRow *row = NULL;
    GtkListBox *list;

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (all)); i++)
      {
        g_autoptr(SaAppealRow) appeal = g_list_model_get_item (G_LIST_MODEL (all), i);

        if (g_strcmp0 (sa_appeal_row_get_executor (appeal), LOGIN) == 0 &&
            g_strv_contains (open, sa_appeal_row_get_status (appeal)))
          g_ptr_array_add (expected, g_strdup (sa_appeal_row_get_reg_number (appeal)));
      }
    g_assert_cmpuint (expected->len, >, 0);

    sa_test_collect (GTK_WIDGET (window->sidebar), GTK_TYPE_LIST_BOX, rows);
    list = rows->pdata[0];
    for (guint i = SA_N_SECTIONS; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
      {
        g_autoptr(GPtrArray) labels = g_ptr_array_new ();

        sa_test_collect (GTK_WIDGET (row), GTK_TYPE_LABEL, labels);
        /* The executor's full name, then the count. */
        if (g_strcmp0 (gtk_label_get_text (labels->pdata[labels->len - 1]), "") != 0)
          {
            g_autofree char *count = g_strdup_printf ("%u", expected->len);

            gtk_list_box_select_row (list, row);
            if (g_strcmp0 (sa_sidebar_get_executor (window->sidebar), LOGIN) == 0)
              {
                g_assert_cmpstr (gtk_label_get_text (labels->pdata[labels->len - 1]), ==, count);
                break;
              }
          }
      }
    g_assert_nonnull (row);
    g_assert_cmpstr (sa_sidebar_get_executor (window->sidebar), ==, LOGIN);
    settle ();
    numbers = shown_numbers ();
    g_assert_cmpuint (numbers->len, ==, expected->len);
    for (guint i = 0; i < expected->len; i++)
      g_assert_true (numbers_contain (numbers, expected->pdata[i]));

    /* Back to a section: the whole section again. */
    sa_sidebar_set_section (window->sidebar, SA_SECTION_ALL);
    settle ();
    g_assert_null (sa_sidebar_get_executor (window->sidebar));
    g_assert_cmpuint (n_shown (), ==, g_list_model_get_n_items (G_LIST_MODEL (all)));
  }
}

/* The roles of containers and of parts GTK 4.8 does not show on their own:
 * not controls, whatever their focusable flag says. */
static gboolean
is_structure (GtkAccessibleRole role)
{
  return role == GTK_ACCESSIBLE_ROLE_NONE || role == GTK_ACCESSIBLE_ROLE_PRESENTATION ||
         role == GTK_ACCESSIBLE_ROLE_GENERIC || role == GTK_ACCESSIBLE_ROLE_GROUP ||
         role == GTK_ACCESSIBLE_ROLE_LIST;
}

static char *spoken_name (GtkWidget *widget);

/* The texts of the labels shown inside @widget, in order. */
static void
append_content (GtkWidget *widget,
                GString   *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_LABEL (child) && *gtk_label_get_text (GTK_LABEL (child)) != '\0')
        g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "",
                                gtk_label_get_text (GTK_LABEL (child)));
      else
        append_content (child, text);
    }
}

/* What a screen reader reads for @widget, as GTK 4.8 makes it up (its
 * GtkATContext's name): the label property; else what labels it (GTK puts
 * a button's label inside it, and a menu button labels its own inner
 * button); else for a control the labels inside it. With nothing at all,
 * GTK 4.8's AT-SPI falls back to gtk_widget_get_name(), the type's name. */
static char *
spoken_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);
  g_autoptr(GString) name = g_string_new (NULL);

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      /* The value comes back as text when it is not the one asked for. */
      g_autofree char *value = gtk_test_accessible_check_property (accessible,
                                                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                  "\x01");

      if (value != NULL && *value != '\0')
        return g_steal_pointer (&value);
    }
  if (GTK_IS_LABEL (widget))
    return g_strdup (gtk_label_get_text (GTK_LABEL (widget)));
  if (gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    {
      /* Printed as the type names of the widgets it is labelled by. */
      g_autofree char *by = gtk_test_accessible_check_relation (accessible,
                                                               GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                                               NULL);
      GtkWidget *parent = gtk_widget_get_parent (widget);

      if (parent != NULL && by != NULL && g_str_equal (by, G_OBJECT_TYPE_NAME (parent)))
        return spoken_name (parent);
    }
  append_content (widget, name);
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* Whether a person can reach @widget and act on it now: a control that
 * takes the focus, or a button of some kind, shown (the page of a stack
 * not in sight is not). */
static gboolean
is_control (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_visible (w) || !gtk_widget_get_child_visible (w))
      return FALSE;
  if (GTK_IS_ACTIONABLE (widget))
    return TRUE;
  return gtk_widget_get_focusable (widget) && gtk_widget_get_can_focus (widget) &&
         (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == GTK_ACCESSIBLE_ROLE_NONE ||
          !is_structure (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget))));
}

/* The widget a screen reader meets for @widget: GTK 4.8 does not show
 * the parts of a widget (the text inside an entry and the box around it),
 * so the nearest control around them speaks for them. */
static GtkWidget *
spoken_for (GtkWidget *widget)
{
  while (widget != NULL && is_structure (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget))))
    widget = gtk_widget_get_parent (widget);
  return widget;
}

/* Adds to @nameless every control under @root that would be read as
 * nothing or as a type's name, described for the failure message. */
static void
collect_nameless (GtkWidget *root,
                  GPtrArray *nameless)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();

  g_ptr_array_add (widgets, root);
  sa_test_collect (root, GTK_TYPE_WIDGET, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = widgets->pdata[i];
      GtkWidget *speaker;
      g_autofree char *name = NULL;

      if (!is_control (widget) || (speaker = spoken_for (widget)) == NULL)
        continue;
      name = spoken_name (speaker);
      if (*name == '\0' || g_type_from_name (name) != 0)
        g_ptr_array_add (nameless,
                         g_strdup_printf ("%s (%s, in %s; tooltip “%s”) reads “%s”",
                                          G_OBJECT_TYPE_NAME (speaker),
                                          G_OBJECT_TYPE_NAME (widget),
                                          G_OBJECT_TYPE_NAME (gtk_widget_get_parent (speaker)),
                                          gtk_widget_get_tooltip_text (speaker),
                                          *name != '\0' ? name : G_OBJECT_TYPE_NAME (speaker)));
    }
}

/* Opens @action's dialog from the detail, collects its nameless controls
 * and closes it. */
static void
collect_dialog_nameless (const char *action,
                         GPtrArray  *nameless)
{
  GtkWindow *dialog;

  gtk_widget_activate_action (GTK_WIDGET (window->detail), action, NULL);
  settle ();
  dialog = open_dialog ();
  g_assert_nonnull (dialog);
  collect_nameless (GTK_WIDGET (dialog), nameless);
  gtk_window_destroy (dialog);
  settle ();
}

static void
assert_all_named (GPtrArray *nameless)
{
  for (guint i = 0; i < nameless->len; i++)
    g_test_message ("nameless: %s", (char *) nameless->pdata[i]);
  if (nameless->len > 0)
    g_error ("%u controls have no name a screen reader can read, the first: %s",
             nameless->len, (char *) nameless->pdata[0]);
}

static gboolean
session_synced (void)
{
  SaSyncEngine *engine = sa_session_get_engine (window->session);

  return engine != NULL && sa_sync_engine_get_state (engine) == SA_SYNC_STATE_SYNCED &&
         appeal_cached ();
}

static gboolean
swallow_notification (SaNotifier    *notifier,
                      const char    *id,
                      GNotification *notification,
                      gpointer       data)
{
  return TRUE;
}

/* The session's notifier keeps its notifications to itself: this test is
 * not about them, and the test session has no notification server. */
static void
quiet_notifier (void)
{
  SaNotifier *notifier = sa_session_get_notifier (window->session);

  if (notifier != NULL)
    g_signal_connect (notifier, "send-notification", G_CALLBACK (swallow_notification), NULL);
}

/* Signs in as @login, signing whoever is in out first, and waits for the
 * sync to bring awaited_id. */
static void
sign_in_as (const char *login,
            const char *password)
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
  wait_until (session_synced, login);
  settle ();
  g_signal_handler_disconnect (window, handler);
}

static void
test_sections_by_role (void)
{
  /* Each role opens on its own work and is offered only the sections that
   * mean something to it: no "My Appeals" for whoever never holds one, no
   * agency queue for the city's curator. */
  static const struct
  {
    const char *login, *password;
    SaSection   opens_on;
    gboolean    mine, queue;
  } roles[] = {
    { "supervisor.almaty-teplo", "demo-supervisor", SA_SECTION_QUEUE, TRUE, TRUE },
    { "operator.ikomek-109", "demo-operator", SA_SECTION_ALL, FALSE, TRUE },
    { "curator.city", "demo-curator", SA_SECTION_ALL, FALSE, FALSE },
    { LOGIN, PASSWORD, SA_SECTION_MINE, TRUE, TRUE },
  };
  /* A new appeal every one of them sees, for each sign-in to wait for. */
  g_autofree char *id = register_appeal ("Не горит свет в подъезде третий день.");

  awaited_id = id;
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      /* A real sign-in each time, not the one an earlier test left. */
      if (sa_window_get_cache (window) != NULL)
        gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
      sign_in_as (roles[i].login, roles[i].password);
      g_test_message ("%s", roles[i].login);
      g_assert_cmpint (sa_sidebar_get_section (window->sidebar), ==, roles[i].opens_on);
      g_assert_cmpint (sa_sidebar_get_section_shown (window->sidebar, SA_SECTION_MINE), ==,
                       roles[i].mine);
      g_assert_cmpint (sa_sidebar_get_section_shown (window->sidebar, SA_SECTION_QUEUE), ==,
                       roles[i].queue);
      g_assert_true (sa_sidebar_get_section_shown (window->sidebar, SA_SECTION_ALL));
    }
}

static void
test_accessible_names (void)
{
  /* Every control a person can reach (focusable or a button) in the window, the detail, the sidebar (with a supervisor's colleagues), the operations' dialogs and the preferences has a real, translatable name, never a widget type's name such as "GtkImage"; the list's rows read as their sentence. */
  g_autoptr(GPtrArray) nameless = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = register_appeal ("Во дворе открытый люк, рядом детская площадка.");
  GListModel *toplevels;

  /* The executor: the desk with an open appeal, the list with its rows. */
  awaited_id = id;
  sign_in_as (LOGIN, PASSWORD);
  sa_window_open_appeal (window, id);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  settle ();
  collect_nameless (GTK_WIDGET (window), nameless);
  /* A row, and the list item that takes the focus for it, read the row's sentence. */
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    guint checked = 0;

    sa_test_collect (GTK_WIDGET (window->list_pane->list_view), SA_TYPE_APPEAL_LIST_ROW, rows);
    for (guint i = 0; i < rows->len; i++)
      {
        g_autofree char *row = NULL;
        g_autofree char *item = NULL;

        if (!gtk_widget_get_mapped (rows->pdata[i]))
          continue;
        row = spoken_name (rows->pdata[i]);
        item = spoken_name (gtk_widget_get_parent (rows->pdata[i]));
        g_assert_true (g_str_has_prefix (row, row_number (rows->pdata[i])));
        g_assert_cmpstr (item, ==, row);
        checked++;
      }
    g_assert_cmpuint (checked, >, 0);
  }
  collect_dialog_nameless ("detail.comment", nameless);
  collect_dialog_nameless ("detail.forward", nameless);
  collect_dialog_nameless ("detail.escalate", nameless);
  gtk_search_bar_set_search_mode (window->list_pane->search_bar, FALSE);

  /* The preferences. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  settle ();
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (toplevel != GTK_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          !GTK_IS_SHORTCUTS_WINDOW (toplevel))
        {
          collect_nameless (GTK_WIDGET (toplevel), nameless);
          gtk_window_close (toplevel);
        }
    }
  settle ();

  /* The supervisor: colleagues in the sidebar, assigning and extending. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
  collect_nameless (GTK_WIDGET (window), nameless);  /* the sign-in form */
  sign_in_as ("supervisor.almaty-teplo", "demo-supervisor");
  sa_window_open_appeal (window, id);
  settle ();
  collect_nameless (GTK_WIDGET (window), nameless);
  collect_dialog_nameless ("detail.assign", nameless);
  collect_dialog_nameless ("detail.extend", nameless);
  assert_all_named (nameless);

}

/* ------------------------------------------------------------------ */

static void
register_test_appeal (void)
{
  g_autofree char *token = sign_in ("operator.ikomek-109", "demo-operator");
  g_autoptr(JsonNode) appeal = NULL;

  appeal = http ("POST", "/api/v1/intake", token,
                 "{\"channel\":\"telegram\",\"category\":\"heating.no-heat\","
                 "\"text\":\"В квартире нет отопления третий день, батареи холодные.\","
                 "\"applicant\":{\"name\":\"Асанов Ерлан\",\"iin\":\"900101000177\","
                 "\"phone\":\"+77011234567\"},"
                 "\"address\":{\"text\":\"улица Розыбакиева, 247, кв. 12\"}}");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (appeal), "agency"), ==,
                   AGENCY);
  intake_id = g_strdup (json_object_get_string_member (json_node_get_object (appeal), "id"));
}

static void
desk_setup (void)
{
  g_autofree char *token = NULL;
  g_autofree char *curator = NULL;
  g_autoptr(GPtrArray) everything = NULL;

  sa_test_spawn_registry (&registry, 80);
  register_test_appeal ();

  /* What the registry holds, as the executor and as a curator see it. */
  token = sign_in (LOGIN, PASSWORD);
  mine = pull (token);
  curator = sign_in ("curator.city", "demo-curator");
  everything = pull (curator);
  others = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < everything->len; i++)
    if (g_strcmp0 (json_object_get_string_member (everything->pdata[i], "agency"), AGENCY) != 0)
      g_ptr_array_add (others, json_object_ref (everything->pdata[i]));

  /* The window signs in, opens the account's cache and syncs it. */
  window = g_object_ref_sink (sa_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  sa_window_sign_in (window, registry.url, LOGIN, PASSWORD);
  wait_until (synced, "the first sync");
  g_assert_cmpstr (sa_window_get_page (window), ==, "main");
  settle ();
}

static void
desk_teardown (void)
{
  gpointer weak = window;
  gpointer weak_session = window->session;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* The session outlives its window while the keyring or a cache still
   * answers it. */
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  g_object_add_weak_pointer (G_OBJECT (weak_session), &weak_session);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  while ((weak != NULL || weak_session != NULL) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (weak);
  g_assert_null (weak_session);

  sa_test_stop_registry (&registry);
  g_clear_pointer (&mine, g_ptr_array_unref);
  g_clear_pointer (&others, g_ptr_array_unref);
  g_clear_pointer (&intake_id, g_free);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  /* The account's cache goes under $XDG_DATA_HOME: a directory of our own. */
  data_dir = g_dir_make_tmp ("sa-desk-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = sa_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/sa/desk/agency-only", test_agency_only);
  g_test_add_func ("/sa/desk/search", test_search);
  g_test_add_func ("/sa/desk/filter-and-sort", test_filter_and_sort);
  g_test_add_func ("/sa/desk/sort-then-narrow", test_sort_then_narrow);
  g_test_add_func ("/sa/desk/offline-take-undo-sync", test_offline_take_undo_sync);
  g_test_add_func ("/sa/desk/conflict", test_conflict);
  g_test_add_func ("/sa/desk/notify-assigned", test_notify_assigned);
  g_test_add_func ("/sa/desk/open-appeal", test_open_appeal);
  g_test_add_func ("/sa/desk/narrow", test_narrow);
  g_test_add_func ("/sa/desk/tab-leaves-list", test_tab_leaves_list);
  g_test_add_func ("/sa/desk/escape-closes-search", test_escape_closes_search);
  g_test_add_func ("/sa/desk/detail-shortcuts", test_detail_shortcuts);
  g_test_add_func ("/sa/desk/comment-ctrl-enter", test_comment_ctrl_enter);
  g_test_add_func ("/sa/desk/detail-scrolls-to-top", test_detail_scrolls_to_top);
  g_test_add_func ("/sa/desk/menu-tooltip", test_menu_tooltip);
  g_test_add_func ("/sa/desk/offline-start", test_offline_start);
  g_test_add_func ("/sa/desk/sign-out", test_sign_out);
  g_test_add_func ("/sa/desk/supervisor-assign", test_supervisor_assign);
  g_test_add_func ("/sa/desk/sections-by-role", test_sections_by_role);
  g_test_add_func ("/sa/desk/accessible-names", test_accessible_names);

  desk_setup ();
  ret = g_test_run ();
  desk_teardown ();

  g_object_unref (app);
  sa_test_remove_tree (data_dir);
  g_free (data_dir);
  return ret;
}
