/* bb-audit.c — the audit log, read only
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every change to money or customer data writes a row to audit_log in
 * the transaction of the change (_bb_db_audit()); triggers keep the log
 * append-only. This reads it back, newest first, for the Audit Log
 * window and its lazy list.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-audit.h"
#include "bb-db-private.h"

G_DEFINE_FINAL_TYPE (BbAuditEntry, bb_audit_entry, G_TYPE_OBJECT)

static void
bb_audit_entry_finalize (GObject *object)
{
  BbAuditEntry *entry = BB_AUDIT_ENTRY (object);

  g_free (entry->at);
  g_free (entry->action);
  g_free (entry->table_name);
  g_free (entry->detail);
  g_free (entry->subject);

  G_OBJECT_CLASS (bb_audit_entry_parent_class)->finalize (object);
}

static void
bb_audit_entry_class_init (BbAuditEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_audit_entry_finalize;
}

static void
bb_audit_entry_init (BbAuditEntry *entry)
{
}

const char *
bb_audit_describe_action (const char *action)
{
  static const struct { const char *action; const char *label; } actions[] = {
    { "create", N_("Created") },
    { "update", N_("Changed") },
    { "archive", N_("Archived") },
    { "unarchive", N_("Taken out of the archive") },
    { "erase", N_("Personal data erased") },
    { "import", N_("Imported") },
    { "demo", N_("Sample data made") },
    { "save-draft", N_("Draft saved") },
    { "delete-draft", N_("Draft deleted") },
    { "draft", N_("Back to draft") },
    { "review", N_("Sent to review") },
    { "issue", N_("Issued") },
    { "void", N_("Voided") },
    { "record", N_("Payment recorded") },
    { "reverse", N_("Payment reversed") },
    { "apply-credit", N_("Credit used") },
    { "topup", N_("Prepaid card topped up") },
    { "charge", N_("Charged to a prepaid card") },
    { "pay-bill", N_("Bill paid from a prepaid card") },
    { "refund", N_("Refunded from a prepaid card") },
    { "adjust", N_("Prepaid balance adjusted") },
    { "redeem", N_("Points redeemed") },
    { "reverse-charge", N_("Prepaid charge taken back") },
    { "expire", N_("Prepaid money expired") },
    { "recur", N_("Drafted by a recurring charge") },
    { "stop", N_("Stopped") },
    { "delete", N_("Deleted") },
    { "restore", N_("Restored from a backup") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_strcmp0 (action, actions[i].action) == 0)
      return _(actions[i].label);

  /* An action of a newer version: shown as stored. */
  return action;
}

const char *
bb_audit_describe_table (const char *table_name)
{
  static const struct { const char *table; const char *label; } tables[] = {
    { "customers", N_("Customer") },
    { "interactions", N_("Interaction") },
    { "invoices", N_("Bill") },
    { "payments", N_("Payment") },
    { "prepaid_accounts", N_("Prepaid account") },
    { "prepaid_entries", N_("Prepaid account") },
    { "recurring_charges", N_("Recurring charge") },
    { "settings", N_("Book") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_strcmp0 (table_name, tables[i].table) == 0)
      return _(tables[i].label);

  return table_name;
}

/* "2026-11-23 19:05", in local time; the stored text if it is not a
 * time this version wrote. */
char *
bb_audit_format_time (const char *at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (at, NULL);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (at);

  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

#define AUDIT_FILTER "WHERE (?1 IS NULL OR a.table_name = ?1 " \
                     "       OR (?1 = 'invoices' AND a.table_name = 'invoice_lines')) "

gint64
bb_audit_count (BbDb        *db,
                const char  *table_name,
                GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), -1);

  stmt = _bb_db_prepare (db, "SELECT count(*) FROM audit_log a " AUDIT_FILTER, error);
  if (stmt == NULL)
    return -1;

  _bb_stmt_bind_text (stmt, 1, table_name);
  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return count;
}

