/* test-dunning.c — reminders in words: the messages the Reminders page
 * copies, the days in words, and the dunning letter PDF with its bills,
 * total and wording by stage
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-business.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-dunning-pdf.h"
#include "bb-reminder-list.h"
#include "bb-reminder-text.h"
#include "bb-reminders.h"

typedef struct
{
  char   *dir;
  char   *path;
  BbDb   *db;
  gint64  customer;        /* C1, 王小明 */
  gint64  other;           /* C2, Harbour Bakery, owes nothing */
} Fixture;

static void
sql_exec (BbDb       *db,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_bb_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

static gint64
add_customer (BbDb       *db,
              const char *code,
              const char *name)
{
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(GError) error = NULL;

  g_free (c->code);
  c->code = g_strdup (code);
  g_free (c->name);
  c->name = g_strdup (name);
  g_free (c->address);
  c->address = g_strdup ("上海市徐汇区漕溪北路 88 号");
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  return c->id;
}

/* An issued bill owing all of @open (minor units). */
static void
add_bill (Fixture    *f,
          const char *number,
          const char *kind,
          const char *due_on,
          BbMoney     open)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO invoices (number, customer_id, kind, status, issued_on, due_on, currency, "
                                          "  subtotal, total, paid, open_balance, created_at, updated_at) "
                                          "VALUES ('%s', %" G_GINT64_FORMAT ", '%s', 'issued', '2026-01-01', '%s', 'CNY', "
                                          "  %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 0, %" G_GINT64_FORMAT ", "
                                          "  '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                                          number, f->customer, kind, due_on, open, open, open);

  sql_exec (f->db, sql);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbBusiness) business = NULL;

  f->dir = g_dir_make_tmp ("billbook-dunning-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);

  business = bb_business_load (f->db);
  g_free (business->name);
  business->name = g_strdup ("Harbour Tea House");
  g_assert_true (bb_business_save (f->db, business, &error));
  g_assert_no_error (error);
  g_assert_true (bb_db_set_setting (f->db, "billing.payment_text", "Alipay 138 0013 8000", &error));

  f->customer = add_customer (f->db, "C1", "王小明");
  f->other = add_customer (f->db, "C2", "Harbour Bakery");
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

static GDateTime *
at (const char *date)
{
  int y, m, d;

  g_assert_cmpint (sscanf (date, "%d-%d-%d", &y, &m, &d), ==, 3);
  return g_date_time_new_local (y, m, d, 12, 0, 0);
}

static BbReminder *
find_bill (GPtrArray  *list,
           const char *number)
{
  for (guint i = 0; i < list->len; i++)
    {
      BbReminder *r = g_ptr_array_index (list, i);

      if ((r->kind == BB_REMINDER_DUE_SOON || r->kind == BB_REMINDER_OVERDUE) &&
          g_strcmp0 (r->subject, number) == 0)
        return r;
    }

  return NULL;
}

/* ---- Messages and days in words ---------------------------------------- */

static void
test_message (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GDateTime) now = at ("2026-03-12");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *polite = NULL;
  g_autofree char *firm = NULL;
  g_autofree char *final = NULL;
  g_autofree char *soon = NULL;
  g_autofree char *when = NULL;
  g_autofree char *amount = NULL;
  BbReminderMessageContext context = { "Harbour Tea House", "Alipay 138 0013 8000", NULL };
  BbReminder *late, *due;

  context.currency = bb_business_get_currency (f->db);
  amount = bb_money_format (123450, context.currency);

  /* 40 days overdue: the default ladder's +30 step, firm */
  add_bill (f, "INV-1", "invoice", "2026-01-31", 123450);
  /* due in 3 days: the -3 step */
  add_bill (f, "INV-2", "invoice", "2026-03-15", 5000);

  list = bb_reminders_compute (f->db, now, BB_REMINDERS_DEFAULT, &error);
  g_assert_no_error (error);
  late = find_bill (list, "INV-1");
  due = find_bill (list, "INV-2");
  g_assert_nonnull (late);
  g_assert_nonnull (due);
  g_assert_cmpint (late->kind, ==, BB_REMINDER_OVERDUE);
  g_assert_cmpint (late->wording, ==, BB_REMINDER_FIRM);
  g_assert_true (bb_reminder_has_message (late));

  polite = bb_reminder_format_message (late, BB_REMINDER_POLITE, &context, now);
  firm = bb_reminder_format_message (late, BB_REMINDER_FIRM, &context, now);
  final = bb_reminder_format_message (late, BB_REMINDER_FINAL, &context, now);

  /* Who, which bill, how much, when, from whom, how to pay */
  for (const char **m = (const char *[]) { polite, firm, final, NULL }; *m; m++)
    {
      g_assert_nonnull (strstr (*m, "王小明"));
      g_assert_nonnull (strstr (*m, "INV-1"));
      g_assert_nonnull (strstr (*m, amount));
      g_assert_nonnull (strstr (*m, "2026-01-31"));
      g_assert_nonnull (strstr (*m, "Harbour Tea House"));
      g_assert_nonnull (strstr (*m, "How to pay: Alipay 138 0013 8000"));
    }
  g_assert_nonnull (strstr (polite, "friendly reminder"));
  g_assert_nonnull (strstr (firm, "40 days overdue"));
  g_assert_nonnull (strstr (firm, "as soon as possible"));
  g_assert_nonnull (strstr (final, "final reminder"));
  /* The final one gives a pay-by date a week on */
  g_assert_nonnull (strstr (final, "by 2026-03-19"));

  /* Not yet due: friendly whatever the wording asked */
  soon = bb_reminder_format_message (due, BB_REMINDER_FINAL, &context, now);
  g_assert_nonnull (strstr (soon, "is due on 2026-03-15"));
  g_assert_null (strstr (soon, "final"));

  when = bb_reminder_format_when (late, now);
  g_assert_cmpstr (when, ==, "40 days overdue");
  g_free (when);
  when = bb_reminder_format_when (due, now);
  g_assert_cmpstr (when, ==, "Due in 3 days");
  g_assert_cmpint (bb_reminder_days_from_today (due, now), ==, 3);
}

/* ---- The letter ---------------------------------------------------------- */

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error))
    return NULL;
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_letter (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "letter.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *total = NULL;
  g_autofree char *fee = NULL;
  g_autoptr(GDateTime) march = at ("2026-03-12");
  g_autoptr(GDateTime) april = at ("2026-04-06");
  g_autoptr(GDateTime) january = at ("2026-01-20");
  const BbCurrency *currency = bb_business_get_currency (f->db);
  BbDunningOptions options;
  GStatBuf st;

  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");

  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }

  add_bill (f, "INV-1", "invoice", "2026-01-31", 123450);   /* 40 days overdue on 03-12 */
  add_bill (f, "INV-2", "invoice", "2026-03-02", 20000);    /* 10 days */
  add_bill (f, "INV-3", "invoice", "2026-03-20", 5000);     /* not yet due */
  add_bill (f, "FEE-1", "fee", "2026-03-05", 2469);         /* an issued late fee */
  total = bb_money_format (123450 + 20000 + 5000 + 2469, currency);
  fee = bb_money_format (2469, currency);

  bb_dunning_options_from_settings (f->db, &options);
  g_assert_true (options.auto_wording);
  g_assert_cmpint (options.pay_by_days, ==, BB_DUNNING_PAY_BY_DAYS);

  /* On 03-12 the oldest bill is at the +30 step: firm */
  g_assert_true (bb_dunning_pdf_write (f->db, f->customer, march, &options, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  text = pdf_text (path);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "Overdue Notice"));
  g_assert_nonnull (strstr (text, "Harbour Tea House"));
  g_assert_nonnull (strstr (text, "王小明"));
  g_assert_nonnull (strstr (text, "Date: 2026-03-12"));
  g_assert_nonnull (strstr (text, "INV-1"));
  g_assert_nonnull (strstr (text, "INV-2"));
  g_assert_nonnull (strstr (text, "INV-3"));
  g_assert_nonnull (strstr (text, "FEE-1 (late fee)"));
  g_assert_nonnull (strstr (text, "not yet due"));
  g_assert_nonnull (strstr (text, "Of which late fees"));
  g_assert_nonnull (strstr (text, fee));
  g_assert_nonnull (strstr (text, "Total owed"));
  g_assert_nonnull (strstr (text, total));
  /* A new pay-by date, 14 days on */
  g_assert_nonnull (strstr (text, "by 2026-03-26"));
  g_assert_nonnull (strstr (text, "Alipay 138 0013 8000"));
  g_assert_nonnull (strstr (text, "earlier reminders"));
  g_clear_pointer (&text, g_free);

  /* On 04-06 it is 65 days overdue, past the +60 step: final */
  g_assert_true (bb_dunning_pdf_write (f->db, f->customer, april, &options, path, &error));
  g_assert_no_error (error);
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "Final Notice"));
  g_assert_nonnull (strstr (text, "final reminder"));
  g_assert_null (strstr (text, "not yet due"));
  g_clear_pointer (&text, g_free);

  /* Before any after-due step: polite */
  g_assert_true (bb_dunning_pdf_write (f->db, f->customer, january, &options, path, &error));
  g_assert_no_error (error);
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "Payment Reminder"));
  g_assert_nonnull (strstr (text, "already paid"));
  g_clear_pointer (&text, g_free);

  /* A wording chosen by hand wins */
  options.auto_wording = FALSE;
  options.wording = BB_REMINDER_FINAL;
  g_assert_true (bb_dunning_pdf_write (f->db, f->customer, january, &options, path, &error));
  g_assert_no_error (error);
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "Final Notice"));
  g_clear_pointer (&text, g_free);

  /* Nothing owed: no letter, and the error names the customer */
  g_assert_false (bb_dunning_pdf_write (f->db, f->other, march, NULL, path, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Harbour Bakery"));
}

static void
test_letter_pages (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "long.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) now = at ("2026-12-01");

  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");

  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }

  /* Enough bills to need a second page: every one is listed */
  for (guint i = 1; i <= 60; i++)
    {
      g_autofree char *number = g_strdup_printf ("INV-%03u", i);
      g_autofree char *due = g_strdup_printf ("2026-%02u-%02u", 1 + i % 10, 1 + i % 27);

      add_bill (f, number, "invoice", due, 1000 * i);
    }

  g_assert_true (bb_dunning_pdf_write (f->db, f->customer, now, NULL, path, &error));
  g_assert_no_error (error);
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "INV-001"));
  g_assert_nonnull (strstr (text, "INV-060"));
  g_assert_nonnull (strstr (text, "Page 2"));
  g_assert_nonnull (strstr (text, "Total owed"));
}

