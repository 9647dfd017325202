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
                                   " a.op_due_at, json_extract (c.json, '$.sphere'), n.notify_by"
                                   " FROM appeals a"
                                   " LEFT JOIN appeal_notices n ON n.rid = a.rid"
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
          row->notice_due_at = column_time (stmt, 20);
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
