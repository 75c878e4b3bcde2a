/* bb-prepaid.h — prepaid cards in the book: terms, ledger, expiry, points
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-db.h"
#include "bb-payment.h"
#include "bb-prepaid-account.h"
#include "bb-prepaid-entry.h"

G_BEGIN_DECLS

/* Cards */

gboolean          bb_prepaid_save_account      (BbDb              *db,
                                                BbPrepaidAccount  *account,
                                                GError           **error);
BbPrepaidAccount *bb_prepaid_get_account       (BbDb              *db,
                                                gint64             id,
                                                GError           **error);
BbPrepaidAccount *bb_prepaid_find_account      (BbDb              *db,
                                                gint64             customer_id,
                                                const char        *name,
                                                GError           **error);
GPtrArray        *bb_prepaid_list_customer_accounts (BbDb         *db,
                                                gint64             customer_id,
                                                GError           **error);
gboolean          bb_prepaid_get_customer_totals (BbDb            *db,
                                                gint64             customer_id,
                                                BbMoney           *balance,
                                                gint64            *points,
                                                GError           **error);

/* The ledger: each call is one transaction. @date: YYYY-MM-DD, or NULL
 * for today. @out_entry_id: (out) (optional): the entry written. */

gboolean          bb_prepaid_top_up            (BbDb              *db,
                                                gint64             account_id,
                                                const char        *date,
                                                BbMoney            amount,
                                                BbPaymentMethod    method,
                                                const char        *note,
                                                gint64            *out_entry_id,
                                                GError           **error);
gboolean          bb_prepaid_charge            (BbDb              *db,
                                                gint64             account_id,
                                                const char        *date,
                                                BbMoney            amount,
                                                const char        *note,
                                                gint64            *out_entry_id,
                                                GError           **error);
gboolean          bb_prepaid_pay_bill          (BbDb              *db,
                                                gint64             account_id,
                                                gint64             invoice_id,
                                                const char        *date,
                                                BbMoney            amount,
                                                gint64            *out_entry_id,
                                                GError           **error);
gboolean          bb_prepaid_refund            (BbDb              *db,
                                                gint64             account_id,
                                                const char        *date,
                                                BbMoney            amount,
                                                BbPaymentMethod    method,
                                                const char        *note,
                                                gint64            *out_entry_id,
                                                GError           **error);
gboolean          bb_prepaid_adjust            (BbDb              *db,
                                                gint64             account_id,
                                                const char        *date,
                                                BbMoney            amount,
                                                const char        *reason,
                                                gint64            *out_entry_id,
                                                GError           **error);
gboolean          bb_prepaid_redeem_points     (BbDb              *db,
                                                gint64             account_id,
                                                const char        *date,
                                                gint64             points,
                                                const char        *note,
                                                gint64            *out_entry_id,
                                                GError           **error);
gboolean          bb_prepaid_reverse_charge    (BbDb              *db,
                                                gint64             charge_id,
                                                const char        *date,
                                                const char        *reason,
                                                gint64            *out_entry_id,
                                                GError           **error);
gboolean          bb_prepaid_expire            (BbDb              *db,
                                                const GDate       *as_of,
                                                guint             *n_expired,
                                                GError           **error);

BbPrepaidEntry   *bb_prepaid_get_entry         (BbDb              *db,
                                                gint64             id,
                                                GError           **error);
gint64            bb_prepaid_count_entries     (BbDb              *db,
                                                gint64             account_id,
                                                GError           **error);
GPtrArray        *bb_prepaid_list_entries      (BbDb              *db,
                                                gint64             account_id,
                                                guint              offset,
                                                guint              limit,
                                                GError           **error);

gboolean          bb_prepaid_check_accounts    (BbDb              *db,
                                                GPtrArray         *problems,
                                                GError           **error);

/* Lists of cards, for a lazy list (BbPrepaidList) */

typedef enum
{
  BB_PREPAID_SORT_CUSTOMER,    /* customer name, then card name */
  BB_PREPAID_SORT_NAME,        /* card name */
  BB_PREPAID_SORT_BALANCE,
  BB_PREPAID_SORT_EXPIRES,     /* cards without an expiry last */
  BB_PREPAID_SORT_LAST_USED,
  BB_PREPAID_SORT_POINTS,
} BbPrepaidSort;

typedef struct
{
  char           *text;            /* a card name, or a customer's name, code, phone… */
  gint64          customer_id;     /* 0 for any */
  gboolean        include_closed;
  gboolean        low_only;        /* under their low-balance mark */
  char           *expires_before;  /* money on it and expiring before this day; NULL: any */
  BbPrepaidSort   sort;
  gboolean        descending;
} BbPrepaidQuery;

/* What the cards a query selects hold: the shop's liability. */
typedef struct
{
  gint64   n_accounts;
  BbMoney  balance;
  BbMoney  paid_in;
  BbMoney  bonus;
  gint64   points;
} BbPrepaidTotals;

void              bb_prepaid_query_clear       (BbPrepaidQuery        *query);
gint64            bb_prepaid_count             (BbDb                  *db,
                                                const BbPrepaidQuery  *query,
                                                GError               **error);
GPtrArray        *bb_prepaid_search            (BbDb                  *db,
                                                const BbPrepaidQuery  *query,
                                                guint                  offset,
                                                guint                  limit,
                                                GError               **error);
gint64            bb_prepaid_position          (BbDb                  *db,
                                                const BbPrepaidQuery  *query,
                                                gint64                 id,
                                                GError               **error);
gboolean          bb_prepaid_get_totals        (BbDb                  *db,
                                                const BbPrepaidQuery  *query,
                                                BbPrepaidTotals       *totals,
                                                GError               **error);

G_END_DECLS
