/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-sync-status.h"

G_BEGIN_DECLS

struct _SaSyncStatus
{
  AdwBin        parent_instance;

  /* Template children */
  GtkLabel     *sync_label;
  GtkButton    *conflicts_button;
  GtkLabel     *conflicts_label;

  SaSyncEngine *engine;
  gboolean      online;
};

G_END_DECLS
