/* bb-reports.c — the reports: aging of what customers owe, collections
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each report is one aggregate query over indexed columns, with every
 * date passed as a parameter (DESIGN.md, "Scale"), returning rows the
 * window's reports page and billbook-cli both show. The definitions are
 * DESIGN.md's (and help/ states them):
 *
 * Aging as of D counts the issued bills (not void, not drafts) issued on
 * or before D whose balance due as of D is more than nothing, bucketed by
 * D − due_on: ≤ 0 current, 1–30, 31–60, 61–90, over 90 days. The balance
 * due as of D is the total less the allocations of payments received on
 * or before D (bb_invoices_get_balance_due()). It is computed from the
 * kept open balance, which already takes every allocation off, plus the
 * allocations of payments received after D, which were not yet made on
 * D: so only the money after D is read, and for D = today nothing but
 * the bills that owe (the partial index invoices_aging).
 *
 * Collections is money received, by month of receipt: payments other
 * than from a prepaid card (a refund of one is a negative payment, so it
 * counts against its month), plus prepaid top-ups less their bonus part,
 * less prepaid refunds paid out. Bonuses are not money received, nor is
 * what a card pays for. Every month from the first to the last is
 * listed, those without money as 0.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-csv.h"
#include "bb-db-private.h"
#include "bb-reports.h"
#include "bb-text.h"

void
bb_aging_row_free (BbAgingRow *row)
{
  if (row == NULL)
    return;

  g_free (row->customer_code);
  g_free (row->name);
  g_free (row);
}

void
bb_collections_row_free (BbCollectionsRow *row)
{
  if (row == NULL)
    return;

  g_free (row->month);
  g_free (row);
}

static char *
iso_days_before (const GDate *date,
                 guint        days)
{
  GDate d = *date;

  g_date_subtract_days (&d, days);
  return bb_date_to_iso (&d);
}

/* ---- Aging ---------------------------------------------------------- */

static int
compare_aging_codes (gconstpointer a,
                     gconstpointer b)
{
  const BbAgingRow *x = *(BbAgingRow * const *) a;
  const BbAgingRow *y = *(BbAgingRow * const *) b;

  return strcmp (x->customer_code, y->customer_code);
}

/**
 * bb_reports_aging:
 * @as_of: the day the report is for
 *
 * Returns: (transfer full) (element-type BbAgingRow): one row per
 *   customer who owed anything as of @as_of, by customer code
 */
