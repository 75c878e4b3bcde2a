/* bb-invoice-io.c — bills in and out of the book: CSV
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The invoices file has one row per line item; the rows sharing a number
 * form one bill (DESIGN.md, "Interchange formats"). An import is all or
 * nothing, as for customers (bb-customer-io.c): the file is read once to
 * check every row and collect every problem, and only a file without any
 * is read a second time to write, in one transaction. Between the two
 * readings only one small record per bill is kept (its first and last
 * line, customer, dates, status, running totals), never the rows.
 *
 * While writing, a bill's lines are gathered until its last line in the
 * file (known from the first reading), then the bill is written: as a
 * draft with its lines first, because the schema's triggers refuse lines
 * on an issued bill, then moved to its status with its number. Totals
 * are always computed by core (bb_invoice_compute_totals()), never read
 * from the file. In a file written by export every bill's rows are
 * together, so one bill at a time is held.
 *
 * Drafts and bills in review have no number in the book (numbers are
 * given at issue, without gaps): export writes DRAFT-1, DRAFT-2… for
 * them, and on import such a number only groups the lines.
 *
 * Export reads the bills in pages ordered by issue date, number and id,
 * each page with its lines, and writes them before fetching the next.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-csv.h"
#include "bb-db-private.h"
#include "bb-invoice-io.h"
#include "bb-import-private.h"
#include "bb-io-task-private.h"
#include "bb-invoices.h"
#include "bb-text.h"

/* Bills fetched per query while exporting. */
#define EXPORT_PAGE_BILLS 500

/* As bb_invoices_save_draft() allows. */
#define MAX_LINES_PER_BILL 10000
#define MAX_NUMBER_CHARS 64
#define MAX_DESCRIPTION_CHARS 1000
/* 1000 %, the most a line's tax may be (bb_invoice_line_compute()). */
#define MAX_TAX_RATE (10 * BB_RATE_ONE_HUNDRED_PERCENT)

/* The columns of an invoices CSV file (BB_INVOICES_CSV_HEADER). */
typedef enum
{
  COL_NUMBER,
  COL_CUSTOMER_CODE,
  COL_ISSUED_ON,
  COL_DUE_ON,
  COL_STATUS,
  COL_DESCRIPTION,
  COL_QUANTITY,
  COL_UNIT_PRICE,
  COL_TAX_RATE,
  COL_DISCOUNT,
  N_COLUMNS
} Column;

static const char * const column_names[N_COLUMNS + 1] = {
  "number", "customer_code", "issued_on", "due_on", "status", "description",
  "quantity", "unit_price", "tax_rate_percent", "discount_percent", NULL
};

/* Text columns are formula-escaped on export and unescaped on import;
 * dates, the status and the numbers are written as they are. */
static const gboolean column_is_text[N_COLUMNS] = {
  TRUE, TRUE, FALSE, FALSE, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE
};

/* Import */

/* A customer code of the file, looked up once. */
typedef struct
{
  gint64   id;          /* 0: no such customer */
  int      terms;       /* payment terms in days */
  gboolean erased;
} CustomerInfo;

/* One bill of the file: what its first row said, and what the rows so
 * far add up to. */
typedef struct
{
  char            *number;
  guint            first_line;
  guint            last_line;
  char            *customer_code;
  char            *issued_on;
  char            *due_on;          /* as in the file; may be empty */
  char            *status_text;     /* lower case, as in the file */
  gboolean         status_ok;
  BbInvoiceStatus  status;
  const CustomerInfo *customer;     /* NULL when the code is empty */
  guint            n_line_rows;     /* rows holding a line item */
  BbMoney          gross;
  BbMoney          net;
  BbMoney          tax;
  gboolean         too_large;       /* said once */
  BbInvoice       *pending;         /* while writing: the lines so far */
} Bill;

static void
bill_free (Bill *bill)
{
  g_free (bill->number);
  g_free (bill->customer_code);
  g_free (bill->issued_on);
  g_free (bill->due_on);
  g_free (bill->status_text);
  g_clear_object (&bill->pending);
  g_free (bill);
}

typedef struct
{
  BbImportRun        run;
  GHashTable        *bills;         /* number → Bill */
  GHashTable        *customers;     /* code → CustomerInfo */
} Import;

static void
import_init (Import           *imp,
             BbDb             *db,
             BbImportProgress  progress,
             gpointer          progress_data,
             GCancellable     *cancellable)
{
  _bb_import_run_init (&imp->run, db, column_names, column_is_text, progress, progress_data, cancellable);
  imp->bills = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) bill_free);
  imp->customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
import_clear (Import *imp)
{
  g_clear_pointer (&imp->bills, g_hash_table_unref);
  g_clear_pointer (&imp->customers, g_hash_table_unref);
  _bb_import_run_clear (&imp->run);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Import, import_clear)

