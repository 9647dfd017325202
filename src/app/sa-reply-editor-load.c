/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-reply-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-model.h"
#include "sa-directory.h"
#include "sa-reply-editor-private.h"
#include "sa-reply-letter.h"

/* The reply editor's side that finds which reply to open and fills the
 * window from it: the user's draft, a text the registry did not take,
 * or a reply to read; what the user may do with it; the kind to write. */

#define member_string _sa_reply_editor_member_string
#define member_array _sa_reply_editor_member_array

/* The SHA-256s a reply_save's `attachments` (strings) or a reply's
 * (objects with a `sha256`) name. */
static void
add_files (GStrvBuilder *builder,
           JsonArray    *array)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          const char *sha256 = member_string (json_node_get_object (node), "sha256");

          if (sha256 != NULL)
            g_strv_builder_add (builder, sha256);
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }
}

/* The reply this user writes, or else the one to show: the user's own
 * draft or returned answer; else an answer on its way or sent. */
static JsonObject *
find_reply (JsonObject  *appeal,
            const char  *login,
            SaReplyKind  wanted,
            const char  *agency,
            gboolean    *out_own)
{
  JsonArray *replies = member_array (appeal, SA_APPEAL_FIELD_REPLIES);
  JsonObject *shown = NULL;

  *out_own = FALSE;
  for (guint i = 0; replies != NULL && i < json_array_get_length (replies); i++)
    {
      JsonNode *node = json_array_get_element (replies, i);
      JsonObject *reply = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      SaReplyKind kind = SA_REPLY_KIND_ANSWER;
      SaReplyState state;

      if (reply == NULL || !sa_reply_state_from_string (member_string (reply, "state"), &state))
        continue;
      if (member_string (reply, "kind") != NULL &&
          (!sa_reply_kind_from_string (member_string (reply, "kind"), &kind) ||
           kind != wanted))
        continue;
      if (kind == SA_REPLY_KIND_ANSWER && wanted != SA_REPLY_KIND_ANSWER)
        continue;
      /* Each co-executor agency writes a part of its own (the fold gives
       * a draft its agency at once, as the registry does). */
      if (wanted == SA_REPLY_KIND_PART && g_strcmp0 (member_string (reply, "agency"), agency) != 0)
        continue;
      if ((state == SA_REPLY_STATE_DRAFT || state == SA_REPLY_STATE_RETURNED) &&
          g_strcmp0 (member_string (reply, "author"), login) == 0)
        {
          *out_own = TRUE;
          return reply;
        }
      /* A sent answer is the one to read once there is one. */
      if (shown == NULL || state == SA_REPLY_STATE_SENT ||
          g_strcmp0 (member_string (shown, "state"), SA_REPLY_STATE_NAME_SENT) != 0)
        shown = reply;
    }
  return shown;
}

static void
show_banner (SaReplyEditor *self,
             const char    *title,
             const char    *text)
{
  gtk_widget_set_visible (self->banner, TRUE);
  gtk_label_set_text (self->banner_title, title);
  gtk_label_set_text (self->banner_text, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->banner_text), text != NULL);
}

static void
show_versions (SaReplyEditor *self,
               JsonObject    *reply)
{
  JsonArray *versions = member_array (reply, "versions");
  guint n = versions != NULL ? json_array_get_length (versions) : 0;

  gtk_widget_set_visible (GTK_WIDGET (self->versions_expander), n > 0);
  /* Newest first. */
  for (guint i = n; i > 0; i--)
    {
      JsonNode *node = json_array_get_element (versions, i - 1);
      JsonObject *version = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *when = member_string (version, "submitted_at");
      g_autoptr(GDateTime) utc = when != NULL ? g_date_time_new_from_iso8601 (when, NULL) : NULL;
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *date = NULL;
      g_autofree char *title = NULL;
      GtkWidget *row;

      if (version == NULL)
        continue;
      if (utc != NULL)
        {
          local = g_date_time_to_timezone (utc, sa_appeal_time_zone ());
          /* Translators: a date and time as strftime() formats it, e.g. 23.11.2026 14:05 */
          date = g_date_time_format (local, _("%d.%m.%Y %H:%M"));
        }
      /* Translators: an earlier version of a reply and when it was submitted */
      title = g_strdup_printf (_("Version %ld · %s"),
                               (long) json_object_get_int_member_with_default (version, "version",
                                                                               i),
                               date != NULL ? date : "—");
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), member_string (version, "text") ?: "");
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_list_box_append (self->versions_list, row);
    }
}

/* The user's newest save of an answer on this appeal, when the registry
 * did not take it (a conflict or a rejection): the outbox keeps it, and
 * the shown appeal, folded without it, does not have its text. */
