/* bb-prepaid-ledger.c — one prepaid card's ledger, newest first, as a lazy GListModel
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A card used every day for years has thousands of entries: the model
 * reads pages of them on demand (bb_prepaid_list_entries(), in the order
 * they were written, each with the balance after it) and turns them
 * round, so the newest comes first. Entries are only ever added, at the
 * newest end; whoever shows the ledger calls bb_paged_list_reload() when
 * the book says the card changed.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-prepaid-ledger.h"

struct _BbPrepaidLedger
{
  BbPagedList  parent_instance;

  gint64       account_id;
};

G_DEFINE_FINAL_TYPE (BbPrepaidLedger, bb_prepaid_ledger, BB_TYPE_PAGED_LIST)

static gint64
bb_prepaid_ledger_count (BbPagedList  *list,
                         GError      **error)
{
  BbPrepaidLedger *self = BB_PREPAID_LEDGER (list);

  if (self->account_id == 0)
    return 0;

  return bb_prepaid_count_entries (bb_paged_list_get_database (list), self->account_id, error);
}

static GPtrArray *
bb_prepaid_ledger_fetch (BbPagedList  *list,
                         guint         offset,
                         guint         limit,
                         GError      **error)
{
  BbPrepaidLedger *self = BB_PREPAID_LEDGER (list);
  BbDb *db = bb_paged_list_get_database (list);
  g_autoptr(GPtrArray) rows = NULL;
  gint64 n, first;

  if (self->account_id == 0)
    return g_ptr_array_new_with_free_func (g_object_unref);

  n = bb_prepaid_count_entries (db, self->account_id, error);
  if (n < 0)
    return NULL;

  /* Rows offset … offset + limit − 1 counted from the newest are written
   * rows n − offset − limit … n − offset − 1. */
  first = n - (gint64) offset - (gint64) limit;
  if (first < 0)
    {
      limit = (guint) MAX (0, (gint64) limit + first);
      first = 0;
    }
  if (limit == 0)
    return g_ptr_array_new_with_free_func (g_object_unref);

  rows = bb_prepaid_list_entries (db, self->account_id, (guint) first, limit, error);
  if (rows == NULL)
    return NULL;

  for (guint i = 0, j = rows->len; i + 1 < j; i++, j--)
    {
      gpointer tmp = rows->pdata[i];

      rows->pdata[i] = rows->pdata[j - 1];
      rows->pdata[j - 1] = tmp;
    }

  return g_steal_pointer (&rows);
}

static gint64
bb_prepaid_ledger_item_id (BbPagedList *list,
                           gpointer     item)
{
  return ((BbPrepaidEntry *) item)->id;
}

static gboolean
bb_prepaid_ledger_locate (BbPagedList  *list,
                          gint64        id,
                          gint64       *position,
                          GError      **error)
{
  /* Not used: the ledger follows no table by itself (see above). */
  *position = -1;
  return FALSE;
}

static void
bb_prepaid_ledger_class_init (BbPrepaidLedgerClass *klass)
{
  BbPagedListClass *list_class = BB_PAGED_LIST_CLASS (klass);

  list_class->count = bb_prepaid_ledger_count;
  list_class->fetch = bb_prepaid_ledger_fetch;
  list_class->item_id = bb_prepaid_ledger_item_id;
  list_class->locate = bb_prepaid_ledger_locate;
}

static void
bb_prepaid_ledger_init (BbPrepaidLedger *self)
{
}

/**
 * bb_prepaid_ledger_new:
 * @account_id: the card, or 0 for an empty ledger
 */
BbPrepaidLedger *
bb_prepaid_ledger_new (BbDb   *db,
                       gint64  account_id)
{
  BbPrepaidLedger *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_PREPAID_LEDGER, NULL);
  self->account_id = account_id;
  /* A table no one announces: the owner reloads it (see above). */
  _bb_paged_list_setup (BB_PAGED_LIST (self), db, BB_TYPE_PREPAID_ENTRY, "prepaid_ledger");

  return self;
}

gint64
bb_prepaid_ledger_get_account_id (BbPrepaidLedger *self)
{
  g_return_val_if_fail (BB_IS_PREPAID_LEDGER (self), 0);

  return self->account_id;
}
