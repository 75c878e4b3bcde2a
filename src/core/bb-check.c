/* bb-check.c — recompute every kept balance from its money rows
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Totals, open balances, customers' outstanding amounts and prepaid
 * balances are kept in columns for speed. Each is a cache of the money
 * rows (lines, allocations, ledger entries): this recomputes them all and
 * lists every disagreement. There must be none.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-check.h"
#include "bb-db-private.h"

typedef struct
{
  const char *sql;       /* rows that disagree: id, label, kept, computed */
  const char *message;   /* printf: label, kept, computed (minor units) */
} Rule;

static const Rule rules[] = {
  { "SELECT i.id, coalesce(i.number, '#' || i.id), i.total, "
    "  (SELECT coalesce(sum(l.net + l.tax), 0) FROM invoice_lines l WHERE l.invoice_id = i.id) AS computed "
    "FROM invoices i WHERE i.total <> computed",
    N_("Bill %s: total is %lld but its lines add up to %lld") },
  { "SELECT i.id, coalesce(i.number, '#' || i.id), i.paid, "
    "  (SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a WHERE a.invoice_id = i.id) AS computed "
    "FROM invoices i WHERE i.paid <> computed",
    N_("Bill %s: paid is %lld but its payments add up to %lld") },
  { "SELECT i.id, coalesce(i.number, '#' || i.id), i.open_balance, "
    "  CASE WHEN i.status = 'void' THEN 0 ELSE i.total - i.paid END AS computed "
    "FROM invoices i WHERE i.open_balance <> computed",
    N_("Bill %s: balance due is %lld but total less paid is %lld") },
  { "SELECT c.id, c.code, c.outstanding, "
    "  (SELECT coalesce(sum(i.open_balance), 0) FROM invoices i "
    "   WHERE i.customer_id = c.id AND i.status = 'issued') AS computed "
    "FROM customers c WHERE c.outstanding <> computed",
    N_("Customer %s: outstanding is %lld but their bills add up to %lld") },
  { "SELECT a.id, a.name, a.balance, "
    "  (SELECT coalesce(sum(e.amount), 0) FROM prepaid_entries e WHERE e.account_id = a.id) AS computed "
    "FROM prepaid_accounts a WHERE a.balance <> computed",
    N_("Prepaid account %s: balance is %lld but its ledger adds up to %lld") },
  { "SELECT c.id, c.code, c.prepaid_balance, "
    "  (SELECT coalesce(sum(a.balance), 0) FROM prepaid_accounts a WHERE a.customer_id = c.id) AS computed "
    "FROM customers c WHERE c.prepaid_balance <> computed",
    N_("Customer %s: prepaid balance is %lld but their accounts add up to %lld") },
};

/**
 * bb_check_balances:
 * @problems: (element-type utf8): where each disagreement is added
 *
 * Returns: %FALSE only when the checks could not run
 */
gboolean
bb_check_balances (BbDb       *db,
                   GPtrArray  *problems,
                   GError    **error)
{
  for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
    {
      sqlite3_stmt *stmt = _bb_db_prepare (db, rules[r].sql, error);
      int rc;

      if (stmt == NULL)
        return FALSE;

      /* The messages are the constant, translated formats of rules[] */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
        g_ptr_array_add (problems,
                         g_strdup_printf (_(rules[r].message),
                                          (const char *) sqlite3_column_text (stmt, 1),
                                          (long long) sqlite3_column_int64 (stmt, 2),
                                          (long long) sqlite3_column_int64 (stmt, 3)));
#pragma GCC diagnostic pop
      sqlite3_reset (stmt);

      if (rc < 0)
        return FALSE;
    }

  return TRUE;
}

/**
 * bb_check_book:
 * @problems: (out) (optional): every finding, for the user
 *
 * Integrity, foreign keys, schema version, then every kept balance.
 *
 * Returns: %TRUE when the book is sound
 */
gboolean
bb_check_book (BbDb       *db,
               GPtrArray **problems,
               GError    **error)
{
  g_autoptr(GPtrArray) found = NULL;

  bb_db_check (db, &found, error);
  if (found == NULL)
    return FALSE;

  if (!bb_check_balances (db, found, error))
    return FALSE;

  if (problems)
    *problems = g_ptr_array_ref (found);

  return found->len == 0;
}
