/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sa-sla.h"

G_BEGIN_DECLS

/* The appeal's vocabulary, defined once: statuses and what they allow,
 * priorities, roles, operations (who may, their arguments and limits, the
 * history event each makes) and the deadline fields. The registry's ops,
 * the client's optimistic fold, the list's SQL and the widgets all read
 * it from here (docs/appeal-model.md). */

/**
 * SaAppealStatus:
 * @SA_APPEAL_STATUS_REGISTERED: received, not yet taken into work
 * @SA_APPEAL_STATUS_IN_PROGRESS: an executor works on it
 * @SA_APPEAL_STATUS_INFO_REQUESTED: waits for the applicant's information
 * @SA_APPEAL_STATUS_AWAITING_APPROVAL: a reply waits for the supervisor
 * @SA_APPEAL_STATUS_ANSWERED: the reply is sent; waits for the applicant's verdict
 * @SA_APPEAL_STATUS_CLOSED: the applicant agreed
 * @SA_APPEAL_STATUS_REOPENED: the applicant disagreed; back in work under control
 * @SA_APPEAL_STATUS_ARCHIVED: closed more than a year ago
 *
 * The statuses of DESIGN.md, in their order of progress.
 */
typedef enum
{
  SA_APPEAL_STATUS_REGISTERED,
  SA_APPEAL_STATUS_IN_PROGRESS,
  SA_APPEAL_STATUS_INFO_REQUESTED,
  SA_APPEAL_STATUS_AWAITING_APPROVAL,
  SA_APPEAL_STATUS_ANSWERED,
  SA_APPEAL_STATUS_CLOSED,
  SA_APPEAL_STATUS_REOPENED,
  SA_APPEAL_STATUS_ARCHIVED,
} SaAppealStatus;

/* The status the operators' queue holds, for SQL written at compile time. */
#define SA_APPEAL_STATUS_NAME_REGISTERED "registered"

#define SA_N_APPEAL_STATUSES (SA_APPEAL_STATUS_ARCHIVED + 1)

/**
 * SaStatusSet:
 * @SA_STATUS_SET_OPEN: not closed for good: everything but closed and
 *   archived (an answered appeal still waits for the applicant's verdict)
 * @SA_STATUS_SET_CLOCK_RUNNING: the agency still owes the answer, so its
 *   deadlines count down: open and not answered
 * @SA_STATUS_SET_WORKABLE: the lead agency may act on it (take, forward,
 *   escalate, extend…): in work and no reply waiting for approval
 * @SA_STATUS_SET_FINAL: nothing will happen to it any more but archiving
 * @SA_STATUS_SET_DONE: answered or closed: the agency's work ended
 *
 * The named sets of statuses every part of the project asks about.
 */
typedef enum
{
  SA_STATUS_SET_OPEN,
  SA_STATUS_SET_CLOCK_RUNNING,
  SA_STATUS_SET_WORKABLE,
  SA_STATUS_SET_FINAL,
  SA_STATUS_SET_DONE,
} SaStatusSet;

const char     *sa_appeal_status_to_string   (SaAppealStatus  status);
gboolean        sa_appeal_status_from_string (const char     *str,
                                              SaAppealStatus *out_status);
const char     *sa_appeal_status_label       (SaAppealStatus  status);
gboolean        sa_appeal_status_in          (SaAppealStatus  status,
                                              SaStatusSet     set);
gboolean        sa_appeal_status_name_in     (const char     *status,
                                              SaStatusSet     set);
const char     *sa_status_set_sql            (SaStatusSet     set);

/**
 * SaPriority:
 * @SA_PRIORITY_LOW: low
 * @SA_PRIORITY_NORMAL: normal, the default
 * @SA_PRIORITY_HIGH: high
 * @SA_PRIORITY_CRITICAL: critical (emergencies)
 *
 * Priorities, in rank order: the value is the rank the list sorts by.
 */
typedef enum
{
  SA_PRIORITY_LOW,
  SA_PRIORITY_NORMAL,
  SA_PRIORITY_HIGH,
  SA_PRIORITY_CRITICAL,
} SaPriority;

#define SA_N_PRIORITIES (SA_PRIORITY_CRITICAL + 1)

