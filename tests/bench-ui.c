/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The desk on a 100,000-appeal cache, under a real display (Xvfb in the
 * headless runs). Prints
 *   bench: ui.first_frame_100k MS ms   process start to the first frame of
 *                                      the list (median of 5 processes)
 *   bench: ui.search_stall_max MS ms   the longest main-loop stall while a
 *                                      query is typed key by key
 *   bench: ui.rss_100k MIB MiB         resident memory after scrolling the
 *                                      whole list */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "cache-fill.h"
#include "sa-core.h"
#include "sa-window-private.h"

#define TOTAL 100000

/* An address where nothing answers: the desk starts offline, from the
 * cache, as on a laptop without network. */
#define SERVER "http://127.0.0.1:9"
#define LOGIN  "me"

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sa_secret_store_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *)data = TRUE;
}

static SaWindow *
open_desk (SaApplication *app)
{
  SaWindow *window = sa_window_new (app);

  sa_window_restore_session (window, SERVER, LOGIN);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* A frame that shows rows of the list. */
static gboolean
list_painted (SaWindow *window)
{
  GtkWidget *list = GTK_WIDGET (window->list_pane->list_view);

  return gtk_widget_get_mapped (list) && gtk_widget_get_first_child (list) != NULL &&
         gtk_widget_get_first_child (gtk_widget_get_first_child (list)) != NULL;
}

typedef struct
{
  SaWindow *window;
  guint     frames;
  gboolean  shown;
} Frames;

static void
after_paint_cb (GdkFrameClock *clock,
                Frames        *f)
{
  f->frames++;
  if (!f->shown && list_painted (f->window))
    f->shown = TRUE;
}

static void
watch_frames (SaWindow *window,
              Frames   *f)
{
  f->window = window;
  while (!gtk_widget_get_realized (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (after_paint_cb), f);
}

static void
next_frame (Frames *f)
{
  guint frames = f->frames;

  gtk_widget_queue_draw (GTK_WIDGET (f->window));
  while (f->frames == frames)
    g_main_context_iteration (NULL, TRUE);
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
first_frame_ms (void)
{
  const char *exe = g_getenv ("SA_APP_EXE");

  double runs[5];

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) in = NULL;
      g_autofree char *line = NULL;
      gint64 start = g_get_monotonic_time ();

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                exe, "--server", SERVER, "--login", LOGIN, NULL);
      g_assert_no_error (error);
      in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
      line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (line != NULL && g_str_has_prefix (line, "first-frame "));
      runs[i] = (g_ascii_strtoll (line + strlen ("first-frame "), NULL, 10) - start) / 1000.0;
      g_subprocess_wait_check (child, NULL, &error);
      g_assert_no_error (error);
      printf ("# first frame %.0f ms\n", runs[i]);
    }
  qsort (runs, G_N_ELEMENTS (runs), sizeof runs[0], compare_double);
  return runs[G_N_ELEMENTS (runs) / 2];
}

/* The main loop's pulse: a 1 ms timer at high priority that notes the
 * longest gap between its runs. */
typedef struct
{
  gint64 last;
  gint64 worst;
} Pulse;

/* With SA_BENCH_VERBOSE, each frame longer than half a frame is printed
 * split into update and layout, and paint, to tell where a stall is. Our
 * handlers run after GTK's own, which connected when the window was
 * realized. */
typedef struct
{
  gint64 start;
  gint64 laid_out;
  gint64 painted;
} FramePhases;

static void
note_time_cb (GdkFrameClock *clock,
              gint64        *when)
{
  *when = g_get_monotonic_time ();
}

static void
frame_done_cb (GdkFrameClock *clock,
               FramePhases   *p)
{
  gint64 now = g_get_monotonic_time ();

  if (now - p->start > 8000)
    printf ("#   a frame of %.1f ms: update and layout %.1f, paint %.1f\n",
            (now - p->start) / 1000.0, (p->laid_out - p->start) / 1000.0,
            (p->painted - p->laid_out) / 1000.0);
}

static void
watch_phases (SaWindow    *window,
              FramePhases *p)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  g_signal_connect (clock, "before-paint", G_CALLBACK (note_time_cb), &p->start);
  g_signal_connect (clock, "layout", G_CALLBACK (note_time_cb), &p->laid_out);
  g_signal_connect (clock, "paint", G_CALLBACK (note_time_cb), &p->painted);
  g_signal_connect (clock, "after-paint", G_CALLBACK (frame_done_cb), p);
}

static void
unwatch_phases (SaWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  g_signal_handlers_disconnect_matched (clock, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, note_time_cb, NULL);
  g_signal_handlers_disconnect_matched (clock, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, frame_done_cb, NULL);
}

