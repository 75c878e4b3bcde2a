/* test-billing-ui.c — write a bill through the window, watch its totals,
 * review and issue it
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "bb-bill-editor.h"
#include "bb-customers.h"
#include "bb-invoices.h"
#include "bb-test-ui.h"
#include "bb-text.h"

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
test_write_review_issue (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(GError) error = NULL;
  BbBillEditor *editor;
  GtkWindow *dialog;
  gint64 id;

  g_free (customer->name);
  customer->name = g_strdup ("王小明");
  g_free (customer->address);
  customer->address = g_strdup ("上海市徐汇区漕溪北路 88 号");
  g_free (customer->phone);
  customer->phone = g_strdup ("138 0013 8000");
  g_assert_true (bb_customers_save (db, customer, &error));

  gtk_widget_activate_action (GTK_WIDGET (t->window), "win.show-page", "s", "billing");
  bb_test_iterate ();
  g_assert_nonnull (bb_test_find_button (GTK_WIDGET (t->window), "_New Bill"));

  /* Ctrl+N on the Billing page: a new bill. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t->window), "win.new-item", NULL));
  bb_test_iterate ();
  editor = BB_BILL_EDITOR (find_toplevel (BB_TYPE_BILL_EDITOR));
  g_assert_nonnull (editor);

  /* Typing the customer's code picks them. */
  gtk_editable_set_text (GTK_EDITABLE (bb_test_find_widget_by_title (GTK_WIDGET (editor),
                                                                     "Customer (type a name, phone or code)")),
                         customer->code);
  bb_test_iterate ();

  /* Live totals, computed by core: 2 × 50.00 + 13 % = 113.00; 1.5 kg ×
   * 19.99 with 10 % off = 26.99 (26.9865). */
  bb_bill_editor_add_line (editor, "洗车 Car wash", "2", "50", "", "13");
  bb_test_iterate ();
  g_assert_cmpstr (bb_bill_editor_get_total_text (editor), ==, "¥113.00");
  bb_bill_editor_add_line (editor, "咖啡豆 Coffee beans (kg)", "1.5", "19.99", "10", "");
  bb_test_iterate ();
  g_assert_cmpstr (bb_bill_editor_get_total_text (editor), ==, "¥139.99");
  g_assert_true (bb_bill_editor_can_save (editor));

  /* A bad quantity is refused where it was typed; nothing can be saved. */
  bb_bill_editor_add_line (editor, "Bad", "two", "1", "", "");
  bb_test_iterate ();
  g_assert_false (bb_bill_editor_can_save (editor));
  g_assert_cmpstr (bb_bill_editor_get_total_text (editor), ==, "¥139.99");
  /* Issue: saves, submits for review, shows the checklist, issues. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "bill.issue", NULL);
  bb_test_iterate ();
  /* The bad line stopped it: still a draft-to-be, nothing saved. */
  g_assert_cmpint (bb_bill_editor_get_invoice (editor), ==, 0);
  {
    BbInvoiceQuery all = { .status = -1 };

    g_assert_cmpint (bb_invoices_count (db, &all, NULL), ==, 0);
  }
  gtk_window_destroy (GTK_WINDOW (editor));
  bb_test_iterate ();

  /* Again, correctly. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t->window), "win.new-item", NULL));
  bb_test_iterate ();
  editor = BB_BILL_EDITOR (find_toplevel (BB_TYPE_BILL_EDITOR));
  bb_bill_editor_set_customer (editor, customer->id);
  bb_bill_editor_add_line (editor, "洗车 Car wash", "2", "50", "", "13");
  bb_test_iterate ();
  gtk_widget_activate_action (GTK_WIDGET (editor), "bill.issue", NULL);
  bb_test_iterate ();
  id = bb_bill_editor_get_invoice (editor);
  g_assert_cmpint (id, >, 0);

  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "issue");
  bb_test_iterate ();

  {
    g_autoptr(BbInvoice) inv = bb_invoices_get (db, id, &error);
    g_autofree char *expected = NULL;
    GDate today;

    g_assert_no_error (error);
    bb_date_set_today (&today);
    expected = g_strdup_printf ("INV-%04u-0001", g_date_get_year (&today));
    g_assert_cmpint (inv->status, ==, BB_INVOICE_ISSUED);
    g_assert_cmpstr (inv->number, ==, expected);
    g_assert_cmpint (inv->total, ==, 11300);
  }

  /* The list shows it; an issued bill opens read-only. */
  {
    GtkWidget *page = bb_test_find_widget (GTK_WIDGET (t->window), g_type_from_name ("BbBillingPage"));
    GtkWidget *view = bb_test_find_widget (page, GTK_TYPE_COLUMN_VIEW);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)))), ==, 1);
  }
  g_assert_false (bb_bill_editor_can_save (editor));

  /* Copy Payment Request puts a polite text on the clipboard. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "bill.copy-request", NULL));
  bb_test_iterate ();
  gtk_window_destroy (GTK_WINDOW (editor));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  if (!bb_test_ui_init ())
    return 77;

  g_test_add_func ("/billing-ui/write-review-issue", test_write_review_issue);

  return g_test_run ();
}
