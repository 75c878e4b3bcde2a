/* bb-invoice-list.h — the bills a query selects, as a lazy GListModel
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-invoices.h"
#include "bb-paged-list.h"

G_BEGIN_DECLS

#define BB_TYPE_INVOICE_LIST (bb_invoice_list_get_type ())
G_DECLARE_FINAL_TYPE (BbInvoiceList, bb_invoice_list, BB, INVOICE_LIST, BbPagedList)

BbInvoiceList        *bb_invoice_list_new        (BbDb                 *db);
void                  bb_invoice_list_set_query  (BbInvoiceList        *self,
                                                  const BbInvoiceQuery *query);
const BbInvoiceQuery *bb_invoice_list_get_query  (BbInvoiceList        *self);

G_END_DECLS
