/* test-demo.c — sample data: reproducible, valid, searchable, all or nothing;
 * bills with core's totals and numbers without gaps; payments whose kept
 * sums agree with the money rows
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "bb-check.h"
#include "bb-customers-private.h"
#include "bb-db-private.h"
#include "bb-demo.h"
#include "bb-invoices.h"
#include "bb-payments.h"
#include "bb-prepaid.h"
#include "bb-text.h"

#define TODAY "2026-03-15"
/* The last weeks, when bills may still be drafts or in review. */
#define RECENT "2026-02-23"

typedef struct
{
  char *dir;
  BbDb *db;
} Fixture;

static BbDb *
open_book (Fixture    *f,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  BbDb *db = bb_db_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-demo-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = open_book (f, "book.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->db);

  dir = g_dir_open (f->dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
generate_bills (BbDb       *db,
                guint       n_customers,
                guint       n_invoices,
                guint64     seed,
                const char *today)
{
  g_autoptr(GError) error = NULL;
  BbDemoOptions options = { n_customers, n_invoices, seed, today };
  gboolean ok = bb_demo_generate (db, &options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

/* With the usual six bills a customer. */
static void
generate (BbDb       *db,
          guint       n_customers,
          guint64     seed,
          const char *today)
{
  generate_bills (db, n_customers, 0, seed, today);
}

static gint64
query_int (BbDb       *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* A digest of every row and column that @sql returns, types included. */
static void
checksum_add_query (GChecksum  *sum,
                    BbDb       *db,
                    const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          guchar type = (guchar) ('0' + sqlite3_column_type (stmt, i));

          g_checksum_update (sum, &type, 1);
          if (sqlite3_column_type (stmt, i) != SQLITE_NULL)
            {
              const guchar *text = sqlite3_column_text (stmt, i);

              g_checksum_update (sum, text, sqlite3_column_bytes (stmt, i));
            }
          g_checksum_update (sum, (const guchar *) "\x1f", 1);
        }
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  sqlite3_finalize (stmt);
}

/* The customers and what belongs to them, without bills. */
static char *
customers_checksum (BbDb *db)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  checksum_add_query (sum, db, "SELECT id, code, name, company, phone, email, address, tax_id, "
                               "credit_limit, payment_terms_days, tags, notes, created_at, updated_at, "
                               "reviewed_on, archived, search_text FROM customers ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM interactions ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM customer_fields ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM customer_field_values ORDER BY customer_id, field_id");

  return g_strdup (g_checksum_get_string (sum));
}

static char *
book_checksum (BbDb *db)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  checksum_add_query (sum, db, "SELECT * FROM customers ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM interactions ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM customer_fields ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM customer_field_values ORDER BY customer_id, field_id");
  checksum_add_query (sum, db, "SELECT * FROM invoices ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM invoice_lines ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM payments ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM payment_allocations ORDER BY id");
  checksum_add_query (sum, db, "SELECT id, customer_id, name, validity, expires_on, balance, paid_in, bonus, "
                               "points, last_used_on FROM prepaid_accounts ORDER BY id");
  checksum_add_query (sum, db, "SELECT id, account_id, occurred_on, kind, amount, bonus_part, points, method, "
                               "note FROM prepaid_entries ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM settings ORDER BY key");
  /* The audit rows but for their real time. */
  checksum_add_query (sum, db, "SELECT id, action, table_name, record_id, detail FROM audit_log ORDER BY id");

  return g_strdup (g_checksum_get_string (sum));
}

static void
test_reproducible (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbDb) other = open_book (f, "other.db");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  generate (f->db, 200, 42, TODAY);
  generate (other, 200, 42, TODAY);

  a = book_checksum (f->db);
  b = book_checksum (other);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices"), ==, 1200);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoice_lines"), >, 1200);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments"), >, 800);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations"), >, 800);
}

/* Bills draw apart from customers: a seed makes the same customers
 * whatever the number of bills. */
static void
test_bills_leave_customers (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BbDb) other = open_book (f, "other.db");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;

  generate (f->db, 100, 3, TODAY);
  generate_bills (other, 100, 17, 3, TODAY);

  a = customers_checksum (f->db);
  b = customers_checksum (other);
  g_assert_cmpstr (a, ==, b);

  c = book_checksum (f->db);
  d = book_checksum (other);
  g_assert_cmpstr (c, !=, d);
  g_assert_cmpint (query_int (other, "SELECT count(*) FROM invoices"), ==, 17);
}

static void
test_seed_matters (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbDb) other = open_book (f, "other.db");
  g_autoptr(BbDb) third = open_book (f, "third.db");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  generate (f->db, 50, 1, TODAY);
  generate (other, 50, 2, TODAY);
  generate (third, 50, 1, "2026-03-16");

  a = book_checksum (f->db);
  b = book_checksum (other);
  c = book_checksum (third);
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (a, !=, c);
}

