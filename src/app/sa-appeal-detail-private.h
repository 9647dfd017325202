/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sa-appeal-detail.h"
#include "sa-appeal-model.h"
#include "sa-attachments-view.h"
#include "sa-replies-view.h"
#include "sa-calendar.h"

G_BEGIN_DECLS

/* Shared by the detail view's files: the view (sa-appeal-detail.c) and
 * the operations it offers (sa-appeal-detail-actions.c). */

struct _SaAppealDetail
{
  GtkWidget       parent_instance;

  GtkStack       *stack;
  GtkScrolledWindow *scrolled;
  GtkWidget      *take_button;
  GtkWidget      *more_button;
  GtkLabel       *reg_number;
  GtkLabel       *repeat_badge;
  GtkLabel       *status_badge;
  GtkLabel       *category;
  AdwActionRow   *legal_row;
  GtkLabel       *legal_countdown;
  AdwActionRow   *operational_row;
  GtkLabel       *operational_countdown;
  GtkLabel       *notice_late;
  GtkLabel       *text;
  AdwActionRow   *applicant_row;
  AdwActionRow   *iin_row;
  GtkToggleButton *reveal_iin;
  AdwActionRow   *contact_row;
  AdwActionRow   *address_row;
  AdwActionRow   *channel_row;
  GtkListBox     *history;
  SaAttachmentsView *attachments;
  SaRepliesView  *replies;

  JsonObject     *appeal;
  JsonObject     *user;
  SaCache        *cache;
  char           *status_class;
  char           *legal_light;
  char           *operational_light;
  char           *priority;
  gboolean        folded;
};

/* Reading the appeal's JSON */
static inline const char *
member_string (JsonObject *object,
               const char *name)
{
  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (json_object_get_member (object, name)))
    return NULL;
  return json_object_get_string_member_with_default (object, name, NULL);
}

static inline gint64
member_time (JsonObject *object,
             const char *name)
{
  const char *text = member_string (object, name);
  g_autoptr(GDateTime) dt = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return dt ? g_date_time_to_unix (dt) : 0;
}

static inline gboolean
array_has_string (JsonObject *object,
                  const char *member,
                  const char *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  JsonArray *array;

  if (value == NULL || node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) &&
          g_strcmp0 (json_node_get_string (element), value) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The view (sa-appeal-detail.c) */
SaCalendar *_sa_appeal_detail_calendar           (void);
void        _sa_appeal_detail_request            (SaAppealDetail *self,
                                                  SaOpType        type,
                                                  JsonObject     *args);

/* The operations (sa-appeal-detail-actions.c) */
void        _sa_appeal_detail_class_init_actions (GtkWidgetClass *widget_class);

/* Review, verdict and the applicant's information (sa-appeal-detail-review.c) */
void        _sa_appeal_detail_class_init_review  (GtkWidgetClass *widget_class);
JsonObject *_sa_appeal_detail_dup_review_args    (SaAppealDetail *self);

G_END_DECLS
