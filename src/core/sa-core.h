/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-api-client.h"
#include "sa-appeal-list.h"
#include "sa-appeal-model.h"
#include "sa-attachment-store.h"
#include "sa-cache.h"
#include "sa-cache-rescue.h"
#include "sa-calendar.h"
#include "sa-clock.h"
#include "sa-iin.h"
#include "sa-secret.h"
#include "sa-sla.h"
#include "sa-sync-engine.h"
