/* test-prepaid-ui.c — a prepaid card through the window: made, topped up
 * (bonus applied), charged, refunded; what the page shows and what the
 * book holds agree; an overdraft or too big a refund is refused in its
 * dialog and writes nothing
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "bb-customers.h"
#include "bb-prepaid.h"
#include "bb-prepaid-card-editor.h"
#include "bb-prepaid-detail.h"
#include "bb-prepaid-entry-dialog.h"
#include "bb-prepaid-page.h"
#include "bb-test-ui.h"

static GtkLabel *
find_label_containing (GtkWidget  *root,
                       const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          strstr (gtk_label_get_text (GTK_LABEL (child)), text))
        return GTK_LABEL (child);
      if ((found = find_label_containing (child, text)) != NULL)
        return found;
    }

  return NULL;
}

/* A widget shown with this tooltip (ledger rows are recycled: the
 * button of a row that is not a charge is there, hidden). */
static GtkWidget *
find_shown_by_tooltip (GtkWidget  *root,
                       const char *tooltip)
{
  if (!gtk_widget_get_visible (root))
    return NULL;
  if (g_strcmp0 (bb_test_get_tooltip (root), tooltip) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shown_by_tooltip (child, tooltip);

      if (found)
        return found;
    }

  return NULL;
}

/* The visible toplevel of @type, or NULL */
static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }

  return NULL;
}

static gint64
n_entries (BbDb   *db,
           gint64  card)
{
  return bb_prepaid_count_entries (db, card, NULL);
}

static BbMoney
balance_of (BbDb   *db,
            gint64  card)
{
  g_autoptr(BbPrepaidAccount) account = bb_prepaid_get_account (db, card, NULL);

  g_assert_nonnull (account);
  return account->balance;
}

static void
set_row (GtkWidget  *root,
         const char *title,
         const char *text)
{
  GtkWidget *row = bb_test_find_widget_by_title (root, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* Opens the dialog of @action on the card's detail and fills its amount. */
static GtkWidget *
open_entry_dialog (BbPrepaidDetail *detail,
                   const char      *action,
                   const char      *amount)
{
  GtkWidget *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), action, NULL));
  bb_test_iterate ();
  dialog = find_toplevel (BB_TYPE_PREPAID_ENTRY_DIALOG);
  g_assert_nonnull (dialog);
  set_row (dialog, "Amount", amount);
  bb_test_iterate ();

  return dialog;
}