GPtrArray *
bb_reports_aging (BbDb         *db,
                  const GDate  *as_of,
                  GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_aging_row_free);
  g_autofree char *day = NULL;
  g_autofree char *minus30 = NULL;
  g_autofree char *minus60 = NULL;
  g_autofree char *minus90 = NULL;
  GHashTable *by_customer;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);
  g_return_val_if_fail (as_of != NULL && g_date_valid (as_of), NULL);

  day = bb_date_to_iso (as_of);
  minus30 = iso_days_before (as_of, 30);
  minus60 = iso_days_before (as_of, 60);
  minus90 = iso_days_before (as_of, 90);

  /* later: what was allocated by payments received after the day, from
   * those payments (CROSS JOIN keeps that order in SQLite: the payments
   * after the day by their index, not every allocation).
   * owed: what each customer owed on the day, in two parts. First the
   * bills that owe now and got nothing after the day, by the partial
   * index invoices_aging (customer, due date, open balance, issue date):
   * it holds all a part needs, in customer order, so SQLite adds up each
   * customer's bills as it reads them, without a row per bill to sort.
   * Then the bills paid after the day, from later. A customer may come
   * once from each part: the two rows are added up below.
   * The sums are of what was due on or after the day, on or after 30,
   * 60 and 90 days before, and in all: one comparison a bill for each,
   * and the buckets are their differences.
   * Without statistics SQLite would rather read the bills by another
   * index and then each bill's row, many times slower on a million
   * bills: hence INDEXED BY, the one thing here that is SQLite's own. */
  stmt = _bb_db_prepare (db,
                         "WITH later (invoice_id, amount) AS ("
                         "  SELECT a.invoice_id, sum(a.amount) FROM payments p "
                         "  CROSS JOIN payment_allocations a "
                         "  WHERE a.payment_id = p.id AND p.received_on > ?1 GROUP BY a.invoice_id), "
                         "owed (customer_id, due_0, due_30, due_60, due_90, total) AS ("
                         "  SELECT i.customer_id, "
                         "    sum(CASE WHEN i.due_on >= ?1 THEN i.open_balance ELSE 0 END), "
                         "    sum(CASE WHEN i.due_on >= ?2 THEN i.open_balance ELSE 0 END), "
                         "    sum(CASE WHEN i.due_on >= ?3 THEN i.open_balance ELSE 0 END), "
                         "    sum(CASE WHEN i.due_on >= ?4 THEN i.open_balance ELSE 0 END), "
                         "    sum(i.open_balance) "
                         "  FROM invoices i INDEXED BY invoices_aging "
                         "  WHERE i.status = 'issued' AND i.open_balance <> 0 AND i.open_balance > 0 "
                         "    AND i.issued_on <= ?1 AND i.id NOT IN (SELECT invoice_id FROM later) "
                         "  GROUP BY i.customer_id "
                         "  UNION ALL "
                         "  SELECT i.customer_id, "
                         "    sum(CASE WHEN i.due_on >= ?1 THEN i.open_balance + l.amount ELSE 0 END), "
                         "    sum(CASE WHEN i.due_on >= ?2 THEN i.open_balance + l.amount ELSE 0 END), "
                         "    sum(CASE WHEN i.due_on >= ?3 THEN i.open_balance + l.amount ELSE 0 END), "
                         "    sum(CASE WHEN i.due_on >= ?4 THEN i.open_balance + l.amount ELSE 0 END), "
                         "    sum(i.open_balance + l.amount) "
                         "  FROM later l JOIN invoices i ON i.id = l.invoice_id "
                         "  WHERE i.status = 'issued' AND i.issued_on <= ?1 AND i.open_balance + l.amount > 0 "
                         "  GROUP BY i.customer_id) "
                         "SELECT c.id, c.code, c.name, o.due_0, o.due_30, o.due_60, o.due_90, o.total "
                         "FROM owed o CROSS JOIN customers c ON c.id = o.customer_id",
                         error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, day);
  _bb_stmt_bind_text (stmt, 2, minus30);
  _bb_stmt_bind_text (stmt, 3, minus60);
  _bb_stmt_bind_text (stmt, 4, minus90);

  by_customer = g_hash_table_new (g_int64_hash, g_int64_equal);
  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      BbMoney due_0 = sqlite3_column_int64 (stmt, 3);
      BbMoney due_30 = sqlite3_column_int64 (stmt, 4);
      BbMoney due_60 = sqlite3_column_int64 (stmt, 5);
      BbMoney due_90 = sqlite3_column_int64 (stmt, 6);
      BbMoney total = sqlite3_column_int64 (stmt, 7);
      BbAgingRow *row = g_hash_table_lookup (by_customer, &id);

      if (row == NULL)
        {
          row = g_new0 (BbAgingRow, 1);
          row->customer_id = id;
          row->customer_code = _bb_stmt_dup_text (stmt, 1);
          row->name = _bb_stmt_dup_text (stmt, 2);
          g_ptr_array_add (rows, row);
          g_hash_table_insert (by_customer, &row->customer_id, row);
        }

      row->current += due_0;
      row->d1_30 += due_30 - due_0;
      row->d31_60 += due_60 - due_30;
      row->d61_90 += due_90 - due_60;
      row->d90_plus += total - due_90;
      row->total += total;
    }
  sqlite3_reset (stmt);
  g_hash_table_unref (by_customer);

  if (rc < 0)
    return NULL;

  /* By code, as SQLite's ORDER BY code would (bytewise). */
  g_ptr_array_sort (rows, compare_aging_codes);

  return g_steal_pointer (&rows);
}

/* ---- Collections ---------------------------------------------------- */

static gboolean
parse_month (const char *month,
             guint      *year,
             guint      *number)
{
  if (month == NULL || strlen (month) < 7)
    return FALSE;

  *year = (guint) g_ascii_strtoull (month, NULL, 10);
  *number = (guint) g_ascii_strtoull (month + 5, NULL, 10);

  return *year > 0 && *number >= 1 && *number <= 12;
}

static void
add_month (GPtrArray *rows,
           guint      year,
           guint      month,
           BbMoney    amount)
{
  BbCollectionsRow *row = g_new0 (BbCollectionsRow, 1);

  row->month = g_strdup_printf ("%04u-%02u", year, month);
  row->amount = amount;
  g_ptr_array_add (rows, row);
}

/**
 * bb_reports_collections:
 * @from: (nullable): the first day counted; %NULL for no bound
 * @to: (nullable): the last day counted; %NULL for no bound
 *
 * Returns: (transfer full) (element-type BbCollectionsRow): the money
 *   received in each month from the month of @from (or the first with
 *   money) to the month of @to (or the last with money), in order
 */
