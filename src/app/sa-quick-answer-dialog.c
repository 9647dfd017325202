/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-quick-answer-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sa-appeal-model.h"
#include "sa-clock.h"
#include "sa-directory.h"
#include "sa-quick-answer-dialog.h"
#include "sa-reply-template-picker.h"
#include "sa-reply-template.h"

/* The contact centre's answer on the first call (docs/replies.md, "Quick
 * answers"): the operator picks one of the quick answers the feed brought
 * (the city's and the contact centre's own), completes it while speaking,
 * and sends it; the `quick_answer` op it builds is checked by the appeal
 * model as the registry will check it. It emits ::accepted and closes;
 * the caller reads the arguments with sa_quick_answer_dialog_dup_args(). */

struct _SaQuickAnswerDialog
{
  AdwWindow              parent_instance;

  AdwWindowTitle        *window_title;
  SaReplyTemplatePicker *picker;
  GtkTextView           *text_view;
  GtkLabel              *hint;

  JsonObject            *appeal;
  JsonObject            *user;
  SaCache               *cache;
  char                  *reply_id;
  char                  *template_id;
  char                  *language;
};

G_DEFINE_FINAL_TYPE (SaQuickAnswerDialog, sa_quick_answer_dialog, ADW_TYPE_WINDOW)

enum {
  ACCEPTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
member_string (JsonObject *object,
               const char *name)
{
  return object != NULL ? json_object_get_string_member_with_default (object, name, NULL) : NULL;
}

static char *
dup_text (SaQuickAnswerDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

/**
 * sa_quick_answer_dialog_dup_args:
 * @self: a #SaQuickAnswerDialog
 * @error: why it could not be sent, in words
 *
 * Returns: (transfer full) (nullable): the `quick_answer` op's arguments,
 *   or %NULL while no quick answer is chosen, a placeholder is left or the
 *   appeal model would refuse them
 */
JsonObject *
sa_quick_answer_dialog_dup_args (SaQuickAnswerDialog  *self,
                                 GError              **error)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autofree char *text = dup_text (self);
  SaAppealState state = { 0 };
  SaActor actor;
  gboolean ok;

  g_return_val_if_fail (SA_IS_QUICK_ANSWER_DIALOG (self), NULL);

  if (self->template_id == NULL)
    {
      g_set_error_literal (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                           _("Choose a quick answer."));
      return NULL;
    }
  if (strchr (text, '{') != NULL && strchr (strchr (text, '{'), '}') != NULL)
    {
      g_set_error_literal (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                           _("Fill in what is left in braces before sending."));
      return NULL;
    }
  json_object_set_string_member (args, "reply_id", self->reply_id);
  json_object_set_string_member (args, "template_id", self->template_id);
  json_object_set_string_member (args, "text", text);
  json_object_set_string_member (args, "language", self->language);
  ok = sa_op_validate_args (SA_OP_QUICK_ANSWER, args, error) &&
       sa_actor_init_from_json (&actor, self->user) &&
       sa_appeal_state_init_from_json (&state, self->appeal) &&
       sa_op_check (SA_OP_QUICK_ANSWER, &actor, &state, args,
                    sa_clock_get_now (sa_clock_get_default ()) / G_USEC_PER_SEC, error);
  sa_appeal_state_clear (&state);
  return ok ? g_steal_pointer (&args) : NULL;
}

static void
validate (SaQuickAnswerDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) args = sa_quick_answer_dialog_dup_args (self, &error);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quick.send", args != NULL);
  gtk_label_set_text (self->hint, error != NULL ? error->message : "");
}

/**
 * sa_quick_answer_dialog_choose:
 * @self: a #SaQuickAnswerDialog
 * @template_id: the quick answer's id
 * @text: its text, with placeholders
 *
 * Puts the quick answer's text in, filled in from the appeal as far as
 * the desk knows it (the picker calls this when one is chosen).
 */
