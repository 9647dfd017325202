/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SaClockNowFunc:
 * @user_data: the data given with the function
 *
 * Returns: the current wall-clock time in unix microseconds
 */
typedef gint64 (*SaClockNowFunc) (gpointer user_data);

#define SA_TYPE_CLOCK (sa_clock_get_type ())
G_DECLARE_FINAL_TYPE (SaClock, sa_clock, SA, CLOCK, GObject)

SaClock  *sa_clock_new                 (void);
SaClock  *sa_clock_new_with_now_func   (SaClockNowFunc  now_func,
                                        gpointer        user_data,
                                        GDestroyNotify  destroy);
SaClock  *sa_clock_get_default         (void);

gint64    sa_clock_get_now             (SaClock        *self);
void      sa_clock_request_wakeup      (SaClock        *self,
                                        gint64          when_usec);
gint64    sa_clock_get_next_wakeup     (SaClock        *self);
guint     sa_clock_get_n_requests      (SaClock        *self);
void      sa_clock_check               (SaClock        *self);

G_END_DECLS
