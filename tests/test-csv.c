/* test-csv.c — tests for the CSV reader and writer
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bb-csv.h"

static BbCsvReader *
reader_for (const char *text,
            gssize      len)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  BbCsvReader *reader;

  if (len < 0)
    len = (gssize) strlen (text);
  bytes = g_bytes_new (text, (gsize) len);
  reader = bb_csv_reader_new (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reader);

  return reader;
}

/* Reads the next record and checks its line and fields. */
static void
assert_next (BbCsvReader        *reader,
             guint               expected_line,
             const char * const *expected)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;
  guint line = 0;

  g_assert_true (bb_csv_reader_next (reader, &fields, &line, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (line, ==, expected_line);
  g_assert_cmpstrv (fields, expected);
}

static void
assert_end (BbCsvReader *reader)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (fields);
}

/* Reads the next record expecting an error whose message contains @part. */
static void
assert_next_error (BbCsvReader *reader,
                   BbCsvError   code,
                   const char  *part)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_error (error, BB_CSV_ERROR, (int) code);
  g_assert_null (fields);
  if (strstr (error->message, part) == NULL)
    g_error ("“%s” not in error “%s”", part, error->message);
}

static void
assert_message_has (const GError *error,
                    const char   *part)
{
  g_assert_nonnull (error);
  if (strstr (error->message, part) == NULL)
    g_error ("“%s” not in error “%s”", part, error->message);
}

static void
test_read_quoted (void)
{
  g_autoptr(BbCsvReader) reader =
    reader_for ("plain,\"with, comma\",\"say \"\"hi\"\"\",\"\"\n"
                "\"\"\"\",x\n", -1);

  assert_next (reader, 1, (const char *[]) { "plain", "with, comma", "say \"hi\"", "", NULL });
  assert_next (reader, 2, (const char *[]) { "\"", "x", NULL });
  assert_end (reader);
  /* Stays at the end. */
  assert_end (reader);
}

static void
test_read_multiline (void)
{
  g_autoptr(BbCsvReader) reader =
    reader_for ("name,notes\n"
                "Ann,\"first line\nsecond line\n\nfourth\"\n"
                "Bob,\"x\"\n"
                "\"multi\nline name\",y\n"
                "Cy,z\n", -1);

  assert_next (reader, 1, (const char *[]) { "name", "notes", NULL });
  assert_next (reader, 2, (const char *[]) { "Ann", "first line\nsecond line\n\nfourth", NULL });
  assert_next (reader, 6, (const char *[]) { "Bob", "x", NULL });
  assert_next (reader, 7, (const char *[]) { "multi\nline name", "y", NULL });
  assert_next (reader, 9, (const char *[]) { "Cy", "z", NULL });
  assert_end (reader);
}

static void
test_read_bom (void)
{
  g_autoptr(BbCsvReader) reader = reader_for ("\xEF\xBB\xBF" "code,name\n1,Ann\n", -1);
  const char *columns[] = { "code", "name", NULL };
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;

  /* The BOM must not stick to the first column name. */
  g_assert_true (bb_csv_reader_read_header (reader, columns, &error));
  g_assert_no_error (error);
  g_assert_true (bb_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "code"), ==, "1");
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "name"), ==, "Ann");
  assert_end (reader);
}

static void
test_read_line_ends (void)
{
  g_autoptr(BbCsvReader) crlf = reader_for ("a,b\r\n\"c\r\nd\",e\r\nf,g\r\n", -1);
  g_autoptr(BbCsvReader) cr = reader_for ("a,b\r\"c\rd\",e\rf,g", -1);

  assert_next (crlf, 1, (const char *[]) { "a", "b", NULL });
  assert_next (crlf, 2, (const char *[]) { "c\nd", "e", NULL });
  assert_next (crlf, 4, (const char *[]) { "f", "g", NULL });
  assert_end (crlf);

  assert_next (cr, 1, (const char *[]) { "a", "b", NULL });
  assert_next (cr, 2, (const char *[]) { "c\nd", "e", NULL });
  assert_next (cr, 4, (const char *[]) { "f", "g", NULL });
  assert_end (cr);
}

