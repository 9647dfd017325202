/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "sa-application.h"
#include "sa-cache-private.h"
#include "sa-conflicts-view.h"
#include "sa-test-cache.h"
#include "sa-test-widgets.h"

#define ID1 "11111111-1111-4111-8111-111111111111"
#define ID2 "22222222-2222-4222-8222-222222222222"

/* The feed's first page: the agency, two colleagues and two appeals at version 1. */
static const char *feed_json =
  "[{\"seq\":1,\"kind\":\"agency\",\"id\":\"ALMATY-TEPLO\",\"data\":{\"code\":\"ALMATY-TEPLO\","
  "  \"name_ru\":\"Алматинские тепловые сети\",\"name_kk\":\"Алматы жылу желілері\",\"kind\":\"utility\"}},"
  " {\"seq\":2,\"kind\":\"agency\",\"id\":\"AKIMAT-ALATAU\",\"data\":{\"code\":\"AKIMAT-ALATAU\","
  "  \"name_ru\":\"Аппарат акима Алатауского района\",\"kind\":\"district_akimat\"}},"
  " {\"seq\":3,\"kind\":\"user\",\"id\":\"supervisor.almaty-teplo\",\"data\":{"
  "  \"login\":\"supervisor.almaty-teplo\",\"full_name\":\"Абаев Ержан\",\"agency\":\"ALMATY-TEPLO\","
  "  \"role\":\"supervisor\",\"disabled\":false}},"
  " {\"seq\":4,\"kind\":\"user\",\"id\":\"executor.other\",\"data\":{\"login\":\"executor.other\","
  "  \"full_name\":\"Серикова Айгуль\",\"agency\":\"ALMATY-TEPLO\",\"role\":\"executor\",\"disabled\":false}},"
  " {\"seq\":5,\"kind\":\"appeal\",\"id\":\"" ID1 "\",\"data\":{\"id\":\"" ID1 "\","
  "  \"reg_number\":\"ALA-2026-000123\",\"channel\":\"egov\",\"status\":\"registered\","
  "  \"priority\":\"normal\",\"category\":\"heating.no-heat\",\"agency\":\"ALMATY-TEPLO\","
  "  \"executor\":null,\"applicant\":{\"name\":\"Сапарова Әлия\",\"iin\":\"900101300017\"},"
  "  \"address\":{\"text\":\"улица Жарокова, 7\",\"district\":\"bostandyk\"},"
  "  \"text\":\"Нет отопления третий день.\",\"received_at\":\"2026-11-20T09:30:00+05:00\","
  "  \"legal_due_at\":\"2026-12-11T23:59:59+05:00\",\"version\":1,\"is_repeat\":false,"
  "  \"coexecutors\":[],\"escalated_to\":[],"
  "  \"history\":[{\"seq\":5,\"at\":\"2026-11-20T09:31:00+05:00\",\"actor\":\"operator.ikomek-109\","
  "   \"type\":\"registered\",\"payload\":{}}]}},"
  " {\"seq\":6,\"kind\":\"appeal\",\"id\":\"" ID2 "\",\"data\":{\"id\":\"" ID2 "\","
  "  \"reg_number\":\"ALA-2026-000124\",\"channel\":\"phone_109\",\"status\":\"in_progress\","
  "  \"priority\":\"high\",\"category\":\"heating.no-heat\",\"agency\":\"ALMATY-TEPLO\","
  "  \"executor\":\"executor.other\",\"applicant\":{\"name\":\"Иванов Иван\",\"iin\":\"900101300017\"},"
  "  \"address\":{\"text\":\"проспект Абая, 52\",\"district\":\"almaly\"},"
  "  \"text\":\"Холодные батареи.\",\"received_at\":\"2026-11-20T10:00:00+05:00\","
  "  \"legal_due_at\":\"2026-12-11T23:59:59+05:00\",\"version\":3,\"is_repeat\":false,"
  "  \"history\":[{\"seq\":6,\"at\":\"2026-11-20T10:00:00+05:00\",\"actor\":\"operator.ikomek-109\","
  "   \"type\":\"registered\",\"payload\":{}}]}}]";

