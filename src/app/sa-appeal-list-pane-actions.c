/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-list-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-list-pane-private.h"
#include "sa-labels.h"

/* The list pane's sort order and filters. Each filter is a stateful
 * action (`win.filter-status` with the chosen code as its string state,
 * "" for any), so the menu shows the choice as a radio item; SaAppealList
 * runs them in SQLite, once for all of them. */

static const char * const filter_actions[] = {
  "filter-status", "filter-category", "filter-district", "filter-channel", "filter-sla",
};

static char *
dup_state (SaAppealListPane *self,
           const char *name)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);
  g_autoptr(GVariant) state = g_action_get_state (action);

  return g_variant_dup_string (state, NULL);
}

static void
set_state (SaAppealListPane *self,
           const char *name,
           const char *value)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (value));
}

gboolean
_sa_appeal_list_pane_is_filtered (SaAppealListPane *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (filter_actions); i++)
    {
      g_autofree char *value = dup_state (self, filter_actions[i]);

      if (*value != '\0')
        return TRUE;
    }
  return FALSE;
}

gboolean
_sa_appeal_list_pane_is_searching (SaAppealListPane *self)
{
  return gtk_search_bar_get_search_mode (self->search_bar) &&
         *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';
}

static const char *
choice_name (GPtrArray  *choices,
             const char *code)
{
  for (guint i = 0; choices != NULL && i < choices->len; i++)
    {
      SaAppealChoice *choice = g_ptr_array_index (choices, i);

      if (g_str_equal (choice->code, code))
        return choice->name;
    }
  return code;
}

static const char *
sla_label (const char *code)
{
  SaTrafficLight light;

  if (!sa_traffic_light_from_string (code, &light))
    return code;
  switch (light)
    {
    case SA_TRAFFIC_LIGHT_GREEN:
      return C_("traffic light", "On Time");
    case SA_TRAFFIC_LIGHT_YELLOW:
      return C_("traffic light", "Running Out");
    case SA_TRAFFIC_LIGHT_RED:
      return C_("traffic light", "Almost Due");
    case SA_TRAFFIC_LIGHT_OVERDUE:
    default:
      return C_("traffic light", "Overdue");
    }
}

/* The filters in words, e.g. "In Progress · Нет отопления · Алмалинский район". */
static char *
describe_filters (SaAppealListPane *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *status = dup_state (self, "filter-status");
  g_autofree char *category = dup_state (self, "filter-category");
  g_autofree char *district = dup_state (self, "filter-district");
  g_autofree char *channel = dup_state (self, "filter-channel");
  g_autofree char *sla = dup_state (self, "filter-sla");

  if (*status != '\0')
    g_ptr_array_add (parts, g_strdup (sa_labels_status (status)));
  if (*category != '\0')
    {
      g_autoptr(GPtrArray) choices = NULL;

      if (self->appeals != NULL)
        choices = sa_appeal_list_get_category_choices (self->appeals, NULL);
      g_ptr_array_add (parts, g_strdup (choice_name (choices, category)));
    }
  if (*district != '\0')
    {
      g_autoptr(GPtrArray) choices = NULL;

      if (self->appeals != NULL)
        choices = sa_appeal_list_get_district_choices (self->appeals, NULL);
      g_ptr_array_add (parts, g_strdup (choice_name (choices, district)));
    }
  if (*channel != '\0')
    g_ptr_array_add (parts, g_strdup (sa_labels_channel (channel)));
  if (*sla != '\0')
    g_ptr_array_add (parts, g_strdup (sla_label (sla)));
  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
update_filter_summary (SaAppealListPane *self)
{
  g_free (self->filter_summary);
  self->filter_summary = describe_filters (self);
}

static SaAppealSort
parse_sort (const char *value)
{
  if (g_str_equal (value, "received"))
    return SA_APPEAL_SORT_RECEIVED;
  if (g_str_equal (value, "priority"))
    return SA_APPEAL_SORT_PRIORITY;
  return SA_APPEAL_SORT_DEADLINE;
}

/* Hands the section, the search, the order and every filter to the list,
 * which runs its query once for all of them. */
void
_sa_appeal_list_pane_apply_actions (SaAppealListPane *self)
{
  g_autofree char *sort = dup_state (self, "sort");
  g_autofree char *status = dup_state (self, "filter-status");
  g_autofree char *category = dup_state (self, "filter-category");
  g_autofree char *district = dup_state (self, "filter-district");
  g_autofree char *channel = dup_state (self, "filter-channel");
  g_autofree char *sla = dup_state (self, "filter-sla");
  const char *statuses[] = { status, NULL };
  SaTrafficLight light;

  if (self->appeals == NULL)
    return;

  sa_appeal_list_freeze (self->appeals);
  if (self->sidebar != NULL)
    sa_appeal_list_set_section (self->appeals,
                                (SaAppealSection) sa_sidebar_get_section (self->sidebar));
  sa_appeal_list_set_sort (self->appeals, parse_sort (sort));
  sa_appeal_list_set_statuses (self->appeals, *status != '\0' ? statuses : NULL);
  sa_appeal_list_set_category (self->appeals, category);
  sa_appeal_list_set_district (self->appeals, district);
  sa_appeal_list_set_channel (self->appeals, channel);
  sa_appeal_list_set_sla_mask (self->appeals,
                               sa_traffic_light_from_string (sla, &light) ? 1u << light : 0);
  sa_appeal_list_set_query (self->appeals,
                            _sa_appeal_list_pane_is_searching (self)
                            ? gtk_editable_get_text (GTK_EDITABLE (self->search_entry))
                            : NULL);
  sa_appeal_list_thaw (self->appeals);
  update_filter_summary (self);
}

static void
list_action_changed (GSimpleAction *action,
                     GVariant      *value,
                     gpointer       user_data)
{
  SaAppealListPane *self = user_data;

  g_simple_action_set_state (action, value);
  _sa_appeal_list_pane_apply_actions (self);
  _sa_appeal_list_pane_update_state (self);
}

/**
 * sa_appeal_list_pane_reset:
 * @self: a #SaAppealListPane
 *
 * Drops every filter (the order stays: it is a preference, not a search).
 */
void
sa_appeal_list_pane_reset (SaAppealListPane *self)
{
  g_return_if_fail (SA_IS_APPEAL_LIST_PANE (self));

  for (guint i = 0; i < G_N_ELEMENTS (filter_actions); i++)
    set_state (self, filter_actions[i], "");
  _sa_appeal_list_pane_apply_actions (self);
  update_filter_summary (self);
  _sa_appeal_list_pane_update_state (self);
}

static void
clear_filters_activated (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  sa_appeal_list_pane_reset (SA_APPEAL_LIST_PANE (user_data));
}

/* Menu labels are parsed for mnemonics; a name is shown as it is. */
static char *
escape_underlines (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

static void
fill_choices (GMenu      *menu,
              const char *action,
              const char *any_label,
              GPtrArray  *choices)
{
  g_autoptr(GMenu) any = g_menu_new ();
  g_autoptr(GMenu) list = g_menu_new ();
  g_autoptr(GMenuItem) any_item = g_menu_item_new (any_label, NULL);

  g_menu_item_set_action_and_target_value (any_item, action, g_variant_new_string (""));
  g_menu_append_item (any, any_item);
  for (guint i = 0; choices != NULL && i < choices->len; i++)
    {
      SaAppealChoice *choice = g_ptr_array_index (choices, i);
      g_autofree char *label = escape_underlines (choice->name);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (choice->code));
      g_menu_append_item (list, item);
    }
  g_menu_remove_all (menu);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (any));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (list));
}

