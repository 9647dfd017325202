/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-conflicts-view"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "sa-appeal-model.h"
#include "sa-conflicts-view.h"
#include "sa-directory.h"
#include "sa-history.h"
#include "sa-labels.h"

/* The changes the registry did not apply, until the user decides about
 * each: a conflict shows the user's change beside the registry's appeal as
 * it is now, to apply again on top of it or to discard; a rejection shows
 * the reason, to dismiss. Nothing here is dropped without the user. */

/* How many of the registry's newer events a conflict shows. */
#define MAX_NEWER_EVENTS 5

struct _SaConflictsView
{
  GtkWidget        parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkBox          *entries_box;

  SaCache         *cache;
  guint            refresh_id;
  char            *signature;
  GHashTable      *groups;     /* op_id → its group in entries_box (unowned) */
  GHashTable      *busy;       /* op_ids with a re-apply or discard running */
  guint            n_entries;
};

G_DEFINE_FINAL_TYPE (SaConflictsView, sa_conflicts_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CACHE,
  PROP_N_ENTRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

SaConflictsView *
sa_conflicts_view_new (void)
{
  return g_object_new (SA_TYPE_CONFLICTS_VIEW, NULL);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, name)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
node_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static GTimeZone *
almaty (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *tz = g_time_zone_new_identifier ("Asia/Almaty");

      g_once_init_leave (&zone, tz != NULL ? tz : g_time_zone_new_utc ());
    }
  return zone;
}

/* Times in Almaty, whatever the computer's zone, as in the detail view. */
static char *
format_unix (gint64      t,
             gboolean    with_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_timezone (utc, almaty ()) : NULL;

  if (local == NULL)
    return g_strdup ("—");
  if (with_time)
    /* Translators: a date and time as strftime() formats it, e.g. 23.11.2026 14:05 */
    return g_date_time_format (local, _("%d.%m.%Y %H:%M"));
  /* Translators: a date as strftime() formats it, e.g. 23.11.2026 */
  return g_date_time_format (local, _("%d.%m.%Y"));
}

static char *
format_rfc3339 (const char *text,
                gboolean    with_time)
{
  g_autoptr(GDateTime) dt = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return dt != NULL ? format_unix (g_date_time_to_unix (dt), with_time) : g_strdup ("—");
}

static char *
agency_name (SaConflictsView *self,
             const char      *code)
{
  char *name = sa_directory_dup_agency_name (self->cache, code, NULL);

  return name != NULL ? name : g_strdup (code ? code : "—");
}

static char *
user_name (SaConflictsView *self,
           const char      *login)
{
  char *name = sa_directory_dup_user_name (self->cache, login);

  return name != NULL ? name : g_strdup (login ? login : "—");
}