static SaOutboxEntry *
find_held_save (SaReplyEditor *self)
{
  g_autoptr(GPtrArray) entries = sa_cache_list_outbox (self->cache, NULL);
  const char *appeal_id = member_string (self->appeal, "id");
  SaOutboxEntry *newest = NULL;
  guint at = 0;

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      SaOutboxEntry *e = entries->pdata[i];

      if (g_strcmp0 (e->appeal_id, appeal_id) == 0 &&
          g_strcmp0 (e->type, sa_op_type_to_string (SA_OP_REPLY_SAVE)) == 0 &&
          e->args != NULL && JSON_NODE_HOLDS_OBJECT (e->args) &&
          g_strcmp0 (member_string (json_node_get_object (e->args), "kind") ?:
                     sa_reply_kind_to_string (SA_REPLY_KIND_ANSWER),
                     sa_reply_kind_to_string (self->kind)) == 0)
        {
          newest = e;
          at = i;
        }
    }
  if (newest == NULL || (newest->state != SA_OP_CONFLICT && newest->state != SA_OP_REJECTED))
    return NULL;
  return g_ptr_array_steal_index (entries, at);
}

/* Whether the model lets this user write the reply (sa_op_check()); the
 * registry still decides. */
static gboolean
may_write (SaReplyEditor *self,
           GError       **error)
{
  g_autoptr(JsonObject) args = json_object_new ();
  SaAppealState state = { 0 };
  SaActor actor;
  gboolean ok;

  if (!sa_actor_init_from_json (&actor, self->user) ||
      !sa_appeal_state_init_from_json (&state, self->appeal))
    {
      sa_appeal_state_clear (&state);
      g_set_error_literal (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_FORBIDDEN, "");
      return FALSE;
    }
  json_object_set_string_member (args, "reply_id", self->reply_id);
  /* The rights do not depend on the words: any text stands in for one
   * not written yet, so that the arguments are complete. */
  json_object_set_string_member (args, "text", "…");
  json_object_set_string_member (args, "visibility", _sa_reply_editor_visibility (self));
  json_object_set_string_member (args, "language", _sa_reply_editor_language (self));
  json_object_set_string_member (args, "kind", sa_reply_kind_to_string (self->kind));
  ok = sa_op_check (SA_OP_REPLY_SAVE, &actor, &state, args,
                    g_get_real_time () / G_USEC_PER_SEC, error);
  sa_appeal_state_clear (&state);
  return ok;
}

/* Whether the appeal was extended and the applicant not told yet: a
 * notice is due (docs/api.md, `notify_applicant_by`). */
static gboolean
notice_awaited (JsonObject *appeal)
{
  return member_string (appeal, SA_APPEAL_FIELD_NOTIFY_BY) != NULL &&
         member_string (appeal, SA_APPEAL_FIELD_NOTIFIED_AT) == NULL;
}

/* What this user writes on the appeal: a co-executor agency its part;
 * the lead agency the answer, or first the notice when one is due (the
 * writer may turn to the answer while the notice is not begun). */
void
_sa_reply_editor_choose_kind (SaReplyEditor *self)
{
  SaAppealState state = { 0 };
  SaActor actor;

  self->kind = SA_REPLY_KIND_ANSWER;
  if (sa_actor_init_from_json (&actor, self->user) &&
      sa_appeal_state_init_from_json (&state, self->appeal))
    {
      if (actor.agency != NULL && g_strcmp0 (actor.agency, state.agency) != 0 &&
          state.coexecutors != NULL &&
          g_strv_contains ((const char * const *) state.coexecutors, actor.agency))
        self->kind = SA_REPLY_KIND_PART;
      else if (notice_awaited (self->appeal))
        self->kind = SA_REPLY_KIND_NOTICE;
    }
  sa_appeal_state_clear (&state);
  gtk_widget_set_visible (GTK_WIDGET (self->kind_dropdown), self->kind == SA_REPLY_KIND_NOTICE);
}

