/* test-invoice-io.c — bills CSV import and export
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

#include "bb-customer-io.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoice-io.h"
#include "bb-invoices.h"

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

#define HEADER BB_INVOICES_CSV_HEADER "\n"

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
count_invoices (BbDb *db)
{
  return query_int (db, "SELECT count(*) FROM invoices");
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

  g_assert_true (bb_invoices_export_csv (db, out, NULL, &error));
  g_assert_no_error (error);

  return stream_text (out);
}

static char *
export_customers_text (BbDb *db)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_customers_export_csv (db, out, NULL, &error));
  g_assert_no_error (error);

  return stream_text (out);
}

static gboolean
import_text (BbDb             *db,
             const char       *text,
             gboolean          dry_run,
             BbImportReport  **report,
             GError          **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return bb_invoices_import_csv (db, bytes, dry_run, NULL, NULL, NULL, report, error);
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

/* C000001 张三 (30 days), C000002 Anna Schmidt (14 days), C000003 Walk-in
 * (30 days, no address: drafts only). */
static void
add_customers (BbDb *db)
{
  g_autoptr(GBytes) bytes = load_data ("customers-good.csv");
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_customers_import_csv (db, bytes, FALSE, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
import_good_file (BbDb *db)
{
  g_autoptr(GBytes) bytes = load_data ("invoices-good.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_invoices_import_csv (db, bytes, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 5);
  g_assert_cmpuint (report->n_imported, ==, 5);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpuint (report->preview->len, ==, 0);
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

static BbInvoice *
get_bill (BbDb       *db,
          const char *number)
{
  g_autoptr(GError) error = NULL;
  BbInvoice *inv = bb_invoices_get_by_number (db, number, &error);

  g_assert_no_error (error);
  g_assert_nonnull (inv);
  return inv;
}

static BbInvoice *
new_bill (BbDb       *db,
          const char *code,
          const char *issued_on)
{
  g_autoptr(BbCustomer) c = get_customer (db, code);
  BbInvoice *inv = bb_invoice_new ();

  inv->customer_id = c->id;
  g_free (inv->issued_on);
  inv->issued_on = g_strdup (issued_on);

  return inv;
}

static void
save_bill (BbDb      *db,
           BbInvoice *inv)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_invoices_save_draft (db, inv, &error));
  g_assert_no_error (error);
}

static char *
issue_bill (BbDb   *db,
            gint64  id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbInvoice) inv = NULL;

  g_assert_true (bb_invoices_submit (db, id, &error));
  g_assert_no_error (error);
  g_assert_true (bb_invoices_issue (db, id, &error));
  g_assert_no_error (error);

  inv = bb_invoices_get (db, id, &error);
  g_assert_no_error (error);
  return g_strdup (inv->number);
}

/* Round trip */

/* Bills of every kind and state, written through core as the window
 * does. */
static void
make_awkward_book (BbDb *db)
{
  g_autoptr(BbInvoice) a = NULL;
  g_autoptr(BbInvoice) b = NULL;
  g_autoptr(BbInvoice) d = NULL;
  g_autoptr(BbInvoice) e = NULL;
  g_autoptr(BbInvoice) empty = NULL;
  g_autoptr(BbInvoice) g = NULL;
  g_autoptr(BbInvoice) note = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a_number = NULL;
  g_autofree char *b_number = NULL;
  g_autofree char *g_number = NULL;
  g_autofree char *note_number = NULL;

  add_customers (db);
  a = new_bill (db, "C000001", "2026-03-01");
  b = new_bill (db, "C000002", "2026-03-01");
  d = new_bill (db, "C000003", "2026-03-01");
  e = new_bill (db, "C000002", "2026-02-15");
  empty = new_bill (db, "C000001", "2026-03-10");
  g = new_bill (db, "C000002", "2026-01-20");

  bb_invoice_add_line (a, "Widget, large", 2000, 1250, 1000, 1300);
  bb_invoice_add_line (a, "螺丝，\"M6\"\n第二行", 1500, 333, 0, 0);
  bb_invoice_add_line (a, "=SUM(A1)", 1000, 10000, 0, 600);
  save_bill (db, a);
  a_number = issue_bill (db, a->id);
  g_assert_cmpstr (a_number, ==, "INV-2026-0001");

  /* A credit note for the first line only. */
  note = bb_invoices_create_credit_note (db, a->id, &error);
  g_assert_no_error (error);
  g_ptr_array_remove_range (note->lines, 1, 2);
  g_free (note->issued_on);
  note->issued_on = g_strdup ("2026-03-05");
  g_free (note->due_on);
  note->due_on = g_strdup ("2026-03-05");
  save_bill (db, note);
  note_number = issue_bill (db, note->id);

  /* Issued, then voided. */
  bb_invoice_add_line (b, "Delivery", 1000, 2000, 0, 0);
  save_bill (db, b);
  b_number = issue_bill (db, b->id);
  g_assert_true (bb_invoices_void (db, b->id, "Typo", &error));
  g_assert_no_error (error);

  /* Drafts, one in review, one without lines. */
  bb_invoice_add_line (d, "+1 extra", 1000, 500, 0, 0);
  bb_invoice_add_line (d, "@home visit", 250, 8000, 5000, 1300);
  save_bill (db, d);

  bb_invoice_add_line (e, "Consulting", 3000, 15000, 0, 600);
  save_bill (db, e);
  g_assert_true (bb_invoices_submit (db, e->id, &error));
  g_assert_no_error (error);

  save_bill (db, empty);

  /* Issued last, dated first: the export is by date. */
  bb_invoice_add_line (g, "发票，\"含税\",\n备注", 1000, 99999, 0, 1300);
  bb_invoice_add_line (g, "'quoted'", 1000, 1, 0, 0);
  save_bill (db, g);
  g_number = issue_bill (db, g->id);
  g_assert_cmpstr (g_number, ==, "INV-2026-0004");
}

static void
assert_same_totals (BbDb       *a,
                    BbDb       *b,
                    const char *number)
{
  g_autoptr(BbInvoice) x = get_bill (a, number);
  g_autoptr(BbInvoice) y = get_bill (b, number);

  g_assert_cmpint (x->subtotal, ==, y->subtotal);
  g_assert_cmpint (x->discount_total, ==, y->discount_total);
  g_assert_cmpint (x->tax_total, ==, y->tax_total);
  g_assert_cmpint (x->total, ==, y->total);
  g_assert_cmpint (x->open_balance, ==, y->open_balance);
  g_assert_cmpint (x->kind, ==, y->kind);
  g_assert_cmpint (x->status, ==, y->status);
  g_assert_cmpstr (x->issued_on, ==, y->issued_on);
  g_assert_cmpstr (x->due_on, ==, y->due_on);
  g_assert_cmpstr (x->customer_code, ==, y->customer_code);
  g_assert_cmpuint (x->lines->len, ==, y->lines->len);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BbDb) other = open_other_book (f, "other.db");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbInvoice) a = NULL;
  g_autoptr(BbInvoice) note = NULL;
  g_autoptr(BbInvoice) voided = NULL;
  g_autoptr(BbCustomer) c1 = NULL;
  g_autoptr(BbCustomer) c2 = NULL;
  g_autoptr(BbCustomer) c1_other = NULL;
  g_autoptr(BbCustomer) c2_other = NULL;
  g_autofree char *customers = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  make_awkward_book (f->db);
  first = export_text (f->db);

  g_assert_true (g_str_has_prefix (first, HEADER));
  /* By issue date; on one date drafts (no number yet) first, then by
   * number. */
  g_assert_cmpstr (first, ==,
                   HEADER
                   "INV-2026-0004,C000002,2026-01-20,2026-02-03,issued,\"发票，\"\"含税\"\",\n备注\",1,999.99,13,0\n"
                   "INV-2026-0004,C000002,2026-01-20,2026-02-03,issued,'quoted',1,0.01,0,0\n"
                   "DRAFT-1,C000002,2026-02-15,2026-03-01,review,Consulting,3,150.00,6,0\n"
                   "DRAFT-2,C000003,2026-03-01,2026-03-31,draft,'+1 extra,1,5.00,0,0\n"
                   "DRAFT-2,C000003,2026-03-01,2026-03-31,draft,'@home visit,0.25,80.00,13,50\n"
                   "INV-2026-0001,C000001,2026-03-01,2026-03-31,issued,\"Widget, large\",2,12.50,13,10\n"
                   "INV-2026-0001,C000001,2026-03-01,2026-03-31,issued,\"螺丝，\"\"M6\"\"\n第二行\",1.5,3.33,0,0\n"
                   "INV-2026-0001,C000001,2026-03-01,2026-03-31,issued,'=SUM(A1),1,100.00,6,0\n"
                   "INV-2026-0003,C000002,2026-03-01,2026-03-15,void,Delivery,1,20.00,0,0\n"
                   "INV-2026-0002,C000001,2026-03-05,2026-03-05,issued,\"Widget, large\",2,-12.50,13,10\n"
                   "DRAFT-3,C000001,2026-03-10,2026-04-09,draft,,,,,\n");

  /* A fresh book with the same customers. */
  customers = export_customers_text (f->db);
  {
    g_autoptr(GBytes) bytes = g_bytes_new (customers, strlen (customers));

    g_assert_true (bb_customers_import_csv (other, bytes, FALSE, NULL, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  g_assert_true (import_text (other, first, FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 7);
  g_assert_cmpuint (report->n_imported, ==, 7);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpint (count_invoices (other), ==, 7);

  second = export_text (other);
  g_assert_cmpstr (second, ==, first);

  /* Totals recomputed by core, as in the first book. */
  assert_same_totals (f->db, other, "INV-2026-0001");
  assert_same_totals (f->db, other, "INV-2026-0002");
  assert_same_totals (f->db, other, "INV-2026-0003");
  assert_same_totals (f->db, other, "INV-2026-0004");

  a = get_bill (other, "INV-2026-0001");
  g_assert_cmpint (a->subtotal, ==, 13000);
  g_assert_cmpint (a->discount_total, ==, 250);
  g_assert_cmpint (a->tax_total, ==, 893);
  g_assert_cmpint (a->total, ==, 13643);
  g_assert_cmpint (a->open_balance, ==, 13643);
  g_assert_cmpstr (((BbInvoiceLine *) g_ptr_array_index (a->lines, 1))->description, ==, "螺丝，\"M6\"\n第二行");
  g_assert_cmpstr (((BbInvoiceLine *) g_ptr_array_index (a->lines, 2))->description, ==, "=SUM(A1)");

  note = get_bill (other, "INV-2026-0002");
  g_assert_cmpint (note->kind, ==, BB_INVOICE_KIND_CREDIT_NOTE);
  g_assert_cmpint (note->total, ==, -2543);

  voided = get_bill (other, "INV-2026-0003");
  g_assert_cmpint (voided->status, ==, BB_INVOICE_VOID);
  g_assert_cmpstr (voided->void_reason, ==, "Imported as void");
  g_assert_cmpint (voided->open_balance, ==, 0);

  /* Drafts have no number in the book; nor does a bill in review. */
  g_assert_cmpint (query_int (other, "SELECT count(*) FROM invoices WHERE number IS NULL"), ==, 3);
  g_assert_cmpint (query_int (other, "SELECT count(*) FROM invoices WHERE status = 'review'"), ==, 1);

  /* What the customers owe, refreshed with the import. */
  c1 = get_customer (f->db, "C000001");
  c2 = get_customer (f->db, "C000002");
  c1_other = get_customer (other, "C000001");
  c2_other = get_customer (other, "C000002");
  g_assert_cmpint (c1->outstanding, ==, 13643 - 2543);
  g_assert_cmpint (c1_other->outstanding, ==, c1->outstanding);
  g_assert_cmpint (c2_other->outstanding, ==, c2->outstanding);
  g_assert_cmpint (c2_other->outstanding, ==, 99999 + 13000 + 1);   /* 999.99 + 13 % + 0.01 */

  /* The imported book passes its own check. */
  {
    g_autoptr(GPtrArray) problems = NULL;

    g_assert_true (bb_db_check (other, &problems, &error));
    g_assert_no_error (error);
  }

  /* Issuing in the new book steps over the imported numbers. */
  {
    g_autoptr(BbInvoice) next = new_bill (other, "C000001", "2026-04-01");
    g_autofree char *number = NULL;

    bb_invoice_add_line (next, "More", 1000, 100, 0, 0);
    save_bill (other, next);
    number = issue_bill (other, next->id);
    g_assert_cmpstr (number, ==, "INV-2026-0005");
  }
}

/* The good file: totals from the lines, due dates from the terms. */
static void
test_good_file (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BbInvoice) first = NULL;
  g_autoptr(BbInvoice) second = NULL;
  g_autoptr(BbInvoice) note = NULL;
  g_autoptr(BbInvoice) voided = NULL;
  g_autoptr(BbCustomer) c1 = NULL;
  g_autoptr(BbCustomer) c2 = NULL;
  g_autofree char *text = NULL;
  gint64 audit_before;

  add_customers (f->db);
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log");
  import_good_file (f->db);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_before + 1);

  first = get_bill (f->db, "INV-2026-0001");
  g_assert_cmpint (first->status, ==, BB_INVOICE_ISSUED);
  g_assert_cmpint (first->kind, ==, BB_INVOICE_KIND_INVOICE);
  g_assert_cmpuint (first->lines->len, ==, 2);
  /* 100 × 0.35 = 35.00 + 13 % tax 4.55; 2 × 45.00 − 10 % = 81.00 + 10.53 */
  g_assert_cmpint (first->subtotal, ==, 12500);
  g_assert_cmpint (first->discount_total, ==, 900);
  g_assert_cmpint (first->tax_total, ==, 1508);
  g_assert_cmpint (first->total, ==, 13108);
  g_assert_cmpint (first->open_balance, ==, 13108);
  g_assert_cmpstr (((BbInvoiceLine *) g_ptr_array_index (first->lines, 0))->description, ==, "螺丝 M6，不锈钢");

  /* An empty due date follows the customer's terms: 14 days. */
  second = get_bill (f->db, "INV-2026-0002");
  g_assert_cmpstr (second->due_on, ==, "2026-03-16");
  g_assert_cmpint (second->total, ==, 2000);

  /* −45.00 − 10 % = −40.50, tax −5.265 → −5.27 (half away from zero) */
  note = get_bill (f->db, "CN-2026-0001");
  g_assert_cmpint (note->kind, ==, BB_INVOICE_KIND_CREDIT_NOTE);
  g_assert_cmpint (note->total, ==, -4577);

  voided = get_bill (f->db, "INV-2026-0003");
  g_assert_cmpint (voided->status, ==, BB_INVOICE_VOID);
  g_assert_cmpint (voided->total, ==, 11900);
  g_assert_cmpint (voided->open_balance, ==, 0);

  /* The draft: no number, the formula text unescaped. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE status = 'draft' AND number IS NULL "
                                     "AND due_on = '2026-04-05' AND total = 999"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoice_lines WHERE description = '=SUM(A1)'"), ==, 1);

  c1 = get_customer (f->db, "C000001");
  c2 = get_customer (f->db, "C000002");
  g_assert_cmpint (c1->outstanding, ==, 13108 - 4577);
  g_assert_cmpint (c2->outstanding, ==, 2000);

  text = export_text (f->db);
  g_assert_nonnull (strstr (text, "\nINV-2026-0001,C000001,2026-03-01,2026-03-31,issued,\"Hammer, 500 g\",2,45.00,13,10\n"));
  g_assert_nonnull (strstr (text, "\nINV-2026-0002,C000002,2026-03-02,2026-03-16,issued,Delivery,1,20.00,0,0\n"));
  g_assert_nonnull (strstr (text, "\nDRAFT-1,C000003,2026-03-06,2026-04-05,draft,'=SUM(A1),1,9.99,0,0\n"));

  /* The same file again: its issued numbers are taken now. */
  {
    g_autoptr(GBytes) bytes = load_data ("invoices-good.csv");
    g_autoptr(BbImportReport) report = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (bb_invoices_import_csv (f->db, bytes, FALSE, NULL, NULL, NULL, &report, &error));
    g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "4 rows have problems; nothing was imported");
    g_assert_cmpint (count_invoices (f->db), ==, 5);
  }
}

