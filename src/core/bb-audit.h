/* bb-audit.h — the audit log, read only: who changed what, and when
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-db.h"
#include "bb-paged-list.h"

G_BEGIN_DECLS

/* One row of the log, with the record it is about named as a person
 * would: the customer's code and name, the bill's number. */
#define BB_TYPE_AUDIT_ENTRY (bb_audit_entry_get_type ())
G_DECLARE_FINAL_TYPE (BbAuditEntry, bb_audit_entry, BB, AUDIT_ENTRY, GObject)

struct _BbAuditEntry
{
  GObject parent_instance;

  gint64  id;
  char   *at;          /* UTC, 'YYYY-MM-DDTHH:MM:SSZ' */
  char   *action;      /* "create", "issue", "import", … */
  char   *table_name;  /* "customers", "invoices", … */
  gint64  record_id;   /* 0: many rows, or the book's settings */
  char   *detail;
  char   *subject;     /* "" when the record is gone or is many rows */
};

/* What the entry says, in the user's language. */
const char   *bb_audit_describe_action  (const char         *action);
const char   *bb_audit_describe_table   (const char         *table_name);
char         *bb_audit_format_time      (const char         *at);

/* @table_name: NULL for every kind of record. Newest first. */
gint64        bb_audit_count            (BbDb               *db,
                                         const char         *table_name,
                                         GError            **error);
GPtrArray    *bb_audit_search           (BbDb               *db,
                                         const char         *table_name,
                                         guint               offset,
                                         guint               limit,
                                         GError            **error);

#define BB_TYPE_AUDIT_LIST (bb_audit_list_get_type ())
G_DECLARE_FINAL_TYPE (BbAuditList, bb_audit_list, BB, AUDIT_LIST, BbPagedList)

BbAuditList  *bb_audit_list_new         (BbDb               *db);
void          bb_audit_list_set_table   (BbAuditList        *self,
                                         const char         *table_name);

G_END_DECLS
