/* test-reports.c — the reports against a computation of their own
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-check.h"
#include "bb-customers-private.h"
#include "bb-db-private.h"
#include "bb-invoices.h"
#include "bb-payments-private.h"
#include "bb-report-doc.h"
#include "bb-payment-methods.h"
#include "bb-reports.h"
#include "bb-text.h"

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

  f->dir = g_dir_make_tmp ("billbook-reports-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  static const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&f->db);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Helpers */

static void
sql_exec (BbDb       *db,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_bb_db_exec (db, sql, &error));
  g_assert_no_error (error);
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

static GDate
make_date (const char *iso)
{
  GDate d;

  g_assert_true (bb_date_parse (iso, "date", &d, NULL));
  return d;
}

static char *
iso_plus (const char *iso,
          int         days)
{
  GDate d = make_date (iso);

  if (days >= 0)
    g_date_add_days (&d, (guint) days);
  else
    g_date_subtract_days (&d, (guint) -days);

  return bb_date_to_iso (&d);
}

static gint64
add_customer (BbDb       *db,
              const char *name)
{
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(GError) error = NULL;

  g_free (c->name);
  c->name = g_strdup (name);
  g_free (c->address);
  c->address = g_strdup ("1 Main Street");
  g_free (c->phone);
  c->phone = g_strdup ("138 0013 8000");
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  return c->id;
}

/* A bill of @total, issued unless @draft. */
static gint64
add_bill (BbDb       *db,
          gint64      customer,
          const char *issued_on,
          const char *due_on,
          BbMoney     total,
          gboolean    draft)
{
  g_autoptr(BbInvoice) inv = bb_invoice_new ();
  g_autoptr(GError) error = NULL;

  inv->customer_id = customer;
  g_free (inv->issued_on);
  inv->issued_on = g_strdup (issued_on);
  g_free (inv->due_on);
  inv->due_on = g_strdup (due_on);
  bb_invoice_add_line (inv, "Service", 1000, total, 0, 0);
  g_assert_true (bb_invoices_save_draft (db, inv, &error));
  g_assert_no_error (error);
  if (!draft)
    {
      g_assert_true (bb_invoices_submit (db, inv->id, &error));
      g_assert_true (bb_invoices_issue (db, inv->id, &error));
      g_assert_no_error (error);
    }

  return inv->id;
}

static gint64
record (BbDb            *db,
        gint64           customer,
        const char      *received_on,
        BbMoney          amount,
        BbPaymentMethod  method,
        GPtrArray       *allocations)
{
  g_autoptr(BbPayment) p = bb_payment_new ();
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  p->customer_id = customer;
  g_free (p->received_on);
  p->received_on = g_strdup (received_on);
  p->amount = amount;
  p->method = method;
  g_assert_true (bb_payments_record (db, p, allocations, &id, &error));
  g_assert_no_error (error);

  return id;
}

