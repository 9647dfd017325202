/* sa-address.h: an address as people write it, read to a building
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SaGazetteer:
 *
 * The city's streets in their Russian and Kazakh forms, to read addresses
 * against. Add the streets once, then parse from any thread.
 */
typedef struct _SaGazetteer SaGazetteer;

SaGazetteer    *sa_gazetteer_new         (void);
void            sa_gazetteer_free        (SaGazetteer       *self);
guint           sa_gazetteer_add_street  (SaGazetteer       *self,
                                          const char        *name_ru,
                                          const char        *name_kk);
guint           sa_gazetteer_get_n_streets (SaGazetteer     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaGazetteer, sa_gazetteer_free)

#define SA_ADDRESS_NO_STREET (-1)

/**
 * SaAddress:
 * @street: the street's number in the gazetteer, or %SA_ADDRESS_NO_STREET
 * @cross_street: for a corner ("Абая/Жарокова угол"), the other street;
 *   else %SA_ADDRESS_NO_STREET
 * @house: (nullable): the house number as one writes it plainly: digits,
 *   an optional Cyrillic letter, an optional "/" and building ("150а",
 *   "150/1")
 * @flat: (nullable): the flat's number, when the text gives one
 *
 * What an address names.
 */
typedef struct
{
  int   street;
  int   cross_street;
  char *house;
  char *flat;
} SaAddress;

void            sa_address_clear         (SaAddress         *address);
gboolean        sa_address_parse         (SaGazetteer       *gazetteer,
                                          const char        *text,
                                          SaAddress         *out_address);
char           *sa_address_building_key  (const SaAddress   *address);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SaAddress, sa_address_clear)

G_END_DECLS
