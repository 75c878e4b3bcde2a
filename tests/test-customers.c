/* test-customers.c — customers: save, validate, archive, erase, search,
 * sort, classify, interactions and history
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-customers-private.h"
#include "bb-db-private.h"
#include "bb-text.h"

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

/* ---- Helpers: the test's own SQL, independent of the code under test -- */

static gint64 sql_int (BbDb *db, const char *format, ...) G_GNUC_PRINTF (2, 3);
static char *sql_text (BbDb *db, const char *format, ...) G_GNUC_PRINTF (2, 3);
static void sql_exec (BbDb *db, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gint64
sql_int (BbDb       *db,
         const char *format,
         ...)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = G_MININT64;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static char *
sql_text (BbDb       *db,
          const char *format,
          ...)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return text;
}

static void
sql_exec (BbDb       *db,
          const char *format,
          ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  g_assert_true (_bb_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

/* Ids the test's own query selects, comma-joined. */
static char *
sql_ids (BbDb       *db,
         const char *sql)
{
  GString *s = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, s->len ? "," : "", (gint64) sqlite3_column_int64 (stmt, 0));
  sqlite3_finalize (stmt);

  return g_string_free (s, FALSE);
}

#define SET(c, field, value) \
  G_STMT_START { g_free ((c)->field); (c)->field = g_strdup (value); } G_STMT_END

static BbCustomer *
make_customer (const char *name)
{
  BbCustomer *c = bb_customer_new ();

  SET (c, name, name);
  return c;
}

static gint64
add_customer (BbDb       *db,
              const char *name,
              const char *phone,
              const char *tags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = make_customer (name);

  SET (c, phone, phone ? phone : "");
  SET (c, tags, tags ? tags : "");
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);
  g_assert_cmpint (c->id, >, 0);

  return c->id;
}

static BbCustomer *
get_customer (BbDb   *db,
              gint64  id)
{
  g_autoptr(GError) error = NULL;
  BbCustomer *c = bb_customers_get (db, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

/* Everything a refused save must leave alone. */
static char *
snapshot (BbDb *db)
{
  return sql_text (db,
                   "SELECT (SELECT count(*) FROM customers) || '/' || "
                   "  (SELECT count(*) FROM audit_log) || '/' || "
                   "  (SELECT count(*) FROM customer_field_values) || '/' || "
                   "  coalesce((SELECT group_concat(customer_id || '=' || value, ';') FROM customer_field_values), '') || '/' || "
                   "  coalesce((SELECT value FROM settings WHERE key = 'customers.next_code'), '-') || '/' || "
                   "  coalesce((SELECT group_concat(id || ':' || code || ':' || name || ':' || company || ':' || "
                   "    phone || ':' || email || ':' || address || ':' || tax_id || ':' || tags || ':' || "
                   "    notes || ':' || payment_terms_days || ':' || credit_limit || ':' || "
                   "    coalesce(class_override, '-') || ':' || updated_at || ':' || archived || ':' || erased, ';') "
                   "    FROM customers), '')");
}

/* Names of the customers a search finds, in name order, '|'-joined. */
static char *
search_names_full (BbDb       *db,
                   const char *text,
                   char        klass,
                   const char *tag,
                   gboolean    show_archived)
{
  g_autoptr(GError) error = NULL;
  BbCustomerQuery query = { (char *) text, klass, (char *) tag, show_archived, BB_CUSTOMER_SORT_NAME, FALSE };
  g_autoptr(GPtrArray) rows = NULL;
  GString *s = g_string_new (NULL);
  gint64 n;

  rows = bb_customers_search (db, &query, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rows);
  n = bb_customers_count (db, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, rows->len);

  for (guint i = 0; i < rows->len; i++)
    {
      BbCustomer *c = g_ptr_array_index (rows, i);

      g_string_append_printf (s, "%s%s", i ? "|" : "", c->name);
    }

  return g_string_free (s, FALSE);
}

static char *
search_names (BbDb       *db,
              const char *text)
{
  return search_names_full (db, text, 0, NULL, FALSE);
}

#define assert_search(db, text, expected) \
  G_STMT_START { \
    g_autofree char *found_ = search_names (db, text); \
    g_test_message ("search “%s”", (const char *) (text) ? (const char *) (text) : "(null)"); \
    g_assert_cmpstr (found_, ==, expected); \
  } G_STMT_END

static void
assert_refused (BbDb       *db,
                BbCustomer *c,
                const char *label)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (db);
  g_autofree char *after = NULL;
  g_autofree char *prefix = g_strconcat (label, ":", NULL);
  gint64 id = c->id;

  g_assert_false (bb_customers_save (db, c, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_test_message ("refused: %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_cmpint (c->id, ==, id);

  after = snapshot (db);
  g_assert_cmpstr (after, ==, before);
}

static char *
last_audit (BbDb       *db,
            gint64      id,
            const char *what)
{
  return sql_text (db,
                   "SELECT %s FROM audit_log WHERE table_name = 'customers' AND record_id = %" G_GINT64_FORMAT
                   " ORDER BY id DESC LIMIT 1",
                   what, id);
}

static gboolean
is_utc_time (const char *text)
{
  return text != NULL && g_regex_match_simple ("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$", text, 0, 0);
}

/* ---- Create ------------------------------------------------------------ */

static void
test_create_codes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) a = make_customer ("张三");
  g_autoptr(BbCustomer) b = make_customer ("李四");
  g_autoptr(BbCustomer) given = make_customer ("Given");
  g_autoptr(BbCustomer) c = make_customer ("王五");
  g_autoptr(BbCustomer) stored = NULL;

  g_assert_true (bb_customers_save (f->db, a, &error));
  g_assert_no_error (error);
  g_assert_true (bb_customers_save (f->db, b, &error));
  g_assert_no_error (error);

  stored = get_customer (f->db, a->id);
  g_assert_cmpstr (stored->code, ==, "C000001");
  g_clear_object (&stored);
  stored = get_customer (f->db, b->id);
  g_assert_cmpstr (stored->code, ==, "C000002");
  g_clear_object (&stored);

  /* A code given by the user is kept, as typed (without the spaces). */
  SET (given, code, "  VIP-7 ");
  g_assert_true (bb_customers_save (f->db, given, &error));
  g_assert_no_error (error);
  stored = bb_customers_get_by_code (f->db, "VIP-7", &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->id, ==, given->id);
  g_assert_cmpstr (stored->name, ==, "Given");
  g_clear_object (&stored);

  /* A generated code skips one the user already took. */
  sql_exec (f->db, "UPDATE customers SET code = 'C000003' WHERE id = %" G_GINT64_FORMAT, given->id);
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);
  stored = get_customer (f->db, c->id);
  g_assert_cmpstr (stored->code, ==, "C000004");
  g_clear_object (&stored);

  g_assert_null (bb_customers_get_by_code (f->db, "C999999", &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND);
}

static void
test_create_fields (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(BbCustomer) stored = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) created = NULL;
  g_auto(GStrv) tag_list = NULL;

  SET (c, name, "  Zhang San \t");
  SET (c, company, " Acme Trading  ");
  SET (c, phone, " 138 0013 8000 ");
  SET (c, email, " zhang@example.com ");
  SET (c, address, "  1 Main Street\nBeijing  ");
  SET (c, tax_id, " 91110000 ");
  SET (c, tags, "VIP, wholesale,,vip");
  c->credit_limit = 500000;
  c->payment_terms_days = 45;

  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);

  stored = get_customer (f->db, c->id);
  g_assert_cmpstr (stored->name, ==, "Zhang San");
  g_assert_cmpstr (stored->company, ==, "Acme Trading");
  g_assert_cmpstr (stored->phone, ==, "138 0013 8000");
  g_assert_cmpstr (stored->email, ==, "zhang@example.com");
  g_assert_cmpstr (stored->address, ==, "1 Main Street\nBeijing");
  g_assert_cmpstr (stored->tax_id, ==, "91110000");
  g_assert_cmpstr (stored->tags, ==, "VIP,wholesale");
  g_assert_cmpint (stored->credit_limit, ==, 500000);
  g_assert_cmpint (stored->payment_terms_days, ==, 45);
  g_assert_cmpint (stored->klass, ==, 'B');
  g_assert_cmpint (stored->class_override, ==, 0);
  g_assert_false (stored->archived);
  g_assert_false (stored->erased);
  g_assert_cmpint (stored->outstanding, ==, 0);
  g_assert_null (stored->last_payment_on);

  tag_list = bb_customer_get_tag_list (stored);
  g_assert_cmpuint (g_strv_length (tag_list), ==, 2);
  g_assert_cmpstr (tag_list[0], ==, "VIP");
  g_assert_cmpstr (tag_list[1], ==, "wholesale");

  /* Times: set, equal on creation, and now. */
  g_assert_true (is_utc_time (stored->created_at));
  g_assert_cmpstr (stored->created_at, ==, stored->updated_at);
  created = g_date_time_new_from_iso8601 (stored->created_at, NULL);
  g_assert_nonnull (created);
  g_assert_cmpint (ABS (g_date_time_difference (now, created)), <, 120 * G_TIME_SPAN_SECOND);
}

/* Spaces a Chinese input method or a web page gives are stripped too. */
static void
test_create_unicode_spaces (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = make_customer ("\u3000张三\u3000");
  g_autoptr(BbCustomer) stored = NULL;
  g_autoptr(BbCustomer) blank = make_customer ("\u3000\u00a0 ");

  SET (c, company, "\u00a0Acme\u00a0");
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);
  stored = get_customer (f->db, c->id);
  g_assert_cmpstr (stored->name, ==, "张三");
  g_assert_cmpstr (stored->company, ==, "Acme");

  /* Only spaces is no name. */
  assert_refused (f->db, blank, "Name");
}

