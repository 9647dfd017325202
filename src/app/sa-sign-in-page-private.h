/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-sign-in-page.h"

G_BEGIN_DECLS

struct _SaSignInPage
{
  AdwBin               parent_instance;

  /* Template children */
  AdwEntryRow         *server_row;
  AdwEntryRow         *login_row;
  AdwPasswordEntryRow *password_row;
  GtkLabel            *sign_in_error;
  GtkButton           *sign_in_button;
};

G_END_DECLS
