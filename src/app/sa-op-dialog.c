/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-op-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sa-workarounds.h"
#include "sa-op-dialog.h"

/* The dialog of an operation that needs more than a click: a choice (an
 * agency, a colleague), a text (a reason, a task) and a date (a due date),
 * each asked for only when the operation needs it. The suggested button
 * stays insensitive until every part asked for is valid; the caller reads
 * the parts in ::accepted and builds the operation. */

/* A list longer than this gets a search entry. */
#define SEARCH_FROM 8

struct _SaOpDialog
{
  AdwWindow             parent_instance;

  AdwWindowTitle       *window_title;
  GtkButton            *accept_button;
  GtkBox               *content;
  GtkLabel             *description;
  AdwPreferencesGroup  *choice_group;
  GtkSearchEntry       *choice_search;
  GtkListBox           *choice_list;
  GtkLabel             *choice_placeholder;
  AdwPreferencesGroup  *text_group;
  GtkTextView          *text_view;
  GtkLabel             *text_hint;
  AdwPreferencesGroup  *date_group;
  AdwActionRow         *date_row;
  GtkMenuButton        *date_button;
  GtkCalendar          *calendar;

  GtkCheckButton       *first_check;
  GtkWidget            *first_part;
  guint                 n_choices;
  char                 *empty_text;
  char                 *choice;
  guint                 max_chars;
  gint64                min_due;
  gint64                max_due;
  gint64                due;
  gboolean              selecting;
};

G_DEFINE_FINAL_TYPE (SaOpDialog, sa_op_dialog, ADW_TYPE_WINDOW)

enum {
  ACCEPTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GTimeZone *
almaty (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *tz = g_time_zone_new_identifier ("Asia/Almaty");

      g_once_init_leave (&zone, tz != NULL ? tz : g_time_zone_new_utc ());
    }
  return zone;
}

/* Dates are Almaty dates: that is what deadlines are counted in. */
static char *
format_date (gint64 t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, almaty ());

  /* Translators: a date as strftime() formats it, e.g. 23.11.2026 */
  return g_date_time_format (local, _("%d.%m.%Y"));
}

static char *
dup_text (SaOpDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static gboolean
text_is_valid (SaOpDialog *self)
{
  g_autofree char *text = NULL;
  glong n;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->text_group)))
    return TRUE;
  text = dup_text (self);
  n = g_utf8_strlen (text, -1);
  if (self->max_chars > 0 && n > (glong) self->max_chars)
    {
      guint over = n - self->max_chars;
      g_autofree char *hint = g_strdup_printf (ngettext ("Shorten the text by %u character.",
                                                         "Shorten the text by %u characters.",
                                                         over), over);

      gtk_label_set_text (self->text_hint, hint);
      gtk_widget_set_visible (GTK_WIDGET (self->text_hint), TRUE);
      return FALSE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->text_hint), FALSE);
  return n > 0;
}

static gboolean
date_is_valid (SaOpDialog *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->date_group)))
    return TRUE;
  return self->due != 0 && self->due >= self->min_due &&
         (self->max_due == 0 || self->due <= self->max_due);
}

/**
 * sa_op_dialog_is_valid:
 * @self: a #SaOpDialog
 *
 * Returns: whether every part the dialog asks for is given and valid,
 *   which is when its suggested button is sensitive
 */
gboolean
sa_op_dialog_is_valid (SaOpDialog *self)
{
  g_return_val_if_fail (SA_IS_OP_DIALOG (self), FALSE);

  if (gtk_widget_get_visible (GTK_WIDGET (self->choice_group)) && self->choice == NULL)
    return FALSE;
  /* Both run, so that each shows its own hint. */
  return text_is_valid (self) & date_is_valid (self);
}

static void
sa_op_dialog_validate (SaOpDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.accept",
                                 sa_op_dialog_is_valid (self));
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SaOpDialog *self = SA_OP_DIALOG (widget);

  if (!sa_op_dialog_is_valid (self))
    return;
  g_object_ref (self);
  g_signal_emit (self, signals[ACCEPTED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
text_changed_cb (SaOpDialog *self)
{
  sa_op_dialog_validate (self);
}

/* The due is the last second of the chosen Almaty date, as the registry
 * counts deadlines. */
static gint64
due_of_calendar (SaOpDialog *self)
{
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (self->calendar);
  g_autoptr(GDateTime) due = NULL;
  int y, m, d;

  g_date_time_get_ymd (picked, &y, &m, &d);
  due = g_date_time_new (almaty (), y, m, d, 23, 59, 59);
  return g_date_time_to_unix (due);
}

static void
sa_op_dialog_show_due (SaOpDialog *self)
{
  g_autofree char *text = self->due != 0 ? format_date (self->due) : NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_row),
                                 text != NULL ? text : _("Not chosen"));
  if (self->due != 0 && !date_is_valid (self))
    gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
}

