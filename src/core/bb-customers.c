/* bb-customers.c — customers in the book: save, find, archive, erase, classify
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-customers-private.h"
#include "bb-db-private.h"
#include "bb-text.h"

#define CUSTOMER_COLUMNS \
  "id, code, name, company, phone, email, address, tax_id, class, class_override, " \
  "credit_limit, payment_terms_days, tags, notes, created_at, updated_at, archived, erased, " \
  "outstanding, credit, prepaid_balance, last_payment_on"

/* Search as you type matches every word of the query. */
#define MAX_SEARCH_WORDS 5

static BbCustomer *
customer_from_row (sqlite3_stmt *stmt)
{
  BbCustomer *c = bb_customer_new ();
  const char *klass;
  const char *override;

#define TEXT(field, col) do { g_free (c->field); c->field = g_strdup ((const char *) sqlite3_column_text (stmt, col)); } while (0)
  c->id = sqlite3_column_int64 (stmt, 0);
  TEXT (code, 1);
  TEXT (name, 2);
  TEXT (company, 3);
  TEXT (phone, 4);
  TEXT (email, 5);
  TEXT (address, 6);
  TEXT (tax_id, 7);
  klass = (const char *) sqlite3_column_text (stmt, 8);
  c->klass = klass ? klass[0] : 'B';
  override = (const char *) sqlite3_column_text (stmt, 9);
  c->class_override = override ? override[0] : 0;
  c->credit_limit = sqlite3_column_int64 (stmt, 10);
  c->payment_terms_days = sqlite3_column_int (stmt, 11);
  TEXT (tags, 12);
  TEXT (notes, 13);
  TEXT (created_at, 14);
  TEXT (updated_at, 15);
  c->archived = sqlite3_column_int (stmt, 16);
  c->erased = sqlite3_column_int (stmt, 17);
  c->outstanding = sqlite3_column_int64 (stmt, 18);
  c->credit = sqlite3_column_int64 (stmt, 19);
  c->prepaid_balance = sqlite3_column_int64 (stmt, 20);
  TEXT (last_payment_on, 21);
#undef TEXT

  return c;
}

const char *
bb_customer_field_label (const char *field)
{
  static const struct { const char *field; const char *label; } labels[] = {
    { BB_CUSTOMER_FIELD_CODE, N_("Code") },
    { BB_CUSTOMER_FIELD_NAME, N_("Name") },
    { BB_CUSTOMER_FIELD_COMPANY, N_("Company") },
    { BB_CUSTOMER_FIELD_PHONE, N_("Phone") },
    { BB_CUSTOMER_FIELD_EMAIL, N_("Email") },
    { BB_CUSTOMER_FIELD_ADDRESS, N_("Address") },
    { BB_CUSTOMER_FIELD_TAX_ID, N_("Tax ID") },
    { BB_CUSTOMER_FIELD_TERMS, N_("Payment terms") },
    { BB_CUSTOMER_FIELD_TAGS, N_("Tags") },
    { BB_CUSTOMER_FIELD_NOTES, N_("Notes") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].field, field) == 0)
      return _(labels[i].label);

  return field;
}

static gboolean
code_is_taken (BbDb        *db,
               const char  *code,
               gint64       except_id,
               gboolean    *taken,
               GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* "c000001" and "C000001" would be the same code to anyone reading a bill. */
  stmt = _bb_db_prepare (db, "SELECT 1 FROM customers WHERE code = ?1 COLLATE NOCASE AND id <> ?2", error);
  if (stmt == NULL)
    return FALSE;

  _bb_stmt_bind_text (stmt, 1, code);
  sqlite3_bind_int64 (stmt, 2, except_id);
  rc = _bb_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;

  *taken = rc == SQLITE_ROW;
  return TRUE;
}

/**
 * bb_customers_validate_field:
 * @field: one of the BB_CUSTOMER_FIELD_… names
 *
 * Checks one field of @customer as the editor shows it, so a mistake is
 * marked where it was made. Messages start with the field's label.
 */
gboolean
bb_customers_validate_field (BbDb        *db,
                             BbCustomer  *customer,
                             const char  *field,
                             GError     **error)
{
  const char *label = bb_customer_field_label (field);
  g_autofree char *value = NULL;

  g_return_val_if_fail (BB_IS_CUSTOMER (customer), FALSE);

  if (g_str_equal (field, BB_CUSTOMER_FIELD_CODE))
    {
      gboolean taken = FALSE;

      value = bb_text_strip (customer->code);
      if (!bb_text_validate (value, label, 64, FALSE, error))
        return FALSE;
      if (*value == '\0')
        return TRUE;                  /* generated on save */
      if (strpbrk (value, " ,;\"'"))
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: “%s” may not contain spaces, commas, semicolons or quotes"),
                       label, value);
          return FALSE;
        }
      if (db != NULL && !code_is_taken (db, value, customer->id, &taken, error))
        return FALSE;
      if (taken)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: “%s” is already used by another customer"), label, value);
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (field, BB_CUSTOMER_FIELD_NAME))
    {
      value = bb_text_strip (customer->name);
      if (!bb_text_validate (value, label, 200, FALSE, error))
        return FALSE;
      if (*value == '\0')
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: a customer needs a name"), label);
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (field, BB_CUSTOMER_FIELD_PHONE))
    {
      value = bb_text_strip (customer->phone);
      if (!bb_text_validate (value, label, 50, FALSE, error))
        return FALSE;
      if (*value != '\0' && !bb_text_is_phone (value))
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: “%s” is not a phone number (3 to 20 digits; spaces, + - ( ) allowed)"),
                       label, value);
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (field, BB_CUSTOMER_FIELD_EMAIL))
    {
      value = bb_text_strip (customer->email);
      if (!bb_text_validate (value, label, 254, FALSE, error))
        return FALSE;
      if (*value != '\0' && !bb_text_is_email (value))
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: “%s” is not an email address"), label, value);
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (field, BB_CUSTOMER_FIELD_COMPANY))
    return bb_text_validate (customer->company, label, 200, FALSE, error);
  if (g_str_equal (field, BB_CUSTOMER_FIELD_ADDRESS))
    return bb_text_validate (customer->address, label, 1000, TRUE, error);
  if (g_str_equal (field, BB_CUSTOMER_FIELD_TAX_ID))
    return bb_text_validate (customer->tax_id, label, 50, FALSE, error);
  if (g_str_equal (field, BB_CUSTOMER_FIELD_TAGS))
    return bb_text_validate (customer->tags, label, 500, FALSE, error);
  if (g_str_equal (field, BB_CUSTOMER_FIELD_NOTES))
    return bb_text_validate (customer->notes, label, 20000, TRUE, error);

  if (g_str_equal (field, BB_CUSTOMER_FIELD_TERMS))
    {
      if (customer->payment_terms_days < 0 || customer->payment_terms_days > 3650)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: %d days is not between 0 and 3650"),
                       label, customer->payment_terms_days);
          return FALSE;
        }
      return TRUE;
    }

  g_return_val_if_reached (FALSE);
}

/**
 * bb_customers_validate:
 *
 * Checks every field; the first problem is reported, naming its field.
 */
