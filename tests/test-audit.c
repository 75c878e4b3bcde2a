/* test-audit.c — the audit log says what changed, newest first, and by name
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "bb-audit.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoices.h"

typedef struct
{
  char *dir;
  BbDb *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("billbook-audit-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "book.db", NULL);

  g_clear_object (&f->db);
  g_unlink (path);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static gint64
add_customer (Fixture    *f,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) customer = bb_customer_new ();

  g_free (customer->name);
  customer->name = g_strdup (name);
  g_free (customer->address);
  customer->address = g_strdup ("上海市徐汇区漕溪北路 88 号");
  g_free (customer->phone);
  customer->phone = g_strdup ("13800138000");
  g_assert_true (bb_customers_save (f->db, customer, &error));
  g_assert_no_error (error);

  return customer->id;
}

static BbAuditEntry *
entry_at (GPtrArray *entries,
          guint      i)
{
  g_assert_cmpuint (i, <, entries->len);
  return g_ptr_array_index (entries, i);
}

static void
test_log (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbInvoice) bill = bb_invoice_new ();
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) bills = NULL;
  g_autoptr(GPtrArray) page = NULL;
  gint64 wang = add_customer (f, "王小明");
  gint64 n;

  add_customer (f, "Anna Schmidt");
  bill->customer_id = wang;
  bb_invoice_add_line (bill, "洗车", 1000, 5000, 0, 1300);
  g_assert_true (bb_invoices_save_draft (f->db, bill, &error));
  g_assert_true (bb_invoices_submit (f->db, bill->id, &error));
  g_assert_true (bb_invoices_issue (f->db, bill->id, &error));
  g_assert_true (bb_invoices_void (f->db, bill->id, "写错了", &error));
  g_assert_no_error (error);

  n = bb_audit_count (f->db, NULL, &error);
  g_assert_no_error (error);
  all = bb_audit_search (f->db, NULL, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, (gint64) all->len);
  g_assert_cmpint (n, >=, 6);

  /* Newest first: the void, then the issue, … the first customer last. */
  g_assert_cmpstr (entry_at (all, 0)->action, ==, "void");
  g_assert_cmpstr (entry_at (all, 0)->detail, ==, "写错了");
  g_assert_cmpstr (entry_at (all, 0)->subject, ==, "INV-2026-0001 · 王小明");
  g_assert_cmpstr (entry_at (all, 1)->action, ==, "issue");
  g_assert_cmpstr (entry_at (all, all->len - 1)->action, ==, "create");
  g_assert_cmpstr (entry_at (all, all->len - 1)->table_name, ==, "customers");
  g_assert_cmpstr (entry_at (all, all->len - 1)->subject, ==, "C000001 · 王小明");
  for (guint i = 1; i < all->len; i++)
    g_assert_cmpint (entry_at (all, i - 1)->id, >, entry_at (all, i)->id);

  /* Said in words a person reads */
  g_assert_cmpstr (bb_audit_describe_action ("void"), ==, "Voided");
  g_assert_cmpstr (bb_audit_describe_table ("invoices"), ==, "Bill");
  g_assert_cmpstr (bb_audit_describe_action ("something-newer"), ==, "something-newer");

  /* Only the bills */
  bills = bb_audit_search (f->db, "invoices", 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bb_audit_count (f->db, "invoices", &error), ==, (gint64) bills->len);
  g_assert_cmpuint (bills->len, >=, 3);
  for (guint i = 0; i < bills->len; i++)
    g_assert_cmpstr (entry_at (bills, i)->table_name, ==, "invoices");

  /* Pages are pieces of the same order */
  page = bb_audit_search (f->db, NULL, 2, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpint (entry_at (page, 0)->id, ==, entry_at (all, 2)->id);
  g_assert_cmpint (entry_at (page, 1)->id, ==, entry_at (all, 3)->id);

  /* Nobody can rewrite the log, not even by hand. */
  g_assert_false (_bb_db_exec (f->db, "UPDATE audit_log SET detail = 'nothing happened'", &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (_bb_db_exec (f->db, "DELETE FROM audit_log", &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (bb_audit_count (f->db, NULL, NULL), ==, n);
}

/* The lazy list reads the log in pages, and follows the filter. */
static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(BbAuditList) list = bb_audit_list_new (f->db);
  g_autoptr(BbAuditEntry) first = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("Customer %u", i);

      add_customer (f, name);
    }
  bb_paged_list_reload (BB_PAGED_LIST (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 300);

  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (first->subject, ==, "C000300 · Customer 299");
  /* Reading the first row reads one page, not the log. */
  g_assert_cmpuint (bb_paged_list_get_n_fetches (BB_PAGED_LIST (list)), ==, 1);

  bb_audit_list_set_table (list, "invoices");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  bb_audit_list_set_table (list, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 300);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/audit/log", Fixture, NULL, fixture_set_up, test_log, fixture_tear_down);
  g_test_add ("/audit/list", Fixture, NULL, fixture_set_up, test_list, fixture_tear_down);

  return g_test_run ();
}
