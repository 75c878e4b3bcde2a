/* bb-prepaid-ledger.h — one prepaid card's ledger, newest first, as a lazy GListModel
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-paged-list.h"
#include "bb-prepaid.h"

G_BEGIN_DECLS

#define BB_TYPE_PREPAID_LEDGER (bb_prepaid_ledger_get_type ())
G_DECLARE_FINAL_TYPE (BbPrepaidLedger, bb_prepaid_ledger, BB, PREPAID_LEDGER, BbPagedList)

BbPrepaidLedger *bb_prepaid_ledger_new             (BbDb            *db,
                                                    gint64           account_id);
gint64           bb_prepaid_ledger_get_account_id  (BbPrepaidLedger *self);

G_END_DECLS
