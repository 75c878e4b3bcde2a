/* bb-reports.c — the reports: aging of what customers owe, collections
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each report is one aggregate query over indexed columns, with every
 * date passed as a parameter (DESIGN.md, "Scale"), returning rows the
 * window's reports page and billbook-cli both show. The definitions are
 * DESIGN.md's (and help/ states them):
 *
 * Aging as of D counts the issued bills (not void, not drafts) issued on
 * or before D whose balance due as of D is more than nothing, bucketed by
 * D − due_on: ≤ 0 current, 1–30, 31–60, 61–90, over 90 days. The balance
 * due as of D is the total less the allocations of payments received on
 * or before D (bb_invoices_get_balance_due()). It is computed from the
 * kept open balance, which already takes every allocation off, plus the
 * allocations of payments received after D, which were not yet made on
 * D: so only the money after D is read, and for D = today nothing but
 * the bills that owe (the partial index invoices_aging).
 *
 * Collections is money received, by month of receipt: payments other
 * than from a prepaid card (a refund of one is a negative payment, so it
 * counts against its month), plus prepaid top-ups less their bonus part,
 * less prepaid refunds paid out. Bonuses are not money received, nor is
 * what a card pays for. Every month from the first to the last is
 * listed, those without money as 0.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <stdarg.h>

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-csv.h"
#include "bb-db-private.h"
#include "bb-payment-methods.h"
#include "bb-reports.h"
#include "bb-text.h"

void
bb_aging_row_free (BbAgingRow *row)
{
  if (row == NULL)
    return;

  g_free (row->customer_code);
  g_free (row->name);
  g_free (row);
}

void
bb_collections_row_free (BbCollectionsRow *row)
{
  if (row == NULL)
    return;

  g_free (row->month);
  g_free (row);
}

void
bb_top_row_free (BbTopRow *row)
{
  if (row == NULL)
    return;

  g_free (row->customer_code);
  g_free (row->name);
  g_free (row);
}

void
bb_liability_row_free (BbLiabilityRow *row)
{
  if (row == NULL)
    return;

  g_free (row->month);
  g_free (row);
}

void
bb_method_row_free (BbMethodRow *row)
{
  if (row == NULL)
    return;

  g_free (row->label);
  g_free (row);
}

void
bb_on_time_row_free (BbOnTimeRow *row)
{
  if (row == NULL)
    return;

  g_free (row->month);
  g_free (row);
}

static const char * const top_by_names[] = { "paid", "billed", "owed" };

const char *
bb_top_by_to_string (BbTopBy by)
{
  g_return_val_if_fail ((guint) by < G_N_ELEMENTS (top_by_names), "paid");

  return top_by_names[by];
}

gboolean
bb_top_by_from_string (const char *text,
                       BbTopBy    *by)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (top_by_names); i++)
    if (g_str_equal (text, top_by_names[i]))
      {
        if (by != NULL)
          *by = (BbTopBy) i;
        return TRUE;
      }

  return FALSE;
}

static char *
iso_days_before (const GDate *date,
                 guint        days)
{
  GDate d = *date;

  g_date_subtract_days (&d, days);
  return bb_date_to_iso (&d);
}

/* ---- Aging ---------------------------------------------------------- */

static int
compare_aging_codes (gconstpointer a,
                     gconstpointer b)
{
  const BbAgingRow *x = *(BbAgingRow * const *) a;
  const BbAgingRow *y = *(BbAgingRow * const *) b;

  return strcmp (x->customer_code, y->customer_code);
}

/**
 * bb_reports_aging:
 * @as_of: the day the report is for
 *
 * Returns: (transfer full) (element-type BbAgingRow): one row per
 *   customer who owed anything as of @as_of, by customer code
 */
