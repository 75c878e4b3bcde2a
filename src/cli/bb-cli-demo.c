/* bb-cli-demo.c — billbook-cli demo [--customers N] [--invoices M] [--seed S]
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-cli.h"
#include "bb-demo.h"

#define DEFAULT_CUSTOMERS 50
#define DEFAULT_SEED      1

int
bb_cli_demo (BbDb  *db,
             int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  g_autofree char *customers_text = NULL;
  g_autofree char *invoices_text = NULL;
  g_autofree char *seed_text = NULL;
  guint64 customers = DEFAULT_CUSTOMERS;
  guint64 invoices = 0;
  guint64 seed = DEFAULT_SEED;
  g_autofree char *customers_made = NULL;
  g_autofree char *bills_made = NULL;
  guint n_bills;
  BbDemoOptions options = { 0 };

  GOptionEntry entries[] = {
    { "customers", 0, 0, G_OPTION_ARG_STRING, &customers_text,
      N_("Make N customers (default 50, at most 1000000)"), N_("N") },
    { "invoices", 0, 0, G_OPTION_ARG_STRING, &invoices_text,
      N_("Make M bills (default 6 for each customer, at most 10000000)"), N_("M") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Start from seed S: the same seed makes the same book (default 1)"), N_("S") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Fill an empty book with realistic sample data."));

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (g_strv_length (args) > 1)
    {
      g_printerr (_("demo: unexpected argument “%s”\n"), args[1]);
      return 1;
    }

  if ((customers_text != NULL &&
       !bb_cli_parse_count ("--customers", customers_text, 1, BB_DEMO_MAX_CUSTOMERS, &customers, &error)) ||
      (invoices_text != NULL &&
       !bb_cli_parse_count ("--invoices", invoices_text, 1, BB_DEMO_MAX_INVOICES, &invoices, &error)) ||
      (seed_text != NULL &&
       !bb_cli_parse_count ("--seed", seed_text, 0, G_MAXUINT64, &seed, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  options.n_customers = (guint) customers;
  /* 0: BB_DEMO_INVOICES_PER_CUSTOMER for each customer */
  options.n_invoices = (guint) invoices;
  options.seed = seed;
  options.today = NULL;

  if (!bb_demo_generate (db, &options, NULL, NULL, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  n_bills = options.n_invoices > 0 ? options.n_invoices
                                    : options.n_customers * BB_DEMO_INVOICES_PER_CUSTOMER;
  customers_made = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u sample customer",
                                                 "%u sample customers",
                                                 options.n_customers),
                                    options.n_customers);
  bills_made = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u bill", "%u bills", n_bills),
                                n_bills);
  /* TRANSLATORS: "Made 50 sample customers and 300 bills." */
  g_print (_("Made %s and %s.\n"), customers_made, bills_made);
  return 0;
}
