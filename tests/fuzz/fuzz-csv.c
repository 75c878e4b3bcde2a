/* fuzz-csv.c — libFuzzer target for the CSV reader and writer
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the input three ways (as plain records, with the customers
 * header required in full, and with only "name" required), continuing
 * after every error as an import does, and looks each record up by
 * column. Every record read is also written back with the writer (to a
 * string and to a stream, which must agree) and read again, which must
 * give the very same fields: so the fuzzer checks the reader and writer
 * against each other, not only for crashes. Last, the raw input is
 * written as a field, which the writer must refuse unless it is UTF-8.
 */

#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bb-csv.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char * const customer_columns[] = {
  "code", "name", "company", "phone", "email", "address", "tax_id",
  "class", "credit_limit", "payment_terms_days", "tags", "notes", NULL,
};

static const char * const name_only[] = { "name", NULL };

/* Every column but "name", optional. */
static const char * const customer_optional[] = {
  "code", "company", "phone", "email", "address", "tax_id",
  "class", "credit_limit", "payment_terms_days", "tags", "notes", NULL,
};

#define fuzz_check(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      { \
        g_printerr ("%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
        abort (); \
      } \
  } G_STMT_END

/* A warning or a g_return_if_fail() reached from hostile input is a bug
 * too. abort() rather than GLib's fatal-criticals, whose breakpoint trap
 * libFuzzer would not catch: it saves the input on SIGABRT. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();

  return result;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  return 0;
}

static void
check_error (const GError *error)
{
  fuzz_check (error != NULL);
  fuzz_check (error->domain == BB_CSV_ERROR);
  fuzz_check (error->message != NULL && *error->message != '\0');
  /* It ends up in a dialog: it must be UTF-8. */
  fuzz_check (g_utf8_validate (error->message, -1, NULL));
}

static void
check_fields (char **fields)
{
  guint n = g_strv_length (fields);
  gboolean any = FALSE;

  fuzz_check (n >= 1 && n <= BB_CSV_MAX_FIELDS);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *escaped = NULL;
      g_autofree char *unescaped = NULL;

      /* Decoded to UTF-8, line ends as "\n". */
      fuzz_check (g_utf8_validate (fields[i], -1, NULL));
      fuzz_check (strchr (fields[i], '\r') == NULL);
      fuzz_check (strlen (fields[i]) <= BB_CSV_MAX_FIELD_BYTES);
      any = any || *fields[i] != '\0';

      escaped = bb_csv_escape_formula (fields[i]);
      unescaped = bb_csv_unescape_formula (escaped);
      fuzz_check (g_str_equal (unescaped, fields[i]));
    }

  /* Rows of empty fields are skipped. */
  fuzz_check (any);
}

/* Writes @fields as one record and reads it back. With @escape, text
 * fields get formula protection on the way out and lose it on the way
 * in, as an export and a later import do. */
static void
check_round_trip (char     **fields,
                  gboolean   escape)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(BbCsvWriter) writer = bb_csv_writer_new_for_string (out);
  g_autoptr(BbCsvReader) reader = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) back = NULL;
  g_auto(GStrv) extra = NULL;
  g_autofree gboolean *mask = NULL;
  guint n = g_strv_length (fields);
  guint line = 0;

  mask = g_new0 (gboolean, n + 1);
  for (guint i = 0; i < n; i++)
    mask[i] = escape;

  fuzz_check (bb_csv_writer_write_row (writer, (const char * const *) fields, mask, &error));
  fuzz_check (error == NULL);
  fuzz_check (out->len > 0 && out->str[out->len - 1] == '\n');

  /* The stream writer writes the same bytes. */
  {
    g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
    g_autoptr(BbCsvWriter) stream_writer = bb_csv_writer_new (stream);
    GMemoryOutputStream *memory = G_MEMORY_OUTPUT_STREAM (stream);

    fuzz_check (bb_csv_writer_write_row (stream_writer, (const char * const *) fields, mask, &error));
    fuzz_check (g_memory_output_stream_get_data_size (memory) == out->len);
    fuzz_check (memcmp (g_memory_output_stream_get_data (memory), out->str, out->len) == 0);
  }

  bytes = g_bytes_new (out->str, out->len);
  reader = bb_csv_reader_new (bytes, &error);
  if (reader == NULL)
    {
      g_printerr ("re-reading %s failed: %s\n", out->str, error->message);
      abort ();
    }

  if (!bb_csv_reader_next (reader, &back, &line, &error))
    {
      g_printerr ("re-reading “%s” failed: %s\n", out->str,
                  error != NULL ? error->message : "no record");
      abort ();
    }
  fuzz_check (line == 1);

  if (g_strv_length (back) != n)
    {
      g_printerr ("%u fields written as “%s” read back as %u\n",
                  n, out->str, g_strv_length (back));
      abort ();
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *value = escape ? bb_csv_unescape_formula (back[i]) : g_strdup (back[i]);

      if (!g_str_equal (value, fields[i]))
        {
          g_printerr ("field %u “%s” written as “%s” read back as “%s”\n",
                      i + 1, fields[i], out->str, value);
          abort ();
        }
    }

  /* One record written, one read. */
  fuzz_check (!bb_csv_reader_next (reader, &extra, NULL, &error));
  fuzz_check (error == NULL && extra == NULL);
}

