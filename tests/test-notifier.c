/* test-notifier.c — what the notifier says for each kind and stage, when it
 * groups and which notices are critical, when Snooze brings one back, and the
 * autostart entry of Preferences ▸ Run in Background
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What is sent over D-Bus, and that nothing is sent twice, is
 * tests/test-notify.py.
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "bb-autostart.h"
#include "bb-notifier.h"

/* A reminder as the engine makes it; only its key is its own block. */
static BbReminder *
reminder (BbReminderKind  kind,
          const char     *key,
          const char     *customer,
          const char     *subject,
          const char     *due_on,
          BbMoney         amount)
{
  BbReminder *r = g_object_new (BB_TYPE_REMINDER, NULL);

  r->kind = kind;
  r->key = g_strdup (key);
  r->stage = "";
  r->subject_id = 7;
  r->subject = subject;
  r->customer_id = 3;
  r->customer_code = "C3";
  r->customer_name = customer;
  r->due_on = due_on;
  r->has_amount = amount >= 0;
  r->amount = amount >= 0 ? amount : 0;
  return r;
}

static GDateTime *
noon (const char *iso)
{
  g_autofree char *text = g_strconcat (iso, "T12:00:00", NULL);
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  return g_date_time_new_from_iso8601 (text, tz);
}

/* The one notice for a single reminder. */
static BbNotice *
plan_one (BbReminder *r,
          const char *today,
          GPtrArray **keep)
{
  g_autoptr(GPtrArray) reminders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = noon (today);

  g_ptr_array_add (reminders, r);
  *keep = bb_notices_plan (reminders, bb_currency_lookup ("CNY"), now);
  g_assert_cmpuint ((*keep)->len, ==, 1);
  return g_ptr_array_index (*keep, 0);
}

static void
test_bills (void)
{
  g_autoptr(GPtrArray) keep = NULL;
  BbReminder *r;
  BbNotice *n;

  n = plan_one (reminder (BB_REMINDER_DUE_SOON, "due_soon:7:-3", "王小明", "INV-0042", "2026-03-03", 120050),
                "2026-02-28", &keep);
  g_assert_cmpstr (n->summary, ==, "王小明 owes ¥1,200.50");
  g_assert_cmpstr (n->body, ==, "Bill INV-0042 falls due in 3 days, on 2026-03-03.");
  g_assert_false (n->critical);
  g_assert_false (n->grouped);
  g_assert_cmpstr (n->keys[0], ==, "due_soon:7:-3");
  g_assert_null (n->keys[1]);
  g_assert_cmpint (n->kind, ==, BB_REMINDER_DUE_SOON);
  g_assert_cmpint (n->subject_id, ==, 7);
  g_assert_cmpint (n->customer_id, ==, 3);
  g_clear_pointer (&keep, g_ptr_array_unref);

  n = plan_one (reminder (BB_REMINDER_DUE_SOON, "due_soon:7:-1", "Li Na", "INV-1", "2024-02-29", 100),
                "2024-02-28", &keep);
  g_assert_cmpstr (n->body, ==, "Bill INV-1 falls due tomorrow, 2024-02-29.");
  g_clear_pointer (&keep, g_ptr_array_unref);

  n = plan_one (reminder (BB_REMINDER_DUE_SOON, "due_soon:7:-1", "Li Na", "INV-1", "2024-02-29", 100),
                "2024-02-29", &keep);
  g_assert_cmpstr (n->body, ==, "Bill INV-1 falls due today.");
  g_clear_pointer (&keep, g_ptr_array_unref);

  r = reminder (BB_REMINDER_OVERDUE, "overdue:7:+1", "Li Na", "INV-1", "2026-12-31", 100);
  r->wording = BB_REMINDER_POLITE;
  n = plan_one (r, "2027-01-01", &keep);
  g_assert_cmpstr (n->summary, ==, "Li Na owes ¥1.00");
  g_assert_cmpstr (n->body, ==, "Bill INV-1 is 1 day overdue (due 2026-12-31).\nTime for a polite reminder.");
  g_assert_false (n->critical);
  g_clear_pointer (&keep, g_ptr_array_unref);

  r = reminder (BB_REMINDER_OVERDUE, "overdue:7:+30", "Li Na", "INV-1", "2026-01-31", 100);
  r->wording = BB_REMINDER_FIRM;
  r->fee_kind = BB_LATE_FEE_PERCENT;
  r->fee = 500;
  n = plan_one (r, "2026-03-02", &keep);
  g_assert_cmpstr (n->body, ==, "Bill INV-1 is 30 days overdue (due 2026-01-31).\nTime for a firm reminder.\n"
                                "A late fee can be drafted on the Reminders page.");
  g_assert_false (n->critical);
  g_clear_pointer (&keep, g_ptr_array_unref);

  /* The fee drafted already is not offered again; only the final stage is critical. */
  r = reminder (BB_REMINDER_OVERDUE, "overdue:7:+60", "Li Na", "INV-1", "2026-01-01", 100);
  r->wording = BB_REMINDER_FINAL;
  r->fee_kind = BB_LATE_FEE_FIXED;
  r->fee_drafted = TRUE;
  n = plan_one (r, "2026-03-02", &keep);
  g_assert_cmpstr (n->body, ==, "Bill INV-1 is 60 days overdue (due 2026-01-01).\n"
                                "Final notice: send the final reminder now.");
  g_assert_true (n->critical);
}

