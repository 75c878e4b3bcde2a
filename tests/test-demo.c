/* test-demo.c — sample data: reproducible, valid, searchable, all or nothing
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "bb-customers-private.h"
#include "bb-db-private.h"
#include "bb-demo.h"
#include "bb-text.h"

#define TODAY "2026-03-15"

typedef struct
{
  char *dir;
  BbDb *db;
} Fixture;

static BbDb *
open_book (Fixture    *f,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  BbDb *db = bb_db_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-demo-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = open_book (f, "book.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->db);

  dir = g_dir_open (f->dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
generate (BbDb       *db,
          guint       n_customers,
          guint64     seed,
          const char *today)
{
  g_autoptr(GError) error = NULL;
  BbDemoOptions options = { n_customers, 0, seed, today };

  g_assert_true (bb_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static gint64
query_int (BbDb       *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* A digest of every row and column that @sql returns, types included. */
static void
checksum_add_query (GChecksum  *sum,
                    BbDb       *db,
                    const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          guchar type = (guchar) ('0' + sqlite3_column_type (stmt, i));

          g_checksum_update (sum, &type, 1);
          if (sqlite3_column_type (stmt, i) != SQLITE_NULL)
            {
              const guchar *text = sqlite3_column_text (stmt, i);

              g_checksum_update (sum, text, sqlite3_column_bytes (stmt, i));
            }
          g_checksum_update (sum, (const guchar *) "\x1f", 1);
        }
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  sqlite3_finalize (stmt);
}

static char *
book_checksum (BbDb *db)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  checksum_add_query (sum, db, "SELECT * FROM customers ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM interactions ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM customer_fields ORDER BY id");
  checksum_add_query (sum, db, "SELECT * FROM customer_field_values ORDER BY customer_id, field_id");
  checksum_add_query (sum, db, "SELECT * FROM settings ORDER BY key");

  return g_strdup (g_checksum_get_string (sum));
}

static void
test_reproducible (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbDb) other = open_book (f, "other.db");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  generate (f->db, 200, 42, TODAY);
  generate (other, 200, 42, TODAY);

  a = book_checksum (f->db);
  b = book_checksum (other);
  g_assert_cmpstr (a, ==, b);
}

static void
test_seed_matters (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbDb) other = open_book (f, "other.db");
  g_autoptr(BbDb) third = open_book (f, "third.db");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  generate (f->db, 50, 1, TODAY);
  generate (other, 50, 2, TODAY);
  generate (third, 50, 1, "2026-03-16");

  a = book_checksum (f->db);
  b = book_checksum (other);
  c = book_checksum (third);
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (a, !=, c);
}