static GPtrArray *
aging (BbDb       *db,
       const char *as_of)
{
  g_autoptr(GError) error = NULL;
  GDate d = make_date (as_of);
  GPtrArray *rows = bb_reports_aging (db, &d, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

/* Bucket boundaries, by hand */

static void
test_aging_buckets (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  const char *as_of = "2026-06-30";
  gint64 a, b, c, bill;
  /* Days past due on 2026-06-30 → the bucket, for bills of 1, 2, 4, … fen
   * so that every sum says which bills it holds. */
  static const struct { int days; int bucket; } cases[] = {
    { -10, 0 }, { 0, 0 }, { 1, 1 }, { 30, 1 }, { 31, 2 }, { 60, 2 },
    { 61, 3 }, { 90, 3 }, { 91, 4 }, { 400, 4 },
  };
  BbMoney expected[5] = { 0 };

  a = add_customer (f->db, "Ann");
  b = add_customer (f->db, "=Formula Ltd");
  c = add_customer (f->db, "Paid Up");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *due = iso_plus (as_of, -cases[i].days);
      g_autofree char *issued = iso_plus (due, -5);
      BbMoney amount = (BbMoney) 1 << i;

      /* A bill due in the future may be issued after the day: not yet. */
      if (cases[i].days < 0)
        {
          g_free (issued);
          issued = g_strdup (as_of);
        }
      add_bill (f->db, a, issued, due, amount, FALSE);
      expected[cases[i].bucket] += amount;
    }

  /* Not counted: issued after the day, a draft, a void bill, a credit
   * note, a bill paid by the day. */
  add_bill (f->db, a, "2026-07-01", "2026-07-01", 100000, FALSE);
  add_bill (f->db, a, "2026-01-01", "2026-01-01", 200000, TRUE);
  bill = add_bill (f->db, a, "2026-01-01", "2026-01-01", 300000, FALSE);
  g_assert_true (bb_invoices_void (f->db, bill, "Wrong", &error));
  g_assert_no_error (error);
  {
    g_autoptr(BbInvoice) note = bb_invoices_create_credit_note (f->db, 1, &error);

    g_assert_no_error (error);
    g_free (note->issued_on);
    note->issued_on = g_strdup ("2026-06-01");
    g_free (note->due_on);
    note->due_on = g_strdup ("2026-06-01");
    g_assert_true (bb_invoices_save_draft (f->db, note, &error));
    g_assert_true (bb_invoices_submit (f->db, note->id, &error));
    g_assert_true (bb_invoices_issue (f->db, note->id, &error));
    g_assert_no_error (error);
  }
  bill = add_bill (f->db, c, "2026-01-01", "2026-01-31", 5000, FALSE);
  record (f->db, c, "2026-06-30", 5000, BB_PAYMENT_CASH, NULL);

  /* Partly paid by the day, the rest paid after it: owed on the day. */
  bill = add_bill (f->db, b, "2026-05-01", "2026-05-31", 10000, FALSE);
  record (f->db, b, "2026-06-15", 4000, BB_PAYMENT_CARD, NULL);
  record (f->db, b, "2026-07-15", 6000, BB_PAYMENT_CARD, NULL);

  rows = aging (f->db, as_of);
  g_assert_cmpuint (rows->len, ==, 2);
  {
    BbAgingRow *r = g_ptr_array_index (rows, 0);

    g_assert_cmpstr (r->customer_code, ==, "C000001");
    g_assert_cmpstr (r->name, ==, "Ann");
    g_assert_cmpint (r->current, ==, expected[0]);
    g_assert_cmpint (r->d1_30, ==, expected[1]);
    g_assert_cmpint (r->d31_60, ==, expected[2]);
    g_assert_cmpint (r->d61_90, ==, expected[3]);
    g_assert_cmpint (r->d90_plus, ==, expected[4]);
    g_assert_cmpint (r->total, ==, (1 << G_N_ELEMENTS (cases)) - 1);

    r = g_ptr_array_index (rows, 1);
    g_assert_cmpstr (r->customer_code, ==, "C000002");
    g_assert_cmpint (r->d1_30, ==, 6000);
    g_assert_cmpint (r->total, ==, 6000);
  }

  csv = bb_reports_aging_to_csv (rows, bb_currency_lookup ("CNY"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (csv, ==,
                   BB_AGING_CSV_HEADER "\n"
                   "C000001,Ann,0.03,0.12,0.48,1.92,7.68,10.23\n"
                   "C000002,'=Formula Ltd,0.00,60.00,0.00,0.00,0.00,60.00\n");

  /* Later B owes nothing, and Ann's bill of July counts; before the
   * first bill nobody owed anything. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = aging (f->db, "2026-07-15");
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((BbAgingRow *) g_ptr_array_index (rows, 0))->customer_code, ==, "C000001");
  g_assert_cmpint (((BbAgingRow *) g_ptr_array_index (rows, 0))->d1_30, ==, 100000 + 1 + 2 + 4);   /* due 07-10, 06-30, 06-29 */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = aging (f->db, "2020-01-01");
  g_assert_cmpuint (rows->len, ==, 0);
  (void) bill;
}

/* Collections, by hand: what counts and what does not. */
static void
test_collections_kinds (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  gint64 a, refunded;
  GDate from, to;

  a = add_customer (f->db, "Ann");
  add_bill (f->db, a, "2020-01-01", "2020-01-31", 50000, FALSE);
  record (f->db, a, "2020-01-10", 10000, BB_PAYMENT_CASH, NULL);
  refunded = record (f->db, a, "2020-03-05", 2000, BB_PAYMENT_ALIPAY, NULL);
  g_assert_true (bb_payments_reverse (f->db, refunded, "Paid twice", &error));
  g_assert_no_error (error);

  /* A card: top-up of 100 with 10 bonus in it, a bonus, a charge, a
   * refund of 30 paid out, an expiry; a payment taken from the card. */
  sql_exec (f->db,
            "INSERT INTO prepaid_accounts (customer_id, name, created_at) VALUES (1, 'Card', '');"
            "INSERT INTO prepaid_entries (account_id, occurred_on, kind, amount, bonus_part, method, created_at) VALUES "
            "  (1, '2020-01-20', 'topup', 11000, 1000, 'cash', ''),"
            "  (1, '2020-01-21', 'bonus', 500, 500, NULL, ''),"
            "  (1, '2020-02-01', 'charge', -3000, 0, NULL, ''),"
            "  (1, '2020-05-01', 'refund', -3000, 0, NULL, ''),"
            "  (1, '2020-05-02', 'expiry', -100, 0, NULL, '');"
            "INSERT INTO prepaid_entries (account_id, occurred_on, kind, amount, note, created_at) VALUES "
            "  (1, '2020-05-03', 'adjust', 700, 'Correction', '');"
            "INSERT INTO payments (customer_id, received_on, amount, method, prepaid_account_id, created_at) "
            "VALUES (1, '2020-02-01', 3000, 'prepaid', 1, '')");

  g_date_clear (&from, 1);
  g_date_clear (&to, 1);
  g_date_set_dmy (&from, 1, 1, 2020);
  g_date_set_dmy (&to, 30, 6, 2020);
  rows = bb_reports_collections (f->db, &from, &to, &error);
  g_assert_no_error (error);
  csv = bb_reports_collections_to_csv (rows, bb_currency_lookup ("CNY"), &error);
  g_assert_no_error (error);
  /* The refund of the March payment is dated today, after June. */
  g_assert_cmpstr (csv, ==,
                   BB_COLLECTIONS_CSV_HEADER "\n"
                   "2020-01,200.00\n"
                   "2020-02,0.00\n"
                   "2020-03,20.00\n"
                   "2020-04,0.00\n"
                   "2020-05,-30.00\n"
                   "2020-06,0.00\n");

  /* From after to: refused, naming the field. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = bb_reports_collections (f->db, &to, &from, &error);
  g_assert_null (rows);
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "From: 2020-06-30 is after the last day, 2020-01-01");
}

/* Generated data against a computation of the test's own */

typedef struct
{
  gint64  id;
  gint64  customer_id;
  char   *status;
  char   *issued_on;
  char   *due_on;
  BbMoney total;
} RawBill;

static void
raw_bill_free (RawBill *bill)
{
  g_free (bill->status);
  g_free (bill->issued_on);
  g_free (bill->due_on);
  g_free (bill);
}

typedef struct
{
  gint64  invoice_id;
  BbMoney amount;
  char   *received_on;
} RawAllocation;

static void
raw_allocation_free (RawAllocation *a)
{
  g_free (a->received_on);
  g_free (a);
}

/* DESIGN.md's definition, the plain way: every bill, every allocation. */
static GPtrArray *
expected_aging (BbDb       *db,
                const char *as_of)
{
  g_autoptr(GPtrArray) bills = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_bill_free);
  g_autoptr(GPtrArray) allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_allocation_free);
  g_autoptr(GHashTable) by_customer = g_hash_table_new (g_int64_hash, g_int64_equal);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_aging_row_free);
  sqlite3 *handle = _bb_db_get_handle (db);
  sqlite3_stmt *stmt = NULL;
  GDate day = make_date (as_of);

  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT id, customer_id, status, issued_on, due_on, total FROM invoices",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RawBill *b = g_new0 (RawBill, 1);

      b->id = sqlite3_column_int64 (stmt, 0);
      b->customer_id = sqlite3_column_int64 (stmt, 1);
      b->status = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      b->issued_on = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      b->due_on = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      b->total = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (bills, b);
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT a.invoice_id, a.amount, p.received_on FROM payment_allocations a "
                                       "JOIN payments p ON p.id = a.payment_id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RawAllocation *a = g_new0 (RawAllocation, 1);

      a->invoice_id = sqlite3_column_int64 (stmt, 0);
      a->amount = sqlite3_column_int64 (stmt, 1);
      a->received_on = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (allocations, a);
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < bills->len; i++)
    {
      RawBill *b = g_ptr_array_index (bills, i);
      BbMoney balance = b->total;
      BbAgingRow *row;
      GDate due;
      int days;

      if (!g_str_equal (b->status, "issued") || strcmp (b->issued_on, as_of) > 0)
        continue;

      for (guint j = 0; j < allocations->len; j++)
        {
          RawAllocation *a = g_ptr_array_index (allocations, j);

          if (a->invoice_id == b->id && strcmp (a->received_on, as_of) <= 0)
            balance -= a->amount;
        }
      if (balance <= 0)
        continue;

      row = g_hash_table_lookup (by_customer, &b->customer_id);
      if (row == NULL)
        {
          row = g_new0 (BbAgingRow, 1);
          row->customer_id = b->customer_id;
          g_ptr_array_add (rows, row);
          g_hash_table_insert (by_customer, &row->customer_id, row);
        }

      due = make_date (b->due_on);
      days = g_date_days_between (&due, &day);
      if (days <= 0)
        row->current += balance;
      else if (days <= 30)
        row->d1_30 += balance;
      else if (days <= 60)
        row->d31_60 += balance;
      else if (days <= 90)
        row->d61_90 += balance;
      else
        row->d90_plus += balance;
      row->total += balance;
    }

  return rows;
}

