/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <signal.h>
#include <stdlib.h>

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

static inline void
sa_fuzz_on_trap (int sig)
{
  abort ();
}

/* A GLib CRITICAL is a crash, and one libFuzzer keeps the input of:
 * GLib stops on a fatal message with SIGTRAP, which libFuzzer does not
 * catch, so it becomes an abort. */
static inline void
sa_fuzz_criticals_crash (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  signal (SIGTRAP, sa_fuzz_on_trap);
}

/* libFuzzer's entry points; fuzz-standalone.c calls them when the
 * targets are built without it. */
int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const guint8   *data,
                            size_t          size);

G_END_DECLS
