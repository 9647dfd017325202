/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-session.h"

G_BEGIN_DECLS

struct _SaSession
{
  GObject         parent_instance;

  GApplication   *application;
  GSettings      *settings;
  /* The session's life; cancelled when it is disposed */
  GCancellable   *cancellable;

  SaSessionState  state;
  char           *error;
  SaApiClient    *client;
  JsonObject     *user;
  char           *login;
  char           *refresh_token;
  gboolean        online;

  /* One account's cache; cancelled when it is let go */
  GCancellable   *account;
  char           *opening_path;
  char           *deleting_path;
  gboolean        open_when_deleted;
  gboolean        set_aside_done;   /* a damaged cache was set aside for this one */
  char           *cache_error;      /* why the cache cannot be opened */
  SaCache        *cache;
  SaSyncEngine   *engine;
  SaNotifier     *notifier;
};

typedef enum
{
  SA_SESSION_PROP_0,
  SA_SESSION_PROP_APPLICATION,
  SA_SESSION_PROP_STATE,
  SA_SESSION_PROP_ERROR,
  SA_SESSION_PROP_USER,
  SA_SESSION_PROP_ONLINE,
  SA_SESSION_PROP_CACHE,
  SA_SESSION_PROP_LOADING,
  SA_SESSION_PROP_CACHE_ERROR,
  SA_SESSION_PROP_ENGINE,
  SA_SESSION_N_PROPS
} SaSessionProp;

/* sa-session.c */
void _sa_session_notify          (SaSession     *self,
                                  SaSessionProp  prop);
void _sa_session_set_user        (SaSession     *self,
                                  JsonObject    *user);
void _sa_session_cache_set_aside (SaSession     *self,
                                  SaCacheRescue *rescue);
void _sa_session_keep_token      (SaSession     *self,
                                  const char    *token);

/* sa-session-cache.c: the account's cache and its sync engine */
void _sa_session_open_cache      (SaSession     *self);
void _sa_session_end             (SaSession     *self,
                                  gboolean       delete_cache);

G_END_DECLS
