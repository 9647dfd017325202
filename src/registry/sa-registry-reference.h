/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-reference.h"
#include "sa-registry-db.h"

G_BEGIN_DECLS

/**
 * SaRegistryReferenceCounts:
 * @districts: districts in the files
 * @agencies: agencies in the files
 * @categories: categories in the files
 * @streets: streets in the gazetteer
 * @street_forms: the forms of single-district streets intake looks addresses up by
 * @changed: agencies and categories that were new or different, and went to the feed
 * @kept: districts, agencies and categories in the database the files no longer list
 *
 * What sa_registry_reference_load() did.
 */
typedef struct
{
  guint districts;
  guint agencies;
  guint categories;
  guint streets;
  guint street_forms;
  guint changed;
  guint kept;
} SaRegistryReferenceCounts;

gboolean sa_registry_reference_load (SaRegistryDb               *db,
                                     SaReference                *ref,
                                     SaRegistryReferenceCounts  *counts,
                                     GError                    **error);

G_END_DECLS
