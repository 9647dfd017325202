/* sa-duplicates.h: whether two appeals are one problem at one place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SaTextSketch:
 * @stems: (array length=n_stems): sorted, distinct hashes of the text's word stems
 * @n_stems: how many
 *
 * What a text is about, small enough to keep beside every appeal.
 */
typedef struct
{
  guint32 *stems;
  guint    n_stems;
} SaTextSketch;

void            sa_text_sketch_init        (SaTextSketch       *sketch,
                                            const char         *text);
void            sa_text_sketch_clear       (SaTextSketch       *sketch);
double          sa_text_sketch_similarity  (const SaTextSketch *a,
                                            const SaTextSketch *b);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SaTextSketch, sa_text_sketch_clear)

/**
 * SaDuplicateSide:
 * @building_key: (nullable): from sa_address_building_key()
 * @sphere: the category's sphere ("heating")
 * @category: the category's code
 * @received_at: unix seconds
 * @text: its text's sketch
 *
 * One appeal, as duplicate detection sees it.
 */
typedef struct
{
  const char         *building_key;
  const char         *sphere;
  const char         *category;
  gint64              received_at;
  const SaTextSketch *text;
} SaDuplicateSide;

/**
 * SaDuplicateReason:
 * @SA_DUPLICATE_SAME_BUILDING: the same building (or corner)
 * @SA_DUPLICATE_SAME_SPHERE: the same kind of problem, whatever the category
 * @SA_DUPLICATE_SAME_CATEGORY: the same category
 * @SA_DUPLICATE_CLOSE_IN_TIME: received within the window of a likely duplicate
 * @SA_DUPLICATE_SIMILAR_TEXT: the texts say much the same
 *
 * Why two appeals may be one problem; each is a word of the API's `reasons`.
 */
typedef enum
{
  SA_DUPLICATE_SAME_BUILDING = 1 << 0,
  SA_DUPLICATE_SAME_SPHERE = 1 << 1,
  SA_DUPLICATE_SAME_CATEGORY = 1 << 2,
  SA_DUPLICATE_CLOSE_IN_TIME = 1 << 3,
  SA_DUPLICATE_SIMILAR_TEXT = 1 << 4,
} SaDuplicateReason;

#define SA_DUPLICATE_N_REASONS 5

/* A likely duplicate came within this many Almaty calendar days; a
 * candidate within SA_DUPLICATE_CANDIDATE_DAYS. */
#define SA_DUPLICATE_LIKELY_DAYS     7
#define SA_DUPLICATE_CANDIDATE_DAYS  30

/**
 * SaDuplicateVerdict:
 * @score: from 0 (nothing in common) to 1
 * @likely: the registry would group them
 * @reasons: the #SaDuplicateReason flags that hold
 * @days_apart: Almaty calendar days between the two receipts
 *
 * How alike two appeals are, and why.
 */
typedef struct
{
  double   score;
  gboolean likely;
  guint    reasons;
  gint     days_apart;
} SaDuplicateVerdict;

void            sa_duplicate_compare       (const SaDuplicateSide *a,
                                            const SaDuplicateSide *b,
                                            SaDuplicateVerdict    *out_verdict);
const char     *sa_duplicate_reason_name   (SaDuplicateReason      reason);
gint            sa_almaty_days_apart       (gint64                 a,
                                            gint64                 b);

G_END_DECLS
