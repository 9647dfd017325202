/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-attachments-view"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "sa-appeal-model.h"
#include "sa-attachment-store.h"
#include "sa-attachments-view.h"

/* The appeal's files: a row each with its thumbnail (the registry's, for
 * photos) or an icon, its name and size, and whether it still waits to be
 * sent. A file chosen or dropped is copied into the account's store
 * (SaAttachmentStore) and asked for as an `attach` op (::op-requested):
 * the window writes the op to the outbox and the sync engine uploads the
 * file before it pushes the op. Activating a row opens the file, fetched
 * first when this desk does not hold it. */

/* What one thumbnail answer may be: a 256 px JPEG or PNG is far less. */
#define THUMBNAIL_MAX_BYTES  (2 * 1024 * 1024)
/* What the downloaded files may take on disk before the oldest go. */
#define DOWNLOADS_MAX_BYTES  ((goffset) 256 * 1024 * 1024)
#define THUMBNAIL_PIXELS     48
#define NAME_MAX_CHARS       255

struct _SaAttachmentsView
{
  GtkWidget          parent_instance;

  AdwPreferencesGroup *group;
  GtkButton          *attach_button;
  GtkListBox         *list;

  JsonObject         *appeal;
  SaSyncEngine       *engine;
  SaAttachmentStore  *store;
  gulong              progress_handler;
  gulong              finished_handler;
  GCancellable       *cancellable;
  /* The shown appeal's thumbnails: sha256 → GdkTexture, or the view
   * itself for "on its way" or "has none" */
  GHashTable         *thumbnails;
  GtkFileChooserNative *chooser;
  gboolean            can_attach;
  char               *message;
};

G_DEFINE_FINAL_TYPE (SaAttachmentsView, sa_attachments_view, GTK_TYPE_WIDGET)

enum {
  OP_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
sa_attachments_view_new (void)
{
  return g_object_new (SA_TYPE_ATTACHMENTS_VIEW, NULL);
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

static JsonArray *
attachments_of (JsonObject *appeal)
{
  JsonNode *node = appeal != NULL ? json_object_get_member (appeal, "attachments") : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Says @message in a toast of the window, above anything less urgent
 * shown there, and keeps it for sa_attachments_view_get_message(). */
static void
sa_attachments_view_say (SaAttachmentsView *self,
                         const char        *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_free (self->message);
  self->message = g_strdup (message);
  if (overlay != NULL)
    {
      AdwToast *toast = adw_toast_new (message);

      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    }
}

/* ------------------------------------------------------------------ */
/* Rows */

static GtkWidget *
find_row (SaAttachmentsView *self,
          const char        *sha256)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "sha256"), sha256) == 0)
      return row;
  return NULL;
}

static gboolean
is_image (const char *content_type)
{
  return content_type != NULL && g_str_has_prefix (content_type, "image/");
}

static void sa_attachments_view_fetch_thumbnail (SaAttachmentsView *self,
                                                 const char        *sha256);

static void
set_row_subtitle (GtkWidget  *row,
                  goffset     size,
                  const char *state)
{
  g_autofree char *size_text = size > 0 ? g_format_size (size) : NULL;
  g_autofree char *subtitle = NULL;

  if (size_text != NULL && state != NULL)
    /* Translators: a file's size and its state, e.g. "2.1 MB · Waiting to be sent" */
    subtitle = g_strdup_printf (_("%s · %s"), size_text, state);
  else
    subtitle = g_strdup (size_text != NULL ? size_text : state);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle != NULL ? subtitle : "");
}

