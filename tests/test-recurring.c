/* test-recurring.c — recurring charges: dates that keep their day, one bill per period, never twice
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoices.h"
#include "bb-recurring.h"
#include "bb-text.h"

typedef struct
{
  char   *dir;
  char   *path;
  BbDb   *db;
  gint64  customer;
} Fixture;

static gint64
add_customer (BbDb       *db,
              const char *name,
              int         terms)
{
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(GError) error = NULL;

  g_free (c->name);
  c->name = g_strdup (name);
  g_free (c->phone);
  c->phone = g_strdup ("138 0013 8000");
  c->payment_terms_days = terms;
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  return c->id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-recurring-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  f->customer = add_customer (f->db, "王小明", 15);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  static const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&f->db);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
parse (const char *text,
       GDate      *date)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_date_parse (text, "test", date, &error));
  g_assert_no_error (error);
}

static BbRecurringCharge *
new_charge (gint64               customer,
            BbRecurringInterval  interval,
            const char          *start_on,
            BbMoney              amount,
            const char          *description)
{
  BbRecurringCharge *charge = bb_recurring_charge_new ();

  charge->customer_id = customer;
  charge->interval = interval;
  g_free (charge->start_on);
  charge->start_on = g_strdup (start_on);
  charge->amount = amount;
  g_free (charge->description);
  charge->description = g_strdup (description);

  return charge;
}

static gint64
add_charge (Fixture             *f,
            BbRecurringInterval  interval,
            const char          *start_on,
            const char          *end_on)
{
  g_autoptr(BbRecurringCharge) charge = new_charge (f->customer, interval, start_on, 9900,
                                                    "Car wash membership");
  g_autoptr(GError) error = NULL;

  if (end_on)
    charge->end_on = g_strdup (end_on);
  g_assert_true (bb_recurring_save (f->db, charge, &error));
  g_assert_no_error (error);
  g_assert_cmpint (charge->id, >, 0);

  return charge->id;
}

static guint
run (BbDb       *db,
     const char *as_of)
{
  g_autoptr(GError) error = NULL;
  guint n = G_MAXUINT;
  GDate date;

  parse (as_of, &date);
  g_assert_true (bb_recurring_run (db, &date, &n, &error));
  g_assert_no_error (error);

  return n;
}

static gint64
query_int (BbDb       *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
next_on_of (BbDb   *db,
            gint64  id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbRecurringCharge) charge = bb_recurring_get (db, id, &error);

  g_assert_no_error (error);
  return g_strdup (charge->next_on);
}

/* ---- Dates ---------------------------------------------------------- */

