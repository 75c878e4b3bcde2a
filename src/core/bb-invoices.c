/* bb-invoices.c — bills in the book: drafts, review, numbering, issue, void, credit notes
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bill is a draft until it is submitted for review and issued. Issuing
 * gives it the next number of its year inside the same write transaction
 * (BEGIN IMMEDIATE), so two windows or processes issuing at once never
 * get the same number and never leave a gap. An issued bill is frozen
 * (the schema's triggers refuse edits); it is voided with a reason or
 * corrected by a credit note.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-customers-private.h"
#include "bb-db-private.h"
#include "bb-invoices.h"
#include "bb-text.h"

static const char * const kind_names[] = { "invoice", "credit_note", "fee" };

void
bb_review_item_free (BbReviewItem *item)
{
  if (item == NULL)
    return;

  g_free (item->text);
  g_free (item);
}

static BbInvoiceKind
kind_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      return (BbInvoiceKind) i;

  return BB_INVOICE_KIND_INVOICE;
}

#define INVOICE_COLUMNS \
  "i.id, i.number, i.customer_id, i.kind, i.credit_for_id, i.status, i.issued_on, i.due_on, " \
  "i.currency, i.notes, i.void_reason, i.subtotal, i.discount_total, i.tax_total, i.total, " \
  "i.paid, i.open_balance, c.code, c.name, cf.number"

static BbInvoice *
invoice_from_row (sqlite3_stmt *stmt)
{
  BbInvoice *inv = bb_invoice_new ();

#define TEXT(field, col) do { g_free (inv->field); inv->field = _bb_stmt_dup_text (stmt, col); } while (0)
  inv->id = sqlite3_column_int64 (stmt, 0);
  TEXT (number, 1);
  inv->customer_id = sqlite3_column_int64 (stmt, 2);
  inv->kind = kind_from_string ((const char *) sqlite3_column_text (stmt, 3));
  inv->credit_for_id = sqlite3_column_int64 (stmt, 4);
  bb_invoice_status_from_string ((const char *) sqlite3_column_text (stmt, 5), &inv->status);
  TEXT (issued_on, 6);
  TEXT (due_on, 7);
  TEXT (currency, 8);
  TEXT (notes, 9);
  TEXT (void_reason, 10);
  inv->subtotal = sqlite3_column_int64 (stmt, 11);
  inv->discount_total = sqlite3_column_int64 (stmt, 12);
  inv->tax_total = sqlite3_column_int64 (stmt, 13);
  inv->total = sqlite3_column_int64 (stmt, 14);
  inv->paid = sqlite3_column_int64 (stmt, 15);
  inv->open_balance = sqlite3_column_int64 (stmt, 16);
  TEXT (customer_code, 17);
  TEXT (customer_name, 18);
  TEXT (credit_for_number, 19);
#undef TEXT

  return inv;
}

static gboolean
load_lines (BbDb       *db,
            BbInvoice  *inv,
            GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT description, quantity, unit_price, discount, tax_rate, net, tax "
                         "FROM invoice_lines WHERE invoice_id = ?1 ORDER BY position",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, inv->id);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      BbInvoiceLine *line = bb_invoice_add_line (inv,
                                                 (const char *) sqlite3_column_text (stmt, 0),
                                                 sqlite3_column_int64 (stmt, 1),
                                                 sqlite3_column_int64 (stmt, 2),
                                                 sqlite3_column_int (stmt, 3),
                                                 sqlite3_column_int (stmt, 4));

      line->net = sqlite3_column_int64 (stmt, 5);
      line->tax = sqlite3_column_int64 (stmt, 6);
      bb_money_line_net (line->quantity, line->unit_price, 0, &line->gross);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

static BbInvoice *
get_where (BbDb        *db,
           const char  *sql,
           gint64       id,
           const char  *number,
           GError     **error)
{
  g_autoptr(BbInvoice) inv = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;

  if (number)
    _bb_stmt_bind_text (stmt, 1, number);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    inv = invoice_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      if (number)
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND,
                     _("There is no bill numbered “%s”"), number);
      else
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND, _("The bill no longer exists"));
      return NULL;
    }
  if (inv == NULL || !load_lines (db, inv, error))
    return NULL;

  return g_steal_pointer (&inv);
}

BbInvoice *
bb_invoices_get (BbDb     *db,
                 gint64    id,
                 GError  **error)
{
  return get_where (db,
                    "SELECT " INVOICE_COLUMNS " FROM invoices i "
                    "JOIN customers c ON c.id = i.customer_id "
                    "LEFT JOIN invoices cf ON cf.id = i.credit_for_id WHERE i.id = ?1",
                    id, NULL, error);
}

BbInvoice *
bb_invoices_get_by_number (BbDb        *db,
                           const char  *number,
                           GError     **error)
{
  g_return_val_if_fail (number != NULL, NULL);

  return get_where (db,
                    "SELECT " INVOICE_COLUMNS " FROM invoices i "
                    "JOIN customers c ON c.id = i.customer_id "
                    "LEFT JOIN invoices cf ON cf.id = i.credit_for_id WHERE i.number = ?1",
                    0, number, error);
}

/* ---- Drafts --------------------------------------------------------- */

