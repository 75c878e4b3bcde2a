/* test-invoices.c — totals to the cent, numbering without gaps, states
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoices.h"

typedef struct
{
  char   *dir;
  char   *path;
  BbDb   *db;
  gint64  customer;
} Fixture;

static gint64
add_customer (BbDb       *db,
              const char *name,
              const char *address)
{
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(GError) error = NULL;

  g_free (c->name);
  c->name = g_strdup (name);
  g_free (c->address);
  c->address = g_strdup (address);
  g_free (c->phone);
  c->phone = g_strdup ("138 0013 8000");
  c->payment_terms_days = 15;
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  return c->id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-invoices-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  f->customer = add_customer (f->db, "王小明", "上海市徐汇区漕溪北路 88 号");
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

/* One line each: quantity in thousandths, unit price in fen, discount and
 * tax in basis points → gross, net and tax in fen, worked out by hand. */
static const struct
{
  BbQuantity quantity;
  BbMoney    price;
  BbRate     discount;
  BbRate     tax;
  BbMoney    gross, net, tax_amount;
} line_cases[] = {
  { 1000, 10000, 0, 0, 10000, 10000, 0 },
  { 1000, 10000, 0, 1300, 10000, 10000, 1300 },        /* 13 % */
  { 2000, 1999, 0, 1300, 3998, 3998, 520 },            /* 519.74 */
  { 1500, 333, 0, 0, 500, 500, 0 },                    /* 499.5: half away from zero */
  { 333, 300, 0, 0, 100, 100, 0 },                     /* 99.9 */
  { 1000, 10000, 10000, 1300, 10000, 0, 0 },           /* 100 % discount */
  { 1000, 10000, 5000, 0, 10000, 5000, 0 },
  { 1000, 1, 5000, 0, 1, 1, 0 },                       /* 0.5 → 1 */
  { 1000, 3, 5000, 0, 3, 2, 0 },                       /* 1.5 → 2 */
  { 1000, -3, 5000, 0, -3, -2, 0 },                    /* −1.5 → −2 */
  { 1000, 5, 0, 1000, 5, 5, 1 },                       /* tax 0.5 → 1 */
  { 1000, -5, 0, 1000, -5, -5, -1 },                   /* tax −0.5 → −1 */
  { 1000, 15, 0, 1000, 15, 15, 2 },                    /* tax 1.5 → 2 */
  { 3000, 333, 0, 600, 999, 999, 60 },                 /* 59.94 */
  { 1, 100000, 0, 0, 100, 100, 0 },                    /* 0.001 × ¥1000 */
  { 1, 499, 0, 0, 0, 0, 0 },                           /* 0.499 */
  { 1, 500, 0, 0, 1, 1, 0 },                           /* 0.5 */
  { 125, 799, 0, 0, 100, 100, 0 },                     /* 99.875 */
  { 1000, 12345, 1250, 1300, 12345, 10802, 1404 },     /* 10801.875; 1404.26 */
  { 2500, 1990, 1000, 900, 4975, 4478, 403 },          /* 4477.5; 403.02 */
  { 1000, 0, 0, 1300, 0, 0, 0 },
  { 0, 10000, 0, 1300, 0, 0, 0 },
  { 10000, 9999, 0, 1300, 99990, 99990, 12999 },       /* 12998.7 */
  { 1000, 100, 3333, 0, 100, 67, 0 },                  /* 66.67 */
  { 1000, 100, 6667, 0, 100, 33, 0 },                  /* 33.33 */
  { 7000, 143, 0, 1300, 1001, 1001, 130 },             /* 130.13 */
  { 1000, 250, 0, 600, 250, 250, 15 },
  { 1000, 25, 0, 600, 25, 25, 2 },                     /* 1.5 */
  { 1000, 75, 0, 600, 75, 75, 5 },                     /* 4.5 */
  { 1000, -75, 0, 600, -75, -75, -5 },                 /* −4.5 */
  { 1000, 1000000, 0, 1300, 1000000, 1000000, 130000 },
  { 1234, 5678, 2500, 1300, 7007, 5255, 683 },         /* 7006.652; 5254.989; 683.15 */
  { 500, 1, 0, 0, 1, 1, 0 },
  { -1000, 10000, 0, 1300, -10000, -10000, -1300 },
};

