/* test-db.c — opening books, migrations, refusals, file mode, transactions
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

#include "bb-business.h"
#include "bb-db-private.h"
#include "bb-test-damage.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
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
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gint64
count_rows (BbDb       *db,
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

static void
test_open_fresh (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbDb) db = bb_db_open (f->path, &error);
  const char *tables[] = {
    "settings", "customers", "customer_fields", "interactions", "invoices",
    "invoice_lines", "recurring_charges", "payments", "payment_allocations",
    "prepaid_accounts", "prepaid_entries", "reminders", "audit_log",
  };
  g_autofree char *journal = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_cmpint (bb_db_get_schema_version (db), ==, BB_DB_SCHEMA_VERSION);
  g_assert_cmpstr (bb_db_get_path (db), ==, f->path);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_schema "
                                              "WHERE type = 'table' AND name = '%s'", tables[i]);

      g_test_message ("table %s", tables[i]);
      g_assert_cmpint (count_rows (db, sql), ==, 1);
    }

  /* The pragmas DESIGN.md asks for. */
  g_assert_cmpint (count_rows (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (count_rows (db, "PRAGMA synchronous"), ==, 2); /* FULL */
  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  journal = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpstr (journal, ==, "wal");

  /* A fresh book passes its own check. */
  {
    g_autoptr(GPtrArray) problems = NULL;

    g_assert_true (bb_db_check (db, &problems, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (problems->len, ==, 0);
  }
}

/* The quick check sees a damaged tree, as the whole check does; only the
 * whole check sees a row that refers to one that is not there. */
static void
test_check_quick (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(BbDb) db = bb_db_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_true (bb_db_check_quick (db, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* A call logged for a customer who is not in the book. */
  g_assert_true (_bb_db_exec (db,
                              "PRAGMA foreign_keys = OFF;"
                              "INSERT INTO interactions (customer_id, occurred_on, channel, kind, created_at) "
                              "VALUES (999, '2026-01-01', 'phone', 'communication', '2026-01-01T00:00:00Z');"
                              "PRAGMA foreign_keys = ON;", &error));
  g_assert_no_error (error);
  g_assert_true (bb_db_check_quick (db, NULL, &error));
  g_assert_false (bb_db_check (db, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "of “interactions” refers to a missing row of “customers”"));
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&db);

  bb_test_damage_book (f->path);
  db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (bb_db_check_quick (db, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, >, 0);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 0), "Integrity: "));
}

static void
test_mode_0600 (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nested = g_build_filename (f->dir, "new", "folder", "book.db", NULL);
  g_autofree char *folder = g_path_get_dirname (nested);
  g_autofree char *wal = g_strconcat (nested, "-wal", NULL);
  g_autoptr(BbDb) db = NULL;
  GStatBuf st;

  /* A permissive umask must not leak through. */
  mode_t old_umask = umask (0);

  db = bb_db_open (nested, &error);
  umask (old_umask);
  g_assert_no_error (error);

  /* Write something so the WAL file exists. */
  g_assert_true (bb_db_set_setting (db, "business.name", "Test", &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (nested, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

static void
test_default_path (void)
{
  g_autofree char *path = bb_db_get_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "billbook", "billbook.db", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static char *
checksum_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static void
test_newer_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  BbDb *db;

  db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (_bb_db_exec (db, "PRAGMA user_version = 99; PRAGMA journal_mode = DELETE", &error));
  g_assert_no_error (error);
  g_object_unref (db);

  before = checksum_file (f->path);

  db = bb_db_open (f->path, &error);
  g_assert_null (db);
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_nonnull (strstr (error->message, "99"));

  after = checksum_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_not_a_database (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char text[] = "customer,amount\nZhang San,12.50\n"
                      "This is a spreadsheet export, not a database. "
                      "It has to be long enough to look like a file header.\n";
  BbDb *db;

  g_assert_true (g_file_set_contents (f->path, text, -1, NULL));
  before = checksum_file (f->path);

  db = bb_db_open (f->path, &error);
  g_assert_null (db);
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_A_BOOK);
  g_assert_nonnull (strstr (error->message, f->path));

  after = checksum_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_other_program_refused (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *handle = NULL;
  BbDb *db;

  g_assert_cmpint (sqlite3_open (f->path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "CREATE TABLE moz_places (id INTEGER)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);

  db = bb_db_open (f->path, &error);
  g_assert_null (db);
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_A_BOOK);
}

/* Each step of the migration ladder: a book left at version v opens and is
 * brought to the latest version with its data intact. */
static void
test_each_upgrade (Fixture       *f,
                   gconstpointer  data)
{
  for (int v = 1; v <= BB_DB_SCHEMA_VERSION; v++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_strdup_printf ("%s/upgrade-%d.db", f->dir, v);
      g_autofree char *name = NULL;
      BbDb *db;

      db = _bb_db_open_at_version (path, v, &error);
      g_assert_no_error (error);
      g_assert_cmpint (bb_db_get_schema_version (db), ==, v);
      g_assert_true (bb_db_set_setting (db, "business.name", "升级测试", &error));
      g_assert_no_error (error);
      g_object_unref (db);

      /* Said before opening, so the window can show it is updating. */
      g_assert_cmpint (bb_db_needs_update (path), ==, v < BB_DB_SCHEMA_VERSION);

      db = bb_db_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (bb_db_get_schema_version (db), ==, BB_DB_SCHEMA_VERSION);
      name = bb_db_get_setting (db, "business.name");
      g_assert_cmpstr (name, ==, "升级测试");
      g_object_unref (db);
      g_assert_false (bb_db_needs_update (path));
    }

  /* A missing file and one that is not a book need no update. */
  {
    g_autofree char *missing = g_strdup_printf ("%s/missing.db", f->dir);
    g_autofree char *text = g_strdup_printf ("%s/text.db", f->dir);

    g_assert_false (bb_db_needs_update (missing));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_set_contents (text, "name,amount\n", -1, NULL));
    g_assert_false (bb_db_needs_update (text));
  }
}

static void
test_reopen_keeps_data (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  BbDb *db;

  db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (bb_db_set_setting (db, "business.name", "Corner Shop", &error));
  g_object_unref (db);

  db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  value = bb_db_get_setting (db, "business.name");
  g_assert_cmpstr (value, ==, "Corner Shop");
  g_assert_null (bb_db_get_setting (db, "no.such.key"));
  g_object_unref (db);
}

static gboolean
insert_then_fail (BbDb     *db,
                  gpointer  user_data,
                  GError  **error)
{
  if (!bb_db_set_setting (db, "half", "saved", error))
    return FALSE;

  g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, "second step failed");
  return FALSE;
}

static gboolean
insert_two (BbDb     *db,
            gpointer  user_data,
            GError  **error)
{
  return bb_db_set_setting (db, "one", "1", error) &&
         bb_db_set_setting (db, "two", "2", error);
}

static void
test_transaction (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbDb) db = bb_db_open (f->path, &error);
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *half = NULL;

  g_assert_no_error (error);

  g_assert_false (bb_db_transaction (db, insert_then_fail, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);
  half = bb_db_get_setting (db, "half");
  g_assert_null (half);

  g_assert_true (bb_db_transaction (db, insert_two, NULL, &error));
  g_assert_no_error (error);
  one = bb_db_get_setting (db, "one");
  two = bb_db_get_setting (db, "two");
  g_assert_cmpstr (one, ==, "1");
  g_assert_cmpstr (two, ==, "2");

  /* Nested: the inner failure undoes only the inner part. */
  g_assert_true (bb_db_begin (db, &error));
  g_assert_true (bb_db_set_setting (db, "outer", "kept", &error));
  g_assert_false (bb_db_transaction (db, insert_then_fail, NULL, &error));
  g_clear_error (&error);
  g_assert_true (bb_db_commit (db, &error));
  g_assert_no_error (error);
  {
    g_autofree char *outer = bb_db_get_setting (db, "outer");
    g_autofree char *inner = bb_db_get_setting (db, "half");

    g_assert_cmpstr (outer, ==, "kept");
    g_assert_null (inner);
  }
}

/* Money history is append-only, whoever writes to the file. */
static void
test_append_only (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbDb) db = bb_db_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_true (_bb_db_exec (db,
                              "INSERT INTO customers (code, name, created_at, updated_at) "
                              "VALUES ('C1', '张三', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
                              "INSERT INTO payments (customer_id, received_on, amount, method, created_at) "
                              "VALUES (1, '2026-01-02', 12345, 'cash', '2026-01-02T00:00:00Z');",
                              &error));
  g_assert_no_error (error);

  g_assert_false (_bb_db_exec (db, "UPDATE payments SET amount = 1", &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (_bb_db_exec (db, "DELETE FROM payments", &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (db, "SELECT amount FROM payments"), ==, 12345);

  /* Enumerations and signs are checked by the schema too. */
  g_assert_false (_bb_db_exec (db,
                               "INSERT INTO payments (customer_id, received_on, amount, method, created_at) "
                               "VALUES (1, '2026-01-02', 100, 'bitcoin', '2026-01-02T00:00:00Z')",
                               &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (_bb_db_exec (db,
                               "INSERT INTO customers (code, name, credit_limit, created_at, updated_at) "
                               "VALUES ('C2', 'x', -1, '', '')",
                               &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  /* Foreign keys are on. */
  g_assert_false (_bb_db_exec (db,
                               "INSERT INTO payments (customer_id, received_on, amount, method, created_at) "
                               "VALUES (42, '2026-01-02', 100, 'cash', '')",
                               &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT);
}

static void
test_business (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbDb) db = bb_db_open (f->path, &error);
  g_autoptr(BbBusiness) business = NULL;
  g_autoptr(BbBusiness) loaded = NULL;
  g_autoptr(BbBusiness) unchanged = NULL;

  g_assert_no_error (error);

  business = bb_business_load (db);
  g_assert_cmpstr (business->name, ==, "");
  g_assert_cmpstr (business->currency, ==, "CNY");

  g_free (business->name);
  business->name = g_strdup ("  小明便利店 ");
  g_free (business->phone);
  business->phone = g_strdup ("+86 10 1234 5678");
  g_free (business->currency);
  business->currency = g_strdup ("USD");
  g_assert_true (bb_business_save (db, business, &error));
  g_assert_no_error (error);

  loaded = bb_business_load (db);
  g_assert_cmpstr (loaded->name, ==, "小明便利店");
  g_assert_cmpstr (loaded->phone, ==, "+86 10 1234 5678");
  g_assert_cmpstr (bb_business_get_currency (db)->code, ==, "USD");

  /* Bad values are refused, name the field, and save nothing. */
  g_free (business->phone);
  business->phone = g_strdup ("call me");
  g_free (business->name);
  business->name = g_strdup ("Changed");
  g_assert_false (bb_business_save (db, business, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Phone"));
  g_clear_error (&error);

  g_free (business->phone);
  business->phone = g_strdup ("");
  g_free (business->currency);
  business->currency = g_strdup ("XXX");
  g_assert_false (bb_business_save (db, business, &error));
  g_assert_nonnull (strstr (error->message, "Currency"));
  g_clear_error (&error);

  g_free (business->currency);
  business->currency = g_strdup ("CNY");
  g_free (business->name);
  business->name = g_strdup ("Bad\x01name");
  g_assert_false (bb_business_save (db, business, &error));
  g_assert_nonnull (strstr (error->message, "Business name"));
  g_clear_error (&error);

  unchanged = bb_business_load (db);
  g_assert_cmpstr (unchanged->name, ==, "小明便利店");
  g_assert_cmpstr (unchanged->currency, ==, "USD");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/db/open/fresh", test_open_fresh);
  ADD ("/db/open/mode-0600", test_mode_0600);
  ADD ("/db/check-quick", test_check_quick);
  g_test_add_func ("/db/open/default-path", test_default_path);
  ADD ("/db/open/reopen", test_reopen_keeps_data);
  ADD ("/db/refuse/newer-version", test_newer_refused);
  ADD ("/db/refuse/not-a-database", test_not_a_database);
  ADD ("/db/refuse/other-program", test_other_program_refused);
  ADD ("/db/migrations/each-upgrade", test_each_upgrade);
  ADD ("/db/transaction", test_transaction);
  ADD ("/db/append-only", test_append_only);
  ADD ("/db/business", test_business);

#undef ADD

  return g_test_run ();
}
