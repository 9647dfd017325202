/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-notifier"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sa-appeal-list.h"
#include "sa-notifier.h"
#include "sa-sla.h"

/* Desktop notifications about the signed-in user's open appeals: one newly
 * assigned by someone else, one turning red, one becoming overdue, and a
 * reply the user wrote that a supervisor approved or returned (see
 * docs/notifications.md). The notifier keeps a list of its own on the "mine"
 * section, which is a handful of appeals, and remembers each one's last
 * traffic light. It looks again when that list changes and when the shared
 * clock wakes it, at the exact second the next light of any of them changes;
 * there is no polling. */

/* An assignment is news if the registry recorded it no earlier than this
 * before the notifier started; the registry's clock may run a little behind
 * this computer's. Older ones arrive with the first sync or after a reset. */
#define RECENT_SLACK (10 * 60)

typedef enum
{
  KIND_ASSIGNED,
  KIND_RED,
  KIND_OVERDUE,
  N_KINDS
} Kind;

static const struct
{
  const char *suffix;   /* of the notification's id */
  const char *key;      /* the GSettings switch */
} kinds[N_KINDS] = {
  { "assigned", "notify-assigned" },
  { "red", "notify-red" },
  { "overdue", "notify-overdue" },
};

/* The reply notices, apart from the kinds above: they speak of a decision
 * taken, and stay when the appeal leaves "mine" (as an approved answer
 * makes it). */
typedef enum
{
  REPLY_SENT,
  REPLY_RETURNED,
} ReplyNews;

#define REPLIES_KEY "notify-replies"

typedef struct
{
  char           *id;
  char           *reg_number;
  char           *summary;
  GHashTable     *replies;  /* reply id → state, of the replies the user wrote */
  gint64          start;
  gint64          due;      /* the nearer deadline; SA_SLA_NO_DUE when none */
  SaTrafficLight  light;    /* as last seen */
  gboolean        unread;
  guint           shown;    /* 1 << Kind for each notification sent and not withdrawn */
} Watched;

struct _SaNotifier
{
  GObject        parent_instance;

  GApplication  *app;       /* weak */
  SaCache       *cache;
  SaClock       *clock;
  SaAppealList  *list;
  GSettings     *settings;
  GHashTable    *watched;   /* appeal id → Watched */
  GHashTable    *reply_notices; /* ids of the reply notices on screen */
  GSource       *idle;
  gulong         tick_handler;
  gint64         started_at;
  gboolean       initialized;
};

G_DEFINE_FINAL_TYPE (SaNotifier, sa_notifier, G_TYPE_OBJECT)