static void
test_tags_normalised (void)
{
  static const struct { const char *typed; const char *stored; } cases[] = {
    { "VIP, wholesale,,vip", "VIP,wholesale" },
    { "", "" },
    { " , ,", "" },
    { "a;b；c，d", "a,b,c,d" },
    /* Chinese tags, with Chinese punctuation between them. */
    { "会员，批发；会员", "会员,批发" },
    { "会员,批发", "会员,批发" },
    { " 张三的朋友 ; 四川 ", "张三的朋友,四川" },
    { "Élite,élite,ÉLITE", "Élite" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *tags = bb_customer_normalize_tags (cases[i].typed);

      g_test_message ("tags “%s”", cases[i].typed);
      g_assert_true (g_utf8_validate (tags, -1, NULL));
      g_assert_cmpstr (tags, ==, cases[i].stored);
    }
}

static void
test_create_tags_saved (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id = add_customer (f->db, "王小明", NULL, "会员，批发, 会员");
  g_autoptr(BbCustomer) stored = get_customer (f->db, id);
  g_autofree char *raw = sql_text (f->db, "SELECT tags FROM customers WHERE id = %" G_GINT64_FORMAT, id);

  g_assert_cmpstr (stored->tags, ==, "会员,批发");
  g_assert_cmpstr (raw, ==, "会员,批发");
}

static void
test_create_custom_fields (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = make_customer ("李四");
  g_autoptr(BbCustomer) stored = NULL;
  g_autoptr(BbCustomer) bad = make_customer ("Nobody");
  g_auto(GStrv) fields = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (bb_customer_fields_add (f->db, "WeChat ID", &error));
  g_assert_no_error (error);
  g_assert_true (bb_customer_fields_add (f->db, " 生日 ", &error));
  g_assert_no_error (error);
  /* Twice the same name, or no name, is refused. */
  g_assert_false (bb_customer_fields_add (f->db, "WeChat ID", &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (bb_customer_fields_add (f->db, "  ", &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);

  fields = bb_customer_fields_list (f->db);
  g_assert_cmpuint (g_strv_length (fields), ==, 2);
  g_assert_cmpstr (fields[0], ==, "WeChat ID");
  g_assert_cmpstr (fields[1], ==, "生日");

  g_hash_table_insert (c->custom_fields, g_strdup ("WeChat ID"), g_strdup (" lisi_88 "));
  g_hash_table_insert (c->custom_fields, g_strdup ("生日"), g_strdup ("1990-05-01"));
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);

  stored = get_customer (f->db, c->id);
  g_assert_cmpuint (g_hash_table_size (stored->custom_fields), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (stored->custom_fields, "WeChat ID"), ==, "lisi_88");
  g_assert_cmpstr (g_hash_table_lookup (stored->custom_fields, "生日"), ==, "1990-05-01");

  /* Emptying a value removes it; changing one keeps the other. */
  g_hash_table_insert (stored->custom_fields, g_strdup ("WeChat ID"), g_strdup (""));
  g_hash_table_insert (stored->custom_fields, g_strdup ("生日"), g_strdup ("1990-05-02"));
  g_assert_true (bb_customers_save (f->db, stored, &error));
  g_assert_no_error (error);
  g_clear_object (&stored);
  stored = get_customer (f->db, c->id);
  g_assert_cmpuint (g_hash_table_size (stored->custom_fields), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (stored->custom_fields, "生日"), ==, "1990-05-02");

  /* An unknown custom field is refused, named, and nothing is saved:
   * neither a new customer… */
  before = snapshot (f->db);
  g_hash_table_insert (bad->custom_fields, g_strdup ("Shoe size"), g_strdup ("42"));
  g_assert_false (bb_customers_save (f->db, bad, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Shoe size"));
  g_clear_error (&error);
  g_assert_cmpint (bad->id, ==, 0);
  after = snapshot (f->db);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM customers WHERE name = 'Nobody'"), ==, 0);

  /* …nor a change to an existing one. */
  SET (stored, name, "李四 changed");
  g_hash_table_insert (stored->custom_fields, g_strdup ("生日"), g_strdup ("2000-01-01"));
  g_hash_table_insert (stored->custom_fields, g_strdup ("Shoe size"), g_strdup ("42"));
  g_assert_false (bb_customers_save (f->db, stored, &error));
  g_assert_nonnull (strstr (error->message, "Shoe size"));
  g_clear_error (&error);
  g_free (after);
  after = snapshot (f->db);
  g_assert_cmpstr (after, ==, before);
  g_clear_object (&stored);
  stored = get_customer (f->db, c->id);
  g_assert_cmpstr (stored->name, ==, "李四");
  g_assert_cmpstr (g_hash_table_lookup (stored->custom_fields, "生日"), ==, "1990-05-02");

  /* A custom value with a control character is refused naming the field. */
  g_hash_table_insert (stored->custom_fields, g_strdup ("WeChat ID"), g_strdup ("bad\x07"));
  assert_refused (f->db, stored, "WeChat ID");
}

static void
test_create_audit (Fixture       *f,
                   gconstpointer  data)
{
  gint64 id = add_customer (f->db, "张三", NULL, NULL);
  g_autofree char *action = last_audit (f->db, id, "action");
  g_autofree char *detail = last_audit (f->db, id, "detail");
  g_autofree char *at = last_audit (f->db, id, "at");

  g_assert_cmpstr (action, ==, "create");
  g_assert_cmpstr (detail, ==, "C000001");
  g_assert_true (is_utc_time (at));
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM audit_log WHERE table_name = 'customers'"), ==, 1);
}

/* ---- Edit -------------------------------------------------------------- */

static void
test_edit (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_customer (f->db, "张三", "138 0013 8000", "vip");
  g_autoptr(BbCustomer) c = NULL;
  g_autoptr(BbCustomer) stored = NULL;
  g_autofree char *created = NULL;
  g_autofree char *action = NULL;
  g_autofree char *detail = NULL;
  g_auto(GStrv) changed = NULL;

  /* Make the first save look old, so the edit's time is seen to change. */
  sql_exec (f->db, "UPDATE customers SET updated_at = '2020-01-01T00:00:00Z' WHERE id = %" G_GINT64_FORMAT, id);
  c = get_customer (f->db, id);
  created = g_strdup (c->created_at);

  SET (c, company, "Acme");
  SET (c, email, "zhang@example.com");
  c->payment_terms_days = 10;
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);
  g_assert_cmpint (c->id, ==, id);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM customers"), ==, 1);

  stored = get_customer (f->db, id);
  g_assert_cmpstr (stored->name, ==, "张三");
  g_assert_cmpstr (stored->company, ==, "Acme");
  g_assert_cmpstr (stored->email, ==, "zhang@example.com");
  g_assert_cmpstr (stored->code, ==, "C000001");
  g_assert_cmpint (stored->payment_terms_days, ==, 10);
  g_assert_cmpstr (stored->created_at, ==, created);
  g_assert_true (is_utc_time (stored->updated_at));
  g_assert_cmpstr (stored->updated_at, >, "2020-01-01T00:00:00Z");

  action = last_audit (f->db, id, "action");
  detail = last_audit (f->db, id, "detail");
  g_assert_cmpstr (action, ==, "update");
  changed = g_strsplit (detail, ",", -1);
  g_assert_cmpuint (g_strv_length (changed), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *) changed, "company"));
  g_assert_true (g_strv_contains ((const char * const *) changed, "email"));
  g_assert_true (g_strv_contains ((const char * const *) changed, "payment_terms_days"));
}

/* The audit names the fields whose stored value changed, not those the
 * editor merely handed back with extra spaces or unsorted tags. */
static void
test_edit_audit_only_changed (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_customer (f->db, "张三", "138 0013 8000", "vip,wholesale");
  g_autoptr(BbCustomer) c = get_customer (f->db, id);
  g_autofree char *detail = NULL;
  g_autofree char *action = NULL;

  SET (c, name, "  张三 ");
  SET (c, tags, "vip, wholesale");
  SET (c, phone, "139 0000 0000");
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);

  action = last_audit (f->db, id, "action");
  detail = last_audit (f->db, id, "detail");
  g_assert_cmpstr (action, ==, "update");
  g_assert_cmpstr (detail, ==, "phone");
}

/* ---- Validation ------------------------------------------------------- */

static void
test_validate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) a = make_customer ("Alpha");
  gint64 b_id;
  g_autoptr(BbCustomer) n = NULL;
  g_autofree char *huge = NULL;

  g_assert_true (bb_customer_fields_add (f->db, "Note", &error));
  g_assert_no_error (error);

  SET (a, code, "A-1");
  g_assert_true (bb_customers_save (f->db, a, &error));
  g_assert_no_error (error);
  b_id = add_customer (f->db, "Beta", "138 0013 8000", "vip");

#define CHECK_EDIT(field, value, label) \
  G_STMT_START { \
    g_autoptr(BbCustomer) b_ = get_customer (f->db, b_id); \
    SET (b_, field, value); \
    assert_refused (f->db, b_, label); \
    n = make_customer ("New one"); \
    SET (n, field, value); \
    assert_refused (f->db, n, label); \
    g_clear_object (&n); \
  } G_STMT_END

  CHECK_EDIT (name, "", "Name");
  CHECK_EDIT (name, "   ", "Name");
  CHECK_EDIT (email, "a@b", "Email");
  CHECK_EDIT (email, "not an email", "Email");
  CHECK_EDIT (phone, "call me", "Phone");
  CHECK_EDIT (phone, "12", "Phone");
  CHECK_EDIT (code, "A 1", "Code");
  CHECK_EDIT (code, "A-1", "Code");
  CHECK_EDIT (code, " A-1 ", "Code");
  CHECK_EDIT (name, "Bad\x01name", "Name");
  CHECK_EDIT (name, "Two\nlines", "Name");
  CHECK_EDIT (company, "Co\x7f", "Company");
  CHECK_EDIT (address, "Street\x1b[31m", "Address");
  CHECK_EDIT (tax_id, "91\x02", "Tax ID");
  CHECK_EDIT (notes, "ring\x08", "Notes");
  CHECK_EDIT (name, "Bad \xff\xfe UTF-8", "Name");
  CHECK_EDIT (company, "\xe5\xbc", "Company");
  CHECK_EDIT (notes, "caf\xc3", "Notes");
  CHECK_EDIT (tags, "vip,\x03", "Tags");

  /* A 10 MB note. */
  huge = g_malloc (10 * 1024 * 1024 + 1);
  memset (huge, 'x', 10 * 1024 * 1024);
  huge[10 * 1024 * 1024] = '\0';
  CHECK_EDIT (notes, huge, "Notes");
  CHECK_EDIT (name, huge, "Name");
