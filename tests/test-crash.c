/* test-crash.c — a writer killed at any moment leaves a sound book
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test runs this same program again as a writer
 * (`test-crash --writer BOOK SEED`), a clean process that does real work
 * through the core API for ever: new customers, bills saved as drafts,
 * sent to review and issued, bills voided, customers imported from CSV,
 * payments recorded, and prepaid cards opened, topped up (with bonus),
 * charged and refunded. After each action that committed it writes one
 * line to its standard output, such as "committed issue 17 INV-2026-0009".
 *
 * The test kills the writer with SIGKILL after a random few milliseconds,
 * opens the book and checks it: SQLite's integrity check; everything the
 * writer said it committed is there, in at least the state it said; no
 * half action is visible (every bill has its lines and totals that agree
 * with them, the numbers of each year run 1, 2, 3… without a gap and
 * agree with the year's counter, an import brought all the rows of its
 * file or none, every change has its audit row and every audit row its
 * change, every ledger entry said is there with its amount); and
 * bb_check_book(), which recomputes every kept balance and replays every
 * prepaid ledger against its card's rules, finds nothing. Then a new writer carries on in the same book, so damage
 * would pile up.
 *
 * Rounds: 20 by default (a few seconds); set BILLBOOK_CRASH_ROUNDS for
 * more, e.g.
 *
 *   BILLBOOK_CRASH_ROUNDS=200 meson test -C build test-crash
 *
 * The delays and the writers' choices come from g_test_rand, so a failing
 * run is replayed with the seed it printed (`--seed R02S…`); when exactly
 * the kill lands still depends on the machine. A failing run leaves its
 * book in the folder it names.
 *
 * A killed process is what this test makes: what SQLite has written is
 * in the operating system's cache and survives. A power cut, where only
 * what was fsync'ed survives, is not simulated here.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "bb-check.h"
#include "bb-customer-io.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoices.h"
#include "bb-payments.h"
#include "bb-prepaid.h"

#define DEFAULT_ROUNDS 20

/* How long the writer may take to say "ready" (or, see run_writer(), to
 * issue a first bill). */
#define READY_TIMEOUT_US (30 * G_USEC_PER_SEC)

/* ---- The writer ----------------------------------------------------- */

typedef struct
{
  BbDb    *db;
  GRand   *rand;
  guint32  seed;
  guint    n_imports;
} Writer;

/* One line to the test, with write(2): nothing is left in a buffer when
 * the kill comes, and a line shorter than PIPE_BUF arrives whole or not
 * at all. */