/* The categories and districts come from the cache, as they are when the
 * menu opens. */
static void
filter_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  SaAppealListPane *self = user_data;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) districts = NULL;
  g_autoptr(GError) error = NULL;

  if (self->appeals != NULL)
    {
      categories = sa_appeal_list_get_category_choices (self->appeals, &error);
      if (categories == NULL)
        g_warning ("Could not list the categories: %s", error->message);
      g_clear_error (&error);
      districts = sa_appeal_list_get_district_choices (self->appeals, &error);
      if (districts == NULL)
        g_warning ("Could not list the districts: %s", error->message);
    }
  fill_choices (self->category_menu, "win.filter-category", _("Any Category"), categories);
  fill_choices (self->district_menu, "win.filter-district", _("Any District"), districts);
}

/**
 * sa_appeal_list_pane_add_actions:
 * @self: a #SaAppealListPane
 * @map: the window's action map
 *
 * Adds the sort and filter actions (`sort`, `filter-status`,
 * `filter-category`, `filter-district`, `filter-channel`, `filter-sla`,
 * `clear-filters`) to @map, where the menus and the shortcuts find them.
 */
void
sa_appeal_list_pane_add_actions (SaAppealListPane *self,
                                 GActionMap       *map)
{
  g_auto(GStrv) names = NULL;

  g_return_if_fail (SA_IS_APPEAL_LIST_PANE (self));
  g_return_if_fail (G_IS_ACTION_MAP (map));

  names = g_action_group_list_actions (G_ACTION_GROUP (self->actions));
  for (guint i = 0; names[i] != NULL; i++)
    g_action_map_add_action (map, g_action_map_lookup_action (G_ACTION_MAP (self->actions),
                                                              names[i]));
}

void
_sa_appeal_list_pane_init_actions (SaAppealListPane *self)
{
  static const GActionEntry entries[] = {
    { "sort", NULL, "s", "'deadline'", list_action_changed },
    { "filter-status", NULL, "s", "''", list_action_changed },
    { "filter-category", NULL, "s", "''", list_action_changed },
    { "filter-district", NULL, "s", "''", list_action_changed },
    { "filter-channel", NULL, "s", "''", list_action_changed },
    { "filter-sla", NULL, "s", "''", list_action_changed },
    { "clear-filters", clear_filters_activated },
  };

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries),
                                   self);
  gtk_menu_button_set_create_popup_func (self->filter_button, filter_popup_cb, self, NULL);
  fill_choices (self->category_menu, "win.filter-category", _("Any Category"), NULL);
  fill_choices (self->district_menu, "win.filter-district", _("Any District"), NULL);
}
