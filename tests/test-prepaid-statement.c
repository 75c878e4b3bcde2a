/* test-prepaid-statement.c — a prepaid card's statement as a PDF, read
 * back as its reader would: every entry of the period, the opening and
 * closing balance, pages numbered, Chinese kept, bad days named
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "bb-business.h"
#include "bb-customers.h"
#include "bb-prepaid.h"
#include "bb-prepaid-statement.h"

typedef struct
{
  char   *dir;
  BbDb   *db;
  gint64  card;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(BbPrepaidAccount) card = bb_prepaid_account_new ();
  gboolean chinese = GPOINTER_TO_INT (data);

  f->dir = g_dir_make_tmp ("billbook-statement-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (path, &error);
  g_assert_no_error (error);

  g_free (c->name);
  c->name = g_strdup (chinese ? "王小明" : "Ada Lovelace");
  g_assert_true (bb_customers_save (f->db, c, &error));
  g_assert_no_error (error);

  card->customer_id = c->id;
  g_free (card->name);
  card->name = g_strdup (chinese ? "洗车会员卡" : "Membership card");
  card->validity = BB_PREPAID_VALIDITY_NONE;
  g_free (card->refund_policy);
  card->refund_policy = g_strdup (chinese ? "赠送金额不退" : "Bonus money is not refunded");
  card->bonus_threshold = 100000;
  card->bonus_amount = 10000;
  card->points_unit = 100;
  card->points_per_unit = 1;
  g_assert_true (bb_prepaid_save_account (f->db, card, &error));
  g_assert_no_error (error);
  f->card = card->id;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->db);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* The PDF's text, page by page joined, as pdftotext reads it; NULL
 * (the test skipped) without poppler-utils. */
static char *
pdf_text (const char *pdf,
          gboolean    layout)
{
  g_autofree char *prog = g_find_program_in_path ("pdftotext");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "pdftotext", layout ? "-layout" : "-raw", pdf, "-", NULL };

  if (prog == NULL)
    return NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return g_steal_pointer (&out);
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = haystack; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* 90 charges over three years: several pages. */
static void
test_every_entry (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "statement.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (pdf);
  g_autofree char *text = NULL;
  g_autoptr(BbPrepaidAccount) card = NULL;
  g_autofree char *last_page = NULL;
  guint pages;

  /* 3000.00 paid in, 300.00 bonus */
  g_assert_true (bb_prepaid_top_up (f->db, f->card, "2024-01-02", 300000, BB_PAYMENT_CASH, "Opening", NULL, &error));
  g_assert_no_error (error);
  for (int i = 0; i < 90; i++)
    {
      g_autofree char *day = g_strdup_printf ("%04d-%02d-%02d", 2024 + i / 36, 1 + (i % 36) / 3, 5 + (i % 3) * 8);
      g_autofree char *note = g_strdup_printf ("Sale number %03d", i);

      g_assert_true (bb_prepaid_charge (f->db, f->card, day, 3000 + i, note, NULL, &error));
      g_assert_no_error (error);
    }

  g_assert_true (bb_prepaid_statement_write (f->db, f->card, NULL, "2026-12-31", file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));

  text = pdf_text (pdf, FALSE);
  if (text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }

  g_assert_nonnull (strstr (text, "Prepaid Card Statement"));
  g_assert_nonnull (strstr (text, "Ada Lovelace"));
  g_assert_nonnull (strstr (text, "Membership card"));
  g_assert_nonnull (strstr (text, "Bonus money is not refunded"));
  g_assert_nonnull (strstr (text, "+¥3,000.00"));
  g_assert_nonnull (strstr (text, "+¥300.00"));
  for (int i = 0; i < 90; i++)
    {
      g_autofree char *note = g_strdup_printf ("Sale number %03d", i);

      g_assert_cmpuint (count (text, note), ==, 1);
    }

  /* 3300.00 − Σ (30.00 + i/100) = 3300 − 2700 − 40.05 = 559.95 */
  card = bb_prepaid_get_account (f->db, f->card, NULL);
  g_assert_cmpint (card->balance, ==, 55995);
  g_assert_nonnull (strstr (text, "Closing balance"));
  last_page = g_strdup (strstr (text, "Closing balance"));
  g_assert_nonnull (strstr (last_page, "¥559.95"));

  pages = count (text, "\f");
  g_assert_cmpuint (pages, >=, 2);
  {
    g_autofree char *of = g_strdup_printf ("of %u", pages);

    g_assert_cmpuint (count (text, of), ==, pages);
  }
}

/* A period: what came before it is the opening balance, what came after
 * is not shown. */
