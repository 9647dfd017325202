/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sa-appeal-model.h"
#include "sa-reference.h"

G_BEGIN_DECLS

/* Deterministic demo content for `smart-appeals-registry init --demo`: the
 * people of Almaty's agencies and a generator of realistic appeals, over
 * the city's reference data (sa-reference.h). The storage layer inserts
 * what these functions describe; nothing here touches SQLite. All strings
 * are UTF-8; those not owned by an appeal live as long as the SaDemo. */

typedef struct _SaDemo SaDemo;

typedef struct
{
  const char *login;       /* e.g. "executor.almaty-energo" */
  const char *full_name;
  const char *agency;      /* an agency code */
  const char *role;        /* executor, supervisor, curator, operator, ksk_manager, admin */
  const char *password;    /* the demo password, printed by init and listed in the README */
} SaDemoUser;

/* One op done on the appeal after it was registered. The registry applies
 * it through the appeal model, as POST /api/v1/ops would: an answered
 * appeal got there by a reply written, submitted and approved, a closed
 * one by the applicant's verdict. An appeal has at most one reply. */
typedef struct
{
  SaOpType    op;
  gint64      at;        /* unix seconds, after the previous op and before now */
  const char *actor;     /* a login of the lead agency, or the contact centre's operator */
  const char *user;      /* assign: the executor */
  const char *text;      /* comment, request_info, info_received, reply_save */
  SaPriority  priority;  /* set_priority */
  gboolean    agree;     /* feedback */
  guint       rating;    /* feedback: 1 to 5 */
} SaDemoEvent;

#define SA_DEMO_MAX_EVENTS 12

typedef struct
{
  SaChannel   channel;
  const char *category;       /* a category code */
  char       *text;           /* owned by the caller of sa_demo_appeal_generate() */
  char       *applicant_name;
  char        applicant_iin[13];  /* valid check digit */
  char        phone[16];          /* +77XXXXXXXXX */
  char       *email;              /* may be NULL */
  char       *address;            /* a real Almaty street and house number */
  char       *reply_text;         /* the answer's letter, when it was written (or NULL) */
  const char *district;           /* a district code */
  const char *language;           /* "ru" or "kk" */
  gint64      received_at;        /* unix seconds, spread over the months before @now */
  SaAppealStatus status;          /* as it stands at @now */
  SaPriority  priority;           /* now, after any set_priority */
  SaPriority  intake_priority;    /* as registered */
  const char *executor;           /* a login of the lead agency, NULL while registered */
  gint64      answered_at;        /* when an answered or closed appeal was answered, or 0 */
  gboolean    has_coordinates;
  double      latitude;
  double      longitude;
  const char *agency;             /* the lead agency: the category's default, or the KSK/OSI
                                   * or lift company that serves the address */
  SaDemoEvent events[SA_DEMO_MAX_EVENTS];  /* in time order */
  guint       n_events;
  gint64      repeat_of;          /* the index of the appeal this one repeats (same
                                   * applicant and issue within 15 days), or -1 */
  gint64      cluster;            /* the neighbours' appeals about one building, or -1 */
} SaDemoAppeal;

SaDemo           *sa_demo_new             (SaReference   *ref,
                                           GError       **error);
void              sa_demo_free            (SaDemo        *demo);
SaReference      *sa_demo_get_reference   (SaDemo        *demo);
const SaDemoUser *sa_demo_get_users       (SaDemo        *demo,
                                           guint         *n_users);

void              sa_demo_appeal_generate (SaDemo        *demo,
                                           guint          index,
                                           gint64         now,
                                           SaDemoAppeal  *appeal);
void              sa_demo_appeal_clear    (SaDemoAppeal  *appeal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaDemo, sa_demo_free)

G_END_DECLS
