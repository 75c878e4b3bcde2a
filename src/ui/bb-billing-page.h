/* bb-billing-page.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-page.h"

G_BEGIN_DECLS

#define BB_TYPE_BILLING_PAGE (bb_billing_page_get_type ())
G_DECLARE_FINAL_TYPE (BbBillingPage, bb_billing_page, BB, BILLING_PAGE, BbPage)

void bb_billing_page_open_bill (BbBillingPage *self,
                                gint64         id);

G_END_DECLS