gboolean
bb_customers_validate (BbDb        *db,
                       BbCustomer  *customer,
                       GError     **error)
{
  static const char *fields[] = {
    BB_CUSTOMER_FIELD_CODE, BB_CUSTOMER_FIELD_NAME, BB_CUSTOMER_FIELD_COMPANY,
    BB_CUSTOMER_FIELD_PHONE, BB_CUSTOMER_FIELD_EMAIL, BB_CUSTOMER_FIELD_ADDRESS,
    BB_CUSTOMER_FIELD_TAX_ID, BB_CUSTOMER_FIELD_TERMS, BB_CUSTOMER_FIELD_TAGS,
    BB_CUSTOMER_FIELD_NOTES,
  };
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!bb_customers_validate_field (db, customer, fields[i], error))
      return FALSE;

  if (customer->credit_limit < 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: the credit limit cannot be negative"), _("Credit limit"));
      return FALSE;
    }

  if (customer->class_override != 0 &&
      customer->class_override != 'A' && customer->class_override != 'B' &&
      customer->class_override != 'C')
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: must be A, B, C or automatic"), _("Class"));
      return FALSE;
    }

  g_hash_table_iter_init (&iter, customer->custom_fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!bb_text_validate (value, key, 1000, FALSE, error))
      return FALSE;

  return TRUE;
}

char *
_bb_customer_build_search_text (const char *code,
                                const char *name,
                                const char *company,
                                const char *phone,
                                const char *email,
                                const char *tags)
{
  g_autofree char *digits = bb_text_phone_digits (phone);
  g_autofree char *joined = NULL;

  /* U+001F keeps a query from matching across two fields. */
  joined = g_strjoin ("\x1f",
                      code ? code : "", name ? name : "", company ? company : "",
                      email ? email : "", tags ? tags : "", digits,
                      NULL);

  return g_utf8_strdown (joined, -1);
}

char *
_bb_customers_next_code (BbDb    *db,
                         GError **error)
{
  g_autofree char *stored = bb_db_get_setting (db, "customers.next_code");
  gint64 next = stored ? g_ascii_strtoll (stored, NULL, 10) : 1;

  if (next < 1)
    next = 1;

  for (;;)
    {
      g_autofree char *code = g_strdup_printf ("C%06" G_GINT64_FORMAT, next++);
      g_autofree char *next_text = NULL;
      gboolean taken = FALSE;

      if (!code_is_taken (db, code, 0, &taken, error))
        return NULL;
      if (taken)
        continue;

      next_text = g_strdup_printf ("%" G_GINT64_FORMAT, next);
      if (!bb_db_set_setting (db, "customers.next_code", next_text, error))
        return NULL;

      return g_steal_pointer (&code);
    }
}

static gboolean
save_custom_fields (BbDb        *db,
                    BbCustomer  *customer,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer key, value;

  stmt = _bb_db_prepare (db, "DELETE FROM customer_field_values WHERE customer_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, customer->id);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  g_hash_table_iter_init (&iter, customer->custom_fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *stripped = bb_text_strip (value);

      if (*stripped == '\0')
        continue;

      stmt = _bb_db_prepare (db,
                             "INSERT INTO customer_field_values (customer_id, field_id, value) "
                             "SELECT ?1, id, ?3 FROM customer_fields WHERE name = ?2",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, customer->id);
      _bb_stmt_bind_text (stmt, 2, key);
      _bb_stmt_bind_text (stmt, 3, stripped);
      if (!_bb_db_step_done (db, stmt, error))
        return FALSE;

      if (sqlite3_changes (_bb_db_get_handle (db)) == 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("%s: there is no such custom field; add it in Preferences first"),
                       (const char *) key);
          return FALSE;
        }
    }

  return TRUE;
}

static char *
describe_changes (BbCustomer *before,
                  BbCustomer *after)
{
  GString *s = g_string_new (NULL);

#define CMP(field) \
  if (g_strcmp0 (before->field, after->field) != 0) \
    g_string_append_printf (s, "%s%s", s->len ? "," : "", #field)
  CMP (code);
  CMP (name);
  CMP (company);
  CMP (phone);
  CMP (email);
  CMP (address);
  CMP (tax_id);
  CMP (tags);
  CMP (notes);
#undef CMP
  if (before->credit_limit != after->credit_limit)
    g_string_append_printf (s, "%scredit_limit", s->len ? "," : "");
  if (before->payment_terms_days != after->payment_terms_days)
    g_string_append_printf (s, "%spayment_terms_days", s->len ? "," : "");
  if (before->class_override != after->class_override)
    g_string_append_printf (s, "%sclass", s->len ? "," : "");

  return g_string_free (s, FALSE);
}

static gboolean
save_in_transaction (BbDb     *db,
                     gpointer  user_data,
                     GError  **error)
{
  BbCustomer *customer = user_data;
  g_autoptr(BbCustomer) before = NULL;
  g_autofree char *now = _bb_db_now_utc ();
  g_autofree char *code = bb_text_strip (customer->code);
  g_autofree char *name = bb_text_strip (customer->name);
  g_autofree char *company = bb_text_strip (customer->company);
  g_autofree char *phone = bb_text_strip (customer->phone);
  g_autofree char *email = bb_text_strip (customer->email);
  g_autofree char *address = bb_text_strip (customer->address);
  g_autofree char *tax_id = bb_text_strip (customer->tax_id);
  g_autofree char *tags = bb_customer_normalize_tags (customer->tags);
  g_autofree char *notes = g_strdup (customer->notes ? customer->notes : "");
  g_autofree char *search_text = NULL;
  g_autofree char *detail = NULL;
  char override[2] = { customer->class_override, 0 };
  sqlite3_stmt *stmt;
  GDate today;

  if (customer->id != 0)
    {
      before = bb_customers_get (db, customer->id, error);
      if (before == NULL)
        return FALSE;
      if (before->erased)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("The personal data of this customer was erased; it cannot be edited"));
          return FALSE;
        }
    }

  if (*code == '\0')
    {
      g_free (code);
      code = _bb_customers_next_code (db, error);
      if (code == NULL)
        return FALSE;
    }

  /* The caller's record gets the code it was saved under. */
  g_free (customer->code);
  customer->code = g_strdup (code);

  search_text = _bb_customer_build_search_text (code, name, company, phone, email, tags);

  if (customer->id == 0)
    stmt = _bb_db_prepare (db,
                           "INSERT INTO customers (code, name, company, phone, email, address, tax_id, "
                           "  class_override, credit_limit, payment_terms_days, tags, notes, "
                           "  search_text, created_at, updated_at, reviewed_on) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, date('now', 'localtime'))",
                           error);
  else
    stmt = _bb_db_prepare (db,
                           "UPDATE customers SET code = ?1, name = ?2, company = ?3, phone = ?4, "
                           "  email = ?5, address = ?6, tax_id = ?7, class_override = ?8, "
                           "  credit_limit = ?9, payment_terms_days = ?10, tags = ?11, notes = ?12, "
                           "  search_text = ?13, updated_at = ?14, reviewed_on = date('now', 'localtime') "
                           "WHERE id = ?15",
                           error);
  if (stmt == NULL)
    return FALSE;

  _bb_stmt_bind_text (stmt, 1, code);
  _bb_stmt_bind_text (stmt, 2, name);
  _bb_stmt_bind_text (stmt, 3, company);
  _bb_stmt_bind_text (stmt, 4, phone);
  _bb_stmt_bind_text (stmt, 5, email);
  _bb_stmt_bind_text (stmt, 6, address);
  _bb_stmt_bind_text (stmt, 7, tax_id);
  _bb_stmt_bind_text (stmt, 8, override[0] ? override : NULL);
  sqlite3_bind_int64 (stmt, 9, customer->credit_limit);
  sqlite3_bind_int (stmt, 10, customer->payment_terms_days);
  _bb_stmt_bind_text (stmt, 11, tags);
  _bb_stmt_bind_text (stmt, 12, notes);
  _bb_stmt_bind_text (stmt, 13, search_text);
  _bb_stmt_bind_text (stmt, 14, now);
  if (customer->id != 0)
    sqlite3_bind_int64 (stmt, 15, customer->id);

  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  if (customer->id == 0)
    customer->id = sqlite3_last_insert_rowid (_bb_db_get_handle (db));

  if (!save_custom_fields (db, customer, error))
    return FALSE;

  bb_date_set_today (&today);
  if (!bb_customers_update_class (db, customer->id, &today, error))
    return FALSE;

  if (before)
    {
      /* Compare what is stored now with what was stored: the record as
       * handed in may differ only by spaces or the spelling of tags. */
      g_autoptr(BbCustomer) after = bb_customer_copy (customer);

#define STORED(field) G_STMT_START { g_free (after->field); after->field = g_strdup (field); } G_STMT_END
      STORED (code);
      STORED (name);
      STORED (company);
      STORED (phone);
      STORED (email);
      STORED (address);
      STORED (tax_id);
      STORED (tags);
      STORED (notes);
#undef STORED
      detail = describe_changes (before, after);
    }
  else
    detail = g_strdup (code);
  if (!_bb_db_audit (db, before ? "update" : "create", "customers", customer->id, detail, error))
    return FALSE;

  bb_db_emit_changed (db, "customers", customer->id);

  return TRUE;
}