#undef CHECK_EDIT

  /* The message says what is wrong with the code. */
  {
    g_autoptr(BbCustomer) b = get_customer (f->db, b_id);

    SET (b, code, "A-1");
    g_assert_false (bb_customers_save (f->db, b, &error));
    g_assert_nonnull (strstr (error->message, "already used"));
    g_clear_error (&error);
  }

  /* Payment terms. */
  {
    const int bad_terms[] = { -1, 3651, 4000, G_MININT };

    for (guint i = 0; i < G_N_ELEMENTS (bad_terms); i++)
      {
        g_autoptr(BbCustomer) b = get_customer (f->db, b_id);
        g_autoptr(BbCustomer) c = make_customer ("New one");

        b->payment_terms_days = bad_terms[i];
        assert_refused (f->db, b, "Payment terms");
        c->payment_terms_days = bad_terms[i];
        assert_refused (f->db, c, "Payment terms");
      }
  }

  /* Credit limit and class. */
  {
    g_autoptr(BbCustomer) b = get_customer (f->db, b_id);

    b->credit_limit = -1;
    assert_refused (f->db, b, "Credit limit");
    b->credit_limit = 0;
    b->class_override = 'D';
    assert_refused (f->db, b, "Class");
  }

  /* Per field, as the editor asks while typing. */
  {
    g_autoptr(BbCustomer) b = get_customer (f->db, b_id);

    SET (b, email, "a@b");
    g_assert_false (bb_customers_validate_field (f->db, b, BB_CUSTOMER_FIELD_EMAIL, &error));
    g_assert_true (g_str_has_prefix (error->message, "Email:"));
    g_clear_error (&error);
    g_assert_true (bb_customers_validate_field (f->db, b, BB_CUSTOMER_FIELD_NAME, &error));
    g_assert_no_error (error);
  }

  /* Good values still go through: the edge of every rule. */
  {
    g_autoptr(BbCustomer) b = get_customer (f->db, b_id);
    g_autoptr(BbCustomer) stored = NULL;

    b->payment_terms_days = 3650;
    SET (b, phone, "+86 (10) 1234-5678");
    SET (b, email, "li.si+shop@mail.example.cn");
    SET (b, notes, "Line one\nLine two\twith a tab");
    g_assert_true (bb_customers_save (f->db, b, &error));
    g_assert_no_error (error);
    stored = get_customer (f->db, b_id);
    g_assert_cmpint (stored->payment_terms_days, ==, 3650);
    g_assert_cmpstr (stored->notes, ==, "Line one\nLine two\twith a tab");

    stored->payment_terms_days = 0;
    g_assert_true (bb_customers_save (f->db, stored, &error));
    g_assert_no_error (error);
  }
}

/* Saving a customer with its own code is no clash. */
static void
test_validate_own_code (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) a = make_customer ("Alpha");
  g_autoptr(BbCustomer) again = NULL;

  SET (a, code, "A-1");
  g_assert_true (bb_customers_save (f->db, a, &error));
  g_assert_no_error (error);

  again = get_customer (f->db, a->id);
  SET (again, name, "Alpha renamed");
  g_assert_true (bb_customers_save (f->db, again, &error));
  g_assert_no_error (error);

  /* Same object saved twice. */
  SET (a, name, "Alpha again");
  g_assert_true (bb_customers_save (f->db, a, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM customers"), ==, 1);
  g_clear_object (&again);
  again = get_customer (f->db, a->id);
  g_assert_cmpstr (again->name, ==, "Alpha again");
  g_assert_cmpstr (again->code, ==, "A-1");
}

/* ---- Archive and erase ------------------------------------------------ */

static void
test_archive (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_customer (f->db, "张三", NULL, NULL);
  BbCustomerQuery all = { NULL, 0, NULL, TRUE, BB_CUSTOMER_SORT_NAME, FALSE };
  BbCustomerQuery shown = { NULL, 0, NULL, FALSE, BB_CUSTOMER_SORT_NAME, FALSE };
  g_autoptr(BbCustomer) c = NULL;
  g_autofree char *action = NULL;

  add_customer (f->db, "李四", NULL, NULL);

  g_assert_true (bb_customers_set_archived (f->db, id, TRUE, &error));
  g_assert_no_error (error);
  c = get_customer (f->db, id);
  g_assert_true (c->archived);
  g_assert_cmpint (bb_customers_count (f->db, &shown, NULL), ==, 1);
  g_assert_cmpint (bb_customers_count (f->db, &all, NULL), ==, 2);
  assert_search (f->db, "张", "");
  assert_search (f->db, NULL, "李四");
  {
    g_autofree char *names = search_names_full (f->db, "张", 0, NULL, TRUE);

    g_assert_cmpstr (names, ==, "张三");
  }
  action = last_audit (f->db, id, "action");
  g_assert_cmpstr (action, ==, "archive");

  g_assert_true (bb_customers_set_archived (f->db, id, FALSE, &error));
  g_assert_no_error (error);
  g_clear_object (&c);
  c = get_customer (f->db, id);
  g_assert_false (c->archived);
  g_assert_cmpint (bb_customers_count (f->db, &shown, NULL), ==, 2);
  assert_search (f->db, "张", "张三");
  g_free (action);
  action = last_audit (f->db, id, "action");
  g_assert_cmpstr (action, ==, "unarchive");

  g_assert_false (bb_customers_set_archived (f->db, 9999, TRUE, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND);
}

static void
test_erase (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = make_customer ("张三");
  g_autoptr(BbCustomer) stored = NULL;
  g_autoptr(BbInteraction) interaction = g_new0 (BbInteraction, 1);
  g_autoptr(GPtrArray) invoices = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *action = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *before_money = NULL;
  g_autofree char *after_money = NULL;
  gint64 other;

  g_assert_true (bb_customer_fields_add (f->db, "WeChat ID", &error));
  SET (c, code, "ZS-1");
  SET (c, company, "Acme");
  SET (c, phone, "138 0013 8000");
  SET (c, email, "zhang@example.com");
  SET (c, address, "1 Main Street");
  SET (c, tax_id, "91110000");
  SET (c, tags, "vip");
  SET (c, notes, "Likes green tea");
  g_hash_table_insert (c->custom_fields, g_strdup ("WeChat ID"), g_strdup ("zhangsan"));
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);
  other = add_customer (f->db, "李四", NULL, NULL);

  interaction->customer_id = c->id;
  interaction->occurred_on = g_strdup ("2026-01-05");
  interaction->channel = g_strdup ("phone");
  interaction->kind = g_strdup ("communication");
  interaction->summary = g_strdup ("Asked about the price of tea");
  g_assert_true (bb_interactions_add (f->db, interaction, &error));
  g_assert_no_error (error);

  /* A bill of 300.00, half paid. */
  sql_exec (f->db,
            "INSERT INTO invoices (id, number, customer_id, status, issued_on, due_on, currency, "
            "  subtotal, total, paid, open_balance, created_at, updated_at) "
            "VALUES (1, 'INV-1', %" G_GINT64_FORMAT ", 'issued', '2026-01-01', '2026-01-31', 'CNY', "
            "  30000, 30000, 15000, 15000, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
            "INSERT INTO payments (id, customer_id, received_on, amount, method, reference, created_at) "
            "VALUES (1, %" G_GINT64_FORMAT ", '2026-01-10', 15000, 'alipay', 'ALI-1', '2026-01-10T00:00:00Z');"
            "INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at) "
            "VALUES (1, 1, 15000, '2026-01-10T00:00:00Z');",
            c->id, c->id);
  g_assert_true (_bb_customers_refresh_summary (f->db, c->id, &error));
  g_assert_no_error (error);
  before_money = sql_text (f->db,
                           "SELECT (SELECT sum(total) || '/' || sum(open_balance) FROM invoices) || '/' || "
                           "(SELECT sum(amount) FROM payments) || '/' || (SELECT sum(amount) FROM payment_allocations)");

  g_assert_true (bb_customers_erase (f->db, c->id, &error));
  g_assert_no_error (error);

  stored = get_customer (f->db, c->id);
  g_assert_cmpstr (stored->name, ==, "Erased customer");
  g_assert_cmpstr (stored->company, ==, "");
  g_assert_cmpstr (stored->phone, ==, "");
  g_assert_cmpstr (stored->email, ==, "");
  g_assert_cmpstr (stored->address, ==, "");
  g_assert_cmpstr (stored->tax_id, ==, "");
  g_assert_cmpstr (stored->tags, ==, "");
  g_assert_cmpstr (stored->notes, ==, "");
  g_assert_cmpuint (g_hash_table_size (stored->custom_fields), ==, 0);
  g_assert_true (stored->erased);
  g_assert_true (stored->archived);
  g_assert_cmpstr (stored->code, ==, "ZS-1");
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM customer_field_values"), ==, 0);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM interactions"), ==, 0);
  g_assert_cmpint (sql_int (f->db,
                            "SELECT count(*) FROM customers WHERE search_text LIKE '%%zhang%%' "
                            "OR search_text LIKE '%%138%%' OR search_text LIKE '%%张%%' OR search_text LIKE '%%vip%%'"),
                   ==, 0);

  /* The money rows are all there, under the customer, and still count. */
  after_money = sql_text (f->db,
                          "SELECT (SELECT sum(total) || '/' || sum(open_balance) FROM invoices) || '/' || "
                          "(SELECT sum(amount) FROM payments) || '/' || (SELECT sum(amount) FROM payment_allocations)");
  g_assert_cmpstr (after_money, ==, before_money);
  g_assert_cmpstr (after_money, ==, "30000/15000/15000/15000");
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM invoices WHERE customer_id = %" G_GINT64_FORMAT, c->id), ==, 1);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM payments WHERE customer_id = %" G_GINT64_FORMAT, c->id), ==, 1);
  g_assert_cmpint (stored->outstanding, ==, 15000);
  g_assert_cmpstr (stored->last_payment_on, ==, "2026-01-10");
  invoices = bb_customers_list_invoices (f->db, c->id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (invoices->len, ==, 1);
  payments = bb_customers_list_payments (f->db, c->id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 1);
  g_assert_true (bb_db_check (f->db, &problems, &error));
  g_assert_no_error (error);

  /* Hidden from the list; found by its code among archived ones only. */
  assert_search (f->db, NULL, "李四");
  assert_search (f->db, "zs-1", "");
  {
    g_autofree char *names = search_names_full (f->db, "zs-1", 0, NULL, TRUE);
    g_autofree char *by_name = search_names_full (f->db, "张三", 0, NULL, TRUE);
    g_autofree char *by_phone = search_names_full (f->db, "1380013", 0, NULL, TRUE);

    g_assert_cmpstr (names, ==, "Erased customer");
    g_assert_cmpstr (by_name, ==, "");
    g_assert_cmpstr (by_phone, ==, "");
  }

  action = last_audit (f->db, c->id, "action");
  detail = last_audit (f->db, c->id, "detail");
  g_assert_cmpstr (action, ==, "erase");
  g_assert_cmpstr (detail, ==, "ZS-1");

  /* It cannot be edited back. */
  {
    g_autofree char *snap = snapshot (f->db);
    g_autofree char *snap_after = NULL;

    SET (stored, name, "张三");
    SET (stored, phone, "138 0013 8000");
    g_assert_false (bb_customers_save (f->db, stored, &error));
    g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
    g_clear_error (&error);
    snap_after = snapshot (f->db);
    g_assert_cmpstr (snap_after, ==, snap);
  }

  /* The other customer is untouched. */
  {
    g_autoptr(BbCustomer) li = get_customer (f->db, other);

    g_assert_cmpstr (li->name, ==, "李四");
    g_assert_false (li->erased);
  }
}