static const struct
{
  BbRecurringInterval  interval;
  guint                anchor;
  const char          *from;
  const char          *to;
} next_cases[] = {
  /* Anchored on the 31st: the last day of shorter months, and back. */
  { BB_RECURRING_MONTHLY, 31, "2026-01-31", "2026-02-28" },
  { BB_RECURRING_MONTHLY, 31, "2026-02-28", "2026-03-31" },
  { BB_RECURRING_MONTHLY, 31, "2026-03-31", "2026-04-30" },
  { BB_RECURRING_MONTHLY, 31, "2026-04-30", "2026-05-31" },
  { BB_RECURRING_MONTHLY, 31, "2026-08-31", "2026-09-30" },
  { BB_RECURRING_MONTHLY, 31, "2026-12-31", "2027-01-31" },
  { BB_RECURRING_MONTHLY, 31, "2024-01-31", "2024-02-29" },   /* leap year */
  { BB_RECURRING_MONTHLY, 31, "2024-02-29", "2024-03-31" },
  { BB_RECURRING_MONTHLY, 31, "2000-01-31", "2000-02-29" },   /* divisible by 400 */
  { BB_RECURRING_MONTHLY, 31, "2100-01-31", "2100-02-28" },   /* by 100, not 400 */
  { BB_RECURRING_MONTHLY, 30, "2026-01-30", "2026-02-28" },
  { BB_RECURRING_MONTHLY, 30, "2026-02-28", "2026-03-30" },
  { BB_RECURRING_MONTHLY, 29, "2026-01-29", "2026-02-28" },
  { BB_RECURRING_MONTHLY, 29, "2028-01-29", "2028-02-29" },
  { BB_RECURRING_MONTHLY, 29, "2026-02-28", "2026-03-29" },
  { BB_RECURRING_MONTHLY, 15, "2026-12-15", "2027-01-15" },
  { BB_RECURRING_MONTHLY, 1, "2026-01-01", "2026-02-01" },
  /* Quarterly from Nov 30. */
  { BB_RECURRING_QUARTERLY, 30, "2025-11-30", "2026-02-28" },
  { BB_RECURRING_QUARTERLY, 30, "2026-02-28", "2026-05-30" },
  { BB_RECURRING_QUARTERLY, 30, "2026-05-30", "2026-08-30" },
  { BB_RECURRING_QUARTERLY, 30, "2026-08-30", "2026-11-30" },
  { BB_RECURRING_QUARTERLY, 30, "2027-11-30", "2028-02-29" },
  { BB_RECURRING_QUARTERLY, 31, "2026-01-31", "2026-04-30" },
  { BB_RECURRING_QUARTERLY, 31, "2026-04-30", "2026-07-31" },
  { BB_RECURRING_QUARTERLY, 31, "2026-10-31", "2027-01-31" },
  /* Yearly from Feb 29: Feb 28 in common years, Feb 29 again in leap years. */
  { BB_RECURRING_YEARLY, 29, "2024-02-29", "2025-02-28" },
  { BB_RECURRING_YEARLY, 29, "2025-02-28", "2026-02-28" },
  { BB_RECURRING_YEARLY, 29, "2027-02-28", "2028-02-29" },
  { BB_RECURRING_YEARLY, 15, "2026-06-15", "2027-06-15" },
  { BB_RECURRING_YEARLY, 31, "2026-12-31", "2027-12-31" },
  /* Weekly: seven days on, over month, year and leap day; anchor ignored. */
  { BB_RECURRING_WEEKLY, 29, "2026-01-29", "2026-02-05" },
  { BB_RECURRING_WEEKLY, 28, "2026-12-28", "2027-01-04" },
  { BB_RECURRING_WEEKLY, 22, "2024-02-22", "2024-02-29" },
  { BB_RECURRING_WEEKLY, 26, "2024-02-26", "2024-03-04" },
  { BB_RECURRING_WEEKLY, 1, "2026-02-26", "2026-03-05" },
};

static void
test_next_date_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (next_cases); i++)
    {
      GDate from, expected, next;
      g_autofree char *got = NULL;

      g_test_message ("case %u: %s %s on day %u", i, bb_recurring_interval_to_string (next_cases[i].interval),
                      next_cases[i].from, next_cases[i].anchor);
      parse (next_cases[i].from, &from);
      parse (next_cases[i].to, &expected);
      bb_recurring_next_date (next_cases[i].interval, next_cases[i].anchor, &from, &next);
      got = bb_date_to_iso (&next);
      g_assert_cmpstr (got, ==, next_cases[i].to);
      g_assert_cmpint (g_date_compare (&next, &expected), ==, 0);
    }
}

/* A year anchored on the 31st lands on every month's last day, and
 * never drifts to the 28th. */
static void
test_next_date_no_drift (void)
{
  static const char * const expected[] = {
    "2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30",
    "2024-07-31", "2024-08-31", "2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31",
    "2025-01-31", "2025-02-28", "2025-03-31",
  };
  GDate date;

  parse (expected[0], &date);
  for (guint i = 1; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *got = NULL;
      GDate next;

      bb_recurring_next_date (BB_RECURRING_MONTHLY, 31, &date, &next);
      got = bb_date_to_iso (&next);
      g_assert_cmpstr (got, ==, expected[i]);
      date = next;
    }

  /* Yearly from Feb 29 for eight years: back on the 29th in 2028 and 2032. */
  parse ("2024-02-29", &date);
  for (guint year = 2025; year <= 2032; year++)
    {
      GDate next;

      bb_recurring_next_date (BB_RECURRING_YEARLY, 29, &date, &next);
      g_assert_cmpuint (g_date_get_year (&next), ==, year);
      g_assert_cmpuint (g_date_get_month (&next), ==, G_DATE_FEBRUARY);
      g_assert_cmpuint (g_date_get_day (&next), ==, g_date_is_leap_year ((GDateYear) year) ? 29 : 28);
      date = next;
    }
}

