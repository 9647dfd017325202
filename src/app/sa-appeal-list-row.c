/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-appeal-list-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-appeal-list-row.h"
#include "sa-cache.h"
#include "sa-appeal-model.h"
#include "sa-countdown.h"
#include "sa-labels.h"

/* One row of the appeals list, drawn by the row itself: no child widgets.
 *
 * GTK 4.8's list view keeps some 200 row widgets alive and measures every
 * one of them after a query binds them again. A row of labels shaped all
 * its texts there, five per row, and a query stalled the main loop for
 * 30–50 ms (docs/performance.md). This row's height comes from the font
 * alone, so binding it never asks for a new size, and its texts are
 * shaped only when it is drawn: the rows on screen.
 *
 * The fonts follow the row's CSS font (the body text); the colours are
 * the named colours of resources/style.css, so the dark style and high
 * contrast apply. Screen readers get the whole row as one label. */

#define MARGIN_X     12
#define MARGIN_Y     9
#define LINE_SPACING 3
#define SPACING      6
#define ICON_SIZE    16
#define BADGE_PAD_X  8
#define BADGE_PAD_Y  1
#define CHIP_PAD_X   10
#define CHIP_PAD_Y   2

/* How each text is set: the body font, or as libadwaita 1.2 sets its
 * .heading (bold, 11 pt) and .caption (9 pt); a badge is CSS "smaller". */
static const struct
{
  double      points;  /* 0 for the body font's size */
  double      scale;
  PangoWeight weight;
  gboolean    tabular;
  gboolean    ellipsize;
} text_styles[SA_APPEAL_LIST_ROW_N_TEXTS] = {
  [SA_APPEAL_LIST_ROW_NUMBER]   = { 0, 1.0, PANGO_WEIGHT_NORMAL, TRUE, TRUE },
  [SA_APPEAL_LIST_ROW_STATUS]   = { 0, PANGO_SCALE_SMALL, PANGO_WEIGHT_BOLD, FALSE, FALSE },
  [SA_APPEAL_LIST_ROW_CATEGORY] = { 11, 1.0, PANGO_WEIGHT_BOLD, FALSE, TRUE },
  [SA_APPEAL_LIST_ROW_SUMMARY]  = { 0, 1.0, PANGO_WEIGHT_NORMAL, FALSE, TRUE },
  [SA_APPEAL_LIST_ROW_PLACE]    = { 9, 1.0, PANGO_WEIGHT_NORMAL, FALSE, TRUE },
  [SA_APPEAL_LIST_ROW_SLA]      = { 0, 1.0, PANGO_WEIGHT_BOLD, TRUE, FALSE },
};

/* Where everything goes at a given width. */
typedef struct
{
  graphene_rect_t text[SA_APPEAL_LIST_ROW_N_TEXTS];
  graphene_rect_t mark[SA_APPEAL_LIST_ROW_N_MARKS];
  graphene_rect_t badge;
  graphene_rect_t chip;
} Geometry;

struct _SaAppealListRow
{
  GtkWidget    parent_instance;

  char        *texts[SA_APPEAL_LIST_ROW_N_TEXTS];
  /* Made when first drawn, dropped when their text or font changes. */
  PangoLayout *layouts[SA_APPEAL_LIST_ROW_N_TEXTS];
  const char  *marks[SA_APPEAL_LIST_ROW_N_MARKS];  /* icon names, or NULL */
  const char  *status_style;
  const char  *pending_tooltip;
  gboolean     warn_pending;
  gboolean     unread;

  /* The line heights of the fonts in use, and the font they were
   * measured with; 0 until measured. */
  PangoFontDescription *font;
  int          heights[SA_APPEAL_LIST_ROW_N_TEXTS];

  char        *spoken;  /* the whole row, for screen readers */
  char        *place_spoken;  /* the address and the district, as read */

  /* The SLA chip's countdown: redrawn when the clock reaches next_change,
   * the instant its text or colour changes, and not before. */
  SaClock     *clock;
  gulong       tick_handler;
  gint64       start;
  gint64       due;
  gint64       notice_due;  /* sa_appeal_notice_due(), or 0 */
  gint64       next_change;
  const char  *light;
  char        *sla_spoken;
};

