/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-registry-time"

#include "config.h"

#include "sa-calendar.h"
#include "sa-registry-store.h"
#include "sa-sla.h"

gint64
_sa_registry_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

GTimeZone *
_sa_registry_almaty (void)
{
  static GTimeZone *tz;
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GTimeZone *zone = g_time_zone_new_identifier ("Asia/Almaty");

      if (zone == NULL)
        {
          g_warning ("Time zone Asia/Almaty is not known to this system (tzdata missing?)");
          zone = g_time_zone_new_utc ();
        }
      tz = zone;
      g_once_init_leave (&once, 1);
    }
  return tz;
}

/* RFC 3339 in Almaty time with its offset, e.g. 2026-11-23T14:05:00+05:00. */
char *
_sa_registry_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return NULL;
  local = g_date_time_to_timezone (utc, _sa_registry_almaty ());
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

gboolean
_sa_registry_parse_time (const char *text,
                         gint64     *out)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return FALSE;
  /* RFC 3339 needs an offset: a bare local time would be ambiguous. */
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

static SaCalendar *
calendar (void)
{
  static SaCalendar *cal;

  /* The registry's state lives on the main thread; so does this. */
  if (cal == NULL)
    cal = sa_calendar_new_default ();
  return cal;
}

/* The legal deadline (APPK art. 76) from the core SLA engine. */
gint64
_sa_registry_legal_due (gint64 received_at)
{
  return sa_sla_legal_due (calendar (), received_at);
}

/* A supervisor's extension (APPK art. 76): checked against the two-month
 * cap by the core SLA engine, which also says by when the applicant must
 * be told. */
gboolean
_sa_registry_extend_legal_due (gint64   received_at,
                               gint64   requested_due,
                               gint64  *out_due,
                               GError **error)
{
  return sa_sla_extend_legal_due (calendar (), received_at, requested_due, out_due, error);
}

gint64
_sa_registry_extension_notify_by (gint64 extended_at)
{
  return sa_sla_extension_notify_by (calendar (), extended_at);
}

gboolean
_sa_registry_forward_is_late (gint64 received_at,
                              gint64 forwarded_at)
{
  return sa_sla_forward_is_late (calendar (), received_at, forwarded_at);
}

/* The operational resolution deadline from the category's regulation,
 * or 0 when the category is unknown. */
gint64
_sa_registry_operational_due (SaRegistryDb *db,
                              const char   *category,
                              gint64        received_at)
{
  SaRegulation reg = { 0 };

  if (!sa_store_category_regulation (db, category, &reg))
    return 0;
  return sa_sla_operational_due (calendar (), &reg, SA_SLA_TARGET_RESOLUTION, received_at,
                                 NULL, 0);
}
