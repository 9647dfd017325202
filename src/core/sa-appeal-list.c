/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-list"

#include "config.h"

#include <string.h>

#include "sa-appeal-list-private.h"
#include "sa-appeal-model.h"
#include "sa-appeal-row-private.h"
#include "sa-cache-private.h"
#include "sa-sla.h"

/**
 * SECTION:sa-appeal-list
 * @title: SaAppealList
 * @short_description: the appeals list, filtered, searched and sorted by SQLite
 *
 * A #GListModel of #SaAppealRow. SQLite evaluates the section, the
 * filters, the full-text query and the order in one statement that
 * returns only the row ids (`rid`), in order: 8 bytes a row, 800 KB for
 * 100,000 appeals. Its length is the count; rows are built on demand a
 * page of %PAGE_SIZE at a time, and at most %MAX_PAGES pages are kept
 * (least recently used first out), so scrolling through 100,000 appeals
 * never holds more than a few hundred row objects.
 *
 * After the cache changes, the list runs its statement again and
 * compares the old and new id lists (common prefix and suffix, then
 * Myers' O(ND) diff up to %DIFF_MAX_D edits), announcing each inserted or
 * removed run and each changed row in place as its own
 * #GListModel::items-changed, in ascending order.
 */

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SaAppealList, sa_appeal_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum
{
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static guint refilled_signal;

void
_sa_appeal_list_notify_n_items (SaAppealList *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

void
_sa_appeal_list_emit_refilled (SaAppealList *self)
{
  g_signal_emit (self, refilled_signal, 0);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->rows);
  g_free (page);
}

void
_sa_appeal_list_drop_pages (SaAppealList *self)
{
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->pages);
}

/* Forgets the handed-out rows nobody else holds any more (@extra: the
 * references the caller knows of besides the table's, e.g. a page's). */
void
_sa_appeal_list_forget_handed (SaAppealList *self,
                               guint         first,
                               guint         end,
                               guint         extra)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->handed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint pos = GPOINTER_TO_UINT (key);

      if (pos >= first && pos < end &&
          g_atomic_int_get (&G_OBJECT (value)->ref_count) <= (gint) (1 + extra))
        g_hash_table_iter_remove (&iter);
    }
}

/* After items-changed (@pos, @removed, @added): the handed-out rows move
 * with their positions. */
static void
shift_handed (SaAppealList *self,
              guint         pos,
              guint         removed,
              guint         added)
{
  g_autoptr(GHashTable) moved = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (self->handed) == 0 || (removed == 0 && added == 0))
    return;
  moved = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  g_hash_table_iter_init (&iter, self->handed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint p = GPOINTER_TO_UINT (key);

      if (p < pos)
        g_hash_table_insert (moved, key, g_object_ref (value));
      else if (p >= pos + removed)
        g_hash_table_insert (moved, GUINT_TO_POINTER (p - removed + added), g_object_ref (value));
    }
  g_hash_table_remove_all (self->handed);
  g_hash_table_iter_init (&iter, moved);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (self->handed, key, g_object_ref (value));
}

/* ------------------------------------------------------------------ */
/* GListModel */

static GType
sa_appeal_list_get_item_type (GListModel *model)
{
  return SA_TYPE_APPEAL_ROW;
}

static guint
sa_appeal_list_get_n_items (GListModel *model)
{
  return SA_APPEAL_LIST (model)->announced;
}

static const char *
priority_name (int rank)
{
  /* The cache stores the rank, which is the priority's value. */
  return sa_priority_to_string (CLAMP (rank, SA_PRIORITY_LOW, SA_PRIORITY_CRITICAL));
}

static char *
first_line (const char *text)
{
  const char *end;
  glong n;

  if (text == NULL)
    return NULL;
  while (*text == ' ' || *text == '\n' || *text == '\r' || *text == '\t')
    text++;
  end = strpbrk (text, "\r\n");
  n = g_utf8_strlen (text, end != NULL ? end - text : -1);
  /* A list row shows one line; the rest is the detail view's. */
  return g_utf8_substring (text, 0, MIN (n, 200));
}

