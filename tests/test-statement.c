/* test-statement.c — statement reconciliation: reading Alipay, WeChat Pay
 * and bank statements, matching them to open bills, confirming payments
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-check.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoices.h"
#include "bb-payments.h"
#include "bb-statement.h"

typedef struct
{
  char   *dir;
  char   *path;
  BbDb   *db;
  /* The book of make_book(): customers and bills by name and number. */
  gint64  zhang, li, wang, zhao;
  gint64  bill[10];          /* bill[n] is INV-2024-000n */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

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

static GBytes *
load_data (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static void
log_problems (BbStatement *statement)
{
  for (guint i = 0; statement != NULL && i < statement->problems->len; i++)
    {
      BbImportProblem *p = g_ptr_array_index (statement->problems, i);

      g_test_message ("problem: %u %s %s", p->line, p->field ? p->field : "-", p->message);
    }
}

static BbStatement *
read_good (const char          *name,
           BbStatementPlatform  platform)
{
  g_autoptr(GBytes) bytes = load_data (name);
  g_autoptr(GError) error = NULL;
  BbStatement *statement = NULL;
  gboolean ok;

  if (platform == BB_STATEMENT_ALIPAY)
    ok = bb_statement_read_alipay (bytes, &statement, &error);
  else
    ok = bb_statement_read_wechat (bytes, &statement, &error);
  log_problems (statement);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (statement);
  g_assert_cmpuint (statement->problems->len, ==, 0);

  return statement;
}

static BbStatementLine *
line_at (BbStatement *statement,
         guint        line_no)
{
  for (guint i = 0; i < statement->lines->len; i++)
    {
      BbStatementLine *line = g_ptr_array_index (statement->lines, i);

      if (line->line == line_no)
        return line;
    }

  g_error ("no statement line %u", line_no);
  return NULL;
}

static BbStatementMatch *
match_at (GPtrArray *matches,
          guint      line_no)
{
  for (guint i = 0; i < matches->len; i++)
    {
      BbStatementMatch *match = g_ptr_array_index (matches, i);

      if (match->line->line == line_no)
        return match;
    }

  g_error ("no match of line %u", line_no);
  return NULL;
}

static const BbImportProblem *
problem_at (BbStatement *statement,
            guint        index)
{
  g_assert_cmpuint (index, <, statement->problems->len);
  return g_ptr_array_index (statement->problems, index);
}

static void
assert_sound (BbDb *db)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = bb_check_book (db, &problems, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *) g_ptr_array_index (problems, i));
  g_assert_true (ok);
}

static gint64
add_customer (BbDb       *db,
              const char *name,
              const char *company,
              const char *phone,
              const char *email)
{
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autoptr(GError) error = NULL;

  g_free (c->name);
  c->name = g_strdup (name);
  g_free (c->company);
  c->company = g_strdup (company);
  g_free (c->phone);
  c->phone = g_strdup (phone);
  g_free (c->email);
  c->email = g_strdup (email);
  g_free (c->address);
  c->address = g_strdup ("上海市徐汇区漕溪北路 88 号");
  g_assert_true (bb_customers_save (db, c, &error));
  g_assert_no_error (error);

  return c->id;
}