void
sa_quick_answer_dialog_choose (SaQuickAnswerDialog *self,
                               const char          *template_id,
                               const char          *text)
{
  const char *login = member_string (self->user, "login");
  const char *agency = member_string (self->user, "agency");
  g_autofree char *name = self->cache != NULL && login != NULL
                          ? sa_directory_dup_user_name (self->cache, login) : NULL;
  g_autofree char *agency_name = self->cache != NULL && agency != NULL
                                 ? sa_directory_dup_agency_name (self->cache, agency,
                                                                 self->language) : NULL;
  g_autofree char *filled = sa_reply_template_fill (text, self->appeal, name, agency_name);

  g_return_if_fail (SA_IS_QUICK_ANSWER_DIALOG (self));

  g_free (self->template_id);
  self->template_id = g_strdup (template_id);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), filled, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
  validate (self);
}

static void
template_chosen_cb (SaQuickAnswerDialog *self,
                    const char          *template_id,
                    const char          *text)
{
  sa_quick_answer_dialog_choose (self, template_id, text);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SaQuickAnswerDialog *self = SA_QUICK_ANSWER_DIALOG (widget);
  g_autoptr(JsonObject) args = sa_quick_answer_dialog_dup_args (self, NULL);

  if (args == NULL)
    return;
  g_signal_emit (self, signals[ACCEPTED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

/**
 * sa_quick_answer_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @appeal: the fresh appeal the applicant calls about
 * @user: the signed-in operator
 * @cache: (nullable): where the quick answers and names come from
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
SaQuickAnswerDialog *
sa_quick_answer_dialog_new (GtkWindow  *parent,
                            JsonObject *appeal,
                            JsonObject *user,
                            SaCache    *cache)
{
  SaQuickAnswerDialog *self;
  const char *language;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (appeal != NULL && user != NULL, NULL);

  self = g_object_new (SA_TYPE_QUICK_ANSWER_DIALOG, "transient-for", parent, NULL);
  self->appeal = json_object_ref (appeal);
  self->user = json_object_ref (user);
  g_set_object (&self->cache, cache);
  /* The applicant's language, as the answer goes to them. */
  language = member_string (appeal, "language");
  self->language = g_strdup (g_strcmp0 (language, "kk") == 0 ? "kk" : "ru");
  adw_window_title_set_subtitle (self->window_title, member_string (appeal, "reg_number"));
  if (cache != NULL)
    sa_reply_template_picker_set_scope (self->picker, cache, member_string (appeal, "category"),
                                        self->language);
  validate (self);
  return self;
}

static void
text_changed_cb (SaQuickAnswerDialog *self)
{
  validate (self);
}

static void
sa_quick_answer_dialog_dispose (GObject *object)
{
  SaQuickAnswerDialog *self = SA_QUICK_ANSWER_DIALOG (object);

  g_clear_pointer (&self->appeal, json_object_unref);
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_object (&self->cache);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_QUICK_ANSWER_DIALOG);
  G_OBJECT_CLASS (sa_quick_answer_dialog_parent_class)->dispose (object);
}

static void
sa_quick_answer_dialog_finalize (GObject *object)
{
  SaQuickAnswerDialog *self = SA_QUICK_ANSWER_DIALOG (object);

  g_free (self->reply_id);
  g_free (self->template_id);
  g_free (self->language);
  G_OBJECT_CLASS (sa_quick_answer_dialog_parent_class)->finalize (object);
}

static void
sa_quick_answer_dialog_class_init (SaQuickAnswerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_quick_answer_dialog_dispose;
  object_class->finalize = sa_quick_answer_dialog_finalize;

  /**
   * SaQuickAnswerDialog::accepted:
   * @self: the dialog
   *
   * The operator sent the answer; sa_quick_answer_dialog_dup_args() has it.
   */
  signals[ACCEPTED] = g_signal_new ("accepted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (SA_TYPE_REPLY_TEMPLATE_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-quick-answer-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SaQuickAnswerDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SaQuickAnswerDialog, picker);
  gtk_widget_class_bind_template_child (widget_class, SaQuickAnswerDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, SaQuickAnswerDialog, hint);
  gtk_widget_class_bind_template_callback (widget_class, template_chosen_cb);
  gtk_widget_class_install_action (widget_class, "quick.send", NULL, send_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "quick.send", NULL);
}

static void
sa_quick_answer_dialog_init (SaQuickAnswerDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->reply_id = g_uuid_string_random ();
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (text_changed_cb), self, G_CONNECT_SWAPPED);
}
