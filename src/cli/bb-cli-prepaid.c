/* bb-cli-prepaid.c — billbook-cli prepaid statement CUSTOMER_CODE CARD -o FILE [--from D] [--to D]
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-cli.h"
#include "bb-customers.h"
#include "bb-prepaid.h"
#include "bb-prepaid-statement.h"

static int
usage (void)
{
  g_printerr (_("Usage: billbook-cli prepaid statement CUSTOMER_CODE CARD -o FILE [--from DATE] [--to DATE]\n"));
  return 1;
}

static int
prepaid_statement (BbDb  *db,
                   int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) customer = NULL;
  g_autoptr(BbPrepaidAccount) account = NULL;
  g_autoptr(GFile) file = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  g_autofree char *output = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the PDF to FILE"), N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("The first day, YYYY-MM-DD (default: the card’s first entry)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("The last day, YYYY-MM-DD (default: today)"), N_("DATE") },
    { NULL }
  };

  context = g_option_context_new (_("CUSTOMER_CODE CARD"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Write a prepaid card’s statement for a period as PDF, as the window does."));

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* args[0] is "statement" */
  if (g_strv_length (args) != 3 || output == NULL || *output == '\0')
    {
      if (g_strv_length (args) > 3)
        g_printerr (_("prepaid statement: unexpected argument “%s”\n"), args[3]);
      else if (g_strv_length (args) < 3)
        g_printerr (_("prepaid statement: say whose card, by the customer’s code and the card’s name\n"));
      else
        g_printerr (_("prepaid statement: say where to write the PDF with -o FILE\n"));
      return usage ();
    }

  customer = bb_customers_get_by_code (db, args[1], &error);
  if (customer == NULL)
    {
      if (g_error_matches (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND))
        g_printerr (_("There is no customer with the code “%s” in this book\n"), args[1]);
      else
        g_printerr ("%s\n", error->message);
      return 1;
    }

  account = bb_prepaid_find_account (db, customer->id, args[2], &error);
  if (account == NULL)
    {
      if (error == NULL || g_error_matches (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND))
        g_printerr (_("%s has no prepaid card called “%s”\n"), customer->code, args[2]);
      else
        g_printerr ("%s\n", error->message);
      return 1;
    }

  file = g_file_new_for_commandline_arg (output);
  if (!bb_prepaid_statement_write (db, account->id, from, to, file, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print (_("Wrote the statement of %s’s %s to %s.\n"), customer->code, account->name, output);
  return 0;
}

int
bb_cli_prepaid (BbDb  *db,
                int    argc,
                char **argv)
{
  /* argv[0] is "prepaid" */
  if (argc >= 2 && g_strcmp0 (argv[1], "statement") == 0)
    return prepaid_statement (db, argc - 1, argv + 1);

  if (argc >= 2 && g_strcmp0 (argv[1], "--help") != 0 && g_strcmp0 (argv[1], "-h") != 0)
    g_printerr (_("prepaid: unknown subcommand “%s”\n"), argv[1]);
  return usage ();
}