/* An issued bill of @total (one line, no tax). */
static gint64
add_bill (BbDb       *db,
          gint64      customer,
          const char *issued_on,
          const char *due_on,
          BbMoney     total,
          const char *number)
{
  g_autoptr(BbInvoice) inv = bb_invoice_new ();
  g_autoptr(BbInvoice) issued = NULL;
  g_autoptr(GError) error = NULL;

  inv->customer_id = customer;
  g_free (inv->issued_on);
  inv->issued_on = g_strdup (issued_on);
  g_free (inv->due_on);
  inv->due_on = g_strdup (due_on);
  bb_invoice_add_line (inv, "五金配件 Hardware", 1000, total, 0, 0);
  g_assert_true (bb_invoices_save_draft (db, inv, &error));
  g_assert_no_error (error);
  g_assert_true (bb_invoices_submit (db, inv->id, &error));
  g_assert_no_error (error);
  bb_invoices_issue (db, inv->id, &error);
  g_assert_no_error (error);

  issued = bb_invoices_get (db, inv->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (issued->number, ==, number);

  return inv->id;
}

/* Four customers and nine bills, all open:
 *   INV-2024-0001 张三 100.00     INV-2024-0006 李四 120.00
 *   INV-2024-0002 李四 256.80     INV-2024-0007 张三 1,280.50
 *   INV-2024-0003 王五  88.00     INV-2024-0008 张三 500.00
 *   INV-2024-0004 赵六  88.00     INV-2024-0009 赵六 300.00
 *   INV-2024-0005 张三 500.00
 * 张三's company is 张氏建材. */
static void
make_book (Fixture *f)
{
  f->zhang = add_customer (f->db, "张三", "张氏建材", "138 0013 8000", "zhangsan@example.com");
  f->li = add_customer (f->db, "李四", "", "139 1234 5678", "");
  f->wang = add_customer (f->db, "王五", "", "137 0000 0003", "");
  f->zhao = add_customer (f->db, "赵六", "", "136 0000 0004", "");

  f->bill[1] = add_bill (f->db, f->zhang, "2024-01-02", "2024-01-31", 10000, "INV-2024-0001");
  f->bill[2] = add_bill (f->db, f->li, "2024-01-03", "2024-02-02", 25680, "INV-2024-0002");
  f->bill[3] = add_bill (f->db, f->wang, "2024-01-04", "2024-02-03", 8800, "INV-2024-0003");
  f->bill[4] = add_bill (f->db, f->zhao, "2024-01-04", "2024-02-03", 8800, "INV-2024-0004");
  f->bill[5] = add_bill (f->db, f->zhang, "2024-01-05", "2024-02-04", 50000, "INV-2024-0005");
  f->bill[6] = add_bill (f->db, f->li, "2024-01-05", "2024-02-04", 12000, "INV-2024-0006");
  f->bill[7] = add_bill (f->db, f->zhang, "2024-01-03", "2024-02-02", 128050, "INV-2024-0007");
  f->bill[8] = add_bill (f->db, f->zhang, "2024-01-10", "2024-02-09", 50000, "INV-2024-0008");
  f->bill[9] = add_bill (f->db, f->zhao, "2024-01-10", "2024-02-09", 30000, "INV-2024-0009");
}

static GPtrArray *
match (Fixture                        *f,
       BbStatement                    *statement,
       const BbStatementMatchOptions  *options)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *matches = bb_statement_match (f->db, statement, options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (matches);
  g_assert_cmpuint (matches->len, ==, statement->lines->len);

  for (guint i = 0; i < matches->len; i++)
    {
      BbStatementMatch *m = g_ptr_array_index (matches, i);

      g_test_message ("line %u: %s — %s", m->line->line, bb_statement_outcome_to_string (m->outcome), m->reason);
      for (guint j = 0; j < m->candidates->len; j++)
        {
          BbStatementCandidate *c = g_ptr_array_index (m->candidates, j);

          g_test_message ("    %s %u: %s", c->invoice_number, c->score, c->explanation);
        }
    }

  return matches;
}

static BbStatementMapping *
bank_mapping (const char *file)
{
  g_autoptr(GBytes) bytes = load_data (file);
  g_autoptr(GError) error = NULL;
  BbStatementMapping *mapping = bb_statement_guess_mapping_for_data (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (mapping);
  mapping->bank_name = g_strdup ("招商银行");

  return mapping;
}

static BbStatement *
read_bank (const char *file)
{
  g_autoptr(BbStatementMapping) mapping = bank_mapping (file);
  g_autoptr(GBytes) bytes = load_data (file);
  g_autoptr(GError) error = NULL;
  BbStatement *statement = NULL;

  g_assert_true (bb_statement_read_bank (bytes, mapping, NULL, &statement, &error));
  g_assert_no_error (error);

  return statement;
}

/* The matches to confirm: the lines of @lines (ended by 0). */
static GPtrArray *
pick (GPtrArray *matches,
      ...)
{
  GPtrArray *accepted = g_ptr_array_new ();
  va_list ap;
  guint line;

  va_start (ap, matches);
  while ((line = va_arg (ap, guint)) != 0)
    g_ptr_array_add (accepted, match_at (matches, line));
  va_end (ap);

  return accepted;
}

/* Reading */

static void
test_read_wechat (void)
{
  g_autoptr(BbStatement) statement = read_good ("wechat.csv", BB_STATEMENT_WECHAT_PAY);
  BbStatementLine *line;
  guint n_candidates = 0;

  g_assert_cmpint (statement->platform, ==, BB_STATEMENT_WECHAT_PAY);
  g_assert_cmpstr (statement->currency, ==, "CNY");
  g_assert_cmpstr (statement->account, ==, "");
  /* 16 lines of preamble, the header, 8 transactions. */
  g_assert_cmpuint (statement->header_line, ==, 17);
  g_assert_cmpuint (statement->n_rows, ==, 8);
  g_assert_cmpuint (statement->lines->len, ==, 8);

  line = line_at (statement, 18);
  g_assert_cmpint (line->platform, ==, BB_STATEMENT_WECHAT_PAY);
  /* The tab WeChat puts after its numbers is gone. */
  g_assert_cmpstr (line->transaction_id, ==, "10001071012024010500123456789012");
  g_assert_cmpstr (line->merchant_order_id, ==, "");
  g_assert_cmpstr (line->time, ==, "2024-01-05 10:15:32");
  g_assert_cmpstr (line->date, ==, "2024-01-05");
  g_assert_cmpint (line->amount, ==, 10000);
  g_assert_cmpint (line->direction, ==, BB_STATEMENT_INCOME);
  g_assert_cmpstr (line->kind, ==, "二维码收款");
  g_assert_cmpstr (line->counterparty, ==, "张三");
  g_assert_cmpstr (line->memo, ==, "");
  g_assert_cmpstr (line->remark, ==, "付INV-2024-0001");
  g_assert_cmpstr (line->status, ==, "已收钱");
  g_assert_true (line->candidate);
  g_assert_null (line->skip_reason);

  line = line_at (statement, 19);
  g_assert_cmpint (line->amount, ==, 25680);
  g_assert_cmpstr (line->status, ==, "已存入零钱");
  g_assert_true (line->candidate);

  /* Money paid out, a refund, a withdrawal: kept, but no candidates. */
  line = line_at (statement, 22);
  g_assert_cmpint (line->direction, ==, BB_STATEMENT_EXPENSE);
  g_assert_cmpstr (line->merchant_order_id, ==, "1234567890123");
  g_assert_false (line->candidate);
  g_assert_cmpstr (line->skip_reason, ==, "money paid out, not received");

  line = line_at (statement, 23);
  g_assert_false (line->candidate);
  g_assert_true (g_str_has_prefix (line->skip_reason, "a refund"));

  line = line_at (statement, 24);
  g_assert_cmpint (line->direction, ==, BB_STATEMENT_NEITHER);
  g_assert_false (line->candidate);
  g_assert_true (g_str_has_prefix (line->skip_reason, "neither income nor expense"));

  /* A quoted field with a comma. */
  line = line_at (statement, 25);
  g_assert_cmpstr (line->memo, ==, "收款, 订金");
  g_assert_cmpstr (line->remark, ==, "订金");
  g_assert_true (line->candidate);

  for (guint i = 0; i < statement->lines->len; i++)
    if (((BbStatementLine *) g_ptr_array_index (statement->lines, i))->candidate)
      n_candidates++;
  g_assert_cmpuint (n_candidates, ==, 5);
}

/* The same bill saved as GB18030 with CRLF line ends by a spreadsheet. */
static void
test_read_wechat_gb18030 (void)
{
  g_autoptr(BbStatement) utf8 = read_good ("wechat.csv", BB_STATEMENT_WECHAT_PAY);
  g_autoptr(BbStatement) gb = read_good ("wechat-gb18030.csv", BB_STATEMENT_WECHAT_PAY);

  g_assert_cmpuint (gb->header_line, ==, utf8->header_line);
  g_assert_cmpuint (gb->lines->len, ==, utf8->lines->len);
  for (guint i = 0; i < gb->lines->len; i++)
    {
      BbStatementLine *a = g_ptr_array_index (utf8->lines, i);
      BbStatementLine *b = g_ptr_array_index (gb->lines, i);

      g_assert_cmpuint (a->line, ==, b->line);
      g_assert_cmpstr (a->transaction_id, ==, b->transaction_id);
      g_assert_cmpstr (a->time, ==, b->time);
      g_assert_cmpint (a->amount, ==, b->amount);
      g_assert_cmpint (a->direction, ==, b->direction);
      g_assert_cmpstr (a->counterparty, ==, b->counterparty);
      g_assert_cmpstr (a->memo, ==, b->memo);
      g_assert_cmpstr (a->remark, ==, b->remark);
      g_assert_cmpstr (a->status, ==, b->status);
      g_assert_cmpint (a->candidate, ==, b->candidate);
    }
}

static void
test_read_alipay_old (void)
{
  g_autoptr(BbStatement) statement = read_good ("alipay-old.csv", BB_STATEMENT_ALIPAY);
  BbStatementLine *line;

  /* GB18030, CRLF, names padded with blanks ("金额（元）   "), a trailing
   * comma, and the summary after the dashes left out. */
  g_assert_cmpint (statement->platform, ==, BB_STATEMENT_ALIPAY);
  g_assert_cmpuint (statement->header_line, ==, 5);
  g_assert_cmpuint (statement->lines->len, ==, 4);

  line = line_at (statement, 6);
  g_assert_cmpstr (line->transaction_id, ==, "2024010622001456781234567890");
  /* The payment time, not the creation time. */
  g_assert_cmpstr (line->time, ==, "2024-01-06 10:00:05");
  g_assert_cmpint (line->amount, ==, 50000);
  g_assert_cmpint (line->direction, ==, BB_STATEMENT_INCOME);
  g_assert_cmpstr (line->kind, ==, "即时到账交易");
  g_assert_cmpstr (line->counterparty, ==, "张三");
  g_assert_cmpstr (line->memo, ==, "转账");
  g_assert_cmpstr (line->remark, ==, "付款 INV-2024-0005");
  g_assert_cmpstr (line->status, ==, "交易成功");
  g_assert_true (line->candidate);

  line = line_at (statement, 7);
  g_assert_cmpstr (line->merchant_order_id, ==, "T200P2024010700001");
  g_assert_cmpstr (line->time, ==, "2024-01-07 12:00:00");
  g_assert_false (line->candidate);

  /* Refunded in full. */
  line = line_at (statement, 8);
  g_assert_cmpint (line->direction, ==, BB_STATEMENT_INCOME);
  g_assert_false (line->candidate);
  g_assert_cmpstr (line->skip_reason, ==, "refunded (60.00)");

  /* No payment time: the creation time; no 收/支: 资金状态 says 已收入. */
  line = line_at (statement, 9);
  g_assert_cmpstr (line->time, ==, "2024-01-09 15:00:00");
  g_assert_cmpint (line->direction, ==, BB_STATEMENT_INCOME);
  g_assert_cmpint (line->amount, ==, 8800);
  g_assert_true (line->candidate);
}

static void
test_read_alipay_new (void)
{
  g_autoptr(BbStatement) statement = read_good ("alipay-new.csv", BB_STATEMENT_ALIPAY);
  BbStatementLine *line;

  g_assert_cmpuint (statement->header_line, ==, 18);
  g_assert_cmpuint (statement->lines->len, ==, 4);

  line = line_at (statement, 19);
  g_assert_cmpstr (line->transaction_id, ==, "20240111200040011100560012345678");
  g_assert_cmpstr (line->merchant_order_id, ==, "");
  g_assert_cmpstr (line->kind, ==, "转账红包");
  g_assert_cmpstr (line->counterparty, ==, "*四");
  g_assert_cmpstr (line->counterparty_account, ==, "139****5678");
  g_assert_cmpint (line->amount, ==, 12000);
  g_assert_true (line->candidate);

  line = line_at (statement, 20);
  g_assert_cmpstr (line->remark, ==, "INV-2024-0008 尾款");
  g_assert_true (line->candidate);

  line = line_at (statement, 21);
  g_assert_cmpint (line->direction, ==, BB_STATEMENT_EXPENSE);
  g_assert_cmpint (line->amount, ==, 1250);
  g_assert_false (line->candidate);

  line = line_at (statement, 22);
  g_assert_cmpint (line->direction, ==, BB_STATEMENT_NEITHER);
  g_assert_cmpstr (line->skip_reason, ==, "neither income nor expense (不计收支)");
}

/* Merchant exports: WeChat Pay's bill (fields after "`", SUCCESS and
 * REFUND, a summary table at the end) and Alipay's account statement
 * ("#" lines, money in and out in their own columns). */
static void
test_read_merchant (void)
{
  g_autoptr(BbStatement) wechat = read_good ("wechat-merchant.csv", BB_STATEMENT_WECHAT_PAY);
  g_autoptr(BbStatement) alipay = read_good ("alipay-ledger.csv", BB_STATEMENT_ALIPAY);
  BbStatementLine *line;

  g_assert_cmpuint (wechat->header_line, ==, 1);
  g_assert_cmpuint (wechat->lines->len, ==, 2);
  line = line_at (wechat, 2);
  g_assert_cmpstr (line->transaction_id, ==, "4200001234202401050000000001");
  g_assert_cmpstr (line->merchant_order_id, ==, "ORDER-1");
  g_assert_cmpstr (line->time, ==, "2024-01-05 10:00:00");
  g_assert_cmpint (line->amount, ==, 10000);
  g_assert_cmpstr (line->memo, ==, "INV-2024-0001");
  g_assert_cmpstr (line->status, ==, "SUCCESS");
  g_assert_true (line->candidate);
  line = line_at (wechat, 3);
  g_assert_false (line->candidate);
  g_assert_cmpstr (line->skip_reason, ==, "a refund (REFUND)");

  g_assert_cmpuint (alipay->header_line, ==, 5);
  g_assert_cmpuint (alipay->lines->len, ==, 2);
  line = line_at (alipay, 6);
  g_assert_cmpstr (line->transaction_id, ==, "2024010522001400001");
  g_assert_cmpstr (line->merchant_order_id, ==, "ORDER-9");
  g_assert_cmpint (line->amount, ==, 10000);
  g_assert_cmpint (line->direction, ==, BB_STATEMENT_INCOME);
  g_assert_cmpstr (line->remark, ==, "INV-2024-0001");
  g_assert_true (line->candidate);
  line = line_at (alipay, 7);
  g_assert_cmpint (line->amount, ==, 50000);
  g_assert_cmpint (line->direction, ==, BB_STATEMENT_EXPENSE);
  g_assert_false (line->candidate);
}

static void
test_detect (void)
{
  const struct { const char *file; gboolean known; BbStatementPlatform platform; } cases[] = {
    { "wechat.csv", TRUE, BB_STATEMENT_WECHAT_PAY },
    { "wechat-gb18030.csv", TRUE, BB_STATEMENT_WECHAT_PAY },
    { "alipay-old.csv", TRUE, BB_STATEMENT_ALIPAY },
    { "alipay-new.csv", TRUE, BB_STATEMENT_ALIPAY },
    { "wechat-merchant.csv", TRUE, BB_STATEMENT_WECHAT_PAY },
    { "alipay-ledger.csv", TRUE, BB_STATEMENT_ALIPAY },
    { "bank.csv", FALSE, 0 },
    { "payments-good.csv", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = load_data (cases[i].file);
      BbStatementPlatform platform = BB_STATEMENT_BANK;

      g_assert_cmpint (bb_statement_detect (bytes, &platform), ==, cases[i].known);
      if (cases[i].known)
        g_assert_cmpint (platform, ==, cases[i].platform);
    }
}

/* A file of the other platform is refused with a message saying so. */
static void
test_read_wrong_platform (void)
{
  g_autoptr(GBytes) alipay = load_data ("alipay-new.csv");
  g_autoptr(GBytes) wechat = load_data ("wechat.csv");
  g_autoptr(BbStatement) statement = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_statement_read_wechat (alipay, &statement, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  log_problems (statement);
  g_assert_cmpuint (statement->problems->len, ==, 1);
  g_assert_cmpuint (problem_at (statement, 0)->line, ==, 0);
  g_assert_nonnull (strstr (error->message, "This is not a statement of WeChat Pay"));
  g_assert_nonnull (strstr (error->message, "“交易单号”"));
  g_clear_error (&error);
  g_clear_pointer (&statement, bb_statement_unref);

  g_assert_false (bb_statement_read_alipay (wechat, &statement, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "This is not a statement of Alipay"));
}

static void
test_read_bad_files (void)
{
  /* Truncated in the middle of the second transaction. */
  {
    g_autoptr(GBytes) bytes = load_data ("wechat-truncated.csv");
    g_autoptr(BbStatement) statement = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (bb_statement_read_wechat (bytes, &statement, &error));
    log_problems (statement);
    g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "1 line of the statement has problems; nothing was read");
    g_assert_cmpuint (statement->problems->len, ==, 1);
    g_assert_cmpuint (problem_at (statement, 0)->line, ==, 19);
    g_assert_cmpstr (problem_at (statement, 0)->field, ==, "交易单号");
    g_assert_cmpstr (problem_at (statement, 0)->message, ==,
                     "Line 19, 交易单号: needed; the transaction number of WeChat Pay");
  }

  /* The amount column is missing from the header. */
  {
    g_autoptr(GBytes) bytes = load_data ("alipay-wrong-header.csv");
    g_autoptr(BbStatement) statement = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (bb_statement_read_alipay (bytes, &statement, &error));
    log_problems (statement);
    g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
    g_assert_cmpuint (statement->problems->len, ==, 1);
    g_assert_cmpuint (problem_at (statement, 0)->line, ==, 5);
    g_assert_true (g_str_has_prefix (problem_at (statement, 0)->message,
                                     "Line 5 looks like the header of a statement of Alipay"));
    g_assert_cmpstr (error->message, ==, problem_at (statement, 0)->message);
    g_assert_nonnull (strstr (problem_at (statement, 0)->message, "“金额”"));
    g_assert_cmpuint (statement->lines->len, ==, 0);
  }

  /* Two bad amounts, each named by line and column; the good lines are
   * read but the reading fails. */
  {
    g_autoptr(GBytes) bytes = load_data ("wechat-bad-amount.csv");
    g_autoptr(BbStatement) statement = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (bb_statement_read_wechat (bytes, &statement, &error));
    log_problems (statement);
    g_assert_cmpstr (error->message, ==, "2 lines of the statement have problems; nothing was read");
    g_assert_cmpuint (statement->problems->len, ==, 2);
    g_assert_cmpuint (problem_at (statement, 0)->line, ==, 19);
    g_assert_cmpstr (problem_at (statement, 0)->field, ==, "金额(元)");
    g_assert_true (g_str_has_prefix (problem_at (statement, 0)->message, "Line 19, 金额(元): "));
    g_assert_cmpuint (problem_at (statement, 1)->line, ==, 21);
    g_assert_cmpstr (problem_at (statement, 1)->field, ==, "金额(元)");
    g_assert_nonnull (strstr (problem_at (statement, 1)->message, "more decimals"));
    g_assert_cmpuint (statement->lines->len, ==, 2);
  }

  /* Dates and a time that do not exist. */
  {
    g_autoptr(BbStatementMapping) mapping = bank_mapping ("bank-bad-date.csv");
    g_autoptr(GBytes) bytes = load_data ("bank-bad-date.csv");
    g_autoptr(BbStatement) statement = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (bb_statement_read_bank (bytes, mapping, NULL, &statement, &error));
    log_problems (statement);
    g_assert_cmpstr (error->message, ==, "3 lines of the statement have problems; nothing was read");
    g_assert_cmpuint (statement->problems->len, ==, 3);
    g_assert_cmpuint (problem_at (statement, 0)->line, ==, 3);
    g_assert_cmpstr (problem_at (statement, 0)->field, ==, "Date");
    g_assert_cmpstr (problem_at (statement, 0)->message, ==,
                     "Line 3, Date: “2024-13-45” is not a date (and time) such as 2024-01-05 12:30:00");
    g_assert_cmpuint (problem_at (statement, 1)->line, ==, 4);
    g_assert_cmpstr (problem_at (statement, 1)->field, ==, "Time");
    g_assert_cmpuint (problem_at (statement, 2)->line, ==, 5);
    g_assert_cmpstr (problem_at (statement, 2)->field, ==, "Date");
  }
}

/* Hand-made files: what is preamble, what is summary, what is bad. */
static void
test_read_edges (void)
{
  const char *header = "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注\n";

  /* A preamble line with a stray quote and odd fields is still preamble. */
  {
    g_autofree char *text = g_strconcat ("微信昵称：[a\"b],,\n\"unclosed,\"x\" y\n", header,
                                         "2024-01-05 10:15:32,转账,张三,/,收入,¥1.00,/,已收钱,T1,/,/\n", NULL);
    g_autoptr(GBytes) bytes = text_bytes (text);
    g_autoptr(BbStatement) statement = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (bb_statement_read_wechat (bytes, &statement, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (statement->header_line, ==, 3);
    g_assert_cmpuint (statement->lines->len, ==, 1);
  }

  /* A line of few fields between transactions is bad; at the end it is
   * the summary. More fields than the header: bad. */
  {
    g_autofree char *text = g_strconcat (header,
                                         "2024-01-05 10:15:32,转账,张三,/,收入,¥1.00,/,已收钱,T1,/,/\n"
                                         "只有一个字段,,\n"
                                         "2024-01-06 10:15:32,转账,张三,/,收入,¥2.00,/,已收钱,T2,/,/,extra\n"
                                         "2024-01-07 10:15:32,转账,张三,/,收入,¥3.00,/,已收钱,T3,/,/\n"
                                         "共3笔记录\n", NULL);
    g_autoptr(GBytes) bytes = text_bytes (text);
    g_autoptr(BbStatement) statement = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (bb_statement_read_wechat (bytes, &statement, &error));
    log_problems (statement);
    g_assert_cmpuint (statement->problems->len, ==, 2);
    g_assert_cmpuint (problem_at (statement, 0)->line, ==, 3);
    g_assert_cmpstr (problem_at (statement, 0)->message, ==,
                     "Line 3: not a transaction; most of its fields are empty");
    g_assert_cmpuint (problem_at (statement, 1)->line, ==, 4);
    g_assert_true (g_str_has_prefix (problem_at (statement, 1)->message, "Line 4 has 12 fields"));
  }

  /* The same transaction twice: the second is no candidate. A date in
   * another spelling, a direction that is no direction, a negative income. */
  {
    g_autofree char *text = g_strconcat (header,
                                         "2024/1/5 9:05,转账,张三,/,收入,¥1.00,/,已收钱,T1,/,/\n"
                                         "2024-01-05 10:15:32,转账,张三,/,收入,¥1.00,/,已收钱,T1,/,/\n"
                                         "2024-01-05 10:15:32,转账,张三,/,进账,¥1.00,/,已收钱,T3,/,/\n"
                                         "2024-01-05 10:15:32,转账,张三,/,收入,-1.00,/,已收钱,T4,/,/\n"
                                         "2024-01-05 10:15:32,转账,张三,/,收入,¥1.00,/,对方已退还,T5,/,/\n"
                                         "2024-01-05 10:15:32,转账,张三,/,收入,¥1.00,/,奇怪的状态,T6,/,/\n", NULL);
    g_autoptr(GBytes) bytes = text_bytes (text);
    g_autoptr(BbStatement) statement = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (bb_statement_read_wechat (bytes, &statement, &error));
    log_problems (statement);
    g_assert_cmpuint (statement->problems->len, ==, 2);
    g_assert_cmpuint (problem_at (statement, 0)->line, ==, 4);
    g_assert_cmpstr (problem_at (statement, 0)->field, ==, "收/支");
    g_assert_cmpuint (problem_at (statement, 1)->line, ==, 5);
    g_assert_cmpstr (problem_at (statement, 1)->message, ==, "Line 5, 金额(元): an income cannot be negative");

    g_assert_cmpstr (line_at (statement, 2)->time, ==, "2024-01-05 09:05:00");
    g_assert_true (line_at (statement, 2)->candidate);
    g_assert_false (line_at (statement, 3)->candidate);
    g_assert_cmpstr (line_at (statement, 3)->skip_reason, ==, "the same transaction as line 2");
    g_assert_cmpstr (line_at (statement, 6)->skip_reason, ==, "a refund (对方已退还)");
    g_assert_cmpstr (line_at (statement, 7)->skip_reason, ==, "not completed: the status is “奇怪的状态”");
  }

  /* Nothing to read: empty, not text, only a preamble. */
  {
    const char *texts[] = { "", "微信支付账单明细\n微信昵称：[x]\n" };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        g_autoptr(GBytes) bytes = text_bytes (texts[i]);
        g_autoptr(BbStatement) statement = NULL;
        g_autoptr(GError) error = NULL;

        g_assert_false (bb_statement_read_wechat (bytes, &statement, &error));
        g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
        g_assert_cmpuint (statement->problems->len, ==, 1);
      }
  }
  {
    g_autoptr(GBytes) bytes = g_bytes_new ("a,b\0\xff\xfe", 7);
    g_autoptr(BbStatement) statement = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (bb_statement_read_alipay (bytes, &statement, &error));
    g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
    g_assert_null (statement);
  }
}

/* Bank mappings */

static void
test_mapping_guess (void)
{
  const char *chinese[] = { "交易日期", "交易时间", "收入金额（元）", "支出金额(元)", "余额", "对方户名",
                            "对方账号", "摘要", "附言", "交易流水号", NULL };
  const char *english[] = { "Booking Date", "Description", "Amount", "Reference", "Payee ", NULL };
  g_autoptr(BbStatementMapping) m = bb_statement_guess_mapping (chinese);
  g_autoptr(BbStatementMapping) e = bb_statement_guess_mapping (english);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (m->date_column, ==, "交易日期");
  g_assert_cmpstr (m->time_column, ==, "交易时间");
  g_assert_null (m->amount_column);
  g_assert_cmpstr (m->credit_column, ==, "收入金额（元）");
  g_assert_cmpstr (m->debit_column, ==, "支出金额(元)");
  g_assert_cmpstr (m->reference_column, ==, "交易流水号");
  g_assert_cmpstr (m->counterparty_column, ==, "对方户名");
  g_assert_cmpstr (m->counterparty_account_column, ==, "对方账号");
  g_assert_cmpstr (m->memo_column, ==, "摘要");
  g_assert_cmpstr (m->remark_column, ==, "附言");
  g_assert_true (bb_statement_mapping_validate (m, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (e->date_column, ==, "Booking Date");
  g_assert_cmpstr (e->amount_column, ==, "Amount");
  g_assert_null (e->credit_column);
  g_assert_cmpstr (e->reference_column, ==, "Reference");
  g_assert_cmpstr (e->counterparty_column, ==, "Payee");
  g_assert_cmpstr (e->memo_column, ==, "Description");
  g_assert_true (bb_statement_mapping_validate (e, &error));

  /* From a file: the header below the bank's lines, year first. */
  {
    g_autoptr(BbStatementMapping) b = bank_mapping ("bank.csv");

    g_assert_cmpuint (b->header_line, ==, 4);
    g_assert_cmpstr (b->date_column, ==, "交易日期");
    g_assert_cmpstr (b->credit_column, ==, "收入金额");
    g_assert_cmpstr (b->debit_column, ==, "支出金额");
    g_assert_cmpstr (b->reference_column, ==, "流水号");
    g_assert_cmpint (b->date_format, ==, BB_STATEMENT_DATE_YMD);
  }

  /* Day first, month first. */
  {
    g_autoptr(GBytes) dmy = text_bytes ("Date,Amount\n05/01/2024,1.00\n25/01/2024,2.00\n");
    g_autoptr(GBytes) mdy = text_bytes ("Date,Amount\n01/05/2024,1.00\n01/25/2024,2.00\n");
    g_autoptr(GBytes) none = text_bytes ("a,b\n1,2\n");
    g_autoptr(BbStatementMapping) d = bb_statement_guess_mapping_for_data (dmy, &error);
    g_autoptr(BbStatementMapping) u = bb_statement_guess_mapping_for_data (mdy, &error);
    g_autoptr(BbStatementMapping) n = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (d->date_format, ==, BB_STATEMENT_DATE_DMY);
    g_assert_cmpint (u->date_format, ==, BB_STATEMENT_DATE_MDY);

    n = bb_statement_guess_mapping_for_data (none, &error);
    g_assert_null (n);
    g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* What validation refuses. */
  {
    g_autoptr(BbStatementMapping) bad = bb_statement_mapping_new ();

    g_assert_false (bb_statement_mapping_validate (bad, &error));
    g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
    g_clear_error (&error);

    bad->date_column = g_strdup ("Date");
    g_assert_false (bb_statement_mapping_validate (bad, &error));
    g_clear_error (&error);

    bad->amount_column = g_strdup ("Amount");
    bad->credit_column = g_strdup ("In");
    g_assert_false (bb_statement_mapping_validate (bad, &error));
    g_clear_error (&error);

    g_clear_pointer (&bad->credit_column, g_free);
    g_assert_true (bb_statement_mapping_validate (bad, &error));
  }
}

static void
test_mapping_remember (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(BbStatementMapping) mapping = bank_mapping ("bank.csv");
  g_autoptr(BbStatementMapping) loaded = NULL;
  g_autoptr(BbStatementMapping) again = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) banks = NULL;
  g_autofree char *text = NULL;

  /* The text form gives back the same mapping. */
  mapping->date_format = BB_STATEMENT_DATE_DMY;
  text = bb_statement_mapping_to_text (mapping);
  again = bb_statement_mapping_from_text (text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->bank_name, ==, "招商银行");
  g_assert_cmpuint (again->header_line, ==, 4);
  g_assert_cmpstr (again->credit_column, ==, mapping->credit_column);
  g_assert_cmpstr (again->remark_column, ==, mapping->remark_column);
  g_assert_null (again->amount_column);
  g_assert_cmpint (again->date_format, ==, BB_STATEMENT_DATE_DMY);
  mapping->date_format = BB_STATEMENT_DATE_YMD;

  /* Nothing remembered yet. */
  loaded = bb_statement_mapping_load (f->db, "招商银行", &error);
  g_assert_null (loaded);
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (bb_statement_mapping_save (f->db, mapping, &error));
  g_assert_no_error (error);
  g_free (mapping->bank_name);
  mapping->bank_name = g_strdup ("  Bank of Testing ");
  g_free (mapping->memo_column);
  mapping->memo_column = g_strdup ("Memo");
  g_assert_true (bb_statement_mapping_save (f->db, mapping, &error));
  g_assert_no_error (error);

  /* A mapping without a bank's name, or without a date, is not kept. */
  g_free (mapping->bank_name);
  mapping->bank_name = g_strdup (" ");
  g_assert_false (bb_statement_mapping_save (f->db, mapping, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_clear_error (&error);

  /* Remembered across opening the book again. */
  g_clear_object (&f->db);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);

  banks = bb_statement_mapping_list_banks (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (banks), ==, 2);
  g_assert_cmpstr (banks[0], ==, "Bank of Testing");
  g_assert_cmpstr (banks[1], ==, "招商银行");

  loaded = bb_statement_mapping_load (f->db, "招商银行", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->bank_name, ==, "招商银行");
  g_assert_cmpuint (loaded->header_line, ==, 4);
  g_assert_cmpstr (loaded->date_column, ==, "交易日期");
  g_assert_cmpstr (loaded->time_column, ==, "交易时间");
  g_assert_cmpstr (loaded->credit_column, ==, "收入金额");
  g_assert_cmpstr (loaded->debit_column, ==, "支出金额");
  g_assert_cmpstr (loaded->memo_column, ==, "摘要");
  g_assert_cmpint (loaded->date_format, ==, BB_STATEMENT_DATE_YMD);
  g_clear_pointer (&loaded, bb_statement_mapping_free);

  loaded = bb_statement_mapping_load (f->db, "Bank of Testing", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->memo_column, ==, "Memo");
  g_clear_pointer (&loaded, bb_statement_mapping_free);

  /* The remembered mapping reads the next statement of the bank. */
  {
    g_autoptr(GBytes) bytes = load_data ("bank.csv");
    g_autoptr(BbStatement) statement = NULL;

    loaded = bb_statement_mapping_load (f->db, "招商银行", &error);
    g_assert_true (bb_statement_read_bank (bytes, loaded, NULL, &statement, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (statement->lines->len, ==, 3);
    g_clear_pointer (&loaded, bb_statement_mapping_free);
  }

  g_assert_true (bb_statement_mapping_forget (f->db, "Bank of Testing", &error));
  g_assert_no_error (error);
  g_clear_pointer (&banks, g_strfreev);
  banks = bb_statement_mapping_list_banks (f->db, &error);
  g_assert_cmpuint (g_strv_length (banks), ==, 1);

  /* Other settings are not banks. */
  g_assert_true (bb_db_set_setting (f->db, "statement.banking", "x", &error));
  g_assert_true (bb_db_set_setting (f->db, "statement.bank", "x", &error));
  g_clear_pointer (&banks, g_strfreev);
  banks = bb_statement_mapping_list_banks (f->db, &error);
  g_assert_cmpuint (g_strv_length (banks), ==, 1);
}

static void
test_read_bank (void)
{
  g_autoptr(BbStatement) statement = read_bank ("bank.csv");
  BbStatementLine *line;

  g_assert_cmpint (statement->platform, ==, BB_STATEMENT_BANK);
  g_assert_cmpstr (statement->account, ==, "招商银行");
  g_assert_cmpuint (statement->header_line, ==, 4);
  /* "合计" at the end is the summary. */
  g_assert_cmpuint (statement->lines->len, ==, 3);

  line = line_at (statement, 5);
  g_assert_cmpstr (line->account, ==, "招商银行");
  g_assert_cmpstr (line->transaction_id, ==, "B202401050001");
  g_assert_cmpstr (line->date, ==, "2024-01-05");
  g_assert_cmpstr (line->time, ==, "2024-01-05 09:30:00");
  g_assert_cmpint (line->amount, ==, 128050);
  g_assert_cmpint (line->direction, ==, BB_STATEMENT_INCOME);
  g_assert_cmpstr (line->counterparty, ==, "张氏建材");
  g_assert_cmpstr (line->counterparty_account, ==, "6222 0000 1111 2222");
  g_assert_cmpstr (line->memo, ==, "货款");
  g_assert_true (line->candidate);

  line = line_at (statement, 6);
  g_assert_cmpint (line->amount, ==, 20000);
  g_assert_cmpint (line->direction, ==, BB_STATEMENT_EXPENSE);
  g_assert_false (line->candidate);

  /* One signed amount column, no transaction numbers: made of the
   * contents, the same in every reading, distinct for equal lines. */
  {
    const char *text = "日期,金额,摘要\n2024-01-05,-5.00,x\n2024-01-06,7.00,y\n2024-01-06,7.00,y\n";
    g_autoptr(BbStatementMapping) mapping = bb_statement_mapping_new ();
    g_autoptr(GBytes) bytes = text_bytes (text);
    g_autoptr(BbStatement) first = NULL;
    g_autoptr(BbStatement) second = NULL;
    g_autoptr(GError) error = NULL;

    mapping->date_column = g_strdup ("日期");
    mapping->amount_column = g_strdup ("金额");
    mapping->memo_column = g_strdup ("摘要");
    g_assert_true (bb_statement_read_bank (bytes, mapping, NULL, &first, &error));
    g_assert_no_error (error);
    g_assert_true (bb_statement_read_bank (bytes, mapping, NULL, &second, &error));
    g_assert_cmpuint (first->lines->len, ==, 3);
    g_assert_cmpint (line_at (first, 2)->direction, ==, BB_STATEMENT_EXPENSE);
    g_assert_cmpint (line_at (first, 2)->amount, ==, 500);
    g_assert_true (g_str_has_prefix (line_at (first, 3)->transaction_id, "auto-"));
    g_assert_true (g_str_has_suffix (line_at (first, 3)->transaction_id, "-1"));
    g_assert_true (g_str_has_suffix (line_at (first, 4)->transaction_id, "-2"));
    g_assert_true (line_at (first, 4)->candidate);
    for (guint i = 2; i <= 4; i++)
      g_assert_cmpstr (line_at (first, i)->transaction_id, ==, line_at (second, i)->transaction_id);
  }

  /* A mapped column the file does not have: the header is named. */
  {
    g_autoptr(BbStatementMapping) mapping = bank_mapping ("bank.csv");
    g_autoptr(GBytes) bytes = load_data ("bank.csv");
    g_autoptr(BbStatement) bad = NULL;
    g_autoptr(GError) error = NULL;

    g_free (mapping->memo_column);
    mapping->memo_column = g_strdup ("用途");
    g_assert_false (bb_statement_read_bank (bytes, mapping, NULL, &bad, &error));
    log_problems (bad);
    g_assert_cmpuint (bad->problems->len, ==, 1);
    g_assert_cmpuint (problem_at (bad, 0)->line, ==, 4);
    g_assert_cmpstr (problem_at (bad, 0)->field, ==, "用途");
    g_assert_cmpstr (error->message, ==, "Line 4: the header has no column “用途”; "
                                         "is this a statement of 招商银行, and is its header on line 4?");
  }
}

/* Matching */

static void
test_match_wechat (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbStatement) statement = read_good ("wechat.csv", BB_STATEMENT_WECHAT_PAY);
  g_autoptr(GPtrArray) matches = NULL;
  BbStatementMatch *m;
  BbStatementCandidate *c;

  make_book (f);
  matches = match (f, statement, NULL);

  /* The bill's number in the remark, and the amount. */
  m = match_at (matches, 18);
  g_assert_cmpint (m->outcome, ==, BB_STATEMENT_MATCHED);
  g_assert_cmpint (m->invoice_id, ==, f->bill[1]);
  g_assert_cmpint (m->customer_id, ==, f->zhang);
  c = g_ptr_array_index (m->candidates, 0);
  g_assert_cmpstr (c->invoice_number, ==, "INV-2024-0001");
  g_assert_cmpint (c->reasons & BB_STATEMENT_REASON_NUMBER, !=, 0);
  g_assert_cmpint (c->reasons & BB_STATEMENT_REASON_AMOUNT, !=, 0);

  /* The customer by name, the amount, within the bill's window. */
  m = match_at (matches, 19);
  g_assert_cmpint (m->outcome, ==, BB_STATEMENT_MATCHED);
  g_assert_cmpint (m->invoice_id, ==, f->bill[2]);
  c = g_ptr_array_index (m->candidates, 0);
  g_assert_cmpint (c->reasons, ==, BB_STATEMENT_REASON_AMOUNT | BB_STATEMENT_REASON_CUSTOMER |
                                   BB_STATEMENT_REASON_DATE);
  g_assert_cmpstr (c->explanation, ==, "the amount is what it still owes; paid by its customer; "
                                       "paid between its issue and 30 days after it fell due");

  /* Two bills of 88.00 and nothing else to tell: suggestions. */
  m = match_at (matches, 20);
  g_assert_cmpint (m->outcome, ==, BB_STATEMENT_SUGGESTED);
  g_assert_cmpint (m->invoice_id, ==, 0);
  g_assert_cmpuint (m->candidates->len, ==, 2);
  g_assert_cmpint (((BbStatementCandidate *) g_ptr_array_index (m->candidates, 0))->invoice_id, ==, f->bill[3]);
  g_assert_cmpint (((BbStatementCandidate *) g_ptr_array_index (m->candidates, 1))->invoice_id, ==, f->bill[4]);

  m = match_at (matches, 21);
  g_assert_cmpint (m->outcome, ==, BB_STATEMENT_UNMATCHED);
  g_assert_cmpuint (m->candidates->len, ==, 0);
  g_assert_true (g_str_has_prefix (m->reason, "No open bill owes ¥33.00"));

  for (guint line = 22; line <= 24; line++)
    {
      m = match_at (matches, line);
      g_assert_cmpint (m->outcome, ==, BB_STATEMENT_SKIPPED);
      g_assert_cmpstr (m->reason, ==, m->line->skip_reason);
    }

  g_assert_cmpint (match_at (matches, 25)->outcome, ==, BB_STATEMENT_UNMATCHED);

  /* Matching writes nothing. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments"), ==, 0);
}

static void
test_match_alipay (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbStatement) old = read_good ("alipay-old.csv", BB_STATEMENT_ALIPAY);
  g_autoptr(BbStatement) new = read_good ("alipay-new.csv", BB_STATEMENT_ALIPAY);
  g_autoptr(GPtrArray) old_matches = NULL;
  g_autoptr(GPtrArray) new_matches = NULL;
  BbStatementMatch *m;
  BbStatementCandidate *c;

  make_book (f);
  old_matches = match (f, old, NULL);
  new_matches = match (f, new, NULL);

  /* 张三 owes 500.00 twice; the number in the remark decides. */
  m = match_at (old_matches, 6);
  g_assert_cmpint (m->outcome, ==, BB_STATEMENT_MATCHED);
  g_assert_cmpint (m->invoice_id, ==, f->bill[5]);
  g_assert_cmpint (((BbStatementCandidate *) g_ptr_array_index (m->candidates, 0))->invoice_id, ==, f->bill[5]);
  g_assert_cmpint (((BbStatementCandidate *) g_ptr_array_index (m->candidates, 1))->invoice_id, ==, f->bill[8]);

  g_assert_cmpint (match_at (old_matches, 7)->outcome, ==, BB_STATEMENT_SKIPPED);
  g_assert_cmpint (match_at (old_matches, 8)->outcome, ==, BB_STATEMENT_SKIPPED);

  /* 88.00 from 王五: of the two bills of 88.00, his. */
  m = match_at (old_matches, 9);
  g_assert_cmpint (m->outcome, ==, BB_STATEMENT_MATCHED);
  g_assert_cmpint (m->invoice_id, ==, f->bill[3]);

  /* "*四" with "139****5678": 李四 perhaps; a suggestion, his bill first. */
  m = match_at (new_matches, 19);
  g_assert_cmpint (m->outcome, ==, BB_STATEMENT_SUGGESTED);
  c = g_ptr_array_index (m->candidates, 0);
  g_assert_cmpint (c->invoice_id, ==, f->bill[6]);
  g_assert_cmpint (c->reasons, ==, BB_STATEMENT_REASON_AMOUNT | BB_STATEMENT_REASON_CUSTOMER_PARTLY |
                                   BB_STATEMENT_REASON_DATE);
  g_assert_true (bb_statement_match_choose (m, 0));
  g_assert_cmpint (m->invoice_id, ==, f->bill[6]);
  g_assert_cmpint (m->customer_id, ==, f->li);
  g_assert_false (bb_statement_match_choose (m, 99));

  m = match_at (new_matches, 20);
  g_assert_cmpint (m->outcome, ==, BB_STATEMENT_MATCHED);
  g_assert_cmpint (m->invoice_id, ==, f->bill[8]);
  c = g_ptr_array_index (m->candidates, 0);
  /* zha***@example.com fits zhangsan@example.com. */
  g_assert_cmpint (c->reasons & BB_STATEMENT_REASON_CUSTOMER_PARTLY, !=, 0);
}

static void
test_match_bank (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BbStatement) statement = read_bank ("bank.csv");
  g_autoptr(GPtrArray) matches = NULL;

  make_book (f);
  matches = match (f, statement, NULL);

  /* The counterparty is 张三's company. */
  g_assert_cmpint (match_at (matches, 5)->outcome, ==, BB_STATEMENT_MATCHED);
  g_assert_cmpint (match_at (matches, 5)->invoice_id, ==, f->bill[7]);
  g_assert_cmpint (match_at (matches, 6)->outcome, ==, BB_STATEMENT_SKIPPED);
  /* The number in the memo. */
  g_assert_cmpint (match_at (matches, 7)->outcome, ==, BB_STATEMENT_MATCHED);
  g_assert_cmpint (match_at (matches, 7)->invoice_id, ==, f->bill[9]);
}

#define WECHAT_HEADER "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注\n"

static BbStatement *
read_wechat_text (const char *rows)
{
  g_autofree char *text = g_strconcat (WECHAT_HEADER, rows, NULL);
  g_autoptr(GBytes) bytes = text_bytes (text);
  g_autoptr(GError) error = NULL;
  BbStatement *statement = NULL;

  g_assert_true (bb_statement_read_wechat (bytes, &statement, &error));
  g_assert_no_error (error);

  return statement;
}

/* The date window: from the issue to N days after the due date. */
static void
test_match_window (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbStatement) statement = read_wechat_text (
    "2024-06-01 10:00:00,转账,李四,/,收入,¥256.80,/,已收钱,W1,/,/\n"
    "2024-01-01 10:00:00,转账,李四,/,收入,¥120.00,/,已收钱,W2,/,/\n");
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GPtrArray) wider = NULL;
  BbStatementMatchOptions options;

  make_book (f);

  /* INV-2024-0002 fell due on 2024-02-02: June is too late; and before
   * a bill was issued is too early. */
  matches = match (f, statement, NULL);
  g_assert_cmpint (match_at (matches, 2)->outcome, ==, BB_STATEMENT_SUGGESTED);
  g_assert_cmpint (match_at (matches, 3)->outcome, ==, BB_STATEMENT_SUGGESTED);

  bb_statement_match_options_init (&options);
  options.days_after_due = 200;
  options.max_candidates = 1;
  wider = match (f, statement, &options);
  g_assert_cmpint (match_at (wider, 2)->outcome, ==, BB_STATEMENT_MATCHED);
  g_assert_cmpint (match_at (wider, 2)->invoice_id, ==, f->bill[2]);
  g_assert_cmpint (match_at (wider, 3)->outcome, ==, BB_STATEMENT_SUGGESTED);
  g_assert_cmpuint (match_at (wider, 3)->candidates->len, ==, 1);
}

/* Two payments of one bill's amount: only the first matches it. */
static void
test_match_claims (Fixture       *f,
                   gconstpointer  data)
{
  /* Newest first, as the platforms write them. */
  g_autoptr(BbStatement) statement = read_wechat_text (
    "2024-01-21 10:00:00,转账,李四,/,收入,¥256.80,/,已收钱,C2,/,/\n"
    "2024-01-20 10:00:00,转账,李四,/,收入,¥256.80,/,已收钱,C1,/,/\n"
    "2024-01-22 10:00:00,转账,王五,/,收入,¥44.00,/,已收钱,C3,/,INV-2024-0003\n"
    "2024-01-23 10:00:00,转账,王五,/,收入,¥44.00,/,已收钱,C4,/,INV-2024-0003\n");
  g_autoptr(GPtrArray) matches = NULL;
  BbStatementMatch *m;

  make_book (f);
  matches = match (f, statement, NULL);

  g_assert_cmpint (match_at (matches, 3)->outcome, ==, BB_STATEMENT_MATCHED);
  g_assert_cmpint (match_at (matches, 3)->invoice_id, ==, f->bill[2]);
  m = match_at (matches, 2);
  g_assert_cmpint (m->outcome, ==, BB_STATEMENT_SUGGESTED);
  for (guint i = 0; i < m->candidates->len; i++)
    g_assert_cmpint (((BbStatementCandidate *) g_ptr_array_index (m->candidates, i))->invoice_id, !=, f->bill[2]);

  /* Half of a bill with its number: a suggestion (the amount is not
   * what it owes), which claims nothing, so the other half is one too. */
  for (guint line = 4; line <= 5; line++)
    {
      m = match_at (matches, line);
      g_assert_cmpint (m->outcome, ==, BB_STATEMENT_SUGGESTED);
      g_assert_cmpint (((BbStatementCandidate *) g_ptr_array_index (m->candidates, 0))->invoice_id, ==, f->bill[3]);
      g_assert_cmpint (((BbStatementCandidate *) g_ptr_array_index (m->candidates, 0))->open_balance, ==, 8800);
    }
}

/* Confirming */

static void
test_confirm (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(BbStatement) statement = read_good ("wechat.csv", BB_STATEMENT_WECHAT_PAY);
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GPtrArray) accepted = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(BbStatement) reread = NULL;
  g_autoptr(BbInvoice) bill = NULL;
  g_autoptr(BbCustomer) wang = NULL;
  g_autoptr(BbPayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 99;
  gint64 payment_id;

  make_book (f);
  matches = match (f, statement, NULL);

  /* The two matched lines, a suggestion chosen, and an unmatched line
   * put on a customer (whose bills it pays, oldest first, the rest is
   * credit). */
  g_assert_true (bb_statement_match_choose (match_at (matches, 20), 0));
  bb_statement_match_choose_customer (match_at (matches, 21), f->wang);
  accepted = pick (matches, 18, 19, 20, 21, 0);

  g_assert_true (bb_statement_confirm (f->db, accepted, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);

  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE method = 'wechat_pay'"), ==, 4);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM statement_imports WHERE platform = 'wechat_pay' "
                                     "AND account = ''"), ==, 4);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE action = 'import' "
                                     "AND table_name = 'payments' "
                                     "AND detail = '4 from statement (wechat_pay)'"), ==, 1);

  /* Received on the day, the transaction number as reference. */
  payment_id = query_int (f->db, "SELECT payment_id FROM statement_imports "
                                 "WHERE transaction_id = '10001071012024010500123456789012'");
  payment = bb_payments_get (f->db, payment_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (payment->customer_id, ==, f->zhang);
  g_assert_cmpstr (payment->received_on, ==, "2024-01-05");
  g_assert_cmpint (payment->amount, ==, 10000);
  g_assert_cmpint (payment->method, ==, BB_PAYMENT_WECHAT_PAY);
  g_assert_cmpstr (payment->reference, ==, "10001071012024010500123456789012");
  g_assert_cmpstr (payment->note, ==, "WeChat Pay · 张三 · 付INV-2024-0001");
  g_assert_cmpint (payment->allocated, ==, 10000);
  g_assert_cmpint (query_int (f->db, "SELECT occurred_at = '2024-01-05 10:15:32' FROM statement_imports "
                                     "WHERE transaction_id = '10001071012024010500123456789012'"), ==, 1);

  bill = bb_invoices_get (f->db, f->bill[1], &error);
  g_assert_cmpint (bill->open_balance, ==, 0);
  g_clear_object (&bill);
  bill = bb_invoices_get (f->db, f->bill[2], &error);
  g_assert_cmpint (bill->open_balance, ==, 0);
  g_clear_object (&bill);
  bill = bb_invoices_get (f->db, f->bill[3], &error);
  g_assert_cmpint (bill->open_balance, ==, 0);

  /* 王五's 33.00 found no open bill: his credit. */
  wang = bb_customers_get (f->db, f->wang, &error);
  g_assert_cmpint (wang->credit, ==, 3300);
  g_assert_cmpstr (wang->last_payment_on, ==, "2024-01-15");
  assert_sound (f->db);

  /* The same file again: imported already, and never twice. */
  reread = read_good ("wechat.csv", BB_STATEMENT_WECHAT_PAY);
  again = match (f, reread, NULL);
  for (guint line = 18; line <= 21; line++)
    {
      BbStatementMatch *m = match_at (again, line);

      g_assert_cmpint (m->outcome, ==, BB_STATEMENT_ALREADY_IMPORTED);
      g_assert_cmpint (m->imported_payment_id, >, 0);
      g_assert_true (g_str_has_prefix (m->reason, "Imported already"));
    }
  g_assert_cmpint (match_at (again, 25)->outcome, ==, BB_STATEMENT_UNMATCHED);

  /* Confirming the old matches again fails on the first, naming it,
   * and records nothing, not even the new line with them. */
  bb_statement_match_choose_customer (match_at (matches, 25), f->zhao);
  g_ptr_array_add (accepted, match_at (matches, 25));
  g_assert_false (bb_statement_confirm (f->db, accepted, &n, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Line 18 (WeChat Pay 10001071012024010500123456789012): "
                                       "this transaction was imported already; nothing was recorded");
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments"), ==, 4);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM statement_imports"), ==, 4);
  assert_sound (f->db);
}

static void
test_confirm_all_or_nothing (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(BbStatement) statement = read_good ("wechat.csv", BB_STATEMENT_WECHAT_PAY);
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(BbPayment) manual = bb_payment_new ();
  g_autoptr(GError) error = NULL;

  make_book (f);
  matches = match (f, statement, NULL);

  /* A suggestion nobody chose, a skipped line. */
  {
    g_autoptr(GPtrArray) accepted = pick (matches, 18, 20, 0);

    g_assert_false (bb_statement_confirm (f->db, accepted, NULL, &error));
    g_assert_cmpstr (error->message, ==, "Line 20 (WeChat Pay 10001071012024011200223344556677): "
                                         "choose the bill or the customer the money is from; nothing was recorded");
    g_clear_error (&error);
  }
  {
    g_autoptr(GPtrArray) accepted = pick (matches, 18, 22, 0);

    g_assert_false (bb_statement_confirm (f->db, accepted, NULL, &error));
    g_assert_nonnull (strstr (error->message, "Line 22"));
    g_assert_nonnull (strstr (error->message, "money paid out, not received"));
    g_clear_error (&error);
  }

  /* The same transaction twice among the accepted. */
  {
    g_autoptr(GPtrArray) accepted = pick (matches, 18, 19, 18, 0);

    g_assert_false (bb_statement_confirm (f->db, accepted, NULL, &error));
    g_assert_nonnull (strstr (error->message, "Line 18"));
    g_assert_nonnull (strstr (error->message, "imported already"));
    g_clear_error (&error);
  }

  /* The bill of line 19 was paid at the counter meanwhile. */
  manual->customer_id = f->li;
  g_free (manual->received_on);
  manual->received_on = g_strdup ("2024-01-11");
  manual->amount = 25680;
  manual->method = BB_PAYMENT_CASH;
  g_assert_true (bb_payments_record (f->db, manual, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) accepted = pick (matches, 18, 19, 0);

    g_assert_false (bb_statement_confirm (f->db, accepted, NULL, &error));
    g_assert_cmpstr (error->message, ==, "Line 19 (WeChat Pay 1000050001202401100123456789): "
                                         "bill INV-2024-0002 is paid already; nothing was recorded");
    g_clear_error (&error);
  }

  /* A bill voided meanwhile. */
  g_assert_true (bb_invoices_void (f->db, f->bill[4], "开错了 Wrong customer", &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) accepted = pick (matches, 18, 20, 0);

    g_assert_true (bb_statement_match_choose (match_at (matches, 20), 1));
    g_assert_cmpint (match_at (matches, 20)->invoice_id, ==, f->bill[4]);
    g_assert_false (bb_statement_confirm (f->db, accepted, NULL, &error));
    g_assert_cmpstr (error->message, ==, "Line 20 (WeChat Pay 10001071012024011200223344556677): "
                                         "bill INV-2024-0004 is void; nothing was recorded");
    g_clear_error (&error);
    match_at (matches, 20)->invoice_id = 0;
    match_at (matches, 20)->customer_id = 0;
  }

  /* Nothing of any of those was written. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM statement_imports"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT paid FROM invoices WHERE number = 'INV-2024-0001'"), ==, 0);
  assert_sound (f->db);

  /* Choosing a bill of another customer than chosen. */
  {
    g_autoptr(GPtrArray) accepted = pick (matches, 18, 0);
    BbStatementMatch *m = match_at (matches, 18);

    m->customer_id = f->zhao;
    g_assert_false (bb_statement_confirm (f->db, accepted, NULL, &error));
    g_assert_nonnull (strstr (error->message, "is for another customer"));
    g_clear_error (&error);
    m->customer_id = f->zhang;
  }

  /* Less than the chosen bill owes: a part payment. More: the rest is
   * the credit of the bill's customer. */
  {
    g_autoptr(GPtrArray) accepted = pick (matches, 25, 20, 0);
    g_autoptr(BbCustomer) zhang = NULL;

    match_at (matches, 25)->invoice_id = f->bill[1];
    match_at (matches, 20)->invoice_id = f->bill[1];
    g_assert_true (bb_statement_confirm (f->db, accepted, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (query_int (f->db, "SELECT open_balance FROM invoices WHERE number = 'INV-2024-0001'"), ==, 0);
    zhang = bb_customers_get (f->db, f->zhang, &error);
    g_assert_cmpint (zhang->credit, ==, 8800 - 5000);
  }
  assert_sound (f->db);
}

static void
test_confirm_bank (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BbStatement) statement = read_bank ("bank.csv");
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GPtrArray) accepted = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  make_book (f);
  matches = match (f, statement, NULL);
  accepted = pick (matches, 5, 7, 0);
  g_assert_true (bb_statement_confirm (f->db, accepted, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE method = 'bank_transfer' "
                                     "AND reference IN ('B202401050001', 'B202401120003')"), ==, 2);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM statement_imports WHERE platform = 'bank' "
                                     "AND account = '招商银行'"), ==, 2);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments WHERE note = '招商银行 · 张氏建材 · 货款'"), ==, 1);
  assert_sound (f->db);

  again = match (f, statement, NULL);
  g_assert_cmpint (match_at (again, 5)->outcome, ==, BB_STATEMENT_ALREADY_IMPORTED);
  g_assert_cmpint (match_at (again, 7)->outcome, ==, BB_STATEMENT_ALREADY_IMPORTED);
}

