/* bb-recurring.c — recurring charges: a customer billed every week, month, quarter or year
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A charge bills one period at a time: next_on is the date of the next
 * period not yet billed. bb_recurring_run() makes one draft bill for
 * every period due (catching up after the machine was off) and moves
 * next_on past it, in the same write transaction, per charge.
 *
 * Never twice for the same period:
 * - the transaction is BEGIN IMMEDIATE (bb_db_begin()), and next_on is
 *   read again inside it, so a second process — the window starting while
 *   `billbook-cli recur` runs — waits, then finds the periods billed;
 * - the bill and the new next_on are committed together, so a crash
 *   leaves neither or both;
 * - each bill records its charge and period (invoices.recurring_id,
 *   invoices.recurring_period, UNIQUE together in the schema), and a
 *   period already billed is stepped over, even when the owner moved
 *   next_on back by editing the charge.
 *
 * Periods are named by bb_recurring_period_label(): "2026-03" for a
 * monthly or quarterly charge (the month the period starts), "2026" for
 * a yearly one, the date for a weekly one.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoices.h"
#include "bb-recurring.h"
#include "bb-text.h"

#define MAX_DESCRIPTION_CHARS 200

/* Times bb_recurring_run() waits for a charge while another process holds
 * the book (each wait is the book's busy timeout). */
#define MAX_BUSY_ATTEMPTS 12

G_DEFINE_FINAL_TYPE (BbRecurringCharge, bb_recurring_charge, G_TYPE_OBJECT)

/* As the schema's CHECK writes them. */
static const char * const interval_names[BB_RECURRING_N_INTERVALS] = {
  [BB_RECURRING_WEEKLY] = "weekly",
  [BB_RECURRING_MONTHLY] = "monthly",
  [BB_RECURRING_QUARTERLY] = "quarterly",
  [BB_RECURRING_YEARLY] = "yearly",
};

static const char * const interval_labels[BB_RECURRING_N_INTERVALS] = {
  [BB_RECURRING_WEEKLY] = N_("Weekly"),
  [BB_RECURRING_MONTHLY] = N_("Monthly"),
  [BB_RECURRING_QUARTERLY] = N_("Quarterly"),
  [BB_RECURRING_YEARLY] = N_("Yearly"),
};

static void
bb_recurring_charge_finalize (GObject *object)
{
  BbRecurringCharge *self = (BbRecurringCharge *) object;

  g_free (self->description);
  g_free (self->start_on);
  g_free (self->next_on);
  g_free (self->end_on);
  g_free (self->created_at);
  g_free (self->customer_code);
  g_free (self->customer_name);

  G_OBJECT_CLASS (bb_recurring_charge_parent_class)->finalize (object);
}

static void
bb_recurring_charge_class_init (BbRecurringChargeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_recurring_charge_finalize;
}

static void
bb_recurring_charge_init (BbRecurringCharge *self)
{
  GDate today;

  bb_date_set_today (&today);
  self->description = g_strdup ("");
  self->interval = BB_RECURRING_MONTHLY;
  self->start_on = bb_date_to_iso (&today);
  self->next_on = g_strdup ("");
  self->active = TRUE;
}

/**
 * bb_recurring_charge_new:
 *
 * Returns: (transfer full): an active monthly charge starting today, of
 *   nothing yet; set its customer, description and amount
 */
BbRecurringCharge *
bb_recurring_charge_new (void)
{
  return g_object_new (BB_TYPE_RECURRING_CHARGE, NULL);
}

const char *
bb_recurring_interval_to_string (BbRecurringInterval interval)
{
  g_return_val_if_fail ((guint) interval < BB_RECURRING_N_INTERVALS, NULL);

  return interval_names[interval];
}

gboolean
bb_recurring_interval_from_string (const char          *text,
                                   BbRecurringInterval *interval)
{
  for (guint i = 0; i < BB_RECURRING_N_INTERVALS; i++)
    if (g_strcmp0 (text, interval_names[i]) == 0)
      {
        if (interval)
          *interval = (BbRecurringInterval) i;
        return TRUE;
      }

  return FALSE;
}

