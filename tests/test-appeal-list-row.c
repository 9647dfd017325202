/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "sa-application.h"
#include "sa-appeal-list-row.h"

/* A stand-in item with the properties the row reads, so the row can be
 * checked on its own. */
#define TEST_TYPE_ITEM (test_item_get_type ())
G_DECLARE_FINAL_TYPE (TestItem, test_item, TEST, ITEM, GObject)

struct _TestItem
{
  GObject     parent_instance;
  const char *summary;
  const char *address;
  const char *district;
  const char *status;
  const char *sphere;
  gboolean    unread;
  gint64      received;
  gint64      legal_due;
  gint64      operational_due;
  gint64      notice_due;
};

G_DEFINE_FINAL_TYPE (TestItem, test_item, G_TYPE_OBJECT)

enum { P_0, P_REG, P_CAT, P_SUM, P_ADDR, P_DIST, P_STATUS, P_SPHERE, P_REPEAT, P_PENDING, P_UNREAD,
       P_RECEIVED, P_LEGAL, P_OPERATIONAL, P_NOTICE };

static void
test_item_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TestItem *self = TEST_ITEM (object);

  switch (prop_id)
    {
    case P_REG: g_value_set_string (value, "ALA-2026-000042"); break;
    case P_CAT: g_value_set_string (value, "Нет отопления"); break;
    case P_SUM: g_value_set_string (value, self->summary); break;
    case P_ADDR: g_value_set_string (value, self->address); break;
    case P_DIST: g_value_set_string (value, self->district); break;
    case P_STATUS: g_value_set_string (value, self->status); break;
    case P_SPHERE: g_value_set_string (value, self->sphere); break;
    case P_REPEAT: g_value_set_boolean (value, TRUE); break;
    case P_PENDING: g_value_set_boolean (value, FALSE); break;
    case P_UNREAD: g_value_set_boolean (value, self->unread); break;
    case P_RECEIVED: g_value_set_int64 (value, self->received); break;
    case P_LEGAL: g_value_set_int64 (value, self->legal_due); break;
    case P_OPERATIONAL: g_value_set_int64 (value, self->operational_due); break;
    case P_NOTICE: g_value_set_int64 (value, self->notice_due); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_item_class_init (TestItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const char *strings[] = { NULL, "reg-number", "category-name", "summary", "address",
                            "district-name", "status", "sphere" };
  const char *booleans[] = { "is-repeat", "pending", "unread" };
  const char *times[] = { "received-at", "legal-due-at", "operational-due-at",
                          "notice-due-at" };

  object_class->get_property = test_item_get_property;
  for (guint i = P_REG; i <= P_SPHERE; i++)
    g_object_class_install_property (object_class, i,
                                     g_param_spec_string (strings[i], NULL, NULL, NULL,
                                                          G_PARAM_READABLE));
  for (guint i = 0; i < G_N_ELEMENTS (booleans); i++)
    g_object_class_install_property (object_class, P_REPEAT + i,
                                     g_param_spec_boolean (booleans[i], NULL, NULL, FALSE,
                                                           G_PARAM_READABLE));
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    g_object_class_install_property (object_class, P_RECEIVED + i,
                                     g_param_spec_int64 (times[i], NULL, NULL, 0, G_MAXINT64, 0,
                                                         G_PARAM_READABLE));
}

static void
test_item_init (TestItem *self)
{
  self->summary = "В квартире +12 градусов";
  self->address = "проспект Абая, 52";
  self->district = "Алмалинский";
  self->status = "info_requested";
  self->sphere = "heating";
}

/* What the row draws for @which. */
static const char *
text (SaAppealListRow     *row,
      SaAppealListRowText  which)
{
  return pango_layout_get_text (sa_appeal_list_row_get_layout (row, which));
}

static gboolean
is_bold (SaAppealListRow     *row,
         SaAppealListRowText  which)
{
  PangoAttrList *attrs = pango_layout_get_attributes (sa_appeal_list_row_get_layout (row, which));
  g_autoptr(PangoAttrIterator) iter = pango_attr_list_get_iterator (attrs);
  PangoAttrInt *weight = (PangoAttrInt *) pango_attr_iterator_get (iter, PANGO_ATTR_WEIGHT);

  return weight != NULL && weight->value >= PANGO_WEIGHT_BOLD;
}

static gint64
fake_now (gpointer user_data)
{
  return *(gint64 *) user_data;
}

/* One sentence: number, category, address, deadline, then status and marks. */
#define SPOKEN_ROW "ALA-2026-000042, Нет отопления, проспект Абая, 52, Алмалинский, "

static void
test_bind (void)
{
  /* A bound row shows the number, the sphere's icon and the category, text, place, status in words, the repeat mark and the countdown to the nearer deadline; screen readers hear it as one sentence (number, category, address, deadline, status, marks); an unread appeal's number and text are bold, and an answered one has no chip. */
  SaAppealListRow *row = g_object_ref_sink (SA_APPEAL_LIST_ROW (sa_appeal_list_row_new ()));
  g_autoptr(TestItem) item = g_object_new (TEST_TYPE_ITEM, NULL);
  const gint64 t0 = 1763900000;
  gint64 now = t0 * G_USEC_PER_SEC;
  g_autoptr(SaClock) clock = sa_clock_new_with_now_func (fake_now, &now, NULL);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  item->unread = TRUE;
  item->received = t0 - 24 * 3600;
  item->legal_due = t0 + 15 * 24 * 3600;
  item->operational_due = t0 + 2 * 24 * 3600 + 4 * 3600;
  sa_appeal_list_row_set_clock (row, clock);
  sa_appeal_list_row_bind (row, G_OBJECT (item));
  g_assert_cmpstr (text (row, SA_APPEAL_LIST_ROW_NUMBER), ==, "ALA-2026-000042");
  g_assert_cmpstr (text (row, SA_APPEAL_LIST_ROW_STATUS), ==, "Waiting for Information");
  g_assert_cmpstr (text (row, SA_APPEAL_LIST_ROW_CATEGORY), ==, "Нет отопления");
  g_assert_cmpstr (text (row, SA_APPEAL_LIST_ROW_SUMMARY), ==, "В квартире +12 градусов");
  g_assert_cmpstr (text (row, SA_APPEAL_LIST_ROW_PLACE), ==, "проспект Абая, 52 · Алмалинский");
  g_assert_cmpstr (text (row, SA_APPEAL_LIST_ROW_SLA), ==, "2 d 4 h");
  g_assert_cmpstr (sa_appeal_list_row_get_light (row), ==, "green");
  g_assert_cmpstr (sa_appeal_list_row_get_mark (row, SA_APPEAL_LIST_ROW_REPEAT), ==,
                   "view-refresh-symbolic");
  g_assert_null (sa_appeal_list_row_get_mark (row, SA_APPEAL_LIST_ROW_PENDING));
  g_assert_cmpstr (sa_appeal_list_row_get_mark (row, SA_APPEAL_LIST_ROW_SPHERE), ==,
                   "sa-sphere-heating-symbolic");
  gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       SPOKEN_ROW "2 days 4 hours left, "
                                       "Waiting for Information, Repeat appeal");
  g_assert_true (is_bold (row, SA_APPEAL_LIST_ROW_NUMBER));
  g_assert_true (is_bold (row, SA_APPEAL_LIST_ROW_SUMMARY));
  g_assert_false (is_bold (row, SA_APPEAL_LIST_ROW_PLACE));

  /* Recycled for an opened, answered appeal in a sphere without an icon of its own. */
  item->unread = FALSE;
  item->status = "answered";
  item->sphere = "fireworks";
  sa_appeal_list_row_unbind (row);
  sa_appeal_list_row_bind (row, G_OBJECT (item));
  g_assert_false (is_bold (row, SA_APPEAL_LIST_ROW_NUMBER));
  g_assert_false (is_bold (row, SA_APPEAL_LIST_ROW_SUMMARY));
  g_assert_null (sa_appeal_list_row_get_light (row));
  g_assert_cmpstr (sa_appeal_list_row_get_mark (row, SA_APPEAL_LIST_ROW_SPHERE), ==,
                   "sa-sphere-other-symbolic");
  /* Both icons are in the app's resources, where the app's icon theme looks. */
  gtk_icon_theme_add_resource_path (theme, "/kz/almaty/SmartAppeals/icons");
  g_assert_true (gtk_icon_theme_has_icon (theme, "sa-sphere-heating-symbolic"));
  g_assert_true (gtk_icon_theme_has_icon (theme, "sa-sphere-other-symbolic"));
  gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       SPOKEN_ROW "Answered, Repeat appeal");

  g_assert_finalize_object (row);
}

