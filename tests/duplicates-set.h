/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The labelled set of tests/data/duplicates.txt, read for the test and the
 * benchmark alike.
 */
#pragma once

#include <string.h>

#include "sa-address.h"
#include "sa-duplicates.h"

typedef struct
{
  char           *cluster;
  char           *key;
  char           *sphere;
  char           *category;
  char           *address;
  char           *text_source;
  SaTextSketch    text;
  SaDuplicateSide side;
} LabelledAppeal;

typedef struct
{
  guint true_pos, false_pos, false_neg, true_neg;
} Tally;

static inline SaGazetteer *
labelled_gazetteer (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("SA_SOURCE_ROOT"), "data", "reference",
                                            "streets.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  SaGazetteer *g = sa_gazetteer_new ();

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("Cannot read %s", path);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;

      if (lines[i][0] == '#' || strchr (lines[i], '|') == NULL ||
          g_str_has_prefix (lines[i], "columns"))
        continue;
      f = g_strsplit (lines[i], "|", -1);
      if (g_strv_length (f) == 5)
        sa_gazetteer_add_street (g, g_strstrip (f[2]), g_strstrip (f[3]));
    }
  return g;
}

static inline gint64
labelled_time (const char *almaty)
{
  g_autofree char *iso = g_strdup_printf ("%.10sT%s:00+05:00", almaty, almaty + 11);
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  if (dt == NULL)
    g_error ("Not a time: %s", almaty);
  return g_date_time_to_unix (dt);
}

/* Returns: (element-type LabelledAppeal): the set, with building keys and sketches */
static inline GArray *
labelled_set_load (SaGazetteer *gazetteer)
{
  g_autofree char *path = g_build_filename (g_getenv ("SA_SOURCE_ROOT"), "tests", "data",
                                            "duplicates.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *set = g_array_new (FALSE, TRUE, sizeof (LabelledAppeal));

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("Cannot read %s", path);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;
      g_auto(SaAddress) address = { 0 };
      LabelledAppeal a = { 0 };

      if (lines[i][0] == '#' || strchr (lines[i], '|') == NULL)
        continue;
      f = g_strsplit (lines[i], "|", 6);
      if (g_strv_length (f) != 6)
        g_error ("%s:%u: six fields, please", path, i + 1);
      for (guint k = 0; k < 6; k++)
        g_strstrip (f[k]);
      a.cluster = g_strdup (f[0]);
      a.side.received_at = labelled_time (f[1]);
      a.sphere = g_strdup (f[2]);
      a.category = g_strdup (f[3]);
      a.address = g_strdup (f[4]);
      if (sa_address_parse (gazetteer, f[4], &address))
        a.key = sa_address_building_key (&address);
      a.text_source = g_strdup (f[5]);
      g_array_append_val (set, a);
    }
  /* Pointers into the array only once it has stopped growing. */
  for (guint i = 0; i < set->len; i++)
    {
      LabelledAppeal *a = &g_array_index (set, LabelledAppeal, i);

      sa_text_sketch_init (&a->text, a->text_source);
      a->side.building_key = a->key;
      a->side.sphere = a->sphere;
      a->side.category = a->category;
      a->side.text = &a->text;
    }
  return set;
}

static inline void
labelled_set_free (GArray *set)
{
  for (guint i = 0; i < set->len; i++)
    {
      LabelledAppeal *a = &g_array_index (set, LabelledAppeal, i);

      g_free (a->cluster);
      g_free (a->key);
      g_free (a->sphere);
      g_free (a->category);
      g_free (a->address);
      g_free (a->text_source);
      sa_text_sketch_clear (&a->text);
    }
  g_array_unref (set);
}

/* Every pair once: what detection calls likely against what the labels say. */
static inline Tally
labelled_set_tally (GArray *set)
{
  Tally t = { 0 };

  for (guint i = 0; i < set->len; i++)
    for (guint j = i + 1; j < set->len; j++)
      {
        const LabelledAppeal *a = &g_array_index (set, LabelledAppeal, i);
        const LabelledAppeal *b = &g_array_index (set, LabelledAppeal, j);
        gboolean same = strcmp (a->cluster, b->cluster) == 0;
        SaDuplicateVerdict v;

        sa_duplicate_compare (&a->side, &b->side, &v);
        if (v.likely && same)
          t.true_pos++;
        else if (v.likely)
          t.false_pos++;
        else if (same)
          t.false_neg++;
        else
          t.true_neg++;
      }
  return t;
}
