/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-detail"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "sa-appeal-detail.h"
#include "sa-clock.h"
#include "sa-core.h"
#include "sa-countdown.h"
#include "sa-directory.h"
#include "sa-labels.h"
#include "sa-op-dialog.h"

/* Shows one appeal from its registry JSON and offers the operations the
 * signed-in user may do on it. It does not apply them: it emits
 * ::op-requested and the window writes the operation to the outbox. */

struct _SaAppealDetail
{
  GtkWidget       parent_instance;

  GtkStack       *stack;
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
  GtkLabel       *text;
  AdwActionRow   *applicant_row;
  AdwActionRow   *iin_row;
  GtkToggleButton *reveal_iin;
  AdwActionRow   *contact_row;
  AdwActionRow   *address_row;
  AdwActionRow   *channel_row;
  GtkListBox     *history;

  JsonObject     *appeal;
  JsonObject     *user;
  SaCache        *cache;
  char           *status_class;
  char           *legal_light;
  char           *operational_light;
  gboolean        folded;
};

G_DEFINE_FINAL_TYPE (SaAppealDetail, sa_appeal_detail, GTK_TYPE_WIDGET)

enum {
  OP_REQUESTED,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

GtkWidget *
sa_appeal_detail_new (void)
{
  return g_object_new (SA_TYPE_APPEAL_DETAIL, NULL);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (json_object_get_member (object, name)))
    return NULL;
  return json_object_get_string_member_with_default (object, name, NULL);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, name)))
    return NULL;
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Dates are shown in Almaty time, whatever the computer's zone: that is the
 * time the deadlines are set in and the time citizens are told. */
static char *
format_time (const char *rfc3339)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) almaty = NULL;

  if (rfc3339 == NULL || !(utc = g_date_time_new_from_iso8601 (rfc3339, NULL)))
    return g_strdup ("—");
  almaty = g_time_zone_new_identifier ("Asia/Almaty");
  if (almaty == NULL)
    almaty = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (utc, almaty);
  /* Translators: a date and time as strftime() formats it, e.g. 23.11.2026 14:05 */
  return g_date_time_format (local, _("%d.%m.%Y %H:%M"));
}

static gint64
member_time (JsonObject *object,
             const char *name)
{
  const char *text = member_string (object, name);
  g_autoptr(GDateTime) dt = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return dt ? g_date_time_to_unix (dt) : 0;
}

/* Both countdowns tick from the shared clock, which wakes only when the
 * text or the colour of one of them changes. */
static void
sa_appeal_detail_refresh_countdowns (SaAppealDetail *self)
{
  SaClock *clock = sa_clock_get_default ();
  gint64 now = sa_clock_get_now (clock) / G_USEC_PER_SEC;
  gint64 received, legal_due, operational_due, next = G_MAXINT64;

  if (self->appeal == NULL)
    return;

  received = member_time (self->appeal, "received_at");
  legal_due = member_time (self->appeal, "legal_due_at");
  operational_due = member_time (self->appeal, "operational_due_at");

  gtk_widget_set_visible (GTK_WIDGET (self->legal_row), legal_due != 0);
  if (legal_due != 0)
    next = MIN (next, sa_countdown_apply (self->legal_countdown, &self->legal_light,
                                          received, legal_due, now, SA_COUNTDOWN_LONG, NULL));

  gtk_widget_set_visible (GTK_WIDGET (self->operational_row), operational_due != 0);
  if (operational_due != 0)
    next = MIN (next, sa_countdown_apply (self->operational_countdown, &self->operational_light,
                                          received, operational_due, now, SA_COUNTDOWN_LONG,
                                          NULL));

  if (next != G_MAXINT64)
    sa_clock_request_wakeup (clock, next);
}

static void
clock_tick_cb (SaAppealDetail *self,
               gint64          now_usec,
               SaClock        *clock)
{
  sa_appeal_detail_refresh_countdowns (self);
}

static gboolean
sa_appeal_detail_user_is (SaAppealDetail *self,
                          const char     *role)
{
  return g_strcmp0 (member_string (self->user, "role"), role) == 0;
}

static gboolean
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