static void
test_notice_late (void)
{
  /* An appeal owing a notice of extension turns red the second after
   * notify_applicant_by with two weeks left, and the row says why to a
   * screen reader; before then it is green. */
  SaAppealListRow *row = g_object_ref_sink (SA_APPEAL_LIST_ROW (sa_appeal_list_row_new ()));
  g_autoptr(TestItem) item = g_object_new (TEST_TYPE_ITEM, NULL);
  const gint64 t0 = 1763900000;
  gint64 now = t0 * G_USEC_PER_SEC;
  g_autoptr(SaClock) clock = sa_clock_new_with_now_func (fake_now, &now, NULL);

  item->status = "in_progress";
  item->received = t0 - 24 * 3600;
  item->legal_due = t0 + 15 * 24 * 3600;
  item->notice_due = t0 + 3600;
  sa_appeal_list_row_set_clock (row, clock);
  sa_appeal_list_row_bind (row, G_OBJECT (item));
  g_assert_cmpstr (sa_appeal_list_row_get_light (row), ==, "green");
  now = (t0 + 3601) * G_USEC_PER_SEC;
  g_assert_cmpint (sa_clock_get_next_wakeup (clock), <=, now);
  sa_clock_check (clock);
  g_assert_cmpstr (sa_appeal_list_row_get_light (row), ==, "red");
  gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       SPOKEN_ROW "14 days 23 hours left, "
                                       "Applicant not yet told of the extension, "
                                       "In Progress, Repeat appeal");
  /* The notice was sent: no longer owed. */
  item->notice_due = 0;
  sa_appeal_list_row_unbind (row);
  sa_appeal_list_row_bind (row, G_OBJECT (item));
  g_assert_cmpstr (sa_appeal_list_row_get_light (row), ==, "green");
  g_assert_finalize_object (row);
}

