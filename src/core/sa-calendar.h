/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SaCalendarError:
 * @SA_CALENDAR_ERROR_SYNTAX: a line could not be parsed (unknown keyword, wrong
 *   number of fields, a date that is not YYYY-MM-DD or MM-DD)
 * @SA_CALENDAR_ERROR_INVALID_DATE: a date does not exist (2025-02-30) or lies
 *   outside the years the file declares
 * @SA_CALENDAR_ERROR_HEADER: the `format` or `years` line is missing, repeated,
 *   out of order, or names an unsupported format
 * @SA_CALENDAR_ERROR_CONFLICT: the same date is given twice in contradicting ways
 *   (e.g. both `off` and `work`)
 *
 * Errors in the %SA_CALENDAR_ERROR domain. Every message starts with
 * "line N: " when the problem sits on a line of the file.
 */
typedef enum
{
  SA_CALENDAR_ERROR_SYNTAX,
  SA_CALENDAR_ERROR_INVALID_DATE,
  SA_CALENDAR_ERROR_HEADER,
  SA_CALENDAR_ERROR_CONFLICT,
} SaCalendarError;

#define SA_CALENDAR_ERROR (sa_calendar_error_quark ())
GQuark sa_calendar_error_quark (void);

/* Where the default calendar sits inside the core's GResource. */
#define SA_CALENDAR_RESOURCE_PATH "/kz/almaty/SmartAppeals/core/calendar/kz-working-calendar.txt"

#define SA_TYPE_CALENDAR (sa_calendar_get_type ())
G_DECLARE_FINAL_TYPE (SaCalendar, sa_calendar, SA, CALENDAR, GObject)

SaCalendar  *sa_calendar_new_default          (void);
SaCalendar  *sa_calendar_new_from_file        (const char  *path,
                                               GError     **error);
SaCalendar  *sa_calendar_new_from_data        (const char  *data,
                                               gssize       length,
                                               GError     **error);

const char  *sa_calendar_get_version          (SaCalendar  *self);
int          sa_calendar_get_first_year       (SaCalendar  *self);
int          sa_calendar_get_last_year        (SaCalendar  *self);
GTimeZone   *sa_calendar_get_timezone         (SaCalendar  *self);

gboolean     sa_calendar_is_working_day       (SaCalendar  *self,
                                               int          year,
                                               int          month,
                                               int          day);
gboolean     sa_calendar_is_working_day_at    (SaCalendar  *self,
                                               gint64       unix_time);
gint64       sa_calendar_day_start            (SaCalendar  *self,
                                               gint64       unix_time);
gint64       sa_calendar_day_end              (SaCalendar  *self,
                                               gint64       unix_time);
gint64       sa_calendar_add_working_days     (SaCalendar  *self,
                                               gint64       unix_time,
                                               guint        n_days);

G_END_DECLS
