/* bb-customer-list.c — the customers a query selects, as a lazy GListModel
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing here holds the whole table. The model knows how many rows the
 * query selects (one COUNT) and fetches pages of PAGE_SIZE rows when a
 * view asks for an item, keeping at most MAX_PAGES pages. Sorting,
 * filtering and search are SQL (bb_customers_search()).
 *
 * When the book says one customer changed, the model works out where the
 * row was and where it is now (bb_customers_position()) and announces
 * just that, so the view keeps its scroll position and selection.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-customer-list.h"

#define PAGE_SIZE 64
#define MAX_PAGES 16

typedef struct
{
  guint      index;           /* first row = index * PAGE_SIZE */
  GPtrArray *rows;            /* BbCustomer */
  guint64    stamp;           /* for least recently used eviction */
} Page;

struct _BbCustomerList
{
  GObject          parent_instance;

  BbDb            *db;
  BbCustomerQuery  query;
  guint            n_items;
  GHashTable      *pages;     /* page index → Page */
  guint64          clock;
  guint            n_fetches;
  gulong           changed_id;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BbCustomerList, bb_customer_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->rows);
  g_free (page);
}

static GType
bb_customer_list_get_item_type (GListModel *model)
{
  return BB_TYPE_CUSTOMER;
}

static guint
bb_customer_list_get_n_items (GListModel *model)
{
  return BB_CUSTOMER_LIST (model)->n_items;
}

static void
evict_oldest (BbCustomerList *self)
{
  GHashTableIter iter;
  gpointer key, value;
  gpointer oldest_key = NULL;
  guint64 oldest = G_MAXUINT64;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Page *) value)->stamp < oldest)
      {
        oldest = ((Page *) value)->stamp;
        oldest_key = key;
      }

  if (oldest_key)
    g_hash_table_remove (self->pages, oldest_key);
}

static Page *
get_page (BbCustomerList *self,
          guint           index)
{
  g_autoptr(GError) error = NULL;
  Page *page;
  GPtrArray *rows;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page != NULL)
    {
      page->stamp = ++self->clock;
      return page;
    }

  rows = bb_customers_search (self->db, &self->query, index * PAGE_SIZE, PAGE_SIZE, &error);
  if (rows == NULL)
    {
      g_warning ("Cannot read customers: %s", error->message);
      return NULL;
    }

  self->n_fetches++;

  if (g_hash_table_size (self->pages) >= MAX_PAGES)
    evict_oldest (self);

  page = g_new0 (Page, 1);
  page->index = index;
  page->rows = rows;
  page->stamp = ++self->clock;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);

  return page;
}

static gpointer
bb_customer_list_get_item (GListModel *model,
                           guint       position)
{
  BbCustomerList *self = BB_CUSTOMER_LIST (model);
  Page *page;
  guint offset;

  if (position >= self->n_items)
    return NULL;

  page = get_page (self, position / PAGE_SIZE);
  offset = position % PAGE_SIZE;
  if (page == NULL || offset >= page->rows->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (page->rows, offset));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = bb_customer_list_get_item_type;
  iface->get_n_items = bb_customer_list_get_n_items;
  iface->get_item = bb_customer_list_get_item;
}

static guint
count_rows (BbCustomerList *self)
{
  g_autoptr(GError) error = NULL;
  gint64 n = bb_customers_count (self->db, &self->query, &error);

  if (n < 0)
    {
      g_warning ("Cannot count customers: %s", error->message);
      return 0;
    }

  return (guint) MIN (n, G_MAXUINT);
}

static void
reload (BbCustomerList *self)
{
  guint old_n = self->n_items;

  g_hash_table_remove_all (self->pages);
  self->n_items = count_rows (self);

  if (old_n > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
}

/* Where a cached row with @id is, or -1. */
static gint64
cached_position (BbCustomerList *self,
                 gint64          id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->rows->len; i++)
        if (((BbCustomer *) g_ptr_array_index (page->rows, i))->id == id)
          return (gint64) page->index * PAGE_SIZE + i;
    }

  return -1;
}

/* Drops the cached pages from @position on: their rows moved. */
static void
forget_pages_from (BbCustomerList *self,
                   guint           position)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if ((((Page *) value)->index + 1) * PAGE_SIZE > position)
      g_hash_table_iter_remove (&iter);
}

/* Whether the row at @position of the query's result is @id. */
static gboolean
row_is (BbCustomerList *self,
        guint           position,
        gint64          id)
{
  g_autoptr(GPtrArray) rows = bb_customers_search (self->db, &self->query, position, 1, NULL);

  return rows != NULL && rows->len == 1 &&
         ((BbCustomer *) g_ptr_array_index (rows, 0))->id == id;
}