static void
check_columns (BbCsvReader  *reader,
               char        **fields)
{
  guint n = g_strv_length (fields);

  for (guint i = 0; customer_columns[i] != NULL; i++)
    {
      g_autofree char *upper = g_ascii_strup (customer_columns[i], -1);
      const char *value = bb_csv_reader_get_column (reader, fields, customer_columns[i]);
      const char *value_upper = bb_csv_reader_get_column (reader, fields, upper);
      gboolean found = FALSE;

      fuzz_check (value != NULL);
      /* Names are compared without case. */
      fuzz_check (value == value_upper || (*value == '\0' && *value_upper == '\0'));
      fuzz_check (bb_csv_reader_has_column (reader, customer_columns[i]) ==
                  bb_csv_reader_has_column (reader, upper));

      if (*value == '\0')
        continue;

      /* A non-empty value is one of the record's own fields. */
      for (guint j = 0; j < n && !found; j++)
        found = value == fields[j];
      fuzz_check (found);
      fuzz_check (bb_csv_reader_has_column (reader, customer_columns[i]));
    }

  fuzz_check (*bb_csv_reader_get_column (reader, fields, "no such column") == '\0');
  fuzz_check (*bb_csv_reader_get_column (reader, fields, NULL) == '\0');
  fuzz_check (*bb_csv_reader_get_column (reader, NULL, "name") == '\0');
  fuzz_check (!bb_csv_reader_has_column (reader, "no such column"));
}

/* Reads every record, going on after errors as an import that collects
 * all problems does. */
static void
read_records (BbCsvReader *reader,
              gboolean     with_header,
              gboolean     round_trip)
{
  guint last_line = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) fields = NULL;
      guint line = 0;

      if (!bb_csv_reader_next (reader, &fields, &line, &error))
        {
          fuzz_check (fields == NULL);
          if (error == NULL)
            break;
          check_error (error);
          continue;
        }

      fuzz_check (error == NULL);
      fuzz_check (fields != NULL);
      fuzz_check (line > last_line);
      last_line = line;

      check_fields (fields);
      if (with_header)
        check_columns (reader, fields);
      if (round_trip)
        {
          check_round_trip (fields, FALSE);
          check_round_trip (fields, TRUE);
        }
    }

  /* The end stays the end. */
  {
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) fields = NULL;

    fuzz_check (!bb_csv_reader_next (reader, &fields, NULL, &error));
    fuzz_check (error == NULL && fields == NULL);
  }
}

static BbCsvReader *
open_reader (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  BbCsvReader *reader = bb_csv_reader_new (bytes, &error);

  if (reader == NULL)
    {
      check_error (error);
      fuzz_check (error->code == BB_CSV_ERROR_ENCODING ||
                  error->code == BB_CSV_ERROR_TOO_LARGE);
    }
  else
    fuzz_check (error == NULL);

  return reader;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);

  /* 1. Plain records, each written back and read again. */
  {
    g_autoptr(BbCsvReader) reader = open_reader (bytes);

    if (reader == NULL)
      return 0;
    read_records (reader, FALSE, TRUE);
  }

  /* 2. The customers header, every column required. */
  {
    g_autoptr(BbCsvReader) reader = open_reader (bytes);
    g_autoptr(GError) error = NULL;

    fuzz_check (reader != NULL);
    if (bb_csv_reader_read_header (reader, customer_columns, &error))
      {
        for (guint i = 0; customer_columns[i] != NULL; i++)
          fuzz_check (bb_csv_reader_has_column (reader, customer_columns[i]));
        read_records (reader, TRUE, FALSE);
      }
    else
      check_error (error);
  }

  /* 3. Only "name" required, the other customer columns optional. */
  {
    g_autoptr(BbCsvReader) reader = open_reader (bytes);
    g_autoptr(GError) error = NULL;

    fuzz_check (reader != NULL);
    if (bb_csv_reader_read_header_full (reader, name_only, customer_optional, &error))
      {
        fuzz_check (bb_csv_reader_has_column (reader, "name"));
        read_records (reader, TRUE, FALSE);
      }
    else
      check_error (error);
  }

  /* 4. The writer refuses a field that is not UTF-8, and writes nothing
   * of its record then. */
  {
    g_autofree char *text = g_strndup ((const char *) data, size);
    g_autoptr(GString) out = g_string_new ("before\n");
    g_autoptr(BbCsvWriter) writer = bb_csv_writer_new_for_string (out);
    g_autoptr(GError) error = NULL;
    const char *row[] = { "first", text, NULL };
    gboolean ok = bb_csv_writer_write_row (writer, row, NULL, &error);

    if (g_utf8_validate (text, -1, NULL))
      fuzz_check (ok && error == NULL);
    else
      {
        fuzz_check (!ok);
        check_error (error);
        fuzz_check (error->code == BB_CSV_ERROR_ENCODING);
        fuzz_check (g_str_equal (out->str, "before\n"));
      }
  }

  return 0;
}