static GtkWidget *
sa_attachments_view_make_row (SaAttachmentsView *self,
                              JsonObject        *item)
{
  const char *sha256 = member_string (item, "sha256");
  const char *name = member_string (item, "name");
  const char *type = member_string (item, "content_type");
  gboolean pending = self->store != NULL && sa_attachment_store_is_pending (self->store, sha256);
  gpointer thumbnail = g_hash_table_lookup (self->thumbnails, sha256);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *image;
  GtkWidget *progress;
  goffset size = json_object_get_int_member_with_default (item, "size", 0);

  if (pending || size == 0 || type == NULL)
    {
      const char *local_type = NULL;
      goffset local_size = 0;
      g_autoptr(GFile) local = self->store != NULL
                               ? sa_attachment_store_lookup (self->store, sha256, &local_size,
                                                             &local_type)
                               : NULL;

      if (local != NULL)
        {
          size = size != 0 ? size : local_size;
          type = type != NULL ? type : local_type;
        }
    }

  g_object_set_data_full (G_OBJECT (row), "sha256", g_strdup (sha256), g_free);
  g_object_set_data_full (G_OBJECT (row), "name", g_strdup (name), g_free);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : sha256);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  image = gtk_image_new ();
  gtk_image_set_pixel_size (GTK_IMAGE (image), THUMBNAIL_PIXELS);
  gtk_widget_set_size_request (image, THUMBNAIL_PIXELS, THUMBNAIL_PIXELS);
  if (GDK_IS_TEXTURE (thumbnail))
    gtk_image_set_from_paintable (GTK_IMAGE (image), thumbnail);
  else
    gtk_image_set_from_icon_name (GTK_IMAGE (image), is_image (type) ? "image-x-generic-symbolic"
                                                                     : "x-office-document-symbolic");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);
  g_object_set_data (G_OBJECT (row), "image", image);

  progress = gtk_progress_bar_new ();
  gtk_widget_set_valign (progress, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (progress, 80, -1);
  gtk_widget_set_visible (progress, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), progress);
  g_object_set_data (G_OBJECT (row), "progress", progress);
  g_object_set_data (G_OBJECT (row), "size", GSIZE_TO_POINTER ((gsize) size));

  set_row_subtitle (row, size, pending ? _("Waiting to be sent") : NULL);

  /* Only once the registry has linked it: before the attach op is applied
   * the registry answers a thumbnail with 404, which would be kept as "no
   * thumbnail". The registry's appeal, arriving after the op, rebuilds the
   * rows. */
  if (!pending && !json_object_get_boolean_member_with_default (item, "pending", FALSE) &&
      is_image (type) && thumbnail == NULL)
    sa_attachments_view_fetch_thumbnail (self, sha256);
  return row;
}

static void
sa_attachments_view_rebuild (SaAttachmentsView *self)
{
  JsonArray *array = attachments_of (self->appeal);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (item != NULL && sa_attachment_is_sha256 (member_string (item, "sha256")))
        gtk_list_box_append (self->list, sa_attachments_view_make_row (self, item));
    }
}

/* ------------------------------------------------------------------ */
/* Thumbnails */

typedef struct
{
  SaAttachmentsView *self;
  char              *sha256;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->self);
  g_free (fetch->sha256);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

static Fetch *
fetch_new (SaAttachmentsView *self,
           const char        *sha256)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->self = g_object_ref (self);
  fetch->sha256 = g_strdup (sha256);
  return fetch;
}

static void
thumbnail_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  SaAttachmentsView *self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkWidget *row;

  bytes = sa_api_client_download_finish (SA_API_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Only a PNG or JPEG, as the registry makes them, is handed to GTK. */
  if (bytes != NULL)
    {
      const char *type = sa_attachment_sniff_type (g_bytes_get_data (bytes, NULL),
                                                   g_bytes_get_size (bytes));

      if (g_strcmp0 (type, "image/png") == 0 || g_strcmp0 (type, "image/jpeg") == 0)
        texture = gdk_texture_new_from_bytes (bytes, &error);
    }
  if (texture == NULL)
    {
      /* No thumbnail (a WebP the registry cannot decode, an image over its
       * budget) or no network: the icon stays. Offline, try again when
       * the appeal is shown next. */
      if (!g_error_matches (error, SA_API_ERROR, SA_API_ERROR_NOT_FOUND))
        g_hash_table_remove (self->thumbnails, fetch->sha256);
      else
        g_hash_table_replace (self->thumbnails, g_strdup (fetch->sha256), self);
      return;
    }
  g_hash_table_replace (self->thumbnails, g_strdup (fetch->sha256), g_object_ref (texture));
  row = find_row (self, fetch->sha256);
  if (row != NULL)
    gtk_image_set_from_paintable (g_object_get_data (G_OBJECT (row), "image"),
                                  GDK_PAINTABLE (texture));
}