static void say (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
say (const char *format,
     ...)
{
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  const char *p;
  gsize left;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  line = g_strconcat (text, "\n", NULL);

  p = line;
  left = strlen (line);
  while (left > 0)
    {
      ssize_t n = write (STDOUT_FILENO, p, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        _exit (3);
      p += n;
      left -= (gsize) n;
    }
}

/* A row of a fixed query with ?1 = @offset, or 0 when there is none. */
static gint64
query_id (BbDb       *db,
          const char *sql,
          gint64      offset)
{
  sqlite3_stmt *stmt = NULL;
  gint64 id = 0;

  if (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  sqlite3_bind_int64 (stmt, 1, offset);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return id;
}

/* A random row of @select_sql ("… LIMIT 1 OFFSET ?1"), of the @count_sql
 * there are; 0 when there are none. */
static gint64
pick (Writer     *w,
      const char *count_sql,
      const char *select_sql)
{
  gint64 n = query_id (w->db, count_sql, 0);

  if (n <= 0)
    return 0;

  return query_id (w->db, select_sql, g_rand_int_range (w->rand, 0, (gint32) MIN (n, G_MAXINT32)));
}

static gboolean
write_customer (Writer  *w,
                GError **error)
{
  g_autoptr(BbCustomer) c = bb_customer_new ();

  g_free (c->name);
  c->name = g_strdup_printf ("客户 Crash %08x-%u", w->seed, g_rand_int (w->rand));
  g_free (c->address);
  c->address = g_strdup ("上海市徐汇区漕溪北路 88 号");
  g_free (c->phone);
  c->phone = g_strdup ("138 0013 8000");
  c->payment_terms_days = g_rand_int_range (w->rand, 0, 61);
  if (!bb_customers_save (w->db, c, error))
    return FALSE;

  say ("committed customer %" G_GINT64_FORMAT " %s", c->id, c->code);
  return TRUE;
}

/* A draft of 1–5 lines, then (mostly) review, then (mostly) issue: three
 * actions, each its own transaction, each said when it committed. */
static gboolean
write_bill (Writer  *w,
            GError **error)
{
  static const BbRate discounts[] = { 0, 0, 500, 1000, 3333 };
  static const BbRate taxes[] = { 0, 600, 900, 1300 };
  g_autoptr(BbInvoice) inv = bb_invoice_new ();
  g_autoptr(BbInvoice) issued = NULL;
  gint64 customer;
  guint n_lines;

  customer = pick (w, "SELECT count(*) FROM customers",
                   "SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET ?1");
  if (customer == 0)
    return write_customer (w, error);

  inv->customer_id = customer;
  g_free (inv->issued_on);
  inv->issued_on = g_strdup_printf ("%d-%02d-%02d",
                                    g_rand_int_range (w->rand, 2025, 2028),
                                    g_rand_int_range (w->rand, 1, 13),
                                    g_rand_int_range (w->rand, 1, 29));
  n_lines = (guint) g_rand_int_range (w->rand, 1, 6);
  for (guint i = 0; i < n_lines; i++)
    {
      g_autofree char *description = g_strdup_printf ("洗车 Car wash %u", i + 1);

      bb_invoice_add_line (inv, description,
                           g_rand_int_range (w->rand, 1, 50) * 100,    /* 0.1 … 4.9 */
                           g_rand_int_range (w->rand, 100, 100000),
                           discounts[g_rand_int_range (w->rand, 0, G_N_ELEMENTS (discounts))],
                           taxes[g_rand_int_range (w->rand, 0, G_N_ELEMENTS (taxes))]);
    }
  if (!bb_invoices_save_draft (w->db, inv, error))
    return FALSE;
  say ("committed draft %" G_GINT64_FORMAT " %u %" G_GINT64_FORMAT, inv->id, n_lines, inv->total);

  if (g_rand_int_range (w->rand, 0, 10) == 0)
    return TRUE;
  if (!bb_invoices_submit (w->db, inv->id, error))
    return FALSE;
  say ("committed review %" G_GINT64_FORMAT, inv->id);

  if (g_rand_int_range (w->rand, 0, 10) == 0)
    return TRUE;
  if (!bb_invoices_issue (w->db, inv->id, error))
    return FALSE;
  issued = bb_invoices_get (w->db, inv->id, error);
  if (issued == NULL)
    return FALSE;
  say ("committed issue %" G_GINT64_FORMAT " %s", inv->id, issued->number);

  return TRUE;
}

static gboolean
write_void (Writer  *w,
            GError **error)
{
  gint64 id = pick (w,
                    "SELECT count(*) FROM invoices WHERE status = 'issued' AND paid = 0",
                    "SELECT id FROM invoices WHERE status = 'issued' AND paid = 0 "
                    "ORDER BY id LIMIT 1 OFFSET ?1");

  if (id == 0)
    return write_bill (w, error);

  if (!bb_invoices_void (w->db, id, "Crash test: wrong customer", error))
    return FALSE;
  say ("committed void %" G_GINT64_FORMAT, id);

  return TRUE;
}

/* A file of 1–8 customers whose names carry a marker of the file and
 * their row: "IMPxxxxxxxx.k 3/8". */
static gboolean
write_import (Writer  *w,
              GError **error)
{
  g_autoptr(GString) csv = g_string_new (BB_CUSTOMERS_CSV_HEADER "\r\n");
  g_autoptr(GBytes) data = NULL;
  g_autoptr(BbImportReport) report = NULL;
  g_autofree char *marker = g_strdup_printf ("IMP%08x.%u", w->seed, w->n_imports++);
  guint n = (guint) g_rand_int_range (w->rand, 1, 9);

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (csv,
                            ",%s %u/%u,Crash Trading,139 0000 %04u,,\"1 Import Road, Pudong\",,,0.00,%u,crash,\r\n",
                            marker, i, n, i, (guint) g_rand_int_range (w->rand, 0, 61));
  data = g_string_free_to_bytes (g_steal_pointer (&csv));

  if (!bb_customers_import_csv (w->db, data, FALSE, NULL, NULL, NULL, &report, error))
    return FALSE;
  say ("committed import %s %u", marker, report->n_imported);

  return TRUE;
}

static gboolean
write_payment (Writer  *w,
               GError **error)
{
  g_autoptr(BbPayment) payment = bb_payment_new ();
  g_autoptr(GPtrArray) allocations = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 id, customer = 0;
  BbMoney open = 0;

  id = pick (w,
             "SELECT count(*) FROM invoices WHERE status = 'issued' AND open_balance > 0",
             "SELECT id FROM invoices WHERE status = 'issued' AND open_balance > 0 "
             "ORDER BY id LIMIT 1 OFFSET ?1");
  if (id == 0)
    return write_bill (w, error);

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (w->db),
                                       "SELECT customer_id, open_balance FROM invoices WHERE id = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      customer = sqlite3_column_int64 (stmt, 0);
      open = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (open, >, 0);

  payment->customer_id = customer;
  g_free (payment->received_on);
  /* After every bill: they are of 2025 … 2027. */
  payment->received_on = g_strdup_printf ("2028-%02d-%02d",
                                          g_rand_int_range (w->rand, 1, 13),
                                          g_rand_int_range (w->rand, 1, 29));
  payment->method = (BbPaymentMethod) g_rand_int_range (w->rand, BB_PAYMENT_CASH, BB_PAYMENT_WECHAT_PAY + 1);
  g_free (payment->reference);
  payment->reference = g_strdup_printf ("TXN%u", g_rand_int (w->rand));

  if (g_rand_int_range (w->rand, 0, 5) < 3)
    {
      /* This bill, all of it or a part; now and then more, as credit. */
      BbMoney part = open <= 1 ? 1 : 1 + g_rand_int_range (w->rand, 0, (gint32) MIN (open, G_MAXINT32));

      allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);
      g_ptr_array_add (allocations, bb_allocation_new (id, part));
      payment->amount = part + (g_rand_int_range (w->rand, 0, 5) == 0 ? g_rand_int_range (w->rand, 1, 5000) : 0);
    }
  else
    {
      /* The customer's open bills, oldest due first. */
      payment->amount = 1 + g_rand_int_range (w->rand, 0, (gint32) MIN (open + open / 5, G_MAXINT32 - 1));
    }

  if (!bb_payments_record (w->db, payment, allocations, NULL, error))
    return FALSE;
  say ("committed payment %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
       payment->id, payment->customer_id, payment->amount);

  return TRUE;
}

/* A prepaid card of a random customer: opened if it has none (one top-up
 * of 1000.00 brings 100.00 bonus, 1 point a yuan), then topped up,
 * charged or refunded. Ledger entries are said with their amounts, the
 * bonus that came with a top-up as its own entry. */
static gboolean
write_prepaid (Writer  *w,
               GError **error)
{
  g_autoptr(BbPrepaidAccount) card = NULL;
  g_autoptr(BbPrepaidEntry) entry = NULL;
  gint64 customer, entry_id = 0;
  int choice = g_rand_int_range (w->rand, 0, 10);
  BbMoney amount;

  /* Mostly a card the writers opened before, so that charges and
   * refunds find money on it; now and then any customer's. */
  if (g_rand_int_range (w->rand, 0, 10) < 7)
    {
      gint64 id = pick (w, "SELECT count(*) FROM prepaid_accounts",
                        "SELECT id FROM prepaid_accounts ORDER BY id LIMIT 1 OFFSET ?1");

      if (id != 0)
        {
          card = bb_prepaid_get_account (w->db, id, error);
          if (card == NULL)
            return FALSE;
        }
    }

  customer = card != NULL ? card->customer_id
                          : pick (w, "SELECT count(*) FROM customers",
                                  "SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET ?1");
  if (customer == 0)
    return write_customer (w, error);

  if (card == NULL)
    card = bb_prepaid_find_account (w->db, customer, "Crash 储值卡", error);
  if (card == NULL)
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      card = bb_prepaid_account_new ();
      card->customer_id = customer;
      g_free (card->name);
      card->name = g_strdup ("Crash 储值卡");
      card->bonus_threshold = 100000;
      card->bonus_amount = 10000;
      card->points_per_unit = 1;
      card->points_unit = 100;
      card->bonus_refundable = g_rand_boolean (w->rand);
      if (!bb_prepaid_save_account (w->db, card, error))
        return FALSE;
      say ("committed card %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, card->id, customer);
      choice = 0;
    }

  if (choice < 5 || card->balance == 0)
    {
      amount = g_rand_int_range (w->rand, 1, 25) * 10000;     /* 100.00 … 2400.00 */
      if (!bb_prepaid_top_up (w->db, card->id, "2028-06-01", amount,
                              (BbPaymentMethod) g_rand_int_range (w->rand, BB_PAYMENT_CASH, BB_PAYMENT_WECHAT_PAY + 1),
                              "crash", &entry_id, error))
        return FALSE;
      say ("committed topup %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
           entry_id, card->id, amount);
    }
  else if (choice < 9)
    {
      amount = 1 + g_rand_int_range (w->rand, 0, (gint32) MIN (card->balance, G_MAXINT32));
      if (!bb_prepaid_charge (w->db, card->id, "2028-06-02", amount, "crash", &entry_id, error))
        return FALSE;
      say ("committed charge %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
           entry_id, card->id, -amount);
    }
  else
    {
      amount = bb_prepaid_account_get_refundable (card);
      if (amount <= 0)
        return TRUE;
      amount = 1 + g_rand_int_range (w->rand, 0, (gint32) MIN (amount, G_MAXINT32));
      if (!bb_prepaid_refund (w->db, card->id, "2028-06-03", amount, BB_PAYMENT_CASH,
                              "crash", &entry_id, error))
        return FALSE;
      say ("committed refund %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
           entry_id, card->id, -amount);
    }

  return TRUE;
}

static int
writer_main (const char *path,
             const char *seed_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbDb) db = NULL;
  g_autoptr(GRand) rand = NULL;
  Writer w = { 0 };

  w.seed = (guint32) g_ascii_strtoull (seed_text, NULL, 10);
  rand = g_rand_new_with_seed (w.seed);
  db = bb_db_open (path, &error);
  if (db == NULL)
    {
      say ("error open: %s", error->message);
      return 1;
    }
  w.db = db;
  w.rand = rand;
  say ("ready");

  for (;;)
    {
      int choice = g_rand_int_range (rand, 0, 100);
      gboolean ok;

      if (choice < 15)
        ok = write_customer (&w, &error);
      else if (choice < 55)
        ok = write_bill (&w, &error);
      else if (choice < 65)
        ok = write_void (&w, &error);
      else if (choice < 75)
        ok = write_import (&w, &error);
      else if (choice < 88)
        ok = write_payment (&w, &error);
      else
        ok = write_prepaid (&w, &error);

      if (!ok)
        {
          g_autofree char *message = g_strdelimit (g_strdup (error->message), "\n", ' ');

          say ("error %d: %s", choice, message);
          return 1;
        }
    }

  return 0;
}

/* ---- What the writers said ------------------------------------------ */

typedef enum
{
  STATE_DRAFT,
  STATE_REVIEW,
  STATE_ISSUED,
  STATE_VOID,
} BillState;

typedef struct
{
  guint      n_lines;
  BbMoney    total;
  BillState  state;
  char      *number;
} Bill;

static void
bill_free (Bill *bill)
{
  g_free (bill->number);
  g_free (bill);
}

typedef struct
{
  gint64  customer_id;
  BbMoney amount;
} Payment;

/* A prepaid ledger entry said (its bonus, if any, is not). */
typedef struct
{
  gint64  account_id;
  BbMoney amount;
} Entry;

static const char * const kinds[] = {
  "customer", "draft", "review", "issue", "void", "import", "payment",
  "card", "topup", "charge", "refund",
};
#define KIND_ISSUE 3

typedef struct
{
  char       *dir;
  char       *path;
  char       *self_exe;
  GHashTable *customers;   /* id → code */
  GHashTable *bills;       /* id → Bill */
  GHashTable *imports;     /* marker → rows */
  GHashTable *payments;    /* id → Payment */
  GHashTable *cards;       /* id → customer id */
  GHashTable *entries;     /* id → Entry */
  guint       n_committed;
  guint       n_by_kind[G_N_ELEMENTS (kinds)];
} Crash;

static gint64 *
id_key (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

static Bill *
lookup_bill (Crash  *crash,
             gint64  id)
{
  Bill *bill = g_hash_table_lookup (crash->bills, &id);

  if (bill == NULL)
    g_error ("The writer reported bill %" G_GINT64_FORMAT " before saving it", id);

  return bill;
}

static void
take_line (Crash      *crash,
           const char *line)
{
  g_auto(GStrv) f = g_strsplit (line, " ", -1);
  guint n = g_strv_length (f);
  gint64 id;
  guint k;

  if (g_str_equal (line, "ready") || n == 0)
    return;
  if (g_str_has_prefix (line, "error "))
    {
      g_test_fail_printf ("The writer failed: %s", line);
      return;
    }
  g_assert_cmpuint (n, >=, 3);
  g_assert_cmpstr (f[0], ==, "committed");

  for (k = 0; k < G_N_ELEMENTS (kinds); k++)
    if (g_str_equal (f[1], kinds[k]))
      break;
  g_assert_cmpuint (k, <, G_N_ELEMENTS (kinds));
  crash->n_by_kind[k]++;
  crash->n_committed++;

  id = g_ascii_strtoll (f[2], NULL, 10);

  if (g_str_equal (f[1], "customer"))
    {
      g_assert_cmpuint (n, ==, 4);
      g_hash_table_insert (crash->customers, id_key (id), g_strdup (f[3]));
    }
  else if (g_str_equal (f[1], "draft"))
    {
      Bill *bill = g_new0 (Bill, 1);

      g_assert_cmpuint (n, ==, 5);
      bill->n_lines = (guint) g_ascii_strtoull (f[3], NULL, 10);
      bill->total = g_ascii_strtoll (f[4], NULL, 10);
      bill->state = STATE_DRAFT;
      g_hash_table_insert (crash->bills, id_key (id), bill);
    }
  else if (g_str_equal (f[1], "review"))
    lookup_bill (crash, id)->state = STATE_REVIEW;
  else if (g_str_equal (f[1], "issue"))
    {
      Bill *bill = lookup_bill (crash, id);

      g_assert_cmpuint (n, ==, 4);
      bill->state = STATE_ISSUED;
      g_free (bill->number);
      bill->number = g_strdup (f[3]);
    }
  else if (g_str_equal (f[1], "void"))
    lookup_bill (crash, id)->state = STATE_VOID;
  else if (g_str_equal (f[1], "import"))
    {
      g_assert_cmpuint (n, ==, 4);
      g_hash_table_insert (crash->imports, g_strdup (f[2]),
                           GUINT_TO_POINTER ((guint) g_ascii_strtoull (f[3], NULL, 10)));
    }
  else if (g_str_equal (f[1], "payment"))
    {
      Payment *p = g_new0 (Payment, 1);

      g_assert_cmpuint (n, ==, 5);
      p->customer_id = g_ascii_strtoll (f[3], NULL, 10);
      p->amount = g_ascii_strtoll (f[4], NULL, 10);
      g_hash_table_insert (crash->payments, id_key (id), p);
    }
  else if (g_str_equal (f[1], "card"))
    {
      g_assert_cmpuint (n, ==, 4);
      g_hash_table_insert (crash->cards, id_key (id), id_key (g_ascii_strtoll (f[3], NULL, 10)));
    }
  else
    {
      Entry *e = g_new0 (Entry, 1);

      g_assert_cmpuint (n, ==, 5);
      e->account_id = g_ascii_strtoll (f[3], NULL, 10);
      e->amount = g_ascii_strtoll (f[4], NULL, 10);
      g_hash_table_insert (crash->entries, id_key (id), e);
    }
}

/* ---- Running and killing a writer ----------------------------------- */

/* Reads what is there, waiting at most @timeout_ms (-1: for ever).
 * Returns FALSE at end of file. */
static gboolean
read_some (int      fd,
           GString *out,
           int      timeout_ms)
{
  struct pollfd pfd = { .fd = fd, .events = POLLIN };
  char chunk[4096];
  ssize_t n;
  int rc;

  do
    rc = poll (&pfd, 1, timeout_ms);
  while (rc < 0 && errno == EINTR);
  g_assert_cmpint (rc, >=, 0);
  if (rc == 0)
    return TRUE;

  do
    n = read (fd, chunk, sizeof chunk);
  while (n < 0 && errno == EINTR);
  g_assert_cmpint (n, >=, 0);
  if (n == 0)
    return FALSE;

  g_string_append_len (out, chunk, n);
  return TRUE;
}

/* Runs a writer on the book, kills it with SIGKILL after a random delay
 * and takes in every line it wrote. With @last, when no bill was issued
 * yet (a very slow disk), it first waits for one, so that the test always
 * tests something. */
static void
run_writer (Crash    *crash,
            guint     round,
            gboolean  last)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *seed = g_strdup_printf ("%u", (guint) g_test_rand_int ());
  const char *argv[] = { crash->self_exe, "--writer", crash->path, seed, NULL };
  g_auto(GStrv) lines = NULL;
  guint before = crash->n_committed;
  const char *wait_for = "ready\n";
  gboolean wait_ready;
  guint delay_us;
  GPid pid;
  int out_fd;
  int status;

  /* Mostly the kill comes while the writer works; one round in eight it
   * may come while the book is still being opened (and recovered). */
  wait_ready = g_test_rand_int_range (0, 8) != 0;
  delay_us = wait_ready ? (guint) g_test_rand_int_range (2000, 50001)
                        : (guint) g_test_rand_int_range (0, 20001);
  if (last && crash->n_by_kind[KIND_ISSUE] == 0)
    {
      wait_ready = TRUE;
      wait_for = "committed issue ";
    }

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);

  if (wait_ready)
    {
      gint64 deadline = g_get_monotonic_time () + READY_TIMEOUT_US;
      gboolean open = TRUE;

      while (open && strstr (out->str, wait_for) == NULL &&
             g_get_monotonic_time () < deadline)
        open = read_some (out_fd, out, 100);

      if (strstr (out->str, wait_for) == NULL)
        {
          kill (pid, SIGKILL);
          waitpid (pid, NULL, 0);
          g_error ("Round %u: the writer did not say “%s” in time: %s", round, wait_for, out->str);
        }
    }

  g_usleep (delay_us);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);

  while (read_some (out_fd, out, -1))
    ;
  close (out_fd);

  if (!WIFSIGNALED (status) || WTERMSIG (status) != SIGKILL)
    g_error ("Round %u: the writer stopped by itself (status %d) before the kill: %s",
             round, status, out->str);

  /* A line cut short cannot be: each is one write(2) into a pipe. */
  g_assert_true (out->len == 0 || out->str[out->len - 1] == '\n');

  lines = g_strsplit (out->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      take_line (crash, lines[i]);

  g_test_message ("Round %u: killed after %u µs%s; %u actions committed",
                  round, delay_us, wait_ready ? " of work" : " from the start",
                  crash->n_committed - before);
}

