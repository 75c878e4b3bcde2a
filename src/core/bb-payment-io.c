/* bb-payment-io.c — payments in and out of the book: CSV
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The payments file (DESIGN.md, "Interchange formats") has one row per
 * payment: who paid, the bill it pays (empty: the money is the
 * customer's credit), when, how much, how and the reference. An import
 * is all or nothing, as for customers and bills (bb-invoice-io.c): the
 * file is read once to check every row and collect every problem, and
 * only a file without any is read a second time to write, in one
 * transaction, each row through the same core path as the window
 * (_bb_payments_insert()). Between the readings only what was looked up
 * is kept: one small record per customer code and per bill number, the
 * bill's with what the rows above still leave open on it, so that two
 * rows together cannot pay a bill more than it owes.
 *
 * Export writes the money as it stands: one row per bill a payment went
 * to (its credit used on later bills included) and one row, with an
 * empty invoice_number, for what it still holds as credit. A payment
 * that was refunded, and its refund, are left out: they cancel out, and
 * a file cannot hold a negative amount. Importing an export into a book
 * with the same customers and bills gives the same export again; a
 * payment split over bills comes back as one payment per bill.
 * Payments from a prepaid card are written with method prepaid, which
 * import refuses: they are taken on the card.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-csv.h"
#include "bb-db-private.h"
#include "bb-invoice.h"
#include "bb-payment-io.h"
#include "bb-import-private.h"
#include "bb-io-task-private.h"
#include "bb-payments-private.h"
#include "bb-text.h"

/* Payments fetched per query while exporting. */
#define EXPORT_PAGE_PAYMENTS 500

/* As bb_customers_save() and bb_invoices_save_draft() allow. */
#define MAX_CODE_CHARS 64
#define MAX_NUMBER_CHARS 64
/* As bb_payments_record() allows. */
#define MAX_REFERENCE_CHARS 200

/* The columns of a payments CSV file (BB_PAYMENTS_CSV_HEADER). */
typedef enum
{
  COL_CUSTOMER_CODE,
  COL_INVOICE_NUMBER,
  COL_RECEIVED_ON,
  COL_AMOUNT,
  COL_METHOD,
  COL_REFERENCE,
  N_COLUMNS
} Column;

static const char * const column_names[N_COLUMNS + 1] = {
  "customer_code", "invoice_number", "received_on", "amount", "method", "reference", NULL
};

/* Text columns are formula-escaped on export and unescaped on import;
 * the date, the amount and the method are written as they are. */
static const gboolean column_is_text[N_COLUMNS] = {
  TRUE, TRUE, FALSE, FALSE, FALSE, TRUE
};

/* Import */

/* A customer code of the file, looked up once. */
typedef struct
{
  gint64 id;            /* 0: no such customer */
} CustomerInfo;

/* A bill number of the file, looked up once. */
typedef struct
{
  gint64           id;            /* 0: no such bill */
  gint64           customer_id;
  char            *customer_code;
  BbInvoiceStatus  status;
  gboolean         credit_note;
  char            *currency;
  BbMoney          open;          /* what the rows so far leave open */
} BillInfo;

static void
bill_info_free (BillInfo *bill)
{
  g_free (bill->customer_code);
  g_free (bill->currency);
  g_free (bill);
}

typedef struct
{
  BbImportRun        run;
  GHashTable        *customers;     /* code → CustomerInfo */
  GHashTable        *bills;         /* number → BillInfo */
} Import;

static void
import_init (Import           *imp,
             BbDb             *db,
             BbImportProgress  progress,
             gpointer          progress_data,
             GCancellable     *cancellable)
{
  _bb_import_run_init (&imp->run, db, column_names, column_is_text, progress, progress_data, cancellable);
  imp->customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  imp->bills = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) bill_info_free);
}

static void
import_clear (Import *imp)
{
  g_clear_pointer (&imp->customers, g_hash_table_unref);
  g_clear_pointer (&imp->bills, g_hash_table_unref);
  _bb_import_run_clear (&imp->run);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Import, import_clear)

/* Rows */

/* One row of the file, read. */
typedef struct
{
  guint            line;
  char            *customer_code;
  char            *invoice_number;
  char            *received_on;
  char            *amount_text;
  char            *method_text;
  char            *reference;
  BbMoney          amount;
  gboolean         amount_ok;
  BbPaymentMethod  method;
  gboolean         method_ok;
} Row;