static gboolean
validate_draft (BbDb        *db,
                BbInvoice   *inv,
                BbCustomer **customer_out,
                GError     **error)
{
  g_autoptr(BbCustomer) customer = NULL;
  GDate issued, due;

  if (inv->customer_id == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Customer: choose who the bill is for"));
      return FALSE;
    }
  customer = bb_customers_get (db, inv->customer_id, error);
  if (customer == NULL)
    return FALSE;
  if (customer->erased)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Customer: the personal data of this customer was erased"));
      return FALSE;
    }

  if (!bb_date_parse (inv->issued_on, _("Issued on"), &issued, error))
    return FALSE;

  if (inv->due_on && *inv->due_on)
    {
      if (!bb_date_parse (inv->due_on, _("Due on"), &due, error))
        return FALSE;
      if (g_date_compare (&due, &issued) < 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Due on: %s is before the issue date %s"), inv->due_on, inv->issued_on);
          return FALSE;
        }
    }

  if (inv->currency == NULL || bb_currency_lookup (inv->currency) == NULL)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Currency: “%s” is not a currency Billbook knows"),
                   inv->currency ? inv->currency : "");
      return FALSE;
    }

  if (!bb_text_validate (inv->notes, _("Notes"), 5000, TRUE, error))
    return FALSE;

  if (inv->lines->len > 10000)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Lines: a bill has at most 10000 lines"));
      return FALSE;
    }

  for (guint i = 0; i < inv->lines->len; i++)
    {
      BbInvoiceLine *line = g_ptr_array_index (inv->lines, i);
      g_autofree char *field = g_strdup_printf (_("Line %u, description"), i + 1);

      if (!bb_text_validate (line->description, field, 1000, TRUE, error))
        return FALSE;
      if (inv->kind != BB_INVOICE_KIND_CREDIT_NOTE && line->quantity < 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Line %u, quantity: cannot be negative; correct an issued bill with a credit note"),
                       i + 1);
          return FALSE;
        }
      if (inv->kind != BB_INVOICE_KIND_CREDIT_NOTE && line->unit_price < 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Line %u, unit price: cannot be negative on a bill; give a discount on the line, "
                         "or money back with a credit note"),
                       i + 1);
          return FALSE;
        }
    }

  if (!bb_invoice_compute_totals (inv, error))
    return FALSE;

  if (customer_out)
    *customer_out = g_steal_pointer (&customer);

  return TRUE;
}

