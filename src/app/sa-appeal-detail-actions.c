/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-detail-private.h"
#include "sa-clock.h"
#include "sa-directory.h"
#include "sa-labels.h"
#include "sa-op-dialog.h"
#include "sa-reply-editor.h"

/* The operations the detail view offers, as its widget actions: taking,
 * commenting, asking for information, assigning, forwarding, escalating,
 * extending and attaching. Each asks what it needs and emits
 * ::op-requested; the window writes the operation to the outbox. */

static void
take_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  _sa_appeal_detail_request (SA_APPEAL_DETAIL (widget), SA_OP_TAKE, NULL);
}

/* The text as it would be sent, and whether the registry would take it:
 * not empty, within the op's limit (sa_op_arg_max_chars()). */
static char *
text_dialog_dup_text (AdwMessageDialog *dialog,
                      gboolean         *out_fits)
{
  GtkTextView *view = g_object_get_data (G_OBJECT (dialog), "text-view");
  guint max = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "max-chars"));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  *out_fits = *text != '\0' && g_utf8_strlen (text, -1) <= (glong) max;
  return text;
}

static void
text_dialog_changed_cb (AdwMessageDialog *dialog)
{
  GtkLabel *counter = g_object_get_data (G_OBJECT (dialog), "counter");
  guint max = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "max-chars"));
  g_autofree char *text = NULL;
  gboolean fits;
  glong n;

  text = text_dialog_dup_text (dialog, &fits);
  n = g_utf8_strlen (text, -1);
  adw_message_dialog_set_response_enabled (dialog, "send", fits);
  /* The limit is news only near it. */
  gtk_widget_set_visible (GTK_WIDGET (counter), n > (glong) max * 9 / 10);
  if (n > (glong) max)
    {
      g_autofree char *over = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%ld character over the limit",
                                                            "%ld characters over the limit",
                                                            n - max), n - (glong) max);

      gtk_label_set_text (counter, over);
      gtk_widget_add_css_class (GTK_WIDGET (counter), "error");
    }
  else
    {
      g_autofree char *left = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%ld character left",
                                                            "%ld characters left",
                                                            max - n), (glong) max - n);

      gtk_label_set_text (counter, left);
      gtk_widget_remove_css_class (GTK_WIDGET (counter), "error");
    }
}

static void
text_dialog_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         SaAppealDetail   *self)
{
  SaOpType type = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "op-type"));
  g_autofree char *text = NULL;
  gboolean fits;
  JsonObject *args;

  if (!g_str_equal (response, "send"))
    return;
  text = text_dialog_dup_text (dialog, &fits);
  /* The send response is off unless the text fits. */
  g_return_if_fail (fits);
  args = json_object_new ();
  json_object_set_string_member (args, "text", text);
  _sa_appeal_detail_request (self, type, args);
}

/* One dialog for the operations that only need a sentence from the user. */
static void
sa_appeal_detail_ask_text (SaAppealDetail *self,
                           SaOpType        type,
                           const char     *heading,
                           const char     *body,
                           const char     *send_label)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *frame;
  GtkWidget *view;
  GtkWidget *box;
  GtkWidget *counter;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_widget_set_size_request (view, -1, 120);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, heading, -1);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  counter = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (counter), 1);
  gtk_widget_add_css_class (counter, "caption");
  gtk_widget_set_visible (counter, FALSE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (box), counter);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "send", send_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "send");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "send", FALSE);
  g_object_set_data (G_OBJECT (dialog), "text-view", view);
  g_object_set_data (G_OBJECT (dialog), "counter", counter);
  g_object_set_data (G_OBJECT (dialog), "max-chars",
                     GUINT_TO_POINTER (sa_op_arg_max_chars (type, "text")));
  g_object_set_data (G_OBJECT (dialog), "op-type", GUINT_TO_POINTER (type));
  g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                           G_CALLBACK (text_dialog_changed_cb), dialog, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (text_dialog_response_cb), self, 0);
  sa_op_dialog_respond_on_ctrl_enter (ADW_MESSAGE_DIALOG (dialog), "send");
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (view);
}

static void
comment_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  sa_appeal_detail_ask_text (SA_APPEAL_DETAIL (widget), SA_OP_COMMENT,
                             _("Add a Comment"),
                             _("Colleagues who can see this appeal will read it; the applicant will not."),
                             _("_Add"));
}

static void
request_info_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  sa_appeal_detail_ask_text (SA_APPEAL_DETAIL (widget), SA_OP_REQUEST_INFO,
                             _("Request Information"),
                             _("The applicant will be asked for this. The operational deadline pauses until they answer; the legal one does not."),
                             _("_Request"));
}

static void
take_string_member (JsonObject *object,
                    const char *name,
                    char       *value)
{
  json_object_set_string_member (object, name, value);
  g_free (value);
}

