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
const char    *_sa_json_string      (JsonObject    *object,
                                     const char    *name);

/* The reply loop's rules (sa-reply-rules.c). */
void           _sa_reply_infos_from_json (JsonArray           *replies,
                                          SaAppealState       *state);
gboolean       _sa_reply_op_check        (SaOpType             type,
                                          const SaActor       *actor,
                                          const SaAppealState *appeal,
                                          JsonObject          *args,
                                          GError             **error);
void           _sa_reply_state_apply     (SaAppealState       *state,
                                          SaOpType             type,
                                          JsonObject          *args);
void           _sa_reply_history_payload (SaOpType             type,
                                          const SaAppealState *before,
                                          const SaAppealState *after,
                                          JsonObject          *args,
                                          JsonObject          *payload);
void           _sa_reply_fold            (JsonObject          *appeal,
                                          SaOpType             type,
                                          const SaActor       *actor,
                                          JsonObject          *args,
                                          gint64               made_at);

G_END_DECLS