/* The registry's ID1 after a colleague took it and raised its priority: version 3. */
static const char *theirs_json =
  "{\"id\":\"" ID1 "\",\"reg_number\":\"ALA-2026-000123\",\"channel\":\"egov\","
  " \"status\":\"in_progress\",\"priority\":\"critical\",\"category\":\"heating.no-heat\","
  " \"agency\":\"ALMATY-TEPLO\",\"executor\":\"executor.other\","
  " \"applicant\":{\"name\":\"Сапарова Әлия\",\"iin\":\"900101300017\"},"
  " \"address\":{\"text\":\"улица Жарокова, 7\",\"district\":\"bostandyk\"},"
  " \"text\":\"Нет отопления третий день.\",\"received_at\":\"2026-11-20T09:30:00+05:00\","
  " \"legal_due_at\":\"2026-12-11T23:59:59+05:00\",\"version\":3,\"is_repeat\":false,"
  " \"history\":[{\"seq\":5,\"at\":\"2026-11-20T09:31:00+05:00\",\"actor\":\"operator.ikomek-109\","
  "   \"type\":\"registered\",\"payload\":{}},"
  "  {\"seq\":7,\"at\":\"2026-11-20T10:05:00+05:00\",\"actor\":\"executor.other\",\"type\":\"taken\","
  "   \"payload\":{\"executor\":\"executor.other\",\"op_id\":\"a0000000-0000-4000-8000-000000000001\"}},"
  "  {\"seq\":8,\"at\":\"2026-11-20T10:06:00+05:00\",\"actor\":\"supervisor.almaty-teplo\","
  "   \"type\":\"priority\",\"payload\":{\"from\":\"normal\",\"to\":\"critical\","
  "   \"op_id\":\"a0000000-0000-4000-8000-000000000002\"}}]}";

typedef struct
{
  char            *dir;
  SaCache         *cache;
  GtkWidget       *window;
  SaConflictsView *view;
  char            *priority_op;
  char            *forward_op;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->cache = sa_test_cache_new (&f->dir, "supervisor.almaty-teplo", "ALMATY-TEPLO");
  sa_test_cache_feed (f->cache, 10, feed_json);
  f->view = g_object_ref_sink (sa_conflicts_view_new ());
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  sa_conflicts_view_set_cache (f->view, f->cache);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->view);
  g_free (f->priority_op);
  g_free (f->forward_op);
  sa_test_cache_free (f->cache, g_steal_pointer (&f->dir));
}

static char *
local_op (SaCache    *cache,
          const char *id,
          const char *type,
          const char *args_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) args = json_from_string (args_json, &error);
  char *op_id;

  g_assert_no_error (error);
  op_id = sa_cache_apply_local_op_sync (cache, id, type, json_node_get_object (args), &error);
  g_assert_no_error (error);
  return op_id;
}

/* The user changed both appeals offline; the push answers a conflict for
 * ID1 and a rejection for ID2, as the sync engine would store them. */
static void
push_conflict_and_rejection (Fixture    *f,
                             const char *rejection_code)
{
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *results = NULL;

  f->priority_op = local_op (f->cache, ID1, "set_priority", "{\"priority\":\"high\"}");
  f->forward_op = local_op (f->cache, ID2, "forward",
                            "{\"agency\":\"AKIMAT-ALATAU\",\"reason\":\"Дом в Алатауском районе.\"}");
  batch = sa_cache_begin_push_before (f->cache, 100, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 2);
  results = g_strdup_printf ("[{\"op_id\":\"%s\",\"status\":\"conflict\",\"appeal\":%s},"
                             " {\"op_id\":\"%s\",\"status\":\"rejected\",\"code\":\"%s\","
                             "  \"message\":\"The registry says no.\"}]",
                             f->priority_op, theirs_json, f->forward_op, rejection_code);
  sa_test_cache_push_results (f->cache, results);
}

/* Whether the user can see @widget: it and every ancestor shown, and no
 * stack page hiding it. */
static gboolean
user_sees (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
      return FALSE;
  return TRUE;
}

