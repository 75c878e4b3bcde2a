/* bb-prepaid-io.c — prepaid ledgers in and out of the book: CSV
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The prepaid file (DESIGN.md, "Interchange formats") has one row per
 * ledger entry: whose card (customer code and card name), when, what
 * kind (topup, bonus, charge, refund, expiry, adjust), how much — more
 * than zero, the kind giving the direction, except adjust, which is
 * signed — and a note.
 *
 * Import is all or nothing, and reads the file twice, as the other
 * importers do. The first reading checks every row and writes nothing:
 * each row is checked, in the order of the file, by the rules of the
 * ledger (_bb_prepaid_card_try_entry(), the checks of
 * _bb_prepaid_write_entry() with the same messages) against its card
 * as the book has it and the rows above it leave it, kept in memory;
 * a row that breaks a rule (an overdraft, a date before the card's
 * expiry…) is reported by line and column, and the rows after it are
 * checked as if it were not there. A file with any bad row is not
 * written at all, nor is a dry run. The second reading writes a good
 * file through the same core path as the window
 * (_bb_prepaid_write_entry()), in one transaction.
 *
 * The file is history, taken as it is: a top-up row brings no bonus by
 * the card's rule (the bonus rows are in the file), a charge no points,
 * a refund is capped by the balance only (the terms of its day are not
 * known), and an expiry row writes off the whole balance. The file has
 * no payment method: top-ups are recorded with method other. A card that
 * does not exist is made, with no expiry, bonus or points (set its terms
 * on the Prepaid page).
 *
 * Export writes every entry of every card, card by card (by customer
 * code and card name) in the order the entries were written, so that an
 * import replays them in an order the rules allowed. Redeemed points are
 * written as bonus rows (the file has no points); a charge for a bill is
 * a charge row whose note is the bill's number. Importing an export
 * into a book with the same customers gives the same export again.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-csv.h"
#include "bb-db-private.h"
#include "bb-prepaid-io.h"
#include "bb-import-private.h"
#include "bb-io-task-private.h"
#include "bb-prepaid-private.h"
#include "bb-text.h"

/* As bb_customers_save() and bb_prepaid_save_account() allow. */
#define MAX_CODE_CHARS 64
#define MAX_ACCOUNT_CHARS 100
#define MAX_NOTE_CHARS 2000

/* The columns of a prepaid CSV file (BB_PREPAID_CSV_HEADER). */
typedef enum
{
  COL_CUSTOMER_CODE,
  COL_ACCOUNT,
  COL_DATE,
  COL_KIND,
  COL_AMOUNT,
  COL_NOTE,
  N_COLUMNS
} Column;

static const char * const column_names[N_COLUMNS + 1] = {
  "customer_code", "account", "date", "kind", "amount", "note", NULL
};

/* Text columns are formula-escaped on export and unescaped on import. */
static const gboolean column_is_text[N_COLUMNS] = {
  TRUE, TRUE, FALSE, FALSE, FALSE, TRUE
};

/* The kinds a file holds (redeem is written as bonus). */
static const BbPrepaidEntryKind file_kinds[] = {
  BB_PREPAID_TOPUP, BB_PREPAID_BONUS, BB_PREPAID_CHARGE,
  BB_PREPAID_REFUND, BB_PREPAID_EXPIRY, BB_PREPAID_ADJUST,
};

/* Import */

typedef struct
{
  BbImportRun        run;
  BbPrepaidFieldNames names;
  GHashTable        *customers;     /* code → customer id (0: none), as gint64 * */
  GHashTable        *cards;         /* checking: "customer id:card name" → BbPrepaidCard */
  guint              n_new_cards;
} Import;