char *
_sa_appeal_list_column_dup (sqlite3_stmt *stmt,
                            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static gint64
column_time (sqlite3_stmt *stmt,
             int           col)
{
  gint64 t = sqlite3_column_int64 (stmt, col);

  return sqlite3_column_type (stmt, col) == SQLITE_NULL || t == SA_CACHE_NO_DUE ? 0 : t;
}

static Page *
fetch_page (SaAppealList *self,
            guint         index)
{
  g_autoptr(GHashTable) by_rid = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                        g_object_unref);
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GError) error = NULL;
  guint start = index * PAGE_SIZE;
  guint end = MIN (start + PAGE_SIZE, self->rids->len);
  Page *page;
  sqlite3_stmt *stmt;

  for (guint i = start; i < end; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > start ? "," : "",
                            g_array_index (self->rids, gint64, i));
  g_string_append_c (json, ']');

  _sa_cache_reader_lock (self->cache);
  stmt = _sa_cache_reader_prepare (self->cache,
                                   "SELECT a.rid, a.id, a.reg_number, a.category,"
                                   " CASE WHEN ?2 = 'kk' THEN COALESCE (c.name_kk, c.name_ru)"
                                   "  ELSE COALESCE (c.name_ru, c.name_kk) END,"
                                   " a.text, a.address_text, a.district,"
                                   " CASE WHEN ?2 = 'kk' THEN COALESCE (d.name_kk, d.name_ru)"
                                   "  ELSE COALESCE (d.name_ru, d.name_kk) END,"
                                   " a.status, a.priority, a.channel, a.executor, a.is_repeat,"
                                   " a.offline_state, a.opened, a.received_at, a.legal_due_at,"
                                   " a.op_due_at, json_extract (c.json, '$.sphere')"
                                   " FROM appeals a"
                                   " LEFT JOIN categories c ON c.code = a.category"
                                   " LEFT JOIN districts d ON d.code = a.district"
                                   " WHERE a.rid IN (SELECT value FROM json_each (?1))", &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, json->str, json->len, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, self->language, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          SaAppealRow *row = _sa_appeal_row_new ();

          row->rid = sqlite3_column_int64 (stmt, 0);
          row->id = _sa_appeal_list_column_dup (stmt, 1);
          row->reg_number = _sa_appeal_list_column_dup (stmt, 2);
          row->category = _sa_appeal_list_column_dup (stmt, 3);
          row->category_name = _sa_appeal_list_column_dup (stmt, 4);
          if (row->category_name == NULL)
            row->category_name = g_strdup (row->category);
          row->summary = first_line ((const char *) sqlite3_column_text (stmt, 5));
          row->address = _sa_appeal_list_column_dup (stmt, 6);
          row->district = _sa_appeal_list_column_dup (stmt, 7);
          row->district_name = _sa_appeal_list_column_dup (stmt, 8);
          if (row->district_name == NULL)
            row->district_name = g_strdup (row->district);
          row->status = _sa_appeal_list_column_dup (stmt, 9);
          row->priority = priority_name (sqlite3_column_int (stmt, 10));
          row->channel = _sa_appeal_list_column_dup (stmt, 11);
          row->executor = _sa_appeal_list_column_dup (stmt, 12);
          row->is_repeat = sqlite3_column_int (stmt, 13) != 0;
          row->offline_state = sqlite3_column_int (stmt, 14);
          row->unread = sqlite3_column_int (stmt, 15) == 0;
          row->received_at = column_time (stmt, 16);
          row->legal_due_at = column_time (stmt, 17);
          row->operational_due_at = column_time (stmt, 18);
          row->sphere = _sa_appeal_list_column_dup (stmt, 19);
          g_hash_table_insert (by_rid, &row->rid, row);
        }
      sqlite3_reset (stmt);
    }
  _sa_cache_reader_unlock (self->cache);
  if (error != NULL)
    g_warning ("Could not read appeals from the cache: %s", error->message);

  page = g_new0 (Page, 1);
  page->index = index;
  page->rows = g_ptr_array_new_full (end - start, g_object_unref);
  for (guint i = start; i < end; i++)
    {
      gint64 rid = g_array_index (self->rids, gint64, i);
      SaAppealRow *row = g_hash_table_lookup (by_rid, &rid);

      /* Deleted since the last refresh: an empty row stands in until the
       * refresh that the deletion's signal has scheduled. */
      if (row != NULL)
        g_ptr_array_add (page->rows, g_object_ref (row));
      else
        {
          row = _sa_appeal_row_new ();
          row->rid = rid;
          row->priority = priority_name (1);
          g_ptr_array_add (page->rows, row);
        }
    }
  return page;
}

static gpointer
sa_appeal_list_get_item (GListModel *model,
                         guint       position)
{
  SaAppealList *self = SA_APPEAL_LIST (model);
  guint index = position / PAGE_SIZE;
  SaAppealRow *row;
  Page *page;

  if (position >= self->announced)
    return NULL;

  row = g_hash_table_lookup (self->handed, GUINT_TO_POINTER (position));
  if (row != NULL)
    return g_object_ref (row);

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page != NULL)
    {
      g_queue_remove (&self->lru, page);
      g_queue_push_head (&self->lru, page);
    }
  else
    {
      page = fetch_page (self, index);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
      g_queue_push_head (&self->lru, page);
      while (self->lru.length > MAX_PAGES)
        {
          Page *old = g_queue_pop_tail (&self->lru);

          _sa_appeal_list_forget_handed (self, old->index * PAGE_SIZE,
                                         (old->index + 1) * PAGE_SIZE, 1);
          g_hash_table_remove (self->pages, GUINT_TO_POINTER (old->index));
        }
    }
  row = g_ptr_array_index (page->rows, position % PAGE_SIZE);
  g_hash_table_insert (self->handed, GUINT_TO_POINTER (position), g_object_ref (row));
  return g_object_ref (row);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = sa_appeal_list_get_item_type;
  iface->get_n_items = sa_appeal_list_get_n_items;
  iface->get_item = sa_appeal_list_get_item;
}

/* ------------------------------------------------------------------ */
/* The query */

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
    /* The traffic light of sa_sla_traffic_light(), in SQL; only appeals
     * whose clock runs have one. */
    g_string_append_printf (sql, " AND a.status IN %s"
                                 " AND ((1 << CASE WHEN a.sla_due_at = 9223372036854775807 THEN 0"
                                 " WHEN a.sla_due_at < :now THEN 3"
                                 " WHEN (a.sla_due_at - :now) * 100"
                                 "  < :red * (a.sla_due_at - a.received_at) THEN 2"
                                 " WHEN (a.sla_due_at - :now) * 100"
                                 "  < :yellow * (a.sla_due_at - a.received_at) THEN 1"
                                 " ELSE 0 END) & :mask) != 0",
                            sa_status_set_sql (SA_STATUS_SET_CLOCK_RUNNING));
  switch (self->sort)
    {
    case SA_APPEAL_SORT_RECEIVED:
      g_string_append (sql, " ORDER BY a.received_at DESC, a.rid");
      break;
    case SA_APPEAL_SORT_PRIORITY:
      g_string_append (sql, " ORDER BY a.priority DESC, a.sla_due_at, a.rid");
      break;
    case SA_APPEAL_SORT_DEADLINE:
    default:
      g_string_append (sql, " ORDER BY a.sla_due_at, a.rid");
      break;
    }
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

