/* bb-customer-io.c — customers in and out of the book: CSV and vCard
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An import is all or nothing (DESIGN.md, "Interchange formats"): every
 * row is parsed and checked first and every problem collected; only a
 * file without any is written, in one transaction. The rows are read
 * twice (check, then write) rather than kept: a file of 100,000 customers
 * never becomes 100,000 objects in memory.
 *
 * Export reads the book in pages ordered by code and writes each page
 * before fetching the next, so it never holds the whole table either.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-csv.h"
#include "bb-customer-io.h"
#include "bb-import-private.h"
#include "bb-io-task-private.h"
#include "bb-customers-private.h"
#include "bb-db-private.h"
#include "bb-text.h"
#include "bb-vcard.h"

/* Rows fetched per query while exporting. */
#define EXPORT_PAGE_ROWS 500

/* The columns of a customers CSV file (BB_CUSTOMERS_CSV_HEADER). */
typedef enum
{
  COL_CODE,
  COL_NAME,
  COL_COMPANY,
  COL_PHONE,
  COL_EMAIL,
  COL_ADDRESS,
  COL_TAX_ID,
  COL_CLASS,
  COL_CREDIT_LIMIT,
  COL_TERMS,
  COL_TAGS,
  COL_NOTES,
  N_COLUMNS
} Column;

static const char * const column_names[N_COLUMNS + 1] = {
  "code", "name", "company", "phone", "email", "address", "tax_id",
  "class", "credit_limit", "payment_terms_days", "tags", "notes", NULL
};

/* Text columns are formula-escaped on export and unescaped on import;
 * the class letter and the numbers are written as they are. */
static const gboolean column_is_text[N_COLUMNS] = {
  TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE,
  FALSE, FALSE, FALSE, TRUE, TRUE
};

/* Report */

void
bb_import_problem_free (BbImportProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

/**
 * bb_import_report_new:
 *
 * Returns: (transfer full): an empty report
 */
BbImportReport *
bb_import_report_new (void)
{
  BbImportReport *report = g_new0 (BbImportReport, 1);

  report->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_import_problem_free);
  report->preview = g_ptr_array_new_with_free_func (g_object_unref);

  return report;
}

void
bb_import_report_free (BbImportReport *report)
{
  if (report == NULL)
    return;

  g_ptr_array_unref (report->problems);
  g_ptr_array_unref (report->preview);
  g_free (report);
}

/* Import */

typedef struct
{
  BbImportRun        run;
  GHashTable        *codes;         /* code in the file → its first line */
} Import;

