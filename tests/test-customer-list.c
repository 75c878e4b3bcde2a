/* test-customer-list.c — the lazy customer list model, as a view sees it
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A "view" here is a mirror: an array of customer ids that starts as a
 * fresh search and is then changed only as the model's items-changed
 * signals say, fetching added items from the model as a GtkListView
 * would. After every change the mirror must equal a fresh search.
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-customer-list.h"
#include "bb-customers-private.h"
#include "bb-db-private.h"

#define N_CUSTOMERS 1000

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

typedef struct
{
  char           *dir;
  char           *path;
  BbDb           *db;
  BbCustomerList *list;
  GArray         *changes;     /* Change */
  GArray         *mirror;      /* gint64 ids */
  gulong          handler;
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  Change change = { position, removed, added };

  g_array_append_val (f->changes, change);

  g_assert_cmpuint (position + removed, <=, f->mirror->len);
  g_array_remove_range (f->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(BbCustomer) c = g_list_model_get_item (model, position + i);

      g_assert_nonnull (c);
      g_array_insert_val (f->mirror, position + i, c->id);
    }
  g_assert_cmpuint (f->mirror->len, ==, g_list_model_get_n_items (model));
}

/* Bulk rows, as a quick import would write them: "Customer 0000" …
 * "Customer 0999", inserted in a shuffled order so that name order and
 * id order differ. */
static void
fill (BbDb *db,
      guint n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf (
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u) "
    "INSERT INTO customers (code, name, class, search_text, created_at, updated_at) "
    "SELECT printf ('K%%04d', i), printf ('Customer %%04d', (i * 379) %% %u), "
    "  CASE i %% 3 WHEN 0 THEN 'A' WHEN 1 THEN 'B' ELSE 'C' END, "
    "  lower (printf ('K%%04d', i) || char (31) || printf ('Customer %%04d', (i * 379) %% %u) "
    "    || char (31) || char (31) || char (31) || char (31)), "
    "  '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n",
    n, n, n);

  g_assert_true (bb_db_begin (db, &error));
  g_assert_true (_bb_db_exec (db, sql, &error));
  g_assert_no_error (error);
  g_assert_true (bb_db_commit (db, &error));
  g_assert_no_error (error);
}

static GArray *
fresh_ids (BbDb                  *db,
           const BbCustomerQuery *query)
{
  g_autoptr(GError) error = NULL;
  gint64 n = bb_customers_count (db, query, &error);
  g_autoptr(GPtrArray) rows = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_no_error (error);
  rows = bb_customers_search (db, query, 0, (guint) n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, n);
  for (guint i = 0; i < rows->len; i++)
    g_array_append_val (ids, ((BbCustomer *) g_ptr_array_index (rows, i))->id);

  return ids;
}

static void
reset_mirror (Fixture *f)
{
  g_clear_pointer (&f->mirror, g_array_unref);
  f->mirror = fresh_ids (f->db, bb_customer_list_get_query (f->list));
  g_array_set_size (f->changes, 0);
}

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
  fill (f->db, N_CUSTOMERS);

  f->list = bb_customer_list_new (f->db);
  f->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  reset_mirror (f);
  f->handler = g_signal_connect (f->list, "items-changed", G_CALLBACK (on_items_changed), f);
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
  g_clear_signal_handler (&f->handler, f->list);
  g_clear_object (&f->list);
  g_clear_object (&f->db);
  g_clear_pointer (&f->changes, g_array_unref);
  g_clear_pointer (&f->mirror, g_array_unref);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* The mirror, and every item the model gives, equal a fresh search. */
static void
assert_consistent (Fixture *f)
{
  const BbCustomerQuery *query = bb_customer_list_get_query (f->list);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = fresh_ids (f->db, query);
  g_autoptr(GPtrArray) rows = bb_customers_search (f->db, query, 0, ids->len, &error);
  GListModel *model = G_LIST_MODEL (f->list);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, ids->len);
  g_assert_cmpuint (f->mirror->len, ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      if (g_array_index (f->mirror, gint64, i) != g_array_index (ids, gint64, i))
        g_test_message ("mirror differs at %u", i);
      g_assert_cmpint (g_array_index (f->mirror, gint64, i), ==, g_array_index (ids, gint64, i));
    }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(BbCustomer) c = g_list_model_get_item (model, i);
      BbCustomer *expected = g_ptr_array_index (rows, i);

      g_assert_cmpint (c->id, ==, expected->id);
      g_assert_cmpstr (c->name, ==, expected->name);
      g_assert_cmpint (c->archived, ==, expected->archived);
    }
  g_assert_null (g_list_model_get_item (model, ids->len));
}

