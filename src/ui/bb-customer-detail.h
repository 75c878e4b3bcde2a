/* bb-customer-detail.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_CUSTOMER_DETAIL (bb_customer_detail_get_type ())
G_DECLARE_FINAL_TYPE (BbCustomerDetail, bb_customer_detail, BB, CUSTOMER_DETAIL, AdwBin)

void    bb_customer_detail_set_database  (BbCustomerDetail *self,
                                          BbDb             *db);
BbDb   *bb_customer_detail_get_database  (BbCustomerDetail *self);
void    bb_customer_detail_set_customer  (BbCustomerDetail *self,
                                          gint64            id);
gint64  bb_customer_detail_get_customer  (BbCustomerDetail *self);

G_END_DECLS