static void
assert_aging_matches (BbDb       *db,
                      const char *as_of)
{
  g_autoptr(GPtrArray) got = aging (db, as_of);
  g_autoptr(GPtrArray) want = expected_aging (db, as_of);

  g_test_message ("aging as of %s: %u customers", as_of, want->len);
  g_assert_cmpuint (got->len, ==, want->len);

  for (guint i = 0; i < got->len; i++)
    {
      BbAgingRow *g = g_ptr_array_index (got, i);
      BbAgingRow *w = NULL;

      for (guint j = 0; j < want->len; j++)
        if (((BbAgingRow *) g_ptr_array_index (want, j))->customer_id == g->customer_id)
          w = g_ptr_array_index (want, j);

      g_assert_nonnull (w);
      g_assert_cmpint (g->current, ==, w->current);
      g_assert_cmpint (g->d1_30, ==, w->d1_30);
      g_assert_cmpint (g->d31_60, ==, w->d31_60);
      g_assert_cmpint (g->d61_90, ==, w->d61_90);
      g_assert_cmpint (g->d90_plus, ==, w->d90_plus);
      g_assert_cmpint (g->total, ==, w->total);
      g_assert_cmpint (g->total, ==, g->current + g->d1_30 + g->d31_60 + g->d61_90 + g->d90_plus);
      if (i > 0)
        g_assert_cmpint (strcmp (((BbAgingRow *) g_ptr_array_index (got, i - 1))->customer_code,
                                 g->customer_code), <, 0);
    }
}

/* Money received per month, the plain way, from @from to @to (either may
 * be NULL). Months are "YYYY-MM"; a table of month → amount. */
static GHashTable *
expected_collections (BbDb       *db,
                      const char *from,
                      const char *to)
{
  GHashTable *months = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3 *handle = _bb_db_get_handle (db);
  sqlite3_stmt *stmt = NULL;

  /* Every money row with what it says about money received. */
  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT received_on, amount, method, '', 0 FROM payments "
                                       "UNION ALL SELECT occurred_on, amount, '', kind, bonus_part FROM prepaid_entries",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *day = (const char *) sqlite3_column_text (stmt, 0);
      BbMoney amount = sqlite3_column_int64 (stmt, 1);
      const char *method = (const char *) sqlite3_column_text (stmt, 2);
      const char *kind = (const char *) sqlite3_column_text (stmt, 3);
      BbMoney bonus = sqlite3_column_int64 (stmt, 4);
      BbMoney received;
      BbMoney *sum;
      char month[8];

      if (*method != '\0')
        {
          if (g_str_equal (method, "prepaid"))
            continue;
          received = amount;
        }
      else if (g_str_equal (kind, "topup"))
        received = amount - bonus;
      else if (g_str_equal (kind, "refund"))
        received = amount;
      else
        continue;

      if ((from && strcmp (day, from) < 0) || (to && strcmp (day, to) > 0))
        continue;

      memcpy (month, day, 7);
      month[7] = '\0';
      sum = g_hash_table_lookup (months, month);
      if (sum == NULL)
        {
          sum = g_new0 (BbMoney, 1);
          g_hash_table_insert (months, g_strdup (month), sum);
        }
      *sum += received;
    }
  sqlite3_finalize (stmt);

  return months;
}

static void
assert_collections_match (BbDb       *db,
                          const char *from,
                          const char *to)
{
  g_autoptr(GHashTable) want = expected_collections (db, from, to);
  g_autoptr(GPtrArray) got = NULL;
  g_autoptr(GError) error = NULL;
  GDate from_date, to_date;
  BbMoney total_got = 0, total_want = 0;
  GHashTableIter iter;
  gpointer key, value;

  if (from)
    from_date = make_date (from);
  if (to)
    to_date = make_date (to);
  got = bb_reports_collections (db, from ? &from_date : NULL, to ? &to_date : NULL, &error);
  g_assert_no_error (error);
  g_test_message ("collections %s … %s: %u months", from ? from : "", to ? to : "", got->len);

  /* Every month once, in order, each the plain sum. */
  for (guint i = 0; i < got->len; i++)
    {
      BbCollectionsRow *row = g_ptr_array_index (got, i);
      BbMoney *sum = g_hash_table_lookup (want, row->month);

      g_assert_cmpint (row->amount, ==, sum ? *sum : 0);
      total_got += row->amount;
      if (i > 0)
        {
          const char *before = ((BbCollectionsRow *) g_ptr_array_index (got, i - 1))->month;
          guint y = (guint) g_ascii_strtoull (before, NULL, 10);
          guint m = (guint) g_ascii_strtoull (before + 5, NULL, 10);
          g_autofree char *next = g_strdup_printf ("%04u-%02u", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);

          g_assert_cmpstr (row->month, ==, next);
        }
    }

  /* No month with money left out. */
  g_hash_table_iter_init (&iter, want);
  while (g_hash_table_iter_next (&iter, &key, &value))
    total_want += *(BbMoney *) value;
  g_assert_cmpint (total_got, ==, total_want);

  /* The period's bounds are its first and last months. */
  if (from && got->len > 0)
    g_assert_true (strncmp (((BbCollectionsRow *) g_ptr_array_index (got, 0))->month, from, 7) == 0);
  if (to && got->len > 0)
    g_assert_true (strncmp (((BbCollectionsRow *) g_ptr_array_index (got, got->len - 1))->month, to, 7) == 0);
}

/* Open issued bills of @customer, oldest first. */
static GArray *
open_bills (BbDb   *db,
            gint64  customer)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db),
                                       "SELECT id, open_balance FROM invoices WHERE customer_id = ?1 "
                                       "AND status = 'issued' AND open_balance > 0 ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, customer);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 pair[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

      g_array_append_vals (ids, pair, 1);
    }
  sqlite3_finalize (stmt);

  return ids;
}

static char *
random_day (GRand      *rand,
            const char *first,
            int         span)
{
  return iso_plus (first, g_rand_int_range (rand, 0, span));
}

