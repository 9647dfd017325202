/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sa-application.h"
#include "sa-cache.h"

G_BEGIN_DECLS

#define SA_TYPE_WINDOW (sa_window_get_type ())
G_DECLARE_FINAL_TYPE (SaWindow, sa_window, SA, WINDOW, AdwApplicationWindow)

SaWindow   *sa_window_new              (SaApplication *application);
void        sa_window_sign_in          (SaWindow      *self,
                                        const char    *server,
                                        const char    *login,
                                        const char    *password);
void        sa_window_restore_session  (SaWindow      *self,
                                        const char    *server,
                                        const char    *login);
const char *sa_window_get_page         (SaWindow      *self);
SaCache    *sa_window_get_cache        (SaWindow      *self);
void        sa_window_open_appeal      (SaWindow      *self,
                                        const char    *appeal_id);

G_END_DECLS