/* Whether the user's agency sees the appeal: the lead agency, a
 * co-executor or an agency it was escalated to (sa-registry-rights.c). */
static gboolean
sa_appeal_detail_in_my_agency (SaAppealDetail *self)
{
  const char *mine = member_string (self->user, "agency");

  if (mine == NULL || self->appeal == NULL)
    return FALSE;
  return g_strcmp0 (member_string (self->appeal, "agency"), mine) == 0 ||
         array_has_string (self->appeal, "coexecutors", mine) ||
         array_has_string (self->appeal, "escalated_to", mine);
}

static gboolean
status_is_open (const char *status)
{
  return g_strcmp0 (status, "registered") == 0 || g_strcmp0 (status, "in_progress") == 0 ||
         g_strcmp0 (status, "info_requested") == 0 || g_strcmp0 (status, "reopened") == 0;
}

/* The working calendar: the bounds of an extension (docs/sla.md,
 * "Extension") and the first day an escalation may be due. */
static SaCalendar *
sa_appeal_detail_calendar (void)
{
  static SaCalendar *calendar;

  if (g_once_init_enter (&calendar))
    g_once_init_leave (&calendar, sa_calendar_new_default ());
  return calendar;
}

/* Mirrors the registry's rules (sa-registry-ops.c) so that the user is not
 * offered what would be rejected; the registry still decides. "Lead" is a
 * worker of the lead agency; co-executors and escalated agencies see the
 * appeal and may comment, nothing more. */
static void
sa_appeal_detail_update_actions (SaAppealDetail *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const char *status = member_string (self->appeal, "status");
  const char *executor = member_string (self->appeal, "executor");
  const char *login = member_string (self->user, "login");
  gboolean worker = sa_appeal_detail_user_is (self, "executor") ||
                    sa_appeal_detail_user_is (self, "supervisor") ||
                    sa_appeal_detail_user_is (self, "ksk_manager");
  gboolean lead = self->appeal != NULL && worker &&
                  g_strcmp0 (member_string (self->user, "agency"),
                             member_string (self->appeal, "agency")) == 0;
  gboolean supervisor = lead && sa_appeal_detail_user_is (self, "supervisor");
  gboolean open = status_is_open (status);
  gboolean operator_on_queue = self->appeal != NULL &&
                               sa_appeal_detail_user_is (self, "operator") &&
                               g_strcmp0 (status, "registered") == 0;
  gboolean is_executor = executor != NULL && g_strcmp0 (executor, login) == 0;
  gboolean has_cache = self->cache != NULL;

  gtk_widget_action_set_enabled (widget, "detail.take",
                                 lead && open && !is_executor &&
                                 (executor == NULL || supervisor));
  /* The appeal is already the user's: Take has nothing to offer. */
  gtk_widget_set_visible (self->take_button, self->appeal != NULL && !is_executor);
  gtk_widget_action_set_enabled (widget, "detail.comment",
                                 worker && sa_appeal_detail_in_my_agency (self) &&
                                 g_strcmp0 (status, "archived") != 0);
  gtk_widget_action_set_enabled (widget, "detail.request-info",
                                 lead && open && g_strcmp0 (status, "info_requested") != 0);
  gtk_widget_action_set_enabled (widget, "detail.set-priority",
                                 (supervisor && open) || operator_on_queue);
  /* The lists to choose from come from the cache. */
  gtk_widget_action_set_enabled (widget, "detail.assign", has_cache && supervisor && open);
  gtk_widget_action_set_enabled (widget, "detail.forward",
                                 has_cache && ((lead && open) || operator_on_queue));
  gtk_widget_action_set_enabled (widget, "detail.escalate", has_cache && lead && open);
  gtk_widget_action_set_enabled (widget, "detail.extend",
                                 supervisor && open &&
                                 member_string (self->appeal, "received_at") != NULL);
}

static void
sa_appeal_detail_show_iin (SaAppealDetail *self)
{
  const char *iin = member_string (member_object (self->appeal, "applicant"), "iin");
  g_autofree char *masked = sa_iin_mask (iin);

  adw_action_row_set_subtitle (self->iin_row,
                               gtk_toggle_button_get_active (self->reveal_iin) ? iin : masked);
}

