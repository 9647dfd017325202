/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What sa-appeal-model.c (the vocabulary) shares with sa-appeal-rules.c
 * (the rules that use it); nothing outside those two includes this. */

#include "sa-appeal-model.h"
#include "sa-calendar.h"

G_BEGIN_DECLS

const SaOpArg *_sa_op_type_find_arg (SaOpType       type,
                                     const char    *name);
gboolean       _sa_appeal_refuse    (GError       **error,
                                     SaAppealError  code);
SaCalendar    *_sa_appeal_calendar  (void);

G_END_DECLS
