/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-appeals"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sa-appeal-model.h"
#include "sa-iin.h"
#include "sa-registry-private.h"
#include "sa-registry-store-private.h"
#include "sa-registry-store.h"

#define TEXT_MIN        10
#define TEXT_MAX        5000
#define REPEAT_WINDOW   (15 * 24 * 3600)
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

gboolean
_sa_registry_history_add (SaRegistryDb  *db,
                          const char    *appeal_id,
                          gint64         at,
                          const char    *actor,
                          const char    *type,
                          JsonNode      *payload,
                          GError       **error)
{
  g_autofree char *text = payload != NULL ? _sa_registry_json_to_string (payload) : NULL;
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO history (appeal_id, at, actor, type, payload)"
                                 " VALUES (?1, ?2, ?3, ?4, COALESCE (?5, '{}'))", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_text (stmt, 3, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, text, -1, SQLITE_STATIC);
  return sa_registry_db_step_done (db, stmt, error);
}

/* The priority an appeal starts with when intake names none. */
static const char *
priority_for_criticality (const char *criticality)
{
  SaCriticality c = SA_CRITICALITY_NORMAL;

  sa_criticality_from_string (criticality, &c);
  return sa_priority_to_string (sa_criticality_priority (c));
}

static char *
next_reg_number (SaRegistryDb  *db,
                 gint64         at,
                 GError       **error)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, _sa_registry_almaty ());
  int year = g_date_time_get_year (local);
  sqlite3_stmt *stmt;
  gint64 n = 0;

  /* The counter row and the appeal are written in one transaction, so a
   * number is never handed out twice nor skipped by a failed insert. */
  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO reg_counters (year, last) VALUES (?1, 1)"
                                 " ON CONFLICT (year) DO UPDATE SET last = last + 1"
                                 " RETURNING last", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, year);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (n <= 0)
    {
      sa_registry_db_set_error (db, error);
      return NULL;
    }
  return g_strdup_printf ("ALA-%04d-%06" G_GINT64_FORMAT, year, n);
}

/**
 * _sa_registry_appeal_insert:
 * @db: the database, inside a transaction
 * @in: a validated appeal
 * @actor: who registers it
 * @now: the registration time
 * @error: return location for a #GError
 *
 * Registers an appeal: number, routing to the category's agency, repeat
 * link, deadlines, its first history event and its feed entry.
 *
 * Returns: (transfer full): the new appeal's UUID, or %NULL
 */
char *
_sa_registry_appeal_insert (SaRegistryDb         *db,
                            const SaAppealInput  *in,
                            const char           *actor,
                            gint64                now,
                            GError              **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *reg_number = NULL;
  g_autofree char *agency = NULL;
  g_autofree char *criticality = NULL;
  g_autofree char *repeat_of = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) payload = NULL;
  const char *registered = sa_appeal_status_to_string (SA_APPEAL_STATUS_REGISTERED);
  const char *status = in->status != NULL ? in->status : registered;
  sqlite3_stmt *stmt;
  gint64 version = 1;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT default_agency, criticality FROM categories"
                                 " WHERE code = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, in->category, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      agency = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      criticality = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (agency == NULL)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                   "Unknown category “%s”", in->category);
      return NULL;
    }
  if (in->agency != NULL)
    {
      g_free (agency);
      agency = g_strdup (in->agency);
    }

  stmt = sa_registry_db_prepare (db,
                                 "SELECT id FROM appeals WHERE applicant_iin = ?1"
                                 " AND category = ?2 AND received_at >= ?3 AND received_at <= ?4"
                                 " ORDER BY received_at DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, in->applicant_iin, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, in->category, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, in->received_at - REPEAT_WINDOW);
  sqlite3_bind_int64 (stmt, 4, in->received_at);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    repeat_of = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  reg_number = next_reg_number (db, now, error);
  if (reg_number == NULL)
    return NULL;

  if (strcmp (status, registered) != 0)
    version = 2;

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO appeals (id, reg_number, channel, status, priority,"
                                 " category, agency, intake_agency, applicant_name, applicant_iin,"
                                 " applicant_phone, applicant_email, address_text, district, lat,"
                                 " lon, text, language, received_at, legal_due_at,"
                                 " resolution_due_at, version, is_repeat, repeat_of, created_at,"
                                 " updated_at, executor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                                 " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
                                 " ?21, ?22, ?23, ?24, ?25, ?25, ?26)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, reg_number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, in->channel, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, in->priority != NULL ? in->priority
                                                    : priority_for_criticality (criticality),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, in->category, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, agency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, in->intake_agency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, in->applicant_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, in->applicant_iin, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, in->applicant_phone, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, in->applicant_email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, in->address_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, in->district, -1, SQLITE_STATIC);
  if (in->has_coordinates)
    {
      sqlite3_bind_double (stmt, 15, in->lat);
      sqlite3_bind_double (stmt, 16, in->lon);
    }
  sqlite3_bind_text (stmt, 17, in->text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 18, in->language, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 19, in->received_at);
  sqlite3_bind_int64 (stmt, 20, _sa_registry_legal_due (in->received_at));
  sqlite3_bind_int64 (stmt, 21, _sa_registry_operational_due (db, in->category,
                                                              in->received_at));
  sqlite3_bind_int64 (stmt, 22, version);
  sqlite3_bind_int (stmt, 23, repeat_of != NULL);
  sqlite3_bind_text (stmt, 24, repeat_of, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 25, now);
  sqlite3_bind_text (stmt, 26, in->executor, -1, SQLITE_STATIC);
  if (!sa_registry_db_step_done (db, stmt, error))
    return NULL;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, in->channel);
  json_builder_set_member_name (b, "reg_number");
  json_builder_add_string_value (b, reg_number);
  json_builder_set_member_name (b, "agency");
  json_builder_add_string_value (b, agency);
  if (repeat_of != NULL)
    {
      json_builder_set_member_name (b, "repeat_of");
      json_builder_add_string_value (b, repeat_of);
    }
  json_builder_end_object (b);
  payload = json_builder_get_root (b);
  if (!_sa_registry_history_add (db, id, now, actor, SA_EVENT_REGISTERED, payload, error))
    return NULL;

  if (strcmp (status, registered) != 0)
    {
      g_autoptr(JsonBuilder) sb = json_builder_new ();
      g_autoptr(JsonNode) spayload = NULL;

      json_builder_begin_object (sb);
      json_builder_set_member_name (sb, "from");
      json_builder_add_string_value (sb, registered);
      json_builder_set_member_name (sb, "to");
      json_builder_add_string_value (sb, status);
      json_builder_end_object (sb);
      spayload = json_builder_get_root (sb);
      if (!_sa_registry_history_add (db, id, now, in->executor != NULL ? in->executor : actor,
                                     SA_EVENT_STATUS_CHANGED, spayload, error))
        return NULL;
    }

  if (sa_registry_db_touch (db, "appeal", id, NULL, error) == 0)
    return NULL;
  return g_steal_pointer (&id);
}

