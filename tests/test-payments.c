/* test-payments.c — payments, allocation to bills, credit and refunds
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
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoices.h"
#include "bb-payments.h"
#include "bb-payment-methods.h"
#include "bb-text.h"

typedef struct
{
  char   *dir;
  char   *path;
  BbDb   *db;
  gint64  alice;
  gint64  bob;
  gint64  n_payments;       /* the most rows seen: history never shrinks */
  gint64  n_allocations;
} Fixture;

/* Helpers */

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
query_text (BbDb       *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return text;
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
  c->address = g_strdup ("上海市徐汇区漕溪北路 88 号");
  g_free (c->phone);
  c->phone = g_strdup ("138 0013 8000");
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  return c->id;
}

static BbCustomer *
get_customer (BbDb   *db,
              gint64  id)
{
  g_autoptr(GError) error = NULL;
  BbCustomer *c = bb_customers_get (db, id, &error);

  g_assert_no_error (error);
  return c;
}

static BbInvoice *
get_bill (BbDb   *db,
          gint64  id)
{
  g_autoptr(GError) error = NULL;
  BbInvoice *inv = bb_invoices_get (db, id, &error);

  g_assert_no_error (error);
  return inv;
}

/* A bill of @total (one line, no tax), issued unless @draft. */
static gint64
make_bill_full (BbDb       *db,
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
  bb_invoice_add_line (inv, "洗车 Car wash", 1000, total, 0, 0);
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
make_bill (Fixture    *f,
           gint64      customer,
           const char *issued_on,
           const char *due_on,
           BbMoney     total)
{
  return make_bill_full (f->db, customer, issued_on, due_on, total, FALSE);
}

static BbPayment *
new_payment (gint64           customer,
             const char      *received_on,
             BbMoney          amount,
             BbPaymentMethod  method)
{
  BbPayment *p = bb_payment_new ();

  p->customer_id = customer;
  g_free (p->received_on);
  p->received_on = g_strdup (received_on);
  p->amount = amount;
  p->method = method;

  return p;
}

/* Records a payment that must be accepted. @allocations: NULL for
 * automatic, else pairs of bill id and amount ended by 0. */
static gint64
pay (Fixture         *f,
     gint64           customer,
     const char      *received_on,
     BbMoney          amount,
     gboolean         automatic,
     ...)
{
  g_autoptr(BbPayment) p = new_payment (customer, received_on, amount, BB_PAYMENT_ALIPAY);
  g_autoptr(GPtrArray) allocations = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  va_list args;

  if (!automatic)
    {
      gint64 bill;

      allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);
      va_start (args, automatic);
      while ((bill = va_arg (args, gint64)) != 0)
        g_ptr_array_add (allocations, bb_allocation_new (bill, va_arg (args, BbMoney)));
      va_end (args);
    }

  g_assert_true (bb_payments_record (f->db, p, allocations, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (id, ==, p->id);

  return id;
}

/* Every kept balance agrees with the money rows, and no money row was
 * lost since the last look. */
static void
assert_sound (Fixture *f)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_payments = query_int (f->db, "SELECT count(*) FROM payments");
  gint64 n_allocations = query_int (f->db, "SELECT count(*) FROM payment_allocations");
  gboolean ok;

  ok = bb_check_book (f->db, &problems, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_true (ok);

  g_assert_cmpint (n_payments, >=, f->n_payments);
  g_assert_cmpint (n_allocations, >=, f->n_allocations);
  f->n_payments = n_payments;
  f->n_allocations = n_allocations;
}

static void
assert_bill (BbDb    *db,
             gint64   id,
             BbMoney  paid,
             BbMoney  open)
{
  g_autoptr(BbInvoice) inv = get_bill (db, id);

  g_assert_cmpint (inv->paid, ==, paid);
  g_assert_cmpint (inv->open_balance, ==, open);
}

static void
assert_customer (BbDb       *db,
                 gint64      id,
                 BbMoney     outstanding,
                 BbMoney     credit,
                 const char *last_payment_on)
{
  g_autoptr(BbCustomer) c = get_customer (db, id);

  g_assert_cmpint (c->outstanding, ==, outstanding);
  g_assert_cmpint (c->credit, ==, credit);
  g_assert_cmpstr (c->last_payment_on, ==, last_payment_on);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-payments-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  f->alice = add_customer (f->db, "王小明");
  f->bob = add_customer (f->db, "Bob Smith");
  f->n_payments = 0;
  f->n_allocations = 0;
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

/* Tests */

/* Without allocations a payment pays the open bills oldest due first,
 * whatever order they were issued in; the rest is credit. */
static void
test_automatic (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) allocations = NULL;
  g_autoptr(BbPayment) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 late, early, middle, other, draft, id;

  /* Issued in this order, due in another. */
  late = make_bill (f, f->alice, "2026-01-05", "2026-03-31", 30000);
  early = make_bill (f, f->alice, "2026-01-10", "2026-01-20", 10000);
  middle = make_bill (f, f->alice, "2026-01-15", "2026-02-15", 20000);
  other = make_bill (f, f->bob, "2026-01-01", "2026-01-02", 50000);
  draft = make_bill_full (f->db, f->alice, "2026-01-01", "2026-01-01", 7000, TRUE);
  assert_sound (f);
  assert_customer (f->db, f->alice, 60000, 0, NULL);

  id = pay (f, f->alice, "2026-02-01", 25000, TRUE);
  assert_bill (f->db, early, 10000, 0);
  assert_bill (f->db, middle, 15000, 5000);
  assert_bill (f->db, late, 0, 30000);
  assert_bill (f->db, other, 0, 50000);
  assert_bill (f->db, draft, 0, 7000);
  assert_customer (f->db, f->alice, 35000, 0, "2026-02-01");
  assert_customer (f->db, f->bob, 50000, 0, NULL);
  assert_sound (f);

  allocations = bb_payments_list_payment_allocations (f->db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (allocations->len, ==, 2);
  g_assert_cmpint (((BbAllocation *) g_ptr_array_index (allocations, 0))->invoice_id, ==, early);
  g_assert_cmpint (((BbAllocation *) g_ptr_array_index (allocations, 0))->amount, ==, 10000);
  g_assert_cmpint (((BbAllocation *) g_ptr_array_index (allocations, 0))->kind, ==, BB_ALLOCATION_PAYMENT);
  g_assert_cmpint (((BbAllocation *) g_ptr_array_index (allocations, 1))->invoice_id, ==, middle);
  g_assert_cmpint (((BbAllocation *) g_ptr_array_index (allocations, 1))->amount, ==, 15000);

  /* More than is owed: everything paid, the rest is credit. */
  pay (f, f->alice, "2026-02-10", 40000, TRUE);
  assert_bill (f->db, middle, 20000, 0);
  assert_bill (f->db, late, 30000, 0);
  assert_customer (f->db, f->alice, 0, 5000, "2026-02-10");
  assert_sound (f);

  /* Nothing open: all of it is credit. */
  id = pay (f, f->alice, "2026-02-11", 1234, TRUE);
  stored = bb_payments_get (f->db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->allocated, ==, 0);
  g_assert_cmpint (stored->unallocated, ==, 1234);
  g_assert_cmpstr (stored->currency, ==, "CNY");
  g_assert_cmpstr (stored->customer_code, ==, "C000001");
  assert_customer (f->db, f->alice, 0, 6234, "2026-02-11");
  assert_sound (f);

  {
    g_autoptr(BbInvoice) paid = get_bill (f->db, early);
    g_autoptr(BbInvoice) open = get_bill (f->db, other);
    GDate today;

    g_date_clear (&today, 1);
    g_date_set_dmy (&today, 1, G_DATE_JUNE, 2026);
    g_assert_cmpint (bb_invoice_get_payment_state (paid), ==, BB_INVOICE_PAID);
    g_assert_false (bb_invoice_is_overdue (paid, &today));
    g_assert_cmpint (bb_invoice_get_payment_state (open), ==, BB_INVOICE_UNPAID);
    g_assert_true (bb_invoice_is_overdue (open, &today));
  }
}

typedef struct
{
  gint64      bill;        /* 0: a bill that does not exist */
  BbMoney     amount;
  gint64      bill2;       /* a second allocation, or 0 */
  BbMoney     amount2;
  const char *message;
} BadAllocation;

/* Chosen allocations: each checked, the field named, nothing written. */
static void
test_explicit (Fixture       *f,
               gconstpointer  data)
{
  gint64 a1, a2, b1, draft, voided, note_id;
  gint64 n_payments, n_allocations, n_audit;

  a1 = make_bill (f, f->alice, "2026-01-05", "2026-03-31", 30000);
  a2 = make_bill (f, f->alice, "2026-01-10", "2026-01-20", 10000);
  b1 = make_bill (f, f->bob, "2026-01-01", "2026-01-02", 50000);
  draft = make_bill_full (f->db, f->alice, "2026-01-01", "2026-01-01", 7000, TRUE);
  voided = make_bill (f, f->alice, "2026-01-01", "2026-01-01", 8000);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BbInvoice) note = NULL;

    g_assert_true (bb_invoices_void (f->db, voided, "Typed twice", &error));
    note = bb_invoices_create_credit_note (f->db, a1, &error);
    g_assert_no_error (error);
    g_free (note->issued_on);
    note->issued_on = g_strdup ("2026-01-15");
    g_free (note->due_on);
    note->due_on = g_strdup ("2026-01-15");
    g_assert_true (bb_invoices_save_draft (f->db, note, &error));
    g_assert_true (bb_invoices_submit (f->db, note->id, &error));
    g_assert_true (bb_invoices_issue (f->db, note->id, &error));
    g_assert_no_error (error);
    note_id = note->id;
  }
  assert_sound (f);

  /* The later-due bill first, as the shop chose. */
  pay (f, f->alice, "2026-01-25", 35000, FALSE, a1, (BbMoney) 30000, a2, (BbMoney) 4000, (gint64) 0);
  assert_bill (f->db, a1, 30000, 0);
  assert_bill (f->db, a2, 4000, 6000);
  assert_customer (f->db, f->alice, 6000 - 30000, 1000, "2026-01-25");
  assert_sound (f);

  n_payments = query_int (f->db, "SELECT count(*) FROM payments");
  n_allocations = query_int (f->db, "SELECT count(*) FROM payment_allocations");
  n_audit = query_int (f->db, "SELECT count(*) FROM audit_log");

  {
    const BadAllocation bad[] = {
      { b1, 1000, 0, 0, "Allocation 1, bill: bill INV-2026-0003 is for another customer" },
      { a2, 1000, b1, 1000, "Allocation 2, bill: bill INV-2026-0003 is for another customer" },
      { draft, 1000, 0, 0, "Allocation 1, bill: the bill is not issued yet; issue it before it is paid" },
      { voided, 1000, 0, 0, "Allocation 1, bill: bill INV-2026-0004 is void" },
      { note_id, 1000, 0, 0, "Allocation 1, bill: INV-2026-0005 is a credit note; it takes no payments" },
      { 9999, 1000, 0, 0, "Allocation 1, bill: the bill no longer exists" },
      { a2, 0, 0, 0, "Allocation 1, amount: must be more than zero" },
      { a2, -5, 0, 0, "Allocation 1, amount: must be more than zero" },
      { a2, 6001, 0, 0, "Allocation 1, amount: ¥60.01 is more than the ¥60.00 still open on bill INV-2026-0002" },
      { a1, 1, 0, 0, "Allocation 1, amount: ¥0.01 is more than the ¥0.00 still open on bill INV-2026-0001" },
      /* Together more than the bill owes. */
      { a2, 4000, a2, 2001, "Allocation 2, amount: ¥20.01 is more than the ¥20.00 still open on bill INV-2026-0002" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(BbPayment) p = new_payment (f->alice, "2026-02-01", 10000, BB_PAYMENT_CASH);
        g_autoptr(GPtrArray) allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);
        g_autoptr(GError) error = NULL;
        gint64 id = -1;

        g_test_message ("case %u", i);
        g_ptr_array_add (allocations, bb_allocation_new (bad[i].bill, bad[i].amount));
        if (bad[i].bill2)
          g_ptr_array_add (allocations, bb_allocation_new (bad[i].bill2, bad[i].amount2));

        g_assert_false (bb_payments_record (f->db, p, allocations, &id, &error));
        g_assert_nonnull (error);
        g_assert_cmpstr (error->message, ==, bad[i].message);
        g_assert_cmpint (id, ==, -1);
        g_assert_cmpint (p->id, ==, 0);
      }
  }

  /* The parts add up to more than the payment. */
  {
    g_autoptr(BbPayment) p = new_payment (f->bob, "2026-02-01", 10000, BB_PAYMENT_CASH);
    g_autoptr(GPtrArray) allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);
    g_autoptr(GError) error = NULL;

    g_ptr_array_add (allocations, bb_allocation_new (b1, 6000));
    g_ptr_array_add (allocations, bb_allocation_new (b1, 5000));
    g_assert_false (bb_payments_record (f->db, p, allocations, NULL, &error));
    g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "Allocations: they add up to more than the payment of ¥100.00");
  }

  /* The payment itself. */
  {
    /* customer: 0 for 王小明, -1 for nobody */
    const struct
    {
      gint64           customer;
      const char      *date;
      BbMoney          amount;
      BbPaymentMethod  method;
      const char      *reference;
      const char      *message;
    } cases[] = {
      { -1, "2026-02-01", 100, BB_PAYMENT_CASH, "", "Customer: choose who paid" },
      { 424242, "2026-02-01", 100, BB_PAYMENT_CASH, "", "The customer no longer exists" },
      { 0, "2026-02-30", 100, BB_PAYMENT_CASH, "", "Received on: 2026-02-30 does not exist" },
      { 0, "1.2.2026", 100, BB_PAYMENT_CASH, "", "Received on: “1.2.2026” is not a date; write it as YYYY-MM-DD" },
      { 0, "2026-02-01", 0, BB_PAYMENT_CASH, "",
        "Amount: must be more than zero; money paid back is a refund of the payment" },
      { 0, "2026-02-01", -100, BB_PAYMENT_CASH, "",
        "Amount: must be more than zero; money paid back is a refund of the payment" },
      { 0, "2026-02-01", 100, BB_PAYMENT_PREPAID, "",
        "Method: a payment from a prepaid card is taken from the card on the Prepaid page" },
      { 0, "2026-02-01", 100, (BbPaymentMethod) 42, "", "Method: choose how the money came" },
      { 0, "2026-02-01", 100, BB_PAYMENT_CARD, "POS\a1", "Reference: contains a control character (U+0007)" },
      { 0, "2026-02-01", 100, BB_PAYMENT_CARD, "line\nbreak", "Reference: contains a control character (U+000A)" },
      { 0, "2026-02-01", 100, BB_PAYMENT_CARD, "\xff\xfe", "Reference: the text is not valid UTF-8" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        gint64 customer = cases[i].customer == 0 ? f->alice : MAX (cases[i].customer, 0);
        g_autoptr(BbPayment) p = new_payment (customer, cases[i].date, cases[i].amount, cases[i].method);
        g_autoptr(GError) error = NULL;

        g_test_message ("payment case %u", i);
        g_free (p->reference);
        p->reference = g_strdup (cases[i].reference);
        g_assert_false (bb_payments_record (f->db, p, NULL, NULL, &error));
        g_assert_nonnull (error);
        g_assert_cmpstr (error->message, ==, cases[i].message);
      }

    /* Another currency than the book's. */
    {
      g_autoptr(BbPayment) p = new_payment (f->alice, "2026-02-01", 100, BB_PAYMENT_CASH);
      g_autoptr(GError) error = NULL;

      p->currency = g_strdup ("USD");
      g_assert_false (bb_payments_record (f->db, p, NULL, NULL, &error));
      g_assert_cmpstr (error->message, ==, "Currency: payments are kept in CNY, the currency of the book");
    }
  }

  /* Nothing of any refused payment was written, not even to the log. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments"), ==, n_payments);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations"), ==, n_allocations);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, n_audit);
  assert_bill (f->db, a2, 4000, 6000);
  assert_sound (f);

  /* An empty list keeps it all as credit, even with bills open. */
  {
    g_autoptr(BbPayment) p = new_payment (f->alice, "2026-02-02", 777, BB_PAYMENT_WECHAT_PAY);
    g_autoptr(GPtrArray) none = g_ptr_array_new ();
    g_autoptr(GError) error = NULL;

    g_assert_true (bb_payments_record (f->db, p, none, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (p->unallocated, ==, 777);
    assert_customer (f->db, f->alice, 6000 - 30000, 1777, "2026-02-02");
    assert_bill (f->db, a2, 4000, 6000);
    assert_sound (f);

    /* Recorded once: the same record again is refused. */
    g_assert_false (bb_payments_record (f->db, p, none, NULL, &error));
    g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  }
}

/* Credit is used on a later bill from the payments that hold it, oldest
 * first. */
static void
test_credit (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) allocations = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first, second, later, other, audit_before;
  gint64 p1, p2;

  first = make_bill (f, f->alice, "2026-01-01", "2026-01-31", 10000);
  p1 = pay (f, f->alice, "2026-01-10", 13000, TRUE);        /* 30.00 credit */
  p2 = pay (f, f->alice, "2026-01-20", 5000, TRUE);         /* 50.00 more */
  assert_bill (f->db, first, 10000, 0);
  assert_customer (f->db, f->alice, 0, 8000, "2026-01-20");
  assert_sound (f);

  second = make_bill (f, f->alice, "2026-02-01", "2026-02-28", 6000);
  later = make_bill (f, f->alice, "2026-02-05", "2026-03-05", 9000);
  other = make_bill (f, f->bob, "2026-02-01", "2026-02-28", 9000);
  assert_customer (f->db, f->alice, 15000, 8000, "2026-01-20");

  /* Refused: more than the credit, more than the bill owes, someone
   * else's bill, nothing. */
  g_assert_false (bb_payments_apply_credit (f->db, f->alice, later, 8001, &error));
  g_assert_cmpstr (error->message, ==, "Amount: ¥80.01 is more than the credit of 王小明, ¥80.00");
  g_clear_error (&error);
  g_assert_false (bb_payments_apply_credit (f->db, f->alice, second, 6001, &error));
  g_assert_cmpstr (error->message, ==, "Amount: ¥60.01 is more than the ¥60.00 still open on bill INV-2026-0002");
  g_clear_error (&error);
  g_assert_false (bb_payments_apply_credit (f->db, f->alice, other, 100, &error));
  g_assert_cmpstr (error->message, ==, "Bill: bill INV-2026-0004 is for another customer");
  g_clear_error (&error);
  g_assert_false (bb_payments_apply_credit (f->db, f->alice, second, 0, &error));
  g_assert_cmpstr (error->message, ==, "Amount: must be more than zero");
  g_clear_error (&error);
  g_assert_false (bb_payments_apply_credit (f->db, f->bob, other, 100, &error));
  g_assert_cmpstr (error->message, ==, "Amount: ¥1.00 is more than the credit of Bob Smith, ¥0.00");
  g_clear_error (&error);
  assert_sound (f);

  /* 50.00 of 80.00: all 30.00 of the first payment, 20.00 of the second. */
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'apply-credit'");
  g_assert_true (bb_payments_apply_credit (f->db, f->alice, second, 5000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'apply-credit'"), ==,
                   audit_before + 1);
  assert_bill (f->db, second, 5000, 1000);
  assert_customer (f->db, f->alice, 1000 + 9000, 3000, "2026-01-20");
  assert_sound (f);

  allocations = bb_payments_list_allocations (f->db, second, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (allocations->len, ==, 2);
  {
    BbAllocation *a = g_ptr_array_index (allocations, 0);
    BbAllocation *b = g_ptr_array_index (allocations, 1);

    g_assert_cmpint (a->payment_id, ==, p1);
    g_assert_cmpint (a->amount, ==, 3000);
    g_assert_cmpint (a->kind, ==, BB_ALLOCATION_CREDIT);
    g_assert_cmpstr (a->received_on, ==, "2026-01-10");
    g_assert_cmpstr (a->invoice_number, ==, "INV-2026-0002");
    g_assert_cmpint (a->method, ==, BB_PAYMENT_ALIPAY);
    g_assert_cmpint (b->payment_id, ==, p2);
    g_assert_cmpint (b->amount, ==, 2000);
    g_assert_cmpint (b->kind, ==, BB_ALLOCATION_CREDIT);
  }

  /* The rest of the credit on the later bill; then none is left. */
  g_assert_true (bb_payments_apply_credit (f->db, f->alice, later, 3000, &error));
  g_assert_no_error (error);
  assert_bill (f->db, later, 3000, 6000);
  assert_customer (f->db, f->alice, 1000 + 6000, 0, "2026-01-20");
  assert_sound (f);
  g_assert_false (bb_payments_apply_credit (f->db, f->alice, later, 1, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);

  /* Credit does not count twice: the payments brought 180.00 in all. */
  g_assert_cmpint (query_int (f->db, "SELECT sum(amount) FROM payments"), ==, 18000);
  g_assert_cmpint (query_int (f->db, "SELECT sum(amount) FROM payment_allocations"), ==, 18000);
}

/* A refund undoes a payment by adding rows, never changing any. */
static void
test_reverse (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbPayment) original = NULL;
  g_autoptr(BbPayment) refund = NULL;
  g_autoptr(GPtrArray) taken_back = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *rows_before = NULL;
  g_autofree char *rows_after = NULL;
  g_autofree char *today = NULL;
  gint64 a1, a2, b1, p1, p2, pb;
  GDate d;

  bb_date_set_today (&d);
  today = bb_date_to_iso (&d);

  a1 = make_bill (f, f->alice, "2026-01-01", "2026-01-31", 10000);
  a2 = make_bill (f, f->alice, "2026-01-05", "2026-02-05", 20000);
  b1 = make_bill (f, f->bob, "2026-01-05", "2026-02-05", 5000);
  p1 = pay (f, f->alice, "2026-01-10", 25000, TRUE);      /* a1 100, a2 150 */
  p2 = pay (f, f->alice, "2026-01-12", 8000, TRUE);       /* a2 50, 30 credit */
  pb = pay (f, f->bob, "2026-01-12", 5000, TRUE);
  assert_customer (f->db, f->alice, 0, 3000, "2026-01-12");
  assert_sound (f);

  /* Every row as it is now, to compare after. */
  rows_before = query_text (f->db,
                            "SELECT group_concat(row, ';') FROM (SELECT id || ':' || customer_id || ':' || received_on "
                            "  || ':' || amount || ':' || method || ':' || coalesce(reverses_id, '-') AS row "
                            "  FROM payments ORDER BY id)");

  /* A reason is needed. */
  g_assert_false (bb_payments_reverse (f->db, p1, "  ", &error));
  g_assert_cmpstr (error->message, ==, "Reason: say why the payment is refunded");
  g_clear_error (&error);
  g_assert_false (bb_payments_reverse (f->db, 4242, "x", &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_sound (f);

  g_assert_true (bb_payments_reverse (f->db, p1, "Paid twice by mistake", &error));
  g_assert_no_error (error);
  assert_bill (f->db, a1, 0, 10000);
  assert_bill (f->db, a2, 5000, 15000);
  assert_customer (f->db, f->alice, 25000, 3000, "2026-01-12");
  assert_customer (f->db, f->bob, 0, 0, "2026-01-12");
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments"), ==, 4);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payment_allocations"), ==, 4 + 2);
  assert_sound (f);

  /* The old rows are exactly as they were. */
  rows_after = query_text (f->db,
                           "SELECT group_concat(row, ';') FROM (SELECT id || ':' || customer_id || ':' || received_on "
                           "  || ':' || amount || ':' || method || ':' || coalesce(reverses_id, '-') AS row "
                           "  FROM payments WHERE id <= 3 ORDER BY id)");
  g_assert_cmpstr (rows_after, ==, rows_before);

  original = bb_payments_get (f->db, p1, &error);
  g_assert_no_error (error);
  g_assert_true (bb_payment_is_reversed (original));
  g_assert_false (bb_payment_is_refund (original));
  refund = bb_payments_get (f->db, original->reversed_by_id, &error);
  g_assert_no_error (error);
  g_assert_true (bb_payment_is_refund (refund));
  g_assert_cmpint (refund->reverses_id, ==, p1);
  g_assert_cmpint (refund->amount, ==, -25000);
  g_assert_cmpint (refund->method, ==, BB_PAYMENT_ALIPAY);
  g_assert_cmpstr (refund->received_on, ==, today);
  g_assert_cmpstr (refund->note, ==, "Paid twice by mistake");
  g_assert_cmpint (refund->allocated, ==, -25000);
  g_assert_cmpint (refund->unallocated, ==, 0);

  taken_back = bb_payments_list_payment_allocations (f->db, refund->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (taken_back->len, ==, 2);
  g_assert_cmpint (((BbAllocation *) g_ptr_array_index (taken_back, 0))->invoice_id, ==, a1);
  g_assert_cmpint (((BbAllocation *) g_ptr_array_index (taken_back, 0))->amount, ==, -10000);
  g_assert_cmpint (((BbAllocation *) g_ptr_array_index (taken_back, 0))->kind, ==, BB_ALLOCATION_REVERSAL);
  g_assert_cmpint (((BbAllocation *) g_ptr_array_index (taken_back, 1))->invoice_id, ==, a2);
  g_assert_cmpint (((BbAllocation *) g_ptr_array_index (taken_back, 1))->amount, ==, -15000);

  /* Once only; a refund is not reversed. */
  g_assert_false (bb_payments_reverse (f->db, p1, "Again", &error));
  g_assert_nonnull (strstr (error->message, "The payment was refunded already, on "));
  g_clear_error (&error);
  g_assert_false (bb_payments_reverse (f->db, refund->id, "Undo", &error));
  g_assert_cmpstr (error->message, ==,
                   "This is a refund; it cannot be reversed. Record the money as a new payment");
  g_clear_error (&error);
  assert_sound (f);

  /* The history shows both, newest first. */
  history = bb_payments_list_for_customer (f->db, f->alice, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_cmpint (((BbPayment *) g_ptr_array_index (history, 0))->id, ==, refund->id);
  g_assert_cmpint (((BbPayment *) g_ptr_array_index (history, 1))->id, ==, p2);
  g_assert_cmpint (((BbPayment *) g_ptr_array_index (history, 2))->id, ==, p1);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = bb_payments_list_for_customer (f->db, f->alice, 1, 1, &error);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpint (((BbPayment *) g_ptr_array_index (history, 0))->id, ==, p2);

  /* A refund takes back the credit the payment held, and its uses. */
  g_assert_true (bb_payments_apply_credit (f->db, f->alice, a1, 2000, &error));
  g_assert_no_error (error);
  assert_bill (f->db, a1, 2000, 8000);
  assert_customer (f->db, f->alice, 23000, 1000, "2026-01-12");
  g_assert_true (bb_payments_reverse (f->db, p2, "Cheque bounced", &error));
  g_assert_no_error (error);
  assert_bill (f->db, a1, 0, 10000);
  assert_bill (f->db, a2, 0, 20000);
  /* No payment stands: no last payment, no credit. */
  assert_customer (f->db, f->alice, 30000, 0, NULL);
  assert_sound (f);

  /* Bob's payment was not touched. */
  assert_bill (f->db, b1, 5000, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE reverses_id IS NOT NULL"), ==, 2);
  g_assert_cmpint (query_int (f->db, "SELECT sum(amount) FROM payments WHERE customer_id = 1"), ==, 0);
  (void) pb;

  /* A bill whose payments were refunded may be voided again. */
  g_assert_true (bb_invoices_void (f->db, a1, "Cancelled order", &error));
  g_assert_no_error (error);
  assert_sound (f);
}

/* The schema refuses to change or delete money history, whatever the
 * caller. */
static void
test_append_only (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 bill;
  const char *statements[] = {
    "UPDATE payments SET amount = 1",
    "UPDATE payments SET reference = 'x'",
    "DELETE FROM payments",
    "UPDATE payment_allocations SET amount = 1",
    "UPDATE payment_allocations SET kind = 'credit'",
    "DELETE FROM payment_allocations",
  };

  bill = make_bill (f, f->alice, "2026-01-01", "2026-01-31", 10000);
  pay (f, f->alice, "2026-01-10", 4000, TRUE);
  assert_sound (f);

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_clear_error (&error);
      g_assert_false (_bb_db_exec (f->db, statements[i], &error));
      g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT);
      g_assert_nonnull (strstr (error->message, "append-only"));
    }

  g_assert_cmpint (query_int (f->db, "SELECT amount FROM payments"), ==, 4000);
  g_assert_cmpint (query_int (f->db, "SELECT amount FROM payment_allocations"), ==, 4000);
  assert_bill (f->db, bill, 4000, 6000);
  assert_sound (f);
}

/* Every action writes the audit log, in its transaction. */
static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  gint64 a1, a2, p1;

  a1 = make_bill (f, f->alice, "2026-01-01", "2026-01-31", 10000);
  a2 = make_bill (f, f->alice, "2026-01-02", "2026-02-28", 10000);
  p1 = pay (f, f->alice, "2026-01-10", 15000, FALSE, a1, (BbMoney) 10000, (gint64) 0);
  detail = query_text (f->db, "SELECT detail FROM audit_log WHERE action = 'record' AND table_name = 'payments'");
  g_assert_cmpstr (detail, ==, "150.00 alipay; INV-2026-0001 100.00; credit 50.00");
  g_assert_true (bb_payments_apply_credit (f->db, f->alice, a2, 5000, &error));
  g_assert_true (bb_payments_reverse (f->db, p1, "Wrong customer", &error));
  g_assert_no_error (error);

  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'record' "
                                     "AND table_name = 'payments' AND record_id = 1"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'apply-credit' "
                                     "AND table_name = 'invoices' AND record_id = 2 AND detail = '50.00 from credit'"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'reverse' "
                                     "AND table_name = 'payments' AND record_id = 2 "
                                     "AND detail = '150.00 of payment 1: Wrong customer'"), ==, 1);
  assert_sound (f);
}

/* The class follows the money: a bill long overdue makes C, paying it B. */
static void
test_class (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *issued = NULL;
  g_autofree char *due = NULL;
  g_autofree char *paid_on = NULL;
  g_autoptr(BbCustomer) before = NULL;
  g_autoptr(BbCustomer) after = NULL;
  GDate d;

  bb_date_set_today (&d);
  g_date_subtract_days (&d, 20);
  paid_on = bb_date_to_iso (&d);
  g_date_subtract_days (&d, 20);
  due = bb_date_to_iso (&d);
  g_date_subtract_days (&d, 30);
  issued = bb_date_to_iso (&d);

  make_bill (f, f->alice, issued, due, 10000);
  before = get_customer (f->db, f->alice);
  g_assert_cmpint (before->klass, ==, 'C');

  pay (f, f->alice, paid_on, 10000, TRUE);
  after = get_customer (f->db, f->alice);
  g_assert_cmpint (after->klass, ==, 'B');
  assert_sound (f);
}

/* DESIGN.md's balance due as of a day: total less the payments received
 * by then; a refund counts from its own day. */
static void
test_balance_due (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 bill, p1;
  struct { guint day; guint month; guint year; BbMoney expected; } cases[] = {
    { 31, 12, 2025, 10000 },
    { 9, 1, 2026, 10000 },
    { 10, 1, 2026, 6000 },
    { 19, 1, 2026, 6000 },
    { 20, 1, 2026, 0 },
    { 1, 1, 2100, 4000 },   /* after today's refund of the first payment */
  };

  bill = make_bill (f, f->alice, "2026-01-01", "2026-01-31", 10000);
  p1 = pay (f, f->alice, "2026-01-10", 4000, TRUE);
  pay (f, f->alice, "2026-01-20", 6000, TRUE);
  g_assert_true (bb_payments_reverse (f->db, p1, "Refunded", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BbMoney balance = -1;
      GDate d;

      g_date_clear (&d, 1);
      g_date_set_dmy (&d, cases[i].day, cases[i].month, cases[i].year);
      g_assert_true (bb_invoices_get_balance_due (f->db, bill, &d, &balance, &error));
      g_assert_no_error (error);
      g_assert_cmpint (balance, ==, cases[i].expected);
    }

  assert_bill (f->db, bill, 6000, 4000);
  assert_sound (f);

  {
    BbMoney balance = 0;
    GDate d;

    g_date_clear (&d, 1);
    g_date_set_dmy (&d, 1, 1, 2026);
    g_assert_false (bb_invoices_get_balance_due (f->db, 999, &d, &balance, &error));
    g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND);
  }
}

/* The check finds what someone did to the file behind Billbook's back. */
static void
test_check_finds (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gint64 bill;

  bill = make_bill (f, f->alice, "2026-01-01", "2026-01-31", 10000);
  make_bill (f, f->bob, "2026-01-01", "2026-01-31", 3000);
  pay (f, f->alice, "2026-01-10", 12000, TRUE);
  assert_sound (f);

  g_assert_true (_bb_db_exec (f->db,
                              "UPDATE customers SET credit = 1, last_payment_on = '2020-01-01' WHERE id = 1;"
                              /* Alice's payment on Bob's bill, more than it brought. */
                              "INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at) "
                              "VALUES (1, 2, 3000, '');"
                              /* A refund of the wrong amount. */
                              "INSERT INTO payments (customer_id, received_on, amount, method, reverses_id, created_at) "
                              "VALUES (1, '2026-01-11', -5, 'alipay', 1, '')",
                              &error));
  g_assert_no_error (error);

  g_assert_false (bb_check_book (f->db, &problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *) g_ptr_array_index (problems, i));

#define HAS(text) \
  G_STMT_START { \
    gboolean found = FALSE; \
    for (guint i = 0; i < problems->len; i++) \
      if (strstr (g_ptr_array_index (problems, i), text)) \
        found = TRUE; \
    if (!found) \
      g_error ("no problem says: %s", text); \
  } G_STMT_END

  HAS ("Customer C000001: last payment is on “2020-01-01” but their payments say “”");
  HAS ("Payment 2026-01-10 #1: amount is 12000 but 13000 of it is allocated to bills");
  HAS ("Refund 2026-01-11 #2: gives back 5 but the payment it reverses brought 12000");
  HAS ("Refund 2026-01-11 #2: takes 0 back from bills but the payment it reverses put 13000 on them");
  HAS ("Allocation #2: the payment is from customer C000001 but the bill is for customer C000002");
  HAS ("Bill INV-2026-0002: paid is 0 but its payments add up to 3000");
  HAS ("Customer C000001: credit is 1 but their payments less what was allocated of them come to -1005");
#undef HAS
  (void) bill;
}

/* A book of version 1 with a refund in it: the upgrade marks its rows. */
static void
test_upgrade (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("billbook-payments-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(BbDb) db = NULL;
  static const char *suffixes[] = { "", "-wal", "-shm" };

  db = _bb_db_open_at_version (path, 1, &error);
  g_assert_no_error (error);
  g_assert_true (_bb_db_exec (db,
                              "INSERT INTO customers (code, name, created_at, updated_at) VALUES ('C1', 'x', '', '');"
                              "INSERT INTO invoices (number, customer_id, status, issued_on, due_on, currency, total, "
                              "  paid, open_balance, created_at, updated_at) "
                              "VALUES ('B-1', 1, 'issued', '2026-01-01', '2026-01-31', 'CNY', 100, 0, 100, '', '');"
                              "INSERT INTO payments (customer_id, received_on, amount, method, created_at) "
                              "VALUES (1, '2026-01-02', 100, 'cash', '');"
                              "INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at) "
                              "VALUES (1, 1, 100, '');"
                              "INSERT INTO payments (customer_id, received_on, amount, method, reverses_id, created_at) "
                              "VALUES (1, '2026-01-03', -100, 'cash', 1, '');"
                              "INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at) "
                              "VALUES (2, 1, -100, '');"
                              /* Paid 60 by the due date, 40 after it. */
                              "INSERT INTO invoices (number, customer_id, status, issued_on, due_on, currency, total, "
                              "  paid, open_balance, created_at, updated_at) "
                              "VALUES ('B-2', 1, 'issued', '2026-01-01', '2026-01-31', 'CNY', 100, 100, 0, '', '');"
                              "INSERT INTO payments (customer_id, received_on, amount, method, created_at) "
                              "VALUES (1, '2026-01-31', 60, 'cash', ''), (1, '2026-02-01', 40, 'cash', '');"
                              "INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at) "
                              "VALUES (3, 2, 60, ''), (4, 2, 40, '');",
                              &error));
  g_assert_no_error (error);
  g_clear_object (&db);

  db = bb_db_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bb_db_get_schema_version (db), ==, BB_DB_SCHEMA_VERSION);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM payment_allocations WHERE kind = 'payment' AND payment_id = 1"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM payment_allocations WHERE kind = 'reversal' AND payment_id = 2"), ==, 1);
  /* What each bill had by its due date (schema 9): the refund of B-1
   * came after its payment, both before the due date. */
  g_assert_cmpint (query_int (db, "SELECT paid_by_due FROM invoices WHERE number = 'B-1'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT paid_by_due FROM invoices WHERE number = 'B-2'"), ==, 60);
  {
    g_autoptr(GPtrArray) problems = NULL;

    /* (The rows above leave the customer's summary unwritten.) */
    bb_check_book (db, &problems, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < problems->len; i++)
      g_assert_null (strstr (g_ptr_array_index (problems, i), "due date"));
  }
  /* The append-only rule is back. */
  g_assert_false (_bb_db_exec (db, "UPDATE payment_allocations SET kind = 'credit'", &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT);
  g_clear_object (&db);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

static void
test_methods (void)
{
  BbPaymentMethod method;

  for (guint i = 0; i < BB_PAYMENT_N_METHODS; i++)
    {
      g_assert_true (bb_payment_method_from_string (bb_payment_method_to_string ((BbPaymentMethod) i), &method));
      g_assert_cmpint (method, ==, i);
      g_assert_cmpstr (bb_payment_method_label ((BbPaymentMethod) i), !=, "");
    }
  g_assert_true (bb_payment_method_from_string ("WeChat_Pay", &method));
  g_assert_cmpint (method, ==, BB_PAYMENT_WECHAT_PAY);
  g_assert_false (bb_payment_method_from_string ("wechat", &method));
  g_assert_false (bb_payment_method_from_string ("", &method));
  g_assert_false (bb_payment_method_from_string (NULL, &method));
  g_assert_cmpstr (bb_payment_method_to_string (BB_PAYMENT_BANK_TRANSFER), ==, "bank_transfer");
  g_assert_cmpstr (bb_payment_method_label (BB_PAYMENT_WECHAT_PAY), ==, "WeChat Pay");
}

/* The shop's own names and the methods it takes: kept in the book, one
 * transaction per change, at least one method left to take money by. */
static void
test_method_settings (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *long_name = NULL;
  g_autoptr(BbDb) again = NULL;
  BbPaymentMethod others[] = { BB_PAYMENT_CASH, BB_PAYMENT_BANK_TRANSFER, BB_PAYMENT_CARD,
                               BB_PAYMENT_ALIPAY, BB_PAYMENT_OTHER };

  /* Until the owner says otherwise: the standard names, all taken. */
  for (guint i = 0; i < BB_PAYMENT_N_METHODS; i++)
    {
      g_autofree char *shown = bb_payment_methods_get_name (f->db, (BbPaymentMethod) i);

      g_assert_cmpstr (shown, ==, bb_payment_method_label ((BbPaymentMethod) i));
      g_assert_false (bb_payment_methods_has_own_name (f->db, (BbPaymentMethod) i));
      g_assert_true (bb_payment_methods_is_enabled (f->db, (BbPaymentMethod) i));
    }

  g_assert_true (bb_payment_methods_set (f->db, BB_PAYMENT_WECHAT_PAY, "  微信收款码 ", TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (bb_payment_methods_set (f->db, BB_PAYMENT_CARD, NULL, FALSE, &error));
  g_assert_no_error (error);
  name = bb_payment_methods_get_name (f->db, BB_PAYMENT_WECHAT_PAY);
  g_assert_cmpstr (name, ==, "微信收款码");
  g_assert_true (bb_payment_methods_has_own_name (f->db, BB_PAYMENT_WECHAT_PAY));
  g_assert_false (bb_payment_methods_is_enabled (f->db, BB_PAYMENT_CARD));
  g_assert_true (bb_payment_methods_is_enabled (f->db, BB_PAYMENT_CASH));
  /* Files keep the codes. */
  g_assert_cmpstr (bb_payment_method_to_string (BB_PAYMENT_WECHAT_PAY), ==, "wechat_pay");

  /* Kept in the book: another connection sees them. */
  again = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&name, g_free);
  name = bb_payment_methods_get_name (again, BB_PAYMENT_WECHAT_PAY);
  g_assert_cmpstr (name, ==, "微信收款码");
  g_assert_false (bb_payment_methods_is_enabled (again, BB_PAYMENT_CARD));

  /* Bad names are refused, naming the method; nothing changes. */
  g_assert_false (bb_payment_methods_set (f->db, BB_PAYMENT_ALIPAY, "支付宝\n收款", TRUE, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Name of Alipay"));
  g_clear_error (&error);
  long_name = g_strnfill (BB_PAYMENT_METHOD_NAME_MAX + 1, 'x');
  g_assert_false (bb_payment_methods_set (f->db, BB_PAYMENT_ALIPAY, long_name, TRUE, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (bb_payment_methods_has_own_name (f->db, BB_PAYMENT_ALIPAY));

  /* The last method taking money cannot be turned off (prepaid does not
   * count), and the refusal leaves the book as it was. */
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_assert_true (bb_payment_methods_set (f->db, others[i], NULL, FALSE, &error));
      g_assert_no_error (error);
    }
  g_assert_false (bb_payment_methods_set (f->db, BB_PAYMENT_WECHAT_PAY, "微信", FALSE, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (bb_payment_methods_is_enabled (f->db, BB_PAYMENT_WECHAT_PAY));
  g_clear_pointer (&name, g_free);
  name = bb_payment_methods_get_name (f->db, BB_PAYMENT_WECHAT_PAY);
  g_assert_cmpstr (name, ==, "微信收款码");

  /* An empty name is the standard one again. */
  g_assert_true (bb_payment_methods_set (f->db, BB_PAYMENT_WECHAT_PAY, "", TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&name, g_free);
  name = bb_payment_methods_get_name (f->db, BB_PAYMENT_WECHAT_PAY);
  g_assert_cmpstr (name, ==, "WeChat Pay");
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

  g_test_add_func ("/payments/methods", test_methods);
  ADD ("/payments/record/automatic", test_automatic);
  ADD ("/payments/record/explicit", test_explicit);
  ADD ("/payments/credit/apply", test_credit);
  ADD ("/payments/reverse", test_reverse);
  ADD ("/payments/append-only", test_append_only);
  ADD ("/payments/audit", test_audit);
  ADD ("/payments/class", test_class);
  ADD ("/payments/balance-due", test_balance_due);
  ADD ("/payments/check-finds", test_check_finds);
  ADD ("/payments/method-settings", test_method_settings);
  g_test_add_func ("/payments/upgrade", test_upgrade);

  return g_test_run ();
}
