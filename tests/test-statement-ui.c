/* test-statement-ui.c — reconcile statements through the window: a WeChat
 * Pay export matched, chosen, confirmed and never recorded twice; a bank
 * CSV through the mapping step, remembered; a bad file's lines named; the
 * payment dialog offering only the methods enabled, by their own names
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "bb-customers.h"
#include "bb-invoices.h"
#include "bb-payment-dialog.h"
#include "bb-payment-methods.h"
#include "bb-payments.h"
#include "bb-recurring-window.h"
#include "bb-statement.h"
#include "bb-statement-window.h"
#include "bb-test-ui.h"

static gint64
add_customer (BbDb       *db,
              const char *name,
              const char *phone)
{
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(GError) error = NULL;

  g_free (c->name);
  c->name = g_strdup (name);
  g_free (c->phone);
  c->phone = g_strdup (phone);
  g_free (c->address);
  c->address = g_strdup ("上海市徐汇区漕溪北路 88 号");
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  return c->id;
}

static gint64
add_bill (BbDb       *db,
          gint64      customer,
          const char *issued_on,
          const char *due_on,
          BbMoney     total)
{
  g_autoptr(BbInvoice) inv = bb_invoice_new ();
  g_autoptr(GError) error = NULL;

  inv->customer_id = customer;
  g_free (inv->issued_on);
  inv->issued_on = g_strdup (issued_on);
  g_free (inv->due_on);
  inv->due_on = g_strdup (due_on);
  bb_invoice_add_line (inv, "五金配件", 1000, total, 0, 0);
  g_assert_true (bb_invoices_save_draft (db, inv, &error));
  g_assert_true (bb_invoices_submit (db, inv->id, &error));
  bb_invoices_issue (db, inv->id, &error);
  g_assert_no_error (error);

  return inv->id;
}

static BbMoney
open_balance (BbDb   *db,
              gint64  id)
{
  g_autoptr(BbInvoice) bill = bb_invoices_get (db, id, NULL);

  return bill->open_balance;
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

/* A group's own list of rows is hidden when it has none: the list box
 * shown is the one added to the group. */
static GtkWidget *
find_shown_list (GtkWidget *root)
{
  if (GTK_IS_LIST_BOX (root) && gtk_widget_get_visible (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (gtk_widget_get_visible (child) && (found = find_shown_list (child)) != NULL)
        return found;
    }

  return NULL;
}

/* The rows of the group titled @title, or NULL when it is hidden. */
static GtkListBox *
group_list (GtkWidget  *window,
            const char *title)
{
  GtkWidget *group = find_group (window, title);

  g_assert_nonnull (group);
  if (!gtk_widget_get_visible (group))
    return NULL;

  return GTK_LIST_BOX (find_shown_list (group));
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  if (list == NULL)
    return 0;
  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;

  return n;
}

/* The row of @list whose title contains @text. */
static GtkWidget *
row_containing (GtkListBox *list,
                const char *text)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (ADW_IS_PREFERENCES_ROW (row) &&
        strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), text) != NULL)
      return GTK_WIDGET (row);

  g_error ("no row with “%s”", text);
  return NULL;
}

typedef struct
{
  BbStatementWindow *window;
  const char        *state;
} WaitState;

static gboolean
in_state (gpointer data)
{
  WaitState *w = data;

  return g_strcmp0 (bb_statement_window_get_state (w->window), w->state) == 0;
}

static void
wait_for_state (BbStatementWindow *window,
                const char        *state)
{
  WaitState w = { window, state };

  if (!bb_test_wait_for (in_state, &w, 20000))
    g_error ("the statement window is at “%s”, not “%s”", bb_statement_window_get_state (window), state);
  bb_test_iterate ();
}

static BbStatementWindow *
open_statement (BbTestApp  *t,
                const char *name)
{
  BbDb *db = bb_application_get_database (t->app);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  BbStatementWindow *window = bb_statement_window_new (GTK_WINDOW (t->window), db);

  gtk_window_present (GTK_WINDOW (window));
  bb_test_iterate ();
  g_assert_cmpstr (bb_statement_window_get_state (window), ==, "choose");
  bb_statement_window_open_file (window, file);

  return window;
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  bb_test_iterate ();
}