static void
test_other_kinds (void)
{
  g_autoptr(GPtrArray) keep = NULL;
  BbNotice *n;

  n = plan_one (reminder (BB_REMINDER_FOLLOW_UP, "follow_up:7:2026-03-01", "Li Na", "Call about the order",
                          "2026-03-01", -1), "2026-03-01", &keep);
  g_assert_cmpstr (n->summary, ==, "Follow up with Li Na");
  g_assert_cmpstr (n->body, ==, "Call about the order\nPlanned for today.");
  g_clear_pointer (&keep, g_ptr_array_unref);

  n = plan_one (reminder (BB_REMINDER_FOLLOW_UP, "follow_up:7:2026-02-27", "Li Na", "Visit",
                          "2026-02-27", -1), "2026-03-01", &keep);
  g_assert_cmpstr (n->body, ==, "Visit\nPlanned 2 days ago, on 2026-02-27.");
  g_clear_pointer (&keep, g_ptr_array_unref);

  n = plan_one (reminder (BB_REMINDER_PREPAID_EXPIRY, "prepaid_expiry:7:2026-03-31", "Li Na", "Car wash",
                          "2026-03-31", 30000), "2026-03-01", &keep);
  g_assert_cmpstr (n->summary, ==, "Li Na has ¥300.00 on a prepaid card that expires");
  g_assert_cmpstr (n->body, ==, "Card “Car wash” expires in 30 days, on 2026-03-31.");
  g_clear_pointer (&keep, g_ptr_array_unref);

  n = plan_one (reminder (BB_REMINDER_PREPAID_EXPIRY, "prepaid_expiry:7:2026-02-28", "Li Na", "Car wash",
                          "2026-02-28", 30000), "2026-03-01", &keep);
  g_assert_cmpstr (n->body, ==, "Card “Car wash” expired on 2026-02-28.");
  g_clear_pointer (&keep, g_ptr_array_unref);

  n = plan_one (reminder (BB_REMINDER_PREPAID_LOW, "prepaid_low:7:", "Li Na", "Car wash",
                          "2026-03-01", 500), "2026-03-01", &keep);
  g_assert_cmpstr (n->summary, ==, "Li Na has only ¥5.00 left on a prepaid card");
  g_assert_cmpstr (n->body, ==, "Card “Car wash” is under its low-balance mark: offer a top-up.");
  g_clear_pointer (&keep, g_ptr_array_unref);

  n = plan_one (reminder (BB_REMINDER_RECURRING, "recurring:7:2026-03-01", "Li Na", "Membership",
                          "2026-03-01", 9900), "2026-03-01", &keep);
  g_assert_cmpstr (n->summary, ==, "Time to bill Li Na ¥99.00");
  g_assert_cmpstr (n->body, ==, "Recurring charge “Membership” for the period from 2026-03-01.");
  g_clear_pointer (&keep, g_ptr_array_unref);

  n = plan_one (reminder (BB_REMINDER_REVIEW, "review:7:2025-12-01", "Li Na", "Li Na",
                          "2026-03-01", -1), "2026-03-01", &keep);
  g_assert_cmpstr (n->summary, ==, "Review the details of Li Na");
  g_assert_false (n->critical);
}