GPtrArray *
bb_reports_aging (BbDb         *db,
                  const GDate  *as_of,
                  GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_aging_row_free);
  g_autofree char *day = NULL;
  g_autofree char *minus30 = NULL;
  g_autofree char *minus60 = NULL;
  g_autofree char *minus90 = NULL;
  GHashTable *by_customer;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);
  g_return_val_if_fail (as_of != NULL && g_date_valid (as_of), NULL);

  day = bb_date_to_iso (as_of);
  minus30 = iso_days_before (as_of, 30);
  minus60 = iso_days_before (as_of, 60);
  minus90 = iso_days_before (as_of, 90);

  /* later: what was allocated by payments received after the day, from
   * those payments (CROSS JOIN keeps that order in SQLite: the payments
   * after the day by their index, not every allocation).
   * owed: what each customer owed on the day, in two parts. First the
   * bills that owe now and got nothing after the day, by the partial
   * index invoices_aging (customer, due date, open balance, issue date):
   * it holds all a part needs, in customer order, so SQLite adds up each
   * customer's bills as it reads them, without a row per bill to sort.
   * Then the bills paid after the day, from later. A customer may come
   * once from each part: the two rows are added up below.
   * The sums are of what was due on or after the day, on or after 30,
   * 60 and 90 days before, and in all: one comparison a bill for each,
   * and the buckets are their differences.
   * Without statistics SQLite would rather read the bills by another
   * index and then each bill's row, many times slower on a million
   * bills: hence INDEXED BY, the one thing here that is SQLite's own. */
  stmt = _bb_db_prepare (db,
                         "WITH later (invoice_id, amount) AS ("
                         "  SELECT a.invoice_id, sum(a.amount) FROM payments p "
                         "  CROSS JOIN payment_allocations a "
                         "  WHERE a.payment_id = p.id AND p.received_on > ?1 GROUP BY a.invoice_id), "
                         "owed (customer_id, due_0, due_30, due_60, due_90, total) AS ("
                         "  SELECT i.customer_id, "
                         "    sum(CASE WHEN i.due_on >= ?1 THEN i.open_balance ELSE 0 END), "
                         "    sum(CASE WHEN i.due_on >= ?2 THEN i.open_balance ELSE 0 END), "
                         "    sum(CASE WHEN i.due_on >= ?3 THEN i.open_balance ELSE 0 END), "
                         "    sum(CASE WHEN i.due_on >= ?4 THEN i.open_balance ELSE 0 END), "
                         "    sum(i.open_balance) "
                         "  FROM invoices i INDEXED BY invoices_aging "
                         "  WHERE i.status = 'issued' AND i.open_balance <> 0 AND i.open_balance > 0 "
                         "    AND i.issued_on <= ?1 AND i.id NOT IN (SELECT invoice_id FROM later) "
                         "  GROUP BY i.customer_id "
                         "  UNION ALL "
                         "  SELECT i.customer_id, "
                         "    sum(CASE WHEN i.due_on >= ?1 THEN i.open_balance + l.amount ELSE 0 END), "
                         "    sum(CASE WHEN i.due_on >= ?2 THEN i.open_balance + l.amount ELSE 0 END), "
                         "    sum(CASE WHEN i.due_on >= ?3 THEN i.open_balance + l.amount ELSE 0 END), "
                         "    sum(CASE WHEN i.due_on >= ?4 THEN i.open_balance + l.amount ELSE 0 END), "
                         "    sum(i.open_balance + l.amount) "
                         "  FROM later l JOIN invoices i ON i.id = l.invoice_id "
                         "  WHERE i.status = 'issued' AND i.issued_on <= ?1 AND i.open_balance + l.amount > 0 "
                         "  GROUP BY i.customer_id) "
                         "SELECT c.id, c.code, c.name, o.due_0, o.due_30, o.due_60, o.due_90, o.total "
                         "FROM owed o CROSS JOIN customers c ON c.id = o.customer_id",
                         error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, day);
  _bb_stmt_bind_text (stmt, 2, minus30);
  _bb_stmt_bind_text (stmt, 3, minus60);
  _bb_stmt_bind_text (stmt, 4, minus90);

  by_customer = g_hash_table_new (g_int64_hash, g_int64_equal);
  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      BbMoney due_0 = sqlite3_column_int64 (stmt, 3);
      BbMoney due_30 = sqlite3_column_int64 (stmt, 4);
      BbMoney due_60 = sqlite3_column_int64 (stmt, 5);
      BbMoney due_90 = sqlite3_column_int64 (stmt, 6);
      BbMoney total = sqlite3_column_int64 (stmt, 7);
      BbAgingRow *row = g_hash_table_lookup (by_customer, &id);

      if (row == NULL)
        {
          row = g_new0 (BbAgingRow, 1);
          row->customer_id = id;
          row->customer_code = _bb_stmt_dup_text (stmt, 1);
          row->name = _bb_stmt_dup_text (stmt, 2);
          g_ptr_array_add (rows, row);
          g_hash_table_insert (by_customer, &row->customer_id, row);
        }

      row->current += due_0;
      row->d1_30 += due_30 - due_0;
      row->d31_60 += due_60 - due_30;
      row->d61_90 += due_90 - due_60;
      row->d90_plus += total - due_90;
      row->total += total;
    }
  sqlite3_reset (stmt);
  g_hash_table_unref (by_customer);

  if (rc < 0)
    return NULL;

  /* By code, as SQLite's ORDER BY code would (bytewise). */
  g_ptr_array_sort (rows, compare_aging_codes);

  return g_steal_pointer (&rows);
}

/* ---- Collections ---------------------------------------------------- */

static gboolean
parse_month (const char *month,
             guint      *year,
             guint      *number)
{
  if (month == NULL || strlen (month) < 7)
    return FALSE;

  *year = (guint) g_ascii_strtoull (month, NULL, 10);
  *number = (guint) g_ascii_strtoull (month + 5, NULL, 10);

  return *year > 0 && *number >= 1 && *number <= 12;
}

static void
add_month (GPtrArray *rows,
           guint      year,
           guint      month,
           BbMoney    amount)
{
  BbCollectionsRow *row = g_new0 (BbCollectionsRow, 1);

  row->month = g_strdup_printf ("%04u-%02u", year, month);
  row->amount = amount;
  g_ptr_array_add (rows, row);
}

/**
 * bb_reports_collections:
 * @from: (nullable): the first day counted; %NULL for no bound
 * @to: (nullable): the last day counted; %NULL for no bound
 *
 * Returns: (transfer full) (element-type BbCollectionsRow): the money
 *   received in each month from the month of @from (or the first with
 *   money) to the month of @to (or the last with money), in order
 */
