/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sa-cache.h"

G_BEGIN_DECLS

#define SA_TYPE_REVIEW_WINDOW (sa_review_window_get_type ())
G_DECLARE_FINAL_TYPE (SaReviewWindow, sa_review_window, SA, REVIEW_WINDOW, AdwWindow)

SaReviewWindow *sa_review_window_new          (GtkWindow      *parent,
                                               JsonObject     *appeal,
                                               const char     *reply_id,
                                               JsonObject     *user,
                                               SaCache        *cache);
const char     *sa_review_window_get_reply_id (SaReviewWindow *self);
const char     *sa_review_find_reply         (JsonObject     *appeal,
                                              JsonObject     *user);

G_END_DECLS