static void
test_period_labels (void)
{
  GDate date;
  g_autofree char *monthly = NULL;
  g_autofree char *quarterly = NULL;
  g_autofree char *yearly = NULL;
  g_autofree char *weekly = NULL;

  parse ("2026-03-31", &date);
  monthly = bb_recurring_period_label (BB_RECURRING_MONTHLY, &date);
  quarterly = bb_recurring_period_label (BB_RECURRING_QUARTERLY, &date);
  yearly = bb_recurring_period_label (BB_RECURRING_YEARLY, &date);
  weekly = bb_recurring_period_label (BB_RECURRING_WEEKLY, &date);
  g_assert_cmpstr (monthly, ==, "2026-03");
  g_assert_cmpstr (quarterly, ==, "2026-03");
  g_assert_cmpstr (yearly, ==, "2026");
  g_assert_cmpstr (weekly, ==, "2026-03-31");

  for (guint i = 0; i < BB_RECURRING_N_INTERVALS; i++)
    {
      BbRecurringInterval back;

      g_assert_true (bb_recurring_interval_from_string (bb_recurring_interval_to_string (i), &back));
      g_assert_cmpint (back, ==, i);
    }
  g_assert_false (bb_recurring_interval_from_string ("daily", NULL));
  g_assert_cmpstr (bb_recurring_interval_label (BB_RECURRING_QUARTERLY), ==, "Quarterly");
}

/* ---- Saving --------------------------------------------------------- */

static void
count_call (guint *n)
{
  (*n)++;
}

