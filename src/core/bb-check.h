/* bb-check.h — recompute every kept balance from its money rows
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-db.h"

G_BEGIN_DECLS

gboolean bb_check_balances (BbDb       *db,
                            GPtrArray  *problems,
                            GError    **error);
gboolean bb_check_book     (BbDb       *db,
                            GPtrArray **problems,
                            GError    **error);

G_END_DECLS
