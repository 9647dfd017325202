/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-verdict-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-model.h"
#include "sa-clock.h"
#include "sa-verdict-dialog.h"

/* The operator's form for the applicant's verdict on the answer
 * (docs/replies.md): agrees or disagrees, a rating from 1 to 5 and the
 * applicant's words; or that the applicant could not be reached, with
 * the number of calls. The `feedback` op it builds is checked by the
 * appeal model (sa_op_validate_args(), sa_op_check()) as the registry
 * will check it; "Record" stays off, with the reason shown, until it
 * would pass. It emits ::accepted and closes; the caller reads the
 * arguments with sa_verdict_dialog_dup_args(). */

#define N_RATINGS 5

struct _SaVerdictDialog
{
  AdwWindow            parent_instance;

  AdwWindowTitle      *window_title;
  GtkCheckButton      *agree_check;
  GtkCheckButton      *disagree_check;
  GtkCheckButton      *unreached_check;
  AdwActionRow        *unreached_row;
  AdwPreferencesGroup *rating_group;
  GtkBox              *rating_box;
  AdwPreferencesGroup *comment_group;
  GtkTextView         *comment_view;
  AdwPreferencesGroup *attempts_group;
  GtkSpinButton       *attempts_spin;
  GtkLabel            *hint;
  GtkToggleButton     *ratings[N_RATINGS];

  JsonObject          *appeal;
  JsonObject          *user;
};

G_DEFINE_FINAL_TYPE (SaVerdictDialog, sa_verdict_dialog, ADW_TYPE_WINDOW)

enum {
  ACCEPTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
chosen_rating (SaVerdictDialog *self)
{
  for (int i = 0; i < N_RATINGS; i++)
    if (gtk_toggle_button_get_active (self->ratings[i]))
      return i + 1;
  return 0;
}

static char *
dup_comment (SaVerdictDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->comment_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

/**
 * sa_verdict_dialog_dup_args:
 * @self: a #SaVerdictDialog
 * @error: why the form would not be recorded, in words
 *
 * Returns: (transfer full) (nullable): the `feedback` op's arguments as
 *   the form stands, or %NULL when the appeal model would refuse them
 */
JsonObject *
sa_verdict_dialog_dup_args (SaVerdictDialog  *self,
                            GError          **error)
{
  gint64 now = sa_clock_get_now (sa_clock_get_default ()) / G_USEC_PER_SEC;
  g_autoptr(JsonObject) args = json_object_new ();
  SaAppealState state = { 0 };
  SaActor actor;
  gboolean ok;

  g_return_val_if_fail (SA_IS_VERDICT_DIALOG (self), NULL);

  if (self->appeal == NULL)
    return NULL;
  if (gtk_check_button_get_active (self->unreached_check))
    {
      int attempts = gtk_spin_button_get_value_as_int (self->attempts_spin);

      json_object_set_boolean_member (args, "reached", FALSE);
      json_object_set_int_member (args, "attempts", attempts);
      if (attempts < SA_FEEDBACK_ATTEMPTS_MIN)
        {
          g_set_error (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "An appeal is closed without the applicant’s verdict only "
                                    "after at least %d call.",
                                    "An appeal is closed without the applicant’s verdict only "
                                    "after at least %d calls.",
                                    SA_FEEDBACK_ATTEMPTS_MIN), SA_FEEDBACK_ATTEMPTS_MIN);
          return NULL;
        }
    }
  else
    {
      g_autofree char *comment = dup_comment (self);
      gboolean agree = gtk_check_button_get_active (self->agree_check);

      if (!agree && !gtk_check_button_get_active (self->disagree_check))
        {
          g_set_error_literal (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                               _("Choose whether the applicant agrees with the answer."));
          return NULL;
        }
      if (chosen_rating (self) == 0)
        {
          g_set_error_literal (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_INVALID_ARGS,
                               _("Choose the applicant’s rating, from 1 to 5."));
          return NULL;
        }
      json_object_set_boolean_member (args, "agree", agree);
      json_object_set_int_member (args, "rating", chosen_rating (self));
      if (*comment != '\0')
        json_object_set_string_member (args, "comment", comment);
    }

  /* The registry's own checks, so that what is recorded here is taken there. */
  ok = sa_op_validate_args (SA_OP_FEEDBACK, args, error);
  if (ok)
    {
      ok = sa_appeal_state_init_from_json (&state, self->appeal) &&
           sa_actor_init_from_json (&actor, self->user);
      if (!ok)
        g_set_error_literal (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_FORBIDDEN,
                             sa_rejection_message ("forbidden"));
      else
        ok = sa_op_check (SA_OP_FEEDBACK, &actor, &state, args, now, error);
      sa_appeal_state_clear (&state);
    }
  return ok ? g_steal_pointer (&args) : NULL;
}

static void
sa_verdict_dialog_validate (SaVerdictDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) args = sa_verdict_dialog_dup_args (self, &error);
  gboolean unreached = gtk_check_button_get_active (self->unreached_check);
  gboolean chosen = unreached || gtk_check_button_get_active (self->agree_check) ||
                    gtk_check_button_get_active (self->disagree_check);