/* ------------------------------------------------------------------ */
/* Diff */

typedef struct
{
  guint    pos;
  guint    removed;
  guint    added;
  gboolean content;
} Change;

typedef struct
{
  int  x, y;
  gboolean insert;
} Edit;

/* Kept rows the cache reported changed: b[from..to) at @offset + j. */
static void
add_content (GArray           *out,
             GHashTable       *changed,
             const gint64     *b,
             guint             from,
             guint             to,
             guint             offset)
{
  if (changed == NULL)
    return;
  for (guint j = from; j < to; j++)
    if (g_hash_table_contains (changed, &b[j]))
      {
        Change c = { offset + j, 1, 1, TRUE };

        g_array_append_val (out, c);
      }
}

/* Myers' greedy O(ND) diff of a[0..n) and b[0..m), both non-empty; FALSE
 * past DIFF_MAX_D edits. Positions are offset by @offset. */
static gboolean
myers (const gint64 *a,
       int           n,
       const gint64 *b,
       int           m,
       guint         offset,
       GHashTable   *changed,
       GArray       *out)
{
  int max = MIN (n + m, DIFF_MAX_D);
  int w = 2 * max + 2;
  g_autofree int *v = g_new0 (int, w);
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) edits = g_array_new (FALSE, FALSE, sizeof (Edit));
  int found = -1;
  int x = 0, y;

  for (int d = 0; d <= max && found < 0; d++)
    {
      g_ptr_array_add (trace, g_memdup2 (v, w * sizeof (int)));
      for (int k = -d; k <= d; k += 2)
        {
          if (k == -d || (k != d && v[max + k - 1] < v[max + k + 1]))
            x = v[max + k + 1];
          else
            x = v[max + k - 1] + 1;
          y = x - k;
          while (x < n && y < m && a[x] == b[y])
            x++, y++;
          v[max + k] = x;
          if (x >= n && y >= m)
            {
              found = d;
              break;
            }
        }
    }
  if (found < 0)
    return FALSE;

  x = n;
  y = m;
  for (int d = found; d > 0; d--)
    {
      const int *vd = trace->pdata[d];
      int k = x - y;
      gboolean down = k == -d || (k != d && vd[max + k - 1] < vd[max + k + 1]);
      int prev_k = down ? k + 1 : k - 1;
      int prev_x = vd[max + prev_k];
      int prev_y = prev_x - prev_k;
      int mid_x = down ? prev_x : prev_x + 1;
      Edit e = { prev_x, prev_y, down };

      add_content (out, changed, b, mid_x - k, y, offset);
      g_array_append_val (edits, e);
      x = prev_x;
      y = prev_y;
    }
  add_content (out, changed, b, 0, y, offset);

  /* Runs of edits with no match between them make one change. */
  for (int i = edits->len - 1; i >= 0;)
    {
      Edit *first = &g_array_index (edits, Edit, i);
      Change c = { offset + first->y, 0, 0, FALSE };
      int ex = first->x, ey = first->y;

      while (i >= 0)
        {
          Edit *e = &g_array_index (edits, Edit, i);

          if (e->x != ex || e->y != ey)
            break;
          if (e->insert)
            c.added++, ey++;
          else
            c.removed++, ex++;
          i--;
        }
      g_array_append_val (out, c);
    }
  return TRUE;
}

static int
compare_change (gconstpointer a,
                gconstpointer b)
{
  const Change *ca = a, *cb = b;

  if (ca->pos != cb->pos)
    return ca->pos < cb->pos ? -1 : 1;
  /* A structural change before a content change at the same position. */
  return ca->content - cb->content;
}

/* The changes that turn @old into @new, ascending, in new coordinates. */
static GArray *
diff (GArray     *old,
      GArray     *new,
      GHashTable *changed,
      gboolean    structural_only)
{
  const gint64 *a = (const gint64 *) old->data;
  const gint64 *b = (const gint64 *) new->data;
  guint n = old->len, m = new->len, p = 0, s = 0;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Change));
  GArray *merged;

  while (p < n && p < m && a[p] == b[p])
    p++;
  while (s < n - p && s < m - p && a[n - 1 - s] == b[m - 1 - s])
    s++;
  add_content (out, changed, b, 0, p, 0);
  add_content (out, changed, b, m - s, m, 0);
  if (n - s > p || m - s > p)
    {
      if (n - s == p || m - s == p || structural_only ||
          !myers (a + p, n - s - p, b + p, m - s - p, p, changed, out))
        {
          Change c = { p, n - s - p, m - s - p, FALSE };

          /* Drop content changes the middle block covers. */
          for (guint i = 0; i < out->len;)
            {
              Change *x = &g_array_index (out, Change, i);

              if (x->content && x->pos >= p && x->pos < m - s)
                g_array_remove_index (out, i);
              else
                i++;
            }
          g_array_append_val (out, c);
        }
    }
  g_array_sort (out, compare_change);

  /* Neighbouring changed rows make one range. */
  merged = g_array_new (FALSE, FALSE, sizeof (Change));
  for (guint i = 0; i < out->len; i++)
    {
      Change *c = &g_array_index (out, Change, i);
      Change *last = merged->len > 0 ? &g_array_index (merged, Change, merged->len - 1) : NULL;

      if (last != NULL && last->content && c->content && last->pos + last->added == c->pos)
        {
          last->removed++;
          last->added++;
        }
      else
        g_array_append_val (merged, *c);
    }
  g_array_unref (out);
  return merged;
}

