/* bb-payments-private.h — what other core files need of the payments
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-payments.h"

G_BEGIN_DECLS

/* What of bill @bill (an alias of invoices) the payments received on or
 * before its due date put on it: kept in invoices.paid_by_due (schema 9)
 * for the on-time report, written with paid and open_balance. */
#define _BB_PAID_BY_DUE_SQL(bill) \
  "(SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a " \
  "  CROSS JOIN payments p ON p.id = a.payment_id " \
  "  WHERE a.invoice_id = " bill ".id AND p.received_on <= " bill ".due_on)"

gboolean  _bb_payments_insert          (BbDb       *db,
                                        BbPayment  *payment,
                                        GPtrArray  *allocations,
                                        GError    **error);
gboolean  _bb_payments_insert_from_card (BbDb      *db,
                                         BbPayment *payment,
                                         GPtrArray *allocations,
                                         GError   **error);
gboolean  _bb_payments_reverse_from_card (BbDb       *db,
                                          gint64      payment_id,
                                          const char *reason,
                                          const char *date,
                                          gint64     *refund_id,
                                          GError    **error);
gboolean  _bb_payments_refresh_invoice (BbDb       *db,
                                        gint64      invoice_id,
                                        GError    **error);

G_END_DECLS