static void
day_selected_cb (SaOpDialog *self)
{
  if (self->selecting)
    return;
  self->due = due_of_calendar (self);
  sa_op_dialog_show_due (self);
  gtk_menu_button_popdown (self->date_button);
  sa_op_dialog_validate (self);
}

static void
choice_toggled_cb (SaOpDialog     *self,
                   GtkCheckButton *check)
{
  if (!gtk_check_button_get_active (check))
    return;
  g_free (self->choice);
  self->choice = g_strdup (g_object_get_data (G_OBJECT (check), "value"));
  sa_op_dialog_validate (self);
}

static gboolean
choice_filter (GtkListBoxRow *row,
               gpointer       user_data)
{
  SaOpDialog *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->choice_search));
  const char *haystack = g_object_get_data (G_OBJECT (row), "haystack");
  g_autofree char *needle = NULL;

  if (query == NULL || *query == '\0')
    return TRUE;
  needle = g_utf8_casefold (query, -1);
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

/* The placeholder shows when no row does: with choices known, it is the
 * search that hid them all. */
static void
choice_search_cb (SaOpDialog *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->choice_search));

  if (self->n_choices > 0 && *query != '\0')
    {
      /* Translators: %s is what the user searched for */
      g_autofree char *text = g_strdup_printf (_("Nothing matches “%s”."), query);

      gtk_label_set_text (self->choice_placeholder, text);
    }
  else
    gtk_label_set_text (self->choice_placeholder, self->empty_text);
  gtk_list_box_invalidate_filter (self->choice_list);
}

/* The parts show in the order they are asked for. */
static void
sa_op_dialog_show_group (SaOpDialog          *self,
                         AdwPreferencesGroup *group)
{
  if (self->first_part == NULL)
    self->first_part = GTK_WIDGET (group);
  gtk_box_reorder_child_after (self->content, GTK_WIDGET (group),
                               gtk_widget_get_last_child (GTK_WIDGET (self->content)));
  gtk_widget_set_visible (GTK_WIDGET (group), TRUE);
}

/* The keyboard starts in the first part asked for, not on "Cancel". */
static void
sa_op_dialog_show (GtkWidget *widget)
{
  SaOpDialog *self = SA_OP_DIALOG (widget);
  GtkWidget *target = NULL;

  if (self->first_part == GTK_WIDGET (self->choice_group))
    target = gtk_widget_get_visible (GTK_WIDGET (self->choice_search))
             ? GTK_WIDGET (self->choice_search) : GTK_WIDGET (self->first_check);
  else if (self->first_part == GTK_WIDGET (self->text_group))
    target = GTK_WIDGET (self->text_view);
  else if (self->first_part == GTK_WIDGET (self->date_group))
    target = GTK_WIDGET (self->date_button);
  if (target != NULL)
    gtk_window_set_focus (GTK_WINDOW (self), target);

  GTK_WIDGET_CLASS (sa_op_dialog_parent_class)->show (widget);
}

static void
sa_op_dialog_dispose (GObject *object)
{
  SaOpDialog *self = SA_OP_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_OP_DIALOG);
  g_clear_pointer (&self->choice, g_free);
  g_clear_pointer (&self->empty_text, g_free);

  G_OBJECT_CLASS (sa_op_dialog_parent_class)->dispose (object);
}

static void
sa_op_dialog_class_init (SaOpDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_op_dialog_dispose;
  widget_class->show = sa_op_dialog_show;

  /**
   * SaOpDialog::accepted:
   * @self: the dialog
   *
   * The user confirmed with every part valid; the dialog closes after
   * this signal.
   */
  signals[ACCEPTED] = g_signal_new ("accepted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/sa-op-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, accept_button);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, content);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, description);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, choice_group);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, choice_search);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, choice_list);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, choice_placeholder);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, text_group);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, text_hint);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, date_group);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, date_button);
  gtk_widget_class_bind_template_child (widget_class, SaOpDialog, calendar);
  gtk_widget_class_bind_template_callback (widget_class, day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, choice_search_cb);

  gtk_widget_class_install_action (widget_class, "dialog.accept", NULL, accept_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static gboolean
accept_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  accept_action (widget, NULL, NULL);
  return TRUE;
}

/* Enter writes a new line in the text; Ctrl+Enter confirms, as in chat and
 * mail. Before the text view hears it (it would take Ctrl+Enter for a new
 * line too), and never a new line, even while the dialog is not valid. */
static void
add_ctrl_enter (GtkWidget       *window,
                GtkShortcutFunc  func,
                gpointer         data,
                GDestroyNotify   destroy)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutTrigger *trigger;

  trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                         gtk_keyval_trigger_new (GDK_KEY_KP_Enter,
                                                                 GDK_CONTROL_MASK));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (trigger,
                                                          gtk_callback_action_new (func, data,
                                                                                   destroy)));
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (window, controller);
}

