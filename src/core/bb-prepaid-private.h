/* bb-prepaid-private.h — what other core files need of the prepaid cards
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-prepaid.h"

G_BEGIN_DECLS

/* How the fields are called in messages: "Amount" in the window,
 * "amount" (the column) in an import. */
typedef struct
{
  const char *account;
  const char *date;
  const char *amount;
  const char *method;
  const char *note;
  const char *points;
  const char *bill;
} BbPrepaidFieldNames;

/* One ledger entry to write. */
typedef struct
{
  gint64                      account_id;
  BbPrepaidEntryKind          kind;
  const char                 *date;        /* NULL: today */
  BbMoney                     amount;      /* > 0; adjust: signed */
  gint64                      points;      /* redeem: the points to redeem */
  gboolean                    has_method;
  BbPaymentMethod             method;      /* top-up (needed) and refund */
  const char                 *note;
  gint64                      invoice_id;  /* charge: the bill it pays, or 0 */
  /* An import of history: the file's rows as they are. No bonus rule on
   * top-ups (bonus rows are in the file), no points on charges, a
   * refund capped by the balance only (the terms of the day are not
   * known), bonus and expiry rows taken (an expiry of the whole
   * balance). */
  gboolean                    as_given;
  const BbPrepaidFieldNames  *names;       /* NULL: the window's */
} BbPrepaidRequest;

gboolean  _bb_prepaid_write_entry     (BbDb                    *db,
                                       const BbPrepaidRequest  *request,
                                       gint64                  *out_entry_id,
                                       GError                 **error);
/* A card in memory, to check entries against without writing. */
typedef struct _BbPrepaidCard BbPrepaidCard;

BbPrepaidCard *_bb_prepaid_card_load      (BbDb                    *db,
                                           gint64                   customer_id,
                                           const char              *name,
                                           GError                 **error);
void      _bb_prepaid_card_free       (BbPrepaidCard           *card);
gboolean  _bb_prepaid_card_try_entry  (BbDb                    *db,
                                       BbPrepaidCard           *card,
                                       const BbPrepaidRequest  *request,
                                       GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbPrepaidCard, _bb_prepaid_card_free)

gboolean  _bb_prepaid_insert_account  (BbDb                    *db,
                                       BbPrepaidAccount        *account,
                                       const char              *name_field,
                                       GError                 **error);
gboolean  _bb_prepaid_check           (BbDb                    *db,
                                       GPtrArray               *problems,
                                       gboolean                 with_balances,
                                       GError                 **error);

G_END_DECLS
