/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-templates"

#include "config.h"

#include <string.h>

#include "sa-appeal-model.h"
#include "sa-reference.h"
#include "sa-registry-store.h"
#include "sa-registry-templates.h"

/* Reply templates (docs/replies.md, "Templates"): the city-wide ones from
 * data/reference/templates.ini, loaded by init; an agency's own kept by its
 * supervisors, and any by an administrator, through PUT
 * /api/v1/templates/{id}. The desks get them through the change feed. */

#define TEMPLATES_FILE   "templates.ini"
#define TITLE_MAX        200

G_DEFINE_QUARK (sa-registry-templates-error-quark, sa_registry_templates_error)

static gboolean
is_template_id (const char *id)
{
  gsize n = id != NULL ? strlen (id) : 0;

  if (n == 0 || n > SA_OP_CODE_MAX)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
      return FALSE;
  return TRUE;
}

/* A category's code, a sphere and ".*", or "*". */
static gboolean
category_fits (SaRegistryDb *db,
               const char   *category)
{
  if (category == NULL)
    return FALSE;
  if (strcmp (category, "*") == 0)
    return TRUE;
  if (g_str_has_suffix (category, ".*"))
    return strlen (category) > 2 && strchr (category, '.') == category + strlen (category) - 2;
  return sa_store_category_exists (db, category);
}

static gboolean
text_fits (const char *text,
           guint       max)
{
  g_autofree char *trimmed = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > max)
    return FALSE;
  trimmed = g_strstrip (g_strdup (text));
  return *trimmed != '\0';
}

/**
 * sa_registry_template_check:
 * @db: the database
 * @t: a template
 * @error: return location for a #GError
 *
 * Returns: whether every field of @t is one the registry keeps; the
 *   message says which is not
 */
gboolean
sa_registry_template_check (SaRegistryDb           *db,
                            const SaStoreTemplate  *t,
                            GError                **error)
{
  const char *bad = NULL;

  if (!is_template_id (t->id))
    bad = "the id must be lower-case Latin letters, digits and “-”";
  else if (t->agency != NULL && !sa_registry_db_code_exists (db, "agencies", t->agency))
    bad = "“agency” must be a known agency's code";
  else if (!category_fits (db, t->category))
    bad = "“category” must be a category's code, a sphere followed by “.*”, or “*”";
  else if (t->language == NULL || !g_strv_contains (sa_reply_languages, t->language))
    bad = "“language” must be ru or kk";
  else if (!text_fits (t->title, TITLE_MAX))
    bad = "“title” must be 1 to 200 characters";
  else if (!text_fits (t->text, SA_OP_TEXT_MAX))
    bad = "“text” must be 1 to 5,000 characters";
  if (bad == NULL)
    return TRUE;
  g_set_error (error, SA_REGISTRY_TEMPLATES_ERROR, 0, "Template “%s”: %s.",
               t->id != NULL ? t->id : "", bad);
  return FALSE;
}

static GBytes *
read_file (const char  *dir,
           GError     **error)
{
  /* A reference directory copied before templates existed has none: the
   * built-in ones serve then. */
  g_autofree char *path = dir != NULL ? g_build_filename (dir, TEMPLATES_FILE, NULL) : NULL;

  if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, error))
        return NULL;
      return g_bytes_new_take (contents, length);
    }
  sa_reference_register_resources ();
  return g_resources_lookup_data (SA_REFERENCE_RESOURCE_DIR TEMPLATES_FILE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

/**
 * sa_registry_templates_load:
 * @db: the database
 * @dir: (nullable): a reference directory holding templates.ini, or %NULL
 *   (or a directory without one) for the file built in
 * @out_count: (out) (optional): how many templates the file has
 * @error: return location for a #GError
 *
 * Loads the city-wide templates in one transaction; every template is
 * checked before anything is written. A template the file no longer has
 * is kept (a supervisor may use it still).
 *
 * Returns: %TRUE on success
 */
gboolean
sa_registry_templates_load (SaRegistryDb  *db,
                            const char    *dir,
                            guint         *out_count,
                            GError       **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GBytes) bytes = read_file (dir, error);
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   sa_store_template_free);
  g_auto(GStrv) groups = NULL;
  gsize length = 0;
  const char *data;

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);
  if (!g_key_file_load_from_data (file, data, length, G_KEY_FILE_NONE, error))
    return FALSE;
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      SaStoreTemplate *t = g_new0 (SaStoreTemplate, 1);

      g_ptr_array_add (templates, t);
      t->id = g_strdup (groups[i]);
      t->category = g_key_file_get_string (file, groups[i], "category", NULL);
      t->language = g_key_file_get_string (file, groups[i], "language", NULL);
      t->title = g_key_file_get_string (file, groups[i], "title", NULL);
      t->text = g_key_file_get_string (file, groups[i], "text", NULL);
      if (!sa_registry_template_check (db, t, error))
        return FALSE;
    }

  if (!sa_registry_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < templates->len; i++)
    if (!sa_store_template_put (db, g_ptr_array_index (templates, i), "init",
                                _sa_registry_now (), NULL, error))
      {
        sa_registry_db_rollback (db);
        return FALSE;
      }
  if (!sa_registry_db_commit (db, error))
    return FALSE;
  if (out_count != NULL)
    *out_count = templates->len;
  return TRUE;
}