static void
import_init (Import           *imp,
             BbDb             *db,
             BbImportProgress  progress,
             gpointer          progress_data,
             GCancellable     *cancellable)
{
  _bb_import_run_init (&imp->run, db, column_names, column_is_text, progress, progress_data, cancellable);
  imp->customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  imp->cards = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) _bb_prepaid_card_free);

  /* Core's messages name the field as the file's column. */
  imp->names.account = column_names[COL_ACCOUNT];
  imp->names.date = column_names[COL_DATE];
  imp->names.amount = column_names[COL_AMOUNT];
  imp->names.method = column_names[COL_KIND];
  imp->names.note = column_names[COL_NOTE];
  imp->names.points = column_names[COL_AMOUNT];
  imp->names.bill = column_names[COL_NOTE];
}

static void
import_clear (Import *imp)
{
  g_clear_pointer (&imp->customers, g_hash_table_unref);
  g_clear_pointer (&imp->cards, g_hash_table_unref);
  _bb_import_run_clear (&imp->run);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Import, import_clear)

/* A check's message starts with the field's name ("amount: …"), which is
 * the column's here; the problem names it after the line. */
static void
add_error (Import       *imp,
           guint         line,
           const GError *error)
{
  const char *message = error->message;

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      const char *name = column_names[i];
      gsize n = strlen (name);

      if (strncmp (message, name, n) == 0 && message[n] == ':' && message[n + 1] == ' ')
        {
          _bb_import_field_error (&imp->run, line, i, error);
          return;
        }
    }

  _bb_import_problem_take (&imp->run, line, NULL, g_strdup_printf (_("Line %u: %s"), line, message));
}

/* Rows */

static char *
kind_list (void)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (file_kinds); i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", bb_prepaid_entry_kind_to_string (file_kinds[i]));

  return g_string_free (list, FALSE);
}

static gboolean
kind_from_file (const char         *text,
                BbPrepaidEntryKind *kind)
{
  BbPrepaidEntryKind k;

  if (!bb_prepaid_entry_kind_from_string (text, &k) || k == BB_PREPAID_REDEEM)
    return FALSE;

  *kind = k;
  return TRUE;
}

/* The customer with @code, looked up once: its id, 0 when none. */
static gboolean
lookup_customer (Import      *imp,
                 const char  *code,
                 gint64      *id,
                 GError     **error)
{
  gint64 *cached = g_hash_table_lookup (imp->customers, code);
  sqlite3_stmt *stmt;
  int rc;

  if (cached != NULL)
    {
      *id = *cached;
      return TRUE;
    }

  stmt = _bb_db_prepare (imp->run.db, "SELECT id FROM customers WHERE code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, code);

  *id = 0;
  rc = _bb_db_step (imp->run.db, stmt, error);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;

  g_hash_table_insert (imp->customers, g_strdup (code), g_memdup2 (id, sizeof *id));
  return TRUE;
}

/* The customer's card called @name; made (with plain terms) when there
 * is none. */
static gboolean
find_or_make_card (Import      *imp,
                   gint64       customer_id,
                   const char  *name,
                   gint64      *id,
                   GError     **error)
{
  g_autoptr(BbPrepaidAccount) card = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (imp->run.db, "SELECT id FROM prepaid_accounts WHERE customer_id = ?1 AND name = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  _bb_stmt_bind_text (stmt, 2, name);
  *id = 0;
  rc = _bb_db_step (imp->run.db, stmt, error);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  if (*id != 0)
    return TRUE;

  card = bb_prepaid_account_new ();
  card->customer_id = customer_id;
  g_free (card->name);
  card->name = g_strdup (name);
  if (!_bb_prepaid_insert_account (imp->run.db, card, column_names[COL_ACCOUNT], error))
    return FALSE;

  imp->n_new_cards++;
  *id = card->id;
  return TRUE;
}

/* The customer's card called @name as the rows so far left it, in
 * memory: read from the book the first time, or a new card when the
 * book has none. */
static BbPrepaidCard *
card_so_far (Import      *imp,
             gint64       customer_id,
             const char  *name,
             GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", customer_id, name);
  BbPrepaidCard *card = g_hash_table_lookup (imp->cards, key);

  if (card != NULL)
    return card;

  card = _bb_prepaid_card_load (imp->run.db, customer_id, name, error);
  if (card != NULL)
    g_hash_table_insert (imp->cards, g_steal_pointer (&key), card);

  return card;
}

/* Whether @error is a broken rule of one row, not the book failing. */
static gboolean
is_row_problem (const GError *error)
{
  return error->domain == BB_DB_ERROR &&
         (error->code == BB_DB_ERROR_INVALID || error->code == BB_DB_ERROR_NOT_FOUND);
}

/* Checks one row against its card as the rows above it left the card,
 * without writing. FALSE only when the book cannot be read. */
static gboolean
check_entry (Import                  *imp,
             gint64                   customer_id,
             const char              *account,
             const BbPrepaidRequest  *request,
             guint                    line,
             GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  BbPrepaidCard *card = card_so_far (imp, customer_id, account, &local_error);

  if (card == NULL || !_bb_prepaid_card_try_entry (imp->run.db, card, request, &local_error))
    {
      if (!is_row_problem (local_error))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _("Line %u: "), line);
          return FALSE;
        }
      add_error (imp, line, local_error);
    }

  return TRUE;
}