/* Rows */

/* One row of the file, read. */
typedef struct
{
  guint            line;
  char            *number;
  char            *customer_code;
  char            *issued_on;
  char            *due_on;
  char            *status_raw;      /* as typed, for messages */
  char            *status_text;     /* lower case */
  char            *description;
  gboolean         has_item;        /* any of the line item's columns filled */
  gboolean         item_ok;
  BbInvoiceLine    item;            /* description borrowed */
  gboolean         issued_ok;
  gboolean         status_ok;
  BbInvoiceStatus  status;
  GDate            issued;
} Row;

static void
row_clear (Row *row)
{
  g_free (row->number);
  g_free (row->customer_code);
  g_free (row->issued_on);
  g_free (row->due_on);
  g_free (row->status_raw);
  g_free (row->status_text);
  g_free (row->description);
}

/* Reads the line item of a row: quantity, price and rates parsed, and the
 * line's amounts computed by core. Problems only in the checking pass. */
static void
read_item (Import  *imp,
           Row     *row,
           char   **fields)
{
  g_autofree char *quantity = bb_csv_header_dup_stripped (imp->run.header, fields, COL_QUANTITY);
  g_autofree char *price = bb_csv_header_dup_stripped (imp->run.header, fields, COL_UNIT_PRICE);
  g_autofree char *tax = bb_csv_header_dup_stripped (imp->run.header, fields, COL_TAX_RATE);
  g_autofree char *discount = bb_csv_header_dup_stripped (imp->run.header, fields, COL_DISCOUNT);
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  row->has_item = *row->description != '\0' || *quantity != '\0' || *price != '\0' ||
                  *tax != '\0' || *discount != '\0';
  row->item_ok = FALSE;
  if (!row->has_item)
    return;

  row->item.description = row->description;

  if (imp->run.checking &&
      !bb_text_validate (row->description, column_names[COL_DESCRIPTION],
                         MAX_DESCRIPTION_CHARS, TRUE, &error))
    {
      _bb_import_field_error (&imp->run, row->line, COL_DESCRIPTION, error);
      g_clear_error (&error);
      ok = FALSE;
    }

  /* Negative quantities and prices make credit notes and returns. */
  if (!bb_quantity_parse (quantity, column_names[COL_QUANTITY], TRUE, &row->item.quantity, &error))
    {
      if (imp->run.checking)
        _bb_import_field_error (&imp->run, row->line, COL_QUANTITY, error);
      g_clear_error (&error);
      ok = FALSE;
    }

  if (!bb_money_parse (price, imp->run.currency, column_names[COL_UNIT_PRICE], TRUE,
                       &row->item.unit_price, &error))
    {
      if (imp->run.checking)
        _bb_import_field_error (&imp->run, row->line, COL_UNIT_PRICE, error);
      g_clear_error (&error);
      ok = FALSE;
    }

  /* Empty rates are 0 %. */
  row->item.tax_rate = 0;
  if (*tax != '\0')
    {
      if (!bb_rate_parse (tax, column_names[COL_TAX_RATE], FALSE, &row->item.tax_rate, &error))
        {
          if (imp->run.checking)
            _bb_import_field_error (&imp->run, row->line, COL_TAX_RATE, error);
          g_clear_error (&error);
          ok = FALSE;
        }
      else if (row->item.tax_rate > MAX_TAX_RATE)
        {
          if (imp->run.checking)
            _bb_import_field_problem_take (&imp->run, row->line, COL_TAX_RATE,
                                           g_strdup_printf (_("Line %u, %s: “%s” is more than 1000 %%"),
                                                            row->line, column_names[COL_TAX_RATE], tax));
          ok = FALSE;
        }
    }

  row->item.discount = 0;
  if (*discount != '\0' &&
      !bb_rate_parse (discount, column_names[COL_DISCOUNT], TRUE, &row->item.discount, &error))
    {
      if (imp->run.checking)
        _bb_import_field_error (&imp->run, row->line, COL_DISCOUNT, error);
      g_clear_error (&error);
      ok = FALSE;
    }

  if (ok && !bb_invoice_line_compute (&row->item, NULL))
    {
      if (imp->run.checking)
        _bb_import_problem_take (&imp->run, row->line, NULL,
                                 g_strdup_printf (_("Line %u: the amount of this line is too large to compute"),
                                                  row->line));
      ok = FALSE;
    }

  row->item_ok = ok;
}

/* Reads one row; in the checking pass also checks each of its fields on
 * its own (the checks against the other rows of its bill follow). */