/* The user's change in words: what it would set, then when it was made. */
static char *
describe_change (SaConflictsView     *self,
                 const SaOutboxEntry *entry)
{
  JsonObject *args = node_object (entry->args);
  SaOpType type = SA_OP_COMMENT;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *made = format_unix (entry->created_at, TRUE);

#define LINE(...) G_STMT_START {                                      \
    g_autofree char *line_ = g_strdup_printf (__VA_ARGS__);          \
    if (text->len > 0)                                               \
      g_string_append_c (text, '\n');                                \
    g_string_append (text, line_);                                   \
  } G_STMT_END

  switch (sa_op_type_from_string (entry->type, &type) ? (int) type : -1)
    {
    case SA_OP_ASSIGN:
      {
        g_autofree char *name = user_name (self, member_string (args, "user"));

        /* Translators: who the appeal is assigned to */
        LINE (_("To %s"), name);
      }
      break;
    case SA_OP_FORWARD:
    case SA_OP_ESCALATE:
    case SA_OP_ADD_COEXECUTOR:
      {
        g_autofree char *name = agency_name (self, member_string (args, "agency"));

        LINE ("%s", name);
      }
      break;
    case SA_OP_SET_PRIORITY:
      LINE ("%s", sa_labels_priority (member_string (args, "priority")));
      break;
    case SA_OP_EXTEND:
      {
        g_autofree char *due = format_rfc3339 (member_string (args, "due_at"), FALSE);

        /* Translators: %s is a date */
        LINE (_("New deadline: %s"), due);
      }
      break;
    case SA_OP_ATTACH:
      if (member_string (args, "name") != NULL)
        LINE ("%s", member_string (args, "name"));
      break;
    default:
      break;
    }

  if (type == SA_OP_ESCALATE && member_string (args, "due_at") != NULL)
    {
      g_autofree char *due = format_rfc3339 (member_string (args, "due_at"), FALSE);

      /* Translators: %s is a date */
      LINE (_("Due %s"), due);
    }
  if (member_string (args, "text") != NULL)
    LINE ("%s", member_string (args, "text"));
  if (member_string (args, "reason") != NULL)
    /* Translators: %s is the reason the user gave */
    LINE (_("Reason: %s"), member_string (args, "reason"));
  /* Translators: %s is the date and time the user made the change */
  LINE (_("Made %s"), made);
#undef LINE

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
info_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  return row;
}

static GtkWidget *
boxed_list (const char *label)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return list;
}

/* A heading over a boxed list (@list may be added later). */
static GtkWidget *
side (const char *heading,
      GtkWidget  *list)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (heading);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  if (list != NULL)
    gtk_box_append (GTK_BOX (box), list);
  return box;
}

static GtkWidget *
clamp_side (GtkWidget *side_box)
{
  GtkWidget *clamp = adw_clamp_new ();

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 300);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 300);
  adw_clamp_set_child (ADW_CLAMP (clamp), side_box);
  gtk_widget_set_hexpand (clamp, TRUE);
  return clamp;
}

/* The registry's appeal now: its state, and in a second list what others
 * did since the version the user's change was made on. Each applied op
 * adds one event and one version, so events from index base_version on
 * are newer. */
static GtkWidget *
registry_side (SaConflictsView     *self,
               const SaOutboxEntry *entry)
{
  JsonObject *appeal = node_object (entry->conflict_appeal);
  GtkWidget *box = side (_("In the Registry Now"), NULL);
  GtkWidget *list = boxed_list (_("In the Registry Now"));
  g_autofree char *executor = NULL;
  g_autofree char *my_agency = sa_cache_dup_agency (self->cache);
  JsonNode *history = appeal != NULL ? json_object_get_member (appeal, "history") : NULL;
  const char *agency = member_string (appeal, "agency");

  gtk_box_append (GTK_BOX (box), list);
  gtk_list_box_append (GTK_LIST_BOX (list),
                       info_row (_("Status"), sa_labels_status (member_string (appeal, "status"))));
  executor = member_string (appeal, "executor") != NULL
             ? user_name (self, member_string (appeal, "executor"))
             : g_strdup (C_("executor", "Nobody"));
  gtk_list_box_append (GTK_LIST_BOX (list), info_row (_("Executor"), executor));
  gtk_list_box_append (GTK_LIST_BOX (list),
                       info_row (_("Priority"),
                                 sa_labels_priority (member_string (appeal, "priority"))));
  /* Forwarded away is worth saying; the user's own agency goes without saying. */
  if (agency != NULL && g_strcmp0 (agency, my_agency) != 0)
    {
      g_autofree char *name = agency_name (self, agency);

      gtk_list_box_append (GTK_LIST_BOX (list), info_row (_("Agency"), name));
    }

  if (history != NULL && JSON_NODE_HOLDS_ARRAY (history))
    {
      JsonArray *events = json_node_get_array (history);
      guint n = json_array_get_length (events);
      guint first = entry->base_version > 0 ? (guint) MIN (entry->base_version, (gint64) n) : 0;
      GtkWidget *newer;
      GtkWidget *heading;

      first = MAX (first, n > MAX_NEWER_EVENTS ? n - MAX_NEWER_EVENTS : 0);
      if (first >= n)
        return box;
      newer = boxed_list (_("Since Your Change"));
      for (guint i = n; i > first; i--)
        {
          JsonObject *event = json_array_get_object_element (events, i - 1);
          g_autofree char *when = format_rfc3339 (member_string (event, "at"), TRUE);
          g_autofree char *who = user_name (self, member_string (event, "actor"));
          g_autofree char *what = sa_history_describe (event, self->cache);
          g_autofree char *subtitle = what != NULL && *what != '\0'
                                      ? g_strdup_printf ("%s\n%s · %s", what, when, who)
                                      : g_strdup_printf ("%s · %s", when, who);

          gtk_list_box_append (GTK_LIST_BOX (newer),
                               info_row (sa_labels_event (member_string (event, "type")),
                                         subtitle));
        }
      heading = side (_("Since Your Change"), newer);
      gtk_widget_set_margin_top (heading, 12);
      gtk_box_append (GTK_BOX (box), heading);
    }
  return box;
}