static gboolean
save_draft_in_transaction (BbDb     *db,
                           gpointer  user_data,
                           GError  **error)
{
  BbInvoice *inv = user_data;
  g_autoptr(BbCustomer) customer = NULL;
  g_autofree char *now = _bb_db_now_utc ();
  g_autofree char *due = NULL;
  sqlite3_stmt *stmt;

  if (!validate_draft (db, inv, &customer, error))
    return FALSE;

  if (inv->id != 0)
    {
      g_autoptr(BbInvoice) stored = bb_invoices_get (db, inv->id, error);

      if (stored == NULL)
        return FALSE;
      if (stored->status != BB_INVOICE_DRAFT && stored->status != BB_INVOICE_REVIEW)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Bill %s is issued and cannot be edited; void it or write a credit note"),
                       stored->number);
          return FALSE;
        }
    }

  /* The due date follows the customer's payment terms unless given. */
  if (inv->due_on && *inv->due_on)
    due = g_strdup (inv->due_on);
  else
    {
      GDate d;

      bb_date_parse (inv->issued_on, "", &d, NULL);
      g_date_add_days (&d, (guint) customer->payment_terms_days);
      due = bb_date_to_iso (&d);
    }

  if (inv->id == 0)
    stmt = _bb_db_prepare (db,
                           "INSERT INTO invoices (customer_id, kind, credit_for_id, status, issued_on, due_on, "
                           "  currency, notes, subtotal, discount_total, tax_total, total, paid, open_balance, "
                           "  created_at, updated_at) "
                           "VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, ?11, ?12, ?12)",
                           error);
  else
    stmt = _bb_db_prepare (db,
                           "UPDATE invoices SET customer_id = ?1, kind = ?2, credit_for_id = ?3, issued_on = ?4, "
                           "  due_on = ?5, currency = ?6, notes = ?7, subtotal = ?8, discount_total = ?9, "
                           "  tax_total = ?10, total = ?11, open_balance = ?11, updated_at = ?12 "
                           "WHERE id = ?13",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, inv->customer_id);
  _bb_stmt_bind_text (stmt, 2, kind_names[inv->kind]);
  if (inv->credit_for_id)
    sqlite3_bind_int64 (stmt, 3, inv->credit_for_id);
  else
    sqlite3_bind_null (stmt, 3);
  _bb_stmt_bind_text (stmt, 4, inv->issued_on);
  _bb_stmt_bind_text (stmt, 5, due);
  _bb_stmt_bind_text (stmt, 6, inv->currency);
  _bb_stmt_bind_text (stmt, 7, inv->notes ? inv->notes : "");
  sqlite3_bind_int64 (stmt, 8, inv->subtotal);
  sqlite3_bind_int64 (stmt, 9, inv->discount_total);
  sqlite3_bind_int64 (stmt, 10, inv->tax_total);
  sqlite3_bind_int64 (stmt, 11, inv->total);
  _bb_stmt_bind_text (stmt, 12, now);
  if (inv->id != 0)
    sqlite3_bind_int64 (stmt, 13, inv->id);

  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  if (inv->id == 0)
    inv->id = sqlite3_last_insert_rowid (_bb_db_get_handle (db));

  stmt = _bb_db_prepare (db, "DELETE FROM invoice_lines WHERE invoice_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, inv->id);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  for (guint i = 0; i < inv->lines->len; i++)
    {
      BbInvoiceLine *line = g_ptr_array_index (inv->lines, i);

      stmt = _bb_db_prepare (db,
                             "INSERT INTO invoice_lines (invoice_id, position, description, quantity, "
                             "  unit_price, discount, tax_rate, net, tax) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, inv->id);
      sqlite3_bind_int (stmt, 2, (int) i + 1);
      _bb_stmt_bind_text (stmt, 3, line->description);
      sqlite3_bind_int64 (stmt, 4, line->quantity);
      sqlite3_bind_int64 (stmt, 5, line->unit_price);
      sqlite3_bind_int (stmt, 6, line->discount);
      sqlite3_bind_int (stmt, 7, line->tax_rate);
      sqlite3_bind_int64 (stmt, 8, line->net);
      sqlite3_bind_int64 (stmt, 9, line->tax);
      if (!_bb_db_step_done (db, stmt, error))
        return FALSE;
    }

  g_free (inv->due_on);
  inv->due_on = g_steal_pointer (&due);
  inv->open_balance = inv->total;

  if (!_bb_db_audit (db, "save-draft", "invoices", inv->id, "", error))
    return FALSE;

  bb_db_emit_changed (db, "invoices", inv->id);
  return TRUE;
}

/**
 * bb_invoices_save_draft:
 * @invoice: a draft or a bill in review; its id is set when new
 *
 * Checks and stores the bill with its lines and core-computed totals, in
 * one transaction. The due date, when empty, follows the customer's
 * payment terms.
 */
gboolean
bb_invoices_save_draft (BbDb        *db,
                        BbInvoice   *invoice,
                        GError     **error)
{
  gint64 old_id;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (BB_IS_INVOICE (invoice), FALSE);

  old_id = invoice->id;
  if (!bb_db_transaction (db, save_draft_in_transaction, invoice, error))
    {
      invoice->id = old_id;
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  gint64           id;
  BbInvoiceStatus  from;
  BbInvoiceStatus  to;
} StatusChange;

static gboolean
set_status_in_transaction (BbDb     *db,
                           gpointer  user_data,
                           GError  **error)
{
  StatusChange *change = user_data;
  gint64 id = change->id;
  BbInvoiceStatus from = change->from;
  BbInvoiceStatus to = change->to;
  sqlite3_stmt *stmt;

  stmt = _bb_db_prepare (db, "UPDATE invoices SET status = ?3, updated_at = ?4 WHERE id = ?1 AND status = ?2", error);
  if (stmt == NULL)
    return FALSE;

  {
    g_autofree char *now = _bb_db_now_utc ();

    sqlite3_bind_int64 (stmt, 1, id);
    _bb_stmt_bind_text (stmt, 2, bb_invoice_status_to_string (from));
    _bb_stmt_bind_text (stmt, 3, bb_invoice_status_to_string (to));
    _bb_stmt_bind_text (stmt, 4, now);
  }
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  if (sqlite3_changes (_bb_db_get_handle (db)) == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("The bill is not %s any more"), bb_invoice_status_label (from));
      return FALSE;
    }

  bb_db_emit_changed (db, "invoices", id);
  return _bb_db_audit (db, bb_invoice_status_to_string (to), "invoices", id, "", error);
}

/* The change of state and its audit row: one transaction. */
static gboolean
set_status (BbDb            *db,
            gint64           id,
            BbInvoiceStatus  from,
            BbInvoiceStatus  to,
            GError         **error)
{
  StatusChange change = { id, from, to };

  return bb_db_transaction (db, set_status_in_transaction, &change, error);
}

gboolean
bb_invoices_submit (BbDb     *db,
                    gint64    id,
                    GError  **error)
{
  return set_status (db, id, BB_INVOICE_DRAFT, BB_INVOICE_REVIEW, error);
}

gboolean
bb_invoices_return_to_draft (BbDb     *db,
                             gint64    id,
                             GError  **error)
{
  return set_status (db, id, BB_INVOICE_REVIEW, BB_INVOICE_DRAFT, error);
}

gboolean
bb_invoices_delete_draft (BbDb     *db,
                          gint64    id,
                          GError  **error)
{
  sqlite3_stmt *stmt;

  if (!bb_db_begin (db, error))
    return FALSE;

  stmt = _bb_db_prepare (db, "DELETE FROM invoices WHERE id = ?1 AND status IN ('draft', 'review')", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_bb_db_step_done (db, stmt, error))
    goto fail;
  if (sqlite3_changes (_bb_db_get_handle (db)) == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Only a draft can be deleted; void an issued bill instead"));
      goto fail;
    }
  if (!_bb_db_audit (db, "delete-draft", "invoices", id, "", error) || !bb_db_commit (db, error))
    goto fail;

  bb_db_emit_changed (db, "invoices", id);
  return TRUE;

fail:
  bb_db_rollback (db);
  return FALSE;
}

static void
add_item (GPtrArray  *items,
          gboolean    ok,
          char       *text)
{
  BbReviewItem *item = g_new0 (BbReviewItem, 1);

  item->ok = ok;
  item->text = text;
  g_ptr_array_add (items, item);
}

/**
 * bb_invoices_review:
 *
 * The checklist shown before issuing: customer details complete, at least
 * one line with an amount, due date not before issue date, and the
 * totals.
 *
 * Returns: (transfer full) (element-type BbReviewItem): the checks
 */
GPtrArray *
bb_invoices_review (BbDb     *db,
                    gint64    id,
                    GError  **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_review_item_free);
  g_autoptr(BbInvoice) inv = bb_invoices_get (db, id, error);
  g_autoptr(BbCustomer) customer = NULL;
  const BbCurrency *currency;
  gboolean any_amount = FALSE;

  if (inv == NULL)
    return NULL;
  customer = bb_customers_get (db, inv->customer_id, error);
  if (customer == NULL)
    return NULL;
  currency = bb_currency_lookup (inv->currency);

  if (*customer->address == '\0')
    add_item (items, FALSE, g_strdup_printf (_("%s has no address; add it to the customer"), customer->name));
  else if (*customer->phone == '\0' && *customer->email == '\0')
    add_item (items, FALSE, g_strdup_printf (_("%s has no phone or email; add one to the customer"), customer->name));
  else
    add_item (items, TRUE, g_strdup_printf (_("Customer details are complete: %s"), customer->name));

  for (guint i = 0; i < inv->lines->len; i++)
    if (((BbInvoiceLine *) g_ptr_array_index (inv->lines, i))->net != 0)
      any_amount = TRUE;
  add_item (items, any_amount,
            g_strdup (any_amount ? _("The bill has lines with amounts")
                                 : _("The bill needs at least one line with an amount")));

  if (g_strcmp0 (inv->due_on, inv->issued_on) >= 0)
    add_item (items, TRUE, g_strdup_printf (_("Due on %s, issued on %s"), inv->due_on, inv->issued_on));
  else
    add_item (items, FALSE, g_strdup_printf (_("The due date %s is before the issue date %s"),
                                             inv->due_on, inv->issued_on));

  {
    g_autofree char *subtotal = bb_money_format (inv->subtotal, currency);
    g_autofree char *discount = bb_money_format (inv->discount_total, currency);
    g_autofree char *tax = bb_money_format (inv->tax_total, currency);
    g_autofree char *total = bb_money_format (inv->total, currency);

    add_item (items, TRUE,
              g_strdup_printf (_("Subtotal %s, discount %s, tax %s, total %s"),
                               subtotal, discount, tax, total));
  }

  return g_steal_pointer (&items);
}

