/* bb-reports.h — the reports: aging of what customers owe, collections
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bb-db.h"
#include "bb-money.h"

G_BEGIN_DECLS

/* The header rows of the reports as CSV (billbook-cli report …). */
#define BB_AGING_CSV_HEADER "customer_code,name,current,d1_30,d31_60,d61_90,d90_plus,total"
#define BB_COLLECTIONS_CSV_HEADER "month,amount"

/* What one customer owed as of a day, by how long it was past due. */
typedef struct
{
  gint64   customer_id;
  char    *customer_code;
  char    *name;
  BbMoney  current;       /* not yet due, or due that day */
  BbMoney  d1_30;         /* 1–30 days past due */
  BbMoney  d31_60;
  BbMoney  d61_90;
  BbMoney  d90_plus;      /* more than 90 days */
  BbMoney  total;
} BbAgingRow;

/* Money received in one month. */
typedef struct
{
  char    *month;         /* YYYY-MM */
  BbMoney  amount;
} BbCollectionsRow;

void        bb_aging_row_free                (BbAgingRow          *row);
void        bb_collections_row_free          (BbCollectionsRow    *row);

GPtrArray  *bb_reports_aging                 (BbDb                *db,
                                              const GDate         *as_of,
                                              GError             **error);
void        bb_reports_aging_async           (BbDb                *db,
                                              const GDate         *as_of,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray  *bb_reports_aging_finish          (BbDb                *db,
                                              GAsyncResult        *result,
                                              GError             **error);
char       *bb_reports_aging_to_csv          (GPtrArray           *rows,
                                              const BbCurrency    *currency,
                                              GError             **error);

GPtrArray  *bb_reports_collections           (BbDb                *db,
                                              const GDate         *from,
                                              const GDate         *to,
                                              GError             **error);
void        bb_reports_collections_async     (BbDb                *db,
                                              const GDate         *from,
                                              const GDate         *to,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray  *bb_reports_collections_finish    (BbDb                *db,
                                              GAsyncResult        *result,
                                              GError             **error);
char       *bb_reports_collections_to_csv    (GPtrArray           *rows,
                                              const BbCurrency    *currency,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbAgingRow, bb_aging_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbCollectionsRow, bb_collections_row_free)

G_END_DECLS
