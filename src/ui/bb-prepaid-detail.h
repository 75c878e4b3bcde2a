/* bb-prepaid-detail.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_PREPAID_DETAIL (bb_prepaid_detail_get_type ())
G_DECLARE_FINAL_TYPE (BbPrepaidDetail, bb_prepaid_detail, BB, PREPAID_DETAIL, AdwBin)

void    bb_prepaid_detail_set_database  (BbPrepaidDetail *self,
                                         BbDb            *db);
BbDb   *bb_prepaid_detail_get_database  (BbPrepaidDetail *self);
void    bb_prepaid_detail_set_account   (BbPrepaidDetail *self,
                                         gint64           id);
gint64  bb_prepaid_detail_get_account   (BbPrepaidDetail *self);

G_END_DECLS