static void
test_counts (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *next_code = NULL;
  g_auto(GStrv) fields = NULL;
  sqlite3_stmt *stmt = NULL;
  guint expected = 1;
  guint n_class_c = 0;

  generate (f->db, 500, 7, TODAY);

  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers"), ==, 500);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices"), ==, 3000);
  next_code = bb_db_get_setting (f->db, "customers.next_code");
  g_assert_cmpstr (next_code, ==, "501");

  /* Codes C000001… in the order of the rows, created in that order. */
  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (f->db),
                                       "SELECT code, created_at, class, class_override, id FROM customers ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  {
    g_autofree char *previous = g_strdup ("");

    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_autofree char *code = g_strdup_printf ("C%06u", expected++);
        const char *created = (const char *) sqlite3_column_text (stmt, 1);

        g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, code);
        g_assert_cmpstr (created, >, previous);
        g_assert_cmpstr (created, >=, "2016-03-14");
        g_assert_cmpstr (created, <, TODAY);
        /* The class the rule gives on the book's today */
        {
          GDate today;
          char expected_class;

          g_assert_true (bb_date_parse (TODAY, "today", &today, NULL));
          expected_class = bb_customers_compute_class (f->db, sqlite3_column_int64 (stmt, 4), &today, NULL);
          g_assert_cmpint (((const char *) sqlite3_column_text (stmt, 2))[0], ==, expected_class);
          n_class_c += expected_class == 'C';
        }
        g_assert_cmpint (sqlite3_column_type (stmt, 3), ==, SQLITE_NULL);
        g_free (previous);
        previous = g_strdup (created);
      }
  }
  sqlite3_finalize (stmt);
  /* Some customers have a bill more than a week overdue: they are C. */
  g_assert_cmpuint (n_class_c, >, 0);

  /* 0–6 interactions each, within the last two years. */
  g_assert_cmpint (query_int (f->db, "SELECT max(n) FROM (SELECT count(*) AS n FROM interactions GROUP BY customer_id)"), <=, 6);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interactions"), >, 500);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interactions WHERE occurred_on < '2024-03-15' OR occurred_on > '" TODAY "'"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interactions i JOIN customers c ON c.id = i.customer_id "
                                     "WHERE i.occurred_on < substr(c.created_at, 1, 10)"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interactions WHERE follow_up_on < occurred_on"), ==, 0);

  /* Follow-ups for the reminders: about a tenth, due in the next 30 days. */
  {
    gint64 pending = query_int (f->db, "SELECT count(*) FROM interactions WHERE follow_up_done = 0 "
                                       "AND follow_up_on BETWEEN '" TODAY "' AND date('" TODAY "', '+30 days')");
    gint64 all = query_int (f->db, "SELECT count(*) FROM interactions");

    g_assert_cmpint (pending * 100, >=, all * 6);
    g_assert_cmpint (pending * 100, <=, all * 16);
  }

  /* Both kinds of text, every channel and kind. */
  g_assert_cmpint (query_int (f->db, "SELECT count(DISTINCT channel) FROM interactions"), ==, 6);
  g_assert_cmpint (query_int (f->db, "SELECT count(DISTINCT kind) FROM interactions"), ==, 4);

  /* Custom fields, and values for some customers. */
  fields = bb_customer_fields_list (f->db);
  g_assert_true (g_strv_contains ((const char * const *) fields, "Birthday"));
  g_assert_true (g_strv_contains ((const char * const *) fields, "WeChat ID"));
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customer_field_values v JOIN customer_fields f "
                                     "ON f.id = v.field_id WHERE f.name = 'Birthday'"), >, 50);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customer_field_values v JOIN customer_fields f "
                                     "ON f.id = v.field_id WHERE f.name = 'WeChat ID'"), >, 50);

  /* Proportions of a small shop's book. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE email <> ''"), >, 250);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE company <> ''"), >, 100);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE credit_limit > 0"), >, 25);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE credit_limit > 0 "
                                     "AND (credit_limit < 500000 OR credit_limit > 5000000)"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE payment_terms_days NOT IN (0, 7, 15, 30, 60)"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE tags <> ''"), >, 100);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE notes <> ''"), >, 50);

  /* One audit row each for the customers, the bills and the payments of
   * the run. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'demo' "
                                     "AND table_name = 'customers' AND record_id = 0 AND detail = '500 customers'"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'demo' "
                                     "AND table_name = 'invoices' AND record_id = 0 AND detail = '3000 bills'"), ==, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE action = 'demo' "
                                            "AND table_name = 'payments' AND record_id = 0 "
                                            "AND detail = '%" G_GINT64_FORMAT " payments'",
                                            query_int (f->db, "SELECT count(*) FROM payments"));

    g_assert_cmpint (query_int (f->db, sql), ==, 1);
  }
  /* Prepaid cards and recurring charges are made through core's calls,
   * each of which writes its own audit row, as in the window. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE table_name NOT IN "
                                     "('prepaid_accounts', 'prepaid_entries', 'recurring_charges')"), ==, 3);

  g_assert_true (bb_db_check (f->db, NULL, NULL));
}

static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;

  return FALSE;
}

static void
test_names (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint chinese = 0, latin = 0;

  generate (f->db, 50, 1, TODAY);

  for (gint64 id = 1; id <= 50; id++)
    {
      g_autoptr(BbCustomer) c = bb_customers_get (f->db, id, &error);

      g_assert_no_error (error);
      if (has_han (c->name))
        chinese++;
      else if (g_ascii_isalpha (c->name[0]))
        latin++;
    }

  g_assert_cmpuint (chinese, >=, 1);
  g_assert_cmpuint (latin, >=, 1);
  g_assert_cmpuint (chinese + latin, ==, 50);
}

/* Every bill of a small book: its stored totals and lines are what core
 * computes from its lines, its dates follow the customer, and its text
 * is in the customer's language. */