static Change *
only_change (Fixture *f)
{
  g_assert_cmpuint (f->changes->len, ==, 1);
  return &g_array_index (f->changes, Change, 0);
}

/* A reload is told as every row out, then every row in
 * (bb_paged_list_reload() says why); here it is read as one change. */
static Change *
reload_change (Fixture *f)
{
  Change *first, *second;

  g_assert_cmpuint (f->changes->len, >=, 1);
  g_assert_cmpuint (f->changes->len, <=, 2);
  first = &g_array_index (f->changes, Change, 0);
  g_assert_cmpuint (first->position, ==, 0);
  if (f->changes->len == 1)
    {
      /* Only out (nothing found now), or only in (nothing before). */
      g_assert_true (first->removed == 0 || first->added == 0);
      return first;
    }

  second = &g_array_index (f->changes, Change, 1);
  g_assert_cmpuint (first->added, ==, 0);
  g_assert_cmpuint (second->position, ==, 0);
  g_assert_cmpuint (second->removed, ==, 0);
  first->added = second->added;
  g_array_set_size (f->changes, 1);
  return first;
}

static char *
name_at (Fixture *f,
         guint    position)
{
  g_autoptr(BbCustomer) c = g_list_model_get_item (G_LIST_MODEL (f->list), position);

  g_assert_nonnull (c);
  return g_strdup (c->name);
}

static gint64
id_at (Fixture *f,
       guint    position)
{
  g_autoptr(BbCustomer) c = g_list_model_get_item (G_LIST_MODEL (f->list), position);

  g_assert_nonnull (c);
  return c->id;
}

/* What a view on screen holds: the rows around @position. */
static void
show_rows (Fixture *f,
           guint    from,
           guint    to)
{
  for (guint i = from; i <= to && i < g_list_model_get_n_items (G_LIST_MODEL (f->list)); i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (f->list), i));
}

static gint64
sql_int (BbDb       *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = G_MININT64;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static void
rename_customer (Fixture    *f,
                 gint64      id,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = bb_customers_get (f->db, id, &error);

  g_assert_no_error (error);
  g_free (c->name);
  c->name = g_strdup (name);
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);
}

/* ---- Tests -------------------------------------------------------------- */

static void
test_items (Fixture       *f,
            gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (f->list);
  BbCustomerQuery all = { NULL, 0, NULL, FALSE, BB_CUSTOMER_SORT_NAME, FALSE };
  const guint positions[] = { 0, 500, 999, 1, 63, 64, 998 };

  g_assert_true (g_list_model_get_item_type (model) == BB_TYPE_CUSTOMER);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CUSTOMERS);
  g_assert_cmpint (bb_customers_count (f->db, &all, NULL), ==, N_CUSTOMERS);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM customers"), ==, N_CUSTOMERS);

  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autofree char *name = name_at (f, positions[i]);
      g_autofree char *expected = g_strdup_printf ("Customer %04u", positions[i]);
      g_autofree char *sql = g_strdup_printf ("SELECT id FROM customers ORDER BY lower(name), id LIMIT 1 OFFSET %u",
                                              positions[i]);

      g_assert_cmpstr (name, ==, expected);
      g_assert_cmpint (id_at (f, positions[i]), ==, sql_int (f->db, sql));
    }

  g_assert_null (g_list_model_get_item (model, N_CUSTOMERS));
  g_assert_null (g_list_model_get_item (model, G_MAXUINT));
  g_assert_cmpuint (f->changes->len, ==, 0);
}

