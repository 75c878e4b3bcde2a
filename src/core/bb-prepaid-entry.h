/* bb-prepaid-entry.h — one row of a prepaid card's ledger
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "bb-money.h"
#include "bb-payment.h"

G_BEGIN_DECLS

/* What an entry is; written in the book and in files as
 * bb_prepaid_entry_kind_to_string() gives it ("topup"). */
typedef enum
{
  BB_PREPAID_TOPUP,    /* money paid in, with its method */
  BB_PREPAID_BONUS,    /* bonus money given, by the bonus rule on a top-up */
  BB_PREPAID_CHARGE,   /* a sale, or a bill paid, from the balance */
  BB_PREPAID_REFUND,   /* money paid back to the customer */
  BB_PREPAID_EXPIRY,   /* what was left at expiry, written off */
  BB_PREPAID_ADJUST,   /* a correction with a reason, either way */
  BB_PREPAID_REDEEM,   /* points turned into bonus money (a discount on later charges) */
} BbPrepaidEntryKind;

#define BB_PREPAID_N_KINDS (BB_PREPAID_REDEEM + 1)

#define BB_TYPE_PREPAID_ENTRY (bb_prepaid_entry_get_type ())
G_DECLARE_FINAL_TYPE (BbPrepaidEntry, bb_prepaid_entry, BB, PREPAID_ENTRY, GObject)

/* A ledger row as read; entries are never changed (a mistake is undone
 * by a reversing entry). */
struct _BbPrepaidEntry
{
  GObject             parent_instance;

  gint64              id;
  gint64              account_id;
  char               *occurred_on;     /* YYYY-MM-DD */
  BbPrepaidEntryKind  kind;
  BbMoney             amount;          /* signed: what it did to the balance */
  BbMoney             bonus_part;      /* how much of @amount is bonus money (same sign) */
  gint64              points;          /* points earned (> 0) or spent (< 0) */
  gboolean            has_method;
  BbPaymentMethod     method;          /* top-ups and refunds: how the money moved */
  gint64              invoice_id;      /* a bill paid from the card, or 0 */
  gint64              payment_id;      /* the payment this is the card side of, or 0 */
  gint64              reverses_id;     /* the charge this entry takes back, or 0 */
  char               *note;            /* adjust: the reason */
  char               *created_at;

  /* Filled by reads: */
  BbMoney             balance_after;   /* the balance after it, in the order entries were made */
  gint64              reversed_by_id;  /* a charge taken back: the entry that did, or 0 */
  char               *invoice_number;
};

BbPrepaidEntry *bb_prepaid_entry_new                 (void);
BbMoney         bb_prepaid_entry_get_paid_in_part    (BbPrepaidEntry      *self);

const char     *bb_prepaid_entry_kind_to_string      (BbPrepaidEntryKind   kind);
gboolean        bb_prepaid_entry_kind_from_string    (const char          *text,
                                                      BbPrepaidEntryKind  *kind);
const char     *bb_prepaid_entry_kind_label          (BbPrepaidEntryKind   kind);

G_END_DECLS
