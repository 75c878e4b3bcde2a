/* bb-demo.h — realistic sample data for an empty book
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bb-db.h"

G_BEGIN_DECLS

/* The most customers one run makes. */
#define BB_DEMO_MAX_CUSTOMERS 1000000
/* The most bills one run makes. */
#define BB_DEMO_MAX_INVOICES  10000000
/* Bills made per customer when n_invoices is 0. */
#define BB_DEMO_INVOICES_PER_CUSTOMER 6

typedef struct
{
  guint        n_customers;   /* 1 … BB_DEMO_MAX_CUSTOMERS */
  guint        n_invoices;    /* 0 … BB_DEMO_MAX_INVOICES bills; 0: BB_DEMO_INVOICES_PER_CUSTOMER
                               * for each customer */
  guint64      seed;          /* the same seed, sizes and today give the same book */
  const char  *today;         /* YYYY-MM-DD the data is made around; NULL: the real today */
} BbDemoOptions;

/* @done of @total steps are done: one step a customer, then one a bill
 * (with the payments of the days before it). */
typedef void (*BbDemoProgress) (guint     done,
                                guint     total,
                                gpointer  user_data);

gboolean  bb_demo_generate         (BbDb                 *db,
                                    const BbDemoOptions  *options,
                                    BbDemoProgress        progress,
                                    gpointer              progress_data,
                                    GCancellable         *cancellable,
                                    GError              **error);

void      bb_demo_generate_async   (BbDb                 *db,
                                    const BbDemoOptions  *options,
                                    BbDemoProgress        progress,
                                    gpointer              progress_data,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean  bb_demo_generate_finish  (BbDb                 *db,
                                    GAsyncResult         *result,
                                    GError              **error);

G_END_DECLS