static void
test_period (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "period.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (pdf);
  g_autofree char *text = NULL;

  g_assert_true (bb_prepaid_top_up (f->db, f->card, "2025-01-10", 50000, BB_PAYMENT_ALIPAY, NULL, NULL, &error));
  g_assert_true (bb_prepaid_charge (f->db, f->card, "2025-02-01", 12000, "Before the period", NULL, &error));
  g_assert_true (bb_prepaid_charge (f->db, f->card, "2025-03-05", 4550, "In the period", NULL, &error));
  g_assert_true (bb_prepaid_refund (f->db, f->card, "2025-03-20", 10000, BB_PAYMENT_CASH, "Paid back", NULL, &error));
  g_assert_true (bb_prepaid_charge (f->db, f->card, "2025-04-02", 1000, "After the period", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (bb_prepaid_statement_write (f->db, f->card, "2025-03-01", "2025-03-31", file, NULL, &error));
  g_assert_no_error (error);

  text = pdf_text (pdf, TRUE);
  if (text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }

  g_assert_null (strstr (text, "Before the period"));
  g_assert_null (strstr (text, "After the period"));
  g_assert_nonnull (strstr (text, "In the period"));
  g_assert_nonnull (strstr (text, "Paid back"));
  g_assert_nonnull (strstr (text, "2025-03-01 to 2025-03-31"));
  /* Opening 500.00 − 120.00 = 380.00; closing 380.00 − 45.50 − 100.00 */
  g_assert_nonnull (strstr (text, "¥380.00"));
  g_assert_nonnull (strstr (strstr (text, "Closing balance"), "¥234.50"));
  g_assert_cmpuint (count (text, "Page 1 of 1"), ==, 1);
}

static void
test_bad_days (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "bad.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (pdf);

  g_assert_false (bb_prepaid_statement_write (f->db, f->card, "2025-13-01", NULL, file, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "From"));
  g_clear_error (&error);

  g_assert_false (bb_prepaid_statement_write (f->db, f->card, "2025-05-01", "2025-04-01", file, NULL, &error));
  g_assert_true (g_str_has_prefix (error->message, "From"));
  g_clear_error (&error);

  g_assert_false (bb_prepaid_statement_write (f->db, f->card + 100, NULL, NULL, file, NULL, &error));
  g_assert_nonnull (error);
  /* Nothing written on failure. */
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

/* Chinese names and notes come out as text, not empty boxes. */
static void
test_chinese (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "zh.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (pdf);
  g_autofree char *text = NULL;

  g_assert_true (bb_prepaid_top_up (f->db, f->card, "2025-06-01", 100000, BB_PAYMENT_WECHAT_PAY, NULL, NULL, &error));
  g_assert_true (bb_prepaid_charge (f->db, f->card, "2025-06-03", 3800, "精洗一次", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (bb_prepaid_statement_write (f->db, f->card, NULL, "2025-12-31", file, NULL, &error));
  g_assert_no_error (error);

  text = pdf_text (pdf, FALSE);
  if (text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }

  g_assert_nonnull (strstr (text, "王小明"));
  g_assert_nonnull (strstr (text, "洗车会员卡"));
  g_assert_nonnull (strstr (text, "精洗一次"));
  g_assert_nonnull (strstr (text, "赠送金额不退"));
  /* 1000.00 + 100.00 bonus − 38.00 */
  g_assert_nonnull (strstr (strstr (text, "Closing balance"), "¥1,062.00"));
}

static void
test_async_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;

  bb_prepaid_statement_write_finish (BB_DB (source), result, error);
  g_main_context_wakeup (NULL);
  *(gboolean *) g_object_get_data (source, "done") = TRUE;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "async.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (pdf);
  gboolean done = FALSE;

  g_assert_true (bb_prepaid_top_up (f->db, f->card, "2025-06-01", 20000, BB_PAYMENT_CASH, NULL, NULL, &error));
  g_object_set_data (G_OBJECT (f->db), "done", &done);
  bb_prepaid_statement_write_async (f->db, f->card, NULL, NULL, file, NULL, test_async_done, &error);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/prepaid-statement/every-entry", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_every_entry, fixture_tear_down);
  g_test_add ("/prepaid-statement/period", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_period, fixture_tear_down);
  g_test_add ("/prepaid-statement/bad-days", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_bad_days, fixture_tear_down);
  g_test_add ("/prepaid-statement/chinese", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_chinese, fixture_tear_down);
  g_test_add ("/prepaid-statement/async", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_async, fixture_tear_down);

  return g_test_run ();
}
