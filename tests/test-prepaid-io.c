/* test-prepaid-io.c — prepaid ledgers: CSV import and export, balances
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
#include "bb-invoices.h"
#include "bb-prepaid-io.h"
#include "bb-prepaid.h"

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

#define HEADER BB_PREPAID_CSV_HEADER "\n"

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

  g_assert_true (bb_prepaid_export_csv (db, out, NULL, &error));
  g_assert_no_error (error);

  return stream_text (out);
}

static char *
balances_text (BbDb       *db,
               const char *code)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_prepaid_balances_csv (db, code, out, NULL, &error));
  g_assert_no_error (error);

  return stream_text (out);
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

  return bb_prepaid_import_csv (db, bytes, dry_run, NULL, NULL, NULL, report, error);
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

/* C000001 张三, C000002 Anna Schmidt, C000003 Walk-in Customer. */
static void
add_customers (BbDb *db)
{
  g_autoptr(GBytes) customers = load_data ("customers-good.csv");
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_customers_import_csv (db, customers, FALSE, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static BbPrepaidAccount *
find_card (BbDb       *db,
           const char *code,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = bb_customers_get_by_code (db, code, &error);
  BbPrepaidAccount *a;

  g_assert_no_error (error);
  a = bb_prepaid_find_account (db, c->id, name, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);

  return a;
}

/* C000001's card "Gift", whose money lasts @months after each top-up. */
static BbPrepaidAccount *
add_gift_card (BbDb *db,
               int   months)
{
  g_autoptr(BbCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  BbPrepaidAccount *card = bb_prepaid_account_new ();

  customer = bb_customers_get_by_code (db, "C000001", &error);
  g_assert_no_error (error);
  card->customer_id = customer->id;
  g_free (card->name);
  card->name = g_strdup ("Gift");
  card->validity = BB_PREPAID_VALIDITY_MONTHS;
  card->validity_months = months;
  g_assert_true (bb_prepaid_save_account (db, card, &error));
  g_assert_no_error (error);

  return card;
}

static const char good_export[] =
  HEADER
  "C000001,Car wash package,2026-03-02,topup,300.00,\n"
  "C000001,Car wash package,2026-03-10,charge,30.00,\"Wash, wax\"\n"
  "C000001,会员卡,2026-03-01,topup,1000.00,首充\n"
  "C000001,会员卡,2026-03-01,bonus,100.00,充1000送100\n"
  "C000001,会员卡,2026-03-05,charge,250.50,洗车 Car wash\n"
  "C000001,会员卡,2026-03-06,adjust,-0.50,Rounding\n"
  "C000002,Membership card,2026-03-03,topup,500.00,'=1+1\n"
  "C000002,Membership card,2026-03-20,refund,200.00,Moving away\n"
  "C000002,Membership card,2026-03-21,adjust,10.00,Goodwill\n"
  "C000003,Gift card,2026-01-01,topup,50.00,\n"
  "C000003,Gift card,2026-06-30,expiry,50.00,\n";

static const char good_balances[] =
  BB_PREPAID_BALANCE_CSV_HEADER "\n"
  "C000001,Car wash package,270.00,\n"
  "C000001,会员卡,849.00,\n"
  "C000002,Membership card,310.00,\n"
  "C000003,Gift card,0.00,\n";

/* Tests */

static void
test_good_file (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("prepaid-good.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbPrepaidAccount) card = NULL;
  g_autoptr(BbCustomer) anna = NULL;
  g_autofree char *text = NULL;
  g_autofree char *balances = NULL;
  g_autofree char *mine = NULL;
  gint64 audit_before;

  add_customers (f->db);
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log");

  g_assert_true (bb_prepaid_import_csv (f->db, bytes, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 11);
  g_assert_cmpuint (report->n_imported, ==, 11);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries"), ==, 11);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_accounts"), ==, 4);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_before + 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'import' AND "
                                     "table_name = 'prepaid_entries' AND detail = '11 entries, 4 new cards, from CSV'"),
                   ==, 1);
  assert_sound (f->db);

  /* History as the file has it: the bonus row is the bonus, paid-in
   * money is spent first, top-ups have method other. */
  card = find_card (f->db, "C000001", "会员卡");
  g_assert_cmpint (card->balance, ==, 84900);
  g_assert_cmpint (card->paid_in, ==, 74900);
  g_assert_cmpint (card->bonus, ==, 10000);
  g_assert_cmpint (card->points, ==, 0);
  g_assert_cmpint (card->validity, ==, BB_PREPAID_VALIDITY_NONE);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE kind = 'topup' AND method = 'other'"),
                   ==, 4);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE note = '=1+1'"), ==, 1);
  anna = bb_customers_get_by_code (f->db, "C000002", &error);
  g_assert_cmpint (anna->prepaid_balance, ==, 31000);

  text = export_text (f->db);
  g_assert_cmpstr (text, ==, good_export);
  balances = balances_text (f->db, NULL);
  g_assert_cmpstr (balances, ==, good_balances);
  mine = balances_text (f->db, "C000002");
  g_assert_cmpstr (mine, ==, BB_PREPAID_BALANCE_CSV_HEADER "\nC000002,Membership card,310.00,\n");
}