G_DEFINE_FINAL_TYPE (SaAppealListRow, sa_appeal_list_row, GTK_TYPE_WIDGET)

GtkWidget *
sa_appeal_list_row_new (void)
{
  return g_object_new (SA_TYPE_APPEAL_LIST_ROW, NULL);
}

/* Points in pixels as GTK's CSS counts them: at the screen's DPI, which
 * also carries the desktop's text scaling. */
static double
points_to_pixels (GtkWidget *widget,
                  double     points)
{
  int xft_dpi = -1;

  g_object_get (gtk_widget_get_settings (widget), "gtk-xft-dpi", &xft_dpi, NULL);
  return points * (xft_dpi > 0 ? xft_dpi / 1024.0 : 96.0) / 72.0;
}

static PangoAttrList *
text_attributes (SaAppealListRow     *self,
                 SaAppealListRowText  text)
{
  PangoAttrList *attrs = pango_attr_list_new ();
  PangoWeight weight = text_styles[text].weight;
  gboolean unread = self->unread;

  /* Unread appeals stand out, as unread mail does. */
  if (unread && (text == SA_APPEAL_LIST_ROW_NUMBER || text == SA_APPEAL_LIST_ROW_SUMMARY))
    weight = PANGO_WEIGHT_BOLD;
  pango_attr_list_insert (attrs, pango_attr_weight_new (weight));
  if (text_styles[text].points != 0)
    pango_attr_list_insert (attrs, pango_attr_size_new_absolute (
      points_to_pixels (GTK_WIDGET (self), text_styles[text].points) * PANGO_SCALE));
  if (text_styles[text].scale != 1.0)
    pango_attr_list_insert (attrs, pango_attr_scale_new (text_styles[text].scale));
  if (text_styles[text].tabular)
    pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  return attrs;
}

static PangoLayout *
make_layout (SaAppealListRow     *self,
             SaAppealListRowText  text,
             const char          *str)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), str);
  g_autoptr(PangoAttrList) attrs = text_attributes (self, text);

  pango_layout_set_attributes (layout, attrs);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  if (text_styles[text].ellipsize)
    pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  return layout;
}

/**
 * sa_appeal_list_row_get_layout:
 * @self: a #SaAppealListRow
 * @text: which text
 *
 * Returns: (transfer none): the layout the row draws @text with; an empty
 *   one for a text the row does not show
 */
PangoLayout *
sa_appeal_list_row_get_layout (SaAppealListRow     *self,
                               SaAppealListRowText  text)
{
  g_return_val_if_fail (SA_IS_APPEAL_LIST_ROW (self), NULL);
  g_return_val_if_fail (text < SA_APPEAL_LIST_ROW_N_TEXTS, NULL);

  if (self->layouts[text] == NULL)
    self->layouts[text] = make_layout (self, text, self->texts[text] ? self->texts[text] : "");
  return self->layouts[text];
}

/**
 * sa_appeal_list_row_get_mark:
 * @self: a #SaAppealListRow
 * @mark: which mark
 *
 * Returns: (nullable): the icon the row shows for @mark, or %NULL
 */
const char *
sa_appeal_list_row_get_mark (SaAppealListRow     *self,
                             SaAppealListRowMark  mark)
{
  g_return_val_if_fail (SA_IS_APPEAL_LIST_ROW (self), NULL);
  g_return_val_if_fail (mark < SA_APPEAL_LIST_ROW_N_MARKS, NULL);

  return self->marks[mark];
}

/**
 * sa_appeal_list_row_get_light:
 * @self: a #SaAppealListRow
 *
 * Returns: (nullable): the SLA chip's colour ("green", "yellow", "red" or
 *   "overdue"), or %NULL when the row shows no chip
 */
const char *
sa_appeal_list_row_get_light (SaAppealListRow *self)
{
  g_return_val_if_fail (SA_IS_APPEAL_LIST_ROW (self), NULL);

  return self->due != 0 ? self->light : NULL;
}

