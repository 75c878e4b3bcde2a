/* bb-payment-methods.h — the names the shop gives its payment methods, and which it takes
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-db.h"
#include "bb-payment.h"

G_BEGIN_DECLS

/* The longest name a method may be given, in characters. */
#define BB_PAYMENT_METHOD_NAME_MAX 40

char     *bb_payment_methods_get_name     (BbDb            *db,
                                           BbPaymentMethod  method);
gboolean  bb_payment_methods_has_own_name (BbDb            *db,
                                           BbPaymentMethod  method);
gboolean  bb_payment_methods_is_enabled   (BbDb            *db,
                                           BbPaymentMethod  method);
gboolean  bb_payment_methods_set          (BbDb            *db,
                                           BbPaymentMethod  method,
                                           const char      *name,
                                           gboolean         enabled,
                                           GError         **error);

G_END_DECLS