static void
import_init (Import           *imp,
             BbDb             *db,
             BbImportProgress  progress,
             gpointer          progress_data,
             GCancellable     *cancellable)
{
  _bb_import_run_init (&imp->run, db, column_names, column_is_text, progress, progress_data, cancellable);
  imp->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
import_clear (Import *imp)
{
  g_clear_pointer (&imp->codes, g_hash_table_unref);
  _bb_import_run_clear (&imp->run);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Import, import_clear)

/* Validation messages start with the field's label ("Email: …"); the
 * problem names the column instead, so the label goes. */
static const char *
without_label (const char *message,
               const char *label)
{
  gsize n = strlen (label);

  if (n > 0 && strncmp (message, label, n) == 0 && message[n] == ':' && message[n + 1] == ' ')
    return message + n + 2;

  return message;
}

static void
add_field_problem (Import       *imp,
                   guint         line,
                   const char   *field,
                   const char   *label,
                   const GError *error)
{
  _bb_import_problem_take (&imp->run, line, field,
                           /* Translators: "Line 7, email: “x@” is not an email address" */
                           g_strdup_printf (_("Line %u, %s: %s"), line, field,
                                            without_label (error->message, label)));
}

static void
check_field (Import     *imp,
             BbCustomer *customer,
             guint       line,
             const char *field)
{
  g_autoptr(GError) error = NULL;

  if (!bb_customers_validate_field (imp->run.db, customer, field, &error))
    add_field_problem (imp, line, field, bb_customer_field_label (field), error);
}

/* Checks the code against the book (bb_customers_validate_field) and
 * against the rows above it in the file. */
static void
check_code (Import     *imp,
            BbCustomer *customer,
            guint       line)
{
  g_autofree char *code = bb_text_strip (customer->code);
  gpointer first_line;

  check_field (imp, customer, line, BB_CUSTOMER_FIELD_CODE);

  if (*code == '\0')
    return;

  if (g_hash_table_lookup_extended (imp->codes, code, NULL, &first_line))
    _bb_import_problem_take (&imp->run, line, BB_CUSTOMER_FIELD_CODE,
                             g_strdup_printf (_("Line %u, %s: “%s” is also the code on line %u"),
                                              line, BB_CUSTOMER_FIELD_CODE, code,
                                              GPOINTER_TO_UINT (first_line)));
  else
    g_hash_table_insert (imp->codes, g_steal_pointer (&code), GUINT_TO_POINTER (line));
}

/* Fields every format fills, checked the same way. */
static const char * const text_fields[] = {
  BB_CUSTOMER_FIELD_NAME, BB_CUSTOMER_FIELD_COMPANY, BB_CUSTOMER_FIELD_PHONE,
  BB_CUSTOMER_FIELD_EMAIL, BB_CUSTOMER_FIELD_ADDRESS, BB_CUSTOMER_FIELD_TAX_ID,
  BB_CUSTOMER_FIELD_TAGS, BB_CUSTOMER_FIELD_NOTES,
};

static void
keep_for_preview (Import     *imp,
                  BbCustomer *customer)
{
  if (imp->run.checking && imp->run.report->preview->len < BB_IMPORT_PREVIEW_ROWS)
    g_ptr_array_add (imp->run.report->preview, g_object_ref (customer));
}

/* Codes are generated in file order, skipping the codes that later rows
 * of the same file bring, so that those rows cannot collide with them. */
static gboolean
assign_code (Import      *imp,
             BbCustomer  *customer,
             GError     **error)
{
  g_autofree char *code = bb_text_strip (customer->code);

  if (*code != '\0')
    return TRUE;

  for (;;)
    {
      g_autofree char *next = _bb_customers_next_code (imp->run.db, error);

      if (next == NULL)
        return FALSE;

      if (!g_hash_table_contains (imp->codes, next))
        {
          g_free (customer->code);
          customer->code = g_steal_pointer (&next);
          return TRUE;
        }
    }
}

static gboolean
write_customer (Import      *imp,
                BbCustomer  *customer,
                guint        line,
                GError     **error)
{
  if (!assign_code (imp, customer, error) ||
      !bb_customers_save (imp->run.db, customer, error))
    {
      /* The book changed since the check (another window, another
       * program): say which row could not be written. */
      g_prefix_error (error, _("Line %u: "), line);
      return FALSE;
    }

  return TRUE;
}

static gboolean
begin_writing (Import  *imp,
               GError **error)
{
  imp->run.checking = FALSE;
  return bb_db_begin (imp->run.db, error);
}

static gboolean
finish_writing (Import      *imp,
                guint        n,
                const char  *format,
                GError     **error)
{
  g_autofree char *detail = g_strdup_printf ("%u from %s", n, format);

  if (!_bb_db_audit (imp->run.db, "import", "customers", 0, detail, error))
    return FALSE;

  /* One announcement for the whole import, after COMMIT. */
  bb_db_emit_changed (imp->run.db, "customers", 0);

  imp->run.n_written = n;
  return TRUE;
}

/* CSV */

/* A whole number of days, 0 … 3650. */
static gboolean
parse_terms (const char *text,
             int        *out)
{
  gint64 value = 0;

  if (*text == '\0' || strlen (text) > 9)
    return FALSE;

  for (const char *p = text; *p; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (*p - '0');
    }

  if (value > 3650)
    return FALSE;

  *out = (int) value;
  return TRUE;
}

/* Builds the customer of one CSV row; in the checking pass also checks
 * it, adding a problem per bad field. */
static BbCustomer *
customer_from_row (Import             *imp,
                   const BbCsvHeader  *header,
                   char              **fields,
                   guint               line)
{
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autofree char *klass = NULL;
  g_autofree char *credit = NULL;
  g_autofree char *terms = NULL;
  char **slots[N_COLUMNS] = {
    [COL_CODE] = &customer->code,
    [COL_NAME] = &customer->name,
    [COL_COMPANY] = &customer->company,
    [COL_PHONE] = &customer->phone,
    [COL_EMAIL] = &customer->email,
    [COL_ADDRESS] = &customer->address,
    [COL_TAX_ID] = &customer->tax_id,
    [COL_TAGS] = &customer->tags,
    [COL_NOTES] = &customer->notes,
  };

  for (guint i = 0; i < N_COLUMNS; i++)
    if (slots[i] != NULL)
      {
        g_free (*slots[i]);
        *slots[i] = bb_csv_header_dup_text (header, fields, i);
      }

  klass = bb_csv_header_dup_stripped (header, fields, COL_CLASS);
  if (*klass == '\0')
    customer->class_override = 0;
  else if (klass[1] == '\0' && strchr ("ABCabc", klass[0]) != NULL)
    customer->class_override = g_ascii_toupper (klass[0]);
  else if (imp->run.checking)
    _bb_import_problem_take (&imp->run, line, column_names[COL_CLASS],
                             g_strdup_printf (_("Line %u, %s: “%s” is not A, B or C (leave it empty for automatic)"),
                                              line, column_names[COL_CLASS], klass));
  customer->klass = customer->class_override ? customer->class_override : 'B';

  credit = bb_csv_header_dup_stripped (header, fields, COL_CREDIT_LIMIT);
  if (*credit != '\0')
    {
      g_autoptr(GError) error = NULL;
      const char *label = _("Credit limit");

      if (!bb_money_parse (credit, imp->run.currency, label, FALSE, &customer->credit_limit, &error))
        {
          customer->credit_limit = 0;
          if (imp->run.checking)
            add_field_problem (imp, line, column_names[COL_CREDIT_LIMIT], label, error);
        }
    }

  terms = bb_csv_header_dup_stripped (header, fields, COL_TERMS);
  if (*terms != '\0' && !parse_terms (terms, &customer->payment_terms_days) && imp->run.checking)
    _bb_import_problem_take (&imp->run, line, column_names[COL_TERMS],
                             g_strdup_printf (_("Line %u, %s: “%s” is not a whole number of days from 0 to 3650"),
                                              line, column_names[COL_TERMS], terms));

  if (imp->run.checking)
    {
      /* A missing column was reported once, on the header; its fields
       * are not reported again on every row. */
      if (bb_csv_header_has_column (header, COL_CODE))
        check_code (imp, customer, line);
      for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
        if (bb_csv_header_has_column (header, bb_csv_find_column (column_names, text_fields[i])))
          check_field (imp, customer, line, text_fields[i]);
    }

  return g_steal_pointer (&customer);
}

/* One row of a CSV file, in either pass. */
static gboolean
import_row (BbImportRun  *run,
            char        **fields,
            guint         line,
            GError      **error)
{
  Import *imp = (Import *) run;
  g_autoptr(BbCustomer) customer = customer_from_row (imp, run->header, fields, line);

  keep_for_preview (imp, customer);

  return run->checking || write_customer (imp, customer, line, error);
}

static gboolean
finish_csv (BbImportRun  *run,
            GError      **error)
{
  return finish_writing ((Import *) run, run->n_data_rows, "CSV", error);
}

static const BbImportCsv csv_import = {
  .row = import_row,
  .check_row_length = TRUE,
  .order = BB_IMPORT_ORDER_AS_FOUND,
  .finish = finish_csv,
};

/**
 * bb_customers_import_csv:
 * @db: the book
 * @data: the file's bytes: UTF-8 (a byte order mark is fine) or GB18030
 * @dry_run: only read and check, as the window's preview does
 * @progress: (nullable) (scope call): called after each row
 * @progress_data: data for @progress
 * @cancellable: (nullable): checked between rows; cancelling imports nothing
 * @report: (out) (optional) (transfer full): what was read, every
 *   problem and the first rows; set on failure as well
 * @error: return location for an error
 *
 * Imports a customers CSV file (help/C/csv-format.page), all or nothing.
 * Every row is parsed and every field checked first; if any has a
 * problem, nothing is imported and %BB_DB_ERROR_INVALID says how many
 * rows are bad while @report lists each problem by line and column.
 * Otherwise, unless @dry_run, all customers are written in one
 * transaction; rows without a code get the next free codes.
 *
 * Returns: %TRUE when the file is good (and, unless @dry_run, imported)
 */
gboolean
bb_customers_import_csv (BbDb              *db,
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

/* vCard */

/* The reader writes "tel:+1-555-0100;ext=42" as "+1-555-0100 ext. 42",
 * which the phone field does not take: the number stays the phone and
 * the extension goes to the notes, so nothing is lost. */
static void
move_extension_to_notes (BbCustomer *customer)
{
  const char *ext = strstr (customer->phone, " ext. ");
  g_autofree char *number = NULL;
  g_autofree char *line = NULL;
  char *notes;

  if (ext == NULL || bb_text_is_phone (customer->phone))
    return;

  number = g_strndup (customer->phone, (gsize) (ext - customer->phone));
  if (!bb_text_is_phone (number))
    return;

  line = g_strdup_printf (_("Phone extension: %s"), ext + strlen (" ext. "));
  notes = *customer->notes != '\0' ? g_strconcat (customer->notes, "\n", line, NULL)
                                    : g_steal_pointer (&line);
  g_free (customer->notes);
  customer->notes = notes;
  g_free (customer->phone);
  customer->phone = g_steal_pointer (&number);
}

static BbCustomer *
customer_from_contact (Import               *imp,
                       const BbVCardContact *contact)
{
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autofree char *tags = NULL;

#define TAKE(field, value) do { g_free (customer->field); customer->field = g_strdup ((value) ? (value) : ""); } while (0)
  TAKE (name, contact->name);
  TAKE (company, contact->company);
  TAKE (phone, contact->phone);
  TAKE (email, contact->email);
  TAKE (address, contact->address);
  TAKE (tax_id, contact->tax_id);
  TAKE (notes, contact->note);
#undef TAKE

  tags = contact->categories ? g_strjoinv (",", contact->categories) : g_strdup ("");
  g_free (customer->tags);
  customer->tags = bb_customer_normalize_tags (tags);

  move_extension_to_notes (customer);

  /* vCard has no code and no class: the next free code is given on
   * save and the class is automatic. */
  if (imp->run.checking)
    for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
      check_field (imp, customer, contact->line, text_fields[i]);

  return g_steal_pointer (&customer);
}

/* The first number in @text: the reader's messages start "Line N: …". */
static guint
first_number (const char *text)
{
  while (*text != '\0' && !g_ascii_isdigit (*text))
    text++;

  return (guint) g_ascii_strtoull (text, NULL, 10);
}

/**
 * bb_customers_import_vcard:
 *
 * Same as bb_customers_import_csv() for a vCard 2.1, 3.0 or 4.0 file
 * (help/C/vcard-format.page). Each contact becomes a customer with the
 * next free code and an automatic class; CATEGORIES become tags. A
 * problem names the line where its contact begins.
 */
gboolean
bb_customers_import_vcard (BbDb              *db,
                           GBytes            *data,
                           gboolean           dry_run,
                           BbImportProgress   progress,
                           gpointer           progress_data,
                           GCancellable      *cancellable,
                           BbImportReport   **report,
                           GError           **error)
{
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_auto(Import) imp = { 0 };
  guint n;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  import_init (&imp, db, progress, progress_data, cancellable);
  if (_bb_import_cancelled (&imp.run, error))
    return _bb_import_return (&imp.run, FALSE, report);

  _bb_import_progress (&imp.run, 0, 0);
  contacts = bb_vcard_parse (data, &parse_error);
  if (contacts == NULL)
    {
      g_auto(GStrv) lines = NULL;

      if (!g_error_matches (parse_error, BB_VCARD_ERROR, BB_VCARD_ERROR_SYNTAX) &&
          !g_error_matches (parse_error, BB_VCARD_ERROR, BB_VCARD_ERROR_ENCODING))
        {
          /* Not a vCard file at all: nothing to list but this. */
          g_set_error_literal (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, parse_error->message);
          return _bb_import_return (&imp.run, FALSE, report);
        }

      /* One line per bad contact, "Line N: …". */
      lines = g_strsplit (parse_error->message, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          /* The last may be "… and 5 more problems", of no line. */
          guint line = g_str_has_prefix (lines[i], "…") ? 0 : first_number (lines[i]);

          _bb_import_problem_take (&imp.run, line, NULL, g_strdup (lines[i]));
        }

      _bb_import_check_passed (&imp.run, BB_IMPORT_ORDER_AS_FOUND, error);
      return _bb_import_return (&imp.run, FALSE, report);
    }

  n = contacts->len;
  imp.run.report->n_rows = n;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BbCustomer) customer = NULL;

      if (_bb_import_cancelled (&imp.run, error))
        return _bb_import_return (&imp.run, FALSE, report);

      customer = customer_from_contact (&imp, g_ptr_array_index (contacts, i));
      keep_for_preview (&imp, customer);
      _bb_import_progress (&imp.run, i + 1, 0);
    }

  if (!_bb_import_check_passed (&imp.run, BB_IMPORT_ORDER_AS_FOUND, error))
    return _bb_import_return (&imp.run, FALSE, report);

  if (dry_run)
    return _bb_import_return (&imp.run, TRUE, report);

  if (!begin_writing (&imp, error))
    return _bb_import_return (&imp.run, FALSE, report);

  _bb_import_progress (&imp.run, 0, n);
  for (guint i = 0; i < n; i++)
    {
      const BbVCardContact *contact = g_ptr_array_index (contacts, i);
      g_autoptr(BbCustomer) customer = NULL;

      if (_bb_import_cancelled (&imp.run, error))
        goto fail;

      customer = customer_from_contact (&imp, contact);
      if (!write_customer (&imp, customer, contact->line, error))
        goto fail;

      _bb_import_progress (&imp.run, i + 1, n);
    }

  if (!finish_writing (&imp, n, "vCard", error) ||
      !bb_db_commit (db, error))
    goto fail;

  imp.run.report->n_imported = imp.run.n_written;
  return _bb_import_return (&imp.run, TRUE, report);

fail:
  bb_db_rollback (db);
  return _bb_import_return (&imp.run, FALSE, report);
}

