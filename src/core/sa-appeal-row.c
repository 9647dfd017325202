/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-row"

#include "config.h"

#include "sa-appeal-row-private.h"

/**
 * SECTION:sa-appeal-row
 * @title: SaAppealRow
 * @short_description: what one line of the appeals list shows
 *
 * A snapshot of an appeal's list columns, made by #SaAppealList a page
 * at a time. A changed appeal gets a new row object (announced by
 * #GListModel::items-changed). When a query, filter or sort replaces what
 * a position shows, the row handed out for it is refilled in place and
 * emits #SaAppealRow::changed, so that a list view keeps its row widgets
 * and only binds them again.
 */

G_DEFINE_FINAL_TYPE (SaAppealRow, sa_appeal_row, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_REG_NUMBER,
  PROP_CATEGORY,
  PROP_CATEGORY_NAME,
  PROP_SPHERE,
  PROP_SUMMARY,
  PROP_ADDRESS,
  PROP_DISTRICT,
  PROP_DISTRICT_NAME,
  PROP_STATUS,
  PROP_PRIORITY,
  PROP_CHANNEL,
  PROP_EXECUTOR,
  PROP_IS_REPEAT,
  PROP_PENDING,
  PROP_OFFLINE_STATE,
  PROP_UNREAD,
  PROP_RECEIVED_AT,
  PROP_LEGAL_DUE_AT,
  PROP_OPERATIONAL_DUE_AT,
  PROP_NOTICE_DUE_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static guint changed_signal;
static gint n_live;

static void
sa_appeal_row_finalize (GObject *object)
{
  SaAppealRow *self = SA_APPEAL_ROW (object);

  g_free (self->id);
  g_free (self->reg_number);
  g_free (self->category);
  g_free (self->category_name);
  g_free (self->sphere);
  g_free (self->summary);
  g_free (self->address);
  g_free (self->district);
  g_free (self->district_name);
  g_free (self->status);
  g_free (self->channel);
  g_free (self->executor);
  g_atomic_int_dec_and_test (&n_live);

  G_OBJECT_CLASS (sa_appeal_row_parent_class)->finalize (object);
}

static void
sa_appeal_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SaAppealRow *self = SA_APPEAL_ROW (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_REG_NUMBER: g_value_set_string (value, self->reg_number); break;
    case PROP_CATEGORY: g_value_set_string (value, self->category); break;
    case PROP_CATEGORY_NAME: g_value_set_string (value, self->category_name); break;
    case PROP_SPHERE: g_value_set_string (value, self->sphere); break;
    case PROP_SUMMARY: g_value_set_string (value, self->summary); break;
    case PROP_ADDRESS: g_value_set_string (value, self->address); break;
    case PROP_DISTRICT: g_value_set_string (value, self->district); break;
    case PROP_DISTRICT_NAME: g_value_set_string (value, self->district_name); break;
    case PROP_STATUS: g_value_set_string (value, self->status); break;
    case PROP_PRIORITY: g_value_set_string (value, self->priority); break;
    case PROP_CHANNEL: g_value_set_string (value, self->channel); break;
    case PROP_EXECUTOR: g_value_set_string (value, self->executor); break;
    case PROP_IS_REPEAT: g_value_set_boolean (value, self->is_repeat); break;
    case PROP_PENDING: g_value_set_boolean (value, sa_appeal_row_get_pending (self)); break;
    case PROP_OFFLINE_STATE: g_value_set_int (value, self->offline_state); break;
    case PROP_UNREAD: g_value_set_boolean (value, self->unread); break;
    case PROP_RECEIVED_AT: g_value_set_int64 (value, self->received_at); break;
    case PROP_LEGAL_DUE_AT: g_value_set_int64 (value, self->legal_due_at); break;
    case PROP_OPERATIONAL_DUE_AT: g_value_set_int64 (value, self->operational_due_at); break;
    case PROP_NOTICE_DUE_AT: g_value_set_int64 (value, self->notice_due_at); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_appeal_row_class_init (SaAppealRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const char * const strings[] = {
    NULL, "id", "reg-number", "category", "category-name", "sphere", "summary", "address",
    "district", "district-name", "status", "priority", "channel", "executor",
  };
  static const char * const times[] = { "received-at", "legal-due-at", "operational-due-at",
                                          "notice-due-at" };
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sa_appeal_row_finalize;
  object_class->get_property = sa_appeal_row_get_property;

  /**
   * SaAppealRow::changed:
   * @self: the row
   *
   * The row now shows another appeal (or the same one anew): read it again.
   */
  changed_signal = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);

  for (guint i = PROP_ID; i <= PROP_EXECUTOR; i++)
    properties[i] = g_param_spec_string (strings[i], NULL, NULL, NULL, flags);
  properties[PROP_IS_REPEAT] = g_param_spec_boolean ("is-repeat", NULL, NULL, FALSE, flags);
  /* Local changes wait in the outbox, or a conflict or rejection waits for
   * the user: the row shows a mark. */
  properties[PROP_PENDING] = g_param_spec_boolean ("pending", NULL, NULL, FALSE, flags);
  properties[PROP_OFFLINE_STATE] = g_param_spec_int ("offline-state", NULL, NULL,
                                                     SA_OFFLINE_SYNCED, SA_OFFLINE_REJECTED,
                                                     SA_OFFLINE_SYNCED, flags);
  properties[PROP_UNREAD] = g_param_spec_boolean ("unread", NULL, NULL, FALSE, flags);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    properties[PROP_RECEIVED_AT + i] = g_param_spec_int64 (times[i], NULL, NULL, 0, G_MAXINT64,
                                                           0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sa_appeal_row_init (SaAppealRow *self)
{
  g_atomic_int_inc (&n_live);
}

SaAppealRow *
_sa_appeal_row_new (void)
{
  return g_object_new (SA_TYPE_APPEAL_ROW, NULL);
}

guint
_sa_appeal_row_get_n_live (void)
{
  return g_atomic_int_get (&n_live);
}

#define GETTER(type, name, expr)                             \
  type                                                       \
  sa_appeal_row_get_##name (SaAppealRow *self)               \
  {                                                          \
    g_return_val_if_fail (SA_IS_APPEAL_ROW (self), 0);       \
    return expr;                                             \
  }

/**
 * sa_appeal_row_get_id: (skip)
 * @self: a row
 *
 * The getters below return the row's fields; strings may be %NULL, times
 * are unix seconds (0 when unknown).
 */
GETTER (const char *, id, self->id)
GETTER (const char *, reg_number, self->reg_number)
GETTER (const char *, category, self->category)
GETTER (const char *, category_name, self->category_name)
GETTER (const char *, summary, self->summary)
GETTER (const char *, address, self->address)
GETTER (const char *, district, self->district)
GETTER (const char *, district_name, self->district_name)
GETTER (const char *, sphere, self->sphere)
GETTER (const char *, status, self->status)
GETTER (const char *, priority, self->priority)
GETTER (const char *, channel, self->channel)
GETTER (const char *, executor, self->executor)
GETTER (gboolean, is_repeat, self->is_repeat)
GETTER (gboolean, pending, self->offline_state != SA_OFFLINE_SYNCED)
GETTER (SaOfflineState, offline_state, self->offline_state)
GETTER (gboolean, unread, self->unread)
GETTER (gint64, received_at, self->received_at)
GETTER (gint64, legal_due_at, self->legal_due_at)
GETTER (gint64, operational_due_at, self->operational_due_at)
GETTER (gint64, notice_due_at, self->notice_due_at)

void
_sa_appeal_row_refill (SaAppealRow *self,
                       SaAppealRow *src)
{
#define TAKE(field) G_STMT_START { g_free (self->field); self->field = g_steal_pointer (&src->field); } G_STMT_END
  self->rid = src->rid;
  TAKE (id);
  TAKE (reg_number);
  TAKE (category);
  TAKE (category_name);
  TAKE (sphere);
  TAKE (summary);
  TAKE (address);
  TAKE (district);
  TAKE (district_name);
  TAKE (status);
  TAKE (channel);
  TAKE (executor);
#undef TAKE
  self->priority = src->priority;
  self->is_repeat = src->is_repeat;
  self->unread = src->unread;
  self->offline_state = src->offline_state;
  self->received_at = src->received_at;
  self->legal_due_at = src->legal_due_at;
  self->operational_due_at = src->operational_due_at;
  self->notice_due_at = src->notice_due_at;
  g_signal_emit (self, changed_signal, 0);
}
