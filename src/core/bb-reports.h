/* bb-reports.h — the reports: aging of what customers owe, collections
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bb-db.h"
#include "bb-money.h"
#include "bb-payment.h"

G_BEGIN_DECLS

/* The header rows of the reports as CSV (billbook-cli report …). */
#define BB_AGING_CSV_HEADER "customer_code,name,current,d1_30,d31_60,d61_90,d90_plus,total"
#define BB_COLLECTIONS_CSV_HEADER "month,amount"
#define BB_METHODS_CSV_HEADER "method,amount"
/* The last column is named after what the customers are ranked by. */
#define BB_TOP_PAID_CSV_HEADER "customer_code,name,paid"
#define BB_TOP_BILLED_CSV_HEADER "customer_code,name,billed"
#define BB_TOP_OWED_CSV_HEADER "customer_code,name,owed"
#define BB_CLASSES_CSV_HEADER "class,customers,customers_percent,billed,billed_percent"
#define BB_LIABILITY_CSV_HEADER "month,liability"
#define BB_ON_TIME_CSV_HEADER "month,due,on_time,on_time_percent"

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

/* Payments received by one method. */
typedef struct
{
  BbPaymentMethod  method;
  char            *label;         /* the name the owner gave it (Preferences), or the translated one */
  BbMoney          amount;        /* refunds taken off */
  gint64           count;         /* payments, refunds included */
} BbMethodRow;

/* What the top customers are ranked by. */
typedef enum
{
  BB_TOP_BY_PAID,                 /* payments received in the period */
  BB_TOP_BY_BILLED,               /* totals of the bills issued in the period */
  BB_TOP_BY_OWED,                 /* balance due on the period's last day */
} BbTopBy;

typedef struct
{
  gint64   customer_id;
  char    *customer_code;
  char    *name;
  BbMoney  amount;
} BbTopRow;

/* The customers of one class and what they were billed in the period. */
typedef struct
{
  char     klass;                 /* 'A', 'B' or 'C' */
  gint64   customers;
  BbMoney  billed;
  BbRate   customers_share;       /* basis points of all customers */
  BbRate   billed_share;          /* basis points of all billed; 0 when nothing was */
} BbClassRow;

/* What all prepaid cards held at the end of a month (or on the period's
 * last day, for its last month). */
typedef struct
{
  char    *month;                 /* YYYY-MM */
  BbMoney  balance;
} BbLiabilityRow;

/* The bills that fell due in a month, and how many of them were paid in
 * full by their due date. */
typedef struct
{
  char    *month;                 /* YYYY-MM */
  gint64   due;
  gint64   on_time;
  BbRate   rate;                  /* basis points; 0 when nothing fell due */
} BbOnTimeRow;

void        bb_aging_row_free                (BbAgingRow          *row);
void        bb_collections_row_free          (BbCollectionsRow    *row);
void        bb_top_row_free                  (BbTopRow            *row);
void        bb_liability_row_free            (BbLiabilityRow      *row);
void        bb_on_time_row_free              (BbOnTimeRow         *row);
void        bb_method_row_free               (BbMethodRow         *row);

const char *bb_top_by_to_string              (BbTopBy              by);
gboolean    bb_top_by_from_string            (const char          *text,
                                              BbTopBy             *by);

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

/* Payments by method, largest amount first (methods without payments
 * left out). */
GPtrArray  *bb_reports_methods               (BbDb                *db,
                                              const GDate         *from,
                                              const GDate         *to,
                                              GError             **error);
char       *bb_reports_methods_to_csv        (GPtrArray           *rows,
                                              const BbCurrency    *currency,
                                              GError             **error);

/* The @limit customers with the most, largest first (ties by code). */
GPtrArray  *bb_reports_top                   (BbDb                *db,
                                              BbTopBy              by,
                                              const GDate         *from,
                                              const GDate         *to,
                                              guint                limit,
                                              GError             **error);
char       *bb_reports_top_to_csv            (GPtrArray           *rows,
                                              BbTopBy              by,
                                              const BbCurrency    *currency,
                                              GError             **error);

/* Always three rows: A, B, C. */
GPtrArray  *bb_reports_classes               (BbDb                *db,
                                              const GDate         *from,
                                              const GDate         *to,
                                              GError             **error);
char       *bb_reports_classes_to_csv        (GPtrArray           *rows,
                                              const BbCurrency    *currency,
                                              GError             **error);

GPtrArray  *bb_reports_liability             (BbDb                *db,
                                              const GDate         *from,
                                              const GDate         *to,
                                              GError             **error);
char       *bb_reports_liability_to_csv      (GPtrArray           *rows,
                                              const BbCurrency    *currency,
                                              GError             **error);

/* Only bills whose due date is before @today are counted: a bill due
 * today or later is not late yet. */
GPtrArray  *bb_reports_on_time               (BbDb                *db,
                                              const GDate         *from,
                                              const GDate         *to,
                                              const GDate         *today,
                                              GError             **error);
char       *bb_reports_on_time_to_csv        (GPtrArray           *rows,
                                              GError             **error);

/* All the reports of a period at once, in a thread (the reports page). */
typedef enum
{
  BB_REPORT_COLLECTIONS = 1 << 0,
  BB_REPORT_AGING       = 1 << 1,
  BB_REPORT_METHODS     = 1 << 2,
  BB_REPORT_TOP         = 1 << 3,
  BB_REPORT_CLASSES     = 1 << 4,
  BB_REPORT_LIABILITY   = 1 << 5,     /* and liability_today */
  BB_REPORT_ON_TIME     = 1 << 6,
  /* Those that take long on a big book (a second on a million bills),
   * which a window may ask for apart so the others show at once. */
  BB_REPORT_SLOW        = BB_REPORT_TOP | BB_REPORT_CLASSES | BB_REPORT_ON_TIME,
  BB_REPORT_ALL         = (1 << 7) - 1,
} BbReportKinds;

/* The reports not asked for are NULL. */
typedef struct
{
  GPtrArray *collections;         /* BbCollectionsRow */
  GPtrArray *aging;               /* BbAgingRow, as of today */
  GPtrArray *methods;             /* BbMethodRow */
  GPtrArray *top;                 /* BbTopRow, by paid */
  GPtrArray *classes;             /* BbClassRow */
  GPtrArray *liability;           /* BbLiabilityRow */
  GPtrArray *on_time;             /* BbOnTimeRow */
  BbMoney    liability_today;     /* what the cards hold today */
  BbMoney    received_this_month; /* collections of this month, with collections */
} BbReportSet;

void         bb_report_set_free              (BbReportSet         *set);
void         bb_reports_period_async         (BbDb                *db,
                                              const GDate         *from,
                                              const GDate         *to,
                                              guint                top_limit,
                                              BbReportKinds        kinds,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
BbReportSet *bb_reports_period_finish        (BbDb                *db,
                                              GAsyncResult        *result,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbAgingRow, bb_aging_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbCollectionsRow, bb_collections_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbTopRow, bb_top_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbReportSet, bb_report_set_free)

G_END_DECLS
