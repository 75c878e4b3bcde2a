/* bb-import.c — what the importers share: a run over a file
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See bb-import-private.h. The rows' own logic stays in bb-customer-io.c,
 * bb-invoice-io.c, bb-payment-io.c and bb-prepaid-io.c.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-customers-private.h"
#include "bb-import-private.h"

void
_bb_import_run_init (BbImportRun          *run,
                     BbDb                 *db,
                     const char * const   *columns,
                     const gboolean       *text_column_mask,
                     BbImportProgress      progress,
                     gpointer              progress_data,
                     GCancellable         *cancellable)
{
  memset (run, 0, sizeof *run);
  run->db = db;
  run->currency = bb_business_get_currency (db);
  run->checking = TRUE;
  run->progress = progress;
  run->progress_data = progress_data;
  run->cancellable = cancellable;
  run->report = bb_import_report_new ();
  run->columns = columns;
  run->header = bb_csv_header_new (columns, text_column_mask);
  run->bad_lines = g_hash_table_new (NULL, NULL);
  run->touched = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

void
_bb_import_run_clear (BbImportRun *run)
{
  g_clear_pointer (&run->report, bb_import_report_free);
  g_clear_pointer (&run->header, bb_csv_header_free);
  g_clear_pointer (&run->bad_lines, g_hash_table_unref);
  g_clear_pointer (&run->touched, g_hash_table_unref);
}

void
_bb_import_touch_customer (BbImportRun *run,
                           gint64       customer_id)
{
  g_hash_table_add (run->touched, g_memdup2 (&customer_id, sizeof customer_id));
}

/* The customers' outstanding amounts, credit, prepaid balances and
 * classes, in the import's transaction. */
gboolean
_bb_import_refresh_customers (BbImportRun  *run,
                              GError      **error)
{
  GHashTableIter iter;
  gint64 *customer_id;

  g_hash_table_iter_init (&iter, run->touched);
  while (g_hash_table_iter_next (&iter, (gpointer *) &customer_id, NULL))
    if (_bb_import_cancelled (run, error) ||
        !_bb_customers_refresh_summary (run->db, *customer_id, error))
      return FALSE;

  return TRUE;
}

void
_bb_import_progress (BbImportRun *run,
                     guint        done,
                     guint        total)
{
  if (run->progress != NULL)
    run->progress (done, total, run->progress_data);
}

gboolean
_bb_import_cancelled (BbImportRun  *run,
                      GError      **error)
{
  return g_cancellable_set_error_if_cancelled (run->cancellable, error);
}

BbImportProblem *
_bb_import_problem_new (guint       line,
                        const char *field,
                        char       *message)
{
  BbImportProblem *problem = g_new0 (BbImportProblem, 1);

  problem->line = line;
  problem->field = g_strdup (field);
  problem->message = message;
  return problem;
}

/* Takes @message. @header: a problem of the header row, which is no
 * data row. */
static void
add_problem_take (BbImportRun *run,
                  guint        line,
                  gboolean     header,
                  const char  *field,
                  char        *message)
{
  g_ptr_array_add (run->report->problems, _bb_import_problem_new (line, field, message));

  if (!header && g_hash_table_add (run->bad_lines, GUINT_TO_POINTER (line)))
    run->n_bad_rows++;
}

void
_bb_import_problem_take (BbImportRun *run,
                         guint        line,
                         const char  *field,
                         char        *message)
{
  add_problem_take (run, line, FALSE, field, message);
}

void
_bb_import_field_problem_take (BbImportRun *run,
                               guint        line,
                               guint        column,
                               char        *message)
{
  if (!bb_csv_header_has_column (run->header, column))
    {
      g_free (message);
      return;
    }

  add_problem_take (run, line, FALSE, run->columns[column], message);
}

void
_bb_import_field_error (BbImportRun  *run,
                        guint         line,
                        guint         column,
                        const GError *error)
{
  const char *name = run->columns[column];
  const char *message = error->message;
  gsize n = strlen (name);

  if (strncmp (message, name, n) == 0 && message[n] == ':' && message[n + 1] == ' ')
    message += n + 2;

  _bb_import_field_problem_take (run, line, column,
                                 /* Translators: "Line 7, amount: “1.234” has more decimals than CNY allows (2)" */
                                 g_strdup_printf (_("Line %u, %s: %s"), line, name, message));
}

static gint
compare_lines (gconstpointer a,
               gconstpointer b)
{
  const BbImportProblem *pa = *(const BbImportProblem * const *) a;
  const BbImportProblem *pb = *(const BbImportProblem * const *) b;

  return pa->line < pb->line ? -1 : pa->line > pb->line;
}

/* A problem's place in its line: the row as a whole and unknown columns
 * first, then the known columns in the file format's order. */
static guint
problem_column (const BbImportProblem *problem,
                const char * const    *columns)
{
  return (guint) (bb_csv_find_column (columns, problem->field) + 1);
}

static gint
compare_lines_and_columns (gconstpointer a,
                           gconstpointer b,
                           gpointer      columns)
{
  const BbImportProblem *pa = *(const BbImportProblem * const *) a;
  const BbImportProblem *pb = *(const BbImportProblem * const *) b;
  guint ca, cb;

  if (pa->line != pb->line)
    return pa->line < pb->line ? -1 : 1;

  ca = problem_column (pa, columns);
  cb = problem_column (pb, columns);
  return ca < cb ? -1 : ca > cb;
}

/* The problems of a row are found in steps (its fields, then the book,
 * or a bill's after its last row), so they may be put in order;
 * g_ptr_array_sort() is stable. */
