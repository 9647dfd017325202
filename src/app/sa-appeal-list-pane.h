/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sa-core.h"
#include "sa-session.h"
#include "sa-sidebar.h"

G_BEGIN_DECLS

#define SA_TYPE_APPEAL_LIST_PANE (sa_appeal_list_pane_get_type ())
G_DECLARE_FINAL_TYPE (SaAppealListPane, sa_appeal_list_pane, SA, APPEAL_LIST_PANE, AdwBin)

void          sa_appeal_list_pane_set_session     (SaAppealListPane *self,
                                                   SaSession        *session);
void          sa_appeal_list_pane_set_sidebar     (SaAppealListPane *self,
                                                   SaSidebar        *sidebar);
void          sa_appeal_list_pane_add_actions     (SaAppealListPane *self,
                                                   GActionMap       *map);
void          sa_appeal_list_pane_set_cache       (SaAppealListPane *self,
                                                   SaCache          *cache);
SaAppealList *sa_appeal_list_pane_get_appeals     (SaAppealListPane *self);
void          sa_appeal_list_pane_set_shown_id    (SaAppealListPane *self,
                                                   const char       *appeal_id);
void          sa_appeal_list_pane_update          (SaAppealListPane *self);
void          sa_appeal_list_pane_update_counts   (SaAppealListPane *self);
void          sa_appeal_list_pane_show_section    (SaAppealListPane *self);
gboolean      sa_appeal_list_pane_show_executor   (SaAppealListPane *self);
SaAppealRow  *sa_appeal_list_pane_reveal          (SaAppealListPane *self,
                                                   const char       *appeal_id);
void          sa_appeal_list_pane_reset           (SaAppealListPane *self);
void          sa_appeal_list_pane_start_search    (SaAppealListPane *self);
void          sa_appeal_list_pane_focus_list      (SaAppealListPane *self);

G_END_DECLS
