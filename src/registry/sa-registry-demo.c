/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-demo"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sa-appeal-model.h"
#include "sa-demo-data.h"
#include "sa-registry-store.h"
#include "sa-registry-demo.h"

typedef struct
{
  const char *password;
  char       *hash;
} HashJob;

static void
hash_job_run (gpointer data,
              gpointer user_data)
{
  HashJob *job = data;

  job->hash = _sa_registry_password_hash (job->password, NULL);
}

static gboolean
insert_users (SaRegistryDb  *db,
              SaDemo        *demo,
              gint64         now,
              GError       **error)
{
  const SaDemoUser *users;
  guint n;
  g_autofree HashJob *jobs = NULL;
  g_autoptr(GHashTable) first_with = g_hash_table_new (g_str_hash, g_str_equal);
  GThreadPool *pool;
  gboolean ok = TRUE;

  users = sa_demo_get_users (demo, &n);
  jobs = g_new0 (HashJob, n);

  /* Argon2id is slow on purpose: hash each distinct demo password once,
   * on every core. Accounts that share a demo password share its hash
   * (and salt); these passwords are printed for everyone anyway. */
  pool = g_thread_pool_new (hash_job_run, NULL, MAX (1, g_get_num_processors ()), TRUE, NULL);
  for (guint i = 0; i < n; i++)
    {
      if (g_hash_table_contains (first_with, users[i].password))
        continue;
      g_hash_table_insert (first_with, (gpointer) users[i].password, GUINT_TO_POINTER (i));
      jobs[i].password = users[i].password;
      g_thread_pool_push (pool, &jobs[i], NULL);
    }
  g_thread_pool_free (pool, FALSE, TRUE);

  for (guint i = 0; i < n && ok; i++)
    {
      const char *hash;

      hash = jobs[GPOINTER_TO_UINT (g_hash_table_lookup (first_with, users[i].password))].hash;
      if (hash == NULL)
        {
          ok = FALSE;
          break;
        }
      ok = sa_store_user_add_row (db, users[i].login, users[i].full_name, users[i].agency,
                                  users[i].role, hash, now, error);
    }
  for (guint i = 0; i < n; i++)
    g_free (jobs[i].hash);
  if (!ok && error != NULL && *error == NULL)
    g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_DB, "Cannot hash a password");
  return ok;
}

typedef struct
{
  gint64 received_at;
  guint  index;
} Slot;

