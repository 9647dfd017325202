/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sa-reply-editor.h"
#include "sa-reply-files.h"
#include "sa-reply-template-picker.h"

G_BEGIN_DECLS

/* The reply editor's insides, shared by sa-reply-editor.c (typing, saving,
 * submitting) and sa-reply-editor-load.c (which reply, and filling the
 * window from it). */

struct _SaReplyEditor
{
  AdwWindow        parent_instance;

  AdwWindowTitle  *window_title;
  GtkLabel        *save_state;
  GtkButton       *submit_button;
  GtkWidget       *banner;
  GtkLabel        *banner_title;
  GtkLabel        *banner_text;
  GtkTextView     *text_view;
  GtkToggleButton *public_button;
  GtkToggleButton *private_button;
  GtkDropDown     *language_dropdown;
  GtkLabel        *counter;
  GtkExpander     *versions_expander;
  GtkListBox      *versions_list;
  GtkLabel        *preview_heading;
  GtkLabel        *preview_text;
  GtkLabel        *visibility_note;
  GtkLabel        *preview_kind;
  GtkDropDown     *kind_dropdown;
  SaReplyTemplatePicker *template_picker;
  SaReplyFiles    *files;
  GtkLabel        *preview_files;
  GtkTextTag      *placeholder_tag;

  SaCache         *cache;
  JsonObject      *appeal;
  JsonObject      *user;
  char            *reply_id;
  SaReplyKind      kind;
  gboolean         exists;      /* the reply is in the cache: its kind is fixed */
  guint            save_source;
  gboolean         editable;
  gboolean         loading;     /* filling the widgets: no save */
  gboolean         saving;      /* a save is in flight */
  gboolean         dirty;       /* changed since the last save began */
  gboolean         failed;      /* the last save failed */
  gboolean         submit_wanted;
  gboolean         closed;
  /* Once closed, the widgets may be gone: what to save is kept here. */
  char            *final_text;
  const char      *final_visibility;
  const char      *final_language;
  char           **final_files;
};

static inline const char *
_sa_reply_editor_member_string (JsonObject *object,
                                const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static inline JsonArray *
_sa_reply_editor_member_array (JsonObject *object,
                               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *_sa_reply_editor_language         (SaReplyEditor *self);
const char *_sa_reply_editor_visibility       (SaReplyEditor *self);
void        _sa_reply_editor_set_save_state   (SaReplyEditor *self,
                                               const char    *text,
                                               gboolean       error);
void        _sa_reply_editor_tag_placeholders (SaReplyEditor *self);
void        _sa_reply_editor_choose_kind      (SaReplyEditor *self);
void        _sa_reply_editor_load             (SaReplyEditor *self);

G_END_DECLS
