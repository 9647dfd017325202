/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-reply-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-model.h"
#include "sa-directory.h"
#include "sa-reply-editor-private.h"
#include "sa-reply-letter.h"
#include "sa-reply-template.h"

/* The executor's reply editor (docs/replies.md): the text, public or
 * private, the language, a live preview of what the applicant receives,
 * and the draft saved to the cache on each pause in typing, off the main
 * thread. It opens the user's own draft or returned reply when there is
 * one, shows a sent or awaiting reply read-only, and asks for
 * `reply_submit` (::op-requested) only once the last text is durable.
 * What it writes is an answer, a notice of an extension the applicant
 * was not told of yet (offered then), or a co-executor agency's part;
 * templates fill in what they can, and what is left shows tagged. It
 * includes the appeal's files the writer checks (sa-reply-files.c); the
 * reply is found and the window filled in sa-reply-editor-load.c. */

G_DEFINE_FINAL_TYPE (SaReplyEditor, sa_reply_editor, ADW_TYPE_WINDOW)

enum {
  OP_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define member_string _sa_reply_editor_member_string
#define member_array _sa_reply_editor_member_array

const char *
_sa_reply_editor_language (SaReplyEditor *self)
{
  guint i = gtk_drop_down_get_selected (self->language_dropdown);

  return sa_reply_languages[i < 2 ? i : 0];
}

const char *
_sa_reply_editor_visibility (SaReplyEditor *self)
{
  return gtk_toggle_button_get_active (self->private_button) ? SA_REPLY_VISIBILITY_PRIVATE
                                                             : SA_REPLY_VISIBILITY_PUBLIC;
}

static char *
dup_text (SaReplyEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

void
_sa_reply_editor_set_save_state (SaReplyEditor *self,
                                 const char    *text,
                                 gboolean       error)
{
  gtk_label_set_text (self->save_state, text);
  if (error)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->save_state), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->save_state), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->save_state), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->save_state), "dim-label");
    }
}

/* The preview, the count and whether Submit may be pressed. */
static void
refresh (SaReplyEditor *self)
{
  g_autofree char *text = dup_text (self);
  g_autofree char *heading = NULL;
  g_autofree char *count = NULL;
  g_autofree char *files = NULL;
  const char *received = member_string (self->appeal, SA_APPEAL_FIELD_RECEIVED_AT);

  heading = sa_reply_letter_heading (_sa_reply_editor_language (self),
                                     member_string (self->appeal, "reg_number") ?: "",
                                     received != NULL ? sa_appeal_parse_time (received) : 0);
  gtk_label_set_text (self->preview_heading, heading);
  gtk_label_set_text (self->preview_text, text);
  files = sa_reply_files_dup_summary (self->files);
  /* Content, like the heading: in the reply's language. */
  if (files != NULL)
    {
      g_autofree char *lines = g_steal_pointer (&files);

      files = g_strconcat (sa_reply_letter_files_heading (_sa_reply_editor_language (self)), "\n",
                           lines, NULL);
    }
  gtk_label_set_text (self->preview_files, files != NULL ? files : "");
  gtk_widget_set_visible (GTK_WIDGET (self->preview_files), files != NULL);
  gtk_label_set_text (self->visibility_note,
                      gtk_toggle_button_get_active (self->private_button)
                      ? _("Private: only the applicant receives this reply. It is not published.")
                      : _("Public: the reply may be published, without the applicant’s personal data."));

  /* Translators: the characters typed and the most a reply may have, e.g. "120 / 5000" */
  count = g_strdup_printf (_("%ld / %u"), g_utf8_strlen (text, -1), SA_OP_TEXT_MAX);
  gtk_label_set_text (self->counter, count);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.submit",
                                 self->editable && !is_blank (text));
  /* A kind is the reply's for good once it is saved: turning to another
   * is offered only while nothing is written. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_dropdown),
                            self->editable && !self->exists && is_blank (text));
}

static void save_now (SaReplyEditor *self);

static void
submit (SaReplyEditor *self)
{
  g_autoptr(JsonObject) args = json_object_new ();

  self->submit_wanted = FALSE;
  json_object_set_string_member (args, "reply_id", self->reply_id);
  g_signal_emit (self, signals[OP_REQUESTED], 0,
                 sa_op_type_to_string (SA_OP_REPLY_SUBMIT), args);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SaReplyEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = NULL;

  op_id = sa_cache_save_reply_draft_finish (SA_CACHE (object), result, &error);
  self->saving = FALSE;
  self->failed = op_id == NULL;
  if (self->closed)
    {
      /* The window is gone; what was typed after this save still goes in
       * (once: a save that failed is not tried again and again). */
      if (self->dirty)
        save_now (self);
      return;
    }
  if (op_id == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Not saved: %s"), error->message);

      g_warning ("Could not save the reply: %s", error->message);
      self->submit_wanted = FALSE;
      _sa_reply_editor_set_save_state (self, message, TRUE);
      return;
    }
  if (self->dirty)
    {
      if (self->save_source == 0)
        save_now (self);
      return;
    }
  if (self->save_source != 0)
    return;
  _sa_reply_editor_set_save_state (self, _("Saved"), FALSE);
  if (self->submit_wanted)
    submit (self);
}

