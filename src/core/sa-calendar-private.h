/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-calendar.h"

G_BEGIN_DECLS

/* Working hours of a working day, Almaty time. */
#define SA_CALENDAR_WORK_START_HOUR 9
#define SA_CALENDAR_WORK_END_HOUR   18

gboolean _sa_calendar_next_working_window (SaCalendar *self,
                                           gint64      t,
                                           gint64     *win_start,
                                           gint64     *win_end);

G_END_DECLS
