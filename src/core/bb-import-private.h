/* bb-import-private.h — what the importers share: a run over a file
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Customers, bills, payments and prepaid entries are imported alike, all
 * or nothing: a first pass reads and checks every row and collects every
 * problem in the report; only a file without any is read a second time
 * and written, in one transaction. A BbImportRun is what such an import
 * holds whatever it imports: the report, the header of its CSV file, the
 * lines found bad, progress and cancelling. Each importer embeds one as
 * the first member of its own state and gives its rows' logic as a
 * BbImportCsv.
 */
#pragma once

#include <gio/gio.h>

#include "bb-csv.h"
#include "bb-customer-io.h"
#include "bb-db.h"
#include "bb-money.h"

G_BEGIN_DECLS

typedef struct _BbImportRun BbImportRun;

struct _BbImportRun
{
  BbDb               *db;
  const BbCurrency   *currency;       /* the book's */
  gboolean            checking;       /* first pass: check and collect, write nothing */
  BbImportProgress    progress;
  gpointer            progress_data;
  GCancellable       *cancellable;
  BbImportReport     *report;
  const char * const *columns;        /* the file's known columns */
  BbCsvHeader        *header;
  GHashTable         *bad_lines;      /* data lines with a problem */
  guint               n_bad_rows;
  guint               n_data_rows;    /* data rows read by the checking pass */
  GHashTable         *touched;        /* gint64 *: customers the writing pass wrote for */
  guint               n_written;      /* what the writing pass wrote: the report's n_imported */
};

/* How the problems are listed when the check fails. */
typedef enum
{
  BB_IMPORT_ORDER_AS_FOUND,
  BB_IMPORT_ORDER_BY_LINE,              /* stable: as found within a line */
  BB_IMPORT_ORDER_BY_LINE_AND_COLUMN,   /* the row as a whole and unknown columns first */
} BbImportOrder;

/* Reads one data row; checks it while @run->checking, else writes it.
 * FALSE (with @error) only when the book fails or the file changed. */
typedef gboolean (*BbImportRowFunc)     (BbImportRun  *run,
                                         char        **fields,
                                         guint         line,
                                         GError      **error);
/* After the checking pass read every row, before the verdict. */
typedef void     (*BbImportCheckedFunc) (BbImportRun  *run);
/* After the writing pass: the importer's last writes, before COMMIT. */
typedef gboolean (*BbImportFinishFunc)  (BbImportRun  *run,
                                         GError      **error);

typedef struct
{
  BbImportRowFunc      row;
  gboolean             check_row_length;  /* a row with more fields than columns is a problem */
  BbImportCheckedFunc  checked;           /* (nullable) */
  BbImportOrder        order;
  BbImportFinishFunc   finish;
} BbImportCsv;

void      _bb_import_run_init         (BbImportRun          *run,
                                       BbDb                 *db,
                                       const char * const   *columns,
                                       const gboolean       *text_column_mask,
                                       BbImportProgress      progress,
                                       gpointer              progress_data,
                                       GCancellable         *cancellable);
void      _bb_import_run_clear        (BbImportRun          *run);

/* In the writing pass: @customer_id's summary is to be refreshed */
void      _bb_import_touch_customer   (BbImportRun          *run,
                                       gint64                customer_id);
/* Before COMMIT: the summaries of the customers written for */
gboolean  _bb_import_refresh_customers (BbImportRun         *run,
                                       GError              **error);

void      _bb_import_progress         (BbImportRun          *run,
                                       guint                 done,
                                       guint                 total);
gboolean  _bb_import_cancelled        (BbImportRun          *run,
                                       GError              **error);

/* A problem for a report's list, taking @message (the bank-statement
 * reader's too, which has no run) */
BbImportProblem *_bb_import_problem_new (guint               line,
                                         const char         *field,
                                         char               *message);
/* A problem of a data row, taking @message; @line 0: the file as a whole */
void      _bb_import_problem_take     (BbImportRun          *run,
                                       guint                 line,
                                       const char           *field,
                                       char                 *message);
/* A problem with one field of a data row, taking @message; dropped when
 * the column is missing from the header, which was reported once there */
void      _bb_import_field_problem_take (BbImportRun        *run,
                                       guint                 line,
                                       guint                 column,
                                       char                 *message);
/* @error's message, which starts with the column's name ("amount: …"),
 * as a problem of that field naming the line */
void      _bb_import_field_error      (BbImportRun          *run,
                                       guint                 line,
                                       guint                 column,
                                       const GError         *error);

/* Ends the checking pass: FALSE with the summary when anything is bad */
gboolean  _bb_import_check_passed     (BbImportRun          *run,
                                       BbImportOrder         order,
                                       GError              **error);
/* Hands the report to the caller (when it wants one), in success and
 * failure alike; returns @ok */
gboolean  _bb_import_return           (BbImportRun          *run,
                                       gboolean              ok,
                                       BbImportReport      **report);

/* The whole import of a CSV file: check, then (unless @dry_run) write */
gboolean  _bb_import_csv              (BbImportRun          *run,
                                       GBytes               *data,
                                       gboolean              dry_run,
                                       const BbImportCsv    *csv,
                                       BbImportReport      **report,
                                       GError              **error);

G_END_DECLS