static GHashTable *
changed_rids (SaAppealList *self)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *ids = NULL;
  GHashTable *set;
  GHashTableIter iter;
  gpointer key;
  sqlite3_stmt *stmt;

  if (g_hash_table_size (self->pending_ids) == 0)
    return NULL;
  b = json_builder_new ();
  json_builder_begin_array (b);
  g_hash_table_iter_init (&iter, self->pending_ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    json_builder_add_string_value (b, key);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  ids = json_to_string (root, FALSE);
  g_hash_table_remove_all (self->pending_ids);

  set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  _sa_cache_reader_lock (self->cache);
  stmt = _sa_cache_reader_prepare (self->cache, "SELECT rid FROM appeals"
                                                " WHERE id IN (SELECT value FROM json_each (?1))",
                                   NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, ids, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 *rid = g_new (gint64, 1);

          *rid = sqlite3_column_int64 (stmt, 0);
          g_hash_table_add (set, rid);
        }
      sqlite3_reset (stmt);
    }
  _sa_cache_reader_unlock (self->cache);
  return set;
}

/* Announces up to @step more rows of the result (all for 0). */
static void
announce (SaAppealList *self,
          guint         step)
{
  guint from = self->announced;
  guint n = self->rids->len - from;

  if (step != 0)
    n = MIN (n, step);
  if (n == 0)
    return;
  self->announced += n;
  g_list_model_items_changed (G_LIST_MODEL (self), from, 0, n);
  _sa_appeal_list_notify_n_items (self);
}

static gboolean
grow_cb (gpointer data)
{
  SaAppealList *self = data;

  announce (self, GROW_STEP);
  if (self->announced < self->rids->len)
    return G_SOURCE_CONTINUE;
  self->grow = NULL;
  /* Positions beyond the first steps exist now: a selection may look again. */
  _sa_appeal_list_emit_refilled (self);
  return G_SOURCE_REMOVE;
}

/* Everything announced at once, before a change that counts positions
 * over the whole result. */
void
_sa_appeal_list_finish_growing (SaAppealList *self)
{
  g_clear_pointer (&self->grow, g_source_destroy);
  announce (self, 0);
}

/* A new query, filter or sort: the data is the same, the positions show
 * other appeals. The rows handed out are refilled in place (a list view
 * keeps its row widgets and binds them again) and only the change of
 * length is announced. */
static gboolean
refill (SaAppealList *self,
        GArray       *rids,
        GHashTable   *changed)
{
  g_autoptr(GArray) old = self->rids;
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  guint known = self->announced;
  GHashTableIter iter;
  gpointer key, value;

  self->rids = rids;
  _sa_appeal_list_drop_pages (self);
  _sa_appeal_list_forget_handed (self, 0, G_MAXUINT, 0);
  g_hash_table_iter_init (&iter, self->handed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint pos = GPOINTER_TO_UINT (key);

      gint64 rid = pos < rids->len ? g_array_index (rids, gint64, pos) : 0;

      if (pos >= rids->len)
        g_hash_table_iter_remove (&iter);
      else if (SA_APPEAL_ROW (value)->rid != rid ||
               (changed != NULL && g_hash_table_contains (changed, &rid)))
        g_array_append_val (positions, pos);
    }

  if (known > rids->len)
    {
      g_clear_pointer (&self->grow, g_source_destroy);
      self->announced = rids->len;
      g_list_model_items_changed (G_LIST_MODEL (self), rids->len, known - rids->len, 0);
      _sa_appeal_list_notify_n_items (self);
    }
  else if (known < rids->len)
    {
      announce (self, self->incremental ? GROW_STEP : 0);
      if (self->announced < rids->len && self->grow == NULL)
        {
          self->grow = g_timeout_source_new (GROW_MS);
          g_source_set_callback (self->grow, grow_cb, self, NULL);
          g_source_set_static_name (self->grow, "[sa-appeal-list] grow");
          g_source_attach (self->grow, self->context);
          g_source_unref (self->grow);
        }
    }

  for (guint i = 0; i < positions->len; i++)
    {
      guint pos = g_array_index (positions, guint, i);
      SaAppealRow *row = g_hash_table_lookup (self->handed, GUINT_TO_POINTER (pos));
      g_autoptr(SaAppealRow) fresh = NULL;
      Page *page;

      /* A handler of an earlier row may have let this one go. */
      if (row == NULL || pos >= self->announced)
        continue;
      g_object_ref (row);
      g_hash_table_remove (self->handed, GUINT_TO_POINTER (pos));
      fresh = g_list_model_get_item (G_LIST_MODEL (self), pos);
      /* The page keeps the refilled row, so the position stays one object. */
      page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (pos / PAGE_SIZE));
      g_ptr_array_index (page->rows, pos % PAGE_SIZE) = g_object_ref (row);
      g_object_unref (fresh);  /* the page's reference */
      g_hash_table_insert (self->handed, GUINT_TO_POINTER (pos), row);
      _sa_appeal_row_refill (row, fresh);
    }
  _sa_appeal_list_emit_refilled (self);
  return TRUE;
}