gboolean
_bb_import_check_passed (BbImportRun    *run,
                         BbImportOrder   order,
                         GError        **error)
{
  if (run->report->problems->len == 0)
    return TRUE;

  switch (order)
    {
    case BB_IMPORT_ORDER_AS_FOUND:
      break;
    case BB_IMPORT_ORDER_BY_LINE:
      g_ptr_array_sort (run->report->problems, compare_lines);
      break;
    case BB_IMPORT_ORDER_BY_LINE_AND_COLUMN:
      g_ptr_array_sort_with_data (run->report->problems, compare_lines_and_columns,
                                  (gpointer) run->columns);
      break;
    default:
      g_assert_not_reached ();
    }

  if (run->n_bad_rows > 0)
    g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%u row has problems; nothing was imported",
                              "%u rows have problems; nothing was imported",
                              run->n_bad_rows),
                 run->n_bad_rows);
  else
    g_set_error_literal (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                         _("The header row has problems; nothing was imported"));
  return FALSE;
}

gboolean
_bb_import_return (BbImportRun     *run,
                   gboolean         ok,
                   BbImportReport **report)
{
  if (report != NULL)
    *report = g_steal_pointer (&run->report);

  return ok;
}

/* CSV */

/* Each problem of the header row, from bb_csv_header_read(). */
static void
header_problem (guint       line,
                const char *column,
                char       *message,
                gpointer    user_data)
{
  add_problem_take (user_data, line, TRUE, column, message);
}

/* Opens @data and reads its header row into run->header; problems with
 * it are collected in the checking pass. */
static BbCsvReader *
csv_open (BbImportRun  *run,
          GBytes       *data,
          GError      **error)
{
  g_autoptr(BbCsvReader) reader = NULL;

  reader = bb_csv_reader_new (data, error);
  if (reader == NULL ||
      !bb_csv_header_read (run->header, reader, run->checking ? header_problem : NULL, run, error))
    return NULL;

  return g_steal_pointer (&reader);
}

/* One pass over the rows: checking (run->checking) or writing. */
static gboolean
csv_pass (BbImportRun        *run,
          BbCsvReader        *reader,
          const BbImportCsv  *csv,
          GError            **error)
{
  guint total = run->checking ? 0 : run->n_data_rows;
  guint done = 0;

  for (;;)
    {
      g_auto(GStrv) fields = NULL;
      g_autoptr(GError) row_error = NULL;
      guint line = 0;

      if (_bb_import_cancelled (run, error))
        return FALSE;

      if (!bb_csv_reader_next (reader, &fields, &line, &row_error))
        {
          if (row_error == NULL)
            break;

          /* The reader's message names the line and column already. */
          if (run->checking)
            {
              run->n_data_rows++;
              _bb_import_problem_take (run, line, NULL, g_strdup (row_error->message));
              continue;
            }

          g_propagate_error (error, g_steal_pointer (&row_error));
          return FALSE;
        }

      if (run->checking)
        {
          run->n_data_rows++;
          if (csv->check_row_length && bb_csv_header_row_too_long (run->header, fields))
            _bb_import_problem_take (run, line, NULL,
                                     g_strdup_printf (_("Line %u: the row has more fields than the header has columns; "
                                                        "is a field with a comma missing its quotes?"),
                                                      line));
        }

      if (!csv->row (run, fields, line, error))
        return FALSE;

      _bb_import_progress (run, ++done, total);
    }

  return TRUE;
}

/* A problem that stops the reading of a file (not UTF-8, empty, too big):
 * no rows were read, so there is nothing to list but this. */
static gboolean
file_error (BbImportRun     *run,
            const GError    *cause,
            BbImportReport **report,
            GError         **error)
{
  g_set_error_literal (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, cause->message);
  return _bb_import_return (run, FALSE, report);
}

gboolean
_bb_import_csv (BbImportRun        *run,
                GBytes             *data,
                gboolean            dry_run,
                const BbImportCsv  *csv,
                BbImportReport    **report,
                GError            **error)
{
  g_autoptr(BbCsvReader) reader = NULL;
  g_autoptr(GError) open_error = NULL;

  if (_bb_import_cancelled (run, error))
    return _bb_import_return (run, FALSE, report);

  reader = csv_open (run, data, &open_error);
  if (reader == NULL)
    return file_error (run, open_error, report, error);

  _bb_import_progress (run, 0, 0);
  if (!csv_pass (run, reader, csv, error))
    return _bb_import_return (run, FALSE, report);

  run->report->n_rows = run->n_data_rows;
  if (csv->checked != NULL)
    csv->checked (run);
  if (!_bb_import_check_passed (run, csv->order, error))
    return _bb_import_return (run, FALSE, report);

  if (dry_run)
    return _bb_import_return (run, TRUE, report);

  /* The second reading, to write: the file was good a moment ago. */
  g_clear_pointer (&reader, bb_csv_reader_free);
  run->checking = FALSE;
  reader = csv_open (run, data, error);
  if (reader == NULL)
    return _bb_import_return (run, FALSE, report);

  if (!bb_db_begin (run->db, error))
    return _bb_import_return (run, FALSE, report);

  _bb_import_progress (run, 0, run->n_data_rows);
  if (!csv_pass (run, reader, csv, error) ||
      !csv->finish (run, error) ||
      !bb_db_commit (run->db, error))
    {
      bb_db_rollback (run->db);
      return _bb_import_return (run, FALSE, report);
    }

  run->report->n_imported = run->n_written;
  return _bb_import_return (run, TRUE, report);
}