static void
test_one_page (Fixture       *f,
               gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (f->list);
  guint before;

  /* Creating the model counts; it reads no rows. */
  g_assert_cmpuint (bb_customer_list_get_n_fetches (f->list), ==, 0);

  g_object_unref (g_list_model_get_item (model, 500));
  g_assert_cmpuint (bb_customer_list_get_n_fetches (f->list), ==, 1);
  /* Its neighbours on the same page come from the cache. */
  g_object_unref (g_list_model_get_item (model, 501));
  g_object_unref (g_list_model_get_item (model, 499));
  g_object_unref (g_list_model_get_item (model, 500));
  g_assert_cmpuint (bb_customer_list_get_n_fetches (f->list), ==, 1);

  g_object_unref (g_list_model_get_item (model, 0));
  g_assert_cmpuint (bb_customer_list_get_n_fetches (f->list), ==, 2);

  /* Scrolling through everything reads each page once, not each row. */
  before = bb_customer_list_get_n_fetches (f->list);
  for (guint i = 0; i < N_CUSTOMERS; i++)
    g_object_unref (g_list_model_get_item (model, i));
  g_assert_cmpuint (bb_customer_list_get_n_fetches (f->list) - before, <=, (N_CUSTOMERS + 63) / 64);
  g_assert_cmpuint (bb_customer_list_get_n_fetches (f->list) - before, >=, (N_CUSTOMERS + 63) / 64 - 2);
}

static void
test_set_query (Fixture       *f,
                gconstpointer  data)
{
  BbCustomerQuery query = { (char *) "customer 012", 0, NULL, FALSE, BB_CUSTOMER_SORT_NAME, FALSE };
  Change *c;
  gint64 n;

  show_rows (f, 0, 100);

  bb_customer_list_set_query (f->list, &query);
  n = bb_customers_count (f->db, &query, NULL);
  g_assert_cmpint (n, >, 0);
  g_assert_cmpint (n, <, 100);
  c = reload_change (f);
  g_assert_cmpuint (c->position, ==, 0);
  g_assert_cmpuint (c->removed, ==, N_CUSTOMERS);
  g_assert_cmpuint (c->added, ==, n);
  g_assert_cmpstr (bb_customer_list_get_query (f->list)->text, ==, "customer 012");
  assert_consistent (f);

  /* The query was copied. */
  {
    g_autofree char *text = g_strdup ("customer");
    BbCustomerQuery temporary = { text, 'A', NULL, FALSE, BB_CUSTOMER_SORT_NAME, FALSE };
    gint64 n_a = bb_customers_count (f->db, &temporary, NULL);

    g_array_set_size (f->changes, 0);
    bb_customer_list_set_query (f->list, &temporary);
    text[0] = 'X';
    c = reload_change (f);
    g_assert_cmpuint (c->position, ==, 0);
    g_assert_cmpuint (c->removed, ==, n);
    g_assert_cmpuint (c->added, ==, n_a);
    g_assert_cmpint (n_a, ==, sql_int (f->db, "SELECT count(*) FROM customers WHERE class = 'A'"));
    g_assert_cmpstr (bb_customer_list_get_query (f->list)->text, ==, "customer");
    assert_consistent (f);
    n = n_a;
  }

  /* Sorting anew: every row may move. */
  query.text = NULL;
  query.klass = 'A';
  query.sort = BB_CUSTOMER_SORT_CODE;
  query.descending = TRUE;
  g_array_set_size (f->changes, 0);
  bb_customer_list_set_query (f->list, &query);
  c = reload_change (f);
  g_assert_cmpuint (c->position, ==, 0);
  g_assert_cmpuint (c->removed, ==, n);
  g_assert_cmpuint (c->added, ==, n);
  {
    g_autoptr(BbCustomer) first = g_list_model_get_item (G_LIST_MODEL (f->list), 0);

    g_assert_cmpstr (first->code, ==, "K0999");
  }
  assert_consistent (f);

  /* Nothing found, then everything again. */
  query.klass = 0;
  query.text = (char *) "nobody at all";
  g_array_set_size (f->changes, 0);
  bb_customer_list_set_query (f->list, &query);
  c = reload_change (f);
  g_assert_cmpuint (c->removed, ==, n);
  g_assert_cmpuint (c->added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 0);

  query.text = NULL;
  query.sort = BB_CUSTOMER_SORT_NAME;
  query.descending = FALSE;
  g_array_set_size (f->changes, 0);
  bb_customer_list_set_query (f->list, &query);
  c = reload_change (f);
  g_assert_cmpuint (c->position, ==, 0);
  g_assert_cmpuint (c->removed, ==, 0);
  g_assert_cmpuint (c->added, ==, N_CUSTOMERS);
  assert_consistent (f);
}