static void
test_line_totals (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (line_cases); i++)
    {
      BbInvoiceLine line = {
        .description = (char *) "x",
        .quantity = line_cases[i].quantity,
        .unit_price = line_cases[i].price,
        .discount = line_cases[i].discount,
        .tax_rate = line_cases[i].tax,
      };
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      g_assert_true (bb_invoice_line_compute (&line, &error));
      g_assert_no_error (error);
      g_assert_cmpint (line.gross, ==, line_cases[i].gross);
      g_assert_cmpint (line.net, ==, line_cases[i].net);
      g_assert_cmpint (line.tax, ==, line_cases[i].tax_amount);
    }
}

/* The bill's totals are sums of rounded lines, not a rounding of sums. */
static void
test_bill_totals (void)
{
  g_autoptr(BbInvoice) inv = bb_invoice_new ();
  g_autoptr(GError) error = NULL;

  bb_invoice_add_line (inv, "a", 1000, 5, 0, 1000);     /* 5 + 1 (0.5 → 1) */
  bb_invoice_add_line (inv, "b", 1000, 5, 0, 1000);     /* 5 + 1 */
  bb_invoice_add_line (inv, "c", 2000, 1999, 1000, 1300); /* 3998 gross, 3598 net (3598.2), tax 468 (467.74) */
  g_assert_true (bb_invoice_compute_totals (inv, &error));
  g_assert_cmpint (inv->subtotal, ==, 5 + 5 + 3998);
  g_assert_cmpint (inv->discount_total, ==, 3998 - 3598);
  g_assert_cmpint (inv->tax_total, ==, 1 + 1 + 468);
  g_assert_cmpint (inv->total, ==, 5 + 5 + 3598 + 1 + 1 + 468);

  /* Overflow is an error, not a wrong number. */
  bb_invoice_add_line (inv, "huge", G_MAXINT64 / 1000, G_MAXINT64 / 2, 0, 0);
  g_assert_false (bb_invoice_compute_totals (inv, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
}

static gint64
make_bill (Fixture    *f,
           const char *issued_on,
           BbMoney     price)
{
  g_autoptr(BbInvoice) inv = bb_invoice_new ();
  g_autoptr(GError) error = NULL;

  inv->customer_id = f->customer;
  g_free (inv->issued_on);
  inv->issued_on = g_strdup (issued_on);
  bb_invoice_add_line (inv, "洗车 Car wash", 1000, price, 0, 1300);
  g_assert_true (bb_invoices_save_draft (f->db, inv, &error));
  g_assert_no_error (error);

  return inv->id;
}

static char *
issue (Fixture *f,
       gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbInvoice) inv = NULL;

  g_assert_true (bb_invoices_submit (f->db, id, &error));
  g_assert_true (bb_invoices_issue (f->db, id, &error));
  g_assert_no_error (error);
  inv = bb_invoices_get (f->db, id, &error);
  g_assert_cmpint (inv->status, ==, BB_INVOICE_ISSUED);

  return g_strdup (inv->number);
}

static void
test_draft_due_from_terms (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = make_bill (f, "2026-01-20", 10000);
  g_autoptr(BbInvoice) inv = bb_invoices_get (f->db, id, &error);

  /* 15 days of terms. */
  g_assert_cmpstr (inv->due_on, ==, "2026-02-04");
  g_assert_cmpint (inv->status, ==, BB_INVOICE_DRAFT);
  g_assert_null (inv->number);
  g_assert_cmpint (inv->total, ==, 11300);
  g_assert_cmpuint (inv->lines->len, ==, 1);
  g_assert_cmpstr (inv->customer_name, ==, "王小明");

  /* Due before issue is refused, naming the field. */
  g_free (inv->due_on);
  inv->due_on = g_strdup ("2026-01-19");
  g_assert_false (bb_invoices_save_draft (f->db, inv, &error));
  g_assert_nonnull (strstr (error->message, "Due on"));
  g_clear_error (&error);

  g_free (inv->due_on);
  inv->due_on = g_strdup ("2026-02-30");
  g_assert_false (bb_invoices_save_draft (f->db, inv, &error));
  g_assert_nonnull (strstr (error->message, "2026-02-30"));
}

static void
test_numbering (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *n1 = issue (f, make_bill (f, "2026-03-01", 100));
  g_autofree char *n2 = NULL;
  g_autofree char *n3 = NULL;
  g_autofree char *n2027 = NULL;
  gint64 dropped;

  /* A draft deleted in between takes no number. */
  dropped = make_bill (f, "2026-03-02", 100);
  g_assert_true (bb_invoices_delete_draft (f->db, dropped, &error));
  n2 = issue (f, make_bill (f, "2026-03-03", 100));
  n3 = issue (f, make_bill (f, "2026-12-31", 100));
  n2027 = issue (f, make_bill (f, "2027-01-01", 100));

  g_assert_cmpstr (n1, ==, "INV-2026-0001");
  g_assert_cmpstr (n2, ==, "INV-2026-0002");
  g_assert_cmpstr (n3, ==, "INV-2026-0003");
  g_assert_cmpstr (n2027, ==, "INV-2027-0001");

  /* Preferences shows the next number; a new pattern applies from then on. */
  {
    g_autofree char *next = bb_invoices_preview_next_number (f->db, NULL, 2026, &error);
    g_autofree char *next_other = bb_invoices_preview_next_number (f->db, "B{yy}/{seq:05}", 2026, &error);
    g_autofree char *n4 = NULL;

    g_assert_cmpstr (next, ==, "INV-2026-0004");
    g_assert_cmpstr (next_other, ==, "B26/00004");
    g_assert_null (bb_invoices_preview_next_number (f->db, "B{yy}", 2026, &error));
    g_assert_nonnull (strstr (error->message, "{seq}"));
    g_clear_error (&error);
    g_assert_true (bb_invoices_set_pattern (f->db, "B{yy}/{seq:05}", &error));
    n4 = issue (f, make_bill (f, "2026-12-31", 100));
    g_assert_cmpstr (n4, ==, "B26/00004");
  }

  /* An issued bill cannot be deleted or edited, even by hand. */
  {
    g_autoptr(BbInvoice) inv = bb_invoices_get_by_number (f->db, "INV-2026-0002", &error);

    g_assert_false (bb_invoices_delete_draft (f->db, inv->id, &error));
    g_clear_error (&error);
    bb_invoice_add_line (inv, "extra", 1000, 1, 0, 0);
    g_assert_false (bb_invoices_save_draft (f->db, inv, &error));
    g_assert_nonnull (strstr (error->message, "INV-2026-0002"));
    g_clear_error (&error);
    g_assert_false (_bb_db_exec (f->db, "UPDATE invoices SET total = 1 WHERE number = 'INV-2026-0002'", &error));
    g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT);
  }
}

