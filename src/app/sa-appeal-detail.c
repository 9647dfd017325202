/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-detail"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "sa-appeal-detail-private.h"
#include "sa-appeal-model.h"
#include "sa-attachments-view.h"
#include "sa-clock.h"
#include "sa-core.h"
#include "sa-countdown.h"
#include "sa-directory.h"
#include "sa-history.h"
#include "sa-labels.h"
#include "sa-workarounds.h"

/* Shows one appeal from its registry JSON and offers the operations the
 * signed-in user may do on it. It does not apply them: it emits
 * ::op-requested and the window writes the operation to the outbox. */

G_DEFINE_FINAL_TYPE (SaAppealDetail, sa_appeal_detail, GTK_TYPE_WIDGET)

static void sa_appeal_detail_set_priority (SaAppealDetail *self,
                                           const char     *priority);

enum {
  OP_REQUESTED,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_FOLDED,
  PROP_PRIORITY,
  N_PROPS
};

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

GtkWidget *
sa_appeal_detail_new (void)
{
  return g_object_new (SA_TYPE_APPEAL_DETAIL, NULL);
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

/* One deadline's row: a live countdown while the clock runs, how it
 * ended once the appeal is answered, nothing when the clock stopped
 * without an answer. Returns when it next changes (unix µs). */
static gint64
sa_appeal_detail_show_deadline (SaAppealDetail *self,
                                AdwActionRow   *row,
                                GtkLabel       *chip,
                                char          **light,
                                SaDeadline      deadline,
                                gint64          now)
{
  const char *status = member_string (self->appeal, "status");
  gint64 received = member_time (self->appeal, SA_APPEAL_FIELD_RECEIVED_AT);
  gint64 due = member_time (self->appeal, sa_deadline_field (deadline));
  gint64 answered = member_time (self->appeal, SA_APPEAL_FIELD_ANSWERED_AT);

  gtk_widget_set_visible (GTK_WIDGET (row), due != 0);
  if (due == 0)
    return G_MAXINT64;
  if (sa_appeal_status_name_in (status, SA_STATUS_SET_CLOCK_RUNNING))
    {
      gtk_widget_set_visible (GTK_WIDGET (chip), TRUE);
      return sa_countdown_apply (chip, light, received, due, now,
                                 sa_appeal_notice_due (self->appeal), SA_COUNTDOWN_LONG, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (chip), answered != 0);
  if (answered != 0)
    sa_countdown_apply_outcome (chip, light, answered, due, SA_COUNTDOWN_LONG);
  return G_MAXINT64;
}

/* Both countdowns tick from the shared clock, which wakes only when the
 * text or the colour of one of them changes. */
static void
sa_appeal_detail_refresh_countdowns (SaAppealDetail *self)
{
  SaClock *clock = sa_clock_get_default ();
  gint64 now = sa_clock_get_now (clock) / G_USEC_PER_SEC;
  gint64 next;

  if (self->appeal == NULL)
    return;

  /* Red whatever the time left, and saying why (docs/replies.md). */
  gtk_widget_set_visible (GTK_WIDGET (self->notice_late),
                          sa_appeal_status_name_in (member_string (self->appeal, "status"),
                                                    SA_STATUS_SET_CLOCK_RUNNING) &&
                          sa_sla_notice_is_late (sa_appeal_notice_due (self->appeal), now));
  next = MIN (sa_appeal_detail_show_deadline (self, self->legal_row, self->legal_countdown,
                                              &self->legal_light, SA_DEADLINE_LEGAL, now),
              sa_appeal_detail_show_deadline (self, self->operational_row,
                                              self->operational_countdown,
                                              &self->operational_light,
                                              SA_DEADLINE_RESOLUTION, now));
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

/* The working calendar: the bounds of an extension (docs/sla.md,
 * "Extension") and the first day an escalation may be due. */
SaCalendar *
_sa_appeal_detail_calendar (void)
{
  static SaCalendar *calendar;

  if (g_once_init_enter (&calendar))
    g_once_init_leave (&calendar, sa_calendar_new_default ());
  return calendar;
}

/* Offers what the appeal model allows (sa_op_check(), the registry's own
 * rules), so that the user is not offered what would be rejected; the
 * registry still decides. */
static const struct
{
  const char *action;
  SaOpType    type;
  gboolean    needs_cache;  /* its choices come from the cache */
  gboolean    reviews;      /* checked on the reply that awaits the user's review */
} detail_actions[] = {
  { "detail.take", SA_OP_TAKE, FALSE },
  { "detail.comment", SA_OP_COMMENT, FALSE },
  { "detail.request-info", SA_OP_REQUEST_INFO, FALSE },
  { "detail.set-priority", SA_OP_SET_PRIORITY, FALSE },
  { "detail.assign", SA_OP_ASSIGN, TRUE },
  { "detail.forward", SA_OP_FORWARD, TRUE },
  { "detail.escalate", SA_OP_ESCALATE, TRUE },
  { "detail.extend", SA_OP_EXTEND, FALSE },
  { "detail.attach", SA_OP_ATTACH, FALSE },
  { "detail.reply", SA_OP_REPLY_SAVE, TRUE },
  { "detail.review-reply", SA_OP_REPLY_RETURN, FALSE, TRUE },
  { "detail.record-verdict", SA_OP_FEEDBACK, FALSE },
  { "detail.quick-answer", SA_OP_QUICK_ANSWER, TRUE },
  { "detail.record-info", SA_OP_INFO_RECEIVED, FALSE },
};

static void
sa_appeal_detail_update_actions (SaAppealDetail *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gint64 now = sa_clock_get_now (sa_clock_get_default ()) / G_USEC_PER_SEC;
  SaAppealState state = { 0 };
  SaActor actor;
  gboolean known = FALSE, is_executor;

  if (self->appeal != NULL)
    known = sa_appeal_state_init_from_json (&state, self->appeal);
  known &= sa_actor_init_from_json (&actor, self->user);

  for (guint i = 0; i < G_N_ELEMENTS (detail_actions); i++)
    {
      g_autoptr(JsonObject) args = detail_actions[i].reviews && known
                                   ? _sa_appeal_detail_dup_review_args (self) : NULL;

      gtk_widget_action_set_enabled (widget, detail_actions[i].action,
                                     known && (!detail_actions[i].needs_cache ||
                                               self->cache != NULL) &&
                                     (!detail_actions[i].reviews || args != NULL) &&
                                     sa_op_check (detail_actions[i].type, &actor, &state, args,
                                                  now, NULL));
    }
  sa_attachments_view_set_can_attach (self->attachments,
                                      known && sa_op_check (SA_OP_ATTACH, &actor, &state, NULL,
                                                            now, NULL));
  /* The appeal is already the user's: Take has nothing to offer. */
  is_executor = known && state.executor != NULL && g_strcmp0 (state.executor, actor.login) == 0;
  gtk_widget_set_visible (self->take_button, self->appeal != NULL && !is_executor);
  sa_appeal_state_clear (&state);
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
sa_appeal_detail_history_row (SaAppealDetail *self,
                              JsonObject     *event)
{
  g_autofree char *when_who = sa_history_when_who (event, self->cache);
  g_autofree char *what = sa_history_describe_in (event, self->appeal, self->cache);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  subtitle = *what != '\0' ? g_strconcat (what, "\n", when_who, NULL) : g_strdup (when_who);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 sa_labels_event (member_string (event, "type")));
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

  /* Another appeal is read from its top; the same one, changed, stays where the reader is. */
  if (appeal == NULL || self->appeal == NULL ||
      g_strcmp0 (member_string (appeal, "id"), member_string (self->appeal, "id")) != 0)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled), 0);

  if (appeal != NULL)
    json_object_ref (appeal);
  g_clear_pointer (&self->appeal, json_object_unref);
  self->appeal = appeal;
  sa_attachments_view_set_appeal (self->attachments, appeal);
  sa_replies_view_set_appeal (self->replies, appeal);

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

  sa_appeal_detail_set_priority (self, member_string (appeal, "priority"));
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

  legal = format_time (member_string (appeal, sa_deadline_field (SA_DEADLINE_LEGAL)));
  adw_action_row_set_subtitle (self->legal_row, legal);
  operational = format_time (member_string (appeal, sa_deadline_field (SA_DEADLINE_RESOLUTION)));
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

  received = format_time (member_string (appeal, SA_APPEAL_FIELD_RECEIVED_AT));
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
            gtk_list_box_append (self->history, sa_appeal_detail_history_row (self, event));
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
    {
      sa_replies_view_set_cache (self->replies, cache);
      sa_appeal_detail_update_actions (self);
    }
}

void
_sa_appeal_detail_request (SaAppealDetail *self,
                           SaOpType        type,
                           JsonObject     *args)
{
  g_autoptr(JsonObject) owned = args ? args : json_object_new ();

  g_signal_emit (self, signals[OP_REQUESTED], 0, sa_op_type_to_string (type), owned);
}

/* The priority menu shows the appeal's priority as its choice; choosing
 * another asks for the change, choosing the same one does nothing. */
static void
sa_appeal_detail_set_priority (SaAppealDetail *self,
                               const char     *priority)
{
  /* The action's state is never empty. */
  if (priority == NULL)
    priority = sa_priority_to_string (SA_PRIORITY_NORMAL);
  if (g_strcmp0 (self->priority, priority) == 0)
    return;
  g_free (self->priority);
  self->priority = g_strdup (priority);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
}

/**
 * sa_appeal_detail_set_sync_engine:
 * @self: a #SaAppealDetail
 * @engine: (nullable): the signed-in account's engine, for files
 */
void
sa_appeal_detail_set_sync_engine (SaAppealDetail *self,
                                  SaSyncEngine   *engine)
{
  g_return_if_fail (SA_IS_APPEAL_DETAIL (self));
  sa_attachments_view_set_sync_engine (self->attachments, engine);
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

    case PROP_PRIORITY:
      g_value_set_string (value, self->priority);
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

    case PROP_PRIORITY:
      {
        const char *priority = g_value_get_string (value);

        /* Set by the menu's action: a change the user asked for. */
        if (self->appeal != NULL && priority != NULL &&
            g_strcmp0 (priority, member_string (self->appeal, "priority")) != 0)
          {
            JsonObject *args = json_object_new ();

            json_object_set_string_member (args, "priority", priority);
            _sa_appeal_detail_request (self, SA_OP_SET_PRIORITY, args);
          }
        sa_appeal_detail_set_priority (self, priority);
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
  g_clear_pointer (&self->priority, g_free);

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

  /**
   * SaAppealDetail:priority:
   *
   * The shown appeal's priority; setting another one asks for the change
   * (the priority menu's `detail.set-priority` action).
   */
  properties[PROP_PRIORITY] =
    g_param_spec_string ("priority", NULL, NULL, NULL,
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

  g_type_ensure (SA_TYPE_ATTACHMENTS_VIEW);
  g_type_ensure (SA_TYPE_REPLIES_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-appeal-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, scrolled);
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
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, notice_late);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, text);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, applicant_row);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, iin_row);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, reveal_iin);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, contact_row);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, address_row);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, channel_row);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, history);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, attachments);
  gtk_widget_class_bind_template_child (widget_class, SaAppealDetail, replies);
  gtk_widget_class_bind_template_callback (widget_class, reveal_iin_cb);
  _sa_appeal_detail_class_init_actions (widget_class);
  _sa_appeal_detail_class_init_review (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sa_appeal_detail_init (SaAppealDetail *self)
{
  self->priority = g_strdup (sa_priority_to_string (SA_PRIORITY_NORMAL));
  gtk_widget_init_template (GTK_WIDGET (self));
  sa_menu_button_quiet_tooltip (GTK_MENU_BUTTON (self->more_button));
  /* A file dropped anywhere on the appeal is attached to it. */
  sa_attachments_view_add_drop_target (self->attachments, GTK_WIDGET (self));
  sa_appeal_detail_update_actions (self);
  g_signal_connect_object (sa_clock_get_default (), "tick", G_CALLBACK (clock_tick_cb), self,
                           G_CONNECT_SWAPPED);
}