static void
row_clear (Row *row)
{
  g_free (row->customer_code);
  g_free (row->invoice_number);
  g_free (row->received_on);
  g_free (row->amount_text);
  g_free (row->method_text);
  g_free (row->reference);
}

static char *
method_list (void)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < BB_PAYMENT_N_METHODS; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", bb_payment_method_to_string ((BbPaymentMethod) i));

  return g_string_free (list, FALSE);
}

/* Reads one row; in the checking pass also checks each field on its own
 * (the checks against the book follow). */
static void
read_row (Import  *imp,
          Row     *row,
          char   **fields,
          guint    line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) amount_error = NULL;

  row->line = line;
  row->customer_code = bb_csv_header_dup_stripped (imp->run.header, fields, COL_CUSTOMER_CODE);
  row->invoice_number = bb_csv_header_dup_stripped (imp->run.header, fields, COL_INVOICE_NUMBER);
  row->received_on = bb_csv_header_dup_stripped (imp->run.header, fields, COL_RECEIVED_ON);
  row->amount_text = bb_csv_header_dup_stripped (imp->run.header, fields, COL_AMOUNT);
  row->method_text = bb_csv_header_dup_stripped (imp->run.header, fields, COL_METHOD);
  row->reference = bb_csv_header_dup_stripped (imp->run.header, fields, COL_REFERENCE);

  row->method_ok = bb_payment_method_from_string (row->method_text, &row->method);
  row->amount_ok = bb_money_parse (row->amount_text, imp->run.currency, column_names[COL_AMOUNT], TRUE,
                                   &row->amount, imp->run.checking ? &amount_error : NULL);

  if (!imp->run.checking)
    return;

  if (*row->customer_code == '\0')
    _bb_import_field_problem_take (&imp->run, line, COL_CUSTOMER_CODE,
                                   g_strdup_printf (_("Line %u, %s: needed; give the code of a customer in the book"),
                                                    line, column_names[COL_CUSTOMER_CODE]));
  else if (!bb_text_validate (row->customer_code, column_names[COL_CUSTOMER_CODE],
                              MAX_CODE_CHARS, FALSE, &error))
    {
      _bb_import_field_error (&imp->run, line, COL_CUSTOMER_CODE, error);
      g_clear_error (&error);
      /* Not a code to look up. */
      g_free (row->customer_code);
      row->customer_code = g_strdup ("");
    }

  if (*row->invoice_number != '\0' &&
      !bb_text_validate (row->invoice_number, column_names[COL_INVOICE_NUMBER],
                         MAX_NUMBER_CHARS, FALSE, &error))
    {
      _bb_import_field_error (&imp->run, line, COL_INVOICE_NUMBER, error);
      g_clear_error (&error);
      g_free (row->invoice_number);
      row->invoice_number = NULL;
    }

  if (!bb_date_parse (row->received_on, column_names[COL_RECEIVED_ON], NULL, &error))
    {
      _bb_import_field_error (&imp->run, line, COL_RECEIVED_ON, error);
      g_clear_error (&error);
    }

  if (!row->amount_ok)
    _bb_import_field_error (&imp->run, line, COL_AMOUNT, amount_error);
  else if (row->amount <= 0)
    {
      row->amount_ok = FALSE;
      _bb_import_field_problem_take (&imp->run, line, COL_AMOUNT,
                                     g_strdup_printf (_("Line %u, %s: “%s” is not more than zero; "
                                                        "a payment brings money"),
                                                      line, column_names[COL_AMOUNT], row->amount_text));
    }

  if (*row->method_text == '\0' || !row->method_ok)
    {
      g_autofree char *methods = method_list ();

      if (*row->method_text == '\0')
        _bb_import_field_problem_take (&imp->run, line, COL_METHOD,
                                       g_strdup_printf (_("Line %u, %s: needed; one of %s"),
                                                        line, column_names[COL_METHOD], methods));
      else
        _bb_import_field_problem_take (&imp->run, line, COL_METHOD,
                                       g_strdup_printf (_("Line %u, %s: “%s” is not one of %s"),
                                                        line, column_names[COL_METHOD], row->method_text, methods));
      row->method_ok = FALSE;
    }
  else if (row->method == BB_PAYMENT_PREPAID)
    {
      row->method_ok = FALSE;
      _bb_import_field_problem_take (&imp->run, line, COL_METHOD,
                                     g_strdup_printf (_("Line %u, %s: a payment from a prepaid card is taken "
                                                        "from the card on the Prepaid page, not imported"),
                                                      line, column_names[COL_METHOD]));
    }

  if (!bb_text_validate (row->reference, column_names[COL_REFERENCE], MAX_REFERENCE_CHARS, FALSE, &error))
    {
      _bb_import_field_error (&imp->run, line, COL_REFERENCE, error);
      g_clear_error (&error);
    }
}

