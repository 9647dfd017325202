/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-sidebar.h"

typedef struct
{
  char          *login;
  char          *name;
  GtkListBoxRow *row;
  GtkLabel      *count;
} Executor;

static void
executor_free (gpointer data)
{
  Executor *e = data;

  g_free (e->login);
  g_free (e->name);
  g_free (e);
}

struct _SaSidebar
{
  GtkWidget   parent_instance;

  GtkListBox *list;
  GtkLabel   *counts[SA_N_SECTIONS];
  guint       values[SA_N_SECTIONS];
  SaSection   section;

  /* A supervisor's colleagues, below the sections */
  GPtrArray  *executors;  /* of Executor */
  Executor   *executor;   /* the selected one, or NULL */
};

G_DEFINE_FINAL_TYPE (SaSidebar, sa_sidebar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SECTION,
  PROP_EXECUTOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *title;
  const char *icon_name;
} sections[SA_N_SECTIONS] = {
  [SA_SECTION_MINE] = { N_("My Appeals"), "avatar-default-symbolic" },
  [SA_SECTION_QUEUE] = { N_("Agency Queue"), "mail-unread-symbolic" },
  [SA_SECTION_REVIEW] = { N_("Awaiting My Approval"), "document-edit-symbolic" },
  [SA_SECTION_CONTROL] = { N_("Under Control"), "view-reveal-symbolic" },
  [SA_SECTION_VERDICT] = { N_("Waiting for the Verdict"), "call-start-symbolic" },
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
 * sa_sidebar_set_section_shown:
 * @self: a #SaSidebar
 * @section: the section
 * @shown: whether the user is offered it
 *
 * Hides a section that means nothing to the signed-in user (a curator has
 * no appeals of their own); the keyboard skips it too.
 */
void
sa_sidebar_set_section_shown (SaSidebar *self,
                              SaSection  section,
                              gboolean   shown)
{
  g_return_if_fail (SA_IS_SIDEBAR (self));
  g_return_if_fail (section < SA_N_SECTIONS);

  gtk_widget_set_visible (GTK_WIDGET (gtk_list_box_get_row_at_index (self->list, section)),
                          shown);
}

gboolean
sa_sidebar_get_section_shown (SaSidebar *self,
                              SaSection  section)
{
  g_return_val_if_fail (SA_IS_SIDEBAR (self), FALSE);
  g_return_val_if_fail (section < SA_N_SECTIONS, FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (gtk_list_box_get_row_at_index (self->list,
                                                                              section)));
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
  guint index;

  if (row == NULL)
    return;
  index = gtk_list_box_row_get_index (row);
  if (index >= SA_N_SECTIONS)
    {
      Executor *e = g_ptr_array_index (self->executors, index - SA_N_SECTIONS);

      if (e != self->executor)
        {
          self->executor = e;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXECUTOR]);
        }
      return;
    }
  section = index;
  if (self->executor != NULL)
    {
      self->executor = NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXECUTOR]);
    }
  if (section == self->section)
    return;
  self->section = section;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECTION]);
}

/* "Executors" above the first colleague. */
static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       data)
{
  GtkWidget *header = NULL;

  if (gtk_list_box_row_get_index (row) == SA_N_SECTIONS)
    {
      header = gtk_label_new (_("Executors"));
      gtk_label_set_xalign (GTK_LABEL (header), 0);
      gtk_widget_add_css_class (header, "heading");
      gtk_widget_add_css_class (header, "dim-label");
      gtk_widget_set_margin_start (header, 12);
      gtk_widget_set_margin_top (header, 12);
      gtk_widget_set_margin_bottom (header, 6);
    }
  gtk_list_box_row_set_header (row, header);
}

static GtkWidget *
make_row (const char  *icon_name,
          const char  *title,
          GtkLabel   **out_count)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *count = gtk_label_new (NULL);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  *out_count = GTK_LABEL (count);
  return row;
}

/**
 * sa_sidebar_set_executors:
 * @self: a #SaSidebar
 * @logins: (nullable) (array zero-terminated=1): the agency's executors
 * @names: (array zero-terminated=1): their names, in the same order
 *
 * For a supervisor: each colleague below the sections, selectable to see
 * the open appeals they work on. %NULL or empty shows none.
 */
