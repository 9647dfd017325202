/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-list"

#include "config.h"

#include "sa-appeal-list-private.h"
#include "sa-appeal-model.h"
#include "sa-cache-private.h"
#include "sa-sla.h"

/* The list's query: the section, filters, full-text search and order
 * in one statement that returns the rids; the sidebar's counts. */

/**
 * sa_appeal_list_build_fts_query:
 * @text: what the user typed
 *
 * Turns typed words into an FTS5 expression: each word a quoted phrase
 * (so that no typed character is FTS5 syntax) matched as a prefix, all
 * words required. A word like "2026-0001" becomes the phrase
 * `"2026-0001"*`, whose tokens must follow each other.
 *
 * Returns: (transfer full) (nullable): the expression, or %NULL if @text
 *   has no letters or digits
 */
char *
sa_appeal_list_build_fts_query (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) words = NULL;

  if (text == NULL)
    return NULL;
  words = g_strsplit_set (text, " \t\r\n\"", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean has_alnum = FALSE;

      if (!g_utf8_validate (words[i], -1, NULL))
        continue;
      for (const char *p = words[i]; *p != '\0' && !has_alnum; p = g_utf8_next_char (p))
        has_alnum = g_unichar_isalnum (g_utf8_get_char (p));
      if (!has_alnum)
        continue;
      g_string_append_printf (out, "%s\"%s\"*", out->len > 0 ? " " : "", words[i]);
    }
  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static gint64
list_now (SaAppealList *self)
{
  return self->now != 0 ? self->now : g_get_real_time () / G_USEC_PER_SEC;
}

/* Each section's condition, written once from the appeal model's status
 * sets; the list's queries and the sidebar's counts both use it. An open
 * appeal here is one whose clock still runs. */
static const char *
section_sql (SaAppealSection section)
{
  static char *conditions[SA_APPEAL_N_SECTIONS];
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      const char *running = sa_status_set_sql (SA_STATUS_SET_CLOCK_RUNNING);

      conditions[SA_APPEAL_SECTION_MINE] =
        g_strconcat ("a.executor = :login AND a.status IN ", running, NULL);
      conditions[SA_APPEAL_SECTION_QUEUE] =
        g_strconcat ("a.executor IS NULL AND a.status IN ", running,
                     " AND (:agency = '' OR a.agency = :agency)", NULL);
      /* A reply of the user's agency, waiting for a supervisor who is
       * not its author (four eyes: sa_op_check()). */
      conditions[SA_APPEAL_SECTION_REVIEW] =
        g_strdup ("a.rid IN (SELECT r.appeal_rid FROM awaiting_replies r"
                  " WHERE r.agency = :agency AND r.author IS NOT :login)");
      conditions[SA_APPEAL_SECTION_CONTROL] =
        g_strdup ("a.rid IN (SELECT m.rid FROM appeal_marks m WHERE m.under_control = 1)"
                  " AND (:agency = '' OR a.agency = :agency)");
      conditions[SA_APPEAL_SECTION_VERDICT] =
        g_strdup_printf ("a.status = '%s'",
                         sa_appeal_status_to_string (SA_APPEAL_STATUS_ANSWERED));
      conditions[SA_APPEAL_SECTION_WAITING] =
        g_strdup_printf ("a.status = '%s'",
                         sa_appeal_status_to_string (SA_APPEAL_STATUS_INFO_REQUESTED));
      conditions[SA_APPEAL_SECTION_OVERDUE] =
        /* Past its due second, as sa_sla_traffic_light() says overdue. */
        g_strconcat ("a.status IN ", running, " AND a.sla_due_at < :now", NULL);
      conditions[SA_APPEAL_SECTION_ANSWERED] =
        g_strconcat ("a.status IN ", sa_status_set_sql (SA_STATUS_SET_DONE), NULL);
      conditions[SA_APPEAL_SECTION_ALL] = g_strdup ("1");
      g_once_init_leave (&once, 1);
    }
  g_return_val_if_fail (section < SA_APPEAL_N_SECTIONS, "1");
  return conditions[section];
}

