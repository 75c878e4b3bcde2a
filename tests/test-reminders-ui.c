/* test-reminders-ui.c — the Reminders page groups what is due, counts it
 * on the page switcher, and follows Mark Done and Snooze
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sqlite3.h>

#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-preferences-window.h"
#include "bb-reminder-ladder-group.h"
#include "bb-reminder-list.h"
#include "bb-reminders-page.h"
#include "bb-test-ui.h"

static gint64
add_customer (BbDb       *db,
              const char *code,
              const char *name)
{
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(GError) error = NULL;

  g_free (c->code);
  c->code = g_strdup (code);
  g_free (c->name);
  c->name = g_strdup (name);
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  return c->id;
}

/* An issued bill owing all of @open, due @days from today. */
static void
add_bill (BbDb       *db,
          gint64      customer,
          const char *number,
          int         days,
          BbMoney     open)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) due = g_date_time_add_days (now, days);
  g_autoptr(GDateTime) issued = g_date_time_add_days (now, MIN (days, 0) - 30);
  g_autofree char *due_on = g_date_time_format (due, "%Y-%m-%d");
  g_autofree char *issued_on = g_date_time_format (issued, "%Y-%m-%d");
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;

  sql = g_strdup_printf ("INSERT INTO invoices (number, customer_id, kind, status, issued_on, due_on, currency, "
                         "  subtotal, total, paid, open_balance, created_at, updated_at) "
                         "VALUES ('%s', %" G_GINT64_FORMAT ", 'invoice', 'issued', '%s', '%s', 'CNY', "
                         "  %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 0, %" G_GINT64_FORMAT ", "
                         "  '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                         number, customer, issued_on, due_on, open, open, open);
  g_assert_true (_bb_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

static gboolean
page_loaded (gpointer data)
{
  gboolean loaded = FALSE;

  g_object_get (data, "loaded", &loaded, NULL);
  return loaded;
}

typedef struct
{
  BbRemindersPage *page;
  guint            n;
} WaitCount;

static guint
n_reminders (BbRemindersPage *page)
{
  GListModel *model = bb_reminders_page_get_model (page);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      n += BB_IS_REMINDER (item);
    }

  return n;
}

static gboolean
has_n_reminders (gpointer data)
{
  WaitCount *w = data;

  return n_reminders (w->page) == w->n;
}

/* The reminder about @subject, and the heading above it. */
static BbReminder *
find (BbRemindersPage *page,
      const char      *subject,
      char           **heading)
{
  GListModel *model = bb_reminders_page_get_model (page);
  const char *current = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (BB_IS_REMINDER_HEADING (item))
        {
          current = bb_reminder_group_label (BB_REMINDER_HEADING (item)->group);
          continue;
        }

      if (g_strcmp0 (BB_REMINDER (item)->subject, subject) == 0)
        {
          if (heading)
            *heading = g_strdup (current);
          return BB_REMINDER (item);
        }
    }

  return NULL;
}

static gboolean
label_shown (GtkWidget  *root,
             const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_is_drawable (child) &&
          g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return TRUE;
      if (label_shown (child, text))
        return TRUE;
    }

  return FALSE;
}

static void
wait_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardText;

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardText *text = user_data;

  text->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  text->done = TRUE;
}

static gboolean
clipboard_read (gpointer data)
{
  return ((ClipboardText *) data)->done;
}

