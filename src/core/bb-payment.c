/* bb-payment.c — money received from a customer, and where it went
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-payment.h"
#include "bb-text.h"

G_DEFINE_FINAL_TYPE (BbPayment, bb_payment, G_TYPE_OBJECT)

/* As the schema's CHECK and DESIGN.md write them. */
static const char * const method_names[BB_PAYMENT_N_METHODS] = {
  [BB_PAYMENT_CASH] = "cash",
  [BB_PAYMENT_BANK_TRANSFER] = "bank_transfer",
  [BB_PAYMENT_CARD] = "card",
  [BB_PAYMENT_ALIPAY] = "alipay",
  [BB_PAYMENT_WECHAT_PAY] = "wechat_pay",
  [BB_PAYMENT_PREPAID] = "prepaid",
  [BB_PAYMENT_OTHER] = "other",
};

static const char * const kind_names[] = {
  [BB_ALLOCATION_PAYMENT] = "payment",
  [BB_ALLOCATION_CREDIT] = "credit",
  [BB_ALLOCATION_REVERSAL] = "reversal",
};

static void
bb_payment_finalize (GObject *object)
{
  BbPayment *self = (BbPayment *) object;

  g_free (self->received_on);
  g_free (self->currency);
  g_free (self->reference);
  g_free (self->note);
  g_free (self->created_at);
  g_free (self->customer_code);
  g_free (self->customer_name);

  G_OBJECT_CLASS (bb_payment_parent_class)->finalize (object);
}

static void
bb_payment_class_init (BbPaymentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_payment_finalize;
}

static void
bb_payment_init (BbPayment *self)
{
  GDate today;

  bb_date_set_today (&today);
  self->received_on = bb_date_to_iso (&today);
  self->method = BB_PAYMENT_CASH;
  self->reference = g_strdup ("");
  self->note = g_strdup ("");
}

/**
 * bb_payment_new:
 *
 * Returns: (transfer full): a payment received today, in cash, of nothing
 *   yet; set its customer and amount
 */
BbPayment *
bb_payment_new (void)
{
  return g_object_new (BB_TYPE_PAYMENT, NULL);
}

/* A refund: the row that reverses another. */
gboolean
bb_payment_is_refund (BbPayment *self)
{
  g_return_val_if_fail (BB_IS_PAYMENT (self), FALSE);

  return self->reverses_id != 0;
}

/* A payment that a refund has reversed. */
gboolean
bb_payment_is_reversed (BbPayment *self)
{
  g_return_val_if_fail (BB_IS_PAYMENT (self), FALSE);

  return self->reversed_by_id != 0;
}

const char *
bb_payment_method_to_string (BbPaymentMethod method)
{
  g_return_val_if_fail ((guint) method < BB_PAYMENT_N_METHODS, "other");

  return method_names[method];
}

/**
 * bb_payment_method_from_string:
 * @text: a method as written in files, in any case ("Alipay")
 *
 * Returns: %TRUE and sets @method when @text names one
 */
gboolean
bb_payment_method_from_string (const char      *text,
                               BbPaymentMethod *method)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < BB_PAYMENT_N_METHODS; i++)
    if (g_ascii_strcasecmp (text, method_names[i]) == 0)
      {
        if (method)
          *method = (BbPaymentMethod) i;
        return TRUE;
      }

  return FALSE;
}

const char *
bb_payment_method_label (BbPaymentMethod method)
{
  switch (method)
    {
    case BB_PAYMENT_CASH:
      return _("Cash");
    case BB_PAYMENT_BANK_TRANSFER:
      return _("Bank transfer");
    case BB_PAYMENT_CARD:
      return _("Card");
    case BB_PAYMENT_ALIPAY:
      return _("Alipay");
    case BB_PAYMENT_WECHAT_PAY:
      return _("WeChat Pay");
    case BB_PAYMENT_PREPAID:
      return _("Prepaid card");
    case BB_PAYMENT_OTHER:
      return _("Other");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
bb_allocation_kind_to_string (BbAllocationKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), "payment");

  return kind_names[kind];
}

gboolean
bb_allocation_kind_from_string (const char       *text,
                                BbAllocationKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        if (kind)
          *kind = (BbAllocationKind) i;
        return TRUE;
      }

  return FALSE;
}

/**
 * bb_allocation_new:
 * @invoice_id: the bill
 * @amount: how much of the payment goes to it
 *
 * Returns: (transfer full): an allocation to hand to bb_payments_record()
 */
BbAllocation *
bb_allocation_new (gint64  invoice_id,
                   BbMoney amount)
{
  BbAllocation *allocation = g_new0 (BbAllocation, 1);

  allocation->invoice_id = invoice_id;
  allocation->amount = amount;

  return allocation;
}

void
bb_allocation_free (BbAllocation *allocation)
{
  if (allocation == NULL)
    return;

  g_free (allocation->created_at);
  g_free (allocation->invoice_number);
  g_free (allocation->received_on);
  g_free (allocation->reference);
  g_free (allocation);
}