/* Writes one row of a file that was checked a moment ago, inside the
 * import's transaction. */
static gboolean
write_entry (Import            *imp,
             gint64             customer_id,
             const char        *account,
             BbPrepaidRequest  *request,
             guint              line,
             GError           **error)
{
  if (!find_or_make_card (imp, customer_id, account, &request->account_id, error) ||
      !_bb_prepaid_write_entry (imp->run.db, request, NULL, error))
    {
      /* The book changed since the check (another window, another
       * program): say which row could not be written. */
      g_prefix_error (error, _("Line %u: "), line);
      return FALSE;
    }

  _bb_import_touch_customer (&imp->run, customer_id);
  imp->run.n_written++;
  return TRUE;
}

/* Reads one row; checks it on its own and against its card in the
 * checking pass, or writes it. FALSE only when the book fails. */
static gboolean
import_row (BbImportRun  *run,
            char        **fields,
            guint         line,
            GError      **error)
{
  Import *imp = (Import *) run;
  g_autofree char *code = bb_csv_header_dup_stripped (run->header, fields, COL_CUSTOMER_CODE);
  g_autofree char *account = bb_csv_header_dup_stripped (run->header, fields, COL_ACCOUNT);
  g_autofree char *date = bb_csv_header_dup_stripped (run->header, fields, COL_DATE);
  g_autofree char *kind_text = bb_csv_header_dup_stripped (run->header, fields, COL_KIND);
  g_autofree char *amount_text = bb_csv_header_dup_stripped (run->header, fields, COL_AMOUNT);
  g_autofree char *note = bb_csv_header_dup_stripped (run->header, fields, COL_NOTE);
  g_autoptr(GError) local_error = NULL;
  BbPrepaidRequest request = { 0 };
  BbPrepaidEntryKind kind = BB_PREPAID_ADJUST;
  gboolean kind_ok, amount_ok;
  gint64 customer_id = 0;
  BbMoney amount = 0;

  /* Each field on its own. */
  if (*code == '\0')
    _bb_import_field_problem_take (&imp->run, line, COL_CUSTOMER_CODE,
                                   g_strdup_printf (_("Line %u, %s: needed; give the code of a customer in the book"),
                                                    line, column_names[COL_CUSTOMER_CODE]));
  else if (!bb_text_validate (code, column_names[COL_CUSTOMER_CODE], MAX_CODE_CHARS, FALSE, &local_error))
    {
      add_error (imp, line, local_error);
      g_clear_error (&local_error);
    }

  if (*account == '\0')
    _bb_import_field_problem_take (&imp->run, line, COL_ACCOUNT,
                                   g_strdup_printf (_("Line %u, %s: needed; give the card’s name, such as “Membership card”"),
                                                    line, column_names[COL_ACCOUNT]));
  else if (!bb_text_validate (account, column_names[COL_ACCOUNT], MAX_ACCOUNT_CHARS, FALSE, &local_error))
    {
      add_error (imp, line, local_error);
      g_clear_error (&local_error);
    }

  if (!bb_date_parse (date, column_names[COL_DATE], NULL, &local_error))
    {
      add_error (imp, line, local_error);
      g_clear_error (&local_error);
    }

  kind_ok = kind_from_file (kind_text, &kind);
  if (!kind_ok)
    {
      g_autofree char *kinds = kind_list ();

      if (*kind_text == '\0')
        _bb_import_field_problem_take (&imp->run, line, COL_KIND,
                                       g_strdup_printf (_("Line %u, %s: needed; one of %s"),
                                                        line, column_names[COL_KIND], kinds));
      else
        _bb_import_field_problem_take (&imp->run, line, COL_KIND,
                                       g_strdup_printf (_("Line %u, %s: “%s” is not one of %s"),
                                                        line, column_names[COL_KIND], kind_text, kinds));
    }

  amount_ok = bb_money_parse (amount_text, run->currency, column_names[COL_AMOUNT], TRUE, &amount, &local_error);
  if (!amount_ok)
    {
      add_error (imp, line, local_error);
      g_clear_error (&local_error);
    }
  else if (kind_ok && kind == BB_PREPAID_ADJUST && amount == 0)
    _bb_import_field_problem_take (&imp->run, line, COL_AMOUNT,
                                   g_strdup_printf (_("Line %u, %s: an adjustment of nothing changes nothing"),
                                                    line, column_names[COL_AMOUNT]));
  else if (kind_ok && kind != BB_PREPAID_ADJUST && amount <= 0)
    _bb_import_field_problem_take (&imp->run, line, COL_AMOUNT,
                                   g_strdup_printf (_("Line %u, %s: “%s” is not more than zero; the kind gives the "
                                                      "direction (only adjust is signed)"),
                                                    line, column_names[COL_AMOUNT], amount_text));

  if (!bb_text_validate (note, column_names[COL_NOTE], MAX_NOTE_CHARS, TRUE, &local_error))
    {
      add_error (imp, line, local_error);
      g_clear_error (&local_error);
    }

  if (*code != '\0' && bb_csv_header_has_column (run->header, COL_CUSTOMER_CODE) &&
      bb_text_validate (code, "", MAX_CODE_CHARS, FALSE, NULL))
    {
      if (!lookup_customer (imp, code, &customer_id, error))
        return FALSE;
      if (customer_id == 0)
        _bb_import_field_problem_take (&imp->run, line, COL_CUSTOMER_CODE,
                                       g_strdup_printf (_("Line %u, %s: no customer has the code “%s”"),
                                                        line, column_names[COL_CUSTOMER_CODE], code));
    }

  /* A row with a problem of its own is not checked against the book,
   * nor is any row when a column is missing (that was reported). */
  if (!bb_csv_header_is_complete (run->header) || customer_id == 0 ||
      g_hash_table_contains (run->bad_lines, GUINT_TO_POINTER (line)))
    return TRUE;

  request.kind = kind;
  request.date = date;
  request.amount = amount;
  request.note = note;
  request.as_given = TRUE;
  request.names = &imp->names;
  if (kind == BB_PREPAID_TOPUP)
    {
      request.has_method = TRUE;
      request.method = BB_PAYMENT_OTHER;
    }

  if (run->checking)
    return check_entry (imp, customer_id, account, &request, line, error);

  return write_entry (imp, customer_id, account, &request, line, error);
}