static void
test_counts (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *next_code = NULL;
  g_auto(GStrv) fields = NULL;
  sqlite3_stmt *stmt = NULL;
  guint expected = 1;

  generate (f->db, 500, 7, TODAY);

  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers"), ==, 500);
  next_code = bb_db_get_setting (f->db, "customers.next_code");
  g_assert_cmpstr (next_code, ==, "501");

  /* Codes C000001… in the order of the rows, created in that order. */
  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (f->db),
                                       "SELECT code, created_at, class, class_override FROM customers ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  {
    g_autofree char *previous = g_strdup ("");

    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_autofree char *code = g_strdup_printf ("C%06u", expected++);
        const char *created = (const char *) sqlite3_column_text (stmt, 1);

        g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, code);
        g_assert_cmpstr (created, >, previous);
        g_assert_cmpstr (created, >=, "2016-03-14");
        g_assert_cmpstr (created, <, TODAY);
        g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "B");
        g_assert_cmpint (sqlite3_column_type (stmt, 3), ==, SQLITE_NULL);
        g_free (previous);
        previous = g_strdup (created);
      }
  }
  sqlite3_finalize (stmt);

  /* 0–6 interactions each, within the last two years. */
  g_assert_cmpint (query_int (f->db, "SELECT max(n) FROM (SELECT count(*) AS n FROM interactions GROUP BY customer_id)"), <=, 6);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interactions"), >, 500);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interactions WHERE occurred_on < '2024-03-15' OR occurred_on > '" TODAY "'"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interactions i JOIN customers c ON c.id = i.customer_id "
                                     "WHERE i.occurred_on < substr(c.created_at, 1, 10)"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interactions WHERE follow_up_on < occurred_on"), ==, 0);

  /* Follow-ups for the reminders: about a tenth, due in the next 30 days. */
  {
    gint64 pending = query_int (f->db, "SELECT count(*) FROM interactions WHERE follow_up_done = 0 "
                                       "AND follow_up_on BETWEEN '" TODAY "' AND date('" TODAY "', '+30 days')");
    gint64 all = query_int (f->db, "SELECT count(*) FROM interactions");

    g_assert_cmpint (pending * 100, >=, all * 6);
    g_assert_cmpint (pending * 100, <=, all * 16);
  }

  /* Both kinds of text, every channel and kind. */
  g_assert_cmpint (query_int (f->db, "SELECT count(DISTINCT channel) FROM interactions"), ==, 6);
  g_assert_cmpint (query_int (f->db, "SELECT count(DISTINCT kind) FROM interactions"), ==, 4);

  /* Custom fields, and values for some customers. */
  fields = bb_customer_fields_list (f->db);
  g_assert_true (g_strv_contains ((const char * const *) fields, "Birthday"));
  g_assert_true (g_strv_contains ((const char * const *) fields, "WeChat ID"));
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customer_field_values v JOIN customer_fields f "
                                     "ON f.id = v.field_id WHERE f.name = 'Birthday'"), >, 50);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customer_field_values v JOIN customer_fields f "
                                     "ON f.id = v.field_id WHERE f.name = 'WeChat ID'"), >, 50);

  /* Proportions of a small shop's book. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE email <> ''"), >, 250);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE company <> ''"), >, 100);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE credit_limit > 0"), >, 25);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE credit_limit > 0 "
                                     "AND (credit_limit < 500000 OR credit_limit > 5000000)"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE payment_terms_days NOT IN (0, 7, 15, 30, 60)"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE tags <> ''"), >, 100);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers WHERE notes <> ''"), >, 50);

  /* One audit row for the whole run. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'demo' "
                                     "AND table_name = 'customers' AND record_id = 0 AND detail = '500 customers'"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, 1);

  g_assert_true (bb_db_check (f->db, NULL, NULL));
}

static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;

  return FALSE;
}

static void
test_names (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint chinese = 0, latin = 0;

  generate (f->db, 50, 1, TODAY);

  for (gint64 id = 1; id <= 50; id++)
    {
      g_autoptr(BbCustomer) c = bb_customers_get (f->db, id, &error);

      g_assert_no_error (error);
      if (has_han (c->name))
        chinese++;
      else if (g_ascii_isalpha (c->name[0]))
        latin++;
    }

  g_assert_cmpuint (chinese, >=, 1);
  g_assert_cmpuint (latin, >=, 1);
  g_assert_cmpuint (chinese + latin, ==, 50);
}

static void
test_valid (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  generate (f->db, 1000, 3, TODAY);

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (f->db),
                                       "SELECT id, search_text, reviewed_on FROM customers ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(BbCustomer) c = bb_customers_get (f->db, sqlite3_column_int64 (stmt, 0), &error);
      g_autofree char *search_text = NULL;
      g_autofree char *tags = NULL;
      const char *birthday;

      g_assert_no_error (error);
      if (!bb_customers_validate (f->db, c, &error))
        g_error ("%s (%s): %s", c->code, c->name, error->message);

      tags = bb_customer_normalize_tags (c->tags);
      g_assert_cmpstr (c->tags, ==, tags);

      search_text = _bb_customer_build_search_text (c->code, c->name, c->company,
                                                    c->phone, c->email, c->tags);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, search_text);

      g_assert_true (bb_date_parse ((const char *) sqlite3_column_text (stmt, 2), "reviewed", NULL, NULL));
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), <=, TODAY);

      birthday = g_hash_table_lookup (c->custom_fields, "Birthday");
      if (birthday)
        g_assert_true (bb_date_parse (birthday, "Birthday", NULL, NULL));

      n++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n, ==, 1000);

  /* Interactions as bb_interactions_add() would accept them. */
  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (f->db),
                                       "SELECT occurred_on, follow_up_on, summary, outcome FROM interactions",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_true (bb_date_parse ((const char *) sqlite3_column_text (stmt, 0), "date", NULL, NULL));
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        g_assert_true (bb_date_parse ((const char *) sqlite3_column_text (stmt, 1), "follow-up", NULL, NULL));
      g_assert_true (bb_text_validate ((const char *) sqlite3_column_text (stmt, 2), "summary", 2000, TRUE, NULL));
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), !=, "");
      g_assert_true (bb_text_validate ((const char *) sqlite3_column_text (stmt, 3), "outcome", 2000, TRUE, NULL));
    }
  sqlite3_finalize (stmt);

  g_assert_true (bb_db_check (f->db, NULL, NULL));
}

static GArray *
ids_from_sql (BbDb       *db,
              const char *sql,
              const char *param)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);

  return ids;
}

