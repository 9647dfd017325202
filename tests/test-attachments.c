/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "sa-test-files.h"
#include "sa-application.h"
#include "sa-attachments-view.h"
#include "sa-test-spawn.h"
#include "sa-test-widgets.h"
#include "sa-window-private.h"

/* Files on the executor's desk against a real registry: a file attached
 * in the appeal's detail reaches the registry (online, and offline once it
 * is back), a file the registry would refuse is refused at once with a
 * message, a photo shows the registry's thumbnail, a row opens its file
 * (downloaded into the account's store), and a file dropped on the
 * detail is attached. Each case works on an appeal of its own, registered
 * for it. */

#define LOGIN    "executor.almaty-teplo"
#define PASSWORD "demo-executor"

static SaApplication *app;
static SaTestSpawnedRegistry registry;
static SaWindow *window;
static char *data_dir;
static char *files_dir;
static char *token;

/* ------------------------------------------------------------------ */
/* The registry, as another client sees it */

static GBytes *
http_bytes (const char   *method,
            const char   *path,
            const char   *content_type,
            GBytes       *body,
            guint        *out_status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (registry.url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  g_autofree char *auth = NULL;
  GBytes *answer;

  if (token != NULL)
    {
      auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  return answer;
}

static JsonNode *
http (const char *method,
      const char *path,
      const char *body)
{
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint status;

  answer = http_bytes (method, path, "application/json", bytes, &status);
  g_assert_cmpuint (status, <, 300);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             g_bytes_get_size (answer), &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
sign_in (const char *login,
         const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\"}", login,
                                           password);
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *saved = g_steal_pointer (&token);

  answer = http ("POST", "/api/v1/auth/login", body);
  token = g_steal_pointer (&saved);
  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "access_token"));
}

/* A new appeal in the executor's agency's queue, as a channel registers it. */
static char *
register_appeal (void)
{
  g_autofree char *operator = sign_in ("operator.ikomek-109", "demo-operator");
  g_autofree char *saved = g_steal_pointer (&token);
  g_autoptr(JsonNode) appeal = NULL;
  char *id;

  token = operator;
  appeal = http ("POST", "/api/v1/intake",
                 "{\"channel\":\"egov\",\"category\":\"heating.no-heat\","
                 "\"text\":\"Открыт люк во дворе, нет отопления в подъезде.\","
                 "\"applicant\":{\"name\":\"Сейткали Айгерим\",\"iin\":\"900101000177\"},"
                 "\"address\":{\"text\":\"улица Жандосова, 8\",\"district\":\"almaly\"}}");
  operator = g_steal_pointer (&token);
  token = g_steal_pointer (&saved);
  id = g_strdup (json_object_get_string_member (json_node_get_object (appeal), "id"));
  return id;
}

/* The appeal's attachments as the registry has them. */
static JsonArray *
registry_attachments (const char *appeal_id)
{
  g_autofree char *path = g_strconcat ("/api/v1/appeals/", appeal_id, NULL);
  g_autoptr(JsonNode) appeal = http ("GET", path, NULL);
  JsonObject *object = json_node_get_object (appeal);

  if (!json_object_has_member (object, "attachments"))
    return json_array_new ();
  return json_array_ref (json_object_get_array_member (object, "attachments"));
}

static gboolean
registry_has (const char *appeal_id,
              const char *sha256,
              const char *name)
{
  g_autoptr(JsonArray) files = registry_attachments (appeal_id);

  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      JsonObject *file = json_array_get_object_element (files, i);

      if (g_strcmp0 (json_object_get_string_member (file, "sha256"), sha256) == 0 &&
          g_strcmp0 (json_object_get_string_member (file, "name"), name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Uploads @bytes and attaches them to the appeal as another desk of the
 * same user would. */
static void
attach_elsewhere (const char *appeal_id,
                  GBytes     *bytes,
                  const char *name)
{
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *put = g_strconcat ("/api/v1/attachments/", sha256, NULL);
  g_autofree char *get = g_strconcat ("/api/v1/appeals/", appeal_id, NULL);
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) appeal = NULL;
  g_autoptr(JsonNode) result = NULL;
  guint status;

  answer = http_bytes ("PUT", put, "application/octet-stream", bytes, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_CREATED);
  appeal = http ("GET", get, NULL);
  body = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"attach\",\"appeal_id\":\"%s\","
                          "\"base_version\":%" G_GINT64_FORMAT ",\"args\":{\"sha256\":\"%s\","
                          "\"name\":\"%s\"}}]}", op_id, appeal_id,
                          json_object_get_int_member (json_node_get_object (appeal), "version"),
                          sha256, name);
  result = http ("POST", "/api/v1/ops", body);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (json_node_get_object (result), "results"),
                       0), "status"), ==, "applied");
}

