/* bb-prepaid-io.h — prepaid ledgers in and out of the book: CSV
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bb-customer-io.h"
#include "bb-db.h"

G_BEGIN_DECLS

/* The header row of a prepaid CSV file, in the order export writes it
 * (import accepts any order). One row per ledger entry. */
#define BB_PREPAID_CSV_HEADER \
  "customer_code,account,date,kind,amount,note"

/* What `billbook-cli balance` prints: one row per open card. */
#define BB_PREPAID_BALANCE_CSV_HEADER \
  "customer_code,account,balance,expires_on"

/* The reports are those of customer import (BbImportReport): n_rows is
 * the number of rows read, n_imported the entries written, problems
 * every bad line and field; preview stays empty. */

gboolean        bb_prepaid_import_csv         (BbDb                  *db,
                                               GBytes                *data,
                                               gboolean               dry_run,
                                               BbImportProgress       progress,
                                               gpointer               progress_data,
                                               GCancellable          *cancellable,
                                               BbImportReport       **report,
                                               GError               **error);
void            bb_prepaid_import_async       (BbDb                  *db,
                                               GBytes                *data,
                                               gboolean               dry_run,
                                               BbImportProgress       progress,
                                               gpointer               progress_data,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
gboolean        bb_prepaid_import_finish      (BbDb                  *db,
                                               GAsyncResult          *result,
                                               BbImportReport       **report,
                                               GError               **error);

gboolean        bb_prepaid_export_csv         (BbDb                  *db,
                                               GOutputStream         *out,
                                               GCancellable          *cancellable,
                                               GError               **error);
gboolean        bb_prepaid_export_csv_to_file (BbDb                  *db,
                                               GFile                 *file,
                                               GCancellable          *cancellable,
                                               GError               **error);
void            bb_prepaid_export_async       (BbDb                  *db,
                                               GFile                 *file,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
gboolean        bb_prepaid_export_finish      (BbDb                  *db,
                                               GAsyncResult          *result,
                                               GError               **error);

gboolean        bb_prepaid_balances_csv       (BbDb                  *db,
                                               const char            *customer_code,
                                               GOutputStream         *out,
                                               GCancellable          *cancellable,
                                               GError               **error);

G_END_DECLS
