/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <libintl.h>
#include <glib/gstdio.h>

#include "sa-cache.h"
#include "sa-clock.h"
#include "sa-notifier.h"
#include "sa-sla.h"

/* The notifier against a real cache, a fake clock and, on a D-Bus session
 * bus of this program's own (GTestDBus, so that no other test can own the
 * name), a stand-in for GNOME Shell: this process owns
 * org.gtk.Notifications, so each notification is read as the desktop would
 * receive it from GApplication (title, body, default action and its
 * target), through the notifier's default signal handlers. */

#define NOW  ((gint64) 1763900000)   /* 2025-11-23 12:13:20 UTC */
#define MINUTE ((gint64) 60)
#define HOUR ((gint64) 3600)
#define DAY  (24 * HOUR)
#define NONE G_MININT64

#define APP_TEST_ID "kz.almaty.SmartAppeals.NotifierTest"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

/* What the stand-in shell was told, one line per call, and the
 * application the notifier sends through. */
static GPtrArray       *shell_calls;
static GDBusConnection *shell_bus;
static GApplication    *app;
static char            *locale_dir;
static guint            marker_serial;

typedef struct
{
  char      *dir;
  SaCache   *cache;
  SaClock   *clock;
  GSettings *settings;
  gint64     now;        /* unix µs, what the clock says */
  guint      version;
} Fixture;

