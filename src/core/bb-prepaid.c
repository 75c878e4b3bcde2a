/* bb-prepaid.c — prepaid cards in the book: terms, ledger, expiry, points
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A customer may hold several cards ("Membership card", "Car wash
 * package"), each a row of prepaid_accounts with its terms. What a card
 * holds is its ledger, prepaid_entries, which is append-only (DESIGN.md,
 * "Data"; the schema's triggers refuse to change or delete a row). Every
 * figure is derived from the ledger and kept as a cache in the same
 * transaction as the entry that changed it (and recomputed by
 * _bb_prepaid_check(), part of `billbook-cli check`):
 *
 *   balance   = Σ amount
 *   bonus     = Σ bonus_part       (bonus money left on the card)
 *   paid_in   = balance − bonus    (the customer's own money left)
 *   points    = Σ points
 *   last_used_on = the latest charge
 *   expires_on   = (months cards) the latest top-up + validity_months
 *   customers.prepaid_balance = Σ balance of the customer's cards
 *
 * "Latest" is by date (occurred_on), not by the order the entries were
 * written: a top-up or a charge entered late, dated before others, does
 * not take the card's expiry or last use back.
 *
 * Entries. A top-up brings money (with its method) and, by the bonus
 * rule, a bonus entry in the same transaction. A charge takes money for a
 * sale, or for a bill: then a payment of method prepaid, allocated to the
 * bill, is written in the same transaction and the entry names it. A
 * refund pays money back, capped at what is refundable: the paid-in money,
 * and the bonus money only when the terms say so. An adjustment corrects
 * the balance either way and needs a reason. Redeeming points turns them
 * into bonus money, which later charges spend like any bonus: a discount.
 * A charge taken back (bb_prepaid_reverse_charge()) is an adjustment that
 * undoes it exactly — its paid-in and bonus parts, its points, and the
 * payment of the bill it paid — and names it.
 *
 * Which money goes first. Money leaves a card paid-in money first, then
 * bonus money: a charge, a refund and a negative adjustment all take
 * from the paid-in part until it is spent, and only then from the bonus.
 * So a customer who tops up 1000 (bonus 100) and spends 500 may have 500
 * back, not 600: the bonus is kept for spending and is never cashed by
 * topping up, buying a little and asking for the rest. An expiry writes
 * off both parts. Money coming in is paid-in money (a top-up, a positive
 * adjustment), or bonus money (a bonus, redeemed points).
 *
 * Expiry. A card is good on the days before its expires_on; on that day
 * what is left is written off by one expiry entry, dated expires_on.
 * bb_prepaid_expire() writes every expiry that is due as of a day, in one
 * transaction begun with BEGIN IMMEDIATE, reading the ledger inside it,
 * and the schema keeps one expiry per card and day (a unique index): so
 * it writes each exactly once however often it runs, after the app was
 * off across the day, or in two processes at once. A card whose day has
 * passed takes no entry dated on or after it, except a top-up of a
 * months card, which first writes off the old money (in its own
 * transaction) and then renews the card; nothing is dated before the
 * card's last expiry. A top-up of a months card entered late, dated
 * before its latest, leaves the expiry with the latest; it may be dated
 * on the day of the last expiry (it comes after it, as a renewing
 * top-up does), but not so far back that its own money would have
 * expired before the card's next top-up: that expiry was not written on
 * its day and cannot be written after.
 *
 * Two processes charging one card at once lose nothing: every entry is
 * written in a write transaction (BEGIN IMMEDIATE) that reads the
 * balance from the ledger inside it, so the second waits for the first
 * and sees its charge.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-customers-private.h"
#include "bb-db-private.h"
#include "bb-invoice.h"
#include "bb-payments-private.h"
#include "bb-prepaid-private.h"
#include "bb-text.h"

#define MAX_NAME_CHARS 100
#define MAX_POLICY_CHARS 2000
#define MAX_NOTE_CHARS 2000
#define MAX_REASON_CHARS 500
#define MAX_VALIDITY_MONTHS 600
/* No card holds more than this (10^15 minor units), so sums never overflow. */
#define MAX_MONEY ((BbMoney) 1000000000000000)
#define MAX_POINTS ((gint64) 1000000000000000)

static void
window_names (BbPrepaidFieldNames *names)
{
  names->account = _("Card");
  names->date = _("Date");
  names->amount = _("Amount");
  names->method = _("Method");
  names->note = _("Note");
  names->points = _("Points");
  names->bill = _("Bill");
}

static char *
format_money (BbDb    *db,
              BbMoney  amount)
{
  return bb_money_format (amount, bb_business_get_currency (db));
}

/* ---- Reading cards -------------------------------------------------- */

#define ACCOUNT_COLUMNS \
  "a.id, a.customer_id, a.name, a.validity, a.expires_on, a.validity_months, a.refund_policy, " \
  "a.bonus_refundable, a.low_balance_mark, a.bonus_threshold, a.bonus_amount, a.points_per_unit, " \
  "a.points_unit, a.redeem_points, a.redeem_value, a.closed, a.created_at, a.balance, a.paid_in, " \
  "a.bonus, a.points, a.last_used_on, c.code, c.name"

static BbPrepaidAccount *
account_from_row (sqlite3_stmt *stmt)
{
  BbPrepaidAccount *a = bb_prepaid_account_new ();

#define TEXT(field, col) do { g_free (a->field); a->field = _bb_stmt_dup_text (stmt, col); } while (0)
  a->id = sqlite3_column_int64 (stmt, 0);
  a->customer_id = sqlite3_column_int64 (stmt, 1);
  TEXT (name, 2);
  bb_prepaid_validity_from_string ((const char *) sqlite3_column_text (stmt, 3), &a->validity);
  TEXT (expires_on, 4);
  if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
    a->validity_months = sqlite3_column_int (stmt, 5);
  TEXT (refund_policy, 6);
  a->bonus_refundable = sqlite3_column_int (stmt, 7) != 0;
  a->low_balance_mark = sqlite3_column_int64 (stmt, 8);
  a->bonus_threshold = sqlite3_column_int64 (stmt, 9);
  a->bonus_amount = sqlite3_column_int64 (stmt, 10);
  a->points_per_unit = sqlite3_column_int64 (stmt, 11);
  a->points_unit = sqlite3_column_int64 (stmt, 12);
  a->redeem_points = sqlite3_column_int64 (stmt, 13);
  a->redeem_value = sqlite3_column_int64 (stmt, 14);
  a->closed = sqlite3_column_int (stmt, 15) != 0;
  TEXT (created_at, 16);
  a->balance = sqlite3_column_int64 (stmt, 17);
  a->paid_in = sqlite3_column_int64 (stmt, 18);
  a->bonus = sqlite3_column_int64 (stmt, 19);
  a->points = sqlite3_column_int64 (stmt, 20);
  TEXT (last_used_on, 21);
  TEXT (customer_code, 22);
  TEXT (customer_name, 23);
#undef TEXT

  return a;
}

/* @field: names the card in the message, or NULL */
static BbPrepaidAccount *
load_account (BbDb        *db,
              gint64       id,
              const char  *field,
              GError     **error)
{
  g_autoptr(BbPrepaidAccount) account = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT " ACCOUNT_COLUMNS " FROM prepaid_accounts a "
                         "JOIN customers c ON c.id = a.customer_id WHERE a.id = ?1",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    account = account_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      if (field)
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND, _("%s: the prepaid card no longer exists"), field);
      else
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND, _("The prepaid card no longer exists"));
    }

  return g_steal_pointer (&account);
}

/**
 * bb_prepaid_get_account:
 *
 * Returns: (transfer full): card @id, its terms and figures
 */
BbPrepaidAccount *
bb_prepaid_get_account (BbDb     *db,
                        gint64    id,
                        GError  **error)
{
  g_return_val_if_fail (BB_IS_DB (db), NULL);

  return load_account (db, id, NULL, error);
}

/**
 * bb_prepaid_find_account:
 *
 * Returns: (transfer full) (nullable): the customer's card called @name
 *   (exactly), or %NULL without an error when there is none
 */
