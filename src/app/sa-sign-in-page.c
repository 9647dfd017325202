/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-sign-in-page"

#include "config.h"

#include "sa-sign-in-page-private.h"

/* The sign-in form: the registry's address, the login and the password,
 * and why the last sign-in did not succeed. Its button and the Enter key
 * in the password activate `win.sign-in`; SaSession does the signing in. */

G_DEFINE_FINAL_TYPE (SaSignInPage, sa_sign_in_page, ADW_TYPE_BIN)

/**
 * sa_sign_in_page_set_account:
 * @self: a #SaSignInPage
 * @server: (nullable): the registry's address
 * @login: (nullable): the login
 *
 * Fills the address and the login rows.
 */
void
sa_sign_in_page_set_account (SaSignInPage *self,
                             const char   *server,
                             const char   *login)
{
  g_return_if_fail (SA_IS_SIGN_IN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server ? server : "");
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), login ? login : "");
}

const char *
sa_sign_in_page_get_server (SaSignInPage *self)
{
  g_return_val_if_fail (SA_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->server_row));
}

const char *
sa_sign_in_page_get_login (SaSignInPage *self)
{
  g_return_val_if_fail (SA_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->login_row));
}

const char *
sa_sign_in_page_get_password (SaSignInPage *self)
{
  g_return_val_if_fail (SA_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

/* Signed out: the next person types their own login. */
void
sa_sign_in_page_clear_login (SaSignInPage *self)
{
  g_return_if_fail (SA_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), "");
}

void
sa_sign_in_page_clear_password (SaSignInPage *self)
{
  g_return_if_fail (SA_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
}

/**
 * sa_sign_in_page_set_message:
 * @self: a #SaSignInPage
 * @message: (nullable): why the last sign-in did not succeed, or %NULL
 *
 * Says why, and makes the form ready to be sent again.
 */
void
sa_sign_in_page_set_message (SaSignInPage *self,
                             const char   *message)
{
  g_return_if_fail (SA_IS_SIGN_IN_PAGE (self));

  gtk_label_set_text (self->sign_in_error, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), message != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), TRUE);
}

/**
 * sa_sign_in_page_get_message:
 * @self: a #SaSignInPage
 *
 * Returns: (nullable): what the form says about the last sign-in, or %NULL
 */
const char *
sa_sign_in_page_get_message (SaSignInPage *self)
{
  g_return_val_if_fail (SA_IS_SIGN_IN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->sign_in_error)))
    return NULL;
  return gtk_label_get_text (self->sign_in_error);
}

/**
 * sa_sign_in_page_set_busy:
 * @self: a #SaSignInPage
 *
 * A sign-in is on its way: the old message goes, and the button waits.
 */
void
sa_sign_in_page_set_busy (SaSignInPage *self)
{
  g_return_if_fail (SA_IS_SIGN_IN_PAGE (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), FALSE);
}

static void
password_activated_cb (SaSignInPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.sign-in", NULL);
}

static void
sa_sign_in_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (sa_sign_in_page_parent_class)->dispose (object);
}

static void
sa_sign_in_page_class_init (SaSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_sign_in_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SaSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, SaSignInPage, login_row);
  gtk_widget_class_bind_template_child (widget_class, SaSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, SaSignInPage, sign_in_error);
  gtk_widget_class_bind_template_child (widget_class, SaSignInPage, sign_in_button);
  gtk_widget_class_bind_template_callback (widget_class, password_activated_cb);
}

static void
sa_sign_in_page_init (SaSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