static void
test_countdown_live (void)
{
  /* The SLA chip counts down from the shared clock: it asks to be woken exactly when its text or colour changes, shows the new text then (to screen readers in words), turns red and overdue on time, and a closed appeal has no chip. */
  SaAppealListRow *row = g_object_ref_sink (SA_APPEAL_LIST_ROW (sa_appeal_list_row_new ()));
  g_autoptr(TestItem) item = g_object_new (TEST_TYPE_ITEM, NULL);
  const gint64 t0 = 1763900000;
  gint64 now = t0 * G_USEC_PER_SEC;
  g_autoptr(SaClock) clock = sa_clock_new_with_now_func (fake_now, &now, NULL);

  /* Received 10 days ago, due in 1 h 5 min: red (under 10 % of the time left). */
  item->received = t0 - 10 * 24 * 3600;
  item->legal_due = t0 + 3900;
  sa_appeal_list_row_set_clock (row, clock);
  sa_appeal_list_row_bind (row, G_OBJECT (item));
  g_assert_cmpstr (text (row, SA_APPEAL_LIST_ROW_SLA), ==, "1 h 5 min");
  g_assert_cmpstr (sa_appeal_list_row_get_light (row), ==, "red");
  /* One wake-up, at the minute the text changes. */
  g_assert_cmpint (sa_clock_get_next_wakeup (clock), ==, (t0 + 60) * G_USEC_PER_SEC);

  now = (t0 + 30) * G_USEC_PER_SEC;
  sa_clock_check (clock);
  g_assert_cmpstr (text (row, SA_APPEAL_LIST_ROW_SLA), ==, "1 h 5 min");
  now = (t0 + 60) * G_USEC_PER_SEC;
  sa_clock_check (clock);
  g_assert_cmpstr (text (row, SA_APPEAL_LIST_ROW_SLA), ==, "1 h 4 min");
  gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       SPOKEN_ROW "1 hour 4 minutes left, "
                                       "Waiting for Information, Repeat appeal");

  now = (t0 + 3901) * G_USEC_PER_SEC;
  sa_clock_check (clock);
  g_assert_cmpstr (text (row, SA_APPEAL_LIST_ROW_SLA), ==, "−1 min");
  g_assert_cmpstr (sa_appeal_list_row_get_light (row), ==, "overdue");

  /* Recycled for a closed appeal: no chip, and the clock no longer changes it. */
  item->status = "closed";
  sa_appeal_list_row_unbind (row);
  sa_appeal_list_row_bind (row, G_OBJECT (item));
  g_assert_null (sa_appeal_list_row_get_light (row));
  now = (t0 + 5 * 3600) * G_USEC_PER_SEC;
  sa_clock_check (clock);
  g_assert_cmpstr (text (row, SA_APPEAL_LIST_ROW_SLA), ==, "−1 min");
  g_assert_null (sa_appeal_list_row_get_light (row));

  g_assert_finalize_object (row);
}

