/* bb-payments.c — payments in the book: allocation to bills, credit, refunds
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Money history is append-only (DESIGN.md, "Data"). A payment is a row of
 * payments and what it paid is rows of payment_allocations; the schema's
 * triggers refuse to change or delete either, so a payment is never
 * edited: a mistake is undone by a refund. Everything else is derived
 * from those rows and kept as caches in the same transaction (and
 * recomputed by bb-check.c):
 *
 *   invoices.paid            = Σ allocations to the bill
 *   invoices.open_balance    = total − paid (0 when void)
 *   customers.outstanding    = Σ open_balance of the customer's issued bills
 *   customers.credit         = Σ the customer's payments − Σ their allocations
 *   customers.last_payment_on = the newest payment not refunded
 *
 * Allocation. A payment is put on bills it names, each issued, of the
 * same customer and currency, for no more than each still owes, or, when
 * it names none, on the customer's open bills oldest due first. What is
 * left over is the customer's credit.
 *
 * Credit. Credit is not a row of its own: it is the unallocated rest of
 * the payments that brought it, which stays with them. Using credit on a
 * later bill (bb_payments_apply_credit()) adds allocation rows of kind
 * 'credit' to those payments, oldest first. So the money keeps the date,
 * method and reference it was received with, collections count it once
 * (when it came in), a bill's balance due as of a day counts it from the
 * day the money was received (DESIGN.md's definition, unchanged), and a
 * refund of the payment takes its credit uses back with it. The kind
 * column (schema version 2) only says what a row is; no sum depends on it.
 *
 * Refunds. bb_payments_reverse() adds a row with the negated amount that
 * points at the payment it reverses (reverses_id, unique: one refund per
 * payment), dated the day it is recorded, with allocation rows of kind
 * 'reversal' that negate the payment's allocations bill by bill. The
 * bills owe again and the payment's credit is gone with it; both rows
 * stay, so the history shows the money coming and going and the month of
 * the refund collects less by it.
 *
 * Payments from a prepaid card (method prepaid) move money of the prepaid
 * ledger too; they are taken there, not here: bb-prepaid.c writes them,
 * and their refunds, through _bb_payments_insert_from_card() and
 * _bb_payments_reverse_from_card() in the transaction of the card's
 * entry, and the public calls here refuse them.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-customers-private.h"
#include "bb-db-private.h"
#include "bb-invoice.h"
#include "bb-payments-private.h"
#include "bb-text.h"

#define MAX_REFERENCE_CHARS 200
#define MAX_NOTE_CHARS 2000
#define MAX_REASON_CHARS 500

/* What the checks need of a bill. */
typedef struct
{
  gint64           id;
  gint64           customer_id;
  char            *number;        /* NULL for a draft */
  BbInvoiceStatus  status;
  gboolean         credit_note;
  char            *currency;
  BbMoney          open_balance;
} BillInfo;

static void
bill_info_clear (BillInfo *bill)
{
  g_clear_pointer (&bill->number, g_free);
  g_clear_pointer (&bill->currency, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BillInfo, bill_info_clear)

/* One row to write: @amount of payment @payment_id to bill @invoice_id. */
typedef struct
{
  gint64   payment_id;
  gint64   invoice_id;
  BbMoney  amount;
} Planned;

/* @field: names the bill in the message when it does not exist, or NULL */
static gboolean
load_bill (BbDb        *db,
           gint64       id,
           const char  *field,
           BillInfo    *bill,
           GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT customer_id, number, status, kind, currency, open_balance "
                         "FROM invoices WHERE id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      bill->id = id;
      bill->customer_id = sqlite3_column_int64 (stmt, 0);
      bill->number = _bb_stmt_dup_text (stmt, 1);
      bb_invoice_status_from_string ((const char *) sqlite3_column_text (stmt, 2), &bill->status);
      bill->credit_note = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), "credit_note") == 0;
      bill->currency = _bb_stmt_dup_text (stmt, 4);
      bill->open_balance = sqlite3_column_int64 (stmt, 5);
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      if (field)
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND, _("%s: the bill no longer exists"), field);
      else
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND, _("The bill no longer exists"));
    }

  return rc == SQLITE_ROW;
}

/* Whether money of @customer_id in @currency may go to @bill; @field
 * names the bill in the message ("Allocation 2, bill"). */
