/* bb-cli-remind.c — billbook-cli remind
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   billbook-cli remind [--as-of DATE] [-o FILE]
 *   billbook-cli remind [--as-of DATE] --notify
 *   billbook-cli remind letter CUSTOMER_CODE -o FILE [--as-of DATE] [--wording W]
 *
 * What the reminders page lists (bb-reminders.c), as CSV:
 * due_on,kind,customer_code,subject,amount. Reads only.
 *
 * With --notify, sends what was not notified yet as desktop notifications
 * through the app's notifier (bb-notifier.c): the same texts, grouping and
 * urgency, and the same record in the book of what was sent, so neither
 * sends a reminder the other sent. The command does not wait for the
 * owner to answer, so its notifications have no Open and Snooze buttons:
 * a process that is gone could not answer them. The desktop-entry hint
 * still names the app, so clicking one opens Billbook where the desktop
 * does so (GNOME Shell does).
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-cli.h"
#include "bb-customers.h"
#include "bb-dunning-pdf.h"
#include "bb-notifier.h"
#include "bb-reminders.h"
#include "bb-text.h"

/* billbook-cli remind letter CUSTOMER_CODE -o FILE [--as-of DATE]
 * [--wording polite|firm|final]: the dunning letter the Reminders page
 * saves, for the customer's bills still owing (bb-dunning-pdf.c). */
static int
remind_letter (BbDb  *db,
               int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(BbCustomer) customer = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  g_autofree char *as_of_text = NULL;
  g_autofree char *wording = NULL;
  g_autofree char *output = NULL;
  BbDunningOptions options;

  GOptionEntry entries[] = {
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of_text,
      N_("Date the letter DATE, and count the days overdue to it (default: today)"), N_("DATE") },
    { "wording", 0, 0, G_OPTION_ARG_STRING, &wording,
      N_("Word the letter polite, firm or final (default: by the dunning stage the bills reached)"), N_("WORDING") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the PDF to FILE (readable by you only)"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("CUSTOMER_CODE"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Write a dunning letter as PDF: the customer's bills still owing, "
                                  "the total, a new pay-by date and how to pay."));
  g_set_prgname ("billbook-cli remind letter");

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("remind letter: %s\n", error->message);
      return 1;
    }

  /* args[0] is "letter" */
  if (g_strv_length (args) != 2)
    {
      g_printerr (_("remind letter: give one customer code\n"));
      return 1;
    }
  if (output == NULL)
    {
      g_printerr (_("remind letter: give the PDF file to write with -o FILE\n"));
      return 1;
    }

  bb_dunning_options_from_settings (db, &options);
  if (wording != NULL)
    {
      options.auto_wording = FALSE;
      if (g_strcmp0 (wording, "polite") == 0)
        options.wording = BB_REMINDER_POLITE;
      else if (g_strcmp0 (wording, "firm") == 0)
        options.wording = BB_REMINDER_FIRM;
      else if (g_strcmp0 (wording, "final") == 0)
        options.wording = BB_REMINDER_FINAL;
      else
        {
          g_printerr (_("remind letter: --wording: “%s” is not polite, firm or final\n"), wording);
          return 1;
        }
    }

  if (as_of_text != NULL)
    {
      GDate as_of;

      if (!bb_date_parse (as_of_text, "--as-of", &as_of, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      now = g_date_time_new_local (g_date_get_year (&as_of), g_date_get_month (&as_of),
                                   g_date_get_day (&as_of), 12, 0, 0);
    }
  else
    now = g_date_time_new_now_local ();

  customer = bb_customers_get_by_code (db, args[1], &error);
  if (customer == NULL)
    {
      g_printerr ("remind letter: %s\n", error->message);
      return 1;
    }

  if (!bb_dunning_pdf_write (db, customer->id, now, &options, output, &error))
    {
      g_printerr ("remind letter: %s\n", error->message);
      return 1;
    }

  return 0;
}

int
bb_cli_remind (BbDb  *db,
               int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reminders = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  g_autofree char *as_of_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *csv = NULL;
  gboolean notify = FALSE;

  GOptionEntry entries[] = {
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of_text,
      N_("List what is due by the end of DATE (default: now)"), N_("DATE") },
    { "notify", 0, 0, G_OPTION_ARG_NONE, &notify,
      N_("Send the reminders not notified yet as desktop notifications, as the app does, instead of listing them"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (readable by you only) instead of the standard output"), N_("FILE") },
    { NULL }
  };

  if (argc > 1 && g_strcmp0 (argv[1], "letter") == 0)
    return remind_letter (db, argc - 1, argv + 1);

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("List the reminders that are due as CSV with a header row: "
                                  "due_on,kind,customer_code,subject,amount. Done and snoozed "
                                  "reminders are left out."));
  g_set_prgname ("billbook-cli remind");

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("remind: %s\n", error->message);
      return 1;
    }

  /* args[0] is "remind" */
  if (g_strv_length (args) > 1)
    {
      g_printerr (_("remind: unexpected argument “%s”\n"), args[1]);
      return 1;
    }

  if (notify && output != NULL)
    {
      g_printerr (_("remind: --notify sends notifications and writes no file; leave out --output\n"));
      return 1;
    }

  if (as_of_text != NULL)
    {
      GDate as_of;

      if (!bb_date_parse (as_of_text, "--as-of", &as_of, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      /* The end of that day: snoozes that run out during it are over. */
      now = g_date_time_new_local (g_date_get_year (&as_of), g_date_get_month (&as_of),
                                   g_date_get_day (&as_of), 23, 59, 59);
    }
  else
    now = g_date_time_new_now_local ();

  if (notify)
    {
      g_autoptr(BbNotifier) notifier = bb_notifier_new (db, BB_NOTIFIER_DEFAULT);

      if (!bb_notifier_check (notifier, now, NULL, &error))
        {
          g_printerr (_("remind: sending notifications failed: %s\n"), error->message);
          return 1;
        }
      return 0;
    }

  reminders = bb_reminders_compute (db, now, BB_REMINDERS_DEFAULT, &error);
  if (reminders != NULL)
    csv = bb_reminders_to_csv (reminders, bb_business_get_currency (db), &error);

  if (csv == NULL || !bb_cli_write_output (output, csv, strlen (csv), &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  return 0;
}
