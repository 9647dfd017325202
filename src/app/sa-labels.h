/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *sa_labels_status       (const char *status);
const char *sa_labels_priority     (const char *priority);
const char *sa_labels_channel      (const char *channel);
const char *sa_labels_event        (const char *event_type);
const char *sa_labels_status_style (const char *status);
const char *sa_labels_role         (const char *role);
const char *sa_labels_op           (const char *op_type);
const char *sa_labels_rejection    (const char *code);

G_END_DECLS
