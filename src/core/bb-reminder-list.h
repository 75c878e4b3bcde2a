/* bb-reminder-list.h — the Reminders page's list: headings and reminders, made as shown
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bb-db.h"
#include "bb-reminders.h"

G_BEGIN_DECLS

/* Above each group's reminders in a BbReminderList. */
#define BB_TYPE_REMINDER_HEADING (bb_reminder_heading_get_type ())
G_DECLARE_FINAL_TYPE (BbReminderHeading, bb_reminder_heading, BB, REMINDER_HEADING, GObject)

struct _BbReminderHeading
{
  GObject          parent_instance;
  BbReminderGroup  group;
  guint            count;     /* reminders under it */
};

#define BB_TYPE_REMINDER_LIST (bb_reminder_list_get_type ())
G_DECLARE_FINAL_TYPE (BbReminderList, bb_reminder_list, BB, REMINDER_LIST, GObject)

BbReminderList *bb_reminder_list_new             (void);
BbReminderList *bb_reminders_compute_list        (BbDb               *db,
                                                  GDateTime          *now,
                                                  BbRemindersFlags    flags,
                                                  GError            **error);
void            bb_reminders_compute_list_async  (BbDb               *db,
                                                  GDateTime          *now,
                                                  BbRemindersFlags    flags,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
BbReminderList *bb_reminders_compute_list_finish (BbDb               *db,
                                                  GAsyncResult       *result,
                                                  GError            **error);

GDateTime      *bb_reminder_list_get_now         (BbReminderList     *self);
guint           bb_reminder_list_get_n_reminders (BbReminderList     *self);
guint           bb_reminder_list_get_count       (BbReminderList     *self,
                                                  BbReminderGroup     group);
BbReminder     *bb_reminder_list_get_reminder    (BbReminderList     *self,
                                                  guint               index);
BbReminder     *bb_reminder_list_find            (BbReminderList     *self,
                                                  const char         *key);
gboolean        bb_reminder_list_remove          (BbReminderList     *self,
                                                  const char         *key);
gboolean        bb_reminder_list_shows_same      (BbReminderList     *self,
                                                  BbReminderList     *other);

G_END_DECLS
