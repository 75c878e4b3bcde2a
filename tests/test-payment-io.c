/* test-payment-io.c — payments CSV import and export
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-check.h"
#include "bb-customer-io.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoice-io.h"
#include "bb-invoices.h"
#include "bb-payment-io.h"
#include "bb-payments.h"

typedef struct
{
  char *dir;
  char *path;
  BbDb *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Helpers */

#define HEADER BB_PAYMENTS_CSV_HEADER "\n"

static BbDb *
open_other_book (Fixture    *f,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  BbDb *db = bb_db_open (path, &error);

  g_assert_no_error (error);
  return db;
}

static gint64
query_int (BbDb       *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static gint64
count_payments (BbDb *db)
{
  return query_int (db, "SELECT count(*) FROM payments");
}

static char *
stream_text (GOutputStream *out)
{
  g_autoptr(GBytes) bytes = NULL;

  g_output_stream_close (out, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static char *
export_text (BbDb *db)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_payments_export_csv (db, out, NULL, &error));
  g_assert_no_error (error);

  return stream_text (out);
}

/* What the bills and customers of @db owe and hold, as text. */
static char *
balances_text (BbDb *db)
{
  sqlite3_stmt *stmt = NULL;
  GString *text = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db),
                                       "SELECT coalesce(number, '-') || ' ' || paid || ' ' || open_balance "
                                       "FROM invoices ORDER BY number, id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (text, "%s\n", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db),
                                       "SELECT code || ' ' || outstanding || ' ' || credit || ' ' || "
                                       "  coalesce(last_payment_on, '-') || ' ' || class "
                                       "FROM customers ORDER BY code", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (text, "%s\n", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return g_string_free (text, FALSE);
}

static void
assert_sound (BbDb *db)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = bb_check_book (db, &problems, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *) g_ptr_array_index (problems, i));
  g_assert_true (ok);
}

static gboolean
import_text (BbDb             *db,
             const char       *text,
             gboolean          dry_run,
             BbImportReport  **report,
             GError          **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return bb_payments_import_csv (db, bytes, dry_run, NULL, NULL, NULL, report, error);
}

