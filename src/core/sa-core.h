/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-api-client.h"
#include "sa-iin.h"
#include "sa-secret.h"
