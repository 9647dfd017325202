/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "sa-appeal-list.h"

G_BEGIN_DECLS

/* Shared by the list's own files (sa-appeal-list*.c); docs/architecture.md
 * says which holds what. */

#define PAGE_SIZE   64
#define MAX_PAGES   8
#define GROW_STEP   24
#define GROW_MS     16
#define DIFF_MAX_D  128

typedef struct
{
  guint      index;
  GPtrArray *rows;
} Page;

struct _SaAppealList
{
  GObject          parent_instance;

  SaCache         *cache;
  gulong           changed_handler;
  GMainContext    *context;
  GSource         *idle;

  /* What to show */
  SaAppealSection  section;
  GStrv            statuses;
  char            *category;
  char            *district;
  char            *channel;
  char            *executor;
  guint            sla_mask;
  char            *fts;
  SaAppealSort     sort;
  char            *language;
  gint64           now;
  guint            frozen;
  gboolean         dirty;

  /* The section, filters and order without the text query: kept while
   * the user types, so that each keystroke only runs FTS5. */
  GArray          *base_rids;
  gint64           base_max_rid;

  /* The result: rids in order, and a few pages of rows */
  GArray          *rids;
  GHashTable      *pages;  /* page index → Page */
  GQueue           lru;    /* of Page, most recent first */

  /* Rows handed out by position, while someone else may hold them: a
   * query, filter or sort change refills these in place. */
  GHashTable      *handed; /* position → SaAppealRow */

  /* How many rows the consumers know of: a longer result is announced
   * GROW_STEP rows per GROW_MS, so that a list view builds its row
   * widgets over several frames instead of in one. */
  guint            announced;
  GSource         *grow;
  gboolean         incremental;

  /* Appeals the cache reported since the last refresh */
  GHashTable      *pending_ids;
  gboolean         all_changed;
};

/* The model (sa-appeal-list.c) */
void     _sa_appeal_list_drop_pages         (SaAppealList  *self);
void     _sa_appeal_list_forget_handed      (SaAppealList  *self,
                                             guint          first,
                                             guint          end,
                                             guint          extra);
char    *_sa_appeal_list_column_dup         (sqlite3_stmt  *stmt,
                                             int            col);
void     _sa_appeal_list_notify_n_items     (SaAppealList  *self);
void     _sa_appeal_list_emit_refilled      (SaAppealList  *self);

/* The query (sa-appeal-list-query.c): the rids in order */
GArray  *_sa_appeal_list_run_query          (SaAppealList  *self,
                                             gboolean       data_changed,
                                             GError       **error);

/* Updates (sa-appeal-list-update.c): running the query again and
 * announcing what changed */
void     _sa_appeal_list_finish_growing     (SaAppealList  *self);
void     _sa_appeal_list_requery_full       (SaAppealList  *self,
                                             gboolean       base_changed);
void     _sa_appeal_list_requery            (SaAppealList  *self);
void     _sa_appeal_list_on_appeals_changed (SaCache       *cache,
                                             const char   **ids,
                                             SaAppealList  *self);

G_END_DECLS
