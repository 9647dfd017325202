/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "sa-cache.h"

G_BEGIN_DECLS

#define SA_TYPE_APPEAL_ROW (sa_appeal_row_get_type ())
G_DECLARE_FINAL_TYPE (SaAppealRow, sa_appeal_row, SA, APPEAL_ROW, GObject)

const char     *sa_appeal_row_get_id                  (SaAppealRow *self);
const char     *sa_appeal_row_get_reg_number          (SaAppealRow *self);
const char     *sa_appeal_row_get_category            (SaAppealRow *self);
const char     *sa_appeal_row_get_category_name       (SaAppealRow *self);
const char     *sa_appeal_row_get_summary             (SaAppealRow *self);
const char     *sa_appeal_row_get_address             (SaAppealRow *self);
const char     *sa_appeal_row_get_district            (SaAppealRow *self);
const char     *sa_appeal_row_get_district_name       (SaAppealRow *self);
const char     *sa_appeal_row_get_sphere              (SaAppealRow *self);
const char     *sa_appeal_row_get_status              (SaAppealRow *self);
const char     *sa_appeal_row_get_priority            (SaAppealRow *self);
const char     *sa_appeal_row_get_channel             (SaAppealRow *self);
const char     *sa_appeal_row_get_executor            (SaAppealRow *self);
gboolean        sa_appeal_row_get_is_repeat           (SaAppealRow *self);
gboolean        sa_appeal_row_get_pending             (SaAppealRow *self);
SaOfflineState  sa_appeal_row_get_offline_state       (SaAppealRow *self);
gboolean        sa_appeal_row_get_unread              (SaAppealRow *self);
gint64          sa_appeal_row_get_received_at         (SaAppealRow *self);
gint64          sa_appeal_row_get_legal_due_at        (SaAppealRow *self);
gint64          sa_appeal_row_get_operational_due_at  (SaAppealRow *self);
gint64          sa_appeal_row_get_notice_due_at       (SaAppealRow *self);

G_END_DECLS