static void
make_book (BbDb  *db,
           GRand *rand)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) payments = g_array_new (FALSE, FALSE, sizeof (gint64));
  const guint n_customers = 9;
  gint64 customers[9];

  for (guint i = 0; i < n_customers; i++)
    {
      g_autofree char *name = g_strdup_printf ("Customer %u", i + 1);

      customers[i] = add_customer (db, name);
    }

  /* Bills over 2025 and the first half of 2026. */
  for (guint i = 0; i < 90; i++)
    {
      gint64 customer = customers[g_rand_int_range (rand, 0, n_customers)];
      g_autofree char *issued = random_day (rand, "2025-01-01", 540);
      g_autofree char *due = iso_plus (issued, g_rand_int_range (rand, 0, 75));
      BbMoney total = g_rand_int_range (rand, 100, 500000);
      int kind = g_rand_int_range (rand, 0, 20);
      gint64 id = add_bill (db, customer, issued, due, total, kind == 0);

      if (kind == 1)
        {
          g_assert_true (bb_invoices_void (db, id, "Cancelled", &error));
          g_assert_no_error (error);
        }
    }

  /* Payments of every kind. */
  for (guint i = 0; i < 140; i++)
    {
      gint64 customer = customers[g_rand_int_range (rand, 0, n_customers)];
      g_autofree char *day = random_day (rand, "2025-01-01", 600);
      BbMoney amount = g_rand_int_range (rand, 100, 300000);
      BbPaymentMethod method = (BbPaymentMethod) g_rand_int_range (rand, 0, 5);
      int kind = g_rand_int_range (rand, 0, 10);
      g_autoptr(GArray) open = open_bills (db, customer);

      if (method == BB_PAYMENT_PREPAID)
        method = BB_PAYMENT_OTHER;

      if (kind < 4)
        g_array_append_vals (payments, (gint64[]) { record (db, customer, day, amount, method, NULL) }, 1);
      else if (kind < 7 && open->len > 0)
        {
          g_autoptr(GPtrArray) allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);
          gint64 *bill = &g_array_index (open, gint64, 2 * g_rand_int_range (rand, 0, open->len));
          BbMoney part = MIN (amount, bill[1]);

          g_ptr_array_add (allocations, bb_allocation_new (bill[0], part));
          g_array_append_vals (payments, (gint64[]) { record (db, customer, day, amount, method, allocations) }, 1);
        }
      else if (kind < 8)
        {
          g_autoptr(GPtrArray) none = g_ptr_array_new ();

          g_array_append_vals (payments, (gint64[]) { record (db, customer, day, amount, method, none) }, 1);
        }
      else
        {
          g_autoptr(BbCustomer) c = bb_customers_get (db, customer, &error);

          g_assert_no_error (error);
          if (c->credit > 0 && open->len > 0)
            {
              gint64 *bill = &g_array_index (open, gint64, 0);

              g_assert_true (bb_payments_apply_credit (db, customer, bill[0], MIN (c->credit, bill[1]), &error));
              g_assert_no_error (error);
            }
        }
    }

  /* Some refunds, dated today. */
  for (guint i = 0; i < payments->len; i += 11)
    {
      g_assert_true (bb_payments_reverse (db, g_array_index (payments, gint64, i), "Refunded", &error));
      g_assert_no_error (error);
    }

  /* The book is sound before the prepaid rows the test writes itself. */
  {
    g_autoptr(GPtrArray) problems = NULL;

    g_assert_true (bb_check_book (db, &problems, &error));
    g_assert_no_error (error);
  }

  /* Prepaid cards, written here (the prepaid ledger is not core's yet),
   * and payments taken from them, which are not money received. */
  sql_exec (db,
            "INSERT INTO prepaid_accounts (customer_id, name, created_at) VALUES (1, 'Card', ''), (2, 'Card', '');"
            "INSERT INTO prepaid_entries (account_id, occurred_on, kind, amount, bonus_part, method, created_at) VALUES "
            "  (1, '2025-02-03', 'topup', 110000, 10000, 'cash', ''),"
            "  (1, '2025-02-03', 'bonus', 5000, 5000, NULL, ''),"
            "  (2, '2025-07-31', 'topup', 50000, 0, 'alipay', ''),"
            "  (2, '2025-08-01', 'topup', 20000, 0, 'wechat_pay', ''),"
            "  (1, '2025-09-15', 'charge', -30000, 0, NULL, ''),"
            "  (2, '2026-03-01', 'refund', -40000, 0, NULL, ''),"
            "  (1, '2026-04-01', 'expiry', -1000, 0, NULL, '');");
  for (gint64 customer = 1; customer <= 2; customer++)
    {
      g_autoptr(GArray) open = open_bills (db, customer);
      g_autofree char *sql = NULL;
      gint64 id;

      if (open->len == 0)
        continue;

      sql = g_strdup_printf ("INSERT INTO payments (customer_id, received_on, amount, method, prepaid_account_id, "
                             "  created_at) VALUES (%" G_GINT64_FORMAT ", '2025-10-10', %" G_GINT64_FORMAT
                             ", 'prepaid', %" G_GINT64_FORMAT ", '')",
                             customer, g_array_index (open, gint64, 1), customer);
      sql_exec (db, sql);
      id = sqlite3_last_insert_rowid (_bb_db_get_handle (db));
      g_free (sql);
      sql = g_strdup_printf ("INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at) "
                             "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '')",
                             id, g_array_index (open, gint64, 0), g_array_index (open, gint64, 1));
      sql_exec (db, sql);
      g_assert_true (_bb_payments_refresh_invoice (db, g_array_index (open, gint64, 0), &error));
      g_assert_true (_bb_customers_refresh_summary (db, customer, &error));
      g_assert_no_error (error);
    }
}

static void
test_generated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260315);
  g_autofree char *today = NULL;
  g_autofree char *tomorrow = NULL;
  GDate d;

  make_book (f->db, rand);

  /* The book holds every kind of money row the reports must weigh. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations WHERE kind = 'payment'"), >, 20);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations WHERE kind = 'credit'"), >, 3);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations WHERE kind = 'reversal'"), >, 3);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE reverses_id IS NOT NULL"), >, 5);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE method = 'prepaid'"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'void'"), >, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'draft'"), >, 0);
  /* Bills paid partly by payments dated after other payments' days. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'issued' "
                                     "AND paid > 0 AND open_balance > 0"), >, 3);

  bb_date_set_today (&d);
  today = bb_date_to_iso (&d);
  tomorrow = iso_plus (today, 1);

  /* Days before, inside and after the book; month ends; today, when the
   * refunds were made. */
  {
    const char *days[] = {
      "2024-12-31", "2025-01-01", "2025-01-31", "2025-03-15", "2025-06-30", "2025-09-01",
      "2025-12-31", "2026-01-01", "2026-02-28", "2026-04-30", "2026-06-30", "2026-08-31",
      today, tomorrow, "2199-12-31",
    };

    for (guint i = 0; i < G_N_ELEMENTS (days); i++)
      assert_aging_matches (f->db, days[i]);
  }
  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *day = random_day (rand, "2025-01-01", 700);

      assert_aging_matches (f->db, day);
    }

  assert_collections_match (f->db, NULL, NULL);
  assert_collections_match (f->db, "2025-01-01", "2025-12-31");
  assert_collections_match (f->db, "2025-02-15", NULL);
  assert_collections_match (f->db, NULL, "2025-11-10");
  assert_collections_match (f->db, "2024-06-01", "2024-08-31");   /* before the book: all 0 */
  assert_collections_match (f->db, "2026-03-01", "2026-03-01");
  assert_collections_match (f->db, today, today);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *from = random_day (rand, "2025-01-01", 400);
      g_autofree char *to = iso_plus (from, g_rand_int_range (rand, 0, 300));

      assert_collections_match (f->db, from, to);
    }
}

