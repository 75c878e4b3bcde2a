/* bb-prepaid-page.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-page.h"

G_BEGIN_DECLS

#define BB_TYPE_PREPAID_PAGE (bb_prepaid_page_get_type ())
G_DECLARE_FINAL_TYPE (BbPrepaidPage, bb_prepaid_page, BB, PREPAID_PAGE, BbPage)

void bb_prepaid_page_show_account (BbPrepaidPage *self,
                                   gint64         account_id);

G_END_DECLS