/* statement_imports is money history: append-only. */
static void
test_append_only (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BbStatement) statement = read_good ("wechat.csv", BB_STATEMENT_WECHAT_PAY);
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GPtrArray) accepted = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *handle;

  make_book (f);
  matches = match (f, statement, NULL);
  accepted = pick (matches, 18, 0);
  g_assert_true (bb_statement_confirm (f->db, accepted, NULL, &error));
  g_assert_no_error (error);

  handle = _bb_db_get_handle (f->db);
  g_assert_cmpint (sqlite3_exec (handle, "UPDATE statement_imports SET transaction_id = 'x'", NULL, NULL, NULL),
                   !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "DELETE FROM statement_imports", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM statement_imports"), ==, 1);

  /* A second row for the same transaction is refused by the key itself. */
  g_assert_cmpint (sqlite3_exec (handle,
                                 "INSERT INTO statement_imports (platform, account, transaction_id, payment_id, "
                                 "  occurred_at, amount, created_at) "
                                 "SELECT platform, account, transaction_id, payment_id + 0, occurred_at, amount, "
                                 "  created_at FROM statement_imports",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
}

/* In a thread, with progress; cancelling confirms nothing. */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
  guint         n_progress;
  guint         last_done;
  guint         last_total;
} AsyncData;

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  AsyncData *ad = user_data;

  ad->n_progress++;
  ad->last_done = done;
  ad->last_total = total;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncData *ad = user_data;

  ad->result = g_object_ref (result);
  g_main_loop_quit (ad->loop);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(BbStatement) statement = read_good ("wechat.csv", BB_STATEMENT_WECHAT_PAY);
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GPtrArray) accepted = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  AsyncData ad = { 0 };
  guint n = 0;

  make_book (f);
  ad.loop = g_main_loop_new (NULL, FALSE);

  bb_statement_match_async (f->db, statement, NULL, on_progress, &ad, NULL, on_done, &ad);
  g_main_loop_run (ad.loop);
  matches = bb_statement_match_finish (f->db, ad.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 8);
  g_assert_cmpint (match_at (matches, 18)->outcome, ==, BB_STATEMENT_MATCHED);
  g_clear_object (&ad.result);

  /* Cancelled before it ran: nothing. */
  accepted = pick (matches, 18, 19, 0);
  g_cancellable_cancel (cancellable);
  bb_statement_confirm_async (f->db, accepted, NULL, NULL, cancellable, on_done, &ad);
  g_main_loop_run (ad.loop);
  g_assert_false (bb_statement_confirm_finish (f->db, ad.result, &n, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (n, ==, 0);
  g_clear_error (&error);
  g_clear_object (&ad.result);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments"), ==, 0);

  ad.n_progress = 0;
  bb_statement_confirm_async (f->db, accepted, on_progress, &ad, NULL, on_done, &ad);
  /* The caller's matches may change once it was called. */
  match_at (matches, 18)->invoice_id = 0;
  match_at (matches, 18)->customer_id = 0;
  g_main_loop_run (ad.loop);
  g_assert_true (bb_statement_confirm_finish (f->db, ad.result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_clear_object (&ad.result);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM payments"), ==, 2);

  g_main_loop_unref (ad.loop);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/statement/read/wechat", test_read_wechat);
  g_test_add_func ("/statement/read/wechat-gb18030", test_read_wechat_gb18030);
  g_test_add_func ("/statement/read/alipay-old", test_read_alipay_old);
  g_test_add_func ("/statement/read/alipay-new", test_read_alipay_new);
  g_test_add_func ("/statement/read/merchant", test_read_merchant);
  g_test_add_func ("/statement/read/bank", test_read_bank);
  g_test_add_func ("/statement/read/detect", test_detect);
  g_test_add_func ("/statement/read/wrong-platform", test_read_wrong_platform);
  g_test_add_func ("/statement/read/bad-files", test_read_bad_files);
  g_test_add_func ("/statement/read/edges", test_read_edges);
  g_test_add_func ("/statement/mapping/guess", test_mapping_guess);
  ADD ("/statement/mapping/remember", test_mapping_remember);
  ADD ("/statement/match/wechat", test_match_wechat);
  ADD ("/statement/match/alipay", test_match_alipay);
  ADD ("/statement/match/bank", test_match_bank);
  ADD ("/statement/match/window", test_match_window);
  ADD ("/statement/match/claims", test_match_claims);
  ADD ("/statement/confirm/wechat", test_confirm);
  ADD ("/statement/confirm/all-or-nothing", test_confirm_all_or_nothing);
  ADD ("/statement/confirm/bank", test_confirm_bank);
  ADD ("/statement/confirm/append-only", test_append_only);
  ADD ("/statement/async", test_async);

  return g_test_run ();
}
