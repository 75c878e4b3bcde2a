/* test-reminders.c — the reminder engine with fixed clocks: each kind on
 * its boundary days, stages, done, snooze and notified, the ladder, late
 * fees, the page's list, and a compute that writes nothing
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoices.h"
#include "bb-reminder-list.h"
#include "bb-reminders.h"

typedef struct
{
  char   *dir;
  char   *path;
  BbDb   *db;
  gint64  customer;        /* C1, 王小明 */
  gint64  other;           /* C2, Harbour Bakery */
} Fixture;

/* ---- Helpers: the test's own SQL, independent of the code under test -- */

static gint64 sql_int (BbDb *db, const char *format, ...) G_GNUC_PRINTF (2, 3);
static void sql_exec (BbDb *db, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gint64
sql_int (BbDb       *db,
         const char *format,
         ...)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = G_MININT64;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static void
sql_exec (BbDb       *db,
          const char *format,
          ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

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
  g_free (c->phone);
  c->phone = g_strdup ("138 0013 8000");
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  return c->id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-reminders-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
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

/* An issued bill as the book keeps it, owing @open of @total. */
static gint64
add_bill_full (Fixture    *f,
               gint64      customer,
               const char *number,
               const char *kind,
               const char *status,
               const char *due_on,
               BbMoney     total,
               BbMoney     open)
{
  sql_exec (f->db,
            "INSERT INTO invoices (number, customer_id, kind, status, issued_on, due_on, currency, "
            "  subtotal, total, paid, open_balance, void_reason, created_at, updated_at) "
            "VALUES (%s%s%s, %" G_GINT64_FORMAT ", '%s', '%s', '2026-01-01', '%s', 'CNY', "
            "  %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", "
            "  %s, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            number ? "'" : "", number ? number : "NULL", number ? "'" : "",
            customer, kind, status, due_on, total, total, total - open, open,
            g_str_equal (status, "void") ? "'wrong'" : "NULL");

  return sqlite3_last_insert_rowid (_bb_db_get_handle (f->db));
}

static gint64
add_bill (Fixture    *f,
          const char *number,
          const char *due_on,
          BbMoney     open)
{
  return add_bill_full (f, f->customer, number, "invoice", "issued", due_on, open, open);
}

/* Noon, local time, on @date. */
static GDateTime *
at (const char *date)
{
  int y, m, d;

  g_assert_cmpint (sscanf (date, "%d-%d-%d", &y, &m, &d), ==, 3);
  return g_date_time_new_local (y, m, d, 12, 0, 0);
}

static GPtrArray *
compute_at (Fixture          *f,
            GDateTime        *now,
            BbRemindersFlags  flags)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = bb_reminders_compute (f->db, now, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static GPtrArray *
compute_on (Fixture          *f,
            const char       *date,
            BbRemindersFlags  flags)
{
  g_autoptr(GDateTime) now = at (date);

  return compute_at (f, now, flags);
}

/* The one reminder of @kind about @subject, or NULL; never two. */
static BbReminder *
find (GPtrArray      *list,
      BbReminderKind  kind,
      gint64          subject)
{
  BbReminder *found = NULL;

  for (guint i = 0; i < list->len; i++)
    {
      BbReminder *r = g_ptr_array_index (list, i);

      if (r->kind == kind && r->subject_id == subject)
        {
          g_assert_null (found);
          found = r;
        }
    }

  return found;
}

/* The stage of @subject's bill reminder on @date ("" when none), and its kind. */
static char *
bill_stage_on (Fixture        *f,
               gint64          bill,
               const char     *date,
               BbReminderKind *kind)
{
  g_autoptr(GPtrArray) list = compute_on (f, date, BB_REMINDERS_DEFAULT);
  BbReminder *soon = find (list, BB_REMINDER_DUE_SOON, bill);
  BbReminder *late = find (list, BB_REMINDER_OVERDUE, bill);

  g_assert_true (soon == NULL || late == NULL);
  if (soon == NULL && late == NULL)
    return g_strdup ("");
  if (kind)
    *kind = soon ? BB_REMINDER_DUE_SOON : BB_REMINDER_OVERDUE;
  return g_strdup (soon ? soon->stage : late->stage);
}

/* ---- The ladder ------------------------------------------------------ */

static void
test_ladder_parse (void)
{
  const BbCurrency *cny = bb_currency_lookup ("CNY");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) steps = NULL;
  g_autofree char *text = NULL;
  const BbReminderStep *s;

  /* The default: 7, 3, 1 days before; 1, 7, 30, 60 after. */
  steps = bb_reminder_ladder_parse (BB_REMINDER_LADDER_DEFAULT, cny, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 7);
  {
    static const int days[] = { -7, -3, -1, 1, 7, 30, 60 };

    for (guint i = 0; i < steps->len; i++)
      g_assert_cmpint (g_array_index (steps, BbReminderStep, i).days, ==, days[i]);
  }
  g_assert_cmpint (g_array_index (steps, BbReminderStep, 5).wording, ==, BB_REMINDER_FIRM);
  g_assert_cmpint (g_array_index (steps, BbReminderStep, 6).wording, ==, BB_REMINDER_FINAL);
  g_assert_cmpint (g_array_index (steps, BbReminderStep, 6).fee_kind, ==, BB_LATE_FEE_NONE);
  text = bb_reminder_ladder_to_string (steps, cny);
  g_assert_cmpstr (text, ==, BB_REMINDER_LADDER_DEFAULT);
  g_clear_pointer (&steps, g_array_unref);
  g_clear_pointer (&text, g_free);

  /* Any order, any case, new lines or “;”, fees in percent or money. */
  steps = bb_reminder_ladder_parse ("+30  FINAL fee 50\n -3;0; +7 fee 2.5% firm;;", cny, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 4);
  s = &g_array_index (steps, BbReminderStep, 0);
  g_assert_cmpint (s->days, ==, -3);
  g_assert_cmpint (s->fee_kind, ==, BB_LATE_FEE_NONE);
  s = &g_array_index (steps, BbReminderStep, 1);
  g_assert_cmpint (s->days, ==, 0);
  s = &g_array_index (steps, BbReminderStep, 2);
  g_assert_cmpint (s->days, ==, 7);
  g_assert_cmpint (s->wording, ==, BB_REMINDER_FIRM);
  g_assert_cmpint (s->fee_kind, ==, BB_LATE_FEE_PERCENT);
  g_assert_cmpint (s->fee, ==, 250);
  s = &g_array_index (steps, BbReminderStep, 3);
  g_assert_cmpint (s->days, ==, 30);
  g_assert_cmpint (s->wording, ==, BB_REMINDER_FINAL);
  g_assert_cmpint (s->fee_kind, ==, BB_LATE_FEE_FIXED);
  g_assert_cmpint (s->fee, ==, 5000);
  text = bb_reminder_ladder_to_string (steps, cny);
  g_assert_cmpstr (text, ==, "-3; 0; +7 firm fee 2.5%; +30 final fee 50.00");
  g_clear_pointer (&steps, g_array_unref);

  /* The tidy text reads back the same. */
  steps = bb_reminder_ladder_parse (text, cny, &error);
  g_assert_no_error (error);
  {
    g_autofree char *again = bb_reminder_ladder_to_string (steps, cny);

    g_assert_cmpstr (again, ==, text);
  }
  g_clear_pointer (&steps, g_array_unref);

  /* No steps: no bill reminders. */
  steps = bb_reminder_ladder_parse ("  ", cny, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 0);
}

static void
test_ladder_errors (void)
{
  /* Each bad ladder, and what its message must say: the step's number
   * and text, and the trouble. */
  static const struct
  {
    const char *text;
    const char *expect[3];
  } cases[] = {
    { "soon", { "step 1", "“soon”", "days from the due date" } },
    { "-3, +7", { "step 1", "“-3, +7”", "“;”" } },
    { "-3; +7 rude", { "step 2", "“+7 rude”", "“rude” is not polite, firm, final or fee" } },
    { "-3 firm", { "step 1", "“-3 firm”", "after the due date" } },
    { "0 fee 5", { "step 1", "after the due date", NULL } },
    { "+7; +7 firm", { "step 2", "already a step", NULL } },
    { "+7 firm final", { "step 1", "one wording", NULL } },
    { "+7 fee", { "step 1", "how much after “fee”", NULL } },
    { "+7 fee 2% fee 3%", { "step 1", "one late fee", NULL } },
    { "+7 fee 0%", { "step 1", "no fee", NULL } },
    { "+7 fee 0.00", { "step 1", "no fee", NULL } },
    { "-1; +7 fee 2x", { "step 2", "“+7 fee 2x”), fee", NULL } },
    { "+7 fee 150%", { "step 1", "100 %", NULL } },
    { "+7 fee 1.234", { "step 1", "decimals", NULL } },
    { "-400", { "step 1", "365 days before", NULL } },
    { "+4000", { "step 1", "3650 days after", NULL } },
    { "+1.5", { "step 1", "days from the due date", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) steps = bb_reminder_ladder_parse (cases[i].text, bb_currency_lookup ("CNY"), &error);

      g_test_message ("ladder “%s”: %s", cases[i].text, error ? error->message : "(accepted)");
      g_assert_null (steps);
      g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].expect) && cases[i].expect[j]; j++)
        g_assert_nonnull (strstr (error->message, cases[i].expect[j]));
    }

  /* At most BB_REMINDER_LADDER_MAX_STEPS steps. */
  {
    g_autoptr(GString) many = g_string_new (NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) steps = NULL;

    for (int d = 1; d <= BB_REMINDER_LADDER_MAX_STEPS + 1; d++)
      g_string_append_printf (many, "+%d; ", d);
    steps = bb_reminder_ladder_parse (many->str, NULL, &error);
    g_assert_null (steps);
    g_assert_nonnull (strstr (error->message, "at most"));
  }
}

