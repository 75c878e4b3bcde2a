/* bb-payment-io.h — payments in and out of the book: CSV
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bb-customer-io.h"
#include "bb-db.h"

G_BEGIN_DECLS

/* The header row of a payments CSV file, in the order export writes it
 * (import accepts any order). One row per payment on import; on export
 * one row per bill a payment went to, and one for what it left as
 * credit (an empty invoice_number). */
#define BB_PAYMENTS_CSV_HEADER \
  "customer_code,invoice_number,received_on,amount,method,reference"

/* The reports are those of customer import (BbImportReport): n_rows is
 * the number of payments read, n_imported the payments written, problems
 * every bad line and field; preview stays empty. */

gboolean        bb_payments_import_csv        (BbDb                  *db,
                                               GBytes                *data,
                                               gboolean               dry_run,
                                               BbImportProgress       progress,
                                               gpointer               progress_data,
                                               GCancellable          *cancellable,
                                               BbImportReport       **report,
                                               GError               **error);
void            bb_payments_import_async      (BbDb                  *db,
                                               GBytes                *data,
                                               gboolean               dry_run,
                                               BbImportProgress       progress,
                                               gpointer               progress_data,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
gboolean        bb_payments_import_finish     (BbDb                  *db,
                                               GAsyncResult          *result,
                                               BbImportReport       **report,
                                               GError               **error);

gboolean        bb_payments_export_csv        (BbDb                  *db,
                                               GOutputStream         *out,
                                               GCancellable          *cancellable,
                                               GError               **error);
gboolean        bb_payments_export_csv_to_file (BbDb                 *db,
                                               GFile                 *file,
                                               GCancellable          *cancellable,
                                               GError               **error);
void            bb_payments_export_async      (BbDb                  *db,
                                               GFile                 *file,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
gboolean        bb_payments_export_finish     (BbDb                  *db,
                                               GAsyncResult          *result,
                                               GError               **error);

G_END_DECLS
