/* bb-paged-list.h — a GListModel over an SQL query, read in pages on demand
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_PAGED_LIST (bb_paged_list_get_type ())
G_DECLARE_DERIVABLE_TYPE (BbPagedList, bb_paged_list, BB, PAGED_LIST, GObject)

struct _BbPagedListClass
{
  GObjectClass parent_class;

  /* How many rows the query selects. */
  gint64      (*count)   (BbPagedList  *self,
                          GError      **error);
  /* Rows offset … offset + limit − 1 of the query, in its order. */
  GPtrArray * (*fetch)   (BbPagedList  *self,
                          guint         offset,
                          guint         limit,
                          GError      **error);
  /* The row id of an item fetch() returned. */
  gint64      (*item_id) (BbPagedList  *self,
                          gpointer      item);
  /* Where row @id sorts among the rows the query selects (how many sort
   * before it, matching or not): FALSE with no error when the row no
   * longer exists. */
  gboolean    (*locate)  (BbPagedList  *self,
                          gint64        id,
                          gint64       *position,
                          GError      **error);
};

BbDb    *bb_paged_list_get_database   (BbPagedList *self);
void     bb_paged_list_reload         (BbPagedList *self);
guint    bb_paged_list_get_n_fetches  (BbPagedList *self);
void     _bb_paged_list_setup         (BbPagedList *self,
                                       BbDb        *db,
                                       GType        item_type,
                                       const char  *table);

G_END_DECLS