static void
test_ladder_setting (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) steps = bb_reminders_get_ladder (f->db);
  g_autofree char *stored = NULL;

  g_assert_cmpuint (steps->len, ==, 7);
  g_clear_pointer (&steps, g_array_unref);

  /* Stored tidy; a bad one is refused and the old one kept. */
  g_assert_true (bb_reminders_set_ladder (f->db, "+14 FINAL;-2", &error));
  g_assert_no_error (error);
  stored = bb_db_get_setting (f->db, "reminders.ladder");
  g_assert_cmpstr (stored, ==, "-2; +14 final");
  g_assert_false (bb_reminders_set_ladder (f->db, "-2; +14 fee", &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  steps = bb_reminders_get_ladder (f->db);
  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_cmpint (g_array_index (steps, BbReminderStep, 1).days, ==, 14);
  g_clear_pointer (&steps, g_array_unref);

  /* NULL: back to the default. */
  g_assert_true (bb_reminders_set_ladder (f->db, NULL, &error));
  steps = bb_reminders_get_ladder (f->db);
  g_assert_cmpuint (steps->len, ==, 7);
}

/* ---- Bills ----------------------------------------------------------- */

/* The default ladder day by day around a bill due on 2026-03-20. */
static void
test_bill_stages (Fixture       *f,
                  gconstpointer  data)
{
  static const struct
  {
    const char     *date;
    const char     *stage;   /* "" for none */
    BbReminderKind  kind;
  } days[] = {
    { "2026-03-12", "", 0 },                        /* 8 days before: not yet */
    { "2026-03-13", "-7", BB_REMINDER_DUE_SOON },
    { "2026-03-16", "-7", BB_REMINDER_DUE_SOON },
    { "2026-03-17", "-3", BB_REMINDER_DUE_SOON },
    { "2026-03-18", "-3", BB_REMINDER_DUE_SOON },
    { "2026-03-19", "-1", BB_REMINDER_DUE_SOON },
    { "2026-03-20", "-1", BB_REMINDER_DUE_SOON },   /* due today */
    { "2026-03-21", "+1", BB_REMINDER_OVERDUE },
    { "2026-03-26", "+1", BB_REMINDER_OVERDUE },
    { "2026-03-27", "+7", BB_REMINDER_OVERDUE },
    { "2026-04-18", "+7", BB_REMINDER_OVERDUE },
    { "2026-04-19", "+30", BB_REMINDER_OVERDUE },
    { "2026-05-18", "+30", BB_REMINDER_OVERDUE },
    { "2026-05-19", "+60", BB_REMINDER_OVERDUE },
    { "2026-06-18", "+60", BB_REMINDER_OVERDUE },   /* 30 more days at the last step */
    { "2026-06-19", "", 0 },                        /* then left to the aging report */
  };
  gint64 bill = add_bill (f, "INV-2026-0001", "2026-03-20", 11300);

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      BbReminderKind kind = 0;
      g_autofree char *stage = bill_stage_on (f, bill, days[i].date, &kind);

      g_test_message ("%s: stage “%s”", days[i].date, stage);
      g_assert_cmpstr (stage, ==, days[i].stage);
      if (*stage)
        g_assert_cmpint (kind, ==, days[i].kind);
    }

  /* What a reminder says. */
  {
    g_autoptr(GPtrArray) list = compute_on (f, "2026-04-20", BB_REMINDERS_DEFAULT);
    BbReminder *r = find (list, BB_REMINDER_OVERDUE, bill);
    g_autofree char *key = g_strdup_printf ("overdue:%" G_GINT64_FORMAT ":+30", bill);

    g_assert_nonnull (r);
    g_assert_cmpstr (r->key, ==, key);
    g_assert_cmpstr (r->subject, ==, "INV-2026-0001");
    g_assert_cmpstr (r->customer_code, ==, "C1");
    g_assert_cmpstr (r->customer_name, ==, "王小明");
    g_assert_cmpint (r->customer_id, ==, f->customer);
    g_assert_cmpstr (r->due_on, ==, "2026-03-20");
    g_assert_true (r->has_amount);
    g_assert_cmpint (r->amount, ==, 11300);
    g_assert_cmpint (r->step_days, ==, 30);
    g_assert_cmpint (r->wording, ==, BB_REMINDER_FIRM);
    g_assert_cmpint (r->state, ==, BB_REMINDER_STATE_NEW);
    g_assert_cmpint (r->fee_kind, ==, BB_LATE_FEE_NONE);
  }
}

