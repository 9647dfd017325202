/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-appeal-row.h"

G_BEGIN_DECLS

/* Filled by SaAppealList straight from its page query. */
struct _SaAppealRow
{
  GObject         parent_instance;

  gint64          rid;
  char           *id;
  char           *reg_number;
  char           *category;
  char           *category_name;
  char           *summary;
  char           *address;
  char           *district;
  char           *district_name;
  char           *sphere;
  char           *status;
  const char     *priority;  /* static string */
  char           *channel;
  char           *executor;
  gboolean        is_repeat;
  gboolean        unread;
  SaOfflineState  offline_state;
  gint64          received_at;
  gint64          legal_due_at;
  gint64          operational_due_at;
  /* sa_appeal_notice_due(): a notice of extension owed by then, or 0 */
  gint64          notice_due_at;
};

SaAppealRow *_sa_appeal_row_new         (void);
/* Takes @src's columns into @self and emits SaAppealRow::changed. */
void         _sa_appeal_row_refill      (SaAppealRow *self,
                                         SaAppealRow *src);
/* Rows alive now, for the test that scrolling keeps them bounded. */
guint        _sa_appeal_row_get_n_live  (void);

G_END_DECLS
