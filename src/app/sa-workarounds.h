/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void sa_menu_button_quiet_tooltip      (GtkMenuButton *button);
void sa_accessible_name_icon_buttons   (GtkWidget     *root);

G_END_DECLS
