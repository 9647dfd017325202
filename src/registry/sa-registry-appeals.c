/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-appeals"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sa-appeal-model.h"
#include "sa-iin.h"
#include "sa-registry-private.h"
#include "sa-registry-store.h"

#define TEXT_MIN        10
#define TEXT_MAX        5000
#define RECEIVED_MAX_AGE (366 * 24 * 3600)

static gboolean
is_one_of (const char         *value,
           const char * const *list,
           guint               n)
{
  for (guint i = 0; value != NULL && i < n; i++)
    if (strcmp (value, list[i]) == 0)
      return TRUE;
  return FALSE;
}

#define member_string _sa_registry_json_string

static JsonObject *
member_object (JsonObject *obj,
               const char *name)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, name)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* Intake takes nothing it would have to bend: each field has a type, a
 * range and a length, and a value that does not fit is refused with the
 * field's code. Unknown members are refused too: a misspelt
 * "recieved_at" would otherwise be dropped in silence. */

static const char * const intake_members[] = {
  "channel", "category", "text", "applicant", "address", "received_at", "language",
  "attachments", "intake_id", NULL,
};
static const char * const applicant_members[] = { "name", "iin", "phone", "email", NULL };
static const char * const address_members[] = { "text", "district", "lat", "lon", NULL };
static const char * const languages[] = { "ru", "kk" };

#define NAME_MAX_CHARS     200
#define PHONE_MAX_BYTES    32
#define EMAIL_MAX_BYTES    254
#define ADDRESS_MAX_BYTES  500
#define CODE_MAX_BYTES     100
#define TIME_MAX_BYTES     64

/* The first member of @obj that @known does not list, or NULL. */
static const char *
unknown_member (JsonObject         *obj,
                const char * const *known)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, NULL))
    if (!g_strv_contains (known, name))
      return name;
  return NULL;
}

static gboolean
is_null_or_absent (JsonObject *obj,
                   const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* Member @name is absent or null, or a string of at most @max (characters,
 * or bytes with @in_bytes) with no control characters — but tabs and line
 * breaks when @multiline. */
static gboolean
string_fits (JsonObject *obj,
             const char *name,
             gsize       max,
             gboolean    in_bytes,
             gboolean    multiline)
{
  const char *value;

  if (is_null_or_absent (obj, name))
    return TRUE;
  value = _sa_registry_json_string (obj, name);
  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    return FALSE;
  if ((in_bytes ? strlen (value) : (gsize) g_utf8_strlen (value, -1)) > max)
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (((guchar) *p < 0x20 || *p == 0x7f) &&
        !(multiline && (*p == '\n' || *p == '\r' || *p == '\t')))
      return FALSE;
  return TRUE;
}

static gboolean
is_phone (const char *phone)
{
  guint digits = 0;

  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (strchr ("+ ()-", *p) == NULL)
        return FALSE;
    }
  return digits >= 5;
}

static gboolean
is_email (const char *email)
{
  const char *at = strchr (email, '@');

  if (at == NULL || at == email || strchr (at + 1, '@') != NULL ||
      strchr (at + 1, '.') == NULL || at[1] == '.' || email[strlen (email) - 1] == '.')
    return FALSE;
  for (const char *p = email; *p != '\0'; p++)
    if ((guchar) *p <= 0x20)
      return FALSE;
  return TRUE;
}

/* A JSON number (integer or not; never a string or a boolean) that is
 * finite and within [@min, @max]. */
static gboolean
coordinate (JsonNode *node,
            double    min,
            double    max,
            double   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;
  return isfinite (*out) && *out >= min && *out <= max;
}

