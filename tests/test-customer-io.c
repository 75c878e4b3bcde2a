/* test-customer-io.c — customers CSV/vCard import and CSV export
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-customer-io.h"
#include "bb-customers.h"
#include "bb-db-private.h"

typedef struct
{
  char *dir;
  char *path;
  BbDb *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Helpers */

static BbDb *
open_other_book (Fixture    *f,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  BbDb *db = bb_db_open (path, &error);

  g_assert_no_error (error);
  return db;
}

static gint64
query_int (BbDb       *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static gint64
count_customers (BbDb *db)
{
  return query_int (db, "SELECT count(*) FROM customers");
}

static char *
export_text (BbDb *db)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (bb_customers_export_csv (db, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static gboolean
import_text (BbDb             *db,
             const char       *text,
             gboolean          dry_run,
             BbImportReport  **report,
             GError          **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return bb_customers_import_csv (db, bytes, dry_run, NULL, NULL, NULL, report, error);
}

static GBytes *
load_data (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static BbCustomer *
save (BbDb       *db,
      const char *code,
      const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = bb_customer_new ();
  BbCustomer *saved;

  g_free (c->code);
  c->code = g_strdup (code);
  g_free (c->name);
  c->name = g_strdup (name);
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  /* Read back: a generated code is only in the book. */
  saved = bb_customers_get (db, c->id, &error);
  g_assert_no_error (error);

  return saved;
}

static void
set_text (char       **slot,
          const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static void
resave (BbDb       *db,
        BbCustomer *c)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);
}

#define HEADER BB_CUSTOMERS_CSV_HEADER "\n"

/* Round trip */

static void
make_awkward_book (BbDb *db)
{
  g_autoptr(BbCustomer) a = save (db, "C000010", "Zhang, San");
  g_autoptr(BbCustomer) b = save (db, "", "=SUM(A1)");
  g_autoptr(BbCustomer) c = save (db, "", "张三");
  g_autoptr(BbCustomer) d = save (db, "D-1", "Padded notes");
  g_autoptr(BbCustomer) e = save (db, "", "Old Shop");
  g_autoptr(BbCustomer) gone = save (db, "GONE", "Erased Person");
  g_autoptr(BbCustomer) g = save (db, "", "@Home Café");
  g_autoptr(GError) error = NULL;

  set_text (&a->company, "He said \"hi\"");
  set_text (&a->phone, "+86 138 0013 8000");
  set_text (&a->email, "zs@example.com");
  set_text (&a->address, "Road 1\nCity, Province");
  set_text (&a->tax_id, "91310101MA1FPX1234");
  a->class_override = 'A';
  a->credit_limit = 500000;
  a->payment_terms_days = 14;
  set_text (&a->tags, "vip,wholesale");
  set_text (&a->notes, "Line one\nLine \"two\", with a comma\n\nand a blank line");
  resave (db, a);

  set_text (&b->notes, "+1");
  set_text (&b->company, "-2");
  set_text (&b->tax_id, "@x");
  set_text (&b->address, "'=already quoted");
  resave (db, b);

  set_text (&c->company, "张记五金店");
  set_text (&c->address, "上海市黄浦区南京东路100号");
  set_text (&c->tags, "批发,零售");
  set_text (&c->notes, "每月初结账，\"现金\"");
  c->class_override = 'C';
  c->credit_limit = 12345;
  resave (db, c);

  set_text (&d->notes, "  padded, with blanks  ");
  set_text (&d->phone, "(010) 6275-1234");
  resave (db, d);

  g_assert_true (bb_customers_set_archived (db, e->id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (bb_customers_erase (db, gone->id, &error));
  g_assert_no_error (error);

  set_text (&g->notes, "-");
  resave (db, g);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BbDb) other = open_other_book (f, "other.db");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(BbCustomer) a = NULL;
  g_autoptr(BbCustomer) b = NULL;
  g_autoptr(BbCustomer) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  make_awkward_book (f->db);
  first = export_text (f->db);

  g_assert_true (g_str_has_prefix (first, HEADER));
  /* Formula-looking text is neutralised; numbers are not. */
  g_assert_nonnull (strstr (first, ",'=SUM(A1),"));
  g_assert_nonnull (strstr (first, ",'-2,"));
  g_assert_nonnull (strstr (first, ",'@x,"));
  g_assert_nonnull (strstr (first, ",'+1\n"));
  g_assert_nonnull (strstr (first, ",''=already quoted,"));
  g_assert_nonnull (strstr (first, ",'+86 138 0013 8000,"));
  g_assert_nonnull (strstr (first, ",A,5000.00,14,\"vip,wholesale\","));
  g_assert_nonnull (strstr (first, ",C,123.45,30,\"批发,零售\","));
  /* Automatic class: empty; money with the currency's decimals. */
  g_assert_nonnull (strstr (first, "\nD-1,Padded notes,,(010) 6275-1234,,,,,0.00,30,,\"  padded, with blanks  \"\n"));
  /* Archived customers are exported, erased ones are not. */
  g_assert_nonnull (strstr (first, "Old Shop"));
  g_assert_null (strstr (first, "GONE"));
  g_assert_null (strstr (first, "Erased"));

  g_assert_true (import_text (other, first, FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 6);
  g_assert_cmpuint (report->n_imported, ==, 6);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpint (count_customers (other), ==, 6);

  second = export_text (other);
  g_assert_cmpstr (second, ==, first);

  a = bb_customers_get_by_code (other, "C000010", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->name, ==, "Zhang, San");
  g_assert_cmpstr (a->company, ==, "He said \"hi\"");
  g_assert_cmpstr (a->phone, ==, "+86 138 0013 8000");
  g_assert_cmpstr (a->address, ==, "Road 1\nCity, Province");
  g_assert_cmpint (a->class_override, ==, 'A');
  g_assert_cmpint (a->credit_limit, ==, 500000);
  g_assert_cmpint (a->payment_terms_days, ==, 14);
  g_assert_cmpstr (a->tags, ==, "vip,wholesale");

  b = bb_customers_get_by_code (other, "C000001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->name, ==, "=SUM(A1)");
  g_assert_cmpstr (b->notes, ==, "+1");
  g_assert_cmpstr (b->address, ==, "'=already quoted");
  g_assert_cmpint (b->class_override, ==, 0);

  c = bb_customers_get_by_code (other, "C000002", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->name, ==, "张三");
  g_assert_cmpstr (c->notes, ==, "每月初结账，\"现金\"");
}

/* Bad files */

typedef struct
{
  guint       line;
  const char *field;
  const char *message;   /* NULL: only checked to start with "Line N" */
} Expected;

static void
assert_problems (BbImportReport  *report,
                 const Expected  *expected,
                 guint            n)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      BbImportProblem *p = g_ptr_array_index (report->problems, i);

      g_test_message ("problem: %u %s %s", p->line, p->field ? p->field : "-", p->message);
    }

  g_assert_cmpuint (report->problems->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      BbImportProblem *p = g_ptr_array_index (report->problems, i);
      g_autofree char *prefix = NULL;

      g_assert_cmpuint (p->line, ==, expected[i].line);
      g_assert_cmpstr (p->field, ==, expected[i].field);
      if (expected[i].message != NULL)
        g_assert_cmpstr (p->message, ==, expected[i].message);

      /* "Line 7, email: …", "Line 1: …" */
      prefix = g_strdup_printf ("Line %u", expected[i].line);
      g_assert_true (g_str_has_prefix (p->message, prefix));
      g_assert_true (p->message[strlen (prefix)] == ',' || p->message[strlen (prefix)] == ':');
    }
}

static void
test_bad_file (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(BbCustomer) existing = save (f->db, "", "Existing");
  g_autoptr(GBytes) bytes = load_data ("customers-bad.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 audit_before;
  static const Expected expected[] = {
    { 1, "fax", NULL },
    { 3, "email", "Line 3, email: “x@” is not an email address" },
    { 4, "code", "Line 4, code: “C100” is also the code on line 2" },
    { 5, "code", "Line 5, code: “C000001” is already used by another customer" },
    /* The quoted address spans lines 6–8: the next row is line 9. */
    { 6, "credit_limit", "Line 6, credit_limit: “12.345” has more decimals than CNY allows (2)" },
    { 9, "class", "Line 9, class: “D” is not A, B or C (leave it empty for automatic)" },
    { 10, "name", "Line 10, name: a customer needs a name" },
    { 11, "payment_terms_days", "Line 11, payment_terms_days: “4000” is not a whole number of days from 0 to 3650" },
    { 12, NULL, NULL },
    { 13, NULL, NULL },
  };

  g_assert_cmpstr (existing->code, ==, "C000001");
  before = export_text (f->db);
  g_assert_nonnull (strstr (before, "\nC000001,Existing,"));
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log");

  g_assert_false (bb_customers_import_csv (f->db, bytes, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "9 rows have problems; nothing was imported");

  g_assert_cmpuint (report->n_rows, ==, 10);
  g_assert_cmpuint (report->n_imported, ==, 0);
  assert_problems (report, expected, G_N_ELEMENTS (expected));
  g_assert_nonnull (strstr (((BbImportProblem *) report->problems->pdata[0])->message, "unknown column “fax”"));
  g_assert_nonnull (strstr (((BbImportProblem *) report->problems->pdata[8])->message, "quote"));
  g_assert_nonnull (strstr (((BbImportProblem *) report->problems->pdata[9])->message, "more fields"));

  after = export_text (f->db);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (count_customers (f->db), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_before);

  /* The same with dry_run: the same report. */
  g_clear_pointer (&report, bb_import_report_free);
  g_clear_error (&error);
  g_assert_false (bb_customers_import_csv (f->db, bytes, TRUE, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  assert_problems (report, expected, G_N_ELEMENTS (expected));
}

static void
test_header_problems (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  static const Expected expected[] = {
    { 1, NULL, "Line 1: column 4 has no name" },
    { 1, "name", "Line 1: column “name” appears more than once" },
    { 1, "class", "Line 1: missing column “class”" },
    { 1, "tags", "Line 1: missing column “tags”" },
  };

  /* Any order and any case of the names; unnamed columns at the end
   * are left out. */
  g_assert_false (import_text (f->db,
                               "Notes,NAME,code,,company,phone,email,address,tax_id,credit_limit,"
                               "payment_terms_days,name,,\n"
                               "x,Someone,C1\n",
                               FALSE, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The header row has problems; nothing was imported");
  assert_problems (report, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (report->n_rows, ==, 1);
  g_assert_cmpint (count_customers (f->db), ==, 0);
}

static void
test_columns_any_order (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(BbCustomer) c = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (import_text (f->db,
                              "\xEF\xBB\xBFnotes,tags,payment_terms_days,credit_limit,class,tax_id,"
                              "address,email,phone,company,name,code\r\n"
                              "hello,\"b,a\",7,\"1,234.50\",b,T1,Here,a@b.cn,123 456,Co,Named,X1\r\n",
                              FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 1);

  c = bb_customers_get_by_code (f->db, "X1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->name, ==, "Named");
  g_assert_cmpstr (c->company, ==, "Co");
  g_assert_cmpstr (c->notes, ==, "hello");
  g_assert_cmpstr (c->tags, ==, "b,a");
  g_assert_cmpint (c->payment_terms_days, ==, 7);
  g_assert_cmpint (c->credit_limit, ==, 123450);
  g_assert_cmpint (c->class_override, ==, 'B');
}

static void
test_file_errors (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const files[] = {
    "",
    "\n\n",
    "code,name\xff\xfe\xff\n",
    "\"code,name\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(BbImportReport) report = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_false (import_text (f->db, files[i], FALSE, &report, &error));
      g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_nonnull (report);
      g_assert_cmpuint (report->n_rows, ==, 0);
    }

  g_assert_cmpint (count_customers (f->db), ==, 0);
}

static void
test_header_only (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (import_text (f->db, HEADER ",,,,,,,,,,,\n\n", FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 0);
  g_assert_cmpuint (report->n_imported, ==, 0);
}

static void
test_gb18030 (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("customers-gb18030.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(BbCustomer) a = NULL;
  g_autoptr(BbCustomer) b = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (g_utf8_validate (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));

  g_assert_true (bb_customers_import_csv (f->db, bytes, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 2);

  a = bb_customers_get_by_code (f->db, "G001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->name, ==, "张三");
  g_assert_cmpstr (a->company, ==, "张记五金店");
  g_assert_cmpstr (a->address, ==, "上海市黄浦区南京东路100号");
  g_assert_cmpstr (a->tags, ==, "批发,零售");
  g_assert_cmpstr (a->notes, ==, "每月初结账");
  g_assert_cmpint (a->credit_limit, ==, 500000);

  b = bb_customers_get_by_code (f->db, "G002", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->name, ==, "李四");
  g_assert_cmpstr (b->notes, ==, "老客户，月结");
  g_assert_cmpint (b->class_override, ==, 'B');
}

static void
test_generated_codes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* Empty codes take the next free ones, skipping codes that rows
   * further down bring. */
  g_assert_true (import_text (f->db,
                              HEADER
                              ",First,,,,,,,,,,\n"
                              "C000001,Second,,,,,,,,,,\n"
                              ",Third,,,,,,,,,,\n"
                              "C000003,Fourth,,,,,,,,,,\n",
                              FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 4);

  text = export_text (f->db);
  g_assert_cmpstr (text, ==,
                   HEADER
                   "C000001,Second,,,,,,,0.00,30,,\n"
                   "C000002,First,,,,,,,0.00,30,,\n"
                   "C000003,Fourth,,,,,,,0.00,30,,\n"
                   "C000004,Third,,,,,,,0.00,30,,\n");
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_code = bb_db_get_setting (f->db, "customers.next_code");
  g_autofree char *next_code_after = NULL;
  BbCustomer *first;

  for (guint i = 1; i <= 25; i++)
    g_string_append_printf (text, ",Customer %u,,,,,,%s,,,,\n", i, i == 1 ? "a" : "");

  g_assert_true (import_text (f->db, text->str, TRUE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 25);
  g_assert_cmpuint (report->n_imported, ==, 0);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpuint (report->preview->len, ==, BB_IMPORT_PREVIEW_ROWS);

  first = g_ptr_array_index (report->preview, 0);
  g_assert_cmpstr (first->name, ==, "Customer 1");
  g_assert_cmpint (first->class_override, ==, 'A');
  g_assert_cmpstr (first->phone, ==, "");
  g_assert_cmpstr (((BbCustomer *) g_ptr_array_index (report->preview, 19))->name, ==, "Customer 20");

  g_assert_cmpint (count_customers (f->db), ==, 0);
  next_code_after = bb_db_get_setting (f->db, "customers.next_code");
  g_assert_cmpstr (next_code_after, ==, next_code);
}

typedef struct
{
  GCancellable *cancellable;
  guint         cancel_at;
  guint         calls;
  guint         last_total;
  gboolean      saw_checking;
} CancelData;

static void
cancel_progress (guint    done,
                 guint    total,
                 gpointer user_data)
{
  CancelData *cd = user_data;

  cd->calls++;
  cd->last_total = total;
  if (total == 0)
    cd->saw_checking = TRUE;
  else if (done == cd->cancel_at)
    g_cancellable_cancel (cd->cancellable);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BbCustomer) existing = save (f->db, "", "Existing");
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = export_text (f->db);
  g_autofree char *after = NULL;
  g_autofree char *next_code = bb_db_get_setting (f->db, "customers.next_code");
  g_autofree char *next_code_after = NULL;
  gint64 audit_before = query_int (f->db, "SELECT count(*) FROM audit_log");
  CancelData cd = { g_cancellable_new (), 5, 0, 0, FALSE };

  for (guint i = 1; i <= 10; i++)
    g_string_append_printf (text, ",Customer %u,,,,,,,,,,\n", i);
  bytes = g_bytes_new (text->str, text->len);

  /* Cancelled while writing: rolled back. */
  g_assert_false (bb_customers_import_csv (f->db, bytes, FALSE, cancel_progress, &cd,
                                           cd.cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (cd.saw_checking);
  g_assert_cmpuint (cd.last_total, ==, 10);

  after = export_text (f->db);
  g_assert_cmpstr (after, ==, before);
  next_code_after = bb_db_get_setting (f->db, "customers.next_code");
  g_assert_cmpstr (next_code_after, ==, next_code);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_before);

  /* Cancelled before it starts: nothing read either. */
  g_clear_error (&error);
  g_assert_false (bb_customers_import_csv (f->db, bytes, FALSE, NULL, NULL,
                                           cd.cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (count_customers (f->db), ==, 1);

  /* The book still works afterwards: no transaction was left open. */
  g_clear_error (&error);
  g_assert_true (bb_customers_import_csv (f->db, bytes, FALSE, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_customers (f->db), ==, 11);

  g_object_unref (cd.cancellable);
}

/* vCard */

static void
test_vcard3 (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("vcard3.vcf");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(BbCustomer) john = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  BbCustomerQuery query = { .show_archived = TRUE, .sort = BB_CUSTOMER_SORT_CODE };

  g_assert_true (bb_customers_import_vcard (f->db, bytes, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 4);
  g_assert_cmpuint (report->n_imported, ==, 4);
  g_assert_cmpuint (report->preview->len, ==, 4);

  all = bb_customers_search (f->db, &query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 4);

  john = g_object_ref (g_ptr_array_index (all, 0));
  g_assert_cmpstr (john->code, ==, "C000001");
  g_assert_cmpstr (john->name, ==, "John Appleseed");
  g_assert_cmpstr (john->company, ==, "Apple Inc.");
  g_assert_cmpstr (john->phone, ==, "+1 (408) 555-0100");
  g_assert_cmpstr (john->email, ==, "john@example.com");
  g_assert_cmpstr (john->tags, ==, "VIP,Wholesale");
  g_assert_cmpint (john->class_override, ==, 0);
  g_assert_true (g_str_has_prefix (john->notes, "Prefers email, not calls.\n"));

  g_assert_cmpstr (((BbCustomer *) g_ptr_array_index (all, 1))->name, ==, "王小明");
  g_assert_cmpstr (((BbCustomer *) g_ptr_array_index (all, 2))->name, ==, "Si Li");
  g_assert_cmpstr (((BbCustomer *) g_ptr_array_index (all, 3))->name, ==, "Acme Supplies Ltd.");
}

static void
test_vcard4 (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("vcard4.vcf");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(BbCustomer) jane = NULL;
  g_autoptr(BbCustomer) zhang = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_customers_import_vcard (f->db, bytes, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 2);

  jane = bb_customers_get_by_code (f->db, "C000001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jane->name, ==, "Jane Q. Public");
  g_assert_cmpstr (jane->company, ==, "Example, Inc.");
  g_assert_cmpstr (jane->email, ==, "jane@work.example");
  /* The phone field takes no extension: it goes to the notes. */
  g_assert_cmpstr (jane->phone, ==, "+1-555-555-0199");
  g_assert_true (g_str_has_suffix (jane->notes, "\nPhone extension: 42"));
  g_assert_cmpstr (jane->tags, ==, "Retail,VIP,retail-2024");

  zhang = bb_customers_get_by_code (f->db, "C000002", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (zhang->name, ==, "张伟");
  g_assert_cmpstr (zhang->phone, ==, "+86-139-0000-1111");
}

static void
test_vcard_bad (Fixture       *f,
                gconstpointer  data)
{
  static const char vcf[] =
    "BEGIN:VCARD\r\n"           /* 1 */
    "VERSION:3.0\r\n"
    "FN:Good Person\r\n"
    "EMAIL:good@example.com\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"           /* 6 */
    "VERSION:3.0\r\n"
    "FN:Bad Mail\r\n"
    "EMAIL:bad@\r\n"
    "TEL:12\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"           /* 12 */
    "VERSION:3.0\r\n"
    "FN:Fine Too\r\n"
    "END:VCARD\r\n";
  static const char nameless[] =
    "BEGIN:VCARD\n"
    "VERSION:3.0\n"
    "FN:One\n"
    "END:VCARD\n"
    "BEGIN:VCARD\n"             /* 5 */
    "VERSION:3.0\n"
    "TEL:123456\n"
    "END:VCARD\n";
  static const Expected expected[] = {
    { 6, "phone", "Line 6, phone: “12” is not a phone number (3 to 20 digits; spaces, + - ( ) allowed)" },
    { 6, "email", "Line 6, email: “bad@” is not an email address" },
  };
  static const Expected expected_nameless[] = {
    { 5, NULL, NULL },
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (vcf, sizeof vcf - 1);
  g_autoptr(GBytes) bytes2 = g_bytes_new_static (nameless, sizeof nameless - 1);
  g_autoptr(GBytes) empty = g_bytes_new_static ("hello\n", 6);
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_customers_import_vcard (f->db, bytes, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "1 row has problems; nothing was imported");
  g_assert_cmpuint (report->n_rows, ==, 3);
  assert_problems (report, expected, G_N_ELEMENTS (expected));

  g_clear_pointer (&report, bb_import_report_free);
  g_clear_error (&error);
  g_assert_false (bb_customers_import_vcard (f->db, bytes2, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  assert_problems (report, expected_nameless, G_N_ELEMENTS (expected_nameless));

  g_clear_pointer (&report, bb_import_report_free);
  g_clear_error (&error);
  g_assert_false (bb_customers_import_vcard (f->db, empty, FALSE, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpuint (report->problems->len, ==, 0);

  g_assert_cmpint (count_customers (f->db), ==, 0);
}

/* Export */

static void
test_export_paged (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbDb) other = open_other_book (f, "other.db");
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(GString) expected = g_string_new (HEADER);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const guint n = 1234;

  /* In the file in reverse: the export is ordered by code. */
  for (guint i = n; i >= 1; i--)
    g_string_append_printf (text, "K%05u,Customer %u,,,,,,,%u.50,%u,,\n", i, i, i, i % 100);
  for (guint i = 1; i <= n; i++)
    g_string_append_printf (expected, "K%05u,Customer %u,,,,,,,%u.50,%u,,\n", i, i, i, i % 100);

  g_assert_true (import_text (f->db, text->str, FALSE, NULL, &error));
  g_assert_no_error (error);

  first = export_text (f->db);
  g_assert_cmpstr (first, ==, expected->str);

  g_assert_true (import_text (other, first, FALSE, NULL, &error));
  g_assert_no_error (error);
  second = export_text (other);
  g_assert_cmpstr (second, ==, first);
}

static void
test_export_file (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BbCustomer) c = save (f->db, "", "Someone");
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autofree char *contents = NULL;
  struct stat st;

  g_assert_true (bb_customers_export_csv_to_file (f->db, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, HEADER "C000001,Someone,,,,,,,0.00,30,,\n");

  /* An existing file readable by others becomes private. */
  g_clear_pointer (&contents, g_free);
  g_file_set_contents (path, "old", -1, &error);
  g_assert_no_error (error);
  g_chmod (path, 0644);
  g_assert_true (bb_customers_export_csv_to_file (f->db, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Cancelled: the old file stays as it was, no new one is left. */
  g_file_set_contents (path, "old", -1, &error);
  g_assert_no_error (error);
  g_cancellable_cancel (cancelled);
  g_assert_false (bb_customers_export_csv_to_file (f->db, file, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "old");

  {
    g_autofree char *new_path = g_build_filename (f->dir, "new.csv", NULL);
    g_autoptr(GFile) new_file = g_file_new_for_path (new_path);

    g_assert_false (bb_customers_export_csv_to_file (f->db, new_file, cancelled, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
  }
}

/* In a thread */

typedef struct
{
  GMainLoop      *loop;
  GAsyncResult   *result;
  GThread        *main_thread;
  guint           progress_calls;
  gboolean        progress_off_thread;
  guint           changed;
} AsyncData;

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncData *ad = user_data;

  ad->result = g_object_ref (result);
  g_main_loop_quit (ad->loop);
}

static void
async_progress (guint    done,
                guint    total,
                gpointer user_data)
{
  AsyncData *ad = user_data;

  ad->progress_calls++;
  if (g_thread_self () != ad->main_thread)
    ad->progress_off_thread = TRUE;
}

static void
on_changed (BbDb       *db,
            const char *table,
            gint64      id,
            gpointer    user_data)
{
  AsyncData *ad = user_data;

  ad->changed++;
}

static void
test_async_import (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load_data ("customers-good.csv");
  g_autoptr(BbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  AsyncData ad = { g_main_loop_new (NULL, FALSE), NULL, g_thread_self (), 0, FALSE, 0 };
  gulong handler = g_signal_connect (f->db, "changed::customers", G_CALLBACK (on_changed), &ad);

  /* The check first, as the window's preview does. */
  bb_customers_import_async (f->db, bytes, BB_CUSTOMER_FILE_CSV, TRUE, async_progress, &ad,
                             NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  g_assert_true (bb_customers_import_finish (f->db, ad.result, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 3);
  g_assert_cmpuint (report->n_imported, ==, 0);
  g_assert_cmpuint (report->preview->len, ==, 3);
  g_assert_cmpuint (ad.changed, ==, 0);
  g_assert_cmpint (count_customers (f->db), ==, 0);
  g_clear_object (&ad.result);
  g_clear_pointer (&report, bb_import_report_free);

  bb_customers_import_async (f->db, bytes, BB_CUSTOMER_FILE_CSV, FALSE, async_progress, &ad,
                             NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  g_assert_true (bb_customers_import_finish (f->db, ad.result, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 3);
  g_clear_object (&ad.result);

  /* The window's connection sees the rows and was told. */
  g_assert_cmpint (count_customers (f->db), ==, 3);
  g_assert_cmpuint (ad.changed, ==, 1);
  g_assert_false (ad.progress_off_thread);

  /* A bad file: the report comes back with the error. */
  g_clear_pointer (&report, bb_import_report_free);
  bb_customers_import_async (f->db, bytes, BB_CUSTOMER_FILE_CSV, FALSE, NULL, NULL,
                             NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  g_assert_false (bb_customers_import_finish (f->db, ad.result, &report, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpuint (report->problems->len, ==, 2);   /* C000001, C000002 taken */
  g_assert_cmpuint (ad.changed, ==, 1);
  g_clear_object (&ad.result);
  g_clear_error (&error);
  g_clear_pointer (&report, bb_import_report_free);

  /* Cancelled before it ran. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    bb_customers_import_async (f->db, bytes, BB_CUSTOMER_FILE_VCARD, FALSE, NULL, NULL,
                               cancellable, async_done, &ad);
    g_main_loop_run (ad.loop);
    g_assert_false (bb_customers_import_finish (f->db, ad.result, &report, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_nonnull (report);
    g_clear_object (&ad.result);
  }

  g_signal_handler_disconnect (f->db, handler);
  g_main_loop_unref (ad.loop);
}

static void
test_async_export (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbCustomer) c = save (f->db, "", "张三");
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = export_text (f->db);
  AsyncData ad = { g_main_loop_new (NULL, FALSE), NULL, g_thread_self (), 0, FALSE, 0 };
  struct stat st;

  bb_customers_export_async (f->db, file, NULL, async_done, &ad);
  g_main_loop_run (ad.loop);
  g_assert_true (bb_customers_export_finish (f->db, ad.result, &error));
  g_assert_no_error (error);
  g_clear_object (&ad.result);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_main_loop_unref (ad.loop);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/customer-io/csv/round-trip", test_round_trip);
  ADD ("/customer-io/csv/bad-file", test_bad_file);
  ADD ("/customer-io/csv/header-problems", test_header_problems);
  ADD ("/customer-io/csv/columns-any-order", test_columns_any_order);
  ADD ("/customer-io/csv/file-errors", test_file_errors);
  ADD ("/customer-io/csv/header-only", test_header_only);
  ADD ("/customer-io/csv/gb18030", test_gb18030);
  ADD ("/customer-io/csv/generated-codes", test_generated_codes);
  ADD ("/customer-io/csv/dry-run", test_dry_run);
  ADD ("/customer-io/csv/cancel", test_cancel);
  ADD ("/customer-io/vcard/3.0", test_vcard3);
  ADD ("/customer-io/vcard/4.0", test_vcard4);
  ADD ("/customer-io/vcard/bad", test_vcard_bad);
  ADD ("/customer-io/export/paged", test_export_paged);
  ADD ("/customer-io/export/file", test_export_file);
  ADD ("/customer-io/async/import", test_async_import);
  ADD ("/customer-io/async/export", test_async_export);

  return g_test_run ();
}
