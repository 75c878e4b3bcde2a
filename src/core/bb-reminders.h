/* bb-reminders.h — what is due: bills by dunning stage, follow-ups, prepaid cards, recurring charges, reviews
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "bb-db.h"
#include "bb-invoice.h"
#include "bb-money.h"

G_BEGIN_DECLS

/* Written in the book (reminders.kind) and in `billbook-cli remind` as
 * bb_reminder_kind_to_string() gives them. */
typedef enum
{
  BB_REMINDER_DUE_SOON,        /* a bill at a step on or before its due date */
  BB_REMINDER_OVERDUE,         /* a bill at a step after its due date */
  BB_REMINDER_FOLLOW_UP,       /* a call-back from the interaction log */
  BB_REMINDER_PREPAID_EXPIRY,  /* a prepaid card with money on it near or past expiry */
  BB_REMINDER_PREPAID_LOW,     /* a prepaid card under its low-balance mark */
  BB_REMINDER_RECURRING,       /* a recurring charge with a period to bill */
  BB_REMINDER_REVIEW,          /* a customer whose details were not reviewed for a quarter */
} BbReminderKind;

#define BB_REMINDER_N_KINDS (BB_REMINDER_REVIEW + 1)

/* How an after-due step words its request. */
typedef enum
{
  BB_REMINDER_POLITE,
  BB_REMINDER_FIRM,
  BB_REMINDER_FINAL,
} BbReminderWording;

typedef enum
{
  BB_LATE_FEE_NONE,
  BB_LATE_FEE_PERCENT,         /* of what the bill still owes; BbReminderStep.fee in basis points */
  BB_LATE_FEE_FIXED,           /* BbReminderStep.fee in minor units of the book's currency */
} BbLateFeeKind;

/* The page's sections: by the reminder's date against today. */
typedef enum
{
  BB_REMINDER_GROUP_OVERDUE,   /* before today */
  BB_REMINDER_GROUP_TODAY,
  BB_REMINDER_GROUP_THIS_WEEK, /* the next 7 days */
  BB_REMINDER_GROUP_LATER,
} BbReminderGroup;

/* What the book holds about a reminder at its stage. Done ones, and ones
 * snoozed past "now", are not computed at all. */
typedef enum
{
  BB_REMINDER_STATE_NEW,       /* not notified yet (or its snooze ran out) */
  BB_REMINDER_STATE_NOTIFIED,  /* a notification was shown at this stage */
} BbReminderState;

typedef enum
{
  BB_REMINDERS_DEFAULT        = 0,       /* the page: all but done and snoozed ones */
  BB_REMINDERS_SKIP_NOTIFIED  = 1 << 0,  /* the notifier: also leave out those notified at their stage */
  BB_REMINDERS_LABELS_LATER   = 1 << 1,  /* customer_code and customer_name NULL until bb_reminder_load_labels() */
} BbRemindersFlags;

/* One step of the ladder (see bb_reminder_ladder_parse()). */
typedef struct
{
  int                days;     /* from the due date: < 0 before, 0 on it, > 0 after */
  BbReminderWording  wording;  /* after-due steps; polite before */
  BbLateFeeKind      fee_kind; /* after-due steps only */
  gint64             fee;      /* basis points or minor units, by fee_kind */
} BbReminderStep;

/* The ladder in Preferences, until the owner changes it. */
#define BB_REMINDER_LADDER_DEFAULT "-7; -3; -1; +1 polite; +7 polite; +30 firm; +60 final"
#define BB_REMINDER_LADDER_MAX_STEPS 20
/* A bill stays listed at the last step for so many days after it, so a
 * machine that was off catches up; then it is left to the aging report
 * and the bills list's overdue filter. */
#define BB_REMINDERS_LAST_STEP_DAYS 30
/* A customer's details are due for review this long after the last
 * review, until the owner chooses another time in Preferences
 * (bb_reminders_set_review_days(); 0: never). */
#define BB_REMINDERS_REVIEW_DAYS 90
#define BB_REMINDERS_REVIEW_DAYS_MAX 3660
/* A prepaid card with money on it is listed this long before it expires. */
#define BB_REMINDERS_PREPAID_EXPIRY_DAYS 30

