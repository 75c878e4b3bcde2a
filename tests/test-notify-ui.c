/* test-notify-ui.c — Preferences ▸ Run in Background writes and removes the
 * autostart entry and the setting; a notification's Open (app.show-reminder,
 * app.show-reminders) brings the window back on the subject or the
 * Reminders page, also after it was closed
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "bb-autostart.h"
#include "bb-customers.h"
#include "bb-preferences-window.h"
#include "bb-test-ui.h"

static BbPreferencesWindow *
find_preferences (BbTestApp *t)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (t->app)); l; l = l->next)
    if (BB_IS_PREFERENCES_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
test_run_in_background (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *path = bb_autostart_get_path ();
  g_autofree char *exec = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  BbPreferencesWindow *prefs;
  GtkWidget *row;
  GtkSwitch *sw;

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_action_group_activate_action (G_ACTION_GROUP (t->app), "preferences", NULL);
  bb_test_iterate ();
  prefs = find_preferences (t);
  g_assert_nonnull (prefs);

  row = bb_test_find_widget_by_title (GTK_WIDGET (prefs), "Run in Background");
  g_assert_nonnull (row);
  sw = GTK_SWITCH (bb_test_find_widget (row, GTK_TYPE_SWITCH));
  g_assert_false (gtk_switch_get_active (sw));

  /* On: the session starts `billbook --background` on this book. */
  gtk_switch_set_active (sw, TRUE);
  bb_test_iterate ();
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_true (bb_autostart_is_enabled ());
  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  exec = g_key_file_get_string (file, "Desktop Entry", "Exec", NULL);
  expected = g_strdup_printf ("billbook --background --database \"%s\"", t->path);
  g_assert_cmpstr (exec, ==, expected);
  g_assert_true (g_key_file_get_boolean (file, "Desktop Entry", "X-GNOME-Autostart-enabled", NULL));

  /* A new window shows it on. */
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_action_group_activate_action (G_ACTION_GROUP (t->app), "preferences", NULL);
  bb_test_iterate ();
  prefs = find_preferences (t);
  row = bb_test_find_widget_by_title (GTK_WIDGET (prefs), "Run in Background");
  sw = GTK_SWITCH (bb_test_find_widget (row, GTK_TYPE_SWITCH));
  g_assert_true (gtk_switch_get_active (sw));

  /* Off: gone. */
  gtk_switch_set_active (sw, FALSE);
  bb_test_iterate ();
  g_assert_false (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_open_from_notification (void)
{
  g_autoptr(BbTestApp) t = bb_test_app_new ();
  BbDb *db = bb_application_get_database (t->app);
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(GError) error = NULL;
  BbWindow *window;

  g_free (customer->code);
  customer->code = g_strdup ("C1");
  g_free (customer->name);
  customer->name = g_strdup ("王小明");
  g_assert_true (bb_customers_save (db, customer, &error));
  g_assert_no_error (error);

  /* A grouped notification's Open: the Reminders page. */
  g_assert_cmpstr (bb_window_get_page (t->window), !=, "reminders");
  g_action_group_activate_action (G_ACTION_GROUP (t->app), "show-reminders", NULL);
  bb_test_iterate ();
  g_assert_cmpstr (bb_window_get_page (t->window), ==, "reminders");

  /* With the window closed (the app kept running in the background): a
   * follow-up's Open makes a window on its customer. */
  gtk_window_destroy (GTK_WINDOW (t->window));
  t->window = NULL;
  bb_test_iterate ();
  g_action_group_activate_action (G_ACTION_GROUP (t->app), "show-reminder",
                                  g_variant_new ("(ixx)", (gint32) BB_REMINDER_FOLLOW_UP,
                                                 (gint64) 1, customer->id));
  bb_test_iterate ();
  window = t->window;
  g_assert_nonnull (window);
  g_assert_true (BB_IS_WINDOW (window));
  g_assert_cmpstr (bb_window_get_page (window), ==, "customers");

  /* A kind that is not one is ignored. */
  g_action_group_activate_action (G_ACTION_GROUP (t->app), "show-reminder",
                                  g_variant_new ("(ixx)", (gint32) 99, (gint64) 1, (gint64) 1));
  bb_test_iterate ();
  g_assert_cmpstr (bb_window_get_page (window), ==, "customers");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = g_dir_make_tmp ("test-notify-ui-XXXXXX", NULL);
  int rc;

  setlocale (LC_ALL, "C.UTF-8");
  /* Before anything asks GLib where the autostart entries are. */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_init (&argc, &argv, NULL);
  if (!bb_test_ui_init ())
    return 77;

  g_test_add_func ("/notify-ui/run-in-background", test_run_in_background);
  g_test_add_func ("/notify-ui/open", test_open_from_notification);

  rc = g_test_run ();

  {
    g_autofree char *dir = g_build_filename (config, "autostart", NULL);

    g_rmdir (dir);
    g_rmdir (config);
  }
  return rc;
}