static char *
sa_conflicts_view_reg_number (SaConflictsView     *self,
                              const SaOutboxEntry *entry)
{
  g_autoptr(JsonNode) cached = NULL;
  const char *reg = member_string (node_object (entry->conflict_appeal), "reg_number");

  if (reg == NULL)
    {
      cached = sa_cache_get_appeal (self->cache, entry->appeal_id, NULL);
      reg = member_string (node_object (cached), "reg_number");
    }
  return g_strdup (reg != NULL ? reg : entry->appeal_id);
}

static GtkWidget *
action_button (const char *label,
               const char *action_name,
               const char *op_id,
               const char *style,
               const char *description)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", op_id);
  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
  return button;
}

/* The changes to the same appeal made after @entry: they may depend on
 * it, so they wait for the user's decision (sa-cache.c, read_outbox()). */
static guint
count_waiting (GPtrArray           *entries,
               const SaOutboxEntry *entry)
{
  guint n = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      const SaOutboxEntry *e = g_ptr_array_index (entries, i);

      n += e->seq > entry->seq && g_strcmp0 (e->appeal_id, entry->appeal_id) == 0 &&
           (e->state == SA_OP_PENDING || e->state == SA_OP_SENT);
    }
  return n;
}

/* Says who holds the appeal now when the user's change would take it. */
static char *
conflict_description (SaConflictsView     *self,
                      const SaOutboxEntry *entry)
{
  const char *holder = member_string (node_object (entry->conflict_appeal), "executor");
  g_autofree char *login = sa_cache_dup_login (self->cache);
  SaOpType type;

  if (holder != NULL && g_strcmp0 (holder, login) != 0 &&
      sa_op_type_from_string (entry->type, &type) &&
      (type == SA_OP_TAKE || type == SA_OP_ASSIGN))
    {
      g_autofree char *name = user_name (self, holder);

      /* Translators: %s is the person who has the appeal in work now */
      return g_strdup_printf (_("%s has this appeal in work now. Applying your change again "
                                "hands it over from them; discard it to leave it with them."),
                              name);
    }
  return g_strdup (_("Someone changed the appeal before your change reached the registry. "
                     "Apply your change again to the appeal as it is now, or discard it."));
}