/**
 * bb_customers_save:
 * @customer: the record; its id is set when it is new
 *
 * Validates every field and writes the customer (and its custom field
 * values) in one transaction: all of it or nothing.
 */
gboolean
bb_customers_save (BbDb        *db,
                   BbCustomer  *customer,
                   GError     **error)
{
  gint64 old_id;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (BB_IS_CUSTOMER (customer), FALSE);

  if (!bb_customers_validate (db, customer, error))
    return FALSE;

  old_id = customer->id;
  if (!bb_db_transaction (db, save_in_transaction, customer, error))
    {
      customer->id = old_id;
      return FALSE;
    }

  return TRUE;
}

static BbCustomer *
get_where (BbDb        *db,
           const char  *sql,
           gint64       id,
           const char  *code,
           GError     **error)
{
  sqlite3_stmt *stmt;
  BbCustomer *customer = NULL;
  int rc;

  stmt = _bb_db_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;

  if (code)
    _bb_stmt_bind_text (stmt, 1, code);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    customer = customer_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      if (code)
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND,
                     _("There is no customer with the code “%s”"), code);
      else
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND,
                     _("The customer no longer exists"));
      return NULL;
    }
  if (customer == NULL)
    return NULL;

  /* Custom field values. */
  stmt = _bb_db_prepare (db,
                         "SELECT f.name, v.value FROM customer_field_values v "
                         "JOIN customer_fields f ON f.id = v.field_id WHERE v.customer_id = ?1",
                         error);
  if (stmt == NULL)
    {
      g_object_unref (customer);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, customer->id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (customer->custom_fields,
                         _bb_stmt_dup_text (stmt, 0), _bb_stmt_dup_text (stmt, 1));
  sqlite3_reset (stmt);

  return customer;
}

BbCustomer *
bb_customers_get (BbDb     *db,
                  gint64    id,
                  GError  **error)
{
  return get_where (db, "SELECT " CUSTOMER_COLUMNS " FROM customers WHERE id = ?1", id, NULL, error);
}

BbCustomer *
bb_customers_get_by_code (BbDb        *db,
                          const char  *code,
                          GError     **error)
{
  g_return_val_if_fail (code != NULL, NULL);

  return get_where (db, "SELECT " CUSTOMER_COLUMNS " FROM customers WHERE code = ?1", 0, code, error);
}

typedef struct
{
  gint64   id;
  gboolean archived;
} ArchiveData;

static gboolean
archive_in_transaction (BbDb     *db,
                        gpointer  user_data,
                        GError  **error)
{
  ArchiveData *data = user_data;
  g_autofree char *now = _bb_db_now_utc ();
  sqlite3_stmt *stmt;

  /* An erased customer stays archived: there is nobody to show. */
  stmt = _bb_db_prepare (db, "UPDATE customers SET archived = ?2, updated_at = ?3 "
                             "WHERE id = ?1 AND (erased = 0 OR ?2 = 1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->id);
  sqlite3_bind_int (stmt, 2, data->archived);
  _bb_stmt_bind_text (stmt, 3, now);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  if (sqlite3_changes (_bb_db_get_handle (db)) == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND,
                   _("The customer no longer exists or their personal data was erased"));
      return FALSE;
    }

  if (!_bb_db_audit (db, data->archived ? "archive" : "unarchive", "customers", data->id, "", error))
    return FALSE;

  bb_db_emit_changed (db, "customers", data->id);
  return TRUE;
}

/**
 * bb_customers_set_archived:
 *
 * Archives a customer (hidden from the list unless asked; bills and
 * payments stay) or brings one back. Written to the audit log.
 */
gboolean
bb_customers_set_archived (BbDb      *db,
                           gint64     id,
                           gboolean   archived,
                           GError   **error)
{
  ArchiveData data = { id, !!archived };

  return bb_db_transaction (db, archive_in_transaction, &data, error);
}

