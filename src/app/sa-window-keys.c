/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-window"

#include "config.h"

#include "sa-window-private.h"

/* The keyboard in SaWindow: Tab through the panes, Escape out of the
 * search, and the shortcuts of the shown appeal's operations. The
 * accelerators are also written in data/ui/help-overlay.ui and in the
 * detail's menu (data/ui/sa-appeal-detail.ui); docs/keyboard-and-screen-readers.md
 * says why. */

/* The operations of the shown appeal, with Ctrl. Reply is Ctrl+N, a new
 * message as in mail: Ctrl+R is taken by Sync Now. */
static const struct
{
  guint       keyval;
  const char *action;
} detail_keys[] = {
  { GDK_KEY_t, "detail.take" },
  { GDK_KEY_n, "detail.reply" },
  { GDK_KEY_u, "detail.assign" },
  { GDK_KEY_m, "detail.comment" },
  { GDK_KEY_i, "detail.request-info" },
  { GDK_KEY_l, "detail.forward" },
  { GDK_KEY_e, "detail.escalate" },
  { GDK_KEY_d, "detail.extend" },
  { GDK_KEY_p, "detail.review-reply" },
  { GDK_KEY_j, "detail.record-verdict" },
  { GDK_KEY_g, "detail.quick-answer" },
  { GDK_KEY_k, "detail.record-info" },
};

/* Whether the user sees the detail, so that a shortcut acts on the appeal
 * in sight and not on one hidden behind a folded list. */
static gboolean
detail_in_sight (SaWindow *self)
{
  if (g_strcmp0 (sa_window_get_page (self), "main") != 0)
    return FALSE;
  if (sa_appeal_detail_get_appeal (self->detail) == NULL)
    return FALSE;
  return !adw_leaflet_get_folded (self->leaflet) ||
         g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "detail") == 0;
}

static gboolean
detail_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  SaWindow *self = SA_WINDOW (widget);

  if (!detail_in_sight (self))
    return FALSE;
  /* An operation the user may not do now is off: nothing happens. */
  return gtk_widget_activate_action (GTK_WIDGET (self->detail),
                                     g_variant_get_string (args, NULL), NULL);
}

void
_sa_window_class_add_keys (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (detail_keys); i++)
    gtk_widget_class_add_binding (widget_class, detail_keys[i].keyval, GDK_CONTROL_MASK,
                                  detail_shortcut_cb, "s", detail_keys[i].action);
}

/* GTK 4.8's list view moves Tab from row to row (4.12 has
 * GtkListView:tab-behavior), so Tab never got out of a long list. As in
 * GNOME apps, Tab and Shift+Tab leave the list for the next pane, and the
 * arrows move within it. */
static gboolean
list_key_pressed_cb (SaWindow              *self,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     GtkEventControllerKey *controller)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  GtkWidget *list = GTK_WIDGET (self->list_pane->list_view);
  GtkDirectionType direction;

  if ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab) && mods == 0)
    direction = GTK_DIR_TAB_FORWARD;
  else if ((keyval == GDK_KEY_ISO_Left_Tab || keyval == GDK_KEY_Tab ||
            keyval == GDK_KEY_KP_Tab) && mods == GDK_SHIFT_MASK)
    direction = GTK_DIR_TAB_BACKWARD;
  else
    return FALSE;

  /* For a moment the list cannot take the focus: GTK's own focus chain
   * then moves past it, in the order every other widget follows. */
  gtk_widget_set_can_focus (list, FALSE);
  if (!gtk_widget_child_focus (GTK_WIDGET (self), direction))
    /* Nothing else to go to: round again, as the window does. */
    gtk_widget_child_focus (GTK_WIDGET (self), direction);
  gtk_widget_set_can_focus (list, TRUE);
  return TRUE;
}

/* Escape closes an open search wherever the focus is in the window. Before
 * any widget hears it: a toast (there is one after every operation) takes
 * Escape on its way up to the window. Otherwise Escape goes on as before
 * (win.go-back, the search entry, a toast). */
static gboolean
window_key_pressed_cb (SaWindow              *self,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       GtkEventControllerKey *controller)
{
  if (keyval != GDK_KEY_Escape || (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;
  if (g_strcmp0 (sa_window_get_page (self), "main") != 0 ||
      !gtk_search_bar_get_search_mode (self->list_pane->search_bar))
    return FALSE;
  /* Folded, the search is on the list's page: elsewhere Escape goes back. */
  if (adw_leaflet_get_folded (self->leaflet) &&
      g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "list") != 0)
    return FALSE;
  gtk_search_bar_set_search_mode (self->list_pane->search_bar, FALSE);
  return TRUE;
}

void
_sa_window_init_keys (SaWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  /* Before the list's rows see Tab. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (list_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->list_pane->list_view), keys);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (window_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
