/* bb-cli-io.c — billbook-cli import and export
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   billbook-cli import customers FILE
 *   billbook-cli import invoices FILE
 *   billbook-cli import payments FILE
 *   billbook-cli import prepaid FILE
 *   billbook-cli import vcard FILE
 *   billbook-cli export customers [-o FILE]
 *   billbook-cli export invoices [-o FILE]
 *   billbook-cli export payments [-o FILE]
 *   billbook-cli export prepaid [-o FILE]
 *   billbook-cli export ics [-o FILE]      due dates and follow-ups (bb-ical.c)
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "bb-cli.h"
#include "bb-csv.h"
#include "bb-customer-io.h"
#include "bb-ical.h"
#include "bb-invoice-io.h"
#include "bb-payment-io.h"
#include "bb-prepaid-io.h"
#include "bb-vcard.h"

/* Standard output as a GOutputStream, so that an export is written as it
 * is read from the book instead of being gathered in memory first. */
#define BB_TYPE_STDOUT_STREAM (bb_stdout_stream_get_type ())
G_DECLARE_FINAL_TYPE (BbStdoutStream, bb_stdout_stream, BB, STDOUT_STREAM, GOutputStream)

struct _BbStdoutStream
{
  GOutputStream parent_instance;
};

G_DEFINE_FINAL_TYPE (BbStdoutStream, bb_stdout_stream, G_TYPE_OUTPUT_STREAM)

static gssize
bb_stdout_stream_write (GOutputStream  *stream,
                        const void     *buffer,
                        gsize           count,
                        GCancellable   *cancellable,
                        GError        **error)
{
  if (fwrite (buffer, 1, count, stdout) != count)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write to the standard output"));
      return -1;
    }

  return (gssize) count;
}

static gboolean
bb_stdout_stream_flush (GOutputStream  *stream,
                        GCancellable   *cancellable,
                        GError        **error)
{
  if (fflush (stdout) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write to the standard output"));
      return FALSE;
    }

  return TRUE;
}

static void
bb_stdout_stream_class_init (BbStdoutStreamClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  stream_class->write_fn = bb_stdout_stream_write;
  stream_class->flush = bb_stdout_stream_flush;
}

static void
bb_stdout_stream_init (BbStdoutStream *self)
{
}

/* Parses the options of one command; argv[0] is the command's name.
 * Returns the remaining arguments, or NULL after printing the problem. */
static GStrv
parse_command (int            argc,
               char         **argv,
               const char    *parameters,
               const char    *summary,
               GOptionEntry  *entries)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char *prgname = g_strdup_printf ("billbook-cli %s", argv[0]);

  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname (prgname);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return NULL;
    }

  return g_steal_pointer (&args);
}

static gboolean
load_file (const char            *path,
           BbCustomerFileFormat   format,
           GBytes               **out,
           GError               **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInfo) info = NULL;
  goffset limit = format == BB_CUSTOMER_FILE_VCARD ? BB_VCARD_MAX_FILE_BYTES
                                                   : (goffset) BB_CSV_MAX_FILE_BYTES;
  char *contents = NULL;
  gsize length = 0;

  /* Refuse a huge file before reading it into memory. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_size (info) > limit)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s: the file is larger than %u MiB"),
                   path, (guint) (limit / (1024 * 1024)));
      return FALSE;
    }

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return FALSE;

  *out = g_bytes_new_take (contents, length);
  return TRUE;
}

typedef gboolean (*ImportCsvFunc) (BbDb              *db,
                                   GBytes            *data,
                                   gboolean           dry_run,
                                   BbImportProgress   progress,
                                   gpointer           progress_data,
                                   GCancellable      *cancellable,
                                   BbImportReport   **report,
                                   GError           **error);

/* billbook-cli import invoices|payments|prepaid FILE */
static int
import_money (BbDb          *db,
              const char    *kind,
              const char    *path)
{
  g_autoptr(GBytes) data = NULL;
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean invoices = g_str_equal (kind, "invoices");
  gboolean prepaid = g_str_equal (kind, "prepaid");
  ImportCsvFunc import = invoices ? bb_invoices_import_csv
                       : prepaid ? bb_prepaid_import_csv
                       : bb_payments_import_csv;

  if (!load_file (path, BB_CUSTOMER_FILE_CSV, &data, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (!import (db, data, FALSE, NULL, NULL, NULL, &report, &error))
    {
      for (guint i = 0; report != NULL && i < report->problems->len; i++)
        {
          BbImportProblem *problem = g_ptr_array_index (report->problems, i);

          g_printerr ("%s\n", problem->message);
        }
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (invoices)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "Imported %u bill.\n",
                          "Imported %u bills.\n",
                          report->n_imported),
             report->n_imported);
  else if (prepaid)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "Imported %u prepaid entry.\n",
                          "Imported %u prepaid entries.\n",
                          report->n_imported),
             report->n_imported);
  else
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "Imported %u payment.\n",
                          "Imported %u payments.\n",
                          report->n_imported),
             report->n_imported);
  return 0;
}

