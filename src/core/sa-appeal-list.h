/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sa-appeal-model.h"
#include "sa-appeal-row.h"
#include "sa-cache.h"

G_BEGIN_DECLS

/**
 * SaAppealSection:
 * @SA_APPEAL_SECTION_MINE: open appeals whose executor is the signed-in user
 * @SA_APPEAL_SECTION_QUEUE: open appeals of the user's agency nobody has taken
 * @SA_APPEAL_SECTION_REVIEW: a supervisor's: appeals with a reply of the
 *   user's agency awaiting approval that the user did not write
 * @SA_APPEAL_SECTION_CONTROL: reopened on the applicant's disagreement and
 *   under control (`under_control`), of the user's agency
 * @SA_APPEAL_SECTION_VERDICT: an operator's: `answered` appeals waiting for
 *   the applicant's verdict, the longest-waiting first
 * @SA_APPEAL_SECTION_WAITING: waiting for the applicant (`info_requested`)
 * @SA_APPEAL_SECTION_OVERDUE: open appeals past their nearer deadline
 * @SA_APPEAL_SECTION_ANSWERED: `answered` and `closed`
 * @SA_APPEAL_SECTION_ALL: everything in the cache
 *
 * The sidebar's sections, in the app's #SaSection order.
 */
typedef enum
{
  SA_APPEAL_SECTION_MINE,
  SA_APPEAL_SECTION_QUEUE,
  SA_APPEAL_SECTION_REVIEW,
  SA_APPEAL_SECTION_CONTROL,
  SA_APPEAL_SECTION_VERDICT,
  SA_APPEAL_SECTION_WAITING,
  SA_APPEAL_SECTION_OVERDUE,
  SA_APPEAL_SECTION_ANSWERED,
  SA_APPEAL_SECTION_ALL,
  SA_APPEAL_N_SECTIONS
} SaAppealSection;

/**
 * SaAppealSort:
 * @SA_APPEAL_SORT_DEADLINE: nearest deadline first (appeals without one last)
 * @SA_APPEAL_SORT_RECEIVED: newest first
 * @SA_APPEAL_SORT_PRIORITY: critical first, then by deadline
 */
typedef enum
{
  SA_APPEAL_SORT_DEADLINE,
  SA_APPEAL_SORT_RECEIVED,
  SA_APPEAL_SORT_PRIORITY,
} SaAppealSort;

/**
 * SaAppealChoice:
 * @code: the registry's code, e.g. `heating.no-heat` or `almaly`
 * @name: its name in the list's language, or the code when the cache has none
 *
 * One choice of a category or district filter.
 */
typedef struct
{
  char *code;
  char *name;
} SaAppealChoice;

gboolean        sa_appeal_section_is_for_role   (SaAppealSection      section,
                                                 SaRole               role);
SaAppealSection sa_appeal_section_first_for_role (SaRole              role);

void sa_appeal_choice_free (SaAppealChoice *choice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaAppealChoice, sa_appeal_choice_free)

#define SA_TYPE_APPEAL_LIST (sa_appeal_list_get_type ())
G_DECLARE_FINAL_TYPE (SaAppealList, sa_appeal_list, SA, APPEAL_LIST, GObject)

SaAppealList   *sa_appeal_list_new               (SaCache             *cache);
SaCache        *sa_appeal_list_get_cache         (SaAppealList        *self);

void            sa_appeal_list_freeze            (SaAppealList        *self);
void            sa_appeal_list_thaw              (SaAppealList        *self);
void            sa_appeal_list_set_section       (SaAppealList        *self,
                                                  SaAppealSection      section);
void            sa_appeal_list_set_statuses      (SaAppealList        *self,
                                                  const char * const  *statuses);
void            sa_appeal_list_set_category      (SaAppealList        *self,
                                                  const char          *code);
void            sa_appeal_list_set_district      (SaAppealList        *self,
                                                  const char          *code);
void            sa_appeal_list_set_channel       (SaAppealList        *self,
                                                  const char          *channel);
void            sa_appeal_list_set_sla_mask      (SaAppealList        *self,
                                                  guint                mask);
void            sa_appeal_list_set_executor      (SaAppealList        *self,
                                                  const char          *login);
GHashTable     *sa_appeal_list_count_by_executor (SaAppealList        *self,
                                                  GError             **error);
void            sa_appeal_list_set_query         (SaAppealList        *self,
                                                  const char          *query);
void            sa_appeal_list_set_sort          (SaAppealList        *self,
                                                  SaAppealSort         sort);
void            sa_appeal_list_set_language      (SaAppealList        *self,
                                                  const char          *language);
void            sa_appeal_list_set_now           (SaAppealList        *self,
                                                  gint64               now);
void            sa_appeal_list_set_incremental   (SaAppealList        *self,
                                                  gboolean             incremental);

gboolean        sa_appeal_list_refresh           (SaAppealList        *self,
                                                  GError             **error);
gboolean        sa_appeal_list_get_section_counts (SaAppealList       *self,
                                                  guint                counts[SA_APPEAL_N_SECTIONS],
                                                  GError             **error);
gboolean        sa_appeal_list_find              (SaAppealList        *self,
                                                  const char          *appeal_id,
                                                  guint               *out_position);
char           *sa_appeal_list_build_fts_query   (const char          *text);

GPtrArray      *sa_appeal_list_get_category_choices (SaAppealList     *self,
                                                  GError             **error);
GPtrArray      *sa_appeal_list_get_district_choices (SaAppealList     *self,
                                                  GError             **error);
JsonObject     *sa_appeal_list_lookup_user       (SaAppealList        *self,
                                                  const char          *login);

G_END_DECLS
