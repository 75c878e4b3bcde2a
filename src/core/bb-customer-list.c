/* bb-customer-list.c — the customers a query selects, as a lazy GListModel
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A BbPagedList whose query is a BbCustomerQuery: search, filters and
 * sorting are bb_customers_search()'s SQL.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-customer-list.h"

struct _BbCustomerList
{
  BbPagedList      parent_instance;

  BbCustomerQuery  query;
};

G_DEFINE_FINAL_TYPE (BbCustomerList, bb_customer_list, BB_TYPE_PAGED_LIST)

static gint64
bb_customer_list_count (BbPagedList  *list,
                        GError      **error)
{
  BbCustomerList *self = BB_CUSTOMER_LIST (list);

  return bb_customers_count (bb_paged_list_get_database (list), &self->query, error);
}

static GPtrArray *
bb_customer_list_fetch (BbPagedList  *list,
                        guint         offset,
                        guint         limit,
                        GError      **error)
{
  BbCustomerList *self = BB_CUSTOMER_LIST (list);

  return bb_customers_search (bb_paged_list_get_database (list), &self->query, offset, limit, error);
}

static gint64
bb_customer_list_item_id (BbPagedList *list,
                          gpointer     item)
{
  return ((BbCustomer *) item)->id;
}

static gboolean
bb_customer_list_locate (BbPagedList  *list,
                         gint64        id,
                         gint64       *position,
                         GError      **error)
{
  BbCustomerList *self = BB_CUSTOMER_LIST (list);
  BbDb *db = bb_paged_list_get_database (list);
  g_autoptr(BbCustomer) customer = bb_customers_get (db, id, NULL);

  *position = -1;
  if (customer == NULL)
    return FALSE;

  *position = bb_customers_position (db, &self->query, customer, error);
  return *position >= 0;
}

static void
bb_customer_list_finalize (GObject *object)
{
  BbCustomerList *self = BB_CUSTOMER_LIST (object);

  bb_customer_query_clear (&self->query);

  G_OBJECT_CLASS (bb_customer_list_parent_class)->finalize (object);
}

static void
bb_customer_list_class_init (BbCustomerListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BbPagedListClass *list_class = BB_PAGED_LIST_CLASS (klass);

  object_class->finalize = bb_customer_list_finalize;

  list_class->count = bb_customer_list_count;
  list_class->fetch = bb_customer_list_fetch;
  list_class->item_id = bb_customer_list_item_id;
  list_class->locate = bb_customer_list_locate;
}

static void
bb_customer_list_init (BbCustomerList *self)
{
}

BbCustomerList *
bb_customer_list_new (BbDb *db)
{
  BbCustomerList *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_CUSTOMER_LIST, NULL);
  _bb_paged_list_setup (BB_PAGED_LIST (self), db, BB_TYPE_CUSTOMER, "customers");

  return self;
}

/* NULL and "" both mean "any". */
static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (a != NULL && *a != '\0' ? a : NULL, b != NULL && *b != '\0' ? b : NULL) == 0;
}

/**
 * bb_customer_list_set_query:
 *
 * Selects, filters and sorts anew; the view is told that every row was
 * replaced. The same query as now changes nothing and reads nothing; the
 * list follows the book's changes by itself.
 */
void
bb_customer_list_set_query (BbCustomerList        *self,
                            const BbCustomerQuery *query)
{
  g_return_if_fail (BB_IS_CUSTOMER_LIST (self));

  if (same_text (self->query.text, query->text) && self->query.klass == query->klass &&
      same_text (self->query.tag, query->tag) && self->query.show_archived == query->show_archived &&
      self->query.sort == query->sort && self->query.descending == query->descending)
    return;

  bb_customer_query_clear (&self->query);
  self->query = *query;
  self->query.text = g_strdup (query->text);
  self->query.tag = g_strdup (query->tag);

  bb_paged_list_reload (BB_PAGED_LIST (self));
}

const BbCustomerQuery *
bb_customer_list_get_query (BbCustomerList *self)
{
  return &self->query;
}

guint
bb_customer_list_get_n_fetches (BbCustomerList *self)
{
  return bb_paged_list_get_n_fetches (BB_PAGED_LIST (self));
}
