/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-reply-template-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-reply-template-picker.h"
#include "sa-reply-template.h"

/* The reply editor's template search (docs/replies.md, "Templates"): a
 * search entry over the templates the cache holds for the appeal's
 * category and the reply's language, the agency's own first. Down in the
 * entry goes to the list, Enter chooses the first match, and a chosen
 * row emits ::template-chosen with the template's text, not yet filled. */

#define MAX_SHOWN 20

struct _SaReplyTemplatePicker
{
  GtkBox          parent_instance;

  GtkSearchEntry *entry;
  GtkListBox     *list;
  GtkLabel       *empty;

  SaCache        *cache;
  char           *category;
  char           *language;
  GPtrArray      *shown;    /* of SaReplyTemplate, in the list's order */
};

G_DEFINE_FINAL_TYPE (SaReplyTemplatePicker, sa_reply_template_picker, GTK_TYPE_BOX)

enum {
  TEMPLATE_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What tells templates apart: their first line after the greeting (the
 * city's all open with "Dear {applicant_name}!"). */
static char *
gist (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  const char *shown = NULL;
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_strstrip (lines[i])[0] == '\0')
        continue;
      if (n++ == 0)
        shown = lines[i];
      else
        {
          shown = lines[i];
          break;
        }
    }
  return g_strdup (shown != NULL ? shown : "");
}

/* The search takes well under a millisecond on the FTS5 table
 * (bench: cache.template_search_p95), after the entry's own pause in
 * typing: no thread. */
static void
search (SaReplyTemplatePicker *self)
{
  g_autoptr(GError) error = NULL;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  if (self->cache == NULL)
    return;
  self->shown = sa_cache_find_templates (self->cache, *query != '\0' ? query : NULL,
                                         self->category, self->language, MAX_SHOWN, &error);
  if (self->shown == NULL)
    {
      g_warning ("Could not search the templates: %s", error->message);
      self->shown = g_ptr_array_new ();
    }
  for (guint i = 0; i < self->shown->len; i++)
    {
      SaReplyTemplate *template = self->shown->pdata[i];
      g_autofree char *line = gist (template->text);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), template->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), line);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty), self->shown->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->list), self->shown->len > 0);
}

static void
choose (SaReplyTemplatePicker *self,
        guint                  position)
{
  SaReplyTemplate *template;

  if (self->shown == NULL || position >= self->shown->len)
    return;
  template = self->shown->pdata[position];
  g_signal_emit (self, signals[TEMPLATE_CHOSEN], 0, template->id, template->text);
}

static void
row_activated_cb (SaReplyTemplatePicker *self,
                  GtkListBoxRow         *row)
{
  choose (self, gtk_list_box_row_get_index (row));
}

static void
entry_activate_cb (SaReplyTemplatePicker *self)
{
  choose (self, 0);
}

static gboolean
entry_key_pressed_cb (SaReplyTemplatePicker *self,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state)
{
  GtkListBoxRow *first;

  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down) ||
      (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;
  first = gtk_list_box_get_row_at_index (self->list, 0);
  if (first == NULL)
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (first));
  return TRUE;
}

/**
 * sa_reply_template_picker_new:
 *
 * Returns: a new, empty picker; sa_reply_template_picker_set_scope() fills it
 */
GtkWidget *
sa_reply_template_picker_new (void)
{
  return g_object_new (SA_TYPE_REPLY_TEMPLATE_PICKER, NULL);
}

/**
 * sa_reply_template_picker_set_scope:
 * @self: a #SaReplyTemplatePicker
 * @cache: the cache the templates come from
 * @category: (nullable): the appeal's category
 * @language: (nullable): the reply's language
 *
 * Lists the templates for @category in @language that match what the
 * entry holds.
 */
void
sa_reply_template_picker_set_scope (SaReplyTemplatePicker *self,
                                    SaCache               *cache,
                                    const char            *category,
                                    const char            *language)
{
  g_return_if_fail (SA_IS_REPLY_TEMPLATE_PICKER (self));
  g_return_if_fail (SA_IS_CACHE (cache));

  g_set_object (&self->cache, cache);
  g_free (self->category);
  self->category = g_strdup (category);
  g_free (self->language);
  self->language = g_strdup (language);
  search (self);
}

/**
 * sa_reply_template_picker_get_n_shown:
 * @self: a #SaReplyTemplatePicker
 *
 * Returns: how many templates the list shows
 */
guint
sa_reply_template_picker_get_n_shown (SaReplyTemplatePicker *self)
{
  g_return_val_if_fail (SA_IS_REPLY_TEMPLATE_PICKER (self), 0);
  return self->shown != NULL ? self->shown->len : 0;
}

/**
 * sa_reply_template_picker_get_shown_id:
 * @self: a #SaReplyTemplatePicker
 * @position: a row of the list
 *
 * Returns: (nullable): the id of the template in that row
 */
const char *
sa_reply_template_picker_get_shown_id (SaReplyTemplatePicker *self,
                                       guint                  position)
{
  g_return_val_if_fail (SA_IS_REPLY_TEMPLATE_PICKER (self), NULL);
  if (self->shown == NULL || position >= self->shown->len)
    return NULL;
  return ((SaReplyTemplate *) self->shown->pdata[position])->id;
}

static void
sa_reply_template_picker_dispose (GObject *object)
{
  SaReplyTemplatePicker *self = SA_REPLY_TEMPLATE_PICKER (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->shown, g_ptr_array_unref);

  G_OBJECT_CLASS (sa_reply_template_picker_parent_class)->dispose (object);
}

static void
sa_reply_template_picker_class_init (SaReplyTemplatePickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sa_reply_template_picker_dispose;

  /**
   * SaReplyTemplatePicker::template-chosen:
   * @self: the picker
   * @id: the template's id
   * @text: its text, placeholders not filled
   *
   * The user chose a template.
   */
  signals[TEMPLATE_CHOSEN] =
    g_signal_new ("template-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
sa_reply_template_picker_init (SaReplyTemplatePicker *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkWidget *scrolled;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);

  self->entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->entry, "placeholder-text", _("Search templates"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search templates"), -1);
  g_signal_connect_swapped (self->entry, "search-changed", G_CALLBACK (search), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (entry_activate_cb), self);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->entry));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_BROWSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Templates"), -1);
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 180);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list));
  gtk_box_append (GTK_BOX (self), scrolled);

  self->empty = GTK_LABEL (gtk_label_new (_("No template matches")));
  gtk_label_set_xalign (self->empty, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->empty), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->empty), FALSE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->empty));
}
