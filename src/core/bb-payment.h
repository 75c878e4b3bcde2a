/* bb-payment.h — money received from a customer, and where it went
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "bb-money.h"

G_BEGIN_DECLS

/* How the money came; written in files as bb_payment_method_to_string()
 * gives it ("wechat_pay"), shown as bb_payment_method_label() gives it. */
typedef enum
{
  BB_PAYMENT_CASH,
  BB_PAYMENT_BANK_TRANSFER,
  BB_PAYMENT_CARD,
  BB_PAYMENT_ALIPAY,
  BB_PAYMENT_WECHAT_PAY,
  BB_PAYMENT_PREPAID,          /* from a prepaid card: taken by the prepaid ledger */
  BB_PAYMENT_OTHER,
} BbPaymentMethod;

#define BB_PAYMENT_N_METHODS (BB_PAYMENT_OTHER + 1)

/* What an allocation row is (see bb-payments.c). */
typedef enum
{
  BB_ALLOCATION_PAYMENT,       /* put on the bill when the payment was recorded */
  BB_ALLOCATION_CREDIT,        /* the customer's credit, put on the bill later */
  BB_ALLOCATION_REVERSAL,      /* a refund taking back an allocation */
} BbAllocationKind;

/* One allocation: money of a payment put on a bill. As input to
 * bb_payments_record() only invoice_id and amount are read. */
typedef struct
{
  gint64            id;
  gint64            payment_id;
  gint64            invoice_id;
  BbMoney           amount;          /* > 0; < 0 on a reversal */
  BbAllocationKind  kind;
  char             *created_at;

  /* For display, filled by reads: */
  char             *invoice_number;
  char             *received_on;     /* of the payment the money is from */
  BbPaymentMethod   method;
  char             *reference;
} BbAllocation;

#define BB_TYPE_PAYMENT (bb_payment_get_type ())
G_DECLARE_FINAL_TYPE (BbPayment, bb_payment, BB, PAYMENT, GObject)

/* A record, like BbInvoice: fill in a new one and hand it to
 * bb_payments_record(). A recorded payment is never changed: a mistake
 * is undone with bb_payments_reverse(). */
struct _BbPayment
{
  GObject          parent_instance;

  gint64           id;                   /* 0 until recorded */
  gint64           customer_id;
  char            *received_on;          /* YYYY-MM-DD */
  BbMoney          amount;               /* > 0; < 0 on a refund */
  char            *currency;             /* the book's; NULL or empty: the book's */
  BbPaymentMethod  method;
  char            *reference;            /* the bank's or Alipay's transaction number… */
  char            *note;                 /* on a refund: why */
  gint64           reverses_id;          /* a refund: the payment it reverses; else 0 */
  gint64           prepaid_account_id;   /* method prepaid: the card; else 0 */
  char            *created_at;

  /* Filled by reads: */
  gint64           reversed_by_id;       /* the refund of this payment, or 0 */
  BbMoney          allocated;            /* Σ its allocations */
  BbMoney          unallocated;          /* amount − allocated: credit it holds */
  char            *customer_code;
  char            *customer_name;
};

BbPayment      *bb_payment_new                   (void);
gboolean        bb_payment_is_refund             (BbPayment        *self);
gboolean        bb_payment_is_reversed           (BbPayment        *self);

const char     *bb_payment_method_to_string      (BbPaymentMethod   method);
gboolean        bb_payment_method_from_string    (const char       *text,
                                                  BbPaymentMethod  *method);
const char     *bb_payment_method_label          (BbPaymentMethod   method);

const char     *bb_allocation_kind_to_string     (BbAllocationKind  kind);
gboolean        bb_allocation_kind_from_string   (const char       *text,
                                                  BbAllocationKind *kind);
BbAllocation   *bb_allocation_new                (gint64            invoice_id,
                                                  BbMoney           amount);
void            bb_allocation_free               (BbAllocation     *allocation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbAllocation, bb_allocation_free)

G_END_DECLS