/* ---- Numbering ------------------------------------------------------ */

char *
bb_invoices_get_pattern (BbDb *db)
{
  char *pattern = bb_db_get_setting (db, "billing.number_pattern");

  return pattern ? pattern : g_strdup (BB_INVOICE_DEFAULT_PATTERN);
}

/**
 * bb_invoices_format_number:
 * @pattern: text with {year} (the issue year), {yy} (its last two
 *   digits) and {seq} or {seq:0N} (the running number of the year,
 *   zero-padded to N digits)
 *
 * Returns: (nullable): the number, or %NULL with @error set when the
 *   pattern is not valid (it must hold exactly one {seq})
 */
char *
bb_invoices_format_number (const char  *pattern,
                           int          year,
                           gint64       seq,
                           GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n_seq = 0;

  for (const char *p = pattern; *p; )
    {
      if (*p != '{')
        {
          g_string_append_c (out, *p++);
          continue;
        }

      if (g_str_has_prefix (p, "{year}"))
        {
          g_string_append_printf (out, "%04d", year);
          p += strlen ("{year}");
        }
      else if (g_str_has_prefix (p, "{yy}"))
        {
          g_string_append_printf (out, "%02d", year % 100);
          p += strlen ("{yy}");
        }
      else if (g_str_has_prefix (p, "{seq}"))
        {
          g_string_append_printf (out, "%" G_GINT64_FORMAT, seq);
          p += strlen ("{seq}");
          n_seq++;
        }
      else if (g_str_has_prefix (p, "{seq:0") && g_ascii_isdigit (p[6]) && p[7] == '}')
        {
          g_string_append_printf (out, "%0*" G_GINT64_FORMAT, p[6] - '0', seq);
          p += 8;
          n_seq++;
        }
      else
        {
          g_autofree char *quoted = bb_text_quote (pattern);

          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Number pattern: “%s” has an unknown placeholder; use {year}, {yy}, {seq} or {seq:04}"),
                       quoted);
          return NULL;
        }
    }

  if (n_seq != 1)
    {
      g_autofree char *quoted = bb_text_quote (pattern);

      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Number pattern: “%s” must contain {seq} exactly once"), quoted);
      return NULL;
    }

  if (out->len == 0 || out->len > 64 || !bb_text_validate (out->str, _("Number pattern"), 64, FALSE, error))
    {
      if (error && *error == NULL)
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                     _("Number pattern: the numbers it makes are too long"));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * bb_invoices_preview_next_number:
 * @pattern: (nullable): a pattern to try, or %NULL for the book's
 * @year: the year of issue
 *
 * The number the next bill issued in @year would get with @pattern, to
 * show beside the pattern in Preferences. Issuing may still step over a
 * number that another program took (see bb_invoices_issue()).
 *
 * Returns: (nullable): the number, or %NULL with @error set when the
 *   pattern is not valid
 */
char *
bb_invoices_preview_next_number (BbDb        *db,
                                 const char  *pattern,
                                 int          year,
                                 GError     **error)
{
  g_autofree char *own_pattern = NULL;
  g_autofree char *seq_key = g_strdup_printf ("billing.seq.%04d", year);
  g_autofree char *stored_seq = bb_db_get_setting (db, seq_key);
  gint64 seq = stored_seq ? g_ascii_strtoll (stored_seq, NULL, 10) : 0;

  if (pattern == NULL)
    pattern = own_pattern = bb_invoices_get_pattern (db);

  return bb_invoices_format_number (pattern, year, seq + 1, error);
}