static void
test_wechat (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  BbStatementWindow *window;
  GtkListBox *matched, *suggested, *unmatched, *imported;
  GtkWidget *row, *drop, *sw, *pick, *entry, *results;
  GtkPopover *popover;
  GtkListBoxRow *result;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;
  BbPayment *payment;
  gint64 zhang, li, wang, zhao, qian;
  gint64 bill1, bill2, bill3, bill4;

  zhang = add_customer (db, "张三", "138 0013 8000");
  li = add_customer (db, "李四", "139 1234 5678");
  wang = add_customer (db, "王五", "137 0000 0003");
  zhao = add_customer (db, "赵六", "136 0000 0004");
  qian = add_customer (db, "钱七", "135 0000 0005");
  bill1 = add_bill (db, zhang, "2024-01-02", "2024-01-31", 10000);   /* INV-2024-0001 */
  bill2 = add_bill (db, li, "2024-01-03", "2024-02-02", 25680);      /* INV-2024-0002 */
  bill3 = add_bill (db, wang, "2024-01-04", "2024-02-03", 8800);     /* INV-2024-0003 */
  bill4 = add_bill (db, zhao, "2024-01-04", "2024-02-03", 8800);     /* INV-2024-0004 */

  window = open_statement (t, "wechat.csv");
  wait_for_state (window, "review");

  /* 张三 names the bill, 李四 pays its amount; ¥88.00 from a "微信用户"
   * fits two bills; 陌生人 and 钱七 fit none. Money out, a refund and a
   * withdrawal are left out. */
  matched = group_list (GTK_WIDGET (window), "Matched");
  suggested = group_list (GTK_WIDGET (window), "Suggested");
  unmatched = group_list (GTK_WIDGET (window), "Unmatched");
  g_assert_null (group_list (GTK_WIDGET (window), "Imported Already"));
  g_assert_cmpuint (n_rows (matched), ==, 2);
  g_assert_cmpuint (n_rows (suggested), ==, 1);
  g_assert_cmpuint (n_rows (unmatched), ==, 2);
  row = row_containing (matched, "张三");
  g_assert_nonnull (bb_test_find_widget (row, GTK_TYPE_SWITCH));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (bb_test_find_widget (row, GTK_TYPE_SWITCH))));

  /* A suggestion is recorded once a bill is chosen. */
  row = row_containing (suggested, "¥88.00");
  drop = bb_test_find_widget (row, GTK_TYPE_DROP_DOWN);
  sw = bb_test_find_widget (row, GTK_TYPE_SWITCH);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (sw)));
  g_assert_false (gtk_widget_get_sensitive (sw));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (drop))), ==, 3);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop), 1);
  bb_test_iterate ();
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));

  /* 钱七's ¥50.00 is picked by hand: a customer with no bill, so credit. */
  row = row_containing (unmatched, "钱七");
  pick = bb_test_find_widget (row, GTK_TYPE_MENU_BUTTON);
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (pick));
  entry = bb_test_find_widget (GTK_WIDGET (popover), GTK_TYPE_SEARCH_ENTRY);
  results = bb_test_find_widget (GTK_WIDGET (popover), GTK_TYPE_LIST_BOX);
  gtk_editable_set_text (GTK_EDITABLE (entry), "钱七");
  g_signal_emit_by_name (entry, "search-changed");
  bb_test_iterate ();
  result = gtk_list_box_get_row_at_index (GTK_LIST_BOX (results), 0);
  g_assert_nonnull (result);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (result)), ==, "钱七");
  g_signal_emit_by_name (results, "row-activated", result);
  bb_test_iterate ();
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (bb_test_find_widget (row, GTK_TYPE_SWITCH))));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (pick)), ==, "钱七");
  /* 陌生人's is left out. */
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (bb_test_find_widget (row_containing (unmatched, "陌生人"),
                                                                           GTK_TYPE_SWITCH))));

  click (bb_test_find_button (GTK_WIDGET (window), "_Confirm"));
  wait_for_state (window, "done");
  g_assert_cmpuint (bb_statement_window_get_n_recorded (window), ==, 4);
  g_assert_cmpuint (n_rows (GTK_LIST_BOX (bb_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_BOX))), >=, 0);

  g_assert_cmpint (open_balance (db, bill1), ==, 0);
  g_assert_cmpint (open_balance (db, bill2), ==, 0);
  g_assert_cmpint (open_balance (db, bill3), ==, 0);   /* the first suggestion: the older 王五 bill… */
  g_assert_cmpint (open_balance (db, bill4) + open_balance (db, bill3), ==, 8800);
  payments = bb_payments_list_for_customer (db, qian, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 1);
  payment = g_ptr_array_index (payments, 0);
  g_assert_cmpint (payment->amount, ==, 5000);
  g_assert_cmpint (payment->method, ==, BB_PAYMENT_WECHAT_PAY);
  g_assert_cmpint (payment->unallocated, ==, 5000);
  g_assert_cmpstr (payment->received_on, ==, "2024-01-25");
  gtk_window_destroy (GTK_WINDOW (window));
  bb_test_iterate ();

  /* The same file again: what was recorded shows as such, and nothing
   * is accepted, so nothing can be recorded twice. */
  window = open_statement (t, "wechat.csv");
  wait_for_state (window, "review");
  imported = group_list (GTK_WIDGET (window), "Imported Already");
  g_assert_cmpuint (n_rows (imported), ==, 4);
  g_assert_null (group_list (GTK_WIDGET (window), "Matched"));
  g_assert_null (group_list (GTK_WIDGET (window), "Suggested"));
  g_assert_cmpuint (n_rows (group_list (GTK_WIDGET (window), "Unmatched")), ==, 1);
  g_assert_null (bb_test_find_widget (row_containing (imported, "张三"), GTK_TYPE_SWITCH));
  g_assert_false (gtk_widget_get_sensitive (bb_test_find_button (GTK_WIDGET (window), "_Confirm")));
  g_clear_pointer (&payments, g_ptr_array_unref);
  payments = bb_payments_list_for_customer (db, zhang, 0, 10, &error);
  g_assert_cmpuint (payments->len, ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
  bb_test_iterate ();
  (void) wang;
}

