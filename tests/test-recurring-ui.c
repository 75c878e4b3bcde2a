/* test-recurring-ui.c — recurring charges through the window: added with
 * its fields checked, billed by "Bill Due Charges Now", stopped, and
 * shown per customer
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "bb-customer-detail.h"
#include "bb-customers.h"
#include "bb-invoices.h"
#include "bb-recurring.h"
#include "bb-recurring-window.h"
#include "bb-test-ui.h"
#include "bb-text.h"

static gint64
add_customer (BbDb       *db,
              const char *name)
{
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(GError) error = NULL;

  g_free (c->name);
  c->name = g_strdup (name);
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  return c->id;
}

typedef struct
{
  BbDb   *db;
  gint64  customer_id;
  guint   wanted;
} Drafts;

static guint
count_drafts (BbDb   *db,
              gint64  customer_id)
{
  BbInvoiceQuery query = { 0 };
  g_autoptr(GPtrArray) found = NULL;

  query.status = BB_INVOICE_DRAFT;
  query.customer_id = customer_id;
  found = bb_invoices_search (db, &query, 0, 100, NULL);

  return found ? found->len : 0;
}

static gboolean
has_drafts (gpointer data)
{
  Drafts *d = data;

  return count_drafts (d->db, d->customer_id) == d->wanted;
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
  bb_test_iterate ();
}

static void
set_row (GtkWidget  *window,
         const char *title,
         const char *text)
{
  GtkWidget *row = bb_test_find_widget_by_title (window, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static gboolean
row_has_error (GtkWidget  *window,
               const char *title)
{
  return gtk_widget_has_css_class (bb_test_find_widget_by_title (window, title), "error");
}

static AdwActionRow *
first_charge (GtkWidget *window)
{
  GtkListBox *list = NULL;

  /* The list page's list is the only boxed list holding action rows. */
  for (GtkWidget *w = bb_test_find_widget (window, GTK_TYPE_STACK); w != NULL; w = NULL)
    {
      GtkWidget *page = gtk_stack_get_child_by_name (GTK_STACK (w), "list");

      list = GTK_LIST_BOX (bb_test_find_widget (page, GTK_TYPE_LIST_BOX));
    }
  g_assert_nonnull (list);

  return ADW_ACTION_ROW (gtk_list_box_get_row_at_index (list, 0));
}