/* What makes two intakes with one intake_id the same: the body but the key. */
static char *
intake_digest (JsonObject *obj)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, &node))
    {
      g_autofree char *value = NULL;

      if (strcmp (name, "intake_id") == 0)
        continue;
      value = _sa_registry_json_to_string (node);
      g_checksum_update (sum, (const guchar *) name, -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
      g_checksum_update (sum, (const guchar *) value, -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static void
reply_appeal (SaRequest  *req,
              guint       status,
              const char *id)
{
  g_autoptr(JsonNode) appeal = _sa_registry_appeal_to_json (req->db, id, TRUE, req->user);
  g_autofree char *location = g_strconcat ("/api/v1/appeals/", id, NULL);

  sa_request_set_header (req, "Location", location);
  sa_request_reply_json (req, status, appeal);
}

static void
refuse (SaRequest  *req,
        const char *code,
        const char *message)
{
  sa_request_reply_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, code, message);
}

static void
intake_handler (SaRequest *req)
{
  JsonObject *obj = json_node_get_object (req->body);
  JsonObject *applicant = member_object (obj, "applicant");
  JsonObject *address = member_object (obj, "address");
  g_autofree char *district = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *unknown = NULL;
  g_autoptr(GError) error = NULL;
  SaAppealInput in = { 0 };
  const char *received;
  const char *email;
  const char *phone;
  const char *intake_id;
  const char *name;
  glong n_chars;
  gint64 now = _sa_registry_now ();

  if (req->user->role != SA_ROLE_OPERATOR)
    {
      sa_request_reply_error (req, SOUP_STATUS_FORBIDDEN, "forbidden",
                              "Only an operator registers appeals.");
      return;
    }

  /* A retry after a lost answer: the same appeal, as it is now. */
  intake_id = member_string (obj, "intake_id");
  if (!is_null_or_absent (obj, "intake_id") &&
      (intake_id == NULL || !g_uuid_string_is_valid (intake_id)))
    {
      refuse (req, "invalid_intake_id", "\"intake_id\" must be a UUID made by the channel.");
      return;
    }
  if (intake_id != NULL)
    {
      digest = intake_digest (obj);
      if (!sa_store_intake_lookup (req->db, intake_id, req->user, digest, &id))
        {
          refuse (req, "intake_id_reused",
                  "This intake_id was used for another appeal; make a new intake_id for each "
                  "appeal and send the same body when retrying.");
          return;
        }
      if (id != NULL)
        {
          reply_appeal (req, SOUP_STATUS_OK, id);
          return;
        }
    }

  if ((name = unknown_member (obj, intake_members)) != NULL ||
      (applicant != NULL && (name = unknown_member (applicant, applicant_members)) != NULL) ||
      (address != NULL && (name = unknown_member (address, address_members)) != NULL))
    {
      unknown = g_strdup_printf ("\"%s\" is not a field of an intake; see the API "
                                 "documentation for the fields.", name);
      refuse (req, "unknown_field", unknown);
      return;
    }

  in.channel = member_string (obj, "channel");
  if (!sa_channel_from_string (in.channel, NULL))
    {
      refuse (req, "invalid_channel",
              "\"channel\" must be one of egov, open_almaty, email, president, phone_109, "
              "telegram, open311.");
      return;
    }
  in.category = member_string (obj, "category");
  if (in.category == NULL || !string_fits (obj, "category", CODE_MAX_BYTES, TRUE, FALSE) ||
      !sa_store_category_exists (req->db, in.category))
    {
      refuse (req, "unknown_category",
              "\"category\" must be the code of a known category (GET /api/v1/categories).");
      return;
    }
  if (member_string (obj, "text") != NULL)
    text = g_strstrip (g_strdup (member_string (obj, "text")));
  n_chars = text != NULL && g_utf8_validate (text, -1, NULL) ? g_utf8_strlen (text, -1) : 0;
  if (n_chars < TEXT_MIN || n_chars > TEXT_MAX ||
      !string_fits (obj, "text", G_MAXSIZE, TRUE, TRUE))
    {
      refuse (req, "invalid_text",
              "\"text\" must have 10 to 5000 characters, without control characters other "
              "than tabs and line breaks.");
      return;
    }
  in.text = text;

  in.applicant_name = member_string (applicant, "name");
  in.applicant_iin = member_string (applicant, "iin");
  phone = member_string (applicant, "phone");
  in.applicant_phone = phone != NULL && *phone != '\0' ? phone : NULL;
  email = member_string (applicant, "email");
  in.applicant_email = email != NULL && *email != '\0' ? email : NULL;
  if (in.applicant_name == NULL || *in.applicant_name == '\0' ||
      !string_fits (applicant, "name", NAME_MAX_CHARS, FALSE, FALSE))
    {
      refuse (req, "invalid_applicant",
              "\"applicant\" must be an object with \"name\" (1 to 200 characters, one line).");
      return;
    }
  if (!sa_iin_is_valid (in.applicant_iin))
    {
      refuse (req, "invalid_iin",
              "\"applicant.iin\" is not a valid IIN/BIN: twelve digits with a correct check "
              "digit.");
      return;
    }
  if (!string_fits (applicant, "phone", PHONE_MAX_BYTES, TRUE, FALSE) ||
      !string_fits (applicant, "email", EMAIL_MAX_BYTES, TRUE, FALSE) ||
      (in.applicant_phone != NULL && !is_phone (in.applicant_phone)) ||
      (in.applicant_email != NULL && !is_email (in.applicant_email)))
    {
      refuse (req, "invalid_contact",
              "\"applicant.phone\" must be a phone number (digits, +, spaces, brackets and "
              "dashes; at most 32) and \"applicant.email\" an e-mail address (at most 254).");
      return;
    }

  in.address_text = member_string (address, "text");
  if (in.address_text == NULL || *in.address_text == '\0' ||
      !string_fits (address, "text", ADDRESS_MAX_BYTES, TRUE, FALSE))
    {
      refuse (req, "invalid_address",
              "\"address\" must be an object with \"text\" (1 to 500 bytes, one line).");
      return;
    }
  if (!string_fits (address, "district", CODE_MAX_BYTES, TRUE, FALSE))
    {
      refuse (req, "unknown_district", "\"address.district\" must be a district code.");
      return;
    }
  if (member_string (address, "district") != NULL)
    {
      district = g_strdup (member_string (address, "district"));
      if (!sa_store_district_exists (req->db, district))
        {
          sa_request_reply_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "unknown_district",
                                  "\"address.district\" is not a known district code.");
          return;
        }
    }
  else
    /* An address the registry cannot place is registered all the same: a
     * citizen's appeal is never lost at the door. It waits with no district
     * in the operators' queue. */
    district = sa_store_district_for_address (req->db, in.address_text);
  in.district = district;
  if (!is_null_or_absent (address, "lat") || !is_null_or_absent (address, "lon"))
    {
      if (!coordinate (json_object_get_member (address, "lat"), SA_ALMATY_LAT_MIN,
                       SA_ALMATY_LAT_MAX, &in.lat) ||
          !coordinate (json_object_get_member (address, "lon"), SA_ALMATY_LON_MIN,
                       SA_ALMATY_LON_MAX, &in.lon))
        {
          refuse (req, "invalid_coordinates",
                  "\"address.lat\" and \"address.lon\" must both be numbers, a point in Almaty "
                  "(latitude 43.00 to 43.50, longitude 76.60 to 77.30), or both be left out.");
          return;
        }
      in.has_coordinates = TRUE;
    }

  received = member_string (obj, "received_at");
  in.received_at = now;
  /* Late registration of old paper appeals is allowed, for a while. */
  if (!string_fits (obj, "received_at", TIME_MAX_BYTES, TRUE, FALSE) ||
      (received != NULL && (!_sa_registry_parse_time (received, &in.received_at) ||
                            in.received_at > now + 300 ||
                            in.received_at < now - RECEIVED_MAX_AGE)))
    {
      refuse (req, "invalid_received_at",
              "\"received_at\" must be an RFC 3339 time with an offset, not in the future and "
              "at most a year ago.");
      return;
    }
  in.language = member_string (obj, "language");
  if (!is_null_or_absent (obj, "language") &&
      !is_one_of (in.language, languages, G_N_ELEMENTS (languages)))
    {
      refuse (req, "invalid_language", "\"language\" must be \"ru\" or \"kk\".");
      return;
    }
  in.intake_agency = req->user->agency;

  id = sa_store_intake_insert (req->db, &in, req->user, intake_id, digest,
                               json_object_get_member (obj, "attachments"), now, &error);
  if (id == NULL)
    {
      sa_request_reply_gerror (req, error);
      return;
    }

  reply_appeal (req, SOUP_STATUS_CREATED, id);
}

static void
appeal_get_handler (SaRequest *req)
{
  GString *out = g_string_sized_new (2048);

  if (!sa_registry_user_can_see_appeal (req->db, req->user, req->param) ||
      !_sa_registry_appeal_write (req->db, req->param, TRUE, req->user, out))
    {
      g_string_free (out, TRUE);
      sa_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "not_found",
                              "There is no such appeal.");
      return;
    }
  sa_request_reply_text (req, SOUP_STATUS_OK, out);
}

