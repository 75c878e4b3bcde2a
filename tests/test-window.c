/* test-window.c — the window opens on a book and shows each page
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb and a private session bus (build-aux/headless).
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-application.h"
#include "bb-billing-page.h"
#include "bb-customers-page.h"
#include "bb-prepaid-page.h"
#include "bb-reminders-page.h"
#include "bb-reports-page.h"
#include "bb-window.h"
#include "bb-audit.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-test-damage.h"
#include "bb-test-ui.h"
#include "bb-ui-util.h"

static void
test_window_pages (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  static const char * const pages[] = { "billing", "prepaid", "reminders", "reports", "customers" };
  GSettings *settings;

  g_assert_nonnull (t->window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (t->window)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (t->window)), ==, "Billbook");

  settings = bb_application_get_settings (t->app);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *saved = NULL;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t->window), "win.show-page", "s", pages[i]));
      bb_test_iterate ();
      g_assert_cmpstr (bb_window_get_page (t->window), ==, pages[i]);

      /* The last page is remembered for the next start. */
      saved = g_settings_get_string (settings, "last-page");
      g_assert_cmpstr (saved, ==, pages[i]);
    }

  /* The five pages are what a screen reader's tab list shows. */
  {
    GtkWidget *stack = bb_test_find_widget (GTK_WIDGET (t->window), ADW_TYPE_VIEW_STACK);
    GtkSelectionModel *model = adw_view_stack_get_pages (ADW_VIEW_STACK (stack));
    const char *titles[] = { "Customers", "Billing", "Prepaid", "Reminders", "Reports" };

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
    for (guint i = 0; i < 5; i++)
      {
        g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (model), i);

        g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, titles[i]);
      }
    g_object_unref (model);
  }
}

/* Pages not shown at start are made when first shown, so the first frame
 * builds none of them; Reminders is there from the start, for its badge. */
static void
test_window_pages_made_when_shown (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  GtkWidget *page;
  GtkColumnView *view;
  GtkSingleSelection *selection;

  g_assert_cmpstr (bb_window_get_page (t->window), ==, "customers");
  g_assert_nonnull (bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_CUSTOMERS_PAGE));
  g_assert_nonnull (bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_REMINDERS_PAGE));
  g_assert_null (bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_BILLING_PAGE));
  g_assert_null (bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_PREPAID_PAGE));
  g_assert_null (bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_REPORTS_PAGE));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t->window), "win.show-page", "s", "billing"));
  bb_test_iterate ();
  page = bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_BILLING_PAGE);
  g_assert_nonnull (page);
  g_assert_true (gtk_widget_get_mapped (page));
  view = GTK_COLUMN_VIEW (bb_test_find_widget (page, GTK_TYPE_COLUMN_VIEW));
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (view));
  g_assert_nonnull (gtk_single_selection_get_model (selection));

  /* Ctrl+N on a page made late opens that page's "new". */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t->window), "win.show-page", "s", "prepaid"));
  bb_test_iterate ();
  g_assert_nonnull (bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_PREPAID_PAGE));
  g_assert_null (bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_REPORTS_PAGE));
}

static gboolean
all_rows_shown (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 130;
}

static gboolean
on_window_added (GSignalInvocationHint *hint,
                 guint                  n_params,
                 const GValue          *params,
                 gpointer               data)
{
  GPtrArray *titles = data;
  GtkWindow *window = g_value_get_object (&params[1]);
  AdwStatusPage *status = ADW_IS_WINDOW (window)
                          ? ADW_STATUS_PAGE (bb_test_find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE))
                          : NULL;

  if (status != NULL)
    g_ptr_array_add (titles, g_strdup (adw_status_page_get_title (status)));

  return TRUE;
}

/* A book of an older Billbook opens after a window that says it is being
 * brought up to date, at this version, with what it held. */
static void
test_window_updates_old_book (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("billbook-ui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "book.db", NULL);
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  guint signal_id = g_signal_lookup ("window-added", GTK_TYPE_APPLICATION);
  gulong hook;
  BbTestApp *t;

  {
    g_autoptr(BbDb) db = _bb_db_open_at_version (path, 8, &error);

    g_assert_no_error (error);
    g_assert_true (_bb_db_exec (db, "INSERT INTO customers (code, name, created_at, updated_at) "
                                    "VALUES ('C000001', '王小明', '', '')", &error));
    g_assert_no_error (error);
  }
  g_assert_true (bb_db_needs_update (path));

  hook = g_signal_add_emission_hook (signal_id, 0, on_window_added, titles, NULL);
  t = bb_test_app_new_for_path (path);
  g_signal_remove_emission_hook (signal_id, hook);

  g_assert_cmpuint (titles->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, "Updating Your Book");
  /* It went when the book's window came. */
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (t->app))), ==, 1);
  g_assert_cmpint (bb_db_get_schema_version (bb_window_get_database (t->window)), ==, BB_DB_SCHEMA_VERSION);
  g_assert_false (bb_db_needs_update (path));
  {
    g_autoptr(BbCustomer) customer = bb_customers_get (bb_window_get_database (t->window), 1, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (customer->name, ==, "王小明");
  }
  bb_test_app_free (t);

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

static gboolean
all_rows_of_many_shown (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 20000;
}

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
}

