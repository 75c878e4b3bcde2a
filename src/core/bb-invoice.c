/* bb-invoice.c — a bill (账单): lines, totals, states
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Totals are computed here and nowhere else, by DESIGN.md's rule: per
 * line, net = round (quantity × unit price × (1 − discount)) and
 * tax = round (net × tax rate), each rounded half away from zero to the
 * minor unit; the total is the sum of net + tax over the lines.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-db.h"
#include "bb-invoice.h"
#include "bb-text.h"

G_DEFINE_FINAL_TYPE (BbInvoice, bb_invoice, G_TYPE_OBJECT)

void
bb_invoice_line_free (BbInvoiceLine *line)
{
  if (line == NULL)
    return;

  g_free (line->description);
  g_free (line);
}

static void
bb_invoice_finalize (GObject *object)
{
  BbInvoice *self = (BbInvoice *) object;

  g_free (self->number);
  g_free (self->issued_on);
  g_free (self->due_on);
  g_free (self->currency);
  g_free (self->notes);
  g_free (self->void_reason);
  g_ptr_array_unref (self->lines);
  g_free (self->customer_code);
  g_free (self->customer_name);
  g_free (self->credit_for_number);

  G_OBJECT_CLASS (bb_invoice_parent_class)->finalize (object);
}

static void
bb_invoice_class_init (BbInvoiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_invoice_finalize;
}

static void
bb_invoice_init (BbInvoice *self)
{
  GDate today;

  bb_date_set_today (&today);
  self->issued_on = bb_date_to_iso (&today);
  self->due_on = g_strdup ("");
  self->currency = g_strdup ("CNY");
  self->notes = g_strdup ("");
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_invoice_line_free);
}

BbInvoice *
bb_invoice_new (void)
{
  return g_object_new (BB_TYPE_INVOICE, NULL);
}

BbInvoiceLine *
bb_invoice_add_line (BbInvoice  *self,
                     const char *description,
                     BbQuantity  quantity,
                     BbMoney     unit_price,
                     BbRate      discount,
                     BbRate      tax_rate)
{
  BbInvoiceLine *line;

  g_return_val_if_fail (BB_IS_INVOICE (self), NULL);

  line = g_new0 (BbInvoiceLine, 1);
  line->description = g_strdup (description ? description : "");
  line->quantity = quantity;
  line->unit_price = unit_price;
  line->discount = discount;
  line->tax_rate = tax_rate;
  g_ptr_array_add (self->lines, line);

  return line;
}

/**
 * bb_invoice_line_compute:
 *
 * Fills in the line's gross, net and tax.
 */
gboolean
bb_invoice_line_compute (BbInvoiceLine  *line,
                         GError        **error)
{
  if (line->discount < 0 || line->discount > BB_RATE_ONE_HUNDRED_PERCENT)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Discount: must be between 0 and 100 %%"));
      return FALSE;
    }
  if (line->tax_rate < 0 || line->tax_rate > 10 * BB_RATE_ONE_HUNDRED_PERCENT)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Tax: must be between 0 and 1000 %%"));
      return FALSE;
    }

  if (!bb_money_line_net (line->quantity, line->unit_price, 0, &line->gross) ||
      !bb_money_line_net (line->quantity, line->unit_price, line->discount, &line->net) ||
      !bb_money_apply_rate (line->net, line->tax_rate, &line->tax))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Amount: the line “%s” is too large to compute"), line->description);
      return FALSE;
    }

  return TRUE;
}

/**
 * bb_invoice_compute_totals:
 *
 * Computes every line and the bill's subtotal, discount, tax and total,
 * refusing amounts that would overflow.
 */
