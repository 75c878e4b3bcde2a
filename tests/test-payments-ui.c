/* test-payments-ui.c — take a payment through the window: from a bill,
 * spread over bills, the rest as credit; bad amounts named
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "bb-bill-editor.h"
#include "bb-customer-detail.h"
#include "bb-customers.h"
#include "bb-invoices.h"
#include "bb-payment-dialog.h"
#include "bb-payments.h"
#include "bb-prepaid.h"
#include "bb-test-ui.h"

static gint64
issue_bill (BbDb       *db,
            gint64      customer_id,
            const char *issued_on,
            BbMoney     price)
{
  g_autoptr(BbInvoice) bill = bb_invoice_new ();
  g_autoptr(GError) error = NULL;

  bill->customer_id = customer_id;
  g_free (bill->issued_on);
  bill->issued_on = g_strdup (issued_on);
  bb_invoice_add_line (bill, "洗车", 1000, price, 0, 0);
  g_assert_true (bb_invoices_save_draft (db, bill, &error));
  g_assert_true (bb_invoices_submit (db, bill->id, &error));
  g_assert_true (bb_invoices_issue (db, bill->id, &error));
  g_assert_no_error (error);

  return bill->id;
}

static BbMoney
open_balance (BbDb   *db,
              gint64  id)
{
  g_autoptr(BbInvoice) bill = bb_invoices_get (db, id, NULL);

  return bill->open_balance;
}

static GtkEditable *
share_entry (GtkWidget  *dialog,
             const char *number)
{
  g_autofree char *label = g_strdup_printf ("Amount for bill %s", number);

  return GTK_EDITABLE (bb_test_find_widget_by_tooltip (dialog, label));
}

static GtkLabel *
find_label_containing (GtkWidget  *root,
                       const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && strstr (gtk_label_get_text (GTK_LABEL (child)), text))
        return GTK_LABEL (child);
      if ((found = find_label_containing (child, text)) != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_group (GtkWidget  *root,
            const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_GROUP (child) &&
          g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (child)), title) == 0)
        return child;
      if ((found = find_group (child, title)) != NULL)
        return found;
    }

  return NULL;
}

static void
test_payment_dialog (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) after = NULL;
  BbPaymentDialog *dialog;
  GtkWidget *amount, *record;
  gint64 older, newer;

  g_free (customer->name);
  customer->name = g_strdup ("王小明");
  g_free (customer->address);
  customer->address = g_strdup ("上海市徐汇区漕溪北路 88 号");
  g_free (customer->phone);
  customer->phone = g_strdup ("138 0013 8000");
  g_assert_true (bb_customers_save (db, customer, &error));
  older = issue_bill (db, customer->id, "2026-01-10", 30000);   /* ¥300.00, INV-2026-0001 */
  newer = issue_bill (db, customer->id, "2026-02-10", 50000);   /* ¥500.00, INV-2026-0002 */

  /* From the newer bill: it is asked for first, then the older one. */
  dialog = bb_payment_dialog_new (GTK_WINDOW (t->window), db, customer->id, newer);
  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  bb_test_iterate ();

  amount = bb_test_find_widget_by_title (GTK_WIDGET (dialog), "Amount");
  record = bb_test_find_button (GTK_WIDGET (dialog), "_Record");
  g_assert_nonnull (amount);
  g_assert_nonnull (record);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (amount)), ==, "500.00");
  g_assert_cmpstr (gtk_editable_get_text (share_entry (GTK_WIDGET (dialog), "INV-2026-0002")), ==, "500.00");
  g_assert_cmpstr (gtk_editable_get_text (share_entry (GTK_WIDGET (dialog), "INV-2026-0001")), ==, "");

  /* More than both: each bill gets what it owes, the rest is credit. */
  gtk_editable_set_text (GTK_EDITABLE (amount), "900");
  bb_test_iterate ();
  g_assert_cmpstr (gtk_editable_get_text (share_entry (GTK_WIDGET (dialog), "INV-2026-0001")), ==, "300.00");

  /* A bad amount is named and nothing is recorded. */
  gtk_editable_set_text (GTK_EDITABLE (amount), "12.345");
  g_signal_emit_by_name (record, "clicked");
  bb_test_iterate ();
  g_assert_true (gtk_widget_has_css_class (amount, "error"));
  g_assert_cmpint (open_balance (db, older), ==, 30000);
  {
    g_autoptr(GPtrArray) none = bb_payments_list_for_customer (db, customer->id, 0, 10, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
  }

  /* A share the owner changed by hand stays as typed. */
  gtk_editable_set_text (GTK_EDITABLE (amount), "900");
  gtk_editable_set_text (share_entry (GTK_WIDGET (dialog), "INV-2026-0001"), "100");
  gtk_editable_set_text (GTK_EDITABLE (amount), "950");
  bb_test_iterate ();
  g_assert_cmpstr (gtk_editable_get_text (share_entry (GTK_WIDGET (dialog), "INV-2026-0001")), ==, "100");

  g_signal_emit_by_name (record, "clicked");
  bb_test_iterate ();
  g_assert_cmpuint (bb_payment_dialog_get_payment_id (dialog), >, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_object_unref (dialog);

  /* ¥500 on the newer bill, ¥100 on the older, ¥350 the customer's credit */
  g_assert_cmpint (open_balance (db, newer), ==, 0);
  g_assert_cmpint (open_balance (db, older), ==, 20000);
  after = bb_customers_get (db, customer->id, &error);
  g_assert_cmpint (after->credit, ==, 35000);
  g_assert_cmpint (after->outstanding, ==, 20000);

  /* The credit pays a later bill from its editor. */
  {
    gint64 later = issue_bill (db, customer->id, "2026-04-01", 20000);
    g_autoptr(BbCustomer) now = NULL;
    BbBillEditor *editor = bb_bill_editor_new (GTK_WINDOW (t->window), db, later);

    gtk_window_present (GTK_WINDOW (editor));
    bb_test_iterate ();
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "bill.use-credit", NULL));
    bb_test_iterate ();
    g_assert_cmpint (open_balance (db, later), ==, 0);
    now = bb_customers_get (db, customer->id, &error);
    g_assert_cmpint (now->credit, ==, 15000);
    g_assert_nonnull (find_label_containing (GTK_WIDGET (editor), "Credit used"));
    gtk_window_destroy (GTK_WINDOW (editor));
  }
}