static GtkWidget *
sa_conflicts_view_entry (SaConflictsView     *self,
                         const SaOutboxEntry *entry,
                         guint                waiting)
{
  gboolean conflict = entry->state == SA_OP_CONFLICT;
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *badge = gtk_label_new (conflict ? _("Conflict") : _("Rejected"));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *mine = boxed_list (_("Your Change"));
  g_autofree char *reg = sa_conflicts_view_reg_number (self, entry);
  g_autofree char *change = describe_change (self, entry);
  g_autofree char *described = g_strdup_printf ("%s · %s", reg, sa_labels_op (entry->type));
  g_autofree char *description = conflict ? conflict_description (self, entry)
                                          : g_strdup (_("The registry refused this change."));

  if (waiting > 0)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u later change to this appeal "
                                                            "waits for your decision.",
                                                            "%u later changes to this appeal "
                                                            "wait for your decision.", waiting),
                                               waiting);
      g_autofree char *both = g_strconcat (description, " ", more, NULL);

      g_free (description);
      description = g_steal_pointer (&both);
    }
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), reg);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_widget_add_css_class (badge, "badge");
  gtk_widget_add_css_class (badge, conflict ? "conflict" : "rejected");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), badge);

  gtk_list_box_append (GTK_LIST_BOX (mine), info_row (sa_labels_op (entry->type), change));

  if (conflict)
    {
      GtkWidget *sides = gtk_flow_box_new ();

      /* Side by side when there is room, one above the other on a phone.
       * A flow box puts children on a line by their natural width, which
       * long wrapping subtitles make wide: each side is clamped so that two
       * fit in the window's default width. Not homogeneous: stacked, the
       * short side would otherwise be as tall as the long one. */
      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (sides), GTK_SELECTION_NONE);
      gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (sides), FALSE);
      gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (sides), 1);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (sides), 2);
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (sides), 18);
      gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (sides), 18);
      gtk_flow_box_append (GTK_FLOW_BOX (sides), clamp_side (side (_("Your Change"), mine)));
      gtk_flow_box_append (GTK_FLOW_BOX (sides), clamp_side (registry_side (self, entry)));
      for (GtkWidget *child = gtk_widget_get_first_child (sides); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          gtk_widget_set_focusable (child, FALSE);
          gtk_widget_set_size_request (child, 280, -1);
          gtk_widget_set_valign (child, GTK_ALIGN_START);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), sides);

      gtk_box_append (GTK_BOX (buttons),
                      action_button (_("_Discard"), "conflicts.discard", entry->op_id,
                                     "destructive-action", described));
      gtk_box_append (GTK_BOX (buttons),
                      action_button (_("_Apply Again"), "conflicts.apply-again", entry->op_id,
                                     "suggested-action", described));
    }
  else
    {
      const char *reason = sa_labels_rejection (entry->error_code);

      /* A code this build does not know: the registry's own sentence. */
      if (reason == NULL)
        reason = entry->last_error != NULL ? entry->last_error : entry->error_code;
      gtk_list_box_append (GTK_LIST_BOX (mine), info_row (_("Why It Was Refused"), reason));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), mine);
      gtk_box_append (GTK_BOX (buttons),
                      action_button (_("_Dismiss"), "conflicts.discard", entry->op_id, NULL,
                                     described));
    }

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), buttons);
  gtk_widget_set_sensitive (group, !g_hash_table_contains (self->busy, entry->op_id));
  return group;
}

static void
sa_conflicts_view_set_n_entries (SaConflictsView *self,
                                 guint            n)
{
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "entries" : "empty");
  if (self->n_entries == n)
    return;
  self->n_entries = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ENTRIES]);
}

/* Rebuilt only when the shown entries change: an unrelated feed page must
 * not move the focus of someone reading a conflict. */