/* ---- Computing in a thread --------------------------------------------- */

static void
on_computed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  BbReminderList **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = bb_reminders_compute_list_finish (BB_DB (source), result, &error);
  g_assert_no_error (error);
}

/* What the Reminders page computes in a thread, on its own connection,
 * is what bb_reminders_compute() gives, customers' names included (in
 * the page's order: see /reminders/page/list). */
static void
test_compute_async (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GDateTime) now = at ("2026-03-12");
  g_autoptr(GPtrArray) here = NULL;
  g_autoptr(BbReminderList) there = NULL;
  g_autoptr(GError) error = NULL;

  add_bill (f, "INV-1", "invoice", "2026-01-31", 123450);
  add_bill (f, "INV-2", "invoice", "2026-03-15", 5000);

  here = bb_reminders_compute (f->db, now, BB_REMINDERS_DEFAULT, &error);
  g_assert_no_error (error);
  bb_reminders_compute_list_async (f->db, now, BB_REMINDERS_DEFAULT, NULL, on_computed, &there);
  while (there == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (bb_reminder_list_get_n_reminders (there), ==, here->len);
  g_assert_cmpuint (here->len, >=, 2);
  for (guint i = 0; i < here->len; i++)
    {
      BbReminder *a = g_ptr_array_index (here, i);
      BbReminder *b = bb_reminder_list_find (there, a->key);

      g_assert_nonnull (b);

      g_assert_cmpstr (b->key, ==, a->key);
      g_assert_cmpstr (b->customer_name, ==, a->customer_name);
      g_assert_cmpstr (b->customer_code, ==, a->customer_code);
      g_assert_cmpint (b->amount, ==, a->amount);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dunning/message", Fixture, NULL, fixture_set_up, test_message, fixture_tear_down);
  g_test_add ("/dunning/letter", Fixture, NULL, fixture_set_up, test_letter, fixture_tear_down);
  g_test_add ("/dunning/letter-pages", Fixture, NULL, fixture_set_up, test_letter_pages, fixture_tear_down);
  g_test_add ("/dunning/compute-async", Fixture, NULL, fixture_set_up, test_compute_async, fixture_tear_down);

  return g_test_run ();
}