static void
bind_label (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

/* A list shows its first rows until it has painted, then all of them a
 * step a frame; or all at once when asked. */
static void
test_window_first_rows_then_all (void)
{
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);
  g_autoptr(GListModel) rows = NULL;
  g_autoptr(GListModel) more_rows = NULL;
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view;
  guint n_shown;

  for (guint i = 0; i < 130; i++)
    {
      g_autofree char *text = g_strdup_printf ("Customer %03u", i);

      gtk_string_list_append (strings, text);
    }
  g_signal_connect (factory, "setup", G_CALLBACK (setup_label), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label), NULL);
  view = gtk_list_view_new (NULL, factory);
  rows = bb_first_rows_model_new (G_LIST_MODEL (strings), view);
  gtk_list_view_set_model (GTK_LIST_VIEW (view), GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (rows))));
  gtk_window_set_child (GTK_WINDOW (window), view);

  n_shown = g_list_model_get_n_items (rows);
  g_assert_cmpuint (n_shown, >=, 20);
  g_assert_cmpuint (n_shown, <, 130);
  {
    g_autoptr(GtkStringObject) first = g_list_model_get_item (rows, 0);

    g_assert_cmpstr (gtk_string_object_get_string (first), ==, "Customer 000");
  }
  /* Not shown, not grown. */
  g_assert_false (bb_test_wait_for (all_rows_shown, rows, 200));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n_shown);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (bb_test_wait_for (all_rows_shown, rows, 5000));
  /* And it follows the model afterwards. */
  gtk_string_list_append (strings, "Customer 130");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 131);
  gtk_string_list_remove (strings, 130);

  /* Selecting a row not shown yet shows them all first. */
  more_rows = bb_first_rows_model_new (G_LIST_MODEL (strings), view);
  g_assert_cmpuint (g_list_model_get_n_items (more_rows), ==, n_shown);
  bb_first_rows_model_show_all (more_rows);
  g_assert_cmpuint (g_list_model_get_n_items (more_rows), ==, 130);

  /* A long list grows a few steps, to the rows the view builds, then
   * shows the rest at once (not a step a frame for a minute). */
  {
    g_autoptr(GtkStringList) many = gtk_string_list_new (NULL);
    g_autoptr(GListModel) many_rows = NULL;

    for (guint i = 0; i < 20000; i++)
      gtk_string_list_append (many, "Customer");
    many_rows = bb_first_rows_model_new (G_LIST_MODEL (many), view);
    gtk_list_view_set_model (GTK_LIST_VIEW (view), GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (many_rows))));
    g_assert_cmpuint (g_list_model_get_n_items (many_rows), <, 20000);
    g_assert_true (bb_test_wait_for (all_rows_of_many_shown, many_rows, 1000));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  bb_test_iterate ();
}

static void
test_window_size_remembered (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  GSettings *settings = bb_application_get_settings (t->app);

  gtk_window_set_default_size (GTK_WINDOW (t->window), 900, 650);
  bb_test_iterate ();
  gtk_window_close (GTK_WINDOW (t->window));
  bb_test_iterate ();

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 650);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  t->window = NULL;
}

static GtkWindow *
open_preferences (BbTestApp *t)
{
  GtkWindow *prefs = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (t->app), "preferences", NULL);
  bb_test_iterate ();

  for (GList *windows = gtk_application_get_windows (GTK_APPLICATION (t->app)); windows; windows = windows->next)
    if (ADW_IS_PREFERENCES_WINDOW (windows->data))
      prefs = windows->data;

  g_assert_nonnull (prefs);
  return prefs;
}