/* ---- Checking the book ---------------------------------------------- */

/* Asserts that a fixed query finds no rows, naming the first few. */
static void
assert_none (BbDb       *db,
             const char *what,
             const char *sql)
{
  g_autoptr(GString) found = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  guint n = 0;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (n++ < 5)
      g_string_append_printf (found, " %s", (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpint (rc, ==, SQLITE_DONE);

  if (n > 0)
    g_error ("%s: %u rows, such as%s", what, n, found->str);
}

static gint64
count (BbDb       *db,
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

static void
check_integrity (BbDb *db)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), "PRAGMA integrity_check",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
      n++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n, ==, 1);
}

/* Everything a writer said it committed is there. */
static void
check_reported (Crash *crash,
                BbDb  *db)
{
  static const char * const status_of_state[] = { "draft", "review", "issued", "void" };
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, crash->customers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BbCustomer) c = bb_customers_get (db, *(gint64 *) key, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (c->code, ==, value);
    }

  g_hash_table_iter_init (&iter, crash->bills);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BbInvoice) inv = bb_invoices_get (db, *(gint64 *) key, &error);
      Bill *bill = value;

      g_assert_no_error (error);
      g_assert_cmpuint (inv->lines->len, ==, bill->n_lines);
      g_assert_cmpint (inv->total, ==, bill->total);
      /* At least as far as it was said to be: a step may have committed
       * just before the kill, unsaid. */
      if ((BillState) inv->status < bill->state)
        g_error ("Bill %" G_GINT64_FORMAT " is %s but was reported %s",
                 inv->id, bb_invoice_status_to_string (inv->status), status_of_state[bill->state]);
      if (bill->number != NULL)
        g_assert_cmpstr (inv->number, ==, bill->number);
    }

  g_hash_table_iter_init (&iter, crash->imports);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      sqlite3_stmt *stmt = NULL;
      g_autofree char *pattern = g_strconcat (key, " %", NULL);

      g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db),
                                           "SELECT count(*) FROM customers WHERE name LIKE ?1",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, GPOINTER_TO_UINT (value));
      sqlite3_finalize (stmt);
    }

  g_hash_table_iter_init (&iter, crash->payments);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BbPayment) p = bb_payments_get (db, *(gint64 *) key, &error);
      Payment *said = value;

      g_assert_no_error (error);
      g_assert_cmpint (p->customer_id, ==, said->customer_id);
      g_assert_cmpint (p->amount, ==, said->amount);
    }

  g_hash_table_iter_init (&iter, crash->cards);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BbPrepaidAccount) card = bb_prepaid_get_account (db, *(gint64 *) key, &error);

      g_assert_no_error (error);
      g_assert_cmpint (card->customer_id, ==, *(gint64 *) value);
    }

  g_hash_table_iter_init (&iter, crash->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BbPrepaidEntry) e = bb_prepaid_get_entry (db, *(gint64 *) key, &error);
      Entry *said = value;

      g_assert_no_error (error);
      g_assert_cmpint (e->account_id, ==, said->account_id);
      g_assert_cmpint (e->amount, ==, said->amount);
    }
}

