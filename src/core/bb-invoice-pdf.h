/* bb-invoice-pdf.h — a bill laid out on paper: PDF, printing, amount in words
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One renderer for "Export PDF…", "Print…" and `billbook-cli invoice pdf`.
 * Everything is drawn in points (1/72 in) with pango-cairo.
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "bb-db.h"
#include "bb-invoice.h"

G_BEGIN_DECLS

typedef enum
{
  BB_PAPER_A4,
  BB_PAPER_LETTER,
} BbPaperSize;

typedef struct
{
  BbPaperSize paper;
  gboolean    amount_in_words;
} BbInvoicePdfOptions;

/* The options the owner chose in Preferences: settings "billing.paper"
 * ("a4" or "letter"; default a4) and "billing.amount_in_words" ("1" or
 * "0"; default 0). */
void              bb_invoice_pdf_options_from_settings (BbDb                       *db,
                                                        BbInvoicePdfOptions        *options);

gboolean          bb_paper_size_from_string           (const char                 *text,
                                                        BbPaperSize                *paper);
const char       *bb_paper_size_to_string             (BbPaperSize                 paper);
void              bb_paper_size_get_size              (BbPaperSize                 paper,
                                                        double                     *width_pt,
                                                        double                     *height_pt);

/* A bill laid out into pages. For printing, GtkPrintOperation (with
 * gtk_print_operation_set_unit (op, GTK_UNIT_POINTS)) calls
 * bb_invoice_layout_get_n_pages() in its "begin-print" handler and
 * bb_invoice_layout_draw_page() in "draw-page" on the print context's
 * cairo_t. The layout keeps no reference to the book: it may outlive it. */
typedef struct _BbInvoiceLayout BbInvoiceLayout;

BbInvoiceLayout  *bb_invoice_layout_new               (BbDb                       *db,
                                                        BbInvoice                  *invoice,
                                                        const BbInvoicePdfOptions  *options,
                                                        PangoContext               *context,
                                                        GError                    **error);
void              bb_invoice_layout_free              (BbInvoiceLayout            *layout);
guint             bb_invoice_layout_get_n_pages       (BbInvoiceLayout            *layout);
void              bb_invoice_layout_get_page_size     (BbInvoiceLayout            *layout,
                                                        double                     *width_pt,
                                                        double                     *height_pt);
void              bb_invoice_layout_draw_page         (BbInvoiceLayout            *layout,
                                                        cairo_t                    *cr,
                                                        guint                       page);
/* "Invoice INV-2026-0001", "Credit Note CN-…", or "Invoice (draft)":
 * the PDF title and the print job's name. */
const char       *bb_invoice_layout_get_title         (BbInvoiceLayout            *layout);

gboolean          bb_invoice_pdf_write                (BbDb                       *db,
                                                        BbInvoice                  *invoice,
                                                        const BbInvoicePdfOptions  *options,
                                                        const char                 *path,
                                                        GError                    **error);

/* Amounts in words, as written on cheques and Chinese receipts:
 * for CNY the uppercase financial numerals (大写) "壹仟贰佰叁拾肆元伍角陆分",
 * for other currencies English words: "One thousand two hundred
 * thirty-four US dollars and fifty-six cents". */
char             *bb_money_to_words                   (BbMoney                     amount,
                                                        const BbCurrency           *currency);
char             *bb_money_to_chinese_uppercase       (BbMoney                     amount);

/* For tests only */
char             *_bb_invoice_layout_get_font_families (BbInvoiceLayout           *layout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbInvoiceLayout, bb_invoice_layout_free)

G_END_DECLS
