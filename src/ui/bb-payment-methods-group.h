/* bb-payment-methods-group.h — Preferences: the names of the payment methods, and which are taken
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_PAYMENT_METHODS_GROUP (bb_payment_methods_group_get_type ())
G_DECLARE_FINAL_TYPE (BbPaymentMethodsGroup, bb_payment_methods_group, BB, PAYMENT_METHODS_GROUP, AdwPreferencesGroup)

void bb_payment_methods_group_set_database (BbPaymentMethodsGroup *self,
                                            BbDb                  *db);

G_END_DECLS