const char     *sa_priority_to_string        (SaPriority      priority);
gboolean        sa_priority_from_string      (const char     *str,
                                              SaPriority     *out_priority);
const char     *sa_priority_label            (SaPriority      priority);

/**
 * SaCriticality:
 * @SA_CRITICALITY_LOW: can wait
 * @SA_CRITICALITY_NORMAL: the ordinary case
 * @SA_CRITICALITY_HIGH: affects many people or health
 * @SA_CRITICALITY_EMERGENCY: an accident: the operational clock runs 24×7
 *
 * How critical a category's problems are, as the reference data says.
 */
typedef enum
{
  SA_CRITICALITY_LOW,
  SA_CRITICALITY_NORMAL,
  SA_CRITICALITY_HIGH,
  SA_CRITICALITY_EMERGENCY,
} SaCriticality;

#define SA_N_CRITICALITIES (SA_CRITICALITY_EMERGENCY + 1)

const char     *sa_criticality_to_string     (SaCriticality   criticality);
gboolean        sa_criticality_from_string   (const char     *str,
                                              SaCriticality  *out_criticality);
SaPriority      sa_criticality_priority      (SaCriticality   criticality);

/**
 * SaRole:
 * @SA_ROLE_EXECUTOR: works on the agency's appeals
 * @SA_ROLE_SUPERVISOR: approves replies, assigns, extends deadlines
 * @SA_ROLE_CURATOR: city-wide, read-only plus reports
 * @SA_ROLE_OPERATOR: first line: registers and classifies
 * @SA_ROLE_KSK_MANAGER: manager of a KSK/OSI, works on its appeals
 * @SA_ROLE_ADMIN: manages users; sees no appeals
 */
typedef enum
{
  SA_ROLE_EXECUTOR,
  SA_ROLE_SUPERVISOR,
  SA_ROLE_CURATOR,
  SA_ROLE_OPERATOR,
  SA_ROLE_KSK_MANAGER,
  SA_ROLE_ADMIN,
} SaRole;

#define SA_N_ROLES (SA_ROLE_ADMIN + 1)

/* The names SQL written at compile time needs (the registry's visibility
 * rule, the schema's CHECK); the role table uses them, and test-appeal-model
 * checks that the lists say what sa_role_works_appeals() says. */
#define SA_ROLE_NAME_EXECUTOR     "executor"
#define SA_ROLE_NAME_SUPERVISOR   "supervisor"
#define SA_ROLE_NAME_CURATOR      "curator"
#define SA_ROLE_NAME_OPERATOR     "operator"
#define SA_ROLE_NAME_KSK_MANAGER  "ksk_manager"
#define SA_ROLE_NAME_ADMIN        "admin"
#define SA_SQL_QUOTE(name) "'" name "'"
/* The roles that work on their agency's appeals, and the city-wide ones. */
#define SA_ROLES_WORKING_SQL \
  "(" SA_SQL_QUOTE (SA_ROLE_NAME_EXECUTOR) "," SA_SQL_QUOTE (SA_ROLE_NAME_SUPERVISOR) "," \
  SA_SQL_QUOTE (SA_ROLE_NAME_KSK_MANAGER) ")"
#define SA_ROLES_CITY_SQL \
  "(" SA_SQL_QUOTE (SA_ROLE_NAME_CURATOR) "," SA_SQL_QUOTE (SA_ROLE_NAME_ADMIN) ")"
#define SA_ROLES_ALL_SQL \
  "(" SA_SQL_QUOTE (SA_ROLE_NAME_EXECUTOR) "," SA_SQL_QUOTE (SA_ROLE_NAME_SUPERVISOR) "," \
  SA_SQL_QUOTE (SA_ROLE_NAME_CURATOR) "," SA_SQL_QUOTE (SA_ROLE_NAME_OPERATOR) "," \
  SA_SQL_QUOTE (SA_ROLE_NAME_KSK_MANAGER) "," SA_SQL_QUOTE (SA_ROLE_NAME_ADMIN) ")"

const char     *sa_role_to_string            (SaRole          role);
gboolean        sa_role_from_string          (const char     *str,
                                              SaRole         *out_role);