/* "Monthly", translated. */
const char *
bb_recurring_interval_label (BbRecurringInterval interval)
{
  g_return_val_if_fail ((guint) interval < BB_RECURRING_N_INTERVALS, NULL);

  return _(interval_labels[interval]);
}

static guint
interval_months (BbRecurringInterval interval)
{
  switch (interval)
    {
    case BB_RECURRING_MONTHLY:
      return 1;
    case BB_RECURRING_QUARTERLY:
      return 3;
    case BB_RECURRING_YEARLY:
      return 12;
    case BB_RECURRING_WEEKLY:
    default:
      return 0;
    }
}

/* The day a charge anchored on @anchor_day falls on in @month of @year:
 * the anchor, or the month's last day when the month is shorter. */
static GDateDay
clamp_day (guint      anchor_day,
           GDateMonth month,
           GDateYear  year)
{
  guint8 last = g_date_get_days_in_month (month, year);

  return (GDateDay) MIN (anchor_day, (guint) last);
}

/**
 * bb_recurring_next_date:
 * @interval: how often the charge bills
 * @anchor_day: 1 … 31, the day of the month the charge falls on
 *   (ignored by weekly charges)
 * @date: the date of a period
 * @next: (out caller-allocates): the date of the period after it
 *
 * Weekly: seven days on. Monthly, quarterly, yearly: 1, 3 or 12 months
 * on, on @anchor_day or, in a shorter month, on the month's last day.
 * The anchor is kept, so dates never drift: anchored on the 31st,
 * Jan 31 → Feb 28 (29 in a leap year) → Mar 31 → Apr 30 → May 31.
 *
 * A pure function: no book, no clock.
 */
void
bb_recurring_next_date (BbRecurringInterval  interval,
                        guint                anchor_day,
                        const GDate         *date,
                        GDate               *next)
{
  guint months = interval_months (interval);
  guint month0;
  guint year;

  g_return_if_fail (date != NULL && g_date_valid (date));
  g_return_if_fail (next != NULL);
  g_return_if_fail ((guint) interval < BB_RECURRING_N_INTERVALS);

  if (interval == BB_RECURRING_WEEKLY)
    {
      *next = *date;
      g_date_add_days (next, 7);
      return;
    }

  g_return_if_fail (anchor_day >= 1 && anchor_day <= 31);

  month0 = (guint) g_date_get_month (date) - 1 + months;
  year = (guint) g_date_get_year (date) + month0 / 12;
  month0 %= 12;

  g_date_clear (next, 1);
  g_date_set_dmy (next,
                  clamp_day (anchor_day, (GDateMonth) (month0 + 1), (GDateYear) year),
                  (GDateMonth) (month0 + 1),
                  (GDateYear) year);
}

/**
 * bb_recurring_period_label:
 * @date: the date of a period
 *
 * Names the period a bill is for, as kept in invoices.recurring_period
 * and written in the bill's notes: "2026-03" (monthly, quarterly: the
 * month the period starts), "2026" (yearly), "2026-03-02" (weekly: the
 * day the week starts).
 *
 * Returns: (transfer full): the name
 */
char *
bb_recurring_period_label (BbRecurringInterval  interval,
                           const GDate         *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  switch (interval)
    {
    case BB_RECURRING_MONTHLY:
    case BB_RECURRING_QUARTERLY:
      return g_strdup_printf ("%04u-%02u", (guint) g_date_get_year (date), (guint) g_date_get_month (date));
    case BB_RECURRING_YEARLY:
      return g_strdup_printf ("%04u", (guint) g_date_get_year (date));
    case BB_RECURRING_WEEKLY:
    default:
      return bb_date_to_iso (date);
    }
}

/* ---- Reading -------------------------------------------------------- */