/* Writes the text as it is now; another change while it is written is
 * saved right after. */
static void
save_now (SaReplyEditor *self)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) files = NULL;

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->saving)
    return;
  text = self->closed ? g_strdup (self->final_text) : dup_text (self);
  files = self->closed ? g_strdupv (self->final_files) : sa_reply_files_dup_included (self->files);
  self->dirty = FALSE;
  if (is_blank (text))
    {
      /* The registry takes no empty reply: the last saved text stays. */
      if (!self->closed)
        _sa_reply_editor_set_save_state (self, _("An empty reply is not saved"), FALSE);
      self->submit_wanted = FALSE;
      return;
    }
  self->saving = TRUE;
  if (!self->closed)
    _sa_reply_editor_set_save_state (self, _("Saving…"), FALSE);
  sa_cache_save_reply_draft_async (self->cache, member_string (self->appeal, "id"),
                                   self->reply_id, text,
                                   self->closed ? self->final_visibility
                                                : _sa_reply_editor_visibility (self),
                                   self->closed ? self->final_language
                                                : _sa_reply_editor_language (self),
                                   sa_reply_kind_to_string (self->kind),
                                   (const char * const *) files,
                                   NULL, save_cb, g_object_ref (self));
  self->exists = TRUE;
}

static gboolean
save_timeout_cb (gpointer data)
{
  SaReplyEditor *self = data;

  self->save_source = 0;
  save_now (self);
  return G_SOURCE_REMOVE;
}

static void
changed (SaReplyEditor *self)
{
  /* Signals of the template while it is being built. */
  if (self->appeal == NULL || self->closed)
    return;
  _sa_reply_editor_tag_placeholders (self);
  refresh (self);
  if (self->loading || !self->editable)
    return;
  self->dirty = TRUE;
  _sa_reply_editor_set_save_state (self, _("Saving…"), FALSE);
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SA_REPLY_EDITOR_SAVE_DELAY_MS, save_timeout_cb, self);
}

static void
visibility_toggled_cb (SaReplyEditor *self)
{
  changed (self);
}

/* Checking a file is saved as typing is: the same coalesced reply_save. */
static void
files_changed_cb (SaReplyEditor *self)
{
  changed (self);
}

static void
language_changed_cb (SaReplyEditor *self)
{
  if (self->appeal != NULL && !self->closed)
    sa_reply_template_picker_set_scope (self->template_picker, self->cache,
                                        member_string (self->appeal, "category"),
                                        _sa_reply_editor_language (self));
  changed (self);
}

static void
kind_changed_cb (SaReplyEditor *self)
{
  SaReplyKind kind = gtk_drop_down_get_selected (self->kind_dropdown) == 1
                     ? SA_REPLY_KIND_NOTICE : SA_REPLY_KIND_ANSWER;

  if (self->appeal == NULL || self->loading || self->closed || kind == self->kind)
    return;
  /* Nothing is written yet (refresh()): the other kind's draft, if the
   * writer has one, opens in its place. */
  self->kind = kind;
  self->loading = TRUE;
  _sa_reply_editor_load (self);
  self->loading = FALSE;
  refresh (self);
}

/* A template's text, filled in from the appeal, the writer and their
 * agency, goes in at the cursor (or instead of an empty text) as if
 * typed: saved, and undone, like typing. The first placeholder left is
 * selected, so that typing replaces it. */
