/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-list-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-list-pane-private.h"
#include "sa-appeal-list-row.h"
#include "sa-directory.h"

/* The list pane: the account's appeals in the sidebar's section (or a
 * colleague's, for a supervisor), the counts beside the sections, search
 * as you type; the rows, bound again a few at a time when a query refills
 * them. The sort order and the filters are in sa-appeal-list-pane-actions.c.
 * The pane says which appeal the user picked; the window shows it. */

G_DEFINE_FINAL_TYPE (SaAppealListPane, sa_appeal_list_pane, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SIDEBAR,
  PROP_FOLDED,
  N_PROPS
};

enum {
  APPEAL_SELECTED,
  APPEAL_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const struct {
  const char *icon_name;
  const char *title;
  const char *description;
} empty_texts[SA_N_SECTIONS] = {
  [SA_SECTION_MINE] = { "avatar-default-symbolic", N_("Nothing in Your Work"),
                        N_("Appeals you take from the agency queue appear here.") },
  [SA_SECTION_QUEUE] = { "mail-unread-symbolic", N_("The Queue Is Empty"),
                         N_("New appeals for your agency appear here.") },
  [SA_SECTION_REVIEW] = { "document-edit-symbolic", N_("Nothing to Approve"),
                          N_("Replies your colleagues submit for approval appear here.") },
  [SA_SECTION_CONTROL] = { "view-reveal-symbolic", N_("Nothing Under Control"),
                           N_("Appeals reopened because the applicant disagreed appear here "
                              "until they are closed.") },
  [SA_SECTION_VERDICT] = { "call-start-symbolic", N_("No Verdicts to Record"),
                           N_("Answered appeals appear here until the applicant’s verdict is "
                              "recorded.") },
  [SA_SECTION_WAITING] = { "mail-send-receive-symbolic", N_("Nothing Waiting"),
                           N_("Appeals waiting for the applicant’s information appear here.") },
  [SA_SECTION_OVERDUE] = { "emblem-ok-symbolic", N_("Nothing Overdue"),
                           N_("Appeals past a deadline appear here.") },
  [SA_SECTION_ANSWERED] = { "emblem-ok-symbolic", N_("No Answered Appeals"),
                            N_("Answered and closed appeals appear here.") },
  [SA_SECTION_ALL] = { "view-list-symbolic", N_("No Appeals"),
                       N_("Your agency’s appeals appear here once they arrive from the registry.") },
};

/* What the list pane shows: the rows, a spinner while the cache opens,
 * or a status page saying why there is nothing. */
void
_sa_appeal_list_pane_update_state (SaAppealListPane *self)
{
  gboolean filtered = _sa_appeal_list_pane_is_filtered (self);
  gboolean searching = _sa_appeal_list_pane_is_searching (self);
  SaSection section = self->sidebar != NULL ? sa_sidebar_get_section (self->sidebar)
                                             : SA_SECTION_MINE;

  adw_window_title_set_subtitle (self->list_title, self->filter_summary);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (
                                 G_ACTION_MAP (self->actions), "clear-filters")),
                               filtered);
  if (filtered)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "filters-on");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_button),
                                   _("Sort and Filter (filters are on)"));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "filters-on");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_button), _("Sort and Filter"));
    }

  if (self->appeals == NULL && self->session != NULL &&
      sa_session_get_cache_error (self->session) != NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->empty_page, _("Stored Appeals Cannot Be Opened"));
      adw_status_page_set_description (self->empty_page,
                                       sa_session_get_cache_error (self->session));
      gtk_widget_set_visible (GTK_WIDGET (self->clear_filters_button), FALSE);
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
      return;
    }
  if (self->appeals == NULL && self->session != NULL &&
      sa_session_get_loading (self->session))
    {
      gtk_stack_set_visible_child_name (self->list_stack, "loading");
      return;
    }
  if (self->appeals != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->appeals)) > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }

  if (searching || filtered)
    {
      adw_status_page_set_icon_name (self->empty_page, "system-search-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Results"));
      adw_status_page_set_description (self->empty_page,
                                       filtered
                                       ? _("Nothing here matches the search and the filters.")
                                       : _("Nothing here matches the search. Try other words."));
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, empty_texts[section].icon_name);
      adw_status_page_set_title (self->empty_page, _(empty_texts[section].title));
      adw_status_page_set_description (self->empty_page, _(empty_texts[section].description));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->clear_filters_button), filtered);
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