static gboolean
shows_label (SaConflictsView *view,
             const char      *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (view), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (user_sees (g_ptr_array_index (labels, i)) &&
        g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return TRUE;
  return FALSE;
}

/* The subtitle of the shown row titled @title. */
static const char *
row_subtitle (SaConflictsView *view,
              const char      *group_title,
              const char      *title)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (view), ADW_TYPE_PREFERENCES_GROUP, groups);
  for (guint i = 0; i < groups->len; i++)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new ();

      if (g_strcmp0 (adw_preferences_group_get_title (groups->pdata[i]), group_title) != 0)
        continue;
      sa_test_collect (groups->pdata[i], ADW_TYPE_ACTION_ROW, rows);
      for (guint j = 0; j < rows->len; j++)
        if (user_sees (rows->pdata[j]) &&
            g_strcmp0 (adw_preferences_row_get_title (rows->pdata[j]), title) == 0)
          return adw_action_row_get_subtitle (rows->pdata[j]);
    }
  return NULL;
}

/* What a click does (gtk_widget_activate() would wait for the press animation). */
static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
}

static GtkWidget *
find_button (SaConflictsView *view,
             const char      *group_title,
             const char      *label)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (view), ADW_TYPE_PREFERENCES_GROUP, groups);
  for (guint i = 0; i < groups->len; i++)
    {
      g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

      if (g_strcmp0 (adw_preferences_group_get_title (groups->pdata[i]), group_title) != 0)
        continue;
      sa_test_collect (groups->pdata[i], GTK_TYPE_BUTTON, buttons);
      for (guint j = 0; j < buttons->len; j++)
        if (g_strcmp0 (gtk_button_get_label (buttons->pdata[j]), label) == 0)
          return buttons->pdata[j];
    }
  return NULL;
}

