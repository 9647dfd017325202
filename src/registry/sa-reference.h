/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "sa-appeal-model.h"
#include "sa-sla.h"

G_BEGIN_DECLS

/**
 * SaReferenceError:
 * @SA_REFERENCE_ERROR_MISSING: a file cannot be read
 * @SA_REFERENCE_ERROR_SYNTAX: a line breaks the format
 * @SA_REFERENCE_ERROR_INVALID: a value is not one the field allows
 * @SA_REFERENCE_ERROR_DUPLICATE: a code or a street is given twice
 * @SA_REFERENCE_ERROR_UNKNOWN: a line names a district or agency the files do not have
 *
 * Errors in the %SA_REFERENCE_ERROR domain; the message starts with
 * "FILE:LINE: " (docs/reference-data.md).
 */
typedef enum
{
  SA_REFERENCE_ERROR_MISSING,
  SA_REFERENCE_ERROR_SYNTAX,
  SA_REFERENCE_ERROR_INVALID,
  SA_REFERENCE_ERROR_DUPLICATE,
  SA_REFERENCE_ERROR_UNKNOWN,
} SaReferenceError;

#define SA_REFERENCE_ERROR (sa_reference_error_quark ())
GQuark sa_reference_error_quark (void);

typedef struct
{
  char *code;        /* lower-case Latin, e.g. "medeu" */
  char *name_ru;
  char *name_kk;
} SaReferenceDistrict;

typedef struct
{
  char *code;        /* [A-Z][A-Z0-9-]*, e.g. "ALMATY-TEPLO" */
  char *kind;        /* akimat_department, district_akimat, utility, ksk_osi, contractor,
                      * contact_centre */
  char *districts;   /* district codes separated by commas, or "*" for the whole city */
  char *name_ru;
  char *name_kk;
} SaReferenceAgency;

typedef struct
{
  char        *code;         /* sphere "." problem, e.g. "heating.no-heat" */
  char        *sphere;
  char        *agency;       /* the default agency's code */
  SaCriticality criticality;
  SaRegulation regulation;   /* minutes of counted time on its clock */
  char        *name_ru;
  char        *name_kk;
} SaReferenceCategory;

typedef struct
{
  GStrv  districts;  /* the districts it runs through; empty when not known */
  char  *type_ru;    /* "проспект" */
  char  *name_ru;    /* "Абая" */
  char  *name_kk;    /* "Абай" */
  char  *type_kk;    /* "даңғылы" */
} SaReferenceStreet;

/* Where sa_reference_new_default() finds the files built in. */
#define SA_REFERENCE_RESOURCE_DIR "/kz/almaty/SmartAppeals/registry/reference/"

#define SA_TYPE_REFERENCE (sa_reference_get_type ())

G_DECLARE_FINAL_TYPE (SaReference, sa_reference, SA, REFERENCE, GObject)

SaReference               *sa_reference_new_default       (GError       **error);
void                       sa_reference_register_resources (void);
SaReference               *sa_reference_new_from_dir      (const char    *dir,
                                                           GError       **error);
SaReference               *sa_reference_new_from_data     (GBytes        *districts,
                                                           GBytes        *agencies,
                                                           GBytes        *categories,
                                                           GBytes        *streets,
                                                           GError       **error);

const SaReferenceDistrict *sa_reference_get_districts     (SaReference   *self,
                                                           guint         *n_districts);
const SaReferenceAgency   *sa_reference_get_agencies      (SaReference   *self,
                                                           guint         *n_agencies);
const SaReferenceCategory *sa_reference_get_categories    (SaReference   *self,
                                                           guint         *n_categories);
const SaReferenceStreet   *sa_reference_get_streets       (SaReference   *self,
                                                           guint         *n_streets);

const SaReferenceDistrict *sa_reference_find_district     (SaReference   *self,
                                                           const char    *code);
const SaReferenceAgency   *sa_reference_find_agency       (SaReference   *self,
                                                           const char    *code);
const SaReferenceCategory *sa_reference_find_category     (SaReference   *self,
                                                           const char    *code);
const SaReferenceStreet   *sa_reference_find_street       (SaReference   *self,
                                                           const char    *name_ru);

char                      *sa_reference_street_dup_ru     (const SaReferenceStreet *street);
char                      *sa_reference_street_dup_kk     (const SaReferenceStreet *street);

G_END_DECLS