static void
test_add_and_run (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  GtkWidget *window;
  AdwActionRow *row;
  GList *toplevels;
  GDate date;
  g_autofree char *start = NULL;
  g_autofree char *next = NULL;
  g_autofree char *wanted = NULL;
  gint64 zhang, li;
  Drafts drafts;

  zhang = add_customer (db, "张三");
  li = add_customer (db, "李四");

  /* The first of the month two months ago: three periods are due today. */
  bb_date_set_today (&date);
  g_date_set_day (&date, 1);
  g_date_subtract_months (&date, 2);
  start = bb_date_to_iso (&date);
  g_date_add_months (&date, 3);
  next = bb_date_to_iso (&date);

  window = GTK_WIDGET (bb_recurring_window_new (GTK_WINDOW (t->window), db, 0));
  g_object_ref_sink (window);
  gtk_window_present (GTK_WINDOW (window));
  bb_test_iterate ();
  g_assert_cmpuint (bb_recurring_window_get_n_shown (BB_RECURRING_WINDOW (window)), ==, 0);

  click (bb_test_find_button (window, "_Add a Recurring Charge"));
  g_assert_true (gtk_widget_get_visible (bb_test_find_button (window, "_Add")));

  /* Each field is checked, and the one at fault is marked. */
  set_row (window, "Customer (Code, Name or Phone)", "nobody");
  click (bb_test_find_button (window, "_Add"));
  g_assert_true (row_has_error (window, "Customer (Code, Name or Phone)"));

  set_row (window, "Customer (Code, Name or Phone)", "张三");
  set_row (window, "Amount, Before Tax", "300");
  click (bb_test_find_button (window, "_Add"));
  g_assert_false (row_has_error (window, "Customer (Code, Name or Phone)"));
  g_assert_true (row_has_error (window, "Description"));

  set_row (window, "Description", "月租 Monthly rent");
  set_row (window, "Amount, Before Tax", "3 hundred");
  click (bb_test_find_button (window, "_Add"));
  g_assert_true (row_has_error (window, "Amount, Before Tax"));

  set_row (window, "Amount, Before Tax", "300");
  set_row (window, "Ends On (YYYY-MM-DD, Optional)", "2020-01-01");
  click (bb_test_find_button (window, "_Add"));
  g_assert_true (row_has_error (window, "Ends On (YYYY-MM-DD, Optional)"));

  set_row (window, "Ends On (YYYY-MM-DD, Optional)", "");
  set_row (window, "First Bill On (YYYY-MM-DD)", start);
  click (bb_test_find_button (window, "_Add"));
  bb_test_iterate ();
  g_assert_cmpuint (bb_recurring_window_get_n_shown (BB_RECURRING_WINDOW (window)), ==, 1);
  g_assert_false (gtk_widget_get_visible (bb_test_find_button (window, "_Add")));

  row = first_charge (window);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "张三 · 月租 Monthly rent");
  wanted = g_strdup_printf ("¥300.00 · Monthly · next %s", start);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, wanted);

  /* Bill Due Charges Now: one draft per period due, once. */
  click (bb_test_find_button (window, "_Bill Due Charges Now"));
  drafts = (Drafts) { db, zhang, 3 };
  g_assert_true (bb_test_wait_for (has_drafts, &drafts, 20000));
  bb_test_iterate ();
  row = first_charge (window);
  g_clear_pointer (&wanted, g_free);
  wanted = g_strdup_printf ("¥300.00 · Monthly · next %s", next);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, wanted);

  click (bb_test_find_button (window, "_Bill Due Charges Now"));
  for (guint i = 0; i < 50 && !gtk_widget_get_sensitive (bb_test_find_button (window, "_Bill Due Charges Now")); i++)
    {
      g_usleep (10000);
      bb_test_iterate ();
    }
  g_assert_cmpuint (count_drafts (db, zhang), ==, 3);

  /* Stopped, after asking. */
  row = first_charge (window);
  click (bb_test_find_button (GTK_WIDGET (row), "_Stop"));
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (l->data), "stop");
  g_list_free (toplevels);
  bb_test_iterate ();
  row = first_charge (window);
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (row), "Stopped"));
  g_assert_null (bb_test_find_button (GTK_WIDGET (row), "_Stop"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  bb_test_iterate ();

  /* From a customer: theirs only, and new ones are theirs. */
  window = GTK_WIDGET (bb_recurring_window_new (GTK_WINDOW (t->window), db, li));
  g_object_ref_sink (window);
  gtk_window_present (GTK_WINDOW (window));
  bb_test_iterate ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Recurring Charges of 李四");
  g_assert_cmpuint (bb_recurring_window_get_n_shown (BB_RECURRING_WINDOW (window)), ==, 0);
  click (bb_test_find_button (window, "_Add a Recurring Charge"));
  g_assert_false (gtk_widget_get_sensitive (bb_test_find_widget_by_title (window, "Customer (Code, Name or Phone)")));
  set_row (window, "Description", "会员费");
  set_row (window, "Amount, Before Tax", "1,200");
  adw_combo_row_set_selected (ADW_COMBO_ROW (bb_test_find_widget_by_title (window, "Every")), BB_RECURRING_YEARLY);
  set_row (window, "First Bill On (YYYY-MM-DD)", next);
  click (bb_test_find_button (window, "_Add"));
  g_assert_cmpuint (bb_recurring_window_get_n_shown (BB_RECURRING_WINDOW (window)), ==, 1);
  row = first_charge (window);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "会员费");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "Yearly"));
  {
    g_autoptr(GPtrArray) charges = bb_recurring_list_for_customer (db, li, NULL);

    g_assert_cmpuint (charges->len, ==, 1);
    g_assert_cmpint (((BbRecurringCharge *) g_ptr_array_index (charges, 0))->amount, ==, 120000);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  bb_test_iterate ();
}

/* The customer's menu opens the window on that customer's charges. */
static void
test_from_customer (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  BbCustomerDetail *detail = g_object_new (BB_TYPE_CUSTOMER_DETAIL, NULL);
  GtkWidget *holder = gtk_window_new ();
  GtkWidget *opened = NULL;
  GList *toplevels;
  gint64 wang = add_customer (db, "王五");

  gtk_window_set_transient_for (GTK_WINDOW (holder), GTK_WINDOW (t->window));
  gtk_window_set_child (GTK_WINDOW (holder), GTK_WIDGET (detail));
  bb_customer_detail_set_database (detail, db);
  bb_customer_detail_set_customer (detail, wang);
  gtk_window_present (GTK_WINDOW (holder));
  bb_test_iterate ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "customer.recurring-charges", NULL));
  bb_test_iterate ();
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (BB_IS_RECURRING_WINDOW (l->data))
      opened = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (opened);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (opened)), ==, "Recurring Charges of 王五");

  gtk_window_destroy (GTK_WINDOW (opened));
  gtk_window_destroy (GTK_WINDOW (holder));
  bb_test_iterate ();
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  if (!bb_test_ui_init ())
    return 77;

  g_test_add_func ("/recurring-ui/add-and-run", test_add_and_run);
  g_test_add_func ("/recurring-ui/from-customer", test_from_customer);

  return g_test_run ();
}
