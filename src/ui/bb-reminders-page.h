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

/* The page's list holds one of these above each group's reminders. */
#define BB_TYPE_REMINDERS_HEADING (bb_reminders_heading_get_type ())
G_DECLARE_FINAL_TYPE (BbRemindersHeading, bb_reminders_heading, BB, REMINDERS_HEADING, GObject)

struct _BbRemindersHeading
{
  GObject          parent_instance;
  BbReminderGroup  group;
  guint            count;     /* reminders under it */
};

guint       bb_reminders_page_get_badge_number (BbRemindersPage *self);
GListModel *bb_reminders_page_get_model        (BbRemindersPage *self);
void        bb_reminders_page_refresh          (BbRemindersPage *self);

G_END_DECLS
