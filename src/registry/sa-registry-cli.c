/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-cli"

#include "config.h"

#include "sa-registry-cli.h"

int
sa_registry_cli_run (int    argc,
                     char **argv)
{
  g_printerr ("Usage: smart-appeals-registry init|serve|user …\n");
  return 2;
}
