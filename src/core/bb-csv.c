/* bb-csv.c — RFC 4180 CSV reader and writer
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bb-csv.h"
#include "bb-text.h"

/*
 * The reader works on the whole file in memory, decoded to UTF-8 with
 * every line end turned into "\n" (also inside quoted fields), and
 * indexes it with bounds checks only: it never relies on a terminating
 * NUL, so it is safe to feed arbitrary bytes (it is fuzzed).
 *
 * A record is always consumed completely, even when it is bad, so after
 * a syntax error the caller may keep calling bb_csv_reader_next() to
 * collect the errors of later lines. Only an unterminated quoted field
 * leaves the reader at the end of the data.
 */

struct _BbCsvReader
{
  GBytes     *bytes;      /* holds text when the input needed no change */
  char       *owned;      /* or text is this decoded copy */
  const char *text;
  gsize       len;
  gsize       pos;
  guint       line;       /* physical line at pos, 1-based */

  char      **columns;    /* header: canonical name per column */
  guint       n_columns;
  gboolean    names_only;   /* columns named by bb_csv_reader_name_columns(): for messages */
  GHashTable *column_index; /* canonical name → index + 1 */

  GString    *scratch;
};

struct _BbCsvWriter
{
  GOutputStream *stream;
  GString       *out;     /* not owned */
  GString       *buffer;
};

G_DEFINE_QUARK (bb-csv-error-quark, bb_csv_error)

static const char utf8_bom[] = "\xEF\xBB\xBF";

/* Encoding */

/* 1-based line of byte offset @offset, counting "\r\n", "\r" and "\n". */
static guint
line_at_offset (const char *data,
                gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        line++;
      else if (data[i] == '\r' && !(i + 1 < offset && data[i + 1] == '\n'))
        line++;
    }

  return line;
}

/* Copies @len bytes of @data turning "\r\n" and "\r" into "\n". */
static char *
normalise_line_ends (const char *data,
                     gsize       len,
                     gsize      *out_len)
{
  char *out = g_malloc (len + 1);
  gsize j = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\r')
        {
          out[j++] = '\n';
          if (i + 1 < len && data[i + 1] == '\n')
            i++;
        }
      else
        out[j++] = data[i];
    }
  out[j] = '\0';
  *out_len = j;

  return out;
}

/* Which field of its line the byte at @offset is in, from 0: the commas
 * outside quotes between the start of the line and @offset. */
static guint
field_at_offset (const char *data,
                 gsize       offset,
                 gsize      *line_start)
{
  gsize start = offset;
  gboolean quoted = FALSE;
  guint field = 0;

  while (start > 0 && data[start - 1] != '\n' && data[start - 1] != '\r')
    start--;
  for (gsize i = start; i < offset; i++)
    {
      if (data[i] == '"')
        quoted = !quoted;
      else if (data[i] == ',' && !quoted)
        field++;
    }

  *line_start = start;
  return field;
}

/* For a file that is not text: "column “phone”" for the byte at @offset
 * when the first line is a header of UTF-8 text with that column (a
 * statement's one-field preamble line is not), else "field 4". */
static char *
raw_field_label (const char *data,
                 gsize       len,
                 gsize       offset)
{
  gsize line_start, first_end = 0;
  guint index = field_at_offset (data, offset, &line_start);

  while (first_end < len && data[first_end] != '\n' && data[first_end] != '\r')
    first_end++;

  if (line_start > 0 && g_utf8_validate_len (data, first_end, NULL))
    {
      g_autoptr(GBytes) header = g_bytes_new (data, first_end);
      g_autoptr(BbCsvReader) reader = bb_csv_reader_new (header, NULL);
      g_auto(GStrv) names = NULL;

      if (reader != NULL && bb_csv_reader_next (reader, &names, NULL, NULL) &&
          g_strv_length (names) > 1 && index < g_strv_length (names))
        {
          g_autofree char *name = bb_text_strip (names[index]);

          if (*name != '\0')
            return g_strdup_printf (_("column “%s”"), name);
        }
    }

  return g_strdup_printf (_("field %u"), index + 1);
}

