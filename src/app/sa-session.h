/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sa-core.h"
#include "sa-app-enums.h"
#include "sa-notifier.h"
#include "sa-sync-engine.h"

G_BEGIN_DECLS

/**
 * SaSessionState:
 * @SA_SESSION_SIGNED_OUT: nobody is signed in, or the last attempt failed
 *   (#SaSession:error says why); a cache kept for signing in again to the
 *   same account may still be open
 * @SA_SESSION_SIGNING_IN: a sign-in, a keyring look-up or a token refresh
 *   is on its way
 * @SA_SESSION_SIGNED_IN: an account is signed in, online or from what is
 *   stored on this computer; its cache opens (#SaSession:loading) and is
 *   then #SaSession:cache
 *
 * Where a session is between the sign-in form and the desk.
 */
typedef enum
{
  SA_SESSION_SIGNED_OUT,
  SA_SESSION_SIGNING_IN,
  SA_SESSION_SIGNED_IN,
} SaSessionState;


#define SA_TYPE_SESSION (sa_session_get_type ())
G_DECLARE_FINAL_TYPE (SaSession, sa_session, SA, SESSION, GObject)

SaSession      *sa_session_new              (GApplication *application);
void            sa_session_set_application  (SaSession    *self,
                                             GApplication *application);

SaSessionState  sa_session_get_state        (SaSession    *self);
const char     *sa_session_get_error        (SaSession    *self);
const char     *sa_session_get_server       (SaSession    *self);
const char     *sa_session_get_login        (SaSession    *self);
JsonObject     *sa_session_get_user         (SaSession    *self);
gboolean        sa_session_get_online       (SaSession    *self);
SaApiClient    *sa_session_get_client       (SaSession    *self);
SaCache        *sa_session_get_cache        (SaSession    *self);
gboolean        sa_session_get_loading      (SaSession    *self);
const char     *sa_session_get_cache_error  (SaSession    *self);
SaSyncEngine   *sa_session_get_engine       (SaSession    *self);
SaNotifier     *sa_session_get_notifier     (SaSession    *self);
GCancellable   *sa_session_get_cancellable  (SaSession    *self);

void            sa_session_sign_in          (SaSession    *self,
                                             const char   *server,
                                             const char   *login,
                                             const char   *password);
void            sa_session_restore          (SaSession    *self,
                                             const char   *server,
                                             const char   *login);
void            sa_session_sign_out         (SaSession    *self);
void            sa_session_sync_now         (SaSession    *self);

G_END_DECLS
