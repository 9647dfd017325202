/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-fuzz-http-request"

#include "config.h"

#include "fuzz-registry.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  sa_fuzz_registry_init ();
  return 0;
}

/* Raw bytes on a connection: request line, headers (Authorization,
 * Content-Length …), body, pipelined requests; "@T" and "@A" stand for a
 * valid token and appeal id (sa_fuzz_substitute()). */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GByteArray) request = sa_fuzz_substitute (data, size);
  g_autoptr(GBytes) answer = NULL;

  answer = sa_fuzz_registry_exchange (request->data, request->len);
  sa_fuzz_check_answer (answer);
  /* An input that logged "@T" out must not sign every later one out. */
  if (g_bytes_get_size (answer) > 0 &&
      g_strstr_len (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer),
                    "\"signed_out\"") != NULL)
    sa_fuzz_registry_forget_tokens ();
  return 0;
}
