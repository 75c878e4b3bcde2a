/* bb-invoices.h — bills in the book: drafts, review, numbering, issue, void, credit notes
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-db.h"
#include "bb-invoice.h"

G_BEGIN_DECLS

/* The default pattern of bill numbers; {year} is the issue year and
 * {seq:04} the sequence within it, zero-padded to 4 digits. */
#define BB_INVOICE_DEFAULT_PATTERN "INV-{year}-{seq:04}"

typedef enum
{
  BB_INVOICE_SORT_ISSUED,
  BB_INVOICE_SORT_NUMBER,
  BB_INVOICE_SORT_CUSTOMER,
  BB_INVOICE_SORT_DUE,
  BB_INVOICE_SORT_TOTAL,
  BB_INVOICE_SORT_BALANCE,
  BB_INVOICE_SORT_STATUS,
} BbInvoiceSort;

typedef struct
{
  char           *text;          /* a bill number or a customer's name, code, phone… */
  int             status;        /* -1 for any, else a BbInvoiceStatus */
  gboolean        overdue_only;  /* issued, money owed, due before @today */
  char           *today;         /* YYYY-MM-DD, for overdue_only */
  char           *from;          /* issued on or after; NULL for no bound */
  char           *to;            /* issued on or before; NULL for no bound */
  gint64          customer_id;   /* 0 for any */
  BbInvoiceSort   sort;
  gboolean        descending;
} BbInvoiceQuery;

typedef struct
{
  gboolean  ok;
  char     *text;       /* for the user: what was checked, and why not */
} BbReviewItem;

void        bb_review_item_free            (BbReviewItem  *item);

gboolean    bb_invoices_save_draft         (BbDb          *db,
                                            BbInvoice     *invoice,
                                            GError       **error);
BbInvoice  *bb_invoices_get                (BbDb          *db,
                                            gint64         id,
                                            GError       **error);
BbInvoice  *bb_invoices_get_by_number      (BbDb          *db,
                                            const char    *number,
                                            GError       **error);
gboolean    bb_invoices_delete_draft       (BbDb          *db,
                                            gint64         id,
                                            GError       **error);
gboolean    bb_invoices_submit             (BbDb          *db,
                                            gint64         id,
                                            GError       **error);
gboolean    bb_invoices_return_to_draft    (BbDb          *db,
                                            gint64         id,
                                            GError       **error);
GPtrArray  *bb_invoices_review             (BbDb          *db,
                                            gint64         id,
                                            GError       **error);
gboolean    bb_invoices_issue              (BbDb          *db,
                                            gint64         id,
                                            GError       **error);
gboolean    bb_invoices_void               (BbDb          *db,
                                            gint64         id,
                                            const char    *reason,
                                            GError       **error);
BbInvoice  *bb_invoices_create_credit_note (BbDb          *db,
                                            gint64         id,
                                            GError       **error);
BbInvoice  *bb_invoices_duplicate          (BbDb          *db,
                                            gint64         id,
                                            const GDate   *today,
                                            GError       **error);
GPtrArray  *bb_invoices_credit_problems    (BbDb          *db,
                                            gint64         id,
                                            const GDate   *today,
                                            GError       **error);

char       *bb_invoices_payment_request    (BbDb          *db,
                                            gint64         id,
                                            GError       **error);
gboolean    bb_invoices_get_balance_due    (BbDb          *db,
                                            gint64         id,
                                            const GDate   *as_of,
                                            BbMoney       *balance_due,
                                            GError       **error);

void        bb_invoice_query_clear         (BbInvoiceQuery *query);
gint64      bb_invoices_count              (BbDb          *db,
                                            const BbInvoiceQuery *query,
                                            GError       **error);
GPtrArray  *bb_invoices_search             (BbDb          *db,
                                            const BbInvoiceQuery *query,
                                            guint          offset,
                                            guint          limit,
                                            GError       **error);
gint64      bb_invoices_position           (BbDb          *db,
                                            const BbInvoiceQuery *query,
                                            gint64         id,
                                            GError       **error);

char       *bb_invoices_format_number      (const char    *pattern,
                                            int            year,
                                            gint64         seq,
                                            GError       **error);
char       *bb_invoices_get_pattern        (BbDb          *db);
char       *bb_invoices_preview_next_number (BbDb         *db,
                                            const char    *pattern,
                                            int            year,
                                            GError       **error);
gboolean    bb_invoices_set_pattern        (BbDb          *db,
                                            const char    *pattern,
                                            GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbReviewItem, bb_review_item_free)

G_END_DECLS
