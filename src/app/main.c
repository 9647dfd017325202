/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "smart-appeals"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sa-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(SaApplication) app = NULL;
  /* Run from the build tree ("meson devenv", as build-aux/demo.sh does),
   * the translations are the ones compiled there: nothing is installed. */
  const char *localedir = g_getenv ("SA_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Smart Appeals"));
  app = sa_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
