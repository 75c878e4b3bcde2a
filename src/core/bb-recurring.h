/* bb-recurring.h — recurring charges: a customer billed every week, month, quarter or year
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bb-db.h"
#include "bb-money.h"

G_BEGIN_DECLS

/* Written in the book as bb_recurring_interval_to_string() gives it. */
typedef enum
{
  BB_RECURRING_WEEKLY,
  BB_RECURRING_MONTHLY,
  BB_RECURRING_QUARTERLY,
  BB_RECURRING_YEARLY,
} BbRecurringInterval;

#define BB_RECURRING_N_INTERVALS (BB_RECURRING_YEARLY + 1)

#define BB_TYPE_RECURRING_CHARGE (bb_recurring_charge_get_type ())
G_DECLARE_FINAL_TYPE (BbRecurringCharge, bb_recurring_charge, BB, RECURRING_CHARGE, GObject)

/* A record, like BbInvoice: fill in a new one (or change one read from the
 * book) and hand it to bb_recurring_save(). Each bill it makes has one
 * line: description × 1 at amount, taxed at tax_rate. */
struct _BbRecurringCharge
{
  GObject              parent_instance;

  gint64               id;            /* 0 until saved */
  gint64               customer_id;
  char                *description;   /* the line on the bill */
  BbMoney              amount;        /* > 0, minor units of the book's currency, before tax */
  BbRate               tax_rate;      /* basis points */
  BbRecurringInterval  interval;
  /* Monthly, quarterly, yearly: the day of the month bills fall on; in a
   * shorter month the last day (31 → Feb 28/29, Apr 30, May 31). 0 on a
   * new charge: the day of start_on. Weekly charges ignore it. */
  guint                anchor_day;
  char                *start_on;      /* YYYY-MM-DD: the first period */
  char                *next_on;       /* YYYY-MM-DD: the next period to bill; empty on a new charge: start_on */
  char                *end_on;        /* YYYY-MM-DD: no period after it is billed; NULL or empty: none */
  gboolean             active;        /* FALSE once stopped */
  char                *created_at;

  /* For display, filled by reads: */
  char                *customer_code;
  char                *customer_name;
};

BbRecurringCharge *bb_recurring_charge_new         (void);

const char        *bb_recurring_interval_to_string (BbRecurringInterval   interval);
gboolean           bb_recurring_interval_from_string (const char         *text,
                                                    BbRecurringInterval *interval);
const char        *bb_recurring_interval_label     (BbRecurringInterval   interval);

void               bb_recurring_next_date          (BbRecurringInterval   interval,
                                                    guint                 anchor_day,
                                                    const GDate          *date,
                                                    GDate                *next);
char              *bb_recurring_period_label       (BbRecurringInterval   interval,
                                                    const GDate          *date);

gboolean           bb_recurring_validate           (BbDb                 *db,
                                                    BbRecurringCharge    *charge,
                                                    GError              **error);
gboolean           bb_recurring_save               (BbDb                 *db,
                                                    BbRecurringCharge    *charge,
                                                    GError              **error);
BbRecurringCharge *bb_recurring_get                (BbDb                 *db,
                                                    gint64                id,
                                                    GError              **error);
GPtrArray         *bb_recurring_list_for_customer  (BbDb                 *db,
                                                    gint64                customer_id,
                                                    GError              **error);
GPtrArray         *bb_recurring_list               (BbDb                 *db,
                                                    guint                 offset,
                                                    guint                 limit,
                                                    GError              **error);
gboolean           bb_recurring_stop               (BbDb                 *db,
                                                    gint64                id,
                                                    GError              **error);
gboolean           bb_recurring_delete             (BbDb                 *db,
                                                    gint64                id,
                                                    GError              **error);

gboolean           bb_recurring_run                (BbDb                 *db,
                                                    const GDate          *as_of,
                                                    guint                *n_bills,
                                                    GError              **error);
void               bb_recurring_run_async          (BbDb                 *db,
                                                    const GDate          *as_of,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean           bb_recurring_run_finish         (BbDb                 *db,
                                                    GAsyncResult         *result,
                                                    guint                *n_bills,
                                                    GError              **error);

G_END_DECLS