static gboolean
check_bill_takes_payment (const BillInfo    *bill,
                          gint64             customer_id,
                          const BbCurrency  *currency,
                          const char        *field,
                          GError           **error)
{
  if (bill->status == BB_INVOICE_DRAFT || bill->status == BB_INVOICE_REVIEW)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: the bill is not issued yet; issue it before it is paid"), field);
      return FALSE;
    }
  if (bill->status == BB_INVOICE_VOID)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: bill %s is void"), field, bill->number);
      return FALSE;
    }
  if (bill->customer_id != customer_id)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: bill %s is for another customer"), field, bill->number);
      return FALSE;
    }
  if (bill->credit_note)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: %s is a credit note; it takes no payments"), field, bill->number);
      return FALSE;
    }
  if (g_strcmp0 (bill->currency, currency->code) != 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: bill %s is in %s, the payment in %s"),
                   field, bill->number, bill->currency, currency->code);
      return FALSE;
    }

  return TRUE;
}

/* @from_card: the card side of a prepaid charge (bb-prepaid.c), the
 * only path that writes method prepaid */
static gboolean
validate_payment (BbDb              *db,
                  BbPayment         *payment,
                  const BbCurrency  *currency,
                  gboolean           from_card,
                  GError           **error)
{
  g_autoptr(BbCustomer) customer = NULL;

  if (payment->customer_id == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Customer: choose who paid"));
      return FALSE;
    }
  customer = bb_customers_get (db, payment->customer_id, error);
  if (customer == NULL)
    return FALSE;

  if (!bb_date_parse (payment->received_on, _("Received on"), NULL, error))
    return FALSE;

  if (payment->amount <= 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Amount: must be more than zero; money paid back is a refund of the payment"));
      return FALSE;
    }

  if ((guint) payment->method >= BB_PAYMENT_N_METHODS)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Method: choose how the money came"));
      return FALSE;
    }
  if (from_card)
    {
      if (payment->method != BB_PAYMENT_PREPAID || payment->prepaid_account_id == 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Method: a payment from a prepaid card names the card"));
          return FALSE;
        }
    }
  else if (payment->method == BB_PAYMENT_PREPAID || payment->prepaid_account_id != 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Method: a payment from a prepaid card is taken from the card on the Prepaid page"));
      return FALSE;
    }

  if (payment->currency != NULL && *payment->currency != '\0' &&
      g_strcmp0 (payment->currency, currency->code) != 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Currency: payments are kept in %s, the currency of the book"), currency->code);
      return FALSE;
    }

  if (!bb_text_validate (payment->reference, _("Reference"), MAX_REFERENCE_CHARS, FALSE, error) ||
      !bb_text_validate (payment->note, _("Note"), MAX_NOTE_CHARS, TRUE, error))
    return FALSE;

  if (payment->reverses_id != 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Refund: a refund is recorded by reversing the payment"));
      return FALSE;
    }

  return TRUE;
}

/* The customer's open bills, oldest due first, take the payment. */
static gboolean
plan_automatic (BbDb              *db,
                BbPayment         *payment,
                const BbCurrency  *currency,
                GArray            *plan,
                GError           **error)
{
  sqlite3_stmt *stmt;
  BbMoney left = payment->amount;
  int rc = SQLITE_DONE;

  stmt = _bb_db_prepare (db,
                         "SELECT id, open_balance FROM invoices "
                         "WHERE customer_id = ?1 AND status = 'issued' AND open_balance > 0 "
                         "  AND kind <> 'credit_note' AND currency = ?2 "
                         "ORDER BY due_on, issued_on, id",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, payment->customer_id);
  _bb_stmt_bind_text (stmt, 2, currency->code);

  while (left > 0 && (rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      Planned p = { 0, sqlite3_column_int64 (stmt, 0), MIN (left, sqlite3_column_int64 (stmt, 1)) };

      g_array_append_val (plan, p);
      left -= p.amount;
    }
  sqlite3_reset (stmt);

  return left == 0 || rc == SQLITE_DONE;
}

/* The allocations the caller chose, checked one by one and together. */
static gboolean
plan_explicit (BbDb              *db,
               BbPayment         *payment,
               GPtrArray         *allocations,
               const BbCurrency  *currency,
               GArray            *plan,
               GError           **error)
{
  BbMoney sum = 0;

  for (guint i = 0; i < allocations->len; i++)
    {
      BbAllocation *allocation = g_ptr_array_index (allocations, i);
      g_autofree char *bill_field = g_strdup_printf (_("Allocation %u, bill"), i + 1);
      g_auto(BillInfo) bill = { 0 };
      BbMoney earlier = 0;
      Planned p;

      if (allocation->invoice_id == 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: choose the bill the money is for"), bill_field);
          return FALSE;
        }
      if (!load_bill (db, allocation->invoice_id, bill_field, &bill, error))
        return FALSE;
      if (!check_bill_takes_payment (&bill, payment->customer_id, currency, bill_field, error))
        return FALSE;

      if (allocation->amount <= 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Allocation %u, amount: must be more than zero"), i + 1);
          return FALSE;
        }

      /* The same bill may be named twice: together they may not pay it
       * more than it owes. */
      for (guint j = 0; j < i; j++)
        {
          BbAllocation *before = g_ptr_array_index (allocations, j);

          if (before->invoice_id == allocation->invoice_id)
            earlier += before->amount;
        }
      if (allocation->amount > bill.open_balance - earlier)
        {
          g_autofree char *amount = bb_money_format (allocation->amount, currency);
          g_autofree char *open = bb_money_format (MAX (bill.open_balance - earlier, 0), currency);

          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Allocation %u, amount: %s is more than the %s still open on bill %s"),
                       i + 1, amount, open, bill.number);
          return FALSE;
        }

      if (!bb_money_add (sum, allocation->amount, &sum) || sum > payment->amount)
        {
          g_autofree char *total = bb_money_format (payment->amount, currency);

          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Allocations: they add up to more than the payment of %s"), total);
          return FALSE;
        }

      p.payment_id = 0;
      p.invoice_id = allocation->invoice_id;
      p.amount = allocation->amount;
      g_array_append_val (plan, p);
    }

  return TRUE;
}