static void
read_row (Import  *imp,
          Row     *row,
          char   **fields,
          guint    line)
{
  g_autoptr(GError) error = NULL;

  row->line = line;
  row->number = bb_csv_header_dup_stripped (imp->run.header, fields, COL_NUMBER);
  row->customer_code = bb_csv_header_dup_stripped (imp->run.header, fields, COL_CUSTOMER_CODE);
  row->issued_on = bb_csv_header_dup_stripped (imp->run.header, fields, COL_ISSUED_ON);
  row->due_on = bb_csv_header_dup_stripped (imp->run.header, fields, COL_DUE_ON);
  row->status_raw = bb_csv_header_dup_stripped (imp->run.header, fields, COL_STATUS);
  row->status_text = g_ascii_strdown (row->status_raw, -1);
  row->description = bb_csv_header_dup_text (imp->run.header, fields, COL_DESCRIPTION);

  row->status_ok = bb_invoice_status_from_string (row->status_text, &row->status);
  row->issued_ok = bb_date_parse (row->issued_on, column_names[COL_ISSUED_ON], &row->issued,
                                  imp->run.checking ? &error : NULL);

  if (!imp->run.checking)
    {
      read_item (imp, row, fields);
      return;
    }

  if (*row->number == '\0')
    _bb_import_field_problem_take (&imp->run, line, COL_NUMBER,
                                   g_strdup_printf (_("Line %u, %s: needed to group the lines of a bill"),
                                                    line, column_names[COL_NUMBER]));
  else if (!bb_text_validate (row->number, column_names[COL_NUMBER], MAX_NUMBER_CHARS, FALSE, &error))
    {
      _bb_import_field_error (&imp->run, line, COL_NUMBER, error);
      g_clear_error (&error);
      /* Not a number to group by. */
      g_clear_pointer (&row->number, g_free);
      row->number = g_strdup ("");
    }

  if (*row->customer_code == '\0')
    _bb_import_field_problem_take (&imp->run, line, COL_CUSTOMER_CODE,
                                   g_strdup_printf (_("Line %u, %s: needed; give the code of a customer in the book"),
                                                    line, column_names[COL_CUSTOMER_CODE]));

  if (!row->issued_ok)
    {
      _bb_import_field_error (&imp->run, line, COL_ISSUED_ON, error);
      g_clear_error (&error);
    }

  if (*row->due_on != '\0')
    {
      GDate due;

      if (!bb_date_parse (row->due_on, column_names[COL_DUE_ON], &due, &error))
        {
          _bb_import_field_error (&imp->run, line, COL_DUE_ON, error);
          g_clear_error (&error);
        }
      else if (row->issued_ok && g_date_compare (&due, &row->issued) < 0)
        _bb_import_field_problem_take (&imp->run, line, COL_DUE_ON,
                                       g_strdup_printf (_("Line %u, %s: %s is before the issue date %s"),
                                                        line, column_names[COL_DUE_ON],
                                                        row->due_on, row->issued_on));
    }

  if (!row->status_ok)
    _bb_import_field_problem_take (&imp->run, line, COL_STATUS,
                                   g_strdup_printf (_("Line %u, %s: “%s” is not draft, review, issued or void"),
                                                    line, column_names[COL_STATUS], row->status_raw));

  read_item (imp, row, fields);
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

  stmt = _bb_db_prepare (imp->run.db,
                         "SELECT id, payment_terms_days, erased FROM customers WHERE code = ?1",
                         error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, code);

  info = g_new0 (CustomerInfo, 1);
  rc = _bb_db_step (imp->run.db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      info->id = sqlite3_column_int64 (stmt, 0);
      info->terms = sqlite3_column_int (stmt, 1);
      info->erased = sqlite3_column_int (stmt, 2) != 0;
    }
  sqlite3_reset (stmt);

  if (rc < 0)
    {
      g_free (info);
      return NULL;
    }

  g_hash_table_insert (imp->customers, g_strdup (code), info);
  return info;
}

/* -1 on error, else whether a bill in the book has @number. */
static int
number_in_book (BbDb        *db,
                const char  *number,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db, "SELECT 1 FROM invoices WHERE number = ?1", error);
  if (stmt == NULL)
    return -1;
  _bb_stmt_bind_text (stmt, 1, number);
  rc = _bb_db_step (db, stmt, error);
  sqlite3_reset (stmt);

  return rc < 0 ? -1 : rc == SQLITE_ROW;
}

static gboolean
is_numbered (BbInvoiceStatus status)
{
  return status == BB_INVOICE_ISSUED || status == BB_INVOICE_VOID;
}

/* The first row of a bill: it sets what the bill's other rows must
 * agree with, and the bill is checked against the book. */