GPtrArray *
bb_reports_collections (BbDb         *db,
                        const GDate  *from,
                        const GDate  *to,
                        GError      **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_collections_row_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_collections_row_free);
  g_autofree char *from_iso = NULL;
  g_autofree char *to_iso = NULL;
  guint year, month, last_year, last_month;
  sqlite3_stmt *stmt;
  guint next = 0;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  from_iso = from ? bb_date_to_iso (from) : g_strdup ("0000-00-00");
  to_iso = to ? bb_date_to_iso (to) : g_strdup ("9999-99-99");
  if (from && to && g_date_compare (from, to) > 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("From: %s is after the last day, %s"), from_iso, to_iso);
      return NULL;
    }

  /* Summed by day first, then the days by month: each part reads its
   * rows in date order from its index and adds up a day as it goes, so
   * only a row a day is sorted into months, not a row a payment (four
   * times faster on a million payments). */
  stmt = _bb_db_prepare (db,
                         "SELECT substr(day, 1, 7) AS month, sum(amount) FROM ("
                         "  SELECT received_on AS day, sum(amount) AS amount FROM payments "
                         "  WHERE received_on >= ?1 AND received_on <= ?2 AND method <> 'prepaid' "
                         "  GROUP BY received_on "
                         "  UNION ALL "
                         "  SELECT occurred_on, sum(amount - bonus_part) FROM prepaid_entries "
                         "  WHERE occurred_on >= ?1 AND occurred_on <= ?2 AND kind = 'topup' "
                         "  GROUP BY occurred_on "
                         "  UNION ALL "
                         "  SELECT occurred_on, sum(amount) FROM prepaid_entries "
                         "  WHERE occurred_on >= ?1 AND occurred_on <= ?2 AND kind = 'refund' "
                         "  GROUP BY occurred_on) "
                         "GROUP BY month ORDER BY month",
                         error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, from_iso);
  _bb_stmt_bind_text (stmt, 2, to_iso);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      BbCollectionsRow *row = g_new0 (BbCollectionsRow, 1);

      row->month = _bb_stmt_dup_text (stmt, 0);
      row->amount = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (found, row);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;

  /* Every month of the period, once, in order. */
  if (from)
    {
      year = g_date_get_year (from);
      month = g_date_get_month (from);
    }
  else if (found->len == 0 ||
           !parse_month (((BbCollectionsRow *) g_ptr_array_index (found, 0))->month, &year, &month))
    return g_steal_pointer (&rows);

  if (to)
    {
      last_year = g_date_get_year (to);
      last_month = g_date_get_month (to);
    }
  else if (found->len == 0 ||
           !parse_month (((BbCollectionsRow *) g_ptr_array_index (found, found->len - 1))->month,
                         &last_year, &last_month))
    {
      last_year = year;
      last_month = month;
    }

  while (year < last_year || (year == last_year && month <= last_month))
    {
      BbMoney amount = 0;
      guint y, m;

      if (next < found->len &&
          parse_month (((BbCollectionsRow *) g_ptr_array_index (found, next))->month, &y, &m) &&
          y == year && m == month)
        amount = ((BbCollectionsRow *) g_ptr_array_index (found, next++))->amount;

      add_month (rows, year, month, amount);

      if (++month > 12)
        {
          month = 1;
          year++;
        }
    }

  return g_steal_pointer (&rows);
}

/* ---- As CSV --------------------------------------------------------- */

/* Names are text a spreadsheet must not run; codes too. */
static const gboolean aging_text_columns[] = { TRUE, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE };

/**
 * bb_reports_aging_to_csv:
 * @rows: (element-type BbAgingRow): as bb_reports_aging() gives them
 * @currency: the book's
 *
 * Returns: (transfer full): the report as CSV with the header row
 *   %BB_AGING_CSV_HEADER, amounts with a dot and the currency's decimals
 */