static void
test_save_and_list (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbRecurringCharge) charge = new_charge (f->customer, BB_RECURRING_MONTHLY, "2026-01-31",
                                                    9900, "  Car wash membership ");
  g_autoptr(BbRecurringCharge) read = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 other = add_customer (f->db, "Harbour Bakery", 30);
  guint n_changed = 0;
  gulong handler;

  charge->tax_rate = 600;
  g_assert_true (bb_recurring_save (f->db, charge, &error));
  g_assert_no_error (error);

  /* Filled in: the anchor from the start, next_on = start, text tidied. */
  g_assert_cmpuint (charge->anchor_day, ==, 31);
  g_assert_cmpstr (charge->next_on, ==, "2026-01-31");
  g_assert_cmpstr (charge->description, ==, "Car wash membership");
  g_assert_null (charge->end_on);

  read = bb_recurring_get (f->db, charge->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read->customer_id, ==, f->customer);
  g_assert_cmpstr (read->customer_name, ==, "王小明");
  g_assert_cmpint (read->amount, ==, 9900);
  g_assert_cmpint (read->tax_rate, ==, 600);
  g_assert_cmpint (read->interval, ==, BB_RECURRING_MONTHLY);
  g_assert_cmpuint (read->anchor_day, ==, 31);
  g_assert_cmpstr (read->start_on, ==, "2026-01-31");
  g_assert_true (read->active);
  g_assert_nonnull (read->created_at);

  /* A charge on the 31st may start on the last day of February. */
  {
    g_autoptr(BbRecurringCharge) feb = new_charge (other, BB_RECURRING_MONTHLY, "2026-02-28", 500, "Rent");

    feb->anchor_day = 31;
    feb->end_on = g_strdup ("");
    g_assert_true (bb_recurring_save (f->db, feb, &error));
    g_assert_no_error (error);
    g_assert_null (feb->end_on);
  }

  /* Edited: the change is kept, and announced after commit. */
  handler = g_signal_connect_swapped (f->db, "changed::recurring_charges",
                                      G_CALLBACK (count_call), &n_changed);
  g_free (read->description);
  read->description = g_strdup ("Car wash, premium");
  read->amount = 12900;
  read->end_on = g_strdup ("2026-12-31");
  g_assert_true (bb_recurring_save (f->db, read, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 1);
  g_signal_handler_disconnect (f->db, handler);

  list = bb_recurring_list_for_customer (f->db, f->customer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((BbRecurringCharge *) g_ptr_array_index (list, 0))->description, ==, "Car wash, premium");
  g_assert_cmpint (((BbRecurringCharge *) g_ptr_array_index (list, 0))->amount, ==, 12900);
  g_assert_cmpstr (((BbRecurringCharge *) g_ptr_array_index (list, 0))->end_on, ==, "2026-12-31");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = bb_recurring_list (f->db, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = bb_recurring_list (f->db, 1, 100, &error);
  g_assert_cmpuint (list->len, ==, 1);

  /* Audit: a create and an update on the charge. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE table_name = 'recurring_charges' "
                                     "AND action IN ('create', 'update')"), ==, 3);
}

typedef struct
{
  const char *field;      /* in the message */
  void      (*spoil) (BbRecurringCharge *charge);
} BadCase;

static void spoil_customer (BbRecurringCharge *c) { c->customer_id = 0; }
static void spoil_missing_customer (BbRecurringCharge *c) { c->customer_id = 999999; }
static void spoil_description_empty (BbRecurringCharge *c) { g_free (c->description); c->description = g_strdup ("   "); }
static void spoil_description_lines (BbRecurringCharge *c) { g_free (c->description); c->description = g_strdup ("a\nb"); }
static void spoil_amount_zero (BbRecurringCharge *c) { c->amount = 0; }
static void spoil_amount_negative (BbRecurringCharge *c) { c->amount = -100; }
static void spoil_amount_huge (BbRecurringCharge *c) { c->amount = G_MAXINT64 - 1; c->tax_rate = 1300; }
static void spoil_tax (BbRecurringCharge *c) { c->tax_rate = -1; }
static void spoil_interval (BbRecurringCharge *c) { c->interval = (BbRecurringInterval) 9; }
static void spoil_start (BbRecurringCharge *c) { g_free (c->start_on); c->start_on = g_strdup ("2026-02-30"); }
static void spoil_start_text (BbRecurringCharge *c) { g_free (c->start_on); c->start_on = g_strdup ("next Monday"); }
static void spoil_anchor (BbRecurringCharge *c) { c->anchor_day = 32; }
static void spoil_start_off_anchor (BbRecurringCharge *c) { c->anchor_day = 31; }
static void spoil_next_before (BbRecurringCharge *c) { g_free (c->next_on); c->next_on = g_strdup ("2026-01-15"); }
static void spoil_next_off_anchor (BbRecurringCharge *c) { g_free (c->next_on); c->next_on = g_strdup ("2026-03-14"); }
static void spoil_next_bad (BbRecurringCharge *c) { g_free (c->next_on); c->next_on = g_strdup ("2026-13-01"); }
static void spoil_end_before (BbRecurringCharge *c) { c->end_on = g_strdup ("2026-01-31"); }
static void spoil_end_bad (BbRecurringCharge *c) { c->end_on = g_strdup ("31/12/2026"); }
static void spoil_weekly_next (BbRecurringCharge *c) { c->interval = BB_RECURRING_WEEKLY; g_free (c->next_on); c->next_on = g_strdup ("2026-02-20"); }

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  static const BadCase cases[] = {
    { "Customer", spoil_customer },
    { "Customer", spoil_missing_customer },
    { "Description", spoil_description_empty },
    { "Description", spoil_description_lines },
    { "Amount", spoil_amount_zero },
    { "Amount", spoil_amount_negative },
    { "Amount", spoil_amount_huge },
    { "Tax", spoil_tax },
    { "Interval", spoil_interval },
    { "Starts on", spoil_start },
    { "Starts on", spoil_start_text },
    { "Day of the month", spoil_anchor },
    { "Starts on", spoil_start_off_anchor },
    { "Next bill on", spoil_next_before },
    { "Next bill on", spoil_next_off_anchor },
    { "Next bill on", spoil_next_bad },
    { "Ends on", spoil_end_before },
    { "Ends on", spoil_end_bad },
    { "Next bill on", spoil_weekly_next },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BbRecurringCharge) charge = new_charge (f->customer, BB_RECURRING_MONTHLY, "2026-02-15",
                                                        9900, "Car wash membership");
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s", i, cases[i].field);
      cases[i].spoil (charge);
      g_assert_false (bb_recurring_save (f->db, charge, &error));
      g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, cases[i].field));
      g_assert_cmpint (charge->id, ==, 0);
    }

  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM recurring_charges"), ==, 0);

  /* Erased customers are billed no more. */
  {
    g_autoptr(BbRecurringCharge) charge = new_charge (f->customer, BB_RECURRING_MONTHLY, "2026-02-15",
                                                      9900, "Car wash membership");
    g_autoptr(GError) error = NULL;

    g_assert_true (bb_customers_erase (f->db, f->customer, &error));
    g_assert_false (bb_recurring_save (f->db, charge, &error));
    g_assert_true (g_str_has_prefix (error->message, "Customer"));
  }
}

/* ---- Billing -------------------------------------------------------- */

typedef struct
{
  guint invoices;
  guint charges;
} Announced;

static void
on_changed (BbDb       *db,
            const char *table,
            gint64      id,
            Announced  *announced)
{
  if (g_str_equal (table, "invoices"))
    announced->invoices++;
  else if (g_str_equal (table, "recurring_charges"))
    announced->charges++;
}

