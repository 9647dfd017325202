/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "smart-appeals-registry"

#include "config.h"

#include <locale.h>

#include "sa-registry-cli.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  return sa_registry_cli_run (argc, argv);
}
