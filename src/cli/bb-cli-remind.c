/* bb-cli-remind.c — billbook-cli remind
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   billbook-cli remind [--as-of DATE] [-o FILE]
 *
 * What the reminders page lists (bb-reminders.c), as CSV:
 * due_on,kind,customer_code,subject,amount. Reads only.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-cli.h"
#include "bb-reminders.h"
#include "bb-text.h"

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
      N_("Send the reminders as desktop notifications (done by the app)"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (readable by you only) instead of the standard output"), N_("FILE") },
    { NULL }
  };

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

  if (notify)
    {
      g_printerr (_("remind: --notify: notifications are sent by the app; "
                    "this command only lists the reminders\n"));
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