static gint
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static GArray *
ids_from_search (BbDb       *db,
                 const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  BbCustomerQuery query = { 0 };

  query.text = (char *) text;
  query.show_archived = TRUE;
  rows = bb_customers_search (db, &query, 0, G_MAXUINT, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < rows->len; i++)
    g_array_append_val (ids, ((BbCustomer *) rows->pdata[i])->id);
  g_array_sort (ids, compare_ids);

  return ids;
}

static void
assert_same_ids (GArray *a,
                 GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpint (g_array_index (a, gint64, i), ==, g_array_index (b, gint64, i));
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GArray) by_search = NULL;
  g_autoptr(GArray) by_sql = NULL;
  g_autoptr(GArray) by_phone = NULL;
  g_autoptr(GArray) by_tag_search = NULL;
  g_autoptr(GArray) by_tag_sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = NULL;
  g_autofree char *digits = NULL;

  generate (f->db, 2000, 5, TODAY);

  by_search = ids_from_search (f->db, "王");
  by_sql = ids_from_sql (f->db, "SELECT id FROM customers WHERE name LIKE '%' || ?1 || '%' ORDER BY id", "王");
  g_assert_cmpuint (by_sql->len, >, 10);
  assert_same_ids (by_search, by_sql);

  by_tag_search = ids_from_search (f->db, "老客户");
  by_tag_sql = ids_from_sql (f->db, "SELECT id FROM customers WHERE (',' || tags || ',') LIKE '%,' || ?1 || ',%' ORDER BY id", "老客户");
  g_assert_cmpuint (by_tag_sql->len, >, 10);
  assert_same_ids (by_tag_search, by_tag_sql);

  /* A Chinese mobile as the customer reads it out, without spaces. */
  c = bb_customers_get_by_code (f->db, "C000001", &error);
  g_assert_no_error (error);
  if (*c->phone == '\0')
    {
      g_clear_object (&c);
      c = bb_customers_get_by_code (f->db, "C000002", &error);
    }
  digits = bb_text_phone_digits (c->phone);
  by_phone = ids_from_search (f->db, digits);
  g_assert_cmpuint (by_phone->len, >=, 1);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < by_phone->len; i++)
      found |= g_array_index (by_phone, gint64, i) == c->id;
    g_assert_true (found);
  }
}

static void
test_refuses_non_empty (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  BbDemoOptions options = { 50, 0, 1, TODAY };
  gint64 audit_rows;

  g_free (c->name);
  c->name = g_strdup ("张伟");
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);

  before = book_checksum (f->db);
  audit_rows = query_int (f->db, "SELECT count(*) FROM audit_log");

  g_assert_false (bb_demo_generate (f->db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The book already has customers; sample data goes only into an empty book");

  after = book_checksum (f->db);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_rows);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customer_fields"), ==, 0);
}