void
_sa_reply_editor_load (SaReplyEditor *self)
{
  const char *login = member_string (self->user, "login");
  g_autoptr(GError) refused = NULL;
  const char *lang = member_string (self->appeal, "language");
  g_autoptr(SaOutboxEntry) held = NULL;
  const char *text = NULL;
  JsonObject *reply;
  gboolean own;
  SaReplyState state = SA_REPLY_STATE_DRAFT;

  g_autoptr(GStrvBuilder) files = g_strv_builder_new ();
  g_auto(GStrv) included = NULL;
  JsonArray *reply_files = NULL;
  GtkWidget *child;

  /* Loaded again when the writer turns from a notice to the answer. */
  gtk_widget_set_visible (self->banner, FALSE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->versions_list))) != NULL)
    gtk_list_box_remove (self->versions_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->versions_expander), FALSE);
  g_clear_pointer (&self->reply_id, g_free);
  gtk_drop_down_set_selected (self->kind_dropdown, self->kind == SA_REPLY_KIND_NOTICE ? 1 : 0);
  gtk_label_set_text (self->preview_kind, sa_reply_kind_label (self->kind));

  adw_window_title_set_subtitle (self->window_title,
                                 member_string (self->appeal, "reg_number") ?: "");
  reply = find_reply (self->appeal, login, self->kind, member_string (self->user, "agency"),
                      &own);
  if (reply != NULL && !own &&
      g_strcmp0 (member_string (reply, "state"), SA_REPLY_STATE_NAME_SENT) == 0)
    {
      /* A reopened appeal is answered anew: the sent answer stays as it was. */
      self->reply_id = g_uuid_string_random ();
      if (may_write (self, NULL))
        reply = NULL;
      else
        g_clear_pointer (&self->reply_id, g_free);
    }
  held = find_held_save (self);
  if (held != NULL)
    {
      JsonObject *args = json_node_get_object (held->args);
      const char *held_id = member_string (args, "reply_id");

      /* The registry may know the reply by an earlier text, or not at all. */
      if (reply == NULL || g_strcmp0 (member_string (reply, "id"), held_id) != 0)
        {
          reply = NULL;
          own = TRUE;
        }
      g_free (self->reply_id);
      self->reply_id = g_strdup (held_id);
      text = member_string (args, "text");
      add_files (files, member_array (args, "attachments"));
      lang = member_string (args, "language") ?: lang;
      gtk_toggle_button_set_active (g_strcmp0 (member_string (args, "visibility"),
                                               SA_REPLY_VISIBILITY_PUBLIC) == 0
                                    ? self->public_button : self->private_button, TRUE);
      if (reply != NULL)
        {
          sa_reply_state_from_string (member_string (reply, "state"), &state);
          show_versions (self, reply);
        }
    }
  else if (reply != NULL)
    {
      g_free (self->reply_id);
      self->reply_id = g_strdup (member_string (reply, "id"));
      sa_reply_state_from_string (member_string (reply, "state"), &state);
      text = member_string (reply, "text");
      add_files (files, member_array (reply, "attachments"));
      lang = member_string (reply, "language") ?: lang;
      gtk_toggle_button_set_active (g_strcmp0 (member_string (reply, "visibility"),
                                               SA_REPLY_VISIBILITY_PUBLIC) == 0
                                    ? self->public_button : self->private_button, TRUE);
      show_versions (self, reply);
    }
  else
    {
      if (self->reply_id == NULL)
        self->reply_id = g_uuid_string_random ();
      /* Private unless the writer chooses to publish. */
      gtk_toggle_button_set_active (self->private_button, TRUE);
    }
  gtk_drop_down_set_selected (self->language_dropdown, g_strcmp0 (lang, "kk") == 0 ? 1 : 0);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text ?: "", -1);

  self->exists = reply != NULL || held != NULL;
  self->editable = (reply == NULL || own) && may_write (self, &refused);
  if (held != NULL)
    {
      const char *reason = sa_rejection_message (held->error_code);

      if (held->state == SA_OP_CONFLICT)
        show_banner (self, _("Your last text did not reach the registry"),
                     _("Someone changed the appeal first. The text is kept here and in "
                       "Changes Not Applied: apply it again there, or discard it."));
      else
        show_banner (self, _("The registry refused your last text"),
                     reason != NULL ? reason : held->last_error);
    }
  else if (state == SA_REPLY_STATE_RETURNED && own)
    {
      g_autofree char *by = NULL;
      g_autofree char *title = NULL;
      const char *who = member_string (reply, "returned_by");

      if (who != NULL && self->cache != NULL)
        by = sa_directory_dup_user_name (self->cache, who);
      title = who != NULL ? g_strdup_printf (_("Returned by %s"), by ?: who)
                          : g_strdup (_("Returned for changes"));
      show_banner (self, title, member_string (reply, "returned_comment"));
    }
  else if (state == SA_REPLY_STATE_SENT)
    show_banner (self, sa_rejection_message ("reply_sent"), NULL);
  else if (state == SA_REPLY_STATE_AWAITING_APPROVAL)
    show_banner (self, sa_reply_state_label (SA_REPLY_STATE_AWAITING_APPROVAL),
                 _("A supervisor approves the reply or returns it to its author with a comment."));
  else if (!self->editable)
    show_banner (self, _("You cannot write this reply"),
                 refused != NULL ? sa_rejection_message (sa_appeal_error_code (refused)) : NULL);

  if (reply != NULL)
    reply_files = member_array (reply, "attachments");
  included = g_strv_builder_end (files);
  sa_reply_files_set_files (self->files, self->appeal, reply_files,
                            (const char * const *) included, self->editable);

  gtk_text_view_set_editable (self->text_view, self->editable);
  gtk_text_view_set_cursor_visible (self->text_view, self->editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->public_button), self->editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->private_button), self->editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->language_dropdown), self->editable);
  gtk_widget_set_visible (GTK_WIDGET (self->submit_button), self->editable);
  gtk_widget_set_visible (GTK_WIDGET (self->template_picker), self->editable);
  sa_reply_template_picker_set_scope (self->template_picker, self->cache,
                                      member_string (self->appeal, "category"),
                                      _sa_reply_editor_language (self));
  _sa_reply_editor_tag_placeholders (self);
  _sa_reply_editor_set_save_state (self,
                                   held != NULL ? _("Not applied")
                                   : reply != NULL && own ? _("Saved") : "",
                                   held != NULL);
}