#define CHARGE_COLUMNS \
  "r.id, r.customer_id, r.description, r.amount, r.tax_rate, r.interval, r.anchor_day, " \
  "r.start_on, r.next_on, r.end_on, r.active, r.created_at, c.code, c.name"

static BbRecurringCharge *
charge_from_row (sqlite3_stmt *stmt)
{
  BbRecurringCharge *charge = bb_recurring_charge_new ();

#define TEXT(field, col) do { g_free (charge->field); charge->field = _bb_stmt_dup_text (stmt, col); } while (0)
  charge->id = sqlite3_column_int64 (stmt, 0);
  charge->customer_id = sqlite3_column_int64 (stmt, 1);
  TEXT (description, 2);
  charge->amount = sqlite3_column_int64 (stmt, 3);
  charge->tax_rate = sqlite3_column_int (stmt, 4);
  bb_recurring_interval_from_string ((const char *) sqlite3_column_text (stmt, 5), &charge->interval);
  charge->anchor_day = (guint) sqlite3_column_int (stmt, 6);
  TEXT (start_on, 7);
  TEXT (next_on, 8);
  TEXT (end_on, 9);
  charge->active = sqlite3_column_int (stmt, 10) != 0;
  TEXT (created_at, 11);
  TEXT (customer_code, 12);
  TEXT (customer_name, 13);
#undef TEXT

  return charge;
}

BbRecurringCharge *
bb_recurring_get (BbDb     *db,
                  gint64    id,
                  GError  **error)
{
  BbRecurringCharge *charge = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  stmt = _bb_db_prepare (db,
                         "SELECT " CHARGE_COLUMNS " FROM recurring_charges r "
                         "JOIN customers c ON c.id = r.customer_id WHERE r.id = ?1",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    charge = charge_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND, _("The recurring charge no longer exists"));

  return charge;
}

static GPtrArray *
list_rows (BbDb          *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  g_autoptr(GPtrArray) charges = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (charges, charge_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&charges);
}

/**
 * bb_recurring_list_for_customer:
 *
 * Returns: (transfer full) (element-type BbRecurringCharge): the
 *   customer's charges, active ones first, by next date
 */
GPtrArray *
bb_recurring_list_for_customer (BbDb     *db,
                                gint64    customer_id,
                                GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  stmt = _bb_db_prepare (db,
                         "SELECT " CHARGE_COLUMNS " FROM recurring_charges r "
                         "JOIN customers c ON c.id = r.customer_id WHERE r.customer_id = ?1 "
                         "ORDER BY r.active DESC, r.next_on, r.id",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);

  return list_rows (db, stmt, error);
}

/**
 * bb_recurring_list:
 * @offset: rows to skip
 * @limit: at most this many rows
 *
 * Every charge of the book, a page at a time, by customer code.
 *
 * Returns: (transfer full) (element-type BbRecurringCharge): the charges
 */
GPtrArray *
bb_recurring_list (BbDb     *db,
                   guint     offset,
                   guint     limit,
                   GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  stmt = _bb_db_prepare (db,
                         "SELECT " CHARGE_COLUMNS " FROM recurring_charges r "
                         "JOIN customers c ON c.id = r.customer_id "
                         "ORDER BY c.code, r.id LIMIT ?1 OFFSET ?2",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  sqlite3_bind_int64 (stmt, 2, offset);

  return list_rows (db, stmt, error);
}

/* ---- Saving --------------------------------------------------------- */

/* Is @date on the day a charge anchored on @anchor_day falls on? */
static gboolean
on_anchor (guint        anchor_day,
           const GDate *date)
{
  return g_date_get_day (date) == clamp_day (anchor_day, g_date_get_month (date), g_date_get_year (date));
}

static gboolean
check_on_schedule (BbRecurringCharge  *charge,
                   const char         *field,
                   const char         *text,
                   const GDate        *date,
                   const GDate        *start,
                   GError            **error)
{
  if (charge->interval == BB_RECURRING_WEEKLY)
    {
      if (start != NULL && g_date_days_between (start, date) % 7 != 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: %s is not on the weekday the charge started on (%s)"),
                       field, text, charge->start_on);
          return FALSE;
        }
      return TRUE;
    }

  if (!on_anchor (charge->anchor_day, date))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: %s is not on day %u of the month (or the last day of a shorter month)"),
                   field, text, charge->anchor_day);
      return FALSE;
    }

  return TRUE;
}