/* The texts a render node draws, as rectangles in the row, in order. */
static void
collect_texts (GskRenderNode *node,
               float          dx,
               float          dy,
               GArray        *out)
{
  graphene_rect_t bounds;
  float sx, sy, tx, ty;

  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_TEXT_NODE:
      gsk_render_node_get_bounds (node, &bounds);
      graphene_rect_offset (&bounds, dx, dy);
      g_array_append_val (out, bounds);
      break;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        collect_texts (gsk_container_node_get_child (node, i), dx, dy, out);
      break;
    case GSK_TRANSFORM_NODE:
      gsk_transform_to_affine (gsk_transform_node_get_transform (node), &sx, &sy, &tx, &ty);
      collect_texts (gsk_transform_node_get_child (node), dx + tx, dy + ty, out);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      collect_texts (gsk_rounded_clip_node_get_child (node), dx, dy, out);
      break;
    case GSK_CLIP_NODE:
      collect_texts (gsk_clip_node_get_child (node), dx, dy, out);
      break;
    default:
      break;
    }
}

static void
next_frames (GtkWidget *widget)
{
  gint64 until = g_get_monotonic_time () + 100 * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_drawn_at_narrowest (void)
{
  /* In the narrowest window (360 px) a row with a long Kazakh text draws all six texts inside itself, each on one line, the place ending before the chip; bound to another appeal, the row keeps its height. */
  GtkWidget *window = gtk_window_new ();
  SaAppealListRow *row = SA_APPEAL_LIST_ROW (sa_appeal_list_row_new ());
  g_autoptr(TestItem) item = g_object_new (TEST_TYPE_ITEM, NULL);
  g_autoptr(TestItem) other = g_object_new (TEST_TYPE_ITEM, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GArray) texts = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  const gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  PangoLayout *summary;
  graphene_rect_t *place, *chip;
  int height, width;

  item->summary = "Пәтерде жылу жоқ, радиаторлар суық, үйдегі барлық тұрғындар шағымданады";
  item->received = now - 3600;
  item->legal_due = now + 14 * 24 * 3600;
  other->status = "answered";
  gtk_window_set_default_size (GTK_WINDOW (window), 360, -1);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (row));
  sa_appeal_list_row_bind (row, G_OBJECT (other));
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (GTK_WIDGET (row)) == 0)
    g_main_context_iteration (NULL, TRUE);
  height = gtk_widget_get_height (GTK_WIDGET (row));
  width = gtk_widget_get_width (GTK_WIDGET (row));
  g_assert_cmpint (width, ==, 360);

  sa_appeal_list_row_bind (row, G_OBJECT (item));
  next_frames (window);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (row)), ==, height);

  paintable = gtk_widget_paintable_new (GTK_WIDGET (row));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  collect_texts (node, 0, 0, texts);
  /* An ellipsis may come as a text of its own. */
  g_assert_cmpuint (texts->len, >=, SA_APPEAL_LIST_ROW_N_TEXTS);
  for (guint i = 0; i < texts->len; i++)
    {
      graphene_rect_t *r = &g_array_index (texts, graphene_rect_t, i);

      g_assert_cmpfloat (r->origin.x, >=, 0);
      g_assert_cmpfloat (r->origin.x + r->size.width, <=, width);
      g_assert_cmpfloat (r->origin.y, >=, 0);
      g_assert_cmpfloat (r->origin.y + r->size.height, <=, height);
    }
  summary = sa_appeal_list_row_get_layout (row, SA_APPEAL_LIST_ROW_SUMMARY);
  g_assert_cmpint (pango_layout_get_line_count (summary), ==, 1);
  g_assert_true (pango_layout_is_ellipsized (summary));
  /* Drawn in order: number, badge, category, summary, place, chip. The
   * category follows its sphere's icon. */
  g_assert_cmpfloat (g_array_index (texts, graphene_rect_t, 2).origin.x, >=, 12 + 16 + 6 - 1);
  place = &g_array_index (texts, graphene_rect_t, texts->len - 2);
  chip = &g_array_index (texts, graphene_rect_t, texts->len - 1);
  g_assert_cmpfloat (place->origin.x + place->size.width, <, chip->origin.x);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Draws @row at its size, so that its layouts get their widths. */
