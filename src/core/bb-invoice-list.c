/* bb-invoice-list.c — the bills a query selects, as a lazy GListModel
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-invoice-list.h"

struct _BbInvoiceList
{
  BbPagedList     parent_instance;

  BbInvoiceQuery  query;
};

G_DEFINE_FINAL_TYPE (BbInvoiceList, bb_invoice_list, BB_TYPE_PAGED_LIST)

static gint64
bb_invoice_list_count (BbPagedList  *list,
                       GError      **error)
{
  return bb_invoices_count (bb_paged_list_get_database (list), &BB_INVOICE_LIST (list)->query, error);
}

static GPtrArray *
bb_invoice_list_fetch (BbPagedList  *list,
                       guint         offset,
                       guint         limit,
                       GError      **error)
{
  return bb_invoices_search (bb_paged_list_get_database (list), &BB_INVOICE_LIST (list)->query,
                             offset, limit, error);
}

static gint64
bb_invoice_list_item_id (BbPagedList *list,
                         gpointer     item)
{
  return ((BbInvoice *) item)->id;
}

static gboolean
bb_invoice_list_locate (BbPagedList  *list,
                        gint64        id,
                        gint64       *position,
                        GError      **error)
{
  *position = bb_invoices_position (bb_paged_list_get_database (list),
                                    &BB_INVOICE_LIST (list)->query, id, error);
  return *position >= 0;
}

static void
bb_invoice_list_finalize (GObject *object)
{
  bb_invoice_query_clear (&BB_INVOICE_LIST (object)->query);

  G_OBJECT_CLASS (bb_invoice_list_parent_class)->finalize (object);
}

static void
bb_invoice_list_class_init (BbInvoiceListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BbPagedListClass *list_class = BB_PAGED_LIST_CLASS (klass);

  object_class->finalize = bb_invoice_list_finalize;

  list_class->count = bb_invoice_list_count;
  list_class->fetch = bb_invoice_list_fetch;
  list_class->item_id = bb_invoice_list_item_id;
  list_class->locate = bb_invoice_list_locate;
}

static void
bb_invoice_list_init (BbInvoiceList *self)
{
  /* Newest first, any state. */
  self->query.status = -1;
  self->query.descending = TRUE;
}

BbInvoiceList *
bb_invoice_list_new (BbDb *db)
{
  BbInvoiceList *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_INVOICE_LIST, NULL);
  _bb_paged_list_setup (BB_PAGED_LIST (self), db, BB_TYPE_INVOICE, "invoices");

  return self;
}

/* NULL and "" both mean "no bound". */
static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (a != NULL && *a != '\0' ? a : NULL, b != NULL && *b != '\0' ? b : NULL) == 0;
}

static gboolean
same_query (const BbInvoiceQuery *a,
            const BbInvoiceQuery *b)
{
  return same_text (a->text, b->text) && a->status == b->status &&
         a->overdue_only == b->overdue_only && same_text (a->today, b->today) &&
         same_text (a->from, b->from) && same_text (a->to, b->to) &&
         a->customer_id == b->customer_id && a->sort == b->sort && a->descending == b->descending;
}

/**
 * bb_invoice_list_set_query:
 *
 * Shows the bills @query selects. The same query as now changes nothing
 * and reads nothing (a page that gives its new list the default query
 * does not count a million bills twice); the list follows the book's
 * changes by itself.
 */
void
bb_invoice_list_set_query (BbInvoiceList        *self,
                           const BbInvoiceQuery *query)
{
  g_return_if_fail (BB_IS_INVOICE_LIST (self));

  if (same_query (&self->query, query))
    return;

  bb_invoice_query_clear (&self->query);
  self->query = *query;
  self->query.text = g_strdup (query->text);
  self->query.today = g_strdup (query->today);
  self->query.from = g_strdup (query->from);
  self->query.to = g_strdup (query->to);

  bb_paged_list_reload (BB_PAGED_LIST (self));
}

const BbInvoiceQuery *
bb_invoice_list_get_query (BbInvoiceList *self)
{
  return &self->query;
}
