/* test-customers-ui.c — add, edit, search and archive a customer through
 * the window, as a shop owner would
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "bb-customers.h"
#include "bb-customer-editor.h"
#include "bb-customers-page.h"
#include "bb-test-ui.h"

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
type_into (GtkWidget  *root,
           const char *title,
           const char *text)
{
  GtkWidget *row = bb_test_find_widget_by_title (root, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  bb_test_iterate ();
}

static GListModel *
customer_rows (BbTestApp *t)
{
  GtkWidget *view = bb_test_find_widget (GTK_WIDGET (t->window), GTK_TYPE_COLUMN_VIEW);

  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)));
}

static const char *
row_name (BbTestApp *t,
          guint      i)
{
  g_autoptr(BbCustomer) customer = g_list_model_get_item (customer_rows (t), i);
  static char name[256];

  g_assert_nonnull (customer);
  g_strlcpy (name, customer->name, sizeof name);
  return name;
}

static gboolean
search_settled (gpointer data)
{
  BbTestApp *t = data;
  GtkWidget *entry = bb_test_find_widget (GTK_WIDGET (t->window), GTK_TYPE_SEARCH_ENTRY);
  const char *wanted = g_object_get_data (G_OBJECT (entry), "wanted");
  GtkWidget *view = bb_test_find_widget (GTK_WIDGET (t->window), GTK_TYPE_COLUMN_VIEW);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view))));

  return GPOINTER_TO_UINT (wanted) == n;
}

static void
search_for (BbTestApp  *t,
            const char *text,
            guint       expected)
{
  GtkWidget *entry = bb_test_find_widget (GTK_WIDGET (t->window), GTK_TYPE_SEARCH_ENTRY);

  g_object_set_data (G_OBJECT (entry), "wanted", GUINT_TO_POINTER (expected));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* GtkSearchEntry waits a moment before it reports a change. */
  g_assert_true (bb_test_wait_for (search_settled, t, 3000));
}

static void
test_add_edit_search_archive (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  GtkWindow *editor;
  GtkWidget *email_row;
  BbCustomerQuery everyone = { .show_archived = TRUE };

  gtk_widget_activate_action (GTK_WIDGET (t->window), "win.show-page", "s", "customers");
  bb_test_iterate ();

  /* An empty book offers to add the first customer. */
  g_assert_nonnull (bb_test_find_button (GTK_WIDGET (t->window), "_Add Customer"));

  /* Ctrl+N's action opens the editor. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t->window), "win.new-item", NULL));
  bb_test_iterate ();
  editor = find_toplevel (BB_TYPE_CUSTOMER_EDITOR);
  g_assert_nonnull (editor);
  g_assert_false (bb_customer_editor_can_save (BB_CUSTOMER_EDITOR (editor)));

  type_into (GTK_WIDGET (editor), "Name", "张三");
  type_into (GTK_WIDGET (editor), "Phone", "138 0013 8000");
  type_into (GTK_WIDGET (editor), "Email", "zhangsan@");

  /* A bad email is marked where it was typed, and nothing can be saved. */
  email_row = bb_test_find_widget_by_title (GTK_WIDGET (editor), "Email");
  g_assert_true (gtk_widget_has_css_class (email_row, "error"));
  g_assert_false (bb_customer_editor_can_save (BB_CUSTOMER_EDITOR (editor)));
  g_assert_cmpint (bb_customers_count (db, &everyone, NULL), ==, 0);

  type_into (GTK_WIDGET (editor), "Email", "zhangsan@example.com");
  g_assert_false (gtk_widget_has_css_class (email_row, "error"));
  g_assert_true (bb_customer_editor_can_save (BB_CUSTOMER_EDITOR (editor)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  bb_test_iterate ();

  /* Saved, listed and shown. */
  g_assert_null (find_toplevel (BB_TYPE_CUSTOMER_EDITOR));
  g_assert_cmpint (bb_customers_count (db, &everyone, NULL), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (customer_rows (t)), ==, 1);
  g_assert_cmpstr (row_name (t, 0), ==, "张三");
  {
    g_autoptr(BbCustomer) saved = bb_customers_get_by_code (db, "C000001", NULL);

    g_assert_nonnull (saved);
    g_assert_cmpstr (saved->phone, ==, "138 0013 8000");
    g_assert_cmpstr (saved->email, ==, "zhangsan@example.com");
  }

  /* Edit through the detail pane. */
  g_assert_true (gtk_widget_activate_action (bb_test_find_widget (GTK_WIDGET (t->window), g_type_from_name ("BbCustomerDetail")),
                                             "customer.edit", NULL));
  bb_test_iterate ();
  editor = find_toplevel (BB_TYPE_CUSTOMER_EDITOR);
  g_assert_nonnull (editor);
  type_into (GTK_WIDGET (editor), "Name", "张三丰");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  bb_test_iterate ();
  g_assert_cmpstr (row_name (t, 0), ==, "张三丰");

  /* More customers, then search as you type. */
  {
    const char *names[] = { "王小明", "李明", "Harbour Bakery" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autoptr(BbCustomer) c = bb_customer_new ();
        g_autoptr(GError) error = NULL;

        g_free (c->name);
        c->name = g_strdup (names[i]);
        g_assert_true (bb_customers_save (db, c, &error));
        g_assert_no_error (error);
      }
  }
  bb_test_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (customer_rows (t)), ==, 4);

  search_for (t, "小明", 1);
  g_assert_cmpstr (row_name (t, 0), ==, "王小明");
  search_for (t, "三", 1);
  g_assert_cmpstr (row_name (t, 0), ==, "张三丰");
  search_for (t, "harbour", 1);
  g_assert_cmpstr (row_name (t, 0), ==, "Harbour Bakery");
  search_for (t, "1380013", 1);
  g_assert_cmpstr (row_name (t, 0), ==, "张三丰");
  search_for (t, "nobody by this name", 0);
  search_for (t, "", 4);

  /* Archive 张三丰 through the detail pane's confirmed action. */
  {
    g_autoptr(BbCustomer) zhang = bb_customers_get_by_code (db, "C000001", NULL);
    GtkWidget *page = bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_CUSTOMERS_PAGE);
    GtkWidget *detail = bb_test_find_widget (page, g_type_from_name ("BbCustomerDetail"));
    GtkWindow *dialog;

    bb_customers_page_select (BB_CUSTOMERS_PAGE (page), zhang->id);
    bb_test_iterate ();
    g_assert_true (gtk_widget_activate_action (detail, "customer.archive", NULL));
    bb_test_iterate ();
    dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_nonnull (dialog);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
    bb_test_iterate ();

    g_assert_cmpuint (g_list_model_get_n_items (customer_rows (t)), ==, 3);
    for (guint i = 0; i < 3; i++)
      g_assert_cmpstr (row_name (t, i), !=, "张三丰");

    /* Still in the book, and shown when archived customers are asked for. */
    g_assert_cmpint (bb_customers_count (db, &everyone, NULL), ==, 4);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (bb_test_find_widget_by_tooltip (page, "Show Archived Customers")), TRUE);
    bb_test_iterate ();
    g_assert_cmpuint (g_list_model_get_n_items (customer_rows (t)), ==, 4);
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

  g_test_add_func ("/customers-ui/add-edit-search-archive", test_add_edit_search_archive);

  return g_test_run ();
}