static void
test_pattern (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = bb_invoices_format_number ("INV-{year}-{seq:04}", 2026, 7, &error);
  g_autofree char *b = bb_invoices_format_number ("{yy}{seq:06}", 2026, 42, &error);
  g_autofree char *c = bb_invoices_format_number ("账单{year}-{seq}", 2026, 12345, &error);
  char *bad;

  g_assert_cmpstr (a, ==, "INV-2026-0007");
  g_assert_cmpstr (b, ==, "26000042");
  g_assert_cmpstr (c, ==, "账单2026-12345");

  bad = bb_invoices_format_number ("INV-{year}", 2026, 1, &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "{seq}"));
  g_clear_error (&error);
  bad = bb_invoices_format_number ("{seq}-{seq}", 2026, 1, &error);
  g_assert_null (bad);
  g_clear_error (&error);
  bad = bb_invoices_format_number ("{month}-{seq}", 2026, 1, &error);
  g_assert_null (bad);
}

/* Two processes issue at the same time: every number once, no gaps. */
static void
test_numbering_two_processes (Fixture       *f,
                              gconstpointer  data)
{
  const guint per_process = 15;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  pid_t child;
  int status;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  for (guint i = 0; i < 2 * per_process; i++)
    {
      gint64 id = make_bill (f, "2026-05-05", 100 + i);

      g_assert_true (bb_invoices_submit (f->db, id, &error));
      g_array_append_val (ids, id);
    }
  g_clear_object (&f->db);

  child = fork ();
  g_assert_cmpint (child, >=, 0);
  {
    /* Each process its own connection, issuing every other bill. */
    g_autoptr(BbDb) db = bb_db_open (f->path, NULL);
    guint start = child == 0 ? 0 : 1;

    for (guint i = start; i < ids->len; i += 2)
      {
        g_autoptr(GError) local_error = NULL;

        if (!bb_invoices_issue (db, g_array_index (ids, gint64, i), &local_error))
          {
            g_printerr ("issue failed: %s\n", local_error->message);
            if (child == 0)
              _exit (1);
            g_assert_not_reached ();
          }
      }
  }
  if (child == 0)
    _exit (0);

  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (f->db),
                                       "SELECT number FROM invoices WHERE status = 'issued' ORDER BY number",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *expected = g_strdup_printf ("INV-2026-%04u", ++n);

      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, expected);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n, ==, 2 * per_process);
}

