/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-json"

#include "config.h"

#include "sa-registry-private.h"

/* The registry's JSON: what every route reads from a request and writes
 * into an answer. */

/**
 * _sa_registry_json_string:
 * @obj: (nullable): a JSON object from a client
 * @name: a member name
 *
 * Unlike json_object_get_string_member_with_default(), never warns when
 * a client sends another type: input is not trusted.
 *
 * Returns: (nullable): the member if it is a string
 */
const char *
_sa_registry_json_string (JsonObject *obj,
                          const char *name)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, name)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Appends @value as a JSON string. Hand-written because the change feed
 * streams 100,000 appeals and a JsonBuilder per appeal was the cost.
 * Whatever is stored, the result is JSON: bytes that are not UTF-8 become
 * U+FFFD rather than an answer no client can parse. */
void
_sa_registry_json_append_string (GString    *out,
                                 const char *value)
{
  g_autofree char *valid = NULL;
  const char *p;

  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);
  g_string_append_c (out, '"');
  for (p = value; *p != '\0'; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

char *
_sa_registry_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}