/**
 * bb_recurring_validate:
 *
 * Checks every field; the message of @error names the first one that is
 * wrong. Fills in what a new charge may leave empty: the anchor day (the
 * day of start_on) and next_on (start_on), and tidies the description
 * and an empty end_on (none).
 */
gboolean
bb_recurring_validate (BbDb               *db,
                       BbRecurringCharge  *charge,
                       GError            **error)
{
  g_autoptr(BbCustomer) customer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *description = NULL;
  GDate start, next, end;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (BB_IS_RECURRING_CHARGE (charge), FALSE);

  if (charge->customer_id == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Customer: choose who is billed"));
      return FALSE;
    }
  customer = bb_customers_get (db, charge->customer_id, &local_error);
  if (customer == NULL)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Customer: %s"), local_error->message);
      return FALSE;
    }
  if (customer->erased)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Customer: the personal data of this customer was erased"));
      return FALSE;
    }

  description = bb_text_strip (charge->description);
  if (!bb_text_validate (description, _("Description"), MAX_DESCRIPTION_CHARS, FALSE, error))
    return FALSE;
  if (*description == '\0')
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Description: say what the customer is billed for"));
      return FALSE;
    }

  if (charge->amount <= 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Amount: must be more than zero"));
      return FALSE;
    }
  if (charge->tax_rate < 0 || charge->tax_rate > 10 * BB_RATE_ONE_HUNDRED_PERCENT)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Tax: must be between 0 and 1000 %%"));
      return FALSE;
    }
  {
    /* The bill's line must not overflow: amount × 1 plus its tax. */
    BbMoney tax;

    if (!bb_money_apply_rate (charge->amount, charge->tax_rate, &tax) ||
        !bb_money_add (charge->amount, tax, &tax))
      {
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Amount: too large"));
        return FALSE;
      }
  }

  if ((guint) charge->interval >= BB_RECURRING_N_INTERVALS)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Interval: choose weekly, monthly, quarterly or yearly"));
      return FALSE;
    }

  if (!bb_date_parse (charge->start_on, _("Starts on"), &start, error))
    return FALSE;

  if (charge->anchor_day > 31)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Day of the month: %u is not between 1 and 31"), charge->anchor_day);
      return FALSE;
    }
  if (charge->anchor_day == 0)
    charge->anchor_day = g_date_get_day (&start);

  if (!check_on_schedule (charge, _("Starts on"), charge->start_on, &start, NULL, error))
    return FALSE;

  if (charge->next_on == NULL || *charge->next_on == '\0')
    {
      g_free (charge->next_on);
      charge->next_on = bb_date_to_iso (&start);
    }
  if (!bb_date_parse (charge->next_on, _("Next bill on"), &next, error))
    return FALSE;
  if (g_date_compare (&next, &start) < 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Next bill on: %s is before the start %s"), charge->next_on, charge->start_on);
      return FALSE;
    }
  if (!check_on_schedule (charge, _("Next bill on"), charge->next_on, &next, &start, error))
    return FALSE;

  if (charge->end_on != NULL && *charge->end_on == '\0')
    g_clear_pointer (&charge->end_on, g_free);
  if (charge->end_on != NULL)
    {
      if (!bb_date_parse (charge->end_on, _("Ends on"), &end, error))
        return FALSE;
      if (g_date_compare (&end, &start) < 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Ends on: %s is before the start %s"), charge->end_on, charge->start_on);
          return FALSE;
        }
    }

  g_free (charge->description);
  charge->description = g_steal_pointer (&description);

  return TRUE;
}

