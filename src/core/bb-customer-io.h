/* bb-customer-io.h — customers in and out of the book: CSV and vCard
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bb-customer.h"
#include "bb-db.h"

G_BEGIN_DECLS

/* The header row of a customers CSV file, in the order export writes it
 * (import accepts any order). */
#define BB_CUSTOMERS_CSV_HEADER \
  "code,name,company,phone,email,address,tax_id,class,credit_limit,payment_terms_days,tags,notes"

/* How many parsed customers a report keeps for the window's preview. */
#define BB_IMPORT_PREVIEW_ROWS 20

typedef enum
{
  BB_CUSTOMER_FILE_CSV,
  BB_CUSTOMER_FILE_VCARD,
} BbCustomerFileFormat;

typedef struct
{
  guint  line;      /* 1-based line in the file; 0 when none applies */
  char  *field;     /* the column ("email"), or NULL for the row as a whole */
  char  *message;   /* for the user: "Line 7, email: “x@” is not an email address" */
} BbImportProblem;

typedef struct
{
  guint      n_rows;      /* data rows (or contacts) read */
  guint      n_imported;  /* 0 unless committed */
  GPtrArray *problems;    /* (element-type BbImportProblem): every bad row and field */
  GPtrArray *preview;     /* (element-type BbCustomer): the first BB_IMPORT_PREVIEW_ROWS rows */
} BbImportReport;

/* While the file is checked @total is 0 (its size in rows is not known
 * yet: show activity); while customers are written, @done of @total. */
typedef void (*BbImportProgress) (guint     done,
                                  guint     total,
                                  gpointer  user_data);

void            bb_import_problem_free        (BbImportProblem       *problem);
BbImportReport *bb_import_report_new          (void);
void            bb_import_report_free         (BbImportReport        *report);

gboolean        bb_customers_import_csv       (BbDb                  *db,
                                               GBytes                *data,
                                               gboolean               dry_run,
                                               BbImportProgress       progress,
                                               gpointer               progress_data,
                                               GCancellable          *cancellable,
                                               BbImportReport       **report,
                                               GError               **error);
gboolean        bb_customers_import_vcard     (BbDb                  *db,
                                               GBytes                *data,
                                               gboolean               dry_run,
                                               BbImportProgress       progress,
                                               gpointer               progress_data,
                                               GCancellable          *cancellable,
                                               BbImportReport       **report,
                                               GError               **error);
gboolean        bb_customers_import           (BbDb                  *db,
                                               GBytes                *data,
                                               BbCustomerFileFormat   format,
                                               gboolean               dry_run,
                                               BbImportProgress       progress,
                                               gpointer               progress_data,
                                               GCancellable          *cancellable,
                                               BbImportReport       **report,
                                               GError               **error);
void            bb_customers_import_async     (BbDb                  *db,
                                               GBytes                *data,
                                               BbCustomerFileFormat   format,
                                               gboolean               dry_run,
                                               BbImportProgress       progress,
                                               gpointer               progress_data,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
gboolean        bb_customers_import_finish    (BbDb                  *db,
                                               GAsyncResult          *result,
                                               BbImportReport       **report,
                                               GError               **error);

gboolean        bb_customers_export_csv       (BbDb                  *db,
                                               GOutputStream         *out,
                                               GCancellable          *cancellable,
                                               GError               **error);
gboolean        bb_customers_export_csv_to_file (BbDb                *db,
                                               GFile                 *file,
                                               GCancellable          *cancellable,
                                               GError               **error);
void            bb_customers_export_async     (BbDb                  *db,
                                               GFile                 *file,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
gboolean        bb_customers_export_finish    (BbDb                  *db,
                                               GAsyncResult          *result,
                                               GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbImportProblem, bb_import_problem_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbImportReport, bb_import_report_free)

G_END_DECLS
