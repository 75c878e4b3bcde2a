/* bb-customers.h — customers in the book: save, find, archive, erase, classify
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-customer.h"
#include "bb-db.h"

G_BEGIN_DECLS

/* Field names, as used by bb_customers_validate_field() and in files. */
#define BB_CUSTOMER_FIELD_CODE          "code"
#define BB_CUSTOMER_FIELD_NAME          "name"
#define BB_CUSTOMER_FIELD_COMPANY       "company"
#define BB_CUSTOMER_FIELD_PHONE         "phone"
#define BB_CUSTOMER_FIELD_EMAIL         "email"
#define BB_CUSTOMER_FIELD_ADDRESS       "address"
#define BB_CUSTOMER_FIELD_TAX_ID        "tax_id"
#define BB_CUSTOMER_FIELD_TERMS         "payment_terms_days"
#define BB_CUSTOMER_FIELD_TAGS          "tags"
#define BB_CUSTOMER_FIELD_NOTES         "notes"

typedef enum
{
  BB_CUSTOMER_SORT_NAME,
  BB_CUSTOMER_SORT_PHONE,
  BB_CUSTOMER_SORT_CLASS,
  BB_CUSTOMER_SORT_OUTSTANDING,
  BB_CUSTOMER_SORT_PREPAID,
  BB_CUSTOMER_SORT_LAST_PAYMENT,
  BB_CUSTOMER_SORT_CODE,
} BbCustomerSort;

typedef struct
{
  char            *text;          /* search as you type; NULL or "" for all */
  char             klass;         /* 'A', 'B', 'C' or 0 for any */
  char            *tag;           /* NULL for any */
  gboolean         show_archived;
  BbCustomerSort   sort;
  gboolean         descending;
} BbCustomerQuery;

typedef struct
{
  gint64   id;
  gint64   customer_id;
  char    *occurred_on;           /* YYYY-MM-DD */
  char    *channel;               /* phone, visit, email, wechat, sms, other */
  char    *kind;                  /* communication, complaint, feedback, follow_up */
  char    *summary;
  char    *outcome;
  char    *follow_up_on;          /* NULL: none */
  gboolean follow_up_done;
} BbInteraction;

typedef struct
{
  gint64   id;
  char    *date;                  /* issued_on or received_on */
  char    *reference;             /* bill number, or payment reference */
  char    *status;                /* invoices: draft/review/issued/void; payments: method */
  BbMoney  amount;                /* bill total, or payment amount */
  BbMoney  balance;               /* bills: still open; payments: 0 */
  char    *due_on;                /* bills: the due date, or NULL; payments: NULL */
} BbCustomerHistoryRow;

const char  *bb_customer_field_label      (const char          *field);

gboolean     bb_customers_validate_field  (BbDb                *db,
                                           BbCustomer          *customer,
                                           const char          *field,
                                           GError             **error);
gboolean     bb_customers_validate        (BbDb                *db,
                                           BbCustomer          *customer,
                                           GError             **error);
gboolean     bb_customers_save            (BbDb                *db,
                                           BbCustomer          *customer,
                                           GError             **error);
BbCustomer  *bb_customers_get             (BbDb                *db,
                                           gint64               id,
                                           GError             **error);
BbCustomer  *bb_customers_get_by_code     (BbDb                *db,
                                           const char          *code,
                                           GError             **error);
gboolean     bb_customers_set_archived    (BbDb                *db,
                                           gint64               id,
                                           gboolean             archived,
                                           GError             **error);
gboolean     bb_customers_erase           (BbDb                *db,
                                           gint64               id,
                                           GError             **error);
gint64       bb_customers_count           (BbDb                *db,
                                           const BbCustomerQuery *query,
                                           GError             **error);
GPtrArray   *bb_customers_search          (BbDb                *db,
                                           const BbCustomerQuery *query,
                                           guint                offset,
                                           guint                limit,
                                           GError             **error);
gint64       bb_customers_position        (BbDb                *db,
                                           const BbCustomerQuery *query,
                                           BbCustomer          *customer,
                                           GError             **error);
GStrv        bb_customers_list_tags       (BbDb                *db);

char         bb_customers_compute_class   (BbDb                *db,
                                           gint64               id,
                                           const GDate         *today,
                                           GError             **error);
gboolean     bb_customers_update_class    (BbDb                *db,
                                           gint64               id,
                                           const GDate         *today,
                                           GError             **error);
gboolean     bb_customers_refresh_classes (BbDb                *db,
                                           const GDate         *today,
                                           guint               *n_changed,
                                           GError             **error);
BbMoney      bb_customers_get_class_a_threshold (BbDb          *db);

GStrv        bb_customer_fields_list      (BbDb                *db);
gboolean     bb_customer_fields_add       (BbDb                *db,
                                           const char          *name,
                                           GError             **error);
gboolean     bb_customer_fields_remove    (BbDb                *db,
                                           const char          *name,
                                           GError             **error);

void         bb_interaction_free          (BbInteraction       *interaction);
gboolean     bb_interactions_add          (BbDb                *db,
                                           BbInteraction       *interaction,
                                           GError             **error);
GPtrArray   *bb_interactions_list         (BbDb                *db,
                                           gint64               customer_id,
                                           GError             **error);
gboolean     bb_interactions_set_follow_up_done (BbDb          *db,
                                           gint64               id,
                                           gboolean             done,
                                           GError             **error);
const char  *bb_interaction_channel_label (const char          *channel);
const char  *bb_interaction_kind_label    (const char          *kind);

void         bb_customer_history_row_free (BbCustomerHistoryRow *row);
GPtrArray   *bb_customers_list_invoices   (BbDb                *db,
                                           gint64               id,
                                           guint                limit,
                                           GError             **error);
GPtrArray   *bb_customers_list_payments   (BbDb                *db,
                                           gint64               id,
                                           guint                limit,
                                           GError             **error);

void         bb_customer_query_clear      (BbCustomerQuery     *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbInteraction, bb_interaction_free)

G_END_DECLS