/* Export → import into a book with the same customers → export: the
 * same file, the same balances; what the window wrote (bonus rule,
 * points redeemed, a bill paid and taken back, an expiry) included. */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BbDb) copy = open_other_book (f, "copy.db");
  g_autoptr(BbPrepaidAccount) a = bb_prepaid_account_new ();
  g_autoptr(BbCustomer) zhang = NULL;
  g_autoptr(BbInvoice) bill = bb_invoice_new ();
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *balances = NULL;
  g_autofree char *copy_balances = NULL;
  gint64 paid = 0;
  GDate day;

  add_customers (f->db);
  add_customers (copy);
  zhang = bb_customers_get_by_code (f->db, "C000001", &error);
  g_assert_no_error (error);

  a->customer_id = zhang->id;
  g_free (a->name);
  a->name = g_strdup ("=Membership, card");
  a->validity = BB_PREPAID_VALIDITY_MONTHS;
  a->validity_months = 6;
  a->bonus_threshold = 50000;
  a->bonus_amount = 5000;
  a->points_per_unit = 1;
  a->redeem_points = 100;
  a->redeem_value = 500;
  g_assert_true (bb_prepaid_save_account (f->db, a, &error));
  g_assert_no_error (error);

  bill->customer_id = zhang->id;
  g_free (bill->issued_on);
  bill->issued_on = g_strdup ("2026-01-20");
  bb_invoice_add_line (bill, "Service", 1000, 12000, 0, 0);
  g_assert_true (bb_invoices_save_draft (f->db, bill, &error));
  g_assert_true (bb_invoices_submit (f->db, bill->id, &error));
  g_assert_true (bb_invoices_issue (f->db, bill->id, &error));

  g_assert_true (bb_prepaid_top_up (f->db, a->id, "2026-01-10", 100000, BB_PAYMENT_ALIPAY, "First", NULL, &error));
  g_assert_true (bb_prepaid_charge (f->db, a->id, "2026-01-15", 20000, NULL, NULL, &error));
  g_assert_true (bb_prepaid_pay_bill (f->db, a->id, bill->id, "2026-01-21", 12000, &paid, &error));
  g_assert_true (bb_prepaid_redeem_points (f->db, a->id, "2026-01-22", 300, NULL, NULL, &error));
  g_assert_true (bb_prepaid_reverse_charge (f->db, paid, "2026-01-23", "Paid in cash instead", NULL, &error));
  g_assert_true (bb_prepaid_refund (f->db, a->id, "2026-01-24", 1000, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_no_error (error);
  g_date_set_dmy (&day, 1, 8, 2026);
  g_assert_true (bb_prepaid_expire (f->db, &day, NULL, &error));
  g_assert_no_error (error);
  assert_sound (f->db);

  first = export_text (f->db);
  g_assert_cmpstr (first, ==,
                   HEADER
                   "C000001,\"'=Membership, card\",2026-01-10,topup,1000.00,First\n"
                   "C000001,\"'=Membership, card\",2026-01-10,bonus,100.00,\n"
                   "C000001,\"'=Membership, card\",2026-01-15,charge,200.00,\n"
                   "C000001,\"'=Membership, card\",2026-01-21,charge,120.00,INV-2026-0001\n"
                   "C000001,\"'=Membership, card\",2026-01-22,bonus,15.00,\n"
                   "C000001,\"'=Membership, card\",2026-01-23,adjust,120.00,Paid in cash instead\n"
                   "C000001,\"'=Membership, card\",2026-01-24,refund,10.00,\n"
                   "C000001,\"'=Membership, card\",2026-07-10,expiry,905.00,\n");

  g_assert_true (import_text (copy, first, FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 8);
  assert_sound (copy);
  second = export_text (copy);
  g_assert_cmpstr (second, ==, first);

  /* The same money; the terms (here the months of validity) are not in
   * the file. */
  balances = balances_text (f->db, NULL);
  copy_balances = balances_text (copy, NULL);
  g_assert_cmpstr (balances, ==, BB_PREPAID_BALANCE_CSV_HEADER "\nC000001,\"'=Membership, card\",0.00,2026-07-10\n");
  g_assert_cmpstr (copy_balances, ==, BB_PREPAID_BALANCE_CSV_HEADER "\nC000001,\"'=Membership, card\",0.00,\n");
}

typedef struct
{
  guint       line;
  const char *field;
  const char *message;
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

      g_assert_cmpuint (p->line, ==, expected[i].line);
      g_assert_cmpstr (p->field, ==, expected[i].field);
      g_assert_cmpstr (p->message, ==, expected[i].message);
    }
}

/* Every bad row named by line and column; nothing imported. */
static void
test_bad_file (Fixture       *f,
               gconstpointer  data)
{
  static const Expected expected[] = {
    { 3, "amount", "Line 3, amount: ¥100.01 is more than the balance of ¥100.00 on 会员卡" },
    { 4, "date", "Line 4, date: 2026-02-30 does not exist" },
    { 5, "amount", "Line 5, amount: “-5.00” is not more than zero; the kind gives the direction (only adjust is signed)" },
    { 6, "kind", "Line 6, kind: “redeem” is not one of topup, bonus, charge, refund, expiry, adjust" },
    { 7, "customer_code", "Line 7, customer_code: no customer has the code “NOPE”" },
    { 8, "account", "Line 8, account: needed; give the card’s name, such as “Membership card”" },
    { 9, "amount", "Line 9, amount: an adjustment of nothing changes nothing" },
    { 10, "note", "Line 10, note: say why the balance is adjusted" },
    { 11, "amount", "Line 11, amount: an expiry writes off the whole balance, ¥100.00" },
    { 12, "amount", "Line 12, amount: “10.005” has more decimals than CNY allows (2)" },
    { 13, "kind", "Line 13, kind: needed; one of topup, bonus, charge, refund, expiry, adjust" },
    { 15, "amount", "Line 15, amount: ¥1.00 is more than the balance of ¥0.00 on 会员卡" },
    { 18, "date", "Line 18, date: 2026-06-01 is before the card’s money expired on 2026-06-30; "
                  "nothing can be dated before that" },
    { 19, NULL, "Line 19: the row has more fields than the header has columns; "
                "is a field with a comma missing its quotes?" },
  };
  g_autoptr(GBytes) bytes = load_data ("prepaid-bad.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 audit_before;

  add_customers (f->db);
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log");

  g_assert_false (bb_prepaid_import_csv (f->db, bytes, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "14 rows have problems; nothing was imported");
  g_assert_cmpuint (report->n_rows, ==, 18);
  g_assert_cmpuint (report->n_imported, ==, 0);
  assert_problems (report, expected, G_N_ELEMENTS (expected));

  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_accounts"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_before);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE prepaid_balance <> 0"), ==, 0);
  assert_sound (f->db);

  /* The same rows again, in a dry run: the same report. */
  g_clear_pointer (&report, bb_import_report_free);
  g_clear_error (&error);
  g_assert_false (bb_prepaid_import_csv (f->db, bytes, TRUE, NULL, NULL, NULL, &report, &error));
  g_assert_cmpuint (report->problems->len, ==, G_N_ELEMENTS (expected));
}

static gint64
total_changes (BbDb *db)
{
  return sqlite3_total_changes64 (_bb_db_get_handle (db));
}

/* The rows are checked against the cards as the rows above them leave
 * them, in memory: nothing is written, not even for a while, unless the
 * whole file is good. */
static void
test_check_writes_nothing (Fixture       *f,
                           gconstpointer  data)
{
  static const char rows[] =
    HEADER
    "C000001,Gift,2026-03-01,topup,50.00,Renews the card\n"
    "C000001,Gift,2026-03-02,charge,50.00,All of it\n"
    "C000001,Gift,2026-03-03,charge,0.01,\n"
    "C000001,New card,2026-03-04,charge,1.00,\n"
    "C000001,New card,2026-03-05,topup,5.00,\n"
    "C000001,Gift,2026-04-01,charge,1.00,\n";
  static const Expected expected[] = {
    { 4, "amount", "Line 4, amount: ¥0.01 is more than the balance of ¥0.00 on Gift" },
    { 5, "amount", "Line 5, amount: ¥1.00 is more than the balance of ¥0.00 on New card" },
    { 7, "date", "Line 7, date: the card’s money expired on 2026-04-01; a top-up renews the card" },
  };
  static const char good_rows[] =
    HEADER
    "C000001,Gift,2026-03-01,topup,50.00,Renews the card\n"
    "C000001,Gift,2026-03-02,charge,50.00,All of it\n"
    "C000001,New card,2026-03-05,topup,5.00,\n";
  g_autoptr(BbPrepaidAccount) card = NULL;
  g_autoptr(BbPrepaidAccount) after = NULL;
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 changes;

  add_customers (f->db);
  card = add_gift_card (f->db, 1);
  g_assert_true (bb_prepaid_top_up (f->db, card->id, "2026-01-10", 10000, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_no_error (error);

  for (int dry_run = 0; dry_run <= 1; dry_run++)
    {
      changes = total_changes (f->db);
      g_assert_false (import_text (f->db, rows, dry_run, &report, &error));
      g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, "3 rows have problems; nothing was imported");
      assert_problems (report, expected, G_N_ELEMENTS (expected));
      g_assert_cmpint (total_changes (f->db), ==, changes);
      g_clear_pointer (&report, bb_import_report_free);
      g_clear_error (&error);
    }

  changes = total_changes (f->db);
  g_assert_true (import_text (f->db, good_rows, TRUE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (total_changes (f->db), ==, changes);
  g_clear_pointer (&report, bb_import_report_free);

  /* For real: the renewing top-up writes off the old money first. */
  g_assert_true (import_text (f->db, good_rows, FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 3);
  assert_sound (f->db);
  text = export_text (f->db);
  g_assert_cmpstr (text, ==,
                   HEADER
                   "C000001,Gift,2026-01-10,topup,100.00,\n"
                   "C000001,Gift,2026-02-10,expiry,100.00,\n"
                   "C000001,Gift,2026-03-01,topup,50.00,Renews the card\n"
                   "C000001,Gift,2026-03-02,charge,50.00,All of it\n"
                   "C000001,New card,2026-03-05,topup,5.00,\n");
  after = find_card (f->db, "C000001", "Gift");
  g_assert_cmpint (after->balance, ==, 0);
  g_assert_cmpstr (after->expires_on, ==, "2026-04-01");
}

/* Rows out of date order: a months card expires by its top-up with the
 * latest date, in memory as in the book; a top-up dated so far back
 * that its money would have expired before the next top-up is refused. */
static void
test_out_of_order (Fixture       *f,
                   gconstpointer  data)
{
  static const char rows[] =
    HEADER
    "C000001,Gift,2026-03-10,topup,100.00,\n"
    "C000001,Gift,2026-03-15,charge,20.00,\n"
    "C000001,Gift,2026-02-01,topup,50.00,Entered late\n"
    "C000001,Gift,2026-03-12,charge,10.00,Entered late too\n"
    "C000001,Gift,2025-09-01,topup,5.00,Earlier still\n";
  static const char too_early[] =
    HEADER
    "C000001,Gift,2026-03-10,topup,100.00,\n"
    "C000001,Gift,2026-02-01,topup,50.00,\n"
    "C000001,Gift,2025-06-01,topup,5.00,\n";
  static const Expected expected[] = {
    { 4, "date", "Line 4, date: money topped up on 2025-06-01 would have expired on 2025-12-01, before the "
                 "card’s next top-up on 2026-02-01; a top-up cannot be dated that far back" },
  };
  g_autoptr(BbPrepaidAccount) card = NULL;
  g_autoptr(BbPrepaidAccount) after = NULL;
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  add_customers (f->db);
  card = add_gift_card (f->db, 6);

  g_assert_false (import_text (f->db, too_early, FALSE, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  assert_problems (report, expected, G_N_ELEMENTS (expected));
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries"), ==, 0);
  g_clear_pointer (&report, bb_import_report_free);
  g_clear_error (&error);

  g_assert_true (import_text (f->db, rows, FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 5);
  assert_sound (f->db);
  after = find_card (f->db, "C000001", "Gift");
  g_assert_cmpint (after->balance, ==, 12500);
  g_assert_cmpstr (after->expires_on, ==, "2026-09-10");
  g_assert_cmpstr (after->last_used_on, ==, "2026-03-15");
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE kind = 'expiry'"), ==, 0);
}

static void
test_header (Fixture       *f,
             gconstpointer  data)
{
  static const Expected expected[] = {
    { 1, "memo", "Line 1: unknown column “memo”; the columns are customer_code, account, date, kind, amount, note" },
    { 1, "note", "Line 1: missing column “note”" },
  };
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  add_customers (f->db);
  g_assert_false (import_text (f->db,
                               "Customer_Code,account,date,kind,amount,memo\n"
                               "C000001,Card,2026-03-01,topup,10.00,x\n",
                               FALSE, &report, &error));
  g_assert_cmpstr (error->message, ==, "The header row has problems; nothing was imported");
  assert_problems (report, expected, G_N_ELEMENTS (expected));
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries"), ==, 0);
  g_clear_pointer (&report, bb_import_report_free);
  g_clear_error (&error);

  g_assert_false (import_text (f->db, "", FALSE, &report, &error));
  g_assert_true (g_str_has_prefix (error->message, "The file is empty"));
  g_clear_error (&error);

  /* Only the header: nothing to do, and fine. */
  g_assert_true (import_text (f->db, HEADER, FALSE, NULL, &error));
  g_assert_no_error (error);
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("prepaid-good.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  add_customers (f->db);
  g_assert_true (bb_prepaid_import_csv (f->db, bytes, TRUE, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 11);
  g_assert_cmpuint (report->n_imported, ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_accounts"), ==, 0);
  assert_sound (f->db);
}

static void
test_balances_unknown_customer (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = NULL;

  add_customers (f->db);
  g_assert_false (bb_prepaid_balances_csv (f->db, "NOPE", out, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "No customer has the code “NOPE”");

  empty = balances_text (f->db, "C000003");
  g_assert_cmpstr (empty, ==, BB_PREPAID_BALANCE_CSV_HEADER "\n");
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_prepaid_import_finish (BB_DB (source), result, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 11);
  g_main_loop_quit (loop);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_prepaid_export_finish (BB_DB (source), result, &error));
  g_assert_no_error (error);
  g_main_loop_quit (loop);
}

/* In a thread, with a connection of its own; the file is private. */
static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("prepaid-good.csv");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *path = g_build_filename (f->dir, "prepaid.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  add_customers (f->db);
  bb_prepaid_import_async (f->db, bytes, FALSE, NULL, NULL, NULL, on_imported, loop);
  g_main_loop_run (loop);

  bb_prepaid_export_async (f->db, file, NULL, on_exported, loop);
  g_main_loop_run (loop);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, good_export);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
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

  ADD ("/prepaid-io/good-file", test_good_file);
  ADD ("/prepaid-io/round-trip", test_round_trip);
  ADD ("/prepaid-io/bad-file", test_bad_file);
  ADD ("/prepaid-io/check-writes-nothing", test_check_writes_nothing);
  ADD ("/prepaid-io/out-of-order", test_out_of_order);
  ADD ("/prepaid-io/header", test_header);
  ADD ("/prepaid-io/dry-run", test_dry_run);
  ADD ("/prepaid-io/balances/unknown-customer", test_balances_unknown_customer);
  ADD ("/prepaid-io/async", test_async);

  return g_test_run ();
}