static int
compare_slots (gconstpointer a,
               gconstpointer b)
{
  const Slot *x = a, *y = b;

  if (x->received_at != y->received_at)
    return x->received_at < y->received_at ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* The args an op of @e's type carries; @reply_id names the appeal's one
 * reply, @language is the applicant's. */
static JsonObject *
event_args (const SaDemoEvent *e,
            const char        *reply_id,
            const char        *language)
{
  JsonObject *args = json_object_new ();

  switch (e->op)
    {
    case SA_OP_ASSIGN:
      json_object_set_string_member (args, "user", e->user);
      break;
    case SA_OP_COMMENT:
    case SA_OP_REQUEST_INFO:
    case SA_OP_INFO_RECEIVED:
      json_object_set_string_member (args, "text", e->text);
      break;
    case SA_OP_REPLY_SAVE:
      json_object_set_string_member (args, "reply_id", reply_id);
      json_object_set_string_member (args, "text", e->text);
      json_object_set_string_member (args, "visibility", SA_REPLY_VISIBILITY_PUBLIC);
      json_object_set_string_member (args, "language", language);
      break;
    case SA_OP_REPLY_SUBMIT:
    case SA_OP_REPLY_APPROVE:
      json_object_set_string_member (args, "reply_id", reply_id);
      break;
    case SA_OP_FEEDBACK:
      json_object_set_boolean_member (args, "agree", e->agree);
      json_object_set_int_member (args, "rating", e->rating);
      break;
    case SA_OP_SET_PRIORITY:
      json_object_set_string_member (args, "priority", sa_priority_to_string (e->priority));
      break;
    case SA_OP_TAKE:
    default:
      break;
    }
  return args;
}

static gboolean
history_add (SaRegistryDb       *db,
             const char         *appeal_id,
             const SaDemoEvent  *e,
             JsonObject         *payload,
             GError            **error)
{
  g_autofree char *op_id = g_uuid_string_random ();

  return sa_store_history_append_op (db, appeal_id, e->at, e->at, e->actor,
                                     sa_op_type_event (e->op), payload, op_id, error);
}

/* Registers the appeal as intake would, then applies its ops through the
 * appeal model as POST /api/v1/ops would: the same rules, state, version,
 * replies and history payloads; the status the demo meant is the one the
 * ops arrive at, or the demo is wrong. */
static gboolean
insert_appeal (SaRegistryDb        *db,
               GHashTable          *roles,
               const SaDemoAppeal  *appeal,
               const char          *intake_agency,
               GError             **error)
{
  SaAppealInput in = { 0 };
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  SaAppealState state = { 0 };
  gint64 updated = appeal->received_at;
  gint64 answered_at = 0;
  g_autofree char *reply_id = NULL;
  SaReplyInfo reply = { 0 };

  in.channel = sa_channel_to_string (appeal->channel);
  in.category = appeal->category;
  in.text = appeal->text;
  in.applicant_name = appeal->applicant_name;
  in.applicant_iin = appeal->applicant_iin;
  in.applicant_phone = appeal->phone;
  in.applicant_email = appeal->email;
  in.address_text = appeal->address;
  in.district = appeal->district;
  in.language = appeal->language;
  in.priority = sa_priority_to_string (appeal->intake_priority);
  in.intake_agency = intake_agency;
  in.agency = appeal->agency;
  in.received_at = appeal->received_at;
  in.has_coordinates = appeal->has_coordinates;
  in.lat = appeal->latitude;
  in.lon = appeal->longitude;

  id = _sa_registry_appeal_insert (db, &in, "operator.ikomek-109", appeal->received_at, error);
  if (id == NULL)
    return FALSE;
  if (appeal->n_events == 0)
    return TRUE;
  reply_id = g_strconcat (id, "-reply", NULL);

  state.status = SA_APPEAL_STATUS_REGISTERED;
  state.priority = appeal->intake_priority;
  state.agency = appeal->agency;
  state.version = 1;
  state.received_at = appeal->received_at;
  state.legal_due_at = _sa_registry_legal_due (appeal->received_at);
  for (guint i = 0; i < appeal->n_events; i++)
    {
      const SaDemoEvent *e = &appeal->events[i];
      SaActor actor = { e->actor, GPOINTER_TO_INT (g_hash_table_lookup (roles, e->actor)) - 1,
                        appeal->agency };
      JsonObject *args = event_args (e, reply_id, appeal->language);
      g_autoptr(JsonObject) payload = NULL;
      g_autoptr(GError) refused = NULL;
      SaAppealState before = state;

      /* The state keeps pointers into the args. */
      g_ptr_array_add (kept, args);
      if (!sa_op_check (e->op, &actor, &state, args, e->at, &refused) ||
          !sa_appeal_state_apply (&state, e->op, &actor, args, &refused))
        {
          g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                       "The demo's %s on %s breaks a rule: %s", sa_op_type_to_string (e->op),
                       appeal->address, refused->message);
          return FALSE;
        }
      payload = sa_op_history_payload (e->op, &before, &state, args);
      if (!sa_store_reply_apply (db, id, e->op, args, &actor, e->at, NULL, NULL, error))
        return FALSE;
      /* The one reply, as the rules of the next op see it. */
      if (e->op == SA_OP_REPLY_SAVE)
        {
          reply = (SaReplyInfo) { reply_id, SA_REPLY_KIND_ANSWER, SA_REPLY_STATE_DRAFT,
                                  appeal->agency, e->actor };
          state.replies = &reply;
          state.n_replies = 1;
        }
      else if (e->op == SA_OP_REPLY_SUBMIT)
        reply.state = SA_REPLY_STATE_AWAITING_APPROVAL;
      else if (e->op == SA_OP_REPLY_APPROVE)
        {
          reply.state = SA_REPLY_STATE_SENT;
          answered_at = e->at;
        }
      if (!history_add (db, id, e, payload, error))
        return FALSE;
      updated = e->at;
    }

  if (state.status != appeal->status)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_INVALID,
                   "The demo's ops on %s end %s, not %s", appeal->address,
                   sa_appeal_status_to_string (state.status),
                   sa_appeal_status_to_string (appeal->status));
      return FALSE;
    }
  return sa_store_appeal_set_outcome (db, id, sa_appeal_status_to_string (state.status),
                                      state.executor, sa_priority_to_string (state.priority),
                                      state.version, updated, answered_at, state.under_control,
                                      error);
}

