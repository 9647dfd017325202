/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-registry-private.h"

G_BEGIN_DECLS

/* The registry's store: the domain functions between the route handlers
 * and the database. Handlers parse a request, call these and write the
 * answer (with sa-registry-json.c); only the store's files
 * (sa-registry-store-*.c) prepare, bind and step statements. Rows come
 * back as the structs below. */

/* The change feed (sa-registry-store-feed.c) */
typedef struct
{
  gint64  seq;
  char   *kind;       /* agency, category, user, appeal, revoke */
  char   *entity_id;  /* for revoke: the appeal's id, '|', the agency */
} SaStoreFeedEntry;

void       sa_store_feed_entry_free       (SaStoreFeedEntry *entry);

/* The newest feed entry one audience (role and agency) may see. */
typedef struct
{
  char   *role;
  char   *agency;
  gint64  seq;
} SaStoreAudienceNews;

void       sa_store_audience_news_free    (SaStoreAudienceNews *news);

GPtrArray *sa_store_feed_read             (SaRegistryDb      *db,
                                           SaRegistryUser    *user,
                                           gint64             since,
                                           guint              limit,
                                           gboolean          *more,
                                           GError           **error);
gint64     sa_store_feed_head             (SaRegistryDb      *db);
GPtrArray *sa_store_feed_audiences_newest (SaRegistryDb      *db,
                                           gint64             after,
                                           gint64             upto,
                                           const char        *audiences_json,
                                           GError           **error);

G_END_DECLS