GPtrArray *
bb_reports_collections (BbDb         *db,
                        const GDate  *from,
                        const GDate  *to,
                        GError      **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_collections_row_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_collections_row_free);
  g_autofree char *from_iso = NULL;
  g_autofree char *to_iso = NULL;
  guint year, month, last_year, last_month;
  sqlite3_stmt *stmt;
  guint next = 0;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  from_iso = from ? bb_date_to_iso (from) : g_strdup ("0000-00-00");
  to_iso = to ? bb_date_to_iso (to) : g_strdup ("9999-99-99");
  if (from && to && g_date_compare (from, to) > 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("From: %s is after the last day, %s"), from_iso, to_iso);
      return NULL;
    }

  /* Summed by day first, then the days by month: each part reads its
   * rows in date order from its index and adds up a day as it goes, so
   * only a row a day is sorted into months, not a row a payment (four
   * times faster on a million payments). */
  stmt = _bb_db_prepare (db,
                         "SELECT substr(day, 1, 7) AS month, sum(amount) FROM ("
                         "  SELECT received_on AS day, sum(amount) AS amount FROM payments "
                         "  WHERE received_on >= ?1 AND received_on <= ?2 AND method <> 'prepaid' "
                         "  GROUP BY received_on "
                         "  UNION ALL "
                         "  SELECT occurred_on, sum(amount - bonus_part) FROM prepaid_entries "
                         "  WHERE occurred_on >= ?1 AND occurred_on <= ?2 AND kind = 'topup' "
                         "  GROUP BY occurred_on "
                         "  UNION ALL "
                         "  SELECT occurred_on, sum(amount) FROM prepaid_entries "
                         "  WHERE occurred_on >= ?1 AND occurred_on <= ?2 AND kind = 'refund' "
                         "  GROUP BY occurred_on) "
                         "GROUP BY month ORDER BY month",
                         error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, from_iso);
  _bb_stmt_bind_text (stmt, 2, to_iso);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      BbCollectionsRow *row = g_new0 (BbCollectionsRow, 1);

      row->month = _bb_stmt_dup_text (stmt, 0);
      row->amount = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (found, row);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;

  /* Every month of the period, once, in order. */
  if (from)
    {
      year = g_date_get_year (from);
      month = g_date_get_month (from);
    }
  else if (found->len == 0 ||
           !parse_month (((BbCollectionsRow *) g_ptr_array_index (found, 0))->month, &year, &month))
    return g_steal_pointer (&rows);

  if (to)
    {
      last_year = g_date_get_year (to);
      last_month = g_date_get_month (to);
    }
  else if (found->len == 0 ||
           !parse_month (((BbCollectionsRow *) g_ptr_array_index (found, found->len - 1))->month,
                         &last_year, &last_month))
    {
      last_year = year;
      last_month = month;
    }

  while (year < last_year || (year == last_year && month <= last_month))
    {
      BbMoney amount = 0;
      guint y, m;

      if (next < found->len &&
          parse_month (((BbCollectionsRow *) g_ptr_array_index (found, next))->month, &y, &m) &&
          y == year && m == month)
        amount = ((BbCollectionsRow *) g_ptr_array_index (found, next++))->amount;

      add_month (rows, year, month, amount);

      if (++month > 12)
        {
          month = 1;
          year++;
        }
    }

  return g_steal_pointer (&rows);
}

/* ---- Periods -------------------------------------------------------- */

/* The bounds of a period as text, or an error naming --from when it
 * starts after it ends. Without a bound, one that takes in every day. */
static gboolean
period_bounds (const GDate  *from,
               const GDate  *to,
               char        **from_iso,
               char        **to_iso,
               GError      **error)
{
  *from_iso = from ? bb_date_to_iso (from) : g_strdup ("0000-00-00");
  *to_iso = to ? bb_date_to_iso (to) : g_strdup ("9999-99-99");
  if (from && to && g_date_compare (from, to) > 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("From: %s is after the last day, %s"), *from_iso, *to_iso);
      g_clear_pointer (from_iso, g_free);
      g_clear_pointer (to_iso, g_free);
      return FALSE;
    }

  return TRUE;
}

static BbRate
share_of (gint64 part,
          gint64 whole)
{
  if (whole <= 0)
    return 0;

  return (BbRate) bb_div_round_half_away ((__int128) part * BB_RATE_ONE_HUNDRED_PERCENT, whole);
}

/* ---- Payment methods ------------------------------------------------ */

static int
compare_methods (gconstpointer a,
                 gconstpointer b)
{
  const BbMethodRow *x = *(BbMethodRow * const *) a;
  const BbMethodRow *y = *(BbMethodRow * const *) b;

  if (x->amount != y->amount)
    return x->amount > y->amount ? -1 : 1;
  return (int) x->method - (int) y->method;
}

/**
 * bb_reports_methods:
 * @from: (nullable): the first day counted; %NULL for no bound
 * @to: (nullable): the last day counted; %NULL for no bound
 *
 * Returns: (transfer full) (element-type BbMethodRow): the payments
 *   received by each method in the period, the largest amount first
 */
GPtrArray *
bb_reports_methods (BbDb         *db,
                    const GDate  *from,
                    const GDate  *to,
                    GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_method_row_free);
  g_autofree char *from_iso = NULL;
  g_autofree char *to_iso = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  if (!period_bounds (from, to, &from_iso, &to_iso, error))
    return NULL;

  /* payments_received holds all three columns: the rows are not read. */
  stmt = _bb_db_prepare (db,
                         "SELECT method, sum(amount), count(*) FROM payments "
                         "WHERE received_on >= ?1 AND received_on <= ?2 GROUP BY method",
                         error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, from_iso);
  _bb_stmt_bind_text (stmt, 2, to_iso);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      BbMethodRow *row = g_new0 (BbMethodRow, 1);

      if (!bb_payment_method_from_string ((const char *) sqlite3_column_text (stmt, 0), &row->method))
        row->method = BB_PAYMENT_OTHER;
      row->amount = sqlite3_column_int64 (stmt, 1);
      row->count = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      BbMethodRow *row = g_ptr_array_index (rows, i);

      row->label = bb_payment_methods_get_name (db, row->method);
    }

  g_ptr_array_sort (rows, compare_methods);
  return g_steal_pointer (&rows);
}

/* ---- Top customers -------------------------------------------------- */

static int
compare_owed (gconstpointer a,
              gconstpointer b)
{
  const BbAgingRow *x = *(BbAgingRow * const *) a;
  const BbAgingRow *y = *(BbAgingRow * const *) b;

  if (x->total != y->total)
    return x->total > y->total ? -1 : 1;
  return strcmp (x->customer_code, y->customer_code);
}

/**
 * bb_reports_top:
 * @by: what the customers are ranked by
 * @from: (nullable): the first day counted (not for %BB_TOP_BY_OWED)
 * @to: (nullable): the last day counted; for %BB_TOP_BY_OWED the day the
 *   balance is for, %NULL for today
 * @limit: how many customers at most; 0 for every one
 *
 * Only customers with more than nothing are listed.
 *
 * Returns: (transfer full) (element-type BbTopRow): the customers with
 *   the most, the largest first, ties by customer code
 */