static void
test_bills (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0, chinese_bills = 0, latin_bills = 0;

  generate (f->db, 50, 1, TODAY);

  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices"), ==, 300);

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (f->db),
                                       "SELECT i.id, c.payment_terms_days, substr(c.created_at, 1, 10) "
                                       "FROM invoices i JOIN customers c ON c.id = i.customer_id ORDER BY i.id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(BbInvoice) inv = bb_invoices_get (f->db, sqlite3_column_int64 (stmt, 0), &error);
      g_autoptr(BbCustomer) customer = NULL;
      g_autofree BbMoney *stored_net = NULL;
      g_autofree BbMoney *stored_tax = NULL;
      BbMoney subtotal, discount_total, tax_total, total, open_balance;
      GDate issued, due;
      gboolean chinese;

      g_assert_no_error (error);
      g_assert_nonnull (inv);
      customer = bb_customers_get (f->db, inv->customer_id, &error);
      g_assert_no_error (error);
      chinese = has_han (customer->name);

      /* 1–5 lines; the stored totals are core's, to the cent. */
      g_assert_cmpuint (inv->lines->len, >=, 1);
      g_assert_cmpuint (inv->lines->len, <=, 5);
      stored_net = g_new (BbMoney, inv->lines->len);
      stored_tax = g_new (BbMoney, inv->lines->len);
      for (guint i = 0; i < inv->lines->len; i++)
        {
          BbInvoiceLine *line = g_ptr_array_index (inv->lines, i);

          stored_net[i] = line->net;
          stored_tax[i] = line->tax;
          g_assert_cmpint (line->quantity, >, 0);
          g_assert_cmpint (line->unit_price, >=, 500);
          g_assert_cmpint (line->unit_price, <=, 200000);
          g_assert_true (line->discount == 0 || line->discount == 500 || line->discount == 1000);
          g_assert_true (line->tax_rate == 0 || line->tax_rate == 600 ||
                         line->tax_rate == 900 || line->tax_rate == 1300);
          g_assert_true (bb_text_validate (line->description, "description", 1000, FALSE, NULL));
          /* Chinese customers get Chinese descriptions, others English. */
          g_assert_cmpint (has_han (line->description), ==, chinese);
        }
      subtotal = inv->subtotal;
      discount_total = inv->discount_total;
      tax_total = inv->tax_total;
      total = inv->total;
      open_balance = inv->open_balance;

      g_assert_true (bb_invoice_compute_totals (inv, &error));
      g_assert_no_error (error);
      g_assert_cmpint (inv->subtotal, ==, subtotal);
      g_assert_cmpint (inv->discount_total, ==, discount_total);
      g_assert_cmpint (inv->tax_total, ==, tax_total);
      g_assert_cmpint (inv->total, ==, total);
      g_assert_cmpint (total, >, 0);
      for (guint i = 0; i < inv->lines->len; i++)
        {
          BbInvoiceLine *line = g_ptr_array_index (inv->lines, i);

          g_assert_cmpint (line->net, ==, stored_net[i]);
          g_assert_cmpint (line->tax, ==, stored_tax[i]);
        }

      /* Paid by its allocations, and only when issued. */
      {
        g_autofree char *sql = g_strdup_printf ("SELECT coalesce(sum(amount), 0) FROM payment_allocations "
                                                "WHERE invoice_id = %" G_GINT64_FORMAT, inv->id);

        g_assert_cmpint (inv->paid, ==, query_int (f->db, sql));
      }
      g_assert_cmpint (inv->paid, >=, 0);
      g_assert_cmpint (inv->paid, <=, total);
      if (inv->status != BB_INVOICE_ISSUED)
        g_assert_cmpint (inv->paid, ==, 0);
      g_assert_cmpint (open_balance, ==, inv->status == BB_INVOICE_VOID ? 0 : total - inv->paid);

      /* Issued in the ten years before today, not before the customer
       * was; due after the customer's terms. */
      g_assert_true (bb_date_parse (inv->issued_on, "issued", &issued, NULL));
      g_assert_true (bb_date_parse (inv->due_on, "due", &due, NULL));
      g_assert_cmpstr (inv->issued_on, >=, "2016-03-14");
      g_assert_cmpstr (inv->issued_on, <=, TODAY);
      g_assert_cmpstr (inv->issued_on, >=, (const char *) sqlite3_column_text (stmt, 2));
      g_assert_cmpint (g_date_days_between (&issued, &due), ==, sqlite3_column_int (stmt, 1));

      g_assert_cmpstr (inv->currency, ==, "CNY");
      g_assert_true (bb_text_validate (inv->notes, "notes", 5000, TRUE, NULL));
      g_assert_cmpint (inv->kind, ==, BB_INVOICE_KIND_INVOICE);
      if (inv->status == BB_INVOICE_VOID)
        {
          g_assert_nonnull (inv->void_reason);
          g_assert_cmpint (has_han (inv->void_reason), ==, chinese);
        }
      else
        g_assert_null (inv->void_reason);

      if (chinese)
        chinese_bills++;
      else
        latin_bills++;
      n++;
    }
  sqlite3_finalize (stmt);

  g_assert_cmpuint (n, ==, 300);
  g_assert_cmpuint (chinese_bills, >, 0);
  g_assert_cmpuint (latin_bills, >, 0);
  g_assert_true (bb_db_check (f->db, NULL, NULL));
}

/* Numbers from the book's pattern, in issue-date order, 1…N in each year
 * without gaps; the sequence of the year kept where issuing goes on. */
static void
test_bill_numbers (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbInvoice) inv = bb_invoice_new ();
  g_autoptr(BbCustomer) customer = NULL;
  g_autofree char *seq_2026 = NULL;
  g_autofree char *next = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *previous_date = g_strdup ("");
  sqlite3_stmt *stmt = NULL;
  int year = 0;
  gint64 seq = 0;
  guint years = 0;

  generate (f->db, 300, 4, TODAY);

  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status IN ('draft', 'review') "
                                     "AND number IS NOT NULL"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status IN ('issued', 'void') "
                                     "AND number IS NULL"), ==, 0);

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (f->db),
                                       "SELECT number, issued_on FROM invoices WHERE number IS NOT NULL "
                                       "ORDER BY issued_on, id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *number = (const char *) sqlite3_column_text (stmt, 0);
      const char *issued_on = (const char *) sqlite3_column_text (stmt, 1);
      int y = (int) g_ascii_strtoll (issued_on, NULL, 10);
      g_autofree char *expected = NULL;

      if (y != year)
        {
          g_autofree char *key = NULL;
          g_autofree char *stored = NULL;

          /* The year before ended on its stored sequence. */
          if (year != 0)
            {
              key = g_strdup_printf ("billing.seq.%04d", year);
              stored = bb_db_get_setting (f->db, key);
              g_assert_cmpint (g_ascii_strtoll (stored, NULL, 10), ==, seq);
            }
          year = y;
          seq = 0;
          years++;
        }

      expected = bb_invoices_format_number (BB_INVOICE_DEFAULT_PATTERN, year, ++seq, NULL);
      g_assert_cmpstr (number, ==, expected);
      g_assert_cmpstr (issued_on, >=, previous_date);
      g_free (previous_date);
      previous_date = g_strdup (issued_on);
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (year, ==, 2026);
  g_assert_cmpuint (years, >=, 9);
  seq_2026 = bb_db_get_setting (f->db, "billing.seq.2026");
  g_assert_cmpint (g_ascii_strtoll (seq_2026, NULL, 10), ==, seq);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM settings WHERE key LIKE 'billing.seq.%'"), ==, years);

  /* The next bill issued this year takes the next number. */
  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (f->db),
                                       "SELECT id FROM customers WHERE address <> '' AND phone <> '' "
                                       "ORDER BY id LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  inv->customer_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  g_free (inv->issued_on);
  inv->issued_on = g_strdup (TODAY);
  bb_invoice_add_line (inv, "洗车", BB_QUANTITY_ONE, 5000, 0, 600);
  g_assert_true (bb_invoices_save_draft (f->db, inv, &error));
  g_assert_no_error (error);
  g_assert_true (bb_invoices_submit (f->db, inv->id, &error));
  g_assert_no_error (error);
  g_assert_true (bb_invoices_issue (f->db, inv->id, &error));
  g_assert_no_error (error);

  g_clear_object (&inv);
  next = bb_invoices_format_number (BB_INVOICE_DEFAULT_PATTERN, 2026, seq + 1, NULL);
  inv = bb_invoices_get_by_number (f->db, next, &error);
  g_assert_no_error (error);
  g_assert_nonnull (inv);

  /* Issuing kept the customer's outstanding in step with the demo's. */
  customer = bb_customers_get (f->db, inv->customer_id, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT sum(open_balance) FROM invoices WHERE status = 'issued' "
                         "AND customer_id = %" G_GINT64_FORMAT, customer->id);
  g_assert_cmpint (customer->outstanding, ==, query_int (f->db, sql));
  g_assert_cmpint (customer->outstanding, >=, inv->total);
}