static gboolean
erase_in_transaction (BbDb     *db,
                      gpointer  user_data,
                      GError  **error)
{
  gint64 id = *(gint64 *) user_data;
  g_autoptr(BbCustomer) customer = NULL;
  g_autofree char *now = _bb_db_now_utc ();
  g_autofree char *search_text = NULL;
  sqlite3_stmt *stmt;

  customer = bb_customers_get (db, id, error);
  if (customer == NULL)
    return FALSE;

  search_text = _bb_customer_build_search_text (customer->code, NULL, NULL, NULL, NULL, NULL);

  /* Money history stays, under the code alone, so totals still add up. */
  stmt = _bb_db_prepare (db,
                         "UPDATE customers SET name = ?2, company = '', phone = '', email = '', "
                         "  address = '', tax_id = '', tags = '', notes = '', search_text = ?3, "
                         "  erased = 1, archived = 1, updated_at = ?4 "
                         "WHERE id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  _bb_stmt_bind_text (stmt, 2, _("Erased customer"));
  _bb_stmt_bind_text (stmt, 3, search_text);
  _bb_stmt_bind_text (stmt, 4, now);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  stmt = _bb_db_prepare (db, "DELETE FROM customer_field_values WHERE customer_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  stmt = _bb_db_prepare (db, "DELETE FROM interactions WHERE customer_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  if (!_bb_db_audit (db, "erase", "customers", id, customer->code, error))
    return FALSE;

  bb_db_emit_changed (db, "customers", id);
  bb_db_emit_changed (db, "interactions", 0);
  return TRUE;
}

/**
 * bb_customers_erase:
 *
 * Erases a customer's personal data: name, contact details, notes, tags,
 * custom field values and interactions. Bills and payments stay, under
 * the customer's code, so the books still add up. Cannot be undone.
 */
gboolean
bb_customers_erase (BbDb     *db,
                    gint64    id,
                    GError  **error)
{
  return bb_db_transaction (db, erase_in_transaction, &id, error);
}

/* ---- Search, sort and filter, all in SQL ---------------------------- */

typedef struct
{
  const char *keys[2];   /* sort key expressions; the row id breaks ties */
} SortSpec;

static const SortSpec sort_specs[] = {
  [BB_CUSTOMER_SORT_NAME] = { { "name COLLATE NOCASE", NULL } },
  [BB_CUSTOMER_SORT_PHONE] = { { "phone", NULL } },
  [BB_CUSTOMER_SORT_CLASS] = { { "class", "name COLLATE NOCASE" } },
  [BB_CUSTOMER_SORT_OUTSTANDING] = { { "outstanding", NULL } },
  [BB_CUSTOMER_SORT_PREPAID] = { { "prepaid_balance", NULL } },
  [BB_CUSTOMER_SORT_LAST_PAYMENT] = { { "coalesce(last_payment_on, '')", NULL } },
  [BB_CUSTOMER_SORT_CODE] = { { "code", NULL } },
};

static char *
like_escape (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }

  return g_string_free (s, FALSE);
}

static char *
like_pattern (const char *text)
{
  g_autofree char *escaped = like_escape (text);

  return g_strconcat ("%", escaped, "%", NULL);
}

/* Splits the query into lower-cased words. A word of phone-number
 * characters ("138-0013") is searched by its digits. */
static GStrv
query_words (const BbCustomerQuery *query)
{
  g_autofree char *lower = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  if (query->text == NULL)
    return g_strv_builder_end (builder);

  lower = g_utf8_strdown (query->text, -1);
  /* g_strsplit_set() splits on bytes, and the bytes of the ideographic
   * space (U+3000) occur inside other characters (一 is E4 B8 80): make
   * it an ASCII space first. */
  {
    GString *spaced = g_string_new (lower);

    g_string_replace (spaced, "\u3000", " ", 0);
    g_free (lower);
    lower = g_string_free (spaced, FALSE);
  }
  parts = g_strsplit_set (lower, " \t\n\x1f", -1);

  for (guint i = 0; parts[i] && n < MAX_SEARCH_WORDS; i++)
    {
      if (*parts[i] == '\0')
        continue;

      if (bb_text_is_phone (parts[i]) && strpbrk (parts[i], "+-()."))
        {
          g_autofree char *digits = bb_text_phone_digits (parts[i]);

          g_strv_builder_add (builder, digits);
        }
      else
        g_strv_builder_add (builder, parts[i]);
      n++;
    }

  return g_strv_builder_end (builder);
}

/* ---- Search as you type --------------------------------------------
 *
 * Every word of the query must occur somewhere in a customer's search
 * text (name, company, phone digits, email, code, tags, lower-cased):
 * anywhere, not only at the start of a word, because a shop owner types
 * the last four digits of a mobile or the given name 小明 of 王小明.
 *
 * Reading every customer's text for each keystroke takes 10–15 ms at
 * 100,000 customers however it is written, and a keystroke needs a
 * count and a page; so the words go to an index where they can.
 * customers_fts (schema version 5) holds the trigrams of the search text
 * of every customer not archived:
 *
 * - a word of three or more characters is the phrase of its trigrams,
 *   which matches exactly the texts that contain it;
 * - a word of one or two characters (三, 小明, 13) is found by the
 *   trigrams that begin with it: each text ends in two separators, so
 *   every character begins one. customers_fts_terms lists them, and the
 *   word is any of them;
 * - a single ASCII letter or digit is in most customers, and listing the
 *   trigrams that begin with it costs more than reading every text: it
 *   is matched by LIKE (alone, it is counted from customers_chars, which
 *   triggers keep, schema version 7), as is a word that begins more than MAX_TERMS
 *   trigrams or none (the index folds case its own way; LIKE then says
 *   whether the word really is nowhere), and every word when archived
 *   customers are shown (the index leaves them out).
 *
 * A page in name order is then read one of two ways. When the index
 * finds few customers, their names are read by customers_by_id and
 * sorted; when it finds many, the list is walked in its order until a
 * page of them is found, which for many matches is soon, testing the
 * search text held in the index customers_search (LIKE, the same rule).
 * A count that has words for LIKE besides those for the index tests
 * them on the few customers the index found, or else on every customer.
 */

/* A short word beginning more trigrams than this is matched by LIKE. */
#define MAX_TERMS     200
/* At most this many customers found by the index: sorted by name;
 * more, and the list is walked in name order. */
#define FEW_MATCHES   8000

typedef struct
{
  GStrv  like;          /* words matched by LIKE */
  char  *match;         /* an FTS5 query for the others, or NULL */
} SearchPlan;

static void
search_plan_clear (SearchPlan *plan)
{
  g_clear_pointer (&plan->like, g_strfreev);
  g_clear_pointer (&plan->match, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SearchPlan, search_plan_clear)

/* @text as an FTS5 string, which takes any character but '"'. */
static void
append_fts_string (GString    *match,
                   const char *text)
{
  g_string_append_c (match, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *p);
    }
  g_string_append_c (match, '"');
}

/* Appends to @match the trigrams that begin with @word, as "a" OR "b";
 * FALSE when there are none or too many. */
static gboolean
append_terms (BbDb       *db,
              const char *word,
              GString    *match)
{
  g_autofree char *last = g_strconcat (word, "\xf4\x8f\xbf\xbf\xf4\x8f\xbf\xbf", NULL);  /* U+10FFFF twice */
  g_autoptr(GString) terms = g_string_new ("(");
  sqlite3_stmt *stmt;
  guint n = 0;

  stmt = _bb_db_prepare (db,
                         "SELECT term FROM customers_fts_terms WHERE term >= ?1 AND term <= ?2 AND doc > 0 "
                         "LIMIT 201",  /* MAX_TERMS + 1 */
                         NULL);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, word);
  _bb_stmt_bind_text (stmt, 2, last);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (n++ > 0)
        g_string_append (terms, " OR ");
      append_fts_string (terms, (const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);

  if (n == 0 || n > MAX_TERMS)
    return FALSE;

  g_string_append_c (terms, ')');
  g_string_append (match, terms->str);
  return TRUE;
}

G_STATIC_ASSERT (MAX_TERMS == 200);

static void
plan_search (BbDb                  *db,
             const BbCustomerQuery *query,
             SearchPlan            *plan)
{
  g_auto(GStrv) words = query_words (query);
  g_autoptr(GStrvBuilder) like = g_strv_builder_new ();
  g_autoptr(GString) match = g_string_new (NULL);

  for (guint i = 0; words[i]; i++)
    {
      const char *word = words[i];
      glong length = g_utf8_strlen (word, -1);
      gsize before = match->len;

      if (query->show_archived || (length == 1 && (guchar) word[0] < 0x80))
        {
          g_strv_builder_add (like, word);
          continue;
        }

      if (match->len > 0)
        g_string_append (match, " AND ");
      if (length >= 3)
        append_fts_string (match, word);
      else if (!append_terms (db, word, match))
        {
          g_string_truncate (match, before);
          g_strv_builder_add (like, word);
        }
    }

  plan->like = g_strv_builder_end (like);
  plan->match = match->len > 0 ? g_strdup (match->str) : NULL;
}

/* Only constant SQL fragments are joined here; every value is bound.
 * @n_like words are matched by LIKE, and with a @plan that has an
 * index query, the rest by the index. */
static void
append_where (GString               *sql,
              const BbCustomerQuery *query,
              const SearchPlan      *plan,
              guint                  n_like)
{
  static const char *word_params[MAX_SEARCH_WORDS] = {
    " AND search_text LIKE :w0 ESCAPE '\\'",
    " AND search_text LIKE :w1 ESCAPE '\\'",
    " AND search_text LIKE :w2 ESCAPE '\\'",
    " AND search_text LIKE :w3 ESCAPE '\\'",
    " AND search_text LIKE :w4 ESCAPE '\\'",
  };

  g_string_append (sql, " WHERE 1");
  if (!query->show_archived)
    g_string_append (sql, " AND archived = 0");
  if (query->klass)
    g_string_append (sql, " AND class = :class");
  if (query->tag && *query->tag)
    g_string_append (sql, " AND (',' || tags || ',') LIKE :tag ESCAPE '\\'");
  for (guint i = 0; i < n_like && i < MAX_SEARCH_WORDS; i++)
    g_string_append (sql, word_params[i]);
  if (plan && plan->match)
    g_string_append (sql, " AND id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH :match)");
}

/* @like: the words bound to :w0, :w1… */
static void
bind_where (sqlite3_stmt          *stmt,
            const BbCustomerQuery *query,
            const SearchPlan      *plan,
            GStrv                  like)
{
  static const char *names[MAX_SEARCH_WORDS] = { ":w0", ":w1", ":w2", ":w3", ":w4" };
  char klass[2] = { query->klass, 0 };
  int i;

  if ((i = sqlite3_bind_parameter_index (stmt, ":class")) > 0)
    sqlite3_bind_text (stmt, i, klass, -1, SQLITE_TRANSIENT);

  if ((i = sqlite3_bind_parameter_index (stmt, ":tag")) > 0)
    {
      /* LIKE folds ASCII letters only, so the tag is matched as stored
       * ("VIP" also finds "vip", "Élite" finds "Élite"); lower-casing
       * one side only would lose every tag with a non-ASCII capital. */
      g_autofree char *escaped = like_escape (query->tag);
      g_autofree char *pattern = g_strconcat ("%,", escaped, ",%", NULL);

      sqlite3_bind_text (stmt, i, pattern, -1, SQLITE_TRANSIENT);
    }

  for (guint w = 0; like[w] && w < MAX_SEARCH_WORDS; w++)
    if ((i = sqlite3_bind_parameter_index (stmt, names[w])) > 0)
      {
        g_autofree char *pattern = like_pattern (like[w]);

        sqlite3_bind_text (stmt, i, pattern, -1, SQLITE_TRANSIENT);
      }

  if (plan && (i = sqlite3_bind_parameter_index (stmt, ":match")) > 0)
    sqlite3_bind_text (stmt, i, plan->match, -1, SQLITE_TRANSIENT);
}

static void
append_order (GString               *sql,
              const BbCustomerQuery *query)
{
  const SortSpec *spec = &sort_specs[CLAMP (query->sort, 0, (int) G_N_ELEMENTS (sort_specs) - 1)];
  const char *dir = query->descending ? " DESC" : "";

  g_string_append (sql, " ORDER BY ");
  for (guint k = 0; k < G_N_ELEMENTS (spec->keys) && spec->keys[k]; k++)
    {
      g_string_append (sql, spec->keys[k]);
      g_string_append (sql, dir);
      g_string_append (sql, ", ");
    }
  g_string_append (sql, "id");
  g_string_append (sql, dir);
}

static gint64
count_where (BbDb                   *db,
             const char             *sql,
             const BbCustomerQuery  *query,
             const SearchPlan       *plan,
             GStrv                   like,
             GError                **error)
{
  sqlite3_stmt *stmt = _bb_db_prepare (db, sql, error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;

  bind_where (stmt, query, plan, like);
  if (_bb_db_step (db, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return n;
}

static gboolean index_finds_few (BbDb             *db,
                                 const SearchPlan *plan);

/* The last count of customers the index found, kept on the book: the
 * list counts, then asks for a page, and the page's way is chosen by
 * that count (index_finds_few()) without the index searching again. It
 * only chooses how to read: the rows are the same either way, so a count
 * from before a change does no harm. */
typedef struct
{
  char   *match;
  gint64  n;
} IndexCount;

#define INDEX_COUNT_KEY "bb-customers-index-count"

static void
index_count_free (IndexCount *memo)
{
  g_free (memo->match);
  g_free (memo);
}

static void
remember_index_count (BbDb       *db,
                      const char *match,
                      gint64      n)
{
  IndexCount *memo = g_new0 (IndexCount, 1);

  memo->match = g_strdup (match);
  memo->n = n;
  g_object_set_data_full (G_OBJECT (db), INDEX_COUNT_KEY, memo, (GDestroyNotify) index_count_free);
}

gint64
bb_customers_count (BbDb                   *db,
                    const BbCustomerQuery  *query,
                    GError                **error)
{
  g_auto(SearchPlan) plan = { 0 };
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) sql = NULL;

  plan_search (db, query, &plan);

  /* One letter or digit alone: its count is kept (schema version 7). */
  if (!query->show_archived && !query->klass && !(query->tag && *query->tag) && !plan.match &&
      plan.like[0] != NULL && plan.like[1] == NULL &&
      plan.like[0][0] != '\0' && plan.like[0][1] == '\0' && g_ascii_isalnum (plan.like[0][0]))
    {
      sqlite3_stmt *stmt = _bb_db_prepare (db, "SELECT n FROM customers_chars WHERE ch = ?1", error);
      gint64 n = -1;
      int rc;

      if (stmt == NULL)
        return -1;
      _bb_stmt_bind_text (stmt, 1, plan.like[0]);
      rc = _bb_db_step (db, stmt, error);
      if (rc == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE || n >= 0)
        return n;
      /* Not kept (a capital the query did not fold?): counted below. */
    }

  /* Only words the index answers: it alone counts. */
  if (plan.match && plan.like[0] == NULL && !query->klass && !(query->tag && *query->tag))
    {
      gint64 n = count_where (db, "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH :match",
                              query, &plan, plan.like, error);

      if (n >= 0)
        remember_index_count (db, plan.match, n);
      return n;
    }

  /* Some words the index answers, and more to test: on the few it finds
   * (by customers_by_id, which holds the search text), or else on every
   * customer, all words by LIKE. */
  if (plan.match && index_finds_few (db, &plan))
    {
      sql = g_string_new ("SELECT count(*) FROM customers INDEXED BY customers_by_id");
      append_where (sql, query, &plan, g_strv_length (plan.like));
      return count_where (db, sql->str, query, &plan, plan.like, error);
    }

  words = query_words (query);
  sql = g_string_new ("SELECT count(*) FROM customers");
  append_where (sql, query, NULL, g_strv_length (words));
  return count_where (db, sql->str, query, NULL, words, error);
}

/* Whether the index finds at most FEW_MATCHES customers for @plan. */
static gboolean
index_finds_few (BbDb             *db,
                 const SearchPlan *plan)
{
  IndexCount *memo = g_object_get_data (G_OBJECT (db), INDEX_COUNT_KEY);
  sqlite3_stmt *stmt;
  gint64 n = G_MAXINT64;

  if (memo != NULL && g_str_equal (memo->match, plan->match))
    return memo->n <= FEW_MATCHES;

  stmt = _bb_db_prepare (db,
                         "SELECT count(*) FROM (SELECT rowid FROM customers_fts "
                         "WHERE customers_fts MATCH ?1 LIMIT 8001)",  /* FEW_MATCHES + 1 */
                         NULL);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, plan->match);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return n <= FEW_MATCHES;
}

G_STATIC_ASSERT (FEW_MATCHES == 8000);

/**
 * bb_customers_search:
 *
 * Returns: (transfer full) (element-type BbCustomer): one page of the
 *   customers @query selects, in its order
 */
GPtrArray *
bb_customers_search (BbDb                   *db,
                     const BbCustomerQuery  *query,
                     guint                   offset,
                     guint                   limit,
                     GError                **error)
{
  g_auto(SearchPlan) plan = { 0 };
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT " CUSTOMER_COLUMNS " FROM customers");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  plan_search (db, query, &plan);

  if (plan.match && index_finds_few (db, &plan))
    {
      /* The page's ids from the few found, by a narrow index; then
       * their rows. (INDEXED BY: without statistics SQLite would walk
       * the whole list in name order instead.) */
      g_string_append (sql, " WHERE id IN (SELECT id FROM customers INDEXED BY customers_by_id");
      append_where (sql, query, &plan, g_strv_length (plan.like));
      append_order (sql, query);
      g_string_append (sql, " LIMIT :limit OFFSET :offset)");
      append_order (sql, query);
      words = g_strdupv (plan.like);
    }
  else
    {
      /* The list walked in its order, every word by LIKE. */
      words = query_words (query);
      append_where (sql, query, NULL, g_strv_length (words));
      append_order (sql, query);
      g_string_append (sql, " LIMIT :limit OFFSET :offset");
    }

  stmt = _bb_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;

  bind_where (stmt, query, &plan, words);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), limit);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"), offset);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (rows, customer_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc < 0)
    return NULL;

  return g_steal_pointer (&rows);
}

