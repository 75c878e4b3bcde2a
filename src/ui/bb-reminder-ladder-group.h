/* bb-reminder-ladder-group.h — Preferences: the reminder ladder, step by step
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_REMINDER_LADDER_GROUP (bb_reminder_ladder_group_get_type ())
G_DECLARE_FINAL_TYPE (BbReminderLadderGroup, bb_reminder_ladder_group, BB, REMINDER_LADDER_GROUP, AdwPreferencesGroup)

void bb_reminder_ladder_group_set_database (BbReminderLadderGroup *self,
                                            BbDb                  *db);

G_END_DECLS