gboolean
bb_invoices_set_pattern (BbDb        *db,
                         const char  *pattern,
                         GError     **error)
{
  g_autofree char *sample = bb_invoices_format_number (pattern, 2026, 1, error);

  if (sample == NULL)
    return FALSE;

  return bb_db_set_setting (db, "billing.number_pattern", pattern, error);
}

/* ---- Issue, void, credit notes -------------------------------------- */

/**
 * bb_invoices_credit_problems:
 *
 * Why issuing this bill worries: the customer would go over their credit
 * limit, or has bills overdue beyond their terms.
 *
 * Returns: (transfer full) (element-type utf8): the reasons; empty when
 *   there are none
 */
GPtrArray *
bb_invoices_credit_problems (BbDb         *db,
                             gint64        id,
                             const GDate  *today,
                             GError      **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BbInvoice) inv = bb_invoices_get (db, id, error);
  g_autoptr(BbCustomer) customer = NULL;
  g_autofree char *today_iso = bb_date_to_iso (today);
  const BbCurrency *currency;
  sqlite3_stmt *stmt;
  gint64 overdue = 0;

  if (inv == NULL || (customer = bb_customers_get (db, inv->customer_id, error)) == NULL)
    return NULL;
  currency = bb_currency_lookup (inv->currency);

  if (customer->credit_limit > 0 && inv->total > 0 &&
      customer->outstanding + inv->total > customer->credit_limit)
    {
      g_autofree char *limit = bb_money_format (customer->credit_limit, currency);
      g_autofree char *after = bb_money_format (customer->outstanding + inv->total, currency);

      g_ptr_array_add (problems,
                       g_strdup_printf (_("%s would owe %s, over their credit limit of %s"),
                                        customer->name, after, limit));
    }

  stmt = _bb_db_prepare (db,
                         "SELECT count(*) FROM invoices WHERE customer_id = ?1 AND status = 'issued' "
                         "AND open_balance > 0 AND due_on < ?2",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer->id);
  _bb_stmt_bind_text (stmt, 2, today_iso);
  if (_bb_db_step (db, stmt, error) == SQLITE_ROW)
    overdue = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (overdue > 0)
    g_ptr_array_add (problems,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%s has %u bill overdue",
                                                   "%s has %u bills overdue",
                                                   (gulong) overdue),
                                      customer->name, (guint) overdue));

  return g_steal_pointer (&problems);
}

static gboolean
issue_in_transaction (BbDb     *db,
                      gpointer  user_data,
                      GError  **error)
{
  gint64 id = *(gint64 *) user_data;
  g_autoptr(BbInvoice) inv = NULL;
  g_autoptr(GPtrArray) checklist = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *seq_key = NULL;
  g_autofree char *stored_seq = NULL;
  g_autofree char *number = NULL;
  g_autofree char *now = _bb_db_now_utc ();
  g_autoptr(GString) failed = g_string_new (NULL);
  g_autofree char *block = NULL;
  sqlite3_stmt *stmt;
  gint64 seq;
  int year;

  /* Read inside the write transaction: nobody else issues meanwhile. */
  inv = bb_invoices_get (db, id, error);
  if (inv == NULL)
    return FALSE;

  if (inv->status != BB_INVOICE_REVIEW)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   inv->status == BB_INVOICE_DRAFT
                   ? _("Submit the bill for review before issuing it")
                   : _("The bill is already issued"));
      return FALSE;
    }

  checklist = bb_invoices_review (db, id, error);
  if (checklist == NULL)
    return FALSE;
  for (guint i = 0; i < checklist->len; i++)
    {
      BbReviewItem *item = g_ptr_array_index (checklist, i);

      if (!item->ok)
        g_string_append_printf (failed, "%s%s", failed->len ? "\n" : "", item->text);
    }
  if (failed->len > 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, "%s", failed->str);
      return FALSE;
    }

  block = bb_db_get_setting (db, "billing.credit_block");
  if (g_strcmp0 (block, "1") == 0)
    {
      g_autoptr(GPtrArray) problems = NULL;
      GDate today;

      bb_date_set_today (&today);
      problems = bb_invoices_credit_problems (db, id, &today, error);
      if (problems == NULL)
        return FALSE;
      if (problems->len > 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, "%s",
                       (const char *) g_ptr_array_index (problems, 0));
          return FALSE;
        }
    }

  year = (int) g_ascii_strtoll (inv->issued_on, NULL, 10);
  seq_key = g_strdup_printf ("billing.seq.%04d", year);
  stored_seq = bb_db_get_setting (db, seq_key);
  seq = stored_seq ? g_ascii_strtoll (stored_seq, NULL, 10) : 0;
  pattern = bb_invoices_get_pattern (db);

  /* The next number of the year; a number already taken (imported from
   * another program) is stepped over, never reused. */
  for (;;)
    {
      g_autoptr(BbInvoice) existing = NULL;

      seq++;
      g_free (number);
      number = bb_invoices_format_number (pattern, year, seq, error);
      if (number == NULL)
        return FALSE;

      existing = bb_invoices_get_by_number (db, number, NULL);
      if (existing == NULL)
        break;
    }

  {
    g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

    if (!bb_db_set_setting (db, seq_key, seq_text, error))
      return FALSE;
  }

  stmt = _bb_db_prepare (db,
                         "UPDATE invoices SET number = ?2, status = 'issued', updated_at = ?3 "
                         "WHERE id = ?1 AND status = 'review'",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  _bb_stmt_bind_text (stmt, 2, number);
  _bb_stmt_bind_text (stmt, 3, now);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  if (!_bb_customers_refresh_summary (db, inv->customer_id, error) ||
      !_bb_db_audit (db, "issue", "invoices", id, number, error))
    return FALSE;

  bb_db_emit_changed (db, "invoices", id);
  return TRUE;
}

