/* test-prepaid.c — prepaid cards: terms, bonus, charges, refunds, expiry, points
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every step ends with bb_check_book() finding nothing: the kept figures
 * agree with the ledgers and each ledger keeps its rules.
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-check.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoices.h"
#include "bb-payments.h"
#include "bb-prepaid.h"
#include "bb-prepaid-list.h"
#include "bb-text.h"

typedef struct
{
  char   *dir;
  char   *path;
  BbDb   *db;
  gint64  alice;
  gint64  bob;
  gint64  n_entries;        /* the most rows seen: the ledger never shrinks */
} Fixture;

/* Helpers */

static gint64
query_int (BbDb       *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static gint64
add_customer (BbDb       *db,
              const char *name)
{
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(GError) error = NULL;

  g_free (c->name);
  c->name = g_strdup (name);
  g_free (c->address);
  c->address = g_strdup ("上海市徐汇区漕溪北路 88 号");
  g_free (c->phone);
  c->phone = g_strdup ("138 0013 8000");
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  return c->id;
}

/* Every kept figure agrees with the ledgers, and no entry was lost. */
static void
assert_sound (Fixture *f)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) prepaid_problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gint64 n_entries = query_int (f->db, "SELECT count(*) FROM prepaid_entries");
  gboolean ok;

  ok = bb_check_book (f->db, &problems, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_true (ok);

  g_assert_true (bb_prepaid_check_accounts (f->db, prepaid_problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (prepaid_problems->len, ==, 0);

  g_assert_cmpint (n_entries, >=, f->n_entries);
  f->n_entries = n_entries;
}

static BbPrepaidAccount *
get_account (BbDb   *db,
             gint64  id)
{
  g_autoptr(GError) error = NULL;
  BbPrepaidAccount *a = bb_prepaid_get_account (db, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (a);
  return a;
}

/* A card of @customer: no expiry, no bonus, no points unless set after. */
static BbPrepaidAccount *
new_card (gint64      customer,
          const char *name)
{
  BbPrepaidAccount *a = bb_prepaid_account_new ();

  a->customer_id = customer;
  g_free (a->name);
  a->name = g_strdup (name);

  return a;
}

static gint64
save_card (Fixture          *f,
           BbPrepaidAccount *a)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_prepaid_save_account (f->db, a, &error));
  g_assert_no_error (error);
  g_assert_cmpint (a->id, >, 0);
  assert_sound (f);

  return a->id;
}

static gint64
plain_card (Fixture    *f,
            gint64      customer,
            const char *name)
{
  g_autoptr(BbPrepaidAccount) a = new_card (customer, name);

  return save_card (f, a);
}

static void
assert_figures (BbDb    *db,
                gint64   id,
                BbMoney  balance,
                BbMoney  paid_in,
                BbMoney  bonus,
                gint64   points)
{
  g_autoptr(BbPrepaidAccount) a = get_account (db, id);

  g_assert_cmpint (a->balance, ==, balance);
  g_assert_cmpint (a->paid_in, ==, paid_in);
  g_assert_cmpint (a->bonus, ==, bonus);
  g_assert_cmpint (a->points, ==, points);
}

static BbMoney
customer_prepaid (BbDb   *db,
                  gint64  id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = bb_customers_get (db, id, &error);

  g_assert_no_error (error);
  return c->prepaid_balance;
}

static gint64
top_up (Fixture    *f,
        gint64      card,
        const char *date,
        BbMoney     amount)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_true (bb_prepaid_top_up (f->db, card, date, amount, BB_PAYMENT_WECHAT_PAY, NULL, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  assert_sound (f);

  return id;
}

static gint64
charge (Fixture    *f,
        gint64      card,
        const char *date,
        BbMoney     amount)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_true (bb_prepaid_charge (f->db, card, date, amount, "洗车", &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  assert_sound (f);

  return id;
}

static void
refund (Fixture    *f,
        gint64      card,
        const char *date,
        BbMoney     amount)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_prepaid_refund (f->db, card, date, amount, BB_PAYMENT_CASH, "Moving away", NULL, &error));
  g_assert_no_error (error);
  assert_sound (f);
}

static gint64
make_bill (BbDb       *db,
           gint64      customer,
           const char *issued_on,
           BbMoney     total)
{
  g_autoptr(BbInvoice) inv = bb_invoice_new ();
  g_autoptr(GError) error = NULL;

  inv->customer_id = customer;
  g_free (inv->issued_on);
  inv->issued_on = g_strdup (issued_on);
  bb_invoice_add_line (inv, "保养 Service", 1000, total, 0, 0);
  g_assert_true (bb_invoices_save_draft (db, inv, &error));
  g_assert_true (bb_invoices_submit (db, inv->id, &error));
  g_assert_true (bb_invoices_issue (db, inv->id, &error));
  g_assert_no_error (error);

  return inv->id;
}

static BbMoney
bill_open (BbDb   *db,
           gint64  id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbInvoice) inv = bb_invoices_get (db, id, &error);

  g_assert_no_error (error);
  return inv->open_balance;
}

static gint64
count_kind (BbDb       *db,
            gint64      card,
            const char *kind)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM prepaid_entries "
                                          "WHERE account_id = %" G_GINT64_FORMAT " AND kind = '%s'", card, kind);

  return query_int (db, sql);
}