static void
test_preferences_business (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  GtkWindow *prefs = open_preferences (t);

  /* Type a business name and apply it: it lands in the book. */
  {
    GtkWidget *row = bb_test_find_widget_by_title (GTK_WIDGET (prefs), "Business Name");
    g_autofree char *stored = NULL;

    g_assert_nonnull (row);
    gtk_editable_set_text (GTK_EDITABLE (row), "小明便利店");
    g_signal_emit_by_name (row, "apply");
    bb_test_iterate ();

    stored = bb_db_get_setting (bb_application_get_database (t->app), "business.name");
    g_assert_cmpstr (stored, ==, "小明便利店");
  }

  /* A bad phone number is marked and not stored. */
  {
    GtkWidget *row = bb_test_find_widget_by_title (GTK_WIDGET (prefs), "Phone");
    g_autofree char *stored = NULL;

    gtk_editable_set_text (GTK_EDITABLE (row), "not a phone");
    g_signal_emit_by_name (row, "apply");
    bb_test_iterate ();

    g_assert_true (gtk_widget_has_css_class (row, "error"));
    stored = bb_db_get_setting (bb_application_get_database (t->app), "business.phone");
    g_assert_true (stored == NULL || *stored == '\0');
  }

  gtk_window_destroy (prefs);
}

static char *
setting (BbTestApp  *t,
         const char *key)
{
  return bb_db_get_setting (bb_application_get_database (t->app), key);
}

/* The Billing page: pattern with its next number, paper, words, credit
 * block and payment text all land in the book. */
static void
test_preferences_billing (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  GtkWindow *prefs = open_preferences (t);
  GtkWidget *pattern = bb_test_find_widget_by_title (GTK_WIDGET (prefs), "Number Pattern");
  GtkWidget *paper = bb_test_find_widget_by_title (GTK_WIDGET (prefs), "Paper Size");
  GtkWidget *words = bb_test_find_widget_by_title (GTK_WIDGET (prefs), "Amount in Words");
  GtkWidget *block = bb_test_find_widget_by_title (GTK_WIDGET (prefs), "Refuse Bills Over the Limit");
  GtkWidget *numbers_group = NULL;
  GtkTextView *payment = GTK_TEXT_VIEW (bb_test_find_widget (GTK_WIDGET (prefs), GTK_TYPE_TEXT_VIEW));
  g_autofree char *stored_pattern = NULL;
  g_autofree char *stored_paper = NULL;
  g_autofree char *stored_words = NULL;
  g_autofree char *stored_block = NULL;
  g_autofree char *stored_text = NULL;

  g_assert_nonnull (pattern);
  g_assert_nonnull (paper);
  g_assert_nonnull (words);
  g_assert_nonnull (block);
  g_assert_nonnull (payment);
  numbers_group = gtk_widget_get_ancestor (pattern, ADW_TYPE_PREFERENCES_GROUP);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (pattern)), ==, "INV-{year}-{seq:04}");
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (numbers_group)),
                            "-0001"));

  /* A pattern without {seq} is marked and says why; nothing is stored. */
  gtk_editable_set_text (GTK_EDITABLE (pattern), "BILL-{year}");
  g_signal_emit_by_name (pattern, "apply");
  bb_test_iterate ();
  g_assert_true (gtk_widget_has_css_class (pattern, "error"));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (numbers_group)),
                            "{seq}"));
  stored_pattern = setting (t, "billing.number_pattern");
  g_assert_null (stored_pattern);

  /* A good one is stored, and the next number follows it. */
  gtk_editable_set_text (GTK_EDITABLE (pattern), "B{yy}-{seq:05}");
  g_signal_emit_by_name (pattern, "apply");
  bb_test_iterate ();
  g_assert_false (gtk_widget_has_css_class (pattern, "error"));
  stored_pattern = setting (t, "billing.number_pattern");
  g_assert_cmpstr (stored_pattern, ==, "B{yy}-{seq:05}");
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (numbers_group)),
                            "-00001."));

  adw_combo_row_set_selected (ADW_COMBO_ROW (paper), 1);
  gtk_switch_set_active (GTK_SWITCH (bb_test_find_widget (words, GTK_TYPE_SWITCH)), TRUE);
  gtk_switch_set_active (GTK_SWITCH (bb_test_find_widget (block, GTK_TYPE_SWITCH)), TRUE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (payment), "开户行：中国工商银行\n账号：1001 2345", -1);

  /* Closing right after typing loses nothing. */
  gtk_window_destroy (prefs);
  bb_test_iterate ();

  stored_paper = setting (t, "billing.paper");
  stored_words = setting (t, "billing.amount_in_words");
  stored_block = setting (t, "billing.credit_block");
  stored_text = setting (t, "billing.payment_text");
  g_assert_cmpstr (stored_paper, ==, "letter");
  g_assert_cmpstr (stored_words, ==, "1");
  g_assert_cmpstr (stored_block, ==, "1");
  g_assert_cmpstr (stored_text, ==, "开户行：中国工商银行\n账号：1001 2345");
}

static GtkLabel *
find_label_with_prefix (GtkWidget  *root,
                        const char *prefix)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), prefix))
        return GTK_LABEL (child);
      if ((found = find_label_with_prefix (child, prefix)) != NULL)
        return found;
    }

  return NULL;
}

