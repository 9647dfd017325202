/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>

/* Typing as a person does: real key presses sent to the X server (Xvfb)
 * with XTest, so that GTK meets them as it meets a keyboard, with its
 * capture, target and bubble phases and every widget's own bindings.
 * GTK 4 has no way to inject key events into itself. */

/* Lets GTK handle what is queued, for @ms milliseconds. */
static inline void
sa_test_keys_settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (2000);
    }
}

/* Presents @window and waits until it has the keyboard. */
static inline void
sa_test_keys_focus_window (GtkWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  gtk_window_present (window);
  while (!gtk_window_is_active (window))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The window never got the keyboard");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  sa_test_keys_settle (50);
}

static inline void
sa_test_keys_send (Display *xdisplay,
                   KeySym   keysym,
                   gboolean press)
{
  KeyCode code = XKeysymToKeycode (xdisplay, keysym);

  g_assert_cmpuint (code, !=, 0);
  XTestFakeKeyEvent (xdisplay, code, press, CurrentTime);
}

/* Presses @keyval with @mods (Control, Shift, Alt) and lets it go. */
static inline void
sa_test_press (guint           keyval,
               GdkModifierType mods)
{
  GdkDisplay *display = gdk_display_get_default ();
  Display *xdisplay;

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  xdisplay = gdk_x11_display_get_xdisplay (display);
  if (mods & GDK_CONTROL_MASK)
    sa_test_keys_send (xdisplay, XK_Control_L, TRUE);
  if (mods & GDK_SHIFT_MASK)
    sa_test_keys_send (xdisplay, XK_Shift_L, TRUE);
  if (mods & GDK_ALT_MASK)
    sa_test_keys_send (xdisplay, XK_Alt_L, TRUE);
  sa_test_keys_send (xdisplay, keyval, TRUE);
  sa_test_keys_send (xdisplay, keyval, FALSE);
  if (mods & GDK_ALT_MASK)
    sa_test_keys_send (xdisplay, XK_Alt_L, FALSE);
  if (mods & GDK_SHIFT_MASK)
    sa_test_keys_send (xdisplay, XK_Shift_L, FALSE);
  if (mods & GDK_CONTROL_MASK)
    sa_test_keys_send (xdisplay, XK_Control_L, FALSE);
  XFlush (xdisplay);
  sa_test_keys_settle (60);
}

/* Types @text of ASCII letters, digits and spaces. */
static inline void
sa_test_type (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    sa_test_press (*p == ' ' ? GDK_KEY_space : (guint) *p, 0);
}

/* Moves the pointer to the middle of @widget, as a mouse would. */
static inline void
sa_test_pointer_to (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  Display *xdisplay = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  graphene_point_t middle = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.f,
                                                 gtk_widget_get_height (widget) / 2.f);
  Window child;
  graphene_point_t at;
  double nx, ny;
  int rx, ry;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &middle, &at));
  gtk_native_get_surface_transform (native, &nx, &ny);
  XTranslateCoordinates (xdisplay, gdk_x11_surface_get_xid (surface),
                         DefaultRootWindow (xdisplay), (int) (at.x + nx), (int) (at.y + ny),
                         &rx, &ry, &child);
  XTestFakeMotionEvent (xdisplay, -1, rx, ry, CurrentTime);
  XFlush (xdisplay);
  sa_test_keys_settle (60);
}

/* Clicks the first mouse button where the pointer is. */
static inline void
sa_test_click (void)
{
  Display *xdisplay = gdk_x11_display_get_xdisplay (gdk_display_get_default ());

  XTestFakeButtonEvent (xdisplay, 1, True, CurrentTime);
  XTestFakeButtonEvent (xdisplay, 1, False, CurrentTime);
  XFlush (xdisplay);
  sa_test_keys_settle (60);
}

/* Whether GTK shows a tooltip in @window now (GTK parents its tooltip
 * window to the window it belongs to). */
static inline gboolean
sa_test_tooltip_shown (GtkWidget *window)
{
  for (GtkWidget *child = gtk_widget_get_first_child (window); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (G_OBJECT_TYPE_NAME (child), "GtkTooltipWindow") &&
        gtk_widget_get_mapped (child))
      return TRUE;
  return FALSE;
}
