/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-review-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-model.h"
#include "sa-clock.h"
#include "sa-directory.h"
#include "sa-history.h"
#include "sa-op-dialog.h"
#include "sa-review-window.h"

/* A supervisor's review of a reply (docs/replies.md, four eyes): the
 * appeal beside the reply, its earlier versions to choose from, and
 * "Approve and Send" (Ctrl+Enter) or "Return" with a comment. What the
 * appeal model refuses (sa_op_check(): one's own reply, another agency's)
 * is not offered, and the window says why in words. A joint answer shows
 * the co-executors' sent parts beside it; while a part is missing the
 * window names the agencies, and offers to send without them, giving the
 * reason (`without_parts_reason`). It does not apply the ops: it emits
 * ::op-requested, as the detail view does. */

struct _SaReviewWindow
{
  AdwWindow       parent_instance;

  AdwWindowTitle *window_title;
  GtkLabel       *refusal;
  GtkLabel       *appeal_text;
  GtkDropDown    *versions;
  GtkLabel       *kind_label;
  AdwActionRow   *author_row;
  AdwActionRow   *visibility_row;
  AdwActionRow   *language_row;
  GtkLabel       *reply_text;
  GtkLabel       *returned_comment;
  GtkWidget      *without_parts_button;
  GtkWidget      *parts_section;
  GtkListBox     *parts_list;

  JsonObject     *appeal;
  JsonObject     *user;
  SaCache        *cache;
  char           *reply_id;
  JsonObject     *reply;     /* in @appeal */
  GPtrArray      *shown;     /* of JsonObject: what each version shows */
};

G_DEFINE_FINAL_TYPE (SaReviewWindow, sa_review_window, ADW_TYPE_WINDOW)

enum {
  OP_REQUESTED,
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

static JsonObject *
find_reply (JsonObject *appeal,
            const char *reply_id)
{
  JsonArray *replies = member_array (appeal, SA_APPEAL_FIELD_REPLIES);

  for (guint i = 0; replies != NULL && i < json_array_get_length (replies); i++)
    {
      JsonNode *node = json_array_get_element (replies, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (member_string (json_node_get_object (node), "id"), reply_id) == 0)
        return json_node_get_object (node);
    }
  return NULL;
}

/**
 * sa_review_find_reply:
 * @appeal: (nullable): an appeal as the registry's JSON
 * @user: (nullable): the signed-in user
 *
 * The reply @user would review: one of the user's agency awaiting
 * approval, someone else's before the user's own.
 *
 * Returns: (nullable): its id, pointing into @appeal, or %NULL when none waits
 */
const char *
sa_review_find_reply (JsonObject *appeal,
                      JsonObject *user)
{
  JsonArray *replies = member_array (appeal, SA_APPEAL_FIELD_REPLIES);
  const char *awaiting = sa_reply_state_to_string (SA_REPLY_STATE_AWAITING_APPROVAL);
  const char *agency = member_string (user, "agency");
  const char *own = NULL;

  for (guint i = 0; agency != NULL && replies != NULL && i < json_array_get_length (replies); i++)
    {
      JsonNode *node = json_array_get_element (replies, i);
      JsonObject *reply = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (reply == NULL || member_string (reply, "id") == NULL ||
          g_strcmp0 (member_string (reply, "state"), awaiting) != 0 ||
          g_strcmp0 (member_string (reply, "agency"), agency) != 0)
        continue;
      if (g_strcmp0 (member_string (reply, "author"), member_string (user, "login")) != 0)
        return member_string (reply, "id");
      if (own == NULL)
        own = member_string (reply, "id");
    }
  return own;
}

static const char *
visibility_label (const char *visibility)
{
  if (g_strcmp0 (visibility, SA_REPLY_VISIBILITY_PUBLIC) == 0)
    return _("Public: may be published without the applicant’s personal data");
  if (g_strcmp0 (visibility, SA_REPLY_VISIBILITY_PRIVATE) == 0)
    return _("Private: only the applicant receives it");
  return "—";
}

static const char *
language_label (const char *language)
{
  if (g_strcmp0 (language, "ru") == 0)
    return _("Russian");
  if (g_strcmp0 (language, "kk") == 0)
    return _("Kazakh");
  return language != NULL ? language : "—";
}

/* Whether the model lets the user do @type to the reply, and if not, why. */
static gboolean
sa_review_window_check (SaReviewWindow *self,
                        SaOpType        type,
                        gboolean        without_parts,
                        GError        **error)
{
  gint64 now = sa_clock_get_now (sa_clock_get_default ()) / G_USEC_PER_SEC;
  g_autoptr(JsonObject) args = json_object_new ();
  SaAppealState state = { 0 };
  SaActor actor;
  gboolean ok;

  json_object_set_string_member (args, "reply_id", self->reply_id);
  /* Whether a return would be taken; its comment is asked for next. */
  if (type == SA_OP_REPLY_RETURN)
    json_object_set_string_member (args, "comment", "…");
  /* Whether it would be taken with a reason; the reason is asked for next. */
  if (without_parts)
    json_object_set_string_member (args, "without_parts_reason", "…");
  if (!sa_appeal_state_init_from_json (&state, self->appeal) ||
      !sa_actor_init_from_json (&actor, self->user))
    {
      sa_appeal_state_clear (&state);
      g_set_error_literal (error, SA_APPEAL_ERROR, SA_APPEAL_ERROR_FORBIDDEN,
                           sa_rejection_message ("forbidden"));
      return FALSE;
    }
  ok = sa_op_check (type, &actor, &state, args, now, error);
  sa_appeal_state_clear (&state);
  return ok;
}

static char *
sa_review_window_agency_name (SaReviewWindow *self,
                              const char     *code)
{
  char *name = NULL;

  if (self->cache != NULL && code != NULL)
    name = sa_directory_dup_agency_name (self->cache, code, sa_directory_default_language ());
  return name != NULL ? name : g_strdup (code != NULL ? code : "—");
}

/* The co-executor agencies whose part of the answer is not sent, by
 * name, as the model's `parts_missing` counts them. */
static char *
sa_review_window_dup_missing_parts (SaReviewWindow *self)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  SaAppealState state = { 0 };