static GBytes *
load_data (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

/* C000001 张三, C000002 Anna Schmidt, C000003 Walk-in; the bills of
 * invoices-good.csv: INV-2026-0001 (C000001, 131.08, due 2026-03-31),
 * INV-2026-0002 (C000002, 20.00), CN-2026-0001 (a credit note of
 * C000001), a draft of C000003 and the void INV-2026-0003 (C000002). */
static void
add_customers_and_bills (BbDb *db)
{
  g_autoptr(GBytes) customers = load_data ("customers-good.csv");
  g_autoptr(GBytes) bills = load_data ("invoices-good.csv");
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_customers_import_csv (db, customers, FALSE, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bb_invoices_import_csv (db, bills, FALSE, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
import_good_file (BbDb *db)
{
  g_autoptr(GBytes) bytes = load_data ("payments-good.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_payments_import_csv (db, bytes, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 5);
  g_assert_cmpuint (report->n_imported, ==, 5);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpuint (report->preview->len, ==, 0);
}

static BbInvoice *
get_bill (BbDb       *db,
          const char *number)
{
  g_autoptr(GError) error = NULL;
  BbInvoice *inv = bb_invoices_get_by_number (db, number, &error);

  g_assert_no_error (error);
  return inv;
}

static BbCustomer *
get_customer (BbDb       *db,
              const char *code)
{
  g_autoptr(GError) error = NULL;
  BbCustomer *c = bb_customers_get_by_code (db, code, &error);

  g_assert_no_error (error);
  return c;
}

static const char good_export[] =
  HEADER
  "C000001,INV-2026-0001,2026-03-10,100.00,alipay,ALI-20260310-001\n"
  "C000002,INV-2026-0002,2026-03-12,20.00,bank_transfer,'=1+1\n"
  "C000001,,2026-03-15,20.00,cash,Deposit\n"
  "C000003,,2026-03-20,9.99,other,\"Walk-in, paid at the counter\"\n"
  "C000002,,2026-04-01,1005.50,card,POS 7781\n";

/* Tests */

static void
test_good_file (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BbInvoice) first = NULL;
  g_autoptr(BbInvoice) second = NULL;
  g_autoptr(BbCustomer) c1 = NULL;
  g_autoptr(BbCustomer) c2 = NULL;
  g_autoptr(BbCustomer) c3 = NULL;
  g_autofree char *text = NULL;
  gint64 audit_before;

  add_customers_and_bills (f->db);
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log");
  import_good_file (f->db);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_before + 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'import' "
                                     "AND table_name = 'payments' AND detail = '5 from CSV'"), ==, 1);
  g_assert_cmpint (count_payments (f->db), ==, 5);

  first = get_bill (f->db, "INV-2026-0001");
  g_assert_cmpint (first->paid, ==, 10000);
  g_assert_cmpint (first->open_balance, ==, 3108);
  second = get_bill (f->db, "INV-2026-0002");
  g_assert_cmpint (second->paid, ==, 2000);
  g_assert_cmpint (second->open_balance, ==, 0);

  c1 = get_customer (f->db, "C000001");
  c2 = get_customer (f->db, "C000002");
  c3 = get_customer (f->db, "C000003");
  g_assert_cmpint (c1->outstanding, ==, 3108 - 4577);
  g_assert_cmpint (c1->credit, ==, 2000);
  g_assert_cmpstr (c1->last_payment_on, ==, "2026-03-15");
  g_assert_cmpint (c2->outstanding, ==, 0);
  g_assert_cmpint (c2->credit, ==, 100550);
  g_assert_cmpstr (c2->last_payment_on, ==, "2026-04-01");
  g_assert_cmpint (c3->credit, ==, 999);

  /* The formula text came in as typed, the method in its file form. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE reference = '=1+1' "
                                     "AND method = 'bank_transfer'"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE method = 'card' AND amount = 100550"), ==, 1);
  assert_sound (f->db);

  text = export_text (f->db);
  g_assert_cmpstr (text, ==, good_export);
}

typedef struct
{
  guint       line;
  const char *field;
  const char *message;   /* NULL: only checked to start with "Line N" */
} Expected;

static void
assert_problems (BbImportReport  *report,
                 const Expected  *expected,
                 guint            n)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      BbImportProblem *p = g_ptr_array_index (report->problems, i);

      g_test_message ("problem: %u %s %s", p->line, p->field ? p->field : "-", p->message);
    }

  g_assert_cmpuint (report->problems->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      BbImportProblem *p = g_ptr_array_index (report->problems, i);
      g_autofree char *prefix = NULL;

      g_assert_cmpuint (p->line, ==, expected[i].line);
      g_assert_cmpstr (p->field, ==, expected[i].field);
      if (expected[i].message != NULL)
        g_assert_cmpstr (p->message, ==, expected[i].message);

      prefix = g_strdup_printf ("Line %u", expected[i].line);
      g_assert_true (g_str_has_prefix (p->message, prefix));
      g_assert_true (p->message[strlen (prefix)] == ',' || p->message[strlen (prefix)] == ':' ||
                     p->message[strlen (prefix)] == ' ');
    }
}