/* Only issued bills with money owed, and no credit notes. */
static void
test_bill_which (Fixture       *f,
                 gconstpointer  data)
{
  gint64 open = add_bill (f, "INV-1", "2026-03-01", 500);
  gint64 part = add_bill_full (f, f->other, "INV-2", "invoice", "issued", "2026-03-01", 1000, 1);
  gint64 paid = add_bill_full (f, f->customer, "INV-3", "invoice", "issued", "2026-03-01", 1000, 0);
  gint64 draft = add_bill_full (f, f->customer, NULL, "invoice", "draft", "2026-03-01", 1000, 1000);
  gint64 review = add_bill_full (f, f->customer, NULL, "invoice", "review", "2026-03-01", 1000, 1000);
  gint64 voided = add_bill_full (f, f->customer, "INV-4", "invoice", "void", "2026-03-01", 1000, 0);
  gint64 credit = add_bill_full (f, f->customer, "CN-1", "credit_note", "issued", "2026-03-01", -1000, -1000);
  gint64 fee = add_bill_full (f, f->customer, "FEE-1", "fee", "issued", "2026-03-01", 300, 300);
  g_autoptr(GPtrArray) list = compute_on (f, "2026-03-10", BB_REMINDERS_DEFAULT);

  g_assert_nonnull (find (list, BB_REMINDER_OVERDUE, open));
  g_assert_cmpint (find (list, BB_REMINDER_OVERDUE, part)->amount, ==, 1);
  g_assert_cmpstr (find (list, BB_REMINDER_OVERDUE, part)->customer_code, ==, "C2");
  g_assert_null (find (list, BB_REMINDER_OVERDUE, paid));
  g_assert_null (find (list, BB_REMINDER_OVERDUE, draft));
  g_assert_null (find (list, BB_REMINDER_OVERDUE, review));
  g_assert_null (find (list, BB_REMINDER_OVERDUE, voided));
  g_assert_null (find (list, BB_REMINDER_OVERDUE, credit));
  g_assert_nonnull (find (list, BB_REMINDER_OVERDUE, fee));
  g_assert_cmpuint (list->len, ==, 3);
}

/* A ladder of the owner's; and none at all. */
static void
test_bill_custom_ladder (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 bill = add_bill (f, "INV-1", "2026-03-20", 500);
  g_autofree char *stage = NULL;
  BbReminderKind kind = 0;

  /* Only before the due date: the last step stays 30 days, as due_soon. */
  g_assert_true (bb_reminders_set_ladder (f->db, "-14; 0", &error));
  stage = bill_stage_on (f, bill, "2026-03-05", NULL);
  g_assert_cmpstr (stage, ==, "");
  g_free (stage);
  stage = bill_stage_on (f, bill, "2026-03-06", &kind);
  g_assert_cmpstr (stage, ==, "-14");
  g_free (stage);
  stage = bill_stage_on (f, bill, "2026-03-20", &kind);
  g_assert_cmpstr (stage, ==, "0");
  g_free (stage);
  stage = bill_stage_on (f, bill, "2026-04-19", &kind);
  g_assert_cmpstr (stage, ==, "0");
  g_assert_cmpint (kind, ==, BB_REMINDER_DUE_SOON);
  g_free (stage);
  stage = bill_stage_on (f, bill, "2026-04-20", NULL);
  g_assert_cmpstr (stage, ==, "");
  g_free (stage);

  /* Only after: nothing until the first step. */
  g_assert_true (bb_reminders_set_ladder (f->db, "+3 firm", &error));
  stage = bill_stage_on (f, bill, "2026-03-22", NULL);
  g_assert_cmpstr (stage, ==, "");
  g_free (stage);
  stage = bill_stage_on (f, bill, "2026-03-23", &kind);
  g_assert_cmpstr (stage, ==, "+3");
  g_assert_cmpint (kind, ==, BB_REMINDER_OVERDUE);
  g_free (stage);

  /* No steps, no bill reminders. */
  g_assert_true (bb_reminders_set_ladder (f->db, "", &error));
  stage = bill_stage_on (f, bill, "2026-03-23", NULL);
  g_assert_cmpstr (stage, ==, "");
}

/* ---- What the owner and the notifier did ----------------------------- */

static void
test_states (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 bill = add_bill (f, "INV-1", "2026-03-20", 500);
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *key = NULL;
  BbReminder *r;

  /* Notified at -3: still on the page, no longer for the notifier. */
  list = compute_on (f, "2026-03-17", BB_REMINDERS_SKIP_NOTIFIED);
  r = find (list, BB_REMINDER_DUE_SOON, bill);
  g_assert_nonnull (r);
  key = g_strdup (r->key);
  g_assert_true (bb_reminders_mark_notified (f->db, key, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = compute_on (f, "2026-03-18", BB_REMINDERS_SKIP_NOTIFIED);
  g_assert_null (find (list, BB_REMINDER_DUE_SOON, bill));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = compute_on (f, "2026-03-18", BB_REMINDERS_DEFAULT);
  g_assert_cmpint (find (list, BB_REMINDER_DUE_SOON, bill)->state, ==, BB_REMINDER_STATE_NOTIFIED);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Notified twice is once. */
  g_assert_true (bb_reminders_mark_notified (f->db, key, &error));
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM reminders"), ==, 1);

  /* The next stage is a new reminder, to be notified. */
  list = compute_on (f, "2026-03-19", BB_REMINDERS_SKIP_NOTIFIED);
  r = find (list, BB_REMINDER_DUE_SOON, bill);
  g_assert_cmpstr (r->stage, ==, "-1");
  g_assert_cmpint (r->state, ==, BB_REMINDER_STATE_NEW);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Done at +1: gone from the page and the notifier until +7. */
  list = compute_on (f, "2026-03-21", BB_REMINDERS_DEFAULT);
  g_free (key);
  key = g_strdup (find (list, BB_REMINDER_OVERDUE, bill)->key);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_true (bb_reminders_mark_done (f->db, key, &error));
  g_assert_no_error (error);
  list = compute_on (f, "2026-03-26", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_OVERDUE, bill));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A notification does not undo done. */
  g_assert_true (bb_reminders_mark_notified (f->db, key, &error));
  list = compute_on (f, "2026-03-26", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_OVERDUE, bill));
  g_clear_pointer (&list, g_ptr_array_unref);

  list = compute_on (f, "2026-03-27", BB_REMINDERS_SKIP_NOTIFIED);
  r = find (list, BB_REMINDER_OVERDUE, bill);
  g_assert_cmpstr (r->stage, ==, "+7");
  g_free (key);
  key = g_strdup (r->key);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Snoozed at +7 until 29 March, 09:00: hidden until then, then new. */
  {
    g_autoptr(GDateTime) until = g_date_time_new_local (2026, 3, 29, 9, 0, 0);
    g_autoptr(GDateTime) before = g_date_time_new_local (2026, 3, 29, 8, 59, 59);
    g_autoptr(GDateTime) after = g_date_time_new_local (2026, 3, 29, 9, 0, 0);

    g_assert_true (bb_reminders_mark_notified (f->db, key, &error));
    g_assert_true (bb_reminders_snooze (f->db, key, until, &error));
    g_assert_no_error (error);

    list = compute_on (f, "2026-03-28", BB_REMINDERS_DEFAULT);
    g_assert_null (find (list, BB_REMINDER_OVERDUE, bill));
    g_clear_pointer (&list, g_ptr_array_unref);
    list = compute_at (f, before, BB_REMINDERS_DEFAULT);
    g_assert_null (find (list, BB_REMINDER_OVERDUE, bill));
    g_clear_pointer (&list, g_ptr_array_unref);
    list = compute_at (f, after, BB_REMINDERS_SKIP_NOTIFIED);
    r = find (list, BB_REMINDER_OVERDUE, bill);
    g_assert_nonnull (r);
    g_assert_cmpint (r->state, ==, BB_REMINDER_STATE_NEW);
    g_clear_pointer (&list, g_ptr_array_unref);
  }

  /* A snooze that has not run out is not undone by a notification. */
  {
    g_autoptr(GDateTime) far = g_date_time_new_local (2099, 1, 1, 0, 0, 0);

    g_assert_true (bb_reminders_snooze (f->db, key, far, &error));
    g_assert_true (bb_reminders_mark_notified (f->db, key, &error));
    list = compute_on (f, "2026-04-01", BB_REMINDERS_DEFAULT);
    g_assert_null (find (list, BB_REMINDER_OVERDUE, bill));
    g_clear_pointer (&list, g_ptr_array_unref);
  }

  /* One row per kind, subject and stage. */
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM reminders"), ==, 3);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM reminders WHERE state = 'snoozed' "
                                   "AND snoozed_until > '2098' AND stage = '+7'"), ==, 1);

  /* Keys that are not reminders. */
  {
    static const char *bad[] = { "nope", "overdue:x:+1", "bogus:1:+1", "overdue:1", "overdue:-1:+1", "" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) local_error = NULL;

        g_assert_false (bb_reminders_mark_done (f->db, bad[i], &local_error));
        g_assert_error (local_error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
      }
  }
}