/**
 * bb_invoices_issue:
 *
 * Issues a bill in review: checks the review list (and, when the
 * "billing.credit_block" setting is on, credit), gives it the next number
 * of its year and freezes it, all in one write transaction.
 */
gboolean
bb_invoices_issue (BbDb     *db,
                   gint64    id,
                   GError  **error)
{
  return bb_db_transaction (db, issue_in_transaction, &id, error);
}

typedef struct
{
  gint64      id;
  const char *reason;
} VoidData;

static gboolean
void_in_transaction (BbDb     *db,
                     gpointer  user_data,
                     GError  **error)
{
  VoidData *data = user_data;
  g_autoptr(BbInvoice) inv = bb_invoices_get (db, data->id, error);
  g_autofree char *reason = bb_text_strip (data->reason);
  g_autofree char *now = _bb_db_now_utc ();
  sqlite3_stmt *stmt;

  if (inv == NULL)
    return FALSE;

  if (inv->status != BB_INVOICE_ISSUED)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Only an issued bill can be voided; a draft is simply deleted"));
      return FALSE;
    }
  if (!bb_text_validate (reason, _("Reason"), 500, TRUE, error))
    return FALSE;
  if (*reason == '\0')
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Reason: say why the bill is voided"));
      return FALSE;
    }
  if (inv->paid != 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Bill %s has payments; refund or move them before voiding it, or write a credit note"),
                   inv->number);
      return FALSE;
    }

  stmt = _bb_db_prepare (db,
                         "UPDATE invoices SET status = 'void', void_reason = ?2, open_balance = 0, updated_at = ?3 "
                         "WHERE id = ?1 AND status = 'issued'",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->id);
  _bb_stmt_bind_text (stmt, 2, reason);
  _bb_stmt_bind_text (stmt, 3, now);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  if (!_bb_customers_refresh_summary (db, inv->customer_id, error) ||
      !_bb_db_audit (db, "void", "invoices", data->id, reason, error))
    return FALSE;

  bb_db_emit_changed (db, "invoices", data->id);
  return TRUE;
}

gboolean
bb_invoices_void (BbDb        *db,
                  gint64       id,
                  const char  *reason,
                  GError     **error)
{
  VoidData data = { id, reason };

  return bb_db_transaction (db, void_in_transaction, &data, error);
}

static BbInvoice *
copy_as_draft (BbInvoice *source,
               gboolean   negate)
{
  BbInvoice *copy = bb_invoice_new ();

  copy->customer_id = source->customer_id;
  g_free (copy->currency);
  copy->currency = g_strdup (source->currency);

  for (guint i = 0; i < source->lines->len; i++)
    {
      BbInvoiceLine *line = g_ptr_array_index (source->lines, i);

      bb_invoice_add_line (copy, line->description, line->quantity,
                           negate ? -line->unit_price : line->unit_price,
                           line->discount, line->tax_rate);
    }

  return copy;
}

/**
 * bb_invoices_create_credit_note:
 *
 * Starts a credit note for an issued bill: a draft with the bill's lines
 * at negative prices, referring to it. Edit it down to what is credited,
 * then issue it like a bill.
 */
BbInvoice *
bb_invoices_create_credit_note (BbDb     *db,
                                gint64    id,
                                GError  **error)
{
  g_autoptr(BbInvoice) source = bb_invoices_get (db, id, error);
  g_autoptr(BbInvoice) note = NULL;
  g_autofree char *text = NULL;

  if (source == NULL)
    return NULL;

  if (source->status != BB_INVOICE_ISSUED || source->kind == BB_INVOICE_KIND_CREDIT_NOTE)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("A credit note corrects an issued bill"));
      return NULL;
    }

  note = copy_as_draft (source, TRUE);
  note->kind = BB_INVOICE_KIND_CREDIT_NOTE;
  note->credit_for_id = source->id;
  text = g_strdup_printf (_("Credit note for bill %s"), source->number);
  g_free (note->notes);
  note->notes = g_steal_pointer (&text);
  g_free (note->due_on);
  note->due_on = g_strdup (note->issued_on);

  if (!bb_invoices_save_draft (db, note, error))
    return NULL;

  return g_steal_pointer (&note);
}

/**
 * bb_invoices_duplicate:
 *
 * A new draft with the same customer and lines, dated @today.
 */
BbInvoice *
bb_invoices_duplicate (BbDb         *db,
                       gint64        id,
                       const GDate  *today,
                       GError      **error)
{
  g_autoptr(BbInvoice) source = bb_invoices_get (db, id, error);
  g_autoptr(BbInvoice) copy = NULL;

  if (source == NULL)
    return NULL;

  copy = copy_as_draft (source, FALSE);
  copy->kind = source->kind == BB_INVOICE_KIND_CREDIT_NOTE ? BB_INVOICE_KIND_INVOICE : source->kind;
  if (source->kind == BB_INVOICE_KIND_CREDIT_NOTE)
    for (guint i = 0; i < copy->lines->len; i++)
      ((BbInvoiceLine *) g_ptr_array_index (copy->lines, i))->unit_price *= -1;
  g_free (copy->notes);
  copy->notes = g_strdup (source->notes);
  g_free (copy->issued_on);
  copy->issued_on = bb_date_to_iso (today);

  if (!bb_invoices_save_draft (db, copy, error))
    return NULL;

  return g_steal_pointer (&copy);
}