static void
reveal_iin_cb (SaAppealDetail *self)
{
  sa_appeal_detail_show_iin (self);
}

static GtkWidget *
sa_appeal_detail_history_row (JsonObject *event)
{
  const char *type = member_string (event, "type");
  const char *actor = member_string (event, "actor");
  JsonObject *payload = member_object (event, "payload");
  const char *note = member_string (payload, "text");
  g_autofree char *when = format_time (member_string (event, "at"));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  if (note == NULL)
    note = member_string (payload, "reason");
  subtitle = g_strdup_printf ("%s · %s%s%s", when, actor ? actor : "—",
                              note ? "\n" : "", note ? note : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sa_labels_event (type));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

/**
 * sa_appeal_detail_set_appeal:
 * @self: a #SaAppealDetail
 * @appeal: (nullable): the appeal as the registry's JSON, or %NULL for none
 *
 * Shows @appeal. The IIN is masked again for every newly shown appeal.
 */
void
sa_appeal_detail_set_appeal (SaAppealDetail *self,
                             JsonObject     *appeal)
{
  JsonObject *applicant;
  JsonObject *address;
  JsonNode *history;
  GtkWidget *child;
  g_autofree char *received = NULL;
  g_autofree char *legal = NULL;
  g_autofree char *operational = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *address_text = NULL;
  g_autofree char *channel_text = NULL;
  g_autofree char *district_name = NULL;
  const char *phone, *email, *district, *street;

  g_return_if_fail (SA_IS_APPEAL_DETAIL (self));

  if (appeal != NULL)
    json_object_ref (appeal);
  g_clear_pointer (&self->appeal, json_object_unref);
  self->appeal = appeal;

  /* With no appeal there is nothing to act on: no greyed-out Take (the
   * actions' update hides it too for an appeal that is already the user's). */
  gtk_widget_set_visible (self->take_button, appeal != NULL);
  gtk_widget_set_visible (self->more_button, appeal != NULL);
  if (appeal == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      sa_appeal_detail_update_actions (self);
      return;
    }

  gtk_label_set_text (self->reg_number, member_string (appeal, "reg_number"));
  gtk_widget_set_visible (GTK_WIDGET (self->repeat_badge),
                          json_object_get_boolean_member_with_default (appeal, "is_repeat", FALSE));
  gtk_label_set_text (self->status_badge, sa_labels_status (member_string (appeal, "status")));
  if (self->status_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_badge), self->status_class);
  g_free (self->status_class);
  self->status_class = g_strdup (sa_labels_status_style (member_string (appeal, "status")));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_badge), self->status_class);

  gtk_label_set_text (self->category, member_string (appeal, "category_name")
                                        ?: member_string (appeal, "category"));
  gtk_label_set_text (self->text, member_string (appeal, "text"));

  legal = format_time (member_string (appeal, "legal_due_at"));
  adw_action_row_set_subtitle (self->legal_row, legal);
  operational = format_time (member_string (appeal, "operational_due_at"));
  adw_action_row_set_subtitle (self->operational_row, operational);
  sa_appeal_detail_refresh_countdowns (self);

  applicant = member_object (appeal, "applicant");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->applicant_row),
                                 member_string (applicant, "name") ?: _("Anonymous"));
  gtk_toggle_button_set_active (self->reveal_iin, FALSE);
  sa_appeal_detail_show_iin (self);
  phone = member_string (applicant, "phone");
  email = member_string (applicant, "email");
  contact = g_strjoin (" · ", phone ? phone : "—", email, NULL);
  adw_action_row_set_subtitle (self->contact_row, contact);

  address = member_object (appeal, "address");
  district = member_string (address, "district");
  street = member_string (address, "text");
  /* The district's name in the user's language; its code when unknown. */
  if (self->cache != NULL)
    district_name = sa_directory_dup_district_name (self->cache, district, NULL);
  address_text = g_strjoin (" · ", street ? street : "—",
                            district_name ? district_name : district, NULL);
  adw_action_row_set_subtitle (self->address_row, address_text);

  received = format_time (member_string (appeal, "received_at"));
  channel_text = g_strdup_printf ("%s · %s", received,
                                  sa_labels_channel (member_string (appeal, "channel")));
  adw_action_row_set_subtitle (self->channel_row, channel_text);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history))))
    gtk_list_box_remove (self->history, child);
  history = json_object_get_member (appeal, "history");
  if (history != NULL && JSON_NODE_HOLDS_ARRAY (history))
    {
      JsonArray *events = json_node_get_array (history);

      /* Newest first: what happened last is what the executor needs. */
      for (guint i = json_array_get_length (events); i > 0; i--)
        {
          JsonObject *event = json_array_get_object_element (events, i - 1);

          if (event != NULL)
            gtk_list_box_append (self->history, sa_appeal_detail_history_row (event));
        }
    }

  gtk_stack_set_visible_child_name (self->stack, "appeal");
  sa_appeal_detail_update_actions (self);
}