static gboolean
save_in_transaction (BbDb     *db,
                     gpointer  user_data,
                     GError  **error)
{
  BbRecurringCharge *charge = user_data;
  g_autofree char *now = _bb_db_now_utc ();
  sqlite3_stmt *stmt;
  gboolean is_new = charge->id == 0;

  if (!bb_recurring_validate (db, charge, error))
    return FALSE;

  if (is_new)
    stmt = _bb_db_prepare (db,
                           "INSERT INTO recurring_charges (customer_id, description, amount, tax_rate, "
                           "  interval, anchor_day, start_on, next_on, end_on, active, created_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                           error);
  else
    stmt = _bb_db_prepare (db,
                           "UPDATE recurring_charges SET customer_id = ?1, description = ?2, amount = ?3, "
                           "  tax_rate = ?4, interval = ?5, anchor_day = ?6, start_on = ?7, next_on = ?8, "
                           "  end_on = ?9, active = ?10 "
                           "WHERE id = ?11",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, charge->customer_id);
  _bb_stmt_bind_text (stmt, 2, charge->description);
  sqlite3_bind_int64 (stmt, 3, charge->amount);
  sqlite3_bind_int (stmt, 4, charge->tax_rate);
  _bb_stmt_bind_text (stmt, 5, interval_names[charge->interval]);
  sqlite3_bind_int (stmt, 6, (int) charge->anchor_day);
  _bb_stmt_bind_text (stmt, 7, charge->start_on);
  _bb_stmt_bind_text (stmt, 8, charge->next_on);
  _bb_stmt_bind_text (stmt, 9, charge->end_on);
  sqlite3_bind_int (stmt, 10, charge->active ? 1 : 0);
  if (is_new)
    _bb_stmt_bind_text (stmt, 11, now);
  else
    sqlite3_bind_int64 (stmt, 11, charge->id);

  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  if (is_new)
    {
      charge->id = sqlite3_last_insert_rowid (_bb_db_get_handle (db));
      g_free (charge->created_at);
      charge->created_at = g_steal_pointer (&now);
    }
  else if (sqlite3_changes (_bb_db_get_handle (db)) == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND, _("The recurring charge no longer exists"));
      return FALSE;
    }

  if (!_bb_db_audit (db, is_new ? "create" : "update", "recurring_charges", charge->id,
                     charge->description, error))
    return FALSE;

  bb_db_emit_changed (db, "recurring_charges", charge->id);
  return TRUE;
}

/**
 * bb_recurring_save:
 * @charge: a new charge (its id is set) or one read from the book
 *
 * Validates (see bb_recurring_validate()) and stores the charge in one
 * transaction. Moving next_on back never bills a period twice: periods
 * already billed are stepped over by bb_recurring_run().
 */
gboolean
bb_recurring_save (BbDb               *db,
                   BbRecurringCharge  *charge,
                   GError            **error)
{
  gint64 old_id;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (BB_IS_RECURRING_CHARGE (charge), FALSE);

  old_id = charge->id;
  if (!bb_db_transaction (db, save_in_transaction, charge, error))
    {
      charge->id = old_id;
      return FALSE;
    }

  return TRUE;
}

static gboolean
stop_in_transaction (BbDb     *db,
                     gpointer  user_data,
                     GError  **error)
{
  gint64 id = *(gint64 *) user_data;
  g_autoptr(BbRecurringCharge) charge = bb_recurring_get (db, id, error);
  sqlite3_stmt *stmt;

  if (charge == NULL)
    return FALSE;
  if (!charge->active)
    return TRUE;

  stmt = _bb_db_prepare (db, "UPDATE recurring_charges SET active = 0 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_bb_db_step_done (db, stmt, error) ||
      !_bb_db_audit (db, "stop", "recurring_charges", id, "", error))
    return FALSE;

  bb_db_emit_changed (db, "recurring_charges", id);
  return TRUE;
}

