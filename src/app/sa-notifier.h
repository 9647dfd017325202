/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sa-cache.h"
#include "sa-clock.h"

G_BEGIN_DECLS

#define SA_TYPE_NOTIFIER (sa_notifier_get_type ())
G_DECLARE_FINAL_TYPE (SaNotifier, sa_notifier, SA, NOTIFIER, GObject)

SaNotifier *sa_notifier_new          (GApplication *app,
                                      SaCache      *cache,
                                      SaClock      *clock);
void        sa_notifier_withdraw_all (SaNotifier   *self);

G_END_DECLS