static gboolean
insert_allocation (BbDb              *db,
                   gint64             payment_id,
                   gint64             invoice_id,
                   BbMoney            amount,
                   BbAllocationKind   kind,
                   const char        *now,
                   GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = _bb_db_prepare (db,
                         "INSERT INTO payment_allocations (payment_id, invoice_id, amount, kind, created_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, payment_id);
  sqlite3_bind_int64 (stmt, 2, invoice_id);
  sqlite3_bind_int64 (stmt, 3, amount);
  _bb_stmt_bind_text (stmt, 4, bb_allocation_kind_to_string (kind));
  _bb_stmt_bind_text (stmt, 5, now);

  return _bb_db_step_done (db, stmt, error);
}

/*
 * _bb_payments_refresh_invoice:
 *
 * Recomputes a bill's paid amount, balance due and what was paid of it by
 * its due date from its allocations. Money modules call it in the
 * transaction that added the allocations.
 */
gboolean
_bb_payments_refresh_invoice (BbDb     *db,
                              gint64    invoice_id,
                              GError  **error)
{
  g_autofree char *now = _bb_db_now_utc ();
  sqlite3_stmt *stmt;

  stmt = _bb_db_prepare (db,
                         "UPDATE invoices SET "
                         "  paid = (SELECT coalesce(sum(amount), 0) FROM payment_allocations WHERE invoice_id = ?1), "
                         "  open_balance = CASE WHEN status = 'void' THEN 0 ELSE total - "
                         "    (SELECT coalesce(sum(amount), 0) FROM payment_allocations WHERE invoice_id = ?1) END, "
                         "  paid_by_due = " _BB_PAID_BY_DUE_SQL ("invoices") ", "
                         "  updated_at = ?2 "
                         "WHERE id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, invoice_id);
  _bb_stmt_bind_text (stmt, 2, now);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  bb_db_emit_changed (db, "invoices", invoice_id);
  return TRUE;
}

static gboolean
write_plan (BbDb              *db,
            GArray            *plan,
            BbAllocationKind   kind,
            GError           **error)
{
  g_autofree char *now = _bb_db_now_utc ();

  for (guint i = 0; i < plan->len; i++)
    {
      Planned *p = &g_array_index (plan, Planned, i);

      if (!insert_allocation (db, p->payment_id, p->invoice_id, p->amount, kind, now, error) ||
          !_bb_payments_refresh_invoice (db, p->invoice_id, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
insert_payment (BbDb        *db,
                BbPayment   *payment,
                GPtrArray   *allocations,
                gboolean     from_card,
                GError     **error)
{
  const BbCurrency *currency = bb_business_get_currency (db);
  g_autoptr(GArray) plan = g_array_new (FALSE, FALSE, sizeof (Planned));
  g_autofree char *now = _bb_db_now_utc ();
  g_autofree char *received_on = NULL;
  sqlite3_stmt *stmt;
  BbMoney allocated = 0;
  gint64 id;

  if (!validate_payment (db, payment, currency, from_card, error))
    return FALSE;

  if (allocations == NULL)
    {
      if (!plan_automatic (db, payment, currency, plan, error))
        return FALSE;
    }
  else if (!plan_explicit (db, payment, allocations, currency, plan, error))
    return FALSE;

  received_on = bb_text_strip (payment->received_on);
  stmt = _bb_db_prepare (db,
                         "INSERT INTO payments (customer_id, received_on, amount, method, reference, note, created_at, "
                         "  prepaid_account_id) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, payment->customer_id);
  _bb_stmt_bind_text (stmt, 2, received_on);
  sqlite3_bind_int64 (stmt, 3, payment->amount);
  _bb_stmt_bind_text (stmt, 4, bb_payment_method_to_string (payment->method));
  _bb_stmt_bind_text (stmt, 5, payment->reference ? payment->reference : "");
  _bb_stmt_bind_text (stmt, 6, payment->note ? payment->note : "");
  _bb_stmt_bind_text (stmt, 7, now);
  if (payment->prepaid_account_id != 0)
    sqlite3_bind_int64 (stmt, 8, payment->prepaid_account_id);
  else
    sqlite3_bind_null (stmt, 8);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;
  id = sqlite3_last_insert_rowid (_bb_db_get_handle (db));

  for (guint i = 0; i < plan->len; i++)
    {
      g_array_index (plan, Planned, i).payment_id = id;
      allocated += g_array_index (plan, Planned, i).amount;
    }
  if (!write_plan (db, plan, BB_ALLOCATION_PAYMENT, error))
    return FALSE;

  payment->id = id;
  g_free (payment->received_on);
  payment->received_on = g_steal_pointer (&received_on);
  g_free (payment->currency);
  payment->currency = g_strdup (currency->code);
  g_free (payment->created_at);
  payment->created_at = g_steal_pointer (&now);
  payment->allocated = allocated;
  payment->unallocated = payment->amount - allocated;

  bb_db_emit_changed (db, "payments", id);
  return TRUE;
}

/*
 * _bb_payments_insert:
 * @allocations: (nullable) (element-type BbAllocation): as for
 *   bb_payments_record()
 *
 * Checks and writes a payment and its allocations and brings the bills'
 * balances up to date, inside the caller's transaction. The caller
 * refreshes the customer's summary (_bb_customers_refresh_summary()) and
 * writes the audit log. Method prepaid is refused here: see
 * _bb_payments_insert_from_card().
 */
gboolean
_bb_payments_insert (BbDb        *db,
                     BbPayment   *payment,
                     GPtrArray   *allocations,
                     GError     **error)
{
  return insert_payment (db, payment, allocations, FALSE, error);
}

/*
 * _bb_payments_insert_from_card:
 * @payment: method prepaid, with its prepaid_account_id
 * @allocations: (element-type BbAllocation): the bills it pays; together
 *   the whole amount (money from a card is never left as credit)
 *
 * As _bb_payments_insert(), for the payment side of a charge on a
 * prepaid card; only bb-prepaid.c calls it, in the transaction that
 * writes the charge to the card's ledger.
 */
gboolean
_bb_payments_insert_from_card (BbDb        *db,
                               BbPayment   *payment,
                               GPtrArray   *allocations,
                               GError     **error)
{
  g_return_val_if_fail (allocations != NULL, FALSE);

  if (!insert_payment (db, payment, allocations, TRUE, error))
    return FALSE;

  if (payment->unallocated != 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Amount: money from a prepaid card goes to a bill, all of it"));
      return FALSE;
    }

  return TRUE;
}

/* For the audit log: "150.00 alipay; INV-2026-0001 100.00; credit 50.00". */
static char *
describe_payment (BbDb              *db,
                  BbPayment         *payment,
                  const BbCurrency  *currency)
{
  g_autoptr(GPtrArray) allocations = bb_payments_list_payment_allocations (db, payment->id, NULL);
  g_autofree char *amount = bb_money_format_plain (payment->amount, currency);
  GString *detail = g_string_new (NULL);

  g_string_append_printf (detail, "%s %s", amount, bb_payment_method_to_string (payment->method));
  for (guint i = 0; allocations != NULL && i < allocations->len; i++)
    {
      BbAllocation *a = g_ptr_array_index (allocations, i);
      g_autofree char *part = bb_money_format_plain (a->amount, currency);

      g_string_append_printf (detail, "; %s %s", a->invoice_number, part);
    }
  if (payment->unallocated != 0)
    {
      g_autofree char *rest = bb_money_format_plain (payment->unallocated, currency);

      g_string_append_printf (detail, "; credit %s", rest);
    }

  return g_string_free (detail, FALSE);
}

typedef struct
{
  BbPayment *payment;
  GPtrArray *allocations;
} RecordData;

static gboolean
record_in_transaction (BbDb     *db,
                       gpointer  user_data,
                       GError  **error)
{
  RecordData *data = user_data;
  g_autofree char *detail = NULL;

  if (!_bb_payments_insert (db, data->payment, data->allocations, error) ||
      !_bb_customers_refresh_summary (db, data->payment->customer_id, error))
    return FALSE;

  detail = describe_payment (db, data->payment, bb_business_get_currency (db));
  return _bb_db_audit (db, "record", "payments", data->payment->id, detail, error);
}

/**
 * bb_payments_record:
 * @db: the book
 * @payment: a new payment: customer, received_on, amount (> 0), method,
 *   reference, note; its id, currency and allocated amounts are set when
 *   recorded
 * @allocations: (nullable) (element-type BbAllocation): the bills it
 *   pays and how much of each; %NULL to pay the customer's open bills
 *   oldest due first; empty to keep it all as credit
 * @out_id: (out) (optional): the new payment's id
 * @error: return location for an error
 *
 * Records money received, in one transaction: the payment, its
 * allocation rows, the bills' balances, the customer's outstanding
 * amount, credit, last payment date and class, and the audit log. Each
 * bill named must be issued, of the same customer and currency, and owe
 * at least its part; together the parts may not exceed the payment. What
 * is not allocated is the customer's credit (bb_payments_apply_credit()).
 * Payments from a prepaid card are taken on the card, not here.
 *
 * Returns: %TRUE when recorded; else nothing was, and @error names the
 *   field ("Allocation 2, amount: …")
 */
gboolean
bb_payments_record (BbDb        *db,
                    BbPayment   *payment,
                    GPtrArray   *allocations,
                    gint64      *out_id,
                    GError     **error)
{
  RecordData data = { payment, allocations };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (BB_IS_PAYMENT (payment), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (payment->id != 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("The payment is recorded already; a payment cannot be changed, only refunded"));
      return FALSE;
    }

  if (!bb_db_transaction (db, record_in_transaction, &data, error))
    {
      payment->id = 0;
      return FALSE;
    }

  if (out_id)
    *out_id = payment->id;
  return TRUE;
}

/* ---- Credit --------------------------------------------------------- */

/* The customer's payments that hold credit, oldest first, and how much
 * each holds. A payment refunded, and its refund, hold none. (By the
 * index of the customer's payments: "reverses_id IS NULL" would send
 * SQLite to the unique index of reverses_id, where nearly all are NULL.) */
static gboolean
list_credit_sources (BbDb     *db,
                     gint64    customer_id,
                     GArray   *sources,
                     BbMoney  *total,
                     GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT id, free FROM ("
                         "  SELECT p.id AS id, p.received_on AS received_on, p.amount - "
                         "    (SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a "
                         "     WHERE a.payment_id = p.id) AS free "
                         "  FROM payments p WHERE p.customer_id = ?1 AND coalesce(p.reverses_id, 0) = 0 "
                         "    AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = p.id)) "
                         "WHERE free > 0 ORDER BY received_on, id",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);

  *total = 0;
  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      Planned p = { sqlite3_column_int64 (stmt, 0), 0, sqlite3_column_int64 (stmt, 1) };

      g_array_append_val (sources, p);
      *total += p.amount;
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

typedef struct
{
  gint64   customer_id;
  gint64   invoice_id;
  BbMoney  amount;
} CreditData;

static gboolean
apply_credit_in_transaction (BbDb     *db,
                             gpointer  user_data,
                             GError  **error)
{
  CreditData *data = user_data;
  const BbCurrency *currency = bb_business_get_currency (db);
  g_autoptr(BbCustomer) customer = NULL;
  g_autoptr(GArray) sources = g_array_new (FALSE, FALSE, sizeof (Planned));
  g_autoptr(GArray) plan = g_array_new (FALSE, FALSE, sizeof (Planned));
  g_autofree char *detail = NULL;
  g_autofree char *amount_text = NULL;
  g_auto(BillInfo) bill = { 0 };
  BbMoney available = 0;
  BbMoney left = data->amount;

  if (data->amount <= 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Amount: must be more than zero"));
      return FALSE;
    }

  customer = bb_customers_get (db, data->customer_id, error);
  if (customer == NULL)
    return FALSE;

  if (!load_bill (db, data->invoice_id, NULL, &bill, error))
    return FALSE;
  if (!check_bill_takes_payment (&bill, data->customer_id, currency, _("Bill"), error))
    return FALSE;

  amount_text = bb_money_format (data->amount, currency);
  if (data->amount > bill.open_balance)
    {
      g_autofree char *open = bb_money_format (MAX (bill.open_balance, 0), currency);

      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Amount: %s is more than the %s still open on bill %s"),
                   amount_text, open, bill.number);
      return FALSE;
    }

  /* From the rows, not the kept column: this is what may be spent. */
  if (!list_credit_sources (db, data->customer_id, sources, &available, error))
    return FALSE;
  if (data->amount > available)
    {
      g_autofree char *credit = bb_money_format (available, currency);

      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Amount: %s is more than the credit of %s, %s"),
                   amount_text, customer->name, credit);
      return FALSE;
    }

  for (guint i = 0; i < sources->len && left > 0; i++)
    {
      Planned *source = &g_array_index (sources, Planned, i);
      Planned p = { source->payment_id, data->invoice_id, MIN (source->amount, left) };

      g_array_append_val (plan, p);
      left -= p.amount;
    }

  if (!write_plan (db, plan, BB_ALLOCATION_CREDIT, error) ||
      !_bb_customers_refresh_summary (db, data->customer_id, error))
    return FALSE;

  {
    g_autofree char *plain = bb_money_format_plain (data->amount, currency);

    detail = g_strdup_printf ("%s from credit", plain);
  }
  return _bb_db_audit (db, "apply-credit", "invoices", data->invoice_id, detail, error);
}

/**
 * bb_payments_apply_credit:
 * @db: the book
 * @customer_id: whose credit
 * @invoice_id: an issued bill of theirs
 * @amount: how much credit to use; no more than the credit, nor than the
 *   bill still owes
 * @error: return location for an error
 *
 * Uses credit (the unallocated rest of earlier payments) on a bill, in
 * one transaction: allocation rows of kind credit on the payments that
 * hold it, oldest first, then the balances, class and audit log as for
 * bb_payments_record().
 *
 * Returns: %TRUE when applied; else nothing changed
 */
gboolean
bb_payments_apply_credit (BbDb      *db,
                          gint64     customer_id,
                          gint64     invoice_id,
                          BbMoney    amount,
                          GError   **error)
{
  CreditData data = { customer_id, invoice_id, amount };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return bb_db_transaction (db, apply_credit_in_transaction, &data, error);
}

/* ---- Refunds -------------------------------------------------------- */

typedef struct
{
  gint64      payment_id;
  const char *reason;
  const char *date;          /* NULL: today, or the payment's day if later */
  gboolean    from_card;     /* the card side of a reversed prepaid charge */
  gint64      refund_id;     /* set when written */
} ReverseData;

static gboolean
reverse_in_transaction (BbDb     *db,
                        gpointer  user_data,
                        GError  **error)
{
  ReverseData *data = user_data;
  const BbCurrency *currency = bb_business_get_currency (db);
  g_autoptr(BbPayment) payment = NULL;
  g_autoptr(GArray) plan = g_array_new (FALSE, FALSE, sizeof (Planned));
  g_autofree char *reason = bb_text_strip (data->reason);
  g_autofree char *now = _bb_db_now_utc ();
  g_autofree char *today = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gint64 refund_id;
  GDate d;
  int rc;

  payment = bb_payments_get (db, data->payment_id, error);
  if (payment == NULL)
    return FALSE;

  if (bb_payment_is_refund (payment))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("This is a refund; it cannot be reversed. Record the money as a new payment"));
      return FALSE;
    }
  if (bb_payment_is_reversed (payment))
    {
      g_autoptr(BbPayment) refund = bb_payments_get (db, payment->reversed_by_id, NULL);

      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("The payment was refunded already, on %s"),
                   refund ? refund->received_on : "?");
      return FALSE;
    }
  if (payment->method == BB_PAYMENT_PREPAID && !data->from_card)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("A payment from a prepaid card is refunded to the card on the Prepaid page"));
      return FALSE;
    }
  if (payment->method != BB_PAYMENT_PREPAID && data->from_card)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("The payment is not from a prepaid card"));
      return FALSE;
    }

  if (!bb_text_validate (reason, _("Reason"), MAX_REASON_CHARS, TRUE, error))
    return FALSE;
  if (*reason == '\0')
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Reason: say why the payment is refunded"));
      return FALSE;
    }

  /* Dated today, or the day of the payment when that is later; or the
   * day the card's reversal is dated. */
  if (data->date != NULL)
    {
      if (!bb_date_parse (data->date, _("Date"), &d, error))
        return FALSE;
      today = bb_date_to_iso (&d);
      if (g_strcmp0 (payment->received_on, today) > 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Date: %s is before the payment, received on %s"), today, payment->received_on);
          return FALSE;
        }
    }
  else
    {
      bb_date_set_today (&d);
      today = bb_date_to_iso (&d);
      if (g_strcmp0 (payment->received_on, today) > 0)
        {
          g_free (today);
          today = g_strdup (payment->received_on);
        }
    }

  stmt = _bb_db_prepare (db,
                         "INSERT INTO payments (customer_id, received_on, amount, method, reference, note, "
                         "  reverses_id, created_at, prepaid_account_id) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, payment->customer_id);
  _bb_stmt_bind_text (stmt, 2, today);
  sqlite3_bind_int64 (stmt, 3, -payment->amount);
  _bb_stmt_bind_text (stmt, 4, bb_payment_method_to_string (payment->method));
  _bb_stmt_bind_text (stmt, 5, payment->reference);
  _bb_stmt_bind_text (stmt, 6, reason);
  sqlite3_bind_int64 (stmt, 7, payment->id);
  _bb_stmt_bind_text (stmt, 8, now);
  if (payment->prepaid_account_id != 0)
    sqlite3_bind_int64 (stmt, 9, payment->prepaid_account_id);
  else
    sqlite3_bind_null (stmt, 9);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;
  refund_id = sqlite3_last_insert_rowid (_bb_db_get_handle (db));
  data->refund_id = refund_id;

  /* What the payment put on each bill, credit uses included, taken back. */
  stmt = _bb_db_prepare (db,
                         "SELECT invoice_id, sum(amount) FROM payment_allocations WHERE payment_id = ?1 "
                         "GROUP BY invoice_id HAVING sum(amount) <> 0 ORDER BY min(id)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, payment->id);
  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      Planned p = { refund_id, sqlite3_column_int64 (stmt, 0), -sqlite3_column_int64 (stmt, 1) };

      g_array_append_val (plan, p);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  if (!write_plan (db, plan, BB_ALLOCATION_REVERSAL, error) ||
      !_bb_customers_refresh_summary (db, payment->customer_id, error))
    return FALSE;

  {
    g_autofree char *plain = bb_money_format_plain (payment->amount, currency);

    detail = g_strdup_printf ("%s of payment %" G_GINT64_FORMAT ": %s", plain, payment->id, reason);
  }
  if (!_bb_db_audit (db, "reverse", "payments", refund_id, detail, error))
    return FALSE;

  bb_db_emit_changed (db, "payments", payment->id);
  bb_db_emit_changed (db, "payments", refund_id);
  return TRUE;
}

/**
 * bb_payments_reverse:
 * @db: the book
 * @payment_id: the payment to refund, whole
 * @reason: why, for the history; needed
 * @error: return location for an error
 *
 * Refunds a payment, or undoes one recorded by mistake, in one
 * transaction: a refund row with the negated amount that points at the
 * payment, dated today, and reversal rows taking back what the payment
 * put on each bill (its credit uses included). The bills owe again, the
 * credit it held is gone, and nothing of the history is changed: both
 * rows stay. A payment is refunded once; a refund is not reversed.
 *
 * Returns: %TRUE when refunded; else nothing changed
 */
gboolean
bb_payments_reverse (BbDb        *db,
                     gint64       payment_id,
                     const char  *reason,
                     GError     **error)
{
  ReverseData data = { payment_id, reason, NULL, FALSE, 0 };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return bb_db_transaction (db, reverse_in_transaction, &data, error);
}

/*
 * _bb_payments_reverse_from_card:
 * @date: the day of the refund, not before the payment
 * @refund_id: (out): the refund row
 *
 * As bb_payments_reverse(), for a payment from a prepaid card whose
 * charge the card takes back (bb_prepaid_reverse_charge()): inside the
 * caller's transaction, which writes the card's side.
 */
gboolean
_bb_payments_reverse_from_card (BbDb        *db,
                                gint64       payment_id,
                                const char  *reason,
                                const char  *date,
                                gint64      *refund_id,
                                GError     **error)
{
  ReverseData data = { payment_id, reason, date, TRUE, 0 };

  if (!reverse_in_transaction (db, &data, error))
    return FALSE;

  *refund_id = data.refund_id;
  return TRUE;
}

/* ---- Reading -------------------------------------------------------- */

#define PAYMENT_COLUMNS \
  "p.id, p.customer_id, p.received_on, p.amount, p.method, p.reference, p.note, " \
  "p.reverses_id, p.prepaid_account_id, p.created_at, " \
  "(SELECT r.id FROM payments r WHERE r.reverses_id = p.id), " \
  "(SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a WHERE a.payment_id = p.id), " \
  "c.code, c.name"

static BbPayment *
payment_from_row (sqlite3_stmt     *stmt,
                  const BbCurrency *currency)
{
  BbPayment *p = bb_payment_new ();

#define TEXT(field, col) do { g_free (p->field); p->field = _bb_stmt_dup_text (stmt, col); } while (0)
  p->id = sqlite3_column_int64 (stmt, 0);
  p->customer_id = sqlite3_column_int64 (stmt, 1);
  TEXT (received_on, 2);
  p->amount = sqlite3_column_int64 (stmt, 3);
  bb_payment_method_from_string ((const char *) sqlite3_column_text (stmt, 4), &p->method);
  TEXT (reference, 5);
  TEXT (note, 6);
  p->reverses_id = sqlite3_column_int64 (stmt, 7);
  p->prepaid_account_id = sqlite3_column_int64 (stmt, 8);
  TEXT (created_at, 9);
  p->reversed_by_id = sqlite3_column_int64 (stmt, 10);
  p->allocated = sqlite3_column_int64 (stmt, 11);
  p->unallocated = p->amount - p->allocated;
  TEXT (customer_code, 12);
  TEXT (customer_name, 13);
#undef TEXT
  g_free (p->currency);
  p->currency = g_strdup (currency->code);

  return p;
}

/**
 * bb_payments_get:
 *
 * Returns: (transfer full): the payment (or refund) @id
 */
BbPayment *
bb_payments_get (BbDb     *db,
                 gint64    id,
                 GError  **error)
{
  g_autoptr(BbPayment) payment = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  stmt = _bb_db_prepare (db,
                         "SELECT " PAYMENT_COLUMNS " FROM payments p "
                         "JOIN customers c ON c.id = p.customer_id WHERE p.id = ?1",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    payment = payment_from_row (stmt, bb_business_get_currency (db));
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND, _("The payment no longer exists"));

  return g_steal_pointer (&payment);
}

/**
 * bb_payments_list_for_customer:
 * @limit: at most this many; 0 for no limit
 *
 * Returns: (transfer full) (element-type BbPayment): the customer's
 *   payments and refunds, newest first, from @offset on
 */
GPtrArray *
bb_payments_list_for_customer (BbDb     *db,
                               gint64    customer_id,
                               guint     offset,
                               guint     limit,
                               GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  const BbCurrency *currency;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  currency = bb_business_get_currency (db);
  stmt = _bb_db_prepare (db,
                         "SELECT " PAYMENT_COLUMNS " FROM payments p "
                         "JOIN customers c ON c.id = p.customer_id WHERE p.customer_id = ?1 "
                         "ORDER BY p.received_on DESC, p.id DESC LIMIT ?2 OFFSET ?3",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (list, payment_from_row (stmt, currency));
  sqlite3_reset (stmt);

  return rc < 0 ? NULL : g_steal_pointer (&list);
}

static GPtrArray *
list_allocations (BbDb        *db,
                  const char  *sql,
                  gint64       id,
                  GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      BbAllocation *a = bb_allocation_new (sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3));

      a->id = sqlite3_column_int64 (stmt, 0);
      a->payment_id = sqlite3_column_int64 (stmt, 1);
      bb_allocation_kind_from_string ((const char *) sqlite3_column_text (stmt, 4), &a->kind);
      a->created_at = _bb_stmt_dup_text (stmt, 5);
      a->invoice_number = _bb_stmt_dup_text (stmt, 6);
      a->received_on = _bb_stmt_dup_text (stmt, 7);
      bb_payment_method_from_string ((const char *) sqlite3_column_text (stmt, 8), &a->method);
      a->reference = _bb_stmt_dup_text (stmt, 9);
      g_ptr_array_add (list, a);
    }
  sqlite3_reset (stmt);

  return rc < 0 ? NULL : g_steal_pointer (&list);
}