/* ---- Search ----------------------------------------------------------- */

static void
test_search_chinese (Fixture       *f,
                     gconstpointer  data)
{
  add_customer (f->db, "张三", NULL, NULL);
  add_customer (f->db, "王小明", NULL, NULL);
  add_customer (f->db, "李明", NULL, NULL);
  add_customer (f->db, "王一", NULL, NULL);
  add_customer (f->db, "李四", NULL, NULL);

  assert_search (f->db, "三", "张三");
  assert_search (f->db, "张", "张三");
  assert_search (f->db, "张三", "张三");
  assert_search (f->db, "小明", "王小明");
  assert_search (f->db, "明", "李明|王小明");
  assert_search (f->db, "王", "王一|王小明");
  assert_search (f->db, "一", "王一");
  assert_search (f->db, "四", "李四");
  assert_search (f->db, "王五", "");
  /* An ideographic space separates words as a space does. */
  assert_search (f->db, "王\u3000小明", "王小明");
  assert_search (f->db, "小明 王", "王小明");
  assert_search (f->db, "", "张三|李四|李明|王一|王小明");
  assert_search (f->db, "   ", "张三|李四|李明|王一|王小明");
}

/* Every search agrees with reading every customer's search text (LIKE),
 * whichever way core answers it: the trigram index, the kept counts of
 * single letters and digits, or LIKE. */
static void
assert_search_agrees (BbDb *db)
{
  static const char *texts[] = {
    "a", "e", "z", "1", "8", "张", "明", "王小", "小明", "ll", "an", "138", "0013",
    "wang", "li ming", "c0", "vip", "@", "e 王", NULL
  };

  for (guint i = 0; texts[i]; i++)
    {
      BbCustomerQuery query = { (char *) texts[i], 0, NULL, FALSE, BB_CUSTOMER_SORT_NAME, FALSE };
      g_auto(GStrv) words = g_strsplit (texts[i], " ", -1);
      g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM customers WHERE archived = 0");
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GError) error = NULL;
      sqlite3_stmt *stmt;
      gint64 expected;

      for (guint w = 0; words[w]; w++)
        g_string_append (sql, " AND instr(lower(search_text), ?) > 0");
      stmt = _bb_db_prepare (db, sql->str, &error);
      g_assert_no_error (error);
      for (guint w = 0; words[w]; w++)
        sqlite3_bind_text (stmt, (int) w + 1, words[w], -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      expected = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);

      g_test_message ("search “%s”: %" G_GINT64_FORMAT, texts[i], expected);
      g_assert_cmpint (bb_customers_count (db, &query, &error), ==, expected);
      g_assert_no_error (error);
      rows = bb_customers_search (db, &query, 0, 1000, &error);
      g_assert_no_error (error);
      g_assert_cmpint (rows->len, ==, expected);
    }
}

static void
test_search_follows_changes (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 a, b, c;

  assert_search_agrees (f->db);
  a = add_customer (f->db, "王小明", "138 0013 8000", "vip");
  b = add_customer (f->db, "Li Ming", "+44 7700 900123", NULL);
  c = add_customer (f->db, "Allan Wang", NULL, "wholesale");
  add_customer (f->db, "张三", "139 1111 2222", NULL);
  assert_search_agrees (f->db);

  /* Renamed, archived, back again, erased. */
  {
    g_autoptr(BbCustomer) changed = get_customer (f->db, c);

    SET (changed, name, "Zed Zhang");
    g_assert_true (bb_customers_save (f->db, changed, &error));
    g_assert_no_error (error);
  }
  assert_search_agrees (f->db);
  g_assert_true (bb_customers_set_archived (f->db, a, TRUE, &error));
  assert_search_agrees (f->db);
  g_assert_true (bb_customers_set_archived (f->db, a, FALSE, &error));
  assert_search_agrees (f->db);
  g_assert_true (bb_customers_erase (f->db, b, &error));
  g_assert_no_error (error);
  assert_search_agrees (f->db);

  /* A change undone leaves the index as it was. */
  g_assert_true (bb_db_begin (f->db, &error));
  g_assert_true (bb_customers_set_archived (f->db, c, TRUE, &error));
  bb_db_rollback (f->db);
  assert_search_agrees (f->db);
}

static void
test_search_fields (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = make_customer ("Zhang Wei");

  SET (c, code, "ZW-01");
  SET (c, company, "Acme Trading");
  SET (c, email, "wei@example.com");
  SET (c, tags, "VIP,wholesale");
  SET (c, address, "Secret Street");
  SET (c, notes, "hidden note");
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);
  add_customer (f->db, "Li Na", NULL, "retail");
  add_customer (f->db, "École Lumière", NULL, NULL);

  assert_search (f->db, "zhang", "Zhang Wei");
  assert_search (f->db, "ZHANG", "Zhang Wei");
  assert_search (f->db, "ZhAnG wEi", "Zhang Wei");
  assert_search (f->db, "acme", "Zhang Wei");
  assert_search (f->db, "TRADING", "Zhang Wei");
  assert_search (f->db, "wei@example", "Zhang Wei");
  assert_search (f->db, "EXAMPLE.COM", "Zhang Wei");
  assert_search (f->db, "zw-01", "Zhang Wei");
  assert_search (f->db, "ZW-01", "Zhang Wei");
  assert_search (f->db, "wholesale", "Zhang Wei");
  assert_search (f->db, "vip", "Zhang Wei");
  assert_search (f->db, "retail", "Li Na");
  assert_search (f->db, "école", "École Lumière");
  assert_search (f->db, "ÉCOLE LUMIÈRE", "École Lumière");
  /* Multi-word: every word must match, each anywhere. */
  assert_search (f->db, "acme zhang", "Zhang Wei");
  assert_search (f->db, "acme li", "");
  assert_search (f->db, "li na", "Li Na");
  assert_search (f->db, "na li", "Li Na");
  /* Address and notes are not searched. */
  assert_search (f->db, "secret", "");
  assert_search (f->db, "hidden", "");
  /* A word does not match across two fields. */
  assert_search (f->db, "wei acme", "Zhang Wei");
  assert_search (f->db, "weiacme", "");
}

static void
test_search_phone (Fixture       *f,
                   gconstpointer  data)
{
  add_customer (f->db, "Phone Person", "138 0013 8000", NULL);
  add_customer (f->db, "Office", "(010) 6512-3456", NULL);
  add_customer (f->db, "No phone", NULL, NULL);

  assert_search (f->db, "1380013", "Phone Person");
  assert_search (f->db, "13800138000", "Phone Person");
  assert_search (f->db, "138-0013-8000", "Phone Person");
  assert_search (f->db, "138 0013 8000", "Phone Person");
  assert_search (f->db, "+86 138 0013", "");        /* 86 is not in the stored number */
  assert_search (f->db, "138-0013-8001", "");
  /* Two words: both must be found among the digits; "0013" and "8000"
   * are, so the customer is found (as it would be for "8000 0013"). */
  assert_search (f->db, "0013 8000", "Phone Person");
  assert_search (f->db, "8000 0013", "Phone Person");
  assert_search (f->db, "0013 9999", "");
  assert_search (f->db, "(010) 6512", "Office");
  assert_search (f->db, "010-6512-3456", "Office");
  assert_search (f->db, "65123456", "Office");
}

static void
test_search_like_metacharacters (Fixture       *f,
                                 gconstpointer  data)
{
  add_customer (f->db, "100% Cotton", NULL, NULL);
  add_customer (f->db, "1000 Cottons", NULL, NULL);
  add_customer (f->db, "A_B Trading", NULL, NULL);
  add_customer (f->db, "AXB Ltd", NULL, NULL);
  add_customer (f->db, "Back\\slash", NULL, NULL);

  assert_search (f->db, "100%", "100% Cotton");
  assert_search (f->db, "%", "100% Cotton");
  assert_search (f->db, "%%", "");
  assert_search (f->db, "_", "A_B Trading");
  assert_search (f->db, "a_b", "A_B Trading");
  assert_search (f->db, "\\", "Back\\slash");
  assert_search (f->db, "k\\s", "Back\\slash");
  assert_search (f->db, "'", "");
  assert_search (f->db, "cotton", "100% Cotton|1000 Cottons");
}

