/* bb-reminders-page.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-page.h"

G_BEGIN_DECLS

#define BB_TYPE_REMINDERS_PAGE (bb_reminders_page_get_type ())
G_DECLARE_FINAL_TYPE (BbRemindersPage, bb_reminders_page, BB, REMINDERS_PAGE, BbPage)

G_END_DECLS