#define ALLOCATION_SELECT \
  "SELECT a.id, a.payment_id, a.invoice_id, a.amount, a.kind, a.created_at, " \
  "  coalesce(i.number, ''), p.received_on, p.method, p.reference " \
  "FROM payment_allocations a JOIN payments p ON p.id = a.payment_id " \
  "JOIN invoices i ON i.id = a.invoice_id "

/**
 * bb_payments_list_allocations:
 *
 * Returns: (transfer full) (element-type BbAllocation): what was put on
 *   bill @invoice_id and taken back, in the order it happened
 */
GPtrArray *
bb_payments_list_allocations (BbDb     *db,
                              gint64    invoice_id,
                              GError  **error)
{
  g_return_val_if_fail (BB_IS_DB (db), NULL);

  return list_allocations (db, ALLOCATION_SELECT "WHERE a.invoice_id = ?1 ORDER BY a.id", invoice_id, error);
}

/**
 * bb_payments_list_payment_allocations:
 *
 * Returns: (transfer full) (element-type BbAllocation): where the money
 *   of payment @payment_id went (or, for a refund, what it took back)
 */
GPtrArray *
bb_payments_list_payment_allocations (BbDb     *db,
                                      gint64    payment_id,
                                      GError  **error)
{
  g_return_val_if_fail (BB_IS_DB (db), NULL);

  return list_allocations (db, ALLOCATION_SELECT "WHERE a.payment_id = ?1 ORDER BY a.id", payment_id, error);
}