/* The states, prices, quantities and taxes of a shop's book; what each
 * customer owes; more recent years busier. */
static void
test_bill_mix (Fixture       *f,
               gconstpointer  data)
{
  gint64 all, void_bills, recent, oldest_year, last_year;

  generate (f->db, 500, 7, TODAY);
  all = query_int (f->db, "SELECT count(*) FROM invoices");
  g_assert_cmpint (all, ==, 3000);

  /* Every state; drafts and bills in review only in the last weeks,
   * about one in ten of those a draft; about 2 % void, with a reason. */
  g_assert_cmpint (query_int (f->db, "SELECT count(DISTINCT status) FROM invoices"), ==, 4);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status IN ('draft', 'review') "
                                     "AND issued_on < '" RECENT "'"), ==, 0);
  recent = query_int (f->db, "SELECT count(*) FROM invoices WHERE issued_on >= '" RECENT "'");
  g_assert_cmpint (recent, >=, 10);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'draft'") * 100, >=, recent * 3);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'draft'") * 100, <=, recent * 25);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'review'"), >=, 1);
  void_bills = query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'void'");
  g_assert_cmpint (void_bills * 1000, >=, all * 10);
  g_assert_cmpint (void_bills * 1000, <=, all * 35);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'void' "
                                     "AND void_reason NOT IN ('Wrong customer', 'Duplicate bill', 'Wrong amount', "
                                     "'开错了', '重复开票', '金额有误')"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE void_reason IN ('Wrong customer', '开错了')"), >, 0);

  /* Fractional quantities (0.5, 1.25 kg…), discounts, and each tax rate. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoice_lines WHERE quantity % 1000 <> 0"), >, 50);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoice_lines WHERE quantity = 500"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoice_lines WHERE quantity = 1250"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(DISTINCT discount) FROM invoice_lines"), ==, 3);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoice_lines WHERE discount > 0"), <, all / 2);
  g_assert_cmpint (query_int (f->db, "SELECT count(DISTINCT tax_rate) FROM invoice_lines"), ==, 4);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoice_lines WHERE tax_rate NOT IN (0, 600, 900, 1300)"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT min(unit_price) FROM invoice_lines"), >=, 500);
  g_assert_cmpint (query_int (f->db, "SELECT max(unit_price) FROM invoice_lines"), <=, 200000);
  g_assert_cmpint (query_int (f->db, "SELECT count(DISTINCT description) FROM invoice_lines"), >=, 40);

  /* What each customer owes is the sum of their issued bills. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers c WHERE outstanding <> "
                                     "(SELECT coalesce(sum(open_balance), 0) FROM invoices "
                                     " WHERE customer_id = c.id AND status = 'issued')"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT sum(outstanding) FROM customers"), ==,
                   query_int (f->db, "SELECT sum(total - paid) FROM invoices WHERE status = 'issued'"));
  /* Some owe, most do not. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE outstanding > 0"), >, 25);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE outstanding > 0"), <, 250);

  /* Archived customers stopped buying at least a year ago. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices i JOIN customers c ON c.id = i.customer_id "
                                     "WHERE c.archived AND i.issued_on > '2025-03-15'"), ==, 0);

  /* The shop grew: the last year has several times the bills of the first. */
  oldest_year = query_int (f->db, "SELECT count(*) FROM invoices WHERE issued_on < '2017-03-15'");
  last_year = query_int (f->db, "SELECT count(*) FROM invoices WHERE issued_on > '2025-03-15'");
  g_assert_cmpint (last_year, >, 4 * oldest_year);
  g_assert_cmpint (last_year, <, all / 3);

  /* Ids follow the issue dates, as they do when bills are written one
   * by one. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices a JOIN invoices b ON b.id = a.id + 1 "
                                     "WHERE b.issued_on < a.issued_on"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoice_lines l LEFT JOIN invoices i "
                                     "ON i.id = l.invoice_id WHERE i.id IS NULL"), ==, 0);

  g_assert_true (bb_db_check (f->db, NULL, NULL));
}

/* A small book still shows every state of a bill. */
static void
test_bill_states_small (Fixture       *f,
                        gconstpointer  data)
{
  for (guint64 seed = 1; seed <= 5; seed++)
    {
      g_autofree char *name = g_strdup_printf ("book-%" G_GUINT64_FORMAT ".db", seed);
      g_autoptr(BbDb) db = open_book (f, name);

      generate (db, 5, seed, TODAY);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM invoices"), ==, 30);
      g_assert_cmpint (query_int (db, "SELECT count(DISTINCT status) FROM invoices"), ==, 4);
    }
}