static Bill *
start_bill (Import  *imp,
            Row     *row,
            GError **error)
{
  Bill *bill = g_new0 (Bill, 1);

  bill->number = g_strdup (row->number);
  bill->first_line = row->line;
  bill->customer_code = g_strdup (row->customer_code);
  bill->issued_on = g_strdup (row->issued_on);
  bill->due_on = g_strdup (row->due_on);
  bill->status_text = g_strdup (row->status_text);
  bill->status_ok = row->status_ok;
  bill->status = row->status;
  g_hash_table_insert (imp->bills, bill->number, bill);

  if (*row->customer_code != '\0')
    {
      bill->customer = lookup_customer (imp, row->customer_code, error);
      if (bill->customer == NULL)
        return NULL;

      if (bill->customer->id == 0)
        _bb_import_field_problem_take (&imp->run, row->line, COL_CUSTOMER_CODE,
                                       g_strdup_printf (_("Line %u, %s: no customer has the code “%s”"),
                                                        row->line, column_names[COL_CUSTOMER_CODE],
                                                        row->customer_code));
      else if (bill->customer->erased && row->status_ok && !is_numbered (row->status))
        _bb_import_field_problem_take (&imp->run, row->line, COL_CUSTOMER_CODE,
                                       g_strdup_printf (_("Line %u, %s: the personal data of customer “%s” was "
                                                          "erased; a draft cannot be written for them"),
                                                        row->line, column_names[COL_CUSTOMER_CODE],
                                                        row->customer_code));
    }

  /* An issued bill keeps its number, which must be free; a draft's
   * number only groups its lines. */
  if (row->status_ok && is_numbered (row->status))
    {
      int taken = number_in_book (imp->run.db, row->number, error);

      if (taken < 0)
        return NULL;
      if (taken)
        _bb_import_field_problem_take (&imp->run, row->line, COL_NUMBER,
                                       g_strdup_printf (_("Line %u, %s: bill %s is already in the book"),
                                                        row->line, column_names[COL_NUMBER], row->number));
    }

  return bill;
}

static void
bill_too_large (Import *imp,
                Bill   *bill,
                guint   line)
{
  bill->too_large = TRUE;
  _bb_import_problem_take (&imp->run, line, NULL,
                           g_strdup_printf (_("Line %u: bill %s is too large to compute"),
                                            line, bill->number));
}

/* A later row of a bill must say what its first row said. */
static void
check_agrees (Import      *imp,
              Bill        *bill,
              Row         *row,
              Column       column,
              const char  *first,
              const char  *here,
              gboolean     here_ok)
{
  if (!here_ok || g_str_equal (first, here))
    return;

  _bb_import_field_problem_take (&imp->run, row->line, column,
                                 /* Translators: "Line 7, issued_on: “2026-03-02” differs from
                                  * “2026-03-01” on line 5; every line of bill INV-1 must say the same" */
                                 g_strdup_printf (_("Line %u, %s: “%s” differs from “%s” on line %u; "
                                                    "every line of bill %s must say the same"),
                                                  row->line, column_names[column], here, first,
                                                  bill->first_line, bill->number));
}

/* Adds a checked row to its bill. FALSE only when the book cannot be read. */
static gboolean
check_row_in_bill (Import  *imp,
                   Row     *row,
                   GError **error)
{
  Bill *bill;

  if (*row->number == '\0')
    return TRUE;

  bill = g_hash_table_lookup (imp->bills, row->number);
  if (bill == NULL)
    {
      bill = start_bill (imp, row, error);
      if (bill == NULL)
        return FALSE;
    }
  else
    {
      check_agrees (imp, bill, row, COL_CUSTOMER_CODE, bill->customer_code, row->customer_code,
                    *row->customer_code != '\0');
      check_agrees (imp, bill, row, COL_ISSUED_ON, bill->issued_on, row->issued_on, row->issued_ok);
      check_agrees (imp, bill, row, COL_DUE_ON, bill->due_on, row->due_on, TRUE);
      check_agrees (imp, bill, row, COL_STATUS, bill->status_text, row->status_text, row->status_ok);
    }

  bill->last_line = row->line;

  if (!row->has_item)
    return TRUE;

  if (++bill->n_line_rows == MAX_LINES_PER_BILL + 1)
    _bb_import_problem_take (&imp->run, row->line, NULL,
                             g_strdup_printf (_("Line %u: bill %s has more than %u lines"),
                                              row->line, bill->number, MAX_LINES_PER_BILL));

  /* The sums, in the order bb_invoice_compute_totals() will add them:
   * an amount too large for it is a problem of the line that makes it so. */
  if (row->item_ok && !bill->too_large &&
      (!bb_money_add (bill->gross, row->item.gross, &bill->gross) ||
       !bb_money_add (bill->net, row->item.net, &bill->net) ||
       !bb_money_add (bill->tax, row->item.tax, &bill->tax)))
    bill_too_large (imp, bill, row->line);

  return TRUE;
}