  if (sa_appeal_state_init_from_json (&state, self->appeal))
    for (guint i = 0; state.coexecutors != NULL && state.coexecutors[i] != NULL; i++)
      if (!sa_appeal_state_part_sent (&state, state.coexecutors[i]))
        {
          g_autofree char *name = sa_review_window_agency_name (self, state.coexecutors[i]);

          g_strv_builder_add (names, name);
        }
  sa_appeal_state_clear (&state);
  strv = g_strv_builder_end (names);
  return g_strjoinv (", ", strv);
}

static void
sa_review_window_update_actions (SaReviewWindow *self)
{
  g_autoptr(GError) approve_error = NULL;
  g_autoptr(GError) return_error = NULL;
  gboolean can_approve = sa_review_window_check (self, SA_OP_REPLY_APPROVE, FALSE,
                                                 &approve_error);
  gboolean can_return = sa_review_window_check (self, SA_OP_REPLY_RETURN, FALSE, &return_error);
  gboolean parts_missing = g_error_matches (approve_error, SA_APPEAL_ERROR,
                                            SA_APPEAL_ERROR_PARTS_MISSING);
  gboolean can_send_without = parts_missing &&
                              sa_review_window_check (self, SA_OP_REPLY_APPROVE, TRUE, NULL);
  GError *why = approve_error != NULL ? approve_error : return_error;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.approve", can_approve);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.return", can_return);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.approve-without-parts",
                                 can_send_without);
  gtk_widget_set_visible (self->without_parts_button, can_send_without);
  if (parts_missing)
    {
      g_autofree char *missing = sa_review_window_dup_missing_parts (self);
      /* Translators: the co-executor agencies' names, comma-separated */
      g_autofree char *text = g_strdup_printf (_("Not sent their part of the answer yet: %s. "
                                                 "Wait for them, or send the answer without "
                                                 "them, giving the reason."), missing);

      gtk_label_set_text (self->refusal, text);
    }
  else
    /* In the words the registry's rejection would use. */
    gtk_label_set_text (self->refusal,
                        why == NULL ? "" : sa_rejection_message (sa_appeal_error_code (why))
                                           ?: why->message);
  gtk_widget_set_visible (GTK_WIDGET (self->refusal), why != NULL);
}