static void
delete_book (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-prepaid-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  f->alice = add_customer (f->db, "王小明");
  f->bob = add_customer (f->db, "Bob Smith");
  f->n_entries = 0;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  delete_book (f->path);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Tests */

/* Bad terms are refused with the field named; nothing is written. */
static void
test_terms (Fixture       *f,
            gconstpointer  data)
{
  static const struct
  {
    const char *name;
    int         validity;
    const char *expires_on;
    int         months;
    BbMoney     bonus_threshold;
    BbMoney     bonus_amount;
    gint64      redeem_points;
    BbMoney     redeem_value;
    BbMoney     points_unit;
    const char *message;
  } bad[] = {
    { "  ", 0, NULL, 12, 0, 0, 0, 0, 100, "Name: a card needs a name, such as “Membership card”" },
    { "Card", 1, NULL, 12, 0, 0, 0, 0, 100, "Expires on: give the day the card’s money expires" },
    { "Card", 1, "2026-02-30", 12, 0, 0, 0, 0, 100, "Expires on: 2026-02-30 does not exist" },
    { "Card", 2, NULL, 0, 0, 0, 0, 0, 100, "Months: between 1 and 600" },
    { "Card", 2, NULL, 601, 0, 0, 0, 0, 100, "Months: between 1 and 600" },
    { "Card", 0, NULL, 12, 0, 10000, 0, 0, 100, "Bonus: say for how much of a top-up the bonus is given" },
    { "Card", 0, NULL, 12, -1, 0, 0, 0, 100, "Bonus: amounts from nothing up" },
    { "Card", 0, NULL, 12, 0, 0, 100, 0, 100, "Redeem: give both how many points and what they are worth, or neither" },
    { "Card", 0, NULL, 12, 0, 0, 0, 0, 0, "Points: say for how much money charged the points are earned" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BbPrepaidAccount) ok = NULL;
  g_autoptr(BbPrepaidAccount) twin = NULL;
  g_autoptr(BbPrepaidAccount) nobody = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(BbPrepaidAccount) a = new_card (f->alice, bad[i].name);

      a->validity = bad[i].validity;
      a->expires_on = g_strdup (bad[i].expires_on);
      a->validity_months = bad[i].months;
      a->bonus_threshold = bad[i].bonus_threshold;
      a->bonus_amount = bad[i].bonus_amount;
      a->redeem_points = bad[i].redeem_points;
      a->redeem_value = bad[i].redeem_value;
      a->points_unit = bad[i].points_unit;
      g_assert_false (bb_prepaid_save_account (f->db, a, &error));
      g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, bad[i].message);
      g_assert_cmpint (a->id, ==, 0);
      g_clear_error (&error);
    }

  nobody = new_card (0, "Card");
  g_assert_false (bb_prepaid_save_account (f->db, nobody, &error));
  g_assert_cmpstr (error->message, ==, "Customer: choose whose card it is");
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_accounts"), ==, 0);

  /* A customer may hold several cards, each name once. */
  ok = new_card (f->alice, "  Membership card ");
  ok->validity = BB_PREPAID_VALIDITY_MONTHS;
  ok->validity_months = 12;
  g_free (ok->refund_policy);
  ok->refund_policy = g_strdup ("Paid-in money back within 7 days.\n赠送金额不退。");
  save_card (f, ok);
  g_assert_cmpstr (ok->name, ==, "Membership card");
  g_assert_null (ok->expires_on);      /* no top-up yet */
  g_assert_cmpstr (ok->customer_code, ==, "C000001");
  plain_card (f, f->alice, "Car wash package");
  plain_card (f, f->bob, "Membership card");

  twin = new_card (f->alice, "Membership card");
  g_assert_false (bb_prepaid_save_account (f->db, twin, &error));
  g_assert_cmpstr (error->message, ==, "Name: the customer has a card called “Membership card” already");
  g_clear_error (&error);

  /* Changing the terms is audited. */
  ok->low_balance_mark = 5000;
  g_assert_true (bb_prepaid_save_account (f->db, ok, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE table_name = 'prepaid_accounts' "
                                     "AND action = 'update'"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE table_name = 'prepaid_accounts' "
                                     "AND action = 'create'"), ==, 3);
  assert_sound (f);
}