/* ------------------------------------------------------------------ */
/* Search */

static void
search_changed_cb (SaAppealListPane *self)
{
  if (self->appeals != NULL)
    sa_appeal_list_set_query (self->appeals,
                              gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  _sa_appeal_list_pane_update_state (self);
}

static void
search_mode_cb (SaAppealListPane *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (gtk_search_bar_get_search_mode (self->search_bar))
    return;
  /* The keyboard goes on in the list, not nowhere. */
  if (focus == NULL || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->search_bar)))
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
  /* A closed search bar searches nothing. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (self->appeals != NULL)
    sa_appeal_list_set_query (self->appeals, NULL);
  _sa_appeal_list_pane_update_state (self);
}

/**
 * sa_appeal_list_pane_start_search:
 * @self: a #SaAppealListPane
 *
 * Opens the search bar with the keyboard in it.
 */
void
sa_appeal_list_pane_start_search (SaAppealListPane *self)
{
  g_return_if_fail (SA_IS_APPEAL_LIST_PANE (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
sa_appeal_list_pane_focus_list (SaAppealListPane *self)
{
  g_return_if_fail (SA_IS_APPEAL_LIST_PANE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* ------------------------------------------------------------------ */
/* Sections and counts */

/* The signed-in user's role and agency, as the session knows them. */
static gboolean
signed_in_role (SaAppealListPane  *self,
                SaRole            *out_role,
                const char       **out_agency)
{
  JsonObject *me = self->session != NULL ? sa_session_get_user (self->session) : NULL;

  if (me == NULL ||
      !sa_role_from_string (json_object_get_string_member_with_default (me, "role", NULL),
                            out_role))
    return FALSE;
  if (out_agency != NULL)
    *out_agency = json_object_get_string_member_with_default (me, "agency", NULL);
  return TRUE;
}

/* A supervisor shares out the work: the agency's executors, each with the
 * open appeals they have, below the sections. */
static void
update_executors (SaAppealListPane *self)
{
  g_autoptr(GPtrArray) colleagues = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GStrvBuilder) logins = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) login_list = NULL;
  g_auto(GStrv) name_list = NULL;
  SaRole role;
  const char *agency = NULL;

  if (self->cache != NULL && signed_in_role (self, &role, &agency) &&
      role == SA_ROLE_SUPERVISOR && agency != NULL)
    colleagues = sa_directory_list_colleagues (self->cache, agency, NULL);
  for (guint i = 0; colleagues != NULL && i < colleagues->len; i++)
    {
      SaDirectoryUser *user = g_ptr_array_index (colleagues, i);
      SaRole theirs;

      /* The ones who work the appeals they are given, not other supervisors. */
      if (!sa_role_from_string (user->role, &theirs) ||
          (theirs != SA_ROLE_EXECUTOR && theirs != SA_ROLE_KSK_MANAGER))
        continue;
      g_strv_builder_add (logins, user->login);
      g_strv_builder_add (names, user->full_name);
    }
  login_list = g_strv_builder_end (logins);
  name_list = g_strv_builder_end (names);
  sa_sidebar_set_executors (self->sidebar, (const char * const *) login_list,
                            (const char * const *) name_list);
  if (login_list[0] == NULL || self->appeals == NULL)
    return;
  counts = sa_appeal_list_count_by_executor (self->appeals, NULL);
  for (guint i = 0; counts != NULL && login_list[i] != NULL; i++)
    sa_sidebar_set_executor_count (self->sidebar, login_list[i],
                                   GPOINTER_TO_UINT (g_hash_table_lookup (counts, login_list[i])));
}

/* A new account: the sections its role is offered, and its work first
 * (SaSection and SaAppealSection are one order). */
static void
show_sections_for_role (SaAppealListPane *self)
{
  SaRole role;

  if (self->sidebar == NULL || !signed_in_role (self, &role, NULL))
    return;
  for (guint s = 0; s < SA_N_SECTIONS; s++)
    sa_sidebar_set_section_shown (self->sidebar, s, sa_appeal_section_is_for_role (s, role));
  sa_sidebar_set_section (self->sidebar, (SaSection) sa_appeal_section_first_for_role (role));
}

G_STATIC_ASSERT ((int) SA_SECTION_MINE == (int) SA_APPEAL_SECTION_MINE);
G_STATIC_ASSERT ((int) SA_SECTION_QUEUE == (int) SA_APPEAL_SECTION_QUEUE);
G_STATIC_ASSERT ((int) SA_SECTION_REVIEW == (int) SA_APPEAL_SECTION_REVIEW);
G_STATIC_ASSERT ((int) SA_SECTION_VERDICT == (int) SA_APPEAL_SECTION_VERDICT);
G_STATIC_ASSERT ((int) SA_SECTION_ALL == (int) SA_APPEAL_SECTION_ALL);
G_STATIC_ASSERT ((int) SA_N_SECTIONS == (int) SA_APPEAL_N_SECTIONS);

/**
 * sa_appeal_list_pane_update_counts:
 * @self: a #SaAppealListPane
 *
 * Counts the appeals of each section, and a supervisor's colleagues', for
 * the sidebar.
 */
void
sa_appeal_list_pane_update_counts (SaAppealListPane *self)
{
  guint counts[SA_APPEAL_N_SECTIONS] = { 0 };
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SA_IS_APPEAL_LIST_PANE (self));

  if (self->sidebar == NULL)
    return;
  if (self->appeals != NULL &&
      !sa_appeal_list_get_section_counts (self->appeals, counts, &error))
    g_warning ("Could not count the appeals: %s", error->message);
  for (guint i = 0; i < SA_N_SECTIONS; i++)
    sa_sidebar_set_count (self->sidebar, i, counts[i]);
  update_executors (self);
}

/* Keeps the shown appeal selected when the list changed around it: a
 * changed appeal is a new row object, which GtkSingleSelection does not
 * recognise as the one it had. */
static void
reselect (SaAppealListPane *self)
{
  guint position;

  if (self->appeals == NULL || self->shown_id == NULL)
    return;
  if (sa_appeal_list_find (self->appeals, self->shown_id, &position))
    {
      if (gtk_single_selection_get_selected (self->selection) != position)
        gtk_single_selection_set_selected (self->selection, position);
    }
  else
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

/**
 * sa_appeal_list_pane_set_shown_id:
 * @self: a #SaAppealListPane
 * @appeal_id: (nullable): the appeal the detail shows
 *
 * The row of @appeal_id stays selected while the list changes around it.
 */
void
sa_appeal_list_pane_set_shown_id (SaAppealListPane *self,
                                  const char       *appeal_id)
{
  g_return_if_fail (SA_IS_APPEAL_LIST_PANE (self));

  g_free (self->shown_id);
  self->shown_id = g_strdup (appeal_id);
}

/**
 * sa_appeal_list_pane_update:
 * @self: a #SaAppealListPane
 *
 * Titles the pane with the sidebar's section and shows what there is: the
 * rows, a spinner while the cache opens, or why there is nothing.
 */
void
sa_appeal_list_pane_update (SaAppealListPane *self)
{
  g_return_if_fail (SA_IS_APPEAL_LIST_PANE (self));

  if (self->sidebar != NULL)
    adw_window_title_set_title (self->list_title,
                                sa_section_get_title (sa_sidebar_get_section (self->sidebar)));
  _sa_appeal_list_pane_update_state (self);
}

/**
 * sa_appeal_list_pane_show_section:
 * @self: a #SaAppealListPane
 *
 * Shows the appeals of the section chosen in the sidebar.
 */
void
sa_appeal_list_pane_show_section (SaAppealListPane *self)
{
  SaSection section;

  g_return_if_fail (SA_IS_APPEAL_LIST_PANE (self));
  g_return_if_fail (self->sidebar != NULL);

  section = sa_sidebar_get_section (self->sidebar);
  adw_window_title_set_title (self->list_title, sa_section_get_title (section));
  if (self->appeals != NULL)
    {
      sa_appeal_list_set_section (self->appeals, (SaAppealSection) section);
      reselect (self);
    }
  _sa_appeal_list_pane_update_state (self);
}

/**
 * sa_appeal_list_pane_show_executor:
 * @self: a #SaAppealListPane
 *
 * Shows the open appeals of the colleague chosen in the sidebar, or with
 * none, the section.
 *
 * Returns: whether the list changed; not before the cache is open
 */
gboolean
sa_appeal_list_pane_show_executor (SaAppealListPane *self)
{
  const char *executor;

  g_return_val_if_fail (SA_IS_APPEAL_LIST_PANE (self), FALSE);
  g_return_val_if_fail (self->sidebar != NULL, FALSE);

  if (self->appeals == NULL)
    return FALSE;
  executor = sa_sidebar_get_executor (self->sidebar);
  sa_appeal_list_set_executor (self->appeals, executor);
  if (executor == NULL)
    {
      sa_appeal_list_pane_show_section (self);
      return TRUE;
    }
  adw_window_title_set_title (self->list_title, sa_sidebar_get_executor_name (self->sidebar));
  sa_appeal_list_set_section (self->appeals, SA_APPEAL_SECTION_ALL);
  reselect (self);
  _sa_appeal_list_pane_update_state (self);
  return TRUE;
}

/**
 * sa_appeal_list_pane_reveal:
 * @self: a #SaAppealListPane
 * @appeal_id: an appeal's UUID
 *
 * Selects the row of @appeal_id and scrolls to it, switching the sidebar
 * to "All Appeals" and dropping the search and the filters if they hide
 * it.
 *
 * Returns: (transfer full) (nullable): its row, or %NULL if the account
 *   has no such appeal
 */
SaAppealRow *
sa_appeal_list_pane_reveal (SaAppealListPane *self,
                            const char       *appeal_id)
{
  guint position;

  g_return_val_if_fail (SA_IS_APPEAL_LIST_PANE (self), NULL);
  g_return_val_if_fail (appeal_id != NULL, NULL);

  if (self->appeals == NULL)
    return NULL;
  if (!sa_appeal_list_find (self->appeals, appeal_id, &position))
    {
      sa_sidebar_set_section (self->sidebar, SA_SECTION_ALL);
      if (!sa_appeal_list_find (self->appeals, appeal_id, &position))
        {
          gtk_search_bar_set_search_mode (self->search_bar, FALSE);
          sa_appeal_list_pane_reset (self);
        }
    }
  if (!sa_appeal_list_find (self->appeals, appeal_id, &position))
    return NULL;
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                              position);
  return g_list_model_get_item (G_LIST_MODEL (self->appeals), position);
}

/* ------------------------------------------------------------------ */
/* The rows */

static void
selection_changed_cb (SaAppealListPane *self)
{
  SaAppealRow *row = gtk_single_selection_get_selected_item (self->selection);

  /* None: the row left the list (e.g. taken out of the queue); the detail
   * keeps it. Folded, a click activates instead, and the pointer merely
   * passing over rows selects them. */
  if (row == NULL || self->folded)
    return;
  if (g_strcmp0 (sa_appeal_row_get_id (row), self->shown_id) == 0)
    return;
  g_signal_emit (self, signals[APPEAL_SELECTED], 0, row);
}

static void
list_activate_cb (SaAppealListPane *self,
                  guint             position)
{
  g_autoptr(SaAppealRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (row == NULL)
    return;
  gtk_single_selection_set_selected (self->selection, position);
  g_signal_emit (self, signals[APPEAL_ACTIVATED], 0, row);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  data)
{
  gtk_list_item_set_child (item, sa_appeal_list_row_new ());
}

static void
bind_row (GtkListItem *item)
{
  sa_appeal_list_row_bind (SA_APPEAL_LIST_ROW (gtk_list_item_get_child (item)),
                           gtk_list_item_get_item (item));
}

static void
rebind_row (GtkListItem *item)
{
  sa_appeal_list_row_unbind (SA_APPEAL_LIST_ROW (gtk_list_item_get_child (item)));
  bind_row (item);
}

#define REBIND_PER_IDLE 12

static gboolean
rebind_idle_cb (gpointer data)
{
  SaAppealListPane *self = data;
  guint n = MIN (REBIND_PER_IDLE, self->rebind_queue->len);

  for (guint i = 0; i < n; i++)
    rebind_row (g_ptr_array_index (self->rebind_queue, i));
  g_ptr_array_remove_range (self->rebind_queue, 0, n);
  if (self->rebind_queue->len > 0)
    return G_SOURCE_CONTINUE;
  self->rebind_idle = 0;
  return G_SOURCE_REMOVE;
}

/* Whether the row's widget shows in the list's viewport now. */
static gboolean
row_on_screen (SaAppealListPane *self,
               GtkWidget        *widget)
{
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (widget, GTK_WIDGET (self->list_view), &bounds))
    return FALSE;
  return bounds.origin.y + bounds.size.height > 0 &&
         bounds.origin.y < gtk_widget_get_height (GTK_WIDGET (self->list_view));
}

/* A new query or order refilled the row in place: the widget stays. The
 * rows on screen are bound again now; GTK 4.8 keeps some 200 row widgets,
 * so the others follow a dozen per idle, and one frame never does them all. */
static void
row_refilled_cb (SaAppealRow *row,
                 GtkListItem *item)
{
  GtkWidget *widget = gtk_list_item_get_child (item);
  GtkWidget *pane = gtk_widget_get_ancestor (widget, SA_TYPE_APPEAL_LIST_PANE);
  SaAppealListPane *self = pane != NULL ? SA_APPEAL_LIST_PANE (pane) : NULL;

  if (self == NULL || self->rebind_queue == NULL || row_on_screen (self, widget))
    {
      rebind_row (item);
      return;
    }
  if (!g_ptr_array_find (self->rebind_queue, item, NULL))
    g_ptr_array_add (self->rebind_queue, item);
  if (self->rebind_idle == 0)
    self->rebind_idle = g_idle_add (rebind_idle_cb, self);
}

/* The list view lets go of @item: it must not be bound again later. Its
 * widget has already left the pane when this runs, so the pane comes from
 * the factory's handlers, not from the widget. */
static void
forget_rebind (SaAppealListPane *self,
               GtkListItem      *item)
{
  if (self->rebind_queue != NULL)
    g_ptr_array_remove (self->rebind_queue, item);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             SaAppealListPane         *self)
{
  forget_rebind (self, item);
  bind_row (item);
  g_signal_connect (gtk_list_item_get_item (item), "changed", G_CALLBACK (row_refilled_cb), item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SaAppealListPane         *self)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), row_refilled_cb, item);
  forget_rebind (self, item);
  sa_appeal_list_row_unbind (SA_APPEAL_LIST_ROW (gtk_list_item_get_child (item)));
}