static gboolean
finish_import (BbImportRun  *run,
               GError      **error)
{
  Import *imp = (Import *) run;
  g_autofree char *detail = g_strdup_printf ("%u entries, %u new cards, from CSV", imp->run.n_written, imp->n_new_cards);

  if (!_bb_import_refresh_customers (&imp->run, error) ||
      !_bb_db_audit (imp->run.db, "import", "prepaid_entries", 0, detail, error))
    return FALSE;

  /* One announcement for the whole import, after COMMIT. */
  bb_db_emit_changed (imp->run.db, "prepaid_entries", 0);
  bb_db_emit_changed (imp->run.db, "prepaid_accounts", 0);
  bb_db_emit_changed (imp->run.db, "customers", 0);

  return TRUE;
}

/* The cards in memory served the check; writing reads the book. */
static void
rows_checked (BbImportRun *run)
{
  Import *imp = (Import *) run;

  g_clear_pointer (&imp->cards, g_hash_table_unref);
}

static const BbImportCsv csv_import = {
  .row = import_row,
  .check_row_length = TRUE,
  .checked = rows_checked,
  .order = BB_IMPORT_ORDER_BY_LINE_AND_COLUMN,
  .finish = finish_import,
};

/**
 * bb_prepaid_import_csv:
 * @db: the book
 * @data: the file's bytes: UTF-8 (a byte order mark is fine) or GB18030
 * @dry_run: only check, as the window's preview does
 * @progress: (nullable) (scope call): called after each row
 * @progress_data: data for @progress
 * @cancellable: (nullable): checked between rows; cancelling imports nothing
 * @report: (out) (optional) (transfer full): the rows read and every
 *   problem by line and column; set on failure as well
 * @error: return location for an error
 *
 * Imports a prepaid CSV file (help/C/csv-format.page), all or nothing:
 * each row one entry of the customer's card of that name (made when
 * missing), through the rules of the ledger (no overdraft, nothing dated
 * before a card's expiry, an expiry of the whole balance…), history as
 * the file has it (see bb-prepaid-io.c). If any row is bad, nothing is
 * imported and %BB_DB_ERROR_INVALID says how many rows are bad while
 * @report lists each problem. The rows are checked first, against the
 * cards as the rows above them leave them, without writing; only a
 * good file is written (unless @dry_run), in one transaction.
 *
 * Returns: %TRUE when the file is good (and, unless @dry_run, imported)
 */