static void
test_search_filters (Fixture       *f,
                     gconstpointer  data)
{
  gint64 a = add_customer (f->db, "Alpha", NULL, "vip");
  gint64 b = add_customer (f->db, "Bravo", NULL, "vip2");
  gint64 d = add_customer (f->db, "Delta", NULL, "Élite");
  g_auto(GStrv) tags = NULL;

  add_customer (f->db, "Charlie", NULL, "VIP,wholesale");
  add_customer (f->db, "Echo", NULL, "会员，批发");
  add_customer (f->db, "Foxtrot", NULL, "a_b");
  add_customer (f->db, "Golf", NULL, "axb");

  sql_exec (f->db, "UPDATE customers SET class = 'A' WHERE id IN (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")", a, d);
  sql_exec (f->db, "UPDATE customers SET class = 'C' WHERE id = %" G_GINT64_FORMAT, b);

#define FILTER(klass, tag, expected) \
  G_STMT_START { \
    g_autofree char *found_ = search_names_full (f->db, NULL, klass, tag, FALSE); \
    g_test_message ("class %c tag %s", klass ? klass : '-', tag ? tag : "-"); \
    g_assert_cmpstr (found_, ==, expected); \
  } G_STMT_END

  FILTER ('A', NULL, "Alpha|Delta");
  FILTER ('B', NULL, "Charlie|Echo|Foxtrot|Golf");
  FILTER ('C', NULL, "Bravo");
  FILTER (0, "vip", "Alpha|Charlie");
  FILTER (0, "VIP", "Alpha|Charlie");
  FILTER (0, "vip2", "Bravo");
  FILTER (0, "vi", "");
  FILTER (0, "wholesale", "Charlie");
  FILTER (0, "a_b", "Foxtrot");
  FILTER (0, "%", "");
  FILTER (0, "Élite", "Delta");
  FILTER (0, "会员", "Echo");
  FILTER (0, "批发", "Echo");
  FILTER (0, "", "Alpha|Bravo|Charlie|Delta|Echo|Foxtrot|Golf");
  FILTER ('A', "vip", "Alpha");
  FILTER ('C', "vip", "");
#undef FILTER

  /* Filters and text together. */
  {
    g_autofree char *found = search_names_full (f->db, "a", 'B', "wholesale", FALSE);

    g_assert_cmpstr (found, ==, "Charlie");
  }

  tags = bb_customers_list_tags (f->db);
  g_assert_true (g_strv_contains ((const char * const *) tags, "vip"));
  g_assert_true (g_strv_contains ((const char * const *) tags, "vip2"));
  g_assert_true (g_strv_contains ((const char * const *) tags, "wholesale"));
  g_assert_true (g_strv_contains ((const char * const *) tags, "Élite"));
  g_assert_true (g_strv_contains ((const char * const *) tags, "会员"));
  g_assert_true (g_strv_contains ((const char * const *) tags, "批发"));
  for (guint i = 0; tags[i]; i++)
    g_assert_true (g_utf8_validate (tags[i], -1, NULL));
}

/* ---- Sorting ---------------------------------------------------------- */

static void
add_sort_data (BbDb *db)
{
  static const struct {
    const char *name, *code, *phone, klass;
    gint64 outstanding, prepaid;
    const char *last_payment;
    gboolean archived;
  } rows[] = {
    { "alice",   "K05", "139 0000 0001", 'A', 5000,  0,    "2026-01-05", FALSE },
    { "Alice",   "K01", "",              'B', 0,     100,  NULL,         FALSE },
    { "Bob",     "k02", "138 0000 0002", 'C', 5000,  0,    "2025-12-01", FALSE },
    { "bob",     "K10", "138 0000 0002", 'A', 120,   100,  "2026-01-05", FALSE },
    { "张三",    "K03", "",              'B', 0,     0,    NULL,         FALSE },
    { "李四",    "K04", "137 1111 2222", 'C', 99999, 5,    "2026-02-01", FALSE },
    { "Zoe",     "A99", "+86 10 1",      'B', -200,  0,    "2024-07-30", FALSE },
    { "Émile",   "K06", "139 0000 0001", 'A', 0,     7000, "2026-01-05", FALSE },
    { "_under",  "K07", "(010) 1",       'B', 1,     0,    NULL,         FALSE },
    { "Old",     "K08", "135 0000 0000", 'C', 0,     0,    "2020-01-01", TRUE },
    { "Oscar",   "K09", "",              'B', 5000,  100,  "2026-01-05", FALSE },
    { "oscar",   "K11", "",              'B', 5000,  100,  "2026-01-05", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BbCustomer) c = make_customer (rows[i].name);

      SET (c, code, rows[i].code);
      SET (c, phone, rows[i].phone);
      g_assert_true (bb_customers_save (db, c, &error));
      g_assert_no_error (error);
      sql_exec (db,
                "UPDATE customers SET class = '%c', outstanding = %" G_GINT64_FORMAT ", "
                "prepaid_balance = %" G_GINT64_FORMAT ", last_payment_on = %s%s%s, archived = %d "
                "WHERE id = %" G_GINT64_FORMAT,
                rows[i].klass, rows[i].outstanding, rows[i].prepaid,
                rows[i].last_payment ? "'" : "", rows[i].last_payment ? rows[i].last_payment : "NULL",
                rows[i].last_payment ? "'" : "", rows[i].archived, c->id);
    }
}

static char *
search_ids (BbDb                  *db,
            const BbCustomerQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = bb_customers_search (db, query, 0, 1000, &error);
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, s->len ? "," : "",
                            ((BbCustomer *) g_ptr_array_index (rows, i))->id);

  return g_string_free (s, FALSE);
}

static char *
reverse_ids (const char *ids)
{
  g_auto(GStrv) parts = g_strsplit (ids, ",", -1);
  guint n = g_strv_length (parts);
  GString *s = g_string_new (NULL);

  for (guint i = n; i > 0; i--)
    g_string_append_printf (s, "%s%s", s->len ? "," : "", parts[i - 1]);

  return g_string_free (s, FALSE);
}

static void
test_sort (Fixture       *f,
           gconstpointer  data)
{
  /* Independent statements of each order. lower() and NOCASE both fold
   * ASCII letters only; never-paid customers sort as the oldest. */
  static const struct { BbCustomerSort sort; const char *order; } orders[] = {
    { BB_CUSTOMER_SORT_NAME, "lower(name), id" },
    { BB_CUSTOMER_SORT_PHONE, "phone, id" },
    { BB_CUSTOMER_SORT_CLASS, "class, lower(name), id" },
    { BB_CUSTOMER_SORT_OUTSTANDING, "outstanding, id" },
    { BB_CUSTOMER_SORT_PREPAID, "prepaid_balance, id" },
    { BB_CUSTOMER_SORT_LAST_PAYMENT, "last_payment_on IS NOT NULL, last_payment_on, id" },
    { BB_CUSTOMER_SORT_CODE, "code, id" },
  };

  add_sort_data (f->db);

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    for (int archived = 0; archived <= 1; archived++)
      {
        BbCustomerQuery query = { NULL, 0, NULL, archived, orders[i].sort, FALSE };
        g_autofree char *sql = g_strdup_printf ("SELECT id FROM customers %s ORDER BY %s",
                                                archived ? "" : "WHERE archived = 0", orders[i].order);
        g_autofree char *expected = sql_ids (f->db, sql);
        g_autofree char *expected_desc = reverse_ids (expected);
        g_autofree char *ascending = NULL;
        g_autofree char *descending = NULL;

        g_test_message ("sort %d, archived %d: %s", orders[i].sort, archived, expected);
        ascending = search_ids (f->db, &query);
        g_assert_cmpstr (ascending, ==, expected);
        query.descending = TRUE;
        descending = search_ids (f->db, &query);
        g_assert_cmpstr (descending, ==, expected_desc);

        /* Paging gives the same order. */
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) page = bb_customers_search (f->db, &query, 3, 4, &error);
          g_auto(GStrv) all = g_strsplit (descending, ",", -1);

          g_assert_no_error (error);
          g_assert_cmpuint (page->len, ==, 4);
          for (guint k = 0; k < page->len; k++)
            g_assert_cmpint (((BbCustomer *) g_ptr_array_index (page, k))->id, ==,
                             g_ascii_strtoll (all[3 + k], NULL, 10));
        }
      }
}

static void
test_position (Fixture       *f,
               gconstpointer  data)
{
  const char *texts[] = { NULL, "o", "138" };

  add_sort_data (f->db);

  for (int sort = BB_CUSTOMER_SORT_NAME; sort <= BB_CUSTOMER_SORT_CODE; sort++)
    for (int descending = 0; descending <= 1; descending++)
      for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
        for (int archived = 0; archived <= 1; archived++)
          {
            g_autoptr(GError) error = NULL;
            BbCustomerQuery query = { (char *) texts[t], 0, NULL, archived, sort, descending };
            g_autoptr(GPtrArray) rows = bb_customers_search (f->db, &query, 0, 1000, &error);

            g_assert_no_error (error);
            g_assert_cmpuint (rows->len, >, 0);
            for (guint i = 0; i < rows->len; i++)
              {
                gint64 pos = bb_customers_position (f->db, &query, g_ptr_array_index (rows, i), &error);

                g_assert_no_error (error);
                if (pos != (gint64) i)
                  g_test_message ("sort %d desc %d text %s: %s at %u, position %" G_GINT64_FORMAT,
                                  sort, descending, texts[t], ((BbCustomer *) g_ptr_array_index (rows, i))->name,
                                  i, pos);
                g_assert_cmpint (pos, ==, i);
              }
          }
}

/* ---- Class ------------------------------------------------------------ */

static int invoice_counter;

static char *
iso_offset (const GDate *today,
            int          days)
{
  GDate d = *today;

  if (days < 0)
    g_date_subtract_days (&d, -days);
  else
    g_date_add_days (&d, days);

  return bb_date_to_iso (&d);
}