const char     *sa_role_label                (SaRole          role);
gboolean        sa_role_works_appeals        (SaRole          role);

/**
 * SaChannel:
 * @SA_CHANNEL_EGOV: the eGov portal
 * @SA_CHANNEL_OPEN_ALMATY: Open Almaty
 * @SA_CHANNEL_EMAIL: e-mail
 * @SA_CHANNEL_PRESIDENT: the President's virtual reception
 * @SA_CHANNEL_PHONE_109: the 109 phone line
 * @SA_CHANNEL_TELEGRAM: the Telegram bot
 * @SA_CHANNEL_OPEN311: Open311 GeoReport v2
 *
 * Where an appeal came from.
 */
typedef enum
{
  SA_CHANNEL_EGOV,
  SA_CHANNEL_OPEN_ALMATY,
  SA_CHANNEL_EMAIL,
  SA_CHANNEL_PRESIDENT,
  SA_CHANNEL_PHONE_109,
  SA_CHANNEL_TELEGRAM,
  SA_CHANNEL_OPEN311,
} SaChannel;

#define SA_N_CHANNELS (SA_CHANNEL_OPEN311 + 1)

const char     *sa_channel_to_string         (SaChannel       channel);
gboolean        sa_channel_from_string       (const char     *str,
                                              SaChannel      *out_channel);
const char     *sa_channel_label             (SaChannel       channel);

/* History events that no op makes. */
#define SA_EVENT_REGISTERED      "registered"
#define SA_EVENT_STATUS_CHANGED  "status"
/* A channel recorded whether a sent reply reached the applicant. */
#define SA_EVENT_DELIVERED       "delivered"

const char     *sa_history_event_label       (const char     *type);

/**
 * SaDeadline:
 * @SA_DEADLINE_LEGAL: the legal deadline (APPK art. 76)
 * @SA_DEADLINE_REACTION: the category's time to react
 * @SA_DEADLINE_RESOLUTION: the category's time to resolve: the
 *   operational deadline
 *
 * The deadlines an appeal carries, each under one JSON name.
 */
typedef enum
{
  SA_DEADLINE_LEGAL,
  SA_DEADLINE_REACTION,
  SA_DEADLINE_RESOLUTION,
} SaDeadline;

#define SA_N_DEADLINES (SA_DEADLINE_RESOLUTION + 1)

const char     *sa_deadline_field            (SaDeadline      deadline);

/* The appeal object's members that more than one part reads. */
#define SA_APPEAL_FIELD_RECEIVED_AT  "received_at"
#define SA_APPEAL_FIELD_ANSWERED_AT  "answered_at"

/**
 * SaOpType:
 * @SA_OP_TAKE: take the appeal into one's own work
 * @SA_OP_ASSIGN: a supervisor gives it to a colleague
 * @SA_OP_COMMENT: a note in the history
 * @SA_OP_REQUEST_INFO: ask the applicant for more information
 * @SA_OP_FORWARD: hand it to another lead agency
 * @SA_OP_ESCALATE: involve a third line (KSK/OSI, contractor)
 * @SA_OP_SET_PRIORITY: change the priority
 * @SA_OP_ADD_COEXECUTOR: add a co-executor agency
 * @SA_OP_ATTACH: link an uploaded file
 * @SA_OP_EXTEND: a supervisor extends the legal deadline
 * @SA_OP_REPLY_SAVE: write or rewrite a reply's draft
 * @SA_OP_REPLY_SUBMIT: its author gives the reply to a supervisor
 * @SA_OP_REPLY_APPROVE: a supervisor, never the author, approves and sends it
 * @SA_OP_REPLY_RETURN: a supervisor returns it to its author with a comment
 * @SA_OP_INFO_RECEIVED: the applicant's answer to a request for information
 * @SA_OP_FEEDBACK: the applicant's verdict on the answer, or that they
 *   could not be reached
 * @SA_OP_QUICK_ANSWER: the contact centre answers a fresh appeal on the
 *   first call with a quick answer: a template its supervisors keep,
 *   approved when it was written, so sent at once
 *
 * The operations of `POST /api/v1/ops`. `POST /api/v1/appeals/{id}/feedback`
 * applies a @SA_OP_FEEDBACK.
 */