static void
test_bank_mapping (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(BbStatementMapping) remembered = NULL;
  g_autoptr(GError) error = NULL;
  BbStatementWindow *window;
  GtkWidget *bank_row;
  gint64 zhang, zhao, bill7, bill9;

  zhang = add_customer (db, "张氏建材", "138 0013 8000");
  zhao = add_customer (db, "赵六", "136 0000 0004");
  bill7 = add_bill (db, zhang, "2024-01-03", "2024-02-02", 128050);   /* INV-2024-0001 */
  bill9 = add_bill (db, zhao, "2024-01-10", "2024-02-09", 30000);     /* INV-2024-0002 */

  /* No bank is remembered: the columns are asked for, guessed. */
  window = open_statement (t, "bank.csv");
  wait_for_state (window, "mapping");
  bank_row = bb_test_find_widget_by_title (GTK_WIDGET (window), "Bank Name");
  g_assert_nonnull (bank_row);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (bb_test_find_widget_by_title (GTK_WIDGET (window), "Date"))),
                    >, 0);

  /* A name is needed to remember it by. */
  g_signal_emit_by_name (bb_test_find_button (GTK_WIDGET (window), "C_ontinue"), "clicked");
  bb_test_iterate ();
  g_assert_cmpstr (bb_statement_window_get_state (window), ==, "mapping");
  g_assert_true (gtk_widget_has_css_class (bank_row, "error"));

  gtk_editable_set_text (GTK_EDITABLE (bank_row), "招商银行");
  click (bb_test_find_button (GTK_WIDGET (window), "C_ontinue"));
  wait_for_state (window, "review");
  g_assert_cmpuint (n_rows (group_list (GTK_WIDGET (window), "Matched")), ==, 1);
  remembered = bb_statement_mapping_load (db, "招商银行", &error);
  g_assert_no_error (error);
  g_assert_nonnull (remembered);

  click (bb_test_find_button (GTK_WIDGET (window), "_Confirm"));
  wait_for_state (window, "done");
  g_assert_cmpuint (bb_statement_window_get_n_recorded (window), ==, 1);
  g_assert_cmpint (open_balance (db, bill7), ==, 0);
  g_assert_cmpint (open_balance (db, bill9), ==, 30000);
  gtk_window_destroy (GTK_WINDOW (window));
  bb_test_iterate ();

  /* The next statement of the bank is read with what was remembered. */
  window = open_statement (t, "bank.csv");
  wait_for_state (window, "review");
  g_assert_cmpuint (n_rows (group_list (GTK_WIDGET (window), "Imported Already")), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
  bb_test_iterate ();
}

