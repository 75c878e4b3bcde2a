/* bb-cli-check.c — billbook-cli check
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "bb-check.h"
#include "bb-cli.h"

int
bb_cli_check (BbDb  *db,
               int    argc,
               char **argv)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  if (argc > 1)
    {
      g_printerr (_("check: unexpected argument “%s”\n"), argv[1]);
      return 1;
    }

  if (!bb_check_book (db, &problems, &error))
    {
      if (error != NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      for (guint i = 0; i < problems->len; i++)
        g_printerr ("%s\n", (const char *) g_ptr_array_index (problems, i));
      g_printerr (g_dngettext (GETTEXT_PACKAGE,
                               "The book has %u problem.\n",
                               "The book has %u problems.\n",
                               problems->len),
                  problems->len);
      return 1;
    }

  g_print (_("The book is sound: integrity ok, schema version %d, every balance agrees with its money rows.\n"),
           bb_db_get_schema_version (db));
  return 0;
}

gboolean
bb_cli_write_output (const char  *path,
                     const char  *text,
                     gsize        length,
                     GError     **error)
{
  if (path == NULL || g_str_equal (path, "-"))
    {
      if (fwrite (text, 1, length, stdout) != length || fflush (stdout) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write to the standard output"));
          return FALSE;
        }
      return TRUE;
    }

  return g_file_set_contents_full (path, text, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* Reads a whole number from @text, or says which option it was for. */
gboolean
bb_cli_parse_count (const char  *option,
                    const char  *text,
                    guint64      min,
                    guint64      max,
                    guint64     *out,
                    GError     **error)
{
  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, NULL))
    {
      if (max == G_MAXUINT64)
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                     _("%s: “%s” is not a whole number of 0 or more"), option, text);
      else
        {
          g_autofree char *low = g_strdup_printf ("%" G_GUINT64_FORMAT, min);
          g_autofree char *high = g_strdup_printf ("%" G_GUINT64_FORMAT, max);

          /* TRANSLATORS: "--customers: “x” is not a whole number from 1 to 1000000" */
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: “%s” is not a whole number from %s to %s"), option, text, low, high);
        }
      return FALSE;
    }

  return TRUE;
}