BbPrepaidAccount *
bb_prepaid_find_account (BbDb        *db,
                         gint64       customer_id,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(BbPrepaidAccount) account = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  stmt = _bb_db_prepare (db,
                         "SELECT " ACCOUNT_COLUMNS " FROM prepaid_accounts a "
                         "JOIN customers c ON c.id = a.customer_id WHERE a.customer_id = ?1 AND a.name = ?2",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  _bb_stmt_bind_text (stmt, 2, name);

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    account = account_from_row (stmt);
  sqlite3_reset (stmt);

  return g_steal_pointer (&account);
}

/**
 * bb_prepaid_list_customer_accounts:
 *
 * Returns: (transfer full) (element-type BbPrepaidAccount): the
 *   customer's cards, closed ones too, by name
 */
GPtrArray *
bb_prepaid_list_customer_accounts (BbDb     *db,
                                   gint64    customer_id,
                                   GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  stmt = _bb_db_prepare (db,
                         "SELECT " ACCOUNT_COLUMNS " FROM prepaid_accounts a "
                         "JOIN customers c ON c.id = a.customer_id WHERE a.customer_id = ?1 "
                         "ORDER BY a.closed, a.name COLLATE NOCASE, a.id",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (list, account_from_row (stmt));
  sqlite3_reset (stmt);

  return rc < 0 ? NULL : g_steal_pointer (&list);
}

/**
 * bb_prepaid_get_customer_totals:
 * @balance: (out) (optional): what the customer's cards hold
 * @points: (out) (optional): their points, to show on the customer
 */
gboolean
bb_prepaid_get_customer_totals (BbDb     *db,
                                gint64    customer_id,
                                BbMoney  *balance,
                                gint64   *points,
                                GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  stmt = _bb_db_prepare (db,
                         "SELECT coalesce(sum(balance), 0), coalesce(sum(points), 0) "
                         "FROM prepaid_accounts WHERE customer_id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      if (balance)
        *balance = sqlite3_column_int64 (stmt, 0);
      if (points)
        *points = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW;
}

/* ---- The ledger's figures ------------------------------------------- */

/* What a card's ledger says, read inside the transaction that writes. */
typedef struct
{
  BbMoney  balance;
  BbMoney  bonus;
  gint64   points;
  char    *last_topup;     /* dates, or NULL */
  char    *last_charge;
  char    *last_expiry;
  char    *last_other;     /* the latest entry that is no expiry */
  GTree   *topups;         /* a card in memory: the days of its top-ups;
                            * NULL: read from the ledger when needed */
} Figures;

static void
figures_clear (Figures *f)
{
  g_clear_pointer (&f->last_topup, g_free);
  g_clear_pointer (&f->last_charge, g_free);
  g_clear_pointer (&f->last_expiry, g_free);
  g_clear_pointer (&f->last_other, g_free);
  g_clear_pointer (&f->topups, g_tree_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Figures, figures_clear)

static BbMoney
figures_paid_in (const Figures *f)
{
  return f->balance - f->bonus;
}

static gboolean
read_figures (BbDb     *db,
              gint64    account_id,
              Figures  *f,
              GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  figures_clear (f);
  stmt = _bb_db_prepare (db,
                         "SELECT coalesce(sum(amount), 0), coalesce(sum(bonus_part), 0), coalesce(sum(points), 0), "
                         "  max(CASE WHEN kind = 'topup' THEN occurred_on END), "
                         "  max(CASE WHEN kind = 'charge' THEN occurred_on END), "
                         "  max(CASE WHEN kind = 'expiry' THEN occurred_on END), "
                         "  max(CASE WHEN kind <> 'expiry' THEN occurred_on END) "
                         "FROM prepaid_entries WHERE account_id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      f->balance = sqlite3_column_int64 (stmt, 0);
      f->bonus = sqlite3_column_int64 (stmt, 1);
      f->points = sqlite3_column_int64 (stmt, 2);
      f->last_topup = _bb_stmt_dup_text (stmt, 3);
      f->last_charge = _bb_stmt_dup_text (stmt, 4);
      f->last_expiry = _bb_stmt_dup_text (stmt, 5);
      f->last_other = _bb_stmt_dup_text (stmt, 6);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW;
}

static int
compare_dates (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (a, b);
}

/* The days of the card's top-ups, for a card in memory. */
static GTree *
read_topup_days (BbDb     *db,
                 gint64    account_id,
                 GError  **error)
{
  g_autoptr(GTree) days = g_tree_new_full (compare_dates, NULL, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  if (account_id == 0)
    return g_steal_pointer (&days);

  stmt = _bb_db_prepare (db,
                         "SELECT DISTINCT occurred_on FROM prepaid_entries "
                         "WHERE account_id = ?1 AND kind = 'topup'",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    g_tree_insert (days, _bb_stmt_dup_text (stmt, 0), NULL);
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&days) : NULL;
}

/* The day of the card's first top-up after @date, or NULL in @next:
 * from the days of a card in memory, or else from the ledger. */
static gboolean
next_topup_after (BbDb           *db,
                  gint64          account_id,
                  const Figures  *f,
                  const char     *date,
                  char          **next,
                  GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *next = NULL;
  if (f->topups != NULL)
    {
      GTreeNode *node = g_tree_upper_bound (f->topups, date);

      *next = node ? g_strdup (g_tree_node_key (node)) : NULL;
      return TRUE;
    }
  if (account_id == 0)
    return TRUE;

  stmt = _bb_db_prepare (db,
                         "SELECT min(occurred_on) FROM prepaid_entries "
                         "WHERE account_id = ?1 AND kind = 'topup' AND occurred_on > ?2",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  _bb_stmt_bind_text (stmt, 2, date);
  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    *next = _bb_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW;
}

/* @iso plus @months, on the last day of the month when that month is
 * shorter (2026-01-31 + 1 → 2026-02-28). */
static char *
add_months (const char *iso,
            int         months)
{
  GDate d;

  if (!bb_date_parse (iso, "", &d, NULL))
    return NULL;
  g_date_add_months (&d, (guint) months);

  return bb_date_to_iso (&d);
}

/* The day the card's money expires, by its terms and its latest top-up. */
static char *
effective_expiry (BbPrepaidValidity  validity,
                  const char        *fixed_expires_on,
                  int                validity_months,
                  const char        *last_topup)
{
  switch (validity)
    {
    case BB_PREPAID_VALIDITY_FIXED:
      return g_strdup (fixed_expires_on);
    case BB_PREPAID_VALIDITY_MONTHS:
      return last_topup ? add_months (last_topup, validity_months) : NULL;
    case BB_PREPAID_VALIDITY_NONE:
    default:
      return NULL;
    }
}

/* The latest entry of the money the card holds now: entries before its
 * last expiry were closed by it. */
static const char *
figures_live_last (const Figures *f)
{
  if (f->last_other == NULL)
    return NULL;
  if (f->last_expiry != NULL && strcmp (f->last_other, f->last_expiry) < 0)
    return NULL;

  return f->last_other;
}

/* Brings the card's kept figures up to date with its ledger. */
static gboolean
refresh_account (BbDb     *db,
                 gint64    account_id,
                 GError  **error)
{
  g_auto(Figures) f = { 0 };
  g_autofree char *validity_text = NULL;
  g_autofree char *fixed = NULL;
  g_autofree char *expires_on = NULL;
  BbPrepaidValidity validity = BB_PREPAID_VALIDITY_NONE;
  int months = 0;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db, "SELECT validity, expires_on, validity_months FROM prepaid_accounts WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      bb_prepaid_validity_from_string ((const char *) sqlite3_column_text (stmt, 0), &validity);
      fixed = _bb_stmt_dup_text (stmt, 1);
      months = sqlite3_column_int (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND, _("The prepaid card no longer exists"));
      return FALSE;
    }

  if (!read_figures (db, account_id, &f, error))
    return FALSE;
  expires_on = effective_expiry (validity, fixed, months, f.last_topup);

  stmt = _bb_db_prepare (db,
                         "UPDATE prepaid_accounts SET balance = ?2, paid_in = ?3, bonus = ?4, points = ?5, "
                         "  last_used_on = ?6, expires_on = ?7 WHERE id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, f.balance);
  sqlite3_bind_int64 (stmt, 3, figures_paid_in (&f));
  sqlite3_bind_int64 (stmt, 4, f.bonus);
  sqlite3_bind_int64 (stmt, 5, f.points);
  _bb_stmt_bind_text (stmt, 6, f.last_charge);
  _bb_stmt_bind_text (stmt, 7, expires_on);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  bb_db_emit_changed (db, "prepaid_accounts", account_id);
  return TRUE;
}

static gboolean
insert_entry (BbDb                *db,
              gint64               account_id,
              const char          *date,
              BbPrepaidEntryKind   kind,
              BbMoney              amount,
              BbMoney              bonus_part,
              gint64               points,
              const char          *method,
              gint64               invoice_id,
              gint64               payment_id,
              gint64               reverses_id,
              const char          *note,
              gint64              *out_id,
              GError             **error)
{
  g_autofree char *now = _bb_db_now_utc ();
  sqlite3_stmt *stmt;
  gint64 id;

  stmt = _bb_db_prepare (db,
                         "INSERT INTO prepaid_entries (account_id, occurred_on, kind, amount, bonus_part, points, "
                         "  method, invoice_id, payment_id, reverses_id, note, created_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  _bb_stmt_bind_text (stmt, 2, date);
  _bb_stmt_bind_text (stmt, 3, bb_prepaid_entry_kind_to_string (kind));
  sqlite3_bind_int64 (stmt, 4, amount);
  sqlite3_bind_int64 (stmt, 5, bonus_part);
  sqlite3_bind_int64 (stmt, 6, points);
  _bb_stmt_bind_text (stmt, 7, method);
#define BIND_ID(i, v) do { if ((v) != 0) sqlite3_bind_int64 (stmt, i, v); else sqlite3_bind_null (stmt, i); } while (0)
  BIND_ID (8, invoice_id);
  BIND_ID (9, payment_id);
  BIND_ID (10, reverses_id);
#undef BIND_ID
  _bb_stmt_bind_text (stmt, 11, note ? note : "");
  _bb_stmt_bind_text (stmt, 12, now);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  id = sqlite3_last_insert_rowid (_bb_db_get_handle (db));
  bb_db_emit_changed (db, "prepaid_entries", id);
  if (out_id)
    *out_id = id;

  return TRUE;
}

/* ---- Writing entries ------------------------------------------------ */

static char *
resolve_date (const char  *date,
              const char  *field,
              GError     **error)
{
  GDate d;

  if (date == NULL || *date == '\0')
    bb_date_set_today (&d);
  else if (!bb_date_parse (date, field, &d, error))
    return NULL;

  return bb_date_to_iso (&d);
}

/* The bill a charge pays: the card's customer's, issued, owing @amount. */
static gboolean
check_bill (BbDb                        *db,
            BbPrepaidAccount            *account,
            gint64                       invoice_id,
            BbMoney                      amount,
            const BbPrepaidFieldNames   *names,
            char                       **number,
            GError                     **error)
{
  const BbCurrency *currency = bb_business_get_currency (db);
  g_autofree char *status = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *bill_currency = NULL;
  gint64 customer_id = 0;
  BbMoney open = 0;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT coalesce(number, ''), customer_id, status, kind, currency, open_balance "
                         "FROM invoices WHERE id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, invoice_id);
  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *number = _bb_stmt_dup_text (stmt, 0);
      customer_id = sqlite3_column_int64 (stmt, 1);
      status = _bb_stmt_dup_text (stmt, 2);
      kind = _bb_stmt_dup_text (stmt, 3);
      bill_currency = _bb_stmt_dup_text (stmt, 4);
      open = sqlite3_column_int64 (stmt, 5);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND, _("%s: the bill no longer exists"), names->bill);
  if (rc != SQLITE_ROW)
    return FALSE;

  if (g_strcmp0 (status, "draft") == 0 || g_strcmp0 (status, "review") == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: the bill is not issued yet; issue it before it is paid"), names->bill);
      return FALSE;
    }
  if (g_strcmp0 (status, "void") == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("%s: bill %s is void"), names->bill, *number);
      return FALSE;
    }
  if (customer_id != account->customer_id)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: bill %s is for another customer than the card’s"), names->bill, *number);
      return FALSE;
    }
  if (g_strcmp0 (kind, "credit_note") == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: %s is a credit note; it takes no payments"), names->bill, *number);
      return FALSE;
    }
  if (g_strcmp0 (bill_currency, currency->code) != 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: bill %s is in %s, the card in %s"), names->bill, *number, bill_currency, currency->code);
      return FALSE;
    }
  if (amount > open)
    {
      g_autofree char *a = format_money (db, amount);
      g_autofree char *o = format_money (db, MAX (open, 0));

      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: %s is more than the %s still open on bill %s"), names->amount, a, o, *number);
      return FALSE;
    }

  return TRUE;
}

static gboolean
too_large (const char  *field,
           GError     **error)
{
  g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("%s: the amount is too large"), field);
  return FALSE;
}

/* Refuses what would leave the card below zero, saying the balance. */
static gboolean
check_balance_covers (BbDb                       *db,
                      BbPrepaidAccount           *account,
                      BbMoney                     take,
                      const Figures              *f,
                      const BbPrepaidFieldNames  *names,
                      GError                    **error)
{
  g_autofree char *amount = NULL;
  g_autofree char *balance = NULL;

  if (take <= f->balance)
    return TRUE;

  amount = format_money (db, take);
  balance = format_money (db, f->balance);
  g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
               /* Translators: "Amount: ¥50.00 is more than the balance of ¥30.00 on Membership card" */
               _("%s: %s is more than the balance of %s on %s"),
               names->amount, amount, balance, account->name);
  return FALSE;
}

/* What a ledger entry does to the figures, as read_figures() reads them
 * once it is written. */
static void
later_date (char       **slot,
            const char  *date)
{
  if (*slot == NULL || strcmp (date, *slot) > 0)
    {
      g_free (*slot);
      *slot = g_strdup (date);
    }
}

static void
figures_add (Figures            *f,
             BbPrepaidEntryKind  kind,
             const char         *date,
             BbMoney             amount,
             BbMoney             bonus_part,
             gint64              points)
{
  f->balance += amount;
  f->bonus += bonus_part;
  f->points += points;

  if (kind == BB_PREPAID_TOPUP)
    {
      later_date (&f->last_topup, date);
      if (f->topups != NULL)
        g_tree_insert (f->topups, g_strdup (date), NULL);
    }
  else if (kind == BB_PREPAID_CHARGE)
    later_date (&f->last_charge, date);

  if (kind == BB_PREPAID_EXPIRY)
    later_date (&f->last_expiry, date);
  else
    later_date (&f->last_other, date);
}

/* The days of the top-ups of a card in memory are shared, not copied:
 * only plan_apply() adds to them, once a request has passed. */
static void
figures_copy (Figures       *to,
              const Figures *from)
{
  figures_clear (to);
  *to = *from;
  to->last_topup = g_strdup (from->last_topup);
  to->last_charge = g_strdup (from->last_charge);
  to->last_expiry = g_strdup (from->last_expiry);
  to->last_other = g_strdup (from->last_other);
  to->topups = from->topups ? g_tree_ref (from->topups) : NULL;
}

/* What one request writes, worked out from the card's terms and figures
 * before anything is written. */
typedef struct
{
  char     *date;
  char     *note;
  char     *bill_number;    /* a charge that pays a bill */
  const char *method;
  gboolean  renews;         /* a top-up after the card's money expired: */
  BbMoney   old_balance;    /* that money is written off first */
  BbMoney   old_bonus;
  BbMoney   amount;
  BbMoney   bonus_part;
  BbMoney   bonus;          /* of a top-up by the card's rule: an entry of its own */
  gint64    points;
} Plan;

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->date, g_free);
  g_clear_pointer (&plan->note, g_free);
  g_clear_pointer (&plan->bill_number, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

/* Checks @request against the card's terms (@account) and figures (@f)
 * and works out what it writes. The only change is to @f: the money a
 * renewing top-up writes off first is gone from it. Reads the book only
 * for the bill a charge pays, and for the next top-up after one dated
 * before the card's latest (unless @f has the days of its top-ups). */
static gboolean
plan_entry (BbDb                       *db,
            BbPrepaidAccount           *account,
            Figures                    *f,
            const BbPrepaidRequest     *request,
            const BbPrepaidFieldNames  *names,
            Plan                       *plan,
            GError                    **error)
{
  BbPrepaidEntryKind kind = request->kind;
  BbMoney paid_in;

  if (account->closed)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: the card “%s” is closed"), names->account, account->name);
      return FALSE;
    }

  plan->date = resolve_date (request->date, names->date, error);
  if (plan->date == NULL)
    return FALSE;

  plan->note = bb_text_strip (request->note ? request->note : "");
  if (!bb_text_validate (plan->note, names->note, kind == BB_PREPAID_ADJUST ? MAX_REASON_CHARS : MAX_NOTE_CHARS,
                         TRUE, error))
    return FALSE;
  if (kind == BB_PREPAID_ADJUST && *plan->note == '\0')
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: say why the balance is adjusted"), names->note);
      return FALSE;
    }

  if (kind == BB_PREPAID_REDEEM)
    {
      if (request->points <= 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: redeem more than no points"), names->points);
          return FALSE;
        }
    }
  else if (kind == BB_PREPAID_ADJUST && request->amount == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: an adjustment of nothing changes nothing"), names->amount);
      return FALSE;
    }
  else if (kind != BB_PREPAID_ADJUST && request->amount <= 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: must be more than zero"), names->amount);
      return FALSE;
    }
  if (request->amount > MAX_MONEY || request->amount < -MAX_MONEY || request->points > MAX_POINTS)
    return too_large (kind == BB_PREPAID_REDEEM ? names->points : names->amount, error);

  if (kind == BB_PREPAID_TOPUP || (kind == BB_PREPAID_REFUND && request->has_method))
    {
      if (!request->has_method)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: say how the money was paid"), names->method);
          return FALSE;
        }
      if ((guint) request->method >= BB_PAYMENT_N_METHODS || request->method == BB_PAYMENT_PREPAID)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: money for a card moves in cash, by bank transfer, card, Alipay, WeChat Pay "
                         "or another way, not from a prepaid card"),
                       names->method);
          return FALSE;
        }
      plan->method = bb_payment_method_to_string (request->method);
    }

  /* The card's days. */
  if (f->last_expiry != NULL && strcmp (plan->date, f->last_expiry) < 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: %s is before the card’s money expired on %s; nothing can be dated before that"),
                   names->date, plan->date, f->last_expiry);
      return FALSE;
    }
  if (kind == BB_PREPAID_EXPIRY)
    {
      if (!request->as_given)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: money expires by the card’s terms, not by hand; adjust the balance instead"),
                       names->amount);
          return FALSE;
        }
      if (g_strcmp0 (plan->date, f->last_expiry) == 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: the card’s money expired on %s already"), names->date, plan->date);
          return FALSE;
        }
    }
  else if (account->expires_on != NULL && strcmp (plan->date, account->expires_on) >= 0)
    {
      if (kind == BB_PREPAID_TOPUP && account->validity == BB_PREPAID_VALIDITY_MONTHS)
        {
          /* The money of the earlier top-ups expired on its day; this
           * top-up renews the card. */
          if (f->balance > 0 && g_strcmp0 (f->last_expiry, account->expires_on) != 0)
            {
              plan->renews = TRUE;
              plan->old_balance = f->balance;
              plan->old_bonus = f->bonus;
              figures_add (f, BB_PREPAID_EXPIRY, account->expires_on, -f->balance, -f->bonus, 0);
            }
        }
      else if (account->validity == BB_PREPAID_VALIDITY_MONTHS)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: the card’s money expired on %s; a top-up renews the card"),
                       names->date, account->expires_on);
          return FALSE;
        }
      else
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: the card expired on %s; change its expiry day in its terms to use it again"),
                       names->date, account->expires_on);
          return FALSE;
        }
    }

  /* A top-up of a months card entered late, dated before the card's
   * latest: the card's expiry stays with the latest, but its own money
   * would have expired before the next top-up came, and that expiry
   * can no longer be written (it writes off the whole balance, and
   * nothing is dated before it). */
  if (kind == BB_PREPAID_TOPUP && account->validity == BB_PREPAID_VALIDITY_MONTHS &&
      f->last_topup != NULL && strcmp (plan->date, f->last_topup) < 0)
    {
      g_autofree char *next = NULL;
      g_autofree char *until = add_months (plan->date, account->validity_months);

      if (!next_topup_after (db, account->id, f, plan->date, &next, error))
        return FALSE;
      if (next != NULL && until != NULL && strcmp (until, next) <= 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       /* Translators: "Date: money topped up on 2025-06-01 would have expired on 2025-12-01,
                        * before the card's next top-up on 2026-02-01; a top-up cannot be dated that far back" */
                       _("%s: money topped up on %s would have expired on %s, before the card’s next top-up "
                         "on %s; a top-up cannot be dated that far back"),
                       names->date, plan->date, until, next);
          return FALSE;
        }
    }

  paid_in = figures_paid_in (f);

  switch (kind)
    {
    case BB_PREPAID_TOPUP:
      plan->amount = request->amount;
      if (!request->as_given)
        {
          plan->bonus = bb_prepaid_account_compute_bonus (account, plan->amount);
          if (plan->bonus < 0 || plan->bonus > MAX_MONEY)
            return too_large (names->amount, error);
        }
      break;

    case BB_PREPAID_BONUS:
      plan->amount = plan->bonus_part = request->amount;
      break;

    case BB_PREPAID_CHARGE:
      if (!check_balance_covers (db, account, request->amount, f, names, error))
        return FALSE;
      plan->amount = -request->amount;
      plan->bonus_part = -MAX (0, request->amount - paid_in);
      if (!request->as_given)
        {
          plan->points = bb_prepaid_account_compute_points (account, request->amount);
          if (plan->points < 0 || plan->points > MAX_POINTS)
            return too_large (names->amount, error);
        }
      break;

    case BB_PREPAID_REFUND:
      if (!check_balance_covers (db, account, request->amount, f, names, error))
        return FALSE;
      if (!request->as_given && !account->bonus_refundable && request->amount > paid_in)
        {
          g_autofree char *a = format_money (db, request->amount);
          g_autofree char *p = format_money (db, MAX (paid_in, 0));
          g_autofree char *b = format_money (db, f->balance);
          g_autofree char *x = format_money (db, f->bonus);

          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       /* Translators: "Amount: ¥600.00 is more than the ¥500.00 that can be refunded:
                        * the balance is ¥600.00, of which ¥100.00 is bonus money, which the card's terms
                        * do not refund" */
                       _("%s: %s is more than the %s that can be refunded: the balance is %s, of which %s "
                         "is bonus money, which the card’s terms do not refund"),
                       names->amount, a, p, b, x);
          return FALSE;
        }
      plan->amount = -request->amount;
      plan->bonus_part = -MAX (0, request->amount - paid_in);
      break;

    case BB_PREPAID_ADJUST:
      plan->amount = request->amount;
      if (plan->amount < 0)
        {
          if (-plan->amount > f->balance)
            {
              g_autofree char *a = format_money (db, -plan->amount);
              g_autofree char *b = format_money (db, f->balance);

              g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                           _("%s: taking %s off is more than the balance of %s on %s"),
                           names->amount, a, b, account->name);
              return FALSE;
            }
          plan->bonus_part = -MAX (0, -plan->amount - paid_in);
        }
      break;

    case BB_PREPAID_REDEEM:
      if (account->redeem_points <= 0 || account->redeem_value <= 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: the terms of %s do not redeem points"), names->points, account->name);
          return FALSE;
        }
      if (request->points % account->redeem_points != 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: points are redeemed in steps of %lld"),
                       names->points, (long long) account->redeem_points);
          return FALSE;
        }
      if (request->points > f->points)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: %lld is more than the %lld points on %s"),
                       names->points, (long long) request->points, (long long) f->points, account->name);
          return FALSE;
        }
      plan->amount = plan->bonus_part = bb_prepaid_account_compute_redeem_value (account, request->points);
      if (plan->amount <= 0 || plan->amount > MAX_MONEY)
        return too_large (names->points, error);
      plan->points = -request->points;
      break;

    case BB_PREPAID_EXPIRY:
      if (request->amount != f->balance)
        {
          g_autofree char *b = format_money (db, f->balance);

          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: an expiry writes off the whole balance, %s"), names->amount, b);
          return FALSE;
        }
      plan->amount = -f->balance;
      plan->bonus_part = -f->bonus;
      break;

    default:
      g_return_val_if_reached (FALSE);
    }

  if (f->balance + plan->amount + plan->bonus > MAX_MONEY || f->points + plan->points > MAX_POINTS)
    return too_large (names->amount, error);

  /* A bill paid from the card: the entry names it. */
  if (kind == BB_PREPAID_CHARGE && request->invoice_id != 0)
    {
      if (!check_bill (db, account, request->invoice_id, request->amount, names, &plan->bill_number, error))
        return FALSE;

      if (*plan->note == '\0')
        {
          g_free (plan->note);
          plan->note = g_strdup (plan->bill_number);
        }
    }
  else if (request->invoice_id != 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: only a charge pays a bill"), names->bill);
      return FALSE;
    }

  return TRUE;
}