JsonObject *
sa_appeal_detail_get_appeal (SaAppealDetail *self)
{
  g_return_val_if_fail (SA_IS_APPEAL_DETAIL (self), NULL);
  return self->appeal;
}

/**
 * sa_appeal_detail_set_user:
 * @self: a #SaAppealDetail
 * @user: (nullable): the signed-in user as the registry describes it
 *
 * Sets who is looking, which decides the operations offered.
 */
void
sa_appeal_detail_set_user (SaAppealDetail *self,
                           JsonObject     *user)
{
  g_return_if_fail (SA_IS_APPEAL_DETAIL (self));

  if (user != NULL)
    json_object_ref (user);
  g_clear_pointer (&self->user, json_object_unref);
  self->user = user;
  sa_appeal_detail_update_actions (self);
}

/**
 * sa_appeal_detail_set_cache:
 * @self: a #SaAppealDetail
 * @cache: (nullable): the signed-in account's cache, or %NULL
 *
 * Sets where the agencies and colleagues offered by "Assign", "Forward"
 * and "Escalate" are read from; without a cache those actions are off.
 */
void
sa_appeal_detail_set_cache (SaAppealDetail *self,
                            SaCache        *cache)
{
  g_return_if_fail (SA_IS_APPEAL_DETAIL (self));
  g_return_if_fail (cache == NULL || SA_IS_CACHE (cache));

  if (g_set_object (&self->cache, cache))
    sa_appeal_detail_update_actions (self);
}

static void
sa_appeal_detail_request (SaAppealDetail *self,
                          const char     *type,
                          JsonObject     *args)
{
  g_autoptr(JsonObject) owned = args ? args : json_object_new ();

  g_signal_emit (self, signals[OP_REQUESTED], 0, type, owned);
}

static void
take_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  sa_appeal_detail_request (SA_APPEAL_DETAIL (widget), "take", NULL);
}

static void
set_priority_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  JsonObject *args = json_object_new ();

  json_object_set_string_member (args, "priority", g_variant_get_string (param, NULL));
  sa_appeal_detail_request (SA_APPEAL_DETAIL (widget), "set_priority", args);
}

static void
text_dialog_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         SaAppealDetail   *self)
{
  GtkTextView *view = g_object_get_data (G_OBJECT (dialog), "text-view");
  const char *type = g_object_get_data (G_OBJECT (dialog), "op-type");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  JsonObject *args;

  if (!g_str_equal (response, "send"))
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (*text == '\0')
    return;
  args = json_object_new ();
  json_object_set_string_member (args, "text", text);
  sa_appeal_detail_request (self, type, args);
}

/* One dialog for the operations that only need a sentence from the user. */
static void
sa_appeal_detail_ask_text (SaAppealDetail *self,
                           const char     *type,
                           const char     *heading,
                           const char     *body,
                           const char     *send_label)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *frame;
  GtkWidget *view;

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
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), frame);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "send", send_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "send");
  g_object_set_data (G_OBJECT (dialog), "text-view", view);
  g_object_set_data_full (G_OBJECT (dialog), "op-type", g_strdup (type), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (text_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (view);
}

static void
comment_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  sa_appeal_detail_ask_text (SA_APPEAL_DETAIL (widget), "comment",
                             _("Add a Comment"),
                             _("Colleagues who can see this appeal will read it; the applicant will not."),
                             _("_Add"));
}