static void
wait_for_entries (SaConflictsView *view,
                  guint            n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (sa_conflicts_view_get_n_entries (view) != n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (sa_conflicts_view_get_n_entries (view), ==, n);
}

static const SaOutboxEntry *
outbox_entry (GPtrArray  *entries,
              const char *type)
{
  for (guint i = 0; i < entries->len; i++)
    if (g_str_equal (((SaOutboxEntry *) entries->pdata[i])->type, type))
      return entries->pdata[i];
  return NULL;
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  /* With nothing refused, the user sees "No Conflicts", even with changes waiting to be sent. */
  g_autofree char *op = local_op (f->cache, ID1, "comment", "{\"text\":\"Выехала бригада\"}");

  wait_for_entries (f->view, 0);
  g_assert_true (shows_label (f->view, "No Conflicts"));
  g_assert_false (shows_label (f->view, "ALA-2026-000123"));
}

static void
test_shows_conflict_and_rejection (Fixture       *f,
                                   gconstpointer  data)
{
  /* After a push, the user sees their change beside the registry's appeal, and the reason
   * of the rejection in words, without being asked to refresh. */
  guint notified = 0;
  const char *subtitle;

  g_signal_connect (f->view, "notify::n-entries", G_CALLBACK (notify_count_cb), &notified);
  push_conflict_and_rejection (f, "not_lead_agency");
  wait_for_entries (f->view, 2);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_false (shows_label (f->view, "No Conflicts"));

  /* The conflict: the user's change … */
  g_assert_true (shows_label (f->view, "ALA-2026-000123"));
  g_assert_true (shows_label (f->view, "Conflict"));
  g_assert_true (shows_label (f->view, "Your Change"));
  subtitle = row_subtitle (f->view, "ALA-2026-000123", "Change priority");
  g_assert_nonnull (subtitle);
  g_assert_true (g_str_has_prefix (subtitle, "High\nMade "));
  /* … beside the registry's version, with what others did since, newest first. */
  g_assert_true (shows_label (f->view, "In the Registry Now"));
  g_assert_cmpstr (row_subtitle (f->view, "ALA-2026-000123", "Status"), ==, "In Progress");
  g_assert_cmpstr (row_subtitle (f->view, "ALA-2026-000123", "Executor"), ==, "Серикова Айгуль");
  g_assert_cmpstr (row_subtitle (f->view, "ALA-2026-000123", "Priority"), ==, "Critical");
  /* Each says what it changed, as the history does, then when and by whom. */
  g_assert_cmpstr (row_subtitle (f->view, "ALA-2026-000123", "Priority changed"), ==,
                   "Normal → Critical\n20.11.2026 10:06 · Абаев Ержан");
  g_assert_cmpstr (row_subtitle (f->view, "ALA-2026-000123", "Taken into work"), ==,
                   "20.11.2026 10:05 · Серикова Айгуль");
  /* The registration happened before the user's change: not news. */
  g_assert_null (row_subtitle (f->view, "ALA-2026-000123", "Registered"));
  g_assert_nonnull (find_button (f->view, "ALA-2026-000123", "_Apply Again"));
  g_assert_nonnull (find_button (f->view, "ALA-2026-000123", "_Discard"));

  /* The rejection: the change with its reason, in the user's language. */
  g_assert_true (shows_label (f->view, "ALA-2026-000124"));
  g_assert_true (shows_label (f->view, "Rejected"));
  subtitle = row_subtitle (f->view, "ALA-2026-000124", "Forward");
  g_assert_nonnull (subtitle);
  g_assert_true (g_str_has_prefix (subtitle, "Аппарат акима Алатауского района\n"
                                             "Reason: Дом в Алатауском районе.\nMade "));
  g_assert_cmpstr (row_subtitle (f->view, "ALA-2026-000124", "Why It Was Refused"), ==,
                   "Only the lead agency’s executors and supervisors may do this.");
  g_assert_nonnull (find_button (f->view, "ALA-2026-000124", "_Dismiss"));
  g_assert_null (find_button (f->view, "ALA-2026-000124", "_Apply Again"));
}

static void
test_unknown_rejection (Fixture       *f,
                        gconstpointer  data)
{
  /* A rejection code this build does not know shows the registry's own sentence. */
  push_conflict_and_rejection (f, "quota_exceeded");
  wait_for_entries (f->view, 2);
  g_assert_cmpstr (row_subtitle (f->view, "ALA-2026-000124", "Why It Was Refused"), ==,
                   "The registry says no.");
}

static void
test_apply_again (Fixture       *f,
                  gconstpointer  data)
{
  /* "Apply Again" turns the conflict into a new pending change on the registry's version. */
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) shown = NULL;
  const SaOutboxEntry *e;
  GtkWidget *button;

  push_conflict_and_rejection (f, "not_lead_agency");
  wait_for_entries (f->view, 2);
  button = find_button (f->view, "ALA-2026-000123", "_Apply Again");
  click (button);
  /* While the cache works, the entry cannot be clicked twice. */
  g_assert_false (gtk_widget_is_sensitive (button));
  wait_for_entries (f->view, 1);
  g_assert_false (shows_label (f->view, "ALA-2026-000123"));
  g_assert_true (shows_label (f->view, "ALA-2026-000124"));

  entries = sa_cache_list_outbox (f->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  e = outbox_entry (entries, "set_priority");
  g_assert_nonnull (e);
  g_assert_cmpstr (e->op_id, !=, f->priority_op);
  g_assert_cmpint (e->state, ==, SA_OP_PENDING);
  g_assert_cmpint (e->base_version, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (e->args), "priority"), ==,
                   "high");
  e = outbox_entry (entries, "forward");
  g_assert_cmpint (e->state, ==, SA_OP_REJECTED);
  /* The appeal shows the user's priority on top of the registry's version again. */
  shown = sa_cache_get_appeal (f->cache, ID1, &error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "priority"), ==,
                   "high");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "executor"), ==,
                   "executor.other");
}

static void
test_discard_and_dismiss (Fixture       *f,
                          gconstpointer  data)
{
  /* "Discard" drops the conflicting change, "Dismiss" the rejected one: the outbox is empty
   * and the user sees "No Conflicts". */
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) shown = NULL;

  push_conflict_and_rejection (f, "not_lead_agency");
  wait_for_entries (f->view, 2);
  click (find_button (f->view, "ALA-2026-000123", "_Discard"));
  wait_for_entries (f->view, 1);
  shown = sa_cache_get_appeal (f->cache, ID1, &error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "priority"), ==,
                   "critical");
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID1), ==, SA_OFFLINE_SYNCED);

  click (find_button (f->view, "ALA-2026-000124", "_Dismiss"));
  wait_for_entries (f->view, 0);
  entries = sa_cache_list_outbox (f->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_cmpint (_sa_cache_get_offline_state (f->cache, ID2), ==, SA_OFFLINE_SYNCED);
  g_assert_true (shows_label (f->view, "No Conflicts"));
  g_assert_false (shows_label (f->view, "ALA-2026-000124"));
}