static void
thumbnail_value_free (gpointer value)
{
  if (GDK_IS_TEXTURE (value))
    g_object_unref (value);
}

static void
sa_attachments_view_fetch_thumbnail (SaAttachmentsView *self,
                                     const char        *sha256)
{
  g_autofree char *path = NULL;

  if (self->engine == NULL || g_hash_table_contains (self->thumbnails, sha256))
    return;
  /* Marked as on its way (the view itself, no texture) until it comes. */
  g_hash_table_insert (self->thumbnails, g_strdup (sha256), self);
  path = g_strconcat ("/api/v1/attachments/", sha256, "/thumbnail", NULL);
  sa_api_client_download_async (sa_sync_engine_get_client (self->engine), path,
                                THUMBNAIL_MAX_BYTES, self->cancellable, thumbnail_cb,
                                fetch_new (self, sha256));
}

/* ------------------------------------------------------------------ */
/* Uploads, as the sync engine reports them */

static void
upload_progress_cb (SaAttachmentsView *self,
                    const char        *sha256,
                    guint64            done,
                    guint64            total,
                    SaSyncEngine      *engine)
{
  GtkWidget *row = find_row (self, sha256);
  GtkWidget *progress;
  g_autofree char *state = NULL;

  if (row == NULL)
    return;
  progress = g_object_get_data (G_OBJECT (row), "progress");
  gtk_widget_set_visible (progress, TRUE);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (progress),
                                 total > 0 ? (double) done / (double) total : 0.0);
  /* Translators: a file on its way to the registry, e.g. "Sending… 45 %" */
  state = g_strdup_printf (_("Sending… %u %%"), total > 0 ? (guint) (done * 100 / total) : 0);
  set_row_subtitle (row, (goffset) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "size")),
                    state);
}

static void
upload_finished_cb (SaAttachmentsView *self,
                    const char        *sha256,
                    gboolean           uploaded,
                    SaSyncEngine      *engine)
{
  if (find_row (self, sha256) != NULL)
    sa_attachments_view_rebuild (self);
}

/* ------------------------------------------------------------------ */
/* Attaching */

typedef struct
{
  SaAttachmentsView *self;
  char              *appeal_id;
  char              *name;
} Attach;

static void
attach_free (Attach *attach)
{
  g_object_unref (attach->self);
  g_free (attach->appeal_id);
  g_free (attach->name);
  g_free (attach);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attach, attach_free)

static gboolean
is_attached (SaAttachmentsView *self,
             const char        *sha256)
{
  JsonArray *array = attachments_of (self->appeal);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (member_string (json_node_get_object (node), "sha256"), sha256) == 0)
        return TRUE;
    }
  return FALSE;
}

static char *
describe_refusal (const GError *error,
                  const char   *name)
{
  if (g_error_matches (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_TOO_LARGE))
    {
      g_autofree char *limit = g_format_size_full (SA_ATTACHMENT_MAX_SIZE,
                                                   G_FORMAT_SIZE_IEC_UNITS);

      return g_strdup_printf (_("“%s” is larger than %s and cannot be attached"), name, limit);
    }
  if (g_error_matches (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_UNSUPPORTED_TYPE))
    return g_strdup_printf (_("“%s” cannot be attached: only JPEG, PNG and WebP photos and "
                              "PDF documents can"), name);
  if (g_error_matches (error, SA_ATTACHMENT_ERROR, SA_ATTACHMENT_ERROR_EMPTY))
    return g_strdup_printf (_("“%s” is empty and cannot be attached"), name);
  return g_strdup_printf (_("Could not attach “%s”: %s"), name, error->message);
}