/**
 * bb_recurring_stop:
 *
 * Stops a charge: it makes no more bills. The bills it made stay, and
 * keep saying which charge and period they are for. Stopping a stopped
 * charge does nothing.
 */
gboolean
bb_recurring_stop (BbDb     *db,
                   gint64    id,
                   GError  **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  return bb_db_transaction (db, stop_in_transaction, &id, error);
}

static gboolean
delete_in_transaction (BbDb     *db,
                       gpointer  user_data,
                       GError  **error)
{
  gint64 id = *(gint64 *) user_data;
  g_autoptr(BbRecurringCharge) charge = bb_recurring_get (db, id, error);
  sqlite3_stmt *stmt;
  gint64 n_bills = 0;

  if (charge == NULL)
    return FALSE;

  stmt = _bb_db_prepare (db, "SELECT count(*) FROM invoices WHERE recurring_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (_bb_db_step (db, stmt, error) != SQLITE_ROW)
    return FALSE;
  n_bills = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (n_bills > 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The charge made %u bill; stop it instead, so the bill keeps saying where it came from",
                                "The charge made %u bills; stop it instead, so the bills keep saying where they came from",
                                (gulong) n_bills),
                   (guint) n_bills);
      return FALSE;
    }

  stmt = _bb_db_prepare (db, "DELETE FROM recurring_charges WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_bb_db_step_done (db, stmt, error) ||
      !_bb_db_audit (db, "delete", "recurring_charges", id, charge->description, error))
    return FALSE;

  bb_db_emit_changed (db, "recurring_charges", id);
  return TRUE;
}

/**
 * bb_recurring_delete:
 *
 * Deletes a charge that has not made any bill yet (one entered by
 * mistake). A charge that has made bills is stopped instead
 * (bb_recurring_stop()).
 */
gboolean
bb_recurring_delete (BbDb     *db,
                     gint64    id,
                     GError  **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  return bb_db_transaction (db, delete_in_transaction, &id, error);
}

/* ---- Billing -------------------------------------------------------- */

typedef struct
{
  gint64       id;
  const GDate *as_of;
  guint        n_bills;     /* made by this charge, in this transaction */
} RunData;

static gboolean
period_billed (BbDb        *db,
               gint64       id,
               const char  *period,
               gboolean    *billed,
               GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT 1 FROM invoices WHERE recurring_id = ?1 AND recurring_period = ?2",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  _bb_stmt_bind_text (stmt, 2, period);
  rc = _bb_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;

  *billed = rc == SQLITE_ROW;
  return TRUE;
}

/* One draft bill for one period of @charge, dated the period's date and
 * due by the customer's terms, as every draft. */
static gboolean
make_bill (BbDb               *db,
           BbRecurringCharge  *charge,
           const GDate        *date,
           const char         *period,
           const char         *currency,
           GError            **error)
{
  g_autoptr(BbInvoice) inv = bb_invoice_new ();
  sqlite3_stmt *stmt;

  inv->customer_id = charge->customer_id;
  g_free (inv->issued_on);
  inv->issued_on = bb_date_to_iso (date);
  g_free (inv->currency);
  inv->currency = g_strdup (currency);
  g_free (inv->notes);
  /* TRANSLATORS: the note on a bill made by a recurring charge: how
   * often, what for, which period. "Monthly: Car wash membership, 2026-03" */
  inv->notes = g_strdup_printf (_("%s: %s, %s"),
                                bb_recurring_interval_label (charge->interval),
                                charge->description, period);
  bb_invoice_add_line (inv, charge->description, BB_QUANTITY_ONE, charge->amount, 0, charge->tax_rate);

  if (!bb_invoices_save_draft (db, inv, error))
    return FALSE;

  /* The unique key (recurring_id, recurring_period) is the last guard. */
  stmt = _bb_db_prepare (db,
                         "UPDATE invoices SET recurring_id = ?2, recurring_period = ?3 "
                         "WHERE id = ?1 AND status = 'draft'",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, inv->id);
  sqlite3_bind_int64 (stmt, 2, charge->id);
  _bb_stmt_bind_text (stmt, 3, period);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  return _bb_db_audit (db, "recur", "invoices", inv->id, inv->notes, error);
}