/* The entries of @plan, in memory: @f and the card's expiry day as they
 * are once they are written (refresh_account()). */
static void
plan_apply (const Plan        *plan,
            BbPrepaidEntryKind kind,
            BbPrepaidAccount  *account,
            Figures           *f)
{
  char *expires_on;

  figures_add (f, kind, plan->date, plan->amount, plan->bonus_part, plan->points);
  if (plan->bonus > 0)
    figures_add (f, BB_PREPAID_BONUS, plan->date, plan->bonus, plan->bonus, 0);

  expires_on = effective_expiry (account->validity, account->expires_on, account->validity_months, f->last_topup);
  g_free (account->expires_on);
  account->expires_on = expires_on;
}

/*
 * _bb_prepaid_write_entry:
 *
 * Checks and writes one ledger entry (and what comes with it: the bonus
 * of a top-up, the payment of a bill, the expiry a renewing top-up
 * comes after) and brings the card's figures up to date, inside the
 * caller's transaction. Nothing is written unless every check passes.
 * The caller refreshes the customer's summary
 * (_bb_customers_refresh_summary()) and writes the audit log. Messages
 * start with the field's name from @request->names.
 */
gboolean
_bb_prepaid_write_entry (BbDb                    *db,
                         const BbPrepaidRequest  *request,
                         gint64                  *out_entry_id,
                         GError                 **error)
{
  BbPrepaidFieldNames window;
  const BbPrepaidFieldNames *names = request->names;
  g_autoptr(BbPrepaidAccount) account = NULL;
  g_auto(Figures) f = { 0 };
  g_auto(Plan) plan = { 0 };
  gint64 payment_id = 0, entry_id = 0;

  if (names == NULL)
    {
      window_names (&window);
      names = &window;
    }

  account = load_account (db, request->account_id, names->account, error);
  if (account == NULL)
    return FALSE;

  if (!read_figures (db, account->id, &f, error) ||
      !plan_entry (db, account, &f, request, names, &plan, error))
    return FALSE;

  if (plan.renews &&
      !insert_entry (db, account->id, account->expires_on, BB_PREPAID_EXPIRY, -plan.old_balance,
                     -plan.old_bonus, 0, NULL, 0, 0, 0, "", NULL, error))
    return FALSE;

  /* A bill paid from the card: the payment first, which the entry names. */
  if (plan.bill_number != NULL)
    {
      g_autoptr(BbPayment) payment = bb_payment_new ();
      g_autoptr(GPtrArray) allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);

      payment->customer_id = account->customer_id;
      g_free (payment->received_on);
      payment->received_on = g_strdup (plan.date);
      payment->amount = request->amount;
      payment->method = BB_PAYMENT_PREPAID;
      payment->prepaid_account_id = account->id;
      g_free (payment->reference);
      payment->reference = g_strdup (account->name);
      g_ptr_array_add (allocations, bb_allocation_new (request->invoice_id, request->amount));
      if (!_bb_payments_insert_from_card (db, payment, allocations, error))
        return FALSE;
      payment_id = payment->id;
    }

  if (!insert_entry (db, account->id, plan.date, request->kind, plan.amount, plan.bonus_part, plan.points,
                     plan.method, request->invoice_id, payment_id, 0, plan.note, &entry_id, error))
    return FALSE;

  if (plan.bonus > 0 &&
      !insert_entry (db, account->id, plan.date, BB_PREPAID_BONUS, plan.bonus, plan.bonus, 0, NULL, 0, 0, 0, "",
                     NULL, error))
    return FALSE;

  if (!refresh_account (db, account->id, error))
    return FALSE;

  if (out_entry_id)
    *out_entry_id = entry_id;
  return TRUE;
}