static void
test_valid (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  generate (f->db, 1000, 3, TODAY);

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (f->db),
                                       "SELECT id, search_text, reviewed_on FROM customers ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(BbCustomer) c = bb_customers_get (f->db, sqlite3_column_int64 (stmt, 0), &error);
      g_autofree char *search_text = NULL;
      g_autofree char *tags = NULL;
      const char *birthday;

      g_assert_no_error (error);
      if (!bb_customers_validate (f->db, c, &error))
        g_error ("%s (%s): %s", c->code, c->name, error->message);

      tags = bb_customer_normalize_tags (c->tags);
      g_assert_cmpstr (c->tags, ==, tags);

      search_text = _bb_customer_build_search_text (c->code, c->name, c->company,
                                                    c->phone, c->email, c->tags);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, search_text);

      g_assert_true (bb_date_parse ((const char *) sqlite3_column_text (stmt, 2), "reviewed", NULL, NULL));
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), <=, TODAY);

      birthday = g_hash_table_lookup (c->custom_fields, "Birthday");
      if (birthday)
        g_assert_true (bb_date_parse (birthday, "Birthday", NULL, NULL));

      n++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n, ==, 1000);

  /* Interactions as bb_interactions_add() would accept them. */
  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (f->db),
                                       "SELECT occurred_on, follow_up_on, summary, outcome FROM interactions",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_true (bb_date_parse ((const char *) sqlite3_column_text (stmt, 0), "date", NULL, NULL));
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        g_assert_true (bb_date_parse ((const char *) sqlite3_column_text (stmt, 1), "follow-up", NULL, NULL));
      g_assert_true (bb_text_validate ((const char *) sqlite3_column_text (stmt, 2), "summary", 2000, TRUE, NULL));
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), !=, "");
      g_assert_true (bb_text_validate ((const char *) sqlite3_column_text (stmt, 3), "outcome", 2000, TRUE, NULL));
    }
  sqlite3_finalize (stmt);

  g_assert_true (bb_db_check (f->db, NULL, NULL));
}

static GArray *
ids_from_sql (BbDb       *db,
              const char *sql,
              const char *param)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);

  return ids;
}

static gint
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static GArray *
ids_from_search (BbDb       *db,
                 const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  BbCustomerQuery query = { 0 };

  query.text = (char *) text;
  query.show_archived = TRUE;
  rows = bb_customers_search (db, &query, 0, G_MAXUINT, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < rows->len; i++)
    g_array_append_val (ids, ((BbCustomer *) rows->pdata[i])->id);
  g_array_sort (ids, compare_ids);

  return ids;
}

static void
assert_same_ids (GArray *a,
                 GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpint (g_array_index (a, gint64, i), ==, g_array_index (b, gint64, i));
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GArray) by_search = NULL;
  g_autoptr(GArray) by_sql = NULL;
  g_autoptr(GArray) by_phone = NULL;
  g_autoptr(GArray) by_tag_search = NULL;
  g_autoptr(GArray) by_tag_sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = NULL;
  g_autofree char *digits = NULL;

  generate (f->db, 2000, 5, TODAY);

  by_search = ids_from_search (f->db, "王");
  by_sql = ids_from_sql (f->db, "SELECT id FROM customers WHERE name LIKE '%' || ?1 || '%' ORDER BY id", "王");
  g_assert_cmpuint (by_sql->len, >, 10);
  assert_same_ids (by_search, by_sql);

  by_tag_search = ids_from_search (f->db, "老客户");
  by_tag_sql = ids_from_sql (f->db, "SELECT id FROM customers WHERE (',' || tags || ',') LIKE '%,' || ?1 || ',%' ORDER BY id", "老客户");
  g_assert_cmpuint (by_tag_sql->len, >, 10);
  assert_same_ids (by_tag_search, by_tag_sql);

  /* A Chinese mobile as the customer reads it out, without spaces. */
  c = bb_customers_get_by_code (f->db, "C000001", &error);
  g_assert_no_error (error);
  if (*c->phone == '\0')
    {
      g_clear_object (&c);
      c = bb_customers_get_by_code (f->db, "C000002", &error);
    }
  digits = bb_text_phone_digits (c->phone);
  by_phone = ids_from_search (f->db, digits);
  g_assert_cmpuint (by_phone->len, >=, 1);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < by_phone->len; i++)
      found |= g_array_index (by_phone, gint64, i) == c->id;
    g_assert_true (found);
  }
}

/* Every kept sum of a generated book agrees with its money rows, as
 * `billbook-cli check` recomputes them. */
