/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-workarounds"

#include "config.h"

#include "sa-workarounds.h"

/* What GTK 4.8 and libadwaita 1.2 get wrong for the desk's users, mended
 * from outside; each can go when the project moves to a GTK that does it.
 *
 * GNOME apps give an icon-only menu button a tooltip ("Main Menu", "More
 * Actions"). GTK 4.8 keeps that tooltip up when the button is clicked and
 * shows it again while the pointer rests there, below the button: right
 * over the first item of the menu that opened below it. So the tooltip is
 * off while the menu is open, and back when it closes. */

static void
popover_shown_cb (GtkWidget *button)
{
  gtk_widget_set_has_tooltip (button, FALSE);
  /* Asks again at once, which takes down a tooltip already shown. */
  gtk_widget_trigger_tooltip_query (button);
}

static void
popover_hidden_cb (GtkWidget *button)
{
  gtk_widget_set_has_tooltip (button, gtk_widget_get_tooltip_text (button) != NULL);
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* A new menu model makes a new popover. */
static void
popover_changed_cb (GtkMenuButton *button)
{
  GtkPopover *popover = gtk_menu_button_get_popover (button);
  GWeakRef *watched = g_object_get_data (G_OBJECT (button), "sa-quiet-popover");
  g_autoptr(GObject) old = NULL;

  if (watched == NULL)
    {
      watched = g_new0 (GWeakRef, 1);
      g_weak_ref_init (watched, NULL);
      g_object_set_data_full (G_OBJECT (button), "sa-quiet-popover", watched, weak_ref_free);
    }
  old = g_weak_ref_get (watched);
  if (popover == NULL || old == G_OBJECT (popover))
    return;
  if (old != NULL)
    g_signal_handlers_disconnect_by_data (old, button);
  g_weak_ref_set (watched, popover);
  g_signal_connect_object (popover, "show", G_CALLBACK (popover_shown_cb), button,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (popover, "hide", G_CALLBACK (popover_hidden_cb), button,
                           G_CONNECT_SWAPPED);
}

/**
 * sa_menu_button_quiet_tooltip:
 * @button: a menu button with a tooltip
 *
 * Keeps @button's tooltip from covering its menu: no tooltip while the
 * menu is open, whichever popover the button has then.
 */
void
sa_menu_button_quiet_tooltip (GtkMenuButton *button)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));

  g_signal_connect (button, "notify::popover", G_CALLBACK (popover_changed_cb), NULL);
  g_signal_connect (button, "notify::menu-model", G_CALLBACK (popover_changed_cb), NULL);
  popover_changed_cb (button);
}

/* Whether @button shows only an icon: no text a screen reader could read. */
static gboolean
shows_icon_only (GtkWidget *button)
{
  for (GtkWidget *child = gtk_widget_get_first_child (button); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child) || !shows_icon_only (child))
      return FALSE;
  return TRUE;
}

static void
name_after_tooltip (GtkWidget  *button,
                    const char *tooltip)
{
  if (tooltip != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    tooltip, -1);
}

/**
 * sa_accessible_name_icon_buttons:
 * @root: a widget with its children made, e.g. a window after its template
 *
 * GTK 4.8 names a button for screen readers from its label only: an
 * icon-only button with a tooltip is read as its type ("GtkImage",
 * "GtkToggleButton"), and so is the button inside a menu button, which is
 * what takes the focus. Each such button under @root is named after its
 * tooltip (the button inside a menu button after the menu button's), which
 * is translated already; a button without a tooltip is left as it is. This
 * includes libadwaita's own, such as a password row's "Show Text".
 */
void
sa_accessible_name_icon_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *parent = gtk_widget_get_parent (child);

      if (GTK_IS_BUTTON (child) && shows_icon_only (child))
        {
          if (GTK_IS_MENU_BUTTON (parent))
            name_after_tooltip (child, gtk_widget_get_tooltip_text (parent));
          else
            name_after_tooltip (child, gtk_widget_get_tooltip_text (child));
        }
      sa_accessible_name_icon_buttons (child);
    }
}
