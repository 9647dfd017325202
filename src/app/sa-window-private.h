/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-appeal-detail.h"
#include "sa-appeal-list-pane-private.h"
#include "sa-conflicts-view.h"
#include "sa-core.h"
#include "sa-notifier.h"
#include "sa-session.h"
#include "sa-sidebar.h"
#include "sa-sign-in-page-private.h"
#include "sa-sync-status-private.h"
#include "sa-window.h"

G_BEGIN_DECLS

struct _SaWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  GtkStack             *stack;
  SaSignInPage         *sign_in;
  AdwWindowTitle       *main_title;
  GtkMenuButton        *primary_menu_button;
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  SaSidebar            *sidebar;
  SaSyncStatus         *sync_status;
  SaAppealListPane     *list_pane;
  SaAppealDetail       *detail;

  /* The changes the registry did not apply, in a window of their own */
  SaConflictsView      *conflicts;
  GtkWindow            *conflicts_window;

  GSettings            *settings;
  /* The account: sign-in, the keyring, the cache and its engine */
  SaSession            *session;

  /* The session's cache, as the list and the detail show it */
  AdwMessageDialog     *cache_notice;     /* weak: "stored appeals were damaged" */
  SaCache              *cache;
  gulong                changed_handler;
  SaSyncEngine         *engine;           /* the session's, as the sync label shows it */

  /* The appeal the detail shows */
  char                 *shown_id;
  char                 *shown_category_name;
  char                 *pending_open_id;

  AdwToast             *last_toast;
};

void          _sa_window_add_toast            (SaWindow      *self,
                                               AdwToast      *toast);

/* sa-window.c, for the files below */
void          _sa_window_show_sign_in         (SaWindow      *self,
                                               const char    *message);

/* sa-window-actions.c: the window's actions and when they are on */
void          _sa_window_class_add_actions    (GtkWidgetClass *widget_class);
void          _sa_window_init_actions         (SaWindow      *self);
void          _sa_window_update_actions       (SaWindow      *self);

/* sa-window-keys.c: Tab through the panes, the shown appeal's shortcuts */
void          _sa_window_class_add_keys       (GtkWidgetClass *widget_class);
void          _sa_window_init_keys            (SaWindow      *self);

/* For tests */
const char   *_sa_window_get_sign_in_message  (SaWindow      *self);
const char   *_sa_window_get_user_name        (SaWindow      *self);
AdwToast     *_sa_window_get_last_toast       (SaWindow      *self);
AdwMessageDialog *_sa_window_get_cache_notice (SaWindow      *self);

G_END_DECLS