/* After the last row: what can only be said of a bill as a whole. */
static void
check_bills (Import *imp)
{
  GHashTableIter iter;
  Bill *bill;

  g_hash_table_iter_init (&iter, imp->bills);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &bill))
    {
      BbMoney total, discount;

      if (bill->status_ok && is_numbered (bill->status) && bill->n_line_rows == 0)
        _bb_import_problem_take (&imp->run, bill->first_line, NULL,
                                 g_strdup_printf (_("Line %u: bill %s has no lines; an issued bill needs at least one"),
                                                  bill->first_line, bill->number));

      if (!bill->too_large &&
          (!bb_money_add (bill->net, bill->tax, &total) ||
           !bb_money_sub (bill->gross, bill->net, &discount)))
        bill_too_large (imp, bill, bill->last_line);
    }
}

/* Writing */

static BbInvoice *
new_invoice (Import *imp,
             Bill   *bill)
{
  BbInvoice *inv = bb_invoice_new ();

  inv->customer_id = bill->customer->id;
  inv->status = bill->status;
  g_free (inv->issued_on);
  inv->issued_on = g_strdup (bill->issued_on);
  g_free (inv->currency);
  inv->currency = g_strdup (imp->run.currency->code);
  g_free (inv->due_on);
  if (*bill->due_on != '\0')
    inv->due_on = g_strdup (bill->due_on);
  else
    {
      GDate due;

      /* From the customer's payment terms, as for a new bill. */
      bb_date_parse (bill->issued_on, "", &due, NULL);
      g_date_add_days (&due, (guint) bill->customer->terms);
      inv->due_on = bb_date_to_iso (&due);
    }
  if (is_numbered (bill->status))
    inv->number = g_strdup (bill->number);
  if (bill->status == BB_INVOICE_VOID)
    inv->void_reason = g_strdup (_("Imported as void"));

  return inv;
}

/* Writes a bill whose every line was read: as a draft with its lines
 * (the schema refuses lines on an issued bill), then moved to its
 * status with its number. */