static SaOpDialog *
sa_appeal_detail_new_dialog (SaAppealDetail *self,
                             const char     *title,
                             const char     *description,
                             const char     *accept_label,
                             GCallback       accepted)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  SaOpDialog *dialog = sa_op_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         title, description, accept_label);

  g_signal_connect_object (dialog, "accepted", accepted, self, G_CONNECT_SWAPPED);
  return dialog;
}

static GPtrArray *
sa_appeal_detail_list_agencies (SaAppealDetail     *self,
                                const char * const *kinds)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *agencies = sa_directory_list_agencies (self->cache, kinds, NULL, &error);

  if (agencies == NULL)
    {
      g_warning ("Could not list the agencies: %s", error->message);
      agencies = g_ptr_array_new ();
    }
  return agencies;
}

static void
assign_accepted_cb (SaAppealDetail *self,
                    SaOpDialog     *dialog)
{
  JsonObject *args = json_object_new ();

  json_object_set_string_member (args, "user", sa_op_dialog_get_choice (dialog));
  _sa_appeal_detail_request (self, SA_OP_ASSIGN, args);
}

static void
assign_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SaAppealDetail *self = SA_APPEAL_DETAIL (widget);
  const char *executor = member_string (self->appeal, "executor");
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  SaOpDialog *dialog;

  dialog = sa_appeal_detail_new_dialog (self, _("Assign the Appeal"),
                                        _("The executor you choose will see it among their appeals."),
                                        _("_Assign"), G_CALLBACK (assign_accepted_cb));
  sa_op_dialog_ask_choice (dialog, _("Executor"),
                           _("No colleagues are known yet. They appear after the next sync."));
  users = sa_directory_list_colleagues (self->cache, member_string (self->appeal, "agency"),
                                        &error);
  if (users == NULL)
    g_warning ("Could not list the colleagues: %s", error->message);
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      SaDirectoryUser *user = g_ptr_array_index (users, i);

      /* The registry refuses to assign the appeal to whoever has it. */
      if (g_strcmp0 (user->login, executor) != 0)
        sa_op_dialog_add_choice (dialog, user->login, user->full_name,
                                 sa_labels_role (user->role));
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
forward_accepted_cb (SaAppealDetail *self,
                     SaOpDialog     *dialog)
{
  JsonObject *args = json_object_new ();

  json_object_set_string_member (args, "agency", sa_op_dialog_get_choice (dialog));
  take_string_member (args, "reason", sa_op_dialog_dup_text (dialog));
  _sa_appeal_detail_request (self, SA_OP_FORWARD, args);
}

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  SaAppealDetail *self = SA_APPEAL_DETAIL (widget);
  const char *lead = member_string (self->appeal, "agency");
  g_autoptr(GPtrArray) agencies = sa_appeal_detail_list_agencies (self, NULL);
  SaOpDialog *dialog;

  dialog = sa_appeal_detail_new_dialog (self, _("Forward to Another Agency"),
                                        _("The appeal leaves your agency and is registered again "
                                          "with the agency you choose. Forwarding is not a reply "
                                          "to the applicant."),
                                        _("_Forward"), G_CALLBACK (forward_accepted_cb));
  sa_op_dialog_ask_choice (dialog, _("Agency"),
                           _("No agencies are known yet. They appear after the next sync."));
  for (guint i = 0; i < agencies->len; i++)
    {
      SaDirectoryAgency *agency = g_ptr_array_index (agencies, i);

      if (g_strcmp0 (agency->code, lead) != 0)
        sa_op_dialog_add_choice (dialog, agency->code, agency->name, agency->code);
    }
  sa_op_dialog_ask_text (dialog, _("Reason"),
                         _("Why the appeal belongs to that agency. Both agencies will see it."),
                         sa_op_arg_max_chars (SA_OP_FORWARD, "reason"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
escalate_accepted_cb (SaAppealDetail *self,
                      SaOpDialog     *dialog)
{
  JsonObject *args = json_object_new ();

  json_object_set_string_member (args, "agency", sa_op_dialog_get_choice (dialog));
  take_string_member (args, "text", sa_op_dialog_dup_text (dialog));
  take_string_member (args, "due_at", sa_op_dialog_dup_due_text (dialog));
  _sa_appeal_detail_request (self, SA_OP_ESCALATE, args);
}

static void
escalate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  static const char * const kinds[] = { "ksk_osi", "contractor", NULL };
  SaAppealDetail *self = SA_APPEAL_DETAIL (widget);
  g_autoptr(GPtrArray) agencies = sa_appeal_detail_list_agencies (self, kinds);
  gint64 now = sa_clock_get_now (sa_clock_get_default ()) / G_USEC_PER_SEC;
  SaOpDialog *dialog;

  dialog = sa_appeal_detail_new_dialog (self, _("Escalate to a KSK/OSI or Contractor"),
                                        _("The organization you choose is asked to act by the due "
                                          "date and sees the appeal. Your agency stays responsible "
                                          "for the reply."),
                                        _("_Escalate"), G_CALLBACK (escalate_accepted_cb));
  sa_op_dialog_ask_choice (dialog, _("Organization"),
                           _("No KSK/OSI or contractors are known yet. They appear after the next "
                             "sync."));
  for (guint i = 0; i < agencies->len; i++)
    {
      SaDirectoryAgency *agency = g_ptr_array_index (agencies, i);

      /* The registry refuses an agency that works on the appeal already. */
      if (g_strcmp0 (agency->code, member_string (self->appeal, "agency")) != 0 &&
          !array_has_string (self->appeal, "coexecutors", agency->code) &&
          !array_has_string (self->appeal, "escalated_to", agency->code))
        sa_op_dialog_add_choice (dialog, agency->code, agency->name, agency->code);
    }
  sa_op_dialog_ask_text (dialog, _("What Must Be Done"), NULL,
                         sa_op_arg_max_chars (SA_OP_ESCALATE, "text"));
  sa_op_dialog_ask_date (dialog, _("Due Date"),
                         sa_calendar_day_end (_sa_appeal_detail_calendar (), now), 0, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
extend_accepted_cb (SaAppealDetail *self,
                    SaOpDialog     *dialog)
{
  JsonObject *args = json_object_new ();

  take_string_member (args, "due_at", sa_op_dialog_dup_due_text (dialog));
  take_string_member (args, "reason", sa_op_dialog_dup_text (dialog));
  _sa_appeal_detail_request (self, SA_OP_EXTEND, args);
}

static void
extend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SaAppealDetail *self = SA_APPEAL_DETAIL (widget);
  SaCalendar *cal = _sa_appeal_detail_calendar ();
  gint64 received = member_time (self->appeal, SA_APPEAL_FIELD_RECEIVED_AT);
  gint64 current = member_time (self->appeal, sa_deadline_field (SA_DEADLINE_LEGAL));
  gint64 first, last, initial;
  SaOpDialog *dialog;

  /* The same bounds as sa_sla_extend_legal_due(): later than the
   * unextended legal deadline, not later than two months from receipt. */
  first = sa_calendar_day_end (cal, sa_sla_legal_due (cal, received) + 1);
  last = sa_sla_extension_limit (cal, received);
  initial = CLAMP (current != 0 ? sa_calendar_day_end (cal, current + 1) : first, first, last);

  dialog = sa_appeal_detail_new_dialog (self, _("Extend the Legal Deadline"),
                                        _("The law allows up to two months from receipt in all. "
                                          "The applicant must be told of the new deadline within "
                                          "3 working days."),
                                        _("_Extend"), G_CALLBACK (extend_accepted_cb));
  sa_op_dialog_ask_date (dialog, _("New Deadline"), first, last, initial);
  sa_op_dialog_ask_text (dialog, _("Reason"), _("The applicant is told this reason."),
                         sa_op_arg_max_chars (SA_OP_EXTEND, "reason"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Files: the attachments view does the work (sa-attachments-view.c). */
static void
attach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  sa_attachments_view_choose_file (SA_APPEAL_DETAIL (widget)->attachments);
}

static void
attachments_op_requested_cb (SaAppealDetail *self,
                             const char     *type,
                             JsonObject     *args)
{
  SaOpType op;

  if (sa_op_type_from_string (type, &op))
    _sa_appeal_detail_request (self, op, json_object_ref (args));
}

/* The reply editor saves the draft itself (sa-reply-editor.c) and asks
 * for the submit like the other operations. */
static void
reply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  SaAppealDetail *self = SA_APPEAL_DETAIL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  SaReplyEditor *editor;

  if (self->cache == NULL || self->appeal == NULL || self->user == NULL)
    return;
  editor = sa_reply_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->cache,
                                self->appeal, self->user);
  g_signal_connect_object (editor, "op-requested", G_CALLBACK (attachments_op_requested_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

void
_sa_appeal_detail_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, attachments_op_requested_cb);

  gtk_widget_class_install_action (widget_class, "detail.take", NULL, take_action);
  gtk_widget_class_install_action (widget_class, "detail.comment", NULL, comment_action);
  gtk_widget_class_install_action (widget_class, "detail.request-info", NULL, request_info_action);
  gtk_widget_class_install_property_action (widget_class, "detail.set-priority", "priority");
  gtk_widget_class_install_action (widget_class, "detail.assign", NULL, assign_action);
  gtk_widget_class_install_action (widget_class, "detail.forward", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "detail.escalate", NULL, escalate_action);
  gtk_widget_class_install_action (widget_class, "detail.extend", NULL, extend_action);
  gtk_widget_class_install_action (widget_class, "detail.attach", NULL, attach_action);
  gtk_widget_class_install_action (widget_class, "detail.reply", NULL, reply_action);
}