static void
test_add (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(BbCustomer) first = bb_customer_new ();
  g_autoptr(BbCustomer) item = NULL;
  BbCustomerQuery query = { NULL, 0, NULL, FALSE, BB_CUSTOMER_SORT_NAME, FALSE };
  Change *change;

  show_rows (f, 480, 540);

  g_free (c->name);
  c->name = g_strdup ("Customer 0500a");
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);

  change = only_change (f);
  g_assert_cmpuint (change->position, ==, 501);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, 1);
  g_assert_cmpint (bb_customers_position (f->db, &query, c, NULL), ==, 501);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, N_CUSTOMERS + 1);
  item = g_list_model_get_item (G_LIST_MODEL (f->list), 501);
  g_assert_cmpint (item->id, ==, c->id);
  assert_consistent (f);

  /* At the very top, with lower case. */
  g_array_set_size (f->changes, 0);
  g_free (first->name);
  first->name = g_strdup ("aaron");
  g_assert_true (bb_customers_save (f->db, first, &error));
  change = only_change (f);
  g_assert_cmpuint (change->position, ==, 0);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, 1);
  assert_consistent (f);
}

/* A new customer the list's search does not select changes nothing. */
static void
test_add_not_matching (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) other = bb_customer_new ();
  g_autoptr(BbCustomer) match = bb_customer_new ();
  BbCustomerQuery query = { (char *) "customer 01", 0, NULL, FALSE, BB_CUSTOMER_SORT_NAME, FALSE };
  Change *change;

  bb_customer_list_set_query (f->list, &query);
  reset_mirror (f);
  show_rows (f, 0, 200);

  /* It would sort among the rows shown, but "01" is not in it. */
  g_free (other->name);
  other->name = g_strdup ("Customer 0500 zz");
  g_free (other->code);
  other->code = g_strdup ("ZZ");
  g_assert_true (bb_customers_save (f->db, other, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bb_customers_position (f->db, &query, other, NULL), >, 0);
  g_assert_cmpint (bb_customers_position (f->db, &query, other, NULL), <, g_list_model_get_n_items (G_LIST_MODEL (f->list)));
  g_assert_cmpuint (f->changes->len, ==, 0);
  assert_consistent (f);

  /* Editing it (still not matching) changes nothing either. */
  rename_customer (f, other->id, "Customer 0300 zz");
  g_assert_cmpuint (f->changes->len, ==, 0);
  rename_customer (f, other->id, "张三");
  g_assert_cmpuint (f->changes->len, ==, 0);
  assert_consistent (f);

  g_free (match->name);
  match->name = g_strdup ("Customer 01000");
  g_assert_true (bb_customers_save (f->db, match, &error));
  change = only_change (f);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, 1);
  assert_consistent (f);
}

static void
assert_covers (Change *change,
               guint   a,
               guint   b)
{
  g_test_message ("change (%u, %u, %u) must cover %u and %u",
                  change->position, change->removed, change->added, a, b);
  g_assert_cmpuint (change->removed, ==, change->added);
  g_assert_cmpuint (change->position, <=, MIN (a, b));
  g_assert_cmpuint (change->position + change->removed, >, MAX (a, b));
}

