/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-sync-status"

#include "config.h"

#include <glib/gi18n.h>

#include "sa-sync-status-private.h"

/* Under the sections: how syncing goes ("Synced", "Offline · 2 changes
 * waiting", …), and a button that opens the changes the registry did not
 * apply (`win.show-conflicts`) while any wait for the user. */

G_DEFINE_FINAL_TYPE (SaSyncStatus, sa_sync_status, ADW_TYPE_BIN)

/* The sync engine's state in a few words. */
static void
update (SaSyncStatus *self)
{
  g_autofree char *text = NULL;
  const char *tooltip = NULL;
  guint pending, attention;

  if (self->engine == NULL)
    {
      gtk_label_set_text (self->sync_label, self->online ? "" : _("Offline"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->sync_label), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->conflicts_button), FALSE);
      return;
    }

  pending = sa_sync_engine_get_pending (self->engine);
  attention = sa_sync_engine_get_attention (self->engine);
  switch (sa_sync_engine_get_state (self->engine))
    {
    case SA_SYNC_STATE_SYNCING:
      text = g_strdup (_("Syncing…"));
      break;

    case SA_SYNC_STATE_OFFLINE:
      if (pending > 0)
        text = g_strdup_printf (ngettext ("Offline · %u change waiting",
                                          "Offline · %u changes waiting", pending), pending);
      else
        text = g_strdup (_("Offline"));
      tooltip = sa_sync_engine_get_last_error (self->engine);
      break;

    case SA_SYNC_STATE_ERROR:
      text = g_strdup (_("Registry error, retrying"));
      tooltip = sa_sync_engine_get_last_error (self->engine);
      break;

    case SA_SYNC_STATE_SIGNED_OUT:
      text = g_strdup (_("Sign in again"));
      break;

    case SA_SYNC_STATE_SYNCED:
    case SA_SYNC_STATE_STOPPED:
    default:
      /* The changes that need a decision say so in their button below. */
      if (pending > 0)
        text = g_strdup_printf (ngettext ("%u change waiting", "%u changes waiting", pending),
                                pending);
      else if (sa_sync_engine_get_unreadable (self->engine) > 0)
        {
          guint unreadable = sa_sync_engine_get_unreadable (self->engine);

          /* The feed went on without them: say so, or they are lost from sight. */
          text = g_strdup_printf (ngettext ("Synced · %u entry could not be read",
                                            "Synced · %u entries could not be read", unreadable),
                                  unreadable);
          tooltip = _("The registry sent data this desk cannot read. It is kept on this "
                      "computer and everything else is up to date; tell your administrator.");
        }
      else if (attention == 0 && sa_sync_engine_get_state (self->engine) == SA_SYNC_STATE_SYNCED)
        text = g_strdup (_("Synced"));
      else
        text = g_strdup ("");
      break;
    }
  gtk_label_set_text (self->sync_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), tooltip);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_label), attention == 0 || *text != '\0');

  if (attention > 0)
    {
      g_autofree char *decision = g_strdup_printf (ngettext ("%u change needs your decision",
                                                             "%u changes need your decision",
                                                             attention),
                                                   attention);

      gtk_label_set_text (self->conflicts_label, decision);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->conflicts_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, decision, -1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_button), attention > 0);
}

/**
 * sa_sync_status_set_engine:
 * @self: a #SaSyncStatus
 * @engine: (nullable): the session's sync engine, or %NULL for none
 *
 * Follows @engine's state, its waiting changes and those that need a
 * decision.
 */
void
sa_sync_status_set_engine (SaSyncStatus *self,
                           SaSyncEngine *engine)
{
  g_return_if_fail (SA_IS_SYNC_STATUS (self));
  g_return_if_fail (engine == NULL || SA_IS_SYNC_ENGINE (engine));

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    {
      g_signal_connect_swapped (engine, "notify::state", G_CALLBACK (update), self);
      g_signal_connect_swapped (engine, "notify::pending", G_CALLBACK (update), self);
      g_signal_connect_swapped (engine, "notify::attention", G_CALLBACK (update), self);
      g_signal_connect_swapped (engine, "notify::unreadable", G_CALLBACK (update), self);
    }
  update (self);
}

/**
 * sa_sync_status_set_online:
 * @self: a #SaSyncStatus
 * @online: whether the registry answered the sign-in
 *
 * Without an engine, says "Offline" unless @online.
 */
void
sa_sync_status_set_online (SaSyncStatus *self,
                           gboolean      online)
{
  g_return_if_fail (SA_IS_SYNC_STATUS (self));

  self->online = !!online;
  update (self);
}

static void
sa_sync_status_dispose (GObject *object)
{
  SaSyncStatus *self = SA_SYNC_STATUS (object);

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_SYNC_STATUS);

  G_OBJECT_CLASS (sa_sync_status_parent_class)->dispose (object);
}

static void
sa_sync_status_class_init (SaSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_sync_status_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/sa-sync-status.ui");
  gtk_widget_class_bind_template_child (widget_class, SaSyncStatus, sync_label);
  gtk_widget_class_bind_template_child (widget_class, SaSyncStatus, conflicts_button);
  gtk_widget_class_bind_template_child (widget_class, SaSyncStatus, conflicts_label);
}

static void
sa_sync_status_init (SaSyncStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