static gboolean
reader_set_text (BbCsvReader  *self,
                 GBytes       *bytes,
                 GError      **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  const char *end = NULL;

  if (len > BB_CSV_MAX_FILE_BYTES)
    {
      g_set_error (error, BB_CSV_ERROR, BB_CSV_ERROR_TOO_LARGE,
                   _("The file is larger than %u MiB"),
                   (guint) (BB_CSV_MAX_FILE_BYTES / (1024 * 1024)));
      return FALSE;
    }

  if (data == NULL)
    data = "";

  if (len >= 3 && memcmp (data, utf8_bom, 3) == 0)
    {
      data += 3;
      len -= 3;
    }

  /* g_utf8_validate_len() also refuses NUL bytes. */
  if (g_utf8_validate_len (data, len, &end))
    {
      if (memchr (data, '\r', len) == NULL)
        {
          self->bytes = g_bytes_ref (bytes);
          self->text = data;
          self->len = len;
        }
      else
        {
          self->owned = normalise_line_ends (data, len, &self->len);
          self->text = self->owned;
        }
    }
  else
    {
      g_autofree char *converted = NULL;
      gsize written = 0;
      const char *conv = NULL;
      gsize conv_len = 0;

      /* Not UTF-8: spreadsheet programs in China save GB18030. */
      converted = g_convert (data, len, "UTF-8", "GB18030", NULL, &written, NULL);
      conv = converted;
      conv_len = written;
      if (conv != NULL && conv_len >= 3 && memcmp (conv, utf8_bom, 3) == 0)
        {
          conv += 3;
          conv_len -= 3;
        }

      if (conv == NULL || !g_utf8_validate_len (conv, conv_len, NULL))
        {
          gsize offset = (gsize) (end - data);
          g_autofree char *label = raw_field_label (data, len, offset);

          g_set_error (error, BB_CSV_ERROR, BB_CSV_ERROR_ENCODING,
                       _("Line %u, %s: not UTF-8 or GB18030 text; save the file as “CSV UTF-8” and try again"),
                       line_at_offset (data, offset), label);
          return FALSE;
        }

      self->owned = normalise_line_ends (conv, conv_len, &self->len);
      self->text = self->owned;
    }

  return TRUE;
}

/* Reader */

static BbCsvReader *
reader_alloc (void)
{
  BbCsvReader *self = g_new0 (BbCsvReader, 1);

  self->line = 1;
  self->scratch = g_string_new (NULL);

  return self;
}

/**
 * bb_csv_reader_new:
 * @data: the raw bytes of a CSV file
 * @error: return location for an error
 *
 * Prepares to read @data. A UTF-8 byte order mark is skipped; bytes that
 * are not valid UTF-8 are read as GB18030 when they are valid GB18030,
 * otherwise %BB_CSV_ERROR_ENCODING names the first line that is not UTF-8.
 * "\r\n" and "\r" line ends become "\n", also inside quoted fields.
 *
 * Returns: (transfer full): a reader, or %NULL with @error set
 */