static void
drop_layouts (SaAppealListRow *self)
{
  for (guint i = 0; i < SA_APPEAL_LIST_ROW_N_TEXTS; i++)
    g_clear_object (&self->layouts[i]);
}

/* Takes @str as the row's @text; the layout goes if the text changed. */
static void
set_text (SaAppealListRow     *self,
          SaAppealListRowText  text,
          char                *str)
{
  if (g_strcmp0 (self->texts[text], str) == 0)
    {
      g_free (str);
      return;
    }
  g_free (self->texts[text]);
  self->texts[text] = str;
  g_clear_object (&self->layouts[text]);
}

/* GTK 4.8's list item widget, which takes the focus for the row, has no
 * name of its own: a screen reader would read "GtkListItemWidget". It
 * gets the row's sentence too. */
static void
label_parent (SaAppealListRow *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (parent != NULL && self->spoken != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (parent),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, self->spoken, -1);
}

/* The row as one sentence: the number, the category, the address, the
 * deadline, then the status and the marks. The summary is left to the
 * detail: read out for every row it would drown the rest. */
static void
update_spoken (SaAppealListRow *self)
{
  g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
  const char *texts[] = {
    self->texts[SA_APPEAL_LIST_ROW_NUMBER], self->texts[SA_APPEAL_LIST_ROW_CATEGORY],
    self->place_spoken, self->due != 0 ? self->sla_spoken : NULL,
    self->texts[SA_APPEAL_LIST_ROW_STATUS],
  };
  g_auto(GStrv) strv = NULL;
  g_autofree char *spoken = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (texts[i] != NULL && texts[i][0] != '\0')
      g_strv_builder_add (parts, texts[i]);
  if (self->marks[SA_APPEAL_LIST_ROW_REPEAT] != NULL)
    g_strv_builder_add (parts, _("Repeat appeal"));
  if (self->marks[SA_APPEAL_LIST_ROW_PENDING] != NULL)
    g_strv_builder_add (parts, self->pending_tooltip);
  strv = g_strv_builder_end (parts);
  spoken = g_strjoinv (", ", strv);

  /* Each change is a message on the accessibility bus: only real ones. */
  if (g_strcmp0 (spoken, self->spoken) == 0)
    return;
  g_free (self->spoken);
  self->spoken = g_steal_pointer (&spoken);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->spoken,
                                  -1);
  label_parent (self);
}

/* Computes the SLA chip for @now_usec and asks the clock to wake the row
 * when it next changes. */
static void
update_sla (SaAppealListRow *self,
            gint64           now_usec)
{
  char *text = NULL;

  g_clear_pointer (&self->sla_spoken, g_free);
  self->light = sa_countdown_compute (self->start, self->due, now_usec / G_USEC_PER_SEC,
                                      self->notice_due, SA_COUNTDOWN_SHORT, NULL, &text, &self->sla_spoken,
                                      &self->next_change);
  set_text (self, SA_APPEAL_LIST_ROW_SLA, text);
  if (self->next_change != G_MAXINT64)
    sa_clock_request_wakeup (self->clock, self->next_change);
}