/* A card as the rules see it, in memory: what an import checks its rows
 * against without writing. */
struct _BbPrepaidCard
{
  BbPrepaidAccount *account;
  Figures           f;
};

/*
 * _bb_prepaid_card_load:
 *
 * The customer's card called @name (exactly) as the book has it, or, when
 * there is none, the card _bb_prepaid_insert_account() would make of
 * bb_prepaid_account_new(): plain terms, nothing on it. Reads the book
 * only.
 *
 * Returns: (transfer full): the card, or %NULL when the book cannot be
 *   read
 */
BbPrepaidCard *
_bb_prepaid_card_load (BbDb        *db,
                       gint64       customer_id,
                       const char  *name,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  BbPrepaidCard *card = g_new0 (BbPrepaidCard, 1);

  card->account = bb_prepaid_find_account (db, customer_id, name, &local_error);
  if (card->account != NULL && !read_figures (db, card->account->id, &card->f, &local_error))
    g_clear_object (&card->account);
  if (local_error == NULL)
    card->f.topups = read_topup_days (db, card->account ? card->account->id : 0, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      _bb_prepaid_card_free (card);
      return NULL;
    }

  if (card->account == NULL)
    {
      card->account = bb_prepaid_account_new ();
      card->account->customer_id = customer_id;
      g_free (card->account->name);
      card->account->name = g_strdup (name);
    }

  return card;
}

void
_bb_prepaid_card_free (BbPrepaidCard *card)
{
  if (card == NULL)
    return;

  g_clear_object (&card->account);
  figures_clear (&card->f);
  g_free (card);
}

/*
 * _bb_prepaid_card_try_entry:
 *
 * Checks @request (its account_id is not used) against @card by the same
 * rules as _bb_prepaid_write_entry(), with the same messages, and when
 * it passes, brings @card where the entry would take it: its balance,
 * its dates, its expiry day. Writes nothing; @card is left as it was
 * when the request is refused.
 */
gboolean
_bb_prepaid_card_try_entry (BbDb                    *db,
                            BbPrepaidCard           *card,
                            const BbPrepaidRequest  *request,
                            GError                 **error)
{
  BbPrepaidFieldNames window;
  const BbPrepaidFieldNames *names = request->names;
  g_auto(Figures) f = { 0 };
  g_auto(Plan) plan = { 0 };

  if (names == NULL)
    {
      window_names (&window);
      names = &window;
    }

  figures_copy (&f, &card->f);
  if (!plan_entry (db, card->account, &f, request, names, &plan, error))
    return FALSE;

  plan_apply (&plan, request->kind, card->account, &f);
  figures_clear (&card->f);
  card->f = f;
  f = (Figures) { 0 };

  return TRUE;
}

static gint64
account_customer (BbDb     *db,
                  gint64    account_id,
                  GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  stmt = _bb_db_prepare (db, "SELECT customer_id FROM prepaid_accounts WHERE id = ?1", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (_bb_db_step (db, stmt, error) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return id;
}

/* For the audit log: "charge 30.00 of card 3: INV-2026-0001". */
static char *
describe_request (BbDb                    *db,
                  const BbPrepaidRequest  *request,
                  const char              *action)
{
  const BbCurrency *currency = bb_business_get_currency (db);
  g_autofree char *amount = bb_money_format_plain (request->amount, currency);
  g_autofree char *note = bb_text_strip (request->note ? request->note : "");
  GString *detail = g_string_new (action);

  if (request->kind == BB_PREPAID_REDEEM)
    g_string_append_printf (detail, " %" G_GINT64_FORMAT " points", request->points);
  else
    g_string_append_printf (detail, " %s", amount);
  if (request->has_method)
    g_string_append_printf (detail, " %s", bb_payment_method_to_string (request->method));
  g_string_append_printf (detail, " on card %" G_GINT64_FORMAT, request->account_id);
  if (request->invoice_id != 0)
    g_string_append_printf (detail, ", bill %" G_GINT64_FORMAT, request->invoice_id);
  if (*note != '\0')
    g_string_append_printf (detail, ": %s", note);

  return g_string_free (detail, FALSE);
}

typedef struct
{
  BbPrepaidRequest  request;
  const char       *action;
  gint64            entry_id;
} EntryData;

static gboolean
entry_in_transaction (BbDb     *db,
                      gpointer  user_data,
                      GError  **error)
{
  EntryData *data = user_data;
  g_autofree char *detail = NULL;
  gint64 customer_id;

  if (!_bb_prepaid_write_entry (db, &data->request, &data->entry_id, error))
    return FALSE;

  customer_id = account_customer (db, data->request.account_id, error);
  if (customer_id == 0 || !_bb_customers_refresh_summary (db, customer_id, error))
    return FALSE;

  detail = describe_request (db, &data->request, data->action);
  return _bb_db_audit (db, data->action, "prepaid_entries", data->entry_id, detail, error);
}

static gboolean
run_entry (BbDb        *db,
           EntryData   *data,
           gint64      *out_entry_id,
           GError     **error)
{
  if (!bb_db_transaction (db, entry_in_transaction, data, error))
    return FALSE;

  if (out_entry_id)
    *out_entry_id = data->entry_id;
  return TRUE;
}

/**
 * bb_prepaid_top_up:
 * @amount: money paid in, > 0
 * @method: how it was paid (not prepaid)
 * @note: (nullable): for the ledger
 *
 * Tops up a card, in one transaction: the top-up entry and, when the
 * bonus rule gives one, a bonus entry of the same day. A months card
 * whose money expired before @date first has that money written off;
 * the top-up renews it. A fixed card cannot be topped up on or after its
 * expiry day. A top-up dated before the card's latest (entered late)
 * leaves its expiry with the latest; it is refused when its own money
 * would have expired before the card's next top-up.
 *
 * Returns: %TRUE when written; else nothing was, and @error names the
 *   field ("Amount: …")
 */
gboolean
bb_prepaid_top_up (BbDb             *db,
                   gint64            account_id,
                   const char       *date,
                   BbMoney           amount,
                   BbPaymentMethod   method,
                   const char       *note,
                   gint64           *out_entry_id,
                   GError          **error)
{
  EntryData data = { { 0 }, "topup", 0 };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data.request.account_id = account_id;
  data.request.kind = BB_PREPAID_TOPUP;
  data.request.date = date;
  data.request.amount = amount;
  data.request.has_method = TRUE;
  data.request.method = method;
  data.request.note = note;

  return run_entry (db, &data, out_entry_id, error);
}

/**
 * bb_prepaid_charge:
 * @amount: money taken for a sale, > 0
 *
 * Charges a card for a sale, in one transaction; the points rule adds
 * its points. A charge more than the balance is refused with a message
 * that says the balance. Paid-in money is spent before bonus money.
 *
 * Returns: %TRUE when written
 */
gboolean
bb_prepaid_charge (BbDb        *db,
                   gint64       account_id,
                   const char  *date,
                   BbMoney      amount,
                   const char  *note,
                   gint64      *out_entry_id,
                   GError     **error)
{
  EntryData data = { { 0 }, "charge", 0 };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data.request.account_id = account_id;
  data.request.kind = BB_PREPAID_CHARGE;
  data.request.date = date;
  data.request.amount = amount;
  data.request.note = note;

  return run_entry (db, &data, out_entry_id, error);
}

/**
 * bb_prepaid_pay_bill:
 * @invoice_id: an issued bill of the card's customer
 * @amount: how much of it the card pays; no more than it owes
 *
 * Pays a bill from a card, in one transaction: a charge entry on the
 * card and a payment of method prepaid allocated to the bill, each
 * naming the other; the bill's balance, the customer's outstanding
 * amount and class, the card's figures and points, and the audit log.
 *
 * Returns: %TRUE when paid
 */
gboolean
bb_prepaid_pay_bill (BbDb        *db,
                     gint64       account_id,
                     gint64       invoice_id,
                     const char  *date,
                     BbMoney      amount,
                     gint64      *out_entry_id,
                     GError     **error)
{
  EntryData data = { { 0 }, "pay-bill", 0 };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (invoice_id == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Bill: choose the bill to pay"));
      return FALSE;
    }

  data.request.account_id = account_id;
  data.request.kind = BB_PREPAID_CHARGE;
  data.request.date = date;
  data.request.amount = amount;
  data.request.invoice_id = invoice_id;

  return run_entry (db, &data, out_entry_id, error);
}

/**
 * bb_prepaid_refund:
 * @amount: money paid back, > 0
 * @method: how it was paid back (not prepaid)
 *
 * Pays money on a card back to the customer, in one transaction. At most
 * the paid-in money, plus the bonus money when the terms make it
 * refundable (bb_prepaid_account_get_refundable()); more is refused with
 * a message that says the balance and its parts.
 *
 * Returns: %TRUE when written
 */
gboolean
bb_prepaid_refund (BbDb             *db,
                   gint64            account_id,
                   const char       *date,
                   BbMoney           amount,
                   BbPaymentMethod   method,
                   const char       *note,
                   gint64           *out_entry_id,
                   GError          **error)
{
  EntryData data = { { 0 }, "refund", 0 };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data.request.account_id = account_id;
  data.request.kind = BB_PREPAID_REFUND;
  data.request.date = date;
  data.request.amount = amount;
  data.request.has_method = TRUE;
  data.request.method = method;
  data.request.note = note;

  return run_entry (db, &data, out_entry_id, error);
}

/**
 * bb_prepaid_adjust:
 * @amount: signed: more than zero adds paid-in money, less takes money
 *   off (paid-in first), never more than the balance
 * @reason: why; needed
 *
 * Corrects a card's balance, in one transaction.
 *
 * Returns: %TRUE when written
 */
gboolean
bb_prepaid_adjust (BbDb        *db,
                   gint64       account_id,
                   const char  *date,
                   BbMoney      amount,
                   const char  *reason,
                   gint64      *out_entry_id,
                   GError     **error)
{
  BbPrepaidFieldNames names;
  EntryData data = { { 0 }, "adjust", 0 };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  window_names (&names);
  names.note = _("Reason");

  data.request.account_id = account_id;
  data.request.kind = BB_PREPAID_ADJUST;
  data.request.date = date;
  data.request.amount = amount;
  data.request.note = reason;
  data.request.names = &names;

  return run_entry (db, &data, out_entry_id, error);
}

/**
 * bb_prepaid_redeem_points:
 * @points: a whole number of the card's redemption steps, no more than
 *   it holds
 *
 * Redeems points, in one transaction: a redeem entry that takes the
 * points and adds their value (redeem_value per redeem_points) as bonus
 * money, which later charges spend: a discount.
 *
 * Returns: %TRUE when written
 */
gboolean
bb_prepaid_redeem_points (BbDb        *db,
                          gint64       account_id,
                          const char  *date,
                          gint64       points,
                          const char  *note,
                          gint64      *out_entry_id,
                          GError     **error)
{
  EntryData data = { { 0 }, "redeem", 0 };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data.request.account_id = account_id;
  data.request.kind = BB_PREPAID_REDEEM;
  data.request.date = date;
  data.request.points = points;
  data.request.note = note;

  return run_entry (db, &data, out_entry_id, error);
}

/* ---- Taking a charge back ------------------------------------------- */

typedef struct
{
  gint64      charge_id;
  const char *date;
  const char *reason;
  gint64      entry_id;
} ReverseData;

static gboolean
reverse_in_transaction (BbDb     *db,
                        gpointer  user_data,
                        GError  **error)
{
  ReverseData *data = user_data;
  g_autoptr(BbPrepaidEntry) charge = NULL;
  g_autoptr(BbPrepaidAccount) account = NULL;
  g_auto(Figures) f = { 0 };
  g_autofree char *reason = bb_text_strip (data->reason ? data->reason : "");
  g_autofree char *date = NULL;
  g_autofree char *detail = NULL;
  gint64 refund_id = 0;
  gint64 points;
  GDate d;

  charge = bb_prepaid_get_entry (db, data->charge_id, error);
  if (charge == NULL)
    return FALSE;
  if (charge->kind != BB_PREPAID_CHARGE)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Only a charge is taken back; correct anything else with an adjustment"));
      return FALSE;
    }
  if (charge->reversed_by_id != 0)
    {
      g_autoptr(BbPrepaidEntry) by = bb_prepaid_get_entry (db, charge->reversed_by_id, NULL);

      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("The charge was taken back already, on %s"), by ? by->occurred_on : "?");
      return FALSE;
    }

  account = load_account (db, charge->account_id, _("Card"), error);
  if (account == NULL)
    return FALSE;
  if (account->closed)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Card: the card “%s” is closed"), account->name);
      return FALSE;
    }

  if (!bb_text_validate (reason, _("Reason"), MAX_REASON_CHARS, TRUE, error))
    return FALSE;
  if (*reason == '\0')
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Reason: say why the charge is taken back"));
      return FALSE;
    }

  /* Dated as asked, or today (the charge's day when that is later). */
  if (data->date != NULL && *data->date != '\0')
    {
      date = resolve_date (data->date, _("Date"), error);
      if (date == NULL)
        return FALSE;
      if (strcmp (date, charge->occurred_on) < 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Date: %s is before the charge, on %s"), date, charge->occurred_on);
          return FALSE;
        }
    }
  else
    {
      bb_date_set_today (&d);
      date = bb_date_to_iso (&d);
      if (strcmp (date, charge->occurred_on) < 0)
        {
          g_free (date);
          date = g_strdup (charge->occurred_on);
        }
    }

  if (!read_figures (db, account->id, &f, error))
    return FALSE;
  if (f.last_expiry != NULL && strcmp (charge->occurred_on, f.last_expiry) < 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("The card’s money expired on %s, after the charge; adjust the balance instead"),
                   f.last_expiry);
      return FALSE;
    }
  if (account->expires_on != NULL && strcmp (date, account->expires_on) >= 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Date: the card expired on %s"), account->expires_on);
      return FALSE;
    }

  /* The points it earned, as far as they were not redeemed since. */
  points = MIN (charge->points, MAX (f.points, 0));

  if (charge->payment_id != 0 &&
      !_bb_payments_reverse_from_card (db, charge->payment_id, reason, date, &refund_id, error))
    return FALSE;

  if (!insert_entry (db, account->id, date, BB_PREPAID_ADJUST, -charge->amount, -charge->bonus_part, -points,
                     NULL, charge->invoice_id, refund_id, charge->id, reason, &data->entry_id, error) ||
      !refresh_account (db, account->id, error) ||
      !_bb_customers_refresh_summary (db, account->customer_id, error))
    return FALSE;

  {
    g_autofree char *plain = bb_money_format_plain (-charge->amount, bb_business_get_currency (db));

    detail = g_strdup_printf ("%s of charge %" G_GINT64_FORMAT ": %s", plain, charge->id, reason);
  }
  return _bb_db_audit (db, "reverse-charge", "prepaid_entries", data->entry_id, detail, error);
}