BbCsvReader *
bb_csv_reader_new (GBytes  *data,
                   GError **error)
{
  g_autoptr(BbCsvReader) self = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = reader_alloc ();
  if (!reader_set_text (self, data, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * bb_csv_reader_new_for_file:
 * @file: a CSV file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Loads @file and calls bb_csv_reader_new() on its contents. Files over
 * %BB_CSV_MAX_FILE_BYTES are refused with %BB_CSV_ERROR_TOO_LARGE before
 * they are read.
 *
 * Returns: (transfer full): a reader, or %NULL with @error set
 */
BbCsvReader *
bb_csv_reader_new_for_file (GFile         *file,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE) &&
      g_file_info_get_size (info) > (goffset) BB_CSV_MAX_FILE_BYTES)
    {
      g_set_error (error, BB_CSV_ERROR, BB_CSV_ERROR_TOO_LARGE,
                   _("The file is larger than %u MiB"),
                   (guint) (BB_CSV_MAX_FILE_BYTES / (1024 * 1024)));
      return NULL;
    }

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
    return NULL;

  bytes = g_bytes_new_take (contents, length);

  return bb_csv_reader_new (bytes, error);
}

/**
 * bb_csv_reader_free:
 * @reader: (nullable): a reader
 */
void
bb_csv_reader_free (BbCsvReader *reader)
{
  if (reader == NULL)
    return;

  g_clear_pointer (&reader->bytes, g_bytes_unref);
  g_clear_pointer (&reader->owned, g_free);
  g_clear_pointer (&reader->columns, g_strfreev);
  g_clear_pointer (&reader->column_index, g_hash_table_unref);
  g_string_free (reader->scratch, TRUE);
  g_free (reader);
}

/* "column “phone”" once the header is known, else "field 3". */
static char *
field_label (BbCsvReader *self,
             guint        index)
{
  if (index < self->n_columns && *self->columns[index] != '\0')
    return g_strdup_printf (_("column “%s”"), self->columns[index]);

  return g_strdup_printf (_("field %u"), index + 1);
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* Appends text[from, to) to the scratch field unless that would pass the
 * field limit, in which case *too_large is set and nothing more is kept. */
static void
scratch_append (BbCsvReader *self,
                gsize        from,
                gsize        to,
                gboolean    *too_large)
{
  gsize n = to - from;

  if (*too_large)
    return;

  if (self->scratch->len + n > BB_CSV_MAX_FIELD_BYTES)
    {
      *too_large = TRUE;
      return;
    }

  g_string_append_len (self->scratch, self->text + from, (gssize) n);
}

/* Parses one record from self->pos, which must be < self->len, always up to
 * its end. On a problem the first error is returned and fields is left
 * partly filled. */
static gboolean
parse_record (BbCsvReader  *self,
              GPtrArray    *fields,
              GError      **error)
{
  const char *text = self->text;
  gsize len = self->len;
  guint index = 0;
  GError *first = NULL;

  for (;;)
    {
      gsize p = self->pos;
      gboolean too_large = FALSE;

      g_string_truncate (self->scratch, 0);

      /* Blanks before an opening quote are allowed: a, "b, c" */
      while (p < len && is_blank (text[p]))
        p++;

      if (p < len && text[p] == '"')
        {
          guint quote_line = self->line;
          gboolean closed = FALSE;

          self->pos = p + 1;
          while (self->pos < len)
            {
              gsize stop = self->pos;

              /* Copy the run up to the next quote in one go. */
              while (stop < len && text[stop] != '"')
                {
                  if (text[stop] == '\n')
                    self->line++;
                  stop++;
                }
              scratch_append (self, self->pos, stop, &too_large);
              self->pos = stop;

              if (stop >= len)
                break;

              if (stop + 1 < len && text[stop + 1] == '"')
                {
                  scratch_append (self, stop, stop + 1, &too_large);
                  self->pos = stop + 2;
                  continue;
                }

              self->pos = stop + 1;
              closed = TRUE;
              break;
            }

          if (!closed)
            {
              g_autofree char *label = field_label (self, index);

              g_clear_error (&first);
              g_set_error (error, BB_CSV_ERROR, BB_CSV_ERROR_SYNTAX,
                           _("Line %u, %s: the quote (“\"”) that opens this field is never closed"),
                           quote_line, label);
              self->pos = len;
              return FALSE;
            }

          while (self->pos < len && is_blank (text[self->pos]))
            self->pos++;

          if (self->pos < len && text[self->pos] != ',' && text[self->pos] != '\n')
            {
              if (first == NULL)
                {
                  g_autofree char *label = field_label (self, index);

                  g_set_error (&first, BB_CSV_ERROR, BB_CSV_ERROR_SYNTAX,
                               _("Line %u, %s: unexpected text after the closing quote (“\"”); "
                                 "a quote inside a quoted field is written twice (“\"\"”)"),
                               self->line, label);
                }
              while (self->pos < len && text[self->pos] != ',' && text[self->pos] != '\n')
                self->pos++;
            }
        }
      else
        {
          gsize start = self->pos;

          p = start;
          while (p < len && text[p] != ',' && text[p] != '\n')
            {
              if (text[p] == '"' && first == NULL)
                {
                  g_autofree char *label = field_label (self, index);

                  g_set_error (&first, BB_CSV_ERROR, BB_CSV_ERROR_SYNTAX,
                               _("Line %u, %s: a quote (“\"”) inside a field that does not start with one; "
                                 "put the whole field in quotes and write the quote twice (“\"\"”)"),
                               self->line, label);
                }
              p++;
            }
          self->pos = p;
          scratch_append (self, start, p, &too_large);
        }

      if (too_large && first == NULL)
        {
          g_autofree char *label = field_label (self, index);

          g_set_error (&first, BB_CSV_ERROR, BB_CSV_ERROR_TOO_LARGE,
                       _("Line %u, %s: the field is longer than %u MiB"),
                       self->line, label, (guint) (BB_CSV_MAX_FIELD_BYTES / (1024 * 1024)));
        }

      if (index >= BB_CSV_MAX_FIELDS)
        {
          if (first == NULL)
            g_set_error (&first, BB_CSV_ERROR, BB_CSV_ERROR_TOO_LARGE,
                         _("Line %u: the record has more than %u fields"),
                         self->line, (guint) BB_CSV_MAX_FIELDS);
        }
      else if (first == NULL)
        g_ptr_array_add (fields, g_strndup (self->scratch->str, self->scratch->len));

      index++;

      if (self->pos < len && text[self->pos] == ',')
        {
          self->pos++;
          continue;
        }

      if (self->pos < len && text[self->pos] == '\n')
        {
          self->pos++;
          self->line++;
        }
      break;
    }

  if (first != NULL)
    {
      g_propagate_error (error, first);
      return FALSE;
    }

  return TRUE;
}

/**
 * bb_csv_reader_next:
 * @reader: a reader
 * @fields: (out) (transfer full) (array zero-terminated=1): the fields of
 *   the record, to free with g_strfreev(); %NULL when %FALSE is returned
 * @line: (out) (optional): the 1-based physical line where the record
 *   starts (a quoted field may span several lines)
 * @error: return location for an error
 *
 * Reads the next record. Blank lines and rows whose fields are all empty
 * (",,,", as spreadsheets write them) are skipped. Once a header was read,
 * a record with more non-empty fields than the header has columns is a
 * %BB_CSV_ERROR_SYNTAX error; fewer fields are fine (missing ones read as
 * "").
 *
 * The bad record of an error is consumed whole, so calling again goes on
 * with the next one; after an unterminated quote the reader is at the end.
 *
 * Returns: %TRUE if a record was read; %FALSE at the end (@error unset)
 *   or on an error naming the line (@error set)
 */
gboolean
bb_csv_reader_next (BbCsvReader   *reader,
                    char        ***fields,
                    guint         *line,
                    GError       **error)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *fields = NULL;

  while (reader->pos < reader->len)
    {
      g_autoptr(GPtrArray) record = g_ptr_array_new_with_free_func (g_free);
      guint record_line = reader->line;
      gboolean all_empty = TRUE;

      if (line != NULL)
        *line = record_line;

      if (!parse_record (reader, record, error))
        return FALSE;

      for (guint i = 0; i < record->len; i++)
        {
          if (*(const char *) g_ptr_array_index (record, i) != '\0')
            {
              all_empty = FALSE;
              break;
            }
        }
      if (all_empty)
        continue;

      if (reader->columns != NULL && !reader->names_only && record->len > reader->n_columns)
        {
          for (guint i = reader->n_columns; i < record->len; i++)
            {
              if (*(const char *) g_ptr_array_index (record, i) != '\0')
                {
                  g_set_error (error, BB_CSV_ERROR, BB_CSV_ERROR_SYNTAX,
                               _("Line %u has %u fields, but the header has %u columns; "
                                 "is a field with a comma missing its quotes?"),
                               record_line, record->len, reader->n_columns);
                  return FALSE;
                }
            }
        }

      g_ptr_array_add (record, NULL);
      *fields = (char **) g_ptr_array_free (g_steal_pointer (&record), FALSE);
      return TRUE;
    }

  return FALSE;
}

static const char *
find_expected (const char * const *names,
               const char         *name)
{
  if (names == NULL)
    return NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (names[i], name) == 0)
        return names[i];
    }

  return NULL;
}

