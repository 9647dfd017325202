/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sa-registry-private.h"

G_BEGIN_DECLS

/* A registry for tests: a temporary database with a small fixed set of
 * reference data and accounts, served in-process on 127.0.0.1 port 0. */
typedef struct
{
  char             *dir;
  char             *db_path;
  SaRegistryDb     *db;
  SaRegistryServer *server;
  SoupSession      *session;
  char             *base;
} SaTestRegistry;

/* Every test account's password is "pw-" followed by its login. */
#define SA_TEST_PASSWORD(login) ("pw-" login)

void            sa_test_registry_env       (void);
char           *sa_test_make_dir           (void);
void            sa_test_seed               (SaRegistryDb   *db);
SaTestRegistry *sa_test_registry_new       (void);
void            sa_test_registry_free      (SaTestRegistry *r);
void            sa_test_remove_dir         (const char     *dir);

GBytes         *sa_test_send               (SoupSession    *session,
                                            SoupMessage    *msg);
guint           sa_test_http               (SoupSession    *session,
                                            const char     *base,
                                            const char     *method,
                                            const char     *path,
                                            const char     *token,
                                            const char     *content_type,
                                            const char     *body,
                                            gssize          body_len,
                                            JsonNode      **out_json);
guint           sa_test_get                (SaTestRegistry *r,
                                            const char     *path,
                                            const char     *token,
                                            JsonNode      **out_json);
guint           sa_test_post               (SaTestRegistry *r,
                                            const char     *path,
                                            const char     *token,
                                            const char     *body,
                                            JsonNode      **out_json);
char           *sa_test_login              (SaTestRegistry *r,
                                            const char     *login);
char           *sa_test_iin                (guint           n);
char           *sa_test_intake_body        (const char     *category,
                                            const char     *iin,
                                            const char     *address,
                                            const char     *district);
JsonNode       *sa_test_intake             (SaTestRegistry *r,
                                            const char     *token,
                                            const char     *category,
                                            const char     *iin);
const char     *sa_test_error_code         (JsonNode       *node);
const char     *sa_test_member_string      (JsonNode       *node,
                                            const char     *member);
gint64          sa_test_member_int         (JsonNode       *node,
                                            const char     *member);

G_END_DECLS