static void
test_grouping (void)
{
  g_autoptr(GPtrArray) reminders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(GDateTime) now = noon ("2026-03-01");
  const BbCurrency *cny = bb_currency_lookup ("CNY");
  BbNotice *n;
  BbReminder *r;

  /* Three are three notices. */
  for (int i = 0; i < 3; i++)
    g_ptr_array_add (reminders, reminder (BB_REMINDER_DUE_SOON, "due_soon:1:-1", "A", "INV", "2026-03-01", 100));
  notices = bb_notices_plan (reminders, cny, now);
  g_assert_cmpuint (notices->len, ==, 3);
  g_clear_pointer (&notices, g_ptr_array_unref);

  /* Four are one, counted, that stands for all four. */
  g_ptr_array_add (reminders, reminder (BB_REMINDER_DUE_SOON, "due_soon:4:-1", "B", "INV-4", "2026-03-01", 250));
  notices = bb_notices_plan (reminders, cny, now);
  g_assert_cmpuint (notices->len, ==, 1);
  n = g_ptr_array_index (notices, 0);
  g_assert_true (n->grouped);
  g_assert_cmpstr (n->summary, ==, "4 bills fall due today");
  g_assert_cmpstr (n->body, ==, "A · INV · ¥1.00\nA · INV · ¥1.00\nA · INV · ¥1.00\nB · INV-4 · ¥2.50");
  g_assert_cmpuint (g_strv_length (n->keys), ==, 4);
  g_assert_cmpstr (n->keys[3], ==, "due_soon:4:-1");
  g_assert_false (n->critical);
  g_clear_pointer (&notices, g_ptr_array_unref);

  /* Not all today: "soon". */
  g_ptr_array_add (reminders, reminder (BB_REMINDER_DUE_SOON, "due_soon:5:-3", "C", "INV-5", "2026-03-04", 100));
  notices = bb_notices_plan (reminders, cny, now);
  n = g_ptr_array_index (notices, 0);
  g_assert_cmpstr (n->summary, ==, "5 bills fall due soon");
  g_assert_true (g_str_has_suffix (n->body, "\nand 1 more"));
  g_clear_pointer (&notices, g_ptr_array_unref);

  /* Mixed kinds: counted by kind; a final stage makes the group critical. */
  r = reminder (BB_REMINDER_OVERDUE, "overdue:6:+60", "D", "INV-6", "2025-12-31", 100);
  r->wording = BB_REMINDER_FINAL;
  g_ptr_array_add (reminders, r);
  g_ptr_array_add (reminders, reminder (BB_REMINDER_FOLLOW_UP, "follow_up:8:2026-03-01", "E", "Call",
                                        "2026-03-01", -1));
  notices = bb_notices_plan (reminders, cny, now);
  n = g_ptr_array_index (notices, 0);
  g_assert_cmpstr (n->summary, ==, "7 reminders");
  g_assert_true (g_str_has_prefix (n->body, "5 bills due soon, 1 overdue bill, 1 follow-up\n"));
  g_assert_true (g_str_has_suffix (n->body, "\nand 3 more"));
  g_assert_true (n->critical);
  g_assert_cmpuint (g_strv_length (n->keys), ==, 7);
}

static void
test_snooze_until (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) now = g_date_time_new (tz, 2024, 2, 28, 23, 30, 0);
  g_autoptr(GDateTime) until = bb_notifier_snooze_until (now);
  g_autofree char *text = g_date_time_format (until, "%Y-%m-%d %H:%M:%S");

  g_assert_cmpstr (text, ==, "2024-02-29 09:00:00");
}

static void
test_autostart (void)
{
  g_autofree char *path = bb_autostart_get_path ();
  g_autofree char *expected = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "autostart",
                                                APP_ID ".desktop", NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;
  g_auto(GStrv) argv = NULL;

  g_assert_cmpstr (path, ==, expected);
  g_assert_false (bb_autostart_is_enabled ());

  /* Switched on: an entry the session runs. */
  g_assert_true (bb_autostart_set_enabled (TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bb_autostart_is_enabled ());
  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  exec = g_key_file_get_string (file, "Desktop Entry", "Exec", NULL);
  g_assert_cmpstr (exec, ==, "billbook --background");
  g_clear_pointer (&exec, g_free);
  g_assert_true (g_key_file_get_boolean (file, "Desktop Entry", "X-GNOME-Autostart-enabled", NULL));
  exec = g_key_file_get_string (file, "Desktop Entry", "Type", NULL);
  g_assert_cmpstr (exec, ==, "Application");
  g_clear_pointer (&exec, g_free);

  /* Another book: its path quoted as the Desktop Entry specification says. */
  g_assert_true (bb_autostart_set_enabled (TRUE, "/home/li/My \"Shop\" $1/book 100%.db", &error));
  g_assert_no_error (error);
  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error));
  exec = g_key_file_get_string (file, "Desktop Entry", "Exec", NULL);
  g_assert_cmpstr (exec, ==, "billbook --background --database \"/home/li/My \\\"Shop\\\" \\$1/book 100%%.db\"");
  g_assert_true (g_shell_parse_argv (exec, NULL, &argv, NULL));
  g_assert_cmpuint (g_strv_length (argv), ==, 4);

  /* Switched off: gone; off again is not an error. */
  g_assert_true (bb_autostart_set_enabled (FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (bb_autostart_is_enabled ());
  g_assert_true (bb_autostart_set_enabled (FALSE, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = g_dir_make_tmp ("test-notifier-XXXXXX", NULL);
  int rc;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  /* Before anything asks GLib for it. */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/notifier/bills", test_bills);
  g_test_add_func ("/notifier/other-kinds", test_other_kinds);
  g_test_add_func ("/notifier/grouping", test_grouping);
  g_test_add_func ("/notifier/snooze-until", test_snooze_until);
  g_test_add_func ("/autostart", test_autostart);

  rc = g_test_run ();

  {
    g_autofree char *dir = g_build_filename (config, "autostart", NULL);

    g_rmdir (dir);
    g_rmdir (config);
  }
  return rc;
}