static void
test_review_checklist (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 homeless = add_customer (f->db, "Harbour Bakery", "");
  g_autoptr(BbInvoice) inv = bb_invoice_new ();
  g_autoptr(GPtrArray) items = NULL;

  inv->customer_id = homeless;
  bb_invoice_add_line (inv, "nothing", 1000, 0, 0, 0);
  g_assert_true (bb_invoices_save_draft (f->db, inv, &error));

  /* A draft is not issued without review. */
  g_assert_false (bb_invoices_issue (f->db, inv->id, &error));
  g_assert_nonnull (strstr (error->message, "review"));
  g_clear_error (&error);

  g_assert_true (bb_invoices_submit (f->db, inv->id, &error));
  items = bb_invoices_review (f->db, inv->id, &error);
  g_assert_cmpuint (items->len, ==, 4);
  g_assert_false (((BbReviewItem *) g_ptr_array_index (items, 0))->ok);   /* no address */
  g_assert_false (((BbReviewItem *) g_ptr_array_index (items, 1))->ok);   /* no amount */
  g_assert_true (((BbReviewItem *) g_ptr_array_index (items, 2))->ok);    /* dates */

  g_assert_false (bb_invoices_issue (f->db, inv->id, &error));
  g_assert_nonnull (strstr (error->message, "address"));
  g_assert_nonnull (strstr (error->message, "at least one line"));
  g_clear_error (&error);
  {
    g_autoptr(BbInvoice) stored = bb_invoices_get (f->db, inv->id, &error);

    g_assert_cmpint (stored->status, ==, BB_INVOICE_REVIEW);
    g_assert_null (stored->number);
  }
}

static void
set_paid (Fixture *f,
          gint64   id,
          BbMoney  paid)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE invoices SET paid = %" G_GINT64_FORMAT
                                          ", open_balance = total - %" G_GINT64_FORMAT
                                          " WHERE id = %" G_GINT64_FORMAT, paid, paid, id);

  g_assert_true (_bb_db_exec (f->db, sql, &error));
}

static void
test_states_derived (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = make_bill (f, "2026-04-01", 10000);   /* total 11300, due 2026-04-16 */
  g_autofree char *number = issue (f, id);
  GDate before_due, after_due;

  g_date_clear (&before_due, 1);
  g_date_set_dmy (&before_due, 16, G_DATE_APRIL, 2026);
  g_date_clear (&after_due, 1);
  g_date_set_dmy (&after_due, 17, G_DATE_APRIL, 2026);

  {
    g_autoptr(BbInvoice) inv = bb_invoices_get (f->db, id, &error);

    g_assert_cmpint (bb_invoice_get_payment_state (inv), ==, BB_INVOICE_UNPAID);
    g_assert_false (bb_invoice_is_overdue (inv, &before_due));
    g_assert_true (bb_invoice_is_overdue (inv, &after_due));
  }

  set_paid (f, id, 5000);
  {
    g_autoptr(BbInvoice) inv = bb_invoices_get (f->db, id, &error);

    g_assert_cmpint (bb_invoice_get_payment_state (inv), ==, BB_INVOICE_PARTIALLY_PAID);
    g_assert_cmpint (inv->open_balance, ==, 6300);
    g_assert_true (bb_invoice_is_overdue (inv, &after_due));
  }

  set_paid (f, id, 11300);
  {
    g_autoptr(BbInvoice) inv = bb_invoices_get (f->db, id, &error);

    g_assert_cmpint (bb_invoice_get_payment_state (inv), ==, BB_INVOICE_PAID);
    g_assert_false (bb_invoice_is_overdue (inv, &after_due));
  }
}

static BbMoney
outstanding (Fixture *f)
{
  g_autoptr(BbCustomer) c = bb_customers_get (f->db, f->customer, NULL);

  return c->outstanding;
}