static gboolean
update (SaAppealList  *self,
        gboolean       data_changed,
        GError       **error)
{
  g_autoptr(GArray) rids = NULL;
  g_autoptr(GArray) old = NULL;
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GHashTable) changed = NULL;
  gboolean all_changed = self->all_changed;
  gint64 delta = 0;

  self->dirty = FALSE;
  self->all_changed = FALSE;
  g_clear_pointer (&self->idle, g_source_destroy);
  changed = changed_rids (self);
  rids = _sa_appeal_list_run_query (self, data_changed, error);
  if (rids == NULL)
    return FALSE;

  if (!data_changed && !all_changed)
    return refill (self, g_steal_pointer (&rids), changed);
  _sa_appeal_list_finish_growing (self);

  if (all_changed)
    {
      changes = g_array_new (FALSE, FALSE, sizeof (Change));
      if (self->rids->len > 0 || rids->len > 0)
        {
          Change c = { 0, self->rids->len, rids->len, FALSE };

          g_array_append_val (changes, c);
        }
    }
  else
    changes = diff (self->rids, rids, changed, !data_changed);

  old = g_steal_pointer (&self->rids);
  if (changes->len > 0)
    {
      _sa_appeal_list_drop_pages (self);
      _sa_appeal_list_forget_handed (self, 0, G_MAXUINT, 0);
    }
  /* During each items-changed the model is as that change leaves it: the
   * rows up to its end are the new ones, those after it still the old
   * ones, shifted. A view reads the model while it handles a change; with
   * the final rows already in place, a content change above an insertion
   * had GTK find fewer items than the model counted, and abort. */
  for (guint i = 0; i < changes->len; i++)
    {
      Change *c = &g_array_index (changes, Change, i);

      delta += (gint64) c->added - (gint64) c->removed;
      g_clear_pointer (&self->rids, g_array_unref);
      if (i + 1 < changes->len)
        {
          guint end = c->pos + c->added;
          guint old_end = (guint) ((gint64) end - delta);

          g_assert (end <= rids->len && old_end <= old->len);
          self->rids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                          end + old->len - old_end);
          g_array_append_vals (self->rids, rids->data, end);
          g_array_append_vals (self->rids, &g_array_index (old, gint64, old_end),
                               old->len - old_end);
          if (i > 0)
            _sa_appeal_list_drop_pages (self);
        }
      else
        {
          self->rids = g_steal_pointer (&rids);
          if (i > 0)
            _sa_appeal_list_drop_pages (self);
        }
      self->announced = self->rids->len;
      shift_handed (self, c->pos, c->removed, c->added);
      g_list_model_items_changed (G_LIST_MODEL (self), c->pos, c->removed, c->added);
    }
  if (self->rids == NULL)
    self->rids = g_steal_pointer (&rids);
  self->announced = self->rids->len;
  if (old->len != self->rids->len)
    _sa_appeal_list_notify_n_items (self);
  return TRUE;
}

/**
 * sa_appeal_list_refresh:
 * @self: a #SaAppealList
 * @error: return location for a #GError
 *
 * Runs the query again now and announces what changed, with the
 * smallest ranges. The list does this by itself in an idle after the
 * cache reports changes; call it to flush at once, or when the time
 * moves appeals into "overdue".
 *
 * Returns: %TRUE on success
 */
gboolean
sa_appeal_list_refresh (SaAppealList  *self,
                        GError       **error)
{
  g_return_val_if_fail (SA_IS_APPEAL_LIST (self), FALSE);
  return update (self, TRUE, error);
}

void
_sa_appeal_list_requery_full (SaAppealList *self,
                              gboolean      base_changed)
{
  g_autoptr(GError) error = NULL;

  if (base_changed)
    g_clear_pointer (&self->base_rids, g_array_unref);

  if (self->frozen > 0)
    {
      self->dirty = TRUE;
      return;
    }
  if (!update (self, FALSE, &error))
    g_warning ("Could not list the appeals: %s", error->message);
}

void
_sa_appeal_list_requery (SaAppealList *self)
{
  _sa_appeal_list_requery_full (self, TRUE);
}

static gboolean
idle_refresh (gpointer data)
{
  SaAppealList *self = data;
  g_autoptr(GError) error = NULL;

  self->idle = NULL;
  if (!update (self, TRUE, &error))
    g_warning ("Could not refresh the appeals list: %s", error->message);
  return G_SOURCE_REMOVE;
}

void
_sa_appeal_list_on_appeals_changed (SaCache       *cache,
                                    const char   **ids,
                                    SaAppealList  *self)
{
  if (ids == NULL)
    self->all_changed = TRUE;
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    g_hash_table_add (self->pending_ids, g_strdup (ids[i]));
  /* One refresh for a burst of feed pages. */
  if (self->idle == NULL)
    {
      self->idle = g_idle_source_new ();
      g_source_set_callback (self->idle, idle_refresh, self, NULL);
      g_source_set_static_name (self->idle, "[sa-appeal-list] refresh");
      g_source_attach (self->idle, self->context);
      g_source_unref (self->idle);
    }
}

/* ------------------------------------------------------------------ */
/* GObject */

static void
sa_appeal_list_dispose (GObject *object)
{
  SaAppealList *self = SA_APPEAL_LIST (object);

  if (self->idle != NULL)
    g_source_destroy (self->idle);
  self->idle = NULL;
  g_clear_pointer (&self->grow, g_source_destroy);
  g_clear_signal_handler (&self->changed_handler, self->cache);
  _sa_appeal_list_drop_pages (self);
  g_hash_table_remove_all (self->handed);

  G_OBJECT_CLASS (sa_appeal_list_parent_class)->dispose (object);
}

static void
sa_appeal_list_finalize (GObject *object)
{
  SaAppealList *self = SA_APPEAL_LIST (object);

  g_clear_object (&self->cache);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->statuses, g_strfreev);
  g_free (self->category);
  g_free (self->district);
  g_free (self->channel);
  g_free (self->executor);
  g_free (self->fts);
  g_free (self->language);
  g_array_unref (self->rids);
  g_clear_pointer (&self->base_rids, g_array_unref);
  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->handed);
  g_hash_table_unref (self->pending_ids);

  G_OBJECT_CLASS (sa_appeal_list_parent_class)->finalize (object);
}

