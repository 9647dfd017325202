/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-fuzz-json-strict"

#include "config.h"

#include "sa-json-strict.h"
#include "fuzz-registry.h"

/* The validator every request body, answer and message passes: it must
 * not crash, and what it accepts json-glib must read. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;

  sa_fuzz_criticals_crash ();
  if (!sa_json_strict_validate ((const char *) data, size, 32, 1 << 20, &error))
    {
      g_assert_nonnull (error);
      return 0;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *) data, size, &error) ||
      json_parser_get_root (parser) == NULL)
    g_error ("Validated, but json-glib refuses it: %s", error != NULL ? error->message : "");
  return 0;
}
