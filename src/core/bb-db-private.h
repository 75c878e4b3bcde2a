/* bb-db-private.h — what other core files need of the book
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "bb-db.h"

G_BEGIN_DECLS

typedef struct
{
  int         version;
  const char *sql;
} BbMigration;

const BbMigration *_bb_migrations_get      (guint       *n_migrations);

sqlite3      *_bb_db_get_handle            (BbDb        *self);
sqlite3_stmt *_bb_db_prepare               (BbDb        *self,
                                            const char  *sql,
                                            GError     **error);
gboolean      _bb_db_step_done             (BbDb        *self,
                                            sqlite3_stmt *stmt,
                                            GError     **error);
int           _bb_db_step                  (BbDb        *self,
                                            sqlite3_stmt *stmt,
                                            GError     **error);
gboolean      _bb_db_exec                  (BbDb        *self,
                                            const char  *sql,
                                            GError     **error);
gint64        _bb_db_set_cache_size        (BbDb        *self,
                                            gint64       cache_size);
void          _bb_db_set_error             (BbDb        *self,
                                            int          rc,
                                            GError     **error);
gboolean      _bb_db_audit                 (BbDb        *self,
                                            const char  *action,
                                            const char  *table,
                                            gint64       record_id,
                                            const char  *detail,
                                            GError     **error);
char         *_bb_db_now_utc               (void);

BbDb         *_bb_db_open_at_version       (const char  *path,
                                            int          version,
                                            GError     **error);

static inline void
_bb_stmt_bind_text (sqlite3_stmt *stmt, int i, const char *text)
{
  if (text)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

static inline char *
_bb_stmt_dup_text (sqlite3_stmt *stmt, int i)
{
  const unsigned char *t = sqlite3_column_text (stmt, i);
  return t ? g_strdup ((const char *) t) : NULL;
}

G_END_DECLS
