/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sa-clock.h"

G_BEGIN_DECLS

/**
 * SaAppealListRowText:
 * @SA_APPEAL_LIST_ROW_NUMBER: the registration number
 * @SA_APPEAL_LIST_ROW_STATUS: the status, in a badge
 * @SA_APPEAL_LIST_ROW_CATEGORY: the category's name
 * @SA_APPEAL_LIST_ROW_SUMMARY: the first line of the text
 * @SA_APPEAL_LIST_ROW_PLACE: the address and the district
 * @SA_APPEAL_LIST_ROW_SLA: the countdown, in the traffic-light chip
 *
 * The texts a row draws, top left to bottom right.
 */
typedef enum
{
  SA_APPEAL_LIST_ROW_NUMBER,
  SA_APPEAL_LIST_ROW_STATUS,
  SA_APPEAL_LIST_ROW_CATEGORY,
  SA_APPEAL_LIST_ROW_SUMMARY,
  SA_APPEAL_LIST_ROW_PLACE,
  SA_APPEAL_LIST_ROW_SLA,
  SA_APPEAL_LIST_ROW_N_TEXTS
} SaAppealListRowText;

/**
 * SaAppealListRowMark:
 * @SA_APPEAL_LIST_ROW_PENDING: a change not yet in the registry, or one
 *   that needs the user (a conflict, a rejection)
 * @SA_APPEAL_LIST_ROW_REPEAT: a repeat appeal
 * @SA_APPEAL_LIST_ROW_SPHERE: the sphere of the appeal's category
 *   (heating, water, lifts…), before the category's name
 *
 * The icons a row shows: the first two beside the number, if need be.
 */
typedef enum
{
  SA_APPEAL_LIST_ROW_PENDING,
  SA_APPEAL_LIST_ROW_REPEAT,
  SA_APPEAL_LIST_ROW_SPHERE,
  SA_APPEAL_LIST_ROW_N_MARKS
} SaAppealListRowMark;

#define SA_TYPE_APPEAL_LIST_ROW (sa_appeal_list_row_get_type ())
G_DECLARE_FINAL_TYPE (SaAppealListRow, sa_appeal_list_row, SA, APPEAL_LIST_ROW, GtkWidget)

GtkWidget   *sa_appeal_list_row_new           (void);
void         sa_appeal_list_row_bind          (SaAppealListRow     *self,
                                               GObject             *item);
void         sa_appeal_list_row_unbind        (SaAppealListRow     *self);
void         sa_appeal_list_row_set_clock     (SaAppealListRow     *self,
                                               SaClock             *clock);
PangoLayout *sa_appeal_list_row_get_layout    (SaAppealListRow     *self,
                                               SaAppealListRowText  text);
const char  *sa_appeal_list_row_get_mark      (SaAppealListRow     *self,
                                               SaAppealListRowMark  mark);
const char  *sa_appeal_list_row_get_light     (SaAppealListRow     *self);

G_END_DECLS