static gboolean
message_dialog_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          *(AdwMessageDialog **) data = ADW_MESSAGE_DIALOG (window);
          return TRUE;
        }
    }

  return FALSE;
}

/* A payment is refunded from the customer: the bill is owed again, and
 * both rows stay in the history. */
static void
test_refund_from_customer (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(BbPayment) payment = bb_payment_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  BbCustomerDetail *detail;
  AdwMessageDialog *dialog = NULL;
  GtkWidget *button;
  gint64 bill, payment_id;

  g_free (customer->name);
  customer->name = g_strdup ("李玲");
  g_free (customer->address);
  customer->address = g_strdup ("杭州市西湖区文三路 100 号");
  g_free (customer->phone);
  customer->phone = g_strdup ("139 0571 0000");
  g_assert_true (bb_customers_save (db, customer, &error));
  bill = issue_bill (db, customer->id, "2026-05-01", 8800);
  payment->customer_id = customer->id;
  payment->amount = 8800;
  payment->method = BB_PAYMENT_WECHAT_PAY;
  g_free (payment->received_on);
  payment->received_on = g_strdup ("2026-05-02");
  g_assert_true (bb_payments_record (db, payment, NULL, &payment_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (open_balance (db, bill), ==, 0);

  detail = g_object_new (BB_TYPE_CUSTOMER_DETAIL, NULL);
  {
    GtkWidget *window = gtk_window_new ();

    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (t->window));
    gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (detail));
    bb_customer_detail_set_database (detail, db);
    bb_customer_detail_set_customer (detail, customer->id);
    gtk_window_present (GTK_WINDOW (window));
    bb_test_iterate ();

    button = bb_test_find_widget_by_tooltip (GTK_WIDGET (detail), "Refund This Payment…");
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    g_assert_true (bb_test_wait_for (message_dialog_shown, &dialog, 2000));
    gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "退货");
    adw_message_dialog_response (dialog, "refund");
    bb_test_iterate ();

    g_assert_cmpint (open_balance (db, bill), ==, 8800);
    history = bb_payments_list_for_customer (db, customer->id, 0, 10, &error);
    g_assert_cmpuint (history->len, ==, 2);
    /* Refunded: nothing more to refund. */
    g_assert_null (bb_test_find_widget_by_tooltip (GTK_WIDGET (detail), "Refund This Payment…"));
    gtk_window_destroy (GTK_WINDOW (window));
  }
}