static void
append_quoted_list (GString *list,
                    const char *name)
{
  if (list->len > 0)
    g_string_append (list, ", ");
  /* TRANSLATORS: a column name in a list of names */
  g_string_append_printf (list, _("“%s”"), name);
}

/**
 * bb_csv_reader_read_header:
 * @reader: a reader that has not read anything yet
 * @expected: (array zero-terminated=1): the column names; all are required
 * @error: return location for an error
 *
 * Same as bb_csv_reader_read_header_full() with no optional columns.
 *
 * Returns: %TRUE if the header matches
 */
gboolean
bb_csv_reader_read_header (BbCsvReader        *reader,
                           const char * const *expected,
                           GError            **error)
{
  return bb_csv_reader_read_header_full (reader, expected, NULL, error);
}

/**
 * bb_csv_reader_read_header_full:
 * @reader: a reader that has not read anything yet
 * @required: (array zero-terminated=1): the columns that must be present
 * @optional: (array zero-terminated=1) (nullable): columns that may be
 * @error: return location for an error
 *
 * Reads the first record as the header. Names are compared without case
 * and without surrounding blanks, in any order. Unknown, repeated,
 * unnamed and missing columns are all reported in one
 * %BB_CSV_ERROR_HEADER error, one problem per line of the message; an
 * empty file is a %BB_CSV_ERROR_HEADER error too. Trailing unnamed
 * columns (",,," from a spreadsheet) are ignored.
 *
 * Afterwards bb_csv_reader_get_column() finds fields by column name.
 *
 * Returns: %TRUE if the header matches
 */