static void
test_read_gb18030 (void)
{
  /* "code,name,address\r\n1,张三,北京\r\n" as a Chinese Excel saves it:
   * 张 = D5C5, 三 = C8FD, 北 = B1B1, 京 = BEA9 */
  static const char data[] =
    "code,name,address\r\n"
    "1,\xD5\xC5\xC8\xFD,\"\xB1\xB1\xBE\xA9\"\r\n";
  g_autoptr(BbCsvReader) reader = reader_for (data, sizeof data - 1);

  assert_next (reader, 1, (const char *[]) { "code", "name", "address", NULL });
  assert_next (reader, 2, (const char *[]) { "1", "张三", "北京", NULL });
  assert_end (reader);
}

static void
test_read_gb18030_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "gb18030.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCsvReader) reader = bb_csv_reader_new_for_file (file, NULL, &error);
  const char *columns[] = { "code", "name", "phone", "address", "notes", NULL };
  g_auto(GStrv) fields = NULL;
  guint line = 0;

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  g_assert_true (bb_csv_reader_read_header (reader, columns, &error));
  g_assert_no_error (error);

  g_assert_true (bb_csv_reader_next (reader, &fields, &line, &error));
  g_assert_cmpuint (line, ==, 2);
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "name"), ==, "张三");
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "address"), ==, "北京市海淀区中关村大街1号");
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "notes"), ==, "老客户, 每月结账");
  g_clear_pointer (&fields, g_strfreev);

  g_assert_true (bb_csv_reader_next (reader, &fields, &line, &error));
  g_assert_cmpuint (line, ==, 3);
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "code"), ==, "C002");
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "name"), ==, "李四");
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "phone"), ==, "13800138000");
  g_clear_pointer (&fields, g_strfreev);

  assert_end (reader);
}

static void
test_read_missing_file (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/billbook/none.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCsvReader) reader = bb_csv_reader_new_for_file (file, NULL, &error);

  g_assert_null (reader);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_read_invalid_encoding (void)
{
  /* Latin-1 "café," is neither UTF-8 nor GB18030 (E9 then a comma). */
  static const char data[] = "code,name\r\n1,Ann\r\n2,caf\xE9,x\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, sizeof data - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCsvReader) reader = bb_csv_reader_new (bytes, &error);

  g_assert_null (reader);
  g_assert_error (error, BB_CSV_ERROR, BB_CSV_ERROR_ENCODING);
  assert_message_has (error, "Line 3, column “name”: ");
}

static void
test_read_invalid_encoding_no_header (void)
{
  /* A one-field first line (a statement's preamble) names no column. */
  static const char data[] = "Statement\r\n1,Ann\r\n2,caf\xE9,x\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, sizeof data - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCsvReader) reader = bb_csv_reader_new (bytes, &error);

  g_assert_null (reader);
  g_assert_error (error, BB_CSV_ERROR, BB_CSV_ERROR_ENCODING);
  assert_message_has (error, "Line 3, field 2: ");
}

static void
test_read_nul_byte (void)
{
  static const char data[] = "a,b\nc,\0d\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, sizeof data - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCsvReader) reader = bb_csv_reader_new (bytes, &error);

  g_assert_null (reader);
  g_assert_error (error, BB_CSV_ERROR, BB_CSV_ERROR_ENCODING);
  assert_message_has (error, "Line 2, column “b”: ");
}

static void
test_read_unterminated (void)
{
  g_autoptr(BbCsvReader) reader = reader_for ("a,b\nc,\"d\ne,f\ng,h\n", -1);

  assert_next (reader, 1, (const char *[]) { "a", "b", NULL });
  assert_next_error (reader, BB_CSV_ERROR_SYNTAX, "Line 2, field 2:");
  /* The rest of the file was taken by the open quote. */
  assert_end (reader);
}

static void
test_read_stray_quote (void)
{
  g_autoptr(BbCsvReader) reader =
    reader_for ("a,b\n"
                "5\" screen,x\n"
                "\"ok\"junk,y\n"
                "c,d\n", -1);

  assert_next (reader, 1, (const char *[]) { "a", "b", NULL });
  assert_next_error (reader, BB_CSV_ERROR_SYNTAX, "Line 2, field 1:");
  assert_next_error (reader, BB_CSV_ERROR_SYNTAX, "Line 3, field 1:");
  /* Bad records are consumed whole: reading goes on. */
  assert_next (reader, 4, (const char *[]) { "c", "d", NULL });
  assert_end (reader);
}