static void
request_info_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  sa_appeal_detail_ask_text (SA_APPEAL_DETAIL (widget), "request_info",
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
  sa_appeal_detail_request (self, "assign", args);
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
  sa_appeal_detail_request (self, "forward", args);
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
                         _("Why the appeal belongs to that agency. Both agencies will see it."), 0);
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
  sa_appeal_detail_request (self, "escalate", args);
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
  /* The registry's limit for a task's text (COMMENT_MAX). */
  sa_op_dialog_ask_text (dialog, _("What Must Be Done"), NULL, 5000);
  sa_op_dialog_ask_date (dialog, _("Due Date"),
                         sa_calendar_day_end (sa_appeal_detail_calendar (), now), 0, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
extend_accepted_cb (SaAppealDetail *self,
                    SaOpDialog     *dialog)
{
  JsonObject *args = json_object_new ();

  take_string_member (args, "due_at", sa_op_dialog_dup_due_text (dialog));
  take_string_member (args, "reason", sa_op_dialog_dup_text (dialog));
  sa_appeal_detail_request (self, "extend", args);
}

static void
extend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SaAppealDetail *self = SA_APPEAL_DETAIL (widget);
  SaCalendar *cal = sa_appeal_detail_calendar ();
  gint64 received = member_time (self->appeal, "received_at");
  gint64 current = member_time (self->appeal, "legal_due_at");
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
  sa_op_dialog_ask_text (dialog, _("Reason"), _("The applicant is told this reason."), 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sa_appeal_detail_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SaAppealDetail *self = SA_APPEAL_DETAIL (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_appeal_detail_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SaAppealDetail *self = SA_APPEAL_DETAIL (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_appeal_detail_dispose (GObject *object)
{
  SaAppealDetail *self = SA_APPEAL_DETAIL (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_APPEAL_DETAIL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_pointer (&self->appeal, json_object_unref);
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->status_class, g_free);
  g_clear_pointer (&self->legal_light, g_free);
  g_clear_pointer (&self->operational_light, g_free);

  G_OBJECT_CLASS (sa_appeal_detail_parent_class)->dispose (object);
}

static void
sa_appeal_detail_class_init (SaAppealDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_appeal_detail_dispose;
  object_class->get_property = sa_appeal_detail_get_property;
  object_class->set_property = sa_appeal_detail_set_property;

  /**
   * SaAppealDetail:folded:
   *
   * Whether the window is too narrow to show the list beside the detail,
   * so the detail shows a back button and the window buttons.
   */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SaAppealDetail::op-requested:
   * @self: the detail view
   * @type: the operation, e.g. `take` or `comment`
   * @args: the operation's arguments
   *
   * The user asked for an operation on the shown appeal.
   */
  signals[OP_REQUESTED] =
    g_signal_new ("op-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-appeal-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, take_button);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, more_button);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, reg_number);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, repeat_badge);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, status_badge);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, category);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, legal_row);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, legal_countdown);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, operational_row);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, operational_countdown);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, text);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, applicant_row);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, iin_row);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, reveal_iin);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, contact_row);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, address_row);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, channel_row);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, history);
  gtk_widget_class_bind_template_callback (widget_class, reveal_iin_cb);

  gtk_widget_class_install_action (widget_class, "detail.take", NULL, take_action);
  gtk_widget_class_install_action (widget_class, "detail.comment", NULL, comment_action);
  gtk_widget_class_install_action (widget_class, "detail.request-info", NULL, request_info_action);
  gtk_widget_class_install_action (widget_class, "detail.set-priority", "s", set_priority_action);
  gtk_widget_class_install_action (widget_class, "detail.assign", NULL, assign_action);
  gtk_widget_class_install_action (widget_class, "detail.forward", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "detail.escalate", NULL, escalate_action);
  gtk_widget_class_install_action (widget_class, "detail.extend", NULL, extend_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sa_appeal_detail_init (SaAppealDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sa_appeal_detail_update_actions (self);
  g_signal_connect_object (sa_clock_get_default (), "tick", G_CALLBACK (clock_tick_cb), self,
                           G_CONNECT_SWAPPED);
}
