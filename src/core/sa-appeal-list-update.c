/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-list"

#include "config.h"

#include "sa-appeal-list-private.h"
#include "sa-appeal-row-private.h"
#include "sa-cache-private.h"

/* Running the query again and announcing what changed: the diff of the
 * old and new rids, the refill of the rows handed out, the longer result
 * announced in steps, and the refresh after the cache changed. */

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
