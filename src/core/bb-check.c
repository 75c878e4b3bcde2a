/* bb-check.c — recompute every kept balance from its money rows
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Totals, open balances, customers' outstanding amounts, credit and last
 * payment dates, and prepaid balances are kept in columns for speed. Each
 * is a cache of the money rows (lines, payments, allocations, ledger
 * entries): this recomputes them all and lists every disagreement. The
 * money rows are checked against each other too: a payment allocates no
 * more than it brought, to bills of its own customer that are issued and
 * owe no less than nothing, and a refund takes back exactly what the
 * payment it reverses brought. There must be no finding at all.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-check.h"
#include "bb-db-private.h"
#include "bb-payments-private.h"
#include "bb-prepaid-private.h"

typedef struct
{
  const char *sql;       /* rows that disagree: id, label, kept, computed */
  const char *message;   /* printf: label, kept, computed (minor units) */
  gboolean    text;      /* kept and computed are text (%s), not money */
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
  { "SELECT i.id, coalesce(i.number, '#' || i.id), i.paid_by_due, "
    "  " _BB_PAID_BY_DUE_SQL ("i") " AS computed "
    "FROM invoices i WHERE i.paid_by_due <> computed",
    N_("Bill %s: paid by its due date is %lld but its payments received by then add up to %lld") },
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
  /* Credit is what the customer's payments brought and did not allocate. */
  { "SELECT c.id, c.code, c.credit, "
    "  (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.customer_id = c.id) - "
    "  (SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a "
    "   JOIN payments p ON p.id = a.payment_id WHERE p.customer_id = c.id) AS computed "
    "FROM customers c WHERE c.credit <> computed",
    N_("Customer %s: credit is %lld but their payments less what was allocated of them come to %lld") },
  { "SELECT c.id, c.code, coalesce(c.last_payment_on, ''), "
    "  coalesce((SELECT max(p.received_on) FROM payments p "
    "            WHERE p.customer_id = c.id AND p.amount > 0 "
    "              AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = p.id)), '') AS computed "
    "FROM customers c WHERE coalesce(c.last_payment_on, '') <> computed",
    N_("Customer %s: last payment is on “%s” but their payments say “%s”"), TRUE },
  { "SELECT p.id, p.received_on || ' #' || p.id, p.amount, "
    "  (SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a WHERE a.payment_id = p.id) AS computed "
    "FROM payments p WHERE coalesce(p.reverses_id, 0) = 0 AND (computed > p.amount OR computed < 0)",
    N_("Payment %s: amount is %lld but %lld of it is allocated to bills") },
  { "SELECT r.id, r.received_on || ' #' || r.id, -r.amount, o.amount "
    "FROM payments r JOIN payments o ON o.id = r.reverses_id WHERE -r.amount <> o.amount",
    N_("Refund %s: gives back %lld but the payment it reverses brought %lld") },
  { "SELECT r.id, r.received_on || ' #' || r.id, "
    "  -(SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a WHERE a.payment_id = r.id) AS kept, "
    "  (SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a WHERE a.payment_id = r.reverses_id) AS computed "
    "FROM payments r WHERE r.reverses_id IS NOT NULL AND kept <> computed",
    N_("Refund %s: takes %lld back from bills but the payment it reverses put %lld on them") },
  { "SELECT a.id, '#' || a.id, pc.code, ic.code "
    "FROM payment_allocations a "
    "JOIN payments p ON p.id = a.payment_id JOIN customers pc ON pc.id = p.customer_id "
    "JOIN invoices i ON i.id = a.invoice_id JOIN customers ic ON ic.id = i.customer_id "
    "WHERE p.customer_id <> i.customer_id",
    N_("Allocation %s: the payment is from customer %s but the bill is for customer %s"), TRUE },
  { "SELECT i.id, coalesce(i.number, '#' || i.id), i.paid, i.total "
    "FROM invoices i WHERE i.status = 'issued' AND i.kind <> 'credit_note' AND (i.paid > i.total OR i.paid < 0)",
    N_("Bill %s: paid is %lld, which is not between nothing and its total of %lld") },
  { "SELECT i.id, coalesce(i.number, '#' || i.id), i.status, "
    "  (SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a WHERE a.invoice_id = i.id) AS computed "
    "FROM invoices i WHERE i.status <> 'issued' AND computed <> 0",
    N_("Bill %s: it is %s, yet payments of %s are allocated to it"), TRUE },
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
        {
          if (rules[r].text)
            g_ptr_array_add (problems,
                             g_strdup_printf (_(rules[r].message),
                                              (const char *) sqlite3_column_text (stmt, 1),
                                              (const char *) sqlite3_column_text (stmt, 2),
                                              (const char *) sqlite3_column_text (stmt, 3)));
          else
            g_ptr_array_add (problems,
                             g_strdup_printf (_(rules[r].message),
                                              (const char *) sqlite3_column_text (stmt, 1),
                                              (long long) sqlite3_column_int64 (stmt, 2),
                                              (long long) sqlite3_column_int64 (stmt, 3)));
        }
#pragma GCC diagnostic pop
      sqlite3_reset (stmt);

      if (rc < 0)
        return FALSE;
    }

  /* Check accounts: every prepaid ledger replayed against its rules
   * (the balances themselves are rules above). */
  return _bb_prepaid_check (db, problems, FALSE, error);
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