/* Answered appeals owe no deadline: in "Waiting for the verdict" the
 * nearest deadline first means the applicant who has waited longest for
 * the call first. */
static const char *
order_by (SaAppealList *self)
{
  if (self->section == SA_APPEAL_SECTION_VERDICT && self->sort == SA_APPEAL_SORT_DEADLINE)
    return " ORDER BY (SELECT m.answered_at FROM appeal_marks m WHERE m.rid = a.rid), a.rid";
  switch (self->sort)
    {
    case SA_APPEAL_SORT_RECEIVED:
      return " ORDER BY a.received_at DESC, a.rid";
    case SA_APPEAL_SORT_PRIORITY:
      return " ORDER BY a.priority DESC, a.sla_due_at, a.rid";
    case SA_APPEAL_SORT_DEADLINE:
    default:
      return " ORDER BY a.sla_due_at, a.rid";
    }
}

/* The SQL text depends only on the shape of the filter (which parts are
 * set, how many statuses); values are bound, so a handful of prepared
 * statements serve every query. */
static char *
build_sql (SaAppealList *self)
{
  GString *sql = g_string_new ("SELECT a.rid FROM appeals a WHERE ");

  g_string_append (sql, section_sql (self->section));
  if (self->statuses != NULL && self->statuses[0] != NULL)
    {
      g_string_append (sql, " AND a.status IN (");
      for (guint i = 0; self->statuses[i] != NULL; i++)
        g_string_append_printf (sql, "%s:s%u", i > 0 ? ", " : "", i);
      g_string_append_c (sql, ')');
    }
  if (self->category != NULL)
    g_string_append (sql, " AND a.category = :category");
  if (self->district != NULL)
    g_string_append (sql, " AND a.district = :district");
  if (self->channel != NULL)
    g_string_append (sql, " AND a.channel = :channel");
  if (self->executor != NULL)
    g_string_append_printf (sql, " AND a.executor = :executor AND a.status IN %s",
                            sa_status_set_sql (SA_STATUS_SET_CLOCK_RUNNING));
  if (self->sla_mask != 0)
    /* The traffic light of sa_sla_traffic_light_with_notice(), in SQL;
     * only appeals whose clock runs have one. A late notice of extension
     * is red unless overdue (sa_sla_notice_is_late()). */
    g_string_append_printf (sql, " AND a.status IN %s"
                                 " AND ((1 << CASE WHEN a.sla_due_at != 9223372036854775807"
                                 "  AND a.sla_due_at < :now THEN 3"
                                 " WHEN a.rid IN (SELECT n.rid FROM appeal_notices n"
                                 "  WHERE n.notify_by < :now) THEN 2"
                                 " WHEN a.sla_due_at = 9223372036854775807 THEN 0"
                                 " WHEN (a.sla_due_at - :now) * 100"
                                 "  < :red * (a.sla_due_at - a.received_at) THEN 2"
                                 " WHEN (a.sla_due_at - :now) * 100"
                                 "  < :yellow * (a.sla_due_at - a.received_at) THEN 1"
                                 " ELSE 0 END) & :mask) != 0",
                            sa_status_set_sql (SA_STATUS_SET_CLOCK_RUNNING));
  g_string_append (sql, order_by (self));
  return g_string_free (sql, FALSE);
}

static void
bind_named_text (sqlite3_stmt *stmt,
                 const char   *name,
                 const char   *value)
{
  int i = sqlite3_bind_parameter_index (stmt, name);

  if (i > 0)
    sqlite3_bind_text (stmt, i, value != NULL ? value : "", -1, SQLITE_TRANSIENT);
}

static void
bind_named_int (sqlite3_stmt *stmt,
                const char   *name,
                gint64        value)
{
  int i = sqlite3_bind_parameter_index (stmt, name);

  if (i > 0)
    sqlite3_bind_int64 (stmt, i, value);
}