/* An issued bill, unpaid. Days are relative to @today. */
static gint64
add_bill (BbDb        *db,
          gint64       customer,
          const GDate *today,
          int          issued,
          int          due,
          BbMoney      total)
{
  g_autofree char *issued_on = iso_offset (today, issued);
  g_autofree char *due_on = iso_offset (today, due);
  int n = ++invoice_counter;

  sql_exec (db,
            "INSERT INTO invoices (id, number, customer_id, status, issued_on, due_on, currency, "
            "  subtotal, total, paid, open_balance, created_at, updated_at) "
            "VALUES (%d, 'INV-%04d', %" G_GINT64_FORMAT ", 'issued', '%s', '%s', 'CNY', "
            "  %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 0, %" G_GINT64_FORMAT ", '%sT09:00:00Z', '%sT09:00:00Z')",
            n, n, customer, issued_on, due_on, total, total, total, issued_on, issued_on);

  return n;
}

/* A payment, allocated to @bill (0: kept as credit). */
static gint64
add_payment (BbDb        *db,
             gint64       customer,
             gint64       bill,
             const GDate *today,
             int          received,
             BbMoney      amount)
{
  g_autofree char *received_on = iso_offset (today, received);
  gint64 id;

  sql_exec (db,
            "INSERT INTO payments (customer_id, received_on, amount, method, reference, created_at) "
            "VALUES (%" G_GINT64_FORMAT ", '%s', %" G_GINT64_FORMAT ", 'bank_transfer', 'REF', '%sT10:00:00Z')",
            customer, received_on, amount, received_on);
  id = sqlite3_last_insert_rowid (_bb_db_get_handle (db));

  if (bill != 0)
    sql_exec (db,
              "INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at) "
              "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '%sT10:00:00Z');"
              "UPDATE invoices SET paid = paid + %" G_GINT64_FORMAT ", open_balance = open_balance - %" G_GINT64_FORMAT
              " WHERE id = %" G_GINT64_FORMAT,
              id, bill, amount, received_on, amount, amount, bill);

  return id;
}

static char
compute_class (BbDb        *db,
               gint64       id,
               const GDate *today)
{
  g_autoptr(GError) error = NULL;
  char klass = bb_customers_compute_class (db, id, today, &error);

  g_assert_no_error (error);
  return klass;
}

static void
set_today (GDate *today)
{
  g_date_clear (today, 1);
  g_date_set_dmy (today, 15, G_DATE_JUNE, 2026);
}

static void
test_class_late (Fixture       *f,
                 gconstpointer  data)
{
  GDate today;
  gint64 late8 = add_customer (f->db, "Eight days late", NULL, NULL);
  gint64 late7 = add_customer (f->db, "Seven days late", NULL, NULL);
  gint64 paid = add_customer (f->db, "Paid late bill", NULL, NULL);
  gint64 partly = add_customer (f->db, "One fen open", NULL, NULL);
  gint64 bill;

  set_today (&today);

  add_bill (f->db, late8, &today, -38, -8, 10000);
  g_assert_cmpint (compute_class (f->db, late8, &today), ==, 'C');

  add_bill (f->db, late7, &today, -37, -7, 10000);
  g_assert_cmpint (compute_class (f->db, late7, &today), ==, 'B');
  /* One day later it is C. */
  {
    GDate tomorrow = today;

    g_date_add_days (&tomorrow, 1);
    g_assert_cmpint (compute_class (f->db, late7, &tomorrow), ==, 'C');
  }

  bill = add_bill (f->db, paid, &today, -60, -30, 10000);
  add_payment (f->db, paid, bill, &today, -25, 10000);
  g_assert_cmpint (compute_class (f->db, paid, &today), ==, 'B');

  bill = add_bill (f->db, partly, &today, -60, -30, 10000);
  add_payment (f->db, partly, bill, &today, -31, 9999);
  g_assert_cmpint (compute_class (f->db, partly, &today), ==, 'C');
}

static char
stored_class (BbDb   *db,
              gint64  id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) customer = bb_customers_get (db, id, &error);

  g_assert_no_error (error);
  return customer->klass;
}

/* Time alone makes a customer C: the daily refresh of the whole book
 * finds it, agrees with the rule for one customer, and leaves manual
 * classes alone. */
static void
test_class_refresh (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GDate today, later;
  gint64 late = add_customer (f->db, "Soon late", NULL, NULL);
  g_autoptr(BbCustomer) manual = make_customer ("Kept at A");
  gint64 kept, fine;
  guint n_changed = 99;

  manual->class_override = 'A';
  g_assert_true (bb_customers_save (f->db, manual, &error));
  g_assert_no_error (error);
  kept = manual->id;
  fine = add_customer (f->db, "Nothing owed", NULL, NULL);

  set_today (&today);
  add_bill (f->db, late, &today, -30, 0, 10000);
  add_bill (f->db, kept, &today, -30, 0, 10000);

  g_assert_true (bb_customers_refresh_classes (f->db, &today, &n_changed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stored_class (f->db, late), ==, 'B');

  /* Eight days on, nobody paid. */
  later = today;
  g_date_add_days (&later, 8);
  g_assert_true (bb_customers_refresh_classes (f->db, &later, &n_changed, &error));
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpint (stored_class (f->db, late), ==, 'C');
  g_assert_cmpint (stored_class (f->db, kept), ==, 'A');
  g_assert_cmpint (stored_class (f->db, fine), ==, 'B');
  for (gint64 id = 1; id <= fine; id++)
    if (id != kept)
      g_assert_cmpint (stored_class (f->db, id), ==, compute_class (f->db, id, &later));

  /* Again the same day: nothing to change. */
  g_assert_true (bb_customers_refresh_classes (f->db, &later, &n_changed, &error));
  g_assert_cmpuint (n_changed, ==, 0);
}

static void
test_class_credit_limit (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) limited = make_customer ("Limited");
  g_autoptr(BbCustomer) unlimited = make_customer ("Unlimited");
  g_autoptr(BbCustomer) stored = NULL;
  GDate today;

  set_today (&today);
  limited->credit_limit = 50000;
  g_assert_true (bb_customers_save (f->db, limited, &error));
  g_assert_no_error (error);
  g_assert_true (bb_customers_save (f->db, unlimited, &error));
  g_assert_no_error (error);

  /* Outstanding set directly. */
  sql_exec (f->db, "UPDATE customers SET outstanding = 50000 WHERE id = %" G_GINT64_FORMAT, limited->id);
  g_assert_cmpint (compute_class (f->db, limited->id, &today), ==, 'B');
  sql_exec (f->db, "UPDATE customers SET outstanding = 50001 WHERE id = %" G_GINT64_FORMAT, limited->id);
  g_assert_cmpint (compute_class (f->db, limited->id, &today), ==, 'C');
  sql_exec (f->db, "UPDATE customers SET outstanding = 0 WHERE id = %" G_GINT64_FORMAT, limited->id);
  g_assert_cmpint (compute_class (f->db, limited->id, &today), ==, 'B');

  /* Outstanding kept from bills not yet due. */
  add_bill (f->db, limited->id, &today, -5, 25, 30000);
  add_bill (f->db, limited->id, &today, -2, 28, 30000);
  g_assert_true (_bb_customers_refresh_summary (f->db, limited->id, &error));
  g_assert_no_error (error);
  stored = get_customer (f->db, limited->id);
  g_assert_cmpint (stored->outstanding, ==, 60000);
  g_assert_cmpint (compute_class (f->db, limited->id, &today), ==, 'C');

  /* No limit: no class C for owing a lot. */
  add_bill (f->db, unlimited->id, &today, -5, 25, 9000000);
  g_assert_true (_bb_customers_refresh_summary (f->db, unlimited->id, &error));
  g_assert_no_error (error);
  g_clear_object (&stored);
  stored = get_customer (f->db, unlimited->id);
  g_assert_cmpint (stored->outstanding, ==, 9000000);
  g_assert_cmpint (compute_class (f->db, unlimited->id, &today), ==, 'B');
}

/* Two bills in the last year, 6,000.00 + 4,000.00 (plus @extra on the
 * second), paid @second_paid days relative to today; the second is due
 * 10 days ago. */
static gint64
good_year (BbDb        *db,
           const char  *name,
           const GDate *today,
           int          second_paid,
           BbMoney      second_total)
{
  gint64 id = add_customer (db, name, NULL, NULL);
  gint64 bill;

  bill = add_bill (db, id, today, -100, -70, 600000);
  add_payment (db, id, bill, today, -75, 600000);
  bill = add_bill (db, id, today, -40, -10, second_total);
  add_payment (db, id, bill, today, second_paid, second_total);

  return id;
}

static void
test_class_a (Fixture       *f,
              gconstpointer  data)
{
  GDate today;
  gint64 id;

  set_today (&today);
  g_assert_cmpint (bb_customers_get_class_a_threshold (f->db), ==, 1000000);

  /* 10,000.00 paid, every bill on or before its due date. */
  id = good_year (f->db, "On time", &today, -10, 400000);
  g_assert_cmpint (compute_class (f->db, id, &today), ==, 'A');
  id = good_year (f->db, "Early", &today, -30, 400000);
  g_assert_cmpint (compute_class (f->db, id, &today), ==, 'A');

  /* One payment a day after the due date. */
  id = good_year (f->db, "One late payment", &today, -9, 400000);
  g_assert_cmpint (compute_class (f->db, id, &today), ==, 'B');

  /* A fen short of the threshold. */
  id = good_year (f->db, "Just under", &today, -10, 399999);
  g_assert_cmpint (compute_class (f->db, id, &today), ==, 'B');

  /* Paid plenty, but no bill fell due in the last year. */
  {
    gint64 bill;

    id = add_customer (f->db, "Prepays", NULL, NULL);
    add_payment (f->db, id, 0, &today, -20, 2000000);
    bill = add_bill (f->db, id, &today, -5, 20, 500000);
    add_payment (f->db, id, bill, &today, -3, 500000);
    g_assert_cmpint (compute_class (f->db, id, &today), ==, 'B');
  }

  /* A late bill makes it C, whatever was paid. */
  id = good_year (f->db, "Good but owes", &today, -10, 400000);
  add_bill (f->db, id, &today, -60, -30, 100);
  g_assert_cmpint (compute_class (f->db, id, &today), ==, 'C');
}

