/* bb-reports-page.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-page.h"

G_BEGIN_DECLS

#define BB_TYPE_REPORTS_PAGE (bb_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (BbReportsPage, bb_reports_page, BB, REPORTS_PAGE, BbPage)

G_END_DECLS
