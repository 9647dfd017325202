/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SA_TYPE_PREFERENCES_WINDOW (sa_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (SaPreferencesWindow, sa_preferences_window, SA, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *sa_preferences_window_new (GtkWindow *parent,
                                      GSettings *settings);

G_END_DECLS
