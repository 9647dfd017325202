/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-reply-files"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-model.h"
#include "sa-attachment-store.h"
#include "sa-reply-files.h"

/* The reply editor's "Files" group: the appeal's own files, each with a
 * check to include it in the reply (docs/replies.md). A file whose
 * attach op still waits in the outbox is listed and may be included:
 * the attach goes to the registry first, which checks the link when the
 * reply_save applies. A sent or awaiting reply shows its files, not to
 * be changed. ::changed says the user checked or unchecked one. */

struct _SaReplyFiles
{
  GtkBox      parent_instance;

  GtkListBox *list;
  gboolean    filling;
};

G_DEFINE_FINAL_TYPE (SaReplyFiles, sa_reply_files, GTK_TYPE_BOX)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static GtkCheckButton *
row_check (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "check");
}

/* No more than SA_REPLY_ATTACHMENTS_MAX files: once that many are
 * checked, the others cannot be. */
static void
update_limit (SaReplyFiles *self)
{
  guint checked = 0;
  GtkWidget *row;

  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (gtk_check_button_get_active (row_check (row)))
      checked++;
  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_object_get_data (G_OBJECT (row), "editable") != NULL)
      gtk_widget_set_sensitive (GTK_WIDGET (row_check (row)),
                                checked < SA_REPLY_ATTACHMENTS_MAX ||
                                gtk_check_button_get_active (row_check (row)));
}

static void
toggled_cb (SaReplyFiles *self)
{
  update_limit (self);
  if (!self->filling)
    g_signal_emit (self, signals[CHANGED], 0);
}

static GtkWidget *
make_row (SaReplyFiles *self,
          JsonObject   *item,
          gboolean      included,
          gboolean      editable)
{
  const char *sha256 = member_string (item, "sha256");
  const char *name = member_string (item, "name");
  const char *type = member_string (item, "content_type");
  goffset size = json_object_get_int_member_with_default (item, "size", 0);
  g_autofree char *size_text = size > 0 ? g_format_size (size) : NULL;
  g_autoptr(GIcon) icon = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : sha256);
  if (json_object_get_boolean_member_with_default (item, "pending", FALSE))
    subtitle = size_text != NULL
               /* Translators: a file's size and its state, e.g. "2.1 MB · Waiting to be sent" */
               ? g_strdup_printf (_("%s · %s"), size_text, _("Waiting to be sent"))
               : g_strdup (_("Waiting to be sent"));
  else
    subtitle = g_strdup (size_text);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* A type icon, as the detail shows before a thumbnail comes: no fetch here. */
  icon = type != NULL ? g_content_type_get_symbolic_icon (type)
                      : g_themed_icon_new ("text-x-generic-symbolic");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_gicon (icon));

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), included);
  gtk_widget_set_tooltip_text (check, _("Include in the reply"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Include in the reply"), -1);
  gtk_widget_set_sensitive (check, editable);
  g_signal_connect_swapped (check, "toggled", G_CALLBACK (toggled_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
  if (editable)
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  g_object_set_data_full (G_OBJECT (row), "sha256", g_strdup (sha256), g_free);
  g_object_set_data_full (G_OBJECT (row), "name", g_strdup (name != NULL ? name : sha256),
                          g_free);
  g_object_set_data_full (G_OBJECT (row), "size", g_steal_pointer (&size_text), g_free);
  g_object_set_data (G_OBJECT (row), "check", check);
  g_object_set_data (G_OBJECT (row), "editable", GINT_TO_POINTER (editable));
  return row;
}

/**
 * sa_reply_files_set_files:
 * @self: a #SaReplyFiles
 * @appeal: the appeal as the cache shows it
 * @reply_files: (nullable): the reply's own `attachments`, as the
 *   registry lists them: named even when the appeal no longer shows one
 * @included: (nullable): the SHA-256s the reply includes
 * @editable: whether the user may change which
 *
 * Lists the appeal's files, the included ones checked; a reply the user
 * cannot change shows only the files it includes. The group hides when
 * there is nothing to list. Does not emit ::changed.
 */
void
sa_reply_files_set_files (SaReplyFiles       *self,
                          JsonObject         *appeal,
                          JsonArray          *reply_files,
                          const char * const *included,
                          gboolean            editable)
{
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *files = member_array (appeal, "attachments");
  GtkWidget *child;

  g_return_if_fail (SA_IS_REPLY_FILES (self));

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint pass = 0; pass < 2; pass++)
    {
      JsonArray *array = pass == 0 ? files : reply_files;

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *sha256 = member_string (item, "sha256");
          gboolean in = sha256 != NULL && included != NULL &&
                        g_strv_contains (included, sha256);

          if (!sa_attachment_is_sha256 (sha256) || g_hash_table_contains (listed, sha256) ||
              (!editable && !in))
            continue;
          /* A file the reply names that the appeal does not show (any
           * more) can only be unchecked. */
          g_hash_table_add (listed, (gpointer) sha256);
          gtk_list_box_append (self->list,
                               make_row (self, item, in, editable && (pass == 0 || in)));
        }
    }
  update_limit (self);
  gtk_widget_set_visible (GTK_WIDGET (self), g_hash_table_size (listed) > 0);
  self->filling = FALSE;
}

/**
 * sa_reply_files_dup_included:
 * @self: a #SaReplyFiles
 *
 * Returns: (transfer full): the SHA-256s of the checked files, in the
 *   order they are listed
 */
char **
sa_reply_files_dup_included (SaReplyFiles *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (SA_IS_REPLY_FILES (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (gtk_check_button_get_active (row_check (row)))
      g_strv_builder_add (builder, g_object_get_data (G_OBJECT (row), "sha256"));
  return g_strv_builder_end (builder);
}

/**
 * sa_reply_files_dup_summary:
 * @self: a #SaReplyFiles
 *
 * Returns: (transfer full) (nullable): the included files as the
 *   applicant receives them, a line each with its size, or %NULL when
 *   there are none
 */
char *
sa_reply_files_dup_summary (SaReplyFiles *self)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (SA_IS_REPLY_FILES (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      const char *size = g_object_get_data (G_OBJECT (row), "size");

      if (!gtk_check_button_get_active (row_check (row)))
        continue;
      if (out == NULL)
        out = g_string_new ("• ");
      else
        g_string_append (out, "\n• ");
      g_string_append (out, g_object_get_data (G_OBJECT (row), "name"));
      if (size != NULL)
        g_string_append_printf (out, " (%s)", size);
    }
  return out != NULL ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/**
 * sa_reply_files_new:
 *
 * Returns: a new, empty and hidden "Files" group
 */
GtkWidget *
sa_reply_files_new (void)
{
  return g_object_new (SA_TYPE_REPLY_FILES, NULL);
}

static void
sa_reply_files_class_init (SaReplyFilesClass *klass)
{
  /**
   * SaReplyFiles::changed:
   * @self: the group
   *
   * The user included a file or took one out.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sa_reply_files_init (SaReplyFiles *self)
{
  GtkWidget *heading = gtk_label_new (_("Files"));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (self), heading);
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Files"), -1);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->list));
}