/* In a thread, the same rows. */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
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
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) direct = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  AsyncData ad = { g_main_loop_new (NULL, FALSE), NULL };
  GDate as_of = make_date ("2025-12-31");
  GDate from = make_date ("2025-01-01");

  make_book (f->db, rand);

  bb_reports_aging_async (f->db, &as_of, NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  rows = bb_reports_aging_finish (f->db, ad.result, &error);
  g_assert_no_error (error);
  g_clear_object (&ad.result);
  direct = bb_reports_aging (f->db, &as_of, &error);
  a = bb_reports_aging_to_csv (rows, bb_currency_lookup ("CNY"), &error);
  b = bb_reports_aging_to_csv (direct, bb_currency_lookup ("CNY"), &error);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpuint (rows->len, >, 0);

  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&direct, g_ptr_array_unref);
  g_clear_pointer (&a, g_free);
  g_clear_pointer (&b, g_free);
  bb_reports_collections_async (f->db, &from, NULL, NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  rows = bb_reports_collections_finish (f->db, ad.result, &error);
  g_assert_no_error (error);
  g_clear_object (&ad.result);
  direct = bb_reports_collections (f->db, &from, NULL, &error);
  a = bb_reports_collections_to_csv (rows, bb_currency_lookup ("CNY"), &error);
  b = bb_reports_collections_to_csv (direct, bb_currency_lookup ("CNY"), &error);
  g_assert_cmpstr (a, ==, b);

  /* Cancelled before it ran. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    bb_reports_aging_async (f->db, &as_of, cancellable, async_done, &ad);
    g_main_loop_run (ad.loop);
    g_assert_null (bb_reports_aging_finish (f->db, ad.result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_object (&ad.result);
  }

  g_main_loop_unref (ad.loop);
}

/* The reports of a period, against plain sums over every row */

static gboolean
in_period (const char *day,
           const char *from,
           const char *to)
{
  return (from == NULL || strcmp (day, from) >= 0) && (to == NULL || strcmp (day, to) <= 0);
}

static GDate *
date_or_null (const char *iso,
              GDate      *storage)
{
  if (iso == NULL)
    return NULL;
  *storage = make_date (iso);
  return storage;
}

static void
assert_methods_match (BbDb       *db,
                      const char *from,
                      const char *to)
{
  BbMoney amounts[BB_PAYMENT_N_METHODS] = { 0 };
  gint64 counts[BB_PAYMENT_N_METHODS] = { 0 };
  g_autoptr(GPtrArray) got = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  GDate f, t;
  guint n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), "SELECT received_on, method, amount FROM payments",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      BbPaymentMethod method;

      if (!in_period ((const char *) sqlite3_column_text (stmt, 0), from, to))
        continue;
      g_assert_true (bb_payment_method_from_string ((const char *) sqlite3_column_text (stmt, 1), &method));
      amounts[method] += sqlite3_column_int64 (stmt, 2);
      counts[method]++;
    }
  sqlite3_finalize (stmt);

  got = bb_reports_methods (db, date_or_null (from, &f), date_or_null (to, &t), &error);
  g_assert_no_error (error);
  for (guint m = 0; m < BB_PAYMENT_N_METHODS; m++)
    n += counts[m] > 0;
  g_assert_cmpuint (got->len, ==, n);
  for (guint i = 0; i < got->len; i++)
    {
      BbMethodRow *row = g_ptr_array_index (got, i);

      g_assert_cmpint (row->amount, ==, amounts[row->method]);
      g_assert_cmpint (row->count, ==, counts[row->method]);
      if (i > 0)
        g_assert_cmpint (((BbMethodRow *) g_ptr_array_index (got, i - 1))->amount, >=, row->amount);
    }
}

/* Paid or billed per customer in the period, the plain way. */
static GHashTable *
expected_sums (BbDb       *db,
               BbTopBy     by,
               const char *from,
               const char *to)
{
  GHashTable *sums = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;
  const char *sql = by == BB_TOP_BY_PAID
    ? "SELECT customer_id, received_on, amount, 'issued' FROM payments"
    : "SELECT customer_id, issued_on, total, status FROM invoices";

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 customer = sqlite3_column_int64 (stmt, 0);
      BbMoney *sum;

      if (!in_period ((const char *) sqlite3_column_text (stmt, 1), from, to) ||
          !g_str_equal ((const char *) sqlite3_column_text (stmt, 3), "issued"))
        continue;
      sum = g_hash_table_lookup (sums, &customer);
      if (sum == NULL)
        {
          sum = g_new0 (BbMoney, 1);
          g_hash_table_insert (sums, g_memdup2 (&customer, sizeof customer), sum);
        }
      *sum += sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_finalize (stmt);

  return sums;
}

static void
assert_top_matches (BbDb       *db,
                    BbTopBy     by,
                    const char *from,
                    const char *to,
                    guint       limit)
{
  g_autoptr(GHashTable) want = NULL;
  g_autoptr(GPtrArray) got = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint positive = 0;
  GDate f, t;

  if (by == BB_TOP_BY_OWED)
    {
      g_autoptr(GPtrArray) owed = expected_aging (db, to);

      want = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      for (guint i = 0; i < owed->len; i++)
        {
          BbAgingRow *row = g_ptr_array_index (owed, i);

          g_hash_table_insert (want, g_memdup2 (&row->customer_id, sizeof (gint64)),
                               g_memdup2 (&row->total, sizeof (BbMoney)));
        }
      from = NULL;
    }
  else
    want = expected_sums (db, by, from, to);

  got = bb_reports_top (db, by, date_or_null (from, &f), date_or_null (to, &t), limit, &error);
  g_assert_no_error (error);

  g_hash_table_iter_init (&iter, want);
  while (g_hash_table_iter_next (&iter, &key, &value))
    positive += *(BbMoney *) value > 0;
  g_assert_cmpuint (got->len, ==, limit > 0 ? MIN (limit, positive) : positive);

  for (guint i = 0; i < got->len; i++)
    {
      BbTopRow *row = g_ptr_array_index (got, i);
      BbMoney *sum = g_hash_table_lookup (want, &row->customer_id);

      g_assert_nonnull (sum);
      g_assert_cmpint (row->amount, ==, *sum);
      g_assert_cmpint (row->amount, >, 0);
      if (i > 0)
        g_assert_cmpint (((BbTopRow *) g_ptr_array_index (got, i - 1))->amount, >=, row->amount);
    }
  /* Nobody left out has more than the last one listed. */
  if (got->len > 0)
    {
      BbMoney last = ((BbTopRow *) g_ptr_array_index (got, got->len - 1))->amount;
      guint above = 0;

      g_hash_table_iter_init (&iter, want);
      while (g_hash_table_iter_next (&iter, &key, &value))
        above += *(BbMoney *) value > last;
      g_assert_cmpuint (above, <=, got->len);
    }
}