static const CustomerInfo *
lookup_customer (Import      *imp,
                 const char  *code,
                 GError     **error)
{
  CustomerInfo *info = g_hash_table_lookup (imp->customers, code);
  sqlite3_stmt *stmt;
  int rc;

  if (info != NULL)
    return info;

  stmt = _bb_db_prepare (imp->run.db, "SELECT id FROM customers WHERE code = ?1", error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, code);

  info = g_new0 (CustomerInfo, 1);
  rc = _bb_db_step (imp->run.db, stmt, error);
  if (rc == SQLITE_ROW)
    info->id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc < 0)
    {
      g_free (info);
      return NULL;
    }

  g_hash_table_insert (imp->customers, g_strdup (code), info);
  return info;
}

static BillInfo *
lookup_bill (Import      *imp,
             const char  *number,
             GError     **error)
{
  BillInfo *bill = g_hash_table_lookup (imp->bills, number);
  sqlite3_stmt *stmt;
  int rc;

  if (bill != NULL)
    return bill;

  stmt = _bb_db_prepare (imp->run.db,
                         "SELECT i.id, i.customer_id, c.code, i.status, i.kind, i.currency, i.open_balance "
                         "FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.number = ?1",
                         error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, number);

  bill = g_new0 (BillInfo, 1);
  rc = _bb_db_step (imp->run.db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      bill->id = sqlite3_column_int64 (stmt, 0);
      bill->customer_id = sqlite3_column_int64 (stmt, 1);
      bill->customer_code = _bb_stmt_dup_text (stmt, 2);
      bb_invoice_status_from_string ((const char *) sqlite3_column_text (stmt, 3), &bill->status);
      bill->credit_note = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 4), "credit_note") == 0;
      bill->currency = _bb_stmt_dup_text (stmt, 5);
      bill->open = sqlite3_column_int64 (stmt, 6);
    }
  sqlite3_reset (stmt);

  if (rc < 0)
    {
      bill_info_free (bill);
      return NULL;
    }

  g_hash_table_insert (imp->bills, g_strdup (number), bill);
  return bill;
}

/* Checks a row against the book: its customer, and its bill with what
 * the rows above left open on it. FALSE only when the book cannot be
 * read. */
