/* test-reports-ui.c — the Reports page shows the book's figures, follows
 * a new payment and the period chosen
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "bb-chart-view.h"
#include "bb-customers.h"
#include "bb-invoices.h"
#include "bb-payments.h"
#include "bb-prepaid.h"
#include "bb-prepaid-account.h"
#include "bb-reports-page.h"
#include "bb-test-ui.h"

static gboolean
label_shown (GtkWidget  *root,
             const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return TRUE;
      if (label_shown (child, text))
        return TRUE;
    }

  return FALSE;
}

typedef struct
{
  GtkWidget  *page;
  const char *text;
} Wait;

static gboolean
wait_label (gpointer data)
{
  Wait *w = data;

  return label_shown (w->page, w->text);
}

/* The page shows its reports once both are computed (they run side by
 * side, and either may finish first). */
static gboolean
wait_reports_shown (gpointer data)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (data)), "reports") == 0;
}

static gboolean
wait_empty_shown (gpointer data)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (data)), "empty") == 0;
}

static void
test_reports_page (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(BbInvoice) bill = bb_invoice_new ();
  g_autoptr(BbPayment) payment = bb_payment_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GtkWidget *page;
  GtkStack *stack;
  BbChartView *chart;
  Wait wait;
  gint64 id;

  /* Not shown, not made: the reports wait until their page is shown. */
  g_assert_null (bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_REPORTS_PAGE));

  gtk_widget_activate_action (GTK_WIDGET (t->window), "win.show-page", "s", "reports");
  page = bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_REPORTS_PAGE);
  g_assert_nonnull (page);
  stack = GTK_STACK (bb_test_find_widget (page, GTK_TYPE_STACK));
  bb_test_iterate ();
  /* Computed once shown (not at start-up): a moment of "loading", then
   * an empty book says so. */
  g_assert_true (bb_test_wait_for (wait_empty_shown, stack, 5000));

  /* A bill of ¥1,130.00 (¥1,000 + 13 % tax), ¥300.00 of it paid today. */
  g_free (customer->name);
  customer->name = g_strdup ("王小明");
  g_free (customer->address);
  customer->address = g_strdup ("上海市徐汇区漕溪北路 88 号");
  g_free (customer->phone);
  customer->phone = g_strdup ("138 0013 8000");
  g_assert_true (bb_customers_save (db, customer, &error));
  bill->customer_id = customer->id;
  g_free (bill->issued_on);
  bill->issued_on = g_date_time_format (now, "%Y-%m-%d");
  bb_invoice_add_line (bill, "空调清洗", 1000, 100000, 0, 1300);
  g_assert_true (bb_invoices_save_draft (db, bill, &error));
  g_assert_true (bb_invoices_submit (db, bill->id, &error));
  g_assert_true (bb_invoices_issue (db, bill->id, &error));
  payment->customer_id = customer->id;
  payment->amount = 30000;
  g_free (payment->received_on);
  payment->received_on = g_date_time_format (now, "%Y-%m-%d");
  g_assert_true (bb_payments_record (db, payment, NULL, &id, &error));
  g_assert_no_error (error);

  /* The page hears of it, computes again in the background, and shows it. */
  wait.page = page;
  wait.text = "¥830.00";
  g_assert_true (bb_test_wait_for (wait_label, &wait, 5000));
  g_assert_true (bb_test_wait_for (wait_reports_shown, stack, 5000));
  wait.text = "¥300.00";              /* received this month */
  g_assert_true (bb_test_wait_for (wait_label, &wait, 5000));

  chart = BB_CHART_VIEW (bb_test_find_widget (page, BB_TYPE_CHART_VIEW));
  g_assert_nonnull (chart);
  g_assert_nonnull (bb_chart_view_get_chart (chart));
  g_assert_false (bb_chart_is_empty (bb_chart_view_get_chart (chart)));
  g_assert_cmpuint (bb_chart_get_n_categories (bb_chart_view_get_chart (chart)), ==, 12);
  /* This month, the last bar: what was paid. */
  g_assert_cmpint (bb_chart_get_value (bb_chart_view_get_chart (chart), 0, 11), ==, 30000);

  /* The other reports, each a titled section with its chart and table. */
  {
    static const char *titles[] = {
      "Collections per Month", "Aging of Receivables", "Payment Methods", "Top Customers",
      "A/B/C Classes", "Prepaid Liability", "On-Time Payment",
    };

    for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
      {
        wait.text = titles[i];
        g_assert_true (label_shown (page, titles[i]));
      }
  }
  wait.text = "Cash";                         /* the method, and the customer who paid */
  g_assert_true (bb_test_wait_for (wait_label, &wait, 5000));
  wait.text = "1 payment";
  g_assert_true (label_shown (page, wait.text));
  g_assert_true (label_shown (page, "¥0.00"));       /* no prepaid cards */
  /* Top customers, classes and on-time payment may come a little later:
   * on a big book they take longer, and the others do not wait for them. */
  {
    static const char *later[] = {
      "C000001 · 王小明", "Class B", "1 customer (100.0%) · 100.0% of billed",
      "¥1,130.00",                                  /* billed to class B */
    };

    for (guint i = 0; i < G_N_ELEMENTS (later); i++)
      {
        wait.text = later[i];
        g_assert_true (bb_test_wait_for (wait_label, &wait, 5000));
      }
  }

  /* Every chart says what it shows to a screen reader. */
  {
    guint n = 0;

    for (GtkWidget *w = gtk_widget_get_first_child (page); w != NULL; )
      {
        if (BB_IS_CHART_VIEW (w))
          {
            BbChart *c = bb_chart_view_get_chart (BB_CHART_VIEW (w));

            g_assert_nonnull (c);
            g_assert_nonnull (bb_chart_get_title (c));
            n++;
          }
        /* depth first */
        if (gtk_widget_get_first_child (w) != NULL)
          w = gtk_widget_get_first_child (w);
        else
          {
            while (w != NULL && w != page && gtk_widget_get_next_sibling (w) == NULL)
              w = gtk_widget_get_parent (w);
            w = (w == NULL || w == page) ? NULL : gtk_widget_get_next_sibling (w);
          }
      }
    g_assert_cmpuint (n, ==, 7);
  }

  /* A prepaid card topped up today: the summary says what cards hold. */
  {
    gint64 account = 0, entry = 0;
    g_autoptr(BbPrepaidAccount) card = bb_prepaid_account_new ();

    card->customer_id = customer->id;
    g_free (card->name);
    card->name = g_strdup ("会员卡");
    g_assert_true (bb_prepaid_save_account (db, card, &error));
    g_assert_no_error (error);
    account = card->id;
    g_assert_true (bb_prepaid_top_up (db, account, NULL, 50000, BB_PAYMENT_WECHAT_PAY, "", &entry, &error));
    g_assert_no_error (error);
  }
  wait.text = "¥500.00";
  g_assert_true (bb_test_wait_for (wait_label, &wait, 5000));

  /* Last year: nothing was paid then; the collections chart shows its
   * twelve months, all empty. */
  {
    GtkDropDown *period = GTK_DROP_DOWN (bb_test_find_widget (page, GTK_TYPE_DROP_DOWN));
    g_autofree char *jan = g_strdup_printf ("%d-01", g_date_time_get_year (now) - 1);

    g_assert_nonnull (period);
    gtk_drop_down_set_selected (period, 2);
    wait.text = jan;
    g_assert_true (bb_test_wait_for (wait_label, &wait, 5000));
    g_assert_true (bb_chart_is_empty (bb_chart_view_get_chart (chart)));
    g_assert_cmpuint (bb_chart_get_n_categories (bb_chart_view_get_chart (chart)), ==, 12);
    g_assert_cmpstr (bb_chart_get_category_label (bb_chart_view_get_chart (chart), 0), ==, jan);
    /* The summary is of this month whatever the period: the ¥300.00
     * paid and the ¥500.00 put on the card. */
    g_assert_true (label_shown (page, "¥800.00"));
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  if (!bb_test_ui_init ())
    return 77;

  g_test_add_func ("/reports-ui/page", test_reports_page);

  return g_test_run ();
}