/**
 * bb_prepaid_reverse_charge:
 * @charge_id: a charge entry not taken back yet
 * @date: (nullable): the day; %NULL for today (or the charge's day)
 * @reason: why; needed
 *
 * Takes a charge back, in one transaction: an adjustment that returns
 * exactly what it took (its paid-in and bonus parts) and the points it
 * earned (those not redeemed since), naming the charge. When the charge
 * paid a bill, its payment is refunded too, so the bill owes again.
 *
 * Returns: %TRUE when written
 */
gboolean
bb_prepaid_reverse_charge (BbDb        *db,
                           gint64       charge_id,
                           const char  *date,
                           const char  *reason,
                           gint64      *out_entry_id,
                           GError     **error)
{
  ReverseData data = { charge_id, date, reason, 0 };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!bb_db_transaction (db, reverse_in_transaction, &data, error))
    return FALSE;

  if (out_entry_id)
    *out_entry_id = data.entry_id;
  return TRUE;
}

/* ---- Expiry --------------------------------------------------------- */

typedef struct
{
  gint64  account_id;
  gint64  customer_id;
  char   *expires_on;
} DueCard;

static void
due_card_clear (gpointer data)
{
  g_free (((DueCard *) data)->expires_on);
}

typedef struct
{
  const char *as_of;
  guint       n_expired;
} ExpireData;

static gboolean
expire_in_transaction (BbDb     *db,
                       gpointer  user_data,
                       GError  **error)
{
  ExpireData *data = user_data;
  g_autoptr(GArray) due = g_array_new (FALSE, TRUE, sizeof (DueCard));
  g_autoptr(GHashTable) customers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  const BbCurrency *currency = bb_business_get_currency (db);
  GHashTableIter iter;
  gint64 *customer_id;
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (due, due_card_clear);
  data->n_expired = 0;

  /* Read inside the write transaction: another process that wrote the
   * same expiry a moment ago has committed it, and it is seen here. */
  stmt = _bb_db_prepare (db,
                         "SELECT a.id, a.customer_id, a.expires_on FROM prepaid_accounts a "
                         "WHERE a.expires_on IS NOT NULL AND a.expires_on <= ?1 AND a.balance > 0 "
                         "  AND NOT EXISTS (SELECT 1 FROM prepaid_entries e WHERE e.account_id = a.id "
                         "                  AND e.kind = 'expiry' AND e.occurred_on = a.expires_on) "
                         "ORDER BY a.expires_on, a.id",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, data->as_of);
  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      DueCard card = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                       _bb_stmt_dup_text (stmt, 2) };

      g_array_append_val (due, card);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  for (guint i = 0; i < due->len; i++)
    {
      DueCard *card = &g_array_index (due, DueCard, i);
      g_auto(Figures) f = { 0 };
      g_autofree char *plain = NULL;
      g_autofree char *detail = NULL;
      gint64 entry_id = 0;

      /* From the ledger itself, not the kept figures. */
      if (!read_figures (db, card->account_id, &f, error))
        return FALSE;
      if (f.balance <= 0 || g_strcmp0 (f.last_expiry, card->expires_on) == 0)
        continue;

      if (!insert_entry (db, card->account_id, card->expires_on, BB_PREPAID_EXPIRY, -f.balance, -f.bonus, 0,
                         NULL, 0, 0, 0, "", &entry_id, error) ||
          !refresh_account (db, card->account_id, error))
        return FALSE;

      plain = bb_money_format_plain (f.balance, currency);
      detail = g_strdup_printf ("%s written off on card %" G_GINT64_FORMAT ", expired on %s",
                                plain, card->account_id, card->expires_on);
      if (!_bb_db_audit (db, "expire", "prepaid_entries", entry_id, detail, error))
        return FALSE;

      g_hash_table_add (customers, g_memdup2 (&card->customer_id, sizeof (gint64)));
      data->n_expired++;
    }

  g_hash_table_iter_init (&iter, customers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &customer_id, NULL))
    if (!_bb_customers_refresh_summary (db, *customer_id, error))
      return FALSE;

  return TRUE;
}

/**
 * bb_prepaid_expire:
 * @as_of: (nullable): the day to expire up to and including; %NULL for
 *   today
 * @n_expired: (out) (optional): how many cards had money written off
 *
 * Writes off the money of every card whose expiry day is on or before
 * @as_of: one expiry entry per card, dated its expiry day, in one
 * transaction. Run it at every start and once a day: each expiry is
 * written exactly once, however often this runs, also when the app was
 * off across the day, and also when two processes run it at once.
 *
 * Returns: %TRUE on success (also when nothing was due)
 */
gboolean
bb_prepaid_expire (BbDb         *db,
                   const GDate  *as_of,
                   guint        *n_expired,
                   GError      **error)
{
  g_autofree char *day = NULL;
  ExpireData data = { NULL, 0 };
  GDate today;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (as_of == NULL)
    {
      bb_date_set_today (&today);
      as_of = &today;
    }
  day = bb_date_to_iso (as_of);
  data.as_of = day;

  if (!bb_db_transaction (db, expire_in_transaction, &data, error))
    return FALSE;

  if (n_expired)
    *n_expired = data.n_expired;
  return TRUE;
}

/* ---- Terms ---------------------------------------------------------- */

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, message);

  return FALSE;
}

/* Checks and tidies the card's name and terms; @name_field names the
 * name in messages. */