/* ---- The other kinds ------------------------------------------------- */

static gint64
add_follow_up (Fixture    *f,
               const char *summary,
               const char *occurred_on,
               const char *follow_up_on)
{
  g_autoptr(GError) error = NULL;
  BbInteraction i = {
    .customer_id = f->customer,
    .occurred_on = (char *) occurred_on,
    .channel = (char *) "phone",
    .kind = (char *) "follow_up",
    .summary = (char *) summary,
    .outcome = (char *) "",
    .follow_up_on = (char *) follow_up_on,
  };

  g_assert_true (bb_interactions_add (f->db, &i, &error));
  g_assert_no_error (error);
  return i.id;
}

static void
test_follow_ups (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 call = add_follow_up (f, "Call back about the quote", "2026-03-01", "2026-03-10");
  gint64 blank = add_follow_up (f, "", "2026-03-01", "2026-03-10");
  gint64 none = add_follow_up (f, "No follow-up", "2026-03-01", NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GDateTime) now = at ("2026-03-10");
  BbReminder *r;

  list = compute_on (f, "2026-03-09", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_FOLLOW_UP, call));
  g_clear_pointer (&list, g_ptr_array_unref);

  list = compute_at (f, now, BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_FOLLOW_UP, call);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->subject, ==, "Call back about the quote");
  g_assert_cmpstr (r->due_on, ==, "2026-03-10");
  g_assert_cmpstr (r->stage, ==, "2026-03-10");
  g_assert_false (r->has_amount);
  g_assert_cmpint (bb_reminder_get_group (r, now), ==, BB_REMINDER_GROUP_TODAY);
  g_assert_cmpstr (find (list, BB_REMINDER_FOLLOW_UP, blank)->subject, ==, "Follow-up");
  g_assert_null (find (list, BB_REMINDER_FOLLOW_UP, none));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Still there the day after, now overdue. */
  list = compute_on (f, "2026-03-11", BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_FOLLOW_UP, call);
  g_assert_nonnull (r);

  /* Done with the reminder is the follow-up done. */
  g_assert_true (bb_reminders_mark_done (f->db, r->key, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f->db, "SELECT follow_up_done FROM interactions WHERE id = %" G_GINT64_FORMAT, call), ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = compute_on (f, "2026-03-11", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_FOLLOW_UP, call));
  g_assert_nonnull (find (list, BB_REMINDER_FOLLOW_UP, blank));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Done in the log is done in the reminders. */
  g_assert_true (bb_interactions_set_follow_up_done (f->db, blank, TRUE, &error));
  list = compute_on (f, "2026-03-11", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_FOLLOW_UP, blank));
}

static gint64
add_card (Fixture    *f,
          const char *name,
          const char *expires_on,
          BbMoney     balance,
          BbMoney     low_mark)
{
  sql_exec (f->db,
            "INSERT INTO prepaid_accounts (customer_id, name, validity, expires_on, low_balance_mark, "
            "  balance, paid_in, created_at) "
            "VALUES (%" G_GINT64_FORMAT ", '%s', '%s', %s%s%s, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", "
            "  %" G_GINT64_FORMAT ", '2026-01-01T00:00:00Z')",
            f->customer, name, expires_on ? "fixed" : "none",
            expires_on ? "'" : "", expires_on ? expires_on : "NULL", expires_on ? "'" : "",
            low_mark, balance, balance);

  return sqlite3_last_insert_rowid (_bb_db_get_handle (f->db));
}

static void
top_up (Fixture    *f,
        gint64      card,
        const char *date)
{
  sql_exec (f->db,
            "INSERT INTO prepaid_entries (account_id, occurred_on, kind, amount, method, created_at) "
            "VALUES (%" G_GINT64_FORMAT ", '%s', 'topup', 100, 'cash', '2026-01-01T00:00:00Z')",
            card, date);
}

static void
test_prepaid (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 expiring = add_card (f, "Car wash card", "2026-04-30", 5000, 0);
  gint64 empty = add_card (f, "Empty card", "2026-04-30", 0, 0);
  gint64 closed = add_card (f, "Old card", "2026-04-30", 0, 0);
  gint64 forever = add_card (f, "Coffee card", NULL, 1999, 2000);
  gint64 at_mark = add_card (f, "Bean card", NULL, 2000, 2000);
  gint64 no_mark = add_card (f, "Gift card", NULL, 0, 0);
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *key = NULL;
  BbReminder *r;

  sql_exec (f->db, "UPDATE prepaid_accounts SET closed = 1 WHERE id = %" G_GINT64_FORMAT, closed);
  sql_exec (f->db, "UPDATE prepaid_accounts SET last_used_on = '2026-03-05' WHERE id = %" G_GINT64_FORMAT, forever);
  top_up (f, forever, "2026-02-01");

  /* Expiry: from 30 days before, and while money is left after it. */
  list = compute_on (f, "2026-03-30", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_PREPAID_EXPIRY, expiring));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = compute_on (f, "2026-03-31", BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_PREPAID_EXPIRY, expiring);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->subject, ==, "Car wash card");
  g_assert_cmpstr (r->due_on, ==, "2026-04-30");
  g_assert_cmpint (r->amount, ==, 5000);
  g_assert_null (find (list, BB_REMINDER_PREPAID_EXPIRY, empty));
  g_assert_null (find (list, BB_REMINDER_PREPAID_EXPIRY, closed));
  g_assert_null (find (list, BB_REMINDER_PREPAID_EXPIRY, forever));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = compute_on (f, "2026-05-01", BB_REMINDERS_DEFAULT);
  g_assert_nonnull (find (list, BB_REMINDER_PREPAID_EXPIRY, expiring));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Low: under the mark, not at it; dated when last used. */
  list = compute_on (f, "2026-03-10", BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_PREPAID_LOW, forever);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->stage, ==, "2026-02-01");
  g_assert_cmpstr (r->due_on, ==, "2026-03-05");
  g_assert_cmpint (r->amount, ==, 1999);
  g_assert_null (find (list, BB_REMINDER_PREPAID_LOW, at_mark));
  g_assert_null (find (list, BB_REMINDER_PREPAID_LOW, no_mark));
  g_assert_null (find (list, BB_REMINDER_PREPAID_LOW, expiring));
  key = g_strdup (r->key);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Done until the card is topped up and runs low again. */
  g_assert_true (bb_reminders_mark_done (f->db, key, &error));
  list = compute_on (f, "2026-03-10", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_PREPAID_LOW, forever));
  g_clear_pointer (&list, g_ptr_array_unref);
  top_up (f, forever, "2026-03-12");
  list = compute_on (f, "2026-03-13", BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_PREPAID_LOW, forever);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->stage, ==, "2026-03-12");
}