static void
assert_book_sound (BbDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gboolean sound;

  sound = bb_check_book (db, &problems, &error);
  g_assert_no_error (error);
  for (guint i = 0; problems != NULL && i < problems->len && i < 20; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_true (sound);
}

/* Bills paid, late, in part or never; all the ways to pay; credit and
 * refunds; every cache as core computes it. */
static void
test_payments (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 due, on_time, not_yet_due, open_not_yet_due, n_payments;
  const char *methods[] = { "cash", "bank_transfer", "card", "alipay", "wechat_pay", "other" };

  generate (f->db, 500, 7, TODAY);

  /* The key test: every kept sum agrees with the rows (bills' paid and
   * balance due, customers' outstanding, credit, last payment date),
   * allocations stay within their payments and bills, refunds take back
   * exactly what their payments brought. */
  assert_book_sound (f->db);

  /* About 70 % of the bills that fell due were paid in full by then
   * (credit put on them counts from the day its money came). */
  due = query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'issued' AND due_on < '" TODAY "'");
  on_time = query_int (f->db, "SELECT count(*) FROM invoices i WHERE status = 'issued' AND due_on < '" TODAY "' "
                              "AND (SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a "
                              "     JOIN payments p ON p.id = a.payment_id "
                              "     WHERE a.invoice_id = i.id AND p.received_on <= i.due_on) >= i.total");
  g_test_message ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " bills due paid on time", on_time, due);
  g_assert_cmpint (due, >, 2000);
  g_assert_cmpint (on_time * 100, >=, due * 60);
  g_assert_cmpint (on_time * 100, <=, due * 80);

  /* Some paid late, some in part, some never (and overdue now). */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices i WHERE status = 'issued' AND paid = total "
                                     "AND EXISTS (SELECT 1 FROM payment_allocations a JOIN payments p "
                                     "            ON p.id = a.payment_id WHERE a.invoice_id = i.id "
                                     "            AND p.received_on > i.due_on)"), >, 100);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'issued' "
                                     "AND paid > 0 AND paid < total"), >, 10);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'issued' AND paid = 0 "
                                     "AND due_on < date('" TODAY "', '-7 days')"), >, 10);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE note IN ('部分付款', 'Part payment')"), >, 10);

  /* Bills not yet due are mostly still open. */
  not_yet_due = query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'issued' AND due_on > '" TODAY "'");
  open_not_yet_due = query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'issued' "
                                       "AND due_on > '" TODAY "' AND paid = 0");
  g_assert_cmpint (not_yet_due, >=, 10);
  g_assert_cmpint (open_not_yet_due * 2, >, not_yet_due);

  /* Drafts, bills in review, void bills and credit notes take nothing. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations a JOIN invoices i "
                                     "ON i.id = a.invoice_id WHERE i.status <> 'issued' OR i.kind <> 'invoice'"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status <> 'issued' AND paid <> 0"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'void'"), >, 0);

  /* Every way to pay but the prepaid card, which is the prepaid
   * ledger's; a reference for each but cash. */
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM payments WHERE method = '%s'", methods[i]);

      g_assert_cmpint (query_int (f->db, sql), >, 0);
    }
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE method = 'prepaid' "
                                     "OR prepaid_account_id IS NOT NULL"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE method <> 'cash' AND reference = ''"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE method = 'cash' AND reference <> ''"), ==, 0);
  /* Alipay's and WeChat Pay's transaction numbers: 28 digits, with the
   * day the money came. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE method IN ('alipay', 'wechat_pay') "
                                     "AND (length(reference) <> 28 OR reference GLOB '*[^0-9]*')"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments p WHERE method = 'alipay' AND reverses_id IS NULL "
                                     "AND substr(reference, 1, 8) <> replace(received_on, '-', '')"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE method = 'wechat_pay' "
                                     "AND substr(reference, 1, 4) <> '4200'"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE method = 'bank_transfer' "
                                     "AND reference NOT GLOB 'FT[0-9][0-9][0-9][0-9][0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9]' "
                                     "AND reference NOT GLOB '[A-Z]* [0-9]*'"), ==, 0);

  /* Money comes on or after the day of the bill, by today, and the ids
   * follow the days, as when payments are recorded one by one. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations a JOIN payments p ON p.id = a.payment_id "
                                     "JOIN invoices i ON i.id = a.invoice_id WHERE a.kind <> 'credit' AND p.received_on < i.issued_on"), ==, 0);
  /* Credit is used on a later day than it came. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations a JOIN payments p ON p.id = a.payment_id "
                                     "JOIN invoices i ON i.id = a.invoice_id WHERE a.kind = 'credit' "
                                     "AND (p.received_on >= i.issued_on OR a.created_at < p.created_at)"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE received_on > '" TODAY "'"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments a JOIN payments b ON b.id = a.id + 1 "
                                     "WHERE b.created_at < a.created_at"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE substr(created_at, 1, 10) <> received_on"), ==, 0);

  /* Some paid a round sum above the bill and keep the rest as credit;
   * credit was put on later bills too. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE credit > 0"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations WHERE kind = 'credit'"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments p WHERE amount > "
                                     "(SELECT sum(amount) FROM payment_allocations a WHERE a.payment_id = p.id AND a.kind = 'payment')"), >, 0);

  /* A few refunds: a reversing row with the negated amount, the same
   * method and reference, a reason, and reversal rows taking back what
   * the payment put on its bill, which was then paid again. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE reverses_id IS NOT NULL"), >=, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE reverses_id IS NOT NULL"), <,
                   query_int (f->db, "SELECT count(*) FROM payments") / 50);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments r JOIN payments o ON o.id = r.reverses_id "
                                     "WHERE r.amount <> -o.amount OR r.method <> o.method OR r.reference <> o.reference "
                                     "OR r.note = '' OR r.received_on <= o.received_on OR r.customer_id <> o.customer_id"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations a JOIN payments r ON r.id = a.payment_id "
                                     "WHERE r.reverses_id IS NOT NULL AND (a.kind <> 'reversal' OR a.amount >= 0)"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations a JOIN payments p ON p.id = a.payment_id "
                                     "WHERE p.reverses_id IS NULL AND (a.kind = 'reversal' OR a.amount <= 0)"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE reverses_id IS NOT NULL"), ==,
                   query_int (f->db, "SELECT count(*) FROM payment_allocations WHERE kind = 'reversal'"));
  /* The last payment date leaves out refunds and refunded payments. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE last_payment_on IS NOT NULL"), >, 250);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers c WHERE last_payment_on IS NOT "
                                     "(SELECT max(p.received_on) FROM payments p WHERE p.customer_id = c.id "
                                     " AND p.amount > 0 AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = p.id))"), ==, 0);

  /* As core reads them: each payment what bb_payments_record() would
   * take, each refund what bb_payments_reverse() writes. */
  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (f->db),
                                       "SELECT id FROM payments ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  n_payments = 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(BbPayment) p = bb_payments_get (f->db, sqlite3_column_int64 (stmt, 0), &error);

      g_assert_no_error (error);
      g_assert_true (bb_date_parse (p->received_on, "received", NULL, NULL));
      g_assert_true (bb_text_validate (p->reference, "reference", 200, FALSE, NULL));
      g_assert_true (bb_text_validate (p->note, "note", 2000, TRUE, NULL));
      g_assert_cmpint (p->method, !=, BB_PAYMENT_PREPAID);
      if (bb_payment_is_refund (p))
        {
          g_assert_cmpint (p->amount, <, 0);
          g_assert_cmpint (p->unallocated, ==, 0);
        }
      else
        {
          g_assert_cmpint (p->amount, >, 0);
          g_assert_cmpint (p->unallocated, >=, 0);
          /* A refunded payment held no credit. */
          if (bb_payment_is_reversed (p))
            g_assert_cmpint (p->unallocated, ==, 0);
        }
      n_payments++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (n_payments, >, 2000);
}

