/* bb-payments.h — payments in the book: allocation to bills, credit, refunds
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-db.h"
#include "bb-payment.h"

G_BEGIN_DECLS

gboolean     bb_payments_record                   (BbDb         *db,
                                                   BbPayment    *payment,
                                                   GPtrArray    *allocations,
                                                   gint64       *out_id,
                                                   GError      **error);
gboolean     bb_payments_apply_credit             (BbDb         *db,
                                                   gint64        customer_id,
                                                   gint64        invoice_id,
                                                   BbMoney       amount,
                                                   GError      **error);
gboolean     bb_payments_reverse                  (BbDb         *db,
                                                   gint64        payment_id,
                                                   const char   *reason,
                                                   GError      **error);

BbPayment   *bb_payments_get                      (BbDb         *db,
                                                   gint64        id,
                                                   GError      **error);
GPtrArray   *bb_payments_list_for_customer        (BbDb         *db,
                                                   gint64        customer_id,
                                                   guint         offset,
                                                   guint         limit,
                                                   GError      **error);
GPtrArray   *bb_payments_list_allocations         (BbDb         *db,
                                                   gint64        invoice_id,
                                                   GError      **error);
GPtrArray   *bb_payments_list_payment_allocations (BbDb         *db,
                                                   gint64        payment_id,
                                                   GError      **error);

G_END_DECLS