gboolean
bb_prepaid_import_csv (BbDb              *db,
                       GBytes            *data,
                       gboolean           dry_run,
                       BbImportProgress   progress,
                       gpointer           progress_data,
                       GCancellable      *cancellable,
                       BbImportReport   **report,
                       GError           **error)
{
  g_auto(Import) imp = { 0 };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  import_init (&imp, db, progress, progress_data, cancellable);

  return _bb_import_csv (&imp.run, data, dry_run, &csv_import, report, error);
}

/* Import in a thread */

/**
 * bb_prepaid_import_async:
 * @progress: (nullable): called on the thread-default main context of
 *   the caller, never after bb_prepaid_import_finish()
 *
 * Runs bb_prepaid_import_csv() in a thread with a connection of its own.
 */
void
bb_prepaid_import_async (BbDb                *db,
                         GBytes              *data,
                         gboolean             dry_run,
                         BbImportProgress     progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (data != NULL);

  _bb_import_async (db, bb_prepaid_import_csv, bb_prepaid_import_async, "[billbook] import prepaid",
                    data, dry_run, progress, progress_data, cancellable, callback, user_data);
}

/**
 * bb_prepaid_import_finish:
 * @report: (out) (optional) (transfer full): as for
 *   bb_prepaid_import_csv(); never %NULL when asked for
 *
 * After a committed import, announces the change on @db.
 */
gboolean
bb_prepaid_import_finish (BbDb            *db,
                          GAsyncResult    *result,
                          BbImportReport **report,
                          GError         **error)
{
  static const char * const changed[] = { "prepaid_entries", "prepaid_accounts", "customers", NULL };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  return _bb_import_finish (db, result, bb_prepaid_import_async, changed, report, error);
}

/* Export */

static GOutputStream *
buffered_stream (GOutputStream *out)
{
  GOutputStream *buffered = g_buffered_output_stream_new_sized (out, 64 * 1024);

  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (buffered), FALSE);
  return buffered;
}