static gboolean
write_bill (Import     *imp,
            BbInvoice  *inv,
            GError    **error)
{
  g_autofree char *now = _bb_db_now_utc ();
  sqlite3_stmt *stmt;

  if (!bb_invoice_compute_totals (inv, error))
    return FALSE;

  /* The file has no kind: a bill that gives money back is a credit note. */
  inv->kind = inv->total < 0 ? BB_INVOICE_KIND_CREDIT_NOTE : BB_INVOICE_KIND_INVOICE;

  stmt = _bb_db_prepare (imp->run.db,
                         "INSERT INTO invoices (customer_id, kind, status, issued_on, due_on, currency, notes, "
                         "  subtotal, discount_total, tax_total, total, paid, open_balance, created_at, updated_at) "
                         "VALUES (?1, ?2, 'draft', ?3, ?4, ?5, '', ?6, ?7, ?8, ?9, 0, ?9, ?10, ?10)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, inv->customer_id);
  _bb_stmt_bind_text (stmt, 2, inv->kind == BB_INVOICE_KIND_CREDIT_NOTE ? "credit_note" : "invoice");
  _bb_stmt_bind_text (stmt, 3, inv->issued_on);
  _bb_stmt_bind_text (stmt, 4, inv->due_on);
  _bb_stmt_bind_text (stmt, 5, inv->currency);
  sqlite3_bind_int64 (stmt, 6, inv->subtotal);
  sqlite3_bind_int64 (stmt, 7, inv->discount_total);
  sqlite3_bind_int64 (stmt, 8, inv->tax_total);
  sqlite3_bind_int64 (stmt, 9, inv->total);
  _bb_stmt_bind_text (stmt, 10, now);
  if (!_bb_db_step_done (imp->run.db, stmt, error))
    return FALSE;
  inv->id = sqlite3_last_insert_rowid (_bb_db_get_handle (imp->run.db));

  for (guint i = 0; i < inv->lines->len; i++)
    {
      BbInvoiceLine *line = g_ptr_array_index (inv->lines, i);

      stmt = _bb_db_prepare (imp->run.db,
                             "INSERT INTO invoice_lines (invoice_id, position, description, quantity, "
                             "  unit_price, discount, tax_rate, net, tax) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, inv->id);
      sqlite3_bind_int (stmt, 2, (int) i + 1);
      _bb_stmt_bind_text (stmt, 3, line->description);
      sqlite3_bind_int64 (stmt, 4, line->quantity);
      sqlite3_bind_int64 (stmt, 5, line->unit_price);
      sqlite3_bind_int (stmt, 6, line->discount);
      sqlite3_bind_int (stmt, 7, line->tax_rate);
      sqlite3_bind_int64 (stmt, 8, line->net);
      sqlite3_bind_int64 (stmt, 9, line->tax);
      if (!_bb_db_step_done (imp->run.db, stmt, error))
        return FALSE;
    }

  if (inv->status != BB_INVOICE_DRAFT)
    {
      /* A void bill owes nothing (as bb_invoices_void() leaves it). */
      stmt = _bb_db_prepare (imp->run.db,
                             "UPDATE invoices SET status = ?2, number = ?3, void_reason = ?4, "
                             "  open_balance = ?5 WHERE id = ?1 AND status = 'draft'",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, inv->id);
      _bb_stmt_bind_text (stmt, 2, bb_invoice_status_to_string (inv->status));
      _bb_stmt_bind_text (stmt, 3, inv->number);
      _bb_stmt_bind_text (stmt, 4, inv->void_reason);
      sqlite3_bind_int64 (stmt, 5, inv->status == BB_INVOICE_VOID ? 0 : inv->total);
      if (!_bb_db_step_done (imp->run.db, stmt, error))
        return FALSE;
    }

  _bb_import_touch_customer (&imp->run, inv->customer_id);
  imp->run.n_written++;

  return TRUE;
}

/* Adds a row to its bill, and writes the bill after its last row. */
static gboolean
write_row (Import  *imp,
           Row     *row,
           GError **error)
{
  Bill *bill = g_hash_table_lookup (imp->bills, row->number);

  if (bill == NULL)
    {
      /* The book or the file changed since the check. */
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_FAILED,
                   _("Line %u: the file changed while it was imported"), row->line);
      return FALSE;
    }

  if (bill->pending == NULL)
    bill->pending = new_invoice (imp, bill);
  if (row->has_item)
    bb_invoice_add_line (bill->pending, row->description, row->item.quantity,
                         row->item.unit_price, row->item.discount, row->item.tax_rate);

  if (row->line != bill->last_line)
    return TRUE;

  if (!write_bill (imp, bill->pending, error))
    {
      /* The book changed since the check (another window, another
       * program): say which bill could not be written. */
      g_prefix_error (error, _("Line %u: "), bill->first_line);
      return FALSE;
    }
  g_clear_object (&bill->pending);

  return TRUE;
}

/* The writing pass's last writes, before COMMIT. */
static gboolean
finish_import (BbImportRun  *run,
               GError      **error)
{
  g_autofree char *detail = g_strdup_printf ("%u from CSV", run->n_written);

  if (!_bb_import_refresh_customers (run, error) ||
      !_bb_db_audit (run->db, "import", "invoices", 0, detail, error))
    return FALSE;

  /* One announcement for the whole import, after COMMIT. */
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
    ok = check_row_in_bill (imp, &row, error);
  else
    ok = write_row (imp, &row, error);
  row_clear (&row);

  return ok;
}

/* After the last row: the report counts bills, and what can only be said
 * of a bill as a whole is checked. */
static void
rows_checked (BbImportRun *run)
{
  Import *imp = (Import *) run;

  run->report->n_rows = g_hash_table_size (imp->bills);
  check_bills (imp);
}

/* A bill's own problems are found after its rows were read, so the
 * problems are listed by line. */
static const BbImportCsv csv_import = {
  .row = import_row,
  .check_row_length = FALSE,
  .checked = rows_checked,
  .order = BB_IMPORT_ORDER_BY_LINE,
  .finish = finish_import,
};

/**
 * bb_invoices_import_csv:
 * @db: the book
 * @data: the file's bytes: UTF-8 (a byte order mark is fine) or GB18030
 * @dry_run: only read and check, as the window's preview does
 * @progress: (nullable) (scope call): called after each row
 * @progress_data: data for @progress
 * @cancellable: (nullable): checked between rows; cancelling imports nothing
 * @report: (out) (optional) (transfer full): the bills read and every
 *   problem by line and column; set on failure as well
 * @error: return location for an error
 *
 * Imports an invoices CSV file (help/C/csv-format.page), all or nothing.
 * One row per line item; the rows sharing a number form one bill and
 * must agree on its customer_code, issued_on, due_on and status. Every
 * row is checked first; if any has a problem, nothing is imported and
 * %BB_DB_ERROR_INVALID says how many rows are bad while @report lists
 * each problem. Otherwise, unless @dry_run, every bill is written in one
 * transaction:
 *
 * - issued and void bills keep the number of the file, which must not be
 *   in the book yet; a void bill's reason reads "Imported as void";
 * - drafts and bills in review get no number (they get one when issued);
 *   their number in the file only groups their lines;
 * - totals are computed by core from the lines; a bill whose total is
 *   negative is a credit note;
 * - an empty due_on follows the customer's payment terms;
 * - a row whose description, quantity, unit_price and rates are all
 *   empty holds no line item (a draft without lines);
 * - the outstanding amounts of the customers billed are brought up to
 *   date in the same transaction.
 *
 * Returns: %TRUE when the file is good (and, unless @dry_run, imported)
 */
gboolean
bb_invoices_import_csv (BbDb              *db,
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
 * bb_invoices_import_async:
 * @db: the book, as the window uses it
 * @data: the file's bytes
 * @dry_run: only read and check
 * @progress: (nullable): called on the thread-default main context of
 *   the caller, never after bb_invoices_import_finish()
 * @progress_data: data for @progress; must live until the callback
 * @cancellable: (nullable): cancelling imports nothing
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs bb_invoices_import_csv() in a thread with a connection of its own,
 * so the window never freezes on a big file.
 */
void
bb_invoices_import_async (BbDb                *db,
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

  _bb_import_async (db, bb_invoices_import_csv, bb_invoices_import_async, "[billbook] import invoices",
                    data, dry_run, progress, progress_data, cancellable, callback, user_data);
}

/**
 * bb_invoices_import_finish:
 * @report: (out) (optional) (transfer full): as for
 *   bb_invoices_import_csv(); never %NULL when asked for
 *
 * After a committed import, announces the change on @db ("changed"
 * signal, tables "invoices" and "customers") so the window's lists show
 * the new bills and the customers' new balances.
 *
 * Returns: as bb_invoices_import_csv()
 */
gboolean
bb_invoices_import_finish (BbDb            *db,
                           GAsyncResult    *result,
                           BbImportReport **report,
                           GError         **error)
{
  static const char * const changed[] = { "invoices", "customers", NULL };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  return _bb_import_finish (db, result, bb_invoices_import_async, changed, report, error);
}

/* Export */

typedef struct
{
  BbDb              *db;
  const BbCurrency  *currency;
  BbCsvWriter       *writer;
  GCancellable      *cancellable;
  guint              n_drafts;       /* DRAFT-n given so far */
  gint64             bill_id;        /* the bill of the last row written */
  char              *bill_key;       /* its number, or DRAFT-n */
  /* Where the next page starts: after this bill in export order. */
  char              *after_issued_on;
  char              *after_number;
  gint64             after_id;
} Export;

static void
export_clear (Export *exp)
{
  g_clear_pointer (&exp->bill_key, g_free);
  g_clear_pointer (&exp->after_issued_on, g_free);
  g_clear_pointer (&exp->after_number, g_free);
}

/* DRAFT-n for the next draft, stepping over a number an issued bill of
 * the book has, so that two bills never share one in the file. */
static char *
next_draft_key (Export  *exp,
                GError **error)
{
  for (;;)
    {
      g_autofree char *key = g_strdup_printf (BB_INVOICES_CSV_DRAFT_PREFIX "%u", ++exp->n_drafts);
      int taken = number_in_book (exp->db, key, error);

      if (taken < 0)
        return NULL;
      if (!taken)
        return g_steal_pointer (&key);
    }
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  char *text = _bb_stmt_dup_text (stmt, column);

  return text ? text : g_strdup ("");
}

/* Writes one row of the page: a line of a bill, or a bill without lines. */
static gboolean
export_row (Export        *exp,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  g_autofree char *code = column_dup (stmt, 2);
  g_autofree char *issued_on = column_dup (stmt, 3);
  g_autofree char *due_on = column_dup (stmt, 4);
  g_autofree char *status = column_dup (stmt, 5);
  g_autofree char *description = NULL;
  g_autofree char *quantity = NULL;
  g_autofree char *price = NULL;
  g_autofree char *tax = NULL;
  g_autofree char *discount = NULL;
  gint64 id = sqlite3_column_int64 (stmt, 0);
  const char *fields[N_COLUMNS + 1] = { NULL };

  if (id != exp->bill_id)
    {
      g_autofree char *number = _bb_stmt_dup_text (stmt, 1);

      exp->bill_id = id;
      g_free (exp->bill_key);
      exp->bill_key = number != NULL ? g_steal_pointer (&number) : next_draft_key (exp, error);
      if (exp->bill_key == NULL)
        return FALSE;

      g_free (exp->after_issued_on);
      exp->after_issued_on = g_strdup (issued_on);
      g_free (exp->after_number);
      exp->after_number = column_dup (stmt, 11);
      exp->after_id = id;
    }

  if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
    {
      description = column_dup (stmt, 6);
      quantity = bb_quantity_format (sqlite3_column_int64 (stmt, 7));
      price = bb_money_format_plain (sqlite3_column_int64 (stmt, 8), exp->currency);
      tax = bb_rate_format (sqlite3_column_int (stmt, 9));
      discount = bb_rate_format (sqlite3_column_int (stmt, 10));
    }

  fields[COL_NUMBER] = exp->bill_key;
  fields[COL_CUSTOMER_CODE] = code;
  fields[COL_ISSUED_ON] = issued_on;
  fields[COL_DUE_ON] = due_on;
  fields[COL_STATUS] = status;
  fields[COL_DESCRIPTION] = description ? description : "";
  fields[COL_QUANTITY] = quantity ? quantity : "";
  fields[COL_UNIT_PRICE] = price ? price : "";
  fields[COL_TAX_RATE] = tax ? tax : "";
  fields[COL_DISCOUNT] = discount ? discount : "";

  return bb_csv_writer_write_row (exp->writer, fields, column_is_text, error);
}

/* Writes the next page of bills with their lines; *@n_bills says how
 * many bills it held. */
static gboolean
export_page (Export  *exp,
             guint   *n_bills,
             GError **error)
{
  sqlite3_stmt *stmt;
  gint64 last_id = 0;
  int rc;

  /* The page's bills by the index on issued_on; their lines by
   * (invoice_id, position). A bill without lines has one row of NULLs. */
  stmt = _bb_db_prepare (exp->db,
                         "SELECT i.id, i.number, c.code, i.issued_on, i.due_on, i.status, "
                         "  l.description, l.quantity, l.unit_price, l.tax_rate, l.discount, "
                         "  coalesce(i.number, '') "
                         "FROM (SELECT id FROM invoices "
                         "      WHERE (issued_on, coalesce(number, ''), id) > (?1, ?2, ?3) "
                         "      ORDER BY issued_on, coalesce(number, ''), id LIMIT ?4) AS page "
                         "JOIN invoices i ON i.id = page.id "
                         "JOIN customers c ON c.id = i.customer_id "
                         "LEFT JOIN invoice_lines l ON l.invoice_id = i.id "
                         "ORDER BY i.issued_on, coalesce(i.number, ''), i.id, l.position",
                         error);
  if (stmt == NULL)
    return FALSE;

  _bb_stmt_bind_text (stmt, 1, exp->after_issued_on);
  _bb_stmt_bind_text (stmt, 2, exp->after_number);
  sqlite3_bind_int64 (stmt, 3, exp->after_id);
  sqlite3_bind_int (stmt, 4, EXPORT_PAGE_BILLS);

  *n_bills = 0;
  while ((rc = _bb_db_step (exp->db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (id != last_id)
        {
          (*n_bills)++;
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

  return rc == SQLITE_DONE;
}

/**
 * bb_invoices_export_csv:
 * @db: the book
 * @out: where to write; not closed
 * @cancellable: (nullable): checked between rows
 * @error: return location for an error
 *
 * Writes every bill, ordered by issue date, number and id, as an invoices
 * CSV file with its header row: one row per line item, amounts in the
 * book's currency. Drafts and bills in review, which have no number yet,
 * are written as DRAFT-1, DRAFT-2…; a bill without lines as one row with
 * the line's columns empty. Text that starts like a spreadsheet formula
 * gets a leading apostrophe, which the import removes again.
 *
 * Returns: %TRUE on success
 */
gboolean
bb_invoices_export_csv (BbDb           *db,
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
  exp.after_issued_on = g_strdup ("");
  exp.after_number = g_strdup ("");

  if (!bb_csv_writer_write_row (writer, column_names, NULL, error))
    goto out;

  for (;;)
    {
      guint n_bills = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !export_page (&exp, &n_bills, error))
        goto out;

      if (n_bills < EXPORT_PAGE_BILLS)
        break;
    }

  ok = g_output_stream_flush (buffered, cancellable, error);

out:
  export_clear (&exp);
  return ok;
}

/**
 * bb_invoices_export_csv_to_file:
 * @db: the book
 * @file: the file to write; replaced whole once everything was written
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * bb_invoices_export_csv() into @file, which only its owner may read
 * (mode 0600). On failure or cancellation an existing @file is left as
 * it was, and a new one is not left behind.
 *
 * Returns: %TRUE on success
 */
gboolean
bb_invoices_export_csv_to_file (BbDb          *db,
                                GFile         *file,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _bb_export_to_file (db, bb_invoices_export_csv, file, cancellable, error);
}

/**
 * bb_invoices_export_async:
 * @db: the book
 * @file: the file to write (see bb_invoices_export_csv_to_file())
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs bb_invoices_export_csv_to_file() in a thread with a connection of
 * its own.
 */
void
bb_invoices_export_async (BbDb                *db,
                          GFile               *file,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (G_IS_FILE (file));

  _bb_export_async (db, bb_invoices_export_csv, bb_invoices_export_async, "[billbook] export invoices",
                    file, cancellable, callback, user_data);
}

gboolean
bb_invoices_export_finish (BbDb          *db,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  return _bb_export_finish (db, result, bb_invoices_export_async, error);
}