static void
sa_conflicts_view_refresh (SaConflictsView *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) signature = g_string_new (NULL);
  GtkWidget *child;

  if (self->cache != NULL)
    {
      entries = sa_cache_list_outbox (self->cache, &error);
      if (entries == NULL)
        {
          g_warning ("Could not read the outbox: %s", error->message);
          return;
        }
      for (guint i = 0; i < entries->len; i++)
        {
          SaOutboxEntry *entry = g_ptr_array_index (entries, i);

          if (entry->state == SA_OP_CONFLICT || entry->state == SA_OP_REJECTED)
            {
              g_ptr_array_add (shown, entry);
              g_string_append_printf (signature, "%s:%d:%u;", entry->op_id, entry->state,
                                      count_waiting (entries, entry));
            }
        }
    }
  if (self->signature != NULL && g_str_equal (self->signature, signature->str))
    return;
  g_free (self->signature);
  self->signature = g_strdup (signature->str);

  g_hash_table_remove_all (self->groups);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->entries_box))))
    gtk_box_remove (self->entries_box, child);
  for (guint i = 0; i < shown->len; i++)
    {
      SaOutboxEntry *entry = g_ptr_array_index (shown, i);
      GtkWidget *group = sa_conflicts_view_entry (self, entry, count_waiting (entries, entry));

      gtk_box_append (self->entries_box, group);
      g_hash_table_insert (self->groups, g_strdup (entry->op_id), group);
    }
  sa_conflicts_view_set_n_entries (self, shown->len);
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  SaConflictsView *self = user_data;

  self->refresh_id = 0;
  sa_conflicts_view_refresh (self);
  return G_SOURCE_REMOVE;
}

/* A burst of feed pages costs one refresh. */
static void
appeals_changed_cb (SaConflictsView *self,
                    GStrv            ids,
                    SaCache         *cache)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle_cb, self);
}

typedef struct
{
  SaConflictsView *self;
  char            *op_id;
} Pending;

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->self);
  g_free (pending->op_id);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static Pending *
sa_conflicts_view_begin (SaConflictsView *self,
                         const char      *op_id)
{
  Pending *pending = g_new0 (Pending, 1);
  GtkWidget *group = g_hash_table_lookup (self->groups, op_id);

  pending->self = g_object_ref (self);
  pending->op_id = g_strdup (op_id);
  g_hash_table_add (self->busy, g_strdup (op_id));
  if (group != NULL)
    gtk_widget_set_sensitive (group, FALSE);
  return pending;
}

static void
sa_conflicts_view_end (Pending    *pending,
                       const char *failure)
{
  SaConflictsView *self = pending->self;
  GtkWidget *group = g_hash_table_lookup (self->groups, pending->op_id);

  g_hash_table_remove (self->busy, pending->op_id);
  if (failure == NULL)
    {
      /* The cache's signal refreshes the list too; do not wait for the idle. */
      sa_conflicts_view_refresh (self);
      return;
    }
  if (group != NULL)
    gtk_widget_set_sensitive (group, TRUE);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (failure));
}

static void
reapply_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = sa_cache_reapply_op_finish (SA_CACHE (source), result, &error);
  g_autofree char *failure = NULL;

  if (error != NULL)
    /* Translators: %s says what went wrong */
    failure = g_strdup_printf (_("Could not apply the change again: %s"), error->message);
  sa_conflicts_view_end (pending, failure);
}

static void
discard_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *failure = NULL;

  if (!sa_cache_discard_op_finish (SA_CACHE (source), result, &error))
    /* Translators: %s says what went wrong */
    failure = g_strdup_printf (_("Could not discard the change: %s"), error->message);
  sa_conflicts_view_end (pending, failure);
}

static void
apply_again_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SaConflictsView *self = SA_CONFLICTS_VIEW (widget);
  const char *op_id = g_variant_get_string (param, NULL);

  if (self->cache == NULL || g_hash_table_contains (self->busy, op_id))
    return;
  sa_cache_reapply_op_async (self->cache, op_id, NULL, reapply_cb,
                             sa_conflicts_view_begin (self, op_id));
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  SaConflictsView *self = SA_CONFLICTS_VIEW (widget);
  const char *op_id = g_variant_get_string (param, NULL);

  if (self->cache == NULL || g_hash_table_contains (self->busy, op_id))
    return;
  sa_cache_discard_op_async (self->cache, op_id, NULL, discard_cb,
                             sa_conflicts_view_begin (self, op_id));
}

