/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-screenshot"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sa-application.h"
#include "sa-window.h"

/* Renders the main window to a PNG without a compositor or a screenshot
 * portal: the window's own paintable is drawn by its renderer. Used by
 * build-aux/screenshots.sh for docs/screenshots/. */

static char *opt_output;
static char *opt_style = (char *)"light";
static char *opt_localedir;
static char *opt_server;
static char *opt_login;
static int opt_width = 1100;
static int opt_height = 720;
static double opt_delay = 1.5;

static const GOptionEntry entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, "PNG to write", "FILE" },
  { "style", 0, 0, G_OPTION_ARG_STRING, &opt_style, "light or dark", "STYLE" },
  { "localedir", 0, 0, G_OPTION_ARG_FILENAME, &opt_localedir, "Where the .mo files are", "DIR" },
  { "server", 0, 0, G_OPTION_ARG_STRING, &opt_server, "Registry to sign in to", "URL" },
  { "login", 0, 0, G_OPTION_ARG_STRING, &opt_login, "Login (password on stdin)", "LOGIN" },
  { "width", 0, 0, G_OPTION_ARG_INT, &opt_width, "Window width", "PX" },
  { "height", 0, 0, G_OPTION_ARG_INT, &opt_height, "Window height", "PX" },
  { "delay", 0, 0, G_OPTION_ARG_DOUBLE, &opt_delay, "Seconds to wait before the shot", "S" },
  { NULL }
};

static gboolean
shoot (gpointer user_data)
{
  GtkWidget *window = user_data;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int w = gtk_widget_get_width (window);
  int h = gtk_widget_get_height (window);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_to_node (snapshot);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, opt_output))
    g_error ("Could not write %s", opt_output);
  g_print ("%s: %d×%d\n", opt_output, w, h);
  gtk_window_destroy (GTK_WINDOW (window));
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- screenshot the Smart Appeals window");
  g_autoptr(GError) error = NULL;
  g_autoptr(SaApplication) app = NULL;
  g_autofree char *password = NULL;
  SaWindow *window;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_output == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "--output is required");
      return 2;
    }
  bindtextdomain (GETTEXT_PACKAGE, opt_localedir ? opt_localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (opt_login != NULL)
    {
      g_autoptr(GIOChannel) in = g_io_channel_unix_new (0);

      g_io_channel_read_to_end (in, &password, NULL, NULL);
      g_strchomp (password);
    }

  gtk_init ();
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      g_str_equal (opt_style, "dark")
                                        ? ADW_COLOR_SCHEME_FORCE_DARK
                                        : ADW_COLOR_SCHEME_FORCE_LIGHT);

  app = sa_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  window = sa_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), opt_width, opt_height);
  if (opt_login != NULL)
    sa_window_sign_in (window, opt_server, opt_login, password);
  else
    sa_window_restore_session (window, "", "");
  gtk_window_present (GTK_WINDOW (window));

  g_timeout_add ((guint)(opt_delay * 1000), shoot, window);
  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}