typedef struct
{
  GtkWidget  *root;
  const char *title;
} RowShown;

static gboolean
row_shown (gpointer data)
{
  RowShown *r = data;

  return bb_test_find_widget_by_title (r->root, r->title) != NULL;
}

/* A customer with one bill of @amount issued @on, of which @paid was
 * paid in cash the same day; the bill's number in @number. */
static gint64
customer_paid (BbDb       *db,
               const char *name,
               const char *on,
               BbMoney     amount,
               BbMoney     paid,
               char      **number)
{
  g_autoptr(BbInvoice) bill = NULL;
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(BbPayment) payment = bb_payment_new ();
  g_autoptr(GError) error = NULL;

  g_free (customer->name);
  customer->name = g_strdup (name);
  g_free (customer->address);
  customer->address = g_strdup ("上海市徐汇区漕溪北路 88 号");
  g_free (customer->phone);
  customer->phone = g_strdup ("138 0013 8000");
  g_assert_true (bb_customers_save (db, customer, &error));
  bill = bb_invoices_get (db, issue_bill (db, customer->id, on, amount), &error);
  g_assert_no_error (error);
  *number = g_strdup (bill->number);
  payment->customer_id = customer->id;
  payment->amount = paid;
  payment->method = BB_PAYMENT_CASH;
  g_free (payment->received_on);
  payment->received_on = g_strdup (on);
  g_assert_true (bb_payments_record (db, payment, NULL, NULL, &error));
  g_assert_no_error (error);

  return customer->id;
}

static const char *
row_subtitle (GtkWidget  *root,
              const char *title)
{
  GtkWidget *row = bb_test_find_widget_by_title (root, title);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* A customer's history (interactions, bills, payments) is below the
 * fold: before the pane's first frame it comes a frame later, so the
 * window opens sooner; once the pane has painted, with the customer.
 * A bill there says what the bill list says of it, and what is owed. */
static void
test_history_after_first_frame (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autofree char *paid_number = NULL;
  g_autofree char *owed_number = NULL;
  g_autofree char *paid_title = NULL;
  g_autofree char *owed_title = NULL;
  gint64 first = customer_paid (db, "王芳", "2026-05-02", 1200, 1200, &paid_number);
  gint64 second = customer_paid (db, "Harbour Bakery", "2026-06-03", 3400, 1000, &owed_number);
  BbCustomerDetail *detail = g_object_new (BB_TYPE_CUSTOMER_DETAIL, NULL);
  GtkWidget *window = gtk_window_new ();
  RowShown first_payment = { GTK_WIDGET (detail), "2026-05-02 · Cash" };
  RowShown second_payment = { GTK_WIDGET (detail), "2026-06-03 · Cash" };

  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (t->window));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (detail));
  bb_customer_detail_set_database (detail, db);
  bb_customer_detail_set_customer (detail, first);
  g_assert_false (row_shown (&first_payment));

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (bb_test_wait_for (row_shown, &first_payment, 2000));
  paid_title = g_strdup_printf ("%s · 2026-05-02", paid_number);
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (detail), paid_title), ==, "Paid");

  bb_customer_detail_set_customer (detail, second);
  g_assert_true (row_shown (&second_payment));
  g_assert_false (row_shown (&first_payment));
  owed_title = g_strdup_printf ("%s · 2026-06-03", owed_number);
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (detail), owed_title), ==, "Overdue · still open ¥24.00");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The bill editor offers the payment for an issued bill that is owed,
 * and shows the new balance afterwards. */