/**
 * sa_conflicts_view_set_cache:
 * @self: a #SaConflictsView
 * @cache: (nullable): the signed-in account's cache, or %NULL
 *
 * Shows the conflicts and rejections in @cache's outbox, and follows its
 * changes.
 */
void
sa_conflicts_view_set_cache (SaConflictsView *self,
                             SaCache         *cache)
{
  g_return_if_fail (SA_IS_CONFLICTS_VIEW (self));
  g_return_if_fail (cache == NULL || SA_IS_CACHE (cache));

  if (self->cache == cache)
    return;
  if (self->cache != NULL)
    g_signal_handlers_disconnect_by_func (self->cache, appeals_changed_cb, self);
  g_set_object (&self->cache, cache);
  if (cache != NULL)
    g_signal_connect_object (cache, "appeals-changed", G_CALLBACK (appeals_changed_cb), self,
                             G_CONNECT_SWAPPED);
  g_clear_pointer (&self->signature, g_free);
  sa_conflicts_view_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE]);
}

SaCache *
sa_conflicts_view_get_cache (SaConflictsView *self)
{
  g_return_val_if_fail (SA_IS_CONFLICTS_VIEW (self), NULL);
  return self->cache;
}

/**
 * sa_conflicts_view_get_n_entries:
 * @self: a #SaConflictsView
 *
 * Returns: how many conflicts and rejections are shown, for a badge
 */
guint
sa_conflicts_view_get_n_entries (SaConflictsView *self)
{
  g_return_val_if_fail (SA_IS_CONFLICTS_VIEW (self), 0);
  return self->n_entries;
}

static void
sa_conflicts_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SaConflictsView *self = SA_CONFLICTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;

    case PROP_N_ENTRIES:
      g_value_set_uint (value, self->n_entries);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_conflicts_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SaConflictsView *self = SA_CONFLICTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_CACHE:
      sa_conflicts_view_set_cache (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_conflicts_view_dispose (GObject *object)
{
  SaConflictsView *self = SA_CONFLICTS_VIEW (object);

  if (self->cache != NULL)
    g_signal_handlers_disconnect_by_func (self->cache, appeals_changed_cb, self);
  g_clear_object (&self->cache);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->groups != NULL)
    g_hash_table_remove_all (self->groups);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_CONFLICTS_VIEW);

  G_OBJECT_CLASS (sa_conflicts_view_parent_class)->dispose (object);
}

static void
sa_conflicts_view_finalize (GObject *object)
{
  SaConflictsView *self = SA_CONFLICTS_VIEW (object);

  g_free (self->signature);
  g_hash_table_unref (self->groups);
  g_hash_table_unref (self->busy);

  G_OBJECT_CLASS (sa_conflicts_view_parent_class)->finalize (object);
}

static void
sa_conflicts_view_class_init (SaConflictsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_conflicts_view_dispose;
  object_class->finalize = sa_conflicts_view_finalize;
  object_class->get_property = sa_conflicts_view_get_property;
  object_class->set_property = sa_conflicts_view_set_property;

  /**
   * SaConflictsView:cache:
   *
   * The cache whose outbox is shown.
   */
  properties[PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL, SA_TYPE_CACHE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SaConflictsView:n-entries:
   *
   * How many conflicts and rejections wait for the user: a badge's number.
   */
  properties[PROP_N_ENTRIES] =
    g_param_spec_uint ("n-entries", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-conflicts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SaConflictsView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SaConflictsView, stack);
  gtk_widget_class_bind_template_child (widget_class, SaConflictsView, entries_box);

  gtk_widget_class_install_action (widget_class, "conflicts.apply-again", "s",
                                   apply_again_action);
  gtk_widget_class_install_action (widget_class, "conflicts.discard", "s", discard_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sa_conflicts_view_init (SaConflictsView *self)
{
  self->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  sa_conflicts_view_set_n_entries (self, 0);
}