/* Off for two and a half months: one bill per missed period. */
static void
test_catch_up (Fixture       *f,
               gconstpointer  data)
{
  static const struct { const char *issued, *due, *period; } expected[] = {
    { "2026-01-31", "2026-02-15", "2026-01" },
    { "2026-02-28", "2026-03-15", "2026-02" },
    { "2026-03-31", "2026-04-15", "2026-03" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BbRecurringCharge) charge = new_charge (f->customer, BB_RECURRING_MONTHLY, "2026-01-31",
                                                    9900, "Car wash membership");
  g_autofree char *next_on = NULL;
  Announced announced = { 0, 0 };
  sqlite3_stmt *stmt = NULL;
  gulong handler;
  guint i = 0;

  charge->tax_rate = 600;
  g_assert_true (bb_recurring_save (f->db, charge, &error));

  /* Nothing is due before the first period. */
  g_assert_cmpuint (run (f->db, "2026-01-30"), ==, 0);

  handler = g_signal_connect (f->db, "changed", G_CALLBACK (on_changed), &announced);
  g_assert_cmpuint (run (f->db, "2026-04-15"), ==, 3);
  g_signal_handler_disconnect (f->db, handler);
  g_assert_cmpuint (announced.invoices, >=, 1);
  g_assert_cmpuint (announced.charges, ==, 1);

  next_on = next_on_of (f->db, charge->id);
  g_assert_cmpstr (next_on, ==, "2026-04-30");

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (f->db),
                                       "SELECT id, recurring_id, recurring_period FROM invoices ORDER BY issued_on",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(BbInvoice) inv = bb_invoices_get (f->db, sqlite3_column_int64 (stmt, 0), &error);
      g_autofree char *notes = g_strdup_printf ("Monthly: Car wash membership, %s", expected[i].period);
      BbInvoiceLine *line;

      g_assert_no_error (error);
      g_assert_cmpuint (i, <, G_N_ELEMENTS (expected));
      g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, charge->id);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, expected[i].period);
      g_assert_cmpint (inv->status, ==, BB_INVOICE_DRAFT);
      g_assert_null (inv->number);
      g_assert_cmpstr (inv->issued_on, ==, expected[i].issued);
      g_assert_cmpstr (inv->due_on, ==, expected[i].due);      /* 15 days of terms */
      g_assert_cmpstr (inv->currency, ==, "CNY");
      g_assert_cmpstr (inv->notes, ==, notes);
      g_assert_cmpint (inv->customer_id, ==, f->customer);
      g_assert_cmpuint (inv->lines->len, ==, 1);
      line = g_ptr_array_index (inv->lines, 0);
      g_assert_cmpstr (line->description, ==, "Car wash membership");
      g_assert_cmpint (line->quantity, ==, 1000);
      g_assert_cmpint (line->unit_price, ==, 9900);
      g_assert_cmpint (line->tax_rate, ==, 600);
      g_assert_cmpint (inv->total, ==, 9900 + 594);
      i++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (i, ==, 3);

  /* Audit: each bill says it came from the charge. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'recur' "
                                     "AND table_name = 'invoices'"), ==, 3);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'recur' "
                                     "AND detail = 'Monthly: Car wash membership, 2026-02'"), ==, 1);

  /* The drafts are ordinary drafts: they can be issued. */
  {
    g_autoptr(BbInvoice) first = NULL;
    gint64 id = query_int (f->db, "SELECT id FROM invoices WHERE recurring_period = '2026-01'");

    g_assert_true (bb_invoices_submit (f->db, id, &error));
    g_assert_no_error (error);
    first = bb_invoices_get (f->db, id, &error);
    g_assert_cmpint (first->status, ==, BB_INVOICE_REVIEW);
  }
}

/* Running again, also after a restart, makes nothing new until the next
 * period is due. */