static void
compare_totals (BbInvoice *stored,
                BbInvoice *computed)
{
  g_autoptr(GError) error = NULL;

  if (computed->lines->len == 0)
    g_error ("Bill #%" G_GINT64_FORMAT " (%s) has no lines", stored->id,
             stored->number ? stored->number : "no number");

  g_assert_true (bb_invoice_compute_totals (computed, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < computed->lines->len; i++)
    {
      BbInvoiceLine *line = g_ptr_array_index (computed->lines, i);
      BbInvoiceLine *kept = g_ptr_array_index (stored->lines, i);

      g_assert_cmpint (kept->net, ==, line->net);
      g_assert_cmpint (kept->tax, ==, line->tax);
    }
  g_assert_cmpint (stored->subtotal, ==, computed->subtotal);
  g_assert_cmpint (stored->discount_total, ==, computed->discount_total);
  g_assert_cmpint (stored->tax_total, ==, computed->tax_total);
  g_assert_cmpint (stored->total, ==, computed->total);
}

/* Every bill has its lines, and its kept totals are those of its lines:
 * recomputed here with core's rounding, line by line. */
static void
check_bills (BbDb *db)
{
  sqlite3_stmt *bills = NULL;
  sqlite3_stmt *lines = NULL;
  int rc_line;
  guint n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db),
                                       "SELECT id, number, subtotal, discount_total, tax_total, total "
                                       "FROM invoices ORDER BY id",
                                       -1, &bills, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db),
                                       "SELECT invoice_id, quantity, unit_price, discount, tax_rate, net, tax "
                                       "FROM invoice_lines ORDER BY invoice_id, position",
                                       -1, &lines, NULL), ==, SQLITE_OK);

  rc_line = sqlite3_step (lines);
  while (sqlite3_step (bills) == SQLITE_ROW)
    {
      g_autoptr(BbInvoice) stored = bb_invoice_new ();
      g_autoptr(BbInvoice) computed = bb_invoice_new ();

      stored->id = sqlite3_column_int64 (bills, 0);
      stored->number = g_strdup ((const char *) sqlite3_column_text (bills, 1));
      stored->subtotal = sqlite3_column_int64 (bills, 2);
      stored->discount_total = sqlite3_column_int64 (bills, 3);
      stored->tax_total = sqlite3_column_int64 (bills, 4);
      stored->total = sqlite3_column_int64 (bills, 5);

      /* Lines of a bill that does not exist would come first. */
      g_assert_true (rc_line != SQLITE_ROW || sqlite3_column_int64 (lines, 0) >= stored->id);
      while (rc_line == SQLITE_ROW && sqlite3_column_int64 (lines, 0) == stored->id)
        {
          BbInvoiceLine *kept = bb_invoice_add_line (stored, "",
                                                     sqlite3_column_int64 (lines, 1),
                                                     sqlite3_column_int64 (lines, 2),
                                                     sqlite3_column_int (lines, 3),
                                                     sqlite3_column_int (lines, 4));

          kept->net = sqlite3_column_int64 (lines, 5);
          kept->tax = sqlite3_column_int64 (lines, 6);
          bb_invoice_add_line (computed, "", kept->quantity, kept->unit_price,
                               kept->discount, kept->tax_rate);
          rc_line = sqlite3_step (lines);
        }

      compare_totals (stored, computed);
      n++;
    }
  g_assert_cmpint (rc_line, ==, SQLITE_DONE);
  sqlite3_finalize (bills);
  sqlite3_finalize (lines);
}

