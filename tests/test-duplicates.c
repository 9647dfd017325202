/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "duplicates-set.h"

static SaGazetteer *city;

static void
side (SaDuplicateSide *s,
      SaTextSketch    *sketch,
      const char      *address,
      const char      *sphere,
      const char      *category,
      const char      *almaty,
      const char      *text)
{
  g_auto(SaAddress) a = { 0 };

  sa_text_sketch_init (sketch, text);
  g_assert_true (sa_address_parse (city, address, &a));
  s->building_key = sa_address_building_key (&a);
  g_test_queue_free ((gpointer) s->building_key);
  s->sphere = sphere;
  s->category = category;
  s->received_at = labelled_time (almaty);
  s->text = sketch;
}

static void
test_days_apart (void)
{
  /* Calendar days of Almaty time, not 24-hour spans. */
  g_assert_cmpint (sa_almaty_days_apart (labelled_time ("2026-11-23 23:30"),
                                         labelled_time ("2026-11-24 00:30")), ==, 1);
  g_assert_cmpint (sa_almaty_days_apart (labelled_time ("2026-11-23 00:30"),
                                         labelled_time ("2026-11-23 23:30")), ==, 0);
  g_assert_cmpint (sa_almaty_days_apart (labelled_time ("2026-11-30 10:00"),
                                         labelled_time ("2026-11-23 10:00")), ==, 7);
}

static void
test_rules (void)
{
  g_auto(SaTextSketch) t1 = { 0 };
  g_auto(SaTextSketch) t2 = { 0 };
  g_auto(SaTextSketch) t3 = { 0 };
  SaDuplicateSide a = { 0 }, b = { 0 }, c = { 0 };
  SaDuplicateVerdict v;

  side (&a, &t1, "ул. Абая 150, кв. 12", "heating", "heating.no-heat", "2026-11-23 07:40",
        "Нет отопления с утра, батареи холодные.");
  /* Another category of the same sphere, in Kazakh, the same building, a day later. */
  side (&b, &t2, "Абай даңғылы, 150-үй", "heating", "heating.low-temp", "2026-11-24 09:00",
        "Жылу жоқ, пәтер суық.");
  sa_duplicate_compare (&a, &b, &v);
  g_assert_true (v.likely);
  g_assert_cmpuint (v.reasons, ==, SA_DUPLICATE_SAME_BUILDING | SA_DUPLICATE_SAME_SPHERE |
                                   SA_DUPLICATE_CLOSE_IN_TIME);
  g_assert_cmpint (v.days_apart, ==, 1);

  /* The same words in Russian: the text counts too, and the score is higher. */
  side (&c, &t3, "проспект Абая, д. 150", "heating", "heating.no-heat", "2026-11-24 09:00",
        "Нет отопления, холодные батареи.");
  {
    SaDuplicateVerdict w;

    sa_duplicate_compare (&a, &c, &w);
    g_assert_true (w.likely);
    g_assert_true (w.reasons & SA_DUPLICATE_SIMILAR_TEXT);
    g_assert_true (w.reasons & SA_DUPLICATE_SAME_CATEGORY);
    g_assert_cmpfloat (w.score, >, v.score);
    g_assert_cmpfloat (w.score, <=, 1.0);
  }

  /* The window's edge: the 7th Almaty day is in, the 8th is out. */
  b.received_at = labelled_time ("2026-11-30 23:59");
  sa_duplicate_compare (&a, &b, &v);
  g_assert_true (v.likely);
  b.received_at = labelled_time ("2026-12-01 00:00");
  sa_duplicate_compare (&a, &b, &v);
  g_assert_false (v.likely);
  g_assert_cmpint (v.days_apart, ==, 8);
  g_assert_false (v.reasons & SA_DUPLICATE_CLOSE_IN_TIME);

  /* The same building with another problem, the neighbouring house: not. */
  b.received_at = a.received_at;
  b.sphere = "lifts";
  sa_duplicate_compare (&a, &b, &v);
  g_assert_false (v.likely);
  b.sphere = "heating";
  b.building_key = "b:0:152";
  sa_duplicate_compare (&a, &b, &v);
  g_assert_false (v.likely);
  /* No building known: never likely, however alike the words. */
  a.building_key = NULL;
  c.building_key = NULL;
  sa_duplicate_compare (&a, &c, &v);
  g_assert_false (v.likely);

  g_assert_cmpstr (sa_duplicate_reason_name (SA_DUPLICATE_SAME_BUILDING), ==, "same_building");
  g_assert_cmpstr (sa_duplicate_reason_name (SA_DUPLICATE_SIMILAR_TEXT), ==, "similar_text");
}

static void
test_labelled_set (void)
{
  GArray *set = labelled_set_load (city);
  Tally t = labelled_set_tally (set);
  double precision = (double) t.true_pos / MAX (t.true_pos + t.false_pos, 1);
  double recall = (double) t.true_pos / MAX (t.true_pos + t.false_neg, 1);

  /* The goals on our own labelled set: precision ≥ 0.9, recall ≥ 0.8
   * (bench-duplicates prints them). */
  g_test_message ("%u appeals: %u true, %u false positives, %u missed; precision %.3f, recall %.3f",
                  set->len, t.true_pos, t.false_pos, t.false_neg, precision, recall);
  g_assert_cmpuint (set->len, >=, 30);
  g_assert_cmpfloat (precision, >=, 0.9);
  g_assert_cmpfloat (recall, >=, 0.8);
  labelled_set_free (set);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  city = labelled_gazetteer ();
  g_test_add_func ("/sa/duplicates/days-apart", test_days_apart);
  g_test_add_func ("/sa/duplicates/rules", test_rules);
  g_test_add_func ("/sa/duplicates/labelled-set", test_labelled_set);
  status = g_test_run ();
  sa_gazetteer_free (city);
  return status;
}