/**
 * bb_customers_position:
 *
 * Returns: where @customer stands among the customers @query selects
 *   (counting those that sort before it), or -1 on error
 */
gint64
bb_customers_position (BbDb                   *db,
                       const BbCustomerQuery  *query,
                       BbCustomer             *customer,
                       GError                **error)
{
  const SortSpec *spec = &sort_specs[CLAMP (query->sort, 0, (int) G_N_ELEMENTS (sort_specs) - 1)];
  g_auto(SearchPlan) plan = { 0 };
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM customers");
  g_autoptr(GString) keys = g_string_new ("(");
  sqlite3_stmt *stmt;
  gint64 n = -1;

  plan_search (db, query, &plan);

  for (guint k = 0; k < G_N_ELEMENTS (spec->keys) && spec->keys[k]; k++)
    {
      g_string_append (keys, spec->keys[k]);
      g_string_append (keys, ", ");
    }
  g_string_append (keys, "id)");

  append_where (sql, query, &plan, g_strv_length (plan.like));
  g_string_append (sql, " AND ");
  g_string_append (sql, keys->str);
  g_string_append (sql, query->descending ? " > " : " < ");
  g_string_append (sql, "(SELECT ");
  g_string_append_len (sql, keys->str + 1, keys->len - 2);
  g_string_append (sql, " FROM customers WHERE id = :id)");

  stmt = _bb_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return -1;

  bind_where (stmt, query, &plan, plan.like);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":id"), customer->id);
  if (_bb_db_step (db, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return n;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

/**
 * bb_customers_list_tags:
 *
 * Returns: (transfer full): every tag in use, sorted
 */
GStrv
bb_customers_list_tags (BbDb *db)
{
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree gpointer *sorted = NULL;
  guint n_sorted = 0;
  sqlite3_stmt *stmt;

  stmt = _bb_db_prepare (db, "SELECT DISTINCT tags FROM customers WHERE tags <> '' AND archived = 0", NULL);
  if (stmt == NULL)
    return g_strv_builder_end (builder);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_auto(GStrv) parts = g_strsplit ((const char *) sqlite3_column_text (stmt, 0), ",", -1);

      for (guint i = 0; parts[i]; i++)
        if (*parts[i])
          g_hash_table_add (tags, g_strdup (parts[i]));
    }
  sqlite3_reset (stmt);

  sorted = g_hash_table_get_keys_as_array (tags, &n_sorted);
  g_qsort_with_data (sorted, n_sorted, sizeof (gpointer), compare_strings, NULL);
  for (guint i = 0; i < n_sorted; i++)
    g_strv_builder_add (builder, sorted[i]);

  return g_strv_builder_end (builder);
}

void
bb_customer_query_clear (BbCustomerQuery *query)
{
  g_clear_pointer (&query->text, g_free);
  g_clear_pointer (&query->tag, g_free);
}

/* ---- Classification ------------------------------------------------- */

BbMoney
bb_customers_get_class_a_threshold (BbDb *db)
{
  g_autofree char *stored = bb_db_get_setting (db, "customers.class_a_threshold");
  const BbCurrency *currency;
  BbMoney threshold = 10000;

  if (stored)
    return g_ascii_strtoll (stored, NULL, 10);

  /* Default: 10,000 in the book's currency. */
  currency = bb_business_get_currency (db);
  for (guint i = 0; i < currency->digits; i++)
    threshold *= 10;

  return threshold;
}

/* The class rule, once, as an SQL expression over the customer row "c":
 * ?1 is the last day of grace (today − 7 days), ?2 the day before the 12
 * months (today − 365 days), ?3 today, ?4 the class A threshold. Both
 * bb_customers_compute_class() (one customer) and
 * bb_customers_refresh_classes() (the whole book, daily) use it. */
#define CLASS_EXPRESSION \
  "CASE " \
  "  WHEN EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id AND i.status = 'issued' " \
  "               AND i.open_balance > 0 AND i.due_on < ?1) " \
  "    OR (c.credit_limit > 0 AND c.outstanding > c.credit_limit) THEN 'C' " \
  "  WHEN (SELECT coalesce (sum (p.amount), 0) FROM payments p WHERE p.customer_id = c.id " \
  "        AND p.received_on > ?2 AND p.received_on <= ?3) >= ?4 " \
  "    AND EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id AND i.status = 'issued' " \
  "                AND i.kind = 'invoice' AND i.total > 0 AND i.due_on > ?2 AND i.due_on <= ?3) " \
  "    AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id AND i.status = 'issued' " \
  "                    AND i.kind = 'invoice' AND i.total > 0 AND i.due_on > ?2 AND i.due_on <= ?3 " \
  "                    AND (SELECT coalesce (sum (a.amount), 0) FROM payment_allocations a " \
  "                         JOIN payments p ON p.id = a.payment_id " \
  "                         WHERE a.invoice_id = i.id AND p.received_on <= i.due_on) < i.total) " \
  "    THEN 'A' " \
  "  ELSE 'B' " \
  "END"

static void
bind_class_parameters (BbDb         *db,
                       sqlite3_stmt *stmt,
                       const GDate  *today)
{
  g_autofree char *today_iso = bb_date_to_iso (today);
  g_autofree char *grace_iso = NULL;
  g_autofree char *from_iso = NULL;
  GDate d;

  d = *today;
  g_date_subtract_days (&d, 7);
  grace_iso = bb_date_to_iso (&d);
  d = *today;
  g_date_subtract_days (&d, 365);
  from_iso = bb_date_to_iso (&d);

  _bb_stmt_bind_text (stmt, 1, grace_iso);
  _bb_stmt_bind_text (stmt, 2, from_iso);
  _bb_stmt_bind_text (stmt, 3, today_iso);
  sqlite3_bind_int64 (stmt, 4, bb_customers_get_class_a_threshold (db));
}

/**
 * bb_customers_compute_class:
 * @today: the day the 12 months end
 *
 * The class from the last 12 months (the 365 days up to @today), as the
 * help states it:
 * - C: an issued bill still unpaid more than 7 days after its due date,
 *   or outstanding above the credit limit (when one is set);
 * - A: not C, paid at least the class A threshold in the period, and
 *   every bill that fell due in the period was paid in full by its due
 *   date (at least one such bill);
 * - B: everyone else.
 *
 * Returns: 'A', 'B' or 'C'; 0 on error
 */
char
bb_customers_compute_class (BbDb         *db,
                            gint64        id,
                            const GDate  *today,
                            GError      **error)
{
  sqlite3_stmt *stmt;
  char computed = 0;
  int rc;

  stmt = _bb_db_prepare (db, "SELECT " CLASS_EXPRESSION " FROM customers c WHERE c.id = ?5", error);
  if (stmt == NULL)
    return 0;

  bind_class_parameters (db, stmt, today);
  sqlite3_bind_int64 (stmt, 5, id);
  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    computed = ((const char *) sqlite3_column_text (stmt, 0))[0];
  else if (rc == SQLITE_DONE)
    g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND,
                 _("The customer no longer exists"));
  sqlite3_reset (stmt);

  return computed;
}