typedef enum
{
  SA_OP_TAKE,
  SA_OP_ASSIGN,
  SA_OP_COMMENT,
  SA_OP_REQUEST_INFO,
  SA_OP_FORWARD,
  SA_OP_ESCALATE,
  SA_OP_SET_PRIORITY,
  SA_OP_ADD_COEXECUTOR,
  SA_OP_ATTACH,
  SA_OP_EXTEND,
  SA_OP_REPLY_SAVE,
  SA_OP_REPLY_SUBMIT,
  SA_OP_REPLY_APPROVE,
  SA_OP_REPLY_RETURN,
  SA_OP_INFO_RECEIVED,
  SA_OP_FEEDBACK,
  SA_OP_QUICK_ANSWER,
} SaOpType;

#define SA_N_OP_TYPES (SA_OP_QUICK_ANSWER + 1)

/* The rejection of an op whose `after` op was not applied: it was not
 * looked at, and the client holds it back with the one before it. */
#define SA_OP_AFTER_NOT_APPLIED "after_not_applied"

const char     *sa_op_type_to_string         (SaOpType        type);
gboolean        sa_op_type_from_string       (const char     *str,
                                              SaOpType       *out_type);
const char     *sa_op_type_label             (SaOpType        type);
const char     *sa_op_type_done_label        (SaOpType        type);
const char     *sa_op_type_event             (SaOpType        type);

/**
 * SaArgKind:
 * @SA_ARG_TEXT: text a person wrote, 1 to max_chars characters
 * @SA_ARG_CODE: the code of an agency or the login of a user
 * @SA_ARG_PRIORITY: a priority name
 * @SA_ARG_TIME: an RFC 3339 time with its offset
 * @SA_ARG_SHA256: 64 lower-case hex digits
 * @SA_ARG_CHOICE: one of the names in the argument's @choices
 * @SA_ARG_BOOLEAN: true or false
 * @SA_ARG_NUMBER: a whole number from 0 to the argument's @max_chars
 * @SA_ARG_RATING: a whole number from 1 to 5
 * @SA_ARG_SHA256_LIST: an array of at most max_chars different SHA-256s
 *
 * What an operation's argument holds. The first five are JSON strings.
 */
typedef enum
{
  SA_ARG_TEXT,
  SA_ARG_CODE,
  SA_ARG_PRIORITY,
  SA_ARG_TIME,
  SA_ARG_SHA256,
  SA_ARG_CHOICE,
  SA_ARG_BOOLEAN,
  SA_ARG_NUMBER,
  SA_ARG_RATING,
  SA_ARG_SHA256_LIST,
} SaArgKind;

/**
 * SaOpArg:
 * @name: the member of `args`
 * @kind: the #SaArgKind
 * @required: whether it must be there
 * @max_chars: the longest value, in characters; for %SA_ARG_NUMBER the
 *   largest number, for %SA_ARG_SHA256_LIST the most items
 * @choices: (nullable): for %SA_ARG_CHOICE, the names it may take
 *
 * One argument of an operation.
 */
typedef struct
{
  const char         *name;
  SaArgKind           kind;
  gboolean            required;
  guint               max_chars;
  const char * const *choices;
} SaOpArg;

#define SA_OP_TEXT_MAX    5000
#define SA_OP_REASON_MAX  1000
#define SA_OP_CODE_MAX    64
#define SA_OP_NAME_MAX    255

/**
 * SaAgencyLink:
 * @SA_AGENCY_LINK_NONE: the op links no agency
 * @SA_AGENCY_LINK_COEXECUTOR: a co-executor, who writes a part of the reply
 * @SA_AGENCY_LINK_ESCALATED: a third line (KSK/OSI, contractor) asked to act
 *
 * How an agency other than the lead one comes to work on an appeal.
 */
typedef enum
{
  SA_AGENCY_LINK_NONE,
  SA_AGENCY_LINK_COEXECUTOR,
  SA_AGENCY_LINK_ESCALATED,
} SaAgencyLink;

const char     *sa_agency_link_to_string     (SaAgencyLink    link);
const char     *sa_agency_link_field         (SaAgencyLink    link);
SaAgencyLink    sa_op_type_link              (SaOpType        type);

