/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sa-application.h"
#include "sa-sidebar.h"

static GtkListBox *
list_box (SaSidebar *sidebar)
{
  GtkWidget *scrolled = gtk_widget_get_first_child (GTK_WIDGET (sidebar));
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));

  return GTK_LIST_BOX (gtk_viewport_get_child (GTK_VIEWPORT (viewport)));
}

static GtkLabel *
count_label (SaSidebar *sidebar,
             guint      index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list_box (sidebar), index);
  GtkWidget *box = gtk_list_box_row_get_child (row);

  return GTK_LABEL (gtk_widget_get_last_child (box));
}

static void
test_counts (void)
{
  /* A section shows its count; an empty one shows no number at all. */
  SaSidebar *sidebar = g_object_ref_sink (SA_SIDEBAR (sa_sidebar_new ()));

  sa_sidebar_set_count (sidebar, SA_SECTION_OVERDUE, 12);
  g_assert_cmpstr (gtk_label_get_text (count_label (sidebar, SA_SECTION_OVERDUE)), ==, "12");
  sa_sidebar_set_count (sidebar, SA_SECTION_OVERDUE, 0);
  g_assert_cmpstr (gtk_label_get_text (count_label (sidebar, SA_SECTION_OVERDUE)), ==, "");
  g_assert_cmpuint (sa_sidebar_get_count (sidebar, SA_SECTION_OVERDUE), ==, 0);

  g_assert_finalize_object (sidebar);
}

static void
notified (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  (*(guint *)user_data)++;
}

static void
test_section (void)
{
  /* Choosing a section notifies once; choosing it again does not. */
  SaSidebar *sidebar = g_object_ref_sink (SA_SIDEBAR (sa_sidebar_new ()));
  guint n = 0;

  g_assert_cmpint (sa_sidebar_get_section (sidebar), ==, SA_SECTION_MINE);
  g_signal_connect (sidebar, "notify::section", G_CALLBACK (notified), &n);
  sa_sidebar_set_section (sidebar, SA_SECTION_ANSWERED);
  g_assert_cmpint (sa_sidebar_get_section (sidebar), ==, SA_SECTION_ANSWERED);
  sa_sidebar_set_section (sidebar, SA_SECTION_ANSWERED);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (sa_section_get_title (SA_SECTION_ANSWERED), ==, "Answered");

  g_assert_finalize_object (sidebar);
}

static void
test_executors (void)
{
  /* A supervisor's colleagues follow the sections, with counts; picking one names them, a section clears it. */
  SaSidebar *sidebar = g_object_ref_sink (SA_SIDEBAR (sa_sidebar_new ()));
  GtkListBox *list = list_box (sidebar);
  const char *logins[] = { "executor.a", "executor.b", NULL };
  const char *names[] = { "Абаева Аида", "Бекова Дана", NULL };
  const char *fewer[] = { "executor.a", NULL };
  guint notifications = 0;
  GtkWidget *header;

  g_assert_null (gtk_list_box_get_row_at_index (list, SA_N_SECTIONS));
  sa_sidebar_set_executors (sidebar, logins, names);
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, SA_N_SECTIONS + 1));
  header = gtk_list_box_row_get_header (gtk_list_box_get_row_at_index (list, SA_N_SECTIONS));
  g_assert_true (GTK_IS_LABEL (header));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (header)), ==, "Executors");
  sa_sidebar_set_executor_count (sidebar, "executor.b", 7);
  g_assert_cmpstr (gtk_label_get_text (count_label (sidebar, SA_N_SECTIONS + 1)), ==, "7");

  g_signal_connect (sidebar, "notify::executor", G_CALLBACK (notified), &notifications);
  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, SA_N_SECTIONS + 1));
  g_assert_cmpstr (sa_sidebar_get_executor (sidebar), ==, "executor.b");
  g_assert_cmpstr (sa_sidebar_get_executor_name (sidebar), ==, "Бекова Дана");
  g_assert_cmpuint (notifications, ==, 1);

  /* The same colleagues again change nothing; without the selected one, back to the section. */
  sa_sidebar_set_executors (sidebar, logins, names);
  g_assert_cmpstr (sa_sidebar_get_executor (sidebar), ==, "executor.b");
  sa_sidebar_set_executors (sidebar, fewer, names);
  g_assert_null (sa_sidebar_get_executor (sidebar));
  g_assert_cmpuint (notifications, ==, 2);
  g_assert_null (gtk_list_box_get_row_at_index (list, SA_N_SECTIONS + 1));

  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, SA_N_SECTIONS));
  g_assert_cmpstr (sa_sidebar_get_executor (sidebar), ==, "executor.a");
  sa_sidebar_set_section (sidebar, SA_SECTION_QUEUE);
  g_assert_null (sa_sidebar_get_executor (sidebar));
  g_assert_cmpuint (sa_sidebar_get_section (sidebar), ==, SA_SECTION_QUEUE);

  g_assert_finalize_object (sidebar);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SaApplication) app = NULL;

  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The application registers the UI resources. */
  app = sa_application_new ();

  g_test_add_func ("/sa/sidebar/counts", test_counts);
  g_test_add_func ("/sa/sidebar/section", test_section);
  g_test_add_func ("/sa/sidebar/executors", test_executors);
  return g_test_run ();
}
