/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-feed"

#include "config.h"

#include <string.h>

#include "sa-registry-store.h"

#define FEED_DEFAULT_LIMIT 500
#define FEED_MAX_LIMIT     2000

typedef void (*AddFunc) (JsonBuilder *b, gconstpointer row);

static void
list_reference (SaRequest  *req,
                const char *member,
                GPtrArray  *rows,
                GError     *error,
                AddFunc     add)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (rows == NULL)
    {
      sa_request_reply_gerror (req, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    add (b, g_ptr_array_index (rows, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  sa_request_reply_builder (req, SOUP_STATUS_OK, b);
}

static void
agencies_handler (SaRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = sa_store_agencies_list (req->db, &error);

  list_reference (req, "agencies", rows, error, (AddFunc) sa_registry_json_add_agency);
}

static void
categories_handler (SaRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = sa_store_categories_list (req->db, &error);

  list_reference (req, "categories", rows, error, (AddFunc) sa_registry_json_add_category);
}

static void
districts_handler (SaRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = sa_store_districts_list (req->db, &error);

  list_reference (req, "districts", rows, error, (AddFunc) sa_registry_json_add_district);
}

/* Appends the entity's current state as the entry's "data"; FALSE when
 * it is gone (which the schema does not allow for appeals). */
static gboolean
append_entity_data (SaRegistryDb   *db,
                    SaRegistryUser *viewer,
                    GString        *out,
                    const char   *kind,
                    const char   *id)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  gsize mark = out->len;

  if (strcmp (kind, "appeal") == 0)
    {
      g_string_append (out, ",\"data\":");
      if (_sa_registry_appeal_write (db, id, TRUE, viewer, out))
        return TRUE;
      g_string_truncate (out, mark);
      return FALSE;
    }

  b = json_builder_new ();
  if (strcmp (kind, "user") == 0)
    {
      g_autoptr(SaRegistryUser) user = _sa_registry_user_lookup (db, id);

      if (user == NULL)
        return FALSE;
      _sa_registry_user_to_json (user, b);
    }
  else if (strcmp (kind, "agency") == 0)
    {
      g_autoptr(SaStoreAgency) agency = sa_store_agency_get (db, id);

      if (agency == NULL)
        return FALSE;
      sa_registry_json_add_agency (b, agency);
    }
  else if (strcmp (kind, "category") == 0)
    {
      g_autoptr(SaStoreCategory) category = sa_store_category_get (db, id);

      if (category == NULL)
        return FALSE;
      sa_registry_json_add_category (b, category);
    }
  else
    return FALSE;
  node = json_builder_get_root (b);
  text = _sa_registry_json_to_string (node);
  g_string_append (out, ",\"data\":");
  /* Reference data is typed in by people too: never let bytes that are
   * not UTF-8 make the page unreadable. */
  if (g_utf8_validate (text, -1, NULL))
    g_string_append (out, text);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      g_string_append (out, valid);
    }
  return TRUE;
}

static void
changes_handler (SaRequest *req)
{
  GString *out = NULL;
  g_autoptr(GError) error = NULL;
  guint64 since = 0;
  guint64 limit = FEED_DEFAULT_LIMIT;
  gint64 next;
  gint64 horizon;
  gboolean more = FALSE;
  g_autoptr(GPtrArray) rows = NULL;
  const char *value;

  value = sa_request_query (req, "since");
  if (value != NULL && !g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &since, NULL))
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "\"since\" must be a sequence number from an earlier answer.");
      return;
    }
  value = sa_request_query (req, "limit");
  if (value != NULL &&
      !g_ascii_string_to_unsigned (value, 10, 1, FEED_MAX_LIMIT, &limit, NULL))
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "\"limit\" must be 1 to 2000.");
      return;
    }

  /* Below the horizon, revocations the client needed have been pruned:
   * it must drop its cache and pull from 0. */
  horizon = sa_store_feed_horizon (req->db);
  if (since != 0 && (gint64) since < horizon)
    {
      sa_request_reply_error (req, SOUP_STATUS_GONE, "cursor_expired",
                              "This cursor is older than the registry keeps; pull again "
                              "from since=0.");
      return;
    }

  rows = sa_store_feed_read (req->db, req->user, since, limit, &more, &error);
  if (rows == NULL)
    {
      sa_request_reply_gerror (req, error);
      return;
    }

  next = since;
  out = g_string_sized_new (64 * 1024);
  g_string_append (out, "{\"changes\":[");
  for (guint i = 0; i < rows->len; i++)
    {
      SaStoreFeedEntry *entry = g_ptr_array_index (rows, i);
      gboolean revoke = strcmp (entry->kind, "revoke") == 0;
      g_autofree char *entity_id = g_strdup (entry->entity_id);

      next = entry->seq;
      if (revoke && strchr (entity_id, '|') != NULL)
        *strchr (entity_id, '|') = '\0';
      g_string_append_printf (out, "%s{\"seq\":%" G_GINT64_FORMAT ",\"kind\":",
                              i > 0 ? "," : "", entry->seq);
      _sa_registry_json_append_string (out, revoke ? "appeal" : entry->kind);
      g_string_append (out, ",\"id\":");
      _sa_registry_json_append_string (out, entity_id);
      if (revoke || !append_entity_data (req->db, req->user, out, entry->kind, entry->entity_id))
        g_string_append (out, ",\"removed\":true");
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');

  /* Skip the invisible tail so that the next pull does not scan it again. */
  if (!more)
    next = MAX (next, sa_store_feed_head (req->db));

  g_string_append_printf (out, ",\"next\":%" G_GINT64_FORMAT ",\"more\":%s}", next,
                          more ? "true" : "false");
  sa_request_reply_text (req, SOUP_STATUS_OK, out);
}

void
_sa_registry_feed_register (SaRegistryServer *server)
{
  sa_registry_server_add_route (server, "GET", "/api/v1/agencies", SA_ROUTE_PUBLIC,
                                agencies_handler);
  sa_registry_server_add_route (server, "GET", "/api/v1/categories", SA_ROUTE_PUBLIC,
                                categories_handler);
  sa_registry_server_add_route (server, "GET", "/api/v1/districts", SA_ROUTE_PUBLIC,
                                districts_handler);
  sa_registry_server_add_route (server, "GET", "/api/v1/changes", SA_ROUTE_DEFAULT,
                                changes_handler);
}