static void
test_survives_restart (Fixture       *f,
                       gconstpointer  data)
{
  /* Conflicts are stored, not kept in memory: a new view on a reopened cache shows them. */
  g_autofree char *path = g_strdup (sa_cache_get_path (f->cache));
  g_autoptr(GError) error = NULL;
  SaConflictsView *view;

  push_conflict_and_rejection (f, "not_lead_agency");
  sa_conflicts_view_set_cache (f->view, NULL);
  g_assert_cmpuint (sa_conflicts_view_get_n_entries (f->view), ==, 0);
  g_assert_finalize_object (f->cache);
  f->cache = sa_cache_open (path, &error);
  g_assert_no_error (error);

  view = g_object_ref_sink (sa_conflicts_view_new ());
  sa_conflicts_view_set_cache (view, f->cache);
  g_assert_cmpuint (sa_conflicts_view_get_n_entries (view), ==, 2);
  g_assert_finalize_object (view);
}

static void
test_take_names_holder (Fixture       *f,
                        gconstpointer  data)
{
  /* A take that met a colleague's take says who has the appeal now, and that the comment written after it waits for the decision. */
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *take = local_op (f->cache, ID1, "take", "{}");
  g_autofree char *comment = local_op (f->cache, ID1, "comment",
                                       "{\"text\":\"Беру в работу, выезжаю\"}");
  g_autofree char *results = NULL;
  const char *description = NULL;

  batch = sa_cache_begin_push_before (f->cache, 100, G_MAXINT64, &error);
  g_assert_no_error (error);
  /* The comment may depend on the take: it goes with it, naming it. */
  g_assert_cmpuint (batch->len, ==, 2);
  g_assert_null (((SaOutboxEntry *) batch->pdata[0])->after_op_id);
  g_assert_cmpstr (((SaOutboxEntry *) batch->pdata[1])->after_op_id, ==, take);
  results = g_strdup_printf ("[{\"op_id\":\"%s\",\"status\":\"conflict\",\"appeal\":%s},"
                             " {\"op_id\":\"%s\",\"status\":\"rejected\","
                             "  \"code\":\"after_not_applied\",\"message\":\"Waits.\"}]",
                             take, theirs_json, comment);
  sa_test_cache_push_results (f->cache, results);
  g_clear_pointer (&batch, g_ptr_array_unref);
  /* Held back, not refused: it waits for the decision. */
  batch = sa_cache_begin_push_before (f->cache, 100, G_MAXINT64, &error);
  g_assert_cmpuint (batch->len, ==, 0);

  wait_for_entries (f->view, 1);
  sa_test_collect (GTK_WIDGET (f->view), ADW_TYPE_PREFERENCES_GROUP, groups);
  for (guint i = 0; i < groups->len; i++)
    if (g_strcmp0 (adw_preferences_group_get_title (groups->pdata[i]), "ALA-2026-000123") == 0)
      description = adw_preferences_group_get_description (groups->pdata[i]);
  g_assert_cmpstr (description, ==,
                   "Серикова Айгуль has this appeal in work now. Applying your change again hands "
                   "it over from them; discard it to leave it with them. 1 later change to this "
                   "appeal waits for your decision.");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SaApplication) app = NULL;

  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = sa_application_new ();

#define ADD(path, func) \
  g_test_add ("/sa/conflicts-view/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("empty", test_empty);
  ADD ("shows-conflict-and-rejection", test_shows_conflict_and_rejection);
  ADD ("unknown-rejection", test_unknown_rejection);
  ADD ("apply-again", test_apply_again);
  ADD ("discard-and-dismiss", test_discard_and_dismiss);
  ADD ("survives-restart", test_survives_restart);
  ADD ("take-names-holder", test_take_names_holder);
#undef ADD
  return g_test_run ();
}
