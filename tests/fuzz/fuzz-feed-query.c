/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-fuzz-feed-query"

#include "config.h"

#include "fuzz-registry.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  sa_fuzz_registry_init ();
  return 0;
}

/* The change feed's query (since, limit, and whatever else comes), any
 * bytes percent-encoded as a client would send them; and the same for
 * the appeal list. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GString) path = g_string_new ("/api/v1/changes?");
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) list = NULL;

  for (size_t i = 0; i < size; i++)
    {
      if (g_ascii_isalnum (data[i]) || data[i] == '=' || data[i] == '&' || data[i] == '-' ||
          data[i] == '.' || data[i] == '_')
        g_string_append_c (path, (char) data[i]);
      else
        g_string_append_printf (path, "%%%02X", data[i]);
    }
  answer = sa_fuzz_registry_request ("GET", path->str, sa_fuzz_registry_token ("cur"), NULL,
                                     NULL, 0);
  sa_fuzz_check_answer (answer);

  g_string_erase (path, 0, sizeof "/api/v1/changes" - 1);
  g_string_prepend (path, "/api/v1/appeals");
  list = sa_fuzz_registry_request ("GET", path->str, sa_fuzz_registry_token ("exec.heat"), NULL,
                                   NULL, 0);
  sa_fuzz_check_answer (list);
  return 0;
}
