/* bb-invoice-io.h — bills in and out of the book: CSV
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bb-customer-io.h"
#include "bb-db.h"

G_BEGIN_DECLS

/* The header row of an invoices CSV file, in the order export writes it
 * (import accepts any order). One row per line item; the rows sharing a
 * number form one bill. */
#define BB_INVOICES_CSV_HEADER \
  "number,customer_code,issued_on,due_on,status,description,quantity,unit_price,tax_rate_percent,discount_percent"

/* What export writes in the number column of a draft or a bill in review,
 * which has no number of its own yet: "DRAFT-1", "DRAFT-2"… in export
 * order. On import such a number only groups the lines. */
#define BB_INVOICES_CSV_DRAFT_PREFIX "DRAFT-"

/* The reports are those of customer import (BbImportReport): n_rows is
 * the number of bills read, n_imported the bills written, problems every
 * bad line and field; preview stays empty. */

gboolean        bb_invoices_import_csv        (BbDb                  *db,
                                               GBytes                *data,
                                               gboolean               dry_run,
                                               BbImportProgress       progress,
                                               gpointer               progress_data,
                                               GCancellable          *cancellable,
                                               BbImportReport       **report,
                                               GError               **error);
void            bb_invoices_import_async      (BbDb                  *db,
                                               GBytes                *data,
                                               gboolean               dry_run,
                                               BbImportProgress       progress,
                                               gpointer               progress_data,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
gboolean        bb_invoices_import_finish     (BbDb                  *db,
                                               GAsyncResult          *result,
                                               BbImportReport       **report,
                                               GError               **error);

gboolean        bb_invoices_export_csv        (BbDb                  *db,
                                               GOutputStream         *out,
                                               GCancellable          *cancellable,
                                               GError               **error);
gboolean        bb_invoices_export_csv_to_file (BbDb                 *db,
                                               GFile                 *file,
                                               GCancellable          *cancellable,
                                               GError               **error);
void            bb_invoices_export_async      (BbDb                  *db,
                                               GFile                 *file,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
gboolean        bb_invoices_export_finish     (BbDb                  *db,
                                               GAsyncResult          *result,
                                               GError               **error);

G_END_DECLS