static void
clock_tick_cb (SaAppealListRow *self,
               gint64           now_usec,
               SaClock         *clock)
{
  /* Every row hears every tick; only those whose text or colour changes
   * now redraw. */
  if (self->due == 0 || now_usec < self->next_change)
    return;
  update_sla (self, now_usec);
  update_spoken (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * sa_appeal_list_row_set_clock:
 * @self: a #SaAppealListRow
 * @clock: the clock the SLA chip counts down with
 *
 * Sets the clock; rows bound before it was set take sa_clock_get_default().
 */
void
sa_appeal_list_row_set_clock (SaAppealListRow *self,
                              SaClock         *clock)
{
  g_return_if_fail (SA_IS_APPEAL_LIST_ROW (self));
  g_return_if_fail (SA_IS_CLOCK (clock));

  if (self->clock == clock)
    return;
  g_clear_signal_handler (&self->tick_handler, self->clock);
  g_set_object (&self->clock, clock);
  self->tick_handler = g_signal_connect_object (clock, "tick", G_CALLBACK (clock_tick_cb),
                                                self, G_CONNECT_SWAPPED);
}

/* The spheres with an icon of their own in resources/icons. */
static const char *
sphere_icon (const char *sphere)
{
#define ICON(name) { name, "sa-sphere-" name "-symbolic" }
  static const struct { const char *sphere, *icon; } drawn[] = {
    ICON ("electricity"), ICON ("flooding"), ICON ("gas"), ICON ("heating"), ICON ("ksk"),
    ICON ("landscaping"), ICON ("lifts"), ICON ("manholes"), ICON ("roads"),
    ICON ("transport"), ICON ("waste"), ICON ("water"),
  };
#undef ICON

  for (guint i = 0; sphere != NULL && i < G_N_ELEMENTS (drawn); i++)
    if (g_str_equal (sphere, drawn[i].sphere))
      return drawn[i].icon;
  return "sa-sphere-other-symbolic";
}

/**
 * sa_appeal_list_row_bind:
 * @self: a #SaAppealListRow
 * @item: the row's appeal, with the properties of #SaAppealRow
 *
 * Shows @item. An open appeal has an SLA chip counting down live to the
 * nearer of its deadlines: the row asks the clock to wake it only when the
 * chip's text or colour will change. The row keeps its size: binding only
 * redraws it.
 */
void
sa_appeal_list_row_bind (SaAppealListRow *self,
                         GObject         *item)
{
  g_autofree char *address = NULL;
  g_autofree char *district = NULL;
  g_autofree char *status = NULL;
  g_autofree char *sphere = NULL;
  char *reg_number = NULL, *category = NULL, *summary = NULL;
  gboolean is_repeat = FALSE, pending = FALSE, unread = FALSE;
  gint64 received = 0, legal = 0, operational = 0, notice_due = 0;
  int offline_state = SA_OFFLINE_SYNCED;

  g_return_if_fail (SA_IS_APPEAL_LIST_ROW (self));
  g_return_if_fail (G_IS_OBJECT (item));

  g_object_get (item,
                "reg-number", &reg_number,
                "category-name", &category,
                "summary", &summary,
                "address", &address,
                "district-name", &district,
                "status", &status,
                "is-repeat", &is_repeat,
                "pending", &pending,
                "unread", &unread,
                "received-at", &received,
                "legal-due-at", &legal,
                "operational-due-at", &operational,
                NULL);
  /* SaAppealRow tells a conflict or a rejection apart from a change that
   * merely waits to be sent; other items have only "pending". */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (item), "offline-state") != NULL)
    g_object_get (item, "offline-state", &offline_state, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (item), "sphere") != NULL)
    g_object_get (item, "sphere", &sphere, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (item), "notice-due-at") != NULL)
    g_object_get (item, "notice-due-at", &notice_due, NULL);

  if (unread != self->unread)
    {
      self->unread = unread;
      g_clear_object (&self->layouts[SA_APPEAL_LIST_ROW_NUMBER]);
      g_clear_object (&self->layouts[SA_APPEAL_LIST_ROW_SUMMARY]);
    }
  set_text (self, SA_APPEAL_LIST_ROW_NUMBER, reg_number);
  set_text (self, SA_APPEAL_LIST_ROW_CATEGORY, category);
  set_text (self, SA_APPEAL_LIST_ROW_SUMMARY, summary);
  set_text (self, SA_APPEAL_LIST_ROW_PLACE, g_strjoin (" · ", address ? address : "", district, NULL));
  /* A screen reader says "middle dot" for the dot. */
  g_free (self->place_spoken);
  self->place_spoken = g_strjoin (", ", address ? address : "", district, NULL);
  set_text (self, SA_APPEAL_LIST_ROW_STATUS, g_strdup (sa_labels_status (status)));
  self->status_style = sa_labels_status_style (status);

  self->marks[SA_APPEAL_LIST_ROW_SPHERE] = sphere_icon (sphere);
  self->marks[SA_APPEAL_LIST_ROW_REPEAT] = is_repeat ? "view-refresh-symbolic" : NULL;
  self->warn_pending = offline_state == SA_OFFLINE_CONFLICT ||
                       offline_state == SA_OFFLINE_REJECTED;
  if (offline_state == SA_OFFLINE_CONFLICT)
    self->pending_tooltip = _("A change met a newer version in the registry and needs your decision");
  else if (offline_state == SA_OFFLINE_REJECTED)
    self->pending_tooltip = _("The registry refused a change; see why in the appeal");
  else
    self->pending_tooltip = _("Changes not yet sent to the registry");
  self->marks[SA_APPEAL_LIST_ROW_PENDING] = !pending ? NULL
                                            : self->warn_pending ? "dialog-warning-symbolic"
                                            : "emblem-synchronizing-symbolic";

  /* The chip counts down to the nearer deadline while the clock runs. */
  self->start = received;
  self->notice_due = notice_due;
  self->due = 0;
  if (sa_appeal_status_name_in (status, SA_STATUS_SET_CLOCK_RUNNING))
    self->due = sa_sla_nearer_due (legal, operational);
  if (self->due != 0)
    {
      if (self->clock == NULL)
        sa_appeal_list_row_set_clock (self, sa_clock_get_default ());
      update_sla (self, sa_clock_get_now (self->clock));
    }

  update_spoken (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sa_appeal_list_row_unbind (SaAppealListRow *self)
{
  g_return_if_fail (SA_IS_APPEAL_LIST_ROW (self));

  set_text (self, SA_APPEAL_LIST_ROW_NUMBER, NULL);
  self->due = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The line heights, measured once per font with text that reaches as high
 * and as low as Russian and Kazakh do. */
static void
ensure_heights (SaAppealListRow *self)
{
  const PangoFontDescription *font;

  font = pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self)));
  if (self->font != NULL && pango_font_description_equal (font, self->font))
    return;

  g_clear_pointer (&self->font, pango_font_description_free);
  self->font = pango_font_description_copy (font);
  for (guint i = 0; i < SA_APPEAL_LIST_ROW_N_TEXTS; i++)
    {
      g_autoptr(PangoLayout) probe = make_layout (self, i, "ЁҚуқ");

      pango_layout_get_pixel_size (probe, NULL, &self->heights[i]);
    }
}

