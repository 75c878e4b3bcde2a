/* bb-payments-private.h — what other core files need of the payments
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-payments.h"

G_BEGIN_DECLS

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