static gboolean
respond_shortcut_cb (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (widget);
  const char *response = user_data;

  if (adw_message_dialog_get_response_enabled (dialog, response))
    {
      /* As its button does: the response, then the dialog closes. */
      adw_message_dialog_response (dialog, response);
      gtk_window_close (GTK_WINDOW (dialog));
    }
  return TRUE;
}

/**
 * sa_op_dialog_respond_on_ctrl_enter:
 * @dialog: a message dialog with a text to write
 * @response: the response Ctrl+Enter gives, e.g. "send"
 *
 * Ctrl+Enter in @dialog gives @response while it is enabled, as SaOpDialog
 * accepts; Enter stays a new line in the text.
 */
void
sa_op_dialog_respond_on_ctrl_enter (AdwMessageDialog *dialog,
                                    const char       *response)
{
  g_return_if_fail (ADW_IS_MESSAGE_DIALOG (dialog));
  g_return_if_fail (response != NULL);

  add_ctrl_enter (GTK_WIDGET (dialog), respond_shortcut_cb, g_strdup (response), g_free);
}

static void
sa_op_dialog_init (SaOpDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_ctrl_enter (GTK_WIDGET (self), accept_shortcut_cb, NULL, NULL);
  sa_menu_button_quiet_tooltip (self->date_button);
  sa_accessible_name_icon_buttons (GTK_WIDGET (self));
  gtk_list_box_set_filter_func (self->choice_list, choice_filter, self, NULL);
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (text_changed_cb), self, G_CONNECT_SWAPPED);
  sa_op_dialog_validate (self);
}

/**
 * sa_op_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @title: the dialog's title, e.g. "Forward the Appeal"
 * @description: (nullable): a sentence on what the operation does
 * @accept_label: the suggested button's label, with a mnemonic
 *
 * Returns: (transfer none): a new modal dialog, not yet presented
 */
SaOpDialog *
sa_op_dialog_new (GtkWindow  *parent,
                  const char *title,
                  const char *description,
                  const char *accept_label)
{
  SaOpDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (accept_label != NULL, NULL);

  self = g_object_new (SA_TYPE_OP_DIALOG, "transient-for", parent, "title", title, NULL);
  adw_window_title_set_title (self->window_title, title);
  gtk_button_set_label (self->accept_button, accept_label);
  gtk_label_set_text (self->description, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description), description != NULL);
  return self;
}

/**
 * sa_op_dialog_ask_choice:
 * @self: a #SaOpDialog
 * @title: what is chosen, e.g. "Agency"
 * @empty_text: what the list says when there is nothing to choose
 *
 * Asks for one of the choices added with sa_op_dialog_add_choice(). When
 * a search hides every choice, the list says that nothing matches instead.
 */