/* The co-executors' sent parts, which the answer includes: each with its
 * agency. Only for an answer; a part or a notice stands alone. */
static void
sa_review_window_fill_parts (SaReviewWindow *self)
{
  JsonArray *replies = member_array (self->appeal, SA_APPEAL_FIELD_REPLIES);
  const char *sent = sa_reply_state_to_string (SA_REPLY_STATE_SENT);
  const char *part = sa_reply_kind_to_string (SA_REPLY_KIND_PART);
  SaReplyKind kind = SA_REPLY_KIND_ANSWER;
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->parts_list))) != NULL)
    gtk_list_box_remove (self->parts_list, child);
  sa_reply_kind_from_string (member_string (self->reply, "kind"), &kind);
  if (kind != SA_REPLY_KIND_ANSWER)
    replies = NULL;
  for (guint i = 0; replies != NULL && i < json_array_get_length (replies); i++)
    {
      JsonNode *node = json_array_get_element (replies, i);
      JsonObject *reply = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *agency = NULL;
      GtkWidget *box, *heading, *text;

      if (reply == NULL || g_strcmp0 (member_string (reply, "kind"), part) != 0 ||
          g_strcmp0 (member_string (reply, "state"), sent) != 0)
        continue;
      agency = sa_review_window_agency_name (self, member_string (reply, "agency"));
      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_widget_set_margin_top (box, 9);
      gtk_widget_set_margin_bottom (box, 9);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      heading = gtk_label_new (agency);
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
      gtk_widget_add_css_class (heading, "heading");
      text = gtk_label_new (member_string (reply, "text") ?: "");
      gtk_label_set_xalign (GTK_LABEL (text), 0);
      gtk_label_set_wrap (GTK_LABEL (text), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (text), TRUE);
      gtk_box_append (GTK_BOX (box), heading);
      gtk_box_append (GTK_BOX (box), text);
      gtk_list_box_append (self->parts_list, box);
      n++;
    }
  gtk_widget_set_visible (self->parts_section, n > 0);
}

/* One version's text, visibility and language. */
static void
sa_review_window_show_version (SaReviewWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->versions);
  JsonObject *version;

  if (self->shown == NULL || selected >= self->shown->len)
    return;
  version = g_ptr_array_index (self->shown, selected);
  gtk_label_set_text (self->reply_text, member_string (version, "text") ?: "");
  adw_action_row_set_subtitle (self->visibility_row,
                               visibility_label (member_string (version, "visibility")));
  adw_action_row_set_subtitle (self->language_row,
                               language_label (member_string (version, "language")));
}

static void
version_selected_cb (SaReviewWindow *self)
{
  sa_review_window_show_version (self);
}

/* The versions to choose from, newest first: the text under review, then
 * each earlier submitted one. */
static void
sa_review_window_fill_versions (SaReviewWindow *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  JsonArray *versions = member_array (self->reply, "versions");
  gint64 current = json_object_get_int_member_with_default (self->reply, "version", 0);
  g_autofree char *first = NULL;

  g_clear_pointer (&self->shown, g_ptr_array_unref);
  self->shown = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_ptr_array_add (self->shown, json_object_ref (self->reply));
  /* Translators: the reply's text as submitted for approval, and its number */
  first = g_strdup_printf (_("Version %d, under review"), (int) MAX (current, 1));
  gtk_string_list_append (titles, first);
  for (guint n = versions != NULL ? json_array_get_length (versions) : 0; n > 0; n--)
    {
      JsonNode *node = json_array_get_element (versions, n - 1);
      JsonObject *version = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 number = version != NULL ? json_object_get_int_member_with_default (version,
                                                                                 "version", 0)
                                      : 0;
      gint64 at;
      g_autofree char *when = NULL;
      g_autofree char *title = NULL;

      /* The one under review is shown already. */
      if (version == NULL || number == current)
        continue;
      at = sa_appeal_parse_time (member_string (version, "submitted_at"));
      when = at != 0 ? sa_format_almaty_time (at, TRUE) : g_strdup ("—");
      /* Translators: an earlier version of a reply and when it was submitted */
      title = g_strdup_printf (_("Version %d, submitted %s"), (int) number, when);
      gtk_string_list_append (titles, title);
      g_ptr_array_add (self->shown, json_object_ref (version));
    }
  gtk_drop_down_set_model (self->versions, G_LIST_MODEL (titles));
  gtk_drop_down_set_selected (self->versions, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->versions), self->shown->len > 1);
  sa_review_window_show_version (self);
}

