/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-demo-data"

#include "config.h"

#include "sa-demo-data-private.h"

/* Almaty's clock for the demo: its offset, civil dates, the heating
 * season, and when an appeal came in over the half year before now. */

/* ────────────────────────────── Time ───────────────────────────────── */

#define DEMO_SPAN_DAYS 183

static gpointer
load_almaty (gpointer data)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Almaty");

  /* Without tzdata the demo still works, with appeals timed in UTC. */
  return tz != NULL ? tz : g_time_zone_new_utc ();
}

static GTimeZone *
almaty_tz (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_almaty, NULL);
}

gint32
_sa_demo_almaty_offset (gint64 t)
{
  GTimeZone *tz = almaty_tz ();
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, t);

  return interval >= 0 ? g_time_zone_get_offset (tz, interval) : 0;
}

/* Days since 1970-01-01 to a civil month and day (H. Hinnant's algorithm). */
void
_sa_demo_civil_from_days (gint64  days,
                          guint  *month,
                          guint  *day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  guint doe = (guint) (z - era * 146097);
  guint yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  guint doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  guint mp = (5 * doy + 2) / 153;

  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
}

gboolean
_sa_demo_in_heating_season (guint month,
                            guint day)
{
  return month >= 11 || month <= 3 || (month == 10 && day >= 15) || (month == 4 && day <= 15);
}

/* When an appeal came in: over the half year before @now, more of them
 * recently, mostly on working days in working hours (emergencies at any
 * hour), heating in the heating season and hot-water outages in summer. */
gint64
_sa_demo_pick_received_at (Rng                      *rng,
                           gint64                    now,
                           const SaDemoCategoryText *text)
{
  gint64 t = now;
  /* Out of season only when the half year before @now has (almost) none. */
  guint attempts = (text->flags & SA_DEMO_CAT_SEASON) != 0 ? 16 : 4;

  for (guint attempt = 0; attempt < attempts; attempt++)
    {
      double u = rng_unit (rng);
      guint age = (guint) (DEMO_SPAN_DAYS * (0.3 * u + 0.7 * u * u));
      gint64 base = now - (gint64) age * DAY;
      gint32 offset = _sa_demo_almaty_offset (base);
      gint64 local_day = (base + offset) / DAY;
      guint weekday = (guint) ((local_day + 3) % 7);  /* 0 is Monday */
      guint month, mday;
      guint second;

      _sa_demo_civil_from_days (local_day, &month, &mday);
      if ((text->flags & SA_DEMO_CAT_SEASON) != 0 && !_sa_demo_in_heating_season (month, mday) &&
          attempt + 1 < attempts)
        continue;
      if ((text->flags & SA_DEMO_CAT_SUMMER) != 0 && (month < 5 || month > 9) && attempt < 1)
        continue;
      if ((text->flags & SA_DEMO_CAT_SPRING) != 0 && (month < 4 || month > 6) && attempt < 1)
        continue;

      if ((text->flags & SA_DEMO_CAT_ANY_HOUR) != 0)
        second = rng_below (rng, DAY);
      else if (weekday < 5 && rng_percent (rng, 75))
        second = rng_range (rng, 9 * 3600, 18 * 3600 - 1);
      else if (weekday >= 5 && attempt + 2 < attempts && rng_percent (rng, 60))
        continue;  /* fewer appeals at weekends */
      else
        second = rng_range (rng, 7 * 3600, 23 * 3600 - 1);

      t = local_day * DAY + second - offset;
      break;
    }

  /* Today's appeals: not later than now. */
  if (t > now)
    t = now - rng_range (rng, 60, 3 * 3600);
  return t;
}