static void
draw_row (SaAppealListRow *row)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (row));
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (GTK_WIDGET (row)),
                          gtk_widget_get_height (GTK_WIDGET (row)));
  node = gtk_snapshot_free_to_node (snapshot);
}

/* The width @text takes in @layout's font. */
static int
width_of (PangoLayout *layout,
          const char  *text)
{
  g_autoptr(PangoLayout) probe = pango_layout_copy (layout);
  int width;

  pango_layout_set_text (probe, text, -1);
  pango_layout_set_width (probe, -1);
  pango_layout_get_pixel_size (probe, &width, NULL);
  return width;
}

static void
test_overdue_keeps_house_number (void)
{
  /* As wide as a row in the narrowest window (360 px less the list's margins), in Russian and Kazakh, a row 173 days overdue shows its chip whole and the address with its house number; only the district may be cut. */
  static const struct { const char *lang, *district; } langs[] = {
    { "ru", "Алмалинский район" }, { "kk", "Алмалы ауданы" },
  };
  g_autofree char *localedir = g_build_filename (g_getenv ("SA_BUILD_ROOT"), "po", NULL);
  const gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      GtkWidget *window = gtk_window_new ();
      SaAppealListRow *row = SA_APPEAL_LIST_ROW (sa_appeal_list_row_new ());
      g_autoptr(TestItem) item = g_object_new (TEST_TYPE_ITEM, NULL);
      PangoLayout *place, *chip;

      g_setenv ("LANGUAGE", langs[i].lang, TRUE);
      setlocale (LC_ALL, "C");
      setlocale (LC_ALL, "C.UTF-8");
      item->status = "in_progress";
      item->address = "проспект Рыскулова, 152";
      item->district = langs[i].district;
      item->received = now - 200 * 24 * 3600;
      item->legal_due = now - 173 * 24 * 3600 - 3600;
      gtk_window_set_default_size (GTK_WINDOW (window), 336, -1);
      gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (row));
      sa_appeal_list_row_bind (row, G_OBJECT (item));
      gtk_window_present (GTK_WINDOW (window));
      while (gtk_widget_get_width (GTK_WIDGET (row)) == 0)
        g_main_context_iteration (NULL, TRUE);
      draw_row (row);

      place = sa_appeal_list_row_get_layout (row, SA_APPEAL_LIST_ROW_PLACE);
      chip = sa_appeal_list_row_get_layout (row, SA_APPEAL_LIST_ROW_SLA);
      g_assert_cmpstr (sa_appeal_list_row_get_light (row), ==, "overdue");
      g_test_message ("%s: chip “%s”, place “%s”", langs[i].lang, pango_layout_get_text (chip),
                      pango_layout_get_text (place));
      /* In the language asked for, not English. */
      g_assert_null (strstr (pango_layout_get_text (chip), " d"));
      g_assert_false (pango_layout_is_ellipsized (chip));
      /* The room the place is drawn in holds the whole address. */
      g_assert_cmpint (width_of (place, "проспект Рыскулова, 152"), <=,
                       pango_layout_get_width (place) / PANGO_SCALE);
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C");
  setlocale (LC_ALL, "C.UTF-8");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SaApplication) app = NULL;

  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = sa_application_new ();

  g_test_add_func ("/sa/appeal-list-row/bind", test_bind);
  g_test_add_func ("/sa/appeal-list-row/notice-late", test_notice_late);
  g_test_add_func ("/sa/appeal-list-row/countdown-live", test_countdown_live);
  g_test_add_func ("/sa/appeal-list-row/drawn-at-narrowest", test_drawn_at_narrowest);
  g_test_add_func ("/sa/appeal-list-row/overdue-keeps-house-number",
                   test_overdue_keeps_house_number);
  return g_test_run ();
}