/* Bad files */

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
      g_assert_true (p->message[strlen (prefix)] == ',' || p->message[strlen (prefix)] == ':');
    }
}

static void
test_bad_file (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("invoices-bad.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *customers_before = NULL;
  g_autofree char *customers_after = NULL;
  gint64 audit_before;
  static const Expected expected[] = {
    { 3, "issued_on", "Line 3, issued_on: “2026-04-02” differs from “2026-04-01” on line 2; "
                      "every line of bill B-1 must say the same" },
    { 4, "customer_code", "Line 4, customer_code: no customer has the code “NOPE”" },
    { 5, "issued_on", "Line 5, issued_on: 2026-02-30 does not exist" },
    { 6, "quantity", "Line 6, quantity: “1.2345” has more than three decimals" },
    { 7, "discount_percent", "Line 7, discount_percent: “150” is more than 100 %" },
    { 8, "number", "Line 8, number: bill INV-2026-0001 is already in the book" },
    { 9, "status", "Line 9, status: “paid” is not draft, review, issued or void" },
    { 10, "number", "Line 10, number: needed to group the lines of a bill" },
    { 11, "due_on", "Line 11, due_on: 2026-04-01 is before the issue date 2026-04-10" },
    { 12, "tax_rate_percent", "Line 12, tax_rate_percent: “2000” is more than 1000 %" },
    { 13, "unit_price", "Line 13, unit_price: “10.005” has more decimals than CNY allows (2)" },
    { 14, "customer_code", "Line 14, customer_code: “C000002” differs from “C000001” on line 2; "
                           "every line of bill B-1 must say the same" },
    { 14, "status", "Line 14, status: “draft” differs from “issued” on line 2; "
                    "every line of bill B-1 must say the same" },
  };

  add_customers (f->db);
  import_good_file (f->db);
  before = export_text (f->db);
  customers_before = export_customers_text (f->db);
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log");

  g_assert_false (bb_invoices_import_csv (f->db, bytes, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "12 rows have problems; nothing was imported");
  g_assert_cmpuint (report->n_imported, ==, 0);
  g_assert_cmpuint (report->n_rows, ==, 10);   /* bills: B-1 … B-9 and INV-2026-0001 */
  assert_problems (report, expected, G_N_ELEMENTS (expected));

  after = export_text (f->db);
  g_assert_cmpstr (after, ==, before);
  customers_after = export_customers_text (f->db);
  g_assert_cmpstr (customers_after, ==, customers_before);
  g_assert_cmpint (count_invoices (f->db), ==, 5);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_before);

  /* The same with dry_run: the same report. */
  g_clear_pointer (&report, bb_import_report_free);
  g_clear_error (&error);
  g_assert_false (bb_invoices_import_csv (f->db, bytes, TRUE, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  assert_problems (report, expected, G_N_ELEMENTS (expected));
}

/* What only a bill as a whole can be refused for. */
static void
test_bad_bills (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (HEADER);
  static const Expected expected[] = {
    { 2, NULL, "Line 2: bill A has no lines; an issued bill needs at least one" },
    { 3, "description", "Line 3, description: contains a control character (U+0007)" },
    { 4, "quantity", "Line 4, quantity: “x” is not a valid quantity" },
    { 4, "unit_price", "Line 4, unit_price: enter an amount" },
    { 6, NULL, "Line 6: bill C is too large to compute" },
    { 7, "due_on", "Line 7, due_on: “” differs from “2026-05-01” on line 5; "
                   "every line of bill C must say the same" },
    { 8, "number", "Line 8, number: longer than 64 characters" },
    { 9, NULL, "Line 9: the amount of this line is too large to compute" },
  };

  add_customers (f->db);
  g_string_append (text, "A,C000001,2026-04-01,,issued,,,,,\n");                            /* 2 */
  g_string_append (text, "B,C000001,2026-04-01,,draft,Bell\a,1,1.00,,\n");                  /* 3 */
  g_string_append (text, "B,C000001,2026-04-01,,draft,No numbers,x,,,\n");                  /* 4 */
  /* Each line can be computed (5 × 10^18 fen), their sum cannot. */
  g_string_append (text, "C,C000001,2026-04-01,2026-05-01,draft,Big,5000,10000000000000.00,,\n");  /* 5 */
  g_string_append (text, "C,C000001,2026-04-01,2026-05-01,draft,Big,5000,10000000000000.00,,\n");  /* 6 */
  g_string_append (text, "C,C000001,2026-04-01,,draft,Small,1,1.00,,\n");                   /* 7 */
  g_string_append_printf (text, "%0100d,C000001,2026-04-01,,draft,Long,1,1.00,,\n", 7);     /* 8 */
  g_string_append (text, "D,C000001,2026-04-01,,draft,Huge,1000000000,9000000000.00,,\n");  /* 9 */

  g_assert_false (import_text (f->db, text->str, FALSE, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  assert_problems (report, expected, G_N_ELEMENTS (expected));
  g_assert_cmpint (count_invoices (f->db), ==, 0);
}

static void
test_header_problems (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  static const Expected expected[] = {
    { 1, "fax", "Line 1: unknown column “fax”; the columns are number, customer_code, issued_on, "
                "due_on, status, description, quantity, unit_price, tax_rate_percent, discount_percent" },
    { 1, "status", "Line 1: missing column “status”" },
    { 3, "customer_code", NULL },
  };

  add_customers (f->db);
  g_assert_false (import_text (f->db,
                               "number,customer_code,issued_on,due_on,description,quantity,unit_price,"
                               "tax_rate_percent,discount_percent,fax\n"
                               "X-1,C000001,2026-04-01,,Thing,1,1.00,,,\n"
                               "X-2,NOPE,2026-04-01,,Thing,1,1.00,,,\n",
                               FALSE, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "1 row has problems; nothing was imported");
  assert_problems (report, expected, G_N_ELEMENTS (expected));

  /* An empty file names the columns it needs. */
  g_clear_pointer (&report, bb_import_report_free);
  g_clear_error (&error);
  g_assert_false (import_text (f->db, "", FALSE, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "discount_percent"));
  g_assert_cmpint (count_invoices (f->db), ==, 0);
}

/* Rows of one bill need not be together; columns may come in any order. */
static void
test_interleaved (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbInvoice) a = NULL;
  g_autoptr(BbInvoice) b = NULL;

  add_customers (f->db);
  g_assert_true (import_text (f->db,
                              "\xEF\xBB\xBF" "status,number,customer_code,issued_on,due_on,description,"
                              "quantity,unit_price,tax_rate_percent,discount_percent\n"
                              "Issued,A-1,C000001,2026-04-01,,One,1,1.00,,\n"
                              "issued,A-2,C000002,2026-04-01,,Two,2,2.00,,\n"
                              "issued,A-1,C000001,2026-04-01,,Three,3,3.00,13 %,\n"
                              " issued ,A-2 ,C000002,2026-04-01,,Four,4,\"1,000.00\",,\n",
                              FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 2);
  g_assert_cmpuint (report->n_imported, ==, 2);

  a = get_bill (f->db, "A-1");
  g_assert_cmpuint (a->lines->len, ==, 2);
  g_assert_cmpstr (((BbInvoiceLine *) g_ptr_array_index (a->lines, 1))->description, ==, "Three");
  g_assert_cmpint (a->total, ==, 100 + 900 + 117);
  b = get_bill (f->db, "A-2");
  g_assert_cmpuint (b->lines->len, ==, 2);
  g_assert_cmpint (b->total, ==, 400 + 400000);
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("invoices-good.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c1 = NULL;
  gint64 audit_before;

  add_customers (f->db);
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log");

  g_assert_true (bb_invoices_import_csv (f->db, bytes, TRUE, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 5);
  g_assert_cmpuint (report->n_imported, ==, 0);
  g_assert_cmpuint (report->problems->len, ==, 0);

  g_assert_cmpint (count_invoices (f->db), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoice_lines"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_before);
  c1 = get_customer (f->db, "C000001");
  g_assert_cmpint (c1->outstanding, ==, 0);
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
  g_autoptr(GBytes) bytes = load_data ("invoices-good.csv");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *customers_before = NULL;
  g_autofree char *customers_after = NULL;
  gint64 audit_before;
  CancelData cd = { g_cancellable_new (), 4, 0, FALSE };

  add_customers (f->db);
  before = export_text (f->db);
  customers_before = export_customers_text (f->db);
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log");

  /* Cancelled while writing, after some bills were written: rolled back. */
  g_assert_false (bb_invoices_import_csv (f->db, bytes, FALSE, cancel_progress, &cd,
                                          cd.cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (cd.saw_checking);
  g_assert_cmpuint (cd.last_total, ==, 6);

  after = export_text (f->db);
  g_assert_cmpstr (after, ==, before);
  customers_after = export_customers_text (f->db);
  g_assert_cmpstr (customers_after, ==, customers_before);
  g_assert_cmpint (count_invoices (f->db), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoice_lines"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_before);

  /* Cancelled before it starts. */
  g_clear_error (&error);
  g_assert_false (bb_invoices_import_csv (f->db, bytes, FALSE, NULL, NULL,
                                          cd.cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (count_invoices (f->db), ==, 0);

  /* No transaction was left open: the book takes the file afterwards. */
  import_good_file (f->db);
  g_assert_cmpint (count_invoices (f->db), ==, 5);

  g_object_unref (cd.cancellable);
}

/* Export */

static void
test_export_paged (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbDb) other = open_other_book (f, "other.db");
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(GString) expected = g_string_new (HEADER);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const guint n = 1234;

  add_customers (f->db);
  add_customers (other);

  /* In the file in reverse: the export is by date, then number. Every
   * third bill has two lines; a few share one date. */
  for (guint i = n; i >= 1; i--)
    {
      g_autofree char *row = g_strdup_printf ("K%05u,C00000%u,2026-%02u-%02u,2026-12-31,issued,",
                                              i, 1 + i % 2, 1 + (i / 28) % 12, 1 + i % 28);

      g_string_append_printf (text, "%sItem %u,1,%u.50,13,0\n", row, i, i);
      if (i % 3 == 0)
        g_string_append_printf (text, "%sExtra %u,2,1.00,0,0\n", row, i);
    }
  g_assert_true (import_text (f->db, text->str, FALSE, NULL, &error));
  g_assert_no_error (error);

  first = export_text (f->db);
  g_assert_true (g_str_has_prefix (first, HEADER));

  {
    g_auto(GStrv) lines = g_strsplit (first, "\n", -1);
    g_autofree char *previous = g_strdup ("");
    guint rows = 0;

    /* Sorted by date and number, every bill once, its lines together. */
    for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
      {
        g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);
        g_autofree char *key = g_strconcat (fields[2], " ", fields[0], NULL);

        g_assert_cmpint (strcmp (previous, key), <=, 0);
        g_free (previous);
        previous = g_steal_pointer (&key);
        rows++;
      }
    g_assert_cmpuint (rows, ==, n + n / 3);
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
  g_autofree char *expected = NULL;
  struct stat st;

  add_customers (f->db);
  import_good_file (f->db);
  expected = export_text (f->db);

  g_assert_true (bb_invoices_export_csv_to_file (f->db, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);

  /* Cancelled: the old file stays as it was, no new one is left. */
  g_file_set_contents (path, "old", -1, &error);
  g_assert_no_error (error);
  g_cancellable_cancel (cancelled);
  g_assert_false (bb_invoices_export_csv_to_file (f->db, file, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "old");

  {
    g_autofree char *new_path = g_build_filename (f->dir, "new.csv", NULL);
    g_autoptr(GFile) new_file = g_file_new_for_path (new_path);

    g_assert_false (bb_invoices_export_csv_to_file (f->db, new_file, cancelled, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
  }
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
  GMainLoop      *loop;
  GAsyncResult   *result;
  GThread        *main_thread;
  guint           progress_calls;
  gboolean        progress_off_thread;
  guint           invoices_changed;
  guint           customers_changed;
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

  ad->progress_calls++;
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

  if (g_str_equal (table, "invoices"))
    ad->invoices_changed++;
  else if (g_str_equal (table, "customers"))
    ad->customers_changed++;
}

static void
test_async_import (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("invoices-good.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c1 = NULL;
  AsyncData ad = { g_main_loop_new (NULL, FALSE), NULL, g_thread_self (), 0, FALSE, 0, 0 };
  gulong handler;

  add_customers (f->db);
  handler = g_signal_connect (f->db, "changed", G_CALLBACK (on_changed), &ad);

  /* The check first, as the window's preview does. */
  bb_invoices_import_async (f->db, bytes, TRUE, async_progress, &ad, NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  g_assert_true (bb_invoices_import_finish (f->db, ad.result, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 5);
  g_assert_cmpuint (report->n_imported, ==, 0);
  g_assert_cmpuint (ad.invoices_changed, ==, 0);
  g_assert_cmpint (count_invoices (f->db), ==, 0);
  g_clear_object (&ad.result);
  g_clear_pointer (&report, bb_import_report_free);

  bb_invoices_import_async (f->db, bytes, FALSE, async_progress, &ad, NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  g_assert_true (bb_invoices_import_finish (f->db, ad.result, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 5);
  g_clear_object (&ad.result);

  /* The window's connection sees the bills and the balances, and was told. */
  g_assert_cmpint (count_invoices (f->db), ==, 5);
  c1 = get_customer (f->db, "C000001");
  g_assert_cmpint (c1->outstanding, ==, 13108 - 4577);
  g_assert_cmpuint (ad.invoices_changed, ==, 1);
  g_assert_cmpuint (ad.customers_changed, ==, 1);
  g_assert_false (ad.progress_off_thread);

  /* A bad file (the numbers are taken now): the report comes back. */
  g_clear_pointer (&report, bb_import_report_free);
  bb_invoices_import_async (f->db, bytes, FALSE, NULL, NULL, NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  g_assert_false (bb_invoices_import_finish (f->db, ad.result, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpuint (report->problems->len, ==, 4);
  g_assert_cmpuint (ad.invoices_changed, ==, 1);
  g_clear_object (&ad.result);
  g_clear_error (&error);
  g_clear_pointer (&report, bb_import_report_free);

  /* Cancelled before it ran. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    bb_invoices_import_async (f->db, bytes, FALSE, NULL, NULL, cancellable, async_done, &ad);
    g_main_loop_run (ad.loop);
    g_assert_false (bb_invoices_import_finish (f->db, ad.result, &report, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_nonnull (report);
    g_clear_object (&ad.result);
  }

  g_signal_handler_disconnect (f->db, handler);
  g_main_loop_unref (ad.loop);
}

static void
test_async_export (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  AsyncData ad = { g_main_loop_new (NULL, FALSE), NULL, g_thread_self (), 0, FALSE, 0, 0 };
  struct stat st;

  add_customers (f->db);
  import_good_file (f->db);
  expected = export_text (f->db);

  bb_invoices_export_async (f->db, file, NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  g_assert_true (bb_invoices_export_finish (f->db, ad.result, &error));
  g_assert_no_error (error);
  g_clear_object (&ad.result);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

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

  ADD ("/invoice-io/csv/round-trip", test_round_trip);
  ADD ("/invoice-io/csv/good-file", test_good_file);
  ADD ("/invoice-io/csv/bad-file", test_bad_file);
  ADD ("/invoice-io/csv/bad-bills", test_bad_bills);
  ADD ("/invoice-io/csv/header-problems", test_header_problems);
  ADD ("/invoice-io/csv/interleaved", test_interleaved);
  ADD ("/invoice-io/csv/dry-run", test_dry_run);
  ADD ("/invoice-io/csv/cancel", test_cancel);
  ADD ("/invoice-io/export/paged", test_export_paged);
  ADD ("/invoice-io/export/file", test_export_file);
  ADD ("/invoice-io/export/empty", test_export_empty);
  ADD ("/invoice-io/async/import", test_async_import);
  ADD ("/invoice-io/async/export", test_async_export);

  return g_test_run ();
}
