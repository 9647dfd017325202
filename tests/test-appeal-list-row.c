/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sa-application.h"
#include "sa-appeal-list-row.h"

/* A stand-in item with the properties the row reads, so the row can be
 * checked on its own. */
#define TEST_TYPE_ITEM (test_item_get_type ())
G_DECLARE_FINAL_TYPE (TestItem, test_item, TEST, ITEM, GObject)

struct _TestItem
{
  GObject   parent_instance;
  gboolean  unread;
};

G_DEFINE_FINAL_TYPE (TestItem, test_item, G_TYPE_OBJECT)

enum { P_0, P_REG, P_CAT, P_SUM, P_ADDR, P_DIST, P_STATUS, P_REPEAT, P_PENDING, P_UNREAD };

static void
test_item_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  switch (prop_id)
    {
    case P_REG: g_value_set_string (value, "ALA-2026-000042"); break;
    case P_CAT: g_value_set_string (value, "Нет отопления"); break;
    case P_SUM: g_value_set_string (value, "В квартире +12 градусов"); break;
    case P_ADDR: g_value_set_string (value, "проспект Абая, 52"); break;
    case P_DIST: g_value_set_string (value, "Алмалинский"); break;
    case P_STATUS: g_value_set_string (value, "info_requested"); break;
    case P_REPEAT: g_value_set_boolean (value, TRUE); break;
    case P_PENDING: g_value_set_boolean (value, FALSE); break;
    case P_UNREAD: g_value_set_boolean (value, TEST_ITEM (object)->unread); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_item_class_init (TestItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const char *strings[] = { NULL, "reg-number", "category-name", "summary", "address",
                            "district-name", "status" };
  const char *booleans[] = { "is-repeat", "pending", "unread" };

  object_class->get_property = test_item_get_property;
  for (guint i = P_REG; i <= P_STATUS; i++)
    g_object_class_install_property (object_class, i,
                                     g_param_spec_string (strings[i], NULL, NULL, NULL,
                                                          G_PARAM_READABLE));
  for (guint i = 0; i < G_N_ELEMENTS (booleans); i++)
    g_object_class_install_property (object_class, P_REPEAT + i,
                                     g_param_spec_boolean (booleans[i], NULL, NULL, FALSE,
                                                           G_PARAM_READABLE));
}

static void
test_item_init (TestItem *self)
{
}

static void
collect_visible_text (GtkWidget *root,
                      GString   *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_LABEL (child))
        g_string_append_printf (out, "[%s]", gtk_label_get_text (GTK_LABEL (child)));
      else if (GTK_IS_IMAGE (child))
        g_string_append_printf (out, "<%s>", gtk_image_get_icon_name (GTK_IMAGE (child)));
      collect_visible_text (child, out);
    }
}

static void
test_bind (void)
{
  /* A bound row shows the number, category, text, place, status in words and the repeat mark. */
  SaAppealListRow *row = g_object_ref_sink (SA_APPEAL_LIST_ROW (sa_appeal_list_row_new ()));
  g_autoptr(TestItem) item = g_object_new (TEST_TYPE_ITEM, NULL);
  g_autoptr(GString) seen = g_string_new (NULL);

  item->unread = TRUE;
  sa_appeal_list_row_bind (row, G_OBJECT (item));
  sa_appeal_list_row_set_sla (row, "2 дн. 4 ч", "yellow", "осталось 2 дня 4 часа");
  collect_visible_text (GTK_WIDGET (row), seen);
  g_assert_cmpstr (seen->str, ==,
                   "[ALA-2026-000042]<view-refresh-symbolic>[Waiting for Information]"
                   "[Нет отопления][В квартире +12 градусов]"
                   "[проспект Абая, 52 · Алмалинский][2 дн. 4 ч]");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "unread"));

  /* Recycled for an opened appeal, the row is no longer bold. */
  item->unread = FALSE;
  sa_appeal_list_row_unbind (row);
  sa_appeal_list_row_bind (row, G_OBJECT (item));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "unread"));

  g_assert_finalize_object (row);
}

static gint64
fake_now (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static void
test_countdown_live (void)
{
  /* The SLA chip counts down from the shared clock: it asks to be woken exactly when its text or colour changes, shows the new text then, turns red and overdue on time, and a closed appeal has no chip. */
  SaAppealListRow *row = g_object_ref_sink (SA_APPEAL_LIST_ROW (sa_appeal_list_row_new ()));
  g_autoptr(TestItem) item = g_object_new (TEST_TYPE_ITEM, NULL);
  const gint64 t0 = 1763900000;
  gint64 now = t0 * G_USEC_PER_SEC;
  g_autoptr(SaClock) clock = sa_clock_new_with_now_func (fake_now, &now, NULL);
  GtkWidget *chip;

  sa_appeal_list_row_bind (row, G_OBJECT (item));
  /* Received 10 days ago, due in 1 h 5 min: red (under 10 % of the time left). */
  sa_appeal_list_row_set_deadline (row, clock, t0 - 10 * 24 * 3600, t0 + 3900);
  /* The last widget of the last line. */
  chip = gtk_widget_get_last_child (gtk_widget_get_last_child (gtk_widget_get_first_child (
           GTK_WIDGET (row))));
  g_assert_true (gtk_widget_get_visible (chip));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (chip)), ==, "1 h 5 min");
  g_assert_true (gtk_widget_has_css_class (chip, "red"));
  /* One wake-up, at the minute the text changes. */
  g_assert_cmpint (sa_clock_get_next_wakeup (clock), ==, (t0 + 60) * G_USEC_PER_SEC);

  now = (t0 + 30) * G_USEC_PER_SEC;
  sa_clock_check (clock);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (chip)), ==, "1 h 5 min");
  now = (t0 + 60) * G_USEC_PER_SEC;
  sa_clock_check (clock);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (chip)), ==, "1 h 4 min");

  now = (t0 + 3901) * G_USEC_PER_SEC;
  sa_clock_check (clock);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (chip)), ==, "overdue by 1 min");
  g_assert_true (gtk_widget_has_css_class (chip, "overdue"));
  g_assert_false (gtk_widget_has_css_class (chip, "red"));

  /* Recycled for an answered appeal: no chip, and the clock no longer changes it. */
  sa_appeal_list_row_unbind (row);
  sa_appeal_list_row_bind (row, G_OBJECT (item));
  sa_appeal_list_row_set_deadline (row, clock, t0, 0);
  g_assert_false (gtk_widget_get_visible (chip));
  now = (t0 + 5 * 3600) * G_USEC_PER_SEC;
  sa_clock_check (clock);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (chip)), ==, "");

  g_assert_finalize_object (row);
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

  g_test_add_func ("/sa/appeal-list-row/bind", test_bind);
  g_test_add_func ("/sa/appeal-list-row/countdown-live", test_countdown_live);
  return g_test_run ();
}