const SaOpArg  *sa_op_type_args              (SaOpType        type,
                                              guint          *n_args);
guint           sa_op_arg_max_chars          (SaOpType        type,
                                              const char     *name);

/**
 * SaReplyKind:
 * @SA_REPLY_KIND_ANSWER: answers the appeal on the merits
 * @SA_REPLY_KIND_NOTICE: tells the applicant that the deadline was
 *   extended; answers nothing
 * @SA_REPLY_KIND_PART: a co-executor agency's part of a joint answer
 *
 * What a reply is for (docs/replies.md).
 */
typedef enum
{
  SA_REPLY_KIND_ANSWER,
  SA_REPLY_KIND_NOTICE,
  SA_REPLY_KIND_PART,
} SaReplyKind;

#define SA_N_REPLY_KINDS (SA_REPLY_KIND_PART + 1)

const char     *sa_reply_kind_to_string      (SaReplyKind     kind);
gboolean        sa_reply_kind_from_string    (const char     *str,
                                              SaReplyKind    *out_kind);
const char     *sa_reply_kind_label          (SaReplyKind     kind);

/**
 * SaReplyState:
 * @SA_REPLY_STATE_DRAFT: being written; only its agency sees it
 * @SA_REPLY_STATE_AWAITING_APPROVAL: submitted; waits for a supervisor
 * @SA_REPLY_STATE_RETURNED: a supervisor returned it to its author
 * @SA_REPLY_STATE_SENT: approved and sent; it can no longer change
 *
 * Where a reply is on its way to the applicant.
 */
typedef enum
{
  SA_REPLY_STATE_DRAFT,
  SA_REPLY_STATE_AWAITING_APPROVAL,
  SA_REPLY_STATE_RETURNED,
  SA_REPLY_STATE_SENT,
} SaReplyState;

#define SA_N_REPLY_STATES (SA_REPLY_STATE_SENT + 1)
/* The state the public page and every viewer of an appeal read, for SQL. */
#define SA_REPLY_STATE_NAME_SENT "sent"

const char     *sa_reply_state_to_string     (SaReplyState    state);
gboolean        sa_reply_state_from_string   (const char     *str,
                                              SaReplyState   *out_state);
const char     *sa_reply_state_label         (SaReplyState    state);

/* A reply's visibility and language, as `reply_save` takes them. */
#define SA_REPLY_VISIBILITY_PUBLIC  "public"
#define SA_REPLY_VISIBILITY_PRIVATE "private"
extern const char * const sa_reply_visibilities[];
extern const char * const sa_reply_languages[];

/* The appeal object's member that lists its replies, and whether a
 * reopened appeal is under its supervisor's control. */
#define SA_APPEAL_FIELD_REPLIES        "replies"
#define SA_APPEAL_FIELD_UNDER_CONTROL  "under_control"
/* After an extension: by when the applicant must be told (3 working
 * days), and when a notice told them. */
#define SA_APPEAL_FIELD_NOTIFY_BY      "notify_applicant_by"
#define SA_APPEAL_FIELD_NOTIFIED_AT    "applicant_notified_at"

/* The most files one reply includes. */
#define SA_REPLY_ATTACHMENTS_MAX 10

/* How many unanswered calls to the applicant let an operator close an
 * appeal whose applicant cannot be reached. */
#define SA_FEEDBACK_ATTEMPTS_MIN 3