static void
test_from_bill_editor (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(GError) error = NULL;
  BbBillEditor *editor;
  gint64 id;

  g_free (customer->name);
  customer->name = g_strdup ("Anna Schmidt");
  g_free (customer->address);
  customer->address = g_strdup ("Hauptstraße 1, Berlin");
  g_free (customer->phone);
  customer->phone = g_strdup ("+49 30 1234567");
  g_assert_true (bb_customers_save (db, customer, &error));
  id = issue_bill (db, customer->id, "2026-03-01", 12000);

  editor = bb_bill_editor_new (GTK_WINDOW (t->window), db, id);
  gtk_window_present (GTK_WINDOW (editor));
  bb_test_iterate ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "bill.record-payment", NULL));
  bb_test_iterate ();

  {
    GtkWidget *record = NULL;
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && record == NULL; i++)
      {
        g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

        if (BB_IS_PAYMENT_DIALOG (window))
          record = bb_test_find_button (GTK_WIDGET (window), "_Record");
      }
    g_assert_nonnull (record);
    g_signal_emit_by_name (record, "clicked");
    bb_test_iterate ();
  }

  g_assert_cmpint (open_balance (db, id), ==, 0);
  /* The editor says so at once, and lists the payment. */
  g_assert_nonnull (find_label_containing (GTK_WIDGET (editor), "still owed ¥0.00"));
  {
    GtkWidget *row = find_group (GTK_WIDGET (editor), "Payments");

    g_assert_nonnull (row);
    g_assert_true (gtk_widget_get_visible (row));
    g_assert_nonnull (find_label_containing (row, "¥120.00"));
    g_assert_nonnull (find_label_containing (row, "Cash"));
  }
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* A bill paid from the customer's prepaid card, through the bill's menu:
 * a charge on the card and a payment of method prepaid, in one go. */
static void
test_pay_from_prepaid (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(BbPrepaidAccount) card = bb_prepaid_account_new ();
  g_autoptr(BbPrepaidAccount) after = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog = NULL;
  BbBillEditor *editor;
  gint64 id;

  g_free (customer->name);
  customer->name = g_strdup ("王小明");
  g_free (customer->address);
  customer->address = g_strdup ("上海市徐汇区漕溪北路 88 号");
  g_free (customer->phone);
  customer->phone = g_strdup ("138 0013 8000");
  g_assert_true (bb_customers_save (db, customer, &error));
  card->customer_id = customer->id;
  g_free (card->name);
  card->name = g_strdup ("会员卡");
  g_assert_true (bb_prepaid_save_account (db, card, &error));
  g_assert_true (bb_prepaid_top_up (db, card->id, NULL, 50000, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_no_error (error);
  id = issue_bill (db, customer->id, "2026-03-01", 12000);   /* ¥120.00 */

  editor = bb_bill_editor_new (GTK_WINDOW (t->window), db, id);
  gtk_window_present (GTK_WINDOW (editor));
  bb_test_iterate ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "bill.pay-prepaid", NULL));
  bb_test_iterate ();

  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
      {
        g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (window))
          dialog = ADW_MESSAGE_DIALOG (window);
      }
  }
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Pay From a Prepaid Card");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "¥120.00"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (dialog), "会员卡 · holds ¥500.00"));
  adw_message_dialog_response (dialog, "pay");
  bb_test_iterate ();

  g_assert_cmpint (open_balance (db, id), ==, 0);
  after = bb_prepaid_get_account (db, card->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->balance, ==, 38000);
  payments = bb_payments_list_allocations (db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 1);
  g_assert_cmpint (((BbAllocation *) g_ptr_array_index (payments, 0))->method, ==, BB_PAYMENT_PREPAID);
  g_assert_cmpint (((BbAllocation *) g_ptr_array_index (payments, 0))->amount, ==, 12000);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (editor), "still owed ¥0.00"));
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

  g_test_add_func ("/payments-ui/dialog", test_payment_dialog);
  g_test_add_func ("/payments-ui/from-bill-editor", test_from_bill_editor);
  g_test_add_func ("/payments-ui/pay-from-prepaid", test_pay_from_prepaid);
  g_test_add_func ("/payments-ui/refund-from-customer", test_refund_from_customer);
  g_test_add_func ("/payments-ui/history-after-first-frame", test_history_after_first_frame);

  return g_test_run ();
}