static void
test_recurring (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 monthly, stopped, ended;
  BbReminder *r;

  sql_exec (f->db,
            "INSERT INTO recurring_charges (customer_id, description, amount, tax_rate, interval, anchor_day, "
            "  start_on, next_on, end_on, active, created_at) VALUES "
            "(%" G_GINT64_FORMAT ", 'Monthly car wash plan', 10000, 1300, 'monthly', 15, '2026-01-15', '2026-03-15', NULL, 1, 'x'),"
            "(%" G_GINT64_FORMAT ", 'Stopped plan', 10000, 0, 'monthly', 15, '2026-01-15', '2026-03-15', NULL, 0, 'x'),"
            "(%" G_GINT64_FORMAT ", 'Ended plan', 10000, 0, 'monthly', 15, '2026-01-15', '2026-03-15', '2026-03-01', 1, 'x')",
            f->customer, f->customer, f->customer);
  monthly = sql_int (f->db, "SELECT id FROM recurring_charges WHERE description = 'Monthly car wash plan'");
  stopped = sql_int (f->db, "SELECT id FROM recurring_charges WHERE description = 'Stopped plan'");
  ended = sql_int (f->db, "SELECT id FROM recurring_charges WHERE description = 'Ended plan'");

  list = compute_on (f, "2026-03-14", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_RECURRING, monthly));
  g_clear_pointer (&list, g_ptr_array_unref);

  list = compute_on (f, "2026-03-15", BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_RECURRING, monthly);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->subject, ==, "Monthly car wash plan");
  g_assert_cmpstr (r->due_on, ==, "2026-03-15");
  g_assert_cmpint (r->amount, ==, 11300);       /* with 13 % tax */
  g_assert_null (find (list, BB_REMINDER_RECURRING, stopped));
  g_assert_null (find (list, BB_REMINDER_RECURRING, ended));

  /* Done with this period; the next one is a new reminder. */
  g_assert_true (bb_reminders_mark_done (f->db, r->key, &error));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = compute_on (f, "2026-03-20", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_RECURRING, monthly));
  g_clear_pointer (&list, g_ptr_array_unref);
  sql_exec (f->db, "UPDATE recurring_charges SET next_on = '2026-04-15' WHERE id = %" G_GINT64_FORMAT, monthly);
  list = compute_on (f, "2026-04-14", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_RECURRING, monthly));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = compute_on (f, "2026-04-15", BB_REMINDERS_DEFAULT);
  g_assert_nonnull (find (list, BB_REMINDER_RECURRING, monthly));
}

static void
test_review (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GDateTime) now = at ("2026-04-01");
  gint64 never = add_customer (f->db, "C3", "Never Reviewed");
  gint64 archived = add_customer (f->db, "C4", "Gone Away");
  BbReminder *r;

  sql_exec (f->db, "UPDATE customers SET reviewed_on = '2026-01-01'");
  sql_exec (f->db, "UPDATE customers SET reviewed_on = NULL, created_at = '2026-01-02T08:00:00Z' "
                   "WHERE id = %" G_GINT64_FORMAT, never);
  sql_exec (f->db, "UPDATE customers SET archived = 1 WHERE id = %" G_GINT64_FORMAT, archived);

  /* 89 days: not yet. */
  list = compute_on (f, "2026-03-31", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_REVIEW, f->customer));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* 90 days: due today. */
  list = compute_at (f, now, BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_REVIEW, f->customer);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->subject, ==, "王小明");
  g_assert_cmpstr (r->due_on, ==, "2026-04-01");
  g_assert_cmpstr (r->stage, ==, "2026-01-01");
  g_assert_false (r->has_amount);
  g_assert_cmpint (bb_reminder_get_group (r, now), ==, BB_REMINDER_GROUP_TODAY);
  g_assert_nonnull (find (list, BB_REMINDER_REVIEW, f->other));
  g_assert_null (find (list, BB_REMINDER_REVIEW, never));      /* added 2 January */
  g_assert_null (find (list, BB_REMINDER_REVIEW, archived));
  g_clear_pointer (&list, g_ptr_array_unref);

  list = compute_on (f, "2026-04-02", BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_REVIEW, never);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->stage, ==, "");
  g_assert_cmpstr (r->due_on, ==, "2026-04-02");

  /* Done: reviewed today (the real one), so due again a quarter later. */
  g_assert_true (bb_reminders_mark_done (f->db, find (list, BB_REMINDER_REVIEW, f->customer)->key, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  {
    g_autoptr(GDateTime) real_now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) soon = g_date_time_add_days (real_now, 89);
    g_autoptr(GDateTime) later = g_date_time_add_days (real_now, 90);
    g_autofree char *today = g_date_time_format (real_now, "%Y-%m-%d");

    g_assert_cmpint (sql_int (f->db, "SELECT reviewed_on = '%s' FROM customers WHERE id = %" G_GINT64_FORMAT,
                              today, f->customer), ==, 1);
    list = compute_at (f, soon, BB_REMINDERS_DEFAULT);
    g_assert_null (find (list, BB_REMINDER_REVIEW, f->customer));
    g_assert_nonnull (find (list, BB_REMINDER_REVIEW, f->other));
    g_clear_pointer (&list, g_ptr_array_unref);
    list = compute_at (f, later, BB_REMINDERS_DEFAULT);
    r = find (list, BB_REMINDER_REVIEW, f->customer);
    g_assert_nonnull (r);
    g_assert_cmpstr (r->stage, ==, today);
  }
}

/* ---- The page -------------------------------------------------------- */

