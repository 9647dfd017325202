/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-fuzz-reference"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sa-reference.h"
#include "fuzz-registry.h"

/* The reference data files an administrator may hand to `init --reference`:
 * the first byte picks which of the four files the rest replaces, the
 * others are the built-in ones (so that a file can name what the files
 * before it define). Parsing must not crash, a refusal must name a file,
 * and what is accepted must be well formed. */

static const char * const names[] = {
  "districts.txt", "agencies.txt", "categories.txt", "streets.txt",
};
static GBytes *builtin[G_N_ELEMENTS (names)];

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(SaReference) ref = sa_reference_new_default (NULL);

  /* Loading the default registered the built-in files. */
  g_assert_nonnull (ref);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_strconcat (SA_REFERENCE_RESOURCE_DIR, names[i], NULL);

      builtin[i] = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_assert_nonnull (builtin[i]);
    }
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) input = NULL;
  g_autoptr(SaReference) ref = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *files[G_N_ELEMENTS (names)];
  guint which;
  const SaReferenceCategory *categories;
  guint n;

  sa_fuzz_criticals_crash ();
  if (size == 0)
    return 0;
  which = data[0] % G_N_ELEMENTS (names);
  input = g_bytes_new (data + 1, size - 1);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    files[i] = i == which ? input : builtin[i];

  ref = sa_reference_new_from_data (files[0], files[1], files[2], files[3], &error);
  if (ref == NULL)
    {
      gboolean named = FALSE;

      /* The file itself, or one after it that names what it no longer has. */
      g_assert_error (error, SA_REFERENCE_ERROR, error->code);
      for (guint i = which; i < G_N_ELEMENTS (names); i++)
        named |= g_str_has_prefix (error->message, names[i]) &&
                 error->message[strlen (names[i])] == ':';
      g_assert_true (named);
      return 0;
    }
  categories = sa_reference_get_categories (ref, &n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_nonnull (sa_reference_find_agency (ref, categories[i].agency));
      g_assert_cmpuint (categories[i].regulation.reaction_minutes, <,
                        categories[i].regulation.resolution_minutes);
    }
  return 0;
}