gboolean
bb_csv_reader_read_header_full (BbCsvReader        *reader,
                                const char * const *required,
                                const char * const *optional,
                                GError            **error)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(GString) unknown = g_string_new (NULL);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GHashTable) index = NULL;
  g_auto(GStrv) columns = NULL;
  guint n_unknown = 0;
  guint n_missing = 0;
  guint n_fields;
  guint line = 0;
  GError *local_error = NULL;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (required != NULL, FALSE);
  g_return_val_if_fail (reader->columns == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!bb_csv_reader_next (reader, &fields, &line, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      else
        {
          g_autoptr(GString) names = g_string_new (NULL);

          for (guint i = 0; required[i] != NULL; i++)
            append_quoted_list (names, required[i]);

          g_set_error (error, BB_CSV_ERROR, BB_CSV_ERROR_HEADER,
                       _("The file is empty; its first line must name the columns %s"),
                       names->str);
          return FALSE;
        }
    }

  /* Spreadsheets add unnamed columns at the end; leave them out. */
  n_fields = g_strv_length (fields);
  while (n_fields > 0)
    {
      g_autofree char *name = g_strstrip (g_strdup (fields[n_fields - 1]));

      if (*name != '\0')
        break;
      n_fields--;
    }

  /* Columns in error stay "" so that the vector has no holes. */
  columns = g_new0 (char *, n_fields + 1);
  for (guint i = 0; i < n_fields; i++)
    columns[i] = g_strdup ("");
  index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (fields[i]));
      const char *canonical;

      if (*name == '\0')
        {
          g_string_append_printf (problems,
                                  _("Line %u: column %u has no name"),
                                  line, i + 1);
          g_string_append_c (problems, '\n');
          continue;
        }

      canonical = find_expected (required, name);
      if (canonical == NULL)
        canonical = find_expected (optional, name);

      if (canonical == NULL)
        {
          append_quoted_list (unknown, name);
          n_unknown++;
          continue;
        }

      if (g_hash_table_contains (index, canonical))
        {
          g_string_append_printf (problems,
                                  _("Line %u: column “%s” appears more than once"),
                                  line, canonical);
          g_string_append_c (problems, '\n');
          continue;
        }

      g_free (columns[i]);
      columns[i] = g_strdup (canonical);
      g_hash_table_insert (index, columns[i], GUINT_TO_POINTER (i + 1));
    }

  for (guint i = 0; required[i] != NULL; i++)
    {
      if (!g_hash_table_contains (index, required[i]))
        {
          append_quoted_list (missing, required[i]);
          n_missing++;
        }
    }

  if (n_unknown > 0)
    {
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint i = 0; required[i] != NULL; i++)
        append_quoted_list (known, required[i]);
      for (guint i = 0; optional != NULL && optional[i] != NULL; i++)
        append_quoted_list (known, optional[i]);

      g_string_append_printf (problems,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "Line %u: unknown column %s; the columns are %s",
                                           "Line %u: unknown columns %s; the columns are %s",
                                           n_unknown),
                              line, unknown->str, known->str);
      g_string_append_c (problems, '\n');
    }

  if (n_missing > 0)
    {
      g_string_append_printf (problems,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "Line %u: missing column %s",
                                           "Line %u: missing columns %s",
                                           n_missing),
                              line, missing->str);
      g_string_append_c (problems, '\n');
    }

  if (problems->len > 0)
    {
      g_string_truncate (problems, problems->len - 1);
      g_set_error_literal (error, BB_CSV_ERROR, BB_CSV_ERROR_HEADER, problems->str);
      return FALSE;
    }

  reader->columns = g_steal_pointer (&columns);
  reader->n_columns = n_fields;
  reader->column_index = g_steal_pointer (&index);

  return TRUE;
}