static void
assert_classes_match (BbDb       *db,
                      const char *from,
                      const char *to)
{
  gint64 customers[3] = { 0 };
  BbMoney billed[3] = { 0 };
  gint64 all_customers = 0;
  BbMoney all_billed = 0;
  g_autoptr(GPtrArray) got = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  GDate f, t;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db),
                                       "SELECT c.class, c.archived, i.issued_on, i.status, i.total "
                                       "FROM customers c LEFT JOIN invoices i ON i.customer_id = c.id "
                                       "UNION ALL SELECT class, archived, NULL, 'count', 0 FROM customers",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      int k = ((const char *) sqlite3_column_text (stmt, 0))[0] - 'A';
      const char *status = (const char *) sqlite3_column_text (stmt, 3);

      if (sqlite3_column_int (stmt, 1))
        continue;
      if (g_strcmp0 (status, "count") == 0)
        customers[k]++;
      else if (g_strcmp0 (status, "issued") == 0 &&
               in_period ((const char *) sqlite3_column_text (stmt, 2), from, to))
        billed[k] += sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_finalize (stmt);

  got = bb_reports_classes (db, date_or_null (from, &f), date_or_null (to, &t), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->len, ==, 3);
  for (guint k = 0; k < 3; k++)
    {
      all_customers += customers[k];
      all_billed += billed[k];
    }
  for (guint k = 0; k < 3; k++)
    {
      BbClassRow *row = g_ptr_array_index (got, k);
      double share;

      g_assert_cmpint (row->klass, ==, 'A' + k);
      g_assert_cmpint (row->customers, ==, customers[k]);
      g_assert_cmpint (row->billed, ==, billed[k]);
      share = all_customers ? 10000.0 * customers[k] / all_customers : 0;
      g_assert_cmpfloat (fabs (row->customers_share - share), <=, 0.5);
      share = all_billed > 0 ? 10000.0 * billed[k] / all_billed : 0;
      g_assert_cmpfloat (fabs (row->billed_share - share), <=, 0.5);
    }
}

static char *
month_end (const char *month)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 1, (GDateMonth) g_ascii_strtoull (month + 5, NULL, 10),
                  (GDateYear) g_ascii_strtoull (month, NULL, 10));
  g_date_add_months (&d, 1);
  g_date_subtract_days (&d, 1);
  return bb_date_to_iso (&d);
}

static void
assert_liability_matches (BbDb       *db,
                          const char *from,
                          const char *to)
{
  g_autoptr(GPtrArray) got = NULL;
  g_autoptr(GError) error = NULL;
  GDate f, t;

  got = bb_reports_liability (db, date_or_null (from, &f), date_or_null (to, &t), &error);
  g_assert_no_error (error);
  g_test_message ("liability %s … %s: %u months", from ? from : "", to ? to : "", got->len);
  g_assert_cmpuint (got->len, >, 0);
  if (from)
    g_assert_true (strncmp (((BbLiabilityRow *) g_ptr_array_index (got, 0))->month, from, 7) == 0);
  if (to)
    g_assert_true (strncmp (((BbLiabilityRow *) g_ptr_array_index (got, got->len - 1))->month, to, 7) == 0);

  for (guint i = 0; i < got->len; i++)
    {
      BbLiabilityRow *row = g_ptr_array_index (got, i);
      g_autofree char *end = month_end (row->month);
      BbMoney want = 0;
      sqlite3_stmt *stmt = NULL;

      if (to && strcmp (end, to) > 0)
        {
          g_free (end);
          end = g_strdup (to);
        }
      /* Every entry, the plain way. */
      g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), "SELECT occurred_on, amount FROM prepaid_entries",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        if (strcmp ((const char *) sqlite3_column_text (stmt, 0), end) <= 0)
          want += sqlite3_column_int64 (stmt, 1);
      sqlite3_finalize (stmt);

      g_assert_cmpint (row->balance, ==, want);
    }
}

static void
assert_on_time_matches (BbDb       *db,
                        const char *from,
                        const char *to,
                        const char *today)
{
  g_autoptr(GHashTable) due = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) on_time = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) got = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 due_total = 0, got_total = 0;
  GDate f, t, d = make_date (today);

  /* Each bill with what its payments received by the due date put on it. */
  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db),
                                       "SELECT id, due_on, total, status, kind FROM invoices",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *due_on = (const char *) sqlite3_column_text (stmt, 1);
      BbMoney total = sqlite3_column_int64 (stmt, 2);
      BbMoney paid = 0;
      sqlite3_stmt *alloc = NULL;
      char month[8];
      gint64 *n;

      if (!g_str_equal ((const char *) sqlite3_column_text (stmt, 3), "issued") ||
          !g_str_equal ((const char *) sqlite3_column_text (stmt, 4), "invoice") || total <= 0 ||
          !in_period (due_on, from, to) || strcmp (due_on, today) >= 0)
        continue;

      g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db),
                                           "SELECT a.amount, p.received_on FROM payment_allocations a, payments p "
                                           "WHERE p.id = a.payment_id AND a.invoice_id = ?1",
                                           -1, &alloc, NULL), ==, SQLITE_OK);
      sqlite3_bind_int64 (alloc, 1, id);
      while (sqlite3_step (alloc) == SQLITE_ROW)
        if (strcmp ((const char *) sqlite3_column_text (alloc, 1), due_on) <= 0)
          paid += sqlite3_column_int64 (alloc, 0);
      sqlite3_finalize (alloc);

      memcpy (month, due_on, 7);
      month[7] = '\0';
      if ((n = g_hash_table_lookup (due, month)) == NULL)
        {
          n = g_new0 (gint64, 1);
          g_hash_table_insert (due, g_strdup (month), n);
          g_hash_table_insert (on_time, g_strdup (month), g_new0 (gint64, 1));
        }
      (*n)++;
      due_total++;
      if (paid >= total)
        (*(gint64 *) g_hash_table_lookup (on_time, month))++;
    }
  sqlite3_finalize (stmt);

  got = bb_reports_on_time (db, date_or_null (from, &f), date_or_null (to, &t), &d, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < got->len; i++)
    {
      BbOnTimeRow *row = g_ptr_array_index (got, i);
      gint64 *n = g_hash_table_lookup (due, row->month);
      gint64 *k = g_hash_table_lookup (on_time, row->month);

      g_assert_cmpint (row->due, ==, n ? *n : 0);
      g_assert_cmpint (row->on_time, ==, k ? *k : 0);
      if (row->due > 0)
        g_assert_cmpfloat (fabs (row->rate - 10000.0 * row->on_time / row->due), <=, 0.5);
      else
        g_assert_cmpint (row->rate, ==, 0);
      got_total += row->due;
    }
  g_assert_cmpint (got_total, ==, due_total);
  if (from && got->len > 0)
    g_assert_true (strncmp (((BbOnTimeRow *) g_ptr_array_index (got, 0))->month, from, 7) == 0);
}

