/* bb-payment-dialog.h — record money a customer paid, and what it pays
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_PAYMENT_DIALOG (bb_payment_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BbPaymentDialog, bb_payment_dialog, BB, PAYMENT_DIALOG, AdwWindow)

/* @invoice_id: 0, or the bill the payment is first for */
BbPaymentDialog *bb_payment_dialog_new      (GtkWindow       *parent,
                                             BbDb            *db,
                                             gint64           customer_id,
                                             gint64           invoice_id);
gint64           bb_payment_dialog_get_payment_id (BbPaymentDialog *self);

G_END_DECLS