static void
test_run_twice (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 monthly = add_charge (f, BB_RECURRING_MONTHLY, "2026-01-15", NULL);
  gint64 weekly = add_charge (f, BB_RECURRING_WEEKLY, "2026-03-02", NULL);
  gint64 quarterly = add_charge (f, BB_RECURRING_QUARTERLY, "2025-11-30", NULL);
  gint64 yearly = add_charge (f, BB_RECURRING_YEARLY, "2024-02-29", NULL);
  g_autofree char *w_next = NULL;
  g_autofree char *q_next = NULL;
  g_autofree char *y_next = NULL;

  /* monthly: Jan 15 … Apr 15 (4); weekly: Mar 2 … Apr 13 (7);
   * quarterly: Nov 30, Feb 28 (2); yearly: 2024, 2025, 2026 (3). */
  g_assert_cmpuint (run (f->db, "2026-04-15"), ==, 4 + 7 + 2 + 3);
  g_assert_cmpuint (run (f->db, "2026-04-15"), ==, 0);
  g_assert_cmpuint (run (f->db, "2026-04-15"), ==, 0);

  w_next = next_on_of (f->db, weekly);
  g_assert_cmpstr (w_next, ==, "2026-04-20");
  q_next = next_on_of (f->db, quarterly);
  y_next = next_on_of (f->db, yearly);
  g_assert_cmpstr (q_next, ==, "2026-05-30");
  g_assert_cmpstr (y_next, ==, "2027-02-28");
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE recurring_period = '2024' "
                                     "AND issued_on = '2024-02-29'"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices WHERE recurring_period = '2025' "
                                     "AND issued_on = '2025-02-28'"), ==, 1);

  /* A restart: a new connection to the same book. */
  g_clear_object (&f->db);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (run (f->db, "2026-04-15"), ==, 0);

  /* The next day of a period: exactly the charges due that day. */
  g_assert_cmpuint (run (f->db, "2026-04-20"), ==, 1);        /* weekly, Apr 20 */
  g_assert_cmpuint (run (f->db, "2026-04-20"), ==, 0);
  g_assert_cmpuint (run (f->db, "2026-05-15"), ==, 1 + 3);    /* monthly; weekly Apr 27, May 4, 11 */

  /* Moving next_on back (editing the charge) never bills a period twice. */
  {
    g_autoptr(BbRecurringCharge) charge = bb_recurring_get (f->db, monthly, &error);
    g_autofree char *after = NULL;

    g_free (charge->next_on);
    charge->next_on = g_strdup ("2026-02-15");
    g_assert_true (bb_recurring_save (f->db, charge, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (run (f->db, "2026-05-15"), ==, 0);
    after = next_on_of (f->db, monthly);
    g_assert_cmpstr (after, ==, "2026-06-15");
  }

  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices"), ==, 16 + 1 + 4);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM (SELECT recurring_id, recurring_period "
                                     "FROM invoices GROUP BY 1, 2 HAVING count(*) > 1)"), ==, 0);
}

/* Bills and the new next date are one transaction: a failure part way
 * leaves neither, and the next run makes them all. */