static void
test_read_blank_lines (void)
{
  g_autoptr(BbCsvReader) reader =
    reader_for ("\n\na,b\n\n,,\n\"\",\"\"\nc,\n\n", -1);

  assert_next (reader, 3, (const char *[]) { "a", "b", NULL });
  assert_next (reader, 7, (const char *[]) { "c", "", NULL });
  assert_end (reader);
}

static void
test_read_edges (void)
{
  /* No final newline, a trailing comma, blanks kept in unquoted fields,
   * blanks around a quoted field, a lone quoted newline. */
  g_autoptr(BbCsvReader) reader =
    reader_for ("x,\n"
                " a , \"b, c\" ,d\n"
                "\"\n\",z\n"
                "last", -1);

  assert_next (reader, 1, (const char *[]) { "x", "", NULL });
  assert_next (reader, 2, (const char *[]) { " a ", "b, c", "d", NULL });
  assert_next (reader, 3, (const char *[]) { "\n", "z", NULL });
  assert_next (reader, 5, (const char *[]) { "last", NULL });
  assert_end (reader);
}

static void
test_read_empty (void)
{
  const char *columns[] = { "code", "name", NULL };
  const char *inputs[] = { "", "\xEF\xBB\xBF", "\n\r\n\n", ",,\n" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(BbCsvReader) reader = reader_for (inputs[i], -1);
      g_autoptr(BbCsvReader) header_reader = reader_for (inputs[i], -1);
      g_autoptr(GError) error = NULL;

      assert_end (reader);

      g_assert_false (bb_csv_reader_read_header (header_reader, columns, &error));
      g_assert_error (error, BB_CSV_ERROR, BB_CSV_ERROR_HEADER);
      assert_message_has (error, "empty");
      assert_message_has (error, "“code”, “name”");
    }
}

static const char *customer_columns[] = { "code", "name", "phone", "tags", NULL };

static void
test_header_reordered (void)
{
  g_autoptr(BbCsvReader) reader =
    reader_for ("  Phone ,TAGS,name,Code\n"
                "138,vip,Ann,C1\n"
                "139\n", -1);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;
  guint line = 0;

  g_assert_true (bb_csv_reader_read_header (reader, customer_columns, &error));
  g_assert_no_error (error);
  g_assert_true (bb_csv_reader_has_column (reader, "phone"));
  g_assert_true (bb_csv_reader_has_column (reader, "PHONE"));
  g_assert_false (bb_csv_reader_has_column (reader, "email"));

  g_assert_true (bb_csv_reader_next (reader, &fields, &line, &error));
  g_assert_cmpuint (line, ==, 2);
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "code"), ==, "C1");
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "name"), ==, "Ann");
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "phone"), ==, "138");
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "Tags"), ==, "vip");
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "email"), ==, "");
  g_clear_pointer (&fields, g_strfreev);

  /* A short record: the missing columns read as "". */
  g_assert_true (bb_csv_reader_next (reader, &fields, &line, &error));
  g_assert_cmpuint (line, ==, 3);
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "phone"), ==, "139");
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "code"), ==, "");
  g_clear_pointer (&fields, g_strfreev);

  assert_end (reader);
}

