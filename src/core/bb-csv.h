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

/* Header of an importer's file: its known columns, all required, mapped
 * to the fields of the file's first row, with every problem of that row
 * reported one by one (an importer lists them beside the problems of its
 * rows). */

typedef struct _BbCsvHeader BbCsvHeader;

/**
 * BbCsvHeaderProblemFunc:
 * @line: the line of the header row
 * @column: (nullable): the column the problem is about: the known name,
 *   or the unknown name as the file has it; %NULL for an unnamed column
 * @message: (transfer full): the message, naming the line
 * @user_data: the data given to bb_csv_header_read()
 */
typedef void (*BbCsvHeaderProblemFunc) (guint       line,
                                        const char *column,
                                        char       *message,
                                        gpointer    user_data);

int          bb_csv_find_column           (const char * const   *columns,
                                           const char           *name);

BbCsvHeader *bb_csv_header_new            (const char * const   *columns,
                                           const gboolean       *text_column_mask);
void         bb_csv_header_free           (BbCsvHeader          *header);
gboolean     bb_csv_header_read           (BbCsvHeader          *header,
                                           BbCsvReader          *reader,
                                           BbCsvHeaderProblemFunc problem,
                                           gpointer              user_data,
                                           GError              **error);
gboolean     bb_csv_header_has_column     (const BbCsvHeader    *header,
                                           guint                 column);
gboolean     bb_csv_header_is_complete    (const BbCsvHeader    *header);
gboolean     bb_csv_header_row_too_long   (const BbCsvHeader    *header,
                                           char                **fields);
const char  *bb_csv_header_value          (const BbCsvHeader    *header,
                                           char                **fields,
                                           guint                 column);
char        *bb_csv_header_dup_text       (const BbCsvHeader    *header,
                                           char                **fields,
                                           guint                 column);
char        *bb_csv_header_dup_stripped   (const BbCsvHeader    *header,
                                           char                **fields,
                                           guint                 column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbCsvHeader, bb_csv_header_free)

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