static void
test_reminders_page (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  BbInteraction call = { 0 };
  BbRemindersPage *page;
  AdwViewStack *stack;
  AdwViewStackPage *stack_page;
  BbReminder *r;
  WaitCount count;
  gint64 wang, bakery;

  gtk_widget_activate_action (GTK_WIDGET (t->window), "win.show-page", "s", "reminders");
  bb_test_iterate ();
  page = BB_REMINDERS_PAGE (bb_test_find_widget (GTK_WIDGET (t->window), BB_TYPE_REMINDERS_PAGE));
  g_assert_nonnull (page);
  stack = ADW_VIEW_STACK (bb_test_find_widget (GTK_WIDGET (t->window), ADW_TYPE_VIEW_STACK));
  stack_page = adw_view_stack_get_page (stack, GTK_WIDGET (page));
  g_assert_true (bb_test_wait_for (page_loaded, page, 5000));

  /* An empty book: nothing due, no badge */
  g_assert_cmpuint (n_reminders (page), ==, 0);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 0);
  g_assert_true (label_shown (GTK_WIDGET (page), "Nothing Due"));

  /* An overdue bill, a bill due today, a call-back due today */
  wang = add_customer (db, "C1", "王小明");
  bakery = add_customer (db, "C2", "Harbour Bakery");
  add_bill (db, wang, "INV-OLD", -10, 50000);
  add_bill (db, bakery, "INV-TODAY", 0, 12000);
  call.customer_id = bakery;
  call.occurred_on = today;
  call.channel = (char *) "phone";
  call.kind = (char *) "follow_up";
  call.summary = (char *) "Call back about the order";
  call.follow_up_on = today;
  g_assert_true (bb_interactions_add (db, &call, &error));
  g_assert_no_error (error);
  bb_db_emit_changed (db, "invoices", 0);

  count.page = page;
  count.n = 3;
  g_assert_true (bb_test_wait_for (has_n_reminders, &count, 5000));
  bb_test_iterate ();

  r = find (page, "INV-OLD", &heading);
  g_assert_nonnull (r);
  g_assert_cmpint (r->kind, ==, BB_REMINDER_OVERDUE);
  g_assert_cmpstr (heading, ==, "Overdue");
  g_clear_pointer (&heading, g_free);
  r = find (page, "INV-TODAY", &heading);
  g_assert_nonnull (r);
  g_assert_cmpstr (heading, ==, "Today");
  g_clear_pointer (&heading, g_free);
  r = find (page, "Call back about the order", &heading);
  g_assert_nonnull (r);
  g_assert_cmpint (r->kind, ==, BB_REMINDER_FOLLOW_UP);
  g_assert_cmpstr (heading, ==, "Today");
  g_clear_pointer (&heading, g_free);

  /* What the owner sees: headings and rows */
  g_assert_true (label_shown (GTK_WIDGET (page), "Overdue"));
  g_assert_true (label_shown (GTK_WIDGET (page), "Today"));
  g_assert_true (label_shown (GTK_WIDGET (page), "Bill overdue · INV-OLD"));
  g_assert_true (label_shown (GTK_WIDGET (page), "王小明 (C1)"));
  g_assert_true (label_shown (GTK_WIDGET (page), "¥500.00"));
  g_assert_true (label_shown (GTK_WIDGET (page), "Polite reminder"));
  g_assert_true (label_shown (GTK_WIDGET (page), "Follow-up · Call back about the order"));
  g_assert_false (label_shown (GTK_WIDGET (page), "Nothing Due"));

  /* The badge: all three are overdue or due today */
  g_assert_cmpuint (bb_reminders_page_get_badge_number (page), ==, 3);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 3);
  g_assert_true (adw_view_stack_page_get_needs_attention (stack_page));

  /* Copy Message puts the text for WeChat on the clipboard */
  key = g_strdup (find (page, "INV-OLD", NULL)->key);
  gtk_widget_activate_action (GTK_WIDGET (page), "reminders.copy-message", "(ss)", key, "firm");
  bb_test_iterate ();
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (page));
    ClipboardText text = { NULL, FALSE };

    gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, &text);
    g_assert_true (bb_test_wait_for (clipboard_read, &text, 5000));
    g_assert_nonnull (text.text);
    g_assert_nonnull (strstr (text.text, "王小明"));
    g_assert_nonnull (strstr (text.text, "INV-OLD"));
    g_assert_nonnull (strstr (text.text, "¥500.00"));
    g_assert_nonnull (strstr (text.text, "10 days overdue"));
    g_free (text.text);
  }
  g_clear_pointer (&key, g_free);

  /* Open: a follow-up opens its customer on the Customers page, a bill
   * opens in its editor */
  key = g_strdup (find (page, "Call back about the order", NULL)->key);
  gtk_widget_activate_action (GTK_WIDGET (page), "reminders.open", "s", key);
  bb_test_iterate ();
  g_assert_cmpstr (bb_window_get_page (t->window), ==, "customers");
  bb_window_show_page (t->window, "reminders");
  bb_test_iterate ();
  g_assert_cmpstr (bb_window_get_page (t->window), ==, "reminders");
  g_clear_pointer (&key, g_free);

  /* Mark Done: the row goes at once, the badge drops, and a new
   * computation does not bring it back */
  key = g_strdup (find (page, "INV-OLD", NULL)->key);
  gtk_widget_activate_action (GTK_WIDGET (page), "reminders.done", "s", key);
  bb_test_iterate ();
  g_assert_null (find (page, "INV-OLD", NULL));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 2);
  g_assert_false (adw_view_stack_page_get_needs_attention (stack_page));
  g_assert_false (label_shown (GTK_WIDGET (page), "Bill overdue · INV-OLD"));
  wait_ms (800);
  g_assert_null (find (page, "INV-OLD", NULL));
  g_assert_cmpuint (n_reminders (page), ==, 2);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 2);
  g_clear_pointer (&key, g_free);

  /* Snooze until tomorrow hides it too */
  key = g_strdup (find (page, "INV-TODAY", NULL)->key);
  gtk_widget_activate_action (GTK_WIDGET (page), "reminders.snooze", "(ss)", key, "tomorrow");
  bb_test_iterate ();
  g_assert_null (find (page, "INV-TODAY", NULL));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 1);
  wait_ms (800);
  g_assert_null (find (page, "INV-TODAY", NULL));
  g_assert_cmpuint (n_reminders (page), ==, 1);
  g_clear_pointer (&key, g_free);

  /* Snooze to a date already past is refused: the reminder stays */
  key = g_strdup (find (page, "Call back about the order", NULL)->key);
  gtk_widget_activate_action (GTK_WIDGET (page), "reminders.snooze", "(ss)", key, "2000-01-01");
  bb_test_iterate ();
  g_assert_nonnull (find (page, "Call back about the order", NULL));

  /* Done with the last one: the page says nothing is due */
  gtk_widget_activate_action (GTK_WIDGET (page), "reminders.done", "s", key);
  bb_test_iterate ();
  g_assert_cmpuint (n_reminders (page), ==, 0);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 0);
  g_assert_true (label_shown (GTK_WIDGET (page), "Nothing Due"));
  wait_ms (800);
  g_assert_cmpuint (n_reminders (page), ==, 0);
}

