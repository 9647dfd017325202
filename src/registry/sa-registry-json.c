/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-json"

#include "config.h"

#include <math.h>

#include "sa-appeal-model.h"
#include "sa-registry-store.h"

/* The registry's JSON: what every route reads from a request and writes
 * into an answer. */

/**
 * _sa_registry_json_string:
 * @obj: (nullable): a JSON object from a client
 * @name: a member name
 *
 * Unlike json_object_get_string_member_with_default(), never warns when
 * a client sends another type: input is not trusted.
 *
 * Returns: (nullable): the member if it is a string
 */
const char *
_sa_registry_json_string (JsonObject *obj,
                          const char *name)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, name)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Appends @value as a JSON string. Hand-written because the change feed
 * streams 100,000 appeals and a JsonBuilder per appeal was the cost.
 * Whatever is stored, the result is JSON: bytes that are not UTF-8 become
 * U+FFFD rather than an answer no client can parse. */
void
_sa_registry_json_append_string (GString    *out,
                                 const char *value)
{
  g_autofree char *valid = NULL;
  const char *p;

  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);
  g_string_append_c (out, '"');
  for (p = value; *p != '\0'; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

char *
_sa_registry_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

/* A user, as /api/v1/me, sign-in and the change feed give it. */
void
_sa_registry_user_to_json (SaRegistryUser *user,
                           JsonBuilder    *b)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "login");
  json_builder_add_string_value (b, user->login);
  json_builder_set_member_name (b, "full_name");
  json_builder_add_string_value (b, user->full_name);
  json_builder_set_member_name (b, "agency");
  json_builder_add_string_value (b, user->agency);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, sa_role_to_string (user->role));
  json_builder_set_member_name (b, "disabled");
  json_builder_add_boolean_value (b, user->disabled);
  json_builder_end_object (b);
}

/* The appeal object (docs/api.md), written by hand and in this order:
 * clients and tests compare it byte for byte. */

static void
put_key (GString    *out,
         const char *key)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, key);
  g_string_append (out, "\":");
}

static void
put_text (GString    *out,
          const char *key,
          const char *value)
{
  put_key (out, key);
  _sa_registry_json_append_string (out, value);
}

static void
put_time (GString    *out,
          const char *key,
          gint64      value)
{
  put_key (out, key);
  if (value == SA_STORE_NO_TIME)
    g_string_append (out, "null");
  else
    {
      g_autofree char *text = _sa_registry_format_time (value);

      _sa_registry_json_append_string (out, text);
    }
}

static void
put_double (GString    *out,
            const char *key,
            gboolean    has_value,
            double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  put_key (out, key);
  /* JSON has no infinity: a value stored before intake checked it must
   * not make the whole feed page unreadable. */
  if (!has_value || !isfinite (value))
    g_string_append (out, "null");
  else
    g_string_append (out, g_ascii_dtostr (buf, sizeof buf, value));
}

static void
put_strings (GString   *out,
             GPtrArray *list)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < list->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      _sa_registry_json_append_string (out, g_ptr_array_index (list, i));
    }
  g_string_append_c (out, ']');
}

static void
put_attachments (GString   *out,
                 GPtrArray *attachments)
{
  g_string_append (out, ",\"attachments\":[");
  for (guint i = 0; i < attachments->len; i++)
    {
      SaStoreAttachment *attachment = g_ptr_array_index (attachments, i);

      g_string_append (out, i == 0 ? "{\"sha256\":" : ",{\"sha256\":");
      _sa_registry_json_append_string (out, attachment->sha256);
      g_string_append (out, ",\"name\":");
      _sa_registry_json_append_string (out, attachment->name);
      g_string_append (out, ",\"content_type\":");
      _sa_registry_json_append_string (out, attachment->content_type);
      g_string_append_printf (out, ",\"size\":%" G_GINT64_FORMAT "}", attachment->size);
    }
  g_string_append_c (out, ']');
}