static void
shell_method_call (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  const char *app_id, *id;

  if (g_strcmp0 (method_name, "AddNotification") == 0)
    {
      g_autoptr(GVariant) notification = NULL;
      g_autoptr(GVariantDict) dict = NULL;
      g_autoptr(GVariant) target = NULL;
      const char *title = NULL, *body = NULL, *action = NULL, *priority = NULL;

      g_variant_get (parameters, "(&s&s@a{sv})", &app_id, &id, &notification);
      dict = g_variant_dict_new (notification);
      g_variant_dict_lookup (dict, "title", "&s", &title);
      g_variant_dict_lookup (dict, "body", "&s", &body);
      g_variant_dict_lookup (dict, "default-action", "&s", &action);
      g_variant_dict_lookup (dict, "priority", "&s", &priority);
      target = g_variant_dict_lookup_value (dict, "default-action-target", G_VARIANT_TYPE_STRING);
      g_assert_cmpstr (app_id, ==, APP_TEST_ID);
      g_ptr_array_add (shell_calls,
                       g_strdup_printf ("add %s | %s | %s | %s %s | %s", id, title,
                                        body != NULL ? body : "(no body)", action,
                                        target != NULL ? g_variant_get_string (target, NULL)
                                                       : "(no target)",
                                        priority));
    }
  else
    {
      g_variant_get (parameters, "(&s&s)", &app_id, &id);
      g_ptr_array_add (shell_calls, g_strdup_printf ("remove %s", id));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable shell_vtable = { shell_method_call, NULL, NULL, { 0 } };

/* Owns org.gtk.Notifications on a connection of its own, before anything
 * asks GIO for a notification backend (it chooses once per process). */
static void
start_shell (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;
  guint32 result;

  g_assert_no_error (error);
  shell_bus = g_dbus_connection_new_for_address_sync (
    address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (shell_bus, "/org/gtk/Notifications", info->interfaces[0],
                                     &shell_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (shell_bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.gtk.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);   /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
  shell_calls = g_ptr_array_new_with_free_func (g_free);
}

static gboolean
marker_seen (const char *marker)
{
  for (guint i = 0; i < shell_calls->len; i++)
    if (g_str_equal (shell_calls->pdata[i], marker))
      {
        g_ptr_array_remove_index (shell_calls, i);
        return TRUE;
      }
  return FALSE;
}

static gboolean
timed_out (gpointer data)
{
  g_error ("the stand-in shell did not hear from the application in time");
  return G_SOURCE_REMOVE;
}

/* Runs what is pending (the list's refresh, the notifier's scan), then
 * sends a marker on the application's bus connection and waits for it:
 * messages from one connection arrive in order, so everything the
 * notifier sent before is in shell_calls. */
static void
settle (void)
{
  GDBusConnection *bus = g_application_get_dbus_connection (app);
  g_autofree char *id = g_strdup_printf ("marker-%u", ++marker_serial);
  g_autofree char *marker = g_strdup_printf ("remove %s", id);
  guint timeout;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_dbus_connection_call (bus, "org.gtk.Notifications", "/org/gtk/Notifications",
                          "org.gtk.Notifications", "RemoveNotification",
                          g_variant_new ("(ss)", APP_TEST_ID, id), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
  timeout = g_timeout_add_seconds (10, timed_out, NULL);
  while (!marker_seen (marker))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static char *
calls_text (void)
{
  GString *out = g_string_new (NULL);

  settle ();
  for (guint i = 0; i < shell_calls->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "\n" : "", (char *)shell_calls->pdata[i]);
  g_ptr_array_set_size (shell_calls, 0);
  return g_string_free (out, FALSE);
}

/* Asserts what the desktop was told since the last check, in order. */
#define assert_calls(expected) \
  G_STMT_START { g_autofree char *got_ = calls_text (); g_assert_cmpstr (got_, ==, expected); } \
  G_STMT_END

/* ---- appeals -------------------------------------------------------------------- */

static char *
rfc3339 (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t + 5 * HOUR);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S+05:00");
}

typedef struct
{
  const char *id;
  const char *status;
  const char *executor;
  gint64      received;
  gint64      legal_due;
  gint64      op_due;
  const char *text;
  const char *assigned_by;   /* the actor of the last "assigned" event, if any */
  gint64      assigned_at;
} A;

static JsonNode *
appeal_json (const A *a,
             guint    version)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *received = rfc3339 (a->received);
  g_autofree char *legal = a->legal_due != NONE ? rfc3339 (a->legal_due) : NULL;
  g_autofree char *op = a->op_due != NONE ? rfc3339 (a->op_due) : NULL;
  g_autofree char *reg = g_strdup_printf ("ALA-2026-%06d", atoi (a->id + 1));

#define S(k, v) json_builder_set_member_name (b, k); \
  if ((v) != NULL) json_builder_add_string_value (b, v); else json_builder_add_null_value (b)
  json_builder_begin_object (b);
  S ("id", a->id);
  S ("reg_number", reg);
  S ("channel", "egov");
  S ("status", a->status);
  S ("priority", "normal");
  S ("category", "heat");
  S ("agency", "ENERGY");
  S ("executor", a->executor);
  S ("text", a->text);
  S ("received_at", received);
  S ("legal_due_at", legal);
  S ("resolution_due_at", op);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, version);
  json_builder_set_member_name (b, "history");
  json_builder_begin_array (b);
  if (a->assigned_by != NULL)
    {
      g_autofree char *at = rfc3339 (a->assigned_at);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, 1);
      S ("at", at);
      S ("actor", a->assigned_by);
      S ("type", "assigned");
      json_builder_set_member_name (b, "payload");
      json_builder_begin_object (b);
      S ("user", a->executor);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
#undef S
  return json_builder_get_root (b);
}

/* One feed page with these appeals, as the sync engine would apply it. */
static void
feed (Fixture *f,
      const A *appeals,
      guint    n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) changes = json_array_new ();

  f->version++;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *c = json_object_new ();

      json_object_set_string_member (c, "kind", "appeal");
      json_object_set_string_member (c, "id", appeals[i].id);
      json_object_set_member (c, "data", appeal_json (&appeals[i], f->version));
      json_array_add_object_element (changes, c);
    }
  g_assert_true (sa_cache_apply_changes (f->cache, changes, f->version, &error));
  g_assert_no_error (error);
}

#define feed_one(f, ...) G_STMT_START { const A a_ = __VA_ARGS__; feed (f, &a_, 1); } G_STMT_END

/* Mine and in time: 10 days long, half of it left at NOW (still green). */
static const A heating = { "a1", "in_progress", "me", NOW - 5 * DAY, NOW + 5 * DAY, NONE,
                           "Нет отопления\nвторая строка", "boss", NOW - 5 * DAY };
/* Mine and overdue already at the start. */
static const A old_overdue = { "a2", "in_progress", "me", NOW - 20 * DAY, NOW - DAY, NONE,
                               "Холодные батареи", "boss", NOW - 19 * DAY };
/* In the agency's queue. */
static const A queued = { "a3", "registered", NULL, NOW - HOUR, NOW + 15 * DAY, NONE,
                          "Течёт труба\nв подвале", NULL, 0 };
/* A colleague's. */
static const A colleagues = { "a4", "in_progress", "colleague", NOW - DAY, NOW + 2 * HOUR, NONE,
                              "Яма во дворе", "boss", NOW - DAY };

static gint64
fake_now (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now;
}

/* Moves the fake time to @t (unix seconds) and lets the clock serve what has come. */
static void
advance_to (Fixture *f,
            gint64   t)
{
  f->now = t * G_USEC_PER_SEC;
  sa_clock_check (f->clock);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const A start[] = { heating, old_overdue, queued, colleagues };

  f->dir = g_dir_make_tmp ("sa-notifier-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "cache.db", NULL);
  f->cache = sa_cache_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sa_cache_set_identity (f->cache, "me", "ENERGY", &error));
  g_assert_no_error (error);
  f->now = NOW * G_USEC_PER_SEC;
  f->clock = sa_clock_new_with_now_func (fake_now, f, NULL);
  f->settings = g_settings_new ("kz.almaty.SmartAppeals");
  feed (f, start, G_N_ELEMENTS (start));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_set_size (shell_calls, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  /* Nothing the test did not check may be left over. */
  assert_calls ("");
  g_settings_reset (f->settings, "notify-assigned");
  g_settings_reset (f->settings, "notify-red");
  g_settings_reset (f->settings, "notify-overdue");
  g_settings_reset (f->settings, "notify-replies");
  g_clear_object (&f->settings);
  g_assert_finalize_object (f->clock);
  g_assert_finalize_object (f->cache);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static SaNotifier *
notifier_new (Fixture *f)
{
  SaNotifier *notifier = sa_notifier_new (app, f->cache, f->clock);

  g_assert_nonnull (notifier);
  return notifier;
}

/* ---- tests ---------------------------------------------------------------------- */

static void
test_start_is_quiet (Fixture       *f,
                     gconstpointer  data)
{
  /* What is there at the start, overdue or just assigned included, is taken stock of,
   * not announced; the one wake-up asked for is the next change of light, not a poll. */
  SaNotifier *notifier;

  feed_one (f, { "a5", "in_progress", "me", NOW - HOUR, NOW + 15 * DAY, NONE,
                 "Назначено минуту назад", "boss", NOW - MINUTE });
  notifier = notifier_new (f);

  assert_calls ("");
  /* At NOW half of a1's time is left, still green; one second later it is yellow. */
  g_assert_cmpint (sa_clock_get_n_requests (f->clock), ==, 1);
  g_assert_cmpint (sa_clock_get_next_wakeup (f->clock), ==, (NOW + 1) * G_USEC_PER_SEC);

  /* The same appeals again, a new version each: nothing new to say. */
  {
    const A again[] = { heating, old_overdue, queued, colleagues };

    feed (f, again, G_N_ELEMENTS (again));
  }
  assert_calls ("");

  /* Yellow is not worth a notification; the next wake-up is the red's very second:
   * 20% of 10 days left is 2 days, red below that. */
  advance_to (f, NOW + 1);
  assert_calls ("");
  g_assert_cmpint (sa_clock_get_next_wakeup (f->clock), ==, (NOW + 3 * DAY + 1) * G_USEC_PER_SEC);

  g_assert_finalize_object (notifier);
}

static void
test_assigned (Fixture       *f,
               gconstpointer  data)
{
  /* An appeal given to me by someone else gives one notification that opens it;
   * opening it takes the notification back. */
  SaNotifier *notifier = notifier_new (f);
  g_autoptr(GError) error = NULL;

  feed_one (f, { "a3", "in_progress", "me", NOW - HOUR, NOW + 15 * DAY, NONE,
                 "Течёт труба\nв подвале", "boss", NOW });
  assert_calls ("add appeal-a3-assigned | Assigned to you: ALA-2026-000003 | Течёт труба"
                " | app.open-appeal a3 | normal");

  /* Another version of it (a comment, say) is not a second assignment. */
  feed_one (f, { "a3", "in_progress", "me", NOW - HOUR, NOW + 15 * DAY, NONE,
                 "Течёт труба\nв подвале", "boss", NOW });
  assert_calls ("");

  g_assert_true (sa_cache_mark_opened (f->cache, "a3", &error));
  g_assert_no_error (error);
  assert_calls ("remove appeal-a3-assigned");

  g_assert_finalize_object (notifier);
}

static void
test_not_news (Fixture       *f,
               gconstpointer  data)
{
  /* Taking an appeal myself, and old assignments arriving with a first sync,
   * are not news; a fresh appeal routed straight to me is. */
  SaNotifier *notifier = notifier_new (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = NULL;
  const A first_sync[] = {
    { "a5", "in_progress", "me", NOW - 3 * DAY, NOW + 9 * DAY, NONE, "Старое назначение",
      "boss", NOW - 2 * DAY },
    { "a6", "registered", "me", NOW - 2 * DAY, NOW + 10 * DAY, NONE, "Без истории", NULL, 0 },
  };

  op_id = sa_cache_apply_local_op_sync (f->cache, "a3", "take", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (op_id);
  assert_calls ("");

  /* The registry confirms the take: its event is mine too. */
  feed_one (f, { "a3", "in_progress", "me", NOW - HOUR, NOW + 15 * DAY, NONE,
                 "Течёт труба\nв подвале", "me", NOW });
  assert_calls ("");

  feed (f, first_sync, G_N_ELEMENTS (first_sync));
  assert_calls ("");

  /* Received a minute ago and routed to me, without an assignment event. */
  feed_one (f, { "a7", "registered", "me", NOW - MINUTE, NOW + 15 * DAY, NONE, "Открытый люк",
                 NULL, 0 });
  assert_calls ("add appeal-a7-assigned | Assigned to you: ALA-2026-000007 | Открытый люк"
                " | app.open-appeal a7 | normal");

  g_assert_finalize_object (notifier);
}

static void
test_red_then_overdue (Fixture       *f,
                       gconstpointer  data)
{
  /* Crossing the red threshold and the due each notify once, at that very second;
   * overdue replaces the red notice. */
  SaNotifier *notifier = notifier_new (f);
  const gint64 red_at = NOW + 3 * DAY + 1, due = NOW + 5 * DAY;

  advance_to (f, NOW + 1);
  g_assert_cmpint (sa_clock_get_next_wakeup (f->clock), ==, red_at * G_USEC_PER_SEC);
  /* A second before, the clock has nothing to serve. */
  advance_to (f, red_at - 1);
  assert_calls ("");

  advance_to (f, red_at);
  assert_calls ("add appeal-a1-red | Little time left: ALA-2026-000001 | 2 days left\n"
                "Нет отопления | app.open-appeal a1 | high");

  /* The same light again, by the clock or by a change in the cache: no repeat. */
  sa_clock_check (f->clock);
  feed_one (f, heating);
  assert_calls ("");
  g_assert_cmpint (sa_clock_get_next_wakeup (f->clock), ==, (due + 1) * G_USEC_PER_SEC);

  /* The due second itself is still in time. */
  advance_to (f, due);
  assert_calls ("");
  advance_to (f, due + 1);
  assert_calls ("remove appeal-a1-red\n"
                "add appeal-a1-overdue | Overdue: ALA-2026-000001 | Нет отопления"
                " | app.open-appeal a1 | high");
  /* Overdue is the last light: no more wake-ups. */
  g_assert_cmpint (sa_clock_get_next_wakeup (f->clock), ==, -1);

  advance_to (f, due + DAY);
  feed_one (f, heating);
  assert_calls ("");

  g_assert_finalize_object (notifier);
}

static void
test_operational_due (Fixture       *f,
                      gconstpointer  data)
{
  /* The nearer of the two deadlines sets the light, and a change in the cache
   * that makes an appeal red announces it at once. */
  SaNotifier *notifier = notifier_new (f);

  /* a1 gets a 4-hour operational deadline, started 3 h 30 min ago: red already
   * (12.5% left), which a change in the cache announces at once. */
  feed_one (f, { "a1", "in_progress", "me", NOW - 3 * HOUR - 30 * MINUTE, NOW + 5 * DAY,
                 NOW + 30 * MINUTE, "Нет отопления\nвторая строка", "boss", NOW - 5 * DAY });
  assert_calls ("add appeal-a1-red | Little time left: ALA-2026-000001 | 30 minutes left\n"
                "Нет отопления | app.open-appeal a1 | high");
  /* The wake-up asked for at the start (a1's yellow) cannot be taken back; served,
   * it leads to the one for the new due. */
  advance_to (f, NOW + 1);
  assert_calls ("");
  g_assert_cmpint (sa_clock_get_next_wakeup (f->clock), ==,
                   (NOW + 30 * MINUTE + 1) * G_USEC_PER_SEC);

  advance_to (f, NOW + 2 * HOUR);
  assert_calls ("remove appeal-a1-red\n"
                "add appeal-a1-overdue | Overdue: ALA-2026-000001 | Нет отопления"
                " | app.open-appeal a1 | high");

  g_assert_finalize_object (notifier);
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  /* Each notify-* switch silences its own kind, and turning one off takes
   * its notices off the screen. */
  SaNotifier *notifier = notifier_new (f);

  g_settings_set_boolean (f->settings, "notify-red", FALSE);
  advance_to (f, NOW + 1);
  advance_to (f, NOW + 3 * DAY + 1);
  assert_calls ("");
  /* Turned back on, it does not announce a red that has already been seen. */
  g_settings_set_boolean (f->settings, "notify-red", TRUE);
  assert_calls ("");
  advance_to (f, NOW + 5 * DAY + 1);
  assert_calls ("add appeal-a1-overdue | Overdue: ALA-2026-000001 | Нет отопления"
                " | app.open-appeal a1 | high");
  g_settings_set_boolean (f->settings, "notify-overdue", FALSE);
  assert_calls ("remove appeal-a1-overdue");

  g_settings_set_boolean (f->settings, "notify-assigned", FALSE);
  feed_one (f, { "a3", "in_progress", "me", NOW - HOUR, NOW + 15 * DAY, NONE,
                 "Течёт труба\nв подвале", "boss", f->now / G_USEC_PER_SEC });
  assert_calls ("");
  g_settings_set_boolean (f->settings, "notify-assigned", TRUE);
  feed_one (f, { "a8", "in_progress", "me", NOW, NOW + 15 * DAY, NONE, "Нет света", "boss",
                 f->now / G_USEC_PER_SEC });
  assert_calls ("add appeal-a8-assigned | Assigned to you: ALA-2026-000008 | Нет света"
                " | app.open-appeal a8 | normal");
  g_settings_set_boolean (f->settings, "notify-assigned", FALSE);
  assert_calls ("remove appeal-a8-assigned");

  g_assert_finalize_object (notifier);
}

static void
test_withdrawn (Fixture       *f,
                gconstpointer  data)
{
  /* A notice is taken back when it no longer holds: the deadline extended,
   * the appeal answered, forwarded elsewhere. */
  SaNotifier *notifier = notifier_new (f);
  A extended = heating;
  A answered = heating;

  advance_to (f, NOW + 1);
  advance_to (f, NOW + 3 * DAY + 1);
  assert_calls ("add appeal-a1-red | Little time left: ALA-2026-000001 | 2 days left\n"
                "Нет отопления | app.open-appeal a1 | high");

  /* Extended by ten days: green again, and the red notice goes. */
  extended.legal_due = NOW + 15 * DAY;
  feed (f, &extended, 1);
  assert_calls ("remove appeal-a1-red");
  /* Turning red again later is news again. */
  advance_to (f, NOW + 12 * DAY);
  assert_calls ("add appeal-a1-red | Little time left: ALA-2026-000001 | 3 days left\n"
                "Нет отопления | app.open-appeal a1 | high");

  answered.status = "answered";
  answered.legal_due = extended.legal_due;
  feed (f, &answered, 1);
  assert_calls ("remove appeal-a1-red");

  /* Assigned, then forwarded to another agency before I looked. */
  feed_one (f, { "a3", "in_progress", "me", NOW - HOUR, NOW + 15 * DAY, NONE, "Течёт труба",
                 "boss", NOW + 12 * DAY });
  assert_calls ("add appeal-a3-assigned | Assigned to you: ALA-2026-000003 | Течёт труба"
                " | app.open-appeal a3 | normal");
  feed_one (f, { "a3", "registered", NULL, NOW - HOUR, NOW + 15 * DAY, NONE, "Течёт труба",
                 "boss", NOW + 12 * DAY });
  assert_calls ("remove appeal-a3-assigned");

  g_assert_finalize_object (notifier);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(char * const *)a, *(char * const *)b);
}

/* @a as the feed brings it, with @replies (a JSON array) for its replies. */
static void
feed_with_replies (Fixture    *f,
                   const A    *a,
                   const char *replies)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(JsonNode) list = json_from_string (replies, &error);
  JsonNode *appeal;
  JsonObject *c = json_object_new ();

  g_assert_no_error (error);
  f->version++;
  appeal = appeal_json (a, f->version);
  json_object_set_member (json_node_get_object (appeal), "replies", json_node_copy (list));
  json_object_set_string_member (c, "kind", "appeal");
  json_object_set_string_member (c, "id", a->id);
  json_object_set_member (c, "data", appeal);
  json_array_add_object_element (changes, c);
  g_assert_true (sa_cache_apply_changes (f->cache, changes, f->version, &error));
  g_assert_no_error (error);
}

#define MY_REPLY(state, extra) \
  "[{\"id\":\"r1\",\"kind\":\"answer\",\"agency\":\"ENERGY\",\"state\":\"" state "\"," \
  "\"author\":\"me\",\"text\":\"Тепло дали\",\"version\":1" extra "}]"

static void
test_replies (Fixture       *f,
              gconstpointer  data)
{
  /* My reply returned by a supervisor says so with the comment; approved
   * and sent, it says so although the answered appeal leaves "mine";
   * my own submission and a colleague's reply say nothing; the switch
   * turned off takes the notices back. */
  SaNotifier *notifier = notifier_new (f);
  A awaiting = heating, returned = heating, answered = heating;

  awaiting.status = "awaiting_approval";
  returned.status = "in_progress";
  answered.status = "answered";
  feed_with_replies (f, &awaiting, MY_REPLY ("awaiting_approval", ""));
  assert_calls ("");

  feed_with_replies (f, &returned, MY_REPLY ("returned", ",\"returned_by\":\"boss\","
                                                         "\"returned_comment\":\"Укажите дату\""));
  assert_calls ("add appeal-a1-reply-returned | Your reply was returned: ALA-2026-000001"
                " | Comment: Укажите дату | app.open-appeal a1 | high");

  feed_with_replies (f, &awaiting, MY_REPLY ("awaiting_approval", ""));
  assert_calls ("");
  feed_with_replies (f, &answered, MY_REPLY ("sent", ",\"approved_by\":\"boss\""));
  assert_calls ("add appeal-a1-reply-sent | Your reply was approved and sent: ALA-2026-000001"
                " | Нет отопления | app.open-appeal a1 | normal");

  /* A colleague's reply on an appeal of mine. */
  {
    A mine = old_overdue;

    mine.status = "awaiting_approval";
    feed_with_replies (f, &mine, "[{\"id\":\"r2\",\"state\":\"awaiting_approval\","
                                 "\"author\":\"colleague\",\"agency\":\"ENERGY\"}]");
    mine.status = "in_progress";
    feed_with_replies (f, &mine, "[{\"id\":\"r2\",\"state\":\"returned\","
                                 "\"author\":\"colleague\",\"agency\":\"ENERGY\","
                                 "\"returned_by\":\"boss\"}]");
    assert_calls ("");
  }

  g_settings_set_boolean (f->settings, "notify-replies", FALSE);
  {
    g_autofree char *text = calls_text ();
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
    g_autofree char *sorted = NULL;

    qsort (lines, g_strv_length (lines), sizeof (char *), compare_strings);
    sorted = g_strjoinv ("\n", lines);
    g_assert_cmpstr (sorted, ==, "remove appeal-a1-reply-returned\nremove appeal-a1-reply-sent");
  }
  /* Off, a returned reply says nothing. */
  feed_with_replies (f, &awaiting, MY_REPLY ("awaiting_approval", ""));
  feed_with_replies (f, &returned, MY_REPLY ("returned", ",\"returned_by\":\"boss\""));
  assert_calls ("");

  g_assert_finalize_object (notifier);
}

static void
test_withdraw_all (Fixture       *f,
                   gconstpointer  data)
{
  /* At sign-out every notice of the account is taken back, once. */
  SaNotifier *notifier = notifier_new (f);

  feed_one (f, { "a3", "in_progress", "me", NOW - HOUR, NOW + 15 * DAY, NONE, "Течёт труба",
                 "boss", NOW });
  assert_calls ("add appeal-a3-assigned | Assigned to you: ALA-2026-000003 | Течёт труба"
                " | app.open-appeal a3 | normal");
  advance_to (f, NOW + 1);
  advance_to (f, NOW + 3 * DAY + 1);
  assert_calls ("add appeal-a1-red | Little time left: ALA-2026-000001 | 2 days left\n"
                "Нет отопления | app.open-appeal a1 | high");

  sa_notifier_withdraw_all (notifier);
  g_assert_finalize_object (notifier);
  {
    g_autofree char *text = calls_text ();
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
    g_autofree char *sorted = NULL;

    qsort (lines, g_strv_length (lines), sizeof (char *), compare_strings);
    sorted = g_strjoinv ("\n", lines);
    g_assert_cmpstr (sorted, ==, "remove appeal-a1-red\nremove appeal-a3-assigned");
  }
}

static void
test_clock_jump (Fixture       *f,
                 gconstpointer  data)
{
  /* Woken long after the due (a resume from suspend), it says overdue, not red too. */
  SaNotifier *notifier = notifier_new (f);

  advance_to (f, NOW + 6 * DAY);
  assert_calls ("add appeal-a1-overdue | Overdue: ALA-2026-000001 | Нет отопления"
                " | app.open-appeal a1 | high");

  g_assert_finalize_object (notifier);
}

static gboolean
on_send (SaNotifier    *notifier,
         const char    *id,
         GNotification *notification,
         GPtrArray     *sent)
{
  g_assert_true (G_IS_NOTIFICATION (notification));
  g_ptr_array_add (sent, g_strdup (id));
  return TRUE;
}

static void
test_sink (Fixture       *f,
           gconstpointer  data)
{
  /* A handler of send-notification that returns TRUE takes the notification
   * instead of the application. */
  SaNotifier *notifier = notifier_new (f);
  g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (notifier, "send-notification", G_CALLBACK (on_send), sent);
  feed_one (f, { "a3", "in_progress", "me", NOW - HOUR, NOW + 15 * DAY, NONE, "Течёт труба",
                 "boss", NOW });
  assert_calls ("");
  g_assert_cmpuint (sent->len, ==, 1);
  g_assert_cmpstr (sent->pdata[0], ==, "appeal-a3-assigned");

  g_assert_finalize_object (notifier);
}

static void
use_language (const char *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  /* A real change of locale makes glibc's gettext drop its cache of
   * looked-up messages; "C" alone would make it ignore LANGUAGE. */
  setlocale (LC_ALL, "C");
  setlocale (LC_ALL, "C.UTF-8");
}

static void
test_translated (Fixture       *f,
                 gconstpointer  data)
{
  /* The notifications speak the user's language. */
  SaNotifier *notifier = notifier_new (f);

  use_language ("ru");
  feed_one (f, { "a3", "in_progress", "me", NOW - HOUR, NOW + 15 * DAY, NONE, "Течёт труба",
                 "boss", NOW });
  assert_calls ("add appeal-a3-assigned | Назначено вам: ALA-2026-000003 | Течёт труба"
                " | app.open-appeal a3 | normal");
  advance_to (f, NOW + 1);
  advance_to (f, NOW + 3 * DAY + 1);
  assert_calls ("add appeal-a1-red | Срок на исходе: ALA-2026-000001 | Осталось 2 дня\n"
                "Нет отопления | app.open-appeal a1 | high");
  use_language ("kk");
  advance_to (f, NOW + 5 * DAY + 1);
  assert_calls ("remove appeal-a1-red\n"
                "add appeal-a1-overdue | Мерзімі өтті: ALA-2026-000001 | Нет отопления"
                " | app.open-appeal a1 | high");
  use_language ("en");

  g_assert_finalize_object (notifier);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  GTestDBus *bus;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* The project's own translations, as the build compiled them from po/. */
  locale_dir = g_build_filename (g_getenv ("SA_BUILD_ROOT"), "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  use_language ("en");

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);
  start_shell ();
  app = g_application_new (APP_TEST_ID, G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/sa/notifier/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("start-is-quiet", test_start_is_quiet);
  ADD ("assigned", test_assigned);
  ADD ("not-news", test_not_news);
  ADD ("red-then-overdue", test_red_then_overdue);
  ADD ("operational-due", test_operational_due);
  ADD ("clock-jump", test_clock_jump);
  ADD ("settings", test_settings);
  ADD ("withdrawn", test_withdrawn);
  ADD ("withdraw-all", test_withdraw_all);
  ADD ("sink", test_sink);
  ADD ("replies", test_replies);
  ADD ("translated", test_translated);
#undef ADD

  ret = g_test_run ();

  g_clear_object (&app);
  g_dbus_connection_close_sync (shell_bus, NULL, NULL);
  g_clear_object (&shell_bus);
  g_test_dbus_down (bus);
  g_object_unref (bus);
  g_clear_pointer (&shell_calls, g_ptr_array_unref);
  g_free (locale_dir);
  return ret;
}