static gboolean
column_lookup (BbCsvReader *reader,
               const char  *name,
               guint       *out_index)
{
  gpointer value;

  if (reader->column_index == NULL || name == NULL)
    return FALSE;

  value = g_hash_table_lookup (reader->column_index, name);
  if (value != NULL)
    {
      *out_index = GPOINTER_TO_UINT (value) - 1;
      return TRUE;
    }

  for (guint i = 0; i < reader->n_columns; i++)
    {
      if (*reader->columns[i] != '\0' &&
          g_ascii_strcasecmp (reader->columns[i], name) == 0)
        {
          *out_index = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * bb_csv_reader_name_columns:
 * @reader: a reader
 * @names: (array zero-terminated=1): the column names of a header the
 *   caller read and mapped itself with bb_csv_reader_next()
 *
 * Tells @reader what the columns are called, so that its messages about
 * later records name the column (“column “note””) and not the position
 * (“field 7”). Only for messages: bb_csv_reader_get_column() still needs
 * bb_csv_reader_read_header_full(). Does nothing once a header is known.
 */
void
bb_csv_reader_name_columns (BbCsvReader  *reader,
                            char        **names)
{
  guint n;

  g_return_if_fail (reader != NULL);

  if (reader->columns != NULL || names == NULL)
    return;

  n = g_strv_length (names);
  reader->columns = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    reader->columns[i] = bb_text_strip (names[i]);
  reader->n_columns = n;
  reader->names_only = TRUE;
}

/**
 * bb_csv_reader_has_column:
 * @reader: a reader whose header was read
 * @name: a column name
 *
 * Returns: whether the file's header has the column @name (useful for
 *   optional columns)
 */
gboolean
bb_csv_reader_has_column (BbCsvReader *reader,
                          const char  *name)
{
  guint i;

  g_return_val_if_fail (reader != NULL, FALSE);

  return column_lookup (reader, name, &i);
}

/**
 * bb_csv_reader_get_column:
 * @reader: a reader whose header was read
 * @fields: (array zero-terminated=1): a record from bb_csv_reader_next()
 * @name: a column name (case does not matter)
 *
 * Returns: (transfer none): the field of @fields in column @name, or ""
 *   when the record is shorter or the file has no such column
 */
const char *
bb_csv_reader_get_column (BbCsvReader  *reader,
                          char        **fields,
                          const char   *name)
{
  guint index = 0;

  g_return_val_if_fail (reader != NULL, "");

  if (fields == NULL || !column_lookup (reader, name, &index))
    return "";

  for (guint i = 0; i <= index; i++)
    {
      if (fields[i] == NULL)
        return "";
    }

  return fields[index];
}

/* Header of an importer's file */

struct _BbCsvHeader
{
  const char * const *names;      /* the known columns: a static table */
  const gboolean     *is_text;    /* per known column, or NULL: none */
  guint               n_names;
  int                *index;      /* field of each known column, or -1 */
  guint               n_columns;  /* named fields of the header row */
};

/**
 * bb_csv_find_column:
 * @columns: (array zero-terminated=1): known column names
 * @name: a column name (case does not matter)
 *
 * Returns: the index of @name in @columns, or -1
 */
int
bb_csv_find_column (const char * const *columns,
                    const char         *name)
{
  g_return_val_if_fail (columns != NULL, -1);

  if (name == NULL)
    return -1;

  for (guint i = 0; columns[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (columns[i], name) == 0)
        return (int) i;
    }

  return -1;
}

/**
 * bb_csv_header_new:
 * @columns: (array zero-terminated=1): the known columns of the file, all
 *   required; a static table that must outlive the header
 * @text_column_mask: (array) (nullable): for each column, whether it is
 *   text that bb_csv_header_dup_text() unescapes
 *   (bb_csv_unescape_formula()); %NULL: none is. Static, as @columns.
 *
 * A header whose columns are not known yet: bb_csv_header_read() maps
 * them; until then every column is missing.
 *
 * Returns: (transfer full): a header
 */
BbCsvHeader *
bb_csv_header_new (const char * const *columns,
                   const gboolean     *text_column_mask)
{
  BbCsvHeader *header;

  g_return_val_if_fail (columns != NULL, NULL);

  header = g_new0 (BbCsvHeader, 1);
  header->names = columns;
  header->is_text = text_column_mask;
  header->n_names = g_strv_length ((char **) columns);
  header->index = g_new (int, header->n_names);
  for (guint i = 0; i < header->n_names; i++)
    header->index[i] = -1;

  return header;
}

/**
 * bb_csv_header_free:
 * @header: (nullable): a header
 */
void
bb_csv_header_free (BbCsvHeader *header)
{
  if (header == NULL)
    return;

  g_free (header->index);
  g_free (header);
}

static void
header_problem (BbCsvHeaderProblemFunc  problem,
                gpointer                user_data,
                guint                   line,
                const char             *column,
                char                   *message)
{
  if (problem != NULL)
    problem (line, column, message, user_data);
  else
    g_free (message);
}

/**
 * bb_csv_header_read:
 * @header: a header
 * @reader: a reader that has not read anything yet
 * @problem: (nullable) (scope call): called for each problem of the
 *   header row; %NULL when the file was checked before and the header is
 *   only mapped again
 * @user_data: data for @problem
 * @error: return location for an error
 *
 * Reads the first record of @reader and maps its columns: names are
 * compared without case and without surrounding blanks, in any order;
 * trailing unnamed columns (",,," from a spreadsheet) are left out, and
 * the reader is told the names (bb_csv_reader_name_columns()) so that
 * its messages about later records name the column.
 *
 * An unnamed column, an unknown one, one that appears again (its first
 * field is kept) and, after those, each missing column are each a
 * problem of the header's line, given to @problem in that order. They
 * do not fail the reading, so that the importer goes on to check the
 * rows and one reading of the file lists everything.
 *
 * Returns: %FALSE with @error set only when there is no header to read:
 *   the first record is bad, or the file is empty (%BB_CSV_ERROR_HEADER)
 */
gboolean
bb_csv_header_read (BbCsvHeader             *header,
                    BbCsvReader             *reader,
                    BbCsvHeaderProblemFunc   problem,
                    gpointer                 user_data,
                    GError                 **error)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) local_error = NULL;
  guint line = 0;
  guint n_fields;

  g_return_val_if_fail (header != NULL, FALSE);
  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < header->n_names; i++)
    header->index[i] = -1;
  header->n_columns = 0;

  if (!bb_csv_reader_next (reader, &fields, &line, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        {
          g_autofree char *known = g_strjoinv (", ", (char **) header->names);

          g_set_error (error, BB_CSV_ERROR, BB_CSV_ERROR_HEADER,
                       _("The file is empty; its first line must name the columns %s"), known);
        }
      return FALSE;
    }

  bb_csv_reader_name_columns (reader, fields);

  /* Spreadsheets add unnamed columns at the end; leave them out. */
  n_fields = g_strv_length (fields);
  while (n_fields > 0)
    {
      g_autofree char *name = bb_text_strip (fields[n_fields - 1]);

      if (*name != '\0')
        break;
      n_fields--;
    }
  header->n_columns = n_fields;

  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *name = bb_text_strip (fields[i]);
      int column;

      if (*name == '\0')
        {
          header_problem (problem, user_data, line, NULL,
                          g_strdup_printf (_("Line %u: column %u has no name"), line, i + 1));
          continue;
        }

      column = bb_csv_find_column (header->names, name);
      if (column < 0)
        {
          g_autofree char *known = g_strjoinv (", ", (char **) header->names);

          header_problem (problem, user_data, line, name,
                          g_strdup_printf (_("Line %u: unknown column “%s”; the columns are %s"),
                                           line, name, known));
          continue;
        }

      if (header->index[column] >= 0)
        {
          header_problem (problem, user_data, line, header->names[column],
                          g_strdup_printf (_("Line %u: column “%s” appears more than once"),
                                           line, header->names[column]));
          continue;
        }

      header->index[column] = (int) i;
    }

  for (guint i = 0; i < header->n_names; i++)
    {
      if (header->index[i] < 0)
        header_problem (problem, user_data, line, header->names[i],
                        g_strdup_printf (_("Line %u: missing column “%s”"), line, header->names[i]));
    }

  return TRUE;
}

