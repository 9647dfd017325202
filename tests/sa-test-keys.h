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