void
sa_op_dialog_ask_choice (SaOpDialog *self,
                         const char *title,
                         const char *empty_text)
{
  g_return_if_fail (SA_IS_OP_DIALOG (self));

  adw_preferences_group_set_title (self->choice_group, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->choice_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_free (self->empty_text);
  self->empty_text = g_strdup (empty_text);
  gtk_label_set_text (self->choice_placeholder, empty_text);
  sa_op_dialog_show_group (self, self->choice_group);
  sa_op_dialog_validate (self);
}

/**
 * sa_op_dialog_add_choice:
 * @self: a #SaOpDialog
 * @value: what sa_op_dialog_get_choice() returns when this is chosen
 * @title: the choice as the user reads it, e.g. an agency's name
 * @subtitle: (nullable): a second line, e.g. the agency's code
 */
void
sa_op_dialog_add_choice (SaOpDialog *self,
                         const char *value,
                         const char *title,
                         const char *subtitle)
{
  GtkWidget *row;
  GtkWidget *check;
  g_autofree char *haystack = NULL;

  g_return_if_fail (SA_IS_OP_DIALOG (self));
  g_return_if_fail (value != NULL && title != NULL);

  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  g_object_set_data_full (G_OBJECT (check), "value", g_strdup (value), g_free);
  if (self->first_check != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->first_check);
  else
    self->first_check = GTK_CHECK_BUTTON (check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (choice_toggled_cb), self,
                           G_CONNECT_SWAPPED);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  haystack = g_strconcat (title, "\n", subtitle ? subtitle : "", NULL);
  g_object_set_data_full (G_OBJECT (row), "haystack", g_utf8_casefold (haystack, -1), g_free);
  gtk_list_box_append (self->choice_list, row);

  self->n_choices++;
  gtk_widget_set_visible (GTK_WIDGET (self->choice_search), self->n_choices > SEARCH_FROM);
}

/**
 * sa_op_dialog_ask_text:
 * @self: a #SaOpDialog
 * @title: what is written, e.g. "Reason"
 * @description: (nullable): who reads it, or what it is for
 * @max_chars: the most characters allowed, 0 for no limit
 *
 * Asks for a text that is not blank. The parts show in the order they
 * are asked for.
 */
void
sa_op_dialog_ask_text (SaOpDialog *self,
                       const char *title,
                       const char *description,
                       guint       max_chars)
{
  g_return_if_fail (SA_IS_OP_DIALOG (self));

  adw_preferences_group_set_title (self->text_group, title);
  adw_preferences_group_set_description (self->text_group, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  self->max_chars = max_chars;
  sa_op_dialog_show_group (self, self->text_group);
  sa_op_dialog_validate (self);
}

/**
 * sa_op_dialog_ask_date:
 * @self: a #SaOpDialog
 * @title: what the date is, e.g. "Due Date"
 * @min_due: the earliest due allowed, unix seconds
 * @max_due: the latest due allowed, or 0 for none
 * @initial_due: the date chosen at first, or 0 to make the user choose
 *
 * Asks for an Almaty date. The due is the last second of that date
 * (23:59:59 Almaty), as the registry counts deadlines.
 */
void
sa_op_dialog_ask_date (SaOpDialog *self,
                       const char *title,
                       gint64      min_due,
                       gint64      max_due,
                       gint64      initial_due)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *range = NULL;
  g_autoptr(GDateTime) shown = NULL;

  g_return_if_fail (SA_IS_OP_DIALOG (self));

  self->min_due = min_due;
  self->max_due = max_due;
  adw_preferences_group_set_title (self->date_group, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->calendar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  first = format_date (min_due);
  if (max_due != 0)
    {
      last = format_date (max_due);
      /* Translators: the dates that may be chosen, e.g. From 12.12.2026 to 20.01.2027 */
      range = g_strdup_printf (_("From %s to %s"), first, last);
    }
  else
    /* Translators: the first date that may be chosen, e.g. From 12.12.2026 on */
    range = g_strdup_printf (_("From %s on"), first);
  adw_preferences_group_set_description (self->date_group, range);

  /* The calendar opens on the chosen date, or on the first one allowed. */
  shown = g_date_time_new_from_unix_utc (initial_due != 0 ? initial_due : min_due);
  if (shown != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (shown, almaty ());

      self->selecting = TRUE;
      gtk_calendar_select_day (self->calendar, local);
      self->selecting = FALSE;
    }
  self->due = initial_due != 0 ? due_of_calendar (self) : 0;
  sa_op_dialog_show_group (self, self->date_group);
  sa_op_dialog_show_due (self);
  sa_op_dialog_validate (self);
}

/**
 * sa_op_dialog_get_choice:
 * @self: a #SaOpDialog
 *
 * Returns: (nullable): the chosen value, or %NULL
 */
const char *
sa_op_dialog_get_choice (SaOpDialog *self)
{
  g_return_val_if_fail (SA_IS_OP_DIALOG (self), NULL);
  return self->choice;
}

/**
 * sa_op_dialog_dup_text:
 * @self: a #SaOpDialog
 *
 * Returns: (transfer full): the text, without leading or trailing blanks
 */
char *
sa_op_dialog_dup_text (SaOpDialog *self)
{
  g_return_val_if_fail (SA_IS_OP_DIALOG (self), NULL);
  return dup_text (self);
}

/**
 * sa_op_dialog_get_due:
 * @self: a #SaOpDialog
 *
 * Returns: 23:59:59 Almaty time of the chosen date, unix seconds, or 0
 */
gint64
sa_op_dialog_get_due (SaOpDialog *self)
{
  g_return_val_if_fail (SA_IS_OP_DIALOG (self), 0);
  return self->due;
}

/**
 * sa_op_dialog_dup_due_text:
 * @self: a #SaOpDialog
 *
 * Returns: (transfer full) (nullable): the due in RFC 3339 with the Almaty
 *   offset, e.g. `2026-12-25T23:59:59+05:00`, or %NULL when none is chosen
 */
char *
sa_op_dialog_dup_due_text (SaOpDialog *self)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (SA_IS_OP_DIALOG (self), NULL);

  if (self->due == 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (self->due);
  local = g_date_time_to_timezone (utc, almaty ());
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}