/* Finds the district of an address: a district's name, or a known street
 * (from the reference data) named in the text. */
static char *
derive_district (SaRegistryDb *db,
                 const char   *address)
{
  g_autofree char *folded = g_utf8_casefold (address, -1);
  sqlite3_stmt *stmt;
  char *found = NULL;

  stmt = sa_registry_db_prepare (db, "SELECT code, name_ru, name_kk FROM districts", NULL);
  while (stmt != NULL && found == NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int col = 1; col <= 2 && found == NULL; col++)
        {
          g_autofree char *name = g_utf8_casefold ((const char *) sqlite3_column_text (stmt, col),
                                                   -1);
          /* "Медеуский район" → match on the stem "медеуск" too. */
          if (g_utf8_strlen (name, -1) >= 4 && strstr (folded, name) != NULL)
            found = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        }
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (found != NULL)
    return found;

  stmt = sa_registry_db_prepare (db,
                                 "SELECT district FROM streets"
                                 " WHERE instr (?1, lower (name)) > 0 OR instr (?2, name) > 0"
                                 " ORDER BY length (name) DESC LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, folded, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, address, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    found = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return found;
}

static gboolean
district_exists (SaRegistryDb *db,
                 const char   *code)
{
  return sa_registry_db_code_exists (db, "districts", code);
}

static gboolean
category_exists (SaRegistryDb *db,
                 const char   *code)
{
  return sa_registry_db_code_exists (db, "categories", code);
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

/* The appeal an earlier intake with @intake_id registered, if any; FALSE
 * when the key was used by another user or for another body. */
static gboolean
intake_lookup (SaRegistryDb   *db,
               const char     *intake_id,
               SaRegistryUser *user,
               const char     *digest,
               char          **out_appeal_id)
{
  sqlite3_stmt *stmt;
  gboolean same = TRUE;

  *out_appeal_id = NULL;
  stmt = sa_registry_db_prepare (db,
                                 "SELECT user_id, digest, appeal_id FROM intakes"
                                 " WHERE intake_id = ?1", NULL);
  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, intake_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      same = sqlite3_column_int64 (stmt, 0) == user->id &&
             g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), digest) == 0;
      if (same)
        *out_appeal_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  return same;
}

static gboolean
intake_remember (SaRegistryDb    *db,
                 const char      *intake_id,
                 SaRegistryUser  *user,
                 const char      *digest,
                 const char      *appeal_id,
                 gint64           now,
                 GError         **error)
{
  sqlite3_stmt *stmt;

  stmt = sa_registry_db_prepare (db,
                                 "INSERT INTO intakes (intake_id, user_id, digest, appeal_id, at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, intake_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, user->id);
  sqlite3_bind_text (stmt, 3, digest, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, appeal_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  return sa_registry_db_step_done (db, stmt, error);
}

static void
reply_appeal (SaRequest  *req,
              guint       status,
              const char *id)
{
  g_autoptr(JsonNode) appeal = _sa_registry_appeal_to_json (req->db, id, TRUE);
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
      if (!intake_lookup (req->db, intake_id, req->user, digest, &id))
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
      !category_exists (req->db, in.category))
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
      if (!district_exists (req->db, district))
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
    district = derive_district (req->db, in.address_text);
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

  if (!sa_registry_db_begin (req->db, &error))
    {
      sa_request_reply_gerror (req, error);
      return;
    }
  id = _sa_registry_appeal_insert (req->db, &in, req->user->login, now, &error);
  if (id == NULL ||
      !_sa_registry_attachments_link_intake (req->db, id, json_object_get_member (obj,
                                                                                   "attachments"),
                                             req->user->login, now, &error) ||
      (intake_id != NULL &&
       !intake_remember (req->db, intake_id, req->user, digest, id, now, &error)) ||
      !sa_registry_db_commit (req->db, &error))
    {
      sa_registry_db_rollback (req->db);
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
      !_sa_registry_appeal_write (req->db, req->param, TRUE, out))
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
      _sa_registry_appeal_write (req->db, ids->pdata[i], FALSE, out);
    }
  g_string_append_printf (out, "],\"total\":%" G_GINT64_FORMAT ",\"limit\":%" G_GUINT64_FORMAT
                          ",\"offset\":%" G_GUINT64_FORMAT "}", total, limit, offset);
  sa_request_reply_text (req, SOUP_STATUS_OK, out);
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
}