/* ------------------------------------------------------------------ */
/* Files */

/* A @width × @height PNG of one colour: a photo as far as anyone can tell. */
static GBytes *
make_png (int    width,
          int    height,
          guint8 shade)
{
  gsize stride = width * 3;
  g_autofree guint8 *pixels = g_malloc (stride * height);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (gsize i = 0; i < stride * height; i++)
    pixels[i] = (guint8) (shade + (i % 3) * 40);
  data = g_bytes_new (pixels, stride * height);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, data, stride);
  return gdk_texture_save_to_png_bytes (texture);
}

static GBytes *
make_pdf (const char *text)
{
  g_autofree char *doc = g_strdup_printf ("%%PDF-1.4\n%% %s\n%%%%EOF\n", text);

  return g_bytes_new (doc, strlen (doc));
}

static GFile *
write_file (const char *name,
            GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (files_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* ------------------------------------------------------------------ */
/* The window */

typedef gboolean (*Predicate) (gconstpointer data);

static void
wait_for (Predicate     done,
          gconstpointer data,
          const char   *what)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 200 * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

static gboolean
synced (gconstpointer data)
{
  return window->engine != NULL &&
         sa_sync_engine_get_state (window->engine) == SA_SYNC_STATE_SYNCED;
}

static gboolean
cached (gconstpointer id)
{
  g_autoptr(JsonNode) appeal = sa_cache_get_appeal (sa_window_get_cache (window), id, NULL);

  return appeal != NULL;
}

static SaAttachmentsView *
view (void)
{
  GtkWidget *found = sa_test_find_by_type (GTK_WIDGET (window->detail),
                                           SA_TYPE_ATTACHMENTS_VIEW, 0);

  g_assert_nonnull (found);
  return SA_ATTACHMENTS_VIEW (found);
}

static SaAttachmentStore *
store (void)
{
  return sa_sync_engine_get_attachment_store (window->engine);
}

/* Pulls the appeal into the desk and shows it. */
static void
show_appeal (const char *id)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  wait_for (cached, id, "the new appeal on the desk");
  wait_for (synced, NULL, "the sync");
  sa_window_open_appeal (window, id);
  settle ();
}

/* The attachment row titled @name, shown in the detail. */
static GtkWidget *
shown_row (const char *name)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (view ()), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_mapped (rows->pdata[i]) &&
        g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), name) == 0)
      return rows->pdata[i];
  return NULL;
}

static gboolean
row_shown (gconstpointer name)
{
  return shown_row (name) != NULL;
}

static gboolean
row_says (GtkWidget  *row,
          const char *text)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

  return subtitle != NULL && strstr (subtitle, text) != NULL;
}

static guint
n_rows (void)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (view ()), ADW_TYPE_ACTION_ROW, rows);
  return rows->len;
}

