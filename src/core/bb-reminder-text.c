/* bb-reminder-text.c — reminders in words: messages to send, when in words
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Reminders page copies a message for WeChat or SMS from a reminder:
 * polite, firm or final, naming the customer, the bill, what it still
 * owes, its due date and how to pay. Kept here, away from the page, so
 * tests read the very text the owner sends.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-reminder-text.h"
#include "bb-text.h"

static const char * const wording_labels[] = {
  [BB_REMINDER_POLITE] = N_("Polite"),
  [BB_REMINDER_FIRM] = N_("Firm"),
  [BB_REMINDER_FINAL] = N_("Final"),
};

/**
 * bb_reminder_wording_label:
 *
 * Returns: "Polite", "Firm" or "Final", translated
 */
const char *
bb_reminder_wording_label (BbReminderWording wording)
{
  g_return_val_if_fail ((guint) wording < G_N_ELEMENTS (wording_labels), NULL);

  return _(wording_labels[wording]);
}

static gboolean
julian_of (const char *iso,
           gint64     *julian)
{
  GDate date;

  if (iso == NULL || !bb_date_parse (iso, NULL, &date, NULL))
    return FALSE;

  *julian = g_date_get_julian (&date);
  return TRUE;
}

static gint64
julian_of_now (GDateTime *now)
{
  GDate date;
  int y, m, d;

  g_date_time_get_ymd (now, &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return g_date_get_julian (&date);
}

/**
 * bb_reminder_days_from_today:
 * @now: the time the page shows
 *
 * Returns: the days from today to the reminder's date: negative when it
 *   is past, 0 today
 */
gint64
bb_reminder_days_from_today (BbReminder *reminder,
                             GDateTime  *now)
{
  gint64 day;

  g_return_val_if_fail (BB_IS_REMINDER (reminder), 0);
  g_return_val_if_fail (now != NULL, 0);

  if (!julian_of (reminder->due_on, &day))
    return 0;

  return day - julian_of_now (now);
}

/**
 * bb_reminder_format_when:
 * @now: the time the page shows
 *
 * Returns: (transfer full): the reminder's date relative to today, in
 *   words: "Due today", "Due in 3 days", "5 days overdue" for bills;
 *   "Today", "Tomorrow", "In 3 days", "5 days ago" for the others
 */
char *
bb_reminder_format_when (BbReminder *reminder,
                         GDateTime  *now)
{
  gint64 days;
  gboolean bill;
  int n;

  g_return_val_if_fail (BB_IS_REMINDER (reminder), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  days = bb_reminder_days_from_today (reminder, now);
  bill = reminder->kind == BB_REMINDER_DUE_SOON || reminder->kind == BB_REMINDER_OVERDUE;
  n = (int) CLAMP (days < 0 ? -days : days, 0, G_MAXINT);

  if (bill)
    {
      if (days == 0)
        return g_strdup (_("Due today"));
      if (days == 1)
        return g_strdup (_("Due tomorrow"));
      if (days > 0)
        return g_strdup_printf (ngettext ("Due in %d day", "Due in %d days", n), n);
      return g_strdup_printf (ngettext ("%d day overdue", "%d days overdue", n), n);
    }

  if (days == 0)
    return g_strdup (_("Today"));
  if (days == 1)
    return g_strdup (_("Tomorrow"));
  if (days == -1)
    return g_strdup (_("Yesterday"));
  if (days > 0)
    return g_strdup_printf (ngettext ("In %d day", "In %d days", n), n);
  return g_strdup_printf (ngettext ("%d day ago", "%d days ago", n), n);
}

/**
 * bb_reminder_has_message:
 *
 * Returns: whether bb_reminder_format_message() has a message for the
 *   reminder's kind: bills and prepaid cards
 */
gboolean
bb_reminder_has_message (BbReminder *reminder)
{
  g_return_val_if_fail (BB_IS_REMINDER (reminder), FALSE);

  switch (reminder->kind)
    {
    case BB_REMINDER_DUE_SOON:
    case BB_REMINDER_OVERDUE:
    case BB_REMINDER_PREPAID_EXPIRY:
    case BB_REMINDER_PREPAID_LOW:
      return TRUE;
    case BB_REMINDER_FOLLOW_UP:
    case BB_REMINDER_RECURRING:
    case BB_REMINDER_REVIEW:
    default:
      return FALSE;
    }
}

static void
append_bill_text (GString          *out,
                  BbReminder       *r,
                  BbReminderWording wording,
                  const char       *who,
                  const char       *from,
                  const char       *amount,
                  gint64            days,
                  const char       *pay_by)
{
  int overdue = (int) CLAMP (-days, 0, G_MAXINT);

  if (days >= 0)
    {
      if (days == 0)
        /* Translators: a message for WeChat or SMS: customer, business,
         * bill number, amount owed, due date */
        g_string_append_printf (out, _("Hello %s, this is a friendly reminder from %s: "
                                       "bill %s for %s is due today (%s)."),
                                who, from, r->subject, amount, r->due_on);
      else
        /* Translators: a message for WeChat or SMS: customer, business,
         * bill number, amount owed, due date */
        g_string_append_printf (out, _("Hello %s, this is a friendly reminder from %s: "
                                       "bill %s for %s is due on %s."),
                                who, from, r->subject, amount, r->due_on);
      return;
    }

  switch (wording)
    {
    case BB_REMINDER_POLITE:
    default:
      /* Translators: a message for WeChat or SMS: customer, business,
       * bill number, amount owed, due date */
      g_string_append_printf (out, _("Hello %s, this is a friendly reminder from %s: "
                                     "bill %s for %s was due on %s and is still open. "
                                     "If you have already paid, please ignore this message."),
                              who, from, r->subject, amount, r->due_on);
      break;

    case BB_REMINDER_FIRM:
      g_string_append_printf (out,
                              /* Translators: a message for WeChat or SMS: customer,
                               * bill number, business, amount owed, due date, days */
                              ngettext ("Dear %s, bill %s from %s for %s was due on %s and is now %d day overdue. "
                                        "Please pay it as soon as possible.",
                                        "Dear %s, bill %s from %s for %s was due on %s and is now %d days overdue. "
                                        "Please pay it as soon as possible.",
                                        overdue),
                              who, r->subject, from, amount, r->due_on, overdue);
      break;

    case BB_REMINDER_FINAL:
      g_string_append_printf (out,
                              /* Translators: a message for WeChat or SMS: customer, business,
                               * bill number, amount owed, due date, days, pay-by date */
                              ngettext ("Dear %s, this is a final reminder from %s: bill %s for %s was due on %s "
                                        "and is %d day overdue. Please pay it by %s, or contact us to "
                                        "arrange payment.",
                                        "Dear %s, this is a final reminder from %s: bill %s for %s was due on %s "
                                        "and is %d days overdue. Please pay it by %s, or contact us to "
                                        "arrange payment.",
                                        overdue),
                              who, from, r->subject, amount, r->due_on, overdue, pay_by);
      break;
    }
}

/**
 * bb_reminder_format_message:
 * @wording: how to word it; for bills not yet overdue the message is
 *   always a friendly one
 * @context: who sends it and how to pay
 * @now: the time it is sent, for the days overdue and the pay-by date
 *
 * Returns: (transfer full) (nullable): a message for WeChat or SMS, or
 *   %NULL when the reminder's kind has none (bb_reminder_has_message())
 */
char *
bb_reminder_format_message (BbReminder                      *reminder,
                            BbReminderWording                wording,
                            const BbReminderMessageContext  *context,
                            GDateTime                       *now)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *amount = NULL;
  g_autofree char *pay_by = NULL;
  g_autoptr(GDateTime) pay_by_time = NULL;
  const char *who, *from;
  gint64 days;

  g_return_val_if_fail (BB_IS_REMINDER (reminder), NULL);
  g_return_val_if_fail (context != NULL && context->currency != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (!bb_reminder_has_message (reminder))
    return NULL;

  who = reminder->customer_name && *reminder->customer_name ? reminder->customer_name : reminder->customer_code;
  /* Translators: who sends a reminder when the business has no name yet */
  from = context->business_name && *context->business_name ? context->business_name : _("us");
  amount = bb_money_format (reminder->amount, context->currency);
  days = bb_reminder_days_from_today (reminder, now);
  pay_by_time = g_date_time_add_days (now, BB_REMINDER_PAY_BY_DAYS);
  pay_by = g_date_time_format (pay_by_time, "%Y-%m-%d");

  switch (reminder->kind)
    {
    case BB_REMINDER_DUE_SOON:
    case BB_REMINDER_OVERDUE:
      append_bill_text (out, reminder, wording, who, from, amount, days, pay_by);
      break;

    case BB_REMINDER_PREPAID_EXPIRY:
      if (days >= 0)
        /* Translators: a message for WeChat or SMS: customer, business,
         * prepaid card, balance, expiry date */
        g_string_append_printf (out, _("Hello %s, this is a friendly reminder from %s: "
                                       "your prepaid card %s still holds %s and expires on %s. "
                                       "We look forward to seeing you before then."),
                                who, from, reminder->subject, amount, reminder->due_on);
      else
        /* Translators: a message for WeChat or SMS: customer, business,
         * prepaid card, expiry date, balance */
        g_string_append_printf (out, _("Hello %s, this is a message from %s: "
                                       "your prepaid card %s expired on %s with %s on it. "
                                       "Please get in touch with us about it."),
                                who, from, reminder->subject, reminder->due_on, amount);
      break;

    case BB_REMINDER_PREPAID_LOW:
      /* Translators: a message for WeChat or SMS: customer, business,
       * prepaid card, balance */
      g_string_append_printf (out, _("Hello %s, this is a friendly reminder from %s: "
                                     "your prepaid card %s is down to %s. "
                                     "You can top it up on your next visit."),
                              who, from, reminder->subject, amount);
      break;

    case BB_REMINDER_FOLLOW_UP:
    case BB_REMINDER_RECURRING:
    case BB_REMINDER_REVIEW:
    default:
      g_assert_not_reached ();
    }

  if ((reminder->kind == BB_REMINDER_DUE_SOON || reminder->kind == BB_REMINDER_OVERDUE) &&
      context->payment_text && *context->payment_text)
    {
      g_autofree char *how = bb_text_strip (context->payment_text);

      if (*how)
        {
          g_string_append (out, "\n");
          /* Translators: before the business's how-to-pay text in a reminder message */
          g_string_append_printf (out, _("How to pay: %s"), how);
        }
    }

  g_string_append (out, "\n");
  g_string_append (out, _("Thank you!"));

  return g_string_free (g_steal_pointer (&out), FALSE);
}
