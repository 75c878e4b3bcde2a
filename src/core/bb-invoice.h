/* bb-invoice.h — a bill (账单): lines, totals, states
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "bb-money.h"

G_BEGIN_DECLS

typedef enum
{
  BB_INVOICE_DRAFT,
  BB_INVOICE_REVIEW,
  BB_INVOICE_ISSUED,
  BB_INVOICE_VOID,
} BbInvoiceStatus;

typedef enum
{
  BB_INVOICE_KIND_INVOICE,
  BB_INVOICE_KIND_CREDIT_NOTE,   /* a negative bill referring to another */
  BB_INVOICE_KIND_FEE,           /* a late fee, drafted by the reminders */
} BbInvoiceKind;

/* Derived from allocations and dates, never stored as truth. */
typedef enum
{
  BB_INVOICE_UNPAID,
  BB_INVOICE_PARTIALLY_PAID,
  BB_INVOICE_PAID,
} BbInvoicePaymentState;

typedef struct
{
  char       *description;
  BbQuantity  quantity;      /* thousandths */
  BbMoney     unit_price;    /* minor units; negative on credit notes */
  BbRate      discount;      /* basis points, 0 … 10000 */
  BbRate      tax_rate;      /* basis points */
  /* Computed by bb_invoice_compute_totals(): */
  BbMoney     gross;         /* round (quantity × unit price) */
  BbMoney     net;           /* round (quantity × unit price × (1 − discount)) */
  BbMoney     tax;           /* round (net × tax rate) */
} BbInvoiceLine;

#define BB_TYPE_INVOICE (bb_invoice_get_type ())
G_DECLARE_FINAL_TYPE (BbInvoice, bb_invoice, BB, INVOICE, GObject)

/* A record, like BbCustomer: read the fields; change a draft's fields and
 * lines, then hand it to bb_invoices_save_draft(). Totals, number, status
 * and payments are kept by core. */
struct _BbInvoice
{
  GObject          parent_instance;

  gint64           id;               /* 0 until saved */
  char            *number;           /* NULL until issued */
  gint64           customer_id;
  BbInvoiceKind    kind;
  gint64           credit_for_id;    /* the bill a credit note corrects, or 0 */
  BbInvoiceStatus  status;
  char            *issued_on;        /* YYYY-MM-DD */
  char            *due_on;           /* YYYY-MM-DD; empty: from the customer's terms */
  char            *currency;         /* ISO 4217 */
  char            *notes;
  char            *void_reason;
  GPtrArray       *lines;            /* BbInvoiceLine */

  BbMoney          subtotal;         /* Σ gross */
  BbMoney          discount_total;   /* subtotal − Σ net */
  BbMoney          tax_total;        /* Σ tax */
  BbMoney          total;            /* Σ net + Σ tax */
  BbMoney          paid;             /* Σ allocations */
  BbMoney          open_balance;     /* total − paid */

  /* For display, filled by reads: */
  char            *customer_code;
  char            *customer_name;
  char            *credit_for_number;
};

BbInvoice             *bb_invoice_new               (void);
BbInvoiceLine         *bb_invoice_add_line          (BbInvoice        *self,
                                                     const char       *description,
                                                     BbQuantity        quantity,
                                                     BbMoney           unit_price,
                                                     BbRate            discount,
                                                     BbRate            tax_rate);
void                   bb_invoice_line_free         (BbInvoiceLine    *line);
gboolean               bb_invoice_compute_totals    (BbInvoice        *self,
                                                     GError          **error);
gboolean               bb_invoice_line_compute      (BbInvoiceLine    *line,
                                                     GError          **error);
BbInvoicePaymentState  bb_invoice_get_payment_state (BbInvoice        *self);
const char            *bb_invoice_get_state_label   (BbInvoice        *self,
                                                     const GDate      *today,
                                                     const char      **css_class);
gboolean               bb_invoice_is_overdue        (BbInvoice        *self,
                                                     const GDate      *today);
const char            *bb_invoice_status_to_string  (BbInvoiceStatus   status);
const char            *bb_invoice_status_label      (BbInvoiceStatus   status);
gboolean               bb_invoice_status_from_string (const char      *text,
                                                     BbInvoiceStatus  *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbInvoiceLine, bb_invoice_line_free)

G_END_DECLS