enum {
  SEND_NOTIFICATION,
  WITHDRAW_NOTIFICATION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
watched_free (gpointer data)
{
  Watched *w = data;

  g_free (w->id);
  g_free (w->reg_number);
  g_free (w->summary);
  g_clear_pointer (&w->replies, g_hash_table_unref);
  g_free (w);
}

static char *
notification_id (const char *appeal_id,
                 Kind        kind)
{
  return g_strdup_printf ("appeal-%s-%s", appeal_id, kinds[kind].suffix);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* "осталось 2 часа" opens the body, so it starts with a capital. */
static char *
capitalize (const char *text)
{
  char first[6];
  int len;

  if (text == NULL || *text == '\0')
    return g_strdup (text);
  len = g_unichar_to_utf8 (g_unichar_totitle (g_utf8_get_char (text)), first);
  return g_strdup_printf ("%.*s%s", len, first, g_utf8_next_char (text));
}

static void
withdraw (SaNotifier *self,
          Watched    *w,
          Kind        kind)
{
  g_autofree char *id = NULL;
  gboolean handled = FALSE;

  if ((w->shown & (1u << kind)) == 0)
    return;
  w->shown &= ~(1u << kind);
  id = notification_id (w->id, kind);
  g_signal_emit (self, signals[WITHDRAW_NOTIFICATION], 0, id, &handled);
}

static void
send (SaNotifier *self,
      Watched    *w,
      Kind        kind,
      gint64      now)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;
  const char *number = w->reg_number != NULL ? w->reg_number : w->id;
  gboolean handled = FALSE;

  if (!g_settings_get_boolean (self->settings, kinds[kind].key))
    return;

  switch (kind)
    {
    case KIND_ASSIGNED:
      /* Translators: a notification's title; %s is an appeal's registration number,
       * e.g. ALA-2026-000123 */
      title = g_strdup_printf (_("Assigned to you: %s"), number);
      body = g_strdup (w->summary);
      break;

    case KIND_RED:
      {
        g_autofree char *left = sa_sla_format_countdown (w->due - now, SA_COUNTDOWN_LONG);

        /* Translators: a notification's title when an appeal's traffic light turns red;
         * %s is its registration number, e.g. ALA-2026-000123 */
        title = g_strdup_printf (_("Little time left: %s"), number);
        body = capitalize (left);
        if (w->summary != NULL && *w->summary != '\0')
          {
            char *with_text = g_strdup_printf ("%s\n%s", body, w->summary);

            g_free (body);
            body = with_text;
          }
      }
      break;

    case KIND_OVERDUE:
      /* Translators: a notification's title when an appeal passes its deadline;
       * %s is its registration number, e.g. ALA-2026-000123 */
      title = g_strdup_printf (_("Overdue: %s"), number);
      body = g_strdup (w->summary);
      break;

    case N_KINDS:
    default:
      g_assert_not_reached ();
    }

  notification = g_notification_new (title);
  if (body != NULL && *body != '\0')
    g_notification_set_body (notification, body);
  g_notification_set_priority (notification, kind == KIND_ASSIGNED ? G_NOTIFICATION_PRIORITY_NORMAL
                                                                   : G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.open-appeal", "s", w->id);

  w->shown |= 1u << kind;
  id = notification_id (w->id, kind);
  g_signal_emit (self, signals[SEND_NOTIFICATION], 0, id, notification, &handled);
}

/* Announces a worse light and takes back what no longer holds: a red or
 * overdue notice after an extension, the red one once overdue. */
static void
update_light (SaNotifier *self,
              Watched    *w,
              gint64      now)
{
  SaTrafficLight light = sa_sla_traffic_light (NULL, w->start, w->due, now);

  if (light != SA_TRAFFIC_LIGHT_RED)
    withdraw (self, w, KIND_RED);
  if (light != SA_TRAFFIC_LIGHT_OVERDUE)
    withdraw (self, w, KIND_OVERDUE);

  if (light > w->light && light == SA_TRAFFIC_LIGHT_RED)
    send (self, w, KIND_RED, now);
  else if (light > w->light && light == SA_TRAFFIC_LIGHT_OVERDUE)
    send (self, w, KIND_OVERDUE, now);
  w->light = light;
}

static void
request_wakeup (SaNotifier *self,
                gint64      now)
{
  GHashTableIter iter;
  Watched *w;
  gint64 next = SA_SLA_NO_DUE;

  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&w))
    next = MIN (next, sa_sla_traffic_light_next_change (NULL, w->start, w->due, now));
  if (next < G_MAXINT64 / G_USEC_PER_SEC)
    sa_clock_request_wakeup (self->clock, next * G_USEC_PER_SEC);
}

static void
send_reply_news (SaNotifier *self,
                 Watched    *w,
                 ReplyNews   news,
                 const char *comment)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;
  const char *number = w->reg_number != NULL ? w->reg_number : w->id;
  gboolean handled = FALSE;

  if (!g_settings_get_boolean (self->settings, REPLIES_KEY))
    return;
  if (news == REPLY_SENT)
    {
      /* Translators: a notification's title; %s is an appeal's registration number */
      title = g_strdup_printf (_("Your reply was approved and sent: %s"), number);
      body = g_strdup (w->summary);
    }
  else
    {
      /* Translators: a notification's title; %s is an appeal's registration number */
      title = g_strdup_printf (_("Your reply was returned: %s"), number);
      /* Translators: the supervisor's comment on a returned reply */
      body = comment != NULL ? g_strdup_printf (_("Comment: %s"), comment) : g_strdup (w->summary);
    }
  notification = g_notification_new (title);
  if (body != NULL && *body != '\0')
    g_notification_set_body (notification, body);
  g_notification_set_priority (notification, news == REPLY_RETURNED ? G_NOTIFICATION_PRIORITY_HIGH
                                                                    : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target (notification, "app.open-appeal", "s", w->id);
  id = g_strdup_printf ("appeal-%s-reply-%s", w->id, news == REPLY_SENT ? "sent" : "returned");
  g_hash_table_add (self->reply_notices, g_strdup (id));
  g_signal_emit (self, signals[SEND_NOTIFICATION], 0, id, notification, &handled);
}

/* The states of the replies the user wrote, and news of those a
 * supervisor decided on since the last look: awaiting approval before,
 * sent or returned now, by someone else. @announce is off at first sight. */