/* The numbers of each year are 1 … n without a gap, of bills issued in
 * that year, and the year's counter says n. Drafts have none. */
static void
check_numbers (BbDb *db)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) per_year = g_hash_table_new (NULL, NULL);
  sqlite3_stmt *stmt = NULL;
  GHashTableIter iter;
  gpointer key, value;

  assert_none (db, "Drafts with a number, or bills issued without one",
               "SELECT id FROM invoices WHERE (status IN ('draft', 'review')) <> (number IS NULL)");

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db),
                                       "SELECT number, issued_on FROM invoices "
                                       "WHERE number IS NOT NULL ORDER BY number",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *number = (const char *) sqlite3_column_text (stmt, 0);
      const char *issued_on = (const char *) sqlite3_column_text (stmt, 1);
      int year = 0;
      unsigned seq = 0;
      char end;

      if (sscanf (number, "INV-%d-%u%c", &year, &seq, &end) != 2)
        g_error ("Bill number %s is not of the pattern", number);
      g_assert_cmpint (year, ==, (int) g_ascii_strtoll (issued_on, NULL, 10));
      g_assert_cmpuint (seq, >=, 1);
      g_assert_true (g_hash_table_add (seen, g_strdup_printf ("%d/%u", year, seq)));
      g_hash_table_insert (per_year, GINT_TO_POINTER (year),
                           GUINT_TO_POINTER (MAX (seq, GPOINTER_TO_UINT (g_hash_table_lookup (per_year, GINT_TO_POINTER (year))))));
    }
  sqlite3_finalize (stmt);

  g_hash_table_iter_init (&iter, per_year);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      int year = GPOINTER_TO_INT (key);
      guint max = GPOINTER_TO_UINT (value);

      for (guint seq = 1; seq <= max; seq++)
        {
          g_autofree char *k = g_strdup_printf ("%d/%u", year, seq);

          if (!g_hash_table_contains (seen, k))
            g_error ("Bill numbers of %d have a gap: %u of %u is missing", year, seq, max);
        }
    }

  /* Each year's counter is its last number: not behind (a number given
   * twice), not ahead (a gap to come). */
  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db),
                                       "SELECT key, value FROM settings WHERE key LIKE 'billing.seq.%'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *seq_key = (const char *) sqlite3_column_text (stmt, 0);
      int year = (int) g_ascii_strtoll (seq_key + strlen ("billing.seq."), NULL, 10);
      guint counter = (guint) g_ascii_strtoull ((const char *) sqlite3_column_text (stmt, 1), NULL, 10);

      if (counter != GPOINTER_TO_UINT (g_hash_table_lookup (per_year, GINT_TO_POINTER (year))))
        g_error ("The counter of %d says %u, its last bill number is %u", year, counter,
                 GPOINTER_TO_UINT (g_hash_table_lookup (per_year, GINT_TO_POINTER (year))));
      g_hash_table_remove (per_year, GINT_TO_POINTER (year));
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (g_hash_table_size (per_year), ==, 0);
}