/* Binds what the statement names; call with the reader locked. */
static void
bind_common (SaAppealList *self,
             sqlite3_stmt *stmt,
             const char   *login,
             const char   *agency)
{
  SaSlaThresholds t;

  sa_sla_thresholds_init_default (&t);
  bind_named_text (stmt, ":login", login);
  bind_named_text (stmt, ":agency", agency);
  bind_named_int (stmt, ":now", list_now (self));
  bind_named_int (stmt, ":yellow", t.yellow_below_percent);
  bind_named_int (stmt, ":red", t.red_below_percent);
}

static GArray *
run_base_query (SaAppealList  *self,
                gint64        *out_max_rid,
                GError       **error)
{
  g_autofree char *sql = build_sql (self);
  g_autofree char *login = sa_cache_dup_login (self->cache);
  g_autofree char *agency = sa_cache_dup_agency (self->cache);
  g_autoptr(GArray) rids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 1024);
  sqlite3_stmt *stmt;
  int rc;

  _sa_cache_reader_lock (self->cache);
  stmt = _sa_cache_reader_prepare (self->cache, sql, error);
  if (stmt == NULL)
    {
      _sa_cache_reader_unlock (self->cache);
      return NULL;
    }
  bind_common (self, stmt, login, agency);
  for (guint i = 0; self->statuses != NULL && self->statuses[i] != NULL; i++)
    {
      char name[16];

      g_snprintf (name, sizeof name, ":s%u", i);
      bind_named_text (stmt, name, self->statuses[i]);
    }
  bind_named_text (stmt, ":category", self->category);
  bind_named_text (stmt, ":district", self->district);
  bind_named_text (stmt, ":channel", self->channel);
  bind_named_text (stmt, ":executor", self->executor);
  bind_named_int (stmt, ":mask", self->sla_mask);
  *out_max_rid = 0;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rids, rid);
      *out_max_rid = MAX (*out_max_rid, rid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    _sa_cache_set_error (self->cache, TRUE, error, "Could not list the appeals");
  _sa_cache_reader_unlock (self->cache);
  return rc == SQLITE_DONE ? g_steal_pointer (&rids) : NULL;
}

/* The full-text part: FTS5 finds the matching rids (in rowid order,
 * straight from its doclists), and the ordered, filtered list keeps those
 * in a bitset. Joining the two inside one SQLite statement made it build
 * a temporary index of every match on each keystroke: 60 ms for a prefix
 * that matches all 100,000 appeals, against 15 ms this way. */
static GArray *
fts_filter (SaAppealList  *self,
            GError       **error)
{
  g_autofree guint8 *bits = g_malloc0 (self->base_max_rid / 8 + 1);
  g_autoptr(GArray) rids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 1024);
  sqlite3_stmt *stmt;
  int rc;

  _sa_cache_reader_lock (self->cache);
  stmt = _sa_cache_reader_prepare (self->cache, "SELECT rowid FROM appeals_fts"
                                                " WHERE appeals_fts MATCH ?1", error);
  if (stmt == NULL)
    {
      _sa_cache_reader_unlock (self->cache);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, self->fts, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);

      if (rid >= 0 && rid <= self->base_max_rid)
        bits[rid / 8] |= 1 << (rid % 8);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    _sa_cache_set_error (self->cache, TRUE, error, "Could not search the appeals");
  _sa_cache_reader_unlock (self->cache);
  if (rc != SQLITE_DONE)
    return NULL;

  for (guint i = 0; i < self->base_rids->len; i++)
    {
      gint64 rid = g_array_index (self->base_rids, gint64, i);

      if (bits[rid / 8] & (1 << (rid % 8)))
        g_array_append_val (rids, rid);
    }
  return g_steal_pointer (&rids);
}

