/* bb-reminder-text.h — reminders in words: messages to send, when in words
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-money.h"
#include "bb-reminders.h"

G_BEGIN_DECLS

/* What a reminder message says besides the reminder itself. */
typedef struct
{
  const char        *business_name;  /* (nullable) who sends it */
  const char        *payment_text;   /* (nullable) how to pay, as on the bill */
  const BbCurrency  *currency;       /* the book's */
} BbReminderMessageContext;

/* Days a final reminder gives to pay: its pay-by date is today + this. */
#define BB_REMINDER_PAY_BY_DAYS 7

gboolean  bb_reminder_has_message      (BbReminder                      *reminder);
char     *bb_reminder_format_message   (BbReminder                      *reminder,
                                        BbReminderWording                wording,
                                        const BbReminderMessageContext  *context,
                                        GDateTime                       *now);
char     *bb_reminder_format_when      (BbReminder                      *reminder,
                                        GDateTime                       *now);
gint64    bb_reminder_days_from_today  (BbReminder                      *reminder,
                                        GDateTime                       *now);
const char *bb_reminder_wording_label  (BbReminderWording                wording);

G_END_DECLS