/* The owner chooses how long after a review the next is due, or none. */
static void
test_review_interval (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  BbReminder *r;

  sql_exec (f->db, "UPDATE customers SET reviewed_on = '2026-01-01'");
  g_assert_cmpint (bb_reminders_get_review_days (f->db), ==, BB_REMINDERS_REVIEW_DAYS);

  /* Every six months: not after 90 days, on the 182nd. */
  g_assert_true (bb_reminders_set_review_days (f->db, 182, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bb_reminders_get_review_days (f->db), ==, 182);
  list = compute_on (f, "2026-06-01", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_REVIEW, f->customer));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = compute_on (f, "2026-07-02", BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_REVIEW, f->customer);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->due_on, ==, "2026-07-02");
  g_assert_cmpstr (r->stage, ==, "2026-01-01");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Never: no reviews, whatever the date; the rest as before. */
  add_bill (f, "INV-1", "2026-12-01", 500);
  g_assert_true (bb_reminders_set_review_days (f->db, 0, &error));
  list = compute_on (f, "2027-12-31", BB_REMINDERS_DEFAULT);
  g_assert_null (find (list, BB_REMINDER_REVIEW, f->customer));
  g_assert_null (find (list, BB_REMINDER_REVIEW, f->other));
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = compute_on (f, "2026-12-05", BB_REMINDERS_DEFAULT);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((BbReminder *) g_ptr_array_index (list, 0))->kind, ==, BB_REMINDER_OVERDUE);

  /* Not a choice: refused, naming the setting; the book keeps its own. */
  g_assert_false (bb_reminders_set_review_days (f->db, -1, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Review customer details: "));
  g_clear_error (&error);
  g_assert_false (bb_reminders_set_review_days (f->db, BB_REMINDERS_REVIEW_DAYS_MAX + 1, &error));
  g_clear_error (&error);
  g_assert_cmpint (bb_reminders_get_review_days (f->db), ==, 0);
}

static void
test_groups_and_order (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = at ("2026-03-10");
  g_autoptr(GPtrArray) list = NULL;
  static const struct
  {
    const char      *due_on;
    BbReminderGroup  group;
  } bills[] = {
    { "2026-03-24", BB_REMINDER_GROUP_LATER },      /* 14 days ahead */
    { "2026-03-18", BB_REMINDER_GROUP_LATER },      /* 8 */
    { "2026-03-17", BB_REMINDER_GROUP_THIS_WEEK },  /* 7 */
    { "2026-03-11", BB_REMINDER_GROUP_THIS_WEEK },  /* tomorrow */
    { "2026-03-10", BB_REMINDER_GROUP_TODAY },
    { "2026-03-09", BB_REMINDER_GROUP_OVERDUE },
  };

  g_assert_true (bb_reminders_set_ladder (f->db, "-14; +1", &error));
  for (guint i = 0; i < G_N_ELEMENTS (bills); i++)
    {
      g_autofree char *number = g_strdup_printf ("INV-%u", i);

      add_bill (f, number, bills[i].due_on, 100 + i);
    }
  add_follow_up (f, "Ring", "2026-03-01", "2026-03-09");

  list = compute_at (f, now, BB_REMINDERS_DEFAULT);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (bills) + 1);

  /* By date, then kind: the overdue bill before the follow-up of the
   * same day. */
  for (guint i = 0; i < list->len; i++)
    {
      BbReminder *r = g_ptr_array_index (list, i);

      if (i > 0)
        g_assert_cmpstr (((BbReminder *) g_ptr_array_index (list, i - 1))->due_on, <=, r->due_on);
      for (guint b = 0; b < G_N_ELEMENTS (bills); b++)
        if (r->kind != BB_REMINDER_FOLLOW_UP && g_str_equal (r->due_on, bills[b].due_on))
          g_assert_cmpint (bb_reminder_get_group (r, now), ==, bills[b].group);
    }
  g_assert_cmpint (((BbReminder *) g_ptr_array_index (list, 0))->kind, ==, BB_REMINDER_OVERDUE);
  g_assert_cmpint (((BbReminder *) g_ptr_array_index (list, 1))->kind, ==, BB_REMINDER_FOLLOW_UP);
  g_assert_cmpint (bb_reminder_get_group (g_ptr_array_index (list, 1), now), ==, BB_REMINDER_GROUP_OVERDUE);

  /* On one day, by customer, then subject, whatever order the book
   * gives them in; and so when the dates are decades apart. */
  {
    gint64 later_bill = add_bill_full (f, f->other, "A-2", "invoice", "issued", "2026-03-05", 1, 1);
    gint64 earlier_bill = add_bill_full (f, f->other, "Z-1", "invoice", "issued", "2026-03-05", 2, 2);
    gint64 mine = add_bill (f, "M-1", "2026-03-05", 3);
    gint64 expected[] = { mine, MIN (later_bill, earlier_bill), MAX (later_bill, earlier_bill) };

    for (guint pass = 0; pass < 2; pass++)
      {
        g_autoptr(GPtrArray) again = NULL;
        guint at_day = 0;

        if (pass == 1)
          add_follow_up (f, "Ring about the 1990 order", "1989-12-01", "1990-01-02");
        again = compute_at (f, now, BB_REMINDERS_DEFAULT);
        for (guint i = 1; i < again->len; i++)
          {
            BbReminder *a = g_ptr_array_index (again, i - 1), *b = g_ptr_array_index (again, i);

            g_assert_cmpstr (a->due_on, <=, b->due_on);
            if (g_str_equal (a->due_on, b->due_on) && a->kind == b->kind)
              g_assert_cmpint (a->customer_id, <=, b->customer_id);
          }
        if (pass == 1)
          g_assert_cmpstr (((BbReminder *) g_ptr_array_index (again, 0))->due_on, ==, "1990-01-02");
        for (guint i = 0; i < again->len; i++)
          {
            BbReminder *r = g_ptr_array_index (again, i);

            if (g_str_equal (r->due_on, "2026-03-05"))
              g_assert_cmpint (r->subject_id, ==, expected[at_day++]);
          }
        g_assert_cmpuint (at_day, ==, 3);
      }
  }

  g_assert_cmpstr (bb_reminder_group_label (BB_REMINDER_GROUP_THIS_WEEK), ==, "This week");
  g_assert_cmpstr (bb_reminder_kind_to_string (BB_REMINDER_PREPAID_LOW), ==, "prepaid_low");
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *csv = NULL;

  add_bill (f, "INV-2026-0001", "2026-03-01", 12345);
  add_follow_up (f, "=HYPERLINK(\"x\"), call", "2026-03-01", "2026-03-05");
  list = compute_on (f, "2026-03-10", BB_REMINDERS_DEFAULT);
  csv = bb_reminders_to_csv (list, bb_currency_lookup ("CNY"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (csv, ==,
                   "due_on,kind,customer_code,subject,amount\n"
                   "2026-03-01,overdue,C1,INV-2026-0001,123.45\n"
                   "2026-03-05,follow_up,C1,\"'=HYPERLINK(\"\"x\"\"), call\",\n");
}

/* ---- Late fees ------------------------------------------------------- */

static void
test_late_fee (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(BbInvoice) fee = NULL;
  g_autoptr(BbInvoice) again = NULL;
  gint64 bill = add_bill (f, "INV-2026-0007", "2026-03-01", 12345);
  gint64 n_bills;
  BbReminder *r;

  g_assert_true (bb_reminders_set_ladder (f->db, "-3; +7 firm fee 2%; +30 final fee 50.00", &error));

  /* Before the due date there is no fee to draft. */
  list = compute_on (f, "2026-02-27", BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_DUE_SOON, bill);
  g_assert_cmpint (r->fee_kind, ==, BB_LATE_FEE_NONE);
  g_assert_null (bb_reminders_draft_fee_bill (f->db, r, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* +7: 2 % of 123.45 is 2.469 → 2.47, as a draft fee bill. */
  list = compute_on (f, "2026-03-08", BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_OVERDUE, bill);
  g_assert_cmpint (r->fee_kind, ==, BB_LATE_FEE_PERCENT);
  g_assert_cmpint (r->fee, ==, 200);
  g_assert_false (r->fee_drafted);
  fee = bb_reminders_draft_fee_bill (f->db, r, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fee);
  g_assert_true (r->fee_drafted);
  g_clear_object (&fee);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = compute_on (f, "2026-03-09", BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_OVERDUE, bill);
  g_assert_true (r->fee_drafted);
  {
    gint64 fee_id = sql_int (f->db, "SELECT fee_invoice_id FROM late_fees WHERE invoice_id = %" G_GINT64_FORMAT
                                    " AND stage = '+7'", bill);

    fee = bb_invoices_get (f->db, fee_id, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (fee->kind, ==, BB_INVOICE_KIND_FEE);
  g_assert_cmpint (fee->status, ==, BB_INVOICE_DRAFT);
  g_assert_cmpint (fee->customer_id, ==, f->customer);
  g_assert_cmpint (fee->total, ==, 247);
  g_assert_cmpstr (fee->currency, ==, "CNY");
  g_assert_nonnull (strstr (fee->notes, "INV-2026-0007"));
  g_assert_cmpuint (fee->lines->len, ==, 1);

  /* Never twice for the same bill and step, even after the draft was
   * deleted. */
  n_bills = sql_int (f->db, "SELECT count(*) FROM invoices");
  again = bb_reminders_draft_fee_bill (f->db, r, &error);
  g_assert_null (again);
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already"));
  g_clear_error (&error);
  g_assert_true (bb_invoices_delete_draft (f->db, fee->id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM late_fees WHERE fee_invoice_id IS NULL"), ==, 1);
  again = bb_reminders_draft_fee_bill (f->db, r, &error);
  g_assert_null (again);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM invoices"), ==, n_bills - 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* +30: the fixed fee. */
  list = compute_on (f, "2026-03-31", BB_REMINDERS_DEFAULT);
  r = find (list, BB_REMINDER_OVERDUE, bill);
  g_assert_cmpstr (r->stage, ==, "+30");
  g_assert_false (r->fee_drafted);
  again = bb_reminders_draft_fee_bill (f->db, r, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->total, ==, 5000);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* No fee on a fee bill, nor on a bill paid meanwhile. */
  {
    gint64 fee_bill = add_bill_full (f, f->customer, "FEE-1", "fee", "issued", "2026-03-01", 300, 300);
    gint64 paid = add_bill (f, "INV-2026-0008", "2026-03-01", 1000);
    g_autoptr(BbInvoice) none = NULL;

    list = compute_on (f, "2026-03-08", BB_REMINDERS_DEFAULT);
    g_assert_cmpint (find (list, BB_REMINDER_OVERDUE, fee_bill)->fee_kind, ==, BB_LATE_FEE_NONE);
    r = find (list, BB_REMINDER_OVERDUE, paid);
    g_assert_cmpint (r->fee_kind, ==, BB_LATE_FEE_PERCENT);
    sql_exec (f->db, "UPDATE invoices SET paid = total, open_balance = 0 WHERE id = %" G_GINT64_FORMAT, paid);
    none = bb_reminders_draft_fee_bill (f->db, r, &error);
    g_assert_null (none);
    g_assert_nonnull (strstr (error->message, "owes nothing"));
    g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM late_fees WHERE invoice_id = %" G_GINT64_FORMAT, paid), ==, 0);
  }
}

/* ---- Pure ------------------------------------------------------------ */

/* ---- Customers' names, and the page's list ------------------------------ */

/* The page's computation leaves the customers' labels to be looked up
 * for the reminders shown; everyone else gets them. */
static void
test_labels_later (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) now = at ("2026-03-10");
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GPtrArray) full = NULL;
  g_autoptr(GError) error = NULL;
  gint64 mine = add_bill (f, "INV-1", "2026-03-01", 100);
  gint64 theirs = add_bill_full (f, f->other, "INV-2", "invoice", "issued", "2026-03-02", 200, 200);
  BbReminder *r;

  sql_exec (f->db, "UPDATE customers SET reviewed_on = '2025-06-01' WHERE code = 'C1'");
  later = compute_at (f, now, BB_REMINDERS_LABELS_LATER);
  r = find (later, BB_REMINDER_OVERDUE, theirs);
  g_assert_nonnull (r);
  g_assert_null (r->customer_code);
  g_assert_null (r->customer_name);
  g_assert_true (bb_reminder_load_labels (r, f->db, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (r->customer_code, ==, "C2");
  g_assert_cmpstr (r->customer_name, ==, "Harbour Bakery");
  /* Reviews read the labels with the customer anyway. */
  r = find (later, BB_REMINDER_REVIEW, f->customer);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->customer_name, ==, "王小明");

  full = compute_at (f, now, BB_REMINDERS_DEFAULT);
  g_assert_cmpstr (find (full, BB_REMINDER_OVERDUE, mine)->customer_name, ==, "王小明");
  g_assert_cmpstr (find (full, BB_REMINDER_OVERDUE, mine)->customer_code, ==, "C1");
  g_assert_cmpstr (find (full, BB_REMINDER_OVERDUE, theirs)->customer_name, ==, "Harbour Bakery");
}

typedef struct
{
  guint position, removed, added;
} Change;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static BbReminderList *
compute_list (Fixture   *f,
              GDateTime *now)
{
  g_autoptr(GError) error = NULL;
  BbReminderList *list = bb_reminders_compute_list (f->db, now, BB_REMINDERS_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

/* What a list shows, one line per item: "# Today 1" for a heading,
 * "C1 INV-3" for a reminder. */
static char *
list_text (GListModel *model)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (BB_IS_REMINDER_HEADING (item))
        g_string_append_printf (text, "# %s %u\n", bb_reminder_group_label (BB_REMINDER_HEADING (item)->group),
                                BB_REMINDER_HEADING (item)->count);
      else
        g_string_append_printf (text, "%s %s\n", BB_REMINDER (item)->customer_code, BB_REMINDER (item)->subject);
    }
  g_assert_null (g_list_model_get_item (model, g_list_model_get_n_items (model)));

  return g_string_free (text, FALSE);
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GDateTime) now = at ("2026-03-10");
  g_autoptr(GDateTime) tomorrow = at ("2026-03-11");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plain = NULL;
  g_autoptr(BbReminderList) list = NULL;
  g_autoptr(BbReminderList) again = NULL;
  g_autoptr(BbReminderList) untouched = NULL;
  g_autoptr(BbReminderList) renamed = NULL;
  g_autoptr(BbReminderList) next_day = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GObject) item = NULL;
  g_autoptr(GObject) same = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  Change *c;

  g_assert_true (bb_reminders_set_ladder (f->db, "-14; +1", &error));
  add_bill (f, "INV-1", "2026-03-09", 100);                                              /* overdue */
  add_bill_full (f, f->other, "INV-2", "invoice", "issued", "2026-03-10", 200, 200);    /* today */
  add_bill (f, "INV-3", "2026-03-12", 300);                                              /* this week */
  add_bill_full (f, f->other, "INV-4", "invoice", "issued", "2026-03-20", 400, 400);    /* later */
  /* The customers were added today: no reviews are due. */

  plain = compute_at (f, now, BB_REMINDERS_DEFAULT);
  list = compute_list (f, now);
  untouched = compute_list (f, now);
  g_assert_cmpuint (bb_reminder_list_get_n_reminders (list), ==, plain->len);
  g_assert_cmpuint (bb_reminder_list_get_n_reminders (list), ==, 4);
  g_assert_cmpuint (bb_reminder_list_get_count (list, BB_REMINDER_GROUP_OVERDUE), ==, 1);
  g_assert_cmpuint (bb_reminder_list_get_count (list, BB_REMINDER_GROUP_TODAY), ==, 1);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == G_TYPE_OBJECT);

  text = list_text (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==,
                   "# Overdue 1\nC1 INV-1\n"
                   "# Today 1\nC2 INV-2\n"
                   "# This week 1\nC1 INV-3\n"
                   "# Later 1\nC2 INV-4\n");
  for (guint i = 0; i < plain->len; i++)
    g_assert_cmpstr (bb_reminder_list_get_reminder (list, i)->key, ==,
                     ((BbReminder *) g_ptr_array_index (plain, i))->key);

  /* An item is the same object each time, and found by its key. */
  item = g_list_model_get_item (G_LIST_MODEL (list), 3);
  same = g_list_model_get_item (G_LIST_MODEL (list), 3);
  g_assert_true (item == same);
  key = g_strdup (BB_REMINDER (item)->key);
  g_assert_true (bb_reminder_list_find (list, key) == (gpointer) item);
  g_assert_null (bb_reminder_list_find (list, "overdue:999:+1"));
  g_assert_null (bb_reminder_list_find (list, "overdue"));
  g_assert_null (bb_reminder_list_find (list, "overdue:x:+1"));
  g_assert_null (bb_reminder_list_find (list, "nonsense:1:+1"));

  /* Computed again on the same book and day, it shows the same; a day
   * later, a customer renamed or a bill paid, it does not. */
  again = compute_list (f, now);
  g_assert_true (bb_reminder_list_shows_same (list, again));
  next_day = compute_list (f, tomorrow);
  g_assert_false (bb_reminder_list_shows_same (list, next_day));
  sql_exec (f->db, "UPDATE customers SET name = 'Harbour Bakery & Café' WHERE code = 'C2'");
  renamed = compute_list (f, now);
  /* list has made C2's reminders with the old name; untouched has made
   * none, so it has no name to differ in. */
  g_assert_false (bb_reminder_list_shows_same (list, renamed));
  g_assert_true (bb_reminder_list_shows_same (untouched, renamed));
  g_assert_cmpstr (bb_reminder_list_find (renamed, key)->customer_name, ==, "Harbour Bakery & Café");
  sql_exec (f->db, "UPDATE invoices SET open_balance = 50 WHERE number = 'INV-3'");
  g_clear_object (&again);
  again = compute_list (f, now);
  g_assert_false (bb_reminder_list_shows_same (untouched, again));

  /* Taking off a group's only reminder takes its heading with it; one of
   * two leaves the heading, bound again for its count. */
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), changes);
  g_assert_true (bb_reminder_list_remove (list, key));
  g_assert_cmpuint (changes->len, ==, 1);
  c = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (c->position, ==, 2);
  g_assert_cmpuint (c->removed, ==, 2);
  g_assert_cmpuint (c->added, ==, 0);
  g_assert_false (bb_reminder_list_remove (list, key));
  g_assert_cmpuint (changes->len, ==, 1);
  g_clear_pointer (&text, g_free);
  text = list_text (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==,
                   "# Overdue 1\nC1 INV-1\n"
                   "# This week 1\nC1 INV-3\n"
                   "# Later 1\nC2 INV-4\n");

  add_bill (f, "INV-5", "2026-03-13", 500);
  g_clear_object (&list);
  list = compute_list (f, now);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), changes);
  g_array_set_size (changes, 0);
  g_assert_cmpuint (bb_reminder_list_get_count (list, BB_REMINDER_GROUP_THIS_WEEK), ==, 2);
  g_assert_true (bb_reminder_list_remove (list, bb_reminder_list_get_reminder (list, 3)->key));
  g_assert_cmpuint (changes->len, ==, 2);
  c = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (c->position, ==, 6);   /* Overdue, INV-1, Today, INV-2, This week, INV-3, INV-5 */
  g_assert_cmpuint (c->removed, ==, 1);
  g_assert_cmpuint (c->added, ==, 0);
  c = &g_array_index (changes, Change, 1);
  g_assert_cmpuint (c->position, ==, 4);
  g_assert_cmpuint (c->removed, ==, 1);
  g_assert_cmpuint (c->added, ==, 1);
  g_assert_cmpuint (bb_reminder_list_get_count (list, BB_REMINDER_GROUP_THIS_WEEK), ==, 1);
}

