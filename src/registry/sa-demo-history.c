/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-demo-data"

#include "config.h"

#include "sa-demo-data-private.h"
#include "sa-reply-template.h"

/* An appeal's life after intake: how far it got by now, who has it, and
 * what its history says (taken, assigned, comments, requests for more
 * information and the answers to them, a changed priority, the reply
 * written, submitted and approved, the applicant's verdict). */

/* The contact centre's operator who calls applicants for their verdict. */
#define VERDICT_OPERATOR "operator.ikomek-109"

/* ───────────────────────────── History ─────────────────────────────── */

static SaDemoEvent *
add_event (SaDemoAppeal *a,
           SaOpType      op,
           gint64        at,
           const char   *actor)
{
  SaDemoEvent *e;

  g_assert (a->n_events < SA_DEMO_MAX_EVENTS);
  e = &a->events[a->n_events++];
  e->op = op;
  e->at = at;
  e->actor = actor;
  return e;
}

/* By time; taken (or assigned) first when two share a second. */
static gint
compare_events (gconstpointer a,
                gconstpointer b,
                gpointer      data)
{
  const SaDemoEvent *x = a, *y = b;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  return (x->op != SA_OP_TAKE && x->op != SA_OP_ASSIGN) -
         (y->op != SA_OP_TAKE && y->op != SA_OP_ASSIGN);
}

static const char *
pick_worker (Rng         *rng,
             const Staff *staff)
{
  guint n = staff->workers->len;
  guint total = n * (3 * n + 1) / 2;  /* weights 2n, 2n-1, …, n+1 */
  guint r = rng_below (rng, total);
  guint k = 0;

  /* Loads differ, as they do in an office, but nobody holds them all. */
  while (r >= 2 * n - k)
    r -= 2 * n - k++;
  return g_ptr_array_index (staff->workers, k);
}

/* Open: out of every thousand appeals in each part of their time, how many
 * are still being worked on. Almost all young ones are; past the deadline
 * few are left, and none that is more than twice its time late. */
#define OPEN_GREEN   950
#define OPEN_YELLOW  800
#define OPEN_RED     250
#define OPEN_OVERDUE 30

static const char *
full_name_of (SaDemo     *demo,
              const char *login)
{
  for (guint i = 0; i < demo->users->len; i++)
    if (strcmp (g_array_index (demo->users, SaDemoUser, i).login, login) == 0)
      return g_array_index (demo->users, SaDemoUser, i).full_name;
  return login;
}

/* The answer as a letter to the applicant, in their language, its
 * placeholders filled in the way a desk fills a template's. */
static char *
answer_letter (SaDemo             *demo,
               const SaDemoAppeal *a,
               Rng                *own,
               const char         *executor)
{
  gboolean kk = strcmp (a->language, "kk") == 0;
  const SaReferenceAgency *agency = sa_reference_find_agency (demo->ref, a->agency);
  g_autoptr(JsonObject) appeal = json_object_new ();
  g_autofree char *received = sa_appeal_format_time (a->received_at);
  g_autoptr(GString) letter = g_string_new (kk ? _sa_demo_kk_letter : _sa_demo_ru_letter);
  JsonObject *part;

  part = json_object_new ();
  json_object_set_string_member (part, "name", a->applicant_name);
  json_object_set_object_member (appeal, "applicant", part);
  part = json_object_new ();
  json_object_set_string_member (part, "text", a->address);
  json_object_set_object_member (appeal, "address", part);
  json_object_set_string_member (appeal, SA_APPEAL_FIELD_RECEIVED_AT, received);
  g_string_replace (letter, "{answer}", kk ? RNG_PICK_TEXT (own, _sa_demo_kk_answers)
                                           : RNG_PICK_TEXT (own, _sa_demo_ru_answers), 1);
  return sa_reply_template_fill (letter->str, appeal, full_name_of (demo, executor),
                                 agency == NULL ? NULL : kk ? agency->name_kk : agency->name_ru);
}

