/* test-reports.c — aging and collections against a computation of their own
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-check.h"
#include "bb-customers-private.h"
#include "bb-db-private.h"
#include "bb-invoices.h"
#include "bb-payments-private.h"
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

  return g_test_run ();
}