void
sa_sidebar_set_executors (SaSidebar          *self,
                          const char * const *logins,
                          const char * const *names)
{
  g_autofree char *selected = NULL;
  guint n = logins != NULL ? g_strv_length ((char **) logins) : 0;
  gboolean same = n == self->executors->len;

  g_return_if_fail (SA_IS_SIDEBAR (self));

  for (guint i = 0; same && i < n; i++)
    {
      Executor *e = g_ptr_array_index (self->executors, i);

      same = g_str_equal (e->login, logins[i]) && g_str_equal (e->name, names[i]);
    }
  if (same)
    return;

  selected = self->executor != NULL ? g_strdup (self->executor->login) : NULL;
  for (guint i = 0; i < self->executors->len; i++)
    gtk_list_box_remove (self->list,
                         GTK_WIDGET (((Executor *) g_ptr_array_index (self->executors, i))->row));
  self->executor = NULL;
  g_ptr_array_set_size (self->executors, 0);

  for (guint i = 0; i < n; i++)
    {
      Executor *e = g_new0 (Executor, 1);

      e->login = g_strdup (logins[i]);
      e->name = g_strdup (names[i]);
      e->row = GTK_LIST_BOX_ROW (make_row ("system-users-symbolic", e->name, &e->count));
      gtk_list_box_append (self->list, GTK_WIDGET (e->row));
      g_ptr_array_add (self->executors, e);
      if (g_strcmp0 (selected, e->login) == 0)
        {
          self->executor = e;
          gtk_list_box_select_row (self->list, e->row);
        }
    }
  /* The selected colleague left: back to the sections. */
  if (selected != NULL && self->executor == NULL)
    {
      gtk_list_box_select_row (self->list,
                               gtk_list_box_get_row_at_index (self->list, self->section));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXECUTOR]);
    }
}

/**
 * sa_sidebar_set_executor_count:
 * @self: a #SaSidebar
 * @login: a colleague given to sa_sidebar_set_executors()
 * @count: the open appeals they work on
 */
void
sa_sidebar_set_executor_count (SaSidebar  *self,
                               const char *login,
                               guint       count)
{
  g_return_if_fail (SA_IS_SIDEBAR (self));

  for (guint i = 0; i < self->executors->len; i++)
    {
      Executor *e = g_ptr_array_index (self->executors, i);
      g_autofree char *text = NULL;
      g_autofree char *label = NULL;

      if (!g_str_equal (e->login, login))
        continue;
      text = count ? g_strdup_printf ("%u", count) : g_strdup ("");
      gtk_label_set_text (e->count, text);
      /* Translators: a sidebar section and the number of appeals in it, for screen readers */
      label = g_strdup_printf (_("%s, %u"), e->name, count);
      gtk_accessible_update_property (GTK_ACCESSIBLE (e->row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
    }
}

/**
 * sa_sidebar_get_executor:
 * @self: a #SaSidebar
 *
 * Returns: (nullable): the login of the selected colleague, or %NULL when
 *   a section is selected
 */
const char *
sa_sidebar_get_executor (SaSidebar *self)
{
  g_return_val_if_fail (SA_IS_SIDEBAR (self), NULL);
  return self->executor != NULL ? self->executor->login : NULL;
}

const char *
sa_sidebar_get_executor_name (SaSidebar *self)
{
  g_return_val_if_fail (SA_IS_SIDEBAR (self), NULL);
  return self->executor != NULL ? self->executor->name : NULL;
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

    case PROP_EXECUTOR:
      g_value_set_string (value, sa_sidebar_get_executor (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_sidebar_dispose (GObject *object)
{
  SaSidebar *self = SA_SIDEBAR (object);
  GtkWidget *child;

  self->executor = NULL;
  g_clear_pointer (&self->executors, g_ptr_array_unref);
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
  properties[PROP_EXECUTOR] =
    g_param_spec_string ("executor", NULL, NULL, NULL,
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
  self->executors = g_ptr_array_new_with_free_func (executor_free);
  gtk_list_box_set_header_func (self->list, header_func, NULL, NULL);

  for (guint i = 0; i < SA_N_SECTIONS; i++)
    gtk_list_box_append (self->list,
                         make_row (sections[i].icon_name, _(sections[i].title), &self->counts[i]));

  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, 0));
}