static void
sa_appeal_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SaAppealList *self = SA_APPEAL_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->announced);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_appeal_list_class_init (SaAppealListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sa_appeal_list_dispose;
  object_class->finalize = sa_appeal_list_finalize;
  object_class->get_property = sa_appeal_list_get_property;

  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SaAppealList::refilled:
   * @self: the list
   *
   * A query, filter or sort change showed other appeals at the same
   * positions: the rows handed out were refilled in place (each emitted
   * SaAppealRow::changed), and only a change of length was announced by
   * #GListModel::items-changed. A selection by position must look again.
   */
  refilled_signal = g_signal_new ("refilled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sa_appeal_list_init (SaAppealList *self)
{
  const char * const *langs = g_get_language_names ();

  self->rids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  self->handed = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->pending_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->section = SA_APPEAL_SECTION_ALL;
  self->sort = SA_APPEAL_SORT_DEADLINE;
  self->language = g_strdup (langs[0] != NULL && g_str_has_prefix (langs[0], "kk") ? "kk" : "ru");
  self->context = g_main_context_ref_thread_default ();
}

/**
 * sa_appeal_section_is_for_role:
 * @section: a section
 * @role: the signed-in user's role
 *
 * Whether the sidebar offers @section to @role: "My Appeals" only to those
 * who can hold an appeal, the agency's queue only to those who have one.
 *
 * Returns: whether @section means something to @role
 */
gboolean
sa_appeal_section_is_for_role (SaAppealSection section,
                               SaRole          role)
{
  g_return_val_if_fail (section < SA_APPEAL_N_SECTIONS, FALSE);

  switch (section)
    {
    case SA_APPEAL_SECTION_MINE:
      return sa_role_works_appeals (role);
    case SA_APPEAL_SECTION_QUEUE:
      return role != SA_ROLE_CURATOR && role != SA_ROLE_ADMIN;
    case SA_APPEAL_SECTION_WAITING:
    case SA_APPEAL_SECTION_OVERDUE:
    case SA_APPEAL_SECTION_ANSWERED:
    case SA_APPEAL_SECTION_ALL:
    case SA_APPEAL_N_SECTIONS:
    default:
      return TRUE;
    }
}

/**
 * sa_appeal_section_first_for_role:
 * @role: the signed-in user's role
 *
 * Returns: the section the desk opens on: an executor's own work, the
 *   queue a supervisor hands out, and everything for those who hold no
 *   appeal (operators, curators)
 */
SaAppealSection
sa_appeal_section_first_for_role (SaRole role)
{
  if (role == SA_ROLE_SUPERVISOR)
    return SA_APPEAL_SECTION_QUEUE;
  if (sa_role_works_appeals (role))
    return SA_APPEAL_SECTION_MINE;
  return SA_APPEAL_SECTION_ALL;
}

/**
 * sa_appeal_list_new:
 * @cache: the account's cache
 *
 * Makes the list of every appeal, nearest deadline first, and runs its
 * query. Use it on the thread that opened @cache.
 *
 * Returns: (transfer full): the list
 */
SaAppealList *
sa_appeal_list_new (SaCache *cache)
{
  SaAppealList *self;

  g_return_val_if_fail (SA_IS_CACHE (cache), NULL);

  self = g_object_new (SA_TYPE_APPEAL_LIST, NULL);
  self->cache = g_object_ref (cache);
  self->changed_handler = g_signal_connect (cache, "appeals-changed",
                                            G_CALLBACK (_sa_appeal_list_on_appeals_changed), self);
  _sa_appeal_list_requery (self);
  return self;
}

/**
 * sa_appeal_list_get_cache:
 * @self: a #SaAppealList
 *
 * Returns: (transfer none): the cache
 */
SaCache *
sa_appeal_list_get_cache (SaAppealList *self)
{
  g_return_val_if_fail (SA_IS_APPEAL_LIST (self), NULL);
  return self->cache;
}

/**
 * sa_appeal_list_freeze:
 * @self: a #SaAppealList
 *
 * Holds the query back while several filters change; sa_appeal_list_thaw()
 * runs it once.
 */
void
sa_appeal_list_freeze (SaAppealList *self)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));
  self->frozen++;
}

/**
 * sa_appeal_list_thaw:
 * @self: a #SaAppealList
 *
 * Undoes sa_appeal_list_freeze(); runs the query if anything changed.
 */
void
sa_appeal_list_thaw (SaAppealList *self)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));
  g_return_if_fail (self->frozen > 0);

  if (--self->frozen == 0 && self->dirty)
    _sa_appeal_list_requery (self);
}

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/**
 * sa_appeal_list_set_section:
 * @self: a #SaAppealList
 * @section: the sidebar section
 *
 * Shows one section.
 */
void
sa_appeal_list_set_section (SaAppealList    *self,
                            SaAppealSection  section)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));
  g_return_if_fail (section < SA_APPEAL_N_SECTIONS);

  if (self->section == section)
    return;
  self->section = section;
  _sa_appeal_list_requery (self);
}

/**
 * sa_appeal_list_set_statuses:
 * @self: a #SaAppealList
 * @statuses: (nullable) (array zero-terminated=1): the statuses to show, or
 *   %NULL for any
 *
 * Filters by status.
 */
void
sa_appeal_list_set_statuses (SaAppealList       *self,
                             const char * const *statuses)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));

  if (statuses != NULL && statuses[0] == NULL)
    statuses = NULL;
  if (statuses == NULL && self->statuses == NULL)
    return;
  if (statuses != NULL && self->statuses != NULL &&
      g_strv_equal ((const char * const *) self->statuses, statuses))
    return;
  g_strfreev (self->statuses);
  self->statuses = g_strdupv ((char **) statuses);
  _sa_appeal_list_requery (self);
}