GPtrArray *
bb_audit_search (BbDb        *db,
                 const char  *table_name,
                 guint        offset,
                 guint        limit,
                 GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  /* The subject is looked up per row shown, by primary key: a page
   * costs its own rows, however long the log. */
  stmt = _bb_db_prepare (db,
                         "SELECT a.id, a.at, a.action, a.table_name, a.record_id, a.detail, "
                         "  CASE a.table_name "
                         "    WHEN 'customers' THEN (SELECT c.code || ' · ' || c.name FROM customers c "
                         "                           WHERE c.id = a.record_id) "
                         "    WHEN 'interactions' THEN (SELECT c.code || ' · ' || c.name "
                         "                              FROM interactions i JOIN customers c ON c.id = i.customer_id "
                         "                              WHERE i.id = a.record_id) "
                         "    WHEN 'invoices' THEN (SELECT coalesce (i.number || ' · ', '') || c.name "
                         "                          FROM invoices i JOIN customers c ON c.id = i.customer_id "
                         "                          WHERE i.id = a.record_id) "
                         "    WHEN 'payments' THEN (SELECT c.code || ' · ' || c.name "
                         "                          FROM payments p JOIN customers c ON c.id = p.customer_id "
                         "                          WHERE p.id = a.record_id) "
                         "    WHEN 'recurring_charges' THEN (SELECT c.code || ' · ' || c.name "
                         "                          FROM recurring_charges r JOIN customers c ON c.id = r.customer_id "
                         "                          WHERE r.id = a.record_id) "
                         "  END "
                         "FROM audit_log a " AUDIT_FILTER
                         "ORDER BY a.id DESC LIMIT ?2 OFFSET ?3",
                         error);
  if (stmt == NULL)
    return NULL;

  _bb_stmt_bind_text (stmt, 1, table_name);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_int64 (stmt, 3, offset);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      BbAuditEntry *entry = g_object_new (BB_TYPE_AUDIT_ENTRY, NULL);
      const char *subject = (const char *) sqlite3_column_text (stmt, 6);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->at = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->action = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->table_name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      entry->record_id = sqlite3_column_int64 (stmt, 4);
      entry->detail = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      entry->subject = g_strdup (subject ? subject : "");
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);

  if (rc < 0)
    return NULL;

  return g_steal_pointer (&entries);
}

/* ---- BbAuditList ------------------------------------------------------ */

struct _BbAuditList
{
  BbPagedList  parent_instance;

  char        *table_name;
};

G_DEFINE_FINAL_TYPE (BbAuditList, bb_audit_list, BB_TYPE_PAGED_LIST)

static gint64
bb_audit_list_count (BbPagedList  *list,
                     GError      **error)
{
  return bb_audit_count (bb_paged_list_get_database (list), BB_AUDIT_LIST (list)->table_name, error);
}

static GPtrArray *
bb_audit_list_fetch (BbPagedList  *list,
                     guint         offset,
                     guint         limit,
                     GError      **error)
{
  return bb_audit_search (bb_paged_list_get_database (list), BB_AUDIT_LIST (list)->table_name,
                          offset, limit, error);
}

static gint64
bb_audit_list_item_id (BbPagedList *list,
                       gpointer     item)
{
  return ((BbAuditEntry *) item)->id;
}

/* Newest first by id: the rows after @id come before it. */
static gboolean
bb_audit_list_locate (BbPagedList  *list,
                      gint64        id,
                      gint64       *position,
                      GError      **error)
{
  BbDb *db = bb_paged_list_get_database (list);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db, "SELECT count(*) FROM audit_log a " AUDIT_FILTER "AND a.id > ?2", error);
  if (stmt == NULL)
    return FALSE;

  _bb_stmt_bind_text (stmt, 1, BB_AUDIT_LIST (list)->table_name);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    *position = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW;
}

static void
bb_audit_list_finalize (GObject *object)
{
  g_free (BB_AUDIT_LIST (object)->table_name);

  G_OBJECT_CLASS (bb_audit_list_parent_class)->finalize (object);
}

static void
bb_audit_list_class_init (BbAuditListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BbPagedListClass *list_class = BB_PAGED_LIST_CLASS (klass);

  object_class->finalize = bb_audit_list_finalize;

  list_class->count = bb_audit_list_count;
  list_class->fetch = bb_audit_list_fetch;
  list_class->item_id = bb_audit_list_item_id;
  list_class->locate = bb_audit_list_locate;
}

static void
bb_audit_list_init (BbAuditList *self)
{
}

BbAuditList *
bb_audit_list_new (BbDb *db)
{
  BbAuditList *self;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  self = g_object_new (BB_TYPE_AUDIT_LIST, NULL);
  _bb_paged_list_setup (BB_PAGED_LIST (self), db, BB_TYPE_AUDIT_ENTRY, "audit_log");

  return self;
}

void
bb_audit_list_set_table (BbAuditList *self,
                         const char  *table_name)
{
  g_return_if_fail (BB_IS_AUDIT_LIST (self));

  g_free (self->table_name);
  self->table_name = g_strdup (table_name);
  bb_paged_list_reload (BB_PAGED_LIST (self));
}
