/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-fuzz-push-message"

#include "config.h"

#include "sa-push-message.h"
#include "fuzz-registry.h"

/* A WebSocket message, as the registry and the client both read it. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  SaPushMessage m;

  sa_fuzz_criticals_crash ();
  if (sa_push_message_parse ((const char *) data, size, &m, NULL))
    {
      g_assert_nonnull (m.type);
      g_assert_true (m.seq >= -1);
    }
  sa_push_message_clear (&m);
  return 0;
}