/* One card's ledger, in the order it was written. */
static gboolean
export_card (BbDb          *db,
             BbCsvWriter   *writer,
             gint64         account_id,
             const char    *code,
             const char    *name,
             GCancellable  *cancellable,
             GError       **error)
{
  const BbCurrency *currency = bb_business_get_currency (db);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT occurred_on, kind, amount, note FROM prepaid_entries "
                         "WHERE account_id = ?1 ORDER BY id",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *fields[N_COLUMNS + 1] = { NULL };
      g_autofree char *amount_text = NULL;
      BbPrepaidEntryKind kind = BB_PREPAID_ADJUST;
      BbMoney amount = sqlite3_column_int64 (stmt, 2);

      bb_prepaid_entry_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &kind);
      /* Redeemed points are bonus money; the file has no points. */
      if (kind == BB_PREPAID_REDEEM)
        kind = BB_PREPAID_BONUS;
      amount_text = bb_money_format_plain (kind == BB_PREPAID_ADJUST ? amount : ABS (amount), currency);

      fields[COL_CUSTOMER_CODE] = code;
      fields[COL_ACCOUNT] = name;
      fields[COL_DATE] = (const char *) sqlite3_column_text (stmt, 0);
      fields[COL_KIND] = bb_prepaid_entry_kind_to_string (kind);
      fields[COL_AMOUNT] = amount_text;
      fields[COL_NOTE] = (const char *) sqlite3_column_text (stmt, 3);

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !bb_csv_writer_write_row (writer, fields, column_is_text, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

/* The next page of cards, in export order, after (@code, @name, @id). */
typedef struct
{
  gint64  id;
  char   *code;
  char   *name;
} CardKey;

static void
card_key_clear (gpointer data)
{
  CardKey *key = data;

  g_free (key->code);
  g_free (key->name);
}

#define EXPORT_PAGE_CARDS 200

/**
 * bb_prepaid_export_csv:
 * @db: the book
 * @out: where to write; not closed
 * @cancellable: (nullable): checked between rows
 * @error: return location for an error
 *
 * Writes every card's ledger as a prepaid CSV file with its header row
 * (see bb-prepaid-io.c for what each row is). Text that starts like a
 * spreadsheet formula gets a leading apostrophe, which import removes.
 *
 * Returns: %TRUE on success
 */
gboolean
bb_prepaid_export_csv (BbDb           *db,
                       GOutputStream  *out,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(GOutputStream) buffered = NULL;
  g_autoptr(BbCsvWriter) writer = NULL;
  g_autoptr(GArray) page = g_array_new (FALSE, TRUE, sizeof (CardKey));
  g_autofree char *after_code = g_strdup ("");
  g_autofree char *after_name = g_strdup ("");
  gint64 after_id = 0;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_array_set_clear_func (page, card_key_clear);
  buffered = buffered_stream (out);
  writer = bb_csv_writer_new (buffered);

  if (!bb_csv_writer_write_row (writer, column_names, NULL, error))
    return FALSE;

  for (;;)
    {
      sqlite3_stmt *stmt;
      int rc;

      g_array_set_size (page, 0);
      stmt = _bb_db_prepare (db,
                             "SELECT a.id, c.code, a.name FROM prepaid_accounts a "
                             "JOIN customers c ON c.id = a.customer_id "
                             "WHERE (c.code, a.name, a.id) > (?1, ?2, ?3) "
                             "ORDER BY c.code, a.name, a.id LIMIT ?4",
                             error);
      if (stmt == NULL)
        return FALSE;
      _bb_stmt_bind_text (stmt, 1, after_code);
      _bb_stmt_bind_text (stmt, 2, after_name);
      sqlite3_bind_int64 (stmt, 3, after_id);
      sqlite3_bind_int (stmt, 4, EXPORT_PAGE_CARDS);
      while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
        {
          CardKey key = { sqlite3_column_int64 (stmt, 0), _bb_stmt_dup_text (stmt, 1), _bb_stmt_dup_text (stmt, 2) };

          g_array_append_val (page, key);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return FALSE;

      for (guint i = 0; i < page->len; i++)
        {
          CardKey *key = &g_array_index (page, CardKey, i);

          if (!export_card (db, writer, key->id, key->code, key->name, cancellable, error))
            return FALSE;
        }

      if (page->len < EXPORT_PAGE_CARDS)
        break;

      {
        CardKey *last = &g_array_index (page, CardKey, page->len - 1);

        g_free (after_code);
        after_code = g_strdup (last->code);
        g_free (after_name);
        after_name = g_strdup (last->name);
        after_id = last->id;
      }
    }

  return g_output_stream_flush (buffered, cancellable, error);
}

/**
 * bb_prepaid_export_csv_to_file:
 *
 * bb_prepaid_export_csv() into @file, which only its owner may read
 * (mode 0600). On failure an existing @file is left as it was, and a new
 * one is not left behind.
 */
gboolean
bb_prepaid_export_csv_to_file (BbDb          *db,
                               GFile         *file,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _bb_export_to_file (db, bb_prepaid_export_csv, file, cancellable, error);
}

/**
 * bb_prepaid_export_async:
 *
 * Runs bb_prepaid_export_csv_to_file() in a thread with a connection of
 * its own.
 */
void
bb_prepaid_export_async (BbDb                *db,
                         GFile               *file,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (G_IS_FILE (file));

  _bb_export_async (db, bb_prepaid_export_csv, bb_prepaid_export_async, "[billbook] export prepaid",
                    file, cancellable, callback, user_data);
}

gboolean
bb_prepaid_export_finish (BbDb          *db,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  return _bb_export_finish (db, result, bb_prepaid_export_async, error);
}

/* Balances */

static const gboolean balance_is_text[] = { TRUE, TRUE, FALSE, FALSE };

/**
 * bb_prepaid_balances_csv:
 * @customer_code: (nullable): only this customer's cards; %NULL for all
 * @out: where to write; not closed
 *
 * Writes what each open card holds, as CSV with the header row
 * %BB_PREPAID_BALANCE_CSV_HEADER: by customer code and card name, the
 * balance with a dot and the currency's decimals, and the day its money
 * expires (empty when it does not).
 *
 * Returns: %TRUE on success; %BB_DB_ERROR_NOT_FOUND when no customer has
 *   @customer_code
 */
gboolean
bb_prepaid_balances_csv (BbDb           *db,
                         const char     *customer_code,
                         GOutputStream  *out,
                         GCancellable   *cancellable,
                         GError        **error)
{
  const BbCurrency *currency;
  g_autoptr(GOutputStream) buffered = NULL;
  g_autoptr(BbCsvWriter) writer = NULL;
  static const char * const header[] = { "customer_code", "account", "balance", "expires_on", NULL };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  currency = bb_business_get_currency (db);

  if (customer_code != NULL)
    {
      stmt = _bb_db_prepare (db, "SELECT 1 FROM customers WHERE code = ?1", error);
      if (stmt == NULL)
        return FALSE;
      _bb_stmt_bind_text (stmt, 1, customer_code);
      rc = _bb_db_step (db, stmt, error);
      sqlite3_reset (stmt);
      if (rc < 0)
        return FALSE;
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND,
                       _("No customer has the code “%s”"), customer_code);
          return FALSE;
        }
    }

  buffered = buffered_stream (out);
  writer = bb_csv_writer_new (buffered);
  if (!bb_csv_writer_write_row (writer, header, NULL, error))
    return FALSE;

  stmt = _bb_db_prepare (db,
                         "SELECT c.code, a.name, a.balance, coalesce(a.expires_on, '') "
                         "FROM prepaid_accounts a JOIN customers c ON c.id = a.customer_id "
                         "WHERE a.closed = 0 AND (?1 IS NULL OR c.code = ?1) "
                         "ORDER BY c.code, a.name, a.id",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, customer_code);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      g_autofree char *balance = bb_money_format_plain (sqlite3_column_int64 (stmt, 2), currency);
      const char *fields[] = {
        (const char *) sqlite3_column_text (stmt, 0),
        (const char *) sqlite3_column_text (stmt, 1),
        balance,
        (const char *) sqlite3_column_text (stmt, 3),
        NULL
      };

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !bb_csv_writer_write_row (writer, fields, balance_is_text, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  return g_output_stream_flush (buffered, cancellable, error);
}