static int
line_height (SaAppealListRow *self,
             guint            line)
{
  const int *h = self->heights;

  switch (line)
    {
    case 0:
      return MAX (MAX (h[SA_APPEAL_LIST_ROW_NUMBER], ICON_SIZE),
                  h[SA_APPEAL_LIST_ROW_STATUS] + 2 * BADGE_PAD_Y);
    case 1:
      return MAX (h[SA_APPEAL_LIST_ROW_CATEGORY], ICON_SIZE);
    case 2:
      return h[SA_APPEAL_LIST_ROW_SUMMARY];
    default:
      return MAX (h[SA_APPEAL_LIST_ROW_PLACE], h[SA_APPEAL_LIST_ROW_SLA] + 2 * CHIP_PAD_Y);
    }
}

static void
sa_appeal_list_row_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  SaAppealListRow *self = SA_APPEAL_LIST_ROW (widget);

  ensure_heights (self);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Texts are cut with an ellipsis: the list decides the width. */
      *minimum = 2 * MARGIN_X;
      *natural = 2 * MARGIN_X + 30 * self->heights[SA_APPEAL_LIST_ROW_SUMMARY];
      return;
    }
  *minimum = *natural = 2 * MARGIN_Y + 3 * LINE_SPACING +
                        line_height (self, 0) + line_height (self, 1) +
                        line_height (self, 2) + line_height (self, 3);
}

/* The natural width of @text, for the badge and the chip. */
static int
text_width (SaAppealListRow     *self,
            SaAppealListRowText  text)
{
  int width;

  pango_layout_get_pixel_size (sa_appeal_list_row_get_layout (self, text), &width, NULL);
  return width;
}