/* "Top up 1000, get 100": per full 1000, as a bonus entry of its own. */
static void
test_bonus_rule (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BbPrepaidAccount) a = new_card (f->alice, "Membership card");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gint64 card;

  a->bonus_threshold = 100000;
  a->bonus_amount = 10000;
  card = save_card (f, a);
  g_assert_cmpint (bb_prepaid_account_compute_bonus (a, 250000), ==, 20000);

  top_up (f, card, "2026-03-01", 99999);
  assert_figures (f->db, card, 99999, 99999, 0, 0);
  g_assert_cmpint (count_kind (f->db, card, "bonus"), ==, 0);

  top_up (f, card, "2026-03-02", 100000);
  assert_figures (f->db, card, 209999, 199999, 10000, 0);

  top_up (f, card, "2026-03-03", 250000);
  assert_figures (f->db, card, 479999, 449999, 30000, 0);
  g_assert_cmpint (count_kind (f->db, card, "bonus"), ==, 2);
  g_assert_cmpint (customer_prepaid (f->db, f->alice), ==, 479999);
  g_assert_cmpint (customer_prepaid (f->db, f->bob), ==, 0);

  /* The ledger, in the order written, with the balance after each. */
  entries = bb_prepaid_list_entries (f->db, card, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 5);
  {
    BbPrepaidEntry *e2 = g_ptr_array_index (entries, 1);
    BbPrepaidEntry *e3 = g_ptr_array_index (entries, 2);
    BbPrepaidEntry *last = g_ptr_array_index (entries, 4);

    g_assert_cmpint (e2->kind, ==, BB_PREPAID_TOPUP);
    g_assert_true (e2->has_method);
    g_assert_cmpint (e2->method, ==, BB_PAYMENT_WECHAT_PAY);
    g_assert_cmpint (e3->kind, ==, BB_PREPAID_BONUS);
    g_assert_cmpint (e3->amount, ==, 10000);
    g_assert_cmpint (e3->bonus_part, ==, 10000);
    g_assert_cmpstr (e3->occurred_on, ==, "2026-03-02");
    g_assert_cmpint (last->kind, ==, BB_PREPAID_BONUS);
    g_assert_cmpint (last->amount, ==, 20000);
    g_assert_cmpint (last->balance_after, ==, 479999);
  }

  /* Money in is more than nothing, paid somehow, not from a card. */
  g_assert_false (bb_prepaid_top_up (f->db, card, NULL, 0, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Amount: must be more than zero");
  g_clear_error (&error);
  g_assert_false (bb_prepaid_top_up (f->db, card, NULL, 100, BB_PAYMENT_PREPAID, NULL, NULL, &error));
  g_assert_true (g_str_has_prefix (error->message, "Method: "));
  g_clear_error (&error);
  g_assert_false (bb_prepaid_top_up (f->db, card, "2026-13-01", 100, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_true (g_str_has_prefix (error->message, "Date: "));
  g_clear_error (&error);
  g_assert_false (bb_prepaid_top_up (f->db, 999, NULL, 100, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_figures (f->db, card, 479999, 449999, 30000, 0);
  assert_sound (f);

  /* Top-ups count as money received, bonuses do not. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'topup'"), ==, 3);
}

/* Paid-in money is spent first, then bonus; no charge takes the card
 * below zero, and the refusal says the balance. */
static void
test_charge_and_overdraft (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BbPrepaidAccount) a = new_card (f->alice, "Membership card");
  g_autoptr(GError) error = NULL;
  gint64 card;

  a->bonus_threshold = 100000;
  a->bonus_amount = 10000;
  card = save_card (f, a);
  top_up (f, card, "2026-03-01", 100000);

  charge (f, card, "2026-03-02", 95000);
  assert_figures (f->db, card, 15000, 5000, 10000, 0);
  charge (f, card, "2026-03-03", 10000);
  assert_figures (f->db, card, 5000, 0, 5000, 0);
  g_assert_cmpint (query_int (f->db, "SELECT bonus_part FROM prepaid_entries ORDER BY id DESC LIMIT 1"), ==, -5000);

  g_assert_false (bb_prepaid_charge (f->db, card, "2026-03-04", 5001, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Amount: ¥50.01 is more than the balance of ¥50.00 on Membership card");
  g_clear_error (&error);
  g_assert_false (bb_prepaid_adjust (f->db, card, "2026-03-04", -5001, "Counted wrong", NULL, &error));
  g_assert_cmpstr (error->message, ==, "Amount: taking ¥50.01 off is more than the balance of ¥50.00 on Membership card");
  g_clear_error (&error);
  g_assert_false (bb_prepaid_charge (f->db, card, "2026-03-04", -1, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Amount: must be more than zero");
  g_clear_error (&error);
  assert_figures (f->db, card, 5000, 0, 5000, 0);
  assert_sound (f);

  charge (f, card, "2026-03-04", 5000);
  assert_figures (f->db, card, 0, 0, 0, 0);
  g_assert_false (bb_prepaid_charge (f->db, card, "2026-03-05", 1, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Amount: ¥0.01 is more than the balance of ¥0.00 on Membership card");
  g_clear_error (&error);

  /* An adjustment needs a reason; in, it is paid-in money. */
  g_assert_false (bb_prepaid_adjust (f->db, card, "2026-03-05", 2000, "  ", NULL, &error));
  g_assert_cmpstr (error->message, ==, "Reason: say why the balance is adjusted");
  g_clear_error (&error);
  g_assert_true (bb_prepaid_adjust (f->db, card, "2026-03-05", 2000, "Charged twice on 3 March", NULL, &error));
  g_assert_no_error (error);
  assert_figures (f->db, card, 2000, 2000, 0, 0);
  assert_sound (f);
  g_assert_true (bb_prepaid_adjust (f->db, card, "2026-03-06", -500, "Counted wrong", NULL, &error));
  g_assert_no_error (error);
  assert_figures (f->db, card, 1500, 1500, 0, 0);
  assert_sound (f);

  /* last_used_on follows the charges. */
  {
    g_autoptr(BbPrepaidAccount) now = get_account (f->db, card);

    g_assert_cmpstr (now->last_used_on, ==, "2026-03-04");
  }
}

/* Refunds without refundable bonus: partial, then all that may be
 * refunded; the bonus stays. */
static void
test_refund_without_bonus (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BbPrepaidAccount) a = new_card (f->alice, "Membership card");
  g_autoptr(BbPrepaidAccount) now = NULL;
  g_autoptr(GError) error = NULL;
  gint64 card;

  a->bonus_threshold = 100000;
  a->bonus_amount = 10000;
  card = save_card (f, a);
  top_up (f, card, "2026-03-01", 100000);
  charge (f, card, "2026-03-02", 30000);
  assert_figures (f->db, card, 80000, 70000, 10000, 0);

  /* More than the paid-in money: refused, with the balance said. */
  g_assert_false (bb_prepaid_refund (f->db, card, "2026-03-03", 80000, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Amount: ¥800.00 is more than the ¥700.00 that can be refunded: the balance is ¥800.00, "
                   "of which ¥100.00 is bonus money, which the card’s terms do not refund");
  g_clear_error (&error);
  g_assert_false (bb_prepaid_refund (f->db, card, "2026-03-03", 80001, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Amount: ¥800.01 is more than the balance of ¥800.00 on Membership card");
  g_clear_error (&error);
  assert_figures (f->db, card, 80000, 70000, 10000, 0);

  /* Partial. */
  refund (f, card, "2026-03-03", 20000);
  assert_figures (f->db, card, 60000, 50000, 10000, 0);

  /* Full: all that may be refunded. */
  now = get_account (f->db, card);
  g_assert_cmpint (bb_prepaid_account_get_refundable (now), ==, 50000);
  refund (f, card, "2026-03-04", bb_prepaid_account_get_refundable (now));
  assert_figures (f->db, card, 10000, 0, 10000, 0);
  g_assert_false (bb_prepaid_refund (f->db, card, "2026-03-05", 1, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_true (g_str_has_prefix (error->message, "Amount: ¥0.01 is more than the ¥0.00 that can be refunded"));
  g_clear_error (&error);

  /* The bonus is still for spending. */
  charge (f, card, "2026-03-06", 10000);
  assert_figures (f->db, card, 0, 0, 0, 0);
  g_assert_cmpint (query_int (f->db, "SELECT -sum(amount) FROM prepaid_entries WHERE kind = 'refund'"), ==, 70000);
}

/* With refundable bonus: a partial refund takes paid-in money first, the
 * full one all the rest. */
static void
test_refund_with_bonus (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BbPrepaidAccount) a = new_card (f->alice, "Car wash package");
  g_autoptr(BbPrepaidAccount) now = NULL;
  gint64 card;

  a->bonus_threshold = 100000;
  a->bonus_amount = 10000;
  a->bonus_refundable = TRUE;
  card = save_card (f, a);
  top_up (f, card, "2026-03-01", 100000);
  charge (f, card, "2026-03-02", 30000);

  refund (f, card, "2026-03-03", 50000);
  assert_figures (f->db, card, 30000, 20000, 10000, 0);
  g_assert_cmpint (query_int (f->db, "SELECT bonus_part FROM prepaid_entries ORDER BY id DESC LIMIT 1"), ==, 0);

  now = get_account (f->db, card);
  g_assert_cmpint (bb_prepaid_account_get_refundable (now), ==, 30000);
  refund (f, card, "2026-03-04", 30000);
  assert_figures (f->db, card, 0, 0, 0, 0);
  g_assert_cmpint (query_int (f->db, "SELECT bonus_part FROM prepaid_entries ORDER BY id DESC LIMIT 1"), ==, -10000);
  g_assert_cmpint (customer_prepaid (f->db, f->alice), ==, 0);
}

/* A bill paid from the card: a charge and a payment of method prepaid,
 * in one transaction; taken back together. */
static void
test_pay_bill (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(BbPrepaidAccount) a = new_card (f->alice, "Membership card");
  g_autoptr(BbPayment) direct = bb_payment_new ();
  g_autoptr(BbPrepaidEntry) entry = NULL;
  g_autoptr(BbPayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  gint64 card, bill, other, entry_id = 0, back_id = 0;

  a->points_per_unit = 1;
  card = save_card (f, a);
  top_up (f, card, "2026-03-01", 50000);
  bill = make_bill (f->db, f->alice, "2026-03-01", 30000);
  other = make_bill (f->db, f->bob, "2026-03-01", 30000);
  assert_sound (f);

  g_assert_true (bb_prepaid_pay_bill (f->db, card, bill, "2026-03-05", 20000, &entry_id, &error));
  g_assert_no_error (error);
  assert_sound (f);
  g_assert_cmpint (bill_open (f->db, bill), ==, 10000);
  assert_figures (f->db, card, 30000, 30000, 0, 200);

  entry = bb_prepaid_get_entry (f->db, entry_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry->kind, ==, BB_PREPAID_CHARGE);
  g_assert_cmpint (entry->invoice_id, ==, bill);
  g_assert_cmpstr (entry->note, ==, "INV-2026-0001");
  payment = bb_payments_get (f->db, entry->payment_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (payment->method, ==, BB_PAYMENT_PREPAID);
  g_assert_cmpint (payment->prepaid_account_id, ==, card);
  g_assert_cmpint (payment->amount, ==, 20000);
  g_assert_cmpint (payment->unallocated, ==, 0);
  {
    g_autoptr(BbCustomer) c = bb_customers_get (f->db, f->alice, &error);

    g_assert_cmpint (c->outstanding, ==, 10000);
    g_assert_cmpint (c->credit, ==, 0);
    g_assert_cmpint (c->prepaid_balance, ==, 30000);
  }

  /* Only through the card: the payments calls still refuse method prepaid. */
  direct->customer_id = f->alice;
  direct->amount = 100;
  direct->method = BB_PAYMENT_PREPAID;
  direct->prepaid_account_id = card;
  g_assert_false (bb_payments_record (f->db, direct, NULL, NULL, &error));
  g_assert_true (g_str_has_prefix (error->message, "Method: a payment from a prepaid card is taken from the card"));
  g_clear_error (&error);
  g_assert_false (bb_payments_reverse (f->db, payment->id, "Wrong card", &error));
  g_clear_error (&error);

  /* What the bill does not owe, another's bill, more than the card holds. */
  g_assert_false (bb_prepaid_pay_bill (f->db, card, bill, "2026-03-06", 10001, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Amount: ¥100.01 is more than the ¥100.00 still open on bill INV-2026-0001");
  g_clear_error (&error);
  g_assert_false (bb_prepaid_pay_bill (f->db, card, other, "2026-03-06", 100, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Bill: bill INV-2026-0002 is for another customer than the card’s");
  g_clear_error (&error);
  g_assert_true (bb_prepaid_charge (f->db, card, "2026-03-06", 25000, NULL, NULL, &error));
  g_assert_false (bb_prepaid_pay_bill (f->db, card, bill, "2026-03-06", 10000, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Amount: ¥100.00 is more than the balance of ¥50.00 on Membership card");
  g_clear_error (&error);
  g_assert_cmpint (bill_open (f->db, bill), ==, 10000);
  assert_figures (f->db, card, 5000, 5000, 0, 450);
  assert_sound (f);

  /* Taken back: the card gets the money and loses the points, the bill
   * owes again, both sides stay in the history. */
  g_assert_false (bb_prepaid_reverse_charge (f->db, entry_id, "2026-03-07", "", NULL, &error));
  g_assert_cmpstr (error->message, ==, "Reason: say why the charge is taken back");
  g_clear_error (&error);
  g_assert_true (bb_prepaid_reverse_charge (f->db, entry_id, "2026-03-07", "Wrong card", &back_id, &error));
  g_assert_no_error (error);
  assert_sound (f);
  g_assert_cmpint (bill_open (f->db, bill), ==, 30000);
  assert_figures (f->db, card, 25000, 25000, 0, 250);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE method = 'prepaid'"), ==, 2);
  g_assert_false (bb_prepaid_reverse_charge (f->db, entry_id, "2026-03-08", "Again", NULL, &error));
  g_assert_cmpstr (error->message, ==, "The charge was taken back already, on 2026-03-07");
  g_clear_error (&error);
  g_assert_false (bb_prepaid_reverse_charge (f->db, back_id, NULL, "Not a charge", NULL, &error));
  g_clear_error (&error);

  /* Now the bill can be paid from the card in full, and voided only after. */
  g_assert_true (bb_prepaid_pay_bill (f->db, card, bill, "2026-03-08", 25000, NULL, &error));
  g_assert_no_error (error);
  assert_sound (f);
  g_assert_cmpint (bill_open (f->db, bill), ==, 5000);
}

/* Fixed expiry: written off once, on the day, whenever the run comes. */
static void
test_expiry_fixed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbPrepaidAccount) a = new_card (f->alice, "Membership card");
  g_autoptr(GError) error = NULL;
  GDate day;
  guint n = 99;
  gint64 card, empty;

  a->validity = BB_PREPAID_VALIDITY_FIXED;
  a->expires_on = g_strdup ("2026-06-01");
  a->bonus_threshold = 10000;
  a->bonus_amount = 1000;
  card = save_card (f, a);
  {
    g_autoptr(BbPrepaidAccount) e = new_card (f->bob, "Empty card");

    e->validity = BB_PREPAID_VALIDITY_FIXED;
    e->expires_on = g_strdup ("2026-06-01");
    empty = save_card (f, e);
  }
  top_up (f, card, "2026-01-10", 10000);
  charge (f, card, "2026-05-31", 3000);

  g_date_set_dmy (&day, 31, 5, 2026);
  g_assert_true (bb_prepaid_expire (f->db, &day, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  assert_figures (f->db, card, 8000, 7000, 1000, 0);

  g_date_set_dmy (&day, 1, 6, 2026);
  g_assert_true (bb_prepaid_expire (f->db, &day, &n, &error));
  g_assert_cmpuint (n, ==, 1);
  assert_sound (f);
  assert_figures (f->db, card, 0, 0, 0, 0);
  g_assert_cmpint (count_kind (f->db, card, "expiry"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT amount FROM prepaid_entries WHERE kind = 'expiry'"), ==, -8000);
  g_assert_cmpint (query_int (f->db, "SELECT bonus_part FROM prepaid_entries WHERE kind = 'expiry'"), ==, -1000);
  g_assert_cmpint (count_kind (f->db, empty, "expiry"), ==, 0);   /* nothing to write off */

  /* Again, and months later: nothing more. */
  g_assert_true (bb_prepaid_expire (f->db, &day, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_date_set_dmy (&day, 31, 12, 2027);
  g_assert_true (bb_prepaid_expire (f->db, &day, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (count_kind (f->db, card, "expiry"), ==, 1);
  assert_sound (f);

  /* An expired card takes nothing on or after its day, nor before its
   * expiry; a new day in its terms opens it again. */
  g_assert_false (bb_prepaid_top_up (f->db, card, "2026-06-01", 100, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "Date: the card expired on 2026-06-01; change its expiry day in its terms to use it again");
  g_clear_error (&error);
  g_assert_false (bb_prepaid_adjust (f->db, card, "2026-05-30", 100, "Late", NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "Date: 2026-05-30 is before the card’s money expired on 2026-06-01; nothing can be dated before that");
  g_clear_error (&error);
  {
    g_autoptr(BbPrepaidAccount) again = get_account (f->db, card);

    g_assert_true (bb_prepaid_account_is_expired (again, &day));
    g_free (again->expires_on);
    again->expires_on = g_strdup ("2027-06-01");
    g_assert_true (bb_prepaid_save_account (f->db, again, &error));
    g_assert_no_error (error);
  }
  top_up (f, card, "2026-07-01", 5000);
  assert_figures (f->db, card, 5000, 5000, 0, 0);

  /* Its day cannot be put before the money it holds. */
  {
    g_autoptr(BbPrepaidAccount) early = get_account (f->db, card);

    g_free (early->expires_on);
    early->expires_on = g_strdup ("2026-06-15");
    g_assert_false (bb_prepaid_save_account (f->db, early, &error));
    g_assert_cmpstr (error->message, ==,
                     "Expires on: the card has entries up to 2026-07-01; its money cannot expire before");
    g_clear_error (&error);
  }
  assert_sound (f);
}

/* Months from each top-up; the app was off across the day: the run after
 * it writes the expiry once, also after a restart; a later top-up renews
 * the card, and one made before any run first writes the old money off. */
static void
test_expiry_months_app_off (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BbPrepaidAccount) a = new_card (f->alice, "Membership card");
  g_autoptr(BbPrepaidAccount) b = new_card (f->bob, "Car wash package");
  g_autoptr(GError) error = NULL;
  GDate day;
  guint n = 0;
  gint64 card, other;

  a->validity = BB_PREPAID_VALIDITY_MONTHS;
  a->validity_months = 3;
  card = save_card (f, a);
  top_up (f, card, "2026-01-15", 10000);
  {
    g_autoptr(BbPrepaidAccount) now = get_account (f->db, card);

    g_assert_cmpstr (now->expires_on, ==, "2026-04-15");
  }
  top_up (f, card, "2026-02-01", 5000);
  charge (f, card, "2026-03-01", 2000);
  {
    g_autoptr(BbPrepaidAccount) now = get_account (f->db, card);

    g_assert_cmpstr (now->expires_on, ==, "2026-05-01");
  }

  /* The app is closed in April and opened again in September. */
  g_clear_object (&f->db);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  g_date_set_dmy (&day, 30, 9, 2026);
  g_assert_true (bb_prepaid_expire (f->db, &day, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  assert_sound (f);
  g_assert_cmpint (count_kind (f->db, card, "expiry"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE kind = 'expiry' "
                                     "AND occurred_on = '2026-05-01' AND amount = -13000"), ==, 1);

  /* Restarted again the same day, and the next. */
  g_clear_object (&f->db);
  f->db = bb_db_open (f->path, &error);
  g_assert_true (bb_prepaid_expire (f->db, &day, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_date_add_days (&day, 1);
  g_assert_true (bb_prepaid_expire (f->db, NULL, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (count_kind (f->db, card, "expiry"), ==, 1);
  assert_sound (f);

  /* Spending after the day is refused; a top-up renews the card. */
  g_assert_false (bb_prepaid_charge (f->db, card, "2026-10-01", 1, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Date: the card’s money expired on 2026-05-01; a top-up renews the card");
  g_clear_error (&error);
  top_up (f, card, "2026-10-01", 3000);
  {
    g_autoptr(BbPrepaidAccount) now = get_account (f->db, card);

    g_assert_cmpstr (now->expires_on, ==, "2027-01-01");
    g_assert_cmpint (now->balance, ==, 3000);
  }
  g_assert_cmpint (count_kind (f->db, card, "expiry"), ==, 1);

  /* No run at all: the top-up after the day writes the old money off
   * first, dated its day (the last day of a shorter month), once. */
  b->validity = BB_PREPAID_VALIDITY_MONTHS;
  b->validity_months = 1;
  other = save_card (f, b);
  top_up (f, other, "2026-01-31", 4000);
  {
    g_autoptr(BbPrepaidAccount) now = get_account (f->db, other);

    g_assert_cmpstr (now->expires_on, ==, "2026-02-28");
  }
  top_up (f, other, "2026-03-10", 1000);
  g_assert_cmpint (count_kind (f->db, other, "expiry"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT amount FROM prepaid_entries WHERE kind = 'expiry' "
                                     "AND occurred_on = '2026-02-28'"), ==, -4000);
  assert_figures (f->db, other, 1000, 1000, 0, 0);
  g_date_set_dmy (&day, 1, 3, 2026);
  g_assert_true (bb_prepaid_expire (f->db, &day, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (count_kind (f->db, other, "expiry"), ==, 1);
  assert_sound (f);
}

/* A months card expires by its top-up with the latest date, whatever
 * the order the top-ups were entered in; a charge entered late leaves
 * the last use at the latest charge. */
static void
test_expiry_months_backdated (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(BbPrepaidAccount) a = new_card (f->alice, "Membership card");
  gint64 card;

  a->validity = BB_PREPAID_VALIDITY_MONTHS;
  a->validity_months = 3;
  card = save_card (f, a);
  top_up (f, card, "2026-03-10", 10000);
  charge (f, card, "2026-03-20", 2000);

  /* Entered late: dated before the latest top-up and charge. */
  top_up (f, card, "2026-02-01", 5000);
  charge (f, card, "2026-03-15", 1000);
  {
    g_autoptr(BbPrepaidAccount) now = get_account (f->db, card);

    g_assert_cmpstr (now->expires_on, ==, "2026-06-10");
    g_assert_cmpstr (now->last_used_on, ==, "2026-03-20");
    g_assert_cmpint (now->balance, ==, 12000);
  }

  /* A later top-up still renews it; one entered after it, dated
   * between, does not take the expiry back. */
  top_up (f, card, "2026-05-01", 1000);
  top_up (f, card, "2026-04-01", 1000);
  {
    g_autoptr(BbPrepaidAccount) now = get_account (f->db, card);

    g_assert_cmpstr (now->expires_on, ==, "2026-08-01");
  }
  g_assert_cmpint (count_kind (f->db, card, "expiry"), ==, 0);
}

/* A top-up dated back to a day the card had expired: on the day of the
 * expiry written, it comes after it, as the top-up that renewed the
 * card; before it, it is refused. One whose money would have expired
 * before the card's next top-up is refused too: that expiry cannot be
 * written after the fact. */
static void
test_expiry_months_backdated_expired (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(BbPrepaidAccount) a = new_card (f->alice, "Membership card");
  g_autoptr(BbPrepaidAccount) b = new_card (f->bob, "Car wash package");
  g_autoptr(GError) error = NULL;
  gint64 card, other;

  a->validity = BB_PREPAID_VALIDITY_MONTHS;
  a->validity_months = 1;
  card = save_card (f, a);
  top_up (f, card, "2026-01-10", 4000);
  top_up (f, card, "2026-03-01", 1000);      /* writes 40.00 off on 2026-02-10 */
  g_assert_cmpint (count_kind (f->db, card, "expiry"), ==, 1);

  g_assert_false (bb_prepaid_top_up (f->db, card, "2026-02-09", 500, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Date: 2026-02-09 is before the card’s money expired on 2026-02-10; nothing can be dated before that");
  g_clear_error (&error);
  assert_sound (f);

  top_up (f, card, "2026-02-10", 500);
  {
    g_autoptr(BbPrepaidAccount) now = get_account (f->db, card);

    g_assert_cmpstr (now->expires_on, ==, "2026-04-01");
    g_assert_cmpint (now->balance, ==, 1500);
  }
  g_assert_cmpint (count_kind (f->db, card, "expiry"), ==, 1);

  /* Money that would have expired before the next top-up came. */
  b->validity = BB_PREPAID_VALIDITY_MONTHS;
  b->validity_months = 1;
  other = save_card (f, b);
  top_up (f, other, "2026-05-20", 3000);
  top_up (f, other, "2026-06-10", 3000);
  g_assert_false (bb_prepaid_top_up (f->db, other, "2026-04-20", 500, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Date: money topped up on 2026-04-20 would have expired on 2026-05-20, before the card’s "
                   "next top-up on 2026-05-20; a top-up cannot be dated that far back");
  g_clear_error (&error);
  assert_sound (f);

  /* A day later it is still good when the next top-up comes. */
  top_up (f, other, "2026-04-21", 500);
  {
    g_autoptr(BbPrepaidAccount) now = get_account (f->db, other);

    g_assert_cmpstr (now->expires_on, ==, "2026-07-10");
    g_assert_cmpint (now->balance, ==, 6500);
  }
}

/* Two processes run the expiry at once: each card's money is written off
 * once. */
static void
test_expiry_two_processes (Fixture       *f,
                           gconstpointer  data)
{
  const guint n_cards = 20;
  g_autoptr(GError) error = NULL;
  guint n_parent = 0;
  pid_t child;
  int status;

  for (guint i = 0; i < n_cards; i++)
    {
      g_autofree char *name = g_strdup_printf ("Card %u", i);
      g_autoptr(BbPrepaidAccount) a = new_card (i % 2 ? f->alice : f->bob, name);
      gint64 id;

      a->validity = BB_PREPAID_VALIDITY_FIXED;
      a->expires_on = g_strdup_printf ("2026-04-%02u", 1 + i);
      id = save_card (f, a);
      top_up (f, id, "2026-01-01", 1000 + i);
    }
  g_clear_object (&f->db);

  child = fork ();
  g_assert_cmpint (child, >=, 0);
  {
    g_autoptr(BbDb) db = bb_db_open (f->path, NULL);
    g_autoptr(GError) local_error = NULL;
    GDate day;
    guint n = 0;

    g_date_set_dmy (&day, 30, 6, 2026);
    for (guint round = 0; round < 5; round++)
      {
        if (db == NULL || !bb_prepaid_expire (db, &day, &n, &local_error))
          {
            g_printerr ("expire failed: %s\n", local_error ? local_error->message : "no book");
            if (child == 0)
              _exit (1);
            g_assert_not_reached ();
          }
        if (child != 0)
          n_parent += n;
      }
  }
  if (child == 0)
    _exit (0);

  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE kind = 'expiry'"), ==, n_cards);
  g_assert_cmpint (query_int (f->db, "SELECT count(DISTINCT account_id) FROM prepaid_entries WHERE kind = 'expiry'"),
                   ==, n_cards);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_accounts WHERE balance <> 0"), ==, 0);
  g_assert_cmpuint (n_parent, <=, n_cards);
  assert_sound (f);
}

/* Points: earned on charges by the rule, redeemed as bonus money that
 * later charges spend, shown on the customer. */
static void
test_points (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BbPrepaidAccount) a = new_card (f->alice, "Membership card");
  g_autoptr(GError) error = NULL;
  BbMoney balance = 0;
  gint64 card, plain, points = 0, charge_id;

  /* 1 point per full 1.00 charged; 100 points are worth 1.00. */
  a->points_per_unit = 1;
  a->points_unit = 100;
  a->redeem_points = 100;
  a->redeem_value = 100;
  card = save_card (f, a);
  g_assert_cmpint (bb_prepaid_account_compute_points (a, 12345), ==, 123);
  g_assert_cmpint (bb_prepaid_account_compute_redeem_value (a, 250), ==, -1);

  top_up (f, card, "2026-03-01", 100000);
  charge (f, card, "2026-03-02", 15000);
  charge_id = charge (f, card, "2026-03-03", 12345);
  assert_figures (f->db, card, 72655, 72655, 0, 273);
  g_assert_true (bb_prepaid_get_customer_totals (f->db, f->alice, &balance, &points, &error));
  g_assert_cmpint (balance, ==, 72655);
  g_assert_cmpint (points, ==, 273);

  g_assert_false (bb_prepaid_redeem_points (f->db, card, "2026-03-04", 150, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Points: points are redeemed in steps of 100");
  g_clear_error (&error);
  g_assert_false (bb_prepaid_redeem_points (f->db, card, "2026-03-04", 300, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Points: 300 is more than the 273 points on Membership card");
  g_clear_error (&error);
  g_assert_false (bb_prepaid_redeem_points (f->db, card, "2026-03-04", 0, NULL, NULL, &error));
  g_clear_error (&error);

  g_assert_true (bb_prepaid_redeem_points (f->db, card, "2026-03-04", 200, "Birthday", NULL, &error));
  g_assert_no_error (error);
  assert_sound (f);
  assert_figures (f->db, card, 72855, 72655, 200, 73);

  /* The redeemed value is a discount: bonus money spent after the paid-in. */
  charge (f, card, "2026-03-05", 72700);
  assert_figures (f->db, card, 155, 0, 155, 800);
  g_assert_true (bb_prepaid_get_customer_totals (f->db, f->alice, NULL, &points, &error));
  g_assert_cmpint (points, ==, 800);

  /* A charge taken back takes its points back too. */
  g_assert_true (bb_prepaid_reverse_charge (f->db, charge_id, "2026-03-06", "Returned", NULL, &error));
  g_assert_no_error (error);
  assert_figures (f->db, card, 12500, 12345, 155, 677);
  assert_sound (f);

  /* A card without a redemption rate redeems nothing. */
  plain = plain_card (f, f->alice, "Car wash package");
  g_assert_false (bb_prepaid_redeem_points (f->db, plain, NULL, 100, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Points: the terms of Car wash package do not redeem points");
  g_clear_error (&error);
}

/* Two processes charge one card at once: every charge is counted, none
 * overdraws it. */
static void
test_two_processes_charging (Fixture       *f,
                             gconstpointer  data)
{
  const guint per_process = 60;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbPrepaidAccount) a = new_card (f->alice, "Membership card");
  int fds[2];
  pid_t child;
  int status;
  guint ok_parent = 0, ok_child = 0, refused = 0;
  gint64 card;

  a->points_per_unit = 1;
  card = save_card (f, a);
  top_up (f, card, "2026-03-01", 10000);      /* 100 charges of 1.00 */
  g_clear_object (&f->db);
  g_assert_cmpint (pipe (fds), ==, 0);

  child = fork ();
  g_assert_cmpint (child, >=, 0);
  {
    g_autoptr(BbDb) db = bb_db_open (f->path, NULL);
    guint ok = 0;

    for (guint i = 0; db != NULL && i < per_process; i++)
      {
        g_autoptr(GError) local_error = NULL;

        if (bb_prepaid_charge (db, card, "2026-03-02", 100, NULL, NULL, &local_error))
          ok++;
        else if (g_str_has_prefix (local_error->message, "Amount: ¥1.00 is more than the balance of ¥"))
          {
            if (child != 0)
              refused++;
          }
        else
          {
            g_printerr ("charge failed: %s\n", local_error->message);
            if (child == 0)
              _exit (1);
            g_assert_not_reached ();
          }
      }

    if (child == 0)
      {
        ssize_t w = write (fds[1], &ok, sizeof ok);

        _exit (db != NULL && w == sizeof ok ? 0 : 1);
      }
    ok_parent = ok;
  }

  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpint (read (fds[0], &ok_child, sizeof ok_child), ==, sizeof ok_child);
  close (fds[0]);
  close (fds[1]);

  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  g_test_message ("parent %u, child %u charges", ok_parent, ok_child);
  g_assert_cmpuint (ok_parent + ok_child, ==, 100);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM prepaid_entries WHERE kind = 'charge'"), ==, 100);
  assert_figures (f->db, card, 0, 0, 0, 100);
  assert_sound (f);
}

/* The ledger is append-only; a closed card takes nothing. */
static void
test_append_only_and_close (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbPrepaidAccount) a = NULL;
  gint64 card = plain_card (f, f->alice, "Membership card");

  top_up (f, card, "2026-03-01", 1000);
  g_assert_false (_bb_db_exec (f->db, "UPDATE prepaid_entries SET amount = 1", &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (_bb_db_exec (f->db, "DELETE FROM prepaid_entries", &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);

  a = get_account (f->db, card);
  a->closed = TRUE;
  g_assert_false (bb_prepaid_save_account (f->db, a, &error));
  g_assert_cmpstr (error->message, ==, "Closed: the card still holds ¥10.00; refund it or adjust it to nothing first");
  g_clear_error (&error);
  refund (f, card, "2026-03-02", 1000);
  g_assert_true (bb_prepaid_save_account (f->db, a, &error));
  g_assert_no_error (error);
  g_assert_false (bb_prepaid_top_up (f->db, card, "2026-03-03", 1000, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Card: the card “Membership card” is closed");
  g_clear_error (&error);
  assert_sound (f);
}

/* The list: counted, searched and sorted in SQL, with the liability. */
static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  BbPrepaidQuery query = { 0 };
  BbPrepaidTotals totals;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbPrepaidList) list = NULL;
  g_autoptr(BbPrepaidAccount) low = new_card (f->bob, "Car wash package");
  gint64 c1, c2, c3;

  c1 = plain_card (f, f->alice, "Membership card");
  c2 = plain_card (f, f->alice, "Car wash package");
  low->low_balance_mark = 5000;
  low->bonus_threshold = 10000;
  low->bonus_amount = 500;
  c3 = save_card (f, low);
  top_up (f, c1, "2026-03-01", 30000);
  top_up (f, c2, "2026-03-01", 10000);
  top_up (f, c3, "2026-03-01", 10000);
  charge (f, c3, "2026-03-02", 8000);

  query.sort = BB_PREPAID_SORT_BALANCE;
  query.descending = TRUE;
  g_assert_cmpint (bb_prepaid_count (f->db, &query, &error), ==, 3);
  page = bb_prepaid_search (f->db, &query, 0, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpint (((BbPrepaidAccount *) g_ptr_array_index (page, 0))->id, ==, c1);
  g_assert_cmpint (((BbPrepaidAccount *) g_ptr_array_index (page, 1))->id, ==, c2);
  g_assert_cmpint (bb_prepaid_position (f->db, &query, c3, &error), ==, 2);
  g_assert_cmpint (bb_prepaid_position (f->db, &query, 999, &error), ==, -1);

  g_assert_true (bb_prepaid_get_totals (f->db, &query, &totals, &error));
  g_assert_cmpint (totals.n_accounts, ==, 3);
  g_assert_cmpint (totals.balance, ==, 42500);
  g_assert_cmpint (totals.bonus, ==, 500);
  g_assert_cmpint (totals.paid_in, ==, 42000);

  query.text = g_strdup ("car WASH");
  g_assert_cmpint (bb_prepaid_count (f->db, &query, &error), ==, 2);
  g_free (query.text);
  query.text = g_strdup ("bob");
  g_assert_cmpint (bb_prepaid_count (f->db, &query, &error), ==, 1);
  g_clear_pointer (&query.text, g_free);
  query.low_only = TRUE;
  g_assert_cmpint (bb_prepaid_count (f->db, &query, &error), ==, 1);
  query.low_only = FALSE;
  query.customer_id = f->alice;
  g_assert_true (bb_prepaid_get_totals (f->db, &query, &totals, &error));
  g_assert_cmpint (totals.balance, ==, 40000);

  list = bb_prepaid_list_new (f->db);
  bb_prepaid_list_set_query (list, &query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == BB_TYPE_PREPAID_ACCOUNT);
  bb_prepaid_query_clear (&query);
}

/* Check accounts finds a ledger or a figure changed behind core's back. */
static void
test_check_finds (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gint64 card = plain_card (f, f->alice, "Membership card");

  top_up (f, card, "2026-03-01", 10000);
  charge (f, card, "2026-03-02", 2000);

  /* A bonus out of nowhere inside the paid-in part, points not earned,
   * a charge taking bonus first. */
  g_assert_true (_bb_db_exec (f->db,
                              "UPDATE prepaid_accounts SET points = 7, bonus = 5;"
                              "INSERT INTO prepaid_entries (account_id, occurred_on, kind, amount, bonus_part, created_at) "
                              "VALUES (1, '2026-03-03', 'charge', -100, -100, '')",
                              &error));
  g_assert_no_error (error);
  g_assert_true (bb_prepaid_check_accounts (f->db, problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, >=, 4);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==,
                   "Prepaid entry #3 on Membership card of C000001: its bonus part is -100, but bonus money goes "
                   "after paid-in money and the rules make it 0");
  g_assert_false (bb_check_book (f->db, NULL, &error));
  g_assert_no_error (error);
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

  ADD ("/prepaid/terms", test_terms);
  ADD ("/prepaid/top-up/bonus-rule", test_bonus_rule);
  ADD ("/prepaid/charge/overdraft", test_charge_and_overdraft);
  ADD ("/prepaid/refund/without-refundable-bonus", test_refund_without_bonus);
  ADD ("/prepaid/refund/with-refundable-bonus", test_refund_with_bonus);
  ADD ("/prepaid/pay-bill", test_pay_bill);
  ADD ("/prepaid/expiry/fixed", test_expiry_fixed);
  ADD ("/prepaid/expiry/months-app-off", test_expiry_months_app_off);
  ADD ("/prepaid/expiry/months-backdated", test_expiry_months_backdated);
  ADD ("/prepaid/expiry/months-backdated-expired", test_expiry_months_backdated_expired);
  ADD ("/prepaid/expiry/two-processes", test_expiry_two_processes);
  ADD ("/prepaid/points", test_points);
  ADD ("/prepaid/charge/two-processes", test_two_processes_charging);
  ADD ("/prepaid/append-only-and-close", test_append_only_and_close);
  ADD ("/prepaid/list", test_list);
  ADD ("/prepaid/check-finds", test_check_finds);

  return g_test_run ();
}