static void
teardown_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 SaAppealListPane         *self)
{
  forget_rebind (self, item);
}

static void
list_items_changed_cb (SaAppealListPane *self)
{
  _sa_appeal_list_pane_update_state (self);
}

/* The rows stayed in place with other appeals in them: the highlight
 * follows the appeal the detail shows. */
static void
list_refilled_cb (SaAppealListPane *self)
{
  reselect (self);
  _sa_appeal_list_pane_update_state (self);
}

/* At once rather than in the list's idle, so that the row, the counts
 * and the detail (the window's handler runs next) change together. */
static void
appeals_changed_cb (SaCache            *cache,
                    const char * const *ids,
                    SaAppealListPane   *self)
{
  g_autoptr(GError) error = NULL;

  if (!sa_appeal_list_refresh (self->appeals, &error))
    g_warning ("Could not refresh the appeals: %s", error->message);
  sa_appeal_list_pane_update_counts (self);
  reselect (self);
}

/* "Overdue" and the traffic lights move with time, not only with data. */
static gboolean
minute_cb (gpointer data)
{
  SaAppealListPane *self = data;
  g_autoptr(GError) error = NULL;

  if (!sa_appeal_list_refresh (self->appeals, &error))
    g_warning ("Could not refresh the appeals: %s", error->message);
  sa_appeal_list_pane_update_counts (self);
  reselect (self);
  return G_SOURCE_CONTINUE;
}

