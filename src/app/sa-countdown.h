/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sa-sla.h"

G_BEGIN_DECLS

const char *sa_countdown_compute (gint64                  start,
                                  gint64                  due,
                                  gint64                  now,
                                  gint64                  notice_due,
                                  SaCountdownStyle        style,
                                  const SaSlaThresholds  *thresholds,
                                  char                  **text,
                                  char                  **spoken,
                                  gint64                 *next_change);

gint64 sa_countdown_apply (GtkLabel               *chip,
                           char                  **light_class,
                           gint64                  start,
                           gint64                  due,
                           gint64                  now,
                           gint64                  notice_due,
                           SaCountdownStyle        style,
                           const SaSlaThresholds  *thresholds);

const char *sa_countdown_notice_reason (void);

const char *sa_countdown_compute_outcome (gint64             stopped_at,
                                          gint64             due,
                                          SaCountdownStyle   style,
                                          char             **text,
                                          char             **spoken);

void        sa_countdown_apply_outcome   (GtkLabel          *chip,
                                          char             **light_class,
                                          gint64             stopped_at,
                                          gint64             due,
                                          SaCountdownStyle   style);

G_END_DECLS