static void
update_replies (SaNotifier *self,
                Watched    *w,
                const char *login,
                gboolean    announce)
{
  g_autoptr(JsonNode) appeal = sa_cache_get_appeal (self->cache, w->id, NULL);
  JsonObject *object = appeal != NULL && JSON_NODE_HOLDS_OBJECT (appeal)
                       ? json_node_get_object (appeal) : NULL;
  JsonNode *node = object != NULL ? json_object_get_member (object, SA_APPEAL_FIELD_REPLIES)
                                  : NULL;
  JsonArray *replies = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                                                     : NULL;
  const char *awaiting = sa_reply_state_to_string (SA_REPLY_STATE_AWAITING_APPROVAL);

  if (object == NULL)
    return;
  if (w->replies == NULL)
    w->replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; replies != NULL && i < json_array_get_length (replies); i++)
    {
      JsonNode *item = json_array_get_element (replies, i);
      JsonObject *reply = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      const char *reply_id = member_string (reply, "id");
      const char *state = member_string (reply, "state");
      const char *before;

      if (reply_id == NULL || state == NULL ||
          g_strcmp0 (member_string (reply, "author"), login) != 0)
        continue;
      before = g_hash_table_lookup (w->replies, reply_id);
      if (announce && g_strcmp0 (before, awaiting) == 0)
        {
          if (g_strcmp0 (state, sa_reply_state_to_string (SA_REPLY_STATE_SENT)) == 0 &&
              g_strcmp0 (member_string (reply, "approved_by"), login) != 0)
            send_reply_news (self, w, REPLY_SENT, NULL);
          else if (g_strcmp0 (state, sa_reply_state_to_string (SA_REPLY_STATE_RETURNED)) == 0 &&
                   g_strcmp0 (member_string (reply, "returned_by"), login) != 0)
            send_reply_news (self, w, REPLY_RETURNED, member_string (reply, "returned_comment"));
        }
      g_hash_table_replace (w->replies, g_strdup (reply_id), g_strdup (state));
    }
}

/* Whether an appeal that has just joined "mine" was given to the user by
 * someone else, lately: not taken by the user, not assigned to oneself, not
 * an old assignment arriving with the first sync or after a reset. */
static gboolean
is_news (SaNotifier  *self,
         SaAppealRow *row,
         const char  *login)
{
  g_autoptr(JsonNode) appeal = sa_cache_get_appeal (self->cache, sa_appeal_row_get_id (row), NULL);
  JsonObject *object = appeal != NULL && JSON_NODE_HOLDS_OBJECT (appeal)
                       ? json_node_get_object (appeal) : NULL;
  JsonNode *history = object != NULL ? json_object_get_member (object, "history") : NULL;
  gint64 at = sa_appeal_row_get_received_at (row);

  if (history != NULL && JSON_NODE_HOLDS_ARRAY (history))
    {
      JsonArray *items = json_node_get_array (history);

      for (guint i = json_array_get_length (items); i-- > 0;)
        {
          JsonNode *node = json_array_get_element (items, i);
          JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *type = member_string (item, "type");
          const char *when = member_string (item, "at");
          g_autoptr(GDateTime) dt = NULL;

          if (g_strcmp0 (type, "taken") != 0 && g_strcmp0 (type, "assigned") != 0)
            continue;
          if (g_strcmp0 (member_string (item, "actor"), login) == 0)
            return FALSE;
          if (when != NULL && (dt = g_date_time_new_from_iso8601 (when, NULL)) != NULL)
            at = g_date_time_to_unix (dt);
          break;
        }
    }

  return at >= self->started_at - RECENT_SLACK;
}

static gint64
row_due (SaAppealRow *row)
{
  gint64 legal = sa_appeal_row_get_legal_due_at (row);
  gint64 operational = sa_appeal_row_get_operational_due_at (row);
  gint64 due = SA_SLA_NO_DUE;

  /* The nearer one sets the light, as in the list's SLA filter. */
  if (legal != 0)
    due = legal;
  if (operational != 0)
    due = MIN (due, operational);
  return due;
}

