/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-appeal-list-pane.h"

G_BEGIN_DECLS

struct _SaAppealListPane
{
  AdwBin                parent_instance;

  /* Template children */
  AdwWindowTitle       *list_title;
  GtkMenuButton        *filter_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  AdwStatusPage        *empty_page;
  GtkButton            *clear_filters_button;
  GMenu                *category_menu;
  GMenu                *district_menu;

  SaSession            *session;
  SaSidebar            *sidebar;
  /* Sort and filters: `win.sort`, `win.filter-…`, `win.clear-filters` */
  GSimpleActionGroup   *actions;
  gboolean              folded;

  SaCache              *cache;
  gulong                changed_handler;
  SaAppealList         *appeals;
  GtkSingleSelection   *selection;
  guint                 minute_source;
  /* Off-screen rows refilled by a query, bound again a few per idle */
  GPtrArray            *rebind_queue;  /* of GtkListItem */
  guint                 rebind_idle;

  /* The appeal the detail shows, kept selected */
  char                 *shown_id;
  /* The filters in words, for the subtitle */
  char                 *filter_summary;
};

/* sa-appeal-list-pane.c */
void     _sa_appeal_list_pane_update_state  (SaAppealListPane *self);

/* sa-appeal-list-pane-actions.c: the sort order and the filters */
void     _sa_appeal_list_pane_init_actions  (SaAppealListPane *self);
void     _sa_appeal_list_pane_apply_actions (SaAppealListPane *self);
gboolean _sa_appeal_list_pane_is_filtered   (SaAppealListPane *self);
gboolean _sa_appeal_list_pane_is_searching  (SaAppealListPane *self);

G_END_DECLS