/**
 * bb_csv_header_has_column:
 * @header: a header
 * @column: the index of a known column
 *
 * Returns: whether the file's header row has @column. A missing column
 *   was reported once, on the header; an importer does not report its
 *   empty fields again on every row.
 */
gboolean
bb_csv_header_has_column (const BbCsvHeader *header,
                          guint              column)
{
  g_return_val_if_fail (header != NULL, FALSE);
  g_return_val_if_fail (column < header->n_names, FALSE);

  return header->index[column] >= 0;
}

/**
 * bb_csv_header_is_complete:
 * @header: a header
 *
 * Returns: whether the file's header row has every known column
 */
gboolean
bb_csv_header_is_complete (const BbCsvHeader *header)
{
  g_return_val_if_fail (header != NULL, FALSE);

  for (guint i = 0; i < header->n_names; i++)
    {
      if (header->index[i] < 0)
        return FALSE;
    }

  return TRUE;
}

/**
 * bb_csv_header_row_too_long:
 * @header: a header that was read
 * @fields: (array zero-terminated=1): a record from bb_csv_reader_next()
 *
 * Returns: whether @fields has something in a field past the header's
 *   named columns: usually a comma in a field without quotes
 */
gboolean
bb_csv_header_row_too_long (const BbCsvHeader  *header,
                            char              **fields)
{
  guint n;

  g_return_val_if_fail (header != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  n = g_strv_length (fields);
  for (guint i = header->n_columns; i < n; i++)
    {
      if (*fields[i] != '\0')
        return TRUE;
    }

  return FALSE;
}

/**
 * bb_csv_header_value:
 * @header: a header that was read
 * @fields: (array zero-terminated=1): a record from bb_csv_reader_next()
 * @column: the index of a known column
 *
 * Returns: (transfer none): the field of @fields in @column as the file
 *   has it, or "" when the header has no such column or the record is
 *   shorter
 */
const char *
bb_csv_header_value (const BbCsvHeader  *header,
                     char              **fields,
                     guint               column)
{
  int index;

  g_return_val_if_fail (header != NULL, "");
  g_return_val_if_fail (fields != NULL, "");
  g_return_val_if_fail (column < header->n_names, "");

  index = header->index[column];
  if (index < 0)
    return "";

  for (int i = 0; i <= index; i++)
    {
      if (fields[i] == NULL)
        return "";
    }

  return fields[index];
}

/**
 * bb_csv_header_dup_text:
 * @header: a header that was read
 * @fields: (array zero-terminated=1): a record from bb_csv_reader_next()
 * @column: the index of a known column
 *
 * Returns: (transfer full): bb_csv_header_value(), unescaped with
 *   bb_csv_unescape_formula() when @column is a text column
 */
char *
bb_csv_header_dup_text (const BbCsvHeader  *header,
                        char              **fields,
                        guint               column)
{
  const char *value = bb_csv_header_value (header, fields, column);

  if (header->is_text != NULL && column < header->n_names && header->is_text[column])
    return bb_csv_unescape_formula (value);

  return g_strdup (value);
}

/**
 * bb_csv_header_dup_stripped:
 * @header: a header that was read
 * @fields: (array zero-terminated=1): a record from bb_csv_reader_next()
 * @column: the index of a known column
 *
 * Returns: (transfer full): bb_csv_header_dup_text() without blanks at
 *   either end (bb_text_strip())
 */
char *
bb_csv_header_dup_stripped (const BbCsvHeader  *header,
                            char              **fields,
                            guint               column)
{
  g_autofree char *text = bb_csv_header_dup_text (header, fields, column);

  return bb_text_strip (text);
}

/* Formula neutralisation */

static gboolean
is_formula_trigger (char c)
{
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* TRUE when @text, after any leading apostrophes, starts with a formula
 * trigger: such text gets one more apostrophe on export and loses one on
 * import, so that any text survives the round trip exactly. */
static gboolean
needs_formula_escape (const char *text)
{
  while (*text == '\'')
    text++;

  return is_formula_trigger (*text);
}

/**
 * bb_csv_escape_formula:
 * @text: a text field
 *
 * Neutralises text a spreadsheet would run as a formula (OWASP "CSV
 * injection"): text starting with `=`, `+`, `-`, `@`, TAB or CR gets a
 * leading `'`. Text that starts with apostrophes followed by one of those
 * gets one more apostrophe, so that bb_csv_unescape_formula() gives back
 * exactly @text in every case.
 *
 * Returns: (transfer full): the text to write
 */
char *
bb_csv_escape_formula (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (needs_formula_escape (text))
    return g_strconcat ("'", text, NULL);

  return g_strdup (text);
}

/**
 * bb_csv_unescape_formula:
 * @text: a text field read from a file
 *
 * The inverse of bb_csv_escape_formula(): removes the leading `'` only
 * when it is followed by `=`, `+`, `-`, `@`, TAB, CR (or by more
 * apostrophes and then one of those), so "'=SUM(A1)" becomes "=SUM(A1)"
 * while "'quoted'" stays as it is.
 *
 * Returns: (transfer full): the original text
 */
char *
bb_csv_unescape_formula (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (text[0] == '\'' && needs_formula_escape (text + 1))
    return g_strdup (text + 1);

  return g_strdup (text);
}

/* Writer */

/**
 * bb_csv_writer_new:
 * @stream: the stream to write to
 *
 * Writes UTF-8 without a byte order mark, "\n" after each record. Each
 * bb_csv_writer_write_row() writes its record to @stream at once.
 *
 * Returns: (transfer full): a writer
 */
BbCsvWriter *
bb_csv_writer_new (GOutputStream *stream)
{
  BbCsvWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_new0 (BbCsvWriter, 1);
  self->stream = g_object_ref (stream);
  self->buffer = g_string_new (NULL);

  return self;
}

/**
 * bb_csv_writer_new_for_string:
 * @out: a string the records are appended to; it must outlive the writer
 *
 * Returns: (transfer full): a writer
 */
BbCsvWriter *
bb_csv_writer_new_for_string (GString *out)
{
  BbCsvWriter *self;

  g_return_val_if_fail (out != NULL, NULL);

  self = g_new0 (BbCsvWriter, 1);
  self->out = out;

  return self;
}

/**
 * bb_csv_writer_free:
 * @writer: (nullable): a writer
 *
 * Frees @writer; the stream is not closed.
 */
void
bb_csv_writer_free (BbCsvWriter *writer)
{
  if (writer == NULL)
    return;

  g_clear_object (&writer->stream);
  if (writer->buffer != NULL)
    g_string_free (writer->buffer, TRUE);
  g_free (writer);
}

static void
append_field (GString    *out,
              const char *field)
{
  gsize len = strlen (field);
  gboolean quote = FALSE;

  /* Blanks at the ends would be lost by programs that trim; a leading
   * U+FEFF at the start of the file would be read as a byte order mark. */
  if (len > 0 && (is_blank (field[0]) || is_blank (field[len - 1])))
    quote = TRUE;
  else if (g_str_has_prefix (field, utf8_bom))
    quote = TRUE;
  else if (strpbrk (field, ",\"\r\n") != NULL)
    quote = TRUE;

  if (!quote)
    {
      g_string_append_len (out, field, (gssize) len);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * bb_csv_writer_write_row:
 * @writer: a writer
 * @fields: (array zero-terminated=1): the fields, UTF-8
 * @text_field_mask: (array) (nullable): for each field, whether it is text
 *   whose formula triggers must be escaped (bb_csv_escape_formula()); pass
 *   %FALSE for amounts and dates so "-5.00" stays a number. %NULL means
 *   every field is text.
 * @error: return location for an error
 *
 * Writes one record. Fields holding `,` `"` CR or LF, starting or ending
 * with a blank, or starting with U+FEFF are quoted, inner quotes doubled.
 *
 * Returns: %TRUE on success; %FALSE if a field is not UTF-8
 *   (%BB_CSV_ERROR_ENCODING) or the stream failed
 */
gboolean
bb_csv_writer_write_row (BbCsvWriter         *writer,
                         const char * const  *fields,
                         const gboolean      *text_field_mask,
                         GError             **error)
{
  GString *out;
  gsize rollback;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (writer->stream != NULL)
    {
      out = writer->buffer;
      g_string_truncate (out, 0);
    }
  else
    out = writer->out;

  rollback = out->len;

  for (guint i = 0; fields[i] != NULL; i++)
    {
      gboolean is_text = text_field_mask == NULL || text_field_mask[i];

      if (!g_utf8_validate (fields[i], -1, NULL))
        {
          g_string_truncate (out, rollback);
          g_set_error (error, BB_CSV_ERROR, BB_CSV_ERROR_ENCODING,
                       _("Field %u is not valid UTF-8 text"), i + 1);
          return FALSE;
        }

      if (i > 0)
        g_string_append_c (out, ',');

      if (is_text && needs_formula_escape (fields[i]))
        {
          g_autofree char *escaped = bb_csv_escape_formula (fields[i]);

          append_field (out, escaped);
        }
      else
        append_field (out, fields[i]);
    }
  g_string_append_c (out, '\n');

  if (writer->stream != NULL)
    return g_output_stream_write_all (writer->stream, out->str, out->len,
                                      NULL, NULL, error);

  return TRUE;
}
