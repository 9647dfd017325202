/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-detail-private.h"
#include "sa-op-dialog.h"
#include "sa-quick-answer-dialog.h"
#include "sa-review-window.h"
#include "sa-verdict-dialog.h"

/* The detail view's part of the reply loop (docs/replies.md) after the
 * reply is written: a supervisor's review, and the operator's record of
 * the applicant's verdict and of the information the applicant gave.
 * Each emits ::op-requested, as the other operations do. */

/**
 * _sa_appeal_detail_dup_review_args:
 * @self: the detail view
 *
 * Reviewing is offered when the user may at least return the reply
 * (its author may open the review too, and is told there why it cannot
 * approve): the arguments of such a `reply_return`, the comment to be
 * asked for in the review standing in.
 *
 * Returns: (transfer full) (nullable): `{"reply_id","comment"}` of the
 *   reply the user would review, or %NULL when none of the user's agency waits
 */
JsonObject *
_sa_appeal_detail_dup_review_args (SaAppealDetail *self)
{
  const char *reply_id = sa_review_find_reply (self->appeal, self->user);
  JsonObject *args;

  if (reply_id == NULL)
    return NULL;
  args = json_object_new ();
  json_object_set_string_member (args, "reply_id", reply_id);
  json_object_set_string_member (args, "comment", "…");
  return args;
}

static GtkWindow *
parent_window (SaAppealDetail *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
review_op_requested_cb (SaAppealDetail *self,
                        const char     *type,
                        JsonObject     *args)
{
  SaOpType op;

  if (sa_op_type_from_string (type, &op))
    _sa_appeal_detail_request (self, op, json_object_ref (args));
}

static void
review_reply_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  SaAppealDetail *self = SA_APPEAL_DETAIL (widget);
  SaReviewWindow *window;

  window = sa_review_window_new (parent_window (self), self->appeal,
                                 sa_review_find_reply (self->appeal, self->user), self->user,
                                 self->cache);
  if (window == NULL)
    return;
  g_signal_connect_object (window, "op-requested", G_CALLBACK (review_op_requested_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static void
verdict_accepted_cb (SaAppealDetail  *self,
                     SaVerdictDialog *dialog)
{
  JsonObject *args = sa_verdict_dialog_dup_args (dialog, NULL);

  /* The dialog accepts only what it can build. */
  g_return_if_fail (args != NULL);
  _sa_appeal_detail_request (self, SA_OP_FEEDBACK, args);
}

static void
record_verdict_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SaAppealDetail *self = SA_APPEAL_DETAIL (widget);
  SaVerdictDialog *dialog = sa_verdict_dialog_new (parent_window (self), self->appeal,
                                                   self->user);

  g_signal_connect_object (dialog, "accepted", G_CALLBACK (verdict_accepted_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
info_accepted_cb (SaAppealDetail *self,
                  SaOpDialog     *dialog)
{
  JsonObject *args = json_object_new ();
  char *text = sa_op_dialog_dup_text (dialog);

  json_object_set_string_member (args, "text", text);
  g_free (text);
  _sa_appeal_detail_request (self, SA_OP_INFO_RECEIVED, args);
}

static void
record_info_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SaAppealDetail *self = SA_APPEAL_DETAIL (widget);
  SaOpDialog *dialog;

  dialog = sa_op_dialog_new (parent_window (self), _("Record the Applicant’s Information"),
                             _("What the applicant answered to the request. It goes into the "
                               "history, and the appeal’s clock runs again."),
                             _("_Record"));
  sa_op_dialog_ask_text (dialog, _("The Applicant’s Answer"), NULL,
                         sa_op_arg_max_chars (SA_OP_INFO_RECEIVED, "text"));
  g_signal_connect_object (dialog, "accepted", G_CALLBACK (info_accepted_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
quick_answer_accepted_cb (SaAppealDetail      *self,
                          SaQuickAnswerDialog *dialog)
{
  JsonObject *args = sa_quick_answer_dialog_dup_args (dialog, NULL);

  /* The dialog accepts only what it can build. */
  g_return_if_fail (args != NULL);
  _sa_appeal_detail_request (self, SA_OP_QUICK_ANSWER, args);
}

static void
quick_answer_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  SaAppealDetail *self = SA_APPEAL_DETAIL (widget);
  SaQuickAnswerDialog *dialog = sa_quick_answer_dialog_new (parent_window (self), self->appeal,
                                                            self->user, self->cache);

  g_signal_connect_object (dialog, "accepted", G_CALLBACK (quick_answer_accepted_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_sa_appeal_detail_class_init_review (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "detail.quick-answer", NULL,
                                   quick_answer_action);
  gtk_widget_class_install_action (widget_class, "detail.review-reply", NULL,
                                   review_reply_action);
  gtk_widget_class_install_action (widget_class, "detail.record-verdict", NULL,
                                   record_verdict_action);
  gtk_widget_class_install_action (widget_class, "detail.record-info", NULL, record_info_action);
}