/* On a book whose customers buy enough for class A (10,000 a year),
 * every class occurs, as the rule gives it on the book's today. */
static void
test_classes (Fixture       *f,
              gconstpointer  data)
{
  GDate today;

  generate_bills (f->db, 500, 20000, 1, TODAY);
  assert_book_sound (f->db);

  g_test_message ("classes A %" G_GINT64_FORMAT ", B %" G_GINT64_FORMAT ", C %" G_GINT64_FORMAT,
                  query_int (f->db, "SELECT count(*) FROM customers WHERE class = 'A'"),
                  query_int (f->db, "SELECT count(*) FROM customers WHERE class = 'B'"),
                  query_int (f->db, "SELECT count(*) FROM customers WHERE class = 'C'"));
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE class = 'A'"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE class = 'B'"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE class = 'C'"), >, 0);

  /* The classes kept are what the rule computes, with the payments. */
  g_assert_true (bb_date_parse (TODAY, "today", &today, NULL));
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE class_override IS NOT NULL"), ==, 0);
  for (gint64 id = 1; id <= 500; id++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT unicode(class) FROM customers WHERE id = %" G_GINT64_FORMAT, id);

      g_assert_cmpint (query_int (f->db, sql), ==, bb_customers_compute_class (f->db, id, &today, NULL));
    }
}

/* Prepaid cards with ledgers made by core's own rules: top-ups with
 * their bonus, charges earning points, points redeemed, charges taken
 * back, refunds, money expired; some cards low. Check accounts finds
 * nothing to say. */
static void
test_prepaid (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  generate (f->db, 600, 3, TODAY);
  assert_book_sound (f->db);

  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_accounts"), >=, 20);
  g_assert_cmpint (query_int (f->db, "SELECT count(DISTINCT name) FROM prepaid_accounts"), >=, 4);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE kind = 'topup'"), >=, 20);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE kind = 'bonus'"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE kind = 'charge'"), >, 100);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE kind = 'refund'"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE kind = 'expiry'"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE kind = 'redeem'"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE points > 0"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_accounts "
                                     "WHERE balance > 0 AND balance < low_balance_mark"), >, 0);
  /* Nothing dated after the book's today. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE occurred_on > '" TODAY "'"), ==, 0);

  g_assert_true (bb_prepaid_check_accounts (f->db, problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_refuses_non_empty (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  BbDemoOptions options = { 50, 0, 1, TODAY };
  gint64 audit_rows;

  g_free (c->name);
  c->name = g_strdup ("张伟");
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);

  before = book_checksum (f->db);
  audit_rows = query_int (f->db, "SELECT count(*) FROM audit_log");

  g_assert_false (bb_demo_generate (f->db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The book already has customers; sample data goes only into an empty book");

  after = book_checksum (f->db);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_rows);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customer_fields"), ==, 0);
}

static void assert_book_empty (BbDb *db);

static void
test_bad_options (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BbDemoOptions options = { 0, 0, 1, TODAY };

  g_assert_false (bb_demo_generate (f->db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);

  options.n_customers = BB_DEMO_MAX_CUSTOMERS + 1;
  g_assert_false (bb_demo_generate (f->db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);

  options.n_customers = 5;
  options.today = "2026-02-30";
  g_assert_false (bb_demo_generate (f->db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);

  options.today = TODAY;
  options.n_invoices = BB_DEMO_MAX_INVOICES + 1;
  g_assert_false (bb_demo_generate (f->db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);
  assert_book_empty (f->db);

  /* n_invoices is the number of bills, however few the customers. */
  options.today = NULL;
  options.n_invoices = 1000;
  g_assert_true (bb_demo_generate (f->db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers"), ==, 5);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices"), ==, 1000);
}

typedef struct
{
  GCancellable *cancellable;
  guint         cancel_at;
  guint         last_done;
  guint         calls;
  guint         total;
} ProgressState;

static void
progress_cb (guint     done,
             guint     total,
             gpointer  user_data)
{
  ProgressState *state = user_data;

  g_assert_cmpuint (done, >=, state->last_done);
  g_assert_cmpuint (done, <=, total);
  state->last_done = done;
  state->total = total;
  state->calls++;

  if (state->cancellable && state->cancel_at && done >= state->cancel_at)
    g_cancellable_cancel (state->cancellable);
}

