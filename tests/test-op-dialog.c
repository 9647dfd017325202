/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sa-appeal-detail.h"
#include "sa-application.h"
#include "sa-op-dialog.h"
#include "sa-test-keys.h"
#include "sa-test-widgets.h"

/* The dialog of an operation as its user meets it: what its choice list
 * says when nothing is shown, and the keys that send it. */

#define EMPTY_TEXT "No KSK/OSI or contractors are known yet."

static SaOpDialog *
new_dialog (guint n_choices)
{
  SaOpDialog *dialog = sa_op_dialog_new (NULL, "Escalate", NULL, "_Escalate");

  sa_op_dialog_ask_choice (dialog, "Organization", EMPTY_TEXT);
  for (guint i = 0; i < n_choices; i++)
    {
      g_autofree char *code = g_strdup_printf ("KSK-%02u", i);
      g_autofree char *name = g_strdup_printf ("КСК «Достык-%u»", i);

      sa_op_dialog_add_choice (dialog, code, name, code);
    }
  return dialog;
}

/* Whether a label the user can see now says @text. */
static gboolean
shows_text (GtkWidget  *root,
            const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  sa_test_collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) &&
        g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return TRUE;
  return FALSE;
}

static GtkEditable *
search_entry (SaOpDialog *dialog)
{
  return GTK_EDITABLE (sa_test_find_by_type (GTK_WIDGET (dialog), GTK_TYPE_SEARCH_ENTRY, 0));
}

static void
test_search_nothing_matches (void)
{
  /* A search that hides every one of 27 choices says nothing matches it, not that none are known; with none known, it says so. */
  SaOpDialog *dialog = new_dialog (27);
  SaOpDialog *empty;

  gtk_window_present (GTK_WINDOW (dialog));
  sa_test_keys_settle (50);
  g_assert_false (shows_text (GTK_WIDGET (dialog), EMPTY_TEXT));

  gtk_editable_set_text (search_entry (dialog), "Самал");
  sa_test_keys_settle (300);  /* the search entry waits a moment before it searches */
  g_assert_false (shows_text (GTK_WIDGET (dialog), EMPTY_TEXT));
  g_assert_true (shows_text (GTK_WIDGET (dialog), "Nothing matches “Самал”."));

  /* Back to a search that matches: the choices, and no placeholder. */
  gtk_editable_set_text (search_entry (dialog), "Достык-2");
  sa_test_keys_settle (300);
  g_assert_false (shows_text (GTK_WIDGET (dialog), "Nothing matches “Самал”."));
  g_assert_true (shows_text (GTK_WIDGET (dialog), "КСК «Достык-26»"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  empty = new_dialog (0);
  gtk_window_present (GTK_WINDOW (empty));
  sa_test_keys_settle (50);
  g_assert_true (shows_text (GTK_WIDGET (empty), EMPTY_TEXT));
  gtk_window_destroy (GTK_WINDOW (empty));
}

static void
accepted_cb (SaOpDialog *dialog,
             char      **text)
{
  *text = sa_op_dialog_dup_text (dialog);
}

static void
test_ctrl_enter_sends (void)
{
  /* In the text, Enter starts a new line and Ctrl+Enter sends the dialog, as in chat and mail. */
  SaOpDialog *dialog = sa_op_dialog_new (NULL, "Forward", NULL, "_Forward");
  g_autofree char *sent = NULL;
  gpointer weak = dialog;

  sa_op_dialog_ask_text (dialog, "Reason", NULL, 0);
  g_signal_connect (dialog, "accepted", G_CALLBACK (accepted_cb), &sent);
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  sa_test_keys_focus_window (GTK_WINDOW (dialog));
  g_assert_true (GTK_IS_TEXT_VIEW (gtk_window_get_focus (GTK_WINDOW (dialog))));

  sa_test_type ("not ours");
  sa_test_press (GDK_KEY_Return, 0);
  sa_test_type ("ask akimat");
  g_assert_null (sent);
  g_assert_nonnull (weak);

  sa_test_press (GDK_KEY_Return, GDK_CONTROL_MASK);
  g_assert_cmpstr (sent, ==, "not ours\nask akimat");
  g_assert_null (weak);
}

static void
test_ctrl_enter_waits_for_valid (void)
{
  /* Ctrl+Enter does nothing while the dialog is not valid: a blank text is not sent. */
  SaOpDialog *dialog = sa_op_dialog_new (NULL, "Forward", NULL, "_Forward");
  g_autofree char *sent = NULL;

  sa_op_dialog_ask_text (dialog, "Reason", NULL, 0);
  g_signal_connect (dialog, "accepted", G_CALLBACK (accepted_cb), &sent);
  sa_test_keys_focus_window (GTK_WINDOW (dialog));
  sa_test_press (GDK_KEY_space, 0);
  sa_test_press (GDK_KEY_Return, GDK_CONTROL_MASK);
  g_assert_null (sent);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The label of @action in the detail's More Actions menu. */
static char *
menu_label (SaAppealDetail *detail,
            const char     *action)
{
  GtkWidget *more = sa_test_find_by_type (GTK_WIDGET (detail), GTK_TYPE_MENU_BUTTON, 0);
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (more));

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int k = 0; section != NULL && k < g_menu_model_get_n_items (section); k++)
        {
          g_autofree char *name = NULL;
          char *label = NULL;

          if (g_menu_model_get_item_attribute (section, k, "action", "s", &name) &&
              g_str_equal (name, action) &&
              g_menu_model_get_item_attribute (section, k, "label", "s", &label))
            return label;
        }
    }
  return NULL;
}

static void
test_escalate_one_wording (void)
{
  /* In Russian and Kazakh the menu item that opens the escalation dialog says what the dialog's title says, not another name for it. */
  static const char * const langs[] = { "ru", "kk" };
  g_autofree char *localedir = g_build_filename (g_getenv ("SA_BUILD_ROOT"), "po", NULL);

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* The app's main() does so too: GtkBuilder translates in this domain. */
  textdomain (GETTEXT_PACKAGE);
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autoptr(GString) item = NULL;
      SaAppealDetail *detail;
      char *label;

      g_setenv ("LANGUAGE", langs[i], TRUE);
      setlocale (LC_ALL, "");
      detail = g_object_ref_sink (SA_APPEAL_DETAIL (sa_appeal_detail_new ()));
      label = menu_label (detail, "detail.escalate");
      g_assert_nonnull (label);
      /* As it reads: without the mnemonic and the ellipsis. */
      item = g_string_new (label);
      g_free (label);
      g_string_replace (item, "_", "", 0);
      g_string_replace (item, "…", "", 0);
      g_assert_cmpstr (item->str, !=, "Escalate");
      g_assert_cmpstr (item->str, ==, g_dgettext (GETTEXT_PACKAGE,
                                                  "Escalate to a KSK/OSI or Contractor"));
      g_assert_finalize_object (detail);
    }
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SaApplication) app = NULL;

  g_setenv ("LANGUAGE", "C", TRUE);
  /* A locale LANGUAGE is not ignored in, for the Russian and Kazakh cases. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = sa_application_new ();

  g_test_add_func ("/sa/op-dialog/search-nothing-matches", test_search_nothing_matches);
  g_test_add_func ("/sa/op-dialog/ctrl-enter-sends", test_ctrl_enter_sends);
  g_test_add_func ("/sa/op-dialog/ctrl-enter-waits-for-valid", test_ctrl_enter_waits_for_valid);
  g_test_add_func ("/sa/op-dialog/escalate-one-wording", test_escalate_one_wording);
  return g_test_run ();
}