static void
let_go_cache (SaAppealListPane *self)
{
  g_clear_handle_id (&self->minute_source, g_source_remove);
  g_clear_handle_id (&self->rebind_idle, g_source_remove);
  if (self->rebind_queue != NULL)
    g_ptr_array_set_size (self->rebind_queue, 0);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  if (self->appeals != NULL)
    g_signal_handlers_disconnect_by_data (self->appeals, self);
  g_clear_object (&self->appeals);
  g_clear_pointer (&self->shown_id, g_free);
  if (self->cache != NULL)
    g_clear_signal_handler (&self->changed_handler, self->cache);
  g_clear_object (&self->cache);
}

/**
 * sa_appeal_list_pane_set_cache:
 * @self: a #SaAppealListPane
 * @cache: (nullable): the signed-in account's cache, or %NULL to let go
 *
 * Lists the appeals @cache holds, with the sidebar's section, the search,
 * the order and the filters as they are.
 */
void
sa_appeal_list_pane_set_cache (SaAppealListPane *self,
                               SaCache          *cache)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  g_return_if_fail (SA_IS_APPEAL_LIST_PANE (self));
  g_return_if_fail (cache == NULL || SA_IS_CACHE (cache));

  if (cache == self->cache)
    return;
  let_go_cache (self);
  if (cache == NULL)
    return;

  self->cache = g_object_ref (cache);
  self->appeals = sa_appeal_list_new (cache);
  /* After the list's own handler, which records the changed ids. */
  self->changed_handler = g_signal_connect (cache, "appeals-changed",
                                            G_CALLBACK (appeals_changed_cb), self);
  g_signal_connect_swapped (self->appeals, "items-changed",
                            G_CALLBACK (list_items_changed_cb), self);
  g_signal_connect_swapped (self->appeals, "refilled", G_CALLBACK (list_refilled_cb), self);
  /* A longer result reaches the view over a few frames, not in one. */
  sa_appeal_list_set_incremental (self->appeals, TRUE);
  _sa_appeal_list_pane_apply_actions (self);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->appeals)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "notify::selected",
                            G_CALLBACK (selection_changed_cb), self);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->minute_source = g_timeout_add_seconds (60, minute_cb, self);
  show_sections_for_role (self);
  sa_appeal_list_pane_update_counts (self);
  _sa_appeal_list_pane_update_state (self);
}