static void
template_chosen_cb (SaReplyEditor *self,
                    const char    *id,
                    const char    *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  const char *login = member_string (self->user, "login");
  g_autofree char *executor = NULL;
  g_autofree char *agency = NULL;
  g_autofree char *filled = NULL;
  g_autofree char *current = dup_text (self);
  GtkTextIter start, end;

  if (!self->editable)
    return;
  executor = login != NULL ? sa_directory_dup_user_name (self->cache, login) : NULL;
  if (executor == NULL)
    executor = g_strdup (member_string (self->user, "full_name"));
  agency = sa_directory_dup_agency_name (self->cache, member_string (self->user, "agency"),
                                         _sa_reply_editor_language (self));
  filled = sa_reply_template_fill (text, self->appeal, executor, agency);

  gtk_text_buffer_begin_user_action (buffer);
  if (is_blank (current))
    {
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      gtk_text_buffer_delete_interactive (buffer, &start, &end, TRUE);
    }
  gtk_text_buffer_insert_interactive_at_cursor (buffer, filled, -1, TRUE);
  gtk_text_buffer_end_user_action (buffer);

  gtk_text_buffer_get_start_iter (buffer, &start);
  if (gtk_text_iter_starts_tag (&start, self->placeholder_tag) ||
      gtk_text_iter_forward_to_tag_toggle (&start, self->placeholder_tag))
    {
      end = start;
      gtk_text_iter_forward_to_tag_toggle (&end, self->placeholder_tag);
      gtk_text_buffer_select_range (buffer, &start, &end);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/* A reply holds at most SA_OP_TEXT_MAX characters: what would go beyond
 * is not inserted, rather than typed and then refused by the registry. */
static void
insert_text_cb (GtkTextBuffer *buffer,
                GtkTextIter   *location,
                const char    *text,
                int            len,
                SaReplyEditor *self)
{
  glong have = gtk_text_buffer_get_char_count (buffer);
  glong adding = g_utf8_strlen (text, len);
  glong room = SA_OP_TEXT_MAX > have ? SA_OP_TEXT_MAX - have : 0;

  if (adding <= room)
    return;
  g_signal_stop_emission_by_name (buffer, "insert-text");
  gtk_widget_error_bell (GTK_WIDGET (self->text_view));
  if (room > 0)
    {
      const char *end = g_utf8_offset_to_pointer (text, room);

      g_signal_handlers_block_by_func (buffer, insert_text_cb, self);
      gtk_text_buffer_insert (buffer, location, text, end - text);
      g_signal_handlers_unblock_by_func (buffer, insert_text_cb, self);
    }
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SaReplyEditor *self = SA_REPLY_EDITOR (widget);

  if (!self->editable)
    return;
  /* The submit goes after the last text, never before it. */
  self->submit_wanted = TRUE;
  if (self->save_source != 0 || self->dirty || self->failed)
    save_now (self);
  else if (!self->saving)
    submit (self);
}

/* What was typed in the last 300 ms is saved now, not dropped; what was
 * typed while a save was in flight follows it. */
static void
close_down (SaReplyEditor *self)
{
  gboolean waiting = self->save_source != 0;

  if (self->closed || self->appeal == NULL)
    return;
  self->final_text = dup_text (self);
  self->final_visibility = _sa_reply_editor_visibility (self);
  self->final_language = _sa_reply_editor_language (self);
  self->final_files = sa_reply_files_dup_included (self->files);
  self->closed = TRUE;
  if (waiting)
    save_now (self);
}

static gboolean
sa_reply_editor_close_request (GtkWindow *window)
{
  close_down (SA_REPLY_EDITOR (window));
  return GTK_WINDOW_CLASS (sa_reply_editor_parent_class)->close_request (window);
}

/* Unfilled placeholders, `{name}`, are tagged so that the writer sees
 * what is left to write. */
void
_sa_reply_editor_tag_placeholders (SaReplyEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autofree char *text = dup_text (self);
  GtkTextIter start, end;
  glong at = 0, open_at = -1;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->placeholder_tag, &start, &end);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), at++)
    {
      if (*p == '{')
        open_at = at;
      else if (*p == '}' && open_at >= 0 && at > open_at + 1)
        {
          gtk_text_buffer_get_iter_at_offset (buffer, &start, open_at);
          gtk_text_buffer_get_iter_at_offset (buffer, &end, at + 1);
          gtk_text_buffer_apply_tag (buffer, self->placeholder_tag, &start, &end);
          open_at = -1;
        }
      else if (!g_ascii_islower (*p) && *p != '_')
        open_at = -1;
    }
}

/**
 * sa_reply_editor_new:
 * @parent: (nullable): the main window
 * @cache: the signed-in account's cache, where the draft is saved
 * @appeal: the appeal as the cache shows it (pending ops folded in)
 * @user: the signed-in user as the registry describes them
 *
 * Returns: (transfer none): a new modal editor, not yet presented
 */
SaReplyEditor *
sa_reply_editor_new (GtkWindow  *parent,
                     SaCache    *cache,
                     JsonObject *appeal,
                     JsonObject *user)
{
  SaReplyEditor *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SA_IS_CACHE (cache), NULL);
  g_return_val_if_fail (appeal != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  self = g_object_new (SA_TYPE_REPLY_EDITOR, "transient-for", parent, NULL);
  self->cache = g_object_ref (cache);
  self->appeal = json_object_ref (appeal);
  self->user = json_object_ref (user);
  self->loading = TRUE;
  _sa_reply_editor_choose_kind (self);
  _sa_reply_editor_load (self);
  self->loading = FALSE;
  refresh (self);
  /* Writing is what the window is for. */
  if (self->editable)
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->text_view));
  return self;
}

