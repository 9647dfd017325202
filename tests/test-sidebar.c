/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sa-application.h"
#include "sa-sidebar.h"

static GtkLabel *
count_label (SaSidebar *sidebar,
             SaSection  section)
{
  GtkWidget *scrolled = gtk_widget_get_first_child (GTK_WIDGET (sidebar));
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  GtkWidget *list = gtk_viewport_get_child (GTK_VIEWPORT (viewport));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), section);
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
  return g_test_run ();
}