/* ---- The bills list: search, filter and sort in SQL ------------------ */

void
bb_invoice_query_clear (BbInvoiceQuery *query)
{
  g_clear_pointer (&query->text, g_free);
  g_clear_pointer (&query->today, g_free);
  g_clear_pointer (&query->from, g_free);
  g_clear_pointer (&query->to, g_free);
}

static const char * const sort_keys[] = {
  [BB_INVOICE_SORT_ISSUED] = "i.issued_on",
  [BB_INVOICE_SORT_NUMBER] = "coalesce(i.number, '')",
  [BB_INVOICE_SORT_CUSTOMER] = "c.name COLLATE NOCASE",
  [BB_INVOICE_SORT_DUE] = "i.due_on",
  [BB_INVOICE_SORT_TOTAL] = "i.total",
  [BB_INVOICE_SORT_BALANCE] = "i.open_balance",
  [BB_INVOICE_SORT_STATUS] = "i.status",
};

static const char *
sort_key (const BbInvoiceQuery *query)
{
  return sort_keys[CLAMP ((int) query->sort, 0, (int) G_N_ELEMENTS (sort_keys) - 1)];
}

/* Whether the query reads the customer's row: to search by name, code
 * or phone, or to sort by name. */
static gboolean
query_needs_customer (const BbInvoiceQuery *query)
{
  return (query->text && *query->text) || query->sort == BB_INVOICE_SORT_CUSTOMER;
}

/* Only constant SQL fragments are joined here; every value is bound.
 *
 * The customer is joined only when the query needs it: every bill has
 * one (a foreign key), so the join selects the same bills, but counting
 * or skipping a million of them through it reads a customer row for
 * each. The bill a credit note is for is never needed to select. */
static void
append_invoice_where (GString              *sql,
                      const BbInvoiceQuery *query)
{
  if (query_needs_customer (query))
    g_string_append (sql, " FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE 1");
  else
    g_string_append (sql, " FROM invoices i WHERE 1");
  if (query->status >= 0)
    g_string_append (sql, " AND i.status = :status");
  if (query->overdue_only)
    g_string_append (sql, " AND i.status = 'issued' AND i.open_balance > 0 AND i.due_on < :today");
  if (query->from && *query->from)
    g_string_append (sql, " AND i.issued_on >= :from");
  if (query->to && *query->to)
    g_string_append (sql, " AND i.issued_on <= :to");
  if (query->customer_id)
    g_string_append (sql, " AND i.customer_id = :customer");
  if (query->text && *query->text)
    g_string_append (sql, " AND (i.number LIKE :text ESCAPE '\\' OR c.search_text LIKE :text ESCAPE '\\')");
}

static void
bind_invoice_where (sqlite3_stmt         *stmt,
                    const BbInvoiceQuery *query)
{
  int i;

  if ((i = sqlite3_bind_parameter_index (stmt, ":status")) > 0)
    sqlite3_bind_text (stmt, i, bb_invoice_status_to_string (query->status), -1, SQLITE_STATIC);
  if ((i = sqlite3_bind_parameter_index (stmt, ":today")) > 0)
    {
      g_autofree char *today = NULL;

      if (query->today == NULL)
        {
          GDate d;

          bb_date_set_today (&d);
          today = bb_date_to_iso (&d);
        }
      sqlite3_bind_text (stmt, i, query->today ? query->today : today, -1, SQLITE_TRANSIENT);
    }
  if ((i = sqlite3_bind_parameter_index (stmt, ":from")) > 0)
    sqlite3_bind_text (stmt, i, query->from, -1, SQLITE_TRANSIENT);
  if ((i = sqlite3_bind_parameter_index (stmt, ":to")) > 0)
    sqlite3_bind_text (stmt, i, query->to, -1, SQLITE_TRANSIENT);
  if ((i = sqlite3_bind_parameter_index (stmt, ":customer")) > 0)
    sqlite3_bind_int64 (stmt, i, query->customer_id);
  if ((i = sqlite3_bind_parameter_index (stmt, ":text")) > 0)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (query->text));
      g_autofree char *lower = g_utf8_strdown (trimmed, -1);
      GString *pattern = g_string_new ("%");

      for (const char *p = lower; *p; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (pattern, '\\');
          g_string_append_c (pattern, *p);
        }
      g_string_append_c (pattern, '%');
      sqlite3_bind_text (stmt, i, pattern->str, -1, SQLITE_TRANSIENT);
      g_string_free (pattern, TRUE);
    }
}

