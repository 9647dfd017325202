/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SaJsonStrictError:
 * @SA_JSON_STRICT_ERROR_TOO_LARGE: the text is longer than allowed
 * @SA_JSON_STRICT_ERROR_TOO_DEEP: arrays and objects nest deeper than allowed
 * @SA_JSON_STRICT_ERROR_ENCODING: the text is not UTF-8
 * @SA_JSON_STRICT_ERROR_SYNTAX: the text is not RFC 8259 JSON (comments,
 *   single quotes, NaN, trailing garbage, an empty text …)
 * @SA_JSON_STRICT_ERROR_UNSUPPORTED: JSON that json-glib would bend: a
 *   duplicate member name, U+0000 or a lone surrogate in a string, an
 *   integer outside 64 bits, a number too large for a double
 *
 * Errors in the %SA_JSON_STRICT_ERROR domain.
 */
typedef enum
{
  SA_JSON_STRICT_ERROR_TOO_LARGE,
  SA_JSON_STRICT_ERROR_TOO_DEEP,
  SA_JSON_STRICT_ERROR_ENCODING,
  SA_JSON_STRICT_ERROR_SYNTAX,
  SA_JSON_STRICT_ERROR_UNSUPPORTED,
} SaJsonStrictError;

#define SA_JSON_STRICT_ERROR (sa_json_strict_error_quark ())
GQuark    sa_json_strict_error_quark (void);

/* What the registry accepts in a request body, and what a client accepts
 * in one answer or one WebSocket message. */
#define SA_JSON_REQUEST_MAX_DEPTH 32
#define SA_JSON_ANSWER_MAX_DEPTH  64
#define SA_JSON_ANSWER_MAX_BYTES  (64 * 1024 * 1024)
#define SA_JSON_MESSAGE_MAX_DEPTH 8
#define SA_JSON_MESSAGE_MAX_BYTES (64 * 1024)

gboolean  sa_json_strict_validate    (const char  *data,
                                      gsize        len,
                                      guint        max_depth,
                                      gsize        max_bytes,
                                      GError     **error);
JsonNode *sa_json_strict_parse       (const char  *data,
                                      gsize        len,
                                      guint        max_depth,
                                      gsize        max_bytes,
                                      GError     **error);
JsonNode *sa_json_strict_parse_bytes (GBytes      *bytes,
                                      guint        max_depth,
                                      gsize        max_bytes,
                                      GError     **error);

G_END_DECLS