static void
put_history (GString   *out,
             GPtrArray *history)
{
  put_key (out, "history");
  g_string_append_c (out, '[');
  for (guint i = 0; i < history->len; i++)
    {
      SaStoreEvent *event = g_ptr_array_index (history, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT, event->seq);
      put_time (out, "at", event->at);
      put_text (out, "actor", event->actor);
      put_text (out, "type", event->type);
      put_time (out, "made_at", event->made_at);
      put_text (out, "op_id", event->op_id);
      /* Stored as JSON and checked by the store, so it goes out as it is;
       * null if it was not JSON. */
      put_key (out, "payload");
      if (event->payload == NULL)
        g_string_append (out, "null");
      else if (g_utf8_validate (event->payload, -1, NULL))
        g_string_append (out, event->payload);
      else
        {
          g_autofree char *valid = g_utf8_make_valid (event->payload, -1);

          g_string_append (out, valid);
        }
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

/* Whether @viewer may read @reply: a sent one everybody who sees the
 * appeal; drafts, returned and waiting ones only the agency that writes
 * them (docs/replies.md). */
static gboolean
reply_readable (const SaStoreReply *reply,
                SaRegistryUser     *viewer)
{
  if (g_strcmp0 (reply->state, SA_REPLY_STATE_NAME_SENT) == 0)
    return TRUE;
  return viewer != NULL && sa_role_works_appeals (viewer->role) &&
         g_strcmp0 (viewer->agency, reply->agency) == 0;
}

/* A reply's files: the appeal's own, as put_attachments() describes them. */
static void
put_reply_files (GString             *out,
                 const char          *json,
                 const SaStoreAppeal *appeal)
{
  g_autoptr(JsonNode) list = json != NULL ? json_from_string (json, NULL) : NULL;
  JsonArray *array = list != NULL && JSON_NODE_HOLDS_ARRAY (list) ? json_node_get_array (list)
                                                                   : NULL;
  gboolean first = TRUE;

  put_key (out, "attachments");
  g_string_append_c (out, '[');
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *sha256 = json_array_get_string_element (array, i);

      for (guint k = 0; sha256 != NULL && k < appeal->attachments->len; k++)
        {
          SaStoreAttachment *a = g_ptr_array_index (appeal->attachments, k);

          if (g_strcmp0 (a->sha256, sha256) != 0)
            continue;
          g_string_append (out, first ? "{\"sha256\":" : ",{\"sha256\":");
          first = FALSE;
          _sa_registry_json_append_string (out, a->sha256);
          g_string_append (out, ",\"name\":");
          _sa_registry_json_append_string (out, a->name);
          g_string_append (out, ",\"content_type\":");
          _sa_registry_json_append_string (out, a->content_type);
          g_string_append_printf (out, ",\"size\":%" G_GINT64_FORMAT "}", a->size);
          break;
        }
    }
  g_string_append_c (out, ']');
}

static void
put_replies (GString             *out,
             const SaStoreAppeal *appeal,
             SaRegistryUser      *viewer)
{
  GPtrArray *replies = appeal->replies;
  gboolean first = TRUE;

  put_key (out, SA_APPEAL_FIELD_REPLIES);
  g_string_append_c (out, '[');
  for (guint i = 0; replies != NULL && i < replies->len; i++)
    {
      SaStoreReply *r = g_ptr_array_index (replies, i);

      if (!reply_readable (r, viewer))
        continue;
      g_string_append (out, first ? "{\"id\":" : ",{\"id\":");
      first = FALSE;
      _sa_registry_json_append_string (out, r->id);
      put_text (out, "kind", r->kind);
      put_text (out, "agency", r->agency);
      put_text (out, "state", r->state);
      put_text (out, "visibility", r->visibility);
      put_text (out, "language", r->language);
      put_text (out, "text", r->text);
      put_text (out, "author", r->author);
      g_string_append_printf (out, ",\"version\":%" G_GINT64_FORMAT, r->version);
      put_text (out, "approved_by", r->approved_by);
      put_time (out, "sent_at", r->sent_at);
      put_text (out, "returned_comment", r->returned_comment);
      put_text (out, "returned_by", r->returned_by);
      put_time (out, "created_at", r->created_at);
      put_time (out, "updated_at", r->updated_at);
      /* Stored by the store as a JSON array of ids, checked when read. */
      put_key (out, "parts");
      g_string_append (out, r->parts != NULL ? r->parts : "null");
      put_text (out, "without_parts_reason", r->without_parts_reason);
      put_text (out, "template_id", r->template_id);
      put_reply_files (out, r->attachments, appeal);
      put_key (out, "versions");
      g_string_append_c (out, '[');
      for (guint v = 0; r->versions != NULL && v < r->versions->len; v++)
        {
          SaStoreReplyVersion *version = g_ptr_array_index (r->versions, v);

          g_string_append_printf (out, "%s{\"version\":%" G_GINT64_FORMAT, v > 0 ? "," : "",
                                  version->version);
          put_text (out, "text", version->text);
          put_text (out, "visibility", version->visibility);
          put_text (out, "language", version->language);
          put_time (out, "submitted_at", version->submitted_at);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]}");
    }
  g_string_append_c (out, ']');
}