static gboolean
parse_uint (const char *text,
            guint64     max,
            guint64    *out)
{
  return text == NULL || g_ascii_string_to_unsigned (text, 10, 0, max, out, NULL);
}

static void
appeals_list_handler (SaRequest *req)
{
  GString *out;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  SaStoreAppealFilter filter = { 0 };
  guint64 limit = 50;
  guint64 offset = 0;
  gint64 total = 0;

  if (!parse_uint (sa_request_query (req, "limit"), 500, &limit) ||
      !parse_uint (sa_request_query (req, "offset"), G_MAXINT32, &offset))
    {
      sa_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid",
                              "\"limit\" must be 0 to 500 and \"offset\" a number.");
      return;
    }
  filter.status = sa_request_query (req, "status");
  filter.agency = sa_request_query (req, "agency");
  filter.category = sa_request_query (req, "category");
  filter.district = sa_request_query (req, "district");
  filter.q = sa_request_query (req, "q");
  ids = sa_store_appeals_list (req->db, req->user, &filter, limit, offset, &total, &error);
  if (ids == NULL)
    {
      sa_request_reply_gerror (req, error);
      return;
    }

  out = g_string_new ("{\"appeals\":[");
  for (guint i = 0; i < ids->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      _sa_registry_appeal_write (req->db, ids->pdata[i], FALSE, req->user, out);
    }
  g_string_append_printf (out, "],\"total\":%" G_GINT64_FORMAT ",\"limit\":%" G_GUINT64_FORMAT
                          ",\"offset\":%" G_GUINT64_FORMAT "}", total, limit, offset);
  sa_request_reply_text (req, SOUP_STATUS_OK, out);
}

