/* fuzz-statement.c — libFuzzer target for the statement readers
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the input as an Alipay export, a WeChat Pay export and a bank
 * statement (with the mapping guessed from it, and with a fixed mapping
 * whose dates are day first), and checks what bb-statement.h promises of
 * every result: a reading succeeds exactly when it has no problems; each
 * line has a transaction number, a real date its time starts with, an
 * amount (above zero unless it is no candidate), text in UTF-8, and a
 * reason exactly when it is no candidate; each problem names a line and
 * says something in UTF-8. bb_statement_detect() must agree with the
 * readers, and a mapping must survive its text form. Last, the input is
 * read as such a text form.
 */

#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bb-db.h"
#include "bb-statement.h"
#include "bb-text.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define fuzz_check(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      { \
        g_printerr ("%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
        abort (); \
      } \
  } G_STMT_END

/* A warning or a g_return_if_fail() reached from hostile input is a bug
 * too (as in fuzz-csv.c). */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();

  return result;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  return 0;
}

static void
check_text (const char *text)
{
  fuzz_check (text != NULL);
  fuzz_check (g_utf8_validate (text, -1, NULL));
}

static void
check_line (const BbStatement     *statement,
            const BbStatementLine *line)
{
  fuzz_check (line->line > statement->header_line);
  fuzz_check (line->platform == statement->platform);
  check_text (line->account);
  fuzz_check (g_str_equal (line->account, statement->account));
  fuzz_check (g_strcmp0 (line->currency, statement->currency) == 0);

  check_text (line->transaction_id);
  fuzz_check (*line->transaction_id != '\0');
  fuzz_check (g_utf8_strlen (line->transaction_id, -1) <= 200);
  fuzz_check (bb_text_validate (line->transaction_id, "id", 200, FALSE, NULL));

  check_text (line->date);
  fuzz_check (bb_date_parse (line->date, "date", NULL, NULL));
  check_text (line->time);
  fuzz_check (g_str_has_prefix (line->time, line->date));
  fuzz_check (strlen (line->time) == 10 || strlen (line->time) == 19);

  fuzz_check (line->amount >= 0);
  fuzz_check (line->amount > 0 || !line->candidate);
  fuzz_check (line->direction <= BB_STATEMENT_NEITHER);
  fuzz_check (line->direction == BB_STATEMENT_INCOME || !line->candidate);

  check_text (line->merchant_order_id);
  check_text (line->kind);
  check_text (line->counterparty);
  check_text (line->counterparty_account);
  check_text (line->memo);
  check_text (line->remark);
  check_text (line->status);

  /* A reason exactly when it is no candidate. */
  fuzz_check (line->candidate == (line->skip_reason == NULL));
  if (line->skip_reason != NULL)
    {
      check_text (line->skip_reason);
      fuzz_check (*line->skip_reason != '\0');
    }
}

/* What a reader returned. */
static void
check_reading (gboolean      ok,
               BbStatement  *statement,
               GError       *error)
{
  GHashTable *ids;

  fuzz_check (ok == (error == NULL));
  if (error != NULL)
    {
      fuzz_check (error->domain == BB_DB_ERROR);
      check_text (error->message);
      fuzz_check (*error->message != '\0');
    }

  if (statement == NULL)
    {
      fuzz_check (!ok);
      return;
    }

  fuzz_check (ok == (statement->problems->len == 0));
  fuzz_check (statement->lines->len <= statement->n_rows);

  for (guint i = 0; i < statement->problems->len; i++)
    {
      BbImportProblem *p = g_ptr_array_index (statement->problems, i);

      check_text (p->message);
      fuzz_check (*p->message != '\0');
      if (p->field != NULL)
        check_text (p->field);
      /* In the order of the file. */
      if (i > 0)
        fuzz_check (p->line >= ((BbImportProblem *) g_ptr_array_index (statement->problems, i - 1))->line);
    }

  /* Candidates never share a transaction number. */
  ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < statement->lines->len; i++)
    {
      BbStatementLine *line = g_ptr_array_index (statement->lines, i);

      check_line (statement, line);
      if (i > 0)
        fuzz_check (line->line > ((BbStatementLine *) g_ptr_array_index (statement->lines, i - 1))->line);
      if (line->candidate)
        fuzz_check (g_hash_table_add (ids, line->transaction_id));
    }
  g_hash_table_unref (ids);
}

static BbStatement *
read_platform (GBytes              *bytes,
               BbStatementPlatform  platform)
{
  BbStatement *statement = NULL;
  GError *error = NULL;
  gboolean ok;

  if (platform == BB_STATEMENT_ALIPAY)
    ok = bb_statement_read_alipay (bytes, &statement, &error);
  else
    ok = bb_statement_read_wechat (bytes, &statement, &error);
  check_reading (ok, statement, error);
  if (statement != NULL)
    fuzz_check (statement->platform == platform);
  g_clear_error (&error);

  return statement;
}