static void
test_bad_file (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbStatementWindow *window;
  GtkListBox *problems;
  GtkListBoxRow *row;

  window = open_statement (t, "wechat-bad-amount.csv");
  wait_for_state (window, "problems");
  problems = group_list (GTK_WIDGET (window), "Problems");
  g_assert_nonnull (problems);
  row = gtk_list_box_get_row_at_index (problems, 0);
  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Line "));
  gtk_window_destroy (GTK_WINDOW (window));
  bb_test_iterate ();
}

/* Closing the window while it reads or matches records nothing and
 * leaves nothing running against it. */
static void
test_close_while_working (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(GPtrArray) payments = NULL;
  BbStatementWindow *window;
  gint64 zhang = add_customer (db, "张三", "138 0013 8000");

  add_bill (db, zhang, "2024-01-02", "2024-01-31", 10000);
  for (guint i = 0; i < 3; i++)
    {
      window = open_statement (t, "wechat.csv");
      for (guint j = 0; j < i; j++)
        g_main_context_iteration (NULL, FALSE);
      gtk_window_destroy (GTK_WINDOW (window));
      for (guint j = 0; j < 50; j++)
        {
          bb_test_iterate ();
          g_usleep (2000);
        }
    }

  payments = bb_payments_list_for_customer (db, zhang, 0, 10, NULL);
  g_assert_cmpuint (payments->len, ==, 0);
}

/* The app's actions open the two windows (the main menu and the
 * Billing page's button use them). */
static void
test_app_actions (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  const char *actions[] = { "reconcile-statement", "recurring-charges" };
  GType types[] = { BB_TYPE_STATEMENT_WINDOW, BB_TYPE_RECURRING_WINDOW };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      GList *windows;
      GtkWindow *found = NULL;

      g_action_group_activate_action (G_ACTION_GROUP (t->app), actions[i], NULL);
      bb_test_iterate ();
      for (windows = gtk_application_get_windows (GTK_APPLICATION (t->app)); windows; windows = windows->next)
        if (G_TYPE_CHECK_INSTANCE_TYPE (windows->data, types[i]))
          found = windows->data;
      g_assert_nonnull (found);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (found)));
      gtk_window_destroy (found);
      bb_test_iterate ();
    }
}

/* Preferences' methods: a disabled one is not offered, a renamed one is
 * offered by its name; payments taken before keep theirs. */
static void
test_payment_methods (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(GError) error = NULL;
  BbPaymentDialog *dialog;
  AdwComboRow *method;
  GListModel *names;
  gint64 customer = add_customer (db, "王小明", "138 0013 8000");

  add_bill (db, customer, "2026-01-10", "2026-02-09", 30000);
  g_assert_true (bb_payment_methods_set (db, BB_PAYMENT_CARD, "", FALSE, &error));
  g_assert_true (bb_payment_methods_set (db, BB_PAYMENT_WECHAT_PAY, "微信收款码", TRUE, &error));
  g_assert_no_error (error);

  dialog = bb_payment_dialog_new (GTK_WINDOW (t->window), db, customer, 0);
  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  bb_test_iterate ();

  method = ADW_COMBO_ROW (bb_test_find_widget_by_title (GTK_WIDGET (dialog), "Method"));
  names = adw_combo_row_get_model (method);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, 5);
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), i), !=, "Card");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 1), ==, "微信收款码");

  adw_combo_row_set_selected (method, 1);
  click (bb_test_find_button (GTK_WIDGET (dialog), "_Record"));
  g_assert_cmpint (bb_payment_dialog_get_payment_id (dialog), >, 0);
  {
    g_autoptr(BbPayment) payment = bb_payments_get (db, bb_payment_dialog_get_payment_id (dialog), &error);

    g_assert_no_error (error);
    g_assert_cmpint (payment->method, ==, BB_PAYMENT_WECHAT_PAY);
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
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

  g_test_add_func ("/statement-ui/wechat", test_wechat);
  g_test_add_func ("/statement-ui/bank-mapping", test_bank_mapping);
  g_test_add_func ("/statement-ui/bad-file", test_bad_file);
  g_test_add_func ("/statement-ui/close-while-working", test_close_while_working);
  g_test_add_func ("/statement-ui/app-actions", test_app_actions);
  g_test_add_func ("/statement-ui/payment-methods", test_payment_methods);

  return g_test_run ();
}
