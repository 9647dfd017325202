/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-fuzz-attachment"

#include "config.h"

#include "fuzz-registry.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  sa_fuzz_registry_init ();
  return 0;
}

/* An upload: the first byte picks the declared type, the rest is the
 * file, sent under its own SHA-256 so that the content checks run. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char * const types[] = {
    "image/jpeg", "image/png", "image/webp", "application/pdf", "text/plain", "image/gif",
    "application/octet-stream", "image/png; charset=x",
  };
  g_autofree char *sha = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) answer = NULL;

  if (size == 0)
    return 0;
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data + 1, size - 1);
  path = g_strconcat ("/api/v1/attachments/", sha, NULL);
  answer = sa_fuzz_registry_request ("PUT", path, sa_fuzz_registry_token ("exec.heat"),
                                     types[data[0] % G_N_ELEMENTS (types)], data + 1, size - 1);
  sa_fuzz_check_answer (answer);
  return 0;
}