static gboolean
pulse_cb (gpointer data)
{
  Pulse *p = data;
  gint64 now = g_get_monotonic_time ();

  if (p->last != 0)
    p->worst = MAX (p->worst, now - p->last);
  p->last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Spins @ms and folds the phase's longest gap into @total. */
static void
measure_phase (Pulse      *pulse,
               gint64     *total,
               guint       ms,
               const char *label)
{
  pulse->worst = 0;
  spin (ms);
  if (g_getenv ("SA_BENCH_VERBOSE") != NULL)
    printf ("# %s: %.1f ms\n", label, pulse->worst / 1000.0);
  *total = MAX (*total, pulse->worst);
}

static double
search_stall_ms (SaWindow *window)
{
  /* Typed as a person types: a key every 120 ms, in Russian and Kazakh. */
  static const char * const queries[] = { "отопление", "жылу жоқ", "Абая" };
  Pulse pulse = { 0 };
  FramePhases phases = { 0 };
  gint64 total = 0;
  guint id;

  gtk_search_bar_set_search_mode (window->list_pane->search_bar, TRUE);
  spin (300);
  if (g_getenv ("SA_BENCH_VERBOSE") != NULL)
    watch_phases (window, &phases);
  id = g_timeout_add_full (G_PRIORITY_HIGH, 1, pulse_cb, &pulse, NULL);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      glong n = g_utf8_strlen (queries[q], -1);

      for (glong i = 1; i <= n; i++)
        {
          g_autofree char *prefix = g_utf8_substring (queries[q], 0, i);
          g_autofree char *label = g_strdup_printf ("“%s”", prefix);

          gtk_editable_set_text (GTK_EDITABLE (window->list_pane->search_entry), prefix);
          measure_phase (&pulse, &total, 120, label);
        }
      measure_phase (&pulse, &total, 400, "search ran");
      gtk_editable_set_text (GTK_EDITABLE (window->list_pane->search_entry), "");
      measure_phase (&pulse, &total, 400, "cleared");
    }
  g_source_remove (id);
  unwatch_phases (window);
  /* The timer's own millisecond is not a stall. */
  return MAX (0, total - 1000) / 1000.0;
}

static double
rss_after_scrolling_mib (SaWindow *window,
                         Frames   *f)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (window->list_pane->list_view),
                                                 GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_autofree char *status = NULL;
  const char *line;
  guint steps = 0;

  /* A few pages per frame, top to bottom: every row is fetched once. */
  while (gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) <
         gtk_adjustment_get_upper (adj) - 1)
    {
      gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) +
                                     4 * gtk_adjustment_get_page_size (adj));
      next_frame (f);
      steps++;
    }
  printf ("# scrolled to the end in %u frames\n", steps);

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10) / 1024.0;
}

/* The child: an offline desk on the cache the parent filled. */
static int
desk_child (void)
{
  g_autoptr(SaApplication) app = NULL;
  Frames f = { 0 };
  SaWindow *window;
  double stall, rss;

  gtk_init ();
  app = sa_application_new ();
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = open_desk (app);
  watch_frames (window, &f);
  while (!f.shown)
    g_main_context_iteration (NULL, TRUE);
  if (g_getenv ("SA_BENCH_VERBOSE"))
    {
      guint n = 0;

      for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (window->list_pane->list_view));
           c != NULL;
           c = gtk_widget_get_next_sibling (c))
        n++;
      printf ("# %u row widgets alive\n", n);
    }
  stall = search_stall_ms (window);
  printf ("bench: ui.search_stall_max %.1f ms\n", stall);
  fflush (stdout);
  rss = rss_after_scrolling_mib (window, &f);
  printf ("bench: ui.rss_100k %.0f MiB\n", rss);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  gboolean stored = FALSE;
  double first;
  const char *env = g_getenv ("SA_BENCH_APPEALS");
  guint total = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : TOTAL;

  if (argc == 2 && g_str_equal (argv[1], "--desk"))
    return desk_child ();

  /* The account's cache where the app looks for it, before GLib
   * remembers the user's directories. */
  dir = g_dir_make_tmp ("sa-bench-ui-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  path = sa_cache_default_path (SERVER, LOGIN);
  g_assert_true (g_str_has_prefix (path, dir));
  sa_bench_fill_cache (path, total);

  /* A signed-in account: its refresh token in the Secret Service. */
  sa_secret_store_async (SERVER, LOGIN, "bench-refresh-token", NULL, store_cb, &stored);
  while (!stored)
    g_main_context_iteration (NULL, TRUE);

  g_setenv ("SA_REPORT_FIRST_FRAME", "1", TRUE);
  first = first_frame_ms ();
  g_unsetenv ("SA_REPORT_FIRST_FRAME");
  printf ("bench: ui.first_frame_100k %.0f ms\n", first);
  fflush (stdout);

  /* The desk itself in a fresh process, so that its memory is its own. */
  {
    g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
    g_autoptr(GSubprocess) desk = NULL;

    desk = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, exe, "--desk", NULL);
    g_assert_no_error (error);
    g_subprocess_wait_check (desk, NULL, &error);
    g_assert_no_error (error);
  }

  sa_cache_delete (path, NULL);
  g_rmdir (dir);
  return 0;
}