gint64
bb_invoices_count (BbDb                  *db,
                   const BbInvoiceQuery  *query,
                   GError               **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*)");
  sqlite3_stmt *stmt;
  gint64 n = -1;

  append_invoice_where (sql, query);
  stmt = _bb_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return -1;

  bind_invoice_where (stmt, query);
  if (_bb_db_step (db, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return n;
}

/**
 * bb_invoices_search:
 *
 * Returns: (transfer full) (element-type BbInvoice): one page of the bills
 *   @query selects, in its order, without their lines
 */
GPtrArray *
bb_invoices_search (BbDb                  *db,
                    const BbInvoiceQuery  *query,
                    guint                  offset,
                    guint                  limit,
                    GError               **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " INVOICE_COLUMNS " FROM invoices i "
                                         "JOIN customers c ON c.id = i.customer_id "
                                         "LEFT JOIN invoices cf ON cf.id = i.credit_for_id "
                                         "WHERE i.id IN (SELECT i.id");
  g_autoptr(GString) order = g_string_new (" ORDER BY ");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  const char *dir = query->descending ? " DESC" : "";
  sqlite3_stmt *stmt;
  int rc;

  g_string_append (order, sort_key (query));
  g_string_append (order, dir);
  g_string_append (order, ", i.id");
  g_string_append (order, dir);

  /* The page's bills are chosen first by their ids alone, then read
   * whole: skipping to a page far down the list (scrolling) then walks
   * an index, not the rows of every bill before it. */
  append_invoice_where (sql, query);
  g_string_append (sql, order->str);
  g_string_append (sql, " LIMIT :limit OFFSET :offset)");
  g_string_append (sql, order->str);

  stmt = _bb_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;

  bind_invoice_where (stmt, query);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), limit);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"), offset);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (rows, invoice_from_row (stmt));
  sqlite3_reset (stmt);

  return rc < 0 ? NULL : g_steal_pointer (&rows);
}

/**
 * bb_invoices_position:
 *
 * Returns: how many of the bills @query selects sort before bill @id, or
 *   -1 when it does not exist (or on error)
 */
gint64
bb_invoices_position (BbDb                  *db,
                      const BbInvoiceQuery  *query,
                      gint64                 id,
                      GError               **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*)");
  const char *key = sort_key (query);
  sqlite3_stmt *stmt;
  gint64 n = -1;

  append_invoice_where (sql, query);
  g_string_append (sql, " AND (");
  g_string_append (sql, key);
  g_string_append (sql, ", i.id)");
  g_string_append (sql, query->descending ? " > " : " < ");
  g_string_append (sql, "(SELECT ");
  g_string_append (sql, key);
  g_string_append (sql, ", i.id FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = :id)");
  g_string_append (sql, " AND EXISTS (SELECT 1 FROM invoices WHERE id = :id)");

  stmt = _bb_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return -1;

  bind_invoice_where (stmt, query);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":id"), id);
  if (_bb_db_step (db, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* A bill that no longer exists counts nothing before it. */
  {
    g_autoptr(BbInvoice) exists = bb_invoices_get (db, id, NULL);

    if (exists == NULL)
      return -1;
  }

  return n;
}

/**
 * bb_invoices_payment_request:
 *
 * A short, polite request for payment to paste into WeChat or an SMS:
 * who, which bill, how much is still owed, due when, and how to pay (the
 * first lines of the "billing.payment_text" setting).
 *
 * Returns: (transfer full): the text
 */
char *
bb_invoices_payment_request (BbDb     *db,
                             gint64    id,
                             GError  **error)
{
  g_autoptr(BbInvoice) inv = bb_invoices_get (db, id, error);
  g_autoptr(BbBusiness) business = NULL;
  g_autofree char *how = NULL;
  g_autofree char *amount = NULL;
  GString *text;

  if (inv == NULL)
    return NULL;

  if (inv->status != BB_INVOICE_ISSUED)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Only an issued bill can be asked to be paid"));
      return NULL;
    }

  business = bb_business_load (db);
  how = bb_db_get_setting (db, "billing.payment_text");
  amount = bb_money_format (inv->open_balance, bb_currency_lookup (inv->currency));

  text = g_string_new (NULL);
  g_string_append_printf (text, _("Hello %s, this is a friendly reminder that bill %s of %s, for %s, is due on %s."),
                          inv->customer_name, inv->number, inv->issued_on, amount, inv->due_on);
  if (how && *how)
    g_string_append_printf (text, " %s %s", _("You can pay by:"), g_strstrip (how));
  g_string_append_printf (text, " %s", _("Thank you!"));
  if (*business->name)
    g_string_append_printf (text, " — %s", business->name);

  return g_string_free (text, FALSE);
}

/**
 * bb_invoices_get_balance_due:
 * @as_of: the day
 * @balance_due: (out): what the bill still owed at the end of @as_of
 *
 * DESIGN.md's definition, which the aging report keeps: the bill's total
 * less the allocations of payments received on or before @as_of (a
 * refund counts from its own date; credit used on the bill counts from
 * the day the money was received). A void bill owes nothing. Today's
 * balance is the bill's open_balance.
 *
 * Returns: %FALSE with @error set when the bill does not exist
 */
gboolean
bb_invoices_get_balance_due (BbDb         *db,
                             gint64        id,
                             const GDate  *as_of,
                             BbMoney      *balance_due,
                             GError      **error)
{
  g_autofree char *as_of_iso = bb_date_to_iso (as_of);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (balance_due != NULL, FALSE);

  stmt = _bb_db_prepare (db,
                         "SELECT CASE WHEN i.status = 'void' THEN 0 ELSE i.total - "
                         "  (SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a "
                         "   JOIN payments p ON p.id = a.payment_id "
                         "   WHERE a.invoice_id = i.id AND p.received_on <= ?2) END "
                         "FROM invoices i WHERE i.id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  _bb_stmt_bind_text (stmt, 2, as_of_iso);

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    *balance_due = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND, _("The bill no longer exists"));

  return rc == SQLITE_ROW;
}