static void
test_bad_options (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BbDemoOptions options = { 0, 0, 1, TODAY };

  g_assert_false (bb_demo_generate (f->db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);

  options.n_customers = BB_DEMO_MAX_CUSTOMERS + 1;
  g_assert_false (bb_demo_generate (f->db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);

  options.n_customers = 5;
  options.today = "2026-02-30";
  g_assert_false (bb_demo_generate (f->db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);

  /* n_invoices is accepted and, for now, makes no difference. */
  options.today = NULL;
  options.n_invoices = 1000;
  g_assert_true (bb_demo_generate (f->db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers"), ==, 5);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices"), ==, 0);
}

typedef struct
{
  GCancellable *cancellable;
  guint         cancel_at;
  guint         last_done;
  guint         calls;
  guint         total;
} ProgressState;

static void
progress_cb (guint     done,
             guint     total,
             gpointer  user_data)
{
  ProgressState *state = user_data;

  g_assert_cmpuint (done, >=, state->last_done);
  g_assert_cmpuint (done, <=, total);
  state->last_done = done;
  state->total = total;
  state->calls++;

  if (state->cancellable && state->cancel_at && done >= state->cancel_at)
    g_cancellable_cancel (state->cancellable);
}

static void
assert_book_empty (BbDb *db)
{
  g_autofree char *next_code = bb_db_get_setting (db, "customers.next_code");

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM customers"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM interactions"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM customer_fields"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM customer_field_values"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM audit_log"), ==, 0);
  g_assert_null (next_code);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  ProgressState state = { cancellable, 1000, 0, 0, 0 };
  BbDemoOptions options = { 3000, 0, 1, TODAY };

  /* Half way through. */
  g_assert_false (bb_demo_generate (f->db, &options, progress_cb, &state, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (state.last_done, >=, 1000);
  g_assert_cmpuint (state.last_done, <, 3000);
  assert_book_empty (f->db);

  /* Before it starts. */
  g_assert_false (bb_demo_generate (f->db, &options, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_book_empty (f->db);

  /* The book still takes sample data afterwards. */
  g_clear_error (&error);
  generate (f->db, 10, 1, TODAY);
}

static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ProgressState state = { 0 };
  BbDemoOptions options = { 1234, 0, 9, TODAY };
  gint64 cache_size = query_int (f->db, "PRAGMA cache_size");

  g_assert_true (bb_demo_generate (f->db, &options, progress_cb, &state, NULL, &error));
  g_assert_no_error (error);
  /* The connection keeps its own settings. */
  g_assert_cmpint (query_int (f->db, "PRAGMA cache_size"), ==, cache_size);
  g_assert_cmpuint (state.last_done, ==, 1234);
  g_assert_cmpuint (state.total, ==, 1234);
  g_assert_cmpuint (state.calls, >=, 10);
  g_assert_cmpuint (state.calls, <=, 110);
}

typedef struct
{
  GMainLoop     *loop;
  GThread       *main_thread;
  ProgressState  progress;
  gboolean       finished;
  gboolean       ok;
  GError        *error;
  guint          customers_changed;
} AsyncState;

static void
async_progress_cb (guint     done,
                   guint     total,
                   gpointer  user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_false (state->finished);
  progress_cb (done, total, &state->progress);
}

static void
changed_cb (BbDb       *db,
            const char *table,
            gint64      id,
            gpointer    user_data)
{
  AsyncState *state = user_data;

  g_assert_cmpint (id, ==, 0);
  state->customers_changed++;
}

static void
generated_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncState *state = user_data;

  state->ok = bb_demo_generate_finish (BB_DB (source), result, &state->error);
  state->finished = TRUE;
  g_main_loop_quit (state->loop);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *same_seed = NULL;
  g_autofree char *async_sum = NULL;
  g_autoptr(BbDb) other = open_book (f, "other.db");
  AsyncState state = { 0 };
  BbDemoOptions options = { 800, 0, 11, NULL };
  char today[] = TODAY;
  gulong handler;

  state.loop = loop;
  state.main_thread = g_thread_self ();
  handler = g_signal_connect (f->db, "changed::customers", G_CALLBACK (changed_cb), &state);

  /* The options are copied: changing them afterwards does nothing. */
  options.today = today;
  bb_demo_generate_async (f->db, &options, async_progress_cb, &state, NULL, generated_cb, &state);
  options.n_customers = 1;
  today[3] = '0';
  g_main_loop_run (loop);

  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_cmpuint (state.progress.last_done, ==, 800);
  g_assert_cmpuint (state.customers_changed, ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers"), ==, 800);
  g_signal_handler_disconnect (f->db, handler);

  /* The thread made the same book as the plain call does. */
  generate (other, 800, 11, TODAY);
  async_sum = book_checksum (f->db);
  same_seed = book_checksum (other);
  g_assert_cmpstr (async_sum, ==, same_seed);

  /* A second run is refused, through the same path. */
  state.finished = FALSE;
  state.customers_changed = 0;
  bb_demo_generate_async (f->db, &options, NULL, NULL, NULL, generated_cb, &state);
  g_main_loop_run (loop);
  g_assert_false (state.ok);
  g_assert_error (state.error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&state.error);
}

/* How long a shop-sized book takes: run with -m slow (or -m perf). */
static void
test_speed (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GTimer) timer = NULL;
  double seconds;

  if (!g_test_slow () && !g_test_perf ())
    {
      g_test_skip ("100,000 customers: run with -m slow");
      return;
    }

  timer = g_timer_new ();
  generate (f->db, 100000, 1, TODAY);
  seconds = g_timer_elapsed (timer, NULL);

  g_test_message ("100,000 customers, %" G_GINT64_FORMAT " interactions: %.2f s",
                  query_int (f->db, "SELECT count(*) FROM interactions"), seconds);
  if (g_test_perf ())
    g_test_minimized_result (seconds, "100,000 customers in %.2f s", seconds);
  g_assert_cmpfloat (seconds, <, 30.0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM customers"), ==, 100000);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/demo/reproducible", test_reproducible);
  ADD ("/demo/seed-matters", test_seed_matters);
  ADD ("/demo/counts", test_counts);
  ADD ("/demo/names", test_names);
  ADD ("/demo/valid", test_valid);
  ADD ("/demo/search", test_search);
  ADD ("/demo/refuses-non-empty", test_refuses_non_empty);
  ADD ("/demo/bad-options", test_bad_options);
  ADD ("/demo/cancel", test_cancel);
  ADD ("/demo/progress", test_progress);
  ADD ("/demo/async", test_async);
  ADD ("/demo/speed", test_speed);
#undef ADD

  return g_test_run ();
}
