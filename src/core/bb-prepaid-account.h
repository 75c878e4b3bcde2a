/* bb-prepaid-account.h — one prepaid card of a customer, with its terms
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "bb-money.h"

G_BEGIN_DECLS

/* How long the money on a card is good for. */
typedef enum
{
  BB_PREPAID_VALIDITY_NONE,    /* no end */
  BB_PREPAID_VALIDITY_FIXED,   /* until a fixed day (expires_on) */
  BB_PREPAID_VALIDITY_MONTHS,  /* validity_months from the latest top-up */
} BbPrepaidValidity;

#define BB_TYPE_PREPAID_ACCOUNT (bb_prepaid_account_get_type ())
G_DECLARE_FINAL_TYPE (BbPrepaidAccount, bb_prepaid_account, BB, PREPAID_ACCOUNT, GObject)

/* A record, like BbInvoice: fill in or change the name and the terms
 * and hand it to bb_prepaid_save_account(), which validates them. The
 * money figures, the expiry day of a months card and the times are kept
 * by core from the ledger and ignored on save. */
struct _BbPrepaidAccount
{
  GObject            parent_instance;

  gint64             id;                 /* 0 until saved */
  gint64             customer_id;
  char              *name;               /* "Membership card", unique per customer */

  /* Terms */
  BbPrepaidValidity  validity;
  char              *expires_on;         /* fixed: the day the money expires (set it);
                                          * months: the latest top-up + validity_months
                                          * (kept by core; NULL before any top-up);
                                          * none: NULL */
  int                validity_months;    /* months: 1 … 600 */
  char              *refund_policy;      /* shown to the customer, free text */
  gboolean           bonus_refundable;   /* whether a refund may pay out bonus money */
  BbMoney            low_balance_mark;   /* remind under this balance; 0: never */
  BbMoney            bonus_threshold;    /* each full top-up of this much… */
  BbMoney            bonus_amount;       /* …brings this much bonus; 0: no bonus */
  gint64             points_per_unit;    /* points earned for each full… */
  BbMoney            points_unit;        /* …this much charged (default 1.00); 0 points: none */
  gint64             redeem_points;      /* points are redeemed in steps of this many… */
  BbMoney            redeem_value;       /* …for this much bonus money each; 0: not redeemable */
  gboolean           closed;             /* no longer used; only with a balance of 0 */
  char              *created_at;

  /* From the ledger, kept by core: */
  BbMoney            balance;            /* paid_in + bonus */
  BbMoney            paid_in;            /* the customer's own money left on the card */
  BbMoney            bonus;              /* bonus money left on the card */
  gint64             points;
  char              *last_used_on;       /* the latest charge, or NULL */

  /* For display, filled by reads: */
  char              *customer_code;
  char              *customer_name;
};

BbPrepaidAccount  *bb_prepaid_account_new             (void);
BbMoney            bb_prepaid_account_get_refundable  (BbPrepaidAccount  *self);
gboolean           bb_prepaid_account_is_low          (BbPrepaidAccount  *self);
gboolean           bb_prepaid_account_is_expired      (BbPrepaidAccount  *self,
                                                       const GDate       *today);
BbMoney            bb_prepaid_account_compute_bonus   (BbPrepaidAccount  *self,
                                                       BbMoney            top_up);
gint64             bb_prepaid_account_compute_points  (BbPrepaidAccount  *self,
                                                       BbMoney            charge);
BbMoney            bb_prepaid_account_compute_redeem_value (BbPrepaidAccount *self,
                                                       gint64             points);

const char        *bb_prepaid_validity_to_string      (BbPrepaidValidity  validity);
gboolean           bb_prepaid_validity_from_string    (const char        *text,
                                                       BbPrepaidValidity *validity);

G_END_DECLS