static void
add_file_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Attach) attach = user_data;
  SaAttachmentsView *self = attach->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *message = NULL;

  sha256 = sa_attachment_store_add_file_finish (SA_ATTACHMENT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sha256 == NULL)
    {
      message = describe_refusal (error, attach->name);
      sa_attachments_view_say (self, message);
      return;
    }
  /* The op goes to the shown appeal: it must still be the one the file
   * was dropped on. */
  if (g_strcmp0 (member_string (self->appeal, "id"), attach->appeal_id) != 0)
    {
      message = g_strdup_printf (_("“%s” was not attached: another appeal is shown now"),
                                 attach->name);
      sa_attachments_view_say (self, message);
      return;
    }
  if (is_attached (self, sha256))
    {
      message = g_strdup_printf (_("“%s” is attached to this appeal already"), attach->name);
      sa_attachments_view_say (self, message);
      return;
    }

  args = json_object_new ();
  json_object_set_string_member (args, "sha256", sha256);
  json_object_set_string_member (args, "name", attach->name);
  g_signal_emit (self, signals[OP_REQUESTED], 0, sa_op_type_to_string (SA_OP_ATTACH), args);
}

/* The name people see, never a path: the file's display name, valid
 * UTF-8 without control characters, at most 255 characters. */
static char *
display_name (GFile *file)
{
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *name = base != NULL ? g_filename_display_name (base) : g_strdup ("file");
  GString *clean = g_string_new (NULL);
  guint n = 0;

  for (const char *p = name; *p != '\0' && n < NAME_MAX_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (clean, g_unichar_iscntrl (c) ? ' ' : c);
    }
  return g_string_free (clean, FALSE);
}

/**
 * sa_attachments_view_attach_file:
 * @self: a #SaAttachmentsView
 * @file: a file the user chose or dropped
 *
 * Copies @file into the account's store and, once it is there, asks for
 * the `attach` op (#SaAttachmentsView::op-requested). A file the registry
 * would refuse (too large, not a photo or a PDF) is refused here, with a
 * message, and nothing is queued.
 */
void
sa_attachments_view_attach_file (SaAttachmentsView *self,
                                 GFile             *file)
{
  Attach *attach;

  g_return_if_fail (SA_IS_ATTACHMENTS_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->store == NULL || self->appeal == NULL || !self->can_attach)
    {
      sa_attachments_view_say (self, _("Files cannot be attached to this appeal"));
      return;
    }
  attach = g_new0 (Attach, 1);
  attach->self = g_object_ref (self);
  attach->appeal_id = g_strdup (member_string (self->appeal, "id"));
  attach->name = display_name (file);
  /* Hashing 10 MiB and the fsync run on a worker thread. */
  sa_attachment_store_add_file_async (self->store, file, self->cancellable, add_file_cb, attach);
}

static void
chooser_response_cb (SaAttachmentsView    *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          sa_attachments_view_attach_file (self, file);
        }
    }
  g_clear_object (&self->chooser);
}

/**
 * sa_attachments_view_choose_file:
 * @self: a #SaAttachmentsView
 *
 * Asks for files to attach with the desktop's file chooser (the portal's
 * in a Flatpak).
 */