static void
test_void (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = make_bill (f, "2026-04-01", 10000);
  g_autofree char *number = issue (f, id);
  gint64 paid_id = make_bill (f, "2026-04-02", 500);
  g_autofree char *paid_number = issue (f, paid_id);

  g_assert_cmpint (outstanding (f), ==, 11300 + 565);

  g_assert_false (bb_invoices_void (f->db, id, "  ", &error));
  g_assert_nonnull (strstr (error->message, "Reason"));
  g_clear_error (&error);

  g_assert_true (bb_invoices_void (f->db, id, "Wrong customer", &error));
  g_assert_no_error (error);
  {
    g_autoptr(BbInvoice) inv = bb_invoices_get (f->db, id, &error);

    g_assert_cmpint (inv->status, ==, BB_INVOICE_VOID);
    g_assert_cmpstr (inv->void_reason, ==, "Wrong customer");
    g_assert_cmpstr (inv->number, ==, number);     /* the number stays used */
  }
  g_assert_cmpint (outstanding (f), ==, 565);

  /* Not twice, and not a bill with payments on it. */
  g_assert_false (bb_invoices_void (f->db, id, "again", &error));
  g_clear_error (&error);
  set_paid (f, paid_id, 100);
  g_assert_false (bb_invoices_void (f->db, paid_id, "changed my mind", &error));
  g_assert_nonnull (strstr (error->message, paid_number));
}