static void
assert_book_empty (BbDb *db)
{
  g_autofree char *next_code = bb_db_get_setting (db, "customers.next_code");

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM customers"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM interactions"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM customer_fields"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM customer_field_values"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM invoices"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM invoice_lines"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM payments"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM payment_allocations"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM settings WHERE key LIKE 'billing.seq.%'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM audit_log"), ==, 0);
  g_assert_null (next_code);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  ProgressState state = { cancellable, 1000, 0, 0, 0 };
  BbDemoOptions options = { 3000, 0, 1, TODAY };

  /* Half way through. */
  g_assert_false (bb_demo_generate (f->db, &options, progress_cb, &state, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (state.last_done, >=, 1000);
  g_assert_cmpuint (state.last_done, <, 3000);
  assert_book_empty (f->db);

  /* While making bills: 3000 customers, then 18000 bills. */
  state.cancel_at = 10000;
  state.last_done = 0;
  g_cancellable_reset (cancellable);
  g_assert_false (bb_demo_generate (f->db, &options, progress_cb, &state, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (state.last_done, >=, 10000);
  g_assert_cmpuint (state.last_done, <, 21000);
  assert_book_empty (f->db);

  /* Before it starts. */
  g_cancellable_cancel (cancellable);
  g_assert_false (bb_demo_generate (f->db, &options, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_book_empty (f->db);

  /* The book still takes sample data afterwards. */
  g_clear_error (&error);
  generate (f->db, 10, 1, TODAY);
}

static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ProgressState state = { 0 };
  BbDemoOptions options = { 1234, 0, 9, TODAY };
  gint64 cache_size = query_int (f->db, "PRAGMA cache_size");

  g_assert_true (bb_demo_generate (f->db, &options, progress_cb, &state, NULL, &error));
  g_assert_no_error (error);
  /* The connection keeps its own settings. */
  g_assert_cmpint (query_int (f->db, "PRAGMA cache_size"), ==, cache_size);
  /* A step a customer, then a step a bill. */
  g_assert_cmpuint (state.last_done, ==, 1234 + 1234 * 6);
  g_assert_cmpuint (state.total, ==, 1234 + 1234 * 6);
  g_assert_cmpuint (state.calls, >=, 10);
  g_assert_cmpuint (state.calls, <=, 110);
}

typedef struct
{
  GMainLoop     *loop;
  GThread       *main_thread;
  ProgressState  progress;
  gboolean       finished;
  gboolean       ok;
  GError        *error;
  guint          customers_changed;
} AsyncState;

static void
async_progress_cb (guint     done,
                   guint     total,
                   gpointer  user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_false (state->finished);
  progress_cb (done, total, &state->progress);
}

static void
changed_cb (BbDb       *db,
            const char *table,
            gint64      id,
            gpointer    user_data)
{
  AsyncState *state = user_data;

  g_assert_cmpint (id, ==, 0);
  state->customers_changed++;
}

static void
generated_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncState *state = user_data;

  state->ok = bb_demo_generate_finish (BB_DB (source), result, &state->error);
  state->finished = TRUE;
  g_main_loop_quit (state->loop);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *same_seed = NULL;
  g_autofree char *async_sum = NULL;
  g_autoptr(BbDb) other = open_book (f, "other.db");
  AsyncState state = { 0 };
  BbDemoOptions options = { 800, 0, 11, NULL };
  char today[] = TODAY;
  gulong handler;

  state.loop = loop;
  state.main_thread = g_thread_self ();
  handler = g_signal_connect (f->db, "changed::customers", G_CALLBACK (changed_cb), &state);

  /* The options are copied: changing them afterwards does nothing. */
  options.today = today;
  bb_demo_generate_async (f->db, &options, async_progress_cb, &state, NULL, generated_cb, &state);
  options.n_customers = 1;
  today[3] = '0';
  g_main_loop_run (loop);

  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_cmpuint (state.progress.last_done, ==, 800 + 800 * 6);
  g_assert_cmpuint (state.customers_changed, ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers"), ==, 800);
  g_signal_handler_disconnect (f->db, handler);

  /* The thread made the same book as the plain call does. */
  generate (other, 800, 11, TODAY);
  async_sum = book_checksum (f->db);
  same_seed = book_checksum (other);
  g_assert_cmpstr (async_sum, ==, same_seed);

  /* A second run is refused, through the same path. */
  state.finished = FALSE;
  state.customers_changed = 0;
  bb_demo_generate_async (f->db, &options, NULL, NULL, NULL, generated_cb, &state);
  g_main_loop_run (loop);
  g_assert_false (state.ok);
  g_assert_error (state.error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&state.error);
}

/* How long a shop-sized book takes (DESIGN.md, Scale): run with -m slow
 * (or -m perf). */
static void
test_speed (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GTimer) timer = NULL;
  g_autoptr(BbDb) small = NULL;
  double seconds;

  if (!g_test_slow () && !g_test_perf ())
    {
      g_test_skip ("100,000 customers and 1,000,000 bills: run with -m slow");
      return;
    }

  small = open_book (f, "small.db");
  timer = g_timer_new ();
  generate_bills (small, 10000, 100000, 1, TODAY);
  seconds = g_timer_elapsed (timer, NULL);
  g_test_message ("10,000 customers, 100,000 bills: %.2f s", seconds);

  g_timer_start (timer);
  generate_bills (f->db, 100000, 1000000, 1, TODAY);
  seconds = g_timer_elapsed (timer, NULL);

  g_test_message ("100,000 customers, %" G_GINT64_FORMAT " interactions, 1,000,000 bills, "
                  "%" G_GINT64_FORMAT " lines: %.2f s",
                  query_int (f->db, "SELECT count(*) FROM interactions"),
                  query_int (f->db, "SELECT count(*) FROM invoice_lines"), seconds);
  if (g_test_perf ())
    g_test_minimized_result (seconds, "100,000 customers and 1,000,000 bills in %.2f s", seconds);
  g_assert_cmpfloat (seconds, <, 120.0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers"), ==, 100000);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices"), ==, 1000000);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments"), >, 800000);
  assert_book_sound (f->db);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/demo/reproducible", test_reproducible);
  ADD ("/demo/bills-leave-customers", test_bills_leave_customers);
  ADD ("/demo/seed-matters", test_seed_matters);
  ADD ("/demo/counts", test_counts);
  ADD ("/demo/names", test_names);
  ADD ("/demo/bills", test_bills);
  ADD ("/demo/bill-numbers", test_bill_numbers);
  ADD ("/demo/bill-mix", test_bill_mix);
  ADD ("/demo/bill-states-small", test_bill_states_small);
  ADD ("/demo/valid", test_valid);
  ADD ("/demo/payments", test_payments);
  ADD ("/demo/classes", test_classes);
  ADD ("/demo/search", test_search);
  ADD ("/demo/prepaid", test_prepaid);
  ADD ("/demo/refuses-non-empty", test_refuses_non_empty);
  ADD ("/demo/bad-options", test_bad_options);
  ADD ("/demo/cancel", test_cancel);
  ADD ("/demo/progress", test_progress);
  ADD ("/demo/async", test_async);
  ADD ("/demo/speed", test_speed);
#undef ADD

  return g_test_run ();
}
