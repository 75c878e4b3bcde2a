/* bb-cli-invoice.c — billbook-cli invoice pdf NUMBER -o FILE [--paper a4|letter]
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-cli.h"
#include "bb-invoice-pdf.h"
#include "bb-invoices.h"

static int
usage (void)
{
  g_printerr (_("Usage: billbook-cli invoice pdf NUMBER -o FILE [--paper a4|letter] [--words|--no-words]\n"));
  return 1;
}

static int
invoice_pdf (BbDb  *db,
             int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbInvoice) invoice = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  g_autofree char *output = NULL;
  g_autofree char *paper = NULL;
  gboolean words = FALSE;
  gboolean no_words = FALSE;
  BbInvoicePdfOptions options;

  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the PDF to FILE"), N_("FILE") },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper,
      N_("Paper size, a4 or letter (default: as in Preferences)"), N_("SIZE") },
    { "words", 0, 0, G_OPTION_ARG_NONE, &words,
      N_("Write the total in words too"), NULL },
    { "no-words", 0, 0, G_OPTION_ARG_NONE, &no_words,
      N_("Do not write the total in words"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("NUMBER"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Write a bill as PDF, as Print does."));

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* args[0] is "pdf" */
  if (g_strv_length (args) != 2 || output == NULL || *output == '\0')
    {
      if (g_strv_length (args) > 2)
        g_printerr (_("invoice pdf: unexpected argument “%s”\n"), args[2]);
      else if (g_strv_length (args) < 2)
        g_printerr (_("invoice pdf: say which bill, by its number\n"));
      else
        g_printerr (_("invoice pdf: say where to write the PDF with -o FILE\n"));
      return usage ();
    }

  bb_invoice_pdf_options_from_settings (db, &options);
  if (paper != NULL && !bb_paper_size_from_string (paper, &options.paper))
    {
      g_printerr (_("--paper: “%s” is not a paper size; use a4 or letter\n"), paper);
      return 1;
    }
  if (words)
    options.amount_in_words = TRUE;
  if (no_words)
    options.amount_in_words = FALSE;

  invoice = bb_invoices_get_by_number (db, args[1], &error);
  if (invoice == NULL)
    {
      if (g_error_matches (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND))
        g_printerr (_("There is no bill numbered “%s” in this book\n"), args[1]);
      else
        g_printerr ("%s\n", error->message);
      return 1;
    }

  if (!bb_invoice_pdf_write (db, invoice, &options, output, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print (_("Wrote bill %s to %s.\n"), invoice->number, output);
  return 0;
}

int
bb_cli_invoice (BbDb  *db,
                int    argc,
                char **argv)
{
  /* argv[0] is "invoice" */
  if (argc >= 2 && g_strcmp0 (argv[1], "pdf") == 0)
    return invoice_pdf (db, argc - 1, argv + 1);

  if (argc >= 2 && g_strcmp0 (argv[1], "--help") != 0 && g_strcmp0 (argv[1], "-h") != 0)
    g_printerr (_("invoice: unknown subcommand “%s”\n"), argv[1]);
  return usage ();
}