/* Puts @text in a line box, left of @right, vertically centred. */
static void
place_text (SaAppealListRow     *self,
            Geometry            *g,
            SaAppealListRowText  text,
            float                y,
            int                  line,
            float                right)
{
  float h = self->heights[text];

  graphene_rect_init (&g->text[text], MARGIN_X, y + (line - h) / 2, MAX (0, right - MARGIN_X), h);
}

/* A pill at the right end of a line, left of @right; returns its left. */
static float
place_pill (SaAppealListRow     *self,
            Geometry            *g,
            graphene_rect_t     *pill,
            SaAppealListRowText  text,
            int                  pad_x,
            int                  pad_y,
            float                y,
            int                  line,
            float                right)
{
  float w = text_width (self, text) + 2 * pad_x;
  float h = self->heights[text] + 2 * pad_y;

  graphene_rect_init (pill, right - w, y + (line - h) / 2, w, h);
  graphene_rect_init (&g->text[text], right - w + pad_x, pill->origin.y + pad_y,
                      w - 2 * pad_x, self->heights[text]);
  return right - w - SPACING;
}

static void
arrange (SaAppealListRow *self,
         int              width,
         Geometry        *g)
{
  float right = width - MARGIN_X;
  float y = MARGIN_Y;
  int line;

  memset (g, 0, sizeof *g);
  ensure_heights (self);

  /* The number, the marks and the status badge. */
  line = line_height (self, 0);
  right = place_pill (self, g, &g->badge, SA_APPEAL_LIST_ROW_STATUS, BADGE_PAD_X, BADGE_PAD_Y,
                      y, line, right);
  for (int m = SA_APPEAL_LIST_ROW_REPEAT; m >= SA_APPEAL_LIST_ROW_PENDING; m--)
    if (self->marks[m] != NULL)
      {
        graphene_rect_init (&g->mark[m], right - ICON_SIZE, y + (line - ICON_SIZE) / 2,
                            ICON_SIZE, ICON_SIZE);
        right -= ICON_SIZE + SPACING;
      }
  place_text (self, g, SA_APPEAL_LIST_ROW_NUMBER, y, line, right);
  y += line + LINE_SPACING;

  /* The sphere's icon and the category. */
  line = line_height (self, 1);
  graphene_rect_init (&g->mark[SA_APPEAL_LIST_ROW_SPHERE], MARGIN_X, y + (line - ICON_SIZE) / 2,
                      ICON_SIZE, ICON_SIZE);
  place_text (self, g, SA_APPEAL_LIST_ROW_CATEGORY, y, line, width - MARGIN_X);
  g->text[SA_APPEAL_LIST_ROW_CATEGORY].origin.x += ICON_SIZE + SPACING;
  g->text[SA_APPEAL_LIST_ROW_CATEGORY].size.width -= ICON_SIZE + SPACING;
  y += line + LINE_SPACING;

  line = line_height (self, 2);
  place_text (self, g, SA_APPEAL_LIST_ROW_SUMMARY, y, line, width - MARGIN_X);
  y += line + LINE_SPACING;

  /* The place and the SLA chip. */
  line = line_height (self, 3);
  right = width - MARGIN_X;
  if (self->due != 0)
    right = place_pill (self, g, &g->chip, SA_APPEAL_LIST_ROW_SLA, CHIP_PAD_X, CHIP_PAD_Y,
                        y, line, right);
  place_text (self, g, SA_APPEAL_LIST_ROW_PLACE, y, line, right);
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS  /* gtk_widget_get_color() is GTK 4.10 */
static void
widget_color (GtkWidget *widget,
              GdkRGBA   *color)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
}

static gboolean
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *color)
{
  return gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color);
}
G_GNUC_END_IGNORE_DEPRECATIONS