/**
 * sa_appeal_list_set_category:
 * @self: a #SaAppealList
 * @code: (nullable): a category code, or %NULL for any
 *
 * Filters by category.
 */
void
sa_appeal_list_set_category (SaAppealList *self,
                             const char   *code)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));
  if (replace_string (&self->category, code))
    _sa_appeal_list_requery (self);
}

/**
 * sa_appeal_list_set_district:
 * @self: a #SaAppealList
 * @code: (nullable): a district code, or %NULL for any
 *
 * Filters by district.
 */
void
sa_appeal_list_set_district (SaAppealList *self,
                             const char   *code)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));
  if (replace_string (&self->district, code))
    _sa_appeal_list_requery (self);
}

/**
 * sa_appeal_list_set_channel:
 * @self: a #SaAppealList
 * @channel: (nullable): an intake channel, or %NULL for any
 *
 * Filters by channel.
 */
void
sa_appeal_list_set_channel (SaAppealList *self,
                            const char   *channel)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));
  if (replace_string (&self->channel, channel))
    _sa_appeal_list_requery (self);
}

/**
 * sa_appeal_list_set_executor:
 * @self: a #SaAppealList
 * @login: (nullable): a colleague's login, or %NULL for anyone
 *
 * Narrows the list to the open appeals @login works on: what a
 * supervisor looks at to share out the work.
 */
void
sa_appeal_list_set_executor (SaAppealList *self,
                             const char   *login)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));
  if (replace_string (&self->executor, login))
    _sa_appeal_list_requery (self);
}

/**
 * sa_appeal_list_set_sla_mask:
 * @self: a #SaAppealList
 * @mask: a set of `1 << SaTrafficLight`, or 0 for any
 *
 * Filters open appeals by their traffic light, computed in SQLite from
 * the nearer deadline, the receipt and the list's time.
 */
void
sa_appeal_list_set_sla_mask (SaAppealList *self,
                             guint         mask)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));

  if (self->sla_mask == mask)
    return;
  self->sla_mask = mask;
  _sa_appeal_list_requery (self);
}

/**
 * sa_appeal_list_set_query:
 * @self: a #SaAppealList
 * @query: (nullable): words as the user types them
 *
 * Searches the registration number, the applicant, the address and the
 * text; every word must match the start of a word, in any case.
 */
void
sa_appeal_list_set_query (SaAppealList *self,
                          const char   *query)
{
  g_autofree char *fts = NULL;

  g_return_if_fail (SA_IS_APPEAL_LIST (self));

  fts = sa_appeal_list_build_fts_query (query);
  if (replace_string (&self->fts, fts))
    _sa_appeal_list_requery_full (self, FALSE);
}

/**
 * sa_appeal_list_set_sort:
 * @self: a #SaAppealList
 * @sort: the order
 *
 * Sorts the list.
 */
void
sa_appeal_list_set_sort (SaAppealList *self,
                         SaAppealSort  sort)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));

  if (self->sort == sort)
    return;
  self->sort = sort;
  _sa_appeal_list_requery (self);
}

/**
 * sa_appeal_list_set_language:
 * @self: a #SaAppealList
 * @language: "ru" or "kk"
 *
 * Picks which names of categories and districts the rows carry; by
 * default the first of g_get_language_names().
 */
void
sa_appeal_list_set_language (SaAppealList *self,
                             const char   *language)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));
  g_return_if_fail (language != NULL);

  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  _sa_appeal_list_finish_growing (self);
  if (self->rids->len > 0)
    {
      guint n = self->rids->len;

      _sa_appeal_list_drop_pages (self);
      g_hash_table_remove_all (self->handed);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n, n);
    }
}

/**
 * sa_appeal_list_set_incremental:
 * @self: a #SaAppealList
 * @incremental: whether to announce a longer result in steps
 *
 * For a list view: when a query, filter or sort lengthens the result,
 * announce it 24 rows every 16 ms rather than at once, so that the view
 * builds its row widgets over several frames. #SaAppealList::refilled is
 * emitted again when the whole result is announced.
 */
void
sa_appeal_list_set_incremental (SaAppealList *self,
                                gboolean      incremental)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));
  self->incremental = incremental;
  if (!incremental)
    _sa_appeal_list_finish_growing (self);
}

/**
 * sa_appeal_list_set_now:
 * @self: a #SaAppealList
 * @now: unix seconds, or 0 for the real clock
 *
 * Fixes the time that "overdue" and the traffic light compare with (for
 * tests); takes effect at the next query.
 */
void
sa_appeal_list_set_now (SaAppealList *self,
                        gint64        now)
{
  g_return_if_fail (SA_IS_APPEAL_LIST (self));
  self->now = now;
  g_clear_pointer (&self->base_rids, g_array_unref);
}

/**
 * sa_appeal_list_get_section_counts:
 * @self: a #SaAppealList
 * @counts: (out caller-allocates) (array fixed-size=6): the count per #SaAppealSection
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

/**
 * sa_appeal_list_find:
 * @self: a #SaAppealList
 * @appeal_id: an appeal's UUID
 * @out_position: (out) (optional): where it is
 *
 * Finds an appeal's position without building rows, e.g. to keep the
 * selection on it after the order changed, or to show an appeal a
 * notification named.
 *
 * Returns: %TRUE if the list shows the appeal
 */