static void
test_credit_note (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = make_bill (f, "2026-06-01", 10000);
  g_autofree char *number = issue (f, id);
  g_autoptr(BbInvoice) note = NULL;
  g_autofree char *note_number = NULL;

  note = bb_invoices_create_credit_note (f->db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (note->kind, ==, BB_INVOICE_KIND_CREDIT_NOTE);
  g_assert_cmpint (note->credit_for_id, ==, id);
  g_assert_cmpint (note->total, ==, -11300);

  /* Credit half: edit the draft down, then issue it. */
  ((BbInvoiceLine *) g_ptr_array_index (note->lines, 0))->quantity = 500;
  g_assert_true (bb_invoices_save_draft (f->db, note, &error));
  g_assert_cmpint (note->total, ==, -5650);
  note_number = issue (f, note->id);
  g_assert_cmpstr (note_number, ==, "INV-2026-0002");

  {
    g_autoptr(BbInvoice) stored = bb_invoices_get (f->db, note->id, &error);

    g_assert_cmpstr (stored->credit_for_number, ==, number);
  }
  g_assert_cmpint (outstanding (f), ==, 11300 - 5650);

  /* A credit note corrects a bill, not a credit note or a draft. */
  g_assert_null (bb_invoices_create_credit_note (f->db, note->id, &error));
  g_clear_error (&error);
  g_assert_null (bb_invoices_create_credit_note (f->db, make_bill (f, "2026-06-02", 1), &error));
}

static void
test_duplicate (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = make_bill (f, "2026-06-01", 2500);
  g_autofree char *number = issue (f, id);
  g_autoptr(BbInvoice) copy = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, G_DATE_NOVEMBER, 2026);
  copy = bb_invoices_duplicate (f->db, id, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpint (copy->status, ==, BB_INVOICE_DRAFT);
  g_assert_cmpint (copy->id, !=, id);
  g_assert_cmpstr (copy->issued_on, ==, "2026-11-23");
  g_assert_cmpstr (copy->due_on, ==, "2026-12-08");
  g_assert_cmpint (copy->total, ==, 2825);
  g_assert_cmpstr (((BbInvoiceLine *) g_ptr_array_index (copy->lines, 0))->description, ==, "洗车 Car wash");
}

static void
test_credit_control (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = bb_customers_get (f->db, f->customer, NULL);
  g_autoptr(GPtrArray) problems = NULL;
  gint64 first, second;
  GDate today;

  c->credit_limit = 15000;
  g_assert_true (bb_customers_save (f->db, c, &error));

  first = make_bill (f, "2026-01-01", 10000);     /* 11300, due 2026-01-16 */
  g_free (issue (f, first));
  second = make_bill (f, "2026-02-01", 10000);
  g_assert_true (bb_invoices_submit (f->db, second, &error));

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, G_DATE_FEBRUARY, 2026);
  problems = bb_invoices_credit_problems (f->db, second, &today, &error);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "credit limit"));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 1), "overdue"));

  /* A warning unless the owner made it a hard block. */
  g_assert_true (bb_db_set_setting (f->db, "billing.credit_block", "1", &error));
  g_assert_false (bb_invoices_issue (f->db, second, &error));
  g_assert_nonnull (strstr (error->message, "credit limit"));
  g_clear_error (&error);
  g_assert_true (bb_db_set_setting (f->db, "billing.credit_block", "0", &error));
  g_assert_true (bb_invoices_issue (f->db, second, &error));
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 other = add_customer (f->db, "Harbour Bakery", "12 Harbour Road");
  BbInvoiceQuery q = { .status = -1, .today = (char *) "2026-06-30" };
  gint64 ids[6];
  g_autofree char *n0 = NULL;

  ids[0] = make_bill (f, "2026-01-10", 100);
  n0 = issue (f, ids[0]);                                /* due 01-25: overdue */
  ids[1] = make_bill (f, "2026-06-25", 200);
  g_free (issue (f, ids[1]));                            /* due 07-10 */
  ids[2] = make_bill (f, "2026-03-01", 300);             /* draft */
  {
    g_autoptr(BbInvoice) inv = bb_invoice_new ();

    inv->customer_id = other;
    g_free (inv->issued_on);
    inv->issued_on = g_strdup ("2026-02-01");
    bb_invoice_add_line (inv, "Bread", 2000, 450, 0, 0);
    g_assert_true (bb_invoices_save_draft (f->db, inv, &error));
    ids[3] = inv->id;
  }

  g_assert_cmpint (bb_invoices_count (f->db, &q, &error), ==, 4);

  q.text = (char *) "harbour";
  g_assert_cmpint (bb_invoices_count (f->db, &q, &error), ==, 1);
  q.text = (char *) "小明";
  g_assert_cmpint (bb_invoices_count (f->db, &q, &error), ==, 3);
  q.text = n0;
  g_assert_cmpint (bb_invoices_count (f->db, &q, &error), ==, 1);
  q.text = (char *) "%";
  g_assert_cmpint (bb_invoices_count (f->db, &q, &error), ==, 0);
  q.text = NULL;

  q.status = BB_INVOICE_DRAFT;
  g_assert_cmpint (bb_invoices_count (f->db, &q, &error), ==, 2);
  q.status = -1;
  q.overdue_only = TRUE;
  g_assert_cmpint (bb_invoices_count (f->db, &q, &error), ==, 1);
  q.overdue_only = FALSE;
  q.from = (char *) "2026-02-01";
  q.to = (char *) "2026-03-31";
  g_assert_cmpint (bb_invoices_count (f->db, &q, &error), ==, 2);
  q.from = q.to = NULL;
  q.customer_id = other;
  g_assert_cmpint (bb_invoices_count (f->db, &q, &error), ==, 1);
  q.customer_id = 0;

  /* Every sort, both ways: position agrees with the searched order. */
  for (int sort = BB_INVOICE_SORT_ISSUED; sort <= BB_INVOICE_SORT_STATUS; sort++)
    for (int desc = 0; desc < 2; desc++)
      {
        g_autoptr(GPtrArray) rows = NULL;

        q.sort = sort;
        q.descending = desc;
        rows = bb_invoices_search (f->db, &q, 0, 100, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (rows->len, ==, 4);
        for (guint i = 0; i < rows->len; i++)
          {
            BbInvoice *inv = g_ptr_array_index (rows, i);

            g_assert_cmpint (bb_invoices_position (f->db, &q, inv->id, &error), ==, i);
          }
      }

  /* Newest first by issue date. */
  q.sort = BB_INVOICE_SORT_ISSUED;
  q.descending = TRUE;
  {
    g_autoptr(GPtrArray) rows = bb_invoices_search (f->db, &q, 0, 2, &error);

    g_assert_cmpint (((BbInvoice *) g_ptr_array_index (rows, 0))->id, ==, ids[1]);
    g_assert_cmpint (((BbInvoice *) g_ptr_array_index (rows, 1))->id, ==, ids[2]);
  }
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

  g_test_add_func ("/invoices/totals/lines", test_line_totals);
  g_test_add_func ("/invoices/totals/bill", test_bill_totals);
  g_test_add_func ("/invoices/numbering/pattern", test_pattern);
  ADD ("/invoices/draft/due-from-terms", test_draft_due_from_terms);
  ADD ("/invoices/numbering/no-gaps", test_numbering);
  ADD ("/invoices/numbering/two-processes", test_numbering_two_processes);
  ADD ("/invoices/review/checklist", test_review_checklist);
  ADD ("/invoices/states/derived", test_states_derived);
  ADD ("/invoices/void", test_void);
  ADD ("/invoices/credit-note", test_credit_note);
  ADD ("/invoices/duplicate", test_duplicate);
  ADD ("/invoices/credit-control", test_credit_control);
  ADD ("/invoices/search", test_search);

#undef ADD

  return g_test_run ();
}