static void
test_class_a_threshold_setting (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GDate today;
  gint64 id, bill;

  set_today (&today);
  id = add_customer (f->db, "Small shop", NULL, NULL);
  bill = add_bill (f->db, id, &today, -40, -10, 600000);
  add_payment (f->db, id, bill, &today, -12, 600000);
  g_assert_cmpint (compute_class (f->db, id, &today), ==, 'B');

  g_assert_true (bb_db_set_setting (f->db, "customers.class_a_threshold", "600000", &error));
  g_assert_no_error (error);
  g_assert_cmpint (bb_customers_get_class_a_threshold (f->db), ==, 600000);
  g_assert_cmpint (compute_class (f->db, id, &today), ==, 'A');

  g_assert_true (bb_db_set_setting (f->db, "customers.class_a_threshold", "600001", &error));
  g_assert_cmpint (compute_class (f->db, id, &today), ==, 'B');
}

static void
test_class_window (Fixture       *f,
                   gconstpointer  data)
{
  GDate today;
  gint64 old, recent, bill;

  set_today (&today);

  /* 10,000.00 paid on time, but more than a year ago; this year only 4,000.00. */
  old = add_customer (f->db, "Last year", NULL, NULL);
  bill = add_bill (f->db, old, &today, -430, -400, 600000);
  add_payment (f->db, old, bill, &today, -400, 600000);
  bill = add_bill (f->db, old, &today, -396, -366, 400000);
  add_payment (f->db, old, bill, &today, -366, 400000);
  bill = add_bill (f->db, old, &today, -40, -10, 400000);
  add_payment (f->db, old, bill, &today, -10, 400000);
  g_assert_cmpint (compute_class (f->db, old, &today), ==, 'B');

  /* The same, a day inside the year, counts. */
  recent = add_customer (f->db, "This year", NULL, NULL);
  bill = add_bill (f->db, recent, &today, -394, -364, 600000);
  add_payment (f->db, recent, bill, &today, -364, 600000);
  bill = add_bill (f->db, recent, &today, -40, -10, 400000);
  add_payment (f->db, recent, bill, &today, -10, 400000);
  g_assert_cmpint (compute_class (f->db, recent, &today), ==, 'A');

  /* Payments after "today" do not count either. */
  {
    GDate earlier = today;

    g_date_subtract_days (&earlier, 11);
    g_assert_cmpint (compute_class (f->db, recent, &earlier), ==, 'B');
  }
}

/* A manual class stays until it is cleared. Uses the real today, as
 * save does. */
static void
test_class_override (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = make_customer ("Manual");
  g_autoptr(BbCustomer) stored = NULL;
  GDate today;
  gint64 bill;

  bb_date_set_today (&today);
  c->class_override = 'C';
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);
  stored = get_customer (f->db, c->id);
  g_assert_cmpint (stored->klass, ==, 'C');
  g_assert_cmpint (stored->class_override, ==, 'C');

  /* A history that earns class A. */
  bill = add_bill (f->db, c->id, &today, -100, -70, 600000);
  add_payment (f->db, c->id, bill, &today, -75, 600000);
  bill = add_bill (f->db, c->id, &today, -40, -10, 400000);
  add_payment (f->db, c->id, bill, &today, -10, 400000);
  g_assert_cmpint (compute_class (f->db, c->id, &today), ==, 'A');

  g_assert_true (bb_customers_update_class (f->db, c->id, &today, &error));
  g_assert_no_error (error);
  g_assert_true (_bb_customers_refresh_summary (f->db, c->id, &error));
  g_assert_no_error (error);
  g_clear_object (&stored);
  stored = get_customer (f->db, c->id);
  g_assert_cmpint (stored->klass, ==, 'C');
  g_assert_cmpint (stored->class_override, ==, 'C');

  /* Saving other changes keeps it. */
  SET (stored, company, "Acme");
  g_assert_true (bb_customers_save (f->db, stored, &error));
  g_assert_no_error (error);
  g_clear_object (&stored);
  stored = get_customer (f->db, c->id);
  g_assert_cmpint (stored->klass, ==, 'C');

  /* Cleared: the computed class again. */
  stored->class_override = 0;
  g_assert_true (bb_customers_save (f->db, stored, &error));
  g_assert_no_error (error);
  g_clear_object (&stored);
  stored = get_customer (f->db, c->id);
  g_assert_cmpint (stored->klass, ==, 'A');
  g_assert_cmpint (stored->class_override, ==, 0);
  g_assert_cmpint (sql_int (f->db, "SELECT class_override IS NULL FROM customers WHERE id = %" G_GINT64_FORMAT, c->id), ==, 1);
  {
    g_autofree char *detail = last_audit (f->db, c->id, "detail");

    g_assert_cmpstr (detail, ==, "class");
  }

  /* And a manual B over a computed A. */
  stored->class_override = 'B';
  g_assert_true (bb_customers_save (f->db, stored, &error));
  g_assert_no_error (error);
  g_assert_true (bb_customers_update_class (f->db, c->id, &today, &error));
  g_clear_object (&stored);
  stored = get_customer (f->db, c->id);
  g_assert_cmpint (stored->klass, ==, 'B');
}

/* ---- Interactions ----------------------------------------------------- */

static BbInteraction *
make_interaction (gint64      customer,
                  const char *date,
                  const char *channel,
                  const char *kind)
{
  BbInteraction *i = g_new0 (BbInteraction, 1);

  i->customer_id = customer;
  i->occurred_on = g_strdup (date);
  i->channel = g_strdup (channel);
  i->kind = g_strdup (kind);
  i->summary = g_strdup ("Talked");
  i->outcome = g_strdup ("");
  return i;
}