static void
customer_changed (BbCustomerList *self,
                  gint64          id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) customer = NULL;
  gint64 old_pos, new_pos = -1;
  guint new_n;

  customer = bb_customers_get (self->db, id, NULL);
  old_pos = cached_position (self, id);
  new_n = count_rows (self);

  if (customer != NULL)
    {
      new_pos = bb_customers_position (self->db, &self->query, customer, &error);
      if (new_pos < 0)
        {
          reload (self);
          return;
        }
    }

  /* Is the row in the result now? */
  if (new_n == self->n_items + 1 && customer && old_pos < 0)
    {
      /* Added (or now matches the query). */
      forget_pages_from (self, (guint) new_pos);
      self->n_items = new_n;
      g_list_model_items_changed (G_LIST_MODEL (self), (guint) new_pos, 0, 1);
    }
  else if (new_n + 1 == self->n_items && old_pos >= 0)
    {
      /* Left the result (archived, erased, no longer matches). Only a
       * cached row says where it was: erasing, for one, changes the
       * name it sorts by, so where it would sort now proves nothing. */
      forget_pages_from (self, (guint) old_pos);
      self->n_items = new_n;
      g_list_model_items_changed (G_LIST_MODEL (self), (guint) old_pos, 1, 0);
    }
  else if (new_n == self->n_items && customer)
    {
      if (old_pos < 0)
        {
          /* Not cached. If the query does not select it, the list did
           * not change. If it does, it may have moved from anywhere:
           * where it was is unknown, so everything is announced. */
          if ((guint) new_pos < self->n_items && row_is (self, (guint) new_pos, id))
            reload (self);
        }
      else if (old_pos == new_pos)
        {
          forget_pages_from (self, (guint) new_pos);
          g_list_model_items_changed (G_LIST_MODEL (self), (guint) new_pos, 1, 1);
        }
      else
        {
          /* Moved: announce the range between the two places. */
          guint from = (guint) MIN (old_pos, new_pos);
          guint to = (guint) MAX (old_pos, new_pos);

          forget_pages_from (self, from);
          g_list_model_items_changed (G_LIST_MODEL (self), from, to - from + 1, to - from + 1);
        }
    }
  else
    reload (self);
}

static void
on_db_changed (BbDb           *db,
               const char     *table,
               gint64          id,
               BbCustomerList *self)
{
  if (id == 0)
    reload (self);
  else
    customer_changed (self, id);
}

static void
bb_customer_list_dispose (GObject *object)
{
  BbCustomerList *self = BB_CUSTOMER_LIST (object);

  g_clear_signal_handler (&self->changed_id, self->db);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (bb_customer_list_parent_class)->dispose (object);
}

static void
bb_customer_list_finalize (GObject *object)
{
  BbCustomerList *self = BB_CUSTOMER_LIST (object);

  g_hash_table_unref (self->pages);
  bb_customer_query_clear (&self->query);

  G_OBJECT_CLASS (bb_customer_list_parent_class)->finalize (object);
}

static void
bb_customer_list_class_init (BbCustomerListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bb_customer_list_dispose;
  object_class->finalize = bb_customer_list_finalize;
}

static void
bb_customer_list_init (BbCustomerList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
}

BbCustomerList *
bb_customer_list_new (BbDb *db)
{
  BbCustomerList *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_CUSTOMER_LIST, NULL);
  self->db = g_object_ref (db);
  self->changed_id = g_signal_connect (db, "changed::customers", G_CALLBACK (on_db_changed), self);
  self->n_items = count_rows (self);

  return self;
}

/**
 * bb_customer_list_set_query:
 *
 * Selects, filters and sorts anew; the view is told once.
 */
void
bb_customer_list_set_query (BbCustomerList        *self,
                            const BbCustomerQuery *query)
{
  g_return_if_fail (BB_IS_CUSTOMER_LIST (self));

  bb_customer_query_clear (&self->query);
  self->query = *query;
  self->query.text = g_strdup (query->text);
  self->query.tag = g_strdup (query->tag);

  reload (self);
}

const BbCustomerQuery *
bb_customer_list_get_query (BbCustomerList *self)
{
  return &self->query;
}

/* How many pages were read from the book: for tests that no view makes
 * the model read everything. */
guint
bb_customer_list_get_n_fetches (BbCustomerList *self)
{
  return self->n_fetches;
}
