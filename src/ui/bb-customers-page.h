/* bb-customers-page.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-page.h"

G_BEGIN_DECLS

#define BB_TYPE_CUSTOMERS_PAGE (bb_customers_page_get_type ())
G_DECLARE_FINAL_TYPE (BbCustomersPage, bb_customers_page, BB, CUSTOMERS_PAGE, BbPage)

void bb_customers_page_select (BbCustomersPage *self,
                               gint64           id);
void bb_customers_page_show_customer (BbCustomersPage *self,
                                      gint64           id);

G_END_DECLS