/* Whether a label in the window (a toast's) reads @text. */
static gboolean
window_says (gconstpointer text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  sa_test_collect (GTK_WIDGET (window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) &&
        g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return TRUE;
  return FALSE;
}

static guint
outbox_size (void)
{
  guint unsynced = 0, attention = 0;

  g_assert_true (sa_cache_count_outbox (sa_window_get_cache (window), &unsynced, &attention,
                                        NULL));
  return unsynced + attention;
}

typedef struct
{
  const char *appeal_id;
  const char *sha256;
  const char *name;
} Expect;

static gboolean
on_registry (gconstpointer data)
{
  const Expect *e = data;

  return registry_has (e->appeal_id, e->sha256, e->name);
}

static gboolean
uploaded (gconstpointer data)
{
  const Expect *e = data;
  GtkWidget *row = shown_row (e->name);

  return row != NULL && !sa_attachment_store_is_pending (store (), e->sha256) &&
         !row_says (row, "Waiting");
}

static void
assert_registry_bytes (const char *sha256,
                       GBytes     *expected)
{
  g_autofree char *path = g_strconcat ("/api/v1/attachments/", sha256, NULL);
  g_autoptr(GBytes) got = NULL;
  guint status;

  got = http_bytes ("GET", path, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_true (g_bytes_equal (got, expected));
}

/* ------------------------------------------------------------------ */
/* Cases */

typedef struct
{
  const char *sha256;
  guint64     done;
  guint64     total;
  gboolean    finished;
} Progress;

static void
progress_cb (SaSyncEngine *engine,
             const char   *sha256,
             guint64       done,
             guint64       total,
             Progress     *p)
{
  if (g_strcmp0 (sha256, p->sha256) == 0)
    {
      g_assert_cmpuint (done, >=, p->done);
      p->done = done;
      p->total = total;
    }
}

static void
finished_cb (SaSyncEngine *engine,
             const char   *sha256,
             gboolean      ok,
             Progress     *p)
{
  if (g_strcmp0 (sha256, p->sha256) == 0)
    p->finished = ok;
}

static gboolean
thumbnail_shown (gconstpointer name)
{
  GtkWidget *row = shown_row (name);
  GtkWidget *image = row != NULL ? sa_test_find_by_type (row, GTK_TYPE_IMAGE, 0) : NULL;

  return image != NULL && gtk_image_get_storage_type (GTK_IMAGE (image)) == GTK_IMAGE_PAINTABLE;
}

static void
test_attach_online (void)
{
  /* A photo attached in the detail is uploaded and linked on the registry, byte for byte, under its name; the detail shows its row, no longer waiting. */
  g_autofree char *id = register_appeal ();
  g_autoptr(GBytes) png = make_png (64, 48, 10);
  g_autoptr(GFile) file = write_file ("Люк закрыт.png", png);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  Expect e = { id, sha256, "Люк закрыт.png" };
  Progress p = { sha256, 0, 0, FALSE };
  gulong progress, finished;

  show_appeal (id);
  g_assert_cmpuint (n_rows (), ==, 0);
  progress = g_signal_connect (window->engine, "upload-progress", G_CALLBACK (progress_cb), &p);
  finished = g_signal_connect (window->engine, "upload-finished", G_CALLBACK (finished_cb), &p);
  sa_attachments_view_attach_file (view (), file);
  wait_for (on_registry, &e, "the file on the registry");
  assert_registry_bytes (sha256, png);
  wait_for (uploaded, &e, "the row, sent");
  /* The engine told how the upload went, to its last byte. */
  g_signal_handler_disconnect (window->engine, progress);
  g_signal_handler_disconnect (window->engine, finished);
  g_assert_true (p.finished);
  g_assert_cmpuint (p.total, ==, g_bytes_get_size (png));
  g_assert_cmpuint (p.done, ==, p.total);
  {
    g_autofree char *size = g_format_size (g_bytes_get_size (png));

    g_assert_true (row_says (shown_row (e.name), size));
  }
  g_assert_cmpuint (n_rows (), ==, 1);
  /* Once the registry has linked it, one's own photo shows its thumbnail too. */
  wait_for (thumbnail_shown, e.name, "the thumbnail of one's own photo");
}

static void
test_attach_offline (void)
{
  /* With the registry away a file attached waits on the desk, shown as waiting, kept in the account's store with its op in the outbox; when the registry is back it is uploaded and attached. */
  g_autofree char *id = register_appeal ();
  g_autoptr(GBytes) pdf = make_pdf ("Акт обследования");
  g_autoptr(GFile) file = write_file ("Акт.pdf", pdf);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  Expect e = { id, sha256, "Акт.pdf" };
  GtkWidget *row;

  show_appeal (id);
  sa_test_pause_registry (&registry);
  sa_attachments_view_attach_file (view (), file);
  wait_for (row_shown, e.name, "the waiting row");
  settle ();
  row = shown_row (e.name);
  g_assert_true (row_says (row, "Waiting to be sent"));
  g_assert_true (sa_attachment_store_is_pending (store (), sha256));
  g_assert_cmpuint (outbox_size (), ==, 1);

  sa_test_resume_registry (&registry);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  wait_for (on_registry, &e, "the file on the registry");
  assert_registry_bytes (sha256, pdf);
  wait_for (uploaded, &e, "the row, sent");
  wait_for (synced, NULL, "the sync");
  g_assert_cmpuint (outbox_size (), ==, 0);
}

static gboolean
view_said (gconstpointer prefix)
{
  const char *message = sa_attachments_view_get_message (view ());

  return message != NULL && g_str_has_prefix (message, prefix);
}

static void
test_too_large (void)
{
  /* A file over 10 MiB is refused at once with a message that says so; nothing is stored or queued and no row appears. */
  g_autofree char *id = register_appeal ();
  gsize len = SA_ATTACHMENT_MAX_SIZE + 1;
  g_autofree guint8 *data = g_malloc0 (len);
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GFile) file = NULL;
  g_auto(GStrv) pending_before = NULL;
  g_auto(GStrv) pending_after = NULL;
  guint outbox;

  memcpy (data, "\x89PNG\r\n\x1a\n", 8);
  big = g_bytes_new_take (g_steal_pointer (&data), len);
  file = write_file ("panorama.png", big);
  show_appeal (id);
  outbox = outbox_size ();
  pending_before = sa_attachment_store_list_pending (store ());

  sa_attachments_view_attach_file (view (), file);
  wait_for (view_said, "“panorama.png” is larger than", "the refusal");
  g_assert_true (window_says (sa_attachments_view_get_message (view ())));
  g_assert_nonnull (strstr (sa_attachments_view_get_message (view ()), "10"));
  settle ();
  g_assert_cmpuint (outbox_size (), ==, outbox);
  g_assert_cmpuint (n_rows (), ==, 0);
  pending_after = sa_attachment_store_list_pending (store ());
  g_assert_cmpuint (g_strv_length (pending_after), ==, g_strv_length (pending_before));
}

static void
test_not_a_photo (void)
{
  /* A text file named .jpg is refused for its content, with a message naming what can be attached; nothing is queued. */
  g_autofree char *id = register_appeal ();
  g_autoptr(GBytes) text = g_bytes_new_static ("not a photo\n", 12);
  g_autoptr(GFile) file = write_file ("photo.jpg", text);
  guint outbox;

  show_appeal (id);
  outbox = outbox_size ();
  sa_attachments_view_attach_file (view (), file);
  wait_for (view_said, "“photo.jpg” cannot be attached", "the refusal");
  g_assert_nonnull (strstr (sa_attachments_view_get_message (view ()), "PDF"));
  settle ();
  g_assert_cmpuint (outbox_size (), ==, outbox);
  g_assert_cmpuint (n_rows (), ==, 0);
}

static void
test_thumbnail (void)
{
  /* A photo attached elsewhere shows in its row as the registry's thumbnail (256 px wide for a 640 × 400 photo), a PDF as an icon. */
  g_autofree char *id = register_appeal ();
  g_autoptr(GBytes) png = make_png (640, 400, 90);
  g_autoptr(GBytes) pdf = make_pdf ("Справка");
  GtkWidget *image;
  GdkPaintable *paintable;

  attach_elsewhere (id, png, "Двор.png");
  attach_elsewhere (id, pdf, "Справка.pdf");
  show_appeal (id);
  wait_for (row_shown, "Двор.png", "the photo's row");
  wait_for (thumbnail_shown, "Двор.png", "the thumbnail");
  image = sa_test_find_by_type (shown_row ("Двор.png"), GTK_TYPE_IMAGE, 0);
  paintable = gtk_image_get_paintable (GTK_IMAGE (image));
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, 256);
  g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (paintable)), ==, 160);

  image = sa_test_find_by_type (shown_row ("Справка.pdf"), GTK_TYPE_IMAGE, 0);
  settle ();
  g_assert_cmpint (gtk_image_get_storage_type (GTK_IMAGE (image)), ==, GTK_IMAGE_ICON_NAME);
  {
    g_autofree char *size = g_format_size (g_bytes_get_size (pdf));

    g_assert_true (row_says (shown_row ("Справка.pdf"), size));
  }
}