/* Every imported file is there whole or not at all: the rows of a marker
 * are 1/n … n/n, each once. */
static void
check_imports (BbDb *db)
{
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_hash_table_unref);
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db),
                                       "SELECT name FROM customers WHERE name LIKE 'IMP%'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      g_auto(GStrv) parts = g_strsplit_set (name, " /", -1);
      GHashTable *rows;
      guint row, n;

      g_assert_cmpuint (g_strv_length (parts), ==, 3);
      row = (guint) g_ascii_strtoull (parts[1], NULL, 10);
      n = (guint) g_ascii_strtoull (parts[2], NULL, 10);
      g_assert_cmpuint (row, >=, 1);
      g_assert_cmpuint (row, <=, n);

      rows = g_hash_table_lookup (files, parts[0]);
      if (rows == NULL)
        {
          rows = g_hash_table_new (NULL, NULL);
          g_hash_table_insert (files, g_strdup (parts[0]), rows);
          g_hash_table_insert (sizes, g_strdup (parts[0]), GUINT_TO_POINTER (n));
        }
      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (sizes, parts[0])), ==, n);
      g_assert_true (g_hash_table_add (rows, GUINT_TO_POINTER (row)));
    }
  sqlite3_finalize (stmt);

  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (sizes, key));

      if (g_hash_table_size (value) != n)
        g_error ("Import %s brought %u of its %u rows", (const char *) key,
                 g_hash_table_size (value), n);
    }

  /* One audit row per import, and the writers import nothing else. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM audit_log "
                              "WHERE action = 'import' AND table_name = 'customers'"),
                   ==, g_hash_table_size (files));
}

/* Every change has its audit row, written in its transaction, and every
 * audit row its change. */