static gboolean
run_charge_in_transaction (BbDb     *db,
                           gpointer  user_data,
                           GError  **error)
{
  RunData *data = user_data;
  g_autoptr(BbRecurringCharge) charge = NULL;
  g_autoptr(BbCustomer) customer = NULL;
  g_autofree char *next_iso = NULL;
  const char *currency = bb_business_get_currency (db)->code;
  gboolean has_end = FALSE;
  gboolean moved = FALSE;
  GDate next, end;
  sqlite3_stmt *stmt;

  /* Read again inside the write transaction: another process may have
   * billed these periods since the list of due charges was made. */
  charge = bb_recurring_get (db, data->id, error);
  if (charge == NULL)
    return FALSE;
  if (!charge->active)
    return TRUE;

  customer = bb_customers_get (db, charge->customer_id, error);
  if (customer == NULL)
    return FALSE;
  if (customer->erased)
    return TRUE;

  if (!bb_date_parse (charge->next_on, _("Next bill on"), &next, error))
    return FALSE;
  if (charge->end_on != NULL && *charge->end_on != '\0')
    {
      if (!bb_date_parse (charge->end_on, _("Ends on"), &end, error))
        return FALSE;
      has_end = TRUE;
    }

  while (g_date_compare (&next, data->as_of) <= 0 &&
         (!has_end || g_date_compare (&next, &end) <= 0))
    {
      g_autofree char *period = bb_recurring_period_label (charge->interval, &next);
      gboolean billed = FALSE;
      GDate after;

      if (!period_billed (db, charge->id, period, &billed, error))
        return FALSE;

      if (!billed)
        {
          if (!make_bill (db, charge, &next, period, currency, error))
            {
              g_prefix_error (error, _("Recurring charge “%s” of %s, %s: "),
                              charge->description, charge->customer_name, period);
              return FALSE;
            }
          data->n_bills++;
        }

      bb_recurring_next_date (charge->interval, charge->anchor_day, &next, &after);
      next = after;
      moved = TRUE;
    }

  if (!moved)
    return TRUE;

  next_iso = bb_date_to_iso (&next);
  stmt = _bb_db_prepare (db, "UPDATE recurring_charges SET next_on = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, charge->id);
  _bb_stmt_bind_text (stmt, 2, next_iso);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  bb_db_emit_changed (db, "recurring_charges", charge->id);
  return TRUE;
}

/**
 * bb_recurring_run:
 * @as_of: (nullable): bill the periods up to this day; %NULL for today
 * @n_bills: (out) (optional): how many draft bills were made
 *
 * Makes a draft bill for every period of every active charge whose date
 * is on or before @as_of (and not after the charge's end): one bill per
 * period, so a machine that was off for three months makes three bills of
 * a monthly charge. Each charge is one write transaction (BEGIN
 * IMMEDIATE) that re-reads its next date, makes its bills and moves the
 * date on; a period is never billed twice, not across restarts, not when
 * the window and `billbook-cli recur` run at once.
 *
 * Charges of customers whose personal data was erased make no bills.
 *
 * The app calls this when it starts; running it again does nothing
 * until the next period is due.
 *
 * Returns: %FALSE with @error set when a charge could not be billed; the
 *   charges billed before it stay billed (and are counted in @n_bills)
 */
gboolean
bb_recurring_run (BbDb         *db,
                  const GDate  *as_of,
                  guint        *n_bills,
                  GError      **error)
{
  g_autoptr(GArray) due = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *as_of_iso = NULL;
  sqlite3_stmt *stmt;
  GDate today;
  guint made = 0;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (as_of == NULL || g_date_valid (as_of), FALSE);

  if (n_bills)
    *n_bills = 0;

  if (as_of == NULL)
    {
      bb_date_set_today (&today);
      as_of = &today;
    }
  as_of_iso = bb_date_to_iso (as_of);

  stmt = _bb_db_prepare (db,
                         "SELECT r.id FROM recurring_charges r "
                         "WHERE r.active = 1 AND r.next_on <= ?1 "
                         "  AND (r.end_on IS NULL OR r.next_on <= r.end_on) "
                         "  AND r.customer_id IN (SELECT id FROM customers WHERE erased = 0) "
                         "ORDER BY r.next_on, r.id",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, as_of_iso);
  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (due, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  for (guint i = 0; i < due->len; i++)
    {
      /* Another process billing a long catch-up may hold the book for
       * longer than one busy timeout: wait again, a few times, before
       * giving up. */
      for (guint attempt = 0; ; attempt++)
        {
          g_autoptr(GError) local_error = NULL;
          RunData data = { g_array_index (due, gint64, i), as_of, 0 };

          if (bb_db_transaction (db, run_charge_in_transaction, &data, &local_error))
            {
              made += data.n_bills;
              break;
            }

          if (attempt < MAX_BUSY_ATTEMPTS &&
              g_error_matches (local_error, BB_DB_ERROR, BB_DB_ERROR_BUSY))
            continue;

          if (n_bills)
            *n_bills = made;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (n_bills)
    *n_bills = made;

  return TRUE;
}

typedef struct
{
  char     *path;
  gboolean  has_as_of;
  GDate     as_of;
  guint     n_bills;
} RunTaskData;

static void
run_task_data_free (RunTaskData *td)
{
  g_free (td->path);
  g_free (td);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunTaskData *td = task_data;
  g_autoptr(BbDb) db = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Its own connection: the caller's stays free for the window. */
  db = bb_db_open (td->path, &error);
  if (db == NULL || !bb_recurring_run (db, td->has_as_of ? &td->as_of : NULL, &td->n_bills, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * bb_recurring_run_async:
 * @as_of: (nullable): as for bb_recurring_run(); %NULL for today
 *
 * Runs bb_recurring_run() in a thread with a connection of its own, so a
 * long catch-up never freezes the window. Call this when the app starts.
 */
void
bb_recurring_run_async (BbDb                *db,
                        const GDate         *as_of,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunTaskData *td;

  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (as_of == NULL || g_date_valid (as_of));

  td = g_new0 (RunTaskData, 1);
  td->path = g_strdup (bb_db_get_path (db));
  td->has_as_of = as_of != NULL;
  if (as_of)
    td->as_of = *as_of;

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_recurring_run_async);
  g_task_set_name (task, "[billbook] recurring charges");
  g_task_set_task_data (task, td, (GDestroyNotify) run_task_data_free);
  g_task_run_in_thread (task, run_thread);
}

/**
 * bb_recurring_run_finish:
 * @n_bills: (out) (optional): how many draft bills were made, also when
 *   %FALSE is returned
 *
 * Ends bb_recurring_run_async(). When bills were made, @db (the caller's
 * connection) announces "invoices" and "recurring_charges" as changed,
 * so the window's lists show them.
 */
gboolean
bb_recurring_run_finish (BbDb          *db,
                         GAsyncResult  *result,
                         guint         *n_bills,
                         GError       **error)
{
  RunTaskData *td;

  g_return_val_if_fail (g_task_is_valid (result, db), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_recurring_run_async, FALSE);

  td = g_task_get_task_data (G_TASK (result));
  if (n_bills)
    *n_bills = td->n_bills;

  if (td->n_bills > 0)
    {
      bb_db_emit_changed (db, "invoices", 0);
      bb_db_emit_changed (db, "recurring_charges", 0);
    }

  return g_task_propagate_boolean (G_TASK (result), error);
}