/* The answer: written by the executor, submitted, approved by the
 * supervisor at @sent; a verdict after it when @verdict is not 0. */
static void
add_answer (SaDemo       *demo,
            SaDemoAppeal *a,
            Rng          *own,
            const Staff  *staff,
            const char   *executor,
            gint64        written,
            gint64        sent,
            gint64        verdict,
            gboolean      agree)
{
  g_free (a->reply_text);
  a->reply_text = answer_letter (demo, a, own, executor);
  add_event (a, SA_OP_REPLY_SAVE, written, executor)->text = a->reply_text;
  add_event (a, SA_OP_REPLY_SUBMIT, sent != 0 ? written + (sent - written) / 3 : written + 60,
             executor);
  if (sent == 0)
    return;
  add_event (a, SA_OP_REPLY_APPROVE, sent, staff->supervisor);
  if (verdict != 0)
    {
      SaDemoEvent *e = add_event (a, SA_OP_FEEDBACK, verdict, VERDICT_OPERATOR);

      e->agree = agree;
      e->rating = agree ? 4 + rng_below (own, 2) : 1 + rng_below (own, 2);
    }
}

/* How far the appeal got by @now, who has it and what its history says:
 * every step is an op, as the desks would have sent them. */
void
_sa_demo_live (SaDemo                    *demo,
               Rng                       *fate,
               Rng                       *own,
               const SaReferenceCategory *category,
               gint64                     now,
               SaDemoAppeal              *a)
{
  const Staff *staff = g_hash_table_lookup (demo->staff, a->agency);
  gint64 received = a->received_at;
  gint64 due = _sa_demo_due_at (demo, category, received);
  gint64 age = now - received;
  double f = (double) age / (double) MAX (due - received, 1);
  guint open_permille = f < 0.5 ? OPEN_GREEN : f < 0.8 ? OPEN_YELLOW : f < 1.0 ? OPEN_RED
                        : f < 3.0 ? OPEN_OVERDUE : 0;
  gboolean open = age < 2 * 3600 || rng_below (fate, 1000) < open_permille;
  gboolean kk = strcmp (a->language, "kk") == 0;
  gint64 end, taken, reaction;
  const char *executor;
  guint r = rng_below (fate, 100);

  g_assert (staff != NULL);
  executor = pick_worker (fate, staff);
  a->priority = a->intake_priority;

  if (open)
    {
      end = now - 60;
      if (age < 30 * 60 || r < 14)
        a->status = SA_APPEAL_STATUS_REGISTERED;
      else if (r < 24 && age > 2 * 3600)
        a->status = SA_APPEAL_STATUS_INFO_REQUESTED;
      else if (r < 32 && f > 0.25)
        a->status = SA_APPEAL_STATUS_AWAITING_APPROVAL;
      else if (r < 35 && age > 3 * DAY && f < 0.8)
        a->status = SA_APPEAL_STATUS_REOPENED;
      else
        a->status = SA_APPEAL_STATUS_IN_PROGRESS;
    }
  else
    {
      /* Most are answered in time, some late. */
      if (rng_percent (fate, 92))
        end = received + (gint64) ((due - received) * (0.15 + 0.8 * rng_unit (fate)));
      else
        end = due + (gint64) ((due - received) * (0.02 + 0.5 * rng_unit (fate)));
      if (end > now - 600)
        end = received + (gint64) ((now - 600 - received) * (0.5 + 0.45 * rng_unit (fate)));
      a->answered_at = end;
      a->status = now - end < 3 * DAY && rng_percent (fate, 50) ? SA_APPEAL_STATUS_ANSWERED
                                                               : SA_APPEAL_STATUS_CLOSED;
    }
  if (a->status == SA_APPEAL_STATUS_REGISTERED)
    return;

  /* Taken (or assigned by the supervisor) within the reaction time, mostly. */
  a->executor = executor;
  reaction = sa_sla_operational_due (demo->calendar, &category->regulation,
                                     SA_SLA_TARGET_REACTION, received, NULL, 0);
  taken = received + (gint64) ((reaction - received) * (0.1 + 0.8 * rng_unit (own)));
  taken = CLAMP (taken, received + 60, received + (end - received) / 3);
  if (rng_percent (own, 60))
    add_event (a, SA_OP_TAKE, taken, executor);
  else
    add_event (a, SA_OP_ASSIGN, taken, staff->supervisor)->user = executor;

  /* Now and then a supervisor raises the priority. */
  if (a->priority < SA_PRIORITY_CRITICAL && rng_percent (own, 5))
    {
      a->priority++;
      add_event (a, SA_OP_SET_PRIORITY,
                 taken + (gint64) ((end - taken) * (0.05 + 0.25 * rng_unit (own))),
                 staff->supervisor)->priority = a->priority;
    }

  if (rng_percent (own, 70))
    add_event (a, SA_OP_COMMENT,
               taken + (gint64) ((end - taken) * (0.1 + 0.25 * rng_unit (own))),
               executor)->text = kk && rng_percent (own, 50)
                                 ? RNG_PICK_TEXT (own, _sa_demo_kk_progress)
                                 : RNG_PICK_TEXT (own, _sa_demo_ru_progress);

  if (a->status == SA_APPEAL_STATUS_INFO_REQUESTED || (!open && rng_percent (own, 12)))
    {
      gint64 asked = taken + (gint64) ((end - taken) * (0.4 + 0.2 * rng_unit (own)));

      add_event (a, SA_OP_REQUEST_INFO, asked, executor)->text =
        kk ? RNG_PICK_TEXT (own, _sa_demo_kk_info_requests)
           : RNG_PICK_TEXT (own, _sa_demo_ru_info_requests);
      /* The applicant answered; the executor records what they said. */
      if (!open)
        add_event (a, SA_OP_INFO_RECEIVED, asked + (gint64) ((end - asked) * 0.3),
                   executor)->text = RNG_PICK_TEXT (own, _sa_demo_info_received);
    }

  if (a->status == SA_APPEAL_STATUS_REOPENED)
    {
      /* Answered once, the applicant disagreed: back in work under control. */
      add_answer (demo, a, own, staff, executor, taken + (gint64) ((end - taken) * 0.5),
                  taken + (gint64) ((end - taken) * 0.6), taken + (gint64) ((end - taken) * 0.65),
                  FALSE);
      add_event (a, SA_OP_COMMENT, taken + (gint64) ((end - taken) * 0.7), executor)->text =
        RNG_PICK_TEXT (own, _sa_demo_ru_reopened);
    }
  else if (!open)
    {
      gint64 written = end - (gint64) ((end - taken) * (0.01 + 0.09 * rng_unit (own)));
      /* The contact centre calls within a couple of days of the answer. */
      gint64 call = (gint64) (2 * DAY * rng_unit (own)) + 600;
      gint64 verdict = end + MIN ((now - end) / 2, call);

      add_answer (demo, a, own, staff, executor, written, end,
                  a->status == SA_APPEAL_STATUS_CLOSED ? verdict : 0, TRUE);
    }
  else if (a->status == SA_APPEAL_STATUS_AWAITING_APPROVAL)
    add_answer (demo, a, own, staff, executor,
                end - 120 - (gint64) ((end - taken) * (0.01 + 0.09 * rng_unit (own))), 0, 0,
                FALSE);

  /* Each event lies in its own part of [taken, end]; only the priority and
   * the first comment share one, and two events never share a second. */
  g_qsort_with_data (a->events, a->n_events, sizeof a->events[0], compare_events, NULL);
  for (guint i = 1; i < a->n_events; i++)
    if (a->events[i].at <= a->events[i - 1].at)
      a->events[i].at = a->events[i - 1].at + 1;
  g_assert (a->events[a->n_events - 1].at < now);
}