/**
 * sa_registry_json_add_template:
 * @b: a builder, where a value goes
 * @t: a template
 *
 * Adds the template as the change feed and PUT /api/v1/templates give it.
 */
void
sa_registry_json_add_template (JsonBuilder           *b,
                               const SaStoreTemplate *t)
{
  static const char * const names[] = { "id", "agency", "category", "language", "title", "text" };
  const char *values[] = { t->id, t->agency, t->category, t->language, t->title, t->text };

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      json_builder_set_member_name (b, names[i]);
      if (values[i] != NULL)
        json_builder_add_string_value (b, values[i]);
      else
        json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "disabled");
  json_builder_add_boolean_value (b, t->disabled);
  json_builder_end_object (b);
}

static const char *
body_string (JsonObject *body,
             const char *name)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* PUT /api/v1/templates/{id}: a supervisor keeps the agency's own; an
 * administrator any, and the city-wide ones (no "agency"). */
static void
template_put_handler (SaRequest *req)
{
  JsonObject *body = json_node_get_object (req->body);
  g_autoptr(SaStoreTemplate) old = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GError) error = NULL;
  SaStoreTemplate t = { 0 };
  JsonNode *disabled = json_object_get_member (body, "disabled");
  gboolean admin = req->user->role == SA_ROLE_ADMIN;

  if (req->user->role != SA_ROLE_SUPERVISOR && !admin)
    {
      sa_request_reply_error (req, SOUP_STATUS_FORBIDDEN, "forbidden",
                              "Only supervisors (for their agency) and administrators keep "
                              "reply templates.");
      return;
    }
  t.id = req->param;
  t.agency = admin ? (char *) body_string (body, "agency") : req->user->agency;
  t.category = (char *) (body_string (body, "category") != NULL ? body_string (body, "category")
                                                                 : "*");
  t.language = (char *) body_string (body, "language");
  t.title = (char *) body_string (body, "title");
  t.text = (char *) body_string (body, "text");
  if (disabled != NULL && JSON_NODE_HOLDS_VALUE (disabled) &&
      json_node_get_value_type (disabled) == G_TYPE_BOOLEAN)
    t.disabled = json_node_get_boolean (disabled);
  else if (disabled != NULL)
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "“disabled” must be true or false.");
      return;
    }

  old = sa_store_template_get (req->db, t.id);
  if (old != NULL && !admin && g_strcmp0 (old->agency, req->user->agency) != 0)
    {
      sa_request_reply_error (req, SOUP_STATUS_FORBIDDEN, "not_your_template",
                              "This template is the city's or another agency's: give yours "
                              "another id.");
      return;
    }
  if (!sa_registry_template_check (req->db, &t, &error))
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid", error->message);
      return;
    }
  if (!sa_registry_db_begin (req->db, &error) ||
      !sa_store_template_put (req->db, &t, req->user->login, _sa_registry_now (), NULL, &error) ||
      !sa_registry_db_commit (req->db, &error))
    {
      sa_registry_db_rollback (req->db);
      sa_request_reply_gerror (req, error);
      return;
    }
  b = json_builder_new ();
  sa_registry_json_add_template (b, &t);
  sa_request_reply_builder (req, old != NULL ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, b);
}

void
_sa_registry_templates_register (SaRegistryServer *server)
{
  sa_registry_server_add_route (server, "PUT", "/api/v1/templates/",
                                SA_ROUTE_PARAM | SA_ROUTE_JSON_BODY, template_put_handler);
}
