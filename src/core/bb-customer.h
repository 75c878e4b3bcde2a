/* bb-customer.h — one customer, as a record
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "bb-money.h"

G_BEGIN_DECLS

#define BB_TYPE_CUSTOMER (bb_customer_get_type ())
G_DECLARE_FINAL_TYPE (BbCustomer, bb_customer, BB, CUSTOMER, GObject)

/* The fields are public: read them, change them, and hand the record to
 * bb_customers_save(), which validates everything before writing. The
 * money summaries (outstanding, credit, prepaid_balance, last_payment_on)
 * and the times are kept by core and ignored on save. */
struct _BbCustomer
{
  GObject     parent_instance;

  gint64      id;                 /* 0 until saved */
  char       *code;               /* empty: generated on save */
  char       *name;
  char       *company;
  char       *phone;
  char       *email;
  char       *address;
  char       *tax_id;
  char        klass;              /* 'A', 'B' or 'C': the class in effect */
  char        class_override;     /* 0 when automatic */
  BbMoney     credit_limit;       /* 0: no limit */
  int         payment_terms_days;
  char       *tags;               /* normalised: "vip,wholesale" */
  char       *notes;
  GHashTable *custom_fields;      /* field name → value */
  char       *created_at;
  char       *updated_at;
  gboolean    archived;
  gboolean    erased;

  BbMoney     outstanding;
  BbMoney     credit;
  BbMoney     prepaid_balance;
  char       *last_payment_on;    /* NULL when never paid */
};

BbCustomer *bb_customer_new           (void);
BbCustomer *bb_customer_copy          (BbCustomer  *self);
char      **bb_customer_get_tag_list  (BbCustomer  *self);
char       *bb_customer_normalize_tags (const char *tags);

G_END_DECLS