static void
test_header_missing (void)
{
  g_autoptr(BbCsvReader) reader = reader_for ("\ncode,name\n1,Ann\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_csv_reader_read_header (reader, customer_columns, &error));
  g_assert_error (error, BB_CSV_ERROR, BB_CSV_ERROR_HEADER);
  g_assert_cmpstr (error->message, ==, "Line 2: missing columns “phone”, “tags”");
}

static void
test_header_unknown (void)
{
  g_autoptr(BbCsvReader) reader = reader_for ("code,name,fax,phone,tags,birthday\n", -1);
  g_autoptr(BbCsvReader) both = reader_for ("code,nmae,phone,tags\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_csv_reader_read_header (reader, customer_columns, &error));
  g_assert_error (error, BB_CSV_ERROR, BB_CSV_ERROR_HEADER);
  g_assert_cmpstr (error->message, ==,
                   "Line 1: unknown columns “fax”, “birthday”; "
                   "the columns are “code”, “name”, “phone”, “tags”");
  g_clear_error (&error);

  /* A misspelt column is reported both ways, in one message. */
  g_assert_false (bb_csv_reader_read_header (both, customer_columns, &error));
  g_assert_error (error, BB_CSV_ERROR, BB_CSV_ERROR_HEADER);
  g_assert_cmpstr (error->message, ==,
                   "Line 1: unknown column “nmae”; "
                   "the columns are “code”, “name”, “phone”, “tags”\n"
                   "Line 1: missing column “name”");
}

static void
test_header_duplicate_and_unnamed (void)
{
  g_autoptr(BbCsvReader) reader = reader_for ("code,name,,phone,tags,Name\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_csv_reader_read_header (reader, customer_columns, &error));
  g_assert_error (error, BB_CSV_ERROR, BB_CSV_ERROR_HEADER);
  g_assert_cmpstr (error->message, ==,
                   "Line 1: column 3 has no name\n"
                   "Line 1: column “name” appears more than once");
}

static void
test_header_optional_and_trailing (void)
{
  const char *required[] = { "code", "name", NULL };
  const char *optional[] = { "email", "notes", NULL };
  /* Trailing unnamed columns, as spreadsheets add, are ignored. */
  g_autoptr(BbCsvReader) reader =
    reader_for ("name,code,notes,,\n"
                "Ann,C1,hello,,\n"
                "Bob,C2,,,extra\n"
                "Cy,C3,x\n", -1);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (bb_csv_reader_read_header_full (reader, required, optional, &error));
  g_assert_no_error (error);
  g_assert_true (bb_csv_reader_has_column (reader, "notes"));
  g_assert_false (bb_csv_reader_has_column (reader, "email"));

  g_assert_true (bb_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "notes"), ==, "hello");
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "email"), ==, "");
  g_clear_pointer (&fields, g_strfreev);

  /* Text beyond the header's columns means the row is misaligned. */
  assert_next_error (reader, BB_CSV_ERROR_SYNTAX, "Line 3 has 5 fields, but the header has 3 columns");

  g_assert_true (bb_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_cmpstr (bb_csv_reader_get_column (reader, fields, "code"), ==, "C3");
  g_clear_pointer (&fields, g_strfreev);
  assert_end (reader);
}

static void
test_header_names_columns_in_errors (void)
{
  g_autoptr(BbCsvReader) reader = reader_for ("code,name,phone,tags\nC1,An\"n,1,x\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_csv_reader_read_header (reader, customer_columns, &error));
  g_assert_no_error (error);
  assert_next_error (reader, BB_CSV_ERROR_SYNTAX, "Line 2, column “name”:");
}

/* An importer's header (BbCsvHeader): each problem on its own. */

static const char * const import_columns[] = { "code", "name", "phone", "tags", NULL };
static const gboolean import_is_text[] = { TRUE, TRUE, TRUE, FALSE };

static void
collect_problem (guint       line,
                 const char *column,
                 char       *message,
                 gpointer    user_data)
{
  g_string_append_printf (user_data, "%u|%s|%s\n", line, column ? column : "-", message);
  g_free (message);
}

static void
test_import_header_problems (void)
{
  g_autoptr(BbCsvReader) reader =
    reader_for ("\n code ,,Fax,CODE,  Name ,,\n"
                "C1,,F\"x,C2,Ann\n", -1);
  g_autoptr(BbCsvHeader) header = bb_csv_header_new (import_columns, import_is_text);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_csv_header_read (header, reader, collect_problem, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (problems->str, ==,
                   "2|-|Line 2: column 2 has no name\n"
                   "2|Fax|Line 2: unknown column “Fax”; the columns are code, name, phone, tags\n"
                   "2|code|Line 2: column “code” appears more than once\n"
                   "2|phone|Line 2: missing column “phone”\n"
                   "2|tags|Line 2: missing column “tags”\n");
  g_assert_false (bb_csv_header_is_complete (header));
  g_assert_true (bb_csv_header_has_column (header, 0));
  g_assert_true (bb_csv_header_has_column (header, 1));
  g_assert_false (bb_csv_header_has_column (header, 2));

  /* The reader names the columns in its own messages. */
  assert_next_error (reader, BB_CSV_ERROR_SYNTAX, "Line 3, column “Fax”:");
}

static void
test_import_header_values (void)
{
  g_autoptr(BbCsvReader) reader =
    reader_for ("tags,name,code,phone,,\n"
                " '=vip , '=Ann ,C1\n"
                "a,b,c,d,,e\n", -1);
  g_autoptr(BbCsvHeader) header = bb_csv_header_new (import_columns, import_is_text);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *name = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *phone = NULL;

  g_assert_true (bb_csv_header_read (header, reader, collect_problem, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (problems->str, ==, "");
  g_assert_true (bb_csv_header_is_complete (header));

  g_assert_true (bb_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_cmpstr (bb_csv_header_value (header, fields, 1), ==, " '=Ann ");
  g_assert_cmpstr (bb_csv_header_value (header, fields, 0), ==, "C1");
  /* The record is shorter than the header. */
  g_assert_cmpstr (bb_csv_header_value (header, fields, 2), ==, "");
  /* A text column is unescaped before it is stripped, so a blank before
   * the apostrophe keeps it (unescaping is tested below). */
  name = bb_csv_header_dup_text (header, fields, 1);
  g_assert_cmpstr (name, ==, " '=Ann ");
  stripped = bb_csv_header_dup_stripped (header, fields, 1);
  g_assert_cmpstr (stripped, ==, "'=Ann");
  tags = bb_csv_header_dup_stripped (header, fields, 3);
  g_assert_cmpstr (tags, ==, "'=vip");
  phone = bb_csv_header_dup_stripped (header, fields, 2);
  g_assert_cmpstr (phone, ==, "");
  g_assert_false (bb_csv_header_row_too_long (header, fields));
  g_clear_pointer (&fields, g_strfreev);

  /* Something past the four named columns. */
  g_assert_true (bb_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_true (bb_csv_header_row_too_long (header, fields));
  g_clear_pointer (&fields, g_strfreev);
  assert_end (reader);

  g_assert_cmpint (bb_csv_find_column (import_columns, "PHONE"), ==, 2);
  g_assert_cmpint (bb_csv_find_column (import_columns, "fax"), ==, -1);
  g_assert_cmpint (bb_csv_find_column (import_columns, NULL), ==, -1);
}

static void
test_import_header_unescapes (void)
{
  g_autoptr(BbCsvReader) reader = reader_for ("code,name,phone,tags\n'=C1,'+Ann,'-1,'@x\n", -1);
  g_autoptr(BbCsvHeader) header = bb_csv_header_new (import_columns, import_is_text);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *code = NULL;
  g_autofree char *name = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *tags = NULL;

  /* Without a callback the problems (none here) are not reported. */
  g_assert_true (bb_csv_header_read (header, reader, NULL, NULL, &error));
  g_assert_true (bb_csv_reader_next (reader, &fields, NULL, &error));
  code = bb_csv_header_dup_text (header, fields, 0);
  name = bb_csv_header_dup_text (header, fields, 1);
  phone = bb_csv_header_dup_text (header, fields, 2);
  tags = bb_csv_header_dup_text (header, fields, 3);
  g_assert_cmpstr (code, ==, "=C1");
  g_assert_cmpstr (name, ==, "+Ann");
  g_assert_cmpstr (phone, ==, "-1");
  g_assert_cmpstr (tags, ==, "'@x");
}

static void
test_import_header_empty (void)
{
  g_autoptr(BbCsvReader) reader = reader_for ("\n,,\n", -1);
  g_autoptr(BbCsvReader) bad = reader_for ("code,\"name\n", -1);
  g_autoptr(BbCsvHeader) header = bb_csv_header_new (import_columns, NULL);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_csv_header_read (header, reader, collect_problem, problems, &error));
  g_assert_error (error, BB_CSV_ERROR, BB_CSV_ERROR_HEADER);
  g_assert_cmpstr (error->message, ==,
                   "The file is empty; its first line must name the columns code, name, phone, tags");
  g_clear_error (&error);

  g_assert_false (bb_csv_header_read (header, bad, collect_problem, problems, &error));
  g_assert_error (error, BB_CSV_ERROR, BB_CSV_ERROR_SYNTAX);
  g_assert_cmpstr (problems->str, ==, "");
  g_assert_false (bb_csv_header_has_column (header, 0));
}

static void
test_limits_field_size (void)
{
  g_autoptr(GString) text = g_string_new ("a,b\n");
  g_autoptr(BbCsvReader) reader = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;

  /* Line 2: exactly at the limit. Line 3: one byte over, unquoted.
   * Line 4: over, quoted and spanning two lines. Line 6: fine. */
  g_string_append_c (text, 'x');
  g_string_append_c (text, ',');
  for (guint i = 0; i < BB_CSV_MAX_FIELD_BYTES; i++)
    g_string_append_c (text, 'y');
  g_string_append (text, "\nx,");
  for (guint i = 0; i < BB_CSV_MAX_FIELD_BYTES + 1; i++)
    g_string_append_c (text, 'y');
  g_string_append (text, "\nx,\"\n");
  for (guint i = 0; i < BB_CSV_MAX_FIELD_BYTES; i++)
    g_string_append_c (text, 'z');
  g_string_append (text, "\"\nlast,row\n");

  reader = reader_for (text->str, (gssize) text->len);
  assert_next (reader, 1, (const char *[]) { "a", "b", NULL });

  g_assert_true (bb_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (fields[1]), ==, BB_CSV_MAX_FIELD_BYTES);

  assert_next_error (reader, BB_CSV_ERROR_TOO_LARGE, "Line 3, field 2:");
  /* An importer that mapped the header itself names the columns. */
  bb_csv_reader_name_columns (reader, (char *[]) { "a", " b ", NULL });
  assert_next_error (reader, BB_CSV_ERROR_TOO_LARGE, "Line 5, column “b”:");
  assert_next (reader, 6, (const char *[]) { "last", "row", NULL });
  assert_end (reader);
}

static void
test_limits_field_count (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(BbCsvReader) reader = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < BB_CSV_MAX_FIELDS; i++)
    g_string_append (text, i == 0 ? "f" : ",f");
  g_string_append_c (text, '\n');
  for (guint i = 0; i < BB_CSV_MAX_FIELDS + 1; i++)
    g_string_append (text, i == 0 ? "g" : ",g");
  g_string_append (text, "\nend\n");

  reader = reader_for (text->str, (gssize) text->len);
  g_assert_true (bb_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (fields), ==, BB_CSV_MAX_FIELDS);

  assert_next_error (reader, BB_CSV_ERROR_TOO_LARGE, "Line 2: the record has more than 64 fields");
  assert_next (reader, 3, (const char *[]) { "end", NULL });
  assert_end (reader);
}

static void
test_formula_escape (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "=SUM(A1:A9)", "'=SUM(A1:A9)" },
    { "+86 138", "'+86 138" },
    { "-5", "'-5" },
    { "@cmd", "'@cmd" },
    { "\tx", "'\tx" },
    { "\rx", "'\rx" },
    { "a=b", "a=b" },
    { "'hello'", "'hello'" },
    { "'=x", "''=x" },
    { "''-x", "'''-x" },
    { "'", "'" },
    { "", "" },
    { "张三", "张三" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = bb_csv_escape_formula (cases[i].in);
      g_autofree char *back = bb_csv_unescape_formula (escaped);

      g_assert_cmpstr (escaped, ==, cases[i].out);
      g_assert_cmpstr (back, ==, cases[i].in);
    }

  /* Import of files written elsewhere. */
  {
    g_autofree char *a = bb_csv_unescape_formula ("'=SUM(A1)");
    g_autofree char *b = bb_csv_unescape_formula ("'quoted'");
    g_autofree char *c = bb_csv_unescape_formula ("'");
    g_autofree char *d = bb_csv_unescape_formula ("-5.00");

    g_assert_cmpstr (a, ==, "=SUM(A1)");
    g_assert_cmpstr (b, ==, "'quoted'");
    g_assert_cmpstr (c, ==, "'");
    g_assert_cmpstr (d, ==, "-5.00");
  }
}

static void
test_writer_quoting (void)
{
  g_autoptr(GString) out = g_string_new ("prefix:");
  g_autoptr(BbCsvWriter) writer = bb_csv_writer_new_for_string (out);
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_csv_writer_write_row (writer,
                                          (const char *[]) { "plain", "a,b", "say \"hi\"", "two\nlines",
                                                             " lead", "trail ", "", "in side", NULL },
                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bb_csv_writer_write_row (writer, (const char *[]) { "x", NULL }, NULL, &error));
  g_assert_cmpstr (out->str, ==,
                   "prefix:plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
                   "\" lead\",\"trail \",,in side\n"
                   "x\n");
}

static void
test_writer_mask (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(BbCsvWriter) writer = bb_csv_writer_new_for_string (out);
  const char *row[] = { "=HYPERLINK(\"http://x\")", "-5.00", "-1", "+86 10 1234", NULL };
  const gboolean mask[] = { TRUE, FALSE, FALSE, TRUE };
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_csv_writer_write_row (writer, row, mask, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out->str, ==, "\"'=HYPERLINK(\"\"http://x\"\")\",-5.00,-1,'+86 10 1234\n");

  /* Without a mask every field is text. */
  g_string_truncate (out, 0);
  g_assert_true (bb_csv_writer_write_row (writer, row, NULL, &error));
  g_assert_cmpstr (out->str, ==, "\"'=HYPERLINK(\"\"http://x\"\")\",'-5.00,'-1,'+86 10 1234\n");
}

static void
test_writer_invalid_utf8 (void)
{
  g_autoptr(GString) out = g_string_new ("a\n");
  g_autoptr(BbCsvWriter) writer = bb_csv_writer_new_for_string (out);
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_csv_writer_write_row (writer, (const char *[]) { "ok", "bad\xFF", NULL }, NULL, &error));
  g_assert_error (error, BB_CSV_ERROR, BB_CSV_ERROR_ENCODING);
  assert_message_has (error, "Field 2");
  /* Nothing of the bad row was written. */
  g_assert_cmpstr (out->str, ==, "a\n");
}

static void
test_writer_stream (void)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(BbCsvWriter) writer = bb_csv_writer_new (stream);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (bb_csv_writer_write_row (writer, (const char *[]) { "code", "name", NULL }, NULL, &error));
  g_assert_true (bb_csv_writer_write_row (writer, (const char *[]) { "C1", "王小明, Ltd", NULL }, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, &error));

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "code,name\nC1,\"王小明, Ltd\"\n", strlen ("code,name\nC1,\"王小明, Ltd\"\n"));

  /* Writing to a closed stream fails with the stream's error. */
  g_assert_false (bb_csv_writer_write_row (writer, (const char *[]) { "x", NULL }, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
test_round_trip (void)
{
  static const char *awkward[] = {
    "\"", "\"\"", "a \"quoted\" word", "line\nbreak", "\n", "=1+1", "-", "-5.00", "@x", "+",
    "  leading spaces", "trailing spaces  ", " ", "\t", "\ttab", "'", "'=x", "''@y", "'plain'",
    "张三", "北京市, 海淀区", "", ",", ",,", "a,b\n\"c\"", "é€😀",
  };
  const guint n = G_N_ELEMENTS (awkward);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(BbCsvWriter) writer = bb_csv_writer_new_for_string (out);
  g_autoptr(BbCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) fields = NULL;
  guint line = 0;

  /* Each awkward string once as a record of its own (between markers, so
   * that an empty string does not make an empty row) and all in one. */
  for (guint i = 0; i < n; i++)
    {
      const char *row[] = { "start", awkward[i], "end", NULL };

      g_assert_true (bb_csv_writer_write_row (writer, row, NULL, &error));
      g_assert_no_error (error);
    }
  {
    const char *all[G_N_ELEMENTS (awkward) + 1] = { NULL };

    for (guint i = 0; i < n; i++)
      all[i] = awkward[i];
    g_assert_true (bb_csv_writer_write_row (writer, all, NULL, &error));
  }

  bytes = g_bytes_new (out->str, out->len);
  reader = bb_csv_reader_new (bytes, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *value = NULL;

      g_assert_true (bb_csv_reader_next (reader, &fields, &line, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      g_assert_cmpstr (fields[0], ==, "start");
      value = bb_csv_unescape_formula (fields[1]);
      g_assert_cmpstr (value, ==, awkward[i]);
      g_assert_cmpstr (fields[2], ==, "end");
      g_clear_pointer (&fields, g_strfreev);
    }

  g_assert_true (bb_csv_reader_next (reader, &fields, &line, &error));
  g_assert_cmpuint (g_strv_length (fields), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *value = bb_csv_unescape_formula (fields[i]);

      g_assert_cmpstr (value, ==, awkward[i]);
    }
  assert_end (reader);
}

static void
test_garbage_does_not_crash (void)
{
  /* A few hostile shapes; each must end cleanly within bounds. */
  static const char *inputs[] = {
    "\"", "\"\"\"", ",", "\n\"", "a\"", "\"a\"\"", "\"a\" \"b\"", ",\"", "\r", "\r\r\n\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(BbCsvReader) reader = reader_for (inputs[i], -1);
      guint records = 0;

      for (;;)
        {
          g_auto(GStrv) fields = NULL;
          g_autoptr(GError) error = NULL;

          if (!bb_csv_reader_next (reader, &fields, NULL, &error) && error == NULL)
            break;
          records++;
          g_assert_cmpuint (records, <, 10);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/read/quoted", test_read_quoted);
  g_test_add_func ("/csv/read/multiline", test_read_multiline);
  g_test_add_func ("/csv/read/bom", test_read_bom);
  g_test_add_func ("/csv/read/line-ends", test_read_line_ends);
  g_test_add_func ("/csv/read/gb18030", test_read_gb18030);
  g_test_add_func ("/csv/read/gb18030-file", test_read_gb18030_file);
  g_test_add_func ("/csv/read/missing-file", test_read_missing_file);
  g_test_add_func ("/csv/read/invalid-encoding", test_read_invalid_encoding);
  g_test_add_func ("/csv/read/invalid-encoding-no-header", test_read_invalid_encoding_no_header);
  g_test_add_func ("/csv/read/nul-byte", test_read_nul_byte);
  g_test_add_func ("/csv/read/unterminated-quote", test_read_unterminated);
  g_test_add_func ("/csv/read/stray-quote", test_read_stray_quote);
  g_test_add_func ("/csv/read/blank-lines", test_read_blank_lines);
  g_test_add_func ("/csv/read/edges", test_read_edges);
  g_test_add_func ("/csv/read/empty", test_read_empty);
  g_test_add_func ("/csv/read/garbage", test_garbage_does_not_crash);
  g_test_add_func ("/csv/header/reordered", test_header_reordered);
  g_test_add_func ("/csv/header/missing", test_header_missing);
  g_test_add_func ("/csv/header/unknown", test_header_unknown);
  g_test_add_func ("/csv/header/duplicate-unnamed", test_header_duplicate_and_unnamed);
  g_test_add_func ("/csv/header/optional-trailing", test_header_optional_and_trailing);
  g_test_add_func ("/csv/header/column-in-errors", test_header_names_columns_in_errors);
  g_test_add_func ("/csv/import-header/problems", test_import_header_problems);
  g_test_add_func ("/csv/import-header/values", test_import_header_values);
  g_test_add_func ("/csv/import-header/unescapes", test_import_header_unescapes);
  g_test_add_func ("/csv/import-header/empty", test_import_header_empty);
  g_test_add_func ("/csv/limits/field-size", test_limits_field_size);
  g_test_add_func ("/csv/limits/field-count", test_limits_field_count);
  g_test_add_func ("/csv/formula/escape", test_formula_escape);
  g_test_add_func ("/csv/write/quoting", test_writer_quoting);
  g_test_add_func ("/csv/write/mask", test_writer_mask);
  g_test_add_func ("/csv/write/invalid-utf8", test_writer_invalid_utf8);
  g_test_add_func ("/csv/write/stream", test_writer_stream);
  g_test_add_func ("/csv/round-trip", test_round_trip);

  return g_test_run ();
}
