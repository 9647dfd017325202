/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-first-frame"

#include "config.h"

#include <stdio.h>

#include "sa-first-frame.h"
#include "sa-window-private.h"

/* For the benchmarks (tests/bench-ui.c): with SA_REPORT_FIRST_FRAME set,
 * the app prints "first-frame T" on stdout, T in g_get_monotonic_time ()
 * µs, after the first frame that paints rows of the appeals list, and
 * then quits. The clock is the system's monotonic one, so the parent can
 * subtract the moment it started the process. */

static gboolean
list_has_rows (SaWindow *window)
{
  GtkWidget *list = GTK_WIDGET (window->list_pane->list_view);
  GtkWidget *row = gtk_widget_get_first_child (list);

  return gtk_widget_get_mapped (list) && row != NULL && gtk_widget_get_first_child (row) != NULL;
}

static void
after_paint_cb (GdkFrameClock *clock,
                SaWindow      *window)
{
  GApplication *app;

  if (!list_has_rows (window))
    return;
  printf ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, window);
  app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));
  if (app != NULL)
    g_application_quit (app);
}

static void
realize_cb (SaWindow *window)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                           G_CALLBACK (after_paint_cb), window, 0);
}

void
_sa_first_frame_report (SaWindow *window)
{
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);
}
