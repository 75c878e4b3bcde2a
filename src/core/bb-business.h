/* bb-business.h — the shop's own details, kept in the book
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-db.h"
#include "bb-money.h"

G_BEGIN_DECLS

typedef struct
{
  char *name;
  char *address;
  char *phone;
  char *tax_id;
  char *currency;      /* ISO 4217 code, one bb_currency_lookup() knows */
} BbBusiness;

BbBusiness        *bb_business_load          (BbDb              *db);
gboolean           bb_business_save          (BbDb              *db,
                                              const BbBusiness  *business,
                                              GError           **error);
gboolean           bb_business_validate      (const BbBusiness  *business,
                                              GError           **error);
const BbCurrency  *bb_business_get_currency  (BbDb              *db);
void               bb_business_free          (BbBusiness        *business);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbBusiness, bb_business_free)

G_END_DECLS