static void
test_move (Fixture       *f,
           gconstpointer  data)
{
  gint64 id;
  g_autofree char *name = NULL;

  /* The view shows the top and the bottom. */
  show_rows (f, 0, 63);
  show_rows (f, 960, 999);

  id = id_at (f, 990);
  rename_customer (f, id, "Customer 0005b");
  assert_covers (only_change (f), 990, 6);
  name = name_at (f, 6);
  g_assert_cmpstr (name, ==, "Customer 0005b");
  g_assert_cmpint (id_at (f, 6), ==, id);
  assert_consistent (f);

  /* And downwards. */
  g_array_set_size (f->changes, 0);
  id = id_at (f, 3);
  rename_customer (f, id, "Customer 0998b");
  assert_covers (only_change (f), 3, 998);
  g_assert_cmpint (id_at (f, 998), ==, id);
  assert_consistent (f);

  /* Renamed in place: one row changes. */
  g_array_set_size (f->changes, 0);
  id = id_at (f, 10);
  rename_customer (f, id, "Customer 0010 Ltd");
  g_assert_cmpuint (f->changes->len, ==, 1);
  assert_covers (only_change (f), 10, 10);
  assert_consistent (f);
}

/* The row that moves was not on screen (not cached): the view must
 * still end up right. */
static void
test_move_uncached (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BbCustomerQuery query = { NULL, 0, NULL, FALSE, BB_CUSTOMER_SORT_NAME, FALSE };
  g_autoptr(GPtrArray) rows = bb_customers_search (f->db, &query, 700, 1, &error);
  gint64 id = ((BbCustomer *) g_ptr_array_index (rows, 0))->id;

  show_rows (f, 0, 30);

  rename_customer (f, id, "Customer 0000a");
  assert_covers (reload_change (f), 700, 1);
  g_assert_cmpint (id_at (f, 1), ==, id);
  assert_consistent (f);

  /* And a change that does not move an uncached row. */
  g_array_set_size (f->changes, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_object (&f->list);
  f->list = bb_customer_list_new (f->db);
  f->handler = g_signal_connect (f->list, "items-changed", G_CALLBACK (on_items_changed), f);
  reset_mirror (f);
  show_rows (f, 0, 30);
  rows = bb_customers_search (f->db, &query, 800, 1, &error);
  id = ((BbCustomer *) g_ptr_array_index (rows, 0))->id;
  {
    g_autoptr(BbCustomer) c = bb_customers_get (f->db, id, &error);

    g_free (c->phone);
    c->phone = g_strdup ("138 0013 8000");
    g_assert_true (bb_customers_save (f->db, c, &error));
    g_assert_no_error (error);
  }
  assert_consistent (f);

  /* Sorted by code, a new code moves the row. */
  query.sort = BB_CUSTOMER_SORT_CODE;
  bb_customer_list_set_query (f->list, &query);
  reset_mirror (f);
  show_rows (f, 0, 30);
  {
    g_autoptr(BbCustomer) c = bb_customers_get (f->db, id, &error);

    g_free (c->code);
    c->code = g_strdup ("A0001");
    g_assert_true (bb_customers_save (f->db, c, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (id_at (f, 0), ==, id);
  assert_consistent (f);
}

static void
test_archive (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id;
  Change *change;

  show_rows (f, 200, 300);
  id = id_at (f, 250);

  g_assert_true (bb_customers_set_archived (f->db, id, TRUE, &error));
  g_assert_no_error (error);
  change = only_change (f);
  g_assert_cmpuint (change->position, ==, 250);
  g_assert_cmpuint (change->removed, ==, 1);
  g_assert_cmpuint (change->added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, N_CUSTOMERS - 1);
  assert_consistent (f);

  g_array_set_size (f->changes, 0);
  g_assert_true (bb_customers_set_archived (f->db, id, FALSE, &error));
  change = only_change (f);
  g_assert_cmpuint (change->position, ==, 250);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, 1);
  assert_consistent (f);

  /* A row that is not on screen. */
  g_array_set_size (f->changes, 0);
  g_clear_object (&f->list);
  f->list = bb_customer_list_new (f->db);
  f->handler = g_signal_connect (f->list, "items-changed", G_CALLBACK (on_items_changed), f);
  reset_mirror (f);
  show_rows (f, 0, 10);
  id = g_array_index (f->mirror, gint64, 600);
  g_assert_true (bb_customers_set_archived (f->db, id, TRUE, &error));
  reload_change (f);
  assert_consistent (f);

  /* With archived customers shown, archiving removes nothing. */
  {
    BbCustomerQuery query = { NULL, 0, NULL, TRUE, BB_CUSTOMER_SORT_NAME, FALSE };

    bb_customer_list_set_query (f->list, &query);
    reset_mirror (f);
    show_rows (f, 0, 999);
    id = id_at (f, 100);
    g_assert_true (bb_customers_set_archived (f->db, id, TRUE, &error));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, N_CUSTOMERS);
    assert_consistent (f);
  }
}

static void
test_erase (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id;
  Change *change;

  show_rows (f, 0, 63);
  show_rows (f, 300, 363);

  /* On screen. */
  id = id_at (f, 320);
  g_assert_true (bb_customers_erase (f->db, id, &error));
  g_assert_no_error (error);
  change = only_change (f);
  g_assert_cmpuint (change->position, ==, 320);
  g_assert_cmpuint (change->removed, ==, 1);
  g_assert_cmpuint (change->added, ==, 0);
  assert_consistent (f);

  /* Off screen: its name changes as it goes. */
  g_array_set_size (f->changes, 0);
  g_clear_object (&f->list);
  f->list = bb_customer_list_new (f->db);
  f->handler = g_signal_connect (f->list, "items-changed", G_CALLBACK (on_items_changed), f);
  reset_mirror (f);
  show_rows (f, 0, 63);
  id = g_array_index (f->mirror, gint64, 800);
  g_assert_true (bb_customers_erase (f->db, id, &error));
  g_assert_no_error (error);
  reload_change (f);
  assert_consistent (f);
}

static void
test_transaction (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) kept = bb_customer_new ();
  g_autoptr(BbCustomer) dropped = bb_customer_new ();
  Change *change;

  show_rows (f, 0, 63);

  g_assert_true (bb_db_begin (f->db, &error));
  g_free (kept->name);
  kept->name = g_strdup ("Customer 0001a");
  g_assert_true (bb_customers_save (f->db, kept, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, N_CUSTOMERS);
  g_assert_true (bb_db_commit (f->db, &error));
  g_assert_no_error (error);
  change = only_change (f);
  g_assert_cmpuint (change->position, ==, 2);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, 1);
  assert_consistent (f);

  g_array_set_size (f->changes, 0);
  g_assert_true (bb_db_begin (f->db, &error));
  g_free (dropped->name);
  dropped->name = g_strdup ("Customer 0002a");
  g_assert_true (bb_customers_save (f->db, dropped, &error));
  g_assert_no_error (error);
  g_assert_true (bb_customers_set_archived (f->db, kept->id, TRUE, &error));
  g_assert_no_error (error);
  bb_db_rollback (f->db);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, N_CUSTOMERS + 1);
  assert_consistent (f);

  /* A failed save inside the list's view changes nothing. */
  {
    g_autoptr(BbCustomer) bad = bb_customer_new ();

    g_assert_false (bb_customers_save (f->db, bad, &error));
    g_clear_error (&error);
    g_assert_cmpuint (f->changes->len, ==, 0);
  }

  /* Many rows at once are announced as one reload. */
  g_assert_true (bb_db_begin (f->db, &error));
  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(BbCustomer) c = bb_customer_new ();

      g_free (c->name);
      c->name = g_strdup_printf ("Bulk %02u", i);
      g_assert_true (bb_customers_save (f->db, c, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_true (bb_db_commit (f->db, &error));
  change = reload_change (f);
  g_assert_cmpuint (change->position, ==, 0);
  g_assert_cmpuint (change->removed, ==, N_CUSTOMERS + 1);
  g_assert_cmpuint (change->added, ==, N_CUSTOMERS + 61);
  assert_consistent (f);
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

  ADD ("/customer-list/items", test_items);
  ADD ("/customer-list/one-page", test_one_page);
  ADD ("/customer-list/set-query", test_set_query);
  ADD ("/customer-list/add", test_add);
  ADD ("/customer-list/add-not-matching", test_add_not_matching);
  ADD ("/customer-list/move", test_move);
  ADD ("/customer-list/move-uncached", test_move_uncached);
  ADD ("/customer-list/archive", test_archive);
  ADD ("/customer-list/erase", test_erase);
  ADD ("/customer-list/transaction", test_transaction);

#undef ADD

  return g_test_run ();
}