/* Draws @layout at @where; a text with an ellipsis is cut to its width. */
static void
draw_text (GtkSnapshot           *snapshot,
           PangoLayout           *layout,
           const graphene_rect_t *where,
           const GdkRGBA         *color)
{
  if (where->size.width <= 0)
    return;
  if (pango_layout_get_ellipsize (layout) != PANGO_ELLIPSIZE_NONE)
    pango_layout_set_width (layout, (int) where->size.width * PANGO_SCALE);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &where->origin);
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* A rounded pill with its text, coloured by the style sheet's
 * sa_KIND_color and sa_KIND_bg; faint, in the text's colour, for a kind
 * without colours of its own. */
static void
draw_pill (SaAppealListRow       *self,
           GtkSnapshot           *snapshot,
           const Geometry        *g,
           const graphene_rect_t *pill,
           SaAppealListRowText    text,
           const char            *kind,
           const GdkRGBA         *fg)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autofree char *color_name = g_strdup_printf ("sa_%s_color", kind);
  g_autofree char *bg_name = g_strdup_printf ("sa_%s_bg", kind);
  GdkRGBA color = *fg, bg = *fg;
  GskRoundedRect rounded;

  bg.alpha *= 0.1;
  g_strdelimit (color_name, "-", '_');
  g_strdelimit (bg_name, "-", '_');
  if (lookup_color (widget, color_name, &color))
    lookup_color (widget, bg_name, &bg);
  gsk_rounded_rect_init_from_rect (&rounded, pill, pill->size.height / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, &bg, pill);
  gtk_snapshot_pop (snapshot);
  draw_text (snapshot, sa_appeal_list_row_get_layout (self, text), &g->text[text], &color);
}

static void
draw_mark (SaAppealListRow       *self,
           GtkSnapshot           *snapshot,
           const graphene_rect_t *where,
           const char            *icon_name,
           const GdkRGBA         *color)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  g_autoptr(GtkIconPaintable) icon = NULL;

  icon = gtk_icon_theme_lookup_icon (theme, icon_name, NULL, ICON_SIZE,
                                     gtk_widget_get_scale_factor (widget),
                                     gtk_widget_get_direction (widget), 0);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &where->origin);
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                            ICON_SIZE, ICON_SIZE, color, 1);
  gtk_snapshot_restore (snapshot);
}

static void
sa_appeal_list_row_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  SaAppealListRow *self = SA_APPEAL_LIST_ROW (widget);
  GdkRGBA fg, dim;
  Geometry g;

  /* Unbound: a recycled row waiting for its next appeal. */
  if (self->texts[SA_APPEAL_LIST_ROW_NUMBER] == NULL)
    return;

  widget_color (widget, &fg);
  dim = fg;
  dim.alpha *= 0.55;  /* libadwaita's .dim-label */
  arrange (self, gtk_widget_get_width (widget), &g);

  draw_text (snapshot, sa_appeal_list_row_get_layout (self, SA_APPEAL_LIST_ROW_NUMBER),
             &g.text[SA_APPEAL_LIST_ROW_NUMBER], &fg);
  for (guint m = 0; m < SA_APPEAL_LIST_ROW_N_MARKS; m++)
    if (self->marks[m] != NULL)
      {
        GdkRGBA color = fg;

        if (m == SA_APPEAL_LIST_ROW_PENDING && self->warn_pending)
          lookup_color (widget, "warning_color", &color);
        draw_mark (self, snapshot, &g.mark[m], self->marks[m], &color);
      }
  draw_pill (self, snapshot, &g, &g.badge, SA_APPEAL_LIST_ROW_STATUS, self->status_style, &fg);
  draw_text (snapshot, sa_appeal_list_row_get_layout (self, SA_APPEAL_LIST_ROW_CATEGORY),
             &g.text[SA_APPEAL_LIST_ROW_CATEGORY], &fg);
  draw_text (snapshot, sa_appeal_list_row_get_layout (self, SA_APPEAL_LIST_ROW_SUMMARY),
             &g.text[SA_APPEAL_LIST_ROW_SUMMARY], &fg);
  draw_text (snapshot, sa_appeal_list_row_get_layout (self, SA_APPEAL_LIST_ROW_PLACE),
             &g.text[SA_APPEAL_LIST_ROW_PLACE], &dim);
  if (self->due != 0)
    {
      g_autofree char *kind = g_strconcat ("sla-", self->light, NULL);

      draw_pill (self, snapshot, &g, &g.chip, SA_APPEAL_LIST_ROW_SLA, kind, &fg);
    }
}