static void
collect (GtkWidget *root,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

static char *
ladder_in_book (BbDb *db)
{
  g_autoptr(GArray) ladder = bb_reminders_get_ladder (db);

  return bb_reminder_ladder_to_string (ladder, NULL);
}

/* How often customers' details come up for review, in Preferences: the
 * book's choice shown, a new one saved, "Never" turns them off. */
static void
test_review_preferences (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  BbPreferencesWindow *prefs;
  GtkWidget *row;

  g_assert_true (bb_reminders_set_review_days (db, 365, NULL));
  prefs = bb_preferences_window_new (GTK_WINDOW (t->window), db);
  gtk_window_present (GTK_WINDOW (prefs));
  bb_test_iterate ();
  row = bb_test_find_widget_by_title (GTK_WIDGET (prefs), "Review Reminders");
  g_assert_nonnull (row);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 2);   /* Every year */

  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 1);
  g_assert_cmpint (bb_reminders_get_review_days (db), ==, 182);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 3);
  g_assert_cmpint (bb_reminders_get_review_days (db), ==, 0);
  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* The ladder in Preferences: a row per step, changes saved, a refused
 * change named and not saved, a step added and removed. */
static void
test_ladder_preferences (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autofree char *ladder = NULL;
  BbPreferencesWindow *prefs;
  GtkWidget *group, *add = NULL, *error_label = NULL;

  prefs = bb_preferences_window_new (GTK_WINDOW (t->window), db);
  gtk_window_present (GTK_WINDOW (prefs));
  bb_test_iterate ();
  group = bb_test_find_widget (GTK_WIDGET (prefs), BB_TYPE_REMINDER_LADDER_GROUP);
  g_assert_nonnull (group);

  /* The default ladder: seven steps, titled in words */
  collect (group, ADW_TYPE_EXPANDER_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 7);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "7 days before the due date");
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 5)), ==, "30 days after the due date");
  g_assert_cmpstr (adw_expander_row_get_subtitle (g_ptr_array_index (rows, 5)), ==, "Firm, no late fee");

  /* Step 6 (+30) moved to +45: saved a moment later */
  collect (group, GTK_TYPE_SPIN_BUTTON, spins);
  g_assert_cmpuint (spins->len, ==, 7);
  gtk_spin_button_set_value (g_ptr_array_index (spins, 5), 45);
  wait_ms (800);
  ladder = ladder_in_book (db);
  g_assert_cmpstr (ladder, ==, "-7; -3; -1; +1 polite; +7 polite; +45 firm; +60 final");
  g_clear_pointer (&ladder, g_free);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 5)), ==, "45 days after the due date");

  /* Two steps on one day: refused, the message names the step that
   * repeats a day, and the book keeps the last good ladder */
  gtk_spin_button_set_value (g_ptr_array_index (spins, 5), 60);
  wait_ms (800);
  collect (group, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "error"))
      error_label = g_ptr_array_index (labels, i);
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "Reminder step 7 (“+60 final”)"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "already a step"));
  ladder = ladder_in_book (db);
  g_assert_cmpstr (ladder, ==, "-7; -3; -1; +1 polite; +7 polite; +45 firm; +60 final");
  g_clear_pointer (&ladder, g_free);

  /* Put right: saved, the message goes */
  gtk_spin_button_set_value (g_ptr_array_index (spins, 5), 30);
  wait_ms (800);
  g_assert_false (gtk_widget_get_visible (error_label));

  /* Add Step: a week after the last one */
  collect (group, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *child = gtk_button_get_child (g_ptr_array_index (buttons, i));

      if (ADW_IS_BUTTON_CONTENT (child) &&
          g_strcmp0 (adw_button_content_get_label (ADW_BUTTON_CONTENT (child)), "_Add Step") == 0)
        add = g_ptr_array_index (buttons, i);
    }
  g_assert_nonnull (add);
  g_signal_emit_by_name (add, "clicked");
  bb_test_iterate ();
  ladder = ladder_in_book (db);
  g_assert_cmpstr (ladder, ==, "-7; -3; -1; +1 polite; +7 polite; +30 firm; +60 final; +67 polite");
  g_clear_pointer (&ladder, g_free);

  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  if (!bb_test_ui_init ())
    return 77;

  g_test_add_func ("/reminders-ui/page", test_reminders_page);
  g_test_add_func ("/reminders-ui/ladder-preferences", test_ladder_preferences);
  g_test_add_func ("/reminders-ui/review-preferences", test_review_preferences);

  return g_test_run ();
}