GPtrArray *
bb_reports_top (BbDb         *db,
                BbTopBy       by,
                const GDate  *from,
                const GDate  *to,
                guint         limit,
                GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_top_row_free);
  g_autofree char *from_iso = NULL;
  g_autofree char *to_iso = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  if (by == BB_TOP_BY_OWED)
    {
      g_autoptr(GPtrArray) aging = NULL;
      GDate day;

      if (to != NULL)
        day = *to;
      else
        bb_date_set_today (&day);

      aging = bb_reports_aging (db, &day, error);
      if (aging == NULL)
        return NULL;
      g_ptr_array_sort (aging, compare_owed);
      for (guint i = 0; i < aging->len && (limit == 0 || i < limit); i++)
        {
          BbAgingRow *a = g_ptr_array_index (aging, i);
          BbTopRow *row = g_new0 (BbTopRow, 1);

          row->customer_id = a->customer_id;
          row->customer_code = g_strdup (a->customer_code);
          row->name = g_strdup (a->name);
          row->amount = a->total;
          g_ptr_array_add (rows, row);
        }

      return g_steal_pointer (&rows);
    }

  if (!period_bounds (from, to, &from_iso, &to_iso, error))
    return NULL;

  /* Summed by customer from the indexes by date, which hold the customer
   * and the amount (schema 9); each customer's code and name from the
   * narrow customers_label rather than their rows. */
  if (by == BB_TOP_BY_PAID)
    stmt = _bb_db_prepare (db,
                           "WITH t (customer_id, amount) AS ("
                           "  SELECT customer_id, sum(amount) FROM payments "
                           "  WHERE received_on >= ?1 AND received_on <= ?2 GROUP BY customer_id) "
                           "SELECT c.id, c.code, c.name, t.amount FROM t CROSS JOIN customers c INDEXED BY customers_label ON c.id = t.customer_id "
                           "WHERE t.amount > 0 ORDER BY t.amount DESC, c.code LIMIT ?3",
                           error);
  else
    stmt = _bb_db_prepare (db,
                           "WITH t (customer_id, amount) AS ("
                           "  SELECT customer_id, sum(total) FROM invoices "
                           "  WHERE status = 'issued' AND issued_on >= ?1 AND issued_on <= ?2 GROUP BY customer_id) "
                           "SELECT c.id, c.code, c.name, t.amount FROM t CROSS JOIN customers c INDEXED BY customers_label ON c.id = t.customer_id "
                           "WHERE t.amount > 0 ORDER BY t.amount DESC, c.code LIMIT ?3",
                           error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, from_iso);
  _bb_stmt_bind_text (stmt, 2, to_iso);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : -1);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      BbTopRow *row = g_new0 (BbTopRow, 1);

      row->customer_id = sqlite3_column_int64 (stmt, 0);
      row->customer_code = _bb_stmt_dup_text (stmt, 1);
      row->name = _bb_stmt_dup_text (stmt, 2);
      row->amount = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;

  return g_steal_pointer (&rows);
}

/* ---- A/B/C classes -------------------------------------------------- */

/**
 * bb_reports_classes:
 * @from: (nullable): the first day of the bills counted
 * @to: (nullable): the last day of the bills counted
 *
 * Returns: (transfer full) (element-type BbClassRow): A, B and C, each
 *   with its customers (not archived) and what they were billed
 */
GPtrArray *
bb_reports_classes (BbDb         *db,
                    const GDate  *from,
                    const GDate  *to,
                    GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *from_iso = NULL;
  g_autofree char *to_iso = NULL;
  gint64 customers = 0;
  BbMoney billed = 0;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  if (!period_bounds (from, to, &from_iso, &to_iso, error))
    return NULL;

  for (guint i = 0; i < 3; i++)
    {
      BbClassRow *row = g_new0 (BbClassRow, 1);

      row->klass = (char) ('A' + i);
      g_ptr_array_add (rows, row);
    }

  /* The counts from the index customers_class alone; the bills of the
   * period from invoices_status (covering: schema 9), summed by customer
   * first so that each customer's class is looked up once, not once a
   * bill (four times faster on a million bills), in customers_class_of. */
  stmt = _bb_db_prepare (db,
                         "SELECT class, count(*), 0 FROM customers WHERE archived = 0 GROUP BY class "
                         "UNION ALL "
                         "SELECT c.class, 0, sum(t.billed) FROM ("
                         "  SELECT customer_id, sum(total) AS billed FROM invoices "
                         "  WHERE status = 'issued' AND issued_on >= ?1 AND issued_on <= ?2 GROUP BY customer_id) t "
                         "CROSS JOIN customers c INDEXED BY customers_class_of ON c.id = t.customer_id "
                         "WHERE c.archived = 0 GROUP BY c.class",
                         error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, from_iso);
  _bb_stmt_bind_text (stmt, 2, to_iso);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *klass = (const char *) sqlite3_column_text (stmt, 0);
      BbClassRow *row;

      if (klass == NULL || klass[0] < 'A' || klass[0] > 'C')
        continue;
      row = g_ptr_array_index (rows, klass[0] - 'A');
      row->customers += sqlite3_column_int64 (stmt, 1);
      row->billed += sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      BbClassRow *row = g_ptr_array_index (rows, i);

      customers += row->customers;
      billed += row->billed;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      BbClassRow *row = g_ptr_array_index (rows, i);

      row->customers_share = share_of (row->customers, customers);
      row->billed_share = share_of (row->billed, billed);
    }

  return g_steal_pointer (&rows);
}

/* ---- Months --------------------------------------------------------- */

static void
next_month (guint *year,
            guint *month)
{
  if (++*month > 12)
    {
      *month = 1;
      ++*year;
    }
}