static void
test_generated_period (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);
  g_autofree char *today = NULL;
  GDate d;

  make_book (f->db, rand);
  /* Classes of every kind, and an archived customer, who is not counted. */
  sql_exec (f->db,
            "UPDATE customers SET class = 'A' WHERE id IN (2, 5);"
            "UPDATE customers SET class = 'C' WHERE id IN (3, 7, 8);"
            "UPDATE customers SET archived = 1 WHERE id = 8;");

  bb_date_set_today (&d);
  today = bb_date_to_iso (&d);

  {
    const char *periods[][2] = {
      { NULL, NULL }, { "2025-01-01", "2025-12-31" }, { "2025-02-15", NULL }, { NULL, "2025-11-10" },
      { "2024-06-01", "2024-08-31" }, { "2026-03-01", "2026-03-01" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
      {
        const char *from = periods[i][0], *to = periods[i][1];

        assert_methods_match (f->db, from, to);
        assert_top_matches (f->db, BB_TOP_BY_PAID, from, to, 0);
        assert_top_matches (f->db, BB_TOP_BY_PAID, from, to, 3);
        assert_top_matches (f->db, BB_TOP_BY_BILLED, from, to, 0);
        assert_top_matches (f->db, BB_TOP_BY_BILLED, from, to, 4);
        assert_classes_match (f->db, from, to);
        assert_on_time_matches (f->db, from, to, today);
        assert_on_time_matches (f->db, from, to, "2025-09-15");
        if (from || to)
          assert_liability_matches (f->db, from, to);
      }
  }
  assert_liability_matches (f->db, NULL, NULL);
  assert_liability_matches (f->db, "2025-01-15", "2026-05-20");
  assert_top_matches (f->db, BB_TOP_BY_OWED, NULL, "2025-12-31", 0);
  assert_top_matches (f->db, BB_TOP_BY_OWED, NULL, "2026-03-31", 5);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *from = random_day (rand, "2025-01-01", 400);
      g_autofree char *to = iso_plus (from, g_rand_int_range (rand, 0, 300));

      assert_methods_match (f->db, from, to);
      assert_top_matches (f->db, BB_TOP_BY_PAID, from, to, 5);
      assert_top_matches (f->db, BB_TOP_BY_BILLED, from, to, 5);
      assert_classes_match (f->db, from, to);
      assert_liability_matches (f->db, from, to);
      assert_on_time_matches (f->db, from, to, today);
    }
}