static void
test_all_or_nothing (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_charge (f, BB_RECURRING_MONTHLY, "2026-01-10", NULL);
  g_autofree char *next_on = NULL;
  guint n = 99;
  GDate as_of;

  /* The third bill cannot be written. */
  g_assert_cmpint (sqlite3_exec (_bb_db_get_handle (f->db),
                                 "CREATE TEMP TRIGGER fail_third BEFORE INSERT ON invoices "
                                 "WHEN (SELECT count(*) FROM invoices) >= 2 "
                                 "BEGIN SELECT RAISE (ABORT, 'disk full'); END",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  parse ("2026-04-10", &as_of);
  g_assert_false (bb_recurring_run (f->db, &as_of, &n, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Car wash membership"));
  g_assert_cmpuint (n, ==, 0);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices"), ==, 0);
  next_on = next_on_of (f->db, id);
  g_assert_cmpstr (next_on, ==, "2026-01-10");

  g_assert_cmpint (sqlite3_exec (_bb_db_get_handle (f->db), "DROP TRIGGER temp.fail_third",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpuint (run (f->db, "2026-04-10"), ==, 4);
}

static void
test_end_date (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 until_between = add_charge (f, BB_RECURRING_MONTHLY, "2026-01-15", "2026-03-20");
  gint64 until_on = add_charge (f, BB_RECURRING_WEEKLY, "2026-01-05", "2026-01-19");
  g_autofree char *last_sql = g_strdup_printf ("SELECT max(issued_on) = '2026-01-19' FROM invoices "
                                               "WHERE recurring_id = %" G_GINT64_FORMAT, until_on);
  g_autofree char *next_on = NULL;

  /* Jan, Feb, Mar 15; weekly Jan 5, 12, 19 (the end day itself counts). */
  g_assert_cmpuint (run (f->db, "2026-12-31"), ==, 3 + 3);
  g_assert_cmpuint (run (f->db, "2027-12-31"), ==, 0);
  next_on = next_on_of (f->db, until_between);
  g_assert_cmpstr (next_on, ==, "2026-04-15");
  g_assert_cmpint (query_int (f->db, last_sql), ==, 1);

  /* An end moved later bills on from where it stopped. */
  {
    g_autoptr(BbRecurringCharge) charge = bb_recurring_get (f->db, until_between, &error);

    g_free (charge->end_on);
    charge->end_on = g_strdup ("2026-05-15");
    g_assert_true (bb_recurring_save (f->db, charge, &error));
    g_assert_cmpuint (run (f->db, "2026-12-31"), ==, 2);
  }
}

static void
test_stopped (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 stopped = add_charge (f, BB_RECURRING_MONTHLY, "2026-01-15", NULL);
  gint64 unused = add_charge (f, BB_RECURRING_MONTHLY, "2026-06-15", NULL);
  gint64 other = add_customer (f->db, "Harbour Bakery", 30);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(BbRecurringCharge) charge = NULL;

  g_assert_true (bb_recurring_stop (f->db, stopped, &error));
  g_assert_no_error (error);
  g_assert_true (bb_recurring_stop (f->db, stopped, &error));     /* twice: nothing more */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'stop'"), ==, 1);
  g_assert_cmpuint (run (f->db, "2026-05-31"), ==, 0);

  list = bb_recurring_list_for_customer (f->db, f->customer, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_true (((BbRecurringCharge *) g_ptr_array_index (list, 0))->active);   /* active first */
  g_assert_false (((BbRecurringCharge *) g_ptr_array_index (list, 1))->active);

  /* The charges of an erased customer make nothing either. */
  {
    g_autoptr(BbRecurringCharge) c = new_charge (other, BB_RECURRING_MONTHLY, "2026-01-15", 500, "Rent");

    g_assert_true (bb_recurring_save (f->db, c, &error));
    g_assert_true (bb_customers_erase (f->db, other, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (run (f->db, "2026-05-31"), ==, 0);
  }

  /* Deleting: only a charge that made no bill. */
  g_assert_true (bb_recurring_delete (f->db, unused, &error));
  g_assert_no_error (error);
  charge = bb_recurring_get (f->db, unused, &error);
  g_assert_null (charge);
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  {
    gint64 billing = add_charge (f, BB_RECURRING_MONTHLY, "2026-01-15", NULL);

    g_assert_cmpuint (run (f->db, "2026-02-15"), ==, 2);
    g_assert_false (bb_recurring_delete (f->db, billing, &error));
    g_assert_nonnull (strstr (error->message, "stop it instead"));
    g_clear_error (&error);
    g_assert_true (bb_recurring_stop (f->db, billing, &error));
    g_assert_cmpuint (run (f->db, "2026-12-31"), ==, 0);
  }

  g_assert_false (bb_recurring_stop (f->db, 424242, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND);
}

/* The window starting while `billbook-cli recur` runs: two processes at
 * once make every bill exactly once, and both succeed. */
static void
test_two_processes (Fixture       *f,
                    gconstpointer  data)
{
  const guint n_charges = 40;
  g_autoptr(GError) error = NULL;
  guint n_child = 0, n_parent = 0;
  int fds[2], ready[2], go[2];
  pid_t child;
  int status;
  GDate as_of;

  /* Weekly from Jan 5, 2026 to Dec 28: 52 periods each; monthly from
   * Jan 31: 12. Half of each. */
  for (guint i = 0; i < n_charges; i++)
    add_charge (f, i % 2 ? BB_RECURRING_WEEKLY : BB_RECURRING_MONTHLY,
                i % 2 ? "2026-01-05" : "2026-01-31", NULL);
  g_clear_object (&f->db);
  parse ("2026-12-31", &as_of);

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (pipe (ready), ==, 0);
  g_assert_cmpint (pipe (go), ==, 0);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  {
    g_autoptr(BbDb) db = bb_db_open (f->path, NULL);
    g_autoptr(GError) local_error = NULL;
    guint n = 0;
    char byte = 0;

    /* Both open, then both start at once. */
    if (child == 0)
      {
        if (write (ready[1], "r", 1) != 1 || read (go[0], &byte, 1) != 1)
          _exit (3);
      }
    else
      {
        g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
        g_assert_cmpint (write (go[1], "g", 1), ==, 1);
      }

    if (db == NULL || !bb_recurring_run (db, &as_of, &n, &local_error))
      {
        g_printerr ("recur failed: %s\n", local_error ? local_error->message : "cannot open");
        if (child == 0)
          _exit (1);
        g_assert_not_reached ();
      }

    if (child == 0)
      {
        if (write (fds[1], &n, sizeof n) != sizeof n)
          _exit (2);
        _exit (0);
      }
    n_parent = n;
  }

  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpint (read (fds[0], &n_child, sizeof n_child), ==, sizeof n_child);
  for (guint i = 0; i < 2; i++)
    {
      close (fds[i]);
      close (ready[i]);
      close (go[i]);
    }

  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  g_test_message ("parent made %u, child %u", n_parent, n_child);
  g_assert_cmpuint (n_parent + n_child, ==, (n_charges / 2) * (52 + 12));
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices"), ==, (n_charges / 2) * (52 + 12));
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM (SELECT recurring_id, issued_on FROM invoices "
                                     "GROUP BY 1, 2 HAVING count(*) > 1)"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM recurring_charges WHERE next_on <= '2026-12-31'"), ==, 0);
  g_assert_cmpuint (run (f->db, "2026-12-31"), ==, 0);
}

typedef struct
{
  BbDb        *db;
  const GDate *as_of;
  guint        n_bills;
  GError      *error;
} RunInThread;

static gpointer
run_in_thread (gpointer user_data)
{
  RunInThread *data = user_data;

  bb_recurring_run (data->db, data->as_of, &data->n_bills, &data->error);
  return NULL;
}

/* The other program bills while this one waits for the book: this one
 * has already seen the charge due, but reads it again once it may write,
 * and makes nothing. */
static void
test_waits_for_other_writer (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbDb) other = NULL;
  RunInThread in_thread = { NULL, NULL, 99, NULL };
  GThread *thread;
  guint n = 0;
  GDate as_of;

  add_charge (f, BB_RECURRING_MONTHLY, "2026-01-31", NULL);
  add_charge (f, BB_RECURRING_WEEKLY, "2026-01-05", NULL);
  parse ("2026-03-31", &as_of);

  other = bb_db_open (f->path, &error);
  g_assert_no_error (error);

  /* The other program bills, and has not committed yet. */
  g_assert_true (bb_db_begin (other, &error));
  g_assert_true (bb_recurring_run (other, &as_of, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3 + 13);

  in_thread.db = f->db;
  in_thread.as_of = &as_of;
  thread = g_thread_new ("recur", run_in_thread, &in_thread);
  g_usleep (300 * 1000);
  g_assert_true (bb_db_commit (other, &error));
  g_thread_join (thread);

  g_assert_no_error (in_thread.error);
  g_assert_cmpuint (in_thread.n_bills, ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices"), ==, 3 + 13);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* As the window calls it at start: in a thread, with its own connection;
 * the window's connection announces the new bills. */
static void
test_run_async (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  Announced announced = { 0, 0 };
  guint n = 0;
  gulong handler;
  GDate as_of;

  add_charge (f, BB_RECURRING_QUARTERLY, "2025-11-30", NULL);
  parse ("2026-06-01", &as_of);
  handler = g_signal_connect (f->db, "changed", G_CALLBACK (on_changed), &announced);

  bb_recurring_run_async (f->db, &as_of, NULL, on_run_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (bb_recurring_run_finish (f->db, result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);                 /* Nov 30, Feb 28, May 30 */
  g_assert_cmpuint (announced.invoices, ==, 1);
  g_assert_cmpuint (announced.charges, ==, 1);
  g_clear_object (&result);

  /* Today, with nothing due any more before it. */
  announced.invoices = announced.charges = 0;
  bb_recurring_run_async (f->db, NULL, NULL, on_run_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (bb_recurring_run_finish (f->db, result, &n, &error));
  g_assert_no_error (error);
  g_signal_handler_disconnect (f->db, handler);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM invoices"), ==, 3 + n);
  g_assert_cmpuint (announced.invoices, ==, n > 0 ? 1 : 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/recurring/next-date/table", test_next_date_table);
  g_test_add_func ("/recurring/next-date/no-drift", test_next_date_no_drift);
  g_test_add_func ("/recurring/period-labels", test_period_labels);
  ADD ("/recurring/save", test_save_and_list);
  ADD ("/recurring/validation", test_validation);
  ADD ("/recurring/run/catch-up", test_catch_up);
  ADD ("/recurring/run/twice", test_run_twice);
  ADD ("/recurring/run/all-or-nothing", test_all_or_nothing);
  ADD ("/recurring/run/end-date", test_end_date);
  ADD ("/recurring/run/stopped", test_stopped);
  ADD ("/recurring/run/two-processes", test_two_processes);
  ADD ("/recurring/run/waits-for-other-writer", test_waits_for_other_writer);
  ADD ("/recurring/run/async", test_run_async);

#undef ADD

  return g_test_run ();
}