static void
scan (SaNotifier *self)
{
  g_autofree char *login = sa_cache_dup_login (self->cache);
  g_autoptr(GHashTable) seen = NULL;
  gint64 now = sa_clock_get_now (self->clock) / G_USEC_PER_SEC;
  GListModel *model = G_LIST_MODEL (self->list);
  guint n = g_list_model_get_n_items (model);
  GHashTableIter iter;
  Watched *w;

  /* Without a login nothing is "mine" yet; the first scan with one only
   * takes stock. */
  if (login == NULL || *login == '\0')
    return;

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SaAppealRow) row = g_list_model_get_item (model, i);
      const char *id = row != NULL ? sa_appeal_row_get_id (row) : NULL;
      gboolean unread;
      gboolean is_new = FALSE;

      /* A damaged cache can give a row without an id (the window sets
       * the cache aside once its check finds it); nothing to say of it. */
      if (id == NULL)
        continue;
      unread = sa_appeal_row_get_unread (row);
      w = g_hash_table_lookup (self->watched, id);
      if (w == NULL)
        {
          w = g_new0 (Watched, 1);
          w->id = g_strdup (id);
          g_hash_table_insert (self->watched, w->id, w);
          is_new = TRUE;
        }
      g_hash_table_add (seen, w->id);

      g_free (w->reg_number);
      w->reg_number = g_strdup (sa_appeal_row_get_reg_number (row));
      g_free (w->summary);
      w->summary = g_strdup (sa_appeal_row_get_summary (row));
      w->start = sa_appeal_row_get_received_at (row);
      w->due = row_due (row);

      update_replies (self, w, login, !is_new && self->initialized);
      if (is_new)
        {
          /* First sight: its light is taken as seen, whatever it is. */
          w->light = sa_sla_traffic_light (NULL, w->start, w->due, now);
          w->unread = unread;
          if (self->initialized && is_news (self, row, login))
            send (self, w, KIND_ASSIGNED, now);
          continue;
        }

      /* Opened: the "assigned" notice has done its work. */
      if (w->unread && !unread)
        withdraw (self, w, KIND_ASSIGNED);
      w->unread = unread;
      update_light (self, w, now);
    }

  /* Answered, forwarded, given to someone else: nothing to say any more. */
  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&w))
    if (!g_hash_table_contains (seen, w->id))
      {
        /* An approved answer is what takes it out of "mine". */
        update_replies (self, w, login, TRUE);
        for (Kind kind = 0; kind < N_KINDS; kind++)
          withdraw (self, w, kind);
        g_hash_table_iter_remove (&iter);
      }

  self->initialized = TRUE;
  request_wakeup (self, now);
}

static gboolean
idle_scan (gpointer data)
{
  SaNotifier *self = data;

  self->idle = NULL;
  scan (self);
  return G_SOURCE_REMOVE;
}

/* The list refreshes itself once for a burst of cache changes; one scan
 * follows each refresh, after all of its items-changed emissions. */
static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  SaNotifier *self)
{
  if (self->idle != NULL)
    return;
  self->idle = g_idle_source_new ();
  g_source_set_callback (self->idle, idle_scan, self, NULL);
  g_source_set_static_name (self->idle, "[sa-notifier] scan");
  g_source_attach (self->idle, g_main_context_get_thread_default ());
  g_source_unref (self->idle);
}

static void
on_tick (SaClock    *clock,
         gint64      now_usec,
         SaNotifier *self)
{
  GHashTableIter iter;
  Watched *w;
  gint64 now = now_usec / G_USEC_PER_SEC;

  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&w))
    update_light (self, w, now);
  request_wakeup (self, now);
}

static void
withdraw_reply_notices (SaNotifier *self)
{
  GHashTableIter iter;
  const char *id;

  g_hash_table_iter_init (&iter, self->reply_notices);
  while (g_hash_table_iter_next (&iter, (gpointer *)&id, NULL))
    {
      gboolean handled = FALSE;

      g_signal_emit (self, signals[WITHDRAW_NOTIFICATION], 0, id, &handled);
      g_hash_table_iter_remove (&iter);
    }
}

/* A switch turned off takes its notices off the screen too. */
static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     SaNotifier *self)
{
  GHashTableIter iter;
  Watched *w;

  if (g_strcmp0 (key, REPLIES_KEY) == 0 && !g_settings_get_boolean (settings, key))
    withdraw_reply_notices (self);

  for (Kind kind = 0; kind < N_KINDS; kind++)
    {
      if (g_strcmp0 (key, kinds[kind].key) != 0 || g_settings_get_boolean (settings, key))
        continue;
      g_hash_table_iter_init (&iter, self->watched);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&w))
        withdraw (self, w, kind);
    }
}

static gboolean
sa_notifier_real_send_notification (SaNotifier    *self,
                                    const char    *id,
                                    GNotification *notification)
{
  if (self->app != NULL && g_application_get_is_registered (self->app) &&
      !g_application_get_is_remote (self->app))
    g_application_send_notification (self->app, id, notification);
  return TRUE;
}

static gboolean
sa_notifier_real_withdraw_notification (SaNotifier *self,
                                        const char *id)
{
  if (self->app != NULL && g_application_get_is_registered (self->app) &&
      !g_application_get_is_remote (self->app))
    g_application_withdraw_notification (self->app, id);
  return TRUE;
}