/**
 * SaAppealError:
 * @SA_APPEAL_ERROR_INVALID_ARGS: an argument is missing, unknown or does not fit
 * @SA_APPEAL_ERROR_READ_ONLY: the role only reads (curator)
 * @SA_APPEAL_ERROR_FORBIDDEN: the role cannot do this at all
 * @SA_APPEAL_ERROR_NOT_LEAD_AGENCY: only the lead agency's workers may do this
 * @SA_APPEAL_ERROR_SUPERVISOR_ONLY: only a supervisor of the lead agency may do this
 * @SA_APPEAL_ERROR_NOT_OPEN: the appeal is not in work any more
 * @SA_APPEAL_ERROR_ARCHIVED: the appeal is archived
 * @SA_APPEAL_ERROR_CLOSED: the appeal is closed
 * @SA_APPEAL_ERROR_ALREADY_YOURS: the appeal is the user's already
 * @SA_APPEAL_ERROR_TAKEN_BY_OTHER: another executor has it
 * @SA_APPEAL_ERROR_ALREADY_REQUESTED: information was requested already
 * @SA_APPEAL_ERROR_UNCHANGED: the appeal is like that already
 * @SA_APPEAL_ERROR_NOT_INVOLVED: the user's agency does not work on the appeal
 * @SA_APPEAL_ERROR_ALREADY_INVOLVED: that agency works on the appeal already
 * @SA_APPEAL_ERROR_IN_THE_PAST: a time that must lie ahead does not
 * @SA_APPEAL_ERROR_OWN_REPLY: a supervisor would approve their own reply
 * @SA_APPEAL_ERROR_REPLY_SENT: the reply was sent and cannot change
 * @SA_APPEAL_ERROR_NOT_AUTHOR: only the reply's author may do this
 * @SA_APPEAL_ERROR_NO_SUCH_REPLY: the appeal has no such reply
 * @SA_APPEAL_ERROR_REPLY_STATE: the reply is not in a state that allows this
 * @SA_APPEAL_ERROR_REPLY_EXISTS: another answer is being written already
 * @SA_APPEAL_ERROR_NOT_ANSWERED: a verdict on an appeal without a sent answer
 * @SA_APPEAL_ERROR_NOT_WAITING: information recorded when none was asked for
 * @SA_APPEAL_ERROR_PARTS_MISSING: a co-executor's part of a joint answer is
 *   not sent, and no reason to send without it was given
 * @SA_APPEAL_ERROR_NOT_FRESH: a quick answer on an appeal already in an
 *   agency's work
 *
 * Why the model refuses an operation; each has one rejection code
 * (sa_appeal_error_code()) that the registry sends and the client
 * translates.
 */
typedef enum
{
  SA_APPEAL_ERROR_INVALID_ARGS,
  SA_APPEAL_ERROR_READ_ONLY,
  SA_APPEAL_ERROR_FORBIDDEN,
  SA_APPEAL_ERROR_NOT_LEAD_AGENCY,
  SA_APPEAL_ERROR_SUPERVISOR_ONLY,
  SA_APPEAL_ERROR_NOT_OPEN,
  SA_APPEAL_ERROR_ARCHIVED,
  SA_APPEAL_ERROR_CLOSED,
  SA_APPEAL_ERROR_ALREADY_YOURS,
  SA_APPEAL_ERROR_TAKEN_BY_OTHER,
  SA_APPEAL_ERROR_ALREADY_REQUESTED,
  SA_APPEAL_ERROR_UNCHANGED,
  SA_APPEAL_ERROR_NOT_INVOLVED,
  SA_APPEAL_ERROR_ALREADY_INVOLVED,
  SA_APPEAL_ERROR_IN_THE_PAST,
  SA_APPEAL_ERROR_OWN_REPLY,
  SA_APPEAL_ERROR_REPLY_SENT,
  SA_APPEAL_ERROR_NOT_AUTHOR,
  SA_APPEAL_ERROR_NO_SUCH_REPLY,
  SA_APPEAL_ERROR_REPLY_STATE,
  SA_APPEAL_ERROR_REPLY_EXISTS,
  SA_APPEAL_ERROR_NOT_ANSWERED,
  SA_APPEAL_ERROR_NOT_WAITING,
  SA_APPEAL_ERROR_PARTS_MISSING,
  SA_APPEAL_ERROR_NOT_FRESH,
} SaAppealError;

#define SA_N_APPEAL_ERRORS (SA_APPEAL_ERROR_NOT_FRESH + 1)

#define SA_APPEAL_ERROR (sa_appeal_error_quark ())
GQuark          sa_appeal_error_quark        (void);
const char     *sa_appeal_error_code         (const GError   *error);

const char     *sa_rejection_message         (const char     *code);

/**
 * SaActor:
 * @login: the user's login
 * @role: the user's role
 * @agency: (nullable): the user's agency code
 *
 * Who asks for an operation.
 */