gboolean
bb_invoice_compute_totals (BbInvoice  *self,
                           GError    **error)
{
  BbMoney subtotal = 0, net = 0, tax = 0, total = 0, discount = 0;

  g_return_val_if_fail (BB_IS_INVOICE (self), FALSE);

  for (guint i = 0; i < self->lines->len; i++)
    {
      BbInvoiceLine *line = g_ptr_array_index (self->lines, i);

      if (!bb_invoice_line_compute (line, error))
        {
          g_prefix_error (error, _("Line %u: "), i + 1);
          return FALSE;
        }

      if (!bb_money_add (subtotal, line->gross, &subtotal) ||
          !bb_money_add (net, line->net, &net) ||
          !bb_money_add (tax, line->tax, &tax))
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Total: the bill is too large to compute"));
          return FALSE;
        }
    }

  if (!bb_money_add (net, tax, &total) || !bb_money_sub (subtotal, net, &discount))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Total: the bill is too large to compute"));
      return FALSE;
    }

  self->subtotal = subtotal;
  self->discount_total = discount;
  self->tax_total = tax;
  self->total = total;
  self->open_balance = total - self->paid;

  return TRUE;
}

BbInvoicePaymentState
bb_invoice_get_payment_state (BbInvoice *self)
{
  g_return_val_if_fail (BB_IS_INVOICE (self), BB_INVOICE_UNPAID);

  if (self->total > 0 ? self->paid >= self->total : self->paid <= self->total)
    return BB_INVOICE_PAID;
  if (self->paid != 0)
    return BB_INVOICE_PARTIALLY_PAID;

  return BB_INVOICE_UNPAID;
}

/**
 * bb_invoice_is_overdue:
 *
 * An issued bill with money still owed after its due date.
 */
gboolean
bb_invoice_is_overdue (BbInvoice   *self,
                       const GDate *today)
{
  g_autofree char *today_iso = bb_date_to_iso (today);

  g_return_val_if_fail (BB_IS_INVOICE (self), FALSE);

  return self->status == BB_INVOICE_ISSUED &&
         self->open_balance > 0 &&
         g_strcmp0 (self->due_on, today_iso) < 0;
}

/**
 * bb_invoice_get_state_label:
 * @today: for an issued bill, whether it is overdue
 * @css_class: (out) (optional): the style class of the coloured tag
 *   that shows it: draft, review, void, paid, overdue, partial, issued
 *
 * What a bill's tag says, in the bill list and the customer's history:
 * its stored state, or for an issued bill what the payments and dates
 * make of it.
 *
 * Returns: (transfer none): the label, translated
 */
const char *
bb_invoice_get_state_label (BbInvoice    *self,
                            const GDate  *today,
                            const char  **css_class)
{
  const char *text, *css;

  g_return_val_if_fail (BB_IS_INVOICE (self), NULL);

  switch (self->status)
    {
    case BB_INVOICE_DRAFT:
      text = _("Draft");
      css = "draft";
      break;
    case BB_INVOICE_REVIEW:
      text = _("In review");
      css = "review";
      break;
    case BB_INVOICE_VOID:
      text = _("Void");
      css = "void";
      break;
    case BB_INVOICE_ISSUED:
    default:
      if (bb_invoice_get_payment_state (self) == BB_INVOICE_PAID)
        {
          text = _("Paid");
          css = "paid";
        }
      else if (bb_invoice_is_overdue (self, today))
        {
          text = _("Overdue");
          css = "overdue";
        }
      else if (bb_invoice_get_payment_state (self) == BB_INVOICE_PARTIALLY_PAID)
        {
          text = _("Partly paid");
          css = "partial";
        }
      else
        {
          text = self->kind == BB_INVOICE_KIND_CREDIT_NOTE ? _("Credit note") : _("Issued");
          css = "issued";
        }
      break;
    }

  if (css_class)
    *css_class = css;
  return text;
}

static const char * const status_names[] = { "draft", "review", "issued", "void" };

const char *
bb_invoice_status_to_string (BbInvoiceStatus status)
{
  g_return_val_if_fail (status <= BB_INVOICE_VOID, "draft");

  return status_names[status];
}

gboolean
bb_invoice_status_from_string (const char      *text,
                               BbInvoiceStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      {
        *status = (BbInvoiceStatus) i;
        return TRUE;
      }

  return FALSE;
}

const char *
bb_invoice_status_label (BbInvoiceStatus status)
{
  switch (status)
    {
    case BB_INVOICE_DRAFT:
      return _("Draft");
    case BB_INVOICE_REVIEW:
      return _("In review");
    case BB_INVOICE_ISSUED:
      return _("Issued");
    case BB_INVOICE_VOID:
      return _("Void");
    default:
      g_return_val_if_reached ("");
    }
}
