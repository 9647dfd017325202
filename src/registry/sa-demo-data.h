/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deterministic demo content for `smart-appeals-registry init --demo`:
 * reference data for Almaty and a generator of realistic appeals. The
 * storage layer inserts what these functions describe; nothing here
 * touches SQLite. All strings are static and UTF-8. */

typedef enum
{
  SA_AGENCY_KIND_AKIMAT_DEPARTMENT,
  SA_AGENCY_KIND_DISTRICT_AKIMAT,
  SA_AGENCY_KIND_UTILITY,
  SA_AGENCY_KIND_KSK_OSI,
  SA_AGENCY_KIND_CONTRACTOR,
  SA_AGENCY_KIND_CONTACT_CENTRE,
} SaAgencyKind;

typedef struct
{
  const char *code;        /* lower-case Latin, e.g. "medeu", "almaly", "turksib" */
  const char *name_ru;
  const char *name_kk;
} SaDemoDistrict;

typedef struct
{
  const char  *code;       /* upper-case [A-Z0-9-], e.g. "ALMATY-ENERGO", unique */
  const char  *name_ru;
  const char  *name_kk;
  SaAgencyKind kind;
  const char  *districts;  /* comma-separated district codes served, or "*" for the whole city */
} SaDemoAgency;

typedef enum
{
  SA_CLOCK_24X7,
  SA_CLOCK_WORKING_HOURS,
} SaClockKind;

typedef struct
{
  const char *code;            /* e.g. "heating.no-heat" */
  const char *name_ru;
  const char *name_kk;
  const char *sphere;          /* heating, water, electricity, gas, lifts, roads, waste,
                                * transport, landscaping, manholes, flooding, ksk, other */
  const char *default_agency;  /* an agency code */
  const char *criticality;     /* "emergency", "high", "normal", "low" */
  guint       reaction_minutes;
  guint       resolution_minutes;
  SaClockKind clock;
} SaDemoCategory;

typedef struct
{
  const char *login;       /* e.g. "executor.almaty-energo" */
  const char *full_name;
  const char *agency;      /* an agency code */
  const char *role;        /* executor, supervisor, curator, operator, ksk_manager, admin */
  const char *password;    /* the demo password, printed by init and listed in the README */
} SaDemoUser;

typedef struct
{
  const char *channel;        /* egov, open_almaty, email, president, phone_109, telegram, open311 */
  const char *category;       /* a category code */
  char       *text;           /* owned by the caller of sa_demo_appeal_generate() */
  char       *applicant_name;
  char        applicant_iin[13];  /* valid check digit */
  char        phone[16];          /* +77XXXXXXXXX */
  char       *email;              /* may be NULL */
  char       *address;            /* a real Almaty street and house number */
  const char *district;           /* a district code */
  const char *language;           /* "ru" or "kk" */
  gint64      received_at;        /* unix seconds, spread over the months before @now */
  const char *status;             /* registered, in_progress, info_requested, awaiting_approval,
                                   * answered, closed, reopened */
  const char *priority;           /* low, normal, high, critical */
  gboolean    has_coordinates;
  double      latitude;
  double      longitude;
  const char *agency;             /* the lead agency: the category's default, or the KSK/OSI
                                   * or lift company that serves the address */
} SaDemoAppeal;

const SaDemoDistrict *sa_demo_districts   (guint *n_districts);
const SaDemoAgency   *sa_demo_agencies    (guint *n_agencies);
const SaDemoCategory *sa_demo_categories  (guint *n_categories);
const SaDemoUser     *sa_demo_users       (guint *n_users);

void                  sa_demo_appeal_generate (guint         index,
                                               gint64        now,
                                               SaDemoAppeal *appeal);
void                  sa_demo_appeal_clear    (SaDemoAppeal *appeal);

const char           *sa_demo_agency_kind_to_string (SaAgencyKind kind);

G_END_DECLS