int
bb_cli_import (BbDb  *db,
               int    argc,
               char **argv)
{
  g_autoptr(GBytes) data = NULL;
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  BbCustomerFileFormat format;
  const char *kind;

  args = parse_command (argc, argv, _("customers|invoices|payments|prepaid|vcard FILE"),
                        _("Import customers from a CSV or vCard file, or bills, payments or "
                          "prepaid card entries from a CSV file. A file with any bad row imports "
                          "nothing; every problem is listed by line."),
                        NULL);
  if (args == NULL)
    return 1;

  if (g_strv_length (args) < 2)
    {
      g_printerr (_("import: say what to import: customers, invoices, payments, prepaid or vcard\n"));
      return 1;
    }

  kind = args[1];
  if (g_str_equal (kind, "customers") || g_str_equal (kind, "invoices") ||
      g_str_equal (kind, "payments") || g_str_equal (kind, "prepaid"))
    format = BB_CUSTOMER_FILE_CSV;
  else if (g_str_equal (kind, "vcard"))
    format = BB_CUSTOMER_FILE_VCARD;
  else
    {
      g_printerr (_("import: unknown kind “%s”; use customers, invoices, payments, prepaid or vcard\n"), kind);
      return 1;
    }

  if (g_strv_length (args) != 3)
    {
      if (g_strv_length (args) < 3)
        g_printerr (_("import: name the file to import\n"));
      else
        g_printerr (_("import: unexpected argument “%s”\n"), args[3]);
      return 1;
    }

  if (g_str_equal (kind, "invoices") || g_str_equal (kind, "payments") || g_str_equal (kind, "prepaid"))
    return import_money (db, kind, args[2]);

  if (!load_file (args[2], format, &data, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (!bb_customers_import (db, data, format, FALSE, NULL, NULL, NULL, &report, &error))
    {
      for (guint i = 0; report != NULL && i < report->problems->len; i++)
        {
          BbImportProblem *problem = g_ptr_array_index (report->problems, i);

          g_printerr ("%s\n", problem->message);
        }
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "Imported %u customer.\n",
                        "Imported %u customers.\n",
                        report->n_imported),
           report->n_imported);
  return 0;
}

int
bb_cli_export (BbDb  *db,
               int    argc,
               char **argv)
{
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  const char *kind;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (readable by you only) instead of the standard output"), N_("FILE") },
    { NULL }
  };

  args = parse_command (argc, argv, _("customers|invoices|payments|prepaid|ics"),
                        _("Export as CSV with a header row; ics: the due dates of bills still owed "
                          "and the follow-ups as an iCalendar file for a calendar app."),
                        entries);
  if (args == NULL)
    return 1;

  if (g_strv_length (args) < 2)
    {
      g_printerr (_("export: say what to export: customers, invoices, payments, prepaid or ics\n"));
      return 1;
    }

  kind = args[1];
  if (!g_str_equal (kind, "customers") && !g_str_equal (kind, "invoices") &&
      !g_str_equal (kind, "payments") && !g_str_equal (kind, "prepaid") && !g_str_equal (kind, "ics"))
    {
      g_printerr (_("export: unknown kind “%s”; use customers, invoices, payments, prepaid or ics\n"), kind);
      return 1;
    }

  if (g_strv_length (args) > 2)
    {
      g_printerr (_("export: unexpected argument “%s”\n"), args[2]);
      return 1;
    }

  if (output != NULL && !g_str_equal (output, "-"))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);
      gboolean ok;

      if (g_str_equal (kind, "invoices"))
        ok = bb_invoices_export_csv_to_file (db, file, NULL, &error);
      else if (g_str_equal (kind, "payments"))
        ok = bb_payments_export_csv_to_file (db, file, NULL, &error);
      else if (g_str_equal (kind, "prepaid"))
        ok = bb_prepaid_export_csv_to_file (db, file, NULL, &error);
      else if (g_str_equal (kind, "ics"))
        ok = bb_ical_export_to_file (db, file, NULL, &error);
      else
        ok = bb_customers_export_csv_to_file (db, file, NULL, &error);

      if (!ok)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
  else
    {
      g_autoptr(GOutputStream) out = g_object_new (BB_TYPE_STDOUT_STREAM, NULL);
      gboolean ok;

      if (g_str_equal (kind, "invoices"))
        ok = bb_invoices_export_csv (db, out, NULL, &error);
      else if (g_str_equal (kind, "payments"))
        ok = bb_payments_export_csv (db, out, NULL, &error);
      else if (g_str_equal (kind, "prepaid"))
        ok = bb_prepaid_export_csv (db, out, NULL, &error);
      else if (g_str_equal (kind, "ics"))
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

          ok = bb_ical_export (db, out, now, NULL, &error);
        }
      else
        ok = bb_customers_export_csv (db, out, NULL, &error);

      if (!ok || !g_output_stream_flush (out, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }

  return 0;
}