static gboolean
in_store (gconstpointer sha256)
{
  g_autoptr(GFile) file = sa_attachment_store_lookup (store (), sha256, NULL, NULL);

  return file != NULL;
}

static void
test_open (void)
{
  /* Activating the row of a file this desk does not hold downloads it into the account's store, byte for byte, and hands it on to be opened. */
  g_autofree char *id = register_appeal ();
  g_autoptr(GBytes) pdf = make_pdf ("Предписание для КСК");
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  g_autoptr(GFile) stored = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GtkWidget *row;

  attach_elsewhere (id, pdf, "Предписание.pdf");
  show_appeal (id);
  wait_for (row_shown, "Предписание.pdf", "the row");
  g_assert_false (in_store (sha256));
  row = shown_row ("Предписание.pdf");
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  wait_for (in_store, sha256, "the download");
  stored = sa_attachment_store_lookup (store (), sha256, NULL, NULL);
  bytes = g_file_load_bytes (stored, NULL, NULL, NULL);
  g_assert_true (g_bytes_equal (bytes, pdf));
  g_assert_false (sa_attachment_store_is_pending (store (), sha256));
  settle ();
}

static void
test_drop (void)
{
  /* A file dropped on the appeal's detail is attached like a chosen one. */
  g_autofree char *id = register_appeal ();
  g_autoptr(GBytes) png = make_png (32, 32, 200);
  g_autoptr(GFile) file = write_file ("drop.png", png);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  g_autoptr(GListModel) controllers = NULL;
  GtkDropTarget *target = NULL;
  Expect e = { id, sha256, "drop.png" };
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  show_appeal (id);
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (window->detail));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);
  wait_for (on_registry, &e, "the dropped file on the registry");
  wait_for (uploaded, &e, "the row, sent");
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  ((Wait *) data)->result = g_object_ref (result);
}