static void
test_interactions_add (Fixture       *f,
                       gconstpointer  data)
{
  const char *channels[] = { "phone", "visit", "email", "wechat", "sms", "other" };
  const char *kinds[] = { "communication", "complaint", "feedback", "follow_up" };
  gint64 id = add_customer (f->db, "张三", NULL, NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  for (guint c = 0; c < G_N_ELEMENTS (channels); c++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        g_autoptr(BbInteraction) i = make_interaction (id, "2026-03-01", channels[c], kinds[k]);
        g_autofree char *summary = g_strdup_printf ("%s/%s", channels[c], kinds[k]);

        g_free (i->summary);
        i->summary = g_strdup (summary);
        g_assert_true (bb_interactions_add (f->db, i, &error));
        g_assert_no_error (error);
        g_assert_cmpint (i->id, >, 0);
        n++;
      }

  list = bb_interactions_list (f->db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, n);
  for (guint j = 0; j < list->len; j++)
    {
      BbInteraction *i = g_ptr_array_index (list, j);
      g_autofree char *summary = g_strdup_printf ("%s/%s", i->channel, i->kind);

      g_assert_cmpstr (i->summary, ==, summary);
      g_assert_cmpint (i->customer_id, ==, id);
      g_assert_cmpstr (i->occurred_on, ==, "2026-03-01");
      g_assert_null (i->follow_up_on);
      g_assert_false (i->follow_up_done);
    }
  g_assert_cmpint (sql_int (f->db, "SELECT count(DISTINCT channel || kind) FROM interactions"), ==, n);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM audit_log WHERE table_name = 'interactions' AND action = 'create'"), ==, n);

  g_assert_cmpstr (bb_interaction_channel_label ("wechat"), ==, "WeChat");
  g_assert_cmpstr (bb_interaction_kind_label ("follow_up"), ==, "Follow-up");
}

static void
test_interactions_refused (Fixture       *f,
                           gconstpointer  data)
{
  static const struct {
    const char *date, *channel, *kind, *follow_up, *summary, *label;
  } bad[] = {
    { "2026-02-30", "phone", "communication", NULL, "ok", "Date" },
    { "2026-13-01", "phone", "communication", NULL, "ok", "Date" },
    { "yesterday", "phone", "communication", NULL, "ok", "Date" },
    { "", "phone", "communication", NULL, "ok", "Date" },
    { "2026-03-01", "fax", "communication", NULL, "ok", "Channel" },
    { "2026-03-01", "", "communication", NULL, "ok", "Channel" },
    { "2026-03-01", "Phone", "communication", NULL, "ok", "Channel" },
    { "2026-03-01", "phone", "gossip", NULL, "ok", "Kind" },
    { "2026-03-01", "phone", "follow-up", NULL, "ok", "Kind" },
    { "2026-03-05", "phone", "follow_up", "2026-03-04", "ok", "Follow-up date" },
    { "2026-03-05", "phone", "follow_up", "2026-02-30", "ok", "Follow-up date" },
    { "2026-03-05", "phone", "communication", NULL, "bad\x01", "Summary" },
    { "2026-03-05", "phone", "communication", NULL, "\xff", "Summary" },
  };
  gint64 id = add_customer (f->db, "张三", NULL, NULL);
  g_autofree char *before = snapshot (f->db);
  g_autofree char *after = NULL;

  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BbInteraction) i = make_interaction (id, bad[k].date, bad[k].channel, bad[k].kind);
      g_autofree char *prefix = g_strconcat (bad[k].label, ":", NULL);

      i->follow_up_on = g_strdup (bad[k].follow_up);
      g_free (i->summary);
      i->summary = g_strdup (bad[k].summary);
      g_assert_false (bb_interactions_add (f->db, i, &error));
      g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
      g_test_message ("refused: %s", error->message);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_cmpint (i->id, ==, 0);
    }

  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM interactions"), ==, 0);
  after = snapshot (f->db);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM audit_log WHERE table_name = 'interactions'"), ==, 0);

  /* A follow-up on the same day is fine. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BbInteraction) i = make_interaction (id, "2026-03-05", "visit", "follow_up");

    i->follow_up_on = g_strdup ("2026-03-05");
    g_assert_true (bb_interactions_add (f->db, i, &error));
    g_assert_no_error (error);
  }
}

static void
test_interactions_order (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_customer (f->db, "张三", NULL, NULL);
  gint64 other = add_customer (f->db, "李四", NULL, NULL);
  const char *dates[] = { "2026-01-05", "2026-03-01", "2026-02-10", "2026-03-01" };
  gint64 ids[G_N_ELEMENTS (dates)];
  g_autoptr(GPtrArray) list = NULL;
  gint64 follow_up_id;

  for (guint k = 0; k < G_N_ELEMENTS (dates); k++)
    {
      g_autoptr(BbInteraction) i = make_interaction (id, dates[k], "phone", k == 2 ? "follow_up" : "communication");

      if (k == 2)
        i->follow_up_on = g_strdup ("2026-02-20");
      g_assert_true (bb_interactions_add (f->db, i, &error));
      g_assert_no_error (error);
      ids[k] = i->id;
    }
  {
    g_autoptr(BbInteraction) i = make_interaction (other, "2026-04-01", "sms", "feedback");

    g_assert_true (bb_interactions_add (f->db, i, &error));
  }
  follow_up_id = ids[2];

  list = bb_interactions_list (f->db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  /* Newest first; the same day, the later entry first. */
  g_assert_cmpint (((BbInteraction *) list->pdata[0])->id, ==, ids[3]);
  g_assert_cmpint (((BbInteraction *) list->pdata[1])->id, ==, ids[1]);
  g_assert_cmpint (((BbInteraction *) list->pdata[2])->id, ==, ids[2]);
  g_assert_cmpint (((BbInteraction *) list->pdata[3])->id, ==, ids[0]);
  g_assert_cmpstr (((BbInteraction *) list->pdata[2])->follow_up_on, ==, "2026-02-20");
  g_assert_false (((BbInteraction *) list->pdata[2])->follow_up_done);

  g_assert_true (bb_interactions_set_follow_up_done (f->db, follow_up_id, TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = bb_interactions_list (f->db, id, &error);
  g_assert_true (((BbInteraction *) list->pdata[2])->follow_up_done);
  g_assert_false (((BbInteraction *) list->pdata[1])->follow_up_done);

  g_assert_true (bb_interactions_set_follow_up_done (f->db, follow_up_id, FALSE, &error));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = bb_interactions_list (f->db, id, &error);
  g_assert_false (((BbInteraction *) list->pdata[2])->follow_up_done);
}

/* ---- History ---------------------------------------------------------- */

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_customer (f->db, "张三", NULL, NULL);
  gint64 other = add_customer (f->db, "李四", NULL, NULL);
  g_autoptr(GPtrArray) invoices = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GPtrArray) two = NULL;
  BbCustomerHistoryRow *row;

  /* Issued in January with long terms, February with short ones: by
   * issue date the February bill is the newest. */
  sql_exec (f->db,
            "INSERT INTO invoices (id, number, customer_id, status, issued_on, due_on, currency, total, paid, open_balance, created_at, updated_at) VALUES "
            "(1, 'INV-1', %1$" G_GINT64_FORMAT ", 'issued', '2026-01-10', '2026-04-10', 'CNY', 50000, 20000, 30000, '', ''),"
            "(2, 'INV-2', %1$" G_GINT64_FORMAT ", 'issued', '2026-02-01', '2026-02-15', 'CNY', 12345, 12345, 0, '', ''),"
            "(3, NULL, %1$" G_GINT64_FORMAT ", 'draft', '2025-12-01', '2025-12-31', 'CNY', 999, 0, 999, '', ''),"
            "(4, 'INV-4', %2$" G_GINT64_FORMAT ", 'issued', '2026-03-01', '2026-03-31', 'CNY', 7, 0, 7, '', '');"
            "INSERT INTO payments (id, customer_id, received_on, amount, method, reference, created_at) VALUES "
            "(1, %1$" G_GINT64_FORMAT ", '2026-02-03', 12345, 'wechat_pay', 'WX-1', ''),"
            "(2, %1$" G_GINT64_FORMAT ", '2026-03-20', 20000, 'cash', '', ''),"
            "(3, %1$" G_GINT64_FORMAT ", '2026-01-15', 500, 'card', 'CARD-9', ''),"
            "(4, %2$" G_GINT64_FORMAT ", '2026-04-01', 7, 'cash', '', '');",
            id, other);

  invoices = bb_customers_list_invoices (f->db, id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (invoices->len, ==, 3);
  row = invoices->pdata[0];
  g_assert_cmpstr (row->date, ==, "2026-02-01");
  g_assert_cmpstr (row->reference, ==, "INV-2");
  g_assert_cmpstr (row->status, ==, "issued");
  g_assert_cmpint (row->amount, ==, 12345);
  g_assert_cmpint (row->balance, ==, 0);
  row = invoices->pdata[1];
  g_assert_cmpstr (row->date, ==, "2026-01-10");
  g_assert_cmpstr (row->reference, ==, "INV-1");
  g_assert_cmpint (row->amount, ==, 50000);
  g_assert_cmpint (row->balance, ==, 30000);
  row = invoices->pdata[2];
  g_assert_cmpstr (row->date, ==, "2025-12-01");
  g_assert_cmpstr (row->reference, ==, "");
  g_assert_cmpstr (row->status, ==, "draft");
  g_assert_cmpint (row->amount, ==, 999);

  two = bb_customers_list_invoices (f->db, id, 2, &error);
  g_assert_cmpuint (two->len, ==, 2);
  g_assert_cmpstr (((BbCustomerHistoryRow *) two->pdata[0])->reference, ==, "INV-2");
  g_assert_cmpstr (((BbCustomerHistoryRow *) two->pdata[1])->reference, ==, "INV-1");
  g_clear_pointer (&two, g_ptr_array_unref);

  payments = bb_customers_list_payments (f->db, id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 3);
  row = payments->pdata[0];
  g_assert_cmpstr (row->date, ==, "2026-03-20");
  g_assert_cmpstr (row->status, ==, "cash");
  g_assert_cmpint (row->amount, ==, 20000);
  g_assert_cmpint (row->balance, ==, 0);
  row = payments->pdata[1];
  g_assert_cmpstr (row->date, ==, "2026-02-03");
  g_assert_cmpstr (row->reference, ==, "WX-1");
  g_assert_cmpstr (row->status, ==, "wechat_pay");
  g_assert_cmpint (row->amount, ==, 12345);
  row = payments->pdata[2];
  g_assert_cmpstr (row->date, ==, "2026-01-15");
  g_assert_cmpstr (row->status, ==, "card");
  g_assert_cmpint (row->amount, ==, 500);

  two = bb_customers_list_payments (f->db, id, 1, &error);
  g_assert_cmpuint (two->len, ==, 1);
  g_assert_cmpstr (((BbCustomerHistoryRow *) two->pdata[0])->date, ==, "2026-03-20");
  g_clear_pointer (&two, g_ptr_array_unref);

  /* A customer without history. */
  {
    gint64 none = add_customer (f->db, "王五", NULL, NULL);

    two = bb_customers_list_invoices (f->db, none, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (two->len, ==, 0);
  }
}

/* An erased customer is nobody: not brought back, nothing more logged. */
static void
test_erased_stays_erased (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_customer (f->db, "王小明", "138 0013 8000", NULL);
  BbInteraction interaction = { 0 };

  g_assert_true (bb_customers_erase (f->db, id, &error));
  g_assert_no_error (error);

  g_assert_false (bb_customers_set_archived (f->db, id, FALSE, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  {
    g_autoptr(BbCustomer) c = get_customer (f->db, id);

    g_assert_true (c->archived);
  }

  interaction.customer_id = id;
  interaction.occurred_on = (char *) "2026-11-20";
  interaction.channel = (char *) "phone";
  interaction.kind = (char *) "communication";
  interaction.summary = (char *) "called";
  g_assert_false (bb_interactions_add (f->db, &interaction, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) logged = bb_interactions_list (f->db, id, &error);

    g_assert_nonnull (logged);
    g_assert_cmpuint (logged->len, ==, 0);
  }
}

/* Codes differing only in case would be the same to a reader. */
static void
test_code_case (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) first = make_customer ("Harbour Bakery");
  g_autoptr(BbCustomer) second = make_customer ("Harbour Books");

  SET (first, code, "HB-1");
  g_assert_true (bb_customers_save (f->db, first, &error));
  g_assert_no_error (error);

  SET (second, code, "hb-1");
  g_assert_false (bb_customers_save (f->db, second, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Code"));
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

  ADD ("/customers/create/codes", test_create_codes);
  ADD ("/customers/create/fields", test_create_fields);
  ADD ("/customers/create/unicode-spaces", test_create_unicode_spaces);
  g_test_add_func ("/customers/create/tags-normalised", test_tags_normalised);
  ADD ("/customers/create/tags-saved", test_create_tags_saved);
  ADD ("/customers/create/custom-fields", test_create_custom_fields);
  ADD ("/customers/create/audit", test_create_audit);
  ADD ("/customers/edit/fields", test_edit);
  ADD ("/customers/edit/audit-only-changed", test_edit_audit_only_changed);
  ADD ("/customers/validate/refused", test_validate);
  ADD ("/customers/validate/own-code", test_validate_own_code);
  ADD ("/customers/archive", test_archive);
  ADD ("/customers/erase", test_erase);
  ADD ("/customers/search/chinese", test_search_chinese);
  ADD ("/customers/search/fields", test_search_fields);
  ADD ("/customers/search/follows-changes", test_search_follows_changes);
  ADD ("/customers/search/phone", test_search_phone);
  ADD ("/customers/search/like-metacharacters", test_search_like_metacharacters);
  ADD ("/customers/search/filters", test_search_filters);
  ADD ("/customers/sort/order", test_sort);
  ADD ("/customers/sort/position", test_position);
  ADD ("/customers/class/late", test_class_late);
  ADD ("/customers/class/refresh", test_class_refresh);
  ADD ("/customers/class/credit-limit", test_class_credit_limit);
  ADD ("/customers/class/a", test_class_a);
  ADD ("/customers/class/a-threshold-setting", test_class_a_threshold_setting);
  ADD ("/customers/class/window", test_class_window);
  ADD ("/customers/class/override", test_class_override);
  ADD ("/customers/interactions/add", test_interactions_add);
  ADD ("/customers/interactions/refused", test_interactions_refused);
  ADD ("/customers/interactions/order", test_interactions_order);
  ADD ("/customers/history", test_history);
  ADD ("/customers/erase/stays-erased", test_erased_stays_erased);
  ADD ("/customers/validate/code-case", test_code_case);

#undef ADD

  return g_test_run ();
}
