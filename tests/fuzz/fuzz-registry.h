/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An in-process registry for the fuzz targets: the test city's database,
 * served through the real HTTP front over memory streams, so that a
 * target runs the whole request path (guard, libsoup, routing, auth,
 * strict JSON, handler, SQL) without a socket. */
void        sa_fuzz_registry_init     (void);
const char *sa_fuzz_registry_token    (const char   *login);
const char *sa_fuzz_registry_appeal   (void);
void        sa_fuzz_registry_forget_tokens (void);
GByteArray *sa_fuzz_substitute        (const guint8 *data,
                                       gsize         size);
GBytes     *sa_fuzz_registry_exchange (const void   *request,
                                       gsize         len);
GBytes     *sa_fuzz_registry_request  (const char   *method,
                                       const char   *path,
                                       const char   *token,
                                       const char   *content_type,
                                       const void   *body,
                                       gsize         body_len);
void        sa_fuzz_check_answer      (GBytes       *answer);

/* libFuzzer's entry points; fuzz-standalone.c calls them when the
 * targets are built without it. */
int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const guint8   *data,
                            size_t          size);

G_END_DECLS