static void
sa_notifier_dispose (GObject *object)
{
  SaNotifier *self = SA_NOTIFIER (object);

  if (self->idle != NULL)
    g_source_destroy (self->idle);
  self->idle = NULL;
  if (self->clock != NULL)
    g_clear_signal_handler (&self->tick_handler, self->clock);
  g_clear_object (&self->list);
  g_clear_object (&self->settings);
  g_clear_object (&self->clock);
  g_clear_object (&self->cache);
  g_clear_weak_pointer (&self->app);

  G_OBJECT_CLASS (sa_notifier_parent_class)->dispose (object);
}

static void
sa_notifier_finalize (GObject *object)
{
  SaNotifier *self = SA_NOTIFIER (object);

  g_clear_pointer (&self->watched, g_hash_table_unref);
  g_clear_pointer (&self->reply_notices, g_hash_table_unref);

  G_OBJECT_CLASS (sa_notifier_parent_class)->finalize (object);
}

static void
sa_notifier_class_init (SaNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sa_notifier_dispose;
  object_class->finalize = sa_notifier_finalize;

  /**
   * SaNotifier::send-notification:
   * @self: the notifier
   * @id: the notification's id, one per appeal and kind, e.g.
   *   "appeal-<uuid>-red", so that a repeat replaces it
   * @notification: the notification
   *
   * Emitted to show a notification. The default handler gives it to the
   * application (g_application_send_notification()); a handler returning
   * %TRUE stops that, as tests do.
   *
   * Returns: %TRUE if the notification was taken care of
   */
  signals[SEND_NOTIFICATION] =
    g_signal_new_class_handler ("send-notification",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (sa_notifier_real_send_notification),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 2, G_TYPE_STRING, G_TYPE_NOTIFICATION);

  /**
   * SaNotifier::withdraw-notification:
   * @self: the notifier
   * @id: the id a #SaNotifier::send-notification gave
   *
   * Emitted when a notification no longer holds. The default handler calls
   * g_application_withdraw_notification(); a handler returning %TRUE stops
   * that.
   *
   * Returns: %TRUE if the withdrawal was taken care of
   */
  signals[WITHDRAW_NOTIFICATION] =
    g_signal_new_class_handler ("withdraw-notification",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (sa_notifier_real_withdraw_notification),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
}

static void
sa_notifier_init (SaNotifier *self)
{
  self->watched = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, watched_free);
  self->reply_notices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * sa_notifier_new:
 * @app: (nullable): the application that shows the notifications
 * @cache: the signed-in account's cache, with its identity set
 * @clock: the clock to count deadlines by, usually sa_clock_get_default()
 *
 * Watches the signed-in user's open appeals and notifies, through @app,
 * about a new one assigned by someone else, one turning red and one
 * becoming overdue, as the notify-* settings allow. What is there already
 * when it starts is taken stock of, not announced. Use it on the thread
 * that opened @cache.
 *
 * Returns: (transfer full): the notifier
 */
SaNotifier *
sa_notifier_new (GApplication *app,
                 SaCache      *cache,
                 SaClock      *clock)
{
  SaNotifier *self;

  g_return_val_if_fail (app == NULL || G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (SA_IS_CACHE (cache), NULL);
  g_return_val_if_fail (SA_IS_CLOCK (clock), NULL);

  self = g_object_new (SA_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->app, app);
  self->cache = g_object_ref (cache);
  self->clock = g_object_ref (clock);
  self->started_at = sa_clock_get_now (clock) / G_USEC_PER_SEC;

  self->settings = g_settings_new ("kz.almaty.SmartAppeals");
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self, 0);
  /* GSettings reports a change only of a key that has been read. */
  for (Kind kind = 0; kind < N_KINDS; kind++)
    g_settings_get_boolean (self->settings, kinds[kind].key);
  g_settings_get_boolean (self->settings, REPLIES_KEY);

  self->list = sa_appeal_list_new (cache);
  sa_appeal_list_set_section (self->list, SA_APPEAL_SECTION_MINE);
  g_signal_connect_object (self->list, "items-changed", G_CALLBACK (on_items_changed), self, 0);
  self->tick_handler = g_signal_connect (clock, "tick", G_CALLBACK (on_tick), self);

  scan (self);
  return self;
}

/**
 * sa_notifier_withdraw_all:
 * @self: a #SaNotifier
 *
 * Takes back every notification it sent, e.g. at sign-out, when they
 * speak of an account that is no longer here.
 */
void
sa_notifier_withdraw_all (SaNotifier *self)
{
  GHashTableIter iter;
  Watched *w;

  g_return_if_fail (SA_IS_NOTIFIER (self));

  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&w))
    for (Kind kind = 0; kind < N_KINDS; kind++)
      withdraw (self, w, kind);
  withdraw_reply_notices (self);
}
