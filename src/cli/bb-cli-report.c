/* bb-cli-report.c — billbook-cli report
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   billbook-cli report aging [--as-of DATE]
 *   billbook-cli report collections|methods|classes [--from DATE] [--to DATE]
 *   billbook-cli report top [--from DATE] [--to DATE] [--limit N] [--by paid|billed|owed]
 *   billbook-cli report liability|on-time [--from DATE] [--to DATE]
 *   … [--format csv|png|pdf] [-o FILE]
 *
 * The same rows the reports page shows (bb-reports.c), as CSV; or the
 * chart and its table as PNG or PDF, drawn by the same code as the page's
 * Export (bb-report-doc.c).
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-cli.h"
#include "bb-report-doc.h"
#include "bb-reports.h"
#include "bb-text.h"

#define DEFAULT_TOP_LIMIT 10

static const char * const reports[] = {
  "aging", "collections", "methods", "top", "classes", "liability", "on-time",
};

static int
usage (void)
{
  g_printerr (_("Usage: billbook-cli report aging [--as-of DATE]\n"
                "       billbook-cli report collections|methods|classes|liability|on-time [--from DATE] [--to DATE]\n"
                "       billbook-cli report top [--from DATE] [--to DATE] [--limit N] [--by paid|billed|owed]\n"
                "       … [--format csv|png|pdf] [-o FILE]\n"));
  return 1;
}

static gboolean
is_report (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (reports); i++)
    if (g_str_equal (name, reports[i]))
      return TRUE;

  return FALSE;
}

int
bb_cli_report (BbDb  *db,
               int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(BbChart) chart = NULL;
  g_autoptr(BbReportTable) table = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  g_autofree char *as_of_text = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *by_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *format = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *note = NULL;
  const BbCurrency *currency;
  const char *report;
  gboolean aging, top;
  guint64 limit = DEFAULT_TOP_LIMIT;
  BbTopBy by = BB_TOP_BY_PAID;
  GDate as_of, from, to, today;
  const GDate *from_p, *to_p;

  GOptionEntry entries[] = {
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of_text,
      N_("aging: the day the report is for (default: today)"), N_("DATE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("the first day counted"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("the last day counted (liability, on-time: default today)"), N_("DATE") },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text,
      N_("top: how many customers (default 10; 0 for all)"), N_("N") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by_text,
      N_("top: rank by paid (the default), billed or owed"), N_("WHAT") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("csv (the default), or png or pdf: the chart and its table, with -o"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (readable by you only) instead of the standard output"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("aging|collections|methods|top|classes|liability|on-time"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Print a report as CSV with a header row: aging "
                                  "(customer_code,name,current,d1_30,d31_60,d61_90,d90_plus,total), "
                                  "collections (month,amount), methods (method,amount), "
                                  "top (customer_code,name,paid — or billed, owed), "
                                  "classes (class,customers,customers_percent,billed,billed_percent), "
                                  "liability (month,liability) or on-time (month,due,on_time,on_time_percent). "
                                  "With --format png or pdf, the chart and its table."));
  g_set_prgname ("billbook-cli report");

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("report: %s\n", error->message);
      return 1;
    }

  /* args[0] is "report" */
  if (g_strv_length (args) < 2)
    {
      g_printerr (_("report: say which report: aging, collections, methods, top, classes, liability or on-time\n"));
      return usage ();
    }
  report = args[1];
  if (!is_report (report))
    {
      g_printerr (_("report: unknown report “%s”; use aging, collections, methods, top, classes, liability "
                    "or on-time\n"), report);
      return 1;
    }
  if (g_strv_length (args) > 2)
    {
      g_printerr (_("report: unexpected argument “%s”\n"), args[2]);
      return 1;
    }
  aging = g_str_equal (report, "aging");
  top = g_str_equal (report, "top");

  if (format != NULL && !g_str_equal (format, "csv") && !g_str_equal (format, "png") &&
      !g_str_equal (format, "pdf"))
    {
      g_printerr (_("--format: “%s” is not a format; use csv, png or pdf\n"), format);
      return 1;
    }
  if (format != NULL && !g_str_equal (format, "csv") && (output == NULL || g_str_equal (output, "-")))
    {
      g_printerr (_("--format %s: say which file to write with -o FILE\n"), format);
      return 1;
    }

  /* Options that do not apply are refused, not ignored. */
  if (aging && (from_text != NULL || to_text != NULL))
    {
      g_printerr (_("report aging: --from and --to are for reports of a period; aging is as of one day, "
                    "given with --as-of\n"));
      return 1;
    }
  if (!aging && as_of_text != NULL)
    {
      g_printerr (_("report %s: --as-of is for aging; this report counts the days from --from to --to\n"),
                  report);
      return 1;
    }
  if (!top && (limit_text != NULL || by_text != NULL))
    {
      g_printerr (_("report %s: --limit and --by are for top\n"), report);
      return 1;
    }

  if (as_of_text != NULL && !bb_date_parse (as_of_text, "--as-of", &as_of, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if ((from_text != NULL && !bb_date_parse (from_text, "--from", &from, &error)) ||
      (to_text != NULL && !bb_date_parse (to_text, "--to", &to, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (from_text != NULL && to_text != NULL && g_date_compare (&from, &to) > 0)
    {
      g_printerr (_("--from: %s is after --to %s\n"), from_text, to_text);
      return 1;
    }
  if (limit_text != NULL && !bb_cli_parse_count ("--limit", limit_text, 0, 1000000, &limit, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (by_text != NULL && !bb_top_by_from_string (by_text, &by))
    {
      g_printerr (_("--by: “%s” is not a ranking; use paid, billed or owed\n"), by_text);
      return 1;
    }
  if (top && by == BB_TOP_BY_OWED && from_text != NULL)
    {
      g_printerr (_("report top --by owed: what is owed is as of one day, given with --to; --from does not "
                    "apply\n"));
      return 1;
    }

  bb_date_set_today (&today);
  if (!aging && as_of_text == NULL)
    as_of = today;
  from_p = from_text ? &from : NULL;
  to_p = to_text ? &to : NULL;
  /* What the cards hold and what was paid on time are known up to today. */
  if (to_p == NULL && (g_str_equal (report, "liability") || g_str_equal (report, "on-time")))
    to_p = &today;
  if (aging && as_of_text == NULL)
    as_of = today;

  currency = bb_business_get_currency (db);

  if (aging)
    {
      rows = bb_reports_aging (db, &as_of, &error);
      if (rows != NULL)
        {
          g_autofree char *day = bb_date_to_iso (&as_of);

          csv = bb_reports_aging_to_csv (rows, currency, &error);
          chart = bb_chart_new_aging (rows, currency);
          table = bb_report_table_new_aging (rows, currency);
          /* TRANSLATORS: the day an aging report is for */
          note = g_strdup_printf (_("As of %s"), day);
        }
    }
  else if (g_str_equal (report, "collections"))
    {
      rows = bb_reports_collections (db, from_p, to_p, &error);
      if (rows != NULL)
        {
          csv = bb_reports_collections_to_csv (rows, currency, &error);
          chart = bb_chart_new_collections (rows, currency);
          table = bb_report_table_new_collections (rows, currency);
        }
    }
  else if (g_str_equal (report, "methods"))
    {
      rows = bb_reports_methods (db, from_p, to_p, &error);
      if (rows != NULL)
        {
          csv = bb_reports_methods_to_csv (rows, currency, &error);
          chart = bb_chart_new_methods (rows, currency);
          table = bb_report_table_new_methods (rows, currency);
        }
    }
  else if (top)
    {
      rows = bb_reports_top (db, by, from_p, to_p, (guint) limit, &error);
      if (rows != NULL)
        {
          csv = bb_reports_top_to_csv (rows, by, currency, &error);
          chart = bb_chart_new_top (rows, by, currency);
          table = bb_report_table_new_top (rows, by, currency);
          if (by == BB_TOP_BY_OWED)
            {
              g_autofree char *day = bb_date_to_iso (to_p ? to_p : &today);

              note = g_strdup_printf (_("As of %s"), day);
            }
        }
    }
  else if (g_str_equal (report, "classes"))
    {
      rows = bb_reports_classes (db, from_p, to_p, &error);
      if (rows != NULL)
        {
          csv = bb_reports_classes_to_csv (rows, currency, &error);
          chart = bb_chart_new_classes (rows, currency);
          table = bb_report_table_new_classes (rows, currency);
        }
    }
  else if (g_str_equal (report, "liability"))
    {
      rows = bb_reports_liability (db, from_p, to_p, &error);
      if (rows != NULL)
        {
          csv = bb_reports_liability_to_csv (rows, currency, &error);
          chart = bb_chart_new_liability (rows, currency);
          table = bb_report_table_new_liability (rows, currency);
        }
    }
  else
    {
      rows = bb_reports_on_time (db, from_p, to_p, &today, &error);
      if (rows != NULL)
        {
          csv = bb_reports_on_time_to_csv (rows, &error);
          chart = bb_chart_new_on_time (rows);
          table = bb_report_table_new_on_time (rows);
        }
    }

  if (csv == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (format == NULL || g_str_equal (format, "csv"))
    {
      if (!bb_cli_write_output (output, csv, strlen (csv), &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      return 0;
    }

  if (note == NULL)
    note = bb_report_period_note (from_p, to_p);
  if (!(g_str_equal (format, "png")
        ? bb_report_write_png (chart, table, note, output, &error)
        : bb_report_write_pdf (chart, table, note, output, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  return 0;
}
