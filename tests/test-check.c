/* test-check.c — every kept balance agrees with its money rows, or is named
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "bb-check.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoices.h"
#include "bb-payments.h"

static gboolean
has_problem (GPtrArray  *problems,
             const char *needle)
{
  for (guint i = 0; i < problems->len; i++)
    if (strstr (g_ptr_array_index (problems, i), needle))
      return TRUE;

  return FALSE;
}

static void
test_check_balances (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("billbook-check-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "book.db", NULL);
  g_autoptr(BbDb) db = bb_db_open (path, &error);
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(BbInvoice) bill = bb_invoice_new ();
  g_autoptr(BbInvoice) draft = bb_invoice_new ();
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_no_error (error);
  g_free (customer->name);
  customer->name = g_strdup ("王小明");
  g_free (customer->address);
  customer->address = g_strdup ("上海");
  g_free (customer->phone);
  customer->phone = g_strdup ("13800138000");
  g_assert_true (bb_customers_save (db, customer, &error));

  bill->customer_id = customer->id;
  bb_invoice_add_line (bill, "洗车", 2000, 5000, 0, 1300);
  g_assert_true (bb_invoices_save_draft (db, bill, &error));
  g_assert_true (bb_invoices_submit (db, bill->id, &error));
  g_assert_true (bb_invoices_issue (db, bill->id, &error));
  /* A payment received on the day of issue, so before the due date. */
  {
    g_autoptr(BbPayment) payment = bb_payment_new ();
    g_autoptr(GPtrArray) allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);

    payment->customer_id = customer->id;
    payment->amount = 5000;
    payment->method = BB_PAYMENT_CASH;
    g_ptr_array_add (allocations, bb_allocation_new (bill->id, 5000));
    g_assert_true (bb_payments_record (db, payment, allocations, NULL, &error));
    g_assert_no_error (error);
  }
  draft->customer_id = customer->id;
  bb_invoice_add_line (draft, "Oil", 1000, 30000, 0, 0);
  g_assert_true (bb_invoices_save_draft (db, draft, &error));
  g_assert_no_error (error);

  /* What core wrote agrees with itself. */
  g_assert_true (bb_check_book (db, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Someone edits the file behind Billbook's back. */
  g_assert_true (_bb_db_exec (db, "UPDATE customers SET outstanding = 1", &error));
  g_assert_true (_bb_db_exec (db, "UPDATE invoices SET paid_by_due = 0 WHERE status = 'issued'", &error));
  g_assert_true (_bb_db_exec (db, "UPDATE invoices SET total = 7, open_balance = 7 WHERE status = 'draft'", &error));
  g_assert_true (_bb_db_exec (db,
                              "INSERT INTO prepaid_accounts (customer_id, name, balance, paid_in, created_at) "
                              "VALUES (1, 'Membership card', 5000, 5000, '');"
                              "INSERT INTO prepaid_entries (account_id, occurred_on, kind, amount, method, created_at) "
                              "VALUES (1, '2026-11-01', 'topup', 4000, 'cash', '')",
                              &error));
  g_assert_no_error (error);

  g_assert_false (bb_check_book (db, &problems, &error));
  g_assert_no_error (error);
  g_assert_true (has_problem (problems, "Customer C000001: outstanding is 1 but their bills add up to 6300"));
  g_assert_true (has_problem (problems, "total is 7 but its lines add up to 30000"));
  g_assert_true (has_problem (problems, "Prepaid account Membership card: balance is 5000 but its ledger adds up to 4000"));
  g_assert_true (has_problem (problems, "Customer C000001: prepaid balance is 0 but their accounts add up to 5000"));
  g_assert_true (has_problem (problems, "Prepaid account Membership card of C000001: paid-in money is 5000 but its ledger adds up to 4000"));
  g_assert_true (has_problem (problems, "paid by its due date is 0 but its payments received by then add up to 5000"));
  g_assert_cmpuint (problems->len, ==, 6);

  g_clear_object (&db);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

        g_unlink (file);
      }
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/check/balances", test_check_balances);

  return g_test_run ();
}