static gboolean
month_before_or_at (guint year,
                    guint month,
                    guint last_year,
                    guint last_month)
{
  return year < last_year || (year == last_year && month <= last_month);
}

/* ---- Prepaid liability ---------------------------------------------- */

/**
 * bb_reports_liability:
 * @from: (nullable): the first day of the period; %NULL: the month of
 *   the first ledger entry
 * @to: (nullable): the last day of the period; %NULL: the month of the
 *   last ledger entry
 *
 * Returns: (transfer full) (element-type BbLiabilityRow): for every month
 *   of the period, in order, what all prepaid cards held at its end (on
 *   @to, for the last month)
 */
GPtrArray *
bb_reports_liability (BbDb         *db,
                      const GDate  *from,
                      const GDate  *to,
                      GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_liability_row_free);
  g_autoptr(GArray) months = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) sums = g_array_new (FALSE, FALSE, sizeof (BbMoney));
  g_autofree char *from_iso = NULL;
  g_autofree char *to_iso = NULL;
  guint year, month, last_year, last_month;
  BbMoney balance = 0;
  sqlite3_stmt *stmt;
  guint next = 0;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  if (!period_bounds (from, to, &from_iso, &to_iso, error))
    return NULL;

  /* What the cards held before the period, then what each month of it
   * added: the ledger by its date index. */
  stmt = _bb_db_prepare (db,
                         "SELECT '', coalesce (sum(amount), 0) FROM prepaid_entries WHERE occurred_on < ?1 "
                         "UNION ALL "
                         "SELECT * FROM (SELECT substr(occurred_on, 1, 7) AS month, sum(amount) FROM prepaid_entries "
                         "  WHERE occurred_on >= ?1 AND occurred_on <= ?2 GROUP BY month ORDER BY month)",
                         error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, from_iso);
  _bb_stmt_bind_text (stmt, 2, to_iso);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      BbMoney amount = sqlite3_column_int64 (stmt, 1);
      guint y, m, key;

      if (text == NULL || *text == '\0')
        {
          balance += amount;
          continue;
        }
      if (!parse_month (text, &y, &m))
        continue;
      key = y * 100 + m;
      g_array_append_val (months, key);
      g_array_append_val (sums, amount);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;

  if (from)
    {
      year = g_date_get_year (from);
      month = g_date_get_month (from);
    }
  else if (months->len > 0)
    {
      year = g_array_index (months, guint, 0) / 100;
      month = g_array_index (months, guint, 0) % 100;
    }
  else
    return g_steal_pointer (&rows);

  if (to)
    {
      last_year = g_date_get_year (to);
      last_month = g_date_get_month (to);
    }
  else if (months->len > 0)
    {
      last_year = g_array_index (months, guint, months->len - 1) / 100;
      last_month = g_array_index (months, guint, months->len - 1) % 100;
    }
  else
    {
      last_year = year;
      last_month = month;
    }

  for (; month_before_or_at (year, month, last_year, last_month); next_month (&year, &month))
    {
      BbLiabilityRow *row = g_new0 (BbLiabilityRow, 1);

      if (next < months->len && g_array_index (months, guint, next) == year * 100 + month)
        balance += g_array_index (sums, BbMoney, next++);

      row->month = g_strdup_printf ("%04u-%02u", year, month);
      row->balance = balance;
      g_ptr_array_add (rows, row);
    }

  return g_steal_pointer (&rows);
}

/* ---- On-time payment ------------------------------------------------ */

/**
 * bb_reports_on_time:
 * @from: (nullable): the first due date counted; %NULL: the month of the
 *   first bill that fell due
 * @to: (nullable): the last due date counted; %NULL: @today
 * @today: bills due on or after it are not counted yet
 *
 * Returns: (transfer full) (element-type BbOnTimeRow): for every month of
 *   the period, in order, the bills that fell due in it and those of
 *   them paid in full by their due date
 */
GPtrArray *
bb_reports_on_time (BbDb         *db,
                    const GDate  *from,
                    const GDate  *to,
                    const GDate  *today,
                    GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_on_time_row_free);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_on_time_row_free);
  g_autofree char *from_iso = NULL;
  g_autofree char *to_iso = NULL;
  g_autofree char *today_iso = NULL;
  guint year, month, last_year, last_month;
  sqlite3_stmt *stmt;
  guint next = 0;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  if (!period_bounds (from, to, &from_iso, &to_iso, error))
    return NULL;
  today_iso = bb_date_to_iso (today);

  /* The bills that fell due in the period, with what was paid of each
   * by its due date, from the index of issued bills by due date (schema
   * 9), named: without statistics SQLite would take the index by state,
   * and read every bill ever issued. */
  stmt = _bb_db_prepare (db,
                         "SELECT substr(i.due_on, 1, 7) AS month, count(*), sum(i.paid_by_due >= i.total) "
                         "FROM invoices i INDEXED BY invoices_due "
                         "WHERE i.status = 'issued' AND i.kind = 'invoice' AND i.total > 0 "
                         "  AND i.due_on >= ?1 AND i.due_on <= ?2 AND i.due_on < ?3 "
                         "GROUP BY month ORDER BY month",
                         error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, from_iso);
  _bb_stmt_bind_text (stmt, 2, to_iso);
  _bb_stmt_bind_text (stmt, 3, today_iso);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      BbOnTimeRow *row = g_new0 (BbOnTimeRow, 1);

      row->month = _bb_stmt_dup_text (stmt, 0);
      row->due = sqlite3_column_int64 (stmt, 1);
      row->on_time = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (found, row);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;

  if (from)
    {
      year = g_date_get_year (from);
      month = g_date_get_month (from);
    }
  else if (found->len == 0 ||
           !parse_month (((BbOnTimeRow *) g_ptr_array_index (found, 0))->month, &year, &month))
    return g_steal_pointer (&rows);

  last_year = g_date_get_year (to ? to : today);
  last_month = g_date_get_month (to ? to : today);

  for (; month_before_or_at (year, month, last_year, last_month); next_month (&year, &month))
    {
      BbOnTimeRow *row = g_new0 (BbOnTimeRow, 1);
      guint y, m;

      row->month = g_strdup_printf ("%04u-%02u", year, month);
      if (next < found->len &&
          parse_month (((BbOnTimeRow *) g_ptr_array_index (found, next))->month, &y, &m) &&
          y == year && m == month)
        {
          BbOnTimeRow *f = g_ptr_array_index (found, next++);

          row->due = f->due;
          row->on_time = f->on_time;
          row->rate = share_of (row->on_time, row->due);
        }
      g_ptr_array_add (rows, row);
    }

  return g_steal_pointer (&rows);
}