/**
 * sa_appeal_list_pane_get_appeals:
 * @self: a #SaAppealListPane
 *
 * Returns: (transfer none) (nullable): the list the pane shows, once the
 *   cache is open
 */
SaAppealList *
sa_appeal_list_pane_get_appeals (SaAppealListPane *self)
{
  g_return_val_if_fail (SA_IS_APPEAL_LIST_PANE (self), NULL);
  return self->appeals;
}

/**
 * sa_appeal_list_pane_set_session:
 * @self: a #SaAppealListPane
 * @session: the session whose account the pane lists
 *
 * The pane tells a cache that is opening, or cannot be opened, from an
 * empty one, and a supervisor from an executor.
 */
void
sa_appeal_list_pane_set_session (SaAppealListPane *self,
                                 SaSession        *session)
{
  g_return_if_fail (SA_IS_APPEAL_LIST_PANE (self));
  g_return_if_fail (session == NULL || SA_IS_SESSION (session));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_swapped (session, "notify::loading",
                                G_CALLBACK (_sa_appeal_list_pane_update_state), self);
      g_signal_connect_swapped (session, "notify::cache-error",
                                G_CALLBACK (_sa_appeal_list_pane_update_state), self);
    }
}

/**
 * sa_appeal_list_pane_set_sidebar:
 * @self: a #SaAppealListPane
 * @sidebar: the sidebar whose sections the pane lists and counts
 */