gboolean
sa_appeal_list_find (SaAppealList *self,
                     const char   *appeal_id,
                     guint        *out_position)
{
  sqlite3_stmt *stmt;
  gint64 rid = -1;

  g_return_val_if_fail (SA_IS_APPEAL_LIST (self), FALSE);
  g_return_val_if_fail (appeal_id != NULL, FALSE);

  _sa_cache_reader_lock (self->cache);
  stmt = _sa_cache_reader_prepare (self->cache, "SELECT rid FROM appeals WHERE id = ?1", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, appeal_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        rid = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  _sa_cache_reader_unlock (self->cache);

  for (guint i = 0; rid >= 0 && i < self->rids->len; i++)
    if (g_array_index (self->rids, gint64, i) == rid)
      {
        /* The caller will select or fetch it: announce it now. */
        if (i >= self->announced)
          _sa_appeal_list_finish_growing (self);
        if (out_position != NULL)
          *out_position = i;
        return TRUE;
      }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Filter choices */

/**
 * sa_appeal_choice_free:
 * @choice: (transfer full): a choice
 */
void
sa_appeal_choice_free (SaAppealChoice *choice)
{
  if (choice == NULL)
    return;
  g_free (choice->code);
  g_free (choice->name);
  g_free (choice);
}

static int
compare_choices (gconstpointer a,
                 gconstpointer b)
{
  const SaAppealChoice *ca = *(SaAppealChoice * const *) a;
  const SaAppealChoice *cb = *(SaAppealChoice * const *) b;

  return g_utf8_collate (ca->name, cb->name);
}

/* Only the codes the cached appeals use: a filter choice that always
 * shows an empty list is noise, and the menu stays short. */
static GPtrArray *
get_choices (SaAppealList  *self,
             const char    *sql,
             GError       **error)
{
  g_autoptr(GPtrArray) choices = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_appeal_choice_free);
  sqlite3_stmt *stmt;
  int rc;

  _sa_cache_reader_lock (self->cache);
  stmt = _sa_cache_reader_prepare (self->cache, sql, error);
  if (stmt == NULL)
    {
      _sa_cache_reader_unlock (self->cache);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, self->language, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SaAppealChoice *choice = g_new0 (SaAppealChoice, 1);

      choice->code = _sa_appeal_list_column_dup (stmt, 0);
      choice->name = _sa_appeal_list_column_dup (stmt, 1);
      if (choice->name == NULL || *choice->name == '\0')
        {
          g_free (choice->name);
          choice->name = g_strdup (choice->code);
        }
      g_ptr_array_add (choices, choice);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    _sa_cache_set_error (self->cache, TRUE, error, "Could not list the filter choices");
  _sa_cache_reader_unlock (self->cache);
  if (rc != SQLITE_DONE)
    return NULL;

  /* In C rather than SQL: SQLite compares bytes, which puts the Kazakh
   * letters after я. */
  g_ptr_array_sort (choices, compare_choices);
  return g_steal_pointer (&choices);
}

/**
 * sa_appeal_list_get_category_choices:
 * @self: a #SaAppealList
 * @error: return location for a #GError
 *
 * The categories of the cached appeals, with their names in the list's
 * language (sa_appeal_list_set_language()), sorted by name: the choices
 * of the category filter.
 *
 * Returns: (transfer full) (element-type SaAppealChoice): the choices, or
 *   %NULL with @error set
 */
GPtrArray *
sa_appeal_list_get_category_choices (SaAppealList  *self,
                                     GError       **error)
{
  g_return_val_if_fail (SA_IS_APPEAL_LIST (self), NULL);

  return get_choices (self,
                      "SELECT u.category,"
                      " CASE WHEN ?1 = 'kk' THEN COALESCE (c.name_kk, c.name_ru)"
                      "  ELSE COALESCE (c.name_ru, c.name_kk) END"
                      " FROM (SELECT DISTINCT category FROM appeals"
                      "  WHERE category IS NOT NULL AND category != '') u"
                      " LEFT JOIN categories c ON c.code = u.category", error);
}

/**
 * sa_appeal_list_get_district_choices:
 * @self: a #SaAppealList
 * @error: return location for a #GError
 *
 * The districts of the cached appeals, as
 * sa_appeal_list_get_category_choices() gives the categories.
 *
 * Returns: (transfer full) (element-type SaAppealChoice): the choices, or
 *   %NULL with @error set
 */
GPtrArray *
sa_appeal_list_get_district_choices (SaAppealList  *self,
                                     GError       **error)
{
  g_return_val_if_fail (SA_IS_APPEAL_LIST (self), NULL);

  return get_choices (self,
                      "SELECT u.district,"
                      " CASE WHEN ?1 = 'kk' THEN COALESCE (d.name_kk, d.name_ru)"
                      "  ELSE COALESCE (d.name_ru, d.name_kk) END"
                      " FROM (SELECT DISTINCT district FROM appeals"
                      "  WHERE district IS NOT NULL AND district != '') u"
                      " LEFT JOIN districts d ON d.code = u.district", error);
}

/**
 * sa_appeal_list_lookup_user:
 * @self: a #SaAppealList
 * @login: a login
 *
 * The user as the change feed last delivered them (`login`, `full_name`,
 * `agency`, `role`): who is signed in when the client starts offline and
 * the registry cannot say.
 *
 * Returns: (transfer full) (nullable): the user, or %NULL if the cache
 *   does not know @login
 */
JsonObject *
sa_appeal_list_lookup_user (SaAppealList *self,
                            const char   *login)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SA_IS_APPEAL_LIST (self), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  _sa_cache_reader_lock (self->cache);
  stmt = _sa_cache_reader_prepare (self->cache, "SELECT json FROM users WHERE login = ?1", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        json = _sa_appeal_list_column_dup (stmt, 0);
      sqlite3_reset (stmt);
    }
  _sa_cache_reader_unlock (self->cache);

  if (json == NULL || !(node = json_from_string (json, NULL)) || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}