/**
 * sa_registry_json_append_appeal:
 * @out: where to append
 * @appeal: an appeal the store read
 * @viewer: (nullable): who reads it, for the replies they may read; %NULL
 *   for sent replies only
 *
 * Appends the API's appeal object; its history only when the store read it.
 */
void
sa_registry_json_append_appeal (GString             *out,
                                const SaStoreAppeal *appeal,
                                SaRegistryUser      *viewer)
{
  g_string_append_c (out, '{');
  put_text (out, "id", appeal->id);
  put_text (out, "reg_number", appeal->reg_number);
  put_text (out, "channel", appeal->channel);
  put_text (out, "status", appeal->status);
  put_text (out, "priority", appeal->priority);
  put_text (out, "category", appeal->category);
  put_text (out, "agency", appeal->agency);
  put_text (out, "executor", appeal->executor);
  put_key (out, "applicant");
  g_string_append_c (out, '{');
  put_text (out, "name", appeal->applicant_name);
  put_text (out, "iin", appeal->applicant_iin);
  put_text (out, "phone", appeal->applicant_phone);
  put_text (out, "email", appeal->applicant_email);
  g_string_append (out, "}");
  put_key (out, "address");
  g_string_append_c (out, '{');
  put_text (out, "text", appeal->address_text);
  put_text (out, "district", appeal->district);
  put_double (out, "lat", appeal->has_lat, appeal->lat);
  put_double (out, "lon", appeal->has_lon, appeal->lon);
  g_string_append (out, "}");
  put_text (out, "text", appeal->text);
  put_text (out, "language", appeal->language);
  put_time (out, "received_at", appeal->received_at);
  put_time (out, sa_deadline_field (SA_DEADLINE_LEGAL), appeal->legal_due_at);
  put_time (out, sa_deadline_field (SA_DEADLINE_RESOLUTION), appeal->resolution_due_at);
  put_time (out, sa_deadline_field (SA_DEADLINE_REACTION), appeal->reaction_due_at);
  put_time (out, SA_APPEAL_FIELD_ANSWERED_AT, appeal->answered_at);
  put_key (out, "version");
  g_string_append_printf (out, "%" G_GINT64_FORMAT, appeal->version);
  put_key (out, "is_repeat");
  g_string_append (out, appeal->is_repeat ? "true" : "false");
  put_text (out, "repeat_of", appeal->repeat_of);
  put_time (out, "created_at", appeal->created_at);
  put_time (out, "updated_at", appeal->updated_at);
  if (appeal->coexecutors != NULL)
    {
      put_key (out, "coexecutors");
      put_strings (out, appeal->coexecutors);
      put_key (out, "escalated_to");
      put_strings (out, appeal->escalated_to);
    }
  put_attachments (out, appeal->attachments);
  put_replies (out, appeal, viewer);
  put_key (out, SA_APPEAL_FIELD_UNDER_CONTROL);
  g_string_append (out, appeal->under_control ? "true" : "false");
  put_time (out, SA_APPEAL_FIELD_NOTIFY_BY, appeal->notify_applicant_by);
  put_time (out, SA_APPEAL_FIELD_NOTIFIED_AT, appeal->applicant_notified_at);
  if (appeal->history != NULL)
    put_history (out, appeal->history);
  g_string_append_c (out, '}');
}