/**
 * bb_customers_refresh_classes:
 * @today: the day the 12 months end
 * @n_changed: (out) (optional): how many customers changed class
 *
 * Recomputes the class of every customer at once, for what time alone
 * changes: a bill becomes more than 7 days overdue, a payment drops out
 * of the 12 months. Run once a day (at start, in a thread of its own on
 * a big book); money changes recompute their customer right away.
 */
gboolean
bb_customers_refresh_classes (BbDb         *db,
                              const GDate  *today,
                              guint        *n_changed,
                              GError      **error)
{
  sqlite3_stmt *stmt;
  int changed;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  stmt = _bb_db_prepare (db,
                         "UPDATE customers AS c SET class = coalesce (c.class_override, " CLASS_EXPRESSION ") "
                         "WHERE c.class IS NOT coalesce (c.class_override, " CLASS_EXPRESSION ")",
                         error);
  if (stmt == NULL)
    return FALSE;

  bind_class_parameters (db, stmt, today);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  changed = sqlite3_changes (_bb_db_get_handle (db));
  if (changed > 0)
    bb_db_emit_changed (db, "customers", 0);
  if (n_changed)
    *n_changed = (guint) changed;

  return TRUE;
}

/**
 * bb_customers_update_class:
 *
 * Stores the class in effect: the manual one when set, else the computed
 * one. Called whenever money of the customer changes.
 */
