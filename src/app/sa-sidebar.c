/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-sidebar.h"

struct _SaSidebar
{
  GtkWidget   parent_instance;

  GtkListBox *list;
  GtkLabel   *counts[SA_N_SECTIONS];
  guint       values[SA_N_SECTIONS];
  SaSection   section;
};

G_DEFINE_FINAL_TYPE (SaSidebar, sa_sidebar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *title;
  const char *icon_name;
} sections[SA_N_SECTIONS] = {
  [SA_SECTION_MINE] = { N_("My Appeals"), "avatar-default-symbolic" },
  [SA_SECTION_QUEUE] = { N_("Agency Queue"), "mail-unread-symbolic" },
  [SA_SECTION_WAITING] = { N_("Waiting for the Applicant"), "mail-send-receive-symbolic" },
  [SA_SECTION_OVERDUE] = { N_("Overdue"), "alarm-symbolic" },
  [SA_SECTION_ANSWERED] = { N_("Answered"), "emblem-ok-symbolic" },
  [SA_SECTION_ALL] = { N_("All Appeals"), "view-list-symbolic" },
};

/**
 * sa_section_get_title:
 * @section: a #SaSection
 *
 * Returns: the translated title of @section
 */
const char *
sa_section_get_title (SaSection section)
{
  g_return_val_if_fail (section < SA_N_SECTIONS, NULL);
  return _(sections[section].title);
}

GtkWidget *
sa_sidebar_new (void)
{
  return g_object_new (SA_TYPE_SIDEBAR, NULL);
}

SaSection
sa_sidebar_get_section (SaSidebar *self)
{
  g_return_val_if_fail (SA_IS_SIDEBAR (self), SA_SECTION_MINE);
  return self->section;
}

void
sa_sidebar_set_section (SaSidebar *self,
                        SaSection  section)
{
  g_return_if_fail (SA_IS_SIDEBAR (self));
  g_return_if_fail (section < SA_N_SECTIONS);

  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, section));
}

/**
 * sa_sidebar_set_count:
 * @self: a #SaSidebar
 * @section: the section
 * @count: how many appeals it holds
 *
 * Shows @count next to the section's title; zero shows nothing, so that an
 * empty section does not draw the eye.
 */
void
sa_sidebar_set_count (SaSidebar *self,
                      SaSection  section,
                      guint      count)
{
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;
  GtkWidget *row;

  g_return_if_fail (SA_IS_SIDEBAR (self));
  g_return_if_fail (section < SA_N_SECTIONS);

  self->values[section] = count;
  text = count ? g_strdup_printf ("%u", count) : g_strdup ("");
  gtk_label_set_text (self->counts[section], text);

  /* A screen reader reads the title and the number as one label. */
  /* Translators: a sidebar section and the number of appeals in it, for screen readers */
  label = g_strdup_printf (_("%s, %u"), _(sections[section].title), count);
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->list, section));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

guint
sa_sidebar_get_count (SaSidebar *self,
                      SaSection  section)
{
  g_return_val_if_fail (SA_IS_SIDEBAR (self), 0);
  g_return_val_if_fail (section < SA_N_SECTIONS, 0);
  return self->values[section];
}

static void
row_selected_cb (SaSidebar     *self,
                 GtkListBoxRow *row)
{
  SaSection section;

  if (row == NULL)
    return;
  section = gtk_list_box_row_get_index (row);
  if (section == self->section)
    return;
  self->section = section;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECTION]);
}

static void
sa_sidebar_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SaSidebar *self = SA_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_SECTION:
      g_value_set_uint (value, self->section);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_sidebar_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_SIDEBAR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sa_sidebar_parent_class)->dispose (object);
}

static void
sa_sidebar_class_init (SaSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_sidebar_dispose;
  object_class->get_property = sa_sidebar_get_property;

  properties[PROP_SECTION] =
    g_param_spec_uint ("section", NULL, NULL, 0, SA_N_SECTIONS - 1, SA_SECTION_MINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/sa-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, SaSidebar, list);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sidebar");
}

static void
sa_sidebar_init (SaSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < SA_N_SECTIONS; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon = gtk_image_new_from_icon_name (sections[i].icon_name);
      GtkWidget *title = gtk_label_new (_(sections[i].title));
      GtkWidget *count = gtk_label_new (NULL);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (title, TRUE);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), count);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(sections[i].title),
                                      -1);
      gtk_list_box_append (self->list, row);
      self->counts[i] = GTK_LABEL (count);
    }

  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, 0));
}