#define BB_REMINDERS_CSV_HEADER "due_on,kind,customer_code,subject,amount"

#define BB_TYPE_REMINDER (bb_reminder_get_type ())
G_DECLARE_FINAL_TYPE (BbReminder, bb_reminder, BB, REMINDER, GObject)

/* A record computed by bb_reminders_compute(); read its fields. Its
 * strings belong to it: never free or replace them. */
struct _BbReminder
{
  GObject            parent_instance;

  BbReminderKind     kind;
  /* With kind and subject_id, names "this reminder at this stage": the
   * step's days for bills ("-3", "+30"); for the others the date the
   * reminder is about (follow-up date, expiry date, period to bill, last
   * review), or for a low card the date of its last top-up ("" if none),
   * so a new episode is a new reminder. */
  const char        *stage;
  const char        *key;          /* "kind:subject_id:stage", for the state operations */
  BbReminderState    state;

  /* The bill, interaction, prepaid account, recurring charge or customer. */
  gint64             subject_id;
  const char        *subject;      /* bill number, follow-up summary, card name, charge, customer name */

  gint64             customer_id;
  const char        *customer_code; /* NULL until loaded with %BB_REMINDERS_LABELS_LATER */
  const char        *customer_name;

  const char        *due_on;       /* YYYY-MM-DD: due date, follow-up date, expiry, period, review due */
  gboolean           has_amount;   /* follow-ups and reviews have none */
  BbMoney            amount;       /* still owed, card balance, or charge with tax */

  /* Bills: the step reached (days, wording, late fee). Fees are not
   * offered on fee bills. */
  int                step_days;
  BbReminderWording  wording;
  BbLateFeeKind      fee_kind;
  gint64             fee;
  gboolean           fee_drafted;  /* a fee bill was drafted for this bill at this step */

  /*< private >*/
  char              *labels;       /* customer_code and customer_name, when loaded later */
};

const char        *bb_reminder_kind_to_string      (BbReminderKind      kind);
gboolean           bb_reminder_kind_from_string    (const char         *text,
                                                    BbReminderKind     *kind);
const char        *bb_reminder_kind_label          (BbReminderKind      kind);
const char        *bb_reminder_wording_to_string   (BbReminderWording   wording);

BbReminderGroup    bb_reminder_get_group           (BbReminder         *reminder,
                                                    GDateTime          *now);
const char        *bb_reminder_group_label         (BbReminderGroup     group);

GArray            *bb_reminder_ladder_parse        (const char         *text,
                                                    const BbCurrency   *currency,
                                                    GError            **error);
char              *bb_reminder_ladder_to_string    (GArray             *steps,
                                                    const BbCurrency   *currency);
GArray            *bb_reminders_get_ladder         (BbDb               *db);
gboolean           bb_reminders_set_ladder         (BbDb               *db,
                                                    const char         *text,
                                                    GError            **error);
int                bb_reminders_get_review_days    (BbDb               *db);
gboolean           bb_reminders_set_review_days    (BbDb               *db,
                                                    int                 days,
                                                    GError            **error);

GPtrArray         *bb_reminders_compute            (BbDb               *db,
                                                    GDateTime          *now,
                                                    BbRemindersFlags    flags,
                                                    GError            **error);
gboolean           bb_reminder_load_labels         (BbReminder         *reminder,
                                                    BbDb               *db,
                                                    GError            **error);
char              *bb_reminders_to_csv             (GPtrArray          *reminders,
                                                    const BbCurrency   *currency,
                                                    GError            **error);

gboolean           bb_reminders_mark_done          (BbDb               *db,
                                                    const char         *key,
                                                    GError            **error);
gboolean           bb_reminders_snooze             (BbDb               *db,
                                                    const char         *key,
                                                    GDateTime          *until,
                                                    GError            **error);
gboolean           bb_reminders_mark_notified      (BbDb               *db,
                                                    const char         *key,
                                                    GError            **error);

BbInvoice         *bb_reminders_draft_fee_bill     (BbDb               *db,
                                                    BbReminder         *reminder,
                                                    GError            **error);

G_END_DECLS