static gboolean
check_row_in_book (Import  *imp,
                   Row     *row,
                   GError **error)
{
  const CustomerInfo *customer = NULL;
  BillInfo *bill;

  if (*row->customer_code != '\0')
    {
      customer = lookup_customer (imp, row->customer_code, error);
      if (customer == NULL)
        return FALSE;

      if (customer->id == 0)
        _bb_import_field_problem_take (&imp->run, row->line, COL_CUSTOMER_CODE,
                                       g_strdup_printf (_("Line %u, %s: no customer has the code “%s”"),
                                                        row->line, column_names[COL_CUSTOMER_CODE],
                                                        row->customer_code));
    }

  if (row->invoice_number == NULL || *row->invoice_number == '\0')
    return TRUE;

  bill = lookup_bill (imp, row->invoice_number, error);
  if (bill == NULL)
    return FALSE;

  if (bill->id == 0)
    {
      _bb_import_field_problem_take (&imp->run, row->line, COL_INVOICE_NUMBER,
                                     g_strdup_printf (_("Line %u, %s: there is no bill numbered “%s”"),
                                                      row->line, column_names[COL_INVOICE_NUMBER],
                                                      row->invoice_number));
      return TRUE;
    }

  if (bill->status == BB_INVOICE_VOID)
    {
      _bb_import_field_problem_take (&imp->run, row->line, COL_INVOICE_NUMBER,
                                     g_strdup_printf (_("Line %u, %s: bill %s is void"),
                                                      row->line, column_names[COL_INVOICE_NUMBER],
                                                      row->invoice_number));
      return TRUE;
    }
  if (bill->credit_note)
    {
      _bb_import_field_problem_take (&imp->run, row->line, COL_INVOICE_NUMBER,
                                     g_strdup_printf (_("Line %u, %s: %s is a credit note; it takes no payments"),
                                                      row->line, column_names[COL_INVOICE_NUMBER],
                                                      row->invoice_number));
      return TRUE;
    }
  if (customer != NULL && customer->id != 0 && bill->customer_id != customer->id)
    {
      _bb_import_field_problem_take (&imp->run, row->line, COL_INVOICE_NUMBER,
                                     /* Translators: "Line 7, invoice_number: bill INV-2 is for customer C2, not C1" */
                                     g_strdup_printf (_("Line %u, %s: bill %s is for customer %s, not %s"),
                                                      row->line, column_names[COL_INVOICE_NUMBER],
                                                      row->invoice_number, bill->customer_code,
                                                      row->customer_code));
      return TRUE;
    }
  if (g_strcmp0 (bill->currency, imp->run.currency->code) != 0)
    {
      _bb_import_field_problem_take (&imp->run, row->line, COL_INVOICE_NUMBER,
                                     g_strdup_printf (_("Line %u, %s: bill %s is in %s; the book’s payments are in %s"),
                                                      row->line, column_names[COL_INVOICE_NUMBER],
                                                      row->invoice_number, bill->currency, imp->run.currency->code));
      return TRUE;
    }

  if (!row->amount_ok)
    return TRUE;

  if (row->amount > bill->open)
    {
      g_autofree char *amount = bb_money_format_plain (row->amount, imp->run.currency);
      g_autofree char *open = bb_money_format_plain (MAX (bill->open, 0), imp->run.currency);

      _bb_import_field_problem_take (&imp->run, row->line, COL_AMOUNT,
                                     /* Translators: "Line 7, amount: 40.00 is more than the 31.08 still
                                      * open on bill INV-2026-0001" (after the rows above it) */
                                     g_strdup_printf (_("Line %u, %s: %s is more than the %s still open on bill %s"),
                                                      row->line, column_names[COL_AMOUNT], amount, open,
                                                      row->invoice_number));
      return TRUE;
    }

  bill->open -= row->amount;
  return TRUE;
}

/* Writing */

static gboolean
write_row (Import  *imp,
           Row     *row,
           GError **error)
{
  g_autoptr(BbPayment) payment = bb_payment_new ();
  g_autoptr(GPtrArray) allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);
  const CustomerInfo *customer = g_hash_table_lookup (imp->customers, row->customer_code);

  if (customer == NULL || customer->id == 0 || !row->amount_ok || !row->method_ok)
    {
      /* The book or the file changed since the check. */
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_FAILED,
                   _("Line %u: the file changed while it was imported"), row->line);
      return FALSE;
    }

  payment->customer_id = customer->id;
  g_free (payment->received_on);
  payment->received_on = g_strdup (row->received_on);
  payment->amount = row->amount;
  payment->method = row->method;
  g_free (payment->reference);
  payment->reference = g_strdup (row->reference);

  if (*row->invoice_number != '\0')
    {
      BillInfo *bill = g_hash_table_lookup (imp->bills, row->invoice_number);

      if (bill == NULL || bill->id == 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_FAILED,
                       _("Line %u: the file changed while it was imported"), row->line);
          return FALSE;
        }
      g_ptr_array_add (allocations, bb_allocation_new (bill->id, row->amount));
    }

  /* The same path as the window: checked again against the book as it
   * is inside this transaction. */
  if (!_bb_payments_insert (imp->run.db, payment, allocations, error))
    {
      g_prefix_error (error, _("Line %u: "), row->line);
      return FALSE;
    }

  _bb_import_touch_customer (&imp->run, customer->id);
  imp->run.n_written++;

  return TRUE;
}