/* By hand: what each new report says of a small book, and as CSV. */
static void
test_period_by_hand (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  const BbCurrency *cny = bb_currency_lookup ("CNY");
  gint64 a, b, late, early;
  GDate from = make_date ("2026-01-01"), to = make_date ("2026-03-31"), today = make_date ("2026-04-10");

  a = add_customer (f->db, "Ann");
  b = add_customer (f->db, "@Bob");
  /* Ann: a bill due 01-31 paid on 01-31 (on time), one due 02-28 paid
   * on 03-02 (late); Bob: a bill due 03-31 unpaid (late), one due
   * 04-30 (not due yet on 04-10). */
  early = add_bill (f->db, a, "2026-01-01", "2026-01-31", 10000, FALSE);
  late = add_bill (f->db, a, "2026-02-01", "2026-02-28", 20000, FALSE);
  add_bill (f->db, b, "2026-03-01", "2026-03-31", 50000, FALSE);
  add_bill (f->db, b, "2026-04-01", "2026-04-30", 7000, FALSE);
  {
    g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);
    g_autoptr(GPtrArray) two = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);

    g_ptr_array_add (one, bb_allocation_new (early, 10000));
    record (f->db, a, "2026-01-31", 10000, BB_PAYMENT_WECHAT_PAY, one);
    g_ptr_array_add (two, bb_allocation_new (late, 20000));
    record (f->db, a, "2026-03-02", 20000, BB_PAYMENT_CASH, two);
  }
  record (f->db, b, "2026-02-10", 3000, BB_PAYMENT_CASH, NULL);
  record (f->db, b, "2026-05-10", 9900, BB_PAYMENT_CARD, NULL);    /* after the period */

  rows = bb_reports_methods (f->db, &from, &to, &error);
  g_assert_no_error (error);
  csv = bb_reports_methods_to_csv (rows, cny, &error);
  g_assert_cmpstr (csv, ==, BB_METHODS_CSV_HEADER "\ncash,230.00\nwechat_pay,100.00\n");
  /* The chart and the table of files say the same. */
  {
    g_autoptr(BbChart) chart = bb_chart_new_methods (rows, cny);
    g_autoptr(BbReportTable) table = bb_report_table_new_methods (rows, cny);

    g_assert_cmpint (bb_chart_get_kind (chart), ==, BB_CHART_DONUT);
    g_assert_cmpuint (bb_chart_get_n_categories (chart), ==, 2);
    g_assert_cmpstr (bb_chart_get_category_label (chart, 0), ==, "Cash");
    g_assert_cmpint (bb_chart_get_value (chart, 0, 0), ==, 23000);
    g_assert_cmpint (bb_chart_get_value (chart, 0, 1), ==, 10000);
    g_assert_cmpuint (bb_report_table_get_n_rows (table), ==, 2);
    g_assert_cmpstr (bb_report_table_get_cell (table, 0, 0), ==, "Cash");
    g_assert_cmpstr (bb_report_table_get_cell (table, 0, 1), ==, "2");
    g_assert_cmpstr (bb_report_table_get_cell (table, 0, 2), ==, "¥230.00");
    g_assert_cmpstr (bb_report_table_get_cell (table, 0, 3), ==, "69.7%");
  }
  /* The names the owner gave the methods in Preferences, on chart and
   * table; files keep the codes. */
  {
    g_autoptr(GPtrArray) named = NULL;
    g_autofree char *named_csv = NULL;

    g_assert_true (bb_payment_methods_set (f->db, BB_PAYMENT_WECHAT_PAY, "微信收款码", TRUE, &error));
    g_assert_no_error (error);
    named = bb_reports_methods (f->db, &from, &to, &error);
    g_assert_no_error (error);
    {
      g_autoptr(BbChart) chart = bb_chart_new_methods (named, cny);
      g_autoptr(BbReportTable) table = bb_report_table_new_methods (named, cny);

      g_assert_cmpstr (bb_chart_get_category_label (chart, 1), ==, "微信收款码");
      g_assert_cmpstr (bb_report_table_get_cell (table, 1, 0), ==, "微信收款码");
    }
    named_csv = bb_reports_methods_to_csv (named, cny, &error);
    g_assert_cmpstr (named_csv, ==, csv);
  }
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&csv, g_free);

  rows = bb_reports_top (f->db, BB_TOP_BY_PAID, &from, &to, 10, &error);
  csv = bb_reports_top_to_csv (rows, BB_TOP_BY_PAID, cny, &error);
  g_assert_cmpstr (csv, ==, BB_TOP_PAID_CSV_HEADER "\nC000001,Ann,300.00\nC000002,'@Bob,30.00\n");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&csv, g_free);

  rows = bb_reports_top (f->db, BB_TOP_BY_BILLED, &from, &to, 1, &error);
  csv = bb_reports_top_to_csv (rows, BB_TOP_BY_BILLED, cny, &error);
  g_assert_cmpstr (csv, ==, BB_TOP_BILLED_CSV_HEADER "\nC000002,'@Bob,500.00\n");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&csv, g_free);

  /* Owed on 03-31: Bob's 500 less the 30 he paid in February (a payment
   * recorded without saying which bill goes on the oldest open one). */
  rows = bb_reports_top (f->db, BB_TOP_BY_OWED, NULL, &to, 10, &error);
  csv = bb_reports_top_to_csv (rows, BB_TOP_BY_OWED, cny, &error);
  g_assert_cmpstr (csv, ==, BB_TOP_OWED_CSV_HEADER "\nC000002,'@Bob,470.00\n");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&csv, g_free);

  sql_exec (f->db, "UPDATE customers SET class = 'A' WHERE id = 1; UPDATE customers SET class = 'C' WHERE id = 2;");
  rows = bb_reports_classes (f->db, &from, &to, &error);
  csv = bb_reports_classes_to_csv (rows, cny, &error);
  g_assert_cmpstr (csv, ==, BB_CLASSES_CSV_HEADER "\n"
                   "A,1,50.00,300.00,37.50\n"
                   "B,0,0.00,0.00,0.00\n"
                   "C,1,50.00,500.00,62.50\n");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&csv, g_free);

  rows = bb_reports_on_time (f->db, &from, NULL, &today, &error);
  {
    g_autoptr(BbChart) chart = bb_chart_new_on_time (rows);
    g_autoptr(BbReportTable) table = bb_report_table_new_on_time (rows);

    g_assert_cmpint (bb_chart_get_value_format (chart), ==, BB_CHART_VALUE_PERCENT);
    g_assert_cmpint (bb_chart_get_value (chart, 0, 0), ==, 10000);
    g_assert_cmpint (bb_chart_get_value (chart, 0, 1), ==, 0);
    g_assert_cmpstr (bb_report_table_get_cell (table, 3, 3), ==, "—");   /* nothing fell due */
  }
  csv = bb_reports_on_time_to_csv (rows, &error);
  g_assert_cmpstr (csv, ==, BB_ON_TIME_CSV_HEADER "\n"
                   "2026-01,1,1,100.00\n"
                   "2026-02,1,0,0.00\n"
                   "2026-03,1,0,0.00\n"
                   "2026-04,0,0,\n");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&csv, g_free);

  /* A card: 1,100 in on 01-20 (100 of it bonus), 300 spent in March,
   * the rest refunded in May. */
  sql_exec (f->db,
            "INSERT INTO prepaid_accounts (customer_id, name, created_at) VALUES (1, 'Card', '');"
            "INSERT INTO prepaid_entries (account_id, occurred_on, kind, amount, bonus_part, method, created_at) VALUES "
            "  (1, '2025-12-20', 'topup', 100000, 0, 'cash', ''),"
            "  (1, '2025-12-20', 'bonus', 10000, 10000, NULL, ''),"
            "  (1, '2026-03-05', 'charge', -30000, 0, NULL, ''),"
            "  (1, '2026-05-01', 'refund', -70000, 0, NULL, '');");
  rows = bb_reports_liability (f->db, &from, &to, &error);
  csv = bb_reports_liability_to_csv (rows, cny, &error);
  g_assert_cmpstr (csv, ==, BB_LIABILITY_CSV_HEADER "\n2026-01,1100.00\n2026-02,1100.00\n2026-03,800.00\n");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&csv, g_free);
  rows = bb_reports_liability (f->db, NULL, NULL, &error);
  csv = bb_reports_liability_to_csv (rows, cny, &error);
  g_assert_cmpstr (csv, ==, BB_LIABILITY_CSV_HEADER "\n2025-12,1100.00\n2026-01,1100.00\n2026-02,1100.00\n"
                   "2026-03,800.00\n2026-04,800.00\n2026-05,100.00\n");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* From after to: refused, naming the field. */
  g_assert_null (bb_reports_methods (f->db, &to, &from, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (bb_reports_on_time (f->db, &to, &from, &today, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
}

static void
test_period_async (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(BbReportSet) set = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) direct = NULL;
  AsyncData ad = { g_main_loop_new (NULL, FALSE), NULL };
  GDate from = make_date ("2025-01-01"), today;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  make_book (f->db, rand);
  bb_date_set_today (&today);

  bb_reports_period_async (f->db, &from, &today, 5, BB_REPORT_ALL, NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  set = bb_reports_period_finish (f->db, ad.result, &error);
  g_assert_no_error (error);
  g_clear_object (&ad.result);
  g_assert_nonnull (set->collections);
  g_assert_nonnull (set->aging);
  g_assert_cmpuint (set->top->len, <=, 5);
  g_assert_cmpuint (set->classes->len, ==, 3);
  /* What the cards of make_book hold today. */
  g_assert_cmpint (set->liability_today, ==, 110000 + 5000 + 50000 + 20000 - 30000 - 40000 - 1000);

  direct = bb_reports_methods (f->db, &from, &today, &error);
  a = bb_reports_methods_to_csv (direct, bb_currency_lookup ("CNY"), &error);
  b = bb_reports_methods_to_csv (set->methods, bb_currency_lookup ("CNY"), &error);
  g_assert_cmpstr (a, ==, b);

  /* Only what was asked for. */
  g_clear_pointer (&set, bb_report_set_free);
  bb_reports_period_async (f->db, &from, &today, 5, BB_REPORT_SLOW, NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  set = bb_reports_period_finish (f->db, ad.result, &error);
  g_assert_no_error (error);
  g_clear_object (&ad.result);
  g_assert_null (set->collections);
  g_assert_null (set->aging);
  g_assert_null (set->methods);
  g_assert_null (set->liability);
  g_assert_nonnull (set->top);
  g_assert_nonnull (set->classes);
  g_assert_nonnull (set->on_time);

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

  ADD ("/reports/aging/buckets", test_aging_buckets);
  ADD ("/reports/collections/kinds", test_collections_kinds);
  ADD ("/reports/generated", test_generated);
  ADD ("/reports/async", test_async);
  ADD ("/reports/period/by-hand", test_period_by_hand);
  ADD ("/reports/period/generated", test_generated_period);
  ADD ("/reports/period/async", test_period_async);

  return g_test_run ();
}
