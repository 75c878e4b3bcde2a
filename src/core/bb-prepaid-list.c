/* bb-prepaid-list.c — the prepaid cards a query selects, as a lazy GListModel
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Counting, searching and sorting are SQL (bb_prepaid_count(),
 * bb_prepaid_search()); the model holds a few pages of cards. It follows
 * the book's "changed::prepaid_accounts" announcements.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-prepaid-list.h"

struct _BbPrepaidList
{
  BbPagedList     parent_instance;

  BbPrepaidQuery  query;
};

G_DEFINE_FINAL_TYPE (BbPrepaidList, bb_prepaid_list, BB_TYPE_PAGED_LIST)

static gint64
bb_prepaid_list_count (BbPagedList  *list,
                       GError      **error)
{
  return bb_prepaid_count (bb_paged_list_get_database (list), &BB_PREPAID_LIST (list)->query, error);
}

static GPtrArray *
bb_prepaid_list_fetch (BbPagedList  *list,
                       guint         offset,
                       guint         limit,
                       GError      **error)
{
  return bb_prepaid_search (bb_paged_list_get_database (list), &BB_PREPAID_LIST (list)->query,
                            offset, limit, error);
}

static gint64
bb_prepaid_list_item_id (BbPagedList *list,
                         gpointer     item)
{
  return ((BbPrepaidAccount *) item)->id;
}

static gboolean
bb_prepaid_list_locate (BbPagedList  *list,
                        gint64        id,
                        gint64       *position,
                        GError      **error)
{
  *position = bb_prepaid_position (bb_paged_list_get_database (list),
                                   &BB_PREPAID_LIST (list)->query, id, error);
  return *position >= 0;
}

static void
bb_prepaid_list_finalize (GObject *object)
{
  bb_prepaid_query_clear (&BB_PREPAID_LIST (object)->query);

  G_OBJECT_CLASS (bb_prepaid_list_parent_class)->finalize (object);
}

static void
bb_prepaid_list_class_init (BbPrepaidListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BbPagedListClass *list_class = BB_PAGED_LIST_CLASS (klass);

  object_class->finalize = bb_prepaid_list_finalize;

  list_class->count = bb_prepaid_list_count;
  list_class->fetch = bb_prepaid_list_fetch;
  list_class->item_id = bb_prepaid_list_item_id;
  list_class->locate = bb_prepaid_list_locate;
}

static void
bb_prepaid_list_init (BbPrepaidList *self)
{
  /* Open cards by customer. */
  self->query.sort = BB_PREPAID_SORT_CUSTOMER;
}

BbPrepaidList *
bb_prepaid_list_new (BbDb *db)
{
  BbPrepaidList *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_PREPAID_LIST, NULL);
  _bb_paged_list_setup (BB_PAGED_LIST (self), db, BB_TYPE_PREPAID_ACCOUNT, "prepaid_accounts");

  return self;
}

void
bb_prepaid_list_set_query (BbPrepaidList        *self,
                           const BbPrepaidQuery *query)
{
  g_return_if_fail (BB_IS_PREPAID_LIST (self));

  bb_prepaid_query_clear (&self->query);
  self->query = *query;
  self->query.text = g_strdup (query->text);
  self->query.expires_before = g_strdup (query->expires_before);

  bb_paged_list_reload (BB_PAGED_LIST (self));
}

const BbPrepaidQuery *
bb_prepaid_list_get_query (BbPrepaidList *self)
{
  g_return_val_if_fail (BB_IS_PREPAID_LIST (self), NULL);

  return &self->query;
}