static void
test_bad_file (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("payments-bad.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *balances_before = NULL;
  g_autofree char *balances_after = NULL;
  gint64 audit_before;
  static const Expected expected[] = {
    { 3, "amount", "Line 3, amount: 0.01 is more than the 0.00 still open on bill INV-2026-0001" },
    { 4, "received_on", "Line 4, received_on: 2026-02-30 does not exist" },
    { 5, "amount", "Line 5, amount: “10.005” has more decimals than CNY allows (2)" },
    { 6, "amount", "Line 6, amount: “-5.00” is not more than zero; a payment brings money" },
    { 7, "amount", "Line 7, amount: “0” is not more than zero; a payment brings money" },
    { 8, "customer_code", "Line 8, customer_code: no customer has the code “NOPE”" },
    { 9, "invoice_number", "Line 9, invoice_number: there is no bill numbered “INV-9999”" },
    { 10, "invoice_number", "Line 10, invoice_number: bill INV-2026-0001 is for customer C000001, not C000002" },
    { 11, "invoice_number", "Line 11, invoice_number: bill INV-2026-0003 is void" },
    { 12, "invoice_number", "Line 12, invoice_number: CN-2026-0001 is a credit note; it takes no payments" },
    { 13, "method", "Line 13, method: “bitcoin” is not one of cash, bank_transfer, card, alipay, "
                    "wechat_pay, prepaid, other" },
    { 14, "method", "Line 14, method: a payment from a prepaid card is taken from the card on the "
                    "Prepaid page, not imported" },
    { 15, "reference", "Line 15, reference: contains a control character (U+0007)" },
    { 16, "customer_code", "Line 16, customer_code: needed; give the code of a customer in the book" },
    { 17, "method", "Line 17, method: needed; one of cash, bank_transfer, card, alipay, wechat_pay, "
                    "prepaid, other" },
    { 18, "amount", "Line 18, amount: enter an amount" },
    { 19, NULL, "Line 19: the row has more fields than the header has columns; "
                "is a field with a comma missing its quotes?" },
  };

  add_customers_and_bills (f->db);
  import_good_file (f->db);
  before = export_text (f->db);
  balances_before = balances_text (f->db);
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log");

  g_assert_false (bb_payments_import_csv (f->db, bytes, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "17 rows have problems; nothing was imported");
  g_assert_cmpuint (report->n_imported, ==, 0);
  g_assert_cmpuint (report->n_rows, ==, 18);
  assert_problems (report, expected, G_N_ELEMENTS (expected));

  /* Nothing changed, line 2 (good on its own) included. */
  after = export_text (f->db);
  g_assert_cmpstr (after, ==, before);
  balances_after = balances_text (f->db);
  g_assert_cmpstr (balances_after, ==, balances_before);
  g_assert_cmpint (count_payments (f->db), ==, 5);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_before);

  /* The same with dry_run: the same report. */
  g_clear_pointer (&report, bb_import_report_free);
  g_clear_error (&error);
  g_assert_false (bb_payments_import_csv (f->db, bytes, TRUE, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  assert_problems (report, expected, G_N_ELEMENTS (expected));
}

/* One row with several problems lists them in the order of the columns;
 * rows of one bill together may not pay more than it owes. */
static void
test_bad_rows (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_code = g_strnfill (65, 'C');
  g_autofree char *text = NULL;
  static const Expected expected[] = {
    { 2, "customer_code", "Line 2, customer_code: no customer has the code “X”" },
    { 2, "invoice_number", "Line 2, invoice_number: there is no bill numbered “Y”" },
    { 2, "received_on", "Line 2, received_on: “yesterday” is not a date; write it as YYYY-MM-DD" },
    { 2, "amount", "Line 2, amount: “ten” is not a valid amount" },
    { 2, "method", "Line 2, method: “cheque” is not one of cash, bank_transfer, card, alipay, "
                   "wechat_pay, prepaid, other" },
    { 4, "amount", "Line 4, amount: 100.00 is more than the 81.08 still open on bill INV-2026-0001" },
    { 5, "customer_code", "Line 5, customer_code: longer than 64 characters" },
    { 6, "amount", "Line 6, amount: “$5.00” is in another currency; amounts here are in CNY" },
  };

  add_customers_and_bills (f->db);
  text = g_strconcat (HEADER,
                      "X,Y,yesterday,ten,cheque,\n",                         /* 2 */
                      "C000001,INV-2026-0001,2026-03-10,50.00,cash,\n",      /* 3 */
                      "C000001,INV-2026-0001,2026-03-11,100.00,cash,\n",     /* 4 */
                      long_code, ",,2026-03-11,1.00,cash,\n",                /* 5 */
                      "C000001,,2026-03-11,$5.00,cash,\n",                   /* 6 */
                      NULL);

  g_assert_false (import_text (f->db, text, FALSE, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "4 rows have problems; nothing was imported");
  assert_problems (report, expected, G_N_ELEMENTS (expected));
  g_assert_cmpint (count_payments (f->db), ==, 0);
}

static void
test_header_problems (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  static const Expected expected[] = {
    { 1, "fax", "Line 1: unknown column “fax”; the columns are customer_code, invoice_number, "
                "received_on, amount, method, reference" },
    { 1, "method", "Line 1: missing column “method”" },
    { 3, "customer_code", NULL },
  };

  add_customers_and_bills (f->db);
  g_assert_false (import_text (f->db,
                               "customer_code,invoice_number,received_on,amount,reference,fax\n"
                               "C000001,,2026-04-01,1.00,,\n"
                               "NOPE,,2026-04-01,1.00,,\n",
                               FALSE, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "1 row has problems; nothing was imported");
  assert_problems (report, expected, G_N_ELEMENTS (expected));

  g_clear_pointer (&report, bb_import_report_free);
  g_clear_error (&error);
  g_assert_false (import_text (f->db, "", FALSE, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "received_on"));
  g_assert_cmpint (count_payments (f->db), ==, 0);
}

/* Bytes that are neither UTF-8 nor GB18030: the line is named. GB18030
 * and a byte order mark are fine. */
static void
test_encoding (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *gb = NULL;
  g_autofree char *utf8 = g_strconcat (HEADER, "C000001,,2026-04-01,1.00,cash,张三付款\n", NULL);

  add_customers_and_bills (f->db);

  g_assert_false (import_text (f->db,
                               HEADER
                               "C000001,,2026-04-01,1.00,cash,fine\n"
                               "C000001,,2026-04-01,1.00,cash,\xff\xff\xff\n",
                               FALSE, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Line 3, column “reference”: not UTF-8 or GB18030 text; save the file as “CSV UTF-8” and try again");
  g_assert_cmpint (count_payments (f->db), ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&report, bb_import_report_free);

  gb = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (import_text (f->db, gb, FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE reference = '张三付款'"), ==, 1);
  g_clear_pointer (&report, bb_import_report_free);

  g_assert_true (import_text (f->db, "\xEF\xBB\xBF" "Method,Amount,Received_On,Customer_Code,Invoice_Number,Reference\n"
                              " Cash , 2.00 ,2026-04-02, C000001 ,,\n", FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT sum(amount) FROM payments"), ==, 300);
  assert_sound (f->db);
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("payments-good.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 audit_before;

  add_customers_and_bills (f->db);
  before = balances_text (f->db);
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log");

  g_assert_true (bb_payments_import_csv (f->db, bytes, TRUE, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 5);
  g_assert_cmpuint (report->n_imported, ==, 0);

  g_assert_cmpint (count_payments (f->db), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_before);
  after = balances_text (f->db);
  g_assert_cmpstr (after, ==, before);
}

typedef struct
{
  GCancellable *cancellable;
  guint         cancel_at;
  guint         last_total;
  gboolean      saw_checking;
} CancelData;

static void
cancel_progress (guint    done,
                 guint    total,
                 gpointer user_data)
{
  CancelData *cd = user_data;

  cd->last_total = total;
  if (total == 0)
    cd->saw_checking = TRUE;
  else if (done == cd->cancel_at)
    g_cancellable_cancel (cd->cancellable);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("payments-good.csv");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  CancelData cd = { g_cancellable_new (), 3, 0, FALSE };

  add_customers_and_bills (f->db);
  before = balances_text (f->db);

  g_assert_false (bb_payments_import_csv (f->db, bytes, FALSE, cancel_progress, &cd,
                                          cd.cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (cd.saw_checking);
  g_assert_cmpuint (cd.last_total, ==, 5);

  after = balances_text (f->db);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (count_payments (f->db), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations"), ==, 0);

  /* No transaction was left open. */
  import_good_file (f->db);
  g_assert_cmpint (count_payments (f->db), ==, 5);
  g_object_unref (cd.cancellable);
}

/* A book with split payments, credit used later and a refund: the export
 * imported into a book with the same customers and bills gives the same
 * balances and the same export. */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BbDb) other = open_other_book (f, "other.db");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbInvoice) later = bb_invoice_new ();
  g_autoptr(BbCustomer) c1 = NULL;
  g_autoptr(BbCustomer) c2 = NULL;
  g_autoptr(BbCustomer) c3 = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *balances = NULL;
  g_autofree char *balances_other = NULL;
  gint64 refunded = 0;

  add_customers_and_bills (f->db);
  c1 = get_customer (f->db, "C000001");
  c2 = get_customer (f->db, "C000002");
  c3 = get_customer (f->db, "C000003");

  {
    g_autoptr(BbPayment) p = bb_payment_new ();

    p->customer_id = c1->id;
    g_free (p->received_on);
    p->received_on = g_strdup ("2026-03-10");
    p->amount = 15000;
    p->method = BB_PAYMENT_ALIPAY;
    g_free (p->reference);
    p->reference = g_strdup ("-ALI-1");
    g_assert_true (bb_payments_record (f->db, p, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  later->customer_id = c1->id;
  g_free (later->issued_on);
  later->issued_on = g_strdup ("2026-04-01");
  bb_invoice_add_line (later, "Later", 1000, 5000, 0, 0);
  g_assert_true (bb_invoices_save_draft (f->db, later, &error));
  g_assert_true (bb_invoices_submit (f->db, later->id, &error));
  g_assert_true (bb_invoices_issue (f->db, later->id, &error));
  g_assert_no_error (error);
  g_assert_true (bb_payments_apply_credit (f->db, c1->id, later->id, 1000, &error));
  g_assert_no_error (error);

  {
    g_autoptr(BbPayment) p = bb_payment_new ();
    g_autoptr(BbPayment) q = bb_payment_new ();
    g_autoptr(BbPayment) r = bb_payment_new ();
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    p->customer_id = c2->id;
    g_free (p->received_on);
    p->received_on = g_strdup ("2026-03-12");
    p->amount = 2000;
    p->method = BB_PAYMENT_BANK_TRANSFER;
    g_assert_true (bb_payments_record (f->db, p, NULL, NULL, &error));

    q->customer_id = c2->id;
    g_free (q->received_on);
    q->received_on = g_strdup ("2026-03-13");
    q->amount = 3000;
    q->method = BB_PAYMENT_CASH;
    g_assert_true (bb_payments_record (f->db, q, NULL, &refunded, &error));
    g_assert_true (bb_payments_reverse (f->db, refunded, "Paid in error", &error));

    r->customer_id = c3->id;
    g_free (r->received_on);
    r->received_on = g_strdup ("2026-03-20");
    r->amount = 999;
    r->method = BB_PAYMENT_WECHAT_PAY;
    g_free (r->reference);
    r->reference = g_strdup ("@WX");
    g_assert_true (bb_payments_record (f->db, r, none, NULL, &error));
    g_assert_no_error (error);
  }
  assert_sound (f->db);

  first = export_text (f->db);
  g_assert_cmpstr (first, ==,
                   HEADER
                   "C000001,INV-2026-0001,2026-03-10,131.08,alipay,'-ALI-1\n"
                   "C000001,INV-2026-0004,2026-03-10,10.00,alipay,'-ALI-1\n"
                   "C000001,,2026-03-10,8.92,alipay,'-ALI-1\n"
                   "C000002,INV-2026-0002,2026-03-12,20.00,bank_transfer,\n"
                   "C000003,,2026-03-20,9.99,wechat_pay,'@WX\n");

  /* A new book with the same customers and bills. */
  {
    g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
    g_autoptr(GOutputStream) bills_out = g_memory_output_stream_new_resizable ();
    g_autofree char *customers = NULL;
    g_autofree char *bills = NULL;

    g_assert_true (bb_customers_export_csv (f->db, out, NULL, &error));
    customers = stream_text (out);
    g_assert_true (bb_invoices_export_csv (f->db, bills_out, NULL, &error));
    bills = stream_text (bills_out);
    {
      g_autoptr(GBytes) c = g_bytes_new (customers, strlen (customers));
      g_autoptr(GBytes) b = g_bytes_new (bills, strlen (bills));

      g_assert_true (bb_customers_import_csv (other, c, FALSE, NULL, NULL, NULL, NULL, &error));
      g_assert_true (bb_invoices_import_csv (other, b, FALSE, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  }

  g_assert_true (import_text (other, first, FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 5);
  second = export_text (other);
  g_assert_cmpstr (second, ==, first);

  /* The same money on every bill and customer; the refunded payment is
   * not there, so only what stands is compared. */
  balances = balances_text (f->db);
  balances_other = balances_text (other);
  g_assert_cmpstr (balances_other, ==, balances);
  assert_sound (other);
}

/* Over several pages, in order of receipt, every payment once. */
static void
test_export_paged (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbDb) other = open_other_book (f, "other.db");
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const guint n = 1234;

  add_customers_and_bills (f->db);
  add_customers_and_bills (other);

  /* In the file in reverse order of dates; several share a day. */
  for (guint i = n; i >= 1; i--)
    g_string_append_printf (text, "C00000%u,,2026-%02u-%02u,%u.%02u,cash,R%05u\n",
                            1 + i % 3, 1 + (i / 28) % 12, 1 + i % 28, i, i % 100, i);
  g_assert_true (import_text (f->db, text->str, FALSE, NULL, &error));
  g_assert_no_error (error);

  first = export_text (f->db);
  {
    g_auto(GStrv) lines = g_strsplit (first, "\n", -1);
    g_autofree char *previous = g_strdup ("");
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    guint rows = 0;

    for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
      {
        g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);

        g_assert_cmpint (strcmp (previous, fields[2]), <=, 0);
        g_free (previous);
        previous = g_strdup (fields[2]);
        g_assert_true (g_hash_table_add (seen, g_strdup (fields[5])));
        rows++;
      }
    g_assert_cmpuint (rows, ==, n);
  }

  g_assert_true (import_text (other, first, FALSE, NULL, &error));
  g_assert_no_error (error);
  second = export_text (other);
  g_assert_cmpstr (second, ==, first);
}

static void
test_export_file (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autofree char *contents = NULL;
  struct stat st;

  add_customers_and_bills (f->db);
  import_good_file (f->db);

  g_assert_true (bb_payments_export_csv_to_file (f->db, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, good_export);

  /* Cancelled: the old file stays as it was. */
  g_file_set_contents (path, "old", -1, &error);
  g_assert_no_error (error);
  g_cancellable_cancel (cancelled);
  g_assert_false (bb_payments_export_csv_to_file (f->db, file, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_cmpstr (contents, ==, "old");
}

static void
test_export_empty (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *text = export_text (f->db);

  g_assert_cmpstr (text, ==, HEADER);
}

/* In a thread */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
  GThread      *main_thread;
  gboolean      progress_off_thread;
  guint         payments_changed;
} AsyncData;

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncData *ad = user_data;

  ad->result = g_object_ref (result);
  g_main_loop_quit (ad->loop);
}

static void
async_progress (guint    done,
                guint    total,
                gpointer user_data)
{
  AsyncData *ad = user_data;

  if (g_thread_self () != ad->main_thread)
    ad->progress_off_thread = TRUE;
}

static void
on_changed (BbDb       *db,
            const char *table,
            gint64      id,
            gpointer    user_data)
{
  AsyncData *ad = user_data;

  if (g_str_equal (table, "payments"))
    ad->payments_changed++;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("payments-good.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c2 = NULL;
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  AsyncData ad = { g_main_loop_new (NULL, FALSE), NULL, g_thread_self (), FALSE, 0 };
  gulong handler;

  add_customers_and_bills (f->db);
  handler = g_signal_connect (f->db, "changed", G_CALLBACK (on_changed), &ad);

  bb_payments_import_async (f->db, bytes, FALSE, async_progress, &ad, NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  g_assert_true (bb_payments_import_finish (f->db, ad.result, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 5);
  g_clear_object (&ad.result);
  g_assert_false (ad.progress_off_thread);
  g_assert_cmpuint (ad.payments_changed, ==, 1);

  /* The window's connection sees the balances. */
  c2 = get_customer (f->db, "C000002");
  g_assert_cmpint (c2->credit, ==, 100550);

  bb_payments_export_async (f->db, file, NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  g_assert_true (bb_payments_export_finish (f->db, ad.result, &error));
  g_assert_no_error (error);
  g_clear_object (&ad.result);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_cmpstr (contents, ==, good_export);

  g_signal_handler_disconnect (f->db, handler);
  g_main_loop_unref (ad.loop);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/payment-io/csv/good-file", test_good_file);
  ADD ("/payment-io/csv/bad-file", test_bad_file);
  ADD ("/payment-io/csv/bad-rows", test_bad_rows);
  ADD ("/payment-io/csv/header-problems", test_header_problems);
  ADD ("/payment-io/csv/encoding", test_encoding);
  ADD ("/payment-io/csv/dry-run", test_dry_run);
  ADD ("/payment-io/csv/cancel", test_cancel);
  ADD ("/payment-io/csv/round-trip", test_round_trip);
  ADD ("/payment-io/export/paged", test_export_paged);
  ADD ("/payment-io/export/file", test_export_file);
  ADD ("/payment-io/export/empty", test_export_empty);
  ADD ("/payment-io/async", test_async);

  return g_test_run ();
}