/* In a group the page shows bills first, then the rest by kind, each by
 * date; bb_reminders_compute() keeps to the date. */
static void
test_list_by_kind (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) now = at ("2026-03-10");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plain = NULL;
  g_autoptr(BbReminderList) list = NULL;
  g_autofree char *text = NULL;

  g_assert_true (bb_reminders_set_ladder (f->db, "+1; +30", &error));
  /* Reviewed a year ago: the review fell due on 2025-06-01. */
  sql_exec (f->db, "UPDATE customers SET reviewed_on = '2025-03-03' WHERE code = 'C1'");
  add_bill (f, "INV-7", "2026-03-01", 700);
  add_bill_full (f, f->other, "INV-8", "invoice", "issued", "2026-02-20", 800, 800);
  add_follow_up (f, "Ring about the cake order", "2026-02-01", "2026-02-15");

  plain = compute_at (f, now, BB_REMINDERS_DEFAULT);
  g_assert_cmpuint (plain->len, ==, 4);
  g_assert_cmpint (((BbReminder *) g_ptr_array_index (plain, 0))->kind, ==, BB_REMINDER_REVIEW);

  list = compute_list (f, now);
  text = list_text (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==,
                   "# Overdue 4\n"
                   "C2 INV-8\n"
                   "C1 INV-7\n"
                   "C1 Ring about the cake order\n"
                   "C1 王小明\n");
}