/* GET /api/v1/public/appeals/{reg_number}: what the applicant, or anyone
 * with the number, may read with no login. The store reads only public
 * columns (sa_store_public_appeal_get()), and this writer knows only
 * them: never a name, IIN/BIN, phone, e-mail, address, private reply,
 * comment or draft. */
static void
add_time_member (JsonBuilder *b,
                 const char  *name,
                 gint64       at)
{
  g_autofree char *text = at != SA_STORE_NO_TIME ? _sa_registry_format_time (at) : NULL;

  json_builder_set_member_name (b, name);
  if (text != NULL)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static void
public_appeal_handler (SaRequest *req)
{
  g_autoptr(SaStorePublicAppeal) appeal = sa_store_public_appeal_get (req->db, req->param);
  g_autoptr(JsonBuilder) b = NULL;

  if (appeal == NULL)
    {
      sa_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "not_found",
                              "There is no appeal with this registration number.");
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "reg_number");
  json_builder_add_string_value (b, appeal->reg_number);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, appeal->status);
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, appeal->category);
  json_builder_set_member_name (b, "district");
  json_builder_add_string_value (b, appeal->district);
  add_time_member (b, SA_APPEAL_FIELD_RECEIVED_AT, appeal->received_at);
  add_time_member (b, sa_deadline_field (SA_DEADLINE_LEGAL), appeal->legal_due_at);
  add_time_member (b, SA_APPEAL_FIELD_ANSWERED_AT, appeal->answered_at);
  json_builder_set_member_name (b, SA_APPEAL_FIELD_REPLIES);
  json_builder_begin_array (b);
  for (guint i = 0; i < appeal->replies->len; i++)
    {
      SaStorePublicReply *reply = g_ptr_array_index (appeal->replies, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, reply->text);
      json_builder_set_member_name (b, "language");
      json_builder_add_string_value (b, reply->language);
      add_time_member (b, "sent_at", reply->sent_at);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  sa_request_reply_builder (req, SOUP_STATUS_OK, b);
}

void
_sa_registry_appeals_register (SaRegistryServer *server)
{
  sa_registry_server_add_route (server, "POST", "/api/v1/intake", SA_ROUTE_JSON_BODY,
                                intake_handler);
  sa_registry_server_add_route (server, "GET", "/api/v1/appeals", SA_ROUTE_DEFAULT,
                                appeals_list_handler);
  sa_registry_server_add_route (server, "GET", "/api/v1/appeals/", SA_ROUTE_PARAM,
                                appeal_get_handler);
  sa_registry_server_add_route (server, "GET", "/api/v1/public/appeals/",
                                SA_ROUTE_PARAM | SA_ROUTE_PUBLIC, public_appeal_handler);
}