/**
 * bb_customers_import:
 * @format: which reader to use
 *
 * bb_customers_import_csv() or bb_customers_import_vcard(), by @format.
 */
gboolean
bb_customers_import (BbDb                  *db,
                     GBytes                *data,
                     BbCustomerFileFormat   format,
                     gboolean               dry_run,
                     BbImportProgress       progress,
                     gpointer               progress_data,
                     GCancellable          *cancellable,
                     BbImportReport       **report,
                     GError               **error)
{
  switch (format)
    {
    case BB_CUSTOMER_FILE_CSV:
      return bb_customers_import_csv (db, data, dry_run, progress, progress_data,
                                      cancellable, report, error);
    case BB_CUSTOMER_FILE_VCARD:
      return bb_customers_import_vcard (db, data, dry_run, progress, progress_data,
                                        cancellable, report, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Import in a thread */

/**
 * bb_customers_import_async:
 * @db: the book, as the window uses it
 * @data: the file's bytes
 * @format: CSV or vCard
 * @dry_run: only read and check
 * @progress: (nullable): called on the thread-default main context of
 *   the caller, never after bb_customers_import_finish()
 * @progress_data: data for @progress; must live until the callback
 * @cancellable: (nullable): cancelling imports nothing
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs bb_customers_import() in a thread with a connection of its own,
 * so the window never freezes on a big file.
 */
void
bb_customers_import_async (BbDb                  *db,
                           GBytes                *data,
                           BbCustomerFileFormat   format,
                           gboolean               dry_run,
                           BbImportProgress       progress,
                           gpointer               progress_data,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data)
{
  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (data != NULL);

  _bb_import_async (db, format == BB_CUSTOMER_FILE_VCARD ? bb_customers_import_vcard : bb_customers_import_csv,
                    bb_customers_import_async, "[billbook] import customers",
                    data, dry_run, progress, progress_data, cancellable, callback, user_data);
}

/**
 * bb_customers_import_finish:
 * @report: (out) (optional) (transfer full): as for
 *   bb_customers_import_csv(); never %NULL when asked for
 *
 * After a committed import, announces the change on @db ("changed"
 * signal, table "customers") so the window's lists show the new rows.
 *
 * Returns: as bb_customers_import_csv()
 */
gboolean
bb_customers_import_finish (BbDb            *db,
                            GAsyncResult    *result,
                            BbImportReport **report,
                            GError         **error)
{
  static const char * const changed[] = { "customers", NULL };

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  return _bb_import_finish (db, result, bb_customers_import_async, changed, report, error);
}

/* Export */

typedef struct
{
  char *fields[N_COLUMNS + 1];
} ExportRow;

static void
export_row_free (ExportRow *row)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    g_free (row->fields[i]);
  g_free (row);
}

/* The next page of customers after @after_code, in code order. */
static GPtrArray *
export_page (BbDb              *db,
             const char        *after_code,
             const BbCurrency  *currency,
             GError           **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) export_row_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT code, name, company, phone, email, address, tax_id, class_override, "
                         "  credit_limit, payment_terms_days, tags, notes "
                         "FROM customers WHERE erased = 0 AND code > ?1 ORDER BY code LIMIT ?2",
                         error);
  if (stmt == NULL)
    return NULL;

  _bb_stmt_bind_text (stmt, 1, after_code);
  sqlite3_bind_int (stmt, 2, EXPORT_PAGE_ROWS);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      ExportRow *row = g_new0 (ExportRow, 1);

      for (guint i = 0; i < N_COLUMNS; i++)
        {
          switch (i)
            {
            case COL_CREDIT_LIMIT:
              row->fields[i] = bb_money_format_plain (sqlite3_column_int64 (stmt, i), currency);
              break;
            case COL_TERMS:
              row->fields[i] = g_strdup_printf ("%d", sqlite3_column_int (stmt, i));
              break;
            default:
              row->fields[i] = _bb_stmt_dup_text (stmt, i);
              if (row->fields[i] == NULL)
                row->fields[i] = g_strdup ("");
              break;
            }
        }
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);

  if (rc < 0)
    return NULL;

  return g_steal_pointer (&rows);
}