typedef struct
{
  const char *login;
  SaRole      role;
  const char *agency;
} SaActor;

/**
 * SaReplyInfo:
 * @id: the reply's UUID
 * @kind: its #SaReplyKind
 * @state: its #SaReplyState
 * @agency: (nullable): the agency that writes it
 * @author: (nullable): its author's login
 *
 * The part of a reply the rules look at.
 */
typedef struct
{
  const char   *id;
  SaReplyKind   kind;
  SaReplyState  state;
  const char   *agency;
  const char   *author;
} SaReplyInfo;

/**
 * SaAppealState:
 * @status: the status
 * @priority: the priority
 * @agency: (nullable): the lead agency's code
 * @executor: (nullable): the executor's login
 * @version: the registry's version
 * @received_at: unix seconds
 * @legal_due_at: unix seconds, 0 when unknown
 * @involved: (nullable): the co-executor and escalated agencies' codes
 * @coexecutors: (nullable): the co-executor agencies' codes alone: each
 *   writes a part of a joint answer
 * @replies: (array length=n_replies) (nullable): the replies the reader
 *   sees (the registry sees all)
 * @n_replies: how many
 * @under_control: reopened on the applicant's disagreement, and not
 *   closed since
 *
 * The part of an appeal the rules look at. It points into the strings of
 * whatever it was read from (sa_appeal_state_init_from_json(), or the
 * registry's row); sa_appeal_state_apply() keeps the pointers it is given.
 */
typedef struct
{
  SaAppealStatus      status;
  SaPriority          priority;
  const char         *agency;
  const char         *executor;
  gint64              version;
  gint64              received_at;
  gint64              legal_due_at;
  const char * const *involved;
  const char * const *coexecutors;
  const SaReplyInfo  *replies;
  guint               n_replies;
  gboolean            under_control;
} SaAppealState;

gboolean        sa_appeal_state_init_from_json (SaAppealState     *state,
                                                JsonObject        *appeal);
void            sa_appeal_state_clear          (SaAppealState     *state);
const SaReplyInfo *sa_appeal_state_find_reply  (const SaAppealState *state,
                                                const char          *reply_id);
gboolean        sa_appeal_state_part_sent      (const SaAppealState *appeal,
                                                const char          *agency);
gint64          sa_appeal_notice_due           (JsonObject          *appeal);

gboolean        sa_op_validate_args          (SaOpType              type,
                                              JsonObject           *args,
                                              GError              **error);
gboolean        sa_actor_init_from_json      (SaActor              *actor,
                                              JsonObject           *user);
gboolean        sa_op_check                  (SaOpType              type,
                                              const SaActor        *actor,
                                              const SaAppealState  *appeal,
                                              JsonObject           *args,
                                              gint64                now,
                                              GError              **error);
gboolean        sa_appeal_state_apply        (SaAppealState        *state,
                                              SaOpType              type,
                                              const SaActor        *actor,
                                              JsonObject           *args,
                                              GError              **error);
JsonObject     *sa_op_history_payload        (SaOpType              type,
                                              const SaAppealState  *before,
                                              const SaAppealState  *after,
                                              JsonObject           *args);
void            sa_appeal_fold_op            (JsonObject           *appeal,
                                              SaOpType              type,
                                              const SaActor        *actor,
                                              JsonObject           *args,
                                              const char           *op_id,
                                              gint64                made_at);

/**
 * SaPendingOp:
 * @type: the op
 * @args: (nullable): its arguments
 * @op_id: the client-made UUID
 * @made_at: when the person made it, unix seconds
 *
 * An op waiting in a desk's outbox, as sa_appeal_fold_pending() folds it.
 */
typedef struct
{
  SaOpType    type;
  JsonObject *args;
  const char *op_id;
  gint64      made_at;
} SaPendingOp;

void            sa_appeal_fold_pending       (JsonObject           *appeal,
                                              const SaPendingOp    *ops,
                                              guint                 n_ops,
                                              const char           *login,
                                              const char           *agency);

GTimeZone      *sa_appeal_time_zone          (void);
gint64          sa_appeal_parse_time         (const char           *rfc3339);
char           *sa_appeal_format_time        (gint64                unix_seconds);

G_END_DECLS