/* The writing pass's last writes, before COMMIT. */
static gboolean
finish_import (BbImportRun  *run,
               GError      **error)
{
  g_autofree char *detail = g_strdup_printf ("%u from CSV", run->n_written);

  if (!_bb_import_refresh_customers (run, error) ||
      !_bb_db_audit (run->db, "import", "payments", 0, detail, error))
    return FALSE;

  /* One announcement for the whole import, after COMMIT. */
  bb_db_emit_changed (run->db, "payments", 0);
  bb_db_emit_changed (run->db, "invoices", 0);
  bb_db_emit_changed (run->db, "customers", 0);

  return TRUE;
}

/* One row of the file, in either pass. */
static gboolean
import_row (BbImportRun  *run,
            char        **fields,
            guint         line,
            GError      **error)
{
  Import *imp = (Import *) run;
  Row row = { 0 };
  gboolean ok;

  read_row (imp, &row, fields, line);
  if (run->checking)
    ok = check_row_in_book (imp, &row, error);
  else
    ok = write_row (imp, &row, error);
  row_clear (&row);

  return ok;
}

/* The problems of a row are found in two steps (its fields, then the
 * book), so they are listed by line and column. */
static const BbImportCsv csv_import = {
  .row = import_row,
  .check_row_length = TRUE,
  .order = BB_IMPORT_ORDER_BY_LINE_AND_COLUMN,
  .finish = finish_import,
};

/**
 * bb_payments_import_csv:
 * @db: the book
 * @data: the file's bytes: UTF-8 (a byte order mark is fine) or GB18030
 * @dry_run: only read and check, as the window's preview does
 * @progress: (nullable) (scope call): called after each row
 * @progress_data: data for @progress
 * @cancellable: (nullable): checked between rows; cancelling imports nothing
 * @report: (out) (optional) (transfer full): the payments read and every
 *   problem by line and column; set on failure as well
 * @error: return location for an error
 *
 * Imports a payments CSV file (help/C/csv-format.page), all or nothing.
 * Each row is one payment of the customer with that code: to the bill
 * numbered in invoice_number, which must be issued, theirs, and still owe
 * the amount (after the rows above it), or, when invoice_number is
 * empty, to the customer's credit. Amounts are more than zero, in the
 * book's currency and its decimals; methods are cash, bank_transfer,
 * card, alipay, wechat_pay or other (prepaid is taken on the card). Every
 * row is checked first; if any has a problem, nothing is imported and
 * %BB_DB_ERROR_INVALID says how many rows are bad while @report lists
 * each problem. Otherwise, unless @dry_run, every payment is recorded in
 * one transaction as bb_payments_record() records one, and the balances,
 * credit and classes of the customers are brought up to date.
 *
 * Returns: %TRUE when the file is good (and, unless @dry_run, imported)
 */
gboolean
bb_payments_import_csv (BbDb              *db,
                        GBytes            *data,
                        gboolean           dry_run,
                        BbImportProgress   progress,
                        gpointer           progress_data,
                        GCancellable      *cancellable,
                        BbImportReport   **report,
                        GError           **error)
{
  g_auto(Import) imp = { 0 };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  import_init (&imp, db, progress, progress_data, cancellable);

  return _bb_import_csv (&imp.run, data, dry_run, &csv_import, report, error);
}

/* Import in a thread */

/**
 * bb_payments_import_async:
 * @db: the book, as the window uses it
 * @data: the file's bytes
 * @dry_run: only read and check
 * @progress: (nullable): called on the thread-default main context of
 *   the caller, never after bb_payments_import_finish()
 * @progress_data: data for @progress; must live until the callback
 * @cancellable: (nullable): cancelling imports nothing
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs bb_payments_import_csv() in a thread with a connection of its own,
 * so the window never freezes on a big file.
 */
void
bb_payments_import_async (BbDb                *db,
                          GBytes              *data,
                          gboolean             dry_run,
                          BbImportProgress     progress,
                          gpointer             progress_data,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (data != NULL);

  _bb_import_async (db, bb_payments_import_csv, bb_payments_import_async, "[billbook] import payments",
                    data, dry_run, progress, progress_data, cancellable, callback, user_data);
}

/**
 * bb_payments_import_finish:
 * @report: (out) (optional) (transfer full): as for
 *   bb_payments_import_csv(); never %NULL when asked for
 *
 * After a committed import, announces the change on @db ("changed"
 * signal, tables "payments", "invoices" and "customers") so the window's
 * lists show the new balances.
 *
 * Returns: as bb_payments_import_csv()
 */
