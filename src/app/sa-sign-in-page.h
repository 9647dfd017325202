/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SA_TYPE_SIGN_IN_PAGE (sa_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (SaSignInPage, sa_sign_in_page, SA, SIGN_IN_PAGE, AdwBin)

void        sa_sign_in_page_set_account   (SaSignInPage *self,
                                           const char   *server,
                                           const char   *login);
const char *sa_sign_in_page_get_server    (SaSignInPage *self);
const char *sa_sign_in_page_get_login     (SaSignInPage *self);
const char *sa_sign_in_page_get_password  (SaSignInPage *self);
void        sa_sign_in_page_clear_login   (SaSignInPage *self);
void        sa_sign_in_page_clear_password (SaSignInPage *self);
void        sa_sign_in_page_set_message   (SaSignInPage *self,
                                           const char   *message);
const char *sa_sign_in_page_get_message   (SaSignInPage *self);
void        sa_sign_in_page_set_busy      (SaSignInPage *self);

G_END_DECLS
