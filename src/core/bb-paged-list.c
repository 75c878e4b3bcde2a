/* bb-paged-list.c — a GListModel over an SQL query, read in pages on demand
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing here holds a whole table. The model knows how many rows the
 * query selects (one COUNT) and fetches pages of PAGE_SIZE rows when a
 * view asks for an item, keeping at most MAX_PAGES pages. Sorting,
 * filtering and search are the subclass's SQL.
 *
 * When the book says one row of the table changed, the model works out
 * where the row was and where it is now and announces just that, so the
 * view keeps its scroll position and selection; for many rows at once it
 * re-reads.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-paged-list.h"

#define PAGE_SIZE 64
#define MAX_PAGES 16

typedef struct
{
  guint      index;           /* first row = index * PAGE_SIZE */
  GPtrArray *rows;
  guint64    stamp;           /* for least recently used eviction */
} Page;

typedef struct
{
  BbDb       *db;
  GType       item_type;
  guint       n_items;
  GHashTable *pages;          /* page index → Page */
  guint64     clock;
  guint       n_fetches;
  gulong      changed_id;
} BbPagedListPrivate;

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_TYPE_WITH_CODE (BbPagedList, bb_paged_list, G_TYPE_OBJECT,
                         G_ADD_PRIVATE (BbPagedList)
                         G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

#define PRIV(self) ((BbPagedListPrivate *) bb_paged_list_get_instance_private (self))

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->rows);
  g_free (page);
}

static GType
bb_paged_list_get_item_type (GListModel *model)
{
  return PRIV (BB_PAGED_LIST (model))->item_type;
}

static guint
bb_paged_list_get_n_items (GListModel *model)
{
  return PRIV (BB_PAGED_LIST (model))->n_items;
}

static void
evict_oldest (BbPagedListPrivate *priv)
{
  GHashTableIter iter;
  gpointer key, value;
  gpointer oldest_key = NULL;
  guint64 oldest = G_MAXUINT64;

  g_hash_table_iter_init (&iter, priv->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Page *) value)->stamp < oldest)
      {
        oldest = ((Page *) value)->stamp;
        oldest_key = key;
      }

  if (oldest_key)
    g_hash_table_remove (priv->pages, oldest_key);
}

static Page *
get_page (BbPagedList *self,
          guint        index)
{
  BbPagedListPrivate *priv = PRIV (self);
  g_autoptr(GError) error = NULL;
  Page *page;
  GPtrArray *rows;

  page = g_hash_table_lookup (priv->pages, GUINT_TO_POINTER (index));
  if (page != NULL)
    {
      page->stamp = ++priv->clock;
      return page;
    }

  rows = BB_PAGED_LIST_GET_CLASS (self)->fetch (self, index * PAGE_SIZE, PAGE_SIZE, &error);
  if (rows == NULL)
    {
      g_warning ("Cannot read the list: %s", error ? error->message : "?");
      return NULL;
    }

  priv->n_fetches++;

  if (g_hash_table_size (priv->pages) >= MAX_PAGES)
    evict_oldest (priv);

  page = g_new0 (Page, 1);
  page->index = index;
  page->rows = rows;
  page->stamp = ++priv->clock;
  g_hash_table_insert (priv->pages, GUINT_TO_POINTER (index), page);

  return page;
}

static gpointer
bb_paged_list_get_item (GListModel *model,
                        guint       position)
{
  BbPagedList *self = BB_PAGED_LIST (model);
  Page *page;
  guint offset;

  if (position >= PRIV (self)->n_items)
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
  iface->get_item_type = bb_paged_list_get_item_type;
  iface->get_n_items = bb_paged_list_get_n_items;
  iface->get_item = bb_paged_list_get_item;
}

static guint
count_rows (BbPagedList *self)
{
  g_autoptr(GError) error = NULL;
  gint64 n = BB_PAGED_LIST_GET_CLASS (self)->count (self, &error);

  if (n < 0)
    {
      g_warning ("Cannot count the list: %s", error ? error->message : "?");
      return 0;
    }

  return (guint) MIN (n, G_MAXUINT);
}

/**
 * bb_paged_list_reload:
 *
 * Reads the count anew and tells the view that every row was replaced;
 * for a subclass whose query changed.
 */
void
bb_paged_list_reload (BbPagedList *self)
{
  BbPagedListPrivate *priv = PRIV (self);
  guint old_n = priv->n_items;
  guint new_n;

  g_hash_table_remove_all (priv->pages);
  new_n = priv->db ? count_rows (self) : 0;

  /* Told as every row out, then every row in, not as one change: a
   * GtkSingleSelection told that rows around its selected row were
   * replaced looks for that row among all the added ones, which here
   * would read the whole table, page after page (at a million bills,
   * minutes). Told this way it selects the first row anew. */
  if (old_n > 0)
    {
      priv->n_items = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
    }
  priv->n_items = new_n;
  if (new_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n);
}

