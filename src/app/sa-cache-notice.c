/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-cache-notice"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-cache-notice.h"

/* The dialog after a damaged cache was set aside (SaSession's
 * cache-set-aside): what was kept, what may be missing, and where the
 * damaged copy is. */

static void
show_folder_cb (AdwMessageDialog *dialog,
                const char       *response,
                gpointer          user_data)
{
  const char *folder = g_object_get_data (G_OBJECT (dialog), "sa-folder");
  g_autofree char *uri = g_filename_to_uri (folder, NULL, NULL);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  if (uri != NULL)
    gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
}

/**
 * sa_cache_notice_new:
 * @parent: the window the dialog belongs to
 * @rescue: what setting the damaged cache aside kept
 *
 * Tells the user, in a dialog they have to see, that what was stored is
 * being rebuilt, and whether anything they did is missing.
 *
 * Returns: (transfer none): the dialog, destroyed with @parent
 */
AdwMessageDialog *
sa_cache_notice_new (GtkWindow     *parent,
                     SaCacheRescue *rescue)
{
  g_autoptr(GString) body = NULL;
  g_autofree char *folder = NULL;
  AdwMessageDialog *dialog;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (rescue != NULL, NULL);

  body = g_string_new (_("The appeals stored on this computer were damaged "
                                            "and could not be read. They have been set aside, "
                                            "and your appeals are being loaded again from the "
                                            "registry."));
  folder = g_path_get_dirname (rescue->aside_path);

  if (rescue->n_kept > 0)
    {
      g_string_append_c (body, ' ');
      g_string_append_printf (body, ngettext ("%u change you had not yet sent was kept and "
                                              "will be sent.",
                                              "%u changes you had not yet sent were kept and "
                                              "will be sent.", rescue->n_kept),
                              rescue->n_kept);
    }
  if (!rescue->complete)
    {
      g_string_append (body, "\n\n");
      g_string_append_printf (body, _("Changes you had not yet sent may be missing: they could "
                                      "not be read from the damaged copy. It is kept in the "
                                      "folder %s; your administrator may be able to recover "
                                      "them from it."), folder);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent,
                                                       _("Stored Appeals Were Damaged"),
                                                       body->str));
  if (!rescue->complete)
    {
      adw_message_dialog_add_response (dialog, "show-folder", _("_Show Folder"));
      g_object_set_data_full (G_OBJECT (dialog), "sa-folder", g_steal_pointer (&folder), g_free);
      g_signal_connect (dialog, "response::show-folder", G_CALLBACK (show_folder_cb), NULL);
    }
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  return dialog;
}