static void
sa_review_window_request (SaReviewWindow *self,
                          SaOpType        type,
                          JsonObject     *args)
{
  g_autoptr(JsonObject) owned = args;

  json_object_set_string_member (owned, "reply_id", self->reply_id);
  g_signal_emit (self, signals[OP_REQUESTED], 0, sa_op_type_to_string (type), owned);
}

static gboolean
close_idle_cb (gpointer data)
{
  g_autoptr(GtkWindow) window = g_weak_ref_get (data);

  if (window != NULL)
    gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  SaReviewWindow *self = SA_REVIEW_WINDOW (widget);

  /* A shortcut reaches here even while the action is off. */
  if (!sa_review_window_check (self, SA_OP_REPLY_APPROVE, FALSE, NULL))
    return;
  sa_review_window_request (self, SA_OP_REPLY_APPROVE, json_object_new ());
  gtk_window_close (GTK_WINDOW (self));
}

/* Once the dialog, which closes after its signal, is gone: it would go
 * with this window, in the middle of its own signal. */
static void
sa_review_window_close_later (SaReviewWindow *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  g_idle_add_full (G_PRIORITY_DEFAULT, close_idle_cb, ref, weak_ref_free);
}

static void
return_accepted_cb (SaReviewWindow *self,
                    SaOpDialog     *dialog)
{
  JsonObject *args = json_object_new ();
  char *comment = sa_op_dialog_dup_text (dialog);

  json_object_set_string_member (args, "comment", comment);
  g_free (comment);
  sa_review_window_request (self, SA_OP_REPLY_RETURN, args);
  sa_review_window_close_later (self);
}

static void
without_parts_accepted_cb (SaReviewWindow *self,
                           SaOpDialog     *dialog)
{
  JsonObject *args = json_object_new ();
  char *reason = sa_op_dialog_dup_text (dialog);

  json_object_set_string_member (args, "without_parts_reason", reason);
  g_free (reason);
  sa_review_window_request (self, SA_OP_REPLY_APPROVE, args);
  sa_review_window_close_later (self);
}

