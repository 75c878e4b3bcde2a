/* bb-customer-list.h — the customers a query selects, as a lazy GListModel
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-customers.h"
#include "bb-paged-list.h"

G_BEGIN_DECLS

#define BB_TYPE_CUSTOMER_LIST (bb_customer_list_get_type ())
G_DECLARE_FINAL_TYPE (BbCustomerList, bb_customer_list, BB, CUSTOMER_LIST, BbPagedList)

BbCustomerList        *bb_customer_list_new           (BbDb                  *db);
void                   bb_customer_list_set_query     (BbCustomerList        *self,
                                                       const BbCustomerQuery *query);
const BbCustomerQuery *bb_customer_list_get_query     (BbCustomerList        *self);
guint                  bb_customer_list_get_n_fetches (BbCustomerList        *self);

G_END_DECLS