/**
 * sa_reply_editor_get_reply_id:
 * @self: a #SaReplyEditor
 *
 * Returns: the UUID of the reply being written or shown
 */
const char *
sa_reply_editor_get_reply_id (SaReplyEditor *self)
{
  g_return_val_if_fail (SA_IS_REPLY_EDITOR (self), NULL);
  return self->reply_id;
}

/**
 * sa_reply_editor_is_editable:
 * @self: a #SaReplyEditor
 *
 * Returns: whether the user may change the reply (%FALSE for a sent one,
 *   one awaiting approval or someone else's)
 */
gboolean
sa_reply_editor_is_editable (SaReplyEditor *self)
{
  g_return_val_if_fail (SA_IS_REPLY_EDITOR (self), FALSE);
  return self->editable;
}

/**
 * sa_reply_editor_is_saved:
 * @self: a #SaReplyEditor
 *
 * Returns: whether everything typed is in the cache
 */
gboolean
sa_reply_editor_is_saved (SaReplyEditor *self)
{
  g_return_val_if_fail (SA_IS_REPLY_EDITOR (self), FALSE);
  return self->save_source == 0 && !self->saving && !self->dirty && !self->failed;
}

static void
sa_reply_editor_dispose (GObject *object)
{
  SaReplyEditor *self = SA_REPLY_EDITOR (object);

  close_down (self);
  g_clear_handle_id (&self->save_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_REPLY_EDITOR);

  G_OBJECT_CLASS (sa_reply_editor_parent_class)->dispose (object);
}

/* A save in flight holds a reference and may need the cache after the
 * window was destroyed (disposed): these go only with the last one. */
static void
sa_reply_editor_finalize (GObject *object)
{
  SaReplyEditor *self = SA_REPLY_EDITOR (object);

  g_clear_object (&self->cache);
  g_clear_pointer (&self->appeal, json_object_unref);
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_pointer (&self->reply_id, g_free);
  g_clear_pointer (&self->final_text, g_free);
  g_clear_pointer (&self->final_files, g_strfreev);

  G_OBJECT_CLASS (sa_reply_editor_parent_class)->finalize (object);
}

static void
sa_reply_editor_class_init (SaReplyEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sa_reply_editor_dispose;
  object_class->finalize = sa_reply_editor_finalize;
  window_class->close_request = sa_reply_editor_close_request;

  /**
   * SaReplyEditor::op-requested:
   * @self: the editor
   * @type: the operation: `reply_submit`
   * @args: its arguments
   *
   * The user submitted the reply; its last text is in the cache already.
   */
  signals[OP_REQUESTED] =
    g_signal_new ("op-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-reply-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, save_state);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, submit_button);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, banner);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, banner_title);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, banner_text);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, text_view);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, public_button);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, private_button);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, language_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, counter);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, versions_expander);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, versions_list);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, preview_heading);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, preview_text);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, visibility_note);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, preview_kind);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, template_picker);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, files);
  gtk_widget_class_bind_template_child (widget_class, SaReplyEditor, preview_files);
  gtk_widget_class_bind_template_callback (widget_class, files_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, visibility_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, language_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, template_chosen_cb);

  gtk_widget_class_install_action (widget_class, "editor.submit", NULL, submit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sa_reply_editor_init (SaReplyEditor *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkShortcutTrigger *trigger;
  GtkTextBuffer *buffer;
  g_autoptr(GtkStringList) kinds = NULL;

  g_type_ensure (SA_TYPE_REPLY_TEMPLATE_PICKER);
  g_type_ensure (SA_TYPE_REPLY_FILES);
  gtk_widget_init_template (GTK_WIDGET (self));
  kinds = gtk_string_list_new (NULL);
  gtk_string_list_append (kinds, sa_reply_kind_label (SA_REPLY_KIND_ANSWER));
  gtk_string_list_append (kinds, sa_reply_kind_label (SA_REPLY_KIND_NOTICE));
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));
  /* Ctrl+Enter submits, as it sends the other dialogs and approves in the
   * review; caught before the text view, where Enter starts a new line. */
  trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                         gtk_keyval_trigger_new (GDK_KEY_KP_Enter,
                                                                 GDK_CONTROL_MASK));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (trigger,
                                                          gtk_named_action_new ("editor.submit")));
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  buffer = gtk_text_view_get_buffer (self->text_view);
  g_signal_connect (buffer, "insert-text", G_CALLBACK (insert_text_cb), self);
  /* Visible on light and dark alike, and not a colour alone: underlined. */
  self->placeholder_tag = gtk_text_buffer_create_tag (buffer, "placeholder",
                                                      "background-rgba",
                                                      &(GdkRGBA) { 0.96, 0.83, 0.18, 0.35 },
                                                      "underline", PANGO_UNDERLINE_SINGLE,
                                                      NULL);
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (changed), self);
}
