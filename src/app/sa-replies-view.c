/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-replies-view"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "sa-appeal-model.h"
#include "sa-directory.h"
#include "sa-replies-view.h"

/* The appeal's replies as the user may read them (the registry leaves out
 * other agencies' drafts): what was sent to the applicant and when, the
 * co-executors' parts, the notices, and the user's agency's replies on
 * their way. A row each, newest last, that opens on the whole text. */

struct _SaRepliesView
{
  GtkWidget            parent_instance;

  AdwPreferencesGroup *group;
  GPtrArray           *rows;
  SaCache             *cache;
};

G_DEFINE_FINAL_TYPE (SaRepliesView, sa_replies_view, GTK_TYPE_WIDGET)

GtkWidget *
sa_replies_view_new (void)
{
  return g_object_new (SA_TYPE_REPLIES_VIEW, NULL);
}

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

static void
sa_replies_view_clear (SaRepliesView *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

/* "05.12.2026 14:30" in Almaty time, or NULL. */
static char *
format_when (const char *rfc3339)
{
  gint64 at = sa_appeal_parse_time (rfc3339);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (at == 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (at);
  local = g_date_time_to_timezone (utc, sa_appeal_time_zone ());
  return g_date_time_format (local, "%d.%m.%Y %H:%M");
}

static char *
person (SaRepliesView *self,
        const char    *login)
{
  char *name = self->cache != NULL && login != NULL
               ? sa_directory_dup_user_name (self->cache, login) : NULL;

  return name != NULL ? name : g_strdup (login != NULL ? login : "");
}

static GtkWidget *
reply_row (SaRepliesView *self,
           JsonObject    *reply)
{
  SaReplyKind kind = SA_REPLY_KIND_ANSWER;
  SaReplyState state = SA_REPLY_STATE_DRAFT;
  const char *agency = member_string (reply, "agency");
  const char *text = member_string (reply, "text");
  gboolean pub = g_strcmp0 (member_string (reply, "visibility"), SA_REPLY_VISIBILITY_PUBLIC) == 0;
  g_autofree char *author = person (self, member_string (reply, "author"));
  g_autofree char *agency_name = NULL;
  g_autofree char *when = NULL;
  g_autofree char *title = NULL;
  GtkWidget *row, *label;

  sa_reply_kind_from_string (member_string (reply, "kind"), &kind);
  sa_reply_state_from_string (member_string (reply, "state"), &state);
  if (kind == SA_REPLY_KIND_PART && agency != NULL && self->cache != NULL)
    agency_name = sa_directory_dup_agency_name (self->cache, agency, NULL);

  /* "Answer · Sent" / "Part of a joint answer · Sent · ALMATY-TKE" */
  title = agency_name != NULL
          ? g_strdup_printf ("%s · %s · %s", sa_reply_kind_label (kind),
                             sa_reply_state_label (state), agency_name)
          : g_strdup_printf ("%s · %s", sa_reply_kind_label (kind), sa_reply_state_label (state));
  if (state == SA_REPLY_STATE_SENT)
    {
      g_autofree char *sent = format_when (member_string (reply, "sent_at"));
      g_autofree char *approver = person (self, member_string (reply, "approved_by"));

      /* Translators: "<when>: written by <author>, approved by <supervisor>" */
      when = g_strdup_printf (_("%s: written by %s, approved by %s"), sent != NULL ? sent : "",
                              author, approver);
    }
  else
    /* Translators: "written by <author>" */
    when = g_strdup_printf (_("Written by %s"), author);
  row = adw_expander_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), when);
  label = gtk_label_new (text != NULL ? text : "");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), label);
  label = gtk_label_new (pub ? _("Public: may be published without the applicant’s personal data")
                             : _("Private: only the applicant receives it"));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 8);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), label);
  /* The answer the applicant got opens by itself. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row),
                                 kind == SA_REPLY_KIND_ANSWER && state == SA_REPLY_STATE_SENT);
  return row;
}

/**
 * sa_replies_view_set_appeal:
 * @self: a #SaRepliesView
 * @appeal: (nullable): the appeal as the desk shows it
 *
 * Shows @appeal's replies; the group hides when it has none.
 */
void
sa_replies_view_set_appeal (SaRepliesView *self,
                            JsonObject    *appeal)
{
  JsonNode *node;
  JsonArray *replies;

  g_return_if_fail (SA_IS_REPLIES_VIEW (self));

  sa_replies_view_clear (self);
  node = appeal != NULL ? json_object_get_member (appeal, SA_APPEAL_FIELD_REPLIES) : NULL;
  replies = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  for (guint i = 0; replies != NULL && i < json_array_get_length (replies); i++)
    {
      JsonNode *item = json_array_get_element (replies, i);
      GtkWidget *row;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      row = reply_row (self, json_node_get_object (item));
      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), self->rows->len > 0);
}

/**
 * sa_replies_view_set_cache:
 * @self: a #SaRepliesView
 * @cache: (nullable): where people's and agencies' names come from
 */
void
sa_replies_view_set_cache (SaRepliesView *self,
                           SaCache       *cache)
{
  g_return_if_fail (SA_IS_REPLIES_VIEW (self));
  g_set_object (&self->cache, cache);
}

guint
sa_replies_view_get_n_rows (SaRepliesView *self)
{
  g_return_val_if_fail (SA_IS_REPLIES_VIEW (self), 0);
  return self->rows->len;
}

static void
sa_replies_view_dispose (GObject *object)
{
  SaRepliesView *self = SA_REPLIES_VIEW (object);

  g_clear_pointer ((GtkWidget **) &self->group, gtk_widget_unparent);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (sa_replies_view_parent_class)->dispose (object);
}

static void
sa_replies_view_finalize (GObject *object)
{
  SaRepliesView *self = SA_REPLIES_VIEW (object);

  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (sa_replies_view_parent_class)->finalize (object);
}

static void
sa_replies_view_class_init (SaRepliesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sa_replies_view_dispose;
  object_class->finalize = sa_replies_view_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
sa_replies_view_init (SaRepliesView *self)
{
  self->rows = g_ptr_array_new ();
  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->group, _("Replies"));
  gtk_widget_set_parent (GTK_WIDGET (self->group), GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
