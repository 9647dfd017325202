/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-fuzz-intake"

#include "config.h"

#include "fuzz-registry.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  sa_fuzz_registry_init ();
  return 0;
}

/* An intake body from a signed-in operator: every field, type and value. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) answer = sa_fuzz_registry_request ("POST", "/api/v1/intake",
                                                       sa_fuzz_registry_token ("op.cc"),
                                                       "application/json", data, size);

  sa_fuzz_check_answer (answer);
  return 0;
}