/* Where a cached row with @id is, or -1. */
static gint64
cached_position (BbPagedList *self,
                 gint64       id)
{
  BbPagedListClass *klass = BB_PAGED_LIST_GET_CLASS (self);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, PRIV (self)->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->rows->len; i++)
        if (klass->item_id (self, g_ptr_array_index (page->rows, i)) == id)
          return (gint64) page->index * PAGE_SIZE + i;
    }

  return -1;
}

/* Drops the cached pages from @position on: their rows moved. */
static void
forget_pages_from (BbPagedList *self,
                   guint        position)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, PRIV (self)->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if ((((Page *) value)->index + 1) * PAGE_SIZE > position)
      g_hash_table_iter_remove (&iter);
}

/* Whether the row at @position of the query's result is @id. */
static gboolean
row_is (BbPagedList *self,
        guint        position,
        gint64       id)
{
  BbPagedListClass *klass = BB_PAGED_LIST_GET_CLASS (self);
  g_autoptr(GPtrArray) rows = klass->fetch (self, position, 1, NULL);

  return rows != NULL && rows->len == 1 &&
         klass->item_id (self, g_ptr_array_index (rows, 0)) == id;
}

static void
row_changed (BbPagedList *self,
             gint64       id)
{
  BbPagedListPrivate *priv = PRIV (self);
  g_autoptr(GError) error = NULL;
  gint64 old_pos, new_pos = -1;
  gboolean exists;
  guint new_n;

  old_pos = cached_position (self, id);
  new_n = count_rows (self);
  exists = BB_PAGED_LIST_GET_CLASS (self)->locate (self, id, &new_pos, &error);

  if (error != NULL)
    {
      bb_paged_list_reload (self);
      return;
    }

  if (new_n == priv->n_items + 1 && exists && old_pos < 0)
    {
      /* Added (or now matches the query). */
      forget_pages_from (self, (guint) new_pos);
      priv->n_items = new_n;
      g_list_model_items_changed (G_LIST_MODEL (self), (guint) new_pos, 0, 1);
    }
  else if (new_n + 1 == priv->n_items && old_pos >= 0)
    {
      /* Left the result (archived, erased, no longer matches). Only a
       * cached row says where it was: the change may have changed what
       * it sorts by, so where it would sort now proves nothing. */
      forget_pages_from (self, (guint) old_pos);
      priv->n_items = new_n;
      g_list_model_items_changed (G_LIST_MODEL (self), (guint) old_pos, 1, 0);
    }
  else if (new_n == priv->n_items && exists)
    {
      if (old_pos < 0)
        {
          /* Not cached. If the query does not select it, the list did
           * not change. If it does, it may have moved from anywhere:
           * where it was is unknown, so everything is announced. */
          if ((guint) new_pos < priv->n_items && row_is (self, (guint) new_pos, id))
            bb_paged_list_reload (self);
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
    bb_paged_list_reload (self);
}

static void
on_db_changed (BbDb        *db,
               const char  *table,
               gint64       id,
               BbPagedList *self)
{
  if (id == 0)
    bb_paged_list_reload (self);
  else
    row_changed (self, id);
}

void
_bb_paged_list_setup (BbPagedList *self,
                      BbDb        *db,
                      GType        item_type,
                      const char  *table)
{
  BbPagedListPrivate *priv = PRIV (self);
  g_autofree char *signal = g_strdup_printf ("changed::%s", table);

  g_return_if_fail (priv->db == NULL);

  priv->db = g_object_ref (db);
  priv->item_type = item_type;
  priv->changed_id = g_signal_connect (db, signal, G_CALLBACK (on_db_changed), self);
  priv->n_items = count_rows (self);
}

BbDb *
bb_paged_list_get_database (BbPagedList *self)
{
  g_return_val_if_fail (BB_IS_PAGED_LIST (self), NULL);

  return PRIV (self)->db;
}

/* How many pages were read from the book: for tests that no view makes
 * the model read everything. */
guint
bb_paged_list_get_n_fetches (BbPagedList *self)
{
  return PRIV (self)->n_fetches;
}

static void
bb_paged_list_dispose (GObject *object)
{
  BbPagedListPrivate *priv = PRIV (BB_PAGED_LIST (object));

  g_clear_signal_handler (&priv->changed_id, priv->db);
  g_clear_object (&priv->db);

  G_OBJECT_CLASS (bb_paged_list_parent_class)->dispose (object);
}

static void
bb_paged_list_finalize (GObject *object)
{
  BbPagedListPrivate *priv = PRIV (BB_PAGED_LIST (object));

  g_hash_table_unref (priv->pages);

  G_OBJECT_CLASS (bb_paged_list_parent_class)->finalize (object);
}

static void
bb_paged_list_class_init (BbPagedListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bb_paged_list_dispose;
  object_class->finalize = bb_paged_list_finalize;
}

static void
bb_paged_list_init (BbPagedList *self)
{
  PRIV (self)->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  PRIV (self)->item_type = G_TYPE_OBJECT;
}
