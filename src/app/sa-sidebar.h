/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * SaSection:
 * @SA_SECTION_MINE: appeals whose executor is the signed-in user
 * @SA_SECTION_QUEUE: the agency's appeals nobody has taken yet
 * @SA_SECTION_REVIEW: replies awaiting the supervisor's approval
 * @SA_SECTION_CONTROL: reopened appeals under the supervisor's control
 * @SA_SECTION_VERDICT: answered appeals waiting for the applicant's verdict
 * @SA_SECTION_WAITING: appeals waiting for the applicant's information
 * @SA_SECTION_OVERDUE: appeals past a deadline
 * @SA_SECTION_ANSWERED: answered and closed appeals
 * @SA_SECTION_ALL: everything the user may see
 *
 * The sidebar's fixed sections, in the order they are shown.
 */
typedef enum
{
  SA_SECTION_MINE,
  SA_SECTION_QUEUE,
  SA_SECTION_REVIEW,
  SA_SECTION_CONTROL,
  SA_SECTION_VERDICT,
  SA_SECTION_WAITING,
  SA_SECTION_OVERDUE,
  SA_SECTION_ANSWERED,
  SA_SECTION_ALL,
  SA_N_SECTIONS
} SaSection;

#define SA_TYPE_SIDEBAR (sa_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (SaSidebar, sa_sidebar, SA, SIDEBAR, GtkWidget)

GtkWidget  *sa_sidebar_new             (void);
SaSection   sa_sidebar_get_section     (SaSidebar  *self);
void        sa_sidebar_set_section_shown (SaSidebar *self,
                                          SaSection  section,
                                          gboolean   shown);
gboolean    sa_sidebar_get_section_shown (SaSidebar *self,
                                          SaSection  section);
void        sa_sidebar_set_section     (SaSidebar  *self,
                                        SaSection   section);
void        sa_sidebar_set_count       (SaSidebar  *self,
                                        SaSection   section,
                                        guint       count);
guint       sa_sidebar_get_count       (SaSidebar  *self,
                                        SaSection   section);
const char *sa_section_get_title       (SaSection   section);

void        sa_sidebar_set_executors   (SaSidebar          *self,
                                        const char * const *logins,
                                        const char * const *names);
void        sa_sidebar_set_executor_count (SaSidebar       *self,
                                        const char         *login,
                                        guint               count);
const char *sa_sidebar_get_executor    (SaSidebar          *self);
const char *sa_sidebar_get_executor_name (SaSidebar        *self);

G_END_DECLS