static void
click (GtkWidget  *root,
       const char *label)
{
  GtkWidget *button = bb_test_find_button (root, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  bb_test_iterate ();
}

static void
test_card_through_the_window (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BbPrepaidAccount) card = NULL;
  BbPrepaidPage *page;
  BbPrepaidDetail *detail;
  GtkWidget *editor, *dialog, *amount;
  gint64 before;

  g_free (customer->name);
  customer->name = g_strdup ("王小明");
  g_free (customer->phone);
  customer->phone = g_strdup ("138 0013 8000");
  g_assert_true (bb_customers_save (db, customer, &error));
  g_assert_no_error (error);

  bb_window_show_page (t->window, "prepaid");
  bb_test_iterate ();
  page = BB_PREPAID_PAGE (bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_PREPAID_PAGE));
  g_assert_nonnull (page);
  /* A book without cards says so. */
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "No Prepaid Cards Yet"));

  /* New Card…: the customer found by part of the phone number. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "prepaid.add", NULL));
  bb_test_iterate ();
  editor = find_toplevel (BB_TYPE_PREPAID_CARD_EDITOR);
  g_assert_nonnull (editor);

  /* Saved without a customer: refused, named. */
  set_row (editor, "Card Name (such as “Membership card”)", "Membership card");
  click (editor, "_Save");
  g_assert_nonnull (find_label_containing (editor, "Customer:"));
  g_assert_nonnull (find_toplevel (BB_TYPE_PREPAID_CARD_EDITOR));

  set_row (editor, "Customer (name, code or phone)", "0013");
  bb_test_iterate ();
  /* The customers found, as rows to pick. */
  {
    GtkListBoxRow *row = NULL;

    for (GtkWidget *w = bb_test_find_widget_by_title (editor, "王小明"); w; w = gtk_widget_get_parent (w))
      if (GTK_IS_LIST_BOX_ROW (w))
        {
          row = GTK_LIST_BOX_ROW (w);
          break;
        }
    g_assert_nonnull (row);
    g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (row)), "row-activated", row);
    bb_test_iterate ();
  }
  set_row (editor, "For Each Top-Up Of", "1000");
  set_row (editor, "Bonus Given", "100");
  set_row (editor, "Points Earned", "1");
  set_row (editor, "Low-Balance Mark (0: none)", "50");
  click (editor, "_Save");
  g_assert_null (find_toplevel (BB_TYPE_PREPAID_CARD_EDITOR));

  cards = bb_prepaid_list_customer_accounts (db, customer->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 1);
  card = g_object_ref (g_ptr_array_index (cards, 0));
  g_assert_cmpstr (card->name, ==, "Membership card");
  g_assert_cmpint (card->bonus_threshold, ==, 100000);
  g_assert_cmpint (card->bonus_amount, ==, 10000);

  /* The page shows it, and its detail. */
  detail = BB_PREPAID_DETAIL (bb_test_find_widget (GTK_WIDGET (page), BB_TYPE_PREPAID_DETAIL));
  g_assert_cmpint (bb_prepaid_detail_get_account (detail), ==, card->id);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "1 card"));

  /* Top up 1000.00: the dialog says the bonus, the card gets it. */
  dialog = open_entry_dialog (detail, "card.top-up", "1000");
  g_assert_nonnull (find_label_containing (dialog, "The bonus rule adds ¥100.00: the card will hold ¥1,100.00."));
  click (dialog, "_Top Up");
  g_assert_null (find_toplevel (BB_TYPE_PREPAID_ENTRY_DIALOG));
  g_assert_cmpint (balance_of (db, card->id), ==, 110000);
  g_assert_cmpint (n_entries (db, card->id), ==, 2);
  bb_test_iterate ();
  g_assert_nonnull (find_label_containing (GTK_WIDGET (detail), "¥1,100.00"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "¥1,000.00 paid in, ¥100.00 bonus"));

  /* Charge 250.50: paid-in money first, a point per 1.00. */
  dialog = open_entry_dialog (detail, "card.charge", "250.50");
  click (dialog, "_Charge");
  g_assert_null (find_toplevel (BB_TYPE_PREPAID_ENTRY_DIALOG));
  g_assert_cmpint (balance_of (db, card->id), ==, 84950);
  {
    g_autoptr(BbPrepaidAccount) now = bb_prepaid_get_account (db, card->id, NULL);

    g_assert_cmpint (now->paid_in, ==, 74950);
    g_assert_cmpint (now->points, ==, 250);
  }
  g_assert_nonnull (find_label_containing (GTK_WIDGET (detail), "¥849.50"));

  /* A refund of more than the paid-in money: bonus money is not refunded.
   * The dialog says so, names the amount and stays; nothing is written. */
  before = n_entries (db, card->id);
  dialog = open_entry_dialog (detail, "card.refund", "800");
  g_assert_nonnull (find_label_containing (dialog, "At most ¥749.50 can be refunded"));
  click (dialog, "_Refund");
  g_assert_true (find_toplevel (BB_TYPE_PREPAID_ENTRY_DIALOG) == dialog);
  g_assert_nonnull (find_label_containing (dialog, "Amount: ¥800.00 is more than the ¥749.50 that can be refunded"));
  amount = bb_test_find_widget_by_title (dialog, "Amount");
  g_assert_true (gtk_widget_has_css_class (amount, "error"));
  g_assert_cmpint (n_entries (db, card->id), ==, before);
  g_assert_cmpint (balance_of (db, card->id), ==, 84950);

  /* 700.00 is refundable. */
  set_row (dialog, "Amount", "700");
  click (dialog, "_Refund");
  g_assert_null (find_toplevel (BB_TYPE_PREPAID_ENTRY_DIALOG));
  g_assert_cmpint (balance_of (db, card->id), ==, 14950);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (detail), "¥149.50"));

  /* An overdraft: refused in the dialog with the balance; nothing written. */
  before = n_entries (db, card->id);
  dialog = open_entry_dialog (detail, "card.charge", "500");
  click (dialog, "_Charge");
  g_assert_true (find_toplevel (BB_TYPE_PREPAID_ENTRY_DIALOG) == dialog);
  g_assert_nonnull (find_label_containing (dialog, "Amount: ¥500.00 is more than the balance of ¥149.50 on Membership card"));
  g_assert_true (gtk_widget_has_css_class (bb_test_find_widget_by_title (dialog, "Amount"), "error"));
  g_assert_cmpint (n_entries (db, card->id), ==, before);
  g_assert_cmpint (balance_of (db, card->id), ==, 14950);
  gtk_window_close (GTK_WINDOW (dialog));
  bb_test_iterate ();

  /* The page's header: what the shop owes on its cards. */
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "¥149.50"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "¥49.50 paid in, ¥100.00 bonus · 1 open card"));

  /* The charge taken back from its line in the ledger: a reason is
   * needed; then the money and the points return. */
  {
    GtkWidget *undo = find_shown_by_tooltip (GTK_WIDGET (detail), "Take This Charge Back…");

    g_assert_nonnull (undo);
    g_signal_emit_by_name (undo, "clicked");
    bb_test_iterate ();
    dialog = find_toplevel (BB_TYPE_PREPAID_ENTRY_DIALOG);
    g_assert_nonnull (dialog);
    g_assert_nonnull (find_label_containing (dialog, "The charge of ¥250.50"));
    before = n_entries (db, card->id);
    click (dialog, "_Take Back");
    g_assert_true (find_toplevel (BB_TYPE_PREPAID_ENTRY_DIALOG) == dialog);
    g_assert_nonnull (find_label_containing (dialog, "Reason:"));
    g_assert_cmpint (n_entries (db, card->id), ==, before);
    set_row (dialog, "Reason (needed)", "Charged twice");
    click (dialog, "_Take Back");
    g_assert_null (find_toplevel (BB_TYPE_PREPAID_ENTRY_DIALOG));
    g_assert_cmpint (balance_of (db, card->id), ==, 40000);
    {
      g_autoptr(BbPrepaidAccount) now = bb_prepaid_get_account (db, card->id, NULL);

      g_assert_cmpint (now->points, ==, 0);
    }
    g_assert_nonnull (find_label_containing (GTK_WIDGET (detail), "Charge taken back"));
  }

  /* Edit Terms: a low-balance mark above the balance shows the card as
   * low. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "card.edit", NULL));
  bb_test_iterate ();
  editor = find_toplevel (BB_TYPE_PREPAID_CARD_EDITOR);
  g_assert_nonnull (editor);
  set_row (editor, "Low-Balance Mark (0: none)", "500");
  click (editor, "_Save");
  g_assert_null (find_toplevel (BB_TYPE_PREPAID_CARD_EDITOR));
  {
    g_autoptr(BbPrepaidAccount) now = bb_prepaid_get_account (db, card->id, NULL);

    g_assert_cmpint (now->low_balance_mark, ==, 50000);
    g_assert_true (bb_prepaid_account_is_low (now));
  }
  g_assert_nonnull (find_label_containing (GTK_WIDGET (detail), "Low balance"));

  /* Statement PDF… asks for the period first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "card.statement", NULL));
  bb_test_iterate ();
  {
    GtkWidget *range = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

    g_assert_nonnull (range);
    g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (range)), ==, "Statement PDF");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (range), "cancel");
    bb_test_iterate ();
  }

  /* A search that hides the card, then the card shown from elsewhere:
   * the search gives way. */
  {
    GtkWidget *search = bb_test_find_widget (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY);

    gtk_editable_set_text (GTK_EDITABLE (search), "nobody at all");
    g_signal_emit_by_name (search, "search-changed");
    bb_test_iterate ();
    g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "No Matching Cards"));
    bb_window_show_prepaid_account (t->window, card->id);
    bb_test_iterate ();
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
    g_assert_cmpint (bb_prepaid_detail_get_account (detail), ==, card->id);
    g_assert_null (find_label_containing (GTK_WIDGET (page), "No Matching Cards"));
  }

  g_assert_true (bb_prepaid_check_accounts (db, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* Points redeemed from the card's menu: all that can be, in whole steps;
 * a number that is not a whole step is named and nothing is written. */
static void
test_redeem_points (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(BbPrepaidAccount) card = bb_prepaid_account_new ();
  g_autoptr(BbPrepaidAccount) now = NULL;
  g_autoptr(GError) error = NULL;
  BbPrepaidPage *page;
  BbPrepaidDetail *detail;
  GtkWidget *dialog, *points;
  gint64 before;

  g_free (customer->name);
  customer->name = g_strdup ("Anna Schmidt");
  g_assert_true (bb_customers_save (db, customer, &error));
  card->customer_id = customer->id;
  g_free (card->name);
  card->name = g_strdup ("Coffee card");
  card->points_per_unit = 1;
  card->points_unit = 100;
  card->redeem_points = 100;
  card->redeem_value = 500;
  g_assert_true (bb_prepaid_save_account (db, card, &error));
  g_assert_true (bb_prepaid_top_up (db, card->id, NULL, 50000, BB_PAYMENT_CARD, NULL, NULL, &error));
  g_assert_true (bb_prepaid_charge (db, card->id, NULL, 25000, "Beans", NULL, &error));
  g_assert_no_error (error);

  bb_window_show_prepaid_account (t->window, card->id);
  bb_test_iterate ();
  page = BB_PREPAID_PAGE (bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_PREPAID_PAGE));
  detail = BB_PREPAID_DETAIL (bb_test_find_widget (GTK_WIDGET (page), BB_TYPE_PREPAID_DETAIL));
  g_assert_cmpint (bb_prepaid_detail_get_account (detail), ==, card->id);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "card.redeem", NULL));
  bb_test_iterate ();
  dialog = find_toplevel (BB_TYPE_PREPAID_ENTRY_DIALOG);
  g_assert_nonnull (dialog);
  points = bb_test_find_widget_by_title (dialog, "Points");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (points)), ==, "200");
  g_assert_nonnull (find_label_containing (dialog, "These bring ¥10.00 of bonus money"));

  before = n_entries (db, card->id);
  gtk_editable_set_text (GTK_EDITABLE (points), "150");
  click (dialog, "_Redeem");
  g_assert_true (find_toplevel (BB_TYPE_PREPAID_ENTRY_DIALOG) == dialog);
  g_assert_nonnull (find_label_containing (dialog, "Points: points are redeemed in steps of 100"));
  g_assert_true (gtk_widget_has_css_class (points, "error"));
  g_assert_cmpint (n_entries (db, card->id), ==, before);

  gtk_editable_set_text (GTK_EDITABLE (points), "200");
  click (dialog, "_Redeem");
  g_assert_null (find_toplevel (BB_TYPE_PREPAID_ENTRY_DIALOG));
  now = bb_prepaid_get_account (db, card->id, &error);
  g_assert_cmpint (now->points, ==, 50);
  g_assert_cmpint (now->bonus, ==, 1000);
  g_assert_cmpint (now->balance, ==, 26000);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (detail), "¥260.00"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  if (!bb_test_ui_init ())
    return 77;

  g_test_add_func ("/prepaid-ui/card-through-the-window", test_card_through_the_window);
  g_test_add_func ("/prepaid-ui/redeem-points", test_redeem_points);

  return g_test_run ();
}
