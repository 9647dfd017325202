/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-fuzz-ops"

#include "config.h"

#include "fuzz-registry.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  sa_fuzz_registry_init ();
  return 0;
}

/* An ops batch from a signed-in executor on a real appeal ("@A"):
 * every op type, member and value. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GByteArray) body = sa_fuzz_substitute (data, size);
  g_autoptr(GBytes) answer = sa_fuzz_registry_request ("POST", "/api/v1/ops",
                                                       sa_fuzz_registry_token ("exec.heat"),
                                                       "application/json", body->data,
                                                       body->len);

  sa_fuzz_check_answer (answer);
  return 0;
}