static gboolean
validate_terms (BbDb              *db,
                BbPrepaidAccount  *account,
                const char        *name_field,
                GError           **error)
{
  g_autoptr(BbCustomer) customer = NULL;
  g_autofree char *name = bb_text_strip (account->name);
  g_autofree char *policy = bb_text_strip (account->refund_policy);

  if (account->customer_id == 0)
    return invalid (error, _("Customer: choose whose card it is"));
  customer = bb_customers_get (db, account->customer_id, error);
  if (customer == NULL)
    return FALSE;

  if (!bb_text_validate (name, name_field, MAX_NAME_CHARS, FALSE, error))
    return FALSE;
  if (*name == '\0')
    return invalid (error, _("%s: a card needs a name, such as “Membership card”"), name_field);
  g_free (account->name);
  account->name = g_steal_pointer (&name);

  switch (account->validity)
    {
    case BB_PREPAID_VALIDITY_NONE:
      g_clear_pointer (&account->expires_on, g_free);
      break;
    case BB_PREPAID_VALIDITY_FIXED:
      {
        GDate d;

        if (account->expires_on == NULL || *account->expires_on == '\0')
          return invalid (error, _("Expires on: give the day the card’s money expires"));
        if (!bb_date_parse (account->expires_on, _("Expires on"), &d, error))
          return FALSE;
        g_free (account->expires_on);
        account->expires_on = bb_date_to_iso (&d);
      }
      break;
    case BB_PREPAID_VALIDITY_MONTHS:
      if (account->validity_months < 1 || account->validity_months > MAX_VALIDITY_MONTHS)
        return invalid (error, _("Months: between 1 and %d"), MAX_VALIDITY_MONTHS);
      break;
    default:
      return invalid (error, _("Validity: choose how long the money is good for"));
    }

  if (!bb_text_validate (policy, _("Refund policy"), MAX_POLICY_CHARS, TRUE, error))
    return FALSE;
  g_free (account->refund_policy);
  account->refund_policy = g_steal_pointer (&policy);

  if (account->low_balance_mark < 0 || account->low_balance_mark > MAX_MONEY)
    return invalid (error, _("Low-balance mark: from nothing up"));

  if (account->bonus_threshold < 0 || account->bonus_threshold > MAX_MONEY ||
      account->bonus_amount < 0 || account->bonus_amount > MAX_MONEY)
    return invalid (error, _("Bonus: amounts from nothing up"));
  if (account->bonus_amount > 0 && account->bonus_threshold == 0)
    return invalid (error, _("Bonus: say for how much of a top-up the bonus is given"));

  if (account->points_per_unit < 0 || account->points_per_unit > MAX_POINTS)
    return invalid (error, _("Points: from none up"));
  if (account->points_unit <= 0 || account->points_unit > MAX_MONEY)
    return invalid (error, _("Points: say for how much money charged the points are earned"));
  if (account->redeem_points < 0 || account->redeem_points > MAX_POINTS ||
      account->redeem_value < 0 || account->redeem_value > MAX_MONEY)
    return invalid (error, _("Redeem: from nothing up"));
  if ((account->redeem_points > 0) != (account->redeem_value > 0))
    return invalid (error, _("Redeem: give both how many points and what they are worth, or neither"));

  return TRUE;
}

/* Whether the card can take these terms, given its ledger. */
static gboolean
check_terms_against_ledger (BbDb              *db,
                            BbPrepaidAccount  *account,
                            const Figures     *f,
                            GError           **error)
{
  g_autofree char *expiry = effective_expiry (account->validity, account->expires_on,
                                              account->validity_months, f->last_topup);
  const char *live_last = figures_live_last (f);

  if (expiry != NULL && live_last != NULL && strcmp (expiry, live_last) <= 0)
    {
      if (account->validity == BB_PREPAID_VALIDITY_FIXED)
        return invalid (error, _("Expires on: the card has entries up to %s; its money cannot expire before"),
                        live_last);
      return invalid (error, _("Months: the money would expire on %s, but the card has entries up to %s"),
                      expiry, live_last);
    }

  if (account->closed && f->balance != 0)
    {
      g_autofree char *b = format_money (db, f->balance);

      return invalid (error, _("Closed: the card still holds %s; refund it or adjust it to nothing first"), b);
    }

  return TRUE;
}

static gboolean
name_taken (BbDb              *db,
            BbPrepaidAccount  *account,
            const char        *name_field,
            GError           **error)
{
  sqlite3_stmt *stmt;
  gboolean taken;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT 1 FROM prepaid_accounts WHERE customer_id = ?1 AND name = ?2 AND id <> ?3",
                         error);
  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, account->customer_id);
  _bb_stmt_bind_text (stmt, 2, account->name);
  sqlite3_bind_int64 (stmt, 3, account->id);
  rc = _bb_db_step (db, stmt, error);
  taken = rc == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (rc < 0)
    return TRUE;

  if (taken)
    invalid (error, _("%s: the customer has a card called “%s” already"), name_field, account->name);
  return taken;
}

static void
bind_terms (sqlite3_stmt      *stmt,
            BbPrepaidAccount  *account)
{
  /* ?1 … ?14, in this order in both statements */
  sqlite3_bind_int64 (stmt, 1, account->customer_id);
  _bb_stmt_bind_text (stmt, 2, account->name);
  _bb_stmt_bind_text (stmt, 3, bb_prepaid_validity_to_string (account->validity));
  _bb_stmt_bind_text (stmt, 4, account->validity == BB_PREPAID_VALIDITY_FIXED ? account->expires_on : NULL);
  if (account->validity == BB_PREPAID_VALIDITY_MONTHS)
    sqlite3_bind_int (stmt, 5, account->validity_months);
  else
    sqlite3_bind_null (stmt, 5);
  _bb_stmt_bind_text (stmt, 6, account->refund_policy);
  sqlite3_bind_int (stmt, 7, account->bonus_refundable ? 1 : 0);
  sqlite3_bind_int64 (stmt, 8, account->low_balance_mark);
  sqlite3_bind_int64 (stmt, 9, account->bonus_threshold);
  sqlite3_bind_int64 (stmt, 10, account->bonus_amount);
  sqlite3_bind_int64 (stmt, 11, account->points_per_unit);
  sqlite3_bind_int64 (stmt, 12, account->points_unit);
  sqlite3_bind_int64 (stmt, 13, account->redeem_points);
  sqlite3_bind_int64 (stmt, 14, account->redeem_value);
}

/* Re-reads the card into @account after a save: figures, expiry, names. */
static gboolean
reload_into (BbDb              *db,
             BbPrepaidAccount  *account,
             GError           **error)
{
  g_autoptr(BbPrepaidAccount) fresh = load_account (db, account->id, NULL, error);

  if (fresh == NULL)
    return FALSE;

#define TAKE(field) do { g_free (account->field); account->field = g_steal_pointer (&fresh->field); } while (0)
  TAKE (name);
  TAKE (expires_on);
  TAKE (refund_policy);
  TAKE (created_at);
  TAKE (last_used_on);
  TAKE (customer_code);
  TAKE (customer_name);
#undef TAKE
  account->balance = fresh->balance;
  account->paid_in = fresh->paid_in;
  account->bonus = fresh->bonus;
  account->points = fresh->points;

  return TRUE;
}

/*
 * _bb_prepaid_insert_account:
 *
 * Checks and writes a new card inside the caller's transaction (no audit
 * row; the caller writes it).
 */