static void
check_audit (BbDb *db)
{
  assert_none (db, "Customers without a 'create' audit row",
               "SELECT id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
               "  WHERE a.table_name = 'customers' AND a.action = 'create' AND a.record_id = c.id)");
  assert_none (db, "Bills without a 'save-draft' audit row",
               "SELECT id FROM invoices i WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
               "  WHERE a.table_name = 'invoices' AND a.action = 'save-draft' AND a.record_id = i.id)");
  assert_none (db, "Bills past draft without a 'review' audit row",
               "SELECT id FROM invoices i WHERE i.status <> 'draft' AND NOT EXISTS (SELECT 1 FROM audit_log a "
               "  WHERE a.table_name = 'invoices' AND a.action = 'review' AND a.record_id = i.id)");
  assert_none (db, "Bills with a number without an 'issue' audit row of that number",
               "SELECT id FROM invoices i WHERE i.number IS NOT NULL AND NOT EXISTS (SELECT 1 FROM audit_log a "
               "  WHERE a.table_name = 'invoices' AND a.action = 'issue' AND a.record_id = i.id "
               "    AND a.detail = i.number)");
  assert_none (db, "Void bills without a 'void' audit row",
               "SELECT id FROM invoices i WHERE i.status = 'void' AND NOT EXISTS (SELECT 1 FROM audit_log a "
               "  WHERE a.table_name = 'invoices' AND a.action = 'void' AND a.record_id = i.id)");
  assert_none (db, "Payments without a 'record' audit row",
               "SELECT id FROM payments p WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
               "  WHERE a.table_name = 'payments' AND a.action = 'record' AND a.record_id = p.id)");

  assert_none (db, "Prepaid cards without a 'create' audit row",
               "SELECT id FROM prepaid_accounts c WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
               "  WHERE a.table_name = 'prepaid_accounts' AND a.action = 'create' AND a.record_id = c.id)");
  /* A bonus is written with its top-up, under the top-up's audit row. */
  assert_none (db, "Prepaid ledger entries without an audit row",
               "SELECT id FROM prepaid_entries e WHERE e.kind <> 'bonus' AND NOT EXISTS (SELECT 1 FROM audit_log a "
               "  WHERE a.table_name = 'prepaid_entries' AND a.record_id = e.id)");
  assert_none (db, "Audit rows of prepaid entries that were never written",
               "SELECT id FROM audit_log a WHERE a.table_name = 'prepaid_entries' "
               "  AND NOT EXISTS (SELECT 1 FROM prepaid_entries e WHERE e.id = a.record_id)");

  assert_none (db, "Audit rows of customers that were never saved",
               "SELECT id FROM audit_log a WHERE a.table_name = 'customers' AND a.action = 'create' "
               "  AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = a.record_id)");
  assert_none (db, "Audit rows of bills that were never saved",
               "SELECT id FROM audit_log a WHERE a.table_name = 'invoices' AND a.action = 'save-draft' "
               "  AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = a.record_id)");
  assert_none (db, "'review' audit rows of bills still in draft",
               "SELECT id FROM audit_log a WHERE a.table_name = 'invoices' AND a.action = 'review' "
               "  AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = a.record_id AND i.status <> 'draft')");
  assert_none (db, "'issue' audit rows of bills without that number",
               "SELECT id FROM audit_log a WHERE a.table_name = 'invoices' AND a.action = 'issue' "
               "  AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = a.record_id AND i.number = a.detail)");
  assert_none (db, "'void' audit rows of bills not void",
               "SELECT id FROM audit_log a WHERE a.table_name = 'invoices' AND a.action = 'void' "
               "  AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = a.record_id AND i.status = 'void')");
  assert_none (db, "Audit rows of payments that were never recorded",
               "SELECT id FROM audit_log a WHERE a.table_name = 'payments' AND a.action = 'record' "
               "  AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = a.record_id)");
}