/* ---- As CSV --------------------------------------------------------- */

/* The fields of one row of a report as its CSV line writes them. */
typedef char **(*RowFieldsFunc) (gconstpointer      row,
                                 const BbCurrency  *currency);

/* @n_fields strings, each taken (NULL stands for an empty field), as a
 * NULL-terminated array. */
static char **
fields_take (guint n_fields,
             ...)
{
  char **fields = g_new0 (char *, n_fields + 1);
  va_list args;

  va_start (args, n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      char *field = va_arg (args, char *);

      fields[i] = field != NULL ? field : g_strdup ("");
    }
  va_end (args);

  return fields;
}

/* @header, then a line of @row_fields for each of @rows: the one loop
 * every report's CSV is written with. */
static char *
rows_to_csv (const char         *header,
             GPtrArray          *rows,
             RowFieldsFunc       row_fields,
             const gboolean     *text_columns,
             const BbCurrency   *currency,
             GError            **error)
{
  g_autoptr(GString) out = g_string_new (header);
  g_autoptr(BbCsvWriter) writer = NULL;

  g_string_append_c (out, '\n');
  writer = bb_csv_writer_new_for_string (out);
  for (guint i = 0; i < rows->len; i++)
    {
      g_auto(GStrv) fields = row_fields (g_ptr_array_index (rows, i), currency);

      if (!bb_csv_writer_write_row (writer, (const char * const *) fields, text_columns, error))
        return NULL;
    }

  g_clear_pointer (&writer, bb_csv_writer_free);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* 1250 basis points → "12.50" */
static char *
percent_plain (BbRate rate)
{
  return g_strdup_printf ("%s%d.%02d", rate < 0 ? "-" : "", ABS (rate) / 100, ABS (rate) % 100);
}

static char *
count_plain (gint64 n)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

/* Names are text a spreadsheet must not run; codes too. */
static const gboolean aging_text_columns[] = { TRUE, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE };
static const gboolean top_text_columns[] = { TRUE, TRUE, FALSE };
static const gboolean no_text_columns[] = { FALSE, FALSE, FALSE, FALSE, FALSE };

static char **
aging_fields (gconstpointer      data,
              const BbCurrency  *currency)
{
  const BbAgingRow *row = data;

  return fields_take (8, g_strdup (row->customer_code), g_strdup (row->name),
                      bb_money_format_plain (row->current, currency),
                      bb_money_format_plain (row->d1_30, currency),
                      bb_money_format_plain (row->d31_60, currency),
                      bb_money_format_plain (row->d61_90, currency),
                      bb_money_format_plain (row->d90_plus, currency),
                      bb_money_format_plain (row->total, currency));
}

/**
 * bb_reports_aging_to_csv:
 * @rows: (element-type BbAgingRow): as bb_reports_aging() gives them
 * @currency: the book's
 *
 * Returns: (transfer full): the report as CSV with the header row
 *   %BB_AGING_CSV_HEADER, amounts with a dot and the currency's decimals
 */
char *
bb_reports_aging_to_csv (GPtrArray         *rows,
                         const BbCurrency  *currency,
                         GError           **error)
{
  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  return rows_to_csv (BB_AGING_CSV_HEADER, rows, aging_fields, aging_text_columns, currency, error);
}

static char **
collections_fields (gconstpointer      data,
                    const BbCurrency  *currency)
{
  const BbCollectionsRow *row = data;

  return fields_take (2, g_strdup (row->month), bb_money_format_plain (row->amount, currency));
}

/**
 * bb_reports_collections_to_csv:
 * @rows: (element-type BbCollectionsRow): as bb_reports_collections()
 *   gives them
 * @currency: the book's
 *
 * Returns: (transfer full): the report as CSV with the header row
 *   %BB_COLLECTIONS_CSV_HEADER
 */
char *
bb_reports_collections_to_csv (GPtrArray         *rows,
                               const BbCurrency  *currency,
                               GError           **error)
{
  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  return rows_to_csv (BB_COLLECTIONS_CSV_HEADER, rows, collections_fields, no_text_columns, currency, error);
}

static char **
methods_fields (gconstpointer      data,
                const BbCurrency  *currency)
{
  const BbMethodRow *row = data;

  return fields_take (2, g_strdup (bb_payment_method_to_string (row->method)),
                      bb_money_format_plain (row->amount, currency));
}

/**
 * bb_reports_methods_to_csv:
 * @rows: (element-type BbMethodRow): as bb_reports_methods() gives them
 *
 * Returns: (transfer full): the report as CSV with the header row
 *   %BB_METHODS_CSV_HEADER, methods as files write them ("wechat_pay")
 */
char *
bb_reports_methods_to_csv (GPtrArray         *rows,
                           const BbCurrency  *currency,
                           GError           **error)
{
  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  return rows_to_csv (BB_METHODS_CSV_HEADER, rows, methods_fields, no_text_columns, currency, error);
}

static char **
top_fields (gconstpointer      data,
            const BbCurrency  *currency)
{
  const BbTopRow *row = data;

  return fields_take (3, g_strdup (row->customer_code), g_strdup (row->name),
                      bb_money_format_plain (row->amount, currency));
}

/**
 * bb_reports_top_to_csv:
 * @rows: (element-type BbTopRow): as bb_reports_top() gives them
 * @by: what they were ranked by: names the last column
 *
 * Returns: (transfer full): the report as CSV with the header row
 *   %BB_TOP_PAID_CSV_HEADER, %BB_TOP_BILLED_CSV_HEADER or
 *   %BB_TOP_OWED_CSV_HEADER
 */
char *
bb_reports_top_to_csv (GPtrArray         *rows,
                       BbTopBy            by,
                       const BbCurrency  *currency,
                       GError           **error)
{
  static const char * const headers[] = {
    BB_TOP_PAID_CSV_HEADER, BB_TOP_BILLED_CSV_HEADER, BB_TOP_OWED_CSV_HEADER,
  };

  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);
  g_return_val_if_fail ((guint) by < G_N_ELEMENTS (headers), NULL);

  return rows_to_csv (headers[by], rows, top_fields, top_text_columns, currency, error);
}

