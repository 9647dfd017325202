/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sa-cache.h"

G_BEGIN_DECLS

/**
 * SaReplyTemplate:
 * @id: its id
 * @agency: (nullable): the agency that keeps it, %NULL for the city's
 * @category: a category's code, a sphere and `.*`, or `*`
 * @language: "ru" or "kk"
 * @title: what the list shows
 * @text: the reply, with placeholders (sa_reply_template_fill())
 *
 * A quick answer a reply starts from (docs/replies.md, "Templates").
 */
typedef struct
{
  char *id;
  char *agency;
  char *category;
  char *language;
  char *title;
  char *text;
} SaReplyTemplate;

void        sa_reply_template_free   (SaReplyTemplate  *template);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaReplyTemplate, sa_reply_template_free)

char       *sa_reply_template_fill   (const char       *text,
                                      JsonObject       *appeal,
                                      const char       *executor_name,
                                      const char       *agency_name);

GPtrArray  *sa_cache_find_templates  (SaCache          *self,
                                      const char       *query,
                                      const char       *category,
                                      const char       *language,
                                      guint             limit,
                                      GError          **error);

G_END_DECLS