static void
check_book (Crash *crash)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbDb) db = bb_db_open (crash->path, &error);
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_no_error (error);

  check_integrity (db);
  check_reported (crash, db);
  check_bills (db);
  check_numbers (db);
  check_imports (db);
  check_audit (db);

  if (!bb_check_book (db, &problems, &error))
    {
      g_assert_no_error (error);
      for (guint i = 0; i < problems->len; i++)
        g_test_message ("check: %s", (const char *) g_ptr_array_index (problems, i));
      g_error ("bb_check_book() found %u problems, the first: %s", problems->len,
               (const char *) g_ptr_array_index (problems, 0));
    }
}

static guint
get_rounds (void)
{
  const char *env = g_getenv ("BILLBOOK_CRASH_ROUNDS");
  guint64 n;

  if (env == NULL || *env == '\0')
    return DEFAULT_ROUNDS;

  n = g_ascii_strtoull (env, NULL, 10);
  g_assert_cmpuint (n, >=, 1);
  return (guint) MIN (n, G_MAXUINT);
}

static void
remove_book (const char *dir,
             const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

static void
test_crash_writer_killed (void)
{
  g_autoptr(GError) error = NULL;
  guint rounds = get_rounds ();
  Crash crash = { 0 };

  crash.dir = g_dir_make_tmp ("billbook-crash-XXXXXX", &error);
  g_assert_no_error (error);
  crash.path = g_build_filename (crash.dir, "book.db", NULL);
  /* This very program, even when a build replaces the file meanwhile. */
  crash.self_exe = g_strdup ("/proc/self/exe");
  crash.customers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  crash.bills = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) bill_free);
  crash.imports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  crash.payments = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  crash.cards = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  crash.entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_test_message ("Book: %s (kept when the test fails); %u rounds", crash.path, rounds);

  {
    g_autoptr(BbDb) db = bb_db_open (crash.path, &error);

    g_assert_no_error (error);
  }

  for (guint round = 1; round <= rounds && !g_test_failed (); round++)
    {
      run_writer (&crash, round, round == rounds);
      check_book (&crash);
    }

  g_test_message ("%u actions committed and found again:", crash.n_committed);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    g_test_message ("  %s: %u", kinds[k], crash.n_by_kind[k]);

  /* Something was done, or nothing was tested. */
  g_assert_cmpuint (crash.n_by_kind[KIND_ISSUE], >, 0);

  if (!g_test_failed ())
    remove_book (crash.dir, crash.path);

  g_hash_table_unref (crash.customers);
  g_hash_table_unref (crash.bills);
  g_hash_table_unref (crash.imports);
  g_hash_table_unref (crash.payments);
  g_hash_table_unref (crash.cards);
  g_hash_table_unref (crash.entries);
  g_free (crash.self_exe);
  g_free (crash.path);
  g_free (crash.dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);

  if (argc == 4 && g_str_equal (argv[1], "--writer"))
    return writer_main (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crash/writer-killed", test_crash_writer_killed);

  return g_test_run ();
}