gboolean
bb_payments_import_finish (BbDb            *db,
                           GAsyncResult    *result,
                           BbImportReport **report,
                           GError         **error)
{
  static const char * const changed[] = { "payments", "invoices", "customers", NULL };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  return _bb_import_finish (db, result, bb_payments_import_async, changed, report, error);
}

/* Export */

typedef struct
{
  BbDb              *db;
  const BbCurrency  *currency;
  BbCsvWriter       *writer;
  GCancellable      *cancellable;
  /* The payment whose rows are being written. */
  gint64             payment_id;
  char              *code;
  char              *received_on;
  char              *method;
  char              *reference;
  BbMoney            left;           /* not allocated: its credit row */
  /* Where the next page starts: after this payment in export order. */
  char              *after_received_on;
  gint64             after_id;
} Export;

static void
export_clear (Export *exp)
{
  g_clear_pointer (&exp->code, g_free);
  g_clear_pointer (&exp->received_on, g_free);
  g_clear_pointer (&exp->method, g_free);
  g_clear_pointer (&exp->reference, g_free);
  g_clear_pointer (&exp->after_received_on, g_free);
}

static gboolean
write_fields (Export      *exp,
              const char  *invoice_number,
              BbMoney      amount,
              GError     **error)
{
  g_autofree char *amount_text = bb_money_format_plain (amount, exp->currency);
  const char *fields[N_COLUMNS + 1] = { NULL };

  fields[COL_CUSTOMER_CODE] = exp->code;
  fields[COL_INVOICE_NUMBER] = invoice_number;
  fields[COL_RECEIVED_ON] = exp->received_on;
  fields[COL_AMOUNT] = amount_text;
  fields[COL_METHOD] = exp->method;
  fields[COL_REFERENCE] = exp->reference;

  return bb_csv_writer_write_row (exp->writer, fields, column_is_text, error);
}

/* After the last bill of a payment: what it still holds, as credit. */
static gboolean
finish_payment (Export  *exp,
                GError **error)
{
  gboolean ok = TRUE;

  if (exp->payment_id != 0 && exp->left > 0)
    ok = write_fields (exp, "", exp->left, error);

  exp->payment_id = 0;
  return ok;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  char *text = _bb_stmt_dup_text (stmt, column);

  return text ? text : g_strdup ("");
}

/* One row of the page: a payment's allocations to one bill, or a payment
 * that allocated nothing. */
static gboolean
export_row (Export        *exp,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  gint64 id = sqlite3_column_int64 (stmt, 0);

  if (id != exp->payment_id)
    {
      if (!finish_payment (exp, error))
        return FALSE;

      exp->payment_id = id;
      g_free (exp->code);
      exp->code = column_dup (stmt, 1);
      g_free (exp->received_on);
      exp->received_on = column_dup (stmt, 2);
      exp->left = sqlite3_column_int64 (stmt, 3);
      g_free (exp->method);
      exp->method = column_dup (stmt, 4);
      g_free (exp->reference);
      exp->reference = column_dup (stmt, 5);

      g_free (exp->after_received_on);
      exp->after_received_on = g_strdup (exp->received_on);
      exp->after_id = id;
    }

  if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
    {
      g_autofree char *number = column_dup (stmt, 6);
      BbMoney amount = sqlite3_column_int64 (stmt, 7);

      if (amount == 0)
        return TRUE;

      exp->left -= amount;
      return write_fields (exp, number, amount, error);
    }

  return TRUE;
}

/* Writes the next page of payments with their bills; *@n_payments says
 * how many payments it held. */