void
sa_appeal_list_pane_set_sidebar (SaAppealListPane *self,
                                 SaSidebar        *sidebar)
{
  g_return_if_fail (SA_IS_APPEAL_LIST_PANE (self));
  g_return_if_fail (sidebar == NULL || SA_IS_SIDEBAR (sidebar));

  if (g_set_weak_pointer (&self->sidebar, sidebar))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDEBAR]);
}

/* ------------------------------------------------------------------ */
/* GObject */

static void
sa_appeal_list_pane_root (GtkWidget *widget)
{
  SaAppealListPane *self = SA_APPEAL_LIST_PANE (widget);

  GTK_WIDGET_CLASS (sa_appeal_list_pane_parent_class)->root (widget);
  /* Typing anywhere in the window searches. */
  gtk_search_bar_set_key_capture_widget (self->search_bar,
                                         GTK_WIDGET (gtk_widget_get_root (widget)));
}

static void
sa_appeal_list_pane_unroot (GtkWidget *widget)
{
  SaAppealListPane *self = SA_APPEAL_LIST_PANE (widget);

  gtk_search_bar_set_key_capture_widget (self->search_bar, NULL);
  GTK_WIDGET_CLASS (sa_appeal_list_pane_parent_class)->unroot (widget);
}

static void
sa_appeal_list_pane_dispose (GObject *object)
{
  SaAppealListPane *self = SA_APPEAL_LIST_PANE (object);

  let_go_cache (self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_weak_pointer (&self->sidebar);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_APPEAL_LIST_PANE);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->rebind_queue, g_ptr_array_unref);
  g_clear_pointer (&self->filter_summary, g_free);

  G_OBJECT_CLASS (sa_appeal_list_pane_parent_class)->dispose (object);
}