static void
check_same_mapping (const BbStatementMapping *a,
                    const BbStatementMapping *b)
{
  fuzz_check (g_strcmp0 (a->bank_name, b->bank_name) == 0);
  fuzz_check (a->header_line == b->header_line);
  fuzz_check (g_strcmp0 (a->date_column, b->date_column) == 0);
  fuzz_check (g_strcmp0 (a->time_column, b->time_column) == 0);
  fuzz_check (g_strcmp0 (a->amount_column, b->amount_column) == 0);
  fuzz_check (g_strcmp0 (a->credit_column, b->credit_column) == 0);
  fuzz_check (g_strcmp0 (a->debit_column, b->debit_column) == 0);
  fuzz_check (g_strcmp0 (a->reference_column, b->reference_column) == 0);
  fuzz_check (g_strcmp0 (a->counterparty_column, b->counterparty_column) == 0);
  fuzz_check (g_strcmp0 (a->counterparty_account_column, b->counterparty_account_column) == 0);
  fuzz_check (g_strcmp0 (a->memo_column, b->memo_column) == 0);
  fuzz_check (g_strcmp0 (a->remark_column, b->remark_column) == 0);
  fuzz_check (a->date_format == b->date_format);
}

/* The text form gives the same mapping back. */
static void
check_round_trip (const BbStatementMapping *mapping)
{
  g_autofree char *text = bb_statement_mapping_to_text (mapping);
  g_autoptr(BbStatementMapping) back = NULL;
  g_autoptr(GError) error = NULL;

  check_text (text);
  back = bb_statement_mapping_from_text (text, &error);
  if (back == NULL)
    {
      g_printerr ("mapping text does not read back: %s\n%s\n", error->message, text);
      abort ();
    }
  check_same_mapping (mapping, back);
}

static void
read_bank (GBytes                   *bytes,
           const BbStatementMapping *mapping)
{
  g_autoptr(BbStatement) statement = NULL;
  GError *error = NULL;
  gboolean valid = bb_statement_mapping_validate (mapping, NULL);
  gboolean ok = bb_statement_read_bank (bytes, mapping, NULL, &statement, &error);

  fuzz_check (valid || !ok);
  check_reading (ok, statement, error);
  if (statement != NULL)
    {
      g_autofree char *account = bb_text_strip (mapping->bank_name);

      fuzz_check (statement->platform == BB_STATEMENT_BANK);
      fuzz_check (g_str_equal (statement->account, account));
      fuzz_check (statement->header_line == 0 || statement->header_line >= mapping->header_line);
    }
  g_clear_error (&error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(BbStatement) alipay = NULL;
  g_autoptr(BbStatement) wechat = NULL;
  BbStatementPlatform detected = BB_STATEMENT_BANK;

  /* 1. The platforms' exports; detection agrees with the readers. */
  alipay = read_platform (bytes, BB_STATEMENT_ALIPAY);
  wechat = read_platform (bytes, BB_STATEMENT_WECHAT_PAY);
  if (bb_statement_detect (bytes, &detected))
    {
      BbStatement *found = detected == BB_STATEMENT_ALIPAY ? alipay : wechat;

      fuzz_check (detected == BB_STATEMENT_ALIPAY || detected == BB_STATEMENT_WECHAT_PAY);
      fuzz_check (found != NULL && found->header_line > 0);
    }

  /* 2. A bank statement with the mapping guessed from it. */
  {
    g_autoptr(BbStatementMapping) guess = NULL;
    g_autoptr(GError) error = NULL;

    guess = bb_statement_guess_mapping_for_data (bytes, &error);
    if (guess == NULL)
      {
        fuzz_check (error != NULL);
        check_text (error->message);
      }
    else
      {
        fuzz_check (error == NULL);
        fuzz_check (guess->header_line > 0);
        fuzz_check (guess->date_column != NULL);
        fuzz_check (guess->amount_column != NULL || guess->credit_column != NULL ||
                    guess->debit_column != NULL);
        guess->bank_name = g_strdup ("Fuzz Bank");
        check_round_trip (guess);
        read_bank (bytes, guess);
      }
  }

  /* 3. A fixed mapping: day first, money in and out columns. */
  {
    g_autoptr(BbStatementMapping) fixed = bb_statement_mapping_new ();

    fixed->bank_name = g_strdup (" 银行 ");
    fixed->header_line = 1;
    fixed->date_column = g_strdup ("Date");
    fixed->time_column = g_strdup ("Time");
    fixed->credit_column = g_strdup ("In");
    fixed->debit_column = g_strdup ("Out");
    fixed->counterparty_column = g_strdup ("Name");
    fixed->memo_column = g_strdup ("Memo");
    fixed->date_format = BB_STATEMENT_DATE_DMY;
    check_round_trip (fixed);
    read_bank (bytes, fixed);
  }

  /* 4. The input as a remembered mapping. */
  {
    g_autofree char *text = g_strndup ((const char *) data, size);
    g_autoptr(BbStatementMapping) mapping = NULL;
    g_autoptr(GError) error = NULL;

    if (g_utf8_validate (text, -1, NULL))
      {
        mapping = bb_statement_mapping_from_text (text, &error);
        if (mapping == NULL)
          {
            fuzz_check (error != NULL);
            check_text (error->message);
          }
        else
          {
            check_round_trip (mapping);
            bb_statement_mapping_validate (mapping, NULL);
            read_bank (bytes, mapping);
          }
      }
  }

  return 0;
}
