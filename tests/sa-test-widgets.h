/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

/* Walking a widget tree the way a user meets it: depth-first, in order. */

static inline void
sa_test_collect (GtkWidget *root,
                 GType      type,
                 GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (found, child);
      sa_test_collect (child, type, found);
    }
}

/* Whether a label under @root that the user can see says exactly @text. */
static inline gboolean
sa_test_shows_label (GtkWidget  *root,
                     const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  sa_test_collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_visible (g_ptr_array_index (labels, i)) &&
        g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return TRUE;
  return FALSE;
}

/* The nth widget of @type in depth-first order, or NULL. */
static inline GtkWidget *
sa_test_find_by_type (GtkWidget *root,
                      GType      type,
                      guint      nth)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  sa_test_collect (root, type, found);
  return nth < found->len ? g_ptr_array_index (found, nth) : NULL;
}

/* The first button under @root whose label (mnemonic included) is
 * @label, or NULL. */
static inline GtkWidget *
sa_test_find_button (GtkWidget  *root,
                     const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  sa_test_collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}