static gboolean
export_page (Export  *exp,
             guint   *n_payments,
             GError **error)
{
  sqlite3_stmt *stmt;
  gint64 last_id = 0;
  int rc;

  /* The page's payments by the index on received_on, neither refunded
   * nor refunds; their allocations by payment_id, summed per bill. A
   * payment without allocations has one row with NULLs. (Written
   * "coalesce (reverses_id, 0) = 0", not "reverses_id IS NULL", which
   * SQLite would look up in the unique index of reverses_id, where
   * nearly every payment is NULL, and then sort them all for each page.) */
  stmt = _bb_db_prepare (exp->db,
                         "SELECT p.id, c.code, p.received_on, p.amount, p.method, p.reference, "
                         "  i.number, sum(a.amount), min(a.id) AS first "
                         "FROM (SELECT id FROM payments q "
                         "      WHERE (received_on, id) > (?1, ?2) AND coalesce(reverses_id, 0) = 0 "
                         "        AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = q.id) "
                         "      ORDER BY received_on, id LIMIT ?3) AS page "
                         "JOIN payments p ON p.id = page.id "
                         "JOIN customers c ON c.id = p.customer_id "
                         "LEFT JOIN payment_allocations a ON a.payment_id = p.id "
                         "LEFT JOIN invoices i ON i.id = a.invoice_id "
                         "GROUP BY p.id, a.invoice_id "
                         "ORDER BY p.received_on, p.id, first",
                         error);
  if (stmt == NULL)
    return FALSE;

  _bb_stmt_bind_text (stmt, 1, exp->after_received_on);
  sqlite3_bind_int64 (stmt, 2, exp->after_id);
  sqlite3_bind_int (stmt, 3, EXPORT_PAGE_PAYMENTS);

  *n_payments = 0;
  while ((rc = _bb_db_step (exp->db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (id != last_id)
        {
          (*n_payments)++;
          last_id = id;
        }

      if (g_cancellable_set_error_if_cancelled (exp->cancellable, error) ||
          !export_row (exp, stmt, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE && finish_payment (exp, error);
}

/**
 * bb_payments_export_csv:
 * @db: the book
 * @out: where to write; not closed
 * @cancellable: (nullable): checked between rows
 * @error: return location for an error
 *
 * Writes the payments, ordered by the day they were received, as a
 * payments CSV file with its header row: for each payment one row per
 * bill it paid (credit used on later bills included) and one row with
 * an empty invoice_number for the credit it still holds. Refunded
 * payments and their refunds are left out. Amounts are in the book's
 * currency; text that starts like a spreadsheet formula gets a leading
 * apostrophe, which the import removes again.
 *
 * Returns: %TRUE on success
 */
gboolean
bb_payments_export_csv (BbDb           *db,
                        GOutputStream  *out,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(GOutputStream) buffered = NULL;
  g_autoptr(BbCsvWriter) writer = NULL;
  Export exp = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  buffered = g_buffered_output_stream_new_sized (out, 64 * 1024);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (buffered), FALSE);
  writer = bb_csv_writer_new (buffered);

  exp.db = db;
  exp.currency = bb_business_get_currency (db);
  exp.writer = writer;
  exp.cancellable = cancellable;
  exp.after_received_on = g_strdup ("");

  if (!bb_csv_writer_write_row (writer, column_names, NULL, error))
    goto out;

  for (;;)
    {
      guint n_payments = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !export_page (&exp, &n_payments, error))
        goto out;

      if (n_payments < EXPORT_PAGE_PAYMENTS)
        break;
    }

  ok = g_output_stream_flush (buffered, cancellable, error);

out:
  export_clear (&exp);
  return ok;
}

/**
 * bb_payments_export_csv_to_file:
 * @db: the book
 * @file: the file to write; replaced whole once everything was written
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * bb_payments_export_csv() into @file, which only its owner may read
 * (mode 0600). On failure or cancellation an existing @file is left as
 * it was, and a new one is not left behind.
 *
 * Returns: %TRUE on success
 */
gboolean
bb_payments_export_csv_to_file (BbDb          *db,
                                GFile         *file,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _bb_export_to_file (db, bb_payments_export_csv, file, cancellable, error);
}

/**
 * bb_payments_export_async:
 * @db: the book
 * @file: the file to write (see bb_payments_export_csv_to_file())
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs bb_payments_export_csv_to_file() in a thread with a connection of
 * its own.
 */
void
bb_payments_export_async (BbDb                *db,
                          GFile               *file,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (G_IS_FILE (file));

  _bb_export_async (db, bb_payments_export_csv, bb_payments_export_async, "[billbook] export payments",
                    file, cancellable, callback, user_data);
}

gboolean
bb_payments_export_finish (BbDb          *db,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  return _bb_export_finish (db, result, bb_payments_export_async, error);
}