static void
test_list_empty (void)
{
  g_autoptr(BbReminderList) list = bb_reminder_list_new ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 0));
  g_assert_cmpuint (bb_reminder_list_get_n_reminders (list), ==, 0);
  g_assert_null (bb_reminder_list_find (list, "overdue:1:+1"));
  g_assert_nonnull (bb_reminder_list_get_now (list));
}

static void
test_compute_writes_nothing (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 bill = add_bill (f, "INV-1", "2026-03-01", 500);
  gint64 card;
  gint64 before, after;
  g_autofree char *key = g_strdup_printf ("overdue:%" G_GINT64_FORMAT ":+7", bill);

  add_bill (f, "INV-2", "2026-03-12", 700);
  add_follow_up (f, "Ring", "2026-03-01", "2026-03-09");
  card = add_card (f, "Card", "2026-03-20", 100, 200);
  top_up (f, card, "2026-01-05");
  sql_exec (f->db, "UPDATE customers SET reviewed_on = '2025-11-01'");
  g_assert_true (bb_reminders_mark_notified (f->db, key, &error));
  g_assert_true (bb_reminders_set_ladder (f->db, "-3; +7 fee 2%", &error));

  before = sqlite3_total_changes64 (_bb_db_get_handle (f->db));
  list = compute_on (f, "2026-03-10", BB_REMINDERS_DEFAULT);
  g_assert_cmpuint (list->len, ==, 7);   /* 2 bills, follow-up, expiry, low, 2 reviews */
  g_clear_pointer (&list, g_ptr_array_unref);
  list = compute_on (f, "2026-03-10", BB_REMINDERS_SKIP_NOTIFIED);
  g_assert_cmpuint (list->len, ==, 6);
  after = sqlite3_total_changes64 (_bb_db_get_handle (f->db));
  g_assert_cmpint (before, ==, after);
  g_assert_true (sqlite3_get_autocommit (_bb_db_get_handle (f->db)));

  /* The same book and clock, the same list. */
  {
    g_autoptr(GPtrArray) a = compute_on (f, "2026-03-10", BB_REMINDERS_DEFAULT);
    g_autoptr(GPtrArray) b = compute_on (f, "2026-03-10", BB_REMINDERS_DEFAULT);
    g_autofree char *csv_a = bb_reminders_to_csv (a, bb_currency_lookup ("CNY"), NULL);
    g_autofree char *csv_b = bb_reminders_to_csv (b, bb_currency_lookup ("CNY"), NULL);

    g_assert_cmpstr (csv_a, ==, csv_b);
  }
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

  g_test_add_func ("/reminders/ladder/parse", test_ladder_parse);
  g_test_add_func ("/reminders/ladder/errors", test_ladder_errors);
  ADD ("/reminders/ladder/setting", test_ladder_setting);
  ADD ("/reminders/bills/stages", test_bill_stages);
  ADD ("/reminders/bills/which", test_bill_which);
  ADD ("/reminders/bills/custom-ladder", test_bill_custom_ladder);
  ADD ("/reminders/states", test_states);
  ADD ("/reminders/follow-ups", test_follow_ups);
  ADD ("/reminders/prepaid", test_prepaid);
  ADD ("/reminders/recurring", test_recurring);
  ADD ("/reminders/review", test_review);
  ADD ("/reminders/review/interval", test_review_interval);
  ADD ("/reminders/page/groups", test_groups_and_order);
  ADD ("/reminders/page/labels-later", test_labels_later);
  ADD ("/reminders/page/list", test_list);
  ADD ("/reminders/page/list-by-kind", test_list_by_kind);
  g_test_add_func ("/reminders/page/list-empty", test_list_empty);
  ADD ("/reminders/csv", test_csv);
  ADD ("/reminders/late-fee", test_late_fee);
  ADD ("/reminders/pure", test_compute_writes_nothing);

#undef ADD

  return g_test_run ();
}