void
sa_attachments_view_choose_file (SaAttachmentsView *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root;

  g_return_if_fail (SA_IS_ATTACHMENTS_VIEW (self));

  if (self->chooser != NULL)
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->chooser = gtk_file_chooser_native_new (_("Attach Files"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Photos and PDF documents"));
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
drop_cb (GtkDropTarget     *target,
         const GValue      *value,
         double             x,
         double             y,
         SaAttachmentsView *self)
{
  if (!self->can_attach)
    return FALSE;
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      for (GSList *l = files; l != NULL; l = l->next)
        sa_attachments_view_attach_file (self, l->data);
      return files != NULL;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_FILE) && g_value_get_object (value) != NULL)
    {
      sa_attachments_view_attach_file (self, g_value_get_object (value));
      return TRUE;
    }
  return FALSE;
}

/**
 * sa_attachments_view_add_drop_target:
 * @self: a #SaAttachmentsView
 * @widget: the widget files may be dropped on (the appeal's detail)
 *
 * Files dropped on @widget are attached like chosen ones.
 */
void
sa_attachments_view_add_drop_target (SaAttachmentsView *self,
                                     GtkWidget         *widget)
{
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };
  GtkDropTarget *target;

  g_return_if_fail (SA_IS_ATTACHMENTS_VIEW (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (target));
}

/* ------------------------------------------------------------------ */
/* Opening */

static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      GtkWidget *row = find_row (fetch->self, fetch->sha256);
      const char *name = row != NULL ? g_object_get_data (G_OBJECT (row), "name") : NULL;
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Cannot open an attachment: %s", error->message);
      message = g_strdup_printf (_("No application on this computer can open “%s”"),
                                 name != NULL ? name : fetch->sha256);
      sa_attachments_view_say (fetch->self, message);
    }
}

static void
sa_attachments_view_launch (SaAttachmentsView *self,
                            const char        *sha256)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = sa_attachment_store_open_file (self->store, sha256, &error);
  g_autoptr(GdkAppLaunchContext) context = NULL;
  g_autofree char *uri = NULL;

  if (file == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the file: %s"),
                                                  error->message);

      sa_attachments_view_say (self, message);
      return;
    }
  uri = g_file_get_uri (file);
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), self->cancellable,
                                           launch_cb, fetch_new (self, sha256));
}

static void
downloaded_stored_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  g_autoptr(GError) error = NULL;

  if (!sa_attachment_store_put_bytes_finish (SA_ATTACHMENT_STORE (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not open the file: %s"), error->message);
      sa_attachments_view_say (fetch->self, message);
      return;
    }
  sa_attachment_store_trim (SA_ATTACHMENT_STORE (object), DOWNLOADS_MAX_BYTES);
  sa_attachments_view_launch (fetch->self, fetch->sha256);
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  SaAttachmentsView *self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *sha256;

  bytes = sa_api_client_download_finish (SA_API_CLIENT (object), result, &error);
  if (bytes == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, SA_API_ERROR, SA_API_ERROR_UNREACHABLE))
        message = g_strdup (_("The file is not on this computer and the registry cannot be "
                              "reached"));
      else
        message = g_strdup_printf (_("Could not fetch the file: %s"), error->message);
      sa_attachments_view_say (self, message);
      return;
    }
  sha256 = fetch->sha256;
  sa_attachment_store_put_bytes_async (self->store, sha256, bytes, self->cancellable,
                                       downloaded_stored_cb, g_steal_pointer (&fetch));
}

static void
row_activated_cb (SaAttachmentsView *self,
                  GtkListBoxRow     *row)
{
  const char *sha256 = g_object_get_data (G_OBJECT (row), "sha256");
  g_autoptr(GFile) local = NULL;
  g_autofree char *path = NULL;

  if (sha256 == NULL || self->store == NULL)
    return;
  local = sa_attachment_store_lookup (self->store, sha256, NULL, NULL);
  if (local != NULL)
    {
      sa_attachments_view_launch (self, sha256);
      return;
    }
  path = g_strconcat ("/api/v1/attachments/", sha256, NULL);
  sa_api_client_download_async (sa_sync_engine_get_client (self->engine), path,
                                SA_ATTACHMENT_MAX_SIZE, self->cancellable, download_cb,
                                fetch_new (self, sha256));
}

/* ------------------------------------------------------------------ */
/* Public */

/**
 * sa_attachments_view_set_appeal:
 * @self: a #SaAttachmentsView
 * @appeal: (nullable): the shown appeal's JSON
 */
