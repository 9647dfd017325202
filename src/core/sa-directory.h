/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sa-cache.h"

G_BEGIN_DECLS

/**
 * SaDirectoryAgency:
 * @code: the agency's code, e.g. `ALMATY-TEPLO`
 * @name: its name in the language asked for (the other language, then the
 *   code, when the registry gave none)
 * @kind: (nullable): `akimat_department`, `district_akimat`, `utility`,
 *   `ksk_osi`, `contractor` or `contact_centre`
 *
 * An agency as the change feed delivered it.
 */
typedef struct
{
  char *code;
  char *name;
  char *kind;
} SaDirectoryAgency;

/**
 * SaDirectoryUser:
 * @login: the login
 * @full_name: the full name, or the login when the registry gave none
 * @agency: (nullable): the agency's code
 * @role: (nullable): `executor`, `supervisor`, …
 *
 * A colleague as the change feed delivered them.
 */
typedef struct
{
  char *login;
  char *full_name;
  char *agency;
  char *role;
} SaDirectoryUser;

void        sa_directory_agency_free      (SaDirectoryAgency    *agency);
void        sa_directory_user_free        (SaDirectoryUser      *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaDirectoryAgency, sa_directory_agency_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaDirectoryUser, sa_directory_user_free)

const char *sa_directory_default_language (void);

GPtrArray  *sa_directory_list_agencies    (SaCache              *cache,
                                           const char * const   *kinds,
                                           const char           *language,
                                           GError              **error);
GPtrArray  *sa_directory_list_colleagues  (SaCache              *cache,
                                           const char           *agency,
                                           GError              **error);
char       *sa_directory_dup_agency_name  (SaCache              *cache,
                                           const char           *code,
                                           const char           *language);
char       *sa_directory_dup_user_name    (SaCache              *cache,
                                           const char           *login);
JsonObject *sa_directory_lookup_user      (SaCache              *cache,
                                           const char           *login);
char       *sa_directory_dup_district_name (SaCache             *cache,
                                           const char           *code,
                                           const char           *language);

G_END_DECLS