static gboolean
sa_appeal_list_row_query_tooltip (GtkWidget  *widget,
                                  int         x,
                                  int         y,
                                  gboolean    keyboard_mode,
                                  GtkTooltip *tooltip)
{
  SaAppealListRow *self = SA_APPEAL_LIST_ROW (widget);
  graphene_point_t at = GRAPHENE_POINT_INIT (x, y);
  const char *text = NULL;
  Geometry g;

  if (self->texts[SA_APPEAL_LIST_ROW_NUMBER] == NULL || keyboard_mode)
    return FALSE;
  arrange (self, gtk_widget_get_width (widget), &g);
  if (self->marks[SA_APPEAL_LIST_ROW_PENDING] != NULL &&
      graphene_rect_contains_point (&g.mark[SA_APPEAL_LIST_ROW_PENDING], &at))
    text = self->pending_tooltip;
  else if (self->marks[SA_APPEAL_LIST_ROW_REPEAT] != NULL &&
           graphene_rect_contains_point (&g.mark[SA_APPEAL_LIST_ROW_REPEAT], &at))
    text = _("Repeat appeal");
  else if (self->due != 0 && graphene_rect_contains_point (&g.chip, &at))
    text = self->sla_spoken;
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* A new font (the style, the text scale, the system font) means new
 * heights; anything else in the style only changes colours. */
static void
font_may_have_changed (SaAppealListRow *self)
{
  const PangoFontDescription *font;

  font = pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self)));
  if (self->font != NULL && pango_font_description_equal (font, self->font))
    return;
  drop_layouts (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
sa_appeal_list_row_css_changed (GtkWidget         *widget,
                                GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sa_appeal_list_row_parent_class)->css_changed (widget, change);
  font_may_have_changed (SA_APPEAL_LIST_ROW (widget));
}

static void
sa_appeal_list_row_system_setting_changed (GtkWidget        *widget,
                                           GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (sa_appeal_list_row_parent_class)->system_setting_changed (widget, setting);
  /* The same font description may now come out larger (DPI) or in
   * another face (fontconfig). */
  g_clear_pointer (&SA_APPEAL_LIST_ROW (widget)->font, pango_font_description_free);
  drop_layouts (SA_APPEAL_LIST_ROW (widget));
  gtk_widget_queue_resize (widget);
}

static void
sa_appeal_list_row_dispose (GObject *object)
{
  SaAppealListRow *self = SA_APPEAL_LIST_ROW (object);

  drop_layouts (self);
  for (guint i = 0; i < SA_APPEAL_LIST_ROW_N_TEXTS; i++)
    g_clear_pointer (&self->texts[i], g_free);
  g_clear_pointer (&self->font, pango_font_description_free);
  g_clear_pointer (&self->spoken, g_free);
  g_clear_pointer (&self->place_spoken, g_free);
  g_clear_pointer (&self->sla_spoken, g_free);
  g_clear_signal_handler (&self->tick_handler, self->clock);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (sa_appeal_list_row_parent_class)->dispose (object);
}

static void
sa_appeal_list_row_class_init (SaAppealListRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_appeal_list_row_dispose;
  widget_class->measure = sa_appeal_list_row_measure;
  widget_class->snapshot = sa_appeal_list_row_snapshot;
  widget_class->query_tooltip = sa_appeal_list_row_query_tooltip;
  widget_class->css_changed = sa_appeal_list_row_css_changed;
  widget_class->system_setting_changed = sa_appeal_list_row_system_setting_changed;

  gtk_widget_class_set_css_name (widget_class, "appealrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
sa_appeal_list_row_init (SaAppealListRow *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "notify::parent", G_CALLBACK (label_parent), NULL);
}