static char **
classes_fields (gconstpointer      data,
                const BbCurrency  *currency)
{
  const BbClassRow *row = data;

  return fields_take (5, g_strdup_printf ("%c", row->klass), count_plain (row->customers),
                      percent_plain (row->customers_share),
                      bb_money_format_plain (row->billed, currency),
                      percent_plain (row->billed_share));
}

/**
 * bb_reports_classes_to_csv:
 * @rows: (element-type BbClassRow): as bb_reports_classes() gives them
 *
 * Returns: (transfer full): the report as CSV with the header row
 *   %BB_CLASSES_CSV_HEADER, shares in percent with two decimals
 */
char *
bb_reports_classes_to_csv (GPtrArray         *rows,
                           const BbCurrency  *currency,
                           GError           **error)
{
  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  return rows_to_csv (BB_CLASSES_CSV_HEADER, rows, classes_fields, no_text_columns, currency, error);
}

static char **
liability_fields (gconstpointer      data,
                  const BbCurrency  *currency)
{
  const BbLiabilityRow *row = data;

  return fields_take (2, g_strdup (row->month), bb_money_format_plain (row->balance, currency));
}

/**
 * bb_reports_liability_to_csv:
 * @rows: (element-type BbLiabilityRow): as bb_reports_liability() gives
 *   them
 *
 * Returns: (transfer full): the report as CSV with the header row
 *   %BB_LIABILITY_CSV_HEADER
 */
char *
bb_reports_liability_to_csv (GPtrArray         *rows,
                             const BbCurrency  *currency,
                             GError           **error)
{
  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  return rows_to_csv (BB_LIABILITY_CSV_HEADER, rows, liability_fields, no_text_columns, currency, error);
}

static char **
on_time_fields (gconstpointer      data,
                const BbCurrency  *currency)
{
  const BbOnTimeRow *row = data;

  /* Empty for a month in which nothing fell due. */
  return fields_take (4, g_strdup (row->month), count_plain (row->due), count_plain (row->on_time),
                      row->due > 0 ? percent_plain (row->rate) : NULL);
}

/**
 * bb_reports_on_time_to_csv:
 * @rows: (element-type BbOnTimeRow): as bb_reports_on_time() gives them
 *
 * Returns: (transfer full): the report as CSV with the header row
 *   %BB_ON_TIME_CSV_HEADER; the percentage is empty for a month in which
 *   nothing fell due
 */
char *
bb_reports_on_time_to_csv (GPtrArray  *rows,
                           GError    **error)
{
  g_return_val_if_fail (rows != NULL, NULL);

  return rows_to_csv (BB_ON_TIME_CSV_HEADER, rows, on_time_fields, no_text_columns, NULL, error);
}

/* ---- In a thread ---------------------------------------------------- */

typedef struct
{
  char     *path;
  gboolean  aging;
  gboolean  has_from;
  gboolean  has_to;
  GDate     as_of;
  GDate     from;
  GDate     to;
} ReportTaskData;

static void
report_task_data_free (ReportTaskData *td)
{
  g_free (td->path);
  g_free (td);
}