gboolean
_bb_prepaid_insert_account (BbDb              *db,
                            BbPrepaidAccount  *account,
                            const char        *name_field,
                            GError           **error)
{
  g_autofree char *now = _bb_db_now_utc ();
  sqlite3_stmt *stmt;

  if (!validate_terms (db, account, name_field, error) ||
      name_taken (db, account, name_field, error))
    return FALSE;
  if (account->closed)
    return invalid (error, _("Closed: a new card is open"));

  stmt = _bb_db_prepare (db,
                         "INSERT INTO prepaid_accounts (customer_id, name, validity, expires_on, validity_months, "
                         "  refund_policy, bonus_refundable, low_balance_mark, bonus_threshold, bonus_amount, "
                         "  points_per_unit, points_unit, redeem_points, redeem_value, created_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                         error);
  if (stmt == NULL)
    return FALSE;
  bind_terms (stmt, account);
  _bb_stmt_bind_text (stmt, 15, now);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  account->id = sqlite3_last_insert_rowid (_bb_db_get_handle (db));
  bb_db_emit_changed (db, "prepaid_accounts", account->id);

  return reload_into (db, account, error);
}

static gboolean
save_in_transaction (BbDb     *db,
                     gpointer  user_data,
                     GError  **error)
{
  BbPrepaidAccount *account = user_data;
  g_autoptr(BbPrepaidAccount) stored = NULL;
  g_auto(Figures) f = { 0 };
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  if (account->id == 0)
    {
      if (!_bb_prepaid_insert_account (db, account, _("Name"), error) ||
          !_bb_customers_refresh_summary (db, account->customer_id, error))
        return FALSE;

      return _bb_db_audit (db, "create", "prepaid_accounts", account->id, account->name, error);
    }

  stored = load_account (db, account->id, NULL, error);
  if (stored == NULL)
    return FALSE;
  if (!validate_terms (db, account, _("Name"), error) ||
      name_taken (db, account, _("Name"), error))
    return FALSE;
  if (!read_figures (db, account->id, &f, error))
    return FALSE;
  if (account->customer_id != stored->customer_id && f.last_other != NULL)
    return invalid (error, _("Customer: a card with entries stays with its customer"));
  if (!check_terms_against_ledger (db, account, &f, error))
    return FALSE;

  stmt = _bb_db_prepare (db,
                         "UPDATE prepaid_accounts SET customer_id = ?1, name = ?2, validity = ?3, expires_on = ?4, "
                         "  validity_months = ?5, refund_policy = ?6, bonus_refundable = ?7, low_balance_mark = ?8, "
                         "  bonus_threshold = ?9, bonus_amount = ?10, points_per_unit = ?11, points_unit = ?12, "
                         "  redeem_points = ?13, redeem_value = ?14, closed = ?15 "
                         "WHERE id = ?16",
                         error);
  if (stmt == NULL)
    return FALSE;
  bind_terms (stmt, account);
  sqlite3_bind_int (stmt, 15, account->closed ? 1 : 0);
  sqlite3_bind_int64 (stmt, 16, account->id);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  /* A months card's expiry follows from the new terms. */
  if (!refresh_account (db, account->id, error) ||
      !_bb_customers_refresh_summary (db, account->customer_id, error) ||
      (stored->customer_id != account->customer_id &&
       !_bb_customers_refresh_summary (db, stored->customer_id, error)))
    return FALSE;

  detail = g_strdup_printf ("%s; validity %s%s%s; bonus %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                            "%s; points %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                            "; redeem %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "%s",
                            account->name, bb_prepaid_validity_to_string (account->validity),
                            account->expires_on && account->validity == BB_PREPAID_VALIDITY_FIXED ? " " : "",
                            account->expires_on && account->validity == BB_PREPAID_VALIDITY_FIXED ? account->expires_on : "",
                            account->bonus_amount, account->bonus_threshold,
                            account->bonus_refundable ? " refundable" : "",
                            account->points_per_unit, account->points_unit,
                            account->redeem_value, account->redeem_points,
                            account->closed ? "; closed" : "");
  if (!_bb_db_audit (db, "update", "prepaid_accounts", account->id, detail, error))
    return FALSE;

  return reload_into (db, account, error);
}

/**
 * bb_prepaid_save_account:
 * @account: a new card (id 0), or a card with changed name or terms
 *
 * Creates or changes a card, in one transaction, after checking every
 * field: the customer, a name unique among the customer's cards, the
 * validity (a fixed day; or 1 … 600 months from each top-up), the bonus
 * rule (a bonus needs the top-up it is given for), the points rule and
 * the redemption rate (both parts or neither). A card keeps its
 * customer once it has entries; its money cannot be made to expire
 * before its latest entry; it is closed only with a balance of 0. On
 * success @account holds what was stored (its id, a months card's
 * expiry day, the figures).
 *
 * Returns: %TRUE when saved; else nothing was, and @error names the field
 */
gboolean
bb_prepaid_save_account (BbDb              *db,
                         BbPrepaidAccount  *account,
                         GError           **error)
{
  gint64 id;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (BB_IS_PREPAID_ACCOUNT (account), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  id = account->id;
  if (!bb_db_transaction (db, save_in_transaction, account, error))
    {
      account->id = id;
      return FALSE;
    }

  return TRUE;
}

/* ---- Reading the ledger --------------------------------------------- */

#define ENTRY_COLUMNS \
  "e.id, e.account_id, e.occurred_on, e.kind, e.amount, e.bonus_part, e.points, e.method, " \
  "e.invoice_id, e.payment_id, e.reverses_id, e.note, e.created_at, " \
  "(SELECT r.id FROM prepaid_entries r WHERE r.reverses_id = e.id), i.number"

static BbPrepaidEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  BbPrepaidEntry *e = bb_prepaid_entry_new ();

#define TEXT(field, col) do { g_free (e->field); e->field = _bb_stmt_dup_text (stmt, col); } while (0)
  e->id = sqlite3_column_int64 (stmt, 0);
  e->account_id = sqlite3_column_int64 (stmt, 1);
  TEXT (occurred_on, 2);
  bb_prepaid_entry_kind_from_string ((const char *) sqlite3_column_text (stmt, 3), &e->kind);
  e->amount = sqlite3_column_int64 (stmt, 4);
  e->bonus_part = sqlite3_column_int64 (stmt, 5);
  e->points = sqlite3_column_int64 (stmt, 6);
  e->has_method = bb_payment_method_from_string ((const char *) sqlite3_column_text (stmt, 7), &e->method);
  e->invoice_id = sqlite3_column_int64 (stmt, 8);
  e->payment_id = sqlite3_column_int64 (stmt, 9);
  e->reverses_id = sqlite3_column_int64 (stmt, 10);
  TEXT (note, 11);
  TEXT (created_at, 12);
  e->reversed_by_id = sqlite3_column_int64 (stmt, 13);
  TEXT (invoice_number, 14);
#undef TEXT
  if (e->note == NULL)
    e->note = g_strdup ("");

  return e;
}

/**
 * bb_prepaid_get_entry:
 *
 * Returns: (transfer full): ledger entry @id (balance_after is not set)
 */
BbPrepaidEntry *
bb_prepaid_get_entry (BbDb     *db,
                      gint64    id,
                      GError  **error)
{
  g_autoptr(BbPrepaidEntry) entry = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  stmt = _bb_db_prepare (db,
                         "SELECT " ENTRY_COLUMNS " FROM prepaid_entries e "
                         "LEFT JOIN invoices i ON i.id = e.invoice_id WHERE e.id = ?1",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    entry = entry_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND, _("The entry no longer exists"));

  return g_steal_pointer (&entry);
}

gint64
bb_prepaid_count_entries (BbDb     *db,
                          gint64    account_id,
                          GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_return_val_if_fail (BB_IS_DB (db), -1);

  stmt = _bb_db_prepare (db, "SELECT count(*) FROM prepaid_entries WHERE account_id = ?1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (_bb_db_step (db, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return n;
}

/**
 * bb_prepaid_list_entries:
 * @limit: at most this many; 0 for no limit
 *
 * Returns: (transfer full) (element-type BbPrepaidEntry): the card's
 *   ledger in the order it was written, from @offset on, each with the
 *   balance after it
 */
GPtrArray *
bb_prepaid_list_entries (BbDb     *db,
                         gint64    account_id,
                         guint     offset,
                         guint     limit,
                         GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  stmt = _bb_db_prepare (db,
                         "SELECT " ENTRY_COLUMNS ", sum(e.amount) OVER (ORDER BY e.id) "
                         "FROM prepaid_entries e LEFT JOIN invoices i ON i.id = e.invoice_id "
                         "WHERE e.account_id = ?1 ORDER BY e.id LIMIT ?2 OFFSET ?3",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      BbPrepaidEntry *e = entry_from_row (stmt);

      e->balance_after = sqlite3_column_int64 (stmt, 15);
      g_ptr_array_add (list, e);
    }
  sqlite3_reset (stmt);

  return rc < 0 ? NULL : g_steal_pointer (&list);
}

/* ---- Lists of cards ------------------------------------------------- */

void
bb_prepaid_query_clear (BbPrepaidQuery *query)
{
  g_clear_pointer (&query->text, g_free);
  g_clear_pointer (&query->expires_before, g_free);
}

static const char * const sort_keys[] = {
  [BB_PREPAID_SORT_CUSTOMER] = "c.name COLLATE NOCASE",
  [BB_PREPAID_SORT_NAME] = "a.name COLLATE NOCASE",
  [BB_PREPAID_SORT_BALANCE] = "a.balance",
  [BB_PREPAID_SORT_EXPIRES] = "coalesce(a.expires_on, '9999-99-99')",
  [BB_PREPAID_SORT_LAST_USED] = "coalesce(a.last_used_on, '')",
  [BB_PREPAID_SORT_POINTS] = "a.points",
};

static const char *
sort_key (const BbPrepaidQuery *query)
{
  return sort_keys[CLAMP ((int) query->sort, 0, (int) G_N_ELEMENTS (sort_keys) - 1)];
}

/* Only constant SQL fragments are joined here; every value is bound. */
static void
append_where (GString              *sql,
              const BbPrepaidQuery *query)
{
  g_string_append (sql, " FROM prepaid_accounts a JOIN customers c ON c.id = a.customer_id WHERE 1");
  if (!query->include_closed)
    g_string_append (sql, " AND a.closed = 0");
  if (query->customer_id)
    g_string_append (sql, " AND a.customer_id = :customer");
  if (query->low_only)
    g_string_append (sql, " AND a.low_balance_mark > 0 AND a.balance < a.low_balance_mark");
  if (query->expires_before && *query->expires_before)
    g_string_append (sql, " AND a.balance > 0 AND a.expires_on IS NOT NULL AND a.expires_on < :expires");
  if (query->text && *query->text)
    g_string_append (sql, " AND (lower(a.name) LIKE :text ESCAPE '\\' OR c.search_text LIKE :text ESCAPE '\\')");
}

static void
bind_where (sqlite3_stmt         *stmt,
            const BbPrepaidQuery *query)
{
  int i;

  if ((i = sqlite3_bind_parameter_index (stmt, ":customer")) > 0)
    sqlite3_bind_int64 (stmt, i, query->customer_id);
  if ((i = sqlite3_bind_parameter_index (stmt, ":expires")) > 0)
    sqlite3_bind_text (stmt, i, query->expires_before, -1, SQLITE_TRANSIENT);
  if ((i = sqlite3_bind_parameter_index (stmt, ":text")) > 0)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (query->text));
      g_autofree char *lower = g_utf8_strdown (trimmed, -1);
      g_autoptr(GString) pattern = g_string_new ("%");

      for (const char *p = lower; *p; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (pattern, '\\');
          g_string_append_c (pattern, *p);
        }
      g_string_append_c (pattern, '%');
      sqlite3_bind_text (stmt, i, pattern->str, -1, SQLITE_TRANSIENT);
    }
}

/**
 * bb_prepaid_count:
 *
 * Returns: how many cards @query selects, or -1 on error
 */
gint64
bb_prepaid_count (BbDb                  *db,
                  const BbPrepaidQuery  *query,
                  GError               **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*)");
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_return_val_if_fail (BB_IS_DB (db), -1);

  append_where (sql, query);
  stmt = _bb_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return -1;

  bind_where (stmt, query);
  if (_bb_db_step (db, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return n;
}

/**
 * bb_prepaid_search:
 *
 * Returns: (transfer full) (element-type BbPrepaidAccount): one page of
 *   the cards @query selects, in its order
 */
GPtrArray *
bb_prepaid_search (BbDb                  *db,
                   const BbPrepaidQuery  *query,
                   guint                  offset,
                   guint                  limit,
                   GError               **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " ACCOUNT_COLUMNS);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  const char *dir = query->descending ? " DESC" : "";
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  append_where (sql, query);
  g_string_append (sql, " ORDER BY ");
  g_string_append (sql, sort_key (query));
  g_string_append (sql, dir);
  g_string_append (sql, ", a.id");
  g_string_append (sql, dir);
  g_string_append (sql, " LIMIT :limit OFFSET :offset");

  stmt = _bb_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;

  bind_where (stmt, query);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), limit);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"), offset);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (rows, account_from_row (stmt));
  sqlite3_reset (stmt);

  return rc < 0 ? NULL : g_steal_pointer (&rows);
}

/**
 * bb_prepaid_position:
 *
 * Returns: how many of the cards @query selects sort before card @id, or
 *   -1 when it does not exist (or on error)
 */
gint64
bb_prepaid_position (BbDb                  *db,
                     const BbPrepaidQuery  *query,
                     gint64                 id,
                     GError               **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*)");
  const char *key = sort_key (query);
  sqlite3_stmt *stmt;
  gint64 n = -1;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), -1);

  append_where (sql, query);
  g_string_append (sql, " AND (");
  g_string_append (sql, key);
  g_string_append (sql, ", a.id)");
  g_string_append (sql, query->descending ? " > " : " < ");
  g_string_append (sql, "(SELECT ");
  g_string_append (sql, key);
  g_string_append (sql, ", a.id FROM prepaid_accounts a JOIN customers c ON c.id = a.customer_id WHERE a.id = :id)");

  stmt = _bb_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return -1;

  bind_where (stmt, query);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":id"), id);
  if (_bb_db_step (db, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* A card that no longer exists counts nothing before it. */
  stmt = _bb_db_prepare (db, "SELECT 1 FROM prepaid_accounts WHERE id = ?1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = _bb_db_step (db, stmt, error);
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW ? n : -1;
}

/**
 * bb_prepaid_get_totals:
 * @totals: (out): what the cards @query selects hold together: the
 *   shop's liability (paid_in of it the customers' own money)
 */
gboolean
bb_prepaid_get_totals (BbDb                  *db,
                       const BbPrepaidQuery  *query,
                       BbPrepaidTotals       *totals,
                       GError               **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*), coalesce(sum(a.balance), 0), "
                                         "coalesce(sum(a.paid_in), 0), coalesce(sum(a.bonus), 0), "
                                         "coalesce(sum(a.points), 0)");
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (totals != NULL, FALSE);

  memset (totals, 0, sizeof *totals);
  append_where (sql, query);
  stmt = _bb_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  bind_where (stmt, query);
  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      totals->n_accounts = sqlite3_column_int64 (stmt, 0);
      totals->balance = sqlite3_column_int64 (stmt, 1);
      totals->paid_in = sqlite3_column_int64 (stmt, 2);
      totals->bonus = sqlite3_column_int64 (stmt, 3);
      totals->points = sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW;
}

/* ---- Check accounts ------------------------------------------------- */

