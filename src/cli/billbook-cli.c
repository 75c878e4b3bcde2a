/* billbook-cli.c — the book from a terminal
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thin: parses arguments, calls core, prints CSV. Exit status 0 on
 * success, 1 with a message on stderr naming the problem otherwise.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "bb-cli.h"

typedef int (*CommandFunc) (BbDb *db, int argc, char **argv);

typedef struct
{
  const char  *name;
  const char  *usage;
  const char  *summary;
  CommandFunc  func;
} Command;

static const Command commands[] = {
  { "check", "check", N_("Check integrity, schema version and balances"), bb_cli_check },
  { "import", "import customers|invoices|payments|prepaid|vcard FILE", N_("Import a file; a file with any bad row imports nothing"), bb_cli_import },
  { "export", "export customers|invoices|payments|prepaid|ics [-o FILE]", N_("Export as CSV, or due dates as a calendar"), bb_cli_export },
  { "balance", "balance [CUSTOMER_CODE]", N_("What each prepaid card holds, as CSV"), bb_cli_balance },
  { "prepaid", "prepaid statement CUSTOMER_CODE CARD -o FILE [--from D] [--to D]", N_("Write a prepaid card’s statement for a period as PDF"), bb_cli_prepaid },
  /* One command, several reports: a line of help each. */
  { "report", "report aging [--as-of DATE]", N_("What customers owe, by days past due, as CSV"), bb_cli_report },
  { "report", "report collections [--from D] [--to D]", N_("Money received per month, as CSV"), bb_cli_report },
  { "report", "report methods|classes [--from D] [--to D]", N_("Payments by method; A/B/C customers and what they were billed"), bb_cli_report },
  { "report", "report top [--by paid|billed|owed] [--limit N]", N_("The customers who paid, were billed or owe the most"), bb_cli_report },
  { "report", "report liability|on-time [--from D] [--to D]", N_("Prepaid cards’ balance at month ends; bills paid by their due date"), bb_cli_report },
  { "report", "report … --format png|pdf -o FILE", N_("A report’s chart and table as an image or a PDF"), bb_cli_report },
  { "invoice", "invoice pdf NUMBER -o FILE", N_("Write a bill as PDF, as Print does"), bb_cli_invoice },
  { "recur", "recur [--as-of DATE]", N_("Make draft bills for the recurring charges due, never twice"), bb_cli_recur },
  { "recur", "recur add|list|stop", N_("Add, list (as CSV) or stop recurring charges; “recur --help” says how"), bb_cli_recur },
  { "remind", "remind [--as-of DATE] [--notify]", N_("What is due: bills, follow-ups, prepaid cards, recurring charges, reviews, as CSV"), bb_cli_remind },
  { "remind", "remind letter CUSTOMER_CODE -o FILE", N_("Write a dunning letter for what a customer owes, as PDF"), bb_cli_remind },
  { "demo", "demo [--customers N] [--seed S]", N_("Fill the book with realistic sample data"), bb_cli_demo },
  { "backup", "backup FILE", N_("Copy the whole book to FILE, safely while in use"), bb_cli_backup },
  { "restore", "restore FILE", N_("Replace the book with a backup (the book as it was is kept)"), bb_cli_restore },
  { "bench", "bench [--queries N]", N_("Time search, lists, reports and PDF on this book beside SQLite’s own time"), bb_cli_bench },
};

static char *
build_summary (void)
{
  GString *s = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (s, "\n  %-46s %s", commands[i].usage, _(commands[i].summary));

  return g_string_free (s, FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbDb) db = NULL;
  g_autofree char *database = NULL;
  g_autofree char *summary = NULL;
  g_auto(GStrv) args = NULL;
  gboolean version = FALSE;
  const Command *command = NULL;
  int n_args;

  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("Use the book in FILE instead of the default one"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  bb_db_tune_malloc ();
  setlocale (LC_ALL, "");
  /* BILLBOOK_LOCALEDIR: translations of an uninstalled build, for tests */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BILLBOOK_LOCALEDIR") ? g_getenv ("BILLBOOK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  args = g_strdupv (argv);
  n_args = argc;

  context = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Options after the command belong to the command. */
  g_option_context_set_strict_posix (context, TRUE);
  summary = build_summary ();
  g_option_context_set_summary (context, _("Keep a shop’s customers, bills and prepaid balances."));
  g_option_context_set_description (context, summary);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  n_args = (int) g_strv_length (args);

  if (version)
    {
      g_print ("billbook-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (n_args < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (args[1], commands[i].name) == 0)
      command = &commands[i];

  if (command == NULL)
    {
      g_printerr (_("Unknown command “%s”. Run “billbook-cli --help” for the list.\n"), args[1]);
      return 1;
    }

  if (database == NULL)
    database = bb_db_get_default_path ();

  db = bb_db_open (database, &error);
  if (db == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  return command->func (db, n_args - 1, args + 1);
}
