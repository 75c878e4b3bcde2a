/* bb-csv.h — RFC 4180 CSV reader and writer
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BB_CSV_ERROR (bb_csv_error_quark ())

typedef enum
{
  BB_CSV_ERROR_ENCODING,   /* neither UTF-8 nor GB18030, or a NUL byte */
  BB_CSV_ERROR_SYNTAX,     /* quoting, or more fields than header columns */
  BB_CSV_ERROR_HEADER,     /* missing, unknown or repeated columns; empty file */
  BB_CSV_ERROR_TOO_LARGE,  /* field, record or file over the limits below */
} BbCsvError;

/* Limits against hostile input. */
#define BB_CSV_MAX_FIELD_BYTES  (1024 * 1024)
#define BB_CSV_MAX_FIELDS       64
#define BB_CSV_MAX_FILE_BYTES   ((gsize) 512 * 1024 * 1024)

GQuark       bb_csv_error_quark           (void);

/* Reader */

typedef struct _BbCsvReader BbCsvReader;

BbCsvReader *bb_csv_reader_new            (GBytes               *data,
                                           GError              **error);
BbCsvReader *bb_csv_reader_new_for_file   (GFile                *file,
                                           GCancellable         *cancellable,
                                           GError              **error);
void         bb_csv_reader_free           (BbCsvReader          *reader);

gboolean     bb_csv_reader_next           (BbCsvReader          *reader,
                                           char               ***fields,
                                           guint                *line,
                                           GError              **error);

gboolean     bb_csv_reader_read_header    (BbCsvReader          *reader,
                                           const char * const   *expected,
                                           GError              **error);
gboolean     bb_csv_reader_read_header_full (BbCsvReader        *reader,
                                           const char * const   *required,
                                           const char * const   *optional,
                                           GError              **error);
void         bb_csv_reader_name_columns   (BbCsvReader          *reader,
                                           char                **names);
gboolean     bb_csv_reader_has_column     (BbCsvReader          *reader,
                                           const char           *name);
const char  *bb_csv_reader_get_column     (BbCsvReader          *reader,
                                           char                **fields,
                                           const char           *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbCsvReader, bb_csv_reader_free)

/* Writer */

typedef struct _BbCsvWriter BbCsvWriter;

BbCsvWriter *bb_csv_writer_new            (GOutputStream        *stream);
BbCsvWriter *bb_csv_writer_new_for_string (GString              *out);
gboolean     bb_csv_writer_write_row      (BbCsvWriter          *writer,
                                           const char * const   *fields,
                                           const gboolean       *text_field_mask,
                                           GError              **error);
void         bb_csv_writer_free           (BbCsvWriter          *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbCsvWriter, bb_csv_writer_free)

/* Spreadsheet formula neutralisation (OWASP "CSV injection") */

char        *bb_csv_escape_formula        (const char           *text);
char        *bb_csv_unescape_formula      (const char           *text);

G_END_DECLS
