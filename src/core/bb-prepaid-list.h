/* bb-prepaid-list.h — the prepaid cards a query selects, as a lazy GListModel
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-paged-list.h"
#include "bb-prepaid.h"

G_BEGIN_DECLS

#define BB_TYPE_PREPAID_LIST (bb_prepaid_list_get_type ())
G_DECLARE_FINAL_TYPE (BbPrepaidList, bb_prepaid_list, BB, PREPAID_LIST, BbPagedList)

BbPrepaidList        *bb_prepaid_list_new        (BbDb                 *db);
void                  bb_prepaid_list_set_query  (BbPrepaidList        *self,
                                                  const BbPrepaidQuery *query);
const BbPrepaidQuery *bb_prepaid_list_get_query  (BbPrepaidList        *self);

G_END_DECLS