char *
bb_reports_aging_to_csv (GPtrArray         *rows,
                         const BbCurrency  *currency,
                         GError           **error)
{
  g_autoptr(GString) out = g_string_new (BB_AGING_CSV_HEADER "\n");
  g_autoptr(BbCsvWriter) writer = bb_csv_writer_new_for_string (out);

  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      BbAgingRow *row = g_ptr_array_index (rows, i);
      g_autofree char *current = bb_money_format_plain (row->current, currency);
      g_autofree char *d1_30 = bb_money_format_plain (row->d1_30, currency);
      g_autofree char *d31_60 = bb_money_format_plain (row->d31_60, currency);
      g_autofree char *d61_90 = bb_money_format_plain (row->d61_90, currency);
      g_autofree char *d90_plus = bb_money_format_plain (row->d90_plus, currency);
      g_autofree char *total = bb_money_format_plain (row->total, currency);
      const char *fields[] = {
        row->customer_code, row->name, current, d1_30, d31_60, d61_90, d90_plus, total, NULL
      };

      if (!bb_csv_writer_write_row (writer, fields, aging_text_columns, error))
        return NULL;
    }

  g_clear_pointer (&writer, bb_csv_writer_free);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * bb_reports_collections_to_csv:
 * @rows: (element-type BbCollectionsRow): as bb_reports_collections()
 *   gives them
 * @currency: the book's
 *
 * Returns: (transfer full): the report as CSV with the header row
 *   %BB_COLLECTIONS_CSV_HEADER
 */
char *
bb_reports_collections_to_csv (GPtrArray         *rows,
                               const BbCurrency  *currency,
                               GError           **error)
{
  static const gboolean no_text[] = { FALSE, FALSE };
  g_autoptr(GString) out = g_string_new (BB_COLLECTIONS_CSV_HEADER "\n");
  g_autoptr(BbCsvWriter) writer = bb_csv_writer_new_for_string (out);

  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      BbCollectionsRow *row = g_ptr_array_index (rows, i);
      g_autofree char *amount = bb_money_format_plain (row->amount, currency);
      const char *fields[] = { row->month, amount, NULL };

      if (!bb_csv_writer_write_row (writer, fields, no_text, error))
        return NULL;
    }

  g_clear_pointer (&writer, bb_csv_writer_free);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- In a thread ---------------------------------------------------- */

typedef struct
{
  char     *path;
  gboolean  aging;
  gboolean  has_from;
  gboolean  has_to;
  GDate     as_of;
  GDate     from;
  GDate     to;
} ReportTaskData;

static void
report_task_data_free (ReportTaskData *td)
{
  g_free (td->path);
  g_free (td);
}

static void
report_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReportTaskData *td = task_data;
  g_autoptr(BbDb) db = NULL;
  GPtrArray *rows;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Its own connection: the caller's stays free for the window. */
  db = bb_db_open (td->path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (td->aging)
    rows = bb_reports_aging (db, &td->as_of, &error);
  else
    rows = bb_reports_collections (db, td->has_from ? &td->from : NULL,
                                   td->has_to ? &td->to : NULL, &error);

  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

static void
run_report (BbDb                *db,
            ReportTaskData      *td,
            gpointer             source_tag,
            const char          *name,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (db, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, name);
  td->path = g_strdup (bb_db_get_path (db));
  g_task_set_task_data (task, td, (GDestroyNotify) report_task_data_free);
  g_task_run_in_thread (task, report_thread);
}

/**
 * bb_reports_aging_async:
 *
 * Runs bb_reports_aging() in a thread with a connection of its own, so
 * the window never freezes on a big book.
 */
void
bb_reports_aging_async (BbDb                *db,
                        const GDate         *as_of,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  ReportTaskData *td;

  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (as_of != NULL && g_date_valid (as_of));

  td = g_new0 (ReportTaskData, 1);
  td->aging = TRUE;
  td->as_of = *as_of;
  run_report (db, td, bb_reports_aging_async, "[billbook] aging report",
              cancellable, callback, user_data);
}

/**
 * bb_reports_aging_finish:
 *
 * Returns: (transfer full) (element-type BbAgingRow): as bb_reports_aging()
 */
GPtrArray *
bb_reports_aging_finish (BbDb          *db,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_reports_aging_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bb_reports_collections_async:
 * @from: (nullable): as for bb_reports_collections()
 * @to: (nullable): as for bb_reports_collections()
 *
 * Runs bb_reports_collections() in a thread with a connection of its own.
 */
void
bb_reports_collections_async (BbDb                *db,
                              const GDate         *from,
                              const GDate         *to,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  ReportTaskData *td;

  g_return_if_fail (BB_IS_DB (db));

  td = g_new0 (ReportTaskData, 1);
  td->has_from = from != NULL;
  td->has_to = to != NULL;
  if (from)
    td->from = *from;
  if (to)
    td->to = *to;
  run_report (db, td, bb_reports_collections_async, "[billbook] collections report",
              cancellable, callback, user_data);
}

/**
 * bb_reports_collections_finish:
 *
 * Returns: (transfer full) (element-type BbCollectionsRow): as
 *   bb_reports_collections()
 */
GPtrArray *
bb_reports_collections_finish (BbDb          *db,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_reports_collections_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