/**
 * _sa_registry_appeal_write:
 * @db: the database
 * @appeal_id: the UUID
 * @with_history: whether to add the history
 * @viewer: (nullable): who reads it (sa_registry_json_append_appeal())
 * @out: where to append the appeal's JSON object
 *
 * Reads the appeal and writes its JSON. The caller has checked the rights.
 *
 * Returns: %FALSE if there is no such appeal (nothing is appended)
 */
gboolean
_sa_registry_appeal_write (SaRegistryDb   *db,
                           const char     *appeal_id,
                           gboolean        with_history,
                           SaRegistryUser *viewer,
                           GString        *out)
{
  g_autoptr(SaStoreAppeal) appeal = sa_store_appeal_get (db, appeal_id, with_history);

  if (appeal == NULL)
    return FALSE;
  sa_registry_json_append_appeal (out, appeal, viewer);
  return TRUE;
}

/**
 * _sa_registry_appeal_to_json:
 * @db: the database
 * @appeal_id: the UUID
 * @with_history: whether to add the history
 * @viewer: (nullable): who reads it (sa_registry_json_append_appeal())
 *
 * Returns: (transfer full) (nullable): the appeal as a tree, or %NULL if missing
 */
JsonNode *
_sa_registry_appeal_to_json (SaRegistryDb   *db,
                             const char     *appeal_id,
                             gboolean        with_history,
                             SaRegistryUser *viewer)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!_sa_registry_appeal_write (db, appeal_id, with_history, viewer, out))
    return NULL;
  return json_from_string (out->str, NULL);
}

/* Reference data, as GET /api/v1/agencies, /categories and /districts
 * and the change feed give it. */

void
sa_registry_json_add_agency (JsonBuilder         *b,
                             const SaStoreAgency *agency)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, agency->code);
  json_builder_set_member_name (b, "name_ru");
  json_builder_add_string_value (b, agency->name_ru);
  json_builder_set_member_name (b, "name_kk");
  json_builder_add_string_value (b, agency->name_kk);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, agency->kind);
  json_builder_set_member_name (b, "districts");
  json_builder_begin_array (b);
  for (guint i = 0; agency->districts[i] != NULL; i++)
    json_builder_add_string_value (b, agency->districts[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

void
sa_registry_json_add_category (JsonBuilder           *b,
                               const SaStoreCategory *category)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, category->code);
  json_builder_set_member_name (b, "name_ru");
  json_builder_add_string_value (b, category->name_ru);
  json_builder_set_member_name (b, "name_kk");
  json_builder_add_string_value (b, category->name_kk);
  json_builder_set_member_name (b, "sphere");
  json_builder_add_string_value (b, category->sphere);
  json_builder_set_member_name (b, "agency");
  json_builder_add_string_value (b, category->agency);
  json_builder_set_member_name (b, "criticality");
  json_builder_add_string_value (b, category->criticality);
  json_builder_set_member_name (b, "reaction_minutes");
  json_builder_add_int_value (b, category->reaction_minutes);
  json_builder_set_member_name (b, "resolution_minutes");
  json_builder_add_int_value (b, category->resolution_minutes);
  json_builder_set_member_name (b, "clock");
  json_builder_add_string_value (b, category->clock);
  json_builder_end_object (b);
}

void
sa_registry_json_add_district (JsonBuilder           *b,
                               const SaStoreDistrict *district)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, district->code);
  json_builder_set_member_name (b, "name_ru");
  json_builder_add_string_value (b, district->name_ru);
  json_builder_set_member_name (b, "name_kk");
  json_builder_add_string_value (b, district->name_kk);
  json_builder_end_object (b);
}