/**
 * bb_customers_export_csv:
 * @db: the book
 * @out: where to write; not closed
 * @cancellable: (nullable): checked between rows
 * @error: return location for an error
 *
 * Writes every customer whose data was not erased (archived ones too),
 * ordered by code, as a customers CSV file with its header row. Text
 * that starts like a spreadsheet formula gets a leading apostrophe,
 * which the import removes again. The class column holds only a class
 * set by hand, so automatic classes stay automatic after a round trip.
 *
 * Returns: %TRUE on success
 */
gboolean
bb_customers_export_csv (BbDb           *db,
                         GOutputStream  *out,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autoptr(GOutputStream) buffered = NULL;
  g_autoptr(BbCsvWriter) writer = NULL;
  g_autofree char *after = g_strdup ("");
  const BbCurrency *currency;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  currency = bb_business_get_currency (db);
  buffered = g_buffered_output_stream_new_sized (out, 64 * 1024);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (buffered), FALSE);
  writer = bb_csv_writer_new (buffered);

  if (!bb_csv_writer_write_row (writer, column_names, NULL, error))
    return FALSE;

  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      page = export_page (db, after, currency, error);
      if (page == NULL)
        return FALSE;

      for (guint i = 0; i < page->len; i++)
        {
          ExportRow *row = g_ptr_array_index (page, i);

          if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
              !bb_csv_writer_write_row (writer, (const char * const *) row->fields,
                                        column_is_text, error))
            return FALSE;
        }

      if (page->len < EXPORT_PAGE_ROWS)
        break;

      g_free (after);
      after = g_strdup (((ExportRow *) g_ptr_array_index (page, page->len - 1))->fields[COL_CODE]);
    }

  return g_output_stream_flush (buffered, cancellable, error);
}

/**
 * bb_customers_export_csv_to_file:
 * @db: the book
 * @file: the file to write; replaced whole once everything was written
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * bb_customers_export_csv() into @file, which only its owner may read
 * (mode 0600: it holds personal data). On failure or cancellation an
 * existing @file is left as it was, and a new one is not left behind.
 *
 * Returns: %TRUE on success
 */
gboolean
bb_customers_export_csv_to_file (BbDb          *db,
                                 GFile         *file,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _bb_export_to_file (db, bb_customers_export_csv, file, cancellable, error);
}

/**
 * bb_customers_export_async:
 * @db: the book
 * @file: the file to write (see bb_customers_export_csv_to_file())
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs bb_customers_export_csv_to_file() in a thread with a connection
 * of its own.
 */
void
bb_customers_export_async (BbDb                *db,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (G_IS_FILE (file));

  _bb_export_async (db, bb_customers_export_csv, bb_customers_export_async, "[billbook] export customers",
                    file, cancellable, callback, user_data);
}

gboolean
bb_customers_export_finish (BbDb          *db,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  return _bb_export_finish (db, result, bb_customers_export_async, error);
}