static void
save_customer (BbDb       *db,
               const char *name)
{
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(GError) error = NULL;

  g_free (customer->name);
  customer->name = g_strdup (name);
  g_assert_true (bb_customers_save (db, customer, &error));
  g_assert_no_error (error);
}

/* The audit log window lists what changed, follows new changes while
 * open, and filters by kind. */
static void
test_audit_log (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  GtkWindow *audit = NULL;
  GtkColumnView *view;
  GtkDropDown *kind;
  GtkStack *stack;

  save_customer (db, "王小明");
  g_action_group_activate_action (G_ACTION_GROUP (t->app), "audit-log", NULL);
  bb_test_iterate ();

  for (GList *windows = gtk_application_get_windows (GTK_APPLICATION (t->app)); windows; windows = windows->next)
    if (g_strcmp0 (G_OBJECT_TYPE_NAME (windows->data), "BbAuditWindow") == 0)
      audit = windows->data;
  g_assert_nonnull (audit);
  g_assert_cmpstr (gtk_window_get_title (audit), ==, "Audit Log");

  view = GTK_COLUMN_VIEW (bb_test_find_widget (GTK_WIDGET (audit), GTK_TYPE_COLUMN_VIEW));
  kind = GTK_DROP_DOWN (bb_test_find_widget (GTK_WIDGET (audit), GTK_TYPE_DROP_DOWN));
  stack = GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_STACK));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))), ==, 1);
  g_assert_nonnull (find_label_with_prefix (GTK_WIDGET (audit), "1 change"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");

  /* A change made while the window is open shows at once, on top. */
  save_customer (db, "Anna Schmidt");
  bb_test_iterate ();
  g_assert_nonnull (find_label_with_prefix (GTK_WIDGET (audit), "2 changes"));
  {
    g_autoptr(GObject) top = g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (view)), 0);
    g_autofree char *subject = NULL;

    subject = g_strdup (((BbAuditEntry *) top)->subject);
    g_assert_cmpstr (subject, ==, "C000002 · Anna Schmidt");
  }

  /* Bills: none yet, and the window says so. */
  gtk_drop_down_set_selected (kind, 3);
  bb_test_iterate ();
  g_assert_nonnull (find_label_with_prefix (GTK_WIDGET (audit), "0 changes"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");

  gtk_window_destroy (audit);
}

static gboolean
damage_dialog_shown (gpointer data)
{
  BbTestApp *t = data;

  for (GList *windows = gtk_application_get_windows (GTK_APPLICATION (t->app)); windows; windows = windows->next)
    if (ADW_IS_MESSAGE_DIALOG (windows->data))
      return TRUE;

  return FALSE;
}

/* A book that opens but fails its integrity check: the window goes, and
 * the dialog says the book is damaged; nothing is replaced unasked. */
static void
test_damaged_book (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("billbook-damaged-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "book.db", NULL);
  g_autoptr(BbTestApp) t = NULL;
  AdwMessageDialog *dialog = NULL;

  {
    g_autoptr(BbDb) db = bb_db_open (path, &error);

    g_assert_no_error (error);
    save_customer (db, "王小明");
  }

  bb_test_damage_book (path);

  t = bb_test_app_new_for_path (path);
  g_assert_true (bb_test_wait_for (damage_dialog_shown, t, 10000));
  bb_test_iterate ();

  for (GList *windows = gtk_application_get_windows (GTK_APPLICATION (t->app)); windows; windows = windows->next)
    {
      g_assert_false (BB_IS_WINDOW (windows->data));
      if (ADW_IS_MESSAGE_DIALOG (windows->data))
        dialog = windows->data;
    }
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "is damaged"));
  g_assert_null (bb_application_get_database (t->app));
  /* The book is still there, as it was. */
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  t->dir = g_steal_pointer (&dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  if (!bb_test_ui_init ())
    return 77;

  g_test_add_func ("/window/pages", test_window_pages);
  g_test_add_func ("/window/pages-made-when-shown", test_window_pages_made_when_shown);
  g_test_add_func ("/window/first-rows-then-all", test_window_first_rows_then_all);
  g_test_add_func ("/window/updates-old-book", test_window_updates_old_book);
  g_test_add_func ("/window/size-remembered", test_window_size_remembered);
  g_test_add_func ("/window/preferences/business", test_preferences_business);
  g_test_add_func ("/window/preferences/billing", test_preferences_billing);
  g_test_add_func ("/window/audit-log", test_audit_log);
  g_test_add_func ("/window/damaged-book", test_damaged_book);

  return g_test_run ();
}