gboolean
bb_customers_update_class (BbDb         *db,
                           gint64        id,
                           const GDate  *today,
                           GError      **error)
{
  sqlite3_stmt *stmt;
  char computed;
  char value[2] = { 0, 0 };

  computed = bb_customers_compute_class (db, id, today, error);
  if (computed == 0)
    return FALSE;
  value[0] = computed;

  stmt = _bb_db_prepare (db,
                         "UPDATE customers SET class = coalesce(class_override, ?2) "
                         "WHERE id = ?1 AND class <> coalesce(class_override, ?2)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  _bb_stmt_bind_text (stmt, 2, value);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  if (sqlite3_changes (_bb_db_get_handle (db)) > 0)
    bb_db_emit_changed (db, "customers", id);

  return TRUE;
}

/**
 * _bb_customers_refresh_summary:
 *
 * Recomputes the kept money summaries of a customer from the money rows.
 * Money modules call it in the transaction that changed the money.
 */
gboolean
_bb_customers_refresh_summary (BbDb     *db,
                               gint64    id,
                               GError  **error)
{
  sqlite3_stmt *stmt;
  GDate today;

  stmt = _bb_db_prepare (db,
                         "UPDATE customers SET "
                         "  outstanding = (SELECT coalesce(sum(open_balance), 0) FROM invoices "
                         "                 WHERE customer_id = ?1 AND status = 'issued'), "
                         "  prepaid_balance = (SELECT coalesce(sum(balance), 0) FROM prepaid_accounts "
                         "                     WHERE customer_id = ?1), "
                         "  credit = (SELECT coalesce(sum(amount), 0) FROM payments WHERE customer_id = ?1) - "
                         "           (SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a "
                         "            JOIN payments p ON p.id = a.payment_id WHERE p.customer_id = ?1), "
                         "  last_payment_on = (SELECT max(received_on) FROM payments p "
                         "                     WHERE customer_id = ?1 AND amount > 0 AND NOT EXISTS "
                         "                       (SELECT 1 FROM payments r WHERE r.reverses_id = p.id)) "
                         "WHERE id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  bb_date_set_today (&today);
  if (!bb_customers_update_class (db, id, &today, error))
    return FALSE;

  bb_db_emit_changed (db, "customers", id);
  return TRUE;
}

/* ---- Custom fields -------------------------------------------------- */

GStrv
bb_customer_fields_list (BbDb *db)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  stmt = _bb_db_prepare (db, "SELECT name FROM customer_fields ORDER BY position, id", NULL);
  if (stmt != NULL)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }

  return g_strv_builder_end (builder);
}

gboolean
bb_customer_fields_add (BbDb        *db,
                        const char  *name,
                        GError     **error)
{
  g_autofree char *stripped = bb_text_strip (name);
  sqlite3_stmt *stmt;

  if (!bb_text_validate (stripped, _("Field name"), 100, FALSE, error))
    return FALSE;
  if (*stripped == '\0')
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, _("Field name: a field needs a name"));
      return FALSE;
    }

  stmt = _bb_db_prepare (db,
                         "INSERT INTO customer_fields (name, position) "
                         "SELECT ?1, coalesce(max(position), 0) + 1 FROM customer_fields",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, stripped);

  if (!_bb_db_step_done (db, stmt, NULL))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Field name: there is already a field called “%s”"), stripped);
      return FALSE;
    }

  bb_db_emit_changed (db, "customer_fields", 0);
  return TRUE;
}

