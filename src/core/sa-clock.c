/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-clock"

#include "config.h"

#include "sa-clock.h"

/* One clock for every countdown in the client. A row does not tick every
 * second: it asks to be woken at the instant its text would change (see
 * sa_sla_countdown_next_change()), and the clock keeps a single GSource
 * timed to the earliest such instant. A list of a thousand appeals showing
 * "2 d 4 h" thus wakes the process once an hour, not a thousand times a
 * second. */

struct _SaClock
{
  GObject         parent_instance;

  SaClockNowFunc  now_func;
  gpointer        now_data;
  GDestroyNotify  now_destroy;

  GArray         *requests;   /* gint64 usec, sorted, no duplicates */
  GSource        *source;
};

G_DEFINE_TYPE (SaClock, sa_clock, G_TYPE_OBJECT)

enum {
  TICK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
real_now (gpointer user_data)
{
  return g_get_real_time ();
}

static void
sa_clock_dispose (GObject *object)
{
  SaClock *self = (SaClock *)object;

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }

  G_OBJECT_CLASS (sa_clock_parent_class)->dispose (object);
}

static void
sa_clock_finalize (GObject *object)
{
  SaClock *self = (SaClock *)object;

  if (self->now_destroy != NULL)
    self->now_destroy (self->now_data);
  g_clear_pointer (&self->requests, g_array_unref);

  G_OBJECT_CLASS (sa_clock_parent_class)->finalize (object);
}

static void
sa_clock_class_init (SaClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sa_clock_dispose;
  object_class->finalize = sa_clock_finalize;

  /**
   * SaClock::tick:
   * @self: the clock
   * @now_usec: the present, unix microseconds
   *
   * Emitted once when one or more requested instants have come. The
   * requests it serves are dropped before the emission; handlers refresh
   * their text and ask for their next wakeup.
   */
  signals[TICK] = g_signal_new ("tick",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
sa_clock_init (SaClock *self)
{
  self->now_func = real_now;
  self->requests = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/**
 * sa_clock_new:
 *
 * Returns: (transfer full): a clock on the system's wall-clock time
 */
SaClock *
sa_clock_new (void)
{
  return g_object_new (SA_TYPE_CLOCK, NULL);
}

/**
 * sa_clock_new_with_now_func:
 * @now_func: returns the present in unix microseconds
 * @user_data: data for @now_func
 * @destroy: (nullable): frees @user_data with the clock
 *
 * A clock that reads the time from @now_func; tests use it to move time
 * without sleeping.
 *
 * Returns: (transfer full): a new clock
 */
SaClock *
sa_clock_new_with_now_func (SaClockNowFunc now_func,
                            gpointer       user_data,
                            GDestroyNotify destroy)
{
  SaClock *self;

  g_return_val_if_fail (now_func != NULL, NULL);

  self = g_object_new (SA_TYPE_CLOCK, NULL);
  self->now_func = now_func;
  self->now_data = user_data;
  self->now_destroy = destroy;
  return self;
}

/**
 * sa_clock_get_default:
 *
 * The clock the client's countdowns share.
 *
 * Returns: (transfer none): the shared clock
 */
SaClock *
sa_clock_get_default (void)
{
  static SaClock *default_clock;

  if (g_once_init_enter (&default_clock))
    g_once_init_leave (&default_clock, sa_clock_new ());
  return default_clock;
}

/**
 * sa_clock_get_now:
 * @self: a #SaClock
 *
 * Returns: the present by this clock, unix microseconds
 */
gint64
sa_clock_get_now (SaClock *self)
{
  g_return_val_if_fail (SA_IS_CLOCK (self), 0);

  return self->now_func (self->now_data);
}

static gboolean
source_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs source_funcs = {
  NULL, NULL, source_dispatch, NULL, NULL, NULL,
};

static gboolean
on_source_ready (gpointer user_data)
{
  sa_clock_check (SA_CLOCK (user_data));
  return G_SOURCE_CONTINUE;
}

/* Times the one source to the earliest request, or idles it. */
static void
rearm (SaClock *self)
{
  gint64 delay;

  if (self->requests->len == 0)
    {
      if (self->source != NULL)
        g_source_set_ready_time (self->source, -1);
      return;
    }

  if (self->source == NULL)
    {
      self->source = g_source_new (&source_funcs, sizeof (GSource));
      g_source_set_name (self->source, "[sa-clock]");
      g_source_set_callback (self->source, on_source_ready, self, NULL);
      g_source_attach (self->source, g_main_context_get_thread_default ());
    }

  /* Ready times are on the monotonic clock; requests on the wall clock. */
  delay = g_array_index (self->requests, gint64, 0) - sa_clock_get_now (self);
  g_source_set_ready_time (self->source, g_get_monotonic_time () + MAX (delay, 0));
}

/**
 * sa_clock_request_wakeup:
 * @self: a #SaClock
 * @when_usec: unix microseconds at which the caller's text changes
 *
 * Asks for one #SaClock::tick at or soon after @when_usec. Requests for the
 * same instant are merged; one in the past ticks at the next main loop
 * iteration.
 */
void
sa_clock_request_wakeup (SaClock *self,
                         gint64   when_usec)
{
  guint lo = 0, hi;

  g_return_if_fail (SA_IS_CLOCK (self));

  hi = self->requests->len;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (self->requests, gint64, mid) < when_usec)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < self->requests->len && g_array_index (self->requests, gint64, lo) == when_usec)
    return;

  g_array_insert_val (self->requests, lo, when_usec);
  if (lo == 0)
    rearm (self);
}

/**
 * sa_clock_get_next_wakeup:
 * @self: a #SaClock
 *
 * Returns: the earliest pending request in unix microseconds, or -1
 */
gint64
sa_clock_get_next_wakeup (SaClock *self)
{
  g_return_val_if_fail (SA_IS_CLOCK (self), -1);

  if (self->requests->len == 0)
    return -1;
  return g_array_index (self->requests, gint64, 0);
}

/**
 * sa_clock_get_n_requests:
 * @self: a #SaClock
 *
 * Returns: how many distinct instants are waited for
 */
guint
sa_clock_get_n_requests (SaClock *self)
{
  g_return_val_if_fail (SA_IS_CLOCK (self), 0);

  return self->requests->len;
}

/**
 * sa_clock_check:
 * @self: a #SaClock
 *
 * Reads the time now, ticks once if any request has come, and re-times the
 * source. The source calls it; call it too when the wall clock may have
 * jumped (resume from suspend), since the source waits on monotonic time.
 */
void
sa_clock_check (SaClock *self)
{
  gint64 now;
  guint served = 0;

  g_return_if_fail (SA_IS_CLOCK (self));

  now = sa_clock_get_now (self);
  while (served < self->requests->len && g_array_index (self->requests, gint64, served) <= now)
    served++;

  if (served > 0)
    {
      g_array_remove_range (self->requests, 0, served);
      g_object_ref (self);
      g_signal_emit (self, signals[TICK], 0, now);
      rearm (self);
      g_object_unref (self);
    }
  else
    {
      rearm (self);
    }
}