GArray *
_sa_appeal_list_run_query (SaAppealList  *self,
                           gboolean       data_changed,
                           GError       **error)
{
  if (data_changed || self->base_rids == NULL)
    {
      g_clear_pointer (&self->base_rids, g_array_unref);
      self->base_rids = run_base_query (self, &self->base_max_rid, error);
      if (self->base_rids == NULL)
        return NULL;
    }
  if (self->fts != NULL)
    return fts_filter (self, error);
  return g_array_ref (self->base_rids);
}

/**
 * sa_appeal_list_get_section_counts:
 * @self: a #SaAppealList
 * @counts: (out caller-allocates) (array fixed-size=9): the count per #SaAppealSection
 * @error: return location for a #GError
 *
 * Counts every sidebar section in one query over a covering index.
 *
 * Returns: %TRUE on success
 */
/* One sub-select per section, each a range of an index, rather than one
 * scan that tests every row six times (44 ms at 100k). */
static const char *
section_counts_sql (void)
{
  static char *sql;

  if (g_once_init_enter (&sql))
    {
      GString *s = g_string_new ("SELECT ");

      for (guint i = 0; i < SA_APPEAL_N_SECTIONS; i++)
        g_string_append_printf (s, "%s(SELECT count (*) FROM appeals a WHERE %s)",
                                i > 0 ? ", " : "", section_sql (i));
      g_once_init_leave (&sql, g_string_free (s, FALSE));
    }
  return sql;
}

gboolean
sa_appeal_list_get_section_counts (SaAppealList  *self,
                                   guint          counts[SA_APPEAL_N_SECTIONS],
                                   GError       **error)
{
  g_autofree char *login = NULL;
  g_autofree char *agency = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (SA_IS_APPEAL_LIST (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  login = sa_cache_dup_login (self->cache);
  agency = sa_cache_dup_agency (self->cache);
  _sa_cache_reader_lock (self->cache);
  stmt = _sa_cache_reader_prepare (self->cache, section_counts_sql (), error);
  if (stmt != NULL)
    {
      bind_common (self, stmt, login, agency);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (guint i = 0; i < SA_APPEAL_N_SECTIONS; i++)
            counts[i] = sqlite3_column_int64 (stmt, i);
          ok = TRUE;
        }
      else
        _sa_cache_set_error (self->cache, TRUE, error, "Could not count the appeals");
      sqlite3_reset (stmt);
    }
  _sa_cache_reader_unlock (self->cache);
  return ok;
}

/**
 * sa_appeal_list_count_by_executor:
 * @self: a #SaAppealList
 * @error: return location for a #GError
 *
 * Returns: (transfer full): login → open appeals it works on (as
 *   GUINT_TO_POINTER), for the supervisor's list of executors
 */
static const char *
executor_counts_sql (void)
{
  static char *sql;

  if (g_once_init_enter (&sql))
    g_once_init_leave (&sql, g_strdup_printf ("SELECT a.executor, count (*) FROM appeals a"
                                              " WHERE a.executor IS NOT NULL AND a.status IN %s"
                                              " GROUP BY a.executor",
                                              sa_status_set_sql (SA_STATUS_SET_CLOCK_RUNNING)));
  return sql;
}

GHashTable *
sa_appeal_list_count_by_executor (SaAppealList  *self,
                                  GError       **error)
{
  g_autoptr(GHashTable) counts = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SA_IS_APPEAL_LIST (self), NULL);

  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  _sa_cache_reader_lock (self->cache);
  stmt = _sa_cache_reader_prepare (self->cache,
                                   executor_counts_sql (), error);
  if (stmt == NULL)
    {
      _sa_cache_reader_unlock (self->cache);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (counts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GUINT_TO_POINTER ((guint) sqlite3_column_int64 (stmt, 1)));
  if (rc != SQLITE_DONE)
    _sa_cache_set_error (self->cache, TRUE, error, "Could not count the executors' appeals");
  sqlite3_reset (stmt);
  _sa_cache_reader_unlock (self->cache);
  return rc == SQLITE_DONE ? g_steal_pointer (&counts) : NULL;
}