static gboolean
have_result (gconstpointer data)
{
  return ((const Wait *) data)->result != NULL;
}

/* Uploads @bytes, named by their hash, with @client: the error, or NULL. */
static GError *
upload_error (SaApiClient *client,
              const char  *name,
              GBytes      *bytes)
{
  g_autoptr(GFile) file = write_file (name, bytes);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autoptr(JsonNode) answer = NULL;
  GError *error = NULL;
  Wait w = { NULL };

  sa_api_client_upload_async (client, sha256, file, NULL, NULL, NULL, result_cb, &w);
  wait_for (have_result, &w, "the upload's answer");
  answer = sa_api_client_upload_finish (client, w.result, &error);
  g_clear_object (&w.result);
  g_assert_true ((answer == NULL) == (error != NULL));
  return error;
}

static void
test_client_errors (void)
{
  /* The client says why the registry refused a file: 415 for a text file, 401 without a token, too large before sending 10 MiB; a download over its limit is refused and none of it kept. */
  SaApiClient *client = sa_sync_engine_get_client (window->engine);
  g_autofree char *id = register_appeal ();
  g_autoptr(SaApiClient) stranger = sa_api_client_new (registry.url);
  g_autoptr(GBytes) text = g_bytes_new_static ("plain text, not a photo\n", 24);
  g_autoptr(GBytes) png = make_png (20, 20, 30);
  gsize len = SA_ATTACHMENT_MAX_SIZE + 1;
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (len), len);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  g_autofree char *path = g_strconcat ("/api/v1/attachments/", sha256, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) got = NULL;
  Wait w = { NULL };

  error = upload_error (client, "text.png", text);
  g_assert_error (error, SA_API_ERROR, SA_API_ERROR_UNSUPPORTED_TYPE);
  g_assert_nonnull (strstr (error->message, "PDF"));
  g_clear_error (&error);

  error = upload_error (stranger, "stranger.png", png);
  g_assert_error (error, SA_API_ERROR, SA_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  error = upload_error (client, "big.png", big);
  g_assert_error (error, SA_API_ERROR, SA_API_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* Attached, then fetched with a limit one byte short, and whole. */
  attach_elsewhere (id, png, "small.png");
  sa_api_client_download_async (client, path, g_bytes_get_size (png) - 1, NULL, result_cb, &w);
  wait_for (have_result, &w, "the download");
  got = sa_api_client_download_finish (client, w.result, &error);
  g_clear_object (&w.result);
  g_assert_error (error, SA_API_ERROR, SA_API_ERROR_TOO_LARGE);
  g_assert_null (got);
  g_clear_error (&error);
  sa_api_client_download_async (client, path, g_bytes_get_size (png), NULL, result_cb, &w);
  wait_for (have_result, &w, "the download");
  got = sa_api_client_download_finish (client, w.result, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (got, png));
  g_clear_pointer (&got, g_bytes_unref);

  /* A file the registry does not have, or shows to no one. */
  sa_api_client_download_async (client, "/api/v1/attachments/"
                                "0000000000000000000000000000000000000000000000000000000000000000",
                                SA_ATTACHMENT_MAX_SIZE, NULL, result_cb, &w);
  wait_for (have_result, &w, "the download");
  got = sa_api_client_download_finish (client, w.result, &error);
  g_clear_object (&w.result);
  g_assert_error (error, SA_API_ERROR, SA_API_ERROR_NOT_FOUND);
  g_assert_null (got);
}

static gboolean
window_gone (gconstpointer data)
{
  return window == NULL;
}

static gboolean
restored (gconstpointer data)
{
  return window->engine != NULL && sa_window_get_cache (window) != NULL;
}

static void
test_offline_restart (void)
{
  /* A file attached offline survives the desk closing: the next start, with the registry back, uploads and attaches it. */
  g_autofree char *id = register_appeal ();
  g_autoptr(GBytes) png = make_png (48, 48, 150);
  g_autoptr(GFile) file = write_file ("Подвал.png", png);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  Expect e = { id, sha256, "Подвал.png" };

  show_appeal (id);
  sa_test_pause_registry (&registry);
  sa_attachments_view_attach_file (view (), file);
  wait_for (row_shown, e.name, "the waiting row");
  g_assert_cmpuint (outbox_size (), ==, 1);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  wait_for (window_gone, NULL, "the window to go");
  sa_test_resume_registry (&registry);

  window = g_object_ref_sink (sa_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  gtk_window_present (GTK_WINDOW (window));
  sa_window_restore_session (window, NULL, NULL);
  wait_for (restored, NULL, "the desk from the cache");
  wait_for (on_registry, &e, "the file on the registry");
  assert_registry_bytes (sha256, png);
  sa_window_open_appeal (window, id);
  wait_for (uploaded, &e, "the row, sent");
}

int
main (int    argc,
      char **argv)
{
  int ret;
  gpointer weak;
  gint64 deadline;

  data_dir = g_dir_make_tmp ("sa-attachments-XXXXXX", NULL);
  files_dir = g_build_filename (data_dir, "files", NULL);
  g_mkdir (files_dir, 0700);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = sa_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/sa/attachments/attach-online", test_attach_online);
  g_test_add_func ("/sa/attachments/attach-offline", test_attach_offline);
  g_test_add_func ("/sa/attachments/too-large", test_too_large);
  g_test_add_func ("/sa/attachments/not-a-photo", test_not_a_photo);
  g_test_add_func ("/sa/attachments/thumbnail", test_thumbnail);
  g_test_add_func ("/sa/attachments/open", test_open);
  g_test_add_func ("/sa/attachments/drop", test_drop);
  g_test_add_func ("/sa/attachments/client-errors", test_client_errors);
  g_test_add_func ("/sa/attachments/offline-restart", test_offline_restart);

  sa_test_spawn_registry (&registry, 10);
  token = sign_in (LOGIN, PASSWORD);
  window = g_object_ref_sink (sa_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  gtk_window_present (GTK_WINDOW (window));
  sa_window_sign_in (window, registry.url, LOGIN, PASSWORD);
  wait_for (synced, NULL, "the first sync");
  /* No undo window: an attached file goes at once. */
  sa_sync_engine_set_undo_window (window->engine, 0);

  ret = g_test_run ();

  weak = window;
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  {
    g_autofree char *files = g_build_filename (registry.dir, "attachments", NULL);

    sa_test_remove_tree (files);
  }
  sa_test_stop_registry (&registry);
  g_object_unref (app);
  sa_test_remove_tree (data_dir);
  g_free (token);
  g_free (files_dir);
  g_free (data_dir);
  return ret;
}