void
sa_attachments_view_set_appeal (SaAttachmentsView *self,
                                JsonObject        *appeal)
{
  g_return_if_fail (SA_IS_ATTACHMENTS_VIEW (self));

  /* Thumbnails are kept for the shown appeal only: a day of photos
   * browsed must not pile up at 256 KiB each. */
  if (g_strcmp0 (member_string (appeal, "id"), member_string (self->appeal, "id")) != 0)
    g_hash_table_remove_all (self->thumbnails);
  if (appeal != NULL)
    json_object_ref (appeal);
  g_clear_pointer (&self->appeal, json_object_unref);
  self->appeal = appeal;
  sa_attachments_view_rebuild (self);
}

/**
 * sa_attachments_view_set_sync_engine:
 * @self: a #SaAttachmentsView
 * @engine: (nullable): the signed-in account's engine
 *
 * Files are stored in @engine's account, fetched with its client, and
 * their uploads followed.
 */
void
sa_attachments_view_set_sync_engine (SaAttachmentsView *self,
                                     SaSyncEngine      *engine)
{
  g_return_if_fail (SA_IS_ATTACHMENTS_VIEW (self));
  g_return_if_fail (engine == NULL || SA_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->engine != NULL)
    {
      g_clear_signal_handler (&self->progress_handler, self->engine);
      g_clear_signal_handler (&self->finished_handler, self->engine);
    }
  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  g_hash_table_remove_all (self->thumbnails);

  self->cancellable = g_cancellable_new ();
  if (engine != NULL)
    {
      self->engine = g_object_ref (engine);
      self->store = g_object_ref (sa_sync_engine_get_attachment_store (engine));
      self->progress_handler = g_signal_connect_swapped (engine, "upload-progress",
                                                         G_CALLBACK (upload_progress_cb), self);
      self->finished_handler = g_signal_connect_swapped (engine, "upload-finished",
                                                         G_CALLBACK (upload_finished_cb), self);
    }
  sa_attachments_view_rebuild (self);
}

/**
 * sa_attachments_view_set_can_attach:
 * @self: a #SaAttachmentsView
 * @can_attach: whether the user may attach files to the shown appeal
 *
 * Dropped files are refused otherwise (the button follows `detail.attach`).
 */
void
sa_attachments_view_set_can_attach (SaAttachmentsView *self,
                                    gboolean           can_attach)
{
  g_return_if_fail (SA_IS_ATTACHMENTS_VIEW (self));
  self->can_attach = can_attach;
}

/**
 * sa_attachments_view_get_message:
 * @self: a #SaAttachmentsView
 *
 * Returns: (nullable): the last message the view showed (a refused file,
 *   a file that cannot be opened)
 */
const char *
sa_attachments_view_get_message (SaAttachmentsView *self)
{
  g_return_val_if_fail (SA_IS_ATTACHMENTS_VIEW (self), NULL);
  return self->message;
}

static void
sa_attachments_view_dispose (GObject *object)
{
  SaAttachmentsView *self = SA_ATTACHMENTS_VIEW (object);

  sa_attachments_view_set_sync_engine (self, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_ATTACHMENTS_VIEW);
  g_clear_pointer (&self->appeal, json_object_unref);
  g_clear_pointer (&self->thumbnails, g_hash_table_unref);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (sa_attachments_view_parent_class)->dispose (object);
}

static void
sa_attachments_view_class_init (SaAttachmentsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_attachments_view_dispose;

  /**
   * SaAttachmentsView::op-requested:
   * @self: the view
   * @type: `attach`
   * @args: `{"sha256","name"}` of a file now in the account's store
   *
   * The user attached a file to the shown appeal.
   */
  signals[OP_REQUESTED] =
    g_signal_new ("op-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-attachments-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SaAttachmentsView, group);
  gtk_widget_class_bind_template_child (widget_class, SaAttachmentsView, attach_button);
  gtk_widget_class_bind_template_child (widget_class, SaAttachmentsView, list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sa_attachments_view_init (SaAttachmentsView *self)
{
  self->thumbnails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            thumbnail_value_free);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