gboolean
bb_customer_fields_remove (BbDb        *db,
                           const char  *name,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _bb_db_prepare (db, "DELETE FROM customer_fields WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, name);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  bb_db_emit_changed (db, "customer_fields", 0);
  return TRUE;
}

/* ---- Interactions --------------------------------------------------- */

void
bb_interaction_free (BbInteraction *interaction)
{
  if (interaction == NULL)
    return;

  g_free (interaction->occurred_on);
  g_free (interaction->channel);
  g_free (interaction->kind);
  g_free (interaction->summary);
  g_free (interaction->outcome);
  g_free (interaction->follow_up_on);
  g_free (interaction);
}

static const char * const channels[] = { "phone", "visit", "email", "wechat", "sms", "other", NULL };
static const char * const kinds[] = { "communication", "complaint", "feedback", "follow_up", NULL };

const char *
bb_interaction_channel_label (const char *channel)
{
  static const char *labels[] = { N_("Phone"), N_("Visit"), N_("Email"), N_("WeChat"), N_("SMS"), N_("Other") };

  for (guint i = 0; channels[i]; i++)
    if (g_strcmp0 (channels[i], channel) == 0)
      return _(labels[i]);

  return channel;
}

const char *
bb_interaction_kind_label (const char *kind)
{
  static const char *labels[] = { N_("Communication"), N_("Complaint"), N_("Feedback"), N_("Follow-up") };

  for (guint i = 0; kinds[i]; i++)
    if (g_strcmp0 (kinds[i], kind) == 0)
      return _(labels[i]);

  return kind;
}

gboolean
bb_interactions_add (BbDb           *db,
                     BbInteraction  *interaction,
                     GError        **error)
{
  g_autofree char *now = _bb_db_now_utc ();
  sqlite3_stmt *stmt;
  GDate occurred, follow_up;

  if (!bb_date_parse (interaction->occurred_on, _("Date"), &occurred, error))
    return FALSE;
  if (!g_strv_contains (channels, interaction->channel ? interaction->channel : ""))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Channel: “%s” is not one of phone, visit, email, WeChat, SMS or other"),
                   interaction->channel ? interaction->channel : "");
      return FALSE;
    }
  if (!g_strv_contains (kinds, interaction->kind ? interaction->kind : ""))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Kind: “%s” is not one of communication, complaint, feedback or follow-up"),
                   interaction->kind ? interaction->kind : "");
      return FALSE;
    }
  if (!bb_text_validate (interaction->summary, _("Summary"), 2000, TRUE, error) ||
      !bb_text_validate (interaction->outcome, _("Outcome"), 2000, TRUE, error))
    return FALSE;
  if (interaction->follow_up_on && *interaction->follow_up_on)
    {
      if (!bb_date_parse (interaction->follow_up_on, _("Follow-up date"), &follow_up, error))
        return FALSE;
      if (g_date_compare (&follow_up, &occurred) < 0)
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                       _("Follow-up date: %s is before the date of the interaction"),
                       interaction->follow_up_on);
          return FALSE;
        }
    }

  {
    g_autoptr(BbCustomer) customer = bb_customers_get (db, interaction->customer_id, error);

    if (customer == NULL)
      return FALSE;
    if (customer->erased)
      {
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                     _("The personal data of this customer was erased; nothing more is logged about them"));
        return FALSE;
      }
  }

  if (!bb_db_begin (db, error))
    return FALSE;

  stmt = _bb_db_prepare (db,
                         "INSERT INTO interactions (customer_id, occurred_on, channel, kind, summary, "
                         "  outcome, follow_up_on, created_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                         error);
  if (stmt == NULL)
    goto fail;

  sqlite3_bind_int64 (stmt, 1, interaction->customer_id);
  _bb_stmt_bind_text (stmt, 2, interaction->occurred_on);
  _bb_stmt_bind_text (stmt, 3, interaction->channel);
  _bb_stmt_bind_text (stmt, 4, interaction->kind);
  _bb_stmt_bind_text (stmt, 5, interaction->summary ? interaction->summary : "");
  _bb_stmt_bind_text (stmt, 6, interaction->outcome ? interaction->outcome : "");
  _bb_stmt_bind_text (stmt, 7, interaction->follow_up_on && *interaction->follow_up_on
                                 ? interaction->follow_up_on : NULL);
  _bb_stmt_bind_text (stmt, 8, now);
  if (!_bb_db_step_done (db, stmt, error))
    goto fail;

  interaction->id = sqlite3_last_insert_rowid (_bb_db_get_handle (db));

  if (!_bb_db_audit (db, "create", "interactions", interaction->id, interaction->kind, error) ||
      !bb_db_commit (db, error))
    goto fail;

  bb_db_emit_changed (db, "interactions", interaction->id);
  return TRUE;

fail:
  bb_db_rollback (db);
  interaction->id = 0;
  return FALSE;
}

GPtrArray *
bb_interactions_list (BbDb     *db,
                      gint64    customer_id,
                      GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_interaction_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT id, occurred_on, channel, kind, summary, outcome, follow_up_on, follow_up_done "
                         "FROM interactions WHERE customer_id = ?1 ORDER BY occurred_on DESC, id DESC",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      BbInteraction *i = g_new0 (BbInteraction, 1);

      i->id = sqlite3_column_int64 (stmt, 0);
      i->customer_id = customer_id;
      i->occurred_on = _bb_stmt_dup_text (stmt, 1);
      i->channel = _bb_stmt_dup_text (stmt, 2);
      i->kind = _bb_stmt_dup_text (stmt, 3);
      i->summary = _bb_stmt_dup_text (stmt, 4);
      i->outcome = _bb_stmt_dup_text (stmt, 5);
      i->follow_up_on = _bb_stmt_dup_text (stmt, 6);
      i->follow_up_done = sqlite3_column_int (stmt, 7);
      g_ptr_array_add (list, i);
    }
  sqlite3_reset (stmt);

  return rc < 0 ? NULL : g_steal_pointer (&list);
}

gboolean
bb_interactions_set_follow_up_done (BbDb      *db,
                                    gint64     id,
                                    gboolean   done,
                                    GError   **error)
{
  sqlite3_stmt *stmt;

  stmt = _bb_db_prepare (db, "UPDATE interactions SET follow_up_done = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, !!done);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  bb_db_emit_changed (db, "interactions", id);
  return TRUE;
}

/* ---- History for the customer detail -------------------------------- */

void
bb_customer_history_row_free (BbCustomerHistoryRow *row)
{
  if (row == NULL)
    return;

  g_free (row->date);
  g_free (row->reference);
  g_free (row->status);
  g_free (row->due_on);
  g_free (row);
}

static GPtrArray *
list_history (BbDb        *db,
              const char  *sql,
              gint64       id,
              guint        limit,
              GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_customer_history_row_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, limit);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      BbCustomerHistoryRow *row = g_new0 (BbCustomerHistoryRow, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      row->date = _bb_stmt_dup_text (stmt, 1);
      row->reference = _bb_stmt_dup_text (stmt, 2);
      row->status = _bb_stmt_dup_text (stmt, 3);
      row->amount = sqlite3_column_int64 (stmt, 4);
      row->balance = sqlite3_column_int64 (stmt, 5);
      row->due_on = _bb_stmt_dup_text (stmt, 6);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);

  return rc < 0 ? NULL : g_steal_pointer (&rows);
}

/**
 * bb_customers_list_invoices:
 *
 * Returns: the customer's newest bills, at most @limit
 */
GPtrArray *
bb_customers_list_invoices (BbDb     *db,
                            gint64    id,
                            guint     limit,
                            GError  **error)
{
  return list_history (db,
                       "SELECT id, issued_on, coalesce(number, ''), status, total, open_balance, due_on "
                       "FROM invoices WHERE customer_id = ?1 "
                       "ORDER BY issued_on DESC, id DESC LIMIT ?2",
                       id, limit, error);
}

/**
 * bb_customers_list_payments:
 *
 * Returns: the customer's newest payments, at most @limit; the status is
 *   the payment method as written in files ("alipay")
 */
GPtrArray *
bb_customers_list_payments (BbDb     *db,
                            gint64    id,
                            guint     limit,
                            GError  **error)
{
  return list_history (db,
                       "SELECT id, received_on, reference, method, amount, 0, NULL "
                       "FROM payments WHERE customer_id = ?1 "
                       "ORDER BY received_on DESC, id DESC LIMIT ?2",
                       id, limit, error);
}