static void
approve_without_parts_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  SaReviewWindow *self = SA_REVIEW_WINDOW (widget);
  SaOpDialog *dialog;

  if (!sa_review_window_check (self, SA_OP_REPLY_APPROVE, TRUE, NULL))
    return;
  dialog = sa_op_dialog_new (GTK_WINDOW (self), _("Send without the Parts"),
                             _("The answer goes to the applicant without the parts the "
                               "co-executors have not sent. The reason is recorded with it."),
                             _("_Send"));
  sa_op_dialog_ask_text (dialog, _("Reason"), _("Why the answer cannot wait for the parts."),
                         sa_op_arg_max_chars (SA_OP_REPLY_APPROVE, "without_parts_reason"));
  g_signal_connect_object (dialog, "accepted", G_CALLBACK (without_parts_accepted_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
return_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SaReviewWindow *self = SA_REVIEW_WINDOW (widget);
  SaOpDialog *dialog;

  dialog = sa_op_dialog_new (GTK_WINDOW (self), _("Return the Reply"),
                             _("The author gets the reply back with your comment, and can "
                               "submit a new version. The applicant sees nothing of it."),
                             _("_Return"));
  sa_op_dialog_ask_text (dialog, _("Comment"), _("What the author should change."),
                         sa_op_arg_max_chars (SA_OP_REPLY_RETURN, "comment"));
  g_signal_connect_object (dialog, "accepted", G_CALLBACK (return_accepted_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sa_review_window_show (SaReviewWindow *self)
{
  const char *author = member_string (self->reply, "author");
  const char *comment = member_string (self->reply, "returned_comment");
  g_autofree char *author_name = NULL;
  SaReplyKind kind = SA_REPLY_KIND_ANSWER;

  adw_window_title_set_subtitle (self->window_title, member_string (self->appeal, "reg_number"));
  gtk_label_set_text (self->appeal_text, member_string (self->appeal, "text") ?: "");
  sa_reply_kind_from_string (member_string (self->reply, "kind"), &kind);
  gtk_label_set_text (self->kind_label, sa_reply_kind_label (kind));
  if (self->cache != NULL && author != NULL)
    author_name = sa_directory_dup_user_name (self->cache, author);
  adw_action_row_set_subtitle (self->author_row,
                               author_name != NULL ? author_name : author != NULL ? author : "—");
  /* A resubmitted reply: what the last reviewer asked for. */
  if (comment != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Returned before with the comment: %s"), comment);

      gtk_label_set_text (self->returned_comment, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->returned_comment), comment != NULL);
  sa_review_window_fill_versions (self);
  sa_review_window_fill_parts (self);
  sa_review_window_update_actions (self);
}

/**
 * sa_review_window_new:
 * @parent: (nullable): the window it belongs to
 * @appeal: the appeal as the registry's JSON
 * @reply_id: the reply to review, one of @appeal's `replies`
 * @user: the signed-in user
 * @cache: (nullable): where to find the author's name
 *
 * Returns: (transfer none) (nullable): a new modal window, not yet
 *   presented, or %NULL when @appeal has no such reply
 */
SaReviewWindow *
sa_review_window_new (GtkWindow  *parent,
                      JsonObject *appeal,
                      const char *reply_id,
                      JsonObject *user,
                      SaCache    *cache)
{
  SaReviewWindow *self;
  JsonObject *reply;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (appeal != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (cache == NULL || SA_IS_CACHE (cache), NULL);

  if ((reply = find_reply (appeal, reply_id)) == NULL)
    return NULL;
  self = g_object_new (SA_TYPE_REVIEW_WINDOW, "transient-for", parent, NULL);
  self->appeal = json_object_ref (appeal);
  self->user = json_object_ref (user);
  self->cache = cache != NULL ? g_object_ref (cache) : NULL;
  self->reply_id = g_strdup (reply_id);
  self->reply = json_object_ref (reply);
  sa_review_window_show (self);
  return self;
}

const char *
sa_review_window_get_reply_id (SaReviewWindow *self)
{
  g_return_val_if_fail (SA_IS_REVIEW_WINDOW (self), NULL);
  return self->reply_id;
}

static void
sa_review_window_dispose (GObject *object)
{
  SaReviewWindow *self = SA_REVIEW_WINDOW (object);

  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->reply, json_object_unref);
  g_clear_pointer (&self->appeal, json_object_unref);
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_pointer (&self->reply_id, g_free);
  g_clear_object (&self->cache);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_REVIEW_WINDOW);
  G_OBJECT_CLASS (sa_review_window_parent_class)->dispose (object);
}

static void
sa_review_window_class_init (SaReviewWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_review_window_dispose;

  /**
   * SaReviewWindow::op-requested:
   * @self: the window
   * @type: `reply_approve` or `reply_return`
   * @args: the operation's arguments, `reply_id` among them
   *
   * The supervisor decided; the window closes after this signal.
   */
  signals[OP_REQUESTED] =
    g_signal_new ("op-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-review-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, refusal);
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, appeal_text);
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, versions);
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, author_row);
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, visibility_row);
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, reply_text);
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, returned_comment);
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, without_parts_button);
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, parts_section);
  gtk_widget_class_bind_template_child (widget_class, SaReviewWindow, parts_list);
  gtk_widget_class_bind_template_callback (widget_class, version_selected_cb);

  gtk_widget_class_install_action (widget_class, "review.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "review.return", NULL, return_action);
  gtk_widget_class_install_action (widget_class, "review.approve-without-parts", NULL,
                                   approve_without_parts_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "review.approve", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "review.approve", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sa_review_window_init (SaReviewWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
