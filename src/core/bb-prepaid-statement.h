/* bb-prepaid-statement.h — a prepaid card's statement for a date range, as PDF
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One renderer for "Statement PDF…" in the window and
 * `billbook-cli prepaid statement`: the business, the customer, the card
 * and a summary of its terms, the opening balance, every ledger entry of
 * the range with the balance after it, and the closing balance, on the
 * book's paper size (Preferences, like bills).
 */
#pragma once

#include <gio/gio.h>

#include "bb-db.h"
#include "bb-money.h"
#include "bb-prepaid-account.h"

G_BEGIN_DECLS

/* The card's terms for a reader: label, value, label, value…, NULL. */
GStrv     bb_prepaid_describe_terms             (BbPrepaidAccount     *account,
                                                 const BbCurrency     *currency);

/* @from, @to: YYYY-MM-DD, both included; NULL @from: from the first
 * entry; NULL @to: today. */
gboolean  bb_prepaid_statement_write            (BbDb                 *db,
                                                 gint64                account_id,
                                                 const char           *from,
                                                 const char           *to,
                                                 GFile                *file,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
/* The same in a thread with a connection of its own; the file is
 * replaced whole, or left as it was. */
void      bb_prepaid_statement_write_async      (BbDb                 *db,
                                                 gint64                account_id,
                                                 const char           *from,
                                                 const char           *to,
                                                 GFile                *file,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean  bb_prepaid_statement_write_finish     (BbDb                 *db,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