  gtk_widget_set_visible (GTK_WIDGET (self->rating_group), !unreached);
  gtk_widget_set_visible (GTK_WIDGET (self->comment_group), !unreached);
  gtk_widget_set_visible (GTK_WIDGET (self->attempts_group), unreached);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verdict.accept", args != NULL);
  /* Nothing chosen yet is no mistake to point at. */
  gtk_label_set_text (self->hint, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint), error != NULL && chosen);
}

static void
changed_cb (SaVerdictDialog *self)
{
  sa_verdict_dialog_validate (self);
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SaVerdictDialog *self = SA_VERDICT_DIALOG (widget);
  g_autoptr(JsonObject) args = sa_verdict_dialog_dup_args (self, NULL);

  if (args == NULL)
    return;
  g_signal_emit (self, signals[ACCEPTED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

/**
 * sa_verdict_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @appeal: the answered appeal, as the registry's JSON
 * @user: the signed-in user
 *
 * Returns: (transfer none): a new modal dialog, not yet presented
 */
SaVerdictDialog *
sa_verdict_dialog_new (GtkWindow  *parent,
                       JsonObject *appeal,
                       JsonObject *user)
{
  SaVerdictDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (appeal != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  self = g_object_new (SA_TYPE_VERDICT_DIALOG, "transient-for", parent, NULL);
  self->appeal = json_object_ref (appeal);
  self->user = json_object_ref (user);
  adw_window_title_set_subtitle (self->window_title,
                                 json_object_get_string_member_with_default (appeal, "reg_number",
                                                                             NULL));
  sa_verdict_dialog_validate (self);
  return self;
}

static void
sa_verdict_dialog_dispose (GObject *object)
{
  SaVerdictDialog *self = SA_VERDICT_DIALOG (object);

  g_clear_pointer (&self->appeal, json_object_unref);
  g_clear_pointer (&self->user, json_object_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_VERDICT_DIALOG);
  G_OBJECT_CLASS (sa_verdict_dialog_parent_class)->dispose (object);
}

static void
sa_verdict_dialog_class_init (SaVerdictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_verdict_dialog_dispose;

  /**
   * SaVerdictDialog::accepted:
   * @self: the dialog
   *
   * The operator recorded a verdict the model takes; the dialog closes
   * after this signal.
   */
  signals[ACCEPTED] = g_signal_new ("accepted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-verdict-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SaVerdictDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SaVerdictDialog, agree_check);
  gtk_widget_class_bind_template_child (widget_class, SaVerdictDialog, disagree_check);
  gtk_widget_class_bind_template_child (widget_class, SaVerdictDialog, unreached_check);
  gtk_widget_class_bind_template_child (widget_class, SaVerdictDialog, unreached_row);
  gtk_widget_class_bind_template_child (widget_class, SaVerdictDialog, rating_group);
  gtk_widget_class_bind_template_child (widget_class, SaVerdictDialog, rating_box);
  gtk_widget_class_bind_template_child (widget_class, SaVerdictDialog, comment_group);
  gtk_widget_class_bind_template_child (widget_class, SaVerdictDialog, comment_view);
  gtk_widget_class_bind_template_child (widget_class, SaVerdictDialog, attempts_group);
  gtk_widget_class_bind_template_child (widget_class, SaVerdictDialog, attempts_spin);
  gtk_widget_class_bind_template_child (widget_class, SaVerdictDialog, hint);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);

  gtk_widget_class_install_action (widget_class, "verdict.accept", NULL, accept_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sa_verdict_dialog_init (SaVerdictDialog *self)
{
  g_autofree char *unreached = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  for (int i = 0; i < N_RATINGS; i++)
    {
      g_autofree char *label = g_strdup_printf ("%d", i + 1);
      /* Translators: a rating button for screen readers, "Rating 4 of 5" */
      g_autofree char *name = g_strdup_printf (_("Rating %d of 5"), i + 1);
      GtkWidget *button = gtk_toggle_button_new_with_label (label);

      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->ratings[0]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      g_signal_connect_object (button, "toggled", G_CALLBACK (changed_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_box_append (self->rating_box, button);
      self->ratings[i] = GTK_TOGGLE_BUTTON (button);
    }
  unreached = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "After at least %d call without an answer the appeal "
                                            "is closed without a verdict.",
                                            "After at least %d calls without an answer the appeal "
                                            "is closed without a verdict.",
                                            SA_FEEDBACK_ATTEMPTS_MIN), SA_FEEDBACK_ATTEMPTS_MIN);
  adw_action_row_set_subtitle (self->unreached_row, unreached);
  g_signal_connect_object (gtk_text_view_get_buffer (self->comment_view), "changed",
                           G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
}
