/* bb-cli-report.c — billbook-cli report
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   billbook-cli report aging [--as-of DATE] [-o FILE]
 *   billbook-cli report collections [--from DATE] [--to DATE] [-o FILE]
 *
 * The same rows the reports page shows (bb-reports.c), as CSV.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-cli.h"
#include "bb-reports.h"
#include "bb-text.h"

static int
usage (void)
{
  g_printerr (_("Usage: billbook-cli report aging [--as-of DATE] [-o FILE]\n"
                "       billbook-cli report collections [--from DATE] [--to DATE] [-o FILE]\n"));
  return 1;
}

/* Reads the date of option @option, or says what is wrong with it. */
static gboolean
parse_date_option (const char  *option,
                   const char  *text,
                   GDate       *date,
                   GError     **error)
{
  return bb_date_parse (text, option, date, error);
}

int
bb_cli_report (BbDb  *db,
               int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  g_autofree char *as_of_text = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *format = NULL;
  g_autofree char *csv = NULL;
  const BbCurrency *currency;
  const char *report;
  GDate as_of, from, to;

  GOptionEntry entries[] = {
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of_text,
      N_("aging: the day the report is for (default: today)"), N_("DATE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("collections: the first day counted"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("collections: the last day counted"), N_("DATE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("csv (the default; charts as png or pdf are not available yet)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (readable by you only) instead of the standard output"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("aging|collections"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Print a report as CSV with a header row: aging "
                                  "(customer_code,name,current,d1_30,d31_60,d61_90,d90_plus,total) "
                                  "or collections (month,amount)."));
  g_set_prgname ("billbook-cli report");

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("report: %s\n", error->message);
      return 1;
    }

  /* args[0] is "report" */
  if (g_strv_length (args) < 2)
    {
      g_printerr (_("report: say which report: aging or collections\n"));
      return usage ();
    }
  report = args[1];
  if (!g_str_equal (report, "aging") && !g_str_equal (report, "collections"))
    {
      g_printerr (_("report: unknown report “%s”; use aging or collections\n"), report);
      return 1;
    }
  if (g_strv_length (args) > 2)
    {
      g_printerr (_("report: unexpected argument “%s”\n"), args[2]);
      return 1;
    }

  if (format != NULL && !g_str_equal (format, "csv"))
    {
      if (g_str_equal (format, "png") || g_str_equal (format, "pdf"))
        g_printerr (_("--format: reports as %s are not available yet; use csv\n"), format);
      else
        g_printerr (_("--format: “%s” is not a format; use csv\n"), format);
      return 1;
    }

  currency = bb_business_get_currency (db);

  if (g_str_equal (report, "aging"))
    {
      if (from_text != NULL || to_text != NULL)
        {
          g_printerr (_("report aging: --from and --to are for collections; aging is as of one day, "
                        "given with --as-of\n"));
          return 1;
        }

      if (as_of_text != NULL)
        {
          if (!parse_date_option ("--as-of", as_of_text, &as_of, &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
        }
      else
        bb_date_set_today (&as_of);

      rows = bb_reports_aging (db, &as_of, &error);
      if (rows != NULL)
        csv = bb_reports_aging_to_csv (rows, currency, &error);
    }
  else
    {
      if (as_of_text != NULL)
        {
          g_printerr (_("report collections: --as-of is for aging; collections counts the days "
                        "from --from to --to\n"));
          return 1;
        }

      if ((from_text != NULL && !parse_date_option ("--from", from_text, &from, &error)) ||
          (to_text != NULL && !parse_date_option ("--to", to_text, &to, &error)))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      if (from_text != NULL && to_text != NULL && g_date_compare (&from, &to) > 0)
        {
          g_printerr (_("--from: %s is after --to %s\n"), from_text, to_text);
          return 1;
        }

      rows = bb_reports_collections (db, from_text ? &from : NULL, to_text ? &to : NULL, &error);
      if (rows != NULL)
        csv = bb_reports_collections_to_csv (rows, currency, &error);
    }

  if (csv == NULL || !bb_cli_write_output (output, csv, strlen (csv), &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  return 0;
}