static void
add_problem (GPtrArray  *problems,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_problem (GPtrArray  *problems,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* A card's kept figures, for the check. */
typedef struct
{
  gint64              id;
  char               *label;        /* "Membership card of C000001" */
  BbPrepaidValidity   validity;
  int                 months;
  char               *expires_on;
  BbMoney             balance;
  BbMoney             paid_in;
  BbMoney             bonus;
  gint64              points;
  char               *last_used_on;
} CheckCard;

static void
check_card_clear (CheckCard *card)
{
  g_clear_pointer (&card->label, g_free);
  g_clear_pointer (&card->expires_on, g_free);
  g_clear_pointer (&card->last_used_on, g_free);
}

/* Replays one card's ledger in the order it was written, checking each
 * entry against the rules it was written by, then the kept figures. The
 * latest top-up and charge are those of the latest date, not the last
 * written: one entered late may be dated before them (figures_add()). */
static gboolean
check_card (BbDb        *db,
            CheckCard   *card,
            GPtrArray   *problems,
            gboolean     with_balances,
            GError     **error)
{
  g_autofree char *last_topup = NULL;
  g_autofree char *last_charge = NULL;
  g_autofree char *expiry = NULL;
  BbMoney balance = 0, bonus = 0;
  gint64 points = 0;
  gboolean below_zero = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT e.id, e.kind, e.amount, e.bonus_part, e.points, e.occurred_on, "
                         "  coalesce(e.reverses_id, 0), coalesce(r.points, 0) "
                         "FROM prepaid_entries e LEFT JOIN prepaid_entries r ON r.id = e.reverses_id "
                         "WHERE e.account_id = ?1 ORDER BY e.id",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, card->id);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *kind_text = (const char *) sqlite3_column_text (stmt, 1);
      BbMoney amount = sqlite3_column_int64 (stmt, 2);
      BbMoney part = sqlite3_column_int64 (stmt, 3);
      gint64 pts = sqlite3_column_int64 (stmt, 4);
      const char *day = (const char *) sqlite3_column_text (stmt, 5);
      gint64 reverses = sqlite3_column_int64 (stmt, 6);
      gint64 reversed_points = sqlite3_column_int64 (stmt, 7);
      BbMoney paid_in = balance - bonus;
      BbPrepaidEntryKind kind = BB_PREPAID_ADJUST;
      BbMoney want_part = part;
      gboolean points_ok = pts == 0;

      bb_prepaid_entry_kind_from_string (kind_text, &kind);
      switch (kind)
        {
        case BB_PREPAID_TOPUP:
          want_part = 0;
          later_date (&last_topup, day);
          break;
        case BB_PREPAID_BONUS:
          want_part = amount;
          break;
        case BB_PREPAID_REDEEM:
          want_part = amount;
          points_ok = pts < 0 && amount > 0;
          break;
        case BB_PREPAID_CHARGE:
          want_part = amount < 0 ? -MAX (0, -amount - paid_in) : 0;
          points_ok = pts >= 0;
          later_date (&last_charge, day);
          break;
        case BB_PREPAID_REFUND:
          want_part = amount < 0 ? -MAX (0, -amount - paid_in) : 0;
          break;
        case BB_PREPAID_EXPIRY:
          want_part = -bonus;
          if (amount != -balance)
            add_problem (problems, _("Prepaid entry #%lld on %s: an expiry writes off %lld, but the balance "
                                     "before it was %lld"),
                         (long long) id, card->label, (long long) -amount, (long long) balance);
          break;
        case BB_PREPAID_ADJUST:
        default:
          if (amount < 0)
            want_part = -MAX (0, -amount - paid_in);
          else if (part < 0 || part > amount)
            want_part = 0;
          points_ok = pts == 0 || (reverses != 0 && pts < 0 && -pts <= reversed_points);
          break;
        }

      if (part != want_part)
        add_problem (problems, _("Prepaid entry #%lld on %s: its bonus part is %lld, but bonus money goes "
                                 "after paid-in money and the rules make it %lld"),
                     (long long) id, card->label, (long long) part, (long long) want_part);
      if (!points_ok)
        add_problem (problems, _("Prepaid entry #%lld on %s: a %s does not earn or spend %lld points"),
                     (long long) id, card->label, kind_text, (long long) pts);

      balance += amount;
      bonus += part;
      points += pts;
      if (!below_zero && (balance < 0 || bonus < 0 || balance - bonus < 0 || points < 0))
        {
          below_zero = TRUE;
          add_problem (problems, _("Prepaid entry #%lld on %s: after it the card holds %lld (bonus %lld) "
                                   "and %lld points; none may be below zero"),
                       (long long) id, card->label, (long long) balance, (long long) bonus, (long long) points);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  if (with_balances && card->balance != balance)
    add_problem (problems, _("Prepaid account %s: balance is %lld but its ledger adds up to %lld"),
                 card->label, (long long) card->balance, (long long) balance);
  if (card->paid_in != balance - bonus)
    add_problem (problems, _("Prepaid account %s: paid-in money is %lld but its ledger adds up to %lld"),
                 card->label, (long long) card->paid_in, (long long) (balance - bonus));
  if (card->bonus != bonus)
    add_problem (problems, _("Prepaid account %s: bonus money is %lld but its ledger adds up to %lld"),
                 card->label, (long long) card->bonus, (long long) bonus);
  if (card->points != points)
    add_problem (problems, _("Prepaid account %s: points are %lld but its ledger adds up to %lld"),
                 card->label, (long long) card->points, (long long) points);
  if (g_strcmp0 (card->last_used_on, last_charge) != 0)
    add_problem (problems, _("Prepaid account %s: last used on “%s” but its latest charge is on “%s”"),
                 card->label, card->last_used_on ? card->last_used_on : "",
                 last_charge ? last_charge : "");

  if (card->validity != BB_PREPAID_VALIDITY_FIXED)
    {
      expiry = effective_expiry (card->validity, NULL, card->months, last_topup);
      if (g_strcmp0 (card->expires_on, expiry) != 0)
        add_problem (problems, _("Prepaid account %s: expires on “%s” but its terms and latest top-up say “%s”"),
                     card->label, card->expires_on ? card->expires_on : "", expiry ? expiry : "");
    }

  return TRUE;
}

/* Links between the ledger and the payments, checked by SQL: rows that
 * disagree give id, label, kept, computed. */
static const struct
{
  const char *sql;
  const char *message;
} link_rules[] = {
  /* Each payment from a card (and each refund of one) is the other side
   * of exactly one entry on that card, of the opposite amount. */
  { "SELECT p.id, p.received_on || ' #' || p.id, p.amount, "
    "  coalesce((SELECT -e.amount FROM prepaid_entries e WHERE e.payment_id = p.id "
    "            AND e.account_id = p.prepaid_account_id), 0) AS computed "
    "FROM payments p WHERE p.method = 'prepaid' AND p.amount <> computed",
    N_("Payment %s from a prepaid card: amount is %lld but the card’s ledger took %lld for it") },
  { "SELECT e.id, '#' || e.id, e.amount, "
    "  coalesce((SELECT -p.amount FROM payments p JOIN prepaid_accounts a ON a.id = e.account_id "
    "            WHERE p.id = e.payment_id AND p.method = 'prepaid' AND p.prepaid_account_id = e.account_id "
    "              AND p.customer_id = a.customer_id), 0) AS computed "
    "FROM prepaid_entries e WHERE e.payment_id IS NOT NULL AND e.amount <> computed",
    N_("Prepaid entry %s: amount is %lld but the payment it names, of its card and customer, comes to %lld") },
  /* A charge for a bill names the payment that paid it. */
  { "SELECT e.id, '#' || e.id, e.invoice_id, coalesce(e.payment_id, 0) "
    "FROM prepaid_entries e WHERE e.kind = 'charge' AND e.invoice_id IS NOT NULL AND e.payment_id IS NULL",
    N_("Prepaid entry %s: a charge for bill #%lld names no payment (%lld)") },
  /* A charge taken back is undone exactly. */
  { "SELECT e.id, '#' || e.id, e.amount, -r.amount "
    "FROM prepaid_entries e JOIN prepaid_entries r ON r.id = e.reverses_id "
    "WHERE e.kind <> 'adjust' OR r.kind <> 'charge' OR e.account_id <> r.account_id "
    "   OR e.amount <> -r.amount OR e.bonus_part <> -r.bonus_part",
    N_("Prepaid entry %s: takes a charge back with %lld but the charge took %lld (or is no charge of its card)") },
};

/*
 * _bb_prepaid_check:
 * @with_balances: also the balances and the customers' prepaid balances
 *   (bb-check.c has rules of its own for those)
 *
 * "Check accounts": replays every card's ledger and lists each
 * disagreement with the rules or the kept figures.
 *
 * Returns: %FALSE only when the checks could not run
 */
gboolean
_bb_prepaid_check (BbDb       *db,
                   GPtrArray  *problems,
                   gboolean    with_balances,
                   GError    **error)
{
  g_autoptr(GArray) cards = g_array_new (FALSE, TRUE, sizeof (CheckCard));
  sqlite3_stmt *stmt;
  gint64 after = 0;
  int rc;

  g_array_set_clear_func (cards, (GDestroyNotify) check_card_clear);

  /* Cards a page at a time, by id. */
  for (;;)
    {
      g_array_set_size (cards, 0);
      stmt = _bb_db_prepare (db,
                             "SELECT a.id, a.name || ' of ' || c.code, a.validity, coalesce(a.validity_months, 0), "
                             "  a.expires_on, a.balance, a.paid_in, a.bonus, a.points, a.last_used_on "
                             "FROM prepaid_accounts a JOIN customers c ON c.id = a.customer_id "
                             "WHERE a.id > ?1 ORDER BY a.id LIMIT 500",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, after);
      while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
        {
          CheckCard card = { 0 };

          card.id = sqlite3_column_int64 (stmt, 0);
          card.label = _bb_stmt_dup_text (stmt, 1);
          bb_prepaid_validity_from_string ((const char *) sqlite3_column_text (stmt, 2), &card.validity);
          card.months = sqlite3_column_int (stmt, 3);
          card.expires_on = _bb_stmt_dup_text (stmt, 4);
          card.balance = sqlite3_column_int64 (stmt, 5);
          card.paid_in = sqlite3_column_int64 (stmt, 6);
          card.bonus = sqlite3_column_int64 (stmt, 7);
          card.points = sqlite3_column_int64 (stmt, 8);
          card.last_used_on = _bb_stmt_dup_text (stmt, 9);
          g_array_append_val (cards, card);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return FALSE;

      for (guint i = 0; i < cards->len; i++)
        if (!check_card (db, &g_array_index (cards, CheckCard, i), problems, with_balances, error))
          return FALSE;

      if (cards->len < 500)
        break;
      after = g_array_index (cards, CheckCard, cards->len - 1).id;
    }

  if (with_balances)
    {
      stmt = _bb_db_prepare (db,
                             "SELECT c.code, c.prepaid_balance, "
                             "  (SELECT coalesce(sum(a.balance), 0) FROM prepaid_accounts a WHERE a.customer_id = c.id) "
                             "  AS computed "
                             "FROM customers c WHERE c.prepaid_balance <> computed",
                             error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
        add_problem (problems, _("Customer %s: prepaid balance is %lld but their accounts add up to %lld"),
                     (const char *) sqlite3_column_text (stmt, 0),
                     (long long) sqlite3_column_int64 (stmt, 1), (long long) sqlite3_column_int64 (stmt, 2));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return FALSE;
    }

  for (guint r = 0; r < G_N_ELEMENTS (link_rules); r++)
    {
      stmt = _bb_db_prepare (db, link_rules[r].sql, error);
      if (stmt == NULL)
        return FALSE;
      /* The messages are the constant, translated formats of link_rules[] */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
        add_problem (problems, _(link_rules[r].message),
                     (const char *) sqlite3_column_text (stmt, 1),
                     (long long) sqlite3_column_int64 (stmt, 2), (long long) sqlite3_column_int64 (stmt, 3));
#pragma GCC diagnostic pop
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return FALSE;
    }

  return TRUE;
}

/**
 * bb_prepaid_check_accounts:
 * @problems: (element-type utf8): where each finding is added
 *
 * "Check accounts": recomputes every card's balance, paid-in and bonus
 * money, points, last use and expiry day from its ledger, replays each
 * ledger against the rules it was written by (paid-in money spent
 * first, no overdraft, an expiry of the whole balance, points earned
 * and spent), and checks the payments of bills paid from cards and the
 * customers' prepaid balances. There must be no finding. `billbook-cli
 * check` (bb_check_book()) runs the same checks.
 *
 * Returns: %FALSE only when the checks could not run
 */
gboolean
bb_prepaid_check_accounts (BbDb       *db,
                           GPtrArray  *problems,
                           GError    **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  return _bb_prepaid_check (db, problems, TRUE, error);
}