static void
report_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReportTaskData *td = task_data;
  g_autoptr(BbDb) db = NULL;
  GPtrArray *rows;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Its own connection: the caller's stays free for the window. */
  db = bb_db_open (td->path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (td->aging)
    rows = bb_reports_aging (db, &td->as_of, &error);
  else
    rows = bb_reports_collections (db, td->has_from ? &td->from : NULL,
                                   td->has_to ? &td->to : NULL, &error);

  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

static void
run_report (BbDb                *db,
            ReportTaskData      *td,
            gpointer             source_tag,
            const char          *name,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (db, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, name);
  td->path = g_strdup (bb_db_get_path (db));
  g_task_set_task_data (task, td, (GDestroyNotify) report_task_data_free);
  g_task_run_in_thread (task, report_thread);
}

/**
 * bb_reports_aging_async:
 *
 * Runs bb_reports_aging() in a thread with a connection of its own, so
 * the window never freezes on a big book.
 */
void
bb_reports_aging_async (BbDb                *db,
                        const GDate         *as_of,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  ReportTaskData *td;

  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (as_of != NULL && g_date_valid (as_of));

  td = g_new0 (ReportTaskData, 1);
  td->aging = TRUE;
  td->as_of = *as_of;
  run_report (db, td, bb_reports_aging_async, "[billbook] aging report",
              cancellable, callback, user_data);
}

/**
 * bb_reports_aging_finish:
 *
 * Returns: (transfer full) (element-type BbAgingRow): as bb_reports_aging()
 */
GPtrArray *
bb_reports_aging_finish (BbDb          *db,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_reports_aging_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bb_reports_collections_async:
 * @from: (nullable): as for bb_reports_collections()
 * @to: (nullable): as for bb_reports_collections()
 *
 * Runs bb_reports_collections() in a thread with a connection of its own.
 */
void
bb_reports_collections_async (BbDb                *db,
                              const GDate         *from,
                              const GDate         *to,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  ReportTaskData *td;

  g_return_if_fail (BB_IS_DB (db));

  td = g_new0 (ReportTaskData, 1);
  td->has_from = from != NULL;
  td->has_to = to != NULL;
  if (from)
    td->from = *from;
  if (to)
    td->to = *to;
  run_report (db, td, bb_reports_collections_async, "[billbook] collections report",
              cancellable, callback, user_data);
}

/**
 * bb_reports_collections_finish:
 *
 * Returns: (transfer full) (element-type BbCollectionsRow): as
 *   bb_reports_collections()
 */
GPtrArray *
bb_reports_collections_finish (BbDb          *db,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_reports_collections_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Every report of a period, in a thread -------------------------- */

void
bb_report_set_free (BbReportSet *set)
{
  if (set == NULL)
    return;

  g_clear_pointer (&set->collections, g_ptr_array_unref);
  g_clear_pointer (&set->aging, g_ptr_array_unref);
  g_clear_pointer (&set->methods, g_ptr_array_unref);
  g_clear_pointer (&set->top, g_ptr_array_unref);
  g_clear_pointer (&set->classes, g_ptr_array_unref);
  g_clear_pointer (&set->liability, g_ptr_array_unref);
  g_clear_pointer (&set->on_time, g_ptr_array_unref);
  g_free (set);
}

typedef struct
{
  char  *path;
  GDate  from;
  GDate  to;
  guint  top_limit;
  BbReportKinds kinds;
} PeriodTaskData;

static void
period_task_data_free (PeriodTaskData *td)
{
  g_free (td->path);
  g_free (td);
}

static void
period_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PeriodTaskData *td = task_data;
  g_autoptr(BbReportSet) set = g_new0 (BbReportSet, 1);
  g_autoptr(GPtrArray) today_liability = NULL;
  g_autoptr(BbDb) db = NULL;
  GError *error = NULL;
  GDate today;

  if (g_task_return_error_if_cancelled (task))
    return;

  db = bb_db_open (td->path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  bb_date_set_today (&today);

  /* One after the other, giving up between two when cancelled. */
#define STEP(expr) \
  G_STMT_START { \
    if (g_task_return_error_if_cancelled (task)) \
      return; \
    if ((expr) == NULL) \
      { \
        g_task_return_error (task, error); \
        return; \
      } \
  } G_STMT_END

  if (td->kinds & BB_REPORT_COLLECTIONS)
    {
      g_autoptr(GPtrArray) this_month = NULL;
      GDate first = today;

      STEP (set->collections = bb_reports_collections (db, &td->from, &td->to, &error));
      g_date_set_day (&first, 1);
      STEP (this_month = bb_reports_collections (db, &first, &today, &error));
      if (this_month->len > 0)
        set->received_this_month = ((BbCollectionsRow *) g_ptr_array_index (this_month, 0))->amount;
    }
  if (td->kinds & BB_REPORT_AGING)
    STEP (set->aging = bb_reports_aging (db, &today, &error));
  if (td->kinds & BB_REPORT_METHODS)
    STEP (set->methods = bb_reports_methods (db, &td->from, &td->to, &error));
  if (td->kinds & BB_REPORT_TOP)
    STEP (set->top = bb_reports_top (db, BB_TOP_BY_PAID, &td->from, &td->to, td->top_limit, &error));
  if (td->kinds & BB_REPORT_CLASSES)
    STEP (set->classes = bb_reports_classes (db, &td->from, &td->to, &error));
  if (td->kinds & BB_REPORT_LIABILITY)
    {
      STEP (set->liability = bb_reports_liability (db, &td->from, &td->to, &error));
      STEP (today_liability = bb_reports_liability (db, &today, &today, &error));
      if (today_liability->len > 0)
        set->liability_today = ((BbLiabilityRow *) g_ptr_array_index (today_liability, 0))->balance;
    }
  if (td->kinds & BB_REPORT_ON_TIME)
    STEP (set->on_time = bb_reports_on_time (db, &td->from, &td->to, &today, &error));
#undef STEP

  g_task_return_pointer (task, g_steal_pointer (&set), (GDestroyNotify) bb_report_set_free);
}

/**
 * bb_reports_period_async:
 * @from: the first day of the period
 * @to: the last day of the period
 * @top_limit: how many top customers (by paid)
 * @kinds: which reports
 *
 * Computes the reports of the reports page in a thread with a connection
 * of its own: collections, methods, top customers, classes, prepaid
 * liability and on-time payment for the period, aging and the cards'
 * balance as of today; those of @kinds, one after the other.
 */
void
bb_reports_period_async (BbDb                *db,
                         const GDate         *from,
                         const GDate         *to,
                         guint                top_limit,
                         BbReportKinds        kinds,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PeriodTaskData *td;

  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (from != NULL && g_date_valid (from));
  g_return_if_fail (to != NULL && g_date_valid (to));

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_reports_period_async);
  g_task_set_name (task, "[billbook] reports of a period");
  td = g_new0 (PeriodTaskData, 1);
  td->path = g_strdup (bb_db_get_path (db));
  td->from = *from;
  td->to = *to;
  td->top_limit = top_limit;
  td->kinds = kinds;
  g_task_set_task_data (task, td, (GDestroyNotify) period_task_data_free);
  g_task_run_in_thread (task, period_thread);
}

/**
 * bb_reports_period_finish:
 *
 * Returns: (transfer full): the reports, or %NULL with @error set
 */
BbReportSet *
bb_reports_period_finish (BbDb          *db,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_reports_period_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
