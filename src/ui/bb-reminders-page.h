/* bb-reminders-page.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-page.h"
#include "bb-reminders.h"

G_BEGIN_DECLS

#define BB_TYPE_REMINDERS_PAGE (bb_reminders_page_get_type ())
G_DECLARE_FINAL_TYPE (BbRemindersPage, bb_reminders_page, BB, REMINDERS_PAGE, BbPage)

guint       bb_reminders_page_get_badge_number (BbRemindersPage *self);
GListModel *bb_reminders_page_get_model        (BbRemindersPage *self);
void        bb_reminders_page_refresh          (BbRemindersPage *self);

G_END_DECLS
