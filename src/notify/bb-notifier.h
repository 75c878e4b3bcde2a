/* bb-notifier.h — desktop notifications of reminders, shared by the app and billbook-cli
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "bb-db.h"
#include "bb-money.h"
#include "bb-reminders.h"

G_BEGIN_DECLS

/* More new reminders than this at once are sent as one notification. */
#define BB_NOTIFIER_MAX_SINGLE 3
/* The hints every notification carries. */
#define BB_NOTIFIER_CATEGORY "x-billbook.reminder"
/* Snooze from a notification: until this hour tomorrow (as the Reminders page's "Until Tomorrow"). */
#define BB_NOTIFIER_SNOOZE_HOUR 9

/* One notification to send: its text, and the reminders it stands for. */
typedef struct
{
  char            *summary;
  char            *body;         /* plain text; escaped when sent to a server that reads markup */
  gboolean         critical;     /* the final dunning stage */
  gboolean         grouped;      /* more than BB_NOTIFIER_MAX_SINGLE: Open shows the Reminders page */
  GStrv            keys;         /* BbReminder.key of every reminder it stands for */
  /* A single reminder's subject, for Open. */
  BbReminderKind   kind;
  gint64           subject_id;
  gint64           customer_id;
} BbNotice;

void       bb_notice_free             (BbNotice          *notice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbNotice, bb_notice_free)

GPtrArray *bb_notices_plan            (GPtrArray         *reminders,
                                       const BbCurrency  *currency,
                                       GDateTime         *now);

typedef enum
{
  BB_NOTIFIER_DEFAULT = 0,
  BB_NOTIFIER_ACTIONS = 1 << 0,  /* Open and Snooze: only for a process with a main loop that stays */
} BbNotifierFlags;

#define BB_TYPE_NOTIFIER (bb_notifier_get_type ())
G_DECLARE_FINAL_TYPE (BbNotifier, bb_notifier, BB, NOTIFIER, GObject)

BbNotifier *bb_notifier_new           (BbDb              *db,
                                       BbNotifierFlags    flags);
gboolean    bb_notifier_check         (BbNotifier        *self,
                                       GDateTime         *now,
                                       guint             *n_reminders,
                                       GError           **error);

GDateTime  *bb_notifier_snooze_until  (GDateTime         *now);

G_END_DECLS
