/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-fuzz-thumbnail"

#include "config.h"

#include "fuzz-registry.h"
#include "sa-registry-private.h"

/* A thumbnail of an uploaded photo: the first byte picks the type the
 * upload was judged to be, the rest is the file. Covers the JPEG frame
 * reader that counts the decoder's memory, the budget, and the loaders
 * gdk-pixbuf runs for it. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char * const types[] = { "image/jpeg", "image/png", "image/webp" };
  g_autoptr(GBytes) thumb = NULL;
  g_autoptr(GError) error = NULL;
  const char *thumb_type = NULL;

  if (size == 0)
    return 0;
  thumb = _sa_registry_thumbnail_new (types[data[0] % G_N_ELEMENTS (types)], data + 1, size - 1,
                                      &thumb_type, &error);
  /* Exactly one of a thumbnail and an error. */
  if ((thumb == NULL) == (error == NULL) || (thumb != NULL && thumb_type == NULL))
    g_error ("A thumbnail and its error disagree");
  return 0;
}