static gboolean
insert_appeals (SaRegistryDb  *db,
                SaDemo        *demo,
                guint          n_appeals,
                gint64         now,
                GError       **error)
{
  g_autofree Slot *slots = g_new (Slot, MAX (n_appeals, 1));
  g_autoptr(GHashTable) roles = g_hash_table_new (g_str_hash, g_str_equal);
  const SaDemoUser *users;
  guint n_users;
  const SaReferenceAgency *agencies;
  const char *intake_agency = NULL;
  guint n_agencies;

  agencies = sa_reference_get_agencies (sa_demo_get_reference (demo), &n_agencies);
  for (guint i = 0; i < n_agencies; i++)
    if (strcmp (agencies[i].kind, "contact_centre") == 0)
      intake_agency = agencies[i].code;
  /* login → role + 1, for the ops' actors */
  users = sa_demo_get_users (demo, &n_users);
  for (guint i = 0; i < n_users; i++)
    {
      SaRole role;

      if (sa_role_from_string (users[i].role, &role))
        g_hash_table_insert (roles, (gpointer) users[i].login, GINT_TO_POINTER (role + 1));
    }

  /* In the order they came in, so that registration numbers run with time
   * and a repeat finds the appeal it repeats (intake flags it). Generating
   * twice costs less than holding 100,000 appeals. */
  for (guint i = 0; i < n_appeals; i++)
    {
      SaDemoAppeal appeal;

      sa_demo_appeal_generate (demo, i, now, &appeal);
      slots[i].received_at = appeal.received_at;
      slots[i].index = i;
      sa_demo_appeal_clear (&appeal);
    }
  qsort (slots, n_appeals, sizeof *slots, compare_slots);

  for (guint i = 0; i < n_appeals; i++)
    {
      SaDemoAppeal appeal;
      gboolean ok;

      sa_demo_appeal_generate (demo, slots[i].index, now, &appeal);
      ok = insert_appeal (db, roles, &appeal, intake_agency, error);
      sa_demo_appeal_clear (&appeal);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/**
 * sa_registry_demo_insert:
 * @db: a database with the reference data and no people or appeals yet
 * @demo: the demo generator
 * @n_appeals: how many appeals to generate
 * @now: the moment the demo is made at, unix seconds
 * @error: return location for a #GError
 *
 * Inserts the demo's accounts and appeals in one transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
sa_registry_demo_insert (SaRegistryDb  *db,
                         SaDemo        *demo,
                         guint          n_appeals,
                         gint64         now,
                         GError       **error)
{
  gboolean found = TRUE;

  g_return_val_if_fail (SA_IS_REGISTRY_DB (db), FALSE);
  g_return_val_if_fail (demo != NULL, FALSE);

  if (!sa_store_has_people_or_appeals (db, &found, error))
    return FALSE;
  if (found)
    {
      g_set_error (error, SA_REGISTRY_ERROR, SA_REGISTRY_ERROR_EXISTS,
                   "The database has people or appeals already; give --demo only with a "
                   "new file");
      return FALSE;
    }

  if (!sa_registry_db_begin (db, error))
    return FALSE;
  if (!insert_users (db, demo, now, error) ||
      !insert_appeals (db, demo, n_appeals, now, error) ||
      !sa_registry_db_commit (db, error))
    {
      sa_registry_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

void
sa_registry_demo_print_users (SaDemo *demo)
{
  const SaDemoUser *users;
  guint n;

  users = sa_demo_get_users (demo, &n);
  g_print ("Demo accounts (login / password / role / agency):\n");
  for (guint i = 0; i < n; i++)
    g_print ("  %-36s %-20s %-12s %s\n", users[i].login, users[i].password, users[i].role,
             users[i].agency);
}