static void
sa_appeal_list_pane_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SaAppealListPane *self = SA_APPEAL_LIST_PANE (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR:
      g_value_set_object (value, self->sidebar);
      break;

    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_appeal_list_pane_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SaAppealListPane *self = SA_APPEAL_LIST_PANE (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR:
      sa_appeal_list_pane_set_sidebar (self, g_value_get_object (value));
      break;

    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          /* Unfolded, the selection shows the detail's appeal again, not a
           * row the pointer passed over. */
          if (!self->folded)
            reselect (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_appeal_list_pane_class_init (SaAppealListPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_appeal_list_pane_dispose;
  object_class->get_property = sa_appeal_list_pane_get_property;
  object_class->set_property = sa_appeal_list_pane_set_property;
  widget_class->root = sa_appeal_list_pane_root;
  widget_class->unroot = sa_appeal_list_pane_unroot;

  /**
   * SaAppealListPane:sidebar:
   *
   * The sidebar whose sections the pane lists and counts.
   */
  properties[PROP_SIDEBAR] =
    g_param_spec_object ("sidebar", NULL, NULL, SA_TYPE_SIDEBAR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SaAppealListPane:folded:
   *
   * Whether the window is folded to one pane: then one click opens an
   * appeal, and the pointer passing over rows does not.
   */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SaAppealListPane::appeal-selected:
   * @self: a #SaAppealListPane
   * @row: the #SaAppealRow
   *
   * The user selected another appeal, side by side with the detail.
   */
  signals[APPEAL_SELECTED] =
    g_signal_new ("appeal-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SA_TYPE_APPEAL_ROW);

  /**
   * SaAppealListPane::appeal-activated:
   * @self: a #SaAppealListPane
   * @row: the #SaAppealRow
   *
   * The user opened an appeal: a click when folded, Enter, a double click.
   */
  signals[APPEAL_ACTIVATED] =
    g_signal_new ("appeal-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SA_TYPE_APPEAL_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-appeal-list-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, SaAppealListPane, list_title);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListPane, filter_button);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListPane, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListPane, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListPane, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListPane, list_view);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListPane, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListPane, clear_filters_button);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListPane, category_menu);
  gtk_widget_class_bind_template_child (widget_class, SaAppealListPane, district_menu);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_mode_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
}

static void
sa_appeal_list_pane_init (SaAppealListPane *self)
{
  self->rebind_queue = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  _sa_appeal_list_pane_init_actions (self);
}
